#include "vf.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
vf_base64_encode(struct vf_buf *b, const void *data, size_t n)
{
	const unsigned char *s = data;
	char q[4];
	size_t i, col = 0;
	unsigned v;

	vf_buf_grow(b, (n + 2) / 3 * 4 + n / 57 + 2);
	for (i = 0; i < n; i += 3) {
		v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		vf_buf_add(b, q, 4);
		if ((col += 4) == 76) {
			vf_buf_addc(b, '\n');
			col = 0;
		}
	}
	if (col > 0)
		vf_buf_addc(b, '\n');
}
