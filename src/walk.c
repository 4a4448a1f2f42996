/*
 * Every case of the tree, one at a time: a tool that looks at the whole
 * tree (vf-expire, vf-stats) holds one case in memory, never the list.
 * vf_walkat gives the folder's descriptor too, so that a case is opened
 * relative to it and the kernel does not walk the root's path per file.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"

DIR *
vf_opendir(struct vf_root *root, const char *rel, int *rc)
{
	DIR *d;
	int fd;

	*rc = 0;
	fd = openat(root->fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (fd == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			warn("%s/%s", root->path, rel);
			*rc = vf_errno_exit(errno);
		}
		return NULL;
	}
	if ((d = fdopendir(fd)) == NULL) {
		warn("%s/%s", root->path, rel);
		*rc = vf_errno_exit(errno);
		(void)close(fd);
	}
	return d;
}

/* vf_walk through vf_walkat: the one loop over the tree. */
struct pathonly {
	int	(*fn)(const char *, const char *, void *);
	void	 *arg;
};

static int
pathonly(int dfd, const char *name, const char *path, const char *state,
    void *arg)
{
	struct pathonly *p = arg;

	return p->fn(path, state, p->arg);
}

int
vf_walk(struct vf_root *root, int (*fn)(const char *, const char *, void *),
    void *arg)
{
	struct pathonly p = { fn, arg };

	return vf_walkat(root, pathonly, &p);
}

int
vf_walkat(struct vf_root *root, int (*fn)(int, const char *, const char *,
    const char *, void *), void *arg)
{
	static const char *const sub[] = { "new", "cur" };
	struct dirent *de;
	char rel[64], path[4096];
	DIR *d;
	size_t i, k, pre, n;
	int rc, worst = 0;

	for (i = 0; vf_states[i] != NULL; i++)
		for (k = 0; k < 2; k++) {
			(void)snprintf(rel, sizeof(rel), "%s/%s", vf_states[i],
			    sub[k]);
			if ((d = vf_opendir(root, rel, &rc)) == NULL) {
				worst = rc > worst ? rc : worst;
				continue;
			}
			/* "ROOT/STATE/SUB/" once a folder, each name after it. */
			rc = snprintf(path, sizeof(path), "%s/%s/", root->path,
			    rel);
			pre = rc > 0 && (size_t)rc < sizeof(path) ? (size_t)rc :
			    sizeof(path);
			while ((de = readdir(d)) != NULL) {
				/*
				 * Any name: a mail reader renames case files
				 * (the case is its Vf-Id); dot files are not
				 * cases.
				 */
				if (de->d_name[0] == '.')
					continue;
				if ((n = strlen(de->d_name)) >=
				    sizeof(path) - pre)
					continue;
				memcpy(path + pre, de->d_name, n + 1);
				if ((rc = fn(dirfd(d), de->d_name, path,
				    vf_states[i], arg)) > worst)
					worst = rc;
			}
			(void)closedir(d);
		}
	return worst;
}

/*
 * A file's name added to a folder, taken from it or renamed in or out of
 * it sets the folder's mtime to the clock's time then, in the file
 * system's steps (a jiffy on Linux, coarser elsewhere): a change within
 * STAMP_SLACK before the stamp may not show in a later one. So the stamp
 * is taken once every folder is older than that (it waits, up to three
 * times STAMP_SLACK, for one just changed), and a folder changed that
 * recently all the same counts as changing.
 */
#define STAMP_SLACK_NS	(100 * 1000000LL)

static long long
ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void
stamp_take(struct vf_root *root, struct timespec *m)
{
	static const char *const sub[] = { "new", "cur" };
	struct stat st;
	char rel[64];
	size_t i, k, j = 0;

	for (i = 0; vf_states[i] != NULL; i++)
		for (k = 0; k < 2; k++, j++) {
			(void)snprintf(rel, sizeof(rel), "%s/%s", vf_states[i],
			    sub[k]);
			if (fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) ==
			    -1) {
				/* Missing: a time no folder has. */
				m[j].tv_sec = -1;
				m[j].tv_nsec = errno;
			} else
				m[j] = st.st_mtim;
		}
}

void
vf_tree_stamp(struct vf_root *root, struct vf_stamp *s)
{
	struct timespec nap;
	long long newest, wait;
	size_t n, i, tries;

	for (n = 0; vf_states[n] != NULL; n++)
		;
	s->n = 2 * n;
	s->m = vf_reallocarray(NULL, s->n, sizeof(*s->m));
	for (tries = 0;; tries++) {
		if (clock_gettime(CLOCK_REALTIME, &s->at) == -1)
			err(EX_OSERR, "clock_gettime");
		stamp_take(root, s->m);
		for (newest = 0, i = 0; i < s->n; i++)
			if (s->m[i].tv_sec != -1 && ts_ns(&s->m[i]) > newest)
				newest = ts_ns(&s->m[i]);
		wait = newest + STAMP_SLACK_NS - ts_ns(&s->at);
		if (wait <= 0 || tries == 3)
			return;
		if (wait > STAMP_SLACK_NS)	/* a clock set back */
			wait = STAMP_SLACK_NS;
		nap.tv_sec = 0;
		nap.tv_nsec = (long)wait;
		(void)nanosleep(&nap, NULL);
	}
}

int
vf_tree_changed(struct vf_root *root, const struct vf_stamp *s)
{
	struct timespec *now;
	size_t i;
	int changed = 0;

	now = vf_reallocarray(NULL, s->n, sizeof(*now));
	stamp_take(root, now);
	for (i = 0; i < s->n && !changed; i++)
		changed = now[i].tv_sec != s->m[i].tv_sec ||
		    now[i].tv_nsec != s->m[i].tv_nsec ||
		    (s->m[i].tv_sec != -1 &&
		    ts_ns(&s->m[i]) >= ts_ns(&s->at) - STAMP_SLACK_NS);
	free(now);
	return changed;
}

void
vf_stamp_free(struct vf_stamp *s)
{
	free(s->m);
	s->m = NULL;
	s->n = 0;
}
