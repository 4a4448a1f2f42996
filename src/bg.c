#include <err.h>
#include <pthread.h>
#include <signal.h>
#include <sysexits.h>

#include "vf.h"

static void *
run(void *arg)
{
	struct vf_bg *b = arg;

	b->fn(b->arg);
	return NULL;
}

/*
 * Work of a tool's own (today the case number reservation's fsync,
 * id.c) run beside what it does next, on the machine's other CPU. The thread starts with every signal blocked, so that the
 * process's signals (vf-parse's SIGALRM timeout, SIGTERM) reach the main
 * thread, never one in a system call of its own. Without a thread the
 * work is done in line, at the start.
 */
void
vf_bg_start(struct vf_bg *b, void (*fn)(void *), void *arg)
{
	sigset_t all, old;

	b->fn = fn;
	b->arg = arg;
	b->joined = 0;
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	b->thread = pthread_create(&b->t, NULL, run, b) == 0;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!b->thread) {
		fn(arg);
		b->joined = 1;
	}
}

/* Once the work is done; at once if it was done in line, or waited for. */
void
vf_bg_wait(struct vf_bg *b)
{
	if (b->joined)
		return;
	if (pthread_join(b->t, NULL) != 0)
		errx(EX_SOFTWARE, "vf_bg_wait: cannot join a thread of ours");
	b->joined = 1;
}
