/*
 * The normalised forms of text that tools compare. A reporter writes
 * "ＦｏｏＣＭＳ", "Foo CMS" or "foo-cms"; a vendor is "株式会社サンプル" in
 * one feed and "ｻﾝﾌﾟﾙ" in another. What the reporter wrote is kept as
 * written; these forms are computed from it (utf8proc does Unicode's
 * normalisation: no hand-made tables).
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "vf.h"

/* NFKC of n bytes at s by utf8proc, appended to b; -1 for bad UTF-8. */
static int
nfkc_add(struct vf_buf *b, const char *s, size_t n)
{
	utf8proc_uint8_t *r = NULL;
	utf8proc_ssize_t k;

	k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &r,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (k == UTF8PROC_ERROR_NOMEM)
		(void)vf_malloc(SIZE_MAX);	/* exits 75 */
	if (k < 0)
		return -1;
	vf_buf_add(b, r, (size_t)k);
	free(r);
	return 0;
}

/*
 * NFKC of s, malloc'ed; NULL when s is not valid UTF-8 (the case file's
 * text always is). Out of memory exits 75, as everywhere.
 *
 * Only the stretches around non-ASCII text go through utf8proc: a report's
 * long values (a log, a proof of concept) are mostly ASCII, and utf8proc
 * spent about 120 instructions a byte on them, half of vf-parse's work on
 * a 100K mail (doc/BENCH.md). That is exact, not an approximation: every
 * ASCII character is a starter (ccc 0, NFKC_QC Yes) that no composition
 * takes as its second character, so a string normalizes piece by piece
 * when cut just before an ASCII character; each piece sent to utf8proc
 * starts with the ASCII character before its first non-ASCII one (which
 * may compose with a following mark), and ASCII alone is its own NFKC.
 * t/unit/test_norm.c compares it with utf8proc on the whole string.
 */
char *
vf_nfkc(const char *s)
{
	struct vf_buf b = { 0 };
	size_t pos = 0, j, start, e, len;

	len = strlen(s);
	j = vf_ascii_span(s, len, 0);
	vf_buf_grow(&b, len + 1);
	while (s[j] != '\0') {
		/* s[j] is the first non-ASCII byte at or after pos. */
		start = j > pos ? j - 1 : j;
		vf_buf_add(&b, s + pos, start - pos);
		for (e = j; s[e] != '\0' && (unsigned char)s[e] >= 0x80; e++)
			;
		if (nfkc_add(&b, s + start, e - start) == -1) {
			vf_buf_free(&b);
			return NULL;
		}
		pos = e;
		j = e + vf_ascii_span(s + e, len - e, 0);
	}
	vf_buf_add(&b, s + pos, j - pos);
	return vf_buf_take(&b, &len);
}

/*
 * The key two names are equal by: NFKC, case folded, with every
 * separator, punctuation mark, symbol and control character removed, so
 * that "ＦｏｏＣＭＳ", "Foo CMS" and "foo-cms" meet. NULL for bad UTF-8.
 */
/* What an ASCII byte is in a key: its lower case letter or digit, or
   0, dropped (folded and filtered in one pass, one look-up a byte). */
static const unsigned char ascii_fold[128] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
};

char *
vf_fold_key(const char *s)
{
	return vf_fold_key_buf(s, NULL, 0);
}

/*
 * The same into buf (size bytes) when it is ASCII and fits, else
 * malloc'ed: the caller frees what is not buf. vf-validate folds three
 * names a case of the tree, each kept only until it is copied into the
 * case's one block of keys (a malloc and a free each).
 */
char *
vf_fold_key_buf(const char *s, char *buf, size_t size)
{
	utf8proc_uint8_t *r = NULL;
	utf8proc_int32_t c;
	utf8proc_ssize_t n, i, k;
	utf8proc_category_t cat;
	char *out;
	size_t o = 0, len;
	const unsigned char *p;

	/*
	 * ASCII, the common case (vf-validate folds every product and
	 * vendor name of the tree and the list; utf8proc was 8 % of its
	 * time, doc/BENCH.md): there NFKC changes nothing, case folding
	 * is tolower, and the letters and digits are all that is kept
	 * (every other ASCII character is Cc, Zs, P* or S*). t/unit/
	 * test_norm.c checks each character against the full path.
	 */
	len = strlen(s);
	out = len < size ? buf : vf_malloc(len + 1);
	for (p = (const unsigned char *)s; *p != '\0' && *p < 0x80; p++)
		if (ascii_fold[*p] != 0)
			out[o++] = (char)ascii_fold[*p];
	if (*p == '\0') {
		out[o] = '\0';
		return out;
	}
	/* Not ASCII: the whole string goes to utf8proc. */
	if (out != buf)
		free(out);
	o = 0;
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &r,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (n == UTF8PROC_ERROR_NOMEM)
		(void)vf_malloc(SIZE_MAX);
	if (n < 0)
		return NULL;
	out = vf_malloc((size_t)n + 1);
	for (i = 0; i < n; i += k) {
		k = utf8proc_iterate(r + i, n - i, &c);
		if (k <= 0)
			break;
		cat = utf8proc_category(c);
		switch (cat) {
		case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
		case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_PC:
		case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
		case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI:
		case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO:
		case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
		case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
			continue;
		default:
			memcpy(out + o, r + i, (size_t)k);
			o += (size_t)k;
		}
	}
	out[o] = '\0';
	free(r);
	return out;
}
