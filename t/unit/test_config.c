/*
 * ROOT/config: "key value" lines, comments, and everything that must be
 * refused rather than guessed.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vf.h"
#include "unit.h"

#define fmt(b, ...)							\
	ck_assert_int_lt(snprintf(b, sizeof(b), __VA_ARGS__), (int)sizeof(b))

static char tdir[PATH_MAX];
static int dfd = -1;

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	fmt(tdir, "%s/vf-config.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	ck_assert_int_ne(dfd = open(tdir, O_RDONLY | O_DIRECTORY), -1);
}

static void
teardown(void)
{
	char p[PATH_MAX];

	fmt(p, "%s/config", tdir);
	(void)unlink(p);
	(void)rmdir(p);
	(void)close(dfd);
	(void)rmdir(tdir);
}

static void
put(const char *s, size_t len, mode_t mode)
{
	char p[PATH_MAX];
	int fd;

	fmt(p, "%s/config", tdir);
	ck_assert_int_ne(fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600), -1);
	ck_assert_int_eq(write(fd, s, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static int
load(struct vf_config *cfg, const char *text, char *err, size_t errlen)
{
	put(text, strlen(text), 0600);
	return vf_config_load(cfg, dfd, err, errlen);
}

START_TEST(config_good)
{
	struct vf_config cfg;
	char err[256];

	ck_assert_int_eq(load(&cfg,
	    "# the office\n"
	    "\n"
	    "office-key   0123456789ABCDEF0123456789ABCDEF01234567  \n"
	    "   # indented comment\n"
	    "office-name\tIPA セキュリティセンター\n"
	    "office-address vf@example.jp\r\n"
	    "retention-days 365\n"
	    "some-future-key a # not a comment\n"
	    "   \t \n"
	    "max-message-size 10485760", err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 6);
	ck_assert_str_eq(vf_config_get(&cfg, "office-key"),
	    "0123456789ABCDEF0123456789ABCDEF01234567");
	ck_assert_str_eq(vf_config_get(&cfg, "office-name"),
	    "IPA セキュリティセンター");
	ck_assert_str_eq(vf_config_get(&cfg, "office-address"),
	    "vf@example.jp");
	ck_assert_str_eq(vf_config_get(&cfg, "some-future-key"),
	    "a # not a comment");
	ck_assert_ptr_null(vf_config_get(&cfg, "coordinator-key"));
	ck_assert_ptr_null(vf_config_get(&cfg, "office"));
	ck_assert_int_eq(vf_config_num(&cfg, "retention-days", 0, 100000, 7,
	    err, sizeof(err)), 365);
	ck_assert_int_eq(vf_config_num(&cfg, "max-message-size", 1024,
	    1LL << 34, 5, err, sizeof(err)), 10485760);
	ck_assert_int_eq(vf_config_num(&cfg, "reply-deadline-days", 1, 365,
	    14, err, sizeof(err)), 14);
	/* Order is kept. */
	ck_assert_str_eq(cfg.kv[0].name, "office-key");
	ck_assert_str_eq(cfg.kv[5].name, "max-message-size");
	vf_config_free(&cfg);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_ptr_null(cfg.kv);
}
END_TEST

START_TEST(config_missing_or_empty)
{
	struct vf_config cfg;
	char err[256];

	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_ptr_null(vf_config_get(&cfg, "office-key"));
	vf_config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "", err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 0);
	vf_config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "# only\n# comments\n\n", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 0);
	vf_config_free(&cfg);
}
END_TEST

static void
refused(const char *text, const char *want)
{
	struct vf_config cfg;
	char err[256];

	ck_assert_int_eq(load(&cfg, text, err, sizeof(err)), EX_CONFIG);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_ptr_null(cfg.kv);
}

/* scope-domain is a list: the one key that may repeat. */
START_TEST(config_scope_domains)
{
	struct vf_config cfg;
	char err[256];

	ck_assert_int_eq(load(&cfg, "scope-domain example.com\n"
	    "office-name X\nscope-domain example.org\n", err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 3);
	ck_assert_str_eq(cfg.kv[0].value, "example.com");
	ck_assert_str_eq(cfg.kv[2].name, "scope-domain");
	ck_assert_str_eq(cfg.kv[2].value, "example.org");
	vf_config_free(&cfg);
}
END_TEST

START_TEST(config_bad)
{
	refused("office-key A\noffice-key B\n",
	    "config:2: office-key given twice");
	refused("a 1\n\n# c\nb 2\na 3\n", "config:5: a given twice");
	refused("Office-Key A\n", "config:1: a key is made of a-z, 0-9 and '-'");
	refused("office_key A\n", "config:1: a key is made of a-z, 0-9 and '-'");
	refused("office-key=A\n", "config:1: a key is made of a-z, 0-9 and '-'");
	refused("ok 1\nオフィス 1\n",
	    "config:2: a key is made of a-z, 0-9 and '-'");
	refused("office-key\n", "config:1: office-key: no value");
	refused("office-key   \t\n", "config:1: office-key: no value");
	refused("office-name a\033[2Jb\n",
	    "config:1: control character in the value");
}
END_TEST

START_TEST(config_nul)
{
	struct vf_config cfg;
	char err[256];

	put("office-key A\0B\n", 15, 0600);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_str_eq(err, "config: holds a NUL byte");
}
END_TEST

START_TEST(config_perms)
{
	struct vf_config cfg;
	char err[256], p[PATH_MAX];

	put("office-key A\n", 13, 0620);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_str_eq(err, "config: refusing a file that group or others "
	    "may write");
	put("office-key A\n", 13, 0602);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	/* Readable by others is the owner's business. */
	put("office-key A\n", 13, 0644);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)), 0);
	vf_config_free(&cfg);

	/* A symbolic link or a directory is not a configuration file. */
	fmt(p, "%s/config", tdir);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(symlink("/etc/hostname", p), 0);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_int_eq(rmdir(p), 0);
}
END_TEST

START_TEST(config_numbers)
{
	struct vf_config cfg;
	char err[256];

	ck_assert_int_eq(load(&cfg,
	    "a 30\nb 0\nc -5\nd 12x\ne  +7\nf 99999999999999999999\n"
	    "g 1e3\nh 0x10\n", err, sizeof(err)), 0);
	ck_assert_int_eq(vf_config_num(&cfg, "a", 1, 100, 9, err,
	    sizeof(err)), 30);
	ck_assert_int_eq(vf_config_num(&cfg, "b", 0, 100, 9, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(vf_config_num(&cfg, "b", 1, 100, 9, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "config: b: 0 is too small (1 to 100)");
	ck_assert_int_eq(vf_config_num(&cfg, "a", 1, 10, 9, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "config: a: 30 is too large (1 to 10)");
	ck_assert_int_eq(vf_config_num(&cfg, "c", -10, 10, 9, err,
	    sizeof(err)), -5);
	ck_assert_int_eq(vf_config_num(&cfg, "d", 0, 100, 9, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "config: d: 12x is invalid (0 to 100)");
	ck_assert_int_eq(vf_config_num(&cfg, "e", 0, 100, 9, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "config: e: +7 is not a number");
	ck_assert_int_eq(vf_config_num(&cfg, "f", 0, 100, 9, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(vf_config_num(&cfg, "g", 0, 100000, 9, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(vf_config_num(&cfg, "h", 0, 100000, 9, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(vf_config_num(&cfg, "unset", 0, 100, 42, err,
	    sizeof(err)), 42);
	vf_config_free(&cfg);
}
END_TEST

START_TEST(config_too_big)
{
	struct vf_config cfg;
	char err[256], *big;
	size_t n = 1024 * 1024 + 10, i;

	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	put(big, n, 0600);
	free(big);
	ck_assert_int_eq(vf_config_load(&cfg, dfd, err, sizeof(err)),
	    EX_CONFIG);
	ck_assert_str_eq(err, "config: too large");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, config_good);
	tcase_add_test(tc, config_missing_or_empty);
	tcase_add_test(tc, config_bad);
	tcase_add_test(tc, config_scope_domains);
	tcase_add_test(tc, config_nul);
	tcase_add_test(tc, config_perms);
	tcase_add_test(tc, config_numbers);
	tcase_add_test(tc, config_too_big);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(config_suite)
