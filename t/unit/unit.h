/*
 * Every unit test binary is one check suite run with TAP on stdout, so that
 * prove counts its tests beside the shell tests.
 */
#ifndef VF_UNIT_H
#define VF_UNIT_H

#include <check.h>
#include <stdlib.h>

#define VF_UNIT_MAIN(suitefn)						\
int									\
main(void)								\
{									\
	SRunner *sr;							\
	int failed;							\
									\
	/* A hang guard, not a speed test: sanitizers and load are slow. */ \
	setenv("CK_TIMEOUT_MULTIPLIER", "10", 0);			\
	sr = srunner_create(suitefn());					\
	srunner_set_tap(sr, "-");					\
	srunner_run_all(sr, CK_SILENT);					\
	failed = srunner_ntests_failed(sr);				\
	srunner_free(sr);						\
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;			\
}

#endif
