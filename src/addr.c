/*
 * Mail addresses: RFC 5322's addr-spec (§3.4.1), the only form an address
 * from a report, a contact list or a security.txt may take before it
 * reaches a To: header or sendmail's command line. Obsolete forms
 * (§4.4: comments, folding white space inside, "a . b") are refused, and
 * so is everything that is not printable ASCII but a domain in U-labels,
 * which is turned into A-labels with libidn2 (IDNA 2008).
 */
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "vf.h"

/* RFC 5322 atext. */
static int
atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

/* dot-atom-text: atext runs separated by single dots. */
static int
dot_atom(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* quoted-string without folding white space: printable ASCII only. */
static int
quoted(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return 0;
	for (i = 1; i < n - 1; i++) {
		if (s[i] == '\\') {
			if (++i == n - 1 || s[i] < 0x20 || s[i] > 0x7e)
				return 0;
		} else if (s[i] == '"' || s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	}
	return 1;
}

/* A host name: LDH labels of 1 to 63, at least two of them. */
static int
hostname(const char *s, size_t n)
{
	size_t i, len = 0, labels = 1;

	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (len == 0 || s[i - 1] == '-')
				return 0;
			len = 0;
			labels++;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && len > 0)))
			return 0;
		if (++len > 63)
			return 0;
	}
	return labels >= 2 && s[n - 1] != '-';
}

/* [IPv4] or [IPv6:...]: a domain-literal of printable dtext. */
static int
literal(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (s[i] < 0x21 || s[i] > 0x7e || s[i] == '[' || s[i] == ']' ||
		    s[i] == '\\')
			return 0;
	return 1;
}

int
vf_addr_valid(const char *a)
{
	const char *at;
	size_t n, ln;

	/* A leading '-' is atext, but a command line would take an option. */
	if (a == NULL || (n = strlen(a)) == 0 || n > 254 || a[0] == '-')
		return 0;
	/* The last '@': a quoted local part may hold one. */
	if ((at = strrchr(a, '@')) == NULL)
		return 0;
	ln = (size_t)(at - a);
	if (ln == 0 || ln > 64 || !(dot_atom(a, ln) || quoted(a, ln)))
		return 0;
	return hostname(at + 1, n - ln - 1) || literal(at + 1, n - ln - 1);
}

char *
vf_addr_ascii(const char *a)
{
	const char *at;
	char *host = NULL, *out;
	size_t n;
	int rc;

	if (a == NULL || (at = strrchr(a, '@')) == NULL)
		return NULL;
	if (vf_addr_valid(a))
		return vf_strdup(a);
	/* Only the domain may be in U-labels; the local part stays ASCII. */
	for (n = 0; a + n < at; n++)
		if ((unsigned char)a[n] >= 0x80)
			return NULL;
	rc = idn2_to_ascii_8z(at + 1, &host, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL);
	if (rc == IDN2_MALLOC)
		(void)vf_malloc(SIZE_MAX);	/* exits 75 */
	if (rc != IDN2_OK)
		return NULL;
	n = (size_t)(at - a) + 1 + strlen(host) + 1;
	out = vf_malloc(n);
	memcpy(out, a, (size_t)(at - a) + 1);
	memcpy(out + (at - a) + 1, host, strlen(host) + 1);
	idn2_free(host);
	if (!vf_addr_valid(out)) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * The mailbox a From header or an OpenPGP user ID names: what the last
 * <...> holds, else the whole value, white space trimmed. Comments,
 * groups and lists name no one mailbox: NULL, as for no valid address.
 */
char *
vf_addr_mailbox(const char *v)
{
	const char *s, *e, *lt;
	char *a, *out;

	if (v == NULL)
		return NULL;
	if ((lt = strrchr(v, '<')) != NULL) {
		s = lt + 1;
		if ((e = strchr(s, '>')) == NULL)
			return NULL;
	} else {
		for (s = v; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
	}
	a = vf_strndup(s, (size_t)(e - s));
	out = vf_addr_ascii(a);
	free(a);
	return out;
}
