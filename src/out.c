#include <err.h>
#include <errno.h>
#include <stdio.h>

#include "vf.h"

/*
 * A full disk or a closed pipe on stdout must be an error, not a silent
 * success: the path a filter prints is what the next one works on.
 */
void
vf_fshut_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == ENOSPC || errno == EDQUOT)
			err(EX_TEMPFAIL, "stdout");
		err(EX_IOERR, "stdout");
	}
}
