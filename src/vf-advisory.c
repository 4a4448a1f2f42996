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

int
main(int argc, char *argv[])
{
	struct vf_publisher pub;
	struct vf_config cfg;
	struct vf_fields ft;
	struct vf_record r = { 0 };
	struct vf_buf b = { 0 };
	const char *format = "csaf", *lang = NULL, *dir = NULL, *root = NULL;
	const char *name = NULL, *url = NULL, *langs[2];
	char emsg[256], id[256], fname[512], tname[600], *json;
	unsigned long line = 0;
	size_t i, nl, count = 0;
	int ch, rc, worst = 0, got;

	while ((ch = getopt(argc, argv, "d:f:l:N:o:u:")) != -1) {
		switch (ch) {
		case 'd':
			root = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind || (strcmp(format, "csaf") != 0 &&
	    strcmp(format, "text") != 0) || (lang != NULL &&
	    strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0))
		usage();
	if ((rc = vf_publisher_get(&pub, &cfg, root, name, url)) != 0)
		return rc;
	if ((rc = vf_share_fields(&ft)) != 0)
		return rc;
	if (dir != NULL && mkdir(dir, 0755) == -1 && errno != EEXIST)
		err(vf_errno_exit(errno), "%s", dir);
	nl = 0;
	if (lang != NULL)
		langs[nl++] = lang;
	else {
		langs[nl++] = "ja";
		langs[nl++] = "en";
	}
	while ((got = vf_record_read(stdin, &r, &line, emsg, sizeof(emsg))) ==
	    1) {
		const char *cid = vf_record_get(&r, "case.id");

		if (!vf_adv_published(&r)) {
			warnx("%s: not a published software case; skipped",
			    cid != NULL ? cid : "record");
			continue;
		}
		if (dir == NULL && count++ > 0) {
			warnx("more than one record: give -o DIR");
			worst = EX_USAGE;
			break;
		}
		vf_csaf_filename(vf_adv_id(&r, id, sizeof(id)), fname,
		    sizeof(fname));
		if (strcmp(format, "csaf") == 0) {
			if ((json = vf_csaf(&r, &pub, emsg, sizeof(emsg))) ==
			    NULL) {
				warnx("%s: %s", cid != NULL ? cid : id, emsg);
				worst = worst > EX_DATAERR ? worst : EX_DATAERR;
				continue;
			}
			if (dir != NULL)
				rc = put_file(dir, fname, json, strlen(json));
			else if (fputs(json, stdout) == EOF)
				err(EX_IOERR, "stdout");
			free(json);
			worst = rc > worst ? rc : worst;
			continue;
		}
		for (i = 0; i < nl; i++) {
			b.len = 0;
			if (vf_adv_text(&r, &ft, &pub, langs[i], &b, emsg,
			    sizeof(emsg)) == -1) {
				warnx("%s: %s", cid != NULL ? cid : id, emsg);
				worst = worst > EX_DATAERR ? worst : EX_DATAERR;
				break;
			}
			(void)snprintf(tname, sizeof(tname), "%.*s.%s.txt",
			    (int)(strlen(fname) - 5), fname, langs[i]);
			if (dir != NULL)
				rc = put_file(dir, tname, b.p, b.len);
			else {
				if (i > 0 && putchar('\n') == EOF)
					err(EX_IOERR, "stdout");
				if (fwrite(b.p, 1, b.len, stdout) != b.len)
					err(EX_IOERR, "stdout");
			}
			worst = rc > worst ? rc : worst;
		}
	}
	if (got == -1) {
		warnx("stdin: %s", emsg);
		worst = worst > EX_DATAERR ? worst : EX_DATAERR;
	}
	vf_fshut_stdout();
	vf_buf_free(&b);
	vf_record_free(&r);
	vf_fields_free(&ft);
	vf_config_free(&cfg);
	return worst;
}
