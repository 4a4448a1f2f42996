/*
 * Asking vf-notify to send notices: the tools meet through programs and
 * files, never through each other's code. vf-notify decides what a
 * notice says and to whom it goes; it records each one it sends on the
 * case (Vf-Notice), which is how the caller knows it was sent.
 */
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define MAXIDS	256

int
vf_tell(const char *kind, char *const *ids, size_t nid)
{
	char *argv[MAXIDS + 4];
	struct vf_buf err = { 0 };
	struct vf_io io[1];
	const char *prog = getenv("VF_NOTIFY");
	size_t i, done, n;
	int rc = 0, r, ws;

	for (done = 0; done < nid; done += n) {
		n = nid - done > MAXIDS ? MAXIDS : nid - done;
		argv[0] = (char *)(prog != NULL && *prog != '\0' ? prog :
		    "vf-notify");
		argv[1] = "-k";
		argv[2] = (char *)kind;
		for (i = 0; i < n; i++)
			argv[3 + i] = ids[done + i];
		argv[3 + n] = NULL;
		memset(io, 0, sizeof(io));
		io[0].fd = 2;
		io[0].out = &err;
		io[0].max = 65536;
		r = vf_run(argv, io, 1, &ws);
		if (err.len > 0)
			(void)fwrite(err.p, 1, err.len, stderr);
		err.len = 0;
		if (r != 0) {
			warnx("cannot run %s", argv[0]);
			rc = r > rc ? r : rc;
		} else if (!WIFEXITED(ws))
			rc = rc > EX_TEMPFAIL ? rc : EX_TEMPFAIL;
		else if (WEXITSTATUS(ws) != 0 && WEXITSTATUS(ws) > rc)
			rc = WEXITSTATUS(ws);
	}
	vf_buf_free(&err);
	return rc;
}
