/*
 * fuzz_known - the known-vulnerability list parser (known.c), what it
 * builds on (versions.c, urlcanon.c), and the reading of a report's
 * versions, on any bytes: a list file comes from a converter of outside
 * feeds, a version from a reporter.
 *
 * Whatever the input: nothing crashes; a parse either accepts every line
 * or names the first bad one as "file:line: reason" with EX_CONFIG; every
 * entry has an ID without white space and a product key or a URL; a
 * canonical URL is canonical again unchanged; "*" meets every entry's
 * versions; the input read as a report's version words never crashes
 * and meets itself unless it says nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_known k;
	struct vf_versions all, v;
	char err[256], *s, *c, *c2;
	size_t i;
	int rc;

	memset(&k, 0, sizeof(k));
	err[0] = '\0';
	rc = vf_known_parse(&k, "known/fuzz", (const char *)data, size, err,
	    sizeof(err));
	if (rc != 0 && (rc != EX_CONFIG || strncmp(err, "known/fuzz:", 11) != 0))
		abort();
	vf_versions_parse(&all, "*");
	for (i = 0; i < k.n; i++) {
		if (k.e[i].id == NULL || k.e[i].id[0] == '\0' ||
		    strpbrk(k.e[i].id, " \t\n") != NULL)
			abort();
		if (k.e[i].pkey == NULL && k.e[i].url == NULL)
			abort();
		if (k.e[i].url != NULL) {
			if ((c = vf_url_canon(k.e[i].url, NULL)) == NULL ||
			    strcmp(c, k.e[i].url) != 0)
				abort();
			free(c);
		}
		if (!vf_versions_overlap(&all, &k.e[i].ver))
			abort();
	}
	vf_versions_free(&all);
	vf_known_free(&k);

	/* The same bytes as one value a reporter wrote. */
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) == size && vf_utf8_valid(s, size)) {
		vf_versions_text(&v, s);
		(void)vf_versions_overlap(&v, &v);
		vf_versions_free(&v);
		if ((c = vf_url_canon(s, NULL)) != NULL) {
			if ((c2 = vf_url_canon(c, NULL)) == NULL ||
			    strcmp(c, c2) != 0)
				abort();
			free(c2);
			free(c);
		}
	}
	free(s);
	return 0;
}
