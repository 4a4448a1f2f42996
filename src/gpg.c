/*
 * gpg through its machine interface.
 *
 * Every decision here is taken on --status-fd lines, never on gpg's prose
 * (which is translated, and which tells the plaintext apart from gpg's own
 * words only by position). Status goes to its own descriptor, 3, and never
 * shares a stream with --verbose output or plaintext, so a crafted file
 * name or user ID cannot forge a status line (CVE-2018-12020).
 *
 * What gpg 2.2.40 says, and what we make of it (t/data/gpg/ holds the
 * transcripts, t/unit/test_gpg.c checks each one):
 *
 *  - A good decryption: ENC_TO, BEGIN_DECRYPTION, PLAINTEXT, DECRYPTION_OKAY,
 *    GOODMDC, END_DECRYPTION, exit 0. Signed inside: NEWSIG ... as below.
 *    Signer's key missing: ERRSIG ... 9 and exit 2, still a good decryption.
 *  - Tampered ciphertext: the plaintext is written first and only then BADMDC
 *    and DECRYPTION_FAILED: nothing written counts until gpg has exited.
 *  - Encrypted and signed, signature bad (BADSIG) or expired (EXPSIG): gpg
 *    stops after the signature, before the integrity check: no
 *    DECRYPTION_OKAY, exit 1. We then decrypt once more with --skip-verify
 *    (only on this rare path) and report the plaintext with the verdict of
 *    the first run.
 *  - Not our key: NO_SECKEY, DECRYPTION_FAILED. The agent unreachable says
 *    exactly the same (gpg 2.2 folds the agent's error into "no secret key"
 *    and prints the cause only in prose). So on that path only, one more gpg
 *    run, "--list-secret-keys KEYID...", tells them apart by status: an
 *    unreachable agent gives "ERROR keylist.getkey 33554509"
 *    (GPG_ERR_NO_AGENT), a missing key "ERROR keylist.getkey 17".
 *  - A key the agent cannot unlock (passphrase, no pinentry): "ERROR
 *    pkdecrypt_failed 67108949" (GPG_ERR_NO_PIN_ENTRY from the agent):
 *    temporary. With several recipient keys this line also appears when
 *    another key then works, so it does not count as an error: the ERROR
 *    exemption, and the only one, besides "FAILURE gpg-exit", which only
 *    repeats a non-zero exit (bad signature).
 *  - Passphrase-encrypted (NEED_PASSPHRASE_SYM): permanent, we hold no
 *    passphrase. --pinentry-mode error keeps the agent from asking anyone.
 *  - --max-output exceeded: gpg still says DECRYPTION_OKAY, exits 2 and
 *    writes a truncated plaintext. So gpg gets max + 1 MiB and we keep max:
 *    more than max read means too big; and a non-zero exit is accepted only
 *    when a signature explains it.
 *
 * Decision for decrypt (vf_gpg_decrypt_ok): gpg exited (no signal), output
 * not empty, PLAINTEXT seen, none of DECRYPTION_FAILED, BADMDC, NODATA or a
 * counted ERROR/FAILURE; then, if it was encrypted (ENC_TO, BEGIN_DECRYPTION,
 * DECRYPTION_OKAY or NEED_PASSPHRASE_SYM seen), DECRYPTION_OKAY; if not, a
 * signature was checked (signed-only input: clearsigned or inline signed).
 * A non-zero exit only with a signature that is not good.
 *
 * Signatures: each starts at NEWSIG (or at a second verdict line). GOODSIG
 * is good only with a well-formed VALIDSIG of the same key; the fingerprint
 * kept is the primary key's (VALIDSIG's 10th field). Fingerprints are 40
 * hex digits, kept uppercase; a 64-digit (v5) one is not truncated but makes
 * the signature VF_SIG_ERROR: a prefix of a fingerprint identifies nothing.
 * Of several signatures the worst wins, in this order (worst last): good,
 * expired signature, expired key, no key, error, revoked key, bad; its key
 * ID, fingerprint and trust are the ones kept.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "vf.h"

#define GPG_ERRMAX	(64 * 1024)
#define GPG_STATUSMAX	(1024 * 1024)
/* What gpg may write beyond max (it stops at a 32 KiB write boundary). */
#define GPG_SLACK	(1024 * 1024)
#define GPG_MAXTOK	12
#define GPG_MAXARG	48
#define GPG_PROBEKEYS	16

/* gpg-error codes (libgpg-error's gpg-error.h). */
#define GE_CODE(e)		((e) & 0xffffUL)
#define GE_SYSTEM		0x8000UL
#define GE_UNKNOWN_ERRNO	0xffffUL
#define GE_NO_AGENT		77
#define GE_AGENT		78
#define GE_NO_PIN_ENTRY		85
#define GE_PIN_ENTRY		86
#define GE_ASS_FIRST		257
#define GE_ASS_LAST		281

struct tok {
	const char	*p;
	size_t		 n;
};

enum verdict { V_NONE, V_GOOD, V_EXP, V_EXPKEY, V_REVKEY, V_BAD, V_ERR };

/* One signature while its status lines come in. */
struct sigrec {
	int		 any;
	enum verdict	 verdict;
	int		 errsig_rc;	/* ERRSIG's rc */
	int		 validsig;	/* 0 none, 1 well-formed, -1 not */
	char		 keyid[17];	/* from the verdict line */
	char		 signer[17];	/* key ID of VALIDSIG's signing key */
	char		 fpr[41];	/* VALIDSIG's primary key */
	enum vf_trust	 trust;
};

static int
tokeq(const struct tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->p, s, n) == 0;
}

static int
ishex(const struct tok *t, size_t n)
{
	size_t i;

	if (t->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((t->p[i] >= '0' && t->p[i] <= '9') ||
		    (t->p[i] >= 'A' && t->p[i] <= 'F') ||
		    (t->p[i] >= 'a' && t->p[i] <= 'f')))
			return 0;
	return 1;
}

/* Copy n hex digits, uppercased, from the end of t; dst holds n + 1. */
static void
hexcpy(char *dst, const struct tok *t, size_t n)
{
	const char *s = t->p + t->n - n;
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (s[i] >= 'a' && s[i] <= 'f') ? s[i] - 'a' + 'A' :
		    s[i];
	dst[n] = '\0';
}

/* A key ID from a 16-digit ID or a 40-digit fingerprint; "" if neither. */
static void
keyidcpy(char *dst, const struct tok *t)
{
	if (ishex(t, 16) || ishex(t, 40))
		hexcpy(dst, t, 16);
	else
		dst[0] = '\0';
}

/* A decimal error code; 0 if it is not one. */
static unsigned long
errcode(const struct tok *t)
{
	unsigned long long v = 0;
	size_t i;

	if (t->n == 0 || t->n > 10)
		return 0;
	for (i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return 0;
		v = v * 10 + (unsigned long long)(t->p[i] - '0');
	}
	/* gpg_error_t is 32 bits; anything wider is not one. */
	return v > 0xffffffffULL ? 0 : (unsigned long)v;
}

static int
rank(enum vf_sig s)
{
	switch (s) {
	case VF_SIG_NONE:	return 0;
	case VF_SIG_GOOD:	return 1;
	case VF_SIG_EXPIRED:	return 2;
	case VF_SIG_EXPKEY:	return 3;
	case VF_SIG_NOKEY:	return 4;
	case VF_SIG_ERROR:	return 5;
	case VF_SIG_REVKEY:	return 6;
	case VF_SIG_BAD:	return 7;
	}
	return 7;
}

static enum vf_sig
judge(const struct sigrec *r)
{
	switch (r->verdict) {
	case V_GOOD:
		if (r->validsig == 1 && r->keyid[0] != '\0' &&
		    strcmp(r->keyid, r->signer) == 0)
			return VF_SIG_GOOD;
		return VF_SIG_ERROR;
	case V_EXP:
		return VF_SIG_EXPIRED;
	case V_EXPKEY:
		return VF_SIG_EXPKEY;
	case V_REVKEY:
		return VF_SIG_REVKEY;
	case V_BAD:
		return VF_SIG_BAD;
	case V_ERR:
		return r->errsig_rc == 9 ? VF_SIG_NOKEY : VF_SIG_ERROR;
	case V_NONE:
		break;
	}
	/* VALIDSIG without any verdict line. */
	return VF_SIG_ERROR;
}

static void
sig_done(struct vf_gpg_status *st, struct sigrec *r)
{
	enum vf_sig v;

	if (r->any) {
		v = judge(r);
		if (rank(v) > rank(st->sig)) {
			st->sig = v;
			memcpy(st->sig_keyid, r->keyid, sizeof(st->sig_keyid));
			if (r->validsig == 1)
				memcpy(st->sig_fpr, r->fpr,
				    sizeof(st->sig_fpr));
			else
				st->sig_fpr[0] = '\0';
			st->trust = r->trust;
		}
	}
	memset(r, 0, sizeof(*r));
}

static void
sig_verdict(struct vf_gpg_status *st, struct sigrec *r, enum verdict v,
    const struct tok *tok, size_t ntok)
{
	/* A second verdict without NEWSIG is a second signature. */
	if (r->verdict != V_NONE)
		sig_done(st, r);
	r->any = 1;
	r->verdict = v;
	if (ntok > 1)
		keyidcpy(r->keyid, &tok[1]);
	if (v == V_ERR)
		r->errsig_rc = ntok > 6 && tokeq(&tok[6], "9") ? 9 : -1;
}

static void
sig_valid(struct sigrec *r, const struct tok *tok, size_t ntok)
{
	const struct tok *primary;

	r->any = 1;
	if (r->validsig != 0) {
		/* Two VALIDSIG for one signature: trust neither. */
		r->validsig = -1;
		return;
	}
	/*
	 * VALIDSIG <fpr> <date> <timestamp> <expire> <version> <reserved>
	 * <pkalgo> <hashalgo> <class> [<primary-fpr>]
	 */
	primary = ntok > 10 ? &tok[10] : &tok[1];
	if (ntok < 2 || !ishex(&tok[1], 40) || !ishex(primary, 40)) {
		r->validsig = -1;
		return;
	}
	hexcpy(r->signer, &tok[1], 16);
	hexcpy(r->fpr, primary, 40);
	r->validsig = 1;
}

static int
agent_code(unsigned long code)
{
	return code == GE_NO_AGENT || code == GE_AGENT ||
	    code == GE_NO_PIN_ENTRY || code == GE_PIN_ENTRY ||
	    (code >= GE_ASS_FIRST && code <= GE_ASS_LAST);
}

static void
parse_line(struct vf_gpg_status *st, struct sigrec *r, const char *p,
    size_t n)
{
	static const char prefix[] = "[GNUPG:] ";
	struct tok tok[GPG_MAXTOK];
	size_t ntok, i, start;
	unsigned long code;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n < sizeof(prefix) - 1 ||
	    memcmp(p, prefix, sizeof(prefix) - 1) != 0)
		return;
	p += sizeof(prefix) - 1;
	n -= sizeof(prefix) - 1;
	ntok = 0;
	for (i = 0; i < n && ntok < GPG_MAXTOK; ) {
		while (i < n && p[i] == ' ')
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && p[i] != ' ')
			i++;
		tok[ntok].p = p + start;
		tok[ntok].n = i - start;
		ntok++;
	}
	if (ntok == 0)
		return;

	if (tokeq(&tok[0], "NEWSIG"))
		sig_done(st, r);
	else if (tokeq(&tok[0], "GOODSIG"))
		sig_verdict(st, r, V_GOOD, tok, ntok);
	else if (tokeq(&tok[0], "EXPSIG"))
		sig_verdict(st, r, V_EXP, tok, ntok);
	else if (tokeq(&tok[0], "EXPKEYSIG"))
		sig_verdict(st, r, V_EXPKEY, tok, ntok);
	else if (tokeq(&tok[0], "REVKEYSIG"))
		sig_verdict(st, r, V_REVKEY, tok, ntok);
	else if (tokeq(&tok[0], "BADSIG"))
		sig_verdict(st, r, V_BAD, tok, ntok);
	else if (tokeq(&tok[0], "ERRSIG"))
		sig_verdict(st, r, V_ERR, tok, ntok);
	else if (tokeq(&tok[0], "VALIDSIG"))
		sig_valid(r, tok, ntok);
	else if (tokeq(&tok[0], "TRUST_UNDEFINED"))
		r->trust = VF_TRUST_UNDEFINED;
	else if (tokeq(&tok[0], "TRUST_NEVER"))
		r->trust = VF_TRUST_NEVER;
	else if (tokeq(&tok[0], "TRUST_MARGINAL"))
		r->trust = VF_TRUST_MARGINAL;
	else if (tokeq(&tok[0], "TRUST_FULLY"))
		r->trust = VF_TRUST_FULLY;
	else if (tokeq(&tok[0], "TRUST_ULTIMATE"))
		r->trust = VF_TRUST_ULTIMATE;
	else if (tokeq(&tok[0], "DECRYPTION_OKAY"))
		st->decryption_okay = 1;
	else if (tokeq(&tok[0], "DECRYPTION_FAILED"))
		st->decryption_failed = 1;
	else if (tokeq(&tok[0], "BADMDC"))
		st->badmdc = 1;
	else if (tokeq(&tok[0], "NODATA"))
		st->nodata = 1;
	else if (tokeq(&tok[0], "NO_SECKEY"))
		st->no_seckey = 1;
	else if (tokeq(&tok[0], "ENC_TO"))
		st->enc_to++;
	else if (tokeq(&tok[0], "BEGIN_DECRYPTION"))
		st->begin_decryption = 1;
	else if (tokeq(&tok[0], "PLAINTEXT"))
		st->plaintext = 1;
	else if (tokeq(&tok[0], "INV_RECP"))
		st->inv_recp = 1;
	else if (tokeq(&tok[0], "END_ENCRYPTION"))
		st->end_encryption = 1;
	else if (tokeq(&tok[0], "NEED_PASSPHRASE_SYM"))
		st->symmetric = 1;
	else if (tokeq(&tok[0], "ERROR") || tokeq(&tok[0], "FAILURE")) {
		/* ERROR|FAILURE <location> <code> [...] */
		code = ntok > 2 ? GE_CODE(errcode(&tok[2])) : 0;
		if (agent_code(code))
			st->agent = 1;
		if ((code & GE_SYSTEM) && code != GE_UNKNOWN_ERRNO)
			st->sys = 1;
		if (ntok > 1 && tokeq(&tok[0], "ERROR") &&
		    tokeq(&tok[1], "pkdecrypt_failed"))
			;	/* one key failed; DECRYPTION_OKAY decides */
		else if (ntok > 1 && tokeq(&tok[0], "FAILURE") &&
		    tokeq(&tok[1], "gpg-exit"))
			;	/* only the exit code, judged on its own */
		else
			st->error++;
	}
}

void
vf_gpg_status_parse(struct vf_gpg_status *st, const char *p, size_t n)
{
	struct sigrec r;
	const char *nl, *end = p + n;
	size_t len;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		parse_line(st, &r, p, len);
		p += len + (nl != NULL);
	}
	sig_done(st, &r);
}

static int
encrypted(const struct vf_gpg_status *st)
{
	return st->enc_to || st->begin_decryption || st->decryption_okay ||
	    st->symmetric;
}

int
vf_gpg_decrypt_ok(const struct vf_gpg_status *st, int wstatus,
    size_t outlen)
{
	if (!WIFEXITED(wstatus) || outlen == 0 || !st->plaintext)
		return 0;
	if (st->decryption_failed || st->badmdc || st->nodata || st->error)
		return 0;
	if (encrypted(st)) {
		if (!st->decryption_okay)
			return 0;
	} else if (st->sig == VF_SIG_NONE)
		return 0;
	/* gpg exits 1 or 2 for a signature it could not vouch for only. */
	if (WEXITSTATUS(wstatus) != 0 &&
	    (st->sig == VF_SIG_NONE || st->sig == VF_SIG_GOOD))
		return 0;
	return 1;
}

const char *
vf_sig_name(enum vf_sig s)
{
	switch (s) {
	case VF_SIG_NONE:	return "none";
	case VF_SIG_GOOD:	return "good";
	case VF_SIG_BAD:	return "bad";
	case VF_SIG_EXPIRED:	return "expired";
	case VF_SIG_EXPKEY:	return "expired-key";
	case VF_SIG_REVKEY:	return "revoked-key";
	case VF_SIG_NOKEY:	return "no-key";
	case VF_SIG_ERROR:	return "error";
	}
	return "invalid";
}

const char *
vf_trust_name(enum vf_trust t)
{
	switch (t) {
	case VF_TRUST_UNKNOWN:		return "unknown";
	case VF_TRUST_UNDEFINED:	return "undefined";
	case VF_TRUST_NEVER:		return "never";
	case VF_TRUST_MARGINAL:		return "marginal";
	case VF_TRUST_FULLY:		return "full";
	case VF_TRUST_ULTIMATE:		return "ultimate";
	}
	return "invalid";
}

/* Plaintext must not linger in freed memory. */
static void
wipe(struct vf_buf *b)
{
	if (b->p != NULL) {
		explicit_bzero(b->p, b->cap);
		b->p[0] = '\0';
	}
	b->len = 0;
}

void
vf_gpg_free(struct vf_gpg *g)
{
	wipe(&g->out);
	vf_buf_free(&g->out);
	vf_buf_free(&g->err);
	vf_buf_free(&g->status);
	memset(g, 0, sizeof(*g));
}

static const char *
gpg_program(void)
{
	const char *s = getenv("VF_GPG");

	return s != NULL && *s != '\0' ? s : "gpg";
}

/*
 * Run gpg with the fixed head of its argument vector and then args.
 * stdin gets in, fd 4 sig (when not NULL), stdout goes to out (or
 * /dev/null), stderr and status into g. The status is appended to
 * g->status; *statusover is set when it did not fit.
 */
static int
gpg_run(struct vf_gpg *g, const char *const *args, const char *in,
    size_t inlen, const char *sig, size_t siglen, struct vf_buf *out,
    size_t outmax, int *outover, int *statusover)
{
	char *argv[GPG_MAXARG];
	struct vf_io io[5];
	size_t n = 0, nio = 0, i, ist;
	int rc;

	argv[n++] = (char *)gpg_program();
	argv[n++] = "--batch";
	argv[n++] = "--no-tty";
	argv[n++] = "--status-fd";
	argv[n++] = "3";
	for (i = 0; args[i] != NULL; i++) {
		if (n >= GPG_MAXARG - 1)
			return EX_SOFTWARE;
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;

	memset(io, 0, sizeof(io));
	io[nio].fd = 0;
	io[nio].in = in != NULL ? in : "";
	io[nio++].inlen = in != NULL ? inlen : 0;
	if (out != NULL) {
		io[nio].fd = 1;
		io[nio].out = out;
		io[nio++].max = outmax;
	}
	io[nio].fd = 2;
	io[nio].out = &g->err;
	io[nio++].max = GPG_ERRMAX;
	ist = nio;
	io[nio].fd = 3;
	io[nio].out = &g->status;
	/* Appending: the limit counts the whole buffer. */
	io[nio++].max = g->status.len + GPG_STATUSMAX;
	if (sig != NULL) {
		io[nio].fd = 4;
		io[nio].in = sig;
		io[nio++].inlen = siglen;
	}
	g->err.len = 0;
	if (g->err.p != NULL)
		g->err.p[0] = '\0';
	rc = vf_run(argv, io, nio, &g->wstatus);
	if (out != NULL && outover != NULL)
		*outover = io[1].over;
	if (statusover != NULL)
		*statusover = io[ist].over;
	return rc;
}

static void
reset(struct vf_gpg *g)
{
	wipe(&g->out);
	g->err.len = 0;
	g->status.len = 0;
	if (g->err.p != NULL)
		g->err.p[0] = '\0';
	if (g->status.p != NULL)
		g->status.p[0] = '\0';
	memset(&g->st, 0, sizeof(g->st));
	g->wstatus = 0;
	g->over = 0;
}

/* gpg killed: by a crash on what it read (permanent) or from outside. */
static int
killed(int wstatus)
{
	switch (WTERMSIG(wstatus)) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGABRT:
	case SIGSYS: case SIGTRAP:
		return EX_DATAERR;
	default:
		return EX_TEMPFAIL;
	}
}

static int
tokhex16_nonzero(const struct tok *t)
{
	size_t i;

	if (!ishex(t, 16))
		return 0;
	for (i = 0; i < 16; i++)
		if (t->p[i] != '0')
			return 1;
	return 0;
}

/*
 * NO_SECKEY: not our key, or an agent we could not reach (gpg 2.2 says
 * the same in status for both). Ask gpg to list the secret keys of the
 * ENC_TO key IDs: that names the agent's error in status. Hidden
 * recipients (key ID 0) cannot be asked about: then no.
 */
static int
agent_down(const char *status, size_t n)
{
	const char *args[4 + GPG_PROBEKEYS + 1];
	char ids[GPG_PROBEKEYS][17];
	struct vf_gpg g;
	struct tok t;
	const char *p = status, *end = status + n, *nl, *q;
	size_t len, nid = 0, na = 0, i;
	int down, statusover;

	while (p < end && nid < GPG_PROBEKEYS) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (len > 26 && memcmp(p, "[GNUPG:] ENC_TO ", 16) == 0) {
			t.p = p + 16;
			for (q = t.p; q < p + len && *q != ' '; q++)
				;
			t.n = (size_t)(q - t.p);
			if (tokhex16_nonzero(&t)) {
				hexcpy(ids[nid], &t, 16);
				for (i = 0; i < nid; i++)
					if (strcmp(ids[i], ids[nid]) == 0)
						break;
				if (i == nid)
					nid++;
			}
		}
		p += len + (nl != NULL);
	}
	if (nid == 0)
		return 0;
	args[na++] = "--with-colons";
	args[na++] = "--list-secret-keys";
	args[na++] = "--";
	for (i = 0; i < nid; i++)
		args[na++] = ids[i];
	args[na] = NULL;

	memset(&g, 0, sizeof(g));
	down = 0;
	if (gpg_run(&g, args, NULL, 0, NULL, 0, NULL, 0, NULL,
	    &statusover) == 0 && !statusover) {
		vf_gpg_status_parse(&g.st, g.status.p != NULL ? g.status.p :
		    "", g.status.len);
		down = g.st.agent || g.st.sys;
	}
	vf_gpg_free(&g);
	return down;
}

static void
parse(struct vf_gpg *g, size_t from)
{
	vf_gpg_status_parse(&g->st, g->status.p != NULL ? g->status.p + from :
	    "", g->status.len - from);
}

/*
 * --pinentry-mode error: a hostile mail must not make the agent ask a
 * person for anything (nor block delivery while it waits); a cached
 * passphrase still works. --no-auto-key-retrieve: looking up a signer's
 * key on the network would tell a sender when the mail was read, and cost
 * a timeout per mail.
 */
int
vf_gpg_decrypt(const char *in, size_t n, size_t max, struct vf_gpg *g)
{
	char maxarg[32];
	const char *args[] = { "--pinentry-mode", "error",
	    "--no-auto-key-retrieve", "--max-output", maxarg, "--decrypt",
	    NULL };
	const char *args2[] = { "--pinentry-mode", "error",
	    "--no-auto-key-retrieve", "--max-output", maxarg, "--skip-verify",
	    "--decrypt", NULL };
	struct vf_gpg_status first;
	size_t lim, from;
	int rc, statusover, c;

	reset(g);
	lim = max > SIZE_MAX - GPG_SLACK ? SIZE_MAX : max + GPG_SLACK;
	c = snprintf(maxarg, sizeof(maxarg), "%zu", lim);
	if (c < 0 || (size_t)c >= sizeof(maxarg))
		return EX_SOFTWARE;

	if ((rc = gpg_run(g, args, in, n, NULL, 0, &g->out, max, &g->over,
	    &statusover)) != 0)
		goto fail;
	if (WIFSIGNALED(g->wstatus)) {
		rc = killed(g->wstatus);
		goto fail;
	}
	parse(g, 0);
	if (statusover || g->over) {
		rc = EX_DATAERR;
		goto fail;
	}
	if (vf_gpg_decrypt_ok(&g->st, g->wstatus, g->out.len))
		return 0;

	/*
	 * Encrypted and signed, and gpg stopped at a bad or expired
	 * signature before the integrity check: decrypt again without
	 * verifying, keep the first verdict.
	 */
	if (encrypted(&g->st) && !g->st.decryption_okay &&
	    !g->st.decryption_failed && !g->st.badmdc && !g->st.nodata &&
	    !g->st.symmetric && g->st.sig != VF_SIG_NONE &&
	    g->st.sig != VF_SIG_GOOD) {
		first = g->st;
		wipe(&g->out);
		from = g->status.len;
		if ((rc = gpg_run(g, args2, in, n, NULL, 0, &g->out, max,
		    &g->over, &statusover)) != 0)
			goto fail;
		if (WIFSIGNALED(g->wstatus)) {
			rc = killed(g->wstatus);
			goto fail;
		}
		parse(g, from);
		if (statusover || g->over) {
			rc = EX_DATAERR;
			goto fail;
		}
		if (g->st.sig == VF_SIG_NONE &&
		    vf_gpg_decrypt_ok(&g->st, g->wstatus, g->out.len)) {
			g->st.sig = first.sig;
			g->st.trust = first.trust;
			memcpy(g->st.sig_fpr, first.sig_fpr,
			    sizeof(g->st.sig_fpr));
			memcpy(g->st.sig_keyid, first.sig_keyid,
			    sizeof(g->st.sig_keyid));
			return 0;
		}
	}

	/* What the data itself proved wrong stays wrong on a retry. */
	if (g->st.symmetric || g->st.badmdc)
		rc = EX_DATAERR;
	else if (g->st.agent || g->st.sys)
		rc = EX_TEMPFAIL;
	else if (g->st.no_seckey && !g->st.decryption_okay &&
	    agent_down(g->status.p, g->status.len))
		rc = EX_TEMPFAIL;
	else
		rc = EX_DATAERR;
fail:
	wipe(&g->out);
	return rc;
}

int
vf_gpg_verify(const char *data, size_t n, const char *sig, size_t siglen,
    struct vf_gpg *g)
{
	/* Signature on fd 4, signed data on stdin: nothing touches disk. */
	const char *args[] = { "--no-auto-key-retrieve",
	    "--enable-special-filenames", "--verify", "--", "-&4", "-", NULL };
	int rc, statusover;

	reset(g);
	if ((rc = gpg_run(g, args, data, n, sig != NULL ? sig : "",
	    sig != NULL ? siglen : 0, NULL, 0, NULL, &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus))
		return killed(g->wstatus);
	parse(g, 0);
	if (statusover)
		return EX_DATAERR;
	if (g->st.sig != VF_SIG_NONE)
		return 0;
	if (g->st.agent || g->st.sys)
		return EX_TEMPFAIL;
	return EX_DATAERR;
}

int
vf_gpg_encrypt(const char *in, size_t n, const char *fpr, struct vf_gpg *g)
{
	const char *args[] = { "--trust-model", "always", "--armor",
	    "--encrypt", "--recipient", fpr, NULL };
	struct tok t;
	size_t max;
	int rc, statusover, over;

	reset(g);
	/*
	 * Only a full fingerprint names exactly one key; a user ID or a
	 * short ID could pick another.
	 */
	t.p = fpr != NULL ? fpr : "";
	t.n = strlen(t.p);
	if (!ishex(&t, 40) && !ishex(&t, 64))
		return EX_CONFIG;
	/* Armoured ciphertext: compressed, 4/3 and line ends, plus headers. */
	max = n > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : n * 2 + 65536;
	over = 0;
	if ((rc = gpg_run(g, args, in, n, NULL, 0, &g->out, max, &over,
	    &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus))
		return EX_TEMPFAIL;
	parse(g, 0);
	if (!statusover && !over && g->st.end_encryption && !g->st.error &&
	    WIFEXITED(g->wstatus) && WEXITSTATUS(g->wstatus) == 0 &&
	    g->out.len > 0)
		return 0;
	g->out.len = 0;
	if (g->out.p != NULL)
		g->out.p[0] = '\0';
	if (g->st.inv_recp)
		return EX_CONFIG;
	return EX_TEMPFAIL;
}

/* A status keyword at the start of a line of the status output. */
static const char *
status_line(const struct vf_gpg *g, const char *kw)
{
	const char *p = g->status.p != NULL ? g->status.p : "";
	size_t n = strlen(kw);

	for (; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n') {
		if (strncmp(p, "[GNUPG:] ", 9) == 0 &&
		    strncmp(p + 9, kw, n) == 0 &&
		    (p[9 + n] == ' ' || p[9 + n] == '\n' || p[9 + n] == '\0'))
			return p + 9 + n;
	}
	return NULL;
}

/*
 * Delete a public key by its full fingerprint. gpg says nothing on
 * success and "DELETE_PROBLEM 1" when the key is not there (gone already:
 * done), "2" when a secret key belongs to it (never ours to delete: a
 * reporter's key in the office keyring has no secret part).
 */
int
vf_gpg_delete_key(const char *fpr, struct vf_gpg *g)
{
	const char *args[] = { "--yes", "--delete-keys", "--", fpr, NULL };
	const char *dp;
	struct tok t;
	int rc, statusover;

	reset(g);
	t.p = fpr != NULL ? fpr : "";
	t.n = strlen(t.p);
	if (!ishex(&t, 40) && !ishex(&t, 64))
		return EX_SOFTWARE;
	if ((rc = gpg_run(g, args, NULL, 0, NULL, 0, NULL, 0, NULL,
	    &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus) || statusover)
		return EX_TEMPFAIL;
	if ((dp = status_line(g, "DELETE_PROBLEM")) != NULL) {
		if (strncmp(dp, " 1", 2) == 0)
			return 0;
		return strncmp(dp, " 2", 2) == 0 ? EX_DATAERR : EX_TEMPFAIL;
	}
	parse(g, 0);
	if (g->st.error || !WIFEXITED(g->wstatus) ||
	    WEXITSTATUS(g->wstatus) != 0)
		return g->st.sys ? EX_TEMPFAIL : EX_DATAERR;
	return 0;
}

/*
 * Run gpg for some armored output about the key fpr (a full fingerprint):
 * good only when the status names kw, gpg exited 0 and wrote something.
 */
static int
gpg_output(struct vf_gpg *g, const char *const *args, const char *in,
    size_t n, const char *fpr, const char *kw)
{
	struct tok t;
	int rc, statusover, over = 0;

	reset(g);
	t.p = fpr != NULL ? fpr : "";
	t.n = strlen(t.p);
	if (!ishex(&t, 40) && !ishex(&t, 64))
		return EX_CONFIG;
	if ((rc = gpg_run(g, args, in, n, NULL, 0, &g->out, 1024 * 1024,
	    &over, &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus) || statusover || over)
		return EX_TEMPFAIL;
	parse(g, 0);
	if (status_line(g, kw) != NULL && !g->st.error &&
	    WIFEXITED(g->wstatus) && WEXITSTATUS(g->wstatus) == 0 &&
	    g->out.len > 0)
		return 0;
	g->out.len = 0;
	return g->st.agent ? EX_TEMPFAIL : EX_CONFIG;
}

/* An armored detached signature of in by the key fpr (the office's). */
int
vf_gpg_sign_detached(const char *in, size_t n, const char *fpr,
    struct vf_gpg *g)
{
	const char *args[] = { "--pinentry-mode", "error", "--armor",
	    "--local-user", fpr, "--detach-sign", NULL };

	return gpg_output(g, args, in, n, fpr, "SIG_CREATED");
}

/* The public key of fpr, armored. */
int
vf_gpg_export(const char *fpr, struct vf_gpg *g)
{
	const char *args[] = { "--armor", "--export", "--", fpr, NULL };

	return gpg_output(g, args, NULL, 0, fpr, "EXPORTED");
}
