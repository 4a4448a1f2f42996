/*
 * vf-stats - the quarterly statistics over the whole tree, as TSV: one
 * table per -t (default: all, each after an empty line and a "# NAME"
 * line).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

static void
usage(void)
{
	fprintf(stderr, "usage: vf-stats [-d root] [-H holidays] "
	    "[-t table] ...\n\ttables:");
	for (size_t i = 0; vf_stats_tables[i] != NULL; i++)
		fprintf(stderr, " %s", vf_stats_tables[i]);
	fprintf(stderr, "\n");
	exit(EX_USAGE);
}

/* The top headers and the fields are all a count needs: the head. */
static int
count(int dfd, const char *name, const char *path, const char *state,
    void *arg)
{
	struct vf_case c;
	char emsg[256];
	int rc;

	if ((rc = vf_case_loadhead(&c, dfd, name, 0, emsg,
	    sizeof(emsg))) != 0) {
		warnx("%s: %s", path, emsg);
		return rc;
	}
	vf_stats_add(arg, &c, state);
	vf_case_free(&c);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct vf_root root;
	struct vf_stats s;
	const char *dir = NULL, *tables[16];
	size_t nt = 0, i, k;
	int ch, rc, worst;

	memset(&s, 0, sizeof(s));
	s.now = vf_now();
	while ((ch = getopt(argc, argv, "d:H:t:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'H':
			if ((rc = vf_stats_holidays(&s, optarg)) != 0) {
				if (rc == EX_NOINPUT)
					warn("%s", optarg);
				return rc;
			}
			break;
		case 't':
			for (k = 0; vf_stats_tables[k] != NULL; k++)
				if (strcmp(optarg, vf_stats_tables[k]) == 0)
					break;
			if (vf_stats_tables[k] == NULL || nt == 16) {
				warnx("%s: no such table", optarg);
				usage();
			}
			tables[nt++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	if (nt == 0)
		for (; vf_stats_tables[nt] != NULL; nt++)
			tables[nt] = vf_stats_tables[nt];
	if ((rc = vf_root_open(&root, dir, 0)) != 0)
		return rc;
	worst = vf_walkat(&root, count, &s);
	for (i = 0; i < nt; i++) {
		if (nt > 1 && printf("%s# %s\n", i > 0 ? "\n" : "",
		    tables[i]) < 0)
			err(EX_IOERR, "stdout");
		(void)vf_stats_print(&s, tables[i], stdout);
	}
	vf_fshut_stdout();
	vf_stats_free(&s);
	vf_root_close(&root);
	return worst;
}
