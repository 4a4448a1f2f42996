/*
 * vf-redact - print what one audience may see of cases, by the policy.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

struct redact {
	struct vf_root		root;
	struct vf_fields	fields;
	struct vf_policy	policy;
	const char		*audience;
	const char		*lang;
	int			machine;
	int			n;
};

static void
usage(void)
{
	fprintf(stderr, "usage: vf-redact -a audience [-f] [-l ja|en] "
	    "[-d root] [case ...]\n");
	exit(EX_USAGE);
}

static int
redact(const char *what, void *arg)
{
	struct redact *r = arg;
	struct vf_case c;
	struct vf_view w;
	struct vf_buf b = { 0 };
	const char *state;
	char path[4096], err[512];
	int rc;

	if ((rc = vf_resolve(&r->root, what, path, sizeof(path), &state)) != 0)
		return rc;
	if ((rc = vf_case_load(&c, path, err, sizeof(err))) != 0) {
		warnx("%s: %s", path, err);
		return rc;
	}
	rc = vf_view_make(&w, &r->policy, &r->fields, &c, state, r->audience,
	    err, sizeof(err));
	if (rc != 0) {
		warnx("VF#%s: %s", vf_case_get(&c, "Vf-Id"), err);
		vf_case_free(&c);
		return rc;
	}
	/* An empty view is shown as nothing at all, not as an empty record. */
	if (w.n > 0) {
		if (r->n++ > 0)
			vf_buf_adds(&b, r->machine ? "\n" : "\n\f\n");
		if (r->machine)
			vf_view_write(&w, &b);
		else
			vf_view_text(&b, &w, &r->fields, r->lang != NULL ?
			    r->lang : w.lang);
		if (fwrite(b.p, 1, b.len, stdout) != b.len)
			vf_fshut_stdout();
	}
	vf_buf_free(&b);
	vf_view_free(&w);
	vf_case_free(&c);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct redact r;
	const char *dir = NULL;
	int ch, rc;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "a:d:fl:")) != -1) {
		switch (ch) {
		case 'a':
			r.audience = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'f':
			r.machine = 1;
			break;
		case 'l':
			if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
				usage();
			r.lang = optarg;
			break;
		default:
			usage();
		}
	}
	if (r.audience == NULL)
		usage();
	if (!vf_audience_valid(r.audience))
		errx(EX_USAGE, "%s: no such audience (office, reporter, "
		    "coordinator, vendor, operator, public)", r.audience);
	if ((rc = vf_root_open(&r.root, dir, 0)) != 0)
		return rc;
	if ((rc = vf_share_fields(&r.fields)) != 0)
		goto done;
	if ((rc = vf_share_policy(&r.policy, &r.fields)) != 0)
		goto done;
	rc = vf_each(argc - optind, argv + optind, redact, &r);
	vf_fshut_stdout();
done:
	vf_policy_free(&r.policy);
	vf_fields_free(&r.fields);
	vf_root_close(&r.root);
	return rc;
}
