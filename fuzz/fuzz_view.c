/*
 * fuzz_view - views and what is made of them, from a case file anyone can
 * fill: a report's fields are the reporter's (or an attacker's) words.
 *
 * For every audience and a state before and after publication: the view
 * by the shipped policy, its -f record, its text for people, a template
 * filled from it, the entity gpg would sign. Whatever the fields hold:
 * nothing crashes; a view holds only fields the case holds (or derives);
 * the public sees nothing before publication and never the attack method,
 * nor does the reporter; a view that fails is empty and says why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct vf_fields fields;
static struct vf_policy policy;

static void
unload(void)
{
	vf_policy_free(&policy);
	vf_fields_free(&fields);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* The shipped table and policy: what the tools decide by. */
	if (vf_share_fields(&fields) != 0 ||
	    vf_share_policy(&policy, &fields) != 0)
		exit(1);
	atexit(unload);
	return 0;
}

static void
check(const struct vf_case *c, const struct vf_view *w, const char *aud,
    int after)
{
	const struct vf_field *f;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if ((f = vf_fields_find(&fields, w->v[i].name)) == NULL)
			abort();
		/* Only what the case holds, or derives from itself. */
		if (strncmp(f->name, "case.", 5) != 0 &&
		    vf_case_field(c, f->name) != w->v[i].value)
			abort();
		if (strcmp(aud, "public") == 0 && (!after ||
		    f->class == VF_CLASS_ATTACK))
			abort();
		if (strcmp(aud, "reporter") == 0 &&
		    f->class == VF_CLASS_ATTACK)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const states[] = { "waiting", "published" };
	struct vf_template t;
	struct vf_case c;
	struct vf_view w;
	struct vf_buf o = { 0 }, e = { 0 };
	struct vf_kv vars[] = { { "office.name", "Office" } };
	char *in, err[512];
	size_t a, s;
	int rc;

	in = vf_malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	memset(&c, 0, sizeof(c));
	if (vf_case_parse(&c, in, size, err, sizeof(err)) != 0) {
		vf_case_free(&c);
		free(in);
		return 0;
	}
	(void)vf_case_lang(&c);
	memset(&t, 0, sizeof(t));
	t.path = "fuzz";
	t.subject = "s";
	t.body = "${office.name}\n${fields}\n${case.id} ${reporter.name} "
	    "${web.url}\n$$\n";
	for (a = 0; vf_audiences[a] != NULL; a++)
		for (s = 0; s < 2; s++) {
			rc = vf_view_make(&w, &policy, &fields, &c, states[s],
			    vf_audiences[a], err, sizeof(err));
			if (rc != 0) {
				if (w.n != 0 || w.v != NULL || err[0] == '\0')
					abort();
				continue;
			}
			check(&c, &w, vf_audiences[a], (int)s);
			o.len = e.len = 0;
			vf_view_write(&w, &o);
			vf_view_text(&o, &w, &fields, w.lang);
			if (w.n > 0)
				(void)vf_template_fill(&t, &w, vars, 1, &fields,
				    s ? "ja" : "en", &o, err, sizeof(err));
			vf_mail_entity(&e, o.p != NULL ? o.p : "", o.len);
			vf_view_free(&w);
		}
	vf_buf_free(&o);
	vf_buf_free(&e);
	vf_case_free(&c);
	free(in);
	return 0;
}
