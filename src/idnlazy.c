/*
 * libidn2, loaded when a tool first needs it rather than at every start.
 *
 * Linked into vf-notify and vf-parse only (Makefile LAZY_IDN; not part
 * of libvf.a): its two entry points stand in for libidn2's, so the link
 * leaves libidn2 and libunistring out (--as-needed) and the dynamic
 * loader no longer maps and relocates them before main. They cost each start about 0.2 ms of
 * CPU (doc/BENCH.md, notify branch), on the path before gpg starts, and
 * a notice or a delivery needs them only for a domain in U-labels
 * (src/addr.c, src/host.c convert only what is not ASCII): the first such
 * call loads the library, with the symbol versions the tools link against.
 */
#include <dlfcn.h>
#include <err.h>
#include <idn2.h>
#include <pthread.h>
#include <sysexits.h>

#define IDN2_SONAME	"libidn2.so.0"
#define IDN2_SYMVER	"IDN2_0.0.0"

static int (*to_ascii)(const char *, char **, int);
static void (*lib_free)(void *);

static void
load(void)
{
	void *h;

	if ((h = dlopen(IDN2_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		errx(EX_OSFILE, "%s", dlerror());
	to_ascii = (int (*)(const char *, char **, int))dlvsym(h,
	    "idn2_to_ascii_8z", IDN2_SYMVER);
	lib_free = (void (*)(void *))dlvsym(h, "idn2_free", IDN2_SYMVER);
	/* Without them the tool could not have started before: as fatal. */
	if (to_ascii == NULL || lib_free == NULL)
		errx(EX_OSFILE, "%s: no idn2_to_ascii_8z or idn2_free of "
		    "version %s", IDN2_SONAME, IDN2_SYMVER);
}

static void
ready(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	/* vf-notify -j calls it from several threads. */
	if (pthread_once(&once, load) != 0)
		errx(EX_SOFTWARE, "pthread_once failed");
}

int
idn2_to_ascii_8z(const char *input, char **output, int flags)
{
	ready();
	return to_ascii(input, output, flags);
}

void
idn2_free(void *ptr)
{
	/* Only ever given what idn2_to_ascii_8z made: loaded by then. */
	if (ptr == NULL)
		return;
	ready();
	lib_free(ptr);
}
