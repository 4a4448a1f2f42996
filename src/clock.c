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

/* "YYYY-MM-DDThh:mm:ssZ", the form vf_timestamp writes: 0 on success. */
int
vf_time_parse(const char *s, time_t *t)
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
