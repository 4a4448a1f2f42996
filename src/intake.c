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
	const char		*raw;
	size_t			 rawlen;
};

/* Used by file_followup as well, to file apart what its case has no room for. */
static int	file_answering(struct vf_intake *, struct mail *, const char *);

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

static int
prot_parse(const char *s)
{
	if (s == NULL)
		return VF_PROT_CLEAR;
	if (strcmp(s, "encrypted") == 0)
		return VF_PROT_ENCRYPTED;
	if (strcmp(s, "signed") == 0)
		return VF_PROT_SIGNED;
	return VF_PROT_CLEAR;
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
static int
add_original(struct vf_case *c, const struct vf_intake *in,
    const struct mail *ml, const char *id)
{
	struct vf_kv h[4];
	struct vf_gpg g;
	const char *key, *role;
	char disp[128], *ct;
	size_t len, i, k = 0;
	int rc;

	/* Each original its own file name: a reader saves them side by side. */
	for (i = 0; i < c->npart; i++)
		if ((role = vf_cpart_get(&c->part[i], "Vf-Part")) != NULL &&
		    strcmp(role, VF_PART_ORIGINAL) == 0)
			k++;
	/* The mail outlives the case: pointed at, not copied. */
	if (ml->r.whole && memchr(ml->raw, '\0', ml->rawlen) == NULL) {
		if ((k > 0 ? snprintf(disp, sizeof(disp), "attachment; "
		    "filename=\"%s-%zu.eml\"", id, k + 1) : snprintf(disp,
		    sizeof(disp), "attachment; filename=\"%s.eml\"", id)) >=
		    (int)sizeof(disp))
			errx(EX_SOFTWARE, "case id too long");
		h[0].name = "Content-Disposition";
		h[0].value = disp;
		h[1].name = "Vf-Original";
		h[1].value = "as-received";
		h[2].name = "Vf-Digest";
		h[2].value = (char *)ml->digest;
		vf_case_add_part_ref(c, VF_PART_ORIGINAL, "message/rfc822", h,
		    3, ml->raw, ml->rawlen);
		return 0;
	}
	key = vf_config_get(in->cfg, "office-key");
	memset(&g, 0, sizeof(g));
	rc = vf_gpg_encrypt(ml->raw, ml->rawlen, key, &g);
	if (rc != 0) {
		if (rc == EX_CONFIG)
			warnx("cannot encrypt to office-key %s: is its public "
			    "key in the keyring?", key);
		else if (rc == EX_UNAVAILABLE)
			warnx("cannot run gpg (%s)", vf_gpg_program());
		else if (g.timedout)
			warnx("gpg ran longer than gpg-timeout (%d s) to "
			    "encrypt the original: killed; the MTA keeps the "
			    "mail", vf_gpg_timeout());
		else
			warnx("gpg failed to encrypt the original");
		vf_gpg_free(&g);
		return rc == EX_UNAVAILABLE ? EX_CONFIG : rc;
	}
	if ((k > 0 ? snprintf(disp, sizeof(disp), "attachment; "
	    "filename=\"%s-%zu.eml.asc\"", id, k + 1) : snprintf(disp,
	    sizeof(disp), "attachment; filename=\"%s.eml.asc\"", id)) >=
	    (int)sizeof(disp))
		errx(EX_SOFTWARE, "case id too long");
	h[0].name = "Content-Disposition";
	h[0].value = disp;
	h[1].name = "Vf-Original";
	h[1].value = "encrypted-on-arrival";
	h[2].name = "Vf-Digest";
	h[2].value = (char *)ml->digest;
	/* Ciphertext: the case takes gpg's buffer, nothing to wipe. */
	ct = vf_buf_take(&g.out, &len);
	vf_gpg_free(&g);
	vf_case_add_part_take(c, VF_PART_ORIGINAL, "application/octet-stream",
	    h, 3, ct, len);
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

/* Is name in the ", "-separated list b? */
static int
listed(const struct vf_buf *b, const char *name)
{
	const char *s = b->len > 0 ? b->p : "", *e;
	size_t n = strlen(name);

	for (; *s != '\0'; s = *e != '\0' ? e + 2 : e) {
		if ((e = strstr(s, ", ")) == NULL)
			e = s + strlen(s);
		if ((size_t)(e - s) == n && strncmp(s, name, n) == 0)
			return 1;
	}
	return 0;
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
	struct vf_kv h[7];
	char of[32], by[64], piece[64];
	size_t i, k, j, m, n = 0;

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
		b.len = 0;
		vf_case_fields_text(ml->ap[k].form.v, ml->ap[k].form.n, &b);
		d.len = 0;
		vf_buf_printf(&d, "fields proposed by encrypted text %s, %s",
		    piece, by + 7);
		j = 0;
		h[j].name = "Content-Transfer-Encoding";
		h[j++].value = "8bit";
		h[j].name = "Content-Disposition";
		h[j++].value = "inline";
		h[j].name = "Content-Description";
		h[j++].value = d.p;
		h[j].name = "Vf-Proposed-By";
		h[j++].value = by;
		h[j].name = "Vf-Received";
		h[j++].value = (char *)when;
		h[j].name = "Vf-Of";
		h[j++].value = of;
		h[j].name = "Vf-Piece";
		h[j++].value = piece;
		vf_case_add_part(c, "proposal", "text/plain; charset=utf-8", h,
		    j, b.p, b.len);
		for (i = 0; i < ml->ap[k].form.n; i++)
			if (!listed(names, ml->ap[k].form.v[i].name))
				vf_buf_printf(names, "%s%s", names->len ?
				    ", " : "", ml->ap[k].form.v[i].name);
	}
	vf_buf_free(&b);
	vf_buf_free(&d);
	if (names->len > 0)
		vf_case_set(c, "Vf-Proposes", names->p);
}

static int
file_new(struct vf_intake *in, struct mail *ml)
{
	struct vf_case c;
	struct vf_buf out = { 0 }, pb = { 0 };
	struct vf_kv h[3];
	struct iovec *iov = NULL;
	char when[32], *s, *body;
	size_t i, niov, len;
	int rc;

	if ((rc = vf_id_new(in->root, in->id, sizeof(in->id))) != 0)
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
	if (ml->answers[0] != '\0')
		vf_case_set(&c, "Vf-Answers", ml->answers);
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
	vf_case_history(&c, in->tool, "received %s report, %zu fields, "
	    "encryption %s, signature %s%s%s",
	    ml->form.kind ? vf_kind_name(ml->form.kind) : "unknown-kind",
	    ml->form.n, vf_case_get(&c, "Vf-Encryption"),
	    vf_case_get(&c, "Vf-Signature"), pb.len > 0 ? "; problem: " : "",
	    pb.len > 0 ? pb.p : "");

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
	if ((rc = add_original(&c, in, ml, in->id)) != 0)
		goto done;

	/* Written part by part: a large case is never held twice. */
	vf_case_iov(&c, &out, &iov, &niov);
	if ((rc = seen_put(in->root, in->seen, in->id)) != 0)
		goto done;
	if ((rc = vf_deliverv(in->root, "received", in->id, iov, niov,
	    in->path, sizeof(in->path))) != 0)
		goto done;
	(void)vf_log(in->root, in->tool, in->id, "new %s case%s%s",
	    vf_case_get(&c, "Vf-Kind"), pb.len > 0 ? "; problem: " : "",
	    pb.len > 0 ? pb.p : "");
done:
	/* The number is gone for good: say why it has no case. */
	if (rc != 0)
		(void)vf_log(in->root, in->tool, in->id, "number reserved, "
		    "no case filed: delivery failed (exit %d), the mail stays "
		    "with the MTA", rc);
	free(iov);
	vf_buf_free(&pb);
	vf_buf_free(&out);
	vf_case_free(&c);
	return rc;
}

/* Was the case's report signed (well) by the key that signed this mail? */
static int
same_signer(const struct vf_case *c, const struct vf_report *r)
{
	const char *v;
	size_t n;

	if ((v = vf_case_get(c, "Vf-Signature")) == NULL ||
	    strncmp(v, "good ", 5) != 0)
		return 0;
	n = strlen(r->sig.sig_fpr);
	return n > 0 && strncmp(v + 5, r->sig.sig_fpr, n) == 0 &&
	    (v[5 + n] == ' ' || v[5 + n] == '\0');
}

static int
file_followup(struct vf_intake *in, struct mail *ml)
{
	struct vf_case c;
	struct vf_buf added = { 0 };
	struct vf_kv h[12];
	const char *state;
	char enc[160], sig[160], when[32], err[256], *mid, *from, *subj;
	char *body;
	size_t i, n, len;
	int rc, lk;

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
	/*
	 * The key that signed the report is the one expected to sign what
	 * follows: a good signature by another key proves nothing here.
	 */
	if (ml->r.prot == VF_PROT_SIGNED && !same_signer(&c, &ml->r)) {
		/* Its text with it, or the follow-up would lose the text. */
		for (i = 0; i < ml->r.np; i++)
			if (ml->r.p[i].prot == VF_PROT_SIGNED)
				ml->r.p[i].prot = VF_PROT_CLEAR;
		ml->r.prot = VF_PROT_CLEAR;
		vf_case_history(&c, in->tool, "follow-up signed by %s, not by "
		    "the report's key: counts as clear", ml->r.sig.sig_fpr);
	}
	vf_timestamp(when, sizeof(when), 0);
	followup_headers(h, &n, ml, enc, sizeof(enc), sig, sizeof(sig), &mid,
	    &from, &subj, when);
	body = take_text(ml, &len);
	vf_case_add_part_take(&c, VF_PART_FOLLOWUP,
	    "text/plain; charset=utf-8", h, n, body, len);
	add_pieces(&c, ml);
	/*
	 * A follow-up may supply what the report lacked, but it may not
	 * replace what the reporter said, and clear text may not add to an
	 * encrypted report: anyone can write a subject with a case number.
	 */
	if (ml->r.prot >= prot_parse(vf_case_get(&c, "Vf-Protection")))
		for (i = 0; i < ml->form.n; i++) {
			if (vf_case_field(&c, ml->form.v[i].name) != NULL)
				continue;
			vf_case_field_set(&c, ml->form.v[i].name,
			    ml->form.v[i].value);
			vf_buf_printf(&added, "%s%s", added.len ? ", " : "",
			    ml->form.v[i].name);
		}
	vf_case_history(&c, in->tool, "follow-up received from %s, "
	    "encryption %s, signature %s%s%s", from != NULL ? from : "?", enc,
	    sig, added.len > 0 ? "; fields added: " : "",
	    added.len > 0 ? added.p : "");
	free(mid);
	free(from);
	free(subj);
	if ((rc = add_original(&c, in, ml, in->id)) != 0)
		goto done;
	/* Under its own name again, and new: a reader shows it unread. */
	if ((rc = vf_case_save(in->root, in->path, sizeof(in->path), &c,
	    in->tool, VF_CASE_NEW)) != 0)
		goto done;
	(void)vf_log(in->root, in->tool, in->id, "follow-up in %s", state);
done:
	vf_buf_free(&added);
	vf_case_free(&c);
	vf_unlock(lk);
	return rc;
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
 * a case of its own whose Vf-Answers names the case it answers; that case
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

/*
 * The case a mail answers: the subject's tag, else our message ids in
 * In-Reply-To or References; the first that names a case on disk.
 */
static int
case_of(struct vf_intake *in, const struct vf_report *r)
{
	const char *src[3], *state;
	size_t i;

	src[0] = r->subject;
	src[1] = r->in_reply_to;
	src[2] = r->references;
	for (i = 0; i < 3; i++)
		if (src[i] != NULL && vf_id_scan(src[i], in->id,
		    sizeof(in->id)) && vf_find(in->root, in->id, in->path,
		    sizeof(in->path), &state) == 0)
			return 1;
	in->id[0] = in->path[0] = '\0';
	return 0;
}

int
vf_intake(struct vf_intake *in, char *raw, size_t rawlen)
{
	struct mail ml;
	const char *state, *fr, *msg;
	char err[512], *norm;
	size_t normlen, i;
	int rc;

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
	vf_mail_digest(raw, rawlen, ml.digest);
	if ((rc = seen_open(in->root, ml.digest, &in->seen)) != 0)
		return rc;
	if (seen_get(in->seen, in->id, sizeof(in->id)) &&
	    (rc = vf_find(in->root, in->id, in->path, sizeof(in->path),
	    &state)) != EX_NOINPUT) {
		/* Filed before; or its case has two files: no third. */
		in->duplicate = rc == 0;
		close(in->seen);
		return rc;
	}
	in->id[0] = '\0';

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
	rc = vf_report_extract(&ml.r, msg, normlen, &in->lim,
	    vf_config_get(in->cfg, "office-key"));
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
	if (case_of(in, &ml.r) &&
	    followup_room(in, &ml, err, sizeof(err)) != 0)
		rc = file_answering(in, &ml, err);
	else if (in->id[0] != '\0') {
		in->followup = 1;
		rc = file_followup(in, &ml);
	} else {
		read_form(in, &ml, ml.r.subject != NULL ?
		    vf_form_kind_subject(ml.r.subject) : 0);
		rc = file_new(in, &ml);
	}
done:
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
