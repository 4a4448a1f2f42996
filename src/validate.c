/*
 * Checking a report as the office does (vf-validate): what its kind
 * requires (the field table's required column, and nothing else), the
 * formats of its values, its scope, and whether it is already known,
 * from another case of the tree or from the known-vulnerability list.
 *
 * The duplicate check reads every case and every list entry once per run
 * into one index: two hash tables, by product key (vf_fold_key of
 * product.name) and by canonical URL, each key leading to the cases and
 * entries that have it. A report is then compared only with what shares
 * its key, so that 100,000 cases against 100,000 entries costs about one
 * reading of the tree (make bench), not a product of the two.
 */
#include <ctype.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"

/* ---- formats ----------------------------------------------------------- */

/* YYYY-MM-DD, a day of the calendar. */
static int
date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return 0;
	return 1;
}

/*
 * strcasestr(s, "cwe"), ASCII case aside as the C locale's: a byte OR
 * 0x20 is 'c' only for 'C' and 'c'. strcasestr's set-up cost more than
 * the search of a type's few words (a case of the tree a call).
 */
static const char *
cwe_at(const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s | 0x20) == 'c' && (s[1] | 0x20) == 'w' &&
		    (s[2] | 0x20) == 'e')
			return s;
	return NULL;
}

/*
 * The CWE a type names ("クロスサイト(CWE-79)": 79), 0 for none; -1 when it
 * writes "CWE" without a number after "CWE-" ("CWE-abc", "CWE79").
 */
static long
cwe_in(const char *s)
{
	const char *p;
	long n;
	size_t i;

	for (p = s; (p = cwe_at(p)) != NULL; p += 3) {
		if (p > s && isalpha((unsigned char)p[-1]))
			continue;
		if (p[3] != '-' || !isdigit((unsigned char)p[4]) ||
		    p[4] == '0')
			return -1;
		for (n = 0, i = 4; isdigit((unsigned char)p[i]) && i < 12; i++)
			n = n * 10 + (p[i] - '0');
		if (isdigit((unsigned char)p[i]) || isalpha((unsigned char)p[i]))
			return -1;
		return n;
	}
	return 0;
}

/*
 * A telephone or fax number, stored in NFKC (so "０３－５５５５－１２３４"
 * is ASCII here): an optional '+', then digits with the separators people
 * write ("03-5555-1234", "(03) 5555 1234", "+81.3.5555.1234"), 7 to 15
 * digits in all (E.164 allows 15), and after it nothing, or anything after
 * white space, a '/', ',' or ';', or a character not ASCII ("03-5555-1234
 * (weekdays)", "03-5555-1234内線12", a second number after a '/'). Returns the number of digits of the number, 0 for a value with
 * no digit at all ("なし", "N/A", "-": not an answer, so the group asks for
 * another), -1 for digits that do not make a number ("03-5555-12a4").
 */
static int
phone_digits(const char *v)
{
	const char *s = v, *last = NULL;
	int digits = 0;

	for (s = v; *s != '\0' && !(*s >= '0' && *s <= '9'); s++)
		;			/* strpbrk, without its set-up */
	if (*s == '\0')
		return 0;
	s = v;
	if (*s == '+')
		s++;
	/* Not strchr of the set: a call a character. */
	for (; (*s >= '0' && *s <= '9') || *s == ' ' || *s == '-' ||
	    *s == '.' || *s == '(' || *s == ')'; s++)
		if (isdigit((unsigned char)*s)) {
			digits++;
			last = s;
		}
	if (last == NULL || digits < 7 || digits > 15)
		return -1;
	/* After the last digit: closing separators, then the end or a break. */
	for (s = last + 1; *s == ')' || *s == '-' || *s == '.'; s++)
		continue;
	if (*s != '\0' && strchr(" \t\n/,;", *s) == NULL &&
	    (unsigned char)*s < 0x80)
		return -1;
	return digits;
}

/* Is the value well-formed for its format? Yes/no answers are not here. */
static int
format_ok(enum vf_format fmt, const char *v)
{
	char *s;

	switch (fmt) {
	case VF_FMT_EMAIL:
		if (vf_addr_valid(v))
			return 1;
		/* An IDN domain is an address once in A-labels. */
		if ((s = vf_addr_ascii(v)) == NULL)
			return 0;
		free(s);
		return 1;
	case VF_FMT_URL:
		if ((s = vf_url_canon(v, NULL)) == NULL)
			return 0;
		free(s);
		return 1;
	case VF_FMT_DATE:
		return date_ok(v);
	case VF_FMT_CWE:
		return cwe_in(v) != -1;
	case VF_FMT_PHONE:
		return phone_digits(v) > 0;
	default:
		return 1;
	}
}

/* Can format_ok say no to a value of this format? */
static int
format_checked(enum vf_format fmt)
{
	switch (fmt) {
	case VF_FMT_EMAIL:
	case VF_FMT_URL:
	case VF_FMT_DATE:
	case VF_FMT_CWE:
	case VF_FMT_PHONE:
		return 1;
	default:
		return 0;
	}
}

static int
given(const char *v)
{
	/* Not strspn: its set is made anew at every call, a thousand
	   times a case. */
	if (v == NULL)
		return 0;
	while (*v == ' ' || *v == '\t' || *v == '\n')
		v++;
	return *v != '\0';
}

/* A yes/no field is answered only by "yes" or "no"; else it is asked. */
static int
answered(const struct vf_field *f, const char *v)
{
	if (!given(v))
		return 0;
	if (f->format == VF_FMT_YESNO)	/* "yes" or "no", inline */
		return (v[0] == 'y' && v[1] == 'e' && v[2] == 's' &&
		    v[3] == '\0') || (v[0] == 'n' && v[1] == 'o' &&
		    v[2] == '\0');
	if (f->format == VF_FMT_PHONE)
		return phone_digits(v) != 0;
	return 1;
}

static void
list_add(struct vf_buf *b, const char *name)
{
	if (b->len > 0)
		vf_buf_adds(b, ", ");
	vf_buf_adds(b, name);
}

/*
 * The table's names, hashed once a run (vf_fcheck): the check asks for
 * every field of the table (a hundred), and vf_case_field is a walk over
 * the case's. So the case's fields (a score) are looked up in the table
 * instead, each once, and a case's values are put in the table's order;
 * the first field of a name wins, as in vf_case_field. A name is hashed
 * by its length and its first and last four bytes, not byte by byte:
 * that was a third of the check.
 */
struct tslot {
	uint32_t	 h;
	uint32_t	 idx1;		/* table index + 1; 0: empty */
};

/*
 * And for each kind mask (a case's is one bit), the table's entries the
 * check can say anything of, in table order: those the kind requires and
 * those of a format format_ok tells apart, not a status field. The rest
 * of the hundred (two thirds of them for a software report) were walked
 * for nothing a case.
 */
#define FC_KINDS	16

struct vf_fcheck {
	const struct vf_fields	*ft;
	size_t			*len;	/* strlen of each table name */
	uint64_t		(*w)[3];	/* its words (name_is) */
	struct tslot		*tab;
	size_t			 mask;
	size_t			*rel[FC_KINDS];
	size_t			 nrel[FC_KINDS];
};

/*
 * The words name_is compares of a name of 8 to 24 bytes: at 0, at 8 (or
 * n - 8, for a shorter one) and at n - 8, which cover it all.
 */
static inline void
name_words(const char *s, size_t n, uint64_t w[3])
{
	memcpy(&w[0], s, 8);
	memcpy(&w[1], s + (n >= 16 ? 8 : n - 8), 8);
	memcpy(&w[2], s + n - 8, 8);
}

/*
 * Is name[0..n) the table's name t? Most names are of 8 to 24 bytes:
 * three compares of words inline, where a memcmp call a field of every
 * case was a tenth of the check.
 */
static inline int
name_is(const struct vf_fcheck *x, size_t t, const char *name, size_t n)
{
	uint64_t w[3];

	if (x->len[t] != n)
		return 0;
	if (n < 8 || n > 24)
		return memcmp(x->ft->f[t].name, name, n) == 0;
	name_words(name, n, w);
	return w[0] == x->w[t][0] && w[1] == x->w[t][1] && w[2] == x->w[t][2];
}

static uint32_t
nhash(const char *s, size_t n)
{
	uint32_t a = 0, b = 0, h;

	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
	} else
		memcpy(&a, s, n);
	h = a * 0x9e3779b1u ^ b * 0x85ebca77u ^ (uint32_t)n * 0xc2b2ae3du;
	return h ^ h >> 15;
}

struct vf_fcheck *
vf_fcheck_new(const struct vf_fields *ft)
{
	struct vf_fcheck *x = vf_calloc(1, sizeof(*x));
	size_t i, k, n = 16;
	uint32_t h;

	x->ft = ft;
	while (n < 2 * ft->n)
		n *= 2;
	x->mask = n - 1;
	x->tab = vf_calloc(n, sizeof(*x->tab));
	x->len = vf_calloc(ft->n + 1, sizeof(*x->len));
	x->w = vf_calloc(ft->n + 1, sizeof(*x->w));
	for (i = 0; i < ft->n; i++) {
		x->len[i] = strlen(ft->f[i].name);
		if (x->len[i] >= 8 && x->len[i] <= 24)
			name_words(ft->f[i].name, x->len[i], x->w[i]);
		h = nhash(ft->f[i].name, x->len[i]);
		for (k = h & x->mask; x->tab[k].idx1 != 0;
		    k = (k + 1) & x->mask)
			;
		x->tab[k].h = h;
		x->tab[k].idx1 = (uint32_t)i + 1;
	}
	for (k = 0; k < FC_KINDS; k++) {
		x->rel[k] = vf_calloc(ft->n + 1, sizeof(*x->rel[k]));
		for (i = 0; i < ft->n; i++)
			if (ft->f[i].class != VF_CLASS_STATUS &&
			    ((ft->f[i].required & (int)k) != 0 ||
			    format_checked(ft->f[i].format)))
				x->rel[k][x->nrel[k]++] = i;
	}
	return x;
}

void
vf_fcheck_free(struct vf_fcheck *x)
{
	size_t k;

	if (x == NULL)
		return;
	for (k = 0; k < FC_KINDS; k++)
		free(x->rel[k]);
	free(x->len);
	free(x->w);
	free(x->tab);
	free(x);
}

void
vf_check_fields(const struct vf_fields *ft, const struct vf_case *c, int kind,
    struct vf_buf *missing, struct vf_buf *malformed)
{
	struct vf_fcheck *x = vf_fcheck_new(ft);

	vf_check_fields_at(x, c, kind, missing, malformed);
	vf_fcheck_free(x);
}

/* The value of table field i in the case, or NULL. */
#define VAL(i)	(kv[i] != NULL ? kv[i]->value : NULL)

void
vf_check_fields_at(const struct vf_fcheck *x, const struct vf_case *c,
    int kind, struct vf_buf *missing, struct vf_buf *malformed)
{
	const struct vf_fields *ft = x->ft;
	const struct vf_field *f, *g;
	const struct vf_kv *kvbuf[256], **kv;
	const char *v, *name;
	size_t i, j, k, n, t, t0, nrel;
	uint32_t h;
	int ok;

	/* The table's values of the case: a name the table lacks is none. */
	kv = ft->n <= 256 ? kvbuf : vf_calloc(ft->n, sizeof(*kv));
	if (kv == kvbuf)
		memset(kvbuf, 0, ft->n * sizeof(*kv));
	for (i = 0, t0 = 0; i < c->nfield; i++) {
		name = c->field[i].name;
		n = strlen(name);
		/*
		 * vf-parse writes a case's fields in the table's order: the
		 * few entries after the last one found are tried first, by
		 * their length, then the hash.
		 */
		for (t = t0; t < t0 + 8 && t < ft->n; t++)
			if (name_is(x, t, name, n))
				break;
		if (t < t0 + 8 && t < ft->n) {
			if (kv[t] == NULL)
				kv[t] = &c->field[i];
			t0 = t + 1;
			continue;
		}
		h = nhash(name, n);
		for (k = h & x->mask; x->tab[k].idx1 != 0;
		    k = (k + 1) & x->mask) {
			t = x->tab[k].idx1 - 1;
			if (x->tab[k].h == h && kv[t] == NULL &&
			    name_is(x, t, name, n)) {
				kv[t] = &c->field[i];
				t0 = t + 1;
			}
		}
	}
	/* Any other mask: every entry, as the lists are made. */
	nrel = kind >= 0 && kind < FC_KINDS ? x->nrel[kind] : ft->n;
	for (j = 0; j < nrel; j++) {
		i = kind >= 0 && kind < FC_KINDS ? x->rel[kind][j] : j;
		f = &ft->f[i];
		if (f->class == VF_CLASS_STATUS)
			continue;
		v = VAL(i);
		if (given(v) && f->format != VF_FMT_YESNO &&
		    (f->format != VF_FMT_PHONE || phone_digits(v) != 0) &&
		    !format_ok(f->format, v))
			list_add(malformed, f->name);
		if ((f->required & kind) == 0 || answered(f, v))
			continue;
		if (f->group == NULL) {
			list_add(missing, f->name);
			continue;
		}
		/* One of the group answers for all; the first is asked for. */
		ok = 0;
		for (k = 0; k < ft->n && !ok; k++) {
			g = &ft->f[k];
			if (g->group != NULL && strcmp(g->group, f->group) == 0 &&
			    (g->required & kind) != 0 && answered(g, VAL(k)))
				ok = 1;
		}
		for (k = 0; k < i && !ok; k++) {
			g = &ft->f[k];
			if (g->group != NULL && strcmp(g->group, f->group) == 0 &&
			    (g->required & kind) != 0)
				ok = 1;		/* listed with the first */
		}
		if (!ok)
			list_add(missing, f->name);
	}
	if (kv != kvbuf)
		free(kv);
}

#undef VAL

/* ---- scope ------------------------------------------------------------- */

int
vf_scope_load(const struct vf_config *cfg, char ***dom, size_t *n, char *err,
    size_t errlen)
{
	struct vf_buf u = { 0 };
	char *canon, *host;
	size_t i;

	*dom = NULL;
	*n = 0;
	for (i = 0; i < cfg->n; i++) {
		if (strcmp(cfg->kv[i].name, "scope-domain") != 0)
			continue;
		u.len = 0;
		vf_buf_printf(&u, "http://%s/", cfg->kv[i].value);
		canon = vf_url_canon(u.p, &host);
		free(canon);
		if (canon == NULL || strchr(cfg->kv[i].value, '/') != NULL ||
		    strchr(host, '.') == NULL) {
			free(host);
			(void)snprintf(err, errlen, "config: scope-domain "
			    "\"%.80s\": want a domain name (example.com)",
			    cfg->kv[i].value);
			vf_buf_free(&u);
			return EX_CONFIG;
		}
		*dom = vf_reallocarray(*dom, *n + 1, sizeof(**dom));
		(*dom)[(*n)++] = host;
	}
	vf_buf_free(&u);
	return 0;
}

int
vf_in_scope(const char *host, char *const *dom, size_t n)
{
	size_t i;

	if (vf_host_under(host, "jp"))
		return 1;
	for (i = 0; i < n; i++)
		if (vf_host_under(host, dom[i]))
			return 1;
	return 0;
}

/* ---- the duplicate index ------------------------------------------------ */

/* What a case is compared by. */
struct dkey {
	char			*id;
	char			*received;
	int			 state_ok;	/* may be duplicated */
	char			*pkey, *vkey;
	struct vf_versions	 ver;
	long			 cwe;
	char			*tkey;		/* vf_fold_key(web.type) */
	char			*url;
};

/*
 * The index's chains by 32-bit slot numbers (+ 1, 0 ending a chain), a
 * slot in 16 bytes: the heads and slots of 10,000 cases and as many
 * list entries were 1.6 MB of pointers, 400 of vf-validate's 2,200 page
 * faults, which cost it as much as its instructions' tenth.
 */
#define SLOTS_MAX	((size_t)1 << 30)

struct slot {
	const char	*key;
	uint32_t	 idx : 31;	/* case (known 0) or list entry */
	uint32_t	 known : 1;
	uint32_t	 next;
};

struct vf_dupidx {
	struct dkey		*c;
	size_t			 nc;
	const struct vf_known	*known;
	uint32_t		*prod, *url;
	struct slot		*slots;
	size_t			 nslots, size;
};

/* The key of s, in buf (FOLD_ROOM bytes) or malloc'ed; NULL for none. */
#define FOLD_ROOM	256

static char *
fold_or_null(const char *s, char *buf)
{
	char *k;

	if (!given(s) || (k = vf_fold_key_buf(s, buf, FOLD_ROOM)) == NULL)
		return NULL;
	if (*k == '\0') {
		if (k != buf)
			free(k);
		return NULL;
	}
	return k;
}

/*
 * The first Vf-Kind, Vf-Id and Vf-Received (ASCII case aside, as
 * vf_case_get), in one walk over the headers where three look-ups were
 * three.
 */
static void
dkey_headers(const struct vf_case *c, const char **kind, const char **id,
    const char **rcv)
{
	const char *n;
	size_t i;

	*kind = *id = *rcv = NULL;
	for (i = 0; i < c->nhdr; i++) {
		n = c->hdr[i].name;
		if ((n[0] | 0x20) != 'v' || (n[1] | 0x20) != 'f' || n[2] != '-')
			continue;
		switch (n[3] | 0x20) {
		case 'k':
			if (*kind == NULL && strcasecmp(n + 3, "Kind") == 0)
				*kind = vf_hdr_value(&c->hdr[i]);
			break;
		case 'i':
			if (*id == NULL && strcasecmp(n + 3, "Id") == 0)
				*id = vf_hdr_value(&c->hdr[i]);
			break;
		case 'r':
			if (*rcv == NULL && strcasecmp(n + 3, "Received") == 0)
				*rcv = vf_hdr_value(&c->hdr[i]);
			break;
		}
	}
}

/*
 * s copied to *at, which moves past it; NULL stays NULL. tmp, when not
 * NULL, is s's own allocation: freed once copied.
 */
static char *
pack(char **at, const char *s, char *tmp)
{
	char *p = *at;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(p, s, n);
	*at += n;
	free(tmp);
	return p;
}

static size_t
plen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static void
dkey_make(struct dkey *d, const struct vf_case *c)
{
	const char *kind, *t, *v, *id, *rcv;
	char *at, fb[3][FOLD_ROOM];
	long n;

	/* Each header and field looked up once: a look-up is a walk. */
	memset(d, 0, sizeof(*d));
	dkey_headers(c, &kind, &id, &rcv);
	if (id == NULL)
		id = "";
	if (rcv == NULL)
		rcv = "";
	if (vf_kind_bit(kind) == VF_KIND_WEB) {
		if (given(v = vf_case_field(c, "web.url")))
			d->url = vf_url_canon(v, NULL);
		t = vf_case_field(c, "web.type");
	} else {
		d->pkey = fold_or_null(vf_case_field(c, "product.name"), fb[0]);
		d->vkey = fold_or_null(vf_case_field(c, "product.vendor"),
		    fb[1]);
		if (given(v = vf_case_field(c, "product.version")))
			vf_versions_text(&d->ver, v);
		t = vf_case_field(c, "vuln.type");
	}
	if (given(t)) {
		d->cwe = (n = cwe_in(t)) > 0 ? n : 0;
		d->tkey = fold_or_null(t, fb[2]);
	}
	/*
	 * The strings in one block, d->id first: an index entry a case of
	 * the tree, kept to the end, and six allocations each (and six
	 * frees at the exit) were a tenth of the run.
	 */
	at = vf_malloc(plen(id) + plen(rcv) + plen(d->pkey) + plen(d->vkey) +
	    plen(d->tkey) + plen(d->url));
	d->id = pack(&at, id, NULL);
	d->received = pack(&at, rcv, NULL);
	d->pkey = pack(&at, d->pkey, d->pkey != fb[0] ? d->pkey : NULL);
	d->vkey = pack(&at, d->vkey, d->vkey != fb[1] ? d->vkey : NULL);
	d->tkey = pack(&at, d->tkey, d->tkey != fb[2] ? d->tkey : NULL);
	d->url = pack(&at, d->url, d->url);
}

static void
dkey_free(struct dkey *d)
{
	free(d->id);		/* and the other strings: one block */
	vf_versions_free(&d->ver);
}

struct vf_dupidx *
vf_dupidx_new(const struct vf_known *k)
{
	struct vf_dupidx *x = vf_calloc(1, sizeof(*x));

	x->known = k;
	return x;
}

size_t
vf_dupidx_add(struct vf_dupidx *x, const struct vf_case *c,
    const char *state)
{
	struct dkey *d;

	/* Grown by powers of two: an entry a case of the tree. */
	if ((x->nc & (x->nc - 1)) == 0)
		x->c = vf_reallocarray(x->c, x->nc == 0 ? 1 : 2 * x->nc,
		    sizeof(*x->c));
	d = &x->c[x->nc++];
	dkey_make(d, c);
	/* What was itself a duplicate, rejected or referred is no original. */
	d->state_ok = strcmp(state, "duplicate") != 0 &&
	    strcmp(state, "rejected") != 0 && strcmp(state, "referred") != 0;
	return x->nc - 1;
}

/*
 * A key's hash, eight bytes a step (FNV's byte a step was a seventh of
 * building the index and looking a case up in it); the chains hold
 * their entries in list order whatever the hash, so only their lengths
 * depend on it.
 */
static uint32_t
hash(const char *s)
{
	size_t n = strlen(s), i, k;
	uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ULL, w;

	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (w = 0, k = 0; i + k < n; k++)
		w |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h ^ (uint32_t)(h >> 32);
}

static void
put(struct vf_dupidx *x, uint32_t *tab, const char *key, size_t idx,
    int known)
{
	struct slot *s = &x->slots[x->nslots++];
	uint32_t h = hash(key) & (uint32_t)(x->size - 1);

	s->key = key;
	s->idx = (uint32_t)idx;
	s->known = known != 0;
	s->next = tab[h];
	tab[h] = (uint32_t)x->nslots;	/* its number + 1 */
}

void
vf_dupidx_build(struct vf_dupidx *x)
{
	size_t i, n = x->nc + (x->known != NULL ? x->known->n : 0);

	if (n > SLOTS_MAX)
		errx(EX_SOFTWARE, "duplicate index: more than %zu cases and "
		    "list entries", SLOTS_MAX);
	/* As many heads as keys at most: chains of one or two. */
	for (x->size = 16; x->size < n; x->size *= 2)
		;
	x->prod = vf_calloc(x->size, sizeof(*x->prod));
	x->url = vf_calloc(x->size, sizeof(*x->url));
	x->slots = vf_calloc(2 * n + 1, sizeof(*x->slots));
	/* Inserted last first, so that each chain is in list order. */
	for (i = x->known != NULL ? x->known->n : 0; i-- > 0; ) {
		if (x->known->e[i].pkey != NULL)
			put(x, x->prod, x->known->e[i].pkey, i, 1);
		if (x->known->e[i].url != NULL)
			put(x, x->url, x->known->e[i].url, i, 1);
	}
	for (i = x->nc; i-- > 0; ) {
		if (!x->c[i].state_ok)
			continue;
		if (x->c[i].pkey != NULL)
			put(x, x->prod, x->c[i].pkey, i, 0);
		if (x->c[i].url != NULL)
			put(x, x->url, x->c[i].url, i, 0);
	}
}

/* Received earlier (ties by the number of the id): a's the original. */
static int
earlier(const struct dkey *a, const struct dkey *b)
{
	int c;
	size_t la = strlen(a->id), lb = strlen(b->id);

	if ((c = strcmp(a->received, b->received)) != 0)
		return c < 0;
	if (la != lb)
		return la < lb;
	return strcmp(a->id, b->id) < 0;
}

static void
cwe_why(struct vf_buf *why, long a, long b)
{
	if (a != 0 && b != 0) {
		vf_buf_adds(why, ", same CWE-");
		vf_buf_addnum(why, a);
	} else
		vf_buf_adds(why, ", no CWE to compare");
}

/* "known ID FILE:LINE (same WHAT": the start of a list entry's verdict. */
static void
known_why(struct vf_buf *out, const struct vf_known_entry *e,
    const char *what)
{
	vf_buf_adds(out, "known ");
	vf_buf_adds(out, e->id);
	vf_buf_addc(out, ' ');
	vf_buf_adds(out, e->file);
	vf_buf_addc(out, ':');
	vf_buf_addnum(out, (long long)e->line);
	vf_buf_adds(out, " (same ");
	vf_buf_adds(out, what);
}

/*
 * What the case at hand duplicates: a list entry (in list order) before a
 * case (the earliest received). 1 and the Vf-Duplicate value, or 0.
 * The texts are put together without stdio: a verdict's formatting cost
 * more than its look-ups.
 */
static int
match(const struct vf_dupidx *x, const struct dkey *dp, struct vf_buf *out,
    struct vf_buf *of)
{
	const struct dkey d = *dp;	/* read only: a view, not a copy */
	const struct slot *s;
	const struct vf_known_entry *e;
	const struct dkey *o, *best = NULL;
	uint32_t k;
	int found = 0, byurl = 0;

	if (x->size == 0)
		goto done;
	if (d.pkey != NULL) {
		for (k = x->prod[hash(d.pkey) & (x->size - 1)]; k != 0;
		    k = s->next) {
			s = &x->slots[k - 1];
			if (strcmp(s->key, d.pkey) != 0)
				continue;
			if (s->known) {
				e = &x->known->e[s->idx];
				if ((e->vkey != NULL && d.vkey != NULL &&
				    strcmp(e->vkey, d.vkey) != 0) ||
				    (e->cwe != 0 && d.cwe != 0 &&
				    e->cwe != d.cwe) ||
				    !vf_versions_overlap(&e->ver, &d.ver))
					continue;
				known_why(out, e, "product, overlapping versions");
				cwe_why(out, e->cwe, d.cwe);
				vf_buf_adds(out, ")");
				vf_buf_adds(of, e->id);
				found = 1;
				goto done;
			}
			o = &x->c[s->idx];
			if (strcmp(o->id, d.id) == 0 || !earlier(o, &d) ||
			    (o->vkey != NULL && d.vkey != NULL &&
			    strcmp(o->vkey, d.vkey) != 0) ||
			    (o->cwe != 0 && d.cwe != 0 && o->cwe != d.cwe) ||
			    !vf_versions_overlap(&o->ver, &d.ver))
				continue;
			if (best == NULL || earlier(o, best))
				best = o;
		}
	}
	if (d.url != NULL) {
		for (k = x->url[hash(d.url) & (x->size - 1)]; k != 0;
		    k = s->next) {
			s = &x->slots[k - 1];
			if (strcmp(s->key, d.url) != 0)
				continue;
			if (s->known) {
				e = &x->known->e[s->idx];
				if (e->cwe != 0 && d.cwe != 0 && e->cwe != d.cwe)
					continue;
				known_why(out, e, "URL");
				if (e->cwe != 0 && d.cwe != 0) {
					vf_buf_adds(out, " and type, CWE-");
					vf_buf_addnum(out, e->cwe);
				} else
					vf_buf_adds(out, ", no CWE to compare");
				vf_buf_adds(out, ")");
				vf_buf_adds(of, e->id);
				found = 1;
				goto done;
			}
			o = &x->c[s->idx];
			if (strcmp(o->id, d.id) == 0 || !earlier(o, &d))
				continue;
			/* Same type: the CWE where both name one, else the words. */
			if ((o->cwe != 0 && d.cwe != 0) ? o->cwe != d.cwe :
			    (o->cwe == 0 && d.cwe == 0 && (o->tkey == NULL ||
			    d.tkey == NULL || strcmp(o->tkey, d.tkey) != 0)))
				continue;
			if (best == NULL || earlier(o, best)) {
				best = o;
				byurl = 1;
			}
		}
	}
	if (best != NULL) {
		if (byurl) {
			vf_buf_adds(out, "case ");
			vf_buf_adds(out, best->id);
			vf_buf_adds(out, " (same URL and type");
			if (best->cwe != 0 && d.cwe != 0) {
				vf_buf_adds(out, ", CWE-");
				vf_buf_addnum(out, d.cwe);
			}
			vf_buf_adds(out, ")");
		} else {
			vf_buf_adds(out, "case ");
			vf_buf_adds(out, best->id);
			vf_buf_adds(out, " (same product, overlapping versions");
			cwe_why(out, best->cwe, d.cwe);
			vf_buf_adds(out, ")");
		}
		vf_buf_adds(of, "VF#");
		vf_buf_adds(of, best->id);
		found = 1;
	}
done:
	return found;
}

int
vf_dupidx_match(const struct vf_dupidx *x, const struct vf_case *c,
    struct vf_buf *out, struct vf_buf *of)
{
	struct dkey d;
	int found;

	dkey_make(&d, c);
	found = match(x, &d, out, of);
	dkey_free(&d);
	return found;
}

int
vf_dupidx_match_at(const struct vf_dupidx *x, size_t i, struct vf_buf *out,
    struct vf_buf *of)
{
	return i < x->nc ? match(x, &x->c[i], out, of) : 0;
}

void
vf_dupidx_free(struct vf_dupidx *x)
{
	size_t i;

	if (x == NULL)
		return;
	/* The large blocks first: freed after the many small ones, each
	   made malloc consolidate them all again. */
	free(x->prod);
	free(x->url);
	free(x->slots);
	for (i = 0; i < x->nc; i++)
		dkey_free(&x->c[i]);
	free(x->c);
	free(x);
}
