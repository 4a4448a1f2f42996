/*
 * Deleting the reporter's information from a case whose handling has
 * ended (DESIGN.md §1: "reporter information is deleted once the handling
 * of the case has ended").
 *
 * The reporter's information is wherever it ended up, not only in the
 * reporter fields: the report's text and the reporter's follow-ups hold
 * the form's reporter section, the From of the case and of follow-ups
 * names them, the stored originals hold all of it (encrypted, but
 * decryptable by the office), attachments and clear text beside the report
 * came in the reporter's mail, and the case's subject and message id were
 * written by the reporter's mail program. All of that goes. What the
 * statistics and the public record need stays: kind, dates, status fields,
 * the vulnerability fields (product, CWE, summary), the state (outcome),
 * and the reporter's name where it is the consented credit of a published
 * software advisory.
 *
 * The history and the log are written never to hold a reporter's details
 * (they name roles and cases). As a second line of defence, every value
 * that is deleted is also searched for, as written and in NFKC, in what is
 * kept (history, notes, follow-ups from other parties, the attack and
 * vulnerability fields) and replaced by "[deleted]".
 *
 * Erasing is a fixed point: a case erased once erases to itself, so the
 * question "is there anything left to delete?" is answered by erasing in
 * memory and counting, and running vf-expire twice changes nothing the
 * second time. A follow-up that arrives after the erasure is found and
 * erased by the next run.
 */
#include <ctype.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

static const struct vf_field *find_field(const struct vf_fields *,
		    const char *);

#define GONE		"[deleted]"
#define MIN_SCRUB	4	/* bytes: shorter values would hit anything */

/* The values to search for in what is kept. */
struct vals {
	char	**v;
	size_t	  n;
};

static void
val_add(struct vals *vs, const char *s, size_t len)
{
	size_t i;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len < MIN_SCRUB)
		return;
	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i]) == len && strncasecmp(vs->v[i], s, len) == 0)
			return;
	vs->v = vf_reallocarray(vs->v, vs->n + 1, sizeof(*vs->v));
	vs->v[vs->n++] = vf_strndup(s, len);
}

/*
 * A value, each of its lines and, for one-line values (names, addresses,
 * organisations), each word: a name is also written "Yamada" alone.
 */
static void
val_add_all(struct vals *vs, const char *s, int words)
{
	const char *p, *e;

	val_add(vs, s, strlen(s));
	for (p = s; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		val_add(vs, p, (size_t)(e - p));
	}
	if (!words)
		return;
	for (p = s; *p != '\0';) {
		p += strspn(p, " \t\n\"'<>(),;");
		e = p + strcspn(p, " \t\n\"'<>(),;");
		val_add(vs, p, (size_t)(e - p));
		p = e;
	}
}

static void
vals_free(struct vals *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		free(vs->v[i]);
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

/* ASCII case ignored: e-mail addresses come in any case. */
static const char *
find_ci(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h != '\0'; h++)
		if (strncasecmp(h, n, len) == 0)
			return h;
	return NULL;
}

/* Replace every value in *s; the count of replacements. */
static size_t
scrub(char **s, const struct vals *vs)
{
	struct vf_buf b = { 0 };
	const char *p, *hit;
	char *t, *nv;
	size_t i, count = 0;

	for (i = 0; i < vs->n; i++) {
		if (find_ci(*s, vs->v[i]) == NULL) {
			/* Written in another normal form? Then keep NFKC. */
			if ((t = vf_nfkc(*s)) == NULL)
				continue;
			nv = vf_nfkc(vs->v[i]);
			if (nv == NULL || strlen(nv) < MIN_SCRUB ||
			    find_ci(t, nv) == NULL) {
				free(t);
				free(nv);
				continue;
			}
			free(*s);
			*s = t;
		} else
			nv = vf_strdup(vs->v[i]);
		b.len = 0;
		vf_buf_grow(&b, 0);
		for (p = *s; (hit = find_ci(p, nv)) != NULL;
		    p = hit + strlen(nv)) {
			vf_buf_add(&b, p, (size_t)(hit - p));
			vf_buf_adds(&b, GONE);
			count++;
		}
		vf_buf_adds(&b, p);
		free(*s);
		*s = vf_buf_take(&b, NULL);
		free(nv);
	}
	vf_buf_free(&b);
	return count;
}

/* Scrub a header value in place; 1 if it changed. */
static int
scrub_kv(struct vf_kv *kv, const struct vals *vs)
{
	return scrub(&kv->value, vs) > 0;
}

/* vf_hexval's digits, without a call a byte: the key fields and headers
   of every open case are scanned whole every night. */
static const unsigned char hexdigit[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
};

static int
is_hex(int c)
{
	return hexdigit[(unsigned char)c];
}

static void
fpr_add(struct vf_erase *e, const char *s, size_t n)
{
	char f[65];
	size_t i;

	if (n != 40 && n != 64)
		return;
	for (i = 0; i < n; i++)
		f[i] = (char)toupper((unsigned char)s[i]);
	f[n] = '\0';
	for (i = 0; i < e->nfpr; i++)
		if (strcmp(e->fpr[i], f) == 0)
			return;
	e->fpr = vf_reallocarray(e->fpr, e->nfpr + 1, sizeof(*e->fpr));
	e->fpr[e->nfpr++] = vf_strdup(f);
}

/*
 * Fingerprints in free text: 40 or 64 hex digits, as gpg prints them too
 * (groups of four separated by spaces).
 */
static void
fpr_scan(struct vf_erase *e, const char *s)
{
	char run[65];
	size_t n = 0;
	const char *p;

	for (p = s;; p++) {
		if (is_hex(*p)) {
			if (n < sizeof(run) - 1)
				run[n] = *p;
			n++;
			continue;
		}
		if (n == 0) {
			/* Most bytes: no run of digits to end. */
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == ' ' && n % 4 == 0 && is_hex(p[1]))
			continue;
		if (n == 40 || n == 64)
			fpr_add(e, run, n);
		n = 0;
		if (*p == '\0')
			break;
	}
}

/* The key word of "good FPR trust" or "VERDICT KEY": the second word. */
static void
fpr_sig(struct vf_erase *e, const char *v)
{
	const char *k, *end;

	if (v == NULL || (k = strchr(v, ' ')) == NULL)
		return;
	k++;
	end = k + strcspn(k, " ");
	fpr_add(e, k, (size_t)(end - k));
}

/*
 * What erasing asks of a part's headers, found in one pass over them, the
 * first of each name as vf_cpart_get finds it: vf-expire asks it of every
 * part of every case, every night, and a lookup each was a walk of the
 * part's headers each.
 */
struct pinfo {
	const char	*role;		/* Vf-Part, "" if none */
	const char	*party;		/* Vf-Party, "unknown" if none */
	const char	*erased;	/* Vf-Erased, or NULL */
	const char	*sig;		/* Vf-Signature, or NULL */
};

static void
part_info(const struct vf_cpart *p, struct pinfo *pi)
{
	const char *n, **slot;
	size_t k;

	pi->role = pi->party = pi->erased = pi->sig = NULL;
	for (k = 0; k < p->nhdr; k++) {
		n = p->hdr[k].name;
		if ((n[0] | 0x20) != 'v' || (n[1] | 0x20) != 'f' || n[2] != '-')
			continue;
		n += 3;
		switch (n[0] | 0x20) {
		case 'p':
			slot = vf_name_eq(n, "part") ? &pi->role :
			    vf_name_eq(n, "party") ? &pi->party : NULL;
			break;
		case 'e':
			slot = vf_name_eq(n, "erased") ? &pi->erased : NULL;
			break;
		case 's':
			slot = vf_name_eq(n, "signature") ? &pi->sig : NULL;
			break;
		default:
			slot = NULL;
		}
		if (slot != NULL && *slot == NULL)
			*slot = vf_hdr_value(&p->hdr[k]);
	}
	if (pi->role == NULL)
		pi->role = "";
	if (pi->party == NULL)
		pi->party = "unknown";
}

/* A follow-up from one of the parties the office deals with, not the
   reporter's and not one it cannot place. */
static int
other_party(const struct pinfo *pi)
{
	return strcmp(pi->party, "coordinator") == 0 ||
	    strcmp(pi->party, "vendor") == 0 ||
	    strcmp(pi->party, "operator") == 0;
}

static int
reporter_followup(const struct pinfo *pi)
{
	return strcmp(pi->role, VF_PART_FOLLOWUP) == 0 && !other_party(pi);
}

void
vf_erase_keys(const struct vf_case *c, struct vf_erase *e)
{
	struct pinfo pi;
	const char *v;
	size_t i;

	fpr_sig(e, vf_case_get(c, "Vf-Signature"));
	if ((v = vf_case_get(c, "Vf-Reporter-Key")) != NULL)
		fpr_scan(e, v);
	if ((v = vf_case_get(c, "Vf-Signer")) != NULL)
		fpr_scan(e, v);
	if ((v = vf_case_field(c, "contact.pgp-key")) != NULL)
		fpr_scan(e, v);
	for (i = 2; i < c->npart; i++) {
		part_info(&c->part[i], &pi);
		if (reporter_followup(&pi))
			fpr_sig(e, pi.sig);
	}
}

/* Remove every top header of that name; 1 if there was one. */
static int
hdr_unset(struct vf_case *c, const char *name)
{
	size_t i, k;
	int hit = 0;

	for (i = k = 0; i < c->nhdr; i++) {
		if (strcasecmp(c->hdr[i].name, name) == 0) {
			free(c->hdr[i].name);
			free(c->hdr[i].value);
			hit = 1;
		} else
			c->hdr[k++] = c->hdr[i];
	}
	c->nhdr = k;
	return hit;
}

/* Set a top header unless it has that value already; 1 if it changed. */
static int
hdr_put(struct vf_case *c, const char *name, const char *value)
{
	const char *v = vf_case_get(c, name);

	if (v != NULL && strcmp(v, value) == 0)
		return 0;
	vf_case_set(c, name, value);
	return 1;
}

static void
part_free(struct vf_cpart *p)
{
	size_t i;

	for (i = 0; i < p->nhdr; i++) {
		free(p->hdr[i].name);
		free(p->hdr[i].value);
	}
	free(p->hdr);
	if (!p->ref)
		free(p->body);
}

/*
 * What erasing keeps of the parts: notes, other parties' words, and what
 * stays of a report or a follow-up (a stub: when, from whom, its digest).
 */
static int
part_kept(const struct vf_cpart *p, const struct pinfo *pi)
{
	return strcmp(pi->role, VF_PART_NOTE) == 0 ||
	    (pi->erased != NULL && p->len == 0) ||
	    (strcmp(pi->role, VF_PART_FOLLOWUP) == 0 && other_party(pi));
}

static void
add_stub(struct vf_case *c, const struct vf_cpart *old, const char *role,
    const char *when)
{
	static const char *const keep[] = { "Vf-Received", "Vf-Party",
	    "Vf-Digest" };
	struct vf_kv h[5];
	size_t i, n = 0;
	const char *v;

	h[n].name = "Content-Transfer-Encoding";
	h[n++].value = "8bit";
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if ((v = vf_cpart_get(old, keep[i])) != NULL) {
			h[n].name = (char *)keep[i];
			h[n++].value = (char *)v;
		}
	h[n].name = "Vf-Erased";
	h[n++].value = (char *)when;
	vf_case_add_part(c, role, "text/plain; charset=utf-8", h, n,
	    "", 0);
}

/* The address and the display name of a From line, as values. */
static void
from_vals(struct vals *vs, const char *from)
{
	char *d;

	if (from == NULL)
		return;
	d = vf_hdr_decode(from);
	val_add_all(vs, d, 1);
	free(d);
	val_add_all(vs, from, 1);
}

/* Does any vulnerability field hold exactly this value (the public
   record: a vendor reporting its own product names itself as vendor)? */
static int
public_value(const struct vf_case *c, const struct vf_fields *ft,
    const char *v)
{
	const struct vf_field *f;
	size_t i;

	for (i = 0; i < c->nfield; i++)
		if ((f = find_field(ft, c->field[i].name)) != NULL &&
		    f->class == VF_CLASS_VULN &&
		    strcasecmp(c->field[i].value, v) == 0)
			return 1;
	return 0;
}

static void
note(struct vf_erase *e, const char *what, size_t n)
{
	if (n == 0)
		return;
	vf_buf_printf(&e->what, "%s%s", e->what.len > 0 ? ", " : "", what);
	if (n > 1)
		vf_buf_printf(&e->what, " (%zu)", n);
	e->changes += n;
}

int
vf_erase_credit(const struct vf_case *c)
{
	const char *v;

	if ((vf_kind_bit(vf_case_get(c, "Vf-Kind")) &
	    (VF_KIND_SOFTWARE | VF_KIND_VENDOR)) == 0)
		return 0;
	v = vf_case_field(c, "consent.publish-name");
	return v != NULL && strcmp(v, "yes") == 0 &&
	    vf_case_field(c, "reporter.name") != NULL;
}

/*
 * vf_fields_find through a small hash of the names met: vf-expire asks
 * for every field of every ended case, every night, and the table's walk
 * was a tenth of its time. Kept for one table (a thread each); a slot
 * holds a place in the table, and what it gives is checked against the
 * table's name there, so that a stale slot is only a miss. A name the
 * table lacks is not kept (the walk is asked again).
 */
#define FC_SLOTS	256	/* a power of two */
#define FC_PROBE	8
#define FC_NEXT		512	/* places in a table with a successor kept */

static _Thread_local struct {
	const struct vf_fields	*ft;
	const struct vf_field	*f;
	size_t			 n;
	struct {
		uint32_t	 h;
		size_t		 i;	/* 1 + place; 0 empty */
	}			 slot[FC_SLOTS];
	size_t			 next[FC_NEXT];	/* 1 + place; 0 none */
} fc;

static const struct vf_field *
find_field(const struct vf_fields *ft, const char *name)
{
	const unsigned char *p;
	const struct vf_field *f;
	uint32_t h = 2166136261u;
	size_t k, j, i;

	if (ft == NULL || name == NULL)
		return vf_fields_find(ft, name);
	if (fc.ft != ft || fc.f != ft->f || fc.n != ft->n) {
		memset(&fc, 0, sizeof(fc));
		fc.ft = ft;
		fc.f = ft->f;
		fc.n = ft->n;
	}
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	for (j = 0; j < FC_PROBE; j++) {
		k = (h + j) & (FC_SLOTS - 1);
		if ((i = fc.slot[k].i) == 0)
			break;
		if (fc.slot[k].h == h && i <= ft->n &&
		    strcmp(ft->f[i - 1].name, name) == 0)
			return &ft->f[i - 1];
	}
	if ((f = vf_fields_find(ft, name)) == NULL)
		return NULL;
	k = (h + (j < FC_PROBE ? j : 0)) & (FC_SLOTS - 1);
	fc.slot[k].h = h;
	fc.slot[k].i = (size_t)(f - ft->f) + 1;
	return f;
}

/*
 * The field after prev (the table's answer for the case's field before):
 * a case's fields come in the table's order, a kind's the same in every
 * case, so the one that followed prev last time is asked first, with a
 * compare of the names and no hash.
 */
static const struct vf_field *
find_field_after(const struct vf_fields *ft, const struct vf_field *prev,
    const char *name)
{
	const struct vf_field *f;
	size_t at, i;

	if (prev == NULL || ft == NULL || name == NULL ||
	    (at = (size_t)(prev - ft->f)) >= FC_NEXT || fc.ft != ft ||
	    fc.f != ft->f || fc.n != ft->n)
		return find_field(ft, name);
	if ((i = fc.next[at]) != 0 && i <= ft->n &&
	    strcmp(ft->f[i - 1].name, name) == 0)
		return &ft->f[i - 1];
	if ((f = find_field(ft, name)) != NULL)
		fc.next[at] = (size_t)(f - ft->f) + 1;
	return f;
}

/* Does field i go? Reporter class, or unknown to the table (f NULL); not
   the credit. */
static int
field_goes(const struct vf_case *c, const struct vf_field *f, size_t i,
    int keepname)
{
	if (f != NULL && f->class != VF_CLASS_REPORTER)
		return 0;
	return !(keepname && (strcmp(c->field[i].name, "reporter.name") == 0 ||
	    strcmp(c->field[i].name, "consent.publish-name") == 0));
}

/*
 * "[VF#ID] KIND report": what is left of the reporter's subject, made by
 * erased_subject and recognised by is_erased_subject from these pieces.
 */
#define SUBJ_OPEN	"[VF#"
#define SUBJ_MID	"] "
#define SUBJ_CLOSE	" report"

static const char *
subj_id(const char *id)
{
	return id != NULL ? id : "?";
}

static const char *
subj_kind(const char *kind)
{
	return kind != NULL && vf_kind_parse(kind) ? kind : "unknown";
}

static const char *
erased_subject(const struct vf_case *c, char *buf, size_t size)
{
	if (snprintf(buf, size, SUBJ_OPEN "%s" SUBJ_MID "%s" SUBJ_CLOSE,
	    subj_id(vf_case_get(c, "Vf-Id")),
	    subj_kind(vf_case_get(c, "Vf-Kind"))) >= (int)size)
		buf[0] = '\0';
	return buf;
}

/* s past prefix p, or NULL. */
static const char *
skip(const char *s, const char *p)
{
	size_t n = strlen(p);

	return s != NULL && strncmp(s, p, n) == 0 ? s + n : NULL;
}

/* Is s erased_subject's, compared piece by piece (not printed)? */
static int
is_erased_subject(const char *s, const char *id, const char *kind)
{
	s = skip(skip(skip(skip(s, SUBJ_OPEN), subj_id(id)), SUBJ_MID),
	    subj_kind(kind));
	return s != NULL && strcmp(s, SUBJ_CLOSE) == 0;
}

/*
 * A Vf- header (its name past "Vf-") as vf_erase_needed sees it: one
 * erasing leaves none of, one whose value counts (its place in got), or
 * another. By the first letter, then the name: the headers of every
 * ended case pass here every night.
 */
#define VH_GONE		-1
#define VH_OTHER	-2
#define VH_SIG		0
#define VH_ID		1
#define VH_KIND		2

static int
vfhdr_class(const char *n)
{
	switch (n[0] | 0x20) {
	case 'i':
		return vf_name_eq(n, "id") ? VH_ID : VH_OTHER;
	case 'k':
		return vf_name_eq(n, "kind") ? VH_KIND : VH_OTHER;
	case 'm':
		return vf_name_eq(n, "message-id") ? VH_GONE : VH_OTHER;
	case 'p':
		return vf_name_eq(n, "proposes") ? VH_GONE : VH_OTHER;
	case 'r':
		return vf_name_eq(n, "reporter-key") ? VH_GONE : VH_OTHER;
	case 's':
		return vf_name_eq(n, "signer") ? VH_GONE :
		    vf_name_eq(n, "signature") ? VH_SIG : VH_OTHER;
	default:
		return VH_OTHER;
	}
}

/*
 * What vf_erase_case would find, without doing it: a case whose every
 * part to delete is gone and whose headers are what erasing leaves has no
 * value left to search for either, so erasing it changes nothing. Most
 * cases a nightly run reads are such; this keeps the run near the cost of
 * reading them.
 */
int
vf_erase_needed(const struct vf_case *c, const struct vf_fields *ft,
    int published)
{
	const char *got[3] = { NULL, NULL, NULL };
	const char *v, *n, *from = NULL, *subject = NULL;
	const char *sig, *id, *kind;
	const struct vf_field *f;
	struct pinfo pi;
	int keepname = published && vf_erase_credit(c);
	size_t i;
	int k;

	for (i = 0, f = NULL; i < c->nfield; i++) {
		f = find_field_after(ft, f, c->field[i].name);
		if (field_goes(c, f, i, keepname))
			return 1;
	}
	/*
	 * The top headers in one pass, not a lookup each: vf-expire asks
	 * this of every ended case in the tree every night, and most have
	 * nothing left to delete, so every header is looked at anyway.
	 * The first of a name counts, as for vf_case_get.
	 */
	for (i = 0; i < c->nhdr; i++) {
		n = c->hdr[i].name;
		if ((n[0] | 0x20) == 'v' && (n[1] | 0x20) == 'f' &&
		    n[2] == '-') {
			if ((k = vfhdr_class(n + 3)) == VH_GONE)
				return 1;
			if (k != VH_OTHER && got[k] == NULL)
				got[k] = vf_hdr_value(&c->hdr[i]);
		} else if (from == NULL && (n[0] | 0x20) == 'f' &&
		    vf_name_eq(n, "from"))
			from = vf_hdr_value(&c->hdr[i]);
		else if (subject == NULL && (n[0] | 0x20) == 's' &&
		    vf_name_eq(n, "subject"))
			subject = vf_hdr_value(&c->hdr[i]);
	}
	sig = got[VH_SIG];
	id = got[VH_ID];
	kind = got[VH_KIND];
	if (from == NULL || strcmp(from, "vf <vf@localhost>") != 0)
		return 1;
	if (sig != NULL && (v = strchr(sig, ' ')) != NULL &&
	    strcmp(v, " deleted") != 0)
		return 1;
	if (!is_erased_subject(subject, id, kind))
		return 1;
	for (i = 2; i < c->npart; i++) {
		part_info(&c->part[i], &pi);
		if (!part_kept(&c->part[i], &pi))
			return 1;
	}
	return 0;
}

size_t
vf_erase_case(struct vf_case *c, const struct vf_fields *ft, int published,
    struct vf_erase *e)
{
	struct vals vs = { 0 }, credit = { 0 };
	struct pinfo pi;
	struct vf_cpart *old;
	const struct vf_field *f;
	const char *v;
	char when[32], subj[128];
	size_t i, k, nold, fields = 0, texts = 0, fups = 0, orig = 0;
	size_t att = 0, scr = 0, hdrs = 0;
	int keepname;

	/* A head case lacks the bodies to erase, and its strings are not
	   malloc'ed one by one: only a whole case is erased. */
	if (c->arena != NULL)
		errx(EX_SOFTWARE, "vf_erase_case: the case was read by its "
		    "head only (vf_case_loadhead)");
	vf_erase_free(e);
	vf_timestamp(when, sizeof(when), 0);
	keepname = published && vf_erase_credit(c);
	e->credit = keepname;
	if (keepname)
		val_add_all(&credit, vf_case_field(c, "reporter.name"), 1);

	/* Gather what is to go before any of it goes. */
	vf_erase_keys(c, e);
	for (i = 0; i < e->nfpr; i++)
		val_add(&vs, e->fpr[i], strlen(e->fpr[i]));
	for (i = 0; i < c->nfield; i++) {
		f = find_field(ft, c->field[i].name);
		if (!field_goes(c, f, i, keepname))
			continue;
		if (f == NULL || f->format != VF_FMT_YESNO)
			val_add_all(&vs, c->field[i].value,
			    f == NULL || f->format != VF_FMT_TEXT);
	}
	from_vals(&vs, vf_case_get(c, "From"));
	for (i = 2; i < c->npart; i++) {
		part_info(&c->part[i], &pi);
		if (reporter_followup(&pi))
			from_vals(&vs, vf_cpart_get(&c->part[i], "Vf-From"));
	}
	/* The public record and the consented credit are not searched for. */
	for (i = k = 0; i < vs.n; i++) {
		int pub = public_value(c, ft, vs.v[i]);
		size_t j;

		for (j = 0; !pub && j < credit.n; j++)
			pub = strcasecmp(credit.v[j], vs.v[i]) == 0;
		if (pub)
			free(vs.v[i]);
		else
			vs.v[k++] = vs.v[i];
	}
	vs.n = k;

	/* The reporter fields. */
	for (i = k = 0; i < c->nfield; i++) {
		if (field_goes(c, find_field(ft, c->field[i].name), i,
		    keepname)) {
			free(c->field[i].name);
			free(c->field[i].value);
			fields++;
		} else
			c->field[k++] = c->field[i];
	}
	c->nfield = k;

	/* Headers the reporter's mail wrote or that name the reporter's key. */
	if (hdr_put(c, "From", "vf <vf@localhost>"))
		hdrs++;
	if (*erased_subject(c, subj, sizeof(subj)) != '\0' &&
	    hdr_put(c, "Subject", subj))
		hdrs++;
	hdrs += hdr_unset(c, "Vf-Message-Id");
	hdrs += hdr_unset(c, "Vf-Reporter-Key");
	hdrs += hdr_unset(c, "Vf-Signer");
	/*
	 * No proposal part is kept (below): the header naming what they
	 * proposed would point at nothing, and vf-decide take would look
	 * for values that are gone.
	 */
	hdrs += hdr_unset(c, "Vf-Proposes");
	if ((v = vf_case_get(c, "Vf-Signature")) != NULL &&
	    strchr(v, ' ') != NULL) {
		/* The verdict stays; the key goes. */
		char verdict[32];

		k = strcspn(v, " ");
		if (k < sizeof(verdict) - 8) {
			memcpy(verdict, v, k);
			memcpy(verdict + k, " deleted", 9);
			hdrs += hdr_put(c, "Vf-Signature", verdict);
		}
	}

	/* The parts: keep fields, history, notes and other parties' words. */
	old = c->part;
	nold = c->npart;
	c->part = vf_calloc(2, sizeof(*c->part));
	c->part[0] = old[0];
	c->part[1] = old[1];
	c->npart = 2;
	for (i = 2; i < nold; i++) {
		const char *role;

		part_info(&old[i], &pi);
		role = pi.role;
		if (part_kept(&old[i], &pi)) {
			c->part = vf_reallocarray(c->part, c->npart + 1,
			    sizeof(*c->part));
			c->part[c->npart++] = old[i];
			continue;
		}
		if (strcmp(role, VF_PART_REPORT) == 0)
			texts++;
		else if (strcmp(role, VF_PART_FOLLOWUP) == 0)
			fups++;
		else if (strcmp(role, VF_PART_ORIGINAL) == 0)
			orig++;
		else
			att++;
		if (strcmp(role, VF_PART_REPORT) == 0 ||
		    strcmp(role, VF_PART_FOLLOWUP) == 0)
			add_stub(c, &old[i], role, when);
		part_free(&old[i]);
	}
	free(old);

	/* Second line of defence: the values wherever else they are. */
	for (i = 0; i < c->nhist; i++)
		scr += scrub(&c->hist[i], &vs) > 0;
	for (i = 0; i < c->nfield; i++) {
		f = find_field(ft, c->field[i].name);
		if (f != NULL && f->class != VF_CLASS_STATUS &&
		    f->class != VF_CLASS_REPORTER)
			scr += scrub(&c->field[i].value, &vs) > 0;
	}
	for (i = 0; i < c->nhdr; i++)
		if (strncasecmp(c->hdr[i].name, "Vf-", 3) == 0)
			scr += scrub_kv(&c->hdr[i], &vs);
	for (i = 2; i < c->npart; i++) {
		struct vf_cpart *p = &c->part[i];
		char *body;

		for (k = 0; k < p->nhdr; k++)
			if (strncasecmp(p->hdr[k].name, "Vf-", 3) == 0)
				scr += scrub_kv(&p->hdr[k], &vs);
		if (p->len == 0 || memchr(p->body, '\0', p->len) != NULL)
			continue;
		body = vf_strndup(p->body, p->len);
		if (scrub(&body, &vs) > 0) {
			if (!p->ref)
				free(p->body);
			p->ref = 0;
			p->body = body;
			p->len = strlen(body);
			scr++;
		} else
			free(body);
	}

	note(e, "reporter fields", fields);
	note(e, "report text", texts);
	note(e, "reporter follow-ups", fups);
	note(e, "originals", orig);
	note(e, "attachments and unprotected text", att);
	note(e, "mail headers", hdrs);
	note(e, "values found elsewhere", scr);
	vals_free(&vs);
	vals_free(&credit);
	return e->changes;
}

void
vf_erase_free(struct vf_erase *e)
{
	size_t i;

	for (i = 0; i < e->nfpr; i++)
		free(e->fpr[i]);
	free(e->fpr);
	vf_buf_free(&e->what);
	memset(e, 0, sizeof(*e));
}
