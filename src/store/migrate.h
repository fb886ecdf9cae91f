/* migrate.h — versioned schema migrations (private to store/).
 *
 * The schema version lives in SQLite's user_version; application_id marks
 * a cordon database. Migration i (1-based) takes version i-1 to i. All
 * pending migrations run in one transaction: either the database reaches
 * the latest version or it is left exactly as it was. */
#ifndef CORDON_MIGRATE_H
#define CORDON_MIGRATE_H

#include <sqlite3.h>

#include "lib/err.h"

#define CORDON_APPLICATION_ID 0x434f5244 /* "CORD" */

struct migration {
	const char *name;
	const char *sql;
};

/* Schemas kept beside their modules (schema_*.c). */
extern const char store_sql_testing[];
extern const char store_sql_quarantine[];
extern const char store_sql_zones[];
extern const char store_sql_auth[];

/* The migrations of this cordon, oldest first. */
extern const struct migration store_migrations[];
extern const int store_migration_count;

/* Read the version of an open database: CD_ESCHEMA when it is a SQLite
 * database of another application, CD_EDB/CD_ESCHEMA when not a
 * database at all. A fresh empty file has version 0. */
enum cd_code migrate_version(sqlite3 *db, const char *path, int *version,
			     struct cd_err *err);
/* Bring db from its version to n by running m[version..n-1] in one
 * transaction. Refuses (CD_ESCHEMA, nothing changed) when the database is
 * newer than n. */
enum cd_code migrate_run(sqlite3 *db, const char *path,
			 const struct migration *m, int n, struct cd_err *err);

#endif
