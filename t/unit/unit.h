/*
 * Every unit test binary is one check suite run with TAP on stdout, so that
 * prove counts its tests beside the shell tests.
 *
 * check has no "skip": a test that cannot run here (no gpg) returns early
 * and check reports it as passed. So that no test passes silently without
 * what it tests, a test case's unchecked fixture names itself in
 * vf_unit_skip() when it finds what it needs missing; the TAP check wrote is
 * then copied to stdout with "# SKIP why" on that test case's lines, which
 * prove counts as skipped.
 */
#ifndef VF_UNIT_H
#define VF_UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char vf_unit_skip_tc[64], vf_unit_skip_why[128];

/* Called in the runner (an unchecked fixture): TCASE's tests are skipped. */
static inline void
vf_unit_skip(const char *tcase, const char *why)
{
	snprintf(vf_unit_skip_tc, sizeof(vf_unit_skip_tc), ":%s:", tcase);
	snprintf(vf_unit_skip_why, sizeof(vf_unit_skip_why), "%s", why);
}

/* Copy check's TAP from fp to stdout, marking the skipped test case's. */
static void
vf_unit_tap(FILE *fp)
{
	char line[4096];
	size_t n;

	while (fgets(line, sizeof(line), fp) != NULL) {
		n = strcspn(line, "\n");
		if (vf_unit_skip_tc[0] != '\0' && strncmp(line, "ok ", 3) == 0 &&
		    strstr(line, vf_unit_skip_tc) != NULL)
			printf("%.*s # SKIP %s\n", (int)n, line,
			    vf_unit_skip_why);
		else
			fputs(line, stdout);
	}
	fflush(stdout);
}

#define VF_UNIT_MAIN(suitefn)						\
int									\
main(void)								\
{									\
	SRunner *sr;							\
	FILE *fp;							\
	char tap[] = "/tmp/vf-unit-tap.XXXXXX";				\
	int failed, fd;							\
									\
	/* A hang guard, not a speed test: sanitizers and load are slow. */ \
	setenv("CK_TIMEOUT_MULTIPLIER", "10", 0);			\
	if ((fd = mkstemp(tap)) == -1) {				\
		perror(tap);						\
		return EXIT_FAILURE;					\
	}								\
	sr = srunner_create(suitefn());					\
	srunner_set_tap(sr, tap);					\
	srunner_run_all(sr, CK_SILENT);					\
	failed = srunner_ntests_failed(sr);				\
	srunner_free(sr);						\
	if ((fp = fdopen(fd, "r")) == NULL) {				\
		perror(tap);						\
		unlink(tap);						\
		return EXIT_FAILURE;					\
	}								\
	vf_unit_tap(fp);						\
	fclose(fp);							\
	unlink(tap);							\
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;			\
}

#endif
