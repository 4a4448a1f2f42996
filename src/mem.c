/*
 * Allocation that never returns NULL: out of memory is a temporary failure
 * (the MTA retries the delivery later), so it exits EX_TEMPFAIL.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

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
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
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

void
vf_buf_vprintf(struct vf_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		errx(EX_SOFTWARE, "vf_buf_printf: bad format");
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
	ssize_t n;

	for (;;) {
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
