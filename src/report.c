/*
 * Taking a report mail apart.
 *
 * A mail is walked as a MIME tree. PGP/MIME (RFC 3156) encrypted and signed
 * parts, and inline armored blocks in any leaf, go through gpg; what gpg
 * opens is parsed again as MIME (PGP/MIME) or taken as text (inline). Every
 * piece of text or attachment found is kept with the protection it came
 * with, and only the best-protected pieces are the report: of a mail partly
 * encrypted, clear text beside the ciphertext is never merged into the
 * report (EFAIL), it is kept apart as "unprotected".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vf.h"

/* Encryption inside encryption is legitimate once or twice, not forever. */
#define CRYPTO_DEPTH	4
/*
 * Each armored block costs a gpg process: a mail of ten thousand tiny
 * blocks would hold a delivery for half an hour. Past this many, blocks
 * are kept as they came (the original has them) and the case says so.
 */
#define GPG_RUNS	32

struct walk {
	struct vf_report	*r;
	const struct vf_limits	*lim;
	/* Decrypted plaintexts and their trees: parts point into them. */
	struct vf_mime		**trees;
	char			**plain;
	size_t			 ntrees;
	int			 rc;		/* first gpg temporary failure */
	int			 runs;		/* gpg processes run */
};

static void	walk_part(struct walk *, const struct vf_part *, int, int);
static void	problem(struct vf_report *, const char *);

/* May gpg run once more for this mail? */
static int
gpg_allowed(struct walk *w)
{
	if (w->runs == GPG_RUNS) {
		problem(w->r, "more than 32 PGP blocks: the rest kept as they "
		    "came");
		w->runs++;
	}
	if (w->runs > GPG_RUNS)
		return 0;
	w->runs++;
	return 1;
}
static int	identity(const struct vf_part *);

static const char ARMOR_MSG[] = "-----BEGIN PGP MESSAGE-----";
static const char ARMOR_MSG_END[] = "-----END PGP MESSAGE-----";
static const char ARMOR_SIGNED[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char ARMOR_SIG_END[] = "-----END PGP SIGNATURE-----";

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

static struct vf_piece *
add_piece(struct vf_report *r, int prot, int attachment, const char *type,
    const char *name, char *data, size_t len)
{
	struct vf_piece *p;

	r->p = vf_reallocarray(r->p, r->np + 1, sizeof(*r->p));
	p = &r->p[r->np++];
	memset(p, 0, sizeof(*p));
	p->prot = prot;
	p->attachment = attachment;
	p->type = vf_strdup(type);
	p->name = name != NULL ? vf_strdup(name) : NULL;
	p->data = data;
	p->len = len;
	return p;
}

static void
add_text(struct walk *w, int prot, const char *s, size_t n, const char *cs)
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
	add_piece(w->r, prot, 0, "text/plain", NULL, t, len);
}

/*
 * gpg's verdict on a signature, merged into the report: the worst verdict
 * of all signatures stands, so one good signature cannot hide a bad one.
 */
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

static void
merge_sig(struct vf_report *r, const struct vf_gpg_status *st)
{
	char why[96];

	if (st->sig == VF_SIG_NONE)
		return;
	if (st->sig != VF_SIG_GOOD) {
		if (snprintf(why, sizeof(why), "signature %s: the text counts "
		    "as clear", vf_sig_name(st->sig)) >= (int)sizeof(why))
			why[sizeof(why) - 1] = '\0';
		problem(r, why);
	}
	if (r->sigs++ == 0 || sig_rank(st->sig) > sig_rank(r->sig.sig))
		r->sig = *st;
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

static const char *
gpg_why(const struct vf_gpg *g, int rc)
{
	if (g->over)
		return "plaintext larger than the decoded-size limit";
	if (g->st.no_seckey)
		return "no secret key";
	if (g->st.badmdc)
		return "integrity check failed (BADMDC)";
	if (g->st.nodata)
		return "no OpenPGP data";
	if (g->st.decryption_failed)
		return "decryption failed";
	if (rc == 0)
		return "empty plaintext";
	return "gpg error";
}

/*
 * Decrypt (or, for a clearsigned block, verify) with gpg. On a temporary
 * failure the walk stops being useful: the caller exits 75 and the MTA
 * retries, so remember it and stop decrypting.
 */
static int
decrypt(struct walk *w, const char *in, size_t n, struct vf_gpg *g,
    const char *how)
{
	char why[160];
	int rc;

	memset(g, 0, sizeof(*g));
	if (w->rc != 0 || !gpg_allowed(w))
		return -1;
	rc = vf_gpg_decrypt(in, n, w->lim->decoded, g);
	if (rc == EX_TEMPFAIL || rc == EX_UNAVAILABLE || rc == EX_OSERR) {
		w->rc = rc == EX_OSERR ? EX_TEMPFAIL : rc;
		return -1;
	}
	if (g->st.enc_to || g->st.begin_decryption || g->st.decryption_okay ||
	    g->st.decryption_failed || g->st.no_seckey) {
		w->r->encrypted = 1;
		set_enc(w->r, how);
	}
	if (rc != 0) {
		if (snprintf(why, sizeof(why), "%s part not opened: %s", how,
		    gpg_why(g, rc)) >= (int)sizeof(why))
			why[sizeof(why) - 1] = '\0';
		problem(w->r, why);
		w->r->decrypted = 0;
		merge_sig(w->r, &g->st);
		return -1;
	}
	merge_sig(w->r, &g->st);
	return 0;
}

/* Keep a plaintext and the MIME tree parsed from it alive until the end. */
static struct vf_mime *
keep_tree(struct walk *w, char *plain, size_t len)
{
	struct vf_mime *m;

	m = vf_calloc(1, sizeof(*m));
	len = vf_mail_normalize(plain, len);
	if (vf_mime_parse(m, plain, len, w->lim) != 0 || m->why[0] != '\0')
		problem(w->r, m->why);
	w->trees = vf_reallocarray(w->trees, w->ntrees + 1, sizeof(*w->trees));
	w->plain = vf_reallocarray(w->plain, w->ntrees + 1, sizeof(*w->plain));
	w->trees[w->ntrees] = m;
	w->plain[w->ntrees++] = plain;
	return m;
}

static void
walk_encrypted(struct walk *w, const struct vf_part *p, int crypto)
{
	struct vf_gpg g;
	struct vf_part *ct;
	struct vf_mime *m;
	char *plain;
	size_t len;
	int rc;

	w->r->encrypted = 1;
	set_enc(w->r, "pgp-mime");
	if (p->nchild < 2 || p->child[1]->data == NULL) {
		problem(w->r, "multipart/encrypted without ciphertext");
		w->r->decrypted = 0;
		return;
	}
	ct = p->child[1];
	if (crypto >= CRYPTO_DEPTH) {
		problem(w->r, "encryption nested too deep");
		w->r->decrypted = 0;
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
		rc = decrypt(w, ct->body, ct->bodylen, &g, "pgp-mime");
	} else
		rc = decrypt(w, ct->data, ct->datalen, &g, "pgp-mime");
	free(ct->data);
	ct->data = NULL;
	ct->datalen = 0;
	if (rc != 0) {
		vf_gpg_free(&g);
		return;
	}
	plain = vf_buf_take(&g.out, &len);
	vf_gpg_free(&g);
	m = keep_tree(w, plain, len);
	walk_part(w, m->root, VF_PROT_ENCRYPTED, crypto + 1);
}

/* RFC 3156 §5: the signed data is the first part, canonical CRLF. */
static void
walk_signed(struct walk *w, const struct vf_part *p, int prot, int crypto)
{
	struct vf_buf data = { 0 };
	const struct vf_part *body, *sig;
	const char *s, *e, *nl;
	struct vf_gpg g;
	int rc, good;

	if (p->nchild < 2 || p->child[1]->data == NULL) {
		problem(w->r, "multipart/signed without a signature");
		if (p->nchild > 0)
			walk_part(w, p->child[0], prot, crypto);
		return;
	}
	body = p->child[0];
	sig = p->child[1];
	vf_buf_grow(&data, body->rawlen + body->rawlen / 32 + 2);
	for (s = body->raw, e = s + body->rawlen; s < e; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL) {
			vf_buf_add(&data, s, (size_t)(e - s));
			break;
		}
		vf_buf_add(&data, s, (size_t)(nl - s));
		vf_buf_add(&data, "\r\n", 2);
	}
	memset(&g, 0, sizeof(g));
	if (w->rc == 0 && gpg_allowed(w)) {
		rc = vf_gpg_verify(data.p, data.len, sig->data, sig->datalen,
		    &g);
		if (rc == EX_TEMPFAIL || rc == EX_UNAVAILABLE ||
		    rc == EX_OSERR)
			w->rc = rc == EX_OSERR ? EX_TEMPFAIL : rc;
		else if (rc != 0)
			problem(w->r, "signature could not be checked");
		else
			merge_sig(w->r, &g.st);
	}
	good = g.st.sig == VF_SIG_GOOD;
	vf_gpg_free(&g);
	vf_buf_free(&data);
	/* Only a good signature makes the text better than clear text. */
	walk_part(w, body, good && prot < VF_PROT_SIGNED ? VF_PROT_SIGNED :
	    prot, crypto);
}

static const char *
find_line(const char *s, size_t n, const char *line)
{
	const char *p, *end = s + n;
	size_t ll = strlen(line);

	for (p = s; p < end; ) {
		if ((size_t)(end - p) >= ll && memcmp(p, line, ll) == 0 &&
		    (p + ll == end || p[ll] == '\n' || p[ll] == '\r' ||
		    p[ll] == ' ' || p[ll] == '\t'))
			return p;
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
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

/*
 * A text leaf: clear text, with inline armored blocks decrypted or verified
 * in place. Text outside a block keeps the leaf's protection (usually none):
 * a sentence before an encrypted block is not part of the encrypted report.
 */
static void
walk_text(struct walk *w, const struct vf_part *p, const char *s, size_t n,
    int prot, int crypto)
{
	const char *end = s + n, *b, *be, *bs, *bsig, *stop;
	const char *nextmsg, *nextsig;
	struct vf_gpg g;
	char *plain;
	size_t len;
	int isenc;

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
		if (b == NULL || (bs != NULL && bs < b)) {
			b = bs;
			isenc = 0;
		} else
			isenc = 1;
		if (b == NULL || crypto >= CRYPTO_DEPTH) {
			add_text(w, prot, s, (size_t)(end - s), p->charset);
			return;
		}
		if (isenc)
			be = find_line(b, (size_t)(end - b), ARMOR_MSG_END);
		else {
			bsig = find_line(b, (size_t)(end - b), ARMOR_SIG_END);
			be = bsig;
		}
		if (be == NULL) {
			problem(w->r, "armored block without its end line");
			add_text(w, prot, s, (size_t)(end - s), p->charset);
			return;
		}
		stop = line_after(be, end);
		add_text(w, prot, s, (size_t)(b - s), p->charset);
		if (decrypt(w, b, (size_t)(stop - b), &g,
		    isenc ? "inline" : "inline-signed") == 0) {
			plain = vf_buf_take(&g.out, &len);
			add_text(w, isenc ? VF_PROT_ENCRYPTED :
			    g.st.sig == VF_SIG_GOOD && prot < VF_PROT_SIGNED ?
			    VF_PROT_SIGNED : prot, plain, len, p->charset);
			free(plain);
		} else if (!isenc) {
			/* A signed block gpg could not check is still text. */
			add_text(w, prot, b, (size_t)(stop - b), p->charset);
		}
		vf_gpg_free(&g);
		s = stop;
	}
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
walk_leaf(struct walk *w, const struct vf_part *p, int prot, int crypto)
{
	struct vf_piece *pc;
	const char *cte;
	char *name, *copy;

	if (p->data == NULL)
		return;
	if (strncmp(p->type, "text/plain", 10) == 0 ||
	    (strncmp(p->type, "text/", 5) != 0 &&
	    starts_armored(p->data, p->datalen))) {
		/* A report is often attached as report.txt: it is text. */
		walk_text(w, p, p->data, p->datalen, prot, crypto);
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
	 * HTML and everything else is kept as it came, never rendered. The
	 * piece points at the body in the mail (which outlives the report)
	 * rather than at a copy of it.
	 */
	name = safe_name(p->filename);
	if ((cte = keep_encoded(p)) != NULL || identity(p)) {
		pc = add_piece(w->r, prot, 1, p->type, name, (char *)p->body,
		    p->bodylen);
		pc->cte = cte;
		pc->ref = 1;
	} else {
		copy = vf_malloc(p->datalen + 1);
		memcpy(copy, p->data, p->datalen);
		copy[p->datalen] = '\0';
		add_piece(w->r, prot, 1, p->type, name, copy, p->datalen);
	}
	free(name);
}

static void
walk_part(struct walk *w, const struct vf_part *p, int prot, int crypto)
{
	size_t i;

	if (strcmp(p->type, "multipart/encrypted") == 0 &&
	    p->protocol != NULL &&
	    strcmp(p->protocol, "application/pgp-encrypted") == 0) {
		walk_encrypted(w, p, crypto);
		return;
	}
	if (strcmp(p->type, "multipart/signed") == 0 && p->protocol != NULL &&
	    strcmp(p->protocol, "application/pgp-signature") == 0) {
		walk_signed(w, p, prot, crypto);
		return;
	}
	if (strcmp(p->type, "multipart/alternative") == 0) {
		/* One alternative is enough; plain text is what we read. */
		for (i = 0; i < p->nchild; i++)
			if (strcmp(p->child[i]->type, "text/plain") == 0) {
				walk_part(w, p->child[i], prot, crypto);
				return;
			}
	}
	if (p->nchild > 0) {
		for (i = 0; i < p->nchild; i++)
			walk_part(w, p->child[i], prot, crypto);
		return;
	}
	walk_leaf(w, p, prot, crypto);
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

int
vf_report_extract(struct vf_report *r, const char *msg, size_t len,
    const struct vf_limits *lim)
{
	struct walk w;
	struct vf_mime m;
	size_t i;
	int best;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	w.r = r;
	w.lim = lim;
	r->decrypted = 1;
	strlcpy(r->enc, "none", sizeof(r->enc));

	if (vf_mime_parse(&m, msg, len, lim) != 0 || m.why[0] != '\0')
		problem(r, m.why);
	r->subject = header_line(m.root, "Subject", 1);
	r->from = header_line(m.root, "From", 1);
	r->from_raw = header_line(m.root, "From", 0);
	r->message_id = header_line(m.root, "Message-ID", 0);
	r->in_reply_to = header_line(m.root, "In-Reply-To", 0);
	r->references = header_line(m.root, "References", 0);

	walk_part(&w, m.root, VF_PROT_CLEAR, 0);

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
	/* Nothing but ciphertext: the mail can be kept as it came. */
	r->whole = r->encrypted &&
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
	vf_buf_free(&r->problems);
	memset(r, 0, sizeof(*r));
}
