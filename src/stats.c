/*
 * The statistics an office publishes every quarter (IPA's "届出状況":
 * reports received by type, per quarter and in all, per working day;
 * outcomes; the share handled in time; open web cases older than 90
 * days; the kinds of vulnerability; how long handling took).
 *
 * Made only from what the public may see and what the deletion of the
 * reporter's information keeps: the kind, the dates (received, status
 * dates, the times notices were sent), the state, and the CWE number of
 * web.type (never its free text). Counts and durations only: no case
 * id, no product, no text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vf.h"

#define DAY	86400
#define KINDS	4	/* software, web, vendor, unknown */

static const char *const kind_names[KINDS] = { "software", "web", "vendor",
    "unknown" };

static int
kind_index(const char *kind)
{
	switch (vf_kind_bit(kind)) {
	case VF_KIND_SOFTWARE:
		return 0;
	case VF_KIND_WEB:
		return 1;
	case VF_KIND_VENDOR:
		return 2;
	default:
		return 3;
	}
}

/* 2026Q4 as a number: year * 4 + quarter - 1. */
static int
quarter_of(time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	return (tm.tm_year + 1900) * 4 + tm.tm_mon / 3;
}

static time_t
quarter_start(int q)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = q / 4 - 1900;
	tm.tm_mon = (q % 4) * 3;
	tm.tm_mday = 1;
	return timegm(&tm);
}

static void
delay_add(struct vf_delays *d, double days)
{
	if (d->n == d->cap) {
		d->cap = d->cap < 64 ? 64 : d->cap * 2;
		d->v = vf_reallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n++] = days;
}

/* The CWE number in a web.type value, or 0. */
static long
cwe_of(const char *v)
{
	const char *p;
	long n = 0;

	if (v == NULL)
		return 0;
	/* 'C' first: a call at every byte was a sixth of vf-stats. */
	for (p = v; *p != '\0'; p++)
		if ((*p | 0x20) == 'c' && strncasecmp(p, "CWE-", 4) == 0 &&
		    p[4] >= '0' && p[4] <= '9') {
			for (p += 4; *p >= '0' && *p <= '9' && n < 100000000;
			    p++)
				n = n * 10 + (*p - '0');
			return n;
		}
	return 0;
}

static struct vf_qrow *
row(struct vf_stats *s, int q)
{
	size_t i;

	if (s->nq == 0) {
		s->q0 = q;
		s->nq = 1;
		s->q = vf_calloc(1, sizeof(*s->q));
	}
	if (q < s->q0) {
		size_t more = (size_t)(s->q0 - q);

		s->q = vf_reallocarray(s->q, s->nq + more, sizeof(*s->q));
		memmove(s->q + more, s->q, s->nq * sizeof(*s->q));
		memset(s->q, 0, more * sizeof(*s->q));
		s->nq += more;
		s->q0 = q;
	}
	i = (size_t)(q - s->q0);
	if (i >= s->nq) {
		s->q = vf_reallocarray(s->q, i + 1, sizeof(*s->q));
		memset(s->q + s->nq, 0, (i + 1 - s->nq) * sizeof(*s->q));
		s->nq = i + 1;
	}
	return &s->q[i];
}

static void
cwe_count(struct vf_stats *s, long cwe, int k)
{
	size_t i;

	for (i = 0; i < s->ncwe; i++)
		if (s->cwe[i].cwe == cwe)
			break;
	if (i == s->ncwe) {
		s->cwe = vf_reallocarray(s->cwe, s->ncwe + 1, sizeof(*s->cwe));
		memset(&s->cwe[s->ncwe], 0, sizeof(*s->cwe));
		s->cwe[s->ncwe++].cwe = cwe;
	}
	s->cwe[i].n[k]++;
}

/* The first notice to the site operator: when the 90 days start. */
static time_t
first_operator_notice(const struct vf_case *c)
{
	struct vf_notice nt;
	time_t first = 0;
	size_t i;

	for (i = 0; i < c->nhdr; i++)
		if (strcasecmp(c->hdr[i].name, "Vf-Notice") == 0 &&
		    vf_notice_parse(c->hdr[i].value + strspn(c->hdr[i].value,
		    " "), &nt) == 0 && strcmp(nt.role, "operator") == 0 &&
		    (first == 0 || nt.mtime < first))
			first = nt.mtime;
	return first;
}

void
vf_stats_add(struct vf_stats *s, const struct vf_case *c, const char *state)
{
	struct vf_qrow *r;
	time_t recv, acc, pub, fix, start;
	int k, si;

	if (vf_time_parse(vf_case_get(c, "Vf-Received"), &recv) == -1)
		return;
	k = kind_index(vf_case_get(c, "Vf-Kind"));
	r = row(s, quarter_of(recv));
	r->received[k]++;
	if (s->first == 0 || recv < s->first)
		s->first = recv;
	si = vf_state_index(state);
	if (si >= 0 && si < VF_STATS_STATES)
		s->state[k][si]++;

	acc = vf_date_parse(vf_case_field(c, "status.accepted"));
	pub = vf_date_parse(vf_case_field(c, "status.published"));
	fix = vf_date_parse(vf_case_field(c, "status.fixed"));
	if ((k == 0 || k == 2) && strcmp(state, "published") == 0 &&
	    pub != 0) {
		/* IPA counts from acceptance to publication: 45 days. */
		start = acc != 0 ? acc : recv - recv % DAY;
		s->sw_done++;
		if (pub - start <= 45L * DAY)
			s->sw_45++;
		delay_add(&s->delay[k], (double)(pub - (recv - recv % DAY)) /
		    DAY);
		row(s, quarter_of(pub))->published++;
	}
	if (k == 1 && strcmp(state, "fixed") == 0 && fix != 0) {
		/* From the notice to the operator to the fix: 90 days. */
		start = first_operator_notice(c);
		if (start == 0)
			start = acc != 0 ? acc : recv;
		start -= start % DAY;
		s->web_done++;
		if (fix - start <= 90L * DAY)
			s->web_90++;
		delay_add(&s->delay[k], (double)(fix - (recv - recv % DAY)) /
		    DAY);
		row(s, quarter_of(fix))->fixed++;
	}
	if (k == 1 && !vf_state_ended(state) && s->now - recv > 90L * DAY)
		s->web_open90++;
	if (k == 1)
		cwe_count(s, cwe_of(vf_case_field(c, "web.type")), k);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-quantile by linear interpolation between order statistics. */
static double
quantile(const double *v, size_t n, double p)
{
	double h = p * (double)(n - 1);
	size_t lo = (size_t)h;	/* h >= 0: the floor */

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Monday to Friday, less the holidays given, in [from, to). */
static long
working_days(time_t from, time_t to, const struct vf_stats *s)
{
	struct tm tm;
	time_t t;
	long n = 0;
	size_t i;

	for (t = from - from % DAY; t < to; t += DAY) {
		if (gmtime_r(&t, &tm) == NULL || tm.tm_wday == 0 ||
		    tm.tm_wday == 6)
			continue;
		for (i = 0; i < s->nholiday; i++)
			if (s->holiday[i] == t)
				break;
		if (i == s->nholiday)
			n++;
	}
	return n;
}

static void
qname(char *buf, size_t size, int q)
{
	(void)snprintf(buf, size, "%dQ%d", q / 4, q % 4 + 1);
}

const char *const vf_stats_tables[] = { "received", "outcomes", "timely",
    "open", "cwe", "delay", NULL };

int
vf_stats_print(struct vf_stats *s, const char *table, FILE *fp)
{
	char qn[16];
	size_t i;
	long cum = 0, wd, wdall;
	int k, q, rc = 0;

	if (strcmp(table, "received") == 0) {
		fprintf(fp, "quarter\tsoftware\tweb\tvendor\tunknown\ttotal\t"
		    "cumulative\tworking_days\tper_working_day\t"
		    "cumulative_per_working_day\tpublished\tfixed\n");
		for (i = 0; i < s->nq; i++) {
			struct vf_qrow *r = &s->q[i];
			long tot = 0;
			time_t a, b;

			q = s->q0 + (int)i;
			for (k = 0; k < KINDS; k++)
				tot += r->received[k];
			cum += tot;
			a = quarter_start(q);
			b = quarter_start(q + 1);
			if (b > s->now + DAY - s->now % DAY)
				b = s->now + DAY - s->now % DAY;
			wd = working_days(a, b, s);
			wdall = working_days(s->first, b, s);
			qname(qn, sizeof(qn), q);
			fprintf(fp, "%s\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%.2f\t"
			    "%.2f\t%ld\t%ld\n", qn, r->received[0],
			    r->received[1], r->received[2], r->received[3], tot,
			    cum, wd, wd > 0 ? (double)tot / wd : 0.0,
			    wdall > 0 ? (double)cum / wdall : 0.0,
			    r->published, r->fixed);
		}
	} else if (strcmp(table, "outcomes") == 0) {
		fprintf(fp, "kind\tpublished\tfixed\tduplicate\trejected\t"
		    "referred\tunreachable\tclosed\topen\ttotal\n");
		for (k = 0; k < KINDS; k++) {
			long open = 0, tot = 0;
			int si;

			for (si = 0; vf_states[si] != NULL &&
			    si < VF_STATS_STATES; si++) {
				tot += s->state[k][si];
				if (!vf_state_ended(vf_states[si]))
					open += s->state[k][si];
			}
			if (tot == 0)
				continue;
#define ST(n)	s->state[k][vf_state_index(n)]
			fprintf(fp, "%s\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t"
			    "%ld\n", kind_names[k], ST("published"),
			    ST("fixed"), ST("duplicate"), ST("rejected"),
			    ST("referred"), ST("unreachable"), ST("closed"),
			    open, tot);
#undef ST
		}
	} else if (strcmp(table, "timely") == 0) {
		fprintf(fp, "measure\tdone\twithin\tshare\n");
		fprintf(fp, "software published within 45 days of acceptance"
		    "\t%ld\t%ld\t%.3f\n", s->sw_done, s->sw_45, s->sw_done ?
		    (double)s->sw_45 / s->sw_done : 0.0);
		fprintf(fp, "web fixed within 90 days of the notice to the "
		    "operator\t%ld\t%ld\t%.3f\n", s->web_done, s->web_90,
		    s->web_done ? (double)s->web_90 / s->web_done : 0.0);
	} else if (strcmp(table, "open") == 0) {
		fprintf(fp, "measure\tcount\n");
		fprintf(fp, "web cases open more than 90 days after receipt\t"
		    "%ld\n", s->web_open90);
	} else if (strcmp(table, "cwe") == 0) {
		fprintf(fp, "cwe\tweb\n");
		for (i = 0; i < s->ncwe; i++) {
			if (s->cwe[i].cwe == 0)
				continue;
			fprintf(fp, "CWE-%ld\t%ld\n", s->cwe[i].cwe,
			    s->cwe[i].n[1]);
		}
		for (i = 0; i < s->ncwe; i++)
			if (s->cwe[i].cwe == 0)
				fprintf(fp, "unspecified\t%ld\n",
				    s->cwe[i].n[1]);
	} else if (strcmp(table, "delay") == 0) {
		fprintf(fp, "kind\toutcome\tcount\tmedian_days\tp25_days\t"
		    "p75_days\tp90_days\tmax_days\n");
		for (k = 0; k < KINDS; k++) {
			struct vf_delays *d = &s->delay[k];

			if (d->n == 0)
				continue;
			qsort(d->v, d->n, sizeof(*d->v), cmp_double);
			fprintf(fp, "%s\t%s\t%zu\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n",
			    kind_names[k], k == 1 ? "fixed" : "published", d->n,
			    quantile(d->v, d->n, 0.5), quantile(d->v, d->n,
			    0.25), quantile(d->v, d->n, 0.75),
			    quantile(d->v, d->n, 0.9), d->v[d->n - 1]);
		}
	} else
		rc = EX_USAGE;
	return rc;
}

int
vf_stats_holidays(struct vf_stats *s, const char *path)
{
	FILE *fp;
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	unsigned long ln = 0;
	time_t t;

	if ((fp = fopen(path, "r")) == NULL)
		return EX_NOINPUT;
	while ((n = getline(&line, &size, fp)) != -1) {
		ln++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((t = vf_date_parse(line)) == 0) {
			fprintf(stderr, "%s:%lu: want YYYY-MM-DD\n", path, ln);
			free(line);
			fclose(fp);
			return EX_DATAERR;
		}
		s->holiday = vf_reallocarray(s->holiday, s->nholiday + 1,
		    sizeof(*s->holiday));
		s->holiday[s->nholiday++] = t;
	}
	free(line);
	fclose(fp);
	return 0;
}

void
vf_stats_free(struct vf_stats *s)
{
	int k;

	free(s->q);
	free(s->cwe);
	free(s->holiday);
	for (k = 0; k < KINDS; k++)
		free(s->delay[k].v);
	memset(s, 0, sizeof(*s));
}
