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

/*
 * Is anything left to delete? vf_erase_needed answers without erasing,
 * from the case's head as vf-expire reads it (vf_case_parsehead) and from
 * the whole case, and must agree with what erasing the whole case does.
 * Each edit is made to an erased case's text: what erasing leaves
 * written in another ASCII case is still left, names that only start or
 * end like the ones erasing deletes are not those, each thing erasing
 * deletes or rewrites, put back, is something to delete, and of two
 * headers of a name the first counts.
 */
static const struct {
	const char	*from, *to;
	int		 needed;
} edits[] = {
	{ NULL, NULL, 0 },
	{ "\nFrom: ", "\nFROM: ", 0 },
	{ "\nSubject: ", "\nsubject: ", 0 },
	{ "\nVf-Id: ", "\nVF-ID: ", 0 },
	{ "\nVf-Kind: ", "\nvF-kInD: ", 0 },
	{ "\nVf-Signature: ", "\nVF-SIGNATURE: ", 0 },
	{ "\nVf-Part: followup", "\nVF-PART: followup", 0 },
	{ "\nVf-Party: ", "\nvf-party: ", 0 },
	{ "\nVf-Erased: ", "\nvf-ERASED: ", 0 },
	{ "\nVf-Id: ", "\nVf-Messag: x\nVf-Message-Idx: x\nVf-Signe: x\n"
	    "Vf-Signaturex: a b\nVf-Proposesx: x\nVf-Reporter: x\n"
	    "Vf-Ids: x\nFromx: x\nSubjects: x\nVf-Id: ", 0 },
	{ "\nVf-Id: ", "\nVf-Message-Id: <m@x>\nVf-Id: ", 1 },
	{ "\nVf-Id: ", "\nvf-MESSAGE-id: <m@x>\nVf-Id: ", 1 },
	{ "\nVf-Id: ", "\nVF-REPORTER-KEY: "
	    "0123456789ABCDEF0123456789ABCDEF01234567\nVf-Id: ", 1 },
	{ "\nVf-Id: ", "\nvf-signer: x\nVf-Id: ", 1 },
	{ "\nVf-Id: ", "\nVf-PROPOSES: x\nVf-Id: ", 1 },
	{ "Vf-Signature: good deleted", "Vf-Signature: good "
	    "0123456789ABCDEF0123456789ABCDEF01234567", 1 },
	{ "From: vf <vf@localhost>", "From: zq@example.net", 1 },
	{ "From: vf <vf@localhost>", "X-From: vf <vf@localhost>", 1 },
	{ "Subject: [VF#2027-00001] web report", "Subject: my report", 1 },
	{ "Vf-Kind: web", "Vf-Kind: software", 1 },
	{ "Vf-Party: operator", "Vf-Party: reporter", 1 },
	{ "Vf-Party: operator", "Vf-Partyx: operator", 1 },
	{ "Vf-Part: followup", "Vf-Part: attachment", 1 },
	{ "\nVf-Erased: ", "\nVf-Erasedx: ", 1 },
	{ "\nproduct.name: ", "\nreporter.email: zq@example.net\n"
	    "product.name: ", 1 },
	/* The first of a name counts, as for vf_case_get. */
	{ "Subject: [VF#2027-00001] web report", "Subject: [VF#2027-00001] "
	    "web report\nSubject: mine", 0 },
	{ "\nSubject: ", "\nSubject: mine\nSubject: ", 1 },
	{ "From: vf <vf@localhost>", "From: vf <vf@localhost>\n"
	    "From: zq@example.net", 0 },
	{ "Vf-Signature: good deleted", "Vf-Signature: good deleted\n"
	    "Vf-Signature: good x", 0 },
	{ "Vf-Signature: good deleted", "Vf-Signature: good x\n"
	    "Vf-Signature: good deleted", 1 },
	{ "Vf-Party: operator", "Vf-Party: operator\nVf-Party: reporter", 0 },
	{ "Vf-Party: operator", "Vf-Party: reporter\nVf-Party: operator", 1 },
};

START_TEST(needed_agrees)
{
	struct vf_case c, h, w;
	struct vf_erase e = { 0 };
	struct vf_buf b = { 0 }, t = { 0 };
	char emsg[256];
	const char *at;
	size_t i, changes;
	int need;

	load_fields();
	make_case(&c, "web");
	(void)vf_erase_case(&c, &ft, 0, &e);
	vf_case_write(&c, &b);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		t.len = 0;
		if (edits[i].from == NULL)
			vf_buf_add(&t, b.p, b.len);
		else {
			at = strstr(b.p, edits[i].from);
			ck_assert_msg(at != NULL, "edit %zu: no %s", i,
			    edits[i].from);
			vf_buf_add(&t, b.p, (size_t)(at - b.p));
			vf_buf_adds(&t, edits[i].to);
			vf_buf_adds(&t, at + strlen(edits[i].from));
		}
		ck_assert_msg(vf_case_parsehead(&h, t.p, t.len, t.len,
		    VF_HEAD_PARTS, emsg, sizeof(emsg)) == 0, "edit %zu: %s",
		    i, emsg);
		ck_assert_msg(vf_case_parse(&w, t.p, t.len, emsg,
		    sizeof(emsg)) == 0, "edit %zu: %s", i, emsg);
		need = vf_erase_needed(&h, &ft, 0);
		ck_assert_msg(need == edits[i].needed, "edit %zu (%s): "
		    "vf_erase_needed says %d from the head", i,
		    edits[i].to != NULL ? edits[i].to : "none", need);
		ck_assert_int_eq(vf_erase_needed(&w, &ft, 0), need);
		changes = vf_erase_case(&w, &ft, 0, &e);
		ck_assert_msg((changes > 0) == need, "edit %zu: erasing "
		    "changed %zu", i, changes);
		vf_case_free(&h);
		vf_case_free(&w);
	}
	vf_buf_free(&t);
	vf_buf_free(&b);
	vf_erase_free(&e);
	vf_case_free(&c);
	vf_fields_free(&ft);
}
END_TEST

/*
 * The reporter's keys a case names: 40 or 64 hex digits, alone or in
 * groups of four split by one space, in either case, in the key headers
 * and contact.pgp-key, and the second word of a signature verdict: in
 * that order (the verdict first), each once, in upper case.
 */
#define A40	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define B40	"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
#define C40	"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"

START_TEST(keys_found)
{
	static const struct {
		const char	*pgpkey;
		const char	*want;	/* the fingerprints, in order */
	} t[] = {
		{ "none here", "" },
		{ "0123456789abcdef0123456789ABCDEF01234567",
		    "0123456789ABCDEF0123456789ABCDEF01234567" },
		{ "key 0123 4567 89AB CDEF 0123 4567 89ab cdef 0123 4567.",
		    "0123456789ABCDEF0123456789ABCDEF01234567" },
		/* gpg's two blanks mid-way end a run: two of 20 digits. */
		{ "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567", "" },
		{ "0123456789ABCDEF0123456789ABCDEF0123456", "" },
		{ "0123456789ABCDEF0123456789ABCDEF012345678", "" },
		{ "012 3456789ABCDEF0123456789ABCDEF01234567", "" },
		{ "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
		    "ABCDEF", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
		    "0123456789ABCDEF" },
		{ "A: FEDCBA9876543210FEDCBA9876543210FEDCBA98\nB: "
		    "0123456789ABCDEF0123456789ABCDEF01234567 or once more "
		    "fedcba9876543210fedcba9876543210fedcba98",
		    "FEDCBA9876543210FEDCBA9876543210FEDCBA98 "
		    "0123456789ABCDEF0123456789ABCDEF01234567" },
		/* A blank, then a digit: the run goes on ("a" of "and"). */
		{ "0123456789ABCDEF0123456789ABCDEF01234567 and", "" },
		{ "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF0123456789\n"
		    "-----END PGP PUBLIC KEY BLOCK-----", "" },
		{ "x0123456789ABCDEF0123456789ABCDEF01234567g 0123 ",
		    "0123456789ABCDEF0123456789ABCDEF01234567" },
		{ "0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567 ",
		    "0123456789ABCDEF0123456789ABCDEF01234567" },
	};
	struct vf_case c;
	struct vf_erase e = { 0 };
	struct vf_buf got = { 0 };
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vf_case_init(&c, "2027-00001", "x", 0);
		vf_case_set(&c, "Vf-Signature", "good " A40 " unknown");
		vf_case_set(&c, "Vf-Signer",
		    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
		vf_case_set(&c, "Vf-Reporter-Key", "key " C40);
		vf_case_field_set(&c, "contact.pgp-key", t[i].pgpkey);
		vf_erase_keys(&c, &e);
		/* The headers' keys first, then those of the field. */
		got.len = 0;
		vf_buf_adds(&got, "");
		for (k = 3; k < e.nfpr; k++)
			vf_buf_printf(&got, "%s%s", k > 3 ? " " : "",
			    e.fpr[k]);
		ck_assert_uint_ge(e.nfpr, 3);
		ck_assert_str_eq(e.fpr[0], A40);
		ck_assert_str_eq(e.fpr[1], C40);
		ck_assert_str_eq(e.fpr[2], B40);
		ck_assert_msg(strcmp(got.p, t[i].want) == 0,
		    "\"%s\": got %s", t[i].pgpkey, got.p);
		vf_erase_free(&e);
		vf_case_free(&c);
	}
	vf_buf_free(&got);
}
END_TEST

static Suite *
erase_suite(void)
{
	Suite *s = suite_create("erase");
	TCase *tc = tcase_create("erase");

	tcase_add_test(tc, erases_everywhere);
	tcase_add_test(tc, credit);
	tcase_add_test(tc, needed_agrees);
	tcase_add_test(tc, keys_found);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(erase_suite)
