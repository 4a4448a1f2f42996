/*
 * The case tree: roots, delivery, finding and moving cases, locks, ids and
 * the log, each on a throwaway root under $TMPDIR.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

/* snprintf that must not truncate */
#define fmt(b, ...)							\
	ck_assert_int_lt(snprintf(b, sizeof(b), __VA_ARGS__), (int)sizeof(b))

static char tdir[PATH_MAX];	/* this test's scratch directory */
static char troot[PATH_MAX];	/* the root in it */

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	(void)chmod(p, 0700);
	return remove(p);
}

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	fmt(tdir, "%s/vf-tree.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	fmt(troot, "%s/root", tdir);
	unsetenv("VF_ROOT");
	unsetenv("VF_LOCK_WAIT");
}

static void
teardown(void)
{
	(void)nftw(tdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
open_root(struct vf_root *r)
{
	ck_assert_int_eq(vf_root_open(r, troot, 1), 0);
}

static char *
slurp(const char *path, size_t *len)
{
	struct vf_buf b = { 0 };
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	ck_assert_int_eq(vf_buf_readfd(&b, fd, 1 << 24), 0);
	close(fd);
	return vf_buf_take(&b, len);
}

static void
spit(const char *path, const char *s, mode_t mode)
{
	int fd;

	ck_assert_int_ne(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode),
	    -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Entries in a directory, "." and ".." not counted. */
static int
count(const char *dir)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
cur_year(void)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

static void
sub(char *buf, size_t size, const char *rel)
{
	ck_assert_int_lt(snprintf(buf, size, "%s/%s", troot, rel), (int)size);
}


START_TEST(root_open_modes)
{
	struct vf_root r;
	struct stat st;
	char p[PATH_MAX];

	/* Missing, not to be created. */
	ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOINPUT);
	ck_assert_int_eq(r.fd, -1);
	/* Created 0700 whatever the umask. */
	umask(0);
	ck_assert_int_eq(vf_root_open(&r, troot, 1), 0);
	umask(077);
	ck_assert_int_eq(stat(troot, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	ck_assert_str_eq(r.path, troot);
	vf_root_close(&r);
	ck_assert_int_eq(r.fd, -1);
	ck_assert_ptr_null(r.path);

	/* Trailing slashes go. */
	fmt(p, "%s//", troot);
	ck_assert_int_eq(vf_root_open(&r, p, 0), 0);
	ck_assert_str_eq(r.path, troot);
	vf_root_close(&r);

	/* Group- or other-writable: refused. */
	ck_assert_int_eq(chmod(troot, 0770), 0);
	errno = 0;
	ck_assert_int_eq(vf_root_open(&r, troot, 1), EX_NOPERM);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(r.fd, -1);
	ck_assert_int_eq(chmod(troot, 0702), 0);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOPERM);
	/* Readable by group or others: refused (cases hold details). */
	ck_assert_int_eq(chmod(troot, 0755), 0);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOPERM);
	ck_assert_int_eq(chmod(troot, 0740), 0);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOPERM);
	ck_assert_int_eq(chmod(troot, 0704), 0);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOPERM);
	/* Searchable only: nothing in it can be listed or read. */
	ck_assert_int_eq(chmod(troot, 0711), 0);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), 0);
	vf_root_close(&r);
	ck_assert_int_eq(chmod(troot, 0700), 0);
	/* A symbolic link to the root: refused, trailing slash or not. */
	fmt(p, "%s.link", troot);
	ck_assert_int_eq(symlink(troot, p), 0);
	errno = 0;
	ck_assert_int_eq(vf_root_open(&r, p, 0), EX_NOPERM);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_int_eq(r.fd, -1);
	fmt(p, "%s.link/", troot);
	ck_assert_int_eq(vf_root_open(&r, p, 1), EX_NOPERM);
	fmt(p, "%s.link", troot);
	ck_assert_int_eq(unlink(p), 0);

	/* Not a directory. */
	fmt(p, "%s/file", tdir);
	spit(p, "x", 0600);
	ck_assert_int_eq(vf_root_open(&r, p, 0), EX_NOPERM);
	ck_assert_int_eq(vf_root_open(&r, p, 1), EX_NOPERM);

	/* Owned by someone else (only root can arrange that). */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(troot, 1, 1), 0);
		ck_assert_int_eq(vf_root_open(&r, troot, 0), EX_NOPERM);
		ck_assert_int_eq(chown(troot, 0, 0), 0);
	}
}
END_TEST

START_TEST(root_env)
{
	struct vf_root r;

	ck_assert_int_eq(vf_root_open(&r, NULL, 0), EX_USAGE);
	ck_assert_int_eq(vf_root_open(&r, "", 0), EX_USAGE);
	setenv("VF_ROOT", troot, 1);
	ck_assert_int_eq(vf_root_open(&r, NULL, 1), 0);
	ck_assert_str_eq(r.path, troot);
	vf_root_close(&r);
	/* -d wins over $VF_ROOT. */
	setenv("VF_ROOT", "/nonexistent/vf", 1);
	ck_assert_int_eq(vf_root_open(&r, troot, 0), 0);
	vf_root_close(&r);
}
END_TEST

/*
 * vf_path_state keeps its last yes (same_dir in tree.c): it must still
 * say no for a path of another root that got the same descriptor, for a
 * path spelt alike in another state, and yes again once the first root is
 * back.
 */
START_TEST(path_state_memo)
{
	struct vf_root r;
	char a[PATH_MAX], b[PATH_MAX], rb[PATH_MAX], id[VF_IDLEN];
	int fd;

	open_root(&r);
	ck_assert_int_eq(vf_state_make(&r, "received"), 0);
	ck_assert_int_eq(vf_state_make(&r, "accepted"), 0);
	fmt(a, "%s/received/new/2026-00001", troot);
	ck_assert_str_eq(vf_path_state(&r, a, id, sizeof(id)), "received");
	ck_assert_str_eq(id, "2026-00001");
	ck_assert_str_eq(vf_path_state(&r, a, NULL, 0), "received");
	fmt(b, "%s/accepted/new/2026-00001", troot);
	ck_assert_str_eq(vf_path_state(&r, b, NULL, 0), "accepted");
	fd = r.fd;
	vf_root_close(&r);

	fmt(rb, "%s/other", tdir);
	ck_assert_int_eq(vf_root_open(&r, rb, 1), 0);
	ck_assert_int_eq(r.fd, fd);	/* the case the memo must tell apart */
	ck_assert_int_eq(vf_state_make(&r, "received"), 0);
	ck_assert_ptr_null(vf_path_state(&r, b, NULL, 0));
	ck_assert_ptr_null(vf_path_state(&r, a, NULL, 0));
	fmt(b, "%s/received/new/2026-00001", rb);
	ck_assert_str_eq(vf_path_state(&r, b, NULL, 0), "received");
	ck_assert_ptr_null(vf_path_state(&r, a, NULL, 0));
	vf_root_close(&r);

	open_root(&r);
	ck_assert_str_eq(vf_path_state(&r, a, NULL, 0), "received");
	ck_assert_ptr_null(vf_path_state(&r, b, NULL, 0));
	vf_root_close(&r);
}
END_TEST

START_TEST(state_make)
{
	struct vf_root r;
	struct stat st;
	char p[PATH_MAX];
	const char *s[] = { "tmp", "new", "cur" };
	size_t i;

	open_root(&r);
	umask(0);
	ck_assert_int_eq(vf_state_make(&r, "received"), 0);
	ck_assert_int_eq(vf_state_make(&r, "received"), 0);
	ck_assert_int_eq(vf_state_make(&r, "outbox"), 0);
	umask(077);
	for (i = 0; i < 3; i++) {
		fmt(p, "%s/received/%s", troot, s[i]);
		ck_assert_int_eq(stat(p, &st), 0);
		ck_assert(S_ISDIR(st.st_mode));
		ck_assert_int_eq(st.st_mode & 07777, 0700);
		fmt(p, "%s/outbox/%s", troot, s[i]);
		ck_assert_int_eq(stat(p, &st), 0);
	}
	ck_assert_int_eq(vf_state_make(&r, "bogus"), EX_SOFTWARE);
	ck_assert_int_eq(vf_state_make(&r, "../x"), EX_SOFTWARE);
	ck_assert_int_eq(vf_state_make(&r, ".lock"), EX_SOFTWARE);
	/* A file where a folder belongs. */
	sub(p, sizeof(p), "closed");
	spit(p, "", 0600);
	ck_assert_int_eq(vf_state_make(&r, "closed"), EX_IOERR);
	vf_root_close(&r);
}
END_TEST

START_TEST(deliver_basic)
{
	struct vf_root r;
	struct stat st;
	char path[PATH_MAX], want[PATH_MAX], dir[PATH_MAX], *got;
	size_t len;

	open_root(&r);
	umask(0);
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00001",
	    "hello\n", 6, path, sizeof(path)), 0);
	umask(077);
	fmt(want, "%s/received/new/2026-00001", troot);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(st.st_nlink, 1);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 6);
	ck_assert_mem_eq(got, "hello\n", 6);
	free(got);
	sub(dir, sizeof(dir), "received/tmp");
	ck_assert_int_eq(count(dir), 0);

	/* The name is taken: EX_TEMPFAIL, the first file untouched. */
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00001", "other",
	    5, path, sizeof(path)), EX_TEMPFAIL);
	ck_assert_str_eq(path, "");
	got = slurp(want, &len);
	ck_assert_mem_eq(got, "hello\n", 6);
	free(got);
	ck_assert_int_eq(count(dir), 0);

	/* Empty and binary contents are kept as they are. */
	ck_assert_int_eq(vf_deliver(&r, "outbox", "m1", "", 0, path,
	    sizeof(path)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(vf_deliver(&r, "outbox", "m2", "a\0b", 3, path,
	    sizeof(path)), 0);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(got, "a\0b", 3);
	free(got);
	vf_root_close(&r);
}
END_TEST

START_TEST(deliver_pieces)
{
	struct vf_root r;
	struct iovec iov[300];
	struct vf_buf want = { 0 }, bytes = { 0 };
	char path[PATH_MAX], *got;
	size_t i, k, len, off[300];

	/*
	 * More pieces than one writev takes, empty ones among them, sizes
	 * from none to 70 KB: the file is them joined.
	 */
	for (i = 0; i < 300; i++) {
		off[i] = bytes.len;
		len = i % 7 == 0 ? 0 : i % 50 == 1 ? 70000 : i % 13;
		for (k = 0; k < len; k++)
			vf_buf_addc(&bytes, (int)('a' + (i + k) % 26));
	}
	for (i = 0; i < 300; i++) {
		iov[i].iov_base = bytes.p + off[i];
		iov[i].iov_len = (i + 1 < 300 ? off[i + 1] : bytes.len) -
		    off[i];
		vf_buf_add(&want, iov[i].iov_base, iov[i].iov_len);
	}
	open_root(&r);
	ck_assert_int_eq(vf_deliverv(&r, "received", "2026-00009", iov, 300,
	    path, sizeof(path)), 0);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, want.len);
	ck_assert_mem_eq(got, want.p, want.len);
	free(got);
	/* Replaced the same way, and with nothing at all. */
	ck_assert_int_eq(vf_replacev(&r, path, iov + 1, 150), 0);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, off[151] - off[1]);
	ck_assert_mem_eq(got, bytes.p + off[1], len);
	free(got);
	ck_assert_int_eq(vf_replacev(&r, path, iov, 1), 0);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 0);
	free(got);
	ck_assert_int_eq(vf_deliverv(&r, "received", "2026-00010", iov, 0,
	    path, sizeof(path)), 0);
	vf_root_close(&r);
	vf_buf_free(&want);
	vf_buf_free(&bytes);
}
END_TEST

START_TEST(deliver_bad_names)
{
	struct vf_root r;
	char path[PATH_MAX], small[8];
	const char *bad[] = { "", ".", "..", ".hidden", "a/b", "../x",
	    "x:2,S", "a\nb" };
	size_t i;

	open_root(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(vf_deliver(&r, "received", bad[i], "x", 1,
		    path, sizeof(path)), EX_SOFTWARE);
	ck_assert_int_eq(vf_deliver(&r, "nostate", "2026-00001", "x", 1, path,
	    sizeof(path)), EX_SOFTWARE);
	/* Too small a path buffer: refused before anything is written. */
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00001", "x", 1,
	    small, sizeof(small)), EX_SOFTWARE);
	ck_assert_str_eq(small, "");
	sub(path, sizeof(path), "received/new");
	ck_assert_int_le(count(path), 0);
	vf_root_close(&r);
}
END_TEST

/* In a child: the file size limit makes every write past it fail. */
static int
deliver_limited(const char *state, size_t n, int replace, const char *path)
{
	struct vf_root r;
	struct rlimit rl = { 4096, 4096 };
	char p[PATH_MAX], *big;
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(99);
		if (vf_root_open(&r, troot, 0) != 0)
			_exit(98);
		big = malloc(n);
		memset(big, 'x', n);
		if (replace)
			_exit(vf_replace(&r, path, big, n));
		_exit(vf_deliver(&r, state, "2026-00007", big, n, p,
		    sizeof(p)));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(deliver_full_disk)
{
	struct vf_root r;
	char dir[PATH_MAX], path[PATH_MAX], *got;
	size_t len;

	open_root(&r);
	ck_assert_int_eq(vf_state_make(&r, "received"), 0);
	ck_assert_int_eq(deliver_limited("received", 100000, 0, NULL),
	    EX_TEMPFAIL);
	sub(dir, sizeof(dir), "received/tmp");
	ck_assert_int_eq(count(dir), 0);
	sub(dir, sizeof(dir), "received/new");
	ck_assert_int_eq(count(dir), 0);
	/* Within the limit it works. */
	ck_assert_int_eq(deliver_limited("received", 4000, 0, NULL), 0);
	ck_assert_int_eq(count(dir), 1);

	/* A replace that does not fit leaves the old contents. */
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00008", "old", 3,
	    path, sizeof(path)), 0);
	ck_assert_int_eq(deliver_limited(NULL, 100000, 1, path), EX_TEMPFAIL);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(got, "old", 3);
	free(got);
	sub(dir, sizeof(dir), "received/tmp");
	ck_assert_int_eq(count(dir), 0);
	vf_root_close(&r);
}
END_TEST

/* EACCES needs an unprivileged user: as root, be nobody in a child. */
static int
no_permission(const char *rootdir)
{
	struct vf_root r;
	char dir[PATH_MAX], path[PATH_MAX];
	int rc;

	if (vf_root_open(&r, rootdir, 1) != 0 ||
	    vf_state_make(&r, "received") != 0)
		return 1;
	if (snprintf(dir, sizeof(dir), "%s/received/new", rootdir) >=
	    (int)sizeof(dir) || chmod(dir, 0500) == -1)
		return 2;
	rc = vf_deliver(&r, "received", "2026-00001", "x", 1, path,
	    sizeof(path));
	if (rc != EX_NOPERM)
		return 3;
	if (snprintf(dir, sizeof(dir), "%s/received/tmp", rootdir) >=
	    (int)sizeof(dir) || count(dir) != 0)
		return 4;
	vf_root_close(&r);
	return 0;
}

START_TEST(deliver_no_permission)
{
	char dir[PATH_MAX];
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		ck_assert_int_eq(no_permission(troot), 0);
		return;
	}
	fmt(dir, "%s/nobody", tdir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	ck_assert_int_eq(chmod(tdir, 0711), 0);
	fmt(dir, "%s/nobody/root", tdir);
	if ((pid = fork()) == 0) {
		if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(10);
		_exit(no_permission(dir));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* A whole case file of id, as vf_case_write makes it. */
static void
case_bytes(struct vf_buf *out, const char *id)
{
	struct vf_case c;

	vf_case_init(&c, id, "renamed", 1796000000);
	out->len = 0;
	vf_case_write(&c, out);
	vf_case_free(&c);
}

static void
entry(const char *id, char *buf, size_t size)
{
	char p[PATH_MAX];
	ssize_t n;
	int fd;

	fmt(p, "%s/.lock/%s", troot, id);
	ck_assert_int_ne(fd = open(p, O_RDONLY), -1);
	ck_assert_int_ge(n = read(fd, buf, size - 1), 0);
	buf[n] = '\0';
	close(fd);
}

START_TEST(find_renamed)
{
	struct vf_root r;
	struct vf_buf b = { 0 };
	struct vf_case c;
	char id[VF_IDLEN], path[PATH_MAX], odd[PATH_MAX], p2[PATH_MAX];
	char e[1024], err[256], *t;
	const char *state;
	size_t n;

	open_root(&r);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	case_bytes(&b, id);
	ck_assert_int_eq(vf_deliver(&r, "received", id, b.p, b.len, path,
	    sizeof(path)), 0);
	/* The index says where vf put it. */
	entry(id, e, sizeof(e));
	fmt(p2, "received/new/%s\n", id);
	ck_assert_str_eq(e, p2);

	/* mutt's save: a name of its own, in another state's cur/. */
	ck_assert_int_eq(vf_state_make(&r, "accepted"), 0);
	fmt(odd, "%s/accepted/cur/1796163661.M000939P19045Q1.vm:2,S", troot);
	ck_assert_int_eq(rename(path, odd), 0);
	ck_assert_int_eq(vf_find(&r, id, p2, sizeof(p2), &state), 0);
	ck_assert_str_eq(p2, odd);
	ck_assert_str_eq(state, "accepted");
	/* Found once: the entry remembers both places. */
	entry(id, e, sizeof(e));
	fmt(p2, "received/new/%s\naccepted/cur/1796163661.M000939P19045Q1.vm:2,S\n", id);
	ck_assert_str_eq(e, p2);
	ck_assert_str_eq(vf_path_state(&r, odd, p2, sizeof(p2)), "accepted");
	ck_assert_str_eq(p2, id);

	/* The next change gives it back its name, and says so. */
	ck_assert_int_eq(vf_case_load(&c, odd, err, sizeof(err)), 0);
	fmt(p2, "%s", odd);
	ck_assert_int_eq(vf_case_save(&r, p2, sizeof(p2), &c, "test", 0), 0);
	fmt(path, "%s/accepted/cur/%s:2,S", troot, id);
	ck_assert_str_eq(p2, path);
	ck_assert_int_eq(access(odd, F_OK), -1);
	ck_assert_int_eq(c.nhist, 1);
	ck_assert_ptr_nonnull(strstr(c.hist[0], "moved or renamed outside "
	    "vf"));
	ck_assert_ptr_nonnull(strstr(c.hist[0], "received/new/"));
	vf_case_free(&c);
	t = slurp(path, &n);
	ck_assert_ptr_nonnull(strstr(t, "found as accepted/cur/1796163661."));
	free(t);
	entry(id, e, sizeof(e));
	fmt(p2, "accepted/cur/%s:2,S\n", id);
	ck_assert_str_eq(e, p2);

	/* A change of its own name's flags is no news; new again on ask. */
	ck_assert_int_eq(vf_case_load(&c, path, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_case_save(&r, path, sizeof(path), &c, "test",
	    VF_CASE_NEW), 0);
	ck_assert_uint_eq(c.nhist, 1);
	vf_case_free(&c);
	fmt(p2, "%s/accepted/new/%s", troot, id);
	ck_assert_str_eq(path, p2);

	/*
	 * A copy beside it: found through the entry while that holds; once
	 * it is stale, the scan sees two files of one case, an error.
	 */
	fmt(odd, "%s/accepted/cur/copy:2,S", troot);
	t = slurp(path, &n);
	ck_assert_int_eq(vf_write_all(open(odd, O_WRONLY | O_CREAT, 0600), t,
	    n), 0);
	free(t);
	ck_assert_int_eq(vf_find(&r, id, p2, sizeof(p2), &state), 0);
	ck_assert_str_eq(p2, path);
	fmt(p2, "%s/accepted/cur/x:2,S", troot);
	ck_assert_int_eq(rename(path, p2), 0);
	ck_assert_int_eq(vf_find(&r, id, path, sizeof(path), &state),
	    EX_DATAERR);
	ck_assert_int_eq(unlink(odd), 0);
	ck_assert_int_eq(vf_find(&r, id, path, sizeof(path), &state), 0);
	ck_assert_str_eq(path, p2);
	/* Gone: not found, and remembered so that no scan is made again. */
	ck_assert_int_eq(unlink(p2), 0);
	ck_assert_int_eq(vf_find(&r, id, p2, sizeof(p2), &state), EX_NOINPUT);
	entry(id, e, sizeof(e));
	fmt(p2, "accepted/new/%s\n-\n", id);
	ck_assert_str_eq(e, p2);
	ck_assert_int_eq(vf_find(&r, id, p2, sizeof(p2), &state), EX_NOINPUT);
	vf_buf_free(&b);
	vf_root_close(&r);
}
END_TEST

START_TEST(find_two_files)
{
	struct vf_root r;
	struct vf_buf b = { 0 };
	struct vf_case c;
	char id[VF_IDLEN], path[PATH_MAX], odd[PATH_MAX], p2[PATH_MAX];
	char err[256];
	const char *state;

	open_root(&r);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	case_bytes(&b, id);
	ck_assert_int_eq(vf_deliver(&r, "received", id, b.p, b.len, path,
	    sizeof(path)), 0);
	ck_assert_int_eq(vf_state_make(&r, "closed"), 0);
	/* A reader's copy in another state, and the original moved away. */
	fmt(odd, "%s/closed/cur/a:2,", troot);
	ck_assert_int_eq(vf_write_all(open(odd, O_WRONLY | O_CREAT, 0600),
	    b.p, b.len), 0);
	fmt(p2, "%s/received/cur/b:2,S", troot);
	ck_assert_int_eq(rename(path, p2), 0);
	ck_assert_int_eq(vf_find(&r, id, path, sizeof(path), &state),
	    EX_DATAERR);
	/* Its own name taken by another file: no save over it. */
	ck_assert_int_eq(unlink(odd), 0);
	fmt(odd, "%s/received/cur/%s:2,S", troot, id);
	ck_assert_int_eq(vf_write_all(open(odd, O_WRONLY | O_CREAT, 0600),
	    b.p, b.len), 0);
	ck_assert_int_eq(vf_case_load(&c, p2, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_case_save(&r, p2, sizeof(p2), &c, "test", 0),
	    EX_DATAERR);
	vf_case_free(&c);
	/* A file that is not a case, in a state: not found as one. */
	fmt(odd, "%s/received/cur/junk", troot);
	ck_assert_int_eq(vf_write_all(open(odd, O_WRONLY | O_CREAT, 0600),
	    "x\n\ny\n", 5), 0);
	ck_assert_ptr_null(vf_path_state(&r, odd, NULL, 0));
	/* No reservation, no case: nothing looked for. */
	ck_assert_int_eq(vf_find(&r, "2026-99999", path, sizeof(path),
	    &state), EX_NOINPUT);
	vf_buf_free(&b);
	vf_root_close(&r);
}
END_TEST

START_TEST(find_and_state)
{
	struct vf_root r;
	char path[PATH_MAX], p2[PATH_MAX], want[PATH_MAX], id[VF_IDLEN];
	const char *state;

	open_root(&r);
	ck_assert_int_eq(vf_deliver(&r, "accepted", "2026-00042", "x", 1,
	    path, sizeof(path)), 0);
	ck_assert_int_eq(vf_find(&r, "2026-00042", p2, sizeof(p2), &state),
	    0);
	ck_assert_str_eq(p2, path);
	ck_assert_str_eq(state, "accepted");
	ck_assert_ptr_eq(state, vf_states[vf_state_index("accepted")]);
	ck_assert_ptr_eq(vf_path_state(&r, path, id, sizeof(id)),
	    vf_states[vf_state_index("accepted")]);
	ck_assert_str_eq(id, "2026-00042");

	/* A mail reader moved it to cur/ with flags. */
	fmt(want, "%s/accepted/cur/2026-00042:2,S", troot);
	ck_assert_int_eq(rename(path, want), 0);
	ck_assert_int_eq(vf_find(&r, "2026-00042", p2, sizeof(p2), &state),
	    0);
	ck_assert_str_eq(p2, want);
	ck_assert_str_eq(state, "accepted");
	ck_assert_str_eq(vf_path_state(&r, want, id, sizeof(id)), "accepted");
	ck_assert_str_eq(id, "2026-00042");
	/* A longer id with the same prefix is another case. */
	ck_assert_int_eq(vf_deliver(&r, "closed", "2026-123456", "x", 1, p2,
	    sizeof(p2)), 0);
	fmt(path, "%s/closed/cur/2026-123456:2,", troot);
	ck_assert_int_eq(rename(p2, path), 0);
	ck_assert_int_eq(vf_find(&r, "2026-12345", p2, sizeof(p2), &state),
	    EX_NOINPUT);
	ck_assert_int_eq(vf_find(&r, "2026-123456", p2, sizeof(p2), &state),
	    0);
	ck_assert_str_eq(p2, path);
	ck_assert_str_eq(state, "closed");

	/* In cur/ without flags. */
	fmt(p2, "%s/accepted/cur/2026-00042", troot);
	ck_assert_int_eq(rename(want, p2), 0);
	ck_assert_int_eq(vf_find(&r, "2026-00042", want, sizeof(want),
	    &state), 0);
	ck_assert_str_eq(want, p2);

	ck_assert_int_eq(vf_find(&r, "2026-00043", p2, sizeof(p2), &state),
	    EX_NOINPUT);
	ck_assert_int_eq(vf_find(&r, "../x", p2, sizeof(p2), &state),
	    EX_NOINPUT);
	ck_assert_int_eq(vf_find(&r, "2026-00042", p2, 10, &state),
	    EX_SOFTWARE);
	vf_root_close(&r);
}
END_TEST

START_TEST(path_state_spellings)
{
	struct vf_root r, other;
	char path[PATH_MAX], p[PATH_MAX], id[VF_IDLEN], oroot[PATH_MAX];
	char cwd[PATH_MAX];

	open_root(&r);
	ck_assert_int_eq(vf_deliver(&r, "routed", "2026-00005", "x", 1, path,
	    sizeof(path)), 0);
	fmt(p, "%s/./routed//new/2026-00005", troot);
	ck_assert_str_eq(vf_path_state(&r, p, id, sizeof(id)), "routed");
	fmt(p, "%s/../root/routed/new/2026-00005", troot);
	ck_assert_str_eq(vf_path_state(&r, p, NULL, 0), "routed");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(troot), 0);
	ck_assert_str_eq(vf_path_state(&r, "routed/new/2026-00005", id,
	    sizeof(id)), "routed");
	ck_assert_int_eq(chdir(cwd), 0);
	/* Files not named like a case, or not in a case folder. */
	fmt(p, "%s/routed/tmp/2026-00005", troot);
	ck_assert_ptr_null(vf_path_state(&r, p, id, sizeof(id)));
	fmt(p, "%s/routed/new/notacase", troot);
	ck_assert_ptr_null(vf_path_state(&r, p, id, sizeof(id)));
	fmt(p, "%s/routed/new/2026-00005:1,", troot);
	ck_assert_ptr_null(vf_path_state(&r, p, id, sizeof(id)));
	fmt(p, "%s/outbox/new/2026-00005", troot);
	ck_assert_ptr_null(vf_path_state(&r, p, id, sizeof(id)));
	ck_assert_ptr_null(vf_path_state(&r, "2026-00005", id, sizeof(id)));
	ck_assert_ptr_null(vf_path_state(&r, "new/2026-00005", id,
	    sizeof(id)));
	ck_assert_ptr_null(vf_path_state(&r, "", id, sizeof(id)));
	ck_assert_ptr_null(vf_path_state(&r, path, id, 4));
	/* The same layout under another root is not this root's. */
	fmt(oroot, "%s/other", tdir);
	ck_assert_int_eq(vf_root_open(&other, oroot, 1), 0);
	ck_assert_int_eq(vf_deliver(&other, "routed", "2026-00005", "x", 1, p,
	    sizeof(p)), 0);
	ck_assert_ptr_null(vf_path_state(&r, p, id, sizeof(id)));
	ck_assert_str_eq(vf_path_state(&other, p, id, sizeof(id)), "routed");
	vf_root_close(&other);
	vf_root_close(&r);
}
END_TEST

START_TEST(move_cases)
{
	struct vf_root r;
	char path[PATH_MAX], want[PATH_MAX], keep[PATH_MAX], dir[PATH_MAX];
	const char *state;

	open_root(&r);
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00001", "x", 1,
	    path, sizeof(path)), 0);
	ck_assert_int_eq(vf_move(&r, path, sizeof(path), "accepted"), 0);
	fmt(want, "%s/accepted/new/2026-00001", troot);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(access(want, F_OK), 0);
	sub(dir, sizeof(dir), "received/new");
	ck_assert_int_eq(count(dir), 0);
	/* Same state: nothing to do. */
	ck_assert_int_eq(vf_move(&r, path, sizeof(path), "accepted"), 0);
	ck_assert_str_eq(path, want);

	/* cur/ and flags are kept. */
	fmt(keep, "%s/accepted/cur/2026-00001:2,RS",
	    troot);
	ck_assert_int_eq(rename(want, keep), 0);
	strlcpy(path, keep, sizeof(path));
	ck_assert_int_eq(vf_move(&r, path, sizeof(path), "closed"), 0);
	fmt(want, "%s/closed/cur/2026-00001:2,RS", troot);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(vf_find(&r, "2026-00001", keep, sizeof(keep),
	    &state), 0);
	ck_assert_str_eq(keep, want);
	ck_assert_str_eq(state, "closed");

	ck_assert_int_eq(vf_move(&r, path, sizeof(path), "outbox"),
	    EX_SOFTWARE);
	ck_assert_int_eq(vf_move(&r, path, sizeof(path), "nostate"),
	    EX_SOFTWARE);
	/* A path buffer too small for the new path: not moved. */
	ck_assert_int_eq(vf_move(&r, path, 20, "waiting"), EX_SOFTWARE);
	ck_assert_int_eq(access(want, F_OK), 0);
	/* Gone meanwhile. */
	fmt(keep, "%s/waiting/new/2026-00009", troot);
	ck_assert_int_eq(vf_move(&r, keep, sizeof(keep), "closed"),
	    EX_NOINPUT);
	ck_assert_int_eq(vf_state_make(&r, "waiting"), 0);
	ck_assert_int_eq(vf_move(&r, keep, sizeof(keep), "closed"),
	    EX_TEMPFAIL);

	/* Never over another case file. */
	ck_assert_int_eq(vf_deliver(&r, "fixed", "2026-00002", "a", 1, path,
	    sizeof(path)), 0);
	ck_assert_int_eq(vf_deliver(&r, "routed", "2026-00002", "b", 1,
	    keep, sizeof(keep)), 0);
	ck_assert_int_eq(vf_move(&r, keep, sizeof(keep), "fixed"),
	    EX_SOFTWARE);
	ck_assert_int_eq(access(keep, F_OK), 0);
	vf_root_close(&r);
}
END_TEST

START_TEST(replace_case)
{
	struct vf_root r;
	struct stat st;
	char path[PATH_MAX], moved[PATH_MAX], dir[PATH_MAX], *got;
	size_t len;

	open_root(&r);
	ck_assert_int_eq(vf_deliver(&r, "waiting", "2026-00003", "one", 3,
	    path, sizeof(path)), 0);
	umask(0);
	ck_assert_int_eq(vf_replace(&r, path, "second\n", 7), 0);
	umask(077);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 7);
	ck_assert_mem_eq(got, "second\n", 7);
	free(got);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	sub(dir, sizeof(dir), "waiting/tmp");
	ck_assert_int_eq(count(dir), 0);

	/* Moved away meanwhile: not brought back in its old state. */
	strlcpy(moved, path, sizeof(moved));
	ck_assert_int_eq(vf_move(&r, moved, sizeof(moved), "closed"), 0);
	ck_assert_int_eq(vf_replace(&r, path, "third", 5), EX_TEMPFAIL);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(count(dir), 0);
	got = slurp(moved, &len);
	ck_assert_mem_eq(got, "second\n", 7);
	free(got);

	ck_assert_int_eq(vf_replace(&r, "/etc/passwd", "x", 1), EX_NOINPUT);
	vf_root_close(&r);
}
END_TEST

START_TEST(id_valid)
{
	ck_assert_int_eq(vf_id_valid("2026-00042"), 1);
	ck_assert_int_eq(vf_id_valid("2026-00001"), 1);
	ck_assert_int_eq(vf_id_valid("2026-99999"), 1);
	ck_assert_int_eq(vf_id_valid("2026-100000"), 1);
	ck_assert_int_eq(vf_id_valid("2026-999999999"), 1);
	ck_assert_int_eq(vf_id_valid("2026-1000000000"), 0);
	ck_assert_int_eq(vf_id_valid("2026-000042"), 0);
	ck_assert_int_eq(vf_id_valid("2026-00000"), 0);
	ck_assert_int_eq(vf_id_valid("2026-0042"), 0);
	ck_assert_int_eq(vf_id_valid("226-00042"), 0);
	ck_assert_int_eq(vf_id_valid("20260-00042"), 0);
	ck_assert_int_eq(vf_id_valid("2026_00042"), 0);
	ck_assert_int_eq(vf_id_valid("2026-00042x"), 0);
	ck_assert_int_eq(vf_id_valid("2026-00042:2,S"), 0);
	ck_assert_int_eq(vf_id_valid(" 2026-00042"), 0);
	ck_assert_int_eq(vf_id_valid("2026-0004２"), 0);
	ck_assert_int_eq(vf_id_valid(""), 0);
	ck_assert_int_eq(vf_id_valid("2026"), 0);
	ck_assert_int_eq(vf_id_valid("2026-"), 0);
	ck_assert_int_eq(vf_id_valid(NULL), 0);
}
END_TEST

static void
scan_is(const char *text, const char *want)
{
	char id[VF_IDLEN];

	memset(id, 'z', sizeof(id));
	if (want == NULL)
		ck_assert_msg(vf_id_scan(text, id, sizeof(id)) == 0,
		    "found an id in \"%s\"", text);
	else {
		ck_assert_msg(vf_id_scan(text, id, sizeof(id)) == 1,
		    "no id in \"%s\"", text);
		ck_assert_str_eq(id, want);
	}
}

START_TEST(id_scan)
{
	char small[10];

	/* The tag in the forms the office writes, and nothing else. */
	scan_is("[VF#2026-00042] report", "2026-00042");
	scan_is("Re: Re: [VF#2026-00042] report", "2026-00042");
	scan_is("Re: \xe3\x80\x90VF#2026-00042\xe3\x80\x91 \xe5\xb1\x8a\xe5\x87\xba",
	    "2026-00042");
	scan_is("about [VF#2026-123456], see", "2026-123456");
	scan_is("[VF#bad] [VF#2026-0004] [VF#2026-00043]", "2026-00043");
	scan_is("[VF#2026-00044] [VF#2026-00045]", "2026-00044");
	scan_is("vf#2026-00042", NULL);
	scan_is("[vf#2026-00042]", NULL);
	scan_is("VF#2026-00042", NULL);
	scan_is("about Vf#2026-123456, see", NULL);
	scan_is("VF\xef\xbc\x83" "2026-00042", NULL);
	scan_is("[VF\xef\xbc\x83" "2026-00042]", NULL);
	scan_is("[VF#2026-00042\xe3\x80\x91", NULL);
	scan_is("\xe3\x80\x90VF#2026-00042]", NULL);
	scan_is("[VF#2026-00042", NULL);
	scan_is("<vf.2026-00042.1a2b@office.example>", NULL);
	scan_is("<x@y> <vf.2026-00042@vf.invalid>", NULL);
	scan_is("[VF#2026-000042]", NULL);
	scan_is("[VF#2026-00042123456]", NULL);
	scan_is("[VF#2026-00000]", NULL);
	scan_is("[VF#26-00042]", NULL);
	scan_is("VF 2026-00042", NULL);
	scan_is("2026-00042", NULL);
	scan_is("[2026-00042]", NULL);
	scan_is("[VF#]", NULL);
	scan_is("[", NULL);
	scan_is("", NULL);
	ck_assert_int_eq(vf_id_scan(NULL, small, sizeof(small)), 0);
	/* No room for the id: not found rather than cut. */
	ck_assert_int_eq(vf_id_scan("[VF#2026-00042]", small, sizeof(small)),
	    0);
}
END_TEST

static void
seq_is(const char *want)
{
	char p[PATH_MAX], *got;

	sub(p, sizeof(p), ".seq");
	got = slurp(p, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

/* Is .lock/ID there, a plain 0600 file? */
static int
reserved(const char *id)
{
	char p[PATH_MAX], rel[64];
	struct stat st;

	fmt(rel, ".lock/%s", id);
	sub(p, sizeof(p), rel);
	if (lstat(p, &st) == -1)
		return 0;
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	return 1;
}

START_TEST(id_new_sequence)
{
	struct vf_root r;
	struct stat st;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	int y = cur_year(), fd;

	open_root(&r);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00001", y);
	ck_assert_str_eq(id, want);
	ck_assert(reserved(want));
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00002", y);
	ck_assert_str_eq(id, want);
	ck_assert(reserved(want));
	fmt(want, "%d 2\n", y);
	seq_is(want);
	sub(p, sizeof(p), ".seq");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);
	/* The reservation is the case's lock file: vf_lock opens it. */
	fmt(want, "%d-00002", y);
	ck_assert_int_eq(vf_lock(&r, want, &fd), 0);
	vf_unlock(fd);

	/* More digits when needed. */
	fmt(want, "%d 99999\n", y);
	spit(p, want, 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-100000", y);
	ck_assert_str_eq(id, want);
	ck_assert_int_eq(vf_id_valid(id), 1);
	fmt(want, "%d 100000\n", y);
	seq_is(want);

	/* A clock set back does not restart the counter. */
	spit(p, "9999 7\n", 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	ck_assert_str_eq(id, "9999-00008");
	seq_is("9999 8\n");

	/* Too small a buffer: nothing reserved. */
	ck_assert_int_eq(vf_id_new(&r, id, 5), EX_SOFTWARE);
	ck_assert_str_eq(id, "");
	ck_assert(!reserved("9999-00009"));
	seq_is("9999 8\n");
	vf_root_close(&r);
}
END_TEST

START_TEST(id_new_year)
{
	struct vf_root r;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	int y = cur_year();

	/* A hint from last year: this year starts at 1. */
	open_root(&r);
	sub(p, sizeof(p), ".seq");
	spit(p, "2000 500\n", 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00001", y);
	ck_assert_str_eq(id, want);
	fmt(want, "%d 1\n", y);
	seq_is(want);
	vf_root_close(&r);
}
END_TEST

START_TEST(id_new_stale_hint)
{
	struct vf_root r;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	int y = cur_year(), i;

	open_root(&r);
	for (i = 1; i <= 5; i++)
		ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	/* A hint set back (a restored backup, a crash): taken ids skipped. */
	sub(p, sizeof(p), ".seq");
	fmt(want, "%d 2\n", y);
	spit(p, want, 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00006", y);
	ck_assert_str_eq(id, want);
	fmt(want, "%d 6\n", y);
	seq_is(want);
	/* Far behind: one scan of .lock/ instead of a step per case. */
	for (i = 7; i <= 300; i++) {
		fmt(want, "%s/.lock/%d-%05d", troot, y, i);
		spit(want, "", 0600);
	}
	fmt(want, "%d 0\n", y);
	spit(p, want, 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00301", y);
	ck_assert_str_eq(id, want);
	vf_root_close(&r);
}
END_TEST

START_TEST(id_new_lost_hint)
{
	struct vf_root r;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	int y = cur_year(), i;

	open_root(&r);
	for (i = 1; i <= 3; i++)
		ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	/* Another year's and other lock files do not count. */
	fmt(want, "%s/.lock/%d-00999", troot, y - 1);
	spit(want, "", 0600);
	fmt(want, "%s/.lock/.seq", troot);
	spit(want, "", 0600);
	sub(p, sizeof(p), ".seq");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00004", y);
	ck_assert_str_eq(id, want);
	fmt(want, "%d 4\n", y);
	seq_is(want);
	/* An empty one (a crash while it was written) too. */
	spit(p, "", 0600);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00005", y);
	ck_assert_str_eq(id, want);
	vf_root_close(&r);
}
END_TEST

START_TEST(id_new_unreserved_case)
{
	struct vf_root r;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	int y = cur_year();

	/* A case on disk without a reservation (an older tree) is skipped. */
	open_root(&r);
	fmt(want, "%d-00001", y);
	ck_assert_int_eq(vf_deliver(&r, "fixed", want, "x", 1, p, sizeof(p)),
	    0);
	ck_assert_int_eq(vf_id_new(&r, id, sizeof(id)), 0);
	fmt(want, "%d-00002", y);
	ck_assert_str_eq(id, want);
	vf_root_close(&r);
}
END_TEST

START_TEST(id_new_malformed_seq)
{
	struct vf_root r;
	char id[VF_IDLEN], want[64], p[PATH_MAX];
	const char *bad[] = { "garbage\n", "2026 12", "2026 -1\n",
	    "2026  5\n", "26 5\n", "2026 05\n", "2026 1000000000\n",
	    "2026 5\nextra\n", "\n" };
	size_t i;
	int y = cur_year();

	/*
	 * Only a hint: a malformed one is rewritten, the number taken after
	 * the highest reserved.
	 */
	open_root(&r);
	sub(p, sizeof(p), ".seq");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		spit(p, bad[i], 0600);
		ck_assert_msg(vf_id_new(&r, id, sizeof(id)) == 0,
		    "refused .seq \"%s\"", bad[i]);
		fmt(want, "%d-%05zu", y, i + 1);
		ck_assert_str_eq(id, want);
		fmt(want, "%d %zu\n", y, i + 1);
		seq_is(want);
	}
	vf_root_close(&r);
}
END_TEST

#define KIDS	8
#define EACH	40

START_TEST(id_new_concurrent)
{
	struct vf_root r;
	char id[VF_IDLEN], line[64], want[64], (*all)[VF_IDLEN], p[PATH_MAX];
	FILE *f;
	pid_t pid[KIDS], chaos = -1;
	int fds[2], i, k, n = 0, status;

	open_root(&r);
	vf_root_close(&r);
	/*
	 * Loop 1: another process keeps removing the hint, so that the
	 * deliveries lock different files: the O_EXCL reservation alone
	 * must keep the ids apart.
	 */
	if (_i == 1) {
		sub(p, sizeof(p), ".seq");
		k = (int)getpid();
		/* It stops by itself should this test die first. */
		if ((chaos = fork()) == 0)
			while ((int)getppid() == k) {
				(void)unlink(p);
				usleep(500);
			}
		if (chaos == 0)
			_exit(0);
		ck_assert_int_ne(chaos, -1);
	}
	ck_assert_int_eq(pipe(fds), 0);
	for (i = 0; i < KIDS; i++) {
		if ((pid[i] = fork()) == 0) {
			close(fds[0]);
			if (vf_root_open(&r, troot, 0) != 0)
				_exit(1);
			for (k = 0; k < EACH; k++) {
				if (vf_id_new(&r, id, sizeof(id)) != 0)
					_exit(2);
				/* Short lines: pipe writes are atomic. */
				fmt(line, "%s\n", id);
				if (write(fds[1], line, strlen(line)) !=
				    (ssize_t)strlen(line))
					_exit(3);
			}
			_exit(0);
		}
		ck_assert_int_ne(pid[i], -1);
	}
	close(fds[1]);
	all = calloc(KIDS * EACH + 1, sizeof(*all));
	f = fdopen(fds[0], "r");
	while (fgets(line, sizeof(line), f) != NULL) {
		ck_assert_int_lt(n, KIDS * EACH);
		line[strcspn(line, "\n")] = '\0';
		ck_assert_int_eq(vf_id_valid(line), 1);
		for (k = 0; k < n; k++)
			ck_assert_str_ne(all[k], line);
		strlcpy(all[n++], line, VF_IDLEN);
	}
	fclose(f);
	for (i = 0; i < KIDS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	if (chaos != -1) {
		kill(chaos, SIGKILL);
		waitpid(chaos, &status, 0);
	}
	ck_assert_int_eq(n, KIDS * EACH);
	if (_i == 0) {
		fmt(want, "%d %d\n", cur_year(), KIDS * EACH);
		seq_is(want);
	}
	free(all);
}
END_TEST

START_TEST(lock_exclusion)
{
	struct vf_root r;
	struct timespec a, b;
	pid_t pid;
	int fd, fd2, status, p1[2], p2[2];
	char c;

	open_root(&r);
	ck_assert_int_eq(vf_lock(&r, "2026-00042", &fd), 0);
	ck_assert_int_ge(fd, 0);
	setenv("VF_LOCK_WAIT", "1", 1);
	/* Another process waits about a second, then gives up. */
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) == 0) {
		close(fd);
		_exit(vf_lock(&r, "2026-00042", &fd2));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_int_eq(WEXITSTATUS(status), EX_TEMPFAIL);
	ck_assert_int_ge(b.tv_sec - a.tv_sec, 1);
	ck_assert_int_lt(b.tv_sec - a.tv_sec, 5);
	/* Another case is not held up. */
	if ((pid = fork()) == 0)
		_exit(vf_lock(&r, "2026-00043", &fd2));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);

	/* A waiter gets the lock once it is released. */
	setenv("VF_LOCK_WAIT", "10", 1);
	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	if ((pid = fork()) == 0) {
		/* The lock belongs to the open file: drop our copy of it. */
		close(fd);
		close(p1[0]);
		close(p2[1]);
		if (write(p1[1], "w", 1) != 1)
			_exit(90);
		_exit(vf_lock(&r, "2026-00042", &fd2) == 0 &&
		    read(p2[0], &c, 1) == 0 ? 0 : 91);
	}
	close(p2[0]);
	ck_assert_int_eq(read(p1[0], &c, 1), 1);
	usleep(300000);
	/* The child is still waiting; let it have the lock. */
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	vf_unlock(fd);
	close(p2[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(p1[0]);
	close(p1[1]);

	ck_assert_int_eq(vf_lock(&r, "../etc", &fd2), EX_SOFTWARE);
	ck_assert_int_eq(fd2, -1);
	ck_assert_int_eq(vf_lock(&r, "2026-00042", &fd2), 0);
	vf_unlock(fd2);
	vf_unlock(-1);
	vf_root_close(&r);
}
END_TEST

START_TEST(timestamp)
{
	char buf[32], small[8];

	vf_timestamp(buf, sizeof(buf), 1795717800);
	ck_assert_str_eq(buf, "2026-11-26T18:30:00Z");
	vf_timestamp(buf, sizeof(buf), 0);
	ck_assert_uint_eq(strlen(buf), 20);
	ck_assert_int_eq(buf[10], 'T');
	vf_timestamp(small, sizeof(small), 1795717800);
	ck_assert_str_eq(small, "");
	ck_assert_ptr_nonnull(vf_user());
	ck_assert_int_gt(strlen(vf_user()), 0);
	ck_assert_ptr_null(strchr(vf_user(), ' '));
}
END_TEST

START_TEST(log_lines)
{
	struct vf_root r;
	struct stat st;
	char p[PATH_MAX], want[256], *got, *line2, *line3, *line4, big[3000];
	const char *u;
	size_t i;

	open_root(&r);
	u = vf_user();
	umask(0);
	ck_assert_int_eq(vf_log(&r, "vf-test", "2026-00042", "moved to %s",
	    "accepted"), 0);
	umask(077);
	ck_assert_int_eq(vf_log(&r, "vf-test", NULL, "evil\r\nforged %d\tx\x1b"
	    "[2J\xc2\x9bz", 1), 0);
	/* 3000 bytes of "あ": cut at a character. */
	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "\xe3\x81\x82", 3);
	big[i] = '\0';
	ck_assert_int_eq(vf_log(&r, "vf test", "", "%s", big), 0);
	ck_assert_int_eq(vf_log(&r, NULL, NULL, "%s", ""), 0);
	sub(p, sizeof(p), "log");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	got = slurp(p, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(strlen(got) > 21, 1);
	ck_assert_int_eq(got[10], 'T');
	ck_assert_int_eq(got[19], 'Z');
	fmt(want, " %s vf-test 2026-00042 moved to "
	    "accepted\n", u);
	ck_assert_int_eq(strncmp(got + 20, want, strlen(want)), 0);
	line2 = got + 20 + strlen(want);
	fmt(want, " %s vf-test - evil  forged 1 x [2J z\n",
	    u);
	ck_assert_int_eq(strncmp(line2 + 20, want, strlen(want)), 0);
	line3 = line2 + 20 + strlen(want);
	line4 = strchr(line3, '\n');
	ck_assert_ptr_nonnull(line4);
	ck_assert_int_le(line4 + 1 - line3, 1000);
	ck_assert_int_gt(line4 + 1 - line3, 990);
	fmt(want, " %s vf_test - \xe3\x81\x82", u);
	ck_assert_int_eq(strncmp(line3 + 20, want, strlen(want)), 0);
	/* Whole characters only before the LF. */
	ck_assert_int_eq((line4 - (line3 + 20 + strlen(want) - 3)) % 3, 0);
	fmt(want, " %s vf - \n", u);
	ck_assert_str_eq(line4 + 1 + 20, want);
	free(got);
	vf_root_close(&r);
}
END_TEST

/*
 * A case read by its head (vf_case_loadhead) is not saved: vf_case_save
 * refuses it with EX_SOFTWARE and the file stays as it was, byte for
 * byte, so no tool can write a case cut after its history.
 */
START_TEST(save_refuses_head)
{
	struct vf_root r;
	struct vf_case c;
	struct vf_buf b = { 0 };
	char path[PATH_MAX], err[256], *got;
	size_t len;

	open_root(&r);
	case_bytes(&b, "2026-00003");
	ck_assert_int_eq(vf_deliver(&r, "received", "2026-00003", b.p, b.len,
	    path, sizeof(path)), 0);
	ck_assert_int_eq(vf_case_loadhead(&c, AT_FDCWD, path, 0, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(vf_case_save(&r, path, sizeof(path), &c, "test", 0),
	    EX_SOFTWARE);
	vf_case_free(&c);
	ck_assert_int_eq(vf_case_loadhead(&c, AT_FDCWD, path, VF_HEAD_PARTS,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(vf_case_save(&r, path, sizeof(path), &c, "test",
	    VF_CASE_NEW), EX_SOFTWARE);
	vf_case_free(&c);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, b.len);
	ck_assert_mem_eq(got, b.p, len);
	free(got);
	vf_buf_free(&b);
	vf_root_close(&r);
}
END_TEST

static Suite *
tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("tree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, root_open_modes);
	tcase_add_test(tc, root_env);
	tcase_add_test(tc, state_make);
	tcase_add_test(tc, deliver_basic);
	tcase_add_test(tc, save_refuses_head);
	tcase_add_test(tc, deliver_pieces);
	tcase_add_test(tc, deliver_bad_names);
	tcase_add_test(tc, deliver_full_disk);
	tcase_add_test(tc, deliver_no_permission);
	tcase_add_test(tc, find_and_state);
	tcase_add_test(tc, find_renamed);
	tcase_add_test(tc, find_two_files);
	tcase_add_test(tc, path_state_spellings);
	tcase_add_test(tc, move_cases);
	tcase_add_test(tc, replace_case);
	tcase_add_test(tc, id_valid);
	tcase_add_test(tc, id_scan);
	tcase_add_test(tc, id_new_sequence);
	tcase_add_test(tc, id_new_year);
	tcase_add_test(tc, id_new_stale_hint);
	tcase_add_test(tc, id_new_lost_hint);
	tcase_add_test(tc, id_new_unreserved_case);
	tcase_add_test(tc, id_new_malformed_seq);
	tcase_add_loop_test(tc, id_new_concurrent, 0, 2);
	tcase_add_test(tc, lock_exclusion);
	tcase_add_test(tc, timestamp);
	tcase_add_test(tc, log_lines);
	tcase_add_test(tc, path_state_memo);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(tree_suite)
