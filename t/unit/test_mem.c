/*
 * The small helpers of mem.c the whole-tree tools call per header:
 * vf_name_eq must be strcasecmp's answer (the tools never set a locale,
 * so it is the C locale's) for every name against one in lower case.
 */
#include <string.h>
#include <strings.h>

#include "vf.h"
#include "unit.h"

START_TEST(name_eq)
{
	static const char *const pairs[][2] = {
		{ "", "" }, { "a", "" }, { "", "a" }, { "Vf-Notice", "vf-notice" },
		{ "VF-NOTICE", "vf-notice" }, { "vf-noticE", "vf-notice" },
		{ "Vf-Noticex", "vf-notice" }, { "Vf-Notic", "vf-notice" },
		{ "Signature", "signature" }, { "Signer", "signature" },
		{ "From", "from" }, { "From ", "from" }, { "Fro", "from" },
		{ "@", "`" }, { "[", "{" }, { "\r", "-" }, { "M", "-" },
		{ "\xc0", "\xe0" }, { "\xe0", "\xe0" }, { "I", "\xc4\xb1" },
	};
	char a[4], b[4];
	size_t i;
	int x, y, z;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		ck_assert_msg(vf_name_eq(pairs[i][0], pairs[i][1]) ==
		    (strcasecmp(pairs[i][0], pairs[i][1]) == 0), "\"%s\" \"%s\"",
		    pairs[i][0], pairs[i][1]);
	/* Every byte against every byte not an upper-case letter, alone
	   and before a second byte. */
	for (x = 1; x < 256; x++)
		for (y = 1; y < 256; y++) {
			if (y >= 'A' && y <= 'Z')
				continue;
			for (z = 0; z < 3; z++) {
				a[0] = (char)x;
				b[0] = (char)y;
				a[1] = z == 1 ? 'q' : '\0';
				b[1] = z == 2 ? 'q' : z == 1 ? 'q' : '\0';
				a[2] = b[2] = '\0';
				ck_assert_msg(vf_name_eq(a, b) ==
				    (strcasecmp(a, b) == 0), "%d %d %d", x, y,
				    z);
			}
		}
}
END_TEST

static Suite *
mem_suite(void)
{
	Suite *s = suite_create("mem");
	TCase *tc = tcase_create("mem");

	tcase_add_test(tc, name_eq);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(mem_suite)
