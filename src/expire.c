/*
 * What time has done to a case: deadlines, reminders due, closure due,
 * the end of the grace period before the reporter's details go. Only
 * decisions here, on a case in memory and the clock (vf_now): the tool
 * acts on them (vf-expire).
 *
 * The case says what happened and when, in the contract's records:
 *  - "Vf-Notice: KIND ROLE <MESSAGE-ID> TIME", one per notice sent
 *    (vf-notify): when the office last wrote to whom;
 *  - follow-up parts with Vf-Received and Vf-Party (vf-parse): when a
 *    party last wrote to the office. A follow-up without Vf-Party (filed
 *    before vf-parse named parties) counts as an answer from anyone, so
 *    that no deadline is flagged for a case someone did answer;
 *  - status.answered (vf-decide): the day the operator answered;
 *  - status.pubdate-utc: the agreed publication time;
 *  - the history: the time of every change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"

#define DAY	86400

int
vf_expire_config(struct vf_expire_cfg *ec, const struct vf_config *cfg)
{
	static const struct {
		const char	*key;
		long long	 def;
		size_t		 off;
	} keys[] = {
		{ "retention-days", 0, offsetof(struct vf_expire_cfg,
		    retention_days) },
		{ "reply-deadline-days", 14, offsetof(struct vf_expire_cfg,
		    reply_days) },
		{ "operator-wait-days", 60, offsetof(struct vf_expire_cfg,
		    operator_wait_days) },
		{ "idle-days", 30, offsetof(struct vf_expire_cfg, idle_days) },
		{ "notice-wait-days", 7, offsetof(struct vf_expire_cfg,
		    notice_wait_days) },
	};
	char err[256];
	long long v;
	size_t i;

	memset(ec, 0, sizeof(*ec));
	ec->now = vf_now();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = vf_config_num(cfg, keys[i].key, 0, 36500, keys[i].def,
		    err, sizeof(err));
		if (v == -1) {
			fprintf(stderr, "config: %s\n", err);
			return EX_CONFIG;
		}
		*(long *)((char *)ec + keys[i].off) = (long)v;
	}
	return 0;
}

/* "YYYY-MM-DD" (a status date) as the start of that day, UTC; 0 if not. */
time_t
vf_date_parse(const char *s)
{
	char buf[32];
	time_t t;

	if (s == NULL || strlen(s) != 10 ||
	    snprintf(buf, sizeof(buf), "%sT00:00:00Z", s) >= (int)sizeof(buf) ||
	    vf_time_parse(buf, &t) == -1)
		return 0;
	return t;
}

/* The time at the start of a history line, 0 if none. */
static time_t
hist_time(const char *line)
{
	char buf[21];
	time_t t;

	if (strlen(line) < 20)
		return 0;
	memcpy(buf, line, 20);
	buf[20] = '\0';
	return vf_time_parse(buf, &t) == 0 ? t : 0;
}

/*
 * A Vf-Notice header, ASCII case ignored; its fourth letter first, as
 * every header of every open case is asked, most of them Vf- too.
 */
static int
is_notice(const char *n)
{
	return (n[0] | 0x20) == 'v' && (n[1] | 0x20) == 'f' && n[2] == '-' &&
	    (n[3] | 0x20) == 'n' && vf_name_eq(n + 4, "otice");
}

int
vf_notice_parse(const char *v, struct vf_notice *nt)
{
	char when[32], mid[1000];

	memset(nt, 0, sizeof(*nt));
	if (v == NULL || sscanf(v, "%31s %15s %999s %31s", nt->kind, nt->role,
	    mid, when) != 4 || vf_time_parse(when, &nt->mtime) == -1)
		return -1;
	/* Its outbox file's name, if the Message-ID is one of ours. */
	if (vf_outbox_name(mid, nt->rel, sizeof(nt->rel)) == -1)
		nt->rel[0] = '\0';
	return 0;
}

void
vf_case_clock(const struct vf_case *c, struct vf_clock *k)
{
	struct vf_notice nt;
	const char *v, *party;
	time_t t;
	size_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < c->nhist; i++)
		if ((t = hist_time(c->hist[i])) > k->last)
			k->last = t;
	if (vf_time_parse(vf_case_get(c, "Vf-Received"), &t) == 0) {
		k->received = t;
		if (t > k->last)
			k->last = t;
	}
	for (i = 0; i < c->nhdr; i++) {
		if (!is_notice(c->hdr[i].name) ||
		    vf_notice_parse(c->hdr[i].value + strspn(c->hdr[i].value,
		    " "), &nt) == -1)
			continue;
		if (nt.mtime > k->last)
			k->last = nt.mtime;
		if (strcmp(nt.role, "operator") == 0) {
			if (nt.mtime > k->op_out)
				k->op_out = nt.mtime;
		}
		if (strcmp(nt.kind, "reminder") == 0)
			k->reminders++;
		if (strcmp(nt.kind, "closed") == 0 &&
		    strcmp(nt.role, "reporter") == 0)
			k->told_closed = 1;
	}
	for (i = 2; i < c->npart; i++) {
		if ((v = vf_cpart_get(&c->part[i], "Vf-Part")) == NULL ||
		    strcmp(v, VF_PART_FOLLOWUP) != 0 ||
		    vf_time_parse(vf_cpart_get(&c->part[i], "Vf-Received"),
		    &t) == -1)
			continue;
		if (t > k->last)
			k->last = t;
		party = vf_cpart_get(&c->part[i], "Vf-Party");
		if (party == NULL || strcmp(party, "unknown") == 0)
			party = "any";
		if (strcmp(party, "operator") == 0 || strcmp(party, "any") == 0)
			if (t > k->op_in)
				k->op_in = t;
	}
	if ((t = vf_date_parse(vf_case_field(c, "status.answered"))) > k->op_in)
		k->op_in = t;
}

/*
 * The operator's silence: the first notice to the operator after the
 * operator last wrote, and the last one (reminders between).
 */
static void
operator_silence(const struct vf_case *c, const struct vf_clock *k,
    time_t *first, time_t *last, int *count)
{
	struct vf_notice nt;
	size_t i;

	*first = *last = 0;
	*count = 0;
	for (i = 0; i < c->nhdr; i++) {
		if (!is_notice(c->hdr[i].name) ||
		    vf_notice_parse(c->hdr[i].value + strspn(c->hdr[i].value,
		    " "), &nt) == -1 || strcmp(nt.role, "operator") != 0 ||
		    nt.mtime <= k->op_in)
			continue;
		if (*first == 0 || nt.mtime < *first)
			*first = nt.mtime;
		if (nt.mtime > *last)
			*last = nt.mtime;
		(*count)++;
	}
}

enum vf_web vf_expire_web(const struct vf_case *c, const char *state,
    const struct vf_expire_cfg *ec, time_t *since, int *reminders)
{
	struct vf_clock k;
	time_t first, last;
	int n;

	*since = 0;
	*reminders = 0;
	if (vf_kind_bit(vf_case_get(c, "Vf-Kind")) != VF_KIND_WEB ||
	    (strcmp(state, "contacted") != 0 && strcmp(state, "waiting") != 0))
		return VF_WEB_NONE;
	vf_case_clock(c, &k);
	operator_silence(c, &k, &first, &last, &n);
	if (n == 0)
		return VF_WEB_NONE;	/* the operator answered the last */
	*since = first;
	*reminders = n - 1;
	/* Every notice gets its full reply deadline, the last one too. */
	if (ec->now - last < ec->reply_days * DAY)
		return VF_WEB_NONE;
	/* Never closed unreminded, however long ago the first notice was. */
	if (ec->now - first >= ec->operator_wait_days * DAY && n >= 2)
		return VF_WEB_CLOSE;
	return VF_WEB_REMIND;
}

/* The day handling ended: the latest status date, else the last change. */
time_t
vf_expire_ended(const struct vf_case *c)
{
	static const char *const keys[] = { "status.closed",
	    "status.published", "status.fixed" };
	struct vf_clock k;
	time_t t, end = 0;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((t = vf_date_parse(vf_case_field(c, keys[i]))) > end)
			end = t;
	if (end != 0)
		return end;
	vf_case_clock(c, &k);
	return k.last;
}

static void
flag(struct vf_buf *b, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
flag(struct vf_buf *b, const char *what, const char *fmt, ...)
{
	va_list ap;

	vf_buf_printf(b, "%s\t", what);
	va_start(ap, fmt);
	vf_buf_vprintf(b, fmt, ap);
	va_end(ap);
	vf_buf_addc(b, '\n');
}

/*
 * Notices that ask a party for an answer, and who is to answer: the
 * reporter (what is missing, a relayed question), the coordinator (the
 * report; the answer is the publication date).
 */
static const struct {
	const char	*kind;
	const char	*role;
} asks[] = {
	{ "missing", "reporter" },
	{ "question", "reporter" },
	{ "coordinator", "coordinator" },
	{ "answer", "vendor" },
	{ "answer", "coordinator" },
};

/* Did that party (or an unnamed one) write after t? */
static int
answered(const struct vf_case *c, const char *role, time_t t)
{
	const char *v, *party;
	time_t when;
	size_t i;

	for (i = 2; i < c->npart; i++) {
		if ((v = vf_cpart_get(&c->part[i], "Vf-Part")) == NULL ||
		    strcmp(v, VF_PART_FOLLOWUP) != 0 ||
		    vf_time_parse(vf_cpart_get(&c->part[i], "Vf-Received"),
		    &when) == -1 || when < t)
			continue;
		party = vf_cpart_get(&c->part[i], "Vf-Party");
		if (party == NULL || strcmp(party, "unknown") == 0 ||
		    strcmp(party, role) == 0)
			return 1;
	}
	/* The coordinator's answer is the date it agreed with the vendor. */
	if (strcmp(role, "coordinator") == 0 &&
	    vf_case_field(c, "status.pubdate-utc") != NULL)
		return 1;
	return 0;
}

size_t
vf_expire_flags(const struct vf_case *c, const char *state,
    const struct vf_expire_cfg *ec, struct vf_buf *out)
{
	struct vf_clock k;
	struct vf_notice nt;
	const char *pub;
	char when[32];
	time_t t;
	size_t i, j, n = 0, start = out->len;

	if (vf_state_ended(state))
		return 0;
	vf_case_clock(c, &k);
	pub = vf_case_field(c, "status.pubdate-utc");
	if (pub != NULL && (vf_kind_bit(vf_case_get(c, "Vf-Kind")) &
	    (VF_KIND_SOFTWARE | VF_KIND_VENDOR)) != 0) {
		if (vf_time_parse(pub, &t) == -1)
			flag(out, "flag-pubdate", "status.pubdate-utc is not "
			    "YYYY-MM-DDThh:mm:ssZ: %s", pub);
		else if (t <= ec->now)
			flag(out, "flag-pubdate", "agreed publication %s "
			    "(%s) has passed; not marked published", pub,
			    vf_case_field(c, "status.pubdate") != NULL ?
			    vf_case_field(c, "status.pubdate") : "as agreed");
	}
	if (k.last != 0 && ec->now - k.last >= ec->idle_days * DAY) {
		vf_timestamp(when, sizeof(when), k.last);
		flag(out, "flag-idle", "nothing happened since %s (%ld days; "
		    "idle-days %ld)", when, (long)((ec->now - k.last) / DAY),
		    ec->idle_days);
	}
	for (i = 0; i < c->nhdr; i++) {
		if (!is_notice(c->hdr[i].name) ||
		    vf_notice_parse(c->hdr[i].value + strspn(c->hdr[i].value,
		    " "), &nt) == -1)
			continue;
		for (j = 0; j < sizeof(asks) / sizeof(asks[0]); j++)
			if (strcmp(asks[j].kind, nt.kind) == 0 &&
			    strcmp(asks[j].role, nt.role) == 0)
				break;
		if (j == sizeof(asks) / sizeof(asks[0]) ||
		    ec->now - nt.mtime < ec->reply_days * DAY ||
		    answered(c, nt.role, nt.mtime))
			continue;
		vf_timestamp(when, sizeof(when), nt.mtime);
		flag(out, "flag-deadline", "no answer from the %s to the %s "
		    "notice of %s (reply-deadline-days %ld)", nt.role, nt.kind,
		    when, ec->reply_days);
	}
	for (i = start; i < out->len; i++)
		n += out->p[i] == '\n';
	return n;
}
