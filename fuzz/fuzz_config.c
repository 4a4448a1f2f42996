/*
 * fuzz_config - ROOT/config, as staff type it.
 *
 * Whatever the file holds: it loads or is refused with a message; a
 * loaded configuration gives back each key's value, and the settings the
 * tools read from it (gpg's, vf-expire's, numbers in range) are taken or
 * refused with a message, never half-taken.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"
#include "scratch.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int rootfd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((rootfd = open(scratch_dir(NULL), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		exit(1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const nums[] = { "gpg-timeout", "retention-days",
	    "operator-wait-days", "idle-days", "max-message-size", NULL };
	struct vf_config cfg;
	struct vf_expire_cfg ec;
	char err[512];
	size_t i;
	long long v;

	scratch_write("config", data, size);
	err[0] = '\0';
	if (vf_config_load(&cfg, rootfd, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || cfg.n != 0)
			abort();
		vf_config_free(&cfg);
		return 0;
	}
	for (i = 0; i < cfg.n; i++)
		if (vf_config_get(&cfg, cfg.kv[i].name) == NULL ||
		    strchr(cfg.kv[i].value, '\n') != NULL)
			abort();
	for (i = 0; nums[i] != NULL; i++) {
		err[0] = '\0';
		v = vf_config_num(&cfg, nums[i], 0, 1000000, 7, err,
		    sizeof(err));
		if ((v == -1 && err[0] == '\0') || v < -1 || v > 1000000 ||
		    (vf_config_get(&cfg, nums[i]) == NULL && v != 7))
			abort();
	}
	err[0] = '\0';
	if (vf_gpg_config(&cfg, err, sizeof(err)) != 0 && err[0] == '\0')
		abort();
	(void)vf_expire_config(&ec, &cfg);
	vf_config_free(&cfg);
	return 0;
}
