/*
 * Notice templates: what a template may hold, and that filling one copies
 * values and never interprets them; a slot the view lacks fails.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

static char dir[PATH_MAX];
static struct vf_fields ft;
static char oldshare[PATH_MAX];

static void
put(const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	FILE *fp;

	(void)snprintf(p, sizeof(p), "%s/templates/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(p, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
setup(void)
{
	const char *t = getenv("TMPDIR"), *s = getenv("VF_SHARE");
	char p[PATH_MAX + 64];

	ck_assert_ptr_nonnull(s);
	(void)strlcpy(oldshare, s, sizeof(oldshare));
	ck_assert_int_eq(vf_share_fields(&ft), 0);
	(void)snprintf(dir, sizeof(dir), "%s/vf-tpl.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	(void)snprintf(p, sizeof(p), "%s/templates", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	setenv("VF_SHARE", dir, 1);
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	setenv("VF_SHARE", oldshare, 1);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	vf_fields_free(&ft);
}

static void
view_of(struct vf_view *w, struct vf_kv *kv, size_t n)
{
	memset(w, 0, sizeof(*w));
	w->v = kv;
	w->n = n;
	memcpy(w->lang, "ja", 3);
}

START_TEST(load_rules)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "Body only\n", "want a Subject" },
		{ "Subject: x\nbody\n", "want a Subject" },
		{ "Subject: \n\nbody\n", "Subject is empty" },
		{ "Subject: about ${case.id}\n\nbody\n", "takes no slot" },
		{ "Subject: x\n\ncost $5\n", "x.en:3: a '$'" },
		{ "Subject: x\n\nline\n${Case.id}\n", "x.en:4" },
		{ "Subject: x\n\n${case.id\n}\n", "x.en:3" },
		{ "Subject: x\n\n$(id)\n", "neither" },
		{ "Subject: x\r\n\r\nbody\r\n", "LF line ends" },
		{ "Subject: x\n\n\xff\xfe\n", "UTF-8" },
	};
	struct vf_template t;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("x.en", bad[i].text);
		ck_assert_int_eq(vf_template_load(&t, "x", "en", err,
		    sizeof(err)), EX_CONFIG);
		if (strstr(err, bad[i].msg) == NULL)
			ck_abort_msg("%zu: got \"%s\", want \"%s\"", i, err,
			    bad[i].msg);
		vf_template_free(&t);
	}
	/* No path in the kind or the language. */
	ck_assert_int_eq(vf_template_load(&t, "../x", "en", err, sizeof(err)),
	    EX_USAGE);
	ck_assert_int_eq(vf_template_load(&t, "x", "de", err, sizeof(err)),
	    EX_USAGE);
	ck_assert_int_eq(vf_template_load(&t, "none", "en", err, sizeof(err)),
	    EX_CONFIG);
	put("x.ja", "Subject:  受付のお知らせ\n\n$$ ${case.id}\n");
	ck_assert_int_eq(vf_template_load(&t, "x", "ja", err, sizeof(err)), 0);
	ck_assert_str_eq(t.subject, "受付のお知らせ");
	ck_assert_str_eq(t.body, "$$ ${case.id}\n");
	vf_template_free(&t);
}
END_TEST

START_TEST(fill)
{
	struct vf_kv kv[] = {
		{ "case.id", "2026-00042" },
		{ "product.name", "${web.url} %s %n $(rm -rf /) `id`" },
		{ "vuln.summary", "one\n\ttwo\033[2J\n\nfour\xc2\x9b" },
	};
	struct vf_kv vars[] = { { "office.name", "IPA" }, { "message", "" } };
	struct vf_template t;
	struct vf_view w;
	struct vf_buf o = { 0 };
	char err[512];

	view_of(&w, kv, 3);
	put("f.ja", "Subject: s\n\n$$${case.id} ${office.name}\n"
	    "${product.name}\n${fields}\nend\n");
	ck_assert_int_eq(vf_template_load(&t, "f", "ja", err, sizeof(err)), 0);
	ck_assert_int_eq(vf_template_fill(&t, &w, vars, 2, &ft, "ja", &o, err,
	    sizeof(err)), 0);
	vf_buf_add(&o, "", 0);
	/* Copied, never interpreted: no slot, format or shell inside. */
	ck_assert_str_eq(o.p, "$2026-00042 IPA\n"
	    "${web.url} %s %n $(rm -rf /) `id`\n"
	    "受付番号: 2026-00042\n"
	    "製品名: ${web.url} %s %n $(rm -rf /) `id`\n"
	    "脆弱性の概要:\n    one\n    \ttwo?[2J\n\n    four?\n"
	    "end\n");
	vf_template_free(&t);

	/* A slot the view lacks, or an empty one, fails the notice. */
	put("g.en", "Subject: s\n\nurl ${web.url}\n");
	ck_assert_int_eq(vf_template_load(&t, "g", "en", err, sizeof(err)), 0);
	o.len = 0;
	ck_assert_int_eq(vf_template_fill(&t, &w, vars, 2, &ft, "en", &o, err,
	    sizeof(err)), EX_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "g.en:3: ${web.url} is not in the "
	    "view"));
	vf_template_free(&t);
	put("h.en", "Subject: s\n\n${message}\n");
	ck_assert_int_eq(vf_template_load(&t, "h", "en", err, sizeof(err)), 0);
	ck_assert_int_eq(vf_template_fill(&t, &w, vars, 2, &ft, "en", &o, err,
	    sizeof(err)), EX_DATAERR);
	vf_template_free(&t);
	/* ${fields} of an empty view is an empty slot too. */
	view_of(&w, kv, 0);
	put("i.en", "Subject: s\n\n${fields}\n");
	ck_assert_int_eq(vf_template_load(&t, "i", "en", err, sizeof(err)), 0);
	ck_assert_int_eq(vf_template_fill(&t, &w, NULL, 0, &ft, "en", &o, err,
	    sizeof(err)), EX_DATAERR);
	vf_template_free(&t);
	vf_buf_free(&o);
}
END_TEST

/* Every shipped template loads, and names only what can be given. */
START_TEST(shipped)
{
	static const char *const vars[] = { "office.name", "office.address",
	    "route.name", "missing", "message", "fields", NULL };
	struct vf_template t;
	char err[512], name[64];
	const char *p;
	size_t i, k, n;

	setenv("VF_SHARE", oldshare, 1);
	for (i = 0; vf_notice_kinds[i] != NULL; i++)
		for (k = 0; k < 2; k++) {
			ck_assert_int_eq(vf_template_load(&t, vf_notice_kinds[i],
			    k ? "ja" : "en", err, sizeof(err)), 0);
			for (p = t.body; (p = strstr(p, "${")) != NULL; p++) {
				n = strcspn(p + 2, "}");
				ck_assert_uint_lt(n, sizeof(name));
				memcpy(name, p + 2, n);
				name[n] = '\0';
				if (vf_fields_find(&ft, name) != NULL)
					continue;
				for (n = 0; vars[n] != NULL; n++)
					if (strcmp(vars[n], name) == 0)
						break;
				if (vars[n] == NULL)
					ck_abort_msg("%s names %s", t.path,
					    name);
			}
			vf_template_free(&t);
		}
	setenv("VF_SHARE", dir, 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_rules);
	tcase_add_test(tc, fill);
	tcase_add_test(tc, shipped);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(suite)
