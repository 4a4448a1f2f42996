/*
 * Public records, CSAF file names (CSAF 2.0 5.1), the credit rule, the
 * release date, and the decisions of expire.c on a case's clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

static int
read_one(const char *text, struct vf_record *r)
{
	char err[256];
	unsigned long line = 0;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int got;

	got = vf_record_read(fp, r, &line, err, sizeof(err));
	fclose(fp);
	return got;
}

START_TEST(records)
{
	struct vf_record r = { 0 };
	char err[256];
	unsigned long line = 0;
	const char *two = "\n\na: 1\nb: x\n\ty\n\tz\nc:\n\nd: 2\n";
	FILE *fp = fmemopen((void *)two, strlen(two), "r");

	ck_assert_int_eq(vf_record_read(fp, &r, &line, err, sizeof(err)), 1);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(vf_record_get(&r, "b"), "x\ny\nz");
	ck_assert_str_eq(vf_record_get(&r, "c"), "");
	ck_assert_int_eq(vf_record_read(fp, &r, &line, err, sizeof(err)), 1);
	ck_assert_str_eq(vf_record_get(&r, "d"), "2");
	ck_assert_int_eq(vf_record_read(fp, &r, &line, err, sizeof(err)), 0);
	fclose(fp);
	ck_assert_int_eq(read_one("\tcontinued\n", &r), -1);
	ck_assert_int_eq(read_one("no colon here\n", &r), -1);
	ck_assert_int_eq(read_one("bad name!: x\n", &r), -1);
	ck_assert_int_eq(read_one("a: \xff\n", &r), -1);
	vf_record_free(&r);
}
END_TEST

static void
fname_is(const char *id, const char *want)
{
	char buf[256];

	vf_csaf_filename(id, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(filenames)
{
	/* The standard's own examples. */
	fname_is("cisco-SA-20190513-secureboot",
	    "cisco-sa-20190513-secureboot.json");
	fname_is("Example Company - 2019-YH3234",
	    "example_company_-_2019-yh3234.json");
	fname_is("RHBA-2019:0024", "rhba-2019_0024.json");
	fname_is("2022_#01-A", "2022_01-a.json");
	fname_is("JVN#00000001", "jvn_00000001.json");
	fname_is("../../etc/passwd", "_etc_passwd.json");
}
END_TEST

START_TEST(credit_and_date)
{
	struct vf_record r = { 0 };
	char d[64];

	ck_assert_int_eq(read_one("case.kind: software\ncase.state: published\n"
	    "reporter.name: A\nconsent.publish-name: yes\n"
	    "status.published: 2027-01-05\n"
	    "status.pubdate-utc: 2027-01-05T01:00:00Z\n", &r), 1);
	ck_assert_str_eq(vf_adv_credit(&r), "A");
	ck_assert_int_eq(vf_adv_date(&r, d, sizeof(d)), 0);
	ck_assert_str_eq(d, "2027-01-05T01:00:00.000Z");
	/* A name without the consent beside it is no credit. */
	ck_assert_int_eq(read_one("case.kind: software\ncase.state: published\n"
	    "reporter.name: A\nstatus.published: 2027-01-05\n"
	    "status.pubdate-utc: 2027-01-04T20:00:00Z\n", &r), 1);
	ck_assert_ptr_null(vf_adv_credit(&r));
	/* The agreed time on another day: the publication day counts. */
	ck_assert_int_eq(vf_adv_date(&r, d, sizeof(d)), 0);
	ck_assert_str_eq(d, "2027-01-05T00:00:00.000Z");
	/* Web cases publish no advisory, and credit nobody. */
	ck_assert_int_eq(read_one("case.kind: web\ncase.state: fixed\n"
	    "reporter.name: A\nconsent.publish-name: yes\n", &r), 1);
	ck_assert(!vf_adv_published(&r));
	ck_assert_ptr_null(vf_adv_credit(&r));
	vf_record_free(&r);
}
END_TEST

static void
web_case(struct vf_case *c, const char *notices)
{
	char line[256];
	const char *p, *nl;

	vf_case_init(c, "2027-00002", "", 0);
	vf_case_set(c, "Vf-Kind", "web");
	for (p = notices; *p != '\0'; p = nl + 1) {
		nl = strchr(p, ';');
		(void)snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		c->hdr = vf_reallocarray(c->hdr, c->nhdr + 1,
		    sizeof(*c->hdr));
		c->hdr[c->nhdr].name = vf_strdup("Vf-Notice");
		c->hdr[c->nhdr].value = vf_strdup(line);
		c->nhdr++;
	}
}

START_TEST(web_deadlines)
{
	struct vf_expire_cfg ec;
	struct vf_case c;
	time_t since;
	int n;

	memset(&ec, 0, sizeof(ec));
	ec.reply_days = 14;
	ec.operator_wait_days = 30;
	web_case(&c, " first-contact operator <a@x> 2027-01-01T00:00:00Z;");
	(void)vf_time_parse("2027-01-14T23:59:59Z", &ec.now);
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_NONE);
	(void)vf_time_parse("2027-01-15T00:00:00Z", &ec.now);
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_REMIND);
	/* Long past the wait, but never reminded: a reminder first. */
	(void)vf_time_parse("2027-06-01T00:00:00Z", &ec.now);
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_REMIND);
	ck_assert_int_eq(vf_expire_web(&c, "routed", &ec, &since, &n),
	    VF_WEB_NONE);
	vf_case_free(&c);
	web_case(&c, " first-contact operator <a@x> 2027-01-01T00:00:00Z;"
	    " reminder operator <b@x> 2027-01-20T00:00:00Z;");
	(void)vf_time_parse("2027-02-02T00:00:00Z", &ec.now);
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_NONE);
	(void)vf_time_parse("2027-02-03T00:00:00Z", &ec.now);
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_CLOSE);
	ck_assert_int_eq(n, 1);
	/* An answer after the notices: nothing is due. */
	vf_case_field_set(&c, "status.answered", "2027-01-25");
	ck_assert_int_eq(vf_expire_web(&c, "contacted", &ec, &since, &n),
	    VF_WEB_NONE);
	vf_case_free(&c);
}
END_TEST

START_TEST(pubdate_flag)
{
	struct vf_expire_cfg ec;
	struct vf_case c;
	struct vf_buf b = { 0 };

	memset(&ec, 0, sizeof(ec));
	ec.reply_days = 14;
	ec.idle_days = 1000;
	vf_case_init(&c, "2027-00003", "", 0);
	vf_case_set(&c, "Vf-Kind", "software");
	vf_case_field_set(&c, "status.pubdate-utc", "2027-03-20T01:00:00Z");
	(void)vf_time_parse("2027-03-20T00:59:59Z", &ec.now);
	ck_assert_uint_eq(vf_expire_flags(&c, "waiting", &ec, &b), 0);
	(void)vf_time_parse("2027-03-20T01:00:00Z", &ec.now);
	ck_assert_uint_eq(vf_expire_flags(&c, "waiting", &ec, &b), 1);
	ck_assert_ptr_nonnull(strstr(b.p, "flag-pubdate\t"));
	ck_assert_uint_eq(vf_expire_flags(&c, "published", &ec, &b), 0);
	vf_case_field_set(&c, "status.pubdate-utc", "2027-03-20 10:00");
	ck_assert_uint_eq(vf_expire_flags(&c, "waiting", &ec, &b), 1);
	vf_buf_free(&b);
	vf_case_free(&c);
}
END_TEST

static Suite *
advisory_suite(void)
{
	Suite *s = suite_create("advisory");
	TCase *tc = tcase_create("advisory");

	tcase_add_test(tc, records);
	tcase_add_test(tc, filenames);
	tcase_add_test(tc, credit_and_date);
	tcase_add_test(tc, web_deadlines);
	tcase_add_test(tc, pubdate_flag);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(advisory_suite)
