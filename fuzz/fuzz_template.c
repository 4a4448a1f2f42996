/*
 * fuzz_template - a notice template file (SHARE/templates/KIND.LANG),
 * filled with values an attacker wrote.
 *
 * Whatever the file holds: it loads or is refused with a message; a
 * template that loads fills or fails naming the slot; a filled body holds
 * no CR or NUL, and no escape the template did not hold itself (a
 * value's "\r" and controls become '?', a "${x}" in a value stays inert
 * text), and no value that is not in a slot of the template.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "scratch.h"

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
	(void)argc;
	(void)argv;
	/* The table from the real data directory, then templates from ours. */
	if (vf_share_fields(&fields) != 0)
		exit(1);
	if (setenv("VF_SHARE", scratch_dir("templates"), 1) != 0)
		exit(1);
	atexit(unload);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_template t;
	struct vf_view w;
	struct vf_buf o = { 0 };
	struct vf_kv vars[] = {
		{ "office.name", "Office\r\nBcc: evil@example.com" },
		{ "missing", "${office.name}\x1b[2J\x7f" },
		{ "message", "SECRET-OUTSIDE" },
	};
	char err[512];
	size_t i;
	int rc;

	scratch_write("templates/x.en", data, size);
	if ((rc = vf_template_load(&t, "x", "en", err, sizeof(err))) != 0) {
		if (err[0] == '\0')
			abort();
		vf_template_free(&t);
		return 0;
	}
	if (t.subject == NULL || t.body == NULL ||
	    strchr(t.subject, '\n') != NULL || strchr(t.body, '\r') != NULL)
		abort();
	memset(&w, 0, sizeof(w));
	memcpy(w.lang, "en", 3);
	rc = vf_template_fill(&t, &w, vars, 2, &fields, "en", &o, err,
	    sizeof(err));
	if (rc != 0 && err[0] == '\0')
		abort();
	if (rc == 0) {
		for (i = 0; i < o.len; i++)
			if (o.p[i] == '\r' || o.p[i] == '\0' ||
			    (o.p[i] == '\x1b' && strchr(t.body, '\x1b') ==
			    NULL))
				abort();
		/* A value not given is never printed; one given, inertly. */
		if (memmem(o.p, o.len, "SECRET-OUTSIDE", 14) != NULL &&
		    strstr(t.body, "SECRET-OUTSIDE") == NULL)
			abort();
	}
	vf_buf_free(&o);
	vf_template_free(&t);
	return 0;
}
