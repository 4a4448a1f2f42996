#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vf.h"

/*
 * Whether a file that steers what the office shows or sends (policy,
 * template, contact list, known list) may be trusted: whoever may write it
 * decides who is told what. The rule of config.c: a regular file that
 * neither group nor others may write, owned by us or by root (an installed
 * template is root's). 0, or EX_CONFIG with the reason in err.
 */
int
vf_file_trusted(const struct stat *st, const char *name, char *err,
    size_t errlen)
{
	const char *why = NULL;

	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		why = "that is not a regular file";
	else if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
		why = "that group or others may write (chmod go-w)";
	else if (st->st_uid != geteuid() && st->st_uid != 0)
		why = "owned by someone else";
	if (why == NULL)
		return 0;
	(void)snprintf(err, errlen, "%s: refusing a %s %s", name,
	    S_ISDIR(st->st_mode) ? "directory" : "file", why);
	return EX_CONFIG;
}
