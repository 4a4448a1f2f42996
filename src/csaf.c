/*
 * A published software case as a CSAF 2.0 advisory, profile "Security
 * Advisory" (CSAF 2.0 §4.4): the document, a product tree naming the
 * product, one vulnerability with its notes, product status and
 * remediation, the reporter's credit only where the public record carries
 * it with the reporter's consent, TLP:WHITE (CLEAR in later TLP), and a
 * revision history. Made from the public record alone (vf-redact -f -a
 * public), written with jansson, keys sorted (§5.3).
 *
 * Rules of the standard that bite (and that the mandatory tests of §6.1
 * check): dates are RFC 3339 with "T"; a final document has an integer
 * version with a sorted revision history whose last number is that
 * version (6.1.14, 6.1.16, 6.1.21); every product_id used is defined once
 * in the product tree (6.1.1, 6.1.2); a version written as a range
 * ("5.0.0 to 5.0.7") is a product_version_range, never a product_version
 * (6.1.31); the profile needs product_tree, vulnerabilities, and notes and
 * product_status in each vulnerability (6.1.27.4 to 6.1.27.6, 6.1.27.11).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vf.h"

#define PID	"CSAFPID-0001"

int
vf_adv_published(const struct vf_record *r)
{
	const char *kind = vf_record_get(r, "case.kind");
	const char *state = vf_record_get(r, "case.state");

	if (kind == NULL || (strcmp(kind, "software") != 0 &&
	    strcmp(kind, "vendor") != 0))
		return 0;
	if (state != NULL)
		return strcmp(state, "published") == 0;
	return vf_record_get(r, "status.published") != NULL;
}

/*
 * Fail closed: the name alone is no credit. The public view must carry
 * the reporter's yes beside it, and only a software advisory credits.
 */
const char *
vf_adv_credit(const struct vf_record *r)
{
	const char *name = vf_record_get(r, "reporter.name");
	const char *yes = vf_record_get(r, "consent.publish-name");

	if (!vf_adv_published(r) || name == NULL || yes == NULL ||
	    strcmp(yes, "yes") != 0 || name[strspn(name, " \t")] == '\0')
		return NULL;
	return name;
}

const char *
vf_adv_id(const struct vf_record *r, char *buf, size_t size)
{
	const char *v = vf_record_get(r, "status.advisory");
	const char *id = vf_record_get(r, "case.id");

	if (v != NULL && *v != '\0' && strchr(v, '\n') == NULL)
		(void)strlcpy(buf, v, size);
	else if (snprintf(buf, size, "VF#%s", id != NULL ? id : "unknown") >=
	    (int)size)
		buf[size - 1] = '\0';
	return buf;
}

int
vf_adv_date(const struct vf_record *r, char *buf, size_t size)
{
	const char *v = vf_record_get(r, "status.pubdate-utc");
	const char *d = vf_record_get(r, "status.published");
	time_t t;

	/* The agreed time when it is that day; else the day, at 00:00 UTC. */
	if (v != NULL && vf_time_parse(v, &t) == 0 &&
	    (d == NULL || strncmp(v, d, 10) == 0)) {
		if (snprintf(buf, size, "%.19s.000Z", v) >= (int)size)
			return -1;
		return 0;
	}
	if (d == NULL || vf_date_parse(d) == 0)
		return -1;
	if (snprintf(buf, size, "%sT00:00:00.000Z", d) >= (int)size)
		return -1;
	return 0;
}

void
vf_csaf_filename(const char *id, char *buf, size_t size)
{
	size_t o = 0;
	int gap = 0;

	for (; *id != '\0' && o + 6 < size; id++) {
		int c = tolower((unsigned char)*id);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '-') {
			if (gap)
				buf[o++] = '_';
			gap = 0;
			buf[o++] = (char)c;
		} else
			gap = 1;
	}
	if (gap && o + 6 < size)
		buf[o++] = '_';
	memcpy(buf + o, ".json", 6);
}

/* A JSON string, or NULL for text that is not UTF-8 (jansson refuses). */
static json_t *
str(const char *s)
{
	return json_string(s);
}

/* Put k: v into o; 0 when v could be made. */
static int
put(json_t *o, const char *k, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(o, k, v);
}

static json_t *
note(const char *category, const char *title, const char *text)
{
	json_t *n = json_object();

	if (put(n, "category", str(category)) == -1 ||
	    put(n, "title", str(title)) == -1 ||
	    put(n, "text", str(text)) == -1) {
		json_decref(n);
		return NULL;
	}
	return n;
}

static json_t *
ids(void)
{
	json_t *a = json_array();

	json_array_append_new(a, json_string(PID));
	return a;
}

/* vendor > product name > version range > the product, or a flat name. */
static json_t *
product_tree(const struct vf_record *r, char *full, size_t size)
{
	const char *name = vf_record_get(r, "product.name");
	const char *ver = vf_record_get(r, "product.version");
	const char *vendor = vf_record_get(r, "product.vendor");
	json_t *tree = json_object(), *prod = json_object(), *b, *a;

	if (snprintf(full, size, "%s%s%s%s", vendor != NULL ? vendor : "",
	    vendor != NULL ? " " : "", name, ver != NULL ? " " : "") >=
	    (int)size || strlcat(full, ver != NULL ? ver : "", size) >= size)
		full[size - 1] = '\0';
	for (char *p = full; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	if (put(prod, "name", str(full)) == -1 ||
	    put(prod, "product_id", str(PID)) == -1)
		goto bad;
	if (vendor == NULL) {
		a = json_array();
		json_array_append_new(a, prod);
		json_object_set_new(tree, "full_product_names", a);
		return tree;
	}
	if (ver != NULL) {
		b = json_object();
		if (put(b, "category", str("product_version_range")) == -1 ||
		    put(b, "name", str(ver)) == -1) {
			json_decref(b);
			goto bad;
		}
		json_object_set_new(b, "product", prod);
		prod = b;
	}
	b = json_object();
	if (put(b, "category", str("product_name")) == -1 ||
	    put(b, "name", str(name)) == -1) {
		json_decref(b);
		goto bad;
	}
	if (ver != NULL) {
		a = json_array();
		json_array_append_new(a, prod);
		json_object_set_new(b, "branches", a);
	} else
		json_object_set_new(b, "product", prod);
	prod = b;
	b = json_object();
	if (put(b, "category", str("vendor")) == -1 ||
	    put(b, "name", str(vendor)) == -1) {
		json_decref(b);
		goto bad;
	}
	a = json_array();
	json_array_append_new(a, prod);
	json_object_set_new(b, "branches", a);
	a = json_array();
	json_array_append_new(a, b);
	json_object_set_new(tree, "branches", a);
	return tree;
bad:
	json_decref(prod);
	json_decref(tree);
	return NULL;
}

char *
vf_csaf(const struct vf_record *r, const struct vf_publisher *pub, char *err,
    size_t errlen)
{
	const char *name, *summary, *v, *lang, *credit;
	char id[256], date[64], now[64], full[1024], url[2048], title[512];
	json_t *doc, *d, *o, *a, *vuln, *x;
	char *out = NULL;
	int ja;

	if (!vf_adv_published(r)) {
		(void)snprintf(err, errlen, "not a published software case");
		return NULL;
	}
	if ((name = vf_record_get(r, "product.name")) == NULL ||
	    (summary = vf_record_get(r, "vuln.summary")) == NULL) {
		(void)snprintf(err, errlen, "the public record has no %s",
		    name == NULL ? "product.name" : "vuln.summary");
		return NULL;
	}
	if (vf_adv_date(r, date, sizeof(date)) == -1) {
		(void)snprintf(err, errlen, "the public record has no "
		    "publication date (status.published)");
		return NULL;
	}
	vf_adv_id(r, id, sizeof(id));
	lang = vf_record_get(r, "case.lang");
	ja = lang != NULL && strcmp(lang, "ja") == 0;
	vf_timestamp(now, sizeof(now), 0);
	memmove(now + 20, now + 19, 2);
	memcpy(now + 19, ".000Z", 6);

	doc = json_object();
	d = json_object();
	put(d, "category", str("csaf_security_advisory"));
	put(d, "csaf_version", str("2.0"));
	put(d, "lang", str(ja ? "ja" : "en"));
	(void)snprintf(title, sizeof(title), ja ? "%s における脆弱性" :
	    "Vulnerability in %s", name);
	if (put(d, "title", str(title)) == -1)
		goto bad;
	o = json_object();
	put(o, "category", str("coordinator"));
	put(o, "name", str(pub->name));
	put(o, "namespace", str(pub->url));
	json_object_set_new(d, "publisher", o);
	o = json_object();
	x = json_object();
	put(x, "label", str("WHITE"));
	put(x, "url", str("https://www.first.org/tlp/"));
	json_object_set_new(o, "tlp", x);
	put(o, "text", str("TLP:WHITE (TLP 2.0: CLEAR): disclosure is not "
	    "limited."));
	json_object_set_new(d, "distribution", o);

	a = json_array();
	x = json_object();
	put(x, "category", str("self"));
	put(x, "summary", str(ja ? "この公表文" : "This advisory"));
	vf_csaf_filename(id, full, sizeof(full));
	(void)snprintf(url, sizeof(url), "%s/advisories/%.*s.%s.html",
	    pub->url, (int)(strlen(full) - 5), full, ja ? "ja" : "en");
	put(x, "url", str(url));
	json_array_append_new(a, x);
	if ((v = vf_record_get(r, "status.advisory-url")) != NULL &&
	    strncmp(v, "http", 4) == 0 && strpbrk(v, " \n\t") == NULL) {
		x = json_object();
		put(x, "category", str("external"));
		put(x, "summary", str(id));
		put(x, "url", str(v));
		json_array_append_new(a, x);
	}
	json_object_set_new(d, "references", a);

	if ((credit = vf_adv_credit(r)) != NULL) {
		a = json_array();
		x = json_object();
		o = json_array();
		if (json_array_append_new(o, str(credit)) == -1) {
			json_decref(o);
			json_decref(x);
			json_decref(a);
			goto bad;
		}
		json_object_set_new(x, "names", o);
		put(x, "summary", str(ja ? "脆弱性の報告" :
		    "reported the vulnerability"));
		json_array_append_new(a, x);
		json_object_set_new(d, "acknowledgments", a);
	}

	o = json_object();
	put(o, "id", str(id));
	put(o, "status", str("final"));
	put(o, "version", str("1"));
	put(o, "initial_release_date", str(date));
	put(o, "current_release_date", str(date));
	a = json_array();
	x = json_object();
	put(x, "date", str(date));
	put(x, "number", str("1"));
	put(x, "summary", str(ja ? "初版" : "Initial public release."));
	json_array_append_new(a, x);
	json_object_set_new(o, "revision_history", a);
	x = json_object();
	put(x, "date", str(now));
	json_object_set_new(x, "engine", json_pack("{s:s}", "name", "vf"));
	json_object_set_new(o, "generator", x);
	json_object_set_new(d, "tracking", o);
	json_object_set_new(doc, "document", d);

	if ((x = product_tree(r, full, sizeof(full))) == NULL)
		goto bad;
	json_object_set_new(doc, "product_tree", x);

	vuln = json_object();
	a = json_array();
	if ((x = note("description", ja ? "脆弱性の概要" :
	    "Vulnerability description", summary)) == NULL)
		goto badv;
	json_array_append_new(a, x);
	if ((v = vf_record_get(r, "vuln.environment")) != NULL) {
		if ((x = note("details", ja ? "動作環境" : "Environment",
		    v)) == NULL)
			goto badv;
		json_array_append_new(a, x);
	}
	json_object_set_new(vuln, "notes", a);
	o = json_object();
	json_object_set_new(o, "known_affected", ids());
	json_object_set_new(vuln, "product_status", o);
	a = json_array();
	x = json_object();
	if ((v = vf_record_get(r, "vuln.workaround")) != NULL) {
		put(x, "category", str("workaround"));
		if (put(x, "details", str(v)) == -1) {
			json_decref(x);
			json_decref(a);
			goto badv;
		}
	} else {
		put(x, "category", str("none_available"));
		put(x, "details", str(ja ? "回避策は報告されていません。"
		    "製品開発者の情報を確認してください。" :
		    "No workaround was reported; see the vendor's "
		    "information."));
	}
	json_object_set_new(x, "product_ids", ids());
	json_array_append_new(a, x);
	json_object_set_new(vuln, "remediations", a);
	if ((v = vf_record_get(r, "vuln.threat")) != NULL) {
		a = json_array();
		x = json_object();
		put(x, "category", str("impact"));
		if (put(x, "details", str(v)) == -1) {
			json_decref(x);
			json_decref(a);
			goto badv;
		}
		json_array_append_new(a, x);
		json_object_set_new(vuln, "threats", a);
	}
	a = json_array();
	json_array_append_new(a, vuln);
	json_object_set_new(doc, "vulnerabilities", a);

	out = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(doc);
	if (out == NULL)
		(void)vf_malloc(SIZE_MAX);	/* jansson's only failure */
	{
		/* A text file: it ends in a line end. */
		size_t n = strlen(out);
		char *t = vf_malloc(n + 2);

		memcpy(t, out, n);
		memcpy(t + n, "\n", 2);
		free(out);
		out = t;
	}
	return out;
badv:
	json_decref(vuln);
bad:
	json_decref(doc);
	(void)snprintf(err, errlen, "the public record holds text that is "
	    "not UTF-8");
	return NULL;
}
