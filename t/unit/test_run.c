/*
 * vf_run: descriptors, concurrency, early exits, limits, errors.
 *
 * The children are this very binary run again with VF_RUN_CHILD set: a
 * constructor plays the part asked for and exits before check starts, so
 * each behaviour is exact and no shell is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

#define MiB	(1024 * 1024)

static char self[4096];

static void
xwrite(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(90);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Copy fd `from' to `to' until EOF; the byte count. */
static size_t
copy(int from, int to)
{
	char buf[8192];
	ssize_t n;
	size_t total = 0;

	while ((n = read(from, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			_exit(91);
		}
		if (to != -1)
			xwrite(to, buf, (size_t)n);
		total += (size_t)n;
	}
	return total;
}

__attribute__((constructor)) static void
child(void)
{
	const char *mode = getenv("VF_RUN_CHILD");
	static char chunk[65536];
	char line[4096];
	struct sigaction sa;
	sigset_t mask;
	size_t i, len;
	int fd;

	if (mode == NULL)
		return;
	if (strcmp(mode, "flood") == 0) {
		/* 2 MiB to each of stdout and stderr, stdin never read. */
		memset(chunk, 'x', sizeof(chunk));
		for (i = 0; i < 2 * MiB / sizeof(chunk); i++) {
			xwrite(1, chunk, sizeof(chunk));
			xwrite(2, chunk, sizeof(chunk));
		}
		_exit(0);
	}
	if (strcmp(mode, "early") == 0)
		_exit(3);
	if (strcmp(mode, "big") == 0) {
		memset(chunk, 'y', sizeof(chunk));
		for (i = 0; i < 3 * MiB / sizeof(chunk); i++)
			xwrite(1, chunk, sizeof(chunk));
		_exit(0);
	}
	if (strcmp(mode, "fds") == 0) {
		/* Which descriptors are open, is stdin empty, SIGPIPE state. */
		len = 0;
		for (fd = 0; fd < 1024; fd++)
			if (fcntl(fd, F_GETFD) != -1)
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, "%d ", fd);
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    "stdin=%zu", copy(0, -1));
		sigaction(SIGPIPE, NULL, &sa);
		sigprocmask(SIG_SETMASK, NULL, &mask);
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    " pipe=%s%s\n", sa.sa_handler == SIG_DFL ? "dfl" : "set",
		    sigismember(&mask, SIGPIPE) ? ",blocked" : "");
		xwrite(1, line, len);
		_exit(0);
	}
	if (strcmp(mode, "copy43") == 0) {
		/* Like gpg --verify: signature on 4 first, then data on 0. */
		copy(4, 3);
		copy(0, 1);
		_exit(0);
	}
	if (strcmp(mode, "hang") == 0) {
		/* Write a little, then hang with the pipes open. */
		xwrite(1, "x", 1);
		for (;;)
			pause();
	}
	if (strcmp(mode, "hangclosed") == 0) {
		/* Close every descriptor we were given, then hang. */
		for (fd = 0; fd < 16; fd++)
			close(fd);
		for (;;)
			pause();
	}
	if (strcmp(mode, "kill") == 0) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		_exit(92);
	}
	_exit(99);
}

static char *
pattern(size_t n)
{
	char *p = vf_malloc(n);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)(i * 7 + i / 251);
	return p;
}

static void
setup(void)
{
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_msg(n > 0, "cannot find this test binary");
	self[n] = '\0';
}

static int
run_self(const char *mode, struct vf_io *io, size_t nio, int *st)
{
	char *argv[] = { self, NULL };
	int rc;

	setenv("VF_RUN_CHILD", mode, 1);
	rc = vf_run(argv, io, nio, st);
	unsetenv("VF_RUN_CHILD");
	return rc;
}

START_TEST(cat_1mb)
{
	char *argv[] = { "cat", NULL };
	struct vf_buf out = { 0 }, err = { 0 };
	struct vf_io io[3];
	char *in = pattern(MiB);
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = in; io[0].inlen = MiB;
	io[1].fd = 1; io[1].out = &out; io[1].max = 2 * MiB;
	io[2].fd = 2; io[2].out = &err; io[2].max = 4096;
	ck_assert_int_eq(vf_run(argv, io, 3, &st), 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(out.len, MiB);
	ck_assert(memcmp(out.p, in, MiB) == 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_int_eq(io[1].over, 0);
	free(in);
	vf_buf_free(&out);
	vf_buf_free(&err);
}
END_TEST

START_TEST(empty_input)
{
	char *argv[] = { "cat", NULL };
	struct vf_buf out = { 0 };
	struct vf_io io[2];
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = ""; io[0].inlen = 0;
	io[1].fd = 1; io[1].out = &out; io[1].max = 100;
	ck_assert_int_eq(vf_run(argv, io, 2, &st), 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(out.len, 0);
	vf_buf_free(&out);
}
END_TEST

START_TEST(flood_no_deadlock)
{
	struct vf_buf out = { 0 }, err = { 0 };
	struct vf_io io[3];
	char *in = pattern(MiB);
	size_t i;
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = in; io[0].inlen = MiB;
	io[1].fd = 1; io[1].out = &out; io[1].max = 4 * MiB;
	io[2].fd = 2; io[2].out = &err; io[2].max = 4 * MiB;
	ck_assert_int_eq(run_self("flood", io, 3, &st), 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(out.len, 2 * MiB);
	ck_assert_uint_eq(err.len, 2 * MiB);
	for (i = 0; i < out.len; i++)
		if (out.p[i] != 'x' || err.p[i] != 'x')
			break;
	ck_assert_uint_eq(i, 2 * MiB);
	free(in);
	vf_buf_free(&out);
	vf_buf_free(&err);
}
END_TEST

START_TEST(early_exit)
{
	struct vf_io io[1];
	char *in = pattern(MiB);
	int st;

	/* 1 MiB for a child that never reads it: EPIPE, not SIGPIPE. */
	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = in; io[0].inlen = MiB;
	ck_assert_int_eq(run_self("early", io, 1, &st), 0);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 3);
	free(in);
}
END_TEST

START_TEST(sigpipe_state_restored)
{
	struct vf_io io[1];
	char *in = pattern(MiB);
	sigset_t mask, pend;
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = in; io[0].inlen = MiB;
	ck_assert_int_eq(run_self("early", io, 1, &st), 0);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ck_assert(!sigismember(&mask, SIGPIPE));
	sigpending(&pend);
	ck_assert(!sigismember(&pend, SIGPIPE));
	free(in);
}
END_TEST

START_TEST(missing_program)
{
	char *argv[] = { "/nonexistent/vf-no-such-program", NULL };
	char *argv2[] = { "vf-no-such-program-on-path", NULL };
	struct vf_buf out = { 0 };
	struct vf_io io[2];
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = "abc"; io[0].inlen = 3;
	io[1].fd = 1; io[1].out = &out; io[1].max = 100;
	ck_assert_int_eq(vf_run(argv, io, 2, &st), EX_UNAVAILABLE);
	ck_assert_int_eq(vf_run(argv2, io, 2, &st), EX_UNAVAILABLE);
	ck_assert_uint_eq(out.len, 0);
	vf_buf_free(&out);
}
END_TEST

START_TEST(not_executable)
{
	char path[] = "/tmp/vf-run-noexec.XXXXXX";
	char *argv[] = { path, NULL };
	int fd, st;

	ck_assert((fd = mkstemp(path)) != -1);
	close(fd);
	/* EACCES: the program is there but cannot run. */
	ck_assert_int_eq(vf_run(argv, NULL, 0, &st), EX_OSERR);
	unlink(path);
}
END_TEST

START_TEST(output_limit)
{
	struct vf_buf out = { 0 };
	struct vf_io io[1];
	size_t i;
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 1; io[0].out = &out; io[0].max = 100000;
	ck_assert_int_eq(run_self("big", io, 1, &st), 0);
	/* The child wrote 3 MiB and was never blocked. */
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(io[0].over, 1);
	ck_assert_uint_eq(out.len, 100000);
	ck_assert(out.p[out.len] == '\0');
	for (i = 0; i < out.len && out.p[i] == 'y'; i++)
		;
	ck_assert_uint_eq(i, 100000);
	/* Exactly at the limit is not over. */
	vf_buf_free(&out);
	io[0].max = 3 * MiB;
	ck_assert_int_eq(run_self("big", io, 1, &st), 0);
	ck_assert_int_eq(io[0].over, 0);
	ck_assert_uint_eq(out.len, 3 * MiB);
	vf_buf_free(&out);
}
END_TEST

START_TEST(only_named_fds)
{
	struct vf_buf out = { 0 };
	struct vf_io io[2];
	int leak, leak2, st;

	/* Descriptors we hold without close-on-exec must not leak. */
	ck_assert((leak = open("/dev/null", O_RDONLY)) != -1);
	ck_assert((leak2 = fcntl(leak, F_DUPFD, 20)) != -1);
	memset(io, 0, sizeof(io));
	io[0].fd = 1; io[0].out = &out; io[0].max = 4096;
	io[1].fd = 5; io[1].in = "zz"; io[1].inlen = 2;
	ck_assert_int_eq(run_self("fds", io, 2, &st), 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* 0 and 2 are /dev/null: stdin reads as empty. */
	ck_assert_str_eq(out.p, "0 1 2 5 stdin=0 pipe=dfl\n");
	close(leak);
	close(leak2);
	vf_buf_free(&out);
}
END_TEST

START_TEST(low_fds_closed)
{
	struct vf_buf out = { 0 };
	struct vf_io io[1];
	int saved0, st;

	/* With our own 0 closed, pipes may land there: still exact. */
	ck_assert((saved0 = dup(0)) != -1);
	close(0);
	memset(io, 0, sizeof(io));
	io[0].fd = 1; io[0].out = &out; io[0].max = 4096;
	ck_assert_int_eq(run_self("fds", io, 1, &st), 0);
	dup2(saved0, 0);
	close(saved0);
	ck_assert_str_eq(out.p, "0 1 2 stdin=0 pipe=dfl\n");
	vf_buf_free(&out);
}
END_TEST

START_TEST(extra_fds)
{
	struct vf_buf out = { 0 }, side = { 0 };
	struct vf_io io[4];
	char *sig = pattern(300000), *data = pattern(MiB + 17);
	int st;

	memset(io, 0, sizeof(io));
	io[0].fd = 0; io[0].in = data; io[0].inlen = MiB + 17;
	io[1].fd = 1; io[1].out = &out; io[1].max = 2 * MiB;
	io[2].fd = 3; io[2].out = &side; io[2].max = MiB;
	io[3].fd = 4; io[3].in = sig; io[3].inlen = 300000;
	ck_assert_int_eq(run_self("copy43", io, 4, &st), 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(side.len, 300000);
	ck_assert(memcmp(side.p, sig, 300000) == 0);
	ck_assert_uint_eq(out.len, MiB + 17);
	ck_assert(memcmp(out.p, data, MiB + 17) == 0);
	free(sig);
	free(data);
	vf_buf_free(&out);
	vf_buf_free(&side);
}
END_TEST

START_TEST(killed_child)
{
	int st;

	ck_assert_int_eq(run_self("kill", NULL, 0, &st), 0);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
}
END_TEST

START_TEST(time_limit)
{
	char *argv[] = { self, NULL };
	struct vf_buf out = { 0 };
	struct vf_io io[1];
	int st, late;

	/* A child that hangs is killed at its time limit, pipes open... */
	memset(io, 0, sizeof(io));
	io[0].fd = 1;
	io[0].out = &out;
	io[0].max = 100;
	setenv("VF_RUN_CHILD", "hang", 1);
	ck_assert_int_eq(vf_run_limit(argv, io, 1, &st, 300, &late), 0);
	ck_assert_int_eq(late, 1);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ck_assert_str_eq(out.p, "x");
	/* ...or closed: then waiting for it is what the limit bounds. */
	setenv("VF_RUN_CHILD", "hangclosed", 1);
	ck_assert_int_eq(vf_run_limit(argv, NULL, 0, &st, 300, &late), 0);
	ck_assert_int_eq(late, 1);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* One within its limit is not killed; no limit is none. */
	setenv("VF_RUN_CHILD", "early", 1);
	ck_assert_int_eq(vf_run_limit(argv, NULL, 0, &st, 10000, &late), 0);
	ck_assert_int_eq(late, 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	ck_assert_int_eq(vf_run_limit(argv, NULL, 0, &st, 0, NULL), 0);
	unsetenv("VF_RUN_CHILD");
	vf_buf_free(&out);
}
END_TEST

START_TEST(no_status_pointer)
{
	char *argv[] = { "true", NULL };

	ck_assert_int_eq(vf_run(argv, NULL, 0, NULL), 0);
}
END_TEST

static Suite *
run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cat_1mb);
	tcase_add_test(tc, empty_input);
	tcase_add_test(tc, flood_no_deadlock);
	tcase_add_test(tc, early_exit);
	tcase_add_test(tc, sigpipe_state_restored);
	tcase_add_test(tc, missing_program);
	tcase_add_test(tc, not_executable);
	tcase_add_test(tc, output_limit);
	tcase_add_test(tc, only_named_fds);
	tcase_add_test(tc, low_fds_closed);
	tcase_add_test(tc, extra_fds);
	tcase_add_test(tc, killed_child);
	tcase_add_test(tc, no_status_pointer);
	tcase_add_test(tc, time_limit);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(run_suite)
