/*
 * The disclosure policy and views: every class x audience x phase x
 * consent against what the design says, independently of SHARE/policy;
 * the ways a view fails closed; and a property test: for many generated
 * cases with random Japanese and English values in every field, no value
 * of a field the audience may not see appears in what is made from the
 * view (the -f record, a notice body, its base64 entity), as written,
 * NFKC-normalised, RFC 2047-encoded, base64 or quoted-printable.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

static struct vf_fields ft;
static struct vf_policy pol;

enum { SHOW, HIDE, FAIL };

/* Consent as the case states it. */
enum { C_YES, C_NO, C_ABSENT, C_UNCLEAR, NCONSENT };

static const char *const audiences[] = {
	"office", "reporter", "coordinator", "vendor", "operator", "public"
};
#define NAUD	(sizeof(audiences) / sizeof(audiences[0]))

static void
setup(void)
{
	ck_assert_int_eq(vf_share_fields(&ft), 0);
	ck_assert_int_eq(vf_share_policy(&pol, &ft), 0);
}

static void
teardown(void)
{
	vf_policy_free(&pol);
	vf_fields_free(&ft);
}

/* The consent field that governs an audience's view of the reporter. */
static const char *
consent_of(const char *aud)
{
	if (strcmp(aud, "coordinator") == 0)
		return "consent.coordinator";
	if (strcmp(aud, "vendor") == 0)
		return "consent.vendor";
	if (strcmp(aud, "operator") == 0)
		return "consent.operator";
	return NULL;
}

static int
by_consent(int cs)
{
	return cs == C_YES ? SHOW : cs == C_NO ? HIDE : FAIL;
}

/*
 * What the design's table says, written here from DESIGN §1 and the issue,
 * not from SHARE/policy: field f (of class cls) to aud, in phase, for a
 * case of kind whose governing consent (cs) and publish-name consent (pn)
 * are as given.
 */
static int
expect(const struct vf_field *f, const char *aud, int after, int kind,
    int cs, int pn)
{
	enum vf_class cls = f->class;

	if (strcmp(aud, "office") == 0)
		return SHOW;
	if (strcmp(aud, "public") == 0) {
		if (!after || cls == VF_CLASS_ATTACK)
			return HIDE;
		/*
		 * The name where the reporter asked for it, and the asking
		 * beside it: vf-advisory credits a name only with its yes.
		 */
		if (cls == VF_CLASS_REPORTER)
			return (strcmp(f->name, "reporter.name") == 0 ||
			    strcmp(f->name, "consent.publish-name") == 0) &&
			    kind == VF_KIND_SOFTWARE ? by_consent(pn) : HIDE;
		return SHOW;
	}
	if (strcmp(aud, "reporter") == 0)
		return cls == VF_CLASS_ATTACK ? HIDE : SHOW;
	/* coordinator, vendor, operator: confidential, as the case needs. */
	if (cls != VF_CLASS_REPORTER)
		return SHOW;
	/* The coordinator carries out how the vendor and public are told. */
	if (strcmp(aud, "coordinator") == 0 &&
	    (strcmp(f->name, "consent.vendor") == 0 ||
	    strcmp(f->name, "consent.publish-name") == 0))
		return SHOW;
	return by_consent(cs);
}

static void
set_consent(struct vf_case *c, const char *field, int cs)
{
	if (cs == C_YES)
		vf_case_field_set(c, field, "yes");
	else if (cs == C_NO)
		vf_case_field_set(c, field, "no");
	else if (cs == C_UNCLEAR)
		vf_case_field_set(c, field, "同意いたします");
}

/* The consent as the case states it. */
static int
case_consent(const struct vf_case *c, const char *field)
{
	const char *v;

	if (field == NULL)
		return C_YES;
	if ((v = vf_case_field(c, field)) == NULL)
		return C_ABSENT;
	return strcmp(v, "yes") == 0 ? C_YES : strcmp(v, "no") == 0 ? C_NO :
	    C_UNCLEAR;
}

/* The view fails as a whole when any field of the case cannot be decided. */
static int
view_expect(const struct vf_case *c, const char *aud, int after, int kind)
{
	size_t i;

	for (i = 0; i < c->nfield; i++)
		if (expect(vf_fields_find(&ft, c->field[i].name), aud, after,
		    kind, case_consent(c, consent_of(aud)),
		    case_consent(c, "consent.publish-name")) == FAIL)
			return FAIL;
	return SHOW;
}

static void
new_case(struct vf_case *c, int kind)
{
	vf_case_init(c, "2026-00042", "test", 1796170000);
	vf_case_set(c, "Vf-Kind", vf_kind_name(kind));
	vf_case_set(c, "Vf-Received", "2026-11-26T10:00:00Z");
}

/*
 * One representative field per class and kind, and every consent: the
 * view shows it, hides it, or fails as a whole, as expect() says.
 */
START_TEST(matrix)
{
	static const char *const reps[] = {
		"reporter.email", "reporter.name", "product.name", "web.url",
		"status.accepted", "case.id", "vuln.reproduce", "vuln.poc",
		"consent.vendor"
	};
	static const int kinds[] = { VF_KIND_SOFTWARE, VF_KIND_WEB };
	const struct vf_field *f;
	struct vf_case c;
	struct vf_view w;
	const char *aud, *gov;
	char err[512];
	size_t a, r, k, cs, pn, after, tried = 0;
	int rc, want, got, present;

	for (a = 0; a < NAUD; a++)
	for (r = 0; r < sizeof(reps) / sizeof(reps[0]); r++)
	for (k = 0; k < 2; k++)
	for (after = 0; after < 2; after++)
	for (cs = 0; cs < NCONSENT; cs++)
	for (pn = 0; pn < NCONSENT; pn++) {
		aud = audiences[a];
		f = vf_fields_find(&ft, reps[r]);
		ck_assert_ptr_nonnull(f);
		if (!(f->kinds & kinds[k]) && strncmp(f->name, "case.", 5) != 0)
			continue;
		/* The consent fields belong to their kinds. */
		if (kinds[k] == VF_KIND_WEB &&
		    strcmp(f->name, "consent.vendor") == 0)
			continue;
		new_case(&c, kinds[k]);
		if (strncmp(f->name, "case.", 5) != 0 &&
		    strcmp(f->name, "consent.vendor") != 0)
			vf_case_field_set(&c, f->name, "値 value 42");
		present = strncmp(f->name, "case.", 5) == 0;
		gov = consent_of(aud);
		/* Each consent of the kind, set as the loop says. */
		if (kinds[k] == VF_KIND_SOFTWARE) {
			set_consent(&c, "consent.coordinator",
			    gov != NULL && strcmp(gov, "consent.coordinator") ==
			    0 ? (int)cs : C_YES);
			set_consent(&c, "consent.vendor", gov != NULL &&
			    strcmp(gov, "consent.vendor") == 0 ? (int)cs :
			    strcmp(f->name, "consent.vendor") == 0 ? (int)cs :
			    C_YES);
			set_consent(&c, "consent.publish-name", (int)pn);
		} else
			set_consent(&c, "consent.operator", gov != NULL &&
			    strcmp(gov, "consent.operator") == 0 ? (int)cs :
			    C_YES);
		rc = vf_view_make(&w, &pol, &ft, &c, after ? "published" :
		    "waiting", aud, err, sizeof(err));
		want = view_expect(&c, aud, (int)after, kinds[k]);
		if (want != FAIL)
			want = expect(f, aud, (int)after, kinds[k],
			    case_consent(&c, gov), case_consent(&c,
			    "consent.publish-name"));
		/* What the case does not hold no view shows. */
		if (want == SHOW && !present && vf_case_field(&c, f->name) ==
		    NULL)
			want = HIDE;
		if (rc != 0)
			got = FAIL;
		else
			got = vf_view_get(&w, f->name) != NULL ? SHOW : HIDE;
		if (got != want)
			ck_abort_msg("%s %s publication, %s case, field %s, "
			    "consent %zu, publish-name %zu: got %d want %d (%s)",
			    aud, after ? "after" : "before",
			    vf_kind_name(kinds[k]), f->name, cs, pn, got, want,
			    rc != 0 ? err : "");
		if (rc != 0) {
			ck_assert_uint_eq(w.n, 0);
			ck_assert_ptr_null(w.v);
			/* The message names what was missing. */
			ck_assert_ptr_nonnull(strstr(err, "consent."));
		}
		vf_view_free(&w);
		vf_case_free(&c);
		tried++;
	}
	ck_assert_uint_gt(tried, 1000);
}
END_TEST

/* The ways a view fails closed, each with nothing in it. */
START_TEST(fail_closed)
{
	struct vf_case c;
	struct vf_view w;
	char err[512];

	new_case(&c, VF_KIND_SOFTWARE);
	vf_case_field_set(&c, "product.name", "Foo");
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "waiting",
	    "stranger", err, sizeof(err)), EX_USAGE);
	ck_assert_uint_eq(w.n, 0);
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, NULL, "office", err,
	    sizeof(err)), EX_CONFIG);
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "limbo", "office",
	    err, sizeof(err)), EX_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "no phase for state limbo"));
	/* A field the table does not know: no rule can cover it. */
	vf_case_field_set(&c, "reporter.shoe-size", "27");
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "waiting",
	    "office", err, sizeof(err)), EX_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "reporter.shoe-size"));
	ck_assert_uint_eq(w.n, 0);
	vf_case_field_del(&c, "reporter.shoe-size");
	/* case.* are derived, never stored: a stored one is forged. */
	vf_case_field_set(&c, "case.state", "published");
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "waiting",
	    "public", err, sizeof(err)), EX_DATAERR);
	vf_case_field_del(&c, "case.state");
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "waiting",
	    "public", err, sizeof(err)), 0);
	ck_assert_uint_eq(w.n, 0);
	vf_view_free(&w);
	/* The public after: the derived state is the folder's. */
	ck_assert_int_eq(vf_view_make(&w, &pol, &ft, &c, "published",
	    "public", err, sizeof(err)), 0);
	ck_assert_str_eq(vf_view_get(&w, "case.state"), "published");
	ck_assert_str_eq(vf_view_get(&w, "product.name"), "Foo");
	vf_view_free(&w);
	vf_case_free(&c);
}
END_TEST

static char tdir[PATH_MAX];

static int
load_text(const char *text, char *err, size_t errlen)
{
	struct vf_policy p;
	char path[PATH_MAX + 16];
	FILE *fp;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/policy", tdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	rc = vf_policy_load(&p, path, &ft, err, errlen);
	vf_policy_free(&p);
	return rc;
}

START_TEST(policy_syntax)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} bad[] = {
		{ "rule office before reporter\n", ":1: want" },
		{ "rule nobody before reporter show\n", "not an audience" },
		{ "rule office during reporter show\n", "not before or after" },
		{ "rule office before gossip show\n", "neither a class nor" },
		{ "rule office before reporter maybe\n", "not show, hide" },
		{ "rule office before reporter product.name\n",
		    "not show, hide" },
		{ "rule office before reporter show saas\n", "list of kinds" },
		{ "rule office before reporter show\n"
		  "# same level again\n"
		  "rule office before reporter hide\n", ":3: a second rule" },
		{ "rule office before reporter show web\n"
		  "rule office before reporter hide web,software\n",
		  "a second rule" },
		{ "phase limbo before\nrule office before reporter show\n",
		    "limbo: not a state" },
		{ "phase waiting before\nphase waiting after\n", "twice" },
		{ "relay public consent.vendor\n", "not coordinator" },
		{ "relay vendor reporter.name\n", "not a yesno field" },
		{ "grant office everything\n", "not phase, rule or relay" },
		{ "# nothing\n", "no rules" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_text(bad[i].text, err, sizeof(err)),
		    EX_CONFIG);
		if (strstr(err, bad[i].msg) == NULL)
			ck_abort_msg("%s: got \"%s\", want \"%s\"", bad[i].text,
			    err, bad[i].msg);
	}
	/* Different kinds are different levels: no conflict. */
	ck_assert_int_eq(load_text("rule office before reporter show web\n"
	    "rule office before reporter hide software\n"
	    "rule office before reporter show\n", err, sizeof(err)), 0);
}
END_TEST

/* A policy that lacks a rule for what a case holds shows nothing. */
START_TEST(missing_rule)
{
	struct vf_policy p;
	struct vf_case c;
	struct vf_view w;
	char path[PATH_MAX + 16], err[512];
	FILE *fp;

	(void)snprintf(path, sizeof(path), "%s/policy", tdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("phase waiting before\nrule coordinator before status show\n"
	    "rule coordinator before vulnerability show\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(vf_policy_load(&p, path, &ft, err, sizeof(err)), 0);
	new_case(&c, VF_KIND_SOFTWARE);
	vf_case_field_set(&c, "product.name", "Foo");
	ck_assert_int_eq(vf_view_make(&w, &p, &ft, &c, "waiting",
	    "coordinator", err, sizeof(err)), 0);
	ck_assert_uint_eq(w.n, 6);
	vf_view_free(&w);
	vf_case_field_set(&c, "vuln.poc", "exploit");
	ck_assert_int_eq(vf_view_make(&w, &p, &ft, &c, "waiting",
	    "coordinator", err, sizeof(err)), EX_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "no rule for the coordinator "
	    "before publication, field vuln.poc or class attack"));
	ck_assert_uint_eq(w.n, 0);
	/* A state without a phase line: nothing either. */
	ck_assert_int_eq(vf_view_make(&w, &p, &ft, &c, "routed",
	    "coordinator", err, sizeof(err)), EX_CONFIG);
	vf_case_free(&c);
	vf_policy_free(&p);
	/* And an unreadable policy. */
	(void)snprintf(path, sizeof(path), "%s/none", tdir);
	ck_assert_int_eq(vf_policy_load(&p, path, &ft, err, sizeof(err)),
	    EX_NOINPUT);
	vf_policy_free(&p);
}
END_TEST

/* ---- the property test --------------------------------------------- */

static unsigned long long rng;

static unsigned
rnd(unsigned n)
{
	/* xorshift64*: reproducible from the seed printed on failure. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 2685821657736338717ULL) >> 33) % n;
}

/* Pieces values are made of: kana, kanji, full-width, Latin, digits. */
static const char *const atoms[] = {
	"あ", "い", "う", "ね", "こ", "カ", "キ", "ク", "ソ", "フ", "ト",
	"脆", "弱", "性", "製", "品", "名", "東", "京", "都", "山", "田",
	"Ａ", "Ｂ", "ｚ", "０", "９", "＠", "ｶ", "ﾀ", "ﾅ", "①", "㈱", "〒",
	"a", "b", "c", "x", "y", "z", "Q", "K", "0", "7", "@", ".", "-", "_",
	"é", "ß", " ", " ", "\n"
};
#define NATOMS	(sizeof(atoms) / sizeof(atoms[0]))

/*
 * A value unlike any other: 10 to 40 atoms, lines of at least 8 atoms (a
 * shorter one could turn up in another value by chance, 53^8 to one).
 */
static char *
value(void)
{
	struct vf_buf b = { 0 };
	unsigned n = 10 + rnd(31), i, run = 1;
	const char *a;

	vf_buf_adds(&b, atoms[rnd(22)]);
	for (i = 0; i < n; i++) {
		a = atoms[rnd(NATOMS)];
		if (a[0] == '\n' && (run < 8 || i + 8 > n))
			a = "ﾐ";
		run = a[0] == '\n' ? 0 : run + 1;
		vf_buf_adds(&b, a);
	}
	vf_buf_adds(&b, atoms[22 + rnd(12)]);
	return vf_buf_take(&b, NULL);
}

/* Quoted-printable (RFC 2045) of s, soft breaks left out. */
static void
qp(struct vf_buf *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if ((*p >= 33 && *p <= 126 && *p != '=') || *p == ' ')
			vf_buf_addc(o, *p);
		else
			vf_buf_printf(o, "=%02X", *p);
}

static void
b64(struct vf_buf *o, const char *s, size_t n)
{
	struct vf_buf t = { 0 };
	size_t i;

	vf_base64_encode(&t, s, n);
	for (i = 0; i < t.len; i++)
		if (t.p[i] != '\n')
			vf_buf_addc(o, t.p[i]);
	vf_buf_free(&t);
}

static int
found(const struct vf_buf *out, const char *needle, size_t n)
{
	return n >= 6 && memmem(out->p, out->len, needle, n) != NULL;
}

/*
 * Does any form of v show in out? v is searched line by line (each line
 * of a value is written on its own line), as written and NFKC'd, and in
 * the encodings a mail could carry it in.
 */
static const char *
leaked(const struct vf_buf *out, const struct vf_buf *flat, const char *v)
{
	struct vf_buf e = { 0 };
	char *lines = vf_strdup(v), *p = lines, *ln, *n;
	const char *why = NULL;
	size_t k;

	while (why == NULL && (ln = strsep(&p, "\n")) != NULL) {
		if (strlen(ln) < 8)
			continue;
		if (found(out, ln, strlen(ln)))
			why = "as written";
		else if ((n = vf_nfkc(ln)) != NULL) {
			if (found(out, n, strlen(n)))
				why = "NFKC";
			free(n);
		}
		if (why != NULL)
			break;
		e.len = 0;
		vf_hdr_encode(&e, ln, 0);
		/* Each encoded word of the line on its own. */
		{
			char *w = vf_strndup(e.p, e.len), *q = w, *t;

			while ((t = strsep(&q, " \n")) != NULL)
				/* Short words could match by chance. */
				if (strncmp(t, "=?", 2) == 0 &&
				    strlen(t) >= 12 + 24 &&
				    found(out, t + 10, strlen(t + 10) - 2)) {
					why = "RFC 2047";
					break;
				}
			free(w);
		}
		/* Base64 at each of the three offsets a line can start at. */
		for (k = 0; why == NULL && k < 3 && k < strlen(ln); k++) {
			size_t m = (strlen(ln) - k) / 3 * 3;

			e.len = 0;
			b64(&e, ln + k, m);
			if (found(flat, e.p, e.len))
				why = "base64";
		}
		e.len = 0;
		qp(&e, ln);
		if (why == NULL && found(out, e.p, e.len))
			why = "quoted-printable";
	}
	free(lines);
	vf_buf_free(&e);
	return why;
}

START_TEST(property)
{
	struct vf_template t;
	struct vf_case c;
	struct vf_view w;
	struct vf_buf out = { 0 }, flat = { 0 }, body = { 0 };
	const struct vf_field *f;
	char err[512], *vals[200];
	const char *state, *why;
	unsigned long long seed;
	size_t n, i, a, k, views = 0, hidden = 0, failed = 0;
	int kind, cs[4], pn, after, e, gcs;
	static const char *const cons[] = { "consent.coordinator",
	    "consent.vendor", "consent.operator", "consent.publish-name" };
	static const int kinds[] = { VF_KIND_SOFTWARE, VF_KIND_WEB,
	    VF_KIND_VENDOR };

	seed = getenv("VF_SEED") != NULL ?
	    strtoull(getenv("VF_SEED"), NULL, 10) : 20261202ULL;
	rng = seed;
	memset(&t, 0, sizeof(t));
	t.path = "property";
	t.body = "${fields}\n";
	ck_assert_uint_le(ft.n, 200);
	for (n = 0; n < 600; n++) {
		kind = kinds[rnd(3)];
		after = (int)rnd(2);
		state = after ? "published" : vf_states[rnd(14)];
		if (vf_state_published(state))
			after = 1;
		new_case(&c, kind);
		for (i = 0; i < ft.n; i++) {
			vals[i] = NULL;
			f = &ft.f[i];
			if (strncmp(f->name, "case.", 5) == 0 ||
			    !(f->kinds & kind))
				continue;
			for (k = 0; k < 4; k++)
				if (strcmp(f->name, cons[k]) == 0)
					break;
			if (k < 4) {
				/* Mostly clear answers, some unclear, some none. */
				unsigned r = rnd(10);

				cs[k] = r < 4 ? C_YES : r < 8 ? C_NO : r < 9 ?
				    C_ABSENT : C_UNCLEAR;
				if (cs[k] == C_UNCLEAR) {
					vals[i] = value();
					vf_case_field_set(&c, f->name, vals[i]);
				} else
					set_consent(&c, f->name, cs[k]);
				continue;
			}
			vals[i] = value();
			vf_case_field_set(&c, f->name, vals[i]);
		}
		for (a = 0; a < NAUD; a++) {
			const char *aud = audiences[a], *gov = consent_of(aud);

			gcs = case_consent(&c, gov);
			pn = case_consent(&c, "consent.publish-name");
			out.len = flat.len = body.len = 0;
			e = vf_view_make(&w, &pol, &ft, &c, state, aud, err,
			    sizeof(err));
			views++;
			if (e != 0) {
				/* Failing is right only where it is due. */
				ck_assert_int_eq(view_expect(&c, aud, after,
				    kind), FAIL);
				failed++;
				vf_view_free(&w);
				continue;
			}
			/* What a view is made into: a record, a notice. */
			vf_view_write(&w, &out);
			if (w.n > 0) {
				ck_assert_int_eq(vf_template_fill(&t, &w, NULL,
				    0, &ft, rnd(2) ? "ja" : "en", &body, err,
				    sizeof(err)), 0);
				vf_buf_add(&out, body.p, body.len);
				vf_mail_entity(&flat, body.p, body.len);
			}
			vf_buf_add(&out, flat.p != NULL ? flat.p : "",
			    flat.len);
			/* The base64 without its line breaks, searchable. */
			{
				struct vf_buf s = { 0 };

				for (i = 0; i < flat.len; i++)
					if (flat.p[i] != '\r' &&
					    flat.p[i] != '\n')
						vf_buf_addc(&s, flat.p[i]);
				vf_buf_free(&flat);
				flat = s;
				vf_buf_add(&flat, "", 0);
			}
			vf_buf_add(&out, "", 0);
			ck_assert_int_ne(view_expect(&c, aud, after, kind),
			    FAIL);
			for (i = 0; i < ft.n; i++) {
				if (vals[i] == NULL ||
				    expect(&ft.f[i], aud, after, kind, gcs,
				    pn) == SHOW)
					continue;
				hidden++;
				if ((why = leaked(&out, &flat, vals[i])) !=
				    NULL)
					ck_abort_msg("seed %llu case %zu: %s "
					    "of %s reached the %s in %s (%s)",
					    seed, n, why, ft.f[i].name, aud,
					    state, vals[i]);
			}
			vf_view_free(&w);
		}
		for (i = 0; i < ft.n; i++)
			free(vals[i]);
		vf_case_free(&c);
	}
	vf_buf_free(&out);
	vf_buf_free(&flat);
	vf_buf_free(&body);
	/* The test tested something: many views, many hidden values. */
	ck_assert_uint_gt(views - failed, 1000);
	ck_assert_uint_gt(hidden, 10000);
}
END_TEST

/* The searches find what they look for (or the property proves nothing). */
START_TEST(searches_work)
{
	struct vf_buf out = { 0 }, flat = { 0 }, e = { 0 };
	const char *v = "Ｔｏｋｙｏ 東京都 secret-42";
	char *n;
	size_t k;

	vf_buf_adds(&out, "x Ｔｏｋｙｏ 東京都 secret-42 y");
	vf_buf_add(&out, "", 0);
	ck_assert_str_eq(leaked(&out, &out, v), "as written");
	out.len = 0;
	n = vf_nfkc(v);
	vf_buf_adds(&out, n);
	free(n);
	ck_assert_str_eq(leaked(&out, &out, v), "NFKC");
	out.len = 0;
	vf_hdr_encode(&out, v, 9);
	ck_assert_str_eq(leaked(&out, &out, v), "RFC 2047");
	for (k = 0; k < 3; k++) {
		out.len = flat.len = 0;
		vf_buf_add(&e, "", 0);
		e.len = 0;
		vf_buf_add(&e, "abc", k);
		vf_buf_adds(&e, v);
		b64(&flat, e.p, e.len);
		vf_buf_add(&flat, "", 0);
		vf_buf_adds(&out, "-");
		ck_assert_str_eq(leaked(&out, &flat, v), "base64");
	}
	out.len = 0;
	qp(&out, v);
	ck_assert_str_eq(leaked(&out, &out, v), "quoted-printable");
	vf_buf_free(&out);
	vf_buf_free(&flat);
	vf_buf_free(&e);
}
END_TEST

static void
tsetup(void)
{
	const char *t = getenv("TMPDIR");

	setup();
	(void)snprintf(tdir, sizeof(tdir), "%s/vf-redact.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
}

static void
tteardown(void)
{
	char p[PATH_MAX + 16];

	(void)snprintf(p, sizeof(p), "%s/policy", tdir);
	(void)unlink(p);
	(void)rmdir(tdir);
	teardown();
}

static Suite *
suite(void)
{
	Suite *s = suite_create("redact");
	TCase *tc = tcase_create("redact");

	tcase_add_checked_fixture(tc, tsetup, tteardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, matrix);
	tcase_add_test(tc, fail_closed);
	tcase_add_test(tc, policy_syntax);
	tcase_add_test(tc, missing_rule);
	tcase_add_test(tc, searches_work);
	tcase_add_test(tc, property);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(suite)
