/*
 * What the office sent: ROOT/.sent/HASH for every Message-ID vf-notify
 * gave a mail, HASH being the SHA-256 (64 lowercase hex digits) of the
 * Message-ID without its angle brackets. The file holds one line,
 *
 *	ID ROLE KIND
 *
 * the case, the party the mail went to (reporter, coordinator, vendor,
 * operator) and the notice's kind. A reply names such a Message-ID in
 * In-Reply-To or References, and only that threads it to a case and says
 * whom it answers: the id is random and no outsider has seen it, where a
 * case number in a subject can be guessed (they are sequential).
 *
 * An entry is written before its mail is in the outbox (tmp file, fsync,
 * rename, fsync .sent/), so a reply can never come to a mail the office
 * has no record of; an entry for a mail that was never sent harms nobody.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define SENT_LINE	160

/* The word [A-Za-z0-9-]+, for role and kind. */
static int
word_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* ".sent/HASH" of a Message-ID, with or without its angle brackets. */
static int
sent_rel(const char *msgid, char *rel, size_t size)
{
	char digest[SHA256_DIGEST_STRING_LENGTH];
	const char *s = msgid, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '<')
		s++;
	for (e = s; *e != '\0' && *e != '>' && *e != ' ' && *e != '\t'; e++)
		;
	if (e == s)
		return -1;
	SHA256Data((const uint8_t *)s, (size_t)(e - s), digest);
	if (snprintf(rel, size, ".sent/%s", digest) >= (int)size)
		return -1;
	return 0;
}

int
vf_sent_put(struct vf_root *root, const char *msgid, const char *id,
    const char *role, const char *kind)
{
	char rel[128], tmp[160], line[SENT_LINE];
	int fd, n, rc, e;

	if (!vf_id_valid(id) || !word_ok(role) || !word_ok(kind) ||
	    sent_rel(msgid, rel, sizeof(rel)) == -1) {
		warnx("vf_sent_put: bad message id, case, role or kind");
		return EX_SOFTWARE;
	}
	n = snprintf(line, sizeof(line), "%s %s %s\n", id, role, kind);
	if (n < 0 || n >= (int)sizeof(line))
		return EX_SOFTWARE;
	if (mkdirat(root->fd, ".sent", 0700) == -1 && errno != EEXIST)
		goto fail;
	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", rel, (long)getpid()) >=
	    (int)sizeof(tmp))
		return EX_SOFTWARE;
	fd = openat(root->fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		goto fail;
	if (vf_write_all(fd, line, (size_t)n) == -1 || fsync(fd) == -1) {
		e = errno;
		(void)close(fd);
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		goto fail;
	}
	if (close(fd) == -1 || renameat(root->fd, tmp, root->fd, rel) == -1) {
		e = errno;
		(void)unlinkat(root->fd, tmp, 0);
		errno = e;
		goto fail;
	}
	if (vf_fsync_dir(root, ".sent") == -1)
		goto fail;
	return 0;
fail:
	rc = vf_errno_exit(errno);
	warn("%s/.sent", root->path);
	return rc;
}

/*
 * Take back a Message-ID no mail and no case carries: a notice that
 * failed after step 1 (src/notice.c) leaves the tree as it was.
 */
int
vf_sent_drop(struct vf_root *root, const char *msgid)
{
	char rel[128];

	if (sent_rel(msgid, rel, sizeof(rel)) == -1)
		return EX_SOFTWARE;
	if (unlinkat(root->fd, rel, 0) == -1 && errno != ENOENT) {
		warn("%s/%s", root->path, rel);
		return vf_errno_exit(errno);
	}
	(void)vf_fsync_dir(root, ".sent");
	return 0;
}

int
vf_sent_get(struct vf_root *root, const char *msgid, char *id, size_t idsize,
    char *role, size_t rolesize, char *kind, size_t kindsize)
{
	char rel[128], line[SENT_LINE + 1], *p, *f[3];
	ssize_t n;
	int fd, i;

	if (sent_rel(msgid, rel, sizeof(rel)) == -1)
		return EX_NOINPUT;
	if ((fd = openat(root->fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return EX_NOINPUT;
		warn("%s/%s", root->path, rel);
		return vf_errno_exit(errno);
	}
	n = read(fd, line, sizeof(line) - 1);
	(void)close(fd);
	if (n <= 0 || line[n - 1] != '\n')
		return EX_NOINPUT;
	line[n - 1] = '\0';
	p = line;
	for (i = 0; i < 3; i++)
		if ((f[i] = strsep(&p, " ")) == NULL)
			return EX_NOINPUT;
	if (p != NULL || !vf_id_valid(f[0]) || !word_ok(f[1]) ||
	    !word_ok(f[2]) || strlcpy(id, f[0], idsize) >= idsize ||
	    strlcpy(role, f[1], rolesize) >= rolesize ||
	    strlcpy(kind, f[2], kindsize) >= kindsize)
		return EX_NOINPUT;
	return 0;
}
