/* store_rounds.c — SQL of area testing rounds: targets, start, deadline,
 * close, coverage per hamlet, the missing list per grid worker and the
 * round's result (store.h, "area testing rounds"). These statements run a
 * few times per command, so they are prepared here and not cached. */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The hamlets under the round's targets, each with its target. */
#define ROUND_HAMLETS                                                     \
	"WITH RECURSIVE sub(id, target) AS ("                             \
	" SELECT unit_id, unit_id FROM round_units WHERE round_id = ?1"   \
	" UNION ALL SELECT u.id, sub.target FROM units u"                 \
	" JOIN sub ON u.parent_id = sub.id) "
/* Persons not expected in a round: in hospital (an open case), dead, or
 * waiting for or in central quarantine. */
#define ROUND_AWAY                                                        \
	"(SELECT person_id FROM cases WHERE outcome IS NULL"              \
	" OR outcome = 'died'"                                            \
	" UNION ALL SELECT person_id FROM quarantines"                    \
	" WHERE status IN ('central', 'waiting'))"
/* Persons in a tube of the round. */
#define ROUND_SAMPLED                                                     \
	"(SELECT m.person_id FROM samples s JOIN sample_members m"        \
	" ON m.sample_id = s.id WHERE s.round_id = ?1)"

static sqlite3_stmt *prep(struct store *st, const char *sql,
			  struct cd_err *err)
{
	return store_prep(st, sql, "preparing a query on testing rounds", err);
}

/* See store.h. */
enum cd_code store_round_get(struct store *st, const char *code,
			     struct store_round *out, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "SELECT id, code, start_at, deadline,"
			       " closed_at, (SELECT count(*) FROM round_units"
			       "  WHERE round_id = r.id)"
			       " FROM test_rounds r WHERE code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->code, sizeof out->code);
		out->start = sqlite3_column_int64(s, 2);
		out->deadline = sqlite3_column_int64(s, 3);
		out->closed_at = sqlite3_column_int64(s, 4);
		out->targets = (long)sqlite3_column_int64(s, 5);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no testing round %s",
				  code);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading a round", err);
}

/* The round's id: the one only samples named so far, or a new one. */
static enum cd_code round_row(struct store *st, const char *code,
			      int64_t start, int64_t deadline, int64_t *id,
			      struct cd_err *err)
{
	struct store_round r;
	struct cd_err e2;
	cd_err_clear(&e2);
	enum cd_code ret = store_round_get(st, code, &r, &e2);
	if (ret == CD_OK && r.start)
		return cd_err_set(err, CD_ECONFLICT, "round %s was already "
				  "started", code);
	if (ret && ret != CD_ENOTFOUND) {
		*err = e2;
		return ret;
	}
	sqlite3_stmt *s = prep(st, ret ? "INSERT INTO test_rounds(code,"
			       " start_at, deadline) VALUES (?1, ?2, ?3)"
			       : "UPDATE test_rounds SET start_at = ?2,"
			       " deadline = ?3 WHERE code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	sqlite3_bind_int64(s, 2, start);
	sqlite3_bind_int64(s, 3, deadline);
	*id = ret ? 0 : r.id;
	if ((ret = store_step_done(st, s, "starting a round", err)))
		return ret;
	if (!*id)
		*id = sqlite3_last_insert_rowid(st->db);
	return CD_OK;
}

/* Add unit code as a target of round id. */
static enum cd_code target_add(struct store *st, int64_t id,
			       const char *code, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO round_units(round_id,"
			       " unit_id) SELECT ?1, id FROM units"
			       " WHERE code = ?2", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, code);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return cd_err_set(err, CD_ECONFLICT, "unit %s is given twice",
				  code);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "adding a round's unit", err);
	if (sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ENOTFOUND, "no unit %s", code);
	return CD_OK;
}

/* CD_ECONFLICT when a target of round id lies within another. */
static enum cd_code targets_disjoint(struct store *st, int64_t id,
				     struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "WITH RECURSIVE up(target, id) AS ("
		" SELECT r.unit_id, u.parent_id FROM round_units r"
		" JOIN units u ON u.id = r.unit_id WHERE r.round_id = ?1"
		" UNION ALL SELECT up.target, u.parent_id FROM up"
		" JOIN units u ON u.id = up.id WHERE u.parent_id IS NOT NULL)"
		" SELECT a.code, b.code FROM up"
		" JOIN round_units r ON r.round_id = ?1 AND r.unit_id = up.id"
		" JOIN units a ON a.id = up.target JOIN units b ON b.id = up.id"
		" ORDER BY a.code LIMIT 1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	char a[UNIT_CODE_MAX], b[UNIT_CODE_MAX];
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, a, sizeof a);
		store_col_text(s, 1, b, sizeof b);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return cd_err_set(err, CD_ECONFLICT, "unit %s lies within "
				  "unit %s, also a target", a, b);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "checking targets", err);
}

/* See store.h. */
enum cd_code store_round_start(struct store *st, const char *code,
			       int64_t start, int64_t deadline,
			       const char *const *units, size_t n,
			       struct cd_err *err)
{
	int64_t id;
	enum cd_code ret = round_row(st, code, start, deadline, &id, err);
	for (size_t i = 0; !ret && i < n; i++)
		ret = target_add(st, id, units[i], err);
	return ret ? ret : targets_disjoint(st, id, err);
}

/* See store.h. */
enum cd_code store_round_close(struct store *st, int64_t id, int64_t at,
			       struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE test_rounds SET closed_at = ?2"
			       " WHERE id = ?1 AND closed_at IS NULL", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	enum cd_code ret = store_step_done(st, s, "closing a round", err);
	if (!ret && sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ECONFLICT, "the round is already "
				  "closed");
	return ret;
}

/* The caller's callback (one of them set) and its context. */
struct cb {
	store_round_cov_fn cov;
	store_round_missing_fn missing;
	store_round_pos_fn pos;
	void *ctx;
};

/* Call row() for each row of s (bound); finalizes s. */
static enum cd_code each_row(struct store *st, sqlite3_stmt *s,
			     enum cd_code (*row)(sqlite3_stmt *,
						 const struct cb *),
			     const struct cb *cb, struct cd_err *err)
{
	enum cd_code ret = CD_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = row(s, cb)))
			break;
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE || rc == SQLITE_ROW
		       ? CD_OK : store_fail(st, rc, "reading a round", err);
}

static enum cd_code cov_row(sqlite3_stmt *s, const struct cb *cb)
{
	struct store_round_cov c;
	store_col_text(s, 0, c.target, sizeof c.target);
	store_col_text(s, 1, c.target_name, sizeof c.target_name);
	store_col_text(s, 2, c.hamlet, sizeof c.hamlet);
	store_col_text(s, 3, c.hamlet_name, sizeof c.hamlet_name);
	c.expected = (long)sqlite3_column_int64(s, 4);
	c.sampled = (long)sqlite3_column_int64(s, 5);
	return cb->cov(cb->ctx, &c);
}

/* See store.h. */
enum cd_code store_round_coverage(struct store *st, int64_t id,
				  store_round_cov_fn fn, void *ctx,
				  struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, ROUND_HAMLETS
		"SELECT t.code, t.name, u.code, u.name, count(p.id),"
		" coalesce(sum(p.id IN " ROUND_SAMPLED "), 0)"
		" FROM sub JOIN units u ON u.id = sub.id AND u.level = 4"
		" JOIN units t ON t.id = sub.target"
		" LEFT JOIN households h ON h.unit_id = u.id"
		" LEFT JOIN persons p ON p.household_id = h.id"
		"  AND p.id NOT IN " ROUND_AWAY
		" GROUP BY sub.target, u.id ORDER BY t.code, u.code", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	struct cb cb = { .cov = fn, .ctx = ctx };
	return each_row(st, s, cov_row, &cb, err);
}

static enum cd_code missing_row(sqlite3_stmt *s, const struct cb *cb)
{
	struct store_round_missing m;
	store_col_text(s, 0, m.worker_phone, sizeof m.worker_phone);
	store_col_text(s, 1, m.worker_name, sizeof m.worker_name);
	store_col_text(s, 2, m.hamlet, sizeof m.hamlet);
	store_col_text(s, 3, m.hamlet_name, sizeof m.hamlet_name);
	store_col_text(s, 4, m.rid, sizeof m.rid);
	store_col_text(s, 5, m.name, sizeof m.name);
	store_col_text(s, 6, m.phone, sizeof m.phone);
	store_col_text(s, 7, m.household, sizeof m.household);
	return cb->missing(cb->ctx, &m);
}

/* See store.h. */
enum cd_code store_round_missing(struct store *st, int64_t id,
				 store_round_missing_fn fn, void *ctx,
				 struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, ROUND_HAMLETS
		"SELECT w.phone, w.name, u.code, u.name, p.resident_id,"
		" p.name, p.phone, h.code"
		" FROM sub JOIN units u ON u.id = sub.id AND u.level = 4"
		" JOIN households h ON h.unit_id = u.id"
		" JOIN persons p ON p.household_id = h.id"
		" LEFT JOIN grid_worker_units g ON g.unit_id = u.id"
		" LEFT JOIN grid_workers w ON w.id = g.worker_id"
		" WHERE p.id NOT IN " ROUND_AWAY
		" AND p.id NOT IN " ROUND_SAMPLED
		" ORDER BY w.id IS NULL, w.phone, u.code, h.code,"
		" p.resident_id", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	struct cb cb = { .missing = fn, .ctx = ctx };
	return each_row(st, s, missing_row, &cb, err);
}

static enum cd_code pos_row(sqlite3_stmt *s, const struct cb *cb)
{
	char tube[TESTING_CODE_MAX];
	store_col_text(s, 0, tube, sizeof tube);
	return cb->pos(cb->ctx, tube, sqlite3_column_int(s, 1),
		       (long)sqlite3_column_int64(s, 2));
}

/* Count the round's tubes by result. */
static enum cd_code result_counts(struct store *st, int64_t id,
				  struct store_round_result *out,
				  struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT count(*),"
		" count(*) FILTER (WHERE x.result = 'negative'),"
		" count(*) FILTER (WHERE x.result = 'positive'),"
		" count(*) FILTER (WHERE x.result = 'invalid'),"
		" count(*) FILTER (WHERE x.result IS NULL)"
		" FROM samples s LEFT JOIN results x ON x.sample_id = s.id"
		" WHERE s.round_id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->tubes = (long)sqlite3_column_int64(s, 0);
		out->negative = (long)sqlite3_column_int64(s, 1);
		out->positive = (long)sqlite3_column_int64(s, 2);
		out->invalid = (long)sqlite3_column_int64(s, 3);
		out->pending = (long)sqlite3_column_int64(s, 4);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "counting results", err);
}

/* See store.h. */
enum cd_code store_round_result(struct store *st, int64_t id,
				struct store_round_result *out,
				store_round_pos_fn fn, void *ctx,
				struct cd_err *err)
{
	enum cd_code ret = result_counts(st, id, out, err);
	if (ret || !fn)
		return ret;
	sqlite3_stmt *s = prep(
		st, "SELECT s.tube, s.pool_size, (SELECT count(*) FROM"
		" sample_members m WHERE m.sample_id = s.id) FROM samples s"
		" JOIN results x ON x.sample_id = s.id WHERE s.round_id = ?1"
		" AND x.result = 'positive' ORDER BY s.tube", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	struct cb cb = { .pos = fn, .ctx = ctx };
	return each_row(st, s, pos_row, &cb, err);
}
