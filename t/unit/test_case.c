/*
 * Case files: the exact bytes the writer makes, round trips through the
 * reader, and broken files (cut short, garbage, hand-edited) refused
 * with EX_DATAERR and never a crash.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <ctype.h>
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

#ifndef DATADIR
#define DATADIR	"t/data/case"
#endif

#define T	1795717800	/* 2026-11-26T18:30:00Z, a Thursday */

static char *
slurp(const char *path, size_t *len)
{
	struct vf_buf b = { 0 };
	int fd;

	ck_assert_msg((fd = open(path, O_RDONLY)) != -1, "cannot open %s",
	    path);
	ck_assert_int_eq(vf_buf_readfd(&b, fd, 1 << 24), 0);
	close(fd);
	return vf_buf_take(&b, len);
}

static char *
fixture(const char *name, size_t *len)
{
	char p[PATH_MAX];

	fmt(p, "%s/%s", DATADIR, name);
	return slurp(p, len);
}

/* write(parse(buf)) must be buf, byte for byte. */
static void
round_trip(const char *buf, size_t len)
{
	struct vf_case c;
	struct vf_buf out = { 0 };
	char err[256];

	ck_assert_msg(vf_case_parse(&c, buf, len, err, sizeof(err)) == 0,
	    "parse: %s", err);
	vf_case_write(&c, &out);
	ck_assert_uint_eq(out.len, len);
	ck_assert_msg(memcmp(out.p, buf, len) == 0, "round trip differs");
	vf_buf_free(&out);
	vf_case_free(&c);
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

START_TEST(init_exact)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 }, want = { 0 };
	const char *b;

	vf_case_init(&c, "2026-00042", "Vulnerability report", T);
	b = c.boundary;
	ck_assert_uint_eq(strlen(b), 32);
	ck_assert_int_eq(strncmp(b, "=_vf_2026-00042_", 16), 0);
	ck_assert(is_hex(b + 16, 16));
	vf_case_write(&c, &out);
	vf_buf_printf(&want,
	    "Date: Thu, 26 Nov 2026 18:30:00 +0000\n"
	    "From: vf <vf@localhost>\n"
	    "Subject: [VF#2026-00042] Vulnerability report\n"
	    "Message-ID: <vf.2026-00042@vf.invalid>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"%s\"\n"
	    "Vf-Id: 2026-00042\n"
	    "\n"
	    "This is a vf case file; see vf-case(5).\n"
	    "--%s\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Content-Disposition: inline\n"
	    "Content-Description: the report's fields\n"
	    "Vf-Part: fields\n"
	    "\n"
	    "\n"
	    "--%s\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Content-Disposition: inline\n"
	    "Content-Description: the case's history\n"
	    "Vf-Part: history\n"
	    "\n"
	    "\n"
	    "--%s--\n", b, b, b, b);
	ck_assert_str_eq(out.p, want.p);
	ck_assert_uint_eq(out.len, want.len);
	round_trip(out.p, out.len);

	ck_assert_str_eq(vf_case_get(&c, "vf-id"), "2026-00042");
	ck_assert_str_eq(vf_case_get(&c, "SUBJECT"),
	    "[VF#2026-00042] Vulnerability report");
	ck_assert_ptr_null(vf_case_get(&c, "Vf-Kind"));
	ck_assert_uint_eq(c.npart, 2);
	ck_assert_str_eq(vf_cpart_get(&c.part[0], "vf-part"), "fields");
	ck_assert_str_eq(vf_cpart_get(&c.part[1], "Vf-Part"), "history");
	vf_buf_free(&out);
	vf_buf_free(&want);

	/* Two cases never share a boundary; a blank subject adds nothing. */
	vf_case_init(&d, "2026-00042", "  ", T);
	ck_assert_str_ne(c.boundary, d.boundary);
	ck_assert_str_eq(vf_case_get(&d, "Subject"), "[VF#2026-00042]");
	vf_case_free(&d);
	vf_case_free(&c);
}
END_TEST

START_TEST(init_subject)
{
	struct vf_case c;
	struct vf_buf out = { 0 };
	const char *v, *p, *nl;
	char *dec;

	/* Control characters become spaces; the ends are trimmed. */
	vf_case_init(&c, "2026-00001", " \ta\r\nBcc: x\tb\x1b", T);
	ck_assert_str_eq(vf_case_get(&c, "Subject"),
	    "[VF#2026-00001] a  Bcc: x b");
	vf_case_free(&c);

	/* Japanese: RFC 2047 words, 7-bit, folded lines of 78 at most. */
	vf_case_init(&c, "2026-00002", "ソフトウエア製品脆弱性関連情報の届出"
	    "（ExampleServer 2.1 における クロスサイト・スクリプティング）", T);
	v = vf_case_get(&c, "Subject");
	ck_assert_int_eq(strncmp(v, "[VF#2026-00002] ", 16), 0);
	for (p = v; *p != '\0'; p++)
		ck_assert_int_lt((unsigned char)*p, 0x80);
	ck_assert_ptr_nonnull(strstr(v, "=?"));
	vf_case_write(&c, &out);
	for (p = out.p; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		ck_assert_int_le(nl - p, 78);
	dec = vf_hdr_decode(v);
	ck_assert_str_eq(dec, "[VF#2026-00002] ソフトウエア製品脆弱性関連情報"
	    "の届出（ExampleServer 2.1 における クロスサイト・スクリプティング）");
	free(dec);
	round_trip(out.p, out.len);
	vf_buf_free(&out);
	vf_case_free(&c);
}
END_TEST

START_TEST(headers_set_get)
{
	struct vf_case c;
	struct vf_buf out = { 0 };

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_set(&c, "Vf-Kind", "software");
	vf_case_set(&c, "Vf-Problem", "");
	vf_case_set(&c, "vf-kind", "web");
	vf_case_set(&c, "From", "\"山田\" <taro@example.jp>");
	ck_assert_str_eq(vf_case_get(&c, "Vf-Kind"), "web");
	ck_assert_str_eq(vf_case_get(&c, "Vf-Problem"), "");
	ck_assert_str_eq(vf_case_get(&c, "from"), "\"山田\" <taro@example.jp>");
	ck_assert_uint_eq(c.nhdr, 9);
	ck_assert_str_eq(c.hdr[7].name, "Vf-Kind");
	ck_assert_str_eq(c.hdr[8].name, "Vf-Problem");
	vf_case_write(&c, &out);
	ck_assert_ptr_nonnull(strstr(out.p, "\nFrom: \"山田\" <taro@example.jp>\n"
	    "Subject:"));
	ck_assert_ptr_nonnull(strstr(out.p, "\nVf-Id: 2026-00042\n"
	    "Vf-Kind: web\nVf-Problem:\n\nThis is"));
	round_trip(out.p, out.len);
	vf_buf_free(&out);
	vf_case_free(&c);
}
END_TEST

START_TEST(set_crlf_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_set(&c, "Vf-Problem", "line one\nBcc: victim@example.com");
}
END_TEST

START_TEST(set_cr_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_set(&c, "Vf-Problem", "a\rb");
}
END_TEST

START_TEST(set_ctype_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_set(&c, "Content-Type", "text/plain");
}
END_TEST

START_TEST(set_badname_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_set(&c, "Vf Kind", "x");
}
END_TEST

START_TEST(field_badname_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_field_set(&c, "name: x\nother", "v");
}
END_TEST

START_TEST(part_role_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_add_part(&c, VF_PART_FIELDS, "text/plain", NULL, 0, "x", 1);
}
END_TEST

START_TEST(part_header_aborts)
{
	struct vf_case c;
	struct vf_kv h = { "Vf-Filename", "a\nb" };

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_add_part(&c, "attachment", "text/plain", &h, 1, "x", 1);
}
END_TEST

START_TEST(init_badid_aborts)
{
	struct vf_case c;

	vf_case_init(&c, "../etc", "x", T);
}
END_TEST

START_TEST(fields_exact)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 };
	char err[256];
	const char *p;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_field_set(&c, "reporter.name", "山田 太郎");
	vf_case_field_set(&c, "vuln.steps", "1.\tstart\n\n2. send  \n");
	vf_case_field_set(&c, "vuln.threat", "");
	vf_case_field_set(&c, "vuln.tab", "\tlead\n\tsecond");
	vf_case_field_set(&c, "vuln.nl", "\n");
	vf_case_field_set(&c, "reporter.name", "Taro Yamada");
	vf_case_write(&c, &out);
	p = strstr(out.p, "Vf-Part: fields\n\n");
	ck_assert_ptr_nonnull(p);
	p += strlen("Vf-Part: fields\n\n");
	ck_assert_int_eq(strncmp(p,
	    "reporter.name: Taro Yamada\n"
	    "vuln.steps: 1.\tstart\n\t\n\t2. send  \n\t\n"
	    "vuln.threat: \n"
	    "vuln.tab: \tlead\n\t\tsecond\n"
	    "vuln.nl: \n\t\n--", 100), 0);
	round_trip(out.p, out.len);

	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.nfield, 5);
	ck_assert_str_eq(vf_case_field(&d, "reporter.name"), "Taro Yamada");
	ck_assert_str_eq(vf_case_field(&d, "vuln.steps"),
	    "1.\tstart\n\n2. send  \n");
	ck_assert_str_eq(vf_case_field(&d, "vuln.threat"), "");
	ck_assert_str_eq(vf_case_field(&d, "vuln.tab"), "\tlead\n\tsecond");
	ck_assert_str_eq(vf_case_field(&d, "vuln.nl"), "\n");
	ck_assert_ptr_null(vf_case_field(&d, "reporter.email"));
	ck_assert_ptr_null(vf_case_field(&d, "Reporter.name"));
	ck_assert_ptr_null(d.part[0].body);
	vf_case_field_del(&d, "vuln.threat");
	vf_case_field_del(&d, "nosuch");
	ck_assert_uint_eq(d.nfield, 4);
	ck_assert_str_eq(d.field[1].name, "vuln.steps");
	ck_assert_str_eq(d.field[2].name, "vuln.tab");
	vf_case_field_del(&d, "reporter.name");
	vf_case_field_del(&d, "vuln.steps");
	vf_case_field_del(&d, "vuln.tab");
	vf_case_field_del(&d, "vuln.nl");
	ck_assert_uint_eq(d.nfield, 0);
	out.len = 0;
	vf_case_write(&d, &out);
	ck_assert_ptr_nonnull(strstr(out.p, "Vf-Part: fields\n\n\n--"));
	round_trip(out.p, out.len);
	vf_case_free(&d);
	vf_case_free(&c);
	vf_buf_free(&out);
}
END_TEST

START_TEST(history_lines)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 };
	char err[256], when[32], want[256];
	const char *p;
	size_t i;
	char big[3000];

	vf_case_init(&c, "2026-00042", "x", T);
	vf_timestamp(when, sizeof(when), 0);
	vf_case_history(&c, "vf-parse", "received %s report, %d fields",
	    "software", 5);
	vf_case_history(&c, "vf validate", "forged\nline\r\tx");
	ck_assert_uint_eq(c.nhist, 2);
	/* The clock may tick between the two calls: check the rest. */
	ck_assert_uint_eq(strlen(c.hist[0]), 20 + strlen(vf_user()) +
	    strlen("  vf-parse: received software report, 5 fields"));
	ck_assert_int_eq(c.hist[0][19], 'Z');
	fmt(want, " %s vf-parse: received software report, 5 fields",
	    vf_user());
	ck_assert_str_eq(c.hist[0] + 20, want);
	fmt(want, " %s vf_validate: forged line  x", vf_user());
	ck_assert_str_eq(c.hist[1] + 20, want);
	ck_assert_int_eq(strncmp(c.hist[0], when, 4), 0);

	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "\xe5\xb1\x8a", 3);
	big[i] = '\0';
	vf_case_history(&c, "t", "%s", big);
	ck_assert_int_le(strlen(c.hist[2]), 1000);
	ck_assert_int_ge(strlen(c.hist[2]), 997);
	ck_assert_int_eq(((unsigned char)c.hist[2][strlen(c.hist[2]) - 3]),
	    0xe5);

	vf_case_write(&c, &out);
	p = strstr(out.p, "Vf-Part: history\n\n");
	ck_assert_ptr_nonnull(p);
	p += strlen("Vf-Part: history\n\n");
	ck_assert_int_eq(strncmp(p, c.hist[0], strlen(c.hist[0])), 0);
	p += strlen(c.hist[0]);
	ck_assert_int_eq(*p, '\n');
	round_trip(out.p, out.len);
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.nhist, 3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(d.hist[i], c.hist[i]);
	vf_case_free(&d);
	vf_case_free(&c);
	vf_buf_free(&out);
}
END_TEST

/* Lines that start with "--" and the boundary: the delimiters only. */
static size_t
delimiter_lines(const struct vf_buf *out, const char *b)
{
	const char *p, *end = out->p + out->len;
	size_t n = 0, blen = strlen(b);

	for (p = out->p; p != NULL && p < end;
	    p = memchr(p, '\n', (size_t)(end - p)), p = p != NULL ? p + 1 : NULL)
		if ((size_t)(end - p) > 2 + blen && p[0] == '-' &&
		    p[1] == '-' && memcmp(p + 2, b, blen) == 0) {
			ck_assert(p[2 + blen] == '\n' ||
			    strcmp(p + 2 + blen, "--\n") == 0);
			n++;
		}
	return n;
}

START_TEST(parts_round_trip)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 }, evil = { 0 };
	struct vf_kv h[2] = {
		{ "Content-Transfer-Encoding", "8bit" },
		{ "Vf-Filename", "報告書.txt" }
	};
	char err[256], *old;
	struct vf_cpart *p;
	const char *report = "脆弱性関連情報の届出\n\n製品名: Example\n";

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_field_set(&c, "vuln.product", "Example");
	vf_case_history(&c, "test", "made");
	p = vf_case_add_part(&c, VF_PART_REPORT, "text/plain; charset=utf-8",
	    h, 2, report, strlen(report));
	ck_assert_uint_eq(p->nhdr, 5);
	ck_assert_str_eq(p->hdr[0].name, "Content-Type");
	ck_assert_str_eq(p->hdr[2].name, "Vf-Filename");
	ck_assert_str_eq(p->hdr[3].name, "Content-Description");
	ck_assert_str_eq(p->hdr[4].name, "Vf-Part");
	ck_assert_str_eq(vf_cpart_get(p, "vf-filename"), "報告書.txt");
	/* Every part says what it is: the role's words by default. */
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"), "the report");
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL, 0, "", 0);
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL, 0, NULL, 0);
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL, 0, "\n", 1);
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL, 0, "no LF", 5);
	vf_case_add_part(&c, VF_PART_ORIGINAL, "application/octet-stream",
	    NULL, 0, "bin\0ary\n\0", 9);

	/* A body holding the boundary: a new one is picked. */
	old = vf_strdup(c.boundary);
	vf_buf_printf(&evil, "before\n--%s\nContent-Type: text/html\n\n"
	    "--%s--\nafter", old, old);
	vf_case_add_part(&c, VF_PART_FOLLOWUP, "message/rfc822", NULL, 0,
	    evil.p, evil.len);
	ck_assert_str_ne(c.boundary, old);
	ck_assert_int_eq(strncmp(c.boundary, "=_vf_2026-00042_", 16), 0);
	ck_assert_ptr_nonnull(strstr(vf_case_get(&c, "Content-Type"),
	    c.boundary));
	ck_assert_ptr_null(strstr(vf_case_get(&c, "Content-Type"), old));
	ck_assert_uint_eq(c.npart, 9);

	vf_case_write(&c, &out);
	ck_assert_uint_eq(delimiter_lines(&out, c.boundary), 10);
	round_trip(out.p, out.len);
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.npart, 9);
	ck_assert_str_eq(d.boundary, c.boundary);
	ck_assert_uint_eq(d.part[2].len, strlen(report));
	ck_assert_mem_eq(d.part[2].body, report, strlen(report));
	ck_assert_str_eq(vf_cpart_get(&d.part[2], "Vf-Part"), "report");
	ck_assert_uint_eq(d.part[3].len, 0);
	ck_assert_uint_eq(d.part[4].len, 0);
	ck_assert_uint_eq(d.part[5].len, 1);
	ck_assert_uint_eq(d.part[6].len, 5);
	ck_assert_uint_eq(d.part[7].len, 9);
	ck_assert_mem_eq(d.part[7].body, "bin\0ary\n\0", 9);
	ck_assert_uint_eq(d.part[8].len, evil.len);
	ck_assert_mem_eq(d.part[8].body, evil.p, evil.len);
	ck_assert_str_eq(vf_case_field(&d, "vuln.product"), "Example");
	vf_case_free(&d);

	/*
	 * A body changed behind add_part's back: this output gets a fresh
	 * boundary and still reads back.
	 */
	free(c.part[3].body);
	out.len = 0;
	vf_buf_printf(&out, "x\n--%s\ny", c.boundary);
	c.part[3].body = vf_buf_take(&out, &c.part[3].len);
	vf_case_write(&c, &out);
	ck_assert_ptr_nonnull(strstr(out.p, c.part[3].body));
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_str_ne(d.boundary, c.boundary);
	ck_assert_uint_eq(d.npart, 9);
	ck_assert_mem_eq(d.part[3].body, c.part[3].body, c.part[3].len);
	vf_case_free(&d);

	free(old);
	vf_buf_free(&evil);
	vf_buf_free(&out);
	vf_case_free(&c);
}
END_TEST

/* The pieces of vf_case_iov, joined. */
static void
join_iov(const struct vf_case *c, struct vf_buf *out, size_t *niov)
{
	struct vf_buf sb = { 0 };
	struct iovec *iov;
	size_t i, n;

	vf_case_iov(c, &sb, &iov, &n);
	out->len = 0;
	for (i = 0; i < n; i++) {
		ck_assert_uint_gt(iov[i].iov_len, 0);
		vf_buf_add(out, iov[i].iov_base, iov[i].iov_len);
	}
	if (niov != NULL)
		*niov = n;
	free(iov);
	vf_buf_free(&sb);
}

START_TEST(descriptions)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 };
	struct vf_kv fu[2] = {
		{ "Vf-Received", "2026-11-27T09:00:00Z" },
		{ "Vf-Party", "reporter" }
	};
	struct vf_kv own[1] = {
		{ "Content-Description", "follow-up from the reporter, 2026-11-27T09:00:00Z" }
	};
	struct vf_kv ja[1] = { { "Content-Description", "追加情報" } };
	struct vf_kv orig[1] = { { "Vf-Original", "as-received" } };
	struct vf_kv att[1] = { { "Vf-Filename", "poc.py" } };
	struct vf_cpart *p;
	char err[256], *dec;

	vf_case_init(&c, "2026-00042", "x", T);
	ck_assert_str_eq(vf_cpart_get(&c.part[0], "Content-Description"),
	    "the report's fields");
	ck_assert_str_eq(vf_cpart_get(&c.part[1], "Content-Description"),
	    "the case's history");
	p = vf_case_add_part(&c, VF_PART_FOLLOWUP, "text/plain", fu, 2, "a",
	    1);
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"),
	    "follow-up from the reporter, 2026-11-27T09:00:00Z");
	/* The caller's own words, once, in place of the role's. */
	p = vf_case_add_part(&c, VF_PART_FOLLOWUP, "text/plain", own, 1, "b",
	    1);
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"),
	    own[0].value);
	ck_assert_uint_eq(p->nhdr, 3);
	/* Not ASCII: encoded words, which decode to the caller's text. */
	p = vf_case_add_part(&c, VF_PART_NOTE, "text/plain", ja, 1, "c", 1);
	ck_assert_int_eq(strncmp(vf_cpart_get(p, "Content-Description"),
	    "=?UTF-8?", 8), 0);
	dec = vf_hdr_decode(vf_cpart_get(p, "Content-Description"));
	ck_assert_str_eq(dec, "追加情報");
	free(dec);
	p = vf_case_add_part(&c, VF_PART_ORIGINAL, "message/rfc822", orig, 1,
	    "d", 1);
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"),
	    "the mail as received (ciphertext)");
	p = vf_case_add_part(&c, VF_PART_ORIGINAL, "application/octet-stream",
	    NULL, 0, "e", 1);
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"),
	    "the mail as received, encrypted to the office key");
	p = vf_case_add_part(&c, "attachment", "application/x-python", att,
	    1, "f", 1);
	ck_assert_str_eq(vf_cpart_get(p, "Content-Description"),
	    "attachment poc.py");
	/* Written and read back, every part still says what it is. */
	vf_case_write(&c, &out);
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	for (size_t i = 0; i < d.npart; i++)
		ck_assert_ptr_nonnull(vf_cpart_get(&d.part[i],
		    "Content-Description"));
	vf_case_free(&d);
	vf_case_free(&c);
	vf_buf_free(&out);
}
END_TEST

/*
 * vf_case_iov_hole (vf-parse writes a case while gpg makes its original):
 * the pieces before the hole, the body, the pieces after it are the very
 * bytes vf_case_iov gives once the part has the body, for a small, a
 * large and an empty body; a body that would hold the boundary does not
 * fit, and given to the part it gets the case a fresh boundary; and a
 * case whose other bodies changed behind its back makes no hole.
 */
START_TEST(iov_hole)
{
	struct vf_case c, d;
	struct vf_buf big = { 0 }, a = { 0 }, b = { 0 }, sb = { 0 };
	struct vf_buf evil = { 0 };
	struct iovec *iov;
	const char *bodies[3];
	size_t lens[3], i, j, k, n, at;
	char err[256], *old;

	for (i = 0; i < 300; i++)
		vf_buf_printf(&big, "hQEMA%zu+armored/line==\n", i);
	bodies[0] = "-----BEGIN PGP MESSAGE-----\nhQ==\n-----END PGP MESSAGE-----\n";
	lens[0] = strlen(bodies[0]);
	bodies[1] = big.p;
	lens[1] = big.len;
	bodies[2] = "";
	lens[2] = 0;
	for (j = 0; j < 3; j++) {
		vf_case_init(&c, "2026-00042", "x", T);
		vf_case_field_set(&c, "vuln.steps", "one\ntwo");
		vf_case_history(&c, "test", "made");
		vf_case_add_part(&c, VF_PART_REPORT, "text/plain", NULL, 0,
		    big.p, big.len);
		k = vf_case_add_part_take(&c, VF_PART_ORIGINAL,
		    "application/octet-stream", NULL, 0, NULL, 0) - c.part;
		ck_assert_int_eq(vf_case_iov_hole(&c, k, &sb, &iov, &n, &at),
		    0);
		ck_assert_uint_lt(at, n);
		ck_assert_uint_eq(iov[at].iov_len, 0);
		ck_assert(vf_case_hole_fits(&c, bodies[j], lens[j]));
		a.len = 0;
		for (i = 0; i < n; i++)
			if (i == at)
				vf_buf_add(&a, bodies[j], lens[j]);
			else
				vf_buf_add(&a, iov[i].iov_base, iov[i].iov_len);
		free(iov);
		vf_case_part_take(&c, k, lens[j] > 0 ? vf_strndup(bodies[j],
		    lens[j]) : NULL, lens[j]);
		join_iov(&c, &b, NULL);
		ck_assert_uint_eq(a.len, b.len);
		ck_assert_mem_eq(a.p, b.p, b.len);
		ck_assert_int_eq(vf_case_parse(&d, b.p, b.len, err,
		    sizeof(err)), 0);
		ck_assert_uint_eq(d.part[k].len, lens[j]);
		vf_case_free(&d);
		vf_case_free(&c);
	}

	/* A body with the boundary on a line of its own does not fit. */
	vf_case_init(&c, "2026-00042", "x", T);
	k = vf_case_add_part_take(&c, VF_PART_ORIGINAL,
	    "application/octet-stream", NULL, 0, NULL, 0) - c.part;
	ck_assert_int_eq(vf_case_iov_hole(&c, k, &sb, &iov, &n, &at), 0);
	free(iov);
	vf_buf_printf(&evil, "text\n--%s\nContent-Type: text/plain\n\n"
	    "injected\n--%s--\n", c.boundary, c.boundary);
	ck_assert(!vf_case_hole_fits(&c, evil.p, evil.len));
	old = vf_strdup(c.boundary);
	vf_case_part_take(&c, k, vf_strndup(evil.p, evil.len), evil.len);
	ck_assert_str_ne(c.boundary, old);
	join_iov(&c, &b, NULL);
	ck_assert_int_eq(vf_case_parse(&d, b.p, b.len, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.npart, c.npart);
	ck_assert_mem_eq(d.part[k].body, evil.p, evil.len);
	vf_case_free(&d);
	free(old);

	/* Another body changed behind the case's back: no hole. */
	vf_case_add_part_take(&c, VF_PART_NOTE, "text/plain", NULL, 0,
	    vf_strdup("note\n"), 5);
	vf_buf_printf(&evil, "--%s\n", c.boundary);
	free(c.part[c.npart - 1].body);
	c.part[c.npart - 1].body = evil.p + evil.len -
	    (strlen(c.boundary) + 3);
	c.part[c.npart - 1].len = strlen(c.boundary) + 3;
	c.part[c.npart - 1].ref = 1;
	ck_assert_int_eq(vf_case_iov_hole(&c, k, &sb, &iov, &n, &at), -1);
	vf_case_free(&c);

	vf_buf_free(&evil);
	vf_buf_free(&sb);
	vf_buf_free(&a);
	vf_buf_free(&b);
	vf_buf_free(&big);
}
END_TEST

START_TEST(parts_take_ref_iov)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 }, joined = { 0 }, big = { 0 }, evil = { 0 };
	char err[256], *taken, *old;
	struct vf_cpart *p;
	size_t i, n, niov;

	vf_case_init(&c, "2026-00042", "x", T);
	vf_case_field_set(&c, "vuln.steps", "one\ntwo");
	vf_case_history(&c, "test", "made");
	/* Large bodies are pointed at, small ones copied: both kinds. */
	for (i = 0; i < 3000; i++)
		vf_buf_printf(&big, "line %zu of a long proof of concept\n", i);
	taken = vf_strdup("taken body\n");
	p = vf_case_add_part_take(&c, VF_PART_NOTE, "text/plain", NULL, 0,
	    taken, strlen(taken));
	ck_assert_ptr_eq(p->body, taken);
	ck_assert_int_eq(p->ref, 0);
	p = vf_case_add_part_ref(&c, "attachment", "application/octet-stream",
	    NULL, 0, big.p, big.len);
	ck_assert_ptr_eq(p->body, big.p);
	ck_assert_int_eq(p->ref, 1);
	vf_case_add_part_ref(&c, VF_PART_NOTE, "text/plain", NULL, 0, NULL, 0);
	vf_case_add_part_take(&c, VF_PART_NOTE, "text/plain", NULL, 0, NULL,
	    0);
	ck_assert_uint_eq(c.npart, 6);

	vf_case_write(&c, &out);
	join_iov(&c, &joined, &niov);
	ck_assert_uint_eq(joined.len, out.len);
	ck_assert_mem_eq(joined.p, out.p, out.len);
	/* The large body is a piece of its own, between two of scratch. */
	ck_assert_uint_ge(niov, 3);
	round_trip(out.p, out.len);
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.npart, 6);
	ck_assert_uint_eq(d.part[2].len, strlen("taken body\n"));
	ck_assert_mem_eq(d.part[3].body, big.p, big.len);
	ck_assert_uint_eq(d.part[4].len, 0);
	ck_assert_uint_eq(d.part[5].len, 0);
	ck_assert_str_eq(vf_case_field(&d, "vuln.steps"), "one\ntwo");
	vf_case_free(&d);

	/* A referenced body holding the boundary: a new one is picked. */
	old = vf_strdup(c.boundary);
	vf_buf_printf(&evil, "a\n--%s--\n", old);
	for (i = 0; i < 200; i++)
		vf_buf_adds(&evil, "padding so that the body is pointed at\n");
	vf_case_add_part_ref(&c, VF_PART_FOLLOWUP, "text/plain", NULL, 0,
	    evil.p, evil.len);
	ck_assert_str_ne(c.boundary, old);
	vf_case_write(&c, &out);
	out.len = 0;
	vf_case_write(&c, &out);
	join_iov(&c, &joined, &n);
	ck_assert_uint_eq(joined.len, out.len);
	ck_assert_mem_eq(joined.p, out.p, out.len);
	round_trip(out.p, out.len);

	/* Freeing the case leaves referenced bodies alone. */
	vf_case_free(&c);
	ck_assert_int_eq(strncmp(big.p, "line 0 ", 7), 0);
	ck_assert_int_eq(strncmp(evil.p, "a\n--", 4), 0);
	free(old);
	vf_buf_free(&evil);
	vf_buf_free(&big);
	vf_buf_free(&joined);
	vf_buf_free(&out);
}
END_TEST

START_TEST(fixture_good)
{
	struct vf_case c;
	struct vf_buf out = { 0 };
	char err[256], *buf;
	size_t len;

	buf = fixture("good.eml", &len);
	ck_assert_int_eq(vf_case_parse(&c, buf, len, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(c.nhdr, 12);
	ck_assert_str_eq(c.hdr[10].name, "Status");
	ck_assert_str_eq(c.hdr[11].value, "  triage  ");
	ck_assert_str_eq(vf_case_get(&c, "X-Label"), "triage  ");
	ck_assert_str_eq(vf_case_get(&c, "Vf-Problem"), "");
	ck_assert_int_eq(strncmp(vf_case_get(&c, "Subject"),
	    "[VF#2026-00042]\n =?UTF-8?B?", 26), 0);
	ck_assert_str_eq(c.boundary, "=_vf_2026-00042_0123456789abcdef");
	ck_assert_str_eq(c.preamble, "This is a vf case file; see vf-case(5).");
	ck_assert_ptr_null(c.epilogue);
	ck_assert_uint_eq(c.nfield, 6);
	ck_assert_str_eq(vf_case_field(&c, "reporter.name"), "山田 太郎");
	ck_assert_str_eq(vf_case_field(&c, "vuln.product"),
	    "ExampleServer 2.1  ");
	ck_assert_str_eq(vf_case_field(&c, "vuln.steps"),
	    "1. start the server\n\n2. send\tthe request\n"
	    "--=_vf_2026-00042_0123456789abcdef\n");
	ck_assert_str_eq(vf_case_field(&c, "vuln.threat"), "");
	ck_assert_str_eq(vf_case_field(&c, "vuln.workaround"), "none");
	ck_assert_uint_eq(c.nhist, 2);
	ck_assert_str_eq(c.hist[1],
	    "2026-11-27T09:00:00Z staff vf-validate: accepted");
	ck_assert_uint_eq(c.npart, 5);
	ck_assert_str_eq(vf_cpart_get(&c.part[2], "Vf-Protection"),
	    "encrypted");
	ck_assert_uint_eq(c.part[2].len, strlen("脆弱性関連情報の届出\n\n"
	    "製品名: ExampleServer\n"));
	ck_assert_uint_eq(c.part[3].len, 0);
	ck_assert_str_eq(c.part[4].hdr[1].value,
	    " attachment;\n\tfilename=\"2026-00042.eml.asc\"");
	ck_assert_str_eq(vf_cpart_get(&c.part[4], "Vf-Part"), "original");
	vf_case_write(&c, &out);
	ck_assert_uint_eq(out.len, len);
	ck_assert(memcmp(out.p, buf, len) == 0);

	/* A change is written, and only it changes. */
	vf_case_field_set(&c, "vuln.threat", "XSS");
	vf_case_history(&c, "test", "threat set");
	out.len = 0;
	vf_case_write(&c, &out);
	ck_assert_uint_eq(out.len, len + 3 + 1 + strlen(c.hist[2]));
	round_trip(out.p, out.len);
	vf_buf_free(&out);
	vf_case_free(&c);
	free(buf);
}
END_TEST

START_TEST(fixture_bad)
{
	static const struct {
		const char	*file;
		const char	*err;
	} t[] = {
		{ "empty.eml", "line 1: header without an empty line" },
		{ "garbage.eml", "line 1: malformed header line" },
		{ "nohdrend.eml", "line 3: header without an empty line" },
		{ "noid.eml", "line 1: no valid Vf-Id header" },
		{ "badid.eml", "line 1: no valid Vf-Id header" },
		{ "noboundary.eml", "line 1: no multipart/mixed boundary" },
		{ "notmixed.eml", "line 1: no multipart/mixed boundary" },
		{ "torn.eml", "line 67: no closing boundary: the file is cut" },
		{ "noclose.eml", "line 69: no closing boundary: the file is cut" },
		{ "closenolf.eml", "line 69: malformed boundary line" },
		{ "badline.eml", "line 48: malformed boundary line" },
		{ "padded.eml", "line 51: malformed boundary line" },
		{ "nofields.eml", "line 16: the first parts are not the fields" },
		{ "twohist.eml", "line 16: a second fields or history part" },
		{ "norole.eml", "line 52: part without Content-Type or Vf-Part" },
		{ "fieldsyntax.eml", "line 31: not \"name: value\" in the fields" },
		{ "fieldname.eml", "line 31: not \"name: value\" in the fields" },
		{ "fieldblank.eml", "line 31: empty line in the fields" },
		{ "fieldcont.eml", "line 23: fields start with a continuation" },
		{ "hdrspace.eml", "line 13: malformed header line" },
		{ "hdrcont.eml", "line 1: malformed header line" },
		{ "mbox.eml", "line 1: malformed header line" },
		{ "nulhdr.eml", "line 13: NUL byte in a header" },
		{ "nulfield.eml", "line 23: NUL byte in the fields" },
		{ "partnohdr.eml", "line 53: part without a line end before" },
		{ "partnoblank.eml", "line 55: part without a line end before" },
		{ "onlyclose.eml", "line 17: the first boundary line is not an" },
	};
	struct vf_case c;
	char err[256], *buf;
	size_t i, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf = fixture(t[i].file, &len);
		err[0] = 'x';
		ck_assert_msg(vf_case_parse(&c, buf, len, err, sizeof(err)) ==
		    EX_DATAERR, "%s accepted", t[i].file);
		ck_assert_msg(strstr(err, t[i].err) != NULL,
		    "%s: \"%s\" does not say \"%s\"", t[i].file, err,
		    t[i].err);
		ck_assert_uint_eq(c.npart, 0);
		ck_assert_ptr_null(c.hdr);
		vf_case_free(&c);
		free(buf);
	}
	ck_assert_int_eq(vf_case_parse(&c, NULL, 0, err, sizeof(err)),
	    EX_DATAERR);
	ck_assert_int_eq(vf_case_parse(&c, "", 0, NULL, 0), EX_DATAERR);
}
END_TEST

/* Every cut of a good file is a torn file, and is refused. */
START_TEST(every_prefix)
{
	struct vf_case c;
	char err[256], *buf;
	size_t i, len;

	buf = fixture("good.eml", &len);
	for (i = 0; i < len; i++)
		ck_assert_msg(vf_case_parse(&c, buf, i, err, sizeof(err)) ==
		    EX_DATAERR, "prefix of %zu bytes accepted", i);
	ck_assert_int_eq(vf_case_parse(&c, buf, len, err, sizeof(err)), 0);
	vf_case_free(&c);
	free(buf);
}
END_TEST

/*
 * Change every byte in turn to bytes that matter to the syntax: the reader
 * must not crash, and whatever it accepts it must give back unchanged.
 */
START_TEST(every_mutation)
{
	static const char subst[] = { '\n', '\t', ' ', '-', ':', '\0', 'x',
	    '"', (char)0xff };
	struct vf_case c;
	struct vf_buf out = { 0 };
	char err[256], *buf, keep;
	size_t i, k, len, ok = 0;

	buf = fixture("good.eml", &len);
	for (i = 0; i < len; i++) {
		keep = buf[i];
		for (k = 0; k < sizeof(subst); k++) {
			if (subst[k] == keep)
				continue;
			buf[i] = subst[k];
			if (vf_case_parse(&c, buf, len, err, sizeof(err)) == 0) {
				ok++;
				out.len = 0;
				vf_case_write(&c, &out);
				ck_assert_msg(out.len == len &&
				    memcmp(out.p, buf, len) == 0,
				    "byte %zu = %d: accepted but not kept", i,
				    subst[k]);
				vf_case_free(&c);
			} else
				ck_assert_int_ne(err[0], '\0');
		}
		buf[i] = keep;
	}
	ck_assert_uint_gt(ok, 0);
	vf_buf_free(&out);
	free(buf);
}
END_TEST

START_TEST(load_files)
{
	struct vf_case c;
	char dir[PATH_MAX], p[PATH_MAX], err[256];
	const char *t = getenv("TMPDIR");

	fmt(p, "%s/good.eml", DATADIR);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.nfield, 6);
	vf_case_free(&c);
	fmt(p, "%s/torn.eml", DATADIR);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), EX_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "cut short"));
	ck_assert_int_eq(vf_case_load(&c, DATADIR, err, sizeof(err)),
	    EX_DATAERR);
	ck_assert_str_eq(err, "not a regular file");
	fmt(p, "%s/nosuch.eml", DATADIR);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), EX_NOINPUT);

	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/link", dir);
	ck_assert_int_eq(symlink(DATADIR "/good.eml", p), 0);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), EX_DATAERR);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * The normalized part: made from the fields at every write, last, out of
 * part[] (no index moves), round trips, and a file whose part disagrees
 * with its fields, or puts it before another part, is refused.
 */
START_TEST(normalized_part)
{
	struct vf_case c, d;
	struct vf_buf out = { 0 }, out2 = { 0 }, bad = { 0 };
	char err[256], *at;
	size_t np;

	vf_case_init(&c, "2026-00001", "s", 1);
	vf_case_field_set(&c, "product.name", "\xef\xbc\xa6\xef\xbd\x8f"
	    "\xef\xbd\x8f");			/* ＦｏｏＣＭＳ's start: Ｆｏｏ */
	vf_case_field_set(&c, "product.version", "2.4.1");
	vf_case_add_part(&c, "report", "text/plain", NULL, 0, "r", 1);
	np = c.npart;
	vf_case_write(&c, &out);
	ck_assert_msg(strstr(out.p, "\nVf-Part: normalized\n\nproduct.name: "
	    "Foo\n--") != NULL, "%s", out.p);
	/* ASCII is its own NFKC: no line for it. */
	ck_assert_ptr_null(strstr(strstr(out.p, "Vf-Part: normalized"),
	    "product.version"));
	ck_assert_uint_eq(c.npart, np);
	round_trip(out.p, out.len);
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(d.npart, np);
	ck_assert_ptr_nonnull(d.norm);
	/* A part added after reading still goes before it. */
	vf_case_add_part(&d, "note", "text/plain", NULL, 0, "n", 1);
	vf_case_write(&d, &out2);
	at = strstr(out2.p, "Vf-Part: normalized");
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_null(strstr(at, "Vf-Part: note"));
	/* The field gone: so is its line, and the part. */
	vf_case_field_set(&d, "product.name", "Foo");
	out2.len = 0;
	vf_case_write(&d, &out2);
	ck_assert_ptr_null(strstr(out2.p, "normalized"));
	vf_case_free(&d);

	/*
	 * The part as read is copied only while the fields still read as
	 * they did: one changed behind the setters' back (vf-expire's
	 * erasure edits field[] in place) gets the part made again.
	 */
	ck_assert_int_eq(vf_case_parse(&d, out.p, out.len, err, sizeof(err)),
	    0);
	ck_assert_ptr_nonnull(d.norm_of);
	out2.len = 0;
	vf_case_write(&d, &out2);
	ck_assert_uint_eq(out2.len, out.len);
	ck_assert_mem_eq(out2.p, out.p, out.len);
	ck_assert_str_eq(d.field[0].name, "product.name");
	free(d.field[0].value);
	d.field[0].value = vf_strdup("\xef\xbc\xa2\xef\xbd\x81\xef\xbd\x92");
	out2.len = 0;
	vf_case_write(&d, &out2);
	ck_assert_msg(strstr(out2.p, "\nVf-Part: normalized\n\nproduct.name: "
	    "Bar\n--") != NULL, "%s", out2.p);
	vf_case_free(&d);

	/* Disagreeing with the fields: refused. */
	vf_buf_add(&bad, out.p, out.len);
	vf_buf_addc(&bad, '\0');
	at = strstr(bad.p, "product.name: Foo\n--");
	ck_assert_ptr_nonnull(at);
	memcpy(at + 14, "Bar", 3);
	ck_assert_int_eq(vf_case_parse(&d, bad.p, bad.len - 1, err,
	    sizeof(err)), EX_DATAERR);
	ck_assert_msg(strstr(err, "not the NFKC form") != NULL, "%s", err);
	vf_buf_free(&bad);
	vf_buf_free(&out);
	vf_buf_free(&out2);
	vf_case_free(&c);
}
END_TEST

/*
 * The head reader (vf_case_loadhead) against the whole one: what both read
 * is the same, header for header, field for field, line for line; the
 * parts after the history are not there (VF_HEAD_PARTS: their headers
 * are, no body).
 */
static void
same_kv(const struct vf_kv *a, size_t na, const struct vf_kv *b, size_t nb,
    const char *what)
{
	size_t i;

	ck_assert_msg(na == nb, "%s: %zu against %zu", what, na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_str_eq(a[i].name, b[i].name);
		ck_assert_str_eq(a[i].value, b[i].value);
	}
}

/*
 * get (vf_case_get or vf_case_field) alike on both for name as written,
 * one byte longer and one shorter, and (a header's, caps) in capitals: a
 * head case compares a name's length first.
 */
static void
same_lookup(const char *(*get)(const struct vf_case *, const char *),
    const struct vf_case *full, const struct vf_case *h, const char *name,
    int caps)
{
	char v[4][160];
	const char *a, *b;
	size_t k, n;

	fmt(v[0], "%.150s", name);
	n = strlen(v[0]);
	fmt(v[1], "%sx", v[0]);
	memcpy(v[2], v[0], n + 1);
	if (n > 0)
		v[2][n - 1] = '\0';
	memcpy(v[3], v[0], n + 1);
	for (k = 0; caps && k < n; k++)
		v[3][k] = (char)toupper((unsigned char)v[3][k]);
	for (k = 0; k < (caps ? 4u : 3u); k++) {
		a = get(full, v[k]);
		b = get(h, v[k]);
		if (a == NULL || b == NULL)
			ck_assert_msg(a == b, "lookup of \"%s\"", v[k]);
		else
			ck_assert_str_eq(a, b);
	}
}

/* Every header's and field's name, and a name no case has. */
static void
same_get(const struct vf_case *full, const struct vf_case *h)
{
	size_t i;

	for (i = 0; i < full->nhdr; i++)
		same_lookup(vf_case_get, full, h, full->hdr[i].name, 1);
	same_lookup(vf_case_get, full, h, "Vf-Nosuch", 1);
	for (i = 0; i < full->nfield; i++)
		same_lookup(vf_case_field, full, h, full->field[i].name, 0);
	same_lookup(vf_case_field, full, h, "no.such", 0);
}

/* The fixtures both head-reader tests read, whole and by their head. */
static const char *const files[] = { "good.eml", "empty.eml",
    "garbage.eml", "nohdrend.eml", "noid.eml", "badid.eml",
    "noboundary.eml", "notmixed.eml", "torn.eml", "noclose.eml",
    "closenolf.eml", "badline.eml", "padded.eml", "nofields.eml",
    "twohist.eml", "norole.eml", "fieldsyntax.eml", "fieldname.eml",
    "fieldblank.eml", "fieldcont.eml", "hdrspace.eml", "hdrcont.eml",
    "mbox.eml", "nulhdr.eml", "nulfield.eml", "partnohdr.eml",
    "partnoblank.eml", "onlyclose.eml" };

static void
same_head(const struct vf_case *full, const struct vf_case *h, int parts)
{
	size_t i;

	same_kv(full->hdr, full->nhdr, h->hdr, h->nhdr, "headers");
	same_get(full, h);
	same_kv(full->field, full->nfield, h->field, h->nfield, "fields");
	ck_assert_uint_eq(full->nhist, h->nhist);
	for (i = 0; i < full->nhist; i++)
		ck_assert_str_eq(full->hist[i], h->hist[i]);
	ck_assert_str_eq(full->boundary, h->boundary);
	ck_assert_ptr_null(h->norm);
	ck_assert_ptr_nonnull(h->arena);
	ck_assert_uint_eq(h->npart, parts ? full->npart : 2);
	for (i = 0; i < h->npart; i++) {
		same_kv(full->part[i].hdr, full->part[i].nhdr, h->part[i].hdr,
		    h->part[i].nhdr, "part headers");
		ck_assert_ptr_null(h->part[i].body);
		if (i >= 2)
			ck_assert_uint_eq(h->part[i].len, full->part[i].len);
	}
}

/* Both head modes, first reads of every size, against vf_case_parse. */
static void
head_check(const char *buf, size_t len, size_t step)
{
	struct vf_case full, h;
	char err[256], herr[256];
	size_t first;
	int rc, hrc;

	rc = vf_case_parse(&full, buf, len, err, sizeof(err));
	for (first = 1; first <= len + 1; first += step) {
		hrc = vf_case_parsehead(&h, buf, len, first, 0, herr,
		    sizeof(herr));
		if (rc == 0) {
			ck_assert_msg(hrc == 0, "first %zu: head refused what "
			    "the whole reader accepts: %s", first, herr);
			same_head(&full, &h, 0);
			vf_case_free(&h);
		} else if (hrc != 0)
			/* What it refuses, the whole reader refuses alike
			   when the fault is in what both read. */
			ck_assert_int_eq(hrc, EX_DATAERR);
		else
			vf_case_free(&h);
	}
	hrc = vf_case_parsehead(&h, buf, len, len, VF_HEAD_PARTS, herr,
	    sizeof(herr));
	if (rc == 0) {
		ck_assert_msg(hrc == 0, "parts: %s", herr);
		same_head(&full, &h, 1);
		vf_case_free(&h);
	} else {
		/* Every part is read: the same verdict and message. */
		ck_assert_int_eq(hrc, rc);
		ck_assert_str_eq(herr, err);
	}
	if (rc == 0)
		vf_case_free(&full);
}

/*
 * Every byte at every place of a header name of 19 bytes (the reader
 * takes a name eight bytes a step): printable ASCII but ':' is a name,
 * ':' ends it, anything else is a malformed line. Both readers.
 */
START_TEST(header_name_bytes)
{
	static const char name[] = "X-Abcdefghijklmnopq";
	struct vf_buf in = { 0 };
	struct vf_case c;
	char err[256], want[32], *buf, *at;
	size_t len, i, n = sizeof(name) - 1;
	int b, head, rc;

	buf = fixture("good.eml", &len);
	at = (char *)memchr(buf, '\n', len) + 1;
	vf_buf_add(&in, buf, (size_t)(at - buf));
	vf_buf_adds(&in, name);
	vf_buf_adds(&in, ": v\n");
	vf_buf_add(&in, at, len - (size_t)(at - buf));
	at = in.p + (at - buf);
	for (head = 0; head < 2; head++)
		for (i = 0; i < n; i++)
			for (b = 0; b < 256; b++) {
				if (b == '\n' || (i == 0 && (b == ' ' ||
				    b == '\t')))
					continue;	/* other lines */
				at[i] = (char)b;
				rc = head ? vf_case_parsehead(&c, in.p, in.len,
				    in.len, 0, err, sizeof(err)) :
				    vf_case_parse(&c, in.p, in.len, err,
				    sizeof(err));
				if ((b > 0x20 && b < 0x7f && b != ':') ||
				    (b == ':' && i > 0)) {
					ck_assert_msg(rc == 0, "byte %d at %zu: "
					    "%s", b, i, err);
					memcpy(want, at, n);
					want[b == ':' ? i : n] = '\0';
					ck_assert_msg(vf_case_get(&c, want) !=
					    NULL, "byte %d at %zu: no %s", b, i,
					    want);
					vf_case_free(&c);
				} else
					ck_assert_msg(rc == EX_DATAERR &&
					    strstr(err, "malformed header "
					    "line") != NULL, "byte %d at %zu "
					    "(%s): %d %s", b, i, head ? "head" :
					    "whole", rc, err);
				at[i] = name[i];
			}
	vf_buf_free(&in);
	free(buf);
}
END_TEST

/*
 * Every byte at every place of a field name of 40 bytes (the reader
 * takes a name sixteen bytes a step, and the bytes after the last whole
 * step one by one): a letter or a digit is a name byte anywhere, '.',
 * '_' and '-' after the first, anything else (':' too: no ": " follows)
 * makes the line not "name: value". Both readers.
 */
START_TEST(field_name_bytes)
{
	static const char name[] = "vuln.abcdefghijklmnopqrstuvwxyz0123456789";
	struct vf_buf out = { 0 };
	struct vf_case c;
	char err[256], want[sizeof(name)], *at;
	size_t i, n = sizeof(name) - 1;
	int b, head, rc, ok;

	vf_case_init(&c, "2026-00042", "names", T);
	vf_case_field_set(&c, "product.name", "Example");
	vf_case_field_set(&c, name, "v");
	vf_case_write(&c, &out);
	vf_case_free(&c);
	ck_assert_ptr_nonnull(at = strstr(out.p, name));
	for (head = 0; head < 2; head++)
		for (i = 0; i < n; i++)
			for (b = 0; b < 256; b++) {
				if (b == '\n' || (i == 0 && b == '\t'))
					continue;	/* other lines */
				at[i] = (char)b;
				rc = head ? vf_case_parsehead(&c, out.p,
				    out.len, out.len, 0, err, sizeof(err)) :
				    vf_case_parse(&c, out.p, out.len, err,
				    sizeof(err));
				ok = (b >= 'a' && b <= 'z') || (b >= 'A' &&
				    b <= 'Z') || (b >= '0' && b <= '9') ||
				    (i > 0 && (b == '.' || b == '_' ||
				    b == '-'));
				if (ok) {
					ck_assert_msg(rc == 0, "byte %d at %zu: "
					    "%s", b, i, err);
					memcpy(want, at, n);
					want[n] = '\0';
					ck_assert_msg(vf_case_field(&c, want) !=
					    NULL, "byte %d at %zu: no field",
					    b, i);
					vf_case_free(&c);
				} else
					ck_assert_msg(rc == EX_DATAERR &&
					    strstr(err, b == 0 ? "NUL byte in "
					    "the fields" : "not \"name: value\" "
					    "in the fields") != NULL, "byte %d "
					    "at %zu (%s): %d %s", b, i, head ?
					    "head" : "whole", rc, err);
				at[i] = name[i];
			}
	vf_buf_free(&out);
}
END_TEST

/*
 * A head case's tables are put in its arena while they fit, and go on in
 * malloc'ed ones when they grow past it: a case of many headers, fields,
 * history lines and parts reads the same by the head reader as whole,
 * at every first read, and from a file.
 */
START_TEST(head_many_tables)
{
	struct vf_buf out = { 0 };
	struct vf_case c, full, h;
	char name[64], val[64], dir[PATH_MAX], p[PATH_MAX], err[256];
	const char *t = getenv("TMPDIR");
	size_t i;
	int fd;

	vf_case_init(&c, "2026-00042", "tables", T);
	for (i = 0; i < 150; i++) {
		fmt(name, "X-Header-%zu", i);
		fmt(val, "value %zu", i);
		vf_case_set(&c, name, val);
	}
	for (i = 0; i < 300; i++) {
		fmt(name, "test.field-%zu", i);
		fmt(val, "value %zu", i);
		vf_case_field_set(&c, name, val);
	}
	for (i = 0; i < 200; i++)
		vf_case_history(&c, "test", "event %zu", i);
	for (i = 0; i < 40; i++)
		vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL, 0,
		    "a note", 6);
	vf_case_write(&c, &out);
	vf_case_free(&c);
	head_check(out.p, out.len, 1009);
	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/2026-00042", dir);
	ck_assert_int_ne(fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(write(fd, out.p, out.len), (ssize_t)out.len);
	close(fd);
	ck_assert_int_eq(vf_case_load(&full, p, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, 0, err,
	    sizeof(err)), 0);
	same_head(&full, &h, 0);
	vf_case_free(&h);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, VF_HEAD_PARTS, err,
	    sizeof(err)), 0);
	same_head(&full, &h, 1);
	vf_case_free(&h);
	vf_case_free(&full);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	vf_buf_free(&out);
}
END_TEST

/*
 * A file whole in the first read is parsed where it was read (its
 * arena): every fixture and every mutation of good.eml, as a file, read
 * by vf_case_loadhead gives what the whole reader gives, the same case,
 * or the same code and message (line numbers counted in the file as it
 * is, not in the arena the parse cut up).
 */
static void
loadhead_one(const char *p, const char *buf, size_t len)
{
	struct vf_case full, h;
	char err[256], herr[256];
	int fd, rc, hrc;

	ck_assert_int_ne(fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600),
	    -1);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	rc = vf_case_parse(&full, buf, len, err, sizeof(err));
	hrc = vf_case_loadhead(&h, AT_FDCWD, p, 0, herr, sizeof(herr));
	if (rc == 0) {
		ck_assert_msg(hrc == 0, "head refused what the whole reader "
		    "accepts: %s", herr);
		same_head(&full, &h, 0);
		vf_case_free(&h);
		vf_case_free(&full);
		return;
	}
	if (hrc == 0) {
		vf_case_free(&h);	/* the fault is past the head */
		return;
	}
	ck_assert_int_eq(hrc, rc);
	ck_assert_msg(strcmp(herr, err) == 0, "head \"%s\", whole \"%s\"",
	    herr, err);
}

START_TEST(loadhead_inplace)
{
	static const char subst[] = { '\n', ':', '\0', 'x' };
	char dir[PATH_MAX], p[PATH_MAX], *buf, keep;
	const char *t = getenv("TMPDIR");
	size_t i, k, len;

	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/2026-00042", dir);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = fixture(files[i], &len);
		loadhead_one(p, buf, len);
		free(buf);
	}
	buf = fixture("good.eml", &len);
	for (i = 0; i < len; i++) {
		keep = buf[i];
		for (k = 0; k < sizeof(subst); k++)
			if (subst[k] != keep) {
				buf[i] = subst[k];
				loadhead_one(p, buf, len);
			}
		buf[i] = keep;
	}
	free(buf);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * Heads ending on either side of the 4 KiB and 8 KiB first reads, in
 * files with a long part after them, read one after the other with a
 * small head between (the first read's size follows the last head
 * read): the same case as the whole reader's, and with a NUL put in the
 * history, the same error.
 */
START_TEST(head_first_sizes)
{
	struct vf_case c, full, h;
	struct vf_buf out = { 0 }, val = { 0 };
	char dir[PATH_MAX], p[PATH_MAX], err[256], herr[256], *at;
	const char *t = getenv("TMPDIR");
	size_t len, k;
	int fd, bad, rc;

	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/2026-00009", dir);
	for (len = 2900; len < 9000; len += 97)
		for (k = 0; k < 3; k++)
			for (bad = 0; bad < 2; bad++) {
				vf_case_init(&c, "2026-00009", "sizes", T);
				val.len = 0;
				while (val.len < (k == 1 ? 10 : len))
					vf_buf_addc(&val, val.len % 60 == 59 ?
					    '\t' : 'v');
				vf_case_field_set(&c, "vuln.summary", val.p);
				vf_case_history(&c, "test", "one");
				vf_case_add_part(&c, VF_PART_NOTE, "text/plain",
				    NULL, 0, val.p, val.len);
				out.len = 0;
				vf_case_write(&c, &out);
				vf_case_free(&c);
				if (bad) {
					at = strstr(out.p, "test: one");
					ck_assert_ptr_nonnull(at);
					at[4] = '\0';
				}
				ck_assert_int_ne(fd = open(p, O_WRONLY |
				    O_CREAT | O_TRUNC, 0600), -1);
				ck_assert_int_eq(write(fd, out.p, out.len),
				    (ssize_t)out.len);
				close(fd);
				rc = vf_case_load(&full, p, err, sizeof(err));
				ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD,
				    p, 0, herr, sizeof(herr)), rc);
				if (rc != 0) {
					ck_assert_str_eq(herr, err);
					continue;
				}
				same_head(&full, &h, 0);
				vf_case_free(&h);
				vf_case_free(&full);
			}
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	vf_buf_free(&out);
	vf_buf_free(&val);
}
END_TEST

START_TEST(head_fixtures)
{
	struct vf_case full, h;
	char err[256], herr[256], *buf;
	size_t i, len, first;
	int rc, hrc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = fixture(files[i], &len);
		head_check(buf, len, 1);
		/*
		 * A fault in the headers, the fields or the history is the
		 * same error, message and line, whatever the first read.
		 */
		rc = vf_case_parse(&full, buf, len, err, sizeof(err));
		for (first = 1; rc != 0 && first <= len + 1; first += 7) {
			hrc = vf_case_parsehead(&h, buf, len, first, 0, herr,
			    sizeof(herr));
			if (hrc == 0) {
				vf_case_free(&h);
				continue;
			}
			ck_assert_msg(strcmp(herr, err) == 0, "%s, first "
			    "%zu: \"%s\", the whole reader \"%s\"", files[i],
			    first, herr, err);
		}
		if (rc == 0)
			vf_case_free(&full);
		free(buf);
	}
}
END_TEST

/* Every cut and every mutation of a good file, both readers. */
START_TEST(head_cuts_mutations)
{
	static const char subst[] = { '\n', '\t', ' ', '-', ':', '\0', 'x' };
	char *buf, keep;
	size_t i, k, len;

	buf = fixture("good.eml", &len);
	for (i = 0; i <= len; i++)
		head_check(buf, i, 97);
	for (i = 0; i < len; i++) {
		keep = buf[i];
		for (k = 0; k < sizeof(subst); k++) {
			if (subst[k] == keep)
				continue;
			buf[i] = subst[k];
			head_check(buf, len, 211);
		}
		buf[i] = keep;
	}
	free(buf);
}
END_TEST

/*
 * A case whose history starts past the first read (a 30 KB field), with a
 * 3 MB report after it and a damaged part after that: the head reader
 * reads on to the end of the history and no further, so it accepts what
 * the whole reader refuses for the damage past the history; VF_HEAD_PARTS
 * reads every part and refuses it alike.
 */
START_TEST(head_large)
{
	struct vf_case c, h;
	struct vf_buf out = { 0 }, big = { 0 };
	char dir[PATH_MAX], p[PATH_MAX], err[256], herr[256], *at;
	const char *t = getenv("TMPDIR");
	size_t i;
	int fd;

	vf_case_init(&c, "2026-00007", "large", T);
	for (i = 0; i < 800; i++)
		vf_buf_printf(&big, "%sline %zu of a long proof of concept",
		    i > 0 ? "\n" : "", i);
	vf_case_field_set(&c, "vuln.reproduce", big.p);
	vf_case_field_set(&c, "product.name", "\xef\xbc\xa6oo");
	vf_case_history(&c, "test", "one");
	vf_case_history(&c, "test", "two");
	big.len = 0;
	for (i = 0; i < 3 * 1024 * 1024 / 64; i++)
		vf_buf_adds(&big, "0123456789abcdef0123456789abcdef"
		    "0123456789abcdef012345678901234\n");
	vf_case_add_part(&c, VF_PART_REPORT, "text/plain; charset=utf-8",
	    NULL, 0, big.p, big.len);
	vf_case_add_part(&c, VF_PART_NOTE, "text/plain; charset=utf-8",
	    NULL, 0, "a note", 6);
	vf_case_write(&c, &out);
	vf_case_free(&c);
	/* The history past twice the first read (8 KiB). */
	ck_assert_uint_gt(strstr(out.p, "Vf-Part: history") - out.p, 16384);

	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/2026-00007", dir);
	ck_assert_int_ne(fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(write(fd, out.p, out.len), (ssize_t)out.len);
	close(fd);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), 0);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, 0, herr,
	    sizeof(herr)), 0);
	same_head(&c, &h, 0);
	vf_case_free(&h);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, VF_HEAD_PARTS,
	    herr, sizeof(herr)), 0);
	same_head(&c, &h, 1);
	ck_assert_uint_eq(h.part[2].len, big.len);
	vf_case_free(&h);
	vf_case_free(&c);
	head_check(out.p, out.len, 4093);

	/* The note's boundary line damaged: past the history. */
	at = strstr(out.p, "Vf-Part: note");
	while (at > out.p && !(at[-1] == '\n' && at[0] == '-'))
		at--;
	at[2 + strcspn(at + 2, "\n")] = 'X';
	ck_assert_int_ne(fd = open(p, O_WRONLY | O_TRUNC), -1);
	ck_assert_int_eq(write(fd, out.p, out.len), (ssize_t)out.len);
	close(fd);
	ck_assert_int_eq(vf_case_load(&c, p, err, sizeof(err)), EX_DATAERR);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, 0, herr,
	    sizeof(herr)), 0);
	vf_case_free(&h);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, VF_HEAD_PARTS,
	    herr, sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, err);

	/* Missing, a directory, a link: vf_case_load's codes and words. */
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, dir, 0, herr,
	    sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, "not a regular file");
	/* A FIFO (pread fails on it): not a case file, in those words, read
	   by its head or by its parts. */
	fmt(p, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, 0, herr,
	    sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, "not a regular file");
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, VF_HEAD_PARTS,
	    herr, sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, "not a regular file");
	ck_assert_int_eq(unlink(p), 0);
	/* A device reads as empty (pread works on it): the same. */
	ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, "/dev/null", 0,
	    herr, sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, "not a regular file");
	ck_assert_int_eq(fd = open(dir, O_RDONLY | O_DIRECTORY), fd);
	ck_assert_int_eq(vf_case_loadhead(&h, fd, "nosuch", 0, herr,
	    sizeof(herr)), EX_NOINPUT);
	fmt(p, "%s/link", dir);
	ck_assert_int_eq(symlink("2026-00007", p), 0);
	ck_assert_int_eq(vf_case_loadhead(&h, fd, "link", 0, herr,
	    sizeof(herr)), EX_DATAERR);
	ck_assert_str_eq(herr, "a symbolic link, not a case file");
	close(fd);
	ck_assert_int_eq(unlink(p), 0);
	fmt(p, "%s/2026-00007", dir);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	vf_buf_free(&out);
	vf_buf_free(&big);
}
END_TEST

/*
 * Every part asked for: files about the first read's sizes (8 KiB for the
 * head, 16 KiB for every part) read whole in one read or more, the same
 * as vf_case_load gives.
 */
START_TEST(parts_first_read)
{
	static const size_t sizes[] = { 4095, 4096, 4097, 8191, 8192, 8193,
	    16383, 16384, 16385, 20000, 65536 };
	struct vf_case c, full, h;
	struct vf_buf out = { 0 }, note = { 0 };
	char dir[PATH_MAX], p[PATH_MAX], err[256], herr[256];
	const char *t = getenv("TMPDIR");
	size_t i, base;
	int fd;

	fmt(dir, "%s/vf-case.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fmt(p, "%s/2026-00008", dir);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* The note's body makes the file sizes[i] bytes long. */
		for (base = 0;;) {
			vf_case_init(&c, "2026-00008", "sizes", T);
			vf_case_field_set(&c, "product.name", "Example");
			vf_case_history(&c, "test", "one");
			note.len = 0;
			while (note.len < sizes[i] - base)
				vf_buf_addc(&note, note.len % 64 == 63 ? '\n' :
				    'a');
			vf_case_add_part(&c, VF_PART_NOTE, "text/plain", NULL,
			    0, note.p, sizes[i] > base ? sizes[i] - base : 0);
			out.len = 0;
			vf_case_write(&c, &out);
			vf_case_free(&c);
			if (out.len == sizes[i])
				break;
			ck_assert_uint_lt(out.len - (sizes[i] - base),
			    sizes[i]);
			base = out.len - (sizes[i] - base);
		}
		ck_assert_int_ne(fd = open(p, O_WRONLY | O_CREAT | O_TRUNC,
		    0600), -1);
		ck_assert_int_eq(write(fd, out.p, out.len), (ssize_t)out.len);
		close(fd);
		ck_assert_int_eq(vf_case_load(&full, p, err, sizeof(err)), 0);
		ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p,
		    VF_HEAD_PARTS, herr, sizeof(herr)), 0);
		same_head(&full, &h, 1);
		ck_assert_uint_eq(h.npart, 3);
		vf_case_free(&h);
		ck_assert_int_eq(vf_case_loadhead(&h, AT_FDCWD, p, 0, herr,
		    sizeof(herr)), 0);
		same_head(&full, &h, 0);
		vf_case_free(&h);
		vf_case_free(&full);
	}
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	vf_buf_free(&out);
	vf_buf_free(&note);
}
END_TEST

/* A head case is never written nor changed: each aborts, EX_SOFTWARE. */
static struct vf_case *
head_of_good(void)
{
	static struct vf_case h;
	char err[256], *buf;
	size_t len;

	buf = fixture("good.eml", &len);
	ck_assert_int_eq(vf_case_parsehead(&h, buf, len, len, 0, err,
	    sizeof(err)), 0);
	free(buf);
	return &h;
}

START_TEST(head_write_aborts)
{
	struct vf_buf out = { 0 };

	vf_case_write(head_of_good(), &out);
}
END_TEST

START_TEST(head_set_aborts)
{
	vf_case_set(head_of_good(), "Vf-Kind", "web");
}
END_TEST

START_TEST(head_field_aborts)
{
	vf_case_field_set(head_of_good(), "product.name", "x");
}
END_TEST

START_TEST(head_history_aborts)
{
	vf_case_history(head_of_good(), "test", "x");
}
END_TEST

START_TEST(head_part_aborts)
{
	vf_case_add_part(head_of_good(), VF_PART_NOTE, "text/plain", NULL, 0,
	    "x", 1);
}
END_TEST

static Suite *
case_suite(void)
{
	Suite *s = suite_create("case");
	TCase *tc = tcase_create("case");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, init_exact);
	tcase_add_test(tc, init_subject);
	tcase_add_test(tc, headers_set_get);
	tcase_add_exit_test(tc, set_crlf_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, set_cr_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, set_ctype_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, set_badname_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, field_badname_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, part_role_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, part_header_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, init_badid_aborts, EX_SOFTWARE);
	tcase_add_test(tc, fields_exact);
	tcase_add_test(tc, history_lines);
	tcase_add_test(tc, parts_round_trip);
	tcase_add_test(tc, descriptions);
	tcase_add_test(tc, normalized_part);
	tcase_add_test(tc, parts_take_ref_iov);
	tcase_add_test(tc, iov_hole);
	tcase_add_test(tc, fixture_good);
	tcase_add_test(tc, fixture_bad);
	tcase_add_test(tc, every_prefix);
	tcase_add_test(tc, every_mutation);
	tcase_add_test(tc, load_files);
	tcase_add_test(tc, header_name_bytes);
	tcase_add_test(tc, field_name_bytes);
	tcase_add_test(tc, head_many_tables);
	tcase_add_test(tc, head_fixtures);
	tcase_add_test(tc, loadhead_inplace);
	tcase_add_test(tc, head_first_sizes);
	tcase_add_test(tc, head_cuts_mutations);
	tcase_add_test(tc, head_large);
	tcase_add_test(tc, parts_first_read);
	tcase_add_exit_test(tc, head_write_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, head_set_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, head_field_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, head_history_aborts, EX_SOFTWARE);
	tcase_add_exit_test(tc, head_part_aborts, EX_SOFTWARE);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(case_suite)
