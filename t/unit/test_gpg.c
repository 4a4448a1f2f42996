/*
 * gpg: status parsing on transcripts of real gpg 2.2.40 runs (the .status
 * files in t/data/gpg), the decision rule, hostile status input, and the
 * real thing against throwaway GNUPGHOMEs with passphrase-less keys.
 */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

#define DATA	"t/data/gpg/"
#define TEXT	"hello report\n"

/* wait(2) statuses as gpg leaves them. */
#define EXIT(n)	((n) << 8)

static char *
slurp(const char *name, size_t *len)
{
	char path[256];
	struct vf_buf b = { 0 };
	FILE *fp;
	char buf[4096];
	size_t n;

	ck_assert(snprintf(path, sizeof(path), DATA "%s.status", name) <
	    (int)sizeof(path));
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "%s: %s (run from the top directory)",
	    path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		vf_buf_add(&b, buf, n);
	fclose(fp);
	return vf_buf_take(&b, len);
}

static void
parse_file(const char *name, struct vf_gpg_status *st)
{
	size_t len;
	char *p = slurp(name, &len);

	vf_gpg_status_parse(st, p, len);
	free(p);
}

static void
parse_str(const char *s, struct vf_gpg_status *st)
{
	vf_gpg_status_parse(st, s, strlen(s));
}

/* ---- transcripts -------------------------------------------------------- */

/* Each transcript with gpg's exit code then and what the rules say now. */
static const struct {
	const char	*name;
	int		 exit;
	int		 ok;		/* vf_gpg_decrypt_ok with 13 bytes out */
	enum vf_sig	 sig;
	int		 enc;		/* vf_gpg_encrypted_ok */
} tr[] = {
	{ "decrypt_ok",			0, 1, VF_SIG_NONE, 1 },
	{ "decrypt_signed",		0, 1, VF_SIG_GOOD, 1 },
	{ "decrypt_sig_nokey",		2, 1, VF_SIG_NOKEY, 1 },
	{ "two_keys_one_locked",	0, 1, VF_SIG_NONE, 1 },
	{ "two_keys_one_missing",	0, 1, VF_SIG_NONE, 1 },
	{ "hidden_recipient",		0, 1, VF_SIG_NONE, 1 },
	{ "decrypt_badsig_skip",	0, 1, VF_SIG_NONE, 1 },
	{ "decrypt_other_key",		0, 1, VF_SIG_NONE, 1 },
	{ "clearsign",			0, 1, VF_SIG_GOOD, 0 },
	{ "clearsign_bad",		1, 1, VF_SIG_BAD, 0 },
	{ "signed",			0, 1, VF_SIG_GOOD, 0 },
	{ "signed_nokey",		2, 1, VF_SIG_NOKEY, 0 },
	{ "signed_bad",			1, 1, VF_SIG_BAD, 0 },
	{ "tamper1",			2, 0, VF_SIG_NONE, 0 },
	{ "tamper2",			2, 0, VF_SIG_NONE, 0 },
	{ "nodata",			2, 0, VF_SIG_NONE, 0 },
	{ "empty",			2, 0, VF_SIG_NONE, 0 },
	{ "no_seckey",			2, 0, VF_SIG_NONE, 0 },
	{ "agent_down",			2, 0, VF_SIG_NONE, 0 },
	{ "locked_key",			2, 0, VF_SIG_NONE, 0 },
	{ "symmetric",			2, 0, VF_SIG_NONE, 0 },
	{ "armor_crc",			2, 0, VF_SIG_NONE, 0 },
	{ "no_home",			2, 0, VF_SIG_NONE, 0 },
	{ "max_output",			2, 0, VF_SIG_NONE, 1 },
	{ "bomb",			2, 0, VF_SIG_NONE, 1 },
	{ "nomdc",			2, 0, VF_SIG_NONE, 0 },
	{ "nomdc_ignored",		0, 0, VF_SIG_NONE, 0 },
	{ "decrypt_badsig",		1, 0, VF_SIG_BAD, 0 },
	{ "decrypt_expsig",		1, 0, VF_SIG_EXPIRED, 0 },
	{ "decrypt_empty",		2, 0, VF_SIG_NONE, 0 },
	{ "verify_good",		0, 0, VF_SIG_GOOD, 0 },
	{ "verify_subkey",		0, 0, VF_SIG_GOOD, 0 },
	{ "verify_bad",			1, 0, VF_SIG_BAD, 0 },
	{ "verify_nokey",		2, 0, VF_SIG_NOKEY, 0 },
	{ "verify_notsig",		2, 0, VF_SIG_NONE, 0 },
	{ "verify_expkey",		0, 0, VF_SIG_EXPKEY, 0 },
	{ "verify_expsig",		1, 0, VF_SIG_EXPIRED, 0 },
	{ "verify_revkey",		0, 0, VF_SIG_REVKEY, 0 },
	{ "verify_two",			2, 0, VF_SIG_NOKEY, 0 },
	{ "encrypt",			0, 0, VF_SIG_NONE, 0 },
	{ "encrypt_unknown",		2, 0, VF_SIG_NONE, 0 },
};

START_TEST(transcript_table)
{
	struct vf_gpg_status st;

	parse_file(tr[_i].name, &st);
	ck_assert_msg(st.sig == tr[_i].sig, "%s: sig %s, want %s",
	    tr[_i].name, vf_sig_name(st.sig), vf_sig_name(tr[_i].sig));
	ck_assert_msg(vf_gpg_decrypt_ok(&st, EXIT(tr[_i].exit), 13) ==
	    tr[_i].ok, "%s: decrypt_ok", tr[_i].name);
	ck_assert_msg(vf_gpg_encrypted_ok(&st) == tr[_i].enc,
	    "%s: encrypted_ok", tr[_i].name);
	/* Decrypted and signed-only never meet: signed-only is no cipher. */
	if (tr[_i].ok && !tr[_i].enc)
		ck_assert_msg(!vf_gpg_was_encrypted(&st), "%s: was_encrypted",
		    tr[_i].name);
	/* Nothing is good with no output or when gpg was killed. */
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(tr[_i].exit), 0));
	ck_assert(!vf_gpg_decrypt_ok(&st, SIGKILL, 13));
}
END_TEST

START_TEST(transcript_details)
{
	struct vf_gpg_status st;

	parse_file("decrypt_ok", &st);
	ck_assert(st.decryption_okay && st.plaintext && st.begin_decryption);
	ck_assert_int_eq(st.enc_to, 1);
	ck_assert(!st.error && !st.agent && !st.sys && !st.no_seckey);

	parse_file("decrypt_signed", &st);
	ck_assert_str_eq(st.sig_fpr,
	    "20AD3B349D35F7D3D4E6C07FB8D2334DFEF2D2C7");
	ck_assert_str_eq(st.sig_keyid, "B8D2334DFEF2D2C7");
	ck_assert_int_eq(st.trust, VF_TRUST_ULTIMATE);

	parse_file("decrypt_sig_nokey", &st);
	ck_assert_str_eq(st.sig_keyid, "01CE8D1EE5A127BE");
	/* An unverified issuer fingerprint is no fingerprint. */
	ck_assert_str_eq(st.sig_fpr, "");

	parse_file("verify_subkey", &st);
	/* Signed by a subkey: the primary key's fingerprint is kept. */
	ck_assert_str_eq(st.sig_fpr,
	    "7A490269EDD70E543BC7C7F10C1646DEBC538CEC");
	ck_assert_str_eq(st.sig_keyid, "5DAFC0E85C599966");

	parse_file("tamper1", &st);
	ck_assert(st.badmdc && st.decryption_failed && st.plaintext);
	ck_assert(!st.decryption_okay);

	parse_file("nodata", &st);
	ck_assert(st.nodata && st.error && !st.sys);

	parse_file("no_seckey", &st);
	ck_assert(st.no_seckey && st.decryption_failed && !st.agent);

	parse_file("agent_down", &st);
	/* gpg 2.2 says the same as for a missing key: see the probe. */
	ck_assert(st.no_seckey && !st.agent && !st.error);

	parse_file("probe_agent_down", &st);
	ck_assert(st.agent && st.error);
	parse_file("probe_no_key", &st);
	ck_assert(!st.agent && !st.sys && st.error);
	parse_file("probe_ok", &st);
	ck_assert(!st.agent && !st.error);

	parse_file("locked_key", &st);
	ck_assert(st.agent && !st.error && !st.decryption_okay);

	parse_file("two_keys_one_locked", &st);
	/* The exempt ERROR line: the agent flag, but no error. */
	ck_assert(st.agent && !st.error && st.decryption_okay);
	ck_assert_int_eq(st.enc_to, 2);

	parse_file("symmetric", &st);
	ck_assert(st.symmetric && st.agent && st.error);

	parse_file("no_home", &st);
	ck_assert(st.sys && st.error && st.no_seckey);

	parse_file("clearsign_bad", &st);
	/* FAILURE gpg-exit only repeats the exit code. */
	ck_assert(!st.error);

	parse_file("encrypt", &st);
	ck_assert(st.end_encryption && !st.inv_recp && !st.error);
	parse_file("encrypt_unknown", &st);
	ck_assert(st.inv_recp && st.error && !st.end_encryption);

	parse_file("verify_two", &st);
	/* Good and no key: the worse one, with its key ID. */
	ck_assert_str_eq(st.sig_keyid, "01CE8D1EE5A127BE");
	ck_assert_str_eq(st.sig_fpr, "");

	parse_file("verify_revkey", &st);
	ck_assert_str_eq(st.sig_fpr,
	    "25CC3B605372275A391260D262801BD42ED94C8B");
	ck_assert_int_eq(st.trust, VF_TRUST_UNDEFINED);
	parse_file("verify_expkey", &st);
	ck_assert_int_eq(st.trust, VF_TRUST_UNKNOWN);

	/* The key that opened it, subkey and primary. */
	parse_file("decrypt_ok", &st);
	ck_assert_str_eq(st.dec_primary,
	    "926AD84CBB3F7B94F680D65AEF7C6AF60D822C85");
	ck_assert(st.goodmdc && st.end_decryption && !st.aead);
	ck_assert(vf_gpg_opened_by(&st,
	    "926AD84CBB3F7B94F680D65AEF7C6AF60D822C85"));
	ck_assert(vf_gpg_opened_by(&st,
	    "3f809d69e036b5417b93b484df2120f854820b5c"));
	parse_file("decrypt_other_key", &st);
	ck_assert(!vf_gpg_opened_by(&st,
	    "926AD84CBB3F7B94F680D65AEF7C6AF60D822C85"));
	ck_assert(vf_gpg_opened_by(&st,
	    "2145D3029DF5DDB6EA6EF155F19E813F9CCE6AE5"));
	ck_assert(!vf_gpg_opened_by(&st, ""));
	ck_assert(!vf_gpg_opened_by(&st, NULL));
	/* Signed only: no line of encryption, so nothing opened it. */
	parse_file("signed_nokey", &st);
	ck_assert_str_eq(st.dec_primary, "");
	ck_assert_str_eq(st.sig_keyid, "863519F0F3B62BBE");
	/* A gpg.conf's --ignore-mdc-error: decrypted, but unchecked. */
	parse_file("nomdc_ignored", &st);
	ck_assert(st.decryption_okay && st.begin_decryption &&
	    st.end_decryption && !st.goodmdc && !st.aead);
	parse_file("nomdc", &st);
	ck_assert(st.decryption_failed && st.error);
}
END_TEST


/* ---- the rule and hostile status --------------------------------------- */

#define P	"[GNUPG:] "
#define FPR1	"20AD3B349D35F7D3D4E6C07FB8D2334DFEF2D2C7"
#define GOOD1	P "NEWSIG\n" P "GOODSIG B8D2334DFEF2D2C7 A <a@b>\n" \
		P "VALIDSIG " FPR1 " 2026-11-26 1 0 4 0 22 8 00 " FPR1 "\n"

START_TEST(rule)
{
	struct vf_gpg_status st;
	const char *okay = P "ENC_TO 1122334455667788 18 0\n"
	    P "BEGIN_DECRYPTION\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "GOODMDC\n" P "END_DECRYPTION\n";
	char buf[1024];

	parse_str(okay, &st);
	ck_assert(vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 0));
	ck_assert(!vf_gpg_decrypt_ok(&st, SIGSEGV, 5));
	/* A failing exit with no signature to explain it: truncated. */
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(2), 5));

	/* Any of these spoils it. */
	snprintf(buf, sizeof(buf), "%s%s", okay, P "BADMDC\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	snprintf(buf, sizeof(buf), "%s%s", okay, P "DECRYPTION_FAILED\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	snprintf(buf, sizeof(buf), "%s%s", okay, P "NODATA 3\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	snprintf(buf, sizeof(buf), "%s%s", okay, P "ERROR x 1\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	snprintf(buf, sizeof(buf), "%s%s", okay, P "FAILURE decrypt 1\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	snprintf(buf, sizeof(buf), "%s%s", okay, P "ERROR\n");
	parse_str(buf, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	/* The exempt ones do not. */
	snprintf(buf, sizeof(buf), "%s%s", okay,
	    P "ERROR pkdecrypt_failed 67108949\n" P "FAILURE gpg-exit 1\n");
	parse_str(buf, &st);
	ck_assert(vf_gpg_decrypt_ok(&st, EXIT(0), 5));

	/* Encrypted without DECRYPTION_OKAY, or no PLAINTEXT: no. */
	parse_str(P "ENC_TO 1122334455667788 18 0\n" P "PLAINTEXT 62 0\n",
	    &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	parse_str(P "DECRYPTION_OKAY\n", &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	/* Signed only: a checked signature is needed, any verdict. */
	parse_str(P "PLAINTEXT 74 0\n", &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	parse_str(P "PLAINTEXT 74 0\n" GOOD1, &st);
	ck_assert(vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(2), 5));
	parse_str(P "PLAINTEXT 74 0\n" P "BADSIG B8D2334DFEF2D2C7 A\n", &st);
	ck_assert(vf_gpg_decrypt_ok(&st, EXIT(1), 5));
	/* Passphrase-encrypted counts as encrypted. */
	parse_str(P "NEED_PASSPHRASE_SYM 9 3 2\n" P "PLAINTEXT 62 0\n" GOOD1,
	    &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));

	/* Encrypted needs every step: begin, okay, integrity, end. */
	parse_str(okay, &st);
	ck_assert(vf_gpg_encrypted_ok(&st));
	parse_str(P "ENC_TO 1122334455667788 18 0\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "GOODMDC\n" P "END_DECRYPTION\n", &st);
	ck_assert(!vf_gpg_encrypted_ok(&st));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	parse_str(P "BEGIN_DECRYPTION\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "GOODMDC\n", &st);
	ck_assert(!vf_gpg_encrypted_ok(&st));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	parse_str(P "BEGIN_DECRYPTION\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "END_DECRYPTION\n", &st);
	ck_assert(!vf_gpg_encrypted_ok(&st));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	/* A lone end or integrity line is still a sign of encryption. */
	parse_str(P "PLAINTEXT 62 0 \n" P "GOODMDC\n" GOOD1, &st);
	ck_assert(vf_gpg_was_encrypted(&st));
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	parse_str(P "PLAINTEXT 62 0 \n" P "END_DECRYPTION\n" GOOD1, &st);
	ck_assert(!vf_gpg_decrypt_ok(&st, EXIT(0), 5));
	/* Signed only: decrypts to its text, never encrypted. */
	parse_str(P "PLAINTEXT 62 0 \n" GOOD1, &st);
	ck_assert(!vf_gpg_was_encrypted(&st));
	ck_assert(!vf_gpg_encrypted_ok(&st));
	/*
	 * AEAD (gpg 2.4; written from its doc/DETAILS and mainproc.c, not
	 * recorded: 2.2 has no AEAD): DECRYPTION_INFO names the algorithm
	 * in its third field, and gpg 2.4 says GOODMDC too; either holds.
	 */
	parse_str(P "ENC_TO 1122334455667788 18 0\n" P "BEGIN_DECRYPTION\n"
	    P "DECRYPTION_INFO 0 9 2\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "GOODMDC\n" P "END_DECRYPTION\n", &st);
	ck_assert(st.aead && vf_gpg_encrypted_ok(&st));
	parse_str(P "ENC_TO 1122334455667788 18 0\n" P "BEGIN_DECRYPTION\n"
	    P "DECRYPTION_INFO 0 9 2\n" P "PLAINTEXT 62 0 \n"
	    P "DECRYPTION_OKAY\n" P "END_DECRYPTION\n", &st);
	ck_assert(st.aead && vf_gpg_encrypted_ok(&st));
	/* An AEAD failure: BADMDC (2.4 says it for AEAD too). */
	parse_str(P "BEGIN_DECRYPTION\n" P "DECRYPTION_INFO 0 9 2\n"
	    P "PLAINTEXT 62 0 \n" P "BADMDC\n" P "DECRYPTION_FAILED\n"
	    P "END_DECRYPTION\n", &st);
	ck_assert(!vf_gpg_encrypted_ok(&st));
	/* MDC method and no AEAD, or a malformed third field. */
	parse_str(P "DECRYPTION_INFO 2 9 0\n", &st);
	ck_assert(!st.aead);
	parse_str(P "DECRYPTION_INFO 2 9 x\n", &st);
	ck_assert(!st.aead);
	/* DECRYPTION_KEY with malformed fingerprints is no key. */
	parse_str(P "DECRYPTION_KEY 1234 5678 u\n", &st);
	ck_assert_str_eq(st.dec_primary, "");
	/* Two good signatures by two keys are counted so. */
	parse_str(GOOD1 P "NEWSIG\n" P "GOODSIG 1111111111111111 B\n"
	    P "VALIDSIG 2222222222222222222222221111111111111111 2 1 0 4 0 22 8 "
	    "00 2222222222222222222222221111111111111111\n", &st);
	ck_assert_int_eq(st.sig_keys, 2);
	parse_str(GOOD1 GOOD1, &st);
	ck_assert_int_eq(st.sig_keys, 1);
}
END_TEST


START_TEST(signatures)
{
	struct vf_gpg_status st;

	parse_str(GOOD1, &st);
	ck_assert_int_eq(st.sig, VF_SIG_GOOD);
	ck_assert_str_eq(st.sig_fpr, FPR1);

	/* GOODSIG alone, or with a broken VALIDSIG, is no good. */
	parse_str(P "GOODSIG B8D2334DFEF2D2C7 A\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	ck_assert_str_eq(st.sig_fpr, "");
	parse_str(P "GOODSIG B8D2334DFEF2D2C7 A\n"
	    P "VALIDSIG " FPR1 " 2026-11-26 1 0 4 0 22 8 00 XYZ\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	parse_str(P "GOODSIG B8D2334DFEF2D2C7 A\n" P "VALIDSIG\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	/* VALIDSIG of another key than GOODSIG named. */
	parse_str(P "GOODSIG 1111111111111111 A\n"
	    P "VALIDSIG " FPR1 " 2026-11-26 1 0 4 0 22 8 00 " FPR1 "\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	/* Two VALIDSIG for one signature. */
	parse_str(GOOD1 P "VALIDSIG " FPR1 " 2 1 0 4 0 22 8 00 " FPR1 "\n",
	    &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	/* VALIDSIG with no verdict at all. */
	parse_str(P "VALIDSIG " FPR1 " 2 1 0 4 0 22 8 00 " FPR1 "\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	/* v5 fingerprints are not cut down to 40 digits. */
	parse_str(P "GOODSIG B8D2334DFEF2D2C7 A\n" P "VALIDSIG "
	    "20AD3B349D35F7D3D4E6C07FB8D2334DFEF2D2C720AD3B349D35F7D3D4E6C07F"
	    " 2 1 0 5 0 22 8 00 "
	    "20AD3B349D35F7D3D4E6C07FB8D2334DFEF2D2C720AD3B349D35F7D3D4E6C07F"
	    "\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	ck_assert_str_eq(st.sig_fpr, "");
	/* Lowercase hex is taken, uppercased; no primary field: field 1. */
	parse_str(P "GOODSIG b8d2334dfef2d2c7 A\n" P "VALIDSIG "
	    "20ad3b349d35f7d3d4e6c07fb8d2334dfef2d2c7 2 1 0 4 0 22 8 00\r\n",
	    &st);
	ck_assert_int_eq(st.sig, VF_SIG_GOOD);
	ck_assert_str_eq(st.sig_fpr, FPR1);
	ck_assert_str_eq(st.sig_keyid, "B8D2334DFEF2D2C7");
	/* A GOODSIG naming the fingerprint instead of the key ID. */
	parse_str(P "GOODSIG " FPR1 " A\n"
	    P "VALIDSIG " FPR1 " 2 1 0 4 0 22 8 00 " FPR1 "\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_GOOD);
	/* ERRSIG: rc 9 is no key, anything else an error. */
	parse_str(P "ERRSIG 01CE8D1EE5A127BE 22 8 00 1 9\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_NOKEY);
	parse_str(P "ERRSIG 01CE8D1EE5A127BE 22 8 00 1 4\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	parse_str(P "ERRSIG 01CE8D1EE5A127BE\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);

	/* The worst wins, whatever the order. */
	parse_str(P "NEWSIG\n" P "BADSIG 1111111111111111 X\n" GOOD1, &st);
	ck_assert_int_eq(st.sig, VF_SIG_BAD);
	ck_assert_str_eq(st.sig_keyid, "1111111111111111");
	ck_assert_str_eq(st.sig_fpr, "");
	parse_str(GOOD1 P "NEWSIG\n" P "REVKEYSIG 2222222222222222 X\n"
	    P "NEWSIG\n" P "ERRSIG 3333333333333333 22 8 00 1 9\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_REVKEY);
	ck_assert_str_eq(st.sig_keyid, "2222222222222222");
	parse_str(P "EXPSIG 1111111111111111 X\n" P "EXPKEYSIG "
	    "2222222222222222 X\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_EXPKEY);
	/* Two verdicts without NEWSIG are two signatures. */
	parse_str(P "GOODSIG B8D2334DFEF2D2C7 A\n"
	    P "BADSIG B8D2334DFEF2D2C7 A\n"
	    P "VALIDSIG " FPR1 " 2 1 0 4 0 22 8 00 " FPR1 "\n", &st);
	ck_assert_int_eq(st.sig, VF_SIG_BAD);
	/* Trust goes with its signature. */
	parse_str(GOOD1 P "TRUST_MARGINAL 0 pgp\n", &st);
	ck_assert_int_eq(st.trust, VF_TRUST_MARGINAL);
	parse_str(GOOD1 P "TRUST_FULLY 0 pgp\n" P "NEWSIG\n"
	    P "ERRSIG 3333333333333333 22 8 00 1 9\n", &st);
	ck_assert_int_eq(st.trust, VF_TRUST_UNKNOWN);
}
END_TEST

START_TEST(hostile)
{
	struct vf_gpg_status st;
	static const char nul[] = P "DECRYPTION_OKAY\0\n" P "PLAINTEXT\n"
	    "\0" P "BADMDC\n" P "NODATA\0 1\n" P "ENC_TO 1 2 3";
	char *big;
	size_t i;

	/* Not status lines, or nearly. */
	parse_str("DECRYPTION_OKAY\n[GNUPG:]DECRYPTION_OKAY\n"
	    " [GNUPG:] DECRYPTION_OKAY\n[gnupg:] DECRYPTION_OKAY\n"
	    "gpg: [GNUPG:] GOODSIG x\n" P "\n" P "    \n" P "decryption_okay\n"
	    P "DECRYPTION_OKAYX\n" P "XDECRYPTION_OKAY\n", &st);
	ck_assert(!st.decryption_okay && st.sig == VF_SIG_NONE);
	/* A partial last line still counts. */
	parse_str(P "PLAINTEXT 62 0\n" P "DECRYPTION_OK", &st);
	ck_assert(!st.decryption_okay && st.plaintext);
	parse_str(P "BADMDC", &st);
	ck_assert(st.badmdc);
	/* NUL bytes end nothing: lines end at LF only. */
	vf_gpg_status_parse(&st, nul, sizeof(nul) - 1);
	ck_assert(!st.decryption_okay);
	ck_assert(st.plaintext);
	ck_assert(!st.badmdc);
	ck_assert(!st.nodata);
	ck_assert_int_eq(st.enc_to, 1);
	/* Extra spaces between fields are tolerated. */
	parse_str(P "DECRYPTION_OKAY  \n" P "ERRSIG  0123456789ABCDEF  22 8 "
	    "00 1  9\n", &st);
	ck_assert(st.decryption_okay);
	ck_assert_int_eq(st.sig, VF_SIG_NOKEY);
	/* Error codes: huge, negative, not numbers. */
	parse_str(P "ERROR a 99999999999999999999\n" P "ERROR b -77\n"
	    P "FAILURE c 77x\n" P "ERROR d 4294967373\n", &st);
	ck_assert_int_eq(st.error, 4);
	ck_assert(!st.agent);
	parse_str(P "FAILURE e 77\n", &st);
	ck_assert(st.agent);
	parse_str(P "ERROR f 67109121\n", &st);	/* agent, ASS_CONNECT */
	ck_assert(st.agent);
	/* Empty input, and a parse replaces what was there. */
	st.decryption_okay = st.badmdc = 7;
	vf_gpg_status_parse(&st, "", 0);
	ck_assert(!st.decryption_okay && !st.badmdc && !st.agent);
	/* A very long line, many lines: linear, no crash. */
	big = vf_malloc(4 * 1024 * 1024);
	memset(big, 'A', 4 * 1024 * 1024);
	memcpy(big, P "GOODSIG ", 17);
	vf_gpg_status_parse(&st, big, 4 * 1024 * 1024);
	ck_assert_int_eq(st.sig, VF_SIG_ERROR);
	for (i = 0; i + 16 <= 4 * 1024 * 1024; i += 16)
		memcpy(big + i, P "NEWSIG\n", 16);
	vf_gpg_status_parse(&st, big, i);
	ck_assert_int_eq(st.sig, VF_SIG_NONE);
	memcpy(big + i - 16, P "BADMDC\n", 16);
	vf_gpg_status_parse(&st, big, i);
	ck_assert(st.badmdc);
	free(big);
}
END_TEST

START_TEST(random_status)
{
	static const char *words[] = { "NEWSIG", "GOODSIG", "BADSIG",
	    "ERRSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG", "VALIDSIG",
	    "TRUST_ULTIMATE", "TRUST_NEVER", "ERROR", "FAILURE", "NODATA",
	    "DECRYPTION_OKAY", "PLAINTEXT", "ENC_TO", FPR1, "9", "1",
	    "GOODMDC", "BEGIN_DECRYPTION", "END_DECRYPTION", "DECRYPTION_INFO",
	    "DECRYPTION_KEY", "BADMDC",
	    "B8D2334DFEF2D2C7", "pkdecrypt_failed", "gpg-exit", "\n", " ",
	    ("\n" P), P, "\r", "\0", "\377" };
	struct vf_gpg_status st;
	char buf[512];
	unsigned int seed = 42;
	size_t len, i, k, w;
	int round;

	for (round = 0; round < 20000; round++) {
		len = 0;
		k = (size_t)rand_r(&seed) % 40;
		for (i = 0; i < k; i++) {
			w = (size_t)rand_r(&seed) %
			    (sizeof(words) / sizeof(words[0]));
			if (len + strlen(words[w]) + 2 >= sizeof(buf))
				break;
			if (words[w][0] == '\0')
				buf[len++] = '\0';
			else {
				memcpy(buf + len, words[w], strlen(words[w]));
				len += strlen(words[w]);
			}
			if (rand_r(&seed) % 2)
				buf[len++] = ' ';
		}
		vf_gpg_status_parse(&st, buf, len);
		ck_assert(st.sig >= VF_SIG_NONE && st.sig <= VF_SIG_ERROR);
		ck_assert(st.trust >= VF_TRUST_UNKNOWN &&
		    st.trust <= VF_TRUST_ULTIMATE);
		ck_assert(st.sig_fpr[0] == '\0' ||
		    strcmp(st.sig_fpr, FPR1) == 0);
		ck_assert(st.sig_keyid[0] == '\0' ||
		    strlen(st.sig_keyid) == 16);
		/* Only GOODSIG with a matching VALIDSIG makes it good. */
		if (st.sig == VF_SIG_GOOD)
			ck_assert(memmem(buf, len, "VALIDSIG", 8) != NULL &&
			    memmem(buf, len, "GOODSIG", 7) != NULL);
		/* Encrypted only with every line of it. */
		if (vf_gpg_encrypted_ok(&st))
			ck_assert(memmem(buf, len, "BEGIN_DECRYPTION", 16) &&
			    memmem(buf, len, "END_DECRYPTION", 14) &&
			    memmem(buf, len, "DECRYPTION_OKAY", 15) &&
			    (memmem(buf, len, "GOODMDC", 7) ||
			    memmem(buf, len, "DECRYPTION_INFO", 15)));
	}
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(vf_sig_name(VF_SIG_NONE), "none");
	ck_assert_str_eq(vf_sig_name(VF_SIG_GOOD), "good");
	ck_assert_str_eq(vf_sig_name(VF_SIG_BAD), "bad");
	ck_assert_str_eq(vf_sig_name(VF_SIG_EXPIRED), "expired");
	ck_assert_str_eq(vf_sig_name(VF_SIG_EXPKEY), "expired-key");
	ck_assert_str_eq(vf_sig_name(VF_SIG_REVKEY), "revoked-key");
	ck_assert_str_eq(vf_sig_name(VF_SIG_NOKEY), "no-key");
	ck_assert_str_eq(vf_sig_name(VF_SIG_ERROR), "error");
	ck_assert_str_eq(vf_sig_name((enum vf_sig)99), "invalid");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_UNKNOWN), "unknown");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_UNDEFINED), "undefined");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_NEVER), "never");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_MARGINAL), "marginal");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_FULLY), "full");
	ck_assert_str_eq(vf_trust_name(VF_TRUST_ULTIMATE), "ultimate");
	ck_assert_str_eq(vf_trust_name((enum vf_trust)99), "invalid");
}
END_TEST

/* ---- real gpg ----------------------------------------------------------- */

/*
 * Homes: A the office (sign + encrypt key), B a stranger who also knows
 * A's public key, C a home whose agent cannot start, L a home with a
 * passphrase-locked key P and an open key F.
 */
static char homeA[64], homeB[64], homeC[64], homeL[64];
static char noagent[128], sleeper[128];
static char fprA[41], fprB[41], fprC[41], fprP[41], fprF[41];
/* 1 ready, 0 no gpg installed (skip), -1 gpg there but setup failed. */
static int have_gpg;

static void
usehome(const char *home)
{
	setenv("GNUPGHOME", home, 1);
}

/* Run gpg --batch --no-tty ARGS... in home; its exit code, -1 if none. */
static int
gpgx(const char *home, const char *in, size_t inlen, struct vf_buf *out,
    ...)
{
	char *argv[32];
	struct vf_buf err = { 0 };
	struct vf_io io[3];
	va_list ap;
	size_t n = 0, nio = 0;
	int rc, st;

	argv[n++] = "gpg";
	argv[n++] = "--batch";
	argv[n++] = "--no-tty";
	va_start(ap, out);
	while ((argv[n] = va_arg(ap, char *)) != NULL && n < 30)
		n++;
	va_end(ap);
	argv[n] = NULL;
	memset(io, 0, sizeof(io));
	io[nio].fd = 0;
	io[nio].in = in != NULL ? in : "";
	io[nio++].inlen = in != NULL ? inlen : 0;
	if (out != NULL) {
		io[nio].fd = 1;
		io[nio].out = out;
		io[nio++].max = 64 * 1024 * 1024;
	}
	io[nio].fd = 2;
	io[nio].out = &err;
	io[nio++].max = 65536;
	usehome(home);
	rc = vf_run(argv, io, nio, &st);
	vf_buf_free(&err);
	if (rc != 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int
getfpr(const char *home, const char *uid, char *fpr)
{
	struct vf_buf out = { 0 };
	char *p;

	fpr[0] = '\0';
	if (gpgx(home, NULL, 0, &out, "--with-colons", "--list-keys", uid,
	    NULL) == 0 && (p = strstr(out.p, "\nfpr:::::::::")) != NULL &&
	    strlen(p) > 13 + 40) {
		memcpy(fpr, p + 13, 40);
		fpr[40] = '\0';
	}
	vf_buf_free(&out);
	return fpr[0] != '\0' ? 0 : -1;
}

static int
mkkey(const char *home, const char *uid, const char *pass, char *fpr)
{
	const char *pe = pass != NULL ? "loopback" : "error";
	const char *pw = pass != NULL ? pass : "";

	if (gpgx(home, NULL, 0, NULL, "--pinentry-mode", pe, "--passphrase",
	    pw, "--quick-gen-key", uid, "ed25519", "sign,cert", "never",
	    NULL) != 0)
		return -1;
	if (getfpr(home, uid, fpr) != 0)
		return -1;
	return gpgx(home, NULL, 0, NULL, "--pinentry-mode", pe,
	    "--passphrase", pw, "--quick-add-key", fpr, "cv25519", "encr",
	    "never", NULL) == 0 ? 0 : -1;
}

static void
killagent(const char *home)
{
	char *kill[] = { "gpgconf", "--kill", "gpg-agent", NULL };
	char *rmsock[] = { "gpgconf", "--remove-socketdir", NULL };
	int st;

	usehome(home);
	(void)vf_run(kill, NULL, 0, &st);
	(void)vf_run(rmsock, NULL, 0, &st);
}

static int
rm1(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
rmhome(char *home)
{
	char conf[128];

	if (home[0] == '\0')
		return;
	snprintf(conf, sizeof(conf), "%s/gpg.conf", home);
	unlink(conf);
	unsetenv("VF_GPG");
	killagent(home);
	nftw(home, rm1, 16, FTW_DEPTH | FTW_PHYS);
	home[0] = '\0';
}

static int
mkhome(char *home)
{
	strlcpy(home, "/tmp/vf-gpg-test.XXXXXX", 64);
	if (mkdtemp(home) == NULL) {
		home[0] = '\0';
		return -1;
	}
	return chmod(home, 0700);
}

static void
gpg_setup(void)
{
	struct vf_buf pub = { 0 };
	FILE *fp;
	char *version[] = { "gpg", "--version", NULL };
	int st;

	unsetenv("VF_GPG");
	have_gpg = 0;
	if (vf_run(version, NULL, 0, &st) == EX_UNAVAILABLE) {
		fprintf(stderr, "# no gpg: real gpg tests skipped\n");
		vf_unit_skip("real", "gpg not installed");
		return;
	}
	have_gpg = -1;
	if (mkhome(homeA) || mkhome(homeB) || mkhome(homeC) || mkhome(homeL))
		return;
	if (mkkey(homeA, "Office <office@test>", NULL, fprA) != 0)
		return;
	if (mkkey(homeB, "Stranger <s@test>", NULL, fprB) ||
	    mkkey(homeC, "Cut <c@test>", NULL, fprC) ||
	    mkkey(homeL, "Locked <p@test>", "secret", fprP) ||
	    mkkey(homeL, "Open <f@test>", NULL, fprF))
		return;
	if (gpgx(homeA, NULL, 0, &pub, "--export", fprA, NULL) != 0 ||
	    gpgx(homeB, pub.p, pub.len, NULL, "--import", NULL) != 0)
		return;
	vf_buf_free(&pub);
	/* No cached passphrase for P; no agent at all for C. */
	killagent(homeL);
	killagent(homeC);
	/*
	 * vf runs gpg with --no-options, so a gpg.conf cannot take the agent
	 * away: a wrapper gives gpg an agent that cannot start.
	 */
	snprintf(noagent, sizeof(noagent), "%s/gpg-noagent", homeC);
	if ((fp = fopen(noagent, "w")) == NULL)
		return;
	fputs("#!/bin/sh\nexec gpg --agent-program /bin/false \"$@\"\n", fp);
	if (fclose(fp) != 0 || chmod(noagent, 0700) != 0)
		return;
	snprintf(sleeper, sizeof(sleeper), "%s/gpg-sleeps", homeC);
	if ((fp = fopen(sleeper, "w")) == NULL)
		return;
	fputs("#!/bin/sh\nexec sleep 30\n", fp);
	if (fclose(fp) != 0 || chmod(sleeper, 0700) != 0)
		return;
	have_gpg = 1;
}

static void
gpg_teardown(void)
{
	rmhome(homeA);
	rmhome(homeB);
	rmhome(homeC);
	rmhome(homeL);
}

#define NEED_GPG()	do {						\
	ck_assert_msg(have_gpg != -1, "gpg test setup failed");	\
	if (have_gpg == 0)						\
		return;							\
} while (0)

START_TEST(roundtrip)
{
	struct vf_gpg e = { 0 }, d = { 0 };
	const char *text = "報告 report\n\0binary\377\n";
	size_t len = 22;

	NEED_GPG();
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_encrypt(text, len, fprA, &e), 0);
	ck_assert(e.st.end_encryption);
	ck_assert(strncmp(e.out.p, "-----BEGIN PGP MESSAGE-----", 27) == 0);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1000, &d), 0);
	ck_assert_uint_eq(d.out.len, len);
	ck_assert(memcmp(d.out.p, text, len) == 0);
	ck_assert(d.st.decryption_okay);
	ck_assert_int_eq(d.st.sig, VF_SIG_NONE);
	ck_assert_int_eq(d.over, 0);
	ck_assert_int_eq(d.encrypted, 1);
	ck_assert_int_eq(d.runs, 1);
	ck_assert(vf_gpg_opened_by(&d.st, fprA));
	/* The struct can be used again. */
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1000, &d), 0);
	ck_assert_uint_eq(d.out.len, len);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(roundtrip_big)
{
	struct vf_gpg e = { 0 }, d = { 0 };
	size_t len = 3 * 1024 * 1024, i;
	char *text = vf_malloc(len);
	unsigned int seed = 7;

	NEED_GPG();
	/* Incompressible, so gpg writes a lot before reading all input. */
	for (i = 0; i < len; i++)
		text[i] = (char)rand_r(&seed);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_encrypt(text, len, fprA, &e), 0);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, len, &d), 0);
	ck_assert_uint_eq(d.out.len, len);
	ck_assert(memcmp(d.out.p, text, len) == 0);
	free(text);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(no_seckey)
{
	struct vf_gpg e = { 0 }, d = { 0 };

	NEED_GPG();
	/* B encrypts to its own key; A has neither key. */
	usehome(homeB);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), fprB, &e), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1000, &d),
	    EX_DATAERR);
	ck_assert(d.st.no_seckey);
	ck_assert(!d.st.agent);
	ck_assert_uint_eq(d.out.len, 0);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(tampered)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg d = { 0 };

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--encrypt", "--recipient", fprA, NULL), 0);
	ck_assert(ct.len > 40);
	/* In the MDC: gpg writes the plaintext, then says BADMDC. */
	ct.p[ct.len - 5] ^= 1;
	usehome(homeA);
	ck_assert_int_ne(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert(d.st.badmdc);
	ck_assert(d.st.decryption_failed);
	ck_assert(d.st.plaintext);
	ck_assert_uint_eq(d.out.len, 0);
	ck_assert(d.out.p == NULL || d.out.p[0] == '\0');
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(garbage)
{
	struct vf_gpg d = { 0 };

	NEED_GPG();
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt("not pgp at all\n", 15, 1000, &d),
	    EX_DATAERR);
	ck_assert(d.st.nodata);
	ck_assert_uint_eq(d.out.len, 0);
	ck_assert_int_eq(vf_gpg_decrypt("", 0, 1000, &d), EX_DATAERR);
	ck_assert(d.st.nodata);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(detached)
{
	struct vf_buf sig = { 0 }, sigB = { 0 };
	struct vf_gpg v = { 0 };

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &sig,
	    "--detach-sign", "--armor", NULL), 0);
	ck_assert_int_eq(gpgx(homeB, TEXT, strlen(TEXT), &sigB,
	    "--local-user", fprB, "--detach-sign", "--armor", NULL), 0);
	usehome(homeA);

	ck_assert_int_eq(vf_gpg_verify(TEXT, strlen(TEXT), sig.p, sig.len,
	    &v), 0);
	ck_assert_int_eq(v.st.sig, VF_SIG_GOOD);
	ck_assert_str_eq(v.st.sig_fpr, fprA);
	ck_assert_str_eq(v.st.sig_keyid, fprA + 24);
	ck_assert_int_eq(v.st.trust, VF_TRUST_ULTIMATE);

	ck_assert_int_eq(vf_gpg_verify("hello rEport\n", 13, sig.p, sig.len,
	    &v), 0);
	ck_assert_int_eq(v.st.sig, VF_SIG_BAD);
	ck_assert_str_eq(v.st.sig_fpr, "");

	ck_assert_int_eq(vf_gpg_verify(TEXT, strlen(TEXT), sigB.p, sigB.len,
	    &v), 0);
	ck_assert_int_eq(v.st.sig, VF_SIG_NOKEY);
	ck_assert_str_eq(v.st.sig_fpr, "");

	ck_assert_int_eq(vf_gpg_verify(TEXT, strlen(TEXT), TEXT,
	    strlen(TEXT), &v), EX_DATAERR);
	ck_assert_int_eq(v.st.sig, VF_SIG_NONE);
	ck_assert(v.st.nodata);
	vf_buf_free(&sig);
	vf_buf_free(&sigB);
	vf_gpg_free(&v);
}
END_TEST

START_TEST(signed_only)
{
	struct vf_buf cs = { 0 }, in = { 0 };
	struct vf_gpg d = { 0 };
	char *p;

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &cs, "--clearsign",
	    NULL), 0);
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &in, "--sign",
	    "--armor", NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(cs.p, cs.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(d.st.sig, VF_SIG_GOOD);
	ck_assert_str_eq(d.st.sig_fpr, fprA);
	ck_assert(!d.st.enc_to && !d.st.decryption_okay);
	ck_assert_int_eq(d.encrypted, 0);

	/* "BEGIN PGP MESSAGE", and only signed: never encrypted. */
	ck_assert(strncmp(in.p, "-----BEGIN PGP MESSAGE-----", 27) == 0);
	ck_assert_int_eq(vf_gpg_decrypt(in.p, in.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(d.st.sig, VF_SIG_GOOD);
	ck_assert_int_eq(d.encrypted, 0);
	ck_assert(!vf_gpg_was_encrypted(&d.st));

	/* A forged clearsigned text: the text, and the verdict bad. */
	ck_assert((p = strstr(cs.p, "hello report")) != NULL);
	p[7] = 'E';
	ck_assert_int_eq(vf_gpg_decrypt(cs.p, cs.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, "hello rEport\n");
	ck_assert_int_eq(d.st.sig, VF_SIG_BAD);

	/* Signed by a key we do not have. */
	vf_buf_free(&in);
	ck_assert_int_eq(gpgx(homeB, TEXT, strlen(TEXT), &in, "--local-user",
	    fprB, "--sign", "--armor", NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(in.p, in.len, 1000, &d), 0);
	ck_assert_int_eq(d.st.sig, VF_SIG_NOKEY);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(d.encrypted, 0);
	vf_buf_free(&cs);
	vf_buf_free(&in);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(encrypted_signed)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg d = { 0 };

	NEED_GPG();
	/* B signs (A lacks B's key: gpg exits 2), encrypts to A. */
	ck_assert_int_eq(gpgx(homeB, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--local-user", fprB, "--sign", "--encrypt",
	    "--recipient", fprA, NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(d.st.sig, VF_SIG_NOKEY);
	ck_assert(WIFEXITED(d.wstatus) && WEXITSTATUS(d.wstatus) == 2);
	vf_buf_free(&ct);

	/* A signs and encrypts to itself. */
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--sign", "--encrypt", "--recipient", fprA, NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(d.st.sig, VF_SIG_GOOD);
	ck_assert_str_eq(d.st.sig_fpr, fprA);
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(encrypted_badsig)
{
	struct vf_buf sm = { 0 }, ct = { 0 };
	struct vf_gpg d = { 0 };
	char *p;

	NEED_GPG();
	/*
	 * A signed message with its text changed, then encrypted as it is
	 * (--no-literal): gpg stops at BADSIG before the integrity check.
	 */
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &sm,
	    "--compress-algo", "none", "--sign", NULL), 0);
	ck_assert((p = memmem(sm.p, sm.len, "hello report", 12)) != NULL);
	p[7] = 'E';
	ck_assert_int_eq(gpgx(homeA, sm.p, sm.len, &ct, "--trust-model",
	    "always", "--no-literal", "--encrypt", "--recipient", fprA,
	    NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, "hello rEport\n");
	ck_assert_int_eq(d.st.sig, VF_SIG_BAD);
	ck_assert(d.st.decryption_okay);
	/* The second run decrypted it, under the whole rule. */
	ck_assert_int_eq(d.encrypted, 1);
	ck_assert_int_eq(d.runs, 2);
	/* Both runs are in the raw status: BADSIG, then the good MDC. */
	ck_assert(strstr(d.status.p, "BADSIG") != NULL);
	ck_assert(strstr(d.status.p, "GOODMDC") != NULL);
	vf_buf_free(&sm);
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(hidden_recipient)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg d = { 0 };

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeB, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--throw-keyids", "--encrypt", "--recipient", fprA,
	    NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(bomb)
{
	struct vf_gpg e = { 0 }, d = { 0 };
	size_t len = 8 * 1024 * 1024;
	char *zeros = vf_calloc(len, 1);

	NEED_GPG();
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_encrypt(zeros, len, fprA, &e), 0);
	ck_assert(e.out.len < 100000);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1024 * 1024, &d),
	    EX_DATAERR);
	ck_assert_int_eq(d.over, 1);
	ck_assert_uint_eq(d.out.len, 0);
	/* Exactly at the limit is fine. */
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, len, &d), 0);
	ck_assert_uint_eq(d.out.len, len);
	ck_assert_int_eq(d.over, 0);
	/* One byte less is not. */
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, len - 1, &d),
	    EX_DATAERR);
	ck_assert_int_eq(d.over, 1);
	free(zeros);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(symmetric)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg d = { 0 };

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &ct,
	    "--pinentry-mode", "loopback", "--passphrase", "pw", "--symmetric",
	    NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), EX_DATAERR);
	ck_assert(d.st.symmetric);
	ck_assert_uint_eq(d.out.len, 0);
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(agent_unreachable)
{
	struct vf_gpg e = { 0 }, d = { 0 };

	NEED_GPG();
	/* Encryption needs no agent; decryption does, and it cannot start. */
	usehome(homeC);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), fprC, &e), 0);
	setenv("VF_GPG", noagent, 1);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1000, &d),
	    EX_TEMPFAIL);
	unsetenv("VF_GPG");
	ck_assert(d.st.no_seckey);
	ck_assert_uint_eq(d.out.len, 0);
	/* The probe that told the agent away from a missing key: 2 runs. */
	ck_assert_int_eq(d.runs, 2);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(locked_key)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg e = { 0 }, d = { 0 };

	NEED_GPG();
	usehome(homeL);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), fprP, &e), 0);
	ck_assert_int_eq(vf_gpg_decrypt(e.out.p, e.out.len, 1000, &d),
	    EX_TEMPFAIL);
	ck_assert(d.st.agent);
	/* Locked P first, open F second: F works despite the ERROR line. */
	ck_assert_int_eq(gpgx(homeL, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--encrypt", "--recipient", fprP, "--recipient", fprF,
	    NULL), 0);
	usehome(homeL);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	vf_buf_free(&ct);
	vf_gpg_free(&e);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(bad_recipient)
{
	struct vf_gpg e = { 0 };

	NEED_GPG();
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT),
	    "0123456789ABCDEF0123456789ABCDEF01234567", &e), EX_CONFIG);
	ck_assert(e.st.inv_recp);
	ck_assert_uint_eq(e.out.len, 0);
	/* Not fingerprints: refused before gpg runs. */
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), "office@test",
	    &e), EX_CONFIG);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), fprA + 24, &e),
	    EX_CONFIG);
	ck_assert_int_eq(vf_gpg_encrypt(TEXT, strlen(TEXT), "", &e),
	    EX_CONFIG);
	vf_gpg_free(&e);
}
END_TEST

START_TEST(no_options)
{
	struct vf_buf ct = { 0 }, nomdc = { 0 }, ki = { 0 };
	struct vf_gpg d = { 0 };
	char conf[128];
	FILE *fp;

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--encrypt", "--recipient", fprA, NULL), 0);
	/* No integrity check: a legacy cipher without MDC. */
	ck_assert_int_eq(gpgx(homeA, TEXT, strlen(TEXT), &nomdc,
	    "--trust-model", "always", "--rfc2440", "--cipher-algo", "3DES",
	    "--encrypt", "--recipient", fprA, NULL), 0);
	/* B's signature with B's key in it, for --auto-key-import. */
	ck_assert_int_eq(gpgx(homeB, TEXT, strlen(TEXT), &ki, "--local-user",
	    fprB, "--include-key-block", "--sign", "--armor", NULL), 0);
	/*
	 * A gpg.conf that would break or bend every run: an option gpg
	 * does not know (it would exit 2), --ignore-mdc-error, and
	 * --auto-key-import. vf runs gpg with --no-options: none counts.
	 */
	snprintf(conf, sizeof(conf), "%s/gpg.conf", homeA);
	ck_assert((fp = fopen(conf, "w")) != NULL);
	fputs("ignore-mdc-error\nauto-key-import\nno-such-option-here\n",
	    fp);
	ck_assert(fclose(fp) == 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_str_eq(d.out.p, TEXT);
	ck_assert_int_eq(vf_gpg_decrypt(nomdc.p, nomdc.len, 1000, &d),
	    EX_DATAERR);
	ck_assert_uint_eq(d.out.len, 0);
	ck_assert(!d.st.decryption_okay);
	ck_assert_int_eq(vf_gpg_decrypt(ki.p, ki.len, 1000, &d), 0);
	ck_assert_int_eq(d.st.sig, VF_SIG_NOKEY);
	ck_assert_int_eq(d.encrypted, 0);
	/* And B's key was not imported on the way. */
	ck_assert_int_eq(vf_gpg_key_mailboxes(fprB, &d), EX_DATAERR);
	unlink(conf);
	vf_buf_free(&ct);
	vf_buf_free(&nomdc);
	vf_buf_free(&ki);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(other_key)
{
	struct vf_buf ct = { 0 };
	struct vf_gpg d = { 0 };

	NEED_GPG();
	/* F and P live in L: a mail to F is opened by F, not by P. */
	ck_assert_int_eq(gpgx(homeL, TEXT, strlen(TEXT), &ct, "--trust-model",
	    "always", "--encrypt", "--recipient", fprF, NULL), 0);
	usehome(homeL);
	ck_assert_int_eq(vf_gpg_decrypt(ct.p, ct.len, 1000, &d), 0);
	ck_assert_int_eq(d.encrypted, 1);
	ck_assert(vf_gpg_opened_by(&d.st, fprF));
	ck_assert(!vf_gpg_opened_by(&d.st, fprP));
	vf_buf_free(&ct);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(mailboxes)
{
	struct vf_gpg g = { 0 };

	NEED_GPG();
	ck_assert_int_eq(gpgx(homeA, NULL, 0, NULL, "--quick-add-uid", fprA,
	    "Office Desk <Desk@Example.JP>", NULL), 0);
	ck_assert_int_eq(gpgx(homeA, NULL, 0, NULL, "--quick-add-uid", fprA,
	    "Gone <gone@example.jp>", NULL), 0);
	ck_assert_int_eq(gpgx(homeA, NULL, 0, NULL, "--quick-add-uid", fprA,
	    "a:b <colon@example.jp>", NULL), 0);
	ck_assert_int_eq(gpgx(homeA, NULL, 0, NULL, "--quick-revoke-uid",
	    fprA, "Gone <gone@example.jp>", NULL), 0);
	usehome(homeA);
	ck_assert_int_eq(vf_gpg_key_mailboxes(fprA, &g), 0);
	/* "office@test" names no valid mailbox; the revoked uid is out. */
	ck_assert_msg(strcmp(g.out.p, "Desk@Example.JP\ncolon@example.jp\n")
	    == 0 || strcmp(g.out.p, "colon@example.jp\nDesk@Example.JP\n")
	    == 0, "mailboxes: '%s'", g.out.p);
	ck_assert_int_eq(g.runs, 1);
	/* By fingerprint only; an unknown one is no key. */
	ck_assert_int_eq(vf_gpg_key_mailboxes(
	    "0123456789ABCDEF0123456789ABCDEF01234567", &g), EX_DATAERR);
	ck_assert_int_eq(vf_gpg_key_mailboxes("office@test", &g), EX_DATAERR);
	ck_assert_int_eq(vf_gpg_key_mailboxes(fprA + 24, &g), EX_DATAERR);
	vf_gpg_free(&g);
}
END_TEST

START_TEST(timeout)
{
	struct vf_kv kv[] = { { "gpg-timeout", "1" } };
	struct vf_config cfg = { kv, 1 };
	struct vf_gpg d = { 0 };
	char err[256];

	NEED_GPG();
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_gpg_timeout(), 1);
	setenv("VF_GPG", sleeper, 1);
	/* A gpg that hangs is killed at gpg-timeout: a retry may work. */
	ck_assert_int_eq(vf_gpg_decrypt(TEXT, strlen(TEXT), 1000, &d),
	    EX_TEMPFAIL);
	ck_assert_int_eq(d.timedout, 1);
	ck_assert(WIFSIGNALED(d.wstatus) && WTERMSIG(d.wstatus) == SIGKILL);
	ck_assert_int_eq(vf_gpg_verify(TEXT, 1, TEXT, 1, &d), EX_TEMPFAIL);
	ck_assert_int_eq(d.timedout, 1);
	unsetenv("VF_GPG");
	cfg.n = 0;
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_gpg_timeout(), 60);
	vf_gpg_free(&d);
}
END_TEST

START_TEST(no_gpg)
{
	struct vf_kv kv[2];
	struct vf_config cfg = { kv, 1 };
	struct vf_gpg g = { 0 };
	char err[256];

	setenv("VF_GPG", "/nonexistent/gpg", 1);
	ck_assert_int_eq(vf_gpg_decrypt("x", 1, 10, &g), EX_UNAVAILABLE);
	ck_assert_int_eq(vf_gpg_verify("x", 1, "y", 1, &g), EX_UNAVAILABLE);
	ck_assert_int_eq(vf_gpg_encrypt("x", 1,
	    "0123456789ABCDEF0123456789ABCDEF01234567", &g), EX_UNAVAILABLE);
	/* Never found through PATH: a bare name is no program. */
	setenv("VF_GPG", "gpg", 1);
	ck_assert_int_eq(vf_gpg_decrypt("x", 1, 10, &g), EX_UNAVAILABLE);
	cfg.n = 0;
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), EX_CONFIG);
	ck_assert(strstr(err, "absolute") != NULL);
	unsetenv("VF_GPG");
	cfg.n = 1;
	kv[0].name = "gpg-program";
	kv[0].value = "bin/gpg";
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), EX_CONFIG);
	kv[0].value = "/nonexistent/gpg2";
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(vf_gpg_program(), "/nonexistent/gpg2");
	ck_assert_int_eq(vf_gpg_decrypt("x", 1, 10, &g), EX_UNAVAILABLE);
	/* $VF_GPG still comes first. */
	setenv("VF_GPG", "/nonexistent/gpg3", 1);
	ck_assert_str_eq(vf_gpg_program(), "/nonexistent/gpg3");
	unsetenv("VF_GPG");
	kv[0].name = "gpg-timeout";
	kv[0].value = "0";
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), EX_CONFIG);
	kv[0].value = "3601";
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), EX_CONFIG);
	cfg.n = 0;
	ck_assert_int_eq(vf_gpg_config(&cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(vf_gpg_program(), "/usr/bin/gpg");
	vf_gpg_free(&g);
}
END_TEST

static Suite *
gpg_suite(void)
{
	Suite *s = suite_create("gpg");
	TCase *tc;

	tc = tcase_create("status");
	tcase_add_loop_test(tc, transcript_table, 0,
	    (int)(sizeof(tr) / sizeof(tr[0])));
	tcase_add_test(tc, transcript_details);
	tcase_add_test(tc, rule);
	tcase_add_test(tc, signatures);
	tcase_add_test(tc, hostile);
	tcase_add_test(tc, random_status);
	tcase_add_test(tc, names);
	tcase_add_test(tc, no_gpg);
	suite_add_tcase(s, tc);

	tc = tcase_create("real");
	tcase_add_unchecked_fixture(tc, gpg_setup, gpg_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, roundtrip_big);
	tcase_add_test(tc, no_seckey);
	tcase_add_test(tc, tampered);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, detached);
	tcase_add_test(tc, signed_only);
	tcase_add_test(tc, encrypted_signed);
	tcase_add_test(tc, encrypted_badsig);
	tcase_add_test(tc, hidden_recipient);
	tcase_add_test(tc, bomb);
	tcase_add_test(tc, symmetric);
	tcase_add_test(tc, agent_unreachable);
	tcase_add_test(tc, locked_key);
	tcase_add_test(tc, bad_recipient);
	tcase_add_test(tc, no_options);
	tcase_add_test(tc, other_key);
	tcase_add_test(tc, mailboxes);
	tcase_add_test(tc, timeout);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(gpg_suite)
