/*
 * The field table (share/fields): the one definition of the report's
 * fields that the parser, the validator, the redactor and the templates
 * all read.  The file format is documented at the top of share/fields.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vf.h"

#define FIELDS_MAX	(1024 * 1024)	/* a table is a few kilobytes */
#define NAME_MAX_LEN	64
#define LABEL_MAX_LEN	200

static const char *const kind_names[] = { "software", "web", "vendor" };
static const char *const class_names[] = {
	"reporter", "vulnerability", "status", "attack"
};
static const char *const format_names[] = {
	"text", "line", "email", "phone", "url", "yesno", "cwe", "date"
};


const char *
vf_kind_name(int kind)
{
	switch (kind) {
	case VF_KIND_SOFTWARE:
		return kind_names[0];
	case VF_KIND_WEB:
		return kind_names[1];
	case VF_KIND_VENDOR:
		return kind_names[2];
	}
	return "unknown";
}

int
vf_kind_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcasecmp(s, kind_names[i]) == 0)
			return 1 << i;
	return 0;
}

const char *
vf_class_name(enum vf_class c)
{
	if ((unsigned)c < sizeof(class_names) / sizeof(class_names[0]))
		return class_names[c];
	return "unknown";
}

const char *
vf_format_name(enum vf_format f)
{
	if ((unsigned)f < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[f];
	return "unknown";
}

const struct vf_field *
vf_fields_find(const struct vf_fields *t, const char *name)
{
	size_t i;

	if (t == NULL || name == NULL)
		return NULL;
	/* The first byte first: it tells the table's groups apart
	   (reporter., product., web., ...), and the whole-tree tools ask
	   for every field of every case. */
	for (i = 0; i < t->n; i++)
		if (t->f[i].name[0] == name[0] &&
		    strcmp(t->f[i].name, name) == 0)
			return &t->f[i];
	return NULL;
}

/*
 * Every string of a table points into its text (t->text), cut up in
 * place: freeing it is freeing that and the arrays, a few dozen calls
 * where a malloc per label made it a thousand, at every start.
 */
void
vf_fields_free(struct vf_fields *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->strs);		/* every field's labels, every pattern */
	free(t->f);
	free(t->heading.w);
	free(t->closing.w);
	free(t->marker.w);
	free(t->yes.w);
	free(t->no.w);
	for (i = 0; i < t->ns; i++) {
		free(t->s[i].field);
		free(t->s[i].yes);
	}
	free(t->s);
	vf_form_cache_free(t->cache);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static int	bad(char *, size_t, const char *, size_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static int
bad(char *err, size_t errlen, const char *file, size_t line,
    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A truncated diagnostic is still a diagnostic. */
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "%s:%zu: %s", file, line, msg);
	return EX_CONFIG;
}

/* bad() with a message of text_problem's kind, naming what and the text. */
static int
problem(char *err, size_t errlen, const char *file, size_t line,
    const char *why, const char *what, const char *text)
{
	char msg[128];

	/* why is one of the fixed messages above, with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	(void)snprintf(msg, sizeof(msg), why, what);
#pragma GCC diagnostic pop
	return bad(err, errlen, file, line, "%s: \"%.40s\"", msg, text);
}

/*
 * strsep(3) with one delimiter: the table is cut up some two thousand
 * times at every start, and strsep's search for a set of them costs
 * thrice strchr's.
 */
static char *
cut(char **sp, int c)
{
	char *s = *sp, *e;

	if (s == NULL)
		return NULL;
	if ((e = strchr(s, c)) != NULL) {
		*e = '\0';
		*sp = e + 1;
	} else
		*sp = NULL;
	return s;
}

static int
valid_name(const char *s)
{
	size_t n;

	if (*s < 'a' || *s > 'z')
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		    s[n] == '-'))
			return 0;
	return n <= NAME_MAX_LEN;
}

/* A comma list of kinds, or "-". Returns the mask, -1 if malformed. */
static int
parse_kinds(char *s)
{
	char *tok;
	int k, mask = 0;

	if (strcmp(s, "-") == 0)
		return 0;
	/* Spelt exactly as kind_names (vf_kind_parse ignores case). */
	while ((tok = cut(&s, ',')) != NULL) {
		for (k = 0; k < 3 && (tok[0] != kind_names[k][0] ||
		    strcmp(tok, kind_names[k]) != 0); k++)
			;
		if (k == 3)
			return -1;
		mask |= 1 << k;
	}
	return mask;
}

static int
parse_enum(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * The character at p, of at most n bytes: its length, 0 if it is not
 * well-formed UTF-8 (shortest forms, no surrogates).
 */
static size_t
utf8_char(const unsigned char *p, size_t n, unsigned *cpp)
{
	unsigned cp;
	size_t k, i;

	if (*p < 0x80) {
		*cpp = *p;
		return 1;
	}
	if ((*p & 0xe0) == 0xc0) {
		k = 2;
		cp = *p & 0x1f;
	} else if ((*p & 0xf0) == 0xe0) {
		k = 3;
		cp = *p & 0x0f;
	} else if ((*p & 0xf8) == 0xf0) {
		k = 4;
		cp = *p & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
	    (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return k;
}

/*
 * What the parser's matching could never find, or NULL: text that is
 * not UTF-8, holds control characters, or full-width ASCII or the
 * ideographic space, which the parser folds before it compares. The
 * message takes what is checked ("label", "word", "pattern") for %s;
 * s is n bytes long.
 *
 * One pass over the text, a run of ASCII or one character at a time
 * (every label, word and pattern of the table is checked at every start
 * of vf-parse and vf-notify: a check a byte at a time, twice over, was a
 * tenth of vf-parse's instructions). The first character that is wrong
 * is remembered, for "not UTF-8" and a space at either end are said
 * before it, whatever comes first.
 */
static const char *
text_problem(const char *s, size_t n, size_t max)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	const unsigned char *p = (const unsigned char *)s, *end;
	const char *first = NULL;
	uint64_t w;
	unsigned cp;
	size_t k;

	if (n == 0)
		return "empty %s";
	if (n > max)
		return "%s too long";
	for (end = p + n; p < end;) {
		if (*p < 0x80) {
			/*
			 * A run of printable ASCII, eight bytes at a time
			 * while none is high, below 0x20 or DEL (byte-wise
			 * arithmetic: no byte carries into the next, for all
			 * are below 0x80), then maybe a control.
			 */
			while (end - p >= 8) {
				memcpy(&w, p, 8);
				if (((w | (w - ones * 0x20) |
				    ((w ^ ones * 0x7f) - ones)) & high) != 0)
					break;
				p += 8;
			}
			while (p < end && *p >= 0x20 && *p < 0x7f)
				p++;
			if (p < end && *p < 0x80) {
				if (first == NULL)
					first = "control character in %s";
				p++;
			}
			continue;
		}
		/*
		 * Three bytes led by E1..EC, EE or EF, as Japanese is: never
		 * too long a form, never a surrogate, so no decoding.
		 */
		/* (Both continuation bytes: their OR, less 0x80, below 0x40.) */
		if (end - p >= 3 && *p >= 0xe1 && *p <= 0xef && *p != 0xed &&
		    ((p[1] ^ 0x80) | (p[2] ^ 0x80)) < 0x40) {
			/* A run of them at once: Japanese text is. */
			do {
				if (*p == 0xe3) {
					if (p[1] == 0x80 && p[2] == 0x80 &&
					    first == NULL)
						first = "ideographic space in "
						    "%s";
				} else if (*p == 0xef && first == NULL &&
				    ((p[1] == 0xbc && p[2] >= 0x81) ||
				    (p[1] == 0xbd && p[2] <= 0x9e)))
					first = "full-width ASCII in %s (write "
					    "it as ASCII)";
				p += 3;
			} while (end - p >= 3 && *p >= 0xe1 && *p <= 0xef &&
			    *p != 0xed && ((p[1] ^ 0x80) | (p[2] ^ 0x80)) < 0x40);
			continue;
		}
		if ((k = utf8_char(p, (size_t)(end - p), &cp)) == 0)
			return "%s is not UTF-8";
		p += k;
		if (first != NULL)
			continue;
		if (cp == 0x3000)
			first = "ideographic space in %s";
		else if (cp >= 0xff01 && cp <= 0xff5e)
			first = "full-width ASCII in %s (write it as ASCII)";
	}
	if (s[0] == ' ' || s[n - 1] == ' ')
		return "%s begins or ends with a space";
	return first;
}

/*
 * Why a label is unusable, or NULL. The parser folds full-width ASCII and
 * strips numbering and bullets before it looks a label up, so a label
 * written with them could never match; refusing it here keeps the table
 * honest.
 */
static const char *
label_problem(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *why;

	if ((why = text_problem(s, strlen(s), LABEL_MAX_LEN)) != NULL)
		return why;
	if (strchr("0123456789([<>{*-+#.,;=", p[0]) != NULL)
		return "%s begins with numbering or a bullet";
	/* Bullets and brackets the parser strips in front of a label. */
	if ((p[0] == 0xe2 || p[0] == 0xe3) &&
	    (strncmp(s, "\xe3\x83\xbb", 3) == 0 ||		/* ・ */
	    strncmp(s, "\xe3\x80\x90", 3) == 0 ||		/* 【 */
	    strncmp(s, "\xe3\x80\x8c", 3) == 0 ||		/* 「 */
	    strncmp(s, "\xe2\x96\xa0", 3) == 0 ||		/* ■ */
	    strncmp(s, "\xe2\x96\xa1", 3) == 0))		/* □ */
		return "%s begins with a bullet or bracket";
	return NULL;
}

/* The words of s, '|'-separated. */
static size_t
count_words(const char *s)
{
	size_t n = 1;

	for (; (s = strchr(s, '|')) != NULL; s++)
		n++;
	return n;
}

/*
 * Every array of strings of the table (each field's labels, each
 * sentence's patterns) in one, grown as it fills: a table of a hundred
 * fields was a hundred and fifty reallocations at every start. Places in
 * it are kept as offsets until the table is read, for growing moves it.
 */
struct pool {
	char		**p;
	size_t		  n, cap;
};

static void
pool_add(struct pool *pl, char *s)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap == 0 ? 1024 : 2 * pl->cap;
		pl->p = vf_reallocarray(pl->p, pl->cap, sizeof(*pl->p));
	}
	pl->p[pl->n++] = s;
}

/* The labels of both languages, in one run of the pool: en is its tail. */
static int
parse_labels(char *ja, char *en, struct vf_field *f, struct pool *pl,
    char *err, size_t errlen, const char *file, size_t line)
{
	char *tok, *s;
	const char *why;
	size_t i;

	for (i = 0; i < 2; i++) {
		s = i == 0 ? ja : en;
		while ((tok = cut(&s, '|')) != NULL) {
			if ((why = label_problem(tok)) != NULL)
				return problem(err, errlen, file, line, why,
				    "label", tok);
			pool_add(pl, tok);
			if (i == 0)
				f->nja++;
			else
				f->nen++;
		}
	}
	return 0;
}

static int
parse_line(char *s, struct vf_field *f, struct pool *pl, char *err,
    size_t errlen, const char *file, size_t line)
{
	char *col[7], *rest = s, *grp;
	size_t n = 0;
	int v;

	while (n < 7 && (col[n] = cut(&rest, ':')) != NULL)
		n++;
	if (n < 7)
		return bad(err, errlen, file, line,
		    "%zu columns, want 7 (name:class:kinds:required:format:"
		    "ja-labels:en-labels)", n);
	if (rest != NULL)
		return bad(err, errlen, file, line,
		    "more than 7 columns (':' in a label?)");
	if (!valid_name(col[0]))
		return bad(err, errlen, file, line,
		    "bad field name \"%.64s\" (a-z 0-9 . -)", col[0]);
	if ((v = parse_enum(col[1], class_names, 4)) == -1)
		return bad(err, errlen, file, line, "unknown class \"%.32s\"",
		    col[1]);
	f->class = (enum vf_class)v;
	if ((f->kinds = parse_kinds(col[2])) == -1)
		return bad(err, errlen, file, line, "bad kinds \"%.40s\"",
		    col[2]);
	/*
	 * "KINDS@GROUP": the fields of one group are alternatives (an
	 * e-mail address, or failing that a telephone or fax number): a
	 * kind requires one of them, not each (vf-validate).
	 */
	if ((grp = strchr(col[3], '@')) != NULL) {
		*grp++ = '\0';
		if (!valid_name(grp) || strcmp(col[3], "-") == 0)
			return bad(err, errlen, file, line,
			    "bad required group \"%.40s\" (KINDS@NAME, "
			    "NAME a-z 0-9 . -)", grp);
	}
	if ((f->required = parse_kinds(col[3])) == -1)
		return bad(err, errlen, file, line,
		    "bad required kinds \"%.40s\"", col[3]);
	if ((f->required & ~f->kinds) != 0)
		return bad(err, errlen, file, line,
		    "required for a kind it does not belong to");
	if ((v = parse_enum(col[4], format_names, 8)) == -1)
		return bad(err, errlen, file, line, "unknown format \"%.32s\"",
		    col[4]);
	f->format = (enum vf_format)v;
	f->name = col[0];
	f->group = grp;
	return parse_labels(col[5], col[6], f, pl, err, errlen, file, line);
}

static int
fold(int c)
{
	c = (unsigned char)c;
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* Eight bytes, 0x20 into those from 'A' to 'Z' (no other). */
static uint64_t
fold8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t t = w & ~high;

	return w | ((t + ones * (0x80 - 'A')) & ~(t + ones * (0x7f - 'Z')) &
	    ~w & high) >> 2;
}

/*
 * A hash of s, ASCII case-folded when folding is set (labels match so),
 * for the checks' sets: equal strings must hash alike, and a collision
 * costs one string compare. So not every byte is hashed: the length and
 * the first and last eight bytes (all of a shorter one) say enough of a
 * label or a name, for every label is hashed at every start.
 */
static uint32_t
key_hash(const char *s, int folding)
{
	uint64_t a = 0, z, h;
	size_t n = strlen(s), i;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&z, s + n - 8, 8);
	} else {
		for (i = 0; i < n; i++)
			a |= (uint64_t)(unsigned char)s[i] << 8 * i;
		z = 0;
	}
	if (folding) {
		a = fold8(a);
		z = fold8(z);
	}
	h = (14695981039346656037ULL ^ a) * 1099511628211ULL;
	h = (h ^ z ^ n) * 1099511628211ULL;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

/*
 * Every label in table order (field by field, its Japanese then English
 * labels), with its field and its folded hash: check_unique and
 * check_words both ask.
 */
struct labels {
	const char	**s;
	uint32_t	 *h, *field;
	size_t		  n;
};

static void
labels_make(struct labels *L, const struct vf_fields *t)
{
	size_t i, j, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->f[i].nja + t->f[i].nen;
	L->s = vf_reallocarray(NULL, n, sizeof(*L->s));
	L->h = vf_reallocarray(NULL, n, sizeof(*L->h));
	L->field = vf_reallocarray(NULL, n, sizeof(*L->field));
	for (i = L->n = 0; i < t->n; i++)
		/* en is the tail of ja's array. */
		for (j = 0; j < t->f[i].nja + t->f[i].nen; j++) {
			L->s[L->n] = t->f[i].ja[j];
			L->h[L->n] = key_hash(t->f[i].ja[j], 1);
			L->field[L->n++] = (uint32_t)i;
		}
}

static void
labels_free(struct labels *L)
{
	free(L->s);
	free(L->h);
	free(L->field);
}

/*
 * An open-addressing set of strings given by number (1..), the slots
 * holding the number: four bytes a slot where a pointer and a field were
 * sixteen, for its clearing was a tenth of the checks. Hashes are
 * compared before strings, so a string is compared only with its equal.
 */
struct set {
	uint32_t	*slot;
	size_t		 mask;
};

static void
set_init(struct set *set, size_t n)
{
	size_t nset;

	for (nset = 16; nset < 2 * n; nset *= 2)
		;
	set->slot = vf_calloc(nset, sizeof(*set->slot));
	set->mask = nset - 1;
}

/*
 * The slot of s (hash h; ASCII case folded when fold) among the strings
 * strs[] with hashes hs[]: the one it is in, or the empty one where it
 * would go.
 */
static size_t
set_slot(const struct set *set, const char *const *strs, const uint32_t *hs,
    const char *s, uint32_t h, int fold)
{
	size_t i;
	uint32_t k;

	for (i = h & set->mask; (k = set->slot[i]) != 0;
	    i = (i + 1) & set->mask)
		if (hs[k - 1] == h && (fold ? strcasecmp(strs[k - 1], s) :
		    strcmp(strs[k - 1], s)) == 0)
			break;
	return i;
}

/*
 * Names unique, and no label (ASCII case-folded, as the parser matches
 * them) naming two fields of one kind: a label may name fields of
 * different kinds ("Type" is web.type in a web report, vuln.type in a
 * software one), for the parser knows the kind before it reads labels.
 * One pass in table order with a hash set, so that the line reported is
 * the second of the two.
 */
static int
check_unique(const struct vf_fields *t, const size_t *lines,
    const struct labels *L, char *err, size_t errlen, const char *file)
{
	struct set set;
	const char **names;
	uint32_t *nh, k;
	unsigned char *kinds;
	size_t i, j;
	int rc = 0;

	names = vf_reallocarray(NULL, t->n, sizeof(*names));
	nh = vf_reallocarray(NULL, t->n, sizeof(*nh));
	set_init(&set, t->n);
	for (i = 0; i < t->n && rc == 0; i++) {
		names[i] = t->f[i].name;
		nh[i] = key_hash(names[i], 0);
		j = set_slot(&set, names, nh, names[i], nh[i], 0);
		if (set.slot[j] != 0)
			rc = bad(err, errlen, file, lines[i],
			    "duplicate field name \"%s\"", t->f[i].name);
		set.slot[j] = (uint32_t)i + 1;
	}
	free(set.slot);
	free(names);
	free(nh);
	if (rc != 0)
		return rc;
	set_init(&set, L->n);
	/* The kinds each label names so far, by the slot it has in set. */
	kinds = vf_calloc(set.mask + 1, 1);
	for (i = 0; i < L->n && rc == 0; i++) {
		j = set_slot(&set, L->s, L->h, L->s[i], L->h[i], 1);
		if ((k = set.slot[j]) == 0)
			set.slot[j] = (uint32_t)i + 1;
		else if (L->field[k - 1] != L->field[i] &&
		    (kinds[j] & t->f[L->field[i]].kinds) != 0)
			rc = bad(err, errlen, file, lines[L->field[i]],
			    "label \"%.40s\" names both %s and %s", L->s[i],
			    t->f[L->field[k - 1]].name,
			    t->f[L->field[i]].name);
		/* The same label twice in one field is harmless. */
		kinds[j] |= (unsigned char)t->f[L->field[i]].kinds;
	}
	free(kinds);
	free(set.slot);
	return rc;
}

#define PATTERN_MAX_LEN	1000
/*
 * Spellings one run of a pattern (between two '*') stands for: the parser
 * tries alternatives in turn, so this bounds its work on any text.
 */
#define SPELLINGS_MAX	65536

/* Where a word of a directive may hold a '*' of its syntax. */
#define STAR_LEAD	0x1
#define STAR_TAIL	0x2

/* One directive of the table ("@heading:...") and where it is kept. */
struct directive {
	const char	*name;
	size_t		 off;	/* of its struct vf_words in vf_fields */
	int		 star;	/* STAR_* */
};

static const struct directive directives[] = {
	{ "heading", offsetof(struct vf_fields, heading), STAR_LEAD },
	{ "closing", offsetof(struct vf_fields, closing), STAR_TAIL },
	{ "marker", offsetof(struct vf_fields, marker), 0 },
	{ "yes", offsetof(struct vf_fields, yes), STAR_LEAD },
	{ "no", offsetof(struct vf_fields, no), STAR_LEAD },
	{ "sentence", 0, 0 },
};

/* The words of a directive's column, '|'-separated, appended to w. */
static int
parse_words(char *s, struct vf_words *w, int star, char *err, size_t errlen,
    const char *file, size_t line)
{
	char *tok;
	const char *why, *b;
	size_t n;

	w->w = vf_reallocarray(w->w, w->n + count_words(s), sizeof(*w->w));
	while ((tok = cut(&s, '|')) != NULL) {
		/* The word without the '*' of the syntax, if it has one. */
		b = tok;
		n = strlen(tok);
		if ((star & STAR_TAIL) && n > 1 && b[n - 1] == '*')
			n--;
		if ((star & STAR_LEAD) && b[0] == '*' && n > 1) {
			b++;
			n--;
		}
		why = text_problem(b, n, LABEL_MAX_LEN);
		if (why == NULL && star != 0 && memchr(b, '*', n) != NULL)
			why = star == STAR_LEAD ?
			    "'*' in a %s but at its start" :
			    "'*' in a %s but at its end";
		if (why != NULL)
			return problem(err, errlen, file, line, why, "word",
			    tok);
		w->w[w->n++] = tok;
	}
	return 0;
}

/*
 * Why a sentence pattern is unusable, or NULL: '*' is any text, {a,b}
 * one of its spellings (an empty one too), and nothing else is special.
 */
static const char *
pattern_problem(const char *s)
{
	const char *why, *p;
	size_t lit = 0, cur = 0, minlen = 0, spell = 1, alts = 0, k;
	int in = 0;

	if ((why = text_problem(s, strlen(s), PATTERN_MAX_LEN)) != NULL)
		return why;
	for (p = s; *p != '\0'; p++) {
		/* The bytes that are no syntax, at once. */
		if ((k = strcspn(p, "{,}*")) > 0) {
			if (in)
				cur += k;
			else
				lit += k;
			if (*(p += k) == '\0')
				break;
		}
		switch (*p) {
		case '{':
			if (in)
				return "braces inside braces in %s";
			in = 1;
			alts = 1;
			cur = 0;
			minlen = SIZE_MAX;
			break;
		case ',':
			if (!in) {
				lit++;
				break;
			}
			alts++;
			if (cur < minlen)
				minlen = cur;
			cur = 0;
			break;
		case '}':
			if (!in)
				return "unbalanced braces in %s";
			in = 0;
			if (cur < minlen)
				minlen = cur;
			lit += minlen;
			if ((spell *= alts) > SPELLINGS_MAX)
				return "%s stands for too many spellings";
			break;
		case '*':
			if (in)
				return "'*' inside braces in %s";
			if (p[1] == '*')
				return "'**' in %s";
			spell = 1;
			break;
		}
	}
	if (in)
		return "unbalanced braces in %s";
	/* "*", "{a,}": a pattern every sentence would match. */
	if (lit < 2)
		return "%s says too little (two characters at least)";
	return NULL;
}

/*
 * What reading a table keeps beside it: the pool, and per field and
 * sentence the line it is on and where its strings begin in the pool.
 * Arrays grow by doubling; each sentence's answers wait for all fields.
 */
struct rd {
	struct pool	  pool;
	size_t		 *lines, *foff, fcap;
	size_t		 *slines, *soff, scap;
	char		**pending;
};

/* @sentence:ANSWERS:PATTERNS; the answers are resolved once fields are. */
static int
parse_sentence(char *answers, char *pats, struct vf_fields *t,
    struct rd *rd, char *err, size_t errlen, const char *file, size_t line)
{
	struct vf_sentence *st;
	const char *why;
	char *tok;

	if (t->ns == rd->scap) {
		rd->scap = rd->scap == 0 ? 32 : 2 * rd->scap;
		t->s = vf_reallocarray(t->s, rd->scap, sizeof(*t->s));
		rd->pending = vf_reallocarray(rd->pending, rd->scap,
		    sizeof(*rd->pending));
		rd->slines = vf_reallocarray(rd->slines, rd->scap,
		    sizeof(*rd->slines));
		rd->soff = vf_reallocarray(rd->soff, rd->scap,
		    sizeof(*rd->soff));
	}
	rd->slines[t->ns] = line;
	rd->pending[t->ns] = answers;
	rd->soff[t->ns] = rd->pool.n;
	st = &t->s[t->ns++];
	memset(st, 0, sizeof(*st));
	while ((tok = cut(&pats, '|')) != NULL) {
		if ((why = pattern_problem(tok)) != NULL)
			return problem(err, errlen, file, line, why, "pattern",
			    tok);
		pool_add(&rd->pool, tok);
		st->npat++;
	}
	return 0;
}

/* "field=yes,field=no": the fields a sentence answers, and how. */
static int
resolve_sentence(struct vf_fields *t, struct vf_sentence *st, char *s,
    char *err, size_t errlen, const char *file, size_t line)
{
	const struct vf_field *f;
	const char *p;
	char *tok, *v;
	size_t i, n = 1;

	for (p = s; (p = strchr(p, ',')) != NULL; p++)
		n++;
	st->field = vf_reallocarray(NULL, n, sizeof(*st->field));
	st->yes = vf_reallocarray(NULL, n, 1);
	while ((tok = cut(&s, ',')) != NULL) {
		if ((v = strchr(tok, '=')) == NULL || (strcmp(v + 1,
		    "yes") != 0 && strcmp(v + 1, "no") != 0))
			return bad(err, errlen, file, line,
			    "bad answer \"%.64s\" (want field=yes or "
			    "field=no)", tok);
		*v++ = '\0';
		if ((f = vf_fields_find(t, tok)) == NULL)
			return bad(err, errlen, file, line,
			    "sentence answers unknown field \"%.64s\"", tok);
		if (f->format != VF_FMT_YESNO || f->class == VF_CLASS_STATUS)
			return bad(err, errlen, file, line,
			    "sentence answers %s, which is not a yesno field "
			    "of a report", f->name);
		for (i = 0; i < st->nfield; i++)
			if (st->field[i] == (size_t)(f - t->f))
				return bad(err, errlen, file, line,
				    "sentence answers %s twice", f->name);
		st->field[st->nfield] = (size_t)(f - t->f);
		st->yes[st->nfield++] = strcmp(v, "yes") == 0;
	}
	return 0;
}

/* A line beginning with '@'. */
static int
parse_directive(char *line, struct vf_fields *t, struct rd *rd, char *err,
    size_t errlen, const char *file, size_t lineno)
{
	const struct directive *d = NULL;
	char *col[4], *rest = line + 1;
	size_t n = 0, i, want;

	while (n < 4 && (col[n] = cut(&rest, ':')) != NULL)
		n++;
	for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(col[0], directives[i].name) == 0)
			d = &directives[i];
	if (d == NULL)
		return bad(err, errlen, file, lineno, "unknown directive "
		    "\"@%.32s\" (heading, closing, marker, yes, no, sentence)",
		    col[0]);
	want = d->off == 0 ? 3 : 2;
	if (n != want || rest != NULL)
		return bad(err, errlen, file, lineno, want == 3 ?
		    "want @sentence:ANSWERS:PATTERNS" :
		    "want @%s:WORDS", d->name);
	if (d->off != 0)
		return parse_words(col[1], (struct vf_words *)(void *)
		    ((char *)t + d->off), d->star, err, errlen, file, lineno);
	return parse_sentence(col[1], col[2], t, rd, err, errlen, file,
	    lineno);
}

/*
 * The words of the directives against the labels: a heading that is a
 * label would never be seen as one (labels are looked for first), and a
 * label that begins with a required marker could never match, for the
 * parser takes markers off before it looks for a label. (One that ends
 * with one still matches: the longest label that fits wins.)
 */
static int
check_words(const struct vf_fields *t, const size_t *lines,
    const struct labels *L, char *err, size_t errlen, const char *file)
{
	const struct vf_field *f;
	struct set set;
	const char *l, *m;
	uint32_t *hh;
	size_t i, k, ll, ml;
	int rc = 0;

	/*
	 * The headings in a hash set: every label against every heading with
	 * strcasecmp was 20,000 calls, an eighth of vf-parse's instructions
	 * on a small mail (doc/BENCH.md), at every start.
	 */
	hh = vf_reallocarray(NULL, t->heading.n + 1, sizeof(*hh));
	set_init(&set, t->heading.n);
	for (k = 0; k < t->heading.n; k++) {
		hh[k] = key_hash(t->heading.w[k], 1);
		i = set_slot(&set, (const char *const *)t->heading.w, hh,
		    t->heading.w[k], hh[k], 1);
		if (set.slot[i] == 0)
			set.slot[i] = (uint32_t)k + 1;
	}
	for (i = 0; rc == 0 && i < L->n; i++) {
		l = L->s[i];
		f = &t->f[L->field[i]];
		if (set.slot[set_slot(&set, (const char *const *)t->heading.w,
		    hh, l, L->h[i], 1)] != 0) {
			rc = bad(err, errlen, file, lines[L->field[i]],
			    "label \"%.40s\" of %s is also a heading", l,
			    f->name);
			break;
		}
		ll = strlen(l);
		for (k = 0; k < t->marker.n; k++) {
			m = t->marker.w[k];
			/* Most differ in the first byte: no call. */
			if (fold(l[0]) != fold(m[0]))
				continue;
			ml = strlen(m);
			if (ml < ll && strncasecmp(l, m, ml) == 0) {
				rc = bad(err, errlen, file, lines[L->field[i]],
				    "label \"%.40s\" of %s begins with the "
				    "marker \"%s\"", l, f->name, m);
				break;
			}
		}
	}
	free(set.slot);
	free(hh);
	return rc;
}

static int
parse_table(struct vf_fields *t, char *text, const char *file, char *err,
    size_t errlen)
{
	struct vf_field f;
	struct rd rd;
	size_t lineno = 0, i, len;
	char *line, *rest = text, *p;
	struct labels L = { 0 };
	int rc = 0;

	memset(&rd, 0, sizeof(rd));
	while (rc == 0 && (line = cut(&rest, '\n')) != NULL) {
		lineno++;
		/*
		 * A CR that is the line's first and last byte goes: found
		 * from the line's end (cut knows it), not by a search of
		 * every line.
		 */
		len = rest != NULL ? (size_t)(rest - 1 - line) : strlen(line);
		if (len > 0 && line[len - 1] == '\r' &&
		    memchr(line, '\r', len - 1) == NULL)
			line[len - 1] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (p != line) {
			rc = bad(err, errlen, file, lineno,
			    "field line begins with white space");
			break;
		}
		if (*line == '@') {
			rc = parse_directive(line, t, &rd, err, errlen, file,
			    lineno);
			continue;
		}
		memset(&f, 0, sizeof(f));
		if (t->n == rd.fcap) {
			rd.fcap = rd.fcap == 0 ? 128 : 2 * rd.fcap;
			t->f = vf_reallocarray(t->f, rd.fcap, sizeof(*t->f));
			rd.lines = vf_reallocarray(rd.lines, rd.fcap,
			    sizeof(*rd.lines));
			rd.foff = vf_reallocarray(rd.foff, rd.fcap,
			    sizeof(*rd.foff));
		}
		rd.foff[t->n] = rd.pool.n;
		if ((rc = parse_line(line, &f, &rd.pool, err, errlen, file,
		    lineno)) != 0)
			break;
		rd.lines[t->n] = lineno;
		t->f[t->n++] = f;
	}
	/* The pool is whole: its places become pointers. */
	t->strs = rd.pool.p;
	for (i = 0; i < t->n; i++) {
		t->f[i].ja = t->strs + rd.foff[i];
		t->f[i].en = t->f[i].ja + t->f[i].nja;
	}
	for (i = 0; i < t->ns; i++)
		t->s[i].pat = t->strs + rd.soff[i];
	if (rc == 0 && t->n == 0)
		rc = bad(err, errlen, file, lineno, "no fields");
	/* Sentences may name fields defined after them. */
	for (i = 0; i < t->ns && rc == 0; i++)
		rc = resolve_sentence(t, &t->s[i], rd.pending[i], err, errlen,
		    file, rd.slines[i]);
	if (rc == 0)
		labels_make(&L, t);
	if (rc == 0)
		rc = check_unique(t, rd.lines, &L, err, errlen, file);
	if (rc == 0)
		rc = check_words(t, rd.lines, &L, err, errlen, file);
	labels_free(&L);
	free(rd.pending);
	free(rd.slines);
	free(rd.soff);
	free(rd.lines);
	free(rd.foff);
	return rc;
}

int
vf_fields_load(struct vf_fields *t, const char *path, char *err,
    size_t errlen)
{
	struct vf_buf b = { 0 };
	const char *file;
	int fd, r, rc, e;

	memset(t, 0, sizeof(*t));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		e = errno;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(e));
		return e == ENOENT || e == ENOTDIR ? EX_NOINPUT : EX_CONFIG;
	}
	r = vf_buf_readfd(&b, fd, FIELDS_MAX);
	if (close(fd) == -1 && r == 0)
		r = -1;
	if (r == -1)
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (r != 0) {
		if (r == 1)
			(void)snprintf(err, errlen, "%s: larger than %d bytes",
			    path, FIELDS_MAX);
		vf_buf_free(&b);
		return EX_CONFIG;
	}
	/* An empty file leaves the buffer unterminated: terminate it here. */
	vf_buf_grow(&b, 0);
	b.p[b.len] = '\0';
	if (memchr(b.p, '\0', b.len) != NULL) {
		vf_buf_free(&b);
		(void)snprintf(err, errlen, "%s: contains a NUL byte", path);
		return EX_CONFIG;
	}
	/* Diagnostics name the table as "fields:LINE:", the way it is known. */
	file = (file = strrchr(path, '/')) != NULL ? file + 1 : path;
	t->text = vf_buf_take(&b, NULL);
	if ((rc = parse_table(t, t->text, file, err, errlen)) != 0)
		vf_fields_free(t);
	else
		t->cache = vf_form_cache_new();
	return rc;
}
