/* store_testing.c — SQL of pooled testing: tubes, members, results and
 * controls in place (store.h, "pooled testing"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The outcome column: NULL while open. */
static enum testing_result col_result(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	enum testing_result r = TESTING_NONE;
	if (t && testing_result_parse((const char *)t, &r, NULL))
		r = TESTING_NONE;
	return r;
}

/* See store.h. */
enum cd_code store_testing_person(struct store *st, const char *rid,
				  uint32_t *id, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_TEST_PERSON,
				     "SELECT id FROM persons"
				     " WHERE resident_id = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, rid);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no person with this "
				  "resident ID in the registry");
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "looking up a person", err);
	*id = (uint32_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return CD_OK;
}

/* See store.h. */
enum cd_code store_sample_get(struct store *st, const char *tube,
			      struct store_sample *out, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_SAMPLE_GET,
		"SELECT s.id, s.tube, s.pool_size, s.point, s.sampled_at,"
		" r.code, p.tube, s.retest_of,"
		" (SELECT count(*) FROM sample_members m"
		"  WHERE m.sample_id = s.id),"
		" x.result, x.lab, x.result_at FROM samples s"
		" LEFT JOIN test_rounds r ON r.id = s.round_id"
		" LEFT JOIN samples p ON p.id = s.retest_of"
		" LEFT JOIN results x ON x.sample_id = s.id"
		" WHERE s.tube = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, tube);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no tube %s", tube);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "reading a tube", err);
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, out->t.tube, sizeof out->t.tube);
	out->t.pool_size = sqlite3_column_int(s, 2);
	store_col_text(s, 3, out->t.point, sizeof out->t.point);
	out->t.sampled_at = sqlite3_column_int64(s, 4);
	store_col_text(s, 5, out->t.round, sizeof out->t.round);
	store_col_text(s, 6, out->t.retest_of, sizeof out->t.retest_of);
	out->retest_of_id = sqlite3_column_int64(s, 7);
	out->members = (long)sqlite3_column_int64(s, 8);
	snprintf(out->r.tube, sizeof out->r.tube, "%s", out->t.tube);
	out->r.result = col_result(s, 9);
	store_col_text(s, 10, out->r.lab, sizeof out->r.lab);
	out->r.result_at = sqlite3_column_int64(s, 11);
	sqlite3_reset(s);
	return CD_OK;
}

/* The id of round code, created when new. */
static enum cd_code round_id(struct store *st, const char *code,
			     int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_ROUND_GET, "SELECT id FROM "
				     "test_rounds WHERE code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return CD_OK;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "reading a testing round", err);
	s = store_stmt(st, STMT_ROUND_ADD, "INSERT INTO test_rounds(code)"
		       " VALUES (?1)", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc, "adding a testing round", err);
	*id = sqlite3_last_insert_rowid(st->db);
	return CD_OK;
}

static enum cd_code members_add(struct store *st, int64_t sample,
				const uint32_t *persons, size_t n,
				struct cd_err *err)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(
			st, STMT_MEMBER_ADD, "INSERT INTO sample_members"
			"(sample_id, person_id) VALUES (?1, ?2)", err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, sample);
		sqlite3_bind_int64(s, 2, persons[i]);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, "adding a tube's member",
					  err);
	}
	return CD_OK;
}

/* See store.h. */
enum cd_code store_sample_add(struct store *st, const struct testing_tube *t,
			      int64_t retest_of_id, const uint32_t *persons,
			      size_t n, int64_t *id, struct cd_err *err)
{
	int64_t round = 0;
	enum cd_code ret;
	if (t->round[0] && (ret = round_id(st, t->round, &round, err)))
		return ret;
	sqlite3_stmt *s = store_stmt(
		st, STMT_SAMPLE_ADD,
		"INSERT INTO samples(tube, pool_size, point, sampled_at,"
		" round_id, retest_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, t->tube);
	sqlite3_bind_int(s, 2, t->pool_size);
	store_bind_text(s, 3, t->point);
	sqlite3_bind_int64(s, 4, t->sampled_at);
	if (round)
		sqlite3_bind_int64(s, 5, round);
	if (retest_of_id)
		sqlite3_bind_int64(s, 6, retest_of_id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "adding a tube", err);
	*id = sqlite3_last_insert_rowid(st->db);
	return members_add(st, *id, persons, n, err);
}

/* See store.h. Prepared per call: read once per stored tube. */
enum cd_code store_sample_member_ids(struct store *st, int64_t sample,
				     uint32_t **ids, size_t *n,
				     struct cd_err *err)
{
	sqlite3_stmt *s = NULL;
	size_t alloc = 0;
	enum cd_code ret = CD_OK;
	*ids = NULL;
	*n = 0;
	int rc = sqlite3_prepare_v2(st->db, "SELECT person_id FROM "
				    "sample_members WHERE sample_id = ?1"
				    " ORDER BY person_id", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading a tube's members", err);
	sqlite3_bind_int64(s, 1, sample);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ids = xgrow(*ids, sizeof **ids, *n + 1, &alloc);
		(*ids)[(*n)++] = (uint32_t)sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		ret = store_fail(st, rc, "reading a tube's members", err);
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	sqlite3_finalize(s);
	return ret;
}

/* See store.h. */
enum cd_code store_sample_round_tube(struct store *st, const char *round,
				     uint32_t person, const char *except_tube,
				     char *tube, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_ROUND_TUBE,
		"SELECT s.tube FROM sample_members m"
		" JOIN samples s ON s.id = m.sample_id"
		" JOIN test_rounds r ON r.id = s.round_id"
		" WHERE m.person_id = ?1 AND r.code = ?2"
		" AND s.retest_of IS NULL AND s.tube <> ?3"
		" ORDER BY s.tube LIMIT 1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, person);
	store_bind_text(s, 2, round);
	sqlite3_bind_text(s, 3, except_tube, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	tube[0] = '\0';
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, tube, TESTING_CODE_MAX);
	else if (rc != SQLITE_DONE)
		return store_fail(st, rc, "checking a testing round", err);
	sqlite3_reset(s);
	return CD_OK;
}

/* See store.h. */
enum cd_code store_result_add(struct store *st, int64_t sample,
			      const struct testing_result_rec *r,
			      struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_RESULT_ADD,
		"INSERT INTO results(sample_id, result, lab, result_at)"
		" VALUES (?1, ?2, ?3, ?4)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, sample);
	sqlite3_bind_text(s, 2, testing_result_name(r->result), -1,
			  SQLITE_STATIC);
	store_bind_text(s, 3, r->lab);
	sqlite3_bind_int64(s, 4, r->result_at);
	int rc = sqlite3_step(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "adding a result", err);
}

/* See store.h. */
enum cd_code store_pool_control_add(struct store *st, int64_t pool,
				    int64_t since, long *added,
				    struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CONTROL_ADD,
		"INSERT OR IGNORE INTO pool_controls(person_id, sample_id,"
		" since) SELECT person_id, sample_id, ?2 FROM sample_members"
		" WHERE sample_id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, pool);
	sqlite3_bind_int64(s, 2, since);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "controlling a pool's members", err);
	*added = sqlite3_changes(st->db);
	return CD_OK;
}

/* See store.h. */
enum cd_code store_pool_control_resolve(struct store *st, int64_t pool,
					uint32_t person, int64_t at,
					enum testing_result outcome,
					int64_t by, const char *case_number,
					bool *resolved, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CONTROL_RESOLVE,
		"UPDATE pool_controls SET resolved_at = ?3, outcome = ?4,"
		" resolved_by = ?5,"
		" case_id = (SELECT id FROM cases WHERE number = ?6)"
		" WHERE sample_id = ?1 AND person_id = ?2"
		" AND resolved_at IS NULL", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, pool);
	sqlite3_bind_int64(s, 2, person);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_text(s, 4, testing_result_name(outcome), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, by);
	store_bind_text(s, 6, case_number);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "resolving a control", err);
	*resolved = sqlite3_changes(st->db) > 0;
	return CD_OK;
}
