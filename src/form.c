/*
 * The form parser: finds a report's fields in its decoded text by the
 * labels of the field table.  Reporters fill the forms in carelessly
 * (full-width colons, numbered and unnumbered labels, values on the next
 * line, checkboxes as ■/□ or [x]), so labels are matched on a normalised
 * copy of each line; the rules are documented at the top of share/fields.
 *
 * Cost is linear in the text: each line is normalised once (at most
 * NORM_MAX bytes of it), and its label is found by hashing its prefixes
 * incrementally, looking up only where a separator could follow, and
 * giving up as soon as no label begins with what was read (most lines of
 * a long report are no label lines).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

#define NORM_MAX	1024	/* bytes of a line normalised for matching */
#define YESNO_MAX	4096	/* longer "answers" are kept as written */
#define HEADING_MAX	96	/* a section heading is a short line */
#define PREFIX_ROUNDS	8	/* "> 1. 【" and the like, bounded */

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u
#define PFX_DEPTH	16	/* label prefixes kept in the filter, bytes */
#define PFX_BITS	32768	/* the filter's size in bits, a power of two */

struct label {
	char		*s;		/* normalised */
	size_t		 len;
	uint32_t	 h;
	size_t		 field;
	enum vf_format	 format;
	int		 ascii;
};

struct index {
	struct label	*lab;
	size_t		 nlab;
	size_t		*slot;		/* label index + 1; 0 is empty */
	size_t		 nslot;		/* a power of two */
	size_t		 maxlen;
	enum vf_format	 fmt;		/* of the field being added */
	char		*mem;		/* the normalised labels, one block */
	size_t		 used;
	/*
	 * Hashes of the labels' first PFX_DEPTH prefixes, as a Bloom
	 * filter: a line whose prefix is not in it starts no label.
	 */
	uint8_t		 pfx[PFX_BITS / 8];
};

/* A line normalised for matching. */
struct nline {
	char		 n[NORM_MAX + 1];
	char		 tmp[NORM_MAX + 1];
	size_t		 len;
	int		 trunc;		/* the line goes on past n */
};

enum mode { M_NONE, M_ALL, M_PARA, M_FIRST, M_YESNO };

struct state {
	const struct vf_fields	*t;
	struct vf_buf		*val;	/* per field */
	char			*done;	/* per field: has its value */
	size_t			 cur;	/* field being read, if mode */
	enum mode		 mode;
	int			 quote;	/* quote depth of its label line */
	int			 content;
	int			 inlined; /* first line was on the label line */
};

/* Section headings (normalised) that end a value read over many lines. */
static const char *const headings[] = {
	"届出者情報", "届出者に関する情報", "届出者について",
	"届出者情報の取扱い", "届出者情報の取り扱い", "脆弱性関連情報",
	"脆弱性情報", "脆弱性に関する情報", "脆弱性について",
	"製品に関する情報", "ウェブサイトに関する情報",
	"他組織への届出について", "他機関への届出について", "届出状況",
	"今後の連絡について", "今後の連絡", "今後のご連絡について",
	"連絡について", "連絡方法", "同意事項", "reporter",
	"reporter information",
	"about the reporter", "about you", "your details", "the vulnerability",
	"vulnerability", "vulnerability information", "other organisations",
	"other organizations", "reports to other organisations",
	"reports to other organizations", "future contact", "contact",
	"consent", "how we may use your details",
	"handling of reporter information"
};

/* ---- UTF-8 and normalisation ------------------------------------------ */

/* Decode one code point; returns its length, or 0 if malformed. */
static size_t
u8dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k, i;
	uint32_t c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		k = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		k = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		k = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((k == 2 && c < 0x80) || (k == 3 && c < 0x800) ||
	    (k == 4 && c < 0x10000) || c > 0x10ffff)
		return 0;
	*cp = c;
	return k;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Eight bytes at p, ASCII letters lowercased if fold; 0 if any of them is
 * not ASCII (or is NUL, which a word of eight NULs would be confused with).
 * Byte-wise arithmetic on one 64-bit word: no byte carries into the next,
 * for every byte is below 0x80 before an addition.
 */
static uint64_t
ascii8(const unsigned char *p, int fold)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t w, up;

	memcpy(&w, p, 8);
	if ((w & high) != 0 || ((w - ones) & ~w & high) != 0)
		return 0;
	if (!fold)
		return w;
	/* High bit set in the bytes from 'A' to 'Z'. */
	up = (w + ones * (0x80 - 'A')) & ~(w + ones * (0x7f - 'Z')) & high;
	return w | up >> 2;
}

/*
 * Normalise up to max output bytes of s: full-width ASCII to ASCII, the
 * ideographic space to a space, ASCII lowercased if fold. The output is never
 * longer than the input, and each output character comes from one whole
 * input character. Returns the output length; *used the input bytes
 * consumed.
 */
static size_t
normalise(const char *s, size_t n, char *out, size_t max, size_t *used,
    int fold)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k, j;
	uint64_t w;
	uint32_t cp;

	while (i < n && o < max) {
		if (u[i] < 0x80) {
			/* ASCII, the usual case: eight bytes at a time. */
			while (n - i >= 8 && max - o >= 8 &&
			    (w = ascii8(u + i, fold)) != 0) {
				memcpy(out + o, &w, 8);
				o += 8;
				i += 8;
			}
			while (i < n && o < max && u[i] < 0x80) {
				out[o++] = (char)(fold ? lower(u[i]) : u[i]);
				i++;
			}
			continue;
		}
		/* Three bytes, as Japanese text is: decoded here, no call. */
		if ((u[i] & 0xf0) == 0xe0 && n - i >= 3 &&
		    (u[i + 1] & 0xc0) == 0x80 && (u[i + 2] & 0xc0) == 0x80 &&
		    (cp = (uint32_t)(u[i] & 0x0f) << 12 |
		    (uint32_t)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f)) >=
		    0x800)
			k = 3;
		else if ((k = u8dec(u + i, n - i, &cp)) == 0) {
			out[o++] = (char)u[i++];
			continue;
		}
		if ((cp >= 0xff01 && cp <= 0xff5e) || cp == 0x3000) {
			out[o++] = cp == 0x3000 ? ' ' : (char)(fold ?
			    lower((int)(cp - 0xfee0)) : (int)(cp - 0xfee0));
			i += k;
			continue;
		}
		if (o + k > max)
			break;
		for (j = 0; j < k; j++)
			out[o++] = (char)u[i++];
	}
	out[o] = '\0';
	*used = i;
	return o;
}

static void
nline_set(struct nline *nl, const char *s, size_t n)
{
	size_t used;

	nl->len = normalise(s, n, nl->n, NORM_MAX, &used, 1);
	nl->trunc = used < n;
}

/*
 * Where in the line s the normalised offset pos comes from. Asked once
 * per label line, instead of keeping an offset for every byte of every
 * line: normalising again up to pos stops exactly there, for pos is
 * always at the start of a character (after a separator or a space).
 */
static size_t
nline_src(struct nline *nl, const char *s, size_t n, size_t pos)
{
	size_t used;

	(void)normalise(s, n, nl->tmp, pos, &used, 1);
	return used;
}

/* Does the normalised text at p start with lit? Returns its length. */
static size_t
at(const char *p, size_t n, const char *lit)
{
	size_t k;

	/* Most tries fail on the first byte: no strlen for them. */
	if (n == 0 || *p != *lit)
		return 0;
	k = strlen(lit);
	return k <= n && memcmp(p, lit, k) == 0 ? k : 0;
}

static int
isws(int c)
{
	return c == ' ' || c == '\t';
}

static int
isdigit_(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalnum_(int c)
{
	return isdigit_(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int	box_at(const char *, size_t, size_t *);
static int	answer_at(const char *, size_t, size_t *);

/* ---- the label index --------------------------------------------------- */

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = FNV_OFFSET;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * FNV_PRIME;
	return h;
}

static const struct label *
lookup(const struct index *ix, uint32_t h, const char *s, size_t n)
{
	size_t i, m = ix->nslot - 1;
	const struct label *l;

	for (i = h & m; ix->slot[i] != 0; i = (i + 1) & m) {
		l = &ix->lab[ix->slot[i] - 1];
		if (l->h == h && l->len == n && memcmp(l->s, s, n) == 0)
			return l;
	}
	return NULL;
}

static size_t
pfx_bit(uint32_t h)
{
	return (h ^ h >> 17) & (PFX_BITS - 1);
}

static int
pfx_has(const struct index *ix, uint32_t h)
{
	size_t b = pfx_bit(h);

	return ix->pfx[b / 8] & (1 << (b % 8));
}

static void
index_add(struct index *ix, const char *label, size_t field)
{
	struct label *l;
	size_t i, n, used, m;
	uint32_t h;
	char *s;

	n = strlen(label);
	s = ix->mem + ix->used;
	n = normalise(label, n, s, n, &used, 1);
	if (n == 0 || lookup(ix, hash(s, n), s, n) != NULL)
		/* The same label in both languages ("URL", "E-mail"). */
		return;
	ix->used += n + 1;
	for (h = FNV_OFFSET, i = 0; i < n && i < PFX_DEPTH; i++) {
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
		ix->pfx[pfx_bit(h) / 8] |= 1 << (pfx_bit(h) % 8);
	}
	l = &ix->lab[ix->nlab];
	l->s = s;
	l->len = n;
	l->h = hash(s, n);
	l->field = field;
	l->format = ix->fmt;
	l->ascii = 1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			l->ascii = 0;
	if (n > ix->maxlen)
		ix->maxlen = n;
	m = ix->nslot - 1;
	for (i = l->h & m; ix->slot[i] != 0; i = (i + 1) & m)
		;
	ix->slot[i] = ++ix->nlab;
}

/*
 * Labels the parser may act on: never a status field (the office sets
 * those; a reporter writing "公表日:" must not publish a case), and when the
 * kind is known only the fields of that kind, so that "URL:" in the steps
 * to reproduce of a software report stays part of the steps.
 */
static int
recognised(const struct vf_field *f, int kind)
{
	if (f->class == VF_CLASS_STATUS)
		return 0;
	return kind == 0 || (f->kinds & kind) != 0;
}

static void
index_build(struct index *ix, const struct vf_fields *t, int kind)
{
	size_t i, j, total = 0, bytes = 0;

	memset(ix, 0, sizeof(*ix));
	for (i = 0; i < t->n; i++) {
		if (!recognised(&t->f[i], kind))
			continue;
		total += t->f[i].nja + t->f[i].nen;
		/* Normalising never makes a label longer. */
		for (j = 0; j < t->f[i].nja; j++)
			bytes += strlen(t->f[i].ja[j]) + 1;
		for (j = 0; j < t->f[i].nen; j++)
			bytes += strlen(t->f[i].en[j]) + 1;
	}
	ix->mem = vf_malloc(bytes + 1);
	ix->lab = vf_calloc(total + 1, sizeof(*ix->lab));
	for (ix->nslot = 16; ix->nslot < 2 * total + 2; ix->nslot *= 2)
		;
	ix->slot = vf_calloc(ix->nslot, sizeof(*ix->slot));
	for (i = 0; i < t->n; i++) {
		if (!recognised(&t->f[i], kind))
			continue;
		ix->fmt = t->f[i].format;
		for (j = 0; j < t->f[i].nja; j++)
			index_add(ix, t->f[i].ja[j], i);
		for (j = 0; j < t->f[i].nen; j++)
			index_add(ix, t->f[i].en[j], i);
	}
}

static void
index_free(struct index *ix)
{
	free(ix->mem);
	free(ix->lab);
	free(ix->slot);
}

/* ---- reading a line ---------------------------------------------------- */

static const char *const bullets[] = {
	"\xe3\x83\xbb",		/* ・ */
	"\xef\xbd\xa5",		/* ･ */
	"\xe2\x80\xa2",		/* • */
	"\xe2\x97\x8f",		/* ● */
	"\xe2\x97\x8b",		/* ○ */
	"\xe2\x97\x86",		/* ◆ */
	"\xe2\x97\x87",		/* ◇ */
	"\xe2\x96\xa0",		/* ■ */
	"\xe2\x96\xa1",		/* □ */
	"\xe2\x96\xbc",		/* ▼ */
	"\xe2\x96\xbd",		/* ▽ */
	"\xe2\x96\xb6",		/* ▶ */
	"\xe2\x96\xba",		/* ► */
	"\xe2\x98\x85",		/* ★ */
	"\xe2\x98\x86",		/* ☆ */
	"\xe2\x97\x8e",		/* ◎ */
	"*", "+", "-"
};

/* Numbering at p: "1." "1)" "1]" "1、" "1-2." "2.1 " "(1)" "(a)" "(ア)" "①". */
static size_t
numbering(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k, groups = 0, d;
	uint32_t cp;

	if (n >= 3 && p[0] == '(') {
		if (isdigit_(u[1])) {
			for (i = 1; i < n && i < 4 && isdigit_(u[i]); i++)
				;
		} else if (u[1] >= 'a' && u[1] <= 'z')
			i = 2;
		else if ((k = u8dec(u + 1, n - 1, &cp)) > 1)
			i = 1 + k;
		return i > 1 && i < n && p[i] == ')' ? i + 1 : 0;
	}
	if ((k = u8dec(u, n, &cp)) > 1) {
		/* ①-⑳ ⑴-⒇ ⒈-⒛, ❶-➓, Ⅰ-ⅿ */
		if ((cp >= 0x2460 && cp <= 0x249b) ||
		    (cp >= 0x2776 && cp <= 0x2793) ||
		    (cp >= 0x2160 && cp <= 0x217f))
			return k + (k < n && p[k] == '.');
		return 0;
	}
	if (u[0] >= 'a' && u[0] <= 'z' && n >= 2 && p[1] == ')')
		return 2;
	for (;;) {
		for (d = 0; i < n && d < 4 && isdigit_(u[i]); i++, d++)
			;
		if (d == 0 || d > 3)
			return 0;
		if (i + 1 < n && (p[i] == '.' || p[i] == '-') &&
		    isdigit_(u[i + 1])) {
			i++;
			groups++;
			continue;
		}
		break;
	}
	if (i < n && (p[i] == '.' || p[i] == ')' || p[i] == ']'))
		return i + 1;
	if ((k = at(p + i, n - i, "\xe3\x80\x81")) != 0)	/* 、 */
		return i + k;
	/* "2.1 氏名": a dotted number without a closing mark. */
	if (groups > 0 && i < n && isws(p[i]))
		return i;
	return 0;
}

/*
 * Skip what may stand before a label: spaces, quote markers, bullets,
 * numbering, an opening bracket. Returns the position of the label;
 * *quote gets the number of quote markers in front.
 */
static size_t
strip_prefix(const struct nline *nl, int *quote)
{
	const char *n = nl->n;
	size_t p = 0, k, i, len = nl->len;
	int r, moved;

	*quote = 0;
	for (; p < len && (isws(n[p]) || n[p] == '>'); p++)
		if (n[p] == '>')
			(*quote)++;
	for (r = 0; r < PREFIX_ROUNDS; r++) {
		moved = 0;
		while (p < len && (isws(n[p]) || n[p] == '#')) {
			p++;
			moved = 1;
		}
		for (i = 0; i < sizeof(bullets) / sizeof(bullets[0]); i++)
			if ((k = at(n + p, len - p, bullets[i])) != 0) {
				p += k;
				moved = 1;
				break;
			}
		if ((k = numbering(n + p, len - p)) != 0) {
			p += k;
			moved = 1;
		}
		if (p < len && (n[p] == '[' || n[p] == '<')) {
			p++;
			moved = 1;
		} else if ((k = at(n + p, len - p, "\xe3\x80\x90")) != 0 ||
		    (k = at(n + p, len - p, "\xe3\x80\x8c")) != 0) {
			/* 【 「 */
			p += k;
			moved = 1;
		}
		if (!moved)
			break;
	}
	while (p < len && isws(n[p]))
		p++;
	return p;
}

/* Could a separator start at i (so that a label may end there)? */
static int
boundary(const struct nline *nl, size_t i)
{
	const char *n = nl->n;

	if (i == nl->len)
		return !nl->trunc;
	switch (n[i]) {
	case ' ': case '\t': case ':': case '=': case '-': case ']':
	case '>': case '(': case ')': case '?':
	case '\0':	/* as strchr(":=-]>()?", c) had it */
		return 1;
	}
	return at(n + i, nl->len - i, "\xe3\x80\x91") ||		/* 】 */
	    at(n + i, nl->len - i, "\xe3\x80\x8d");		/* 」 */
}

/*
 * After an ASCII label and one space, does the rest look like a value of
 * the field ("URL https://...", "Email a@example.com"), rather than prose
 * that happens to begin with the label's word ("Type the URL")?
 */
static int
shaped(const char *v, size_t n, enum vf_format format)
{
	size_t i;

	switch (format) {
	case VF_FMT_URL:
		return at(v, n, "http://") || at(v, n, "https://");
	case VF_FMT_EMAIL:
		for (i = 0; i < n && !isws(v[i]); i++)
			if (v[i] == '@')
				return i > 0;
		return 0;
	case VF_FMT_PHONE:
		return n > 0 && (isdigit_(v[0]) || v[0] == '+');
	case VF_FMT_CWE:
		return at(v, n, "cwe-") != 0;
	case VF_FMT_DATE:
		return n >= 4 && isdigit_(v[0]) && isdigit_(v[1]) &&
		    isdigit_(v[2]) && isdigit_(v[3]);
	case VF_FMT_YESNO:
		return box_at(v, n, &i) >= 0 || answer_at(v, n, NULL) >= 0;
	default:
		return 0;
	}
}

/*
 * Is what follows a label at i a separator? Returns where the value
 * starts, or -1.
 */
static long
separator(const struct nline *nl, size_t i, const struct label *l)
{
	const char *n = nl->n;
	size_t j = i, len = nl->len, k, ws = 0;
	int tab = 0, paren = 0;

again:
	for (; j < len && isws(n[j]); j++, ws++)
		if (n[j] == '\t')
			tab = 1;
	if (j == len)
		return nl->trunc && ws == 0 ? -1 : (long)j;
	if (n[j] == '(' && !paren) {
		/* A hint: "電話番号（任意）：", "Phone (optional):" */
		for (k = j + 1; k < len && n[k] != ')'; k++)
			;
		if (k == len)
			return -1;
		j = k + 1;
		paren = 1;
		ws = 0;
		goto again;
	}
	if (n[j] == ':' || n[j] == '=' || n[j] == ']' || n[j] == '>' ||
	    n[j] == ')' || n[j] == '?')
		j++;
	else if ((k = at(n + j, len - j, "\xe3\x80\x91")) != 0 ||
	    (k = at(n + j, len - j, "\xe3\x80\x8d")) != 0)
		j += k;
	else if (n[j] == '-' && (ws > 0 || j + 1 == len || isws(n[j + 1])))
		j++;
	else if (paren)
		return (long)j;
	else if (ws > 0 && (!l->ascii || tab || ws >= 2 ||
	    shaped(n + j, len - j, l->format)))
		return (long)j;
	else
		return -1;
	/* "【氏名】：", "Name :- x" */
	while (j < len && isws(n[j]))
		j++;
	if (j < len && (n[j] == ':' || n[j] == '='))
		j++;
	while (j < len && isws(n[j]))
		j++;
	return (long)j;
}

/*
 * Find the longest label at the start of the normalised line. Returns the
 * field's label, with *vpos the normalised position of the value.
 */
static const struct label *
find_label(const struct index *ix, const struct nline *nl, size_t start,
    size_t *vpos)
{
	const struct label *l, *best = NULL;
	size_t i, end;
	uint32_t h = FNV_OFFSET;
	long v;

	end = nl->len - start > ix->maxlen ? start + ix->maxlen : nl->len;
	for (i = start; i <= end; i++) {
		if (i > start && boundary(nl, i) &&
		    (l = lookup(ix, h, nl->n + start, i - start)) != NULL &&
		    (v = separator(nl, i, l)) >= 0) {
			best = l;
			*vpos = (size_t)v;
		}
		if (i < end) {
			h = (h ^ (unsigned char)nl->n[i]) * FNV_PRIME;
			/* No label starts so: none is any longer either. */
			if (i + 1 - start <= PFX_DEPTH && !pfx_has(ix, h))
				break;
		}
	}
	return best;
}

static int
is_heading(const struct nline *nl, size_t start)
{
	const char *n = nl->n + start;
	size_t len = nl->len - start, i, k;
	int more = 1;

	if (nl->trunc || len > HEADING_MAX)
		return 0;
	while (more && len > 0) {
		more = 0;
		if (isws(n[len - 1]) || strchr(":]>)", n[len - 1]) != NULL) {
			len--;
			more = 1;
		} else if (len >= 3 && (memcmp(n + len - 3, "\xe3\x80\x91",
		    3) == 0 || memcmp(n + len - 3, "\xe3\x80\x8d", 3) == 0)) {
			len -= 3;
			more = 1;
		}
	}
	for (i = 0; i < sizeof(headings) / sizeof(headings[0]); i++) {
		if (headings[i][0] != n[0])
			continue;
		k = strlen(headings[i]);
		if (k == len && memcmp(n, headings[i], k) == 0)
			return 1;
	}
	return 0;
}

/* A rule ("-----", "=====", "─────") or a signature delimiter ("-- "). */
static int
is_break(const struct nline *nl)
{
	const char *n = nl->n;
	size_t i, marks = 0;

	if (nl->trunc)
		return 0;
	if (nl->len >= 2 && nl->len <= 3 && memcmp(n, "--", 2) == 0 &&
	    (nl->len == 2 || n[2] == ' '))
		return 1;
	for (i = 0; i < nl->len; ) {
		if (isws(n[i])) {
			i++;
			continue;
		}
		if (strchr("-=_*~+#", n[i]) != NULL) {
			i++;
			marks++;
			continue;
		}
		/* U+2500-U+257F box drawing, U+2015 ―, U+30FC ー */
		if (i + 3 <= nl->len &&
		    (((unsigned char)n[i] == 0xe2 &&
		    ((unsigned char)n[i + 1] == 0x94 ||
		    (unsigned char)n[i + 1] == 0x95)) ||
		    at(n + i, nl->len - i, "\xe2\x80\x95") != 0 ||
		    at(n + i, nl->len - i, "\xe3\x83\xbc") != 0)) {
			i += 3;
			marks++;
			continue;
		}
		return 0;
	}
	return marks >= 3;
}

/*
 * A closing line ("以上", "よろしくお願いします。", "Thanks,", "Best regards")
 * ends the value being read, so that the greeting and signature after the
 * last answer do not become part of it (reporter details in a field that
 * is published later).
 */
static int
is_closing(const struct nline *nl, size_t start)
{
	static const char *const exact[] = {
		"thanks", "thank you", "many thanks", "thanks in advance",
		"thank you in advance", "regards", "best regards",
		"kind regards", "best wishes", "best", "cheers", "sincerely",
		"yours sincerely", "yours faithfully", "以上", "以上です"
	};
	static const char *const lead[] = {
		"以上、", "以上,", "よろしくお願い", "宜しくお願い",
		"どうぞよろしく", "何卒よろしく", "thanks,", "thank you,",
		"regards,", "best regards,", "kind regards,", "sincerely,"
	};
	const char *n = nl->n + start;
	size_t len = nl->len - start, i, k;

	if (nl->trunc || len > 80)
		return 0;
	while (len > 0 && isws(n[len - 1]))
		len--;
	for (i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
		if (at(n, len, lead[i]) != 0)
			return 1;
	if (len > 0 && strchr(",.!", n[len - 1]) != NULL)
		len--;
	else if (len >= 3 && memcmp(n + len - 3, "\xe3\x80\x82", 3) == 0)
		len -= 3;					/* 。 */
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		if (exact[i][0] != n[0])
			continue;
		k = strlen(exact[i]);
		if (k == len && memcmp(n, exact[i], k) == 0)
			return 1;
	}
	return 0;
}

/* ---- yes and no -------------------------------------------------------- */

#define W_YES		0x1
#define W_WHOLE		0x2	/* only as the whole answer */
#define W_SUFFIX	0x4	/* also at the end of a short answer */

static const struct word {
	const char	*w;
	int		 flags;
} words[] = {
	{ "はい", W_YES }, { "可", W_YES }, { "許可", W_YES },
	{ "許可する", W_YES | W_SUFFIX }, { "許可します", W_YES | W_SUFFIX },
	{ "希望", W_YES }, { "希望する", W_YES | W_SUFFIX },
	{ "希望します", W_YES | W_SUFFIX }, { "要", W_YES }, { "必要", W_YES },
	{ "要する", W_YES }, { "同意", W_YES },
	{ "同意する", W_YES | W_SUFFIX }, { "同意します", W_YES | W_SUFFIX },
	{ "あり", W_YES }, { "有", W_YES }, { "有り", W_YES },
	{ "あります", W_YES }, { "する", W_YES }, { "します", W_YES },
	{ "問題ない", W_YES | W_SUFFIX }, { "問題なし", W_YES | W_SUFFIX },
	{ "問題ありません", W_YES | W_SUFFIX },
	{ "構いません", W_YES | W_SUFFIX },
	{ "かまいません", W_YES | W_SUFFIX },
	{ "yes", W_YES }, { "y", W_YES | W_WHOLE }, { "agree", W_YES },
	{ "agreed", W_YES }, { "ok", W_YES }, { "okay", W_YES },
	{ "true", W_YES }, { "required", W_YES }, { "sure", W_YES },
	{ "accept", W_YES }, { "allowed", W_YES },
	{ "いいえ", 0 }, { "不可", W_SUFFIX }, { "許可しない", W_SUFFIX },
	{ "許可しません", W_SUFFIX }, { "希望しない", W_SUFFIX },
	{ "希望しません", W_SUFFIX }, { "不要", W_SUFFIX },
	{ "必要ない", W_SUFFIX }, { "必要なし", W_SUFFIX }, { "不必要", 0 },
	{ "要らない", 0 }, { "同意しない", W_SUFFIX },
	{ "同意しません", W_SUFFIX }, { "なし", W_SUFFIX },
	{ "無し", W_SUFFIX }, { "無", 0 }, { "ない", 0 },
	{ "ありません", W_SUFFIX }, { "しない", 0 }, { "しません", 0 },
	{ "特になし", W_SUFFIX }, { "特に無し", W_SUFFIX },
	{ "no", 0 }, { "n", W_WHOLE }, { "disagree", 0 }, { "none", 0 },
	{ "false", 0 }, { "not required", 0 }
};

/* Characters that may follow an answer or precede the next one. */
static size_t
wordbreak(const char *p, size_t n)
{
	static const char *const cjk[] = {
		"\xe3\x80\x81", "\xe3\x80\x82", "\xe3\x83\xbb", "\xe3\x80\x8c",
		"\xe3\x80\x8d", "\xe3\x80\x8e", "\xe3\x80\x8f", "\xe3\x80\x90",
		"\xe3\x80\x91", "\xe3\x80\x9c", "\xe2\x96\xa0", "\xe2\x96\xa1",
		"\xe2\x98\x91", "\xe2\x98\x90", "\xe2\x98\x92", "\xe2\x9c\x93",
		"\xe2\x9c\x94", "\xe2\x97\x8f", "\xe2\x97\x8b", "\xe2\x97\x89",
		"\xe2\x97\xaf", "\xe2\x86\x92", "\xe3\x81\xa7\xe3\x81\x99"
	};	/* 、。・「」『』【】〜 ■□☑☐☒✓✔●○◉◯ → です */
	size_t i, k;

	if (n == 0)
		return 0;
	if ((unsigned char)p[0] < 0x80)
		return isalnum_(p[0]) ? 0 : 1;
	for (i = 0; i < sizeof(cjk) / sizeof(cjk[0]); i++)
		if ((k = at(p, n, cjk[i])) != 0)
			return k;
	return 0;
}

/*
 * The longest answer at p followed by a break: its flags, and its length
 * in *len (if not NULL); -1 if none.
 */
static int
answer_at(const char *p, size_t n, size_t *len)
{
	size_t i, k, best = 0;
	int flags = -1;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if ((k = at(p, n, words[i].w)) == 0 || k <= best)
			continue;
		if (words[i].flags & W_WHOLE)
			continue;
		if (k < n && wordbreak(p + k, n - k) == 0)
			continue;
		best = k;
		flags = words[i].flags;
	}
	if (len != NULL)
		*len = best;
	return flags;
}

/* A box at p: 1 marked, 0 unmarked, -1 not a box; *len its length. */
static int
box_at(const char *p, size_t n, size_t *len)
{
	static const char *const marked[] = {
		"\xe2\x96\xa0", "\xe2\x98\x91", "\xe2\x98\x92", "\xe2\x9c\x93",
		"\xe2\x9c\x94", "\xe2\x97\x8f", "\xe2\x97\x89"
	};	/* ■ ☑ ☒ ✓ ✔ ● ◉ */
	static const char *const empty[] = {
		"\xe2\x96\xa1", "\xe2\x98\x90", "\xe2\x97\x8b", "\xe2\x97\xaf"
	};	/* □ ☐ ○ ◯ */
	static const char *const marks[] = {
		"x", "*", "v", "\xc3\x97", "\xe2\x9c\x93", "\xe2\x9c\x94",
		"\xe2\x96\xa0", "\xe2\x97\x8f"
	};	/* x * v × ✓ ✔ ■ ● */
	size_t i, j, k;
	char close;
	int m = 0;

	for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++)
		if ((*len = at(p, n, marked[i])) != 0)
			return 1;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		if ((*len = at(p, n, empty[i])) != 0)
			return 0;
	if (n < 2 || (p[0] != '[' && p[0] != '('))
		return -1;
	close = p[0] == '[' ? ']' : ')';
	for (j = 1; j < n && isws(p[j]); j++)
		;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if ((k = at(p + j, n - j, marks[i])) != 0) {
			j += k;
			m = 1;
			break;
		}
	for (; j < n && isws(p[j]); j++)
		;
	if (j < n && p[j] == close) {
		*len = j + 1;
		return m;
	}
	return -1;
}

static size_t
trim_answer(const char *t, size_t n)
{
	for (;;) {
		if (n > 0 && (isws(t[n - 1]) || t[n - 1] == '.' ||
		    t[n - 1] == '!'))
			n--;
		else if (n >= 3 && memcmp(t + n - 3, "\xe3\x80\x82", 3) == 0)
			n -= 3;					/* 。 */
		else if (n >= 6 && memcmp(t + n - 6,
		    "\xe3\x81\xa7\xe3\x81\x99", 6) == 0)	/* です */
			n -= 6;
		else
			break;
	}
	return n;
}

/* "yes", "no", or NULL to keep the text as written. */
static const char *
yesno(const char *v, size_t vlen)
{
	char *t;
	size_t n, i, k, used, end, start, best;
	int yes = 0, no = 0, unk = 0, empty = 0, m, a = 0, brk = 1;
	const char *r = NULL;

	if (vlen > YESNO_MAX)
		return NULL;
	t = vf_malloc(vlen + 1);
	n = normalise(v, vlen, t, vlen, &used, 1);
	/* Boxes first: a marked box wins over any word. */
	for (i = 0; i < n; ) {
		if ((m = box_at(t + i, n - i, &k)) < 0) {
			i++;
			continue;
		}
		i += k;
		if (m == 0) {
			empty++;
			continue;
		}
		while (i < n && isws(t[i]))
			i++;
		if ((a = answer_at(t + i, n - i, NULL)) < 0)
			unk++;
		else if (a & W_YES)
			yes++;
		else
			no++;
	}
	if (yes + no + unk > 0) {
		if (unk == 0 && (yes > 0) != (no > 0))
			r = yes ? "yes" : "no";
		goto out;
	}
	if (empty > 0)
		goto out;
	/* No boxes: the answer words, if they agree. */
	for (start = 0; start < n && isws(t[start]); start++)
		;
	end = trim_answer(t, n);
	if (end == start + 1 && (t[start] == 'y' || t[start] == 'n')) {
		r = t[start] == 'y' ? "yes" : "no";
		goto out;
	}
	for (i = start; i < end; ) {
		if (brk && (a = answer_at(t + i, end - i, &k)) >= 0) {
			/* Past it: "not required" is not also "required". */
			if (a & W_YES)
				yes++;
			else
				no++;
			i += k;
			brk = 0;
			continue;
		}
		if ((k = wordbreak(t + i, end - i)) != 0) {
			brk = 1;
			i += k;
		} else {
			brk = 0;
			i++;
		}
	}
	/* "届出なし", "公開を希望しない": a short answer ending in one. */
	if (end - start <= 60) {
		best = 0;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			k = strlen(words[i].w);
			if ((words[i].flags & W_SUFFIX) && k > best &&
			    k <= end - start &&
			    memcmp(t + end - k, words[i].w, k) == 0) {
				best = k;
				a = words[i].flags;
			}
		}
		if (best > 0 && (a & W_YES))
			yes++;
		else if (best > 0)
			no++;
	}
	if ((yes > 0) != (no > 0))
		r = yes ? "yes" : "no";
out:
	free(t);
	return r;
}

/* ---- values ------------------------------------------------------------ */

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (isws(s[i]) || s[i] == '\r')
			continue;
		if (n - i >= 3 && memcmp(s + i, "\xe3\x80\x80", 3) == 0) {
			i += 2;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Append without NUL bytes (a value is a C string). */
static void
add_clean(struct vf_buf *b, const char *s, size_t n)
{
	const char *z;

	while (n > 0 && (z = memchr(s, '\0', n)) != NULL) {
		vf_buf_add(b, s, (size_t)(z - s));
		n -= (size_t)(z - s) + 1;
		s = z + 1;
	}
	vf_buf_add(b, s, n);
}

/* Trim white space (ASCII, U+3000) and blank lines at both ends. */
static void
trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;

	for (;;) {
		if (len > 0 && (isws(*p) || *p == '\n' || *p == '\r')) {
			p++;
			len--;
		} else if (len >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) {
			p += 3;
			len -= 3;
		} else
			break;
	}
	for (;;) {
		if (len > 0 && (isws(p[len - 1]) || p[len - 1] == '\n' ||
		    p[len - 1] == '\r'))
			len--;
		else if (len >= 3 && memcmp(p + len - 3, "\xe3\x80\x80",
		    3) == 0)
			len -= 3;
		else
			break;
	}
	*s = p;
	*n = len;
}

/*
 * Remove the indentation all lines share (the forms indent answers), from
 * every line but the first when that one stood on the label line.
 */
static void
dedent(struct vf_buf *b, int skipfirst)
{
	const char *p, *end = b->p + b->len, *e, *w;
	char *o;
	size_t common = SIZE_MAX, k, i;
	const char *ref = NULL;

	p = b->p;
	if (skipfirst) {
		if ((p = memchr(p, '\n', b->len)) == NULL)
			return;
		p++;
	}
	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		for (w = p; w < e && (isws(*w) || (e - w >= 3 &&
		    memcmp(w, "\xe3\x80\x80", 3) == 0)); w += isws(*w) ? 1 : 3)
			;
		if (w == e)
			continue;		/* blank lines do not count */
		if (ref == NULL) {
			ref = p;
			common = (size_t)(w - p);
			continue;
		}
		for (k = 0; k < common && k < (size_t)(w - p) &&
		    p[k] == ref[k]; k++)
			;
		common = k;
	}
	if (ref == NULL || common == 0 || common == SIZE_MAX)
		return;
	/* The common prefix may end inside a U+3000: back up to its start. */
	while (common > 0 && ((unsigned char)ref[common] & 0xc0) == 0x80)
		common--;
	p = o = b->p;
	if (skipfirst) {
		e = memchr(p, '\n', b->len);
		o = (char *)e + 1;
		p = e + 1;
	}
	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		/* Lines that are not blank all begin with the common prefix. */
		i = blank(p, (size_t)(e - p)) ? (size_t)(e - p) : common;
		memmove(o, p + i, (size_t)(e - p) - i);
		o += (e - p) - (ptrdiff_t)i;
		if (e < end)
			*o++ = '\n';
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

static void
finish(struct state *st)
{
	struct vf_buf *b;
	const struct vf_field *f;
	const char *s, *yn;
	char *t;
	size_t n, used;

	if (st->mode == M_NONE)
		return;
	b = &st->val[st->cur];
	f = &st->t->f[st->cur];
	st->mode = M_NONE;
	if (f->format == VF_FMT_TEXT && b->len > 0)
		dedent(b, st->inlined);
	s = b->p != NULL ? b->p : "";
	n = b->len;
	trim(&s, &n);
	if (n == 0) {
		/* Left empty: a later label may still give it a value. */
		b->len = 0;
		return;
	}
	if (f->format == VF_FMT_YESNO && (yn = yesno(s, n)) != NULL) {
		b->len = 0;
		vf_buf_adds(b, yn);
	} else if (f->format == VF_FMT_EMAIL || f->format == VF_FMT_PHONE ||
	    f->format == VF_FMT_URL || f->format == VF_FMT_DATE ||
	    f->format == VF_FMT_CWE) {
		/* "０３－５５５５" is meant as ASCII where ASCII is wanted. */
		t = vf_malloc(n + 1);
		n = normalise(s, n, t, n, &used, 0);
		memcpy(b->p, t, n);
		b->len = n;
		b->p[n] = '\0';
		free(t);
	} else {
		memmove(b->p, s, n);
		b->len = n;
		b->p[n] = '\0';
	}
	st->done[st->cur] = 1;
}

static void
begin(struct state *st, size_t field, const char *v, size_t vlen, int quote)
{
	const struct vf_field *f = &st->t->f[field];
	struct vf_buf *b = &st->val[field];

	finish(st);
	st->cur = field;
	st->quote = quote;
	b->len = 0;
	trim(&v, &vlen);
	add_clean(b, v, vlen);
	st->content = st->inlined = vlen > 0;
	if (f->format == VF_FMT_TEXT)
		st->mode = vlen > 0 ? M_PARA : M_ALL;
	else if (vlen > 0) {
		st->mode = M_FIRST;
		finish(st);
	} else
		st->mode = f->format == VF_FMT_YESNO ? M_YESNO : M_FIRST;
}

/* A line of the value being read. */
static void
more(struct state *st, const char *s, size_t n)
{
	struct vf_buf *b = &st->val[st->cur];
	size_t i;
	int q;

	/* Lose the quote markers the label line had. */
	for (q = 0; q < st->quote; q++) {
		for (i = 0; i < n && s[i] == ' '; i++)
			;
		if (i == n || s[i] != '>')
			break;
		s += i + 1;
		n -= i + 1;
		if (n > 0 && s[0] == ' ') {
			s++;
			n--;
		}
	}
	while (n > 0 && (isws(s[n - 1]) || s[n - 1] == '\r'))
		n--;
	if (blank(s, n)) {
		if (st->mode == M_PARA || (st->mode == M_YESNO && st->content))
			finish(st);
		else if (st->mode == M_ALL && st->content)
			vf_buf_addc(b, '\n');
		return;
	}
	if (st->mode == M_FIRST) {
		add_clean(b, s, n);
		finish(st);
		return;
	}
	if (st->content)
		vf_buf_addc(b, '\n');
	add_clean(b, s, n);
	st->content = 1;
}

/* ---- the kind ---------------------------------------------------------- */

static const struct {
	const char	*phrase;	/* normalised, spaces removed */
	int		 kind;
} kind_phrases[] = {
	/* The vendor's subject contains text like the software one: first. */
	{ "製品開発者による脆弱性関連情報の届出", VF_KIND_VENDOR },
	{ "自社製品に関する脆弱性関連情報の届出", VF_KIND_VENDOR },
	{ "vendorvulnerabilityreport", VF_KIND_VENDOR },
	{ "ウェブアプリケーション脆弱性関連情報の届出", VF_KIND_WEB },
	{ "ウエブアプリケーション脆弱性関連情報の届出", VF_KIND_WEB },
	{ "webapplicationvulnerabilityreport", VF_KIND_WEB },
	{ "ソフトウエア製品脆弱性関連情報の届出", VF_KIND_SOFTWARE },
	{ "ソフトウェア製品脆弱性関連情報の届出", VF_KIND_SOFTWARE },
	{ "softwarevulnerabilityreport", VF_KIND_SOFTWARE }
};

static int
kind_of(const char *s, size_t n)
{
	char *t;
	size_t i, j, used;
	int kind = 0;

	t = vf_malloc(n + 1);
	n = normalise(s, n, t, n, &used, 1);
	for (i = j = 0; i < n; i++)
		if (!isws(t[i]))
			t[j++] = t[i];
	t[j] = '\0';
	for (i = 0; i < sizeof(kind_phrases) / sizeof(kind_phrases[0]); i++)
		if (strstr(t, kind_phrases[i].phrase) != NULL) {
			kind = kind_phrases[i].kind;
			break;
		}
	free(t);
	return kind;
}

int
vf_form_kind_subject(const char *subject)
{
	if (subject == NULL)
		return 0;
	return kind_of(subject, strlen(subject));
}

/* The first line of the text that names a kind, as the forms' title does. */
static int
kind_of_text(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *e;
	size_t n;
	int kind;

	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		n = (size_t)(e - p) > NORM_MAX ? NORM_MAX : (size_t)(e - p);
		if (n >= 20 && (kind = kind_of(p, n)) != 0)
			return kind;
	}
	return 0;
}

/* ---- the parser -------------------------------------------------------- */

void
vf_form_free(struct vf_form *form)
{
	size_t i;

	if (form == NULL)
		return;
	for (i = 0; i < form->n; i++) {
		free(form->v[i].name);
		free(form->v[i].value);
	}
	free(form->v);
	form->v = NULL;
	form->n = 0;
}

static int
has(const struct vf_form *form, const char *name)
{
	size_t i;

	for (i = 0; i < form->n; i++)
		if (strcmp(form->v[i].name, name) == 0)
			return 1;
	return 0;
}

static int
filled(const struct state *st, size_t field)
{
	return st->done[field] || (st->mode != M_NONE && st->cur == field &&
	    st->content);
}

size_t
vf_form_parse(struct vf_form *form, const struct vf_fields *t,
    const char *text, size_t len)
{
	struct state st;
	struct index ix;
	struct nline *nl;
	const struct label *l;
	const char *p, *end, *e;
	size_t start, vpos, i, f;
	int quote;

	vf_form_free(form);
	if (t == NULL || t->n == 0 || text == NULL)
		return 0;
	if (form->kind == 0)
		form->kind = kind_of_text(text, len);
	index_build(&ix, t, form->kind);
	memset(&st, 0, sizeof(st));
	st.t = t;
	st.val = vf_calloc(t->n, sizeof(*st.val));
	st.done = vf_calloc(t->n, 1);
	nl = vf_malloc(sizeof(*nl));

	for (p = text, end = text + len; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		nline_set(nl, p, (size_t)(e - p));
		start = strip_prefix(nl, &quote);
		if (ix.nlab > 0 &&
		    (l = find_label(&ix, nl, start, &vpos)) != NULL &&
		    !filled(&st, l->field)) {
			i = nline_src(nl, p, (size_t)(e - p), vpos);
			begin(&st, l->field, p + i, (size_t)(e - p) - i, quote);
			continue;
		}
		if (is_break(nl) || is_heading(nl, start) ||
		    is_closing(nl, start)) {
			finish(&st);
			continue;
		}
		if (st.mode != M_NONE)
			more(&st, p, (size_t)(e - p));
	}
	finish(&st);

	for (f = 0; f < t->n; f++)
		if (st.done[f])
			form->n++;
	form->v = form->n > 0 ? vf_calloc(form->n, sizeof(*form->v)) : NULL;
	for (f = i = 0; f < t->n; f++) {
		if (st.done[f]) {
			form->v[i].name = vf_strdup(t->f[f].name);
			form->v[i++].value = vf_buf_take(&st.val[f], NULL);
		}
		vf_buf_free(&st.val[f]);
	}
	if (form->kind == 0) {
		if (has(form, "web.url"))
			form->kind = VF_KIND_WEB;
		else if (has(form, "product.name"))
			form->kind = VF_KIND_SOFTWARE;
	}
	free(nl);
	free(st.val);
	free(st.done);
	index_free(&ix);
	return form->n;
}
