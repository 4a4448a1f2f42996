/*
 * fuzz_report - taking a whole mail apart, as vf_intake does, without
 * gpg: $VF_GPG is /bin/false, so every decryption and verification fails
 * at once, and the fuzzer explores what the walk does around them (nested
 * multipart/encrypted and signed, armored blocks in odd places, text
 * beside ciphertext). When gpg "cannot be run" or "may work later", the
 * extraction stops with that code; either way the report must be whole
 * enough to free, and its text must be UTF-8. The case tag found in its
 * subject (vf_id_scan) is a valid id in the office's bracketed form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("VF_GPG", "/bin/false", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_report r;
	struct vf_limits lim;
	struct vf_buf b = { 0 };
	char *msg, id[VF_IDLEN];
	size_t len, i;
	int rc;

	msg = vf_malloc(size + 1);
	memcpy(msg, data, size);
	msg[size] = '\0';
	len = vf_mail_normalize(msg, size);
	vf_limits_default(&lim);
	rc = vf_report_extract(&r, msg, len, &lim, NULL);
	if (rc != 0 && rc != EX_TEMPFAIL && rc != EX_UNAVAILABLE)
		abort();
	if (r.prot < VF_PROT_CLEAR || r.prot > VF_PROT_ENCRYPTED)
		abort();
	for (i = 0; i < r.np; i++)
		if (r.p[i].prot > r.prot)
			abort();	/* the report is the best protected */
	/*
	 * No gpg, nothing decrypted: nothing may claim it was (a stopped
	 * extraction is thrown away by its caller, flags and all).
	 */
	if (rc == 0 && (r.decrypted ||
	    (r.prot == VF_PROT_ENCRYPTED && !r.encrypted)))
		abort();
	vf_report_text(&r, r.prot, 0, &b);
	b.len = 0;
	vf_report_text(&r, r.prot, 1, &b);
	vf_buf_free(&b);
	if (r.subject != NULL) {
		(void)vf_form_kind_subject(r.subject);
		/*
		 * A case is named only by the tag in the office's own form:
		 * what vf_id_scan finds is a valid id, bracketed so.
		 */
		if (vf_id_scan(r.subject, id, sizeof(id))) {
			char tag[VF_IDLEN + 16];

			if (!vf_id_valid(id))
				abort();
			(void)snprintf(tag, sizeof(tag), "[VF#%s]", id);
			if (strstr(r.subject, tag) == NULL) {
				(void)snprintf(tag, sizeof(tag),
				    "\xe3\x80\x90VF#%s\xe3\x80\x91", id);
				if (strstr(r.subject, tag) == NULL)
					abort();
			}
		}
	}
	vf_report_free(&r);
	free(msg);
	return 0;
}
