/*
 * casefix - for tests only: set what vf-validate, vf-route and staff
 * decisions set on a case (top headers, status fields, the state), so that
 * tests of later tools can build their trees with vf-parse alone.
 *
 *	casefix CASE [-h 'Name: value'] [-H Name] [-f 'name: value']
 *	    [-F name] [-s STATE]
 *
 * -h sets (replaces) a header, -a appends one, -H removes every header of
 * a name, -f sets a field, -F deletes one, -s moves the case (without
 * vf_move_ok: a test may need a state no tool would reach). Prints the
 * case's path.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

static void
split(char *s, char **name, char **value)
{
	char *c = strchr(s, ':');

	if (c == NULL)
		errx(EX_USAGE, "%s: want \"name: value\"", s);
	*c++ = '\0';
	while (*c == ' ')
		c++;
	*name = s;
	*value = c;
}

int
main(int argc, char *argv[])
{
	struct vf_root root;
	struct vf_case c;
	struct vf_buf out = { 0 };
	const char *state, *to = NULL;
	char path[4096], err[512], *name, *value, *v;
	int ch, rc, lk;

	if (argc < 2)
		errx(EX_USAGE, "usage: casefix CASE [options]");
	if ((rc = vf_root_open(&root, NULL, 0)) != 0)
		return rc;
	if ((rc = vf_resolve(&root, argv[1], path, sizeof(path), &state)) != 0)
		return rc;
	if ((rc = vf_case_load(&c, path, err, sizeof(err))) != 0)
		errx(rc, "%s: %s", path, err);
	if ((rc = vf_lock(&root, vf_case_get(&c, "Vf-Id"), &lk)) != 0)
		return rc;
	optind = 2;
	while ((ch = getopt(argc, argv, "a:f:F:h:H:s:")) != -1) {
		switch (ch) {
		case 'a':
		case 'h':
		case 'f':
			v = vf_strdup(optarg);
			split(v, &name, &value);
			if (ch == 'h')
				vf_case_set(&c, name, value);
			else if (ch == 'a')
				vf_case_add(&c, name, value);
			else
				vf_case_field_set(&c, name, value);
			free(v);
			break;
		case 'H':
			vf_case_del(&c, optarg);
			break;
		case 'F':
			vf_case_field_del(&c, optarg);
			break;
		case 's':
			to = optarg;
			break;
		default:
			errx(EX_USAGE, "bad option");
		}
	}
	vf_case_write(&c, &out);
	if ((rc = vf_replace(&root, path, out.p, out.len)) != 0)
		return rc;
	if (to != NULL && (rc = vf_move(&root, path, sizeof(path), to)) != 0)
		return rc;
	printf("%s\n", path);
	vf_unlock(lk);
	vf_buf_free(&out);
	vf_case_free(&c);
	vf_root_close(&root);
	return 0;
}
