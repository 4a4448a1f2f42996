/*
 * Header encodings: RFC 2047 words as Japanese mailers really write them,
 * RFC 2231 parameters, and the encoder that must never break a header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vf.h"

#define NIHONGO "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"	/* 日本語 */
#define TESUTO "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88"	/* テスト */

#define DEC_IS(in, want) do {						\
	char *r_ = vf_hdr_decode(in);					\
	ck_assert_str_eq(r_, (want));					\
	free(r_);							\
} while (0)

#define PARAM_IS(hv, name, want) do {					\
	char *r_ = vf_hdr_param((hv), (name));				\
	if ((const char *)(want) == NULL)				\
		ck_assert_ptr_null(r_);					\
	else {								\
		ck_assert_ptr_nonnull(r_);				\
		ck_assert_str_eq(r_, (const char *)(want));		\
	}								\
	free(r_);							\
} while (0)

START_TEST(decode_basic)
{
	DEC_IS("plain text", "plain text");
	DEC_IS("", "");
	DEC_IS("=?UTF-8?B?5pel5pys6Kqe?=", NIHONGO);
	DEC_IS("=?utf-8?b?5pel5pys6Kqe?=", NIHONGO);
	DEC_IS("=?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=",
	    "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
	DEC_IS("=?iso-8859-1?q?a=3fb?=", "a?b");
	/* Missing padding is tolerated. */
	DEC_IS("=?UTF-8?B?5pel5pys6Kqe5pys?=", NIHONGO "\xe6\x9c\xac");
	DEC_IS("=?UTF-8?B?YQ?=", "a");
	/* RFC 2231 language in an encoded word */
	DEC_IS("=?UTF-8*ja?B?5pel5pys6Kqe?=", NIHONGO);
	DEC_IS(NULL, "");
}
END_TEST

START_TEST(decode_space)
{
	/* White space between adjacent encoded words goes, folding too. */
	DEC_IS("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab");
	DEC_IS("=?UTF-8?Q?a?=\n  \t=?ISO-8859-1?Q?b?=", "ab");
	/* ... but not between an encoded word and text. */
	DEC_IS("Re: =?UTF-8?Q?a?= b", "Re: a b");
	DEC_IS("x =?UTF-8?Q?a?=  =?UTF-8?Q?b?= y", "x ab y");
	DEC_IS("=?UTF-8?Q?a?= - =?UTF-8?Q?b?=", "a - b");
	/* Unfolding of a value that still has its line ends */
	DEC_IS("a\n b", "a b");
	/* Mailers put words right against text. */
	DEC_IS("Re:=?UTF-8?B?5pel5pys6Kqe?=!", "Re:" NIHONGO "!");
	/* A line end inside a decoded word must not reach a header. */
	DEC_IS("=?UTF-8?Q?a=0D=0Ab?=", "a  b");
	DEC_IS("=?UTF-8?Q?a=00b?=", "a\xef\xbf\xbd" "b");
	/* Other control characters too: tab stays. */
	DEC_IS("=?UTF-8?Q?a=1Bb=07c=09d=7Fe?=", "a b c\td e");
	DEC_IS("x\x1b.Iy", "x .Iy");
	DEC_IS("a\fb\x7f", "a b ");
}
END_TEST

START_TEST(decode_malformed)
{
	DEC_IS("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=");
	DEC_IS("=?UTF-8?B?5pel5pys6Kqe", "=?UTF-8?B?5pel5pys6Kqe");
	DEC_IS("=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?=");
	DEC_IS("=??Q?a?=", "=??Q?a?=");
	DEC_IS("=?UTF-8?B?#$%?=", "=?UTF-8?B?#$%?=");
	DEC_IS("=?=?=?", "=?=?=?");
	DEC_IS("a =?UTF-8?Q?b?= =?x", "a b =?x");
	/* A bad Q escape stays as written. */
	DEC_IS("=?UTF-8?Q?100=ZZ?=", "100=ZZ");
	/* A word in a charset nobody knows: its bytes are guessed. */
	DEC_IS("=?x-unknown?B?5pel5pys6Kqe?=", NIHONGO);
	/* A label that lies: Shift_JIS bytes labelled ISO-8859-1 */
	DEC_IS("=?iso-8859-1?B?g2WDWINn?=", TESUTO);
}
END_TEST

START_TEST(decode_japanese)
{
	/* MimeKit's japanese.txt subject */
	DEC_IS("=?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?="
	    "\n =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?=",
	    NIHONGO "\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab" TESUTO
	    " (testing Japanese emails)");
	/* ISO-2022-JP split inside a character across two words */
	DEC_IS("=?ISO-2022-JP?B?GyRCRg==?= =?iso-2022-jp?B?fEtcOGwbKEI=?=",
	    NIHONGO);
	/* UTF-8 split inside a character */
	DEC_IS("=?UTF-8?B?5pc=?=\n =?UTF-8?B?peacrA==?=",
	    "\xe6\x97\xa5\xe6\x9c\xac");
	/* The base64 itself split across words */
	DEC_IS("=?UTF-8?B?44OG4?= =?UTF-8?B?4K544OI?=", TESUTO);
	/* Q-encoded ISO-2022-JP */
	DEC_IS("=?ISO-2022-JP?Q?=1B$BF|K\\8l=1B(B?=", NIHONGO);
	/* Different charsets side by side are converted apart. */
	DEC_IS("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?= =?ISO-8859-1?Q?=E9?=",
	    NIHONGO "\xc3\xa9");
	/* Raw 8-bit header bytes (Japanese spam): guessed */
	DEC_IS("\x83""e\x83X\x83g", TESUTO);
	DEC_IS("Re: \x83""e\x83X\x83g =?UTF-8?B?5pel5pys6Kqe?=",
	    "Re: " TESUTO " " NIHONGO);
	DEC_IS("\xa5\xc6\xa5\xb9\xa5\xc8", TESUTO);
	DEC_IS("Re: " TESUTO, "Re: " TESUTO);
	/* Raw ISO-2022-JP in a header */
	DEC_IS("Re: \x1b$BF|K\\8l\x1b(B", "Re: " NIHONGO);
}
END_TEST

/* Check the encoder's output: line lengths, folding, no stray line end. */
static void
check_encoded(const char *out, size_t used)
{
	const char *p, *nl;
	size_t col = used;

	for (p = out; ; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_msg((nl ? (size_t)(nl - p) : strlen(p)) + col <= 78 ||
		    (nl == p && col > 0),
		    "line too long in \"%s\" (used %zu)", out, used);
		if (nl == NULL)
			break;
		ck_assert_msg(nl[1] == ' ' || nl[1] == '\t',
		    "line end without folding in \"%s\"", out);
		col = 0;
	}
	ck_assert(strchr(out, '\r') == NULL);
}

static void
round_trip(const char *s, size_t used)
{
	struct vf_buf b = { NULL, 0, 0 };
	char *d;

	vf_hdr_encode(&b, s, used);
	check_encoded(b.p, used);
	/*
	 * When not even one word fits after `used`, the value starts with a
	 * fold, and a reader trims the white space after the colon.
	 */
	d = vf_hdr_decode(b.p[0] == '\n' ? b.p + 2 : b.p);
	ck_assert_msg(strcmp(d, s) == 0, "round trip of \"%s\" (used %zu) "
	    "gave \"%s\" via \"%s\"", s, used, d, b.p);
	free(d);
	vf_buf_free(&b);
}

START_TEST(encode)
{
	struct vf_buf b = { NULL, 0, 0 };
	const char *ja[] = {
		NIHONGO,
		"\xe3\x82\xbd\xe3\x83\x95\xe3\x83\x88\xe3\x82\xa6\xe3\x82\xa8"
		"\xe3\x82\xa2\xe8\xa3\xbd\xe5\x93\x81\xe8\x84\x86\xe5\xbc\xb1"
		"\xe6\x80\xa7\xe9\x96\xa2\xe9\x80\xa3\xe6\x83\x85\xe5\xa0\xb1"
		"\xe3\x81\xae\xe5\xb1\x8a\xe5\x87\xba",
		"\xe3\x80\x90VF#2026-00042\xe3\x80\x91 " NIHONGO " report",
		"Re: [VF#2026-00042] " NIHONGO " " TESUTO " and more text "
		"that goes on " NIHONGO NIHONGO NIHONGO NIHONGO NIHONGO
		NIHONGO NIHONGO NIHONGO NIHONGO " end",
		"  leading and trailing  ",
		" " NIHONGO,
		NIHONGO " ",
		"a  b\t c",
		"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98"
		"\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f"
		"\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0"
		"\x9f\x98\x80\xf0\x9f\x98\x80",
		"looks =?like?= an encoded word",
		"http://example.com/a/very/long/url/that/does/not/fit/on/one/"
		"line/at/all/because/it/is/far/longer/than/seventy-eight/chars",
		"ends with =",
		" ",
		/* Long white space is folded inside itself. */
		"a                                                          "
		"                                                         b",
		"<https://lists.sourceforge.net/lists/listinfo/spamassassin>,"
		"    <mailto:spamassassin-talk-request@lists.sourceforge.net?"
		"subject=unsubscribe>",
		"word\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		"\t\t\t\t\t" NIHONGO,
	};
	size_t i, u;

	vf_hdr_encode(&b, "Hello world", 9);
	ck_assert_str_eq(b.p, "Hello world");
	vf_buf_free(&b);
	vf_hdr_encode(&b, NIHONGO, 9);
	ck_assert_str_eq(b.p, "=?UTF-8?B?5pel5pys6Kqe?=");
	vf_buf_free(&b);
	vf_hdr_encode(&b, "Re: " NIHONGO " x", 9);
	ck_assert_str_eq(b.p, "Re: =?UTF-8?B?5pel5pys6Kqe?= x");
	vf_buf_free(&b);
	/* Appends to what is there */
	vf_buf_adds(&b, "Subject: ");
	vf_hdr_encode(&b, "x", 9);
	ck_assert_str_eq(b.p, "Subject: x");
	vf_buf_free(&b);
	vf_hdr_encode(&b, "", 9);
	ck_assert_str_eq(b.p, "");
	vf_buf_free(&b);
	for (i = 0; i < sizeof(ja) / sizeof(ja[0]); i++)
		for (u = 0; u < 78; u += 7)
			round_trip(ja[i], u);
}
END_TEST

START_TEST(encode_hostile)
{
	struct vf_buf b = { NULL, 0, 0 };
	const char *p;
	char *d;

	/* Header injection: the line ends are encoded, never written. */
	vf_hdr_encode(&b, "hi\r\nBcc: victim@example.com\nX: y", 9);
	check_encoded(b.p, 9);
	for (p = b.p; (p = strchr(p, '\n')) != NULL; p++)
		ck_assert(p[1] == ' ');
	d = vf_hdr_decode(b.p);
	ck_assert(strchr(d, '\n') == NULL && strchr(d, '\r') == NULL);
	free(d);
	vf_buf_free(&b);
	/* A lone control character */
	vf_hdr_encode(&b, "a\001b", 0);
	ck_assert_str_eq(b.p, "=?UTF-8?B?YQFi?=");
	vf_buf_free(&b);
	/* Past the line already: fold at once */
	vf_hdr_encode(&b, NIHONGO, 100);
	ck_assert(b.p[0] == '\n' && b.p[1] == ' ');
	vf_buf_free(&b);
}
END_TEST

/* Every encoded word decodes on its own to whole characters. */
START_TEST(encode_no_split)
{
	struct vf_buf b = { NULL, 0, 0 };
	char s[400], *w, *e, one[200], *d;
	size_t i;

	s[0] = '\0';
	for (i = 0; i < 40; i++)
		strlcat(s, i % 3 ? "\xe3\x81\x82" : "\xf0\x9f\x98\x80",
		    sizeof(s));
	vf_hdr_encode(&b, s, 20);
	for (w = b.p; (w = strstr(w, "=?")) != NULL; w = e) {
		e = strstr(w, "?=");
		ck_assert_ptr_nonnull(e);
		e += 2;
		ck_assert_uint_le((size_t)(e - w), 75);
		memcpy(one, w, (size_t)(e - w));
		one[e - w] = '\0';
		d = vf_hdr_decode(one);
		ck_assert(vf_utf8_valid(d, strlen(d)));
		ck_assert(strstr(d, "\xef\xbf\xbd") == NULL);
		free(d);
	}
	vf_buf_free(&b);
}
END_TEST

/*
 * vf_hdr_oneline is vf_oneline(vf_hdr_decode()) for every value: its
 * copy of plain ASCII must not let an encoded word, a tab, a line end,
 * a control (C0, DEL, C1) or 8-bit bytes through undecoded.
 */
START_TEST(oneline)
{
	static const char *const v[] = { "",
	    "plain subject [VF#2026-00001]", "=?UTF-8?B?5pel5pys6Kqe?=",
	    "a =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?= b", "tab\there",
	    "folded\n line", "cr\rlf", "esc\x1b[31m", "del\x7f",
	    "c1 \xc2\x9b" "2J", "raw " NIHONGO, "=? not a word", "ends =",
	    "ends =?", "?= only", NULL };
	char *a, *b;
	size_t i;

	for (i = 0; v[i] != NULL; i++) {
		a = vf_hdr_oneline(v[i]);
		b = vf_oneline(vf_hdr_decode(v[i]));
		ck_assert_msg(strcmp(a, b) == 0, "%s: [%s] != [%s]", v[i], a, b);
		free(a);
		free(b);
	}
	a = vf_hdr_oneline(NULL);
	ck_assert_str_eq(a, "");
	free(a);
	a = vf_hdr_oneline("=?UTF-8?B?5pel5pys6Kqe?=");
	ck_assert_str_eq(a, NIHONGO);
	free(a);
}
END_TEST

START_TEST(param)
{
	const char *ct = "text/plain; charset=\"ISO-2022-JP\"; format=flowed";

	PARAM_IS(ct, "charset", "ISO-2022-JP");
	PARAM_IS(ct, "CHARSET", "ISO-2022-JP");
	PARAM_IS(ct, "format", "flowed");
	PARAM_IS(ct, "name", NULL);
	PARAM_IS("text/plain", "charset", NULL);
	PARAM_IS(NULL, "charset", NULL);
	PARAM_IS("attachment; FileName=\"a \\\"b\\\" \\\\c.txt\"", "filename",
	    "a \"b\" \\c.txt");
	/* "name" is not "filename" */
	PARAM_IS("attachment; filename=a.txt", "name", NULL);
	PARAM_IS("attachment; filename=a.txt; name=b", "name", "b");
	/* First of duplicates wins. */
	PARAM_IS("multipart/mixed; boundary=\"bar\"; boundary=\"foo\"",
	    "boundary", "bar");
	/* Sloppy syntax */
	PARAM_IS("text/plain;; charset=utf-8;;", "charset", "utf-8");
	PARAM_IS("text/plain charset=utf-8", "charset", "utf-8");
	PARAM_IS("text/plain; charset = \"utf-8\" ; x=y", "charset", "utf-8");
	PARAM_IS("text/plain; charset=utf-8 format=flowed", "charset",
	    "utf-8");
	PARAM_IS("text/plain; charset=utf-8 format=flowed", "format",
	    "flowed");
	PARAM_IS("text/plain; charset=us-ascii (Plain text)", "charset",
	    "us-ascii");
	PARAM_IS("attachment; filename=my report.doc", "filename",
	    "my report.doc");
	PARAM_IS("attachment; filename=\"unterminated", "filename",
	    "unterminated");
	PARAM_IS("attachment; garbage; filename=x", "filename", "x");
	PARAM_IS("attachment; filename=", "filename", "");
	PARAM_IS("text/plain; charset=\"a;b\"; x=1", "x", "1");
	/* Folded values (as the case-file reader may pass them) */
	PARAM_IS("multipart/mixed;\n\tboundary=\"=_x\"", "boundary", "=_x");
}
END_TEST

START_TEST(param_encoded)
{
	/* RFC 2231 */
	PARAM_IS("attachment; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt",
	    "filename", NIHONGO ".txt");
	PARAM_IS("attachment; filename*=utf-8'ja'%E6%97%A5", "filename",
	    "\xe6\x97\xa5");
	PARAM_IS("attachment; filename*=iso-2022-jp''%1B$BF|K%5C8l%1B(B",
	    "filename", NIHONGO);
	PARAM_IS("attachment; filename*=''caf%E9", "filename", "caf\xc3\xa9");
	/* Continuations, in any order, encoded or not */
	PARAM_IS("attachment; filename*1*=%9C%AC; filename*0*=UTF-8''%E6%97"
	    "%A5%E6; filename*2=.txt", "filename",
	    "\xe6\x97\xa5\xe6\x9c\xac.txt");
	PARAM_IS("attachment; name*0=\"abc\"; name*1=\"def\"", "name",
	    "abcdef");
	/* The RFC 2231 form wins over the plain one beside it. */
	PARAM_IS("attachment; filename=\"fallback.txt\"; "
	    "filename*=UTF-8''%E6%97%A5.txt", "filename", "\xe6\x97\xa5.txt");
	/* A bad percent escape stays. */
	PARAM_IS("attachment; filename*=UTF-8''100%.txt", "filename",
	    "100%.txt");
	/* Hostile continuation numbers */
	PARAM_IS("attachment; filename*99999999999999999999=a; filename*0=b",
	    "filename", "b");
	/* RFC 2047 in a quoted filename, folded (Apple Mail) */
	PARAM_IS("text/plain; name=\"=?utf-8?B?44GL44GN?=\n"
	    " =?utf-8?B?44GP?=.txt\"", "name",
	    "\xe3\x81\x8b\xe3\x81\x8d\xe3\x81\x8f.txt");
	PARAM_IS("attachment; filename==?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=.doc",
	    "filename", NIHONGO ".doc");
	/* Raw 8-bit (Shift_JIS) file name */
	PARAM_IS("attachment; filename=\"\x83""e\x83X\x83g.txt\"", "filename",
	    TESUTO ".txt");
	/* A boundary is kept as written, even if it looks encoded. */
	PARAM_IS("multipart/mixed; boundary=\"=?UTF-8?Q?a?=\"", "boundary",
	    "=?UTF-8?Q?a?=");
}
END_TEST

START_TEST(token)
{
	char *t;

	t = vf_hdr_token("Text/Plain ; charset=x");
	ck_assert_str_eq(t, "text/plain");
	free(t);
	t = vf_hdr_token("  MULTIPART/Mixed;boundary=x");
	ck_assert_str_eq(t, "multipart/mixed");
	free(t);
	t = vf_hdr_token("Base64");
	ck_assert_str_eq(t, "base64");
	free(t);
	t = vf_hdr_token("");
	ck_assert_str_eq(t, "");
	free(t);
	t = vf_hdr_token(NULL);
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

/* Long hostile values take linear time. */
START_TEST(linear)
{
	size_t n = 1 << 20, i;
	char *s, *r;
	struct vf_buf b = { NULL, 0, 0 };

	s = vf_malloc(n + 1);
	memcpy(s, "a; x=a", 6);
	memset(s + 6, ' ', n - 7);
	s[n - 1] = 'b';
	s[n] = '\0';
	/* An unquoted value runs to the semicolon: "a", spaces, "b" */
	r = vf_hdr_param(s, "x");
	ck_assert_uint_eq(strlen(r), n - 5);
	ck_assert(r[0] == 'a' && r[n - 6] == 'b');
	free(r);
	r = vf_hdr_param(s, "y");
	ck_assert_ptr_null(r);
	for (i = 0; i < n; i++)
		s[i] = "=?"[i % 2];
	r = vf_hdr_decode(s);
	ck_assert_uint_eq(strlen(r), n);
	free(r);
	for (i = 0; i + 12 <= n; i += 12)
		memcpy(s + i, "=?a?b?QQ==?=", 12);
	s[i] = '\0';
	r = vf_hdr_decode(s);
	ck_assert_uint_eq(strlen(r), i / 12);
	free(r);
	for (i = 0; i < n; i++)
		s[i] = (char)(0xe3 + (i % 3 ? 0x9d : 0));
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(s + i, "\xe3\x81\x82", 3);
	s[i] = '\0';
	vf_hdr_encode(&b, s, 0);
	r = vf_hdr_decode(b.p);
	ck_assert_str_eq(r, s);
	free(r);
	vf_buf_free(&b);
	free(s);
}
END_TEST

static Suite *
rfc2047_suite(void)
{
	Suite *s = suite_create("rfc2047");
	TCase *tc = tcase_create("rfc2047");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, decode_basic);
	tcase_add_test(tc, decode_space);
	tcase_add_test(tc, decode_malformed);
	tcase_add_test(tc, decode_japanese);
	tcase_add_test(tc, encode);
	tcase_add_test(tc, encode_hostile);
	tcase_add_test(tc, encode_no_split);
	tcase_add_test(tc, oneline);
	tcase_add_test(tc, param);
	tcase_add_test(tc, param_encoded);
	tcase_add_test(tc, token);
	tcase_add_test(tc, linear);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(rfc2047_suite)
