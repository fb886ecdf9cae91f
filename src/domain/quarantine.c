/* quarantine.c — plans from the rules, regimes as text, test outcomes,
 * release and upgrade. How days count: quarantine.h. */
#include "domain/quarantine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static const char *const group_names[QG_COUNT] = { "close", "secondary",
						   "discharged" };
static const char *const part_names[QP_COUNT] = { "central", "home",
						  "monitoring" };
static const char *const status_names[QS_COUNT] = {
	"waiting", "central", "home", "released", "upgraded", "replanned"
};

/* The index of s in names[n], or -1. */
static int find_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* See domain/quarantine.h. */
const char *quarantine_group_name(enum quarantine_group g)
{
	return g < QG_COUNT ? group_names[g] : "";
}

/* See domain/quarantine.h. */
enum cd_code quarantine_group_parse(const char *s, enum quarantine_group *out,
				    struct cd_err *err)
{
	int i = find_name(group_names, QG_COUNT, s);
	if (i < 0)
		return cd_err_set(err, CD_EINVAL, "must be close, secondary or "
				  "discharged");
	*out = (enum quarantine_group)i;
	return CD_OK;
}

/* See domain/quarantine.h. */
const char *quarantine_part_name(enum quarantine_part p)
{
	return p < QP_COUNT ? part_names[p] : "";
}

/* See domain/quarantine.h. */
enum cd_code quarantine_part_parse(const char *s, enum quarantine_part *out,
				   struct cd_err *err)
{
	int i = find_name(part_names, QP_COUNT, s);
	if (i < 0)
		return cd_err_set(err, CD_EINVAL, "must be central, home or "
				  "monitoring");
	*out = (enum quarantine_part)i;
	return CD_OK;
}

/* See domain/quarantine.h. */
const char *quarantine_status_name(enum quarantine_status s)
{
	return s < QS_COUNT ? status_names[s] : "";
}

/* See domain/quarantine.h. */
enum cd_code quarantine_status_parse(const char *s,
				     enum quarantine_status *out,
				     struct cd_err *err)
{
	int i = find_name(status_names, QS_COUNT, s);
	if (i < 0)
		return cd_err_set(err, CD_EINVAL, "must be waiting, central, "
				  "home, released, upgraded or replanned");
	*out = (enum quarantine_status)i;
	return CD_OK;
}

/* See domain/quarantine.h. */
bool quarantine_status_open(enum quarantine_status s)
{
	return s == QS_WAITING || s == QS_CENTRAL || s == QS_HOME;
}

/* ---- the plan */

/* Lay out one part from *start: its dates and its sampling days. */
static enum cd_code lay_part(struct quarantine_plan *p, enum quarantine_part part,
			     int days, const struct rules_days *t,
			     int32_t *start, struct cd_err *err)
{
	if (days < 0 || days > 366)
		return cd_err_set(err, CD_EINVAL, "%s part of %d days",
				  part_names[part], days);
	for (int i = 0; i < t->n; i++) {
		int d = t->day[i];
		if (d < 1 || d > days || (i && d <= t->day[i - 1]))
			return cd_err_set(err, CD_EINVAL, "%s test day %d is "
					  "not a day of a %d-day part",
					  part_names[part], d, days);
		struct quarantine_test *x = &p->tests[p->ntests++];
		x->date = *start + d - 1;
		x->part = part;
		x->day = d;
	}
	if (days) {
		p->first[part] = *start;
		p->last[part] = *start + days - 1;
		*start += days;
	}
	return CD_OK;
}

/* See domain/quarantine.h. */
enum cd_code quarantine_plan_from(const struct rules_regime *g, int needs,
				  enum quarantine_group grp, int32_t exposure,
				  struct quarantine_plan *out,
				  struct cd_err *err)
{
	int32_t start = exposure + 1;
	enum cd_code rc;
	memset(out, 0, sizeof *out);
	out->grp = grp;
	out->regime = *g;
	out->needs_close_tests = grp == QG_SECONDARY ? needs : 0;
	out->exposure = exposure;
	if ((rc = lay_part(out, QP_CENTRAL, g->central_days, &g->central_tests,
			   &start, err)) ||
	    (rc = lay_part(out, QP_HOME, g->home_days, &g->home_tests, &start,
			   err)) ||
	    (rc = lay_part(out, QP_MONITORING, g->monitoring_days,
			   &g->monitoring_tests, &start, err)))
		return rc;
	return CD_OK;
}

/* See domain/quarantine.h. */
enum cd_code quarantine_plan_make(const struct rules_quarantine *q,
				  enum quarantine_group grp, int32_t exposure,
				  struct quarantine_plan *out,
				  struct cd_err *err)
{
	const struct rules_regime *g = grp == QG_CLOSE	   ? &q->close
				       : grp == QG_SECONDARY ? &q->secondary
							     : &q->discharged;
	if (!g->identified)
		return cd_err_set(err, CD_ERULE, "%s contacts are not "
				  "identified under these rules",
				  quarantine_group_name(grp));
	return quarantine_plan_from(g, q->secondary_needs_close_tests, grp,
				    exposure, out, err);
}

/* See domain/quarantine.h. */
int32_t quarantine_end(const struct quarantine_plan *p)
{
	if (p->last[QP_HOME])
		return p->last[QP_HOME];
	return p->last[QP_CENTRAL] ? p->last[QP_CENTRAL] : p->exposure;
}

/* See domain/quarantine.h. */
int32_t quarantine_monitoring_end(const struct quarantine_plan *p)
{
	return p->last[QP_MONITORING];
}

/* See domain/quarantine.h. */
enum quarantine_part quarantine_part_on(const struct quarantine_plan *p,
					int32_t day)
{
	for (int i = 0; i < QP_COUNT; i++)
		if (p->first[i] && day >= p->first[i] && day <= p->last[i])
			return (enum quarantine_part)i;
	return QP_NONE;
}

/* See domain/quarantine.h. */
enum quarantine_status quarantine_first_status(const struct quarantine_plan *p)
{
	return p->regime.central_days > 0 ? QS_WAITING : QS_HOME;
}

/* See domain/quarantine.h. */
int32_t quarantine_stage_end(const struct quarantine_plan *p,
			     enum quarantine_status s,
			     enum quarantine_status *next)
{
	if ((s == QS_WAITING || s == QS_CENTRAL) && p->last[QP_CENTRAL] &&
	    p->last[QP_HOME]) {
		*next = QS_HOME;
		return p->last[QP_CENTRAL];
	}
	*next = QS_RELEASED;
	return quarantine_end(p);
}

/* ---- the regime as text */

static void days_format(int days, const struct rules_days *t,
			struct strbuf *sb)
{
	strbuf_addf(sb, "%d:", days);
	if (t->n == 0)
		strbuf_addstr(sb, "none");
	for (int i = 0; i < t->n; i++)
		strbuf_addf(sb, "%s%d", i ? "," : "", t->day[i]);
}

/* See domain/quarantine.h. */
void quarantine_regime_format(const struct rules_regime *g, int needs,
			      struct strbuf *sb)
{
	strbuf_addstr(sb, "central=");
	days_format(g->central_days, &g->central_tests, sb);
	strbuf_addstr(sb, " home=");
	days_format(g->home_days, &g->home_tests, sb);
	strbuf_addstr(sb, " monitoring=");
	days_format(g->monitoring_days, &g->monitoring_tests, sb);
	strbuf_addf(sb, " close_tests=%d", needs);
}

/* A whole number 0..999 at *s, advancing *s; -1 when there is none. */
static int number_at(const char **s)
{
	if (**s < '0' || **s > '9')
		return -1;
	char *end;
	errno = 0;
	long v = strtol(*s, &end, 10);
	if (errno || v > 999 || end - *s > 3)
		return -1;
	*s = end;
	return (int)v;
}

/* "NAME=DAYS:none" or "NAME=DAYS:1,4,7" at *s, then sep. */
static bool part_parse(const char **s, const char *name, int *days,
		       struct rules_days *t, char sep)
{
	size_t n = strlen(name);
	memset(t, 0, sizeof *t);
	if (strncmp(*s, name, n) != 0 || (*s)[n] != '=')
		return false;
	*s += n + 1;
	if ((*days = number_at(s)) < 0 || *(*s)++ != ':')
		return false;
	if (strncmp(*s, "none", 4) == 0) {
		*s += 4;
	} else {
		do {
			int d = number_at(s);
			if (d < 1 || t->n == RULES_MAX_TEST_DAYS ||
			    (t->n && d <= t->day[t->n - 1]))
				return false;
			t->day[t->n++] = d;
		} while (**s == ',' && (*s)++);
	}
	return *(*s)++ == sep;
}

/* See domain/quarantine.h. */
enum cd_code quarantine_regime_parse(const char *s, struct rules_regime *g,
				     int *needs, struct cd_err *err)
{
	const char *p = s;
	memset(g, 0, sizeof *g);
	g->identified = true;
	if (!part_parse(&p, "central", &g->central_days, &g->central_tests,
			' ') ||
	    !part_parse(&p, "home", &g->home_days, &g->home_tests, ' ') ||
	    !part_parse(&p, "monitoring", &g->monitoring_days,
			&g->monitoring_tests, ' ') ||
	    strncmp(p, "close_tests=", 12) != 0)
		goto bad;
	p += 12;
	if ((*needs = number_at(&p)) < 0 || *p)
		goto bad;
	struct quarantine_plan tmp;
	if (quarantine_plan_from(g, *needs, QG_CLOSE, 0, &tmp, err))
		goto bad;
	return CD_OK;
bad:
	return cd_err_set(err, CD_EINVAL, "regime '%.80s' is not of the form "
			  "central=D:T home=D:T monitoring=D:T close_tests=N",
			  s);
}

/* ---- tests */

static const char *const outcome_names[] = {
	"not sampled", "invalid result: sample again", "no result yet",
	"negative", "pool positive: single-tube retest pending", "positive"
};

/* See domain/quarantine.h. */
const char *quarantine_outcome_name(enum quarantine_outcome o)
{
	return o <= QO_POSITIVE ? outcome_names[o] : "";
}

/* The outcome of sample i alone: a positive pool is resolved by its
 * retests (which the person, a member, also has among their samples). */
static enum quarantine_outcome sample_outcome(const struct quarantine_sample *s,
					      size_t n, size_t i, int depth)
{
	const struct quarantine_sample *x = &s[i];
	if (x->result == QR_NONE)
		return QO_PENDING;
	if (x->result == QR_INVALID)
		return QO_INVALID;
	if (x->result == QR_NEGATIVE)
		return QO_NEGATIVE;
	if (x->pool_size <= 1)
		return QO_POSITIVE;
	enum quarantine_outcome o = QO_POOL_POSITIVE;
	for (size_t j = 0; j < n && depth < 4; j++) {
		if (j == i || s[j].retest_of != x->id)
			continue;
		enum quarantine_outcome r = sample_outcome(s, n, j, depth + 1);
		if (r == QO_POSITIVE)
			return QO_POSITIVE;
		if (r == QO_NEGATIVE)
			o = QO_NEGATIVE;
	}
	return o;
}

/* See domain/quarantine.h. */
enum quarantine_outcome quarantine_outcome_in(const struct quarantine_sample *s,
					      size_t n, int32_t from,
					      int32_t to)
{
	/* The outcomes are ordered from the least serious up. */
	enum quarantine_outcome o = QO_MISSING;
	for (size_t i = 0; i < n; i++) {
		if (s[i].date < from || s[i].date >= to)
			continue;
		enum quarantine_outcome x = sample_outcome(s, n, i, 0);
		if (x > o)
			o = x;
	}
	return o;
}

/* See domain/quarantine.h. */
enum quarantine_outcome quarantine_test_outcome(const struct quarantine_plan *p,
						int i,
						const struct quarantine_sample *s,
						size_t n)
{
	int last = i;   /* the test whose window closes this one's */
	if (p->planned && p->tests[i].date < p->planned)
		while (last + 1 < p->ntests && p->tests[last].date < p->planned)
			last++;
	int32_t to = last + 1 < p->ntests ? p->tests[last + 1].date
					  : INT32_MAX;
	return quarantine_outcome_in(s, n, p->tests[i].date, to);
}

/* See domain/quarantine.h. */
const char *quarantine_test_state(const struct quarantine_plan *p, int i,
				  const struct quarantine_sample *s, size_t n,
				  int32_t today)
{
	enum quarantine_outcome o = quarantine_test_outcome(p, i, s, n);
	if (o == QO_MISSING && p->tests[i].date >= today)
		return "scheduled";
	return quarantine_outcome_name(o);
}

/* See domain/quarantine.h. */
bool quarantine_positive_since(const struct quarantine_sample *s, size_t n,
			       int32_t since, int32_t *date)
{
	bool found = false;
	for (size_t i = 0; i < n; i++)
		if (s[i].date >= since && (!found || s[i].date < *date) &&
		    sample_outcome(s, n, i, 0) == QO_POSITIVE) {
			*date = s[i].date;
			found = true;
		}
	return found;
}

/* ---- release, upgrade */

static void reason(struct strbuf *why, bool *ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reason(struct strbuf *why, bool *ok, const char *fmt, ...)
{
	va_list ap;
	if (!*ok)
		strbuf_addstr(why, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(why, fmt, ap);
	va_end(ap);
	*ok = false;
}

/* Every scheduled test of the stage (before `end`, not monitoring) taken
 * by today must be negative. */
static void own_tests(const struct quarantine_release_in *in, int32_t end,
		      struct strbuf *why, bool *ok)
{
	const struct quarantine_plan *p = in->plan;
	for (int i = 0; i < p->ntests; i++) {
		const struct quarantine_test *t = &p->tests[i];
		if (t->part == QP_MONITORING || t->date > end ||
		    t->date > in->today)
			continue;
		enum quarantine_outcome o =
			quarantine_test_outcome(p, i, in->samples, in->nsamples);
		if (o == QO_NEGATIVE)
			continue;
		char d[16];
		date_format(t->date, d, sizeof d);
		reason(why, ok, "%s day %d test (%s): %s", part_names[t->part],
		       t->day, d, quarantine_outcome_name(o));
	}
}

/* The linked close contact: not positive, first N tests negative. */
static void linked_tests(const struct quarantine_release_in *in,
			 struct strbuf *why, bool *ok)
{
	const struct quarantine_linked *l = in->linked;
	const struct quarantine_plan *lp = l->plan;
	int32_t since = lp ? lp->exposure : in->plan->exposure;
	if (quarantine_linked_positive(l, since)) {
		reason(why, ok, "linked close contact %s is positive: upgrade "
		       "to close contact", l->name);
		return;
	}
	if (!lp) {
		reason(why, ok, "linked close contact %s has no quarantine "
		       "plan, so their tests are unknown", l->name);
		return;
	}
	for (int i = 0; i < lp->ntests && i < in->plan->needs_close_tests; i++) {
		enum quarantine_outcome o = quarantine_test_outcome(
			lp, i, l->samples, l->nsamples);
		if (o == QO_NEGATIVE)
			continue;
		char d[16];
		date_format(lp->tests[i].date, d, sizeof d);
		reason(why, ok, "linked close contact %s's test %d (%s): %s",
		       l->name, i + 1, d, quarantine_outcome_name(o));
	}
}

/* See domain/quarantine.h. */
bool quarantine_release_check(const struct quarantine_release_in *in,
			      enum quarantine_status *next, struct strbuf *why)
{
	const struct quarantine_plan *p = in->plan;
	bool ok = true;
	char d[16];
	int32_t end = quarantine_stage_end(p, in->status, next), pos;
	if (!quarantine_status_open(in->status)) {
		reason(why, &ok, "the plan is %s, not open",
		       quarantine_status_name(in->status));
		return false;
	}
	if (in->today < end) {
		date_format(end, d, sizeof d);
		reason(why, &ok, "%s ends on %s", *next == QS_HOME
		       ? "central quarantine" : "quarantine", d);
	}
	if (quarantine_positive_since(in->samples, in->nsamples, p->exposure,
				      &pos)) {
		date_format(pos, d, sizeof d);
		reason(why, &ok, "tested positive on %s", d);
	}
	own_tests(in, end, why, &ok);
	if (*next == QS_RELEASED && p->grp == QG_SECONDARY && in->linked)
		linked_tests(in, why, &ok);
	return ok;
}

/* See domain/quarantine.h. */
bool quarantine_linked_positive(const struct quarantine_linked *l,
				int32_t since)
{
	int32_t d;
	return l->is_case ||
	       quarantine_positive_since(l->samples, l->nsamples, since, &d);
}

/* See domain/quarantine.h. */
enum cd_code quarantine_upgrade(const struct rules_quarantine *q,
				const struct quarantine_plan *sec,
				int32_t exposure, struct quarantine_plan *out,
				struct cd_err *err)
{
	if (sec->grp != QG_SECONDARY)
		return cd_err_set(err, CD_ERULE, "only a secondary contact is "
				  "upgraded; this plan is for a %s",
				  quarantine_group_name(sec->grp));
	if (exposure < sec->exposure)
		exposure = sec->exposure;
	return quarantine_plan_make(q, QG_CLOSE, exposure, out, err);
}
