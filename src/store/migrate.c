/* migrate.c — run schema migrations in one transaction. */
#include "store/migrate.h"

#include <stdio.h>

#include "lib/banned.h"

static enum cd_code sql_fail(sqlite3 *db, const char *path, int rc,
			     const char *what, struct cd_err *err)
{
	int base = rc & 0xff;
	if (base == SQLITE_NOTADB)
		return cd_err_set(err, CD_ESCHEMA,
				  "%s is not a SQLite database", path);
	if (base == SQLITE_READONLY)
		return cd_err_set(err, CD_EREADONLY,
				  "%s is read-only: cannot %s", path, what);
	if (base == SQLITE_FULL)
		return cd_err_set(err, CD_EFULL, "%s: disk full while %s",
				  path, what);
	return cd_err_set(err, CD_EDB, "%s: %s: %s", path, what,
			  sqlite3_errmsg(db));
}

static enum cd_code pragma_int(sqlite3 *db, const char *path,
			       const char *sql, int *out, struct cd_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, path, rc, "reading the schema", err);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(db, path, rc, "reading the schema", err);
	return CD_OK;
}

enum cd_code migrate_version(sqlite3 *db, const char *path, int *version,
			     struct cd_err *err)
{
	int app, objects;
	enum cd_code rc;
	if ((rc = pragma_int(db, path, "PRAGMA application_id", &app, err)) ||
	    (rc = pragma_int(db, path, "PRAGMA user_version", version, err)) ||
	    (rc = pragma_int(db, path,
			     "SELECT count(*) FROM sqlite_schema", &objects,
			     err)))
		return rc;
	if (app != CORDON_APPLICATION_ID && (app != 0 || objects > 0))
		return cd_err_set(err, CD_ESCHEMA,
				  "%s is a SQLite database but not a cordon "
				  "database", path);
	return CD_OK;
}

enum cd_code migrate_run(sqlite3 *db, const char *path,
			 const struct migration *m, int n, struct cd_err *err)
{
	int version;
	enum cd_code rc = migrate_version(db, path, &version, err);
	if (rc)
		return rc;
	if (version > n)
		return cd_err_set(err, CD_ESCHEMA,
				  "%s has schema version %d, made by a newer "
				  "cordon; this cordon knows versions up to "
				  "%d: upgrade cordon (the database was not "
				  "changed)", path, version, n);
	if (version == n)
		return CD_OK;
	int src = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (src != SQLITE_OK)
		return sql_fail(db, path, src, "starting the migration", err);
	/* Re-read under the write lock: another process may have migrated. */
	if ((rc = migrate_version(db, path, &version, err)))
		goto fail;
	for (int i = version; i < n; i++) {
		src = sqlite3_exec(db, m[i].sql, NULL, NULL, NULL);
		if (src != SQLITE_OK) {
			rc = sql_fail(db, path, src, m[i].name, err);
			goto fail;
		}
	}
	char sql[96];
	snprintf(sql, sizeof sql,
		 "PRAGMA application_id=%d; PRAGMA user_version=%d",
		 CORDON_APPLICATION_ID, n);
	if ((src = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK ||
	    (src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = sql_fail(db, path, src, "finishing the migration", err);
		goto fail;
	}
	return CD_OK;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
