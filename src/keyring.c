/*
 * What gpg leaves of a deleted key in the office keyring.
 *
 * gpg 2.2 deletes a key from a keybox (pubring.kbx) by setting the type
 * byte of its blob to 0 ("empty") in place: the key packets, user IDs
 * (the reporter's name and address) included, stay in the file until a
 * "compress" run, which gpg makes at most every three hours and which
 * keeps the old file as pubring.kbx~. A key imported and deleted this way
 * is still readable in the keyring for hours, and in the backup after that
 * (checked: grep finds the user ID in both files after --delete-keys).
 *
 * So after gpg deleted a key (vf_gpg_delete_key), vf_keyring_scrub
 * overwrites with zeros the bytes of every blob gpg marked empty, and
 * removes gpg's backups of the keyrings. Only bytes gpg itself declared
 * dead are touched: a blob of type 0 is skipped by every reader of the
 * format whatever it holds, so the file stays what gpg wrote. gpg may
 * rewrite the file meanwhile (a compress or an import writes a new file
 * and renames it): zeros then land in the old file, harmless, and the new
 * one holds no deleted blob.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define KBX_MAX		(1024L * 1024 * 1024)

/* gpg's home, as gpg itself finds it (GNUPGHOME, else ~/.gnupg). */
int
vf_gpg_homedir(char *dir, size_t size)
{
	char *argv[] = { "gpgconf", "--list-dirs", "homedir", NULL };
	struct vf_buf out = { 0 };
	struct vf_io io[1];
	const char *s;
	int rc, ws;

	memset(io, 0, sizeof(io));
	io[0].fd = 1;
	io[0].out = &out;
	io[0].max = 4096;
	if ((s = getenv("VF_GPGCONF")) != NULL && *s != '\0')
		argv[0] = (char *)s;
	rc = vf_run(argv, io, 1, &ws);
	if (rc == 0 && (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || io[0].over ||
	    out.len == 0))
		rc = EX_UNAVAILABLE;
	if (rc == 0) {
		while (out.len > 0 && out.p[out.len - 1] == '\n')
			out.p[--out.len] = '\0';
		/* gpgconf percent-escapes a few characters: refuse them. */
		if (out.p[0] != '/' || strchr(out.p, '%') != NULL ||
		    strlcpy(dir, out.p, size) >= size)
			rc = EX_CONFIG;
	}
	vf_buf_free(&out);
	return rc;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Zero the dead blobs of one keybox; how many were zeroed, or -1. */
static long
scrub_kbx(int dirfd, const char *name)
{
	struct stat st;
	unsigned char *b;
	static const unsigned char zero[4096];
	size_t off, len, at, n;
	ssize_t r;
	long count = 0;
	int fd, dirty;

	if ((fd = openat(dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) ==
	    -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > KBX_MAX) {
		(void)close(fd);
		return -1;
	}
	b = vf_malloc((size_t)st.st_size + 1);
	for (off = 0; off < (size_t)st.st_size; off += (size_t)r)
		if ((r = pread(fd, b + off, (size_t)st.st_size - off,
		    (off_t)off)) <= 0) {
			if (r == -1 && errno == EINTR) {
				r = 0;
				continue;
			}
			break;
		}
	len = off;
	for (off = 0; off + 5 <= len;) {
		n = be32(b + off);
		if (n < 5 || off + n > len)
			break;	/* not a keybox we understand: leave it */
		if (b[off + 4] == 0) {
			dirty = 0;
			for (at = off + 5; at < off + n; at++)
				if (b[at] != 0)
					dirty = 1;
			for (at = off + 5; dirty && at < off + n; at += (size_t)r) {
				size_t w = off + n - at;

				if (w > sizeof(zero))
					w = sizeof(zero);
				if ((r = pwrite(fd, zero, w, (off_t)at)) <= 0) {
					free(b);
					(void)close(fd);
					return -1;
				}
			}
			count += dirty;
		}
		off += n;
	}
	free(b);
	if ((count > 0 && fsync(fd) == -1) || close(fd) == -1)
		return -1;
	return count;
}

int
vf_keyring_scrub(long *zeroed)
{
	static const char *const backups[] = { "pubring.kbx~", "pubring.gpg~",
	    NULL };
	char home[4096];
	long n;
	size_t i;
	int dirfd, rc;

	*zeroed = 0;
	if ((rc = vf_gpg_homedir(home, sizeof(home))) != 0) {
		warnx("cannot find gpg's home directory (gpgconf)");
		return rc;
	}
	if ((dirfd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", home);
		return vf_errno_exit(errno);
	}
	if ((n = scrub_kbx(dirfd, "pubring.kbx")) == -1) {
		warn("%s/pubring.kbx", home);
		(void)close(dirfd);
		return vf_errno_exit(errno);
	}
	*zeroed = n;
	for (i = 0; backups[i] != NULL; i++)
		if (unlinkat(dirfd, backups[i], 0) == -1 && errno != ENOENT) {
			warn("%s/%s", home, backups[i]);
			rc = vf_errno_exit(errno);
		}
	if (rc == 0 && fsync(dirfd) == -1)
		rc = vf_errno_exit(errno);
	(void)close(dirfd);
	return rc;
}
