/* testing_apply.h — private to app/testing_*.c: the checks of a tube
 * against what is stored, writing it, and applying a result. Shared by
 * the importer (many tubes, errors per CSV line) and the record functions
 * of the API (one tube, errors per JSON field). */
#ifndef CORDON_TESTING_APPLY_H
#define CORDON_TESTING_APPLY_H

#include "app/testing_import.h"

struct testing_member_in {
	uint32_t person;
	char rid[19];
	long line;              /* CSV line, or 1 + index in the API */
};

/* A tube to record: its header (from the row on line), its members. */
struct testing_tube_in {
	struct testing_tube t;
	long line;
	struct testing_member_in *m;
	size_t n, alloc;
	int64_t pool_id;        /* set by testing_tube_check_stored */
	bool stored;            /* the same tube is stored already */
	bool partial;           /* some of its rows were bad: do not count
				   its members against the stored tube */
};

/* Report a bad field (field a column name, value its text) or, with
 * field NULL, a bad line. Returns CD_ETOOBIG to stop at the error limit,
 * else CD_OK. */
typedef enum cd_code (*testing_report_fn)(void *ctx, long line,
					  const char *field,
					  const char *value,
					  const char *reason);

/* Check in against the store: a tube stored already must be given again
 * exactly (then in->stored); a re-sample's pool must be a stored pool
 * with a positive result before the re-sample, holding the member (an
 * empty round takes the pool's); each member of an ordinary tube with a
 * round in no other tube of it. Every error goes to fn; *bad counts
 * them. Returns CD_OK, fn's CD_ETOOBIG, or the store's error. */
enum cd_code testing_tube_check_stored(struct store *st,
				       struct testing_tube_in *in,
				       testing_report_fn fn, void *ctx,
				       long *bad, struct cd_err *err);
/* Write a checked new tube with its members. */
enum cd_code testing_tube_write(struct store *st,
				const struct testing_tube_in *in,
				struct cd_err *err);
/* Check result r against its stored tube, read into *s: the tube code,
 * then CD_ENOTFOUND "tube: no tube with this code (import its samples
 * first)", CD_EINVAL "FIELD: reason" (a result before sampling),
 * CD_ECONFLICT "result: tube T already has the result ..."; *same when
 * the stored result is this one again. */
enum cd_code testing_result_check_stored(struct store *st,
					 const struct testing_result_rec *r,
					 int64_t now, struct store_sample *s,
					 bool *same, struct cd_err *err);
/* Store result r of the tube s (checked, new) and apply it: controls for
 * a positive pool, resolution and case for a single tube (see
 * testing_effect_of). today is the CST day for case_validate. Adds to *a.
 * Errors are the store's, or a case refused by case_validate. */
enum cd_code testing_result_apply(struct store *st,
				  const struct store_sample *s,
				  const struct testing_result_rec *r,
				  int32_t today, struct testing_applied *a,
				  struct cd_err *err);

#endif
