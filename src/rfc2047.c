/*
 * Header encodings: RFC 2047 encoded words both ways, RFC 2045/2231
 * parameters. Decoding is lenient, because mailers are not: encoded words
 * inside quoted strings and words, raw 8-bit header bytes, ISO-2022-JP and
 * UTF-8 characters split across adjacent words. Encoding is strict.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* An RFC 2047 token character (the charset of an encoded word). */
static int
is_token(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\"/[]?=", c) == NULL;
}

struct word {
	const char	*cs;		/* charset, with any *lang */
	size_t		 csl;
	int		 enc;		/* 'b' or 'q' */
	const char	*text;
	size_t		 textl;
	size_t		 len;		/* of the whole word */
};

/* Is there a well-formed encoded word at s (which starts with "=?")? */
static int
parse_word(const char *s, struct word *w)
{
	const char *p = s + 2, *t;

	w->cs = p;
	while (is_token((unsigned char)*p) || *p == '*')
		p++;
	w->csl = (size_t)(p - w->cs);
	if (w->csl == 0 || p[0] != '?' || p[1] == '\0' || p[2] != '?')
		return 0;
	w->enc = lower((unsigned char)p[1]);
	if (w->enc != 'b' && w->enc != 'q')
		return 0;
	t = w->text = p + 3;
	while (*t > 0x20 && *t < 0x7f && *t != '?')
		t++;
	if (t[0] != '?' || t[1] != '=')
		return 0;
	w->textl = (size_t)(t - w->text);
	if (w->enc == 'b') {
		for (p = w->text; p < t; p++)
			if (vf_b64val((unsigned char)*p) < 0 && *p != '=')
				return 0;
	}
	w->len = (size_t)(t + 2 - s);
	return 1;
}

/*
 * The bytes of adjacent encoded words in one charset are joined before
 * conversion: mailers split ISO-2022-JP and UTF-8 characters between
 * words, and some even split the base64 between words, so the base64
 * state carries over too until padding ends it.
 */
struct pend {
	struct vf_buf	 b;
	const char	*cs;
	size_t		 csl;
	unsigned long	 acc;
	int		 q;		/* base64 sextets held in acc */
};

static void
b64_end(struct pend *pd)
{
	if (pd->q == 2)
		vf_buf_addc(&pd->b, (int)(pd->acc >> 4) & 0xff);
	else if (pd->q == 3) {
		vf_buf_addc(&pd->b, (int)(pd->acc >> 10) & 0xff);
		vf_buf_addc(&pd->b, (int)(pd->acc >> 2) & 0xff);
	}
	pd->q = 0;
	pd->acc = 0;
}

/*
 * Control characters become spaces: a line end would break the header
 * the text ends up in, and an escape left over from a broken ISO-2022-JP
 * word would change what the text means when it is encoded again.
 */
static void
add_text(struct vf_buf *o, const char *s, size_t n)
{
	size_t i, start = o->len;
	unsigned char c;

	vf_buf_add(o, s, n);
	for (i = start; i < o->len; i++) {
		c = (unsigned char)o->p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			o->p[i] = ' ';
	}
}

static void
flush(struct vf_buf *o, struct pend *pd)
{
	char cs[80], *u;
	size_t ul, l;

	if (pd->cs == NULL)
		return;
	b64_end(pd);
	l = pd->csl < sizeof(cs) ? pd->csl : sizeof(cs) - 1;
	memcpy(cs, pd->cs, l);
	cs[l] = '\0';
	u = vf_to_utf8(pd->b.p ? pd->b.p : "", pd->b.len, cs, &ul, NULL);
	add_text(o, u, ul);
	free(u);
	pd->b.len = 0;
	pd->cs = NULL;
}

static int
same_cs(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i;

	/* "utf-8*ja" and "UTF-8" are one charset. */
	for (i = 0; i < al; i++)
		if (a[i] == '*')
			al = i;
	for (i = 0; i < bl; i++)
		if (b[i] == '*')
			bl = i;
	if (al != bl)
		return 0;
	for (i = 0; i < al; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static void
decode_word(struct pend *pd, const struct word *w)
{
	const unsigned char *t = (const unsigned char *)w->text;
	size_t i;
	int v, h, l;

	vf_buf_grow(&pd->b, w->textl);
	if (w->enc == 'b') {
		for (i = 0; i < w->textl; i++) {
			if (t[i] == '=') {
				b64_end(pd);
				continue;
			}
			v = vf_b64val(t[i]);
			pd->acc = (pd->acc << 6) | (unsigned long)v;
			if (++pd->q == 4) {
				vf_buf_addc(&pd->b, (int)(pd->acc >> 16) & 0xff);
				vf_buf_addc(&pd->b, (int)(pd->acc >> 8) & 0xff);
				vf_buf_addc(&pd->b, (int)pd->acc & 0xff);
				pd->q = 0;
				pd->acc = 0;
			}
		}
		return;
	}
	b64_end(pd);
	for (i = 0; i < w->textl; i++) {
		if (t[i] == '_')
			vf_buf_addc(&pd->b, ' ');
		else if (t[i] == '=' && i + 2 < w->textl &&
		    (h = vf_hexval(t[i + 1])) >= 0 &&
		    (l = vf_hexval(t[i + 2])) >= 0) {
			vf_buf_addc(&pd->b, h << 4 | l);
			i += 2;
		} else
			vf_buf_addc(&pd->b, t[i]);
	}
}

/* Raw text between encoded words: unfolded, 8-bit bytes converted. */
static void
add_raw(struct vf_buf *o, const char *s, size_t n, const char *rawcs)
{
	struct vf_buf t = { NULL, 0, 0 };
	char *u;
	size_t i, ul;
	int hi = 0;

	vf_buf_grow(&t, n);
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (s[i] == '\n' && i + 1 < n && is_wsp((unsigned char)s[i + 1]))
			continue;
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0x1b)
			hi = 1;
		vf_buf_addc(&t, s[i]);
	}
	if (hi) {
		u = vf_to_utf8(t.p, t.len, rawcs, &ul, NULL);
		add_text(o, u, ul);
		free(u);
	} else
		add_text(o, t.p, t.len);
	vf_buf_free(&t);
}

char *
vf_hdr_decode(const char *s)
{
	struct vf_buf o = { NULL, 0, 0 };
	struct pend pd;
	struct word w;
	const char *p, *raw, *rawcs = NULL, *q;
	char *g;
	size_t n;
	int hi = 0, ctl = 0, prev = 0, ws;

	if (s == NULL)
		return vf_strdup("");
	n = strlen(s);
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80 || *p == 0x1b)
			hi = 1;
		else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			ctl = 1;
	}
	if (!hi && !ctl && strstr(s, "=?") == NULL)
		return vf_strdup(s);
	if (hi) {
		/*
		 * Raw 8-bit bytes carry no label: guess once from all of
		 * them, so that short runs between words are read alike.
		 */
		g = vf_to_utf8(s, n, NULL, NULL, &rawcs);
		free(g);
	}
	memset(&pd, 0, sizeof(pd));
	vf_buf_grow(&o, n);
	o.p[0] = '\0';
	raw = s;
	for (p = s; *p != '\0'; ) {
		/* By hand: strstr from each word on is quadratic under ASan. */
		if (p[0] != '=' || p[1] != '?' || !parse_word(p, &w)) {
			p++;
			continue;
		}
		/* Only white space between two encoded words is dropped. */
		ws = 1;
		for (q = raw; q < p; q++)
			if (!is_wsp((unsigned char)*q) && *q != '\n' &&
			    *q != '\r')
				ws = 0;
		if (!(prev && ws)) {
			flush(&o, &pd);
			add_raw(&o, raw, (size_t)(p - raw), rawcs);
		}
		if (pd.cs != NULL && !same_cs(pd.cs, pd.csl, w.cs, w.csl))
			flush(&o, &pd);
		if (pd.cs == NULL) {
			pd.cs = w.cs;
			pd.csl = w.csl;
		}
		decode_word(&pd, &w);
		p += w.len;
		raw = p;
		prev = 1;
	}
	flush(&o, &pd);
	add_raw(&o, raw, strlen(raw), rawcs);
	vf_buf_free(&pd.b);
	return vf_buf_take(&o, NULL);
}

/*
 * A header value as a person reads it: decoded, on one line, controls
 * made spaces (vf_oneline). A value of printable ASCII with no "=?" is
 * that already (the tools' own subjects, most mail's): copied as it is,
 * without the decoder's passes.
 */
char *
vf_hdr_oneline(const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return vf_oneline(vf_strdup(""));
	for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
		if (p[0] == '=' && p[1] == '?')
			break;
	if (*p == '\0')
		return vf_strdup(s);
	return vf_oneline(vf_hdr_decode(s));
}

/*
 * Encoding. A word of printable ASCII that cannot be mistaken for an
 * encoded word, and fits on a folded line, stays as it is; a run of other
 * words becomes encoded words, with the white space between its words
 * inside them (a decoder drops white space between encoded words).
 */
#define LINEMAX		78
#define EW_OVERHEAD	12		/* "=?UTF-8?B?" "?=" */
#define EW_TEXTMAX	60		/* base64 chars: a word stays <= 75 */

static int
plain_word(const char *s, size_t n)
{
	size_t i;

	if (n > LINEMAX - 1)
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
		if (s[i] == '=' && i + 1 < n && s[i + 1] == '?')
			return 0;
	}
	return 1;
}

static void
b64_put(struct vf_buf *b, const unsigned char *s, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned long v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 |
		    s[i + 2];
		vf_buf_addc(b, a[v >> 18 & 63]);
		vf_buf_addc(b, a[v >> 12 & 63]);
		vf_buf_addc(b, a[v >> 6 & 63]);
		vf_buf_addc(b, a[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned long)s[i] << 16;
		vf_buf_addc(b, a[v >> 18 & 63]);
		vf_buf_addc(b, a[v >> 12 & 63]);
		vf_buf_adds(b, "==");
	} else if (n - i == 2) {
		v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8;
		vf_buf_addc(b, a[v >> 18 & 63]);
		vf_buf_addc(b, a[v >> 12 & 63]);
		vf_buf_addc(b, a[v >> 6 & 63]);
		vf_buf_addc(b, '=');
	}
}

/* Length of the (UTF-8) character at s, never more than n, at least 1. */
static size_t
charlen(const unsigned char *s, size_t n)
{
	size_t l = 1;

	if (s[0] >= 0xc0) {
		while (l < n && l < 4 && (s[l] & 0xc0) == 0x80)
			l++;
	}
	return l;
}

/* Base64 bytes that fit in avail columns of encoded word text. */
static size_t
fit(size_t avail)
{
	if (avail > EW_TEXTMAX)
		avail = EW_TEXTMAX;
	return avail / 4 * 3;
}

/* Whole characters of s that fit in max bytes. */
static size_t
whole(const unsigned char *s, size_t n, size_t max)
{
	size_t take, l;

	for (take = 0; take < n; take += l) {
		l = charlen(s + take, n - take);
		if (take + l > max)
			break;
	}
	return take;
}

/*
 * Emit the white space sep before an item itemw wide, folding if the item
 * would pass LINEMAX (or if fold is set). A fold is a line end put before
 * white space, anywhere in a run of it, so unfolding gives sep back: as
 * much of sep as the item leaves room for goes on the item's line (at
 * least one character), the rest before the line end.
 */
static void
put_sep(struct vf_buf *b, size_t *col, const char *sep, size_t sepl,
    size_t itemw, int fold)
{
	size_t last, rest, room, x, k = 0;

	if (!fold && *col + sepl + itemw <= LINEMAX) {
		vf_buf_add(b, sep, sepl);
		*col += sepl;
		return;
	}
	last = itemw < LINEMAX ? LINEMAX - itemw : 1;
	if (last > sepl)
		last = sepl;
	for (rest = sepl - last; rest > 0; rest -= x, k += x) {
		room = *col < LINEMAX ? LINEMAX - *col : 0;
		if (room == 0) {
			vf_buf_addc(b, '\n');
			*col = 0;
			room = LINEMAX;
		}
		x = rest < room ? rest : room;
		vf_buf_add(b, sep + k, x);
		*col += x;
	}
	vf_buf_addc(b, '\n');
	vf_buf_add(b, sep + k, last);
	*col = last;
}

/*
 * Emit the run s as encoded words, the first after sep (empty at the start
 * of the value), the others after a space, folding where a line would
 * pass LINEMAX.
 */
static void
put_run(struct vf_buf *b, size_t *col, const char *sep, size_t sepl,
    const unsigned char *s, size_t n)
{
	size_t take, l;

	while (n > 0) {
		l = *col + sepl + EW_OVERHEAD;
		take = whole(s, n, l < LINEMAX ? fit(LINEMAX - l) : 0);
		if ((take > 0 && (take == n || take >= 6)) ||
		    (sepl == 0 && *col <= 1)) {
			if (take == 0)
				take = charlen(s, n);
			put_sep(b, col, sep, sepl, 0, 0);
		} else {
			/* Rather than a sliver at the end of a line, fold. */
			if (sepl == 0) {
				/* At the start: readers trim what this adds. */
				sep = " ";
				sepl = 1;
			}
			take = whole(s, n, fit(LINEMAX - 1 - EW_OVERHEAD));
			if (take == 0)
				take = charlen(s, n);
			put_sep(b, col, sep, sepl, EW_OVERHEAD +
			    (take + 2) / 3 * 4, 1);
		}
		vf_buf_adds(b, "=?UTF-8?B?");
		l = b->len;
		b64_put(b, s, take);
		*col += EW_OVERHEAD + (b->len - l);
		vf_buf_adds(b, "?=");
		s += take;
		n -= take;
		sep = " ";
		sepl = 1;
	}
}

static int
plain_at(const char *s, size_t a, size_t z, size_t lead, size_t tail,
    size_t n)
{
	return plain_word(s + a, z - a) && !(a == lead && lead > 0) &&
	    !(z == tail && tail < n);
}

void
vf_hdr_encode(struct vf_buf *b, const char *str, size_t used)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, lead, tail, i, e, j, e2, rs, re, prev, sepl, col = used;
	int first;

	vf_buf_add(b, "", 0);
	if (str == NULL || *str == '\0')
		return;
	n = strlen(str);
	for (lead = 0; lead < n && is_wsp(s[lead]); lead++)
		;
	if (lead == n) {
		put_run(b, &col, "", 0, s, n);
		return;
	}
	for (tail = n; is_wsp(s[tail - 1]); tail--)
		;
	/*
	 * White space at either end would be trimmed by any reader, so it
	 * goes into an encoded word with the word beside it (plain_at).
	 */
	prev = 0;
	first = 1;
	for (i = lead; i < tail; ) {
		for (e = i; e < tail && !is_wsp(s[e]); e++)
			;
		sepl = first ? 0 : i - prev;
		if (plain_at(str, i, e, lead, tail, n)) {
			if (sepl > 0)
				put_sep(b, &col, str + prev, sepl, e - i, 0);
			else if (col + (e - i) > LINEMAX && col > 1)
				put_sep(b, &col, " ", 1, e - i, 1);
			vf_buf_add(b, str + i, e - i);
			col += e - i;
		} else {
			rs = first ? 0 : i;
			re = e;
			for (;;) {
				for (j = re; j < tail && is_wsp(s[j]); j++)
					;
				if (j >= tail)
					break;
				for (e2 = j; e2 < tail && !is_wsp(s[e2]); e2++)
					;
				if (plain_at(str, j, e2, lead, tail, n))
					break;
				re = e2;
			}
			if (re == tail)
				re = n;
			put_run(b, &col, str + prev, sepl, s + rs, re - rs);
			e = re;
		}
		prev = e;
		first = 0;
		for (i = e; i < tail && is_wsp(s[i]); i++)
			;
	}
}

/*
 * Parameters. Mailers leave out semicolons ("text/plain charset=x") and
 * quotes ("name=my file.doc"): an unquoted value runs to the semicolon,
 * unless white space is followed by what looks like the next attribute.
 */
static int
attr_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static const char *
skip_wsp(const char *p)
{
	while (is_wsp((unsigned char)*p) || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Does the next attribute start at p (after white space)? */
static int
next_attr(const char *p)
{
	const char *q;

	p = skip_wsp(p);
	for (q = p; attr_char((unsigned char)*q); q++)
		;
	if (q == p)
		return 0;
	q = skip_wsp(q);
	return *q == '=';
}

struct seg {
	unsigned long	 idx;
	int		 enc;
	char		*val;
	size_t		 order;
};

static int
segcmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
pct_decode(struct vf_buf *o, const char *s)
{
	int h, l;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (h = vf_hexval((unsigned char)s[1])) >= 0 &&
		    (l = vf_hexval((unsigned char)s[2])) >= 0) {
			vf_buf_addc(o, h << 4 | l);
			s += 2;
		} else
			vf_buf_addc(o, *s);
	}
}

/* Split "charset'lang'text" (RFC 2231); the charset is copied out. */
static const char *
ext_split(const char *v, char *cs, size_t cssz)
{
	const char *q1, *q2;
	size_t l;

	cs[0] = '\0';
	if ((q1 = strchr(v, '\'')) == NULL ||
	    (q2 = strchr(q1 + 1, '\'')) == NULL)
		return v;
	l = (size_t)(q1 - v);
	if (l < cssz) {
		memcpy(cs, v, l);
		cs[l] = '\0';
	}
	return q2 + 1;
}

static int
name_is(const char *a, size_t al, const char *name)
{
	size_t i;

	for (i = 0; i < al; i++)
		if (name[i] == '\0' || lower((unsigned char)a[i]) !=
		    lower((unsigned char)name[i]))
			return 0;
	return name[al] == '\0';
}

/* Read one value at p: quoted (unescaped) or not; *end after it. */
static char *
read_value(const char *p, const char **end)
{
	struct vf_buf v = { NULL, 0, 0 };
	const char *q;

	vf_buf_add(&v, "", 0);
	if (*p == '"') {
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			vf_buf_addc(&v, *p);
		}
		if (*p == '"')
			p++;
		*end = p;
		return vf_buf_take(&v, NULL);
	}
	for (q = p; *q != '\0' && *q != ';'; q++) {
		/* At the start of white space only: linear time. */
		if (is_wsp((unsigned char)*q) && q > p &&
		    !is_wsp((unsigned char)q[-1]) && (next_attr(q) ||
		    *skip_wsp(q) == '('))
			break;
	}
	*end = q;
	while (q > p && (is_wsp((unsigned char)q[-1]) || q[-1] == '\n' ||
	    q[-1] == '\r'))
		q--;
	vf_buf_add(&v, p, (size_t)(q - p));
	return vf_buf_take(&v, NULL);
}

char *
vf_hdr_param(const char *hv, const char *name)
{
	struct seg *sg = NULL;
	struct vf_buf o = { NULL, 0, 0 };
	const char *p, *a, *ae, *t;
	char *plain = NULL, *ext = NULL, *v, *r, cs[80];
	size_t nl, nsg = 0, capsg = 0, i, order = 0;
	unsigned long idx;
	int enc, star;

	if (hv == NULL || name == NULL)
		return NULL;
	nl = strlen(name);
	/* Skip the value before the parameters. */
	for (p = hv; *p != '\0' && *p != ';'; p++)
		if (is_wsp((unsigned char)*p) && p > hv &&
		    !is_wsp((unsigned char)p[-1]) && next_attr(p))
			break;
	while (*p != '\0') {
		while (*p == ';' || is_wsp((unsigned char)*p) || *p == '\n' ||
		    *p == '\r')
			p++;
		a = p;
		while (attr_char((unsigned char)*p))
			p++;
		ae = p;
		p = skip_wsp(p);
		if (ae == a || *p != '=') {
			/* Not a parameter: skip to the next semicolon. */
			while (*p != '\0' && *p != ';') {
				if (*p == '"') {
					for (p++; *p != '\0' && *p != '"'; p++)
						if (*p == '\\' && p[1] != '\0')
							p++;
					if (*p == '\0')
						break;
				}
				p++;
			}
			continue;
		}
		p = skip_wsp(p + 1);
		if ((size_t)(ae - a) < nl ||
		    !name_is(a, nl, name) || (ae - a > (long)nl &&
		    a[nl] != '*')) {
			v = read_value(p, &p);
			free(v);
			continue;
		}
		v = read_value(p, &p);
		t = a + nl;
		if (t == ae) {
			if (plain == NULL)
				plain = v;
			else
				free(v);
			continue;
		}
		/* name* or name*N or name*N* */
		t++;
		star = ae > t && ae[-1] == '*';
		if (t == ae) {
			if (ext == NULL)
				ext = v;
			else
				free(v);
			continue;
		}
		idx = 0;
		enc = star;
		for (; t < ae - star; t++) {
			if (*t < '0' || *t > '9' || idx > 100000) {
				idx = (unsigned long)-1;
				break;
			}
			idx = idx * 10 + (unsigned long)(*t - '0');
		}
		if (idx == (unsigned long)-1) {
			free(v);
			continue;
		}
		if (nsg == capsg) {
			capsg = capsg ? capsg * 2 : 8;
			sg = vf_reallocarray(sg, capsg, sizeof(*sg));
		}
		sg[nsg].idx = idx;
		sg[nsg].enc = enc;
		sg[nsg].val = v;
		sg[nsg].order = order++;
		nsg++;
	}
	r = NULL;
	cs[0] = '\0';
	if (ext != NULL) {
		t = ext_split(ext, cs, sizeof(cs));
		pct_decode(&o, t);
		r = vf_to_utf8(o.p ? o.p : "", o.len, cs[0] ? cs : NULL, NULL,
		    NULL);
	} else if (nsg > 0) {
		qsort(sg, nsg, sizeof(*sg), segcmp);
		enc = 0;
		for (i = 0; i < nsg; i++) {
			if (i > 0 && sg[i].idx == sg[i - 1].idx)
				continue;	/* a repeated index: first wins */
			t = sg[i].val;
			if (sg[i].enc) {
				if (i == 0)
					t = ext_split(t, cs, sizeof(cs));
				pct_decode(&o, t);
				enc = 1;
			} else
				vf_buf_adds(&o, t);
		}
		if (enc)
			r = vf_to_utf8(o.p ? o.p : "", o.len,
			    cs[0] ? cs : NULL, NULL, NULL);
		else
			r = vf_hdr_decode(o.p ? o.p : "");
	} else if (plain != NULL) {
		/* A boundary is compared byte for byte: keep it as written. */
		if (name_is(name, nl, "boundary"))
			r = vf_strdup(plain);
		else
			r = vf_hdr_decode(plain);
	}
	vf_buf_free(&o);
	for (i = 0; i < nsg; i++)
		free(sg[i].val);
	free(sg);
	free(plain);
	free(ext);
	return r;
}

char *
vf_hdr_token(const char *hv)
{
	const char *s, *e;
	char *r;
	size_t i;

	if (hv == NULL)
		return vf_strdup("");
	for (s = hv; is_wsp((unsigned char)*s) || *s == '\n' || *s == '\r';
	    s++)
		;
	if ((e = strchr(s, ';')) == NULL)
		e = s + strlen(s);
	while (e > s && (is_wsp((unsigned char)e[-1]) || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	r = vf_strndup(s, (size_t)(e - s));
	for (i = 0; r[i] != '\0'; i++)
		r[i] = (char)lower((unsigned char)r[i]);
	return r;
}
