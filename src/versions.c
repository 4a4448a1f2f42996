/*
 * Versions, and whether two statements of them can name one release: the
 * known-vulnerability list states them in a small syntax (vf-case(5):
 * "1.2.3", ">=1.0 <1.4.2", "*", ';' between items), reporters in words
 * ("5.0.0 to 5.0.7", "3.0.1 以前", "12.0 系"). Both become a set of
 * intervals over dotted numbers, compared segment by segment as numbers
 * (a missing segment is 0, so 1.4 is 1.4.0); what is neither stays text
 * and meets only the same text (vf_fold_key of it).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

/* Is s[0..n) a dotted number: digits, single dots between? */
static int
dotted(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] != '.' ||
		    s[i + 1] == '.'))
			return 0;
	return 1;
}

/*
 * Compare dotted numbers; an "ext" one is followed by ever larger
 * segments (the top of "12.0 系": every 12.0.x is below it).
 */
static int
vcmp(const char *a, int aext, const char *b, int bext)
{
	size_t la, lb;
	const char *ea, *eb;
	int c;

	for (;;) {
		if (*a == '\0' && *b == '\0')
			return aext == bext ? 0 : aext ? 1 : -1;
		if (*a == '\0') {
			if (aext)
				return 1;
			/* 1.4 against 1.4.0.0: the rest of b must be 0. */
			for (; *b != '\0'; b++)
				if (*b != '0' && *b != '.')
					return -1;
			return bext ? -1 : 0;
		}
		if (*b == '\0') {
			if (bext)
				return -1;
			for (; *a != '\0'; a++)
				if (*a != '0' && *a != '.')
					return 1;
			return aext ? 1 : 0;
		}
		while (*a == '0' && isdigit((unsigned char)a[1]))
			a++;
		while (*b == '0' && isdigit((unsigned char)b[1]))
			b++;
		/* Not strspn: its set is made anew at every call (a third
		   of the comparison, a segment a call). */
		for (ea = a; *ea >= '0' && *ea <= '9'; ea++)
			;
		for (eb = b; *eb >= '0' && *eb <= '9'; eb++)
			;
		la = (size_t)(ea - a);
		lb = (size_t)(eb - b);
		if (la != lb)
			return la < lb ? -1 : 1;
		if ((c = memcmp(a, b, la)) != 0)
			return c < 0 ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
}

static struct vf_vitem *
item_new(struct vf_versions *v)
{
	struct vf_vitem *it;

	v->v = vf_reallocarray(v->v, v->n + 1, sizeof(*v->v));
	it = &v->v[v->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void
add_text(struct vf_versions *v, const char *s, size_t n)
{
	char *t = vf_strndup(s, n), *k;

	if ((k = vf_fold_key(t)) == NULL)
		k = vf_strdup(t);
	free(t);
	if (*k == '\0') {
		free(k);
		return;
	}
	item_new(v)->text = k;
}

static void
add_range(struct vf_versions *v, const char *lo, size_t llen, int loinc,
    const char *hi, size_t hlen, int hiinc, int hiext)
{
	struct vf_vitem *it = item_new(v);

	it->lo = lo != NULL ? vf_strndup(lo, llen) : NULL;
	/* One version ("1.2.0", "12.0 系"): one copy for both ends, as
	   most reports give (vf_versions_free frees it once). */
	it->hi = hi == NULL ? NULL : lo != NULL && hlen == llen &&
	    memcmp(hi, lo, hlen) == 0 ? it->lo : vf_strndup(hi, hlen);
	it->loinc = loinc;
	it->hiinc = hiinc;
	it->hiext = hiext;
}

/* Is the interval empty (">=2 <1")? */
static int
empty(const struct vf_vitem *it)
{
	int c;

	if (it->text != NULL || it->lo == NULL || it->hi == NULL)
		return 0;
	c = vcmp(it->lo, 0, it->hi, it->hiext);
	return c > 0 || (c == 0 && (!it->loinc || !it->hiinc));
}

/*
 * One item of the list's syntax: "*", a version, or constraints all
 * holding. 1 when it was one, else 0 (the caller keeps it as text).
 */
static int
syntax_item(struct vf_versions *v, const char *s, size_t n)
{
	struct vf_vitem it;
	const char *p = s, *e = s + n, *w;
	size_t wl, ol;
	int c, inc;

	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	if (e - p == 1 && *p == '*') {
		v->all = 1;
		return 1;
	}
	if (dotted(p, (size_t)(e - p))) {
		add_range(v, p, (size_t)(e - p), 1, p, (size_t)(e - p), 1, 0);
		return 1;
	}
	memset(&it, 0, sizeof(it));
	while (p < e) {
		w = p;
		while (p < e && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		while (p < e && *p == ' ')
			p++;
		ol = wl > 1 && (w[1] == '=') ? 2 : 1;
		if (wl <= ol || strchr("<>=", w[0]) == NULL ||
		    (ol == 2 && w[0] == '=') || !dotted(w + ol, wl - ol))
			goto no;
		inc = ol == 2 || w[0] == '=';
		if (w[0] == '>' || w[0] == '=') {
			if (it.lo == NULL || (c = vcmp(w + ol, 0, it.lo, 0)) > 0 ||
			    (c == 0 && !inc)) {
				free(it.lo);
				it.lo = vf_strndup(w + ol, wl - ol);
				it.loinc = inc;
			}
		}
		if (w[0] == '<' || w[0] == '=') {
			if (it.hi == NULL || (c = vcmp(w + ol, 0, it.hi, 0)) < 0 ||
			    (c == 0 && !inc)) {
				free(it.hi);
				it.hi = vf_strndup(w + ol, wl - ol);
				it.hiinc = inc;
			}
		}
	}
	if (it.lo == NULL && it.hi == NULL)
		goto no;
	*item_new(v) = it;
	return 1;
no:
	free(it.lo);
	free(it.hi);
	return 0;
}

void
vf_versions_parse(struct vf_versions *v, const char *s)
{
	const char *p, *e;

	memset(v, 0, sizeof(*v));
	if (strcmp(s, "-") == 0) {
		/* The list names no limit: every version. */
		v->all = 1;
		return;
	}
	for (p = s; ; p = e + 1) {
		if ((e = strchr(p, ';')) == NULL)
			e = p + strlen(p);
		if (!syntax_item(v, p, (size_t)(e - p)))
			add_text(v, p, (size_t)(e - p));
		if (*e == '\0')
			break;
	}
}

/* Does any word of the list occur in s[0..n) (ASCII case ignored)? */
static int
says(const char *s, size_t n, const char *const *words)
{
	size_t i, k, wl;

	for (i = 0; words[i] != NULL; i++) {
		wl = strlen(words[i]);
		for (k = 0; k + wl <= n; k++)
			if (strncasecmp(s + k, words[i], wl) == 0)
				return 1;
	}
	return 0;
}

/* Words of reporters around versions, as NFKC leaves them. */
static const char *const range_words[] = { "to", "through", "thru", "-",
	"~", "\xe3\x80\x9c" /* 〜 */, "\xe2\x80\x93" /* – */,
	"\xe3\x81\x8b\xe3\x82\x89" /* から */, NULL };
static const char *const upto_after[] = { "\xe4\xbb\xa5\xe5\x89\x8d" /* 以前 */,
	"\xe3\x81\xbe\xe3\x81\xa7" /* まで */, "earlier", "older", "below",
	"prior", "before", NULL };
static const char *const from_after[] = { "\xe4\xbb\xa5\xe9\x99\x8d" /* 以降 */,
	"later", "newer", "above", "onward", NULL };
static const char *const upto_before[] = { "<=", "before", "prior to",
	"up to", "until", "<", NULL };
static const char *const from_before[] = { ">=", "since", "from", ">",
	NULL };
static const char *const series_after[] = { "\xe7\xb3\xbb" /* 系 */,
	".x", "series", NULL };

void
vf_versions_text(struct vf_versions *v, const char *s)
{
	struct { const char *p; size_t n; } tok[16];
	const char *p, *q, *bs, *as, *t;
	char *own = NULL;
	size_t nt = 0, i, bl, al, len;

	memset(v, 0, sizeof(*v));
	if (s == NULL)
		return;
	/* ASCII is its own NFKC: read in place, not copied (a malloc and
	   a free for every case's product.version). */
	len = strlen(s);
	if (vf_ascii_span(s, len, 1) == len)
		t = s;
	else if ((t = own = vf_nfkc(s)) == NULL)
		t = own = vf_strdup(s);
	/* What the list's syntax says, the list's way (not strchr of the
	   set: a call a byte). */
	for (p = t; *p != '\0'; p++)
		if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '<' ||
		    *p == '>' || *p == '=' || *p == '*' || *p == ';' ||
		    *p == ' '))
			break;
	if (*p == '\0') {
		vf_versions_parse(v, t);
		for (i = 0; i < v->n; i++)
			if (v->v[i].text != NULL)
				break;
		if (i == v->n)
			goto done;
		vf_versions_free(v);
	}
	for (p = t; *p != '\0' && nt < 16; ) {
		if (!isdigit((unsigned char)*p) || (p > t &&
		    (isalnum((unsigned char)p[-1]) && p[-1] != 'v' &&
		    p[-1] != 'V'))) {
			p++;
			continue;
		}
		q = p;
		while (isdigit((unsigned char)*q) || (*q == '.' &&
		    isdigit((unsigned char)q[1])))
			q++;
		if (!isalpha((unsigned char)*q) || q - p > 1) {
			tok[nt].p = p;
			tok[nt++].n = (size_t)(q - p);
		}
		p = q;
	}
	if (nt == 0) {
		add_text(v, t, strlen(t));
		goto done;
	}
	bs = t;
	bl = (size_t)(tok[0].p - t);
	as = tok[0].p + tok[0].n;
	al = nt > 1 ? (size_t)(tok[1].p - as) : strlen(as);
	if (nt >= 2 && says(as, al, range_words)) {
		add_range(v, tok[0].p, tok[0].n, 1, tok[1].p, tok[1].n, 1, 0);
		goto done;
	}
	if (nt == 1 && says(as, al, upto_after))
		add_range(v, NULL, 0, 0, tok[0].p, tok[0].n, 1, 0);
	else if (nt == 1 && says(as, al, from_after))
		add_range(v, tok[0].p, tok[0].n, 1, NULL, 0, 0, 0);
	else if (nt == 1 && says(as, al, series_after))
		add_range(v, tok[0].p, tok[0].n, 1, tok[0].p, tok[0].n, 1, 1);
	else if (nt == 1 && says(bs, bl, upto_before))
		add_range(v, NULL, 0, 0, tok[0].p, tok[0].n,
		    says(bs, bl, (const char *const[]){ "<=", "up to",
		    "until", NULL }), 0);
	else if (nt == 1 && says(bs, bl, from_before))
		add_range(v, tok[0].p, tok[0].n, !says(bs, bl,
		    (const char *const[]){ ">", NULL }) || says(bs, bl,
		    (const char *const[]){ ">=", NULL }), NULL, 0, 0, 0);
	else
		for (i = 0; i < nt; i++)
			add_range(v, tok[i].p, tok[i].n, 1, tok[i].p, tok[i].n,
			    1, 0);
done:
	free(own);
}

/* Is b's top below a's bottom: no release in both? */
static int
below(const char *hi, int hiinc, int hiext, const char *lo, int loinc)
{
	int c;

	if (hi == NULL || lo == NULL)
		return 0;
	c = vcmp(hi, hiext, lo, 0);
	return c < 0 || (c == 0 && !(hiinc && loinc));
}

int
vf_versions_overlap(const struct vf_versions *a, const struct vf_versions *b)
{
	const struct vf_vitem *x, *y;
	size_t i, k;

	/* "*" (or '-' in the list) holds whatever the other says. */
	if (a->all || b->all)
		return 1;
	for (i = 0; i < a->n; i++) {
		x = &a->v[i];
		if (empty(x))
			continue;
		for (k = 0; k < b->n; k++) {
			y = &b->v[k];
			if (empty(y))
				continue;
			if (x->text != NULL || y->text != NULL) {
				if (x->text != NULL && y->text != NULL &&
				    strcmp(x->text, y->text) == 0)
					return 1;
				continue;
			}
			if (!below(x->hi, x->hiinc, x->hiext, y->lo,
			    y->loinc) && !below(y->hi, y->hiinc, y->hiext,
			    x->lo, x->loinc))
				return 1;
		}
	}
	return 0;
}

void
vf_versions_free(struct vf_versions *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (v->v[i].hi != v->v[i].lo)
			free(v->v[i].hi);	/* else one copy (add_range) */
		free(v->v[i].lo);
		free(v->v[i].text);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}
