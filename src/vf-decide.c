/*
 * vf-decide - record a staff decision on cases: accept, reject, mark a
 * duplicate, set the kind, route, record the agreed publication date,
 * mark published or fixed, record the operator's answer, close, take a
 * proposed value. The rules are decide.c's; here the options, the
 * stream loop and, per case: lock, load, decide, save, move, log.
 */
#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define TOOL	"vf-decide"

struct run {
	struct vf_root		 root;
	struct vf_config	 cfg;
	struct vf_fields	 ft;
	struct vf_decide	 d;
	int			 dryrun;
};

static void
usage(void)
{
	fprintf(stderr, "usage: %s\n", vf_decide_usage() + strlen("       "));
	exit(EX_USAGE);
}

/*
 * Who decides: VF_STAFF (tests, or a shared account naming its person),
 * else the login name of the terminal (the person, also under su), else
 * the real user. One word of [A-Za-z0-9._-]: it is a field of the log.
 */
static const char *
staff(void)
{
	static char name[64];
	const char *s = getenv("VF_STAFF");
	size_t i;

	if (s == NULL || *s == '\0')
		s = getlogin();
	if (s == NULL || *s == '\0')
		s = vf_user();
	if (strlcpy(name, s, sizeof(name)) >= sizeof(name))
		errx(EX_USAGE, "VF_STAFF: at most %zu characters",
		    sizeof(name) - 1);
	for (i = 0; name[i] != '\0'; i++)
		if (!(isalnum((unsigned char)name[i]) || name[i] == '.' ||
		    name[i] == '_' || name[i] == '-'))
			errx(EX_USAGE, "%s: a staff name is one word of "
			    "letters, digits, '.', '_' and '-'", name);
	return name;
}

static int
decide(const char *what, void *arg)
{
	struct run *r = arg;
	struct vf_case c;
	struct vf_decided res;
	const char *state;
	char path[4096], id[VF_IDLEN], emsg[1024];
	int rc, lk = -1, loaded = 0;

	if ((rc = vf_resolve(&r->root, what, path, sizeof(path), &state)) != 0)
		return rc;
	if (vf_path_state(&r->root, path, id, sizeof(id)) == NULL) {
		warnx("%s: not a case file under %s", what, r->root.path);
		return EX_NOINPUT;
	}
	/* Locked, then found again: it may have moved meanwhile. */
	if ((rc = vf_lock(&r->root, id, &lk)) != 0)
		return rc;
	if ((rc = vf_find(&r->root, id, path, sizeof(path), &state)) != 0) {
		if (rc == EX_NOINPUT)
			warnx("VF#%s: no such case", id);
		goto done;
	}
	if ((rc = vf_case_load(&c, path, emsg, sizeof(emsg))) != 0) {
		warnx("%s: %s", path, emsg);
		goto done;
	}
	loaded = 1;
	if ((rc = vf_decide_apply(&r->d, &c, state, &res, emsg,
	    sizeof(emsg))) != 0) {
		warnx("VF#%s: %s", id, emsg);
		goto done;
	}
	if (res.changes == 0) {
		if (r->dryrun)
			printf("%s\t%s\n", path, res.what);
		else {
			warnx("VF#%s: %s; nothing changed", id, res.what);
			printf("%s\n", path);
		}
		goto done;
	}
	if (r->dryrun) {
		printf("%s\twould %s\n", path, res.what);
		goto done;
	}
	if ((rc = vf_case_save(&r->root, path, sizeof(path), &c, TOOL, 0)) != 0)
		goto done;
	if (res.to != NULL &&
	    (rc = vf_move(&r->root, path, sizeof(path), res.to)) != 0)
		goto done;
	(void)vf_log(&r->root, TOOL, id, "by staff %s: %s", r->d.staff,
	    res.what);
	printf("%s\n", path);
done:
	if (loaded)
		vf_case_free(&c);
	vf_unlock(lk);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct run r;
	const char *dir = NULL;
	char err[1024];
	int ch, rc;

	/* Past a file size limit a write fails (EFBIG, exit 75), the case as
	   it was, rather than the signal killing the tool mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "+d:n")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'n':
			r.dryrun = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if ((rc = vf_share_fields(&r.ft)) != 0)
		return rc;
	if ((rc = vf_decide_args(&r.d, argc, argv, &r.ft, err,
	    sizeof(err))) != 0) {
		warnx("%s", err);
		goto out;
	}
	r.d.staff = staff();
	if ((rc = vf_root_open(&r.root, dir, 0)) != 0)
		goto out;
	if ((rc = vf_config_load(&r.cfg, r.root.fd, err, sizeof(err))) != 0) {
		warnx("%s", err);
		goto out;
	}
	if (r.d.route != NULL && strcmp(r.d.route, "coordinator") == 0) {
		r.d.coord_name = vf_config_get(&r.cfg, "coordinator-name");
		r.d.coord_address = vf_config_get(&r.cfg,
		    "coordinator-address");
		r.d.coord_key = vf_config_get(&r.cfg, "coordinator-key");
		if (r.d.coord_address == NULL || !vf_addr_valid(
		    r.d.coord_address)) {
			warnx("config: route coordinator needs "
			    "coordinator-address, an addr-spec");
			rc = EX_CONFIG;
			goto out;
		}
	}
	/* What a case is a duplicate of must exist, before any case moves. */
	if (r.d.of != NULL && strcmp(r.d.action, "duplicate") == 0) {
		char p[4096];
		const char *st;

		if (r.d.of_case)
			rc = vf_find(&r.root, r.d.of, p, sizeof(p), &st);
		else
			rc = vf_known_find(&r.root, r.d.of, r.d.known_where,
			    sizeof(r.d.known_where));
		if (rc == EX_NOINPUT) {
			warnx("%s: no such %s", r.d.of, r.d.of_case ? "case" :
			    "ID in the known-vulnerability list (ROOT/known/)");
			rc = EX_DATAERR;
		}
		if (rc != 0)
			goto out;
	}
	/* "-" alone: the cases one a line on stdin, as with none. */
	if (r.d.ncases == 1 && strcmp(r.d.cases[0], "-") == 0)
		r.d.ncases = 0;
	rc = vf_each((int)r.d.ncases, (char **)r.d.cases, decide, &r);
	vf_fshut_stdout();
out:
	vf_decide_free(&r.d);
	vf_config_free(&r.cfg);
	vf_fields_free(&r.ft);
	if (r.root.path != NULL)
		vf_root_close(&r.root);
	return rc;
}
