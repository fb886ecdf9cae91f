/* store_testing_query.c — read-only queries of pooled testing: a tube's
 * members and grid workers, a person's results and controls, everyone
 * under control (store.h, "pooled testing"). Lists are prepared per call:
 * only a person's results are on a hot path (checkpoint verification). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

static enum testing_result col_result(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	enum testing_result r = TESTING_NONE;
	if (t && testing_result_parse((const char *)t, &r, NULL))
		r = TESTING_NONE;
	return r;
}

/* Step through s calling row for each row; finalizes s. */
static enum cd_code each_row(struct store *st, sqlite3_stmt *s,
			     enum cd_code (*row)(sqlite3_stmt *, void *),
			     void *ctx, const char *what, struct cd_err *err)
{
	enum cd_code ret = CD_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = row(s, ctx)))
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, what, err);
	sqlite3_finalize(s);
	return ret;
}

static enum cd_code prepare(struct store *st, const char *sql,
			    sqlite3_stmt **s, const char *what,
			    struct cd_err *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, what, err);
}

struct member_ctx {
	store_pool_member_fn fn;
	void *ctx;
};

static enum cd_code member_row(sqlite3_stmt *s, void *vc)
{
	struct member_ctx *c = vc;
	struct store_pool_member m;
	memset(&m, 0, sizeof m);
	store_col_text(s, 0, m.m.rid, sizeof m.m.rid);
	store_col_text(s, 1, m.m.name, sizeof m.m.name);
	store_col_text(s, 2, m.m.phone, sizeof m.m.phone);
	store_col_text(s, 3, m.m.household, sizeof m.m.household);
	store_col_text(s, 4, m.m.hamlet, sizeof m.m.hamlet);
	store_col_text(s, 5, m.m.hamlet_name, sizeof m.m.hamlet_name);
	m.controlled = sqlite3_column_type(s, 6) != SQLITE_NULL;
	m.c.since = sqlite3_column_int64(s, 6);
	m.c.resolved_at = sqlite3_column_int64(s, 7);
	m.c.outcome = col_result(s, 8);
	store_col_text(s, 9, m.case_number, sizeof m.case_number);
	store_col_text(s, 10, m.retest, sizeof m.retest);
	m.retest_result = col_result(s, 11);
	return c->fn(c->ctx, &m);
}

/* See store.h. */
enum cd_code store_pool_members(struct store *st, int64_t sample,
				store_pool_member_fn fn, void *ctx,
				struct cd_err *err)
{
	sqlite3_stmt *s;
	struct member_ctx c = { fn, ctx };
	const char *what = "reading a tube's members";
	enum cd_code ret = prepare(
		st,
		"SELECT p.resident_id, p.name, p.phone, h.code, hm.code,"
		" hm.name, c.since, c.resolved_at, c.outcome, cs.number,"
		" rt.tube, (SELECT result FROM results WHERE sample_id = rt.id)"
		" FROM sample_members m"
		" JOIN persons p ON p.id = m.person_id"
		" JOIN households h ON h.id = p.household_id"
		" JOIN units hm ON hm.id = h.unit_id"
		" LEFT JOIN pool_controls c ON c.sample_id = m.sample_id"
		"  AND c.person_id = m.person_id"
		" LEFT JOIN cases cs ON cs.id = c.case_id"
		" LEFT JOIN samples rt ON rt.id = (SELECT s2.id FROM samples s2"
		"  JOIN sample_members m2 ON m2.sample_id = s2.id"
		"  WHERE s2.retest_of = m.sample_id"
		"  AND m2.person_id = m.person_id"
		"  ORDER BY s2.sampled_at DESC, s2.id DESC LIMIT 1)"
		" WHERE m.sample_id = ?1"
		" ORDER BY hm.code, h.code, p.resident_id", &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, sample);
	return each_row(st, s, member_row, &c, what, err);
}

struct worker_ctx {
	struct testing_worker *w;
	size_t n, alloc;
};

static enum cd_code worker_row(sqlite3_stmt *s, void *vc)
{
	struct worker_ctx *c = vc;
	c->w = xgrow(c->w, sizeof *c->w, c->n + 1, &c->alloc);
	struct testing_worker *w = &c->w[c->n++];
	memset(w, 0, sizeof *w);
	store_col_text(s, 0, w->phone, sizeof w->phone);
	store_col_text(s, 1, w->name, sizeof w->name);
	store_col_text(s, 2, w->hamlet, sizeof w->hamlet);
	return CD_OK;
}

/* See store.h. */
enum cd_code store_pool_workers(struct store *st, int64_t sample,
				struct testing_worker **out, size_t *n,
				struct cd_err *err)
{
	sqlite3_stmt *s;
	struct worker_ctx c = { NULL, 0, 0 };
	const char *what = "reading grid workers";
	enum cd_code ret = prepare(
		st,
		"SELECT DISTINCT g.phone, g.name, hm.code FROM sample_members m"
		" JOIN persons p ON p.id = m.person_id"
		" JOIN households h ON h.id = p.household_id"
		" JOIN units hm ON hm.id = h.unit_id"
		" JOIN grid_worker_units gu ON gu.unit_id = hm.id"
		" JOIN grid_workers g ON g.id = gu.worker_id"
		" WHERE m.sample_id = ?1 ORDER BY g.phone, hm.code", &s, what,
		err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, sample);
	ret = each_row(st, s, worker_row, &c, what, err);
	if (ret) {
		free(c.w);
		c.w = NULL;
		c.n = 0;
	}
	*out = c.w;
	*n = c.n;
	return ret;
}

struct hist_ctx {
	struct testing_hist *h;
	size_t n, alloc;
};

static enum cd_code hist_row(sqlite3_stmt *s, void *vc)
{
	struct hist_ctx *c = vc;
	c->h = xgrow(c->h, sizeof *c->h, c->n + 1, &c->alloc);
	struct testing_hist *h = &c->h[c->n++];
	memset(h, 0, sizeof *h);
	store_col_text(s, 0, h->tube, sizeof h->tube);
	h->pool_size = sqlite3_column_int(s, 1);
	h->sampled_at = sqlite3_column_int64(s, 2);
	h->result_at = sqlite3_column_int64(s, 3);
	h->result = col_result(s, 4);
	return CD_OK;
}

/* See store.h. The statement is cached: checkpoint verification reads
 * it for every person who passes. */
enum cd_code store_testing_history(struct store *st, const char *rid,
				   int64_t at, long limit,
				   struct testing_hist **out, size_t *n,
				   struct cd_err *err)
{
	struct hist_ctx c = { NULL, 0, 0 };
	enum cd_code ret = CD_OK;
	int rc;
	sqlite3_stmt *s = store_stmt(
		st, STMT_TEST_HISTORY,
		"SELECT s.tube, s.pool_size, s.sampled_at, x.result_at,"
		" x.result FROM persons p"
		" JOIN sample_members m ON m.person_id = p.id"
		" JOIN samples s ON s.id = m.sample_id"
		" JOIN results x ON x.sample_id = s.id"
		" WHERE p.resident_id = ?1 AND x.result_at <= ?2"
		" ORDER BY s.sampled_at DESC, x.result_at DESC, s.id DESC"
		" LIMIT ?3", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, rid);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int64(s, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		hist_row(s, &c);
	if (rc != SQLITE_DONE)
		ret = store_fail(st, rc, "reading a person's results", err);
	sqlite3_reset(s);
	if (ret) {
		free(c.h);
		c.h = NULL;
		c.n = 0;
	}
	*out = c.h;
	*n = c.n;
	return ret;
}

struct control_ctx {
	store_pool_control_fn fn;
	void *ctx;
};

static enum cd_code control_row(sqlite3_stmt *s, void *vc)
{
	struct control_ctx *c = vc;
	struct store_pool_control pc;
	memset(&pc, 0, sizeof pc);
	pc.person = (uint32_t)sqlite3_column_int64(s, 0);
	store_col_text(s, 1, pc.rid, sizeof pc.rid);
	store_col_text(s, 2, pc.pool, sizeof pc.pool);
	pc.c.since = sqlite3_column_int64(s, 3);
	pc.c.resolved_at = sqlite3_column_int64(s, 4);
	pc.c.outcome = col_result(s, 5);
	store_col_text(s, 6, pc.case_number, sizeof pc.case_number);
	return c->fn(c->ctx, &pc);
}

#define CONTROL_SELECT \
	"SELECT p.id, p.resident_id, s.tube, c.since, c.resolved_at," \
	" c.outcome, cs.number FROM pool_controls c" \
	" JOIN persons p ON p.id = c.person_id" \
	" JOIN samples s ON s.id = c.sample_id" \
	" LEFT JOIN cases cs ON cs.id = c.case_id "

/* See store.h. */
enum cd_code store_pool_controls_of(struct store *st, const char *rid,
				    store_pool_control_fn fn, void *ctx,
				    struct cd_err *err)
{
	sqlite3_stmt *s;
	struct control_ctx c = { fn, ctx };
	const char *what = "reading a person's controls";
	enum cd_code ret = prepare(st, CONTROL_SELECT
				   "WHERE p.resident_id = ?1"
				   " ORDER BY c.since, s.tube", &s, what, err);
	if (ret)
		return ret;
	store_bind_text(s, 1, rid);
	return each_row(st, s, control_row, &c, what, err);
}

/* See store.h. */
enum cd_code store_pool_controls_open(struct store *st, int64_t at,
				      store_pool_control_fn fn, void *ctx,
				      struct cd_err *err)
{
	sqlite3_stmt *s;
	struct control_ctx c = { fn, ctx };
	const char *what = "reading controls in force";
	enum cd_code ret = prepare(st, CONTROL_SELECT
				   "WHERE c.since <= ?1 AND (c.resolved_at"
				   " IS NULL OR c.resolved_at > ?1)"
				   " ORDER BY p.resident_id, s.tube", &s,
				   what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, at);
	return each_row(st, s, control_row, &c, what, err);
}
