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

/*
 * vf_time_parse as it was, strptime and timegm alone: what the fast path
 * must agree with on every string, accepted or refused, and on the time.
 */
static int
ref_parse(const char *s, time_t *t)
{
	struct tm tm;
	const char *e;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 20 ||
	    (e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *e != '\0')
		return -1;
	if ((*t = timegm(&tm)) == (time_t)-1)
		return -1;
	return 0;
}

static long agree_n;

static void
agree(const char *s)
{
	time_t a = 42, b = 42;
	int ra, rb;

	ra = vf_time_parse(s, &a);
	rb = ref_parse(s, &b);
	if (ra != rb || (ra == 0 && a != b))
		ck_abort_msg("\"%s\": vf_time_parse %d (%lld), strptime and "
		    "timegm %d (%lld)", s, ra, (long long)a, rb, (long long)b);
	agree_n++;
}

/* Edges of the form: days past a month's end, leap years, second 60,
   the years 0 and 9999, timegm's -1, one digit for two, blanks, signs. */
static const char *const edges[] = {
	"2026-12-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
	"1969-12-31T23:59:58Z", "1970-01-01T00:00:01Z", "1969-12-31T23:59:60Z",
	"0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "0000-03-01T00:00:00Z",
	"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:61Z",
	"2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z",
	"2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2400-02-29T00:00:00Z",
	"2026-04-31T00:00:00Z", "2026-02-31T00:00:00Z", "2026-12-31T23:59:60Z",
	"2026-06-30T23:59:60Z", "2026-12-31T23:59:61Z", "2026-12-31T23:59:62Z",
	"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z",
	"2026-12-32T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z",
	"2026- 1-01T00:00:00Z", "2026-1-011T00:00:00Z", " 2026-1-1T00:00:00Z ",
	"2026-12-1 T00:00:00Z", "2026-12-01T0:0:0Z   ", "  2026-1-1T0:00:00Z",
	"+2026-12-01T00:00:0Z", "-2026-12-01T00:00:0Z", "2026-12-01t00:00:00Z",
	"2026-12-01T00:00:00z", "2026/12/01T00:00:00Z", "20261201T000000Z....",
	"2026-12-01T00:00:00Z ", "2026-12-01T00:00:0Z", "02026-12-01T00:00:00Z",
	"2026-\t1-01T00:00:00Z", "2026-\n1-01T00:00:00Z", "2026-12-01T00:00:+0Z",
	"2026-12-01T00:00:-0Z", "0099-12-31T23:59:59Z", "1582-10-10T00:00:00Z",
	"",
};

/* What the fast path is: every character of every edge changed to every
   byte, every two-digit field through 00-99, on leap and common years. */
START_TEST(time_parse_same)
{
	static const char *const years[] = { "0000", "0001", "0004", "0100",
	    "0400", "1900", "1969", "1970", "1972", "2000", "2023", "2024",
	    "2100", "2400", "9999" };
	char s[32];
	size_t i, y, k;
	int c, a, b;

	agree(NULL);
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		agree(edges[i]);
		if (strlen(edges[i]) != 20)
			continue;
		for (k = 0; k < 20; k++)
			for (c = 1; c < 256; c++) {
				memcpy(s, edges[i], 21);
				s[k] = (char)c;
				agree(s);
			}
		/* Cut short and made longer. */
		for (k = 0; k < 20; k++) {
			memcpy(s, edges[i], 21);
			s[k] = '\0';
			agree(s);
		}
		memcpy(s, edges[i], 21);
		memcpy(s + 20, "0", 2);
		agree(s);
	}
	for (y = 0; y < sizeof(years) / sizeof(years[0]); y++) {
		for (a = 0; a < 100; a++)
			for (b = 0; b < 100; b++) {
				/* Every month and day, and what is not one. */
				(void)snprintf(s, sizeof(s),
				    "%s-%02d-%02dT12:34:56Z", years[y], a, b);
				agree(s);
			}
		for (a = 0; a < 100; a++)
			for (b = 0; b < 100; b++) {
				(void)snprintf(s, sizeof(s),
				    "%s-02-28T%02d:%02d:%02dZ", years[y], a,
				    b, (a + b) % 100);
				agree(s);
				(void)snprintf(s, sizeof(s),
				    "%s-12-31T23:%02d:%02dZ", years[y], a, b);
				agree(s);
			}
	}
	/* Every year, at the turn of one and at a leap day. */
	for (a = 0; a < 10000; a++) {
		(void)snprintf(s, sizeof(s), "%04d-12-31T23:59:59Z", a);
		agree(s);
		(void)snprintf(s, sizeof(s), "%04d-02-29T00:00:00Z", a);
		agree(s);
		(void)snprintf(s, sizeof(s), "%04d-03-01T00:00:00Z", a);
		agree(s);
	}
	ck_assert(agree_n > 100000);
}
END_TEST

/* A gmtime that counts leap seconds: timegm decides, not the fast path. */
START_TEST(time_parse_right)
{
	time_t t;

	if (access("/usr/share/zoneinfo/right/UTC", R_OK) == -1)
		return;
	setenv("TZ", "right/UTC", 1);
	tzset();
	ck_assert_int_eq(ref_parse("2026-12-01T00:00:00Z", &t), 0);
	ck_assert_int_ne(t, 1796083200);	/* the zone is in force */
	agree("2026-12-01T00:00:00Z");
	agree("1972-06-30T23:59:60Z");
	agree("2016-12-31T23:59:60Z");
	agree("1970-01-01T00:00:00Z");
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
	tcase_add_test(tc, time_parse_same);
	tcase_add_test(tc, time_parse_right);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(clock_suite)
