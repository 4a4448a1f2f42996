/*
 * The identity of a mail (vf_mail_digest): the same for what each mail
 * system and mailbox makes of one mail, different for anything its sender
 * wrote differently.
 */
#include <string.h>
#include <strings.h>

#include "vf.h"
#include "unit.h"

#define MAIL	"From: a@example.jp\nSubject: report\n" \
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n"

static void
digest(const char *m, char *d)
{
	vf_mail_digest(m, strlen(m), d);
	ck_assert_uint_eq(strlen(d), 64);
	ck_assert_uint_eq(strspn(d, "0123456789abcdef"), 64);
}

START_TEST(same_mail)
{
	static const char *const same[] = {
		/* procmail -f, exim's pipe transport, Postfix local(8) */
		"From sender@example.jp Thu Nov 26 10:00:00 2026\n" MAIL,
		"From sender@example.jp Thu Nov 26 11:00:00 2026\n"
		"Return-path: <s@example.jp>\nEnvelope-to: o@example.jp\n"
		"Delivery-date: Thu, 26 Nov 2026 11:00:00 +0000\n"
		"Received: from x\n\tby y; Thu, 26 Nov 2026 10:00:00 +0900\n"
		MAIL,
		"X-Original-To: v@example.jp\nDelivered-To: o@example.jp\n"
		"Return-Path: <s@example.jp>\n" MAIL,
		/* a trace field among the sender's, folded, any case */
		"From: a@example.jp\nRECEIVED: by z\n  (folded)\n"
		"Subject: report\nMessage-ID: <1@example.jp>\n\n"
		"line\nFrom here\n\n  x\n",
		/* an mbox: quoting, Status, the empty line at the end */
		"From: a@example.jp\nSubject: report\n"
		"Message-ID: <1@example.jp>\nStatus: RO\nX-Status: A\n"
		"Content-Length: 20\nLines: 4\n\nline\n>From here\n\n  x\n\n\n",
		/* line ends */
		"From: a@example.jp\r\nSubject: report\r\n"
		"Message-ID: <1@example.jp>\r\n\r\nline\r\nFrom here\r\n\r\n"
		"  x\r\n",
		"From: a@example.jp\rSubject: report\r"
		"Message-ID: <1@example.jp>\r\rline\rFrom here\r\r  x",
		/* resent, verdicts of the receiving system and filters */
		"Resent-From: c@example.jp\nResent-Date: x\n"
		"Authentication-Results: mx; spf=pass\nReceived-SPF: pass\n"
		"ARC-Seal: i=1\nX-Spam-Status: No\nX-Virus-Scanned: clamav\n"
		MAIL,
		NULL
	};
	char want[65], got[65];
	size_t i;

	digest(MAIL, want);
	for (i = 0; same[i] != NULL; i++) {
		digest(same[i], got);
		ck_assert_msg(strcmp(got, want) == 0, "variant %zu differs", i);
	}
}
END_TEST

START_TEST(other_mail)
{
	static const char *const other[] = {
		"From: b@example.jp\nSubject: report\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n",
		"From: a@example.jp\nSubject: report 2\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n",
		"From: a@example.jp\nSubject: report\n"
		"Message-ID: <2@example.jp>\n\nline\nFrom here\n\n  x\n",
		/* the order the sender wrote */
		"Subject: report\nFrom: a@example.jp\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n",
		/* a header of the sender's that only starts like a trace one */
		"From: a@example.jp\nSubject: report\nReceived-By: me\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n",
		/* the body: a space, a line, an empty line inside */
		MAIL " ",
		MAIL "y\n",
		"From: a@example.jp\nSubject: report\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n  x\n",
		"From: a@example.jp\nSubject: report\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom  here\n\n  x\n",
		/* folding is what the sender wrote */
		"From: a@example.jp\nSubject:\n report\n"
		"Message-ID: <1@example.jp>\n\nline\nFrom here\n\n  x\n",
		NULL
	};
	char want[65], got[65];
	size_t i;

	digest(MAIL, want);
	for (i = 0; other[i] != NULL; i++) {
		digest(other[i], got);
		ck_assert_msg(strcmp(got, want) != 0, "variant %zu is the same",
		    i);
	}
	/* Nothing at all, and a mail of headers only, are mails too. */
	digest("", got);
	digest("Subject: x\n", got);
	digest("From x\n", got);
}
END_TEST

/*
 * vf_headers_pick (vf-ls -l) keeps of each message exactly the fields
 * vf_headers_parse gives for the names asked, in order, values alike,
 * with the same body and flags: folded fields, an mbox line, a field
 * over the length limit, the count limit reached before a field asked.
 */
static void
pick_same(const char *msg, const struct vf_limits *lim)
{
	static const char *const want[] = { "Vf-Id", "subject", NULL };
	struct vf_kv *a = NULL, *b = NULL;
	const char *ba, *bb;
	size_t na = 0, nb = 0, i, k = 0;
	int fa = 0, fb = 0, ra, rb;

	ra = vf_headers_parse(msg, strlen(msg), lim, &a, &na, &ba, &fa);
	rb = vf_headers_pick(msg, strlen(msg), lim, want, &b, &nb, &bb, &fb);
	ck_assert_int_eq(ra, rb);
	ck_assert_int_eq(fa, fb);
	ck_assert_ptr_eq(ba, bb);
	for (i = 0; i < na; i++) {
		if (strcasecmp(a[i].name, "Vf-Id") != 0 &&
		    strcasecmp(a[i].name, "Subject") != 0)
			continue;
		ck_assert_uint_lt(k, nb);
		ck_assert_str_eq(a[i].name, b[k].name);
		ck_assert_str_eq(a[i].value, b[k].value);
		k++;
	}
	ck_assert_uint_eq(k, nb);
	vf_headers_free(a, na);
	vf_headers_free(b, nb);
}

START_TEST(pick_as_parse)
{
	struct vf_limits lim;
	char big[600];

	vf_limits_default(&lim);
	pick_same("Date: x\nSubject: one\n two\nVf-Id: 2026-00001\n\nbody", &lim);
	pick_same("From x@y Thu\nvf-id:  2026-00002 \nX: y\n\n", &lim);
	pick_same(" bad start\nSubject: s\n\n", &lim);
	pick_same("Subject: a\nnot a field\nVf-Id: 2026-00003\n", &lim);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lim.header = 100;
	pick_same((snprintf(big, sizeof(big), "X-Long: %0500d\nSubject: s\n"
	    "Vf-Id: 2026-00004\n\n", 1), big), &lim);
	lim.headers = 2;
	pick_same("A: 1\nB: 2\nSubject: past the limit\nVf-Id: 2026-00005\n\n",
	    &lim);
	pick_same("Subject: 1\nVf-Id: 2026-00006\nC: 3\n\n", &lim);
}
END_TEST

/*
 * The names asked are matched by length and ASCII case alone: past the
 * first sixteen names asked, a name of 64 bytes or more, one of the
 * same length and first letter that is not asked, white space before
 * the colon (kept) and inside a name (not a field), a folded CRLF value
 * and a NUL in a value.
 */
#define LONGNAME "X-" \
    "Looooooooooooooooooooooooooooooooooooooooooooooooooooooooooooong"

START_TEST(pick_names)
{
	static const char longname[] = LONGNAME;
	static const char *const want[] = { "A1", "A2", "A3", "A4", "A5",
	    "A6", "A7", "A8", "A9", "A10", "A11", "A12", "A13", "A14", "A15",
	    "subject", "Vf-Kind", longname, NULL };
	static const char msg[] = "Subject : a\r\n b\r\nSUBJECT: c\n"
	    "Subjekt: x\nSub ject: d\nVf-Kind: e\0z\n" LONGNAME ": f\n\n"
	    "body";
	struct vf_kv *kv;
	const char *body;
	size_t n;
	int fl;

	ck_assert_uint_ge(strlen(longname), 64);
	ck_assert_int_eq(vf_headers_pick(msg, sizeof(msg) - 1, NULL, want,
	    &kv, &n, &body, &fl), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(kv[0].name, "Subject");
	ck_assert_str_eq(kv[0].value, "a b");
	ck_assert_str_eq(kv[1].name, "SUBJECT");
	ck_assert_str_eq(kv[1].value, "c");
	ck_assert_str_eq(kv[2].name, "Vf-Kind");
	ck_assert_str_eq(kv[2].value, "e z");
	ck_assert_str_eq(kv[3].name, longname);
	ck_assert_str_eq(kv[3].value, "f");
	ck_assert_int_ne(fl & VF_PART_BADHDR, 0);
	ck_assert_str_eq(body, "body");
	vf_headers_free(kv, n);
}
END_TEST

/*
 * The length limit is on the field unfolded (name, colon, value without
 * its line ends): 100 bytes fit, 101 do not, a field asked for or not.
 */
START_TEST(pick_limit)
{
	static const char *const want[] = { "Subject", NULL };
	struct vf_limits lim;
	struct vf_kv *kv;
	const char *body;
	char msg[512];
	size_t n;
	int fl, i;

	vf_limits_default(&lim);
	lim.header = 100;
	for (i = 0; i < 2; i++) {
		/* Name, colon and 92 bytes, folded twice: 100 unfolded. */
		(void)snprintf(msg, sizeof(msg), "%s:%030d\n %030d\n %030d\n"
		    "\nbody", i ? "Subjec2" : "Subject", 0, 0, 0);
		ck_assert_int_eq(vf_headers_pick(msg, strlen(msg), &lim, want,
		    &kv, &n, &body, &fl), 0);
		ck_assert_int_eq(fl & VF_PART_TRUNCATED, 0);
		vf_headers_free(kv, n);
		/* One byte more. */
		(void)snprintf(msg, sizeof(msg), "%s:%030d\n %030d\n %031d\n"
		    "\nbody", i ? "Subjec2" : "Subject", 0, 0, 0);
		ck_assert_int_eq(vf_headers_pick(msg, strlen(msg), &lim, want,
		    &kv, &n, &body, &fl), EX_DATAERR);
		ck_assert_int_ne(fl & VF_PART_TRUNCATED, 0);
		ck_assert_uint_eq(n, 0);
		vf_headers_free(kv, n);
	}
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_test(tc, same_mail);
	tcase_add_test(tc, other_mail);
	tcase_add_test(tc, pick_as_parse);
	tcase_add_test(tc, pick_names);
	tcase_add_test(tc, pick_limit);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(mail_suite)
