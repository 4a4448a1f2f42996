/*
 * Erasing the reporter's information from a case in memory: what goes,
 * what stays, the consented credit, and that erasing twice changes
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

static struct vf_fields ft;

static void
load_fields(void)
{
	char path[4096], err[256];

	(void)snprintf(path, sizeof(path), "%s/fields", vf_share());
	ck_assert_int_eq(vf_fields_load(&ft, path, err, sizeof(err)), 0);
}

static void
make_case(struct vf_case *c, const char *kind)
{
	struct vf_kv h[3];

	vf_case_init(c, "2027-00001", "Report from Zebulon Quaxworth", 0);
	vf_case_set(c, "From", "Zebulon Quaxworth <zq@example.net>");
	vf_case_set(c, "Vf-Kind", kind);
	vf_case_set(c, "Vf-Message-Id", "<123.zq@example.net>");
	vf_case_set(c, "Vf-Signature", "good "
	    "0123456789ABCDEF0123456789ABCDEF01234567 unknown");
	vf_case_field_set(c, "reporter.name", "Zebulon Quaxworth");
	vf_case_field_set(c, "reporter.email", "zq@example.net");
	vf_case_field_set(c, "consent.publish-name", "yes");
	vf_case_field_set(c, "product.name", "ExampleDB");
	vf_case_field_set(c, "vuln.reproduce", "log in as ZQ@example.net");
	vf_case_field_set(c, "status.published", "2027-01-05");
	vf_case_history(c, "vf-parse", "follow-up received from "
	    "Zebulon Quaxworth <zq@example.net>");
	vf_case_add_part(c, VF_PART_REPORT, "text/plain", NULL, 0,
	    "Name: Zebulon Quaxworth\n", 24);
	h[0].name = "Vf-Party";
	h[0].value = "operator";
	h[1].name = "Vf-From";
	h[1].value = "op@example.jp";
	vf_case_add_part(c, VF_PART_FOLLOWUP, "text/plain", h, 2,
	    "Thanks, zq@example.net, we fixed it.\n", 37);
	h[0].value = "reporter";
	h[1].value = "Zebulon Quaxworth <zq@example.net>";
	h[2].name = "Vf-Digest";
	h[2].value = "ab";
	vf_case_add_part(c, VF_PART_FOLLOWUP, "text/plain", h, 3,
	    "more from me\n", 13);
	vf_case_add_part(c, VF_PART_ORIGINAL, "application/octet-stream",
	    NULL, 0, "-----BEGIN PGP MESSAGE-----\n", 28);
}

static int
has(const struct vf_case *c, const char *s)
{
	struct vf_buf b = { 0 };
	int r;

	vf_case_write(c, &b);
	r = strcasestr(b.p, s) != NULL;
	vf_buf_free(&b);
	return r;
}

START_TEST(erases_everywhere)
{
	struct vf_case c;
	struct vf_erase e = { 0 };
	size_t i, n;

	load_fields();
	make_case(&c, "web");
	ck_assert(vf_erase_needed(&c, &ft, 0));
	n = vf_erase_case(&c, &ft, 0, &e);
	ck_assert(!vf_erase_needed(&c, &ft, 0));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(e.nfpr, 1);
	ck_assert(!has(&c, "Quaxworth"));
	ck_assert(!has(&c, "zq@example.net"));
	ck_assert(!has(&c, "0123456789ABCDEF0123456789ABCDEF01234567"));
	ck_assert(!has(&c, "BEGIN PGP"));
	ck_assert(!has(&c, "more from me"));
	ck_assert_ptr_null(vf_case_field(&c, "reporter.name"));
	ck_assert_str_eq(vf_case_field(&c, "product.name"), "ExampleDB");
	ck_assert_str_eq(vf_case_field(&c, "status.published"), "2027-01-05");
	ck_assert_str_eq(vf_case_field(&c, "vuln.reproduce"),
	    "log in as [deleted]");
	ck_assert_str_eq(vf_case_get(&c, "Vf-Signature"), "good deleted");
	ck_assert_ptr_null(vf_case_get(&c, "Vf-Message-Id"));
	ck_assert_str_eq(vf_case_get(&c, "Subject"),
	    "[VF#2027-00001] web report");
	/* The operator's words stay, the reporter's address in them not. */
	ck_assert(has(&c, "Thanks, [deleted], we fixed it."));
	/* The report and the reporter's follow-up leave stubs. */
	for (i = n = 0; i < c.npart; i++)
		if (vf_cpart_get(&c.part[i], "Vf-Erased") != NULL)
			n++;
	ck_assert_uint_eq(n, 2);
	ck_assert(has(&c, "Vf-Digest: ab"));
	/* A fixed point. */
	ck_assert_uint_eq(vf_erase_case(&c, &ft, 0, &e), 0);
	vf_erase_free(&e);
	vf_case_free(&c);
	vf_fields_free(&ft);
}
END_TEST

START_TEST(credit)
{
	struct vf_case c;
	struct vf_erase e = { 0 };

	load_fields();
	/* Software, published, consented: the name stays, nothing else. */
	make_case(&c, "software");
	vf_erase_case(&c, &ft, 1, &e);
	ck_assert(e.credit);
	ck_assert_str_eq(vf_case_field(&c, "reporter.name"),
	    "Zebulon Quaxworth");
	ck_assert_ptr_null(vf_case_field(&c, "reporter.email"));
	ck_assert(!has(&c, "zq@example.net"));
	ck_assert(!vf_erase_needed(&c, &ft, 1));
	ck_assert_uint_eq(vf_erase_case(&c, &ft, 1, &e), 0);
	vf_case_free(&c);
	/* Not published: no credit to keep. */
	make_case(&c, "software");
	vf_erase_case(&c, &ft, 0, &e);
	ck_assert(!e.credit);
	ck_assert(!has(&c, "Quaxworth"));
	vf_case_free(&c);
	/* Web: never a credit. */
	make_case(&c, "web");
	vf_erase_case(&c, &ft, 1, &e);
	ck_assert(!has(&c, "Quaxworth"));
	vf_case_free(&c);
	/* No consent. */
	make_case(&c, "software");
	vf_case_field_set(&c, "consent.publish-name", "no");
	vf_erase_case(&c, &ft, 1, &e);
	ck_assert(!has(&c, "Quaxworth"));
	vf_case_free(&c);
	vf_erase_free(&e);
	vf_fields_free(&ft);
}
END_TEST

static Suite *
erase_suite(void)
{
	Suite *s = suite_create("erase");
	TCase *tc = tcase_create("erase");

	tcase_add_test(tc, erases_everywhere);
	tcase_add_test(tc, credit);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(erase_suite)
