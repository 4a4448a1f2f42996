/*
 * The field table: the shipped share/fields and the loader's diagnostics
 * on broken tables.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

static char tmpdir[PATH_MAX];

static void
share_path(char *buf, size_t len, const char *rel)
{
	const char *share = getenv("VF_SHARE");

	if (share == NULL || *share == '\0')
		share = "share";
	ck_assert_int_lt(snprintf(buf, len, "%s/%s", share, rel), (int)len);
}

static void
load_shipped(struct vf_fields *t)
{
	char path[PATH_MAX], err[256];
	int rc;

	share_path(path, sizeof(path), "fields");
	rc = vf_fields_load(t, path, err, sizeof(err));
	ck_assert_msg(rc == 0, "load %s: %d %s", path, rc, err);
}

/* Write text to TMPDIR/x/fields and load it. */
static int
load_text(struct vf_fields *t, const char *text, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *fp;
	int rc;

	if (tmpdir[0] == '\0') {
		const char *td = getenv("TMPDIR");

		ck_assert_int_lt(snprintf(tmpdir, sizeof(tmpdir),
		    "%s/vf-fields.XXXXXX", td ? td : "/tmp"),
		    (int)sizeof(tmpdir));
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/fields", tmpdir),
	    (int)sizeof(path));
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	rc = vf_fields_load(t, path, err, errlen);
	ck_assert_int_eq(unlink(path), 0);
	return rc;
}

/* Each test runs in its own process: each removes the directory it made. */
static void
tmp_end(void)
{
	if (tmpdir[0] != '\0')
		ck_assert_int_eq(rmdir(tmpdir), 0);
	tmpdir[0] = '\0';
}

#define GOOD	"reporter.name:reporter:software,web:software:line:" \
		"氏名|名前:Name|Full name\n"
#define YN	"c.v:reporter:software:-:yesno:可否:Consent\n"
#define SIXTEEN	"{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}" \
		"{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"
/* Sixteen groups after a '*': each run counts alone. */
#define STATUS	"{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}*" \
		"{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"

START_TEST(shipped_loads)
{
	struct vf_fields t;
	static const char *const fixed[] = {
		"reporter.name", "reporter.email", "reporter.phone",
		"reporter.org", "reporter.address", "consent.coordinator",
		"consent.vendor", "consent.publish-name", "consent.operator",
		"product.name", "product.version", "product.vendor",
		"vuln.summary", "vuln.environment", "vuln.reproduce",
		"vuln.poc", "vuln.threat", "vuln.workaround", "web.url",
		"web.type", "web.discovery", "web.reason", "other.reported",
		"other.orgs", "contact.final-report", "contact.encrypt",
		"contact.pgp-key", "status.accepted", "status.published",
		"status.fixed", "status.advisory", "reporter.fax",
		"vuln.type", "vuln.discovery", "vuln.reason", "vuln.fix",
		"vuln.cvss", "vuln.credit", "vendor.advisory-url",
		"vendor.pubdate", "vendor.contact"
	};
	const struct vf_field *f;
	size_t i;

	load_shipped(&t);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		ck_assert_msg(vf_fields_find(&t, fixed[i]) != NULL,
		    "missing %s", fixed[i]);
	ck_assert_ptr_null(vf_fields_find(&t, "reporter"));
	ck_assert_ptr_null(vf_fields_find(&t, "REPORTER.NAME"));
	ck_assert_ptr_null(vf_fields_find(&t, NULL));

	f = vf_fields_find(&t, "reporter.name");
	ck_assert_int_eq(f->class, VF_CLASS_REPORTER);
	ck_assert_int_eq(f->format, VF_FMT_LINE);
	ck_assert_int_eq(f->required,
	    VF_KIND_SOFTWARE | VF_KIND_WEB | VF_KIND_VENDOR);
	ck_assert_str_eq(f->ja[0], "氏名");
	ck_assert_str_eq(f->en[0], "Name");

	f = vf_fields_find(&t, "consent.coordinator");
	ck_assert_int_eq(f->class, VF_CLASS_REPORTER);
	ck_assert_int_eq(f->format, VF_FMT_YESNO);
	ck_assert_int_eq(f->required, VF_KIND_SOFTWARE);
	f = vf_fields_find(&t, "consent.operator");
	ck_assert_int_eq(f->required, VF_KIND_WEB);
	ck_assert_int_eq(f->kinds, VF_KIND_WEB);
	f = vf_fields_find(&t, "vuln.reproduce");
	ck_assert_int_eq(f->class, VF_CLASS_ATTACK);
	f = vf_fields_find(&t, "vuln.poc");
	ck_assert_int_eq(f->class, VF_CLASS_ATTACK);
	ck_assert_int_eq(f->required, 0);
	f = vf_fields_find(&t, "vuln.summary");
	ck_assert_int_eq(f->class, VF_CLASS_VULN);
	ck_assert_int_eq(f->required, VF_KIND_SOFTWARE | VF_KIND_VENDOR);
	f = vf_fields_find(&t, "web.url");
	ck_assert_int_eq(f->format, VF_FMT_URL);
	ck_assert_int_eq(f->required, VF_KIND_WEB);
	f = vf_fields_find(&t, "web.type");
	ck_assert_int_eq(f->format, VF_FMT_CWE);
	f = vf_fields_find(&t, "contact.encrypt");
	ck_assert_int_eq(f->required,
	    VF_KIND_SOFTWARE | VF_KIND_WEB | VF_KIND_VENDOR);
	/* An e-mail address, or failing that a telephone or fax number. */
	f = vf_fields_find(&t, "reporter.email");
	ck_assert_str_eq(f->group, "reach");
	ck_assert_int_eq(f->required,
	    VF_KIND_SOFTWARE | VF_KIND_WEB | VF_KIND_VENDOR);
	ck_assert_str_eq(vf_fields_find(&t, "reporter.fax")->group, "reach");
	ck_assert_ptr_null(vf_fields_find(&t, "reporter.name")->group);
	f = vf_fields_find(&t, "contact.final-report");
	ck_assert_int_eq(f->required, VF_KIND_SOFTWARE);
	f = vf_fields_find(&t, "product.name");
	ck_assert_int_eq(f->required, VF_KIND_SOFTWARE | VF_KIND_VENDOR);

	/* The office sets status; no kind requires it of a reporter. */
	for (i = 0; i < t.n; i++) {
		f = &t.f[i];
		ck_assert_msg((f->class == VF_CLASS_STATUS) ==
		    (strncmp(f->name, "status.", 7) == 0 ||
		    strncmp(f->name, "case.", 5) == 0), "%s", f->name);
		if (f->class == VF_CLASS_STATUS)
			ck_assert_int_eq(f->required, 0);
		if (strncmp(f->name, "reporter.", 9) == 0 ||
		    strncmp(f->name, "consent.", 8) == 0 ||
		    strncmp(f->name, "contact.", 8) == 0)
			ck_assert_msg(f->class == VF_CLASS_REPORTER, "%s",
			    f->name);
		ck_assert_int_eq(f->required & ~f->kinds, 0);
		ck_assert_uint_ge(f->nja, 1);
		ck_assert_uint_ge(f->nen, 1);
	}
	/* What IPA's forms ask that the first table lacked. */
	f = vf_fields_find(&t, "reporter.fax");
	ck_assert_int_eq(f->format, VF_FMT_PHONE);
	ck_assert_int_eq(f->class, VF_CLASS_REPORTER);
	f = vf_fields_find(&t, "vuln.type");
	ck_assert_int_eq(f->format, VF_FMT_CWE);
	ck_assert_int_eq(f->kinds, VF_KIND_SOFTWARE | VF_KIND_VENDOR);
	ck_assert_str_eq(f->ja[0], vf_fields_find(&t, "web.type")->ja[0]);
	f = vf_fields_find(&t, "web.type");
	ck_assert_int_eq(f->kinds, VF_KIND_WEB);
	for (i = 0; i < 2; i++) {
		static const char *const sw[] = { "vuln.discovery",
		    "vuln.reason" };
		f = vf_fields_find(&t, sw[i]);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->kinds, VF_KIND_SOFTWARE);
	}
	for (i = 0; i < 5; i++) {
		static const char *const vendor[] = { "vuln.fix",
		    "vendor.advisory-url", "vendor.pubdate", "vendor.contact",
		    "vuln.credit" };
		f = vf_fields_find(&t, vendor[i]);
		ck_assert_msg(f != NULL && (f->kinds & VF_KIND_VENDOR),
		    "%s", vendor[i]);
		ck_assert_int_ne(f->class, VF_CLASS_REPORTER);
	}
	/* Each consent and contact choice can be given as a sentence. */
	for (i = 0; i < t.n; i++) {
		size_t j, k;
		int yes = 0, no = 0;

		f = &t.f[i];
		if (f->format != VF_FMT_YESNO || (strncmp(f->name,
		    "consent.", 8) != 0 && strncmp(f->name, "contact.", 8) != 0))
			continue;
		for (j = 0; j < t.ns; j++)
			for (k = 0; k < t.s[j].nfield; k++)
				if (t.s[j].field[k] == i) {
					yes |= t.s[j].yes[k];
					no |= !t.s[j].yes[k];
				}
		ck_assert_msg(yes && no, "%s: no sentence for yes and no",
		    f->name);
	}
	ck_assert_uint_gt(t.heading.n, 0);
	ck_assert_uint_gt(t.closing.n, 0);
	ck_assert_uint_gt(t.marker.n, 0);
	ck_assert_uint_gt(t.yes.n, 0);
	ck_assert_uint_gt(t.no.n, 0);
	f = vf_fields_find(&t, "status.published");
	ck_assert_int_eq(f->format, VF_FMT_DATE);
	f = vf_fields_find(&t, "status.advisory");
	ck_assert_int_eq(f->format, VF_FMT_LINE);
	f = vf_fields_find(&t, "status.advisory-url");
	ck_assert_int_eq(f->format, VF_FMT_URL);
	vf_fields_free(&t);
	ck_assert_ptr_null(t.f);
	ck_assert_uint_eq(t.n, 0);
}
END_TEST

START_TEST(shipped_labels_unique)
{
	struct vf_fields t;
	size_t i, j, a, b;
	const char *x, *y;

	load_shipped(&t);
	/*
	 * Canonical labels are unique in each language, and no label names
	 * two fields, among the fields of one kind: a software report's
	 * "Type" is vuln.type, a web report's web.type.
	 */
	for (i = 0; i < t.n; i++)
		for (j = i + 1; j < t.n; j++) {
			if ((t.f[i].kinds & t.f[j].kinds) == 0)
				continue;
			ck_assert_msg(strcasecmp(t.f[i].ja[0],
			    t.f[j].ja[0]) != 0, "%s %s", t.f[i].name,
			    t.f[j].name);
			ck_assert_msg(strcasecmp(t.f[i].en[0],
			    t.f[j].en[0]) != 0, "%s %s", t.f[i].name,
			    t.f[j].name);
		}
	for (i = 0; i < t.n; i++)
		for (j = i + 1; j < t.n; j++)
			for (a = 0; (t.f[i].kinds & t.f[j].kinds) != 0 &&
			    a < t.f[i].nja + t.f[i].nen; a++)
				for (b = 0; b < t.f[j].nja + t.f[j].nen; b++) {
					x = a < t.f[i].nja ? t.f[i].ja[a] :
					    t.f[i].en[a - t.f[i].nja];
					y = b < t.f[j].nja ? t.f[j].ja[b] :
					    t.f[j].en[b - t.f[j].nja];
					ck_assert_msg(strcasecmp(x, y) != 0,
					    "%s: %s and %s", x, t.f[i].name,
					    t.f[j].name);
				}
	vf_fields_free(&t);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(vf_kind_name(VF_KIND_SOFTWARE), "software");
	ck_assert_str_eq(vf_kind_name(VF_KIND_WEB), "web");
	ck_assert_str_eq(vf_kind_name(VF_KIND_VENDOR), "vendor");
	ck_assert_str_eq(vf_kind_name(0), "unknown");
	ck_assert_str_eq(vf_kind_name(VF_KIND_SOFTWARE | VF_KIND_WEB),
	    "unknown");
	ck_assert_int_eq(vf_kind_parse("software"), VF_KIND_SOFTWARE);
	ck_assert_int_eq(vf_kind_parse("Web"), VF_KIND_WEB);
	ck_assert_int_eq(vf_kind_parse("vendor"), VF_KIND_VENDOR);
	ck_assert_int_eq(vf_kind_parse("unknown"), 0);
	ck_assert_int_eq(vf_kind_parse(""), 0);
	ck_assert_int_eq(vf_kind_parse("software,web"), 0);
	ck_assert_int_eq(vf_kind_parse(NULL), 0);
	ck_assert_str_eq(vf_class_name(VF_CLASS_REPORTER), "reporter");
	ck_assert_str_eq(vf_class_name(VF_CLASS_VULN), "vulnerability");
	ck_assert_str_eq(vf_class_name(VF_CLASS_STATUS), "status");
	ck_assert_str_eq(vf_class_name(VF_CLASS_ATTACK), "attack");
	ck_assert_str_eq(vf_class_name((enum vf_class)42), "unknown");
	ck_assert_str_eq(vf_format_name(VF_FMT_TEXT), "text");
	ck_assert_str_eq(vf_format_name(VF_FMT_LINE), "line");
	ck_assert_str_eq(vf_format_name(VF_FMT_EMAIL), "email");
	ck_assert_str_eq(vf_format_name(VF_FMT_PHONE), "phone");
	ck_assert_str_eq(vf_format_name(VF_FMT_URL), "url");
	ck_assert_str_eq(vf_format_name(VF_FMT_YESNO), "yesno");
	ck_assert_str_eq(vf_format_name(VF_FMT_CWE), "cwe");
	ck_assert_str_eq(vf_format_name(VF_FMT_DATE), "date");
	ck_assert_str_eq(vf_format_name((enum vf_format)-1), "unknown");
}
END_TEST

START_TEST(good_directives)
{
	struct vf_fields t;
	char err[256];

	/* Sentences may name fields defined after them. */
	ck_assert_int_eq(load_text(&t,
	    "@sentence:c.v=yes,d.w=no:you may {pass,give} my*details|ab\n"
	    GOOD
	    "@heading:届出者情報|*について\n"
	    "@heading:Future contact\n"
	    "@closing:以上|thanks,*\n"
	    "@marker:*|※\n"
	    "@yes:はい|*構いません\n"
	    "@no:いいえ\n"
	    YN
	    "d.w:reporter:software:-:yesno:要否:Wanted\n",
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(t.heading.n, 3);
	ck_assert_str_eq(t.heading.w[1], "*について");
	ck_assert_str_eq(t.heading.w[2], "Future contact");
	ck_assert_uint_eq(t.closing.n, 2);
	ck_assert_str_eq(t.closing.w[1], "thanks,*");
	ck_assert_uint_eq(t.marker.n, 2);
	ck_assert_uint_eq(t.yes.n, 2);
	ck_assert_uint_eq(t.no.n, 1);
	ck_assert_uint_eq(t.ns, 1);
	ck_assert_uint_eq(t.s[0].npat, 2);
	ck_assert_str_eq(t.s[0].pat[0], "you may {pass,give} my*details");
	ck_assert_uint_eq(t.s[0].nfield, 2);
	ck_assert_str_eq(t.f[t.s[0].field[0]].name, "c.v");
	ck_assert_int_eq(t.s[0].yes[0], 1);
	ck_assert_str_eq(t.f[t.s[0].field[1]].name, "d.w");
	ck_assert_int_eq(t.s[0].yes[1], 0);
	vf_fields_free(&t);
	ck_assert_uint_eq(t.ns, 0);
	ck_assert_ptr_null(t.heading.w);
	/* A label may name fields of kinds that do not meet. */
	ck_assert_int_eq(load_text(&t,
	    "web.type:vulnerability:web:web:cwe:脆弱性の種類:Type\n"
	    "vuln.type:vulnerability:software,vendor:-:cwe:脆弱性の種類:"
	    "Type\n", err, sizeof(err)), 0);
	vf_fields_free(&t);
	ck_assert_int_eq(load_text(&t,
	    "web.type:vulnerability:web:web:cwe:脆弱性の種類:Type\n"
	    "vuln.type:vulnerability:software,web:-:cwe:種別:Type\n",
	    err, sizeof(err)), EX_CONFIG);
	ck_assert_str_eq(err,
	    "fields:2: label \"Type\" names both web.type and vuln.type");
	tmp_end();
}
END_TEST

START_TEST(good_table)
{
	struct vf_fields t;
	char err[256];

	ck_assert_int_eq(load_text(&t,
	    "# comment\r\n"
	    "\n"
	    "   # indented comment\n"
	    GOOD
	    "status.fixed:status:software,web,vendor:-:date:修正日:Fixed\r\n"
	    "web.url:vulnerability:web:web:url:URL|サイトのURL:URL|Site URL",
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.f[0].name, "reporter.name");
	ck_assert_int_eq(t.f[0].kinds, VF_KIND_SOFTWARE | VF_KIND_WEB);
	ck_assert_int_eq(t.f[0].required, VF_KIND_SOFTWARE);
	ck_assert_uint_eq(t.f[0].nja, 2);
	ck_assert_str_eq(t.f[0].ja[1], "名前");
	ck_assert_uint_eq(t.f[0].nen, 2);
	ck_assert_str_eq(t.f[0].en[1], "Full name");
	ck_assert_int_eq(t.f[1].class, VF_CLASS_STATUS);
	ck_assert_int_eq(t.f[1].required, 0);
	ck_assert_str_eq(t.f[1].en[0], "Fixed");
	/* The same label in both languages of one field is fine. */
	ck_assert_str_eq(t.f[2].ja[0], "URL");
	ck_assert_str_eq(t.f[2].en[0], "URL");
	ck_assert_ptr_eq(vf_fields_find(&t, "web.url"), &t.f[2]);
	vf_fields_free(&t);
	tmp_end();
}
END_TEST

static const struct {
	const char	*text;
	const char	*err;
} broken[] = {
	{ "# x\n\nreporter.name:reporter:software:software:line:氏名\n",
	    "fields:3: 6 columns, want 7" },
	{ GOOD "a:reporter:web:web:line:x:y:z\n",
	    "fields:2: more than 7 columns" },
	{ "Reporter.name:reporter:web:web:line:氏名:Name\n",
	    "fields:1: bad field name" },
	{ "1x:reporter:web:web:line:氏名:Name\n", "fields:1: bad field name" },
	{ "reporter name:reporter:web:web:line:氏名:Name\n",
	    "fields:1: bad field name" },
	{ "a.b:secret:web:web:line:氏名:Name\n", "fields:1: unknown class" },
	{ "a.b:reporter:web,,vendor:web:line:氏名:Name\n",
	    "fields:1: bad kinds" },
	{ "a.b:reporter:Web:-:line:氏名:Name\n", "fields:1: bad kinds" },
	{ "a.b:reporter::-:line:氏名:Name\n", "fields:1: bad kinds" },
	{ "a.b:reporter:web:software:line:氏名:Name\n",
	    "fields:1: required for a kind it does not belong to" },
	{ "a.b:reporter:web:nope:line:氏名:Name\n",
	    "fields:1: bad required kinds" },
	{ "a.b:reporter:web:web@:line:氏名:Name\n",
	    "fields:1: bad required group" },
	{ "a.b:reporter:web:-@reach:line:氏名:Name\n",
	    "fields:1: bad required group" },
	{ "a.b:reporter:web:web@Reach:line:氏名:Name\n",
	    "fields:1: bad required group" },
	{ "a.b:reporter:web:-:number:氏名:Name\n", "fields:1: unknown format" },
	{ "a.b:reporter:web:-:line:氏名||名前:Name\n",
	    "fields:1: empty label" },
	{ "a.b:reporter:web:-:line::Name\n", "fields:1: empty label" },
	{ "a.b:reporter:web:-:line:氏名: Name\n",
	    "fields:1: label begins or ends with a space" },
	{ "a.b:reporter:web:-:line:氏名:１Name\n",
	    "fields:1: full-width ASCII in label" },
	{ "a.b:reporter:web:-:line:氏　名:Name\n",
	    "fields:1: ideographic space in label" },
	{ "a.b:reporter:web:-:line:1. 氏名:Name\n",
	    "fields:1: label begins with numbering or a bullet" },
	{ "a.b:reporter:web:-:line:【氏名】:Name\n",
	    "fields:1: label begins with a bullet or bracket" },
	{ "a.b:reporter:web:-:line:\xff\xfe:Name\n",
	    "fields:1: label is not UTF-8" },
	{ "a.b:reporter:web:-:line:\xc0\xaf:Name\n",
	    "fields:1: label is not UTF-8" },
	{ "a.b:reporter:web:-:line:氏名\t:Name\n",
	    "fields:1: control character in label" },
	/*
	 * What text_problem finds inside a run it takes at once: eight ASCII
	 * bytes, or a run of three-byte characters.
	 */
	{ "a.b:reporter:web:-:line:氏名:Long label\x7f text\n",
	    "fields:1: control character in label" },
	{ "a.b:reporter:web:-:line:氏名:Long label and\ttext\n",
	    "fields:1: control character in label" },
	{ "a.b:reporter:web:-:line:届出者の氏名Ｎ:Name\n",
	    "fields:1: full-width ASCII in label" },
	{ "a.b:reporter:web:-:line:届出者の\xe3\x80\x80氏名:Name\n",
	    "fields:1: ideographic space in label" },
	{ "a.b:reporter:web:-:line:届出者の氏名\xe6\xb0:Name\n",
	    "fields:1: label is not UTF-8" },
	{ "a.b:reporter:web:-:line:届出者の氏名\xf0\x9f\x98:Name\n",
	    "fields:1: label is not UTF-8" },
	/* Not UTF-8 is said before a wrong character that comes first. */
	{ "a.b:reporter:web:-:line:届出者のＮ氏名\xff:Name\n",
	    "fields:1: label is not UTF-8" },
	/* A CR is taken off a line only if it is the line's only one. */
	{ "a.b:reporter:web:-:line:氏名:Name\rX\r\n",
	    "fields:1: control character in label: \"Name\rX\r\"" },
	{ "a.b:reporter:web:-:line:氏名:Name\r\r\n",
	    "fields:1: control character in label: \"Name\r\r\"" },
	{ GOOD "\n" GOOD, "fields:3: duplicate field name \"reporter.name\"" },
	{ GOOD "x.y:reporter:web:-:line:お名前:NAME\n",
	    "fields:2: label \"NAME\" names both reporter.name and x.y" },
	{ GOOD " x.y:reporter:web:-:line:a:b\n",
	    "fields:2: field line begins with white space" },
	{ "# nothing\n\n", "fields:3: no fields" },
	{ "", "fields:1: no fields" },
	/* The "@" lines. */
	{ GOOD "@nope:x\n", "fields:2: unknown directive \"@nope\"" },
	{ GOOD "@heading:\n", "fields:2: empty word" },
	{ GOOD "@heading:a||b\n", "fields:2: empty word" },
	{ GOOD "@heading:a:b\n", "fields:2: want @heading:WORDS" },
	{ GOOD "@heading\n", "fields:2: want @heading:WORDS" },
	{ GOOD "@heading: a\n", "fields:2: word begins or ends with a space" },
	{ GOOD "@heading:a*b\n", "fields:2: '*' in a word but at its start" },
	{ GOOD "@closing:*x\n", "fields:2: '*' in a word but at its end" },
	{ GOOD "@yes:ｙｅｓ\n", "fields:2: full-width ASCII in word" },
	{ GOOD "@no:\xff\n", "fields:2: word is not UTF-8" },
	{ GOOD "@heading:氏名\n",
	    "fields:1: label \"氏名\" of reporter.name is also a heading" },
	{ GOOD "@marker:氏\n",
	    "fields:1: label \"氏名\" of reporter.name begins with the marker" },
	{ GOOD "@sentence:x.y=yes\n",
	    "fields:2: want @sentence:ANSWERS:PATTERNS" },
	{ GOOD "@sentence:x.y=yes:ab\n",
	    "fields:2: sentence answers unknown field \"x.y\"" },
	{ GOOD "@sentence:reporter.name=yes:ab\n",
	    "fields:2: sentence answers reporter.name, which is not a yesno" },
	{ GOOD YN "@sentence:c.v=maybe:ab\n",
	    "fields:3: bad answer \"c.v=maybe\"" },
	{ GOOD YN "@sentence:c.v:ab\n", "fields:3: bad answer \"c.v\"" },
	{ GOOD YN "@sentence:c.v=yes,c.v=no:ab\n",
	    "fields:3: sentence answers c.v twice" },
	{ GOOD YN "@sentence:c.v=yes:\n", "fields:3: empty pattern" },
	{ GOOD YN "@sentence:c.v=yes:{a,b\n",
	    "fields:3: unbalanced braces in pattern" },
	{ GOOD YN "@sentence:c.v=yes:ab}\n",
	    "fields:3: unbalanced braces in pattern" },
	{ GOOD YN "@sentence:c.v=yes:{a{b}}\n",
	    "fields:3: braces inside braces in pattern" },
	{ GOOD YN "@sentence:c.v=yes:{a*,b}c\n",
	    "fields:3: '*' inside braces in pattern" },
	{ GOOD YN "@sentence:c.v=yes:ab**c\n", "fields:3: '**' in pattern" },
	{ GOOD YN "@sentence:c.v=yes:*\n", "fields:3: pattern says too little" },
	{ GOOD YN "@sentence:c.v=yes:{a,}*b\n",
	    "fields:3: pattern says too little" },
	{ GOOD YN "@sentence:c.v=yes:" SIXTEEN "{a,b}\n",
	    "fields:3: pattern stands for too many spellings" },
	{ GOOD YN "@sentence:c.v=yes:" STATUS "\n", NULL },
};

START_TEST(broken_tables)
{
	struct vf_fields t;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		memset(err, 'x', sizeof(err));
		rc = load_text(&t, broken[i].text, err, sizeof(err));
		if (broken[i].err == NULL) {
			/* At the limit, not past it. */
			ck_assert_msg(rc == 0, "case %zu: %s", i, err);
			vf_fields_free(&t);
			continue;
		}
		ck_assert_msg(rc == EX_CONFIG, "case %zu: rc %d", i, rc);
		ck_assert_msg(strncmp(err, broken[i].err,
		    strlen(broken[i].err)) == 0,
		    "case %zu: \"%s\", want \"%s\"", i, err, broken[i].err);
		ck_assert_ptr_null(t.f);
		ck_assert_uint_eq(t.n, 0);
	}
	tmp_end();
}
END_TEST

START_TEST(missing_and_nul)
{
	struct vf_fields t;
	char err[256], path[PATH_MAX];
	FILE *fp;

	ck_assert_int_eq(vf_fields_load(&t, "/nonexistent/vf/fields", err,
	    sizeof(err)), EX_NOINPUT);
	ck_assert_str_eq(err,
	    "/nonexistent/vf/fields: No such file or directory");
	ck_assert_ptr_null(t.f);

	/* A NUL byte would silently cut a line short: refuse it. */
	(void)load_text(&t, GOOD, err, sizeof(err));
	vf_fields_free(&t);
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/fields", tmpdir),
	    (int)sizeof(path));
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(GOOD "\0" GOOD, 1, sizeof(GOOD) * 2, fp),
	    sizeof(GOOD) * 2);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(vf_fields_load(&t, path, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "contains a NUL byte"));
	ck_assert_int_eq(unlink(path), 0);
	tmp_end();
}
END_TEST

static Suite *
fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("fields");

	tcase_add_test(tc, shipped_loads);
	tcase_add_test(tc, shipped_labels_unique);
	tcase_add_test(tc, names);
	tcase_add_test(tc, good_table);
	tcase_add_test(tc, good_directives);
	tcase_add_test(tc, broken_tables);
	tcase_add_test(tc, missing_and_nul);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(fields_suite)
