/*
 * The known-vulnerability list: every regular file in ROOT/known/ whose
 * name does not start with '.' (a converter's output being written is
 * ".nvd" until it is moved into place), one entry a line, six TAB-separated
 * columns ID PRODUCT VENDOR VERSIONS CWE URL, '-' for an empty column, '#'
 * lines and empty lines ignored (vf-case(5)). A line that is none of these
 * is an error with "known/FILE:LINE: reason": a list read half is a
 * duplicate check that silently misses, so the tool stops (EX_CONFIG).
 * Entries keep the keys they are compared by: vf_fold_key of product and
 * vendor, the canonical URL, the versions as intervals.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define KNOWN_FILE_MAX	((size_t)1 << 30)	/* one list file, bytes */

static int
bad(char *err, size_t errlen, const char *file, size_t line, const char *why,
    const char *what)
{
	(void)snprintf(err, errlen, "%s:%zu: %s%s%.60s%s", file, line, why,
	    what != NULL ? " \"" : "", what != NULL ? what : "",
	    what != NULL ? "\"" : "");
	return EX_CONFIG;
}

/*
 * *s (n bytes with its NUL, or NULL) moved to *at in the entry's block,
 * and *at past it; *s freed unless it is own (a buffer on the stack).
 */
static void
pack(char **at, char **s, size_t n, const char *own)
{
	if (*s == NULL)
		return;
	memcpy(*at, *s, n);
	if (*s != own)
		free(*s);
	*s = *at;
	*at += n;
}

/* "CWE-79": 79; 0 when s is not a CWE identifier. */
long
vf_cwe_number(const char *s)
{
	long n = 0;
	size_t i;

	if (strncasecmp(s, "CWE-", 4) != 0 || s[4] == '0')
		return 0;
	for (i = 4; s[i] >= '0' && s[i] <= '9' && i < 12; i++)
		n = n * 10 + (s[i] - '0');
	return i == 4 || s[i] != '\0' ? 0 : n;
}

static int
entry(struct vf_known *k, char *s, const char *file, size_t line, char *err,
    size_t errlen)
{
	struct vf_known_entry e;
	char *col[6], *rest = s, pb[256], vb[256], *at;
	size_t n = 0, i, lid, lp, lv, lu;

	/* strsep(&rest, "\t") by memchr: strsep's set made anew for every
	   column was a tenth of the list's parse. s holds no NUL. */
	while (n < 6 && rest != NULL) {
		col[n++] = rest;
		if ((rest = strchr(rest, '\t')) != NULL)
			*rest++ = '\0';
	}
	if (n < 6 || rest != NULL)
		return bad(err, errlen, file, line, n < 6 ? "fewer than 6 "
		    "TAB-separated columns (ID PRODUCT VENDOR VERSIONS CWE URL; "
		    "'-' for an empty one)" : "more than 6 TAB-separated "
		    "columns", NULL);
	for (i = 0; i < 6; i++)
		if (col[i][0] == '\0')
			return bad(err, errlen, file, line, "an empty column "
			    "(write '-')", NULL);
	memset(&e, 0, sizeof(e));
	if (strcmp(col[0], "-") == 0 || strpbrk(col[0], " \t") != NULL)
		return bad(err, errlen, file, line, "the ID must be one token "
		    "without white space", col[0]);
	if (strcmp(col[4], "-") != 0 && (e.cwe = vf_cwe_number(col[4])) == 0)
		return bad(err, errlen, file, line, "not a CWE identifier "
		    "(CWE-NNN or '-')", col[4]);
	if (strcmp(col[1], "-") == 0 && strcmp(col[5], "-") == 0)
		return bad(err, errlen, file, line, "neither a product nor a "
		    "URL: nothing to compare a report with", NULL);
	if (strcmp(col[1], "-") != 0) {
		e.pkey = vf_fold_key_buf(col[1], pb, sizeof(pb));
		if (e.pkey == NULL || e.pkey[0] == '\0') {
			if (e.pkey != pb)
				free(e.pkey);
			return bad(err, errlen, file, line, "a product name "
			    "without letters or digits", col[1]);
		}
	}
	if (strcmp(col[5], "-") != 0 &&
	    (e.url = vf_url_canon(col[5], NULL)) == NULL) {
		if (e.pkey != pb)
			free(e.pkey);
		return bad(err, errlen, file, line, "not a URL with a scheme "
		    "and a host", col[5]);
	}
	if (strcmp(col[2], "-") != 0 && (e.vkey = vf_fold_key_buf(col[2], vb,
	    sizeof(vb))) != NULL && e.vkey[0] == '\0') {
		if (e.vkey != vb)
			free(e.vkey);
		e.vkey = NULL;
	}
	vf_versions_parse(&e.ver, col[3]);
	/*
	 * The strings in one block, e.id first (vf_known_free frees it
	 * alone): an entry a line, and four allocations each, and four
	 * frees at the exit, were a fifth of the list's reading.
	 */
	lid = strlen(col[0]) + 1;
	lp = e.pkey != NULL ? strlen(e.pkey) + 1 : 0;
	lv = e.vkey != NULL ? strlen(e.vkey) + 1 : 0;
	lu = e.url != NULL ? strlen(e.url) + 1 : 0;
	at = vf_malloc(lid + lp + lv + lu);
	memcpy(at, col[0], lid);
	e.id = at;
	at += lid;
	pack(&at, &e.pkey, lp, pb);
	pack(&at, &e.vkey, lv, vb);
	pack(&at, &e.url, lu, NULL);
	e.file = file;
	e.line = line;
	/* Grown by powers of two: an entry a line of the list. */
	if ((k->n & (k->n - 1)) == 0)
		k->e = vf_reallocarray(k->e, k->n == 0 ? 1 : 2 * k->n,
		    sizeof(*k->e));
	k->e[k->n++] = e;
	return 0;
}

/*
 * Does s[0..n) hold a control character (but TAB) or DEL, and a byte
 * past ASCII? Eight bytes a step by the per-byte exact tests of "Bit
 * Twiddling Hacks" (a byte's test never carries into the next): every
 * byte of the list passes here.
 */
static void
line_bytes(const char *s, size_t n, int *ctl, int *high)
{
	const uint64_t ones = 0x0101010101010101ULL,
	    low7 = 0x7f7f7f7f7f7f7f7fULL, hb = 0x8080808080808080ULL;
	uint64_t x, x7, t, c = 0, h = 0;
	size_t i = 0;
	unsigned char b;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, s + i, 8);
		x7 = x & low7;
		t = x ^ ones * '\t';
		h |= x;
		/* under 0x20 and not TAB, or 0x7f (x7 + 1 carries into
		   bit 7 of its own byte only) */
		c |= (((ones * (127 + 0x20) - x7) & (((t & low7) + low7) |
		    t)) | (x7 + ones)) & ~x;
	}
	*ctl = (c & hb) != 0;
	*high = (h & hb) != 0;
	for (; i < n; i++) {
		b = (unsigned char)s[i];
		*high |= b >= 0x80;
		*ctl |= (b < 0x20 && b != '\t') || b == 0x7f;
	}
}

int
vf_known_parse(struct vf_known *k, const char *file, const char *text,
    size_t len, char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *nl, *name, *q;
	struct vf_buf line = { 0 };
	size_t lineno = 0;
	int rc = 0, ctl, high;

	/* The entries point at the file name: keep one copy per file. */
	k->files = vf_reallocarray(k->files, k->nfiles + 1, sizeof(*k->files));
	name = k->files[k->nfiles++] = vf_strdup(file);
	for (; p < end && rc == 0; p = nl < end ? nl + 1 : end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p || *p == '#')
			continue;
		/*
		 * One pass for both checks: UTF-8 is only asked of a line
		 * with a byte past ASCII, and a control character is told
		 * after it, as before (a line with both is "not UTF-8").
		 */
		line_bytes(p, (size_t)(nl - p), &ctl, &high);
		if (high && !vf_utf8_valid(p, (size_t)(nl - p))) {
			rc = bad(err, errlen, name, lineno, "not UTF-8", NULL);
			break;
		}
		if (ctl) {
			rc = bad(err, errlen, name, lineno,
			    "a control character", NULL);
			break;
		}
		/* A line of spaces is an empty one (no NUL: a control). */
		for (q = p; q < nl && *q == ' '; q++)
			;
		if (q == nl)
			continue;
		/* One buffer for every line: entry cuts it in place. */
		line.len = 0;
		vf_buf_add(&line, p, (size_t)(nl - p));
		rc = entry(k, line.p, name, lineno, err, errlen);
	}
	vf_buf_free(&line);
	return rc;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
vf_known_load(struct vf_root *root, struct vf_known *k, char *err,
    size_t errlen)
{
	struct dirent *d;
	struct stat st;
	struct vf_buf b = { 0 };
	char **names = NULL, rel[512];
	size_t n = 0, i;
	DIR *dir;
	int fd, dfd, rc = 0, r;

	memset(k, 0, sizeof(*k));
	if ((dfd = vf_openat(root->fd, "known", O_RDONLY | O_DIRECTORY, 0))
	    == -1) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errlen, "%s/known: %s", root->path,
		    strerror(errno));
		return EX_CONFIG;
	}
	/* Whoever may add a line may make a new report a "duplicate". */
	(void)snprintf(rel, sizeof(rel), "%s/known", root->path);
	if (fstat(dfd, &st) == -1 ||
	    (rc = vf_file_trusted(&st, rel, err, errlen)) != 0) {
		if (rc == 0)
			(void)snprintf(err, errlen, "%s: %s", rel,
			    strerror(errno));
		(void)close(dfd);
		return EX_CONFIG;
	}
	if ((dir = fdopendir(dfd)) == NULL) {
		(void)close(dfd);
		(void)snprintf(err, errlen, "%s/known: %s", root->path,
		    strerror(errno));
		return EX_CONFIG;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW)
		    == -1 || !S_ISREG(st.st_mode))
			continue;
		/* Its name goes into Vf-Duplicate headers: one line. */
		for (i = 0; d->d_name[i] != '\0'; i++)
			if ((unsigned char)d->d_name[i] < 0x20 ||
			    d->d_name[i] == 0x7f)
				break;
		if (d->d_name[i] != '\0' || i > 200) {
			(void)snprintf(err, errlen, "%s/known: a file name with "
			    "a control character or longer than 200 bytes: "
			    "rename it", root->path);
			rc = EX_CONFIG;
			break;
		}
		names = vf_reallocarray(names, n + 1, sizeof(*names));
		names[n++] = vf_strdup(d->d_name);
	}
	qsort(names, n, sizeof(*names), cmpstr);
	for (i = 0; i < n && rc == 0; i++) {
		(void)snprintf(rel, sizeof(rel), "known/%s", names[i]);
		if ((fd = vf_openat(root->fd, rel, O_RDONLY, 0)) == -1) {
			(void)snprintf(err, errlen, "%s/%s: %s", root->path,
			    rel, strerror(errno));
			rc = EX_CONFIG;
			break;
		}
		if (fstat(fd, &st) == -1 ||
		    (rc = vf_file_trusted(&st, rel, err, errlen)) != 0) {
			if (rc == 0)
				(void)snprintf(err, errlen, "%s: %s", rel,
				    strerror(errno));
			(void)close(fd);
			rc = EX_CONFIG;
			break;
		}
		b.len = 0;
		r = vf_buf_readfd(&b, fd, KNOWN_FILE_MAX);
		(void)close(fd);
		if (r != 0) {
			(void)snprintf(err, errlen, "%s/%s: %s", root->path,
			    rel, r == 1 ? "larger than 1 GiB" :
			    strerror(errno));
			rc = EX_CONFIG;
			break;
		}
		rc = vf_known_parse(k, rel, b.p != NULL ? b.p : "", b.len, err,
		    errlen);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	vf_buf_free(&b);
	(void)closedir(dir);
	return rc;
}

void
vf_known_free(struct vf_known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->e[i].id);	/* and its other strings: one block */
		vf_versions_free(&k->e[i].ver);
	}
	free(k->e);
	for (i = 0; i < k->nfiles; i++)
		free(k->files[i]);
	free(k->files);
	memset(k, 0, sizeof(*k));
}
