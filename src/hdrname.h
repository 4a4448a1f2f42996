/*
 * hdrname.h - where a header field's name ends, for the two readers of
 * header blocks (mail.c's of any mail, case.c's of the case files): every
 * header line of every mail and case passes here, so it is inline.
 */
#ifndef VF_HDRNAME_H
#define VF_HDRNAME_H

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The bytes of a header name: printable ASCII but ':' (RFC 5322 ftext). */
static const unsigned char vf_hname[256] = {
#define H8(c)	[c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, \
		[c + 4] = 1, [c + 5] = 1, [c + 6] = 1, [c + 7] = 1
	[0x21] = 1, [0x22] = 1, [0x23] = 1, [0x24] = 1, [0x25] = 1,
	[0x26] = 1, [0x27] = 1, H8(0x28), H8(0x30), [0x38] = 1, [0x39] = 1,
	[0x3b] = 1, [0x3c] = 1, [0x3d] = 1, [0x3e] = 1, [0x3f] = 1,
	H8(0x40), H8(0x48), H8(0x50), H8(0x58), H8(0x60), H8(0x68),
	H8(0x70), [0x78] = 1, [0x79] = 1, [0x7a] = 1, [0x7b] = 1,
	[0x7c] = 1, [0x7d] = 1, [0x7e] = 1,
#undef H8
};

/*
 * The first byte of s[0..lim) that cannot be in a header name: with
 * SSE2 sixteen bytes a step (a signed compare: no byte over 0x7f is above
 * 0x20); then eight a step, a byte under 0x21, one over 0x7e and a colon
 * each told for all eight at once by the carry-free tests of "Bit
 * Twiddling Hacks" (hasless, hasmore, haszero). On a little-endian
 * machine the lowest byte flagged is the first bad one (a borrow or carry
 * only ever flags bytes above a true one); else the step stops and the
 * bytes are looked at one by one.
 */
static inline const char *
vf_hname_end(const char *s, const char *lim)
{
	const uint64_t ones = 0x0101010101010101ULL,
	    high = 0x8080808080808080ULL;
	uint64_t x, y, bad;
#if defined(__SSE2__)
	__m128i v, ok;
	unsigned m;

	for (; lim - s >= 16; s += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)s);
		ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
		    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
		    _mm_cmplt_epi8(v, _mm_set1_epi8(0x7f))));
		if ((m = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu) != 0)
			return s + __builtin_ctz(m);
	}
#endif
	for (; lim - s >= 8; s += 8) {
		memcpy(&x, s, 8);
		y = x ^ ones * ':';
		bad = ((x - ones * 0x21) & ~x & high) |
		    ((x + ones * (127 - 0x7e)) | x) |
		    ((y - ones) & ~y & high);
		if ((bad &= high) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return s + (__builtin_ctzll(bad) >> 3);
#else
			break;
#endif
		}
	}
	for (; s < lim && vf_hname[(unsigned char)*s]; s++)
		;
	return s;
}

#endif
