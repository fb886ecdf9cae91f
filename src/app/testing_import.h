/* testing_import.h — pooled testing as use cases shared by the CLI and the
 * HTTP API: importing sampling records and lab results (all or nothing,
 * idempotent, like every import), recording one tube or one result, and
 * a person's negative certificate. Applying a result (controls in place,
 * releases, cases) happens in the same transaction as its import. See
 * docs/testing.md for the rules and docs/formats.md for the files. */
#ifndef CORDON_TESTING_IMPORT_H
#define CORDON_TESTING_IMPORT_H

#include <stdio.h>

#include "app/import.h"
#include "app/import_rows.h"
#include "domain/rules.h"
#include "domain/testing.h"
#include "store/store.h"

/* The columns of IMPORT_SAMPLES or IMPORT_RESULTS. */
const struct import_layout *testing_layout(enum import_kind k);

/* Import a samples file (one row per member: tube, pool_size, point,
 * sampled_at, round, resident_id, retest_of) or a results file (tube,
 * result, lab, result_at) read from in, in one transaction. rules give
 * the allowed pool sizes; NULL loads them as commands do (rules_file_load:
 * $CORDON_RULES, else v9). A tube already stored must be given again
 * exactly (res->unchanged), a result already stored likewise; every new
 * result is applied at once. Errors as import_stream: CD_EINVAL with each
 * bad row reported as "FILE:LINE: field 'x' value 'y': reason" and
 * nothing written, or the store's error. res counts member rows (samples)
 * or result rows. */
enum cd_code testing_import(struct store *st, FILE *in,
			    const struct import_opts *o,
			    const struct rules *rules,
			    struct import_result *res, struct cd_err *err);

/* What applying results set off. */
struct testing_applied {
	long controlled;  /* members put under control by positive pools */
	long released;    /* controls resolved by negative re-samples */
	long resolved_positive; /* controls resolved by positive re-samples */
	long cases;       /* cases added */
	long kept;        /* positives of people who already had an open
			     case: the case is kept */
};

/* Record one tube with its members (resident IDs rids[0..n)) in a
 * transaction of its own, by the same rules as the import: t->pool_size 0
 * takes the profile's default (1 for a re-sample). *res is
 * STORE_INSERTED, or STORE_UNCHANGED when the same tube was stored
 * before. CD_EINVAL naming the field ("members[2] value '...': is already
 * in tube T of round R (stored)"); the store's errors otherwise. */
enum cd_code testing_sample_record(struct store *st,
				   const struct rules *rules,
				   const struct testing_tube *t,
				   const char *const *rids, size_t n,
				   int64_t now, enum store_upsert *res,
				   struct cd_err *err);
/* Record and apply one lab result in a transaction of its own. *res as
 * above; *applied (if not NULL) says what it set off. CD_ENOTFOUND for
 * an unknown tube, CD_EINVAL for a bad field (a result before sampling),
 * CD_ECONFLICT for a tube that has a different result. */
enum cd_code testing_result_record(struct store *st,
				   const struct testing_result_rec *r,
				   int64_t now, enum store_upsert *res,
				   struct testing_applied *applied,
				   struct cd_err *err);

/* The negative certificate of the person rid at instant at, for windows
 * hours (rules.checkpoint.cert_hours: up to TESTING_WINDOWS, ended early
 * by 0). CD_ENOTFOUND when there is no such person. */
enum cd_code testing_certificate_get(struct store *st, const char *rid,
				     int64_t at, const int *hours,
				     struct testing_cert *out,
				     struct cd_err *err);

/* ---- a tube with its members, as `pool show` and the API show it
 * (testing_pool.c) */

struct testing_pool_members {
	struct store_pool_member *m;   /* owned by the caller: free(m) */
	size_t n, alloc;
};
/* Tube into *s and its members appended to ms. CD_ENOTFOUND for an
 * unknown tube; the store's errors otherwise. */
enum cd_code testing_pool_load(struct store *st, const char *tube,
			       struct store_sample *s,
			       struct testing_pool_members *ms,
			       struct cd_err *err);
/* The tube's state from its result and the controls of all its members;
 * *open counts the controls still open. */
enum testing_pool_state testing_pool_members_state(
	const struct store_sample *s, const struct testing_pool_members *ms,
	size_t *open);
/* A member's control as a word: "controlled" (open), "released",
 * "case", or "" when none was recorded. */
const char *testing_member_control(const struct store_pool_member *m);

#endif
