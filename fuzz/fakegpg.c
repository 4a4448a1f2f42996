/*
 * fakegpg - a stand-in for gpg, for fuzz_decrypted: it "decrypts" an
 * armored block by taking the text inside the armor as the plaintext, so
 * that the fuzzer writes the plaintext itself. That is what an attacker
 * can do too: anyone may encrypt to the office's public key, so whatever
 * vf_report_extract does with a decrypted MIME tree (nested encryption,
 * signatures, armored blocks inside it, text beside it) must hold for any
 * plaintext.
 *
 * The status it prints is what gpg prints for a good decryption (or
 * verification), unless the plaintext starts with "FAIL" (DECRYPTION_FAILED),
 * "NOMDC" (decrypted without an integrity check), "SIGONLY" (a message
 * only signed, as gpg --sign --armor makes: no encryption lines) or
 * "BADSIG" (a bad signature); "SIGNED" adds a good signature, "OTHER" one
 * by another key. Standalone: no libvf, no sanitizer needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
slurp(int fd, size_t *len)
{
	char *p = NULL, *np;
	size_t cap = 0, n = 0;
	ssize_t r;

	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((np = realloc(p, cap + 1)) == NULL)
				exit(2);
			p = np;
		}
		if ((r = read(fd, p + n, cap - n)) <= 0)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*len = n;
	return p;
}

static void
put(int fd, const char *s, size_t n)
{
	ssize_t r;

	while (n > 0 && (r = write(fd, s, n)) > 0) {
		s += r;
		n -= (size_t)r;
	}
}

static void
status(const char *s)
{
	put(3, "[GNUPG:] ", 9);
	put(3, s, strlen(s));
	put(3, "\n", 1);
}

/* The line after the first line starting with mark, and after a blank. */
static const char *
inside(const char *p, const char *end, const char *mark)
{
	size_t ml = strlen(mark);
	const char *nl;

	for (; p < end; p = nl + 1) {
		if ((size_t)(end - p) >= ml && memcmp(p, mark, ml) == 0)
			break;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return NULL;
	}
	if (p >= end)
		return NULL;
	/* Armor headers up to the first empty line. */
	for (;;) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return end;
		p = nl + 1;
		if (p < end && *p == '\n')
			return p + 1;
		if (p >= end)
			return end;
	}
}

/*
 * Where the last line starting with mark begins, or end: the last, so
 * that a plaintext may hold armored blocks of its own (nested PGP/MIME).
 */
static const char *
line_at(const char *p, const char *end, const char *mark)
{
	size_t ml = strlen(mark);
	const char *nl, *found = end;

	for (; p < end; p = nl + 1) {
		if ((size_t)(end - p) >= ml && memcmp(p, mark, ml) == 0)
			found = p;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	return found;
}

static void
goodsig(const char *pt, size_t n)
{
	if (n >= 6 && memcmp(pt, "BADSIG", 6) == 0) {
		status("NEWSIG");
		status("BADSIG CCDDEEFF00112233 Fake <fake@example.jp>");
		return;
	}
	if (n >= 5 && memcmp(pt, "OTHER", 5) == 0) {
		status("NEWSIG");
		status("GOODSIG 8899AABBCCDDEEFF Other <other@example.jp>");
		status("VALIDSIG 0011223344556677AABBCCDD8899AABBCCDDEEFF "
		    "2026-01-01 1767225600 0 4 0 22 10 00 "
		    "0011223344556677AABBCCDD8899AABBCCDDEEFF");
		status("TRUST_FULLY 0 pgp");
		return;
	}
	status("NEWSIG");
	status("GOODSIG CCDDEEFF00112233 Fake <fake@example.jp>");
	status("VALIDSIG 00112233445566778899AABBCCDDEEFF00112233 2026-01-01 "
	    "1767225600 0 4 0 22 10 00 00112233445566778899AABBCCDDEEFF00112233");
	status("TRUST_ULTIMATE 0 pgp");
}

static int
done(char *in, int rc)
{
	free(in);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *s, *e, *end;
	char *in;
	size_t len;
	int i, decrypt = 0, verify = 0, encrypt = 0, list = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list-keys") == 0)
			list = 1;
		else if (strcmp(argv[i], "--decrypt") == 0)
			decrypt = 1;
		else if (strcmp(argv[i], "--verify") == 0)
			verify = 1;
		else if (strcmp(argv[i], "--encrypt") == 0)
			encrypt = 1;
	}
	in = slurp(0, &len);
	end = in + len;
	if (list) {
		/* The signer's key and its user ID; any other is unknown. */
		if (strcmp(argv[argc - 1],
		    "00112233445566778899AABBCCDDEEFF00112233") != 0)
			return done(in, 2);
		s = "pub:u:255:22:CCDDEEFF00112233:1767225600:::u:::scESC:\n"
		    "fpr:::::::::00112233445566778899AABBCCDDEEFF00112233:\n"
		    "uid:u::::1767225600::AA::Fake <fake@example.jp>::::::::::0:\n";
		put(1, s, strlen(s));
		return done(in, 0);
	}
	if (encrypt) {
		put(1, in, len);
		status("END_ENCRYPTION");
		return done(in, 0);
	}
	if (verify) {
		goodsig(in, len);
		return done(in, 0);
	}
	if (!decrypt)
		return done(in, 2);
	if ((s = inside(in, end, "-----BEGIN PGP MESSAGE-----")) != NULL) {
		e = line_at(s, end, "-----END PGP MESSAGE-----");
		if ((size_t)(e - s) >= 7 && memcmp(s, "SIGONLY", 7) == 0) {
			status("PLAINTEXT 62 0 ");
			goodsig(s + 7, (size_t)(e - s) - 7);
			put(1, s, (size_t)(e - s));
			return done(in, 0);
		}
		status("ENC_TO 0123456789ABCDEF 18 0");
		status("DECRYPTION_KEY 1111111111111111111111110123456789ABCDEF "
		    "FFEEDDCCBBAA99887766554433221100FFEEDDCC u");
		status("BEGIN_DECRYPTION");
		status("DECRYPTION_INFO 2 9 0");
		if ((size_t)(e - s) >= 4 && memcmp(s, "FAIL", 4) == 0) {
			status("DECRYPTION_FAILED");
			status("END_DECRYPTION");
			return done(in, 2);
		}
		status("PLAINTEXT 62 0 ");
		if ((size_t)(e - s) >= 6 && memcmp(s, "SIGNED", 6) == 0)
			goodsig(s + 6, (size_t)(e - s) - 6);
		put(1, s, (size_t)(e - s));
		status("DECRYPTION_OKAY");
		if ((size_t)(e - s) < 5 || memcmp(s, "NOMDC", 5) != 0)
			status("GOODMDC");
		status("END_DECRYPTION");
		return done(in, 0);
	}
	if ((s = inside(in, end, "-----BEGIN PGP SIGNED MESSAGE-----")) !=
	    NULL) {
		e = line_at(s, end, "-----BEGIN PGP SIGNATURE-----");
		status("PLAINTEXT 74 0 ");
		goodsig(s, (size_t)(e - s));
		put(1, s, (size_t)(e - s));
		return done(in, 0);
	}
	status("NODATA 1");
	return done(in, 2);
}
