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

#define HEAD_FIRST	4096		/* most case headers fit */
#define HEAD_MAX	65536		/* and none needs more */

static int lflag;

/*
 * With -l every file's Vf-Id is read anyway: two files of one case (a
 * mail reader's copy beside the case, which a look-up by the index never
 * sees) are told at the end, naming both.
 */
struct seen {
	char	*id;
	char	*path;
};
static struct seen *seen;
static size_t nseen;

static void
seen_add(const char *id, const char *path)
{
	seen = vf_reallocarray(seen, nseen + 1, sizeof(*seen));
	seen[nseen].id = vf_strdup(id);
	seen[nseen++].path = vf_strdup(path);
}

static int
seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : strcmp(x->path, y->path);
}

/* EX_DATAERR when some case has two files, each pair named; else 0. */
static int
seen_twice(void)
{
	size_t i;
	int rc = 0;

	qsort(seen, nseen, sizeof(*seen), seen_cmp);
	for (i = 1; i < nseen; i++)
		if (strcmp(seen[i - 1].id, seen[i].id) == 0) {
			warnx("%s and %s are two files of case %s; keep one, "
			    "move the other out of the tree", seen[i - 1].path,
			    seen[i].path, seen[i].id);
			rc = EX_DATAERR;
		}
	for (i = 0; i < nseen; i++) {
		free(seen[i].id);
		free(seen[i].path);
	}
	free(seen);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: vf-ls [-l] [-d root] [state ...]\n");
	exit(EX_USAGE);
}

/* A field of the long line, tabs and terminal controls made harmless. */
static void
column(const char *s, int last)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] == '\t')
			putchar(' ');
		else {
			size_t k = vf_term_unsafe(s + i, n - i);

			if (k > 0) {
				putchar('?');
				i += k - 1;
			} else
				putchar(s[i]);
		}
	putchar(last ? '\n' : '\t');
}

/*
 * The head of a case file is enough for a listing: a few KiB, more only
 * when the headers go on past them; never the whole file.
 */
static int
longline(int dfd, const char *path, const char *name, const char *state)
{
	struct vf_limits lim;
	struct vf_kv *h = NULL;
	size_t nh = 0, i, len;
	const char *body, *id = "?", *kind = "?", *when = "?", *prob = NULL;
	char *buf, *subj = NULL;
	ssize_t n;
	int fd, flags = 0;

	if ((fd = vf_openat(dfd, name, O_RDONLY | O_NONBLOCK, 0)) == -1) {
		warn("%s", path);
		return errno == ENOENT ? EX_NOINPUT : vf_errno_exit(errno);
	}
	buf = vf_malloc(HEAD_MAX + 1);
	n = vf_read_head(fd, buf, 0, HEAD_FIRST);
	/* No empty line yet: the headers go on. */
	if (n == HEAD_FIRST && strstr(buf, "\n\n") == NULL)
		n = vf_read_head(fd, buf, (size_t)n, HEAD_MAX);
	(void)close(fd);
	if (n == -1) {
		warn("%s", path);
		free(buf);
		return EX_IOERR;
	}
	len = (size_t)n;
	vf_limits_default(&lim);
	(void)vf_headers_parse(buf, len, &lim, &h, &nh, &body, &flags);
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
	if (vf_id_valid(id))
		seen_add(id, path);
	column(id, 0);
	column(state, 0);
	column(kind, 0);
	column(when, 0);
	if (prob != NULL)
		fputs("! ", stdout);
	column(subj != NULL ? subj : "", 1);
	free(subj);
	vf_headers_free(h, nh);
	free(buf);
	return 0;
}

/* Each folder opened below the root's descriptor, each file below it. */
static int
list(struct vf_root *root, const char *state)
{
	static const char *const sub[] = { "new", "cur" };
	struct dirent *d;
	char rel[128], path[4096];
	DIR *dp;
	size_t i, k;
	int rc, dfd, worst = 0;

	for (i = 0; i < 2; i++) {
		if (snprintf(rel, sizeof(rel), "%s/%s", state, sub[i]) >=
		    (int)sizeof(rel))
			return EX_USAGE;
		if ((dfd = vf_openat(root->fd, rel, O_RDONLY | O_DIRECTORY,
		    0)) == -1 || (dp = fdopendir(dfd)) == NULL) {
			if (errno == ENOENT) {
				if (dfd != -1)
					(void)close(dfd);
				continue;	/* no case has been here yet */
			}
			warn("%s/%s", root->path, rel);
			worst = errno == EACCES ? EX_NOPERM : EX_IOERR;
			if (dfd != -1)
				(void)close(dfd);
			continue;
		}
		while ((d = readdir(dp)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			/* A path a line: a name that would break one is not. */
			for (k = 0; d->d_name[k] != '\0' &&
			    (unsigned char)d->d_name[k] >= 0x20 &&
			    d->d_name[k] != 0x7f; k++)
				;
			if (d->d_name[k] != '\0') {
				warnx("%s/%s: a file whose name holds a "
				    "control character: not listed; rename it",
				    root->path, rel);
				worst = worst > EX_DATAERR ? worst : EX_DATAERR;
				continue;
			}
			if (snprintf(path, sizeof(path), "%s/%s/%s",
			    root->path, rel, d->d_name) >= (int)sizeof(path))
				continue;
			if (lflag) {
				if ((rc = longline(dirfd(dp), path, d->d_name,
				    state)) > worst)
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
	if (lflag && (rc = seen_twice()) > worst)
		worst = rc;
	vf_fshut_stdout();
	vf_root_close(&root);
	return worst;
}
