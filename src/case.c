/*
 * Case files: an RFC 5322 message with a multipart/mixed body, so that a
 * state folder opens in mutt, neomutt or mblaze as it is.
 *
 *	Date: Thu, 26 Nov 2026 18:30:00 +0000
 *	From: vf <vf@localhost>
 *	Subject: [VF#2026-00042] <subject, RFC 2047 where not ASCII>
 *	Message-ID: <vf.2026-00042@vf.invalid>
 *	MIME-Version: 1.0
 *	Content-Type: multipart/mixed; boundary="=_vf_2026-00042_<16 hex>"
 *	Vf-Id: 2026-00042
 *	Vf-...: headers added by the tools
 *
 *	This is a vf case file; see vf-case(5).
 *	--BOUNDARY
 *	<part headers, Content-Type and Vf-Part: ROLE among them>
 *
 *	<body>
 *	--BOUNDARY
 *	...
 *	--BOUNDARY--
 *
 * Line ends are LF. A part's body is the exact bytes between the empty line
 * after its headers and the LF before the next delimiter (RFC 2046: that LF
 * belongs to the delimiter). The first part is the fields (Vf-Part: fields):
 * one "name: value" a line, a value's further lines each start with one
 * TAB, no LF after the last; the second is the history (Vf-Part: history):
 * one event a line, no LF after the last. Both are regenerated from field[]
 * and hist[] on writing; every other part is kept byte for byte.
 *
 * The reader is strict, for this is a format we write: no line of any body
 * may start with "--BOUNDARY" (the writer picks a new boundary if one
 * would), and whatever it accepts, the writer gives back byte for byte.
 * Header values are stored raw as after the colon, leading space and
 * folding kept, for the same reason.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vf.h"
#include "hdrname.h"

#define CASE_MAX	(256UL * 1024 * 1024)	/* bytes of a case file */
#define MAX_HDRS	1000		/* header fields in one block */
#define MAX_PARTS	10000
#define MAX_FIELDS	10000
#define MAX_HIST	100000
#define MAX_NAME	128		/* a field's name */
#define MAX_EVENT	1000		/* bytes of one history line */
#define MAX_SUBJECT	1000		/* bytes of the subject, before encoding */
#define MAX_BOUNDARY	70		/* RFC 2046 */

#define PREAMBLE	"This is a vf case file; see vf-case(5)."

/*
 * A head case's arena has this much room past its strings for its tables
 * (rd_grow): a case's top headers and fields (32 each to start with),
 * its parts and their headers, its history, with room to spare.
 */
#define TABLE_ROOM	2048

/* How much of the file a reader keeps (vf_case_loadhead). */
#define RD_FULL		0	/* everything: vf_case_load */
#define RD_HEAD		1	/* up to the end of the history part */
#define RD_PARTS	2	/* every part's headers, no body */

struct rd {
	const char	*buf;
	size_t		 len;
	char		*err;
	size_t		 errlen;
	int		 mode;
	/*
	 * A head case's strings, one after the other (RD_HEAD, RD_PARTS):
	 * each is a piece of the input plus a NUL where the input had a
	 * colon or a line end, so len + a boundary's copy bounds them all.
	 */
	char		*arena;
	size_t		 aoff, acap;
	size_t		 tlo;		/* the lowest table in it (rd_grow) */
	/* No NUL byte anywhere in buf: the checks for one are skipped. */
	int		 nonul;
	/* The case being read (its arena's bounds, for rd_grow). */
	const struct vf_case *c;
};

static int
bad(const struct rd *r, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error message naming the line where the problem is. */
static int
bad(const struct rd *r, const char *at, const char *fmt, ...)
{
	char msg[256];
	const char *p;
	size_t line = 1;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Only a place in the input has a line number. */
	if ((uintptr_t)at < (uintptr_t)r->buf ||
	    (uintptr_t)at > (uintptr_t)(r->buf + r->len))
		at = r->buf;
	for (p = r->buf; p != NULL && p < at;
	    p = memchr(p, '\n', (size_t)(at - p)))
		if (*p++ == '\n')
			line++;
	if (r->errlen > 0)
		(void)snprintf(r->err, r->errlen, "line %zu: %s", line, msg);
	return EX_DATAERR;
}

/* Header names we create: letters, digits and '-'. */
static void	hdr_append(struct vf_kv **, size_t *, const char *,
		    const char *);
static void	describe_append(struct vf_kv **, size_t *, const char *);
static void	gen_norm(const struct vf_case *, struct vf_buf *);
static void	describe_default(struct vf_buf *, const char *,
		    const struct vf_kv *, size_t);

/*
 * A head case's arena starts with a copy of the input (buf[0..len) and a
 * NUL), so that a string of the input stays where it is: rd_str cuts it
 * with a NUL over the byte after it (a colon or a line end, which no
 * string keeps) instead of copying it. What is not in the input (the
 * boundary) is appended after the copy; the bound above makes running
 * out a bug.
 */
static char *
rd_copy(struct rd *r, const char *s, size_t n)
{
	char *p;

	if (n >= r->acap - r->aoff)
		errx(EX_SOFTWARE, "case reader: head arena overrun");
	p = r->arena + r->aoff;
	memcpy(p, s, n);
	p[n] = '\0';
	r->aoff += n + 1;
	return p;
}

/* s[0..n) of the input with a NUL: malloc'ed, or in place in the arena. */
static inline char *
rd_str(struct rd *r, const char *s, size_t n)
{
	char *p;

	if (r->arena == NULL)
		return vf_strndup(s, n);
	if (s < r->buf || n > r->len || (size_t)(s - r->buf) > r->len - n)
		errx(EX_SOFTWARE, "case reader: a string outside the input");
	p = r->arena + (s - r->buf);
	p[n] = '\0';
	return p;
}

/*
 * rd_str for a piece headers(), the fields' or the history's parser
 * found inside the input (s and s + n between buf and buf + len by how
 * they were found):
 * without the check, which was a twentieth of the head reader, three
 * pieces a line.
 */
static inline char *
rd_piece(struct rd *r, const char *s, size_t n)
{
	char *p;

	if (r->arena == NULL)
		return vf_strndup(s, n);
	p = r->arena + (s - r->buf);
	p[n] = '\0';
	return p;
}

/*
 * Is p in the case's arena (a head case's table put there by rd_grow)?
 * By address, as integers: no pointer compare across objects.
 */
static inline int
in_arena(const struct vf_case *c, const void *p)
{
	uintptr_t a = (uintptr_t)c->arena, q = (uintptr_t)p;

	return c->arena != NULL && q >= a && q - a < c->arenalen;
}

/*
 * A table of cap elements of size bytes, the first have of them those
 * of t (NULL or a table of the case's): a head case's in its arena,
 * from its end down to the strings' bound (rd_copy's), while there is
 * room (16 bytes aligned, as malloc's), else malloc'ed. A head case's five or six small tables were as many
 * mallocs and frees a case of a whole-tree tool (and reallocs as many).
 */
static void *
rd_grow(struct rd *r, void *t, size_t have, size_t cap, size_t size)
{
	size_t a, lo;
	void *p;

	if (r->arena == NULL || (t != NULL && !in_arena(r->c, t)))
		return vf_reallocarray(t, cap, size);
	lo = r->len + MAX_BOUNDARY + 16;
	if (size != 0 && r->tlo >= lo && cap <= (r->tlo - lo) / size &&
	    ((a = (r->tlo - cap * size) & ~(size_t)15)) >= lo) {
		p = r->arena + a;
		r->tlo = a;
	} else
		p = vf_reallocarray(NULL, cap, size);
	if (have > 0)
		memcpy(p, t, have * size);
	return p;
}

/* A head case is read-only: nothing may be changed or written from it. */
static void
writable(const struct vf_case *c, const char *what)
{
	if (c->arena != NULL)
		errx(EX_SOFTWARE, "%s: the case was read by vf_case_loadhead "
		    "(its head only): read-only", what);
}

static int
hdr_name_valid(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-')
			return 0;
	return 1;
}

/* A field name: [A-Za-z0-9][A-Za-z0-9._-]*, at most MAX_NAME bytes. */
static int
field_name_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_NAME)
		return 0;
	for (i = 0; i < n; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'))
			continue;
		return 0;
	}
	return 1;
}

/* The bytes of a field name: 3 a letter or digit, 2 '.', '_' or '-' (so
   that the and of any of them is not 0). */
static const unsigned char fname[256] = {
	['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3,
	['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3,
	['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3,
	['G'] = 3, ['H'] = 3, ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3,
	['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3,
	['S'] = 3, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3,
	['Y'] = 3, ['Z'] = 3,
	['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3,
	['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3,
	['m'] = 3, ['n'] = 3, ['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3,
	['s'] = 3, ['t'] = 3, ['u'] = 3, ['v'] = 3, ['w'] = 3, ['x'] = 3,
	['y'] = 3, ['z'] = 3,
	['.'] = 2, ['_'] = 2, ['-'] = 2,
};

#if defined(__SSE2__)
/*
 * The bytes of v[0..16) that are not field name bytes, a bit each (bit i
 * for v[i]): sixteen at once where the table took two loads and an and a
 * byte (field_name_end was a seventh of the head reader). A letter is a
 * byte whose OR with 0x20 is in 'a'..'z'; a byte over 0x7f compares as
 * negative, so it is in no range.
 */
static inline unsigned
fname_not16(const char *v)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)v);
	const __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i ok;

	ok = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
	    _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
	ok = _mm_or_si128(ok, _mm_and_si128(_mm_cmpgt_epi8(x,
	    _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1))));
	ok = _mm_or_si128(ok, _mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
	ok = _mm_or_si128(ok, _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
	ok = _mm_or_si128(ok, _mm_cmpeq_epi8(x, _mm_set1_epi8('-')));
	return ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
}
#endif

/*
 * The colon of a fields line s[0..eol) that starts "name: " with a valid
 * name (field_name_valid), or NULL. One pass: the bytes before the first
 * colon are all name bytes exactly when the first byte that is not one
 * is that colon.
 */
static const char *
field_name_end(const char *s, const char *eol)
{
	const char *v = s;

#if defined(__SSE2__)
	unsigned m;

	/* Sixteen bytes a step, read only inside the line. */
	for (; eol - v >= 16; v += 16)
		if ((m = fname_not16(v)) != 0) {
			v += __builtin_ctz(m);
			goto found;
		}
#else
	/* Eight bytes a step while they are all name bytes (every line of
	   every case's fields passes here). */
	for (; eol - v >= 8 && (fname[(unsigned char)v[0]] &
	    fname[(unsigned char)v[1]] & fname[(unsigned char)v[2]] &
	    fname[(unsigned char)v[3]] & fname[(unsigned char)v[4]] &
	    fname[(unsigned char)v[5]] & fname[(unsigned char)v[6]] &
	    fname[(unsigned char)v[7]]) != 0; v += 8)
		;
#endif
	for (; v < eol && fname[(unsigned char)*v] != 0; v++)
		;
#if defined(__SSE2__)
found:
#endif
	if (v == s || v >= eol - 1 || *v != ':' || v[1] != ' ' ||
	    v - s > MAX_NAME || fname[(unsigned char)*s] != 3)
		return NULL;
	return v;
}

/*
 * Room for first entries at the start: a case's top headers and fields
 * are some 10 to 40, a part's about 5, and every step of growth is a
 * realloc for every case a whole-tree tool reads.
 */
static void
kv_grow(struct rd *r, struct vf_kv **kv, size_t n, size_t *cap, size_t first)
{
	*kv = rd_grow(r, *kv, n, *cap < first ? first : *cap * 2,
	    sizeof(**kv));
	*cap = *cap < first ? first : *cap * 2;
}

/* Inline: it is called for every header and field line. */
static inline void
kv_add(struct rd *r, struct vf_kv **kv, size_t *n, size_t *cap, size_t first,
    char *name, char *value)
{
	if (*n >= *cap)
		kv_grow(r, kv, *n, cap, first);
	(*kv)[*n].name = name;
	(*kv)[*n].value = value;
	(*n)++;
}

static void
kv_free(struct vf_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

/*
 * The first LF of s[0..lim), or NULL: memchr, but the first 64 bytes
 * looked at inline, sixteen a step, for the lines the reader cuts are
 * short (a header, a field: some 30 bytes) and a call was a third of
 * the cost.
 */
static inline const char *
line_end(const char *s, const char *lim)
{
#if defined(__SSE2__)
	unsigned m;
	int i;

	for (i = 0; i < 4 && lim - s >= 16; i++, s += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)s),
		    _mm_set1_epi8('\n')));
		if (m != 0)
			return s + __builtin_ctz(m);
	}
#endif
	return memchr(s, '\n', (size_t)(lim - s));
}

/* The value without the white space (and folding) after the colon. */
const char *
vf_hdr_value(const struct vf_kv *kv)
{
	const char *v;

	for (v = kv->value; *v == ' ' || *v == '\t' || *v == '\n'; v++)
		;
	return v;
}

static const char *
hdr_find(const struct vf_kv *h, size_t n, const char *name)
{
	const struct vf_kv *kv;

	if ((kv = vf_kv_find(h, n, name)) == NULL)
		return NULL;
	return vf_hdr_value(kv);
}

/* The headers the parser itself looks up, as headers() finds them. */
#define H_CTYPE		0	/* Content-Type */
#define H_PART		1	/* Vf-Part */
#define H_ID		2	/* Vf-Id */
#define H_N		3

/*
 * Is s[0..n) the name k (ASCII case aside)? As the tools write it, by a
 * compare the compiler makes inline; else strncasecmp, only for a name
 * that starts with the same letter (MIME-Version, Subject and
 * Vf-Signature have the lengths of these).
 */
#define HDR_IS(s, n, k)	((n) == sizeof(k) - 1 && (memcmp((s), (k), \
	sizeof(k) - 1) == 0 || ((((s)[0] ^ (k)[0]) & ~0x20) == 0 && \
	strncasecmp((s), (k), sizeof(k) - 1) == 0)))

/* Which of them the name s[0..n) is (ASCII case aside), or -1. */
static int
hdr_known(const char *s, size_t n)
{
	switch (n) {
	case 12:
		return HDR_IS(s, n, "Content-Type") ? H_CTYPE : -1;
	case 7:
		return HDR_IS(s, n, "Vf-Part") ? H_PART : -1;
	case 5:
		return HDR_IS(s, n, "Vf-Id") ? H_ID : -1;
	default:
		return -1;
	}
}

/*
 * Header fields from s up to lim, through the empty line that ends them;
 * *body is set past that line. Values are kept raw: what follows the
 * colon, continuation lines included, without the final LF. got[H_*] is
 * set to what hdr_find would give for those names (the first of a name),
 * so that the parser does not walk the block again for each.
 */
static int
headers(struct rd *r, const char *s, const char *lim, size_t first,
    struct vf_kv **hdr, size_t *nhdr, const char **body,
    const char *got[H_N])
{
	const char *q, *colon, *eol;
	size_t cap = 0;
	int k;

	got[H_CTYPE] = got[H_PART] = got[H_ID] = NULL;

	for (;;) {
		if (s >= lim)
			return bad(r, s, "header without an empty line after "
			    "it");
		if (*s == '\n') {
			*body = s + 1;
			return 0;
		}
		/* A name is printable ASCII but ':' (every header of
		   every case passes here: eight bytes a step). */
		q = vf_hname_end(s, lim);
		if (q == lim || q == s || *q != ':')
			return bad(r, s, "malformed header line");
		colon = q;
		for (;;) {
			if ((eol = line_end(q, lim)) == NULL)
				return bad(r, s, "header without a line end");
			q = eol + 1;
			if (q < lim && (*q == ' ' || *q == '\t'))
				continue;
			break;
		}
		if (!r->nonul && memchr(colon + 1, '\0',
		    (size_t)(eol - colon - 1)) != NULL)
			return bad(r, s, "NUL byte in a header");
		if (*nhdr >= MAX_HDRS)
			return bad(r, s, "more than %d header fields",
			    MAX_HDRS);
		kv_add(r, hdr, nhdr, &cap, first, rd_piece(r, s,
		    (size_t)(colon - s)),
		    rd_piece(r, colon + 1, (size_t)(eol - colon - 1)));
		if ((k = hdr_known(s, (size_t)(colon - s))) != -1 &&
		    got[k] == NULL)
			got[k] = vf_hdr_value(&(*hdr)[*nhdr - 1]);
		s = q;
	}
}

/* The bytes of a boundary (RFC 2046 bchars): a table, where a strchr a
   byte of every case's boundary was a twentieth of the head reader. */
static const unsigned char bchars[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['\''] = 1, ['('] = 1, [')'] = 1, ['+'] = 1, ['_'] = 1, [','] = 1,
	['-'] = 1, ['.'] = 1, ['/'] = 1, [':'] = 1, ['='] = 1, ['?'] = 1,
	[' '] = 1,
};

/*
 * The boundary parameter of a multipart/mixed Content-Type, or NULL:
 * a head case's copied into its arena (rd_copy), else malloc'ed.
 */
static char *
boundary_of(struct rd *r, const char *v)
{
	struct vf_buf u = { 0 };
	const char *p, *b, *e;
	char *res = NULL;

	/* Unfold: a line end followed by white space is white space. */
	if (strchr(v, '\n') == NULL)
		p = v;		/* one line, as the writer makes it */
	else {
		for (p = v; *p != '\0'; p++)
			if (*p != '\n')
				vf_buf_addc(&u, *p);
		if (u.p == NULL)
			return NULL;
		p = u.p;
	}
	for (; *p == ' ' || *p == '\t'; p++)
		;
	if (strncasecmp(p, "multipart/mixed", 15) != 0)
		goto out;
	for (p += 15; (p = strchr(p, ';')) != NULL;) {
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		b = p + 9;
		if (*b == '"') {
			b++;
			if ((e = strchr(b, '"')) == NULL)
				goto out;
		} else
			for (e = b; *e != '\0' && *e != ';' && *e != ' ' &&
			    *e != '\t'; e++)
				;
		if (e == b || e - b > MAX_BOUNDARY || e[-1] == ' ')
			goto out;
		for (p = b; p < e; p++)
			if (!bchars[(unsigned char)*p])
				goto out;
		res = r->arena != NULL ? rd_copy(r, b, (size_t)(e - b)) :
		    vf_strndup(b, (size_t)(e - b));
		break;
	}
out:
	vf_buf_free(&u);
	return res;
}

/*
 * What the line at s is: 0 not a delimiter, 1 "--B\n", 2 "--B--\n", -1 a
 * line that starts with "--B" and is neither.
 */
static int
delim(const char *s, const char *lim, const char *b, size_t blen)
{
	size_t n = (size_t)(lim - s);

	if (n < 2 + blen || s[0] != '-' || s[1] != '-' ||
	    memcmp(s + 2, b, blen) != 0)
		return 0;
	s += 2 + blen;
	n -= 2 + blen;
	if (n >= 1 && s[0] == '\n')
		return 1;
	if (n >= 3 && s[0] == '-' && s[1] == '-' && s[2] == '\n')
		return 2;
	return -1;
}

/*
 * "\n--B", found by Horspool's rule: the table is made once a case, and
 * a search steps over the text by up to the needle's length (some 40
 * bytes) where a memchr and a compare a line cost more than the parse's
 * every other step, and memmem makes its table again at every call.
 */
struct dfind {
	char		nd[3 + MAX_BOUNDARY];
	size_t		m;
	unsigned char	shift[256];
};

static void
dfind_init(struct dfind *f, const char *b, size_t blen)
{
	size_t i;

	f->nd[0] = '\n';
	f->nd[1] = f->nd[2] = '-';
	memcpy(f->nd + 3, b, blen);
	f->m = 3 + blen;
	memset(f->shift, (int)f->m, sizeof(f->shift));
	for (i = 0; i + 1 < f->m; i++)
		f->shift[(unsigned char)f->nd[i]] = (unsigned char)(f->m - 1 - i);
}

/*
 * The first line from s (a line start) on that starts with "--B": s
 * itself, or after it the line where "\n--B" is first found.
 */
static const char *
next_delim(const char *s, const char *lim, const struct dfind *f, int *kind)
{
	const char *b = f->nd + 3;
	size_t m = f->m, blen = m - 3;
	unsigned char c, last = (unsigned char)f->nd[m - 1];

	*kind = 0;
	if (s == NULL || s >= lim)
		return NULL;
	if ((*kind = delim(s, lim, b, blen)) != 0)
		return s;
	while ((size_t)(lim - s) >= m) {
		c = (unsigned char)s[m - 1];
		if (c == last && *s == '\n' && memcmp(s + 1, f->nd + 1,
		    m - 2) == 0) {
			*kind = delim(s + 1, lim, b, blen);
			return s + 1;
		}
		s += f->shift[c];
	}
	return NULL;
}

/* Does a line of p[0..n) start with "--B"? */
static int
collides(const char *p, size_t n, const char *b, size_t blen)
{
	const char *s = p, *lim = p + n;

	while (s != NULL && s < lim) {
		if ((size_t)(lim - s) >= 2 + blen && s[0] == '-' &&
		    s[1] == '-' && memcmp(s + 2, b, blen) == 0)
			return 1;
		if ((s = memchr(s, '\n', (size_t)(lim - s))) != NULL)
			s++;
	}
	return 0;
}

static int
parse_fields(struct rd *r, struct vf_case *c, const char *s,
    size_t len)
{
	const char *end = s + len, *eol, *v;
	struct vf_buf cur = { 0 };
	size_t cap = 0, n;
	char *name = NULL;

	if (len == 0)
		return 0;
	if (!r->nonul && memchr(s, '\0', len) != NULL)
		return bad(r, s, "NUL byte in the fields");
	for (;;) {
		if ((eol = line_end(s, end)) == NULL)
			eol = end;
		if (s == eol) {
			free(name);
			vf_buf_free(&cur);
			return bad(r, s, "empty line in the fields");
		}
		if (*s == '\t') {
			if (name == NULL)
				return bad(r, s, "fields start with a "
				    "continuation line");
			vf_buf_addc(&cur, '\n');
			vf_buf_add(&cur, s + 1, (size_t)(eol - s - 1));
		} else {
			if ((v = field_name_end(s, eol)) == NULL) {
				free(name);
				vf_buf_free(&cur);
				return bad(r, s, "not \"name: value\" in the "
				    "fields");
			}
			if (name != NULL) {
				kv_add(r, &c->field, &c->nfield, &cap, 32, name,
				    vf_buf_take(&cur, NULL));
				name = NULL;
			}
			if (c->nfield >= MAX_FIELDS) {
				vf_buf_free(&cur);
				return bad(r, s, "more than %d fields",
				    MAX_FIELDS);
			}
			n = (size_t)(v - s);
			name = vf_strndup(s, n);
			cur.len = 0;
			vf_buf_add(&cur, v + 2, (size_t)(eol - v - 2));
		}
		if (eol == end)
			break;
		s = eol + 1;
	}
	kv_add(r, &c->field, &c->nfield, &cap, 32, name,
	    vf_buf_take(&cur, NULL));
	return 0;
}

/*
 * The same in a head case's arena, where the input is copied: a value
 * stays where it is, its continuation lines moved up over their tabs, so
 * that nothing is copied a field or allocated.
 */
static int
parse_fields_arena(struct rd *r, struct vf_case *c, const char *s,
    size_t len)
{
	const char *end = s + len, *eol, *v;
	size_t cap = 0, n;
	char *name = NULL, *val = NULL, *w = NULL;

	if (len == 0)
		return 0;
	if (!r->nonul && memchr(s, '\0', len) != NULL)
		return bad(r, s, "NUL byte in the fields");
	for (;;) {
		if ((eol = line_end(s, end)) == NULL)
			eol = end;
		if (s == eol)
			return bad(r, s, "empty line in the fields");
		if (*s == '\t') {
			if (name == NULL)
				return bad(r, s, "fields start with a "
				    "continuation line");
			/* From the input: w is behind s in the copy (the
			   same bytes, read in place: memmove). */
			*w++ = '\n';
			memmove(w, s + 1, (size_t)(eol - s - 1));
			w += eol - s - 1;
		} else {
			if ((v = field_name_end(s, eol)) == NULL)
				return bad(r, s, "not \"name: value\" in the "
				    "fields");
			n = (size_t)(v - s);
			if (name != NULL) {
				*w = '\0';
				kv_add(r, &c->field, &c->nfield, &cap, 32, name,
				    val);
				name = NULL;
			}
			if (c->nfield >= MAX_FIELDS)
				return bad(r, s, "more than %d fields",
				    MAX_FIELDS);
			name = rd_piece(r, s, n);
			val = r->arena + (v + 2 - r->buf);
			w = val + (eol - v - 2);
		}
		if (eol == end)
			break;
		s = eol + 1;
	}
	*w = '\0';
	kv_add(r, &c->field, &c->nfield, &cap, 32, name, val);
	return 0;
}

static int
parse_history(struct rd *r, struct vf_case *c, const char *s,
    size_t len)
{
	const char *end = s + len, *p, *eol;
	size_t n = 1;

	if (len == 0)
		return 0;
	if (!r->nonul && memchr(s, '\0', len) != NULL)
		return bad(r, s, "NUL byte in the history");
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	if (n > MAX_HIST)
		return bad(r, s, "more than %d history lines", MAX_HIST);
	c->hist = rd_grow(r, NULL, 0, n, sizeof(*c->hist));
	for (;;) {
		if ((eol = memchr(s, '\n', (size_t)(end - s))) == NULL)
			eol = end;
		c->hist[c->nhist++] = rd_piece(r, s, (size_t)(eol - s));
		if (eol == end)
			break;
		s = eol + 1;
	}
	return 0;
}

static const char *
role_of(const struct vf_cpart *p)
{
	const char *r = hdr_find(p->hdr, p->nhdr, "Vf-Part");

	return r != NULL ? r : "";
}

/* The roles of the first parts, as parse found them (role_of for more). */
#define NROLE	16

static int
parse(struct rd *r, struct vf_case *c)
{
	const char *buf = r->buf, *end = r->buf + r->len, *body, *s, *q;
	const char *v, *pbody, *orig[2] = { NULL, NULL }, *role[NROLE];
	struct vf_cpart *pt;
	const char *got[H_N];
	struct dfind df;
	size_t blen, cap = 0, i;
	int kind, rc;

	if ((rc = headers(r, buf, end, 32, &c->hdr, &c->nhdr, &body,
	    got)) != 0)
		return rc;
	if ((v = got[H_ID]) == NULL ||
	    !vf_id_valid(v))
		return bad(r, buf, "no valid Vf-Id header: not a vf case file");
	if ((v = got[H_CTYPE]) == NULL ||
	    (c->boundary = boundary_of(r, v)) == NULL)
		return bad(r, buf, "no multipart/mixed boundary");
	blen = strlen(c->boundary);

	dfind_init(&df, c->boundary, blen);
	s = next_delim(body, end, &df, &kind);
	if (s == NULL)
		return bad(r, end, "no boundary line in the body");
	if (kind != 1)
		return bad(r, s, "the first boundary line is not an opening "
		    "one");
	if (s > body) {
		if (!r->nonul && memchr(body, '\0',
		    (size_t)(s - 1 - body)) != NULL)
			return bad(r, body, "NUL byte in the preamble");
		c->preamble = rd_str(r, body, (size_t)(s - 1 - body));
	}
	for (s += 2 + blen + 1;;) {
		if ((q = next_delim(s, end, &df, &kind)) ==
		    NULL)
			return bad(r, end, "no closing boundary: the file is "
			    "cut short");
		if (kind == -1)
			return bad(r, q, "malformed boundary line");
		if (c->npart >= MAX_PARTS)
			return bad(r, s, "more than %d parts", MAX_PARTS);
		if (c->npart >= cap) {
			cap = cap < 8 ? 8 : cap * 2;
			c->part = rd_grow(r, c->part, c->npart, cap,
			    sizeof(*c->part));
		}
		pt = &c->part[c->npart++];
		memset(pt, 0, sizeof(*pt));
		if ((rc = headers(r, s, q, 8, &pt->hdr, &pt->nhdr, &pbody,
		    got)) != 0)
			return rc;
		if (q <= pbody)
			return bad(r, q, "part without a line end before the "
			    "boundary");
		pt->len = (size_t)(q - 1 - pbody);
		if (c->npart <= 2)
			orig[c->npart - 1] = pbody;
		/* A head case keeps no body: the fields and history are
		   parsed from the input, and the rest is not looked at. */
		if (r->mode == RD_FULL) {
			pt->body = vf_malloc(pt->len + 1);
			memcpy(pt->body, pbody, pt->len);
			pt->body[pt->len] = '\0';
		}
		if (got[H_CTYPE] == NULL || (v = got[H_PART]) == NULL)
			return bad(r, s, "part without Content-Type or "
			    "Vf-Part");
		if (c->npart <= NROLE)
			role[c->npart - 1] = v;
		/* The head ends with the history. */
		if (r->mode == RD_HEAD && c->npart == 2)
			break;
		if (kind == 2) {
			s = q + 2 + blen + 3;
			break;
		}
		s = q + 2 + blen + 1;
	}
	if (r->mode != RD_HEAD && s < end) {
		if (!r->nonul && memchr(s, '\0', (size_t)(end - s)) !=
		    NULL)
			return bad(r, s, "NUL byte in the epilogue");
		c->epilogue = rd_str(r, s, (size_t)(end - s));
	}

#define ROLE(i)	((i) < NROLE ? role[i] : role_of(&c->part[i]))
	if (c->npart < 2 || strcmp(ROLE(0), VF_PART_FIELDS) != 0 ||
	    strcmp(ROLE(1), VF_PART_HISTORY) != 0)
		return bad(r, body, "the first parts are not the fields and "
		    "the history");
	for (i = 2; i < c->npart; i++)
		if (strcmp(ROLE(i), VF_PART_FIELDS) == 0 ||
		    strcmp(ROLE(i), VF_PART_HISTORY) == 0)
			return bad(r, body, "a second fields or history part");
	/* The normalized part is derived: last, and out of part[]. */
	for (i = 2; i + 1 < c->npart; i++)
		if (strcmp(ROLE(i), VF_PART_NORMALIZED) == 0)
			return bad(r, body, "the normalized part is not the "
			    "last part");
	if (c->npart > 2 && strcmp(ROLE(c->npart - 1),
	    VF_PART_NORMALIZED) == 0) {
		/* A head case neither keeps nor checks it: it is made from
		   the fields, and a head case is never written. */
		if (r->mode == RD_PARTS) {
			--c->npart;
			if (!in_arena(c, c->part[c->npart].hdr))
				free(c->part[c->npart].hdr);
		}
		else {
			c->norm = vf_malloc(sizeof(*c->norm));
			*c->norm = c->part[--c->npart];
		}
	} else
		c->norm_unmade = 1;
	/* The bodies in the input, so that errors have a line number. */
	if ((rc = r->arena != NULL ? parse_fields_arena(r, c, orig[0],
	    c->part[0].len) : parse_fields(r, c, orig[0],
	    c->part[0].len)) != 0 ||
	    (rc = parse_history(r, c, orig[1], c->part[1].len)) != 0)
		return rc;
	if (c->norm != NULL) {
		struct vf_buf nb = { 0 };
		int same;

		gen_norm(c, &nb);
		same = nb.len > 0 && nb.len == c->norm->len &&
		    memcmp(nb.p, c->norm->body, nb.len) == 0;
		vf_buf_free(&nb);
		if (!same)
			return bad(r, body, "the normalized part is not the "
			    "NFKC form of the fields: it is made from them, "
			    "delete it and the next tool writes it again");
	}
#undef ROLE
	/*
	 * From here on field[] and hist[] are what counts. The fields as
	 * read stay beside the normalized part found to be their NFKC: a
	 * writer whose fields still read the same copies the part, rather
	 * than making it again (utf8proc over every value, twice a
	 * notice).
	 */
	if (c->norm != NULL && c->part[0].body != NULL) {
		c->norm_of = c->part[0].body;
		c->norm_oflen = c->part[0].len;
		c->part[0].body = NULL;
	}
	for (i = 0; i < 2; i++) {
		free(c->part[i].body);
		c->part[i].body = NULL;
		c->part[i].len = 0;
	}
	return 0;
}

int
vf_case_parse(struct vf_case *c, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct rd r;
	int rc;

	memset(c, 0, sizeof(*c));
	if (errlen > 0)
		err[0] = '\0';
	r.buf = buf != NULL ? buf : "";
	r.len = buf != NULL ? len : 0;
	r.err = err;
	r.errlen = errlen;
	r.mode = RD_FULL;
	r.arena = NULL;
	r.aoff = r.acap = r.tlo = 0;
	r.c = c;
	r.nonul = 0;	/* the bodies may hold one: each piece is checked */
	if ((rc = parse(&r, c)) != 0)
		vf_case_free(c);
	return rc;
}

/*
 * Parse the head of a case from buf[0..len); eof: len is the whole file.
 * Cut short (not eof), only whole lines are parsed, and any error is -1:
 * the caller reads the whole file and parses again, so that an error is
 * always the one the whole file gives, never an artefact of the cut.
 * What succeeds on whole lines succeeds alike on the whole file: every
 * decision the parser makes looks at whole lines, up to the line that
 * follows a header (the block's empty line must be there).
 */
static int
head_parse(struct vf_case *c, const char *buf, size_t len, int eof,
    int flags, char *err, size_t errlen)
{
	struct rd r;
	const char *nl;
	int rc;

	memset(c, 0, sizeof(*c));
	if (errlen > 0)
		err[0] = '\0';
	if ((flags & VF_HEAD_PARTS) != 0)
		eof = 1;	/* the caller gave the whole file */
	if (!eof) {
		if (len == 0 || (nl = memrchr(buf, '\n', len)) == NULL)
			return -1;
		len = (size_t)(nl + 1 - buf);
	}
	r.buf = buf != NULL ? buf : "";
	r.len = buf != NULL ? len : 0;
	r.err = err;
	r.errlen = errlen;
	r.mode = (flags & VF_HEAD_PARTS) != 0 ? RD_PARTS : RD_HEAD;
	r.acap = r.tlo = c->arenalen = r.len + MAX_BOUNDARY + 16 + TABLE_ROOM;
	r.arena = c->arena = vf_malloc(r.acap);
	r.c = c;
	memcpy(r.arena, r.buf, r.len);
	r.arena[r.len] = '\0';
	r.aoff = r.len + 1;
	/* One look for a NUL, not one a header, field and line. */
	r.nonul = memchr(r.buf, '\0', r.len) == NULL;
	if ((rc = parse(&r, c)) != 0) {
		vf_case_free(c);
		return eof ? rc : -1;
	}
	return 0;
}

/*
 * head_parse of the first len bytes of a file read into buf (eof: the
 * whole file; else its whole lines), a vf_malloc'ed block of size bytes
 * (len + MAX_BOUNDARY + 16 at least), parsed where it is: buf is the
 * arena, so that the input is not copied (a copy of every case file a
 * head tool reads, and the head is a part of it). The cuts the
 * parser makes (a NUL over a colon or a line end, a continuation line
 * moved up over its tab) are all behind where it reads. On success buf
 * is the case's; on failure it is freed and -1 returned: the message's
 * line number counts line ends the cuts took, so the caller reads the
 * file again and parses a copy for it.
 */
static int
head_parse_inplace(struct vf_case *c, char *buf, size_t len, int eof,
    size_t size)
{
	struct rd r;
	const char *nl;

	memset(c, 0, sizeof(*c));
	/* Cut short: whole lines only (head_parse). */
	if (!eof && (len == 0 || (nl = memrchr(buf, '\n', len)) == NULL))
		len = size;	/* refused below */
	else if (!eof)
		len = (size_t)(nl + 1 - buf);
	if (size < len + MAX_BOUNDARY + 16) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	r.buf = buf;
	r.len = len;
	r.err = NULL;
	r.errlen = 0;
	r.mode = RD_HEAD;
	r.acap = r.tlo = c->arenalen = size;
	r.arena = c->arena = buf;
	r.c = c;
	r.aoff = len + 1;
	r.nonul = memchr(buf, '\0', len) == NULL;
	if (parse(&r, c) != 0) {
		vf_case_free(c);	/* and buf, the arena */
		return -1;
	}
	return 0;
}

/*
 * Where a head case parsed in place ends, about: past its last history
 * line and the delimiter line after it (what the parser had to see).
 */
static size_t
head_end(const struct vf_case *c)
{
	const char *e;

	if (c->nhist == 0)
		return SIZE_MAX;	/* no guess: the longer read */
	e = c->hist[c->nhist - 1];
	return (size_t)(e - c->arena) + strlen(e) + 2 +
	    strlen(c->boundary) + 3;
}

int
vf_case_parsehead(struct vf_case *c, const char *buf, size_t len,
    size_t first, int flags, char *err, size_t errlen)
{
	int rc;

	if (first < len && (flags & VF_HEAD_PARTS) == 0 &&
	    (rc = head_parse(c, buf, first, 0, flags, err, errlen)) != -1)
		return rc;
	return head_parse(c, buf, len, 1, flags, err, errlen);
}

/*
 * The first read: most heads (headers, fields, history) fit in it, and
 * most case files whole (a software report of bench/validate's tree is
 * 5.9 KB): a file that is whole in it is read in one pread with no
 * fstat, where one past it needs its size (a head cut short is whole
 * only if the file ends there). 4 KiB cost an fstat a case there.
 */
#define HEAD_FIRST	8192
/*
 * The head alone: the first read is 4 KiB while the heads read end in
 * it (bench/validate's end near 2.3 KB), else 8 KiB (a report with a
 * real PGP key in its fields), as the last one read says. Whole lines of
 * it are parsed where they were read, and a head that ends there needs
 * nothing more: no fstat for the file's size (the 8 KiB read and that
 * fstat were a seventh of vf-validate -n's time in the kernel).
 */
#define INPLACE_SHORT	4096
static _Thread_local size_t inplace_first = INPLACE_SHORT;
/* The size of the block the first read goes into (the case's arena). */
#define INPLACE_SIZE	(HEAD_FIRST + MAX_BOUNDARY + 16 + TABLE_ROOM)

/*
 * One arena of INPLACE_SIZE bytes kept from the last head case freed for
 * the next one read (vf_case_loadhead): a whole-tree tool reads a case,
 * frees it and reads the next, and the malloc and free of its arena were
 * a twentieth of the head reader. Taken and given back atomically (one
 * for all threads); a static, so that it is reachable to the end, not a
 * leak.
 */
static char *spare_arena;

static void
arena_put(char *a, size_t size)
{
	char *none = NULL;

	if (size != INPLACE_SIZE || !__atomic_compare_exchange_n(&spare_arena,
	    &none, a, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		free(a);
}
/*
 * The first read when every part is asked for: most case files are whole
 * in it, so that they are read in one pread, with no fstat to learn
 * their size and no second read (vf-expire reads every case so).
 */
#define PARTS_FIRST	16384

/*
 * Is fd a regular file of at most CASE_MAX bytes? 0 (and its size), or
 * an exit code with vf_case_load's words in err.
 */
static int
head_file(int fd, size_t *size, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		(void)snprintf(err, errlen, "%s", strerror(errno));
		return vf_errno_exit(errno);
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size >
	    CASE_MAX) {
		(void)snprintf(err, errlen, "%s", !S_ISREG(st.st_mode) ?
		    "not a regular file" : "larger than 256 MiB");
		return EX_DATAERR;
	}
	*size = (size_t)st.st_size;
	return 0;
}

int
vf_case_loadhead(struct vf_case *c, int dirfd, const char *name, int flags,
    char *err, size_t errlen)
{
	char first[PARTS_FIRST + 1], *buf = NULL;
	size_t size, want, got, cap1 = (flags & VF_HEAD_PARTS) != 0 ?
	    PARTS_FIRST : HEAD_FIRST;
	const size_t asize = INPLACE_SIZE;
	size_t one;
	ssize_t n;
	int fd, rc, e;

	memset(c, 0, sizeof(*c));
	if (errlen > 0)
		err[0] = '\0';
	/* As vf_case_load: the same codes and messages. */
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		rc = errno == ENOENT ? EX_NOINPUT : errno == ELOOP ?
		    EX_DATAERR : vf_errno_exit(errno);
		(void)snprintf(err, errlen, "%s", errno == ELOOP ?
		    "a symbolic link, not a case file" : strerror(errno));
		return rc;
	}
	/*
	 * Read first, fstat only if the file goes on past the first read
	 * or is not what a case is: most case files a whole-tree tool reads
	 * are whole in it, and a syscall fewer a case is a tenth of such a
	 * tool's time. A short read is the end of a regular file; anything
	 * else (a directory, a FIFO, a device) fails to read or to parse,
	 * and is then told apart by fstat, with vf_case_load's words.
	 */
	/*
	 * The head alone: the first read (INPLACE_SHORT or HEAD_FIRST) goes
	 * into what becomes the case's arena and is parsed there; a head
	 * that ends in it is all, with no fstat. Any other file (a longer
	 * head, a fault, not a regular file) is read again into first and
	 * goes on below as before, for its message.
	 */
	if ((flags & VF_HEAD_PARTS) != 0)
		n = vf_read_head(fd, first, 0, cap1);
	else {
		/* The last case's arena, if it gave it back (arena_put). */
		if ((buf = __atomic_exchange_n(&spare_arena, NULL,
		    __ATOMIC_ACQ_REL)) == NULL)
			buf = vf_malloc(asize);
		one = inplace_first;
		if ((n = vf_read_head(fd, buf, 0, one)) != -1) {
			rc = head_parse_inplace(c, buf, (size_t)n,
			    (size_t)n < one, asize);
			buf = NULL;	/* the case's, or freed */
			if (rc == 0) {
				inplace_first = head_end(c) < INPLACE_SHORT ?
				    INPLACE_SHORT : HEAD_FIRST;
				goto done;
			}
			if ((size_t)n == one)
				inplace_first = HEAD_FIRST;
			n = vf_read_head(fd, first, 0, cap1);
		} else {
			free(buf);
			buf = NULL;
		}
	}
	if (n == -1) {
		if ((rc = head_file(fd, &size, err, errlen)) == 0)
			goto readerr;
		goto done;
	}
	if ((size_t)n < cap1) {
		rc = head_parse(c, first, (size_t)n, 1, flags, err, errlen);
		/* fstat says nothing (err kept) of a regular file. */
		if (rc != 0 && (e = head_file(fd, &size, err, errlen)) != 0)
			rc = e;
		goto done;
	}
	if ((rc = head_file(fd, &size, err, errlen)) != 0)
		goto done;
	if ((flags & VF_HEAD_PARTS) == 0 && (rc = head_parse(c, first,
	    (size_t)n, (size_t)n >= size, flags, err, errlen)) != -1)
		goto done;
	/*
	 * The head goes on past the first read: read on, four times as much
	 * each time, until it ends (or the file does; every part is asked
	 * for: the whole file at once).
	 */
	for (want = HEAD_FIRST, got = 0;;) {
		want = (flags & VF_HEAD_PARTS) != 0 || want > size / 4 ?
		    size : want * 4;
		buf = vf_reallocarray(buf, want + 1, 1);
		/* Every part: what the first read has is not read again. */
		if ((flags & VF_HEAD_PARTS) != 0 && got == 0) {
			got = (size_t)n < want ? (size_t)n : want;
			memcpy(buf, first, got);
		}
		if ((n = vf_read_head(fd, buf, got, want)) == -1)
			goto readerr;
		got = (size_t)n;
		if ((rc = head_parse(c, buf, got, got < want || want == size,
		    flags, err, errlen)) != -1)
			goto done;
	}
readerr:
	rc = vf_errno_exit(errno);
	(void)snprintf(err, errlen, "%s", strerror(errno));
done:
	(void)close(fd);
	free(buf);
	return rc;
}

int
vf_case_load(struct vf_case *c, const char *path, char *err, size_t errlen)
{
	int fd, rc;

	memset(c, 0, sizeof(*c));
	if (errlen > 0)
		err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		rc = errno == ENOENT ? EX_NOINPUT : errno == ELOOP ?
		    EX_DATAERR : vf_errno_exit(errno);
		(void)snprintf(err, errlen, "%s", errno == ELOOP ?
		    "a symbolic link, not a case file" : strerror(errno));
		return rc;
	}
	rc = vf_case_loadfd(c, fd, err, errlen);
	(void)close(fd);
	return rc;
}

int
vf_case_loadfd(struct vf_case *c, int fd, char *err, size_t errlen)
{
	struct vf_buf b = { 0 };
	struct stat st;
	int r, rc;

	memset(c, 0, sizeof(*c));
	if (errlen > 0)
		err[0] = '\0';
	if (fstat(fd, &st) == -1) {
		rc = vf_errno_exit(errno);
		(void)snprintf(err, errlen, "%s", strerror(errno));
		return rc;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size >
	    CASE_MAX) {
		(void)snprintf(err, errlen, "%s", !S_ISREG(st.st_mode) ?
		    "not a regular file" : "larger than 256 MiB");
		return EX_DATAERR;
	}
	r = vf_buf_readfd(&b, fd, CASE_MAX);
	rc = r == -1 ? vf_errno_exit(errno) : 0;
	if (r == -1)
		(void)snprintf(err, errlen, "%s", strerror(errno));
	if (r == 1) {
		(void)snprintf(err, errlen, "larger than 256 MiB");
		rc = EX_DATAERR;
	}
	if (rc == 0)
		rc = vf_case_parse(c, b.p, b.len, err, errlen);
	vf_buf_free(&b);
	return rc;
}

/* One "name: value" entry, continuation lines TAB-led. */
static void
gen_field(struct vf_buf *b, const char *name, const char *value, int first)
{
	const char *p, *nl;

	if (!first)
		vf_buf_addc(b, '\n');
	vf_buf_adds(b, name);
	vf_buf_add(b, ": ", 2);
	/* Line by line: a value may be a whole proof of concept. */
	for (p = value; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		vf_buf_add(b, p, (size_t)(nl + 1 - p));
		vf_buf_addc(b, '\t');
	}
	vf_buf_adds(b, p);
}

void
vf_case_fields_text(const struct vf_kv *v, size_t n, struct vf_buf *b)
{
	size_t i;

	vf_buf_grow(b, 0);
	for (i = 0; i < n; i++)
		gen_field(b, v[i].name, v[i].value, i == 0);
}

static void
gen_fields(const struct vf_case *c, struct vf_buf *b)
{
	size_t i;

	vf_buf_grow(b, 0);
	for (i = 0; i < c->nfield; i++)
		gen_field(b, c->field[i].name, c->field[i].value, i == 0);
}

static int
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * The normalized part's body: the NFKC form of every value NFKC changes
 * (what tools compare; grep then finds it too). Empty: no such part.
 */
static void
gen_norm(const struct vf_case *c, struct vf_buf *b)
{
	size_t i, start = b->len;
	char *n;

	vf_buf_grow(b, 0);
	for (i = 0; i < c->nfield; i++) {
		/* ASCII is its own NFKC: most values, at every write. */
		if (ascii_only(c->field[i].value) ||
		    (n = vf_nfkc(c->field[i].value)) == NULL)
			continue;
		if (strcmp(n, c->field[i].value) != 0)
			gen_field(b, c->field[i].name, n, b->len == start);
		free(n);
	}
}

static void
gen_history(const struct vf_case *c, struct vf_buf *b)
{
	size_t i;

	vf_buf_grow(b, 0);
	for (i = 0; i < c->nhist; i++) {
		if (i > 0)
			vf_buf_addc(b, '\n');
		vf_buf_adds(b, c->hist[i]);
	}
}

/* The body a part is written with. */
static void
part_body(const struct vf_cpart *p, const struct vf_buf *fb,
    const struct vf_buf *hb, const char **body, size_t *len)
{
	const char *role = role_of(p);

	if (strcmp(role, VF_PART_FIELDS) == 0) {
		*body = fb->p;
		*len = fb->len;
	} else if (strcmp(role, VF_PART_HISTORY) == 0) {
		*body = hb->p;
		*len = hb->len;
	} else {
		*body = p->body != NULL ? p->body : "";
		*len = p->body != NULL ? p->len : 0;
	}
}

static int
any_collides(const struct vf_case *c, const struct vf_buf *fb,
    const struct vf_buf *hb, const char *b)
{
	const char *body;
	size_t i, len, blen = strlen(b);

	if (c->preamble != NULL &&
	    collides(c->preamble, strlen(c->preamble), b, blen))
		return 1;
	for (i = 0; i < c->npart; i++) {
		part_body(&c->part[i], fb, hb, &body, &len);
		if (collides(body, len, b, blen))
			return 1;
	}
	return 0;
}

/* "=_vf_ID_<16 random hex>": '=' and '_' cannot occur in base64 text. */
static void
make_boundary(const char *id, char *b, size_t size)
{
	uint32_t r[2];

	arc4random_buf(r, sizeof(r));
	if (id == NULL || !vf_id_valid(id))
		id = "case";
	if (snprintf(b, size, "=_vf_%s_%08x%08x", id, r[0], r[1]) >=
	    (int)size)
		errx(EX_SOFTWARE, "vf case boundary too long");
}

static char *
ctype_value(const char *b)
{
	struct vf_buf v = { 0 };

	vf_buf_printf(&v, " multipart/mixed; boundary=\"%s\"", b);
	return vf_buf_take(&v, NULL);
}

/*
 * About what the fields and the history take written out (a value's
 * continuation TABs aside), so that scratch is sized once and a large
 * field is not copied as it grows.
 */
static size_t
gen_size(const struct vf_case *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nfield; i++)
		n += strlen(c->field[i].name) + strlen(c->field[i].value) + 3;
	for (i = 0; i < c->nhist; i++)
		n += strlen(c->hist[i]) + 1;
	return n + n / 32;
}

/*
 * The case file as pieces: the small ones (headers, delimiters, the fields
 * and the history) are written into scratch, and the bodies of the other
 * parts are pointed at where they are, so that a large case is never held
 * twice. A piece in scratch is kept as an offset until the end, for
 * scratch moves as it grows.
 */
struct seg {
	const char	*p;		/* a body; NULL: scratch at off */
	size_t		 off;
	size_t		 len;
};

struct pieces {
	struct vf_buf	*sb;		/* scratch */
	size_t		 mark;		/* start of the scratch run not yet
					   in seg[] */
	struct seg	*seg;
	size_t		 nseg, cap;
};

static void
seg_add(struct pieces *w, const char *p, size_t off, size_t len)
{
	/* Empty pieces are left out, but for a hole (a body to come). */
	if (len == 0 && p == NULL)
		return;
	if (w->nseg == w->cap) {
		w->cap = w->cap < 16 ? 16 : w->cap * 2;
		w->seg = vf_reallocarray(w->seg, w->cap, sizeof(*w->seg));
	}
	w->seg[w->nseg].p = p;
	w->seg[w->nseg].off = off;
	w->seg[w->nseg++].len = len;
}

/* End the scratch run so far: it becomes a piece. */
static void
run_end(struct pieces *w)
{
	seg_add(w, NULL, w->mark, w->sb->len - w->mark);
	w->mark = w->sb->len;
}

/* A body: small ones are copied, large ones pointed at. */
static void
put_body(struct pieces *w, const char *p, size_t len)
{
	if (len < 4096) {
		vf_buf_add(w->sb, p, len);
		return;
	}
	run_end(w);
	seg_add(w, p, 0, len);
}

/*
 * vf_case_iov, or with hole a part's index: that part's body left out, an
 * empty piece in its place at *at, for a body not there yet (vf-parse's
 * encrypted original, while gpg makes it). -1, nothing made, when the
 * other bodies would need a fresh boundary: then the caller writes the
 * case whole.
 */
static int
case_iov(const struct vf_case *c, struct vf_buf *sb, struct iovec **iovp,
    size_t *niovp, size_t hole, size_t *at)
{
	struct pieces w;
	struct vf_buf fb, hb;
	const struct vf_cpart *p;
	const char *bnd = c->boundary, *role;
	char fresh[MAX_BOUNDARY + 1];
	size_t i, k, foff, hoff, hend, nend;
	struct iovec *iov;
	struct vf_kv *nh = NULL;
	size_t nnh = 0;
	int ctdone = 0;

	writable(c, "vf_case_write");
	if (bnd == NULL)
		errx(EX_SOFTWARE, "vf_case_write: case without a boundary");
	/*
	 * The fields and the history are made first in scratch, where they
	 * are looked at through views until scratch grows.
	 */
	sb->len = 0;
	vf_buf_grow(sb, gen_size(c) + 4096);
	foff = 0;
	gen_fields(c, sb);
	hoff = sb->len;
	gen_history(c, sb);
	fb.p = sb->p + foff;
	fb.len = hoff - foff;
	hb.p = sb->p + hoff;
	hb.len = sb->len - hoff;
	hend = sb->len;
	/*
	 * A file read without a normalized part is written back without
	 * one while its fields are as read (what was read is given back
	 * byte for byte); once a field changes, the part is made.
	 */
	if (c->norm_of != NULL && hoff - foff == c->norm_oflen &&
	    memcmp(sb->p + foff, c->norm_of, c->norm_oflen) == 0)
		vf_buf_add(sb, c->norm->body, c->norm->len);
	else if (!c->norm_unmade)
		gen_norm(c, sb);
	nend = sb->len;
	fb.p = sb->p + foff;
	hb.p = sb->p + hoff;
	/*
	 * Only when a caller changed a body behind vf_case_add_part's back:
	 * this output gets a new boundary, the case keeps the old one.
	 */
	if (any_collides(c, &fb, &hb, bnd) ||
	    collides(sb->p + hend, nend - hend, bnd, strlen(bnd))) {
		if (hole != (size_t)-1)
			return -1;
		do
			make_boundary(vf_case_get(c, "Vf-Id"), fresh,
			    sizeof(fresh));
		while (any_collides(c, &fb, &hb, fresh) ||
		    collides(sb->p + hend, nend - hend, fresh, strlen(fresh)));
		bnd = fresh;
	}
	memset(&w, 0, sizeof(w));
	w.sb = sb;
	w.mark = sb->len;
	for (i = 0; i < c->nhdr; i++) {
		vf_buf_adds(sb, c->hdr[i].name);
		vf_buf_addc(sb, ':');
		if (bnd == fresh && !ctdone &&
		    strcasecmp(c->hdr[i].name, "Content-Type") == 0) {
			char *v = ctype_value(bnd);

			vf_buf_adds(sb, v);
			free(v);
			ctdone = 1;
		} else
			vf_buf_adds(sb, c->hdr[i].value);
		vf_buf_addc(sb, '\n');
	}
	vf_buf_addc(sb, '\n');
	if (c->preamble != NULL) {
		vf_buf_adds(sb, c->preamble);
		vf_buf_addc(sb, '\n');
	}
	for (i = 0; i < c->npart; i++) {
		p = &c->part[i];
		vf_buf_printf(sb, "--%s\n", bnd);
		for (k = 0; k < p->nhdr; k++) {
			vf_buf_adds(sb, p->hdr[k].name);
			vf_buf_addc(sb, ':');
			vf_buf_adds(sb, p->hdr[k].value);
			vf_buf_addc(sb, '\n');
		}
		vf_buf_addc(sb, '\n');
		role = role_of(p);
		if (strcmp(role, VF_PART_FIELDS) == 0 ||
		    strcmp(role, VF_PART_HISTORY) == 0) {
			run_end(&w);
			if (role[0] == 'f')
				seg_add(&w, NULL, foff, hoff - foff);
			else
				seg_add(&w, NULL, hoff, hend - hoff);
		} else if (i == hole) {
			run_end(&w);
			seg_add(&w, "", 0, 0);
			*at = w.nseg - 1;
		} else
			put_body(&w, p->body != NULL ? p->body : "",
			    p->body != NULL ? p->len : 0);
		vf_buf_addc(sb, '\n');
	}
	if (nend > hend) {
		/* Its headers as read while it says the same; else fresh. */
		if (c->norm != NULL && c->norm->len == nend - hend &&
		    memcmp(c->norm->body, sb->p + hend, nend - hend) == 0)
			p = c->norm;
		else {
			struct vf_buf d = { 0 };

			hdr_append(&nh, &nnh, "Content-Type",
			    "text/plain; charset=utf-8");
			hdr_append(&nh, &nnh, "Content-Transfer-Encoding",
			    "8bit");
			hdr_append(&nh, &nnh, "Content-Disposition", "inline");
			describe_default(&d, VF_PART_NORMALIZED, NULL, 0);
			describe_append(&nh, &nnh, d.p);
			vf_buf_free(&d);
			hdr_append(&nh, &nnh, "Vf-Part", VF_PART_NORMALIZED);
			p = NULL;
		}
		vf_buf_printf(sb, "--%s\n", bnd);
		for (k = 0; k < (p != NULL ? p->nhdr : nnh); k++) {
			const struct vf_kv *kv = p != NULL ? &p->hdr[k] :
			    &nh[k];

			vf_buf_adds(sb, kv->name);
			vf_buf_addc(sb, ':');
			vf_buf_adds(sb, kv->value);
			vf_buf_addc(sb, '\n');
		}
		vf_buf_addc(sb, '\n');
		run_end(&w);
		seg_add(&w, NULL, hend, nend - hend);
		vf_buf_addc(sb, '\n');
		kv_free(nh, nnh);
	}
	vf_buf_printf(sb, "--%s--\n", bnd);
	if (c->epilogue != NULL)
		vf_buf_adds(sb, c->epilogue);
	run_end(&w);
	iov = vf_reallocarray(NULL, w.nseg, sizeof(*iov));
	for (i = 0; i < w.nseg; i++) {
		iov[i].iov_base = (void *)(w.seg[i].p != NULL ? w.seg[i].p :
		    sb->p + w.seg[i].off);
		iov[i].iov_len = w.seg[i].len;
	}
	free(w.seg);
	*iovp = iov;
	*niovp = w.nseg;
	return 0;
}

void
vf_case_iov(const struct vf_case *c, struct vf_buf *sb, struct iovec **iovp,
    size_t *niovp)
{
	(void)case_iov(c, sb, iovp, niovp, (size_t)-1, NULL);
}

int
vf_case_iov_hole(const struct vf_case *c, size_t part, struct vf_buf *sb,
    struct iovec **iovp, size_t *niovp, size_t *at)
{
	if (part >= c->npart)
		errx(EX_SOFTWARE, "vf_case_iov_hole: no part %zu", part);
	return case_iov(c, sb, iovp, niovp, part, at);
}

int
vf_case_hole_fits(const struct vf_case *c, const char *body, size_t len)
{
	return c->boundary != NULL &&
	    !collides(body, len, c->boundary, strlen(c->boundary));
}

int
vf_case_room(const struct vf_case *c, size_t parts, size_t fields,
    size_t hist, size_t bytes, char *why, size_t whylen)
{
	struct vf_buf sb = { 0 };
	struct iovec *iov;
	size_t i, n, total = 0;

	if (whylen > 0)
		why[0] = '\0';
	/* The written size, without writing: the pieces point at bodies. */
	vf_case_iov(c, &sb, &iov, &n);
	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	free(iov);
	vf_buf_free(&sb);
	if (c->npart + (c->norm != NULL) + parts > MAX_PARTS)
		(void)snprintf(why, whylen, "it would have more than %d parts "
		    "(%zu now)", MAX_PARTS, c->npart);
	else if (c->nfield + fields > MAX_FIELDS)
		(void)snprintf(why, whylen, "it would have more than %d fields "
		    "(%zu now)", MAX_FIELDS, c->nfield);
	else if (c->nhist + hist > MAX_HIST)
		(void)snprintf(why, whylen, "it would have more than %d history "
		    "lines (%zu now)", MAX_HIST, c->nhist);
	else if (total > CASE_MAX || bytes > CASE_MAX - total)
		(void)snprintf(why, whylen, "it would be larger than 256 MiB "
		    "(%zu bytes now)", total);
	else
		return 0;
	return EX_DATAERR;
}

void
vf_case_write(const struct vf_case *c, struct vf_buf *out)
{
	struct vf_buf sb = { 0 };
	struct iovec *iov;
	size_t i, n, total = 0;

	vf_case_iov(c, &sb, &iov, &n);
	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	vf_buf_grow(out, total);
	for (i = 0; i < n; i++)
		vf_buf_add(out, iov[i].iov_base, iov[i].iov_len);
	free(iov);
	vf_buf_free(&sb);
}

void
vf_case_free(struct vf_case *c)
{
	size_t i;

	if (c->arena != NULL) {
		/* Every string is in the arena, and the tables that had room
		   in it (rd_grow). */
		if (!in_arena(c, c->hdr))
			free(c->hdr);
		if (!in_arena(c, c->field))
			free(c->field);
		if (!in_arena(c, c->hist))
			free(c->hist);
		for (i = 0; i < c->npart; i++)
			if (!in_arena(c, c->part[i].hdr))
				free(c->part[i].hdr);
		if (!in_arena(c, c->part))
			free(c->part);
		arena_put(c->arena, c->arenalen);
		memset(c, 0, sizeof(*c));
		return;
	}

	kv_free(c->hdr, c->nhdr);
	kv_free(c->field, c->nfield);
	for (i = 0; i < c->nhist; i++)
		free(c->hist[i]);
	free(c->hist);
	for (i = 0; i < c->npart; i++) {
		kv_free(c->part[i].hdr, c->part[i].nhdr);
		if (!c->part[i].ref)
			free(c->part[i].body);
	}
	free(c->part);
	if (c->norm != NULL) {
		kv_free(c->norm->hdr, c->norm->nhdr);
		free(c->norm->body);
		free(c->norm);
	}
	free(c->norm_of);
	free(c->preamble);
	free(c->boundary);
	free(c->epilogue);
	memset(c, 0, sizeof(*c));
}

/* " value" as stored raw; an empty value gets no space. */
static char *
raw_value(const char *v)
{
	struct vf_buf b = { 0 };

	if (*v != '\0')
		vf_buf_addc(&b, ' ');
	vf_buf_adds(&b, v);
	return vf_buf_take(&b, NULL);
}

static void
one_line(const char *what, const char *name, const char *v)
{
	if (v == NULL || strpbrk(v, "\r\n") != NULL)
		errx(EX_SOFTWARE, "%s: %s: %s", what, name, v == NULL ?
		    "no value" : "value with a line break");
}

static void
hdr_append(struct vf_kv **h, size_t *n, const char *name, const char *v)
{
	*h = vf_reallocarray(*h, *n + 1, sizeof(**h));
	(*h)[*n].name = vf_strdup(name);
	(*h)[*n].value = raw_value(v);
	(*n)++;
}

/* Control characters become spaces; at most max bytes, whole UTF-8. */
static char *
clean_line(const char *s, size_t max)
{
	char *p;
	size_t n, i;

	n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	p = vf_strndup(s, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			p[i] = ' ';
	return p;
}

/*
 * Content-Description, so that a mail reader's attachment menu names each
 * part: encoded words where the text is not printable ASCII (RFC 2047).
 */
static void
describe_append(struct vf_kv **h, size_t *n, const char *text)
{
	struct vf_buf b = { 0 };
	char *t = clean_line(text, MAX_EVENT);

	vf_buf_addc(&b, ' ');
	vf_hdr_encode(&b, t, sizeof("Content-Description:"));
	free(t);
	*h = vf_reallocarray(*h, *n + 1, sizeof(**h));
	(*h)[*n].name = vf_strdup("Content-Description");
	(*h)[*n].value = vf_buf_take(&b, NULL);
	(*n)++;
}

/* What a part of this role is, for a person in a mail reader. */
static void
describe_default(struct vf_buf *d, const char *role, const struct vf_kv *x,
    size_t nx)
{
	const struct vf_kv *party, *check, *by, *when, *orig, *name, *disp;
	char *fn;

	disp = vf_kv_find(x, nx, "Content-Disposition");
	party = vf_kv_find(x, nx, "Vf-Party");
	check = vf_kv_find(x, nx, "Vf-Party-Check");
	by = vf_kv_find(x, nx, "Vf-Proposed-By");
	when = vf_kv_find(x, nx, "Vf-Received");
	orig = vf_kv_find(x, nx, "Vf-Original");
	name = vf_kv_find(x, nx, "Vf-Filename");
	if (strcmp(role, VF_PART_FIELDS) == 0)
		vf_buf_adds(d, "the report's fields");
	else if (strcmp(role, VF_PART_HISTORY) == 0)
		vf_buf_adds(d, "the case's history");
	else if (strcmp(role, VF_PART_REPORT) == 0)
		vf_buf_adds(d, "the report");
	else if (strcmp(role, VF_PART_UNPROTECTED) == 0)
		vf_buf_adds(d, "text found outside the protected report, not "
		    "part of it");
	else if (strcmp(role, VF_PART_FOLLOWUP) == 0) {
		vf_buf_adds(d, "follow-up");
		if (party != NULL)
			vf_buf_printf(d, " from the %s", party->value);
		/* A mismatch is part of who it is from (intake.c). */
		if (party != NULL && check != NULL &&
		    strcmp(check->value, "ok") != 0)
			vf_buf_printf(d, " (%s)", check->value);
		if (when != NULL)
			vf_buf_printf(d, ", %s", when->value);
	} else if (strcmp(role, VF_PART_PROPOSAL) == 0) {
		vf_buf_adds(d, "fields proposed, not taken");
		if (by != NULL)
			vf_buf_printf(d, ", by %s", by->value);
		if (when != NULL)
			vf_buf_printf(d, ", %s", when->value);
	} else if (strcmp(role, VF_PART_ORIGINAL) == 0) {
		/* Its file name first: a reader's menu cuts what follows. */
		if (disp != NULL && (fn = vf_hdr_param(disp->value,
		    "filename")) != NULL) {
			vf_buf_printf(d, "%s, ", fn);
			free(fn);
		}
		vf_buf_adds(d, orig != NULL && strcmp(orig->value,
		    "as-received") == 0 ? "the mail as received (ciphertext)" :
		    "the mail as received, encrypted to the office key");
	}
	else if (strcmp(role, VF_PART_NOTE) == 0)
		vf_buf_adds(d, "a note by the office");
	else if (strcmp(role, VF_PART_NORMALIZED) == 0)
		vf_buf_adds(d, "the fields in NFKC, for search (made from "
		    "them)");
	else if (strcmp(role, "attachment") == 0 && name != NULL)
		vf_buf_printf(d, "attachment %s", name->value);
	else
		vf_buf_adds(d, role);
}

static void
add_text_part(struct vf_case *c, const char *role)
{
	struct vf_buf d = { 0 };
	struct vf_cpart *p;

	c->part = vf_reallocarray(c->part, c->npart + 1, sizeof(*c->part));
	p = &c->part[c->npart++];
	memset(p, 0, sizeof(*p));
	hdr_append(&p->hdr, &p->nhdr, "Content-Type",
	    "text/plain; charset=utf-8");
	hdr_append(&p->hdr, &p->nhdr, "Content-Transfer-Encoding", "8bit");
	hdr_append(&p->hdr, &p->nhdr, "Content-Disposition", "inline");
	describe_default(&d, role, NULL, 0);
	describe_append(&p->hdr, &p->nhdr, d.p);
	vf_buf_free(&d);
	hdr_append(&p->hdr, &p->nhdr, "Vf-Part", role);
}

/* RFC 5322 date in UTC, with English names whatever the locale. */
static void
rfc5322_date(char *buf, size_t size, time_t t)
{
	static const char *const day[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		errx(EX_SOFTWARE, "vf_case_init: bad date");
	if (snprintf(buf, size, "%s, %d %s %04d %02d:%02d:%02d +0000",
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec) >= (int)size)
		errx(EX_SOFTWARE, "vf_case_init: date too long");
}

void
vf_case_init(struct vf_case *c, const char *id, const char *subject,
    time_t date)
{
	struct vf_buf s = { 0 };
	char buf[128], bnd[MAX_BOUNDARY + 1], *subj;
	const char *t;
	size_t n;

	memset(c, 0, sizeof(*c));
	if (!vf_id_valid(id))
		errx(EX_SOFTWARE, "vf_case_init: bad case id");
	rfc5322_date(buf, sizeof(buf), date != 0 ? date : vf_now());
	hdr_append(&c->hdr, &c->nhdr, "Date", buf);
	hdr_append(&c->hdr, &c->nhdr, "From", "vf <vf@localhost>");

	subj = clean_line(subject != NULL ? subject : "", MAX_SUBJECT);
	for (n = strlen(subj); n > 0 && subj[n - 1] == ' '; n--)
		subj[n - 1] = '\0';
	t = subj + strspn(subj, " ");
	vf_buf_printf(&s, " [VF#%s]", id);
	if (*t != '\0') {
		vf_buf_addc(&s, ' ');
		/* "Subject:" plus what is written so far. */
		vf_hdr_encode(&s, t, 8 + s.len);
	}
	free(subj);
	c->hdr = vf_reallocarray(c->hdr, c->nhdr + 1, sizeof(*c->hdr));
	c->hdr[c->nhdr].name = vf_strdup("Subject");
	c->hdr[c->nhdr].value = vf_buf_take(&s, NULL);
	c->nhdr++;

	if (snprintf(buf, sizeof(buf), "<vf.%s@vf.invalid>", id) >=
	    (int)sizeof(buf))
		errx(EX_SOFTWARE, "vf_case_init: id too long");
	hdr_append(&c->hdr, &c->nhdr, "Message-ID", buf);
	hdr_append(&c->hdr, &c->nhdr, "MIME-Version", "1.0");
	make_boundary(id, bnd, sizeof(bnd));
	c->boundary = vf_strdup(bnd);
	c->hdr = vf_reallocarray(c->hdr, c->nhdr + 1, sizeof(*c->hdr));
	c->hdr[c->nhdr].name = vf_strdup("Content-Type");
	c->hdr[c->nhdr].value = ctype_value(bnd);
	c->nhdr++;
	hdr_append(&c->hdr, &c->nhdr, "Vf-Id", id);
	c->preamble = vf_strdup(PREAMBLE);
	add_text_part(c, VF_PART_FIELDS);
	add_text_part(c, VF_PART_HISTORY);
}

const char *
vf_case_get(const struct vf_case *c, const char *name)
{
	size_t i, n;

	if (c->arena == NULL)
		return hdr_find(c->hdr, c->nhdr, name);
	/*
	 * A head case's header is in place in its arena (rd_str): its value
	 * starts past the NUL over the colon that ends its name, so that
	 * the name's length is told without reading it, and only a name of
	 * the length asked for is compared (and only if its first bytes
	 * agree but for ASCII case). The whole-tree tools ask every case
	 * for headers most lack.
	 */
	n = strlen(name);
	for (i = 0; i < c->nhdr; i++)
		if ((size_t)(c->hdr[i].value - c->hdr[i].name) == n + 1 &&
		    ((c->hdr[i].name[0] ^ name[0]) & ~0x20) == 0 &&
		    strcasecmp(c->hdr[i].name, name) == 0)
			return vf_hdr_value(&c->hdr[i]);
	return NULL;
}

/*
 * The boundary lives in Content-Type; a caller must not change it under
 * the writer's feet.
 */
void
vf_case_set(struct vf_case *c, const char *name, const char *value)
{
	size_t i;

	writable(c, "vf_case_set");
	if (!hdr_name_valid(name) || strcasecmp(name, "Content-Type") == 0)
		errx(EX_SOFTWARE, "vf_case_set: bad header name %s",
		    name != NULL ? name : "(null)");
	one_line("vf_case_set", name, value);
	for (i = 0; i < c->nhdr; i++)
		if (strcasecmp(c->hdr[i].name, name) == 0) {
			free(c->hdr[i].value);
			c->hdr[i].value = raw_value(value);
			return;
		}
	hdr_append(&c->hdr, &c->nhdr, name, value);
}

const char *
vf_case_field(const struct vf_case *c, const char *name)
{
	size_t i, n;

	/* Field names are the table's, exactly: no case folding here. */
	if (c->arena == NULL) {
		for (i = 0; i < c->nfield; i++)
			if (strcmp(c->field[i].name, name) == 0)
				return c->field[i].value;
		return NULL;
	}
	/* A head case's value starts past the name's NUL and the blank
	   (parse_fields_arena): names of another length are not read. */
	n = strlen(name);
	for (i = 0; i < c->nfield; i++)
		if ((size_t)(c->field[i].value - c->field[i].name) == n + 2 &&
		    strcmp(c->field[i].name, name) == 0)
			return c->field[i].value;
	return NULL;
}

void
vf_case_field_set(struct vf_case *c, const char *name, const char *value)
{
	size_t i;

	writable(c, "vf_case_field_set");
	if (name == NULL || !field_name_valid(name, strlen(name)))
		errx(EX_SOFTWARE, "vf_case_field_set: bad field name %s",
		    name != NULL ? name : "(null)");
	if (value == NULL)
		errx(EX_SOFTWARE, "vf_case_field_set: %s: no value", name);
	c->norm_unmade = 0;
	for (i = 0; i < c->nfield; i++)
		if (strcmp(c->field[i].name, name) == 0) {
			free(c->field[i].value);
			c->field[i].value = vf_strdup(value);
			return;
		}
	c->field = vf_reallocarray(c->field, c->nfield + 1,
	    sizeof(*c->field));
	c->field[c->nfield].name = vf_strdup(name);
	c->field[c->nfield].value = vf_strdup(value);
	c->nfield++;
}

void
vf_case_field_del(struct vf_case *c, const char *name)
{
	size_t i, k;

	writable(c, "vf_case_field_del");
	c->norm_unmade = 0;
	for (i = k = 0; i < c->nfield; i++) {
		if (strcmp(c->field[i].name, name) == 0) {
			free(c->field[i].name);
			free(c->field[i].value);
		} else
			c->field[k++] = c->field[i];
	}
	c->nfield = k;
}

void
vf_case_history(struct vf_case *c, const char *tool, const char *fmt, ...)
{
	struct vf_buf e = { 0 }, t = { 0 };
	char when[32], *line;
	const char *p;
	va_list ap;

	writable(c, "vf_case_history");
	va_start(ap, fmt);
	vf_buf_vprintf(&t, fmt, ap);
	va_end(ap);

	vf_timestamp(when, sizeof(when), 0);
	vf_buf_printf(&e, "%s %s ", when, vf_user());
	for (p = tool != NULL && *tool != '\0' ? tool : "vf"; *p != '\0'; p++)
		vf_buf_addc(&e, (unsigned char)*p <= ' ' || *p == 0x7f ?
		    '_' : *p);
	vf_buf_add(&e, ": ", 2);
	vf_buf_add(&e, t.p, t.len);
	vf_buf_free(&t);
	line = clean_line(e.p, MAX_EVENT);
	vf_buf_free(&e);
	c->hist = vf_reallocarray(c->hist, c->nhist + 1, sizeof(*c->hist));
	c->hist[c->nhist++] = line;
}

/* Pick boundaries until none occurs in the case; Content-Type follows. */
static void
new_boundary(struct vf_case *c)
{
	struct vf_buf fb = { 0 }, hb = { 0 };
	char bnd[MAX_BOUNDARY + 1];
	size_t i;

	gen_fields(c, &fb);
	gen_history(c, &hb);
	do
		make_boundary(vf_case_get(c, "Vf-Id"), bnd, sizeof(bnd));
	while (any_collides(c, &fb, &hb, bnd));
	vf_buf_free(&fb);
	vf_buf_free(&hb);
	free(c->boundary);
	c->boundary = vf_strdup(bnd);
	for (i = 0; i < c->nhdr; i++)
		if (strcasecmp(c->hdr[i].name, "Content-Type") == 0) {
			free(c->hdr[i].value);
			c->hdr[i].value = ctype_value(bnd);
			return;
		}
	c->hdr = vf_reallocarray(c->hdr, c->nhdr + 1, sizeof(*c->hdr));
	c->hdr[c->nhdr].name = vf_strdup("Content-Type");
	c->hdr[c->nhdr].value = ctype_value(bnd);
	c->nhdr++;
}

/*
 * own: 0 copy the body, 1 take the caller's malloc'ed body, 2 point at
 * the caller's body.
 */
static struct vf_cpart *
add_part(struct vf_case *c, const char *role, const char *ctype,
    const struct vf_kv *extra, size_t nextra, char *body, size_t len,
    int own)
{
	struct vf_buf d = { 0 };
	struct vf_cpart *p;
	size_t i;

	writable(c, "vf_case_add_part");
	if (role == NULL || !hdr_name_valid(role) ||
	    strcmp(role, VF_PART_FIELDS) == 0 ||
	    strcmp(role, VF_PART_HISTORY) == 0)
		errx(EX_SOFTWARE, "vf_case_add_part: bad role %s",
		    role != NULL ? role : "(null)");
	one_line("vf_case_add_part", "Content-Type", ctype);
	for (i = 0; i < nextra; i++) {
		if (!hdr_name_valid(extra[i].name) ||
		    strcasecmp(extra[i].name, "Content-Type") == 0 ||
		    strcasecmp(extra[i].name, "Vf-Part") == 0)
			errx(EX_SOFTWARE, "vf_case_add_part: bad header name "
			    "%s", extra[i].name != NULL ? extra[i].name :
			    "(null)");
		one_line("vf_case_add_part", extra[i].name, extra[i].value);
	}
	if (body == NULL) {
		len = 0;
		if (own == 2)
			body = (char *)"";
	}
	c->part = vf_reallocarray(c->part, c->npart + 1, sizeof(*c->part));
	p = &c->part[c->npart++];
	memset(p, 0, sizeof(*p));
	hdr_append(&p->hdr, &p->nhdr, "Content-Type", ctype);
	for (i = 0; i < nextra; i++)
		if (strcasecmp(extra[i].name, "Content-Description") == 0)
			describe_append(&p->hdr, &p->nhdr, extra[i].value);
		else
			hdr_append(&p->hdr, &p->nhdr, extra[i].name,
			    extra[i].value);
	/* The caller's own description, else the role's. */
	if (vf_kv_find(extra, nextra, "Content-Description") == NULL) {
		describe_default(&d, role, extra, nextra);
		describe_append(&p->hdr, &p->nhdr, d.p);
		vf_buf_free(&d);
	}
	hdr_append(&p->hdr, &p->nhdr, "Vf-Part", role);
	if (own == 1 && body != NULL)
		p->body = body;
	else if (own == 2) {
		p->body = body;
		p->ref = 1;
	} else {
		p->body = vf_malloc(len + 1);
		if (len > 0)
			memcpy(p->body, body, len);
		p->body[len] = '\0';
	}
	p->len = len;
	if (c->boundary == NULL || collides(p->body, p->len, c->boundary,
	    strlen(c->boundary)))
		new_boundary(c);
	return p;
}

struct vf_cpart *
vf_case_add_part(struct vf_case *c, const char *role, const char *ctype,
    const struct vf_kv *extra, size_t nextra, const char *body, size_t len)
{
	return add_part(c, role, ctype, extra, nextra, (char *)body, len, 0);
}

struct vf_cpart *
vf_case_add_part_take(struct vf_case *c, const char *role, const char *ctype,
    const struct vf_kv *extra, size_t nextra, char *body, size_t len)
{
	return add_part(c, role, ctype, extra, nextra, body, len, 1);
}

void
vf_case_part_take(struct vf_case *c, size_t part, char *body, size_t len)
{
	struct vf_cpart *p;

	writable(c, "vf_case_part_take");
	if (part >= c->npart || c->arena != NULL)
		errx(EX_SOFTWARE, "vf_case_part_take: no part %zu", part);
	p = &c->part[part];
	if (!p->ref)
		free(p->body);
	p->ref = 0;
	if (body == NULL) {
		body = vf_malloc(1);
		body[0] = '\0';
		len = 0;
	}
	p->body = body;
	p->len = len;
	if (c->boundary == NULL || collides(p->body, p->len, c->boundary,
	    strlen(c->boundary)))
		new_boundary(c);
}

struct vf_cpart *
vf_case_add_part_ref(struct vf_case *c, const char *role, const char *ctype,
    const struct vf_kv *extra, size_t nextra, const char *body, size_t len)
{
	return add_part(c, role, ctype, extra, nextra, (char *)body, len, 2);
}

const char *
vf_cpart_get(const struct vf_cpart *p, const char *name)
{
	return hdr_find(p->hdr, p->nhdr, name);
}

/*
 * One more top header of that name, after the others (Vf-Notice is one
 * header per notice, appended, never replaced). Same checks as
 * vf_case_set.
 */
void
vf_case_add(struct vf_case *c, const char *name, const char *value)
{
	writable(c, "vf_case_add");
	if (!hdr_name_valid(name) || strcasecmp(name, "Content-Type") == 0)
		errx(EX_SOFTWARE, "vf_case_add: bad header name %s",
		    name != NULL ? name : "(null)");
	one_line("vf_case_add", name, value);
	hdr_append(&c->hdr, &c->nhdr, name, value);
}

/* Remove every top header of that name (any case); Content-Type stays. */
void
vf_case_del(struct vf_case *c, const char *name)
{
	size_t i, k;

	writable(c, "vf_case_del");
	if (strcasecmp(name, "Content-Type") == 0)
		errx(EX_SOFTWARE, "vf_case_del: Content-Type");
	for (i = k = 0; i < c->nhdr; i++) {
		if (strcasecmp(c->hdr[i].name, name) == 0) {
			free(c->hdr[i].name);
			free(c->hdr[i].value);
			continue;
		}
		c->hdr[k++] = c->hdr[i];
	}
	c->nhdr = k;
}

/*
 * Is the last history line "TIME USER TOOL: TEXT"? A tool that saves a
 * case with its history line and then moves it, killed in between, finds
 * the case where it was with the line already written: run again, it
 * only makes the move, and the history says the change once.
 */
int
vf_case_history_last(const struct vf_case *c, const char *tool,
    const char *text)
{
	const char *l;
	size_t n, tl = strlen(tool), xl = strlen(text);

	if (c->nhist == 0)
		return 0;
	l = c->hist[c->nhist - 1];
	n = strlen(l);
	if (n < tl + xl + 3)
		return 0;
	l += n - (tl + xl + 3);
	return l[0] == ' ' && strncmp(l + 1, tool, tl) == 0 &&
	    strncmp(l + 1 + tl, ": ", 2) == 0 && strcmp(l + 3 + tl, text) == 0;
}
