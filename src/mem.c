/*
 * Allocation that never returns NULL: out of memory is a temporary failure
 * (the MTA retries the delivery later), so it exits EX_TEMPFAIL.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vf.h"

#define GROW_SLOW	(4UL * 1024 * 1024)	/* see vf_buf_grow */
#define READ_MIN	4096	/* read(2) into at least this much room */

static void
oom(void)
{
	errc(EX_TEMPFAIL, ENOMEM, "out of memory");
}

void *
vf_malloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
vf_calloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		oom();
	return p;
}

void *
vf_reallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if ((p = reallocarray(old, n ? n : 1, size ? size : 1)) == NULL)
		oom();
	return p;
}

char *
vf_strdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		oom();
	return p;
}

char *
vf_strndup(const char *s, size_t n)
{
	char *p;

	if ((p = strndup(s, n)) == NULL)
		oom();
	return p;
}

void
vf_buf_grow(struct vf_buf *b, size_t more)
{
	size_t want;

	if (more > SIZE_MAX - b->len - 1)
		oom();
	want = b->len + more + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	/*
	 * Doubling, then half as much again past 4 MiB: still a constant
	 * number of copies per byte, but a large mail is not held with as
	 * much again unused behind it.
	 */
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want :
		    b->cap < GROW_SLOW ? b->cap * 2 : b->cap + b->cap / 2;
	b->p = vf_reallocarray(b->p, b->cap, 1);
	b->p[b->len] = '\0';
}

void
vf_buf_add(struct vf_buf *b, const void *p, size_t n)
{
	/* Hot: most appends fit, and then need no call to grow. */
	if (b->cap == 0 || n >= b->cap - b->len)
		vf_buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
vf_buf_adds(struct vf_buf *b, const char *s)
{
	vf_buf_add(b, s, strlen(s));
}

void
vf_buf_addc(struct vf_buf *b, int c)
{
	if (b->cap == 0 || b->cap - b->len < 2)
		vf_buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

/* A number in decimal, as "%lld" would write it: without stdio, which
   cost vf-validate a thousand instructions a verdict. */
void
vf_buf_addnum(struct vf_buf *b, long long n)
{
	char d[24], *p = d + sizeof(d);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n :
	    (unsigned long long)n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		*--p = '-';
	vf_buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

void
vf_buf_vprintf(struct vf_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	/*
	 * Into the room there is first: most texts fit, and then the format
	 * is run once, not once to measure and once to write.
	 */
	vf_buf_grow(b, 0);
	va_copy(aq, ap);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, aq);
	va_end(aq);
	if (n < 0)
		errx(EX_SOFTWARE, "vf_buf_printf: bad format");
	if ((size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	b->p[b->len] = '\0';
	vf_buf_grow(b, (size_t)n);
	if (vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap) != n)
		errx(EX_SOFTWARE, "vf_buf_printf: short");
	b->len += (size_t)n;
}

void
vf_buf_printf(struct vf_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vf_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
vf_buf_free(struct vf_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
vf_buf_take(struct vf_buf *b, size_t *len)
{
	char *p;

	if (b->p == NULL)
		vf_buf_grow(b, 0);
	p = b->p;
	if (len != NULL)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

int
vf_buf_readfd(struct vf_buf *b, int fd, size_t max)
{
	struct stat st;
	off_t at;
	size_t want;
	ssize_t n;

	/*
	 * A file (stdin redirected from one, a case file) is read into
	 * exactly its size, and a little room to see the end in; a pipe
	 * grows the buffer as it comes.
	 */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (at = lseek(fd, 0, SEEK_CUR)) != -1 && st.st_size > at) {
		want = (size_t)(st.st_size - at) < max ?
		    (size_t)(st.st_size - at) + READ_MIN : max + 1;
		if (want > SIZE_MAX - b->len - 1)
			oom();
		if (b->cap < b->len + want + 1) {
			b->cap = b->len + want + 1;
			b->p = vf_reallocarray(b->p, b->cap, 1);
			b->p[b->len] = '\0';
		}
	}
	for (;;) {
		if (b->cap == 0 || b->cap - b->len - 1 < READ_MIN)
			vf_buf_grow(b, 65536);
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->p[b->len] = '\0';
		if (b->len > max) {
			b->len = max;
			b->p[b->len] = '\0';
			return 1;
		}
	}
}

const struct vf_kv *
vf_kv_find(const struct vf_kv *kv, size_t n, const char *name)
{
	const unsigned char *p, *q = (const unsigned char *)name;
	size_t i, k;

	for (i = 0; i < n; i++) {
		/*
		 * The first four bytes first: equal but for ASCII case, they
		 * are equal but for bit 0x20. Most names a case holds start
		 * "Vf-" and differ in the next, and the whole-tree tools look
		 * a case's headers up by the hundred.
		 */
		p = (const unsigned char *)kv[i].name;
		for (k = 0; k < 4; k++)
			if (((p[k] ^ q[k]) & 0xdf) != 0 || p[k] == '\0' ||
			    q[k] == '\0')
				break;
		if (k < 4 && ((p[k] ^ q[k]) & 0xdf) != 0)
			continue;
		if (strcasecmp(kv[i].name, name) == 0)
			return &kv[i];
	}
	return NULL;
}

/*
 * A header name equal to lower (written in lower case) but for ASCII
 * case: strcasecmp(name, lower) == 0 as the tools have it (they never set
 * a locale), without the call through the locale's tables, for the loops
 * that look at every header of every case.
 */
int
vf_name_eq(const char *name, const char *lower)
{
	const unsigned char *a = (const unsigned char *)name;
	const unsigned char *b = (const unsigned char *)lower;
	unsigned int ch;

	for (;; a++, b++) {
		if ((ch = *a) != *b) {
			/* Names are written in their canonical case: most
			   bytes are equal as they are. */
			if (ch - 'A' >= 26u || ch + ('a' - 'A') != *b)
				return 0;
		} else if (ch == '\0')
			return 1;
	}
}
