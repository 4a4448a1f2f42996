/*
 * Run a program without a shell, feeding and draining its descriptors.
 *
 * The child gets exactly the descriptors named by the caller (each a pipe to
 * us), /dev/null on whichever of 0, 1 and 2 was not named, and nothing else.
 * All pipes are serviced from one poll(2) loop, so a child that writes a lot
 * before it has read all its input (gpg does) cannot deadlock against us.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"

extern char **environ;

/* More descriptors than any caller needs; keeps the bookkeeping static. */
#define RUN_MAXIO	16
/* Child descriptor numbers stay small so the fd bookkeeping stays small. */
#define RUN_MAXFD	64
#define RUN_CHUNK	65536

struct chan {
	struct vf_io	*io;
	int		 fd;		/* our end, -1 once closed */
	size_t		 off;		/* bytes of io->in written so far */
};

static int
errno_exit(int e)
{
	switch (e) {
	case ENOENT:
		return EX_UNAVAILABLE;
	case EAGAIN:
	case ENOMEM:
	case EMFILE:
	case ENFILE:
		return EX_TEMPFAIL;
	default:
		return EX_OSERR;
	}
}

static void
xclose(int *fd)
{
	if (*fd != -1) {
		/* Our pipe ends: a failing close loses nothing we still need. */
		(void)close(*fd);
		*fd = -1;
	}
}

/*
 * Move fd to a number >= low with close-on-exec set, so that no pipe end
 * sits on a descriptor number the child is about to receive (dup2 onto
 * itself would keep it close-on-exec, dup2 onto a sibling's source would
 * clobber it).
 */
static int
lift(int fd, int low)
{
	int nfd;

	if (fd >= low)
		return fd;
	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, low)) == -1) {
		int e = errno;

		(void)close(fd);
		errno = e;
		return -1;
	}
	(void)close(fd);
	return nfd;
}

static int
nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Write what the pipe takes now; 1 when this input is finished. */
static int
feed(struct chan *c)
{
	size_t left;
	ssize_t n;

	for (;;) {
		left = c->io->inlen - c->off;
		if (left == 0)
			return 1;
		n = write(c->fd, c->io->in + c->off,
		    left > RUN_CHUNK ? RUN_CHUNK : left);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			/*
			 * EPIPE: the child closed its end or exited without
			 * reading everything; that is its business, and its
			 * exit status tells the caller. Any other error also
			 * ends this input: the child then sees EOF early.
			 */
			return 1;
		}
		c->off += (size_t)n;
	}
}

/* Read what is there now; 1 at EOF, -1 on a read error. */
static int
drain(struct chan *c)
{
	char scratch[RUN_CHUNK];
	struct vf_buf *b = c->io->out;
	size_t room;
	ssize_t n;

	for (;;) {
		if (b != NULL && b->len < c->io->max) {
			room = c->io->max - b->len;
			if (room > RUN_CHUNK)
				room = RUN_CHUNK;
			vf_buf_grow(b, room);
			n = read(c->fd, b->p + b->len, room);
		} else
			n = read(c->fd, scratch, sizeof(scratch));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		if (n == 0)
			return 1;
		if (b != NULL && b->len < c->io->max) {
			b->len += (size_t)n;
			b->p[b->len] = '\0';
		} else
			/* Read on regardless, or the child would block. */
			c->io->over = 1;
	}
}

/* Milliseconds from now to the deadline (0 when passed); -1: none. */
static int
left_ms(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	if (deadline == NULL)
		return -1;
	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		return 0;
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0)
		return 0;
	return ms > 86400000 ? 86400000 : (int)ms;
}

/* 0 when every descriptor is done, 1 at the deadline, -1 on an error. */
static int
pump(struct chan *ch, size_t nch, const struct timespec *deadline)
{
	struct pollfd pfd[RUN_MAXIO];
	size_t map[RUN_MAXIO];
	size_t i, np;
	int r, ms;

	for (;;) {
		np = 0;
		for (i = 0; i < nch; i++) {
			if (ch[i].fd == -1)
				continue;
			pfd[np].fd = ch[i].fd;
			pfd[np].events = ch[i].io->in != NULL ? POLLOUT : POLLIN;
			pfd[np].revents = 0;
			map[np++] = i;
		}
		if (np == 0)
			return 0;
		if ((ms = left_ms(deadline)) == 0)
			return 1;
		if ((r = poll(pfd, (nfds_t)np, ms)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			continue;	/* the deadline, seen above */
		for (i = 0; i < np; i++) {
			struct chan *c = &ch[map[i]];

			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].revents & POLLNVAL) {
				errno = EBADF;
				return -1;
			}
			if (c->io->in != NULL) {
				if (feed(c))
					xclose(&c->fd);
			} else {
				if ((r = drain(c)) == -1)
					return -1;
				if (r == 1)
					xclose(&c->fd);
			}
		}
	}
}

/*
 * The children running now, for vf_run_kill from a signal handler: two
 * at once in vf-parse (the original's encryption, started first, and
 * the report's decryption or check), more in a vf-notify -j, which never
 * kills them so. A slot is 0 when free; set and cleared atomically, for
 * threads spawn too.
 */
#define RUN_SLOTS 8
static pid_t running[RUN_SLOTS];

static void
running_add(pid_t pid)
{
	pid_t free_;
	size_t i;

	for (i = 0; i < RUN_SLOTS; i++) {
		free_ = 0;
		if (__atomic_compare_exchange_n(&running[i], &free_, pid, 0,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

static void
running_del(pid_t pid)
{
	pid_t p;
	size_t i;

	for (i = 0; i < RUN_SLOTS; i++) {
		p = pid;
		if (__atomic_compare_exchange_n(&running[i], &p, 0, 0,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

void
vf_run_kill(void)
{
	pid_t pid;
	size_t i;

	for (i = 0; i < RUN_SLOTS; i++)
		if ((pid = __atomic_load_n(&running[i], __ATOMIC_SEQ_CST)) > 0)
			(void)kill(pid, SIGKILL);
}

int
vf_run(char *const argv[], struct vf_io *io, size_t nio, int *status)
{
	return vf_run_limit(argv, io, nio, status, 0, NULL);
}

/*
 * Wait for the child; past the deadline kill it (it may have closed its
 * descriptors and still run) and wait for it then.
 *
 * Not by polling waitpid with naps: a child that has just closed its
 * pipes is in the middle of exiting, so the first WNOHANG nearly always
 * came too early, and a nap of 10 ms followed it in 19 deliveries of 20
 * (strace; doc/BENCH.md), a quarter of a delivery. A pidfd (Linux 5.3)
 * becomes readable the moment the child can be reaped, and poll waits
 * for that or the deadline; without one, naps that start at 50 us and
 * double up to 10 ms (as bench/notify found for vf-notify, where the
 * same nap followed half its gpg runs).
 */
static int
reap(pid_t pid, int *wst, const struct timespec *deadline, int *late)
{
	struct timespec nap = { 0, 50 * 1000 };
	struct pollfd pfd;
	pid_t r;
	int pidfd = -1, ms;

#ifdef SYS_pidfd_open
	if (deadline != NULL)
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	for (;;) {
		r = waitpid(pid, wst, deadline != NULL && !*late ? WNOHANG : 0);
		if (r == pid)
			break;
		if (r == -1 && errno != EINTR) {
			if (pidfd != -1)
				(void)close(pidfd);
			return -1;
		}
		if (r != 0)
			continue;
		if ((ms = left_ms(deadline)) == 0) {
			*late = 1;
			(void)kill(pid, SIGKILL);
		} else if (pidfd != -1) {
			pfd.fd = pidfd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			(void)poll(&pfd, 1, ms);
		} else {
			(void)nanosleep(&nap, NULL);
			if (nap.tv_nsec < 10 * 1000 * 1000)
				nap.tv_nsec *= 2;
		}
	}
	if (pidfd != -1)
		(void)close(pidfd);
	return 0;
}

/* A child started by vf_run_start, its input still to come. */
struct vf_child {
	struct chan	 ch[RUN_MAXIO];
	size_t		 nio;
	pid_t		 pid;
	struct timespec	 deadline;
	struct timespec	*dl;
	sigset_t	 pipeset;
	sigset_t	 oldmask;
	int		 pipe_was_pending;
	int		 late;
};

/* SIGPIPE back as it was (one we caused consumed), and c freed. */
static void
child_done(struct vf_child *c)
{
	sigset_t pending;

	if (!c->pipe_was_pending && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1) {
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&c->pipeset, NULL, &zero) == -1 &&
		    errno == EINTR)
			;
	}
	sigprocmask(SIG_SETMASK, &c->oldmask, NULL);
	free(c);
}

int
vf_run_limit(char *const argv[], struct vf_io *io, size_t nio, int *status,
    int ms, int *timedout)
{
	struct vf_child *c;
	int rc;

	if (status != NULL)
		*status = 0;
	if (timedout != NULL)
		*timedout = 0;
	if ((rc = vf_run_start(argv, io, nio, ms, &c)) != 0)
		return rc;
	return vf_run_finish(c, status, timedout);
}

/*
 * The first half of vf_run_limit: the child spawned, its descriptors
 * ready, nothing written or read yet. What the io entries point to (an
 * input, an output buffer, a limit) may still change until
 * vf_run_finish, which feeds and drains them; the io array itself must
 * stay where it is. The deadline runs from here. SIGPIPE stays blocked
 * in this thread until vf_run_finish or vf_run_cancel.
 */
int
vf_run_start(char *const argv[], struct vf_io *io, size_t nio, int ms,
    struct vf_child **cp)
{
	struct vf_child *c;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t pending;
	struct chan *ch;
	int cfd[RUN_MAXIO];		/* the child's ends, in us */
	unsigned char named[RUN_MAXFD];
	int p[2], low, e, rc, fd, flags;
	size_t i;
	pid_t pid;

	*cp = NULL;
	if (argv == NULL || argv[0] == NULL || nio > RUN_MAXIO)
		errx(EX_SOFTWARE, "vf_run: bad arguments");
	c = vf_calloc(1, sizeof(*c));
	ch = c->ch;
	c->nio = nio;
	c->pid = -1;
	memset(named, 0, sizeof(named));
	low = 3;
	for (i = 0; i < nio; i++) {
		if (io[i].fd < 0 || io[i].fd >= RUN_MAXFD || named[io[i].fd])
			errx(EX_SOFTWARE, "vf_run: bad descriptor %d",
			    io[i].fd);
		named[io[i].fd] = 1;
		if (io[i].fd >= low)
			low = io[i].fd + 1;
		io[i].over = 0;
		ch[i].io = &io[i];
		ch[i].fd = -1;
		ch[i].off = 0;
		cfd[i] = -1;
	}
	if (ms > 0 && clock_gettime(CLOCK_MONOTONIC, &c->deadline) == 0) {
		c->deadline.tv_sec += ms / 1000;
		c->deadline.tv_nsec += (long)(ms % 1000) * 1000000;
		if (c->deadline.tv_nsec >= 1000000000) {
			c->deadline.tv_sec++;
			c->deadline.tv_nsec -= 1000000000;
		}
		c->dl = &c->deadline;
	}

	if ((e = posix_spawn_file_actions_init(&fa)) != 0) {
		free(c);
		return errno_exit(e);
	}
	if ((e = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		free(c);
		return errno_exit(e);
	}
	rc = 0;
	for (i = 0; i < nio && rc == 0; i++) {
		if (pipe2(p, O_CLOEXEC) == -1) {
			rc = errno_exit(errno);
			break;
		}
		if ((p[0] = lift(p[0], low)) == -1) {
			rc = errno_exit(errno);
			xclose(&p[1]);
			break;
		}
		if ((p[1] = lift(p[1], low)) == -1) {
			rc = errno_exit(errno);
			xclose(&p[0]);
			break;
		}
		ch[i].fd = io[i].in != NULL ? p[1] : p[0];
		cfd[i] = io[i].in != NULL ? p[0] : p[1];
		/* dup2 clears close-on-exec on the child's copy only. */
		if ((e = posix_spawn_file_actions_adddup2(&fa, cfd[i],
		    io[i].fd)) != 0)
			rc = errno_exit(e);
	}
	for (fd = 0; fd < 3 && rc == 0; fd++)
		if (!named[fd] && (e = posix_spawn_file_actions_addopen(&fa,
		    fd, "/dev/null", O_RDWR, 0)) != 0)
			rc = errno_exit(e);
	/*
	 * Descriptors the caller left open without close-on-exec must not
	 * reach the child either: close the unnamed ones below `low' here,
	 * and everything from `low' up where the C library can.
	 */
	for (fd = 3; fd < low && rc == 0; fd++)
		if (!named[fd] && (flags = fcntl(fd, F_GETFD)) != -1 &&
		    !(flags & FD_CLOEXEC) &&
		    (e = posix_spawn_file_actions_addclose(&fa, fd)) != 0)
			rc = errno_exit(e);
#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 34)
	if (rc == 0 && (e = posix_spawn_file_actions_addclosefrom_np(&fa,
	    low)) != 0)
		rc = errno_exit(e);
#endif
#endif

	/*
	 * SIGPIPE is blocked while we write to the child, so that a child
	 * that exits early gives us EPIPE instead of killing us; one that
	 * we caused is consumed afterwards. The child starts with the
	 * caller's mask and SIGPIPE at its default.
	 */
	sigemptyset(&c->pipeset);
	sigaddset(&c->pipeset, SIGPIPE);
	sigprocmask(SIG_BLOCK, &c->pipeset, &c->oldmask);
	c->pipe_was_pending = sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1;
	if (rc == 0 && ((e = posix_spawnattr_setsigmask(&attr,
	    &c->oldmask)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&attr, &c->pipeset)) != 0 ||
	    (e = posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) != 0))
		rc = errno_exit(e);

	pid = -1;
	if (rc == 0 && (e = posix_spawnp(&pid, argv[0], &fa, &attr, argv,
	    environ)) != 0) {
		rc = errno_exit(e);
		pid = -1;
	}
	if (pid > 0)
		running_add(pid);
	c->pid = pid;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	/* Only the child may hold its ends, or we never see EOF. */
	for (i = 0; i < nio; i++)
		xclose(&cfd[i]);
	for (i = 0; i < nio && rc == 0; i++)
		if (nonblock(ch[i].fd) == -1)
			rc = EX_OSERR;
	if (rc != 0) {
		/* After an error the child sees EOF or EPIPE and ends. */
		vf_run_cancel(c);
		return rc;
	}
	*cp = c;
	return 0;
}

/* Close our ends, reap the child (killed first if late), end c. */
static int
child_reap(struct vf_child *c, int *status, int *timedout)
{
	int wst, rc = 0;
	size_t i;

	for (i = 0; i < c->nio; i++)
		xclose(&c->ch[i].fd);
	if (c->pid != -1) {
		wst = 0;
		if (reap(c->pid, &wst, c->dl, &c->late) == -1)
			rc = EX_OSERR;
		running_del(c->pid);
		if (status != NULL)
			*status = wst;
		if (c->late && timedout != NULL)
			*timedout = 1;
	}
	child_done(c);
	return rc;
}

/*
 * Give the child now what its pipes take of its input, without waiting:
 * a child started early (vf-parse's gpg for the original) then works on
 * it while the caller goes on. A large input grows its pipe, to 1 MiB at
 * most, where the kernel allows. vf_run_finish gives the rest.
 */
void
vf_run_feed(struct vf_child *c)
{
	size_t i, left;
	int want;

	for (i = 0; i < c->nio; i++) {
		struct chan *ch = &c->ch[i];

		if (ch->fd == -1 || ch->io->in == NULL)
			continue;
		left = ch->io->inlen - ch->off;
		if (left > 65536) {
			want = left > (1 << 20) ? 1 << 20 : (int)left;
			(void)fcntl(ch->fd, F_SETPIPE_SZ, want);
		}
		if (feed(ch))
			xclose(&ch->fd);
	}
}

/*
 * The second half: feed and drain the child's descriptors, wait for it
 * (killed past the deadline), and free c. As vf_run_limit returns.
 */
int
vf_run_finish(struct vf_child *c, int *status, int *timedout)
{
	int r, rc = 0, rrc;

	if (status != NULL)
		*status = 0;
	if (timedout != NULL)
		*timedout = 0;
	if ((r = pump(c->ch, c->nio, c->dl)) == -1)
		rc = EX_OSERR;
	else if (r == 1) {
		c->late = 1;
		(void)kill(c->pid, SIGKILL);
	}
	/* After an error the child sees EOF or EPIPE and ends by itself. */
	rrc = child_reap(c, status, timedout);
	return rc != 0 ? rc : rrc;
}

/* A child not wanted after all: killed, reaped, c freed. */
void
vf_run_cancel(struct vf_child *c)
{
	if (c->pid != -1) {
		(void)kill(c->pid, SIGKILL);
		c->late = 1;
	}
	(void)child_reap(c, NULL, NULL);
}
