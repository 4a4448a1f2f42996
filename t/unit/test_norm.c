/*
 * Normalised forms: NFKC for what is stored for people to grep, the
 * folded key for what tools compare.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

/* vf_nfkc normalizes around non-ASCII text only: the same as utf8proc. */
static void
nfkc_whole(const char *in)
{
	utf8proc_uint8_t *r = NULL;
	utf8proc_ssize_t n;
	char *got = vf_nfkc(in);

	n = utf8proc_map((const utf8proc_uint8_t *)in, 0, &r,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT);
	if (n < 0) {
		ck_assert_msg(got == NULL, "\"%s\": bad UTF-8 not refused", in);
		return;
	}
	ck_assert_msg(got != NULL && strcmp(got, (char *)r) == 0,
	    "\"%s\": pieces \"%s\", whole \"%s\"", in, got ? got : "(null)",
	    (char *)r);
	free(got);
	free(r);
}

START_TEST(nfkc_pieces)
{
	static const char *const in[] = {
		"e\xcc\x81", "xe\xcc\x81y", "A\xcc\x8a", "ab\xcc\x8a\xcc\xa3" "c",
		"\xcc\x81start", "log: \xef\xbc\xa6\xef\xbd\x8f\xef\xbd\x8f ok",
		"Ver\xef\xbc\x8e\xef\xbc\x91 \xe2\x91\xa0 \xef\xac\x83x",
		"\xef\xbd\xbb\xef\xbe\x9d\xef\xbe\x8c\xef\xbe\x9f\xef\xbe\x99" "a\xef\xbe\x9e",
		"\xe1\x84\x80\xe1\x85\xa1 \xea\xb0\x80\xe1\x86\xa8",
		"k\xe3\x82\xab\xe3\x82\x99z", "a\xe3\x82\x99", "plain ascii",
		"", "a\xc0\x80" "b", "\xffz", "ok \xe6\x97\xa5\xe6\x9c\xac \xcc\x81",
		"1\xe2\x81\x84" "2 \xc2\xbd \xe3\x8d\xbf",
	};
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		nfkc_whole(in[i]);
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
	tcase_add_test(tc, nfkc_pieces);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(norm_suite)
