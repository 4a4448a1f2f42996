/*
 * The form parser, on the shipped forms and examples and on careless,
 * quoted, hostile and huge input.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

static struct vf_fields T;

static void
share_path(char *buf, size_t len, const char *rel)
{
	const char *share = getenv("VF_SHARE");

	if (share == NULL || *share == '\0')
		share = "share";
	ck_assert_int_lt(snprintf(buf, len, "%s/%s", share, rel), (int)len);
}

static void
setup(void)
{
	char path[PATH_MAX], err[256];
	int rc;

	share_path(path, sizeof(path), "fields");
	rc = vf_fields_load(&T, path, err, sizeof(err));
	ck_assert_msg(rc == 0, "load %s: %d %s", path, rc, err);
}

static void
teardown(void)
{
	vf_fields_free(&T);
}

static char *
slurp(const char *rel, size_t *len)
{
	char path[PATH_MAX];
	struct vf_buf b = { 0 };
	int fd;

	share_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd != -1, "open %s", path);
	ck_assert_int_eq(vf_buf_readfd(&b, fd, 1 << 20), 0);
	ck_assert_int_eq(close(fd), 0);
	return vf_buf_take(&b, len);
}

static const char *
get(const struct vf_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}

/* Fields come out in table order, named from the table, never empty. */
static void
check_order(const struct vf_form *f)
{
	const struct vf_field *a, *b;
	size_t i;

	for (i = 0; i < f->n; i++) {
		ck_assert_ptr_nonnull(a = vf_fields_find(&T, f->v[i].name));
		ck_assert_str_ne(f->v[i].value, "");
		if (i > 0) {
			b = vf_fields_find(&T, f->v[i - 1].name);
			ck_assert_msg(b < a, "%s after %s", f->v[i - 1].name,
			    f->v[i].name);
		}
	}
}

static void
parse(struct vf_form *f, int kind, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	ck_assert_uint_eq(vf_form_parse(f, &T, text, strlen(text)), f->n);
	check_order(f);
}

static void
parse_example(struct vf_form *f, int kind, const char *rel)
{
	char *text;
	size_t len;

	text = slurp(rel, &len);
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	ck_assert_uint_eq(vf_form_parse(f, &T, text, len), f->n);
	check_order(f);
	free(text);
}

#define EQ(f, name, want) do {						\
	const char *got_ = get((f), (name));				\
	ck_assert_msg(got_ != NULL, "%s missing", (name));		\
	ck_assert_str_eq(got_, (want));					\
} while (0)
#define NONE(f, name)	ck_assert_msg(get((f), (name)) == NULL,	\
	"%s: unexpected \"%s\"", (name), get((f), (name)))

/* ---- the kind ---------------------------------------------------------- */

START_TEST(kind_subject)
{
	static const struct {
		const char	*subject;
		int		 kind;
	} cases[] = {
		{ "ソフトウエア製品脆弱性関連情報の届出", VF_KIND_SOFTWARE },
		{ "ソフトウェア製品脆弱性関連情報の届出", VF_KIND_SOFTWARE },
		{ "Re: 【VF#2026-00042】ソフトウエア製品脆弱性関連情報の届出",
		    VF_KIND_SOFTWARE },
		{ "ソフトウエア製品開発者による脆弱性関連情報の届出",
		    VF_KIND_VENDOR },
		{ "自社製品に関する脆弱性関連情報の届出", VF_KIND_VENDOR },
		{ "ウェブアプリケーション脆弱性関連情報の届出", VF_KIND_WEB },
		{ "ウエブアプリケーション脆弱性関連情報の届出", VF_KIND_WEB },
		{ "ウェブアプリケーション 脆弱性関連情報の届出", VF_KIND_WEB },
		{ "Software Vulnerability Report", VF_KIND_SOFTWARE },
		{ "re: SOFTWARE vulnerability REPORT (ExampleDB)",
		    VF_KIND_SOFTWARE },
		{ "Web Application Vulnerability Report", VF_KIND_WEB },
		{ "Fwd: web application  vulnerability report", VF_KIND_WEB },
		{ "Ｗｅｂ　Ａｐｐｌｉｃａｔｉｏｎ Vulnerability Report",
		    VF_KIND_WEB },
		{ "Vendor Vulnerability Report", VF_KIND_VENDOR },
		{ "脆弱性のご連絡", 0 },
		{ "Vulnerability Report", 0 },
		{ "", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(vf_form_kind_subject(cases[i].subject) ==
		    cases[i].kind, "%s", cases[i].subject);
	ck_assert_int_eq(vf_form_kind_subject(NULL), 0);
}
END_TEST

START_TEST(kind_guess)
{
	struct vf_form f;

	/* A site and a product, no kind named: doubtful, for staff. */
	parse(&f, 0, "URL: https://www.example.jp/\n製品名：X\n");
	ck_assert_int_eq(f.kind, 0);
	vf_form_free(&f);
	parse(&f, 0, "URL: https://www.example.jp/\n氏名：X\n");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	vf_form_free(&f);
	parse(&f, 0, "製品名：X\n");
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	vf_form_free(&f);
	parse(&f, 0, "氏名：X\n");
	ck_assert_int_eq(f.kind, 0);
	vf_form_free(&f);
	/* A title line in the text names the kind, as the forms' do. */
	parse(&f, 0, "件名：ソフトウエア製品開発者による脆弱性関連情報の届出\n"
	    "製品名：X\n");
	ck_assert_int_eq(f.kind, VF_KIND_VENDOR);
	vf_form_free(&f);
	/* A kind given on entry is kept. */
	parse(&f, VF_KIND_VENDOR, "URL: https://www.example.jp/\n");
	ck_assert_int_eq(f.kind, VF_KIND_VENDOR);
	vf_form_free(&f);
}
END_TEST

/* ---- the shipped forms ------------------------------------------------- */

/* The first box of a line marked, in the form's style. */
static void
mark(char *line, int ja)
{
	char *p;

	if (ja) {
		ck_assert_ptr_nonnull(p = strstr(line, "\xe2\x96\xa1"));
		memcpy(p, "\xe2\x96\xa0", 3);		/* □ to ■ */
	} else {
		ck_assert_ptr_nonnull(p = strstr(line, "[ ]"));
		p[1] = 'x';
	}
}

/* What the first choice of an item line means, as the form offers it. */
static const char *
first_choice(const char *line)
{
	static const struct {
		const char	*word;
		const char	*means;
	} choices[] = {
		{ "\xe2\x96\xa1 希望する", "yes" },
		{ "\xe2\x96\xa1 不要", "no" },
		{ "\xe2\x96\xa1 届出をしていない", "no" },
		{ "[ ] yes", "yes" },
		{ "[ ] not reported", "no" },
		{ "[ ] not needed", "no" },
	};
	size_t i;

	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (strstr(line, choices[i].word) != NULL)
			return choices[i].means;
	ck_abort_msg("no known choice in \"%s\"", line);
	return NULL;
}

/* A choice among sentences in a form: option k answers so. */
struct option {
	const char	*field[3];
	const char	*value[3];
};

/*
 * Every "N.M label" line of a form with a colon names a field of the
 * table by one of its labels exactly, in the form's language; filling
 * each in gives that field that value, and marking the first box of a
 * choice on the line gives what that choice means. The sentences offered
 * as boxes below a line without a colon are each marked in turn, and
 * give what opt[k] says.
 */
static void
check_form(const char *rel, int ja, int kind, const struct option *opt,
    size_t nopt)
{
	struct vf_buf filled = { 0 }, chose = { 0 };
	struct vf_form f;
	const struct vf_field *fld;
	char *text, *line, *rest, *p, *lab, want[64][64], *copy;
	const char *names[64];
	size_t len, i, j, k, nl = 0, nyesno = 0, nbox, o;
	int found;

	text = slurp(rel, &len);
	copy = vf_strdup(text);
	for (rest = copy; (line = strsep(&rest, "\n")) != NULL; ) {
		for (p = line; *p == ' '; p++)
			;
		/* "1.1 " .. "2.12 " */
		if (!(p[0] >= '1' && p[0] <= '9' && p[1] == '.' &&
		    p[2] >= '1' && p[2] <= '9')) {
			vf_buf_printf(&filled, "%s\n", line);
			continue;
		}
		lab = strchr(p, ' ') + 1;
		if (strchr(lab, ':') == NULL &&
		    strstr(lab, "\xef\xbc\x9a") == NULL) {
			/* A choice among sentences below it. */
			vf_buf_printf(&filled, "%s\n", line);
			continue;
		}
		/* The label ends at a hint in parentheses or at the colon. */
		k = strlen(lab);
		for (j = 0; j < 4; j++) {
			static const char *const ends[] = {
				"(", ":", "\xef\xbc\x88", "\xef\xbc\x9a"
			};	/* ( : （ ： */
			if ((p = strstr(lab, ends[j])) != NULL &&
			    (size_t)(p - lab) < k)
				k = (size_t)(p - lab);
		}
		while (k > 0 && lab[k - 1] == ' ')
			k--;
		found = 0;
		for (i = 0; i < T.n && !found; i++) {
			fld = &T.f[i];
			/* A label names one field of each kind at most. */
			for (j = 0; (fld->kinds & kind) &&
			    j < (ja ? fld->nja : fld->nen); j++) {
				p = ja ? fld->ja[j] : fld->en[j];
				if (strlen(p) == k && strncmp(p, lab, k) == 0) {
					found = 1;
					break;
				}
			}
		}
		ck_assert_msg(found, "%s: label \"%.*s\" not in the table",
		    rel, (int)k, lab);
		fld = &T.f[i - 1];
		ck_assert_msg(fld->kinds & kind, "%s: %s not of this kind",
		    rel, fld->name);
		ck_assert_uint_lt(nl, 64);
		names[nl] = fld->name;
		if (fld->format == VF_FMT_YESNO) {
			nyesno++;
			(void)snprintf(want[nl], sizeof(want[nl]), "%s",
			    first_choice(line));
			mark(line, ja);
			vf_buf_printf(&filled, "%s\n", line);
		} else {
			(void)snprintf(want[nl], sizeof(want[nl]),
			    fld->format == VF_FMT_URL ?
			    "https://v%zu.example.jp/" :
			    fld->format == VF_FMT_EMAIL ? "v%zu@example.jp" :
			    "value %zu", nl);
			vf_buf_printf(&filled, "%s %s\n", line, want[nl]);
		}
		nl++;
	}
	free(copy);
	ck_assert_uint_ge(nl, 10);

	/* The blank form: only its unanswered choices come out, as written. */
	memset(&f, 0, sizeof(f));
	ck_assert_uint_eq(vf_form_parse(&f, &T, text, 0), 0);
	vf_form_free(&f);
	memset(&f, 0, sizeof(f));
	k = nopt > 0 ? 1 : 0;
	while (nopt > 0 && k < 3 && opt[0].field[k] != NULL)
		k++;
	ck_assert_uint_eq(vf_form_parse(&f, &T, text, len), nyesno + k);
	ck_assert_int_eq(f.kind, kind);
	for (i = 0; i < f.n; i++) {
		ck_assert_str_ne(f.v[i].value, "yes");
		ck_assert_str_ne(f.v[i].value, "no");
	}
	vf_form_free(&f);

	memset(&f, 0, sizeof(f));
	ck_assert_uint_eq(vf_form_parse(&f, &T, filled.p, filled.len),
	    nl + k);
	ck_assert_int_eq(f.kind, kind);
	check_order(&f);
	for (i = 0; i < nl; i++)
		EQ(&f, names[i], want[i]);
	vf_form_free(&f);

	/* Each sentence of the choice marked in turn. */
	for (o = 0; o < nopt; o++) {
		chose.len = 0;
		copy = vf_strdup(filled.p);
		nbox = 0;
		for (rest = copy; (line = strsep(&rest, "\n")) != NULL; ) {
			for (p = line; *p == ' '; p++)
				;
			if (strncmp(p, ja ? "\xe2\x96\xa1" : "[ ]", 3) == 0 &&
			    nbox++ == o)
				mark(line, ja);
			vf_buf_printf(&chose, "%s\n", line);
		}
		free(copy);
		ck_assert_uint_eq(nbox, nopt);
		memset(&f, 0, sizeof(f));
		(void)vf_form_parse(&f, &T, chose.p, chose.len);
		for (j = 0; j < 3 && opt[o].field[j] != NULL; j++)
			ck_assert_msg(get(&f, opt[o].field[j]) != NULL &&
			    strcmp(get(&f, opt[o].field[j]), opt[o].value[j]) ==
			    0, "%s: option %zu: %s is \"%s\", want %s", rel, o + 1,
			    opt[o].field[j], get(&f, opt[o].field[j]),
			    opt[o].value[j]);
		vf_form_free(&f);
	}
	vf_buf_free(&chose);
	vf_buf_free(&filled);
	free(text);
}

static const struct option software_opts[] = {
	{ { "consent.coordinator", "consent.vendor" }, { "yes", "yes" } },
	{ { "consent.coordinator", "consent.vendor" }, { "yes", "no" } },
	{ { "consent.coordinator", "consent.vendor" }, { "no", "no" } },
};
static const struct option web_opts[] = {
	{ { "consent.operator" }, { "yes" } },
	{ { "consent.operator" }, { "no" } },
};

START_TEST(form_software_ja)
{
	check_form("forms/software.ja.txt", 1, VF_KIND_SOFTWARE, software_opts,
	    3);
}
END_TEST

START_TEST(form_software_en)
{
	check_form("forms/software.en.txt", 0, VF_KIND_SOFTWARE, software_opts,
	    3);
}
END_TEST

START_TEST(form_web_ja)
{
	check_form("forms/web.ja.txt", 1, VF_KIND_WEB, web_opts, 2);
}
END_TEST

START_TEST(form_web_en)
{
	check_form("forms/web.en.txt", 0, VF_KIND_WEB, web_opts, 2);
}
END_TEST

START_TEST(form_vendor_ja)
{
	check_form("forms/vendor.ja.txt", 1, VF_KIND_VENDOR, NULL, 0);
}
END_TEST

START_TEST(form_vendor_en)
{
	check_form("forms/vendor.en.txt", 0, VF_KIND_VENDOR, NULL, 0);
}
END_TEST

/* ---- the shipped examples ---------------------------------------------- */

/*
 * vf_form_prepare (vf-parse builds a kind's label index while gpg
 * decrypts): whatever kind is prepared, the parse of every example as
 * every kind is the one a table with nothing prepared gives.
 */
START_TEST(prepare_same)
{
	static const char *ex[] = { "examples/software-ja.txt",
	    "examples/software-en.txt", "examples/web-ja.txt",
	    "examples/web-en.txt", "examples/web-ipa-ja.txt" };
	static const int kinds[] = { 0, VF_KIND_SOFTWARE, VF_KIND_WEB,
	    VF_KIND_VENDOR };
	struct vf_fields t;
	struct vf_form a, b;
	char path[PATH_MAX], err[256], *text;
	size_t e, i, j, k, len;

	share_path(path, sizeof(path), "fields");
	for (e = 0; e < sizeof(ex) / sizeof(ex[0]); e++) {
		text = slurp(ex[e], &len);
		for (i = 0; i < 4; i++) {
			memset(&a, 0, sizeof(a));
			a.kind = kinds[i];
			ck_assert_int_eq(vf_fields_load(&t, path, err,
			    sizeof(err)), 0);
			vf_form_parse(&a, &t, text, len);
			vf_fields_free(&t);
			for (j = 0; j < 4; j++) {
				ck_assert_int_eq(vf_fields_load(&t, path, err,
				    sizeof(err)), 0);
				vf_form_prepare(&t, kinds[j]);
				memset(&b, 0, sizeof(b));
				b.kind = kinds[i];
				vf_form_parse(&b, &t, text, len);
				ck_assert_msg(a.kind == b.kind && a.n == b.n,
				    "%s as %d, %d prepared: kind %d/%d, %zu/%zu "
				    "fields", ex[e], kinds[i], kinds[j], a.kind,
				    b.kind, a.n, b.n);
				for (k = 0; k < a.n; k++) {
					ck_assert_str_eq(a.v[k].name, b.v[k].name);
					ck_assert_str_eq(a.v[k].value,
					    b.v[k].value);
				}
				vf_form_free(&b);
				vf_fields_free(&t);
			}
			vf_form_free(&a);
		}
		free(text);
	}
	/* No table, an empty one, kind 0: nothing to do, no harm. */
	vf_form_prepare(NULL, VF_KIND_WEB);
	memset(&t, 0, sizeof(t));
	vf_form_prepare(&t, VF_KIND_WEB);
}
END_TEST

START_TEST(example_software_ja)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/software-ja.txt");
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	ck_assert_uint_eq(f.n, 21);
	EQ(&f, "reporter.name", "佐藤 花子");
	EQ(&f, "reporter.email", "hanako.sato@example.jp");
	EQ(&f, "reporter.phone", "03-5555-0142");
	EQ(&f, "reporter.address",
	    "〒100-0000\n東京都千代田区例町1-2-3 サンプルビル4階");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "yes");
	EQ(&f, "consent.publish-name", "no");
	EQ(&f, "product.name", "はやぶさメーラー");
	EQ(&f, "product.version", "3.2.1 およびそれ以前");
	EQ(&f, "vuln.environment",
	    "Windows 11 Pro 23H2、はやぶさメーラー 3.2.1（既定の設定）");
	EQ(&f, "vuln.reproduce",
	    "1. 添付の poc.eml を受信箱に置く。\n"
	    "2. はやぶさメーラーを起動し、当該メールを選択して"
	    "プレビューを表示する。\n"
	    "3. 192.0.2.10 の検証用サーバへ接続が発生し、"
	    "アプリケーションが異常終了する。");
	EQ(&f, "vuln.workaround",
	    "設定で「HTML メールをテキストとして表示する」を有効にする。");
	EQ(&f, "other.reported", "no");
	NONE(&f, "other.orgs");
	NONE(&f, "contact.remarks");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "contact.pgp-key",
	    "指紋 0000 1111 2222 3333 4444  5555 6666 7777 8888 9999");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_web_ja)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/web-ja.txt");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	ck_assert_uint_eq(f.n, 15);
	EQ(&f, "reporter.name", "田中 一郎");
	NONE(&f, "reporter.phone");
	EQ(&f, "consent.operator", "no");
	EQ(&f, "web.url", "https://shop.example.jp/search");
	EQ(&f, "web.operator", "例示商店株式会社");
	/* A cwe value is folded to ASCII, its parentheses too. */
	EQ(&f, "web.type", "クロスサイト・スクリプティング(CWE-79)");
	EQ(&f, "web.discovery",
	    "商品を検索した際、検索語がそのまま結果ページの見出しに"
	    "表示されることに\n"
	    "気付きました。\n\n"
	    "検索語に「<」を含めたところ、エスケープされずに表示されました。");
	EQ(&f, "vuln.threat",
	    "利用者のセッションの乗っ取り、偽の入力フォームの表示。");
	EQ(&f, "other.reported", "no");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "no");
	EQ(&f, "contact.remarks",
	    "平日の日中はメールを確認できないことがあります。");
	vf_form_free(&f);
}
END_TEST

/* IPA's web layout, the demo's: every item of it read. */
START_TEST(example_web_ipa_ja)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/web-ipa-ja.txt");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	ck_assert_uint_eq(f.n, 18);
	EQ(&f, "reporter.name", "山田 太郎");
	EQ(&f, "reporter.email", "taro@example.jp");
	EQ(&f, "reporter.phone", "03-5555-0101");
	EQ(&f, "reporter.fax", "03-5555-0102");
	EQ(&f, "reporter.org", "例示セキュリティ研究会");
	EQ(&f, "consent.operator", "yes");
	EQ(&f, "web.url", "https://yoyaku.example-city.lg.jp/facility/reserve");
	EQ(&f, "web.operator", "例示市 総務部 情報政策課");
	EQ(&f, "web.type", "アクセス制御の不備(CWE-639)");
	EQ(&f, "web.discovery",
	    "自分の予約を確認する画面で、URL の reserve_id を書き換えたところ、\n"
	    "他の利用者の予約内容が表示されました。");
	EQ(&f, "web.reason",
	    "ログインしている利用者であれば、番号を変えるだけで他人の氏名、\n"
	    "電話番号、利用日時を閲覧できるためです。");
	EQ(&f, "vuln.reproduce",
	    "1. 任意の利用者でログインし、予約を一件行う。\n"
	    "2. 予約確認画面の URL の reserve_id を 1 減らして開く。\n"
	    "3. 別の利用者の予約内容が表示される。");
	EQ(&f, "vuln.threat",
	    "利用者の個人情報の漏えい、なりすましによる予約の取り消し。");
	EQ(&f, "other.reported", "no");
	NONE(&f, "other.orgs");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "contact.pgp-key", "このメールに署名した鍵をお使いください。");
	EQ(&f, "contact.remarks",
	    "確認のため、予約は自分のものを一件だけ作成し、すでに取り消しました。");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_software_en)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/software-en.txt");
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	ck_assert_uint_eq(f.n, 20);
	EQ(&f, "reporter.name", "John Example");
	EQ(&f, "reporter.phone", "+1 555 0100");
	NONE(&f, "reporter.address");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	EQ(&f, "consent.publish-name", "yes");
	EQ(&f, "product.vendor", "Example Data Systems K.K.");
	EQ(&f, "vuln.summary",
	    "The replication listener accepts a LOGIN packet whose user name "
	    "length\n"
	    "field is larger than the packet, and reads past the end of its "
	    "buffer.\n"
	    "An unauthenticated client can crash the server.");
	/* Written on the label line, continued below: one paragraph. */
	EQ(&f, "vuln.environment",
	    "Debian 12 on x86-64, ExampleDB Server 5.0.7 built from\n"
	    "the vendor's source release with default options.");
	EQ(&f, "vuln.poc", "crash.py is attached to this mail.");
	EQ(&f, "other.reported", "no");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "contact.pgp-key",
	    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
	    "(an invented placeholder, not a real key)\n"
	    "-----END PGP PUBLIC KEY BLOCK-----");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_web_en)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/web-en.txt");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	ck_assert_uint_eq(f.n, 13);
	EQ(&f, "reporter.email", "lena.sample@example.com");
	EQ(&f, "consent.operator", "yes");
	EQ(&f, "web.url", "https://www.example.jp/member/");
	EQ(&f, "web.type", "CWE-89");
	EQ(&f, "vuln.reproduce",
	    "1. Log in at https://www.example.jp/member/login\n"
	    "2. Set the nickname to: test'\n"
	    "3. The profile page shows \"SQL syntax error near 'test''\".");
	EQ(&f, "other.reported", "yes");
	EQ(&f, "other.orgs",
	    "The site operator's contact form (2026-01-05); no answer yet.");
	EQ(&f, "contact.encrypt", "no");
	NONE(&f, "contact.remarks");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_careless_ja)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/careless-ja.txt");
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	ck_assert_uint_eq(f.n, 17);
	EQ(&f, "reporter.name", "高橋　健太");
	EQ(&f, "reporter.email", "kenta.takahashi@example.jp");
	/* Full-width digits become ASCII where the format wants ASCII. */
	EQ(&f, "reporter.phone", "03-5555-0198");
	EQ(&f, "reporter.org", "株式会社テスト商事　情報システム部");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	EQ(&f, "consent.publish-name", "no");
	EQ(&f, "product.name", "ＦｏｏＣＭＳ");
	EQ(&f, "product.version", "２．４．１");
	EQ(&f, "product.vendor", "有限会社フー開発");
	EQ(&f, "vuln.summary",
	    "管理画面のファイルアップロード機能で拡張子の検査が不十分なため、\n"
	    "任意の PHP ファイルをアップロードして実行できます。");
	EQ(&f, "vuln.reproduce",
	    "1. 管理者としてログインする。\n"
	    "2. 「メディア」→「アップロード」で shell.php.jpg を"
	    "アップロードする。\n"
	    "3. http://192.0.2.44/uploads/shell.php.jpg を開くと "
	    "PHP として実行される。");
	EQ(&f, "vuln.threat", "サーバ上で任意のコードを実行される。");
	EQ(&f, "vuln.workaround", "アップロード機能を無効にする。");
	EQ(&f, "other.reported", "no");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "yes");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_careless_en)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/careless-en.txt");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	ck_assert_uint_eq(f.n, 13);
	EQ(&f, "reporter.name", "Maria Lindqvist");
	EQ(&f, "reporter.email", "maria.lindqvist@example.com");
	EQ(&f, "reporter.org", "Independent researcher");
	EQ(&f, "web.url", "https://books.example.jp/account/orders?id=1001");
	EQ(&f, "web.type", "Insecure direct object reference (CWE-639)");
	EQ(&f, "web.discovery",
	    "When I looked at my own order I changed the id in the address "
	    "bar by\n"
	    "mistake and saw another customer's order with their name and "
	    "address.");
	EQ(&f, "vuln.reproduce",
	    "1. Log in with any account.\n"
	    "2. Open https://books.example.jp/account/orders?id=1002\n"
	    "3. Another customer's order is shown.");
	EQ(&f, "consent.operator", "yes");
	EQ(&f, "other.reported", "no");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "contact.final-report", "yes");
	/* "Thanks,\nMaria" closes the mail; it is no part of the key. */
	EQ(&f, "contact.pgp-key",
	    "Key fingerprint 0123 4567 89AB CDEF 0123  "
	    "4567 89AB CDEF 0123 4567");
	vf_form_free(&f);
}
END_TEST

START_TEST(example_followup)
{
	struct vf_form f;

	parse_example(&f, 0, "examples/followup-ja.txt");
	ck_assert_uint_eq(f.n, 0);
	ck_assert_ptr_null(f.v);
	ck_assert_int_eq(f.kind, 0);
	vf_form_free(&f);
	parse_example(&f, VF_KIND_SOFTWARE, "examples/followup-ja.txt");
	ck_assert_uint_eq(f.n, 0);
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	vf_form_free(&f);
}
END_TEST

/* ---- labels ------------------------------------------------------------ */

START_TEST(label_decorations)
{
	static const char *const lines[] = {
		"氏名：X", "氏名:X", "氏名 X", "氏名　X", "氏名＝X", "氏名 - X",
		"１．氏名：X", "1.氏名: X", "1) 氏名: X", "(1) 氏名 : X",
		"（１）氏名：X", "1-2. 氏名：X", "2.1 氏名：X", "①氏名：X",
		"⑳ 氏名: X", "(ア) 氏名：X", "(a) 氏名：X", "a) 氏名：X",
		"Ⅰ. 氏名：X", "・氏名：X", "- 氏名: X", "* 氏名: X", "■氏名：X",
		"● 氏名：X", "# 氏名: X", "## Name: X", "【氏名】X",
		"【氏名】：X",
		"[氏名] X", "[1. 氏名] X", "<氏名> X", "＜氏名＞X", "「氏名」X",
		"> 氏名: X", ">> > 氏名：X", "  　氏名：X", "\t氏名:\tX",
		"氏名（必須）：X", "氏名(フルネーム) X", "お名前：X", "名前:X",
		"Name: X", "NAME:X", "ｎａｍｅ：X", "Full name: X",
		"Name - X", "Name -X", "Name  X", "Name\tX",
		"Name (required): X",
		"Your name = X", "[Name] X", "<Name> X", "1. Name: X",
		"Name?  X",
		/* Required markers, before or after the label. */
		"氏名*：X", "氏名 *: X", "氏名＊：X", "※氏名：X", "※ 氏名：X",
		"*氏名：X", "氏名※：X", "氏名【必須】：X", "【必須】氏名：X",
		"氏名[必須]: X", "(1) ※氏名（必須）：X", "１．氏名※　X",
		"Name*: X", "Name *: X", "Name [required]: X", "* Name*: X",
		"Name (mandatory): X", "[required] Name: X",
	};
	struct vf_form f;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_int_lt(snprintf(buf, sizeof(buf), "%s\n", lines[i]),
		    (int)sizeof(buf));
		parse(&f, 0, buf);
		ck_assert_msg(f.n == 1 && strcmp(f.v[0].name,
		    "reporter.name") == 0 && strcmp(f.v[0].value, "X") == 0,
		    "\"%s\": %zu fields, %s=\"%s\"", lines[i], f.n,
		    f.n ? f.v[0].name : "", f.n ? f.v[0].value : "");
		vf_form_free(&f);
	}
}
END_TEST

/* A value that begins with a separator's character keeps it. */
START_TEST(label_value_sep)
{
	static const struct {
		const char	*line, *value;
	} cases[] = {
		{ "Name: =X", "=X" }, { "Name: = X", "= X" },
		{ "Name = =X", "=X" }, { "氏名：＝X", "＝X" },
		{ "Name: :X", ":X" }, { "Name:=X", "=X" },
		{ "[Name]: =X", "=X" }, { "【氏名】：=X", "=X" },
		{ "Name - =X", "=X" },
	};
	struct vf_form f;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(buf, sizeof(buf), "%s\n", cases[i].line);
		parse(&f, 0, buf);
		ck_assert_msg(f.n == 1 && strcmp(f.v[0].name,
		    "reporter.name") == 0 && strcmp(f.v[0].value,
		    cases[i].value) == 0, "\"%s\": %zu fields, %s=\"%s\"",
		    cases[i].line, f.n, f.n ? f.v[0].name : "",
		    f.n ? f.v[0].value : "");
		vf_form_free(&f);
	}
}
END_TEST

START_TEST(label_not)
{
	/* Lines that begin with a label's word but are not label lines. */
	static const char *const lines[] = {
		"氏名山田", "Names: X", "Nameless: X", "Name John Smith",
		"Type the URL into the address bar", "Type-confusion in X",
		"Version 2 of the parser", "Summary of the issue follows",
		"Steps are below", "CWE-79", "Note: X", "※ 氏名は必須です",
		"必須項目：X", "Names*: X",
		"E-mails X",
		"URL を開く", "http://example.jp/Name: X", "Name(unclosed: X",
		"環境変数：X", "の氏名：X", "",
	};
	struct vf_form f;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_int_lt(snprintf(buf, sizeof(buf), "%s\n", lines[i]),
		    (int)sizeof(buf));
		parse(&f, 0, buf);
		ck_assert_msg(f.n == 0, "\"%s\": %s=\"%s\"", lines[i],
		    f.n ? f.v[0].name : "", f.n ? f.v[0].value : "");
		vf_form_free(&f);
	}
}
END_TEST

START_TEST(label_shaped)
{
	struct vf_form f;

	/* After an English label one space will do where the value shows. */
	parse(&f, 0, "URL https://www.example.jp/a\nEmail a@example.jp\n"
	    "Phone +81 3 5555 0000\nCWE cwe-79\nEncryption yes\n"
	    "Final report [x] yes\nVendor Example Inc.\n");
	EQ(&f, "web.url", "https://www.example.jp/a");
	EQ(&f, "reporter.email", "a@example.jp");
	EQ(&f, "reporter.phone", "+81 3 5555 0000");
	EQ(&f, "web.type", "cwe-79");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "contact.final-report", "yes");
	NONE(&f, "product.vendor");
	ck_assert_uint_eq(f.n, 6);
	vf_form_free(&f);
}
END_TEST

START_TEST(label_longest)
{
	struct vf_form f;

	/*
	 * Two reports, for a report is read as one kind: a web one (its
	 * URL says so) has no vendor's labels.
	 */
	parse(&f, 0, "電子メールアドレス：a@example.jp\n"
	    "Reported to other organisations: [ ] yes [x] no\n"
	    "Reported to: nobody\n"
	    "URL of the web site: https://www.example.jp/\n");
	EQ(&f, "reporter.email", "a@example.jp");
	EQ(&f, "other.reported", "no");
	EQ(&f, "other.orgs", "nobody");
	EQ(&f, "web.url", "https://www.example.jp/");
	ck_assert_uint_eq(f.n, 4);
	vf_form_free(&f);
	parse(&f, 0, "製品開発者への届出者情報の提供：■可 □不可\n"
	    "製品開発者名：Example\n");
	EQ(&f, "consent.vendor", "yes");
	EQ(&f, "product.vendor", "Example");
	ck_assert_uint_eq(f.n, 2);
	vf_form_free(&f);
}
END_TEST

START_TEST(label_twice)
{
	struct vf_form f;

	/* The first value is kept; the later label line is text. */
	parse(&f, 0, "氏名：最初\n再現手順：\n1. a\n氏名：二番目\n2. b\n"
	    "氏名：三番目\n");
	EQ(&f, "reporter.name", "最初");
	EQ(&f, "vuln.reproduce", "1. a\n氏名：二番目\n2. b\n氏名：三番目");
	ck_assert_uint_eq(f.n, 2);
	vf_form_free(&f);
	/* An empty first answer does not count as one. */
	parse(&f, 0, "氏名：\n\n電話番号：03\n氏名：後から\n");
	EQ(&f, "reporter.name", "後から");
	EQ(&f, "reporter.phone", "03");
	vf_form_free(&f);
}
END_TEST

START_TEST(label_kind_filter)
{
	struct vf_form f;
	const char *text = "再現手順：\n1. 次を開く\nURL: http://192.0.2.1/x\n"
	    "2. 終わり\n公表日: 2026-01-01\n受理日：2026-01-02\n";

	/* A software report: "URL:" in its steps stays in the steps. */
	parse(&f, VF_KIND_SOFTWARE, text);
	ck_assert_uint_eq(f.n, 1);
	EQ(&f, "vuln.reproduce", "1. 次を開く\nURL: http://192.0.2.1/x\n"
	    "2. 終わり\n公表日: 2026-01-01\n受理日：2026-01-02");
	vf_form_free(&f);
	/* Kind unknown: all labels count; a reporter never sets status. */
	parse(&f, 0, text);
	EQ(&f, "vuln.reproduce", "1. 次を開く");
	EQ(&f, "web.url", "http://192.0.2.1/x");
	NONE(&f, "status.published");
	NONE(&f, "status.accepted");
	ck_assert_uint_eq(f.n, 2);
	vf_form_free(&f);
	parse(&f, 0, "公表日: 2026-01-01\nAccepted: 2026-01-01\n"
	    "Advisory: https://x.example.jp/\n修正日：2026-01-01\n");
	ck_assert_uint_eq(f.n, 0);
	vf_form_free(&f);
}
END_TEST

/* ---- values ------------------------------------------------------------ */

START_TEST(value_lines)
{
	struct vf_form f;

	parse(&f, 0,
	    "脆弱性の概要\n"
	    "\n"
	    "    一行目\n"
	    "\n"
	    "      字下げ\n"
	    "    三行目   \n"
	    "\n"
	    "2. 脆弱性情報\n"
	    "  見出しの後は拾わない\n"
	    "氏名：\n"
	    "\n"
	    "  山田 太郎  \n"
	    "  この行は氏名ではない\n"
	    "電話番号\n"
	    "----------\n"
	    "03-0000-0000\n"
	    "回避方法：設定を変える。\n"
	    "    続きの行。\n"
	    "\n"
	    "段落の後は拾わない\n"
	    "備考：\n"
	    "　全角の字下げ\n"
	    "　二行目\n"
	    "以上、よろしくお願いいたします。\n"
	    "署名\n");
	EQ(&f, "vuln.summary", "一行目\n\n  字下げ\n三行目");
	EQ(&f, "reporter.name", "山田 太郎");
	NONE(&f, "reporter.phone");
	EQ(&f, "vuln.workaround", "設定を変える。\n続きの行。");
	EQ(&f, "contact.remarks", "全角の字下げ\n二行目");
	ck_assert_uint_eq(f.n, 4);
	vf_form_free(&f);
}
END_TEST

START_TEST(value_ends)
{
	static const char *const ends[] = {
		"-- ", "--", "-----", "=====", "＝＝＝＝", "─────", "ーーー",
		"* * *", "[3. 他組織への届出について]", "【届出者情報】",
		"Future contact:", "以上", "以上です。", "Thanks,",
		"Best regards",
		"Regards,", "よろしくお願いします。",
		/* Headings by rule, with hints and markers. */
		"3. 他組織への届出について", "３．IPA以外の組織への届出について",
		"[3. Reports to other organisations]", "【5. 公表】",
		"[Future contact]", "(3) 製品に関する情報",
		"届出者情報の取扱い（必須。一つを選んでください）",
		"1.6 Handling of reporter information (required, choose one)",
		"届出者情報の取扱い*",
	};
	struct vf_form f;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		ck_assert_int_lt(snprintf(buf, sizeof(buf),
		    "Workaround:\nnone known\n%s\nSigned, Someone\n", ends[i]),
		    (int)sizeof(buf));
		parse(&f, 0, buf);
		ck_assert_msg(f.n == 1 && strcmp(get(&f, "vuln.workaround"),
		    "none known") == 0, "\"%s\": \"%s\"", ends[i],
		    f.n ? f.v[0].value : "");
		vf_form_free(&f);
	}
	/*
	 * Not ends: text that merely starts like one; について in prose,
	 * brackets in steps.
	 */
	parse(&f, 0, "Workaround:\nnone known\n--verbose helps\n"
	    "Thanks to the cache, it is slow\n以上の手順で再現\n"
	    "この件について補足します\n[request]\n[1] GET / HTTP/1.1\n");
	EQ(&f, "vuln.workaround", "none known\n--verbose helps\n"
	    "Thanks to the cache, it is slow\n以上の手順で再現\n"
	    "この件について補足します\n[request]\n[1] GET / HTTP/1.1");
	vf_form_free(&f);
}
END_TEST

START_TEST(value_quoted)
{
	struct vf_form f;

	/* A reply quoting the filled-in form. */
	parse(&f, 0,
	    "Please see below.\n"
	    "\n"
	    "> (1) 氏名：鈴木 次郎\n"
	    "> (4) 脆弱性の概要：\n"
	    ">   一行目\n"
	    ">   > 引用の引用\n"
	    ">\n"
	    ">   三行目\n"
	    "> (5) 動作環境：Linux\n"
	    "> 再現手順：\n"
	    "> > 深い引用\n"
	    ">\n"
	    "\n"
	    "> > 続き\n");
	EQ(&f, "reporter.name", "鈴木 次郎");
	EQ(&f, "vuln.summary", "一行目\n> 引用の引用\n\n三行目");
	EQ(&f, "vuln.environment", "Linux");
	EQ(&f, "vuln.reproduce", "> 深い引用\n\n\n> 続き");
	vf_form_free(&f);
}
END_TEST

START_TEST(value_clean)
{
	static const char text[] =
	    "氏名：山\0田\r\n備考：\r\na\0b\r\n\r\nc\r\n";
	struct vf_form f;

	memset(&f, 0, sizeof(f));
	ck_assert_uint_eq(vf_form_parse(&f, &T, text, sizeof(text) - 1), 2);
	EQ(&f, "reporter.name", "山田");
	EQ(&f, "contact.remarks", "ab\n\nc");
	vf_form_free(&f);
	/* No trailing newline, no text, one empty line. */
	parse(&f, 0, "Name: X");
	EQ(&f, "reporter.name", "X");
	vf_form_free(&f);
	parse(&f, 0, "");
	ck_assert_uint_eq(f.n, 0);
	vf_form_free(&f);
	parse(&f, 0, "\n");
	ck_assert_uint_eq(f.n, 0);
	vf_form_free(&f);
	/* A form handed back in is emptied first. */
	parse(&f, 0, "Name: X");
	ck_assert_uint_eq(vf_form_parse(&f, &T, "Email: a@example.jp", 19), 1);
	EQ(&f, "reporter.email", "a@example.jp");
	vf_form_free(&f);
	vf_form_free(&f);
}
END_TEST

START_TEST(value_machine_formats)
{
	struct vf_form f;

	parse(&f, 0, "電子メールアドレス：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ\n"
	    "URL：ｈｔｔｐｓ：／／ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／\n"
	    "脆弱性の種類：ＣＷＥ－７９\n電話番号：（０３）５５５５　０１２３\n"
	    "氏名：ＴＡＲＯ\n");
	EQ(&f, "reporter.email", "taro@example.jp");
	EQ(&f, "web.url", "https://www.example.jp/");
	EQ(&f, "web.type", "CWE-79");
	EQ(&f, "reporter.phone", "(03)5555 0123");
	EQ(&f, "reporter.name", "ＴＡＲＯ");
	vf_form_free(&f);
	/*
	 * NFKC where the tools need ASCII (half-width kana and circled
	 * digits too); free text as written: tools compare it folded.
	 */
	parse(&f, VF_KIND_SOFTWARE, "脆弱性の種類：ｸﾛｽｻｲﾄ ①\n"
	    "製品名：ＦｏｏＣＭＳ ｶﾞ\nFAX：０３－１\n");
	EQ(&f, "vuln.type", "クロスサイト 1");
	EQ(&f, "product.name", "ＦｏｏＣＭＳ ｶﾞ");
	EQ(&f, "reporter.fax", "03-1");
	vf_form_free(&f);
}
END_TEST

/* ---- yes and no -------------------------------------------------------- */

START_TEST(yesno_answers)
{
	static const struct {
		const char	*text;
		const char	*want;	/* NULL: kept as written */
	} cases[] = {
		{ "■可 □不可", "yes" }, { "□可 ■不可", "no" },
		{ "■可　□不可", "yes" }, { "■可□不可", "yes" },
		{ "■ 可 □ 不可", "yes" }, { "□可 □不可", NULL },
		{ "■可 ■不可", NULL }, { "■ maybe", NULL },
		{ "□はい ■いいえ", "no" }, { "☑はい ☐いいえ", "yes" },
		{ "☐はい ☒いいえ", "no" }, { "✓ yes", "yes" }, { "✔no", "no" },
		{ "●要 ○不要", "yes" }, { "○要 ●不要", "no" },
		{ "■希望する □希望しない", "yes" },
		{ "□希望する ■希望しない", "no" },
		{ "■有 □無", "yes" }, { "□有 ■無", "no" },
		{ "[x] yes [ ] no", "yes" }, { "[ ] yes [X] no", "no" },
		{ "[ x ] Yes  [   ] No", "yes" }, { "[*] yes [] no", "yes" },
		{ "［ｘ］ｙｅｓ　［　］ｎｏ", "yes" },
		{ "[ ] yes [ ] no", NULL },
		{ "[x] yes [x] no", NULL }, { "(x) Yes ( ) No", "yes" },
		{ "( ) Yes (x) No", "no" }, { "（ｘ）はい（　）いいえ", "yes" },
		{ "[x] yes\n[ ] no", "yes" },
		{ "はい", "yes" }, { "いいえ", "no" }, { "可", "yes" },
		{ "不可", "no" }, { "要", "yes" }, { "不要", "no" },
		{ "不要です", "no" }, { "不要です。", "no" },
		{ "希望する", "yes" },
		{ "希望します。", "yes" }, { "希望しない", "no" },
		{ "希望しません", "no" }, { "同意する", "yes" },
		{ "同意しない", "no" }, { "あり", "yes" }, { "なし", "no" },
		{ "無し", "no" }, { "特になし", "no" }, { "届出なし", "no" },
		{ "ありません", "no" }, { "問題ありません", "yes" },
		{ "構いません", "yes" }, { "→ 不要です", "no" },
		{ "はい、希望します", "yes" }, { "はい（氏名のみ）", "yes" },
		{ "yes", "yes" }, { "Yes.", "yes" }, { "YES!", "yes" },
		{ "ＹＥＳ", "yes" }, { "y", "yes" }, { "n", "no" },
		{ "N", "no" },
		{ "no", "no" }, { "No, thanks", "no" }, { "none", "no" },
		{ "None.", "no" }, { "agree", "yes" }, { "disagree", "no" },
		{ "yes please", "yes" }, { "ok", "yes" },
		{ "not required", "no" }, { "Required", "yes" },
		{ "なし（届け出ていません）", "no" },
		/* Unclear answers stay as written for the validator. */
		{ "はい、ただし名前は不要", NULL }, { "同意いたします", NULL },
		{ "可能", NULL }, { "不可能", NULL }, { "yes and no", NULL },
		{ "nope", NULL }, { "yesterday", NULL }, { "n/a", NULL },
		{ "JPCERT/CC に報告済み", NULL }, { "問題ない？ いいえ", NULL },
		{ "■可 □不可 と思います、いいえ", "yes" },
	};
	struct vf_form f;
	char buf[256];
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_lt(snprintf(buf, sizeof(buf),
		    "暗号化の要否：%s\n", cases[i].text), (int)sizeof(buf));
		parse(&f, 0, buf);
		ck_assert_msg((got = get(&f, "contact.encrypt")) != NULL,
		    "\"%s\" lost", cases[i].text);
		if (cases[i].want != NULL)
			ck_assert_msg(strcmp(got, cases[i].want) == 0,
			    "\"%s\": \"%s\", want %s", cases[i].text, got,
			    cases[i].want);
		else
			ck_assert_msg(strcmp(got, "yes") != 0 &&
			    strcmp(got, "no") != 0, "\"%s\": %s, want it kept",
			    cases[i].text, got);
		vf_form_free(&f);
	}
}
END_TEST

START_TEST(yesno_next_line)
{
	struct vf_form f;

	parse(&f, 0, "調整機関への届出者情報の提供\n\n■可\n□不可\n\n"
	    "製品開発者への届出者情報の提供：\n□可　■不可\n"
	    "Encryption\n(x) Yes ( ) No\n"
	    "公表時の届出者名の掲載\n□可 □不可\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	EQ(&f, "contact.encrypt", "yes");
	EQ(&f, "consent.publish-name", "□可 □不可");
	vf_form_free(&f);
}
END_TEST

/* ---- sentences --------------------------------------------------------- */

/* A software report: its consent fields and nothing else matter here. */
#define SW	"製品名：X\n"
#define WEB	"URL: https://www.example.jp/\n"

START_TEST(sentence_boxes)
{
	struct vf_form f;

	/* IPA's web form: the marked sentence answers. */
	parse(&f, 0, WEB "[x] 届出者情報をウェブサイト運営者に知らせても良い\n"
	    "[ ] 届出者情報をウェブサイト運営者には知らせず、すべての"
	    "やりとりを\n    IPA とのみ行う\n");
	EQ(&f, "consent.operator", "yes");
	vf_form_free(&f);
	parse(&f, 0, WEB "□ 届出者情報をウェブサイト運営者に知らせても良い\n"
	    "■ 届出者情報をウェブサイト運営者には知らせず、すべての"
	    "やりとりを\n    IPA とのみ行う\n");
	EQ(&f, "consent.operator", "no");
	vf_form_free(&f);
	/* One sentence answers two fields. */
	parse(&f, 0, SW "■ 届出者情報を調整機関および製品開発者に開示しても"
	    "良い\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "yes");
	vf_form_free(&f);
	/* A web report has no vendor: the same sentence says nothing. */
	parse(&f, 0, WEB "■ 届出者情報を調整機関および製品開発者に開示しても"
	    "良い\n");
	NONE(&f, "consent.vendor");
	NONE(&f, "consent.coordinator");
	vf_form_free(&f);
}
END_TEST

START_TEST(sentence_prose)
{
	struct vf_form f;

	parse(&f, 0, SW "備考：開発者には連絡先を伝えないでください。\n");
	EQ(&f, "consent.vendor", "no");
	NONE(&f, "consent.coordinator");
	EQ(&f, "contact.remarks", "開発者には連絡先を伝えないでください。");
	vf_form_free(&f);
	/* Across a line break, in any case, with typographic quotes. */
	parse(&f, 0, SW "Feel free to SHARE my contact details with\n"
	    "JPCERT/CC and the vendor. Please don\xe2\x80\x99t publish my "
	    "name.\nI'd like to receive the final report.\n"
	    "Please encrypt your replies.\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "yes");
	EQ(&f, "consent.publish-name", "no");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "yes");
	vf_form_free(&f);
	parse(&f, 0, WEB "Please do not tell the site operator who I am.\n"
	    "No need to encrypt. Please let me know when it is fixed.\n");
	EQ(&f, "consent.operator", "no");
	EQ(&f, "contact.encrypt", "no");
	EQ(&f, "contact.final-report", "yes");
	vf_form_free(&f);
	/* Not inside a word: the "not" of "cannot" is no "not". */
	parse(&f, 0, SW "This cannot to the coordinator be said.\n");
	NONE(&f, "consent.coordinator");
	vf_form_free(&f);
	parse(&f, 0, SW "This, not to the coordinator, is said.\n");
	EQ(&f, "consent.coordinator", "no");
	vf_form_free(&f);
}
END_TEST

/* A sentence about fewer fields takes back what one about more said. */
START_TEST(sentence_takeback)
{
	struct vf_form f;

	parse(&f, 0, SW "■ 届出者情報を調整機関および製品開発者に開示しても"
	    "良い\n備考：ただし、製品開発者には連絡先を伝えないでください。\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
	/* In one sentence too, and in either order. */
	parse(&f, 0, SW "Please do not share my details with the vendor. "
	    "You may pass my details to the coordinator and the vendor.\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
	parse(&f, 0, SW "You may pass my details to the coordinator and the "
	    "vendor, but please do not share them with the vendor.\n");
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
	/* A label's answer is about one field. */
	parse(&f, 0, SW "製品開発者への届出者情報の提供：■可 □不可\n"
	    "■ 届出者情報を調整機関にも製品開発者にも開示しない\n");
	EQ(&f, "consent.vendor", "yes");
	EQ(&f, "consent.coordinator", "no");
	vf_form_free(&f);
	/* Within a wider match, a narrower one is part of it. */
	parse(&f, 0, SW "[x] You may pass my details to the coordinator, but "
	    "not to the vendor\n");
	EQ(&f, "consent.coordinator", "yes");
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
}
END_TEST

/*
 * What cannot be read with certainty is kept as written, every time: the
 * validator asks the reporter. One case for each way it can happen.
 */
START_TEST(sentence_unclear)
{
	static const struct {
		const char	*text;
		const char	*field;
		const char	*want;
	} cases[] = {
		/* Nothing chosen among sentences. */
		{ WEB "□ 届出者情報をウェブサイト運営者に知らせても良い\n"
		    "□ すべてのやりとりを IPA とのみ行う\n",
		    "consent.operator",
		    "□ 届出者情報をウェブサイト運営者に知らせても良い\n"
		    "□ すべてのやりとりを IPA とのみ行う" },
		/* Both chosen. */
		{ WEB "[x] You may pass my details to the site operator\n"
		    "[x] Do not pass my details to the site operator\n",
		    "consent.operator",
		    "[x] You may pass my details to the site operator\n"
		    "[x] Do not pass my details to the site operator" },
		/* Two options marked that disagree on one field. */
		{ SW "■ 届出者情報を調整機関および製品開発者に開示しても良い\n"
		    "■ 届出者情報を調整機関には開示しても良いが、製品開発者"
		    "には開示しない\n", "consent.vendor",
		    "■ 届出者情報を調整機関および製品開発者に開示しても良い\n"
		    "■ 届出者情報を調整機関には開示しても良いが、製品開発者"
		    "には開示しない" },
		/* A label's answer and a sentence that disagree. */
		{ WEB "ウェブサイト運営者への届出者情報の提供：可\n"
		    "備考：運営者には私の名前を伝えないでください。\n",
		    "consent.operator",
		    "可\n運営者には私の名前を伝えないでください。" },
		/* A sentence taken back by one as narrow. */
		{ WEB "[x] You may pass my details to the site operator\n"
		    "Please do not tell the operator who I am.\n",
		    "consent.operator",
		    "[x] You may pass my details to the site operator\n"
		    "Please do not tell the operator who I am." },
		/* Unmarked choices of a contact question. */
		{ WEB "連絡時の暗号化：□ 不要 □ 要\n", "contact.encrypt",
		    "□ 不要 □ 要" },
		/* Both choices marked. */
		{ WEB "最終報告の希望：[x] 不要 [x] 要\n",
		    "contact.final-report", "[x] 不要 [x] 要" },
		/* An answer that is no answer. */
		{ WEB "Final report: maybe later\n", "contact.final-report",
		    "maybe later" },
		/* A marked box beside no known answer. */
		{ WEB "暗号化の要否：■ 場合による □ 不要\n", "contact.encrypt",
		    "■ 場合による □ 不要" },
		/* Unmarked, and what follows is no bare answer. */
		{ WEB "連絡時の暗号化：□ 不要 □ 要\n「要」の場合は鍵を添付\n",
		    "contact.encrypt", "□ 不要 □ 要\n「要」の場合は鍵を添付" },
	};
	struct vf_form f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse(&f, 0, cases[i].text);
		ck_assert_msg(get(&f, cases[i].field) != NULL &&
		    strcmp(get(&f, cases[i].field), cases[i].want) == 0,
		    "case %zu: %s is \"%s\"", i, cases[i].field,
		    get(&f, cases[i].field));
		vf_form_free(&f);
	}
}
END_TEST

/* "[ ] not needed [ ] wanted", answered on the line below. */
START_TEST(yesno_answer_below)
{
	struct vf_form f;

	parse(&f, 0, WEB "> 4.1 Final report: [ ] not needed  [ ] wanted\n"
	    "wanted\n> 4.2 Encryption: [ ] not needed  [ ] needed\n"
	    "[x] not needed\n");
	EQ(&f, "contact.final-report", "yes");
	EQ(&f, "contact.encrypt", "no");
	vf_form_free(&f);
}
END_TEST

/* ---- where a value ends ---------------------------------------------------- */

START_TEST(value_items)
{
	struct vf_form f;

	/* An item numbered as the label line was, but unknown, ends it. */
	parse(&f, 0, "（４）脆弱性の概要：\n　一行目\n（５）想定される攻撃者：\n"
	    "　読まない\n（６）再現手順：\n　（１）開く\n　（２）押す\n"
	    "（７）攻撃コード：なし\n");
	EQ(&f, "vuln.summary", "一行目");
	EQ(&f, "vuln.reproduce", "（１）開く\n（２）押す");
	vf_form_free(&f);
	/* Another style is part of the value: "(5)" under "（４）". */
	parse(&f, 0, "４）脆弱性の概要：\n a\n (5) b\n4. c\n５）補足：\n d\n");
	EQ(&f, "vuln.summary", "a\n (5) b\n4. c");
	vf_form_free(&f);
	/* "2.6" after "2.5", and no empty value takes the next item. */
	parse(&f, 0, "2.5 所属組織名：\n2.6 届出者情報の取扱い（必須）\n"
	    "2.7 電話番号：\n2.8 携帯：090\n");
	ck_assert_uint_eq(f.n, 0);
	vf_form_free(&f);
}
END_TEST

START_TEST(value_empty_labels)
{
	struct vf_form f;

	/* Each empty label is an empty value; no label is a value. */
	parse(&f, 0, "TEL:\nFAX:\nSkype:\n所属：\n備考２：\nメール：\n"
	    "a@example.jp\n");
	EQ(&f, "reporter.email", "a@example.jp");
	ck_assert_uint_eq(f.n, 1);
	vf_form_free(&f);
	/* A box line is no one-line value either. */
	parse(&f, 0, WEB "所属：\n■ 届出者情報をウェブサイト運営者に知らせても"
	    "良い\n");
	NONE(&f, "reporter.org");
	EQ(&f, "consent.operator", "yes");
	vf_form_free(&f);
}
END_TEST

START_TEST(value_signature)
{
	struct vf_form f;

	/* Past "-- " nothing is read, as deep as it is quoted. */
	parse(&f, 0, "氏名：X\n-- \nTEL: 03-0000-0000\nE-mail: b@example.jp\n");
	ck_assert_uint_eq(f.n, 1);
	vf_form_free(&f);
	parse(&f, 0, "> 氏名：X\n> --\n> TEL: 03-0000-0000\n\nFAX: 03-1\n");
	EQ(&f, "reporter.fax", "03-1");
	NONE(&f, "reporter.phone");
	vf_form_free(&f);
}
END_TEST

/* A paragraph of sentences after the steps is not a step. */
START_TEST(value_paragraph_sentence)
{
	struct vf_form f;

	parse(&f, 0, SW "Steps to reproduce:\n1. a\n\n2. b\n\n"
	    "Please do not tell the vendor who I am.\nThanks\n");
	EQ(&f, "vuln.reproduce", "1. a\n\n2. b");
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
	/* Right after the label it is the value: a remark. */
	parse(&f, 0, SW "Remarks:\nPlease do not tell the vendor who I am.\n");
	EQ(&f, "contact.remarks", "Please do not tell the vendor who I am.");
	vf_form_free(&f);
}
END_TEST

/* ---- kinds sharing labels -------------------------------------------------- */

/*
 * A table vf_fields_load made is checked, and its index is built without
 * normalising (lowercased as it is copied); any other table (here the
 * same one without its cache) is normalised as the text is. Both must
 * read every example, and labels written in any case, alike.
 */
START_TEST(checked_table_plain)
{
	static const char *const ex[] = {
		"examples/careless-en.txt", "examples/careless-ja.txt",
		"examples/software-en.txt",
		"examples/software-ja.txt", "examples/web-en.txt",
		"examples/web-ipa-ja.txt", "examples/web-ja.txt",
	};
	static const char mixed[] =
	    "NAME: Taro Yamada\nE-MAIL ADDRESS: taro@example.jp\n"
	    "product NAME: ExampleWiki\nＶｅｒｓｉｏｎ: 2.3\n"
	    "I AGREE TO MY DETAILS BEING PASSED TO THE VENDOR.\n";
	struct vf_fields u;
	struct vf_form a, b;
	char *text;
	size_t i, j, len;

	u = T;
	u.cache = NULL;
	for (i = 0; i <= sizeof(ex) / sizeof(ex[0]); i++) {
		if (i < sizeof(ex) / sizeof(ex[0]))
			text = slurp(ex[i], &len);
		else {
			text = strdup(mixed);
			len = strlen(text);
		}
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		(void)vf_form_parse(&a, &T, text, len);
		(void)vf_form_parse(&b, &u, text, len);
		ck_assert_int_eq(a.kind, b.kind);
		ck_assert_uint_eq(a.n, b.n);
		ck_assert_msg(a.n > 2, "text %zu: %zu fields", i, a.n);
		for (j = 0; j < a.n; j++) {
			ck_assert_str_eq(a.v[j].name, b.v[j].name);
			ck_assert_str_eq(a.v[j].value, b.v[j].value);
		}
		vf_form_free(&a);
		vf_form_free(&b);
		free(text);
	}
}
END_TEST

/* Capitals in a table's labels and patterns match the text's any case. */
START_TEST(checked_table_capitals)
{
	static const char table[] =
	    "a.name:reporter:software:-:line:氏名:Full NAME\n"
	    "c.v:reporter:software:-:yesno:可否:Consent\n"
	    "@sentence:c.v=yes:I Agree {To,With} The TERMS|同意します\n";
	static const char text[] = "full name: Taro\ni agree with the Terms.\n";
	char dir[] = "/tmp/vf-form.XXXXXX", path[PATH_MAX], err[256];
	struct vf_fields t, u;
	struct vf_form f;
	const struct vf_kv *v;
	FILE *fp;
	int k;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/fields", dir),
	    (int)sizeof(path));
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_ge(fputs(table, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(vf_fields_load(&t, path, err, sizeof(err)), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	u = t;
	u.cache = NULL;
	for (k = 0; k < 2; k++) {
		memset(&f, 0, sizeof(f));
		f.kind = VF_KIND_SOFTWARE;
		(void)vf_form_parse(&f, k == 0 ? &t : &u, text, strlen(text));
		ck_assert_ptr_nonnull(v = vf_kv_find(f.v, f.n, "a.name"));
		ck_assert_str_eq(v->value, "Taro");
		ck_assert_ptr_nonnull(v = vf_kv_find(f.v, f.n, "c.v"));
		ck_assert_str_eq(v->value, "yes");
		vf_form_free(&f);
	}
	vf_fields_free(&t);
}
END_TEST

START_TEST(kind_shared_labels)
{
	struct vf_form f;

	parse(&f, 0, "Product: X\nType: Buffer overflow (CWE-120)\n");
	ck_assert_int_eq(f.kind, VF_KIND_SOFTWARE);
	EQ(&f, "vuln.type", "Buffer overflow (CWE-120)");
	NONE(&f, "web.type");
	vf_form_free(&f);
	parse(&f, 0, "Type: XSS\nURL: https://www.example.jp/\n");
	ck_assert_int_eq(f.kind, VF_KIND_WEB);
	EQ(&f, "web.type", "XSS");
	NONE(&f, "vuln.type");
	vf_form_free(&f);
	parse(&f, VF_KIND_VENDOR, "脆弱性の種類：CWE-78\n");
	EQ(&f, "vuln.type", "CWE-78");
	vf_form_free(&f);
	/* Unknown kind to the end: the table's first field of the label. */
	parse(&f, 0, "Type: XSS\n");
	ck_assert_int_eq(f.kind, 0);
	EQ(&f, "web.type", "XSS");
	vf_form_free(&f);
}
END_TEST

/* ---- hostile and huge input -------------------------------------------- */

static char *
repeat(const char *unit, size_t total, size_t *len)
{
	size_t k = strlen(unit), n = 0;
	char *s;

	s = vf_malloc(total + k + 1);
	while (n < total) {
		memcpy(s + n, unit, k);
		n += k;
	}
	s[n] = '\0';
	*len = n;
	return s;
}

START_TEST(hostile_big)
{
	static const char *const units[] = {
		"氏名：X\n", "再現手順：\n", "a a a a a a a a a a a a a a a ",
		"Reported to other organisations Reported to other ",
		"((((((((((((((((((((((((((((((((((", "■可 □不可 ",
		"暗号化の要否：\n", "> > > > > > > > ", "\n", "１．（１）①【[<",
		"\xff\xfe\xe3\x80", "-----\n", "電子メールアドレス（",
		"\0\0\0\0",
	};
	struct vf_form f;
	size_t i, len;
	char *s;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (units[i][0] != '\0')
			s = repeat(units[i], 1 << 20, &len);
		else
			s = vf_calloc(len = 1 << 20, 1);
		memset(&f, 0, sizeof(f));
		(void)vf_form_parse(&f, &T, s, len);
		check_order(&f);
		vf_form_free(&f);
		free(s);
	}
	/* The first of a million names, the yes/no kept when too long. */
	s = repeat("氏名：X\n", 1 << 20, &len);
	parse(&f, 0, s);
	ck_assert_uint_eq(f.n, 1);
	EQ(&f, "reporter.name", "X");
	vf_form_free(&f);
	free(s);
	s = repeat("■可 □不可 ", 1 << 16, &len);
	memcpy(s, "暗号化の要否：", strlen("暗号化の要否："));
	parse(&f, 0, s);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_uint_gt(strlen(get(&f, "contact.encrypt")), 4096);
	vf_form_free(&f);
	free(s);
}
END_TEST

/*
 * A statement's last character may take its key past STMT_MAX, and in
 * malformed text (a lead byte, then a long run of continuation bytes)
 * by far: the positions of all of it are indexed, never past their room.
 */
START_TEST(hostile_long_character)
{
	struct vf_form f;
	struct vf_buf b = { 0 };
	size_t i;

	/* 954 bytes of key, then on the next line a "character" of 1001. */
	vf_buf_adds(&b, SW "開発者には連絡先を伝えないでください");
	for (i = 0; i < 300; i++)
		vf_buf_adds(&b, "あ");
	vf_buf_adds(&b, "\n\xe4");
	for (i = 0; i < 1000; i++)
		vf_buf_addc(&b, '\x80');
	vf_buf_adds(&b, "\n");
	memset(&f, 0, sizeof(f));
	(void)vf_form_parse(&f, &T, b.p, b.len);
	EQ(&f, "consent.vendor", "no");
	vf_form_free(&f);
	vf_buf_free(&b);
}
END_TEST

START_TEST(hostile_random)
{
	static const char *const bits[] = {
		"氏名", "：", ":", " ", "\n", "■", "□", "[x]", "[ ]", "(", ")",
		"1.", "（１）", "【", "】", ">", "-- ", "---", "\xff", "\xe3",
		"\x80", "再現手順", "Name", "URL", "https://", "@", "可",
		"不可",
		"\t", "　", "以上", "\0", "yes", "E-mail", "[", "]", "はい",
	};
	struct vf_form f;
	struct vf_buf b = { 0 };
	unsigned seed = 12345;
	size_t i, j, k, n;

	for (i = 0; i < 2000; i++) {
		b.len = 0;
		n = (seed = seed * 1103515245 + 12345) % 200;
		for (j = 0; j < n; j++) {
			k = (seed = seed * 1103515245 + 12345) >> 8;
			k %= sizeof(bits) / sizeof(bits[0]);
			vf_buf_add(&b, bits[k],
			    bits[k][0] != '\0' ? strlen(bits[k]) : 1);
		}
		memset(&f, 0, sizeof(f));
		(void)vf_form_parse(&f, &T, b.p != NULL ? b.p : "", b.len);
		check_order(&f);
		for (j = 0; j < f.n; j++)
			ck_assert_uint_gt(strlen(f.v[j].value), 0);
		vf_form_free(&f);
	}
	vf_buf_free(&b);
}
END_TEST

static Suite *
form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, kind_subject);
	tcase_add_test(tc, kind_guess);
	tcase_add_test(tc, form_software_ja);
	tcase_add_test(tc, form_software_en);
	tcase_add_test(tc, form_web_ja);
	tcase_add_test(tc, form_web_en);
	tcase_add_test(tc, form_vendor_ja);
	tcase_add_test(tc, form_vendor_en);
	tcase_add_test(tc, example_software_ja);
	tcase_add_test(tc, example_web_ja);
	tcase_add_test(tc, example_web_ipa_ja);
	tcase_add_test(tc, example_software_en);
	tcase_add_test(tc, example_web_en);
	tcase_add_test(tc, example_careless_ja);
	tcase_add_test(tc, example_careless_en);
	tcase_add_test(tc, example_followup);
	tcase_add_test(tc, label_decorations);
	tcase_add_test(tc, label_value_sep);
	tcase_add_test(tc, label_not);
	tcase_add_test(tc, label_shaped);
	tcase_add_test(tc, label_longest);
	tcase_add_test(tc, label_twice);
	tcase_add_test(tc, label_kind_filter);
	tcase_add_test(tc, value_lines);
	tcase_add_test(tc, value_ends);
	tcase_add_test(tc, value_quoted);
	tcase_add_test(tc, value_clean);
	tcase_add_test(tc, value_machine_formats);
	tcase_add_test(tc, yesno_answers);
	tcase_add_test(tc, yesno_next_line);
	tcase_add_test(tc, sentence_boxes);
	tcase_add_test(tc, sentence_prose);
	tcase_add_test(tc, sentence_takeback);
	tcase_add_test(tc, sentence_unclear);
	tcase_add_test(tc, yesno_answer_below);
	tcase_add_test(tc, value_items);
	tcase_add_test(tc, value_empty_labels);
	tcase_add_test(tc, value_signature);
	tcase_add_test(tc, value_paragraph_sentence);
	tcase_add_test(tc, kind_shared_labels);
	tcase_add_test(tc, checked_table_plain);
	tcase_add_test(tc, checked_table_capitals);
	tcase_add_test(tc, hostile_big);
	tcase_add_test(tc, prepare_same);
	tcase_add_test(tc, hostile_long_character);
	tcase_add_test(tc, hostile_random);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(form_suite)
