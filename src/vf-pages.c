/*
 * vf-pages - the office's public pages from the public view of the
 * published cases (and vf-charts' statistics):
 *
 *	vf-ls published | vf-redact -f -a public | vf-pages -s STATS
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

static void
usage(void)
{
	fprintf(stderr, "usage: vf-pages [-S] [-o dir] [-s statsdir] "
	    "[-d root] [-N office-name] [-u public-url]\n");
	exit(EX_USAGE);
}

static int
one(const struct vf_record *r, void *arg)
{
	struct vf_pages *pg = arg;
	const char *cid = vf_record_get(r, "case.id");
	char emsg[256];
	int rc;

	if (!vf_adv_published(r)) {
		warnx("%s: not a published software case; skipped",
		    cid != NULL ? cid : "record");
		return 0;
	}
	if ((rc = vf_pages_add(pg, r, emsg, sizeof(emsg))) != 0)
		warnx("%s: %s", cid != NULL ? cid : "record", rc == EX_DATAERR ?
		    emsg : "not written");
	return rc;
}

int
main(int argc, char *argv[])
{
	struct vf_pages pg;
	struct vf_config cfg;
	struct vf_fields ft;
	struct vf_root rt;
	const char *out = NULL, *root = NULL, *name = NULL, *url = NULL;
	char dflt[4096];
	int ch, rc, worst, sign = 0;

	memset(&pg, 0, sizeof(pg));
	while ((ch = getopt(argc, argv, "d:N:o:Ss:u:")) != -1) {
		switch (ch) {
		case 'd':
			root = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'S':
			sign = 1;
			break;
		case 's':
			pg.stats = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	if ((rc = vf_publisher_get(&pg.pub, &cfg, root, name, url)) != 0)
		return rc;
	if (sign && (pg.sign_key = vf_config_get(&cfg, "office-key")) ==
	    NULL) {
		warnx("-S: no office-key in the configuration to sign with");
		return EX_CONFIG;
	}
	if (out == NULL) {
		/* ROOT/public, the contract's default. */
		if ((rc = vf_root_open(&rt, root, 0)) != 0)
			return rc;
		if (snprintf(dflt, sizeof(dflt), "%s/public", rt.path) >=
		    (int)sizeof(dflt))
			return EX_USAGE;
		vf_root_close(&rt);
		out = dflt;
	}
	if ((rc = vf_share_fields(&ft)) != 0)
		return rc;
	pg.ft = &ft;
	if ((rc = vf_pages_open(&pg, out)) != 0)
		return rc;
	worst = vf_record_each(stdin, one, &pg);
	if ((rc = vf_pages_finish(&pg)) != 0)
		worst = rc > worst ? rc : worst;
	if (printf("%s\n", out) < 0)
		err(EX_IOERR, "stdout");
	vf_fshut_stdout();
	vf_pages_close(&pg);
	vf_fields_free(&ft);
	vf_config_free(&cfg);
	return worst;
}
