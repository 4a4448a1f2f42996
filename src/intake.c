/*
 * Filing one incoming mail: a new case in "received", or a follow-up added
 * to the case its subject or references name.
 *
 * Nothing is lost: whatever the mail holds (no form, no key to open it,
 * broken MIME), it becomes a case marked with why, with the original kept
 * encrypted to the office key. Only what a retry could mend (a full disk, a
 * lock held, gpg-agent away) or a wrong configuration stops it, and then
 * nothing is left half-written: the caller exits non-zero and the MTA keeps
 * the mail.
 *
 * Delivering the same bytes twice files them once: the SHA-256 of the mail
 * names a file in ROOT/.seen that holds the case id (written before the
 * case is linked in, so a crash in between cannot hide a case), and a
 * follow-up's digest is kept on its part in the case. The file is locked
 * while the mail is filed, so the same mail delivered twice at the same
 * moment waits for itself and is then found filed.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

/* Header values copied from a mail are cut to this: one line, readable. */
#define HDR_MAX	900

/*
 * What one encrypted text piece's form says, when the report joins
 * messages encrypted apart that no one signature covers (r.apart): it is
 * proposed, never taken.
 */
struct apart {
	struct vf_form		 form;
	size_t			 piece;		/* in r.p[] */
};

struct mail {
	struct vf_report	 r;
	struct vf_form		 form;
	struct apart		*ap;		/* r.apart: forms per piece */
	size_t			 nap;
	char			 answers[VF_IDLEN];	/* filed as its own
					   case, answering this one */
	char			 answers_why[200];
	char			 digest[SHA256_DIGEST_STRING_LENGTH];
	char			*from_raw;	/* From: as written, if ASCII */
	/* How it threads to its case (case_of). */
	int			 by_sent;	/* a Message-ID in .sent */
	char			 role[33];	/* whom the office wrote: the
						   .sent record's ROLE, or "" */
	char			 kind[33];	/* the notice it answers */
	char			 mentions[VF_IDLEN]; /* the case a new case
						   names (Vf-Mentions) */
	const char		*raw;
	size_t			 rawlen;
	/* The original's encryption, started before the form is read. */
	struct vf_gpg_pending	*early;
	struct vf_gpg		 eg;
	/* A number reserved while the report was decrypted, not yet used. */
	char			 rsv[VF_IDLEN];
	/* And the new case's tmp file in received/ (-1: none made). */
	int			 tmpfd;
	char			 tmp[PATH_MAX];
	/* Its .seen entry: not yet looked at, locked and new, or done. */
	int			 seen;
	int			 seenrc;	/* SEEN_DONE: vf_intake's exit */
};
#define SEEN_NOT	0
#define SEEN_NEW	1
#define SEEN_DONE	2

/* What the work done while the report's gpg runs needs. */
struct meanwhile {
	struct vf_intake	*in;
	struct mail		*ml;
};

/* Used by file_followup as well, to file apart what its case has no room for. */
static int	file_answering(struct vf_intake *, struct mail *, const char *);
/* The .seen entry, looked at by decrypt_meanwhile or vf_intake. */
static int	seen_open(struct vf_root *, const char *, int *);
static int	seen_get(int, char *, size_t);

static const char *
prot_name(int prot)
{
	switch (prot) {
	case VF_PROT_ENCRYPTED:
		return "encrypted";
	case VF_PROT_SIGNED:
		return "signed";
	default:
		return "clear";
	}
}

/* A header value from the mail, made safe for one line of a case file. */
static char *
clip(const char *s)
{
	char *t;
	size_t n;

	if (s == NULL)
		return NULL;
	t = vf_oneline(vf_strndup(s, HDR_MAX));
	/* Do not cut a UTF-8 character in two. */
	n = strlen(t);
	while (n > 0 && ((unsigned char)t[n - 1] & 0xc0) == 0x80 &&
	    !vf_utf8_valid(t, n))
		t[--n] = '\0';
	if (n > 0 && !vf_utf8_valid(t, n) &&
	    ((unsigned char)t[n - 1] & 0x80))
		t[--n] = '\0';
	return t;
}

static void
encryption_line(const struct vf_report *r, char *buf, size_t size)
{
	if (!r->encrypted)
		strlcpy(buf, "none", size);
	else if (snprintf(buf, size, "%s %s", r->enc,
	    r->decrypted ? "ok" : "failed") >= (int)size)
		buf[size - 1] = '\0';
}

/*
 * The verdict on the report's text (vf-case(5)): a good signature names
 * its key, gpg's validity of it, and whose it is: the sender's (a user
 * ID of the key holds the From address), not the sender's, the office's
 * own key, or unchecked. It is never just "good".
 */
static void
signature_line(const struct vf_report *r, char *buf, size_t size)
{
	const struct vf_gpg_status *st = &r->sig;
	const char *who, *whose;
	int n;

	if (r->mixed) {
		strlcpy(buf, "mixed", size);
		return;
	}
	if (r->sigs == 0 || st->sig == VF_SIG_NONE) {
		strlcpy(buf, "none", size);
		return;
	}
	who = st->sig_fpr[0] != '\0' ? st->sig_fpr :
	    st->sig_keyid[0] != '\0' ? st->sig_keyid : "unknown";
	if (st->sig == VF_SIG_GOOD) {
		whose = r->signer_office ? "office" : r->signer_from == 1 ?
		    "sender" : r->signer_from == 0 ? "not-sender" : "unchecked";
		n = snprintf(buf, size, "good %s %s %s", who,
		    vf_trust_name(st->trust), whose);
	} else
		n = snprintf(buf, size, "%s %s", vf_sig_name(st->sig), who);
	if (n < 0 || n >= (int)size)
		buf[size - 1] = '\0';
}

/*
 * The original as a part: kept as it came when it is nothing but
 * ciphertext (it is then encrypted already, and re-encrypting would double
 * gpg's work), otherwise encrypted to the office key on arrival.
 */
/* The original kept as it came: nothing but ciphertext, and no NUL. */
static int
kept_as_received(const struct mail *ml)
{
	return ml->r.whole && memchr(ml->raw, '\0', ml->rawlen) == NULL;
}

/*
 * An original is encrypted on arrival: gpg is started, and given what its
 * pipe takes of the mail, before the form is read, the number reserved
 * and the case built, so that its start-up (exec, its keyring) and the
 * encryption run beside them; add_original waits for it.
 * The report's own gpg (decrypting, checking a signature) may run beside
 * it. Should it fail to start, add_original encrypts as before, with the
 * same messages.
 */
static void
original_start(const struct vf_intake *in, struct mail *ml)
{
	if (kept_as_received(ml) || vf_gpg_encrypt_start(ml->raw, ml->rawlen,
	    vf_config_get(in->cfg, "office-key"), &ml->eg, &ml->early) != 0)
		ml->early = NULL;
}

/*
 * Whether the mail says multipart/encrypted in its header, and so may be
 * kept as it came: a guess made before the MIME parse, to start the
 * original's gpg sooner (vf_intake), never taken for the verdict.
 */
static int
maybe_whole(const char *raw, size_t len)
{
	static const char ct[] = "multipart/encrypted";
	const char *p, *end = raw + len, *nl;

	for (p = raw; p < end && *p != '\n' && *p != '\r'; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (; p + sizeof(ct) - 1 <= nl; p++)
			if ((*p == 'm' || *p == 'M') &&
			    strncasecmp(p, ct, sizeof(ct) - 1) == 0)
				return 1;
	}
	return 0;
}

/* The field table, once: vf-parse's, when it left it to be loaded here. */
static int
intake_fields(struct vf_intake *in)
{
	if (in->fields_lazy) {
		in->fields_lazy = 0;
		in->fields_rc = vf_share_fields(in->fields);
	}
	return in->fields_rc;
}

/*
 * A new file in received/tmp, received/ made first for a new tree's first
 * case; -1 with errno if it cannot be, and the caller goes the plain way,
 * which says what is wrong if it is wrong still.
 */
static int
received_tmp(struct vf_intake *in, char *tmp, size_t size)
{
	int fd;

	if ((fd = vf_tmp_open(in->root, "received", tmp, size)) == -1 &&
	    errno == ENOENT && vf_state_make(in->root, "received") == 0)
		fd = vf_tmp_open(in->root, "received", tmp, size);
	return fd;
}

/*
 * The new case's tmp file: the one made while gpg decrypted, taken (the
 * mail no longer holds it), or a new one.
 */
static int
case_tmp(struct vf_intake *in, struct mail *ml, char *tmp, size_t size)
{
	int fd;

	if ((fd = ml->tmpfd) == -1)
		return received_tmp(in, tmp, size);
	ml->tmpfd = -1;
	if (strlcpy(tmp, ml->tmp, size) >= size) {
		(void)close(fd);
		(void)unlinkat(in->root->fd, ml->tmp, 0);
		errno = ENAMETOOLONG;
		return -1;
	}
	return fd;
}

/*
 * Open and lock the mail's .seen entry and look at it: SEEN_NEW, the
 * entry locked; or SEEN_DONE, with what vf_intake returns in ml->seenrc:
 * 0 and in->duplicate for a mail filed before, the error of a case that
 * has two files, or the entry's failure (in->seen -1 then).
 */
static void
seen_check(struct vf_intake *in, struct mail *ml)
{
	const char *state;
	int rc;

	ml->seen = SEEN_DONE;
	if ((rc = seen_open(in->root, ml->digest, &in->seen)) != 0) {
		in->seen = -1;
		ml->seenrc = rc;
		return;
	}
	if (seen_get(in->seen, in->id, sizeof(in->id)) &&
	    (rc = vf_find(in->root, in->id, in->path, sizeof(in->path),
	    &state)) != EX_NOINPUT) {
		/* Filed before; or its case has two files: no third. */
		in->duplicate = rc == 0;
		ml->seenrc = rc;
		return;
	}
	in->id[0] = '\0';
	ml->seen = SEEN_NEW;
}

/*
 * While the report's gpg decrypts (a PGP/MIME mail, nothing else running):
 * the mail's .seen entry, the field table, the label index of the kind the
 * Subject names, and, when the mail cannot thread to a case, the case's
 * number and its tmp file. Each is a new inode or a file to read, off the
 * path after decryption. A mail filed before costs a decryption no one
 * uses (a redelivery is rare); it is not filed again, and takes nothing.
 * Its outer header is read by then and says whether it can thread: no
 * In-Reply-To, no References, no case id in the Subject (case_of looks
 * at nothing else), so it is a new case unless its delivery fails. A
 * failed delivery logs the number it leaves unused, as file_new does, and
 * removes the tmp file.
 */
static void
decrypt_meanwhile(void *arg)
{
	struct meanwhile *mw = arg;
	struct mail *ml = mw->ml;
	const struct vf_report *r = &ml->r;
	char id[VF_IDLEN];

	if (ml->seen == SEEN_NOT)
		seen_check(mw->in, ml);
	if (ml->seen != SEEN_NEW)
		return;
	/* The history's and the log's user name: /etc/passwd read now. */
	(void)vf_user();
	/* The form's reading after decryption would build it first. */
	if (intake_fields(mw->in) == 0 && r->subject != NULL)
		vf_form_prepare(mw->in->fields,
		    vf_form_kind_subject(r->subject));
	if (r->in_reply_to != NULL || r->references != NULL ||
	    (r->subject != NULL && vf_id_scan(r->subject, id, sizeof(id))))
		return;
	if (vf_id_new(mw->in->root, ml->rsv, sizeof(ml->rsv)) != 0) {
		ml->rsv[0] = '\0';		/* file_new tries again */
		return;
	}
	ml->tmpfd = received_tmp(mw->in, ml->tmp, sizeof(ml->tmp));
}

/* The original's gpg, started and not given the mail: stopped. */
static void
original_cancel(struct mail *ml)
{
	if (ml->early != NULL)
		vf_gpg_cancel(ml->early);
	ml->early = NULL;
	vf_gpg_free(&ml->eg);
}

/*
 * The original's encryption, finished (the early gpg) or run now; a
 * failure said as the MTA's retry needs it. Its ciphertext in g->out.
 */
static int
original_encrypt(const struct vf_intake *in, struct mail *ml,
    struct vf_gpg *g)
{
	const char *key = vf_config_get(in->cfg, "office-key");
	int rc;

	if (ml->early != NULL) {
		/* Finished where it started: its run points into ml->eg. */
		rc = vf_gpg_encrypt_finish(ml->early, &ml->eg);
		ml->early = NULL;
		*g = ml->eg;
		memset(&ml->eg, 0, sizeof(ml->eg));
	} else {
		memset(g, 0, sizeof(*g));
		rc = vf_gpg_encrypt(ml->raw, ml->rawlen, key, g);
	}
	if (rc == 0)
		return 0;
	if (rc == EX_CONFIG)
		warnx("cannot encrypt to office-key %s: is its public "
		    "key in the keyring?", key);
	else if (rc == EX_UNAVAILABLE)
		warnx("cannot run gpg (%s)", vf_gpg_program());
	else if (g->timedout)
		warnx("gpg ran longer than gpg-timeout (%d s) to "
		    "encrypt the original: killed; the MTA keeps the "
		    "mail", vf_gpg_timeout());
	else
		warnx("gpg failed to encrypt the original");
	vf_gpg_free(g);
	return rc == EX_UNAVAILABLE ? EX_CONFIG : rc;
}

/*
 * The original's part: the mail as received, pointed at, or its
 * ciphertext ct (taken; NULL: an empty body, given later). Its index.
 */
static size_t
original_add(struct vf_case *c, const struct mail *ml, const char *id,
    char *ct, size_t len)
{
	struct vf_kv h[3];
	const char *role;
	char disp[128];
	size_t i, k = 0;
	int asis = kept_as_received(ml);

	/* Each original its own file name: a reader saves them side by side. */
	for (i = 0; i < c->npart; i++)
		if ((role = vf_cpart_get(&c->part[i], "Vf-Part")) != NULL &&
		    strcmp(role, VF_PART_ORIGINAL) == 0)
			k++;
	if ((k > 0 ? snprintf(disp, sizeof(disp), "attachment; "
	    "filename=\"%s-%zu.%s\"", id, k + 1, asis ? "eml" : "eml.asc") :
	    snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"",
	    id, asis ? "eml" : "eml.asc")) >= (int)sizeof(disp))
		errx(EX_SOFTWARE, "case id too long");
	h[0].name = "Content-Disposition";
	h[0].value = disp;
	h[1].name = "Vf-Original";
	h[1].value = asis ? "as-received" : "encrypted-on-arrival";
	h[2].name = "Vf-Digest";
	h[2].value = (char *)ml->digest;
	/* The mail outlives the case: pointed at, not copied. */
	if (asis)
		vf_case_add_part_ref(c, VF_PART_ORIGINAL, "message/rfc822", h,
		    3, ml->raw, ml->rawlen);
	else
		/* Ciphertext: the case takes gpg's buffer, nothing to wipe. */
		vf_case_add_part_take(c, VF_PART_ORIGINAL,
		    "application/octet-stream", h, 3, ct, len);
	return c->npart - 1;
}

static int
add_original(struct vf_case *c, const struct vf_intake *in,
    struct mail *ml, const char *id)
{
	struct vf_gpg g;
	char *ct = NULL;
	size_t len = 0;
	int rc;

	if (!kept_as_received(ml)) {
		if ((rc = original_encrypt(in, ml, &g)) != 0)
			return rc;
		ct = vf_buf_take(&g.out, &len);
		vf_gpg_free(&g);
	}
	(void)original_add(c, ml, id, ct, len);
	return 0;
}

/*
 * Ciphertext-free parts of the mail: unprotected text and attachments.
 * None is copied: the case points at attachments kept in their transfer
 * encoding (the mail and the report outlive it), and takes the rest.
 */
static void
add_pieces(struct vf_case *c, struct mail *ml)
{
	struct vf_buf t = { 0 }, b = { 0 };
	struct vf_kv h[5];
	char ctype[256], disp[256], *name, *body;
	size_t i, k, len;

	vf_report_text(&ml->r, ml->r.prot, 1, &t);
	if (t.len > 0) {
		h[0].name = "Content-Transfer-Encoding";
		h[0].value = "8bit";
		h[1].name = "Content-Disposition";
		h[1].value = "inline";
		h[2].name = "Vf-Note";
		h[2].value = "found outside the protected report; not part of it";
		body = vf_buf_take(&t, &len);
		vf_case_add_part_take(c, VF_PART_UNPROTECTED,
		    "text/plain; charset=utf-8", h, 3, body, len);
	}
	vf_buf_free(&t);
	for (i = 0; i < ml->r.np; i++) {
		struct vf_piece *p = &ml->r.p[i];

		if (!p->attachment)
			continue;
		/* Parameters stay plain ASCII; the real name goes in Vf-. */
		name = vf_strdup(p->name != NULL ? p->name : "attachment");
		for (k = 0; name[k] != '\0'; k++)
			if ((unsigned char)name[k] >= 0x7f ||
			    name[k] == '"' || name[k] == '\\' || name[k] == ';')
				name[k] = '_';
		if (snprintf(ctype, sizeof(ctype), "%s", p->type) >=
		    (int)sizeof(ctype) ||
		    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    name) >= (int)sizeof(disp))
			strlcpy(disp, "attachment", sizeof(disp));
		vf_oneline(ctype);
		k = 0;
		h[k].name = "Content-Transfer-Encoding";
		h[k++].value = (char *)(p->cte != NULL ? p->cte : "base64");
		h[k].name = "Content-Disposition";
		h[k++].value = disp;
		h[k].name = "Vf-Protection";
		h[k++].value = (char *)prot_name(p->prot);
		if (p->name != NULL) {
			h[k].name = "Vf-Filename";
			h[k++].value = p->name;
		}
		if (p->cte != NULL && p->ref)
			vf_case_add_part_ref(c, "attachment", ctype, h, k,
			    p->data, p->len);
		else if (p->cte != NULL) {
			/* The report has no more use for it. */
			vf_case_add_part_take(c, "attachment", ctype, h, k,
			    p->data, p->len);
			p->data = NULL;
			p->len = 0;
		} else {
			vf_base64_encode(&b, p->data, p->len);
			body = vf_buf_take(&b, &len);
			vf_case_add_part_take(c, "attachment", ctype, h, k,
			    body, len);
		}
		free(name);
	}
}

/*
 * Open and lock the mail's entry in .seen. The lock is held until the mail
 * is filed; the timeout of the caller bounds the wait.
 */
static int
seen_open(struct vf_root *root, const char *digest, int *fd)
{
	char path[128];

	if (mkdirat(root->fd, ".seen", 0700) == -1 && errno != EEXIST)
		goto fail;
	if (snprintf(path, sizeof(path), ".seen/%s", digest) >=
	    (int)sizeof(path))
		return EX_SOFTWARE;
	if ((*fd = vf_openat(root->fd, path, O_RDWR | O_CREAT, 0600)) == -1)
		goto fail;
	while (flock(*fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			close(*fd);
			goto fail;
		}
	return 0;
fail:
	warn("%s/.seen", root->path);
	return errno == EACCES || errno == EPERM ? EX_NOPERM : EX_TEMPFAIL;
}

/* The case this mail was filed as, if any. */
static int
seen_get(int fd, char *id, size_t size)
{
	ssize_t n;

	if ((n = pread(fd, id, size - 1, 0)) <= 0)
		return 0;
	id[n] = '\0';
	return vf_id_valid(id);
}

/* Remember that this mail is filed as id (replacing a stale entry). */
static int
seen_put(struct vf_root *root, int fd, const char *id)
{
	size_t n = strlen(id);

	if (pwrite(fd, id, n, 0) != (ssize_t)n || ftruncate(fd, (off_t)n) == -1) {
		warn("%s/.seen", root->path);
		return errno == ENOSPC || errno == EDQUOT || errno == EIO ||
		    errno == EFBIG ? EX_TEMPFAIL : EX_IOERR;
	}
	return 0;
}

static void
set_mail_headers(struct vf_case *c, const struct mail *ml)
{
	char enc[160], sig[160], *v;

	encryption_line(&ml->r, enc, sizeof(enc));
	signature_line(&ml->r, sig, sizeof(sig));
	vf_case_set(c, "Vf-Encryption", enc);
	vf_case_set(c, "Vf-Signature", sig);
	if (ml->r.signer[0] != '\0')
		vf_case_set(c, "Vf-Signer", ml->r.signer);
	if (ml->r.signers > (ml->r.signer[0] != '\0') &&
	    ml->r.signer_list.len > 0)
		vf_case_set(c, "Vf-Signers", ml->r.signer_list.p);
	vf_case_set(c, "Vf-Protection", prot_name(ml->r.prot));
	if ((v = clip(ml->r.message_id)) != NULL) {
		vf_case_set(c, "Vf-Message-Id", v);
		free(v);
	}
}

static void
followup_headers(struct vf_kv *h, size_t *n, const struct mail *ml,
    char *enc, size_t encsize, char *sig, size_t sigsize, char **mid,
    char **from, char **subj, const char *when)
{
	size_t k = 0;

	encryption_line(&ml->r, enc, encsize);
	signature_line(&ml->r, sig, sigsize);
	*mid = clip(ml->r.message_id);
	*from = clip(ml->r.from);
	*subj = clip(ml->r.subject);
	h[k].name = "Content-Transfer-Encoding";
	h[k++].value = "8bit";
	h[k].name = "Content-Disposition";
	h[k++].value = "inline";
	h[k].name = "Vf-Received";
	h[k++].value = (char *)when;
	if (*from != NULL) {
		h[k].name = "Vf-From";
		h[k++].value = *from;
	}
	if (*subj != NULL) {
		h[k].name = "Vf-Subject";
		h[k++].value = *subj;
	}
	if (*mid != NULL) {
		h[k].name = "Vf-Message-Id";
		h[k++].value = *mid;
	}
	h[k].name = "Vf-Encryption";
	h[k++].value = enc;
	h[k].name = "Vf-Signature";
	h[k++].value = sig;
	/* Each signed piece keeps its own signer, as on the report. */
	if (ml->r.signer[0] != '\0') {
		h[k].name = "Vf-Signer";
		h[k++].value = (char *)ml->r.signer;
	}
	if (ml->r.signers > (ml->r.signer[0] != '\0') &&
	    ml->r.signer_list.len > 0) {
		h[k].name = "Vf-Signers";
		h[k++].value = ml->r.signer_list.p;
	}
	h[k].name = "Vf-Protection";
	h[k++].value = (char *)prot_name(ml->r.prot);
	h[k].name = "Vf-Digest";
	h[k++].value = (char *)ml->digest;
	*n = k;
}

static void
note_problems(struct vf_buf *pb, const struct mail *ml)
{
	vf_buf_add(pb, ml->r.problems.p ? ml->r.problems.p : "",
	    ml->r.problems.len);
	if (ml->form.n == 0) {
		if (pb->len > 0)
			vf_buf_adds(pb, "; ");
		if (ml->nap > 0)
			vf_buf_adds(pb, "no field taken from messages "
			    "encrypted apart: each one's are proposed");
		else if (ml->r.encrypted && !ml->r.decrypted)
			vf_buf_adds(pb, "report not readable: not decrypted");
		else
			vf_buf_adds(pb, "no report form recognised");
	}
}

/*
 * The one piece of text at the report's protection, if there is just one
 * (the usual case) and it is ours; else NULL. It is then the report's
 * text as it is, with no need to join a copy.
 */
static struct vf_piece *
one_text(struct mail *ml)
{
	struct vf_piece *one = NULL;
	size_t i;

	for (i = 0; i < ml->r.np; i++) {
		if (ml->r.p[i].attachment || ml->r.p[i].prot != ml->r.prot)
			continue;
		if (one != NULL)
			return NULL;
		one = &ml->r.p[i];
	}
	return one != NULL && !one->ref && one->data != NULL ? one : NULL;
}

/*
 * The text of the report, taken for the case (malloc'ed, NUL at *len):
 * the one piece itself where there is one, else the pieces joined.
 */
static char *
take_text(struct mail *ml, size_t *len)
{
	struct vf_buf b = { 0 };
	struct vf_piece *one;

	char *t;

	if ((one = one_text(ml)) != NULL) {
		/*
		 * As vf_report_text has it, the text ends in a LF: one byte
		 * more, which malloc's rounding mostly has room for already.
		 */
		t = vf_reallocarray(one->data, one->len + 2, 1);
		t[one->len] = '\n';
		t[one->len + 1] = '\0';
		*len = one->len + 1;
		one->data = NULL;
		one->len = 0;
		return t;
	}
	vf_report_text(&ml->r, ml->r.prot, 0, &b);
	return vf_buf_take(&b, len);
}

/*
 * Messages encrypted apart, no one signature over them all: each text
 * piece's form is read on its own and kept as a proposal; the report
 * gets no field (an attacker's block first or last would otherwise
 * write reporter.email). The kind is the subject's, else the one every
 * piece that shows one agrees on.
 */
static void
read_apart(struct vf_intake *in, struct mail *ml, int kind)
{
	struct vf_form f;
	size_t i;
	int guess = -1;

	/* Read again (a follow-up is read as its case's kind): afresh. */
	for (i = 0; i < ml->nap; i++)
		vf_form_free(&ml->ap[i].form);
	free(ml->ap);
	ml->ap = NULL;
	ml->nap = 0;
	ml->form.kind = kind;
	for (i = 0; i < ml->r.np; i++) {
		if (ml->r.p[i].attachment || ml->r.p[i].prot != ml->r.prot)
			continue;
		memset(&f, 0, sizeof(f));
		f.kind = kind;
		vf_form_parse(&f, in->fields, ml->r.p[i].data, ml->r.p[i].len);
		if (kind == 0 && f.kind != 0)
			guess = guess == -1 || guess == f.kind ? f.kind : 0;
		if (f.n == 0) {
			vf_form_free(&f);
			continue;
		}
		ml->ap = vf_reallocarray(ml->ap, ml->nap + 1,
		    sizeof(*ml->ap));
		ml->ap[ml->nap].form = f;
		ml->ap[ml->nap++].piece = i;
	}
	if (kind == 0 && guess > 0)
		ml->form.kind = guess;
}

/* Is name in the ", "-separated list? */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; ) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p += strspn(p, ", ");
	}
	return 0;
}

/* The form, read as the kind the subject (or the case) names. */
static void
read_form(struct vf_intake *in, struct mail *ml, int kind)
{
	struct vf_buf text = { 0 };
	struct vf_piece *one;

	if (ml->r.apart) {
		read_apart(in, ml, kind);
		return;
	}
	ml->form.kind = kind;
	if ((one = one_text(ml)) != NULL) {
		vf_form_parse(&ml->form, in->fields, one->data, one->len);
		return;
	}
	vf_report_text(&ml->r, ml->r.prot, 0, &text);
	if (text.len > 0)
		vf_form_parse(&ml->form, in->fields, text.p, text.len);
	vf_buf_free(&text);
}

/*
 * A proposal part (vf-case(5)): body in the fields part's syntax, after
 * the part of index `of' it came in; desc and piece only where there are
 * several pieces (else the part's role describes it).
 */
static void
proposal_part(struct vf_case *c, char *body, size_t len, const char *desc,
    const char *by, const char *when, const char *of, const char *piece)
{
	struct vf_kv h[7];
	size_t j = 0;

	h[j].name = "Content-Transfer-Encoding";
	h[j++].value = "8bit";
	h[j].name = "Content-Disposition";
	h[j++].value = "inline";
	if (desc != NULL) {
		h[j].name = "Content-Description";
		h[j++].value = (char *)desc;
	}
	h[j].name = "Vf-Proposed-By";
	h[j++].value = (char *)by;
	h[j].name = "Vf-Received";
	h[j++].value = (char *)when;
	h[j].name = "Vf-Of";
	h[j++].value = (char *)of;
	if (piece != NULL) {
		h[j].name = "Vf-Piece";
		h[j++].value = (char *)piece;
	}
	vf_case_add_part_take(c, VF_PART_PROPOSAL,
	    "text/plain; charset=utf-8", h, j, body, len);
}

/*
 * Vf-Proposes: what was proposed before, then each field of v (of those
 * in the list only, when it is not NULL) not named yet.
 */
static void
proposes_add(struct vf_case *c, const struct vf_kv *v, size_t n,
    const char *only)
{
	struct vf_buf list = { 0 };
	const char *cur;
	size_t i;

	if ((cur = vf_case_get(c, "Vf-Proposes")) != NULL)
		vf_buf_adds(&list, cur);
	for (i = 0; i < n; i++)
		if ((only == NULL || listed(only, v[i].name)) &&
		    !listed(list.p, v[i].name))
			vf_buf_printf(&list, "%s%s", list.len ? ", " : "",
			    v[i].name);
	if (list.len > 0)
		vf_case_set(c, "Vf-Proposes", list.p);
	vf_buf_free(&list);
}

/*
 * One proposal part per encrypted piece whose form had fields (after the
 * report, Vf-Of naming it), and Vf-Proposes: the staff take a value with
 * vf-decide take, or leave it. Returns the fields proposed, for history.
 */
static void
add_apart(struct vf_case *c, const struct mail *ml, size_t reportpart,
    const char *when, struct vf_buf *names)
{
	const struct vf_piece *p;
	struct vf_buf b = { 0 }, d = { 0 };
	char of[32], by[64], piece[64], *body;
	size_t i, k, m, n = 0, len;

	for (i = 0; i < ml->r.np; i++)
		if (!ml->r.p[i].attachment && ml->r.p[i].prot == ml->r.prot)
			n++;
	snprintf(of, sizeof(of), "%zu", reportpart);
	for (k = 0; k < ml->nap; k++) {
		p = &ml->r.p[ml->ap[k].piece];
		for (i = m = 0; i <= ml->ap[k].piece; i++)
			if (!ml->r.p[i].attachment &&
			    ml->r.p[i].prot == ml->r.prot)
				m++;
		snprintf(by, sizeof(by), "sender %s", p->sig == VF_SIG_GOOD &&
		    p->signer[0] != '\0' ? p->signer : "unsigned");
		snprintf(piece, sizeof(piece), "%zu of %zu", m, n);
		vf_case_fields_text(ml->ap[k].form.v, ml->ap[k].form.n, &b);
		body = vf_buf_take(&b, &len);
		d.len = 0;
		vf_buf_printf(&d, "fields proposed by encrypted text %s, %s",
		    piece, by + 7);
		proposal_part(c, body, len, d.p, by, when, of, piece);
		for (i = 0; i < ml->ap[k].form.n; i++)
			if (!listed(names->p, ml->ap[k].form.v[i].name))
				vf_buf_printf(names, "%s%s", names->len ?
				    ", " : "", ml->ap[k].form.v[i].name);
		proposes_add(c, ml->ap[k].form.v, ml->ap[k].form.n, NULL);
	}
	vf_buf_free(&b);
	vf_buf_free(&d);
}

/*
 * Write what comes before the original's ciphertext into a new tmp file
 * of received/, while the original's gpg still runs: iov the case with
 * its hole (at), the tmp file's name in tmp. Its descriptor, or -1 when
 * it cannot be done (the folder cannot be made, a write error, a boundary
 * to change): then nothing is left and the case is written the plain way,
 * which says what went wrong if anything does again.
 */
static int
write_ahead(struct vf_intake *in, struct mail *ml, struct vf_case *c,
    size_t hole, struct vf_buf *out, struct iovec **iov, size_t *niov,
    size_t *at, char *tmp, size_t tmpsize)
{
	int fd;

	if (vf_case_iov_hole(c, hole, out, iov, niov, at) != 0)
		return -1;
	if ((fd = case_tmp(in, ml, tmp, tmpsize)) == -1) {
		free(*iov);
		*iov = NULL;
		return -1;
	}
	if (vf_tmp_write(fd, *iov, *at) == -1) {
		(void)close(fd);
		(void)unlinkat(in->root->fd, tmp, 0);
		free(*iov);
		*iov = NULL;
		return -1;
	}
	return fd;
}

/*
 * The new case into received/new, part by part (a large case is never
 * held twice). A clear mail's original is the one thing that waits for
 * gpg: all that comes before its ciphertext is written meanwhile, so that
 * after gpg only the ciphertext, the rest and the fsyncs remain. The file
 * is the same either way, fsynced before its link as ever; a ciphertext
 * that would break the case's boundary (gpg is configurable) sends it the
 * plain way after all.
 */
static int
deliver_new(struct vf_intake *in, struct mail *ml, struct vf_case *c)
{
	struct vf_buf out = { 0 };
	struct iovec *iov = NULL;
	struct vf_gpg g;
	char tmp[PATH_MAX], *ct;
	size_t niov, at, len, k;
	int fd = -1, rc;

	if (ml->early != NULL && !kept_as_received(ml)) {
		k = original_add(c, ml, in->id, NULL, 0);
		fd = write_ahead(in, ml, c, k, &out, &iov, &niov, &at, tmp,
		    sizeof(tmp));
		if ((rc = original_encrypt(in, ml, &g)) == 0) {
			ct = vf_buf_take(&g.out, &len);
			vf_gpg_free(&g);
			if ((rc = seen_put(in->root, in->seen, in->id)) != 0)
				free(ct);
		}
		if (rc == 0 && fd != -1 && vf_case_hole_fits(c, ct, len)) {
			iov[at].iov_base = ct;
			iov[at].iov_len = len;
			rc = vf_deliverv_tmp(in->root, "received", in->id,
			    iov + at, niov - at, in->path, sizeof(in->path),
			    fd, tmp);
			/* Written: the case in memory keeps its empty part. */
			free(ct);
			free(iov);
			vf_buf_free(&out);
			return rc;
		}
		if (fd != -1) {
			(void)close(fd);
			(void)unlinkat(in->root->fd, tmp, 0);
		}
		free(iov);
		iov = NULL;
		vf_buf_free(&out);
		if (rc != 0)
			return rc;
		vf_case_part_take(c, k, ct, len);
	} else {
		if ((rc = add_original(c, in, ml, in->id)) != 0)
			return rc;
		if ((rc = seen_put(in->root, in->seen, in->id)) != 0)
			return rc;
	}
	vf_case_iov(c, &out, &iov, &niov);
	/* The tmp file made while gpg decrypted, if there is one. */
	if (ml->tmpfd != -1 && (fd = case_tmp(in, ml, tmp, sizeof(tmp))) != -1)
		rc = vf_deliverv_tmp(in->root, "received", in->id, iov, niov,
		    in->path, sizeof(in->path), fd, tmp);
	else
		rc = vf_deliverv(in->root, "received", in->id, iov, niov,
		    in->path, sizeof(in->path));
	free(iov);
	vf_buf_free(&out);
	return rc;
}

static int
file_new(struct vf_intake *in, struct mail *ml)
{
	struct vf_case c;
	struct vf_buf pb = { 0 };
	struct vf_kv h[3];
	char when[32], *s, *body;
	size_t i, len;
	int rc;

	if (ml->rsv[0] != '\0') {
		(void)strlcpy(in->id, ml->rsv, sizeof(in->id));
		ml->rsv[0] = '\0';
	} else if ((rc = vf_id_new(in->root, in->id, sizeof(in->id))) != 0)
		return rc;
	s = clip(ml->r.subject);
	vf_case_init(&c, in->id, s != NULL ? s : "", vf_now());
	free(s);
	if (ml->from_raw != NULL)
		vf_case_set(&c, "From", ml->from_raw);
	vf_case_set(&c, "Vf-Kind", ml->form.kind ?
	    vf_kind_name(ml->form.kind) : "unknown");
	vf_timestamp(when, sizeof(when), 0);
	vf_case_set(&c, "Vf-Received", when);
	set_mail_headers(&c, ml);
	/* One header for a case that names another: see vf-case(5). */
	if (ml->answers[0] != '\0')
		vf_case_set(&c, "Vf-Mentions", ml->answers);
	vf_case_set(&c, "Vf-Digest", ml->digest);
	if (ml->r.charset != NULL)
		vf_case_set(&c, "Vf-Charset", ml->r.charset);
	note_problems(&pb, ml);
	if (pb.len > 0) {
		s = clip(pb.p);
		vf_case_set(&c, "Vf-Problem", s);
		free(s);
	}
	for (i = 0; i < ml->form.n; i++)
		vf_case_field_set(&c, ml->form.v[i].name, ml->form.v[i].value);
	if (ml->mentions[0] != '\0')
		vf_case_set(&c, "Vf-Mentions", ml->mentions);
	vf_case_history(&c, in->tool, "received %s report, %zu fields, "
	    "encryption %s, signature %s%s%s",
	    ml->form.kind ? vf_kind_name(ml->form.kind) : "unknown-kind",
	    ml->form.n, vf_case_get(&c, "Vf-Encryption"),
	    vf_case_get(&c, "Vf-Signature"), pb.len > 0 ? "; problem: " : "",
	    pb.len > 0 ? pb.p : "");
	if (ml->mentions[0] != '\0')
		vf_case_history(&c, in->tool, "mentions case %s (threaded by "
		    "%s), filed as a case of its own: it holds a complete "
		    "report form", ml->mentions, ml->by_sent ?
		    "a Message-ID the office sent" : "its subject's tag");

	if (ml->answers[0] != '\0')
		vf_case_history(&c, in->tool, "a follow-up to case %s, filed "
		    "as a case of its own: %s", ml->answers, ml->answers_why);

	h[0].name = "Content-Transfer-Encoding";
	h[0].value = "8bit";
	h[1].name = "Content-Disposition";
	h[1].value = "inline";
	h[2].name = "Vf-Protection";
	h[2].value = (char *)prot_name(ml->r.prot);
	body = take_text(ml, &len);
	vf_case_add_part_take(&c, VF_PART_REPORT, "text/plain; charset=utf-8",
	    h, 3, body, len);
	if (ml->nap > 0) {
		struct vf_buf names = { 0 };

		add_apart(&c, ml, c.npart - 1, when, &names);
		vf_case_history(&c, in->tool, "%d messages encrypted apart, "
		    "not signed by one key: no field taken; proposed: %s",
		    ml->r.apart, names.p);
		vf_buf_free(&names);
	}
	add_pieces(&c, ml);
	if ((rc = deliver_new(in, ml, &c)) != 0)
		goto done;
	(void)vf_log(in->root, in->tool, in->id, "new %s case%s%s%s%s",
	    vf_case_get(&c, "Vf-Kind"), ml->mentions[0] != '\0' ?
	    ", mentions case " : "", ml->mentions, pb.len > 0 ?
	    "; problem: " : "", pb.len > 0 ? pb.p : "");
done:
	/* The number is gone for good: say why it has no case. */
	if (rc != 0)
		(void)vf_log(in->root, in->tool, in->id, "number reserved, "
		    "no case filed: delivery failed (exit %d), the mail stays "
		    "with the MTA", rc);
	/* A failed delivery still leaves its reservation on disk. */
	(void)vf_id_settle();
	vf_buf_free(&pb);
	vf_case_free(&c);
	return rc;
}

/*
 * Did the key that signed the report sign this follow-up, well, and all
 * of its text? Only that proves the follow-up is the reporter's: the
 * office key is public and case numbers are sequential, so protection,
 * a subject tag or a From prove nothing. The report's signer is the key
 * whose good signature covered every piece of the report's text
 * (Vf-Signer), never merely the first good one seen.
 */
static int
by_report_key(const struct vf_case *c, const struct vf_report *r)
{
	const char *k = vf_case_get(c, "Vf-Signer");
	const char *s = vf_case_get(c, "Vf-Signature");

	if (k == NULL || strlen(k) != 40 || s == NULL ||
	    strncmp(s, "good ", 5) != 0 || strstr(s, " office") != NULL)
		return 0;
	if (r->mixed || r->signer[0] == '\0' || r->sig.sig != VF_SIG_GOOD ||
	    r->signer_office)
		return 0;
	return strcasecmp(r->signer, k) == 0;
}

/* The key this mail is signed by, for history and part headers. */
static const char *
key_of(const struct vf_report *r)
{
	return r->signer[0] != '\0' && !r->mixed ? r->signer : "unsigned";
}

/* Two addr-specs the same: the local part as written, the domain in any
   case (vf_addr_ascii has put both in A-labels). */
static int
same_addr(const char *a, const char *b)
{
	const char *ea = strrchr(a, '@'), *eb = strrchr(b, '@');

	if (ea == NULL || eb == NULL || ea - a != eb - b)
		return 0;
	return strncmp(a, b, (size_t)(ea - a)) == 0 &&
	    strcasecmp(ea, eb) == 0;
}

/*
 * Is the answer from the party the notice went to? The From address
 * against the address the notice was sent to (vf_party_address, which
 * notice.c writes to), and a signature against the
 * key on record (the report's signer, else Vf-Reporter-Key; Vf-Route-Key,
 * else coordinator-key for the coordinator). A signature where no key is
 * on record is a key-mismatch too: nothing proves the key is theirs.
 * A mismatch is recorded as one; nothing here guesses it away:
 *
 *	address-mismatch	From is not the address written to
 *	key-mismatch		signed, but not (well) by the key on record
 *	unsigned		the right address, no signature
 *	ok			the right address, signed by the right key
 */
static const char *
party_check(const struct vf_intake *in, const struct vf_case *c,
    const struct vf_report *r, const char *role)
{
	const char *key, *route;
	char *addr, *from, *want;
	int same, mine;

	if (strcmp(role, "reporter") == 0) {
		/* The report's signer, else the key notices went to. */
		if ((key = vf_case_get(c, "Vf-Signer")) == NULL)
			key = vf_case_get(c, "Vf-Reporter-Key");
	} else {
		/* The route's, if the case is routed to that party. */
		route = vf_case_get(c, "Vf-Route");
		mine = route != NULL && strcmp(route, role) == 0;
		key = mine ? vf_case_get(c, "Vf-Route-Key") : NULL;
		/* As notice.c falls back for the coordinator. */
		if (strcmp(role, "coordinator") == 0 && (route == NULL ||
		    mine) && key == NULL)
			key = vf_config_get(in->cfg, "coordinator-key");
	}
	/* Where notices to the party went: the same rule as vf-notify's. */
	addr = vf_party_address(c, in->cfg, role);
	from = r->from != NULL ? vf_addr_mailbox(r->from) : NULL;
	want = addr != NULL ? vf_addr_ascii(addr) : NULL;
	same = from != NULL && want != NULL && same_addr(from, want);
	free(addr);
	free(from);
	free(want);
	if (!same)
		return "address-mismatch";
	if (r->sigs == 0 && r->sig.sig == VF_SIG_NONE && !r->mixed)
		return "unsigned";
	if (key != NULL && r->signer[0] != '\0' && !r->mixed &&
	    r->sig.sig == VF_SIG_GOOD && strcasecmp(r->signer, key) == 0)
		return "ok";
	return "key-mismatch";
}

/*
 * What a follow-up that may not write fields says about them: a part of
 * role proposal, in the fields part's syntax, after the follow-up part
 * (index of) it came in, and the names in the case's Vf-Proposes, for the
 * staff (vf-decide take) or vf-validate to take or leave. A field whose
 * value it repeats is not proposed. The names go into *names.
 */
static void
add_proposal(struct vf_case *c, const struct mail *ml, size_t of,
    const char *party, const char *when, struct vf_buf *names)
{
	struct vf_buf b = { 0 };
	const char *cur, *v, *nl;
	char by[96], ofs[24], *body;
	size_t i, len;

	for (i = 0; i < ml->form.n; i++) {
		cur = vf_case_field(c, ml->form.v[i].name);
		if (cur != NULL && strcmp(cur, ml->form.v[i].value) == 0)
			continue;
		vf_buf_printf(&b, "%s: ", ml->form.v[i].name);
		/* A continuation line starts with a tab, as in the fields. */
		for (v = ml->form.v[i].value; (nl = strchr(v, '\n')) != NULL;
		    v = nl + 1) {
			vf_buf_add(&b, v, (size_t)(nl + 1 - v));
			vf_buf_addc(&b, '\t');
		}
		vf_buf_printf(&b, "%s\n", v);
		vf_buf_printf(names, "%s%s", names->len ? ", " : "",
		    ml->form.v[i].name);
	}
	if (b.len == 0) {
		vf_buf_free(&b);
		return;
	}
	if (snprintf(by, sizeof(by), "%s %s", party, key_of(&ml->r)) >=
	    (int)sizeof(by) || snprintf(ofs, sizeof(ofs), "%zu", of) >=
	    (int)sizeof(ofs))
		errx(EX_SOFTWARE, "add_proposal: header too long");
	body = vf_buf_take(&b, &len);
	proposal_part(c, body, len, NULL, by, when, ofs, NULL);
	proposes_add(c, ml->form.v, ml->form.n, names->p);
}

static int
file_followup(struct vf_intake *in, struct mail *ml)
{
	struct vf_case c;
	struct vf_buf added = { 0 }, changed = { 0 }, proposed = { 0 };
	struct vf_buf what = { 0 };
	struct vf_kv h[16];
	const char *state, *check = NULL, *party, *cur;
	char enc[160], sig[160], when[32], err[256], *mid, *from, *subj;
	char *body;
	size_t i, n, len, of;
	int rc, lk, mine, noroom = 0, recheck = 0;

	if ((rc = vf_lock(in->root, in->id, &lk)) != 0)
		return rc;
	if ((rc = vf_find(in->root, in->id, in->path, sizeof(in->path),
	    &state)) != 0) {
		vf_unlock(lk);
		return rc;
	}
	if ((rc = vf_case_load(&c, in->path, err, sizeof(err))) != 0) {
		warnx("%s: %s", in->path, err);
		vf_unlock(lk);
		return rc;
	}
	for (i = 0; i < c.npart; i++) {
		const char *d = vf_cpart_get(&c.part[i], "Vf-Digest");

		if (d != NULL && strcmp(d, ml->digest) == 0) {
			in->duplicate = 1;
			goto done;
		}
	}
	read_form(in, ml, vf_kind_parse(vf_case_get(&c, "Vf-Kind") ?
	    vf_case_get(&c, "Vf-Kind") : ""));
	mine = by_report_key(&c, &ml->r);
	/*
	 * Signed by another key than the report's: its text is kept with
	 * the clear text, where it would otherwise be lost, and its
	 * signature is still recorded on the part.
	 */
	if (ml->r.prot == VF_PROT_SIGNED && !mine) {
		for (i = 0; i < ml->r.np; i++)
			if (ml->r.p[i].prot == VF_PROT_SIGNED)
				ml->r.p[i].prot = VF_PROT_CLEAR;
		ml->r.prot = VF_PROT_CLEAR;
	}
	/* Who answered: only a notice the office recorded says so. */
	party = ml->by_sent ? ml->role : "unknown";
	if (ml->by_sent)
		check = party_check(in, &c, &ml->r, ml->role);
	vf_timestamp(when, sizeof(when), 0);
	followup_headers(h, &n, ml, enc, sizeof(enc), sig, sizeof(sig), &mid,
	    &from, &subj, when);
	if (ml->by_sent) {
		h[n].name = "Vf-Party";
		h[n++].value = ml->role;
		h[n].name = "Vf-Party-Check";
		h[n++].value = (char *)check;
		h[n].name = "Vf-Answers";
		h[n++].value = ml->kind;
	}
	body = take_text(ml, &len);
	of = c.npart;
	vf_case_add_part_take(&c, VF_PART_FOLLOWUP,
	    "text/plain; charset=utf-8", h, n, body, len);
	add_pieces(&c, ml);
	/*
	 * The reporter's own key may add what the report lacked and change
	 * what it said (a correction is theirs to make; history names the
	 * fields, the follow-up part keeps the text). Anything else only
	 * proposes.
	 */
	if (mine)
		for (i = 0; i < ml->form.n; i++) {
			cur = vf_case_field(&c, ml->form.v[i].name);
			if (cur != NULL && strcmp(cur, ml->form.v[i].value) ==
			    0)
				continue;
			vf_buf_printf(cur == NULL ? &added : &changed, "%s%s",
			    (cur == NULL ? added.len : changed.len) ? ", " :
			    "", ml->form.v[i].name);
			vf_case_field_set(&c, ml->form.v[i].name,
			    ml->form.v[i].value);
		}
	else
		add_proposal(&c, ml, of, party, when, &proposed);
	if (added.len > 0)
		vf_buf_printf(&what, ", fields added: %s", added.p);
	if (changed.len > 0)
		vf_buf_printf(&what, ", fields changed: %s", changed.p);
	if (proposed.len > 0)
		vf_buf_printf(&what, ", proposes: %s", proposed.p);
	/*
	 * The reporter supplied or corrected fields of a report that was
	 * found incomplete: it goes back to be checked again (issue 7).
	 * vf-parse only moves it; vf-validate decides. A follow-up that
	 * only proposes leaves the case where it is: the staff take the
	 * values (vf-decide take) and send it back (vf-decide recheck).
	 */
	recheck = strcmp(state, "incomplete") == 0 &&
	    (added.len > 0 || changed.len > 0) &&
	    vf_move_ok(state, "received", vf_kind_bit(vf_case_get(&c,
	    "Vf-Kind")), VF_BY_PARSE);
	/* Roles and fingerprints only (DESIGN principle 6): never a From. */
	vf_case_history(&c, in->tool, "follow-up received (party %s%s%s%s, "
	    "key %s, encryption %s%s)", party, check != NULL ? ", check " : "",
	    check != NULL ? check : "", ml->by_sent ? "" : ", threaded by "
	    "subject tag", ml->r.sigs > 0 && strcmp(key_of(&ml->r),
	    "unsigned") == 0 ? sig : key_of(&ml->r), enc,
	    what.len > 0 ? what.p : "");
	if (recheck)
		vf_case_history(&c, in->tool, "incomplete -> received: the "
		    "reporter's follow-up supplies fields; to be checked again");
	free(mid);
	free(from);
	free(subj);
	if ((rc = add_original(&c, in, ml, in->id)) != 0)
		goto done;
	/*
	 * The estimate before the lock was from above; this is the case as
	 * built. Past a reader's limit, it is not written: the mail becomes
	 * a case of its own, once the lock is let go.
	 */
	if (vf_case_room(&c, 0, 0, 0, 0, err, sizeof(err)) != 0) {
		noroom = 1;
		goto done;
	}
	/* Under its own name again, and new: a reader shows it unread. */
	if ((rc = vf_case_save(in->root, in->path, sizeof(in->path), &c,
	    in->tool, VF_CASE_NEW)) != 0)
		goto done;
	(void)vf_log(in->root, in->tool, in->id, "follow-up in %s (party "
	    "%s%s%s)%s", state, party, check != NULL ? ", check " : "",
	    check != NULL ? check : "", what.len > 0 ? what.p : "");
	/*
	 * Saved first: a crash or a failed move leaves it incomplete, with
	 * the fields. The mail is filed either way, and a retry by the MTA
	 * would be a duplicate that moves nothing: say what to do instead
	 * of failing the delivery.
	 */
	if (recheck) {
		if (vf_move(in->root, in->path, sizeof(in->path), "received")
		    == 0)
			(void)vf_log(in->root, in->tool, in->id, "incomplete "
			    "-> received: fields supplied by the reporter");
		else
			warnx("%s: the follow-up is filed, but the case could "
			    "not be moved back to received: run vf-decide "
			    "recheck %s", in->path, in->id);
	}
done:
	vf_buf_free(&added);
	vf_buf_free(&changed);
	vf_buf_free(&proposed);
	vf_buf_free(&what);
	vf_case_free(&c);
	vf_unlock(lk);
	return noroom ? file_answering(in, ml, err) : rc;
}

/*
 * Would this follow-up keep its case (at in->path) within the limits of
 * the case-file reader? An estimate from above, before the case is
 * locked: a follow-up adds at most its text part, a proposal per piece
 * and one more, a part per piece, the original (the mail, or the mail
 * encrypted and armored), a few history lines and every field of the
 * table, each piece base64-encoded at most. 0: room, or the case cannot
 * be read (file_followup says why); else EX_DATAERR and why.
 * file_followup itself checks the case as built with vf_case_room
 * before it saves (helper followup: call it there, and on EX_DATAERR
 * return file_answering).
 */
static int
followup_room(struct vf_intake *in, const struct mail *ml, char *why,
    size_t whylen)
{
	struct vf_case c;
	char err[256];
	size_t i, parts = 4 + ml->nap, bytes = 64 * 1024 + ml->rawlen / 2 * 3;
	int rc;

	if (vf_case_load(&c, in->path, err, sizeof(err)) != 0)
		return 0;
	for (i = 0; i < ml->r.np; i++) {
		parts++;
		bytes += ml->r.p[i].len / 3 * 4 + 4 + 1024;
	}
	rc = vf_case_room(&c, parts, in->fields->n, 8, bytes, why, whylen);
	vf_case_free(&c);
	return rc;
}

/*
 * A follow-up that its case has no room for (why: the limit) is filed as
 * a case of its own whose Vf-Mentions names the case it answers; that case
 * stays as it was, readable, and its log says where the mail went.
 */
static int
file_answering(struct vf_intake *in, struct mail *ml, const char *why)
{
	int rc;

	strlcpy(ml->answers, in->id, sizeof(ml->answers));
	strlcpy(ml->answers_why, why, sizeof(ml->answers_why));
	in->followup = 0;
	in->path[0] = '\0';
	read_form(in, ml, ml->r.subject != NULL ?
	    vf_form_kind_subject(ml->r.subject) : 0);
	if ((rc = file_new(in, ml)) == 0)
		(void)vf_log(in->root, in->tool, ml->answers, "follow-up "
		    "filed as case %s: %s", in->id, why);
	return rc;
}

static int
ascii_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Message-IDs looked up in .sent per mail: References may be long. */
#define REFS_MAX	64

/*
 * The first Message-ID in v the office sent (a .sent record, sent.c) whose
 * case is on disk: ml gets the role and kind. 0 with *found, or the exit
 * status of a failed lookup.
 */
static int
sent_of(struct vf_intake *in, const char *v, struct mail *ml, int *found)
{
	const char *p, *e, *state;
	char mid[HDR_MAX + 1];
	size_t k;
	int rc;

	for (p = v, k = 0; p != NULL && k < REFS_MAX; p = e, k++) {
		if ((p = strchr(p, '<')) == NULL ||
		    (e = strchr(p, '>')) == NULL)
			break;
		if ((size_t)(e - p - 1) >= sizeof(mid) || e == p + 1)
			continue;
		memcpy(mid, p + 1, (size_t)(e - p - 1));
		mid[e - p - 1] = '\0';
		rc = vf_sent_get(in->root, mid, in->id, sizeof(in->id),
		    ml->role, sizeof(ml->role), ml->kind, sizeof(ml->kind));
		if (rc == EX_NOINPUT)
			continue;
		if (rc != 0)
			return rc;
		if (vf_find(in->root, in->id, in->path, sizeof(in->path),
		    &state) == 0) {
			ml->by_sent = *found = 1;
			return 0;
		}
	}
	in->id[0] = in->path[0] = ml->role[0] = ml->kind[0] = '\0';
	return 0;
}

/*
 * The case a mail answers: In-Reply-To, else References, naming a
 * Message-ID the office sent (which no outsider has seen, and which says
 * whom it answers); else the case tag of the subject in the office's own
 * form. Never the case file's own Message-ID (<vf.ID@vf.invalid> is
 * predictable) and never a bare number: .sent holds neither.
 */
static int
case_of(struct vf_intake *in, struct mail *ml, int *found)
{
	const char *state;
	int rc;

	*found = 0;
	if (ml->r.in_reply_to != NULL &&
	    ((rc = sent_of(in, ml->r.in_reply_to, ml, found)) != 0 || *found))
		return rc;
	if (ml->r.references != NULL &&
	    ((rc = sent_of(in, ml->r.references, ml, found)) != 0 || *found))
		return rc;
	if (ml->r.subject != NULL && vf_id_scan(ml->r.subject, in->id,
	    sizeof(in->id)) && vf_find(in->root, in->id, in->path,
	    sizeof(in->path), &state) == 0) {
		*found = 1;
		return 0;
	}
	in->id[0] = in->path[0] = '\0';
	return 0;
}

/*
 * Is name another field of f's group of alternatives ("KINDS@GROUP" in the
 * table: an e-mail address, or failing that a telephone or fax number)?
 */
static int
in_group(const struct vf_fields *ft, const struct vf_field *f,
    const char *name)
{
	const struct vf_field *g;

	return f->group != NULL && (g = vf_fields_find(ft, name)) != NULL &&
	    g->group != NULL && strcmp(g->group, f->group) == 0;
}

/*
 * Does the form hold every field the field table requires of its kind?
 * Then it is a report of its own, whatever it threads to.
 */
static int
complete_form(const struct vf_fields *ft, const struct vf_form *f)
{
	size_t i, j, need = 0;

	if (f->kind == 0)
		return 0;
	for (i = 0; i < ft->n; i++) {
		if ((ft->f[i].required & f->kind) == 0)
			continue;
		need++;
		for (j = 0; j < f->n; j++)
			if (strcmp(f->v[j].name, ft->f[i].name) == 0 ||
			    in_group(ft, &ft->f[i], f->v[j].name))
				break;
		if (j == f->n)
			return 0;
	}
	return need > 0;
}

int
vf_intake(struct vf_intake *in, char *raw, size_t rawlen)
{
	struct mail ml;
	struct meanwhile mw;
	const char *fr, *msg;
	char err[512], *norm;
	size_t normlen, i;
	int rc, found, whole;

	in->followup = in->duplicate = 0;
	in->path[0] = in->id[0] = '\0';
	if (vf_config_get(in->cfg, "office-key") == NULL) {
		warnx("%s/config names no office-key", in->root->path);
		return EX_CONFIG;
	}
	if (vf_gpg_config(in->cfg, err, sizeof(err)) != 0) {
		warnx("%s", err);
		return EX_CONFIG;
	}
	memset(&ml, 0, sizeof(ml));
	ml.raw = raw;
	ml.rawlen = rawlen;
	ml.tmpfd = -1;
	in->seen = -1;
	/*
	 * Unless the mail is PGP/MIME at its top, its original is encrypted
	 * to the office key if it is filed at all (a new case or a
	 * follow-up): gpg is started now, before the digest, the .seen lock
	 * and the MIME parse, so that its exec and keyring run beside them
	 * (and beside the report's own decryption, on the other CPU). A
	 * guess, never the verdict: add_original gives it the mail only
	 * when the original is to be encrypted; otherwise (a duplicate, a
	 * mail kept as it came, a failure) it is stopped unused.
	 */
	if (!(whole = maybe_whole(raw, rawlen)))
		original_start(in, &ml);
	/*
	 * The field table (a quarter of a millisecond to parse) is first
	 * wanted after the threading: it is loaded while a gpg runs, the
	 * original's started above or else the report's decryption below,
	 * or at the latest there.
	 */
	if (ml.early != NULL)
		(void)intake_fields(in);
	vf_mail_digest(raw, rawlen, ml.digest);
	/*
	 * Filed before? A PGP/MIME mail's .seen entry is looked at while gpg
	 * decrypts it (decrypt_meanwhile), any other's now, beside the
	 * original's gpg; and after the parse if no gpg ran after all.
	 */
	if (!whole) {
		seen_check(in, &ml);
		if (ml.seen == SEEN_DONE) {
			original_cancel(&ml);
			if (in->seen != -1)
				close(in->seen);
			return ml.seenrc;
		}
		(void)vf_user();	/* beside gpg too, as in the hook */
	}

	/*
	 * The original is kept as it came: a normalised copy is parsed, made
	 * only when normalising would change something (a CR, an mbox From_
	 * line), for a mail is rarely either and may be large.
	 */
	if ((rawlen >= 5 && memcmp(raw, "From ", 5) == 0) ||
	    memchr(raw, '\r', rawlen) != NULL) {
		norm = vf_malloc(rawlen + 1);
		memcpy(norm, raw, rawlen);
		norm[rawlen] = '\0';
		normlen = vf_mail_normalize(norm, rawlen);
		msg = norm;
	} else {
		norm = NULL;
		normlen = rawlen;
		msg = raw;
	}
	mw.in = in;
	mw.ml = &ml;
	vf_gpg_meanwhile(decrypt_meanwhile, &mw);
	rc = vf_report_extract(&ml.r, msg, normlen, &in->lim,
	    vf_config_get(in->cfg, "office-key"));
	vf_gpg_meanwhile(NULL, NULL);
	if (ml.seen == SEEN_NOT)
		seen_check(in, &ml);
	/* Filed before: whatever its parse or gpg said, it is not refiled. */
	if (ml.seen == SEEN_DONE) {
		rc = ml.seenrc;
		goto done;
	}
	if (rc != 0) {
		if (rc == EX_TEMPFAIL && ml.r.timedout)
			warnx("gpg ran longer than gpg-timeout (%d s): killed; "
			    "the MTA keeps the mail", vf_gpg_timeout());
		else if (rc == EX_TEMPFAIL)
			warnx("gpg failed for a reason a retry may mend");
		else
			warnx("cannot run gpg (%s)", vf_gpg_program());
		rc = rc == EX_UNAVAILABLE ? EX_CONFIG : rc;
		goto done;
	}
	/* The raw From, for mail readers, where it is plain ASCII. */
	if ((fr = ml.r.from_raw) != NULL && strlen(fr) < HDR_MAX &&
	    ascii_printable(fr))
		ml.from_raw = vf_strdup(fr);
	if ((rc = case_of(in, &ml, &found)) != 0)
		goto done;
	if ((rc = intake_fields(in)) != 0)
		goto done;
	/*
	 * A complete new report that threads is a new report: a reply may
	 * bring another finding, and it is never a way to rewrite a case.
	 */
	if (found) {
		read_form(in, &ml, ml.r.subject != NULL ?
		    vf_form_kind_subject(ml.r.subject) : 0);
		if (complete_form(in->fields, &ml.form)) {
			(void)strlcpy(ml.mentions, in->id,
			    sizeof(ml.mentions));
			in->id[0] = in->path[0] = '\0';
			found = 0;
		}
	}
	if (found && followup_room(in, &ml, err, sizeof(err)) != 0)
		rc = file_answering(in, &ml, err);
	else if (found) {
		in->followup = 1;
		rc = file_followup(in, &ml);
	} else {
		if (ml.early == NULL)
			original_start(in, &ml);
		read_form(in, &ml, ml.r.subject != NULL ?
		    vf_form_kind_subject(ml.r.subject) : 0);
		rc = file_new(in, &ml);
	}
done:
	/* Reserved while gpg ran, and no case came of it: say so. */
	if (ml.rsv[0] != '\0') {
		if (rc != 0)
			(void)vf_log(in->root, in->tool, ml.rsv, "number "
			    "reserved, no case filed: delivery failed (exit "
			    "%d), the mail stays with the MTA", rc);
		else
			(void)vf_log(in->root, in->tool, ml.rsv, "number "
			    "reserved, no case filed: the mail went to case %s",
			    in->id);
		(void)vf_id_settle();
	}
	/* Made while gpg decrypted and not filled: no case came of it. */
	if (ml.tmpfd != -1) {
		(void)close(ml.tmpfd);
		(void)unlinkat(in->root->fd, ml.tmp, 0);
	}
	/* Started, and not given the mail: not wanted, or the case failed. */
	original_cancel(&ml);
	if (in->seen != -1)
		close(in->seen);	/* and with it the lock */
	free(ml.from_raw);
	vf_form_free(&ml.form);
	for (i = 0; i < ml.nap; i++)
		vf_form_free(&ml.ap[i].form);
	free(ml.ap);
	vf_report_free(&ml.r);
	free(norm);
	return rc;
}
