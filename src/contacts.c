/*
 * ROOT/contacts: the site operators the office has checked itself, one a
 * line (vf-route(1) documents the format):
 *
 *	HOST<TAB>ADDRESS<TAB>FINGERPRINT|-<TAB>LANG|-[<TAB>NAME]
 *
 * '#' lines and empty lines are comments. HOST is a host name (U-labels
 * are taken and kept as A-labels) that is not a public suffix; an entry
 * covers the host and, through vf-route's walk up to the registrable
 * domain, every name under it that has no entry of its own, so there are
 * no wildcards. ADDRESS an addr-spec (vf_addr_ascii), FINGERPRINT 40 hex
 * digits, LANG ja or en, NAME the operator's name as the notice's To
 * shows it (UTF-8, no control characters). A host listed twice is an
 * error, not "the last wins": one of the two lines is a mistake, and
 * which one the office cannot tell from here.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define CONTACTS_MAX	(16 * 1024 * 1024)

void
vf_contacts_free(struct vf_contacts *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->c[i].host);
		free(l->c[i].addr);
		free(l->c[i].name);
	}
	free(l->c);
	memset(l, 0, sizeof(*l));
}

static int bad(char *, size_t, const char *, size_t, const char *, ...)
    __attribute__((format(printf, 5, 6)));

static int
bad(char *err, size_t errlen, const char *file, size_t line,
    const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	(void)snprintf(err, errlen, "%s:%zu: %s", file, line, why);
	return EX_CONFIG;
}

/* Printable: no C0 or C1 control, DEL, valid UTF-8. */
static int
printable(const char *s)
{
	const unsigned char *p;

	if (!vf_utf8_valid(s, strlen(s)))
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		    p[1] < 0xa0))
			return 0;
	return 1;
}

static int
parse_line(struct vf_contacts *l, char *s, const char *file, size_t line,
    char *err, size_t errlen)
{
	char *col[6], *p;
	struct vf_contact c;
	size_t n = 0, i;

	for (p = s; n < 6; ) {
		col[n++] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	if (n < 4 || n > 5)
		return bad(err, errlen, file, line, "want 4 or 5 TAB-separated "
		    "columns (HOST ADDRESS FINGERPRINT|- LANG|- [NAME]), not "
		    "%s", n < 4 ? "fewer" : "more");
	memset(&c, 0, sizeof(c));
	c.line = line;
	if (col[0][0] == '*')
		return bad(err, errlen, file, line, "%s: no wildcards: an "
		    "entry for a domain covers its subdomains", col[0]);
	if ((c.host = vf_host_ascii(col[0])) == NULL)
		return bad(err, errlen, file, line, "%s: not a host name",
		    printable(col[0]) ? col[0] : "?");
	if (vf_host_is_suffix(c.host)) {
		bad(err, errlen, file, line, "%s: a public suffix, which no "
		    "one operator runs: name the registrable domain or a host "
		    "under it", c.host);
		goto fail;
	}
	if ((c.addr = vf_addr_ascii(col[1])) == NULL) {
		bad(err, errlen, file, line, "%s: not an addr-spec",
		    printable(col[1]) ? col[1] : "?");
		goto fail;
	}
	if (strcmp(col[2], "-") != 0) {
		if (strlen(col[2]) != 40) {
			bad(err, errlen, file, line, "%s: not a fingerprint "
			    "(40 hex digits, no spaces) or -",
			    printable(col[2]) ? col[2] : "?");
			goto fail;
		}
		for (i = 0; i < 40; i++) {
			if (vf_hexval((unsigned char)col[2][i]) < 0) {
				bad(err, errlen, file, line, "%s: not a "
				    "fingerprint (40 hex digits) or -",
				    printable(col[2]) ? col[2] : "?");
				goto fail;
			}
			c.fpr[i] = (char)toupper((unsigned char)col[2][i]);
		}
		c.fpr[40] = '\0';
	}
	if (strcmp(col[3], "ja") == 0 || strcmp(col[3], "en") == 0)
		(void)strlcpy(c.lang, col[3], sizeof(c.lang));
	else if (strcmp(col[3], "-") != 0) {
		bad(err, errlen, file, line, "%s: unknown language (ja, en "
		    "or -)", printable(col[3]) ? col[3] : "?");
		goto fail;
	}
	if (n == 5 && strcmp(col[4], "-") != 0) {
		if (!printable(col[4]) || col[4][0] == '\0') {
			bad(err, errlen, file, line, "%s", "the name has control "
			    "characters or is not UTF-8");
			goto fail;
		}
		c.name = vf_strdup(col[4]);
	}
	l->c = vf_reallocarray(l->c, l->n + 1, sizeof(*l->c));
	l->c[l->n++] = c;
	return 0;
fail:
	free(c.host);
	free(c.addr);
	return EX_CONFIG;
}

static int
cmp(const void *a, const void *b)
{
	const struct vf_contact *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

int
vf_contacts_parse(struct vf_contacts *l, const char *text, size_t len,
    const char *file, char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *nl;
	char *s;
	size_t line = 0, n;
	int rc;

	memset(l, 0, sizeof(*l));
	if (memchr(text, '\0', len) != NULL) {
		(void)snprintf(err, errlen, "%s: holds a NUL byte: not text",
		    file);
		return EX_CONFIG;
	}
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		s = vf_strndup(p, n);
		p += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			s[--n] = '\0';
		if (n == 0 || s[0] == '#') {
			free(s);
			continue;
		}
		rc = parse_line(l, s, file, line, err, errlen);
		free(s);
		if (rc != 0) {
			vf_contacts_free(l);
			return rc;
		}
	}
	/* Sorted by host (then line) for vf_contacts_find's bsearch. */
	if (l->n > 1)
		qsort(l->c, l->n, sizeof(*l->c), cmp);
	for (n = 1; n < l->n; n++)
		if (strcmp(l->c[n - 1].host, l->c[n].host) == 0) {
			rc = bad(err, errlen, file, l->c[n].line, "%s: listed "
			    "already at line %zu", l->c[n].host,
			    l->c[n - 1].line);
			vf_contacts_free(l);
			return rc;
		}
	return 0;
}

int
vf_contacts_load(struct vf_contacts *l, struct vf_root *root, char *err,
    size_t errlen)
{
	struct vf_buf b = { 0 };
	struct stat st;
	int fd, r, rc;

	memset(l, 0, sizeof(*l));
	if ((fd = vf_openat(root->fd, "contacts", O_RDONLY, 0)) == -1) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errlen, "%s/contacts: %s", root->path,
		    strerror(errno));
		return EX_CONFIG;
	}
	/* Whoever may change it may redirect reports, as with config. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		(void)snprintf(err, errlen, "contacts: refusing a file that is "
		    "not a regular file of ours that only we may write");
		(void)close(fd);
		return EX_CONFIG;
	}
	r = vf_buf_readfd(&b, fd, CONTACTS_MAX);
	(void)close(fd);
	if (r != 0) {
		(void)snprintf(err, errlen, "%s/contacts: %s", root->path,
		    r == 1 ? "larger than 16 MiB" : strerror(errno));
		vf_buf_free(&b);
		return EX_CONFIG;
	}
	rc = vf_contacts_parse(l, b.p != NULL ? b.p : "", b.len, "contacts",
	    err, errlen);
	vf_buf_free(&b);
	return rc;
}

static int
cmp_host(const void *a, const void *b)
{
	return strcmp(((const struct vf_contact *)a)->host,
	    ((const struct vf_contact *)b)->host);
}

const struct vf_contact *
vf_contacts_find(const struct vf_contacts *l, const char *host)
{
	struct vf_contact key;

	if (l->n == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.host = (char *)host;
	return bsearch(&key, l->c, l->n, sizeof(*l->c), cmp_host);
}
