/*
 * The form parser: finds a report's fields in its decoded text by the
 * labels of the field table.  Reporters fill the forms in carelessly
 * (full-width colons, numbered and unnumbered labels, values on the next
 * line, checkboxes as ■/□ or [x]), so labels are matched on a normalised
 * copy of each line; the rules are documented at the top of share/fields.
 * Every word the parser looks for (labels, headings, closings, markers,
 * answers, the sentences that answer yes/no fields) comes from the table;
 * what is here is the shapes around them: bullets, boxes, numbering,
 * brackets, rules and quote markers.
 *
 * Besides label lines, the text is read as statements (a sentence, or
 * what follows a box), and each is matched against the table's sentence
 * patterns: "[x] 届出者情報をウェブサイト運営者に知らせても良い" answers
 * consent.operator.  Where labels and sentences disagree, or nothing is
 * chosen, the answer is kept as written, for staff to ask.
 *
 * Cost is linear in the text: each line is normalised once (at most
 * NORM_MAX bytes of it), and its label is found by hashing its prefixes
 * incrementally, looking up only where a separator could follow, and
 * giving up as soon as no label begins with what was read (most lines of
 * a long report are no label lines).  A statement is at most STMT_MAX
 * bytes, and is matched only when one of the words that begin patterns
 * occurs in it.
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
#define STMT_MAX	1024	/* bytes of a statement matched */
#define RUN_BITS	1024	/* buckets of a statement's positions */

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

/* A word of the table's "@" lines, normalised. */
struct word {
	char		*w;
	size_t		 len;
	int		 flags;		/* W_* */
};

#define W_YES		0x1	/* an answer that means yes */
#define W_WHOLE		0x2	/* an answer only as the whole answer */
#define W_SUFFIX	0x4	/* "*X": also at the end (of an answer,
				   of a numbered heading) */
#define W_PREFIX	0x8	/* "X*": a closing line starting so */

struct words {
	struct word	*v;
	size_t		 n;
};

/*
 * A sentence pattern: runs separated by '*' (any text), each a sequence
 * of atoms that must follow one another, an atom being one literal or
 * the alternatives of a {a,b} group. Normalised, white space removed.
 */
struct atom {
	char		**alt;
	size_t		 *len;
	size_t		  n;
};

struct run {
	struct atom	*a;
	size_t		 n;
	/*
	 * The first two bytes of its first atom's spellings, hashed to one
	 * of RUN_BITS buckets: only a position of the text in one of them
	 * can begin it. all: a spelling is shorter than that, so any may.
	 */
	size_t		*bucket;
	size_t		 nbucket;
	int		 all;
};

struct pat {
	struct run	*run;
	size_t		 nrun;
	size_t		 sentence;	/* in the table */
};

/*
 * Where an index keeps its many small strings and arrays (the sentence
 * patterns alone are some seven hundred spellings): blocks handed out in
 * order and freed together, not a malloc, a realloc and a free each.
 */
struct arena {
	struct block	*b;		/* the newest block */
};

struct block {
	struct block	*prev;
	size_t		 used, cap;
	max_align_t	 mem[];
};

/*
 * What the indexes of every kind share: the words of the table's "@"
 * lines and the sentence patterns, normalised once for the table, a
 * sentence's patterns when an index first needs them (a report of unknown
 * kind is read twice, with two indexes).
 */
struct shared {
	struct arena	 arena;
	int		 ready;		/* words made, pat allocated */
	struct words	 heading, closing, marker, answer;
	struct pat	*pat;		/* every sentence's, in table order */
	size_t		*first;		/* per sentence: its first in pat */
	char		*built;		/* per sentence: its patterns made */
};

struct index {
	struct shared	*sh;		/* the table's, or its own (own) */
	int		 own;
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
	const struct vf_fields *t;
	int		 kind;
	struct words	 heading, closing, marker, answer;	/* sh's */
	const struct pat **pat;		/* of the sentences of its kind */
	size_t		 npat;
	/*
	 * The bytes a marker begins and ends with, and a heading ends
	 * with, as bit sets: most lines of a long report (a log) neither
	 * begin nor end so, and are told apart with no word compared.
	 */
	uint8_t		 mfirst[32], mlast[32], hlast[32];
	/*
	 * The first two bytes of every spelling of a pattern's first run,
	 * as a bit set: a statement holding none of them matches nothing.
	 */
	uint8_t		 lead[65536 / 8];
};

/* A line normalised for matching. */
struct nline {
	char		 n[NORM_MAX + 1];
	char		 tmp[NORM_MAX + 1];
	size_t		 len;
	int		 trunc;		/* the line goes on past n */
};

enum mode { M_NONE, M_ALL, M_PARA, M_FIRST, M_YESNO };

/* A statement being read: a sentence, or what a box stands before. */
struct stmt {
	struct vf_buf	 key;		/* normalised, without white space */
	struct vf_buf	 gap;		/* per byte of key: white space was
					   before it */
	int		 box;		/* -1 none, 0 unmarked, 1 marked */
	int		 quote;		/* quote depth of its first line */
	int		 space;		/* white space seen since the last */
	int		 open;		/* not ended by punctuation */
	int		 par;		/* first of a paragraph in a value */
	size_t		 parlen;	/*   whose length was this before */
	/* Where it begins and ends, to quote it as written. */
	const char	*sline, *eline;
	size_t		 slen, elen, spos, epos;
};

struct hit;

/* What the statements said about one yes/no field. */
struct ev {
	size_t		 wyes, wno;	/* the fewest fields a statement that
					   said yes (no) answered; 0: none */
	struct vf_buf	 raw;		/* the statements, as written */
	const char	*lastraw;
};

struct state {
	const struct vf_fields	*t;
	const struct index	*ix;
	struct vf_buf		*val;	/* per field */
	struct vf_buf		*asis;	/* per field: a yes/no as written */
	char			*done;	/* per field: has its value */
	struct ev		*ev;	/* per field */
	char			*seen;	/* per sentence, of one statement */
	struct hit		*hit;	/* per sentence, of one statement */
	int			*head;	/* per bucket: a statement's last
					   position in it, -1: none */
	int			*next;	/* per position: the one before in
					   its bucket */
	size_t			 nnext;	/* room in next */
	size_t			 cur;	/* field being read, if mode */
	enum mode		 mode;
	int			 quote;	/* quote depth of its label line */
	int			 content;
	int			 inlined; /* first line was on the label line */
	uint32_t		 sig;	/* numbering of its label line */
	unsigned		 num;	/*   and its number, 0: none */
	unsigned		 lastnum; /* of the list in its value */
	size_t			 offer;	/* the choices the label line offered,
					   none marked: the answer may follow */
	size_t			 parlen;  /* its length before a paragraph */
	int			 par;	/* that paragraph's first statement
					   is yet to begin */
	struct stmt		 stmt;
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
		/*
		 * Three bytes led by E1..EC, EE or EF, as Japanese text is,
		 * and none that folds (EF BC, EF BD: full-width ASCII; E3 80
		 * 80: the ideographic space): copied as they are, with no
		 * decoding, for none is too long a form.
		 */
		if (u[i] >= 0xe1 && u[i] <= 0xef && u[i] != 0xed &&
		    n - i >= 3 && (u[i + 1] & 0xc0) == 0x80 &&
		    (u[i + 2] & 0xc0) == 0x80 && !(u[i] == 0xef &&
		    (u[i + 1] == 0xbc || u[i + 1] == 0xbd)) &&
		    !(u[i] == 0xe3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)) {
			if (o + 3 > max)
				break;
			memcpy(out + o, u + i, 3);
			o += 3;
			i += 3;
			continue;
		}
		/* Three bytes of another kind: decoded here, no call. */
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

/* Every box begins so: most text is none, and quickly, with no call. */
static int
box_lead(int c)
{
	return (unsigned char)c == 0xe2 || c == '[' || c == '(';
}
static int	answer_at(const struct index *, const char *, size_t, size_t *);

/* ---- the label index --------------------------------------------------- */

#define BLOCK_MIN	(16 * 1024)

/* n bytes, aligned for any object, that live as long as the arena. */
static void *
arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->b;
	size_t cap;
	void *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t);
	if (b == NULL || b->cap - b->used < n) {
		cap = n > BLOCK_MIN / sizeof(max_align_t) ? n :
		    BLOCK_MIN / sizeof(max_align_t);
		b = vf_malloc(sizeof(*b) + cap * sizeof(max_align_t));
		b->prev = a->b;
		b->used = 0;
		b->cap = cap;
		a->b = b;
	}
	p = b->mem + b->used;
	b->used += n;
	return p;
}

/* n objects of size bytes: n is bounded by a pattern's length. */
static void *
arena_array(struct arena *a, size_t n, size_t size)
{
	return arena_alloc(a, n * size);
}

static void
arena_free(struct arena *a)
{
	struct block *b;

	while ((b = a->b) != NULL) {
		a->b = b->prev;
		free(b);
	}
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
byte_set(uint8_t *set, int c)
{
	set[(unsigned char)c / 8] |= 1 << ((unsigned char)c % 8);
}

static int
byte_has(const uint8_t *set, int c)
{
	return set[(unsigned char)c / 8] & (1 << ((unsigned char)c % 8));
}

/*
 * A table vf_fields_load made (it has a cache) is checked: its labels and
 * patterns hold no full-width ASCII and no ideographic space (fields.c
 * refuses them), the only text normalise changes but for ASCII case. For
 * them normalising is lowercasing, done in the pass that copies (and
 * hashes) them: "plain". Any other table is normalised as the text is.
 */
static void
index_add(struct index *ix, const char *label, size_t field, int plain)
{
	const unsigned char *u = (const unsigned char *)label;
	struct label *l;
	size_t i, n, used, m, b;
	uint32_t h;
	unsigned hi, c;
	char *s;

	n = strlen(label);
	s = ix->mem + ix->used;
	/*
	 * One pass: the label lowercased into s, the hash of each prefix,
	 * the first PFX_DEPTH of them into the filter, the last the
	 * label's. (A label seen before sets the bits it set then.)
	 */
	for (h = FNV_OFFSET, hi = 0, i = 0; plain && i < n; i++) {
		c = (unsigned)lower(u[i]);
		s[i] = (char)c;
		h = (h ^ c) * FNV_PRIME;
		hi |= c;
		if (i < PFX_DEPTH) {
			b = pfx_bit(h);
			ix->pfx[b / 8] |= 1 << (b % 8);
		}
	}
	if (!plain) {
		if ((n = normalise(label, n, s, n, &used, 1)) == 0)
			return;
		for (h = FNV_OFFSET, hi = 0, i = 0; i < n; i++) {
			h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
			hi |= (unsigned char)s[i];
			if (i < PFX_DEPTH) {
				b = pfx_bit(h);
				ix->pfx[b / 8] |= 1 << (b % 8);
			}
		}
	} else if (n == 0)
		return;
	s[n] = '\0';
	if (lookup(ix, h, s, n) != NULL)
		/* The same label in both languages ("URL", "E-mail"). */
		return;
	ix->used += n + 1;
	l = &ix->lab[ix->nlab];
	l->s = s;
	l->len = n;
	l->h = h;
	l->field = field;
	l->format = ix->fmt;
	l->ascii = hi < 0x80;
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

static void	index_words(struct index *, const struct vf_fields *, int);

/* The index of kind, sharing sh's words and patterns (NULL: its own). */
static void
index_build(struct index *ix, const struct vf_fields *t, int kind,
    struct shared *sh)
{
	size_t i, j, total = 0, bytes = 0;
	int plain = t->cache != NULL;

	memset(ix, 0, sizeof(*ix));
	if ((ix->own = sh == NULL))
		sh = vf_calloc(1, sizeof(*sh));
	ix->sh = sh;
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
			index_add(ix, t->f[i].ja[j], i, plain);
		for (j = 0; j < t->f[i].nen; j++)
			index_add(ix, t->f[i].en[j], i, plain);
	}
	index_words(ix, t, kind);
}

/* A copy of s normalised for matching (never longer than s). */
static char *
norm_dup(struct arena *a, const char *s, size_t n, size_t *len)
{
	char *out;
	size_t used;

	out = arena_alloc(a, n + 1);
	*len = normalise(s, n, out, n, &used, 1);
	return out;
}

static void
words_add(struct arena *a, struct words *ws, const struct vf_words *from,
    int flags)
{
	const char *w;
	struct word *d;
	size_t i, n;

	ws->v = vf_reallocarray(ws->v, ws->n + from->n, sizeof(*ws->v));
	for (i = 0; i < from->n; i++) {
		w = from->w[i];
		n = strlen(w);
		d = &ws->v[ws->n];
		d->flags = flags;
		if (n > 1 && w[0] == '*' && (flags & W_SUFFIX)) {
			w++;
			n--;
		} else if (n > 1 && w[n - 1] == '*' && (flags & W_PREFIX))
			n--;
		else
			d->flags &= ~(W_SUFFIX | W_PREFIX);
		d->w = norm_dup(a, w, n, &d->len);
		if (d->len == 0)
			continue;
		if (d->len == 1 && (unsigned char)d->w[0] < 0x80)
			d->flags |= W_WHOLE;
		ws->n++;
	}
}

/*
 * Append n bytes of normalised text to a statement's key: white space is
 * dropped (Japanese is written with or without spaces beside ASCII:
 * "IPA とのみ" is "IPAとのみ"), but where it stood is kept, for a word
 * must begin and end where words do. Typographic apostrophes become
 * ASCII ones.
 */
static void
key_add(struct stmt *m, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k;

	for (i = 0; i < n && m->key.len < STMT_MAX; i += k) {
		k = 1;
		if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n') {
			m->space = 1;
			continue;
		}
		if (u[i] >= 0x80)
			while (i + k < n && (u[i + k] & 0xc0) == 0x80)
				k++;
		vf_buf_addc(&m->gap, m->space);
		if (k == 3 && u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0x98 || u[i + 2] == 0x99))	/* ‘ ’ */
			vf_buf_addc(&m->key, '\'');
		else {
			vf_buf_add(&m->key, s + i, k);
			while (m->gap.len < m->key.len)
				vf_buf_addc(&m->gap, 0);
		}
		m->space = 0;
	}
}

/* Has the word a byte equal to c (c below 0x80, the word's too)? */
static int
has_byte(uint64_t w, int c)
{
	const uint64_t ones = 0x0101010101010101ULL;

	w ^= ones * (unsigned char)c;
	return ((w - ones) & ~w & ones * 0x80) != 0;
}

/*
 * A literal of a pattern, normalised, without white space, as the next
 * of a's alternatives (there is room for it). In a checked table (plain)
 * normalising is lowercasing (index_add): done with the copy, eight bytes
 * at a time where they are all Japanese (copied) or all ASCII without
 * white space (lowercased).
 */
static void
lit_build(struct arena *ar, struct atom *a, const char *s, size_t n,
    int plain)
{
	const uint64_t high = 0x8080808080808080ULL;
	const unsigned char *u = (const unsigned char *)s;
	char *t, *ws;
	size_t len, i, j;
	uint64_t w, lw;

	t = arena_alloc(ar, n + 1);
	for (i = j = 0; plain && i < n;) {
		if (n - i >= 8) {
			memcpy(&w, u + i, 8);
			if ((w & high) == high) {
				memcpy(t + j, &w, 8);
				i += 8;
				j += 8;
				continue;
			}
			if ((lw = ascii8(u + i, 1)) != 0 && !has_byte(w, ' ') &&
			    !has_byte(w, '\t')) {
				memcpy(t + j, &lw, 8);
				i += 8;
				j += 8;
				continue;
			}
		}
		if (!isws(u[i]))
			t[j++] = (char)lower(u[i]);
		i++;
	}
	if (plain) {
		t[j] = '\0';
		a->alt[a->n] = t;
		a->len[a->n++] = j;
		return;
	}
	len = normalise(s, n, t, n, &i, 1);
	/* Most literals hold no white space: no pass over them. */
	if ((ws = strpbrk(t, " \t")) == NULL)
		j = len;
	else {
		for (i = j = (size_t)(ws - t); i < len; i++)
			if (!isws(t[i]))
				t[j++] = t[i];
		t[j] = '\0';
	}
	a->alt[a->n] = t;
	a->len[a->n++] = j;
}

/* How many times c occurs in the n bytes at s. */
static size_t
count_of(const char *s, size_t n, int c)
{
	const char *e = s + n;
	size_t k = 0;

	while ((s = memchr(s, c, (size_t)(e - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

/* Room for n alternatives in a. */
static void
atom_init(struct arena *ar, struct atom *a, size_t n)
{
	a->alt = arena_array(ar, n, sizeof(*a->alt));
	a->len = arena_array(ar, n, sizeof(*a->len));
	a->n = 0;
}

static size_t
run_bit(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return ((size_t)u[0] * 31 + u[1]) % RUN_BITS;
}

/* A run of a pattern (the text between two '*') as atoms. */
static void
run_build(struct arena *ar, struct run *r, const char *s, size_t n,
    int plain)
{
	const char *q = s, *close, *e;
	struct atom *a;
	size_t k, i, b;

	/* At most a literal before each group, and one after the last. */
	k = count_of(s, n, '{');
	r->a = arena_array(ar, 2 * k + 1, sizeof(*r->a));
	while (q < s + n) {
		a = &r->a[r->n++];
		if (*q != '{') {
			for (k = 0; q + k < s + n && q[k] != '{'; k++)
				;
			atom_init(ar, a, 1);
			lit_build(ar, a, q, k, plain);
			q += k;
			continue;
		}
		if ((close = memchr(q, '}', (size_t)(s + n - q))) == NULL)
			close = s + n;
		atom_init(ar, a, count_of(q, (size_t)(close - q), ',') + 1);
		for (q++; q <= close; q = e + 1) {
			if ((e = memchr(q, ',', (size_t)(close - q))) == NULL)
				e = close;
			lit_build(ar, a, q, (size_t)(e - q), plain);
		}
		q = close + (close < s + n);
	}
	r->all = r->n == 0;
	for (k = 0; r->n > 0 && k < r->a[0].n; k++) {
		if (r->a[0].len[k] < 2) {
			r->all = 1;
			continue;
		}
		b = run_bit(r->a[0].alt[k]);
		for (i = 0; i < r->nbucket && r->bucket[i] != b; i++)
			;
		if (i < r->nbucket)
			continue;
		if (r->bucket == NULL)
			r->bucket = arena_array(ar, r->a[0].n,
			    sizeof(*r->bucket));
		r->bucket[r->nbucket++] = b;
	}
}

static void
pat_build(struct arena *ar, struct pat *p, const char *s, size_t sentence,
    int plain)
{
	const char *q, *star;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->sentence = sentence;
	n = strlen(s);
	p->run = arena_array(ar, count_of(s, n, '*') + 1, sizeof(*p->run));
	for (q = s; *q != '\0'; q = star + (*star != '\0')) {
		if ((star = strchr(q, '*')) == NULL)
			star = q + strlen(q);
		if ((n = (size_t)(star - q)) == 0)
			continue;
		memset(&p->run[p->nrun], 0, sizeof(*p->run));
		run_build(ar, &p->run[p->nrun++], q, n, plain);
	}
}

/* Where a statement could begin to match p: its first two bytes. */
static void
pat_lead(struct index *ix, const struct pat *p)
{
	const struct atom *a;
	const unsigned char *u;
	size_t i, n;

	a = p->nrun > 0 && p->run[0].n > 0 ? &p->run[0].a[0] : NULL;
	for (i = 0; a != NULL && i < a->n; i++) {
		u = (const unsigned char *)a->alt[i];
		if (a->len[i] < 2) {
			memset(ix->lead, 0xff, sizeof(ix->lead));
			return;
		}
		n = (size_t)u[0] << 8 | u[1];
		ix->lead[n / 8] |= 1 << (n % 8);
	}
	if (a == NULL)
		memset(ix->lead, 0xff, sizeof(ix->lead));
}

/* The words and room for the patterns, once for the table. */
static void
shared_init(struct shared *sh, const struct vf_fields *t)
{
	size_t i, k;

	words_add(&sh->arena, &sh->heading, &t->heading, W_SUFFIX);
	words_add(&sh->arena, &sh->closing, &t->closing, W_PREFIX);
	words_add(&sh->arena, &sh->marker, &t->marker, 0);
	words_add(&sh->arena, &sh->answer, &t->yes, W_YES | W_SUFFIX);
	words_add(&sh->arena, &sh->answer, &t->no, W_SUFFIX);
	sh->first = vf_reallocarray(NULL, t->ns + 1, sizeof(*sh->first));
	sh->built = vf_calloc(t->ns + 1, 1);
	for (i = k = 0; i < t->ns; i++) {
		sh->first[i] = k;
		k += t->s[i].npat;
	}
	sh->pat = arena_array(&sh->arena, k, sizeof(*sh->pat));
	sh->ready = 1;
}

static void
shared_free(struct shared *sh)
{
	free(sh->heading.v);
	free(sh->closing.v);
	free(sh->marker.v);
	free(sh->answer.v);
	free(sh->first);
	free(sh->built);
	arena_free(&sh->arena);
}

static void
index_words(struct index *ix, const struct vf_fields *t, int kind)
{
	struct shared *sh = ix->sh;
	const struct vf_sentence *se;
	struct pat *p;
	size_t i, j, k, n;

	ix->t = t;
	ix->kind = kind;
	if (!sh->ready)
		shared_init(sh, t);
	ix->heading = sh->heading;
	ix->closing = sh->closing;
	ix->marker = sh->marker;
	ix->answer = sh->answer;
	/* words_add keeps no empty word. */
	for (i = 0; i < ix->marker.n; i++) {
		byte_set(ix->mfirst, ix->marker.v[i].w[0]);
		byte_set(ix->mlast, ix->marker.v[i].w[ix->marker.v[i].len - 1]);
	}
	for (i = 0; i < ix->heading.n; i++)
		byte_set(ix->hlast, ix->heading.v[i].w[ix->heading.v[i].len - 1]);
	for (i = n = 0; i < t->ns; i++)
		n += t->s[i].npat;
	ix->pat = vf_reallocarray(NULL, n, sizeof(*ix->pat));
	for (i = 0; i < t->ns; i++) {
		se = &t->s[i];
		/* A sentence about no field of this kind says nothing. */
		for (j = k = 0; j < se->nfield; j++)
			if (se->field[j] < t->n &&
			    recognised(&t->f[se->field[j]], kind))
				k++;
		if (k == 0)
			continue;
		for (j = 0; j < se->npat; j++) {
			p = &sh->pat[sh->first[i] + j];
			if (!sh->built[i])
				pat_build(&sh->arena, p, se->pat[j], i,
				    t->cache != NULL);
			pat_lead(ix, p);
			ix->pat[ix->npat++] = p;
		}
		sh->built[i] = 1;
	}
}

static void
index_free(struct index *ix)
{
	free(ix->mem);
	free(ix->lab);
	free(ix->slot);
	free(ix->pat);
	if (ix->own) {
		shared_free(ix->sh);
		free(ix->sh);
	}
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

static const char *const open_brackets[] = {
	"[", "<", "(", "\xe3\x80\x90", "\xe3\x80\x8c", "\xe3\x80\x94", NULL
};	/* [ < ( 【 「 〔 */
static const char *const close_brackets[] = {
	"]", ">", ")", "\xe3\x80\x91", "\xe3\x80\x8d", "\xe3\x80\x95", NULL
};	/* ] > ) 】 」 〕 */

/* One of the strings of set at p: its length, 0 if none. */
static size_t
one_of(const char *p, size_t n, const char *const *set)
{
	size_t k;

	for (; *set != NULL; set++)
		if ((k = at(p, n, *set)) != 0)
			return k;
	return 0;
}

/*
 * A required marker of the table at p, bare or in brackets ("※", "*",
 * "【必須】", "[required]"): its length, 0 if none.
 */
static size_t
marker_at(const struct index *ix, const char *p, size_t n)
{
	const struct word *m;
	size_t i, o, k, c, best = 0;

	o = one_of(p, n, open_brackets);
	if (o >= n || !byte_has(ix->mfirst, p[o]))
		return 0;
	for (i = 0; i < ix->marker.n; i++) {
		m = &ix->marker.v[i];
		if ((k = at(p + o, n - o, m->w)) == 0)
			continue;
		k += o;
		/* A word ("必須", "required") ends there, not inside one. */
		if (isalnum_((unsigned char)m->w[m->len - 1]) && k < n &&
		    isalnum_((unsigned char)p[k]))
			continue;
		if (o > 0) {
			if ((c = one_of(p + k, n - k, close_brackets)) == 0)
				continue;
			k += c;
		}
		if (k > best)
			best = k;
	}
	return best;
}

/* What strip_prefix skipped. */
#define PF_NUMBER	0x1	/* numbering */
#define PF_BRACKET	0x2	/* an opening bracket */

/*
 * Skip what may stand before a label: spaces, quote markers, bullets,
 * numbering, an opening bracket, a required marker. Returns the position
 * of the label; *quote gets the number of quote markers in front, *pf
 * what else was skipped (PF_*).
 */
static size_t
strip_prefix(const struct index *ix, const struct nline *nl, int *quote,
    int *pf)
{
	const char *n = nl->n;
	size_t p = 0, k, i, len = nl->len;
	int r, moved, c;

	*quote = *pf = 0;
	for (; p < len && (isws(n[p]) || n[p] == '>'); p++)
		if (n[p] == '>')
			(*quote)++;
	for (r = 0; r < PREFIX_ROUNDS; r++) {
		moved = 0;
		while (p < len && (isws(n[p]) || n[p] == '#')) {
			p++;
			moved = 1;
		}
		if ((k = marker_at(ix, n + p, len - p)) != 0) {
			p += k;
			moved = 1;
		}
		/* Every bullet begins with one of these bytes. */
		c = p < len ? (unsigned char)n[p] : 0;
		for (i = 0; (c >= 0xe2 || c == '*' || c == '+' || c == '-') &&
		    i < sizeof(bullets) / sizeof(bullets[0]); i++)
			if ((k = at(n + p, len - p, bullets[i])) != 0) {
				p += k;
				moved = 1;
				break;
			}
		if ((k = numbering(n + p, len - p)) != 0) {
			p += k;
			moved = 1;
			*pf |= PF_NUMBER;
		}
		if ((k = one_of(n + p, len - p, open_brackets)) != 0 && n[p] != '(') {
			p += k;
			moved = 1;
			*pf |= PF_BRACKET;
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
	case '>': case '(': case ')': case '?': case '*': case '[':
	case '<':
	case '\0':	/* as strchr(":=-]>()?*[<", c) had it */
		return 1;
	}
	return at(n + i, nl->len - i, "\xe3\x80\x91") ||		/* 】 */
	    at(n + i, nl->len - i, "\xe3\x80\x8d") ||		/* 」 */
	    at(n + i, nl->len - i, "\xe3\x80\x90") ||		/* 【 */
	    at(n + i, nl->len - i, "\xe2\x80\xbb");		/* ※ */
}

/*
 * After an ASCII label and one space, does the rest look like a value of
 * the field ("URL https://...", "Email a@example.com"), rather than prose
 * that happens to begin with the label's word ("Type the URL")?
 */
static int
shaped(const struct index *ix, const char *v, size_t n,
    enum vf_format format)
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
		return box_at(v, n, &i) >= 0 || answer_at(ix, v, n, NULL) >= 0;
	default:
		return 0;
	}
}

/*
 * Is what follows a label at i a separator? Returns where the value
 * starts, or -1.
 */
static long
separator(const struct index *ix, const struct nline *nl, size_t i,
    const struct label *l)
{
	const char *n = nl->n;
	size_t j = i, len = nl->len, k, ws = 0;
	int tab = 0, paren = 0, marked = 0;

again:
	for (; j < len && isws(n[j]); j++, ws++)
		if (n[j] == '\t')
			tab = 1;
	if (j == len)
		return nl->trunc && ws == 0 ? -1 : (long)j;
	if (!marked && (k = marker_at(ix, n + j, len - j)) != 0) {
		/* "氏名*：", "氏名※", "氏名【必須】：", "Name [required]:" */
		j += k;
		marked = 1;
		ws = 0;
		goto again;
	}
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
	if (n[j] == ':' || n[j] == '=') {
		/* Not a second one: "Formula: =1+1" keeps its '='. */
		j++;
		goto value;
	} else if (n[j] == ']' || n[j] == '>' || n[j] == ')' || n[j] == '?')
		j++;
	else if ((k = at(n + j, len - j, "\xe3\x80\x91")) != 0 ||
	    (k = at(n + j, len - j, "\xe3\x80\x8d")) != 0)
		j += k;
	else if (n[j] == '-' && (ws > 0 || j + 1 == len || isws(n[j + 1]))) {
		j++;
		goto value;
	} else if (paren || marked)
		return (long)j;
	else if (ws > 0 && (!l->ascii || tab || ws >= 2 ||
	    shaped(ix, n + j, len - j, l->format)))
		return (long)j;
	else
		return -1;
	/* "【氏名】：", "[Name]: x", "同意しますか？：はい" */
	while (j < len && isws(n[j]))
		j++;
	if (j < len && (n[j] == ':' || n[j] == '='))
		j++;
value:
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
		    (v = separator(ix, nl, i, l)) >= 0) {
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

/*
 * A section heading: a heading of the table ("届出者情報", "[Future
 * contact]"); a numbered or bracketed line ending in one of its "*X"
 * words ("3. 他組織への届出について"); or a numbered line wholly in
 * brackets ("[2. 脆弱性関連情報]").
 */
static int
is_heading(const struct index *ix, const struct nline *nl, size_t start,
    int pf)
{
	const struct word *w;
	const char *n = nl->n + start;
	size_t len = nl->len - start, i, k;
	int more = 1, closed = 0;

	if (nl->trunc || len > HEADING_MAX)
		return 0;
	while (len > 0 && isws(n[len - 1]))
		len--;
	if (len > 0 && (n[len - 1] == ']' || (len >= 3 && memcmp(n + len - 3,
	    "\xe3\x80\x91", 3) == 0)))
		closed = 1;
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
	/* "届出者情報の取扱い*": a marker after it, as after a label. */
	for (i = 0; len > 0 && byte_has(ix->mlast, n[len - 1]) &&
	    i < ix->marker.n; i++) {
		w = &ix->marker.v[i];
		if (w->len < len && memcmp(n + len - w->len, w->w,
		    w->len) == 0) {
			len -= w->len;
			while (len > 0 && isws(n[len - 1]))
				len--;
			break;
		}
	}
	if (len == 0)
		return 0;
	if ((pf & PF_NUMBER) && (pf & PF_BRACKET) && closed)
		return 1;
	/* "届出者情報の取扱い（必須）": a hint after it, as after a label. */
	if (memchr(n, '(', len) != NULL && nl->n[start + len] == ')') {
		while (len > 0 && n[len - 1] != '(')
			len--;
		while (len > 0 && (n[len - 1] == '(' || isws(n[len - 1])))
			len--;
		if (len == 0)
			return 0;
	}
	/* Each way of matching ends with a heading's last byte. */
	if (!byte_has(ix->hlast, n[len - 1]))
		return 0;
	for (i = 0; i < ix->heading.n; i++) {
		w = &ix->heading.v[i];
		k = w->len;
		if (w->flags & W_SUFFIX) {
			if ((pf & (PF_NUMBER | PF_BRACKET)) && k < len &&
			    memcmp(n + len - k, w->w, k) == 0)
				return 1;
		} else if (k == len && memcmp(n, w->w, k) == 0)
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
is_closing(const struct index *ix, const struct nline *nl, size_t start)
{
	const struct word *w;
	const char *n = nl->n + start;
	size_t len = nl->len - start, i, trimmed;

	if (nl->trunc || len > 80)
		return 0;
	while (len > 0 && isws(n[len - 1]))
		len--;
	trimmed = len;
	if (len > 0 && strchr(",.!", n[len - 1]) != NULL)
		trimmed--;
	else if (len >= 3 && memcmp(n + len - 3, "\xe3\x80\x82", 3) == 0)
		trimmed -= 3;					/* 。 */
	for (i = 0; i < ix->closing.n; i++) {
		w = &ix->closing.v[i];
		if (w->flags & W_PREFIX) {
			if (at(n, len, w->w) != 0)
				return 1;
		} else if (w->len == trimmed && memcmp(n, w->w, w->len) == 0)
			return 1;
	}
	return 0;
}

/* ---- yes and no -------------------------------------------------------- */

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
answer_at(const struct index *ix, const char *p, size_t n, size_t *len)
{
	const struct word *w;
	size_t i, k, best = 0;
	int flags = -1;

	for (i = 0; i < ix->answer.n; i++) {
		w = &ix->answer.v[i];
		if ((k = at(p, n, w->w)) == 0 || k <= best)
			continue;
		if (w->flags & W_WHOLE)
			continue;
		if (k < n && wordbreak(p + k, n - k) == 0)
			continue;
		best = k;
		flags = w->flags;
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

	if (n == 0 || !box_lead(p[0]))
		return -1;
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
yesno(const struct index *ix, const char *v, size_t vlen)
{
	const struct word *w;
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
		if ((a = answer_at(ix, t + i, n - i, NULL)) < 0)
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
	/* "y", "n": such answers count only as the whole answer. */
	for (i = 0; i < ix->answer.n; i++) {
		w = &ix->answer.v[i];
		if ((w->flags & W_WHOLE) && w->len == end - start &&
		    memcmp(t + start, w->w, w->len) == 0) {
			r = (w->flags & W_YES) ? "yes" : "no";
			goto out;
		}
	}
	for (i = start; i < end; ) {
		if (brk && (a = answer_at(ix, t + i, end - i, &k)) >= 0) {
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
		for (i = 0; i < ix->answer.n; i++) {
			w = &ix->answer.v[i];
			k = w->len;
			if ((w->flags & W_SUFFIX) && k > best &&
			    k <= end - start &&
			    memcmp(t + end - k, w->w, k) == 0) {
				best = k;
				a = w->flags;
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

/* Does the answer offer boxes, none of them marked? */
static int
only_offered(const char *v, size_t vlen)
{
	char *t;
	size_t n, i, k, used;
	int m, marked = 0, empty = 0;

	if (vlen > YESNO_MAX)
		return 0;
	t = vf_malloc(vlen + 1);
	n = normalise(v, vlen, t, vlen, &used, 1);
	for (i = 0; i < n; i += k > 0 ? k : 1) {
		k = 0;
		if ((m = box_at(t + i, n - i, &k)) == 1)
			marked++;
		else if (m == 0)
			empty++;
	}
	free(t);
	return empty > 0 && marked == 0;
}

/*
 * The answer below a line of unmarked choices, when it is nothing but an
 * answer ("wanted", "要", "[x] yes"): yes or no; else NULL, and the whole
 * is kept as written. Text that merely begins with one (「要」の場合は…) is
 * no answer.
 */
static const char *
bare_answer(const struct index *ix, const char *v, size_t vlen)
{
	const char *r;
	char *t;
	size_t n, i, k, used, end;
	int a;

	if ((r = yesno(ix, v, vlen)) == NULL)
		return NULL;
	t = vf_malloc(vlen + 1);
	n = normalise(v, vlen, t, vlen, &used, 1);
	for (i = 0; i < n && isws(t[i]); i++)
		;
	end = trim_answer(t, n);
	if (box_at(t + i, n - i, &k) != 1 &&
	    ((a = answer_at(ix, t + i, end - i, &k)) < 0 || i + k != end)) {
		/* Nor a whole answer of one letter ("y"). */
		if (!(end == i + 1 && yesno(ix, t + i, 1) != NULL))
			r = NULL;
	}
	free(t);
	return r;
}

static void
finish(struct state *st)
{
	struct vf_buf *b;
	const struct vf_field *f;
	const char *s, *yn, *c;
	char *t, *k;
	size_t n, cn;

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
	if (f->format == VF_FMT_YESNO) {
		/* As written too, should a sentence contradict it. */
		st->asis[st->cur].len = 0;
		vf_buf_add(&st->asis[st->cur], s, n);
	}
	yn = NULL;
	if (f->format == VF_FMT_YESNO && st->offer > 0 && st->offer < b->len) {
		c = b->p + st->offer;
		cn = b->len - st->offer;
		trim(&c, &cn);
		yn = bare_answer(st->ix, c, cn);
	}
	st->offer = 0;
	if (f->format == VF_FMT_YESNO && (yn != NULL ||
	    (yn = yesno(st->ix, s, n)) != NULL)) {
		b->len = 0;
		vf_buf_adds(b, yn);
	} else if (f->format == VF_FMT_EMAIL || f->format == VF_FMT_PHONE ||
	    f->format == VF_FMT_URL || f->format == VF_FMT_DATE ||
	    f->format == VF_FMT_CWE) {
		/*
		 * "０３－５５５５", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ": meant as
		 * ASCII where the tools need ASCII, so stored in NFKC; free
		 * text is stored as written (tools compare it by
		 * vf_fold_key).
		 */
		t = vf_strndup(s, n);
		if ((k = vf_nfkc(t)) != NULL) {
			b->len = 0;
			vf_buf_adds(b, k);
			free(k);
		} else {
			memmove(b->p, s, n);
			b->len = n;
			b->p[n] = '\0';
		}
		free(t);
	} else {
		memmove(b->p, s, n);
		b->len = n;
		b->p[n] = '\0';
	}
	st->done[st->cur] = 1;
}

static uint32_t	numstyle(const char *, size_t, unsigned *);

/* A label line: line is all of it, v its value. */
static void
begin(struct state *st, size_t field, const char *line, size_t linelen,
    const char *v, size_t vlen, int quote)
{
	const struct vf_field *f = &st->t->f[field];
	struct vf_buf *b = &st->val[field];

	finish(st);
	st->cur = field;
	st->quote = quote;
	st->sig = numstyle(line, linelen, &st->num);
	st->lastnum = 0;
	st->par = 0;
	b->len = 0;
	trim(&v, &vlen);
	add_clean(b, v, vlen);
	st->content = st->inlined = vlen > 0;
	st->offer = 0;
	if (f->format == VF_FMT_TEXT)
		st->mode = vlen > 0 ? M_PARA : M_ALL;
	else if (vlen > 0 && f->format == VF_FMT_YESNO &&
	    only_offered(v, vlen)) {
		/* "[ ] not needed  [ ] wanted", answered below it. */
		st->mode = M_YESNO;
		st->offer = b->len;
	} else if (vlen > 0) {
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
	if (st->mode == M_ALL && st->content && b->len > 0 &&
	    b->p[b->len - 1] == '\n') {
		/* A paragraph begins: its first statement may end the value. */
		st->parlen = b->len;
		st->par = 1;
	}
	if (st->content)
		vf_buf_addc(b, '\n');
	add_clean(b, s, n);
	st->content = 1;
}

/* ---- numbering styles -------------------------------------------------- */

/* A digit at p, ASCII or full-width: its value, *k its length; -1 if none. */
static int
digit_at(const unsigned char *p, size_t n, size_t *k, int *wide)
{
	if (n > 0 && isdigit_(p[0])) {
		*k = 1;
		*wide = 0;
		return p[0] - '0';
	}
	/* U+FF10..U+FF19 is EF BC 90..99. */
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 &&
	    p[2] <= 0x99) {
		*k = 3;
		*wide = 1;
		return p[2] - 0x90;
	}
	return -1;
}

/*
 * The numbering a raw line begins with, as a style that tells "（４）",
 * "(4)", "４）", "4)" and "4." apart (and "2.4" from "3.4"), with its
 * last number in *num; 0 when the line is not numbered. The normalised
 * line cannot tell: it folds full-width digits.
 */
static uint32_t
numstyle(const char *s, size_t n, unsigned *num)
{
	static const char *const closes[] = {
		")", "\xef\xbc\x89", ".", "\xef\xbc\x8e", "\xe3\x80\x81", "]"
	};	/* ) ） . ． 、 ] */
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, c;
	uint32_t sig, prefix = 0;
	unsigned v, groups = 0;
	int open = 0, wide = 0, d, dots;

	*num = 0;
	for (;;) {
		if (i < n && (u[i] == ' ' || u[i] == '\t' || u[i] == '>'))
			i++;
		else if (n - i >= 3 && memcmp(u + i, "\xe3\x80\x80", 3) == 0)
			i += 3;
		else
			break;
	}
	if (i < n && (u[i] == '(' || u[i] == '[')) {
		open = u[i] == '(' ? 1 : 3;
		i++;
	} else if (n - i >= 3 && memcmp(u + i, "\xef\xbc\x88", 3) == 0) {
		open = 2;					/* （ */
		i += 3;
	}
	for (;;) {
		for (v = 0, dots = 0; dots < 4 &&
		    (d = digit_at(u + i, n - i, &k, &wide)) >= 0; dots++) {
			v = v * 10 + (unsigned)d;
			i += k;
		}
		if (dots == 0 || dots > 3)
			return 0;
		/* "2.1", "２．１", "1-2": a number in a numbered part. */
		if (!open && i < n && (u[i] == '.' || u[i] == '-') &&
		    digit_at(u + i + 1, n - i - 1, &k, &d) >= 0) {
			i++;
		} else if (!open && n - i >= 3 && memcmp(u + i,
		    "\xef\xbc\x8e", 3) == 0 &&
		    digit_at(u + i + 3, n - i - 3, &k, &d) >= 0) {
			i += 3;
		} else
			break;
		prefix = prefix * 31 + v + 1;
		groups++;
	}
	for (c = 0; c < sizeof(closes) / sizeof(closes[0]); c++)
		if ((k = at(s + i, n - i, closes[c])) != 0)
			break;
	if (c == sizeof(closes) / sizeof(closes[0])) {
		/* "2.1 氏名" has no closing mark; "3 items" is no numbering. */
		if (open || groups == 0 || i == n || (u[i] != ' ' &&
		    u[i] != '\t' && !(n - i >= 3 && memcmp(u + i,
		    "\xe3\x80\x80", 3) == 0)))
			return 0;
		k = 0;
	} else if (open && c != 0 && c != 1 && c != 5)
		return 0;
	i += k;
	/* Something must follow: "1." alone is no item. */
	while (i < n && (u[i] == ' ' || u[i] == '\t'))
		i++;
	if (i == n)
		return 0;
	*num = v;
	sig = (uint32_t)open | (uint32_t)wide << 2 | (uint32_t)c << 3 |
	    (groups > 7 ? 7u : groups) << 6 | prefix << 9;
	return sig | 1u << 31;
}

/* ---- statements --------------------------------------------------------- */

/* May a word begin (or end) at i of the key? Not inside an ASCII word. */
static int
word_edge(const struct stmt *m, size_t i)
{
	const char *k = m->key.p;

	return i == 0 || i == m->key.len || m->gap.p[i] ||
	    !isalnum_((unsigned char)k[i - 1]) ||
	    !isalnum_((unsigned char)k[i]);
}

/*
 * Where atoms k.. of run r, matched at pos, end first (SIZE_MAX: they do
 * not match there). Alternatives are tried in turn; only those that
 * match the text go deeper, so this is cheap on real text.
 */
static size_t
run_at(const struct run *r, size_t k, const struct stmt *m, size_t pos)
{
	const struct atom *a;
	size_t i, e, best = SIZE_MAX;

	if (k == r->n)
		return word_edge(m, pos) ? pos : SIZE_MAX;
	a = &r->a[k];
	for (i = 0; i < a->n; i++)
		if (pos + a->len[i] <= m->key.len &&
		    memcmp(m->key.p + pos, a->alt[i], a->len[i]) == 0 &&
		    (e = run_at(r, k + 1, m, pos + a->len[i])) < best)
			best = e;
	return best;
}

/*
 * Where run r ends first when it begins at pos or after (SIZE_MAX: it
 * does not occur), and in *from where it begins. Only positions in the
 * run's buckets are tried, from the statement's lists (head, next).
 */
static size_t
run_find(const struct run *r, const struct stmt *m, const int *head,
    const int *next, size_t pos, size_t *from)
{
	size_t best = SIZE_MAX, i, b, e;
	int at_;

	if (r->all) {
		for (i = pos; i <= m->key.len && i < best; i++)
			if (word_edge(m, i) && (e = run_at(r, 0, m, i)) < best) {
				best = e;
				*from = i;
			}
		return best;
	}
	for (b = 0; b < r->nbucket; b++)
		for (at_ = head[r->bucket[b]]; at_ >= 0; at_ = next[at_]) {
			i = (size_t)at_;
			if (i < pos || i >= best)
				continue;
			if (word_edge(m, i) && (e = run_at(r, 0, m, i)) < best) {
				best = e;
				*from = i;
			}
		}
	return best;
}

/*
 * Does pattern p occur in the statement? Its runs must appear in order;
 * each is taken where it ends first, which leaves the most room for the
 * next. *from and *to get where the match begins and ends.
 */
static int
pat_match(const struct pat *p, const struct stmt *m, const int *head,
    const int *next, size_t *from, size_t *to)
{
	size_t pos = 0, j, f = 0;

	for (j = 0; j < p->nrun; j++) {
		if ((pos = run_find(&p->run[j], m, head, next, pos, &f)) ==
		    SIZE_MAX)
			return 0;
		if (j == 0)
			*from = f;
	}
	*to = pos;
	return p->nrun > 0;
}

/* Could any pattern match the key? Two bytes that begin one must occur. */
static int
stmt_candidate(const struct index *ix, const char *k, size_t n)
{
	const unsigned char *u = (const unsigned char *)k;
	size_t i, b;

	for (i = 0; i + 1 < n; i++) {
		b = (size_t)u[i] << 8 | u[i + 1];
		if (ix->lead[b / 8] & (1 << (b % 8)))
			return 1;
	}
	return 0;
}

/* Append the statement, as written, to what a field's evidence quotes. */
static void
ev_quote(struct ev *ev, const struct stmt *m, struct nline *nl)
{
	const char *a, *z, *b, *e;
	size_t n;
	int first;

	a = m->sline + nline_src(nl, m->sline, m->slen, m->spos);
	z = m->epos == SIZE_MAX ? m->eline + m->elen :
	    m->eline + nline_src(nl, m->eline, m->elen, m->epos);
	if (a == ev->lastraw)
		return;
	ev->lastraw = a;
	while (a < z && (isws(*a) || *a == '\r'))
		a++;
	while (z > a && (isws(z[-1]) || z[-1] == '\r' || z[-1] == '\n'))
		z--;
	if (z == a)
		return;
	if (ev->raw.len > 0)
		vf_buf_addc(&ev->raw, '\n');
	/* Each line as written, but for the indentation of the form. */
	for (first = 1; a < z; a = e + 1, first = 0) {
		if ((e = memchr(a, '\n', (size_t)(z - a))) == NULL)
			e = z;
		b = a;
		n = (size_t)(e - a);
		trim(&b, &n);
		if (!first)
			vf_buf_addc(&ev->raw, '\n');
		add_clean(&ev->raw, b, n);
	}
}

/* A sentence that matched a statement, and where. */
struct hit {
	size_t		 sentence;
	size_t		 from, to;
};

/*
 * The statement read so far is complete: what does it answer? A marked
 * box or plain prose states it; an unmarked box only offers it. A match
 * inside the text a sentence about more fields matched is part of that
 * one ("製品開発者には開示しない" in "…調整機関には開示しても良いが、製品
 * 開発者には開示しない"), not a statement of its own.
 */
static void
stmt_flush(struct state *st, struct nline *nl)
{
	struct stmt *m = &st->stmt;
	const struct vf_sentence *se, *wide;
	const struct index *ix = st->ix;
	struct hit *hit = st->hit;
	struct ev *ev;
	size_t i, j, f, b, nhit = 0, from = 0, to = 0;
	int said = 0;

	if (m->key.len > 0 && ix->npat > 0 &&
	    stmt_candidate(ix, m->key.p, m->key.len)) {
		/*
		 * The statement's positions by their first two bytes. A key
		 * ends past STMT_MAX by its last character, which malformed
		 * text (a lead byte and a long run of continuation bytes)
		 * can make long: room for all of it.
		 */
		if (m->key.len > st->nnext) {
			st->nnext = m->key.len;
			st->next = vf_reallocarray(st->next, st->nnext,
			    sizeof(*st->next));
		}
		for (i = 0; i + 1 < m->key.len; i++) {
			b = run_bit(m->key.p + i);
			st->next[i] = st->head[b];
			st->head[b] = (int)i;
		}
		for (i = 0; i < ix->npat; i++) {
			if (st->seen[ix->pat[i]->sentence] ||
			    !pat_match(ix->pat[i], m, st->head, st->next,
			    &from, &to))
				continue;
			st->seen[ix->pat[i]->sentence] = 1;
			hit[nhit].sentence = ix->pat[i]->sentence;
			hit[nhit].from = from;
			hit[nhit++].to = to;
		}
		for (i = 0; i + 1 < m->key.len; i++)
			st->head[run_bit(m->key.p + i)] = -1;
		for (i = 0; i < nhit; i++) {
			st->seen[hit[i].sentence] = 0;
			se = &st->t->s[hit[i].sentence];
			for (j = 0; j < nhit; j++) {
				wide = &st->t->s[hit[j].sentence];
				if (wide->nfield > se->nfield &&
				    hit[j].from <= hit[i].from &&
				    hit[i].to <= hit[j].to)
					break;
			}
			if (j < nhit)
				continue;
			for (j = 0; j < se->nfield; j++) {
				f = se->field[j];
				if (!recognised(&st->t->f[f], ix->kind))
					continue;
				ev = &st->ev[f];
				if (m->box != 0 && se->yes[j] && (ev->wyes ==
				    0 || se->nfield < ev->wyes))
					ev->wyes = se->nfield;
				if (m->box != 0 && !se->yes[j] && (ev->wno ==
				    0 || se->nfield < ev->wno))
					ev->wno = se->nfield;
				ev_quote(ev, m, nl);
				said = 1;
			}
		}
	}
	/*
	 * "Please do not tell the vendor who I am." after a blank line in
	 * the steps to reproduce is no step: the value ends before it.
	 */
	if (said && m->par && st->mode == M_ALL) {
		st->val[st->cur].len = m->parlen;
		st->val[st->cur].p[m->parlen] = '\0';
		finish(st);
	}
	m->key.len = m->gap.len = 0;
	m->box = -1;
	m->space = 0;
	m->open = 0;
	m->par = 0;
	m->sline = NULL;
}

static void
stmt_start(struct state *st, const char *raw, size_t rawlen, size_t pos,
    int box, int quote)
{
	struct stmt *m = &st->stmt;

	m->par = st->par && st->mode == M_ALL;
	m->parlen = st->parlen;
	st->par = 0;
	m->box = box;
	m->quote = quote;
	m->open = 1;
	m->sline = m->eline = raw;
	m->slen = m->elen = rawlen;
	m->spos = pos;
	m->epos = SIZE_MAX;
}

static void
stmt_end(struct state *st, struct nline *nl, const char *raw, size_t rawlen,
    size_t pos)
{
	if (st->stmt.sline == NULL)
		return;
	st->stmt.eline = raw;
	st->stmt.elen = rawlen;
	st->stmt.epos = pos;
	stmt_flush(st, nl);
}

/*
 * Read a line, from normalised position from, into statements: each box
 * begins one, and so does each sentence. cont: the line may go on with
 * the statement of the line before (it is no new item of a list).
 */
static void
stmt_line(struct state *st, struct nline *nl, const char *raw,
    size_t rawlen, size_t from, int quote, int cont)
{
	struct stmt *m = &st->stmt;
	const char *n = nl->n;
	size_t i = from, k;
	int b;

	if (m->sline != NULL && (!cont || !m->open || quote != m->quote))
		stmt_flush(st, nl);
	else if (m->sline != NULL)
		m->space = 1;
	while (i < nl->len) {
		/*
		 * A statement whose key is full takes no more text: only a
		 * box or a sentence's end can change anything, and each
		 * begins with one of these bytes (or NUL, as nl->n ends), none
		 * a continuation byte, so each is where the steps below would
		 * stand. A long log in a value is skipped so, not stepped
		 * through a character at a time.
		 */
		if (m->sline != NULL && m->key.len >= STMT_MAX &&
		    (i += strcspn(n + i, "[(.!?\xe2\xe3")) >= nl->len)
			break;
		if (box_lead(n[i]) && (b = box_at(n + i, nl->len - i, &k)) >=
		    0) {
			stmt_end(st, nl, raw, rawlen, i);
			stmt_start(st, raw, rawlen, i, b, quote);
			i += k;
			continue;
		}
		if (isws(n[i]) && m->sline == NULL) {
			i++;
			continue;
		}
		if (m->sline == NULL)
			stmt_start(st, raw, rawlen, i, -1, quote);
		k = 1;
		if ((unsigned char)n[i] >= 0x80)
			while (i + k < nl->len &&
			    ((unsigned char)n[i + k] & 0xc0) == 0x80)
				k++;
		key_add(m, n + i, k);
		i += k;
		/*
		 * A sentence ends: 。 or . ! ? before white space (or NUL,
		 * which strchr(".!?", c) once found too).
		 */
		if (at(n + i - k, k, "\xe3\x80\x82") != 0 || (k == 1 &&
		    (n[i - 1] == '.' || n[i - 1] == '!' || n[i - 1] == '?' ||
		    n[i - 1] == '\0') && (i == nl->len || isws(n[i])))) {
			stmt_end(st, nl, raw, rawlen, i);
			continue;
		}
	}
	if (m->sline != NULL) {
		m->eline = raw;
		m->elen = rawlen;
		m->epos = SIZE_MAX;
	}
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

/* Where the text of the line begins: past spaces and quote markers. */
static size_t
after_quote(const struct nline *nl)
{
	size_t p;

	for (p = 0; p < nl->len && (isws(nl->n[p]) || nl->n[p] == '>'); p++)
		;
	return p;
}

/* "-- ", the signature delimiter (quoted too): what follows is not read. */
static int
is_sigdelim(const struct nline *nl)
{
	size_t p = after_quote(nl), n = nl->len;

	while (n > p && isws(nl->n[n - 1]))
		n--;
	return !nl->trunc && n - p == 2 && memcmp(nl->n + p, "--", 2) == 0;
}

/* "Skype:", "備考２：": a label the table lacks, never a value. */
static int
empty_label(const struct nline *nl, size_t start)
{
	size_t n = nl->len;

	while (n > start && isws(nl->n[n - 1]))
		n--;
	return n > start + 1 && nl->n[n - 1] == ':';
}

/*
 * A yes/no field's answer from its label and the statements about it.
 * The narrowest statement decides (a sentence about one field takes back
 * what one about two said of it); a label's answer counts as one about
 * one field. Statements that disagree and are equally narrow, or only
 * unmarked choices, leave the answer unclear: kept as written, all of it.
 */
static void
decide(struct state *st, size_t f)
{
	struct ev *ev = &st->ev[f];
	struct vf_buf *b = &st->val[f];
	size_t wy = ev->wyes, wn = ev->wno;
	const char *v = NULL;

	if (st->done[f] && strcmp(b->p, "yes") == 0 && (wy == 0 || wy > 1))
		wy = 1;
	else if (st->done[f] && strcmp(b->p, "no") == 0 && (wn == 0 ||
	    wn > 1))
		wn = 1;
	if (wy == 0 && wn == 0 && ev->raw.len == 0)
		return;
	if (wy != 0 && (wn == 0 || wy < wn))
		v = "yes";
	else if (wn != 0 && (wy == 0 || wn < wy))
		v = "no";
	b->len = 0;
	if (v != NULL)
		vf_buf_adds(b, v);
	else {
		if (st->done[f])
			vf_buf_add(b, st->asis[f].p, st->asis[f].len);
		if (st->done[f] && ev->raw.len > 0)
			vf_buf_addc(b, '\n');
		vf_buf_add(b, ev->raw.p, ev->raw.len);
	}
	vf_buf_grow(b, 0);
	b->p[b->len] = '\0';
	st->done[f] = 1;
}

/* The indexes of a loaded table, by kind: unknown, software, web, vendor. */
struct vf_form_cache {
	struct index	*ix[4];
	struct shared	 sh;		/* what they share */
};

struct vf_form_cache *
vf_form_cache_new(void)
{
	return vf_calloc(1, sizeof(struct vf_form_cache));
}

void
vf_form_cache_free(struct vf_form_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < sizeof(c->ix) / sizeof(c->ix[0]); i++)
		if (c->ix[i] != NULL) {
			index_free(c->ix[i]);
			free(c->ix[i]);
		}
	shared_free(&c->sh);
	free(c);
}

static int
kind_slot(int kind)
{
	switch (kind) {
	case 0:
		return 0;
	case VF_KIND_SOFTWARE:
		return 1;
	case VF_KIND_WEB:
		return 2;
	case VF_KIND_VENDOR:
		return 3;
	}
	return -1;
}

/*
 * The index for reading the table's reports of this kind: the table's
 * own, built once; or, for a table vf_fields_load did not make, one of
 * the caller's (*tmp set: index_free it).
 */
static struct index *
index_get(const struct vf_fields *t, int kind, struct index *local, int *tmp)
{
	struct vf_form_cache *c = t->cache;
	int k = kind_slot(kind);

	*tmp = c == NULL || k < 0;
	if (*tmp) {
		index_build(local, t, kind, NULL);
		return local;
	}
	if (c->ix[k] == NULL) {
		c->ix[k] = vf_malloc(sizeof(*c->ix[k]));
		index_build(c->ix[k], t, kind, &c->sh);
	}
	return c->ix[k];
}

void
vf_form_prepare(const struct vf_fields *t, int kind)
{
	/* Only a cache keeps it: a table without one builds it per parse. */
	if (t != NULL && t->n > 0 && t->cache != NULL && kind != 0 &&
	    kind_slot(kind) >= 0)
		(void)index_get(t, kind, NULL, &(int){ 0 });
}

/* Read the text as a report of this kind (0: unknown) into form. */
static void
parse_as(struct vf_form *form, const struct vf_fields *t, const char *text,
    size_t len, int kind)
{
	struct state st;
	struct index local, *ixp;
	int tmp;
	struct nline *nl;
	const struct label *l;
	const char *p, *end, *e;
	size_t start, vpos, i, f, q0, ll;
	unsigned num;
	int quote, pf, sigq = -1, item;

	ixp = index_get(t, kind, &local, &tmp);
	memset(&st, 0, sizeof(st));
	st.t = t;
	st.ix = ixp;
	st.val = vf_calloc(t->n, sizeof(*st.val));
	st.asis = vf_calloc(t->n, sizeof(*st.asis));
	st.done = vf_calloc(t->n, 1);
	st.ev = vf_calloc(t->n, sizeof(*st.ev));
	st.seen = vf_calloc(t->ns + 1, 1);
	st.hit = vf_calloc(t->ns + 1, sizeof(*st.hit));
	st.head = vf_reallocarray(NULL, RUN_BITS, sizeof(*st.head));
	memset(st.head, 0xff, RUN_BITS * sizeof(*st.head));
	st.nnext = STMT_MAX + 8;
	st.next = vf_reallocarray(NULL, st.nnext, sizeof(*st.next));
	st.stmt.box = -1;
	nl = vf_malloc(sizeof(*nl));

	for (p = text, end = text + len; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		ll = (size_t)(e - p);
		nline_set(nl, p, ll);
		start = strip_prefix(ixp, nl, &quote, &pf);
		q0 = after_quote(nl);
		if (is_sigdelim(nl)) {
			finish(&st);
			stmt_flush(&st, nl);
			sigq = quote;
			continue;
		}
		/* A signature, as deep as its delimiter, is not the report. */
		if (sigq >= 0 && quote == sigq)
			continue;
		sigq = -1;
		if (ixp->nlab > 0 &&
		    (l = find_label(ixp, nl, start, &vpos)) != NULL &&
		    !filled(&st, l->field)) {
			i = nline_src(nl, p, ll, vpos);
			begin(&st, l->field, p, ll, p + i, ll - i, quote);
			stmt_line(&st, nl, p, ll, vpos, quote, 0);
			continue;
		}
		if (is_break(nl) || is_heading(ixp, nl, start, pf) ||
		    is_closing(ixp, nl, start)) {
			finish(&st);
			stmt_flush(&st, nl);
			continue;
		}
		/*
		 * An item numbered as the label line was, past it: the
		 * form's next item, though its label is not in the table
		 * ("（５）想定される影響"), unless it goes on with a list
		 * numbered so in the value.
		 */
		item = 0;
		if (st.mode != M_NONE && st.num > 0 &&
		    numstyle(p, ll, &num) == st.sig) {
			if (num > st.num && num != st.lastnum + 1)
				item = 1;
			else
				st.lastnum = num;
		}
		if (item || ((st.mode == M_FIRST || st.mode == M_YESNO) &&
		    empty_label(nl, start)) || (st.mode == M_FIRST &&
		    box_at(nl->n + q0, nl->len - q0, &i) >= 0))
			finish(&st);
		if (st.mode != M_NONE)
			more(&st, p, ll);
		stmt_line(&st, nl, p, ll, q0, quote, !item && start == q0 &&
		    !blank(p, ll));
	}
	finish(&st);
	stmt_flush(&st, nl);
	for (f = 0; f < t->n; f++)
		if (t->f[f].format == VF_FMT_YESNO &&
		    recognised(&t->f[f], kind))
			decide(&st, f);

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
		vf_buf_free(&st.asis[f]);
		vf_buf_free(&st.ev[f].raw);
	}
	vf_buf_free(&st.stmt.key);
	vf_buf_free(&st.stmt.gap);
	free(nl);
	free(st.val);
	free(st.asis);
	free(st.done);
	free(st.ev);
	free(st.seen);
	free(st.hit);
	free(st.head);
	free(st.next);
	if (tmp)
		index_free(&local);
}

size_t
vf_form_parse(struct vf_form *form, const struct vf_fields *t,
    const char *text, size_t len)
{
	int kind;

	vf_form_free(form);
	if (t == NULL || t->n == 0 || text == NULL)
		return 0;
	if ((kind = form->kind) == 0)
		kind = kind_of_text(text, len);
	parse_as(form, t, text, len, kind);
	/*
	 * Kind still unknown: guess it from what was read, and read again as
	 * that kind, so that the labels it shares with another kind ("Type",
	 * 脆弱性の種類) name its own fields.
	 */
	if (kind == 0) {
		/*
		 * A site's URL and a product's name, and no title or subject
		 * to say which: doubtful. Who must act (the operator alone:
		 * web; the product's users: software) is the staff's to
		 * decide, so the kind stays unknown (vf-validate: undecided).
		 */
		if (has(form, "web.url") && has(form, "product.name"))
			kind = 0;
		else if (has(form, "web.url"))
			kind = VF_KIND_WEB;
		else if (has(form, "product.name"))
			kind = VF_KIND_SOFTWARE;
		if (kind != 0) {
			vf_form_free(form);
			parse_as(form, t, text, len, kind);
		}
	}
	form->kind = kind;
	return form->n;
}
