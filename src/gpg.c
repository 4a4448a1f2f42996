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
 * Encrypted (vf_gpg_encrypted_ok) means that gpg decrypted an encryption
 * packet: BEGIN_DECRYPTION, DECRYPTION_OKAY, an integrity check and
 * END_DECRYPTION, with none of DECRYPTION_FAILED, BADMDC, NODATA or a
 * counted ERROR/FAILURE. The integrity check is GOODMDC; gpg 2.2 has no
 * AEAD, and gpg 2.4 says GOODMDC for AEAD too ("for compatibility", its
 * mainproc.c), and names the AEAD algorithm in DECRYPTION_INFO's third
 * field, which we take as well. Without it (a legacy cipher without MDC,
 * which gpg 2.2.40 refuses unless --ignore-mdc-error) it is not decrypted.
 * An OpenPGP message that is only signed (gpg --sign --armor) decrypts to
 * its text with none of these lines: it is a signature, whatever armor or
 * MIME wrapper came around it, and never "encrypted".
 *
 * Decision for decrypt (vf_gpg_decrypt_ok): gpg exited (no signal), output
 * not empty, PLAINTEXT seen, none of the failure lines; then, if any line
 * shows an encryption packet (ENC_TO, BEGIN_DECRYPTION, DECRYPTION_OKAY,
 * NEED_PASSPHRASE_SYM, ...), the whole encryption rule above; if none
 * does, a signature was checked (signed-only input: clearsigned or inline
 * signed). A non-zero exit only with a signature that is not good.
 *
 * gpg runs in a known environment: the program by absolute path (never
 * PATH), --no-options (no gpg.conf can add --ignore-mdc-error, a keyserver,
 * auto-key-import, or take away --batch), --disable-dirmngr and no key
 * lookup or retrieval of any kind (nothing goes to the network, which
 * would tell a sender when the mail was read and cost a timeout per mail),
 * --exit-on-status-write-error, and each run killed past gpg-timeout.
 * No random seed file either: libgcrypt seeds from the kernel (getrandom)
 * instead, and gpg runs side by side (two deliveries at once, the
 * original's encryption beside the report's check, vf-notify -j) no
 * longer meet at its lock: one that finds it locked as it exits sleeps
 * 250 ms (gpg 2.2.40, libgcrypt 1.10). Two streams of gpg --encrypt here
 * took 11.5-14.5 ms a run with the file, 5.7-6.8 without (doc/BENCH.md).
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
#include <strings.h>
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
	char		 first_good[41];/* of the message: kept across */
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

/* A full fingerprint, v4 or v5: the only way a key is named. */
static int
is_fpr(const char *s)
{
	struct tok t;

	t.p = s != NULL ? s : "";
	t.n = strlen(t.p);
	return ishex(&t, 40) || ishex(&t, 64);
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
	char first[41];
	enum vf_sig v;

	if (r->any) {
		v = judge(r);
		/* Two keys' good signatures are counted as two. */
		if (v == VF_SIG_GOOD && st->sig_keys == 0) {
			memcpy(r->first_good, r->fpr, sizeof(r->first_good));
			st->sig_keys = 1;
		} else if (v == VF_SIG_GOOD &&
		    strcmp(r->first_good, r->fpr) != 0)
			st->sig_keys = 2;
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
	memcpy(first, r->first_good, sizeof(first));
	memset(r, 0, sizeof(*r));
	memcpy(r->first_good, first, sizeof(first));
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
	else if (tokeq(&tok[0], "GOODMDC"))
		st->goodmdc = 1;
	else if (tokeq(&tok[0], "DECRYPTION_INFO")) {
		/* DECRYPTION_INFO <mdc_method> <sym_algo> [<aead_algo>] */
		if (ntok > 3 && errcode(&tok[3]) != 0)
			st->aead = 1;
	} else if (tokeq(&tok[0], "DECRYPTION_KEY")) {
		/* DECRYPTION_KEY <fpr> <fpr2> <otrust> */
		if (ntok > 2 && (ishex(&tok[1], 40) || ishex(&tok[1], 64)) &&
		    (ishex(&tok[2], 40) || ishex(&tok[2], 64)) &&
		    st->dec_fpr[0] == '\0') {
			hexcpy(st->dec_fpr, &tok[1], tok[1].n);
			hexcpy(st->dec_primary, &tok[2], tok[2].n);
		}
	} else if (tokeq(&tok[0], "END_DECRYPTION"))
		st->end_decryption = 1;
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

int
vf_gpg_was_encrypted(const struct vf_gpg_status *st)
{
	return st->enc_to || st->begin_decryption || st->end_decryption ||
	    st->decryption_okay || st->decryption_failed || st->goodmdc ||
	    st->badmdc || st->no_seckey || st->symmetric ||
	    st->dec_fpr[0] != '\0';
}

static int
failed(const struct vf_gpg_status *st)
{
	return st->decryption_failed || st->badmdc || st->nodata || st->error;
}

int
vf_gpg_encrypted_ok(const struct vf_gpg_status *st)
{
	return st->begin_decryption && st->decryption_okay &&
	    (st->goodmdc || st->aead) && st->end_decryption && !failed(st) &&
	    !st->symmetric;
}

int
vf_gpg_decrypt_ok(const struct vf_gpg_status *st, int wstatus,
    size_t outlen)
{
	if (!WIFEXITED(wstatus) || outlen == 0 || !st->plaintext)
		return 0;
	if (failed(st))
		return 0;
	if (vf_gpg_was_encrypted(st)) {
		if (!vf_gpg_encrypted_ok(st))
			return 0;
	} else if (st->sig == VF_SIG_NONE)
		return 0;
	/* gpg exits 1 or 2 for a signature it could not vouch for only. */
	if (WEXITSTATUS(wstatus) != 0 &&
	    (st->sig == VF_SIG_NONE || st->sig == VF_SIG_GOOD))
		return 0;
	return 1;
}

int
vf_gpg_opened_by(const struct vf_gpg_status *st, const char *fpr)
{
	if (fpr == NULL || *fpr == '\0' || st->dec_fpr[0] == '\0')
		return 0;
	return strcasecmp(st->dec_primary, fpr) == 0 ||
	    strcasecmp(st->dec_fpr, fpr) == 0;
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

/* Where gpg is when nothing says otherwise: Debian's, and most systems'. */
#define GPG_DEFAULT	"/usr/bin/gpg"
#define GPG_TIMEOUT	60

static char	*program;		/* gpg-program, when configured */
/* Work for the caller while the next gpg starts (vf_gpg_meanwhile). */
static _Thread_local struct {
	void	(*fn)(void *);
	void	 *arg;
} meanwhile;
static int	 timeout_s = GPG_TIMEOUT;

const char *
vf_gpg_program(void)
{
	const char *s = getenv("VF_GPG");

	if (s != NULL && *s != '\0')
		return s;
	return program != NULL ? program : GPG_DEFAULT;
}

int
vf_gpg_timeout(void)
{
	return timeout_s;
}

int
vf_gpg_config(const struct vf_config *cfg, char *err, size_t errlen)
{
	const char *v, *env = getenv("VF_GPG");
	long long t;

	if ((v = vf_config_get(cfg, "gpg-program")) != NULL && v[0] != '/') {
		(void)snprintf(err, errlen, "config: gpg-program %s: not an "
		    "absolute path (gpg is never looked up in PATH)", v);
		return EX_CONFIG;
	}
	if (env != NULL && *env != '\0' && env[0] != '/') {
		(void)snprintf(err, errlen, "VF_GPG=%s: not an absolute path "
		    "(gpg is never looked up in PATH)", env);
		return EX_CONFIG;
	}
	if ((t = vf_config_num(cfg, "gpg-timeout", 1, 3600, GPG_TIMEOUT, err,
	    errlen)) == -1)
		return EX_CONFIG;
	free(program);
	program = v != NULL ? vf_strdup(v) : NULL;
	timeout_s = (int)t;
	return 0;
}

/* A gpg run started, its input to come (vf_run_start). */
struct vf_gpg_pending {
	struct vf_child	*child;
	struct vf_io	 io[5];
	size_t		 nio;
	size_t		 ist;		/* the status descriptor's entry */
	int		 hasout;
	int		 fed;		/* its input given at the start */
	/* vf_gpg_sign_encrypt_start's, for its finish. */
	int		 enc;
	int		 keyfile;
	const char	*skip[GPG_MAXARG];
	size_t		 nskip;
};

/*
 * Start gpg with the fixed head of its argument vector and then args:
 * fd 4 gets sig (when not NULL), stdout goes to out (or /dev/null),
 * stderr and status into g; stdin waits for gpg_finish. The status is
 * appended to g->status. Every run is counted in g->runs, and one past
 * gpg-timeout (counted from here) is killed.
 */
static int
gpg_start(struct vf_gpg *g, const char *const *args, const char *sig,
    size_t siglen, struct vf_buf *out, size_t outmax,
    struct vf_gpg_pending **pp)
{
	/*
	 * --no-options comes first: gpg looks for it before it reads any
	 * option file. --pinentry-mode error: a hostile mail must not make
	 * the agent ask a person for anything (nor block delivery while it
	 * waits); a cached passphrase still works.
	 */
	static const char *const head[] = { "--no-options", "--batch",
	    "--no-tty", "--status-fd", "3", "--exit-on-status-write-error",
	    "--no-random-seed-file", "--disable-dirmngr",
	    "--no-auto-key-retrieve", "--no-auto-key-import",
	    "--no-auto-key-locate",
	    "--pinentry-mode", "error", NULL };
	char *argv[GPG_MAXARG];
	struct vf_gpg_pending *p;
	struct vf_io *io;
	size_t n = 0, nio = 0, i;
	int rc;

	*pp = NULL;
	argv[n++] = (char *)vf_gpg_program();
	/* An absolute path, or posix_spawnp would search PATH for it. */
	if (argv[0][0] != '/')
		return EX_UNAVAILABLE;
	for (i = 0; head[i] != NULL; i++)
		argv[n++] = (char *)head[i];
	for (i = 0; args[i] != NULL; i++) {
		if (n >= GPG_MAXARG - 1)
			return EX_SOFTWARE;
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;

	p = vf_calloc(1, sizeof(*p));
	io = p->io;
	io[nio].fd = 0;
	io[nio].in = "";
	io[nio++].inlen = 0;
	if (out != NULL) {
		io[nio].fd = 1;
		io[nio].out = out;
		io[nio++].max = outmax;
		p->hasout = 1;
	}
	io[nio].fd = 2;
	io[nio].out = &g->err;
	io[nio++].max = GPG_ERRMAX;
	p->ist = nio;
	io[nio].fd = 3;
	io[nio].out = &g->status;
	/* Appending: the limit counts the whole buffer. */
	io[nio++].max = g->status.len + GPG_STATUSMAX;
	if (sig != NULL) {
		io[nio].fd = 4;
		io[nio].in = sig;
		io[nio++].inlen = siglen;
	}
	p->nio = nio;
	g->err.len = 0;
	if (g->err.p != NULL)
		g->err.p[0] = '\0';
	g->runs++;
	if ((rc = vf_run_start(argv, io, nio, timeout_s * 1000,
	    &p->child)) != 0) {
		free(p);
		return rc;
	}
	*pp = p;
	return 0;
}

/*
 * Give a started gpg its input now, what its pipe takes (the rest at
 * finish: in stays in place until then), so that it reads and works on it
 * while the caller goes on; then the caller's vf_gpg_meanwhile work.
 */
static void
gpg_feed(struct vf_gpg_pending *p, const char *in, size_t inlen)
{
	void (*fn)(void *);

	p->io[0].in = in != NULL ? in : "";
	p->io[0].inlen = in != NULL ? inlen : 0;
	p->fed = 1;
	vf_run_feed(p->child);
	if ((fn = meanwhile.fn) != NULL) {
		meanwhile.fn = NULL;
		fn(meanwhile.arg);
	}
}

void
vf_gpg_meanwhile(void (*fn)(void *), void *arg)
{
	meanwhile.fn = fn;
	meanwhile.arg = arg;
}

/* Give the started gpg its input (in, or nothing) and wait for it. */
static int
gpg_finish(struct vf_gpg_pending *p, struct vf_gpg *g, const char *in,
    size_t inlen, int *outover, int *statusover)
{
	int rc, late;

	if (!p->fed) {
		p->io[0].in = in != NULL ? in : "";
		p->io[0].inlen = in != NULL ? inlen : 0;
	}
	rc = vf_run_finish(p->child, &g->wstatus, &late);
	if (late)
		g->timedout = 1;
	if (p->hasout && outover != NULL)
		*outover = p->io[1].over;
	if (statusover != NULL)
		*statusover = p->io[p->ist].over;
	free(p);
	return rc;
}

void
vf_gpg_cancel(struct vf_gpg_pending *p)
{
	if (p == NULL)
		return;
	vf_run_cancel(p->child);
	free(p);
}

/*
 * Run gpg with the fixed head of its argument vector and then args.
 * stdin gets in, fd 4 sig (when not NULL), stdout goes to out (or
 * /dev/null), stderr and status into g. The status is appended to
 * g->status; *statusover is set when it did not fit. Every run is counted
 * in g->runs, and one past gpg-timeout is killed (timedout set).
 */
static int
gpg_run(struct vf_gpg *g, const char *const *args, const char *in,
    size_t inlen, const char *sig, size_t siglen, struct vf_buf *out,
    size_t outmax, int *outover, int *statusover)
{
	struct vf_gpg_pending *p;
	int rc;

	if ((rc = gpg_start(g, args, sig, siglen, out, outmax, &p)) != 0)
		return rc;
	gpg_feed(p, in, inlen);
	return gpg_finish(p, g, in, inlen, outover, statusover);
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
	g->encrypted = 0;
	g->runs = 0;
	g->timedout = 0;
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
 * recipients (key ID 0) cannot be asked about: then no. The run counts
 * as the caller's.
 */
static int
agent_down(struct vf_gpg *caller)
{
	const char *args[4 + GPG_PROBEKEYS + 1];
	char ids[GPG_PROBEKEYS][17];
	struct vf_gpg g;
	struct tok t;
	const char *p = caller->status.p, *end, *nl, *q;
	size_t len, nid = 0, na = 0, i;
	int down, statusover;

	if (p == NULL)
		return 0;
	end = p + caller->status.len;
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
	    &statusover) == 0 && !statusover && !WIFSIGNALED(g.wstatus)) {
		vf_gpg_status_parse(&g.st, g.status.p != NULL ? g.status.p :
		    "", g.status.len);
		down = g.st.agent || g.st.sys;
	}
	if (g.timedout) {
		caller->timedout = 1;
		down = 1;
	}
	caller->runs += g.runs;
	vf_gpg_free(&g);
	return down;
}

static void
parse(struct vf_gpg *g, size_t from)
{
	vf_gpg_status_parse(&g->st, g->status.p != NULL ? g->status.p + from :
	    "", g->status.len - from);
}

int
vf_gpg_decrypt(const char *in, size_t n, size_t max, struct vf_gpg *g)
{
	char maxarg[32];
	const char *args[] = { "--max-output", maxarg, "--decrypt", NULL };
	const char *args2[] = { "--max-output", maxarg, "--skip-verify",
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
	if (vf_gpg_decrypt_ok(&g->st, g->wstatus, g->out.len)) {
		g->encrypted = vf_gpg_encrypted_ok(&g->st);
		return 0;
	}

	/*
	 * Encrypted and signed, and gpg stopped at a bad or expired
	 * signature before the integrity check: decrypt again without
	 * verifying, keep the first verdict.
	 */
	if (vf_gpg_was_encrypted(&g->st) && !g->st.decryption_okay &&
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
		    vf_gpg_encrypted_ok(&g->st) &&
		    vf_gpg_decrypt_ok(&g->st, g->wstatus, g->out.len)) {
			g->st.sig = first.sig;
			g->st.trust = first.trust;
			memcpy(g->st.sig_fpr, first.sig_fpr,
			    sizeof(g->st.sig_fpr));
			memcpy(g->st.sig_keyid, first.sig_keyid,
			    sizeof(g->st.sig_keyid));
			g->encrypted = 1;
			return 0;
		}
	}

	/* What the data itself proved wrong stays wrong on a retry. */
	if (g->st.symmetric || g->st.badmdc)
		rc = EX_DATAERR;
	else if (g->st.agent || g->st.sys)
		rc = EX_TEMPFAIL;
	else if (g->st.no_seckey && !g->st.decryption_okay && g->runs < 2 &&
	    agent_down(g))
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
	const char *args[] = { "--enable-special-filenames", "--verify", "--",
	    "-&4", "-", NULL };
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

/*
 * A cleartext-signed text (a security.txt): gpg --decrypt, which checks
 * the signature and writes the signed text with its dash-escaping undone,
 * so that what is read afterwards is what was signed and nothing around
 * it. Encrypted input is not a cleartext signature: refused, wiped.
 */
int
vf_gpg_clearsigned(const char *in, size_t n, size_t max, struct vf_gpg *g)
{
	int rc;

	if ((rc = vf_gpg_decrypt(in, n, max, g)) != 0)
		return rc;
	if (g->encrypted || vf_gpg_was_encrypted(&g->st) ||
	    g->st.sig == VF_SIG_NONE) {
		wipe(&g->out);
		return EX_DATAERR;
	}
	return 0;
}

/*
 * The first half of vf_gpg_encrypt: gpg started for the n bytes at in,
 * to fpr, and given what its pipe takes of them, so that it starts,
 * reads its keyring and encrypts while the caller goes on.
 */
int
vf_gpg_encrypt_start(const char *in, size_t n, const char *fpr,
    struct vf_gpg *g, struct vf_gpg_pending **pp)
{
	const char *args[] = { "--trust-model", "always", "--armor",
	    "--encrypt", "--recipient", fpr, NULL };
	size_t max;
	int rc;

	*pp = NULL;
	reset(g);
	/*
	 * Only a full fingerprint names exactly one key; a user ID or a
	 * short ID could pick another.
	 */
	if (!is_fpr(fpr))
		return EX_CONFIG;
	/* Armoured ciphertext: compressed, 4/3 and line ends, plus headers. */
	max = n > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : n * 2 + 65536;
	if ((rc = gpg_start(g, args, NULL, 0, &g->out, max, pp)) != 0)
		return rc;
	gpg_feed(*pp, in, n);
	return 0;
}

/* The second half: the rest of the input given, gpg waited for. */
int
vf_gpg_encrypt_finish(struct vf_gpg_pending *p, struct vf_gpg *g)
{
	int rc, statusover, over;

	over = 0;
	if ((rc = gpg_finish(p, g, NULL, 0, &over, &statusover)) != 0)
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

int
vf_gpg_encrypt(const char *in, size_t n, const char *fpr, struct vf_gpg *g)
{
	struct vf_gpg_pending *p;
	int rc;

	if ((rc = vf_gpg_encrypt_start(in, n, fpr, g, &p)) != 0)
		return rc;
	return vf_gpg_encrypt_finish(p, g);
}

/* A user ID as --with-colons writes it: \xHH and \\ undone; NULL if odd. */
static char *
colon_unescape(const char *s, size_t n)
{
	struct vf_buf b = { 0 };
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			vf_buf_addc(&b, (unsigned char)s[i]);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\\') {
			vf_buf_addc(&b, '\\');
			i++;
		} else if (i + 3 < n && s[i + 1] == 'x' &&
		    (hi = vf_hexval((unsigned char)s[i + 2])) != -1 &&
		    (lo = vf_hexval((unsigned char)s[i + 3])) != -1 &&
		    hi * 16 + lo >= 0x20) {
			vf_buf_addc(&b, hi * 16 + lo);
			i += 3;
		} else {
			/* A control character: no mailbox holds one. */
			vf_buf_free(&b);
			return NULL;
		}
	}
	if (b.p == NULL)
		return vf_strdup("");
	return vf_buf_take(&b, NULL);
}

/* Field k (1-based) of a colon record: start in *f, length returned. */
static size_t
colon_field(const char *rec, size_t n, int k, const char **f)
{
	const char *p = rec, *end = rec + n, *c;

	while (--k > 0) {
		if ((c = memchr(p, ':', (size_t)(end - p))) == NULL) {
			*f = end;
			return 0;
		}
		p = c + 1;
	}
	*f = p;
	c = memchr(p, ':', (size_t)(end - p));
	return c != NULL ? (size_t)(c - p) : (size_t)(end - p);
}

int
vf_gpg_key_mailboxes(const char *fpr, struct vf_gpg *g)
{
	const char *args[] = { "--with-colons", "--fixed-list-mode",
	    "--list-keys", "--", fpr, NULL };
	struct vf_buf list = { 0 };
	const char *p, *end, *nl, *f;
	char *uid, *mb;
	size_t len, fl;
	int rc, statusover, over, in = 0, pubs = 0;

	reset(g);
	if (!is_fpr(fpr))
		return EX_DATAERR;
	over = 0;
	rc = gpg_run(g, args, NULL, 0, NULL, 0, &list, GPG_STATUSMAX, &over,
	    &statusover);
	if (rc == 0 && WIFSIGNALED(g->wstatus))
		rc = killed(g->wstatus);
	if (rc != 0) {
		vf_buf_free(&list);
		return rc;
	}
	parse(g, 0);
	if (g->st.agent || g->st.sys) {
		vf_buf_free(&list);
		return EX_TEMPFAIL;
	}
	/*
	 * pub, then its fpr record: the key asked for, by full fingerprint.
	 * Its uid records follow up to the next pub.
	 */
	p = list.p != NULL ? list.p : "";
	for (end = p + list.len; p < end; p += len + (nl != NULL)) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (len >= 4 && memcmp(p, "pub:", 4) == 0) {
			in = -1;	/* until its fpr record */
			pubs++;
			continue;
		}
		if (len >= 4 && memcmp(p, "fpr:", 4) == 0 && in == -1) {
			fl = colon_field(p, len, 10, &f);
			in = fl == strlen(fpr) && strncasecmp(f, fpr, fl) == 0;
			continue;
		}
		if (in != 1 || len < 4 || memcmp(p, "uid:", 4) != 0)
			continue;
		/* Field 2, validity: r revoked, e expired, i invalid. */
		fl = colon_field(p, len, 2, &f);
		if (fl > 0 && strchr("rei", f[0]) != NULL)
			continue;
		fl = colon_field(p, len, 10, &f);
		if ((uid = colon_unescape(f, fl)) == NULL)
			continue;
		if ((mb = vf_addr_mailbox(uid)) != NULL) {
			vf_buf_adds(&g->out, mb);
			vf_buf_addc(&g->out, '\n');
			free(mb);
		}
		free(uid);
	}
	vf_buf_free(&list);
	if (pubs == 0)
		return EX_DATAERR;
	if (g->out.p == NULL)
		vf_buf_adds(&g->out, "");
	return 0;
}

/*
 * Outgoing mail (vf-notify): sign with the office's key and encrypt to the
 * recipient's, or sign alone. What gpg would otherwise do on its own for
 * an address is switched off: no key lookup by WKD or keyserver, no
 * retrieval, no import, no dirmngr at all (gpg 2.2 asks dirmngr to look
 * an address up by WKD, which tells the address's domain whom the office
 * writes to). Keys are named by full fingerprint only, and encrypt-to
 * lines of gpg.conf do not add hidden recipients. Judged by status:
 * SIG_CREATED, and END_ENCRYPTION when encrypting; INV_RECP or INV_SGNR
 * is an unusable key.
 */

/* The rest of the first status line with this keyword, or NULL. */
static const char *
status_line(const struct vf_buf *st, const char *kw, size_t *len)
{
	const char *p = st->p, *end = st->p + st->len, *nl;
	size_t n, kl = strlen(kw);

	if (p == NULL)
		return NULL;
	for (; p < end; p += n + (nl != NULL)) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n >= 9 + kl && memcmp(p, "[GNUPG:] ", 9) == 0 &&
		    memcmp(p + 9, kw, kl) == 0 &&
		    (n == 9 + kl || p[9 + kl] == ' ')) {
			*len = n - 9 - kl;
			return p + 9 + kl;
		}
	}
	return NULL;
}

/* "KEY_CONSIDERED FPR FLAGS" lines: the first fpr not in skip. */
static void
considered(const struct vf_buf *st, const char *const *skip, size_t nskip,
    char *fpr)
{
	const char *p = st->p, *end = st->p + st->len, *nl;
	size_t n, i;

	fpr[0] = '\0';
	for (; p != NULL && p < end; p += n + (nl != NULL)) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n < 24 + 40 || memcmp(p, "[GNUPG:] KEY_CONSIDERED ", 24))
			continue;
		for (i = 0; i < nskip; i++)
			if (strncasecmp(p + 24, skip[i], 40) == 0)
				break;
		if (i == nskip && (n == 64 || p[64] == ' ')) {
			memcpy(fpr, p + 24, 40);
			fpr[40] = '\0';
			return;
		}
	}
}

/*
 * The first half of vf_gpg_sign_encrypt: gpg started with its signer and
 * recipients, so that it loads its keys and reaches the agent while the
 * caller makes the text it is to sign.
 */
int
vf_gpg_sign_encrypt_start(const char *signer, const char *const *rcpt,
    size_t nrcpt, const char *keyfile, size_t keylen, struct vf_gpg *g,
    struct vf_gpg_pending **pp)
{
	const char *args[GPG_MAXARG], *skip[GPG_MAXARG];
	size_t na = 0, i, nskip = 0;
	int rc, enc = nrcpt > 0 || keyfile != NULL;

	*pp = NULL;
	reset(g);
	if (!is_fpr(signer) || nrcpt > 8)
		return EX_CONFIG;
	/* gpg_run's head already keeps gpg off the network and the agent
	   from asking anyone; encrypt-to lines would add hidden readers. */
	args[na++] = "--no-encrypt-to";
	args[na++] = "--trust-model";
	args[na++] = "always";
	args[na++] = "--armor";
	args[na++] = "--local-user";
	args[na++] = signer;
	skip[nskip++] = signer;
	if (!enc)
		args[na++] = "--detach-sign";
	else {
		args[na++] = "--sign";
		args[na++] = "--encrypt";
		for (i = 0; i < nrcpt; i++) {
			if (!is_fpr(rcpt[i]))
				return EX_CONFIG;
			args[na++] = "--recipient";
			args[na++] = rcpt[i];
			skip[nskip++] = rcpt[i];
		}
		if (keyfile != NULL) {
			/* Read from descriptor 4, never written to disk. */
			args[na++] = "--enable-special-filenames";
			args[na++] = "--recipient-file";
			args[na++] = "-&4";
		}
	}
	args[na] = NULL;

	/* The output's limit is set by finish, which knows the input. */
	if ((rc = gpg_start(g, args, keyfile, keylen, &g->out, 0, pp)) != 0)
		return rc;
	(*pp)->enc = enc;
	(*pp)->keyfile = keyfile != NULL;
	memcpy((*pp)->skip, skip, nskip * sizeof(skip[0]));
	(*pp)->nskip = nskip;
	return 0;
}

/* The second half: the text to sign given, gpg waited for, as below. */
int
vf_gpg_sign_encrypt_finish(struct vf_gpg_pending *p, const char *in,
    size_t n, struct vf_gpg *g, int *hash, char *filefpr)
{
	const char *s, *skip[GPG_MAXARG];
	size_t len, nskip = p->nskip;
	int rc, enc = p->enc, keyfile = p->keyfile, over, statusover;

	if (hash != NULL)
		*hash = 0;
	if (filefpr != NULL)
		filefpr[0] = '\0';
	/* gpg_finish frees p. */
	memcpy(skip, p->skip, nskip * sizeof(skip[0]));
	p->io[1].max = n > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : n * 2 + 65536;
	over = statusover = 0;
	if ((rc = gpg_finish(p, g, in, n, &over, &statusover)) != 0)
		return rc;
	over = over || statusover;
	if (WIFSIGNALED(g->wstatus))
		return EX_TEMPFAIL;
	parse(g, 0);
	if (!over && !g->st.error && !g->st.inv_recp &&
	    status_line(&g->status, "INV_SGNR", &len) == NULL &&
	    (s = status_line(&g->status, "SIG_CREATED", &len)) != NULL &&
	    (!enc || g->st.end_encryption) && WIFEXITED(g->wstatus) &&
	    WEXITSTATUS(g->wstatus) == 0 && g->out.len > 0) {
		/* SIG_CREATED <type> <pkalgo> <hashalgo> <class> ... */
		if (hash != NULL && len > 5 && sscanf(s, " %*s %*d %d", hash) !=
		    1)
			*hash = 0;
		if (filefpr != NULL && keyfile)
			considered(&g->status, skip, nskip, filefpr);
		return 0;
	}
	g->out.len = 0;
	if (g->out.p != NULL)
		g->out.p[0] = '\0';
	if (g->st.inv_recp || status_line(&g->status, "INV_SGNR", &len))
		return EX_CONFIG;
	if (keyfile && !g->st.end_encryption &&
	    status_line(&g->status, "KEY_CONSIDERED", &len) == NULL)
		return EX_CONFIG;
	return EX_TEMPFAIL;
}

int
vf_gpg_sign_encrypt(const char *in, size_t n, const char *signer,
    const char *const *rcpt, size_t nrcpt, const char *keyfile,
    size_t keylen, struct vf_gpg *g, int *hash, char *filefpr)
{
	struct vf_gpg_pending *p;
	int rc;

	if (hash != NULL)
		*hash = 0;
	if (filefpr != NULL)
		filefpr[0] = '\0';
	if ((rc = vf_gpg_sign_encrypt_start(signer, rcpt, nrcpt, keyfile,
	    keylen, g, &p)) != 0)
		return rc;
	return vf_gpg_sign_encrypt_finish(p, in, n, g, hash, filefpr);
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
	size_t len;
	int rc, statusover;

	reset(g);
	if (!is_fpr(fpr))
		return EX_SOFTWARE;
	if ((rc = gpg_run(g, args, NULL, 0, NULL, 0, NULL, 0, NULL,
	    &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus) || statusover)
		return EX_TEMPFAIL;
	if ((dp = status_line(&g->status, "DELETE_PROBLEM", &len)) != NULL) {
		if (len >= 2 && strncmp(dp, " 1", 2) == 0)
			return 0;
		return len >= 2 && strncmp(dp, " 2", 2) == 0 ? EX_DATAERR :
		    EX_TEMPFAIL;
	}
	parse(g, 0);
	if (g->st.error || !WIFEXITED(g->wstatus) ||
	    WEXITSTATUS(g->wstatus) != 0)
		return g->st.sys ? EX_TEMPFAIL : EX_DATAERR;
	return 0;
}

/* An armored detached signature of in by the key fpr (the office's). */
int
vf_gpg_sign_detached(const char *in, size_t n, const char *fpr,
    struct vf_gpg *g)
{
	return vf_gpg_sign_encrypt(in, n, fpr, NULL, 0, NULL, 0, g, NULL,
	    NULL);
}

/* The public key of fpr, armored: good only on EXPORTED and exit 0. */
int
vf_gpg_export(const char *fpr, struct vf_gpg *g)
{
	const char *args[] = { "--armor", "--export", "--", fpr, NULL };
	size_t len;
	int rc, statusover, over = 0;

	reset(g);
	if (!is_fpr(fpr))
		return EX_CONFIG;
	if ((rc = gpg_run(g, args, NULL, 0, NULL, 0, &g->out, 1024 * 1024,
	    &over, &statusover)) != 0)
		return rc;
	if (WIFSIGNALED(g->wstatus) || statusover || over)
		return EX_TEMPFAIL;
	parse(g, 0);
	if (status_line(&g->status, "EXPORTED", &len) != NULL &&
	    !g->st.error && WIFEXITED(g->wstatus) &&
	    WEXITSTATUS(g->wstatus) == 0 && g->out.len > 0)
		return 0;
	g->out.len = 0;
	return g->st.agent ? EX_TEMPFAIL : EX_CONFIG;
}
