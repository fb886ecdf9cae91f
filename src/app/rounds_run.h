/* rounds_run.h — area testing rounds against the store: start a round
 * over target units, its coverage per target and per hamlet (grid), the
 * residents not yet sampled per grid worker (不漏一人), and closing it
 * with its result. Shared by the CLI and the HTTP API. docs/rounds.md
 * describes the model. */
#ifndef CORDON_ROUNDS_RUN_H
#define CORDON_ROUNDS_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define ROUNDS_UNITS_MAX 64   /* target units of one round */

/* Start round code over the comma-separated unit codes units, from start
 * for hours hours, in one transaction; *out receives the round.
 * CD_EINVAL for an empty unit list or hours <= 0 (the deadline must come
 * after the start); CD_ENOTFOUND for an unknown unit; CD_ECONFLICT for a
 * round already started or overlapping targets. Nothing is written on
 * error. */
enum cd_code rounds_start(struct store *st, const char *code,
			  const char *units, int64_t start, int hours,
			  struct store_round *out, struct cd_err *err);

/* One line of coverage: a target unit, or a hamlet under target. */
struct rounds_line {
	char code[UNIT_CODE_MAX], name[NAME_MAX_BYTES + 1];
	char target[UNIT_CODE_MAX];    /* for a hamlet: its target */
	long expected, sampled;
};
struct rounds_status {
	struct store_round r;
	struct rounds_line *targets, *hamlets;  /* owned; by code */
	size_t ntargets, nhamlets;
	long expected, sampled;                 /* the whole round */
	bool past;                              /* now after the deadline */
};
/* The coverage of round code at instant now. CD_ENOTFOUND for no round;
 * CD_ERULE for a round not started. Release *out with
 * rounds_status_release (also after an error). */
enum cd_code rounds_status_get(struct store *st, const char *code,
			       int64_t now, struct rounds_status *out,
			       struct cd_err *err);
void rounds_status_release(struct rounds_status *s);
/* sampled as a percentage of expected; -1 when nobody is expected. */
double rounds_percent(long sampled, long expected);

/* The residents of round code not yet sampled, once per grid worker of
 * their hamlet (store_round_missing order) into *out (the caller frees),
 * and the round into *r. Errors as rounds_status_get. */
enum cd_code rounds_missing_get(struct store *st, const char *code,
				struct store_round *r,
				struct store_round_missing **out, size_t *n,
				struct cd_err *err);

struct rounds_positive {
	char tube[TESTING_CODE_MAX];
	int pool_size;
	long members;
};
struct rounds_outcome {
	struct store_round r;          /* closed_at set */
	struct store_round_result res;
	struct rounds_positive *pos;   /* owned; by tube */
	size_t npos;
};
/* Close round code at instant now and give its result. CD_ENOTFOUND for
 * no round; CD_ERULE for a round not started; CD_ECONFLICT for a round
 * already closed (unchanged). Release *out with rounds_outcome_release
 * (also after an error). */
enum cd_code rounds_close(struct store *st, const char *code, int64_t now,
			  struct rounds_outcome *out, struct cd_err *err);
void rounds_outcome_release(struct rounds_outcome *o);

#endif
