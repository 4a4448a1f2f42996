/*
 * runmany - run a command once per mail, as an MTA would, and time it.
 *
 * usage: runmany [-3] [-e ERRFILE] LIST command [arg ...]
 *
 * LIST names one mail file per line. For each, the command runs in a
 * process of its own with stdin from the mail, stdout on /dev/null (and
 * with -3, fd 3 on /dev/null too, for gpg --status-fd 3; with -e, stderr
 * into ERRFILE, truncated first, so gpg's chatter stays out of the
 * figures and is there to read when a run fails). Prints one line:
 *
 *	RUNS WALL_NS CPU_US
 *
 * the number of runs, the wall-clock time of them all (CLOCK_MONOTONIC,
 * spawn to reap, so fsync waits and gpg-agent's work count) and the user +
 * system CPU time of the commands and the children they reaped. Any run
 * that does not exit 0 stops it with status 1: a figure must never come
 * from failed deliveries.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char *argv[])
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	FILE *list;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long t0, wall = 0, cpu = 0, runs = 0;
	pid_t pid;
	const char *errfile = NULL;
	int fd3 = 0, efd = -1, st, e, ch;

	while ((ch = getopt(argc, argv, "+3e:")) != -1) {
		switch (ch) {
		case '3':
			fd3 = 1;
			break;
		case 'e':
			errfile = optarg;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2) {
usage:
		fprintf(stderr, "usage: runmany [-3] [-e errfile] list command "
		    "[arg ...]\n");
		return 64;
	}
	if ((list = fopen(argv[0], "r")) == NULL)
		err(1, "%s", argv[0]);
	if (errfile != NULL && (efd = open(errfile, O_WRONLY | O_CREAT |
	    O_TRUNC | O_APPEND | O_CLOEXEC, 0600)) == -1)
		err(1, "%s", errfile);
	while ((n = getline(&line, &cap, list)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		if ((e = posix_spawn_file_actions_init(&fa)) != 0 ||
		    (e = posix_spawn_file_actions_addopen(&fa, 0, line,
		    O_RDONLY, 0)) != 0 ||
		    (e = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0)) != 0 ||
		    (fd3 && (e = posix_spawn_file_actions_addopen(&fa, 3,
		    "/dev/null", O_WRONLY, 0)) != 0) ||
		    (efd != -1 && (e = posix_spawn_file_actions_adddup2(&fa,
		    efd, 2)) != 0))
			errx(1, "posix_spawn_file_actions: %s", strerror(e));
		t0 = now_ns();
		if ((e = posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1,
		    environ)) != 0)
			errx(1, "%s: %s", argv[1], strerror(e));
		if (wait4(pid, &st, 0, &ru) == -1)
			err(1, "wait4");
		wall += now_ns() - t0;
		posix_spawn_file_actions_destroy(&fa);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "%s failed on %s (status %d)", argv[1], line,
			    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		cpu += (long long)ru.ru_utime.tv_sec * 1000000 +
		    ru.ru_utime.tv_usec + (long long)ru.ru_stime.tv_sec *
		    1000000 + ru.ru_stime.tv_usec;
		runs++;
	}
	if (ferror(list))
		err(1, "%s", argv[0]);
	printf("%lld %lld %lld\n", runs, wall, cpu);
	return 0;
}
