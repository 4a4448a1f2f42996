/*
 * security.txt (RFC 9116): the file a site publishes at
 * /.well-known/security.txt, as the office keeps a copy of it in
 * ROOT/security.txt/HOST. Parsed here from bytes alone (fuzzable); the
 * signature is gpg's business (vf_gpg_clearsigned), the choice of a
 * route vf-route's.
 *
 * RFC 9116 §2.2-2.5 and what we make of it:
 *  - "Name: value" lines, names case-insensitive, '#' comments, CRLF or
 *    LF (both in one file happen); lines of white space only are taken as
 *    empty. Unknown fields are ignored (§2.4 MUST).
 *  - Contact: one or more URIs, in order of preference (mailto:, https:,
 *    tel:). Expires: exactly once, RFC 3339 (a space for the "T", which
 *    RFC 3339 §5.6 allows readers to accept, is taken). Encryption: a URI
 *    where a key is (never the key). Preferred-Languages: at most once,
 *    BCP 47 tags separated by commas. Canonical: where the file lives.
 *  - A cleartext-signed file (RFC 4880 §7): only the signed text counts,
 *    dash-escaping undone; anything outside the armor is ignored.
 * What the RFC requires but the file lacks is a problem noted, not a
 * reason to throw the file away: the office decides with the warning.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "vf.h"

#define SECTXT_MAXFIELDS	64	/* of one name; more are ignored */

void
vf_sectxt_free(struct vf_sectxt *s)
{
	size_t i;

	for (i = 0; i < s->ncontact; i++)
		free(s->contact[i]);
	for (i = 0; i < s->nencryption; i++)
		free(s->encryption[i]);
	for (i = 0; i < s->ncanonical; i++)
		free(s->canonical[i]);
	free(s->contact);
	free(s->encryption);
	free(s->canonical);
	free(s->expires);
	free(s->langs);
	vf_buf_free(&s->problems);
	memset(s, 0, sizeof(*s));
}

static void problem(struct vf_sectxt *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct vf_sectxt *s, const char *fmt, ...)
{
	va_list ap;

	if (s->problems.len > 0)
		vf_buf_adds(&s->problems, "; ");
	va_start(ap, fmt);
	vf_buf_vprintf(&s->problems, fmt, ap);
	va_end(ap);
}

/* The next line of [p, end): its length without CR LF; *next after it. */
static size_t
line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

	*next = nl != NULL ? nl + 1 : end;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

static int
is_line(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	/* Trailing white space after an armor line is allowed (RFC 4880). */
	if (n < k || memcmp(p, s, k) != 0)
		return 0;
	for (; k < n; k++)
		if (p[k] != ' ' && p[k] != '\t')
			return 0;
	return 1;
}

/* Anything but white space in [p, end)? */
static int
blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

int
vf_sectxt_unwrap(const char *in, size_t n, struct vf_buf *out, int *sig)
{
	const char *p = in, *end = in + n, *next;
	size_t k;
	int first = 1;

	*sig = 0;
	out->len = 0;
	while (p < end) {
		k = line(p, end, &next);
		if (is_line(p, k, "-----BEGIN PGP SIGNED MESSAGE-----"))
			break;
		p = next;
	}
	if (p >= end) {
		vf_buf_add(out, in, n);
		return 0;
	}
	*sig = blank(in, p) ? 1 : 2;
	/* Armor headers ("Hash: SHA512") up to an empty line. */
	for (p = next; p < end; p = next) {
		k = line(p, end, &next);
		if (k == 0)
			break;
		if (k < 6 || strncmp(p, "Hash: ", 6) != 0)
			return -1;
	}
	if (p >= end)
		return -1;
	for (p = next; p < end; p = next) {
		k = line(p, end, &next);
		if (is_line(p, k, "-----BEGIN PGP SIGNATURE-----"))
			break;
		/* The line end before the signature is not signed text. */
		if (!first)
			vf_buf_addc(out, '\n');
		first = 0;
		if (k >= 2 && p[0] == '-' && p[1] == ' ')
			vf_buf_add(out, p + 2, k - 2);
		else
			vf_buf_add(out, p, k);
	}
	if (p >= end)
		return -1;
	/* After the signature's END line: more text is not signed. */
	for (p = next; p < end; p = next) {
		k = line(p, end, &next);
		if (is_line(p, k, "-----END PGP SIGNATURE-----"))
			break;
	}
	if (p < end && !blank(next, end))
		*sig = 2;
	if (out->len > 0)
		vf_buf_addc(out, '\n');
	vf_buf_add(out, "", 0);
	return 1;
}

static int
digits(const char *p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		*v = *v * 10 + (p[i] - '0');
	}
	return 1;
}

int
vf_rfc3339_parse(const char *s, time_t *t)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p = s;
	time_t v;

	if (strlen(s) < 20 || !digits(p, 4, &y) || p[4] != '-' ||
	    !digits(p + 5, 2, &mo) || p[7] != '-' || !digits(p + 8, 2, &d) ||
	    (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    !digits(p + 11, 2, &h) || p[13] != ':' || !digits(p + 14, 2, &mi) ||
	    p[16] != ':' || !digits(p + 17, 2, &sec))
		return -1;
	p += 19;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		;
	else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
	    p[3] == ':' && digits(p + 4, 2, &om) && p[6] == '\0' && oh < 24 &&
	    om < 60)
		sign = *p == '+' ? 1 : -1;
	else
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 &&
	    d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	/* A leap second is the last second of its minute here. */
	tm.tm_sec = sec == 60 ? 59 : sec;
	if ((v = timegm(&tm)) == (time_t)-1)
		return -1;
	*t = v - sign * (oh * 3600 + om * 60);
	return 0;
}

static void
add(char ***v, size_t *n, const char *val)
{
	if (*n >= SECTXT_MAXFIELDS)
		return;
	*v = vf_reallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = vf_strdup(val);
}

void
vf_sectxt_parse(struct vf_sectxt *s, const char *text, size_t n)
{
	const char *p = text, *end = text + n, *next, *c;
	struct vf_buf v = { 0 };
	char *name, *val;
	size_t k, a, b, i, vlen;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	s->expires_t = -1;
	if (!vf_utf8_valid(text, n))
		problem(s, "%s", "not UTF-8");
	for (; p < end; p = next) {
		k = line(p, end, &next);
		lineno++;
		for (a = 0; a < k && (p[a] == ' ' || p[a] == '\t'); a++)
			;
		if (a == k || p[a] == '#')
			continue;
		if ((c = memchr(p + a, ':', k - a)) == NULL) {
			problem(s, "line %d: not a field", lineno);
			continue;
		}
		name = vf_strndup(p + a, (size_t)(c - (p + a)));
		for (b = (size_t)(c - p) + 1; b < k && (p[b] == ' ' ||
		    p[b] == '\t'); b++)
			;
		while (k > b && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			k--;
		vf_buf_add(&v, p + b, k - b);
		/*
		 * Folded lines (RFC 5322 FWS, which an extension field's
		 * "unstructured" value allows): white space, then text.
		 */
		while (next < end && (*next == ' ' || *next == '\t')) {
			const char *after;
			size_t m = line(next, end, &after), f;

			for (f = 0; f < m && (next[f] == ' ' ||
			    next[f] == '\t'); f++)
				;
			if (f == m)
				break;
			while (m > f && (next[m - 1] == ' ' ||
			    next[m - 1] == '\t'))
				m--;
			vf_buf_addc(&v, ' ');
			vf_buf_add(&v, next + f, m - f);
			next = after;
			lineno++;
		}
		vf_buf_add(&v, "", 0);
		val = vf_buf_take(&v, &vlen);
		for (i = 0; i < vlen; i++)
			if (((unsigned char)val[i] < 0x20 && val[i] != '\t') ||
			    (unsigned char)val[i] == 0x7f)
				break;
		if (i < vlen || val[0] == '\0') {
			problem(s, "line %d: empty or control characters: "
			    "ignored", lineno);
		} else if (strcasecmp(name, "Contact") == 0)
			add(&s->contact, &s->ncontact, val);
		else if (strcasecmp(name, "Encryption") == 0)
			add(&s->encryption, &s->nencryption, val);
		else if (strcasecmp(name, "Canonical") == 0)
			add(&s->canonical, &s->ncanonical, val);
		else if (strcasecmp(name, "Expires") == 0) {
			if (s->nexpires++ == 0)
				s->expires = vf_strdup(val);
		} else if (strcasecmp(name, "Preferred-Languages") == 0) {
			if (s->nlangs++ == 0)
				s->langs = vf_strdup(val);
		}
		free(name);
		free(val);
	}
	vf_buf_free(&v);
	if (s->ncontact == 0)
		problem(s, "%s", "no Contact (RFC 9116 requires one)");
	if (s->nexpires == 0)
		problem(s, "%s", "no Expires (RFC 9116 requires one)");
	else if (s->nexpires > 1)
		problem(s, "%s", "Expires given more than once: the first used");
	if (s->expires != NULL && vf_rfc3339_parse(s->expires,
	    &s->expires_t) != 0) {
		s->expires_t = -1;
		problem(s, "%s", "Expires is not an RFC 3339 date and time");
	}
	if (s->nlangs > 1)
		problem(s, "%s", "Preferred-Languages given more than once: "
		    "the first used");
}

char *
vf_sectxt_mailto(const char *uri)
{
	struct vf_buf b = { 0 };
	const char *p;
	char *a;
	int hi, lo;

	if (strncasecmp(uri, "mailto:", 7) != 0)
		return NULL;
	/* RFC 6068: the first address, percent-decoded; no headers. */
	for (p = uri + 7; *p != '\0' && *p != '?' && *p != ','; p++) {
		if (*p == '%' && (hi = vf_hexval((unsigned char)p[1])) >= 0 &&
		    (lo = vf_hexval((unsigned char)p[2])) >= 0) {
			vf_buf_addc(&b, hi * 16 + lo);
			p += 2;
		} else
			vf_buf_addc(&b, (unsigned char)*p);
	}
	vf_buf_add(&b, "", 0);
	a = vf_addr_ascii(b.p);
	vf_buf_free(&b);
	return a;
}

int
vf_sectxt_keyfpr(const char *uri, char *fpr)
{
	const char *p = uri;
	size_t i, n = 0;

	if (strncasecmp(p, "openpgp4fpr:", 12) == 0)
		p += 12;
	/* A fingerprint as gpg prints it may come in groups of four. */
	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] == ' ')
			continue;
		if (vf_hexval((unsigned char)p[i]) < 0 || n >= 40)
			return 0;
		fpr[n++] = (char)toupper((unsigned char)p[i]);
	}
	fpr[n] = '\0';
	return n == 40;
}

const char *
vf_sectxt_lang(const struct vf_sectxt *s)
{
	const char *p;
	size_t n;

	if (s->langs == NULL)
		return NULL;
	/* The first tag the office writes in, by its primary subtag. */
	for (p = s->langs; *p != '\0'; p += n) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		n = strcspn(p, ", \t");
		if (n == 2 || (n > 2 && p[2] == '-')) {
			if (strncasecmp(p, "ja", 2) == 0)
				return "ja";
			if (strncasecmp(p, "en", 2) == 0)
				return "en";
		}
	}
	return NULL;
}
