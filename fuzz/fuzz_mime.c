/*
 * fuzz_mime - the MIME parser and the header decoders on hostile mail.
 *
 * Each input is a raw mail: normalised on a copy (as vf_intake does), parsed
 * into a tree, and every leaf converted to UTF-8; the headers a report's
 * filing reads are decoded. Parsed twice: with the default limits, and
 * (for inputs small enough to be cheap) with tiny ones, so that the paths
 * taken when a limit is crossed are fuzzed as much as the common ones.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const params[] = {
	"boundary", "charset", "name", "filename", "protocol", "micalg", NULL
};

static void
headers(const struct vf_part *p)
{
	const char *v;
	char *s;
	size_t i;

	for (i = 0; params[i] != NULL; i++) {
		if ((v = vf_part_header(p, "Content-Type")) != NULL) {
			free(vf_hdr_param(v, params[i]));
			if (i == 0)
				free(vf_hdr_token(v));
		}
		if ((v = vf_part_header(p, "Content-Disposition")) != NULL)
			free(vf_hdr_param(v, params[i]));
	}
	if ((v = vf_part_header(p, "Subject")) != NULL)
		free(vf_hdr_decode(v));
	if ((v = vf_part_header(p, "From")) != NULL) {
		s = vf_hdr_decode(v);
		if (!vf_utf8_valid(s, strlen(s)))
			abort();	/* "decoded to UTF-8": the contract */
		free(s);
	}
}

/* Every part of the tree, without recursion (the depth is the input's). */
static void
walk(const struct vf_mime *m)
{
	const struct vf_part **stack = NULL, *p;
	size_t n = 0, cap = 0, i, len;
	char *t;

	if (m->root == NULL)
		abort();	/* "never fails": there is always a root */
	stack = vf_reallocarray(NULL, cap = 16, sizeof(*stack));
	stack[n++] = m->root;
	while (n > 0) {
		p = stack[--n];
		if (p->type == NULL)
			abort();	/* "never NULL" */
		headers(p);
		if (p->nchild == 0) {
			if (p->data != NULL) {
				t = vf_part_text(p, &len);
				if (t != NULL && memchr(t, '\0', len) == NULL &&
				    !vf_utf8_valid(t, len))
					abort();
				free(t);
			}
			continue;
		}
		for (i = 0; i < p->nchild; i++) {
			if (p->child[i]->parent != p)
				abort();
			if (n == cap)
				stack = vf_reallocarray(stack, cap *= 2,
				    sizeof(*stack));
			stack[n++] = p->child[i];
		}
	}
	free(stack);
}

static void
parse(const char *msg, size_t len, const struct vf_limits *lim)
{
	struct vf_mime m;

	memset(&m, 0, sizeof(m));
	(void)vf_mime_parse(&m, msg, len, lim);
	walk(&m);
	vf_mime_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_limits lim;
	char *msg, d[65];
	size_t len;

	/* The identity of the mail, on exactly its bytes (no NUL after). */
	vf_mail_digest((const char *)data, size, d);
	if (strlen(d) != 64)
		abort();
	msg = vf_malloc(size + 1);
	memcpy(msg, data, size);
	msg[size] = '\0';
	len = vf_mail_normalize(msg, size);
	if (len > size)
		abort();
	vf_limits_default(&lim);
	parse(msg, len, &lim);
	if (size < 65536) {
		lim.header = 200;
		lim.headers = 12;
		lim.depth = 3;
		lim.parts = 8;
		lim.decoded = 1024;
		parse(msg, len, &lim);
	}
	free(msg);
	return 0;
}
