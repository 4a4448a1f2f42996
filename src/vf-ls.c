/*
 * vf-ls - list the cases in some states, one path a line; with -l, one
 * line a case for a person to read.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vf.h"

#define HEAD_FIRST	1024		/* most case headers fit (~650 bytes) */
#define HEAD_NEXT	4096		/* nearly all */
#define HEAD_MAX	65536		/* and none needs more */

static int lflag;

/*
 * With -l every file's Vf-Id is read anyway: two files of one case (a
 * mail reader's copy beside the case, which a look-up by the index never
 * sees) are told at the end, naming both. The ids seen are a bit each, in
 * one bitmap per year (a case id is YEAR-NUMBER, numbers counted from 1),
 * so that the memory stays flat however large the tree; only the ids met
 * twice are kept, and their files are found by a second pass over the
 * folders listed, which only a tree with such a pair pays for.
 */
#define BIT_MAX	(1UL << 24)	/* numbers past it: kept in a list */

struct year {
	unsigned	 y;
	unsigned char	*bit;
	size_t		 nbyte;
};
static struct year *years;
static size_t nyears;
static unsigned long long *big, *twice;	/* numbers past BIT_MAX; ids met
					   twice (as year * 1e9 + number) */
static size_t nbig, ntwice;

/* The digits at s as a number (the id is valid: they are few). */
static unsigned long long
digits(const char *s)
{
	unsigned long long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned)(*s - '0');
	return v;
}

static unsigned long long
id_key(const char *id)
{
	return digits(id) * 1000000000ULL + digits(id + 5);
}

static void
key_push(unsigned long long **v, size_t *n, unsigned long long k)
{
	/* Grown by powers of two: *n is the count. */
	if ((*n & (*n - 1)) == 0)
		*v = vf_reallocarray(*v, *n == 0 ? 1 : *n * 2, sizeof(**v));
	(*v)[(*n)++] = k;
}

/* Note a valid id; a second sighting goes into twice[]. */
static void
seen_add(const char *id)
{
	unsigned long long k = id_key(id), num = k % 1000000000ULL;
	unsigned y = (unsigned)(k / 1000000000ULL);
	size_t i, need;
	struct year *yr = NULL;

	if (num >= BIT_MAX) {
		key_push(&big, &nbig, k);
		return;
	}
	for (i = 0; i < nyears; i++)
		if (years[i].y == y)
			yr = &years[i];
	if (yr == NULL) {
		years = vf_reallocarray(years, nyears + 1, sizeof(*years));
		yr = &years[nyears++];
		memset(yr, 0, sizeof(*yr));
		yr->y = y;
	}
	if ((need = (size_t)(num / 8) + 1) > yr->nbyte) {
		size_t n = yr->nbyte < 1024 ? 1024 : yr->nbyte;

		while (n < need)
			n *= 2;
		yr->bit = vf_reallocarray(yr->bit, n, 1);
		memset(yr->bit + yr->nbyte, 0, n - yr->nbyte);
		yr->nbyte = n;
	}
	if (yr->bit[num / 8] & (1u << (num % 8)))
		key_push(&twice, &ntwice, k);
	yr->bit[num / 8] |= (unsigned char)(1u << (num % 8));
}

static int
key_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a,
	    y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static int
is_twice(const char *id)
{
	unsigned long long k = id_key(id);

	return bsearch(&k, twice, ntwice, sizeof(*twice), key_cmp) != NULL;
}

/* The files of the ids met twice, found by the second pass. */
struct seen {
	char	*id;
	char	*path;
};
static struct seen *seen;
static size_t nseen;
static int collecting;		/* the second pass: no listing */

static void
seen_keep(const char *id, const char *path)
{
	seen = vf_reallocarray(seen, nseen + 1, sizeof(*seen));
	seen[nseen].id = vf_strdup(id);
	seen[nseen++].path = vf_strdup(path);
}

static int
seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : strcmp(x->path, y->path);
}

/* The big numbers met twice join twice[]; then it is sorted. */
static void
twice_settle(void)
{
	size_t i;

	if (nbig > 1)	/* qsort(NULL, 0) is undefined */
		qsort(big, nbig, sizeof(*big), key_cmp);
	for (i = 1; i < nbig; i++)
		if (big[i] == big[i - 1] && (ntwice == 0 ||
		    twice[ntwice - 1] != big[i]))
			key_push(&twice, &ntwice, big[i]);
	if (ntwice > 1)
		qsort(twice, ntwice, sizeof(*twice), key_cmp);
}

/* EX_DATAERR when some case has two files, each pair named; else 0. */
static int
seen_twice(void)
{
	size_t i;
	int rc = 0;

	if (nseen > 1)
		qsort(seen, nseen, sizeof(*seen), seen_cmp);
	for (i = 1; i < nseen; i++)
		if (strcmp(seen[i - 1].id, seen[i].id) == 0) {
			warnx("%s and %s are two files of case %s; keep one, "
			    "move the other out of the tree", seen[i - 1].path,
			    seen[i].path, seen[i].id);
			rc = EX_DATAERR;
		}
	for (i = 0; i < nseen; i++) {
		free(seen[i].id);
		free(seen[i].path);
	}
	free(seen);
	for (i = 0; i < nyears; i++)
		free(years[i].bit);
	free(years);
	free(big);
	free(twice);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: vf-ls [-l] [-d root] [state ...]\n");
	exit(EX_USAGE);
}

/*
 * The bytes vf_term_unsafe may stop at: C0 controls, DEL, and the lead
 * bytes of the UTF-8 controls it knows (U+0080-009F, U+061C, U+200E...).
 * Runs of other bytes are copied as they are.
 */
static const unsigned char maybe_unsafe[256] = {
#define U8(c)	[c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, \
		[c + 4] = 1, [c + 5] = 1, [c + 6] = 1, [c + 7] = 1
	U8(0x00), U8(0x08), U8(0x10), U8(0x18), [0x7f] = 1, [0xc2] = 1,
	[0xd8] = 1, [0xe2] = 1,
#undef U8
};

/* The long line, built whole and written in one go. */
static struct vf_buf line;

/* A field of the long line, tabs and terminal controls made harmless. */
static void
column(const char *s, int last)
{
	size_t i, k, n = strlen(s);

	for (i = 0; i < n; i++) {
		for (k = i; k < n && !maybe_unsafe[(unsigned char)s[k]]; k++)
			;
		if (k > i) {
			vf_buf_add(&line, s + i, k - i);
			if ((i = k) == n)
				break;
		}
		if (s[i] == '\t')
			vf_buf_addc(&line, ' ');
		else {
			size_t u = vf_term_unsafe(s + i, n - i);

			if (u > 0) {
				vf_buf_addc(&line, '?');
				i += u - 1;
			} else
				vf_buf_addc(&line, s[i]);
		}
	}
	vf_buf_addc(&line, last ? '\n' : '\t');
	if (last) {
		/* A failure stays on stdout for vf_fshut_stdout's verdict. */
		(void)fwrite(line.p, 1, line.len, stdout);
		line.len = 0;
	}
}

/*
 * The head of a case file is enough for a listing: a few KiB, more only
 * when the headers go on past them; never the whole file.
 */
static int
longline(int dfd, const char *path, const char *name, const char *state)
{
	static const char *const shown[] = { "Vf-Id", "Vf-Kind",
	    "Vf-Received", "Vf-Problem", "Subject", NULL };
	/* One buffer for the run (vf-ls has one thread). */
	static char buf[HEAD_MAX + 1];
	struct vf_limits lim;
	struct vf_kv *h = NULL;
	size_t nh = 0, i, len;
	const char *body, *id = "?", *kind = "?", *when = "?", *prob = NULL;
	char *subj = NULL;
	ssize_t n;
	int fd, flags = 0;

	if ((fd = vf_openat(dfd, name, O_RDONLY | O_NONBLOCK, 0)) == -1) {
		if (!collecting)	/* said once, by the listing */
			warn("%s", path);
		return errno == ENOENT ? EX_NOINPUT : vf_errno_exit(errno);
	}
	n = vf_read_head(fd, buf, 0, HEAD_FIRST);
	/* No empty line yet: the headers go on. */
	if (n == HEAD_FIRST && strstr(buf, "\n\n") == NULL)
		n = vf_read_head(fd, buf, (size_t)n, HEAD_NEXT);
	if (n == HEAD_NEXT && strstr(buf, "\n\n") == NULL)
		n = vf_read_head(fd, buf, (size_t)n, HEAD_MAX);
	(void)close(fd);
	if (n == -1) {
		if (!collecting)
			warn("%s", path);
		return EX_IOERR;
	}
	len = (size_t)n;
	vf_limits_default(&lim);
	(void)vf_headers_pick(buf, len, &lim, shown, &h, &nh, &body, &flags);
	for (i = 0; i < nh; i++) {
		if (strcasecmp(h[i].name, "Vf-Id") == 0)
			id = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Kind") == 0)
			kind = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Received") == 0)
			when = h[i].value;
		else if (strcasecmp(h[i].name, "Vf-Problem") == 0)
			prob = h[i].value;
		else if (strcasecmp(h[i].name, "Subject") == 0 && subj == NULL)
			subj = vf_hdr_oneline(h[i].value);
	}
	if (collecting) {
		if (vf_id_valid(id) && is_twice(id))
			seen_keep(id, path);
		goto done;
	}
	if (vf_id_valid(id))
		seen_add(id);
	column(id, 0);
	column(state, 0);
	column(kind, 0);
	column(when, 0);
	if (prob != NULL)
		vf_buf_adds(&line, "! ");
	column(subj != NULL ? subj : "", 1);
done:
	free(subj);
	vf_headers_free(h, nh);
	return 0;
}

/* Each folder opened below the root's descriptor, each file below it. */
static int
list(struct vf_root *root, const char *state)
{
	static const char *const sub[] = { "new", "cur" };
	struct dirent *d;
	char rel[128], path[4096];
	DIR *dp;
	size_t i, k, pl;
	int rc, dfd, worst = 0;

	for (i = 0; i < 2; i++) {
		if (snprintf(rel, sizeof(rel), "%s/%s", state, sub[i]) >=
		    (int)sizeof(rel))
			return EX_USAGE;
		/* The folder's part of each path, made once. */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/", root->path,
		    rel) >= sizeof(path))
			return EX_USAGE;
		pl = strlen(path);
		if ((dfd = vf_openat(root->fd, rel, O_RDONLY | O_DIRECTORY,
		    0)) == -1 || (dp = fdopendir(dfd)) == NULL) {
			if (errno == ENOENT) {
				if (dfd != -1)
					(void)close(dfd);
				continue;	/* no case has been here yet */
			}
			if (!collecting)
				warn("%s/%s", root->path, rel);
			worst = errno == EACCES ? EX_NOPERM : EX_IOERR;
			if (dfd != -1)
				(void)close(dfd);
			continue;
		}
		while ((d = readdir(dp)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			/* A path a line: a name that would break one is not. */
			for (k = 0; d->d_name[k] != '\0' &&
			    (unsigned char)d->d_name[k] >= 0x20 &&
			    d->d_name[k] != 0x7f; k++)
				;
			if (d->d_name[k] != '\0') {
				if (!collecting)
					warnx("%s/%s: a file whose name holds "
					    "a control character: not listed; "
					    "rename it", root->path, rel);
				worst = worst > EX_DATAERR ? worst : EX_DATAERR;
				continue;
			}
			if (strlcpy(path + pl, d->d_name, sizeof(path) - pl) >=
			    sizeof(path) - pl)
				continue;
			if (lflag || collecting) {
				if ((rc = longline(dirfd(dp), path, d->d_name,
				    state)) > worst)
					worst = rc;
			} else if (printf("%s\n", path) < 0)
				err(EX_IOERR, "stdout");
		}
		closedir(dp);
	}
	return worst;
}

int
main(int argc, char *argv[])
{
	struct vf_root root;
	const char *dir = NULL;
	int ch, i, rc, worst = 0;

	while ((ch = getopt(argc, argv, "d:l")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'l':
			lflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	for (i = 0; i < argc; i++)
		if (!vf_state_valid(argv[i])) {
			warnx("%s: no such state", argv[i]);
			return EX_USAGE;
		}
	if ((rc = vf_root_open(&root, dir, 0)) != 0)
		return rc;
	if (argc == 0) {
		argv = (char **)vf_states;
		while (argv[argc] != NULL)
			argc++;
	}
	for (i = 0; i < argc; i++)
		if ((rc = list(&root, argv[i])) > worst)
			worst = rc;
	if (lflag) {
		twice_settle();
		/* Only a tree with two files of a case pays for this. */
		if (ntwice > 0) {
			collecting = 1;
			for (i = 0; i < argc; i++)
				(void)list(&root, argv[i]);
		}
		if ((rc = seen_twice()) > worst)
			worst = rc;
	}
	vf_fshut_stdout();
	vf_buf_free(&line);
	vf_root_close(&root);
	return worst;
}
