/*
 * Notices: one mail about one case, made from the view the policy gives
 * its recipient, signed by the office, encrypted to the recipient, put in
 * the outbox, and recorded on the case.
 *
 * Which notice goes to whom, in which states, and what it does to the case
 * is the table below, as the process has it (DESIGN §1; IPA's practice for
 * the first contact with a site operator: the URL only, and a question
 * where to send the details).
 *
 * Nothing twice, nothing lost. In this order, each step durable before
 * the next:
 *
 *	1. ROOT/.sent/ gets the Message-ID (sent.c), so that a reply to
 *	   the mail always finds its case;
 *	2. the case gets "Vf-Notice: KIND ROLE <MESSAGE-ID> TIME" and a
 *	   line of history;
 *	3. the mail goes into ROOT/outbox/new/, named by its Message-ID,
 *	   whence vf-send hands it to sendmail and moves it to cur/; and
 *	   the case moves on where the notice moves it, which needs the
 *	   record on disk, not the mail: beside gpg, once the record is
 *	   written (record_ahead; back where it was should gpg fail), or
 *	   beside the mail's delivery.
 *
 * Asked again, a notice recorded on the case is not made again (-f makes
 * a new one, and says so). A recorded notice whose mail is in neither
 * outbox/new nor outbox/cur was interrupted after 2: it is made again
 * under the same Message-ID, which no one has seen (in whichever of its
 * states the case is); one recorded and in the outbox whose move did not
 * happen is moved. Steps 1 and 2, and the move, are written while gpg
 * works (make()), and gpg itself is started as soon as the key is known
 * (begin()), its text given once the view and the template are done;
 * over many cases the mail of one notice is filed while the next
 * begins (vf_notice). Neither changes the order above for any one
 * notice.
 *
 * Encryption: to the recipient's key, by fingerprint only (gpg.c never
 * looks a key up). Where there is none, only a reporter who said mail
 * need not be encrypted, and an operator's first contact or reminder
 * (the URL only) go out signed in clear, and then with nothing but
 * handling status (and that URL) in them. Everything else waits: the case
 * says "Vf-Key-Needed: ROLE" and the tool fails.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define SW	(VF_KIND_SOFTWARE | VF_KIND_VENDOR)
#define WEB	VF_KIND_WEB
#define ANY	(SW | WEB | VF_KIND_UNKNOWN)

#define K_RESTRICT	0x01	/* the URL only: a first contact */
#define K_CLEAR		0x02	/* may go signed only when no key is known */
#define K_FINAL		0x04	/* only when the reporter asked for it */
#define K_RELAY		0x08	/* a question relayed: the asker's consent */
#define K_MESSAGE	0x10	/* carries the office's text (-m) */
#define K_MISSING	0x20	/* lists what the report lacks */
#define K_AGAIN		0x40	/* again after reply-deadline-days */
#define K_ANSWER	0x80	/* to whoever asked, as the asker may see */

#define MAX_CANDIDATES	8
#define KEY_MAX		(256 * 1024)

static const struct kinddef {
	const char	*name;
	const char	*role;		/* NULL: the case's routed party */
	const char	*states;	/* where it applies */
	const char	*from;		/* the move it makes, or NULL */
	const char	*to;
	int		 kinds;
	int		 flags;
} kinds[] = {
	{ "ack", "reporter", " received incomplete undecided accepted routed "
	    "contacted waiting ", NULL, NULL, ANY, 0 },
	{ "accepted", "reporter", " accepted routed contacted waiting ",
	    NULL, NULL, SW | WEB, 0 },
	{ "missing", "reporter", " incomplete ", NULL, NULL, ANY, K_MISSING },
	{ "coordinator", "coordinator", " routed waiting ", "routed",
	    "waiting", SW, 0 },
	{ "first-contact", "operator", " routed contacted ", "routed",
	    "contacted", WEB, K_RESTRICT | K_CLEAR },
	{ "details", "operator", " contacted waiting ", "contacted",
	    "waiting", WEB, 0 },
	{ "reminder", "operator", " contacted waiting ", NULL, NULL, WEB,
	    K_RESTRICT | K_CLEAR | K_AGAIN },
	{ "question", "reporter", " routed contacted waiting ", NULL, NULL,
	    SW | WEB, K_RELAY | K_MESSAGE },
	{ "answer", NULL, " routed contacted waiting ", NULL, NULL, SW | WEB,
	    K_ANSWER | K_MESSAGE },
	{ "published", "reporter", " published ", NULL, NULL, SW, K_FINAL },
	{ "fixed", "reporter", " fixed ", NULL, NULL, WEB, K_FINAL },
	{ "closed", "reporter", " closed unreachable rejected duplicate ",
	    NULL, NULL, ANY, 0 },
	{ "referral", "reporter", " referred ", NULL, NULL, ANY, 0 },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

const char *const vf_notice_kinds[] = {
	"ack", "accepted", "missing", "coordinator", "first-contact",
	"details", "reminder", "question", "answer", "published", "fixed",
	"closed", "referral", NULL
};

/* What the first contact and a reminder may say: the URL only. */
static const char *const restricted[] = { "case.id", "web.url", NULL };
/* What a mail in clear may say: handling status (and that URL). */
static const char *const in_clear[] = { "status", "web.url", NULL };

static const struct kinddef *
kind_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int
vf_notice_kind_valid(const char *name)
{
	return kind_find(name) != NULL;
}

/* A key to encrypt to: a fingerprint the keyring holds, or a key block. */
struct cand {
	char		 fpr[65];
	const char	*src;		/* where it came from, for history */
	char		*block;		/* a key block not in the keyring */
	size_t		 blocklen;
};

/*
 * Work done beside gpg's: each step that waits for the disk runs in a
 * thread of its own while another waits for gpg or for the disk, so that
 * a notice costs little more than gpg alone (bench/notify). Only steps
 * whose order does not matter run together; the order above holds.
 */
struct job;

struct bg {
	pthread_t	  t;
	int		  running;
	int		(*fn)(struct job *);
	struct job	 *j;
	int		  rc;
};

/* Everything one notice is made of. */
struct job {
	struct vf_notify		*n;
	const struct kinddef		*kd;
	struct vf_case			 c;
	char				 path[4096];
	const char			*state;
	const char			*id;
	const char			*role;
	const char			*asker;
	int				 kind;	/* the case's, a bit */
	struct vf_view			 view;
	struct vf_view			 other;
	char				*to;
	char				*to_name;
	char				*route_name;
	const char			*lang;
	struct cand			 cand[MAX_CANDIDATES];
	size_t				 ncand;
	int				 need_key;
	char				 digest[17];	/* of the message */
	char				 msgid[256];
	int				 remake;	/* same Message-ID */
	struct vf_buf			 body;
	struct vf_buf			 mail;
	char				 used[65];	/* key encrypted to */
	const char			*used_src;
	int				 clear;
	char				 idbuf[VF_IDLEN];
	int				 lk;		/* the case's lock */
	char				 outpath[4096];	/* the mail made */
	/* The outbox's tmp file, made while gpg runs (file_ahead); -1. */
	int				 tmpfd;
	char				 tmpname[4096];
	/*
	 * The move, made beside gpg once the record is on disk
	 * (record_ahead): 1 tried, with its exit status in mrc; taken
	 * back (unmove) should gpg fail.
	 */
	int				 moved;
	int				 mrc;
	/*
	 * The record's thread (make): it says when the record is on disk
	 * (recorded, its status in rrc) and goes on with the move and the
	 * outbox's tmp file, which the filing waits for, not make().
	 */
	struct bg			 rb;
	pthread_mutex_t			 mu;
	pthread_cond_t			 cv;
	int				 recorded;
	int				 rrc;
	int				 made;
	int				 late;	/* make may leave the filing */
	/* gpg started before the text is made (begin); NULL once used. */
	struct vf_gpg_pending		*early;
	struct vf_gpg			 eg;
	/* The batch's gpg run: what it signs, what it gives back. */
	const struct vf_buf		*bent;
	struct vf_buf			*bpgp;
};

static int
has_word(const char *list, const char *w)
{
	char pat[64];

	if (snprintf(pat, sizeof(pat), " %s ", w) >= (int)sizeof(pat))
		return 0;
	return strstr(list, pat) != NULL;
}

static const char *
kinds_text(int k)
{
	if (k == SW)
		return "software and vendor";
	if (k == WEB)
		return "web";
	if (k == (SW | WEB))
		return "software, vendor and web";
	return "any";
}

/*
 * "KIND ROLE <MSGID> TIME" of a Vf-Notice value, the Message-ID copied
 * out; 0 when it does not match kind and role (NULL: any).
 */
static int
notice_match(const char *v, const char *kind, const char *role, char *mid,
    size_t size, time_t *when)
{
	char k[40], r[40], m[256], t[40];

	if (sscanf(v, "%39s %39s %255s %39s", k, r, m, t) != 4 ||
	    (kind != NULL && strcmp(k, kind) != 0) ||
	    (role != NULL && strcmp(r, role) != 0))
		return 0;
	if (mid != NULL && strlcpy(mid, m, size) >= size)
		return 0;
	if (when != NULL && vf_time_parse(t, when) == -1)
		*when = 0;
	return 1;
}

/* Does a history line name this Message-ID and message digest? */
static int
hist_names(const struct vf_case *c, const char *mid, const char *digest)
{
	size_t i;

	for (i = 0; i < c->nhist; i++)
		if (strstr(c->hist[i], mid) != NULL &&
		    (digest == NULL || strstr(c->hist[i], digest) != NULL))
			return 1;
	return 0;
}

/* Is the mail in outbox/new or outbox/cur (a reader may add ":2,S")? */
static int
in_outbox(struct vf_root *root, const char *name)
{
	char rel[512];
	struct stat st;
	struct dirent *de;
	DIR *d;
	size_t n = strlen(name);
	int fd, found = 0;

	if (snprintf(rel, sizeof(rel), "outbox/new/%s", name) <
	    (int)sizeof(rel) && fstatat(root->fd, rel, &st, 0) == 0)
		return 1;
	if (snprintf(rel, sizeof(rel), "outbox/cur/%s", name) <
	    (int)sizeof(rel) && fstatat(root->fd, rel, &st, 0) == 0)
		return 1;
	if ((fd = openat(root->fd, "outbox/cur", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		(void)close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, name, n) == 0 && de->d_name[n] == ':') {
			found = 1;
			break;
		}
	(void)closedir(d);
	return found;
}

/*
 * The notice recorded already, if any: 1 with its Message-ID in mid. For
 * a relayed message only one with the same text counts. A reminder is due
 * again reply-deadline-days after the last notice to the party: before
 * that, 1 with mid "" (unless the last reminder itself was interrupted).
 */
static int
recorded(struct job *j, char *mid, size_t size)
{
	const struct vf_case *c = &j->c;
	char err[256], m[256], name[300];
	const char *v;
	long long days;
	time_t when, last = 0;
	size_t i;
	int found = 0;

	for (i = 0; i < c->nhdr; i++) {
		if (strcasecmp(c->hdr[i].name, "Vf-Notice") != 0)
			continue;
		v = c->hdr[i].value + strspn(c->hdr[i].value, " ");
		if (notice_match(v, NULL, j->role, NULL, 0, &when) &&
		    when > last)
			last = when;
		if (!notice_match(v, j->kd->name, j->role, m, sizeof(m), NULL))
			continue;
		if ((j->kd->flags & K_MESSAGE) && !hist_names(c, m, j->digest))
			continue;
		(void)strlcpy(mid, m, size);
		found = 1;
	}
	if (!(j->kd->flags & K_AGAIN))
		return found;
	if (found && vf_outbox_name(mid, name, sizeof(name)) == 0 &&
	    !in_outbox(j->n->root, name))
		return 1;
	days = vf_config_num(j->n->cfg, "reply-deadline-days", 1, 3650, 14,
	    err, sizeof(err));
	if (days == -1) {
		warnx("%s", err);
		days = 14;
	}
	if (last != 0 && vf_now() < last + (time_t)days * 86400) {
		(void)strlcpy(mid, "", size);
		return 1;
	}
	return 0;
}

static int
yesno(const struct vf_case *c, const char *field)
{
	const char *v = vf_case_field(c, field);

	if (v == NULL)
		return -1;
	if (strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 0;
	return -2;
}

/* A header value as people read it: decoded, one line. */
static char *
hdr_text(const char *v)
{
	return v != NULL ? vf_hdr_oneline(v) : NULL;
}

static void
add_cand(struct job *j, const char *fpr, const char *src, char *block,
    size_t blocklen)
{
	struct cand *k;
	size_t i, n;

	if (j->ncand == MAX_CANDIDATES) {
		free(block);
		return;
	}
	if (fpr != NULL) {
		n = strlen(fpr);
		if (n != 40 && n != 64)
			return;
		for (i = 0; i < n; i++)
			if (vf_hexval((unsigned char)fpr[i]) == -1)
				return;
		for (i = 0; i < j->ncand; i++)
			if (strcasecmp(j->cand[i].fpr, fpr) == 0)
				return;
	}
	k = &j->cand[j->ncand++];
	memset(k, 0, sizeof(*k));
	if (fpr != NULL)
		(void)strlcpy(k->fpr, fpr, sizeof(k->fpr));
	k->src = src;
	k->block = block;
	k->blocklen = blocklen;
}

/* The first 40 hex digits in s, spaces and "0x" allowed between. */
static int
fpr_in(const char *s, char *fpr)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (vf_hexval((unsigned char)*s) != -1) {
			fpr[n++] = *s;
			if (n == 40) {
				fpr[n] = '\0';
				return 1;
			}
		} else if (*s == ' ' && n % 4 == 0)
			;
		else if (*s == 'x' && n == 1 && fpr[0] == '0')
			n = 0;
		else
			n = 0;
	}
	return 0;
}

/* Base64 (as an attachment's transfer encoding) into o; -1 if broken. */
static int
unbase64(struct vf_buf *o, const char *s, size_t n)
{
	unsigned long acc = 0;
	size_t i;
	int v, bits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' )
			break;
		if ((v = vf_b64val((unsigned char)s[i])) == -1) {
			if (s[i] == '\n' || s[i] == '\r' || s[i] == ' ')
				continue;
			return -1;
		}
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			vf_buf_addc(o, (int)(acc >> bits) & 0xff);
		}
	}
	return 0;
}

/* The reporter's keys: recorded, the report's signer, given in the form. */
static void
reporter_keys(struct job *j)
{
	const struct vf_case *c = &j->c;
	const char *v, *role, *ct, *cte;
	struct vf_buf b = { 0 };
	char fpr[65], *blk;
	size_t i, len;

	if ((v = vf_case_get(c, "Vf-Reporter-Key")) != NULL &&
	    strlen(v) < sizeof(fpr)) {
		(void)strlcpy(fpr, v, sizeof(fpr));
		add_cand(j, vf_oneline(fpr), "Vf-Reporter-Key", NULL, 0);
	}
	if ((v = vf_case_get(c, "Vf-Signer")) != NULL && fpr_in(v, fpr))
		add_cand(j, fpr, "the report's signer", NULL, 0);
	if ((v = vf_case_get(c, "Vf-Signature")) != NULL &&
	    strncmp(v, "good ", 5) == 0 && fpr_in(v + 5, fpr))
		add_cand(j, fpr, "the report's signer", NULL, 0);
	if ((v = vf_case_field(c, "contact.pgp-key")) != NULL) {
		if (strstr(v, "-----BEGIN PGP PUBLIC KEY BLOCK-----") != NULL)
			add_cand(j, NULL, "the key in the report's form",
			    vf_strdup(v), strlen(v));
		else if (fpr_in(v, fpr))
			add_cand(j, fpr, "the fingerprint in the report's form",
			    NULL, 0);
	}
	/* Keys attached to the report itself, not to a follow-up. */
	for (i = 0; i < c->npart; i++) {
		if ((role = vf_cpart_get(&c->part[i], "Vf-Part")) == NULL)
			continue;
		if (strcmp(role, VF_PART_FOLLOWUP) == 0)
			break;
		if (strcmp(role, "attachment") != 0 ||
		    (ct = vf_cpart_get(&c->part[i], "Content-Type")) == NULL ||
		    strncasecmp(ct, "application/pgp-keys", 20) != 0 ||
		    c->part[i].len > KEY_MAX)
			continue;
		cte = vf_cpart_get(&c->part[i], "Content-Transfer-Encoding");
		b.len = 0;
		if (cte != NULL && strcasecmp(cte, "base64") == 0) {
			if (unbase64(&b, c->part[i].body, c->part[i].len) == -1)
				continue;
		} else
			vf_buf_add(&b, c->part[i].body, c->part[i].len);
		blk = vf_buf_take(&b, &len);
		add_cand(j, NULL, "the key attached to the report", blk, len);
	}
	vf_buf_free(&b);
}

static void
party_keys(struct job *j)
{
	const char *v;
	char fpr[65];

	if ((v = vf_case_get(&j->c, "Vf-Route-Key")) != NULL &&
	    strlen(v) < sizeof(fpr)) {
		(void)strlcpy(fpr, v, sizeof(fpr));
		add_cand(j, vf_oneline(fpr), "Vf-Route-Key", NULL, 0);
	}
	if (strcmp(j->role, "coordinator") == 0 &&
	    (v = vf_config_get(j->n->cfg, "coordinator-key")) != NULL)
		add_cand(j, v, "coordinator-key", NULL, 0);
}

/* The recipient's address and name; 0, or the exit status. */
static int
recipient(struct job *j)
{
	const char *route = vf_case_get(&j->c, "Vf-Route");
	char *a;

	if (strcmp(j->role, "reporter") != 0 && route != NULL &&
	    strcmp(route, j->role) != 0) {
		warnx("VF#%s: routed to the %s (Vf-Route), not the %s: no %s "
		    "notice", j->id, route, j->role, j->kd->name);
		return EX_DATAERR;
	}
	a = vf_party_address(&j->c, j->n->cfg, j->role);
	if (strcmp(j->role, "reporter") == 0) {
		if (a == NULL) {
			warnx("VF#%s: neither reporter.email nor a From "
			    "address: the %s notice has no recipient", j->id,
			    j->kd->name);
			return EX_DATAERR;
		}
	} else {
		if (a == NULL) {
			warnx("VF#%s: no address for the %s (Vf-Route-Address%s)",
			    j->id, j->role, strcmp(j->role, "coordinator") == 0 ?
			    " or coordinator-address in the configuration" :
			    "; run vf-route");
			return EX_DATAERR;
		}
		j->route_name = hdr_text(vf_case_get(&j->c, "Vf-Route-Name"));
		j->to_name = j->route_name != NULL ?
		    vf_strdup(j->route_name) : NULL;
	}
	j->to = vf_addr_ascii(a);
	free(a);
	if (j->to == NULL) {
		warnx("VF#%s: the %s's address is not an addr-spec: nothing "
		    "is sent", j->id, j->role);
		return EX_DATAERR;
	}
	return 0;
}

/*
 * A field of a group (reporter.email@reach) is listed missing alone, the
 * first of its group; any of the others would do, and the reporter must
 * be told so, or one who has no e-mail to give cannot answer ("or a
 * telephone or fax number", as IPA's form asks).
 */
static void
alternatives(const struct job *j, const struct vf_field *f, struct vf_buf *o)
{
	const struct vf_fields *ft = j->n->fields;
	const struct vf_field *g;
	int ja = strcmp(j->lang, "ja") == 0, n = 0;
	size_t k;

	if (f->group == NULL)
		return;
	for (k = 0; k < ft->n; k++) {
		g = &ft->f[k];
		if (g == f || g->group == NULL || strcmp(g->group, f->group) != 0)
			continue;
		vf_buf_printf(o, "%s%s", n++ == 0 ? (ja ? "（または " : " (or ") :
		    (ja ? "、" : ", "), ja ? g->ja[0] : g->en[0]);
	}
	if (n > 0)
		vf_buf_adds(o, ja ? "）" : ")");
}

/* The lines of ${missing}: each named field's label, one a line. */
static int
missing_text(struct job *j, struct vf_buf *o)
{
	const char *hdr[] = { "Vf-Missing", "Vf-Malformed" }, *v;
	const struct vf_field *f;
	char *list, *p, *w;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((v = vf_case_get(&j->c, hdr[i])) == NULL)
			continue;
		list = vf_strdup(v);
		for (p = list; (w = strsep(&p, ",")) != NULL; ) {
			w += strspn(w, " \t\n");
			w[strcspn(w, " \t\n")] = '\0';
			if (*w == '\0')
				continue;
			if ((f = vf_fields_find(j->n->fields, w)) == NULL) {
				warnx("VF#%s: %s names %s, which the field "
				    "table does not know", j->id, hdr[i], w);
				free(list);
				return EX_DATAERR;
			}
			if (o->len > 0)
				vf_buf_addc(o, '\n');
			vf_buf_printf(o, "%s%s", strcmp(j->lang, "ja") == 0 ?
			    "・" : "- ", strcmp(j->lang, "ja") == 0 ? f->ja[0] :
			    f->en[0]);
			if (i == 0)
				alternatives(j, f, o);
		}
		free(list);
	}
	if (o->len == 0) {
		warnx("VF#%s: neither Vf-Missing nor Vf-Malformed names a "
		    "field: nothing to ask the reporter for", j->id);
		return EX_DATAERR;
	}
	return 0;
}

/* Fill the template from the view; 0, or the exit status. */
static int
fill(struct job *j, const struct vf_template *t)
{
	struct vf_kv vars[5];
	struct vf_buf miss = { 0 };
	char err[512];
	size_t nv = 0;
	const char *v;
	int rc;

	if ((v = vf_config_get(j->n->cfg, "office-name")) != NULL) {
		vars[nv].name = "office.name";
		vars[nv++].value = (char *)v;
	}
	if ((v = vf_config_get(j->n->cfg, "office-address")) != NULL) {
		vars[nv].name = "office.address";
		vars[nv++].value = (char *)v;
	}
	if (j->route_name != NULL) {
		vars[nv].name = "route.name";
		vars[nv++].value = j->route_name;
	}
	if (j->kd->flags & K_MISSING) {
		if ((rc = missing_text(j, &miss)) != 0)
			return rc;
		vars[nv].name = "missing";
		vars[nv++].value = miss.p;
	}
	if ((j->kd->flags & K_MESSAGE) && j->n->message != NULL) {
		vars[nv].name = "message";
		vars[nv++].value = (char *)j->n->message;
	}
	j->body.len = 0;
	rc = vf_template_fill(t, &j->view, vars, nv, j->n->fields, j->lang,
	    &j->body, err, sizeof(err));
	vf_buf_free(&miss);
	if (rc != 0)
		warnx("VF#%s: %s", j->id, err);
	return rc;
}

/*
 * gpg's output, the sealed notice (armored ciphertext, or the clear-signed
 * text that goes out in clear), into o: taken, not copied, when o is empty.
 * vf_gpg_free wipes its output buffer whole, as it must for a plaintext;
 * this one is no secret, and its 64 KiB and more of read buffer were wiped
 * after every gpg run, on the path from gpg's exit to the outbox.
 */
static void
sealed(struct vf_buf *o, struct vf_gpg *g)
{
	if (o->len != 0 || g->out.p == NULL) {
		vf_buf_add(o, g->out.p != NULL ? g->out.p : "", g->out.len);
		return;
	}
	vf_buf_free(o);
	*o = g->out;
	memset(&g->out, 0, sizeof(g->out));
}

/*
 * Sign and encrypt the entity to the first candidate key gpg can use,
 * from candidate `from' on (only that one when `one' is set). 0 done; -1
 * no candidate worked (used[] empty); else the exit status.
 */
static int
encrypt(struct job *j, const struct vf_buf *ent, struct vf_buf *pgp,
    size_t from, int one)
{
	const char *office = vf_config_get(j->n->cfg, "office-key");
	const char *rcpt[2];
	struct vf_gpg own, *g;
	char filefpr[41];
	size_t i, nr;
	int rc;

	memset(&own, 0, sizeof(own));
	g = &own;
	for (i = from; i < j->ncand && (!one || i == from); i++) {
		nr = 0;
		if (j->cand[i].block == NULL)
			rcpt[nr++] = j->cand[i].fpr;
		/* The office's copy in outbox/cur must open for the office. */
		rcpt[nr++] = office;
		if (i == 0 && j->early != NULL) {
			/*
			 * Started by begin with this very key and the
			 * office's; its output goes into j->eg.
			 */
			g = &j->eg;
			rc = vf_gpg_sign_encrypt_finish(j->early, ent->p,
			    ent->len, g, NULL, filefpr);
			j->early = NULL;
		} else {
			g = &own;
			rc = vf_gpg_sign_encrypt(ent->p, ent->len, office,
			    rcpt, nr, j->cand[i].block, j->cand[i].blocklen, g,
			    NULL, filefpr);
		}
		if (rc == 0) {
			(void)strlcpy(j->used, j->cand[i].block != NULL ?
			    filefpr : j->cand[i].fpr, sizeof(j->used));
			j->used_src = j->cand[i].src;
			sealed(pgp, g);
			vf_gpg_free(g);
			vf_gpg_free(&own);
			return 0;
		}
		/* An unusable recipient key: the next one may do. */
		if (rc == EX_CONFIG && (g->st.inv_recp ||
		    j->cand[i].block != NULL))
			continue;
		if (rc == EX_CONFIG)
			warnx("gpg cannot sign with office-key %s: is its "
			    "secret key in the keyring?", office);
		else if (rc == EX_UNAVAILABLE)
			warnx("cannot run gpg");
		else
			warnx("gpg failed to sign and encrypt; try again later");
		vf_gpg_free(g);
		vf_gpg_free(&own);
		return rc == EX_UNAVAILABLE ? EX_CONFIG : rc;
	}
	vf_gpg_free(&own);
	j->used[0] = '\0';
	j->used_src = NULL;
	return -1;
}

static int
sign_only(struct job *j, const struct vf_buf *ent, struct vf_buf *sig,
    int *hash)
{
	const char *office = vf_config_get(j->n->cfg, "office-key");
	struct vf_gpg g;
	int rc;

	memset(&g, 0, sizeof(g));
	rc = vf_gpg_sign_encrypt(ent->p, ent->len, office, NULL, 0, NULL, 0,
	    &g, hash, NULL);
	if (rc == 0)
		sealed(sig, &g);
	else if (rc == EX_CONFIG)
		warnx("gpg cannot sign with office-key %s", office);
	else
		warnx("gpg failed to sign; try again later");
	vf_gpg_free(&g);
	return rc == EX_UNAVAILABLE ? EX_CONFIG : rc;
}

/* Does a comma list (a header value) hold word w? */
static int
list_has(const char *list, const char *w)
{
	const char *p = list;
	size_t n = strlen(w);

	while (p != NULL && (p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

/* The list without w ("" when it was the only one). */
static char *
list_without(const char *list, const char *w)
{
	struct vf_buf b = { 0 };
	char *copy = vf_strdup(list), *p = copy, *x;

	while ((x = strsep(&p, ",")) != NULL) {
		x += strspn(x, " ");
		x[strcspn(x, " ")] = '\0';
		if (*x == '\0' || strcmp(x, w) == 0)
			continue;
		vf_buf_printf(&b, "%s%s", b.len > 0 ? ", " : "", x);
	}
	free(copy);
	vf_buf_add(&b, "", 0);
	return vf_buf_take(&b, NULL);
}

static int
write_case(struct job *j)
{
	struct vf_buf out = { 0 };
	int rc;

	if ((rc = vf_case_clock_ok(&j->c, j->path)) != 0)
		return rc;
	vf_case_write(&j->c, &out);
	rc = vf_replace(j->n->root, j->path, out.p, out.len);
	vf_buf_free(&out);
	return rc;
}

/* No key for a notice that must be encrypted: say so on the case. */
static int
key_needed(struct job *j)
{
	const char *v = vf_case_get(&j->c, "Vf-Key-Needed");
	char *nv;
	int rc;

	warnx("VF#%s: no usable encryption key for the %s, and the %s notice "
	    "may not go in clear: nothing is sent; record the %s's key (%s) "
	    "and run this again", j->id, j->role, j->kd->name, j->role,
	    strcmp(j->role, "reporter") == 0 ?
	    "Vf-Reporter-Key" : strcmp(j->role, "coordinator") == 0 ?
	    "coordinator-key" : "Vf-Route-Key");
	if (v != NULL && list_has(v, j->role))
		return EX_DATAERR;
	if (v == NULL)
		nv = vf_strdup(j->role);
	else {
		struct vf_buf b = { 0 };

		vf_buf_printf(&b, "%s, %s", v, j->role);
		nv = vf_buf_take(&b, NULL);
	}
	vf_case_set(&j->c, "Vf-Key-Needed", nv);
	free(nv);
	vf_case_history(&j->c, j->n->tool, "%s notice to %s not made: no "
	    "usable encryption key for the %s, and it may not go in clear",
	    j->kd->name, j->role, j->role);
	if ((rc = write_case(j)) != 0)
		return rc;
	(void)vf_log(j->n->root, j->n->tool, j->id, "%s notice to %s not "
	    "made: key needed", j->kd->name, j->role);
	return EX_DATAERR;
}

/* The template, filled, and the entity gpg signs: 0 or the exit status. */
static int
prepare(struct job *j, struct vf_template *t, struct vf_buf *ent)
{
	char err[512];
	int rc;

	if ((rc = vf_template_load(t, j->kd->name, j->lang, err,
	    sizeof(err))) != 0) {
		warnx("%s", err);
		return rc;
	}
	if ((rc = fill(j, t)) != 0)
		return rc;
	vf_mail_entity(ent, j->body.p, j->body.len);
	return 0;
}

/*
 * Sign and encrypt to a candidate from `from' on; where none can be used,
 * sign alone and in clear if that is allowed, else record that a key is
 * needed. 0 or the exit status; *hash is the signature's digest when in
 * clear.
 */
static int
seal(struct job *j, const struct vf_template *t, struct vf_buf *ent,
    struct vf_buf *pgp, size_t from, int *hash)
{
	int rc;

	if ((rc = encrypt(j, ent, pgp, from, 0)) != -1)
		return rc;
	if (j->need_key)
		return key_needed(j);
	/* In clear: handling status only, and the URL. */
	j->clear = 1;
	vf_view_restrict(&j->view, j->n->fields, in_clear);
	if (fill(j, t) != 0) {
		warnx("VF#%s: the %s template needs more than may go in clear",
		    j->id, j->kd->name);
		return key_needed(j);
	}
	explicit_bzero(ent->p, ent->cap);
	ent->len = 0;
	vf_mail_entity(ent, j->body.p, j->body.len);
	return sign_only(j, ent, pgp, hash);
}

/* The whole mail in j->mail. */
static int
compose(struct job *j, const struct vf_template *t, const struct vf_buf *ent,
    const struct vf_buf *pgp, int hash)
{
	struct vf_mailhdr h;
	int rc;

	memset(&h, 0, sizeof(h));
	h.from_name = vf_config_get(j->n->cfg, "office-name");
	h.from = vf_config_get(j->n->cfg, "office-address");
	h.to_name = j->to_name;
	h.to = j->to;
	h.subject = t->subject;
	h.msgid = j->msgid;
	h.id = j->id;
	h.kind = j->kd->name;
	h.role = j->role;
	h.date = vf_now();
	j->mail.len = 0;
	if ((rc = vf_mail_compose(&j->mail, &h, j->clear ? ent->p : NULL,
	    ent->len, pgp->p, pgp->len, hash)) != 0)
		warnx("VF#%s: a header of the %s notice is not one line or an "
		    "address is not an addr-spec: nothing is sent", j->id,
		    j->kd->name);
	return rc;
}

/* Does a Vf-Notice of the case name the Message-ID? */
static int
names_msgid(const struct vf_case *c, const char *mid)
{
	size_t i, ml = strlen(mid);
	const char *v;

	for (i = 0; i < c->nhdr; i++) {
		if (strcasecmp(c->hdr[i].name, "Vf-Notice") != 0)
			continue;
		v = c->hdr[i].value;
		while ((v = strstr(v, mid)) != NULL) {
			if ((v[ml] == ' ' || v[ml] == '\0') &&
			    (v == c->hdr[i].value || v[-1] == ' '))
				return 1;
			v++;
		}
	}
	return 0;
}

/* Does a history line end in "TOOL: TEXT"? */
static int
said(const struct vf_case *c, const char *tool, const char *text)
{
	size_t i, n, tl = strlen(tool), xl = strlen(text);
	const char *l;

	for (i = 0; i < c->nhist; i++) {
		l = c->hist[i];
		if ((n = strlen(l)) < tl + xl + 3)
			continue;
		l += n - (tl + xl + 3);
		if (l[0] == ' ' && strncmp(l + 1, tool, tl) == 0 &&
		    strncmp(l + 1 + tl, ": ", 2) == 0 &&
		    strcmp(l + 3 + tl, text) == 0)
			return 1;
	}
	return 0;
}

/* Record the notice on the case (steps 1 and 2); 0 or the exit status. */
static int
record(struct job *j)
{
	char when[32], val[400];
	const char *v;
	char *nv;
	int rc;

	if ((rc = vf_sent_put(j->n->root, j->msgid, j->id, j->role,
	    j->kd->name)) != 0)
		return rc;
	vf_timestamp(when, sizeof(when), vf_now());
	if (!j->remake) {
		if (snprintf(val, sizeof(val), "%s %s %s %s", j->kd->name,
		    j->role, j->msgid, when) >= (int)sizeof(val))
			return EX_SOFTWARE;
		vf_case_add(&j->c, "Vf-Notice", val);
	}
	if (strcmp(j->role, "reporter") == 0 && j->used[0] != '\0' &&
	    ((v = vf_case_get(&j->c, "Vf-Reporter-Key")) == NULL ||
	    strcasecmp(v, j->used) != 0))
		vf_case_set(&j->c, "Vf-Reporter-Key", j->used);
	if (!j->clear && (v = vf_case_get(&j->c, "Vf-Key-Needed")) != NULL &&
	    list_has(v, j->role)) {
		nv = list_without(v, j->role);
		if (*nv == '\0')
			vf_case_del(&j->c, "Vf-Key-Needed");
		else
			vf_case_set(&j->c, "Vf-Key-Needed", nv);
		free(nv);
	}
	vf_case_history(&j->c, j->n->tool, "%s notice to %s %s, %s%s%s%s%s%s%s%s",
	    j->kd->name, j->role, j->msgid, j->clear ? "signed, not "
	    "encrypted (no key, and none needed)" : "encrypted to ",
	    j->clear ? "" : j->used, j->clear ? "" : " (", j->clear ? "" :
	    j->used_src, j->clear ? "" : ")", j->digest[0] != '\0' ?
	    "; message sha256:" : "", j->digest, j->remake ?
	    "; made again: the first was interrupted before the outbox" :
	    j->n->force ? "; sent again (-f)" : "");
	/*
	 * The history names the move before the case makes it; made again,
	 * the first, interrupted, named it already, and the move is still
	 * the one move.
	 */
	if (j->kd->to != NULL && strcmp(j->state, j->kd->from) == 0) {
		snprintf(val, sizeof(val), "moved from %s to %s by the %s "
		    "notice", j->kd->from, j->kd->to, j->kd->name);
		if (!j->remake || !said(&j->c, j->n->tool, val))
			vf_case_history(&j->c, j->n->tool, "%s", val);
	}
	return write_case(j);
}

/* Steps 3 and 4: the outbox, then the move. */
static int
deliver(struct job *j)
{
	char name[300];
	int rc;

	if (vf_outbox_name(j->msgid, name, sizeof(name)) == -1)
		return EX_SOFTWARE;
	rc = vf_deliver_tmp(j->n->root, "outbox", name, j->mail.p,
	    j->mail.len, j->outpath, sizeof(j->outpath), j->tmpfd, j->tmpname);
	j->tmpfd = -1;		/* closed, linked or taken away */
	if (rc != 0)
		return rc;
	j->made = 1;
	return 0;
}

static int
move_on(struct job *j)
{
	int rc;

	if (j->kd->to == NULL || strcmp(j->state, j->kd->from) != 0)
		return 0;
	if (!vf_move_ok(j->kd->from, j->kd->to, j->kind, VF_BY_NOTIFY)) {
		warnx("VF#%s: the %s notice may not move a %s case from %s to "
		    "%s", j->id, j->kd->name, vf_kind_name(j->kind),
		    j->kd->from, j->kd->to);
		return EX_SOFTWARE;
	}
	if ((rc = vf_move(j->n->root, j->path, sizeof(j->path),
	    j->kd->to)) != 0)
		return rc;
	j->state = j->kd->to;
	return 0;
}

/* Is the move still to be made (not made, nor tried, beside gpg)? */
static int
move_due(const struct job *j)
{
	return !j->moved && j->kd->to != NULL && j->state != NULL &&
	    strcmp(j->state, j->kd->from) == 0;
}

/*
 * gpg failed after the move was made beside it: the case back where it
 * was, before its record is taken back. Killed between the two, the case
 * is where it was and still records the notice, which the next run makes
 * again under its Message-ID, as after any interruption before the
 * outbox. 0, or the exit status (the case then stays moved and recorded,
 * and the caller must leave its record be: the next run completes it).
 */
static int
unmove(struct job *j)
{
	int rc;

	if (!j->moved)
		return 0;
	j->moved = 0;
	if (j->mrc != 0 || j->kd->to == NULL || strcmp(j->state, j->kd->to) !=
	    0)
		return 0;
	if ((rc = vf_move(j->n->root, j->path, sizeof(j->path),
	    j->kd->from)) != 0)
		return rc;
	j->state = j->kd->from;
	return 0;
}

/* The checks the process asks before any view is made. */
static int
process_rules(struct job *j)
{
	const struct vf_case *c = &j->c;
	const char *consent;
	int y;

	if (!(j->kd->kinds & j->kind)) {
		warnx("VF#%s: a %s notice is for %s cases; this one is %s",
		    j->id, j->kd->name, kinds_text(j->kd->kinds),
		    vf_kind_name(j->kind));
		return EX_DATAERR;
	}
	if (!has_word(j->kd->states, j->state)) {
		warnx("VF#%s: a %s notice is for cases in%s; this one is %s",
		    j->id, j->kd->name, j->kd->states, j->state);
		return EX_DATAERR;
	}
	if ((j->kd->flags & K_MESSAGE) && j->n->message == NULL) {
		warnx("a %s notice carries the office's text: give it with -m",
		    j->kd->name);
		return EX_USAGE;
	}
	if (j->kd->flags & K_FINAL) {
		y = yesno(c, "contact.final-report");
		if (y == 0) {
			warnx("VF#%s: not sent: the reporter did not ask for "
			    "the final report (contact.final-report: no)",
			    j->id);
			return -1;
		}
		if (y < 0) {
			warnx("VF#%s: contact.final-report is %s: the %s "
			    "notice goes only to a reporter who asked for the "
			    "final report; nothing is sent", j->id, y == -1 ?
			    "not stated" : "unclear", j->kd->name);
			return EX_DATAERR;
		}
	}
	if (j->kd->flags & K_RELAY) {
		if ((consent = vf_policy_relay(j->n->policy, j->asker)) ==
		    NULL) {
			warnx("%s has no relay rule for the %s: no question "
			    "of theirs reaches the reporter", j->n->policy->path,
			    j->asker);
			return EX_CONFIG;
		}
		if ((y = yesno(c, consent)) != 1) {
			warnx("VF#%s: %s is %s: the %s's question does not "
			    "reach the reporter", j->id, consent, y == 0 ?
			    "no" : y == -1 ? "not stated" : "unclear",
			    j->asker);
			return EX_DATAERR;
		}
	}
	return 0;
}

/* Who gets it, who asked, the keys, whether one is needed. */
static void
setup_who(struct job *j)
{
	const struct vf_notify *n = j->n;
	int sw = (j->kind & SW) != 0;

	j->role = j->kd->role != NULL ? j->kd->role : sw ? "coordinator" :
	    "operator";
	j->asker = n->party != NULL ? n->party : sw ? "vendor" : "operator";
	if (strcmp(j->role, "reporter") == 0) {
		reporter_keys(j);
		/* Unclear or unstated counts as "encrypt": fail closed. */
		j->need_key = yesno(&j->c, "contact.encrypt") != 0;
	} else {
		party_keys(j);
		j->need_key = !(j->kd->flags & K_CLEAR);
	}
	if ((j->kd->flags & K_MESSAGE) && n->message != NULL) {
		char d[SHA256_DIGEST_STRING_LENGTH];

		SHA256Data((const uint8_t *)n->message, strlen(n->message), d);
		memcpy(j->digest, d, 16);
		j->digest[16] = '\0';
	}
}

/* The process's rules, whose view, the recipient, in which language. */
static int
setup_view(struct job *j)
{
	const struct vf_notify *n = j->n;
	const char *v;
	char err[512];
	int rc;

	if ((rc = vf_view_make(&j->view, n->policy, n->fields, &j->c,
	    j->state, j->role, err, sizeof(err))) != 0) {
		warnx("VF#%s: %s", j->id, err);
		return rc;
	}
	/* What reaches one party about another's words: both may see it. */
	if (j->kd->flags & (K_RELAY | K_ANSWER)) {
		if ((rc = vf_view_make(&j->other, n->policy, n->fields, &j->c,
		    j->state, j->asker, err, sizeof(err))) != 0) {
			warnx("VF#%s: %s", j->id, err);
			return rc;
		}
		vf_view_intersect(&j->view, &j->other);
	}
	if (j->kd->flags & K_RESTRICT)
		vf_view_restrict(&j->view, n->fields, restricted);
	if ((rc = recipient(j)) != 0)
		return rc;
	j->lang = n->lang;
	if (j->lang == NULL && strcmp(j->role, "reporter") != 0 &&
	    (v = vf_case_get(&j->c, "Vf-Route-Lang")) != NULL &&
	    (strcmp(v, "ja") == 0 || strcmp(v, "en") == 0))
		j->lang = strcmp(v, "ja") == 0 ? "ja" : "en";
	if (j->lang == NULL)
		j->lang = j->view.lang[0] != '\0' ? j->view.lang :
		    vf_case_lang(&j->c);
	return 0;
}

static void
job_free(struct job *j)
{
	size_t i;

	/* Made ahead for a mail that was not delivered: nothing left. */
	if (j->tmpfd != -1) {
		(void)close(j->tmpfd);
		(void)unlinkat(j->n->root->fd, j->tmpname, 0);
		j->tmpfd = -1;
	}
	/* Started, and its text never came: killed and reaped here. */
	vf_gpg_cancel(j->early);
	j->early = NULL;
	vf_gpg_free(&j->eg);
	for (i = 0; i < j->ncand; i++)
		free(j->cand[i].block);
	vf_view_free(&j->view);
	vf_view_free(&j->other);
	free(j->to);
	free(j->to_name);
	free(j->route_name);
	if (j->body.p != NULL)
		explicit_bzero(j->body.p, j->body.cap);
	vf_buf_free(&j->body);
	vf_buf_free(&j->mail);
	vf_case_free(&j->c);
	(void)pthread_mutex_destroy(&j->mu);
	(void)pthread_cond_destroy(&j->cv);
}

static void *
bg_main(void *arg)
{
	struct bg *b = arg;

	b->rc = b->fn(b->j);
	return NULL;
}

static void
bg_start(struct bg *b, int (*fn)(struct job *), struct job *j)
{
	b->fn = fn;
	b->j = j;
	b->rc = 0;
	/* Without a thread, the same work in line: slower, not wrong. */
	b->running = pthread_create(&b->t, NULL, bg_main, b) == 0;
	if (!b->running)
		b->rc = fn(j);
}

static int
bg_join(struct bg *b)
{
	if (b->running && pthread_join(b->t, NULL) != 0)
		errx(EX_SOFTWARE, "pthread_join failed");
	b->running = 0;
	return b->rc;
}

/*
 * A notice whose outbox, move and log (steps 3 and 4) are done in a
 * thread while the next notice of the same run begins (vf_notice).
 */
struct late {
	struct bg	 b;	/* the outbox, the move if due, the log, the
				   unlock */
	int		 held;	/* b not started yet (n->hold) */
	struct job	 j;
};

#define FILE_LATE	(-3)	/* make: recorded and sealed, to be filed */

/* The case's headers and history as they were, to take a record back. */
struct snap {
	struct vf_kv	*hdr;
	size_t		 nhdr;
	size_t		 nhist;
};

static void
snap_take(struct snap *s, const struct vf_case *c)
{
	size_t i;

	s->hdr = vf_reallocarray(NULL, c->nhdr + 1, sizeof(*s->hdr));
	for (i = 0; i < c->nhdr; i++) {
		s->hdr[i].name = vf_strdup(c->hdr[i].name);
		s->hdr[i].value = vf_strdup(c->hdr[i].value);
	}
	s->nhdr = c->nhdr;
	s->nhist = c->nhist;
}

static void
snap_restore(struct snap *s, struct vf_case *c)
{
	size_t i;

	vf_headers_free(c->hdr, c->nhdr);
	c->hdr = s->hdr;
	c->nhdr = s->nhdr;
	for (i = s->nhist; i < c->nhist; i++)
		free(c->hist[i]);
	c->nhist = s->nhist;
	s->hdr = NULL;
}

static void
snap_free(struct snap *s)
{
	if (s->hdr != NULL)
		vf_headers_free(s->hdr, s->nhdr);
	s->hdr = NULL;
}

/*
 * What the filing after gpg needs that gpg's output does not decide,
 * done beside gpg, in the record's thread once the record is written:
 * the outbox's and the move's folders checked (vf_state_make then does
 * nothing more for them), the outbox's tmp file made (an inode's
 * creation, the dearest call of the delivery). Quiet: what fails here
 * is done again, and said, by the filing itself. An empty file in
 * outbox/tmp is nothing sent, and a notice that is not delivered takes
 * it away (job_free); one a crash leaves, vf-expire removes.
 */
static void
file_ahead(struct job *j)
{
	struct vf_root *root = j->n->root;

	if (j->tmpfd == -1 && vf_folder_ready(root, "outbox"))
		j->tmpfd = vf_tmp_open(root, "outbox", j->tmpname,
		    sizeof(j->tmpname));
	if (move_due(j))
		(void)vf_folder_ready(root, j->kd->to);
}

/*
 * Step 2 beside gpg, then step 4 (the move needs only the record on
 * disk, not the mail; a case recorded and moved whose mail is not in the
 * outbox is made again by the next run, in whichever of its states it
 * is), then what the outbox can do before gpg ends. After gpg only the
 * mail's own steps are left: its file, its link, outbox/new's fsync.
 */
static int
record_ahead(struct job *j)
{
	int rc;

	rc = record(j);
	(void)pthread_mutex_lock(&j->mu);
	j->rrc = rc;
	j->recorded = 1;
	(void)pthread_cond_signal(&j->cv);
	(void)pthread_mutex_unlock(&j->mu);
	if (rc != 0)
		return rc;
	/*
	 * Only into a folder that is there: one made here would stay, the
	 * tree changed, should gpg fail (unmove takes back the case, not
	 * the folders). The first move into a state is made after gpg.
	 */
	if (move_due(j) && vf_folder_ready(j->n->root, j->kd->to)) {
		j->mrc = move_on(j);
		j->moved = 1;
	}
	file_ahead(j);
	return 0;
}

/* The record on disk (or not): its status; the thread may go on. */
static int
record_wait(struct job *j)
{
	int rc;

	if (!j->rb.running)
		return j->rb.rc;	/* done in line: bg_start's */
	(void)pthread_mutex_lock(&j->mu);
	while (!j->recorded)
		(void)pthread_cond_wait(&j->cv, &j->mu);
	rc = j->rrc;
	(void)pthread_mutex_unlock(&j->mu);
	return rc;
}

/*
 * Step 4 while the outbox's thread b does step 3, then the log; with no
 * b, the move was made beside gpg, and step 3 is done here.
 */
static int
move_and_log(struct job *j, struct bg *b)
{
	int drc, mrc;

	if (b == NULL) {
		mrc = j->moved ? j->mrc : move_on(j);
		drc = deliver(j);
	} else {
		mrc = move_on(j);
		drc = bg_join(b);
	}
	/*
	 * The log is never rewritten, and vf-expire deletes the reporter's
	 * key with the rest of the reporter's details: the reporter's
	 * fingerprint stays in the case's history (which vf-expire scrubs),
	 * out of the log. Other parties' keys are the office's contacts.
	 */
	if (drc == 0)
		(void)vf_log(j->n->root, j->n->tool, j->id, "%s notice to %s "
		    "%s%s", j->kd->name, j->role, j->clear ? "signed, in "
		    "clear" : "encrypted to ", j->clear ? "" :
		    strcmp(j->role, "reporter") == 0 ? "the reporter's key" :
		    j->used);
	return drc != 0 ? drc : mrc;
}

/* Steps 3 and 4 together: neither needs the other. */
static int
deliver_and_move(struct job *j)
{
	struct bg b;

	if (!move_due(j))
		return move_and_log(j, NULL);
	bg_start(&b, deliver, j);
	return move_and_log(j, &b);
}

/*
 * Make, record and deliver the notice. With a key to try first (the
 * usual case), the record is written while gpg signs and encrypts, as if
 * gpg will succeed; should it not, the record is taken back (and says so)
 * before any other key is tried.
 */
static int
make(struct job *j)
{
	struct vf_template t;
	struct vf_buf ent = { 0 }, pgp = { 0 };
	struct snap sn = { 0 };
	size_t from = 0;
	int rc, grc, rrc, hash = 0;

	/* What caches itself on first use does so before any thread. */
	(void)vf_now();
	(void)vf_user();
	if ((rc = prepare(j, &t, &ent)) != 0)
		goto done;
	if (j->ncand > 0 && j->cand[0].block == NULL) {
		(void)strlcpy(j->used, j->cand[0].fpr, sizeof(j->used));
		j->used_src = j->cand[0].src;
		snap_take(&sn, &j->c);
		bg_start(&j->rb, record_ahead, j);
		grc = encrypt(j, &ent, &pgp, 0, 1);
		rrc = record_wait(j);
		/*
		 * Sealed and recorded: composed while the record's thread
		 * moves the case and makes the outbox's tmp file; the filing
		 * waits for it (over many cases, the next notice need not).
		 * Else the thread is done with first.
		 */
		if (rrc == 0 && grc == 0) {
			if ((rc = compose(j, &t, &ent, &pgp, 0)) == 0 &&
			    !j->late) {
				(void)bg_join(&j->rb);
				rc = deliver_and_move(j);
			} else if (rc == 0)
				rc = FILE_LATE;
			goto done;
		}
		(void)bg_join(&j->rb);
		if (rrc != 0) {
			/* Not recorded, so not sent. */
			rc = rrc;
			goto done;
		}
		if ((rc = unmove(j)) != 0)
			goto done;	/* recorded and moved: left to the next run */
		snap_restore(&sn, &j->c);
		if (grc != -1) {
			/*
			 * gpg as a whole failed (not there, no agent, no
			 * office key): nothing about this case to say, the
			 * case back as it was, the error the caller's.
			 */
			if ((rc = write_case(j)) == 0)
				rc = grc;
			goto done;
		}
		vf_case_history(&j->c, j->n->tool, "%s notice to %s %s not "
		    "made: gpg could not use %s (%s)", j->kd->name, j->role,
		    j->msgid, j->cand[0].fpr, j->cand[0].src);
		if ((rc = write_case(j)) != 0)
			goto done;
		from = 1;
		pgp.len = 0;
	}
	if ((rc = seal(j, &t, &ent, &pgp, from, &hash)) != 0 ||
	    (rc = compose(j, &t, &ent, &pgp, hash)) != 0 ||
	    (rc = record(j)) != 0)
		goto done;
	rc = j->late ? FILE_LATE : deliver_and_move(j);
done:
	/* Filed later (FILE_LATE): file_late waits for the thread. */
	if (rc != FILE_LATE)
		(void)bg_join(&j->rb);
	snap_free(&sn);
	if (ent.p != NULL)
		explicit_bzero(ent.p, ent.cap);
	vf_buf_free(&ent);
	vf_buf_free(&pgp);
	vf_template_free(&t);
	return rc;
}

/* A notice recorded already: complete what an interruption left. */
static int
recorded_already(struct job *j, const char *mid)
{
	char name[300];

	if (*mid == '\0') {
		warnx("VF#%s: a %s to the %s is not due yet "
		    "(reply-deadline-days after the last notice to them)",
		    j->id, j->kd->name, j->role);
		return -1;
	}
	if (vf_outbox_name(mid, name, sizeof(name)) == -1) {
		warnx("VF#%s: Vf-Notice names %s, not a Message-ID of ours",
		    j->id, mid);
		return EX_DATAERR;
	}
	if (!in_outbox(j->n->root, name)) {
		/* Interrupted before the outbox: the same mail again. */
		(void)strlcpy(j->msgid, mid, sizeof(j->msgid));
		j->remake = 1;
		return 0;
	}
	warnx("VF#%s: the %s notice to the %s was made already (%s); -f "
	    "makes it again", j->id, j->kd->name, j->role, mid);
	return -1;
}

/* The field table and the policy, loaded when first needed (n->load). */
static int
share(struct vf_notify *n)
{
	return n->load != NULL ? n->load(n) : 0;
}

#define NOTICE_AGAIN	(-2)	/* the case has a notice in flight: drain */

static int batch_has(const void *, const char *);

/*
 * Everything before the notice is made, nothing written: the case found,
 * locked, loaded and checked, the Message-ID chosen. 0 to go on, -1
 * nothing to make, NOTICE_AGAIN (not locked) when a batch has this case
 * in flight, else the exit status.
 */
static int
begin(struct job *j, struct vf_notify *n, const char *what, int early)
{
	char err[512], mid[256];
	const char *host, *rcpt[2];
	int rc, viewed = 0;

	memset(j, 0, sizeof(*j));
	j->n = n;
	j->lk = -1;
	j->tmpfd = -1;
	(void)pthread_mutex_init(&j->mu, NULL);
	(void)pthread_cond_init(&j->cv, NULL);
	if ((j->kd = kind_find(n->kind)) == NULL) {
		warnx("%s: no such notice kind", n->kind);
		return EX_USAGE;
	}
	if ((host = vf_config_get(n->cfg, "office-address")) == NULL ||
	    (host = strrchr(host, '@')) == NULL ||
	    vf_config_get(n->cfg, "office-key") == NULL) {
		warnx("%s/config needs office-address and office-key to send "
		    "mail", n->root->path);
		return EX_CONFIG;
	}
	host++;
	if ((rc = vf_resolve(n->root, what, j->path, sizeof(j->path),
	    &j->state)) != 0)
		return rc;
	if (vf_path_state(n->root, j->path, j->idbuf, sizeof(j->idbuf)) ==
	    NULL)
		return EX_NOINPUT;
	/* Its lock is held by the batch's own notice of it: not twice. */
	if (n->batch != NULL && batch_has(n->batch, j->idbuf))
		return NOTICE_AGAIN;
	/* Or by the notice before, still being filed. */
	if (n->filing != NULL &&
	    strcmp(((struct late *)n->filing)->j.idbuf, j->idbuf) == 0)
		return NOTICE_AGAIN;
	if ((rc = vf_lock(n->root, j->idbuf, &j->lk)) != 0)
		return rc;
	/* Under the lock, where it is now: it may have moved meanwhile. */
	if ((rc = vf_find(n->root, j->idbuf, j->path, sizeof(j->path),
	    &j->state)) != 0) {
		warnx("%s: no such case", j->idbuf);
		return rc;
	}
	if ((rc = vf_case_load(&j->c, j->path, err, sizeof(err))) != 0) {
		warnx("%s: %s", j->path, err);
		return rc;
	}
	/* Before anything is made or recorded (.sent, the outbox). */
	if ((rc = vf_case_clock_ok(&j->c, j->path)) != 0)
		return rc;
	j->id = j->idbuf;
	j->kind = vf_kind_bit(vf_case_get(&j->c, "Vf-Kind"));
	setup_who(j);
	/* A relayed question asks the policy whose consent it needs. */
	if ((j->kd->flags & K_RELAY) && (rc = share(n)) != 0)
		return rc;
	if ((rc = process_rules(j)) != 0)
		return rc;
	if (recorded(j, mid, sizeof(mid)) && !n->force) {
		/* The view's verdict first, as for any notice. */
		if ((rc = share(n)) != 0 || (rc = setup_view(j)) != 0)
			return rc;
		viewed = 1;
		if ((rc = recorded_already(j, mid)) != 0)
			return rc;
	}
	if (!j->remake && (rc = vf_mail_msgid(j->msgid, sizeof(j->msgid),
	    j->id, host)) != 0) {
		warnx("office-address %s: no host to name mail after",
		    vf_config_get(n->cfg, "office-address"));
		return EX_CONFIG;
	}
	/*
	 * The key is known: gpg starts now, and spends its first
	 * milliseconds starting and reaching its agent while the field
	 * table and the policy are loaded (the first case), the view made
	 * and the template filled; its text comes in make(). Nothing is
	 * written before that; any failure until then kills and reaps it
	 * (job_free). Not in a batch: its gpg runs start in their thread.
	 */
	if (early && j->ncand > 0 && j->cand[0].block == NULL) {
		rcpt[0] = j->cand[0].fpr;
		rcpt[1] = vf_config_get(n->cfg, "office-key");
		if (vf_gpg_sign_encrypt_start(rcpt[1], rcpt, 2, NULL, 0,
		    &j->eg, &j->early) != 0)
			j->early = NULL;	/* make() runs it whole */
	}
	if (!viewed && ((rc = share(n)) != 0 || (rc = setup_view(j)) != 0))
		return rc;
	return 0;
}

/*
 * After make() (made set) or in its place: take back a .sent entry no
 * case records, complete a move an interruption left, unlock.
 */
static int
end(struct job *j, int rc, int made)
{
	char mid[256];

	/*
	 * Failed, and the case does not record this Message-ID (never
	 * written, or taken back): .sent's entry of it is taken back too,
	 * the tree as it was. A remade one the case records stays.
	 */
	if (made && rc > 0 && !j->remake && !names_msgid(&j->c, j->msgid))
		(void)vf_sent_drop(j->n->root, j->msgid);
	if (rc == -1) {
		/* Nothing to do; still, a move an interruption left. */
		rc = 0;
		if (j->kd->to != NULL && j->state != NULL &&
		    strcmp(j->state, j->kd->from) == 0 && recorded(j, mid,
		    sizeof(mid)))
			rc = move_on(j);
	}
	job_free(j);
	if (j->lk != -1)
		vf_unlock(j->lk);
	j->lk = -1;
	return rc;
}

/* The mail a notice made, where the caller looks for it. */
static void
publish(struct job *j)
{
	j->n->made = 0;
	j->n->path[0] = '\0';
	if (j->made) {
		(void)strlcpy(j->n->path, j->outpath, sizeof(j->n->path));
		j->n->made = 1;
	}
}

/* In the filing thread: step 4 beside step 3's, the log, the unlock. */
static int
file_late(struct job *j)
{
	(void)bg_join(&j->rb);
	return end(j, deliver_and_move(j), 1);
}

int
vf_notice_flush(struct vf_notify *n)
{
	struct late *l = n->filing;
	int rc;

	if (l == NULL)
		return 0;
	n->filing = NULL;
	/* Held: no case follows, or it is this one again: here, in line. */
	rc = l->held ? file_late(&l->j) : bg_join(&l->b);
	publish(&l->j);
	if (rc == 0 && n->made)
		n->print(n);
	free(l);
	return rc;
}

/*
 * With n->print set, a notice recorded and sealed is filed (steps 3 and
 * 4, in that order, after its record is on disk as always) in a thread
 * while the next notice of the run begins: its case read, its gpg
 * started, its record written. The one before is waited for at the end
 * of each call, so that at most one is being filed and the mails are
 * printed and logged in the order asked; the crash promise is the
 * batch's (a notice recorded but not yet in the outbox is made again
 * by the next run). The same case twice waits for its first filing.
 */
int
vf_notice(struct vf_notify *n, const char *what)
{
	struct late *l;
	struct job *j;
	int rc, f, frc = 0, began = 0;

	/* A case follows the one held: its filing goes on beside this. */
	if ((l = n->filing) != NULL && l->held) {
		l->held = 0;
		bg_start(&l->b, file_late, &l->j);
	}
	l = vf_calloc(1, sizeof(*l));
	j = &l->j;
	if ((rc = begin(j, n, what, 1)) == NOTICE_AGAIN) {
		frc = vf_notice_flush(n);
		rc = begin(j, n, what, 1);
	}
	if (rc == 0) {
		began = 1;
		j->late = n->print != NULL;
		rc = make(j);
	}
	if ((f = vf_notice_flush(n)) > frc)
		frc = f;
	if (rc == FILE_LATE) {
		/*
		 * The move was made beside gpg: the filing is the outbox
		 * and the log, in one thread, or (held, the last notice of
		 * the run) in line in vf_notice_flush, with no thread at
		 * all after gpg.
		 */
		if (n->hold)
			l->held = 1;
		else
			bg_start(&l->b, file_late, j);
		n->filing = l;
		return frc;
	}
	rc = end(j, rc, began);
	publish(j);
	if (rc == 0 && n->made && n->print != NULL)
		n->print(n);
	free(l);
	return rc > frc ? rc : frc;
}

/*
 * Many notices at once (vf-notify -j N): up to N notices in flight, each
 * in a thread of its own that does what make() does beside gpg (the
 * record, steps 1 and 2, written while gpg signs and encrypts, taken back
 * if gpg fails), while the next case is read and its mail made ready.
 * The mails are then put in the outbox, the cases moved on and the log
 * written one notice at a time, in the order they were asked for (step
 * 3, after that notice's record is on disk, as in vf_notice). Each
 * notice's steps keep their order, so the crash promise is the
 * one-at-a-time one: a notice is in the outbox only once recorded; one
 * recorded but killed before the outbox (as many as N of them) is made
 * again under its Message-ID by the next run, as vf_notice's would be.
 * The records of two cases may reach the disk out of the order asked;
 * each case's own history is in its order, and the log in the order
 * asked. Each case in flight stays locked until it is filed; the same
 * case asked for twice waits for its first notice to be filed.
 */
struct vf_notice_job {
	struct job		 j;
	int			 rc;	/* of begin, or of prepare */
	int			 fast;	/* job_work running in gt */
	struct vf_template	 t;
	struct vf_buf		 ent;
	struct vf_buf		 pgp;
	struct bg		 gt;
};

struct vf_notice_batch {
	struct vf_notify	 *n;
	struct vf_notice_job	**ring;
	size_t			  max, head, count;
	void			(*made)(const struct vf_notify *, void *);
	void			 *arg;
};

static int
batch_has(const void *arg, const char *id)
{
	const struct vf_notice_batch *b = arg;
	const struct vf_notice_job *q;
	size_t i;

	for (i = 0; i < b->count; i++) {
		q = b->ring[(b->head + i) % b->max];
		if (q->j.lk != -1 && strcmp(q->j.idbuf, id) == 0)
			return 1;
	}
	return 0;
}

/*
 * In the notice's own thread, what make() does beside gpg: the record
 * (steps 1 and 2) written while gpg signs and encrypts, taken back if gpg
 * fails. 0: ready to file (compose, outbox, move); -1: the first key
 * would not do, the rest is make()'s with the next; else the exit status.
 */
static int
job_work(struct job *j)
{
	struct snap sn = { 0 };
	struct bg b;
	int grc, rrc, rc;

	(void)strlcpy(j->used, j->cand[0].fpr, sizeof(j->used));
	j->used_src = j->cand[0].src;
	snap_take(&sn, &j->c);
	bg_start(&b, record_ahead, j);
	grc = encrypt(j, j->bent, j->bpgp, 0, 1);
	rrc = bg_join(&b);
	if (rrc != 0 || grc == 0) {
		/* Not recorded, so not sent; or recorded and sealed. */
		snap_free(&sn);
		return rrc != 0 ? (rrc > 0 ? rrc : EX_SOFTWARE) : 0;
	}
	if ((rc = unmove(j)) != 0) {
		snap_free(&sn);
		return rc;	/* recorded and moved: left to the next run */
	}
	snap_restore(&sn, &j->c);
	snap_free(&sn);
	if (grc != -1) {
		/* gpg as a whole failed: the case back as it was. */
		if ((rc = write_case(j)) == 0)
			rc = grc;
		return rc;
	}
	vf_case_history(&j->c, j->n->tool, "%s notice to %s %s not made: "
	    "gpg could not use %s (%s)", j->kd->name, j->role, j->msgid,
	    j->cand[0].fpr, j->cand[0].src);
	if ((rc = write_case(j)) != 0)
		return rc;
	return -1;
}

/* begin(), and where the first key is a fingerprint, its thread. */
static int
job_start(struct vf_notice_job *q, struct vf_notify *n, const char *what)
{
	struct job *j = &q->j;

	if ((q->rc = begin(j, n, what, 0)) != 0)
		return q->rc;
	if (j->ncand == 0 || j->cand[0].block != NULL)
		return 0;	/* made whole, in turn, by make() */
	if ((q->rc = prepare(j, &q->t, &q->ent)) != 0)
		return 0;
	q->fast = 1;
	j->bent = &q->ent;
	j->bpgp = &q->pgp;
	bg_start(&q->gt, job_work, j);
	return 0;
}

/* In turn: what follows job_work, as make() does it. */
static int
job_file(struct vf_notice_job *q)
{
	struct job *j = &q->j;
	int wrc, rc, hash = 0;

	wrc = bg_join(&q->gt);
	if (wrc == 0) {
		if ((rc = compose(j, &q->t, &q->ent, &q->pgp, 0)) == 0)
			rc = deliver_and_move(j);
		return rc;
	}
	if (wrc != -1)
		return wrc;
	q->pgp.len = 0;
	if ((rc = seal(j, &q->t, &q->ent, &q->pgp, 1, &hash)) != 0 ||
	    (rc = compose(j, &q->t, &q->ent, &q->pgp, hash)) != 0 ||
	    (rc = record(j)) != 0)
		return rc;
	return deliver_and_move(j);
}

/* File the oldest notice in flight; its exit status. */
static int
batch_next(struct vf_notice_batch *b)
{
	struct vf_notice_job *q = b->ring[b->head];
	int rc;

	b->head = (b->head + 1) % b->max;
	b->count--;
	b->n->made = 0;
	b->n->path[0] = '\0';
	if (q->rc != 0 && !q->fast)
		rc = end(&q->j, q->rc, 0);
	else if (q->fast)
		rc = end(&q->j, job_file(q), 1);
	else
		rc = end(&q->j, make(&q->j), 1);
	publish(&q->j);
	if (q->ent.p != NULL)
		explicit_bzero(q->ent.p, q->ent.cap);
	vf_buf_free(&q->ent);
	vf_buf_free(&q->pgp);
	vf_template_free(&q->t);
	free(q);
	if (rc == 0 && b->n->made && b->made != NULL)
		b->made(b->n, b->arg);
	return rc;
}

struct vf_notice_batch *
vf_notice_batch(struct vf_notify *n, int jobs,
    void (*made)(const struct vf_notify *, void *), void *arg)
{
	struct vf_notice_batch *b;

	/* What caches itself on first use does so before any thread. */
	(void)vf_now();
	(void)vf_user();
	b = vf_calloc(1, sizeof(*b));
	b->n = n;
	b->max = jobs > 0 ? (size_t)jobs : 1;
	b->ring = vf_reallocarray(NULL, b->max, sizeof(*b->ring));
	b->made = made;
	b->arg = arg;
	n->batch = b;
	return b;
}

int
vf_notice_add(struct vf_notice_batch *b, const char *what)
{
	struct vf_notice_job *q;
	int rc, worst = 0;

	if (b->count == b->max && (rc = batch_next(b)) > worst)
		worst = rc;
	for (;;) {
		q = vf_calloc(1, sizeof(*q));
		if (job_start(q, b->n, what) != NOTICE_AGAIN)
			break;
		free(q);
		while (b->count > 0)
			if ((rc = batch_next(b)) > worst)
				worst = rc;
	}
	b->ring[(b->head + b->count) % b->max] = q;
	b->count++;
	return worst;
}

int
vf_notice_batch_end(struct vf_notice_batch *b)
{
	int rc, worst = 0;

	while (b->count > 0)
		if ((rc = batch_next(b)) > worst)
			worst = rc;
	b->n->batch = NULL;
	free(b->ring);
	free(b);
	return worst;
}
