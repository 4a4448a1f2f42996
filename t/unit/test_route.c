/*
 * What vf-route decides by: hosts and their walk up to the registrable
 * domain, the contact list's rules, and security.txt read as RFC 9116 and
 * RFC 3339 say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

START_TEST(hosts)
{
	char *h;

	h = vf_url_host("https://Shop.Example.CO.JP:8443/a?b#c");
	ck_assert_str_eq(h, "shop.example.co.jp");
	free(h);
	/* An IRI: U-labels and full-width letters, one host. */
	h = vf_url_host("http://ショップ.例え.ＪＰ/カート");
	ck_assert_str_eq(h, "xn--xckya1d0c.xn--r8jz45g.jp");
	free(h);
	h = vf_url_host("https://example.jp./");
	ck_assert_str_eq(h, "example.jp");
	free(h);
	ck_assert_ptr_null(vf_url_host("ftp://example.jp/"));
	ck_assert_ptr_null(vf_url_host("https://192.0.2.1/"));
	ck_assert_ptr_null(vf_url_host("https://[2001:db8::1]/"));
	ck_assert_ptr_null(vf_url_host("https://a_b.example.jp/"));
	ck_assert_ptr_null(vf_url_host("example.jp"));
	ck_assert_ptr_null(vf_url_host(NULL));
	ck_assert_ptr_null(vf_host_ascii("-a.example.jp"));
	ck_assert_ptr_null(vf_host_ascii("a..example.jp"));
}
END_TEST

START_TEST(walk)
{
	const char *v[8];
	size_t n;

	n = vf_host_walk("a.b.example.co.jp", v, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0], "a.b.example.co.jp");
	ck_assert_str_eq(v[1], "b.example.co.jp");
	ck_assert_str_eq(v[2], "example.co.jp");
	/* The registrable domain itself: only it. */
	n = vf_host_walk("example.jp", v, 8);
	ck_assert_uint_eq(n, 1);
	/* A public suffix: no name at all, not even itself. */
	ck_assert_uint_eq(vf_host_walk("co.jp", v, 8), 0);
	ck_assert_uint_eq(vf_host_walk("jp", v, 8), 0);
	/* A private suffix: the user's site is the registrable domain. */
	n = vf_host_walk("www.someone.github.io", v, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[1], "someone.github.io");
	ck_assert_int_eq(vf_host_is_suffix("github.io"), 1);
	ck_assert_int_eq(vf_host_is_suffix("example.jp"), 0);
}
END_TEST

static int
parse(const char *text, char *err, size_t errlen, struct vf_contacts *l)
{
	return vf_contacts_parse(l, text, strlen(text), "contacts", err,
	    errlen);
}

START_TEST(contacts)
{
	struct vf_contacts l;
	const struct vf_contact *e;
	char err[512];

	ck_assert_int_eq(parse("# c\n\nEXAMPLE.jp\tSec@example.jp\t"
	    "0123456789abcdef0123456789abcdef01234567\tja\tExample 株式会社\r\n"
	    "例え.jp\tinfo@例え.jp\t-\t-\n", err, sizeof(err), &l), 0);
	ck_assert_uint_eq(l.n, 2);
	e = vf_contacts_find(&l, "example.jp");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->line, 3);
	ck_assert_str_eq(e->fpr, "0123456789ABCDEF0123456789ABCDEF01234567");
	ck_assert_str_eq(e->lang, "ja");
	ck_assert_str_eq(e->name, "Example 株式会社");
	e = vf_contacts_find(&l, "xn--r8jz45g.jp");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->addr, "info@xn--r8jz45g.jp");
	ck_assert_str_eq(e->fpr, "");
	ck_assert_ptr_null(e->name);
	ck_assert_ptr_null(vf_contacts_find(&l, "www.example.jp"));
	vf_contacts_free(&l);

	ck_assert_int_eq(parse("a.jp\tx@a.jp\t-\t-\nco.jp\tx@co.jp\t-\t-\n",
	    err, sizeof(err), &l), EX_CONFIG);
	ck_assert_str_eq(err, "contacts:2: co.jp: a public suffix, which no "
	    "one operator runs: name the registrable domain or a host under "
	    "it");
	ck_assert_int_eq(parse("a.jp\tx@a.jp\t-\t-\n\nA.JP\ty@a.jp\t-\t-\n",
	    err, sizeof(err), &l), EX_CONFIG);
	ck_assert_str_eq(err, "contacts:3: a.jp: listed already at line 1");
	ck_assert_int_eq(parse("a.jp\tx@a.jp\t-\n", err, sizeof(err), &l),
	    EX_CONFIG);
	ck_assert_int_eq(parse("a.jp\tx@a.jp\t-\tja\tN\textra\n", err,
	    sizeof(err), &l), EX_CONFIG);
	ck_assert_int_eq(parse("a.jp\tx@a.jp\t-\tja\tN\001\n", err,
	    sizeof(err), &l), EX_CONFIG);
	ck_assert_int_eq(parse("a.jp\t-x@a.jp\t-\tja\n", err, sizeof(err),
	    &l), EX_CONFIG);
	ck_assert_int_eq(vf_contacts_parse(&l, "a\0b", 3, "contacts", err,
	    sizeof(err)), EX_CONFIG);
}
END_TEST

START_TEST(rfc3339)
{
	time_t t;

	ck_assert_int_eq(vf_rfc3339_parse("2027-06-30T00:00:00+09:00", &t),
	    0);
	ck_assert_int_eq((long long)t, 1814281200LL);
	ck_assert_int_eq(vf_rfc3339_parse("2027-06-29T15:00:00.123z", &t), 0);
	ck_assert_int_eq((long long)t, 1814281200LL);
	/* www.gov.uk's: a space for the T, which RFC 3339 lets readers take. */
	ck_assert_int_eq(vf_rfc3339_parse("2023-06-07 13:08:19+00:00", &t), 0);
	ck_assert_int_eq(vf_rfc3339_parse("2024-02-29T00:00:00Z", &t), 0);
	ck_assert_int_eq(vf_rfc3339_parse("2023-02-29T00:00:00Z", &t), -1);
	ck_assert_int_eq(vf_rfc3339_parse("2023-13-01T00:00:00Z", &t), -1);
	ck_assert_int_eq(vf_rfc3339_parse("2023-01-01T00:00:00", &t), -1);
	ck_assert_int_eq(vf_rfc3339_parse("2023-01-01", &t), -1);
	ck_assert_int_eq(vf_rfc3339_parse("2023-01-01T00:00:00+0900", &t), -1);
	ck_assert_int_eq(vf_rfc3339_parse("2023-01-01T00:00:00Z ", &t), -1);
}
END_TEST

START_TEST(sectxt)
{
	static const char f[] =
	    "# a comment\r\n"
	    "cOnTaCt: https://example.jp/report \r\n"
	    "CONTACT:mailto:Security%40example.jp?subject=hi\n"
	    " \t \n"
	    "Expires: 2030-01-01T00:00:00Z\n"
	    "Encryption: openpgp4fpr:0123 4567 89ab cdef 0123 4567 89ab cdef "
	    "0123 4567\n"
	    "Preferred-Languages: fr, ja-JP, en\n"
	    "X-Odd: one\n"
	    "\tfolded\n"
	    "what\n";
	struct vf_sectxt s;
	const char *txt;
	char *a, fpr[41];

	vf_sectxt_parse(&s, f, sizeof(f) - 1);
	ck_assert_uint_eq(s.ncontact, 2);
	ck_assert_str_eq(s.contact[0], "https://example.jp/report");
	a = vf_sectxt_mailto(s.contact[1]);
	ck_assert_str_eq(a, "Security@example.jp");
	free(a);
	ck_assert_ptr_null(vf_sectxt_mailto(s.contact[0]));
	ck_assert_int_eq(vf_sectxt_keyfpr(s.encryption[0], fpr), 1);
	ck_assert_str_eq(fpr, "0123456789ABCDEF0123456789ABCDEF01234567");
	ck_assert_str_eq(vf_sectxt_lang(&s), "ja");
	ck_assert_int_eq((long long)s.expires_t, 1893456000LL);
	ck_assert_str_eq(s.problems.p, "line 10: not a field");
	vf_sectxt_free(&s);

	txt = "Expires: soon\nExpires: 2030-01-01T00:00:00Z\n";
	vf_sectxt_parse(&s, txt, strlen(txt));
	ck_assert_uint_eq(s.ncontact, 0);
	ck_assert_int_eq((long long)s.expires_t, -1);
	ck_assert_ptr_nonnull(strstr(s.problems.p, "no Contact"));
	ck_assert_ptr_nonnull(strstr(s.problems.p, "more than once"));
	ck_assert_ptr_nonnull(strstr(s.problems.p, "not an RFC 3339"));
	ck_assert_ptr_null(vf_sectxt_lang(&s));
	vf_sectxt_free(&s);

	ck_assert_int_eq(vf_sectxt_keyfpr("https://example.jp/key.asc", fpr),
	    0);
	ck_assert_int_eq(vf_sectxt_keyfpr("openpgp4fpr:0123", fpr), 0);
	ck_assert_ptr_null(vf_sectxt_mailto("mailto:not an address"));
}
END_TEST

START_TEST(unwrap)
{
	static const char signed_[] =
	    "ignored before\n"
	    "-----BEGIN PGP SIGNED MESSAGE-----\n"
	    "Hash: SHA512\n"
	    "\n"
	    "Contact: mailto:a@example.jp\n"
	    "- -----dash escaped\n"
	    "-----BEGIN PGP SIGNATURE-----\n"
	    "\n"
	    "xx\n"
	    "-----END PGP SIGNATURE-----\n"
	    "Contact: mailto:outside@example.jp\n";
	struct vf_buf b = { 0 };
	const char *a;
	int sig;

	ck_assert_int_eq(vf_sectxt_unwrap(signed_, sizeof(signed_) - 1, &b,
	    &sig), 1);
	/* Text before and after the armor: not signed, flagged. */
	ck_assert_int_eq(sig, 2);
	ck_assert_str_eq(b.p, "Contact: mailto:a@example.jp\n"
	    "-----dash escaped\n");
	ck_assert_int_eq(vf_sectxt_unwrap(signed_ + 15, 160, &b, &sig), 1);
	ck_assert_int_eq(sig, 1);
	ck_assert_int_eq(vf_sectxt_unwrap("Contact: x\n", 11, &b, &sig), 0);
	ck_assert_int_eq(sig, 0);
	ck_assert_str_eq(b.p, "Contact: x\n");
	/* The armor without its signature: not a signed file to read. */
	a = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
	    "Contact: x\n";
	ck_assert_int_eq(vf_sectxt_unwrap(a, strlen(a), &b, &sig), -1);
	vf_buf_free(&b);
}
END_TEST

static Suite *
route_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");

	tcase_add_test(tc, hosts);
	tcase_add_test(tc, walk);
	tcase_add_test(tc, contacts);
	tcase_add_test(tc, rfc3339);
	tcase_add_test(tc, sectxt);
	tcase_add_test(tc, unwrap);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(route_suite)
