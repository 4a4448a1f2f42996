/*
 * Text from a mail on its way to a person's terminal: what could drive
 * the terminal or hide what is shown is shown as '?', never passed on.
 */
#include <stdio.h>

#include "vf.h"

size_t
vf_term_unsafe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n == 0)
		return 0;
	/* C0 controls and DEL; escape sequences start with one. */
	if (p[0] < 0x20 || p[0] == 0x7f)
		return 1;
	/* C1 controls (U+0080-U+009F): CSI among them. */
	if (p[0] == 0xc2 && n >= 2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	/* ARABIC LETTER MARK U+061C. */
	if (p[0] == 0xd8 && n >= 2 && p[1] == 0x9c)
		return 2;
	if (p[0] != 0xe2 || n < 3)
		return 0;
	/*
	 * Bidirectional formatting (Unicode UAX #9): LRM, RLM U+200E-200F;
	 * the embeddings and overrides U+202A-202E; the isolates
	 * U+2066-2069. They reorder what a line shows (CVE-2021-42574).
	 */
	if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
	    (p[2] >= 0xaa && p[2] <= 0xae)))
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 3;
	return 0;
}

void
vf_term_put(FILE *fp, const char *s, size_t n, int lines)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (lines && (s[i] == '\n' || s[i] == '\t')) {
			putc(s[i], fp);
			continue;
		}
		if ((k = vf_term_unsafe(s + i, n - i)) > 0) {
			putc('?', fp);
			i += k - 1;
			continue;
		}
		putc(s[i], fp);
	}
}
