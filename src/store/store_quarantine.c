/* store_quarantine.c — SQL of quarantine plans, their sampling days,
 * monitoring entries, and what release and upgrade read: a person's
 * samples and results, cases and traced exposures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

static enum cd_code prep(struct store *st, const char *sql, sqlite3_stmt **s,
			 struct cd_err *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, "preparing", err);
}

/* A failed write: constraints (an open plan already, a full room) are
 * conflicts the caller can explain; the rest is the store's. */
static enum cd_code write_fail(struct store *st, int r, const char *what,
			       struct cd_err *err)
{
	if ((r & 0xff) != SQLITE_CONSTRAINT)
		return store_fail(st, r, what, err);
	const char *m = sqlite3_errmsg(st->db);
	if (strstr(m, "capacity"))
		return cd_err_set(err, CD_ECONFLICT, "%s: the room is full",
				  what);
	if (strstr(m, "UNIQUE"))
		return cd_err_set(err, CD_ECONFLICT, "%s: the person already "
				  "has an open quarantine plan", what);
	return cd_err_set(err, CD_ECONFLICT, "%s: %s", what, m);
}

static void bind_date(sqlite3_stmt *s, int i, int32_t d)
{
	char buf[16];
	if (!d) {
		sqlite3_bind_null(s, i);
		return;
	}
	date_format(d, buf, sizeof buf);
	sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static int32_t col_date(sqlite3_stmt *s, int i)
{
	int32_t d = 0;
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t && date_parse(t, &d) ? d : 0;
}

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

/* ---- plans */

static enum cd_code add_tests(struct store *st, int64_t id,
			      const struct quarantine_plan *p,
			      struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "INSERT INTO quarantine_tests(quarantine_id,"
			       " part, day, date) VALUES (?1, ?2, ?3, ?4)", &s,
			       err);
	for (int i = 0; i < p->ntests && !rc; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, quarantine_part_name(p->tests[i].part),
				  -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, p->tests[i].day);
		bind_date(s, 4, p->tests[i].date);
		int r = sqlite3_step(s);
		if (r != SQLITE_DONE)
			rc = store_fail(st, r, "writing sampling days", err);
	}
	if (!rc || s)
		sqlite3_finalize(s);
	return rc;
}

/* See store/store.h. */
enum cd_code store_quarantine_add(struct store *st, struct store_quarantine *q,
				  const struct quarantine_plan *p,
				  struct cd_err *err)
{
	struct strbuf regime = STRBUF_INIT;
	sqlite3_stmt *s;
	enum cd_code rc = prep(
		st,
		"INSERT INTO quarantines(person_id, grp, profile, regime,"
		" case_id, via_person_id, last_exposure, central_end, home_end,"
		" monitoring_end, quarantine_end, status, room_id, previous_id,"
		" planned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15)", &s, err);
	if (rc)
		return rc;
	quarantine_regime_format(&p->regime, p->needs_close_tests, &regime);
	sqlite3_bind_int64(s, 1, q->person);
	sqlite3_bind_text(s, 2, quarantine_group_name(p->grp), -1,
			  SQLITE_STATIC);
	store_bind_text(s, 3, q->profile);
	store_bind_text(s, 4, regime.buf);
	bind_id(s, 5, q->case_id);
	bind_id(s, 6, q->via);
	bind_date(s, 7, p->exposure);
	bind_date(s, 8, p->last[QP_CENTRAL]);
	bind_date(s, 9, p->last[QP_HOME]);
	bind_date(s, 10, p->last[QP_MONITORING]);
	bind_date(s, 11, quarantine_end(p));
	sqlite3_bind_text(s, 12, quarantine_status_name(q->status), -1,
			  SQLITE_STATIC);
	bind_id(s, 13, q->room_id);
	bind_id(s, 14, q->previous_id);
	sqlite3_bind_int64(s, 15, q->planned_at);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	strbuf_release(&regime);
	if (r != SQLITE_DONE)
		return write_fail(st, r, "adding a quarantine plan", err);
	q->id = sqlite3_last_insert_rowid(st->db);
	return add_tests(st, q->id, p, err);
}

/* See store/store.h. */
enum cd_code store_quarantine_set(struct store *st, int64_t id,
				  enum quarantine_status status,
				  int64_t room_id, int32_t ended_on,
				  struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "UPDATE quarantines SET status = ?2,"
			       " room_id = ?3, ended_on = ?4 WHERE id = ?1", &s,
			       err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, quarantine_status_name(status), -1,
			  SQLITE_STATIC);
	bind_id(s, 3, room_id);
	bind_date(s, 4, ended_on);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		return write_fail(st, r, "changing a quarantine plan", err);
	if (sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ENOTFOUND, "no quarantine plan %lld",
				  (long long)id);
	return CD_OK;
}

/* ---- reading plans */

#define PLAN_SELECT                                                         \
	"SELECT q.id, q.person_id, p.resident_id, p.name, p.birth_date,"    \
	" p.household_id, q.grp, q.profile, q.regime, q.case_id,"          \
	" coalesce(k.number, ''), q.via_person_id, coalesce(v.resident_id," \
	" ''), coalesce(v.name, ''), q.last_exposure, q.central_end,"      \
	" q.home_end, q.monitoring_end, q.quarantine_end, q.status,"       \
	" q.room_id, coalesce(s.code, ''), coalesce(s.name, ''),"          \
	" coalesce(r.number, ''), q.previous_id, q.planned_at, q.ended_on" \
	" FROM quarantines q JOIN persons p ON p.id = q.person_id"         \
	" LEFT JOIN cases k ON k.id = q.case_id"                            \
	" LEFT JOIN persons v ON v.id = q.via_person_id"                   \
	" LEFT JOIN rooms r ON r.id = q.room_id"                           \
	" LEFT JOIN sites s ON s.id = r.site_id"

static void read_plan(sqlite3_stmt *s, struct store_quarantine *q)
{
	char g[16], st[16];
	memset(q, 0, sizeof *q);
	q->id = sqlite3_column_int64(s, 0);
	q->person = (uint32_t)sqlite3_column_int64(s, 1);
	store_col_text(s, 2, q->rid, sizeof q->rid);
	store_col_text(s, 3, q->name, sizeof q->name);
	q->birth = col_date(s, 4);
	q->household = (uint32_t)sqlite3_column_int64(s, 5);
	store_col_text(s, 6, g, sizeof g);
	quarantine_group_parse(g, &q->grp, NULL);
	store_col_text(s, 7, q->profile, sizeof q->profile);
	store_col_text(s, 8, q->regime, sizeof q->regime);
	q->case_id = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, q->case_number, sizeof q->case_number);
	q->via = (uint32_t)sqlite3_column_int64(s, 11);
	store_col_text(s, 12, q->via_rid, sizeof q->via_rid);
	store_col_text(s, 13, q->via_name, sizeof q->via_name);
	q->exposure = col_date(s, 14);
	q->central_end = col_date(s, 15);
	q->home_end = col_date(s, 16);
	q->monitoring_end = col_date(s, 17);
	q->quarantine_end = col_date(s, 18);
	store_col_text(s, 19, st, sizeof st);
	quarantine_status_parse(st, &q->status, NULL);
	q->room_id = sqlite3_column_int64(s, 20);
	store_col_text(s, 21, q->site, sizeof q->site);
	store_col_text(s, 22, q->site_name, sizeof q->site_name);
	store_col_text(s, 23, q->room, sizeof q->room);
	q->previous_id = sqlite3_column_int64(s, 24);
	q->planned_at = sqlite3_column_int64(s, 25);
	q->ended_on = col_date(s, 26);
}

/* The first plan the prepared s finds, or CD_ENOTFOUND (no message). */
static enum cd_code first_plan(struct store *st, sqlite3_stmt *s,
			       struct store_quarantine *out,
			       struct cd_err *err)
{
	int r = sqlite3_step(s);
	enum cd_code rc = CD_OK;
	if (r == SQLITE_ROW)
		read_plan(s, out);
	else
		rc = r == SQLITE_DONE ? CD_ENOTFOUND
				      : store_fail(st, r, "reading plans", err);
	sqlite3_finalize(s);
	return rc;
}

/* See store/store.h. */
enum cd_code store_quarantine_get(struct store *st, int64_t id,
				  struct store_quarantine *out,
				  struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, PLAN_SELECT " WHERE q.id = ?1", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = first_plan(st, s, out, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "no quarantine plan %lld", (long long)id);
	return rc;
}

/* See store/store.h. */
enum cd_code store_quarantine_of(struct store *st, uint32_t person,
				 int latest, struct store_quarantine *out,
				 struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(
		st, PLAN_SELECT " WHERE q.person_id = ?1 AND (?2 OR q.status IN"
		" ('waiting', 'central', 'home')) ORDER BY q.status IN"
		" ('waiting', 'central', 'home') DESC, q.id DESC LIMIT 1", &s,
		err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int(s, 2, latest != 0);
	rc = first_plan(st, s, out, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "no %squarantine plan for this person",
			   latest ? "" : "open ");
	return rc;
}

/* The WHERE clause of a filter; binds follow in filter_bind's order. */
static void filter_sql(const struct store_quarantine_filter *f,
		       struct strbuf *sql)
{
	strbuf_addstr(sql, PLAN_SELECT " WHERE 1");
	if (f->status == QS_COUNT)
		strbuf_addstr(sql, " AND q.status IN ('waiting', 'central',"
			      " 'home')");
	else if (f->status >= 0)
		strbuf_addstr(sql, " AND q.status = ?1");
	if (f->person)
		strbuf_addstr(sql, " AND q.person_id = ?2");
	if (f->case_id)
		strbuf_addstr(sql, " AND q.case_id = ?3");
	if (f->room_id)
		strbuf_addstr(sql, " AND q.room_id = ?4 AND q.status ="
			      " 'central'");
	if (f->site)
		strbuf_addstr(sql, " AND s.code = ?5 AND q.status = 'central'");
	if (f->test_on)
		strbuf_addstr(sql, " AND q.status NOT IN ('upgraded',"
			      " 'replanned') AND q.id IN (SELECT quarantine_id"
			      " FROM quarantine_tests WHERE date = ?6)");
	if (f->active_on)
		strbuf_addstr(sql, " AND (q.status IN ('waiting', 'central',"
			      " 'home') OR (q.status = 'released' AND"
			      " q.monitoring_end >= ?7))");
	strbuf_addstr(sql, " ORDER BY q.id");
}

/* See store/store.h. */
enum cd_code store_quarantine_list(struct store *st,
				   const struct store_quarantine_filter *f,
				   store_quarantine_fn fn, void *ctx,
				   struct cd_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *s;
	filter_sql(f, &sql);
	enum cd_code rc = prep(st, sql.buf, &s, err);
	strbuf_release(&sql);
	if (rc)
		return rc;
	if (f->status >= 0 && f->status < QS_COUNT)
		sqlite3_bind_text(s, 1, quarantine_status_name(f->status), -1,
				  SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, f->person);
	sqlite3_bind_int64(s, 3, f->case_id);
	sqlite3_bind_int64(s, 4, f->room_id);
	store_bind_text(s, 5, f->site);
	bind_date(s, 6, f->test_on);
	bind_date(s, 7, f->active_on);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_quarantine q;
		read_plan(s, &q);
		if ((rc = fn(ctx, &q)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading plans", err);
	return rc;
}

/* ---- what release and upgrade read */

/* One integer from a query with one or two integer parameters; *out 0
 * when there is no row or it is NULL. */
static enum cd_code one_int(struct store *st, const char *sql, int64_t a,
			    int64_t b, int64_t *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, b);
	int r = sqlite3_step(s);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return r == SQLITE_ROW || r == SQLITE_DONE
		       ? CD_OK : store_fail(st, r, "reading", err);
}

/* See store/store.h. */
enum cd_code store_quarantine_person(struct store *st, const char *rid,
				     uint32_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "SELECT id FROM persons WHERE resident_id"
			       " = ?1", &s, err);
	if (rc)
		return rc;
	store_bind_text(s, 1, rid);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = (uint32_t)sqlite3_column_int64(s, 0);
	else
		rc = r == SQLITE_DONE
			     ? cd_err_set(err, CD_ENOTFOUND, "no person %s in "
					  "the registry", rid)
			     : store_fail(st, r, "reading persons", err);
	sqlite3_finalize(s);
	return rc;
}

static enum quarantine_result result_of(const char *t)
{
	return !t ? QR_NONE
	       : !strcmp(t, "negative") ? QR_NEGATIVE
	       : !strcmp(t, "positive") ? QR_POSITIVE
					: QR_INVALID;
}

/* See store/store.h. */
enum cd_code store_quarantine_samples(struct store *st, uint32_t person,
				      struct quarantine_sample **out,
				      size_t *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	enum cd_code rc = prep(
		st, "SELECT s.id, coalesce(s.retest_of, 0), s.sampled_at,"
		" s.pool_size, r.result FROM sample_members m JOIN samples s ON"
		" s.id = m.sample_id LEFT JOIN results r ON r.sample_id = s.id"
		" WHERE m.person_id = ?1 ORDER BY s.sampled_at, s.id", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, person);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xgrow(*out, sizeof **out, *n + 1, &alloc);
		struct quarantine_sample *x = &(*out)[(*n)++];
		int64_t t = sqlite3_column_int64(s, 2) + CD_CST_OFFSET;
		x->id = sqlite3_column_int64(s, 0);
		x->retest_of = sqlite3_column_int64(s, 1);
		x->date = (int32_t)((t - (t < 0 ? 86399 : 0)) / 86400);
		x->pool_size = sqlite3_column_int(s, 3);
		x->result = result_of((const char *)sqlite3_column_text(s, 4));
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "reading samples", err);
}

/* See store/store.h. */
enum cd_code store_quarantine_case_of(struct store *st, uint32_t person,
				      int64_t *case_id, struct cd_err *err)
{
	return one_int(st, "SELECT max(id) FROM cases WHERE person_id = ?1"
		       " AND class <> 'suspected' AND outcome IS NOT 'cured'",
		       person, 0, case_id, err);
}

/* See store/store.h. */
enum cd_code store_quarantine_exposure(struct store *st, uint32_t person,
				       uint32_t source, int64_t *last,
				       struct cd_err *err)
{
	return one_int(st, "SELECT max(c.last_exposure) FROM contacts c JOIN"
		       " cases k ON k.id = c.case_id WHERE c.person_id = ?1"
		       " AND k.person_id = ?2 AND c.category = 'close'",
		       person, source, last, err);
}

/* ---- monitoring */

/* See store/store.h. */
enum cd_code store_monitoring_add(struct store *st, struct store_monitoring *m,
				  struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "INSERT INTO monitoring(person_id,"
			       " quarantine_id, at, temp_tenths, symptoms,"
			       " alert, recorded_at) VALUES (?1, ?2, ?3, ?4,"
			       " ?5, ?6, ?7)", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, m->person);
	sqlite3_bind_int64(s, 2, m->quarantine_id);
	sqlite3_bind_int64(s, 3, m->at);
	sqlite3_bind_int(s, 4, m->temp_tenths);
	sqlite3_bind_text(s, 5, m->symptoms, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, m->alert, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 7, m->recorded_at);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		return write_fail(st, r, "adding a monitoring entry", err);
	m->id = sqlite3_last_insert_rowid(st->db);
	return CD_OK;
}

/* See store/store.h. */
enum cd_code store_monitoring_list(struct store *st, uint32_t person,
				   int64_t since, store_monitoring_fn fn,
				   void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(
		st, "SELECT m.id, m.quarantine_id, m.person_id, m.at,"
		" m.recorded_at, m.temp_tenths, m.symptoms, m.alert,"
		" p.resident_id, p.name FROM monitoring m JOIN persons p ON"
		" p.id = m.person_id WHERE (?1 <> 0 AND m.person_id = ?1) OR"
		" (?1 = 0 AND m.alert <> '' AND m.at >= ?2) ORDER BY m.at, m.id",
		&s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, since);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_monitoring m;
		memset(&m, 0, sizeof m);
		m.id = sqlite3_column_int64(s, 0);
		m.quarantine_id = sqlite3_column_int64(s, 1);
		m.person = (uint32_t)sqlite3_column_int64(s, 2);
		m.at = sqlite3_column_int64(s, 3);
		m.recorded_at = sqlite3_column_int64(s, 4);
		m.temp_tenths = sqlite3_column_int(s, 5);
		store_col_text(s, 6, m.symptoms, sizeof m.symptoms);
		store_col_text(s, 7, m.alert, sizeof m.alert);
		store_col_text(s, 8, m.rid, sizeof m.rid);
		store_col_text(s, 9, m.name, sizeof m.name);
		if ((rc = fn(ctx, &m)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading monitoring", err);
	return rc;
}
