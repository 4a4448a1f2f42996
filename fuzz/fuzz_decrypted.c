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
	rc = vf_report_extract(&r, msg, len, &lim);
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
	}
	vf_report_text(&r, r.prot, 0, &b);
	b.len = 0;
	vf_report_text(&r, r.prot, 1, &b);
	vf_buf_free(&b);
	vf_report_free(&r);
	free(msg);
	return 0;
}
