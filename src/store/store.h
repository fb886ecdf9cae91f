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
#include "domain/codes.h"
#include "domain/presence.h"
#include "domain/quarantine.h"
#include "domain/registry.h"
#include "domain/testing.h"
#include "domain/zones.h"
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
/* The path the store was opened with. */
const char *store_path(const struct store *st);
/* Close the database (NULL is fine). */
void store_close(struct store *st);
/* The schema version this cordon writes. */
int store_schema_latest(void);
int store_schema_version(struct store *st);

enum cd_code store_begin(struct store *st, struct cd_err *err);
enum cd_code store_commit(struct store *st, struct cd_err *err);
/* Undo everything since store_begin; safe to call when none is open. */
void store_rollback(struct store *st);
/* Between requests on a long-lived connection (the server's): end any
 * transaction left open, reset every statement (a cached statement left
 * stepped keeps a read snapshot open: its reads go stale, and once another
 * connection writes, this one's next BEGIN IMMEDIATE fails as busy), drop
 * an import's temporary table of seen keys, and unmap the presence
 * segments so the next store_presence_open reads the files as they are
 * now (another connection or process may have replaced them). No
 * statement or index of this store may be in use. */
void store_settle(struct store *st);

/* One read snapshot for several statements: each statement outside a
 * transaction would take and drop SQLite's file locks (fcntl calls) on
 * its own, and would read a state of its own. store_begin inside it ends
 * it first (the write sees the latest state); store_read_end ends it; both
 * do nothing when there is nothing to do. */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);

/* Checkpoints off this connection's commits: SQLite's automatic
 * checkpoint (copying the WAL back into the database and syncing it, in
 * the commit that crossed 1,000 pages) is turned off, and full(arg) is
 * called instead after a commit that leaves the WAL at `pages` or more;
 * whoever it wakes runs store_checkpoint on a connection of its own. */
void store_wal_handoff(struct store *st, int pages, void (*full)(void *),
		       void *arg);
/* A passive checkpoint: what the WAL holds that no reader still needs is
 * copied into the database (readers and writers go on meanwhile); *pages:
 * the WAL's size in pages after it. With restart, it also waits for the
 * writers and readers of the WAL to finish so that the next write starts
 * it over from the beginning: under a steady stream of commits a passive
 * checkpoint never catches up, and the WAL would grow without end. */
enum cd_code store_checkpoint(struct store *st, bool restart, int *pages,
			      struct cd_err *err);

/* Kept rows, for group commit (store_keep.c). While a connection
 * defers, the rows of append-only records it writes outside a
 * transaction (checkpoint passes, audit rows) are kept in memory, not
 * written, and store_begin refuses with CD_EWRITE: whoever deferred ran
 * something that must change more than append rows, and must run it again
 * in a transaction of its own. Kept rows stay until dropped, across
 * requests: the server keeps the rows of many requests and writes them
 * with store_flush in one transaction. store_settle turns deferring off
 * and leaves the rows. */
void store_defer(struct store *st, bool on);
/* How many rows are kept; dropping the rows from a count on. */
size_t store_kept(const struct store *st);
void store_keep_drop(struct store *st, size_t from);
/* Write kept rows [from, to) in one transaction (nothing when from ==
 * to); they stay kept. */
enum cd_code store_flush(struct store *st, size_t from, size_t to,
			 struct cd_err *err);

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

/* The registry id of a resident ID; CD_ENOTFOUND when absent. */
enum cd_code store_person_id(struct store *st, const char *rid, uint32_t *id,
			     struct cd_err *err);
/* The persons of a case's stored contacts (the caller frees *ids). */
enum cd_code store_contact_persons(struct store *st, int64_t case_id,
				   uint32_t **ids, size_t *n,
				   struct cd_err *err);
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
/* The unit code and then its direct children by code (depth 0 and 1),
 * each with its direct and total (whole subtree) household and person
 * counts; the grandchildren are counted, never loaded. *nodes is the
 * caller's to free. CD_ENOTFOUND for an unknown code. */
enum cd_code store_unit_children(struct store *st, const char *code,
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

/* ---- pooled testing (store_testing.c; domain/testing.h). Tubes, their
 * members, lab results and the controls in place a positive pool sets
 * off. Callers check records with domain/testing.h first and write inside
 * store_begin/store_commit (app/testing_import.h does both); the store
 * keeps only the schema's checks. */

/* The registry id of the person with resident ID rid. CD_ENOTFOUND when
 * there is none. */
enum cd_code store_testing_person(struct store *st, const char *rid,
				  uint32_t *id, struct cd_err *err);

/* A stored tube with its round, pool and result. */
struct store_sample {
	int64_t id;
	struct testing_tube t;    /* t.round, t.retest_of: codes ("" none) */
	int64_t retest_of_id;     /* 0 for an ordinary tube */
	long members;
	struct testing_result_rec r; /* r.result TESTING_NONE: no result */
};
/* The tube with this code. CD_ENOTFOUND (message naming it) when none. */
enum cd_code store_sample_get(struct store *st, const char *tube,
			      struct store_sample *out, struct cd_err *err);
/* Add tube t (its round created when new) with members persons[0..n),
 * retest_of_id the pool's id (0 for none); *id receives the new id. */
enum cd_code store_sample_add(struct store *st, const struct testing_tube *t,
			      int64_t retest_of_id, const uint32_t *persons,
			      size_t n, int64_t *id, struct cd_err *err);
/* The members of a tube as registry ids in increasing order; the caller
 * frees *ids. */
enum cd_code store_sample_member_ids(struct store *st, int64_t sample,
				     uint32_t **ids, size_t *n,
				     struct cd_err *err);
/* The code of an ordinary tube (not a re-sample) of round `round` other
 * than except_tube that holds person, into tube (TESTING_CODE_MAX bytes);
 * "" when there is none. */
enum cd_code store_sample_round_tube(struct store *st, const char *round,
				     uint32_t person, const char *except_tube,
				     char *tube, struct cd_err *err);
/* Store the result r of tube sample (r->tube is not read). */
enum cd_code store_result_add(struct store *st, int64_t sample,
			      const struct testing_result_rec *r,
			      struct cd_err *err);
/* Put every member of the pool under control in place from since;
 * controls already there are kept. *added receives how many are new. */
enum cd_code store_pool_control_add(struct store *st, int64_t pool,
				    int64_t since, long *added,
				    struct cd_err *err);
/* Resolve person's open control on the pool at `at` with outcome
 * (TESTING_NEGATIVE released, TESTING_POSITIVE a case), by re-sample
 * tube `by`, linking the case numbered case_number (NULL or "" for none).
 * *resolved says whether an open control was found. */
enum cd_code store_pool_control_resolve(struct store *st, int64_t pool,
					uint32_t person, int64_t at,
					enum testing_result outcome,
					int64_t by, const char *case_number,
					bool *resolved, struct cd_err *err);

/* A member of a tube with their place, their control (when the tube is a
 * positive pool) and their latest re-sample for it. */
struct store_pool_member {
	struct testing_recall_member m;
	bool controlled;                  /* a control was recorded */
	struct testing_control c;
	char case_number[CASE_NUMBER_MAX]; /* the case a positive outcome
					      handed over to, or "" */
	char retest[TESTING_CODE_MAX];    /* latest re-sample tube, or "" */
	enum testing_result retest_result;
};
typedef enum cd_code (*store_pool_member_fn)(
	void *ctx, const struct store_pool_member *m);
/* The members of tube sample by hamlet, household and resident ID. Calls
 * fn for each; a non-OK return from fn stops and is returned. */
enum cd_code store_pool_members(struct store *st, int64_t sample,
				store_pool_member_fn fn, void *ctx,
				struct cd_err *err);
/* The grid workers of the hamlets of tube sample's members, one entry per
 * (worker, hamlet); the caller frees *out. */
enum cd_code store_pool_workers(struct store *st, int64_t sample,
				struct testing_worker **out, size_t *n,
				struct cd_err *err);

/* The person's results known at instant at (result_at <= at), newest
 * sampling first, at most limit (0: all); the caller frees *out. An
 * unknown person has none. (For certificates: testing_certificate.) */
enum cd_code store_testing_history(struct store *st, const char *rid,
				   int64_t at, long limit,
				   struct testing_hist **out, size_t *n,
				   struct cd_err *err);

/* A person's control in place on a pool. */
struct store_pool_control {
	uint32_t person;
	char rid[19];
	char pool[TESTING_CODE_MAX];
	struct testing_control c;
	char case_number[CASE_NUMBER_MAX];
};
typedef enum cd_code (*store_pool_control_fn)(
	void *ctx, const struct store_pool_control *c);
/* Every control of the person (rid), open or resolved, oldest first.
 * Calls fn for each; a non-OK return from fn stops and is returned. */
enum cd_code store_pool_controls_of(struct store *st, const char *rid,
				    store_pool_control_fn fn, void *ctx,
				    struct cd_err *err);
/* Every control in force at instant at (testing_control_open_at), by
 * resident ID: who is under pool control (for health codes). */
enum cd_code store_pool_controls_open(struct store *st, int64_t at,
				      store_pool_control_fn fn, void *ctx,
				      struct cd_err *err);

/* ---- quarantine (store_quarantine.c, store_sites.c; domain/quarantine.h).
 * Sites and rooms; plans, each keeping the profile and regime it was made
 * under; monitoring entries. Callers check records with
 * domain/quarantine.h first and write inside store_begin/store_commit
 * (app/quarantine_run.h does both); triggers refuse a room over its
 * capacity whatever the caller does. */

/* Insert or update a site by code. CD_ENOTFOUND (naming the code) for an
 * unknown unit. */
enum cd_code store_site_upsert(struct store *st, const struct site_rec *r,
			       enum store_upsert *res, struct cd_err *err);
/* Insert or update a room by site and number. CD_ENOTFOUND for an unknown
 * site; CD_ECONFLICT when the capacity would be below the people in the
 * room now. */
enum cd_code store_room_upsert(struct store *st, const struct room_rec *r,
			       enum store_upsert *res, struct cd_err *err);

/* A site with its rooms and occupancy (people in central quarantine). */
struct store_site_view {
	struct site_rec s;
	long rooms, capacity, occupants, occupied_rooms, free_rooms;
};
typedef enum cd_code (*store_site_fn)(void *ctx,
				      const struct store_site_view *v);
/* Every site (code NULL) or the one with this code, by code. Calls fn for
 * each; a non-OK return from fn stops and is returned. */
enum cd_code store_site_list(struct store *st, const char *code,
			     store_site_fn fn, void *ctx, struct cd_err *err);

struct store_room_view {
	int64_t id;
	struct room_rec r;
	int occupants;
	int grp;        /* enum quarantine_group of the occupants; -1 empty */
};
typedef enum cd_code (*store_room_fn)(void *ctx,
				      const struct store_room_view *v);
/* The rooms of the site with this code (NULL: every site), by site code
 * and room number. */
enum cd_code store_room_list(struct store *st, const char *site,
			     store_room_fn fn, void *ctx, struct cd_err *err);

/* A quarantine plan as stored, with its person, case and room. Dates are
 * day numbers, 0 = none. */
struct store_quarantine {
	int64_t id;
	uint32_t person;
	char rid[19], name[NAME_MAX_BYTES + 1];
	int32_t birth;
	uint32_t household;
	enum quarantine_group grp;
	char profile[RULES_NAME_MAX];
	char regime[QUARANTINE_REGIME_MAX];   /* quarantine_regime_format */
	int64_t case_id;                      /* 0: none */
	char case_number[CASE_NUMBER_MAX];
	uint32_t via;          /* a secondary contact's close contact; 0 */
	char via_rid[19], via_name[NAME_MAX_BYTES + 1];
	int32_t exposure, central_end, home_end, monitoring_end;
	int32_t quarantine_end;
	enum quarantine_status status;
	int64_t room_id;       /* while central: the room; after: the last */
	char site[SITE_CODE_MAX], site_name[NAME_MAX_BYTES + 1];
	char room[ROOM_NUMBER_MAX];
	int64_t previous_id;   /* the plan this replaced (upgrade, replan) */
	int64_t planned_at;
	int32_t ended_on;      /* released, upgraded or replanned on */
};

/* Add plan p for q->person with q's grp, profile, case_id, via, status,
 * room_id, previous_id and planned_at (the other fields are ignored): its
 * dates, regime text and sampling days from p. Sets q->id. CD_ECONFLICT
 * when the person already has an open plan or the room is full. */
enum cd_code store_quarantine_add(struct store *st, struct store_quarantine *q,
				  const struct quarantine_plan *p,
				  struct cd_err *err);
/* The plan with this id. CD_ENOTFOUND when there is none. */
enum cd_code store_quarantine_get(struct store *st, int64_t id,
				  struct store_quarantine *out,
				  struct cd_err *err);
/* The person's open plan (waiting, central or home); when there is none
 * and latest is set, their latest plan. CD_ENOTFOUND when none. */
enum cd_code store_quarantine_of(struct store *st, uint32_t person,
				 int latest, struct store_quarantine *out,
				 struct cd_err *err);
/* Set a plan's status, room (0: none) and end date (0 while open).
 * CD_ECONFLICT when the room is full; CD_ENOTFOUND for no such plan. */
enum cd_code store_quarantine_set(struct store *st, int64_t id,
				  enum quarantine_status s, int64_t room_id,
				  int32_t ended_on, struct cd_err *err);

struct store_quarantine_filter {
	int status;        /* -1: any; a QS_*; QS_COUNT: the open ones */
	uint32_t person;   /* 0: anyone */
	int64_t case_id;   /* 0: any case */
	int64_t room_id;   /* 0: any; else the people in this room now */
	const char *site;  /* NULL: any; else the people at this site now */
	int32_t test_on;   /* 0: any; else plans sampled on this date (not
			      upgraded or replanned) */
	int32_t active_on; /* 0: any; else plans open, or released and under
			      health monitoring until this date or later */
};
typedef enum cd_code (*store_quarantine_fn)(void *ctx,
					    const struct store_quarantine *q);
/* The plans matching f, by id. Calls fn for each; a non-OK return from fn
 * stops and is returned. Do not write from fn. */
enum cd_code store_quarantine_list(struct store *st,
				   const struct store_quarantine_filter *f,
				   store_quarantine_fn fn, void *ctx,
				   struct cd_err *err);

/* The registry id of a resident ID. CD_ENOTFOUND when absent. */
enum cd_code store_quarantine_person(struct store *st, const char *rid,
				     uint32_t *id, struct cd_err *err);
/* A person's samples and results (tables samples, sample_members,
 * results), oldest first, dated in China time; the caller frees *out. */
enum cd_code store_quarantine_samples(struct store *st, uint32_t person,
				      struct quarantine_sample **out,
				      size_t *n, struct cd_err *err);
/* The id of the person's case that makes them positive (confirmed or
 * asymptomatic, not cured), or 0. */
enum cd_code store_quarantine_case_of(struct store *st, uint32_t person,
				      int64_t *case_id, struct cd_err *err);
/* The latest last exposure (Unix seconds) of person as a close contact in
 * the traces of source's cases, or 0. */
enum cd_code store_quarantine_exposure(struct store *st, uint32_t person,
				       uint32_t source, int64_t *last,
				       struct cd_err *err);

/* A monitoring entry (temperature, symptoms) and its alert. */
struct store_monitoring {
	int64_t id, quarantine_id;
	uint32_t person;
	int64_t at, recorded_at;
	int temp_tenths;
	char symptoms[SYMPTOMS_MAX_BYTES + 1];
	char alert[512];       /* why it is an alert; "" when it is not */
	char rid[19], name[NAME_MAX_BYTES + 1];   /* filled when read */
};
/* Add m (id, rid and name are ignored); sets m->id. */
enum cd_code store_monitoring_add(struct store *st, struct store_monitoring *m,
				  struct cd_err *err);
typedef enum cd_code (*store_monitoring_fn)(void *ctx,
					    const struct store_monitoring *m);
/* The entries of one person (person != 0), or everyone's alerts at or
 * after since (person 0), oldest first. */
enum cd_code store_monitoring_list(struct store *st, uint32_t person,
				   int64_t since, store_monitoring_fn fn,
				   void *ctx, struct cd_err *err);

/* ---- area testing rounds (store_rounds.c). A round (test_rounds) has
 * target units, a start and a deadline once started, and closed_at once
 * closed. Expected residents are those of the hamlets under the targets,
 * without persons with an open case (in hospital) or waiting for or in
 * central quarantine; sampled ones are members of a tube of the round. */

struct store_round {
	int64_t id;
	char code[TESTING_CODE_MAX];
	int64_t start, deadline, closed_at;   /* 0: not started / open */
	long targets;                         /* target units */
};
/* The round with this code. CD_ENOTFOUND when there is none. */
enum cd_code store_round_get(struct store *st, const char *code,
			     struct store_round *out, struct cd_err *err);
/* Start round code (created, or adopted when only samples named it)
 * over units[0..n) (codes) from start to deadline. Call inside
 * store_begin/store_commit. CD_ENOTFOUND naming an unknown unit;
 * CD_ECONFLICT when the round was already started or a unit lies within
 * another target. */
enum cd_code store_round_start(struct store *st, const char *code,
			       int64_t start, int64_t deadline,
			       const char *const *units, size_t n,
			       struct cd_err *err);
/* Record closed_at = at on round id. CD_ECONFLICT when already closed. */
enum cd_code store_round_close(struct store *st, int64_t id, int64_t at,
			       struct cd_err *err);

/* Coverage of one hamlet (grid) under one target unit. */
struct store_round_cov {
	char target[UNIT_CODE_MAX], target_name[NAME_MAX_BYTES + 1];
	char hamlet[UNIT_CODE_MAX], hamlet_name[NAME_MAX_BYTES + 1];
	long expected, sampled;
};
typedef enum cd_code (*store_round_cov_fn)(void *ctx,
					   const struct store_round_cov *c);
/* The coverage of round id per hamlet, by target code then hamlet code
 * (hamlets without expected residents included). Calls fn for each; a
 * non-OK return from fn stops and is returned. */
enum cd_code store_round_coverage(struct store *st, int64_t id,
				  store_round_cov_fn fn, void *ctx,
				  struct cd_err *err);

/* An expected resident not yet sampled, under one grid worker of their
 * hamlet (worker "" when no worker answers for it). */
struct store_round_missing {
	char worker_phone[12], worker_name[NAME_MAX_BYTES + 1];
	char hamlet[UNIT_CODE_MAX], hamlet_name[NAME_MAX_BYTES + 1];
	char rid[19], name[NAME_MAX_BYTES + 1], phone[12];
	char household[HOUSEHOLD_CODE_MAX];
};
typedef enum cd_code (*store_round_missing_fn)(
	void *ctx, const struct store_round_missing *m);
/* The missing residents of round id once per grid worker of their hamlet,
 * by worker phone (no worker last), hamlet, household, resident ID. */
enum cd_code store_round_missing(struct store *st, int64_t id,
				 store_round_missing_fn fn, void *ctx,
				 struct cd_err *err);

/* The tubes of a round by result. */
struct store_round_result {
	long tubes, negative, positive, invalid, pending;
};
/* A positive tube of the round: its code, pool size and members. */
typedef enum cd_code (*store_round_pos_fn)(void *ctx, const char *tube,
					   int pool_size, long members);
/* Count round id's tubes by result into out and call fn for each
 * positive tube, by tube code. */
enum cd_code store_round_result(struct store *st, int64_t id,
				struct store_round_result *out,
				store_round_pos_fn fn, void *ctx,
				struct cd_err *err);

/* ---- risk zones (store_zones.c; domain/zones.h; docs/zones.md). A
 * proposal groups the zones drawn from cases, or asks to turn one active
 * controlled zone sealed; a zone holds unit and venue areas, its level,
 * status and residents; every change is a zone_log row. Ids are shown as
 * "P0001" and "Z0001". Write inside store_begin/store_commit. */

struct store_zone {
	int64_t id, proposal;
	int level;                      /* enum zone_level */
	char status[12];                /* proposed active rejected lifted */
	int64_t proposed_at, confirmed_at, level_since, lifted_at; /* 0 none */
	long residents;
	long units, venues;             /* its areas */
};
struct store_zone_proposal {
	int64_t id;
	char kind[8];                   /* new, convert */
	char status[12];                /* open, confirmed, rejected */
	int64_t created_at;
	int64_t zone;                   /* convert: the zone to seal */
	char case_number[CASE_NUMBER_MAX]; /* convert: the new case */
};
struct store_zone_area {
	char kind[8];                   /* unit, venue */
	char code[VENUE_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
};
struct store_zone_log {
	int64_t at;
	char actor[64];
	int64_t proposal, zone;         /* 0 = none */
	char action[16];
	char detail[512];
	bool forced;
};
typedef enum cd_code (*store_zone_fn)(void *ctx, const struct store_zone *z);
typedef enum cd_code (*store_zone_proposal_fn)(
	void *ctx, const struct store_zone_proposal *p);
typedef enum cd_code (*store_zone_area_fn)(void *ctx,
					   const struct store_zone_area *a);
typedef enum cd_code (*store_zone_log_fn)(void *ctx,
					  const struct store_zone_log *l);

/* A new open proposal of kind "new"; its id into *id. */
enum cd_code store_zone_proposal_add(struct store *st, int64_t at,
				     int64_t *id, struct cd_err *err);
/* CD_ENOTFOUND when there is none. */
enum cd_code store_zone_proposal_get(struct store *st, int64_t id,
				     struct store_zone_proposal *out,
				     struct cd_err *err);
/* Close open proposal id as "confirmed" or "rejected"; CD_ECONFLICT when
 * it is not open. */
enum cd_code store_zone_proposal_close(struct store *st, int64_t id,
				       const char *status,
				       struct cd_err *err);
/* Proposals, open ones only when open_only, oldest first. */
enum cd_code store_zone_proposals(struct store *st, bool open_only,
				  store_zone_proposal_fn fn, void *ctx,
				  struct cd_err *err);
/* Open a "convert" proposal for every active controlled zone in which a
 * confirmed or asymptomatic case reported after the zone's level took
 * effect lives (not inside an active sealed zone), unless that zone has
 * an open proposal or one for that case already; *added counts them. */
enum cd_code store_zone_sync_conversions(struct store *st, long *added,
					 struct cd_err *err);

/* A proposed zone of level in proposal; its id into *id. */
enum cd_code store_zone_add(struct store *st, int64_t proposal, int level,
			    int64_t at, int64_t *id, struct cd_err *err);
enum cd_code store_zone_get(struct store *st, int64_t id,
			    struct store_zone *out, struct cd_err *err);
/* Write z's level, status, confirmed_at, level_since and lifted_at. */
enum cd_code store_zone_set(struct store *st, const struct store_zone *z,
			    struct cd_err *err);
/* Zones by id: of one proposal (proposal != 0), else with status (NULL:
 * all). */
enum cd_code store_zone_list(struct store *st, int64_t proposal,
			     const char *status, store_zone_fn fn, void *ctx,
			     struct cd_err *err);
/* Add or remove an area: a unit code, or a venue code when venue. Add:
 * CD_ENOTFOUND for an unknown code, CD_ECONFLICT when already there.
 * Remove: CD_ENOTFOUND when not an area of the zone. */
enum cd_code store_zone_area_add(struct store *st, int64_t zone, bool venue,
				 const char *code, struct cd_err *err);
enum cd_code store_zone_area_remove(struct store *st, int64_t zone,
				    bool venue, const char *code,
				    struct cd_err *err);
/* Units first, then venues, each by code. */
enum cd_code store_zone_areas(struct store *st, int64_t zone,
			      store_zone_area_fn fn, void *ctx,
			      struct cd_err *err);
enum cd_code store_zone_case_add(struct store *st, int64_t zone,
				 int64_t case_id, struct cd_err *err);
/* Count the residents of the zone's units (persons of the households of
 * every hamlet under them) and store the count in the zone. */
enum cd_code store_zone_residents_update(struct store *st, int64_t zone,
					 long *n, struct cd_err *err);
/* The ids of the residents of the zone's units (the caller frees). */
enum cd_code store_zone_resident_ids(struct store *st, int64_t zone,
				     uint32_t **ids, size_t *n,
				     struct cd_err *err);
/* The active or proposed zone (status) of at least min_level whose unit
 * areas hold unit (the unit itself or an ancestor); *zone = 0 when none.
 * Zones of proposal `skip` are ignored. */
enum cd_code store_zone_covering(struct store *st, const char *unit,
				 int min_level, const char *status,
				 int64_t skip, int64_t *zone,
				 struct cd_err *err);
/* The zone's clock: the latest infection day (report day) among the
 * cases it was drawn from, their close contacts who became cases, and
 * the confirmed or asymptomatic cases living in its units; and the latest
 * exposure day of those cases' close contacts (0 = none). */
enum cd_code store_zone_clock(struct store *st, int64_t zone,
			      int32_t *last_infection, int32_t *last_close,
			      struct cd_err *err);
/* Closed rounds started at or after since whose targets hold every unit
 * area of the zone, with their start day and whether all their tubes came
 * back negative (the caller frees *out). */
enum cd_code store_zone_rounds(struct store *st, int64_t zone, int64_t since,
			       struct zone_round **out, size_t *n,
			       struct cd_err *err);
/* Zones of level >= 2 other than zone whose unit areas lie within zone's
 * (equal or below): how many are active, and the latest lifted_at of the
 * lifted ones (0 none). */
enum cd_code store_zone_inner(struct store *st, int64_t zone, long *active,
			      int64_t *last_lifted, struct cd_err *err);
enum cd_code store_zone_log_add(struct store *st,
				const struct store_zone_log *l,
				struct cd_err *err);
/* The log of a zone (zone != 0, with its proposal's entries) or of a
 * proposal, oldest first. */
enum cd_code store_zone_log_list(struct store *st, int64_t proposal,
				 int64_t zone, store_zone_log_fn fn, void *ctx,
				 struct cd_err *err);

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

/* ---- health codes and checkpoint passes (store_codes.c; domain/codes.h) */

/* Facts of the people ids[0..n) (ascending, unique) into facts[] (each
 * already code_facts_init'ed with the same now): cases, contacts,
 * quarantine, pool controls, results within clear_days of exposure,
 * checkpoint temperatures in the last day. */
enum cd_code store_code_facts(struct store *st, const uint32_t *ids, size_t n,
			      int clear_days, struct code_facts *facts,
			      struct cd_err *err);
struct store_code {
	char colour[8];
	char reasons[2048];     /* JSON array of {cause, colour, text} */
	int64_t since;
};
/* A person's stored code; green with no reasons when none is stored. */
enum cd_code store_code_get(struct store *st, uint32_t person,
			    struct store_code *out, struct cd_err *err);
struct store_code_put {
	uint32_t person;
	const char *colour, *reasons;
};
/* Store the codes that differ from what is stored, each change with a
 * history row at `at`, in one transaction; *changed counts them. */
enum cd_code store_codes_save(struct store *st, const struct store_code_put *c,
			      size_t n, int64_t at, long *changed,
			      struct cd_err *err);
typedef enum cd_code (*store_code_fn)(void *ctx, const struct store_code *c);
/* A person's code changes, oldest first (since = when). */
enum cd_code store_code_history(struct store *st, uint32_t person,
				store_code_fn fn, void *ctx, struct cd_err *err);

/* Checkpoint passes not yet in the scans segment, as scan rows (venue,
 * person, time, no check-out); the caller frees *rows. Then mark them all
 * merged once they are written. */
enum cd_code store_passes_unmerged(struct store *st, struct prow **rows,
				   size_t *n, struct cd_err *err);
enum cd_code store_passes_mark_merged(struct store *st, struct cd_err *err);

/* The members of the tubes (the caller frees *ids). */
enum cd_code store_tube_members(struct store *st, const char *const *tubes,
				size_t n, uint32_t **ids, size_t *nids,
				struct cd_err *err);

struct store_pass {
	uint32_t person, venue;
	int64_t at;
	int has_temperature;
	double temperature;
	int mask;               /* 1 yes, 0 no, -1 not checked */
	const char *outcome, *findings; /* findings: JSON */
};
enum cd_code store_checkpoint_pass(struct store *st,
				   const struct store_pass *p,
				   struct cd_err *err);
/* The id and kind of the venue with this code (a pass's checkpoint);
 * CD_ENOTFOUND when there is none. */
enum cd_code store_venue_find(struct store *st, const char *code,
			      uint32_t *id, enum venue_kind *kind,
			      struct cd_err *err);

/* ---- accounts, sessions, jurisdiction and the audit log (store_auth.c;
 * schema_auth.c; docs/api.md). Times here are wall-clock Unix seconds. */

#define USER_NAME_MAX 65

struct store_user {
	int64_t id;
	char name[USER_NAME_MAX];
	char role[16];
	char unit[UNIT_CODE_MAX];   /* "" = the whole database */
	char unit_name[NAME_MAX_BYTES + 1];
	char rid[19];               /* a resident's own resident ID, else "" */
	bool unmask, disabled;
	int failed;                 /* consecutive failed logins */
	int64_t last_failed_at, locked_until, created_at;
	char pw_hash[128];          /* Argon2id string */
};
/* Add a user (u->id is set). unit and rid are codes ("" for none).
 * CD_ECONFLICT when the name is taken; CD_ENOTFOUND for an unknown unit or
 * person. */
enum cd_code store_user_add(struct store *st, struct store_user *u,
			    struct cd_err *err);
/* CD_ENOTFOUND when there is no user of that name (or id). */
enum cd_code store_user_get(struct store *st, const char *name,
			    struct store_user *out, struct cd_err *err);
enum cd_code store_user_get_id(struct store *st, int64_t id,
			       struct store_user *out, struct cd_err *err);
/* Write u's pw_hash, disabled, unmask, failed, last_failed_at and
 * locked_until. */
enum cd_code store_user_set(struct store *st, const struct store_user *u,
			    struct cd_err *err);
typedef enum cd_code (*store_user_fn)(void *ctx, const struct store_user *u);
/* Users by name. */
enum cd_code store_user_list(struct store *st, store_user_fn fn, void *ctx,
			     struct cd_err *err);
/* How many users exist. */
enum cd_code store_user_count(struct store *st, long *n, struct cd_err *err);

struct store_session {
	unsigned char token_hash[32], csrf_hash[32];
	int64_t user;
	int64_t created_at, last_seen, expires_at, revoked_at;
	char ip[48];
};
enum cd_code store_session_add(struct store *st,
			       const struct store_session *s,
			       struct cd_err *err);
/* CD_ENOTFOUND when no session has this token hash. */
enum cd_code store_session_get(struct store *st, const unsigned char *hash,
			       struct store_session *out, struct cd_err *err);
enum cd_code store_session_touch(struct store *st, const unsigned char *hash,
				 int64_t at, struct cd_err *err);
/* Revoke one session (hash), or every open session of user (hash NULL). */
enum cd_code store_session_revoke(struct store *st, const unsigned char *hash,
				  int64_t user, int64_t at,
				  struct cd_err *err);

/* Jurisdiction. What a key of kind names lies in: */
enum store_key {
	KEY_NONE, KEY_PERSON, KEY_UNIT, KEY_HOUSEHOLD, KEY_VENUE, KEY_CASE,
	KEY_TUBE, KEY_ROUND, KEY_ZONE, KEY_PROPOSAL, KEY_SITE, KEY_USER,
	KEY_COUNT
};
/* Whether the record of kind named key lies in the subtree of unit scope
 * ("" = everything): a person, household or case by its hamlet, a venue or
 * site by its unit, a unit by itself; a tube when one of its members
 * does; a round, zone or proposal when one of its units overlaps the
 * subtree (lies in it or holds it). CD_ENOTFOUND when there is no such
 * record. A person is named by resident ID or registry id (digits). */
enum cd_code store_key_within(struct store *st, enum store_key kind,
			      const char *key, const char *scope,
			      bool *within, struct cd_err *err);
/* Whether unit code lies in the subtree of unit scope (CD_ENOTFOUND for an
 * unknown code). */
enum cd_code store_unit_within(struct store *st, const char *code,
			       const char *scope, bool *within,
			       struct cd_err *err);
/* The resident ID of a person named by resident ID or registry id;
 * CD_ENOTFOUND when there is none. */
enum cd_code store_person_rid(struct store *st, const char *key, char *rid,
			      struct cd_err *err);

struct store_audit {
	int64_t id, at;
	char user[USER_NAME_MAX], role[16], ip[48];
	char action[16], method[8], path[256], target[96];
	int status;
	char detail[512];
};
enum cd_code store_audit_add(struct store *st, const struct store_audit *a,
			     struct cd_err *err);
struct store_audit_filter {
	const char *user, *action, *target; /* NULL: any; target a prefix */
	int64_t from, to;                   /* 0: open */
	long limit;                         /* 0: no limit */
};
typedef enum cd_code (*store_audit_fn)(void *ctx,
				       const struct store_audit *a);
/* Entries matching f, newest first. */
enum cd_code store_audit_list(struct store *st,
			      const struct store_audit_filter *f,
			      store_audit_fn fn, void *ctx,
			      struct cd_err *err);

/* ---- queries for the HTTP API, by resource group (store_api_*.c) */

/* -- api: registry (store_api_registry.c) */

/* A page of a list: under unit code (NULL = everything), from offset, at
 * most limit (0: no limit). */
struct store_page {
	const char *unit;
	long limit, offset;
};
typedef enum cd_code (*store_unit_fn)(void *ctx, const struct unit_rec *u);
/* Units in the subtree of p->unit (itself included) by code, of one level
 * (0: any). Calls fn for each; a non-OK return from fn stops and is
 * returned. */
enum cd_code store_unit_list(struct store *st, const struct store_page *p,
			     int level, store_unit_fn fn, void *ctx,
			     struct cd_err *err);

/* A household with its hamlet's name. CD_ENOTFOUND when none. */
struct store_household_view {
	struct household_rec h;
	char hamlet_name[NAME_MAX_BYTES + 1];
};
enum cd_code store_household_get(struct store *st, const char *code,
				 struct store_household_view *out,
				 struct cd_err *err);

/* A person as listed: registry id, record and hamlet. */
struct store_person_row {
	int64_t id;
	struct person_rec p;
	char hamlet[UNIT_CODE_MAX], hamlet_name[NAME_MAX_BYTES + 1];
};
struct store_person_filter {
	struct store_page page;
	const char *household;  /* NULL: any; else its members only */
	const char *name;       /* NULL: any; else a prefix of the name */
	const char *rid;        /* NULL: any; else a prefix of the ID */
};
typedef enum cd_code (*store_person_fn)(void *ctx,
					const struct store_person_row *p);
/* Persons matching f by household code, then registry id. Calls fn for
 * each; a non-OK return from fn stops and is returned. */
enum cd_code store_person_list(struct store *st,
			       const struct store_person_filter *f,
			       store_person_fn fn, void *ctx,
			       struct cd_err *err);

/* A venue with its unit's name. */
struct store_venue_view {
	struct venue_rec v;
	char unit_name[NAME_MAX_BYTES + 1];
};
typedef enum cd_code (*store_venue_view_fn)(void *ctx,
					    const struct store_venue_view *v);
/* CD_ENOTFOUND when there is no venue with this code. */
enum cd_code store_venue_get(struct store *st, const char *code,
			     struct store_venue_view *out, struct cd_err *err);
/* Venues in the subtree of p->unit by code, of one kind (-1: any). */
enum cd_code store_venue_list(struct store *st, const struct store_page *p,
			      int kind, store_venue_view_fn fn, void *ctx,
			      struct cd_err *err);

/* A grid worker with the hamlets they answer for (within the page's unit
 * when listed). */
struct store_grid_worker_view {
	int64_t id;
	struct grid_worker_rec w;
	char names[GRID_WORKER_MAX_UNITS][NAME_MAX_BYTES + 1]; /* of units */
};
typedef enum cd_code (*store_grid_worker_fn)(
	void *ctx, const struct store_grid_worker_view *w);
/* Grid workers answering for a hamlet in the subtree of p->unit, by
 * phone; each with only those hamlets, by code. */
enum cd_code store_grid_worker_list(struct store *st,
				    const struct store_page *p,
				    store_grid_worker_fn fn, void *ctx,
				    struct cd_err *err);

/* What lies in the subtree of a unit (NULL = everything). */
struct store_summary {
	long units, households, persons, venues, grid_workers;
	long cases[3];              /* by enum case_class, every case */
	long cases_open;            /* without an outcome */
	long cured, died;
	long codes[3];              /* persons: green, yellow, red */
	long quarantine[3];         /* open plans: waiting, central, home */
	long zones[4];              /* active zones by level 1..3 ([0]: all)
				       over units or venues in the subtree,
				       or holding it */
};
enum cd_code store_summary(struct store *st, const char *unit,
			   struct store_summary *out, struct cd_err *err);

/* For the jurisdiction of imports: the unit a stored person (KEY_PERSON,
 * by resident ID: the hamlet) or venue (KEY_VENUE, by code) lies in, into
 * unit (UNIT_CODE_MAX bytes); "" when there is no such record. */
enum cd_code store_record_unit(struct store *st, enum store_key kind,
			       const char *key, char *unit,
			       struct cd_err *err);
/* A hamlet of the stored grid worker with this phone that lies outside
 * the subtree of scope, into hamlet (UNIT_CODE_MAX bytes); "" when there
 * is none (or no such worker). */
enum cd_code store_grid_worker_outside(struct store *st, const char *phone,
				       const char *scope, char *hamlet,
				       struct cd_err *err);

/* -- api: cases (store_api_cases.c) */

/* A person in brief: what an API reply shows of them. */
struct store_person_brief {
	uint32_t id;                       /* registry id */
	char rid[19], name[NAME_MAX_BYTES + 1], phone[12];
	char hamlet[UNIT_CODE_MAX];
};
/* The person named by resident ID or registry id (digits) into *out.
 * CD_ENOTFOUND when there is none. */
enum cd_code store_person_brief(struct store *st, const char *key,
				struct store_person_brief *out,
				struct cd_err *err);

/* A stored contact with where they and their "via" person live. */
struct store_contact_row {
	struct store_contact c;
	char hamlet[UNIT_CODE_MAX];
	char via_hamlet[UNIT_CODE_MAX];    /* "" without a via person */
	char via_name[NAME_MAX_BYTES + 1];
};
struct store_contact_filter {
	const char *unit;       /* NULL: anywhere; else hamlets under it */
	const char *category;   /* NULL: any; else close, secondary, ... */
	long limit, offset;     /* limit 0: no limit */
};
typedef enum cd_code (*store_contact_row_fn)(
	void *ctx, const struct store_contact_row *c);
/* A case's contacts matching f, strongest category first, then by
 * resident ID. Calls fn for each; a non-OK return from fn stops and is
 * returned. */
enum cd_code store_contact_list(struct store *st, int64_t case_id,
				const struct store_contact_filter *f,
				store_contact_row_fn fn, void *ctx,
				struct cd_err *err);
/* How many of a case's contacts living under unit (NULL: anywhere) are
 * close, secondary, companion and general (counts[0..3]). */
enum cd_code store_contact_counts(struct store *st, int64_t case_id,
				  const char *unit, long counts[4],
				  struct cd_err *err);

/* -- api: testing */
/* A round of the page: units its target codes, comma-separated. */
typedef enum cd_code (*store_api_round_fn)(void *ctx,
					   const struct store_round *r,
					   const char *units);
/* Testing rounds overlapping the subtree of unit scope (a target within
 * it or holding it; NULL: every round, started or not), newest start
 * first, rounds never started last; limit rows from offset. Calls fn for
 * each; a non-OK return from fn stops and is returned. */
enum cd_code store_api_rounds(struct store *st, const char *scope,
			      long limit, long offset, store_api_round_fn fn,
			      void *ctx, struct cd_err *err);

/* -- api: control */

/* A page of quarantine plans (store_api_control.c). Each filter is off
 * when NULL (status -1 any, QS_COUNT the open ones; grp -1 any): case by
 * number; site: the people at this site now; scope: persons whose
 * hamlet lies under this unit code. */
struct store_api_plan_filter {
	int status, grp;
	const char *case_number, *site, *scope;
	long offset, limit;
};
/* Calls fn with each plan's id and its person's hamlet code, by id; a
 * non-OK return from fn stops and is returned. Do not write from fn. */
typedef enum cd_code (*store_api_plan_fn)(void *ctx, int64_t id,
					  const char *hamlet);
enum cd_code store_api_plan_page(struct store *st,
				 const struct store_api_plan_filter *f,
				 store_api_plan_fn fn, void *ctx,
				 struct cd_err *err);
/* The hamlet code (UNIT_CODE_MAX bytes) of a person by registry id.
 * CD_ENOTFOUND when there is none. */
enum cd_code store_api_plan_hamlet(struct store *st, uint32_t person,
				   char *hamlet, struct cd_err *err);

#endif
