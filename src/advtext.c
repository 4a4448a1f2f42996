/*
 * A published software case as a plain-text notice, in Japanese or in
 * English, made from the public record alone. The texts (summary, threat,
 * workaround) are the record's, in the language the report came in; the
 * labels are the field table's canonical ones for the language asked for,
 * so that the notice and the forms name things alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

static const char *
label(const struct vf_fields *ft, const char *name, int ja)
{
	const struct vf_field *f = vf_fields_find(ft, name);

	if (f == NULL)
		return name;
	return ja ? (f->nja > 0 ? f->ja[0] : name) :
	    (f->nen > 0 ? f->en[0] : name);
}

/* A text field: its label, then the text indented by two spaces. */
static void
section(struct vf_buf *b, const char *title, const char *text)
{
	const char *p, *nl;

	vf_buf_printf(b, "\n%s\n", title);
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1 + 1;
		vf_buf_adds(b, "  ");
		vf_buf_add(b, p, (size_t)(nl - p));
		vf_buf_addc(b, '\n');
		if (*nl == '\0')
			break;
	}
}

int
vf_adv_text(const struct vf_record *r, const struct vf_fields *ft,
    const struct vf_publisher *pub, const char *lang, struct vf_buf *b,
    char *err, size_t errlen)
{
	static const char *const texts[] = { "vuln.summary",
	    "vuln.environment", "vuln.threat", "vuln.workaround" };
	const char *name, *ver, *vendor, *v, *credit;
	char id[256], date[64];
	size_t i;
	int ja;

	if (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0) {
		(void)snprintf(err, errlen, "%s: no such language (ja, en)",
		    lang);
		return -1;
	}
	ja = strcmp(lang, "ja") == 0;
	if (!vf_adv_published(r) ||
	    (name = vf_record_get(r, "product.name")) == NULL ||
	    vf_record_get(r, "vuln.summary") == NULL ||
	    vf_adv_date(r, date, sizeof(date)) == -1) {
		(void)snprintf(err, errlen, "not a published software case "
		    "with a product, a summary and a publication date");
		return -1;
	}
	vf_adv_id(r, id, sizeof(id));
	ver = vf_record_get(r, "product.version");
	vendor = vf_record_get(r, "product.vendor");
	vf_buf_printf(b, "%s\n%s\n", id, ja ? "ソフトウエア製品の脆弱性に"
	    "関する公表" : "Vulnerability advisory for a software product");
	vf_buf_printf(b, "%s: %s\n", ja ? "公表者" : "Published by",
	    pub->name);
	vf_buf_printf(b, "%s: %.10s\n", label(ft, "status.published", ja),
	    date);
	if ((v = vf_record_get(r, "case.id")) != NULL)
		vf_buf_printf(b, "%s: VF#%s\n", label(ft, "case.id", ja), v);
	vf_buf_printf(b, "\n%s: %s\n", label(ft, "product.name", ja), name);
	if (ver != NULL)
		vf_buf_printf(b, "%s: %s\n", label(ft, "product.version", ja),
		    ver);
	if (vendor != NULL)
		vf_buf_printf(b, "%s: %s\n", label(ft, "product.vendor", ja),
		    vendor);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if ((v = vf_record_get(r, texts[i])) != NULL)
			section(b, label(ft, texts[i], ja), v);
	if ((credit = vf_adv_credit(r)) != NULL) {
		vf_buf_printf(b, "\n%s\n  ", ja ? "謝辞" : "Credit");
		if (ja)
			vf_buf_printf(b, "この脆弱性は %s 氏が報告しました。\n",
			    credit);
		else
			vf_buf_printf(b, "%s reported this vulnerability.\n",
			    credit);
	}
	vf_buf_printf(b, "\n%s\n", ja ? "参考情報" : "References");
	if ((v = vf_record_get(r, "status.advisory-url")) != NULL)
		vf_buf_printf(b, "  %s\n", v);
	vf_buf_printf(b, "  %s/advisories/\n", pub->url);
	return 0;
}
