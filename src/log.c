/*
 * The append-only log under the root: one event, one line, one write(2).
 *
 *	2026-11-26T18:30:00Z USER TOOL ID TEXT
 *
 * ID is "-" when the event concerns no case. O_APPEND and a single write
 * keep lines from concurrent tools whole; the text is sanitised so that one
 * event is always exactly one line, whatever a report put into it.
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

/* A log line, LF included, is at most this long; longer text is cut. */
#define LOG_LINE	1000

void
vf_timestamp(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (t == 0)
		t = vf_now();
	if (gmtime_r(&t, &tm) == NULL)
		return;
	if (strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

static struct passwd *
passwd_file(uid_t uid)
{
	struct passwd *pw;
	FILE *f;

	if ((f = fopen("/etc/passwd", "re")) == NULL)
		return NULL;
	while ((pw = fgetpwent(f)) != NULL)
		if (pw->pw_uid == uid)
			break;
	(void)fclose(f);
	return pw;
}

/*
 * The real uid names who acted (a setuid wrapper would otherwise hide the
 * person); getlogin() is not used because cron and procmail have no
 * terminal. Characters that would split the log's fields become '_'.
 */
const char *
vf_user(void)
{
	static char name[64];
	struct passwd *pw;
	size_t i;

	/* A process is one user: look it up once, not for every line. */
	if (name[0] != '\0')
		return name;
	/*
	 * /etc/passwd first, read directly: getpwuid goes through NSS
	 * (nsswitch.conf, the nscd socket, loading libnss_files), which cost
	 * vf-parse 0.09-0.14 ms a delivery (doc/BENCH.md). A uid it does not
	 * list (LDAP, sssd) is looked up through NSS as before.
	 */
	if ((pw = passwd_file(getuid())) == NULL)
		pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_name != NULL &&
	    pw->pw_name[0] != '\0' &&
	    strlcpy(name, pw->pw_name, sizeof(name)) < sizeof(name)) {
		for (i = 0; name[i] != '\0'; i++)
			if ((unsigned char)name[i] <= ' ' ||
			    (unsigned char)name[i] >= 0x7f)
				name[i] = '_';
		return name;
	}
	(void)snprintf(name, sizeof(name), "%lu", (unsigned long)getuid());
	return name;
}

/*
 * Append s to b with C0 controls, DEL and the C1 controls (UTF-8 C2 80-9F)
 * turned into spaces: a report's text must not forge a log line or drive
 * the terminal of whoever reads the log. If `word`, spaces become '_' too,
 * so that the field cannot be mistaken for two.
 */
static void
add_clean(struct vf_buf *b, const char *s, int word)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			vf_buf_addc(b, word ? '_' : ' ');
			p++;
		} else if (*p < 0x20 || *p == 0x7f)
			vf_buf_addc(b, word ? '_' : ' ');
		else if (*p == ' ' && word)
			vf_buf_addc(b, '_');
		else
			vf_buf_addc(b, *p);
	}
}

/* Cut b to at most max bytes without splitting a UTF-8 sequence. */
static void
cut_utf8(struct vf_buf *b, size_t max)
{
	size_t n;

	if (b->len <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)b->p[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	b->p[n] = '\0';
}

int
vf_log(struct vf_root *root, const char *tool, const char *id,
    const char *fmt, ...)
{
	struct vf_buf line = { 0 }, text = { 0 };
	char when[32];
	va_list ap;
	ssize_t n;
	int fd, rc = 0, save;

	va_start(ap, fmt);
	vf_buf_vprintf(&text, fmt, ap);
	va_end(ap);

	vf_timestamp(when, sizeof(when), 0);
	vf_buf_adds(&line, when);
	vf_buf_addc(&line, ' ');
	add_clean(&line, vf_user(), 1);
	vf_buf_addc(&line, ' ');
	add_clean(&line, tool != NULL && tool[0] != '\0' ? tool : "vf", 1);
	vf_buf_addc(&line, ' ');
	add_clean(&line, id != NULL && id[0] != '\0' ? id : "-", 1);
	vf_buf_addc(&line, ' ');
	add_clean(&line, text.p, 0);
	vf_buf_free(&text);
	cut_utf8(&line, LOG_LINE - 1);
	vf_buf_addc(&line, '\n');

	/*
	 * Not fsynced: the case file carries its own history durably; the
	 * log is the index of it, and an fsync per line would make a filter
	 * over many cases crawl.
	 */
	fd = vf_openat(root->fd, "log", O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd == -1) {
		rc = vf_errno_exit(errno);
		warn("%s/log", root->path);
		vf_buf_free(&line);
		return rc;
	}
	do
		n = write(fd, line.p, line.len);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (size_t)n != line.len) {
		if (n != -1)
			errno = ENOSPC;
		rc = vf_errno_exit(errno);
		warn("%s/log", root->path);
	}
	save = errno;
	if (close(fd) == -1 && rc == 0) {
		rc = vf_errno_exit(errno);
		warn("%s/log", root->path);
	} else
		errno = save;
	vf_buf_free(&line);
	return rc;
}
