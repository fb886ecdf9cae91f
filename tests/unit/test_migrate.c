/* test_migrate.c — schema migrations in one transaction, refusing foreign
 * and newer databases; and store_open over the real schema. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"

/* Our own migration list: 1 creates t1 and inserts a row (so a rerun
 * would show), 2 creates t2, 3 creates t3. */
static const struct migration good[3] = {
	{ "one", "CREATE TABLE t1(x); INSERT INTO t1 VALUES (1);" },
	{ "two", "CREATE TABLE t2(y);" },
	{ "three", "CREATE TABLE t3(z);" },
};

/* Same first two; the third creates a table, then fails. */
static const struct migration bad3[3] = {
	{ "one", "CREATE TABLE t1(x); INSERT INTO t1 VALUES (1);" },
	{ "two", "CREATE TABLE t2(y);" },
	{ "three", "CREATE TABLE t3(z); THIS IS NOT SQL;" },
};

struct tmp {
	char dir[64];
	char path[128];
};

static int setup_tmp(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/cordon-test-migrate-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof t->path, "%s/db.sqlite", t->dir);
	*state = t;
	return 0;
}

static int teardown_tmp(void **state)
{
	struct tmp *t = *state;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", t->path, sfx[i]);
		unlink(p);
	}
	int rc = rmdir(t->dir);
	free(t);
	return rc;
}

static int pragma(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -12345;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int n = 0;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM sqlite_schema"
					    " WHERE type='table' AND name=?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static sqlite3 *open_mem(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		fail_msg("%s: %s", sql, copy);
	}
}

/* Read a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		assert_non_null(nb);
		buf = nb;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_fresh_db_runs_all(void **state)
{
	(void)state;
	sqlite3 *db = open_mem();
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, ":memory:", &v, &err), CD_OK);
	assert_int_equal(v, 0);

	assert_int_equal(migrate_run(db, ":memory:", good, 3, &err), CD_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 3);
	assert_int_equal(pragma(db, "PRAGMA application_id"),
			 CORDON_APPLICATION_ID);
	assert_int_equal(table_exists(db, "t1"), 1);
	assert_int_equal(table_exists(db, "t2"), 1);
	assert_int_equal(table_exists(db, "t3"), 1);
	assert_int_equal(pragma(db, "SELECT count(*) FROM t1"), 1);
	assert_int_equal(migrate_version(db, ":memory:", &v, &err), CD_OK);
	assert_int_equal(v, 3);
	/* Not left inside a transaction. */
	assert_int_equal(sqlite3_get_autocommit(db), 1);

	/* Running again at the latest version changes nothing. */
	assert_int_equal(migrate_run(db, ":memory:", good, 3, &err), CD_OK);
	assert_int_equal(pragma(db, "SELECT count(*) FROM t1"), 1);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 3);
	sqlite3_close(db);
}

static void test_only_pending_run(void **state)
{
	(void)state;
	sqlite3 *db = open_mem();
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(migrate_run(db, ":memory:", good, 1, &err), CD_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 1);
	assert_int_equal(pragma(db, "PRAGMA application_id"),
			 CORDON_APPLICATION_ID);
	assert_int_equal(table_exists(db, "t1"), 1);
	assert_int_equal(table_exists(db, "t2"), 0);
	assert_int_equal(pragma(db, "SELECT count(*) FROM t1"), 1);

	assert_int_equal(migrate_run(db, ":memory:", good, 3, &err), CD_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 3);
	assert_int_equal(table_exists(db, "t2"), 1);
	assert_int_equal(table_exists(db, "t3"), 1);
	/* Migration 1 did not run again: still one row. */
	assert_int_equal(pragma(db, "SELECT count(*) FROM t1"), 1);
	sqlite3_close(db);
}

static void test_failing_migration_rolls_back(void **state)
{
	(void)state;
	sqlite3 *db = open_mem();
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(migrate_run(db, ":memory:", good, 1, &err), CD_OK);

	enum cd_code rc = migrate_run(db, ":memory:", bad3, 3, &err);
	assert_int_not_equal(rc, CD_OK);
	assert_int_equal(err.code, rc);
	assert_true(err.msg[0] != '\0');
	/* Nothing of migrations 2 and 3 remains. */
	assert_int_equal(pragma(db, "PRAGMA user_version"), 1);
	assert_int_equal(pragma(db, "PRAGMA application_id"),
			 CORDON_APPLICATION_ID);
	assert_int_equal(table_exists(db, "t2"), 0);
	assert_int_equal(table_exists(db, "t3"), 0);
	assert_int_equal(pragma(db, "SELECT count(*) FROM t1"), 1);
	assert_int_equal(sqlite3_get_autocommit(db), 1);

	/* And a correct list still migrates afterwards. */
	assert_int_equal(migrate_run(db, ":memory:", good, 3, &err), CD_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 3);
	assert_int_equal(table_exists(db, "t2"), 1);
	sqlite3_close(db);
}

static void test_failing_first_run_leaves_fresh_db(void **state)
{
	(void)state;
	sqlite3 *db = open_mem();
	struct cd_err err = { CD_OK, "" };
	assert_int_not_equal(migrate_run(db, ":memory:", bad3, 3, &err),
			     CD_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"), 0);
	assert_int_equal(pragma(db, "PRAGMA application_id"), 0);
	assert_int_equal(table_exists(db, "t1"), 0);
	assert_int_equal(table_exists(db, "t2"), 0);
	assert_int_equal(table_exists(db, "t3"), 0);
	sqlite3_close(db);
}

static void test_newer_db_refused_unchanged(void **state)
{
	struct tmp *t = *state;
	sqlite3 *db = NULL;
	char sql[160];
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "PRAGMA application_id=%d; PRAGMA user_version=5;"
		 " CREATE TABLE future(x); INSERT INTO future VALUES (42);",
		 CORDON_APPLICATION_ID);
	exec_ok(db, sql);
	sqlite3_close(db);

	size_t len0, len1;
	char *before = slurp(t->path, &len0);
	assert_true(len0 > 0);

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, t->path, &v, &err), CD_OK);
	assert_int_equal(v, 5);
	assert_int_equal(migrate_run(db, t->path, good, 3, &err), CD_ESCHEMA);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(pragma(db, "PRAGMA user_version"), 5);
	assert_int_equal(table_exists(db, "t1"), 0);
	assert_int_equal(sqlite3_get_autocommit(db), 1);
	sqlite3_close(db);

	char *after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
}

static void test_other_application_refused(void **state)
{
	struct tmp *t = *state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name);"
		    " INSERT INTO customers(name) VALUES ('x');");
	assert_int_equal(pragma(db, "PRAGMA application_id"), 0);
	sqlite3_close(db);

	size_t len0, len1;
	char *before = slurp(t->path, &len0);

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, t->path, &v, &err), CD_ESCHEMA);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(migrate_run(db, t->path, good, 3, &err), CD_ESCHEMA);
	assert_int_equal(table_exists(db, "t1"), 0);
	sqlite3_close(db);

	char *after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
}

static void test_other_application_id_refused(void **state)
{
	(void)state;
	/* Another application's id, even with no tables yet. */
	sqlite3 *db = open_mem();
	exec_ok(db, "PRAGMA application_id=305419896"); /* 0x12345678 */
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, ":memory:", &v, &err), CD_ESCHEMA);
	assert_int_equal(migrate_run(db, ":memory:", good, 3, &err),
			 CD_ESCHEMA);
	assert_int_equal(table_exists(db, "t1"), 0);
	sqlite3_close(db);
}

static void write_not_a_db(const char *path)
{
	static const char line[] = "hello, this is not a database\n";
	char buf[4096];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = line[i % (sizeof line - 1)];
	write_file(path, buf, sizeof buf);
}

static void test_not_a_database(void **state)
{
	struct tmp *t = *state;
	write_not_a_db(t->path);
	size_t len0, len1;
	char *before = slurp(t->path, &len0);
	assert_int_equal(len0, 4096);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, t->path, &v, &err), CD_ESCHEMA);
	assert_non_null(strstr(err.msg, "not a SQLite database"));
	assert_non_null(strstr(err.msg, t->path));
	assert_int_not_equal(migrate_run(db, t->path, good, 3, &err), CD_OK);
	sqlite3_close(db);

	char *after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
}

static void test_empty_file_is_version_0(void **state)
{
	struct tmp *t = *state;
	write_file(t->path, "", 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	struct cd_err err = { CD_OK, "" };
	int v = -1;
	assert_int_equal(migrate_version(db, t->path, &v, &err), CD_OK);
	assert_int_equal(v, 0);
	sqlite3_close(db);
}

static void test_store_create(void **state)
{
	struct tmp *t = *state;
	struct store *st = NULL;
	struct cd_err err = { CD_OK, "" };
	assert_true(store_schema_latest() >= 1);
	if (store_open(t->path, STORE_CREATE | STORE_WRITE, &st, &err) != CD_OK)
		fail_msg("store_open: %s", err.msg);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);

	/* Look at the file with sqlite itself. */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	assert_int_equal(pragma(db, "PRAGMA user_version"),
			 store_schema_latest());
	assert_int_equal(pragma(db, "PRAGMA application_id"),
			 CORDON_APPLICATION_ID);
	assert_true(pragma(db, "SELECT count(*) FROM sqlite_schema"
			       " WHERE type='table'") > 0);
	sqlite3_close(db);

	/* Opens again without STORE_CREATE. */
	st = NULL;
	assert_int_equal(store_open(t->path, STORE_WRITE, &st, &err), CD_OK);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
}

static void test_store_missing_file(void **state)
{
	struct tmp *t = *state;
	struct store *st = (struct store *)&st; /* must be reset to NULL */
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(store_open(t->path, 0, &st, &err), CD_ENOTFOUND);
	assert_null(st);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(store_open(t->path, STORE_WRITE, &st, &err),
			 CD_ENOTFOUND);
	assert_null(st);
	/* And it did not create one. */
	assert_int_not_equal(access(t->path, F_OK), 0);
}

static void test_store_create_existing(void **state)
{
	struct tmp *t = *state;
	struct store *st = NULL;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(store_open(t->path, STORE_CREATE, &st, &err), CD_OK);
	store_close(st);

	size_t len0, len1;
	char *before = slurp(t->path, &len0);
	st = (struct store *)&st;
	assert_int_equal(store_open(t->path, STORE_CREATE, &st, &err),
			 CD_ECONFLICT);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->path));
	char *after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);

	/* Any existing file, even an empty one. */
	write_file(t->path, "", 0);
	assert_int_equal(store_open(t->path, STORE_CREATE, &st, &err),
			 CD_ECONFLICT);
	assert_null(st);
}

static void test_store_refuses_foreign_files(void **state)
{
	struct tmp *t = *state;
	struct store *st = NULL;
	struct cd_err err = { CD_OK, "" };
	size_t len0, len1;

	write_not_a_db(t->path);
	char *before = slurp(t->path, &len0);
	enum cd_code rc = store_open(t->path, STORE_WRITE, &st, &err);
	assert_true(rc == CD_ESCHEMA || rc == CD_EDB);
	assert_null(st);
	char *after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
	unlink(t->path);

	/* A cordon database from the future. */
	sqlite3 *db = NULL;
	char sql[160];
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "PRAGMA application_id=%d; PRAGMA user_version=%d;"
		 " CREATE TABLE future(x);",
		 CORDON_APPLICATION_ID, store_schema_latest() + 1);
	exec_ok(db, sql);
	sqlite3_close(db);
	before = slurp(t->path, &len0);
	assert_int_equal(store_open(t->path, STORE_WRITE, &st, &err),
			 CD_ESCHEMA);
	assert_null(st);
	after = slurp(t->path, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_db_runs_all),
		cmocka_unit_test(test_only_pending_run),
		cmocka_unit_test(test_failing_migration_rolls_back),
		cmocka_unit_test(test_failing_first_run_leaves_fresh_db),
		cmocka_unit_test_setup_teardown(test_newer_db_refused_unchanged,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_other_application_refused,
						setup_tmp, teardown_tmp),
		cmocka_unit_test(test_other_application_id_refused),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_empty_file_is_version_0,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_store_create, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_store_missing_file,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_store_create_existing,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_store_refuses_foreign_files,
						setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
