/*
 * scratch.h - a private directory for harnesses whose code under test
 * reads a file by name (the policy, a template, ROOT/config): the input
 * is written there before each run. One directory per process, removed
 * at exit; the files in it are the harness's own names, never the input's.
 */
#ifndef SCRATCH_H
#define SCRATCH_H

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch[PATH_MAX];
static const char *scratch_files[4];
static size_t scratch_nfiles;

static void
scratch_clean(void)
{
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < scratch_nfiles; i++) {
		(void)snprintf(p, sizeof(p), "%s/%s", scratch,
		    scratch_files[i]);
		(void)unlink(p);
	}
	(void)rmdir(scratch);
}

/* Make the directory (and the subdirectory sub, or NULL); its path. */
static const char *
scratch_dir(const char *sub)
{
	const char *t = getenv("TMPDIR");
	char p[PATH_MAX];

	if (scratch[0] != '\0')
		return scratch;
	(void)snprintf(scratch, sizeof(scratch), "%s/vf-fuzz.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(scratch) == NULL)
		abort();
	if (sub != NULL) {
		if (snprintf(p, sizeof(p), "%s/%s", scratch, sub) >=
		    (int)sizeof(p) || mkdir(p, 0700) == -1)
			abort();
	}
	atexit(scratch_clean);
	return scratch;
}

/* Write the input as the file rel (under the directory), mode 0600. */
static void
scratch_write(const char *rel, const void *data, size_t size)
{
	char p[PATH_MAX];
	size_t i;
	int fd;

	for (i = 0; i < scratch_nfiles; i++)
		if (strcmp(scratch_files[i], rel) == 0)
			break;
	if (i == scratch_nfiles && scratch_nfiles < 4)
		scratch_files[scratch_nfiles++] = rel;
	if (snprintf(p, sizeof(p), "%s/%s", scratch, rel) >= (int)sizeof(p))
		abort();
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
	    -1 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) == -1)
		abort();
}

#endif
