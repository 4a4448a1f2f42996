#include <stdio.h>
#include <stdlib.h>

#include "vf.h"

/* $VF_SHARE (a checkout, a test) or where make install put the data. */
const char *
vf_share(void)
{
	const char *s;

	if ((s = getenv("VF_SHARE")) != NULL && *s != '\0')
		return s;
	return SHAREDIR;
}

int
vf_share_fields(struct vf_fields *f)
{
	char path[4096], err[512];
	int rc;

	if (snprintf(path, sizeof(path), "%s/fields", vf_share()) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "%s: VF_SHARE too long\n", getprogname());
		return EX_CONFIG;
	}
	/* A tool without its table is not installed right: configuration. */
	if ((rc = vf_fields_load(f, path, err, sizeof(err))) != 0) {
		fprintf(stderr, "%s: %s\n", getprogname(), err);
		return EX_CONFIG;
	}
	return 0;
}
