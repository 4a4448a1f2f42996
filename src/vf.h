/*
 * vf.h - the one public header of libvf, shared by every tool and test.
 *
 * Conventions:
 *  - Functions that can fail for reasons a caller must act on return a
 *    sysexits(3) code (0, EX_DATAERR, EX_TEMPFAIL, ...) unless noted.
 *  - Out of memory never returns: vf_malloc and friends print a message and
 *    exit EX_TEMPFAIL (75) so the MTA retries the delivery.
 *  - Text handed between modules is UTF-8, NUL-terminated, with LF line ends.
 */
#ifndef VF_H
#define VF_H

#include <sys/types.h>
#include <sys/uio.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sysexits.h>
#include <time.h>

/* ---- memory (mem.c) ---------------------------------------------------- */

void	*vf_malloc(size_t);
void	*vf_calloc(size_t, size_t);
void	*vf_reallocarray(void *, size_t, size_t);
char	*vf_strdup(const char *);
char	*vf_strndup(const char *, size_t);

/* A growable byte string; p is always NUL-terminated (not counted in len). */
struct vf_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

void	 vf_buf_grow(struct vf_buf *, size_t);
void	 vf_buf_add(struct vf_buf *, const void *, size_t);
void	 vf_buf_adds(struct vf_buf *, const char *);
void	 vf_buf_addc(struct vf_buf *, int);
void	 vf_buf_printf(struct vf_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 vf_buf_vprintf(struct vf_buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 vf_buf_free(struct vf_buf *);
/* Detach the contents; the buffer is left empty. */
char	*vf_buf_take(struct vf_buf *, size_t *);
/*
 * Read fd to EOF, appending. 0 done; 1 more than max bytes (what was read is
 * kept, the rest is not read); -1 read error (errno set).
 */
int	 vf_buf_readfd(struct vf_buf *, int, size_t);

/* A name/value pair: headers, fields, configuration. */
struct vf_kv {
	char	*name;
	char	*value;
};

/* The first pair of that name (ASCII case ignored), or NULL. */
const struct vf_kv *vf_kv_find(const struct vf_kv *, size_t, const char *);

/* ---- limits (mime.c) --------------------------------------------------- */

struct vf_limits {
	size_t	message;	/* raw message bytes */
	size_t	header;		/* one header field, unfolded */
	size_t	headers;	/* header fields in one header block */
	int	depth;		/* multipart nesting */
	int	parts;		/* MIME parts in all */
	size_t	decoded;	/* decoded bytes of all parts together */
};

void	vf_limits_default(struct vf_limits *);

/* ---- mail and MIME (mail.c, mime.c) ------------------------------------ */

/*
 * Normalise a raw mail in place: drop a leading mbox "From " line, turn CRLF
 * and bare CR into LF. Returns the new length.
 */
size_t	vf_mail_normalize(char *, size_t);
/*
 * The identity of a mail: SHA-256 (64 lowercase hex digits and a NUL into
 * digest, 65 bytes) of what its sender wrote, the header fields but the
 * trace fields and the body, whatever mail system or mailbox handed it
 * over (see mail.c and vf-case(5)). Takes the mail as received.
 */
void	vf_mail_digest(const char *, size_t, char *);

/* Part flags: what was wrong with a part. */
#define VF_PART_TRUNCATED	0x01	/* a limit cut it short */
#define VF_PART_BADENC		0x02	/* transfer encoding was broken */
#define VF_PART_NOEND		0x04	/* multipart without closing delimiter */
#define VF_PART_BADHDR		0x08	/* malformed header lines skipped */

struct vf_part {
	struct vf_kv	*hdr;		/* name as written; value unfolded, raw */
	size_t		 nhdr;
	char		*type;		/* lowercase "type/subtype", never NULL */
	char		*charset;	/* lowercase, or NULL */
	char		*boundary;	/* multipart only */
	char		*protocol;	/* lowercase, multipart/signed|encrypted */
	char		*filename;	/* UTF-8 (RFC 2231/2047 decoded) or NULL */
	char		*cte;		/* lowercase transfer encoding or NULL */
	const char	*raw;		/* the part as in the message: */
	size_t		 rawlen;	/*   headers and body (RFC 3156 needs it) */
	const char	*body;		/* body as in the message */
	size_t		 bodylen;
	char		*data;		/* body, transfer encoding removed */
	size_t		 datalen;	/*   (not charset-converted; NUL after) */
	int		 depth;
	int		 flags;		/* VF_PART_* */
	struct vf_part	*parent;
	struct vf_part	**child;
	size_t		 nchild;
};

struct vf_mime {
	struct vf_part	*root;
	size_t		 nparts;
	size_t		 decoded;	/* bytes decoded so far */
	int		 limit;		/* a limit was crossed */
	char		 why[256];	/* first problem, for the case file */
};

/*
 * Parse a normalised message (see vf_mail_normalize); msg must outlive the
 * tree. Never fails on malformed input: what cannot be parsed is kept as a
 * text/plain leaf and noted in why. Returns 0, or EX_DATAERR when a limit was
 * crossed (the tree then holds what was parsed before it).
 */
int		 vf_mime_parse(struct vf_mime *, const char *, size_t,
		    const struct vf_limits *);
void		 vf_mime_free(struct vf_mime *);
/* First header of that name (case-insensitive), unfolded raw value, or NULL. */
const char	*vf_part_header(const struct vf_part *, const char *);
/* The part's data converted to UTF-8 from its charset (see vf_to_utf8). */
char		*vf_part_text(const struct vf_part *, size_t *);
/*
 * Parse a header block at msg (up to the empty line). Sets *body to the
 * first byte after the empty line. Used by the MIME parser and the case-file
 * reader. Returns 0, or EX_DATAERR when a limit was crossed.
 */
int		 vf_headers_parse(const char *, size_t, const struct vf_limits *,
		    struct vf_kv **, size_t *, const char **, int *);
void		 vf_headers_free(struct vf_kv *, size_t);

/* ---- header encodings (rfc2047.c) -------------------------------------- */

/* Decode RFC 2047 encoded words of a header value to UTF-8 (malloc'ed). */
char	*vf_hdr_decode(const char *);
/*
 * Append the UTF-8 string s as a header value to b, as RFC 2047 encoded
 * words where it is not plain printable ASCII, folded so that no line
 * exceeds 78 characters given that the line already holds `used`.
 */
void	 vf_hdr_encode(struct vf_buf *, const char *, size_t);
/*
 * Value of parameter `name` in a structured header value (Content-Type,
 * Content-Disposition), RFC 2231 continuations and charsets decoded to
 * UTF-8; malloc'ed or NULL.
 */
char	*vf_hdr_param(const char *, const char *);
/* The value up to the first ';', trimmed and lowercased (malloc'ed). */
char	*vf_hdr_token(const char *);

/* ---- charsets (charset.c) ---------------------------------------------- */

/*
 * Convert n bytes labelled `charset` (NULL or unknown: guess) to UTF-8 with
 * iconv. Never fails: a label that the bytes contradict (ISO-2022-JP escapes,
 * valid UTF-8, Shift_JIS or EUC-JP byte patterns) is overridden, and bytes
 * that convert in no way become U+FFFD. *used (if not NULL) is set to the
 * charset actually used (static string). Result is malloc'ed, NUL-terminated.
 */
char	*vf_to_utf8(const char *, size_t, const char *, size_t *,
	    const char **);
int	 vf_utf8_valid(const char *, size_t);

/* ---- running programs (run.c) ------------------------------------------ */

/*
 * One descriptor of the child. If in is not NULL, inlen bytes are written to
 * the child's fd; else the child's fd is read into out (at most max bytes;
 * more is read and thrown away, and `over` set).
 */
struct vf_io {
	int		 fd;		/* descriptor number in the child */
	const char	*in;
	size_t		 inlen;
	struct vf_buf	*out;
	size_t		 max;
	int		 over;
};

/*
 * posix_spawnp argv[0] with exactly these descriptors (and /dev/null on any
 * of 0, 1, 2 not named), feed and drain them all with poll(2), wait. *status
 * is the wait(2) status. Returns 0, or EX_TEMPFAIL / EX_OSERR / EX_UNAVAILABLE
 * (not found) when the program could not be run.
 */
int	 vf_run(char *const [], struct vf_io *, size_t, int *);
/* Kill the child vf_run is waiting for, if any (async-signal-safe). */
void	 vf_run_kill(void);

/* ---- gpg (gpg.c) ------------------------------------------------------- */

enum vf_sig {
	VF_SIG_NONE = 0,	/* no signature */
	VF_SIG_GOOD,		/* GOODSIG and VALIDSIG */
	VF_SIG_BAD,		/* BADSIG */
	VF_SIG_EXPIRED,		/* EXPSIG: signature expired */
	VF_SIG_EXPKEY,		/* EXPKEYSIG */
	VF_SIG_REVKEY,		/* REVKEYSIG */
	VF_SIG_NOKEY,		/* ERRSIG with NO_PUBKEY */
	VF_SIG_ERROR		/* ERRSIG otherwise, or GOODSIG without VALIDSIG */
};

enum vf_trust {
	VF_TRUST_UNKNOWN = 0, VF_TRUST_UNDEFINED, VF_TRUST_NEVER,
	VF_TRUST_MARGINAL, VF_TRUST_FULLY, VF_TRUST_ULTIMATE
};

/* What gpg's --status-fd said (see gpg.c for the exact rules). */
struct vf_gpg_status {
	int		decryption_okay;
	int		decryption_failed;
	int		badmdc;
	int		nodata;
	int		error;		/* ERROR or FAILURE lines, but for
					   "ERROR pkdecrypt_failed" (one of
					   several keys) and "FAILURE gpg-exit"
					   (the exit code again) */
	int		no_seckey;
	int		enc_to;		/* ENC_TO lines seen: it was encrypted */
	int		begin_decryption;
	int		plaintext;
	int		inv_recp;	/* INV_RECP: an unusable recipient */
	int		end_encryption;
	int		agent;		/* the agent could not be reached or
					   could not unlock the key */
	int		sys;		/* an ERROR/FAILURE with a system
					   (errno) code: gpg's home, disk */
	int		symmetric;	/* NEED_PASSPHRASE_SYM: passphrase-
					   encrypted, never decryptable here */
	enum vf_sig	sig;		/* the worst of all signatures */
	char		sig_fpr[41];	/* VALIDSIG primary key fingerprint,
					   40 uppercase hex (v4 only) */
	char		sig_keyid[17];
	enum vf_trust	trust;
};

/* Parse status-fd output (fuzzable; never fails, ignores unknown lines). */
void	 vf_gpg_status_parse(struct vf_gpg_status *, const char *, size_t);

struct vf_gpg {
	struct vf_gpg_status	 st;
	int			 wstatus;	/* wait(2) status of gpg */
	struct vf_buf		 out;		/* stdout: plaintext/ciphertext */
	struct vf_buf		 err;		/* stderr, for diagnostics */
	struct vf_buf		 status;	/* raw status lines */
	int			 over;		/* decrypt: plaintext beyond max */
};

/* Zero a struct vf_gpg before first use; each call replaces its contents. */
void	 vf_gpg_free(struct vf_gpg *);
/*
 * Each returns 0 when gpg's status says it worked (for decrypt: DECRYPTION_
 * OKAY, none of DECRYPTION_FAILED, BADMDC, NODATA, ERROR, gpg exited, output
 * not empty), EX_DATAERR when it permanently cannot (no key, bad data),
 * EX_TEMPFAIL when a retry could work (agent unreachable, out of resources),
 * EX_CONFIG for an unusable recipient (encrypt), EX_UNAVAILABLE when gpg
 * cannot be run. The program is $VF_GPG or "gpg".
 * decrypt(in, len, max, g) also takes signed-only data (clearsigned or
 * inline signed): 0 with the text in out and the verdict in st.sig. On any
 * return but 0, out is wiped and empty. Plaintext beyond max: EX_DATAERR
 * with over set. verify(data, len, sig, siglen, g): 0 when a signature was
 * checked, whatever the verdict (st.sig). encrypt(in, len, fpr, g): fpr is
 * the full fingerprint (40 or 64 hex digits), else EX_CONFIG.
 */
int	 vf_gpg_decrypt(const char *, size_t, size_t, struct vf_gpg *);
int	 vf_gpg_verify(const char *, size_t, const char *, size_t,
	    struct vf_gpg *);
int	 vf_gpg_encrypt(const char *, size_t, const char *, struct vf_gpg *);
/* The decision rule alone, on parsed status (for tests and fuzzing). */
int	 vf_gpg_decrypt_ok(const struct vf_gpg_status *, int, size_t);
const char *vf_sig_name(enum vf_sig);
const char *vf_trust_name(enum vf_trust);

/* ---- the field table (fields.c) ---------------------------------------- */

enum vf_class {
	VF_CLASS_REPORTER, VF_CLASS_VULN, VF_CLASS_STATUS, VF_CLASS_ATTACK
};

/* Kinds of report, as a bit mask where a set of kinds is meant. */
#define VF_KIND_SOFTWARE	0x1
#define VF_KIND_WEB		0x2
#define VF_KIND_VENDOR		0x4
#define VF_KIND_UNKNOWN		0x8	/* Vf-Kind: unknown, in masks only */

enum vf_format {
	VF_FMT_TEXT,		/* free text, many lines */
	VF_FMT_LINE,		/* one line */
	VF_FMT_EMAIL,
	VF_FMT_PHONE,
	VF_FMT_URL,
	VF_FMT_YESNO,		/* a choice: yes or no (checkboxes) */
	VF_FMT_CWE,		/* CWE-nnn or a name */
	VF_FMT_DATE		/* YYYY-MM-DD */
};

struct vf_field {
	char		*name;		/* e.g. "reporter.email" */
	enum vf_class	 class;
	int		 kinds;		/* VF_KIND_* it belongs to */
	int		 required;	/* VF_KIND_* that require it */
	enum vf_format	 format;
	char		**ja;		/* Japanese labels, first is canonical */
	size_t		 nja;
	char		**en;		/* English labels, first is canonical */
	size_t		 nen;
};

/*
 * What the table says besides fields, in its "@" lines: the words that
 * mark a section heading, a closing line or a required label, the answers
 * of yes/no fields, and the sentences that answer yes/no fields (see the
 * top of share/fields). Words are kept as written; the form parser
 * normalises them as it does the text.
 */
struct vf_words {
	char		**w;
	size_t		  n;
};

struct vf_sentence {
	char		**pat;		/* its patterns, as written */
	size_t		  npat;
	size_t		 *field;	/* the fields it answers (indexes) */
	char		 *yes;		/* per field: 1 yes, 0 no */
	size_t		  nfield;
};

struct vf_form_cache;

struct vf_fields {
	struct vf_field		*f;
	size_t			 n;
	struct vf_words		 heading;	/* "*X": a numbered line ending
						   in X */
	struct vf_words		 closing;	/* "X*": a line starting so */
	struct vf_words		 marker;	/* required markers */
	struct vf_words		 yes;		/* "*X": also at the end of a */
	struct vf_words		 no;		/*   short answer */
	struct vf_sentence	*s;
	size_t			 ns;
	/* The form parser's indexes of it, built on first use (form.c). */
	struct vf_form_cache	*cache;
};

/*
 * Load the field table (share/fields, see vf-case(5)). Returns 0, EX_NOINPUT
 * or EX_CONFIG with a message in err.
 */
int		 vf_fields_load(struct vf_fields *, const char *, char *, size_t);
void		 vf_fields_free(struct vf_fields *);
const struct vf_field *vf_fields_find(const struct vf_fields *, const char *);
const char	*vf_kind_name(int);		/* "software", "web", ... */
int		 vf_kind_parse(const char *);	/* 0 if unknown */
const char	*vf_class_name(enum vf_class);
const char	*vf_format_name(enum vf_format);

/* ---- the form (form.c) ------------------------------------------------- */

struct vf_form {
	int		 kind;		/* VF_KIND_* or 0 */
	struct vf_kv	*v;		/* fields found, in table order */
	size_t		 n;
};

/* Kind named by a (decoded) Subject, 0 if none. */
int	vf_form_kind_subject(const char *);
/*
 * Extract fields from a report's UTF-8 text by the labels of the table
 * (rules: the comment at the top of share/fields). Yes/no fields get "yes"
 * or "no" (the text as written when the answer is unclear). When
 * form->kind is 0 on entry it is guessed, from a title line of the text,
 * else from the fields; a known kind limits the labels to its fields.
 * Status fields are never taken from a report. form->v must be NULL or
 * from an earlier parse (it is freed). Returns the number of fields found.
 */
size_t	vf_form_parse(struct vf_form *, const struct vf_fields *, const char *,
	    size_t);
void	vf_form_free(struct vf_form *);
/*
 * The place a loaded table keeps the parser's indexes (one per kind,
 * built when first needed), so that parsing many texts with one table
 * builds them once; vf_fields_load and vf_fields_free call these. A
 * table is thus not for two threads parsing at once (no tool does).
 */
struct vf_form_cache *vf_form_cache_new(void);
void	vf_form_cache_free(struct vf_form_cache *);

/* ---- configuration (config.c) ------------------------------------------ */

struct vf_config {
	struct vf_kv	*kv;
	size_t		 n;
};

/*
 * Read ROOT/config: "key value" lines, '#' comments. Returns 0, or EX_CONFIG
 * (malformed, a key given twice, group/other-writable, or unreadable) with a
 * message in err. A missing file is an empty configuration.
 */
int		 vf_config_load(struct vf_config *, int, char *, size_t);
void		 vf_config_free(struct vf_config *);
const char	*vf_config_get(const struct vf_config *, const char *);
/* A number in [min, max], or def when unset; -1 and err when malformed. */
long long	 vf_config_num(const struct vf_config *, const char *key,
		    long long min, long long max, long long def, char *err,
		    size_t errlen);

/* ---- the tree (tree.c, id.c, log.c) ------------------------------------ */

/*
 * These functions warn(3) themselves about a failure (naming the path) and
 * return the sysexits code a tool exits with; vf_find's "not found" and
 * vf_path_state's NULL are silent.
 */
#define VF_IDLEN	32

/* The sysexits code for an errno of a file operation (ENOSPC: EX_TEMPFAIL). */
int	vf_errno_exit(int);


struct vf_root {
	char	*path;
	int	 fd;		/* open directory */
};

/*
 * Open the root: path, else $VF_ROOT. Creates it (0700) when create is set.
 * Refuses (EX_NOPERM) a root that is a symbolic link, is not a directory
 * owned by us, or that group or others may read or write; EX_USAGE if none
 * is named. Everything below it is then opened relative to root->fd.
 */
int	vf_root_open(struct vf_root *, const char *, int);
void	vf_root_close(struct vf_root *);
/*
 * Open rel below dirfd (the root's or a folder's descriptor) without
 * following a symbolic link or ".." anywhere in it (openat2 RESOLVE_BENEATH
 * and RESOLVE_NO_SYMLINKS; where the kernel lacks openat2, the last
 * component O_NOFOLLOW). O_CLOEXEC is added. -1 and errno.
 */
int	vf_openat(int, const char *, int, mode_t);
/* fsync a directory under the root ("." for the root); -1 and errno. */
int	vf_fsync_dir(const struct vf_root *, const char *);
/* write(2) all of len bytes, through EINTR and short writes; -1, errno. */
int	vf_write_all(int, const void *, size_t);
/* Create state/{tmp,new,cur} if missing (0700). */
int	vf_state_make(struct vf_root *, const char *);

/*
 * Deliver len bytes as a new file `name` into state/new (a state or
 * "outbox"; made if missing): tmp/ with O_EXCL, mode 0600, every write
 * checked, fsync, close, link into new/, unlink the tmp name, fsync new/.
 * On failure nothing is left behind. path gets the path of the new file
 * (root path joined). Returns 0, EX_TEMPFAIL (ENOSPC, EDQUOT, EFBIG, EIO,
 * EINTR..., or the name exists), EX_NOPERM, EX_IOERR, EX_SOFTWARE (a bad
 * state or name, or path too small).
 */
int	vf_deliver(struct vf_root *, const char *, const char *, const void *,
	    size_t, char *, size_t);
/* The same, the contents given as pieces (see vf_case_iov). */
int	vf_deliverv(struct vf_root *, const char *, const char *,
	    const struct iovec *, size_t, char *, size_t);
/*
 * Replace the file at path (a case in some state) with new contents, in
 * place, under the name it has: write to that state's tmp/, fsync, rename
 * over path, fsync the directory. EX_TEMPFAIL if the case was moved away
 * meanwhile (it is not recreated), EX_NOINPUT if path is not a case file
 * under this root. A tool that changes a case uses vf_case_save.
 */
int	vf_replace(struct vf_root *, const char *, const void *, size_t);
int	vf_replacev(struct vf_root *, const char *, const struct iovec *,
	    size_t);
/*
 * Write a changed case back, under the case's lock: as vf_replace, then
 * under its own name again (STATE/new/ID, or STATE/cur/ID:2,FLAGS with
 * the reader's flags), path updated. When the file was found under a
 * name a mail reader gave it, or in another state than vf put it in, a
 * history line says so (recorded before writing). VF_CASE_NEW puts it in
 * new/ (a reader shows it as new again: for a follow-up). EX_DATAERR when
 * its own name is taken by another file of the case (both named).
 */
#define VF_CASE_NEW	0x01
struct vf_case;
int	vf_case_save(struct vf_root *, char *, size_t, struct vf_case *,
	    const char *, int);
/*
 * Move a case to state (into its new/ or cur/ as it was, same name), path
 * updated. 0 also when it is in that state already; EX_TEMPFAIL if it was
 * moved away meanwhile; EX_SOFTWARE if the target name exists.
 */
int	vf_move(struct vf_root *, char *, size_t, const char *);
/*
 * Find the case file of id in any state, whatever the file is called:
 * path filled, state returned via *state (static string). Through the
 * index (index.c), verified; a stale entry costs one scan of the tree.
 * 0 found, EX_NOINPUT not found, EX_DATAERR two files of the case (both
 * named in a warning).
 */
int	vf_find(struct vf_root *, const char *, char *, size_t,
	    const char **);
/*
 * The index (ROOT/.lock/ID holds where the case is; see index.c and
 * vf-case(5)): where vf last put the case ("STATE/SUB/NAME"), 0 or -1;
 * record where vf puts it (done by vf_deliver, vf_move, vf_case_save).
 */
int	vf_index_where(struct vf_root *, const char *, char *, size_t);
void	vf_index_put(struct vf_root *, const char *, const char *);
/* The case id a file name gives ("ID", "ID:2,FLAGS"): 1, or 0 if none. */
int	vf_name_id(const char *, char *, size_t);
/*
 * Read the file at fd from off up to max bytes (or its end) into buf,
 * NUL-terminated (buf holds max + 1): the length in buf, or -1 and errno.
 */
ssize_t	vf_read_head(int, char *, size_t, size_t);
/* The Vf-Id of the case file open at fd, read from its first 8 KiB: 1/0. */
int	vf_head_id(int, char *, size_t);
/*
 * Open the case file at path (checked to be a case under this root) for
 * reading, relative to the root's descriptor: -1 and errno (EINVAL: not a
 * case file under this root).
 */
int	vf_case_open(struct vf_root *, const char *);
/*
 * The state of a case path (static string) and its id, or NULL if the path
 * is not a case file under this root.
 */
const char *vf_path_state(struct vf_root *, const char *, char *, size_t);

/*
 * Take the case's lock (ROOT/.lock/ID, flock): waits up to $VF_LOCK_WAIT
 * seconds (default 30), then EX_TEMPFAIL. *fd is -1 on failure.
 */
int	vf_lock(struct vf_root *, const char *, int *);
void	vf_unlock(int);

/*
 * Allocate a new case identifier "YYYY-NNNNN" (UTC year, counter from 1,
 * five digits or more): reserved durably as ROOT/.lock/ID (O_EXCL, then
 * .lock/ fsynced), starting from the hint in ROOT/.seq. Returns 0 or a
 * sysexits code.
 */
int	vf_id_new(struct vf_root *, char *, size_t);
/* Is s exactly a case id (one spelling: no extra leading zeros, not 0)? */
int	vf_id_valid(const char *);
/*
 * Find a case id in text: "[VF#2026-00042]", "【VF#2026-00042】", "VF#..."
 * in a subject, or "<vf.2026-00042.xxx@...>" in a message id. 1 if found.
 */
int	vf_id_scan(const char *, char *, size_t);

/*
 * Append "TIME USER TOOL ID TEXT" to ROOT/log (O_APPEND, one write, not
 * fsynced). ID NULL or "" is "-"; control characters become spaces; a line
 * is at most 1000 bytes.
 */
int	vf_log(struct vf_root *, const char *, const char *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* "2026-11-26T18:30:00Z" for t (0: now). */
void	vf_timestamp(char *, size_t, time_t);
/* Who runs this: the real uid's name, or the uid as a number (static). */
const char *vf_user(void);

/* ---- states and moves (state.c) --------------------------------------- */

/* The states of a case, in process order; each is a maildir under the root. */
struct vf_statedef {
	const char	*name;
	int		 ended;		/* the office's handling is over */
	const char	*what;		/* one line for people (vf(7)) */
};
extern const struct vf_statedef vf_statedefs[];
extern const char *const vf_states[];	/* the names alone, NULL-ended */

int	vf_state_valid(const char *);
/* Index into vf_statedefs and vf_states, or -1. */
int	vf_state_index(const char *);
int	vf_state_ended(const char *);
/* After publication (the policy's phase): only "published". */
int	vf_state_published(const char *);
/* A Vf-Kind value as a kind bit: VF_KIND_UNKNOWN when unknown or NULL. */
int	vf_kind_bit(const char *);

/* Who moves a case (a bit each): the actor of a move. */
#define VF_BY_PARSE	0x01
#define VF_BY_VALIDATE	0x02
#define VF_BY_ROUTE	0x04
#define VF_BY_NOTIFY	0x08
#define VF_BY_DECIDE	0x10
#define VF_BY_EXPIRE	0x20

/*
 * May `by` move a case of this kind (a VF_KIND_* bit; 0 is unknown) from
 * one state to another? Staying in a state is not a move (never allowed
 * here; the caller treats it as nothing to do).
 */
int	vf_move_ok(const char *, const char *, int, int);
/* The states `by` may move such a case to from `from`, ", "-joined. */
size_t	vf_moves_from(const char *, int, int, char *, size_t);

/* ---- mail addresses (addr.c) ------------------------------------------ */

/*
 * Is s an RFC 5322 addr-spec, printable ASCII, without the obsolete forms
 * (no comments, no white space, no display name), not starting with '-'
 * (an option to a program)? The only form an address may have before it
 * reaches a header or a command line.
 */
int	 vf_addr_valid(const char *);
/*
 * The address with its domain in A-labels (IDNA 2008, libidn2), checked
 * with vf_addr_valid; malloc'ed, or NULL when it cannot be one.
 */
char	*vf_addr_ascii(const char *);

/* ---- the clock (clock.c) ---------------------------------------------- */

/*
 * Now: $VF_NOW (seconds since 1970, or YYYY-MM-DDThh:mm:ssZ) when set, so
 * that tests and "what if" runs move through months; else time(2). Every
 * record of when something happened uses it. A malformed VF_NOW exits 64.
 */
time_t	vf_now(void);
/* Parse "YYYY-MM-DDThh:mm:ssZ" (vf_timestamp's form): 0, or -1. */
int	vf_time_parse(const char *, time_t *);

/* ---- normalised text (norm.c) ------------------------------------------ */

/* NFKC of UTF-8 text (malloc'ed), NULL if it is not valid UTF-8. */
char	*vf_nfkc(const char *);
/*
 * The key names are compared by: NFKC, case folded, without separators,
 * punctuation, symbols or controls ("ＦｏｏＣＭＳ" and "foo-cms" meet).
 */
char	*vf_fold_key(const char *);

/* ---- what the office sent (sent.c) ------------------------------------- */

/*
 * Record (durably) that the mail with this Message-ID was sent about case
 * id to a party (reporter, coordinator, vendor, operator) as a notice of
 * kind; and look a Message-ID up: 0 found, EX_NOINPUT not.
 */
int	vf_sent_put(struct vf_root *, const char *, const char *,
	    const char *, const char *);
int	vf_sent_get(struct vf_root *, const char *, char *, size_t, char *,
	    size_t, char *, size_t);

/* ---- case files (case.c) ----------------------------------------------- */

/* Roles of the MIME parts of a case file (the Vf-Part header). */
#define VF_PART_FIELDS		"fields"	/* report fields, name: value */
#define VF_PART_HISTORY		"history"	/* one line per change */
#define VF_PART_REPORT		"report"	/* the report's text, decoded */
#define VF_PART_UNPROTECTED	"unprotected"	/* clear text beside ciphertext */
#define VF_PART_FOLLOWUP	"followup"	/* a follow-up's text */
#define VF_PART_ORIGINAL	"original"	/* the mail as received, encrypted */
#define VF_PART_NOTE		"note"		/* a note by the office */

struct vf_cpart {
	struct vf_kv	*hdr;		/* part headers, in order */
	size_t		 nhdr;
	char		*body;		/* exact bytes between the headers */
	size_t		 len;		/*   and the next delimiter's LF */
	int		 ref;		/* body is the caller's, not ours and
					   not NUL-terminated (add_part_ref) */
};

struct vf_case {
	struct vf_kv	*hdr;		/* top headers, in order, values raw */
	size_t		 nhdr;		/*   (folding kept, for round trips) */
	char		*preamble;
	char		*boundary;
	struct vf_kv	*field;		/* from the fields part, in order */
	size_t		 nfield;
	char		**hist;		/* from the history part */
	size_t		 nhist;
	struct vf_cpart	*part;		/* every part, fields and history too */
	size_t		 npart;
	char		*epilogue;
};

/*
 * Parse a case file. Returns 0 or EX_DATAERR with a message in err. Writing
 * back what was read yields the same bytes.
 */
int		 vf_case_parse(struct vf_case *, const char *, size_t, char *,
		    size_t);
/* Read and parse the file at path; or open at fd (see vf_case_open). */
int		 vf_case_load(struct vf_case *, const char *, char *, size_t);
int		 vf_case_loadfd(struct vf_case *, int, char *, size_t);
void		 vf_case_write(const struct vf_case *, struct vf_buf *);
/*
 * The same bytes as pieces for writev(2), without joining them: *iov
 * (malloc'ed, *niov entries) points into the case and into scratch, which
 * both must stay unchanged until it is written.
 */
void		 vf_case_iov(const struct vf_case *, struct vf_buf *,
		    struct iovec **, size_t *);
void		 vf_case_free(struct vf_case *);
/*
 * Start an empty case with the given id, subject (UTF-8; control characters
 * become spaces, RFC 2047-encoded where not ASCII) and date (0: now).
 * Aborts (EX_SOFTWARE) on an invalid id.
 */
void		 vf_case_init(struct vf_case *, const char *, const char *,
		    time_t);
/* A top header (any case of name): raw value after the colon's white space. */
const char	*vf_case_get(const struct vf_case *, const char *);
/*
 * Set (replace the first, or append) a top header. A value with CR or LF,
 * a name not [A-Za-z0-9-]+, or Content-Type aborts (EX_SOFTWARE): callers
 * sanitise first.
 */
void		 vf_case_set(struct vf_case *, const char *, const char *);
const char	*vf_case_field(const struct vf_case *, const char *);
/* Field names are [A-Za-z0-9][A-Za-z0-9._-]* (else abort); values any text. */
void		 vf_case_field_set(struct vf_case *, const char *,
		    const char *);
void		 vf_case_field_del(struct vf_case *, const char *);
/* Append "TIME USER TOOL: TEXT" to the history. */
void		 vf_case_history(struct vf_case *, const char *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
/*
 * Add a part: role ([A-Za-z0-9-]+, not fields or history), content type,
 * extra headers (may be NULL; one-line values, as for vf_case_set), body.
 * Picks a new boundary if the body holds the old one. The pointer returned
 * is valid until the next vf_case_add_part.
 */
struct vf_cpart	*vf_case_add_part(struct vf_case *, const char *,
		    const char *, const struct vf_kv *, size_t, const char *,
		    size_t);
/*
 * The same without a copy of the body: _take takes a malloc'ed body (NUL
 * at len) and frees it with the case; _ref points at the caller's body,
 * which must outlive the case unchanged.
 */
struct vf_cpart	*vf_case_add_part_take(struct vf_case *, const char *,
		    const char *, const struct vf_kv *, size_t, char *, size_t);
struct vf_cpart	*vf_case_add_part_ref(struct vf_case *, const char *,
		    const char *, const struct vf_kv *, size_t, const char *,
		    size_t);
const char	*vf_cpart_get(const struct vf_cpart *, const char *);

/* ---- report extraction (report.c) -------------------------------------- */

/* How well a piece of a mail is protected: the report is the best of them. */
#define VF_PROT_CLEAR		0
#define VF_PROT_SIGNED		1	/* covered by a signature (any verdict) */
#define VF_PROT_ENCRYPTED	2	/* decrypted by gpg under its rules */

struct vf_piece {
	int		 prot;		/* VF_PROT_* */
	int		 attachment;	/* 0: text (UTF-8); 1: bytes */
	char		*type;		/* content type */
	char		*name;		/* file name (sanitised) or NULL */
	char		*data;
	size_t		 len;
	const char	*cte;		/* attachment still in the transfer
					   encoding it came in, well-formed:
					   "base64" or "quoted-printable";
					   NULL: data is decoded */
	int		 ref;		/* data points into the mail or into
					   plain[]: not ours, no NUL after */
	enum vf_sig	 sig;		/* the signature covering this piece
					   (the innermost one), or NONE */
	char		 signer[41];	/* its primary key fingerprint when
					   sig is GOOD, else "" */
};

struct vf_report {
	char		*subject;	/* decoded, one line, UTF-8 */
	char		*from;		/* decoded, one line */
	char		*from_raw;	/* as written, one line */
	char		*message_id;	/* as written, one line, or NULL */
	char		*in_reply_to;
	char		*references;
	int		 prot;		/* protection the report has */
	int		 encrypted;	/* some part was PGP-encrypted */
	int		 decrypted;	/* and every such part decrypted */
	int		 whole;		/* the mail is ciphertext and nothing else */
	char		 enc[128];	/* "pgp-mime", "inline", "none", + failure */
	int		 sigs;		/* signatures verified */
	struct vf_gpg_status sig;	/* the worst of them */
	char		 signer[41];	/* the key whose good signature covers
					   every piece of the report's text
					   (those at prot), else "" */
	int		 signers;	/* distinct good signers of all pieces */
	const char	*charset;	/* of the first text found */
	struct vf_piece	*p;
	size_t		 np;
	struct vf_buf	 problems;	/* "; "-separated sentences */
	char		**plain;	/* decrypted texts pieces point into */
	size_t		 nplain;
};

/*
 * Take a normalised mail apart: decrypt PGP/MIME and inline PGP, verify
 * signatures, decode MIME and charsets, and sort its pieces by protection.
 * Attachments are not copied: the mail must outlive the report.
 * Returns 0 (problems, even undecryptable parts, are noted in the report),
 * or the gpg code when a retry could succeed (EX_TEMPFAIL) or gpg cannot be
 * run (EX_UNAVAILABLE).
 */
int	 vf_report_extract(struct vf_report *, const char *, size_t,
	    const struct vf_limits *);
/* The text of the pieces at protection prot (exact) joined, or below it. */
void	 vf_report_text(const struct vf_report *, int, int, struct vf_buf *);
void	 vf_report_free(struct vf_report *);
/* Replace CR, LF and other control characters by spaces, in place. */
char	*vf_oneline(char *);

/* ---- base64 and hex digits (b64.c) ----------------------------------- */

/* Append data as base64 in lines of 76 characters, each ending in LF. */
void	 vf_base64_encode(struct vf_buf *, const void *, size_t);
/* The value of a base64 or a hexadecimal digit, or -1. */
int	 vf_b64val(unsigned char);
int	 vf_hexval(unsigned char);

/* ---- filing a mail (intake.c) ------------------------------------------ */

struct vf_intake {
	struct vf_root		*root;
	const struct vf_config	*cfg;
	const struct vf_fields	*fields;
	struct vf_limits	 lim;
	const char		*tool;		/* for history and log */
	char			 path[4096];	/* out: the case file */
	char			 id[VF_IDLEN];	/* out: its identifier */
	int			 followup;	/* out: added to an existing case */
	int			 duplicate;	/* out: already filed, nothing done */
	int			 seen;		/* the mail's locked .seen entry */
};

/*
 * File one raw mail (as received, not normalised) as a new case or as a
 * follow-up on its case. Returns a sysexits code: 0 filed, EX_TEMPFAIL,
 * EX_CONFIG, ... with nothing half-written.
 */
int	 vf_intake(struct vf_intake *, char *, size_t);

/* ---- shared data (share.c) -------------------------------------------- */

/* The data directory: $VF_SHARE, else the one chosen at build time. */
const char	*vf_share(void);
/* Load the field table from it; a message on stderr when that fails. */
int		 vf_share_fields(struct vf_fields *);

/* ---- the stream loop (each.c) ----------------------------------------- */

/*
 * Call fn on each argument, or on each line of stdin when there are none;
 * returns the worst (highest) exit status fn returned.
 */
int	vf_each(int, char *[], int (*)(const char *, void *), void *);
/* A case given by id ("2026-00042", "VF#2026-00042") or path. */
int	vf_resolve(struct vf_root *, const char *, char *, size_t,
	    const char **);

/* ---- text for a terminal (term.c) ------------------------------------- */

/*
 * The length of a character at s (n bytes left) that must not reach a
 * terminal: C0 and C1 controls, DEL, and the bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E-200F, U+202A-202E,
 * U+2066-2069); 0 when the byte at s starts none.
 */
size_t	vf_term_unsafe(const char *, size_t);
/* Print n bytes with each such character as '?'; lines: keep LF and TAB. */
void	vf_term_put(FILE *, const char *, size_t, int);

/* ---- output (out.c) ---------------------------------------------------- */

/* Flush and check stdout; exit EX_IOERR (or EX_TEMPFAIL on ENOSPC). */
void	vf_fshut_stdout(void);

#endif
