/*
 * What vf-validate compares by: versions (the list's syntax and a
 * reporter's words), canonical URLs, scope, CWE identifiers and the
 * known-list parser's refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

/* Do the list's VERSIONS a and the report's words b overlap? */
static int
meets(const char *list, const char *words)
{
	struct vf_versions a, b;
	int r;

	vf_versions_parse(&a, list);
	vf_versions_text(&b, words);
	r = vf_versions_overlap(&a, &b);
	vf_versions_free(&a);
	vf_versions_free(&b);
	return r;
}

START_TEST(versions_syntax)
{
	ck_assert(meets("1.2.3", "1.2.3"));
	ck_assert(!meets("1.2.3", "1.2.4"));
	ck_assert(meets("1.4", "1.4.0"));		/* a missing segment is 0 */
	ck_assert(meets(">=1.0 <1.4.2", "1.4.1"));
	ck_assert(!meets(">=1.0 <1.4.2", "1.4.2"));
	ck_assert(meets(">=1.0 <=1.4.2", "1.4.2"));
	ck_assert(!meets(">1.0", "1.0"));
	ck_assert(meets("=2.0", "2.0"));
	ck_assert(meets("1.10", "1.10"));
	ck_assert(!meets("<1.9", "1.10"));		/* numbers, not text */
	ck_assert(meets("0.9;2.0", "2.0"));
	ck_assert(meets("*", "anything at all"));
	ck_assert(meets("-", "3.0"));
	ck_assert(meets("*", NULL));
	ck_assert(!meets("1.0", NULL));		/* no version: only "*" */
	ck_assert(!meets(">=2 <1", "1.5"));		/* an empty interval */
	ck_assert(meets("all versions", "All Versions"));	/* text */
	ck_assert(!meets("all versions", "1.0"));
}
END_TEST

START_TEST(versions_words)
{
	ck_assert(meets("5.0.3", "5.0.0 to 5.0.7"));
	ck_assert(!meets("5.0.8", "5.0.0 to 5.0.7"));
	ck_assert(meets("7.3.2", "7.0.0 から 7.3.2 まで"));
	ck_assert(meets("2.2", "2.0～2.4"));
	ck_assert(meets("9.4.0", "9.3.0 - 9.4.1"));
	ck_assert(meets("2.6.3", "2.1.0 through 2.6.3"));
	ck_assert(meets("1.0", "3.0.1 以前"));
	ck_assert(!meets("3.0.2", "3.0.1 以前"));
	ck_assert(meets("1.2.8", "ファームウェア 1.2.8 以前"));
	ck_assert(meets("12.0.5", "12.0 系すべて"));
	ck_assert(!meets("12.1", "12.0 系すべて"));
	ck_assert(meets("9.0", "2.0 and later"));
	ck_assert(!meets("1.9", "2.0 and later"));
	ck_assert(meets("1.3", "before 1.4"));
	ck_assert(!meets("1.4", "before 1.4"));
	ck_assert(meets("2.4.1", "２．４．１"));		/* NFKC first */
	ck_assert(meets("4.0.2", "4.0.2 for macOS"));
	ck_assert(meets(">=1.0 <1.5", "1.4.9"));
	ck_assert(meets("1.2", "1.2, 1.3"));
	ck_assert(meets("1.3", "1.2, 1.3"));
}
END_TEST

static void
canon_is(const char *in, const char *want, const char *host)
{
	char *h = NULL, *c = vf_url_canon(in, &h);

	if (want == NULL) {
		ck_assert_msg(c == NULL, "%s: %s, want none", in, c);
		return;
	}
	ck_assert_msg(c != NULL, "%s: none, want %s", in, want);
	ck_assert_str_eq(c, want);
	if (host != NULL)
		ck_assert_str_eq(h, host);
	free(c);
	free(h);
}

START_TEST(url_canon)
{
	canon_is("https://shop.example.jp/search", "https://shop.example.jp/search",
	    "shop.example.jp");
	canon_is("HTTPS://Shop.Example.JP:443/a/../search#frag",
	    "https://shop.example.jp/search", NULL);
	canon_is("http://example.jp:80", "http://example.jp/", NULL);
	canon_is("http://example.jp:8080/x", "http://example.jp:8080/x", NULL);
	canon_is("https://user:pw@example.jp/", "https://example.jp/", NULL);
	canon_is("https://example.jp/%7euser/./a?q=1",
	    "https://example.jp/~user/a?q=1", NULL);
	canon_is("https://例え.jp/検索", "https://xn--r8jz45g.jp/%E6%A4%9C%E7%B4%A2",
	    "xn--r8jz45g.jp");
	canon_is("https://XN--R8JZ45G.jp/", "https://xn--r8jz45g.jp/", NULL);
	canon_is("https://example.jp./", "https://example.jp/", NULL);
	canon_is("https://[2001:DB8::1]:443/", "https://[2001:db8::1]/", NULL);
	canon_is("shop.example.jp/search", NULL, NULL);
	canon_is("https:///search", NULL, NULL);
	canon_is("https://exa mple.jp/", NULL, NULL);
	canon_is("https://a..b.jp/", NULL, NULL);
	canon_is("https://-a.jp/", NULL, NULL);
	canon_is("", NULL, NULL);
	/* Escapes for the bytes past ASCII only, in runs of ASCII; an IRI
	   that is not UTF-8, or with a control byte, is none. */
	canon_is("https://example.jp/a\xe6\xa4\x9c" "b?q=\xe7\xb4\xa2",
	    "https://example.jp/a%E6%A4%9Cb?q=%E7%B4%A2", "example.jp");
	canon_is("https://example.jp/\xe6\xa4", NULL, NULL);
	canon_is("https://example.jp/\xff", NULL, NULL);
	canon_is("https://example.jp/a\x7f", NULL, NULL);
	canon_is("https://example.jp/\xe6\xa4\x9c\tx", NULL, NULL);
	canon_is("https://example.jp/\xe6\xa4\x9c\x01", NULL, NULL);
}
END_TEST

/* The shortcut of plain URLs (urlcanon.c's plain) and the parser agree. */
static void
same_canon(const char *in)
{
	char *h1 = NULL, *h2 = NULL, *c1, *c2;

	c1 = vf_url_canon(in, &h1);
	c2 = vf_url_canon_parsed(in, &h2);
	ck_assert_msg((c1 == NULL) == (c2 == NULL) && (c1 == NULL ||
	    strcmp(c1, c2) == 0), "%s: %s, the parser %s", in, c1, c2);
	ck_assert_msg((h1 == NULL) == (h2 == NULL) && (h1 == NULL ||
	    strcmp(h1, h2) == 0), "%s: host %s, the parser %s", in, h1, h2);
	free(c1);
	free(c2);
	free(h1);
	free(h2);
}

START_TEST(url_plain)
{
	static const char *fixed[] = {
		"https://a.jp", "https://a.jp/", "https://a.jp/x/",
		"https://a.jp//x", "https://a.jp/x//", "https://a.jp/./x",
		"https://a.jp/x/..", "https://a.jp/x/.", "https://a.jp/.",
		"https://a.jp/..", "http://a.jp/.a", "http://a.jp/..a/a..",
		"https://1.2.3.4/", "https://1.2.3.jp/", "https://a.jp./",
		"https://xn--r8jz45g.jp/", "https://axn--b.jp/",
		"https://a--b.jp/", "https://-a.jp/", "https://a-.jp/",
		"https://A.jp/", "HTTPS://a.jp/", "https://a.jp/~u/_x-y.Z",
		"https://a.jp:443/", "https://a.jp/?", "https://a.jp/#",
		"https://a.jp/%7e", "https://u@a.jp/", "httpx://a.jp/",
		"http:/a.jp/", "https://", "https:///", "https://.jp/",
		"https://a..jp/", "https://a.jp\\x",
		"https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jp/",
		"https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jp/",
	};
	/* Hosts and paths of the bytes that decide, in every mix. */
	static const char hostc[] = "ab0-.X", pathc[] = "a./-_~%?#:@A";
	static const char *pre[] = { "https://", "http://", "ftp://",
	    "Http://" };
	char in[64];
	unsigned long x = 12345;
	size_t i, j, n, k;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		same_canon(fixed[i]);
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		k = (size_t)snprintf(in, sizeof(in), "%s", pre[(x >> 60) & 3]);
		for (j = 0, n = 1 + (x >> 20) % 8; j < n; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			in[k++] = hostc[(x >> 33) % (sizeof(hostc) - 1)];
		}
		for (j = 0, n = (x >> 10) % 10; j < n; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			in[k++] = pathc[(x >> 33) % (sizeof(pathc) - 1)];
		}
		in[k] = '\0';
		same_canon(in);
	}
}
END_TEST

/*
 * The field check by the table's names: the first field of a name wins
 * (an empty first email is not answered by a second), a name the table
 * lacks is none of its fields, a name a byte longer or shorter than one
 * of the table's is not it. The expected texts are the old check's (an
 * fmap of the case's names), run on these very fields.
 */
START_TEST(check_fields)
{
	struct vf_fields ft;
	struct vf_kv kv[] = {
		{ "reporter.name", "A" },
		{ "reporter.email", " " },
		{ "reporter.email", "a@example.jp" },
		{ "reporter.phon", "03-5555-1234" },
		{ "reporter.faxx", "03-5555-1234" },
		{ "consent.operator", "maybe" },
		{ "web.url", "https://example.jp/" },
		{ "web.type", "CWE-abc" },
		{ "web.typ", "CWE-79" },
		{ "unknown.field", "x" },
		{ "web.discovery", "found" },
		{ "web.reason", "because" },
		{ "other.reported", "yes" },
		{ "other.reported", "no" },
		{ "contact.final-report", "yes" },
	};
	struct vf_case c;
	struct vf_buf miss = { 0 }, bad = { 0 };

	ck_assert_int_eq(vf_share_fields(&ft), 0);
	memset(&c, 0, sizeof(c));
	c.field = kv;
	c.nfield = sizeof(kv) / sizeof(kv[0]);
	vf_check_fields(&ft, &c, VF_KIND_WEB, &miss, &bad);
	ck_assert_str_eq(miss.p != NULL ? miss.p : "",
	    "reporter.email, consent.operator, contact.encrypt");
	ck_assert_str_eq(bad.p != NULL ? bad.p : "", "web.type");
	vf_buf_free(&miss);
	vf_buf_free(&bad);
	vf_fields_free(&ft);
}
END_TEST

/*
 * A name of the table's length that differs from it in any one byte is
 * not that field (the check compares names by words, not bytes): a
 * required yes/no field answered "yes" is missing once its name is
 * changed anywhere.
 */
START_TEST(check_fields_same_length)
{
	/* 16 and 15 bytes (web), 19 and 20 (software): every word. */
	static const struct {
		const char	*name;
		int		 kind;
	} names[] = {
		{ "consent.operator", VF_KIND_WEB },
		{ "contact.encrypt", VF_KIND_WEB },
		{ "consent.coordinator", VF_KIND_SOFTWARE },
		{ "consent.publish-name", VF_KIND_SOFTWARE },
	};
	struct vf_fields ft;
	struct vf_kv kv[1];
	struct vf_case c;
	struct vf_buf miss = { 0 }, bad = { 0 };
	char name[32];
	size_t k, i, n;

	ck_assert_int_eq(vf_share_fields(&ft), 0);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		n = strlen(names[k].name);
		for (i = 0; i <= n; i++) {
			memcpy(name, names[k].name, n + 1);
			if (i < n)
				name[i] = name[i] == 'q' ? 'r' : 'q';
			kv[0].name = name;
			kv[0].value = "yes";
			memset(&c, 0, sizeof(c));
			c.field = kv;
			c.nfield = 1;
			miss.len = 0;
			if (miss.p != NULL)
				miss.p[0] = '\0';
			vf_check_fields(&ft, &c, names[k].kind, &miss, &bad);
			ck_assert_ptr_nonnull(miss.p);
			ck_assert_msg((strstr(miss.p, names[k].name) != NULL) ==
			    (i < n), "%s: %s", name, miss.p);
		}
	}
	vf_buf_free(&miss);
	vf_buf_free(&bad);
	vf_fields_free(&ft);
}
END_TEST

/*
 * The first field of a name wins wherever the second is (the check
 * tries the table entries after the last one found before its hash):
 * here the second reporter.email comes just after an earlier entry.
 */
START_TEST(check_fields_first)
{
	struct vf_fields ft;
	struct vf_kv kv[] = {
		{ "reporter.email", " " },
		{ "reporter.name", "A" },
		{ "reporter.email", "a@example.jp" },
	};
	struct vf_case c;
	struct vf_buf miss = { 0 }, bad = { 0 };

	ck_assert_int_eq(vf_share_fields(&ft), 0);
	memset(&c, 0, sizeof(c));
	c.field = kv;
	c.nfield = sizeof(kv) / sizeof(kv[0]);
	vf_check_fields(&ft, &c, VF_KIND_WEB, &miss, &bad);
	ck_assert_ptr_nonnull(miss.p);
	ck_assert_msg(strncmp(miss.p, "reporter.email, ", 16) == 0, "%s",
	    miss.p);
	vf_buf_free(&miss);
	vf_buf_free(&bad);
	vf_fields_free(&ft);
}
END_TEST

START_TEST(scope)
{
	char *dom[] = { "example.com" };

	ck_assert(vf_in_scope("shop.example.jp", NULL, 0));
	ck_assert(vf_in_scope("jp", NULL, 0));
	ck_assert(!vf_in_scope("example.jp.evil.com", NULL, 0));
	ck_assert(!vf_in_scope("shop.example.com", NULL, 0));
	ck_assert(vf_in_scope("shop.example.com", dom, 1));
	ck_assert(vf_in_scope("example.com", dom, 1));
	ck_assert(!vf_in_scope("badexample.com", dom, 1));
}
END_TEST

START_TEST(cwe)
{
	ck_assert_int_eq(vf_cwe_number("CWE-79"), 79);
	ck_assert_int_eq(vf_cwe_number("cwe-1392"), 1392);
	ck_assert_int_eq(vf_cwe_number("CWE-"), 0);
	ck_assert_int_eq(vf_cwe_number("CWE-079"), 0);
	ck_assert_int_eq(vf_cwe_number("CWE-79x"), 0);
	ck_assert_int_eq(vf_cwe_number("XSS"), 0);
}
END_TEST

static const struct {
	const char	*text;
	const char	*err;	/* NULL: accepted */
} lists[] = {
	{ "# c\n\nCVE-1\tFoo\t-\t*\tCWE-79\t-\n", NULL },
	{ "CVE-1\tFoo\t-\t*\tCWE-79\t-", NULL },		/* no final LF */
	{ "CVE-1\t-\t-\t-\t-\thttps://example.jp/\n", NULL },
	{ "CVE-1\tFoo\t-\t*\tCWE-79\n", "known/t:1: fewer than 6" },
	{ "ok\tFoo\t-\t*\t-\t-\nCVE-1\tFoo\t-\t*\t-\t-\tx\n",
	    "known/t:2: more than 6" },
	{ "CVE-1\tFoo\t\t*\t-\t-\n", "known/t:1: an empty column" },
	{ "CVE 1\tFoo\t-\t*\t-\t-\n", "known/t:1: the ID must be one token" },
	{ "CVE-1\tFoo\t-\t*\tXSS\t-\n", "known/t:1: not a CWE identifier" },
	{ "CVE-1\t-\t-\t*\t-\t-\n", "known/t:1: neither a product nor a URL" },
	{ "CVE-1\t!!!\t-\t*\t-\t-\n", "known/t:1: a product name without" },
	{ "CVE-1\tFoo\t-\t*\t-\texample.jp\n", "known/t:1: not a URL" },
	{ "CVE-1\tFoo\x01\t-\t*\t-\t-\n", "known/t:1: a control character" },
	{ "CVE-1\tF\xff\t-\t*\t-\t-\n", "known/t:1: not UTF-8" },
	/* Both: the UTF-8 is told first (one pass finds both). */
	{ "CVE-1\tF\x01\xff\t-\t*\t-\t-\n", "known/t:1: not UTF-8" },
	{ "CVE-1\tF\xc3\xa9\x7f\t-\t*\t-\t-\n", "known/t:1: a control" },
};

START_TEST(known_lines)
{
	struct vf_known k;
	char err[256];
	int rc;

	memset(&k, 0, sizeof(k));
	err[0] = '\0';
	rc = vf_known_parse(&k, "known/t", lists[_i].text,
	    strlen(lists[_i].text), err, sizeof(err));
	if (lists[_i].err == NULL) {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_uint_eq(k.n, 1);
		ck_assert_str_eq(k.e[0].id, "CVE-1");
		ck_assert_uint_eq(k.e[0].line, strncmp(lists[_i].text, "#", 1)
		    == 0 ? 3 : 1);
	} else {
		ck_assert_int_eq(rc, EX_CONFIG);
		ck_assert_msg(strncmp(err, lists[_i].err,
		    strlen(lists[_i].err)) == 0, "got \"%s\", want \"%s...\"",
		    err, lists[_i].err);
	}
	vf_known_free(&k);
}
END_TEST

START_TEST(known_keys)
{
	struct vf_known k;
	char err[256];
	const char *t = "CVE-2026-1\tＥｘａｍｐｌｅ　Ｗｉｋｉ\tExample-Wiki Project\t"
	    ">=2.0 <2.4.2\tCWE-79\tHTTPS://Example.JP:443/a/../b\n";

	memset(&k, 0, sizeof(k));
	ck_assert_int_eq(vf_known_parse(&k, "known/t", t, strlen(t), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(k.e[0].pkey, "examplewiki");
	ck_assert_str_eq(k.e[0].vkey, "examplewikiproject");
	ck_assert_int_eq(k.e[0].cwe, 79);
	ck_assert_str_eq(k.e[0].url, "https://example.jp/b");
	ck_assert_str_eq(k.e[0].file, "known/t");
	vf_known_free(&k);
}
END_TEST

/*
 * Every byte at every place of a product name of 1 to 20 bytes, so that
 * it falls at every place of the eight-byte steps and of the bytes after
 * them: a control byte (but TAB) or DEL is "a control character", a lone
 * byte past ASCII "not UTF-8", anything else no such error.
 */
START_TEST(known_bytes)
{
	static const char prod[] = "Pabcdefghijklmnopqrs";
	struct vf_known k;
	char line[128], err[256];
	size_t len, i, n;
	int b, rc;

	for (len = 1; len < sizeof(prod); len++)
		for (i = 0; i < len; i++)
			for (b = 0; b < 256; b++) {
				if (b == '\n' || b == '\t')
					continue;	/* other lines, columns */
				ck_assert_int_lt(snprintf(line, sizeof(line),
				    "CVE-1\t%.*s\t-\t*\t-\t-\n", (int)len, prod),
				    (int)sizeof(line));
				n = strlen(line);
				line[6 + i] = (char)b;
				memset(&k, 0, sizeof(k));
				err[0] = '\0';
				rc = vf_known_parse(&k, "known/t", line, n, err,
				    sizeof(err));
				if (b < 0x20 || b == 0x7f)
					ck_assert_msg(rc == EX_CONFIG &&
					    strcmp(err, "known/t:1: a control "
					    "character") == 0, "byte %d at %zu of "
					    "%zu: %s", b, i, len, err);
				else if (b >= 0x80)
					ck_assert_msg(rc == EX_CONFIG &&
					    strcmp(err, "known/t:1: not UTF-8") ==
					    0, "byte %d at %zu of %zu: %s", b, i,
					    len, err);
				else
					ck_assert_msg(rc == 0 || strstr(err,
					    "without letters") != NULL ||
					    strstr(err, "neither a product") !=
					    NULL, "byte %d at %zu of %zu: %s", b,
					    i, len, err);
				vf_known_free(&k);
			}
}
END_TEST

static Suite *
validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("validate");

	tcase_add_test(tc, versions_syntax);
	tcase_add_test(tc, versions_words);
	tcase_add_test(tc, url_canon);
	tcase_add_test(tc, url_plain);
	tcase_add_test(tc, check_fields);
	tcase_add_test(tc, check_fields_same_length);
	tcase_add_test(tc, check_fields_first);
	tcase_add_test(tc, scope);
	tcase_add_test(tc, cwe);
	tcase_add_loop_test(tc, known_lines, 0,
	    (int)(sizeof(lists) / sizeof(lists[0])));
	tcase_add_test(tc, known_keys);
	tcase_add_test(tc, known_bytes);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(validate_suite)
