/*
 * vf-notify - make one notice of a kind per case, into the outbox.
 */
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define MESSAGE_MAX	(64 * 1024)

struct notify {
	struct vf_notify	n;
	struct vf_root		root;
	struct vf_config	cfg;
	struct vf_fields	fields;
	struct vf_policy	policy;
	struct vf_notice_batch	*batch;
	int			 loaded;	/* share_load ran */
	int			 loadrc;	/* and returned this */
};

static void
usage(void)
{
	fprintf(stderr, "usage: vf-notify -k kind [-f] [-j jobs] [-l ja|en] "
	    "[-m file] [-p party] [-d root] [case ...]\n");
	exit(EX_USAGE);
}

static int
notify(const char *what, void *arg)
{
	struct notify *t = arg;

	return vf_notice(&t->n, what);
}

/* Each mail made, as vf_notice files it. */
static void
print(const struct vf_notify *n)
{
	printf("%s\n", n->path);
}

/*
 * The field table and the policy, loaded when the first notice needs
 * them: after its gpg has started (notice.c), so that the two overlap.
 * A table that cannot be read fails every notice, said once.
 */
static int
share_load(struct vf_notify *n)
{
	struct notify *t = (struct notify *)(void *)n;

	if (!t->loaded) {
		t->loaded = 1;
		if ((t->loadrc = vf_share_fields(&t->fields)) == 0)
			t->loadrc = vf_share_policy(&t->policy, &t->fields);
	}
	return t->loadrc;
}

static void
made(const struct vf_notify *n, void *arg)
{
	(void)arg;
	printf("%s\n", n->path);
}

/* -j: filed in order by the batch, which prints each mail made. */
static int
notify_batch(const char *what, void *arg)
{
	struct notify *t = arg;

	return vf_notice_add(t->batch, what);
}

/* The office's text for a question or answer: UTF-8, at most 64 KiB. */
static char *
message(const char *path)
{
	struct vf_buf b = { 0 };
	int fd, r;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(EX_NOINPUT, "%s", path);
	r = vf_buf_readfd(&b, fd, MESSAGE_MAX);
	if (fd != STDIN_FILENO)
		(void)close(fd);
	if (r == -1)
		err(EX_IOERR, "%s", path);
	vf_buf_add(&b, "", 0);
	if (r == 1 || b.len == 0 || !vf_utf8_valid(b.p, b.len) ||
	    memchr(b.p, '\0', b.len) != NULL)
		errx(EX_DATAERR, "%s: want UTF-8 text of at most 64 KiB",
		    path);
	return vf_buf_take(&b, NULL);
}

int
main(int argc, char *argv[])
{
	struct notify t;
	struct stat st;
	const char *dir = NULL, *mfile = NULL, *e;
	char err[512];
	int ch, rc, rc2, jobs = 1;

	/* Past a file size limit a write fails (EFBIG, exit 75), the case as
	   it was, rather than the signal killing the tool mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	/*
	 * The threads beside gpg allocate little: in the main arena, not one
	 * of their own each (a 64 MiB reservation and its trims, whose
	 * munmaps flush the other CPU's TLB: an IPI, a VM exit here). gpg's
	 * buffers (128 KiB and more) come from the heap and stay there for
	 * the next run, not mapped, faulted in and unmapped each time.
	 */
	(void)mallopt(M_ARENA_MAX, 1);
	(void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
	memset(&t, 0, sizeof(t));
	t.n.tool = "vf-notify";
	while ((ch = getopt(argc, argv, "d:fj:k:l:m:p:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'f':
			t.n.force = 1;
			break;
		case 'j':
			jobs = (int)strtonum(optarg, 1, 64, &e);
			if (e != NULL)
				errx(EX_USAGE, "-j %s: want a number of gpg runs "
				    "at once, 1 to 64", optarg);
			break;
		case 'k':
			t.n.kind = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
				usage();
			t.n.lang = optarg;
			break;
		case 'm':
			mfile = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "coordinator") != 0 &&
			    strcmp(optarg, "vendor") != 0 &&
			    strcmp(optarg, "operator") != 0)
				usage();
			t.n.party = optarg;
			break;
		default:
			usage();
		}
	}
	if (t.n.kind == NULL)
		usage();
	if (!vf_notice_kind_valid(t.n.kind))
		errx(EX_USAGE, "%s: not a notice kind (ack, accepted, missing, "
		    "coordinator, first-contact, details, reminder, question, "
		    "answer, published, fixed, closed, referral)", t.n.kind);
	if (mfile != NULL && strcmp(t.n.kind, "question") != 0 &&
	    strcmp(t.n.kind, "answer") != 0)
		errx(EX_USAGE, "-m is for question and answer notices");
	/* The message from stdin would take the paths' place. */
	if (mfile != NULL && strcmp(mfile, "-") == 0 && optind == argc)
		errx(EX_USAGE, "-m - needs the cases as arguments");
	if (mfile != NULL)
		t.n.message = message(mfile);
	if ((rc = vf_root_open(&t.root, dir, 0)) != 0) {
		free((char *)t.n.message);
		return rc;
	}
	/* gpg-program and gpg-timeout hold here too, as for vf-parse. */
	if ((rc = vf_config_load(&t.cfg, t.root.fd, err, sizeof(err))) != 0 ||
	    (rc = vf_gpg_config(&t.cfg, err, sizeof(err))) != 0) {
		warnx("%s", err);
		goto done;
	}
	t.n.load = share_load;
	t.n.root = &t.root;
	t.n.cfg = &t.cfg;
	t.n.fields = &t.fields;
	t.n.policy = &t.policy;
	if (jobs == 1) {
		t.n.print = print;
		/*
		 * The next case is there at once (no pipe or terminal to
		 * wait on): a notice's move may wait for it (notice.c).
		 */
		t.n.hold = optind < argc || (fstat(STDIN_FILENO, &st) == 0 &&
		    S_ISREG(st.st_mode));
		rc = vf_each(argc - optind, argv + optind, notify, &t);
		if ((rc2 = vf_notice_flush(&t.n)) > rc)
			rc = rc2;
	} else {
		t.batch = vf_notice_batch(&t.n, jobs, made, NULL);
		rc = vf_each(argc - optind, argv + optind, notify_batch, &t);
		if ((rc2 = vf_notice_batch_end(t.batch)) > rc)
			rc = rc2;
	}
	vf_fshut_stdout();
done:
	free((char *)t.n.message);
	vf_policy_free(&t.policy);
	vf_fields_free(&t.fields);
	vf_config_free(&t.cfg);
	vf_root_close(&t.root);
	return rc;
}
