/*
 * Raw mail: line ends and header blocks. Everything after this sees LF
 * line ends only, and header fields as name and unfolded value.
 */
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vf.h"
#include "hdrname.h"

size_t
vf_mail_normalize(char *s, size_t n)
{
	char *r, *w, *e = s + n, *nl;

	r = s;
	/* The mbox separator is not part of the message. */
	if (n >= 5 && memcmp(s, "From ", 5) == 0) {
		for (nl = s; nl < e && *nl != '\n' && *nl != '\r'; nl++)
			;
		if (nl < e && *nl == '\r')
			nl++;
		if (nl < e && *nl == '\n')
			nl++;
		r = nl;
	}
	w = s;
	while (r < e) {
		nl = memchr(r, '\r', (size_t)(e - r));
		if (nl == NULL)
			nl = e;
		if (w != r)
			memmove(w, r, (size_t)(nl - r));
		w += nl - r;
		r = nl;
		if (r < e) {
			/* CRLF and a bare CR alike end a line. */
			*w++ = '\n';
			r++;
			if (r < e && *r == '\n')
				r++;
		}
	}
	return (size_t)(w - s);
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The names to keep, their lengths measured once a block, not once a
 * field and name (past WANT_LEN names, each time); lens has bit k set
 * when a name to keep is k bytes long (k < 64), so that most fields a
 * tool does not want are told by their length alone.
 */
#define WANT_LEN	16

struct want {
	const char *const *name;	/* NULL: every name */
	size_t		 len[WANT_LEN];
	uint64_t	 lens;
	int		 longer;	/* a name of 64 bytes or more */
};

static void
want_init(struct want *w, const char *const *name)
{
	size_t i, k;

	memset(w, 0, sizeof(*w));
	w->name = name;
	for (i = 0; name != NULL && name[i] != NULL; i++) {
		k = strlen(name[i]);
		if (i < WANT_LEN)
			w->len[i] = k;
		if (k < 64)
			w->lens |= (uint64_t)1 << k;
		else
			w->longer = 1;
	}
}

/* Is the name (nl bytes) one of those to keep? */
static int
wanted(const struct want *w, const char *name, size_t nl)
{
	size_t i, k;

	if (w->name == NULL)
		return 1;
	if (nl < 64 ? (w->lens & (uint64_t)1 << nl) == 0 : !w->longer)
		return 0;
	for (i = 0; w->name[i] != NULL; i++) {
		k = i < WANT_LEN ? w->len[i] : strlen(w->name[i]);
		/* The first byte alike but for case, before the call. */
		if (k == nl && ((w->name[i][0] ^ name[0]) & ~0x20) == 0 &&
		    strncasecmp(w->name[i], name, nl) == 0)
			return 1;
	}
	return 0;
}

/*
 * Does the field fit the limit once unfolded? 0 it fits, -1 too long
 * (add_field's verdict, for a field not wanted: nothing made).
 */
static int
count_field(size_t nl, const char *v, const char *e, size_t max)
{
	const char *p;
	size_t len = (size_t)(e - v);

	/*
	 * Unfolding removes the line ends only, not the white space; what
	 * fits as written fits unfolded.
	 */
	if (nl + 1 + len <= max)
		return 0;
	for (p = v; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		len--;
	return nl + 1 + len > max ? -1 : 0;
}

/*
 * Store the field whose name is [name, name + nl) and whose value runs from
 * v to e across continuation lines. Returns 0, or -1 when it is longer than
 * the limit (and is not stored).
 */
static int
add_field(struct vf_kv **kv, size_t *n, size_t *cap, const char *name,
    size_t nl, const char *v, const char *e, size_t max)
{
	const char *p, *q, *r;
	char *val, *w, *z;

	if (count_field(nl, v, e, max) == -1)
		return -1;
	while (v < e && (is_wsp(*v) || *v == '\n' || *v == '\r'))
		v++;
	while (e > v && (is_wsp(e[-1]) || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	w = val = vf_malloc((size_t)(e - v) + 1);
	/* A line at a time: each LF goes, and a CR just before it. */
	for (p = v; p < e; p = q + 1) {
		if ((q = memchr(p, '\n', (size_t)(e - p))) == NULL)
			q = e;
		r = q < e && q > p && q[-1] == '\r' ? q - 1 : q;
		memcpy(w, p, (size_t)(r - p));
		w += r - p;
		if (q == e)
			break;
	}
	*w = '\0';
	/* A NUL would cut the value short for every reader after. */
	for (z = val; (z = memchr(z, '\0', (size_t)(w - z))) != NULL; z++)
		*z = ' ';
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*kv = vf_reallocarray(*kv, *cap, sizeof(**kv));
	}
	(*kv)[*n].name = vf_strndup(name, nl);
	(*kv)[*n].value = val;
	(*n)++;
	return 0;
}

/*
 * Header fields are kept in order, names as written. A line that is not a
 * field is skipped (VF_PART_BADHDR); when the very first line is not one,
 * there is no header block: the body starts there. *flags is set (not or-ed)
 * and also gets VF_PART_TRUNCATED when a limit dropped fields.
 */
static int	headers_pick(const char *, size_t, const struct vf_limits *,
		    const char *const *, struct vf_kv **, size_t *,
		    const char **, int *);

int
vf_headers_parse(const char *msg, size_t len, const struct vf_limits *lim,
    struct vf_kv **kvp, size_t *np, const char **body, int *flags)
{
	return headers_pick(msg, len, lim, NULL, kvp, np, body, flags);
}

int
vf_headers_pick(const char *msg, size_t len, const struct vf_limits *lim,
    const char *const *want, struct vf_kv **kvp, size_t *np,
    const char **body, int *flags)
{
	return headers_pick(msg, len, lim, want, kvp, np, body, flags);
}

/* A header block's reading: what is kept, counted against the limits. */
struct pick {
	const struct vf_limits *lim;
	struct want	 want;
	struct vf_kv	*kv;
	size_t		 n, nall, cap;
	int		 fl, rc;
};

/* The field [name, name + nl), its value from v to e: kept or counted. */
static void
pick_field(struct pick *k, const char *name, size_t nl, const char *v,
    const char *e)
{
	if (k->nall >= k->lim->headers || (wanted(&k->want, name, nl) ?
	    add_field(&k->kv, &k->n, &k->cap, name, nl, v, e,
	    k->lim->header) : count_field(nl, v, e, k->lim->header)) == -1) {
		k->rc = EX_DATAERR;
		k->fl |= VF_PART_TRUNCATED;
	} else
		k->nall++;
}

/*
 * want: the names to keep (NULL: all). The others are parsed and counted
 * against the limits alike, so that what is kept is what a parse of every
 * field would give for those names.
 */
static int
headers_pick(const char *msg, size_t len, const struct vf_limits *lim,
    const char *const *want, struct vf_kv **kvp, size_t *np,
    const char **body, int *flags)
{
	struct vf_limits def;
	struct pick k;
	const char *p, *q, *e = msg + len, *le, *ce, *name = NULL;
	const char *val = NULL, *vend = NULL;
	size_t nl = 0;
	int seen = 0;

	if (lim == NULL) {
		vf_limits_default(&def);
		lim = &def;
	}
	memset(&k, 0, sizeof(k));
	k.lim = lim;
	want_init(&k.want, want);
	p = msg;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	*body = e;
	for (; p < e; p = le < e ? le + 1 : e) {
		if ((le = memchr(p, '\n', (size_t)(e - p))) == NULL)
			le = e;
		ce = le > p && le[-1] == '\r' ? le - 1 : le;
		if (ce == p) {
			*body = le < e ? le + 1 : e;
			break;
		}
		if (is_wsp(*p)) {
			if (name != NULL)
				vend = le;
			else
				k.fl |= VF_PART_BADHDR;
			continue;
		}
		if (name != NULL) {
			pick_field(&k, name, nl, val, vend);
			name = NULL;
		}
		if (!seen && ce - p >= 5 && memcmp(p, "From ", 5) == 0) {
			/* An mbox separator left on an enclosed message. */
			seen = 1;
			continue;
		}
		/*
		 * A name (printable US-ASCII but the colon, RFC 5322 ftext),
		 * then the colon; obsolete syntax allows white space before
		 * it. One pass: a byte of any other kind before the first
		 * colon makes the line not a field.
		 */
		q = vf_hname_end(p, ce);
		nl = (size_t)(q - p);
		while (q < ce && is_wsp(*q))
			q++;
		if (nl == 0 || q == ce || *q != ':') {
			k.fl |= VF_PART_BADHDR;
			if (!seen) {
				*body = p;
				break;
			}
			continue;
		}
		seen = 1;
		name = p;
		val = q + 1;
		vend = le;
	}
	if (name != NULL)
		pick_field(&k, name, nl, val, vend);
	*kvp = k.kv;
	*np = k.n;
	if (flags != NULL)
		*flags = k.fl;
	return k.rc;
}

void
vf_headers_free(struct vf_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

/*
 * Header fields that say how a mail travelled and where it was kept, not
 * what its sender wrote: each delivery attempt, each mail system, each
 * mailbox may add or change them. RFC 5322 3.6.6-3.6.7 and RFC 5321 4.4
 * (Return-Path, Received, the Resent- block); what Postfix local(8) adds
 * for a command (X-Original-To, Delivered-To, Return-Path and a From_
 * line), exim's transports (Envelope-to, Delivery-date, Return-path) and
 * qmail (Delivered-To); the receiving system's verdicts (Authentication-
 * Results, RFC 8601; Received-SPF, RFC 7208; ARC-*, RFC 8617) and spam
 * and virus scanners run from procmail; what mbox readers store with a
 * message (Status, X-Status, Content-Length, Lines, X-UID, X-Keywords,
 * X-IMAP...). A name ending in '-' is a prefix.
 */
static const char *const trace_fields[] = {
	"Return-Path", "Received", "Resent-", "X-Original-To",
	"Delivered-To", "X-Delivered-To", "Envelope-To", "Delivery-Date",
	"X-Envelope-From", "X-Envelope-To", "X-Original-Envelope-From",
	"Authentication-Results", "Received-SPF", "ARC-", "X-Spam-",
	"X-Virus-", "Status", "X-Status", "Content-Length", "Lines",
	"X-UID", "X-Keywords", "X-IMAP", "X-IMAPbase", "X-Mozilla-",
	NULL
};

static int
trace_field(const char *name, size_t n)
{
	size_t i, k;

	for (i = 0; trace_fields[i] != NULL; i++) {
		k = strlen(trace_fields[i]);
		if (trace_fields[i][k - 1] == '-' ? n > k &&
		    strncasecmp(name, trace_fields[i], k) == 0 :
		    n == k && strncasecmp(name, trace_fields[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * SHA-256 input gathered in a buffer: lines come a few bytes at a time.
 * nettle's SHA-256, not libmd's: Debian's nettle picks the CPU's SHA
 * instructions at run time: 100 KB in 0.11-0.15 ms against
 * 0.9-1.1 ms in libmd (bench/sha.c, doc/BENCH.md).
 */
struct feed {
	struct sha256_ctx ctx;
	size_t		n;
	uint8_t		buf[16384];
};

static void
feed(struct feed *f, const char *p, size_t n)
{
	if (f->n + n > sizeof(f->buf)) {
		sha256_update(&f->ctx, f->n, f->buf);
		f->n = 0;
	}
	if (n > sizeof(f->buf)) {
		sha256_update(&f->ctx, n, (const uint8_t *)p);
		return;
	}
	memcpy(f->buf + f->n, p, n);
	f->n += n;
}

/*
 * The line at p: its length without the line end; *next after it. cr:
 * the mail holds a CR somewhere; most hold none, and their lines are
 * found by memchr, not a byte at a time.
 */
static size_t
line_at(const char *p, const char *e, const char **next, int cr)
{
	const char *q;

	if (!cr) {
		if ((q = memchr(p, '\n', (size_t)(e - p))) == NULL)
			q = e;
	} else
		for (q = p; q < e && *q != '\n' && *q != '\r'; q++)
			;
	*next = q;
	if (q < e && *q == '\r' && q + 1 < e && q[1] == '\n')
		*next = q + 2;
	else if (q < e)
		*next = q + 1;
	return (size_t)(q - p);
}

/*
 * What identifies a mail is what its sender wrote: the header fields but
 * the trace fields above, as written and in order, and the body. Line ends
 * are LF (CRLF and CR as LF), a leading mbox From_ line is dropped, a body
 * line ">From " (any number of '>') counts as "From " whatever quoting a
 * mailbox used, and empty lines at the end of the body do not count (an
 * mbox adds one). So the same mail handed over by procmail, exim, Postfix
 * or a person, on any attempt, has one digest: 64 lowercase hex digits.
 */
void
vf_mail_digest(const char *m, size_t len, char *digest)
{
	struct feed *f = vf_malloc(sizeof(*f));
	const char *p = m, *e = m + len, *next, *colon;
	static const char hex[] = "0123456789abcdef";
	uint8_t bin[SHA256_DIGEST_SIZE];
	size_t n, nl, blank = 0;
	int skip = 0, inhdr = 1, cr = len > 0 && memchr(m, '\r', len) != NULL;

	sha256_init(&f->ctx);
	f->n = 0;
	if (len >= 5 && memcmp(p, "From ", 5) == 0) {
		(void)line_at(p, e, &next, cr);
		p = next;
	}
	for (; p < e; p = next) {
		n = line_at(p, e, &next, cr);
		if (inhdr) {
			if (n == 0) {
				inhdr = 0;
				feed(f, "\n", 1);
				continue;
			}
			if (p[0] == ' ' || p[0] == '\t') {
				if (!skip) {
					feed(f, p, n);
					feed(f, "\n", 1);
				}
				continue;
			}
			colon = memchr(p, ':', n);
			nl = colon != NULL ? (size_t)(colon - p) : 0;
			while (nl > 0 && (p[nl - 1] == ' ' || p[nl - 1] == '\t'))
				nl--;
			skip = colon != NULL && trace_field(p, nl);
			if (!skip) {
				feed(f, p, n);
				feed(f, "\n", 1);
			}
			continue;
		}
		if (n == 0) {
			blank++;
			continue;
		}
		for (; blank > 0; blank--)
			feed(f, "\n", 1);
		for (nl = 0; nl < n && p[nl] == '>'; nl++)
			;
		if (nl > 0 && n - nl >= 5 &&
		    memcmp(p + nl, "From ", 5) == 0) {
			p += nl;
			n -= nl;
		}
		feed(f, p, n);
		feed(f, "\n", 1);
	}
	sha256_update(&f->ctx, f->n, f->buf);
	sha256_digest(&f->ctx, SHA256_DIGEST_SIZE, bin);
	for (n = 0; n < SHA256_DIGEST_SIZE; n++) {
		digest[2 * n] = hex[bin[n] >> 4];
		digest[2 * n + 1] = hex[bin[n] & 15];
	}
	digest[2 * SHA256_DIGEST_SIZE] = '\0';
	free(f);
}
