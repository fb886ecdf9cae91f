/* testing.h — pooled testing (核酸检测, 混采 10混1) as plain records and
 * its rules: the checks of a tube and of a lab result, what a result sets
 * off (controls in place, releases, cases), the state of a pool, the
 * negative certificate at an instant, and the recall list per grid
 * worker. Pure: no SQL, no I/O. See docs/testing.md. */
#ifndef CORDON_TESTING_H
#define CORDON_TESTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/cases.h"
#include "domain/registry.h"
#include "domain/rules.h"
#include "lib/err.h"

#define TESTING_CODE_MAX 33   /* tube and round codes: 1-32 bytes + NUL */
#define TESTING_POOL_MAX 50   /* the largest pool a profile may allow */
#define TESTING_WINDOWS 3     /* certificate windows (checkpoint.cert_hours) */

/* The earliest sampling or result time accepted: 2020-01-01 00:00 CST. */
#define TESTING_EPOCH 1577808000LL

enum testing_result {
	TESTING_NONE,     /* no result (yet) */
	TESTING_NEGATIVE, /* 阴性 */
	TESTING_POSITIVE, /* 阳性 */
	TESTING_INVALID,  /* 无效: the tube must be sampled again */
};

/* A tube (采样管) as sampled: one swab (pool_size 1, 单采) or a pool. */
struct testing_tube {
	char tube[TESTING_CODE_MAX];
	int pool_size;                   /* 1..TESTING_POOL_MAX */
	char point[NAME_MAX_BYTES + 1];  /* sampling point (采样点) */
	int64_t sampled_at;              /* Unix seconds */
	char round[TESTING_CODE_MAX];    /* testing round; "" for none */
	/* A single-tube re-sample of a member of a positive pool: the
	 * pool's tube; "" for an ordinary tube. */
	char retest_of[TESTING_CODE_MAX];
};

/* A lab result (检测结果) of a tube. */
struct testing_result_rec {
	char tube[TESTING_CODE_MAX];
	enum testing_result result;
	char lab[NAME_MAX_BYTES + 1];
	int64_t result_at;               /* Unix seconds */
};

/* ---- names: "negative", "positive", "invalid" ("" for none); the
 * Chinese labels 阴性, 阳性, 无效. */
const char *testing_result_name(enum testing_result r);
const char *testing_result_zh(enum testing_result r);
/* The English name or the Chinese label; CD_EINVAL listing the names
 * otherwise (never TESTING_NONE). */
enum cd_code testing_result_parse(const char *s, enum testing_result *out,
				  struct cd_err *err);

/* ---- checks. Messages give the rule only ("must be ..."): callers name
 * the field. */

/* A tube or round code: 1-32 of A-Z a-z 0-9 '-' '_'. CD_EINVAL. */
enum cd_code testing_code_check(const char *s, struct cd_err *err);
/* The pool size in text s: empty means the profile's default pool
 * (testing.pool_size), or 1 for a re-sample. A re-sample is always a
 * single tube, whatever testing.pool_sizes says; an ordinary tube's size
 * must be one of testing.pool_sizes. CD_EINVAL naming the allowed sizes. */
enum cd_code testing_pool_size_parse(const char *s,
				     const struct rules_testing *r,
				     bool retest, int *out,
				     struct cd_err *err);
/* As testing_pool_size_parse with the size as a number, 0 for the
 * default. */
enum cd_code testing_pool_size_check(int v, const struct rules_testing *r,
				     bool retest, int *out,
				     struct cd_err *err);
/* A sampling or result time: not before 2020 (TESTING_EPOCH), not after
 * now. CD_EINVAL. */
enum cd_code testing_time_check(int64_t t, int64_t now, struct cd_err *err);
/* A whole tube record: code, retest_of code (not the tube itself), pool
 * size 1..TESTING_POOL_MAX and exactly 1 for a re-sample, point a name,
 * round code, sampling time. CD_EINVAL naming the field first
 * ("pool_size: must be ..."). The allowed sizes of the profile are
 * testing_pool_size_parse's business. */
enum cd_code testing_tube_check(const struct testing_tube *t, int64_t now,
				struct cd_err *err);
/* The first field ("pool_size", "point", "sampled_at", "round",
 * "retest_of") in which two records of the same tube differ, or NULL when
 * they agree. */
const char *testing_tube_differs(const struct testing_tube *a,
				 const struct testing_tube *b);
/* Whether a tube can take its n-th member (n counted from 1): CD_EINVAL
 * "is member N of tube T, over its pool size of S" when n > pool_size. */
enum cd_code testing_member_fits(const struct testing_tube *t, size_t n,
				 struct cd_err *err);
/* A result against its tube: a result, a lab name, a time not before
 * 2020 nor after now, and not before the tube's sampling time.
 * CD_EINVAL naming the field first ("result_at: is before ..."). */
enum cd_code testing_result_check(const struct testing_result_rec *r,
				  const struct testing_tube *t, int64_t now,
				  struct cd_err *err);
/* A result for a tube that already has one: *same when it is the stored
 * one again (result, lab and time), else CD_ECONFLICT naming the stored
 * result: a tube has one result. */
enum cd_code testing_result_same(const struct testing_result_rec *stored,
				 const struct testing_result_rec *r,
				 bool *same, struct cd_err *err);

/* ---- what a result sets off */

struct testing_effect {
	/* A positive pool (pool_size > 1): every member is controlled in
	 * place (原地管控) from the result time, to be re-sampled singly. */
	bool control_members;
	/* A re-sample's negative or positive result resolves its member's
	 * control on the pool: negative releases, positive hands over as a
	 * case. An invalid re-sample leaves the control open. */
	bool resolve_control;
	enum testing_result outcome;
	/* A positive single tube (a re-sample or not): its member becomes a
	 * case (asymptomatic until a clinician reclassifies), found by the
	 * pool for a re-sample, by screening otherwise. */
	bool make_case;
	enum case_found found;
};
/* The effect of result r on a tube of pool_size, a re-sample or not. */
void testing_effect_of(int pool_size, bool retest, enum testing_result r,
		       struct testing_effect *out);

/* A member's control in place after a positive pool. */
struct testing_control {
	int64_t since;            /* the pool's result time */
	int64_t resolved_at;      /* 0 while open */
	enum testing_result outcome; /* NONE while open, else NEGATIVE
					(released) or POSITIVE (a case) */
};

enum testing_pool_state {
	TESTING_POOL_WAITING,    /* no result yet */
	TESTING_POOL_NEGATIVE,   /* negative: nothing to do */
	TESTING_POOL_INVALID,    /* invalid: sample the pool again */
	TESTING_POOL_POSITIVE,   /* a positive single tube: a case */
	TESTING_POOL_CONTROLLED, /* a positive pool with members still
				    controlled, awaiting single tubes */
	TESTING_POOL_RESOLVED,   /* a positive pool, every member resolved */
};
/* "waiting", "negative", "invalid", "positive", "controlled",
 * "resolved". */
const char *testing_pool_state_name(enum testing_pool_state s);
/* The state of a tube from its result and its members' controls; *open
 * (if not NULL) receives how many controls are still open. A positive
 * pool whose controls are not (yet) recorded counts as controlled. */
enum testing_pool_state testing_pool_state_of(enum testing_result result,
					      int pool_size,
					      const struct testing_control *c,
					      size_t n, size_t *open);
/* Whether a control is in force at instant at: since <= at and not
 * resolved by then. */
bool testing_control_open_at(const struct testing_control *c, int64_t at);

/* ---- the negative certificate (核酸阴性证明) at an instant */

/* One result of one of a person's tubes. */
struct testing_hist {
	char tube[TESTING_CODE_MAX];
	int pool_size;
	int64_t sampled_at, result_at;
	enum testing_result result;
};

struct testing_cert {
	int64_t at;               /* the instant asked about */
	/* The latest negative (by sampling time) whose result was known at
	 * `at`; its windows count from its sampling time. */
	bool has_negative;
	struct testing_hist negative;
	int64_t age;              /* at - negative.sampled_at, seconds */
	/* A positive result (pool or single) known at `at`, sampled at or
	 * after that negative: the negative no longer certifies anything. */
	bool superseded;
	struct testing_hist positive;
	int n;                    /* windows */
	int hours[TESTING_WINDOWS];
	bool within[TESTING_WINDOWS]; /* valid for a checkpoint requiring a
					 negative within hours[i] */
};
/* The certificate at instant at from a person's results h[0..n) (any
 * order; invalid results are ignored, as are results not known by at).
 * A negative is within a window of H hours when at - sampled_at <= H *
 * 3600 (exactly 24 h is still within 24 h; 24 h and 1 s is not) and no
 * positive supersedes it. hours holds up to TESTING_WINDOWS windows,
 * ended early by 0 (rules.checkpoint.cert_hours). */
void testing_certificate(const struct testing_hist *h, size_t n, int64_t at,
			 const int *hours, struct testing_cert *out);

/* ---- the recall list (召回名单) of a positive pool, per grid worker */

struct testing_recall_member {
	char rid[19];
	char name[NAME_MAX_BYTES + 1];
	char phone[12];                  /* "" when none */
	char hamlet[UNIT_CODE_MAX];
	char hamlet_name[NAME_MAX_BYTES + 1];
	char household[HOUSEHOLD_CODE_MAX];
};
/* A grid worker and one hamlet they answer for. */
struct testing_worker {
	char phone[12];
	char name[NAME_MAX_BYTES + 1];
	char hamlet[UNIT_CODE_MAX];
};
/* One line of the list: a member under a worker (NULL: no grid worker
 * answers for the member's hamlet). Points into the caller's arrays. */
struct testing_recall_line {
	const struct testing_worker *worker;
	const struct testing_recall_member *member;
};
/* Group members by the grid workers of their hamlets: every member under
 * each worker of their hamlet (so nobody is missed, 不漏一人), members of
 * hamlets without a worker last under NULL. Workers in order of phone;
 * under a worker, members by hamlet, household, resident ID. The caller
 * frees *out; returns the number of lines. */
size_t testing_recall_group(const struct testing_recall_member *m,
			    size_t nm, const struct testing_worker *w,
			    size_t nw, struct testing_recall_line **out);
/* Whether line i of a recall list starts a new worker's group. */
bool testing_recall_new_group(const struct testing_recall_line *l, size_t i);

#endif
