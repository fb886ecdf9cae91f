/* quarantine_due.c — the day's lists (who is sampled, whose stage ends,
 * who is overdue) and a person's quarantine state for health codes. */
#include "app/quarantine_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"


static void due_init(struct quarantine_due *d, enum quarantine_due_kind k,
		     const struct store_quarantine *q)
{
	memset(d, 0, sizeof *d);
	d->kind = k;
	d->q = *q;
	d->part = QP_NONE;
}

/* Everyone with a sampling day on `date`: open plans, and released ones
 * for their monitoring tests. */
static enum cd_code sampled(struct store *st, int32_t date,
			    quarantine_due_fn fn, void *ctx,
			    struct cd_err *err)
{
	struct quarantine_plans ps = { NULL, 0, 0 };
	struct store_quarantine_filter f = { .status = -1, .test_on = date };
	struct quarantine_plan p;
	enum cd_code rc = store_quarantine_list(st, &f,
				quarantine_plans_collect, &ps, err);
	for (size_t i = 0; i < ps.n && !rc; i++) {
		const struct store_quarantine *q = &ps.v[i];
		if ((rc = quarantine_run_load(q, &p, err)))
			break;
		for (int t = 0; t < p.ntests && !rc; t++) {
			if (p.tests[t].date != date ||
			    (!quarantine_status_open(q->status) &&
			     p.tests[t].part != QP_MONITORING))
				continue;
			struct quarantine_due d;
			due_init(&d, QD_SAMPLE, q);
			d.part = p.tests[t].part;
			d.day = p.tests[t].day;
			d.date = date;
			rc = fn(ctx, &d);
		}
	}
	free(ps.v);
	return rc;
}

/* A plan whose stage ends on `date` (kind QD_RELEASE) or before it
 * (QD_OVERDUE), with the release check on `date`. */
static enum cd_code stage_due(struct store *st, const struct store_quarantine *q,
			      const struct quarantine_plan *p, int32_t date,
			      enum quarantine_due_kind kind,
			      quarantine_due_fn fn, void *ctx,
			      struct cd_err *err)
{
	struct quarantine_due d;
	struct strbuf why = STRBUF_INIT;
	bool ok = false;
	due_init(&d, kind, q);
	d.date = quarantine_stage_end(p, q->status, &d.next);
	enum cd_code rc = quarantine_run_check(st, q, date, &d.next, &ok, &why,
					       err);
	if (!rc) {
		d.ready = ok;
		snprintf(d.why, sizeof d.why, "%s", ok ? "conditions hold"
							: why.buf);
		rc = fn(ctx, &d);
	}
	strbuf_release(&why);
	return rc;
}

/* The sampling days before `date` that passed without a sample: for an
 * open plan its quarantine tests, for a released one its monitoring
 * tests. */
static enum cd_code missed(struct store *st, const struct store_quarantine *q,
			   const struct quarantine_plan *p, int32_t date,
			   quarantine_due_fn fn, void *ctx, struct cd_err *err)
{
	struct quarantine_sample *s = NULL;
	size_t n = 0;
	bool open = quarantine_status_open(q->status);
	enum cd_code rc = store_quarantine_samples(st, q->person, &s, &n, err);
	for (int t = 0; t < p->ntests && !rc; t++) {
		const struct quarantine_test *x = &p->tests[t];
		if (x->date >= date || open == (x->part == QP_MONITORING) ||
		    quarantine_test_outcome(p, t, s, n) != QO_MISSING)
			continue;
		struct quarantine_due d;
		due_init(&d, QD_OVERDUE, q);
		d.part = x->part;
		d.day = x->day;
		d.date = x->date;
		snprintf(d.why, sizeof d.why, "%s day %d test not sampled",
			 quarantine_part_name(x->part), x->day);
		rc = fn(ctx, &d);
	}
	free(s);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_due(struct store *st, int32_t date,
				quarantine_due_fn fn, void *ctx,
				struct cd_err *err)
{
	struct quarantine_plans ps = { NULL, 0, 0 };
	struct store_quarantine_filter f = { .status = -1, .active_on = date };
	struct quarantine_plan p;
	enum cd_code rc = sampled(st, date, fn, ctx, err);
	if (!rc)
		rc = store_quarantine_list(st, &f,
					quarantine_plans_collect, &ps, err);
	/* two passes: every release first, then everything overdue */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		for (size_t i = 0; i < ps.n && !rc; i++) {
			const struct store_quarantine *q = &ps.v[i];
			enum quarantine_status next;
			if ((rc = quarantine_run_load(q, &p, err)))
				break;
			bool open = quarantine_status_open(q->status);
			int32_t end = quarantine_stage_end(&p, q->status, &next);
			if (pass == 0 && open && end == date)
				rc = stage_due(st, q, &p, date, QD_RELEASE, fn,
					       ctx, err);
			else if (pass == 1 && open && end < date)
				rc = stage_due(st, q, &p, date, QD_OVERDUE, fn,
					       ctx, err);
			else if (pass == 1)
				rc = missed(st, q, &p, date, fn, ctx, err);
		}
	}
	free(ps.v);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_state(struct store *st, uint32_t person,
				  int32_t day, struct quarantine_state *out,
				  struct cd_err *err)
{
	struct store_quarantine q;
	memset(out, 0, sizeof *out);
	out->part = QP_NONE;
	enum cd_code rc = store_quarantine_of(st, person, 1, &q, err);
	if (rc == CD_ENOTFOUND)
		return CD_OK;
	if (rc)
		return rc;
	out->any = true;
	out->id = q.id;
	out->grp = q.grp;
	out->status = q.status;
	out->quarantine_end = q.quarantine_end;
	out->monitoring_end = q.monitoring_end;
	out->ended_on = q.ended_on;
	snprintf(out->case_number, sizeof out->case_number, "%s",
		 q.case_number);
	if (quarantine_status_open(q.status))
		out->part = q.status == QS_HOME ? QP_HOME : QP_CENTRAL;
	else if (q.status == QS_RELEASED && day <= q.monitoring_end)
		out->part = QP_MONITORING;
	return CD_OK;
}

/* See app/quarantine_run.h. */
const char *quarantine_due_what(const struct quarantine_due *d, char *buf,
				size_t len)
{
	if (d->part != QP_NONE)
		snprintf(buf, len, "%s day %d", quarantine_part_name(d->part),
			 d->day);
	else
		snprintf(buf, len, "%s",
			 d->next == QS_HOME ? "move home" : "release");
	return buf;
}
