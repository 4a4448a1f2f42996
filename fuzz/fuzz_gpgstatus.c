/*
 * fuzz_gpgstatus - gpg's --status-fd output and the decryption rule.
 *
 * The status lines come from gpg, but what gpg prints in them (user ids,
 * notation data, file names from a literal packet) comes from whoever made
 * the message. The parser must take any bytes; the rules must never call a
 * decryption good that the status does not show as good, nor a message
 * encrypted that shows no encryption packet decrypted with its integrity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_gpg_status st;
	static const int wstatus[] = { 0, 1 << 8, 2 << 8, 9 };
	static const size_t outlen[] = { 0, 1, 4096 };
	size_t i, j;
	char *copy;

	/* An exact-size copy, so that a read past the end is seen. */
	copy = vf_malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	memset(&st, 0, sizeof(st));
	vf_gpg_status_parse(&st, copy, size);
	free(copy);

	if (memchr(st.sig_fpr, '\0', sizeof(st.sig_fpr)) == NULL ||
	    memchr(st.sig_keyid, '\0', sizeof(st.sig_keyid)) == NULL)
		abort();
	if (vf_sig_name(st.sig) == NULL || vf_trust_name(st.trust) == NULL)
		abort();
	for (i = 0; i < sizeof(wstatus) / sizeof(wstatus[0]); i++)
		for (j = 0; j < sizeof(outlen) / sizeof(outlen[0]); j++) {
			if (!vf_gpg_decrypt_ok(&st, wstatus[i], outlen[j]))
				continue;
			/*
			 * The design's rule (§2 principle 7): DECRYPTION_OKAY
			 * when it was encrypted, a checked signature when it
			 * was only signed; never a failure line, an empty
			 * plaintext or a gpg killed by a signal.
			 */
			if (st.decryption_failed || st.badmdc || st.nodata ||
			    st.error || !st.plaintext || outlen[j] == 0 ||
			    wstatus[i] == 9)
				abort();
			if ((st.enc_to || st.begin_decryption ||
			    st.symmetric) && !st.decryption_okay)
				abort();
			if (!st.decryption_okay && st.sig == VF_SIG_NONE)
				abort();
			/*
			 * Any sign of an encryption packet: the whole rule,
			 * begin, okay, an integrity check, end. None: a
			 * message only signed, never called encrypted.
			 */
			if (vf_gpg_was_encrypted(&st) &&
			    (!st.begin_decryption || !st.decryption_okay ||
			    !st.end_decryption || (!st.goodmdc && !st.aead) ||
			    st.symmetric))
				abort();
			if (!vf_gpg_was_encrypted(&st) &&
			    vf_gpg_encrypted_ok(&st))
				abort();
		}
	if (memchr(st.dec_fpr, '\0', sizeof(st.dec_fpr)) == NULL ||
	    memchr(st.dec_primary, '\0', sizeof(st.dec_primary)) == NULL)
		abort();
	if (vf_gpg_encrypted_ok(&st) && (st.badmdc || st.decryption_failed ||
	    st.nodata || st.error))
		abort();
	return 0;
}
