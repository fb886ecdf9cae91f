/* store_sqlite.c — the SQLite backend of store.h: opening, transactions,
 * error mapping and the statement cache. Registry SQL is in
 * store_registry.c. */
#include "store/store_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "lib/xalloc.h"
#include "lib/banned.h"

enum cd_code store_fail(struct store *st, int rc, const char *what,
			struct cd_err *err)
{
	int base = rc & 0xff;
	int sys = sqlite3_system_errno(st->db);
	if (base == SQLITE_FULL || sys == ENOSPC || sys == EFBIG ||
	    sys == EDQUOT)
		return cd_err_set(err, CD_EFULL,
				  "%s: disk full (or file size limit) while "
				  "%s; nothing was changed", st->path, what);
	switch (base) {
	case SQLITE_NOTADB:
		return cd_err_set(err, CD_ESCHEMA,
				  "%s is not a SQLite database", st->path);
	case SQLITE_READONLY:
		return cd_err_set(err, CD_EREADONLY,
				  "%s is read-only: cannot %s", st->path, what);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return cd_err_set(err, CD_EDB,
				  "%s is locked by another process while %s; "
				  "try again", st->path, what);
	case SQLITE_CORRUPT:
		return cd_err_set(err, CD_EDB, "%s is corrupt (while %s)",
				  st->path, what);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return cd_err_set(err, CD_EIO, "%s: I/O error while %s: %s",
				  st->path, what, sqlite3_errmsg(st->db));
	default:
		return cd_err_set(err, CD_EDB, "%s: %s: %s", st->path, what,
				  sqlite3_errmsg(st->db));
	}
}

sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql,
			 struct cd_err *err)
{
	if (!st->stmts[id]) {
		int rc = sqlite3_prepare_v3(st->db, sql, -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &st->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			store_fail(st, rc, "preparing a query", err);
			return NULL;
		}
	} else {
		sqlite3_reset(st->stmts[id]);
		sqlite3_clear_bindings(st->stmts[id]);
	}
	return st->stmts[id];
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void store_col_text(sqlite3_stmt *s, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(out, len, "%s", t ? (const char *)t : "");
}

sqlite3_stmt *store_prep(struct store *st, const char *sql, const char *what,
			 struct cd_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, what, err);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

enum cd_code store_step_done(struct store *st, sqlite3_stmt *s,
			     const char *what, struct cd_err *err)
{
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK : store_fail(st, rc, what, err);
}

static enum cd_code exec(struct store *st, const char *sql, const char *what,
			 struct cd_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, what, err);
}

int store_schema_latest(void)
{
	return store_migration_count;
}

int store_schema_version(struct store *st)
{
	return st->version;
}

/* Wait for another connection's write lock: a few microseconds at first,
 * since in the server writers queue for commits that take that long (the
 * default handler sleeps a millisecond or more each time), then longer;
 * give up after about 5 s. */
static int busy_wait(void *arg, int n)
{
	(void)arg;
	if (n >= 5090)
		return 0;
	long us = n < 10 ? 20 : n < 100 ? 100 : 1000;
	struct timespec ts = { 0, us * 1000 };
	nanosleep(&ts, NULL);
	return 1;
}

static enum cd_code open_db(const char *path, unsigned flags,
			    struct store *st, struct cd_err *err)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if ((flags & STORE_CREATE) && exists)
		return cd_err_set(err, CD_ECONFLICT,
				  "%s already exists; refusing to overwrite it",
				  path);
	/* Presence segments left by an earlier database at this path hold
	 * its person ids: a new database must not inherit them. */
	char seg[4200];
	snprintf(seg, sizeof seg, "%s.presence", path);
	if ((flags & STORE_CREATE) && stat(seg, &sb) == 0)
		return cd_err_set(err, CD_ECONFLICT,
				  "%s exists: presence data of an earlier "
				  "database; remove it or choose another path",
				  seg);
	if (!(flags & STORE_CREATE) && !exists)
		return cd_err_set(err, CD_ENOTFOUND,
				  "no database at %s (create one with "
				  "'cordon init --db %s')", path, path);
	if (exists && !S_ISREG(sb.st_mode))
		return cd_err_set(err, CD_EIO, "%s is not a regular file",
				  path);
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		     ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK)
		return cd_err_set(err, CD_EIO, "cannot open %s: %s", path,
				  st->db ? sqlite3_errmsg(st->db)
					 : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, busy_wait, NULL);
	return CD_OK;
}

enum cd_code store_open(const char *path, unsigned flags, struct store **out,
			struct cd_err *err)
{
	struct store *st = xcalloc(1, sizeof *st);
	enum cd_code rc;
	st->path = xstrdup(path);
	*out = NULL;
	if ((rc = open_db(path, flags, st, err)))
		goto fail;
	/* Check what the file is before anything writes to it. */
	if ((rc = migrate_version(st->db, path, &st->version, err)))
		goto fail;
	if (st->version > store_migration_count) {
		rc = migrate_run(st->db, path, store_migrations,
				 store_migration_count, err);
		goto fail;
	}
	int ro = sqlite3_db_readonly(st->db, "main") == 1;
	if (ro && ((flags & STORE_WRITE) ||
		   st->version < store_migration_count)) {
		rc = cd_err_set(err, CD_EREADONLY,
				"%s is read-only: cannot write to it", path);
		goto fail;
	}
	if ((rc = exec(st, "PRAGMA foreign_keys=ON", "configuring", err)))
		goto fail;
	if ((flags & STORE_BULK) && (flags & STORE_CREATE)) {
		if ((rc = exec(st, "PRAGMA journal_mode=OFF; "
			       "PRAGMA synchronous=OFF; "
			       "PRAGMA cache_size=-262144", "configuring",
			       err)))
			goto fail;
	} else if (!ro && ((rc = exec(st, "PRAGMA journal_mode=WAL",
			       "switching to WAL", err)) ||
		    (rc = exec(st, "PRAGMA synchronous=NORMAL", "configuring",
			       err))))
		goto fail;
	if ((rc = migrate_run(st->db, path, store_migrations,
			      store_migration_count, err)))
		goto fail;
	st->version = store_migration_count;
	store_file_attach(st, path);
	*out = st;
	return CD_OK;
fail:
	store_close(st);
	return rc;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_segments_close(st);
	store_write_unlock(st);
	store_keep_drop(st, 0);
	free(st->rows);
	free(st->unit_parent);
	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int64_t store_last_insert_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

enum cd_code store_begin(struct store *st, struct cd_err *err)
{
	if (st->tx_depth > 0 && !sqlite3_get_autocommit(st->db)) {
		st->tx_depth++;
		return CD_OK;
	}
	if (st->deferring)
		return cd_err_set(err, CD_EWRITE, "a write while deferring: "
				  "run it again in a transaction");
	store_read_end(st);
	store_write_lock(st);
	enum cd_code rc = exec(st, "BEGIN IMMEDIATE", "starting a transaction",
			       err);
	st->tx_depth = rc ? 0 : 1;
	if (rc)
		store_write_unlock(st);
	return rc;
}

enum cd_code store_commit(struct store *st, struct cd_err *err)
{
	/* An inner rollback ended the transaction: nothing left to commit. */
	if (sqlite3_get_autocommit(st->db)) {
		st->tx_depth = 0;
		store_write_unlock(st);
		return CD_OK;
	}
	if (st->tx_depth > 1) {
		st->tx_depth--;
		return CD_OK;
	}
	enum cd_code rc = exec(st, "COMMIT", "committing", err);
	st->tx_depth = 0;
	if (rc)
		store_rollback(st);
	store_write_unlock(st);
	return rc;
}

void store_rollback(struct store *st)
{
	st->hh_code[0] = '\0';
	st->trip_key[0] = '\0';
	st->tx_depth = 0;
	st->reading = false;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	store_write_unlock(st);
	/* The seen-keys table may have gone with the transaction. */
	st->seen_ready = 0;
}

void store_settle(struct store *st)
{
	st->deferring = false;
	if (!sqlite3_get_autocommit(st->db))
		store_rollback(st);
	for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s;
	     s = sqlite3_next_stmt(st->db, s))
		sqlite3_reset(s);
	/* Looked up in the schema first: no statement to compile on the
	 * server's hot path. */
	if (sqlite3_table_column_metadata(st->db, "temp", "import_seen", NULL,
					  NULL, NULL, NULL, NULL,
					  NULL) == SQLITE_OK)
		sqlite3_exec(st->db, "DROP TABLE temp.import_seen", NULL, NULL,
			     NULL);
	st->seen_ready = 0;
	store_segments_close(st);
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	struct store *st = arg;
	if (pages >= st->wal_pages)
		st->wal_full(st->wal_arg);
	return SQLITE_OK;
}

void store_wal_handoff(struct store *st, int pages, void (*full)(void *),
		       void *arg)
{
	st->wal_pages = pages;
	st->wal_full = full;
	st->wal_arg = arg;
	/* Replaces the automatic checkpoint's own hook. */
	sqlite3_wal_hook(st->db, wal_hook, st);
}

enum cd_code store_checkpoint(struct store *st, bool restart, int *pages,
			      struct cd_err *err)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL,
					   restart ? SQLITE_CHECKPOINT_RESTART
						   : SQLITE_CHECKPOINT_PASSIVE,
					   &log, &done);
	*pages = log;
	return rc == SQLITE_OK || rc == SQLITE_BUSY
		       ? CD_OK
		       : store_fail(st, rc, "checkpointing the WAL", err);
}

void store_read_begin(struct store *st)
{
	if (st->reading || st->tx_depth || !sqlite3_get_autocommit(st->db))
		return;
	struct cd_err e;
	sqlite3_stmt *s = store_stmt(st, STMT_READ_BEGIN, "BEGIN", &e);
	st->reading = s && sqlite3_step(s) == SQLITE_DONE;
	if (s)
		sqlite3_reset(s);
}

void store_read_end(struct store *st)
{
	if (!st->reading)
		return;
	st->reading = false;
	/* A read transaction has nothing to lose: should COMMIT fail, it is
	 * rolled back. */
	if (sqlite3_get_autocommit(st->db))
		return;
	struct cd_err e;
	sqlite3_stmt *s = store_stmt(st, STMT_READ_END, "COMMIT", &e);
	if (!s || sqlite3_step(s) != SQLITE_DONE)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (s)
		sqlite3_reset(s);
}

enum cd_code store_seen(struct store *st, const char *key, long line,
			long *first, struct cd_err *err)
{
	if (!st->seen_ready) {
		enum cd_code rc = exec(st,
				       "CREATE TEMP TABLE IF NOT EXISTS "
				       "import_seen(key TEXT PRIMARY KEY, "
				       "line INTEGER) WITHOUT ROWID",
				       "preparing the import", err);
		if (rc)
			return rc;
		st->seen_ready = 1;
	}
	sqlite3_stmt *s = store_stmt(st, STMT_SEEN_GET,
				     "SELECT line FROM import_seen "
				     "WHERE key = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*first = sqlite3_column_int64(s, 0);
		return CD_OK;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "checking duplicates", err);
	*first = 0;
	s = store_stmt(st, STMT_SEEN_ADD,
		       "INSERT INTO import_seen(key, line) VALUES (?1, ?2)",
		       err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, line);
	rc = sqlite3_step(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "checking duplicates",
					      err);
}

void store_seen_reset(struct store *st)
{
	if (st->seen_ready)
		sqlite3_exec(st->db, "DELETE FROM import_seen", NULL, NULL,
			     NULL);
}

enum cd_code store_import_log(struct store *st,
			      const struct store_import_log *log,
			      struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_IMPORT_LOG,
		"INSERT INTO imports(kind, file, rows, inserted, updated, "
		"unchanged, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, log->kind);
	store_bind_text(s, 2, log->file);
	sqlite3_bind_int64(s, 3, log->rows);
	sqlite3_bind_int64(s, 4, log->inserted);
	sqlite3_bind_int64(s, 5, log->updated);
	sqlite3_bind_int64(s, 6, log->unchanged);
	sqlite3_bind_int64(s, 7, log->at);
	int rc = sqlite3_step(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "logging the import",
					      err);
}
