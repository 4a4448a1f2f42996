/*
 * Files left in a tmp/ of the tree: a delivery or a rewrite killed before
 * its rename. qmail's rule: a file in tmp/ untouched for 36 hours is no
 * delivery in progress (a delivery takes seconds), so it may go. Such a
 * file may hold a whole case, the reporter's details with it: removing it
 * is part of deleting them.
 *
 * The same holds for ROOT/.sent/HASH.PID.tmp, an entry of what the office
 * sent (sent.c) that vf-notify was writing when it was killed: the entry
 * itself is renamed into place only once whole, and nothing reads a name
 * ending in ".tmp". Only such names go there; the entries stay.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

static int
clean_dir(struct vf_root *root, const char *rel, const char *suffix,
    time_t cut, int dryrun, void (*fn)(const char *, void *), void *arg)
{
	struct dirent *de;
	struct stat st;
	char path[4096];
	size_t n, sl = suffix != NULL ? strlen(suffix) : 0;
	DIR *d;
	int fd, rc = 0;

	if ((d = vf_opendir(root, rel, &rc)) == NULL)
		return rc;
	fd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(de->d_name);
		if (suffix != NULL && (n <= sl ||
		    strcmp(de->d_name + n - sl, suffix) != 0))
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode) || st.st_mtime > cut)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s", root->path, rel,
		    de->d_name) >= (int)sizeof(path))
			continue;
		if (!dryrun && unlinkat(fd, de->d_name, 0) == -1 &&
		    errno != ENOENT) {
			warn("%s", path);
			rc = vf_errno_exit(errno);
			continue;
		}
		fn(path, arg);
	}
	(void)closedir(d);
	return rc;
}

int
vf_tmp_clean(struct vf_root *root, time_t max, int dryrun,
    void (*fn)(const char *, void *), void *arg)
{
	static const char *const more[] = { "outbox", "public", NULL };
	char rel[64];
	time_t cut = vf_now() - max;
	size_t i;
	int rc, worst = 0;

	for (i = 0; vf_states[i] != NULL; i++) {
		(void)snprintf(rel, sizeof(rel), "%s/tmp", vf_states[i]);
		if ((rc = clean_dir(root, rel, NULL, cut, dryrun, fn, arg)) >
		    worst)
			worst = rc;
	}
	for (i = 0; more[i] != NULL; i++) {
		(void)snprintf(rel, sizeof(rel), "%s/tmp", more[i]);
		if ((rc = clean_dir(root, rel, NULL, cut, dryrun, fn, arg)) >
		    worst)
			worst = rc;
	}
	if ((rc = clean_dir(root, ".sent", ".tmp", cut, dryrun, fn, arg)) >
	    worst)
		worst = rc;
	return worst;
}
