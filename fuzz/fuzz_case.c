/*
 * fuzz_case - the case-file reader and writer.
 *
 * Whatever vf_case_parse accepts, vf_case_write must give back byte for
 * byte (vf-case(5) promises it, and every tool that changes a case relies
 * on it to leave the rest alone), and what it writes must parse again.
 * A case changed the way the tools change it must still be a case.
 * The head reader (vf_case_parsehead, both modes, a first read cut
 * anywhere) accepts whatever the whole reader accepts and gives the same
 * headers, fields and history; every part read (VF_HEAD_PARTS), it
 * refuses what the whole reader refuses, with its words, but for the
 * normalized part, which it does not check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
same(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen || memcmp(a, b, alen) != 0)
		abort();
}

static void
lookups(const struct vf_case *c)
{
	size_t i;

	(void)vf_case_get(c, "Vf-Id");
	(void)vf_case_get(c, "Subject");
	(void)vf_case_field(c, "reporter.name");
	for (i = 0; i < c->nfield; i++)
		if (vf_case_field(c, c->field[i].name) == NULL)
			abort();
	for (i = 0; i < c->npart; i++)
		(void)vf_cpart_get(&c->part[i], "Vf-Part");
}

static void
same_str(const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		abort();
}

/* The head reader against the whole one (rc, err: vf_case_parse's). */
static void
head(const char *in, size_t size, const struct vf_case *full, int rc,
    const char *err)
{
	struct vf_case h;
	char herr[256];
	size_t i, first = size / 2 + 1;
	int flags, hrc;

	for (flags = 0; flags <= VF_HEAD_PARTS; flags += VF_HEAD_PARTS) {
		hrc = vf_case_parsehead(&h, in, size, first, flags, herr,
		    sizeof(herr));
		if (rc == 0) {
			if (hrc != 0 || h.nhdr != full->nhdr ||
			    h.nfield != full->nfield || h.nhist != full->nhist ||
			    h.npart != (flags ? full->npart : 2))
				abort();
			for (i = 0; i < h.nhdr; i++)
				same_str(h.hdr[i].value, full->hdr[i].value);
			for (i = 0; i < h.nfield; i++)
				same_str(h.field[i].value, full->field[i].value);
			for (i = 0; i < h.nhist; i++)
				same_str(h.hist[i], full->hist[i]);
		} else if (flags && strstr(err, "normalized part is not") ==
		    NULL && (hrc != rc || strcmp(herr, err) != 0))
			abort();
		if (hrc == 0)
			vf_case_free(&h);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_case c, c2;
	struct vf_buf out = { 0 }, out2 = { 0 };
	char *in, err[256];

	in = vf_malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	memset(&c, 0, sizeof(c));
	if (vf_case_parse(&c, in, size, err, sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();	/* "with a message in err" */
		head(in, size, NULL, EX_DATAERR, err);
		vf_case_free(&c);
		free(in);
		return 0;
	}
	lookups(&c);
	head(in, size, &c, 0, "");
	vf_case_write(&c, &out);
	same(in, size, out.p, out.len);

	/* Change it as the tools do; the result must still be a case. */
	vf_case_set(&c, "Vf-Kind", "web");
	vf_case_field_set(&c, "reporter.name", "Yamada\nTaro");
	vf_case_field_set(&c, "product.name", "");
	vf_case_field_del(&c, "reporter.email");
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain; charset=utf-8",
	    NULL, 0, "a note\n", 7);
	out.len = 0;
	vf_case_write(&c, &out);
	memset(&c2, 0, sizeof(c2));
	if (vf_case_parse(&c2, out.p, out.len, err, sizeof(err)) != 0)
		abort();
	lookups(&c2);
	if (vf_case_field(&c2, "reporter.email") != NULL ||
	    vf_case_field(&c2, "reporter.name") == NULL ||
	    strcmp(vf_case_field(&c2, "reporter.name"), "Yamada\nTaro") != 0)
		abort();
	vf_case_write(&c2, &out2);
	same(out.p, out.len, out2.p, out2.len);

	vf_case_free(&c2);
	vf_case_free(&c);
	vf_buf_free(&out2);
	vf_buf_free(&out);
	free(in);
	return 0;
}
