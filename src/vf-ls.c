/*
 * vf-ls - list the cases in some states, one path a line; with -l, one
 * line a case for a person to read.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vf.h"

static int lflag;

static void
usage(void)
{
	fprintf(stderr, "usage: vf-ls [-l] [-d root] [state ...]\n");
	exit(EX_USAGE);
}

/* The head of a case file is enough for a listing: never read it all. */
static int
longline(const char *path, const char *state)
{
	struct vf_limits lim;
	struct vf_kv *h = NULL;
	size_t nh = 0, i;
	const char *body, *id = "?", *kind = "?", *when = "?", *prob = NULL;
	char buf[65536], *subj = NULL;
	ssize_t n;
	int fd, flags = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		warn("%s", path);
		return EX_NOINPUT;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		warn("%s", path);
		return EX_IOERR;
	}
	buf[n] = '\0';
	vf_limits_default(&lim);
	(void)vf_headers_parse(buf, (size_t)n, &lim, &h, &nh, &body, &flags);
	for (i = 0; i < nh; i++) {
		if (strcasecmp(h[i].name, "Vf-Id") == 0)
			id = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Kind") == 0)
			kind = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Received") == 0)
			when = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Problem") == 0)
			prob = h[i].value;
		else if (strcasecmp(h[i].name, "Subject") == 0 && subj == NULL)
			subj = vf_oneline(vf_hdr_decode(h[i].value));
	}
	printf("%s\t%s\t%s\t%s\t%s%s\n", id, state, kind, when,
	    prob != NULL ? "! " : "", subj != NULL ? subj : "");
	free(subj);
	vf_headers_free(h, nh);
	return 0;
}

static int
list(struct vf_root *root, const char *state)
{
	static const char *const sub[] = { "new", "cur" };
	struct dirent *d;
	char dir[4096], path[4096];
	DIR *dp;
	size_t i;
	int rc, worst = 0;

	for (i = 0; i < 2; i++) {
		if (snprintf(dir, sizeof(dir), "%s/%s/%s", root->path, state,
		    sub[i]) >= (int)sizeof(dir))
			return EX_USAGE;
		if ((dp = opendir(dir)) == NULL) {
			if (errno == ENOENT)
				continue;	/* no case has been here yet */
			warn("%s", dir);
			worst = errno == EACCES ? EX_NOPERM : EX_IOERR;
			continue;
		}
		while ((d = readdir(dp)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", dir,
			    d->d_name) >= (int)sizeof(path))
				continue;
			if (lflag) {
				if ((rc = longline(path, state)) > worst)
					worst = rc;
			} else if (printf("%s\n", path) < 0)
				err(EX_IOERR, "stdout");
		}
		closedir(dp);
	}
	return worst;
}

int
main(int argc, char *argv[])
{
	struct vf_root root;
	const char *dir = NULL;
	int ch, i, rc, worst = 0;

	while ((ch = getopt(argc, argv, "d:l")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'l':
			lflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	for (i = 0; i < argc; i++)
		if (!vf_state_valid(argv[i])) {
			warnx("%s: no such state", argv[i]);
			return EX_USAGE;
		}
	if ((rc = vf_root_open(&root, dir, 0)) != 0)
		return rc;
	if (argc == 0) {
		argv = (char **)vf_states;
		while (argv[argc] != NULL)
			argc++;
	}
	for (i = 0; i < argc; i++)
		if ((rc = list(&root, argv[i])) > worst)
			worst = rc;
	vf_fshut_stdout();
	vf_root_close(&root);
	return worst;
}
