/*
 * fuzz_decide - vf-decide's arguments, the publication date with its zone,
 * and each decision applied to a case in every state and of every kind.
 *
 * Input: the arguments one a line (the first is the decision), then,
 * after a line "%%", the body of a proposal part (what a follow-up of
 * anyone proposes, read by take). Whatever they hold:
 *  - a date that parses gives a time whose UTC form parses back to it;
 *  - a decision either is refused (EX_DATAERR, a reason given, the case
 *    unchanged byte for byte) or leaves a case the reader takes back;
 *  - a move made is one vf_move_ok allows vf-decide;
 *  - taken again on what it made, it changes nothing (idempotent).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	/* One day for every run: answered twice is then the same day. */
	if (setenv("VF_NOW", "2026-12-02T03:00:00Z", 1) == -1 ||
	    vf_share_fields(&fields) != 0)
		exit(1);
	atexit(unload);
	return 0;
}

static void
pubdate(const char *s)
{
	char ts[32], back[40], err[256];
	time_t t, u;

	if (vf_pubdate_parse(s, &t, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		return;
	}
	vf_timestamp(ts, sizeof(ts), t);
	if (vf_time_parse(ts, &u) == -1 || u != t)
		abort();
	/* Its UTC form, as staff might give it, is the same time. */
	(void)snprintf(back, sizeof(back), "%.10s %.8s Z", ts, ts + 11);
	if (vf_pubdate_parse(back, &u, err, sizeof(err)) == -1 || u != t)
		abort();
}

static void
make_case(struct vf_case *c, const char *kind, const char *body, size_t len,
    const struct vf_decide *d)
{
	struct vf_kv h[] = {
		{ "Vf-Proposed-By", "vendor unsigned" },
		{ "Vf-Received", "2026-12-01T00:00:00Z" },
		{ "Vf-Of", "3" },
	};
	struct vf_buf p = { 0 };
	size_t i;

	vf_case_init(c, "2026-00007", "fuzz", 1796000000);
	vf_case_set(c, "Vf-Kind", kind);
	vf_case_field_set(c, "product.version", "1.0");
	for (i = 0; i < d->nfields; i++)
		vf_buf_printf(&p, "%s%s", i == 0 ? "" : ", ", d->fields[i]);
	if (p.len > 0)
		vf_case_set(c, "Vf-Proposes", p.p);
	vf_buf_free(&p);
	if (body != NULL)
		(void)vf_case_add_part(c, "proposal", "text/plain; "
		    "charset=utf-8", h, 3, body, len);
}

static void
serial(const struct vf_case *c, struct vf_buf *b)
{
	b->len = 0;
	vf_case_write(c, b);
	vf_buf_add(b, "", 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "software", "web", "vendor",
	    "unknown" };
	struct vf_decide d;
	struct vf_decided r, r2;
	struct vf_case c, c2;
	struct vf_buf before = { 0 }, after = { 0 };
	char *in, *p, *body = NULL, **argv = NULL, err[1024];
	size_t i, k, s, bodylen = 0;
	int argc = 0, rc;

	in = vf_malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	if ((p = strstr(in, "\n%%\n")) != NULL) {
		*p = '\0';
		body = p + 4;
		bodylen = size - (size_t)(body - in);
	}
	argv = vf_calloc(64, sizeof(*argv));
	for (p = in; p != NULL && argc < 63; ) {
		argv[argc++] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	for (i = 0; i < (size_t)argc; i++)
		pubdate(argv[i]);
	if (vf_decide_args(&d, argc, argv, &fields, err, sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();
		goto out;
	}
	d.staff = "fuzz";
	d.coord_address = "coordinator@example.jp";
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (s = 0; vf_states[s] != NULL; s++) {
			make_case(&c, kinds[k], body, bodylen, &d);
			serial(&c, &before);
			/* A proposal the reader would refuse is no case. */
			memset(&c2, 0, sizeof(c2));
			rc = vf_case_parse(&c2, before.p, before.len, err,
			    sizeof(err));
			vf_case_free(&c2);
			if (rc != 0) {
				vf_case_free(&c);
				goto out;
			}
			rc = vf_decide_apply(&d, &c, vf_states[s], &r, err,
			    sizeof(err));
			serial(&c, &after);
			if (rc != 0 || r.changes == 0) {
				/* Refused, or taken already: untouched. */
				if ((rc != 0 && (rc != EX_DATAERR ||
				    err[0] == '\0')) || before.len != after.len ||
				    memcmp(before.p, after.p, before.len) != 0)
					abort();
				vf_case_free(&c);
				continue;
			}
			if (r.to != NULL && !vf_move_ok(vf_states[s], r.to,
			    vf_kind_bit(vf_case_get(&c, "Vf-Kind")),
			    VF_BY_DECIDE))
				abort();
			/* What it wrote, read back, decided again: nothing. */
			memset(&c2, 0, sizeof(c2));
			if (vf_case_parse(&c2, after.p, after.len, err,
			    sizeof(err)) != 0)
				abort();
			if (vf_decide_apply(&d, &c2, r.to != NULL ? r.to :
			    vf_states[s], &r2, err, sizeof(err)) != 0 ||
			    r2.changes != 0)
				abort();
			vf_case_free(&c2);
			vf_case_free(&c);
		}
out:
	vf_decide_free(&d);
	vf_buf_free(&before);
	vf_buf_free(&after);
	free(argv);
	free(in);
	return 0;
}
