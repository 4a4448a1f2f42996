/*
 * vf-expire - what time does to the cases, run by cron: delete the
 * reporter's details from ended cases, remind silent site operators and
 * close their cases as unreachable, flag missed deadlines, clean tmp/.
 *
 * One line on stdout for each thing done (or, with -n, that would be
 * done) and each deadline flagged: "PATH<TAB>WHAT<TAB>TEXT".
 *
 * Two passes: the first reads every case once (the decisions, and which
 * reporter keys cases still name; counted again while the tree changed
 * under it), the second acts on the few that need it, each under the
 * case's lock, re-read and re-decided there: vf-parse may have filed a
 * follow-up and staff may have decided meanwhile.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define DAY		86400
#define TMP_MAX_AGE	(36 * 3600)
#define TOOL		"vf-expire"
/*
 * Walks that count the reporter keys cases name, the first pass's and
 * recounts, before a run stops trusting its count (erase_case).
 */
#define WALKS		3

struct key {
	char	fpr[65];
	int	n;		/* cases not yet erased that name it */
	int	keep;		/* the office's, the coordinator's, a route's */
};

struct list {
	char	**v;
	size_t	  n;
};

struct run {
	struct vf_root		 root;
	struct vf_config	 cfg;
	struct vf_fields	 ft;
	struct vf_expire_cfg	 ec;
	struct vf_outbox	 ob;
	int			 oblock;	/* outbox/.lock, held */
	const char		*stop_name;	/* VF_TEST_STOP_BEFORE */
	const char		*stop_before;	/*   armed for this walk */
	struct key		*key;
	size_t			 nkey;
	int			 keys_unsure;	/* the tree changed in every
						   walk that counted them */
	struct list		 erase, remind, close, tellclosed;
	int			 dryrun;
	int			 keys_deleted;
	int			 worst;
};

static void
usage(void)
{
	fprintf(stderr, "usage: vf-expire [-n] [-d root] [-t time]\n");
	exit(EX_USAGE);
}

static void
fail(struct run *r, int rc)
{
	if (rc > r->worst)
		r->worst = rc;
}

static void
say(const char *path, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(const char *path, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (printf("%s\t%s\t", path, what) < 0)
		err(EX_IOERR, "stdout");
	va_start(ap, fmt);
	if (vprintf(fmt, ap) < 0 || putchar('\n') == EOF)
		err(EX_IOERR, "stdout");
	va_end(ap);
}

static void
list_add(struct list *l, const char *s)
{
	l->v = vf_reallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = vf_strdup(s);
}

static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct key *
key_get(struct run *r, const char *fpr)
{
	size_t i;

	for (i = 0; i < r->nkey; i++)
		if (strcasecmp(r->key[i].fpr, fpr) == 0)
			return &r->key[i];
	r->key = vf_reallocarray(r->key, r->nkey + 1, sizeof(*r->key));
	memset(&r->key[r->nkey], 0, sizeof(*r->key));
	(void)strlcpy(r->key[r->nkey].fpr, fpr, sizeof(r->key[0].fpr));
	return &r->key[r->nkey++];
}

static void
keep_key(struct run *r, const char *v)
{
	char f[65];
	size_t i, n = 0;

	for (i = 0; v != NULL && v[i] != '\0' && n < sizeof(f) - 1; i++)
		if (vf_hexval((unsigned char)v[i]) != -1)
			f[n++] = v[i];
	f[n] = '\0';
	if (n == 40 || n == 64)
		key_get(r, f)->keep = 1;
}

/* Did vf-expire close this case as unreachable (its history says so)? */
static int
closed_by_us(const struct vf_case *c)
{
	size_t i;

	for (i = 0; i < c->nhist; i++)
		if (strstr(c->hist[i], " " TOOL ": closed as unreachable") !=
		    NULL)
			return 1;
	return 0;
}

/* Notices to the reporter of this case still waiting to be sent. */
static time_t
pending_since(const struct run *r, const char *id)
{
	time_t oldest = 0;
	size_t i;

	for (i = 0; i < r->ob.n; i++)
		if (r->ob.v[i].pending && strcmp(r->ob.v[i].id, id) == 0 &&
		    strcmp(r->ob.v[i].role, "reporter") == 0 &&
		    (oldest == 0 || r->ob.v[i].mtime < oldest))
			oldest = r->ob.v[i].mtime;
	return oldest;
}

/*
 * The first pass: decide, print flags, count the keys cases need. Read
 * only: each case by its headers, fields, history and part headers
 * (vf_case_loadhead), no body; what is to change is read whole again
 * under its lock (relock).
 */
/*
 * Read the head of a case the walk met at path (name in the folder dfd),
 * following it where another tool moved it meanwhile: *pathp and *statep
 * then say where it is, in moved. 0, or an exit code (said, unless quiet).
 */
static int
load(struct run *r, int dfd, const char *name, const char **pathp,
    const char **statep, struct vf_case *c, char *moved, size_t movedsize,
    int quiet)
{
	char emsg[256];
	const char *path = *pathp, *p;
	int rc;

	/*
	 * A test hook (vf-expire(1), ENVIRONMENT): stopped here, between the
	 * walk's listing and the read, a test moves the case as another tool
	 * can at this moment, and lets the run go on with SIGCONT.
	 */
	if (r->stop_before != NULL && strcmp(name, r->stop_before) == 0) {
		r->stop_before = NULL;	/* once: the walk may meet it again */
		(void)raise(SIGSTOP);
	}
	if ((rc = vf_case_loadhead(c, dfd, name, VF_HEAD_PARTS, emsg,
	    sizeof(emsg))) == EX_NOINPUT &&
	    (p = strrchr(path, '/')) != NULL && vf_id_valid(p + 1) &&
	    vf_find(&r->root, p + 1, moved, movedsize, statep) == 0) {
		/*
		 * Another tool moved the case between the walk's listing and
		 * this read (vf-expire runs beside vf-parse, vf-notify and the
		 * staff): look at it where it is now. Passing it over would
		 * leave its keys uncounted, and a key it still needs could be
		 * deleted with another case's. The walk may meet it again in
		 * its new state: an ended case is then on the erase list
		 * twice, which erases and records nothing the second time
		 * (erasing is a fixed point), and its keys are counted twice;
		 * the tree changed during the walk, so they are counted again
		 * (main).
		 */
		*pathp = path = moved;
		rc = vf_case_loadhead(c, AT_FDCWD, path, VF_HEAD_PARTS, emsg,
		    sizeof(emsg));
	}
	if (rc == EX_NOINPUT && access(path, F_OK) == -1 && errno == ENOENT) {
		if (!quiet)
			warnx("%s: moved while vf-expire read the tree; run "
			    "it again", path);
		return EX_TEMPFAIL;
	}
	if (rc != 0 && !quiet)
		warnx("%s: %s", path, emsg);
	return rc;
}

/*
 * Count the reporter keys a case names that erasing it would delete: an
 * open case's, and an ended one's while it has details left to delete
 * (then 1; an ended case with nothing left, 0).
 */
static int
count_keys(struct run *r, const struct vf_case *c, const char *state)
{
	struct vf_erase e = { 0 };
	size_t i;

	keep_key(r, vf_case_get(c, "Vf-Route-Key"));
	if (vf_state_ended(state) && !vf_erase_needed(c, &r->ft,
	    vf_state_published(state)))
		return 0;
	vf_erase_keys(c, &e);
	for (i = 0; i < e.nfpr; i++)
		key_get(r, e.fpr[i])->n++;
	vf_erase_free(&e);
	return 1;
}

/* A walk after the first: the keys counted again, nothing else done. */
static int
recount(int dfd, const char *name, const char *path, const char *state,
    void *arg)
{
	struct run *r = arg;
	struct vf_case c;
	char moved[PATH_MAX];

	/*
	 * Unread, as the first pass said, or moved away now (the tree then
	 * changed: counted again).
	 */
	if (load(r, dfd, name, &path, &state, &c, moved, sizeof(moved),
	    1) != 0)
		return 0;
	count_keys(r, &c, state);
	vf_case_free(&c);
	return 0;
}

static int
look(int dfd, const char *name, const char *path, const char *state,
    void *arg)
{
	struct run *r = arg;
	struct vf_case c;
	struct vf_buf flags = { 0 };
	char moved[PATH_MAX];
	const char *id, *p, *nl;
	time_t since, pend;
	int n, rc, left;

	if ((rc = load(r, dfd, name, &path, &state, &c, moved, sizeof(moved),
	    0)) != 0)
		return rc;
	left = count_keys(r, &c, state);
	if (!vf_state_ended(state)) {
		vf_expire_flags(&c, state, &r->ec, &flags);
		for (p = flags.p; p != NULL && *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (printf("%s\t%.*s\n", path, (int)(nl - p), p) < 0)
				err(EX_IOERR, "stdout");
		}
		switch (vf_expire_web(&c, state, &r->ec, &since, &n)) {
		case VF_WEB_REMIND:
			list_add(&r->remind, path);
			break;
		case VF_WEB_CLOSE:
			list_add(&r->close, path);
			break;
		default:
			break;
		}
		goto done;
	}
	/* Ended: anything left to delete? */
	if (!left)
		goto done;
	if (r->ec.now < vf_expire_ended(&c) + r->ec.retention_days * DAY)
		goto done;
	/* Asked only here: most cases never come this far (open, or
	   nothing left to delete), and the lookup is a walk of the headers. */
	id = vf_case_get(&c, "Vf-Id");
	/* The reporter is told first: "closed", "published", "fixed". */
	if (strcmp(state, "unreachable") == 0 && closed_by_us(&c)) {
		struct vf_clock k;

		vf_case_clock(&c, &k);
		if (!k.told_closed && r->ec.now - vf_expire_ended(&c) <
		    r->ec.notice_wait_days * DAY) {
			list_add(&r->tellclosed, id);
			say(path, "waiting", "reporter information kept until "
			    "the reporter is told the case is closed");
			goto done;
		}
	}
	if ((pend = pending_since(r, id)) != 0 &&
	    r->ec.now - pend < r->ec.notice_wait_days * DAY) {
		say(path, "waiting", "reporter information kept until the "
		    "notice to the reporter in outbox/new is sent");
		goto done;
	}
	list_add(&r->erase, path);
done:
	vf_buf_free(&flags);
	vf_case_free(&c);
	return 0;
}

/*
 * Lock the case of a path found in the first pass, find it again (it may
 * have moved) and read it. On failure nothing is held.
 */
static int
relock(struct run *r, const char *path0, char *path, size_t size,
    const char **state, int *lk, char *id, struct vf_case *c)
{
	char emsg[256];
	int rc;

	if (vf_path_state(&r->root, path0, id, VF_IDLEN) == NULL)
		return EX_NOINPUT;
	if ((rc = vf_lock(&r->root, id, lk)) != 0)
		return rc;
	if ((rc = vf_find(&r->root, id, path, size, state)) != 0) {
		vf_unlock(*lk);
		return rc;
	}
	if ((rc = vf_case_load(c, path, emsg, sizeof(emsg))) != 0) {
		warnx("%s: %s", path, emsg);
		vf_unlock(*lk);
		return rc;
	}
	return 0;
}

static void
close_case(struct run *r, const char *path0)
{
	struct vf_case c;
	char path[4096], id[VF_IDLEN], day[32], when[32];
	const char *state;
	time_t since;
	int lk, n, rc;

	if ((rc = relock(r, path0, path, sizeof(path), &state, &lk, id,
	    &c)) != 0)
		return fail(r, rc);
	if (vf_expire_web(&c, state, &r->ec, &since, &n) != VF_WEB_CLOSE ||
	    !vf_move_ok(state, "unreachable", vf_kind_bit(vf_case_get(&c,
	    "Vf-Kind")), VF_BY_EXPIRE))
		goto done;
	vf_timestamp(when, sizeof(when), since);
	if (r->dryrun) {
		say(path, "closed", "would close as unreachable: no answer "
		    "from the operator since %s, %d reminders", when, n);
		goto done;
	}
	vf_timestamp(day, sizeof(day), 0);
	day[10] = '\0';
	vf_case_field_set(&c, "status.closed", day);
	vf_case_field_set(&c, "status.reason", "The site operator did not "
	    "answer the office's notices.");
	vf_case_history(&c, TOOL, "closed as unreachable: no answer from the "
	    "operator since %s, %d reminders", when, n);
	rc = vf_case_save(&r->root, path, sizeof(path), &c, TOOL, 0);
	if (rc == 0)
		rc = vf_move(&r->root, path, sizeof(path), "unreachable");
	if (rc != 0) {
		fail(r, rc);
		goto done;
	}
	(void)vf_log(&r->root, TOOL, id, "closed as unreachable: no answer "
	    "from the operator since %s", when);
	say(path, "closed", "unreachable: no answer from the operator since "
	    "%s, %d reminders", when, n);
	list_add(&r->tellclosed, id);
done:
	vf_case_free(&c);
	vf_unlock(lk);
}

/*
 * The reporter's notices kept in the outbox, sent or (too long) not; *n
 * counts only those still there, so that a case erased already (the walk
 * met it twice: moved into an ended state while vf-expire walked the
 * tree) records no second deletion.
 */
static int
drop_notices(struct run *r, const char *id, size_t *n)
{
	size_t i;
	int rc, worst = 0;

	*n = 0;
	for (i = 0; i < r->ob.n; i++) {
		if (strcmp(r->ob.v[i].id, id) != 0 ||
		    strcmp(r->ob.v[i].role, "reporter") != 0)
			continue;
		if ((rc = vf_outbox_remove(&r->root, &r->ob.v[i], r->dryrun,
		    n)) != 0)
			worst = rc > worst ? rc : worst;
	}
	return worst;
}

/* The reporter's keys no other case still needs. */
static int
drop_keys(struct run *r, const struct vf_erase *e, size_t *n)
{
	struct vf_gpg g;
	struct key *k;
	size_t i;
	int rc, worst = 0;

	*n = 0;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < e->nfpr; i++) {
		k = key_get(r, e->fpr[i]);
		if (k->n > 1 || k->keep) {
			k->n--;
			continue;
		}
		if (!r->dryrun) {
			rc = vf_gpg_delete_key(k->fpr, &g);
			if (rc == EX_DATAERR) {
				warnx("key %s has a secret key in the keyring: "
				    "not a reporter's; left alone", k->fpr);
				k->keep = 1;
				continue;
			}
			if (rc != 0) {
				warnx("gpg could not delete key %s: %s", k->fpr,
				    g.err.p != NULL ? g.err.p : "");
				worst = rc > worst ? rc : worst;
				continue;
			}
			r->keys_deleted = 1;
		}
		k->n = 0;
		(*n)++;
	}
	vf_gpg_free(&g);
	return worst;
}

static void
erase_case(struct run *r, const char *path0)
{
	struct vf_case c;
	struct vf_erase e = { 0 };
	char path[4096], id[VF_IDLEN];
	const char *state;
	size_t notices = 0, more = 0, keys = 0;
	int lk, rc, fresh;

	if ((rc = relock(r, path0, path, sizeof(path), &state, &lk, id,
	    &c)) != 0)
		return fail(r, rc);
	if (!vf_state_ended(state))
		goto done;
	/*
	 * Outbox and keyring first, the case last: a kill in between leaves
	 * a case that still needs erasing, and the next run finishes the job
	 * (both steps find nothing left to do the second time).
	 */
	vf_erase_keys(&c, &e);
	/*
	 * Every count of the keys saw cases filed or moved as it went: one
	 * that names a key waits for the next run rather than decide on a
	 * count that may be wrong (the erased case names it no more).
	 */
	if (r->keys_unsure && e.nfpr > 0) {
		warnx("%s: erasure put off: cases were filed or moved while "
		    "vf-expire counted the reporter keys they name; the next "
		    "run erases it", path);
		fail(r, EX_TEMPFAIL);
		goto done;
	}
	/*
	 * A notice to the reporter made since the outbox was read (the case
	 * was not locked then), or one the outbox scan could not read: one
	 * not sent yet holds the erasure back as at the first look, for as
	 * long; one sent already goes with the others.
	 */
	if ((rc = vf_outbox_unseen(&r->root, &r->ob, &c, "reporter",
	    r->ec.now - r->ec.notice_wait_days * DAY, r->dryrun, &notices,
	    &fresh)) != 0) {
		fail(r, rc);
		goto done;
	}
	if (fresh) {
		say(path, "waiting", "reporter information kept until the "
		    "notice to the reporter in outbox/new is sent");
		goto done;
	}
	if ((rc = drop_notices(r, id, &more)) != 0 ||
	    (rc = drop_keys(r, &e, &keys)) != 0) {
		fail(r, rc);
		goto done;
	}
	notices += more;
	if (vf_erase_case(&c, &r->ft, vf_state_published(state), &e) == 0 &&
	    notices == 0 && keys == 0)
		goto done;
	if (notices > 0)
		vf_buf_printf(&e.what, "%snotices to the reporter in the "
		    "outbox (%zu)", e.what.len > 0 ? ", " : "", notices);
	if (keys > 0)
		vf_buf_printf(&e.what, "%sreporter keys in the keyring (%zu)",
		    e.what.len > 0 ? ", " : "", keys);
	if (e.credit)
		vf_buf_adds(&e.what, "; kept: reporter.name, the credit the "
		    "reporter asked for");
	if (r->dryrun) {
		say(path, "erased", "would delete %s", e.what.p);
		goto done;
	}
	vf_case_history(&c, TOOL, "reporter information deleted: %s",
	    e.what.p);
	if ((rc = vf_case_save(&r->root, path, sizeof(path), &c, TOOL,
	    0)) != 0) {
		fail(r, rc);
		goto done;
	}
	(void)vf_log(&r->root, TOOL, id, "reporter information deleted: %s",
	    e.what.p);
	say(path, "erased", "%s", e.what.p);
done:
	vf_erase_free(&e);
	vf_case_free(&c);
	vf_unlock(lk);
}

/* Ask vf-notify, then check on each case that it recorded the notice. */
static void
tell(struct run *r, const char *kind, struct list *l)
{
	struct vf_case c;
	struct vf_clock after;
	char path[4096], emsg[256], **ids;
	time_t *before;
	const char *state;
	size_t i;
	int rc;

	if (l->n == 0)
		return;
	if (r->dryrun) {
		for (i = 0; i < l->n; i++)
			say(l->v[i], strcmp(kind, "closed") == 0 ? "told" :
			    "reminded", "would run vf-notify -k %s", kind);
		return;
	}
	ids = vf_calloc(l->n, sizeof(*ids));
	before = vf_calloc(l->n, sizeof(*before));
	for (i = 0; i < l->n; i++) {
		ids[i] = vf_calloc(1, VF_IDLEN);
		if (vf_path_state(&r->root, l->v[i], ids[i], VF_IDLEN) == NULL)
			(void)strlcpy(ids[i], l->v[i], VF_IDLEN);
		/* What the case said before, to see what vf-notify added. */
		if (vf_find(&r->root, ids[i], path, sizeof(path), &state) ==
		    0 && vf_case_load(&c, path, emsg, sizeof(emsg)) == 0) {
			vf_case_clock(&c, &after);
			before[i] = after.op_out;
			vf_case_free(&c);
		}
	}
	rc = vf_tell(kind, ids, l->n);
	if (rc != 0) {
		warnx("vf-notify -k %s failed (exit %d); the next run tries "
		    "again", kind, rc);
		fail(r, rc == EX_UNAVAILABLE ? EX_UNAVAILABLE : EX_TEMPFAIL);
	}
	for (i = 0; i < l->n; i++) {
		if (vf_find(&r->root, ids[i], path, sizeof(path), &state) != 0 ||
		    vf_case_load(&c, path, emsg, sizeof(emsg)) != 0)
			continue;
		vf_case_clock(&c, &after);
		if (strcmp(kind, "closed") == 0 ? after.told_closed :
		    after.op_out > before[i])
			say(path, strcmp(kind, "closed") == 0 ? "told" :
			    "reminded", "vf-notify -k %s", kind);
		else if (rc == 0) {
			warnx("%s: vf-notify -k %s recorded no notice on the "
			    "case; the next run tries again", ids[i], kind);
			fail(r, EX_TEMPFAIL);
		}
		vf_case_free(&c);
	}
	for (i = 0; i < l->n; i++)
		free(ids[i]);
	free(ids);
	free(before);
}

static void
removed(const char *path, void *arg)
{
	struct run *r = arg;

	say(path, "removed", "%sleft in tmp/ for more than 36 hours",
	    r->dryrun ? "would remove: " : "");
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct vf_stamp stamp;
	const char *dir = NULL, *at = NULL, *k;
	char emsg[256];
	size_t i, walks;
	long zeroed;
	int ch, rc;

	/* Past a file size limit a write fails (EFBIG, exit 75), the case as
	   it was, rather than the signal killing the tool mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "d:nt:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'n':
			r.dryrun = 1;
			break;
		case 't':
			at = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	/* -t is VF_NOW for this run and for the programs it runs. */
	if (at != NULL && setenv("VF_NOW", at, 1) == -1)
		err(EX_OSERR, "setenv");
	if ((k = getenv("VF_TEST_STOP_BEFORE")) != NULL && k[0] != '\0')
		r.stop_name = k;
	if ((rc = vf_root_open(&r.root, dir, 0)) != 0)
		return rc;
	if (setenv("VF_ROOT", r.root.path, 1) == -1)
		err(EX_OSERR, "setenv");
	if ((rc = vf_config_load(&r.cfg, r.root.fd, emsg, sizeof(emsg))) != 0) {
		/* emsg names "config:" already. */
		warnx("%s/%s", r.root.path, emsg);
		/* Closed, so that the sanitizers' leak check stays quiet. */
		vf_root_close(&r.root);
		return rc;
	}
	if ((rc = vf_expire_config(&r.ec, &r.cfg)) != 0)
		return rc;
	if ((rc = vf_share_fields(&r.ft)) != 0)
		return rc;
	if ((k = vf_config_get(&r.cfg, "office-key")) != NULL)
		keep_key(&r, k);
	if ((k = vf_config_get(&r.cfg, "coordinator-key")) != NULL)
		keep_key(&r, k);
	/*
	 * vf-send's lock on the outbox, from before it is read until the
	 * last erasure: a notice vf-send moved from new/ to cur/ in between
	 * would escape both looks, and its copy of the reporter's details
	 * outlive the case's. A dry run deletes nothing and locks nothing.
	 */
	r.oblock = -1;
	if (!r.dryrun && (rc = vf_lock_outbox(&r.root, &r.oblock)) != 0) {
		warnx("%s: nothing done", r.root.path);
		fail(&r, rc);
		goto out;
	}
	fail(&r, vf_outbox_scan(&r.root, &r.ob));

	/*
	 * A case filed, moved or rewritten during the walk may be met twice
	 * or not at all, and the keys it names counted twice (a reporter's
	 * key then kept for good: the erased case names it no more) or not
	 * at all (deleted while a case still names it). So the keys are
	 * counted again until a walk sees the tree unchanged; after WALKS,
	 * erase_case puts off the cases that name keys.
	 */
	r.stop_before = r.stop_name;
	vf_tree_stamp(&r.root, &stamp);
	fail(&r, vf_walkat(&r.root, look, &r));
	for (walks = 1; vf_tree_changed(&r.root, &stamp); walks++) {
		vf_stamp_free(&stamp);
		if (walks == WALKS) {
			r.keys_unsure = 1;
			break;
		}
		for (i = 0; i < r.nkey; i++)
			r.key[i].n = 0;
		r.stop_before = r.stop_name;
		vf_tree_stamp(&r.root, &stamp);
		fail(&r, vf_walkat(&r.root, recount, &r));
	}
	vf_stamp_free(&stamp);
	for (i = 0; i < r.close.n; i++)
		close_case(&r, r.close.v[i]);
	tell(&r, "reminder", &r.remind);
	tell(&r, "closed", &r.tellclosed);
	for (i = 0; i < r.erase.n; i++)
		erase_case(&r, r.erase.v[i]);
	vf_unlock(r.oblock);
	if (r.keys_deleted) {
		if ((rc = vf_keyring_scrub(&zeroed)) != 0)
			fail(&r, rc);
	}
	fail(&r, vf_tmp_clean(&r.root, TMP_MAX_AGE, r.dryrun, removed, &r));

out:
	vf_fshut_stdout();
	list_free(&r.erase);
	list_free(&r.remind);
	list_free(&r.close);
	list_free(&r.tellclosed);
	free(r.key);
	vf_outbox_free(&r.ob);
	vf_fields_free(&r.ft);
	vf_config_free(&r.cfg);
	vf_root_close(&r.root);
	return r.worst;
}
