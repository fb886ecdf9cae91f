/* quarantine_run.h — quarantine against the store: plan the contacts of
 * a traced case (or a discharged patient), give rooms, release, upgrade a
 * secondary contact whose close contact turned positive, re-plan under
 * other rules, record monitoring, and the day's lists. Shared by the CLI
 * and the HTTP API. Every call that writes is one transaction: all or
 * nothing. docs/quarantine.md describes the model. */
#ifndef CORDON_QUARANTINE_RUN_H
#define CORDON_QUARANTINE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/quarantine.h"
#include "store/store.h"

struct strbuf;

/* What every call needs. rules decide new plans (plan, upgrade, replan)
 * and the fever threshold; an existing plan keeps its own regime. */
struct quarantine_run {
	struct store *st;
	const struct rules *rules;
	int32_t today;               /* the date decisions are made on */
	int64_t now;                 /* the instant written with records */
	struct quarantine_alloc_opts alloc;
};

struct quarantine_run_report {
	long planned;         /* new plans */
	long kept;            /* already under an open plan: kept */
	long upgraded;        /* secondary plans replaced by close ones */
	long not_identified;  /* the rules do not identify their group */
	long placed;          /* people given a room by this call */
	long waiting;         /* people still waiting for a room */
};

/* Plans gathered from store_quarantine_list (release v with free). */
struct quarantine_plans {
	struct store_quarantine *v;
	size_t n, alloc;
};
/* A store_quarantine_fn that appends to a struct quarantine_plans. */
enum cd_code quarantine_plans_collect(void *ctx,
				      const struct store_quarantine *q);

/* The plan a stored one describes, rebuilt from its own regime and last
 * exposure. CD_EDB when the stored dates disagree with the regime. */
enum cd_code quarantine_run_load(const struct store_quarantine *q,
				 struct quarantine_plan *p,
				 struct cd_err *err);

/* Plan every close and secondary contact (not a case) of the last trace of
 * the case `which` (a number or the case's resident ID): start at their
 * last exposure, under r->rules. A contact already under an open plan
 * keeps it, except that a secondary contact now close is upgraded. Then
 * rooms are given to everyone waiting. *case_id receives the case's id.
 * CD_ENOTFOUND for an unknown case. */
enum cd_code quarantine_run_plan_case(const struct quarantine_run *r,
				      const char *which,
				      struct quarantine_run_report *rep,
				      int64_t *case_id, struct cd_err *err);
/* Plan the patient of the case `which` after discharge: the case must be
 * cured; the clock starts at the outcome date. *id receives the plan.
 * CD_ERULE when not cured or already under an open plan. */
enum cd_code quarantine_run_plan_discharged(const struct quarantine_run *r,
					    const char *which, int64_t *id,
					    struct quarantine_run_report *rep,
					    struct cd_err *err);
/* Give free rooms to the plans waiting for one (most urgent group first,
 * then the oldest plan), without going over any capacity. *rep receives
 * how many were placed and how many still wait. */
enum cd_code quarantine_run_allocate(const struct quarantine_run *r,
				     struct quarantine_run_report *rep,
				     struct cd_err *err);

/* Whether the open plan q may end its present stage on `day`
 * (quarantine_release_check with the person's samples and, for a
 * secondary contact, their linked close contact's plan, samples and
 * case). *next: QS_HOME or QS_RELEASED; reasons appended to why. */
enum cd_code quarantine_run_check(struct store *st,
				  const struct store_quarantine *q,
				  int32_t day, enum quarantine_status *next,
				  bool *ok, struct strbuf *why,
				  struct cd_err *err);
/* End the present stage of plan id on r->today: move home or release,
 * freeing the room (which then goes to someone waiting: *rep counts
 * them). *next gets the new state. CD_ERULE with every reason when the
 * conditions do not hold; nothing is changed then. */
enum cd_code quarantine_run_release(const struct quarantine_run *r,
				    int64_t id, enum quarantine_status *next,
				    struct quarantine_run_report *rep,
				    struct cd_err *err);
/* Upgrade to close contact every open secondary plan whose linked close
 * contact turned positive (a case, or a positive test): a new plan under
 * r->rules from the new last exposure (their traced close exposure to
 * that person's case, else the secondary plan's). fn (may be NULL) is
 * called with each new plan after the commit. */
typedef void (*quarantine_run_fn)(void *ctx, const struct store_quarantine *q);
enum cd_code quarantine_run_upgrade(const struct quarantine_run *r,
				    quarantine_run_fn fn, void *ctx,
				    struct quarantine_run_report *rep,
				    struct cd_err *err);
/* Re-plan the open plan id under r->rules (explicitly: plans never change
 * by themselves): same group and last exposure, the old plan marked
 * replanned. *new_id receives the new plan. CD_ERULE when the rules do not
 * identify the group. */
enum cd_code quarantine_run_replan(const struct quarantine_run *r,
				   int64_t id, int64_t *new_id,
				   struct quarantine_run_report *rep,
				   struct cd_err *err);

/* Record a monitoring entry for the person of plan id at instant `at`: a
 * temperature in tenths of °C and symptoms (checked here). The plan must
 * be open or under health monitoring on that day. m receives the entry
 * with its alert ("" when none) under r->rules.checkpoint.fever_celsius. */
enum cd_code quarantine_run_monitor(const struct quarantine_run *r,
				    int64_t id, int64_t at, int tenths,
				    const char *symptoms,
				    struct store_monitoring *m,
				    struct cd_err *err);

/* ---- the day's lists (quarantine_due.c) */

enum quarantine_due_kind {
	QD_SAMPLE,    /* to be sampled on the day */
	QD_RELEASE,   /* the present stage ends on the day */
	QD_OVERDUE,   /* past the stage's end and not released, or a
			 sampling day passed without a sample */
};

struct quarantine_due {
	enum quarantine_due_kind kind;
	struct store_quarantine q;
	enum quarantine_part part;    /* the test's part (QP_NONE: none) */
	int day;                      /* the test's day of its part */
	int32_t date;                 /* the test's date, or the stage end */
	enum quarantine_status next;  /* release: QS_HOME or QS_RELEASED */
	bool ready;                   /* release: the conditions hold */
	char why[1024];               /* release, overdue: the reasons */
};
typedef enum cd_code (*quarantine_due_fn)(void *ctx,
					  const struct quarantine_due *d);
/* The lists for `date`, each by plan: who is sampled, whose stage ends,
 * who is overdue. Calls fn for each entry, all QD_SAMPLE first, then
 * QD_RELEASE, then QD_OVERDUE. */
enum cd_code quarantine_run_due(struct store *st, int32_t date,
				quarantine_due_fn fn, void *ctx,
				struct cd_err *err);
/* What is due for d, into buf: "central day 3" for a test, else "move
 * home" or "release". Returns buf. */
const char *quarantine_due_what(const struct quarantine_due *d, char *buf,
				size_t len);

/* A person's quarantine on a day, for health codes. */
struct quarantine_state {
	bool any;                     /* false: never planned */
	int64_t id;                   /* the open plan, else the latest */
	enum quarantine_group grp;
	enum quarantine_status status;
	enum quarantine_part part;    /* where they are on the day: central
					 (also while waiting for a room),
					 home, monitoring after release, or
					 QP_NONE */
	int32_t quarantine_end, monitoring_end, ended_on;
	char case_number[CASE_NUMBER_MAX];
};
/* The quarantine of person (registry id) on `day`. */
enum cd_code quarantine_run_state(struct store *st, uint32_t person,
				  int32_t day, struct quarantine_state *out,
				  struct cd_err *err);

#endif
