/* quarantine.h — quarantine (隔离) by the rules: a person's plan from a
 * regime and the last exposure (the dates of each part and the exact
 * sampling days), the outcome of their tests, the conditions of release,
 * the upgrade of a secondary contact, room allocation in quarantine sites,
 * and the alert of a monitoring entry. Pure: plain structs, no I/O.
 * docs/quarantine.md explains the model.
 *
 * How days count. The last exposure is day 0. Day 1 of the first part
 * (central quarantine, else home quarantine) is the day after it; each
 * part's days count from its own first day, and each part starts the day
 * after the previous one ends. A part of N days ends on its day N. A
 * sampling day d of a part falls on that part's day d. So under v9 a close
 * contact last exposed on 2022-03-28 is in central quarantine 03-29 to
 * 04-04 (sampled 03-29, 03-30, 03-31, 04-02, 04-04), then under home
 * health monitoring 04-05 to 04-07 (sampled 04-07). */
#ifndef CORDON_QUARANTINE_H
#define CORDON_QUARANTINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/registry.h"
#include "domain/rules.h"
#include "lib/err.h"

struct strbuf;

#define QUARANTINE_MAX_TESTS (3 * RULES_MAX_TEST_DAYS)
#define QUARANTINE_REGIME_MAX 256   /* the regime as text, with its NUL */
#define QUARANTINE_CHILD_AGE 14     /* default: younger children stay with
				       a parent */
#define QUARANTINE_ADULT_AGE 18     /* who can accompany a child */
#define SITE_CODE_MAX 33            /* 1-32 characters and NUL */
#define ROOM_NUMBER_MAX 17          /* 1-16 characters and NUL */
#define ROOM_CAPACITY_MAX 20
#define SYMPTOMS_MAX_BYTES 200
#define TEMP_MIN_TENTHS 340         /* 34.0 °C: below is a misreading */
#define TEMP_MAX_TENTHS 430         /* 43.0 °C */

enum quarantine_group { QG_CLOSE, QG_SECONDARY, QG_DISCHARGED, QG_COUNT };

enum quarantine_part {
	QP_CENTRAL,     /* 集中隔离, in a room of a site */
	QP_HOME,        /* 居家隔离 */
	QP_MONITORING,  /* 居家健康监测, after release */
	QP_COUNT,
	QP_NONE = QP_COUNT
};

/* A plan's state. waiting, central and home are open: the person is
 * under quarantine (waiting: the plan has a central part and no room was
 * free). released: quarantine is over (health monitoring may follow, by
 * date). upgraded and replanned: replaced by a newer plan. */
enum quarantine_status {
	QS_WAITING, QS_CENTRAL, QS_HOME, QS_RELEASED, QS_UPGRADED,
	QS_REPLANNED, QS_COUNT
};

/* ---- names: *_name gives the English name used on the command line, in
 * JSON and in the database; *_parse accepts it and returns CD_EINVAL
 * naming the accepted values otherwise. */
const char *quarantine_group_name(enum quarantine_group g);
enum cd_code quarantine_group_parse(const char *s, enum quarantine_group *out,
				    struct cd_err *err);
const char *quarantine_part_name(enum quarantine_part p);
enum cd_code quarantine_part_parse(const char *s, enum quarantine_part *out,
				   struct cd_err *err);
const char *quarantine_status_name(enum quarantine_status s);
enum cd_code quarantine_status_parse(const char *s,
				     enum quarantine_status *out,
				     struct cd_err *err);
/* Whether the person is under quarantine in this state. */
bool quarantine_status_open(enum quarantine_status s);

/* ---- the plan */

struct quarantine_test {
	int32_t date;               /* day number (lib/date.h) */
	enum quarantine_part part;
	int day;                    /* day of its part, from 1 */
};

struct quarantine_plan {
	enum quarantine_group grp;
	struct rules_regime regime;  /* the plan's own copy of the rules */
	int needs_close_tests;       /* secondary: the linked close contact's
					first N tests must be negative */
	int32_t exposure;            /* last exposure: day 0 */
	int32_t planned;             /* the day the plan was made (0: not
					known); a test dated before it was
					missed before the person was found,
					and the first test from that day on
					makes it up */
	/* First and last date of each part; both 0 when it has no days. */
	int32_t first[QP_COUNT], last[QP_COUNT];
	int ntests;
	struct quarantine_test tests[QUARANTINE_MAX_TESTS]; /* by date */
};

/* The plan of a person of group grp last exposed on `exposure` (for a
 * discharged patient: the discharge date) under the rules q. CD_ERULE when
 * the rules do not identify the group (secondary contacts under v9-20). */
enum cd_code quarantine_plan_make(const struct rules_quarantine *q,
				  enum quarantine_group grp, int32_t exposure,
				  struct quarantine_plan *out,
				  struct cd_err *err);
/* The same from a regime kept with a stored plan (needs: the secondary
 * condition). CD_EINVAL when a test day falls outside its part. */
enum cd_code quarantine_plan_from(const struct rules_regime *g, int needs,
				  enum quarantine_group grp, int32_t exposure,
				  struct quarantine_plan *out,
				  struct cd_err *err);
/* The last day of quarantine (central and home); the exposure date when
 * both parts have no days. */
int32_t quarantine_end(const struct quarantine_plan *p);
/* The last day of health monitoring, or 0 when there is none. */
int32_t quarantine_monitoring_end(const struct quarantine_plan *p);
/* The part of the plan on `day`, or QP_NONE outside every part. */
enum quarantine_part quarantine_part_on(const struct quarantine_plan *p,
					int32_t day);
/* The state a new plan starts in: waiting for a room when it has a central
 * part, else home. */
enum quarantine_status quarantine_first_status(const struct quarantine_plan *p);
/* The date the present stage of an open plan ends and what follows: a
 * plan in central quarantine (or waiting for a room) with home days moves
 * home after its central part; otherwise it is released at the end of
 * quarantine. */
int32_t quarantine_stage_end(const struct quarantine_plan *p,
			     enum quarantine_status s,
			     enum quarantine_status *next);

/* A regime as one line of text, kept with a plan so that later changes of
 * profile never alter it: "central=14:1,4,7,14 home=0:none
 * monitoring=7:2,7 close_tests=2". */
void quarantine_regime_format(const struct rules_regime *g, int needs,
			      struct strbuf *sb);
/* Read it back (identified is set). CD_EINVAL for anything else. */
enum cd_code quarantine_regime_parse(const char *s, struct rules_regime *g,
				     int *needs, struct cd_err *err);

/* ---- tests: a person's samples and their results */

enum quarantine_result { QR_NONE, QR_NEGATIVE, QR_POSITIVE, QR_INVALID };

struct quarantine_sample {
	int64_t id;
	int64_t retest_of;          /* the pooled sample this re-tests, or 0 */
	int32_t date;               /* sampling date, China time */
	int pool_size;              /* 1: a single tube */
	enum quarantine_result result;  /* QR_NONE: no result yet */
};

/* The outcome of a scheduled test, from the most serious down. */
enum quarantine_outcome {
	QO_MISSING,        /* not sampled */
	QO_INVALID,        /* only invalid results: sample again */
	QO_PENDING,        /* sampled, no result yet */
	QO_NEGATIVE,
	QO_POOL_POSITIVE,  /* a positive pool, no single-tube retest yet */
	QO_POSITIVE,
};
const char *quarantine_outcome_name(enum quarantine_outcome o);

/* The outcome of the samples taken on dates [from, to): positive when a
 * single tube, or the retest of a positive pool, is positive; else a
 * positive pool not yet retested; else negative when any is negative (a
 * positive pool whose single-tube retest is negative counts negative);
 * else pending, invalid, missing. s may be in any order. */
enum quarantine_outcome quarantine_outcome_in(const struct quarantine_sample *s,
					      size_t n, int32_t from,
					      int32_t to);
/* The outcome of scheduled test i of p: the samples from its date until
 * the next scheduled date (so a late sample makes up a missed one). A
 * test dated before p->planned runs on to the end of the window of the
 * first test dated on or after that day: the sample taken when the
 * person is found makes up the days they could not be sampled. */
enum quarantine_outcome quarantine_test_outcome(const struct quarantine_plan *p,
						int i,
						const struct quarantine_sample *s,
						size_t n);
/* Scheduled test i of p as shown: "scheduled" while it is missing and
 * still to come (on today or later), else its outcome's name. */
const char *quarantine_test_state(const struct quarantine_plan *p, int i,
				  const struct quarantine_sample *s, size_t n,
				  int32_t today);
/* Whether a sample taken on or after `since` is positive (a single tube,
 * or a pool's single-tube retest); *date gets the first such date. */
bool quarantine_positive_since(const struct quarantine_sample *s, size_t n,
			       int32_t since, int32_t *date);

/* ---- release, upgrade */

/* What is known of the close contact a secondary contact is linked to. */
struct quarantine_linked {
	const char *name;                     /* for reasons */
	const struct quarantine_plan *plan;   /* NULL: no plan */
	const struct quarantine_sample *samples;
	size_t nsamples;
	bool is_case;   /* has a confirmed or asymptomatic case */
};

struct quarantine_release_in {
	const struct quarantine_plan *plan;
	enum quarantine_status status;        /* open */
	int32_t today;
	const struct quarantine_sample *samples;  /* the person's */
	size_t nsamples;
	const struct quarantine_linked *linked;   /* secondary only, or NULL */
};

/* Whether the present stage of an open plan may end today: the stage's
 * last day is reached, no test since the exposure is positive, every
 * scheduled test up to the stage's end is negative and, for the release of
 * a secondary contact, the linked close contact is not positive and their
 * first needs_close_tests tests are negative. *next gets QS_HOME (move
 * home, the room is freed) or QS_RELEASED. When not, every reason is
 * appended to why, separated by "; ". */
bool quarantine_release_check(const struct quarantine_release_in *in,
			      enum quarantine_status *next, struct strbuf *why);
/* Whether the linked close contact has turned positive: a case, or a
 * positive test on or after `since`. */
bool quarantine_linked_positive(const struct quarantine_linked *l,
				int32_t since);
/* The close-contact plan that replaces the secondary plan `sec` under the
 * rules q: the clock restarts from `exposure` (0: the secondary plan's
 * last exposure; never earlier than it). CD_ERULE when sec is not a
 * secondary plan or q does not identify close contacts. */
enum cd_code quarantine_upgrade(const struct rules_quarantine *q,
				const struct quarantine_plan *sec,
				int32_t exposure, struct quarantine_plan *out,
				struct cd_err *err);

/* ---- rooms (quarantine_alloc.c) */

struct site_rec {
	char code[SITE_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
	char unit[UNIT_CODE_MAX];
	char address[ADDRESS_MAX_BYTES + 1];
};

struct room_rec {
	char site[SITE_CODE_MAX];
	char number[ROOM_NUMBER_MAX];
	int capacity;
};

/* A site code: 1-32 of A-Z a-z 0-9 - _. A room number: 1-16 of the same.
 * CD_EINVAL with the rule. */
enum cd_code quarantine_site_code_check(const char *s, struct cd_err *err);
enum cd_code quarantine_room_number_check(const char *s, struct cd_err *err);

struct quarantine_room {
	int64_t id;
	int capacity;
	int occupied;   /* people in it now */
	int grp;        /* the group of its occupants; -1 when empty */
};

struct quarantine_seeker {
	int64_t id;                 /* the plan */
	enum quarantine_group grp;
	uint32_t household;
	int age;                    /* whole years at the plan's start */
	/* set by quarantine_allocate */
	long room;                  /* index into rooms, or -1: waiting */
	long with;                  /* a child: index of the adult they stay
				       with, else -1 */
};

struct quarantine_alloc_opts {
	int child_age;  /* a child younger than this stays with an adult of
			   the same household and group */
	bool share;     /* unrelated people of one group may share a room up
			   to its capacity (default: one person, or one
			   parent with their children, per room) */
};

/* Give rooms to the seekers, in their order (the caller puts the most
 * urgent first). A child younger than child_age goes with an adult (18 or
 * older) of the same household and group among the seekers, spread over
 * the adults; each adult with their children (or a person alone) takes
 * the smallest free room that holds them all, else waits whole. Never puts
 * more people in a room than its capacity. Updates rooms and sets each
 * seeker's room and with; returns how many were placed. */
size_t quarantine_allocate(struct quarantine_room *rooms, size_t nrooms,
			   struct quarantine_seeker *s, size_t n,
			   const struct quarantine_alloc_opts *o);
/* Whole years from birth to `on` (day numbers). */
int quarantine_age(int32_t birth, int32_t on);

/* ---- monitoring (quarantine_alloc.c) */

/* A temperature in °C with at most one decimal ("37.3") into tenths,
 * 34.0 to 43.0. CD_EINVAL with the rule. */
enum cd_code quarantine_temp_parse(const char *s, int *tenths,
				   struct cd_err *err);
/* Symptoms as entered: empty, "none" or "无" mean none; else 1-200 bytes
 * of UTF-8 without control characters. CD_EINVAL with the rule. */
enum cd_code quarantine_symptoms_check(const char *s, struct cd_err *err);
/* Whether symptoms (checked) name any. */
bool quarantine_has_symptoms(const char *s);
/* Whether a monitoring entry raises an alert: a temperature at or above
 * fever_celsius (rules.checkpoint), or any symptom. The reasons are
 * appended to why ("temperature 37.3 °C ≥ 37.3 °C; symptoms: 咳嗽"). */
bool quarantine_alert(int tenths, const char *symptoms, double fever_celsius,
		      struct strbuf *why);

#endif
