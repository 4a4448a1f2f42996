/*
 * Outgoing mail: Message-IDs, the canonical entity, and the headers, which
 * hold nothing unchecked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

START_TEST(msgid)
{
	char a[256], b[256], id[VF_IDLEN];

	ck_assert_int_eq(vf_mail_msgid(a, sizeof(a), "2026-00042",
	    "example.jp"), 0);
	ck_assert_int_eq(vf_mail_msgid(b, sizeof(b), "2026-00042",
	    "example.jp"), 0);
	ck_assert_uint_eq(strlen(a), strlen("<vf.2026-00042.@example.jp>") +
	    32);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strncmp(a, "<vf.2026-00042.", 15), 0);
	/*
	 * A reply's In-Reply-To finds the case through .sent (sent.c), not
	 * by the id in it: the id part is guessable, the rest is not.
	 */
	ck_assert_int_eq(vf_id_scan(a, id, sizeof(id)), 0);
	ck_assert_int_ne(vf_mail_msgid(a, sizeof(a), "2026-42", "example.jp"),
	    0);
	ck_assert_int_ne(vf_mail_msgid(a, sizeof(a), "2026-00042",
	    "exa mple.jp"), 0);
	ck_assert_int_ne(vf_mail_msgid(a, sizeof(a), "2026-00042",
	    "x.jp>\nBcc: a@b.jp"), 0);
	ck_assert_int_ne(vf_mail_msgid(a, 20, "2026-00042", "example.jp"), 0);
}
END_TEST

START_TEST(entity)
{
	struct vf_buf o = { 0 };
	const char *body;

	vf_mail_entity(&o, "受付番号\nline two\n", 22);
	vf_buf_add(&o, "", 0);
	ck_assert_int_eq(strncmp(o.p, "Content-Type: text/plain; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n", 74), 0);
	ck_assert_ptr_nonnull(body = strstr(o.p, "\r\n\r\n"));
	/* Canonical: CRLF in the text before base64, CRLF between lines. */
	ck_assert_str_eq(body + 4, "5Y+X5LuY55Wq5Y+3DQpsaW5lIHR3bw0K\r\n");
	ck_assert_ptr_null(strstr(o.p, "\n\n"));
	vf_buf_free(&o);
}
END_TEST

static struct vf_mailhdr
hdr(void)
{
	struct vf_mailhdr h;

	memset(&h, 0, sizeof(h));
	h.from_name = "Example Vulnerability Office";
	h.from = "office@example.jp";
	h.to = "taro@example.jp";
	h.subject = "届出を受理しました";
	h.msgid = "<vf.2026-00042.0123@example.jp>";
	h.id = "2026-00042";
	h.kind = "accepted";
	h.role = "reporter";
	h.date = 1796170000;
	return h;
}

static int
compose(struct vf_mailhdr *h, struct vf_buf *o)
{
	o->len = 0;
	return vf_mail_compose(o, h, NULL, 0, "-----BEGIN PGP MESSAGE-----\n"
	    "x\n-----END PGP MESSAGE-----\n", 56, 0);
}

START_TEST(headers)
{
	struct vf_mailhdr h = hdr();
	struct vf_buf o = { 0 };
	char *hd;

	ck_assert_int_eq(compose(&h, &o), 0);
	vf_buf_add(&o, "", 0);
	hd = vf_strndup(o.p, (size_t)(strstr(o.p, "\n\n") - o.p));
	ck_assert_ptr_nonnull(strstr(hd, "From: Example Vulnerability Office "
	    "<office@example.jp>\nTo: taro@example.jp\nSubject: [VF#2026-00042] "
	    "=?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(hd, "\nDate: Wed, 02 Dec 2026 00:06:40 +0000\n"));
	ck_assert_ptr_nonnull(strstr(hd, "\nContent-Type: multipart/encrypted; "
	    "protocol=\"application/pgp-encrypted\";\n boundary=\"=_vf_"
	    "2026-00042_"));
	ck_assert_ptr_nonnull(strstr(hd, "\nVf-Id: 2026-00042\nVf-Notice: "
	    "accepted reporter"));
	/* Every header line is ASCII. */
	{
		const unsigned char *p;

		for (p = (const unsigned char *)hd; *p != '\0'; p++)
			ck_assert_uint_lt(*p, 0x80);
	}
	free(hd);
	ck_assert_ptr_nonnull(strstr(o.p, "\nContent-Type: "
	    "application/pgp-encrypted\n"));
	ck_assert_ptr_nonnull(strstr(o.p, "\nVersion: 1\n"));

	/* Display names: plain, quoted, encoded, or left out. */
	h.to_name = "Shop Security";
	ck_assert_int_eq(compose(&h, &o), 0);
	ck_assert_ptr_nonnull(memmem(o.p, o.len, "\nTo: Shop Security "
	    "<taro@example.jp>\n", 36));
	h.to_name = "Example, Inc. \"CERT\"";
	ck_assert_int_eq(compose(&h, &o), 0);
	ck_assert_ptr_nonnull(memmem(o.p, o.len, "\nTo: \"Example, Inc. "
	    "\\\"CERT\\\"\" <taro@example.jp>\n", 47));
	h.to_name = "株式会社サンプル 情報システム部";
	ck_assert_int_eq(compose(&h, &o), 0);
	ck_assert_ptr_nonnull(memmem(o.p, o.len, "\nTo: =?UTF-8?B?", 15));
	h.to_name = "株式会社サンプル <evil@example.net>";
	ck_assert_int_eq(compose(&h, &o), 0);
	ck_assert_ptr_nonnull(memmem(o.p, o.len, "\nTo: taro@example.jp\n",
	    21));
	ck_assert_ptr_null(memmem(o.p, o.len, "evil", 4));

	/* No line break from anywhere reaches a header. */
	h = hdr();
	h.to_name = "Shop\nBcc: evil@example.net";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	h = hdr();
	h.subject = "x\r\nBcc: evil@example.net";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	h = hdr();
	h.to = "taro@example.jp\nBcc: evil@example.net";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	h.to = "Taro <taro@example.jp>";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	h.to = "-oQ/tmp/x@example.jp";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	h = hdr();
	h.from = "office";
	ck_assert_int_eq(compose(&h, &o), EX_DATAERR);
	vf_buf_free(&o);
}
END_TEST

START_TEST(signed_only)
{
	struct vf_mailhdr h = hdr();
	struct vf_buf o = { 0 }, e = { 0 };
	const char *sig = "-----BEGIN PGP SIGNATURE-----\nx\n"
	    "-----END PGP SIGNATURE-----\n";

	vf_mail_entity(&e, "hello\n", 6);
	ck_assert_int_eq(vf_mail_compose(&o, &h, e.p, e.len, sig, strlen(sig),
	    10), 0);
	vf_buf_add(&o, "", 0);
	ck_assert_ptr_nonnull(strstr(o.p, "Content-Type: multipart/signed; "
	    "micalg=pgp-sha512;\n protocol=\"application/pgp-signature\";"));
	/* The entity as signed, with LF for sendmail. */
	ck_assert_ptr_nonnull(strstr(o.p, "\nContent-Type: text/plain; "
	    "charset=utf-8\nContent-Transfer-Encoding: base64\n"
	    "Content-Disposition: inline\n\naGVsbG8NCg==\n\n--=_vf_"));
	ck_assert_ptr_null(strchr(o.p, '\r'));
	ck_assert_ptr_nonnull(strstr(o.p, "Content-Type: "
	    "application/pgp-signature; name=\"signature.asc\""));
	/* An unknown digest is not guessed at. */
	ck_assert_int_eq(vf_mail_compose(&o, &h, e.p, e.len, sig, strlen(sig),
	    99), EX_SOFTWARE);
	vf_buf_free(&o);
	vf_buf_free(&e);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mailout");
	TCase *tc = tcase_create("mailout");

	tcase_add_test(tc, msgid);
	tcase_add_test(tc, entity);
	tcase_add_test(tc, headers);
	tcase_add_test(tc, signed_only);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(suite)
