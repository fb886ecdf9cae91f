/* store_dash.c — SQL of the dashboard's API routes (store_dash.h). Each
 * list is paged in SQL (LIMIT/OFFSET after the filters), so a page costs
 * the same whatever the page number's share of a county. */
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "store/store_dash.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The joins that give person p's hamlet u1 and its ancestors, and the
 * condition "u1 lies under the unit coded ?1 (NULL: anywhere)". */
#define PERSON_PLACE                                                      \
	" JOIN households h ON h.id = p.household_id"                     \
	" JOIN units u1 ON u1.id = h.unit_id" UP3("u1")
#define UNDER_UNIT1                                                       \
	" (?1 IS NULL OR (SELECT id FROM units WHERE code = ?1) IN "        \
	ANCESTORS("u1") ")"

/* Bind an optional text. */
static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Step s to its end, finalize it and say how it ended. */
static enum cd_code finish(struct store *st, sqlite3_stmt *s, int r,
			   enum cd_code rc, const char *what,
			   struct cd_err *err)
{
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, what, err);
	return rc;
}

/* The single integer of a count query whose ?1 is unit. */
static enum cd_code count_of(struct store *st, sqlite3_stmt *s, long *out,
			     const char *what, struct cd_err *err)
{
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*out = (long)sqlite3_column_int64(s, 0);
		r = SQLITE_DONE;
	}
	return finish(st, s, r, CD_OK, what, err);
}

/* ---- contacts */

/* ?1 unit, ?2 close (1) or secondary (0), ?3 plan status or 'none',
 * ?4 case number, ?5 limit, ?6 offset. A person's plan is the open one,
 * else the latest. */
#define CONTACTS_SQL                                                      \
	"WITH k AS (SELECT id FROM cases WHERE number = ?4),"             \
	" g AS (SELECT c.person_id AS pid,"                               \
	"  min(c.category <> 'close') AS sec, max(c.last_exposure) AS last" \
	"  FROM contacts c WHERE c.category IN ('close', 'secondary')"    \
	"  AND (?4 IS NULL OR c.case_id = (SELECT id FROM k))"            \
	"  GROUP BY c.person_id),"                                        \
	" pg AS (SELECT g.pid, g.sec, g.last, u1.code AS hamlet,"         \
	"  (SELECT q.id FROM quarantines q WHERE q.person_id = g.pid"     \
	"   ORDER BY q.status IN ('waiting', 'central', 'home') DESC,"    \
	"   q.id DESC LIMIT 1) AS qid"                                    \
	"  FROM g JOIN persons p ON p.id = g.pid" PERSON_PLACE            \
	"  WHERE" UNDER_UNIT1 " AND (?2 IS NULL OR g.sec = 1 - ?2)),"     \
	" page AS (SELECT pg.* FROM pg LEFT JOIN quarantines q"           \
	"  ON q.id = pg.qid"                                              \
	"  WHERE ?3 IS NULL OR coalesce(q.status, 'none') = ?3"           \
	"  ORDER BY pg.last DESC, pg.pid LIMIT ?5 OFFSET ?6)"             \
	" SELECT page.pid, p.resident_id, p.name, page.hamlet, page.sec,"  \
	" page.last, (SELECT group_concat(number, ',') FROM (SELECT"      \
	"  n.number FROM contacts c JOIN cases n ON n.id = c.case_id"     \
	"  WHERE c.person_id = page.pid"                                  \
	"  AND c.category IN ('close', 'secondary')"                      \
	"  AND (?4 IS NULL OR n.number = ?4) ORDER BY n.county_id, n.seq)),"\
	" coalesce(v.id, 0), coalesce(v.resident_id, ''),"                \
	" coalesce(v.name, ''), coalesce(vu.code, ''),"                   \
	" coalesce(q.id, 0), coalesce(q.status, 'none'),"                 \
	" coalesce(s.code, ''), coalesce(s.name, ''),"                    \
	" coalesce(r.number, ''), coalesce(q.quarantine_end, ''),"        \
	" (SELECT group_concat(date, ',') FROM (SELECT DISTINCT date"     \
	"  FROM quarantine_tests WHERE quarantine_id = q.id ORDER BY date))" \
	" FROM page JOIN persons p ON p.id = page.pid"                    \
	" LEFT JOIN persons v ON page.sec = 1 AND v.id = (SELECT"         \
	"  c.via_person_id FROM contacts c WHERE c.person_id = page.pid"  \
	"  AND c.category = 'secondary'"                                  \
	"  AND (?4 IS NULL OR c.case_id = (SELECT id FROM k))"            \
	"  ORDER BY c.last_exposure DESC LIMIT 1)"                        \
	" LEFT JOIN households vh ON vh.id = v.household_id"              \
	" LEFT JOIN units vu ON vu.id = vh.unit_id"                       \
	" LEFT JOIN quarantines q ON q.id = page.qid"                     \
	" LEFT JOIN rooms r ON r.id = q.room_id"                          \
	" LEFT JOIN sites s ON s.id = r.site_id"                          \
	" ORDER BY page.last DESC, page.pid"

static void contact_row(sqlite3_stmt *s, struct store_dash_contact *c)
{
	memset(c, 0, sizeof *c);
	c->person = (uint32_t)sqlite3_column_int64(s, 0);
	store_col_text(s, 1, c->rid, sizeof c->rid);
	store_col_text(s, 2, c->name, sizeof c->name);
	store_col_text(s, 3, c->hamlet, sizeof c->hamlet);
	c->close = sqlite3_column_int(s, 4) == 0;
	c->last = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, c->cases, sizeof c->cases);
	c->via = (uint32_t)sqlite3_column_int64(s, 7);
	store_col_text(s, 8, c->via_rid, sizeof c->via_rid);
	store_col_text(s, 9, c->via_name, sizeof c->via_name);
	store_col_text(s, 10, c->via_hamlet, sizeof c->via_hamlet);
	c->plan = sqlite3_column_int64(s, 11);
	store_col_text(s, 12, c->status, sizeof c->status);
	store_col_text(s, 13, c->site, sizeof c->site);
	store_col_text(s, 14, c->site_name, sizeof c->site_name);
	store_col_text(s, 15, c->room, sizeof c->room);
	store_col_text(s, 16, c->quarantine_end, sizeof c->quarantine_end);
	store_col_text(s, 17, c->tests, sizeof c->tests);
}

/* See store_dash.h. */
enum cd_code store_dash_contacts(struct store *st,
				 const struct store_dash_contact_filter *f,
				 store_dash_contact_fn fn, void *ctx,
				 struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(st, CONTACTS_SQL, "listing contacts",
				     err);
	if (!s)
		return err->code;
	bind_opt(s, 1, f->unit);
	if (f->close >= 0)
		sqlite3_bind_int(s, 2, f->close);
	bind_opt(s, 3, f->status);
	bind_opt(s, 4, f->case_number);
	sqlite3_bind_int64(s, 5, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(s, 6, f->offset);
	enum cd_code rc = CD_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dash_contact c;
		contact_row(s, &c);
		if ((rc = fn(ctx, &c)))
			break;
	}
	return finish(st, s, r, rc, "listing contacts", err);
}

/* ---- pools */

/* ?1 unit, ?2 single tubes too, ?3 only pools with members pending.
 * Members are counted under the unit only. */
#define POOLS_SQL                                                         \
	"SELECT t.tube, t.pool_size, t.point, t.sampled_at,"              \
	" coalesce(tr.code, ''), res.result_at, res.lab,"                 \
	" (SELECT count(*) FROM sample_members WHERE sample_id = t.id),"  \
	" count(*), count(CASE pc.outcome WHEN 'negative' THEN 1 END),"   \
	" count(CASE pc.outcome WHEN 'positive' THEN 1 END)"              \
	" FROM results res JOIN samples t ON t.id = res.sample_id"        \
	" JOIN sample_members m ON m.sample_id = t.id"                    \
	" JOIN persons p ON p.id = m.person_id" PERSON_PLACE              \
	" LEFT JOIN pool_controls pc ON pc.sample_id = t.id"              \
	"  AND pc.person_id = m.person_id"                                \
	" LEFT JOIN test_rounds tr ON tr.id = t.round_id"                 \
	" WHERE res.result = 'positive' AND (?2 OR t.pool_size > 1)"      \
	" AND" UNDER_UNIT1                                                \
	" GROUP BY t.id HAVING NOT ?3 OR count(*) >"                      \
	"  count(pc.outcome)"

static void pools_bind(sqlite3_stmt *s, const char *unit,
		       enum store_dash_pools kind)
{
	bind_opt(s, 1, unit);
	sqlite3_bind_int(s, 2, kind == STORE_POOLS_ALL);
	sqlite3_bind_int(s, 3, kind == STORE_POOLS_UNRESOLVED);
}

/* See store_dash.h. */
enum cd_code store_dash_pools(struct store *st, const char *unit,
			      enum store_dash_pools kind, long limit,
			      long offset, store_dash_pool_fn fn, void *ctx,
			      long *total, struct cd_err *err)
{
	const char *what = "listing positive pools";
	sqlite3_stmt *s;
	enum cd_code rc = CD_OK;
	if (total) {
		if (!(s = store_prep(st, "SELECT count(*) FROM (" POOLS_SQL
				     ")", what, err)))
			return err->code;
		pools_bind(s, unit, kind);
		if ((rc = count_of(st, s, total, what, err)))
			return rc;
	}
	if (limit <= 0)
		return CD_OK;
	if (!(s = store_prep(st, POOLS_SQL " ORDER BY res.result_at DESC,"
			     " t.tube LIMIT ?4 OFFSET ?5", what, err)))
		return err->code;
	pools_bind(s, unit, kind);
	sqlite3_bind_int64(s, 4, limit);
	sqlite3_bind_int64(s, 5, offset);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dash_pool p;
		memset(&p, 0, sizeof p);
		store_col_text(s, 0, p.tube, sizeof p.tube);
		p.pool_size = sqlite3_column_int(s, 1);
		store_col_text(s, 2, p.point, sizeof p.point);
		p.sampled_at = sqlite3_column_int64(s, 3);
		store_col_text(s, 4, p.round, sizeof p.round);
		p.result_at = sqlite3_column_int64(s, 5);
		store_col_text(s, 6, p.lab, sizeof p.lab);
		p.members_total = (long)sqlite3_column_int64(s, 7);
		p.members = (long)sqlite3_column_int64(s, 8);
		p.negative = (long)sqlite3_column_int64(s, 9);
		p.positive = (long)sqlite3_column_int64(s, 10);
		if ((rc = fn(ctx, &p)))
			break;
	}
	return finish(st, s, r, rc, what, err);
}

/* ---- alerts */

/* The columns of an alert row: a plan q of person p (hamlet u1) with its
 * room r and site s, and for a monitoring entry m its fields. */
#define ALERT_COLS(m)                                                     \
	"SELECT q.id, p.id, p.resident_id, p.name, u1.code, q.status,"    \
	" q.grp, coalesce(s.code, ''), coalesce(r.number, ''),"           \
	" q.quarantine_end, " m
#define ALERT_FROM                                                        \
	" JOIN persons p ON p.id = q.person_id" PERSON_PLACE              \
	" LEFT JOIN rooms r ON r.id = q.room_id"                          \
	" LEFT JOIN sites s ON s.id = r.site_id"
/* ?1 unit, ?2 from, ?3 to. */
#define FEVER_FROM                                                        \
	" FROM monitoring m JOIN quarantines q ON q.id = m.quarantine_id" \
	ALERT_FROM " WHERE m.alert <> '' AND m.at >= ?2 AND m.at < ?3"    \
	" AND" UNDER_UNIT1
/* ?1 unit, ?2 the day (YYYY-MM-DD). */
#define OVERDUE_FROM                                                      \
	" FROM quarantines q" ALERT_FROM                                   \
	" WHERE q.status IN ('waiting', 'central', 'home')"               \
	" AND q.quarantine_end < ?2 AND" UNDER_UNIT1

static void alert_row(sqlite3_stmt *s, struct store_dash_alert *a)
{
	memset(a, 0, sizeof *a);
	a->plan = sqlite3_column_int64(s, 0);
	a->person = (uint32_t)sqlite3_column_int64(s, 1);
	store_col_text(s, 2, a->rid, sizeof a->rid);
	store_col_text(s, 3, a->name, sizeof a->name);
	store_col_text(s, 4, a->hamlet, sizeof a->hamlet);
	store_col_text(s, 5, a->status, sizeof a->status);
	store_col_text(s, 6, a->grp, sizeof a->grp);
	store_col_text(s, 7, a->site, sizeof a->site);
	store_col_text(s, 8, a->room, sizeof a->room);
	store_col_text(s, 9, a->quarantine_end, sizeof a->quarantine_end);
	a->monitoring = sqlite3_column_int64(s, 10);
	a->at = sqlite3_column_int64(s, 11);
	a->temp_tenths = sqlite3_column_int(s, 12);
	store_col_text(s, 13, a->symptoms, sizeof a->symptoms);
	store_col_text(s, 14, a->alert, sizeof a->alert);
}

/* Count with count_sql, then list with list_sql (bound by bind) up to
 * limit rows through fn. */
static enum cd_code alerts(struct store *st, const char *count_sql,
			   const char *list_sql,
			   void (*bind)(sqlite3_stmt *, const void *),
			   const void *arg, long limit, store_dash_alert_fn fn,
			   void *ctx, long *total, const char *what,
			   struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(st, count_sql, what, err);
	enum cd_code rc;
	if (!s)
		return err->code;
	bind(s, arg);
	if ((rc = count_of(st, s, total, what, err)))
		return rc;
	if (!(s = store_prep(st, list_sql, what, err)))
		return err->code;
	bind(s, arg);
	sqlite3_bind_int64(s, 4, limit);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dash_alert a;
		alert_row(s, &a);
		if ((rc = fn(ctx, &a)))
			break;
	}
	return finish(st, s, r, rc, what, err);
}

struct fever_arg {
	const char *unit;
	int64_t from, to;
};

static void fever_bind(sqlite3_stmt *s, const void *arg)
{
	const struct fever_arg *a = arg;
	bind_opt(s, 1, a->unit);
	sqlite3_bind_int64(s, 2, a->from);
	sqlite3_bind_int64(s, 3, a->to);
}

/* See store_dash.h. */
enum cd_code store_dash_fever(struct store *st, const char *unit,
			      int64_t from, int64_t to, long limit,
			      store_dash_alert_fn fn, void *ctx, long *total,
			      struct cd_err *err)
{
	struct fever_arg a = { unit, from, to };
	return alerts(st, "SELECT count(*)" FEVER_FROM,
		      ALERT_COLS("m.id, m.at, m.temp_tenths, m.symptoms,"
				 " m.alert") FEVER_FROM
		      " ORDER BY m.at DESC, m.id DESC LIMIT ?4",
		      fever_bind, &a, limit, fn, ctx, total,
		      "listing fever alerts", err);
}

struct overdue_arg {
	const char *unit;
	char day[11];
};

static void overdue_bind(sqlite3_stmt *s, const void *arg)
{
	const struct overdue_arg *a = arg;
	bind_opt(s, 1, a->unit);
	sqlite3_bind_text(s, 2, a->day, -1, SQLITE_STATIC);
}

/* See store_dash.h. */
enum cd_code store_dash_overdue(struct store *st, const char *unit,
				int32_t day, long limit,
				store_dash_alert_fn fn, void *ctx,
				long *total, struct cd_err *err)
{
	struct overdue_arg a = { unit, "" };
	date_format(day, a.day, sizeof a.day);
	return alerts(st, "SELECT count(*)" OVERDUE_FROM,
		      ALERT_COLS("0, 0, 0, '', ''") OVERDUE_FROM
		      " ORDER BY q.quarantine_end, q.id LIMIT ?4",
		      overdue_bind, &a, limit, fn, ctx, total,
		      "listing overdue releases", err);
}

/* ---- cell stays */

/* See store_dash.h. */
enum cd_code store_dash_cells(struct store *st, uint32_t person,
			      int64_t from, int64_t to, store_dash_cell_fn fn,
			      void *ctx, struct cd_err *err)
{
	struct pindex ix;
	size_t n;
	enum cd_code rc = store_presence_open(st, PS_CELLS, &ix, err);
	if (rc)
		return rc;
	const uint32_t *rows = pindex_person(&ix, person, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct prow *r = &ix.rows[rows[i]];
		int64_t start = ptime_to(r->start), end = ptime_to(r->end);
		if (start < to && end >= from)
			rc = fn(ctx, r->key, start, end);
	}
	return rc;
}

/* ---- units and zones */

/* ?1 the parent's code (NULL: counties), ?2 limit, ?3 offset, ?4 the
 * instant. A zone lies inside child c when a unit area is below c (c
 * among the area's proper ancestors) or a venue area's unit is c or below
 * it; it counts when in force at ?4, at its level then. */
#define CHILDREN_SQL                                                      \
	"WITH z AS (SELECT DISTINCT zn.id, " ZONE_LEVEL_AT("zn", "?4")    \
	"  AS level, a.unit_id IS NULL AS"                                \
	"  venue, u1.id AS u, u1.parent_id AS a1, u2.parent_id AS a2,"    \
	"  u3.parent_id AS a3 FROM zones zn"                              \
	"  JOIN zone_areas a ON a.zone_id = zn.id"                        \
	"  LEFT JOIN venues ve ON ve.id = a.venue_id"                     \
	"  JOIN units u1 ON u1.id = coalesce(a.unit_id, ve.unit_id)"      \
	UP3("u1") " WHERE " ZONE_IN_FORCE_AT("zn", "?4") "),"             \
	" inner_z AS (SELECT c.id AS cid, max(z.level) AS level,"         \
	"  count(DISTINCT z.id) AS n FROM units c JOIN z"                 \
	"  ON c.id IN (z.a1, z.a2, z.a3) OR (z.venue AND c.id = z.u)"     \
	"  WHERE c.parent_id IS (SELECT id FROM units WHERE code = ?1)"   \
	"  GROUP BY c.id)"                                                \
	" SELECT c.code, c.name, c.level,"                                \
	" EXISTS (SELECT 1 FROM units g WHERE g.parent_id = c.id),"       \
	" coalesce(i.level, 0), coalesce(i.n, 0)"                         \
	" FROM units c LEFT JOIN inner_z i ON i.cid = c.id"               \
	" WHERE c.parent_id IS (SELECT id FROM units WHERE code = ?1)"    \
	" ORDER BY c.code LIMIT ?2 OFFSET ?3"

/* See store_dash.h. */
enum cd_code store_dash_children(struct store *st, const char *unit,
				 int64_t at, long limit, long offset,
				 store_dash_unit_fn fn, void *ctx,
				 struct cd_err *err)
{
	struct unit_rec top;
	enum cd_code rc;
	if (unit && (rc = store_unit_get(st, unit, &top, err)))
		return rc;
	sqlite3_stmt *s = store_prep(st, CHILDREN_SQL, "listing units", err);
	if (!s)
		return err->code;
	bind_opt(s, 1, unit);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int64(s, 3, offset);
	sqlite3_bind_int64(s, 4, at);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dash_unit u;
		memset(&u, 0, sizeof u);
		store_col_text(s, 0, u.code, sizeof u.code);
		store_col_text(s, 1, u.name, sizeof u.name);
		u.level = sqlite3_column_int(s, 2);
		u.has_children = sqlite3_column_int(s, 3);
		u.inner_level = sqlite3_column_int(s, 4);
		u.inner_zones = (long)sqlite3_column_int64(s, 5);
		if ((rc = fn(ctx, &u)))
			break;
	}
	return finish(st, s, r, rc, "listing units", err);
}

/* See store_dash.h. */
enum cd_code store_dash_zone_covering(struct store *st, const char *unit,
				      int64_t at, int64_t *zone, int *level,
				      struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(
		st, "SELECT z.id, " ZONE_LEVEL_AT("z", "?2") " AS lv"
		" FROM units u1" UP3("u1") " JOIN zone_areas a ON a.unit_id IN"
		" (u1.id, u1.parent_id, u2.parent_id, u3.parent_id)"
		" JOIN zones z ON z.id = a.zone_id WHERE u1.code = ?1 AND "
		ZONE_IN_FORCE_AT("z", "?2") " ORDER BY lv DESC, z.id LIMIT 1",
		"finding a covering zone", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, unit);
	sqlite3_bind_int64(s, 2, at);
	int r = sqlite3_step(s);
	*zone = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*level = r == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
	return finish(st, s, r == SQLITE_ROW ? SQLITE_DONE : r, CD_OK,
		      "finding a covering zone", err);
}
