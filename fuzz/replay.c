/*
 * replay - run a libFuzzer harness over files, without libFuzzer.
 *
 * Linked with one fuzz/fuzz_*.c and the normal compiler and flags, so that
 * `make check` (and `make SANITIZE=1 check`) feeds every reproducer kept in
 * fuzz/regress/ and every seed back to the harness: a crash found once
 * stays fixed. Each input gets a buffer of exactly its size, so that the
 * sanitizer sees a read one byte past the end, as libFuzzer's would.
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* Optional in a harness: weak, so that it is NULL where none is defined. */
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

int
main(int argc, char *argv[])
{
	struct vf_buf b = { 0 };
	uint8_t *data;
	int i, fd, verbose = 0, ran = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argc--;
		argv++;
	}
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) == -1)
			err(1, "%s", argv[i]);
		b.len = 0;
		if (vf_buf_readfd(&b, fd, SIZE_MAX) != 0)
			err(1, "%s", argv[i]);
		if (close(fd) == -1)
			err(1, "%s", argv[i]);
		if (verbose)
			fprintf(stderr, "replay: %s (%zu bytes)\n", argv[i],
			    b.len);
		/* malloc(0) may return NULL; libFuzzer passes a pointer. */
		data = vf_malloc(b.len > 0 ? b.len : 1);
		memcpy(data, b.p, b.len);
		LLVMFuzzerTestOneInput(data, b.len);
		free(data);
		ran++;
	}
	vf_buf_free(&b);
	/* What t/0500 counts: the inputs that went through, not those named. */
	if (printf("replay: %d inputs\n", ran) < 0 || fflush(stdout) == EOF)
		err(1, "stdout");
	return 0;
}
