/*
 * The identity of a mail (vf_mail_digest): the same for what each mail
 * system and mailbox makes of one mail, different for anything its sender
 * wrote differently.
 */
#include <string.h>

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

static Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_test(tc, same_mail);
	tcase_add_test(tc, other_mail);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(mail_suite)
