/*
 * Normalised forms: NFKC for what is stored for people to grep, the
 * folded key for what tools compare.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

static void
nfkc_is(const char *in, const char *want)
{
	char *s = vf_nfkc(in);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
}

static void
key_is(const char *in, const char *want)
{
	char *s = vf_fold_key(in);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(nfkc)
{
	nfkc_is("ＦｏｏＣＭＳ", "FooCMS");
	nfkc_is("ｻﾝﾌﾟﾙ", "サンプル");
	nfkc_is("Ver．１．０５", "Ver.1.05");
	nfkc_is("①", "1");
	/* Composed, whichever way it came. */
	nfkc_is("e\xcc\x81", "\xc3\xa9");
	nfkc_is("", "");
	ck_assert_ptr_null(vf_nfkc("\xff\xfe"));
}
END_TEST

START_TEST(fold_key)
{
	key_is("ＦｏｏＣＭＳ", "foocms");
	key_is("Foo CMS", "foocms");
	key_is("foo-cms", "foocms");
	key_is("Foo_CMS (TM)", "foocmstm");
	key_is("株式会社　サンプル", "株式会社サンプル");
	key_is("ｻﾝﾌﾟﾙ・ソフト", "サンプルソフト");
	key_is("MZK－DP300N", "mzkdp300n");
	key_is("Straße", "strasse");
	/* What separates words is gone, what makes them is kept. */
	key_is(" \t.,;:!?()[]{}<>\"'/\\|+=*&^%$#@~`", "");
	ck_assert_ptr_null(vf_fold_key("a\xc0\x80"));
}
END_TEST

/*
 * ASCII takes a short path: each character must fold as it does through
 * utf8proc, which a trailing non-ASCII letter makes the string take.
 */
START_TEST(fold_key_ascii)
{
	char in[8], want[16];
	char *fast, *full;
	int ch;

	for (ch = 1; ch < 0x80; ch++) {
		(void)snprintf(in, sizeof(in), "%c", ch);
		fast = vf_fold_key(in);
		(void)snprintf(in, sizeof(in), "%c\xc3\xa9", ch);
		full = vf_fold_key(in);
		ck_assert_ptr_nonnull(fast);
		ck_assert_ptr_nonnull(full);
		(void)snprintf(want, sizeof(want), "%s\xc3\xa9", fast);
		ck_assert_msg(strcmp(full, want) == 0,
		    "character 0x%02x: short path \"%s\", utf8proc \"%s\"",
		    ch, fast, full);
		free(fast);
		free(full);
	}
}
END_TEST

static Suite *
norm_suite(void)
{
	Suite *s = suite_create("norm");
	TCase *tc = tcase_create("norm");

	tcase_add_test(tc, nfkc);
	tcase_add_test(tc, fold_key);
	tcase_add_test(tc, fold_key_ascii);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(norm_suite)
