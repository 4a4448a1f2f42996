/*
 * Every case of the tree, one at a time: a tool that looks at the whole
 * tree (vf-expire, vf-stats) holds one case in memory, never the list.
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

int
vf_walk(struct vf_root *root, int (*fn)(const char *, const char *, void *),
    void *arg)
{
	static const char *const sub[] = { "new", "cur" };
	struct dirent *de;
	char rel[64], path[4096], id[VF_IDLEN];
	DIR *d;
	size_t i, k;
	int rc, worst = 0;

	for (i = 0; vf_states[i] != NULL; i++)
		for (k = 0; k < 2; k++) {
			(void)snprintf(rel, sizeof(rel), "%s/%s", vf_states[i],
			    sub[k]);
			if ((d = vf_opendir(root, rel, &rc)) == NULL) {
				worst = rc > worst ? rc : worst;
				continue;
			}
			while ((de = readdir(d)) != NULL) {
				char *colon;
				size_t n;

				if (de->d_name[0] == '.')
					continue;
				/* A case name: its id, maybe with ":2,FLAGS". */
				n = (colon = strchr(de->d_name, ':')) != NULL ?
				    (size_t)(colon - de->d_name) :
				    strlen(de->d_name);
				if (n >= sizeof(id))
					continue;
				memcpy(id, de->d_name, n);
				id[n] = '\0';
				if (!vf_id_valid(id))
					continue;
				if (snprintf(path, sizeof(path), "%s/%s/%s",
				    root->path, rel, de->d_name) >=
				    (int)sizeof(path))
					continue;
				if ((rc = fn(path, vf_states[i], arg)) > worst)
					worst = rc;
			}
			(void)closedir(d);
		}
	return worst;
}
