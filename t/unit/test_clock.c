/*
 * The clock the tools act at: VF_NOW moves it for tests and "what if"
 * runs. Each test runs in its own process (check forks), so each reads
 * VF_NOW afresh.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

START_TEST(now_unset)
{
	time_t a, b, c;

	unsetenv("VF_NOW");
	a = time(NULL);
	b = vf_now();
	c = time(NULL);
	ck_assert(a <= b && b <= c);
}
END_TEST

START_TEST(now_seconds)
{
	char buf[32];

	setenv("VF_NOW", "1796083200", 1);
	ck_assert_int_eq(vf_now(), 1796083200);
	vf_timestamp(buf, sizeof(buf), 0);
	ck_assert_str_eq(buf, "2026-12-01T00:00:00Z");
}
END_TEST

START_TEST(now_stamp)
{
	setenv("VF_NOW", "2027-03-31T23:59:59Z", 1);
	ck_assert_int_eq(vf_now(), 1806537599);
}
END_TEST

START_TEST(now_bad)
{
	setenv("VF_NOW", "next tuesday", 1);
	(void)vf_now();
}
END_TEST

START_TEST(time_parse)
{
	time_t t;

	ck_assert_int_eq(vf_time_parse("2026-12-01T00:00:00Z", &t), 0);
	ck_assert_int_eq(t, 1796083200);
	ck_assert_int_eq(vf_time_parse("2026-12-01T00:00:00", &t), -1);
	ck_assert_int_eq(vf_time_parse("2026-12-01T00:00:00+09:00", &t), -1);
	ck_assert_int_eq(vf_time_parse("2026-12-01 00:00:00Z", &t), -1);
	ck_assert_int_eq(vf_time_parse("", &t), -1);
	ck_assert_int_eq(vf_time_parse(NULL, &t), -1);
}
END_TEST

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");

	tcase_add_test(tc, now_unset);
	tcase_add_test(tc, now_seconds);
	tcase_add_test(tc, now_stamp);
	tcase_add_exit_test(tc, now_bad, EX_USAGE);
	tcase_add_test(tc, time_parse);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(clock_suite)
