/*
 * vf-show - print cases for a person: what arrived, the fields with their
 * labels, the history, the report, and what was kept apart.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vf.h"

struct show {
	struct vf_root		root;
	struct vf_fields	fields;
	int			ja;
	int			n;
};

static void
usage(void)
{
	fprintf(stderr, "usage: vf-show [-j] [-d root] [case ...]\n");
	exit(EX_USAGE);
}

/* Header values in a case file may be folded and encoded. */
static char *
readable(const char *v)
{
	return vf_hdr_oneline(v);
}

static void
line(const char *label, const char *v, int decode)
{
	char *s;

	if (v == NULL)
		return;
	s = decode ? readable(v) : vf_oneline(vf_strdup(v));
	printf("%-12s ", label);
	vf_term_put(stdout, s, strlen(s), 0);
	putchar('\n');
	free(s);
}

/*
 * A signature as a sentence no one can take for the sender's when it is
 * not: Vf-Signature (vf-case(5)) says whose key it is.
 */
static void
signature(const char *label, const char *v)
{
	struct vf_buf b = { 0 };
	char *s, *w[4], *p;
	size_t n = 0;

	if (v == NULL)
		return;
	s = vf_strdup(v);
	for (p = strtok(s, " "); p != NULL && n < 4; p = strtok(NULL, " "))
		w[n++] = p;
	/* Cases filed before whose key it is was said: "good FPR TRUST". */
	if (n == 3 && strcmp(w[0], "good") == 0)
		w[n++] = "unchecked";
	if (n == 4 && strcmp(w[0], "good") == 0) {
		if (strcmp(w[3], "sender") == 0)
			vf_buf_printf(&b, "good, by key %s (%s), whose user "
			    "IDs hold the From address", w[1], w[2]);
		else if (strcmp(w[3], "office") == 0)
			vf_buf_printf(&b, "good, by the office's own key %s: "
			    "not a reporter's signature", w[1]);
		else if (strcmp(w[3], "not-sender") == 0)
			vf_buf_printf(&b, "good, by key %s (%s), NOT the "
			    "sender's: no user ID of that key holds the From "
			    "address", w[1], w[2]);
		else
			vf_buf_printf(&b, "good, by key %s (%s), not compared "
			    "with the From address", w[1], w[2]);
	} else if (n == 1 && strcmp(w[0], "mixed") == 0)
		vf_buf_adds(&b, "mixed: the report's text is not all signed "
		    "by one key");
	else if (n == 2)
		vf_buf_printf(&b, "%s, key %s: not a good signature", w[0],
		    w[1]);
	else
		vf_buf_adds(&b, n > 0 ? w[0] : "?");
	line(label, b.p, 0);
	vf_buf_free(&b);
	free(s);
}

/*
 * Text from a mail goes to a terminal: control characters (escape
 * sequences among them, C1 controls too) and the bidirectional overrides
 * are shown as '?', never obeyed.
 */
static void
indented(const char *s, size_t n)
{
	const char *p = s, *e = s + n, *nl;

	while (p < e) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		fputs("    ", stdout);
		vf_term_put(stdout, p, (size_t)(nl - p), 1);
		putchar('\n');
		p = nl < e ? nl + 1 : e;
	}
}

/* "Attachment NAME (TYPE, PROTECTION)": the name is the reporter's. */
static void
attachment(const struct vf_cpart *p)
{
	struct vf_buf b = { 0 };

	vf_buf_printf(&b, "%s (%s, %s)", vf_cpart_get(p, "Vf-Filename") ?
	    vf_cpart_get(p, "Vf-Filename") : "(no name)",
	    vf_cpart_get(p, "Content-Type"),
	    vf_cpart_get(p, "Vf-Protection") ?
	    vf_cpart_get(p, "Vf-Protection") : "?");
	fputs("\nAttachment ", stdout);
	vf_term_put(stdout, b.p, b.len, 0);
	putchar('\n');
	vf_buf_free(&b);
}

static void
fields(const struct show *sh, const struct vf_case *c)
{
	const struct vf_field *f;
	const char *label;
	size_t i;

	printf("\nFields\n");
	if (c->nfield == 0)
		printf("    (none)\n");
	for (i = 0; i < c->nfield; i++) {
		f = vf_fields_find(&sh->fields, c->field[i].name);
		label = f == NULL ? c->field[i].name :
		    sh->ja && f->nja > 0 ? f->ja[0] :
		    f->nen > 0 ? f->en[0] : f->name;
		printf("  %s [%s]%s\n", label, c->field[i].name,
		    f != NULL && f->class == VF_CLASS_ATTACK ?
		    " (attack method: confidential)" : "");
		indented(c->field[i].value, strlen(c->field[i].value));
	}
}

static int
show(const char *what, void *arg)
{
	struct show *sh = arg;
	struct vf_case c;
	const struct vf_cpart *p;
	const char *state, *role;
	char path[4096], err[512];
	size_t i;
	int rc, fd;

	if ((rc = vf_resolve(&sh->root, what, path, sizeof(path), &state)) != 0)
		return rc;
	/* Opened below the root's descriptor, not by its name again. */
	if ((fd = vf_case_open(&sh->root, path)) == -1) {
		warn("%s", path);
		return errno == ENOENT ? EX_NOINPUT : vf_errno_exit(errno);
	}
	rc = vf_case_loadfd(&c, fd, err, sizeof(err));
	(void)close(fd);
	if (rc != 0) {
		warnx("%s: %s", path, err);
		return rc;
	}
	if (sh->n++ > 0)
		printf("\n\f\n");
	printf("%-12s VF#%s\n", "Case", vf_case_get(&c, "Vf-Id"));
	printf("%-12s %s\n", "State", state);
	line("Path", path, 0);
	line("Kind", vf_case_get(&c, "Vf-Kind"), 0);
	line("Received", vf_case_get(&c, "Vf-Received"), 0);
	line("From", vf_case_get(&c, "From"), 1);
	line("Subject", vf_case_get(&c, "Subject"), 1);
	line("Encryption", vf_case_get(&c, "Vf-Encryption"), 0);
	signature("Signature", vf_case_get(&c, "Vf-Signature"));
	line("Signer", vf_case_get(&c, "Vf-Signer"), 0);
	line("Signers", vf_case_get(&c, "Vf-Signers"), 0);
	line("Protection", vf_case_get(&c, "Vf-Protection"), 0);
	line("Problem", vf_case_get(&c, "Vf-Problem"), 0);
	line("Mentions", vf_case_get(&c, "Vf-Mentions"), 0);
	line("Proposes", vf_case_get(&c, "Vf-Proposes"), 0);
	fields(sh, &c);
	printf("\nHistory\n");
	for (i = 0; i < c.nhist; i++)
		indented(c.hist[i], strlen(c.hist[i]));
	for (i = 0; i < c.npart; i++) {
		p = &c.part[i];
		if ((role = vf_cpart_get(p, "Vf-Part")) == NULL)
			continue;
		if (strcmp(role, VF_PART_REPORT) == 0) {
			printf("\nReport (%s)\n",
			    vf_cpart_get(p, "Vf-Protection") ?
			    vf_cpart_get(p, "Vf-Protection") : "?");
			indented(p->body, p->len);
		} else if (strcmp(role, VF_PART_UNPROTECTED) == 0) {
			printf("\nUnprotected text, kept apart "
			    "(not part of the report)\n");
			indented(p->body, p->len);
		} else if (strcmp(role, VF_PART_FOLLOWUP) == 0) {
			printf("\nFollow-up\n");
			line("  Received", vf_cpart_get(p, "Vf-Received"), 0);
			/* Who it is from: proven by .sent, else unknown. */
			line("  Party", vf_cpart_get(p, "Vf-Party") != NULL ?
			    vf_cpart_get(p, "Vf-Party") : "unknown", 0);
			line("  Check", vf_cpart_get(p, "Vf-Party-Check"), 0);
			line("  Answers", vf_cpart_get(p, "Vf-Answers"), 0);
			line("  From", vf_cpart_get(p, "Vf-From"), 0);
			line("  Encryption", vf_cpart_get(p, "Vf-Encryption"), 0);
			signature("  Signature",
			    vf_cpart_get(p, "Vf-Signature"));
			indented(p->body, p->len);
		} else if (strcmp(role, VF_PART_PROPOSAL) == 0) {
			printf("\nProposed fields (not taken; vf-decide take)"
			    "\n");
			line("  By", vf_cpart_get(p, "Vf-Proposed-By"), 0);
			line("  Received", vf_cpart_get(p, "Vf-Received"), 0);
			indented(p->body, p->len);
		} else if (strcmp(role, VF_PART_ORIGINAL) == 0)
			printf("\nOriginal mail kept (%s, %zu bytes)\n",
			    vf_cpart_get(p, "Vf-Original") ?
			    vf_cpart_get(p, "Vf-Original") : "?", p->len);
		else if (strcmp(role, "attachment") == 0)
			attachment(p);
	}
	vf_case_free(&c);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct show sh;
	const char *dir = NULL;
	int ch, rc;

	memset(&sh, 0, sizeof(sh));
	while ((ch = getopt(argc, argv, "d:j")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'j':
			sh.ja = 1;
			break;
		default:
			usage();
		}
	}
	if ((rc = vf_root_open(&sh.root, dir, 0)) != 0)
		return rc;
	if ((rc = vf_share_fields(&sh.fields)) != 0)
		return rc;
	rc = vf_each(argc - optind, argv + optind, show, &sh);
	vf_fshut_stdout();
	vf_fields_free(&sh.fields);
	vf_root_close(&sh.root);
	return rc;
}
