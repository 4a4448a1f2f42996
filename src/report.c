/*
 * Taking a report mail apart.
 *
 * A mail is walked as a MIME tree. PGP/MIME (RFC 3156) encrypted and signed
 * parts, and inline armored blocks in any text leaf (and in the text of an
 * HTML leaf), go through gpg; what gpg opens is parsed again as MIME
 * (PGP/MIME) or taken as text (inline). Every piece of text or attachment
 * found is kept with the protection it came with and the signature that
 * covers it, and only the best-protected pieces are the report: of a mail
 * partly encrypted, clear text beside the ciphertext is never merged into
 * the report (EFAIL), it is kept apart as "unprotected".
 *
 * Protection is what gpg proved, never what a wrapper says: a piece is
 * encrypted only when gpg decrypted an encryption packet
 * (vf_gpg_encrypted_ok); an OpenPGP message that is only signed, under a
 * "BEGIN PGP MESSAGE" armor or inside multipart/encrypted, is a
 * signature, and its text is signed (a good signature by a key in the
 * keyring) or else clear. So a signed block put before or after a
 * genuine encrypted report is kept apart, not read for fields.
 *
 * The limits are the mail's, not each decrypted text's: what is decoded
 * in the mail and every plaintext gpg gives back, and the MIME parts of
 * the mail and of every decrypted tree, count against one budget, and gpg
 * runs at most GPG_RUNS times for the whole mail.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vf.h"

/* Encryption inside encryption is legitimate once or twice, not forever. */
#define CRYPTO_DEPTH	4
/*
 * Each gpg process costs time: a mail of ten thousand tiny blocks would
 * hold a delivery for half an hour. Past this many runs (every process:
 * decryptions, their retries and probes, verifications, key listings),
 * blocks are kept as they came (the original has them) and the case says
 * so. One more run, encrypting the original, is the intake's.
 */
#define GPG_RUNS	32
/* What a decryption may cost at most: it and its retry or probe. */
#define COST_DECRYPT	2

/* What covers a piece: its protection and the innermost signature. */
struct cover {
	int		 prot;
	enum vf_sig	 sig;
	char		 signer[41];
	int		 sigi;
};

struct walk {
	struct vf_report	*r;
	const struct vf_limits	*lim;
	const char		*office_key;
	/* Decrypted plaintexts and their trees: parts point into them. */
	struct vf_mime		**trees;
	char			**plain;
	size_t			 ntrees;
	int			 rc;		/* first gpg temporary failure */
	int			 runs;		/* gpg processes run */
	int			 capped;	/* the run limit was said */
	size_t			 decoded;	/* decoded in the whole mail */
	size_t			 nparts;	/* MIME parts in the whole mail */
	int			 sources;	/* encrypted messages, outside
						   encryption, that gave text */
	int			 notcipher;	/* a multipart/encrypted held
						   no encryption packet */
};

static void	walk_part(struct walk *, const struct vf_part *,
		    const struct cover *, int);
static void	problem(struct vf_report *, const char *);
static void	problemf(struct vf_report *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	identity(const struct vf_part *);

static const char ARMOR_MSG[] = "-----BEGIN PGP MESSAGE-----";
static const char ARMOR_MSG_END[] = "-----END PGP MESSAGE-----";
static const char ARMOR_SIGNED[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char ARMOR_SIG[] = "-----BEGIN PGP SIGNATURE-----";
static const char ARMOR_SIG_END[] = "-----END PGP SIGNATURE-----";

/* May gpg run cost more times for this mail? */
static int
gpg_allowed(struct walk *w, int cost)
{
	if (w->rc != 0)
		return 0;
	if (w->runs + cost > GPG_RUNS) {
		if (!w->capped)
			problemf(w->r, "more than %d gpg runs for this mail: "
			    "the rest of its PGP blocks kept as they came",
			    GPG_RUNS);
		w->capped = 1;
		return 0;
	}
	return 1;
}

/* What gpg did, counted; a temporary failure ends its use for this mail. */
static int
gpg_done(struct walk *w, const struct vf_gpg *g, int rc)
{
	w->runs += g->runs;
	if (g->timedout)
		w->r->timedout = 1;
	if (rc == EX_TEMPFAIL || rc == EX_UNAVAILABLE || rc == EX_OSERR) {
		w->rc = rc == EX_OSERR ? EX_TEMPFAIL : rc;
		return -1;
	}
	return 0;
}

/* What is left of the decoded-size limit for this mail. */
static size_t
room(const struct walk *w)
{
	return w->lim->decoded > w->decoded ? w->lim->decoded - w->decoded : 0;
}

/* A C1 control character (U+0080..U+009F) in UTF-8: 0xC2 0x80..0x9F. */
static int
c1(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

/*
 * Terminals obey C0 and C1 controls alike (CSI is U+009B), so neither may
 * survive into a line that a person will see.
 */
char *
vf_oneline(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
		else if (c1(p)) {
			p[0] = p[1] = ' ';
			p++;
		}
	return s;
}

static void
problem(struct vf_report *r, const char *what)
{
	/* Once is enough: the same trouble in many parts says nothing more. */
	if (r->problems.len > 0 && strstr(r->problems.p, what) != NULL)
		return;
	if (r->problems.len > 0)
		vf_buf_adds(&r->problems, "; ");
	vf_buf_adds(&r->problems, what);
}

static void
problemf(struct vf_report *r, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(why))
		why[sizeof(why) - 1] = '\0';
	problem(r, why);
}

static const char *
prot_word(int prot)
{
	return prot == VF_PROT_ENCRYPTED ? "encrypted" :
	    prot == VF_PROT_SIGNED ? "signed" : "clear";
}

static struct vf_piece *
add_piece(struct vf_report *r, const struct cover *cv, int attachment,
    const char *type, const char *name, char *data, size_t len)
{
	struct vf_piece *p;

	r->p = vf_reallocarray(r->p, r->np + 1, sizeof(*r->p));
	p = &r->p[r->np++];
	memset(p, 0, sizeof(*p));
	p->prot = cv->prot;
	p->sig = cv->sig;
	p->sigi = cv->sigi;
	if (cv->sig == VF_SIG_GOOD)
		memcpy(p->signer, cv->signer, sizeof(p->signer));
	p->attachment = attachment;
	p->type = vf_strdup(type);
	p->name = name != NULL ? vf_strdup(name) : NULL;
	p->data = data;
	p->len = len;
	return p;
}

static void
add_text(struct walk *w, const struct cover *cv, const char *s, size_t n,
    const char *cs)
{
	const char *used;
	size_t len;
	char *t;

	/* Text that is only white space says nothing and would clutter. */
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	t = vf_to_utf8(s, n, cs, &len, &used);
	if (w->r->charset == NULL)
		w->r->charset = used;
	add_piece(w->r, cv, 0, "text/plain", NULL, t, len);
}

/*
 * A signature gpg checked, kept in the report's list; its verdict goes
 * to the pieces it covers. A verdict that is not good is said, with what
 * the text then counts as.
 */
static int
record_sig(struct walk *w, const struct vf_gpg_status *st, int prot)
{
	struct vf_report *r = w->r;

	if (st->sig == VF_SIG_NONE)
		return -1;
	if (st->sig != VF_SIG_GOOD) {
		if (prot == VF_PROT_CLEAR)
			problemf(r, "signature %s: the text counts as clear",
			    vf_sig_name(st->sig));
		else
			problemf(r, "signature %s in %s text: it counts as "
			    "unsigned", vf_sig_name(st->sig), prot_word(prot));
	}
	if (st->sig_keys > 1)
		problem(r, "a message signed by several keys: only one of "
		    "them is recorded");
	r->sigv = vf_reallocarray(r->sigv, r->nsigv + 1, sizeof(*r->sigv));
	r->sigv[r->nsigv] = *st;
	r->sigs++;
	return (int)r->nsigv++;
}

/* The cover of what a checked signature covers, inside cover `out`. */
static void
signed_cover(struct walk *w, const struct vf_gpg_status *st,
    const struct cover *out, struct cover *in)
{
	*in = *out;
	if (st->sig == VF_SIG_NONE)
		return;
	/* Only a good signature makes the text better than clear text. */
	if (st->sig == VF_SIG_GOOD && in->prot < VF_PROT_SIGNED)
		in->prot = VF_PROT_SIGNED;
	in->sig = st->sig;
	in->sigi = record_sig(w, st, in->prot);
	if (st->sig == VF_SIG_GOOD)
		memcpy(in->signer, st->sig_fpr, sizeof(in->signer));
	else
		in->signer[0] = '\0';
}

static void
set_enc(struct vf_report *r, const char *how)
{
	if (r->enc[0] == '\0' || strcmp(r->enc, "none") == 0)
		strlcpy(r->enc, how, sizeof(r->enc));
	else if (strstr(r->enc, how) == NULL) {
		strlcat(r->enc, "+", sizeof(r->enc));
		strlcat(r->enc, how, sizeof(r->enc));
	}
}

/* A part that says it is encrypted and that we could not open. */
static void
not_opened(struct walk *w, const char *how, const char *why)
{
	w->r->encrypted = 1;
	w->r->decrypted = 0;
	set_enc(w->r, how);
	problemf(w->r, "%s part not opened: %s", how, why);
}

static const char *
gpg_why(const struct vf_gpg *g, int rc)
{
	if (g->over)
		return "plaintext larger than what is left of the "
		    "decoded-size limit";
	if (g->st.no_seckey)
		return "no secret key";
	if (g->st.badmdc)
		return "integrity check failed (BADMDC)";
	if (g->st.nodata)
		return "no OpenPGP data";
	if (g->st.decryption_failed)
		return "decryption failed";
	if (g->st.symmetric)
		return "encrypted to a passphrase";
	if (g->st.decryption_okay && !g->st.goodmdc && !g->st.aead)
		return "no integrity check";
	if (rc == 0)
		return "empty plaintext";
	return "gpg error";
}

/*
 * Decrypt (or, for a signed-only message, verify) with gpg; *in is then
 * the cover of its text inside out. -1 when gpg failed, -2 when it was
 * not run (the mail's limits, said in a problem line). On a temporary
 * failure the walk stops being useful: the caller exits 75 and the MTA
 * retries, so remember it and stop decrypting.
 */
static int
decrypt(struct walk *w, const char *data, size_t n, struct vf_gpg *g,
    const char *how, const struct cover *out, struct cover *in)
{
	struct vf_report *r = w->r;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!gpg_allowed(w, COST_DECRYPT))
		return -2;
	if (room(w) == 0) {
		problemf(r, "%s part not opened: the mail's decoded-size "
		    "limit of %zu bytes is used up", how, w->lim->decoded);
		return -2;
	}
	rc = vf_gpg_decrypt(data, n, room(w), g);
	if (gpg_done(w, g, rc) != 0)
		return -1;
	if (vf_gpg_was_encrypted(&g->st)) {
		r->encrypted = 1;
		set_enc(r, how);
	}
	if (rc != 0) {
		problemf(r, "%s part not opened: %s", how, gpg_why(g, rc));
		if (vf_gpg_was_encrypted(&g->st))
			r->decrypted = 0;
		return -1;
	}
	w->decoded += g->out.len;
	if (g->encrypted) {
		*in = *out;
		in->prot = VF_PROT_ENCRYPTED;
		if (w->office_key != NULL &&
		    !vf_gpg_opened_by(&g->st, w->office_key))
			problemf(r, "%s part opened by the secret key %s, not "
			    "the office-key", how, g->st.dec_primary[0] != '\0' ?
			    g->st.dec_primary : "that gpg did not name");
		signed_cover(w, &g->st, in, in);
	} else
		/* Only signed, whatever its armor or wrapper says. */
		signed_cover(w, &g->st, out, in);
	return 0;
}

/*
 * Keep a plaintext and the MIME tree parsed from it alive until the end.
 * It is parsed within what is left of the mail's limits.
 */
static struct vf_mime *
keep_tree(struct walk *w, char *plain, size_t len)
{
	struct vf_limits l = *w->lim;
	struct vf_mime *m;

	m = vf_calloc(1, sizeof(*m));
	len = vf_mail_normalize(plain, len);
	l.parts = w->nparts < (size_t)w->lim->parts ?
	    w->lim->parts - (int)w->nparts : 0;
	l.decoded = room(w);
	(void)vf_mime_parse(m, plain, len, &l);
	w->nparts += m->nparts;
	w->decoded += m->decoded;
	if (m->limit && m->nparts >= (size_t)l.parts && l.parts >= 0)
		problemf(w->r, "more than %d MIME parts, decrypted ones "
		    "included", w->lim->parts);
	else if (m->limit && m->decoded >= l.decoded)
		problemf(w->r, "decoded parts larger than %zu bytes, "
		    "decrypted ones included", w->lim->decoded);
	else if (m->why[0] != '\0')
		problem(w->r, m->why);
	w->trees = vf_reallocarray(w->trees, w->ntrees + 1, sizeof(*w->trees));
	w->plain = vf_reallocarray(w->plain, w->ntrees + 1, sizeof(*w->plain));
	w->trees[w->ntrees] = m;
	w->plain[w->ntrees++] = plain;
	return m;
}

/* Text pieces decrypted so far. */
static size_t
encrypted_texts(const struct vf_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->np; i++)
		if (!r->p[i].attachment && r->p[i].prot == VF_PROT_ENCRYPTED)
			n++;
	return n;
}

/*
 * An encrypted message outside any encryption that gave text (more than
 * `before' encrypted texts now) is one source of the report: anyone can
 * encrypt to the office's key, so two of them may be two senders.
 */
static void
one_source(struct walk *w, const struct cover *out, size_t before)
{
	if (out->prot < VF_PROT_ENCRYPTED && encrypted_texts(w->r) > before)
		w->sources++;
}

static void
walk_encrypted(struct walk *w, const struct vf_part *p,
    const struct cover *cv, int crypto)
{
	struct vf_gpg g;
	struct vf_part *ct;
	struct vf_mime *m;
	struct cover in;
	char *plain;
	size_t len, n;
	int rc;

	if (p->nchild < 2 || p->child[1]->data == NULL) {
		not_opened(w, "pgp-mime", "multipart/encrypted without "
		    "ciphertext");
		w->notcipher = 1;
		return;
	}
	ct = p->child[1];
	if (crypto >= CRYPTO_DEPTH) {
		not_opened(w, "pgp-mime", "encryption nested too deep");
		return;
	}
	/*
	 * The ciphertext is read no more (the original keeps it): its copy
	 * goes before the plaintext is taken apart beside it, and before gpg
	 * runs when it is the body byte for byte (as armor always is).
	 */
	if (identity(ct)) {
		free(ct->data);
		ct->data = NULL;
		ct->datalen = 0;
		rc = decrypt(w, ct->body, ct->bodylen, &g, "pgp-mime", cv, &in);
	} else
		rc = decrypt(w, ct->data, ct->datalen, &g, "pgp-mime", cv,
		    &in);
	free(ct->data);
	ct->data = NULL;
	ct->datalen = 0;
	/*
	 * The wrapper claims encryption: if gpg did not see an encryption
	 * packet, it is no ciphertext to keep as it came; and what gpg could
	 * not open, or did not try, is an encrypted part not decrypted.
	 */
	if (!vf_gpg_was_encrypted(&g.st)) {
		w->notcipher = 1;
		if (rc != 0 && w->rc == 0) {
			w->r->encrypted = 1;
			w->r->decrypted = 0;
			set_enc(w->r, "pgp-mime");
		}
	}
	if (rc == 0 && !g.encrypted)
		problem(w->r, "multipart/encrypted holding a message that is "
		    "only signed, not encrypted");
	if (rc != 0) {
		vf_gpg_free(&g);
		return;
	}
	plain = vf_buf_take(&g.out, &len);
	vf_gpg_free(&g);
	m = keep_tree(w, plain, len);
	n = encrypted_texts(w->r);
	walk_part(w, m->root, &in, crypto + 1);
	one_source(w, cv, n);
}

/* RFC 3156 §5: the signed data is the first part, canonical CRLF. */
static void
walk_signed(struct walk *w, const struct vf_part *p, const struct cover *cv,
    int crypto)
{
	struct vf_buf data = { 0 };
	const struct vf_part *body, *sig;
	const char *s, *e, *nl;
	struct vf_gpg_status err;
	struct cover in;
	struct vf_gpg g;
	int rc;

	if (p->nchild < 2 || p->child[1]->data == NULL) {
		problem(w->r, "multipart/signed without a signature");
		if (p->nchild > 0)
			walk_part(w, p->child[0], cv, crypto);
		return;
	}
	body = p->child[0];
	sig = p->child[1];
	in = *cv;
	memset(&g, 0, sizeof(g));
	if (gpg_allowed(w, 1)) {
		vf_buf_grow(&data, body->rawlen + body->rawlen / 32 + 2);
		for (s = body->raw, e = s + body->rawlen; s < e; s = nl + 1) {
			if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL) {
				vf_buf_add(&data, s, (size_t)(e - s));
				break;
			}
			vf_buf_add(&data, s, (size_t)(nl - s));
			vf_buf_add(&data, "\r\n", 2);
		}
		rc = vf_gpg_verify(data.p, data.len, sig->data, sig->datalen,
		    &g);
		if (gpg_done(w, &g, rc) == 0) {
			if (rc == 0)
				signed_cover(w, &g.st, cv, &in);
			else {
				/* A signature part that is none: an error. */
				problem(w->r, "signature could not be checked");
				memset(&err, 0, sizeof(err));
				err.sig = VF_SIG_ERROR;
				signed_cover(w, &err, cv, &in);
			}
		}
	}
	vf_gpg_free(&g);
	vf_buf_free(&data);
	walk_part(w, body, &in, crypto);
}

/*
 * The length of the white space at p, 0 if none: a non-breaking space
 * too, in UTF-8 or as the Latin-1 byte (which no valid UTF-8 text holds
 * at the start of a line, where this is asked, and armor never holds).
 */
static size_t
ws(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || (unsigned char)*p == 0xa0)
		return 1;
	if ((unsigned char)*p == 0xc2 && p + 1 < end &&
	    (unsigned char)p[1] == 0xa0)
		return 2;
	return 0;
}

/*
 * The first line of s that is `line` (an armor line), white space before
 * and after it allowed: a pointer to the marker itself, or NULL.
 */
static const char *
find_line(const char *s, size_t n, const char *line)
{
	const char *p, *q, *end = s + n;
	size_t ll = strlen(line), k;

	for (p = s; p < end; ) {
		for (q = p; (k = ws(q, end)) > 0; q += k)
			;
		if ((size_t)(end - q) >= ll && memcmp(q, line, ll) == 0 &&
		    (q + ll == end || q[ll] == '\n' || ws(q + ll, end) > 0))
			return q;
		if ((p = memchr(q, '\n', (size_t)(end - q))) == NULL)
			break;
		p++;
	}
	return NULL;
}

/* End of the line holding p (after its LF), or end. */
static const char *
line_after(const char *p, const char *end)
{
	const char *nl;

	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return end;
	return nl + 1;
}

/* One line of armor with the white space around it gone, NBSP as space. */
static void
armor_line(const char *s, const char *e, struct vf_buf *b)
{
	size_t k, start = b->len;

	while ((k = ws(s, e)) > 0)
		s += k;
	while (s < e) {
		if ((k = ws(s, e)) == 2 || (unsigned char)*s == 0xa0) {
			vf_buf_addc(b, ' ');
			s += k;
		} else
			vf_buf_addc(b, (unsigned char)*s++);
	}
	while (b->len > start && (b->p[b->len - 1] == ' ' ||
	    b->p[b->len - 1] == '\t' || b->p[b->len - 1] == '\r'))
		b->p[--b->len] = '\0';
}

/* "Key: value", as armor headers are (radix-64 holds no ':' or space). */
static int
armor_header(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && (isalnum((unsigned char)s[i]) || s[i] == '-');
	    i++)
		;
	return i > 0 && i + 1 < n && s[i] == ':' && s[i + 1] == ' ';
}

static int
b64line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vf_b64val((unsigned char)s[i]) == -1 && s[i] != '=')
			return 0;
	return n > 0;
}

/*
 * The armor from its BEGIN line at s to the end of the END line named by
 * endmark: BEGIN, its headers, a blank line, the radix-64 lines (soft
 * breaks joined), END. Returns where it stopped.
 */
static const char *
repair_armor(const char *s, const char *end, const char *endmark,
    struct vf_buf *out)
{
	struct vf_buf l = { 0 }, body = { 0 };
	const char *nl, *e;
	int first = 1, inbody = 0, done = 0;

	for (; s < end && !done; s = nl != NULL ? nl + 1 : end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		e = nl != NULL ? nl : end;
		l.len = 0;
		armor_line(s, e, &l);
		if (l.len == 0) {
			if (first)
				continue;
			/* Blank lines: the one after the headers is put back. */
			inbody = 1;
			continue;
		}
		if (first) {
			vf_buf_add(out, l.p, l.len);
			vf_buf_addc(out, '\n');
			first = 0;
			continue;
		}
		if (strcmp(l.p, endmark) == 0) {
			done = 1;
			continue;
		}
		if (!inbody && armor_header(l.p, l.len)) {
			vf_buf_add(out, l.p, l.len);
			vf_buf_addc(out, '\n');
			continue;
		}
		inbody = 1;
		/*
		 * A line of radix-64 that ends in one '=' with more radix-64
		 * after it (not the checksum, not the end) is a soft break:
		 * padding comes only at the very end.
		 */
		if (body.len >= 2 && body.p[body.len - 1] == '=' &&
		    body.p[body.len - 2] != '=' && body.p[body.len - 2] != '\n' &&
		    l.p[0] != '=' && b64line(l.p, l.len)) {
			body.p[--body.len] = '\0';
			vf_buf_add(&body, l.p, l.len);
			continue;
		}
		if (body.len > 0)
			vf_buf_addc(&body, '\n');
		vf_buf_add(&body, l.p, l.len);
	}
	vf_buf_addc(out, '\n');
	if (body.len > 0) {
		vf_buf_add(out, body.p, body.len);
		vf_buf_addc(out, '\n');
	}
	if (done) {
		vf_buf_adds(out, endmark);
		vf_buf_addc(out, '\n');
	}
	vf_buf_free(&l);
	vf_buf_free(&body);
	return s;
}

void
vf_armor_repair(const char *s, size_t n, struct vf_buf *out)
{
	const char *end = s + n, *p, *nl, *e, *sig;
	struct vf_buf l = { 0 };
	int hdr = 1;

	const char *m;

	p = find_line(s, n, ARMOR_SIGNED);
	m = find_line(s, n, ARMOR_MSG);
	if (p == NULL || (m != NULL && m < p)) {
		if (m != NULL)
			(void)repair_armor(m, end, ARMOR_MSG_END, out);
		else
			vf_buf_add(out, s, n);
		return;
	}
	/*
	 * Clearsigned: its "Hash:" lines up to the blank line are armor;
	 * the text is the signer's, left as it came (trailing white space
	 * is outside the signature anyway, RFC 4880 §7.1); then the
	 * signature's own armor.
	 */
	sig = find_line(p, (size_t)(end - p), ARMOR_SIG);
	for (; p < end; p = nl != NULL ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl != NULL ? nl : end;
		if (sig != NULL && sig >= p && sig < (nl != NULL ? nl + 1 :
		    end))
			break;
		if (hdr) {
			l.len = 0;
			armor_line(p, e, &l);
			if (l.len > 0) {
				vf_buf_add(out, l.p, l.len);
				vf_buf_addc(out, '\n');
				continue;
			}
			hdr = 0;
			vf_buf_addc(out, '\n');
			continue;
		}
		vf_buf_add(out, p, (size_t)(e - p));
		vf_buf_addc(out, '\n');
	}
	vf_buf_free(&l);
	if (sig != NULL)
		(void)repair_armor(sig, end, ARMOR_SIG_END, out);
}

/*
 * A text leaf: clear text, with inline armored blocks decrypted or verified
 * in place. Text outside a block keeps the leaf's cover (usually clear):
 * a sentence before an encrypted block is not part of the encrypted report.
 * For the text of HTML (html set), only what gpg opens is taken: the HTML
 * itself is kept as it came.
 */
static void
walk_text(struct walk *w, const struct vf_part *p, const char *s, size_t n,
    const struct cover *cv, int crypto, int html)
{
	const char *end = s + n, *b, *be, *bs, *stop;
	const char *nextmsg, *nextsig;
	struct vf_buf fixed = { 0 };
	struct cover in;
	struct vf_gpg g;
	char *plain;
	size_t len, k;
	int isenc, rc;

	/*
	 * The next marker of each kind is remembered, and searched for again
	 * only once the text before it is used up: linear in the text.
	 */
	nextmsg = find_line(s, n, ARMOR_MSG);
	nextsig = find_line(s, n, ARMOR_SIGNED);
	while (s < end) {
		if (nextmsg != NULL && nextmsg < s)
			nextmsg = find_line(s, (size_t)(end - s), ARMOR_MSG);
		if (nextsig != NULL && nextsig < s)
			nextsig = find_line(s, (size_t)(end - s), ARMOR_SIGNED);
		b = nextmsg;
		bs = nextsig;
		be = NULL;
		if (b == NULL || (bs != NULL && bs < b)) {
			b = bs;
			isenc = 0;
		} else
			isenc = 1;
		if (b != NULL && crypto < CRYPTO_DEPTH &&
		    (be = find_line(b, (size_t)(end - b), isenc ?
		    ARMOR_MSG_END : ARMOR_SIG_END)) == NULL)
			problem(w->r, "armored block without its end line");
		if (b == NULL || crypto >= CRYPTO_DEPTH || be == NULL) {
			if (!html)
				add_text(w, cv, s, (size_t)(end - s),
				    p->charset);
			break;
		}
		stop = line_after(be, end);
		if (!html)
			add_text(w, cv, s, (size_t)(b - s), p->charset);
		/* Transport damage to the armor mended; only white space. */
		fixed.len = 0;
		vf_armor_repair(b, (size_t)(stop - b), &fixed);
		rc = decrypt(w, fixed.p, fixed.len, &g, isenc ? "inline" :
		    "inline-signed", cv, &in);
		if (rc == 0) {
			plain = vf_buf_take(&g.out, &len);
			k = encrypted_texts(w->r);
			add_text(w, &in, plain, len, p->charset);
			one_source(w, cv, k);
			explicit_bzero(plain, len);
			free(plain);
		} else if (isenc) {
			/*
			 * A PGP message gpg did not open, or did not try: an
			 * encrypted part not decrypted, as far as anyone can
			 * tell (the original keeps it).
			 */
			if (w->rc == 0) {
				w->r->encrypted = 1;
				w->r->decrypted = 0;
				set_enc(w->r, "inline");
			}
		} else if (!html) {
			/* A signed block gpg could not check is still text. */
			add_text(w, cv, b, (size_t)(stop - b), p->charset);
		}
		vf_gpg_free(&g);
		s = stop;
	}
	vf_buf_free(&fixed);
}

/* Does n bytes at s hold an armor line of either kind anywhere? */
static int
has_armor(const char *s, size_t n)
{
	return memmem(s, n, "-----BEGIN PGP MESSAGE-----", 27) != NULL ||
	    memmem(s, n, "-----BEGIN PGP SIGNED MESSAGE-----", 34) != NULL;
}

static int
starts_armored(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	return n >= sizeof(ARMOR_MSG) - 1 &&
	    memcmp(s, ARMOR_MSG, sizeof(ARMOR_MSG) - 1) == 0;
}

/* Tags of HTML that end a line of its text. */
static int
breaks_line(const char *t, size_t n)
{
	static const char *const tags[] = { "br", "p", "div", "pre", "tr",
	    "li", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6",
	    "hr", "tt", "code", NULL };
	size_t i;

	if (n > 0 && t[0] == '/') {
		t++;
		n--;
	}
	for (i = 0; tags[i] != NULL; i++)
		if (strlen(tags[i]) == n && strncasecmp(t, tags[i], n) == 0)
			return 1;
	return 0;
}

/* A character reference at s (after '&'): its ASCII character, or -1. */
static int
charref(const char *s, const char *end, size_t *used)
{
	static const struct { const char *name; int c; } named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
		{ "apos", '\'' }, { "nbsp", ' ' }, { "equals", '=' },
		{ "plus", '+' }, { "sol", '/' }, { NULL, 0 } };
	const char *semi;
	size_t n, i;
	long v;
	char num[12], *ep;

	for (semi = s; semi < end && semi - s < 10 && *semi != ';'; semi++)
		;
	if (semi >= end || *semi != ';')
		return -1;
	n = (size_t)(semi - s);
	*used = n + 1;
	if (n > 1 && s[0] == '#' && n - 1 < sizeof(num)) {
		memcpy(num, s + 1, n - 1);
		num[n - 1] = '\0';
		if (num[0] == 'x' || num[0] == 'X')
			v = strtol(num + 1, &ep, 16);
		else
			v = strtol(num, &ep, 10);
		if (*ep != '\0' || ep == num)
			return -1;
		if (v == 0xa0)
			return ' ';
		return v >= 0x20 && v < 0x7f ? (int)v : -1;
	}
	for (i = 0; named[i].name != NULL; i++)
		if (strlen(named[i].name) == n &&
		    strncmp(s, named[i].name, n) == 0)
			return named[i].c;
	return -1;
}

void
vf_html_text(const char *s, size_t n, struct vf_buf *b)
{
	const char *end = s + n, *t, *q, *close;
	size_t used, tl;
	int c;

	while (s < end) {
		if (*s == '&') {
			if ((c = charref(s + 1, end, &used)) != -1) {
				vf_buf_addc(b, c);
				s += used + 1;
			} else
				vf_buf_addc(b, *s++);
			continue;
		}
		if (*s == '\r') {
			s++;
			continue;
		}
		if (*s != '<') {
			vf_buf_addc(b, (unsigned char)*s++);
			continue;
		}
		if ((size_t)(end - s) >= 4 && memcmp(s, "<!--", 4) == 0) {
			q = memmem(s + 4, (size_t)(end - s - 4), "-->", 3);
			s = q != NULL ? q + 3 : end;
			continue;
		}
		t = s + 1;
		for (q = t; q < end && (isalnum((unsigned char)*q) ||
		    (q == t && *q == '/')); q++)
			;
		tl = (size_t)(q - t);
		if (q >= end || (q = memchr(q, '>', (size_t)(end - q))) == NULL)
			break;
		/* What scripts and styles hold is no text. */
		if ((tl == 6 && strncasecmp(t, "script", 6) == 0) ||
		    (tl == 5 && strncasecmp(t, "style", 5) == 0)) {
			close = tl == 6 ? "</script" : "</style";
			for (s = q + 1; s < end; s++)
				if (*s == '<' && (size_t)(end - s) >= tl + 2 &&
				    strncasecmp(s, close, tl + 2) == 0)
					break;
			if (s >= end ||
			    (q = memchr(s, '>', (size_t)(end - s))) == NULL)
				break;
		} else if (breaks_line(t, tl))
			vf_buf_addc(b, '\n');
		s = q + 1;
	}
	if (b->p == NULL)
		vf_buf_adds(b, "");
}

/* A file name that is safe to show and to save: no path, no controls. */
static char *
safe_name(const char *name)
{
	char *s, *p;

	if (name == NULL)
		return NULL;
	s = vf_oneline(vf_strdup(name));
	for (p = s; *p != '\0'; p++)
		if (*p == ' ' || *p == '/' || *p == '\\')
			*p = '_';
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || *s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * Can an attachment go into the case as it came, in its transfer encoding,
 * instead of decoded and encoded again? When it is base64 or quoted-
 * printable that decoded without a fault and that every mail reader
 * decodes alike: lines of at most 998 bytes; for base64 nothing but its
 * alphabet, in groups of four, padding only at the very end; for
 * quoted-printable printable ASCII and tabs, no white space at a line's
 * end (which a decoder drops).
 */
static const char *
keep_encoded(const struct vf_part *p)
{
	const unsigned char *s, *e;
	size_t col = 0, nb = 0, pad = 0;
	int b64;

	if (p->cte == NULL || p->body == NULL ||
	    (p->flags & (VF_PART_BADENC | VF_PART_TRUNCATED)) != 0)
		return NULL;
	if (strcmp(p->cte, "base64") == 0)
		b64 = 1;
	else if (strcmp(p->cte, "quoted-printable") == 0)
		b64 = 0;
	else
		return NULL;
	s = (const unsigned char *)p->body;
	for (e = s + p->bodylen; s < e; s++) {
		if (*s == '\n') {
			if (!b64 && col > 0 && (s[-1] == ' ' || s[-1] == '\t'))
				return NULL;
			col = 0;
			continue;
		}
		if (++col > 998)
			return NULL;
		if (!b64) {
			if ((*s < 0x20 && *s != '\t') || *s > 0x7e)
				return NULL;
			continue;
		}
		if (*s == '=')
			pad++;
		else if (pad > 0 || !((*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '+' || *s == '/'))
			return NULL;
		nb++;
	}
	if (!b64 && col > 0 && (s[-1] == ' ' || s[-1] == '\t'))
		return NULL;
	if (b64 && (nb % 4 != 0 || pad > 2))
		return NULL;
	return b64 ? "base64" : "quoted-printable";
}

/* No transfer encoding: the data is the body, byte for byte. */
static int
identity(const struct vf_part *p)
{
	return p->body != NULL && p->datalen == p->bodylen &&
	    (p->flags & VF_PART_TRUNCATED) == 0 && (p->cte == NULL ||
	    strcmp(p->cte, "7bit") == 0 || strcmp(p->cte, "8bit") == 0 ||
	    strcmp(p->cte, "binary") == 0);
}

static void
walk_leaf(struct walk *w, const struct vf_part *p, const struct cover *cv,
    int crypto)
{
	struct vf_buf text = { 0 };
	struct vf_piece *pc;
	const char *cte;
	char *name, *copy;

	if (p->data == NULL)
		return;
	if (strncmp(p->type, "text/plain", 10) == 0 ||
	    (strncmp(p->type, "text/", 5) != 0 &&
	    starts_armored(p->data, p->datalen))) {
		/* A report is often attached as report.txt: it is text. */
		walk_text(w, p, p->data, p->datalen, cv, crypto, 0);
		return;
	}
	/*
	 * A signature is nothing to read, and the "Version: 1" control part
	 * of PGP/MIME neither; both stay in the original. A reporter's key
	 * (application/pgp-keys) is kept: the office will need it.
	 */
	if (strcmp(p->type, "application/pgp-signature") == 0 ||
	    (strcmp(p->type, "application/pgp-encrypted") == 0 &&
	    p->datalen < 64))
		return;
	/*
	 * Webmail plugins send inline PGP as HTML: the blocks in its text
	 * are opened under the same rules, and the HTML kept as it came.
	 */
	if (strncmp(p->type, "text/html", 9) == 0 &&
	    has_armor(p->data, p->datalen)) {
		vf_html_text(p->data, p->datalen, &text);
		walk_text(w, p, text.p, text.len, cv, crypto, 1);
		vf_buf_free(&text);
	}
	/*
	 * HTML and everything else is kept as it came, never rendered. The
	 * piece points at the body in the mail (which outlives the report)
	 * rather than at a copy of it.
	 */
	name = safe_name(p->filename);
	if ((cte = keep_encoded(p)) != NULL || identity(p)) {
		pc = add_piece(w->r, cv, 1, p->type, name, (char *)p->body,
		    p->bodylen);
		pc->cte = cte;
		pc->ref = 1;
	} else {
		copy = vf_malloc(p->datalen + 1);
		memcpy(copy, p->data, p->datalen);
		copy[p->datalen] = '\0';
		add_piece(w->r, cv, 1, p->type, name, copy, p->datalen);
	}
	free(name);
}

static void
walk_part(struct walk *w, const struct vf_part *p, const struct cover *cv,
    int crypto)
{
	size_t i;

	if (strcmp(p->type, "multipart/encrypted") == 0 &&
	    p->protocol != NULL &&
	    strcmp(p->protocol, "application/pgp-encrypted") == 0) {
		walk_encrypted(w, p, cv, crypto);
		return;
	}
	if (strcmp(p->type, "multipart/signed") == 0 && p->protocol != NULL &&
	    strcmp(p->protocol, "application/pgp-signature") == 0) {
		walk_signed(w, p, cv, crypto);
		return;
	}
	if (strcmp(p->type, "multipart/alternative") == 0) {
		/* One alternative is enough; plain text is what we read. */
		for (i = 0; i < p->nchild; i++)
			if (strcmp(p->child[i]->type, "text/plain") == 0) {
				walk_part(w, p->child[i], cv, crypto);
				return;
			}
	}
	if (p->nchild > 0) {
		for (i = 0; i < p->nchild; i++)
			walk_part(w, p->child[i], cv, crypto);
		return;
	}
	walk_leaf(w, p, cv, crypto);
}

static char *
header_line(const struct vf_part *p, const char *name, int decode)
{
	const char *v;
	char *s;

	if ((v = vf_part_header(p, name)) == NULL)
		return NULL;
	s = decode ? vf_hdr_decode(v) : vf_strdup(v);
	return vf_oneline(s);
}

static int
sig_rank(enum vf_sig s)
{
	switch (s) {
	case VF_SIG_NONE:
		return 0;
	case VF_SIG_GOOD:
		return 1;
	case VF_SIG_EXPIRED:
	case VF_SIG_EXPKEY:
		return 2;
	case VF_SIG_NOKEY:
		return 3;
	case VF_SIG_ERROR:
		return 4;
	case VF_SIG_REVKEY:
		return 5;
	case VF_SIG_BAD:
		return 6;
	}
	return 6;
}

static int
is_office(const struct walk *w, const char *fpr)
{
	return w->office_key != NULL && fpr[0] != '\0' &&
	    strcasecmp(w->office_key, fpr) == 0;
}

/*
 * Does one of the signer's user IDs hold the From address? A good
 * signature is the key's, and only that makes it the sender's.
 */
static void
check_sender(struct walk *w)
{
	struct vf_report *r = w->r;
	struct vf_gpg g;
	const char *p, *nl;
	char *from;
	size_t len;
	int rc;

	r->signer_from = -1;
	if (!gpg_allowed(w, 1))
		return;
	memset(&g, 0, sizeof(g));
	rc = vf_gpg_key_mailboxes(r->signer, &g);
	if (gpg_done(w, &g, rc) != 0 || rc != 0) {
		vf_gpg_free(&g);
		return;
	}
	r->signer_from = 0;
	if ((from = vf_addr_mailbox(r->from)) != NULL) {
		for (p = g.out.p; p != NULL && *p != '\0'; p += len + 1) {
			nl = strchr(p, '\n');
			len = nl != NULL ? (size_t)(nl - p) : strlen(p);
			if (len == strlen(from) && strncasecmp(p, from, len) == 0)
				r->signer_from = 1;
			if (nl == NULL)
				break;
		}
		free(from);
	}
	vf_gpg_free(&g);
}

/*
 * Who signed what: the report's signer is the key whose good signature
 * covers every piece of its text, never just the first good one seen;
 * the verdict on the report is the worst signature on its text; and
 * pieces signed by other keys are said to be.
 */
static void
judge_signatures(struct walk *w)
{
	struct vf_report *r = w->r;
	const struct vf_piece *pc;
	const char *one = NULL;
	size_t i, k;
	int worst = -1, good = 0, unsigned_ = 0, differ = 0, sp;

	for (i = 0; i < r->np; i++) {
		pc = &r->p[i];
		if (pc->attachment || pc->prot != r->prot)
			continue;
		if (pc->sig == VF_SIG_NONE)
			unsigned_++;
		else if (pc->sig == VF_SIG_GOOD) {
			if (one == NULL)
				one = pc->signer;
			else if (strcmp(one, pc->signer) != 0)
				differ = 1;
			good++;
		} else if (worst == -1 ||
		    sig_rank(pc->sig) > sig_rank(r->p[worst].sig))
			worst = (int)i;
	}
	memset(&r->sig, 0, sizeof(r->sig));
	if (worst != -1) {
		if ((sp = r->p[worst].sigi) >= 0)
			r->sig = r->sigv[sp];
		else
			r->sig.sig = r->p[worst].sig;
	} else if (good > 0 && unsigned_ == 0 && !differ) {
		for (i = 0; i < r->np; i++)
			if (r->p[i].signer == one)
				break;
		if ((sp = r->p[i].sigi) >= 0)
			r->sig = r->sigv[sp];
		strlcpy(r->signer, one, sizeof(r->signer));
	} else if (good > 0) {
		r->mixed = 1;
		problem(r, "the report's text is not all signed by one key: "
		    "it has no signer");
	}

	/* Every good signer of the mail, the report's first. */
	if (r->signer[0] != '\0') {
		vf_buf_adds(&r->signer_list, r->signer);
		r->signers = 1;
	}
	for (i = 0; i < r->np; i++) {
		pc = &r->p[i];
		if (pc->sig != VF_SIG_GOOD || pc->signer[0] == '\0')
			continue;
		for (k = 0; k < i; k++)
			if (r->p[k].sig == VF_SIG_GOOD &&
			    strcmp(r->p[k].signer, pc->signer) == 0)
				break;
		if (k < i || strcmp(pc->signer, r->signer) == 0)
			continue;
		/* The list stays one readable line: eight keys at most. */
		if (r->signers < 8) {
			if (r->signer_list.len > 0)
				vf_buf_addc(&r->signer_list, ' ');
			vf_buf_adds(&r->signer_list, pc->signer);
		}
		r->signers++;
	}
	/* Another key's signature on text kept apart is not the report's. */
	k = r->signer[0] != '\0';
	if (r->signers > (int)k)
		problemf(r, "%s signed by a key that did not sign the report: "
		    "%s", k ? "other pieces" : "pieces", r->signer_list.p +
		    (k ? strlen(r->signer) + 1 : 0));
	for (i = 0; i < r->np; i++)
		if (r->p[i].sig == VF_SIG_GOOD && is_office(w, r->p[i].signer)) {
			problem(r, "signed with the office's own key: no "
			    "reporter holds it");
			break;
		}
	r->signer_office = is_office(w, r->signer);
	if (r->signer[0] != '\0') {
		check_sender(w);
		if (r->signer_from == 0)
			problemf(r, "signature good, by %s, whose user IDs do "
			    "not hold the From address", r->signer);
		else if (r->signer_from == -1 && w->rc == 0)
			problemf(r, "signature good, by %s; its user IDs could "
			    "not be compared with the From address", r->signer);
	}
}

int
vf_report_extract(struct vf_report *r, const char *msg, size_t len,
    const struct vf_limits *lim, const char *office_key)
{
	struct walk w;
	struct vf_mime m;
	struct cover cv;
	size_t i;
	int best;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	memset(&cv, 0, sizeof(cv));
	cv.prot = VF_PROT_CLEAR;
	cv.sigi = -1;
	w.r = r;
	w.lim = lim;
	w.office_key = office_key != NULL && *office_key != '\0' ?
	    office_key : NULL;
	r->decrypted = 1;
	r->signer_from = -1;
	strlcpy(r->enc, "none", sizeof(r->enc));

	if (vf_mime_parse(&m, msg, len, lim) != 0 || m.why[0] != '\0')
		problem(r, m.why);
	w.decoded = m.decoded;
	w.nparts = m.nparts;
	r->subject = header_line(m.root, "Subject", 1);
	r->from = header_line(m.root, "From", 1);
	r->from_raw = header_line(m.root, "From", 0);
	r->message_id = header_line(m.root, "Message-ID", 0);
	r->in_reply_to = header_line(m.root, "In-Reply-To", 0);
	r->references = header_line(m.root, "References", 0);

	walk_part(&w, m.root, &cv, 0);

	if (!r->encrypted)
		r->decrypted = 0;
	/*
	 * The report is what the best protection covers. A failed decryption
	 * still lifts the bar: the clear text beside it is not the report.
	 */
	best = r->encrypted ? VF_PROT_ENCRYPTED : VF_PROT_CLEAR;
	for (i = 0; i < r->np; i++)
		if (r->p[i].prot > best)
			best = r->p[i].prot;
	r->prot = best;
	if (w.rc == 0)
		judge_signatures(&w);
	if (r->prot == VF_PROT_ENCRYPTED && w.sources > 1) {
		problemf(r, "the report joins %d messages encrypted apart: "
		    "nothing proves that one sender wrote them all", w.sources);
		/*
		 * Anyone can encrypt to the office's key: unless one key's
		 * good signature covers every one of them, an attacker's
		 * block before or after the reporter's cannot be told from
		 * it, and neither is trusted over the other.
		 */
		if (r->signer[0] == '\0')
			r->apart = w.sources;
	}
	/*
	 * Nothing but ciphertext: the mail can be kept as it came. Not when
	 * a multipart/encrypted held no encryption packet: that original is
	 * no ciphertext at all.
	 */
	r->whole = r->encrypted && !w.notcipher &&
	    strcmp(m.root->type, "multipart/encrypted") == 0;
	if (r->whole)
		for (i = 0; i < r->np; i++)
			if (r->p[i].prot < VF_PROT_ENCRYPTED)
				r->whole = 0;

	vf_mime_free(&m);
	for (i = 0; i < w.ntrees; i++) {
		vf_mime_free(w.trees[i]);
		free(w.trees[i]);
	}
	free(w.trees);
	/* Attachments point into the plaintexts: they stay with the report. */
	r->plain = w.plain;
	r->nplain = w.ntrees;
	return w.rc;
}

void
vf_report_text(const struct vf_report *r, int prot, int below,
    struct vf_buf *b)
{
	size_t i;

	for (i = 0; i < r->np; i++) {
		if (r->p[i].attachment)
			continue;
		if (below ? r->p[i].prot >= prot : r->p[i].prot != prot)
			continue;
		if (b->len > 0)
			vf_buf_adds(b, "\n");
		vf_buf_add(b, r->p[i].data, r->p[i].len);
		vf_buf_adds(b, "\n");
	}
}

void
vf_report_free(struct vf_report *r)
{
	size_t i;

	for (i = 0; i < r->np; i++) {
		free(r->p[i].type);
		free(r->p[i].name);
		if (!r->p[i].ref)
			free(r->p[i].data);
	}
	free(r->p);
	for (i = 0; i < r->nplain; i++)
		free(r->plain[i]);
	free(r->plain);
	free(r->subject);
	free(r->from);
	free(r->from_raw);
	free(r->message_id);
	free(r->in_reply_to);
	free(r->references);
	free(r->sigv);
	vf_buf_free(&r->signer_list);
	vf_buf_free(&r->problems);
	memset(r, 0, sizeof(*r));
}
