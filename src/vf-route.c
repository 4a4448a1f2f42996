/*
 * vf-route - choose who gets an accepted case: the coordinator (software
 * and vendor reports) or the site's operator (web), record the route on
 * the case and move it to routed; no contact for a site: unreachable.
 *
 * The web route is the most specific of: an entry in ROOT/contacts, then
 * the office's copy of the site's security.txt, for the URL's host, then
 * for each parent domain down to the registrable domain (never past it:
 * a public suffix is nobody's site). At one name, the contacts entry wins
 * over security.txt: the office checked it itself. What needs a person
 * (a security.txt with only web contacts, a bad signature) leaves the
 * case in accepted with Vf-Route-Warning saying what to do.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vf.h"

#define TOOL		"vf-route"
#define SECTXT_MAX	(1024 * 1024)
#define WALK_MAX	128

struct route {
	struct vf_root		root;
	struct vf_config	cfg;
	struct vf_contacts	contacts;
	int			dryrun;
};

/* What was chosen for one case. */
struct choice {
	const char	*to;		/* routed, unreachable, NULL: hold */
	const char	*role;		/* coordinator, operator */
	char		*name;
	char		*addr;
	char		 fpr[41];
	char		 lang[3];
	struct vf_buf	 source;
	struct vf_buf	 warning;	/* "; "-separated */
	struct vf_buf	 note;		/* history only */
	char		*host;
};

static void
choice_free(struct choice *ch)
{
	free(ch->name);
	free(ch->addr);
	free(ch->host);
	vf_buf_free(&ch->source);
	vf_buf_free(&ch->warning);
	vf_buf_free(&ch->note);
	memset(ch, 0, sizeof(*ch));
}

static void warn_add(struct vf_buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn_add(struct vf_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len > 0)
		vf_buf_adds(b, "; ");
	va_start(ap, fmt);
	vf_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vf-route [-n] [-d root] [case ...]\n");
	exit(EX_USAGE);
}

static int
is_fpr40(const char *s)
{
	size_t i;

	for (i = 0; i < 40; i++)
		if (vf_hexval((unsigned char)s[i]) < 0)
			return 0;
	return s[40] == '\0';
}

static int
coordinator(struct route *r, struct choice *ch)
{
	static const char *const keys[] = { "coordinator-name",
	    "coordinator-address", "coordinator-key" };
	const char *v[3];
	size_t i;

	for (i = 0; i < 3; i++)
		if ((v[i] = vf_config_get(&r->cfg, keys[i])) == NULL) {
			warnx("%s/config: no %s: set coordinator-name, "
			    "coordinator-address and coordinator-key to route "
			    "software and vendor cases", r->root.path, keys[i]);
			return EX_CONFIG;
		}
	if ((ch->addr = vf_addr_ascii(v[1])) == NULL) {
		warnx("%s/config: coordinator-address %s is not an addr-spec",
		    r->root.path, v[1]);
		return EX_CONFIG;
	}
	if (!is_fpr40(v[2])) {
		warnx("%s/config: coordinator-key is not a fingerprint (40 hex "
		    "digits, no spaces)", r->root.path);
		return EX_CONFIG;
	}
	for (i = 0; i < 40; i++)
		ch->fpr[i] = (char)toupper((unsigned char)v[2][i]);
	ch->fpr[40] = '\0';
	ch->name = vf_strdup(v[0]);
	ch->to = "routed";
	ch->role = "coordinator";
	vf_buf_adds(&ch->source, "config");
	return 0;
}

static void
from_contact(struct choice *ch, const struct vf_contact *e)
{
	ch->to = "routed";
	ch->role = "operator";
	ch->addr = vf_strdup(e->addr);
	ch->name = e->name != NULL ? vf_strdup(e->name) : NULL;
	(void)strlcpy(ch->fpr, e->fpr, sizeof(ch->fpr));
	(void)strlcpy(ch->lang, e->lang, sizeof(ch->lang));
	vf_buf_printf(&ch->source, "contacts:%zu %s", e->line, e->host);
}

/* A held case: nobody to mail, a person must look. */
static int
hold(struct choice *ch)
{
	ch->to = NULL;
	ch->role = NULL;
	free(ch->addr);
	ch->addr = NULL;
	ch->fpr[0] = '\0';
	ch->lang[0] = '\0';
	ch->source.len = 0;
	return 1;
}

/*
 * The key named by Encryption, if the office keyring has it: 0, or the
 * exit status when gpg could not say (try again later).
 */
static int
sectxt_key(const struct vf_sectxt *s, const char *host, struct choice *ch)
{
	struct vf_gpg g;
	struct vf_buf miss = { 0 };
	char fpr[41];
	size_t i;
	int rc;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < s->nencryption; i++) {
		if (!vf_sectxt_keyfpr(s->encryption[i], fpr)) {
			warn_add(&miss, "the key at %s must be fetched by "
			    "staff", s->encryption[i]);
			continue;
		}
		rc = vf_gpg_key_mailboxes(fpr, &g);
		if (rc == 0) {
			memcpy(ch->fpr, fpr, sizeof(ch->fpr));
			break;
		}
		if (rc != EX_DATAERR) {
			warnx("security.txt %s: gpg could not look key %s up: "
			    "try again later", host, fpr);
			vf_gpg_free(&g);
			vf_buf_free(&miss);
			return rc;
		}
		warn_add(&miss, "key %s is not in the office keyring: staff "
		    "must fetch and check it", fpr);
	}
	vf_gpg_free(&g);
	if (ch->fpr[0] == '\0' && miss.len > 0)
		warn_add(&ch->warning, "security.txt %s: %s", host, miss.p);
	vf_buf_free(&miss);
	return 0;
}

/*
 * Canonical (RFC 9116 2.5.2) says where the file lives: one that names
 * only other hosts was copied from elsewhere, or the site serves another's.
 */
static void
sectxt_canonical(const struct vf_sectxt *s, const char *host,
    struct choice *ch)
{
	size_t i;
	char *h;
	int same = 0;

	for (i = 0; i < s->ncanonical && !same; i++) {
		h = vf_url_host(s->canonical[i]);
		same = h != NULL && strcmp(h, host) == 0;
		free(h);
	}
	if (s->ncanonical > 0 && !same)
		warn_add(&ch->warning, "security.txt %s: its Canonical names "
		    "another place (%s)", host, s->canonical[0]);
}

/*
 * ROOT/security.txt/HOST: 0 none there, 1 chosen (or held: ch->to NULL),
 * or an exit status (gpg could not run: try again later).
 */
static int
sectxt(struct route *r, const char *host, struct choice *ch)
{
	struct vf_buf b = { 0 }, text = { 0 }, web = { 0 };
	struct vf_sectxt s;
	struct vf_gpg g;
	char rel[320], when[32];
	const char *lang;
	size_t i;
	int fd, rd, sig, rc, ret = 1;

	if ((size_t)snprintf(rel, sizeof(rel), "security.txt/%s", host) >=
	    sizeof(rel))
		return 0;
	if ((fd = vf_openat(r->root.fd, rel, O_RDONLY, 0)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		warn("%s/%s", r->root.path, rel);
		return vf_errno_exit(errno);
	}
	rd = vf_buf_readfd(&b, fd, SECTXT_MAX);
	(void)close(fd);
	if (rd == -1) {
		warn("%s/%s", r->root.path, rel);
		vf_buf_free(&b);
		return EX_IOERR;
	}
	vf_buf_add(&b, "", 0);
	memset(&g, 0, sizeof(g));
	memset(&s, 0, sizeof(s));
	if (rd == 1) {
		warn_add(&ch->warning, "security.txt %s is larger than 1 MiB: "
		    "not used", host);
		ret = hold(ch);
		goto out;
	}
	if (vf_sectxt_unwrap(b.p, b.len, &text, &sig) == -1) {
		warn_add(&ch->warning, "security.txt %s has a signed-message "
		    "armor without its signature: not used", host);
		ret = hold(ch);
		goto out;
	}
	vf_buf_printf(&ch->source, "security.txt %s", host);
	if (sig == 2)
		warn_add(&ch->warning, "security.txt %s: text outside the "
		    "signed part ignored", host);
	if (sig) {
		rc = vf_gpg_clearsigned(b.p, b.len, SECTXT_MAX, &g);
		if (rc == EX_TEMPFAIL || rc == EX_UNAVAILABLE ||
		    rc == EX_OSERR) {
			warnx("security.txt %s: gpg could not check its "
			    "signature: try again later", host);
			ret = rc;
			goto out;
		}
		if (rc == 0) {
			/* What gpg says was signed, not our reading of it. */
			text.len = 0;
			vf_buf_add(&text, g.out.p, g.out.len);
		}
		switch (rc != 0 ? VF_SIG_ERROR : g.st.sig) {
		case VF_SIG_GOOD:
			vf_buf_printf(&ch->source, ", good signature by %s",
			    g.st.sig_fpr);
			break;
		case VF_SIG_BAD:
		case VF_SIG_REVKEY:
			warn_add(&ch->warning, "security.txt %s: %s (key %s): "
			    "not used; fetch it again and check it", host,
			    g.st.sig == VF_SIG_BAD ? "bad signature" :
			    "signed by a revoked key", g.st.sig_keyid);
			ret = hold(ch);
			goto out;
		case VF_SIG_NOKEY:
			warn_add(&ch->warning, "security.txt %s: signed by key "
			    "%s, which the office keyring lacks: signature not "
			    "checked", host, g.st.sig_keyid);
			break;
		default:
			warn_add(&ch->warning, "security.txt %s: signature "
			    "%s%s%s", host, rc != 0 ? "not checked" :
			    vf_sig_name(g.st.sig), g.st.sig_keyid[0] != '\0' ?
			    " by key " : "", g.st.sig_keyid);
			break;
		}
	}
	vf_buf_add(&text, "", 0);
	vf_sectxt_parse(&s, text.p, text.len);
	for (i = 0; i < s.ncontact && ch->addr == NULL; i++)
		ch->addr = vf_sectxt_mailto(s.contact[i]);
	for (i = 0; i < s.ncontact; i++)
		if (strncasecmp(s.contact[i], "https:", 6) == 0)
			warn_add(&web, "%s", s.contact[i]);
	if (web.len > 0)
		warn_add(&ch->note, "security.txt %s web contacts (not "
		    "mailed): %s", host, web.p);
	if (s.expires_t != -1 && s.expires_t < vf_now()) {
		vf_timestamp(when, sizeof(when), s.expires_t);
		warn_add(&ch->warning, "security.txt %s expired %s", host,
		    when);
	}
	if (s.problems.len > 0)
		warn_add(&ch->warning, "security.txt %s: %.300s", host,
		    s.problems.p);
	if (ch->addr == NULL) {
		warn_add(&ch->warning, "security.txt %s names no mail Contact"
		    "%s%s: contact the operator by hand and record the route "
		    "as a staff decision", host, web.len > 0 ? "; on the web: " :
		    "", web.len > 0 ? web.p : "");
		ret = hold(ch);
		goto out;
	}
	sectxt_canonical(&s, host, ch);
	if ((rc = sectxt_key(&s, host, ch)) != 0) {
		ret = rc;
		goto out;
	}
	if ((lang = vf_sectxt_lang(&s)) != NULL)
		(void)strlcpy(ch->lang, lang, sizeof(ch->lang));
	ch->to = "routed";
	ch->role = "operator";
out:
	vf_sectxt_free(&s);
	vf_gpg_free(&g);
	vf_buf_free(&b);
	vf_buf_free(&text);
	vf_buf_free(&web);
	return ret;
}

static int
web(struct route *r, const struct vf_case *c, const char *id,
    struct choice *ch)
{
	const char *v[WALK_MAX];
	const struct vf_contact *e;
	size_t n, i;
	int rc;

	if ((ch->host = vf_url_host(vf_case_field(c, "web.url"))) == NULL) {
		warnx("VF#%s: web.url is missing or names no host of an http "
		    "or https URL: not routed (check the case again)", id);
		return EX_DATAERR;
	}
	n = vf_host_walk(ch->host, v, WALK_MAX);
	for (i = 0; i < n; i++) {
		if ((e = vf_contacts_find(&r->contacts, v[i])) != NULL) {
			from_contact(ch, e);
			return 0;
		}
		if ((rc = sectxt(r, v[i], ch)) == 1)
			return 0;
		if (rc != 0)
			return rc;
	}
	ch->to = "unreachable";
	if (n == 0)
		warn_add(&ch->note, "no contact for %s: a public suffix, which "
		    "no one operator runs", ch->host);
	else
		warn_add(&ch->note, "no contact for %s (contacts, security.txt; "
		    "%s up to %s)", ch->host, ch->host, v[n - 1]);
	return 0;
}

/* Set or remove a header; 1 when that changed the case. */
static int
put(struct vf_case *c, const char *name, const char *v, int apply)
{
	const char *old = vf_case_get(c, name);

	if (v != NULL && v[0] == '\0')
		v = NULL;
	if ((old == NULL && v == NULL) || (old != NULL && v != NULL &&
	    strcmp(old, v) == 0))
		return 0;
	if (apply) {
		if (v == NULL)
			vf_case_del(c, name);
		else
			vf_case_set(c, name, v);
	}
	return 1;
}

static int
record(struct vf_case *c, const struct choice *ch, int apply)
{
	int n = 0;
	char *name = NULL;

	/*
	 * A case file's headers are ASCII: a name in UTF-8 as RFC 2047
	 * encoded words (vf-notify decodes them), on one line.
	 */
	if (ch->name != NULL) {
		struct vf_buf b = { 0 };
		char *t = vf_oneline(vf_strdup(ch->name)), *p, *q;

		vf_hdr_encode(&b, t, sizeof("Vf-Route-Name: ") - 1);
		vf_buf_add(&b, "", 0);
		free(t);
		for (p = q = b.p; *p != '\0'; p++)
			if (*p != '\r' && *p != '\n')
				*q++ = *p;
		*q = '\0';
		name = vf_buf_take(&b, NULL);
	}
	n += put(c, "Vf-Route", ch->role, apply);
	n += put(c, "Vf-Route-Name", name, apply);
	n += put(c, "Vf-Route-Address", ch->addr, apply);
	n += put(c, "Vf-Route-Key", ch->fpr, apply);
	n += put(c, "Vf-Route-Lang", ch->lang, apply);
	n += put(c, "Vf-Route-Source", ch->source.len > 0 ? ch->source.p :
	    NULL, apply);
	n += put(c, "Vf-Route-Warning", ch->warning.len > 0 ?
	    ch->warning.p : NULL, apply);
	free(name);
	return n;
}

static void
show(const char *id, const struct choice *ch)
{
	if (ch->to == NULL)
		printf("%s\taccepted\t-\t-\t-\t-\t%s\n", id, ch->warning.p);
	else if (strcmp(ch->to, "unreachable") == 0)
		printf("%s\tunreachable\t-\t-\t-\t-\t%s\n", id, ch->note.p);
	else
		printf("%s\trouted\t%s\t%s\t%s\t%s\t%s\n", id, ch->role,
		    ch->addr, ch->fpr[0] != '\0' ? ch->fpr : "-",
		    ch->lang[0] != '\0' ? ch->lang : "-", ch->source.p);
}

static int
route(const char *what, void *arg)
{
	struct route *r = arg;
	struct choice ch;
	struct vf_case c;
	const char *state;
	char path[4096], id[VF_IDLEN], err[512], day[32];
	int rc, lk = -1, kind, loaded = 0;

	memset(&ch, 0, sizeof(ch));
	if ((rc = vf_resolve(&r->root, what, path, sizeof(path), &state)) != 0)
		return rc;
	if (vf_path_state(&r->root, path, id, sizeof(id)) == NULL)
		return EX_NOINPUT;
	if ((rc = vf_lock(&r->root, id, &lk)) != 0)
		return rc;
	/* Under the lock, where it is now: it may have moved meanwhile. */
	if ((rc = vf_find(&r->root, id, path, sizeof(path), &state)) != 0) {
		warnx("%s: no such case", id);
		goto out;
	}
	if (strcmp(state, "accepted") != 0) {
		warnx("VF#%s: in %s, not accepted: left alone", id, state);
		goto out;
	}
	if ((rc = vf_case_load(&c, path, err, sizeof(err))) != 0) {
		warnx("%s: %s", path, err);
		goto out;
	}
	loaded = 1;
	kind = vf_kind_bit(vf_case_get(&c, "Vf-Kind"));
	if (kind == VF_KIND_SOFTWARE || kind == VF_KIND_VENDOR)
		rc = coordinator(r, &ch);
	else if (kind == VF_KIND_WEB)
		rc = web(r, &c, id, &ch);
	else {
		warnx("VF#%s: kind %s: neither software, vendor nor web: not "
		    "routed", id, vf_kind_name(kind));
		rc = EX_DATAERR;
	}
	if (rc != 0)
		goto out;
	if (ch.to != NULL && !vf_move_ok(state, ch.to, kind, VF_BY_ROUTE)) {
		warnx("VF#%s: %s to %s is not a move vf-route may make", id,
		    state, ch.to);
		rc = EX_SOFTWARE;
		goto out;
	}
	if (r->dryrun) {
		show(id, &ch);
		goto out;
	}
	if (ch.to == NULL)
		warnx("VF#%s: not routed: %s", id, ch.warning.p);
	if (record(&c, &ch, 0) > 0 || (ch.to != NULL &&
	    strcmp(ch.to, "unreachable") == 0 &&
	    vf_case_field(&c, "status.reason") == NULL)) {
		(void)record(&c, &ch, 1);
		if (ch.to == NULL)
			vf_case_history(&c, TOOL, "not routed: %s%s%s",
			    ch.warning.p, ch.note.len > 0 ? "; " : "",
			    ch.note.len > 0 ? ch.note.p : "");
		else if (strcmp(ch.to, "unreachable") == 0) {
			vf_timestamp(day, sizeof(day), 0);
			day[10] = '\0';
			if (vf_case_field(&c, "status.closed") == NULL)
				vf_case_field_set(&c, "status.closed", day);
			vf_case_field_set(&c, "status.reason", "No contact "
			    "for the site operator was found.");
			vf_case_history(&c, TOOL, "%s: to unreachable",
			    ch.note.p);
		} else
			/* Role, key and source: never a name or address. */
			vf_case_history(&c, TOOL, "route %s, key %s, source "
			    "%s%s%s%s%s: to routed", ch.role, ch.fpr[0] != '\0' ?
			    ch.fpr : "none", ch.source.p,
			    ch.warning.len > 0 ? "; warning: " : "",
			    ch.warning.len > 0 ? ch.warning.p : "",
			    ch.note.len > 0 ? "; " : "",
			    ch.note.len > 0 ? ch.note.p : "");
		if ((rc = vf_case_save(&r->root, path, sizeof(path), &c, TOOL,
		    0)) != 0)
			goto out;
	}
	if (ch.to == NULL)
		goto out;
	if ((rc = vf_move(&r->root, path, sizeof(path), ch.to)) != 0)
		goto out;
	if (strcmp(ch.to, "unreachable") == 0)
		(void)vf_log(&r->root, TOOL, id, "unreachable: %s", ch.note.p);
	else
		(void)vf_log(&r->root, TOOL, id, "routed to %s, key %s, source "
		    "%s", ch.role, ch.fpr[0] != '\0' ? ch.fpr : "none",
		    ch.source.p);
	printf("%s\n", path);
out:
	if (loaded)
		vf_case_free(&c);
	choice_free(&ch);
	if (lk != -1)
		vf_unlock(lk);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct route r;
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
	    (rc = vf_gpg_config(&r.cfg, err, sizeof(err))) != 0) {
		warnx("%s", err);
		goto done;
	}
	/* A bad line anywhere stops everything: no case is half-routed. */
	if ((rc = vf_contacts_load(&r.contacts, &r.root, err,
	    sizeof(err))) != 0) {
		warnx("%s/%s", r.root.path, err);
		goto done;
	}
	rc = vf_each(argc - optind, argv + optind, route, &r);
	vf_fshut_stdout();
done:
	vf_contacts_free(&r.contacts);
	vf_config_free(&r.cfg);
	vf_root_close(&r.root);
	return rc;
}
