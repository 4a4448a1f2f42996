/*
 * Case identifiers: "YYYY-NNNNN", the UTC year and a counter that starts at
 * 1 each year, at least five digits and more only when needed, so that an
 * id is short enough to read out on the phone and has one spelling only.
 *
 * The counter lives in ROOT/.seq as "YEAR NUMBER\n". It is changed under an
 * exclusive flock(2) on ROOT/.lock/.seq (a file that is never replaced, so
 * the lock is always on the same inode), by writing ROOT/.seq.tmp, fsyncing
 * it, renaming it over .seq and fsyncing the root: a crash at any point
 * leaves either the old or the new number, and a number is handed out only
 * once it is durable, so no number is ever given twice.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"

#define ID_MAXDIGITS	9		/* counter at most 999,999,999 */
#define SEQ_MAX		999999999LL

/*
 * Length of a case id at s (not NUL-terminated), 0 if none: 4 digits, '-',
 * 5 to 9 digits, not followed by another digit; the counter is not zero and
 * has a leading zero only when it is five digits long.
 */
static size_t
id_span(const char *s)
{
	size_t i, n;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[4] != '-')
		return 0;
	for (n = 0; n <= ID_MAXDIGITS && s[5 + n] >= '0' && s[5 + n] <= '9';
	    n++)
		;
	if (n < 5 || n > ID_MAXDIGITS)
		return 0;
	if (n > 5 && s[5] == '0')
		return 0;
	if (strspn(s + 5, "0") >= n)
		return 0;
	return 5 + n;
}

int
vf_id_valid(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = id_span(s);
	return n > 0 && s[n] == '\0';
}

static int
copy_id(const char *s, size_t n, char *id, size_t size)
{
	if (n + 1 > size)
		return 0;
	memcpy(id, s, n);
	id[n] = '\0';
	return 1;
}

/*
 * Each position is tried against patterns of bounded length, so the scan
 * is linear in the text. id_span reads at most 15 bytes and stops at the
 * first byte that does not fit, which is the NUL at the latest.
 */
int
vf_id_scan(const char *text, char *id, size_t size)
{
	const char *p;
	size_t n;

	if (text == NULL)
		return 0;
	for (p = text; *p != '\0'; p++) {
		if ((p[0] == 'V' || p[0] == 'v') &&
		    (p[1] == 'F' || p[1] == 'f')) {
			const char *q = NULL;

			if (p[2] == '#')
				q = p + 3;
			/* FULLWIDTH NUMBER SIGN, as typed in Japanese. */
			else if (strncmp(p + 2, "\xef\xbc\x83", 3) == 0)
				q = p + 5;
			else if (p[2] == '.' && p > text && p[-1] == '<')
				q = p + 3;
			if (q == NULL || (n = id_span(q)) == 0)
				continue;
			/* A message id: <vf.ID.anything@host> or <vf.ID@host>. */
			if (p[2] == '.' && q[n] != '.' && q[n] != '@')
				continue;
			if (copy_id(q, n, id, size))
				return 1;
			return 0;
		}
	}
	return 0;
}

/*
 * Wait for an exclusive lock as vf_lock does ($VF_LOCK_WAIT seconds, 30 by
 * default): the holder only reads and writes a few bytes.
 */
static int
lock_wait(int fd)
{
	const char *s;
	long long wait = 30, tries;
	struct timespec ts = { 0, 100000000L };

	if ((s = getenv("VF_LOCK_WAIT")) != NULL && s[0] != '\0') {
		const char *e;
		long long v = strtonum(s, 0, 3600, &e);

		if (e == NULL)
			wait = v;
	}
	for (tries = wait * 10; ; tries--) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (tries <= 0) {
			errno = EWOULDBLOCK;
			return -1;
		}
		(void)nanosleep(&ts, NULL);
	}
}

static int
fail(struct vf_root *root, const char *what)
{
	int rc = vf_errno_exit(errno);

	warn("%s/%s", root->path, what);
	return rc;
}

/* Read "YEAR NUMBER\n"; 0, 1 when the file holds no counter yet, -1 bad. */
static int
seq_read(int fd, long long *year, long long *num)
{
	char buf[64], *sp;
	const char *e;
	ssize_t n;
	size_t len = 0;

	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -2;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			return -1;
	}
	buf[len] = '\0';
	if (len == 0)
		return 1;
	if (buf[len - 1] != '\n' || (sp = strchr(buf, ' ')) == NULL)
		return -1;
	buf[len - 1] = '\0';
	*sp = '\0';
	*year = strtonum(buf, 1970, 9999, &e);
	if (e != NULL || strlen(buf) != 4)
		return -1;
	if (sp[1] < '0' || sp[1] > '9' || (sp[1] == '0' && sp[2] != '\0'))
		return -1;
	*num = strtonum(sp + 1, 0, SEQ_MAX, &e);
	if (e != NULL)
		return -1;
	return 0;
}

/* Store the counter durably: tmp, fsync, rename, fsync the root. */
static int
seq_write(struct vf_root *root, long long year, long long num)
{
	char buf[64];
	int fd, n, save;

	n = snprintf(buf, sizeof(buf), "%04lld %lld\n", year, num);
	if (n < 0 || (size_t)n >= sizeof(buf))
		errx(EX_SOFTWARE, "vf_id_new: counter too long");
	fd = openat(root->fd, ".seq.tmp",
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		return fail(root, ".seq.tmp");
	if (vf_write_all(fd, buf, (size_t)n) == -1 || fsync(fd) == -1) {
		save = errno;
		(void)close(fd);
		(void)unlinkat(root->fd, ".seq.tmp", 0);
		errno = save;
		return fail(root, ".seq.tmp");
	}
	if (close(fd) == -1) {
		save = errno;
		(void)unlinkat(root->fd, ".seq.tmp", 0);
		errno = save;
		return fail(root, ".seq.tmp");
	}
	if (renameat(root->fd, ".seq.tmp", root->fd, ".seq") == -1) {
		save = errno;
		(void)unlinkat(root->fd, ".seq.tmp", 0);
		errno = save;
		return fail(root, ".seq");
	}
	if (fsync(root->fd) == -1)
		return fail(root, ".");
	return 0;
}

/*
 * Belt and braces against a lost or restored .seq: an id whose file already
 * sits in some state's new/ is skipped. (Looking through every cur/ would
 * cost a directory scan per mail; vf_deliver's O_EXCL link catches the
 * rest within one state.)
 */
static int
id_taken(struct vf_root *root, const char *id)
{
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; vf_states[i] != NULL; i++) {
		if (snprintf(path, sizeof(path), "%s/new/%s", vf_states[i],
		    id) >= (int)sizeof(path))
			continue;
		if (fstatat(root->fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
			return 1;
	}
	return 0;
}

int
vf_id_new(struct vf_root *root, char *id, size_t size)
{
	struct tm tm;
	time_t now;
	long long year, cur, num = 0;
	int lk, fd, r, rc, skipped;

	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL) {
		warnx("cannot tell the year");
		return EX_OSERR;
	}
	cur = (long long)tm.tm_year + 1900;
	year = cur;

	if (mkdirat(root->fd, ".lock", 0700) == -1 && errno != EEXIST)
		return fail(root, ".lock");
	lk = openat(root->fd, ".lock/.seq",
	    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lk == -1)
		return fail(root, ".lock/.seq");
	if (lock_wait(lk) == -1) {
		rc = errno == EWOULDBLOCK ? EX_TEMPFAIL : vf_errno_exit(errno);
		warn("%s/.lock/.seq", root->path);
		(void)close(lk);
		return rc;
	}

	fd = openat(root->fd, ".seq", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno != ENOENT) {
		rc = fail(root, ".seq");
		goto done;
	}
	r = 1;
	if (fd != -1) {
		r = seq_read(fd, &year, &num);
		(void)close(fd);
	}
	if (r == -2) {
		rc = fail(root, ".seq");
		goto done;
	}
	if (r == -1) {
		/*
		 * Guessing could give a number twice; the mail waits in the
		 * MTA's queue until someone repairs the file.
		 */
		warnx("%s/.seq: malformed counter (want \"YEAR NUMBER\")",
		    root->path);
		rc = EX_TEMPFAIL;
		goto done;
	}
	if (r == 1 || year < cur) {
		/* A new year starts at 1; a clock set back keeps counting. */
		year = cur;
		num = 0;
	}
	for (skipped = 0;; skipped++) {
		if (num >= SEQ_MAX) {
			warnx("%s/.seq: counter exhausted for %lld",
			    root->path, year);
			rc = EX_SOFTWARE;
			goto done;
		}
		num++;
		if (snprintf(id, size, "%04lld-%05lld", year, num) >=
		    (int)size) {
			warnx("vf_id_new: buffer too small");
			rc = EX_SOFTWARE;
			goto done;
		}
		if (skipped >= 1000 || !id_taken(root, id))
			break;
		warnx("%s: case %s exists already; was .seq reset?",
		    root->path, id);
	}
	rc = seq_write(root, year, num);
done:
	if (rc != 0 && size > 0)
		id[0] = '\0';
	(void)close(lk);
	return rc;
}
