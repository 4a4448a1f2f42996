#include "vf.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 57 input bytes make one full line of 76 characters. */
#define LINE_IN		57

void
vf_base64_encode(struct vf_buf *b, const void *data, size_t n)
{
	const unsigned char *s = data;
	size_t i, end;
	unsigned v;
	char *o;

	/* Written in place: the size is known, so one growth at most. */
	vf_buf_grow(b, (n + 2) / 3 * 4 + (n + LINE_IN - 1) / LINE_IN);
	o = b->p + b->len;
	for (i = 0; i < n;) {
		end = n - i > LINE_IN ? i + LINE_IN : n;
		for (; end - i >= 3; i += 3) {
			v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 |
			    s[i + 2];
			*o++ = b64[v >> 18 & 63];
			*o++ = b64[v >> 12 & 63];
			*o++ = b64[v >> 6 & 63];
			*o++ = b64[v & 63];
		}
		if (i < end) {
			v = (unsigned)s[i] << 16;
			if (end - i == 2)
				v |= (unsigned)s[i + 1] << 8;
			*o++ = b64[v >> 18 & 63];
			*o++ = b64[v >> 12 & 63];
			*o++ = end - i == 2 ? b64[v >> 6 & 63] : '=';
			*o++ = '=';
			i = end;
		}
		*o++ = '\n';
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/* The value of a base64 digit, or -1. */
int
vf_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The value of a hexadecimal digit, or -1. */
int
vf_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}
