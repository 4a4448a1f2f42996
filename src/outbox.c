/*
 * The notices in the outbox, by case and recipient: what vf-notify wrote
 * (ROOT/outbox/new/, waiting to be sent) and the office's copies of what
 * was sent (ROOT/outbox/cur/). Each file is a whole mail whose top headers
 * include "Vf-Id: ID" and "Vf-Notice: KIND ROLE" (vf-case(5)). Only the
 * head of each file is read. Kept: every notice to the reporter, and
 * every notice still waiting to be sent.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define HEAD_MAX	65536

static int
read_head(int dirfd, const char *name, struct vf_notice *nt)
{
	struct vf_limits lim;
	struct vf_kv *h = NULL;
	struct stat st;
	char buf[HEAD_MAX];
	const char *body;
	size_t nh = 0, i;
	ssize_t n;
	int fd, flags = 0, rc = 0;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) ==
	    -1)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (n = read(fd, buf, sizeof(buf) - 1)) < 0) {
		(void)close(fd);
		return -1;
	}
	(void)close(fd);
	buf[n] = '\0';
	nt->mtime = st.st_mtime;
	vf_limits_default(&lim);
	(void)vf_headers_parse(buf, (size_t)n, &lim, &h, &nh, &body, &flags);
	nt->id[0] = nt->kind[0] = nt->role[0] = '\0';
	for (i = 0; i < nh; i++) {
		const char *v = h[i].value + strspn(h[i].value, " \t");

		if (strcasecmp(h[i].name, "Vf-Id") == 0)
			(void)strlcpy(nt->id, v, sizeof(nt->id));
		else if (strcasecmp(h[i].name, "Vf-Notice") == 0 &&
		    sscanf(v, "%31s %15s", nt->kind, nt->role) != 2)
			nt->kind[0] = nt->role[0] = '\0';
	}
	vf_headers_free(h, nh);
	if (!vf_id_valid(nt->id))
		rc = 1;		/* not a notice about a case */
	return rc;
}

int
vf_outbox_scan(struct vf_root *root, struct vf_outbox *ob)
{
	static const char *const sub[] = { "new", "cur" };
	struct vf_notice nt;
	struct dirent *de;
	char rel[64];
	DIR *d;
	size_t i;
	int fd, r, rc = 0;

	memset(ob, 0, sizeof(*ob));
	for (i = 0; i < 2; i++) {
		(void)snprintf(rel, sizeof(rel), "outbox/%s", sub[i]);
		if ((d = vf_opendir(root, rel, &r)) == NULL) {
			rc = r > rc ? r : rc;
			continue;
		}
		fd = dirfd(d);
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			memset(&nt, 0, sizeof(nt));
			if ((r = read_head(fd, de->d_name, &nt)) == -1) {
				warn("%s/%s/%s", root->path, rel, de->d_name);
				rc = vf_errno_exit(errno);
				continue;
			}
			if (r == 1)
				continue;
			nt.pending = i == 0;
			/* What vf-expire acts on; the rest would only fill
			   memory as the outbox grows. */
			if (!nt.pending && strcmp(nt.role, "reporter") != 0)
				continue;
			if (snprintf(nt.rel, sizeof(nt.rel), "%s/%s", rel,
			    de->d_name) >= (int)sizeof(nt.rel))
				continue;
			ob->v = vf_reallocarray(ob->v, ob->n + 1,
			    sizeof(*ob->v));
			ob->v[ob->n++] = nt;
		}
		(void)closedir(d);
	}
	return rc;
}

/* The outbox file of a Message-ID: "vf.ID.HEX", its local part. */
int
vf_outbox_name(const char *mid, char *name, size_t size)
{
	const char *s = mid + (mid[0] == '<'), *at = strchr(s, '@');

	if (at == NULL || (size_t)(at - s) + 1 > size || at == s)
		return -1;
	memcpy(name, s, (size_t)(at - s));
	name[at - s] = '\0';
	if (strncmp(name, "vf.", 3) != 0 || strchr(name, '/') != NULL)
		return -1;
	return 0;
}

/*
 * Delete ROOT/rel (with dryrun, only look for it), counted into *removed
 * only if it was there: a file already gone is no deletion to record, so
 * erasing a case a second time records nothing (vf-expire's walk can meet
 * a case twice). 0, or an exit code.
 */
static int
drop(struct vf_root *root, const char *rel, int dryrun, size_t *removed)
{
	struct stat st;

	if (dryrun ? fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 :
	    unlinkat(root->fd, rel, 0) == 0) {
		(*removed)++;
		return 0;
	}
	if (errno == ENOENT)
		return 0;
	warn("%s/%s", root->path, rel);
	return vf_errno_exit(errno);
}

/* Did the scan see a file of this name (in new/ or cur/)? */
static int
seen(const struct vf_outbox *ob, const char *name)
{
	const char *b;
	size_t i;

	for (i = 0; i < ob->n; i++)
		if ((b = strrchr(ob->v[i].rel, '/')) != NULL &&
		    strcmp(b + 1, name) == 0)
			return 1;
	return 0;
}

int
vf_outbox_unseen(struct vf_root *root, const struct vf_outbox *ob,
    const struct vf_case *c, const char *role, time_t since, int dryrun,
    size_t *removed, int *fresh)
{
	static const char *const sub[] = { "new", "cur" };
	struct vf_notice nt;
	struct stat st;
	char rel[sizeof(nt.rel) + 16];
	size_t i, k;
	int pass, r, rc = 0;

	*removed = 0;
	*fresh = 0;
	/* Pass 0 looks for one not sent yet; only then pass 1 deletes. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->nhdr; i++) {
			if (strcasecmp(c->hdr[i].name, "Vf-Notice") != 0 ||
			    vf_notice_parse(c->hdr[i].value +
			    strspn(c->hdr[i].value, " "), &nt) == -1 ||
			    strcmp(nt.role, role) != 0 || nt.rel[0] == '\0' ||
			    seen(ob, nt.rel))
				continue;
			for (k = 0; k < 2; k++) {
				(void)snprintf(rel, sizeof(rel), "outbox/%s/%s",
				    sub[k], nt.rel);
				if (pass == 0) {
					/* Unsent, and not for too long. */
					if (k == 0 && fstatat(root->fd, rel,
					    &st, AT_SYMLINK_NOFOLLOW) == 0 &&
					    st.st_mtime > since) {
						*fresh = 1;
						return 0;
					}
					continue;
				}
				if ((r = drop(root, rel, dryrun, removed)) != 0)
					rc = r;
			}
		}
	return rc;
}

void
vf_outbox_free(struct vf_outbox *ob)
{
	free(ob->v);
	memset(ob, 0, sizeof(*ob));
}

int
vf_outbox_remove(struct vf_root *root, const struct vf_notice *nt,
    int dryrun, size_t *removed)
{
	return drop(root, nt->rel, dryrun, removed);
}
