/*
 * Where a party of a case is written to: one rule for the tool that
 * writes (vf-notify) and the one that checks an answer came from there
 * (vf-parse), so that the two can never disagree on who a party is.
 */
#include <stdlib.h>
#include <string.h>

#include "vf.h"

char *
vf_party_address(const struct vf_case *c, const struct vf_config *cfg,
    const char *role)
{
	const char *a = NULL, *route = vf_case_get(c, "Vf-Route");
	int mine = route != NULL && strcmp(route, role) == 0;

	if (strcmp(role, "reporter") == 0) {
		if ((a = vf_case_field(c, "reporter.email")) != NULL)
			return vf_strdup(a);
		/*
		 * A form may give only a telephone or fax number (IPA's asks
		 * for an e-mail address "or failing that" one): the mail the
		 * report came in is then the way back, and the missing notice
		 * must reach someone to ask for the rest.
		 */
		return (a = vf_case_get(c, "From")) != NULL ?
		    vf_addr_mailbox(a) : NULL;
	}
	if (mine)
		a = vf_case_get(c, "Vf-Route-Address");
	/* The coordinator of the configuration, unless routed elsewhere. */
	if (a == NULL && strcmp(role, "coordinator") == 0 &&
	    (route == NULL || mine))
		a = vf_config_get(cfg, "coordinator-address");
	return a != NULL ? vf_strdup(a) : NULL;
}
