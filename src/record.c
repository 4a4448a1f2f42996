/*
 * The public view as vf-redact prints it (vf-redact -f): records of
 * "name: value" lines, a value's further lines each starting with one
 * TAB, records separated by one empty line. The advisory and the public
 * pages are made from these records alone, never from a case file, so
 * that nothing but what the policy shows the audience reaches them.
 * One record is held at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

#define RECORD_MAX	(16 * 1024 * 1024)

void
vf_record_free(struct vf_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->f[i].name);
		free(r->f[i].value);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

const char *
vf_record_get(const struct vf_record *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].name, name) == 0)
			return r->f[i].value;
	return NULL;
}

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'))))
			return 0;
	return 1;
}

int
vf_record_read(FILE *fp, struct vf_record *r, unsigned long *lineno,
    char *err, size_t errlen)
{
	char *line = NULL, *colon;
	size_t size = 0, total = 0;
	ssize_t n;
	int rc = 0;

	vf_record_free(r);
	while ((n = getline(&line, &size, fp)) != -1) {
		(*lineno)++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((total += (size_t)n) > RECORD_MAX) {
			(void)snprintf(err, errlen, "line %lu: record larger "
			    "than 16 MiB", *lineno);
			rc = -1;
			break;
		}
		if (n == 0) {
			if (r->n > 0)
				break;
			continue;	/* blank lines between records */
		}
		if (line[0] == '\t') {
			struct vf_buf b = { 0 };

			if (r->n == 0) {
				(void)snprintf(err, errlen, "line %lu: a "
				    "continuation line before any field",
				    *lineno);
				rc = -1;
				break;
			}
			vf_buf_adds(&b, r->f[r->n - 1].value);
			vf_buf_addc(&b, '\n');
			vf_buf_adds(&b, line + 1);
			free(r->f[r->n - 1].value);
			r->f[r->n - 1].value = vf_buf_take(&b, NULL);
			continue;
		}
		if ((colon = strstr(line, ": ")) == NULL) {
			size_t k = strlen(line);

			/* "name:" with an empty value. */
			if (k > 0 && line[k - 1] == ':')
				colon = line + k - 1;
		}
		if (colon == NULL || !name_ok(line, (size_t)(colon - line))) {
			(void)snprintf(err, errlen, "line %lu: not a "
			    "\"name: value\" line", *lineno);
			rc = -1;
			break;
		}
		r->f = vf_reallocarray(r->f, r->n + 1, sizeof(*r->f));
		r->f[r->n].name = vf_strndup(line, (size_t)(colon - line));
		r->f[r->n].value = vf_strdup(colon[1] == ' ' ? colon + 2 :
		    colon + 1);
		if (!vf_utf8_valid(r->f[r->n].value,
		    strlen(r->f[r->n].value))) {
			(void)snprintf(err, errlen, "line %lu: not UTF-8",
			    *lineno);
			r->n++;
			rc = -1;
			break;
		}
		r->n++;
	}
	free(line);
	if (rc == 0 && ferror(fp)) {
		(void)snprintf(err, errlen, "read error");
		rc = -1;
	}
	if (rc == -1) {
		vf_record_free(r);
		return -1;
	}
	return r->n > 0 ? 1 : 0;
}

/*
 * The loop of every tool made from public records: each record on fp to
 * fn, a malformed stream said once and counted as 65; the worst code.
 */
int
vf_record_each(FILE *fp, int (*fn)(const struct vf_record *, void *),
    void *arg)
{
	struct vf_record r = { 0 };
	char err[256];
	unsigned long line = 0;
	int got, rc, worst = 0;

	while ((got = vf_record_read(fp, &r, &line, err, sizeof(err))) == 1)
		if ((rc = fn(&r, arg)) > worst)
			worst = rc;
	if (got == -1) {
		fprintf(stderr, "%s: stdin: %s\n", getprogname(), err);
		worst = worst > EX_DATAERR ? worst : EX_DATAERR;
	}
	vf_record_free(&r);
	return worst;
}
