/*
 * fuzz_form - the form parser on hostile report text.
 *
 * The field table is loaded once, from $VF_SHARE or the build's SHAREDIR
 * (the source tree's share/ for fuzzers). The input is the report text as
 * vf_intake hands it over: UTF-8 (bytes that are not are first converted,
 * as the charset layer would), NUL-terminated, possibly with NULs inside.
 * Parsed once with the kind unknown and once as each kind, since the kind
 * narrows which labels count; the first line is also tried as a Subject.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct vf_fields fields;

static void
unload(void)
{
	vf_fields_free(&fields);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[4096], msg[512];

	if (snprintf(path, sizeof(path), "%s/fields", vf_share()) >=
	    (int)sizeof(path))
		errx(1, "share path too long");
	if (vf_fields_load(&fields, path, msg, sizeof(msg)) != 0)
		errx(1, "%s", msg);
	atexit(unload);
	return 0;
}

static void
form(const char *text, size_t len, int kind)
{
	struct vf_form f;
	size_t i, n;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	n = vf_form_parse(&f, &fields, text, len);
	if (n != f.n || f.n > fields.n)
		abort();	/* one value per field at most */
	for (i = 0; i < f.n; i++) {
		if (f.v[i].name == NULL || f.v[i].value == NULL ||
		    vf_fields_find(&fields, f.v[i].name) == NULL)
			abort();
		(void)strlen(f.v[i].value);
	}
	if (kind != 0 && f.kind != kind)
		abort();	/* a known kind is not second-guessed */
	vf_form_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *line, *nl;
	size_t len;

	if (vf_utf8_valid((const char *)data, size)) {
		text = vf_malloc(size + 1);
		memcpy(text, data, size);
		text[size] = '\0';
		len = size;
	} else
		text = vf_to_utf8((const char *)data, size, NULL, &len, NULL);
	form(text, len, 0);
	form(text, len, VF_KIND_SOFTWARE);
	form(text, len, VF_KIND_WEB);
	form(text, len, VF_KIND_VENDOR);
	line = vf_strdup(text);
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	(void)vf_form_kind_subject(line);
	free(line);
	free(text);
	return 0;
}
