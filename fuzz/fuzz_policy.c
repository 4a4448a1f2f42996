/*
 * fuzz_policy - the disclosure policy file (SHARE/policy), as an editor
 * or a bad merge could leave it.
 *
 * Whatever the file holds: the loader accepts it or refuses it with
 * "path:line: reason"; a policy it accepts decides every field of a case
 * for every audience and phase without crashing, and its rules are those
 * of a policy: a view that fails is empty and says why, and no view, by
 * any policy, holds a field the case does not hold.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "scratch.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct vf_fields fields;
static struct vf_case c;
static char path[PATH_MAX];

/* A case with a field of every class, and both consents stated. */
static const char case_text[] =
    "Vf-Id: 2026-00001\nVf-Kind: web\nSubject: [VF#2026-00001] web\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/plain; charset=utf-8\nVf-Part: fields\n\n"
    "reporter.name: Yamada Taro\nreporter.email: taro@example.jp\n"
    "web.url: https://shop.example.jp/\nweb.type: XSS\n"
    "vuln.reproduce: step one\n"
    "consent.operator: yes\nconsent.coordinator: no\n"
    "--b\nContent-Type: text/plain; charset=utf-8\nVf-Part: history\n\n"
    "2026-11-26T18:43:26Z root vf-parse: received web report\n"
    "--b--\n";

static void
unload(void)
{
	vf_case_free(&c);
	vf_fields_free(&fields);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];

	(void)argc;
	(void)argv;
	if (vf_share_fields(&fields) != 0)
		exit(1);
	memset(&c, 0, sizeof(c));
	if (vf_case_parse(&c, case_text, sizeof(case_text) - 1, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_policy: the built-in case: %s\n", err);
		exit(1);
	}
	(void)snprintf(path, sizeof(path), "%s/policy", scratch_dir(NULL));
	atexit(unload);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_policy p;
	struct vf_view w;
	char err[512];
	size_t a, s, i;
	int rc;

	scratch_write("policy", data, size);
	memset(&p, 0, sizeof(p));
	err[0] = '\0';
	if ((rc = vf_policy_load(&p, path, &fields, err, sizeof(err))) != 0) {
		/* Refused: with the file (and line) named. */
		if ((rc != EX_CONFIG && rc != EX_NOINPUT) ||
		    strncmp(err, path, strlen(path)) != 0)
			abort();
		vf_policy_free(&p);
		return 0;
	}
	for (s = 0; vf_states[s] != NULL; s++) {
		(void)vf_policy_phase(&p, vf_states[s]);
		for (a = 0; vf_audiences[a] != NULL; a++) {
			rc = vf_view_make(&w, &p, &fields, &c, vf_states[s],
			    vf_audiences[a], err, sizeof(err));
			if (rc != 0) {
				if (w.n != 0 || w.v != NULL || err[0] == '\0')
					abort();
				continue;
			}
			for (i = 0; i < w.n; i++)
				if (strncmp(w.v[i].name, "case.", 5) != 0 &&
				    vf_case_field(&c, w.v[i].name) !=
				    w.v[i].value)
					abort();
			vf_view_free(&w);
		}
	}
	(void)vf_policy_relay(&p, "vendor");
	(void)vf_policy_relay(&p, "operator");
	vf_policy_free(&p);
	return 0;
}
