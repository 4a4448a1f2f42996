/*
 * vf-advisory - the public advisory of published software cases, from
 * their public view: CSAF 2.0 (the default) or plain text in Japanese and
 * English.
 *
 *	vf-ls published | vf-redact -f -a public | vf-advisory -o DIR
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

static void
usage(void)
{
	fprintf(stderr, "usage: vf-advisory [-f csaf|text] [-l ja|en] "
	    "[-o dir] [-d root] [-N office-name] [-u public-url]\n");
	exit(EX_USAGE);
}

/* Write a file in dir (made if missing) by tmp and rename; print it. */
static int
put_file(const char *dir, const char *name, const char *p, size_t n)
{
	char path[4096], tmp[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path) || snprintf(tmp, sizeof(tmp), "%s/.%s.tmp",
	    dir, name) >= (int)sizeof(tmp)) {
		warnx("%s/%s: path too long", dir, name);
		return EX_USAGE;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) == -1 || vf_write_all(fd, p, n) == -1 ||
	    fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		warn("%s", path);
		(void)unlink(tmp);
		return vf_errno_exit(errno);
	}
	if (printf("%s\n", path) < 0)
		err(EX_IOERR, "stdout");
	return 0;
}

struct opts {
	struct vf_publisher	 pub;
	struct vf_fields	 ft;
	const char		*format;
	const char		*dir;
	const char		*langs[2];
	size_t			 nlang;
	size_t			 count;
	struct vf_buf		 b;
};

static int
one(const struct vf_record *r, void *arg)
{
	struct opts *o = arg;
	const char *cid = vf_record_get(r, "case.id");
	char emsg[256], id[256], fname[512], tname[600], *json;
	size_t i;
	int rc = 0, worst = 0;

	if (!vf_adv_published(r)) {
		warnx("%s: not a published software case; skipped",
		    cid != NULL ? cid : "record");
		return 0;
	}
	if (o->dir == NULL && o->count++ > 0) {
		warnx("more than one record: give -o DIR");
		return EX_USAGE;
	}
	vf_csaf_filename(vf_adv_id(r, id, sizeof(id)), fname, sizeof(fname));
	if (strcmp(o->format, "csaf") == 0) {
		if ((json = vf_csaf(r, &o->pub, emsg, sizeof(emsg))) == NULL) {
			warnx("%s: %s", cid != NULL ? cid : id, emsg);
			return EX_DATAERR;
		}
		if (o->dir != NULL)
			rc = put_file(o->dir, fname, json, strlen(json));
		else if (fputs(json, stdout) == EOF)
			err(EX_IOERR, "stdout");
		free(json);
		return rc;
	}
	for (i = 0; i < o->nlang; i++) {
		o->b.len = 0;
		if (vf_adv_text(r, &o->ft, &o->pub, o->langs[i], &o->b, emsg,
		    sizeof(emsg)) == -1) {
			warnx("%s: %s", cid != NULL ? cid : id, emsg);
			return EX_DATAERR;
		}
		(void)snprintf(tname, sizeof(tname), "%.*s.%s.txt",
		    (int)(strlen(fname) - 5), fname, o->langs[i]);
		if (o->dir != NULL)
			rc = put_file(o->dir, tname, o->b.p, o->b.len);
		else {
			if (i > 0 && putchar('\n') == EOF)
				err(EX_IOERR, "stdout");
			if (fwrite(o->b.p, 1, o->b.len, stdout) != o->b.len)
				err(EX_IOERR, "stdout");
		}
		worst = rc > worst ? rc : worst;
	}
	return worst;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct vf_config cfg;
	const char *lang = NULL, *root = NULL, *name = NULL, *url = NULL;
	int ch, rc, worst;

	memset(&o, 0, sizeof(o));
	o.format = "csaf";
	while ((ch = getopt(argc, argv, "d:f:l:N:o:u:")) != -1) {
		switch (ch) {
		case 'd':
			root = optarg;
			break;
		case 'f':
			o.format = optarg;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'o':
			o.dir = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind || (strcmp(o.format, "csaf") != 0 &&
	    strcmp(o.format, "text") != 0) || (lang != NULL &&
	    strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0))
		usage();
	if ((rc = vf_publisher_get(&o.pub, &cfg, root, name, url)) != 0)
		return rc;
	if ((rc = vf_share_fields(&o.ft)) != 0)
		return rc;
	if (o.dir != NULL && mkdir(o.dir, 0755) == -1 && errno != EEXIST)
		err(vf_errno_exit(errno), "%s", o.dir);
	if (lang != NULL)
		o.langs[o.nlang++] = lang;
	else {
		o.langs[o.nlang++] = "ja";
		o.langs[o.nlang++] = "en";
	}
	worst = vf_record_each(stdin, one, &o);
	vf_fshut_stdout();
	vf_buf_free(&o.b);
	vf_fields_free(&o.ft);
	vf_config_free(&cfg);
	return worst;
}
