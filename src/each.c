#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

/*
 * The stream loop every filter shares: arguments, or one path a line on
 * stdin when there are none. One bad path is warned about and passed over;
 * the exit status is the worst seen (the highest sysexits number).
 */
int
vf_each(int argc, char *argv[], int (*fn)(const char *, void *), void *arg)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	int i, rc, worst = 0;

	if (argc > 0) {
		for (i = 0; i < argc; i++)
			if ((rc = fn(argv[i], arg)) > worst)
				worst = rc;
		return worst;
	}
	while ((n = getline(&line, &size, stdin)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		if ((rc = fn(line, arg)) > worst)
			worst = rc;
	}
	if (ferror(stdin)) {
		warn("stdin");
		worst = worst > EX_IOERR ? worst : EX_IOERR;
	}
	free(line);
	return worst;
}

/* A case named by id or by path: the path, checked to be under the root. */
int
vf_resolve(struct vf_root *root, const char *what, char *path, size_t size,
    const char **state)
{
	char id[VF_IDLEN];
	size_t n;
	int rc;

	if (vf_id_valid(what) || (strncasecmp(what, "VF#", 3) == 0 &&
	    vf_id_valid(what + 3))) {
		rc = vf_find(root, what[0] == 'V' || what[0] == 'v' ?
		    what + 3 : what, path, size, state);
		/* Two files of the case: vf_find named both. */
		if (rc == EX_NOINPUT)
			warnx("%s: no such case", what);
		return rc;
	}
	if ((*state = vf_path_state(root, what, id, sizeof(id))) == NULL) {
		warnx("%s: not a case file under %s", what, root->path);
		return EX_NOINPUT;
	}
	/* strlcpy's, with the length known once (libbsd's strlcpy is a
	   byte loop: a twentieth of vf-validate -n, a case a path). */
	n = strlen(what);
	if (n >= size)
		return EX_USAGE;
	memcpy(path, what, n + 1);
	return 0;
}
