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

#include "domain/cases.h"
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

/* ---- presence data (domain/presence.h); rows are in segments (below),
 * trips in the database */

/* The id of a trip (mode, route, date, departure), created if new. */
enum cd_code store_trip_id(struct store *st, const struct trip_rec *t,
			   int64_t *id, struct cd_err *err);
/* The mode (enum trip_mode) of every trip, indexed by trip id; the
 * caller frees *modes. */
enum cd_code store_trip_modes(struct store *st, unsigned char **modes,
			      size_t *n, struct cd_err *err);

/* Every person as compact keys, ordered by id: the first 17 digits of
 * the resident ID as a number (store_rid_key), the phone as a number (0
 * for none), and the household. The caller frees *out. */
struct store_person_key {
	uint64_t rid, phone;
	uint32_t id, household;
};
enum cd_code store_person_keys(struct store *st, struct store_person_key **out,
			       size_t *n, struct cd_err *err);
uint64_t store_rid_key(const char *rid);
/* Every venue's code, id and kind, ordered by code; the caller frees. */
struct store_venue_key {
	char code[VENUE_CODE_MAX];
	uint32_t id;
	enum venue_kind kind;
};
enum cd_code store_venue_keys(struct store *st, struct store_venue_key **out,
			      size_t *n, struct cd_err *err);

struct store_presence_counts {
	long scans, trips, rides, cell_stays, proximity;
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

/* ---- presence segments (store_segments.c)
 *
 * Presence rows for tracing live beside the database in
 * PATH.presence/SOURCE.seg: sorted, indexed, read through mmap. */

/* The index of one source, borrowed from a mapping the store owns: valid
 * until store_presence_replace of that source or store_close. An absent
 * file gives an empty index. CD_EDB for a damaged file. */
enum cd_code store_presence_open(struct store *st, enum psource src,
				 struct pindex *out, struct cd_err *err);
/* Replace a source's rows with ix, atomically (temporary file, fsync,
 * rename): a crash leaves the old file or the new one, never a mixture.
 * Earlier indexes of the source become invalid. */
enum cd_code store_presence_replace(struct store *st, enum psource src,
				    const struct pindex *ix,
				    struct cd_err *err);

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

/* ---- cases (store_cases.c; domain/cases.h). A case belongs to a person;
 * its number is "<county>-C<seq>", the county the person's (household →
 * hamlet → village → town → county) when the case is added, and it never
 * changes. One infection per person: at most one case that is not closed
 * by a cure. Callers check records with case_validate (and, for updates,
 * case_check_change) first; the store keeps only the schema's checks. */

/* A case with its person, as shown and listed. */
struct store_case_view {
	struct case_rec c;                 /* c.rid is the person's ID */
	char name[NAME_MAX_BYTES + 1];     /* the person's name */
	char hamlet[UNIT_CODE_MAX];        /* the person's hamlet now */
	char county[UNIT_CODE_MAX];        /* the county of the number */
};

/* Add c for the person c->rid, assigning the county's next number into
 * c->number (c->number is ignored on input). The number and the row are
 * written together: inside the caller's store_begin/store_commit, or in a
 * transaction of its own when none is open. CD_ENOTFOUND for an unknown
 * person; CD_ECONFLICT when the person already has a case not closed by a
 * cure (the message names it). */
enum cd_code store_case_add(struct store *st, struct case_rec *c,
			    struct cd_err *err);
/* Overwrite the stored case c->number with c (every field but number and
 * rid). CD_ENOTFOUND for an unknown number; CD_ECONFLICT when it would
 * give the person a second case not closed by a cure. */
enum cd_code store_case_update(struct store *st, const struct case_rec *c,
			       struct cd_err *err);
/* The case with this number. CD_ENOTFOUND when there is none. */
enum cd_code store_case_get(struct store *st, const char *number,
			    struct store_case_view *out, struct cd_err *err);
/* The person's case: the one not closed by a cure if any, else the latest.
 * CD_ENOTFOUND when the person has none (or does not exist). */
enum cd_code store_case_get_by_rid(struct store *st, const char *rid,
				   struct store_case_view *out,
				   struct cd_err *err);

struct store_case_filter {
	const char *unit;   /* NULL: all; else the person's hamlet under it */
	bool any_class;     /* true: every class; else only cls */
	enum case_class cls;
	long limit;         /* 0: no limit */
	long offset;
};
typedef enum cd_code (*store_case_fn)(void *ctx,
				      const struct store_case_view *v);
/* Cases matching f, ordered by number (county code, then sequence as a
 * number), from f->offset, at most f->limit. Calls fn for each; a non-OK
 * return from fn stops and is returned. CD_ENOTFOUND for an unknown
 * f->unit. */
enum cd_code store_case_list(struct store *st,
			     const struct store_case_filter *f,
			     store_case_fn fn, void *ctx, struct cd_err *err);

/* ---- traced contacts (store_contacts.c; domain/trace.h) */

/* A case's id and its person's registry id. CD_ENOTFOUND for no case. */
enum cd_code store_case_ids(struct store *st, const char *number,
			    int64_t *case_id, uint32_t *person_id,
			    struct cd_err *err);
/* Set is_case[person id] = 1 for every person with a case (ids >= n are
 * skipped). */
enum cd_code store_case_persons(struct store *st, unsigned char *is_case,
				size_t n, struct cd_err *err);
/* An investigator's addition of a close contact, with the reason. */
enum cd_code store_manual_add(struct store *st, int64_t case_id,
			      uint32_t person_id, const char *reason,
			      int64_t at, struct cd_err *err);
/* The persons added by hand to a case (the caller frees *persons). */
enum cd_code store_manual_list(struct store *st, int64_t case_id,
			       uint32_t **persons, size_t *n,
			       struct cd_err *err);

struct store_contact {
	uint32_t person, via;
	char category[12];
	int64_t first, last;    /* Unix seconds */
	int is_case;
	/* filled when read back */
	char rid[19], name[NAME_MAX_BYTES + 1], via_rid[19];
	char kinds[64];         /* evidence kinds, comma-separated */
};
struct store_evidence {
	uint32_t person, via;
	const char *kind, *category;
	int64_t place, start, end, overlap, detail;
};
struct store_trace_diff {
	long added, changed, removed, unchanged;
};
/* Replace a case's contacts and evidence in one transaction, and say how
 * they differ from what was stored (c is reordered by person). */
enum cd_code store_contacts_replace(struct store *st, int64_t case_id,
				    struct store_contact *c, size_t n,
				    const struct store_evidence *e, size_t ne,
				    int64_t at, struct store_trace_diff *d,
				    struct cd_err *err);
typedef enum cd_code (*store_contact_fn)(void *ctx,
					 const struct store_contact *c);
/* A case's contacts, strongest category first, then by resident ID. */
enum cd_code store_contacts_of(struct store *st, int64_t case_id,
			       store_contact_fn fn, void *ctx,
			       struct cd_err *err);

#endif
