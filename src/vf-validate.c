/*
 * vf-validate - check received reports and move each to its verdict:
 * accepted, incomplete, undecided, referred or duplicate.
 */
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define TOOL	"vf-validate"

/*
 * With -n, what the index pass read of each case in received is judged
 * there (all but the duplicate check, which needs the whole index) and
 * kept, so that a dry run reads every case once: the verdict is then the
 * memo's and the duplicate check is made from the keys the index holds.
 * A real run reads each case whole under its lock: it writes it back.
 */
struct memo {
	size_t		 key;		/* "STATE/SUB/NAME", at keys.p + key */
	size_t		 klen;
	uint32_t	 h;		/* memo_hash of the key */
	const char	*state;		/* the verdict; NULL: not a duplicate
					   means accepted, see judge_own */
	char		*why;		/* exactly as long as it is: one a
					   case in received; NULL with state
					   (nothing to say yet) */
	size_t		 di;		/* the case's keys in the index */
	int		 kind;
};

struct run {
	struct vf_root		 root;
	struct vf_config	 cfg;
	struct vf_fields	 fields;
	struct vf_fcheck	*fcheck;	/* the table's names hashed */
	struct vf_known		 known;
	struct vf_dupidx	*idx;
	char			**scope;
	size_t			 nscope;
	int			 dryrun;
	struct memo		*memo;
	size_t			 nmemo;
	struct vf_buf		 keys;		/* the memos' keys, one after
						   the other: not a malloc each */
	uint32_t		*mtab;		/* memo index + 1 by key hash */
	size_t			 mmask;
	/* The verdicts' texts: the room of one case's kept for the next
	   (verdict_take), not five buffers allocated and freed a case. */
	struct verdict {
		const char	*state;
		struct vf_buf	 missing, malformed, dup, dupof, why;
	}			 spare;
	/* vf_move_ok's answers (a fixed table): by verdict and kind. */
	struct {
		const char	*to;
		int		 kind, ok;
	}			 mok[16];
	size_t			 nmok;
};

static int	judge_own(struct run *, const struct vf_case *, int,
		    struct verdict *);
static void	verdict_free(struct verdict *);

/* An empty verdict in the room of the last one (give it back after). */
static void
verdict_take(struct run *r, struct verdict *v)
{
	struct vf_buf *b[] = { &v->missing, &v->malformed, &v->dup,
	    &v->dupof, &v->why };
	size_t i;

	*v = r->spare;
	memset(&r->spare, 0, sizeof(r->spare));
	v->state = NULL;
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		b[i]->len = 0;
		if (b[i]->p != NULL)
			b[i]->p[0] = '\0';
	}
}

static void
verdict_give(struct run *r, struct verdict *v)
{
	verdict_free(&r->spare);
	r->spare = *v;
	memset(v, 0, sizeof(*v));
}

/*
 * vf_move_ok of received -> to for the kind: its table is fixed, and the
 * verdicts are a few strings, so each answer is asked once.
 */
static int
move_ok(struct run *r, const char *to, int kind)
{
	size_t i;
	int ok;

	for (i = 0; i < r->nmok; i++)
		if (r->mok[i].to == to && r->mok[i].kind == kind)
			return r->mok[i].ok;
	ok = vf_move_ok("received", to, kind, VF_BY_VALIDATE);
	if (r->nmok < sizeof(r->mok) / sizeof(r->mok[0])) {
		r->mok[r->nmok].to = to;
		r->mok[r->nmok].kind = kind;
		r->mok[r->nmok++].ok = ok;
	}
	return ok;
}

/*
 * "STATE/SUB/NAME" of a case path, the memo's key, into buf (size
 * bytes): its length, or 0 for a path with no folder or one too long.
 */
static size_t
memo_key(const char *state, const char *path, char *buf, size_t size)
{
	const char *name = strrchr(path, '/'), *sub;
	size_t ls, ln;

	if (name == NULL || name == path)
		return 0;
	for (sub = name - 1; sub > path && sub[-1] != '/'; sub--)
		;
	ls = strlen(state);
	ln = strlen(sub);
	if (ls + 1 + ln >= size)
		return 0;	/* vf_resolve's paths are shorter */
	memcpy(buf, state, ls);
	buf[ls] = '/';
	memcpy(buf + ls + 1, sub, ln + 1);
	return ls + 1 + ln;
}

/*
 * The key's hash, from its length and its last sixteen bytes (the name's
 * end, where keys differ): equal keys hash alike, which is all the table
 * needs, and a collision costs a compare.
 */
static uint32_t
memo_hash(const char *k, size_t n)
{
	uint64_t a = 0, b = 0;
	uint32_t h;

	if (n >= 16) {
		memcpy(&a, k + n - 16, 8);
		memcpy(&b, k + n - 8, 8);
	} else if (n >= 8) {
		memcpy(&a, k, 8);
		memcpy(&b, k + n - 8, 8);
	} else
		memcpy(&a, k, n);
	a = (a ^ b * 0x9e3779b97f4a7c15ULL ^ n) * 0xff51afd7ed558ccdULL;
	h = (uint32_t)(a >> 32) ^ (uint32_t)a;
	return h ^ h >> 15;
}

/*
 * The memos by their keys' hash, made once the walk is done: a case a
 * look-up, where sorting the memos by key (and a bsearch on a miss of the
 * one after the last found) cost 7 M instructions of 10,000 cases.
 */
static void
memo_index(struct run *r)
{
	size_t n = 16, i, k;

	while (n < 2 * r->nmemo)
		n *= 2;
	r->mmask = n - 1;
	r->mtab = vf_calloc(n, sizeof(*r->mtab));
	for (i = 0; i < r->nmemo; i++) {
		for (k = r->memo[i].h & r->mmask; r->mtab[k] != 0;
		    k = (k + 1) & r->mmask)
			;
		r->mtab[k] = (uint32_t)i + 1;
	}
}

/* The memo of a case: its key is made on the stack. */
static const struct memo *
memo_find(struct run *r, const char *state, const char *path)
{
	char buf[4096 + 64];
	const struct memo *m;
	size_t n, k;
	uint32_t h;

	if (r->mtab == NULL || (n = memo_key(state, path, buf,
	    sizeof(buf))) == 0)
		return NULL;
	h = memo_hash(buf, n);
	for (k = h & r->mmask; r->mtab[k] != 0; k = (k + 1) & r->mmask) {
		m = &r->memo[r->mtab[k] - 1];
		if (m->h == h && m->klen == n &&
		    memcmp(r->keys.p + m->key, buf, n) == 0)
			return m;
	}
	return NULL;
}

static void
memo_add(struct run *r, const struct vf_case *c, const char *state,
    const char *path, size_t di)
{
	struct verdict v;
	struct memo *m;
	char key[4096 + 64];
	size_t n;

	/* Two of one key (a case met again where it moved to): the first
	   is found (memo_index). */
	if ((n = memo_key(state, path, key, sizeof(key))) == 0 ||
	    r->nmemo >= UINT32_MAX - 1)
		return;
	verdict_take(r, &v);
	/* Grown by powers of two: a memo a case in received. */
	if ((r->nmemo & (r->nmemo - 1)) == 0)
		r->memo = vf_reallocarray(r->memo, r->nmemo == 0 ? 1 :
		    2 * r->nmemo, sizeof(*r->memo));
	m = &r->memo[r->nmemo++];
	memset(m, 0, sizeof(*m));
	m->key = r->keys.len;
	vf_buf_add(&r->keys, key, n);
	m->klen = n;
	m->h = memo_hash(key, n);
	m->di = di;
	m->kind = vf_kind_bit(vf_case_get(c, "Vf-Kind"));
	(void)judge_own(r, c, m->kind, &v);
	m->state = v.state;
	/* Nothing yet to say of most cases: no string for them. */
	m->why = v.why.len > 0 ? vf_strdup(v.why.p) : NULL;
	verdict_give(r, &v);
}

static void
memo_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nmemo; i++)
		free(r->memo[i].why);
	free(r->memo);
	vf_buf_free(&r->keys);
	free(r->mtab);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vf-validate [-n] [-d root] [case ...]\n");
	exit(EX_USAGE);
}

/* The index needs the top headers and the fields: the head only. */
static int
index_case(int dfd, const char *name, const char *path, const char *state,
    void *arg)
{
	struct run *r = arg;
	struct vf_case c;
	char emsg[256], moved[PATH_MAX];
	const char *id = strrchr(path, '/');
	size_t di;
	int rc;

	/*
	 * Moved by another tool since the walk listed it (vf-validate runs
	 * beside vf-parse, vf-notify and the staff; the soak test t/0350
	 * saw it): compared where it is now, not left out, or a duplicate of
	 * it would go unnoticed. Met again in its new state, it is only in
	 * the index twice, which matches as once.
	 */
	if ((rc = vf_case_loadhead(&c, dfd, name, 0, emsg,
	    sizeof(emsg))) == EX_NOINPUT && id != NULL &&
	    vf_id_valid(id + 1) &&
	    vf_find(&r->root, id + 1, moved, sizeof(moved), &state) == 0)
		rc = vf_case_loadhead(&c, AT_FDCWD, path = moved, 0, emsg,
		    sizeof(emsg));
	if (rc != 0) {
		/* Not comparable, but no reason to stop checking others. */
		warnx("%s: %s (not compared for duplicates)", path, emsg);
		return 0;
	}
	di = vf_dupidx_add(r->idx, &c, state);
	if (r->dryrun && strcmp(state, "received") == 0)
		memo_add(r, &c, state, path, di);
	vf_case_free(&c);
	return 0;
}

/*
 * The verdict on a case in received of the kind given (its Vf-Kind's
 * bit), by the rules of vf-validate(1), but the duplicate check: 1 when
 * that is what is left to decide (v->state NULL), else 0 with the
 * verdict made.
 */
static int
judge_own(struct run *r, const struct vf_case *c, int kind,
    struct verdict *v)
{
	const char *url;
	char *host = NULL, *canon;

	if (kind == VF_KIND_UNKNOWN) {
		v->state = "undecided";
		vf_buf_adds(&v->why, "kind unknown: a staff decision");
		return 0;
	}
	vf_check_fields_at(r->fcheck, c, kind, &v->missing, &v->malformed);
	if (kind == VF_KIND_WEB && (url = vf_case_field(c, "web.url")) !=
	    NULL && (canon = vf_url_canon(url, &host)) != NULL) {
		free(canon);
		if (!vf_in_scope(host, r->scope, r->nscope)) {
			v->state = "referred";
			vf_buf_printf(&v->why, "out of scope: %s is not under "
			    ".jp nor a scope-domain", host);
			free(host);
			return 0;
		}
		free(host);
	}
	if (v->missing.len > 0 || v->malformed.len > 0) {
		v->state = "incomplete";
		if (v->missing.len > 0)
			vf_buf_printf(&v->why, "missing: %s", v->missing.p);
		if (v->malformed.len > 0)
			vf_buf_printf(&v->why, "%smalformed: %s",
			    v->missing.len > 0 ? "; " : "", v->malformed.p);
		return 0;
	}
	v->state = NULL;
	return 1;
}

/* The duplicate check's verdict, found (1) or not (0). */
static void
judge_dup(struct verdict *v, int found)
{
	if (found) {
		v->state = "duplicate";
		vf_buf_adds(&v->why, "duplicate of ");
		vf_buf_adds(&v->why, v->dup.p);
		return;
	}
	v->state = "accepted";
	vf_buf_adds(&v->why, "complete, in scope and new");
}

/* -n's line, "PATH\tVERDICT\tWHY": put together and written at once
   (six stdio calls a case were 6 M instructions of 10,000), or, longer
   than the room, by fputs, which costs a tenth of printf's formatting. */
static void
dry_line(const char *path, const struct verdict *v)
{
	char line[8192];
	const char *why = v->why.p != NULL ? v->why.p : "(null)";
	size_t lp = strlen(path), ls = strlen(v->state), lw = strlen(why);

	if (lp < sizeof(line) && ls < sizeof(line) - lp &&
	    lw < sizeof(line) - lp - ls && sizeof(line) - lp - ls - lw > 3) {
		memcpy(line, path, lp);
		line[lp] = '\t';
		memcpy(line + lp + 1, v->state, ls);
		line[lp + 1 + ls] = '\t';
		memcpy(line + lp + ls + 2, why, lw);
		line[lp + ls + lw + 2] = '\n';
		(void)fwrite(line, 1, lp + ls + lw + 3, stdout);
		return;
	}
	fputs(path, stdout);
	putchar('\t');
	fputs(v->state, stdout);
	putchar('\t');
	fputs(v->why.p != NULL ? v->why.p : "(null)", stdout);	/* as printf */
	putchar('\n');
}

static void
judge(struct run *r, const struct vf_case *c, struct verdict *v)
{
	if (judge_own(r, c, vf_kind_bit(vf_case_get(c, "Vf-Kind")), v))
		judge_dup(v, vf_dupidx_match(r->idx, c, &v->dup, &v->dupof));
}

static void
verdict_free(struct verdict *v)
{
	vf_buf_free(&v->missing);
	vf_buf_free(&v->malformed);
	vf_buf_free(&v->dup);
	vf_buf_free(&v->dupof);
	vf_buf_free(&v->why);
}

/* Record the verdict on the case: headers true now, and no others. */
static void
record(struct vf_case *c, const struct verdict *v)
{
	char day[32];

	vf_case_del(c, "Vf-Missing");
	vf_case_del(c, "Vf-Malformed");
	vf_case_del(c, "Vf-Duplicate");
	if (strcmp(v->state, "incomplete") == 0) {
		if (v->missing.len > 0)
			vf_case_set(c, "Vf-Missing", v->missing.p);
		if (v->malformed.len > 0)
			vf_case_set(c, "Vf-Malformed", v->malformed.p);
	}
	if (strcmp(v->state, "duplicate") == 0) {
		vf_case_set(c, "Vf-Duplicate", v->dup.p);
		vf_case_field_set(c, "status.duplicate-of", v->dupof.p);
	}
	if (strcmp(v->state, "accepted") == 0) {
		vf_timestamp(day, sizeof(day), vf_now());
		day[10] = '\0';
		vf_case_field_set(c, "status.accepted", day);
	}
	vf_case_history(c, TOOL, "%s: %s", v->state, v->why.p);
}

static int
validate(const char *what, void *arg)
{
	struct run *r = arg;
	struct verdict v;
	struct vf_case c;
	char path[4096], id[VF_IDLEN], emsg[256];
	const char *state;
	const struct memo *m;
	struct vf_buf line = { 0 };
	int lk = -1, rc, loaded = 0, fd;

	if ((rc = vf_resolve(&r->root, what, path, sizeof(path), &state)) != 0)
		return rc;
	/* The id its name gives (vf_resolve checked the path), else its own. */
	if (!vf_name_id(strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 :
	    path, id, sizeof(id)) &&
	    vf_path_state(&r->root, path, id, sizeof(id)) == NULL)
		return EX_NOINPUT;
	if (!r->dryrun && (rc = vf_lock(&r->root, id, &lk)) != 0)
		return rc;
	/* From here every way out is "done", which gives it back. */
	verdict_take(r, &v);
	/* Under the lock, where the case is now: moved meanwhile, found. */
	if (r->dryrun)
		;	/* no lock: where vf_resolve found it is as good */
	else if ((fd = vf_case_open(&r->root, path)) != -1)
		(void)close(fd);
	else if ((rc = vf_find(&r->root, id, path, sizeof(path), &state)) != 0)
		goto done;
	if (strcmp(state, "received") != 0) {
		warnx("%s: in %s, not received: left alone", what, state);
		goto done;
	}
	/* -n: judged when the index read it; the duplicate check now. */
	if (r->dryrun && (m = memo_find(r, state, path)) != NULL) {
		if (m->why != NULL)
			vf_buf_adds(&v.why, m->why);
		if ((v.state = m->state) == NULL)
			judge_dup(&v, vf_dupidx_match_at(r->idx, m->di, &v.dup,
			    &v.dupof));
		if (!move_ok(r, v.state, m->kind)) {
			warnx("%s: the move table refuses received -> %s for "
			    "this kind: left alone", path, v.state);
			rc = EX_SOFTWARE;
			goto done;
		}
		dry_line(path, &v);
		goto done;
	}
	/*
	 * -n writes nothing: the head (headers and fields) is all a verdict
	 * looks at. A real run reads the case whole, under its lock, for it
	 * writes the case back.
	 */
	if ((rc = r->dryrun ? vf_case_loadhead(&c, AT_FDCWD, path, 0, emsg,
	    sizeof(emsg)) : vf_case_load(&c, path, emsg, sizeof(emsg))) != 0) {
		warnx("%s: %s", path, emsg);
		goto done;
	}
	loaded = 1;
	judge(r, &c, &v);
	if (!vf_move_ok("received", v.state, vf_kind_bit(vf_case_get(&c,
	    "Vf-Kind")), VF_BY_VALIDATE)) {
		warnx("%s: the move table refuses received -> %s for this "
		    "kind: left alone", path, v.state);
		rc = EX_SOFTWARE;
		goto done;
	}
	if (r->dryrun) {
		dry_line(path, &v);
		goto done;
	}
	/*
	 * Saved with this very verdict, then killed before the move: only
	 * the move is left to make (the history says it once).
	 */
	vf_buf_printf(&line, "%s: %s", v.state, v.why.p);
	if (!vf_case_history_last(&c, TOOL, line.p)) {
		record(&c, &v);
		if ((rc = vf_case_save(&r->root, path, sizeof(path), &c, TOOL,
		    0)) != 0)
			goto done;
	}
	if ((rc = vf_move(&r->root, path, sizeof(path), v.state)) != 0)
		goto done;
	/* The log is an index: the site's host stays in the case. */
	(void)vf_log(&r->root, TOOL, id, "%s: %s", v.state,
	    strcmp(v.state, "referred") == 0 ? "out of scope" : v.why.p);
	printf("%s\n", path);
done:
	if (loaded)
		vf_case_free(&c);
	verdict_give(r, &v);
	vf_buf_free(&line);
	if (lk != -1)
		vf_unlock(lk);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct run r;
	const char *dir = NULL;
	char err[512];
	int ch, rc;

	/* Past a file size limit a write fails (EFBIG, exit 75), the case as
	   it was, rather than the signal killing the tool mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "d:n")) != -1) {
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
	if ((rc = vf_root_open(&r.root, dir, 0)) != 0)
		return rc;
	if ((rc = vf_config_load(&r.cfg, r.root.fd, err, sizeof(err))) != 0 ||
	    (rc = vf_scope_load(&r.cfg, &r.scope, &r.nscope, err,
	    sizeof(err))) != 0) {
		warnx("%s", err);
		goto done;
	}
	if ((rc = vf_share_fields(&r.fields)) != 0)
		goto done;
	r.fcheck = vf_fcheck_new(&r.fields);
	if ((rc = vf_known_load(&r.root, &r.known, err, sizeof(err))) != 0) {
		warnx("%s", err);
		goto done;
	}
	/* One index for the run: the tree read once, the list once. */
	r.idx = vf_dupidx_new(&r.known);
	if ((rc = vf_walkat(&r.root, index_case, &r)) != 0)
		goto done;
	vf_dupidx_build(r.idx);
	if (r.nmemo > 0)
		memo_index(&r);
	rc = vf_each(argc - optind, argv + optind, validate, &r);
	vf_fshut_stdout();
done:
	memo_free(&r);
	verdict_free(&r.spare);
	vf_dupidx_free(r.idx);
	vf_known_free(&r.known);
	while (r.nscope > 0)
		free(r.scope[--r.nscope]);
	free(r.scope);
	vf_fcheck_free(r.fcheck);
	vf_fields_free(&r.fields);
	vf_config_free(&r.cfg);
	vf_root_close(&r.root);
	return rc;
}
