/* codes_run.h — recomputing health codes for exactly the people a change
 * affects: gather their facts, apply the cause rules (domain/codes.h),
 * store what changed with its history. Called by every command that
 * changes a cause (a case, a trace, a result, a quarantine step). */
#ifndef CORDON_CODES_RUN_H
#define CORDON_CODES_RUN_H

#include "domain/codes.h"
#include "store/store.h"

struct codes_summary {
	long people, changed, red, yellow, green;
};

/* Recompute the codes of ids[0..n) (any order, repeats allowed) at now.
 * The caller's array is sorted in place. */
enum cd_code codes_refresh(struct store *st, const struct rules *r,
			   uint32_t *ids, size_t n, int64_t now,
			   struct codes_summary *sum, struct cd_err *err);
/* The same for one person by resident ID. */
enum cd_code codes_refresh_rid(struct store *st, const struct rules *r,
			       const char *rid, int64_t now,
			       struct cd_err *err);
/* Recompute and store one person's code, and give it. */
enum cd_code codes_person(struct store *st, const struct rules *r,
			  uint32_t person, int64_t now, struct code_result *out,
			  struct cd_err *err);
/* Reasons as the JSON array stored with a code; caller frees. */
char *codes_reasons_json(const struct code_result *res);

#endif
