/*
 * The case tree: one maildir per state under the root, delivery the qmail
 * way, state changes by rename(2), per-case locks.
 *
 *	ROOT/config		configuration (config.c)
 *	ROOT/log		append-only log (log.c)
 *	ROOT/.seq		where the next id is looked for (id.c), a hint
 *	ROOT/.lock/ID		the id's reservation (id.c), then the case's
 *				lock file (flock(2)); left in place
 *	ROOT/STATE/{tmp,new,cur}	the cases in each state
 *	ROOT/outbox/{tmp,new,cur}	mail waiting to be sent (not a state)
 *
 * A case file is named by its id ("2026-00042") in new/; a mail reader may
 * move it to cur/ and add maildir flags ("2026-00042:2,S"): both name the
 * case, and a move keeps whatever new/ or cur/ and name the file has.
 *
 * The functions warn(3) about what went wrong (with the path) and return a
 * sysexits(3) code, so that a tool only has to exit with it.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"

static const char *const subdirs[] = { "tmp", "new", "cur" };

/* A maildir of the tree: a state, or the outbox. */
static int
folder_valid(const char *s)
{
	return vf_state_valid(s) || (s != NULL && strcmp(s, "outbox") == 0);
}

int
vf_errno_exit(int e)
{
	switch (e) {
	case 0:
		return 0;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
	case EIO:
	case EINTR:
	case ENOMEM:
	case ENOBUFS:
	case EMFILE:
	case ENFILE:
	case EAGAIN:
	case EBUSY:
	case ETIMEDOUT:
	case ESTALE:
		return EX_TEMPFAIL;
	case EACCES:
	case EPERM:
	case EROFS:
		return EX_NOPERM;
	default:
		return EX_IOERR;
	}
}

/* Warn about root->path/rel and return the errno's exit code. */
static int
fail(const struct vf_root *root, const char *rel)
{
	int e = errno, rc = vf_errno_exit(errno);

	warn("%s/%s", root->path, rel);
	errno = e;
	return rc;
}

int
vf_fsync_dir(const struct vf_root *root, const char *rel)
{
	int fd, e;

	if (strcmp(rel, ".") == 0)
		return fsync(root->fd);
	fd = openat(root->fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (fd == -1)
		return -1;
	if (fsync(fd) == -1) {
		e = errno;
		(void)close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* write(2) all of it, through EINTR and short writes; -1 with errno. */
int
vf_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
vf_root_open(struct vf_root *root, const char *path, int create)
{
	struct stat st;
	size_t n;
	int rc;

	root->path = NULL;
	root->fd = -1;
	if (path == NULL || path[0] == '\0')
		path = getenv("VF_ROOT");
	if (path == NULL || path[0] == '\0') {
		warnx("no case tree: give -d DIR or set VF_ROOT");
		errno = EINVAL;
		return EX_USAGE;
	}
	if (create && mkdir(path, 0700) == -1 && errno != EEXIST) {
		rc = vf_errno_exit(errno);
		warn("%s", path);
		return rc;
	}
	if ((root->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		rc = errno == ENOENT ? EX_NOINPUT : errno == ENOTDIR ?
		    EX_NOPERM : vf_errno_exit(errno);
		warn("%s", path);
		return rc;
	}
	if (fstat(root->fd, &st) == -1) {
		rc = vf_errno_exit(errno);
		warn("%s", path);
		goto bad;
	}
	/* What others can write, others can make us read or deliver to. */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		warnx("%s: refusing a case tree %s", path,
		    !S_ISDIR(st.st_mode) ? "that is not a directory" :
		    st.st_uid != geteuid() ? "owned by someone else" :
		    "that group or others may write");
		errno = EPERM;
		rc = EX_NOPERM;
		goto bad;
	}
	root->path = vf_strdup(path);
	for (n = strlen(root->path); n > 1 && root->path[n - 1] == '/'; n--)
		root->path[n - 1] = '\0';
	return 0;
bad:
	(void)close(root->fd);
	root->fd = -1;
	return rc;
}

void
vf_root_close(struct vf_root *root)
{
	if (root->fd != -1)
		(void)close(root->fd);
	root->fd = -1;
	free(root->path);
	root->path = NULL;
}

/* mkdirat that accepts an existing directory, but nothing else. */
static int
make_dir(const struct vf_root *root, const char *rel, int *made)
{
	struct stat st;

	if (mkdirat(root->fd, rel, 0700) == 0) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST)
		return fail(root, rel);
	if (fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return fail(root, rel);
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s/%s: not a directory", root->path, rel);
		errno = ENOTDIR;
		return EX_IOERR;
	}
	return 0;
}

int
vf_state_make(struct vf_root *root, const char *state)
{
	char rel[64];
	size_t i;
	int made = 0, sub = 0, rc;

	if (!folder_valid(state)) {
		warnx("%s: not a state", state != NULL ? state : "(null)");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if ((rc = make_dir(root, state, &made)) != 0)
		return rc;
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (snprintf(rel, sizeof(rel), "%s/%s", state, subdirs[i]) >=
		    (int)sizeof(rel))
			errx(EX_SOFTWARE, "vf_state_make: name too long");
		if ((rc = make_dir(root, rel, &sub)) != 0)
			return rc;
	}
	/* New directory entries are durable only once their parent is. */
	if (made && vf_fsync_dir(root, ".") == -1)
		return fail(root, ".");
	if (sub && vf_fsync_dir(root, state) == -1)
		return fail(root, state);
	return 0;
}

/* A file name we create: no path, no dot file, no maildir info, no control. */
static int
name_valid(const char *name)
{
	const unsigned char *p;

	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    strlen(name) > NAME_MAX)
		return 0;
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p == '/' || *p == ':' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* "STATE/tmp/TIME.PID_RANDOM.HOST", unique as in qmail's maildir. */
static void
tmp_name(char *buf, size_t size, const char *state)
{
	char host[65];
	size_t i;

	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	for (i = 0; host[i] != '\0'; i++)
		if (!(host[i] >= 'a' && host[i] <= 'z') &&
		    !(host[i] >= 'A' && host[i] <= 'Z') &&
		    !(host[i] >= '0' && host[i] <= '9') &&
		    host[i] != '.' && host[i] != '-')
			host[i] = '_';
	if (snprintf(buf, size, "%s/tmp/%lld.%ld_%08x.%s", state,
	    (long long)time(NULL), (long)getpid(), arc4random(),
	    host[0] != '\0' ? host : "localhost") >= (int)size)
		errx(EX_SOFTWARE, "vf tmp name too long");
}

/*
 * writev(2) all of the pieces, through EINTR and short writes, at most
 * IOV_MAX of them a call; -1 with errno.
 */
static int
writev_all(int fd, const struct iovec *iov, size_t n)
{
	struct iovec cur[64];
	size_t i = 0, k, skip = 0;
	ssize_t w;

	for (;;) {
		/* Past what is written, empty pieces included. */
		while (i < n && skip == iov[i].iov_len) {
			i++;
			skip = 0;
		}
		if (i == n)
			return 0;
		/* A window of pieces, the first maybe partly written. */
		for (k = 0; k < sizeof(cur) / sizeof(cur[0]) && i + k < n;
		    k++)
			cur[k] = iov[i + k];
		cur[0].iov_base = (char *)cur[0].iov_base + skip;
		cur[0].iov_len -= skip;
		w = writev(fd, cur, (int)k);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		while ((size_t)w >= iov[i].iov_len - skip) {
			w -= (ssize_t)(iov[i].iov_len - skip);
			skip = 0;
			if (++i == n)
				return 0;
		}
		skip += (size_t)w;
	}
}

/* Create, fill and fsync a new file in state/tmp; its name in tmp. */
static int
write_tmp(const struct vf_root *root, const char *state,
    const struct iovec *iov, size_t niov, char *tmp, size_t tmpsize)
{
	int fd, tries, rc, e;

	for (tries = 0;; tries++) {
		tmp_name(tmp, tmpsize, state);
		fd = openat(root->fd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd != -1)
			break;
		if (errno != EEXIST || tries >= 10)
			return fail(root, tmp);
	}
	if (writev_all(fd, iov, niov) == -1 || fsync(fd) == -1) {
		e = errno;
		rc = fail(root, tmp);
		(void)close(fd);
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		return rc;
	}
	/* close can report a delayed write error (NFS): it counts too. */
	if (close(fd) == -1) {
		e = errno;
		rc = fail(root, tmp);
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		return rc;
	}
	return 0;
}

/*
 * A name that exists already in new/ is EX_TEMPFAIL: it means two
 * deliveries raced for one name, and the MTA's retry allocates another.
 */
int
vf_deliver(struct vf_root *root, const char *state, const char *name,
    const void *data, size_t len, char *path, size_t pathsize)
{
	struct iovec iov;

	iov.iov_base = (void *)data;
	iov.iov_len = len;
	return vf_deliverv(root, state, name, &iov, 1, path, pathsize);
}

int
vf_deliverv(struct vf_root *root, const char *state, const char *name,
    const struct iovec *iov, size_t niov, char *path, size_t pathsize)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	int rc, e;

	if (pathsize > 0)
		path[0] = '\0';
	if (!folder_valid(state) || !name_valid(name)) {
		warnx("vf_deliver: bad state or name");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if (snprintf(dst, sizeof(dst), "%s/new/%s", state, name) >=
	    (int)sizeof(dst) ||
	    snprintf(path, pathsize, "%s/%s", root->path, dst) >=
	    (int)pathsize) {
		if (pathsize > 0)
			path[0] = '\0';
		warnx("%s/%s: path too long", root->path, dst);
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	path[0] = '\0';
	if ((rc = vf_state_make(root, state)) != 0)
		return rc;
	if ((rc = write_tmp(root, state, iov, niov, tmp, sizeof(tmp))) != 0)
		return rc;
	if (linkat(root->fd, tmp, root->fd, dst, 0) == -1) {
		e = errno;
		if (e == EEXIST) {
			warnx("%s/%s: exists already", root->path, dst);
			rc = EX_TEMPFAIL;
		} else
			rc = fail(root, dst);
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		return rc;
	}
	/* A stale tmp file is harmless (vf-expire removes it); go on. */
	(void)unlinkat(root->fd, tmp, 0);
	if (snprintf(tmp, sizeof(tmp), "%s/new", state) >= (int)sizeof(tmp))
		errx(EX_SOFTWARE, "vf_deliver: name too long");
	if (vf_fsync_dir(root, tmp) == -1) {
		/*
		 * Not known to be on disk: take it back, so that the retry
		 * the caller asks for does not leave a second copy.
		 */
		e = errno;
		rc = fail(root, tmp);
		(void)unlinkat(root->fd, dst, 0);
		errno = e;
		return rc;
	}
	(void)snprintf(path, pathsize, "%s/%s", root->path, dst);
	return 0;
}

/* Where a case path is in the tree. */
struct loc {
	int		 state;		/* index into vf_states */
	const char	*sub;		/* "new" or "cur" */
	char		 name[NAME_MAX + 1];
	char		 id[VF_IDLEN];
};

/*
 * The case id of a file name: the name itself, or the part before maildir
 * info ":2,FLAGS". 0 if it names no case.
 */
static int
name_id(const char *name, char *id, size_t size)
{
	const char *colon;
	size_t n;

	if ((colon = strchr(name, ':')) == NULL)
		n = strlen(name);
	else {
		if (strncmp(colon, ":2,", 3) != 0)
			return 0;
		n = (size_t)(colon - name);
	}
	if (n + 1 > size)
		return 0;
	memcpy(id, name, n);
	id[n] = '\0';
	return vf_id_valid(id);
}

/*
 * Split path into .../STATE/SUB/NAME and check that .../STATE is the very
 * directory root/STATE (same device and inode), whatever way the path is
 * spelt: relative, through symbolic links, with "." or "//".
 */
static int
locate(const struct vf_root *root, const char *path, struct loc *l)
{
	size_t len, end[3], beg[3];
	struct stat a, b;
	char *dir;
	int i, k;

	len = strlen(path);
	if (len == 0 || path[len - 1] == '/')
		return -1;
	/* Components from the end: 0 the name, 1 new|cur, 2 the state. */
	end[0] = len;
	for (k = 0; k < 3; k++) {
		beg[k] = end[k];
		while (beg[k] > 0 && path[beg[k] - 1] != '/')
			beg[k]--;
		if (beg[k] == end[k])
			return -1;
		if (k == 2)
			break;
		if (beg[k] == 0)
			return -1;
		end[k + 1] = beg[k];
		while (end[k + 1] > 0 && path[end[k + 1] - 1] == '/')
			end[k + 1]--;
		if (end[k + 1] == 0)
			return -1;
	}
	if (end[0] - beg[0] > NAME_MAX)
		return -1;
	memcpy(l->name, path + beg[0], end[0] - beg[0]);
	l->name[end[0] - beg[0]] = '\0';
	if (!name_id(l->name, l->id, sizeof(l->id)))
		return -1;
	if (end[1] - beg[1] != 3)
		return -1;
	if (strncmp(path + beg[1], "new", 3) == 0)
		l->sub = "new";
	else if (strncmp(path + beg[1], "cur", 3) == 0)
		l->sub = "cur";
	else
		return -1;
	for (i = 0; vf_states[i] != NULL; i++)
		if (strlen(vf_states[i]) == end[2] - beg[2] &&
		    strncmp(path + beg[2], vf_states[i], end[2] - beg[2]) == 0)
			break;
	if (vf_states[i] == NULL)
		return -1;
	l->state = i;
	dir = vf_strndup(path, end[2]);
	k = stat(dir, &a);
	free(dir);
	if (k == -1 || fstatat(root->fd, vf_states[i], &b, 0) == -1)
		return -1;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return -1;
	return 0;
}

const char *
vf_path_state(struct vf_root *root, const char *path, char *id, size_t size)
{
	struct loc l;

	if (path == NULL || locate(root, path, &l) == -1)
		return NULL;
	if (id != NULL) {
		if (strlen(l.id) + 1 > size)
			return NULL;
		memcpy(id, l.id, strlen(l.id) + 1);
	}
	return vf_states[l.state];
}

/*
 * Through RENAME_EXCHANGE where the file system has it: the exchange fails
 * if the case was moved away meanwhile, where a plain rename would bring it
 * back to life in its old state beside the moved one.
 */
int
vf_replace(struct vf_root *root, const char *path, const void *data,
    size_t len)
{
	struct iovec iov;

	iov.iov_base = (void *)data;
	iov.iov_len = len;
	return vf_replacev(root, path, &iov, 1);
}

int
vf_replacev(struct vf_root *root, const char *path, const struct iovec *iov,
    size_t niov)
{
	struct loc l;
	struct stat st;
	char tmp[PATH_MAX], rel[PATH_MAX], dir[64];
	int rc, e;

	if (locate(root, path, &l) == -1) {
		warnx("%s: not a case file in %s", path, root->path);
		errno = EINVAL;
		return EX_NOINPUT;
	}
	if (snprintf(rel, sizeof(rel), "%s/%s/%s", vf_states[l.state],
	    l.sub, l.name) >= (int)sizeof(rel) ||
	    snprintf(dir, sizeof(dir), "%s/%s", vf_states[l.state], l.sub) >=
	    (int)sizeof(dir))
		errx(EX_SOFTWARE, "vf_replace: name too long");
	if ((rc = write_tmp(root, vf_states[l.state], iov, niov, tmp,
	    sizeof(tmp))) != 0)
		return rc;
#ifdef RENAME_EXCHANGE
	if (renameat2(root->fd, tmp, root->fd, rel, RENAME_EXCHANGE) == 0) {
		/* tmp now holds the old contents. */
		(void)unlinkat(root->fd, tmp, 0);
		goto sync;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		goto bad;
#endif
	if (fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    renameat(root->fd, tmp, root->fd, rel) == -1)
		goto bad;
sync:
	if (vf_fsync_dir(root, dir) == -1)
		return fail(root, dir);
	return 0;
bad:
	e = errno;
	if (e == ENOENT) {
		warnx("%s: gone (moved meanwhile?)", path);
		rc = EX_TEMPFAIL;
	} else
		rc = fail(root, rel);
	(void)unlinkat(root->fd, tmp, 0);
	errno = e;
	return rc;
}

int
vf_move(struct vf_root *root, char *path, size_t size, const char *state)
{
	struct loc l;
	struct stat st;
	char from[PATH_MAX], to[PATH_MAX], npath[PATH_MAX];
	int rc = 0, e;

	if (!vf_state_valid(state)) {
		warnx("%s: not a state", state != NULL ? state : "(null)");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if (locate(root, path, &l) == -1) {
		warnx("%s: not a case file in %s", path, root->path);
		errno = EINVAL;
		return EX_NOINPUT;
	}
	if (strcmp(vf_states[l.state], state) == 0)
		return 0;
	if (snprintf(from, sizeof(from), "%s/%s/%s", vf_states[l.state],
	    l.sub, l.name) >= (int)sizeof(from) ||
	    snprintf(to, sizeof(to), "%s/%s/%s", state, l.sub, l.name) >=
	    (int)sizeof(to) ||
	    snprintf(npath, sizeof(npath), "%s/%s", root->path, to) >=
	    (int)sizeof(npath) || strlen(npath) + 1 > size) {
		warnx("%s/%s: path too long", root->path, to);
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	if ((rc = vf_state_make(root, state)) != 0)
		return rc;
	/* Never overwrite: a case in two states is a broken tree. */
#ifdef RENAME_NOREPLACE
	if (renameat2(root->fd, from, root->fd, to, RENAME_NOREPLACE) == 0)
		goto moved;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		goto bad;
#endif
	if (fstatat(root->fd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		goto bad;
	}
	if (renameat(root->fd, from, root->fd, to) == -1)
		goto bad;
#ifdef RENAME_NOREPLACE
moved:
#endif
	/* The rename happened: path follows it even if an fsync fails. */
	memcpy(path, npath, strlen(npath) + 1);
	if (snprintf(to, sizeof(to), "%s/%s", state, l.sub) >=
	    (int)sizeof(to) ||
	    snprintf(from, sizeof(from), "%s/%s", vf_states[l.state],
	    l.sub) >= (int)sizeof(from))
		errx(EX_SOFTWARE, "vf_move: name too long");
	if (vf_fsync_dir(root, to) == -1)
		return fail(root, to);
	if (vf_fsync_dir(root, from) == -1)
		return fail(root, from);
	return 0;
bad:
	e = errno;
	if (e == ENOENT) {
		warnx("%s: gone (moved meanwhile?)", path);
		rc = EX_TEMPFAIL;
	} else if (e == EEXIST) {
		warnx("%s/%s: exists already: the case is in two states",
		    root->path, to);
		rc = EX_SOFTWARE;
	} else
		rc = fail(root, to);
	errno = e;
	return rc;
}

static int
found(struct vf_root *root, int state, const char *sub, const char *name,
    char *path, size_t size, const char **statep)
{
	if (snprintf(path, size, "%s/%s/%s/%s", root->path, vf_states[state],
	    sub, name) >= (int)size) {
		warnx("%s/%s/%s/%s: path too long", root->path,
		    vf_states[state], sub, name);
		path[0] = '\0';
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	if (statep != NULL)
		*statep = vf_states[state];
	return 0;
}

/*
 * Cheap stats first (the usual case: the file has its bare id as name);
 * only then a scan of each cur/ for "ID:2,FLAGS".
 */
int
vf_find(struct vf_root *root, const char *id, char *path, size_t size,
    const char **statep)
{
	char rel[128];
	struct stat st;
	struct dirent *de;
	DIR *d;
	size_t i, k, idlen;
	int fd, rc = EX_NOINPUT, hit;

	if (size > 0)
		path[0] = '\0';
	if (!vf_id_valid(id)) {
		errno = EINVAL;
		return EX_NOINPUT;
	}
	for (i = 0; vf_states[i] != NULL; i++)
		for (k = 1; k < 3; k++) {
			if (snprintf(rel, sizeof(rel), "%s/%s/%s", vf_states[i],
			    subdirs[k], id) >= (int)sizeof(rel))
				continue;
			if (fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 && S_ISREG(st.st_mode))
				return found(root, (int)i, subdirs[k], id, path,
				    size, statep);
		}
	idlen = strlen(id);
	for (i = 0; vf_states[i] != NULL; i++) {
		if (snprintf(rel, sizeof(rel), "%s/cur", vf_states[i]) >=
		    (int)sizeof(rel))
			continue;
		fd = openat(root->fd, rel, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | O_NOFOLLOW);
		if (fd == -1) {
			if (errno != ENOENT)
				rc = fail(root, rel);
			continue;
		}
		if ((d = fdopendir(fd)) == NULL) {
			rc = fail(root, rel);
			(void)close(fd);
			continue;
		}
		hit = 0;
		errno = 0;
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, id, idlen) == 0 &&
			    strncmp(de->d_name + idlen, ":2,", 3) == 0) {
				rc = found(root, (int)i, "cur", de->d_name,
				    path, size, statep);
				hit = 1;
				break;
			}
		}
		if (!hit && errno != 0)
			rc = fail(root, rel);
		(void)closedir(d);
		if (hit)
			return rc;
	}
	return rc;
}

/*
 * Wait up to $VF_LOCK_WAIT seconds (default 30) for the case's lock: long
 * enough for another tool to finish with the case, short enough that the
 * MTA's retry (EX_TEMPFAIL) takes over from a stuck holder.
 */
int
vf_lock(struct vf_root *root, const char *id, int *fdp)
{
	char rel[64];
	const char *s, *e;
	long long wait = 30, tries, v;
	struct timespec ts = { 0, 100000000L };
	int fd, rc, made = 0;

	*fdp = -1;
	if (!vf_id_valid(id)) {
		warnx("vf_lock: bad case id");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if ((s = getenv("VF_LOCK_WAIT")) != NULL && s[0] != '\0') {
		v = strtonum(s, 0, 3600, &e);
		if (e == NULL)
			wait = v;
	}
	if ((rc = make_dir(root, ".lock", &made)) != 0)
		return rc;
	if (snprintf(rel, sizeof(rel), ".lock/%s", id) >= (int)sizeof(rel))
		errx(EX_SOFTWARE, "vf_lock: name too long");
	fd = openat(root->fd, rel, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return fail(root, rel);
	for (tries = wait * 10;; tries--) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = fail(root, rel);
			(void)close(fd);
			return rc;
		}
		if (tries <= 0) {
			warnx("case %s is locked by another process; "
			    "try again later", id);
			(void)close(fd);
			errno = EWOULDBLOCK;
			return EX_TEMPFAIL;
		}
		(void)nanosleep(&ts, NULL);
	}
	*fdp = fd;
	return 0;
}

void
vf_unlock(int fd)
{
	if (fd >= 0)
		(void)close(fd);
}
