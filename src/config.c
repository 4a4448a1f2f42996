/*
 * ROOT/config: one setting a line, "key value"; the value is the rest of
 * the line with surrounding white space trimmed. Blank lines and lines
 * whose first non-blank character is '#' are ignored. Keys are [a-z0-9-]+.
 * A key given twice is an error rather than "the last one wins": with
 * addresses and keys in here, a silent override is how mail goes astray.
 * Keys no tool knows are accepted (a newer tool may know them).
 *
 * Keys in use:
 *  office-key		fingerprint of the office's PGP key (vf-parse needs it)
 *  office-address	the office's mail address
 *  office-name		the office's name, for mail and templates
 *  coordinator-address	the coordinator's mail address (software cases)
 *  coordinator-key	fingerprint of the coordinator's PGP key
 *  max-message-size	bytes of one incoming mail at most
 *  retention-days	days after closing before reporter data is deleted
 *  reply-deadline-days	days a reporter or operator has to answer
 *  operator-wait-days	days to wait for a site operator before closing
 *  scope-domain		a domain outside .jp that is in scope (vf-validate);
 *			the one key that may repeat, a list of domains and
 *			not an address that could be overridden
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

#define CONFIG_MAX	(1024 * 1024)	/* bytes */
#define CONFIG_KEYS	1000

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int
parse(struct vf_config *cfg, const char *p, size_t len, char *err,
    size_t errlen)
{
	const char *line, *end, *k, *ke, *v, *ve;
	size_t lineno = 0, i;

	if (memchr(p, '\0', len) != NULL) {
		(void)snprintf(err, errlen, "config: holds a NUL byte");
		return EX_CONFIG;
	}
	for (line = p; line < p + len; line = end + 1) {
		lineno++;
		if ((end = memchr(line, '\n', (size_t)(p + len - line))) ==
		    NULL)
			end = p + len;
		for (k = line; k < end && is_space(*k); k++)
			;
		if (k == end || *k == '#')
			continue;
		for (v = k; v < end && key_char(*v); v++)
			;
		if (v == k || (v < end && !is_space(*v))) {
			(void)snprintf(err, errlen, "config:%zu: a key is "
			    "made of a-z, 0-9 and '-'", lineno);
			return EX_CONFIG;
		}
		ke = v;
		ve = end;
		while (v < ve && is_space(*v))
			v++;
		while (ve > v && is_space(ve[-1]))
			ve--;
		if (v == ve) {
			(void)snprintf(err, errlen, "config:%zu: %.*s: no value",
			    lineno, (int)(ke - k > 64 ? 64 : ke - k), k);
			return EX_CONFIG;
		}
		for (i = 0; i < (size_t)(ve - v); i++)
			if (((unsigned char)v[i] < 0x20 && v[i] != '\t') ||
			    v[i] == 0x7f) {
				(void)snprintf(err, errlen, "config:%zu: control "
				    "character in the value", lineno);
				return EX_CONFIG;
			}
		for (i = 0; i < cfg->n; i++)
			if (strncmp(cfg->kv[i].name, k, (size_t)(ke - k)) == 0 &&
			    cfg->kv[i].name[ke - k] == '\0')
				break;
		if (i < cfg->n && strcmp(cfg->kv[i].name, "scope-domain") != 0) {
			(void)snprintf(err, errlen, "config:%zu: %s given "
			    "twice", lineno, cfg->kv[i].name);
			return EX_CONFIG;
		}
		if (cfg->n >= CONFIG_KEYS) {
			(void)snprintf(err, errlen, "config:%zu: too many "
			    "settings", lineno);
			return EX_CONFIG;
		}
		cfg->kv = vf_reallocarray(cfg->kv, cfg->n + 1,
		    sizeof(*cfg->kv));
		cfg->kv[cfg->n].name = vf_strndup(k, (size_t)(ke - k));
		cfg->kv[cfg->n].value = vf_strndup(v, (size_t)(ve - v));
		cfg->n++;
		if (end == p + len)
			break;
	}
	return 0;
}

int
vf_config_load(struct vf_config *cfg, int rootfd, char *err, size_t errlen)
{
	struct vf_buf b = { 0 };
	struct stat st;
	int fd, rc, r;

	cfg->kv = NULL;
	cfg->n = 0;
	if (errlen > 0)
		err[0] = '\0';
	fd = openat(rootfd, "config", O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errlen, "config: %s", strerror(errno));
		return EX_CONFIG;
	}
	if (fstat(fd, &st) == -1) {
		(void)snprintf(err, errlen, "config: %s", strerror(errno));
		(void)close(fd);
		return EX_CONFIG;
	}
	/* Whoever may change it may redirect reports: only we (or root). */
	if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		(void)snprintf(err, errlen, "config: refusing a file %s",
		    !S_ISREG(st.st_mode) ? "that is not a regular file" :
		    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ?
		    "that group or others may write" :
		    "owned by someone else");
		(void)close(fd);
		return EX_CONFIG;
	}
	r = vf_buf_readfd(&b, fd, CONFIG_MAX);
	(void)close(fd);
	if (r != 0) {
		(void)snprintf(err, errlen, "config: %s", r == 1 ?
		    "too large" : strerror(errno));
		vf_buf_free(&b);
		return EX_CONFIG;
	}
	rc = parse(cfg, b.p != NULL ? b.p : "", b.len, err, errlen);
	vf_buf_free(&b);
	if (rc != 0)
		vf_config_free(cfg);
	return rc;
}

void
vf_config_free(struct vf_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		free(cfg->kv[i].name);
		free(cfg->kv[i].value);
	}
	free(cfg->kv);
	cfg->kv = NULL;
	cfg->n = 0;
}

const char *
vf_config_get(const struct vf_config *cfg, const char *key)
{
	const struct vf_kv *kv = vf_kv_find(cfg->kv, cfg->n, key);

	return kv != NULL ? kv->value : NULL;
}

long long
vf_config_num(const struct vf_config *cfg, const char *key, long long min,
    long long max, long long def, char *err, size_t errlen)
{
	const char *v, *e;
	long long n;

	if ((v = vf_config_get(cfg, key)) == NULL)
		return def;
	/* strtonum alone would take " 5" and "+5"; a number is digits. */
	if ((v[0] < '0' || v[0] > '9') && !(v[0] == '-' && v[1] >= '0' &&
	    v[1] <= '9')) {
		(void)snprintf(err, errlen, "config: %s: %s is not a number",
		    key, v);
		return -1;
	}
	n = strtonum(v, min, max, &e);
	if (e != NULL) {
		(void)snprintf(err, errlen, "config: %s: %s is %s (%lld to "
		    "%lld)", key, v, e, min, max);
		return -1;
	}
	return n;
}
