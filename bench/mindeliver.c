/*
 * mindeliver - the least a safe maildir delivery can do, as a baseline.
 *
 * usage: mindeliver MAILDIR < mail
 *
 * Reads the mail, writes MAILDIR/tmp/NAME (O_EXCL), fsyncs and closes it,
 * links it into MAILDIR/new/, unlinks the tmp name and fsyncs new/: the
 * qmail discipline and nothing else (no parsing, no lock, no log). Exit 0
 * when the mail is on disk, 75 otherwise, as an MTA expects.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EX_TEMPFAIL	75

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static char buf[65536];
	char tmp[4096], new[4096], host[256];
	struct timespec ts;
	ssize_t r;
	int fd, dfd;

	if (argc != 2) {
		fprintf(stderr, "usage: mindeliver maildir < mail\n");
		return 64;
	}
	if (gethostname(host, sizeof(host)) == -1)
		memcpy(host, "localhost", sizeof("localhost"));
	host[sizeof(host) - 1] = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	if (snprintf(tmp, sizeof(tmp), "%s/tmp/%lld.M%ldP%ld.%s", argv[1],
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (long)getpid(), host) >=
	    (int)sizeof(tmp) ||
	    snprintf(new, sizeof(new), "%s/new/%lld.M%ldP%ld.%s", argv[1],
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (long)getpid(), host) >=
	    (int)sizeof(new))
		errx(EX_TEMPFAIL, "path too long");

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		err(EX_TEMPFAIL, "%s", tmp);
	for (;;) {
		if ((r = read(STDIN_FILENO, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			unlink(tmp);
			err(EX_TEMPFAIL, "stdin");
		}
		if (r == 0)
			break;
		if (write_all(fd, buf, (size_t)r) == -1) {
			unlink(tmp);
			err(EX_TEMPFAIL, "%s", tmp);
		}
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		unlink(tmp);
		err(EX_TEMPFAIL, "%s", tmp);
	}
	if (link(tmp, new) == -1) {
		unlink(tmp);
		err(EX_TEMPFAIL, "%s", new);
	}
	if (unlink(tmp) == -1)
		warn("%s", tmp);
	if (snprintf(tmp, sizeof(tmp), "%s/new", argv[1]) >= (int)sizeof(tmp))
		errx(EX_TEMPFAIL, "path too long");
	if ((dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(dfd) == -1 || close(dfd) == -1)
		err(EX_TEMPFAIL, "%s", tmp);
	return 0;
}
