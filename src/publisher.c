/*
 * Who the public documents name as their publisher: the office's name and
 * the address of its public pages, from ROOT/config (office-name,
 * public-url), or given on the command line.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"

int
vf_publisher_get(struct vf_publisher *pub, struct vf_config *cfg,
    const char *root, const char *name, const char *url)
{
	struct vf_root rt;
	char err[256];
	size_t n;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((name == NULL || url == NULL) && (root != NULL ||
	    getenv("VF_ROOT") != NULL)) {
		if ((rc = vf_root_open(&rt, root, 0)) != 0)
			return rc;
		rc = vf_config_load(cfg, rt.fd, err, sizeof(err));
		vf_root_close(&rt);
		if (rc != 0) {
			warnx("config: %s", err);
			return rc;
		}
	}
	pub->name = name != NULL ? name : vf_config_get(cfg, "office-name");
	pub->url = url != NULL ? url : vf_config_get(cfg, "public-url");
	if (pub->name == NULL || pub->url == NULL) {
		warnx("no %s: set it in ROOT/config or give it with %s",
		    pub->name == NULL ? "office-name" : "public-url",
		    pub->name == NULL ? "-N" : "-u");
		return EX_CONFIG;
	}
	n = strlen(pub->url);
	if (strncmp(pub->url, "https://", 8) != 0 || n < 9 ||
	    pub->url[n - 1] == '/' || strpbrk(pub->url, " \t\"'<>") != NULL) {
		warnx("public-url %s: want https://HOST[/PATH] without a "
		    "final /", pub->url);
		return EX_CONFIG;
	}
	return 0;
}
