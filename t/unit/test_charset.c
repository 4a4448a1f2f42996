/*
 * Charset conversion: labels as mailers write them, labels that lie, and
 * bytes that are not text at all. Japanese samples were made with iconv
 * and Python's codecs and are pasted as escapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "vf.h"

/* このメールはテスト用のメールです。 */
#define JA_UTF8 "\xe3\x81\x93\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83" \
	"\xab\xe3\x81\xaf\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\xe7\x94\xa8" \
	"\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x81\xa7\xe3" \
	"\x81\x99\xe3\x80\x82"
#define JA_SJIS "\x82\xb1\x82\xcc\x83\x81\x81[\x83\x8b\x82\xcd\x83""e" \
	"\x83X\x83g\x97p\x82\xcc\x83\x81\x81[\x83\x8b\x82\xc5\x82\xb7\x81""B"
#define JA_EUC "\xa4\xb3\xa4\xce\xa5\xe1\xa1\xbc\xa5\xeb\xa4\xcf\xa5\xc6" \
	"\xa5\xb9\xa5\xc8\xcd\xd1\xa4\xce\xa5\xe1\xa1\xbc\xa5\xeb\xa4\xc7" \
	"\xa4\xb9\xa1\xa3"
/* 日本語のテキスト */
#define NIHONGO_JIS "\x1b$BF|K\x5c""8l$N%F%-%9%H\x1b(B"
#define NIHONGO "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83" \
	"\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88"
#define FFFD "\xef\xbf\xbd"

static char *
conv(const char *s, size_t n, const char *label, const char **used)
{
	size_t len;
	char *r;

	r = vf_to_utf8(s, n, label, &len, used);
	ck_assert_uint_eq(strlen(r), len);
	ck_assert(vf_utf8_valid(r, len));
	return r;
}

#define CONV_IS(in, label, want, wantcs) do {				\
	const char *u_ = NULL;						\
	char *r_ = conv((in), sizeof(in) - 1, (label), &u_);		\
	ck_assert_str_eq(r_, (want));					\
	if ((wantcs) != NULL)						\
		ck_assert_str_eq(u_, (const char *)(wantcs));		\
	free(r_);							\
} while (0)

START_TEST(utf8_valid)
{
	ck_assert(vf_utf8_valid("", 0));
	ck_assert(vf_utf8_valid("abc", 3));
	ck_assert(vf_utf8_valid(JA_UTF8, sizeof(JA_UTF8) - 1));
	ck_assert(vf_utf8_valid("\xf0\x9f\x98\x80", 4));	/* U+1F600 */
	ck_assert(vf_utf8_valid("a\0b", 3));
	ck_assert(!vf_utf8_valid("\xc0\x80", 2));		/* overlong */
	ck_assert(!vf_utf8_valid("\xe0\x80\xaf", 3));		/* overlong */
	ck_assert(!vf_utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	ck_assert(!vf_utf8_valid("\xf4\x90\x80\x80", 4));	/* > 10FFFF */
	ck_assert(!vf_utf8_valid("\xe3\x81", 2));		/* cut */
	ck_assert(!vf_utf8_valid("\x80", 1));
	ck_assert(!vf_utf8_valid("\xff", 1));
	/* The length counts, not a NUL. */
	ck_assert(vf_utf8_valid("\xe3\x81\x82", 3));
	ck_assert(!vf_utf8_valid("\xe3\x81\x82", 2));
}
END_TEST

START_TEST(utf8_label)
{
	CONV_IS(JA_UTF8, "utf-8", JA_UTF8, "UTF-8");
	CONV_IS(JA_UTF8, "UTF8", JA_UTF8, "UTF-8");
	CONV_IS("plain", "us-ascii", "plain", "US-ASCII");
	/* A byte order mark is a character like others here. */
	CONV_IS("\xef\xbb\xbf" "abc", "utf-8", "\xef\xbb\xbf" "abc", "UTF-8");
	/* Damage in mostly valid UTF-8: one U+FFFD per maximal subpart. */
	CONV_IS(JA_UTF8 "\xe3\x81" "x" JA_UTF8 "\xff" JA_UTF8, "utf-8",
	    JA_UTF8 FFFD "x" JA_UTF8 FFFD JA_UTF8, "UTF-8");
	/* NUL never comes out. */
	CONV_IS("a\0b", "utf-8", "a" FFFD "b", "UTF-8");
	CONV_IS("a\0b", NULL, "a" FFFD "b", NULL);
	CONV_IS("a\0b", "iso-8859-1", "a" FFFD "b", NULL);
	CONV_IS("a\0b", "shift_jis", "a" FFFD "b", NULL);
}
END_TEST

START_TEST(iso2022jp)
{
	CONV_IS(NIHONGO_JIS, "iso-2022-jp", NIHONGO, "ISO-2022-JP");
	CONV_IS(NIHONGO_JIS, "ISO-2022-JP-2", NIHONGO, "ISO-2022-JP");
	CONV_IS(NIHONGO_JIS, "csISO2022JP", NIHONGO, "ISO-2022-JP");
	/* NEC row 13 under ESC $ B: ① ② Ⅰ ㈱, as Windows sends them. */
	CONV_IS("\x1b$B-!-\"-5-j\x1b(B", "iso-2022-jp",
	    "\xe2\x91\xa0\xe2\x91\xa1\xe2\x85\xa0\xe3\x88\xb1", NULL);
	/* NEC-selected IBM extension (row 92): 髙 */
	CONV_IS("\x1b$B|b\x1b(B", "iso-2022-jp", "\xe9\xab\x99", NULL);
	/* JIS X 0201 kana by ESC ( I, and by SO/SI: ｱｲｳ */
	CONV_IS("\x1b(I123\x1b(B!", "iso-2022-jp",
	    "\xef\xbd\xb1\xef\xbd\xb2\xef\xbd\xb3!", NULL);
	CONV_IS("a\x0e" "123\x0f" "b", "iso-2022-jp",
	    "a\xef\xbd\xb1\xef\xbd\xb2\xef\xbd\xb3" "b", NULL);
	/* JIS X 0212 (ISO-2022-JP-1): 丂 */
	CONV_IS("\x1b$(D0!\x1b(B", "iso-2022-jp", "\xe4\xb8\x82", NULL);
	/* ESC ( J is ASCII for mail's purposes. */
	CONV_IS("\x1b$B$\"\x1b(Jabc", "iso-2022-jp", "\xe3\x81\x82" "abc",
	    NULL);
	/* A line left in kanji mode does not spoil the next line. */
	CONV_IS("\x1b$B$\"\nabc", "iso-2022-jp", "\xe3\x81\x82\nabc", NULL);
	/* A lone half pair and an unknown escape become U+FFFD. */
	CONV_IS("\x1b$B$\"$\x1b(Bx", "iso-2022-jp", "\xe3\x81\x82" FFFD "x",
	    NULL);
	CONV_IS("a\x1bZb", "iso-2022-jp", "a" FFFD "Zb", NULL);
	/* Unassigned JIS code: one U+FFFD, and the text goes on. */
	CONV_IS("\x1b$B)!$\"\x1b(B", "iso-2022-jp", FFFD "\xe3\x81\x82",
	    NULL);
	/* 8-bit kana in the 7-bit stream (JIS8) */
	CONV_IS(NIHONGO_JIS "\xb1", "iso-2022-jp", NIHONGO "\xef\xbd\xb1",
	    NULL);
}
END_TEST

START_TEST(shift_jis)
{
	const char *labels[] = { "shift_jis", "Shift-JIS", "sjis", "x-sjis",
	    "windows-31j", "CP932", "MS_Kanji", "csShiftJIS" };
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		CONV_IS(JA_SJIS, labels[i], JA_UTF8, "CP932");
	/* CP932, not JIS: backslash stays, NEC specials, half-width kana */
	CONV_IS("C:\x5c" "dir \x87@\x87""A\x87T\x87\x8a \xb1\xb2", "shift_jis",
	    "C:\\dir \xe2\x91\xa0\xe2\x91\xa1\xe2\x85\xa0\xe3\x88\xb1 "
	    "\xef\xbd\xb1\xef\xbd\xb2", NULL);
	/* Windows mappings: wave dash as FULLWIDTH TILDE, FULLWIDTH MINUS */
	CONV_IS("\x81`\x81|", "shift_jis", "\xef\xbd\x9e\xef\xbc\x8d", NULL);
	/* A bad byte in the middle does not stop the conversion. */
	CONV_IS("\x82\xb1\xff\x82\xcc", "shift_jis",
	    "\xe3\x81\x93" FFFD "\xe3\x81\xae", "CP932");
	/* Cut in the middle of a character at the end */
	CONV_IS("\x82\xb1\x82", "shift_jis", "\xe3\x81\x93" FFFD, "CP932");
}
END_TEST

START_TEST(euc_jp)
{
	CONV_IS(JA_EUC, "euc-jp", JA_UTF8, "EUC-JP-MS");
	CONV_IS(JA_EUC, "x-euc-jp", JA_UTF8, "EUC-JP-MS");
	CONV_IS(JA_EUC, "EUCJP", JA_UTF8, "EUC-JP-MS");
	/* ① and ｱ and 丂 (JIS X 0212) and 髙 (NEC-selected IBM) */
	CONV_IS("\xad\xa1\x8e\xb1\x8f\xb0\xa1\xfc\xe2", "euc-jp",
	    "\xe2\x91\xa0\xef\xbd\xb1\xe4\xb8\x82\xe9\xab\x99", NULL);
	CONV_IS("\xa4\xb3\xff\xa4\xce", "euc-jp",
	    "\xe3\x81\x93" FFFD "\xe3\x81\xae", "EUC-JP-MS");
}
END_TEST

START_TEST(guess)
{
	const char *u;
	char *r;

	CONV_IS(JA_SJIS, NULL, JA_UTF8, "CP932");
	CONV_IS(JA_EUC, NULL, JA_UTF8, "EUC-JP-MS");
	CONV_IS(JA_UTF8, NULL, JA_UTF8, "UTF-8");
	CONV_IS(NIHONGO_JIS, NULL, NIHONGO, "ISO-2022-JP");
	CONV_IS("plain", NULL, "plain", "US-ASCII");
	CONV_IS("plain", "", "plain", "US-ASCII");
	/* Western 8-bit: windows-1252 (euro sign at 0x80) */
	CONV_IS("caf\xe9 \x80" "5", NULL, "caf\xc3\xa9 \xe2\x82\xac" "5",
	    "WINDOWS-1252");
	/* Labels nobody knows are guessed over. */
	CONV_IS(JA_SJIS, "x-unknown", JA_UTF8, "CP932");
	CONV_IS(JA_UTF8, "unknown-8bit", JA_UTF8, "UTF-8");
	/* Hostile labels reach iconv only as a known name. */
	CONV_IS(JA_UTF8, "utf-8//TRANSLIT", JA_UTF8, "UTF-8");
	CONV_IS("abc", "../../../../etc/passwd", "abc", "US-ASCII");
	r = conv(JA_SJIS, sizeof(JA_SJIS) - 1,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    &u);
	ck_assert_str_eq(r, JA_UTF8);
	free(r);
	/* NULL input is an empty text. */
	r = vf_to_utf8(NULL, 5, "utf-8", NULL, NULL);
	ck_assert_str_eq(r, "");
	free(r);
}
END_TEST

/* Damaged UTF-8 (base64 with junk decoded into it) stays UTF-8. */
START_TEST(damaged_utf8)
{
	const char *s = "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1"
	    "\xe3\x81\xaf\x9e\x8b[j more";
	const char *used;
	size_t n;
	char *r;

	r = vf_to_utf8(s, strlen(s), NULL, &n, &used);
	ck_assert_str_eq(used, "UTF-8");
	ck_assert_str_eq(r, "こんにちは\xef\xbf\xbd\xef\xbf\xbd[j more");
	free(r);
}
END_TEST

START_TEST(override)
{
	/* Labelled Latin-1 (or ASCII) but ISO-2022-JP escapes inside */
	CONV_IS(NIHONGO_JIS, "iso-8859-1", NIHONGO, "ISO-2022-JP");
	CONV_IS(NIHONGO_JIS, "us-ascii", NIHONGO, "ISO-2022-JP");
	/* Labelled Latin-1 but valid multi-byte UTF-8 */
	CONV_IS(JA_UTF8, "iso-8859-1", JA_UTF8, "UTF-8");
	CONV_IS("caf\xc3\xa9", "windows-1252", "caf\xc3\xa9", "UTF-8");
	/* Labelled Latin-1 but Shift_JIS / EUC-JP with kana */
	CONV_IS(JA_SJIS, "iso-8859-1", JA_UTF8, "CP932");
	CONV_IS(JA_EUC, "iso-8859-1", JA_UTF8, "EUC-JP-MS");
	/* ... while real Latin-1 stays Latin-1 */
	CONV_IS("na\xefve caf\xe9", "iso-8859-1", "na\xc3\xafve caf\xc3\xa9",
	    "WINDOWS-1252");
	/* Labelled UTF-8: 7-bit with ISO-2022-JP escapes is not UTF-8, */
	CONV_IS(NIHONGO_JIS, "utf-8", NIHONGO, "ISO-2022-JP");
	/* ... but 8-bit UTF-8 with an escape sequence in it still is. */
	CONV_IS(JA_UTF8 "\x1b$B", "utf-8", JA_UTF8 "\x1b$B", "UTF-8");
	/* Labelled UTF-8 but not UTF-8 */
	CONV_IS(JA_SJIS, "utf-8", JA_UTF8, "CP932");
	CONV_IS(JA_EUC, "utf-8", JA_UTF8, "EUC-JP-MS");
	CONV_IS("caf\xe9", "utf-8", "caf\xc3\xa9", "WINDOWS-1252");
	/* US-ASCII with 8-bit bytes */
	CONV_IS(JA_SJIS, "us-ascii", JA_UTF8, "CP932");
	/* ISO-2022-JP label on 8-bit text (seen in bounce mail) */
	CONV_IS(JA_UTF8, "iso-2022-jp", JA_UTF8, "UTF-8");
	CONV_IS(JA_SJIS, "iso-2022-jp", JA_UTF8, "CP932");
	/* Shift_JIS label on EUC-JP or UTF-8 */
	CONV_IS(JA_EUC, "shift_jis", JA_UTF8, "EUC-JP-MS");
	CONV_IS(JA_UTF8, "shift_jis", JA_UTF8, "UTF-8");
	CONV_IS(JA_SJIS, "euc-jp", JA_UTF8, "CP932");
	/* Shift_JIS label on pure ISO-2022-JP */
	CONV_IS(NIHONGO_JIS, "shift_jis", NIHONGO, "ISO-2022-JP");
}
END_TEST

START_TEST(others)
{
	CONV_IS("A\0B\0", "utf-16le", "AB", "UTF-16LE");
	CONV_IS("\xfe\xff\0A", "utf-16", "A", "UTF-16");
	/* odd byte at the end */
	CONV_IS("A\0B", "utf-16le", "A" FFFD, NULL);
	CONV_IS("\xc0\xd2", "koi8-r", "\xd1\x8e\xd1\x80", "KOI8-R");
	CONV_IS("\xa4", "iso-8859-15", "\xe2\x82\xac", "ISO-8859-15");
	CONV_IS("\xc7\xd1\xb1\xdb", "ks_c_5601-1987",
	    "\xed\x95\x9c\xea\xb8\x80", "CP949");
	CONV_IS("\xc4\xe3\xba\xc3", "gb2312", "\xe4\xbd\xa0\xe5\xa5\xbd",
	    "GB18030");
	CONV_IS("+ZeVnLIqe-", "utf-7", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "UTF-7");
}
END_TEST

/* iconv gets the text in windows: characters across them stay whole. */
START_TEST(windows)
{
	struct vf_buf in = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	char *r;
	size_t i, len;

	vf_buf_addc(&in, 'a');
	vf_buf_addc(&want, 'a');
	for (i = 0; i < 3000; i++) {
		vf_buf_add(&in, "\x82\xa0", 2);		/* あ */
		vf_buf_add(&want, "\xe3\x81\x82", 3);
	}
	r = vf_to_utf8(in.p, in.len, "shift_jis", &len, NULL);
	ck_assert_str_eq(r, want.p);
	free(r);
	in.len = want.len = 0;
	vf_buf_add(&in, "a\0", 2);
	vf_buf_addc(&want, 'a');
	for (i = 0; i < 3000; i++) {
		vf_buf_add(&in, "\x3d\xd8\x00\xde", 4);	/* U+1F600 */
		vf_buf_add(&want, "\xf0\x9f\x98\x80", 4);
	}
	r = vf_to_utf8(in.p, in.len, "utf-16le", &len, NULL);
	ck_assert_str_eq(r, want.p);
	free(r);
	/* ... and one cut by the real end is still U+FFFD. */
	r = vf_to_utf8(in.p, in.len - 1, "utf-16le", &len, NULL);
	ck_assert_uint_eq(len, want.len - 4 + 3);
	ck_assert_str_eq(r + len - 3, "\xef\xbf\xbd");
	free(r);
	vf_buf_free(&in);
	vf_buf_free(&want);
}
END_TEST

/* Whatever the bytes and the label: valid UTF-8, no NUL, no crash. */
START_TEST(random_bytes)
{
	const char *labels[] = { NULL, "utf-8", "us-ascii", "iso-8859-1",
	    "shift_jis", "euc-jp", "iso-2022-jp", "utf-16", "utf-7",
	    "gb2312", "big5", "iso-2022-kr", "koi8-r", "utf-32be" };
	const char alpha[] = "\x1b$B()@DIJ\x0e\x0f\n\r\0\x80\x8e\x8f\xa1\xa4"
	    "\xe3\x81\x82\xff\xfe\xc2+-AZaz09";
	unsigned long seed = 1;
	char buf[96], *r;
	size_t i, j, k, n, len;

	for (i = 0; i < 3000; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = (seed >> 33) % sizeof(buf);
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL +
			    1442695040888963407UL;
			buf[k] = (seed >> 40) & 1 ? (char)(seed >> 48) :
			    alpha[(seed >> 41) % (sizeof(alpha) - 1)];
		}
		for (j = 0; j < sizeof(labels) / sizeof(labels[0]); j++) {
			r = vf_to_utf8(buf, n, labels[j], &len, NULL);
			ck_assert(vf_utf8_valid(r, len));
			ck_assert(memchr(r, '\0', len) == NULL);
			ck_assert_uint_eq(strlen(r), len);
			free(r);
		}
	}
}
END_TEST

/* Large hostile input converts in linear time. */
START_TEST(linear)
{
	const char *labels[] = { NULL, "utf-8", "shift_jis", "euc-jp",
	    "iso-2022-jp", "gb2312" };
	size_t n = 2 * 1024 * 1024, i, len;
	char *s, *r;

	s = vf_malloc(n);
	for (i = 0; i < n; i++)
		s[i] = "\xff\x1b$B\x82\x80"[i % 6];
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		r = vf_to_utf8(s, n, labels[i], &len, NULL);
		ck_assert(vf_utf8_valid(r, len));
		free(r);
	}
	free(s);
}
END_TEST

/*
 * vf_ascii_span against the byte-at-a-time answer: a stop byte (0x80 or
 * above; NUL when asked) at every offset of every length up to 72 and
 * at every alignment, a second stop after it, so that the sixteen- and
 * eight-byte steps and the tail agree.
 */
START_TEST(ascii_span)
{
	static const unsigned char stops[] = { 0x80, 0xe3, 0xff, 0x00 };
	unsigned char buf[96];
	size_t n, at, a, want, k;
	int nul;

	for (a = 0; a < 16; a++)
		for (n = 0; n + a <= 72; n++)
			for (at = 0; at <= n; at++)
				for (k = 0; k < sizeof(stops); k++)
					for (nul = 0; nul <= 1; nul++) {
		memset(buf, 'a', sizeof(buf));
		if (at < n)
			buf[a + at] = stops[k];
		if (at + 3 < n)
			buf[a + at + 3] = stops[(k + 1) % sizeof(stops)];
		want = at < n && (stops[k] != 0 || nul) ? at : n;
		/* A NUL not asked for passes: the next stop ends the run. */
		if (at < n && stops[k] == 0 && !nul)
			want = at + 3 < n ? at + 3 : n;
		ck_assert_uint_eq(vf_ascii_span(buf + a, n, nul), want);
					}
}
END_TEST

static Suite *
charset_suite(void)
{
	Suite *s = suite_create("charset");
	TCase *tc = tcase_create("charset");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, utf8_valid);
	tcase_add_test(tc, utf8_label);
	tcase_add_test(tc, iso2022jp);
	tcase_add_test(tc, shift_jis);
	tcase_add_test(tc, euc_jp);
	tcase_add_test(tc, guess);
	tcase_add_test(tc, damaged_utf8);
	tcase_add_test(tc, override);
	tcase_add_test(tc, others);
	tcase_add_test(tc, windows);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, linear);
	tcase_add_test(tc, ascii_span);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(charset_suite)
