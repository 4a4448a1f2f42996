/*
 * URLs in one spelling, so that two reports of one page meet: liburiparser
 * takes the URL apart and normalises its syntax (case of the scheme and of
 * percent escapes, escapes of unreserved characters, "." and ".."
 * segments); libidn2 turns the host into A-labels. What is left to do here
 * is only what neither does: read an IRI (a URL with non-ASCII characters,
 * as reporters write them) by percent-encoding those bytes first (RFC 3987
 * 3.1), drop a default port, the user information and the fragment (the
 * page is the same), and spell an empty path "/".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <uriparser/Uri.h>

#include "vf.h"

#define URL_MAX	4096

static size_t
range_len(const UriTextRangeA *r)
{
	return r->first == NULL ? 0 : (size_t)(r->afterLast - r->first);
}

/* The port the scheme uses when none is given, or NULL. */
static const char *
default_port(const char *scheme)
{
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "ws") == 0)
		return "80";
	if (strcmp(scheme, "https") == 0 || strcmp(scheme, "wss") == 0)
		return "443";
	if (strcmp(scheme, "ftp") == 0)
		return "21";
	return NULL;
}

/*
 * U_LDH: the bytes of a host name in A-labels, lowercase: letters, digits,
 * '-', '.'. U_PATH: those a plain URL's path may hold, spelled the same
 * after liburiparser's normalisation (see plain): the unreserved
 * characters (RFC 3986 2.3) and '/'.
 */
#define U_LDH	1
#define U_PATH	2
#define U_LP	(U_LDH | U_PATH)
static const unsigned char uch[256] = {
	['a'] = U_LP, ['b'] = U_LP, ['c'] = U_LP, ['d'] = U_LP, ['e'] = U_LP,
	['f'] = U_LP, ['g'] = U_LP, ['h'] = U_LP, ['i'] = U_LP, ['j'] = U_LP,
	['k'] = U_LP, ['l'] = U_LP, ['m'] = U_LP, ['n'] = U_LP, ['o'] = U_LP,
	['p'] = U_LP, ['q'] = U_LP, ['r'] = U_LP, ['s'] = U_LP, ['t'] = U_LP,
	['u'] = U_LP, ['v'] = U_LP, ['w'] = U_LP, ['x'] = U_LP, ['y'] = U_LP,
	['z'] = U_LP,
	['0'] = U_LP, ['1'] = U_LP, ['2'] = U_LP, ['3'] = U_LP, ['4'] = U_LP,
	['5'] = U_LP, ['6'] = U_LP, ['7'] = U_LP, ['8'] = U_LP, ['9'] = U_LP,
	['-'] = U_LP, ['.'] = U_LP,
	['A'] = U_PATH, ['B'] = U_PATH, ['C'] = U_PATH, ['D'] = U_PATH, ['E'] = U_PATH,
	['F'] = U_PATH, ['G'] = U_PATH, ['H'] = U_PATH, ['I'] = U_PATH, ['J'] = U_PATH,
	['K'] = U_PATH, ['L'] = U_PATH, ['M'] = U_PATH, ['N'] = U_PATH, ['O'] = U_PATH,
	['P'] = U_PATH, ['Q'] = U_PATH, ['R'] = U_PATH, ['S'] = U_PATH, ['T'] = U_PATH,
	['U'] = U_PATH, ['V'] = U_PATH, ['W'] = U_PATH, ['X'] = U_PATH, ['Y'] = U_PATH,
	['Z'] = U_PATH, ['_'] = U_PATH, ['~'] = U_PATH, ['/'] = U_PATH,
};

/* strspn(s, "abc...xyz0123456789-.") by the table: strspn's set costs more. */
static size_t
ldh_span(const char *s)
{
	const char *p;

	for (p = s; uch[(unsigned char)*p] & U_LDH; p++)
		;
	return (size_t)(p - s);
}

/* The host as A-labels, lowercase, without a final dot; NULL if it is none. */
static char *
host_ascii(const UriUriA *u)
{
	char *h, *a = NULL, *p;
	size_t n = range_len(&u->hostText);
	int rc;

	if (n == 0)
		return NULL;
	h = vf_strndup(u->hostText.first, n);
	if (u->hostData.ip6 != NULL || u->hostData.ipFuture.first != NULL ||
	    u->hostData.ip4 != NULL) {
		for (p = h; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		return h;
	}
	/* A reg-name may carry the UTF-8 of an IDN as escapes. */
	uriUnescapeInPlaceA(h);
	if (*h == '\0' || strchr(h, '%') != NULL || !vf_utf8_valid(h,
	    strlen(h))) {
		free(h);
		return NULL;
	}
	for (p = h; *p != '\0'; p++)
		if ((unsigned char)*p < 0x80)
			*p = (char)tolower((unsigned char)*p);
	if ((n = strlen(h)) > 1 && h[n - 1] == '.')
		h[n - 1] = '\0';
	/*
	 * Letters, digits and hyphens, no A-label among them: already what
	 * IDNA gives, lowercased; libidn2 is for the others (and checks an
	 * "xn--" label is one). It was a tenth of vf-validate's time.
	 */
	if (h[ldh_span(h)] == '\0' &&
	    strstr(h, "xn--") == NULL) {
		a = h;
		h = NULL;
		goto ldh;
	}
	rc = idn2_to_ascii_8z(h, &a, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		rc = idn2_to_ascii_8z(h, &a, IDN2_NFC_INPUT |
		    IDN2_TRANSITIONAL);
	free(h);
	if (rc != IDN2_OK)
		return NULL;
	for (p = a; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	p = vf_strdup(a);
	idn2_free(a);
	a = p;
ldh:
	/*
	 * Not a host name: characters of a URL, or an empty label (the one
	 * final dot of a fully qualified name is gone already).
	 */
	n = strlen(a);
	if (n == 0 || ldh_span(a) != n ||
	    a[0] == '.' || a[n - 1] == '.' || strstr(a, "..") != NULL) {
		free(a);
		return NULL;
	}
	/* Labels of 1 to 63 characters, no hyphen at either end (RFC 5891). */
	for (p = a; *p != '\0'; p += n + (p[n] == '.')) {
		n = strcspn(p, ".");
		if (n > 63 || p[0] == '-' || p[n - 1] == '-') {
			free(a);
			return NULL;
		}
	}
	return a;
}

/* A segment a-e of a plain path: not empty, ".", nor "..". */
static int
plain_seg(const char *a, const char *e)
{
	return e > a && !(a[0] == '.' && (e == a + 1 || (a[1] == '.' &&
	    e == a + 2)));
}

/*
 * A URL already in its canonical spelling, as most reporters write one:
 * "http" or "https", "://", a host name of lowercase U_LDH labels with a
 * letter (no IP address: a margin, the parser spells those alike too;
 * no A-label, no final dot) and a path of plain bytes with no "." or
 * ".." segment and no empty one but the last. Its spelling is
 * itself ("/" added for no path) and its host the bytes between: the
 * parse, the normalisation and the copies cost 8,000 instructions a URL,
 * a tenth of vf-validate over a tree. NULL: not one, for the parser.
 * t/unit/test_validate.c checks it against the parser's answer.
 */
static char *
plain(const char *in, char **hostp)
{
	const char *h, *p, *seg, *lab;
	size_t n;
	int letter = 0;

	if (strncmp(in, "http", 4) != 0)
		return NULL;
	h = in + 4 + (in[4] == 's');
	if (strncmp(h, "://", 3) != 0)
		return NULL;
	h += 3;
	/* Labels of 1 to 63 bytes, no hyphen at either end, no "--". */
	for (p = lab = h; ; p++) {
		if (*p == '.' || *p == '/' || *p == '\0') {
			n = (size_t)(p - lab);
			if (n == 0 || n > 63 || lab[0] == '-' || p[-1] == '-')
				return NULL;
			if (*p != '.')
				break;
			lab = p + 1;
			continue;
		}
		if (!(uch[(unsigned char)*p] & U_LDH) || (*p == '-' && p[1] == '-'))
			return NULL;	/* "xn--" and its like: libidn2's */
		if (*p >= 'a' && *p <= 'z')
			letter = 1;
	}
	if (!letter)
		return NULL;
	n = (size_t)(p - h);
	/*
	 * The path: segments of plain bytes, none "." or "..", none empty
	 * but the last ("/", "/a/").
	 */
	for (seg = p; *p != '\0'; p++) {
		if (!(uch[(unsigned char)*p] & U_PATH))
			return NULL;
		if (*p == '/' && p > seg) {
			if (!plain_seg(seg + 1, p))
				return NULL;
			seg = p;
		}
	}
	if (p > seg + 1 && !plain_seg(seg + 1, p))
		return NULL;
	if ((size_t)(p - in) > URL_MAX)
		return NULL;
	if (hostp != NULL)
		*hostp = vf_strndup(h, n);
	if (h[n] == '\0') {
		char *c = vf_malloc((size_t)(p - in) + 2);

		memcpy(c, in, (size_t)(p - in));
		memcpy(c + (p - in), "/", 2);
		return c;
	}
	return vf_strdup(in);
}

/* The URL taken apart by liburiparser and put together again. */
static char *
parsed(const char *in, char **hostp)
{
	struct vf_buf b = { 0 }, o = { 0 };
	UriUriA u;
	UriPathSegmentA *seg;
	const char *errpos, *dp;
	const unsigned char *s, *run;
	char *scheme = NULL, *host = NULL, *port = NULL, *p;
	int parsed = 0, ascii;

	if (hostp != NULL)
		*hostp = NULL;
	if (in == NULL || strlen(in) > URL_MAX)
		return NULL;
	/*
	 * IRI to URI: non-ASCII bytes as escapes; a space or control ends
	 * it. Runs of ASCII are copied whole (a URL is mostly one), and
	 * only what has a byte past ASCII can fail to be UTF-8.
	 */
	for (s = (const unsigned char *)in, ascii = 1; *s != '\0';) {
		for (run = s; *s > 0x20 && *s < 0x7f; s++)
			;
		vf_buf_add(&b, run, (size_t)(s - run));
		if (*s == '\0')
			break;
		if (*s <= 0x20 || *s == 0x7f)
			goto bad;
		vf_buf_addc(&b, '%');
		vf_buf_addc(&b, "0123456789ABCDEF"[*s >> 4]);
		vf_buf_addc(&b, "0123456789ABCDEF"[*s & 0xf]);
		ascii = 0;
		s++;
	}
	if (b.len == 0 || (!ascii && !vf_utf8_valid(in, strlen(in))))
		goto bad;
	memset(&u, 0, sizeof(u));
	if (uriParseSingleUriA(&u, b.p, &errpos) != URI_SUCCESS)
		goto bad;
	parsed = 1;
	if (uriNormalizeSyntaxA(&u) != URI_SUCCESS)
		goto bad;
	if (range_len(&u.scheme) == 0)
		goto bad;
	scheme = vf_strndup(u.scheme.first, range_len(&u.scheme));
	for (p = scheme; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((host = host_ascii(&u)) == NULL)
		goto bad;
	if (range_len(&u.portText) > 0) {
		port = vf_strndup(u.portText.first, range_len(&u.portText));
		if (strspn(port, "0123456789") != strlen(port))
			goto bad;
		while (port[0] == '0' && port[1] != '\0')
			memmove(port, port + 1, strlen(port));
		if ((dp = default_port(scheme)) != NULL &&
		    strcmp(dp, port) == 0) {
			free(port);
			port = NULL;
		}
	}
	vf_buf_adds(&o, scheme);
	vf_buf_adds(&o, "://");
	if (u.hostData.ip6 != NULL || u.hostData.ipFuture.first != NULL)
		vf_buf_printf(&o, "[%s]", host);
	else
		vf_buf_adds(&o, host);
	if (port != NULL)
		vf_buf_printf(&o, ":%s", port);
	if (u.pathHead == NULL)
		vf_buf_addc(&o, '/');
	for (seg = u.pathHead; seg != NULL; seg = seg->next) {
		vf_buf_addc(&o, '/');
		vf_buf_add(&o, seg->text.first, range_len(&seg->text));
	}
	if (u.query.first != NULL) {
		vf_buf_addc(&o, '?');
		vf_buf_add(&o, u.query.first, range_len(&u.query));
	}
	uriFreeUriMembersA(&u);
	vf_buf_free(&b);
	free(scheme);
	free(port);
	if (hostp != NULL)
		*hostp = host;
	else
		free(host);
	return vf_buf_take(&o, NULL);
bad:
	if (parsed)
		uriFreeUriMembersA(&u);
	vf_buf_free(&b);
	vf_buf_free(&o);
	free(scheme);
	free(host);
	free(port);
	return NULL;
}

/* Without the shortcut of plain URLs: the tests compare the two. */
char *
vf_url_canon_parsed(const char *in, char **hostp)
{
	return parsed(in, hostp);
}

/*
 * The last URL's spelling, kept: vf-validate asks for one case's URL
 * three times in a row (its format, its scope, the duplicate index), and
 * liburiparser and libidn2 took a quarter of its time over a tree. A
 * plain URL is not kept: telling it again costs less than the memo's
 * copies.
 */
static _Thread_local struct {
	char	*in, *canon, *host;
} last;

char *
vf_url_canon(const char *in, char **hostp)
{
	char *c, *h = NULL;

	if (hostp != NULL)
		*hostp = NULL;
	if (in != NULL && (c = plain(in, hostp)) != NULL)
		return c;
	if (in != NULL && last.in != NULL && strcmp(in, last.in) == 0) {
		if (hostp != NULL)
			*hostp = last.host != NULL ? vf_strdup(last.host) :
			    NULL;
		return last.canon != NULL ? vf_strdup(last.canon) : NULL;
	}
	c = parsed(in, &h);
	free(last.in);
	free(last.canon);
	free(last.host);
	last.in = in != NULL && strlen(in) <= URL_MAX ? vf_strdup(in) : NULL;
	last.canon = c != NULL ? vf_strdup(c) : NULL;
	last.host = h != NULL ? vf_strdup(h) : NULL;
	if (hostp != NULL)
		*hostp = h;
	else
		free(h);
	return c;
}

/*
 * Is host (A-labels, lowercase) under one of the domains? "example.com"
 * holds itself and "www.example.com", never "badexample.com".
 */
int
vf_host_under(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	if (d == 0 || d > h)
		return 0;
	if (strcmp(host + h - d, domain) != 0)
		return 0;
	return h == d || host[h - d - 1] == '.' || domain[0] == '.';
}
