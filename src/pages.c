/*
 * The office's public pages: static files any plain web server serves.
 *
 *	index.html			published advisories, newest first
 *	advisories/NAME.ja.html		one page per advisory, Japanese
 *	advisories/NAME.en.html		and English, from the same record
 *	statistics.html, stats/		the tables and charts (vf-charts)
 *	feed.xml			Atom feed of the advisories
 *	.well-known/csaf/provider-metadata.json
 *	.well-known/csaf/white/YYYY/NAME.json (+ .sha256, .sha512, .asc)
 *	.well-known/csaf/white/index.txt, changes.csv
 *
 * NAME is the CSAF file name of the advisory (CSAF 2.0 §5.1) without
 * ".json". The CSAF layout is the trusted provider's of CSAF 2.0 §7.1
 * (requirements 9 to 13 and 18 to 20): provider-metadata.json under
 * /.well-known/csaf/, a directory distribution per TLP label, one folder
 * per year of the initial release, index.txt and changes.csv (newest
 * first), hashes and, with a signing key, OpenPGP signatures.
 *
 * Every page is made from the public view (vf-redact -f -a public) alone;
 * every text of it is HTML-escaped. Each file is written to a temporary
 * name and renamed, so a reader never sees half a page.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "vf.h"

static const char css[] =
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;"
    "padding:0 1em;line-height:1.5;color:#222}"
    "h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    "padding:.2em .5em;text-align:left}pre{white-space:pre-wrap;font-family:inherit}"
    "nav a{margin-right:1em}img{max-width:100%}";

void
vf_html(struct vf_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			vf_buf_adds(b, "&amp;");
			break;
		case '<':
			vf_buf_adds(b, "&lt;");
			break;
		case '>':
			vf_buf_adds(b, "&gt;");
			break;
		case '"':
			vf_buf_adds(b, "&quot;");
			break;
		case '\'':
			vf_buf_adds(b, "&#39;");
			break;
		default:
			vf_buf_addc(b, *s);
		}
}

/* Make the directories of a relative path under dirfd. */
static int
mkdirs(int dirfd, const char *rel)
{
	char p[4096], *s;

	if (strlcpy(p, rel, sizeof(p)) >= sizeof(p))
		return -1;
	for (s = p; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdirat(dirfd, p, 0755) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

int
vf_pages_put(const struct vf_pages *pg, const char *rel, const void *p,
    size_t n)
{
	char tmp[4200];
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", rel, (long)getpid()) >=
	    (int)sizeof(tmp) || mkdirs(pg->dirfd, rel) == -1)
		goto fail;
	if ((fd = openat(pg->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644)) == -1)
		goto fail;
	if (vf_write_all(fd, p, n) == -1 || fsync(fd) == -1) {
		e = errno;
		(void)close(fd);
		(void)unlinkat(pg->dirfd, tmp, 0);
		errno = e;
		goto fail;
	}
	if (close(fd) == -1 || renameat(pg->dirfd, tmp, pg->dirfd, rel) ==
	    -1) {
		e = errno;
		(void)unlinkat(pg->dirfd, tmp, 0);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	warn("%s/%s", pg->dir, rel);
	return vf_errno_exit(errno);
}

static void
head(struct vf_buf *b, const char *lang, const char *title, const char *up)
{
	vf_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width\">\n<title>", lang);
	vf_html(b, title);
	vf_buf_printf(b, "</title>\n<style>%s</style>\n<link rel=\"alternate\" "
	    "type=\"application/atom+xml\" href=\"%sfeed.xml\">\n</head>\n"
	    "<body>\n<nav><a href=\"%sindex.html\">%s</a><a href=\"%s"
	    "statistics.html\">%s</a><a href=\"%s.well-known/csaf/"
	    "provider-metadata.json\">CSAF</a><a href=\"%sfeed.xml\">Atom"
	    "</a></nav>\n", css, up, up, strcmp(lang, "ja") == 0 ? "公表一覧" :
	    "Advisories", up, strcmp(lang, "ja") == 0 ? "届出統計" :
	    "Statistics", up, up);
}

static void
foot(struct vf_buf *b, const struct vf_pages *pg)
{
	vf_buf_adds(b, "<footer><p>");
	vf_html(b, pg->pub.name);
	vf_buf_adds(b, "</p></footer>\n</body>\n</html>\n");
}

static void
text_section(struct vf_buf *b, const struct vf_fields *ft, const char *name,
    const char *v, int ja)
{
	const struct vf_field *f = vf_fields_find(ft, name);

	if (v == NULL)
		return;
	vf_buf_adds(b, "<h2>");
	vf_html(b, f != NULL ? (ja ? f->ja[0] : f->en[0]) : name);
	vf_buf_adds(b, "</h2>\n<pre>");
	vf_html(b, v);
	vf_buf_adds(b, "</pre>\n");
}

static void
line_item(struct vf_buf *b, const struct vf_fields *ft, const char *name,
    const char *v, int ja)
{
	const struct vf_field *f = vf_fields_find(ft, name);

	if (v == NULL)
		return;
	vf_buf_adds(b, "<tr><th>");
	vf_html(b, f != NULL ? (ja ? f->ja[0] : f->en[0]) : name);
	vf_buf_adds(b, "</th><td>");
	vf_html(b, v);
	vf_buf_adds(b, "</td></tr>\n");
}

/* The page of one advisory in one language. */
static void
advisory_page(struct vf_buf *b, const struct vf_pages *pg,
    const struct vf_record *r, const struct vf_adv *a, int ja)
{
	const char *credit = vf_adv_credit(r), *url;

	head(b, ja ? "ja" : "en", a->title, "../");
	vf_buf_adds(b, "<main>\n<h1 id=\"title\">");
	vf_html(b, a->id);
	vf_buf_adds(b, ": ");
	vf_html(b, ja ? a->title_ja : a->title_en);
	vf_buf_printf(b, "</h1>\n<p><a href=\"%s.%s.html\" hreflang=\"%s\">"
	    "%s</a></p>\n<table>\n", a->base, ja ? "en" : "ja", ja ? "en" :
	    "ja", ja ? "English" : "日本語");
	line_item(b, pg->ft, "status.published", a->date10, ja);
	line_item(b, pg->ft, "product.name", vf_record_get(r, "product.name"),
	    ja);
	line_item(b, pg->ft, "product.version",
	    vf_record_get(r, "product.version"), ja);
	line_item(b, pg->ft, "product.vendor",
	    vf_record_get(r, "product.vendor"), ja);
	vf_buf_adds(b, "</table>\n");
	text_section(b, pg->ft, "vuln.summary", vf_record_get(r,
	    "vuln.summary"), ja);
	text_section(b, pg->ft, "vuln.environment", vf_record_get(r,
	    "vuln.environment"), ja);
	text_section(b, pg->ft, "vuln.threat", vf_record_get(r,
	    "vuln.threat"), ja);
	text_section(b, pg->ft, "vuln.workaround", vf_record_get(r,
	    "vuln.workaround"), ja);
	if (credit != NULL) {
		vf_buf_printf(b, "<h2>%s</h2>\n<p id=\"credit\">", ja ?
		    "謝辞" : "Credit");
		if (ja) {
			vf_buf_adds(b, "この脆弱性は ");
			vf_html(b, credit);
			vf_buf_adds(b, " 氏が報告しました。");
		} else {
			vf_html(b, credit);
			vf_buf_adds(b, " reported this vulnerability.");
		}
		vf_buf_adds(b, "</p>\n");
	}
	vf_buf_printf(b, "<h2>%s</h2>\n<ul>\n<li><a href=\"../%s\">CSAF 2.0 "
	    "(JSON)</a></li>\n", ja ? "参考情報" : "References", a->csaf_rel);
	if ((url = vf_record_get(r, "status.advisory-url")) != NULL &&
	    strncmp(url, "https://", 8) == 0) {
		vf_buf_adds(b, "<li><a href=\"");
		vf_html(b, url);
		vf_buf_adds(b, "\">");
		vf_html(b, url);
		vf_buf_adds(b, "</a></li>\n");
	}
	vf_buf_adds(b, "</ul>\n</main>\n");
	foot(b, pg);
}

static void
hashes(struct vf_pages *pg, const char *rel, const char *name,
    const char *json, size_t n, int *rc)
{
	char hex[SHA512_DIGEST_STRING_LENGTH], path[4096];
	struct vf_buf b = { 0 };
	int r;

	SHA256Data((const uint8_t *)json, n, hex);
	vf_buf_printf(&b, "%s  %s\n", hex, name);
	(void)snprintf(path, sizeof(path), "%s.sha256", rel);
	if ((r = vf_pages_put(pg, path, b.p, b.len)) != 0)
		*rc = r;
	b.len = 0;
	SHA512Data((const uint8_t *)json, n, hex);
	vf_buf_printf(&b, "%s  %s\n", hex, name);
	(void)snprintf(path, sizeof(path), "%s.sha512", rel);
	if ((r = vf_pages_put(pg, path, b.p, b.len)) != 0)
		*rc = r;
	vf_buf_free(&b);
	if (pg->sign_key != NULL) {
		struct vf_gpg g;

		memset(&g, 0, sizeof(g));
		if ((r = vf_gpg_sign_detached(json, n, pg->sign_key, &g)) !=
		    0) {
			warnx("%s: gpg could not sign with %s", rel,
			    pg->sign_key);
			*rc = r;
		} else {
			(void)snprintf(path, sizeof(path), "%s.asc", rel);
			if ((r = vf_pages_put(pg, path, g.out.p, g.out.len)) !=
			    0)
				*rc = r;
		}
		vf_gpg_free(&g);
	}
}

int
vf_pages_add(struct vf_pages *pg, const struct vf_record *r, char *err,
    size_t errlen)
{
	struct vf_adv a;
	struct vf_buf b = { 0 };
	char fname[512], rel[1024], date[64], *json;
	const char *name, *lang;
	int rc = 0, k, w;

	if ((json = vf_csaf(r, &pg->pub, err, errlen)) == NULL)
		return EX_DATAERR;
	memset(&a, 0, sizeof(a));
	vf_adv_id(r, a.id, sizeof(a.id));
	vf_csaf_filename(a.id, fname, sizeof(fname));
	(void)snprintf(a.base, sizeof(a.base), "%.*s",
	    (int)(strlen(fname) - 5), fname);
	(void)vf_adv_date(r, date, sizeof(date));
	(void)strlcpy(a.date, date, sizeof(a.date));
	(void)snprintf(a.date10, sizeof(a.date10), "%.10s", date);
	name = vf_record_get(r, "product.name");
	lang = vf_record_get(r, "case.lang");
	(void)snprintf(a.title_ja, sizeof(a.title_ja), "%s における脆弱性",
	    name);
	(void)snprintf(a.title_en, sizeof(a.title_en), "Vulnerability in %s",
	    name);
	(void)strlcpy(a.title, lang != NULL && strcmp(lang, "ja") == 0 ?
	    a.title_ja : a.title_en, sizeof(a.title));
	(void)snprintf(a.csaf_rel, sizeof(a.csaf_rel),
	    ".well-known/csaf/white/%.4s/%s", date, fname);

	/* The CSAF document, its hashes and signature. */
	if ((k = vf_pages_put(pg, a.csaf_rel, json, strlen(json))) != 0)
		rc = k;
	hashes(pg, a.csaf_rel, fname, json, strlen(json), &rc);
	free(json);
	for (k = 0; k < 2; k++) {
		b.len = 0;
		advisory_page(&b, pg, r, &a, k == 0);
		(void)snprintf(rel, sizeof(rel), "advisories/%s.%s.html",
		    a.base, k == 0 ? "ja" : "en");
		if ((w = vf_pages_put(pg, rel, b.p, b.len)) != 0)
			rc = w;
	}
	vf_buf_free(&b);
	pg->adv = vf_reallocarray(pg->adv, pg->nadv + 1, sizeof(*pg->adv));
	pg->adv[pg->nadv++] = a;
	return rc;
}

/* Newest first; the id breaks ties so the order is always the same. */
static int
by_date(const void *x, const void *y)
{
	const struct vf_adv *a = x, *b = y;
	int c = strcmp(b->date, a->date);

	return c != 0 ? c : strcmp(a->id, b->id);
}

/* A vf-stats TSV file as an HTML table (numbers and labels only). */
static void
tsv_table(struct vf_buf *b, const struct vf_pages *pg, const char *name,
    const char *title)
{
	char path[4096], *line = NULL;
	size_t size = 0;
	ssize_t n;
	FILE *fp;
	int first = 1;

	if (pg->stats == NULL || snprintf(path, sizeof(path), "%s/%s",
	    pg->stats, name) >= (int)sizeof(path) ||
	    (fp = fopen(path, "r")) == NULL)
		return;
	vf_buf_adds(b, "<h2>");
	vf_html(b, title);
	vf_buf_printf(b, "</h2>\n<table id=\"%.*s\">\n", (int)strcspn(name,
	    "."), name);
	while ((n = getline(&line, &size, fp)) != -1) {
		char *p = line, *t;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		vf_buf_adds(b, "<tr>");
		do {
			if ((t = strchr(p, '\t')) != NULL)
				*t = '\0';
			vf_buf_adds(b, first ? "<th>" : "<td>");
			vf_html(b, p);
			vf_buf_adds(b, first ? "</th>" : "</td>");
			p = t + 1;
		} while (t != NULL);
		vf_buf_adds(b, "</tr>\n");
		first = 0;
	}
	free(line);
	fclose(fp);
	vf_buf_adds(b, "</table>\n");
}

static int
copy_chart(struct vf_pages *pg, const char *name)
{
	char path[4096], rel[256];
	struct vf_buf b = { 0 };
	int fd, rc = 0;

	if (snprintf(path, sizeof(path), "%s/%s", pg->stats, name) >=
	    (int)sizeof(path) || (fd = open(path, O_RDONLY | O_CLOEXEC)) ==
	    -1)
		return 1;
	if (vf_buf_readfd(&b, fd, 16 * 1024 * 1024) != 0)
		rc = EX_IOERR;
	(void)close(fd);
	(void)snprintf(rel, sizeof(rel), "stats/%s", name);
	if (rc == 0)
		rc = vf_pages_put(pg, rel, b.p, b.len);
	vf_buf_free(&b);
	return rc;
}

int
vf_pages_finish(struct vf_pages *pg)
{
	static const char *const charts[] = { "trend.png", "trend.svg",
	    "cwe.png", "cwe.svg", NULL };
	struct vf_buf b = { 0 };
	json_t *pm, *o, *a;
	char now[64], *js, *p;
	size_t i;
	int rc = 0, k;

	qsort(pg->adv, pg->nadv, sizeof(*pg->adv), by_date);
	vf_timestamp(now, sizeof(now), 0);

	/* index.html */
	head(&b, "ja", "脆弱性関連情報の公表 / Advisories", "");
	vf_buf_adds(&b, "<main>\n<h1>");
	vf_html(&b, pg->pub.name);
	vf_buf_adds(&b, "</h1>\n<h2>脆弱性関連情報の公表 / Published "
	    "advisories</h2>\n<table id=\"advisories\">\n<tr><th>公表日 / "
	    "Published</th><th>ID</th><th>日本語</th><th>English</th></tr>\n");
	for (i = 0; i < pg->nadv; i++) {
		struct vf_adv *a1 = &pg->adv[i];

		vf_buf_printf(&b, "<tr><td>%s</td><td>", a1->date10);
		vf_html(&b, a1->id);
		vf_buf_printf(&b, "</td><td><a href=\"advisories/%s.ja.html\">",
		    a1->base);
		vf_html(&b, a1->title_ja);
		vf_buf_printf(&b, "</a></td><td><a href=\"advisories/%s.en."
		    "html\">", a1->base);
		vf_html(&b, a1->title_en);
		vf_buf_adds(&b, "</a></td></tr>\n");
	}
	vf_buf_adds(&b, "</table>\n");
	if (pg->nadv == 0)
		vf_buf_adds(&b, "<p>まだ公表はありません。No advisory has been "
		    "published yet.</p>\n");
	vf_buf_adds(&b, "</main>\n");
	foot(&b, pg);
	if ((k = vf_pages_put(pg, "index.html", b.p, b.len)) != 0)
		rc = k;

	/* statistics.html */
	b.len = 0;
	head(&b, "ja", "届出統計 / Statistics", "");
	vf_buf_adds(&b, "<main>\n<h1>届出統計 / Statistics</h1>\n");
	for (i = 0; pg->stats != NULL && charts[i] != NULL; i++)
		if ((k = copy_chart(pg, charts[i])) > 1)
			rc = k;
	if (pg->stats != NULL) {
		vf_buf_adds(&b, "<p><img id=\"trend\" src=\"stats/trend.svg\" "
		    "alt=\"Reports received per quarter, by type\"></p>\n"
		    "<p><img id=\"cwe\" src=\"stats/cwe.svg\" alt=\"Web reports "
		    "by vulnerability type\"></p>\n");
		tsv_table(&b, pg, "received.tsv", "届出件数 / Reports "
		    "received");
		tsv_table(&b, pg, "outcomes.tsv", "取扱い状況 / Outcomes");
		tsv_table(&b, pg, "timely.tsv", "期間内の対応 / Handled in "
		    "time");
		tsv_table(&b, pg, "open.tsv", "90日以上未完了 / Open more "
		    "than 90 days");
		tsv_table(&b, pg, "cwe.tsv", "脆弱性の種類 / Vulnerability "
		    "types");
		tsv_table(&b, pg, "delay.tsv", "対応日数 / Days to the end");
	} else
		vf_buf_adds(&b, "<p>No statistics given (vf-pages -s).</p>\n");
	vf_buf_adds(&b, "</main>\n");
	foot(&b, pg);
	if ((k = vf_pages_put(pg, "statistics.html", b.p, b.len)) != 0)
		rc = k;

	/* feed.xml: Atom (RFC 4287). */
	b.len = 0;
	vf_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
	    "xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
	vf_html(&b, pg->pub.name);
	vf_buf_printf(&b, "</title>\n<id>%s/feed.xml</id>\n<link rel=\"self\" "
	    "href=\"%s/feed.xml\"/>\n<link href=\"%s/\"/>\n<updated>%s"
	    "</updated>\n<author><name>", pg->pub.url, pg->pub.url,
	    pg->pub.url, pg->nadv > 0 ? pg->adv[0].date : now);
	vf_html(&b, pg->pub.name);
	vf_buf_adds(&b, "</name></author>\n");
	for (i = 0; i < pg->nadv; i++) {
		struct vf_adv *a1 = &pg->adv[i];

		vf_buf_adds(&b, "<entry>\n<title>");
		vf_html(&b, a1->id);
		vf_buf_adds(&b, ": ");
		vf_html(&b, a1->title_en);
		vf_buf_printf(&b, "</title>\n<id>%s/advisories/%s.en.html</id>\n"
		    "<link href=\"%s/advisories/%s.en.html\"/>\n<link "
		    "rel=\"alternate\" hreflang=\"ja\" href=\"%s/advisories/"
		    "%s.ja.html\"/>\n<link rel=\"related\" type=\"application/"
		    "json\" href=\"%s/%s\"/>\n<updated>%s</updated>\n</entry>\n",
		    pg->pub.url, a1->base, pg->pub.url, a1->base, pg->pub.url,
		    a1->base, pg->pub.url, a1->csaf_rel, a1->date);
	}
	vf_buf_adds(&b, "</feed>\n");
	if ((k = vf_pages_put(pg, "feed.xml", b.p, b.len)) != 0)
		rc = k;

	/* index.txt and changes.csv (newest first) of the white directory. */
	b.len = 0;
	for (i = 0; i < pg->nadv; i++)
		vf_buf_printf(&b, "%s\n", pg->adv[i].csaf_rel +
		    strlen(".well-known/csaf/white/"));
	if ((k = vf_pages_put(pg, ".well-known/csaf/white/index.txt", b.p,
	    b.len)) != 0)
		rc = k;
	b.len = 0;
	for (i = 0; i < pg->nadv; i++) {
		/* RFC 4180; our timestamps: seconds, Z. */
		vf_buf_printf(&b, "\"%s\",\"%.19sZ\"\n", pg->adv[i].csaf_rel +
		    strlen(".well-known/csaf/white/"), pg->adv[i].date);
	}
	if ((k = vf_pages_put(pg, ".well-known/csaf/white/changes.csv", b.p,
	    b.len)) != 0)
		rc = k;

	/* provider-metadata.json (CSAF 2.0 §7.1.7, provider_json_schema). */
	pm = json_object();
	vf_buf_free(&b);
	vf_buf_printf(&b, "%s/.well-known/csaf/provider-metadata.json",
	    pg->pub.url);
	json_object_set_new(pm, "canonical_url", json_string(b.p));
	a = json_array();
	o = json_object();
	b.len = 0;
	vf_buf_printf(&b, "%s/.well-known/csaf/white/", pg->pub.url);
	json_object_set_new(o, "directory_url", json_string(b.p));
	json_array_append_new(a, o);
	json_object_set_new(pm, "distributions", a);
	json_object_set_new(pm, "last_updated", json_string(now));
	json_object_set_new(pm, "list_on_CSAF_aggregators", json_true());
	json_object_set_new(pm, "metadata_version", json_string("2.0"));
	json_object_set_new(pm, "mirror_on_CSAF_aggregators", json_true());
	if (pg->sign_key != NULL) {
		struct vf_gpg g;
		char rel[256];

		/* The key the documents are signed with (requirement 20). */
		memset(&g, 0, sizeof(g));
		(void)snprintf(rel, sizeof(rel), ".well-known/csaf/openpgp/%s.asc",
		    pg->sign_key);
		if ((k = vf_gpg_export(pg->sign_key, &g)) != 0) {
			warnx("gpg could not export key %s", pg->sign_key);
			rc = k;
		} else if ((k = vf_pages_put(pg, rel, g.out.p, g.out.len)) != 0)
			rc = k;
		vf_gpg_free(&g);
		a = json_array();
		o = json_object();
		json_object_set_new(o, "fingerprint",
		    json_string(pg->sign_key));
		b.len = 0;
		vf_buf_printf(&b, "%s/.well-known/csaf/openpgp/%s.asc",
		    pg->pub.url, pg->sign_key);
		json_object_set_new(o, "url", json_string(b.p));
		json_array_append_new(a, o);
		json_object_set_new(pm, "public_openpgp_keys", a);
	}
	o = json_object();
	json_object_set_new(o, "category", json_string("coordinator"));
	json_object_set_new(o, "name", json_string(pg->pub.name));
	json_object_set_new(o, "namespace", json_string(pg->pub.url));
	json_object_set_new(pm, "publisher", o);
	/* Trusted only when the documents are signed (requirement 19). */
	json_object_set_new(pm, "role", json_string(pg->sign_key != NULL ?
	    "csaf_trusted_provider" : "csaf_provider"));
	js = json_dumps(pm, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(pm);
	if (js == NULL)
		(void)vf_malloc(SIZE_MAX);
	p = js;
	if ((k = vf_pages_put(pg, ".well-known/csaf/provider-metadata.json",
	    p, strlen(p))) != 0)
		rc = k;
	free(js);
	vf_buf_free(&b);
	return rc;
}

int
vf_pages_open(struct vf_pages *pg, const char *dir)
{
	memset((char *)pg + offsetof(struct vf_pages, dirfd), 0,
	    sizeof(*pg) - offsetof(struct vf_pages, dirfd));
	pg->dir = dir;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		warn("%s", dir);
		return vf_errno_exit(errno);
	}
	if ((pg->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		warn("%s", dir);
		return vf_errno_exit(errno);
	}
	return 0;
}

void
vf_pages_close(struct vf_pages *pg)
{
	if (pg->dirfd >= 0)
		(void)close(pg->dirfd);
	free(pg->adv);
	pg->adv = NULL;
	pg->nadv = 0;
	pg->dirfd = -1;
}
