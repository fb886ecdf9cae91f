/* store_sqlite.h — private to store/: the handle and helpers shared by the
 * SQLite backend's files. */
#ifndef CORDON_STORE_SQLITE_H
#define CORDON_STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "store/migrate.h"
#include "store/store.h"

/* The queries of store_code_facts (store_codes.c). */
#define STORE_FACT_QUERIES 8

enum stmt_id {
	STMT_SEEN_GET, STMT_SEEN_ADD, STMT_IMPORT_LOG,
	STMT_UNIT_ID, STMT_UNIT_UPSERT, STMT_UNIT_GET,
	STMT_HH_ID, STMT_HH_UPSERT,
	STMT_PERSON_ID, STMT_PERSON_UPSERT,
	STMT_VENUE_ID, STMT_VENUE_UPSERT,
	STMT_GW_ID, STMT_GW_UPSERT, STMT_GW_UNITS, STMT_GW_UNITS_DEL,
	STMT_GW_UNIT_ADD,
	STMT_TRIP_ID, STMT_TRIP_ADD,
	STMT_CASE_PERSON, STMT_CASE_OPEN, STMT_CASE_SEQ, STMT_CASE_ADD,
	STMT_CASE_UPDATE, STMT_CASE_BY_NUMBER, STMT_CASE_BY_RID,
	STMT_TEST_PERSON, STMT_SAMPLE_GET, STMT_ROUND_GET, STMT_ROUND_ADD,
	STMT_SAMPLE_ADD, STMT_MEMBER_ADD, STMT_ROUND_TUBE, STMT_RESULT_ADD,
	STMT_CONTROL_ADD, STMT_CONTROL_RESOLVE,
	/* Checkpoint verification, the API's hottest path (store_codes.c):
	 * the facts of one person (STMT_FACTS_ONE + query) or of the
	 * people in the temporary table code_targets (STMT_FACTS_MANY +
	 * query), the stored code and its history, the pass. */
	STMT_FACTS_ONE, STMT_FACTS_MANY = STMT_FACTS_ONE + STORE_FACT_QUERIES,
	STMT_TARGETS_CLEAR = STMT_FACTS_MANY + STORE_FACT_QUERIES,
	STMT_TARGET_ADD, STMT_CODE_CUR, STMT_CODE_PUT, STMT_CODE_HIST,
	STMT_PASS_ADD, STMT_VENUE_FIND, STMT_TEST_HISTORY,
	/* The audit log, and the jurisdiction checks of the API
	 * (store_auth.c): a person key, and the query of each record kind
	 * (STMT_KEY_WITHIN + enum store_key; + KEY_COUNT: a person by
	 * resident ID). The person a path names (store_person_brief), by
	 * resident ID or registry id. */
	STMT_BRIEF_BY_RID, STMT_BRIEF_BY_ID,
	STMT_AUDIT_ADD, STMT_RID_BY_RID, STMT_RID_BY_ID, STMT_KEY_WITHIN,
	STMT_KEY_EXISTS = STMT_KEY_WITHIN + KEY_COUNT + 1,
	STMT_UNIT_PARENT = STMT_KEY_EXISTS + KEY_COUNT + 1,
	/* A request's read snapshot (store_read_begin). */
	STMT_READ_BEGIN, STMT_READ_END,
	STMT_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	int version;
	int seen_ready;
	/* Depth of nested store_begin calls: only the outermost begins and
	 * commits (the HTTP API wraps a handler's writes and its audit row in
	 * one transaction around the application's own). */
	int tx_depth;
	sqlite3_stmt *stmts[STMT_COUNT];
	/* The write mutex this process's connections to the file share
	 * (store_lock.c), and whether this connection holds it (store_begin
	 * to commit or rollback). */
	struct store_file *file;
	bool wlocked;
	/* The last household looked up by code: persons come grouped by
	 * household, so this saves most look-ups during an import. */
	char hh_code[HOUSEHOLD_CODE_MAX];
	sqlite3_int64 hh_id;
	/* The last trip looked up: riders of one trip often come together. */
	char trip_key[64];
	sqlite3_int64 trip_id;
	/* Units' parents as far as looked up (store_auth.c): a unit's
	 * parent never changes and no unit is deleted, so what is known
	 * stays true. parent[id] is the parent's id + 1 (0: not looked up;
	 * 1: a root). The last scope unit looked up by code. */
	int64_t *unit_parent;
	size_t nunit_parent;
	char scope_code[UNIT_CODE_MAX];
	int64_t scope_id;
	/* store_wal_handoff */
	int wal_pages;
	void (*wal_full)(void *);
	void *wal_arg;
	/* A read transaction is open (store_read_begin), not a write one. */
	bool reading;
	/* Rows kept for store_flush, and whether they are being kept now
	 * (store_keep.c). */
	bool deferring;
	struct store_row *rows;
	size_t nrows, caprows;
	/* Mapped presence segments (store_segments.c). */
	struct {
		void *map;
		size_t len;
	} seg[PS_COUNT];
};

/* The write mutex this process's connections to one file share
 * (store_lock.c): found after opening; NULL (SQLite's lock alone) when
 * the file cannot be told or too many files are open. */
void store_file_attach(struct store *st, const char *path);
/* Take the file's write mutex before BEGIN IMMEDIATE (waits up to about
 * 5 s, then goes on without it); release it when the transaction ends. */
void store_write_lock(struct store *st);
void store_write_unlock(struct store *st);

/* A row of an append-only table kept while deferring (store_keep.c). */
struct store_row {
	enum { ROW_PASS, ROW_AUDIT } kind;
	union {
		struct store_pass pass; /* outcome, findings: in text */
		struct store_audit audit;
	} u;
	char *text;
};
/* Keep a row (a pass's outcome and findings are copied); CD_ENOMEM. */
enum cd_code store_defer_row(struct store *st, const struct store_row *row,
			     struct cd_err *err);
/* A unit's id by code (store_registry.c); CD_ENOTFOUND naming it. */
enum cd_code store_unit_id(struct store *st, const char *code,
			   sqlite3_int64 *out, struct cd_err *err);
/* The inserts themselves (store_codes.c, store_auth.c). */
enum cd_code store_pass_insert(struct store *st, const struct store_pass *p,
			       struct cd_err *err);
enum cd_code store_audit_insert(struct store *st, const struct store_audit *a,
				struct cd_err *err);

/* Unmap every presence segment (store_close does). */
void store_segments_close(struct store *st);

/* The hierarchy has four levels: a unit u1 and its ancestors are u1.id,
 * u1.parent_id, u2.parent_id and u3.parent_id. */
#define UP3(u1)                                                          \
	" LEFT JOIN units u2 ON u2.id = " u1 ".parent_id"                \
	" LEFT JOIN units u3 ON u3.id = u2.parent_id"
#define ANCESTORS(u1)                                                    \
	"(" u1 ".id, " u1 ".parent_id, u2.parent_id, u3.parent_id)"
/* Zone zn (an alias of zones) at instant T (SQL text: a parameter): the
 * level it had then (zone_levels, kept by triggers; its present level
 * when it has no history) and whether it was in force (confirmed by T,
 * not lifted by T). */
#define ZONE_LEVEL_AT(zn, T)                                              \
	"coalesce((SELECT l.level FROM zone_levels l WHERE l.zone_id = "   \
	zn ".id AND l.since <= " T " ORDER BY l.since DESC, l.rowid DESC"  \
	" LIMIT 1), " zn ".level)"
#define ZONE_IN_FORCE_AT(zn, T)                                           \
	"(" zn ".confirmed_at <= " T " AND coalesce(" zn ".lifted_at > " T \
	", 1))"

/* Map a SQLite result code to a cordon error naming the database. */
enum cd_code store_fail(struct store *st, int rc, const char *what,
			struct cd_err *err);
/* The cached statement id, prepared from sql on first use, reset and
 * unbound otherwise. NULL with err set on failure. */
sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql,
			 struct cd_err *err);
/* Prepare a one-off statement (the caller finalizes it); NULL with err
 * set, naming what, on failure. */
sqlite3_stmt *store_prep(struct store *st, const char *sql, const char *what,
			 struct cd_err *err);
/* Step a one-off statement that returns no row, and finalize it. */
enum cd_code store_step_done(struct store *st, sqlite3_stmt *s,
			     const char *what, struct cd_err *err);
/* Bind text, or NULL for an empty string. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Copy a text column ("" for NULL) into out. */
void store_col_text(sqlite3_stmt *s, int i, char *out, size_t len);

#endif
