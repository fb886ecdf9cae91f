/* store.h — everything cordon keeps, behind one interface.
 *
 * All SQL lives in store/. Callers see plain structs from domain/ and
 * result codes from lib/err.h; a function that fails fills err with a
 * message naming the database and what was being done.
 *
 * Writes that touch more than one row go inside store_begin/store_commit;
 * on any failure the caller calls store_rollback and nothing is kept. */
#ifndef CORDON_STORE_H
#define CORDON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/presence.h"
#include "domain/registry.h"
#include "lib/err.h"

struct store;

enum store_open_flags {
	STORE_CREATE = 1 << 0, /* create a new database; refuse an existing file */
	STORE_WRITE = 1 << 1,  /* the caller will write: refuse a read-only file */
	/* With STORE_CREATE: load a new database fast, without a journal. A
	 * crash leaves it unusable, so build it under a temporary name and
	 * rename it into place after store_close (see app/synth_out.c). */
	STORE_BULK = 1 << 2,
};

/* Open (or with STORE_CREATE create) the database at path in WAL mode with
 * foreign keys and a busy timeout, migrating an older schema forward in one
 * transaction. Refuses a file that is not a cordon database, one made by a
 * newer cordon (unchanged), and a missing file without STORE_CREATE. The
 * caller owns *out and closes it with store_close. */
enum cd_code store_open(const char *path, unsigned flags, struct store **out,
			struct cd_err *err);
/* Close the database (NULL is fine). */
void store_close(struct store *st);
/* The schema version this cordon writes. */
int store_schema_latest(void);
int store_schema_version(struct store *st);

enum cd_code store_begin(struct store *st, struct cd_err *err);
enum cd_code store_commit(struct store *st, struct cd_err *err);
/* Undo everything since store_begin; safe to call when none is open. */
void store_rollback(struct store *st);

enum store_upsert { STORE_INSERTED, STORE_UPDATED, STORE_UNCHANGED };

/* Insert or update by code. CD_ENOTFOUND (naming the code) when the parent
 * unit, hamlet, household or unit a record points at does not exist. */
enum cd_code store_unit_upsert(struct store *st, const struct unit_rec *r,
			       enum store_upsert *res, struct cd_err *err);
enum cd_code store_household_upsert(struct store *st,
				    const struct household_rec *r,
				    enum store_upsert *res, struct cd_err *err);
enum cd_code store_person_upsert(struct store *st, const struct person_rec *r,
				 enum store_upsert *res, struct cd_err *err);
enum cd_code store_venue_upsert(struct store *st, const struct venue_rec *r,
				enum store_upsert *res, struct cd_err *err);
enum cd_code store_grid_worker_upsert(struct store *st,
				      const struct grid_worker_rec *r,
				      enum store_upsert *res,
				      struct cd_err *err);

/* Duplicate detection within one import: remember key (of a kind) first
 * seen on line; *first is set to the earlier line when already seen, else
 * 0. Forgotten by store_seen_reset. */
enum cd_code store_seen(struct store *st, const char *key, long line,
			long *first, struct cd_err *err);
void store_seen_reset(struct store *st);

struct store_import_log {
	const char *kind, *file;
	long rows, inserted, updated, unchanged;
	int64_t at;
};
enum cd_code store_import_log(struct store *st,
			      const struct store_import_log *log,
			      struct cd_err *err);

/* The row id of the record the last upsert inserted (valid only when it
 * reported STORE_INSERTED). */
int64_t store_last_insert_id(struct store *st);

/* ---- presence data (domain/presence.h); ids are those of the registry */

enum cd_code store_scan_insert(struct store *st, int64_t person_id,
			       int64_t venue_id, int64_t t_in, int64_t t_out,
			       struct cd_err *err);
/* A ride: the trip (mode, route, date, departure) is created on first use. */
enum cd_code store_ride_insert(struct store *st, const struct trip_rec *t,
			       int64_t person_id, struct cd_err *err);
enum cd_code store_cell_insert(struct store *st, int64_t person_id,
			       const char *cell, int64_t start, int64_t end,
			       struct cd_err *err);

struct store_presence_counts {
	long scans, trips, rides, cell_stays;
};
enum cd_code store_presence_counts(struct store *st,
				   struct store_presence_counts *out,
				   struct cd_err *err);

/* A person's scans in [from, to), oldest first, with the venue. */
struct store_visit {
	int64_t t_in, t_out; /* t_out 0 when none was recorded */
	struct venue_rec venue;
};
typedef enum cd_code (*store_visit_fn)(void *ctx,
				       const struct store_visit *v);
enum cd_code store_person_visits(struct store *st, const char *rid,
				 int64_t from, int64_t to, store_visit_fn fn,
				 void *ctx, struct cd_err *err);
/* A person's rides on dates [from, to], in time order. */
typedef enum cd_code (*store_ride_fn)(void *ctx, const struct trip_rec *t);
enum cd_code store_person_rides(struct store *st, const char *rid,
				int32_t from, int32_t to, store_ride_fn fn,
				void *ctx, struct cd_err *err);

/* ---- queries */

enum cd_code store_unit_get(struct store *st, const char *code,
			    struct unit_rec *out, struct cd_err *err);
/* The subtree under code in pre-order, with direct household and person
 * counts (see unit_tree_rollup). *nodes is the caller's to free. */
enum cd_code store_unit_tree(struct store *st, const char *code,
			     struct unit_node **nodes, size_t *n,
			     struct cd_err *err);

/* A person with the names of the units above them. */
struct person_view {
	struct person_rec p;
	char hamlet[UNIT_CODE_MAX], hamlet_name[NAME_MAX_BYTES + 1];
	char village_name[NAME_MAX_BYTES + 1];
	char town_name[NAME_MAX_BYTES + 1];
	char county_name[NAME_MAX_BYTES + 1];
	char address[ADDRESS_MAX_BYTES + 1];
};
enum cd_code store_person_get(struct store *st, const char *rid,
			      struct person_view *out, struct cd_err *err);

/* Venues in the subtree under unit code, ordered by code. Calls fn for
 * each; a non-OK return from fn stops and is returned. */
typedef enum cd_code (*store_venue_fn)(void *ctx, const struct venue_rec *v);
enum cd_code store_venues_under(struct store *st, const char *code,
				store_venue_fn fn, void *ctx,
				struct cd_err *err);

struct store_counts {
	long units, households, persons, venues, grid_workers;
};
enum cd_code store_counts(struct store *st, struct store_counts *out,
			  struct cd_err *err);

#endif
