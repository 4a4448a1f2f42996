/*
 * vf-parse - file one incoming report mail as a case.
 *
 * Reads one mail on stdin (procmail, an MTA, or a person with a saved
 * message), prints the case file's path. Exit 0 only when the case is on
 * disk; 75 (EX_TEMPFAIL) when the MTA should keep the mail and retry.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vf.h"

/*
 * A gpg that hangs (an agent that never answers) must not hold the
 * delivery forever: stop it and let the MTA try again later. Whatever was
 * half-written is in a tmp/ folder, where it is nobody's case.
 */
static void
timeout(int sig)
{
	static const char msg[] = "vf-parse: timed out: the MTA keeps the mail\n";

	vf_run_kill();
	(void)write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(EX_TEMPFAIL);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vf-parse [-d root] < mail\n");
	exit(EX_USAGE);
}

/* A number from the configuration; -1, said, when it is malformed. */
static long long
setting(const struct vf_config *cfg, const char *key, long long min,
    long long max, long long def)
{
	char msg[512];
	long long v;

	if ((v = vf_config_num(cfg, key, min, max, def, msg,
	    sizeof(msg))) == -1)
		warnx("%s", msg);
	return v;
}

int
main(int argc, char *argv[])
{
	struct vf_root root;
	struct vf_config cfg;
	struct vf_fields fields;
	struct vf_intake in;
	struct vf_buf mail = { 0 };
	const char *dir = NULL;
	char msg[512];
	long long max, dec, secs;
	int ch, rc;

#ifdef M_MMAP_THRESHOLD
	/*
	 * Large buffers in mappings of their own, whatever was freed
	 * before: growing one moves no bytes (mremap), and freeing one gives
	 * its memory back, so a large mail is not held twice (glibc would
	 * otherwise raise the threshold after the first large free).
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	umask(077);
	/* A file size limit is a full disk: EFBIG and exit 75, not a signal. */
	signal(SIGXFSZ, SIG_IGN);
	while ((ch = getopt(argc, argv, "d:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();

	memset(&fields, 0, sizeof(fields));
	memset(&cfg, 0, sizeof(cfg));
	if ((rc = vf_root_open(&root, dir, 1)) != 0)
		return rc;
	if ((rc = vf_config_load(&cfg, root.fd, msg, sizeof(msg))) != 0) {
		warnx("%s", msg);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	vf_limits_default(&in.lim);
	if ((max = setting(&cfg, "max-message-size", 1024, 1LL << 34,
	    (long long)in.lim.message)) == -1 ||
	    /* For the whole mail, every text gpg decrypts in it included. */
	    (dec = setting(&cfg, "max-decoded-size", 1024, 1LL << 34,
	    (long long)in.lim.decoded)) == -1 ||
	    (secs = setting(&cfg, "timeout", 1, 86400, 300)) == -1) {
		rc = EX_CONFIG;
		goto out;
	}
	in.lim.message = (size_t)max;
	in.lim.decoded = (size_t)dec;
	signal(SIGALRM, timeout);
	alarm((unsigned)secs);

	switch (vf_buf_readfd(&mail, STDIN_FILENO, in.lim.message)) {
	case -1:
		warn("stdin");
		rc = EX_TEMPFAIL;
		goto out;
	case 1:
		/*
		 * Too large to take apart safely. The MTA keeps it and says
		 * why in its log; raise max-message-size to take it.
		 */
		warnx("mail larger than max-message-size (%zu bytes): "
		    "refused, the MTA keeps it", in.lim.message);
		rc = EX_TEMPFAIL;
		goto out;
	}
	if (mail.len == 0) {
		warnx("no mail on stdin");
		rc = EX_NOINPUT;
		goto out;
	}

	in.root = &root;
	in.cfg = &cfg;
	in.fields = &fields;
	/* Loaded by vf_intake, while gpg starts: see there. */
	in.fields_lazy = 1;
	in.tool = "vf-parse";
	if ((rc = vf_intake(&in, mail.p, mail.len)) != 0)
		goto out;
	if (in.duplicate)
		warnx("%s: delivered before, nothing changed", in.id);
	if (printf("%s\n", in.path) < 0)
		err(EX_IOERR, "stdout");
	vf_fshut_stdout();
out:
	vf_buf_free(&mail);
	vf_fields_free(&fields);
	vf_config_free(&cfg);
	vf_root_close(&root);
	return rc;
}
