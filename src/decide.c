/*
 * Staff decisions (vf-decide): what each decision means for a case, on
 * the case in memory. The tool locks, loads, saves, moves and logs; here
 * are the rules, so that the fuzz harness and the tests exercise the same
 * ones:
 *
 *  - the arguments of each action, checked before any case is touched
 *    (a malformed date, address or fingerprint is a usage error);
 *  - the agreed publication date: "YYYY-MM-DD HH:MM[:SS] ZONE", kept as
 *    given and converted to UTC here, never through the TZ database (a
 *    zone is an offset, Z, UTC, GMT or JST, which has had no daylight
 *    saving time since 1951; other abbreviations are ambiguous: IST and
 *    CST each name three zones);
 *  - whether the decision fits the case: its kind, and the move it asks
 *    for in the table of state.c (VF_BY_DECIDE);
 *  - a decision taken again changes nothing: every value is compared
 *    before it is set, and no history line is added when nothing changed.
 *
 * The history line names the staff member, the decision and identifiers
 * (case numbers, advisory IDs, key fingerprints, field names), never a
 * free text staff typed (a reason, a fix method, an operator's name or
 * address): those go to status fields, which vf-expire's erasure and the
 * disclosure policy govern, and the history and the log stay free of any
 * party's details (vf-case(5)).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uriparser/Uri.h>

#include "vf.h"

#define SW	(VF_KIND_SOFTWARE | VF_KIND_VENDOR)
#define WEB	VF_KIND_WEB
#define ANYK	(SW | WEB | VF_KIND_UNKNOWN)

/* Free text staff give (a reason, a method, a name): at most this long. */
#define TEXT_MAX	4000
#define TOKEN_MAX	128

enum {
	A_ACCEPT, A_REJECT, A_DUPLICATE, A_KIND, A_ROUTE, A_PUBDATE,
	A_PUBLISHED, A_FIXED, A_ANSWERED, A_CLOSE, A_TAKE, A_REFER,
	A_UNREACHABLE, A_RECHECK, A_INCOMPLETE, A_UNDECIDED
};

static const char *const pre_route[] = { "received", "incomplete",
	"undecided", NULL };
static const char *const st_route[] = { "routed", NULL };
static const char *const st_pubdate[] = { "accepted", "routed", "waiting",
	NULL };
static const char *const st_answered[] = { "contacted", "waiting", NULL };
static const char *const st_incomplete[] = { "incomplete", NULL };

/*
 * Each action: the state it moves the case to (NULL: it stays, in one of
 * `stay'), the kinds it is for, and its usage.
 */
static const struct action {
	const char		*name;
	int			 id;
	const char		*to;
	const char *const	*stay;
	int			 kinds;
	const char		*usage;
} actions[] = {
	{ "accept", A_ACCEPT, "accepted", NULL, SW | WEB, "accept" },
	{ "reject", A_REJECT, "rejected", NULL, ANYK, "reject REASON" },
	{ "duplicate", A_DUPLICATE, "duplicate", NULL, ANYK,
	    "duplicate CASE-ID|KNOWN-ID" },
	{ "kind", A_KIND, NULL, pre_route, ANYK,
	    "kind software|web|vendor" },
	{ "route", A_ROUTE, "routed", st_route, SW | WEB,
	    "route coordinator | operator ADDRESS FPR|- [NAME]" },
	{ "pubdate", A_PUBDATE, NULL, st_pubdate, SW,
	    "pubdate 'YYYY-MM-DD HH:MM[:SS] ZONE'" },
	{ "published", A_PUBLISHED, "published", NULL, SW,
	    "published ADVISORY-ID [URL]" },
	{ "fixed", A_FIXED, "fixed", NULL, WEB, "fixed [METHOD]" },
	{ "answered", A_ANSWERED, NULL, st_answered, WEB, "answered" },
	{ "close", A_CLOSE, "closed", NULL, ANYK, "close REASON" },
	{ "take", A_TAKE, NULL, NULL, ANYK, "take FIELD..." },
	{ "refer", A_REFER, "referred", NULL, ANYK, "refer REASON" },
	{ "unreachable", A_UNREACHABLE, "unreachable", NULL, WEB,
	    "unreachable REASON" },
	{ "recheck", A_RECHECK, "received", NULL, ANYK, "recheck" },
	{ "incomplete", A_INCOMPLETE, "incomplete", st_incomplete, ANYK,
	    "incomplete FIELD..." },
	{ "undecided", A_UNDECIDED, "undecided", NULL, ANYK, "undecided" },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

static void
seterr(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(err, size, fmt, ap) < 0)
		err[0] = '\0';
	va_end(ap);
}

/* ---- the publication date ------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's). */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* n digits at *p, advanced; -1 if not. */
static int
digits(const char **p, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

int
vf_pubdate_parse(const char *s, time_t *t, char *err, size_t errlen)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	long long v;

	if (s == NULL || strlen(s) > 64) {
		seterr(err, errlen, "want YYYY-MM-DD HH:MM[:SS] ZONE");
		return -1;
	}
	if ((y = digits(&p, 4)) == -1 || *p++ != '-' ||
	    (mo = digits(&p, 2)) == -1 || *p++ != '-' ||
	    (d = digits(&p, 2)) == -1 || (*p != ' ' && *p != 'T') ||
	    (p++, (h = digits(&p, 2)) == -1) || *p++ != ':' ||
	    (mi = digits(&p, 2)) == -1) {
		seterr(err, errlen, "%s: want YYYY-MM-DD HH:MM[:SS] ZONE", s);
		return -1;
	}
	if (*p == ':') {
		p++;
		if ((sec = digits(&p, 2)) == -1) {
			seterr(err, errlen, "%s: want seconds as two digits",
			    s);
			return -1;
		}
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo)) {
		seterr(err, errlen, "%s: no such day", s);
		return -1;
	}
	/* No leap second: no agreed time falls on one. */
	if (h > 23 || mi > 59 || sec > 59) {
		seterr(err, errlen, "%s: no such time of day", s);
		return -1;
	}
	if (*p == ' ')
		p++;
	if (strcasecmp(p, "Z") == 0 || strcasecmp(p, "UTC") == 0 ||
	    strcasecmp(p, "GMT") == 0)
		;
	else if (strcasecmp(p, "JST") == 0)
		oh = 9;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if ((oh = digits(&p, 2)) == -1) {
			seterr(err, errlen, "%s: want the zone as +HH:MM, "
			    "+HHMM or +HH", s);
			return -1;
		}
		if (*p == ':')
			p++;
		if (*p != '\0' && (om = digits(&p, 2)) == -1) {
			seterr(err, errlen, "%s: want the zone as +HH:MM, "
			    "+HHMM or +HH", s);
			return -1;
		}
		if (*p != '\0' || oh > 14 || om > 59 || (oh == 14 && om > 0)) {
			seterr(err, errlen, "%s: no such zone offset (from "
			    "-14:00 to +14:00)", s);
			return -1;
		}
	} else {
		seterr(err, errlen, "%s: want a zone: +09:00, +0900, Z, UTC "
		    "or JST (other names are ambiguous; give the offset)", s);
		return -1;
	}
	v = days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	if (v < 0) {
		seterr(err, errlen, "%s: before 1970 in UTC", s);
		return -1;
	}
	*t = (time_t)v;
	return 0;
}

/* ---- arguments ------------------------------------------------------- */

/* One printable line of at most max bytes, valid UTF-8, no controls. */
static int
text_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max || !vf_utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	if (s[strspn(s, " ")] == '\0')
		return 0;
	return 1;
}

/* A token: printable ASCII, no white space (an advisory or known ID). */
static int
token_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > TOKEN_MAX || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

/* 40 or 64 hexadecimal digits, into upper case. */
static int
fpr_ok(const char *s, char *out, size_t size)
{
	size_t n = strlen(s), i;

	if ((n != 40 && n != 64) || n >= size)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return 0;
		out[i] = (char)toupper((unsigned char)s[i]);
	}
	out[n] = '\0';
	return 1;
}

/* An http or https URL with a host (liburiparser), no white space. */
static int
url_ok(const char *s)
{
	UriUriA u;
	const char *errpos;
	size_t n, i;
	int ok;

	n = strlen(s);
	if (n == 0 || n > 2000)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	if (uriParseSingleUriA(&u, s, &errpos) != URI_SUCCESS)
		return 0;
	n = (size_t)(u.scheme.afterLast - u.scheme.first);
	ok = u.scheme.first != NULL && ((n == 5 &&
	    strncasecmp(u.scheme.first, "https", 5) == 0) || (n == 4 &&
	    strncasecmp(u.scheme.first, "http", 4) == 0)) &&
	    u.hostText.first != NULL && u.hostText.afterLast > u.hostText.first;
	uriFreeUriMembersA(&u);
	return ok;
}

/* An argument that names a case: an id, VF#id, or an existing file. */
static int
looks_like_case(const char *s)
{
	if (vf_id_valid(s) || (strncasecmp(s, "VF#", 3) == 0 &&
	    vf_id_valid(s + 3)))
		return 1;
	return strchr(s, '/') != NULL && access(s, F_OK) == 0;
}

const char *
vf_decide_usage(void)
{
	static char buf[1024];
	size_t i;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i < NACTIONS; i++) {
		(void)strlcat(buf, i == 0 ? "" : "\n", sizeof(buf));
		(void)strlcat(buf, "       vf-decide [-n] [-d root] ", sizeof(buf));
		(void)strlcat(buf, actions[i].usage, sizeof(buf));
		(void)strlcat(buf, " [case ...]", sizeof(buf));
	}
	return buf;
}

static void
add_field(struct vf_decide *d, const char *f)
{
	size_t i;

	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i], f) == 0)
			return;
	d->fields = vf_reallocarray(d->fields, d->nfields + 1,
	    sizeof(*d->fields));
	d->fields[d->nfields++] = f;
}

int
vf_decide_args(struct vf_decide *d, int argc, char **argv,
    const struct vf_fields *ft, char *err, size_t errlen)
{
	const struct action *a = NULL;
	const struct vf_field *f;
	const char *u;
	int i = 1, j;
	size_t k;

	memset(d, 0, sizeof(*d));
	if (argc < 1) {
		seterr(err, errlen, "no decision given");
		return EX_USAGE;
	}
	for (k = 0; k < NACTIONS; k++)
		if (strcmp(argv[0], actions[k].name) == 0)
			a = &actions[k];
	if (a == NULL) {
		seterr(err, errlen, "%s: not a decision (accept, reject, "
		    "duplicate, kind, route, pubdate, published, fixed, "
		    "answered, close, take, refer, unreachable, recheck, "
		    "incomplete, undecided)", argv[0]);
		return EX_USAGE;
	}
	d->act = a->id;
	d->action = a->name;
	u = a->usage;
#define NEED(n)	do { if (argc < i + (n)) { seterr(err, errlen, \
	"usage: vf-decide %s CASE...", u); return EX_USAGE; } } while (0)
	switch (a->id) {
	case A_REJECT:
	case A_CLOSE:
	case A_REFER:
	case A_UNREACHABLE:
		NEED(1);
		d->text = argv[i++];
		if (!text_ok(d->text, TEXT_MAX)) {
			seterr(err, errlen, "%s: the reason is one line of "
			    "UTF-8 text, at most %d bytes, not empty",
			    a->name, TEXT_MAX);
			return EX_USAGE;
		}
		break;
	case A_DUPLICATE:
		NEED(1);
		d->of = argv[i++];
		if (strncasecmp(d->of, "VF#", 3) == 0 && vf_id_valid(d->of + 3))
			d->of += 3;
		if (!token_ok(d->of)) {
			seterr(err, errlen, "%s: want a case number or the ID "
			    "of a known vulnerability", d->of);
			return EX_USAGE;
		}
		d->of_case = vf_id_valid(d->of);
		break;
	case A_KIND:
		NEED(1);
		d->kind = vf_kind_parse(argv[i]);
		if (d->kind == 0 || strcmp(argv[i], vf_kind_name(d->kind))) {
			seterr(err, errlen, "%s: want software, web or vendor",
			    argv[i]);
			return EX_USAGE;
		}
		i++;
		break;
	case A_ROUTE:
		NEED(1);
		if (strcmp(argv[i], "coordinator") == 0) {
			d->route = "coordinator";
			i++;
			break;
		}
		if (strcmp(argv[i], "operator") != 0) {
			seterr(err, errlen, "%s: route to the coordinator or "
			    "to an operator", argv[i]);
			return EX_USAGE;
		}
		d->route = "operator";
		i++;
		NEED(2);
		if ((d->address = vf_addr_ascii(argv[i])) == NULL) {
			seterr(err, errlen, "%s: not an e-mail address "
			    "(addr-spec)", argv[i]);
			return EX_USAGE;
		}
		i++;
		if (strcmp(argv[i], "-") == 0)
			d->fpr[0] = '\0';
		else if (!fpr_ok(argv[i], d->fpr, sizeof(d->fpr))) {
			seterr(err, errlen, "%s: want the operator's key "
			    "fingerprint (40 or 64 hex digits), or - for none",
			    argv[i]);
			return EX_USAGE;
		}
		i++;
		if (i < argc && !looks_like_case(argv[i])) {
			d->name = argv[i++];
			if (!text_ok(d->name, 200)) {
				seterr(err, errlen, "the operator's name is one "
				    "line of UTF-8 text, at most 200 bytes");
				return EX_USAGE;
			}
		}
		break;
	case A_PUBDATE:
		NEED(1);
		d->text = argv[i++];
		if (vf_pubdate_parse(d->text, &d->when, err, errlen) == -1)
			return EX_USAGE;
		break;
	case A_PUBLISHED:
		NEED(1);
		d->of = argv[i++];
		if (!token_ok(d->of)) {
			seterr(err, errlen, "%s: want the advisory's identifier "
			    "(no white space, at most %d characters)", d->of,
			    TOKEN_MAX);
			return EX_USAGE;
		}
		if (i < argc && (strncasecmp(argv[i], "http://", 7) == 0 ||
		    strncasecmp(argv[i], "https://", 8) == 0)) {
			d->url = argv[i++];
			if (!url_ok(d->url)) {
				seterr(err, errlen, "%s: not an http or https "
				    "URL with a host", d->url);
				return EX_USAGE;
			}
		}
		break;
	case A_FIXED:
		if (i < argc && !looks_like_case(argv[i])) {
			d->text = argv[i++];
			if (!text_ok(d->text, TEXT_MAX)) {
				seterr(err, errlen, "fixed: the method is one "
				    "line of UTF-8 text, at most %d bytes",
				    TEXT_MAX);
				return EX_USAGE;
			}
		}
		break;
	case A_TAKE:
	case A_INCOMPLETE:
		/* Field names and cases, in any order: none is the other. */
		d->cases = vf_calloc((size_t)argc, sizeof(*d->cases));
		for (j = i; j < argc; j++) {
			if ((f = vf_fields_find(ft, argv[j])) == NULL) {
				d->cases[d->ncases++] = argv[j];
				continue;
			}
			if (f->class == VF_CLASS_STATUS) {
				seterr(err, errlen, "%s: a status field is set "
				    "by its own decision, not by %s", argv[j],
				    a->name);
				return EX_USAGE;
			}
			add_field(d, f->name);
		}
		if (d->nfields == 0) {
			seterr(err, errlen, "usage: vf-decide %s CASE...: name "
			    "at least one field of the field table", u);
			return EX_USAGE;
		}
		return 0;
	}
#undef NEED
	d->cases = vf_calloc((size_t)argc, sizeof(*d->cases));
	for (; i < argc; i++)
		d->cases[d->ncases++] = argv[i];
	return 0;
}

void
vf_decide_free(struct vf_decide *d)
{
	free(d->address);
	free(d->fields);
	free(d->cases);
	memset(d, 0, sizeof(*d));
}

/* ---- the known-vulnerability list ------------------------------------ */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
vf_known_find(struct vf_root *root, const char *id, char *where,
    size_t size)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL, rel[600], *line = NULL;
	size_t n = 0, i, cap = 0, col;
	unsigned long lineno;
	ssize_t len;
	FILE *fp;
	int rc = 0, fd, found = 0;

	if ((dir = vf_opendir(root, "known", &rc)) == NULL)
		return rc != 0 ? rc : EX_NOINPUT;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = vf_reallocarray(names, n + 1, sizeof(*names));
		names[n++] = vf_strdup(de->d_name);
	}
	(void)closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && !found && rc == 0; i++) {
		if (snprintf(rel, sizeof(rel), "known/%s", names[i]) >=
		    (int)sizeof(rel))
			continue;
		if ((fd = vf_openat(root->fd, rel, O_RDONLY, 0)) == -1) {
			/* A folder or a link among the files: not a list. */
			if (errno == ELOOP || errno == EISDIR)
				continue;
			rc = vf_errno_exit(errno);
			continue;
		}
		if ((fp = fdopen(fd, "r")) == NULL) {
			(void)close(fd);
			rc = EX_TEMPFAIL;
			continue;
		}
		for (lineno = 1; (len = getline(&line, &cap, fp)) != -1;
		    lineno++) {
			if (line[0] == '#')
				continue;
			col = strcspn(line, "\t\n");
			if (col == strlen(id) &&
			    strncasecmp(line, id, col) == 0) {
				(void)snprintf(where, size, "%s:%lu", names[i],
				    lineno);
				found = 1;
				break;
			}
		}
		if (ferror(fp))
			rc = EX_IOERR;
		(void)fclose(fp);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(line);
	if (rc != 0)
		return rc;
	return found ? 0 : EX_NOINPUT;
}

/* ---- proposals (the parser side is vf-parse's) ----------------------- */

/*
 * The value of field `name' in a proposal body (the fields part's
 * syntax: "name: value", further lines after a TAB), malloc'ed, or NULL.
 */
char *
vf_proposal_value(const char *body, size_t len, const char *name)
{
	const char *end = body + len, *s = body, *eol, *v;
	struct vf_buf b = { 0 };
	size_t n = strlen(name);
	int in = 0, found = 0;

	while (s < end) {
		if ((eol = memchr(s, '\n', (size_t)(end - s))) == NULL)
			eol = end;
		if (*s == '\t' && s < eol) {
			if (in) {
				vf_buf_addc(&b, '\n');
				vf_buf_add(&b, s + 1, (size_t)(eol - s - 1));
			}
		} else {
			in = 0;
			v = memchr(s, ':', (size_t)(eol - s));
			if (v != NULL && (size_t)(v - s) == n &&
			    memcmp(s, name, n) == 0 && v + 1 < eol &&
			    v[1] == ' ') {
				/* The last line naming it wins, as it would
				   in a fields part read in order. */
				b.len = 0;
				vf_buf_add(&b, v + 2, (size_t)(eol - v - 2));
				in = found = 1;
			}
		}
		s = eol + 1;
	}
	if (!found) {
		vf_buf_free(&b);
		return NULL;
	}
	vf_buf_add(&b, "", 0);
	if (memchr(b.p, '\0', b.len) != NULL) {
		vf_buf_free(&b);
		return NULL;
	}
	return vf_buf_take(&b, NULL);
}

/* The Vf-Proposes list without name; 1 if name was in it. */
static int
proposes_without(const char *list, const char *name, struct vf_buf *out)
{
	char *copy, *p, *tok;
	int was = 0;

	out->len = 0;
	vf_buf_add(out, "", 0);
	if (list == NULL)
		return 0;
	copy = vf_strdup(list);
	for (p = copy; (tok = strsep(&p, ",")) != NULL; ) {
		tok += strspn(tok, " \t");
		tok[strcspn(tok, " \t")] = '\0';
		if (*tok == '\0')
			continue;
		if (strcmp(tok, name) == 0) {
			was = 1;
			continue;
		}
		if (out->len > 0)
			vf_buf_adds(out, ", ");
		vf_buf_adds(out, tok);
	}
	free(copy);
	return was;
}

/* ---- applying a decision -------------------------------------------- */

struct chg {
	struct vf_case	*c;
	int		 n;
};

static void
field(struct chg *g, const char *name, const char *value, int keep)
{
	const char *old = vf_case_field(g->c, name);

	if (value == NULL) {
		if (old != NULL) {
			vf_case_field_del(g->c, name);
			g->n++;
		}
		return;
	}
	if (old != NULL && (keep || strcmp(old, value) == 0))
		return;
	vf_case_field_set(g->c, name, value);
	g->n++;
}

static void
header(struct chg *g, const char *name, const char *value)
{
	const char *old = vf_case_get(g->c, name);

	if (value == NULL) {
		if (old != NULL) {
			vf_case_del(g->c, name);
			g->n++;
		}
		return;
	}
	if (old != NULL && strcmp(old, value) == 0)
		return;
	vf_case_set(g->c, name, value);
	g->n++;
}

/* A header value from UTF-8 text: RFC 2047 where not ASCII, one line. */
static char *
hdr_value(const char *s)
{
	struct vf_buf b = { 0 };
	size_t i, k;

	vf_hdr_encode(&b, s, 20);
	for (i = k = 0; i < b.len; i++)
		if (b.p[i] != '\n' && b.p[i] != '\r')
			b.p[k++] = b.p[i];
	b.p[k] = '\0';
	return vf_buf_take(&b, NULL);
}

static int
in_list(const char *const *l, const char *s)
{
	for (; l != NULL && *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

static void
join(const char *const *l, char *buf, size_t size)
{
	buf[0] = '\0';
	for (; l != NULL && *l != NULL; l++) {
		if (buf[0] != '\0')
			(void)strlcat(buf, ", ", size);
		(void)strlcat(buf, *l, size);
	}
}

static const char *
kinds_name(int kinds)
{
	if (kinds == SW)
		return "software and vendor cases";
	if (kinds == WEB)
		return "web cases";
	return "software, vendor and web cases";
}

static int
take(const struct vf_decide *d, struct vf_case *c, struct chg *g,
    struct vf_buf *what, char *err, size_t errlen)
{
	struct vf_buf left = { 0 };
	const char *v, *by;
	char *val, *best, bybuf[128];
	time_t t, bt;
	size_t i, k, bi;
	int rc = 0;

	/* Every field first: a take refused changes nothing at all. */
	for (k = 0; k < d->nfields; k++) {
		for (i = 2; i < c->npart; i++) {
			if ((v = vf_cpart_get(&c->part[i], "Vf-Part")) == NULL ||
			    strcmp(v, VF_PART_PROPOSAL) != 0 ||
			    (val = vf_proposal_value(c->part[i].body,
			    c->part[i].len, d->fields[k])) == NULL)
				continue;
			free(val);
			break;
		}
		if (i == c->npart) {
			seterr(err, errlen, "take: no proposal names %s",
			    d->fields[k]);
			return EX_DATAERR;
		}
	}
	for (k = 0; k < d->nfields; k++) {
		best = NULL;
		bt = 0;
		bi = 0;
		for (i = 2; i < c->npart; i++) {
			if ((v = vf_cpart_get(&c->part[i], "Vf-Part")) == NULL ||
			    strcmp(v, VF_PART_PROPOSAL) != 0)
				continue;
			if ((val = vf_proposal_value(c->part[i].body,
			    c->part[i].len, d->fields[k])) == NULL)
				continue;
			if (vf_time_parse(vf_cpart_get(&c->part[i],
			    "Vf-Received"), &t) == -1)
				t = 0;
			/* The latest; of two at one time, the later part. */
			if (best == NULL || t >= bt) {
				free(best);
				best = val;
				bt = t;
				bi = i;
			} else
				free(val);
		}
		if (best == NULL) {
			seterr(err, errlen, "take: no proposal names %s",
			    d->fields[k]);
			rc = EX_DATAERR;
			break;
		}
		field(g, d->fields[k], best, 0);
		free(best);
		/* Settled, even where the value was the same already. */
		if (proposes_without(vf_case_get(c, "Vf-Proposes"),
		    d->fields[k], &left))
			header(g, "Vf-Proposes", left.len > 0 ? left.p : NULL);
		by = vf_cpart_get(&c->part[bi], "Vf-Proposed-By");
		(void)strlcpy(bybuf, by != NULL ? by : "unknown",
		    sizeof(bybuf));
		vf_oneline(bybuf);
		/* The part's index from 0, as Vf-Of counts. */
		vf_buf_printf(what, "%s%s (part %zu, proposed by %s)",
		    k == 0 ? " " : ", ", d->fields[k], bi, bybuf);
	}
	vf_buf_free(&left);
	return rc;
}

int
vf_decide_apply(const struct vf_decide *d, struct vf_case *c,
    const char *state, struct vf_decided *r, char *err, size_t errlen)
{
	const struct action *a = NULL;
	struct chg g = { c, 0 };
	struct vf_buf w = { 0 }, dup = { 0 };
	char day[32], when[32], allowed[512], *v;
	const char *to, *kindv = vf_case_get(c, "Vf-Kind");
	int kind = vf_kind_bit(kindv), rc = 0, rk;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < NACTIONS; i++)
		if (actions[i].id == d->act)
			a = &actions[i];
	if (a == NULL || !vf_state_valid(state)) {
		seterr(err, errlen, "internal: no such decision or state");
		return EX_SOFTWARE;
	}
	vf_timestamp(day, sizeof(day), 0);
	day[10] = '\0';

	/* The kind first: the reason is then the kind, not the state. */
	rk = d->act != A_ROUTE ? ANYK :
	    strcmp(d->route, "coordinator") == 0 ? SW : WEB;
	if ((a->kinds & kind) == 0 || (rk & kind) == 0) {
		if (d->act == A_ROUTE)
			seterr(err, errlen, "route %s is for %s; this case is "
			    "%s", d->route, kinds_name(strcmp(d->route,
			    "coordinator") == 0 ? SW : WEB),
			    vf_kind_name(kind));
		else
			seterr(err, errlen, "%s is for %s; this case is %s%s",
			    a->name, kinds_name(a->kinds), vf_kind_name(kind),
			    kind == VF_KIND_UNKNOWN ? " (set it: vf-decide "
			    "kind ...)" : "");
		return EX_DATAERR;
	}

	/* Where the case goes. */
	to = a->to;
	if (d->act == A_KIND)
		to = strcmp(state, "incomplete") == 0 ||
		    strcmp(state, "undecided") == 0 ? "received" : NULL;
	if (to != NULL && strcmp(to, state) == 0)
		to = NULL;
	if (to == NULL) {
		int here = (a->to != NULL && strcmp(a->to, state) == 0) ||
		    in_list(a->stay, state) ||
		    (d->act == A_TAKE && !vf_state_ended(state));

		if (!here) {
			join(a->stay, allowed, sizeof(allowed));
			seterr(err, errlen, "%s is taken on a case in %s; "
			    "this one is in %s", a->name, d->act == A_TAKE ?
			    "a state whose handling has not ended" : allowed,
			    state);
			return EX_DATAERR;
		}
	} else if (!vf_move_ok(state, to, kind, VF_BY_DECIDE)) {
		const char *art = kind == VF_KIND_UNKNOWN ? "an" : "a";

		if (vf_moves_from(state, kind, VF_BY_DECIDE, allowed,
		    sizeof(allowed)) == 0)
			seterr(err, errlen, "%s: %s %s case in %s cannot move "
			    "to %s; no decision moves it from %s", a->name,
			    art, vf_kind_name(kind), state, to, state);
		else
			seterr(err, errlen, "%s: %s %s case in %s cannot move "
			    "to %s; from %s it may move to: %s", a->name,
			    art, vf_kind_name(kind), state, to, state, allowed);
		return EX_DATAERR;
	}

	vf_buf_adds(&w, a->name);
	switch (d->act) {
	case A_ACCEPT:
		field(&g, "status.accepted", day, 1);
		break;
	case A_REJECT:
	case A_CLOSE:
	case A_REFER:
	case A_UNREACHABLE:
		field(&g, "status.reason", d->text, 0);
		field(&g, "status.closed", day, 1);
		vf_buf_adds(&w, ", the reason in status.reason");
		break;
	case A_DUPLICATE:
		if (d->of_case && strcmp(d->of, vf_case_get(c, "Vf-Id")) == 0) {
			seterr(err, errlen, "duplicate: a case is not a "
			    "duplicate of itself");
			rc = EX_DATAERR;
			break;
		}
		field(&g, "status.duplicate-of", d->of, 0);
		field(&g, "status.closed", day, 1);
		dup.len = 0;
		if (d->of_case) {
			vf_buf_printf(&w, " of case %s", d->of);
			vf_buf_printf(&dup, "case %s (by staff)", d->of);
		} else {
			vf_buf_printf(&w, " of known %s (%s)", d->of,
			    d->known_where);
			vf_buf_printf(&dup, "known %s %s (by staff)", d->of,
			    d->known_where);
		}
		header(&g, "Vf-Duplicate", dup.p);
		vf_buf_free(&dup);
		break;
	case A_KIND:
		/* Said before it is set: setting frees the old value. */
		vf_buf_printf(&w, " %s (was %s)", vf_kind_name(d->kind),
		    kindv != NULL ? kindv : "not set");
		header(&g, "Vf-Kind", vf_kind_name(d->kind));
		kindv = NULL;
		break;
	case A_ROUTE:
		header(&g, "Vf-Route", d->route);
		if (strcmp(d->route, "coordinator") == 0) {
			v = d->coord_name != NULL ? hdr_value(d->coord_name) :
			    NULL;
			header(&g, "Vf-Route-Name", v);
			free(v);
			header(&g, "Vf-Route-Address", d->coord_address);
			header(&g, "Vf-Route-Key", d->coord_key);
			vf_buf_printf(&w, " coordinator, key %s",
			    d->coord_key != NULL ? d->coord_key : "none");
		} else {
			v = d->name != NULL ? hdr_value(d->name) : NULL;
			header(&g, "Vf-Route-Name", v);
			free(v);
			header(&g, "Vf-Route-Address", d->address);
			header(&g, "Vf-Route-Key", d->fpr[0] != '\0' ? d->fpr :
			    NULL);
			vf_buf_printf(&w, " operator, key %s",
			    d->fpr[0] != '\0' ? d->fpr : "none");
		}
		/* What vf-route found for the old route is not this one's. */
		header(&g, "Vf-Route-Lang", NULL);
		header(&g, "Vf-Route-Warning", NULL);
		header(&g, "Vf-Route-Source", "staff");
		break;
	case A_PUBDATE:
		vf_timestamp(when, sizeof(when), d->when);
		vf_buf_printf(&w, " %s (given as %s", when, d->text);
		/* Said before it is set: setting frees the old value. */
		if ((v = (char *)vf_case_field(c, "status.pubdate-utc")) !=
		    NULL && strcmp(v, when) != 0)
			vf_buf_printf(&w, "; was %s", v);
		vf_buf_addc(&w, ')');
		field(&g, "status.pubdate", d->text, 0);
		field(&g, "status.pubdate-utc", when, 0);
		break;
	case A_PUBLISHED:
		field(&g, "status.published", day, 1);
		field(&g, "status.advisory", d->of, 0);
		if (d->url != NULL)
			field(&g, "status.advisory-url", d->url, 0);
		vf_buf_printf(&w, " %s", d->of);
		break;
	case A_FIXED:
		field(&g, "status.fixed", day, 1);
		if (d->text != NULL) {
			field(&g, "status.fix-method", d->text, 0);
			vf_buf_adds(&w, ", the method in status.fix-method");
		}
		break;
	case A_ANSWERED:
		/* The day the operator answered; a later answer, a later
		   day (vf-expire counts the silence from it). */
		field(&g, "status.answered", day, 0);
		vf_buf_printf(&w, " (status.answered %s)", day);
		break;
	case A_TAKE:
		rc = take(d, c, &g, &w, err, errlen);
		break;
	case A_INCOMPLETE:
		vf_buf_adds(&w, ": missing ");
		for (i = 0; i < d->nfields; i++)
			vf_buf_printf(&w, "%s%s", i == 0 ? "" : ", ",
			    d->fields[i]);
		header(&g, "Vf-Missing", w.p + strlen("incomplete: missing "));
		break;
	case A_RECHECK:
	case A_UNDECIDED:
		break;
	}
	if (rc != 0) {
		vf_buf_free(&w);
		return rc;
	}
	if (to != NULL) {
		vf_buf_printf(&w, " (%s -> %s)", state, to);
		g.n++;
	}
	r->to = to;
	r->changes = g.n;
	if (g.n == 0) {
		if (a->to != NULL && strcmp(a->to, state) == 0)
			(void)snprintf(r->what, sizeof(r->what), "already %s",
			    state);
		else
			(void)snprintf(r->what, sizeof(r->what), "already "
			    "recorded: %s", w.p);
	} else {
		(void)snprintf(r->what, sizeof(r->what), "%s", w.p);
		/* Saved, then killed before the move: the line is there. */
		struct vf_buf line = { 0 };

		vf_buf_printf(&line, "by staff %s: %s", d->staff, w.p);
		if (to == NULL ||
		    !vf_case_history_last(c, "vf-decide", line.p))
			vf_case_history(c, "vf-decide", "%s", line.p);
		vf_buf_free(&line);
	}
	vf_buf_free(&w);
	return 0;
}
