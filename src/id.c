/*
 * Case identifiers: "YYYY-NNNNN", the UTC year and a counter that starts at
 * 1 each year, at least five digits and more only when needed, so that an
 * id is short enough to read out on the phone and has one spelling only.
 *
 * A number is taken by creating its lock file, ROOT/.lock/ID, with O_EXCL:
 * the kernel lets only one process create a name, so no two deliveries get
 * the same id, whatever the lock or the hint below say. The .lock
 * directory is then fsynced once, so that the reservation is on disk
 * before the case can be (the case is linked into new/ and that directory
 * fsynced only later): after a crash every case on disk has its
 * reservation on disk too, and is never handed out again. A crash between
 * the two leaves a reservation without a case, a gap in the numbering and
 * nothing worse. The same file is the case's lock later (vf_lock opens it
 * without O_EXCL), so lock files must stay in place.
 *
 * ROOT/.seq ("YEAR NUMBER\n", the last number handed out) is only a hint of
 * where to start, changed in place under its own flock(2) without fsync or
 * rename. A hint that is stale, torn, malformed or lost after a crash
 * costs a few O_EXCL attempts that fail with EEXIST, and at worst one scan
 * of .lock/ for the highest number of the year; never a duplicate id.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"

static int sync_start(struct vf_root *);

#define ID_MAXDIGITS	9		/* counter at most 999,999,999 */
#define SEQ_MAX		999999999LL
#define TRIES		64		/* EEXISTs in a row before a scan */
#define TRIES_MAX	4096		/* in all, then exit 75 */

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
 * The case tag in the forms the office writes, "[VF#ID]" in every subject
 * (case.c, mailout.c) and "【VF#ID】" as the issue names it for Japanese
 * mailers: each opening bracket with its own closing one, "VF" in capitals.
 * A bare number, "VF#ID" without brackets, a full-width number sign or a
 * Message-ID is not a tag: a follow-up threads by this or by a Message-ID
 * the office recorded in .sent (sent.c), nothing else. Each position is
 * tried against patterns of bounded length, so the scan is linear in the
 * text; id_span reads at most 15 bytes and stops at the first byte that
 * does not fit, which is the NUL at the latest.
 */
int
vf_id_scan(const char *text, char *id, size_t size)
{
	const char *p, *q, *close;
	size_t n, open, clen;

	if (text == NULL)
		return 0;
	for (p = text; *p != '\0'; p++) {
		if (p[0] == '[') {
			open = 1;
			close = "]";
		} else if (strncmp(p, "\xe3\x80\x90", 3) == 0) {	/* 【 */
			open = 3;
			close = "\xe3\x80\x91";			/* 】 */
		} else
			continue;
		if (strncmp(p + open, "VF#", 3) != 0)
			continue;
		q = p + open + 3;
		clen = strlen(close);
		if ((n = id_span(q)) == 0 || strncmp(q + n, close, clen) != 0)
			continue;
		return copy_id(q, n, id, size);
	}
	return 0;
}

/*
 * Wait for an exclusive lock as vf_lock does ($VF_LOCK_WAIT seconds, 30 by
 * default): the holder only reads and writes a few bytes. The lock keeps
 * the hint in step with the numbers handed out and spares concurrent
 * deliveries from racing through the same EEXISTs; the O_EXCL create is
 * what makes a number unique, with or without it.
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

/*
 * Read the hint "YEAR NUMBER\n": 0 with its values, 1 when the file is
 * empty, -1 when it is malformed (torn by a crash, edited), -2 on a read
 * error.
 */
static int
hint_read(int fd, long long *year, long long *num)
{
	char buf[64], *sp;
	const char *e;
	ssize_t n;
	size_t len;

	while ((n = pread(fd, buf, sizeof(buf) - 1, 0)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return -2;
	len = (size_t)n;
	if (len == 0)
		return 1;
	if (len == sizeof(buf) - 1)
		return -1;
	buf[len] = '\0';
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

/*
 * Update the hint in place. Not fsynced and not checked beyond the call:
 * a hint that did not reach the disk only makes a later delivery skip the
 * numbers reserved since.
 */
static void
hint_write(int fd, long long year, long long num)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "%04lld %lld\n", year, num);
	if (n < 0 || (size_t)n >= sizeof(buf))
		errx(EX_SOFTWARE, "vf_id_new: counter too long");
	if (pwrite(fd, buf, (size_t)n, 0) == n)
		(void)ftruncate(fd, n);
}

/*
 * The highest number of year reserved in .lock/, 0 if none; -1 with errno
 * on error. Only needed when the hint is lost or far behind: one pass over
 * the directory.
 */
static long long
highest(struct vf_root *root, long long year)
{
	struct dirent *de;
	DIR *d;
	char pfx[8];
	const char *e;
	long long max = 0, v;
	int fd;

	if (snprintf(pfx, sizeof(pfx), "%04lld-", year) != 5)
		errx(EX_SOFTWARE, "vf_id_new: bad year");
	fd = vf_openat(root->fd, ".lock", O_RDONLY | O_DIRECTORY, 0);
	if (fd == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		(void)close(fd);
		return -1;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, pfx, 5) != 0 ||
		    !vf_id_valid(de->d_name))
			continue;
		v = strtonum(de->d_name + 5, 1, SEQ_MAX, &e);
		if (e == NULL && v > max)
			max = v;
		errno = 0;
	}
	if (errno != 0) {
		v = errno;
		(void)closedir(d);
		errno = (int)v;
		return -1;
	}
	(void)closedir(d);
	return max;
}

/* Reserve id: 0 done, 1 taken already, -1 with errno. */
static int
reserve(struct vf_root *root, const char *id)
{
	char rel[64];
	int fd;

	if (snprintf(rel, sizeof(rel), ".lock/%s", id) >= (int)sizeof(rel))
		errx(EX_SOFTWARE, "vf_id_new: name too long");
	fd = vf_openat(root->fd, rel, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd == -1)
		return errno == EEXIST ? 1 : -1;
	/* Nothing was written: close cannot lose anything here. */
	(void)close(fd);
	return 0;
}

/*
 * Belt and braces for a tree whose cases have no reservation (made before
 * reservations existed, or with .lock/ emptied by hand): an id whose file
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
	long long year, cur, num = 0, m;
	int hf, r, rc = 0, tries = 0, scanned = 0;

	if (size > 0)
		id[0] = '\0';
	now = vf_now();
	if (gmtime_r(&now, &tm) == NULL) {
		warnx("cannot tell the year");
		return EX_OSERR;
	}
	cur = (long long)tm.tm_year + 1900;
	year = cur;
	if (size < 11) {
		warnx("vf_id_new: buffer too small");
		return EX_SOFTWARE;
	}

	if (mkdirat(root->fd, ".lock", 0700) == 0) {
		/* Reservations count only once .lock/ itself is on disk. */
		if (fsync(root->fd) == -1)
			return fail(root, ".");
	} else if (errno != EEXIST)
		return fail(root, ".lock");
	hf = vf_openat(root->fd, ".seq", O_RDWR | O_CREAT, 0600);
	if (hf == -1)
		return fail(root, ".seq");
	if (lock_wait(hf) == -1) {
		rc = errno == EWOULDBLOCK ? EX_TEMPFAIL : vf_errno_exit(errno);
		warn("%s/.seq", root->path);
		(void)close(hf);
		return rc;
	}
	r = hint_read(hf, &year, &num);
	if (r == -2) {
		rc = fail(root, ".seq");
		goto done;
	}
	if (r != 0) {
		/* No hint, or a broken one: start after the highest taken. */
		if (r == -1)
			warnx("%s/.seq: malformed hint (want \"YEAR NUMBER\"); "
			    "rewriting it", root->path);
		year = cur;
		if ((num = highest(root, year)) == -1) {
			rc = fail(root, ".lock");
			goto done;
		}
		scanned = 1;
	} else if (year < cur) {
		/* A new year starts at 1; a clock set back keeps counting. */
		year = cur;
		num = 0;
	}
	for (;;) {
		if (num >= SEQ_MAX) {
			warnx("%s: case numbers exhausted for %lld",
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
		if ((r = reserve(root, id)) == -1) {
			rc = fail(root, ".lock");
			goto done;
		}
		/* A case without a reservation keeps the one just made. */
		if (r == 0 && !id_taken(root, id))
			break;
		/*
		 * A stale hint: a few steps forward, then one scan instead
		 * of stepping through a whole year of cases.
		 */
		if (++tries == TRIES && !scanned) {
			if ((m = highest(root, year)) == -1) {
				rc = fail(root, ".lock");
				goto done;
			}
			if (m > num)
				num = m;
			scanned = 1;
		}
		if (tries >= TRIES_MAX) {
			warnx("%s: no free case number after %d tries",
			    root->path, tries);
			rc = EX_TEMPFAIL;
			goto done;
		}
	}
	hint_write(hf, year, num);
done:
	/* Closing drops the lock: the fsync below need not hold others up. */
	(void)close(hf);
	if (rc == 0 && (rc = sync_start(root)) != 0)
		rc = fail(root, ".lock");
	if (rc != 0 && size > 0)
		id[0] = '\0';
	return rc;
}

/*
 * The reservation's fsync runs in a thread of its own, so that it overlaps
 * what a delivery does next (gpg encrypting the original or decrypting
 * the report, building and writing the case; about 0.3-0.5 ms of disk
 * wait, doc/BENCH.md). The
 * promise is unchanged: vf_deliverv calls vf_id_settle before it links a
 * case into new/, and a failed fsync fails the delivery there, so no case
 * is ever visible before its number's reservation is on disk. Without a
 * thread the fsync is done in line, its failure said there as well.
 */
static struct {
	struct vf_bg	 bg;
	int		 fd;
	int		 err;		/* errno of the fsync, 0 if it held */
	char		 root[PATH_MAX];
} pend = { .fd = -1 };

static void
sync_run(void *arg)
{
	(void)arg;
	pend.err = fsync(pend.fd) == -1 ? errno : 0;
}

static int
sync_start(struct vf_root *root)
{
	if (vf_id_settle() != 0)
		return -1;
	pend.fd = vf_openat(root->fd, ".lock", O_RDONLY | O_DIRECTORY, 0);
	if (pend.fd == -1)
		return -1;
	(void)strlcpy(pend.root, root->path, sizeof(pend.root));
	pend.err = 0;
	vf_bg_start(&pend.bg, sync_run, NULL);
	return 0;
}

int
vf_id_settle(void)
{
	int e;

	if (pend.fd == -1)
		return 0;
	vf_bg_wait(&pend.bg);
	(void)close(pend.fd);
	pend.fd = -1;
	if ((e = pend.err) != 0) {
		pend.err = 0;
		warnc(e, "%s/.lock: cannot fsync the case number's "
		    "reservation; the MTA will retry", pend.root);
		errno = e;
		return -1;
	}
	return 0;
}

