/*
 * Host names as routing compares them: the host of a URL (liburiparser),
 * in lowercase A-labels (libidn2, IDNA 2008 with the UTS #46 mapping, so
 * that "ＳＨＯＰ.例え.jp" and "shop.xn--r8jz45g.jp" are one host), and
 * the names from it up to its registrable domain (libpsl), which is as far
 * as one operator's authority can be assumed to reach: past it is a
 * public suffix (jp, co.jp, github.io), which nobody operates for the
 * sites under it.
 *
 * The public suffix list is the system's (/usr/share/publicsuffix, kept
 * current by the publicsuffix package) when it is newer than the one
 * built into libpsl, else the built-in one (psl_latest). Private suffixes
 * (github.io, blogspot.com) count as suffixes too: the sites under them
 * are run by their users, not by the suffix's owner.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <libpsl.h>
#include <uriparser/Uri.h>

#include "vf.h"

static psl_ctx_t *psl;

static const psl_ctx_t *
list(void)
{
	if (psl == NULL && (psl = psl_latest(NULL)) == NULL)
		psl = (psl_ctx_t *)psl_builtin();
	return psl;
}

/* LDH labels of at most 63, at most 253 in all, no empty label. */
static int
ldh(const char *h)
{
	size_t n = 0, lab = 0;

	for (; h[n] != '\0'; n++) {
		if (h[n] == '.') {
			if (lab == 0 || h[n - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!(islower((unsigned char)h[n]) ||
		    isdigit((unsigned char)h[n]) || h[n] == '-'))
			return 0;
		if (lab == 0 && h[n] == '-')
			return 0;
		if (++lab > 63)
			return 0;
	}
	return n > 0 && n <= 253 && lab > 0 && h[n - 1] != '-';
}

char *
vf_host_ascii(const char *in)
{
	char *s, *out = NULL;
	size_t i, n;
	int rc, ascii = 1;

	if (in == NULL || (n = strlen(in)) == 0 || n > 1024)
		return NULL;
	s = vf_strdup(in);
	/* One final dot is the root: "example.jp." is example.jp. */
	if (n > 1 && s[n - 1] == '.')
		s[--n] = '\0';
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			ascii = 0;
		else
			s[i] = (char)tolower((unsigned char)s[i]);
	}
	if (ascii) {
		out = s;
		s = NULL;
	} else {
		rc = idn2_to_ascii_8z(s, &out, IDN2_NFC_INPUT |
		    IDN2_NONTRANSITIONAL);
		if (rc == IDN2_MALLOC)
			(void)vf_malloc(SIZE_MAX);	/* exits 75 */
		if (rc != IDN2_OK)
			out = NULL;
		else {
			char *t = vf_strdup(out);

			idn2_free(out);
			out = t;
		}
	}
	free(s);
	if (out != NULL && !ldh(out)) {
		free(out);
		out = NULL;
	}
	return out;
}

char *
vf_url_host(const char *url)
{
	UriUriA u;
	const char *err;
	char *raw, *h;
	size_t n;

	struct vf_buf b = { 0 };
	const unsigned char *q;
	int rc;

	if (url == NULL)
		return NULL;
	/*
	 * An IRI (RFC 3987 §3.1): the bytes of UTF-8 characters as %XX, which
	 * the URI parser takes; the host is unescaped again below.
	 */
	for (q = (const unsigned char *)url; *q != '\0'; q++)
		if (*q >= 0x80)
			vf_buf_printf(&b, "%%%02X", *q);
		else
			vf_buf_addc(&b, *q);
	vf_buf_add(&b, "", 0);
	memset(&u, 0, sizeof(u));
	rc = uriParseSingleUriA(&u, b.p, &err);
	if (rc != URI_SUCCESS) {
		vf_buf_free(&b);
		return NULL;
	}
	h = NULL;
	/* Only web sites: the host of an http or https URL, not an IP. */
	n = (size_t)(u.scheme.afterLast - u.scheme.first);
	if (u.scheme.first != NULL && ((n == 4 &&
	    strncasecmp(u.scheme.first, "http", 4) == 0) || (n == 5 &&
	    strncasecmp(u.scheme.first, "https", 5) == 0)) &&
	    u.hostText.first != NULL && u.hostData.ip4 == NULL &&
	    u.hostData.ip6 == NULL && u.hostData.ipFuture.first == NULL &&
	    u.hostText.afterLast > u.hostText.first) {
		raw = vf_strndup(u.hostText.first,
		    (size_t)(u.hostText.afterLast - u.hostText.first));
		/* Percent-encoded UTF-8 in a host (RFC 3986 3.2.2). */
		(void)uriUnescapeInPlaceA(raw);
		if (memchr(raw, '%', strlen(raw)) == NULL)
			h = vf_host_ascii(raw);
		free(raw);
	}
	uriFreeUriMembersA(&u);
	vf_buf_free(&b);
	return h;
}

int
vf_host_is_suffix(const char *host)
{
	return psl_is_public_suffix2(list(), host, PSL_TYPE_ANY) != 0;
}

const char *
vf_host_registrable(const char *host)
{
	return psl_registrable_domain(list(), host);
}

size_t
vf_host_walk(const char *host, const char **v, size_t max)
{
	const char *reg, *p = host;
	size_t n = 0;

	if (host == NULL || (reg = vf_host_registrable(host)) == NULL)
		return 0;
	/* reg points into host: every name from host down to it. */
	while (n < max) {
		v[n++] = p;
		if (p >= reg)
			break;
		if ((p = strchr(p, '.')) == NULL)
			break;
		p++;
	}
	return n;
}
