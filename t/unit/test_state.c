/*
 * The process as one table: the states and the moves between them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf.h"
#include "unit.h"

#define ALLBY	(VF_BY_PARSE | VF_BY_VALIDATE | VF_BY_ROUTE | VF_BY_NOTIFY | \
	VF_BY_DECIDE | VF_BY_EXPIRE)
#define ALLKIND	(VF_KIND_SOFTWARE | VF_KIND_WEB | VF_KIND_VENDOR | \
	VF_KIND_UNKNOWN)

START_TEST(states_agree)
{
	char copy[32];
	size_t i;

	for (i = 0; vf_statedefs[i].name != NULL; i++) {
		ck_assert_ptr_nonnull(vf_states[i]);
		ck_assert_str_eq(vf_states[i], vf_statedefs[i].name);
		ck_assert_int_eq(vf_state_index(vf_states[i]), (int)i);
		/* A copy, not the table's string: found by its letters. */
		(void)snprintf(copy, sizeof(copy), "%s", vf_states[i]);
		ck_assert_int_eq(vf_state_index(copy), (int)i);
		ck_assert_int_eq(vf_state_ended(copy), vf_statedefs[i].ended);
		ck_assert_ptr_nonnull(vf_statedefs[i].what);
	}
	ck_assert_ptr_null(vf_states[i]);
	ck_assert_int_eq(vf_state_valid("outbox"), 0);
	ck_assert_int_eq(vf_state_valid("Received"), 0);
	ck_assert_int_eq(vf_state_valid("../received"), 0);
	ck_assert_int_eq(vf_state_valid(NULL), 0);
	ck_assert_int_eq(vf_state_ended("received"), 0);
	ck_assert_int_eq(vf_state_ended("published"), 1);
	ck_assert_int_eq(vf_state_ended("closed"), 1);
	ck_assert_int_eq(vf_state_published("published"), 1);
	ck_assert_int_eq(vf_state_published("fixed"), 0);
}
END_TEST

/* Every move leads to a state; no state moves to itself. */
START_TEST(moves_lead_somewhere)
{
	char buf[512], *p, *tok;
	size_t i, n;

	for (i = 0; vf_states[i] != NULL; i++) {
		n = vf_moves_from(vf_states[i], ALLKIND, ALLBY, buf,
		    sizeof(buf));
		for (p = buf; (tok = strsep(&p, ",")) != NULL; ) {
			while (*tok == ' ')
				tok++;
			if (n == 0)
				break;
			ck_assert_msg(vf_state_valid(tok), "%s -> %s",
			    vf_states[i], tok);
			ck_assert_str_ne(tok, vf_states[i]);
		}
	}
}
END_TEST

/* Only staff reopen an ended case; no tool moves one by itself. */
START_TEST(ended_stay_ended)
{
	char buf[512];
	size_t i;

	for (i = 0; vf_states[i] != NULL; i++) {
		if (!vf_statedefs[i].ended)
			continue;
		ck_assert_uint_eq(vf_moves_from(vf_states[i], ALLKIND,
		    ALLBY & ~VF_BY_DECIDE, buf, sizeof(buf)), 0);
	}
	ck_assert_int_eq(vf_move_ok("unreachable", "routed", VF_KIND_WEB,
	    VF_BY_DECIDE), 1);
	ck_assert_int_eq(vf_move_ok("published", "received",
	    VF_KIND_SOFTWARE, VF_BY_DECIDE), 0);
}
END_TEST

START_TEST(moves_by_kind_and_actor)
{
	char buf[512];

	ck_assert_int_eq(vf_move_ok("received", "accepted", VF_KIND_WEB,
	    VF_BY_VALIDATE), 1);
	/* A case of unknown kind waits for staff, it is never accepted. */
	ck_assert_int_eq(vf_move_ok("received", "accepted", 0,
	    VF_BY_VALIDATE), 0);
	ck_assert_int_eq(vf_move_ok("received", "accepted", VF_KIND_UNKNOWN,
	    VF_BY_DECIDE), 0);
	ck_assert_int_eq(vf_move_ok("received", "undecided", 0,
	    VF_BY_VALIDATE), 1);
	/* Software is published, web is fixed, never the other way. */
	ck_assert_int_eq(vf_move_ok("waiting", "published", VF_KIND_SOFTWARE,
	    VF_BY_DECIDE), 1);
	ck_assert_int_eq(vf_move_ok("waiting", "published", VF_KIND_VENDOR,
	    VF_BY_DECIDE), 1);
	ck_assert_int_eq(vf_move_ok("waiting", "published", VF_KIND_WEB,
	    VF_BY_DECIDE), 0);
	ck_assert_int_eq(vf_move_ok("waiting", "fixed", VF_KIND_SOFTWARE,
	    VF_BY_DECIDE), 0);
	ck_assert_int_eq(vf_move_ok("routed", "contacted", VF_KIND_WEB,
	    VF_BY_NOTIFY), 1);
	ck_assert_int_eq(vf_move_ok("routed", "contacted", VF_KIND_SOFTWARE,
	    VF_BY_NOTIFY), 0);
	/* Publication is the staff's decision, not a tool's. */
	ck_assert_int_eq(vf_move_ok("waiting", "published", VF_KIND_SOFTWARE,
	    VF_BY_NOTIFY | VF_BY_EXPIRE | VF_BY_ROUTE), 0);
	/* The reporter's follow-up brings an incomplete case back. */
	ck_assert_int_eq(vf_move_ok("incomplete", "received", VF_KIND_WEB,
	    VF_BY_PARSE), 1);
	ck_assert_int_eq(vf_move_ok("accepted", "received", VF_KIND_WEB,
	    VF_BY_PARSE), 0);
	ck_assert_int_eq(vf_move_ok("nosuch", "received", VF_KIND_WEB,
	    VF_BY_DECIDE), 0);
	ck_assert_uint_eq(vf_moves_from("waiting", VF_KIND_SOFTWARE,
	    VF_BY_DECIDE, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "published, closed");
	ck_assert_uint_eq(vf_moves_from("fixed", VF_KIND_WEB, VF_BY_DECIDE,
	    buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST


/*
 * vf(7) prints the same table for people: every row there is a move here,
 * and every move here is a row there, kind by kind, actor by actor.
 */
static int
page_has(char rows[][4][64], size_t nrows, const char *from, const char *to,
    const char *kind, const char *by)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i][0], from) == 0 &&
		    strcmp(rows[i][1], to) == 0 &&
		    (strcmp(rows[i][2], "any") == 0 ||
		    strstr(rows[i][2], kind) != NULL) &&
		    strstr(rows[i][3], by) != NULL)
			return 1;
	return 0;
}

START_TEST(page_agrees)
{
	static const struct { int bit; const char *name; } kinds[] = {
		{ VF_KIND_SOFTWARE, "software" }, { VF_KIND_WEB, "web" },
		{ VF_KIND_VENDOR, "vendor" }, { VF_KIND_UNKNOWN, "unknown" } };
	static const struct { int bit; const char *name; } bys[] = {
		{ VF_BY_PARSE, "vf-parse" }, { VF_BY_VALIDATE, "vf-validate" },
		{ VF_BY_ROUTE, "vf-route" }, { VF_BY_NOTIFY, "vf-notify" },
		{ VF_BY_DECIDE, "vf-decide" }, { VF_BY_EXPIRE, "vf-expire" } };
	static char rows[128][4][64];
	char path[4096], line[512], *p, *cell;
	const char *share = getenv("VF_SHARE");
	size_t nrows = 0, i, j, k, b, c;
	FILE *f;
	int want, in = 0;

	ck_assert_ptr_nonnull(share);
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/man/vf.7", share),
	    (int)sizeof(path));
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, ".Ss States and moves") == 0)
			in = 1;
		else if (in && strncmp(line, ".Ss ", 4) == 0)
			break;
		if (!in || strncmp(line, ".It ", 4) != 0 ||
		    strncmp(line, ".It Em", 6) == 0)
			continue;
		ck_assert_uint_lt(nrows, 128);
		p = line + 4;
		for (c = 0; c < 4; c++) {
			cell = strsep(&p, "\t");
			ck_assert_ptr_nonnull(cell);
			/* Cells are separated by " Ta ". */
			if (p == NULL && (p = strstr(cell, " Ta ")) != NULL) {
				*p = '\0';
				p += 4;
			}
			ck_assert_uint_lt(strlen(cell), 64);
			strlcpy(rows[nrows][c], cell, sizeof(rows[nrows][c]));
		}
		nrows++;
	}
	fclose(f);
	ck_assert_uint_gt(nrows, 10);
	for (i = 0; vf_states[i] != NULL; i++)
		for (j = 0; vf_states[j] != NULL; j++)
			for (k = 0; k < 4; k++)
				for (b = 0; b < 6; b++) {
					want = page_has(rows, nrows,
					    vf_states[i], vf_states[j],
					    kinds[k].name, bys[b].name);
					ck_assert_msg(vf_move_ok(vf_states[i],
					    vf_states[j], kinds[k].bit,
					    bys[b].bit) == want,
					    "%s -> %s, %s, by %s: vf(7) says %d",
					    vf_states[i], vf_states[j],
					    kinds[k].name, bys[b].name, want);
				}
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, states_agree);
	tcase_add_test(tc, moves_lead_somewhere);
	tcase_add_test(tc, ended_stay_ended);
	tcase_add_test(tc, moves_by_kind_and_actor);
	tcase_add_test(tc, page_agrees);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(state_suite)
