/*
 * Staff decisions (decide.c): the publication date against libc's
 * timegm(3) as an independent reckoning, the arguments, proposals, and
 * decisions on cases in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"
#include "unit.h"

static struct vf_fields ft;

static void
load(void)
{
	char err[256];
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s/fields", vf_share());
	ck_assert_msg(vf_fields_load(&ft, path, err, sizeof(err)) == 0, "%s",
	    err);
}

static void
unload(void)
{
	vf_fields_free(&ft);
}

/* Every day of many years, at odd times and zones, as timegm reckons. */
START_TEST(pubdate_vs_timegm)
{
	static const int offs[] = { 0, 540, -300, 345, -570, 840, -720, 60 };
	struct tm tm;
	char s[64], err[256];
	time_t t, want;
	int y, m, d, o, n = 0;

	for (y = 1970; y <= 2100; y += 3)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= 31; d++) {
				memset(&tm, 0, sizeof(tm));
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = d;
				tm.tm_hour = (d * 7) % 24;
				tm.tm_min = (d * 13) % 60;
				tm.tm_sec = (m * 11) % 60;
				want = timegm(&tm);
				o = offs[(y + m + d) % 8];
				(void)snprintf(s, sizeof(s),
				    "%04d-%02d-%02d %02d:%02d:%02d %c%02d:%02d",
				    y, m, d, (d * 7) % 24, (d * 13) % 60,
				    (m * 11) % 60, o < 0 ? '-' : '+',
				    abs(o) / 60, abs(o) % 60);
				/* timegm carries the 31st of short months
				   over: those days must be refused. */
				if (tm.tm_mday != d) {
					ck_assert_msg(vf_pubdate_parse(s, &t,
					    err, sizeof(err)) == -1, "%s", s);
					continue;
				}
				want -= o * 60;
				if (want < 0) {
					ck_assert_int_eq(vf_pubdate_parse(s, &t,
					    err, sizeof(err)), -1);
					continue;
				}
				ck_assert_msg(vf_pubdate_parse(s, &t, err,
				    sizeof(err)) == 0, "%s: %s", s, err);
				ck_assert_msg(t == want, "%s: %lld, want %lld",
				    s, (long long)t, (long long)want);
				n++;
			}
	ck_assert_int_gt(n, 15000);
}
END_TEST

START_TEST(pubdate_forms)
{
	static const char *const same[] = {
		"2027-01-05 10:00 +09:00", "2027-01-05 10:00 +0900",
		"2027-01-05 10:00 +09", "2027-01-05 10:00+09:00",
		"2027-01-05T10:00:00+09:00", "2027-01-05 10:00 JST",
		"2027-01-05 10:00 jst", "2027-01-05 01:00 Z",
		"2027-01-05 01:00:00 UTC", "2027-01-05 01:00 GMT",
		"2027-01-04 20:00 -05:00",
	};
	static const char *const bad[] = {
		"", "2027-01-05", "2027-01-05 10:00", "2027-01-05 10:00 ",
		"2027-01-05 10:00 EST", "2027-01-05 10:00 Asia/Tokyo",
		"2027-01-05 10:00 +9", "2027-01-05 10:00 +09:0",
		"2027-01-05 10:00 +0900 ", "2027-01-05  10:00 Z",
		"2027-1-05 10:00 Z", "27-01-05 10:00 Z", "2027-01-05 10:0 Z",
		"2027-01-05 10:00:6 Z", "2027-00-05 10:00 Z",
		"2027-01-00 10:00 Z", "2100-02-29 10:00 Z",
		"2027-01-05 10:00 +14:01", "2027-01-05 10:00 -15",
		"2027-01-05 10:00 ++09", "１２３４-01-05 10:00 Z",
		"1970-01-01 08:59 +09:00",
	};
	char err[256];
	time_t t;
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		ck_assert_msg(vf_pubdate_parse(same[i], &t, err,
		    sizeof(err)) == 0, "%s: %s", same[i], err);
		ck_assert_msg(t == 1799110800, "%s: %lld", same[i],
		    (long long)t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(vf_pubdate_parse(bad[i], &t, err,
		    sizeof(err)) == -1, "accepted: %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no reason: %s", bad[i]);
	}
	ck_assert_int_eq(vf_pubdate_parse("2000-02-29 00:00 Z", &t, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(vf_pubdate_parse("1970-01-01 09:00 +09:00", &t, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(t, 0);
}
END_TEST

START_TEST(proposal_value)
{
	const char *b = "product.version: 1\nproduct.versions: x\n"
	    "vuln.fix: a\n\tb\n\t\nproduct.version: 2\nother: z";
	char *v;

	v = vf_proposal_value(b, strlen(b), "product.version");
	ck_assert_str_eq(v, "2");
	free(v);
	v = vf_proposal_value(b, strlen(b), "vuln.fix");
	ck_assert_str_eq(v, "a\nb\n");
	free(v);
	v = vf_proposal_value(b, strlen(b), "other");
	ck_assert_str_eq(v, "z");
	free(v);
	ck_assert_ptr_null(vf_proposal_value(b, strlen(b), "product"));
	ck_assert_ptr_null(vf_proposal_value(b, strlen(b), "vuln.poc"));
	ck_assert_ptr_null(vf_proposal_value("a:b\n", 4, "a"));
	ck_assert_ptr_null(vf_proposal_value("a: b\0c", 6, "a"));
	ck_assert_ptr_null(vf_proposal_value("", 0, "a"));
}
END_TEST

START_TEST(args)
{
	struct vf_decide d;
	char err[512];
	char *take[] = { "take", "2026-00001", "product.version",
	    "received/new/2026-00002", "vuln.fix", NULL };
	char *route[] = { "route", "operator", "a@ｅｘａｍｐｌｅ.jp", "-",
	    "Shop", "2026-00001", NULL };
	char *route2[] = { "route", "operator", "a@example.jp",
	    "3ab5f1e9d0c24a6b8e7f90123456789abcdef012", "VF#2026-00001",
	    NULL };
	char *pub[] = { "published", "JVN#1", "2026-00001", NULL };
	char *bad[] = { "take", "status.published", "2026-00001", NULL };

	ck_assert_int_eq(vf_decide_args(&d, 5, take, &ft, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.nfields, 2);
	ck_assert_str_eq(d.fields[1], "vuln.fix");
	ck_assert_uint_eq(d.ncases, 2);
	ck_assert_str_eq(d.cases[1], "received/new/2026-00002");
	vf_decide_free(&d);
	ck_assert_int_eq(vf_decide_args(&d, 6, route, &ft, err, sizeof(err)),
	    0);
	ck_assert_str_eq(d.address, "a@example.jp");
	ck_assert_str_eq(d.fpr, "");
	ck_assert_str_eq(d.name, "Shop");
	ck_assert_uint_eq(d.ncases, 1);
	vf_decide_free(&d);
	ck_assert_int_eq(vf_decide_args(&d, 5, route2, &ft, err,
	    sizeof(err)), 0);
	ck_assert_ptr_null(d.name);
	ck_assert_str_eq(d.fpr, "3AB5F1E9D0C24A6B8E7F90123456789ABCDEF012");
	vf_decide_free(&d);
	ck_assert_int_eq(vf_decide_args(&d, 3, pub, &ft, err, sizeof(err)),
	    0);
	ck_assert_ptr_null(d.url);
	ck_assert_uint_eq(d.ncases, 1);
	vf_decide_free(&d);
	ck_assert_int_eq(vf_decide_args(&d, 3, bad, &ft, err, sizeof(err)),
	    EX_USAGE);
	vf_decide_free(&d);
}
END_TEST

/* A refusal names exactly what vf_moves_from names. */
START_TEST(apply_refused)
{
	struct vf_decide d;
	struct vf_decided r;
	struct vf_case c;
	char err[1024], want[512], msg[1024];
	char *acc[] = { "accept", NULL };

	ck_assert_int_eq(vf_decide_args(&d, 1, acc, &ft, err, sizeof(err)),
	    0);
	d.staff = "unit";
	vf_case_init(&c, "2026-00001", "s", 1796000000);
	vf_case_set(&c, "Vf-Kind", "web");
	ck_assert_int_eq(vf_decide_apply(&d, &c, "routed", &r, err,
	    sizeof(err)), EX_DATAERR);
	(void)vf_moves_from("routed", VF_KIND_WEB, VF_BY_DECIDE, want,
	    sizeof(want));
	(void)snprintf(msg, sizeof(msg), "accept: a web case in routed cannot "
	    "move to accepted; from routed it may move to: %s", want);
	ck_assert_str_eq(err, msg);
	ck_assert_uint_eq(c.nhist, 0);
	ck_assert_int_eq(vf_decide_apply(&d, &c, "received", &r, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(r.to, "accepted");
	ck_assert_uint_eq(c.nhist, 1);
	ck_assert_ptr_nonnull(strstr(c.hist[0], "vf-decide: by staff unit: "
	    "accept (received -> accepted)"));
	ck_assert_int_eq(vf_decide_apply(&d, &c, "accepted", &r, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(r.changes, 0);
	ck_assert_str_eq(r.what, "already accepted");
	ck_assert_uint_eq(c.nhist, 1);
	vf_case_free(&c);
	vf_decide_free(&d);
}
END_TEST

static Suite *
decide_suite(void)
{
	Suite *s = suite_create("decide");
	TCase *tc = tcase_create("decide");

	tcase_add_checked_fixture(tc, load, unload);
	tcase_add_test(tc, pubdate_vs_timegm);
	tcase_add_test(tc, pubdate_forms);
	tcase_add_test(tc, proposal_value);
	tcase_add_test(tc, args);
	tcase_add_test(tc, apply_refused);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(decide_suite)
