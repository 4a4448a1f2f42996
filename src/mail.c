/*
 * Raw mail: line ends and header blocks. Everything after this sees LF
 * line ends only, and header fields as name and unfolded value.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"

size_t
vf_mail_normalize(char *s, size_t n)
{
	char *r, *w, *e = s + n, *nl;

	r = s;
	/* The mbox separator is not part of the message. */
	if (n >= 5 && memcmp(s, "From ", 5) == 0) {
		for (nl = s; nl < e && *nl != '\n' && *nl != '\r'; nl++)
			;
		if (nl < e && *nl == '\r')
			nl++;
		if (nl < e && *nl == '\n')
			nl++;
		r = nl;
	}
	w = s;
	while (r < e) {
		nl = memchr(r, '\r', (size_t)(e - r));
		if (nl == NULL)
			nl = e;
		if (w != r)
			memmove(w, r, (size_t)(nl - r));
		w += nl - r;
		r = nl;
		if (r < e) {
			/* CRLF and a bare CR alike end a line. */
			*w++ = '\n';
			r++;
			if (r < e && *r == '\n')
				r++;
		}
	}
	return (size_t)(w - s);
}

/* A field name: printable US-ASCII but the colon (RFC 5322 ftext). */
static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
			return 0;
	return 1;
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Store the field whose name is [name, name + nl) and whose value runs from
 * v to e across continuation lines. Returns 0, or -1 when it is longer than
 * the limit (and is not stored).
 */
static int
add_field(struct vf_kv **kv, size_t *n, size_t *cap, const char *name,
    size_t nl, const char *v, const char *e, size_t max)
{
	const char *p;
	char *val, *w;
	size_t len;

	/* Unfolding removes the line ends only, not the white space. */
	len = (size_t)(e - v);
	for (p = v; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		len--;
	if (nl + 1 + len > max)
		return -1;
	while (v < e && (is_wsp(*v) || *v == '\n' || *v == '\r'))
		v++;
	while (e > v && (is_wsp(e[-1]) || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	w = val = vf_malloc((size_t)(e - v) + 1);
	for (p = v; p < e; p++) {
		if (*p == '\n' || (*p == '\r' && p + 1 < e && p[1] == '\n'))
			continue;
		/* A NUL would cut the value short for every reader after. */
		*w++ = *p == '\0' ? ' ' : *p;
	}
	*w = '\0';
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*kv = vf_reallocarray(*kv, *cap, sizeof(**kv));
	}
	(*kv)[*n].name = vf_strndup(name, nl);
	(*kv)[*n].value = val;
	(*n)++;
	return 0;
}

/*
 * Header fields are kept in order, names as written. A line that is not a
 * field is skipped (VF_PART_BADHDR); when the very first line is not one,
 * there is no header block: the body starts there. *flags is set (not or-ed)
 * and also gets VF_PART_TRUNCATED when a limit dropped fields.
 */
int
vf_headers_parse(const char *msg, size_t len, const struct vf_limits *lim,
    struct vf_kv **kvp, size_t *np, const char **body, int *flags)
{
	struct vf_limits def;
	struct vf_kv *kv = NULL;
	const char *p, *e = msg + len, *le, *ce, *colon, *name = NULL;
	const char *val = NULL, *vend = NULL;
	size_t n = 0, cap = 0, nl = 0;
	int fl = 0, rc = 0, seen = 0;

	if (lim == NULL) {
		vf_limits_default(&def);
		lim = &def;
	}
	p = msg;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	*body = e;
	for (; p < e; p = le < e ? le + 1 : e) {
		if ((le = memchr(p, '\n', (size_t)(e - p))) == NULL)
			le = e;
		ce = le > p && le[-1] == '\r' ? le - 1 : le;
		if (ce == p) {
			*body = le < e ? le + 1 : e;
			break;
		}
		if (is_wsp(*p)) {
			if (name != NULL)
				vend = le;
			else
				fl |= VF_PART_BADHDR;
			continue;
		}
		if (name != NULL) {
			if (n >= lim->headers) {
				rc = EX_DATAERR;
				fl |= VF_PART_TRUNCATED;
			} else if (add_field(&kv, &n, &cap, name, nl, val, vend,
			    lim->header) == -1) {
				rc = EX_DATAERR;
				fl |= VF_PART_TRUNCATED;
			}
			name = NULL;
		}
		if (!seen && ce - p >= 5 && memcmp(p, "From ", 5) == 0) {
			/* An mbox separator left on an enclosed message. */
			seen = 1;
			continue;
		}
		colon = memchr(p, ':', (size_t)(ce - p));
		nl = colon ? (size_t)(colon - p) : 0;
		/* Obsolete syntax allows white space before the colon. */
		while (nl > 0 && is_wsp(p[nl - 1]))
			nl--;
		if (colon == NULL || !valid_name(p, nl)) {
			fl |= VF_PART_BADHDR;
			if (!seen) {
				*body = p;
				break;
			}
			continue;
		}
		seen = 1;
		name = p;
		val = colon + 1;
		vend = le;
	}
	if (name != NULL) {
		if (n >= lim->headers) {
			rc = EX_DATAERR;
			fl |= VF_PART_TRUNCATED;
		} else if (add_field(&kv, &n, &cap, name, nl, val, vend,
		    lim->header) == -1) {
			rc = EX_DATAERR;
			fl |= VF_PART_TRUNCATED;
		}
	}
	*kvp = kv;
	*np = n;
	if (flags != NULL)
		*flags = fl;
	return rc;
}

void
vf_headers_free(struct vf_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}
