/* check_run.h — checkpoint verification against the store: the person's
 * current code, their latest tests, the decision, and the pass recorded.
 * The hottest path of the HTTP API. */
#ifndef CORDON_CHECK_RUN_H
#define CORDON_CHECK_RUN_H

#include <jansson.h>

#include "domain/checkpoint.h"
#include "store/store.h"

struct check_request {
	const char *rid;
	const char *checkpoint;   /* venue code of kind checkpoint */
	int has_temp;
	double temp;
	int mask;                 /* 1, 0, -1 not checked */
	int window_hours;         /* 0: the rules' middle window (48 h) */
	int64_t now;
};

/* Verify one person at a checkpoint. A malformed or unknown ID, an
 * unknown checkpoint or a window the rules do not have are refused
 * (CD_EINVAL / CD_ENOTFOUND) and nothing is recorded; otherwise the pass
 * is recorded with its findings and the person's code refreshed. With
 * findings, the findings as recorded (check_findings_json) are handed to
 * the caller, who releases them; NULL on failure. */
enum cd_code check_run(struct store *st, const struct rules *r,
		       const struct check_request *q, struct check_result *out,
		       struct code_result *code, json_t **findings,
		       struct cd_err *err);
/* Each step's finding: [{"step", "outcome", "finding"}...]. */
json_t *check_findings_json(const struct check_result *res);

#endif
