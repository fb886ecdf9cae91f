/* store_api_registry.c — registry queries for the HTTP API (store.h,
 * "api: registry"): pages of units, persons, venues and grid workers
 * under a unit, counts for the summary report, and the look-ups that keep
 * an upload within the uploader's unit. A unit with its children is read
 * beside the unit tree (store_query.c).
 *
 * "Under a unit" is the subtree the recursive CTE SUB_CTE collects from
 * ?1 (NULL: every county, so everything); lists filter by membership in
 * it and page with LIMIT/OFFSET. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

#define SUB_CTE                                                           \
	"sub(id) AS (SELECT id FROM units WHERE CASE WHEN ?1 IS NULL"     \
	" THEN parent_id IS NULL ELSE code = ?1 END"                      \
	" UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)"

static sqlite3_stmt *prep(struct store *st, const char *sql,
			  struct cd_err *err)
{
	return store_prep(st, sql, "querying the registry", err);
}

static void bind_page(sqlite3_stmt *s, int limit_at,
		      const struct store_page *p)
{
	store_bind_text(s, 1, p->unit);
	sqlite3_bind_int64(s, limit_at, p->limit > 0 ? p->limit : -1);
	sqlite3_bind_int64(s, limit_at + 1, p->offset > 0 ? p->offset : 0);
}

static enum unit_kind kind_of(sqlite3_stmt *s, int col)
{
	const char *k = (const char *)sqlite3_column_text(s, col);
	int v = k ? unit_kind_from_name(k) : -1;
	return v < 0 ? UK_HAMLET : (enum unit_kind)v;
}

/* Step s to the end, handing each row to row(); finalizes s. */
typedef enum cd_code (*row_fn)(sqlite3_stmt *s, void *arg);
static enum cd_code each_row(struct store *st, sqlite3_stmt *s, row_fn row,
			     void *arg, const char *what, struct cd_err *err)
{
	enum cd_code ret = CD_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = row(s, arg)))
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, what, err);
	sqlite3_finalize(s);
	return ret;
}

/* Step s once, handing the row, if there is one, to row() with *found
 * set; finalizes s. */
static enum cd_code one_row(struct store *st, sqlite3_stmt *s, row_fn row,
			    void *arg, bool *found, const char *what,
			    struct cd_err *err)
{
	enum cd_code ret = CD_OK;
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found)
		ret = row(s, arg);
	else if (rc != SQLITE_DONE)
		ret = store_fail(st, rc, what, err);
	sqlite3_finalize(s);
	return ret;
}

/* Column 0 as a unit code into arg (UNIT_CODE_MAX bytes). */
static enum cd_code code_row(sqlite3_stmt *s, void *arg)
{
	store_col_text(s, 0, arg, UNIT_CODE_MAX);
	return CD_OK;
}

/* ---- units */

struct unit_cb {
	store_unit_fn fn;
	void *ctx;
};

static enum cd_code unit_row(sqlite3_stmt *s, void *arg)
{
	struct unit_cb *cb = arg;
	struct unit_rec u;
	memset(&u, 0, sizeof u);
	store_col_text(s, 0, u.code, sizeof u.code);
	store_col_text(s, 1, u.name, sizeof u.name);
	u.level = (enum unit_level)sqlite3_column_int(s, 2);
	u.kind = kind_of(s, 3);
	store_col_text(s, 4, u.parent, sizeof u.parent);
	return cb->fn(cb->ctx, &u);
}

enum cd_code store_unit_list(struct store *st, const struct store_page *p,
			     int level, store_unit_fn fn, void *ctx,
			     struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st,
		"WITH RECURSIVE " SUB_CTE
		" SELECT u.code, u.name, u.level, u.kind, coalesce(p.code, '')"
		" FROM units u LEFT JOIN units p ON p.id = u.parent_id"
		" WHERE u.id IN (SELECT id FROM sub)"
		" AND (?2 = 0 OR u.level = ?2)"
		" ORDER BY u.code LIMIT ?3 OFFSET ?4", err);
	if (!s)
		return err->code;
	bind_page(s, 3, p);
	sqlite3_bind_int(s, 2, level);
	struct unit_cb cb = { fn, ctx };
	return each_row(st, s, unit_row, &cb, "listing units", err);
}

/* ---- households and persons */

static enum cd_code household_row(sqlite3_stmt *s, void *arg)
{
	struct store_household_view *out = arg;
	store_col_text(s, 0, out->h.code, sizeof out->h.code);
	store_col_text(s, 1, out->h.hamlet, sizeof out->h.hamlet);
	store_col_text(s, 2, out->h.address, sizeof out->h.address);
	store_col_text(s, 3, out->hamlet_name, sizeof out->hamlet_name);
	return CD_OK;
}

enum cd_code store_household_get(struct store *st, const char *code,
				 struct store_household_view *out,
				 struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st,
		"SELECT h.code, u.code, h.address, u.name FROM households h"
		" JOIN units u ON u.id = h.unit_id WHERE h.code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	memset(out, 0, sizeof *out);
	bool found;
	enum cd_code rc = one_row(st, s, household_row, out, &found,
				  "reading a household", err);
	if (!rc && !found)
		rc = cd_err_set(err, CD_ENOTFOUND, "no household '%s'", code);
	return rc;
}

struct person_cb {
	store_person_fn fn;
	void *ctx;
};

static enum cd_code person_row(sqlite3_stmt *s, void *arg)
{
	struct person_cb *cb = arg;
	struct store_person_row r;
	char birth[11];
	int32_t b = 0;
	memset(&r, 0, sizeof r);
	r.id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r.p.rid, sizeof r.p.rid);
	store_col_text(s, 2, r.p.name, sizeof r.p.name);
	const unsigned char *sex = sqlite3_column_text(s, 3);
	r.p.sex = sex && sex[0] == 'M' ? 'M' : 'F';
	store_col_text(s, 4, birth, sizeof birth);
	r.p.birth = date_parse(birth, &b) ? b : 0;
	store_col_text(s, 5, r.p.phone, sizeof r.p.phone);
	store_col_text(s, 6, r.p.household, sizeof r.p.household);
	r.p.groups = sqlite3_column_int(s, 7);
	store_col_text(s, 8, r.hamlet, sizeof r.hamlet);
	store_col_text(s, 9, r.hamlet_name, sizeof r.hamlet_name);
	return cb->fn(cb->ctx, &r);
}

enum cd_code store_person_list(struct store *st,
			       const struct store_person_filter *f,
			       store_person_fn fn, void *ctx,
			       struct cd_err *err)
{
	/* Only fixed text goes into the SQL; values are bound. */
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql,
		      "WITH RECURSIVE " SUB_CTE
		      " SELECT p.id, p.resident_id, p.name, p.sex,"
		      " p.birth_date, p.phone, h.code, p.groups, hm.code,"
		      " hm.name FROM households h"
		      " JOIN units hm ON hm.id = h.unit_id"
		      " JOIN persons p ON p.household_id = h.id WHERE ");
	if (f->household)
		strbuf_addstr(&sql, "h.code = ?5");
	else
		strbuf_addstr(&sql, "h.unit_id IN (SELECT id FROM sub)");
	if (f->name)
		strbuf_addstr(&sql, " AND substr(p.name, 1, length(?6)) = ?6");
	if (f->rid)
		strbuf_addstr(&sql, " AND p.resident_id >= ?7"
			      " AND p.resident_id < ?7 || '~'");
	strbuf_addstr(&sql, " ORDER BY h.code, p.id LIMIT ?2 OFFSET ?3");
	sqlite3_stmt *s = prep(st, sql.buf, err);
	strbuf_release(&sql);
	if (!s)
		return err->code;
	bind_page(s, 2, &f->page);
	if (f->household)
		store_bind_text(s, 5, f->household);
	if (f->name)
		store_bind_text(s, 6, f->name);
	if (f->rid)
		store_bind_text(s, 7, f->rid);
	struct person_cb cb = { fn, ctx };
	return each_row(st, s, person_row, &cb, "listing persons", err);
}

/* ---- venues */

#define VENUE_COLS                                                        \
	"SELECT v.code, v.name, v.kind, u.code, v.lat, v.lon, u.name"     \
	" FROM venues v JOIN units u ON u.id = v.unit_id"

static void venue_cols(sqlite3_stmt *s, struct store_venue_view *out)
{
	struct cd_err kerr;
	memset(out, 0, sizeof *out);
	store_col_text(s, 0, out->v.code, sizeof out->v.code);
	store_col_text(s, 1, out->v.name, sizeof out->v.name);
	const char *k = (const char *)sqlite3_column_text(s, 2);
	if (venue_kind_parse(k ? k : "", &out->v.kind, &kerr))
		out->v.kind = VK_SHOP;
	store_col_text(s, 3, out->v.unit, sizeof out->v.unit);
	out->v.has_coord = sqlite3_column_type(s, 4) != SQLITE_NULL;
	out->v.lat = sqlite3_column_double(s, 4);
	out->v.lon = sqlite3_column_double(s, 5);
	store_col_text(s, 6, out->unit_name, sizeof out->unit_name);
}

static enum cd_code venue_one(sqlite3_stmt *s, void *arg)
{
	venue_cols(s, arg);
	return CD_OK;
}

enum cd_code store_venue_get(struct store *st, const char *code,
			     struct store_venue_view *out, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, VENUE_COLS " WHERE v.code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	bool found;
	enum cd_code rc = one_row(st, s, venue_one, out, &found,
				  "reading a venue", err);
	if (!rc && !found)
		rc = cd_err_set(err, CD_ENOTFOUND, "no venue '%s'", code);
	return rc;
}

struct venue_cb {
	store_venue_view_fn fn;
	void *ctx;
};

static enum cd_code venue_row(sqlite3_stmt *s, void *arg)
{
	struct venue_cb *cb = arg;
	struct store_venue_view v;
	venue_cols(s, &v);
	return cb->fn(cb->ctx, &v);
}

enum cd_code store_venue_list(struct store *st, const struct store_page *p,
			      int kind, store_venue_view_fn fn, void *ctx,
			      struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st,
		"WITH RECURSIVE " SUB_CTE " " VENUE_COLS
		" WHERE v.unit_id IN (SELECT id FROM sub)"
		" AND (?2 IS NULL OR v.kind = ?2)"
		" ORDER BY v.code LIMIT ?3 OFFSET ?4", err);
	if (!s)
		return err->code;
	bind_page(s, 3, p);
	if (kind >= 0 && kind < VK_COUNT)
		store_bind_text(s, 2, venue_kind_name((enum venue_kind)kind));
	struct venue_cb cb = { fn, ctx };
	return each_row(st, s, venue_row, &cb, "listing venues", err);
}

/* ---- grid workers */

struct worker_acc {
	store_grid_worker_fn fn;
	void *ctx;
	struct store_grid_worker_view w;
	bool have;
};

static enum cd_code worker_row(sqlite3_stmt *s, void *arg)
{
	struct worker_acc *a = arg;
	int64_t id = sqlite3_column_int64(s, 0);
	enum cd_code rc;
	if (a->have && a->w.id != id) {
		if ((rc = a->fn(a->ctx, &a->w)))
			return rc;
		a->have = false;
	}
	if (!a->have) {
		memset(&a->w, 0, sizeof a->w);
		a->w.id = id;
		store_col_text(s, 1, a->w.w.phone, sizeof a->w.w.phone);
		store_col_text(s, 2, a->w.w.name, sizeof a->w.w.name);
		a->have = true;
	}
	size_t i = a->w.w.nunits;
	if (i < GRID_WORKER_MAX_UNITS) {
		store_col_text(s, 3, a->w.w.units[i], UNIT_CODE_MAX);
		store_col_text(s, 4, a->w.names[i], sizeof a->w.names[i]);
		a->w.w.nunits++;
	}
	return CD_OK;
}

enum cd_code store_grid_worker_list(struct store *st,
				    const struct store_page *p,
				    store_grid_worker_fn fn, void *ctx,
				    struct cd_err *err)
{
	/* The page of workers first, then their hamlets in the subtree. */
	sqlite3_stmt *s = prep(
		st,
		"WITH RECURSIVE " SUB_CTE ","
		" page(id, phone) AS (SELECT DISTINCT w.id, w.phone"
		"  FROM grid_workers w JOIN grid_worker_units g"
		"  ON g.worker_id = w.id WHERE g.unit_id IN (SELECT id FROM sub)"
		"  ORDER BY w.phone LIMIT ?2 OFFSET ?3) "
		"SELECT page.id, page.phone, w.name, u.code, u.name FROM page"
		" JOIN grid_workers w ON w.id = page.id"
		" JOIN grid_worker_units g ON g.worker_id = page.id"
		" JOIN units u ON u.id = g.unit_id"
		" WHERE g.unit_id IN (SELECT id FROM sub)"
		" ORDER BY page.phone, u.code", err);
	if (!s)
		return err->code;
	bind_page(s, 2, p);
	struct worker_acc *a = xmalloc(sizeof *a);
	a->fn = fn;
	a->ctx = ctx;
	a->have = false;
	enum cd_code rc = each_row(st, s, worker_row, a, "listing grid workers",
				   err);
	if (!rc && a->have)
		rc = fn(ctx, &a->w);
	free(a);
	return rc;
}

/* ---- the summary */

/* Counts of one grouped query into slots by the text of column 0. */
struct tally {
	const char *const *names;
	long *slots;
	int n;
};

static enum cd_code tally_row(sqlite3_stmt *s, void *arg)
{
	struct tally *t = arg;
	const char *k = (const char *)sqlite3_column_text(s, 0);
	long v = (long)sqlite3_column_int64(s, 1);
	for (int i = 0; k && i < t->n; i++)
		if (!strcmp(k, t->names[i]))
			t->slots[i] += v;
	return CD_OK;
}

static enum cd_code tally(struct store *st, const char *unit, const char *sql,
			  struct tally *t, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, sql, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, unit);
	return each_row(st, s, tally_row, t, "counting for the summary", err);
}

/* Persons of the subtree: the rows of table x joined to them. */
#define IN_SUB(x)                                                         \
	" JOIN persons p ON p.id = " x ".person_id"                       \
	" JOIN households h ON h.id = p.household_id"                     \
	" WHERE h.unit_id IN (SELECT id FROM sub)"

static enum cd_code summary_counts(struct store *st, const char *unit,
				   struct store_summary *out,
				   struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st,
		"WITH RECURSIVE " SUB_CTE
		" SELECT (SELECT count(*) FROM sub),"
		" (SELECT count(*) FROM households"
		"  WHERE unit_id IN (SELECT id FROM sub)),"
		" (SELECT count(*) FROM households h JOIN persons p"
		"  ON p.household_id = h.id WHERE h.unit_id IN (SELECT id FROM sub)),"
		" (SELECT count(*) FROM venues WHERE unit_id IN (SELECT id FROM sub)),"
		" (SELECT count(DISTINCT worker_id) FROM grid_worker_units"
		"  WHERE unit_id IN (SELECT id FROM sub))", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, unit);
	int rc = sqlite3_step(s);
	enum cd_code ret = CD_OK;
	if (rc == SQLITE_ROW) {
		out->units = (long)sqlite3_column_int64(s, 0);
		out->households = (long)sqlite3_column_int64(s, 1);
		out->persons = (long)sqlite3_column_int64(s, 2);
		out->venues = (long)sqlite3_column_int64(s, 3);
		out->grid_workers = (long)sqlite3_column_int64(s, 4);
	} else {
		ret = store_fail(st, rc, "counting for the summary", err);
	}
	sqlite3_finalize(s);
	return ret;
}

enum cd_code store_summary(struct store *st, const char *unit,
			   struct store_summary *out, struct cd_err *err)
{
	static const char *const classes[] = { "confirmed", "asymptomatic",
					       "suspected" };
	static const char *const outcomes[] = { "open", "cured", "died" };
	static const char *const colours[] = { "green", "yellow", "red" };
	static const char *const statuses[] = { "waiting", "central", "home" };
	static const char *const levels[] = { "0", "1", "2", "3" };
	long outc[3] = { 0, 0, 0 };
	memset(out, 0, sizeof *out);
	struct tally t_class = { classes, out->cases, 3 };
	struct tally t_out = { outcomes, outc, 3 };
	struct tally t_code = { colours, out->codes, 3 };
	struct tally t_q = { statuses, out->quarantine, 3 };
	struct tally t_z = { levels, out->zones, 4 };
	enum cd_code rc = summary_counts(st, unit, out, err);
	if (!rc)
		rc = tally(st, unit, "WITH RECURSIVE " SUB_CTE
			   " SELECT c.class, count(*) FROM cases c" IN_SUB("c")
			   " GROUP BY c.class", &t_class, err);
	if (!rc)
		rc = tally(st, unit, "WITH RECURSIVE " SUB_CTE
			   " SELECT coalesce(c.outcome, 'open'), count(*)"
			   " FROM cases c" IN_SUB("c") " GROUP BY 1",
			   &t_out, err);
	if (!rc)
		rc = tally(st, unit, "WITH RECURSIVE " SUB_CTE
			   " SELECT x.colour, count(*) FROM codes x" IN_SUB("x")
			   " GROUP BY x.colour", &t_code, err);
	if (!rc)
		rc = tally(st, unit, "WITH RECURSIVE " SUB_CTE
			   " SELECT q.status, count(*) FROM quarantines q"
			   IN_SUB("q") " AND q.status IN"
			   " ('waiting', 'central', 'home') GROUP BY q.status",
			   &t_q, err);
	/* A zone counts when an area (a unit, or a venue's unit) lies in
	 * the subtree, or a unit area holds the subtree's top. */
	if (!rc)
		rc = tally(st, unit, "WITH RECURSIVE " SUB_CTE ","
			   " sc(id) AS (SELECT id FROM units WHERE code = ?1"
			   "  UNION ALL SELECT u.parent_id FROM units u"
			   "  JOIN sc ON u.id = sc.id"
			   "  WHERE u.parent_id IS NOT NULL)"
			   " SELECT CAST(z.level AS TEXT), count(*) FROM zones z"
			   " WHERE z.status = 'active' AND EXISTS (SELECT 1"
			   "  FROM zone_areas a LEFT JOIN venues v"
			   "  ON v.id = a.venue_id WHERE a.zone_id = z.id"
			   "  AND (coalesce(a.unit_id, v.unit_id) IN"
			   "  (SELECT id FROM sub)"
			   "  OR a.unit_id IN (SELECT id FROM sc)))"
			   " GROUP BY z.level", &t_z, err);
	if (rc)
		return rc;
	out->cases_open = outc[0];
	out->cured = outc[1];
	out->died = outc[2];
	out->zones[0] = out->zones[1] + out->zones[2] + out->zones[3];
	/* Persons without a stored code are green. */
	out->codes[0] = out->persons - out->codes[1] - out->codes[2];
	return CD_OK;
}

/* ---- jurisdiction of uploads */

enum cd_code store_record_unit(struct store *st, enum store_key kind,
			       const char *key, char *unit,
			       struct cd_err *err)
{
	const char *sql;
	unit[0] = '\0';
	if (kind == KEY_PERSON)
		sql = "SELECT u.code FROM persons p"
		      " JOIN households h ON h.id = p.household_id"
		      " JOIN units u ON u.id = h.unit_id"
		      " WHERE p.resident_id = ?1";
	else if (kind == KEY_VENUE)
		sql = "SELECT u.code FROM venues v"
		      " JOIN units u ON u.id = v.unit_id WHERE v.code = ?1";
	else
		return cd_err_set(err, CD_EINVAL, "no unit for records of "
				  "kind %d", kind);
	sqlite3_stmt *s = prep(st, sql, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, key);
	bool found;
	return one_row(st, s, code_row, unit, &found, "finding a record's unit",
		       err);
}

enum cd_code store_grid_worker_outside(struct store *st, const char *phone,
				       const char *scope, char *hamlet,
				       struct cd_err *err)
{
	hamlet[0] = '\0';
	sqlite3_stmt *s = prep(
		st,
		"SELECT u1.code FROM grid_workers w"
		" JOIN grid_worker_units g ON g.worker_id = w.id"
		" JOIN units u1 ON u1.id = g.unit_id" UP3("u1")
		" WHERE w.phone = ?1 AND coalesce((SELECT id FROM units"
		" WHERE code = ?2), -1) NOT IN " ANCESTORS("u1")
		" ORDER BY u1.code LIMIT 1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, phone);
	store_bind_text(s, 2, scope);
	bool found;
	return one_row(st, s, code_row, hamlet, &found,
		       "checking a grid worker's hamlets", err);
}

