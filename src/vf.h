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

#include <dirent.h>
#include <pthread.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>
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
void	 vf_buf_addnum(struct vf_buf *, long long);	/* "%lld" */
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
/* Is the name the one given in lower case, ASCII case ignored? */
int		 vf_name_eq(const char *, const char *);

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
/* ...and made one line for a person to read (vf_oneline), malloc'ed. */
char	*vf_hdr_oneline(const char *);
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
size_t	 vf_ascii_span(const void *, size_t, int);

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
/*
 * The same, the child killed (SIGKILL) once it has run ms milliseconds
 * (0: never), closed descriptors or not; *timedout (if not NULL) says so.
 */
int	 vf_run_limit(char *const [], struct vf_io *, size_t, int *, int,
	    int *);
/*
 * vf_run_limit in two halves, for a child that has work to do before it
 * reads its input (gpg starts, reads its keyring and reaches its agent):
 * start spawns it, io in place but not yet fed (what the entries point
 * to may change until finish; the array must stay put), the deadline
 * running; finish feeds, drains and waits as vf_run_limit does; cancel
 * kills and reaps it. Each frees the child; SIGPIPE stays blocked in the
 * calling thread in between.
 */
struct vf_child;
int	 vf_run_start(char *const [], struct vf_io *, size_t, int,
	    struct vf_child **);
int	 vf_run_finish(struct vf_child *, int *, int *);
void	 vf_run_cancel(struct vf_child *);
/* Write what the child's input pipes take now, not waiting (run.c). */
void	 vf_run_feed(struct vf_child *);
/* Kill the children vf_run started and has not reaped (async-signal-safe). */
void	 vf_run_kill(void);

/* ---- work beside the main thread (bg.c) ------------------------------- */

/*
 * fn(arg) in a thread of its own, signals blocked, or in line when no
 * thread can be made; vf_bg_wait returns once it has run. Each started
 * one is waited for once.
 */
struct vf_bg {
	pthread_t	  t;
	void		(*fn)(void *);
	void		 *arg;
	int		  thread;	/* t was made */
	int		  joined;
};
void	 vf_bg_start(struct vf_bg *, void (*)(void *), void *);
void	 vf_bg_wait(struct vf_bg *);

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
	int		goodmdc;	/* GOODMDC: the integrity check held */
	int		aead;		/* DECRYPTION_INFO named an AEAD
					   algorithm (its own integrity) */
	int		nodata;
	int		error;		/* ERROR or FAILURE lines, but for
					   "ERROR pkdecrypt_failed" (one of
					   several keys) and "FAILURE gpg-exit"
					   (the exit code again) */
	int		no_seckey;
	int		enc_to;		/* ENC_TO lines seen: it was encrypted */
	int		begin_decryption;
	int		end_decryption;
	int		plaintext;
	int		inv_recp;	/* INV_RECP: an unusable recipient */
	int		end_encryption;
	int		agent;		/* the agent could not be reached or
					   could not unlock the key */
	int		sys;		/* an ERROR/FAILURE with a system
					   (errno) code: gpg's home, disk */
	int		symmetric;	/* NEED_PASSPHRASE_SYM: passphrase-
					   encrypted, never decryptable here */
	char		dec_fpr[65];	/* DECRYPTION_KEY: the key that opened
					   it (subkey), uppercase hex */
	char		dec_primary[65];/*   and its primary key */
	enum vf_sig	sig;		/* the worst of all signatures */
	char		sig_fpr[41];	/* VALIDSIG primary key fingerprint,
					   40 uppercase hex (v4 only) */
	char		sig_keyid[17];
	enum vf_trust	trust;
	int		sig_keys;	/* distinct keys of good signatures */
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
	int			 encrypted;	/* decrypt: it was an encrypted
						   message (vf_gpg_encrypted_ok),
						   not one only signed */
	int			 runs;		/* gpg processes this call ran */
	int			 timedout;	/* one ran past gpg-timeout */
};

struct vf_config;

/*
 * How gpg is run, from ROOT/config: gpg-program (an absolute path; else
 * $VF_GPG when set, which must be absolute too; else /usr/bin/gpg), never
 * looked up in PATH; gpg-timeout, the seconds one gpg run may take (1 to
 * 3600, default 60). 0, or EX_CONFIG with a message. Without a call, the
 * defaults (and $VF_GPG) hold.
 */
int	 vf_gpg_config(const struct vf_config *, char *, size_t);
/* The gpg program that runs, and the seconds one run may take. */
const char *vf_gpg_program(void);
int	 vf_gpg_timeout(void);

/* Zero a struct vf_gpg before first use; each call replaces its contents. */
void	 vf_gpg_free(struct vf_gpg *);
/*
 * Each returns 0 when gpg's status says it worked, EX_DATAERR when it
 * permanently cannot (no key, bad data), EX_TEMPFAIL when a retry could
 * work (agent unreachable, out of resources, a run past gpg-timeout),
 * EX_CONFIG for an unusable recipient (encrypt), EX_UNAVAILABLE when gpg
 * cannot be run.
 * decrypt(in, len, max, g): 0 for an encrypted message that gpg decrypted
 * under vf_gpg_encrypted_ok (encrypted set), and for signed-only data
 * (clearsigned or inline signed: encrypted 0), whatever the verdict in
 * st.sig; the text in out. On any return but 0, out is wiped and empty.
 * Plaintext beyond max: EX_DATAERR with over set. It runs gpg at most
 * twice. verify(data, len, sig, siglen, g): 0 when a signature was checked,
 * whatever the verdict (st.sig). encrypt(in, len, fpr, g): fpr is the full
 * fingerprint (40 or 64 hex digits), else EX_CONFIG.
 */
int	 vf_gpg_decrypt(const char *, size_t, size_t, struct vf_gpg *);
int	 vf_gpg_verify(const char *, size_t, const char *, size_t,
	    struct vf_gpg *);
int	 vf_gpg_encrypt(const char *, size_t, const char *, struct vf_gpg *);
/*
 * The mailboxes (vf_addr_mailbox) of the usable user IDs (not revoked,
 * expired or invalid) of the key with this full fingerprint, one a line,
 * into g->out, from gpg's --with-colons listing. 0 (none is no error),
 * EX_DATAERR (no such key), or as above.
 */
int	 vf_gpg_key_mailboxes(const char *, struct vf_gpg *);
/* The decision rules alone, on parsed status (for tests and fuzzing). */
int	 vf_gpg_decrypt_ok(const struct vf_gpg_status *, int, size_t);
int	 vf_gpg_encrypted_ok(const struct vf_gpg_status *);
/* Did the status show any encryption packet at all? */
int	 vf_gpg_was_encrypted(const struct vf_gpg_status *);
/* Did this key (a full fingerprint, primary or subkey) open it? */
int	 vf_gpg_opened_by(const struct vf_gpg_status *, const char *);
const char *vf_sig_name(enum vf_sig);
const char *vf_trust_name(enum vf_trust);

/*
 * fn(arg), once, right after the next gpg this thread starts has been
 * spawned and given what its pipe takes of its input, before it is waited
 * for (vf_gpg_sign_encrypt_start's gpg excepted): a caller's own
 * work (vf-parse's field table) beside gpg's exec and keyring, on the
 * other CPU. NULL takes it back; it must not run gpg itself.
 */
void	 vf_gpg_meanwhile(void (*)(void *), void *);

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
	char		*group;		/* "KINDS@GROUP": one of the group's
					   fields is required, or NULL */
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
	/* The labels' and patterns' arrays above, in one allocation. */
	char			**strs;
	/* The table's text, which every string above points into. */
	char			*text;
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
/*
 * Build now what vf_form_parse needs to read a report of this kind with
 * a loaded table (its label index, kept in the table's cache), so that
 * the parse does not: vf-parse does it while gpg decrypts the report.
 */
void	vf_form_prepare(const struct vf_fields *, int);
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
	/* Folders vf_folder_ready found whole (a bit each; atomic). */
	unsigned ready;
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
 * Are state (or "outbox") and its tmp, new and cur there, directories?
 * Quiet, makes nothing; 1 if so, and then vf_state_make of it does
 * nothing more for this root (see vf-notify's filing), else 0.
 */
int	vf_folder_ready(struct vf_root *, const char *);
/*
 * A new empty file in state/tmp (O_EXCL, 0600), made ahead of its
 * vf_deliver_tmp: its descriptor, its name in tmp; -1 (quiet) if not.
 */
int	vf_tmp_open(struct vf_root *, const char *, char *, size_t);

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
 * vf_deliver into the file vf_tmp_open made (fd, its tmp name), which it
 * closes; fd -1 is vf_deliver itself. The same steps after the open.
 */
int	vf_deliver_tmp(struct vf_root *, const char *, const char *,
	    const void *, size_t, char *, size_t, int, const char *);
/* The same, the rest of the contents given as pieces. */
int	vf_deliverv_tmp(struct vf_root *, const char *, const char *,
	    const struct iovec *, size_t, char *, size_t, int, const char *);
/*
 * Write pieces into a file vf_tmp_open made, ahead of its vf_deliverv_tmp
 * (which writes the rest after them): 0, or -1 and errno.
 */
int	vf_tmp_write(int, const struct iovec *, size_t);
/*
 * Replace the file at path (a case in some state) with new contents, in
 * place, under the name it has: write to that state's tmp/, fsync, rename
 * over path, fsync the directory. EX_TEMPFAIL if the case was moved away
 * meanwhile (it is not recreated), EX_NOINPUT if path is not a case file
 * under this root. A tool that changes a case uses vf_case_save.
 */
/*
 * EX_TEMPFAIL, with a message naming path, when vf_now() is more than a
 * few minutes before the latest line of the case's history (a clock that
 * jumped back); else 0. vf_case_save checks it; so must any other writer.
 */
struct vf_case;
int	vf_case_clock_ok(const struct vf_case *, const char *);
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
 * Read the file at fd from off up to max bytes (or its end: a short read
 * is taken for it, as it is for a regular file) into buf, NUL-terminated
 * (buf holds max + 1): the length in buf, or -1 and errno.
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
 * Take the outbox's lock (ROOT/outbox/.lock, flock: bin/vf-send's), with
 * the same wait. *fd is -1 when there is no outbox (and 0 is returned).
 */
int	vf_lock_outbox(struct vf_root *, int *);

/*
 * Allocate a new case identifier "YYYY-NNNNN" (UTC year, counter from 1,
 * five digits or more): reserved durably as ROOT/.lock/ID (O_EXCL, then
 * .lock/ fsynced), starting from the hint in ROOT/.seq. Returns 0 or a
 * sysexits code.
 */
int	vf_id_new(struct vf_root *, char *, size_t);
/* Wait for the last reservation's fsync; -1 (warned) if it failed. */
int	vf_id_settle(void);
/* Is s exactly a case id (one spelling: no extra leading zeros, not 0)? */
int	vf_id_valid(const char *);
/*
 * Find the case tag of a subject: "[VF#2026-00042]" or "【VF#2026-00042】",
 * the first one; 1 if found. Nothing else names a case: not a bare id, not
 * "VF#ID" alone, not a Message-ID (threading by those is .sent's, sent.c).
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
/*
 * The mailbox of a From value or an OpenPGP user ID ("Name <a@b>" or
 * "a@b"), as vf_addr_ascii gives it; NULL when it names none.
 */
char	*vf_addr_mailbox(const char *);

/* ---- where a party is written to (party.c) ---------------------------- */

/*
 * The address the case and configuration give for a party (reporter,
 * coordinator, operator, vendor), as written, not yet in A-labels:
 * reporter.email, else the mailbox of the case's From; the route's
 * address for the party the case is routed to; the configuration's
 * coordinator-address for the coordinator unless routed elsewhere.
 * Malloc'ed; NULL when there is none.
 */
struct vf_case;
struct vf_config;
char	*vf_party_address(const struct vf_case *, const struct vf_config *,
	    const char *);

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
/* Into buf when it fits (ASCII), else malloc'ed: free it if it is not buf. */
char	*vf_fold_key_buf(const char *, char *, size_t);

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
/*
 * The NFKC form of each field value NFKC changes ("name: NFKC" lines, in
 * the fields' order), so that grep finds "ＦｏｏＣＭＳ" as FooCMS. Made from
 * field[] whenever the case is written, always the last part, never in
 * part[] (no other part's index moves); a file whose part disagrees with
 * its fields is refused.
 */
#define VF_PART_NORMALIZED	"normalized"

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
	struct vf_cpart	*norm;		/* the normalized part as read (its
					   headers kept), or NULL */
	int		 norm_unmade;	/* read without one, fields unchanged
					   since: none is written */
	char		*norm_of;	/* the fields part as read, of which
					   norm was found the NFKC, or NULL */
	size_t		 norm_oflen;
	char		*epilogue;
	char		*arena;		/* read by vf_case_loadhead: every
					   string is in it; read-only */
	size_t		 arenalen;	/* its size: tables may be in it */
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
/*
 * The same with one part's body left out, for a body still being made:
 * (*iov)[*at] is an empty piece where it goes. -1 (nothing made) when the
 * case would need a fresh boundary for its other bodies. The body, once
 * made, may go in the hole only if vf_case_hole_fits says it leaves the
 * case's boundary unique; else the part is given it and written whole.
 */
int		 vf_case_iov_hole(const struct vf_case *, size_t,
		    struct vf_buf *, struct iovec **, size_t *, size_t *);
int		 vf_case_hole_fits(const struct vf_case *, const char *,
		    size_t);
/* A part's body replaced by body (taken: malloc'ed, or NULL for none). */
void		 vf_case_part_take(struct vf_case *, size_t, char *, size_t);
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
/* A header's value as vf_case_get gives it (the blanks after ':' skipped). */
const char	*vf_hdr_value(const struct vf_kv *);
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
#define VF_PROT_SIGNED		1	/* a good signature by a known key,
					   outside any encryption */
#define VF_PROT_ENCRYPTED	2	/* decrypted by gpg under its rules
					   (vf_gpg_encrypted_ok) */

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
	int		 sigi;		/* that signature in sigv[], or -1 */
};

struct vf_report {
	char		*subject;	/* decoded, one line, UTF-8 */
	char		*from;		/* decoded, one line */
	char		*from_raw;	/* as written, one line */
	char		*message_id;	/* as written, one line, or NULL */
	char		*in_reply_to;
	char		*references;
	int		 prot;		/* protection the report has */
	int		 encrypted;	/* some part held an encryption packet
					   (or claimed to: multipart/encrypted) */
	int		 decrypted;	/* and every such part decrypted */
	int		 whole;		/* the mail is ciphertext and nothing else */
	char		 enc[128];	/* "pgp-mime", "inline", "none", + failure */
	int		 sigs;		/* signatures verified, in all pieces */
	struct vf_gpg_status sig;	/* the verdict on the report's text: the
					   worst signature covering a piece of
					   it; zeroed (none) when none does, or
					   when mixed */
	int		 mixed;		/* the report's text pieces are covered
					   by good signatures of different keys,
					   or only some of them by one */
	char		 signer[41];	/* the key whose good signature covers
					   every piece of the report's text
					   (those at prot), else "" */
	int		 signer_from;	/* its user IDs hold the From address:
					   1, 0 not, -1 not known */
	int		 signer_office;	/* it is the office's own key */
	int		 signers;	/* distinct good signers of all pieces */
	struct vf_buf	 signer_list;	/* their fingerprints, the report's
					   signer first, space-separated */
	struct vf_gpg_status *sigv;	/* every signature checked, in order */
	size_t		 nsigv;
	int		 apart;		/* the report joins this many messages
					   encrypted apart that no one good
					   signature covers: no piece is
					   trusted over another (0: one
					   message, or one signer) */
	int		 timedout;	/* a gpg run went past gpg-timeout */
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
 * The limits hold for the whole mail, decrypted texts included, and gpg
 * runs at most 32 times for it. office_key (a full fingerprint, or NULL)
 * is the key that should open it and that no reporter signs with.
 * Attachments are not copied: the mail must outlive the report.
 * Returns 0 (problems, even undecryptable parts, are noted in the report),
 * or the gpg code when a retry could succeed (EX_TEMPFAIL) or gpg cannot be
 * run (EX_UNAVAILABLE).
 */
int	 vf_report_extract(struct vf_report *, const char *, size_t,
	    const struct vf_limits *, const char *);
/* The text of the pieces at protection prot (exact) joined, or below it. */
void	 vf_report_text(const struct vf_report *, int, int, struct vf_buf *);
void	 vf_report_free(struct vf_report *);
/* Replace CR, LF and other control characters by spaces, in place. */
char	*vf_oneline(char *);
/*
 * An armored block (from its BEGIN line to the end of its END line) as
 * mail transport leaves it, repaired for gpg: non-breaking spaces become
 * spaces, white space around lines and blank lines inside the radix-64
 * go, the blank line after the armor headers is put back, and
 * quoted-printable soft breaks ("=" at a line's end) inside the radix-64
 * are joined. Only white space and soft breaks change; the text of a
 * clearsigned message is left as it is.
 */
void	 vf_armor_repair(const char *, size_t, struct vf_buf *);
/*
 * The text of HTML, for finding armored blocks in it only (never shown):
 * tags dropped, line-breaking ones (br, p, div, pre, ...) as line ends,
 * comments, scripts and styles dropped, character references decoded
 * where they are printable ASCII (&nbsp; a space).
 */
void	 vf_html_text(const char *, size_t, struct vf_buf *);

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
	struct vf_fields	*fields;	/* loaded by vf_intake when */
	int			 fields_lazy;	/* set: loaded while gpg runs */
	int			 fields_rc;	/* vf_share_fields' */
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

/* ---- intake (case.c) -------------------------------------------------- */

/*
 * Fields as the fields part writes them ("name: value", continuation lines
 * TAB-led, no line end after the last), appended to b: the body of a
 * proposal part.
 */
void	 vf_case_fields_text(const struct vf_kv *, size_t, struct vf_buf *);
/*
 * Would the case, with that many more parts, fields, history lines and
 * bytes, stay within every limit of the case-file reader (vf_case_parse)?
 * 0 yes; else EX_DATAERR and why says which limit ("it would ..."). A
 * writer checks before it saves, so that no tool writes a case its own
 * reader refuses: vf_case_room(c, 0, 0, 0, 0, ...) on the case as built.
 */
int	 vf_case_room(const struct vf_case *, size_t, size_t, size_t, size_t,
	    char *, size_t);

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

/* ---- disclosure: policy, views, templates, notices ----------------------
 * (policy.c, redact.c, template.c, mailout.c, notice.c; vf-case(5)) */

/* Adding to the top headers: append one more of a name (Vf-Notice is one
   header per notice), and remove every header of a name (case.c). */
void		 vf_case_add(struct vf_case *, const char *, const char *);
void		 vf_case_del(struct vf_case *, const char *);

/* The audiences a view is made for; the office sees everything. */
extern const char *const vf_audiences[];	/* NULL-ended */
int	 vf_audience_valid(const char *);

#define VF_PHASE_BEFORE	0
#define VF_PHASE_AFTER	1

#define VF_SHOW		1
#define VF_HIDE		0

struct vf_rule {
	char	*audience;
	int	 phase;
	char	*what;		/* a class name or a field name */
	int	 field;		/* what names a field, not a class */
	int	 kinds;		/* VF_KIND_* the rule is for; 0: every kind */
	int	 show;		/* VF_SHOW or VF_HIDE, when consent is NULL */
	char	*consent;	/* the yesno field that decides, or NULL */
	size_t	 line;
};

struct vf_policy {
	char		*path;
	struct vf_rule	*r;
	size_t		 n;
	struct vf_kv	*phase;		/* state, "before" | "after" */
	size_t		 nphase;
	struct vf_kv	*relay;		/* party, consent field */
	size_t		 nrelay;
};

/*
 * Load the policy (SHARE/policy, vf-case(5)), checking every name in it
 * against the field table. 0, EX_NOINPUT (unreadable) or EX_CONFIG, with
 * "path:line: reason" in err.
 */
int	 vf_policy_load(struct vf_policy *, const char *,
	    const struct vf_fields *, char *, size_t);
/* The same from the data directory; a message on stderr when it fails. */
int	 vf_share_policy(struct vf_policy *, const struct vf_fields *);
void	 vf_policy_free(struct vf_policy *);
/* The phase of a state, or -1 when the policy does not name the state. */
int	 vf_policy_phase(const struct vf_policy *, const char *);
/*
 * May the audience see field f of case c (of kind bit `kind') in phase?
 * VF_SHOW or VF_HIDE; with the reason in err, -1 when the consent the
 * rule needs is not stated or unclear, -2 when no rule decides.
 */
int	 vf_policy_decide(const struct vf_policy *, const char *, int,
	    const struct vf_field *, int, const struct vf_case *, char *,
	    size_t);
/* The consent field a question from party needs, or NULL (none: never). */
const char *vf_policy_relay(const struct vf_policy *, const char *);

/*
 * A view: the fields an audience may see of one case, case.* first, then
 * the rest in table order (values are the case's, not copies).
 */
struct vf_view {
	struct vf_kv	*v;
	size_t		 n;
	char		 lang[3];	/* the report's language, "ja" or "en" */
	char		*own[5];	/* the derived case.* values */
};

/*
 * Make the view of case c, in state, for audience. 0; or, with nothing
 * in the view and the reason in err: EX_USAGE (no such audience),
 * EX_CONFIG (the policy lacks a rule or a state), EX_DATAERR (a field the
 * table does not know, a consent not stated or unclear).
 */
int	 vf_view_make(struct vf_view *, const struct vf_policy *,
	    const struct vf_fields *, const struct vf_case *, const char *,
	    const char *, char *, size_t);
void	 vf_view_free(struct vf_view *);
const char *vf_view_get(const struct vf_view *, const char *);
/* Keep only what the other view shows too (a relayed question). */
void	 vf_view_intersect(struct vf_view *, const struct vf_view *);
/* Keep only the fields named in keep, or of a class named there. */
void	 vf_view_restrict(struct vf_view *, const struct vf_fields *,
	    const char *const *);
/*
 * For a person or a mail: each field under its label in lang, one line
 * ("label: value") or the label and the value's lines indented; control
 * characters as '?'; a LF after each.
 */
void	 vf_view_text(struct vf_buf *, const struct vf_view *,
	    const struct vf_fields *, const char *);
/* One record of "name: value" lines, as vf-redact -f prints it. */
void	 vf_view_write(const struct vf_view *, struct vf_buf *);
/* The language of a case's report: "ja" or "en" (Vf-Lang when set). */
const char *vf_case_lang(const struct vf_case *);
/* Text for a person or a mail body: controls but TAB and LF as '?'. */
void	 vf_add_printable(struct vf_buf *, const char *);

/*
 * A template (SHARE/templates/KIND.LANG): a Subject line, an empty line,
 * the body; ${name} names a field of the view or a value in vars, ${fields}
 * prints the whole view with its labels, $$ is a dollar sign.
 */
struct vf_template {
	char	*path;
	char	*subject;	/* plain text, no substitution */
	char	*body;
};

int	 vf_template_load(struct vf_template *, const char *, const char *,
	    char *, size_t);
void	 vf_template_free(struct vf_template *);
/*
 * Fill the body: values are copied as they are (control characters but
 * TAB and LF as '?'), never interpreted. EX_DATAERR with err naming the
 * slot when the view or vars lack a name the template uses.
 */
int	 vf_template_fill(const struct vf_template *, const struct vf_view *,
	    const struct vf_kv *, size_t, const struct vf_fields *,
	    const char *, struct vf_buf *, char *, size_t);

/* Outgoing mail (mailout.c). */
struct vf_mailhdr {
	const char	*from_name;	/* UTF-8 or NULL */
	const char	*from;		/* addr-spec, checked */
	const char	*to_name;	/* UTF-8 or NULL */
	const char	*to;		/* addr-spec, checked */
	const char	*subject;	/* UTF-8, one line */
	const char	*msgid;		/* <...> */
	const char	*id;		/* case id */
	const char	*kind;
	const char	*role;
	time_t		 date;
};

/* "<vf.ID.32HEX@host>": random (arc4random), unguessable. */
int	 vf_mail_msgid(char *, size_t, const char *, const char *);
/* The inner MIME entity of text, canonical (CRLF, base64): what is signed. */
void	 vf_mail_entity(struct vf_buf *, const char *, size_t);
/*
 * The whole mail, LF line ends: headers, then PGP/MIME (RFC 3156). With
 * sig NULL, ct is the signed and encrypted message (multipart/encrypted);
 * else entity (as vf_mail_entity made it) signed by the detached
 * signature sig, micalg from hash (gpg's number). EX_DATAERR when a
 * header value has a line break or an address is not an addr-spec.
 */
int	 vf_mail_compose(struct vf_buf *, const struct vf_mailhdr *,
	    const char *, size_t, const char *, size_t, int);

/* gpg for outgoing mail (gpg.c). */
/*
 * Sign with signer and encrypt to every fingerprint in rcpt and to the
 * one key in keyfile (a key block a report came with, not imported; may
 * be NULL); with neither, make a detached armored signature. Never a key
 * lookup or any network: no dirmngr. 0; EX_CONFIG for an unusable key
 * (st.inv_recp set when it was a recipient's); EX_TEMPFAIL;
 * EX_UNAVAILABLE. *hash gets SIG_CREATED's digest algorithm, filefpr (41
 * bytes, may be NULL) the fingerprint of keyfile's key.
 */
int	 vf_gpg_sign_encrypt(const char *, size_t, const char *,
	    const char *const *, size_t, const char *, size_t,
	    struct vf_gpg *, int *, char *);
/*
 * The same in two halves: start runs gpg with the signer and recipients
 * (and key file), which it reads and checks while the caller makes the
 * text; finish gives it the text, waits and returns as above; cancel
 * kills and reaps a started one whose text will not come. Each frees the
 * pending run. One at a time per thread (SIGPIPE, vf_run_start).
 */
struct vf_gpg_pending;
int	 vf_gpg_sign_encrypt_start(const char *, const char *const *, size_t,
	    const char *, size_t, struct vf_gpg *, struct vf_gpg_pending **);
int	 vf_gpg_sign_encrypt_finish(struct vf_gpg_pending *, const char *,
	    size_t, struct vf_gpg *, int *, char *);
void	 vf_gpg_cancel(struct vf_gpg_pending *);
/*
 * vf_gpg_encrypt in two halves: start spawns gpg and gives it what its
 * pipe takes of the input (which must stay in place until finish), so
 * that it encrypts while the caller goes on; finish gives it the rest
 * and returns as vf_gpg_encrypt; vf_gpg_cancel kills a started one.
 */
int	 vf_gpg_encrypt_start(const char *, size_t, const char *,
	    struct vf_gpg *, struct vf_gpg_pending **);
int	 vf_gpg_encrypt_finish(struct vf_gpg_pending *, struct vf_gpg *);

/* Notices (notice.c): one mail about one case into the outbox. */
struct vf_notify {
	struct vf_root		*root;
	const struct vf_config	*cfg;
	const struct vf_fields	*fields;
	const struct vf_policy	*policy;
	const char		*tool;
	const char		*kind;
	int			 force;		/* -f: again, though sent */
	const char		*lang;		/* -l, or NULL */
	const char		*party;		/* -p: who asks, or NULL */
	const char		*message;	/* -m: the office's text */
	char			 path[4096];	/* out: the outbox file */
	int			 made;		/* out: a mail was made */
	void			*batch;		/* vf_notice_batch's, or NULL */
	/*
	 * Fills fields and policy, once, when a notice first needs them
	 * (after its gpg has started); 0 or the exit status, the same each
	 * call. NULL: loaded already.
	 */
	int			(*load)(struct vf_notify *);
	/*
	 * Called with path set for each mail made, in the order asked.
	 * Set, vf_notice may leave a notice's filing (outbox, move, log)
	 * running when it returns: vf_notice_flush waits for it.
	 */
	void			(*print)(const struct vf_notify *);
	void			*filing;	/* vf_notice's, or NULL */
	/*
	 * Set with print where the next case is never waited for (named
	 * as arguments, or listed in a regular file): a notice's move, log
	 * and unlock then start with the next vf_notice, or
	 * vf_notice_flush does them in line: after the run's last gpg, one
	 * thread's start fewer.
	 */
	int			 hold;
};

/* The notice kinds, NULL-ended, and whether a name is one. */
extern const char *const vf_notice_kinds[];
int	 vf_notice_kind_valid(const char *);
/*
 * Make the notice of n->kind about the case at path: 0 (made, or nothing
 * to do: made is 0), or a sysexits code with a message on stderr.
 */
int	 vf_notice(struct vf_notify *, const char *);
/* The notice vf_notice left being filed, waited for: 0 or its status. */
int	 vf_notice_flush(struct vf_notify *);

/* ---- notify (notice.c): many notices, their gpg runs side by side ---- */
/*
 * vf_notice_batch(n, jobs, made, arg) starts a batch of up to `jobs' gpg
 * runs at once; vf_notice_add(b, path) asks for one more notice (files
 * the oldest in flight first when `jobs' are), vf_notice_batch_end(b)
 * files the rest and frees b. Notices are filed in the order asked, each
 * as vf_notice files it; made(n, arg) is called for each mail made (its
 * path in n->path). Both return the worst exit status of what they filed.
 */
struct vf_notice_batch;
struct vf_notice_batch *vf_notice_batch(struct vf_notify *, int,
	    void (*)(const struct vf_notify *, void *), void *);
int	 vf_notice_add(struct vf_notice_batch *, const char *);
int	 vf_notice_batch_end(struct vf_notice_batch *);

/* ---- the end of a case (erase.c, expire.c, outbox.c, keyring.c, ...) -- */

/* What vf_erase_case deleted: counts and a summary for the history. */
struct vf_erase {
	size_t		 changes;	/* things deleted; 0: nothing left */
	int		 credit;	/* reporter.name kept as the credit */
	char		**fpr;		/* reporter keys the case named */
	size_t		 nfpr;
	struct vf_buf	 what;		/* "reporter fields (9), ..." */
};

/*
 * Delete the reporter's information from a case in memory (see erase.c):
 * reporter-class fields (and fields not in the table), the report's text,
 * follow-ups not from the coordinator, vendor or operator, originals,
 * attachments, unprotected text, From, Subject, Vf-Message-Id,
 * Vf-Reporter-Key, Vf-Signer and the key in Vf-Signature; the values are
 * also replaced wherever else they occur. With published set and the
 * reporter's consent (vf_erase_credit), reporter.name and
 * consent.publish-name stay. Returns e->changes; erasing an erased case
 * changes nothing.
 */
size_t	 vf_erase_case(struct vf_case *, const struct vf_fields *, int,
	    struct vf_erase *);
/* Would vf_erase_case change anything? (Cheap; exact.) */
int	 vf_erase_needed(const struct vf_case *, const struct vf_fields *,
	    int);
/* The reporter keys a case names (into e->fpr), erasing nothing. */
void	 vf_erase_keys(const struct vf_case *, struct vf_erase *);
/* Software or vendor, consent.publish-name yes, and a reporter.name. */
int	 vf_erase_credit(const struct vf_case *);
void	 vf_erase_free(struct vf_erase *);

/* A notice: in the outbox (outbox.c) or a case's Vf-Notice header. */
struct vf_notice {
	char		 id[VF_IDLEN];
	char		 kind[32];
	char		 role[16];
	int		 pending;	/* outbox/new: not sent yet */
	time_t		 mtime;		/* file time, or the header's TIME */
	char		 rel[320];	/* outbox/new/NAME; from a header:
					   NAME (or "") */
};

struct vf_outbox {
	struct vf_notice *v;
	size_t		  n;
};

/* Notices to the reporter, and every notice not sent yet, by case. */
int	 vf_outbox_scan(struct vf_root *, struct vf_outbox *);
/*
 * A scanned notice's file deleted (only looked for if dryrun), counted into
 * *removed if it was still there: 0, or an exit code.
 */
int	 vf_outbox_remove(struct vf_root *, const struct vf_notice *, int,
	    size_t *);
void	 vf_outbox_free(struct vf_outbox *);
/* The outbox file's name for a Message-ID of vf-notify's: 0, or -1. */
int	 vf_outbox_name(const char *, char *, size_t);
/*
 * The notices to ROLE the case records (its Vf-Notice headers) that the
 * scan did not see: made since. If one is in outbox/new (not sent yet)
 * with a time after since, *fresh is 1 and nothing is done; else
 * each in outbox/new or outbox/cur is deleted (only counted if dryrun)
 * into *removed. 0, or an exit code.
 */
int	 vf_outbox_unseen(struct vf_root *, const struct vf_outbox *,
	    const struct vf_case *, const char *, time_t, int, size_t *,
	    int *);
/* "KIND ROLE <MESSAGE-ID> TIME": 0, or -1. */
int	 vf_notice_parse(const char *, struct vf_notice *);

/* The settings vf-expire runs by (ROOT/config; vf-case(5)). */
struct vf_expire_cfg {
	time_t	now;
	long	retention_days;		/* after the end, before erasing */
	long	reply_days;		/* a party has to answer a notice */
	long	operator_wait_days;	/* from the first unanswered notice */
	long	idle_days;		/* an open case with no event */
	long	notice_wait_days;	/* erasing waits for notices sent */
};
int	 vf_expire_config(struct vf_expire_cfg *, const struct vf_config *);

/* When things happened to a case (expire.c). */
struct vf_clock {
	time_t	received;
	time_t	last;		/* the latest event of any kind */
	time_t	op_out;		/* the latest notice to the operator */
	time_t	op_in;		/* the operator's latest answer */
	int	reminders;
	int	told_closed;	/* a "closed" notice went to the reporter */
};
void	 vf_case_clock(const struct vf_case *, struct vf_clock *);
/* "YYYY-MM-DD" as 00:00 UTC that day; 0 when malformed. */
time_t	 vf_date_parse(const char *);
/* When the handling ended (status dates, else the last event). */
time_t	 vf_expire_ended(const struct vf_case *);

enum vf_web { VF_WEB_NONE, VF_WEB_REMIND, VF_WEB_CLOSE };
/*
 * A web case waiting for its operator: a reminder due, or the last
 * deadline passed (close as unreachable). *since: the first notice not
 * answered; *reminders: reminders sent since.
 */
enum vf_web vf_expire_web(const struct vf_case *, const char *,
	    const struct vf_expire_cfg *, time_t *, int *);
/*
 * Append "WHAT<TAB>TEXT<LF>" for each deadline of an open case that has
 * passed: flag-pubdate, flag-idle, flag-deadline. Returns the count.
 */
size_t	 vf_expire_flags(const struct vf_case *, const char *,
	    const struct vf_expire_cfg *, struct vf_buf *);

/*
 * Open a folder under the root for readdir: NULL with *rc 0 when it does
 * not exist (no case has been there), NULL with a warning and *rc set when
 * it cannot be read.
 */
DIR	*vf_opendir(struct vf_root *, const char *, int *);
/*
 * Call fn(path, state, arg) for every case file of the tree (new/ and cur/
 * of every state, in state order); the worst code fn or reading returned.
 */
int	 vf_walk(struct vf_root *, int (*)(const char *, const char *,
	    void *), void *);

/*
 * Remove regular files older than max seconds (by vf_now) from every
 * tmp/ of the tree (states, outbox, public); each path removed (or that
 * would be, with dryrun) is passed to fn.
 */
int	 vf_tmp_clean(struct vf_root *, time_t, int,
	    void (*)(const char *, void *), void *);

/*
 * Run "vf-notify -k KIND ID..." ($VF_NOTIFY, else vf-notify on PATH; the
 * root in VF_ROOT); its stderr is passed on. 0 when it exited 0, else its
 * exit status or the vf_run code.
 */
int	 vf_tell(const char *, char *const *, size_t);

/* gpg: delete a public key; sign detached (gpg.c). gpg's home (keyring.c). */
int	 vf_gpg_delete_key(const char *, struct vf_gpg *);
int	 vf_gpg_sign_detached(const char *, size_t, const char *,
	    struct vf_gpg *);
int	 vf_gpg_homedir(char *, size_t);
/*
 * Zero what gpg left of deleted keys in pubring.kbx and remove gpg's
 * keyring backups (*~). *zeroed: the dead blobs zeroed.
 */
int	 vf_keyring_scrub(long *);

/* ---- public records: vf-redact -f output (record.c) -------------------- */

struct vf_record {
	struct vf_kv	*f;		/* fields in the order printed */
	size_t		 n;
};

/*
 * Read the next record from a stream of vf-redact -f records: 1 read, 0 at
 * the end, -1 malformed (a message in err; *lineno counts lines read).
 */
int		 vf_record_read(FILE *, struct vf_record *, unsigned long *,
		    char *, size_t);
const char	*vf_record_get(const struct vf_record *, const char *);
void		 vf_record_free(struct vf_record *);
/* fn on each record of the stream; the worst code (65: malformed). */
int		 vf_record_each(FILE *, int (*)(const struct vf_record *,
		    void *), void *);

/* ---- advisories (csaf.c, advtext.c) ------------------------------------ */

/* Who publishes: the office (config office-name, public-url). */
struct vf_publisher {
	const char	*name;
	const char	*url;		/* https://... without a final '/' */
};

/*
 * The publisher: name and url when given, else office-name and public-url
 * from the configuration of the root (root, else $VF_ROOT; cfg keeps the
 * strings). 0, or EX_CONFIG with a message.
 */
int		 vf_publisher_get(struct vf_publisher *, struct vf_config *,
		    const char *, const char *, const char *);
/*
 * Is this a record of a published software advisory (kind software or
 * vendor, state published or a status.published date)? The credit: the
 * reporter's name when the record carries it with consent.publish-name
 * yes, else NULL.
 */
int		 vf_adv_published(const struct vf_record *);
const char	*vf_adv_credit(const struct vf_record *);
/* The advisory's identifier: status.advisory, else "VF#" and case.id. */
const char	*vf_adv_id(const struct vf_record *, char *, size_t);
/* Its release time, RFC 3339 ("2027-01-05T01:00:00.000Z"); -1 if none. */
int		 vf_adv_date(const struct vf_record *, char *, size_t);

/*
 * The record as a CSAF 2.0 document, profile "Security Advisory": JSON
 * text (malloc'ed, keys sorted, UTF-8), or NULL with a message in err.
 */
char		*vf_csaf(const struct vf_record *, const struct vf_publisher *,
		    char *, size_t);
/* CSAF 2.0 §5.1: the file name of a document with this tracking id. */
void		 vf_csaf_filename(const char *, char *, size_t);

/*
 * The record as a plain-text notice in "ja" or "en", labels from the
 * field table; appended to out. 0, or -1 with a message in err.
 */
int		 vf_adv_text(const struct vf_record *, const struct vf_fields *,
		    const struct vf_publisher *, const char *, struct vf_buf *,
		    char *, size_t);

/* ---- statistics (stats.c) --------------------------------------------- */

#define VF_STATS_STATES	16

struct vf_qrow {			/* one quarter */
	long	received[4];		/* software, web, vendor, unknown */
	long	published;		/* software published that quarter */
	long	fixed;			/* web fixed that quarter */
};

struct vf_delays {
	double	*v;
	size_t	 n, cap;
};

struct vf_stats {
	time_t		 now;
	time_t		 first;		/* the first case received */
	int		 q0;		/* quarter of q[0]: year * 4 + q - 1 */
	struct vf_qrow	*q;
	size_t		 nq;
	long		 state[4][VF_STATS_STATES];
	long		 sw_done, sw_45, web_done, web_90, web_open90;
	struct {
		long	cwe;		/* 0: unspecified */
		long	n[4];
	}		*cwe;
	size_t		 ncwe;
	struct vf_delays delay[4];	/* days from receipt to the end */
	time_t		*holiday;
	size_t		 nholiday;
};

extern const char *const vf_stats_tables[];
/* Count one case (its state given); s->now set by the caller. */
void	 vf_stats_add(struct vf_stats *, const struct vf_case *,
	    const char *);
/* One table as TSV with a header line; EX_USAGE for an unknown name. */
int	 vf_stats_print(struct vf_stats *, const char *, FILE *);
/* Days that are not working days, one YYYY-MM-DD a line, # comments. */
int	 vf_stats_holidays(struct vf_stats *, const char *);
void	 vf_stats_free(struct vf_stats *);

/* ---- the public pages (pages.c) ----------------------------------------- */

struct vf_adv {				/* one advisory, for the index */
	char	id[256];		/* JVN#..., VF#... */
	char	base[256];		/* CSAF file name less ".json" */
	char	date[64];		/* RFC 3339 release time */
	char	date10[16];
	char	title[320], title_ja[320], title_en[320];
	char	csaf_rel[600];		/* .well-known/csaf/white/YYYY/... */
};

struct vf_pages {
	struct vf_publisher	 pub;
	const struct vf_fields	*ft;
	const char		*stats;		/* vf-charts' folder, or NULL */
	const char		*sign_key;	/* fingerprint, or NULL */
	const char		*dir;
	int			 dirfd;
	struct vf_adv		*adv;
	size_t			 nadv;
};

/* Open (make) the output folder; pub, ft, stats, sign_key are kept. */
int	 vf_pages_open(struct vf_pages *, const char *);
/* The advisory of one public record: CSAF, hashes, pages ja and en. */
int	 vf_pages_add(struct vf_pages *, const struct vf_record *, char *,
	    size_t);
/* Index, statistics page, feed, CSAF index.txt, changes.csv, metadata. */
int	 vf_pages_finish(struct vf_pages *);
void	 vf_pages_close(struct vf_pages *);
/* Write a file under the folder: made by tmp and rename. */
int	 vf_pages_put(const struct vf_pages *, const char *, const void *,
	    size_t);
/* Append s HTML-escaped (& < > " '). */
void	 vf_html(struct vf_buf *, const char *);
/* gpg: the public key of fpr, armored, in g->out (gpg.c). */
int	 vf_gpg_export(const char *, struct vf_gpg *);

/* ---- decide (decide.c) --------------------------------------------- */

/* A staff decision, from vf-decide's arguments (vf-decide(1)). */
struct vf_decide {
	int		  act;		/* which action (decide.c) */
	const char	 *action;	/* its name */
	const char	 *text;		/* reason, fix method, pubdate given */
	const char	 *of;		/* duplicate of; advisory ID */
	int		  of_case;	/* of is a case number */
	char		  known_where[320]; /* FILE:LINE of a known ID */
	int		  kind;		/* VF_KIND_* */
	const char	 *route;	/* "coordinator" | "operator" */
	char		 *address;	/* operator, A-labels (malloc'ed) */
	char		  fpr[65];	/* operator key, "" none */
	const char	 *name;		/* operator name, UTF-8, or NULL */
	const char	 *url;		/* advisory URL or NULL */
	time_t		  when;		/* pubdate in UTC */
	const char	**fields;	/* take, incomplete: field names */
	size_t		  nfields;
	const char	**cases;	/* the arguments left: cases */
	size_t		  ncases;
	/* Set by the tool: who decides; the coordinator (configuration). */
	const char	 *staff;
	const char	 *coord_name, *coord_address, *coord_key;
};

/* What a decision did to a case in memory. */
struct vf_decided {
	const char	*to;		/* the state to move to, or NULL */
	int		 changes;	/* 0: taken already, nothing changed */
	char		 what[1024];	/* for the log, -n, "already ..." */
};

/*
 * "YYYY-MM-DD HH:MM[:SS] ZONE" (or with 'T'; ZONE +HH:MM, +HHMM, +HH, Z,
 * UTC, GMT or JST, a space before it optional) as seconds since 1970,
 * UTC: 0, or -1 with the reason in err. An impossible day or time, a
 * leap second or an offset beyond 14 hours is refused.
 */
int	 vf_pubdate_parse(const char *, time_t *, char *, size_t);
/*
 * Parse ACTION ARGS... CASE... (argv[0] the action): the cases left in
 * d->cases. 0, or EX_USAGE with the reason in err. The field table names
 * the fields of take and incomplete.
 */
int	 vf_decide_args(struct vf_decide *, int, char **,
	    const struct vf_fields *, char *, size_t);
void	 vf_decide_free(struct vf_decide *);
const char *vf_decide_usage(void);
/*
 * Apply the decision to case c in state: the kind and the move checked
 * (vf_move_ok, VF_BY_DECIDE), fields and headers set, a history line
 * "by staff NAME: ..." added when anything changed. 0 (r says what), or
 * EX_DATAERR with the reason, and the moves allowed from here, in err.
 */
int	 vf_decide_apply(const struct vf_decide *, struct vf_case *,
	    const char *, struct vf_decided *, char *, size_t);
/*
 * Find a known-vulnerability ID in ROOT/known/ (first column): 0 and
 * "FILE:LINE" in where, EX_NOINPUT when no file lists it, or the error.
 */
int	 vf_known_find(struct vf_root *, const char *, char *, size_t);
/* A field's value in a proposal part's body (fields syntax), or NULL. */
char	*vf_proposal_value(const char *, size_t, const char *);

/* ---- route (host.c, contacts.c, sectxt.c; vf-route) -------------------- */

/*
 * A host name in lowercase A-labels (IDNA 2008, UTS #46 mapping; one final
 * dot dropped), checked to be LDH labels; malloc'ed, or NULL.
 */
char	*vf_host_ascii(const char *);
/* The host of an http or https URL as vf_host_ascii gives it, or NULL. */
char	*vf_url_host(const char *);
/* Is it a public suffix (ICANN or private, the system's list or libpsl's)? */
int	 vf_host_is_suffix(const char *);
/* Its registrable domain (a pointer into host), or NULL. */
const char *vf_host_registrable(const char *);
/*
 * The host, then each parent domain down to the registrable domain, most
 * specific first, as pointers into host (at most max); 0 when the host
 * has no registrable domain (it is a public suffix itself).
 */
size_t	 vf_host_walk(const char *, const char **, size_t);

/* One entry of ROOT/contacts (contacts.c; the format: vf-route(1)). */
struct vf_contact {
	char	*host;		/* A-labels, lowercase */
	char	*addr;		/* addr-spec, domain in A-labels */
	char	 fpr[41];	/* 40 uppercase hex digits, or "" */
	char	 lang[3];	/* "ja", "en" or "" */
	char	*name;		/* UTF-8, or NULL */
	size_t	 line;
};

struct vf_contacts {
	struct vf_contact	*c;	/* sorted by host */
	size_t			 n;
};

/*
 * Parse a contact list; EX_CONFIG with "FILE:LINE: reason" in err (a bad
 * column, a public suffix, a host listed twice). _load reads
 * ROOT/contacts (missing: an empty list).
 */
int	 vf_contacts_parse(struct vf_contacts *, const char *, size_t,
	    const char *, char *, size_t);
int	 vf_contacts_load(struct vf_contacts *, struct vf_root *, char *,
	    size_t);
/* The entry for exactly this host (A-labels), or NULL. */
const struct vf_contact *vf_contacts_find(const struct vf_contacts *,
	    const char *);
void	 vf_contacts_free(struct vf_contacts *);

/* What a security.txt says (sectxt.c; RFC 9116). */
struct vf_sectxt {
	char		**contact;	/* URIs as written, in order */
	size_t		  ncontact;
	char		**encryption;
	size_t		  nencryption;
	char		**canonical;
	size_t		  ncanonical;
	char		 *expires;	/* the first, as written */
	int		  nexpires;
	time_t		  expires_t;	/* -1: absent or malformed */
	char		 *langs;	/* Preferred-Languages, as written */
	int		  nlangs;
	struct vf_buf	  problems;	/* "; "-separated, for people */
};

/*
 * The text a security.txt's fields are read from: the file itself (0), or
 * the signed text of a cleartext-signed one, dash-escaping undone (1);
 * -1 for a signed-message armor without its signature. *sig: 0 no
 * armor, 1 the armor, 2 the armor and text outside it (never signed).
 */
int	 vf_sectxt_unwrap(const char *, size_t, struct vf_buf *, int *);
/* Parse that text (any bytes: what it lacks goes into problems). */
void	 vf_sectxt_parse(struct vf_sectxt *, const char *, size_t);
void	 vf_sectxt_free(struct vf_sectxt *);
/* RFC 3339 date-time ("T", "t" or a space between): 0, or -1. */
int	 vf_rfc3339_parse(const char *, time_t *);
/* The first address of a mailto: URI (vf_addr_ascii), or NULL. */
char	*vf_sectxt_mailto(const char *);
/* An openpgp4fpr: URI or a bare fingerprint: 40 hex into fpr (41): 1/0. */
int	 vf_sectxt_keyfpr(const char *, char *);
/* The first Preferred-Languages tag that is Japanese or English, or NULL. */
const char *vf_sectxt_lang(const struct vf_sectxt *);
/*
 * gpg on a cleartext-signed text (gpg.c): 0 when gpg checked a signature,
 * whatever the verdict (st.sig), the signed text in out; EX_DATAERR for
 * no signature or anything encrypted, else as vf_gpg_decrypt.
 */
int	 vf_gpg_clearsigned(const char *, size_t, size_t, struct vf_gpg *);
/* ---- validate (urlcanon.c, versions.c, known.c, validate.c) ----------- */

/*
 * A URL in one spelling for comparing (urlcanon.c): scheme lowercase,
 * host in A-labels lowercase (an IRI's non-ASCII read as UTF-8), default
 * port, user information and fragment dropped, path normalised by
 * liburiparser, "/" for an empty one. malloc'ed; NULL when it is not a URL
 * with a scheme and a host. *host (may be NULL) gets the host alone.
 */
char	*vf_url_canon(const char *, char **);
/* The same by liburiparser alone, without the shortcut of plain URLs. */
char	*vf_url_canon_parsed(const char *, char **);
/* Is host (A-labels) domain or under it ("a.example.com", "example.com")? */
int	 vf_host_under(const char *, const char *);

/* Versions as intervals of dotted numbers, or text (versions.c). */
struct vf_vitem {
	char	*lo, *hi;	/* NULL: unbounded */
	int	 loinc, hiinc;	/* the bound itself is in */
	int	 hiext;		/* hi is a prefix: "12.0 系" is 12.0.* */
	char	*text;		/* not understood: vf_fold_key of it */
};

struct vf_versions {
	struct vf_vitem	*v;
	size_t		 n;
	int		 all;	/* "*": every version */
};

/* The known list's syntax (vf-case(5)); never fails: the rest is text. */
void	 vf_versions_parse(struct vf_versions *, const char *);
/* A report's words ("5.0.0 to 5.0.7", "3.0.1 以前"); NULL: none given. */
void	 vf_versions_text(struct vf_versions *, const char *);
/* Could a release be in both? */
int	 vf_versions_overlap(const struct vf_versions *,
	    const struct vf_versions *);
void	 vf_versions_free(struct vf_versions *);

/* The known-vulnerability list, ROOT/known/ (known.c, vf-case(5)). */
struct vf_known_entry {
	char			*id;
	char			*pkey;	/* vf_fold_key(product) or NULL */
	char			*vkey;	/* vf_fold_key(vendor) or NULL */
	struct vf_versions	 ver;
	long			 cwe;	/* 0: none */
	char			*url;	/* vf_url_canon or NULL */
	const char		*file;	/* "known/NAME" */
	size_t			 line;
};

struct vf_known {
	struct vf_known_entry	*e;
	size_t			 n;
	char			**files;
	size_t			 nfiles;
};

/* "CWE-79" as 79; 0 when it is not exactly a CWE identifier. */
long	 vf_cwe_number(const char *);
/*
 * Add the entries of one list file's text, named file in messages;
 * EX_CONFIG with "file:line: reason" in err at the first bad line.
 */
int	 vf_known_parse(struct vf_known *, const char *, const char *,
	    size_t, char *, size_t);
/* Every list file under the root, in name order; no folder: none. */
int	 vf_known_load(struct vf_root *, struct vf_known *, char *, size_t);
void	 vf_known_free(struct vf_known *);

/*
 * The checks (validate.c). vf_check_fields lists (", "-joined) the fields
 * the kind requires that are missing (a yes/no answer kept as written is
 * missing; of a "@GROUP" only the first, and only when none is given) and
 * those given but malformed (email, url, date, cwe).
 */
void	 vf_check_fields(const struct vf_fields *, const struct vf_case *, int,
	    struct vf_buf *, struct vf_buf *);
/*
 * The same with the table's names hashed once for a run (vf_fcheck_new;
 * the table must outlive it): a tree's check looks every name of the
 * table up in every case.
 */
struct vf_fcheck;
struct vf_fcheck *vf_fcheck_new(const struct vf_fields *);
void	 vf_fcheck_free(struct vf_fcheck *);
void	 vf_check_fields_at(const struct vf_fcheck *, const struct vf_case *,
	    int, struct vf_buf *, struct vf_buf *);
/* The scope-domain lines as hosts (A-labels); EX_CONFIG for a bad one. */
int	 vf_scope_load(const struct vf_config *, char ***, size_t *, char *,
	    size_t);
/* Under .jp or one of those domains? */
int	 vf_in_scope(const char *, char *const *, size_t);

/*
 * The duplicate index of one run: every case of the tree (vf_dupidx_add,
 * with its state) and the list, hashed by product key and canonical URL
 * (vf_dupidx_build, once). vf_dupidx_match: 1 when the case duplicates a
 * list entry or a case received before it that is not itself a
 * duplicate, rejected or referred; out gets the Vf-Duplicate value
 * ("known ID FILE:LINE (why)", "case ID (why)"), of status.duplicate-of.
 */
struct vf_dupidx;
struct vf_dupidx *vf_dupidx_new(const struct vf_known *);
size_t	 vf_dupidx_add(struct vf_dupidx *, const struct vf_case *,
	    const char *);
void	 vf_dupidx_build(struct vf_dupidx *);
int	 vf_dupidx_match(const struct vf_dupidx *, const struct vf_case *,
	    struct vf_buf *, struct vf_buf *);
void	 vf_dupidx_free(struct vf_dupidx *);

/* ---- followup (intake.c) ---- */
/*
 * A follow-up that may not write fields keeps what it says about them in a
 * part of this role: "name: value" lines as in the fields part, headers
 * Vf-Proposed-By: ROLE FPR|unsigned, Vf-Received, Vf-Of: N (the index of
 * its follow-up part among the case's parts, from 0); the case header
 * Vf-Proposes names the fields proposed and not yet taken (vf-decide).
 */
#define VF_PART_PROPOSAL	"proposal"

/* ---- crash (case.c, sent.c) ---- */
/* Remove .sent's entry of a Message-ID that no mail carries. */
int		 vf_sent_drop(struct vf_root *, const char *);
/* Is the case's last history line "TIME USER TOOL: TEXT"? */
int		 vf_case_history_last(const struct vf_case *, const char *,
		    const char *);
/* ---- soak (safefile.c) ---- */
/*
 * A policy, template, contact list or known list (file or directory) that
 * group or others may write, or that someone but us or root owns, is
 * refused: 0, or EX_CONFIG with "NAME: refusing ..." in err.
 */
struct stat;
int	vf_file_trusted(const struct stat *, const char *, char *, size_t);

/* ---- reader (case.c, walk.c) ---- */
/*
 * The head of a case file, for the tools that only look at the whole tree
 * (vf-stats, vf-expire's first pass, vf-validate's index and -n): the top
 * headers, the fields and the history, read in a few KiB and more only
 * when they go on past them; nothing after the history is read. With
 * VF_HEAD_PARTS the whole file is read and every part's headers are kept
 * too (vf-expire needs the follow-ups' Vf-Received and Vf-Party), each
 * part's body left NULL with its len kept. No other body is copied, and
 * the normalized part is neither made nor checked. The same checks as
 * vf_case_load on what it reads (an error there is vf_case_load's error,
 * line number included), none on what it does not; so a file it accepts
 * vf_case_load may still refuse. Opened at dirfd (AT_FDCWD: name is a
 * path). 0, or vf_case_load's codes and messages.
 *
 * A head case is read-only: vf_case_save refuses it (EX_SOFTWARE), and
 * vf_case_write, vf_case_iov and every setter abort (EX_SOFTWARE), so no
 * tool can write a case cut short. vf_case_free frees it.
 */
/*
 * vf_headers_parse keeping only the fields named in want (NULL-ended,
 * ASCII case ignored); every other field is parsed and counted against
 * the limits alike, so what is kept is what vf_headers_parse gives for
 * those names, without a copy of the rest (vf-ls -l; mail.c).
 */
int	vf_headers_pick(const char *, size_t, const struct vf_limits *,
	    const char *const *, struct vf_kv **, size_t *, const char **,
	    int *);
/*
 * vf_dupidx_match for the case vf_dupidx_add returned i for, from the
 * keys kept in the index (vf-validate -n: the case is not read again).
 */
int	vf_dupidx_match_at(const struct vf_dupidx *, size_t, struct vf_buf *,
	    struct vf_buf *);
#define VF_HEAD_PARTS	0x01
int	vf_case_loadhead(struct vf_case *, int, const char *, int, char *,
	    size_t);
/* The same from memory, the first read taken as `first' bytes (tests). */
int	vf_case_parsehead(struct vf_case *, const char *, size_t, size_t, int,
	    char *, size_t);
/*
 * vf_walk with the folder's descriptor and the file's name as well, so
 * that each case is opened relative to its folder.
 */
int	vf_walkat(struct vf_root *, int (*)(int, const char *, const char *,
	    const char *, void *), void *);
/*
 * The folders vf_walkat reads, as they stand (each one's mtime), so that a
 * tool can tell whether a case was filed, moved, rewritten or removed
 * while it walked: vf_tree_changed is 1 when a folder changed since the
 * stamp, or changed so shortly before it that its time cannot tell.
 */
struct vf_stamp {
	struct timespec	 at;		/* when it was taken */
	struct timespec	*m;		/* per state, new/ then cur/ */
	size_t		 n;
};
void	vf_tree_stamp(struct vf_root *, struct vf_stamp *);
int	vf_tree_changed(struct vf_root *, const struct vf_stamp *);
void	vf_stamp_free(struct vf_stamp *);

#endif
