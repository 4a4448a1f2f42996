/*
 * The states of a case and the moves between them: the process of the
 * office as one table, which every tool that moves a case asks, so that
 * vf-validate, vf-route, vf-notify, vf-expire, vf-parse and the staff's
 * vf-decide cannot disagree about what may follow what. vf(7) prints the
 * same table for people.
 *
 * Each state is a maildir under the root (tree.c). A state is "ended" when
 * the office's handling is over: vf-expire deletes the reporter's details
 * from ended cases. "published" is the only state after publication: the
 * phase that vf-redact's policy speaks of.
 */
#include <stdio.h>
#include <string.h>

#include "vf.h"

#define SW	(VF_KIND_SOFTWARE | VF_KIND_VENDOR)
#define WEB	VF_KIND_WEB
#define ANY	(SW | WEB | VF_KIND_UNKNOWN)

const struct vf_statedef vf_statedefs[] = {
	{ "received", 0, "filed by vf-parse, not yet checked" },
	{ "incomplete", 0, "fields missing or malformed; waiting for the "
	    "reporter" },
	{ "undecided", 0, "kind unknown or doubtful; waiting for a staff "
	    "decision" },
	{ "accepted", 0, "complete, in scope and new: accepted" },
	{ "routed", 0, "the coordinator or the site operator chosen; "
	    "waiting for the first notice" },
	{ "contacted", 0, "web: the operator was asked where to send the "
	    "details; waiting for an answer" },
	{ "waiting", 0, "software: the coordinator has the report, waiting "
	    "for publication; web: the operator has the details, waiting for "
	    "the fix" },
	{ "published", 1, "software: the advisory is published" },
	{ "fixed", 1, "web: the site is fixed" },
	{ "duplicate", 1, "already known: another case or a known "
	    "vulnerability" },
	{ "rejected", 1, "not accepted, for a reason recorded" },
	{ "referred", 1, "out of scope: the reporter was referred elsewhere" },
	{ "unreachable", 1, "web: no contact for the operator, or no answer" },
	{ "closed", 1, "handling ended otherwise" },
	{ NULL, 0, NULL }
};

const char *const vf_states[] = {
	"received", "incomplete", "undecided", "accepted", "routed",
	"contacted", "waiting", "published", "fixed", "duplicate", "rejected",
	"referred", "unreachable", "closed", NULL
};

/*
 * Every move the process allows: from, to, the kinds of case it applies
 * to, and who may make it. A move not here is refused.
 */
static const struct {
	const char	*from;
	const char	*to;
	int		 kinds;
	int		 by;
} moves[] = {
	{ "received", "incomplete", ANY, VF_BY_VALIDATE | VF_BY_DECIDE },
	{ "received", "undecided", ANY, VF_BY_VALIDATE | VF_BY_DECIDE },
	{ "received", "accepted", SW | WEB, VF_BY_VALIDATE | VF_BY_DECIDE },
	{ "received", "duplicate", ANY, VF_BY_VALIDATE | VF_BY_DECIDE },
	{ "received", "referred", ANY, VF_BY_VALIDATE | VF_BY_DECIDE },
	{ "received", "rejected", ANY, VF_BY_DECIDE },

	/* The reporter's follow-up brings the case back to be checked. */
	{ "incomplete", "received", ANY, VF_BY_PARSE | VF_BY_DECIDE },
	{ "incomplete", "accepted", SW | WEB, VF_BY_DECIDE },
	{ "incomplete", "duplicate", ANY, VF_BY_DECIDE },
	{ "incomplete", "referred", ANY, VF_BY_DECIDE },
	{ "incomplete", "rejected", ANY, VF_BY_DECIDE },

	/* Staff set the kind, and the case is checked again. */
	{ "undecided", "received", ANY, VF_BY_DECIDE },
	{ "undecided", "accepted", SW | WEB, VF_BY_DECIDE },
	{ "undecided", "duplicate", ANY, VF_BY_DECIDE },
	{ "undecided", "referred", ANY, VF_BY_DECIDE },
	{ "undecided", "rejected", ANY, VF_BY_DECIDE },

	{ "accepted", "routed", SW | WEB, VF_BY_ROUTE | VF_BY_DECIDE },
	{ "accepted", "unreachable", WEB, VF_BY_ROUTE | VF_BY_DECIDE },
	{ "accepted", "rejected", ANY, VF_BY_DECIDE },
	{ "accepted", "duplicate", ANY, VF_BY_DECIDE },

	/* The first notice moves it on: to the coordinator, or to the
	   operator (who is asked only where to send the details). */
	{ "routed", "waiting", SW, VF_BY_NOTIFY },
	{ "routed", "contacted", WEB, VF_BY_NOTIFY },
	{ "routed", "unreachable", WEB, VF_BY_ROUTE | VF_BY_DECIDE |
	    VF_BY_EXPIRE },

	/* The details go to the operator once the operator has answered. */
	{ "contacted", "waiting", WEB, VF_BY_NOTIFY },
	{ "contacted", "routed", WEB, VF_BY_ROUTE | VF_BY_DECIDE },
	{ "contacted", "fixed", WEB, VF_BY_DECIDE },
	{ "contacted", "unreachable", WEB, VF_BY_DECIDE | VF_BY_EXPIRE },

	{ "waiting", "published", SW, VF_BY_DECIDE },
	{ "waiting", "fixed", WEB, VF_BY_DECIDE },
	{ "waiting", "unreachable", WEB, VF_BY_DECIDE | VF_BY_EXPIRE },

	/* An operator found after all: handling starts again. */
	{ "unreachable", "routed", WEB, VF_BY_DECIDE },

	/* Staff may end any handling that has not ended. */
	{ "received", "closed", ANY, VF_BY_DECIDE },
	{ "incomplete", "closed", ANY, VF_BY_DECIDE | VF_BY_EXPIRE },
	{ "undecided", "closed", ANY, VF_BY_DECIDE },
	{ "accepted", "closed", ANY, VF_BY_DECIDE },
	{ "routed", "closed", ANY, VF_BY_DECIDE },
	{ "contacted", "closed", ANY, VF_BY_DECIDE },
	{ "waiting", "closed", ANY, VF_BY_DECIDE },
};

int
vf_state_valid(const char *s)
{
	return vf_state_index(s) != -1;
}

int
vf_state_index(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	/*
	 * The walk hands out the table's own strings (vf_states, the same
	 * literals): known by their address first, without a compare, as
	 * the whole-tree tools ask of every case.
	 */
	for (i = 0; vf_statedefs[i].name != NULL; i++)
		if (s == vf_statedefs[i].name)
			return (int)i;
	for (i = 0; vf_statedefs[i].name != NULL; i++)
		if (strcmp(s, vf_statedefs[i].name) == 0)
			return (int)i;
	return -1;
}

int
vf_state_ended(const char *s)
{
	int i = vf_state_index(s);

	return i != -1 && vf_statedefs[i].ended;
}

int
vf_state_published(const char *s)
{
	return s != NULL && strcmp(s, "published") == 0;
}

/* Vf-Kind's value as a kind bit; unknown (or absent) is its own bit. */
int
vf_kind_bit(const char *kind)
{
	int k = kind != NULL ? vf_kind_parse(kind) : 0;

	return k != 0 ? k : VF_KIND_UNKNOWN;
}

int
vf_move_ok(const char *from, const char *to, int kind, int by)
{
	size_t i;

	if (kind == 0)
		kind = VF_KIND_UNKNOWN;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i].from, from) == 0 &&
		    strcmp(moves[i].to, to) == 0 &&
		    (moves[i].kinds & kind) != 0 && (moves[i].by & by) != 0)
			return 1;
	return 0;
}

size_t
vf_moves_from(const char *from, int kind, int by, char *buf, size_t size)
{
	size_t i, n = 0;

	if (size > 0)
		buf[0] = '\0';
	if (kind == 0)
		kind = VF_KIND_UNKNOWN;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, from) != 0 ||
		    (moves[i].kinds & kind) == 0 || (moves[i].by & by) == 0)
			continue;
		if (n++ > 0)
			(void)strlcat(buf, ", ", size);
		(void)strlcat(buf, moves[i].to, size);
	}
	return n;
}
