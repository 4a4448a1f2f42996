/*
 * Every case of the tree, one at a time: a tool that looks at the whole
 * tree (vf-expire, vf-stats) holds one case in memory, never the list.
 * vf_walkat gives the folder's descriptor too, so that a case is opened
 * relative to it and the kernel does not walk the root's path per file.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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
