/* demo_course.c — the demo's eighteen days after the case: every
 * quarantined person sampled singly on their plan's days (negative), each
 * stage ended on the day its conditions hold (home, then released), and
 * the patient discharged cured on the 18th day, then planned as a
 * discharged patient.
 * Samples and results go through the real importer as CSV; releases and
 * the discharge through the same functions as the CLI and the API. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/quarantine_run.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* What one day of quarantine_run_due asks for. */
struct course_day {
	struct strbuf samples, results;
	int64_t *release;        /* plans whose stage may end today */
	size_t n_release, alloc;
	int64_t *sampled_ids;     /* plans with a tube today */
	size_t n_sampled, sampled_alloc;
	long tube, sampled;
	int32_t day;
	bool first;               /* the day the contacts are found */
};

/* Whether plan id already has a tube today (else remember it). */
static bool seen(struct course_day *c, int64_t id)
{
	for (size_t i = 0; i < c->n_sampled; i++)
		if (c->sampled_ids[i] == id)
			return true;
	c->sampled_ids = xgrow(c->sampled_ids, sizeof *c->sampled_ids,
			       c->n_sampled + 1, &c->sampled_alloc);
	c->sampled_ids[c->n_sampled++] = id;
	return false;
}

static enum cd_code take_due(void *ctx, const struct quarantine_due *d)
{
	struct course_day *c = ctx;
	char when[32], done[32];
	/* On the day they are found, everyone is sampled at once: that
	 * sample makes up the days before (quarantine_test_outcome). */
	bool found_today = c->first && d->kind == QD_OVERDUE &&
			   d->part != QP_NONE && d->part != QP_MONITORING;
	if ((d->kind == QD_SAMPLE || found_today) && !seen(c, d->q.id)) {
		instant_format_iso(demo_at(c->day, c->first ? 10 : 8), when,
				   sizeof when);
		instant_format_iso(demo_at(c->day, 14), done, sizeof done);
		c->tube++;
		strbuf_addf(&c->samples, "S%06ld,1,隔离点采样,%s,,%s,\n",
			    c->tube, when, d->q.rid);
		strbuf_addf(&c->results, "S%06ld,negative,衡南县疾控中心"
			    "实验室,%s\n", c->tube, done);
		c->sampled++;
	} else if (d->kind == QD_RELEASE) {
		c->release = xgrow(c->release, sizeof *c->release,
				   c->n_release + 1, &c->alloc);
		c->release[c->n_release++] = d->q.id;
	}
	return CD_OK;
}

/* One day: the day's samples at 08:00 (10:00 on the first day, after the
 * plans are made) with negative results at 14:00,
 * then every stage due to end that day ended if its conditions hold
 * (counted in *home and *released; *held counts those refused). */
static enum cd_code course_day(struct store *st, const struct rules *r,
			       int32_t d, bool first, long *tube, long *sampled,
			       long *home, long *released, long *held,
			       struct cd_err *err)
{
	struct course_day c = { STRBUF_INIT, STRBUF_INIT, NULL, 0, 0,
				NULL, 0, 0, *tube, 0, d, first };
	strbuf_addstr(&c.samples, "tube,pool_size,point,sampled_at,round,"
		      "resident_id,retest_of\n");
	strbuf_addstr(&c.results, "tube,result,lab,result_at\n");
	enum cd_code rc = quarantine_run_due(st, d, take_due, &c, err);
	if (!rc && c.sampled)
		rc = demo_feed(st, r, IMPORT_SAMPLES, "quarantine samples",
			       &c.samples, demo_at(d, 12), err);
	if (!rc && c.sampled)
		rc = demo_feed(st, r, IMPORT_RESULTS, "quarantine results",
			       &c.results, demo_at(d, 14), err);
	struct quarantine_run run = { st, r, d, demo_at(d, 16), { 14, false } };
	for (size_t i = 0; !rc && i < c.n_release; i++) {
		enum quarantine_status next;
		struct quarantine_run_report rep;
		rc = quarantine_run_release(&run, c.release[i], &next, &rep,
					    err);
		if (rc == CD_ERULE) {   /* conditions not met: stays */
			(*held)++;
			cd_err_clear(err);
			rc = CD_OK;
		} else if (!rc) {
			*home += next == QS_HOME;
			*released += next == QS_RELEASED;
		}
	}
	*tube = c.tube;
	*sampled += c.sampled;
	strbuf_release(&c.samples);
	strbuf_release(&c.results);
	free(c.release);
	free(c.sampled_ids);
	return rc;
}

/* The patient of case `number` discharged cured on day d, then planned
 * as a discharged patient from that day. */
static enum cd_code discharge(struct store *st, const struct rules *r,
			      const char *number, int32_t d,
			      struct cd_err *err)
{
	struct store_case_view old;
	enum cd_code rc = store_case_get(st, number, &old, err);
	if (rc)
		return rc;
	struct case_rec neu = old.c;
	neu.outcome = OUTCOME_CURED;
	neu.outcome_date = d;
	if ((rc = case_check_change(&old.c, &neu, err)) ||
	    (rc = case_validate(&neu, d, err)) ||   /* as of day d */
	    (rc = store_case_update(st, &neu, err)))
		return rc;
	struct quarantine_run run = { st, r, d, demo_at(d, 10), { 14, false } };
	struct quarantine_run_report rep;
	int64_t id;
	return quarantine_run_plan_discharged(&run, number, &id, &rep, err);
}

/* See demo.h. */
int demo_course(struct store *st, const struct rules *r, const char *number,
		int32_t day0, int days)
{
	struct cd_err err;
	long tube = 0, sampled = 0, home = 0, released = 0, held = 0;
	char a[11], b[11];
	cd_err_clear(&err);
	enum cd_code rc = CD_OK;
	for (int32_t d = day0; !rc && d <= day0 + days; d++) {
		if (d == day0 + days)
			rc = discharge(st, r, number, d, &err);
		if (!rc)
			rc = course_day(st, r, d, d == day0, &tube, &sampled, &home,
					&released, &held, &err);
	}
	if (rc)
		return cli_fail_err(&err);
	date_format(day0, a, sizeof a);
	date_format(day0 + days, b, sizeof b);
	printf("  %s to %s: %ld single-tube samples on the plans' days, all "
	       "negative;\n  %ld moved from hotel to home quarantine, %ld "
	       "released on schedule, %ld held\n  back (conditions not met "
	       "on the day)\n", a, b, sampled, home, released, held);
	printf("  %s: the patient of %s discharged cured (出院), then "
	       "planned as a\n  discharged patient under the profile "
	       "('cordon quarantine show')\n", b, number);
	return 0;
}
