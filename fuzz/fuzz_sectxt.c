/*
 * fuzz_sectxt - a security.txt as the office keeps it: whatever the site
 * served (RFC 9116), signed or not. vf_sectxt_unwrap and vf_sectxt_parse
 * take any bytes; what they give must hold what vf-route relies on: a
 * mailto: address it takes is an addr-spec, a key is 40 uppercase hex
 * digits, a language is ja or en, an Expires kept is one that parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_buf text = { 0 };
	struct vf_sectxt s;
	const char *lang;
	char *copy, *a, fpr[41];
	time_t t;
	size_t i;
	int sig, rc;

	/* An exact-size copy, so that a read past the end is seen. */
	copy = vf_malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	rc = vf_sectxt_unwrap(copy, size, &text, &sig);
	if (rc < -1 || rc > 1 || sig < 0 || sig > 2 || (rc == 1 && !sig) ||
	    (rc == 0 && sig))
		abort();
	/* Unwrapping only removes: never more text than came in. */
	if (rc >= 0 && text.len > size + 1)
		abort();
	free(copy);
	vf_buf_add(&text, "", 0);
	copy = vf_malloc(text.len > 0 ? text.len : 1);
	memcpy(copy, text.p, text.len);
	vf_sectxt_parse(&s, copy, text.len);
	free(copy);
	for (i = 0; i < s.ncontact; i++) {
		if ((a = vf_sectxt_mailto(s.contact[i])) != NULL &&
		    !vf_addr_valid(a))
			abort();
		free(a);
	}
	for (i = 0; i < s.nencryption; i++)
		if (vf_sectxt_keyfpr(s.encryption[i], fpr)) {
			if (strlen(fpr) != 40 ||
			    strspn(fpr, "0123456789ABCDEF") != 40)
				abort();
		}
	if ((lang = vf_sectxt_lang(&s)) != NULL && strcmp(lang, "ja") != 0 &&
	    strcmp(lang, "en") != 0)
		abort();
	if (s.expires_t != -1 && (s.expires == NULL ||
	    vf_rfc3339_parse(s.expires, &t) != 0 || t != s.expires_t))
		abort();
	if (s.nexpires > 0 && s.expires == NULL)
		abort();
	vf_sectxt_free(&s);
	vf_buf_free(&text);
	return 0;
}
