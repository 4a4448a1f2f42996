/*
 * Views: what one audience may see of one case, by the policy.
 *
 * A view holds fields only. The report's text, its attachments, the
 * follow-ups and the original hold everything at once (the reporter's
 * details and the attack method among them), so they are in no view; only
 * the office reads them (vf-show). The case.* fields are derived from the
 * case file itself (its Vf-Id, Vf-Kind, state, Vf-Received and language),
 * never stored, so that the policy decides about them as about any field.
 *
 * The view is all or nothing: one field the policy cannot decide about
 * (no rule, a consent not stated or unclear, a field the table does not
 * know) and the view is empty and the caller fails.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"

/* The fields the case file itself gives, in the table's names. */
static const char *const derived[] = {
	"case.id", "case.kind", "case.state", "case.received", "case.lang"
};
#define NDERIVED	(sizeof(derived) / sizeof(derived[0]))

static int
derived_index(const char *name)
{
	size_t i;

	for (i = 0; i < NDERIVED; i++)
		if (strcmp(name, derived[i]) == 0)
			return (int)i;
	return -1;
}

/* The code point at s, of n bytes left (a bad byte counts as itself). */
static unsigned long
cp(const unsigned char *s, size_t n, size_t *len)
{
	*len = 1;
	if (s[0] >= 0xc0 && s[0] < 0xe0 && n >= 2 && (s[1] & 0xc0) == 0x80) {
		*len = 2;
		return (unsigned long)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] >= 0xe0 && s[0] < 0xf0 && n >= 3 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*len = 3;
		return (unsigned long)(s[0] & 0x0f) << 12 |
		    (unsigned long)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	return s[0];
}

/* Kana, CJK ideographs, CJK punctuation, full- and half-width forms. */
static int
japanese(unsigned long c)
{
	return (c >= 0x3000 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef);
}

static void
count(const char *s, size_t n, size_t *jp, size_t *latin)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, l;
	unsigned long c;

	for (i = 0; i < n; i += l) {
		c = cp(p + i, n - i, &l);
		if (japanese(c))
			(*jp)++;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			(*latin)++;
	}
}

/*
 * Japanese when Japanese script makes up a fifth of the letters of the
 * report and its fields: a Japanese form is mostly kana and kanji even
 * with English names and URLs in it, and an English report with a
 * Japanese name in it is not.
 */
const char *
vf_case_lang(const struct vf_case *c)
{
	const char *v = vf_case_get(c, "Vf-Lang"), *role;
	size_t i, jp = 0, latin = 0;

	if (v != NULL && (strcmp(v, "ja") == 0 || strcmp(v, "en") == 0))
		return strcmp(v, "ja") == 0 ? "ja" : "en";
	for (i = 0; i < c->nfield; i++)
		count(c->field[i].value, strlen(c->field[i].value), &jp,
		    &latin);
	for (i = 0; i < c->npart; i++)
		if ((role = vf_cpart_get(&c->part[i], "Vf-Part")) != NULL &&
		    strcmp(role, VF_PART_REPORT) == 0)
			count(c->part[i].body, c->part[i].len, &jp, &latin);
	return jp >= 4 && jp * 5 >= jp + latin ? "ja" : "en";
}

/* lang: vf_case_lang's answer, worked out once a view (it counts every
   letter of the report). */
static char *
derive(const struct vf_case *c, const char *state, const char *lang, int i)
{
	const char *v;

	switch (i) {
	case 0:
		v = vf_case_get(c, "Vf-Id");
		break;
	case 1:
		v = vf_case_get(c, "Vf-Kind");
		if (v == NULL || vf_kind_parse(v) == 0)
			v = "unknown";
		break;
	case 2:
		v = state;
		break;
	case 3:
		/* The date of the time stamp, as the table's date format. */
		if ((v = vf_case_get(c, "Vf-Received")) == NULL ||
		    strlen(v) < 10)
			return NULL;
		return vf_strndup(v, 10);
	default:
		v = lang;
		break;
	}
	return v != NULL ? vf_strdup(v) : NULL;
}

static void
push(struct vf_view *w, const char *name, const char *value)
{
	w->v = vf_reallocarray(w->v, w->n + 1, sizeof(*w->v));
	w->v[w->n].name = (char *)name;
	w->v[w->n].value = (char *)value;
	w->n++;
}

void
vf_view_free(struct vf_view *w)
{
	size_t i;

	free(w->v);
	for (i = 0; i < NDERIVED; i++)
		free(w->own[i]);
	memset(w, 0, sizeof(*w));
}

/* Decide about one field; 0 shown or hidden, else the exit status. */
static int
one(struct vf_view *w, const struct vf_policy *p, const struct vf_field *f,
    const struct vf_case *c, const char *audience, int phase, int kind,
    const char *value, char *err, size_t errlen)
{
	int d;

	if (value == NULL)
		return 0;
	d = vf_policy_decide(p, audience, phase, f, kind, c, err, errlen);
	if (d == -2)
		return EX_CONFIG;
	if (d == -1)
		return EX_DATAERR;
	if (d == VF_SHOW)
		push(w, f->name, value);
	return 0;
}

int
vf_view_make(struct vf_view *w, const struct vf_policy *p,
    const struct vf_fields *t, const struct vf_case *c, const char *state,
    const char *audience, char *err, size_t errlen)
{
	const struct vf_field *f;
	int phase, kind, k, rc = 0;
	size_t i;

	memset(w, 0, sizeof(*w));
	if (!vf_audience_valid(audience)) {
		(void)snprintf(err, errlen, "%s: no such audience (office, "
		    "reporter, coordinator, vendor, operator, public)",
		    audience != NULL ? audience : "(none)");
		return EX_USAGE;
	}
	if ((phase = vf_policy_phase(p, state)) == -1) {
		(void)snprintf(err, errlen, "%s names no phase for state %s: "
		    "nothing is shown", p->path, state != NULL ? state : "?");
		return EX_CONFIG;
	}
	/* Every field of the case must be one the policy can decide on. */
	for (i = 0; i < c->nfield; i++) {
		if (vf_fields_find(t, c->field[i].name) == NULL) {
			(void)snprintf(err, errlen, "field %s is not in the "
			    "field table, so no rule covers it: nothing is "
			    "shown", c->field[i].name);
			return EX_DATAERR;
		}
		if (derived_index(c->field[i].name) != -1) {
			(void)snprintf(err, errlen, "field %s is stored in "
			    "the case, but it is only ever derived from the "
			    "case file: nothing is shown", c->field[i].name);
			return EX_DATAERR;
		}
	}
	kind = vf_kind_bit(vf_case_get(c, "Vf-Kind"));
	memcpy(w->lang, vf_case_lang(c), 3);
	for (i = 0; i < NDERIVED; i++)
		w->own[i] = derive(c, state, w->lang, (int)i);
	/* case.* first, then the rest, each in table order. */
	for (i = 0; i < t->n && rc == 0; i++) {
		f = &t->f[i];
		if ((k = derived_index(f->name)) != -1)
			rc = one(w, p, f, c, audience, phase, kind, w->own[k],
			    err, errlen);
	}
	for (i = 0; i < t->n && rc == 0; i++) {
		f = &t->f[i];
		if (derived_index(f->name) == -1)
			rc = one(w, p, f, c, audience, phase, kind,
			    vf_case_field(c, f->name), err, errlen);
	}
	if (rc != 0)
		vf_view_free(w);
	return rc;
}

const char *
vf_view_get(const struct vf_view *w, const char *name)
{
	const struct vf_kv *kv = vf_kv_find(w->v, w->n, name);

	return kv != NULL ? kv->value : NULL;
}

void
vf_view_intersect(struct vf_view *w, const struct vf_view *o)
{
	size_t i, k;
	const char *v;

	for (i = k = 0; i < w->n; i++)
		if ((v = vf_view_get(o, w->v[i].name)) != NULL &&
		    strcmp(v, w->v[i].value) == 0)
			w->v[k++] = w->v[i];
	w->n = k;
}

void
vf_view_restrict(struct vf_view *w, const struct vf_fields *t,
    const char *const *keep)
{
	const struct vf_field *f;
	size_t i, j, k;

	for (i = k = 0; i < w->n; i++) {
		f = vf_fields_find(t, w->v[i].name);
		for (j = 0; keep[j] != NULL; j++)
			if (strcmp(keep[j], w->v[i].name) == 0 ||
			    (f != NULL &&
			    strcmp(keep[j], vf_class_name(f->class)) == 0))
				break;
		if (keep[j] != NULL)
			w->v[k++] = w->v[i];
	}
	w->n = k;
}

void
vf_view_write(const struct vf_view *w, struct vf_buf *b)
{
	const char *s;
	size_t i;

	for (i = 0; i < w->n; i++) {
		vf_buf_printf(b, "%s: ", w->v[i].name);
		/* The case file's syntax: each further line after a TAB. */
		for (s = w->v[i].value; *s != '\0'; s++) {
			vf_buf_addc(b, *s);
			if (*s == '\n')
				vf_buf_addc(b, '\t');
		}
		vf_buf_addc(b, '\n');
	}
}

void
vf_view_text(struct vf_buf *o, const struct vf_view *w,
    const struct vf_fields *ft, const char *lang)
{
	const struct vf_field *f;
	const char *label, *s, *e;
	char *ln;
	size_t i;

	for (i = 0; i < w->n; i++) {
		f = vf_fields_find(ft, w->v[i].name);
		label = f == NULL ? w->v[i].name : strcmp(lang, "ja") == 0 ?
		    f->ja[0] : f->en[0];
		vf_buf_adds(o, label);
		if (strchr(w->v[i].value, '\n') == NULL) {
			vf_buf_adds(o, ": ");
			vf_add_printable(o, w->v[i].value);
			vf_buf_addc(o, '\n');
			continue;
		}
		vf_buf_adds(o, ":\n");
		for (s = w->v[i].value; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
			if ((e = strchr(s, '\n')) == NULL)
				e = s + strlen(s);
			ln = vf_strndup(s, (size_t)(e - s));
			if (*ln != '\0')
				vf_buf_adds(o, "    ");
			vf_add_printable(o, ln);
			vf_buf_addc(o, '\n');
			free(ln);
		}
	}
}

void
vf_add_printable(struct vf_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			vf_buf_addc(b, *p);
		else if (*p < 0x20 || *p == 0x7f)
			vf_buf_addc(b, '?');
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* A C1 control, as a terminal would obey it. */
			vf_buf_addc(b, '?');
			p++;
		} else
			vf_buf_addc(b, *p);
	}
}
