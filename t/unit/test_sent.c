/*
 * ROOT/.sent: the Message-IDs the office gave its mail, the only thing
 * besides a subject tag that threads a reply to a case.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

static char troot[PATH_MAX];
static struct vf_root r;

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	ck_assert_int_lt(snprintf(troot, sizeof(troot), "%s/vf-sent.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp"), (int)sizeof(troot));
	ck_assert_ptr_nonnull(mkdtemp(troot));
	ck_assert_int_eq(vf_root_open(&r, troot, 0), 0);
}

static void
teardown(void)
{
	pid_t pid;

	vf_root_close(&r);
	if ((pid = fork()) == 0) {
		execlp("rm", "rm", "-rf", troot, (char *)NULL);
		_exit(127);
	}
	(void)waitpid(pid, NULL, 0);
}

START_TEST(put_get)
{
	char id[VF_IDLEN], role[33], kind[33], p[PATH_MAX];
	struct stat st;

	ck_assert_int_eq(vf_sent_put(&r, "<vf.2026-00042.8f3a@office.example>",
	    "2026-00042", "operator", "first-contact"), 0);
	/* With or without brackets, with white space around: one id. */
	ck_assert_int_eq(vf_sent_get(&r, "vf.2026-00042.8f3a@office.example",
	    id, sizeof(id), role, sizeof(role), kind, sizeof(kind)), 0);
	ck_assert_str_eq(id, "2026-00042");
	ck_assert_str_eq(role, "operator");
	ck_assert_str_eq(kind, "first-contact");
	ck_assert_int_eq(vf_sent_get(&r, " <vf.2026-00042.8f3a@office.example> ",
	    id, sizeof(id), role, sizeof(role), kind, sizeof(kind)), 0);
	/* A guess at the pattern is nothing. */
	ck_assert_int_eq(vf_sent_get(&r, "<vf.2026-00042@vf.invalid>", id,
	    sizeof(id), role, sizeof(role), kind, sizeof(kind)), EX_NOINPUT);
	ck_assert_int_eq(vf_sent_get(&r, "<vf.2026-00042.8f3b@office.example>",
	    id, sizeof(id), role, sizeof(role), kind, sizeof(kind)),
	    EX_NOINPUT);
	ck_assert_int_eq(vf_sent_get(&r, "<>", id, sizeof(id), role,
	    sizeof(role), kind, sizeof(kind)), EX_NOINPUT);
	/* Private to the office, as every file of the tree. */
	ck_assert_int_lt(snprintf(p, sizeof(p), "%s/.sent", troot),
	    (int)sizeof(p));
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);
}
END_TEST

START_TEST(bad_input)
{
	ck_assert_int_eq(vf_sent_put(&r, "<a@b>", "2026-42", "operator",
	    "x"), EX_SOFTWARE);
	ck_assert_int_eq(vf_sent_put(&r, "<a@b>", "2026-00042", "op erator",
	    "x"), EX_SOFTWARE);
	ck_assert_int_eq(vf_sent_put(&r, "<a@b>", "2026-00042", "operator",
	    "x\ny"), EX_SOFTWARE);
	ck_assert_int_eq(vf_sent_put(&r, "<>", "2026-00042", "operator",
	    "x"), EX_SOFTWARE);
}
END_TEST

/* A torn or foreign entry is no entry. */
START_TEST(torn_entry)
{
	static const char *bad[] = { "2026-00001 reporter", "2026-00001 "
	    "reporter ack", "2026-1 reporter ack\n", "2026-00001 a b c\n",
	    "" };
	char id[VF_IDLEN], role[33], kind[33], p[PATH_MAX];
	struct dirent *de;
	size_t i;
	DIR *d;
	FILE *f;

	ck_assert_int_eq(vf_sent_put(&r, "<t@x>", "2026-00001", "reporter",
	    "ack"), 0);
	ck_assert_int_lt(snprintf(p, sizeof(p), "%s/.sent", troot),
	    (int)sizeof(p));
	ck_assert_ptr_nonnull(d = opendir(p));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			break;
	ck_assert_ptr_nonnull(de);
	ck_assert_uint_eq(strlen(de->d_name), 64);
	ck_assert_int_lt(snprintf(p, sizeof(p), "%s/.sent/%s", troot,
	    de->d_name), (int)sizeof(p));
	closedir(d);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_nonnull(f = fopen(p, "w"));
		fputs(bad[i], f);
		ck_assert_int_eq(fclose(f), 0);
		ck_assert_int_eq(vf_sent_get(&r, "<t@x>", id, sizeof(id), role,
		    sizeof(role), kind, sizeof(kind)), EX_NOINPUT);
	}
}
END_TEST

static Suite *
sent_suite(void)
{
	Suite *s = suite_create("sent");
	TCase *tc = tcase_create("sent");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, put_get);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, torn_entry);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(sent_suite)
