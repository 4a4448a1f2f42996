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
 * move it to cur/ and add maildir flags ("2026-00042:2,S"): both are the
 * case's own name, and a move keeps whatever new/ or cur/ and name the
 * file has. A reader may also give it a name of its own
 * ("1796163661.M000939P19045Q1.vm:2,S"): the file is still the case its
 * Vf-Id names, found through the index (index.c), and the next tool that
 * changes it (vf_case_save) gives it back its own name.
 *
 * The functions warn(3) about what went wrong (with the path) and return a
 * sysexits(3) code, so that a tool only has to exit with it.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/openat2.h>

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

/*
 * With openat2(2), no symbolic link and no ".." anywhere in rel is
 * followed, so nothing planted in the tree leads a tool out of it. Where
 * the kernel has no openat2, the folders of the tree are still its own
 * (make_dir refuses anything but a directory) and the last component is
 * opened O_NOFOLLOW.
 */
int
vf_openat(int dirfd, const char *rel, int flags, mode_t mode)
{
#ifdef SYS_openat2
	static int none;
	struct open_how how;
	int fd;

	if (!none) {
		memset(&how, 0, sizeof(how));
		how.flags = (unsigned long long)(flags | O_CLOEXEC |
		    O_NOFOLLOW);
		how.mode = (flags & O_CREAT) != 0 ? mode : 0;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd != -1 || errno != ENOSYS)
			return fd;
		none = 1;
	}
#endif
	return openat(dirfd, rel, flags | O_CLOEXEC | O_NOFOLLOW, mode);
}

int
vf_fsync_dir(const struct vf_root *root, const char *rel)
{
	int fd, e;

	if (strcmp(rel, ".") == 0)
		return fsync(root->fd);
	fd = vf_openat(root->fd, rel, O_RDONLY | O_DIRECTORY, 0);
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
	root->ready = 0;
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
	/*
	 * The root itself, not where a symbolic link of that name points
	 * today: a link can be turned elsewhere between two deliveries.
	 * Everything below is opened relative to this descriptor.
	 */
	for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		;
	root->path = vf_strndup(path, n);
	if ((root->fd = open(root->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW)) == -1) {
		if (errno == ELOOP || (errno == ENOTDIR &&
		    lstat(root->path, &st) == 0 && S_ISLNK(st.st_mode))) {
			warnx("%s: refusing a case tree that is a symbolic "
			    "link; name the directory itself", root->path);
			errno = ELOOP;
			rc = EX_NOPERM;
		} else {
			rc = errno == ENOENT ? EX_NOINPUT : errno == ENOTDIR ?
			    EX_NOPERM : vf_errno_exit(errno);
			warn("%s", root->path);
		}
		goto bad;
	}
	if (fstat(root->fd, &st) == -1) {
		rc = vf_errno_exit(errno);
		warn("%s", path);
		goto bad;
	}
	/*
	 * What others can write, others can make us read or deliver to;
	 * what they can read holds reporters' details in clear.
	 */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0) {
		warnx("%s: refusing a case tree %s", root->path,
		    !S_ISDIR(st.st_mode) ? "that is not a directory" :
		    st.st_uid != geteuid() ? "owned by someone else" :
		    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ?
		    "that group or others may write (chmod 700 it)" :
		    "that group or others may read (chmod 700 it)");
		errno = EPERM;
		rc = EX_NOPERM;
		goto bad;
	}
	return 0;
bad:
	if (root->fd != -1)
		(void)close(root->fd);
	root->fd = -1;
	free(root->path);
	root->path = NULL;
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

/* A folder's bit in root->ready: the outbox 1, a state 2 << its index. */
static unsigned
folder_bit(const char *state)
{
	int i;

	if (state != NULL && strcmp(state, "outbox") == 0)
		return 1;
	if ((i = vf_state_index(state)) == -1 || i > 30)
		return 0;
	return 2u << i;
}

/*
 * What vf_state_make checks, quietly and making nothing: vf-notify asks
 * it while gpg runs, for the outbox and the state a notice moves the
 * case to, so that after gpg vf_state_make is spared its eight calls.
 * Only a tool that asks this gets the shortcut (vf-parse never does).
 */
int
vf_folder_ready(struct vf_root *root, const char *state)
{
	char rel[64];
	struct stat st;
	unsigned bit = folder_bit(state);
	size_t i;

	if (bit == 0)
		return 0;
	if (__atomic_load_n(&root->ready, __ATOMIC_ACQUIRE) & bit)
		return 1;
	if (fstatat(root->fd, state, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (snprintf(rel, sizeof(rel), "%s/%s", state, subdirs[i]) >=
		    (int)sizeof(rel) || fstatat(root->fd, rel, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISDIR(st.st_mode))
			return 0;
	}
	__atomic_fetch_or(&root->ready, bit, __ATOMIC_RELEASE);
	return 1;
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
	if (__atomic_load_n(&root->ready, __ATOMIC_ACQUIRE) &
	    folder_bit(state))
		return 0;
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

/* A new file in state/tmp, its name in tmp; -1 and errno. */
static int
open_tmp(const struct vf_root *root, const char *state, char *tmp,
    size_t tmpsize)
{
	int fd, tries;

	for (tries = 0;; tries++) {
		tmp_name(tmp, tmpsize, state);
		fd = vf_openat(root->fd, tmp, O_WRONLY | O_CREAT | O_EXCL,
		    0600);
		if (fd != -1)
			return fd;
		if (errno != EEXIST || tries >= 10)
			return -1;
	}
}

int
vf_tmp_open(struct vf_root *root, const char *state, char *tmp,
    size_t tmpsize)
{
	if (!folder_valid(state))
		return -1;
	return open_tmp(root, state, tmp, tmpsize);
}

/*
 * Create (fd -1) or take (fd, made by open_tmp), fill and fsync a new
 * file in state/tmp; its name in tmp.
 */
static int
write_tmp(const struct vf_root *root, const char *state,
    const struct iovec *iov, size_t niov, char *tmp, size_t tmpsize, int fd)
{
	int rc, e;

	if (fd == -1 && (fd = open_tmp(root, state, tmp, tmpsize)) == -1)
		return fail(root, tmp);
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

static int deliver_fd(struct vf_root *, const char *, const char *,
    const struct iovec *, size_t, char *, size_t, int, const char *);

int
vf_deliverv(struct vf_root *root, const char *state, const char *name,
    const struct iovec *iov, size_t niov, char *path, size_t pathsize)
{
	return deliver_fd(root, state, name, iov, niov, path, pathsize, -1,
	    NULL);
}

int
vf_deliver_tmp(struct vf_root *root, const char *state, const char *name,
    const void *data, size_t len, char *path, size_t pathsize, int fd,
    const char *tmpname)
{
	struct iovec iov;

	iov.iov_base = (void *)data;
	iov.iov_len = len;
	return deliver_fd(root, state, name, &iov, 1, path, pathsize, fd,
	    tmpname);
}

int
vf_deliverv_tmp(struct vf_root *root, const char *state, const char *name,
    const struct iovec *iov, size_t niov, char *path, size_t pathsize,
    int fd, const char *tmpname)
{
	return deliver_fd(root, state, name, iov, niov, path, pathsize, fd,
	    tmpname);
}

int
vf_tmp_write(int fd, const struct iovec *iov, size_t niov)
{
	return writev_all(fd, iov, niov);
}

/* fd -1: the tmp file made here; else the one tmpname names, closed. */
static int
deliver_fd(struct vf_root *root, const char *state, const char *name,
    const struct iovec *iov, size_t niov, char *path, size_t pathsize,
    int fd, const char *tmpname)
{
	char tmp[PATH_MAX], dst[PATH_MAX], id[VF_IDLEN];
	int rc, e;

	if (pathsize > 0)
		path[0] = '\0';
	if (fd != -1 && strlcpy(tmp, tmpname, sizeof(tmp)) >= sizeof(tmp))
		errx(EX_SOFTWARE, "vf_deliver: tmp name too long");
	if (!folder_valid(state) || !name_valid(name)) {
		if (fd != -1) {
			(void)close(fd);
			(void)unlinkat(root->fd, tmp, 0);
		}
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
		if (fd != -1) {
			(void)close(fd);
			(void)unlinkat(root->fd, tmp, 0);
		}
		warnx("%s/%s: path too long", root->path, dst);
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	path[0] = '\0';
	if ((rc = vf_state_make(root, state)) != 0) {
		if (fd != -1) {
			(void)close(fd);
			(void)unlinkat(root->fd, tmp, 0);
		}
		return rc;
	}
	if ((rc = write_tmp(root, state, iov, niov, tmp, sizeof(tmp),
	    fd)) != 0)
		return rc;
	/* A case is linked only once its number's reservation is on disk. */
	if (vf_id_settle() != 0) {
		e = errno;
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		return vf_errno_exit(e);
	}
	/*
	 * Where the case is, said before it is there: once linked, a tool
	 * may see it in new/, move it and say where it put it, and this
	 * entry written after that would name the place it left. If the
	 * link fails the entry names a file that is not there, which any
	 * look-up verifies (the index is a hint).
	 */
	if (vf_state_valid(state) && vf_name_id(name, id, sizeof(id)))
		vf_index_put(root, id, dst);
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
	int		 own;		/* the name is the id (with flags) */
	char		 rel[PATH_MAX];	/* STATE/SUB/NAME */
};

/*
 * Is the first n bytes of path, a folder named like state i, the very
 * directory root/STATE (same device and inode)? A tool given a list of
 * cases asks it for each, mostly of the same few folders: the last answer
 * that was yes is kept (per thread: vf-notify -j), and a path spelt the
 * same way for the same root and state is not stat'ed again (two stats
 * of 20,000 a run of vf-validate -n over 10,000 cases, doc/BENCH.md).
 * Safe to keep: the case itself is always opened relative to root->fd
 * (l->rel), so the check only makes sure the path the user wrote names
 * this root's case, not another tree's; a folder moved in the middle of a
 * run changes nothing that is opened.
 */
static int
same_dir(const struct vf_root *root, const char *path, size_t n, int i)
{
	static _Thread_local struct {
		int	 fd, state;
		size_t	 n;
		char	 dir[PATH_MAX], root[PATH_MAX];
	} last;
	struct stat a, b;
	char *dir;
	int k;

	/* The root by its descriptor and its name: a root closed and
	   another opened may get the same descriptor. */
	if (last.n == n && last.fd == root->fd && last.state == i &&
	    memcmp(last.dir, path, n) == 0 && strcmp(last.root, root->path) == 0)
		return 1;
	dir = vf_strndup(path, n);
	k = stat(dir, &a);
	free(dir);
	if (k == -1 || fstatat(root->fd, vf_states[i], &b, 0) == -1)
		return 0;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	last.n = 0;
	if (n < sizeof(last.dir) && strlcpy(last.root, root->path,
	    sizeof(last.root)) < sizeof(last.root)) {
		last.fd = root->fd;
		last.state = i;
		last.n = n;
		memcpy(last.dir, path, n);
	}
	return 1;
}

/*
 * Split path into .../STATE/SUB/NAME and check that .../STATE is the very
 * directory root/STATE (same device and inode), whatever way the path is
 * spelt: relative, through symbolic links, with "." or "//". A file whose
 * name is not its id is the case its head's Vf-Id names.
 */
static int
locate(const struct vf_root *root, const char *path, struct loc *l)
{
	size_t len, end[3], beg[3], ls, ln;
	struct stat a;
	int i, k, fd;

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
	if (l->name[0] == '.')
		return -1;
	l->own = vf_name_id(l->name, l->id, sizeof(l->id));
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
	if (!same_dir(root, path, end[2], i))
		return -1;
	/* STATE/SUB/NAME by its pieces' known lengths, not snprintf: it
	   was a twentieth of vf-validate -n, once a case. */
	ls = end[2] - beg[2];
	ln = end[0] - beg[0];
	if (ls + 5 + ln >= sizeof(l->rel))
		return -1;
	memcpy(l->rel, vf_states[i], ls);
	l->rel[ls] = '/';
	memcpy(l->rel + ls + 1, l->sub, 3);
	l->rel[ls + 4] = '/';
	memcpy(l->rel + ls + 5, l->name, ln + 1);
	if (!l->own) {
		if ((fd = vf_openat(root->fd, l->rel, O_RDONLY | O_NONBLOCK,
		    0)) == -1)
			return -1;
		k = fstat(fd, &a) == 0 && S_ISREG(a.st_mode) &&
		    vf_head_id(fd, l->id, sizeof(l->id));
		(void)close(fd);
		if (!k)
			return -1;
	}
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

int
vf_case_open(struct vf_root *root, const char *path)
{
	struct loc l;

	if (path == NULL || locate(root, path, &l) == -1) {
		errno = EINVAL;
		return -1;
	}
	return vf_openat(root->fd, l.rel, O_RDONLY | O_NONBLOCK, 0);
}

/*
 * Write the new contents to the state's tmp/ and put them in place of the
 * file at l. Through RENAME_EXCHANGE where the file system has it: the
 * exchange fails if the case was moved away meanwhile, where a plain
 * rename would bring it back to life in its old state beside the moved
 * one.
 */
static int
replace_at(struct vf_root *root, const char *path, const struct loc *l,
    const struct iovec *iov, size_t niov)
{
	struct stat st;
	char tmp[PATH_MAX], dir[64];
	int rc, e;

	if (snprintf(dir, sizeof(dir), "%s/%s", vf_states[l->state],
	    l->sub) >= (int)sizeof(dir))
		errx(EX_SOFTWARE, "vf_replace: name too long");
	if ((rc = write_tmp(root, vf_states[l->state], iov, niov, tmp,
	    sizeof(tmp), -1)) != 0)
		return rc;
#ifdef RENAME_EXCHANGE
	if (renameat2(root->fd, tmp, root->fd, l->rel, RENAME_EXCHANGE) ==
	    0) {
		/* tmp now holds the old contents. */
		(void)unlinkat(root->fd, tmp, 0);
		goto sync;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		goto bad;
#endif
	if (fstatat(root->fd, l->rel, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    renameat(root->fd, tmp, root->fd, l->rel) == -1)
		goto bad;
#ifdef RENAME_EXCHANGE
sync:
#endif
	if (vf_fsync_dir(root, dir) == -1)
		return fail(root, dir);
	return 0;
bad:
	e = errno;
	if (e == ENOENT) {
		warnx("%s: gone (moved meanwhile?)", path);
		rc = EX_TEMPFAIL;
	} else
		rc = fail(root, l->rel);
	(void)unlinkat(root->fd, tmp, 0);
	errno = e;
	return rc;
}

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

	if (locate(root, path, &l) == -1) {
		warnx("%s: not a case file in %s", path, root->path);
		errno = EINVAL;
		return EX_NOINPUT;
	}
	return replace_at(root, path, &l, iov, niov);
}

/* rename(2) that never replaces: -1 with EEXIST when to exists. */
static int
rename_new(struct vf_root *root, const char *from, const char *to)
{
	struct stat st;

#ifdef RENAME_NOREPLACE
	if (renameat2(root->fd, from, root->fd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	if (fstatat(root->fd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(root->fd, from, root->fd, to);
}

/* fsync the folders of two locations ("STATE/SUB/NAME"), each once. */
static int
sync_dirs(struct vf_root *root, const char *a, const char *b)
{
	char da[64], db[64];
	const char *s;

	if ((s = strrchr(a, '/')) == NULL || (size_t)(s - a) >= sizeof(da))
		errx(EX_SOFTWARE, "sync_dirs: bad location");
	memcpy(da, a, (size_t)(s - a));
	da[s - a] = '\0';
	if ((s = strrchr(b, '/')) == NULL || (size_t)(s - b) >= sizeof(db))
		errx(EX_SOFTWARE, "sync_dirs: bad location");
	memcpy(db, b, (size_t)(s - b));
	db[s - b] = '\0';
	if (vf_fsync_dir(root, da) == -1)
		return fail(root, da);
	if (strcmp(da, db) != 0 && vf_fsync_dir(root, db) == -1)
		return fail(root, db);
	return 0;
}

/*
 * Where vf put the case and where it is now differ by more than a reader's
 * flags: a name of the reader's own, or another state.
 */
static int
moved_outside(const struct loc *l, const char *left)
{
	size_t n = strlen(vf_states[l->state]);

	if (!l->own)
		return 1;
	return left[0] != '\0' && (strncmp(left, vf_states[l->state], n) !=
	    0 || left[n] != '/');
}

/*
 * A clock that jumped back would write history dated before what the
 * case already says happened, and deadlines (vf-expire) would be counted
 * from the wrong day: refuse, as a temporary failure, until the clock is
 * right again. Five minutes of skew between machines are let be.
 */
#define CLOCK_SKEW	300

int
vf_case_clock_ok(const struct vf_case *c, const char *path)
{
	char when[32];
	time_t t, latest = 0, now = vf_now();
	size_t i, n;

	for (i = 0; i < c->nhist; i++) {
		n = strcspn(c->hist[i], " ");
		if (n == 0 || n >= sizeof(when))
			continue;
		memcpy(when, c->hist[i], n);
		when[n] = '\0';
		if (vf_time_parse(when, &t) == 0 && t > latest)
			latest = t;
	}
	if (latest > now + CLOCK_SKEW) {
		vf_timestamp(when, sizeof(when), latest);
		warnx("%s: the clock says it is before this case's last change "
		    "(%s): nothing written; set the clock right (or VF_NOW) and "
		    "run again", path, when);
		return EX_TEMPFAIL;
	}
	return 0;
}

int
vf_case_save(struct vf_root *root, char *path, size_t size,
    struct vf_case *c, const char *tool, int flags)
{
	struct loc l;
	struct stat st;
	struct vf_buf sb = { 0 };
	struct iovec *iov = NULL;
	char own[PATH_MAX], left[PATH_MAX], npath[PATH_MAX];
	const char *id, *info;
	size_t niov;
	int rc, e;

	/* Read by its head only: writing it would cut the case short. */
	if (c->arena != NULL) {
		warnx("%s: read by its head only (vf_case_loadhead): not "
		    "written", path);
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if (locate(root, path, &l) == -1) {
		warnx("%s: not a case file in %s", path, root->path);
		errno = EINVAL;
		return EX_NOINPUT;
	}
	if ((id = vf_case_get(c, "Vf-Id")) == NULL || strcmp(id, l.id) != 0) {
		warnx("%s: the file is case %s, not %s", path, l.id,
		    id != NULL ? id : "(none)");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	/* Its own name: the id, in cur/ with the reader's flags kept. */
	info = strstr(l.name, ":2,");
	if ((flags & VF_CASE_NEW) != 0 || strcmp(l.sub, "new") == 0)
		rc = snprintf(own, sizeof(own), "%s/new/%s",
		    vf_states[l.state], l.id);
	else
		rc = snprintf(own, sizeof(own), "%s/cur/%s%s",
		    vf_states[l.state], l.id, info != NULL ? info : "");
	if (rc < 0 || (size_t)rc >= sizeof(own) || snprintf(npath,
	    sizeof(npath), "%s/%s", root->path, own) >= (int)sizeof(npath) ||
	    strlen(npath) + 1 > size) {
		warnx("%s/%s: path too long", root->path, own);
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	if (strcmp(own, l.rel) != 0 && fstatat(root->fd, own, &st,
	    AT_SYMLINK_NOFOLLOW) == 0) {
		warnx("%s/%s and %s: two files of case %s; keep one, move the "
		    "other out of the tree", root->path, own, path, l.id);
		errno = EEXIST;
		return EX_DATAERR;
	}
	if ((rc = vf_case_clock_ok(c, path)) != 0) {
		errno = EAGAIN;
		return rc;
	}
	if (vf_index_where(root, l.id, left, sizeof(left)) == -1)
		left[0] = '\0';
	if (moved_outside(&l, left)) {
		if (left[0] != '\0' && strcmp(left, l.rel) != 0)
			vf_case_history(c, tool, "found as %s (vf had put it "
			    "as %s): moved or renamed outside vf; named %s "
			    "again", l.rel, left, own);
		else
			vf_case_history(c, tool, "found as %s: renamed "
			    "outside vf; named %s again", l.rel, own);
	}
	vf_case_iov(c, &sb, &iov, &niov);
	rc = replace_at(root, path, &l, iov, niov);
	free(iov);
	vf_buf_free(&sb);
	if (rc != 0)
		return rc;
	if (strcmp(own, l.rel) != 0) {
		if (rename_new(root, l.rel, own) == -1) {
			e = errno;
			if (e == EEXIST) {
				warnx("%s/%s and %s/%s: two files of case %s; "
				    "keep one, move the other out of the tree",
				    root->path, own, root->path, l.rel, l.id);
				rc = EX_DATAERR;
			} else
				rc = fail(root, own);
			vf_index_put(root, l.id, l.rel);
			errno = e;
			return rc;
		}
		memcpy(path, npath, strlen(npath) + 1);
		vf_index_put(root, l.id, own);
		return sync_dirs(root, own, l.rel);
	}
	vf_index_put(root, l.id, own);
	return 0;
}

int
vf_move(struct vf_root *root, char *path, size_t size, const char *state)
{
	struct loc l;
	char to[PATH_MAX], npath[PATH_MAX];
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
	if (snprintf(to, sizeof(to), "%s/%s/%s", state, l.sub, l.name) >=
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
	if (rename_new(root, l.rel, to) == -1) {
		e = errno;
		if (e == ENOENT) {
			warnx("%s: gone (moved meanwhile?)", path);
			rc = EX_TEMPFAIL;
		} else if (e == EEXIST) {
			warnx("%s/%s: exists already: the case is in two "
			    "states", root->path, to);
			rc = EX_SOFTWARE;
		} else
			rc = fail(root, to);
		errno = e;
		return rc;
	}
	/* The rename happened: path follows it even if an fsync fails. */
	memcpy(path, npath, strlen(npath) + 1);
	vf_index_put(root, l.id, to);
	return sync_dirs(root, to, l.rel);
}

/* $VF_LOCK_WAIT, in seconds (default 30). */
static long long
lock_wait_seconds(void)
{
	const char *s, *e;
	long long v;

	if ((s = getenv("VF_LOCK_WAIT")) != NULL && s[0] != '\0') {
		v = strtonum(s, 0, 3600, &e);
		if (e == NULL)
			return v;
	}
	return 30;
}

/*
 * Open ROOT/rel (made if missing) and wait up to $VF_LOCK_WAIT seconds for
 * an exclusive flock on it. On EX_TEMPFAIL the message says who holds it
 * (busy, a phrase) and errno is EWOULDBLOCK.
 */
static int
lock_rel(struct vf_root *root, const char *rel, const char *busy, int *fdp)
{
	struct timespec ts = { 0, 100000000L };
	long long tries;
	int fd, rc;

	*fdp = -1;
	fd = vf_openat(root->fd, rel, O_RDWR | O_CREAT, 0600);
	if (fd == -1)
		return fail(root, rel);
	for (tries = lock_wait_seconds() * 10;; tries--) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = fail(root, rel);
			(void)close(fd);
			return rc;
		}
		if (tries <= 0) {
			warnx("%s; try again later", busy);
			(void)close(fd);
			errno = EWOULDBLOCK;
			return EX_TEMPFAIL;
		}
		(void)nanosleep(&ts, NULL);
	}
	*fdp = fd;
	return 0;
}

/*
 * Wait up to $VF_LOCK_WAIT seconds (default 30) for the case's lock: long
 * enough for another tool to finish with the case, short enough that the
 * MTA's retry (EX_TEMPFAIL) takes over from a stuck holder.
 */
int
vf_lock(struct vf_root *root, const char *id, int *fdp)
{
	char rel[64], busy[96];
	int rc, made = 0;

	*fdp = -1;
	if (!vf_id_valid(id)) {
		warnx("vf_lock: bad case id");
		errno = EINVAL;
		return EX_SOFTWARE;
	}
	if ((rc = make_dir(root, ".lock", &made)) != 0)
		return rc;
	if (snprintf(rel, sizeof(rel), ".lock/%s", id) >= (int)sizeof(rel))
		errx(EX_SOFTWARE, "vf_lock: name too long");
	(void)snprintf(busy, sizeof(busy), "case %s is locked by another "
	    "process", id);
	return lock_rel(root, rel, busy, fdp);
}

/*
 * The outbox's lock, ROOT/outbox/.lock: the one bin/vf-send holds while it
 * hands mail to sendmail and moves it from new/ to cur/. Whoever deletes
 * from the outbox holds it too, or a mail moved between its look at new/
 * and its look at cur/ would be missed. No outbox: nothing to lock, *fd
 * is -1 and the result 0.
 */
int
vf_lock_outbox(struct vf_root *root, int *fdp)
{
	struct stat st;

	*fdp = -1;
	if (fstatat(root->fd, "outbox", &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return 0;
		return fail(root, "outbox");
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s/outbox: not a directory", root->path);
		return EX_DATAERR;
	}
	return lock_rel(root, "outbox/.lock", "the outbox is in use (vf-send "
	    "is sending it?)", fdp);
}

void
vf_unlock(int fd)
{
	if (fd >= 0)
		(void)close(fd);
}
