/*
 * Addresses before they reach a header or a command line: RFC 5322
 * addr-spec, and nothing an attacker could stretch into a second header or
 * a second recipient.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

START_TEST(valid)
{
	static const char *good[] = { "a@example.jp", "taro.yamada@example.co.jp",
	    "x+tag@sub.example.org", "o'brien@example.ie", "\"a b\"@example.jp",
	    "\"a\\\"b\"@example.jp", "a@[192.0.2.1]", "a@xn--wgv71a119e.jp",
	    "!#$%&'*+-/=?^_`{|}~@example.jp" };
	static const char *bad[] = { "", "a", "@example.jp", "a@", "a@b",
	    "a@@example.jp", ".a@example.jp", "a.@example.jp",
	    "a..b@example.jp", "a b@example.jp", "a@exa mple.jp",
	    "a@example.jp\r\nBcc: x@evil.example", "a@example.jp\n",
	    "a@example.jp,b@evil.example", "A <a@example.jp>",
	    "a@example.jp (comment)", "a@-example.jp", "a@example-.jp",
	    "a@example..jp", "a@.example.jp", "a@example.jp.",
	    "\"a\nb\"@example.jp", "\"a@example.jp", "たろう@example.jp",
	    "a@日本語.jp", "a@example.jp\t", "-oQ/tmp/x@example.jp x",
	    "a@[1.2.3.4\n]", "-oQ/tmp/x@example.jp" };
	char longlocal[80];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(vf_addr_valid(good[i]), "%s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!vf_addr_valid(bad[i]), "%s", bad[i]);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.jp");
	ck_assert(!vf_addr_valid(longlocal));
	ck_assert(!vf_addr_valid(NULL));
}
END_TEST

START_TEST(ascii)
{
	char *s;

	ck_assert_ptr_nonnull(s = vf_addr_ascii("info@日本語.jp"));
	ck_assert_str_eq(s, "info@xn--wgv71a119e.jp");
	free(s);
	ck_assert_ptr_nonnull(s = vf_addr_ascii("info@example.jp"));
	ck_assert_str_eq(s, "info@example.jp");
	free(s);
	ck_assert_ptr_null(vf_addr_ascii("たろう@example.jp"));
	ck_assert_ptr_null(vf_addr_ascii("info@日本語.jp\nBcc: x@y.example"));
	ck_assert_ptr_null(vf_addr_ascii("no-at-sign"));
	ck_assert_ptr_null(vf_addr_ascii(NULL));
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, valid);
	tcase_add_test(tc, ascii);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(addr_suite)
