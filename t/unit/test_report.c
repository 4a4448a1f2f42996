/*
 * What report extraction does before gpg sees anything: armor damaged by
 * mail transport mended (only white space and soft breaks change, never a
 * character of the radix-64 or of a signed text), the text of HTML for
 * finding armored blocks in it, and the mailbox a From or a user ID names.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

#define NBSP	"\xc2\xa0"
#define CLEAN	"-----BEGIN PGP MESSAGE-----\n" \
		"\n" \
		"hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\n" \
		"ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\n" \
		"=AbCd\n" \
		"-----END PGP MESSAGE-----\n"

static char *
repair(const char *in)
{
	struct vf_buf b = { 0 };

	vf_armor_repair(in, strlen(in), &b);
	return vf_buf_take(&b, NULL);
}

static void
repairs_to(const char *in, const char *want)
{
	char *got = repair(in);

	ck_assert_msg(strcmp(got, want) == 0, "in:\n%s\ngot:\n%s\nwant:\n%s",
	    in, got, want);
	free(got);
}

/* The characters that are not white space, in order, soft breaks out. */
static char *
ink(const char *s)
{
	char *t = vf_malloc(strlen(s) + 1), *p = t;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
			s++;
			continue;
		}
		*p++ = *s;
	}
	*p = '\0';
	return t;
}

START_TEST(armor_clean)
{
	/* Armor as gpg writes it goes through untouched. */
	repairs_to(CLEAN, CLEAN);
	repairs_to("-----BEGIN PGP MESSAGE-----\nVersion: GnuPG v2\n"
	    "Comment: x\n\nhQ==\n=AbCd\n-----END PGP MESSAGE-----\n",
	    "-----BEGIN PGP MESSAGE-----\nVersion: GnuPG v2\n"
	    "Comment: x\n\nhQ==\n=AbCd\n-----END PGP MESSAGE-----\n");
}
END_TEST

START_TEST(armor_damage)
{
	/* Trailing spaces and tabs, CR, on every line. */
	repairs_to("-----BEGIN PGP MESSAGE----- \n\t\n"
	    "hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk  \n"
	    "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\t\r\n"
	    "=AbCd \n-----END PGP MESSAGE-----  \n", CLEAN);
	/* Non-breaking spaces: indentation and at ends. */
	repairs_to(NBSP "-----BEGIN PGP MESSAGE-----" NBSP "\n" NBSP "\n"
	    NBSP NBSP "hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\n"
	    NBSP "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==" NBSP "\n"
	    " =AbCd\n" NBSP "-----END PGP MESSAGE-----\n", CLEAN);
	/* Latin-1 NBSP bytes too. */
	repairs_to("\xa0-----BEGIN PGP MESSAGE-----\n\n"
	    "\xa0hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\n"
	    "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\xa0\n"
	    "=AbCd\n-----END PGP MESSAGE-----\n", CLEAN);
	/* The blank line after the headers lost, and blank lines inserted. */
	repairs_to("-----BEGIN PGP MESSAGE-----\n"
	    "hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\n\n\n"
	    "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\n \n"
	    "=AbCd\n\n-----END PGP MESSAGE-----\n", CLEAN);
	/* A header, its blank line lost. */
	repairs_to("-----BEGIN PGP MESSAGE-----\nVersion: GnuPG v2\nhQ==\n"
	    "-----END PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\n"
	    "Version: GnuPG v2\n\nhQ==\n-----END PGP MESSAGE-----\n");
	/* A non-breaking space inside a header is a space. */
	repairs_to("-----BEGIN PGP MESSAGE-----\nVersion:" NBSP "GnuPG\n\nhQ==\n"
	    "-----END PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\n"
	    "Version: GnuPG\n\nhQ==\n-----END PGP MESSAGE-----\n");
	/* No final line end. */
	repairs_to("-----BEGIN PGP MESSAGE-----\n\nhQ==\n"
	    "-----END PGP MESSAGE-----", "-----BEGIN PGP MESSAGE-----\n\n"
	    "hQ==\n-----END PGP MESSAGE-----\n");
}
END_TEST

START_TEST(armor_softbreaks)
{
	/*
	 * Quoted-printable soft breaks: lines of 75 and a '=', as an encoder
	 * breaks a line longer than 76 (here, the armor's two lines as one).
	 */
	repairs_to("-----BEGIN PGP MESSAGE-----\n\n"
	    "hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2x=\n"
	    "tbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\n=AbCd\n"
	    "-----END PGP MESSAGE-----\n",
	    "-----BEGIN PGP MESSAGE-----\n\n"
	    "hF4DAAAAAAAAAAASAQdAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2x"
	    "tbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\n=AbCd\n"
	    "-----END PGP MESSAGE-----\n");
	/* Padding before the checksum or the end is no soft break. */
	repairs_to("-----BEGIN PGP MESSAGE-----\n\nhQ=\n=AbCd\n"
	    "-----END PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\n\n"
	    "hQ=\n=AbCd\n-----END PGP MESSAGE-----\n");
	repairs_to("-----BEGIN PGP MESSAGE-----\n\nhQ=\n"
	    "-----END PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\n\n"
	    "hQ=\n-----END PGP MESSAGE-----\n");
	/* "==" then more is no one soft break: left for gpg to refuse. */
	repairs_to("-----BEGIN PGP MESSAGE-----\n\nhQ==\nhQ==\n"
	    "-----END PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\n\n"
	    "hQ==\nhQ==\n-----END PGP MESSAGE-----\n");
}
END_TEST

START_TEST(armor_only_whitespace)
{
	/*
	 * Whatever the damage, what is not white space stays, in order: a
	 * changed character of the radix-64 is not "repaired" into a valid
	 * one (gpg then refuses it, as it must).
	 */
	static const char *in[] = {
	    "-----BEGIN PGP MESSAGE-----\n\nhF4D*AAA\n-----END PGP MESSAGE-----\n",
	    "-----BEGIN PGP MESSAGE-----\n\nhF4D AA AA\n=xy z\n"
	    "-----END PGP MESSAGE-----\n",
	    "-----BEGIN PGP MESSAGE-----\n\n\xe3\x81\x82hQ==\n"
	    "-----END PGP MESSAGE-----\n",
	    NBSP "-----BEGIN PGP MESSAGE-----\n" NBSP "\n hQ==\t\n"
	    "-----END PGP MESSAGE-----\n",
	};
	size_t i;
	char *got, *a, *b;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		got = repair(in[i]);
		a = ink(in[i]);
		b = ink(got);
		ck_assert_msg(strcmp(a, b) == 0, "%zu: %s / %s", i, a, b);
		free(a);
		free(b);
		free(got);
	}
}
END_TEST

START_TEST(armor_clearsigned)
{
	/*
	 * Clearsigned: the text is the signer's and stays as it came, odd
	 * spaces and all; its Hash header and the signature's armor mend.
	 */
	repairs_to("-----BEGIN PGP SIGNED MESSAGE----- \n"
	    "Hash:" NBSP "SHA512 \n\n"
	    "  indented " NBSP "text  \n- -----dash escaped\n\n"
	    "-----BEGIN PGP SIGNATURE----- \n\n"
	    NBSP "iHUEARYKAB0WIQ=\n=AbCd \n-----END PGP SIGNATURE-----\n",
	    "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
	    "  indented " NBSP "text  \n- -----dash escaped\n\n"
	    "-----BEGIN PGP SIGNATURE-----\n\niHUEARYKAB0WIQ=\n=AbCd\n"
	    "-----END PGP SIGNATURE-----\n");
}
END_TEST

static void
html_is(const char *in, const char *want)
{
	struct vf_buf b = { 0 };

	vf_html_text(in, strlen(in), &b);
	ck_assert_msg(strcmp(b.p, want) == 0, "in: %s\ngot: '%s'\nwant: '%s'",
	    in, b.p, want);
	vf_buf_free(&b);
}

START_TEST(html)
{
	html_is("<pre>-----BEGIN PGP MESSAGE-----\n\nhQ==\n</pre>",
	    "\n-----BEGIN PGP MESSAGE-----\n\nhQ==\n\n");
	html_is("<div>a</div><div><br></div><DIV>b<BR/>c<br />d</DIV>",
	    "\na\n\n\n\n\nb\nc\nd\n");
	html_is("&lt;x&gt; &amp; &quot;&#39;&#x41;&#65;&nbsp;&#160;|",
	    "<x> & \"'AA  |");
	/* Unknown or non-ASCII references stay as written. */
	html_is("&eacute; &#12354; &bogus &;", "&eacute; &#12354; &bogus &;");
	/* Scripts, styles and comments hold no text; other tags vanish. */
	html_is("a<script>x<br>y</script>b<style>p{}</style>c<!-- <br> -->d"
	    "<span class=\"q\">e</span>", "abcde");
	html_is("a\r\nb", "a\nb");
	/* An unclosed tag ends the text. */
	html_is("a<b", "a");
	html_is("", "");
}
END_TEST

START_TEST(mailbox)
{
	static const struct { const char *in, *out; } t[] = {
		{ "Taro <taro@example.jp>", "taro@example.jp" },
		{ "taro@example.jp", "taro@example.jp" },
		{ "  taro@example.jp\t", "taro@example.jp" },
		{ "\"A <b@c.example>\" <real@example.jp>", "real@example.jp" },
		{ "Taro <taro@例え.jp>", "taro@xn--r8jz45g.jp" },
		{ "Taro <Taro@Example.JP>", "Taro@Example.JP" },
		{ "taro@example.jp (Taro)", NULL },
		{ "Taro <taro@example.jp", NULL },
		{ "Taro", NULL },
		{ "", NULL },
		{ "a@example.jp, b@example.jp", NULL },
	};
	size_t i;
	char *m;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		m = vf_addr_mailbox(t[i].in);
		if (t[i].out == NULL)
			ck_assert_msg(m == NULL, "%s: %s", t[i].in, m);
		else
			ck_assert_msg(m != NULL && strcmp(m, t[i].out) == 0,
			    "%s: %s", t[i].in, m != NULL ? m : "NULL");
		free(m);
	}
	ck_assert_ptr_null(vf_addr_mailbox(NULL));
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, armor_clean);
	tcase_add_test(tc, armor_damage);
	tcase_add_test(tc, armor_softbreaks);
	tcase_add_test(tc, armor_only_whitespace);
	tcase_add_test(tc, armor_clearsigned);
	tcase_add_test(tc, html);
	tcase_add_test(tc, mailbox);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(report_suite)
