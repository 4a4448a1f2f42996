/*
 * scan [-1] ROOT: the floors of the whole-tree tools (vf-ls, vf-stats,
 * vf-expire, vf-validate's index): every case file of every state (new/
 * and cur/) read, and nothing else. Prints the files and bytes read.
 *
 * Without -1: each file opened by its full path and read whole, 64 KiB at
 * a time (the floor of doc/BENCH.md since the tools were written).
 * With -1: each file opened relative to its folder (openat) and only its
 * first 1 KiB read, one read(2) a file: issue 11's floor, the least a
 * tool that looks at every case can do.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *states[] = { "received", "incomplete", "undecided",
    "accepted", "routed", "contacted", "waiting", "published", "fixed",
    "duplicate", "rejected", "referred", "unreachable", "closed", NULL };

int
main(int argc, char *argv[])
{
	static char buf[1 << 16];
	char dir[4096], path[8192];
	const char *sub[] = { "new", "cur" };
	unsigned long long files = 0, bytes = 0;
	struct dirent *de;
	ssize_t n;
	DIR *d;
	int i, k, fd, head = 0;

	if (argc == 3 && strcmp(argv[1], "-1") == 0) {
		head = 1;
		argv++;
		argc--;
	}
	if (argc != 2)
		return 64;
	for (i = 0; states[i] != NULL; i++)
		for (k = 0; k < 2; k++) {
			snprintf(dir, sizeof(dir), "%s/%s/%s", argv[1],
			    states[i], sub[k]);
			if ((d = opendir(dir)) == NULL)
				continue;
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				if (head) {
					if ((fd = openat(dirfd(d), de->d_name,
					    O_RDONLY)) == -1)
						return 1;
					if ((n = read(fd, buf, 1024)) > 0)
						bytes += (unsigned long long)n;
					close(fd);
					files++;
					continue;
				}
				snprintf(path, sizeof(path), "%s/%s", dir,
				    de->d_name);
				if ((fd = open(path, O_RDONLY)) == -1)
					return 1;
				while ((n = read(fd, buf, sizeof(buf))) > 0)
					bytes += (unsigned long long)n;
				close(fd);
				files++;
			}
			closedir(d);
		}
	printf("%llu files, %llu bytes\n", files, bytes);
	return 0;
}
