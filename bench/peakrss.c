/*
 * peakrss - peak resident memory of one command run on one input.
 *
 * usage: peakrss INPUT command [arg ...]
 *
 * Runs the command with stdin from INPUT and stdout on /dev/null and
 * prints:
 *
 *	OWN ALL CPU
 *
 * OWN is the command's own memory high-water mark (VmHWM, KiB), read from
 * /proc when the command stops on its way out (ptrace PTRACE_EVENT_EXIT:
 * its memory is still mapped then). ALL is wait4(2)'s ru_maxrss (KiB),
 * into which Linux folds the peak of every child the command reaped (gpg
 * under vf-parse): the largest of them, never their sum. CPU is the
 * command's own CPU time in nanoseconds, its children left out
 * (/proc/PID/schedstat at the same stop). Where ptrace is refused, OWN and
 * CPU are printed as -1. Exits 1 if the command failed, so a figure never
 * hides a failed run.
 */
#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first number of /proc/PID/schedstat: CPU time run, ns. */
static long long
cputime(pid_t pid)
{
	char path[64];
	FILE *fp;
	long long ns;

	if (snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid) >=
	    (int)sizeof(path))
		return -1;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(fp, "%lld", &ns) != 1)
		ns = -1;
	fclose(fp);
	return ns;
}

static long
vmhwm(pid_t pid)
{
	char path[64], line[256];
	FILE *fp;
	long kb = -1;

	if (snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid) >=
	    (int)sizeof(path))
		return -1;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(fp);
	return kb;
}

int
main(int argc, char *argv[])
{
	struct rusage ru;
	long long cpu = -1;
	long own = -1;
	pid_t pid;
	int st, fd, traced, sig;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss input command [arg ...]\n");
		return 64;
	}
	if ((fd = open(argv[1], O_RDONLY)) == -1)
		err(1, "%s", argv[1]);
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		/* Traced or not, the figure from wait4 stays. */
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if (dup2(fd, 0) == -1)
			err(127, "dup2");
		close(fd);
		if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(fd, 1) == -1)
			err(127, "/dev/null");
		close(fd);
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	close(fd);

	traced = 0;
	for (;;) {
		if (wait4(pid, &st, 0, &ru) == -1)
			err(1, "wait4");
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (!WIFSTOPPED(st))
			continue;
		sig = WSTOPSIG(st);
		if (!traced && sig == SIGTRAP) {
			/* The stop after execve: ask for a stop at exit. */
			traced = ptrace(PTRACE_SETOPTIONS, pid, NULL,
			    (void *)PTRACE_O_TRACEEXIT) == 0;
			sig = 0;
		} else if (sig == SIGTRAP &&
		    (st >> 16) == PTRACE_EVENT_EXIT) {
			own = vmhwm(pid);
			cpu = cputime(pid);
			sig = 0;
		}
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) == -1)
			err(1, "ptrace");
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		warnx("%s failed on %s (status %d)", argv[2], argv[1], st);
		return 1;
	}
	printf("%ld %ld %lld\n", own, ru.ru_maxrss, cpu);
	return 0;
}
