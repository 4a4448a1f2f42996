/*
 * The MIME tree of a message. Hostile and broken mail is the normal case
 * here: nothing fails, what cannot be parsed becomes a text/plain leaf, and
 * every limit is checked before the work it bounds. Recursion follows the
 * nesting of the message and stops at lim->depth; each level scans only its
 * own part, so the whole is at most depth passes over the message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vf.h"

void
vf_limits_default(struct vf_limits *l)
{
	l->message = 32 * 1024 * 1024;
	l->header = 64 * 1024;
	l->headers = 1000;
	l->depth = 32;
	l->parts = 1000;
	l->decoded = 64 * 1024 * 1024;
}

struct ctx {
	struct vf_mime		*m;
	const struct vf_limits	*lim;
	int			 maxdepth;	/* lim->depth, capped */
	int			 rc;
	int			 whylimit;	/* why already names a limit */
};

/*
 * Parsing recurses once per nesting level: whatever limit a caller sets,
 * the stack stays small.
 */
#define DEPTH_CAP	1000

static void	note(struct ctx *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * Keep the first problem for the case file; a crossed limit (what makes
 * the parse fail) wins over an earlier mere defect.
 */
static void
note(struct ctx *c, int limit, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (limit) {
		c->m->limit = 1;
		c->rc = EX_DATAERR;
	}
	if (c->whylimit || (c->m->why[0] != '\0' && !limit))
		return;
	va_start(ap, fmt);
	r = vsnprintf(c->m->why, sizeof(c->m->why), fmt, ap);
	va_end(ap);
	/* A sentence cut at 255 bytes still says what went wrong. */
	if (r < 0)
		(void)strlcpy(c->m->why, "malformed message",
		    sizeof(c->m->why));
	c->whylimit = limit;
}

static char *
lowercase(char *s)
{
	char *p;

	if (s != NULL)
		for (p = s; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return s;
}

const char *
vf_part_header(const struct vf_part *p, const char *name)
{
	const struct vf_kv *kv = vf_kv_find(p->hdr, p->nhdr, name);

	return kv != NULL ? kv->value : NULL;
}

/* An RFC 2045 token: printable US-ASCII but tspecials. */
static int
token(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", s[i]) != NULL)
			return 0;
	return 1;
}

static int
valid_type(const char *t)
{
	const char *sl = strchr(t, '/');

	return sl != NULL && token(t, (size_t)(sl - t)) &&
	    token(sl + 1, strlen(sl + 1));
}

/* The media type of a Content-Type value, or def where it is unusable. */
static char *
media_type(const char *ct, const char *def)
{
	char *t;
	size_t l;

	if (ct == NULL)
		return vf_strdup(def);
	t = vf_hdr_token(ct);
	if (!valid_type(t)) {
		/* "text/plain charset=x", "text/html (comment)" */
		l = strcspn(t, " \t(");
		t[l] = '\0';
	}
	if (valid_type(t))
		return t;
	if (strcmp(t, "multipart") == 0) {
		free(t);
		return vf_strdup("multipart/mixed");
	}
	free(t);
	return vf_strdup(def);
}

static const signed char b64[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

struct out {
	char	*p;
	size_t	 len;
	size_t	 max;
	int	 trunc;
	int	 bad;
};

static int
put(struct out *o, int c)
{
	if (o->len >= o->max) {
		o->trunc = 1;
		return -1;
	}
	o->p[o->len++] = (char)c;
	return 0;
}

/* Is the line at s (up to the end, n bytes) base64 alone? */
static int
b64_line(const unsigned char *s, size_t n)
{
	size_t i;
	int any = 0;

	for (i = 0; i < n && s[i] != '\n'; i++) {
		if (b64[s[i]] >= 0 || s[i] == '=')
			any = 1;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return any;
}

/*
 * Base64 that survives what mailers and lists do to it: junk characters
 * are skipped (and flagged), padding may be missing, and after padding
 * the decoding goes on only where whole lines of base64 follow (encodings
 * glued together); anything else there, such as a list's footer, ends it.
 */
static void
unbase64(struct out *o, const unsigned char *s, size_t n)
{
	unsigned long acc = 0;
	size_t i;
	int q = 0, v, padded = 0;

	for (i = 0; i < n; i++) {
		if ((v = b64[s[i]]) >= 0) {
			if (padded) {
				/* The first character after padding. */
				if ((i > 0 && s[i - 1] != '\n') ||
				    !b64_line(s + i, n - i))
					break;
				padded = 0;
			}
			acc = acc << 6 | (unsigned long)v;
			if (++q < 4)
				continue;
			if (o->max - o->len >= 3) {
				o->p[o->len++] = (char)(acc >> 16);
				o->p[o->len++] = (char)(acc >> 8);
				o->p[o->len++] = (char)acc;
			} else if (put(o, (int)(acc >> 16) & 0xff) == -1 ||
			    put(o, (int)(acc >> 8) & 0xff) == -1 ||
			    put(o, (int)acc & 0xff) == -1)
				return;
			q = 0;
			acc = 0;
			continue;
		}
		if (s[i] == '=') {
			if (q == 1)
				o->bad = 1;
			else if (q == 2 && put(o, (int)(acc >> 4) & 0xff) == -1)
				return;
			else if (q == 3 && (put(o, (int)(acc >> 10) & 0xff) ==
			    -1 || put(o, (int)(acc >> 2) & 0xff) == -1))
				return;
			q = 0;
			acc = 0;
			padded = 1;
		} else if (s[i] != '\n' && s[i] != ' ' && s[i] != '\t' &&
		    s[i] != '\r') {
			if (padded)
				break;
			o->bad = 1;
		}
	}
	if (i < n) {
		/* Text after the end of the data */
		o->bad = 1;
		return;
	}
	if (q == 1)
		o->bad = 1;
	else if (q == 2)
		(void)put(o, (int)(acc >> 4) & 0xff);
	else if (q == 3 && put(o, (int)(acc >> 10) & 0xff) == 0)
		(void)put(o, (int)(acc >> 2) & 0xff);
}

/*
 * Quoted-printable: trailing white space on a line was added in transit
 * (RFC 2045 6.7) and goes; a bad escape stays as written.
 */
static void
unqp(struct out *o, const unsigned char *s, size_t n)
{
	const unsigned char *le;
	size_t i, j, ce, end;
	int h, l, soft;

	for (i = 0; i < n; i = end + 1) {
		le = memchr(s + i, '\n', n - i);
		end = le ? (size_t)(le - s) : n;
		for (ce = end; ce > i && (s[ce - 1] == ' ' || s[ce - 1] == '\t');
		    ce--)
			;
		soft = 0;
		for (j = i; j < ce; j++) {
			if (s[j] != '=') {
				if (put(o, s[j]) == -1)
					return;
				continue;
			}
			if (j + 1 == ce) {
				soft = 1;
				break;
			}
			if (j + 2 < ce && (h = vf_hexval(s[j + 1])) >= 0 &&
			    (l = vf_hexval(s[j + 2])) >= 0) {
				if (put(o, h << 4 | l) == -1)
					return;
				j += 2;
				continue;
			}
			o->bad = 1;
			if (put(o, '=') == -1)
				return;
		}
		if (end < n && !soft && put(o, '\n') == -1)
			return;
	}
}

/*
 * The data of a leaf: transfer encoding removed (unless raw), within what
 * is left of the decoded-size limit.
 */
static void
leaf(struct ctx *c, struct vf_part *p, size_t num, int raw)
{
	const unsigned char *s = (const unsigned char *)p->body;
	size_t room, est, n = p->bodylen;
	struct out o;
	int kind = 0;

	room = c->lim->decoded > c->m->decoded ?
	    c->lim->decoded - c->m->decoded : 0;
	if (!raw && p->cte != NULL) {
		if (strcmp(p->cte, "base64") == 0)
			kind = 1;
		else if (strcmp(p->cte, "quoted-printable") == 0)
			kind = 2;
	}
	est = kind == 1 ? n / 4 * 3 + 3 : n;
	memset(&o, 0, sizeof(o));
	o.max = est < room ? est : room;
	o.p = vf_malloc(o.max + 1);
	if (kind == 1)
		unbase64(&o, s, n);
	else if (kind == 2)
		unqp(&o, s, n);
	else if (n > o.max) {
		memcpy(o.p, s, o.max);
		o.len = o.max;
		o.trunc = 1;
	} else {
		if (n > 0)
			memcpy(o.p, s, n);
		o.len = n;
	}
	o.p[o.len] = '\0';
	p->data = o.p;
	p->datalen = o.len;
	c->m->decoded += o.len;
	if (o.trunc) {
		p->flags |= VF_PART_TRUNCATED;
		note(c, 1, "decoded parts larger than %zu bytes (part %zu)",
		    c->lim->decoded, num);
	}
	if (o.bad) {
		p->flags |= VF_PART_BADENC;
		note(c, 0, "malformed %s in part %zu",
		    kind == 1 ? "base64" : "quoted-printable", num);
	}
}

static struct vf_part *
new_part(struct ctx *c, struct vf_part *parent, int depth)
{
	struct vf_part *p;
	size_t n;

	if (parent != NULL) {
		if (c->lim->parts < 1 ||
		    c->m->nparts >= (size_t)c->lim->parts) {
			note(c, 1, "more than %d MIME parts", c->lim->parts);
			return NULL;
		}
		/* Grow at powers of two: no capacity field in vf_part. */
		n = parent->nchild;
		if (n < 4 || (n & (n - 1)) == 0)
			parent->child = vf_reallocarray(parent->child,
			    n < 4 ? 4 : n * 2, sizeof(*parent->child));
	}
	p = vf_calloc(1, sizeof(*p));
	p->parent = parent;
	p->depth = depth;
	if (parent != NULL)
		parent->child[parent->nchild++] = p;
	c->m->nparts++;
	return p;
}

static struct vf_part *parse(struct ctx *, struct vf_part *, const char *,
    size_t, int, const char *);

static int
is_delim_pad(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * Split a multipart body at its delimiter lines: "--boundary" and
 * optional white space; "--boundary--" closes. A part ends at the line end
 * before the next delimiter (RFC 2046: that line end belongs to the
 * delimiter), so raw is exactly what RFC 3156 signs.
 */
static void
split(struct ctx *c, struct vf_part *p, size_t num)
{
	const char *b = p->boundary, *s = p->body, *e = s + p->bodylen;
	const char *ls, *le, *r, *ps = NULL, *pe;
	const char *def;
	size_t bl = strlen(b);
	int closed = 0, close;

	def = strcmp(p->type, "multipart/digest") == 0 ? "message/rfc822" :
	    "text/plain";
	for (ls = s; ls < e; ls = le < e ? le + 1 : e) {
		if ((le = memchr(ls, '\n', (size_t)(e - ls))) == NULL)
			le = e;
		if ((size_t)(le - ls) < 2 + bl || ls[0] != '-' ||
		    ls[1] != '-' || memcmp(ls + 2, b, bl) != 0)
			continue;
		r = ls + 2 + bl;
		close = le - r >= 2 && r[0] == '-' && r[1] == '-';
		if (close)
			r += 2;
		while (r < le && is_delim_pad(*r))
			r++;
		if (r != le)
			continue;	/* "--boundaryX": another boundary */
		if (ps != NULL) {
			pe = ls > ps ? ls - 1 : ps;
			if (parse(c, p, ps, (size_t)(pe - ps), p->depth + 1,
			    def) == NULL)
				return;
		}
		if (close) {
			closed = 1;
			break;
		}
		ps = le < e ? le + 1 : e;
	}
	if (!closed && ps != NULL) {
		p->flags |= VF_PART_NOEND;
		note(c, 0, "multipart without closing delimiter in part %zu",
		    num);
		if (ps < e)
			(void)parse(c, p, ps, (size_t)(e - ps), p->depth + 1,
			    def);
	}
}

static struct vf_part *
parse(struct ctx *c, struct vf_part *parent, const char *s, size_t n,
    int depth, const char *def)
{
	struct vf_part *p;
	const char *ct, *cd, *cte, *src;
	size_t num, srclen;
	int fl;

	if ((p = new_part(c, parent, depth)) == NULL)
		return NULL;
	num = c->m->nparts;
	if (vf_headers_parse(s, n, c->lim, &p->hdr, &p->nhdr, &p->body,
	    &fl) != 0) {
		p->flags |= VF_PART_TRUNCATED;
		if (p->nhdr >= c->lim->headers)
			note(c, 1, "more than %zu header fields in part %zu",
			    c->lim->headers, num);
		else
			note(c, 1, "header field longer than %zu bytes in "
			    "part %zu", c->lim->header, num);
	}
	if (fl & VF_PART_BADHDR) {
		p->flags |= VF_PART_BADHDR;
		note(c, 0, "malformed header lines in part %zu", num);
	}
	p->raw = s;
	p->rawlen = n;
	p->bodylen = (size_t)(s + n - p->body);
	ct = vf_part_header(p, "Content-Type");
	p->type = media_type(ct, def);
	if (ct != NULL) {
		p->charset = lowercase(vf_hdr_param(ct, "charset"));
		p->boundary = vf_hdr_param(ct, "boundary");
		p->protocol = lowercase(vf_hdr_param(ct, "protocol"));
	}
	if ((cd = vf_part_header(p, "Content-Disposition")) != NULL)
		p->filename = vf_hdr_param(cd, "filename");
	if (p->filename == NULL && ct != NULL)
		p->filename = vf_hdr_param(ct, "name");
	if ((cte = vf_part_header(p, "Content-Transfer-Encoding")) != NULL) {
		p->cte = vf_hdr_token(cte);
		if (p->cte[0] == '\0') {
			free(p->cte);
			p->cte = NULL;
		}
	}

	/* Containers nest; past the limit they are kept as they came. */
	if ((strncmp(p->type, "multipart/", 10) == 0 ||
	    strcmp(p->type, "message/rfc822") == 0 ||
	    strcmp(p->type, "message/global") == 0) && depth >= c->maxdepth) {
		note(c, 1, "MIME nesting deeper than %d", c->maxdepth);
		p->flags |= VF_PART_TRUNCATED;
		leaf(c, p, num, 1);
		return p;
	}
	if (strncmp(p->type, "multipart/", 10) == 0) {
		if (p->boundary == NULL || p->boundary[0] == '\0') {
			note(c, 0, "multipart without boundary in part %zu",
			    num);
		} else {
			split(c, p, num);
			if (p->nchild > 0)
				return p;
			if (c->m->limit && c->m->nparts >=
			    (size_t)c->lim->parts) {
				leaf(c, p, num, 1);
				return p;
			}
			note(c, 0, "no MIME delimiter found in part %zu", num);
		}
		free(p->type);
		p->type = vf_strdup("text/plain");
		leaf(c, p, num, 0);
		return p;
	}
	if (strcmp(p->type, "message/rfc822") == 0 ||
	    strcmp(p->type, "message/global") == 0) {
		src = p->body;
		srclen = p->bodylen;
		/*
		 * Only an encoded message is decoded first (message/global
		 * may be); the child then points into p->data.
		 */
		if (p->cte != NULL && (strcmp(p->cte, "base64") == 0 ||
		    strcmp(p->cte, "quoted-printable") == 0)) {
			leaf(c, p, num, 0);
			src = p->data;
			srclen = p->datalen;
		}
		if (parse(c, p, src, srclen, depth + 1, "text/plain") == NULL &&
		    p->data == NULL)
			leaf(c, p, num, 0);
		return p;
	}
	leaf(c, p, num, 0);
	return p;
}

int
vf_mime_parse(struct vf_mime *m, const char *msg, size_t len,
    const struct vf_limits *lim)
{
	struct vf_limits def;
	struct ctx c;
	int cut = 0;

	memset(m, 0, sizeof(*m));
	if (lim == NULL) {
		vf_limits_default(&def);
		lim = &def;
	}
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.lim = lim;
	c.maxdepth = lim->depth < DEPTH_CAP ? lim->depth : DEPTH_CAP;
	if (msg == NULL)
		len = 0;
	if (len > lim->message) {
		note(&c, 1, "message larger than %zu bytes", lim->message);
		len = lim->message;
		cut = 1;
	}
	m->root = parse(&c, NULL, msg ? msg : "", len, 0, "text/plain");
	if (cut)
		m->root->flags |= VF_PART_TRUNCATED;
	return c.rc;
}

static void
part_free(struct vf_part *p)
{
	vf_headers_free(p->hdr, p->nhdr);
	free(p->type);
	free(p->charset);
	free(p->boundary);
	free(p->protocol);
	free(p->filename);
	free(p->cte);
	free(p->data);
	free(p->child);
	free(p);
}

void
vf_mime_free(struct vf_mime *m)
{
	struct vf_part *p, *up;

	/* Post-order without recursion, by the parent links. */
	for (p = m->root; p != NULL; ) {
		if (p->nchild > 0) {
			p = p->child[--p->nchild];
			continue;
		}
		up = p->parent;
		part_free(p);
		p = up;
	}
	m->root = NULL;
	m->nparts = 0;
}

char *
vf_part_text(const struct vf_part *p, size_t *len)
{
	char *t;
	size_t n;

	if (p == NULL || p->data == NULL) {
		if (len != NULL)
			*len = 0;
		return vf_strdup("");
	}
	t = vf_to_utf8(p->data, p->datalen, p->charset, &n, NULL);
	/* A byte order mark would hide a form label at the start. */
	if (n >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0) {
		memmove(t, t + 3, n - 3 + 1);
		n -= 3;
	}
	if (len != NULL)
		*len = n;
	return t;
}
