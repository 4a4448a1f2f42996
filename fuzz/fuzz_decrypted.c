/*
 * fuzz_decrypted - vf_report_extract where every armored block opens: gpg
 * is fuzz/fakegpg (next to this binary), whose "plaintext" is the text
 * inside the armor, so the fuzzer writes what an attacker who encrypts to
 * the office key can write. Nested multipart/encrypted, armored blocks
 * inside plaintexts, signatures, clear text beside decrypted text: the
 * report must be whole, its protection honest, and everything freed.
 */
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

/* The key fakegpg says it decrypted with. */
#define OFFICE	"FFEEDDCCBBAA99887766554433221100FFEEDDCC"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1) {
		if (strlcpy(self, (*argv)[0], sizeof(self)) >= sizeof(self))
			errx(1, "path too long");
	} else
		self[n] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	else
		strlcpy(self, ".", sizeof(self));
	if (snprintf(path, sizeof(path), "%s/fakegpg", self) >=
	    (int)sizeof(path))
		errx(1, "path too long");
	if (access(path, X_OK) == -1)
		err(1, "%s", path);
	setenv("VF_GPG", path, 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_report r;
	struct vf_limits lim;
	struct vf_buf b = { 0 };
	char *msg;
	size_t len, i;
	int rc;

	msg = vf_malloc(size + 1);
	memcpy(msg, data, size);
	msg[size] = '\0';
	len = vf_mail_normalize(msg, size);
	vf_limits_default(&lim);
	rc = vf_report_extract(&r, msg, len, &lim, OFFICE);
	if (rc != 0 && rc != EX_TEMPFAIL && rc != EX_UNAVAILABLE)
		abort();
	if (r.prot < VF_PROT_CLEAR || r.prot > VF_PROT_ENCRYPTED)
		abort();
	for (i = 0; i < r.np; i++) {
		if (r.p[i].prot > r.prot)
			abort();	/* the report is the best protected */
		if (!r.p[i].attachment && memchr(r.p[i].data, '\0',
		    r.p[i].len) == NULL && !vf_utf8_valid(r.p[i].data,
		    r.p[i].len))
			abort();	/* text is UTF-8 */
		if (r.p[i].prot == VF_PROT_ENCRYPTED && !r.encrypted)
			abort();
		/* A signer only with a good signature, and one signature. */
		if ((r.p[i].signer[0] != '\0') != (r.p[i].sig == VF_SIG_GOOD))
			abort();
		if (r.p[i].sigi >= (int)r.nsigv ||
		    (r.p[i].sigi >= 0 && r.sigv[r.p[i].sigi].sig !=
		    r.p[i].sig) || (r.p[i].sig != VF_SIG_NONE &&
		    r.p[i].sigi < 0 && r.p[i].sig != VF_SIG_ERROR))
			abort();
		/* Only a good signature lifts clear text. */
		if (r.p[i].prot == VF_PROT_SIGNED && r.p[i].sig == VF_SIG_NONE)
			abort();
		/*
		 * The report's signer signed every piece of its text; a
		 * mixed report has none.
		 */
		if (rc == 0 && !r.p[i].attachment && r.p[i].prot == r.prot &&
		    r.signer[0] != '\0' && strcmp(r.p[i].signer, r.signer))
			abort();
	}
	if (rc == 0 && r.mixed && (r.signer[0] != '\0' ||
	    r.sig.sig != VF_SIG_NONE))
		abort();
	if (rc == 0 && r.signer[0] != '\0' && (r.sig.sig != VF_SIG_GOOD ||
	    strcmp(r.sig.sig_fpr, r.signer) != 0 || r.signers < 1))
		abort();
	vf_report_text(&r, r.prot, 0, &b);
	b.len = 0;
	vf_report_text(&r, r.prot, 1, &b);
	vf_buf_free(&b);
	vf_report_free(&r);
	free(msg);
	return 0;
}
