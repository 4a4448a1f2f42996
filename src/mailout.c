/*
 * Outgoing mail: PGP/MIME (RFC 3156) as gpg, mutt and Thunderbird open it.
 *
 * Signed and encrypted, the combined method of RFC 3156 section 6.2: one
 * OpenPGP message, signed and then encrypted, of a MIME entity in the
 * canonical form that section asks for (CRLF line ends, 7bit: base64):
 *
 *	Content-Type: multipart/encrypted;
 *	    protocol="application/pgp-encrypted"; boundary=...
 *	--B
 *	Content-Type: application/pgp-encrypted
 *	Version: 1
 *	--B
 *	Content-Type: application/octet-stream; name="encrypted.asc"
 *	-----BEGIN PGP MESSAGE----- ...
 *
 * Signed only (a reporter who did not ask for encryption and has no key,
 * an operator's first contact): multipart/signed, the entity and then its
 * detached signature, micalg named from the digest gpg used.
 *
 * Only the outer headers travel in clear; they hold nothing from a report
 * but an address, which must be an addr-spec (vf_addr_valid), and a
 * display name, which must be one line and is RFC 2047-encoded where it
 * is not ASCII. The mail is written with LF line ends, as sendmail takes
 * it on its input; the entity inside the encryption has CRLF, as signed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"

int
vf_mail_msgid(char *buf, size_t size, const char *id, const char *host)
{
	char probe[300];
	int n;

	/* The host is checked as the domain of an address would be. */
	if (!vf_id_valid(id) || host == NULL ||
	    snprintf(probe, sizeof(probe), "x@%s", host) >=
	    (int)sizeof(probe) || !vf_addr_valid(probe))
		return EX_DATAERR;
	/* 128 random bits: a reply naming it proves it saw our mail. */
	n = snprintf(buf, size, "<vf.%s.%08x%08x%08x%08x@%s>", id,
	    arc4random(), arc4random(), arc4random(), arc4random(), host);
	if (n < 0 || (size_t)n >= size)
		return EX_SOFTWARE;
	return 0;
}

/* LF to CRLF, appended to o. */
static void
crlf(struct vf_buf *o, const char *s, size_t n)
{
	const char *nl;

	while (n > 0 && (nl = memchr(s, '\n', n)) != NULL) {
		vf_buf_add(o, s, (size_t)(nl - s));
		vf_buf_add(o, "\r\n", 2);
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	vf_buf_add(o, s, n);
}

void
vf_mail_entity(struct vf_buf *o, const char *text, size_t len)
{
	struct vf_buf c = { 0 }, b = { 0 };

	/* Canonical text is CRLF before it is base64-encoded (RFC 2049). */
	crlf(&c, text, len);
	vf_base64_encode(&b, c.p != NULL ? c.p : "", c.len);
	vf_buf_adds(o, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: inline\r\n\r\n");
	crlf(o, b.p != NULL ? b.p : "", b.len);
	explicit_bzero(c.p, c.cap);
	explicit_bzero(b.p, b.cap);
	vf_buf_free(&c);
	vf_buf_free(&b);
}

static int
one_line(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

/*
 * How a display name can be written: PHRASE_ATOMS (atext and spaces, as it
 * is), PHRASE_QUOTED (other printable ASCII: a quoted-string), PHRASE_ENCODED
 * (not ASCII: encoded words), PHRASE_NONE (not ASCII and an ASCII special,
 * which an encoded-word phrase cannot carry, RFC 2047 section 5).
 */
enum { PHRASE_ATOMS, PHRASE_QUOTED, PHRASE_ENCODED, PHRASE_NONE };

static int
phrase_kind(const char *s)
{
	int quoted = 0, encoded = 0, special = 0;
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c >= 0x80)
			encoded = 1;
		else if (c < 0x20 || c == 0x7f)
			return PHRASE_NONE;
		else if (strchr("()<>[]:;@\\,.\"", c) != NULL)
			special = quoted = 1;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == ' ' ||
		    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL))
			quoted = 1;
	}
	if (encoded)
		return special ? PHRASE_NONE : PHRASE_ENCODED;
	return quoted ? PHRASE_QUOTED : PHRASE_ATOMS;
}

/*
 * "Name <addr>" or "addr". A name in plain ASCII is quoted where it must
 * be; one with other characters becomes encoded words, unless it also
 * holds an ASCII special, which an encoded-word phrase cannot carry
 * (RFC 2047 section 5): then the address goes alone.
 */
static void
mailbox(struct vf_buf *o, const char *hdr, const char *name,
    const char *addr)
{
	const char *s;

	vf_buf_printf(o, "%s: ", hdr);
	/*
	 * A name in plain ASCII is written on the header's line, unfolded; one
	 * that would take the line past RFC 5322's 998 characters (a contact
	 * list's 12 KB name, t/0360) is left out, the address alone: a
	 * display name is a courtesy, the line limit is not.
	 */
	if (name != NULL && phrase_kind(name) <= PHRASE_QUOTED &&
	    strlen(hdr) + 2 + 2 * strlen(name) + 2 + strlen(addr) + 1 > 998)
		name = NULL;
	if (name != NULL && *name != '\0') {
		switch (phrase_kind(name)) {
		case PHRASE_ATOMS:
			vf_buf_printf(o, "%s <%s>\n", name, addr);
			return;
		case PHRASE_QUOTED:
			vf_buf_addc(o, '"');
			for (s = name; *s != '\0'; s++) {
				if (*s == '"' || *s == '\\')
					vf_buf_addc(o, '\\');
				vf_buf_addc(o, *s);
			}
			vf_buf_printf(o, "\" <%s>\n", addr);
			return;
		case PHRASE_ENCODED:
			vf_hdr_encode(o, name, strlen(hdr) + 2);
			vf_buf_printf(o, " <%s>\n", addr);
			return;
		}
	}
	vf_buf_printf(o, "%s\n", addr);
}

static const char *
micalg(int hash)
{
	switch (hash) {
	case 2:		return "pgp-sha1";
	case 8:		return "pgp-sha256";
	case 9:		return "pgp-sha384";
	case 10:	return "pgp-sha512";
	case 11:	return "pgp-sha224";
	}
	return NULL;
}

int
vf_mail_compose(struct vf_buf *o, const struct vf_mailhdr *h,
    const char *entity, size_t entlen, const char *pgp, size_t pgplen,
    int hash)
{
	struct tm tm;
	char date[64], bnd[80];
	const char *alg = NULL;
	size_t n;

	if (!one_line(h->from_name) || !one_line(h->to_name) ||
	    !one_line(h->subject) || !one_line(h->msgid) ||
	    !vf_addr_valid(h->from) || !vf_addr_valid(h->to) ||
	    !vf_id_valid(h->id) || h->subject == NULL || h->msgid == NULL ||
	    phrase_kind(h->msgid) > PHRASE_QUOTED ||
	    phrase_kind(h->kind) > PHRASE_QUOTED ||
	    phrase_kind(h->role) > PHRASE_QUOTED)
		return EX_DATAERR;
	if (entity != NULL && (alg = micalg(hash)) == NULL)
		return EX_SOFTWARE;
	if (gmtime_r(&h->date, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		return EX_SOFTWARE;
	if (snprintf(bnd, sizeof(bnd), "=_vf_%s_%08x%08x", h->id,
	    arc4random(), arc4random()) >= (int)sizeof(bnd))
		return EX_SOFTWARE;

	mailbox(o, "From", h->from_name, h->from);
	mailbox(o, "To", h->to_name, h->to);
	vf_buf_printf(o, "Subject: [VF#%s] ", h->id);
	vf_hdr_encode(o, h->subject, 9 + 5 + strlen(h->id) + 1);
	vf_buf_printf(o, "\nDate: %s\nMessage-ID: %s\nMIME-Version: 1.0\n",
	    date, h->msgid);
	if (entity == NULL)
		vf_buf_printf(o, "Content-Type: multipart/encrypted; "
		    "protocol=\"application/pgp-encrypted\";\n"
		    " boundary=\"%s\"\n", bnd);
	else
		vf_buf_printf(o, "Content-Type: multipart/signed; "
		    "micalg=%s;\n protocol=\"application/pgp-signature\";\n"
		    " boundary=\"%s\"\n", alg, bnd);
	vf_buf_printf(o, "Vf-Id: %s\nVf-Notice: %s %s\n\n", h->id, h->kind,
	    h->role);
	if (entity == NULL) {
		vf_buf_printf(o, "This is an OpenPGP/MIME encrypted message "
		    "(RFC 3156).\n--%s\n"
		    "Content-Type: application/pgp-encrypted\n"
		    "Content-Description: PGP/MIME version identification\n"
		    "\nVersion: 1\n\n--%s\n"
		    "Content-Type: application/octet-stream; "
		    "name=\"encrypted.asc\"\n"
		    "Content-Description: OpenPGP encrypted message\n"
		    "Content-Disposition: inline; filename=\"encrypted.asc\"\n"
		    "\n", bnd, bnd);
	} else {
		vf_buf_printf(o, "This is an OpenPGP/MIME signed message "
		    "(RFC 3156).\n--%s\n", bnd);
		/* The entity as signed, but with the LF sendmail wants. */
		for (n = 0; n < entlen; n++)
			if (!(entity[n] == '\r' && n + 1 < entlen &&
			    entity[n + 1] == '\n'))
				vf_buf_addc(o, entity[n]);
		vf_buf_printf(o, "\n--%s\n"
		    "Content-Type: application/pgp-signature; "
		    "name=\"signature.asc\"\n"
		    "Content-Description: OpenPGP digital signature\n"
		    "Content-Disposition: attachment; filename=\"signature.asc\"\n"
		    "\n", bnd);
	}
	vf_buf_add(o, pgp, pgplen);
	if (pgplen > 0 && pgp[pgplen - 1] != '\n')
		vf_buf_addc(o, '\n');
	vf_buf_printf(o, "\n--%s--\n", bnd);
	return 0;
}
