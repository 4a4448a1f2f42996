/*
 * Notice templates: SHARE/templates/KIND.LANG, one per notice kind and
 * language.
 *
 *	Subject: <plain text>
 *
 *	<body, with ${name} slots>
 *
 * A slot names a field of the view the notice is made from (case.id,
 * web.url, ...), one of the few values vf-notify adds (office.name,
 * office.address, route.name, missing, message), or ${fields}: the whole
 * view, each field with its label in the template's language. "$$" is a
 * dollar sign; any other '$' is an error, so that a typo cannot hide a
 * slot. The Subject takes no slot: it travels outside the encryption.
 *
 * Filling copies values as they are, never interpreting them: no format
 * string, no shell, no nested slot (a value holding "${x}" stays that
 * text). A slot the view and the values lack, or that is empty, fails the
 * notice: an empty slot in a mail to an outsider would be a question
 * nobody asked.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define TEMPLATE_MAX	(64 * 1024)
#define SLOT_MAX	64

static int
word_ok(const char *s, int dots)
{
	if (*s == '\0' || strlen(s) > 32)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || (dots && *s == '.')))
			return 0;
	return 1;
}

/*
 * The slot at p (just after "${"): its name copied into name, the length
 * up to and with the '}' returned; 0 when it is not one.
 */
static size_t
slot(const char *p, char *name, size_t size)
{
	size_t n;

	for (n = 0; p[n] != '\0' && p[n] != '}' && p[n] != '\n'; n++)
		if (n >= size - 1)
			return 0;
	if (p[n] != '}' || n == 0)
		return 0;
	memcpy(name, p, n);
	name[n] = '\0';
	if (!word_ok(name, 1) || !(name[0] >= 'a' && name[0] <= 'z'))
		return 0;
	return n + 1;
}

static size_t
line_of(const char *start, const char *at)
{
	size_t n = 1;

	for (; start < at; start++)
		n += *start == '\n';
	return n;
}

/* Every '$' of the body starts "$$" or a well-formed slot. */
static int
check_body(const struct vf_template *t, size_t first, char *err,
    size_t errlen)
{
	char name[SLOT_MAX];
	const char *p;
	size_t n;

	for (p = t->body; (p = strchr(p, '$')) != NULL; ) {
		if (p[1] == '$') {
			p += 2;
			continue;
		}
		if (p[1] != '{' || (n = slot(p + 2, name, sizeof(name))) == 0) {
			(void)snprintf(err, errlen, "%s:%zu: a '$' that is "
			    "neither \"$$\" nor a slot ${name}", t->path,
			    first + line_of(t->body, p) - 1);
			return EX_CONFIG;
		}
		p += 2 + n;
	}
	return 0;
}

int
vf_template_load(struct vf_template *t, const char *kind, const char *lang,
    char *err, size_t errlen)
{
	struct vf_buf b = { 0 };
	char path[4096], *nl, *s;
	struct stat st;
	int fd, r;

	memset(t, 0, sizeof(*t));
	if (kind == NULL || !word_ok(kind, 0) || lang == NULL ||
	    (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)) {
		(void)snprintf(err, errlen, "no template for kind %s, "
		    "language %s", kind != NULL ? kind : "?",
		    lang != NULL ? lang : "?");
		return EX_USAGE;
	}
	if (snprintf(path, sizeof(path), "%s/templates/%s.%s", vf_share(),
	    kind, lang) >= (int)sizeof(path)) {
		(void)snprintf(err, errlen, "VF_SHARE too long");
		return EX_CONFIG;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return EX_CONFIG;
	}
	t->path = vf_strdup(path);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    vf_file_trusted(&st, path, err, errlen) != 0) {
		(void)close(fd);
		vf_template_free(t);
		return EX_CONFIG;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		r = -1;
	else
		r = vf_buf_readfd(&b, fd, TEMPLATE_MAX);
	(void)close(fd);
	vf_buf_add(&b, "", 0);
	if (r != 0 || !vf_utf8_valid(b.p, b.len) ||
	    memchr(b.p, '\0', b.len) != NULL || memchr(b.p, '\r', b.len)) {
		(void)snprintf(err, errlen, "%s: not a template (a regular "
		    "file of UTF-8 text, LF line ends, at most 64 KiB)", path);
		vf_buf_free(&b);
		vf_template_free(t);
		return EX_CONFIG;
	}
	s = b.p;
	if (strncmp(s, "Subject:", 8) != 0 || (nl = strchr(s, '\n')) == NULL ||
	    nl[1] != '\n') {
		(void)snprintf(err, errlen, "%s:1: want a Subject: line and an "
		    "empty line before the body", path);
		vf_buf_free(&b);
		vf_template_free(t);
		return EX_CONFIG;
	}
	*nl = '\0';
	for (s += 8; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '\0' || strchr(s, '$') != NULL) {
		(void)snprintf(err, errlen, "%s:1: the Subject is empty or "
		    "holds a '$': it takes no slot, for it is not encrypted",
		    path);
		vf_buf_free(&b);
		vf_template_free(t);
		return EX_CONFIG;
	}
	t->subject = vf_strdup(s);
	t->body = vf_strdup(nl + 2);
	vf_buf_free(&b);
	if ((r = check_body(t, 3, err, errlen)) != 0) {
		vf_template_free(t);
		return r;
	}
	return 0;
}

void
vf_template_free(struct vf_template *t)
{
	free(t->path);
	free(t->subject);
	free(t->body);
	memset(t, 0, sizeof(*t));
}

int
vf_template_fill(const struct vf_template *t, const struct vf_view *w,
    const struct vf_kv *vars, size_t nvars, const struct vf_fields *ft,
    const char *lang, struct vf_buf *o, char *err, size_t errlen)
{
	char name[SLOT_MAX];
	const struct vf_kv *kv;
	const char *p, *q, *v;
	size_t n;

	for (p = t->body; (q = strchr(p, '$')) != NULL; p = q) {
		vf_buf_add(o, p, (size_t)(q - p));
		if (q[1] == '$') {
			vf_buf_addc(o, '$');
			q += 2;
			continue;
		}
		if (q[1] != '{' || (n = slot(q + 2, name, sizeof(name))) == 0) {
			(void)snprintf(err, errlen, "%s: a stray '$'", t->path);
			return EX_CONFIG;
		}
		q += 2 + n;
		if (strcmp(name, "fields") == 0) {
			if (w->n == 0) {
				(void)snprintf(err, errlen, "%s:%zu: ${fields}, "
				    "but the view is empty", t->path,
				    2 + line_of(t->body, q));
				return EX_DATAERR;
			}
			/* The slot's own line end follows it. */
			vf_view_text(o, w, ft, lang);
			o->len--;
			o->p[o->len] = '\0';
			continue;
		}
		if ((v = vf_view_get(w, name)) == NULL &&
		    (kv = vf_kv_find(vars, nvars, name)) != NULL)
			v = kv->value;
		if (v == NULL || *v == '\0') {
			(void)snprintf(err, errlen, "%s:%zu: ${%s} is not in "
			    "the view of this case (or empty): the notice is "
			    "not made", t->path, 2 + line_of(t->body, q), name);
			return EX_DATAERR;
		}
		vf_add_printable(o, v);
	}
	vf_buf_adds(o, p);
	return 0;
}
