/*
 * fuzz_contacts - ROOT/contacts as staff write it, and the hosts of URLs
 * as reporters write them. vf_contacts_parse takes any bytes: either an
 * error that says FILE:LINE, or entries each of which is what vf-route
 * mails to: a host in A-labels that is no public suffix, an addr-spec, a
 * fingerprint of 40 hex digits or none, ja, en or none; and each is found
 * by its host. vf_url_host and vf_host_walk on the same bytes: a host is
 * LDH A-labels, the walk never goes past the registrable domain.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_contacts l;
	const struct vf_contact *e;
	const char *v[16], *reg;
	char *copy, *s, *h, err[512];
	size_t i, n;
	int rc;

	copy = vf_malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	rc = vf_contacts_parse(&l, copy, size, "contacts", err, sizeof(err));
	free(copy);
	if (rc != 0 && (rc != EX_CONFIG || strncmp(err, "contacts:", 9) != 0))
		abort();
	for (i = 0; rc == 0 && i < l.n; i++) {
		e = &l.c[i];
		if (vf_host_is_suffix(e->host) || !vf_addr_valid(e->addr) ||
		    (e->fpr[0] != '\0' && strspn(e->fpr,
		    "0123456789ABCDEF") != 40) || (e->lang[0] != '\0' &&
		    strcmp(e->lang, "ja") != 0 && strcmp(e->lang, "en") != 0))
			abort();
		if (vf_contacts_find(&l, e->host) != e)
			abort();
		if ((h = vf_host_ascii(e->host)) == NULL || strcmp(h,
		    e->host) != 0)
			abort();
		free(h);
	}
	if (rc == 0)
		vf_contacts_free(&l);

	/* The same bytes as a URL a reporter gave. */
	s = vf_strndup((const char *)data, size);
	if ((h = vf_url_host(s)) != NULL) {
		if (strspn(h, "abcdefghijklmnopqrstuvwxyz0123456789.-") !=
		    strlen(h))
			abort();
		n = vf_host_walk(h, v, 16);
		reg = vf_host_registrable(h);
		if ((n == 0) != (reg == NULL))
			abort();
		for (i = 0; i < n; i++)
			if (strlen(v[i]) < strlen(reg) ||
			    strcmp(v[i] + strlen(v[i]) - strlen(reg), reg) != 0)
				abort();
		free(h);
	}
	free(s);
	return 0;
}
