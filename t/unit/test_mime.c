/*
 * Mail and MIME parsing: the well-formed cases exactly, and the broken
 * and hostile ones (missing delimiters, nesting bombs, bad encodings,
 * header floods) without a crash, within the limits, with a reason.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "vf.h"

#define NIHONGO "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"	/* 日本語 */

static int
parse(struct vf_mime *m, const char *s, const struct vf_limits *lim)
{
	return vf_mime_parse(m, s, strlen(s), lim);
}

/* The tree hangs together: parents, depths, data where it belongs. */
static void
check_tree(const struct vf_part *p, const struct vf_part *parent)
{
	size_t i;

	ck_assert_ptr_eq(p->parent, parent);
	ck_assert_int_eq(p->depth, parent ? parent->depth + 1 : 0);
	ck_assert_ptr_nonnull(p->type);
	if (p->nchild == 0)
		ck_assert_ptr_nonnull(p->data);
	else if (strncmp(p->type, "multipart/", 10) == 0)
		ck_assert_ptr_null(p->data);
	if (p->data != NULL)
		ck_assert(p->data[p->datalen] == '\0');
	ck_assert(p->body >= p->raw && p->body + p->bodylen ==
	    p->raw + p->rawlen);
	for (i = 0; i < p->nchild; i++)
		check_tree(p->child[i], p);
}

START_TEST(limits_default)
{
	struct vf_limits l;

	vf_limits_default(&l);
	ck_assert_uint_eq(l.message, 32 * 1024 * 1024);
	ck_assert_uint_eq(l.header, 64 * 1024);
	ck_assert_uint_eq(l.headers, 1000);
	ck_assert_int_eq(l.depth, 32);
	ck_assert_int_eq(l.parts, 1000);
	ck_assert_uint_eq(l.decoded, 64 * 1024 * 1024);
}
END_TEST

START_TEST(normalize)
{
	char a[] = "From someone@example.com Mon Jan  1 00:00:00 2026\r\n"
	    "Subject: x\r\n\r\nline\rtwo\r\r\nthree\n";
	char b[] = "Subject: From\r\n\r\nFrom here\r";
	char c[] = "From ";
	size_t n;

	n = vf_mail_normalize(a, sizeof(a) - 1);
	ck_assert_uint_eq(n, strlen("Subject: x\n\nline\ntwo\n\nthree\n"));
	ck_assert(memcmp(a, "Subject: x\n\nline\ntwo\n\nthree\n", n) == 0);
	n = vf_mail_normalize(b, sizeof(b) - 1);
	ck_assert(memcmp(b, "Subject: From\n\nFrom here\n", n) == 0);
	ck_assert_uint_eq(n, strlen("Subject: From\n\nFrom here\n"));
	ck_assert_uint_eq(vf_mail_normalize(c, 5), 0);
	ck_assert_uint_eq(vf_mail_normalize(c, 0), 0);
}
END_TEST

START_TEST(headers)
{
	static const char odd[] =
	    "\xef\xbb\xbf   \nFrom x Mon Jan 1\nA: 1\0x\n\nb";
	const char *msg = "Subject: a\n  b\tc \nX-Empty:\nTo : x@y\n"
	    "\nbody\n";
	struct vf_kv *kv;
	const char *body;
	size_t n;
	int fl = -1;

	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_int_eq(fl, 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(kv[0].name, "Subject");
	ck_assert_str_eq(kv[0].value, "a  b\tc");
	ck_assert_str_eq(kv[1].name, "X-Empty");
	ck_assert_str_eq(kv[1].value, "");
	ck_assert_str_eq(kv[2].name, "To");
	ck_assert_str_eq(kv[2].value, "x@y");
	ck_assert_str_eq(body, "body\n");
	vf_headers_free(kv, n);

	/* No empty line: the body is at the end. */
	msg = "A: 1\nB: 2";
	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_eq(body, msg + strlen(msg));
	vf_headers_free(kv, n);

	/* Lines that are no fields are skipped and flagged. */
	msg = "A: 1\nnot a header\n: empty name\nB\x01: 2\nC: 3\n\nx";
	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_int_eq(fl, VF_PART_BADHDR);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv[1].name, "C");
	ck_assert_str_eq(body, "x");
	vf_headers_free(kv, n);

	/* No header block at all: the body starts at once. */
	msg = "Hello there,\nthis is text.\n\nMore: text\n";
	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_eq(body, msg);
	ck_assert_int_eq(fl, VF_PART_BADHDR);
	vf_headers_free(kv, n);

	/* Empty header block */
	msg = "\nbody";
	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(body, "body");
	ck_assert_int_eq(fl, 0);
	vf_headers_free(kv, n);

	/* A BOM, a stray continuation first (flanker), mbox line, a NUL */
	ck_assert_int_eq(vf_headers_parse(odd, sizeof(odd) - 1, NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(kv[0].name, "A");
	ck_assert_str_eq(kv[0].value, "1 x");
	ck_assert_int_eq(fl, VF_PART_BADHDR);
	ck_assert_str_eq(body, "b");
	vf_headers_free(kv, n);

	/* A header that ends in a line of white space (perl's fakeout) */
	msg = "A: 1\n \nnot a header\n\nbody";
	ck_assert_int_eq(vf_headers_parse(msg, strlen(msg), NULL, &kv, &n,
	    &body, &fl), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(kv[0].value, "1");
	ck_assert_str_eq(body, "body");
	vf_headers_free(kv, n);
}
END_TEST

START_TEST(headers_limits)
{
	struct vf_limits lim;
	struct vf_kv *kv;
	struct vf_buf b = { NULL, 0, 0 };
	const char *body;
	size_t n, i;
	int fl;

	vf_limits_default(&lim);
	lim.header = 20;
	lim.headers = 3;
	/* Too long when unfolded: dropped, the rest kept */
	vf_buf_adds(&b, "A: 1\nLong: 0123456789\n 0123456789\nB: 2\n\nbody");
	ck_assert_int_eq(vf_headers_parse(b.p, b.len, &lim, &kv, &n, &body,
	    &fl), EX_DATAERR);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv[1].name, "B");
	ck_assert_str_eq(body, "body");
	ck_assert(fl & VF_PART_TRUNCATED);
	vf_headers_free(kv, n);
	vf_buf_free(&b);
	/* Too many */
	for (i = 0; i < 10; i++)
		vf_buf_printf(&b, "H%zu: %zu\n", i, i);
	vf_buf_adds(&b, "\nbody");
	ck_assert_int_eq(vf_headers_parse(b.p, b.len, &lim, &kv, &n, &body,
	    &fl), EX_DATAERR);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(kv[2].name, "H2");
	ck_assert_str_eq(body, "body");
	vf_headers_free(kv, n);
	vf_buf_free(&b);
}
END_TEST

START_TEST(simple)
{
	struct vf_mime m;
	const char *msg = "Subject: hi\nContent-Type: Text/Plain; "
	    "Charset=\"ISO-2022-JP\"\nContent-Transfer-Encoding: 7BIT\n\n"
	    "\x1b$BF|K\\8l\x1b(B\n";
	char *t;
	size_t tl;

	ck_assert_int_eq(parse(&m, msg, NULL), 0);
	ck_assert_uint_eq(m.nparts, 1);
	ck_assert_str_eq(m.why, "");
	ck_assert_int_eq(m.limit, 0);
	check_tree(m.root, NULL);
	ck_assert_str_eq(m.root->type, "text/plain");
	ck_assert_str_eq(m.root->charset, "iso-2022-jp");
	ck_assert_str_eq(m.root->cte, "7bit");
	ck_assert_ptr_eq(m.root->raw, msg);
	ck_assert_uint_eq(m.root->rawlen, strlen(msg));
	ck_assert_str_eq(m.root->data, "\x1b$BF|K\\8l\x1b(B\n");
	ck_assert_str_eq(vf_part_header(m.root, "SUBJECT"), "hi");
	ck_assert_ptr_null(vf_part_header(m.root, "From"));
	t = vf_part_text(m.root, &tl);
	ck_assert_str_eq(t, NIHONGO "\n");
	ck_assert_uint_eq(tl, strlen(NIHONGO "\n"));
	free(t);
	vf_mime_free(&m);

	/* The text loses a byte order mark, which would hide a label. */
	ck_assert_int_eq(parse(&m, "Content-Type: text/plain; charset=utf-8"
	    "\n\n\xef\xbb\xbf" "Name: x\n", NULL), 0);
	t = vf_part_text(m.root, &tl);
	ck_assert_str_eq(t, "Name: x\n");
	ck_assert_uint_eq(tl, 8);
	free(t);
	vf_mime_free(&m);
	ck_assert_int_eq(parse(&m, "Content-Type: text/plain; charset=utf-16"
	    "\nContent-Transfer-Encoding: base64\n\n//5OAGEAbQBlAA==\n",
	    NULL), 0);
	t = vf_part_text(m.root, &tl);
	ck_assert_str_eq(t, "Name");
	free(t);
	vf_mime_free(&m);

	/* No Content-Type, no headers, empty */
	ck_assert_int_eq(parse(&m, "just text", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	ck_assert_str_eq(m.root->data, "just text");
	vf_mime_free(&m);
	ck_assert_int_eq(parse(&m, "", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	ck_assert_str_eq(m.root->data, "");
	vf_mime_free(&m);
	ck_assert_int_eq(vf_mime_parse(&m, NULL, 0, NULL), 0);
	vf_mime_free(&m);
	/* Freeing twice, or what was never parsed, is harmless. */
	vf_mime_free(&m);
	/* Broken Content-Types */
	ck_assert_int_eq(parse(&m, "Content-Type: text\n\nx", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	vf_mime_free(&m);
	ck_assert_int_eq(parse(&m, "Content-Type: image/png;name=a.png "
	    "(comment)\n\nx", NULL), 0);
	ck_assert_str_eq(m.root->type, "image/png");
	ck_assert_str_eq(m.root->filename, "a.png");
	vf_mime_free(&m);
	ck_assert_int_eq(parse(&m, "Content-Type: text/html charset=utf-8"
	    "\n\nx", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/html");
	ck_assert_str_eq(m.root->charset, "utf-8");
	vf_mime_free(&m);
	ck_assert_int_eq(parse(&m, "Content-Type: /\n\nx", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	vf_mime_free(&m);
}
END_TEST

static const char multi[] =
    "From: a@example.com\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\n"
    "\n"
    "preamble\n"
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "first\n"
    "\n"
    "--b1  \n"
    "Content-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename*=UTF-8''%E6%97%A5.bin\n"
    "Content-Transfer-Encoding: Base64\n"
    "\n"
    "AAEC\n"
    "/w==\n"
    "--b1x\n"
    "--b1--\n"
    "epilogue\n"
    "--b1\n";

START_TEST(multipart)
{
	struct vf_mime m;
	struct vf_part *p, *a;

	ck_assert_int_eq(parse(&m, multi, NULL), 0);
	ck_assert_str_eq(m.why, "malformed base64 in part 3");
	check_tree(m.root, NULL);
	p = m.root;
	ck_assert_str_eq(p->type, "multipart/mixed");
	ck_assert_str_eq(p->boundary, "b1");
	ck_assert_ptr_null(p->data);
	ck_assert_uint_eq(p->nchild, 2);
	ck_assert_uint_eq(m.nparts, 3);
	ck_assert_int_eq(p->flags, 0);

	a = p->child[0];
	ck_assert_str_eq(a->type, "text/plain");
	ck_assert_str_eq(a->charset, "utf-8");
	/* The part ends before the line end that precedes the delimiter. */
	ck_assert_uint_eq(a->rawlen, strlen("Content-Type: text/plain; "
	    "charset=utf-8\n\nfirst\n"));
	ck_assert(memcmp(a->raw, "Content-Type: text/plain", 24) == 0);
	ck_assert_str_eq(a->data, "first\n");
	ck_assert_uint_eq(a->bodylen, 6);

	a = p->child[1];
	ck_assert_str_eq(a->type, "application/octet-stream");
	ck_assert_str_eq(a->cte, "base64");
	ck_assert_str_eq(a->filename, "\xe6\x97\xa5.bin");
	ck_assert_uint_eq(a->datalen, 4);
	ck_assert(memcmp(a->data, "\0\1\2\xff", 4) == 0);
	/* "--b1x" is not a delimiter: it is base64 junk in this part. */
	ck_assert_int_eq(a->flags, VF_PART_BADENC);
	vf_mime_free(&m);
}
END_TEST

/* RFC 3156: the signed part is the exact bytes between the delimiters. */
START_TEST(signed_raw)
{
	static const char msg[] =
	    "Content-Type: multipart/signed; micalg=pgp-sha256;\n"
	    "  protocol=\"Application/PGP-Signature\"; boundary=sig\n"
	    "\n"
	    "--sig\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "signed text\n"
	    "   \n"
	    "--sig\n"
	    "Content-Type: application/pgp-signature\n"
	    "\n"
	    "-----BEGIN PGP SIGNATURE-----\n"
	    "-----END PGP SIGNATURE-----\n"
	    "\n"
	    "--sig--\n";
	static const char want[] =
	    "Content-Type: text/plain\n\nsigned text\n   ";
	struct vf_mime m;
	struct vf_part *p;

	ck_assert_int_eq(parse(&m, msg, NULL), 0);
	p = m.root;
	ck_assert_str_eq(p->type, "multipart/signed");
	ck_assert_str_eq(p->protocol, "application/pgp-signature");
	ck_assert_uint_eq(p->nchild, 2);
	ck_assert_uint_eq(p->child[0]->rawlen, sizeof(want) - 1);
	ck_assert(memcmp(p->child[0]->raw, want, sizeof(want) - 1) == 0);
	ck_assert_ptr_eq(p->child[0]->raw, strstr(msg, "Content-Type: text"));
	ck_assert_str_eq(p->child[1]->type, "application/pgp-signature");
	ck_assert_str_eq(p->child[1]->data, "-----BEGIN PGP SIGNATURE-----\n"
	    "-----END PGP SIGNATURE-----\n");
	vf_mime_free(&m);
}
END_TEST

START_TEST(multipart_broken)
{
	struct vf_mime m;
	struct vf_part *p;

	/* No closing delimiter: the last part is kept. */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=b\n\n--b\n\none\n--b\n\ntwo\n", NULL), 0);
	p = m.root;
	ck_assert_uint_eq(p->nchild, 2);
	ck_assert(p->flags & VF_PART_NOEND);
	ck_assert_str_eq(p->child[1]->data, "two\n");
	ck_assert_str_eq(m.why, "multipart without closing delimiter in "
	    "part 1");
	vf_mime_free(&m);

	/* No boundary parameter: a text/plain leaf of its body */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed\n\n--b\n"
	    "\nx\n--b--\n", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	ck_assert_uint_eq(m.root->nchild, 0);
	ck_assert_str_eq(m.root->data, "--b\n\nx\n--b--\n");
	ck_assert_str_eq(m.why, "multipart without boundary in part 1");
	vf_mime_free(&m);

	/* No delimiter in the body */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=zz\n\n--b\n\nx\n", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	ck_assert_str_eq(m.root->data, "--b\n\nx\n");
	ck_assert_str_eq(m.why, "no MIME delimiter found in part 1");
	vf_mime_free(&m);

	/* Only a closing delimiter */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=b\n\n--b--\n", NULL), 0);
	ck_assert_str_eq(m.root->type, "text/plain");
	vf_mime_free(&m);

	/* A part without headers and without the empty line */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=b\n\n--b\nHello,\nworld\n--b--\n", NULL), 0);
	ck_assert_uint_eq(m.root->nchild, 1);
	ck_assert_str_eq(m.root->child[0]->data, "Hello,\nworld");
	ck_assert(m.root->child[0]->flags & VF_PART_BADHDR);
	vf_mime_free(&m);

	/* Empty parts between adjacent delimiters */
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=b\n\n--b\n--b\n\nx\n--b--", NULL), 0);
	ck_assert_uint_eq(m.root->nchild, 2);
	ck_assert_uint_eq(m.root->child[0]->rawlen, 0);
	ck_assert_str_eq(m.root->child[1]->data, "x");
	check_tree(m.root, NULL);
	vf_mime_free(&m);
}
END_TEST

START_TEST(nested)
{
	struct vf_mime m;
	struct vf_part *p;
	const char *msg =
	    "Content-Type: multipart/mixed; boundary=outer\n\n"
	    "--outer\n"
	    "Content-Type: multipart/alternative; boundary=outer-inner\n\n"
	    "--outer-inner\n\nplain\n"
	    "--outer-inner\nContent-Type: text/html\n\n<p>html</p>\n"
	    "--outer-inner--\n"
	    "--outer\n"
	    "Content-Type: message/rfc822\n\n"
	    "From x@y Mon Jan  1 00:00:00 2026\n"
	    "Subject: inner\n"
	    "Content-Type: multipart/mixed; boundary=outer\n\n"
	    "(the same boundary again: the outer one wins)\n"
	    "--outer\n"
	    "Content-Type: multipart/digest; boundary=d\n\n"
	    "--d\n\nSubject: digested\n\nbody\n--d--\n"
	    "--outer--\n";

	ck_assert_int_eq(parse(&m, msg, NULL), 0);
	check_tree(m.root, NULL);
	p = m.root;
	ck_assert_uint_eq(p->nchild, 3);
	ck_assert_str_eq(p->child[0]->type, "multipart/alternative");
	ck_assert_uint_eq(p->child[0]->nchild, 2);
	ck_assert_str_eq(p->child[0]->child[0]->data, "plain");
	ck_assert_str_eq(p->child[0]->child[1]->type, "text/html");
	ck_assert_int_eq(p->child[0]->child[1]->depth, 2);

	/* message/rfc822: the enclosed message is the one child. */
	ck_assert_str_eq(p->child[1]->type, "message/rfc822");
	ck_assert_uint_eq(p->child[1]->nchild, 1);
	ck_assert_ptr_null(p->child[1]->data);
	ck_assert_str_eq(vf_part_header(p->child[1]->child[0], "Subject"),
	    "inner");
	/* Its multipart lost its delimiters to the outer boundary. */
	ck_assert_str_eq(p->child[1]->child[0]->type, "text/plain");

	/* multipart/digest: parts default to message/rfc822 */
	ck_assert_str_eq(p->child[2]->child[0]->type, "message/rfc822");
	ck_assert_str_eq(vf_part_header(p->child[2]->child[0]->child[0],
	    "Subject"), "digested");
	ck_assert_str_eq(p->child[2]->child[0]->child[0]->data, "body");
	ck_assert_uint_eq(m.nparts, 9);
	vf_mime_free(&m);
}
END_TEST

START_TEST(message_global)
{
	struct vf_mime m;
	const char *msg = "Content-Type: message/global\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "U3ViamVjdDog5pel5pys6KqeCgpib2R5Cg==\n";

	ck_assert_int_eq(parse(&m, msg, NULL), 0);
	ck_assert_uint_eq(m.root->nchild, 1);
	ck_assert_str_eq(vf_part_header(m.root->child[0], "Subject"),
	    NIHONGO);
	ck_assert_str_eq(m.root->child[0]->data, "body\n");
	check_tree(m.root, NULL);
	vf_mime_free(&m);
}
END_TEST

/* A one-part message in b (which the tree points into). */
static struct vf_part *
leaf(struct vf_mime *m, struct vf_buf *b, const char *cte, const char *body)
{
	b->len = 0;
	vf_buf_printf(b, "Content-Transfer-Encoding: %s\n\n%s", cte, body);
	ck_assert_int_eq(vf_mime_parse(m, b->p, b->len, NULL), 0);
	return m->root;
}

START_TEST(transfer)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_mime m;
	struct vf_part *p;

	p = leaf(&m, &b, "base64", "5pel5pys\n6Kqe\n");
	ck_assert_str_eq(p->data, NIHONGO);
	ck_assert_int_eq(p->flags, 0);
	vf_mime_free(&m);
	/* Missing padding, junk, concatenated encodings */
	p = leaf(&m, &b, "base64", "YWJj\nZA");
	ck_assert_str_eq(p->data, "abcd");
	ck_assert_int_eq(p->flags, 0);
	vf_mime_free(&m);
	p = leaf(&m, &b, "base64", "YW*Jj!ZA==\nZWY=\n");
	ck_assert_str_eq(p->data, "abcdef");
	ck_assert_int_eq(p->flags, VF_PART_BADENC);
	ck_assert_str_eq(m.why, "malformed base64 in part 1");
	vf_mime_free(&m);
	/* A list's footer after the padding ends the data. */
	p = leaf(&m, &b, "base64", "YWJjZA==\n\n-- \nList footer\nZWY=\n");
	ck_assert_str_eq(p->data, "abcd");
	ck_assert_int_eq(p->flags, VF_PART_BADENC);
	vf_mime_free(&m);
	p = leaf(&m, &b, "base64", "YWJjZA==ZWY=\n");
	ck_assert_str_eq(p->data, "abcd");
	vf_mime_free(&m);
	p = leaf(&m, &b, "base64", "YWJjZA==\n  \n");
	ck_assert_str_eq(p->data, "abcd");
	ck_assert_int_eq(p->flags, 0);
	vf_mime_free(&m);
	p = leaf(&m, &b, "BASE64", "Y");
	ck_assert_str_eq(p->data, "");
	ck_assert_int_eq(p->flags, VF_PART_BADENC);
	vf_mime_free(&m);

	p = leaf(&m, &b, "quoted-printable", "caf=C3=A9 =\nsoft   \n"
	    "tab=09end\t \n=3d=3D =ZZ 100% =\n");
	ck_assert_str_eq(p->data, "caf\xc3\xa9 soft\ntab\tend\n== =ZZ 100% ");
	ck_assert_int_eq(p->flags, VF_PART_BADENC);
	ck_assert_str_eq(m.why, "malformed quoted-printable in part 1");
	vf_mime_free(&m);
	p = leaf(&m, &b, "quoted-printable", "a=\n=\nb=");
	ck_assert_str_eq(p->data, "ab");
	ck_assert_int_eq(p->flags, 0);
	vf_mime_free(&m);

	p = leaf(&m, &b, "8bit", "as =3D is\n");
	ck_assert_str_eq(p->data, "as =3D is\n");
	vf_mime_free(&m);
	p = leaf(&m, &b, "x-unknown", "as is");
	ck_assert_str_eq(p->data, "as is");
	ck_assert_str_eq(p->cte, "x-unknown");
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

START_TEST(depth_limit)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_limits lim;
	struct vf_mime m;
	struct vf_part *p;
	int i, d;

	for (i = 0; i < 40; i++)
		vf_buf_printf(&b, "Content-Type: multipart/mixed; "
		    "boundary=b%d\n\n--b%d\n", i, i);
	vf_buf_adds(&b, "\ndeep\n");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_int_eq(m.limit, 1);
	ck_assert_str_eq(m.why, "MIME nesting deeper than 32");
	check_tree(m.root, NULL);
	for (p = m.root, d = 0; p->nchild > 0; p = p->child[0])
		d++;
	ck_assert_int_eq(d, 32);
	/* The deepest multipart is kept, undecoded, as a leaf. */
	ck_assert_str_eq(p->type, "multipart/mixed");
	ck_assert(p->flags & VF_PART_TRUNCATED);
	ck_assert_ptr_nonnull(strstr(p->data, "deep"));
	vf_mime_free(&m);
	vf_buf_free(&b);

	/* message/rfc822 nesting counts too. */
	for (i = 0; i < 5000; i++)
		vf_buf_adds(&b, "Content-Type: message/rfc822\n\n");
	vf_buf_adds(&b, "deep\n");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_str_eq(m.why, "MIME nesting deeper than 32");
	vf_mime_free(&m);
	/* Whatever the caller allows, the recursion stays bounded. */
	vf_limits_default(&lim);
	lim.depth = INT_MAX;
	lim.parts = INT_MAX;
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, &lim), EX_DATAERR);
	ck_assert_str_eq(m.why, "MIME nesting deeper than 1000");
	ck_assert_uint_eq(m.nparts, 1001);
	check_tree(m.root, NULL);
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

/* A nesting bomb far past the limit is refused (a hang fails by timeout). */
START_TEST(depth_bomb)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_mime m;
	int i;

	for (i = 0; i < 100000; i++)
		vf_buf_adds(&b, "Content-Type: multipart/mixed; boundary=b\n\n"
		    "--b\n");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_int_eq(m.limit, 1);
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

START_TEST(parts_limit)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_limits lim;
	struct vf_mime m;
	int i;

	vf_buf_adds(&b, "Content-Type: multipart/mixed; boundary=b\n\n");
	for (i = 0; i < 200000; i++)
		vf_buf_adds(&b, "--b\n\nx\n");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_str_eq(m.why, "more than 1000 MIME parts");
	ck_assert_uint_eq(m.nparts, 1000);
	ck_assert_uint_eq(m.root->nchild, 999);
	check_tree(m.root, NULL);
	vf_mime_free(&m);

	vf_limits_default(&lim);
	lim.parts = 1;
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, &lim), EX_DATAERR);
	ck_assert_uint_eq(m.nparts, 1);
	/* Nothing could be added: the multipart is kept undecoded. */
	ck_assert_ptr_nonnull(m.root->data);
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

START_TEST(decoded_limit)
{
	struct vf_limits lim;
	struct vf_mime m;
	const char *msg = "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Transfer-Encoding: base64\n\nYWJjZGVmZ2hpams=\n"
	    "--b\n\nmore\n--b--\n";

	vf_limits_default(&lim);
	lim.decoded = 8;
	ck_assert_int_eq(parse(&m, msg, &lim), EX_DATAERR);
	ck_assert_str_eq(m.root->child[0]->data, "abcdefgh");
	ck_assert(m.root->child[0]->flags & VF_PART_TRUNCATED);
	ck_assert_str_eq(m.root->child[1]->data, "");
	ck_assert(m.root->child[1]->flags & VF_PART_TRUNCATED);
	ck_assert_uint_eq(m.decoded, 8);
	ck_assert_str_eq(m.why, "decoded parts larger than 8 bytes (part 2)");
	vf_mime_free(&m);
	/* Exactly at the limit is not over it. */
	lim.decoded = 15;
	ck_assert_int_eq(parse(&m, "Content-Transfer-Encoding: base64\n\n"
	    "YWJjZGVmZ2hpamtsbW5v\n", &lim), 0);
	ck_assert_uint_eq(m.root->datalen, 15);
	vf_mime_free(&m);
}
END_TEST

START_TEST(other_limits)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_limits lim;
	struct vf_mime m;
	size_t i;

	vf_limits_default(&lim);
	lim.message = 10;
	ck_assert_int_eq(parse(&m, "Subject: x\n\nbody", &lim), EX_DATAERR);
	ck_assert_str_eq(m.why, "message larger than 10 bytes");
	ck_assert(m.root->flags & VF_PART_TRUNCATED);
	ck_assert_uint_eq(m.root->rawlen, 10);
	vf_mime_free(&m);

	vf_buf_adds(&b, "Subject: ");
	for (i = 0; i < 70000; i++)
		vf_buf_addc(&b, 'x');
	vf_buf_adds(&b, "\nContent-Type: text/html\n\nbody");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_str_eq(m.why, "header field longer than 65536 bytes in "
	    "part 1");
	ck_assert_str_eq(m.root->type, "text/html");
	ck_assert_str_eq(m.root->data, "body");
	vf_mime_free(&m);
	vf_buf_free(&b);

	for (i = 0; i < 5000; i++)
		vf_buf_adds(&b, "X: y\n");
	vf_buf_adds(&b, "\nbody");
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_str_eq(m.why, "more than 1000 header fields in part 1");
	ck_assert_uint_eq(m.root->nhdr, 1000);
	ck_assert_str_eq(m.root->data, "body");
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

/* A defect noted first gives way to the limit that failed the parse. */
START_TEST(why_order)
{
	struct vf_limits lim;
	struct vf_mime m;

	vf_limits_default(&lim);
	lim.decoded = 2;
	ck_assert_int_eq(parse(&m, "Content-Type: multipart/mixed; "
	    "boundary=b\n\n--b\nContent-Transfer-Encoding: base64\n\n!!\n"
	    "--b\n\nlong text\n--b--\n", &lim), EX_DATAERR);
	ck_assert_str_eq(m.why, "decoded parts larger than 2 bytes (part 3)");
	vf_mime_free(&m);
}
END_TEST

/* Random mutations of real structure: no crash, a sound tree. */
START_TEST(random_mail)
{
	static const char *bits[] = {
		"\0",
		"Content-Type: multipart/mixed; boundary=b\n",
		"Content-Type: multipart/digest; boundary=\"c\"\n",
		"Content-Type: message/rfc822\n",
		"Content-Transfer-Encoding: base64\n",
		"Content-Transfer-Encoding: quoted-printable\n",
		"Content-Type: text/plain; charset=iso-2022-jp\n",
		"Content-Type: text/plain; charset=shift_jis\n",
		"Subject: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=\n",
		"\n", "--b\n", "--b--\n", "--c\n", "--c--\n", "=\n", "=4",
		"\x1b$B", "\x82\xa0", "5pel", "====", " \n", ":", "x",
		"\xff", "From x\n",
	};
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_mime m;
	unsigned long seed = 42;
	size_t i, j, k, n;
	char *t;

	for (i = 0; i < 3000; i++) {
		b.len = 0;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = (seed >> 33) % 40;
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL +
			    1442695040888963407UL;
			j = (seed >> 35) % (sizeof(bits) / sizeof(bits[0]));
			/* bits[0] on its own: a NUL byte */
			vf_buf_add(&b, bits[j], j == 0 ? 1 : strlen(bits[j]));
		}
		(void)vf_mime_parse(&m, b.p ? b.p : "", b.len, NULL);
		check_tree(m.root, NULL);
		t = vf_part_text(m.root, NULL);
		free(t);
		vf_mime_free(&m);
	}
	vf_buf_free(&b);
}
END_TEST

/* A 100 KB mail parsed again and again: speed is for make bench. */
START_TEST(speed)
{
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_mime m;
	int i;

	vf_buf_adds(&b, "Subject: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain; charset=iso-2022-jp\n\n");
	for (i = 0; i < 500; i++)
		vf_buf_adds(&b, "\x1b$BF|K\\8l$N%F%-%9%H\x1b(B report text\n");
	vf_buf_adds(&b, "--b\nContent-Transfer-Encoding: base64\n\n");
	for (i = 0; i < 1300; i++)
		vf_buf_adds(&b, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlq"
		    "a2xtbm9wcXJzdHV2\n");
	vf_buf_adds(&b, "--b--\n");
	ck_assert_uint_gt(b.len, 100000);
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), 0);
		vf_mime_free(&m);
	}
	vf_buf_free(&b);
}
END_TEST

/* The corpus's endless enclosure, when the corpus is there. */
START_TEST(flanker_endless)
{
	const char *path = "../shared/corpora/flanker/tests/fixtures/"
	    "messages/enclosed-endless.eml";
	struct vf_buf b = { NULL, 0, 0 };
	struct vf_mime m;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return;		/* no corpus on this machine */
	ck_assert_int_eq(vf_buf_readfd(&b, fileno(f), 1 << 26), 0);
	fclose(f);
	b.len = vf_mail_normalize(b.p, b.len);
	ck_assert_int_eq(vf_mime_parse(&m, b.p, b.len, NULL), EX_DATAERR);
	ck_assert_int_eq(m.limit, 1);
	ck_assert_str_eq(m.why, "more than 1000 MIME parts");
	vf_mime_free(&m);
	vf_buf_free(&b);
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("mime");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, limits_default);
	tcase_add_test(tc, normalize);
	tcase_add_test(tc, headers);
	tcase_add_test(tc, headers_limits);
	tcase_add_test(tc, simple);
	tcase_add_test(tc, multipart);
	tcase_add_test(tc, signed_raw);
	tcase_add_test(tc, multipart_broken);
	tcase_add_test(tc, nested);
	tcase_add_test(tc, message_global);
	tcase_add_test(tc, transfer);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, depth_bomb);
	tcase_add_test(tc, parts_limit);
	tcase_add_test(tc, decoded_limit);
	tcase_add_test(tc, other_limits);
	tcase_add_test(tc, why_order);
	tcase_add_test(tc, random_mail);
	tcase_add_test(tc, speed);
	tcase_add_test(tc, flanker_endless);
	suite_add_tcase(s, tc);
	return s;
}

VF_UNIT_MAIN(mime_suite)
