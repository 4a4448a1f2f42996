/*
 * The disclosure policy: DESIGN's table "Who may see what" as data
 * (SHARE/policy), so that changing who sees what is an edit of that file.
 *
 *	phase	STATE		before | after
 *	rule	AUDIENCE PHASE	WHAT	DECISION	[KINDS]
 *	relay	PARTY		CONSENT
 *
 * WHAT is a class of the field table (reporter, vulnerability, status,
 * attack) or one field; DECISION is show, hide, or the name of a yesno
 * field of the reporter's (consent.coordinator, ...) whose "yes" shows
 * and whose "no" hides; KINDS limits a rule to cases of those kinds. The
 * rule for a field beats the rule for its class, and a rule for the
 * case's kind beats one for every kind. A question from PARTY reaches the
 * reporter only when its CONSENT field says yes.
 *
 * Everything fails closed: a name the field table does not know, a state
 * no phase line names, an audience, phase and field no rule covers, a
 * consent not stated or not plainly yes or no: no answer but an error that
 * names what is missing, and the caller shows nothing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define POLICY_MAX	(1024 * 1024)
#define POLICY_COLS	7

const char *const vf_audiences[] = {
	"office", "reporter", "coordinator", "vendor", "operator", "public",
	NULL
};

int
vf_audience_valid(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && vf_audiences[i] != NULL; i++)
		if (strcmp(s, vf_audiences[i]) == 0)
			return 1;
	return 0;
}

/* A class of the field table (their names are fields.c's). */
static int
class_index(const char *s)
{
	int i;

	for (i = VF_CLASS_REPORTER; i <= VF_CLASS_ATTACK; i++)
		if (strcmp(s, vf_class_name((enum vf_class)i)) == 0)
			return i;
	return -1;
}

static int
phase_parse(const char *s)
{
	if (strcmp(s, "before") == 0)
		return VF_PHASE_BEFORE;
	if (strcmp(s, "after") == 0)
		return VF_PHASE_AFTER;
	return -1;
}

static const char *
phase_name(int p)
{
	return p == VF_PHASE_AFTER ? "after" : "before";
}

/* A consent: a yesno field about the reporter. */
static int
consent_ok(const struct vf_fields *t, const char *name)
{
	const struct vf_field *f = vf_fields_find(t, name);

	return f != NULL && f->format == VF_FMT_YESNO &&
	    f->class == VF_CLASS_REPORTER;
}

/* "software,web" as kind bits; -1 if a word is not a kind. */
static int
kinds_parse(char *s)
{
	char *w;
	int k, m = 0;

	while ((w = strsep(&s, ",")) != NULL) {
		if ((k = vf_kind_parse(w)) == 0)
			return -1;
		m |= k;
	}
	return m;
}

static void
kv_push(struct vf_kv **kv, size_t *n, const char *a, const char *b)
{
	*kv = vf_reallocarray(*kv, *n + 1, sizeof(**kv));
	(*kv)[*n].name = vf_strdup(a);
	(*kv)[*n].value = vf_strdup(b);
	(*n)++;
}

/* The reason a line is wrong, into m; -1. */
#define why(m, msz, ...)	((void)snprintf((m), (msz), __VA_ARGS__), -1)

static int
parse_line(struct vf_policy *p, const struct vf_fields *t, char **col,
    size_t ncol, size_t line, char *m, size_t msz)
{
	struct vf_rule r;
	size_t i;

	if (strcmp(col[0], "phase") == 0) {
		if (ncol != 3)
			return why(m, msz,
			    "want \"phase STATE before|after\"");
		if (!vf_state_valid(col[1]))
			return why(m, msz,
			    "%s: not a state", col[1]);
		if (phase_parse(col[2]) == -1)
			return why(m, msz,
			    "%s: not before or after", col[2]);
		if (vf_kv_find(p->phase, p->nphase, col[1]) != NULL)
			return why(m, msz,
			    "state %s given a phase twice", col[1]);
		kv_push(&p->phase, &p->nphase, col[1], col[2]);
		return 0;
	}
	if (strcmp(col[0], "relay") == 0) {
		if (ncol != 3)
			return why(m, msz,
			    "want \"relay PARTY CONSENT\"");
		if (strcmp(col[1], "coordinator") != 0 &&
		    strcmp(col[1], "vendor") != 0 &&
		    strcmp(col[1], "operator") != 0)
			return why(m, msz,
			    "%s: not coordinator, vendor or operator", col[1]);
		if (!consent_ok(t, col[2]))
			return why(m, msz,
			    "%s: not a yesno field of the reporter class in "
			    "the field table", col[2]);
		if (vf_kv_find(p->relay, p->nrelay, col[1]) != NULL)
			return why(m, msz,
			    "relay for %s given twice", col[1]);
		kv_push(&p->relay, &p->nrelay, col[1], col[2]);
		return 0;
	}
	if (strcmp(col[0], "rule") != 0)
		return why(m, msz,
		    "%s: not phase, rule or relay", col[0]);
	if (ncol != 5 && ncol != 6)
		return why(m, msz, "want \"rule AUDIENCE "
		    "PHASE WHAT DECISION [KINDS]\"");
	memset(&r, 0, sizeof(r));
	r.line = line;
	if (!vf_audience_valid(col[1]))
		return why(m, msz,
		    "%s: not an audience", col[1]);
	if ((r.phase = phase_parse(col[2])) == -1)
		return why(m, msz,
		    "%s: not before or after", col[2]);
	if (class_index(col[3]) == -1) {
		if (vf_fields_find(t, col[3]) == NULL)
			return why(m, msz,
			    "%s: neither a class nor a field of the field "
			    "table", col[3]);
		r.field = 1;
	}
	if (strcmp(col[4], "show") == 0)
		r.show = VF_SHOW;
	else if (strcmp(col[4], "hide") == 0)
		r.show = VF_HIDE;
	else if (!consent_ok(t, col[4]))
		return why(m, msz, "%s: not show, hide or "
		    "a yesno field of the reporter class", col[4]);
	if (ncol == 6 && (r.kinds = kinds_parse(col[5])) <= 0)
		return why(m, msz,
		    "%s: not a list of kinds (software, web, vendor)", col[5]);
	/* Two rules on one level could disagree: which one wins? */
	for (i = 0; i < p->n; i++)
		if (strcmp(p->r[i].audience, col[1]) == 0 &&
		    p->r[i].phase == r.phase &&
		    strcmp(p->r[i].what, col[3]) == 0 &&
		    ((p->r[i].kinds == 0 && r.kinds == 0) ||
		    (p->r[i].kinds & r.kinds) != 0))
			return why(m, msz,
			    "a second rule for %s (the other is earlier)",
			    col[3]);
	r.audience = vf_strdup(col[1]);
	r.what = vf_strdup(col[3]);
	if (r.show == 0 && strcmp(col[4], "hide") != 0)
		r.consent = vf_strdup(col[4]);
	p->r = vf_reallocarray(p->r, p->n + 1, sizeof(*p->r));
	p->r[p->n++] = r;
	return 0;
}

static int
parse(struct vf_policy *p, const struct vf_fields *t, char *buf,
    char *err, size_t errlen)
{
	char *line, *next, *col[POLICY_COLS + 1], *s, msg[256];
	size_t lineno = 0, ncol;

	for (line = buf; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (*s == '\0' || *s == '#')
			continue;
		for (ncol = 0; ncol <= POLICY_COLS; ) {
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '\0')
				break;
			col[ncol++] = s;
			while (*s != '\0' && *s != ' ' && *s != '\t')
				s++;
			if (*s != '\0')
				*s++ = '\0';
		}
		if (ncol > POLICY_COLS ||
		    parse_line(p, t, col, ncol, lineno, msg, sizeof(msg)) != 0) {
			(void)snprintf(err, errlen, "%s:%zu: %s", p->path, lineno,
			    ncol > POLICY_COLS ? "too many columns" : msg);
			return EX_CONFIG;
		}
	}
	return 0;
}

int
vf_policy_load(struct vf_policy *p, const char *path,
    const struct vf_fields *t, char *err, size_t errlen)
{
	struct vf_buf b = { 0 };
	struct stat st;
	size_t i;
	int fd, r, rc;

	memset(p, 0, sizeof(*p));
	p->path = vf_strdup(path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a regular file", path);
		(void)close(fd);
		return EX_NOINPUT;
	}
	if ((rc = vf_file_trusted(&st, path, err, errlen)) != 0) {
		(void)close(fd);
		return rc;
	}
	r = vf_buf_readfd(&b, fd, POLICY_MAX);
	(void)close(fd);
	if (r != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, r == 1 ?
		    "larger than 1 MiB" : strerror(errno));
		vf_buf_free(&b);
		return r == 1 ? EX_CONFIG : EX_NOINPUT;
	}
	vf_buf_add(&b, "", 0);
	for (i = 0; i < b.len; i++)
		if (b.p[i] == '\0' || b.p[i] == '\r') {
			(void)snprintf(err, errlen, "%s: holds a NUL or CR "
			    "byte", path);
			vf_buf_free(&b);
			return EX_CONFIG;
		}
	rc = parse(p, t, b.p, err, errlen);
	vf_buf_free(&b);
	if (rc == 0 && p->n == 0) {
		(void)snprintf(err, errlen, "%s: no rules", path);
		rc = EX_CONFIG;
	}
	return rc;
}

int
vf_share_policy(struct vf_policy *p, const struct vf_fields *t)
{
	char path[4096], err[512];
	int rc;

	if (snprintf(path, sizeof(path), "%s/policy", vf_share()) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "%s: VF_SHARE too long\n", getprogname());
		return EX_CONFIG;
	}
	if ((rc = vf_policy_load(p, path, t, err, sizeof(err))) != 0) {
		fprintf(stderr, "%s: %s; nothing is shown without the "
		    "policy\n", getprogname(), err);
		vf_policy_free(p);
		/* Without its policy the tool is not installed right. */
		return EX_CONFIG;
	}
	return 0;
}

void
vf_policy_free(struct vf_policy *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->r[i].audience);
		free(p->r[i].what);
		free(p->r[i].consent);
	}
	free(p->r);
	vf_headers_free(p->phase, p->nphase);
	vf_headers_free(p->relay, p->nrelay);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

int
vf_policy_phase(const struct vf_policy *p, const char *state)
{
	const struct vf_kv *kv;

	if (state == NULL || (kv = vf_kv_find(p->phase, p->nphase, state)) ==
	    NULL)
		return -1;
	return phase_parse(kv->value);
}

const char *
vf_policy_relay(const struct vf_policy *p, const char *party)
{
	const struct vf_kv *kv = vf_kv_find(p->relay, p->nrelay, party);

	return kv != NULL ? kv->value : NULL;
}

/* The rule for what (a field or a class name) at one level, or NULL. */
static const struct vf_rule *
find(const struct vf_policy *p, const char *audience, int phase,
    const char *what, int kind, int specific)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct vf_rule *r = &p->r[i];

		if (r->phase != phase || strcmp(r->audience, audience) != 0 ||
		    strcmp(r->what, what) != 0)
			continue;
		if (specific ? (r->kinds & kind) != 0 : r->kinds == 0)
			return r;
	}
	return NULL;
}

int
vf_policy_decide(const struct vf_policy *p, const char *audience, int phase,
    const struct vf_field *f, int kind, const struct vf_case *c, char *err,
    size_t errlen)
{
	const struct vf_rule *r;
	const char *cls = vf_class_name(f->class), *v;

	if ((r = find(p, audience, phase, f->name, kind, 1)) == NULL &&
	    (r = find(p, audience, phase, f->name, kind, 0)) == NULL &&
	    (r = find(p, audience, phase, cls, kind, 1)) == NULL &&
	    (r = find(p, audience, phase, cls, kind, 0)) == NULL) {
		(void)snprintf(err, errlen, "%s has no rule for the %s %s "
		    "publication, field %s or class %s: nothing is shown",
		    p->path, audience, phase_name(phase), f->name, cls);
		return -2;
	}
	if (r->consent == NULL)
		return r->show;
	if ((v = vf_case_field(c, r->consent)) == NULL) {
		(void)snprintf(err, errlen, "%s is not stated, and %s:%zu "
		    "needs it to decide whether the %s may see %s: nothing "
		    "is shown", r->consent, p->path, r->line, audience,
		    f->name);
		return -1;
	}
	if (strcmp(v, "yes") == 0)
		return VF_SHOW;
	if (strcmp(v, "no") == 0)
		return VF_HIDE;
	(void)snprintf(err, errlen, "%s is unclear (neither yes nor no), and "
	    "%s:%zu needs it to decide whether the %s may see %s: nothing is "
	    "shown; ask the reporter and set it", r->consent, p->path,
	    r->line, audience, f->name);
	return -1;
}
