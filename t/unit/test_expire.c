/*
 * What time has done to a case, read from its records (expire.c): the
 * Vf-Notice headers, in any ASCII case and no look-alike, the follow-ups
 * and the history, as vf_case_clock and vf_expire_flags see them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"
#include "unit.h"

static time_t
at(const char *s)
{
	time_t t;

	ck_assert_int_eq(vf_time_parse(s, &t), 0);
	return t;
}

static void
make_case(struct vf_case *c)
{
	struct vf_kv h[3];

	/* The history's line is written at VF_NOW. */
	setenv("VF_NOW", "2026-01-15T00:00:00Z", 1);
	vf_case_init(c, "2026-00001", "a report", 0);
	vf_case_set(c, "Vf-Kind", "web");
	vf_case_set(c, "Vf-Received", "2026-01-10T00:00:00Z");
	vf_case_history(c, "vf-parse", "received");
	vf_case_add(c, "Vf-Notice", "first operator <a@vf> "
	    "2026-02-01T00:00:00Z");
	vf_case_add(c, "VF-NOTICE", "reminder operator <b@vf> "
	    "2026-03-01T00:00:00Z");
	vf_case_add(c, "vf-notice", "question reporter <c@vf> "
	    "2026-04-01T00:00:00Z");
	vf_case_add(c, "vF-nOtIcE", "closed reporter <d@vf> "
	    "2026-04-02T00:00:00Z");
	/* Not Vf-Notice: none of these counts. */
	vf_case_add(c, "Vf-Noticex", "reminder operator <e@vf> "
	    "2026-09-01T00:00:00Z");
	vf_case_add(c, "Vf-Notic", "reminder operator <f@vf> "
	    "2026-09-02T00:00:00Z");
	vf_case_add(c, "Vf-Motice", "reminder operator <g@vf> "
	    "2026-09-03T00:00:00Z");
	vf_case_add(c, "Vf-Nstice", "reminder operator <h@vf> "
	    "2026-09-04T00:00:00Z");
	vf_case_add(c, "X-Vf-Notice", "reminder operator <i@vf> "
	    "2026-09-05T00:00:00Z");
	vf_case_add(c, "Xf-Notice", "reminder operator <j@vf> "
	    "2026-09-06T00:00:00Z");
	vf_case_add(c, "Vf-notice-", "reminder operator <k@vf> "
	    "2026-09-07T00:00:00Z");
	h[0].name = "Vf-Received";
	h[0].value = "2026-03-10T00:00:00Z";
	h[1].name = "Vf-Party";
	h[1].value = "operator";
	vf_case_add_part(c, VF_PART_FOLLOWUP, "text/plain", h, 2, "ok\n", 3);
}

START_TEST(clock_notices)
{
	struct vf_case c;
	struct vf_clock k;

	make_case(&c);
	vf_case_clock(&c, &k);
	ck_assert_int_eq(k.received, at("2026-01-10T00:00:00Z"));
	ck_assert_int_eq(k.last, at("2026-04-02T00:00:00Z"));
	ck_assert_int_eq(k.op_out, at("2026-03-01T00:00:00Z"));
	ck_assert_int_eq(k.op_in, at("2026-03-10T00:00:00Z"));
	ck_assert_int_eq(k.reminders, 1);
	ck_assert_int_eq(k.told_closed, 1);
	vf_case_free(&c);
}
END_TEST

START_TEST(flags_notices)
{
	struct vf_case c;
	struct vf_expire_cfg ec;
	struct vf_buf b = { 0 };

	make_case(&c);
	memset(&ec, 0, sizeof(ec));
	ec.now = at("2026-06-01T00:00:00Z");
	ec.reply_days = 14;
	ec.idle_days = 30;
	ec.operator_wait_days = 60;
	ec.notice_wait_days = 7;
	/* The question to the reporter has no answer; nothing else asks. */
	ck_assert_uint_eq(vf_expire_flags(&c, "waiting", &ec, &b), 2);
	ck_assert_str_eq(b.p, "flag-idle\tnothing happened since "
	    "2026-04-02T00:00:00Z (60 days; idle-days 30)\n"
	    "flag-deadline\tno answer from the reporter to the question "
	    "notice of 2026-04-01T00:00:00Z (reply-deadline-days 14)\n");
	vf_buf_free(&b);
	vf_case_free(&c);
}
END_TEST

static Suite *
expire_suite(void)
{
	Suite *s = suite_create("expire");
	TCase *tc = tcase_create("expire");

	tcase_add_test(tc, clock_notices);
	tcase_add_test(tc, flags_notices);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(expire_suite)
