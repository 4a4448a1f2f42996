/*
 * The time the tools act at. Deadlines run over weeks and months; tests
 * move through them by setting VF_NOW instead of sleeping, and so can
 * staff asking "what would vf-expire do next Monday?" with -n. Every
 * record of when something happened reads this clock, so one setting
 * moves them all together.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"

/* Two digits at s, or -1. */
static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * The form vf_timestamp writes, exactly and in range, read without
 * strptime and timegm: the whole-tree tools read two or three times a
 * case, and the libc pair cost about 1,500 instructions a time. Anything
 * else (" 1" for "01", 31 April, second 60, another form) is 0, left to
 * strptime and timegm, so that they still decide what is accepted and
 * how it is normalised. So is every time if this gmtime counts leap
 * seconds (TZ=right/...), which no arithmetic here follows.
 */
static int
fast(const char *s, time_t *t)
{
	static const char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	static _Thread_local int plain = -1;
	long long y, era, yoe, doy, doe;
	int hi, lo, m, d, h, mi, sec, leap;

	if ((hi = two(s)) == -1 || (lo = two(s + 2)) == -1 || s[4] != '-' ||
	    (m = two(s + 5)) == -1 || s[7] != '-' || (d = two(s + 8)) == -1 ||
	    s[10] != 'T' || (h = two(s + 11)) == -1 || s[13] != ':' ||
	    (mi = two(s + 14)) == -1 || s[16] != ':' ||
	    (sec = two(s + 17)) == -1 || s[19] != 'Z' || s[20] != '\0')
		return 0;
	y = hi * 100 + lo;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap) || h > 23 || mi > 59 ||
	    sec > 59)
		return 0;
	if (plain == -1) {
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 2020 - 1900;
		tm.tm_mday = 1;
		plain = timegm(&tm) == (time_t)1577836800;
	}
	if (!plain)
		return 0;
	/* Days since 1970-01-01 of a proleptic Gregorian date (the year
	   from March, so that the leap day is the year's last). */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*t = (time_t)((era * 146097 + doe - 719468) * 86400 + h * 3600 +
	    mi * 60 + sec);
	return 1;
}

/* "YYYY-MM-DDThh:mm:ssZ", the form vf_timestamp writes: 0 on success. */
int
vf_time_parse(const char *s, time_t *t)
{
	struct tm tm;
	const char *e;

	/* timegm's -1 is its error: 1969-12-31T23:59:59Z is refused too. */
	if (s != NULL && fast(s, t))
		return *t == (time_t)-1 ? -1 : 0;
	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 20 ||
	    (e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *e != '\0')
		return -1;
	if ((*t = timegm(&tm)) == (time_t)-1)
		return -1;
	return 0;
}

time_t
vf_now(void)
{
	static time_t fixed;
	static int looked;
	const char *s, *e;
	long long v;

	if (!looked) {
		looked = 1;
		if ((s = getenv("VF_NOW")) != NULL && *s != '\0') {
			v = strtonum(s, 1, 253402300799LL, &e);
			if (e == NULL)
				fixed = (time_t)v;
			else if (vf_time_parse(s, &fixed) == -1)
				errx(EX_USAGE, "VF_NOW=%s: want seconds since "
				    "1970 or YYYY-MM-DDThh:mm:ssZ", s);
		}
	}
	return fixed != 0 ? fixed : time(NULL);
}
