/*
 * Where each case is: the index a case is found through by its id,
 * whatever a mail reader called its file.
 *
 * A case is its Vf-Id, not its file name: mutt, mblaze's mrefile and
 * maildir flags rename case files ("1796163661.M000939P19045Q1.vm:2,S").
 * Finding such a file must not cost a scan of every folder for every mail,
 * so each case's ROOT/.lock/ID (its reservation and lock file, which
 * exists for every case) also holds where the case is, as text:
 *
 *	STATE/SUB/NAME		where vf last put it, or "-": never filed
 *	STATE/SUB/NAME		(optional) where it was last found, when
 *				that is elsewhere; "-": found nowhere;
 *				"!": found twice, look again
 *
 * An empty file is a number reserved and not yet filed, or a case filed
 * before the index existed. The index is a hint, never trusted: an entry
 * is verified on use (the file is there, a regular file, and it is that
 * case: by its name, or by the Vf-Id of its head), and only when it fails
 * is the tree scanned once, which brings every entry up to date. The
 * entries are not fsynced: a lost one costs that scan and nothing else.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vf.h"

#define ENTRY_MAX	(2 * (64 + 4 + NAME_MAX + 2))
#define HEAD_MAX	8192	/* bytes of a case file read for its Vf-Id */

static const char *const subs[] = { "new", "cur" };

struct entry {
	char	put[ENTRY_MAX];		/* line 1, "" when none */
	char	seen[ENTRY_MAX];	/* line 2, "" when none */
};

int
vf_name_id(const char *name, char *id, size_t size)
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

ssize_t
vf_read_head(int fd, char *buf, size_t off, size_t max)
{
	ssize_t n;

	/*
	 * A short read is the end of a regular file (only a signal could
	 * cut one short, and EINTR is retried): no second pread to hear it
	 * say 0, which for a whole-tree tool was a syscall more a case.
	 */
	while (off < max) {
		n = pread(fd, buf + off, max - off, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		off += (size_t)n;
		if (n == 0 || off < max)
			break;
	}
	buf[off] = '\0';
	return (ssize_t)off;
}

int
vf_head_id(int fd, char *id, size_t size)
{
	char buf[HEAD_MAX + 1];
	const char *p, *e, *nl, *v;
	ssize_t len;
	size_t k;

	if ((len = vf_read_head(fd, buf, 0, HEAD_MAX)) == -1)
		return 0;
	/* The top header block, up to its empty line: "Vf-Id: ID". */
	for (p = buf, e = buf + len; p < e && *p != '\n'; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			return 0;
		if (strncasecmp(p, "Vf-Id:", 6) != 0)
			continue;
		for (v = p + 6; v < nl && (*v == ' ' || *v == '\t'); v++)
			;
		for (k = (size_t)(nl - v); k > 0 && (v[k - 1] == ' ' ||
		    v[k - 1] == '\t'); k--)
			;
		if (k + 1 > size)
			return 0;
		memcpy(id, v, k);
		id[k] = '\0';
		return vf_id_valid(id);
	}
	return 0;
}

/* "STATE/SUB/NAME" with a state, new or cur, and a plain name. */
static int
rel_valid(const char *rel)
{
	const char *a, *b;
	char state[64];

	if ((a = strchr(rel, '/')) == NULL || (size_t)(a - rel) >=
	    sizeof(state))
		return 0;
	memcpy(state, rel, (size_t)(a - rel));
	state[a - rel] = '\0';
	if (!vf_state_valid(state))
		return 0;
	if ((b = strchr(a + 1, '/')) == NULL || b - a != 4 ||
	    (strncmp(a + 1, "new", 3) != 0 && strncmp(a + 1, "cur", 3) != 0))
		return 0;
	return b[1] != '\0' && b[1] != '.' && strchr(b + 1, '/') == NULL &&
	    strlen(b + 1) <= NAME_MAX;
}

/* Is the file at rel (a location) case id? */
static int
verify(const struct vf_root *root, const char *rel, const char *id)
{
	struct stat st;
	char got[VF_IDLEN];
	int fd, ok;

	if (!rel_valid(rel) || fstatat(root->fd, rel, &st,
	    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if (vf_name_id(strrchr(rel, '/') + 1, got, sizeof(got)))
		return strcmp(got, id) == 0;
	if ((fd = vf_openat(root->fd, rel, O_RDONLY | O_NONBLOCK, 0)) == -1)
		return 0;
	ok = vf_head_id(fd, got, sizeof(got)) && strcmp(got, id) == 0;
	(void)close(fd);
	return ok;
}

static void
entry_parse(struct entry *en, char *buf, size_t n)
{
	char *nl;

	en->put[0] = en->seen[0] = '\0';
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) == NULL)
		return;
	*nl = '\0';
	if (strlcpy(en->put, buf, sizeof(en->put)) >= sizeof(en->put))
		en->put[0] = '\0';
	buf = nl + 1;
	if ((nl = strchr(buf, '\n')) == NULL)
		return;
	*nl = '\0';
	if (strlcpy(en->seen, buf, sizeof(en->seen)) >= sizeof(en->seen))
		en->seen[0] = '\0';
}

static int
entry_read(int fd, struct entry *en)
{
	char buf[2 * ENTRY_MAX + 1];
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf) - 1, 0)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return -1;
	entry_parse(en, buf, (size_t)n);
	return 0;
}

/* Not fsynced, and a failure is no error: the index is a hint. */
static void
entry_write(int fd, const struct entry *en)
{
	char buf[2 * ENTRY_MAX + 4];
	int n;

	if (en->seen[0] != '\0' && strcmp(en->seen, en->put) != 0)
		n = snprintf(buf, sizeof(buf), "%s\n%s\n", en->put[0] != '\0' ?
		    en->put : "-", en->seen);
	else
		n = snprintf(buf, sizeof(buf), "%s\n", en->put[0] != '\0' ?
		    en->put : "-");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	if (pwrite(fd, buf, (size_t)n, 0) == n)
		(void)ftruncate(fd, n);
}

static int
entry_open(const struct vf_root *root, const char *id, int flags)
{
	char rel[64];

	if (snprintf(rel, sizeof(rel), ".lock/%s", id) >= (int)sizeof(rel))
		return -1;
	return vf_openat(root->fd, rel, flags, 0600);
}

int
vf_index_where(struct vf_root *root, const char *id, char *rel, size_t size)
{
	struct entry en;
	int fd;

	if (size > 0)
		rel[0] = '\0';
	if (!vf_id_valid(id) || (fd = entry_open(root, id, O_RDONLY)) == -1)
		return -1;
	if (entry_read(fd, &en) == -1) {
		(void)close(fd);
		return -1;
	}
	(void)close(fd);
	if (en.put[0] == '\0' || strcmp(en.put, "-") == 0)
		return -1;
	if (strlcpy(rel, en.put, size) >= size) {
		rel[0] = '\0';
		return -1;
	}
	return 0;
}

void
vf_index_put(struct vf_root *root, const char *id, const char *rel)
{
	struct entry en;
	int fd;

	if (!vf_id_valid(id) || !rel_valid(rel))
		return;
	/* A case delivered without a reservation (vf_deliver alone). */
	if ((fd = entry_open(root, id, O_RDWR | O_CREAT)) == -1 &&
	    errno == ENOENT && mkdirat(root->fd, ".lock", 0700) == 0)
		fd = entry_open(root, id, O_RDWR | O_CREAT);
	if (fd == -1)
		return;
	if (strlcpy(en.put, rel, sizeof(en.put)) < sizeof(en.put)) {
		en.seen[0] = '\0';
		entry_write(fd, &en);
	}
	(void)close(fd);
}

/*
 * Record where the case was found, unless a tool holds its lock (it is
 * changing the case and will say where it put it). A file found where the
 * entry names another one that is still there and is the same case is a
 * second file of one case: said, naming both, and 1 returned.
 */
static int
found_at(struct vf_root *root, const char *id, const char *rel, char *other,
    size_t osize)
{
	struct entry en;
	const char *cur;
	int fd, dup = 0;

	if ((fd = entry_open(root, id, O_RDWR | O_CREAT)) == -1)
		return 0;
	/*
	 * Under the lock, the file must still be where it was found: a tool
	 * may have moved the case (and said where) between the reader's look
	 * and this lock, and the look is then no news, nor a second file.
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) == -1 || entry_read(fd, &en) == -1 ||
	    !verify(root, rel, id)) {
		(void)close(fd);
		return 0;
	}
	cur = en.seen[0] != '\0' ? en.seen : en.put;
	/* Two files were seen: only a look-up of this case clears that. */
	if (strcmp(cur, rel) == 0 || strcmp(cur, "!") == 0) {
		(void)close(fd);
		return 0;
	}
	if (rel_valid(cur) && verify(root, cur, id)) {
		(void)strlcpy(other, cur, osize);
		(void)strlcpy(en.seen, "!", sizeof(en.seen));
		entry_write(fd, &en);
		dup = 1;
	} else if (en.put[0] == '\0' || strcmp(en.put, "-") == 0 ||
	    strcmp(en.put, rel) == 0) {
		(void)strlcpy(en.put, rel, sizeof(en.put));
		en.seen[0] = '\0';
		entry_write(fd, &en);
	} else {
		(void)strlcpy(en.seen, rel, sizeof(en.seen));
		entry_write(fd, &en);
	}
	(void)close(fd);
	return dup;
}

/* What a scan found of the case looked for: its one file, or "!". */
static void
found_want(struct vf_root *root, const char *id, const char *rel)
{
	struct entry en;
	int fd;

	if ((fd = entry_open(root, id, O_RDWR)) == -1)
		return;
	/* As in found_at: what the scan saw may have moved since. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && entry_read(fd, &en) == 0 &&
	    (strcmp(rel, "!") == 0 || verify(root, rel, id))) {
		if (strcmp(en.put, rel) == 0)
			en.seen[0] = '\0';
		else if (en.put[0] == '\0' || strcmp(en.put, "-") == 0)
			(void)strlcpy(en.put, rel, sizeof(en.put));
		else
			(void)strlcpy(en.seen, rel, sizeof(en.seen));
		entry_write(fd, &en);
	}
	(void)close(fd);
}

/* Found nowhere: so the next look-up of this id costs no scan. */
static void
found_nowhere(struct vf_root *root, const char *id)
{
	struct entry en;
	int fd;

	if ((fd = entry_open(root, id, O_RDWR)) == -1)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && entry_read(fd, &en) == 0 &&
	    !(rel_valid(en.seen) && verify(root, en.seen, id)) &&
	    !(rel_valid(en.put) && verify(root, en.put, id))) {
		if (en.put[0] == '\0')
			(void)strlcpy(en.put, "-", sizeof(en.put));
		else
			(void)strlcpy(en.seen, "-", sizeof(en.seen));
		entry_write(fd, &en);
	}
	(void)close(fd);
}

static int
fill(const struct vf_root *root, const char *rel, char *path, size_t size,
    const char **statep)
{
	char state[64];
	size_t n = strcspn(rel, "/");

	if (snprintf(path, size, "%s/%s", root->path, rel) >= (int)size) {
		warnx("%s/%s: path too long", root->path, rel);
		path[0] = '\0';
		errno = ENAMETOOLONG;
		return EX_SOFTWARE;
	}
	if (statep != NULL) {
		memcpy(state, rel, n);
		state[n] = '\0';
		*statep = vf_states[vf_state_index(state)];
	}
	return 0;
}

/*
 * One pass over every state's new/ and cur/: each case file found
 * updates its entry; the one asked for is returned in want_rel. Two
 * files of the wanted case are EX_DATAERR; of another, a warning.
 */
static int
rebuild(struct vf_root *root, const char *want, char *want_rel, size_t size)
{
	char dir[80], rel[PATH_MAX], id[VF_IDLEN], other[ENTRY_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	size_t i, k;
	int dfd, fd, rc = EX_NOINPUT, ok;

	want_rel[0] = '\0';
	for (i = 0; vf_states[i] != NULL; i++)
		for (k = 0; k < 2; k++) {
			if (snprintf(dir, sizeof(dir), "%s/%s", vf_states[i],
			    subs[k]) >= (int)sizeof(dir))
				continue;
			if ((dfd = vf_openat(root->fd, dir, O_RDONLY |
			    O_DIRECTORY, 0)) == -1)
				continue;
			if ((d = fdopendir(dfd)) == NULL) {
				(void)close(dfd);
				continue;
			}
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.' ||
				    de->d_type == DT_DIR)
					continue;
				if (!vf_name_id(de->d_name, id, sizeof(id))) {
					fd = vf_openat(dfd, de->d_name,
					    O_RDONLY | O_NONBLOCK, 0);
					if (fd == -1)
						continue;
					ok = fstat(fd, &st) == 0 &&
					    S_ISREG(st.st_mode) &&
					    vf_head_id(fd, id, sizeof(id));
					(void)close(fd);
					if (!ok)
						continue;
				}
				if (snprintf(rel, sizeof(rel), "%s/%s", dir,
				    de->d_name) >= (int)sizeof(rel))
					continue;
				if (found_at(root, id, rel, other,
				    sizeof(other))) {
					warnx("%s/%s and %s/%s: two files of "
					    "case %s; keep one, move the other "
					    "out of the tree", root->path,
					    other, root->path, rel, id);
					if (strcmp(id, want) == 0)
						rc = EX_DATAERR;
				}
				if (strcmp(id, want) != 0)
					continue;
				if (want_rel[0] != '\0' &&
				    strcmp(want_rel, rel) != 0) {
					if (rc != EX_DATAERR)
						warnx("%s/%s and %s/%s: two "
						    "files of case %s; keep "
						    "one, move the other out "
						    "of the tree", root->path,
						    want_rel, root->path, rel,
						    id);
					rc = EX_DATAERR;
				} else if (strlcpy(want_rel, rel, size) <
				    size && rc == EX_NOINPUT)
					rc = 0;
			}
			(void)closedir(d);
		}
	if (rc == EX_NOINPUT)
		found_nowhere(root, want);
	else
		found_want(root, want, rc == 0 ? want_rel : "!");
	return rc;
}

/*
 * The case is where vf put it, not where it was last seen: forget that,
 * but only under the entry's lock and if the entry is still what was
 * read. Written without them, the old "put" would overwrite where a tool
 * that moved the case meanwhile had just said it put it (the soak found
 * cases the index named in a state they had left).
 */
static void
seen_clear(struct vf_root *root, const char *id, const struct entry *was)
{
	struct entry en;
	int fd;

	if ((fd = entry_open(root, id, O_RDWR)) == -1)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && entry_read(fd, &en) == 0 &&
	    strcmp(en.put, was->put) == 0 && strcmp(en.seen, was->seen) == 0) {
		en.seen[0] = '\0';
		entry_write(fd, &en);
	}
	(void)close(fd);
}

/*
 * The entry first (where the case was last found, then where vf put
 * it), then STATE/new/ID in every state (a case moved by hand), and only
 * then a scan of the tree, which every later look-up is spared.
 */
int
vf_find(struct vf_root *root, const char *id, char *path, size_t size,
    const char **statep)
{
	struct entry en;
	struct stat st;
	char rel[ENTRY_MAX], other[ENTRY_MAX];
	size_t i;
	int fd, rc;

	if (size > 0)
		path[0] = '\0';
	if (!vf_id_valid(id)) {
		errno = EINVAL;
		return EX_NOINPUT;
	}
	/* No reservation, no case: nothing to scan for. */
	if ((fd = entry_open(root, id, O_RDONLY)) == -1)
		return EX_NOINPUT;
	rc = entry_read(fd, &en);
	(void)close(fd);
	if (rc == -1)
		en.put[0] = en.seen[0] = '\0';
	/* Two files of the case were seen: until one goes, say so. */
	if (strcmp(en.seen, "!") == 0)
		goto scan;
	if (en.seen[0] != '\0' && verify(root, en.seen, id))
		return fill(root, en.seen, path, size, statep);
	if (en.put[0] != '\0' && verify(root, en.put, id)) {
		if (en.seen[0] != '\0')
			seen_clear(root, id, &en);
		return fill(root, en.put, path, size, statep);
	}
	for (i = 0; vf_states[i] != NULL; i++) {
		if (snprintf(rel, sizeof(rel), "%s/new/%s", vf_states[i],
		    id) >= (int)sizeof(rel))
			continue;
		if (fstatat(root->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode)) {
			(void)found_at(root, id, rel, other, sizeof(other));
			return fill(root, rel, path, size, statep);
		}
	}
	if (strcmp(en.seen, "-") == 0 || (strcmp(en.put, "-") == 0 &&
	    en.seen[0] == '\0'))
		return EX_NOINPUT;
scan:
	if ((rc = rebuild(root, id, rel, sizeof(rel))) != 0)
		return rc;
	return fill(root, rel, path, size, statep);
}
