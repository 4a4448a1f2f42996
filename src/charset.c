/*
 * Conversion to UTF-8 of text whose label cannot be trusted.
 *
 * Labels are mapped to what mailers really send: "Shift_JIS" is Windows
 * CP932 (NEC and IBM extensions, backslash not yen), "EUC-JP" is EUC-JP-MS,
 * and ISO-2022-JP is decoded here, not by glibc: glibc's ISO-2022-JP
 * converters reject the NEC row 13 characters (circled digits, Roman
 * numerals) that Windows sends under ESC $ B, and only some of them know
 * JIS X 0201 kana. The escapes are turned into EUC-JP-MS bytes, which glibc
 * converts with those extensions.
 *
 * A label the bytes contradict is overridden, a missing one is guessed, and
 * bytes that convert in no way become U+FFFD so the rest still converts.
 * Everything is a fixed number of passes over the input: linear.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vf.h"

enum kind {
	K_ASCII,	/* 7-bit; anything else means the label is wrong */
	K_UTF8,
	K_SINGLE,	/* one byte per character, every byte sequence valid */
	K_CP932,
	K_EUCJP,
	K_JIS,		/* ISO-2022-JP family, decoded here */
	K_MULTI,	/* other multi-byte charsets (Chinese, Korean) */
	K_WIDE		/* UTF-16/32, UTF-7, ISO-2022-KR/CN: taken as labelled */
};

struct cs {
	const char	*alias;		/* normalised labels, space separated */
	const char	*name;		/* iconv name, returned as `used` */
	const char	*alt;		/* iconv name when name is not known */
	enum kind	 kind;
};

/* The first entries are what a guess can return; keep the CS_ order. */
enum { CS_ASCII, CS_UTF8, CS_CP932, CS_EUCJP, CS_JIS, CS_1252, CS_JIS2 };

static const struct cs charsets[] = {
	{ "usascii ascii ansix341968 iso646us us cp367 ibm367 csascii "
	  "isoir6 iso646irv1991 ansix341986 7bit",
	  "US-ASCII", NULL, K_ASCII },
	{ "utf8 unicode11utf8 unicode20utf8 xunicode20utf8 utf8mb4",
	  "UTF-8", NULL, K_UTF8 },
	{ "cp932 shiftjis sjis xsjis windows31j mskanji csshiftjis ms932 "
	  "xmscp932 ibm943 cswindows31j shiftjisx0213 shiftjis2004 sjisopen "
	  "sjiswin xmacjapanese macjapanese",
	  "CP932", "SHIFT_JIS", K_CP932 },
	{ "eucjpms eucjp xeucjp cseucpkdfmtjapanese ujis xeuc eucjpwin "
	  "eucjpopen eucjisx0213 eucjis2004",
	  "EUC-JP-MS", "EUC-JP", K_EUCJP },
	{ "iso2022jp csiso2022jp iso2022jp1 iso2022jp3 iso2022jp2004 "
	  "iso2022jpms cp50220 cp50221 cp50222 jis xjis csjisencoding "
	  "iso2022jp2 csiso2022jp2",
	  "ISO-2022-JP", NULL, K_JIS },
	/* WHATWG: Latin-1 labels mean windows-1252 in practice. */
	{ "windows1252 cp1252 xcp1252 iso88591 latin1 l1 isoir100 "
	  "iso885911987 cp819 ibm819 csisolatin1 88591 iso8859",
	  "WINDOWS-1252", "ISO-8859-1", K_SINGLE },
	/* Only reached when ISO-2022-JP-2 escapes beyond Japanese appear. */
	{ "", "ISO-2022-JP-2", NULL, K_WIDE },
	{ "iso88592 latin2 l2 isoir101 iso885921987 csisolatin2",
	  "ISO-8859-2", NULL, K_SINGLE },
	{ "iso88593 latin3 l3 isoir109 iso885931988 csisolatin3",
	  "ISO-8859-3", NULL, K_SINGLE },
	{ "iso88594 latin4 l4 isoir110 iso885941988 csisolatin4",
	  "ISO-8859-4", NULL, K_SINGLE },
	{ "iso88595 cyrillic isoir144 iso885951988 csisolatincyrillic",
	  "ISO-8859-5", NULL, K_SINGLE },
	{ "iso88596 arabic isoir127 iso885961987 csisolatinarabic asmo708 "
	  "iso88596i iso88596e",
	  "ISO-8859-6", NULL, K_SINGLE },
	{ "iso88597 greek greek8 isoir126 iso885971987 csisolatingreek "
	  "elot928 ecma118",
	  "ISO-8859-7", NULL, K_SINGLE },
	{ "iso88598 hebrew isoir138 iso885981988 csisolatinhebrew iso88598i "
	  "iso88598e visual logical",
	  "ISO-8859-8", NULL, K_SINGLE },
	{ "iso88599 latin5 l5 isoir148 iso885991989 csisolatin5 windows1254 "
	  "cp1254 xcp1254",
	  "WINDOWS-1254", "ISO-8859-9", K_SINGLE },
	{ "iso885910 latin6 l6 isoir157 csisolatin6",
	  "ISO-8859-10", NULL, K_SINGLE },
	{ "iso885911 tis620 windows874 cp874 dos874 xcp874",
	  "WINDOWS-874", "TIS-620", K_SINGLE },
	{ "iso885913 latin7 l7", "ISO-8859-13", NULL, K_SINGLE },
	{ "iso885914 latin8 l8 isoceltic", "ISO-8859-14", NULL, K_SINGLE },
	{ "iso885915 latin9 l9 latin0 csisolatin9",
	  "ISO-8859-15", NULL, K_SINGLE },
	{ "iso885916 latin10 l10", "ISO-8859-16", NULL, K_SINGLE },
	{ "windows1250 cp1250 xcp1250", "WINDOWS-1250", NULL, K_SINGLE },
	{ "windows1251 cp1251 xcp1251", "WINDOWS-1251", NULL, K_SINGLE },
	{ "windows1253 cp1253 xcp1253", "WINDOWS-1253", NULL, K_SINGLE },
	{ "windows1255 cp1255 xcp1255", "WINDOWS-1255", NULL, K_SINGLE },
	{ "windows1256 cp1256 xcp1256", "WINDOWS-1256", NULL, K_SINGLE },
	{ "windows1257 cp1257 xcp1257", "WINDOWS-1257", NULL, K_SINGLE },
	{ "windows1258 cp1258 xcp1258", "WINDOWS-1258", NULL, K_SINGLE },
	{ "koi8r cskoi8r koi8 koi", "KOI8-R", NULL, K_SINGLE },
	{ "koi8u koi8ru", "KOI8-U", NULL, K_SINGLE },
	{ "ibm866 cp866 866 csibm866", "IBM866", NULL, K_SINGLE },
	{ "ibm850 cp850 850", "IBM850", NULL, K_SINGLE },
	{ "ibm437 cp437 437", "IBM437", NULL, K_SINGLE },
	{ "macintosh mac xmacroman macroman csmacintosh",
	  "MACINTOSH", NULL, K_SINGLE },
	{ "viscii", "VISCII", NULL, K_SINGLE },
	{ "gb18030 gbk gb2312 cp936 xgbk euccn xeuccn csgb2312 chinese "
	  "gb231280 isoir58 windows936 ms936",
	  "GB18030", "GBK", K_MULTI },
	{ "big5 big5hkscs cnbig5 xxbig5 csbig5 xbig5 cp950 windows950",
	  "BIG5-HKSCS", "BIG5", K_MULTI },
	{ "euckr cp949 ksc56011987 ksc5601 ksc56011989 korean csksc56011987 "
	  "isoir149 windows949 uhc cseuckr xwindows949",
	  "CP949", "EUC-KR", K_MULTI },
	{ "euctw cseuctw xeuctw", "EUC-TW", NULL, K_MULTI },
	{ "iso2022kr csiso2022kr", "ISO-2022-KR", NULL, K_WIDE },
	{ "iso2022cn csiso2022cn iso2022cnext", "ISO-2022-CN-EXT", NULL,
	  K_WIDE },
	{ "utf7 unicode11utf7 csunicode11utf7 xunicode20utf7",
	  "UTF-7", NULL, K_WIDE },
	{ "utf16 csutf16 ucs2 iso10646ucs2 csunicode unicode",
	  "UTF-16", NULL, K_WIDE },
	{ "utf16le csutf16le unicodelittleunmarked", "UTF-16LE", NULL,
	  K_WIDE },
	{ "utf16be csutf16be unicodebigunmarked unicodefffe", "UTF-16BE",
	  NULL, K_WIDE },
	{ "utf32 csutf32 ucs4 iso10646ucs4", "UTF-32", NULL, K_WIDE },
	{ "utf32le csutf32le", "UTF-32LE", NULL, K_WIDE },
	{ "utf32be csutf32be", "UTF-32BE", NULL, K_WIDE },
};

#define NCHARSETS	(sizeof(charsets) / sizeof(charsets[0]))

static const struct cs *
lookup(const char *label)
{
	char key[48];
	const char *a, *e;
	size_t i, k, kl;

	if (label == NULL)
		return NULL;
	/* Case, punctuation and an RFC 2231 "*lang" suffix do not matter. */
	for (k = 0; *label != '\0' && *label != '*'; label++) {
		unsigned char c = (unsigned char)*label;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (k >= sizeof(key) - 1)
			return NULL;
		key[k++] = (char)c;
	}
	if (k == 0)
		return NULL;
	key[k] = '\0';
	kl = k;
	for (i = 0; i < NCHARSETS; i++) {
		for (a = charsets[i].alias; *a != '\0'; a = e) {
			while (*a == ' ')
				a++;
			if ((e = strchr(a, ' ')) == NULL)
				e = a + strlen(a);
			if ((size_t)(e - a) == kl && memcmp(a, key, kl) == 0)
				return &charsets[i];
		}
	}
	return NULL;
}

/*
 * Length of the valid UTF-8 sequence at s (at least 1 byte left), or 0 when
 * it is not valid; then *skip gets the length of its maximal subpart, the
 * bytes that one U+FFFD stands for (Unicode's recommended practice).
 */
static size_t
u8seq(const unsigned char *s, size_t n, size_t *skip)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		*skip = 1;
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*skip = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

int
vf_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, l, skip;

	for (i = 0; i < n; i += l) {
		if (p[i] < 0x80) {
			l = 1;
			continue;
		}
		if ((l = u8seq(p + i, n - i, &skip)) == 0)
			return 0;
	}
	return 1;
}

static const char fffd[] = "\xef\xbf\xbd";

/*
 * How many of the n bytes at s are ASCII (and, if nul, none NUL) before
 * the first that is not: mail and a report's long values are mostly
 * ASCII, and the passes over them step eight bytes at a time (stepped
 * one by one, a 100K mail cost 4 instructions a byte in each pass).
 */
size_t
vf_ascii_span(const void *p, size_t n, int nul)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	const unsigned char *s = p;
	uint64_t w;
	size_t i = 0;

#if defined(__SSE2__)
	/* Sixteen at a time: a high bit, or a NUL, ends the run. */
	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		int m = _mm_movemask_epi8(v);

		if (nul)
			m |= _mm_movemask_epi8(_mm_cmpeq_epi8(v,
			    _mm_setzero_si128()));
		if (m != 0)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & high) != 0 || (nul && ((w - ones) & ~w & high) != 0))
			break;
	}
	while (i < n && s[i] < 0x80 && (!nul || s[i] != '\0'))
		i++;
	return i;
}

/* Append s as UTF-8: invalid sequences and NUL become U+FFFD. */
static void
utf8_clean(struct vf_buf *o, const unsigned char *s, size_t n)
{
	size_t i, run, l, skip = 1;

	vf_buf_grow(o, n + 16);
	for (i = run = 0; i < n; ) {
		if ((i += vf_ascii_span(s + i, n - i, 1)) == n)
			break;
		if (s[i] >= 0x80 && (l = u8seq(s + i, n - i, &skip)) > 0) {
			i += l;
			continue;
		}
		if (s[i] >= 0x80 || s[i] == '\0') {
			vf_buf_add(o, s + run, i - run);
			vf_buf_add(o, fffd, 3);
			i += s[i] == '\0' ? 1 : skip;
			run = i;
			continue;
		}
		i++;
	}
	vf_buf_add(o, s + run, n - run);
}

struct u8stat {
	size_t	err;		/* invalid sequences */
	size_t	mb;		/* valid multi-byte sequences */
};

static void
u8_stat(const unsigned char *s, size_t n, struct u8stat *st)
{
	size_t i, l, skip;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; ) {
		if ((i += vf_ascii_span(s + i, n - i, 0)) == n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((l = u8seq(s + i, n - i, &skip)) > 0) {
			st->mb++;
			i += l;
		} else {
			st->err++;
			i += skip;
		}
	}
}

/*
 * Byte statistics of Japanese text in one encoding. Kana and Japanese
 * punctuation are most of any Japanese prose and rare in anything else
 * read the wrong way, so they are the evidence; half-width kana are rare
 * in mail but are what EUC-JP looks like when read as Shift_JIS.
 */
struct jstat {
	size_t	err;
	size_t	pairs;		/* well-formed double-byte characters */
	size_t	kana;		/* of which hiragana, katakana, punctuation */
	size_t	hw;		/* half-width kana */
};

static int
sj_lead(unsigned char c)
{
	return (c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc);
}

static int
sj_trail(unsigned char c)
{
	return (c >= 0x40 && c <= 0x7e) || (c >= 0x80 && c <= 0xfc);
}

static void
sjis_stat(const unsigned char *s, size_t n, struct jstat *st)
{
	size_t i;
	unsigned char c, t;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; ) {
		c = s[i];
		if (c < 0x80) {
			i++;
		} else if (c >= 0xa1 && c <= 0xdf) {
			st->hw++;
			i++;
		} else if (sj_lead(c) && i + 1 < n && sj_trail(s[i + 1])) {
			t = s[i + 1];
			st->pairs++;
			if ((c == 0x82 && t >= 0x9f && t <= 0xf1) ||
			    (c == 0x83 && t >= 0x40 && t <= 0x96) ||
			    (c == 0x81 && t >= 0x40 && t <= 0x5b))
				st->kana++;
			i += 2;
		} else {
			st->err++;
			i++;
		}
	}
}

static int
euc_byte(unsigned char c)
{
	return c >= 0xa1 && c <= 0xfe;
}

static void
euc_stat(const unsigned char *s, size_t n, struct jstat *st)
{
	size_t i;
	unsigned char c, t;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; ) {
		c = s[i];
		if (c < 0x80) {
			i++;
		} else if (c == 0x8e && i + 1 < n && s[i + 1] >= 0xa1 &&
		    s[i + 1] <= 0xdf) {
			st->hw++;
			i += 2;
		} else if (c == 0x8f && i + 2 < n && euc_byte(s[i + 1]) &&
		    euc_byte(s[i + 2])) {
			st->pairs++;
			i += 3;
		} else if (euc_byte(c) && i + 1 < n && euc_byte(s[i + 1])) {
			t = s[i + 1];
			st->pairs++;
			if ((c == 0xa4 && t <= 0xf3) || (c == 0xa5 && t <= 0xf6) ||
			    (c == 0xa1 && t <= 0xbc))
				st->kana++;
			i += 2;
		} else {
			st->err++;
			i++;
		}
	}
}

/* Does the text designate a Japanese set the ISO 2022 way? */
static int
has_jis(const unsigned char *s, size_t n)
{
	const unsigned char *p, *e = s + n;

	for (p = s; (p = memchr(p, 0x1b, (size_t)(e - p))) != NULL; p++) {
		if (e - p < 3)
			break;
		if ((p[1] == '$' && (p[2] == 'B' || p[2] == '@')) ||
		    (p[1] == '(' && (p[2] == 'J' || p[2] == 'I')))
			return 1;
		if (e - p >= 4 && p[1] == '$' && p[2] == '(' &&
		    (p[3] == 'D' || p[3] == 'O' || p[3] == 'Q' || p[3] == 'B'))
			return 1;
	}
	return 0;
}

/* ISO-2022-JP-2 escapes for sets other than Japanese and ASCII. */
static int
has_jis2(const unsigned char *s, size_t n)
{
	const unsigned char *p, *e = s + n;

	for (p = s; (p = memchr(p, 0x1b, (size_t)(e - p))) != NULL; p++) {
		if (e - p < 3)
			break;
		if ((p[1] == '$' && p[2] == 'A') || p[1] == '.' ||
		    (e - p >= 4 && p[1] == '$' && p[2] == '(' &&
		    (p[3] == 'C')))
			return 1;
	}
	return 0;
}

static int
has8bit(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = vf_ascii_span(s, n, 0); i < n; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

static long
jscore(const struct jstat *st, int sjis)
{
	long v;

	v = 4 * (long)st->kana + (long)st->pairs - 16 * (long)st->err;
	if (sjis)
		v -= 2 * (long)st->hw;
	return v;
}

/*
 * Is this Japanese, and in which encoding? strict asks for kana and no
 * error at all: then the bytes overrule a label that says otherwise.
 */
static const struct cs *
japanese(const unsigned char *s, size_t n, int strict)
{
	struct jstat sj, eu;
	long vs, ve;
	int oks, oke;

	sjis_stat(s, n, &sj);
	euc_stat(s, n, &eu);
	if (strict) {
		oks = sj.err == 0 && sj.kana > 0 && sj.hw * 2 <= sj.pairs;
		oke = eu.err == 0 && eu.kana > 0;
	} else {
		oks = sj.pairs > 0 && sj.err * 32 <= sj.pairs &&
		    sj.hw <= sj.pairs;
		oke = eu.pairs > 0 && eu.err * 32 <= eu.pairs;
	}
	vs = oks ? jscore(&sj, 1) : 0;
	ve = oke ? jscore(&eu, 0) : 0;
	if (vs <= 0 && ve <= 0)
		return NULL;
	return ve > vs ? &charsets[CS_EUCJP] : &charsets[CS_CP932];
}

/* No usable label: decide from the bytes alone. */
static const struct cs *
guess(const unsigned char *s, size_t n)
{
	const struct cs *cs;
	struct u8stat u;

	if (has_jis(s, n))
		return &charsets[has_jis2(s, n) ? CS_JIS2 : CS_JIS];
	if (!has8bit(s, n))
		return &charsets[CS_ASCII];
	u8_stat(s, n, &u);
	if (u.err == 0)
		return &charsets[CS_UTF8];
	/*
	 * Mostly UTF-8, cut or slightly damaged (a broken base64 line):
	 * windows-1252 text next to never forms valid multi-byte UTF-8, and
	 * Shift_JIS or EUC-JP kana lead with UTF-8 continuation bytes.
	 */
	if (u.mb > 0 && u.err * 2 <= u.mb)
		return &charsets[CS_UTF8];
	if ((cs = japanese(s, n, 0)) != NULL)
		return cs;
	return &charsets[CS_1252];
}

static const struct cs *
choose(const unsigned char *s, size_t n, const char *label)
{
	const struct cs *cs, *ja;
	struct u8stat u;
	struct jstat st;
	int jis, hi;

	if ((cs = lookup(label)) == NULL)
		return guess(s, n);
	jis = has_jis(s, n);
	hi = has8bit(s, n);
	switch (cs->kind) {
	case K_ASCII:
		return jis || hi ? guess(s, n) : cs;
	case K_UTF8:
		if (jis && !hi)
			return guess(s, n);
		u8_stat(s, n, &u);
		if (u.err == 0)
			return cs;
		if (u.err * 16 <= u.mb)
			return cs;
		if (jis)
			return guess(s, n);
		if ((ja = japanese(s, n, 0)) != NULL)
			return ja;
		return u.mb == 0 ? &charsets[CS_1252] : cs;
	case K_JIS:
		if (!jis && hi)
			return guess(s, n);
		return jis && has_jis2(s, n) ? &charsets[CS_JIS2] : cs;
	case K_SINGLE:
		if (jis)
			return guess(s, n);
		if (!hi)
			return cs;
		u8_stat(s, n, &u);
		if (u.err == 0 && u.mb > 0)
			return &charsets[CS_UTF8];
		if ((ja = japanese(s, n, 1)) != NULL)
			return ja;
		return cs;
	case K_CP932:
	case K_EUCJP:
		if (jis && !hi)
			return guess(s, n);
		if (cs->kind == K_CP932)
			sjis_stat(s, n, &st);
		else
			euc_stat(s, n, &st);
		/* EUC-JP read as Shift_JIS is mostly half-width kana. */
		if (st.err == 0 && (cs->kind == K_EUCJP || st.hw <= st.pairs))
			return cs;
		u8_stat(s, n, &u);
		if (u.err == 0 && u.mb > 0)
			return &charsets[CS_UTF8];
		if ((ja = japanese(s, n, 1)) != NULL)
			return ja;
		return cs;
	case K_MULTI:
		if (jis && !hi)
			return guess(s, n);
		if (hi) {
			u8_stat(s, n, &u);
			if (u.err == 0 && u.mb > 1)
				return &charsets[CS_UTF8];
		}
		return cs;
	case K_WIDE:
		break;
	}
	return cs;
}

/* Bytes one undecodable character spans, so resync lands on the next. */
static size_t
badlen(enum kind k, const unsigned char *s, size_t n)
{
	if (n < 2)
		return 1;
	switch (k) {
	case K_CP932:
		if (sj_lead(s[0]) && sj_trail(s[1]))
			return 2;
		break;
	case K_EUCJP:
		if (s[0] == 0x8f && n >= 3 && euc_byte(s[1]) && euc_byte(s[2]))
			return 3;
		if ((s[0] == 0x8e || euc_byte(s[0])) && euc_byte(s[1]))
			return 2;
		break;
	case K_MULTI:
		if (s[0] >= 0x81 && s[0] <= 0xfe) {
			if (n >= 4 && s[1] >= 0x30 && s[1] <= 0x39 &&
			    s[2] >= 0x81 && s[3] >= 0x30 && s[3] <= 0x39)
				return 4;
			if (s[1] >= 0x40 && s[1] != 0x7f && s[1] != 0xff)
				return 2;
		}
		break;
	default:
		break;
	}
	return 1;
}

/*
 * Converters are opened once per process and kept: glibc loads most of
 * them as modules and unloads them on iconv_close, and loading one again
 * costs more than converting a whole mail. This cache is the only state
 * the library keeps between calls (the tools are single-threaded).
 */
static iconv_t	cache[NCHARSETS];
static signed char cached[NCHARSETS];	/* 0 not tried, 1 open, -1 none */

static iconv_t
open_cs(const struct cs *cs)
{
	size_t i = (size_t)(cs - charsets);
	iconv_t cd;

	if (cached[i] == 0) {
		cd = iconv_open("UTF-8", cs->name);
		if (cd == (iconv_t)-1 && cs->alt != NULL)
			cd = iconv_open("UTF-8", cs->alt);
		cache[i] = cd;
		cached[i] = cd == (iconv_t)-1 ? -1 : 1;
	}
	if (cached[i] < 0)
		return (iconv_t)-1;
	/* Back to the initial shift state for a new text. */
	iconv(cache[i], NULL, NULL, NULL, NULL);
	return cache[i];
}

/*
 * iconv is fed at most this much at a time: an instrumented iconv (ASan
 * checks all the input it is given on every call) would otherwise make
 * text full of bad bytes quadratic to convert.
 */
#define CHUNK	1024

/* Append s converted by cd; what does not convert becomes U+FFFD. */
static void
conv_cd(struct vf_buf *o, const unsigned char *s, size_t n, iconv_t cd,
    enum kind kind)
{
	char *ip, *op;
	size_t il, ol, r, skip, left, win;
	int done = 0;

	/* Three bytes out per byte in covers every charset here. */
	vf_buf_grow(o, n * 3 + 16);
	ip = (char *)(uintptr_t)s;
	left = n;
	for (;;) {
		op = o->p + o->len;
		ol = o->cap - o->len - 1;
		win = il = left < CHUNK ? left : CHUNK;
		/* With no input left, this call flushes a shift state. */
		r = iconv(cd, il > 0 ? &ip : NULL, &il, &op, &ol);
		o->len = (size_t)(op - o->p);
		left -= win - il;
		if (r != (size_t)-1) {
			if (left == 0 && done)
				break;
			done = left == 0;
			continue;
		}
		if (errno == E2BIG) {
			vf_buf_grow(o, o->cap);
			continue;
		}
		/* A character cut by the window, not by the end of input */
		if (errno == EINVAL && left > il && il < win)
			continue;
		vf_buf_grow(o, 3);
		memcpy(o->p + o->len, fffd, 3);
		o->len += 3;
		if (errno == EINVAL && left == il)
			break;		/* cut short at the end */
		skip = badlen(kind, (const unsigned char *)ip, left);
		ip += skip;
		left -= skip;
		/* Stateful decoders are lost after an error: start over. */
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	o->p[o->len] = '\0';
}

/* Append s converted with iconv; -1 if iconv does not know the charset. */
static int
conv(struct vf_buf *o, const unsigned char *s, size_t n, const struct cs *cs)
{
	iconv_t cd;

	if ((cd = open_cs(cs)) == (iconv_t)-1)
		return -1;
	conv_cd(o, s, n, cd, cs->kind);
	return 0;
}

/*
 * ISO-2022-JP and EUC-JP are decoded here. JIS X 0208, with the NEC row 13
 * and the NEC-selected IBM rows 89-92 that Windows sends in both, and
 * JIS X 0201 kana, are rewritten as CP932 bytes and converted with the
 * Windows table (what WHATWG and mailers on Windows do); only JIS X 0212
 * needs EUC-JP-MS. The text is cut into runs for one converter or the
 * other. Bytes that fit neither are written as 0xff, which both converters
 * reject, so each becomes one U+FFFD.
 */
struct jdec {
	struct vf_buf	*o;
	iconv_t		 sj, eu;
	unsigned char	*t;		/* the current run */
	size_t		 tl;
	int		 euc;		/* the run is for EUC-JP-MS */
};

static void
jflush(struct jdec *j)
{
	if (j->tl > 0)
		conv_cd(j->o, j->t, j->tl, j->euc ? j->eu : j->sj,
		    j->euc ? K_EUCJP : K_CP932);
	j->tl = 0;
}

/* Append a character in CP932 (b2 < 0: a single byte). */
static void
jsj(struct jdec *j, unsigned char b1, int b2)
{
	if (j->euc) {
		jflush(j);
		j->euc = 0;
	}
	j->t[j->tl++] = b1;
	if (b2 >= 0)
		j->t[j->tl++] = (unsigned char)b2;
}

/* A JIS X 0208 code (row and cell bytes 0x21-0x7e) as CP932. */
static void
jis0208(struct jdec *j, unsigned char c1, unsigned char c2)
{
	unsigned char s1, s2;

	s1 = (unsigned char)(((c1 + 1) >> 1) + (c1 <= 0x5e ? 0x70 : 0xb0));
	if (c1 & 1)
		s2 = (unsigned char)(c2 + (c2 >= 0x60 ? 0x20 : 0x1f));
	else
		s2 = (unsigned char)(c2 + 0x7e);
	jsj(j, s1, s2);
}

static void
jis0212(struct jdec *j, unsigned char c1, unsigned char c2)
{
	if (!j->euc) {
		jflush(j);
		j->euc = 1;
	}
	j->t[j->tl++] = 0x8f;
	j->t[j->tl++] = (unsigned char)(c1 | 0x80);
	j->t[j->tl++] = (unsigned char)(c2 | 0x80);
}

static void
jbad(struct jdec *j)
{
	j->t[j->tl++] = 0xff;
}

static void
jis_iso2022(struct jdec *j, const unsigned char *s, size_t n)
{
	enum { ASCII, KANA, X0208, X0212, OTHER } mode = ASCII;
	const unsigned char *e;
	unsigned char c, c2;
	size_t i, left;
	int so = 0;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == 0x1b) {
			e = s + i + 1;
			left = n - i - 1;
			if (left >= 2 && e[0] == '(' &&
			    (e[1] == 'B' || e[1] == 'J' || e[1] == 'H')) {
				mode = ASCII;
				i += 2;
			} else if (left >= 2 && e[0] == '(' && e[1] == 'I') {
				mode = KANA;
				i += 2;
			} else if (left >= 2 && e[0] == '$' &&
			    (e[1] == 'B' || e[1] == '@')) {
				mode = X0208;
				i += 2;
			} else if (left >= 2 && e[0] == '&' && e[1] == '@') {
				i += 2;		/* JIS X 0208-1990 announcer */
			} else if (left >= 3 && e[0] == '$' && e[1] == '(') {
				if (e[2] == 'B' || e[2] == '@' || e[2] == 'O' ||
				    e[2] == 'Q')
					mode = X0208;
				else if (e[2] == 'D')
					mode = X0212;
				else
					mode = OTHER;
				i += 3;
			} else if (left >= 2 && e[0] == '$' && e[1] == 'A') {
				mode = OTHER;
				i += 2;
			} else
				jbad(j);
			continue;
		}
		if (c == '\n' || c == '\r') {
			/*
			 * A line end returns to ASCII: one unterminated kanji
			 * run spoils a line, not the rest of the text.
			 */
			mode = ASCII;
			so = 0;
			jsj(j, c, -1);
		} else if (c == 0x0e) {
			so = 1;
		} else if (c == 0x0f) {
			so = 0;
		} else if (c >= 0x80) {
			/* 8-bit kana (JIS8) where they can be. */
			if (c >= 0xa1 && c <= 0xdf)
				jsj(j, c, -1);
			else
				jbad(j);
		} else if (c < 0x21 || c == 0x7f) {
			jsj(j, c, -1);	/* controls and space in any mode */
		} else if (so || mode == KANA) {
			if (c <= 0x5f)
				jsj(j, (unsigned char)(c | 0x80), -1);
			else
				jbad(j);
		} else if (mode == ASCII) {
			jsj(j, c, -1);
		} else if (i + 1 < n && (c2 = s[i + 1]) >= 0x21 && c2 <= 0x7e) {
			if (mode == X0208)
				jis0208(j, c, c2);
			else if (mode == X0212)
				jis0212(j, c, c2);
			else
				jbad(j);
			i++;
		} else
			jbad(j);
	}
}

static void
jis_euc(struct jdec *j, const unsigned char *s, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c < 0x80)
			jsj(j, c, -1);
		else if (c == 0x8e && i + 1 < n && s[i + 1] >= 0xa1 &&
		    s[i + 1] <= 0xdf)
			jsj(j, s[++i], -1);
		else if (c == 0x8f && i + 2 < n && euc_byte(s[i + 1]) &&
		    euc_byte(s[i + 2])) {
			jis0212(j, s[i + 1] & 0x7f, s[i + 2] & 0x7f);
			i += 2;
		} else if (euc_byte(c) && i + 1 < n && euc_byte(s[i + 1])) {
			jis0208(j, c & 0x7f, s[i + 1] & 0x7f);
			i++;
		} else
			jbad(j);
	}
}

/* Append s decoded; -1 if iconv lacks CP932 or EUC-JP-MS. */
static int
japanese_decode(struct vf_buf *o, const unsigned char *s, size_t n, int iso)
{
	struct jdec j;

	memset(&j, 0, sizeof(j));
	j.o = o;
	if ((j.sj = open_cs(&charsets[CS_CP932])) == (iconv_t)-1 ||
	    (j.eu = open_cs(&charsets[CS_EUCJP])) == (iconv_t)-1)
		return -1;
	/* A run never holds more than 3 bytes per 2 of input. */
	j.t = vf_malloc(2 * n + 4);
	if (iso)
		jis_iso2022(&j, s, n);
	else
		jis_euc(&j, s, n);
	jflush(&j);
	vf_buf_add(o, "", 0);
	free(j.t);
	return 0;
}

char *
vf_to_utf8(const char *str, size_t n, const char *label, size_t *outlen,
    const char **used)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	const struct cs *cs;
	struct vf_buf o = { NULL, 0, 0 }, c = { NULL, 0, 0 };

	if (str == NULL)
		n = 0;
	cs = choose(s, n, label);
	switch (cs->kind) {
	case K_ASCII:
	case K_UTF8:
		utf8_clean(&o, s, n);
		break;
	case K_JIS:
	case K_EUCJP:
		if (japanese_decode(&o, s, n, cs->kind == K_JIS) == -1)
			cs = NULL;
		break;
	default:
		if (conv(&o, s, n, cs) == -1)
			cs = NULL;
		break;
	}
	if (cs == NULL) {
		/* iconv lacks the charset: no conversion is lossless now. */
		cs = &charsets[CS_1252];
		vf_buf_free(&o);
		if (conv(&o, s, n, cs) == -1) {
			cs = &charsets[CS_UTF8];
			utf8_clean(&o, s, n);
		}
	}
	/* iconv passes NUL through; the contract says it never appears. */
	if (o.len > 0 && memchr(o.p, '\0', o.len) != NULL) {
		utf8_clean(&c, (unsigned char *)o.p, o.len);
		vf_buf_free(&o);
		o = c;
	}
	if (used != NULL)
		*used = cs->name;
	return vf_buf_take(&o, outlen);
}
