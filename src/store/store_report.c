/* store_report.c — SQL of the daily report (store_report.h).
 *
 * The report's unit is mapped once into temp.report_map: every unit of
 * its subtree with the index of the child row it lies under (the unit
 * itself: the index n, "the unit's own"); temp.report_up holds the unit
 * and its ancestors (a zone or round drawn on one of them covers every
 * row). A person counts where their household is. Each query is written
 * once with its grouping column G: "m.grp" gives one result row per
 * child, "-1" the whole unit at once.
 *
 * Figures of persons are additive: every person lives in a hamlet under
 * exactly one child, so a unit's totals are the sum of its rows. Tubes,
 * positive pools, zones and round coverage are not (a pool may hold
 * people of two towns, a zone cover several): their totals are counted
 * on their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_report.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* Persons (by the id column pid) joined to their row. */
#define IN_MAP(pid)                                                       \
	" JOIN persons p ON p.id = " pid                                  \
	" JOIN households h ON h.id = p.household_id"                     \
	" JOIN temp.report_map m ON m.unit_id = h.unit_id"
/* Bound: ?1 the window's start (excluded), ?2 its end (the cutoff), ?3
 * the reporting day as 'YYYY-MM-DD' (date-only events). */
#define NEVER "'9999-12-31'"
/* Ever asymptomatic: still, or confirmed by a conversion. */
#define ASYM "(c.class = 'asymptomatic' OR c.converted IS NOT NULL)"
#define DIRECT "(c.class = 'confirmed' AND c.converted IS NULL)"
#define IN_WIN(t) "(" t " > ?1 AND " t " <= ?2)"
#define CONF_NEW "((" DIRECT " AND " IN_WIN("c.reported") ")" \
		 " OR c.converted = ?3)"
#define CONF_CUM "((" DIRECT " AND c.reported <= ?2) OR c.converted <= ?3)"
#define OUTCOME(o, op)                                                    \
	"sum(c.class = 'confirmed' AND c.outcome = '" o "'"               \
	" AND c.outcome_date " op " ?3)"

#define Q_CASES(G)                                                        \
	"SELECT " G ", sum(c.imported = 0 AND " CONF_NEW "),"             \
	" sum(c.imported = 1 AND " CONF_NEW "), sum(c.converted = ?3),"   \
	" sum(c.imported = 0 AND " CONF_CUM "),"                          \
	" sum(c.imported = 1 AND " CONF_CUM "),"                          \
	" sum(c.imported = 0 AND " ASYM " AND " IN_WIN("c.reported") "),"  \
	" sum(c.imported = 1 AND " ASYM " AND " IN_WIN("c.reported") "),"  \
	" sum(c.class = 'asymptomatic' AND c.outcome = 'cured'"           \
	"  AND c.outcome_date = ?3),"                                     \
	" sum(" ASYM " AND c.reported <= ?2"                              \
	"  AND coalesce(c.converted, " NEVER ") > ?3"                     \
	"  AND coalesce(c.outcome_date, " NEVER ") > ?3),"                \
	" sum(" ASYM " AND c.reported <= ?2),"                            \
	" " OUTCOME("cured", "=") ", " OUTCOME("cured", "<=") ","         \
	" " OUTCOME("died", "=") ", " OUTCOME("died", "<=") ","           \
	" sum(c.class = 'suspected' AND c.reported <= ?2"                 \
	"  AND coalesce(c.outcome_date, " NEVER ") > ?3)"                 \
	" FROM cases c" IN_MAP("c.person_id") " GROUP BY 1"

/* Contacts: distinct persons, close before secondary; a person's first
 * trace as either is when they became one. */
#define Q_CONTACTS(G)                                                     \
	"SELECT " G ", sum(k.cf > ?1), sum(k.cf IS NULL AND k.sf > ?1),"  \
	" sum(k.cf IS NOT NULL), sum(k.cf IS NULL AND k.sf IS NOT NULL)"  \
	" FROM (SELECT person_id,"                                        \
	"  min(CASE WHEN category = 'close' THEN traced_at END) cf,"      \
	"  min(CASE WHEN category = 'secondary' THEN traced_at END) sf"   \
	"  FROM contacts WHERE traced_at <= ?2"                           \
	"  AND category IN ('close', 'secondary') GROUP BY person_id) k"  \
	IN_MAP("k.person_id") " GROUP BY 1"

/* A plan open on the day and not waiting for a room; in central
 * quarantine while its central part lasts, or while it is still central
 * now (a release overdue). */
#define Q_OPEN                                                            \
	"(q.planned_at <= ?2 AND coalesce(q.ended_on, " NEVER ") > ?3"    \
	" AND q.status <> 'waiting')"
#define Q_CENTRAL                                                         \
	"coalesce(" Q_OPEN " AND q.room_id IS NOT NULL"                   \
	" AND (q.status = 'central' OR ?3 <= q.central_end), 0)"
#define Q_QUARANTINE(G)                                                   \
	"SELECT " G ","                                                   \
	" count(DISTINCT CASE WHEN " Q_CENTRAL " THEN q.person_id END),"  \
	" count(DISTINCT CASE WHEN " Q_OPEN " AND NOT " Q_CENTRAL         \
	"  THEN q.person_id END),"                                        \
	" count(DISTINCT CASE WHEN q.status = 'released'"                 \
	"  AND q.ended_on = ?3 THEN q.person_id END),"                    \
	" count(DISTINCT CASE WHEN q.status = 'released'"                 \
	"  AND q.ended_on <= ?3 THEN q.person_id END)"                    \
	" FROM quarantines q" IN_MAP("q.person_id")                       \
	" WHERE q.grp IN ('close', 'secondary') GROUP BY 1"

/* Sites by where they are; rooms occupied by central plans. */
#define Q_SITES(G)                                                        \
	"SELECT " G ", count(DISTINCT si.id), count(r.id),"               \
	" coalesce(sum(r.capacity), 0), coalesce(sum(o.n), 0)"            \
	" FROM sites si JOIN temp.report_map m ON m.unit_id = si.unit_id" \
	" LEFT JOIN rooms r ON r.site_id = si.id"                         \
	" LEFT JOIN (SELECT q.room_id, count(*) n FROM quarantines q"     \
	"  WHERE " Q_CENTRAL " GROUP BY q.room_id) o ON o.room_id = r.id" \
	" GROUP BY 1"

#define Q_SAMPLED(G)                                                      \
	"SELECT " G ", count(DISTINCT sm.person_id), count(DISTINCT s.id)" \
	" FROM samples s JOIN sample_members sm ON sm.sample_id = s.id"   \
	IN_MAP("sm.person_id") " WHERE " IN_WIN("s.sampled_at")           \
	" GROUP BY 1"
/* The unit's tubes: one member inside is enough. */
#define Q_TUBES                                                           \
	"SELECT -1, 0, count(*) FROM samples s"                           \
	" WHERE " IN_WIN("s.sampled_at") " AND EXISTS (SELECT 1"          \
	"  FROM sample_members sm" IN_MAP("sm.person_id")                 \
	"  WHERE sm.sample_id = s.id)"
#define Q_POOLS(G)                                                        \
	"SELECT " G ", count(DISTINCT s.id) FROM results r"               \
	" JOIN samples s ON s.id = r.sample_id"                           \
	" JOIN sample_members sm ON sm.sample_id = s.id"                  \
	IN_MAP("sm.person_id") " WHERE r.result = 'positive'"             \
	" AND s.pool_size > 1 AND " IN_WIN("r.result_at") " GROUP BY 1"

/* Zones and rounds drawn on a unit of the subtree (its row), on a venue
 * in it (the venue's row), or on the unit or an ancestor (every row). A
 * zone counts at the level it had at the cutoff (zone_levels; its present
 * level when it has no history). */
#define Q_ZONES                                                           \
	"SELECT z.id, " ZONE_LEVEL_AT("z", "?2") ","                      \
	" coalesce(z.lifted_at <= ?2, 0), m.grp,"                          \
	" up.unit_id IS NOT NULL FROM zones z"                            \
	" JOIN zone_areas a ON a.zone_id = z.id"                          \
	" LEFT JOIN venues v ON v.id = a.venue_id"                        \
	" LEFT JOIN temp.report_map m"                                    \
	"  ON m.unit_id = coalesce(a.unit_id, v.unit_id)"                 \
	" LEFT JOIN temp.report_up up ON up.unit_id = a.unit_id"          \
	" WHERE z.confirmed_at <= ?2"             \
	" AND (m.grp IS NOT NULL OR up.unit_id IS NOT NULL)"              \
	" ORDER BY z.id"
#define Q_ROUNDS                                                          \
	"SELECT r.id, r.start_at, m.grp, up.unit_id IS NOT NULL"          \
	" FROM round_units ru JOIN test_rounds r ON r.id = ru.round_id"   \
	" LEFT JOIN temp.report_map m ON m.unit_id = ru.unit_id"          \
	" LEFT JOIN temp.report_up up ON up.unit_id = ru.unit_id"         \
	" WHERE r.start_at <= ?2"                 \
	" AND (m.grp IS NOT NULL OR up.unit_id IS NOT NULL)"
/* A round's coverage (docs/rounds.md) at the cutoff: its expected
 * residents (not in hospital, dead, or waiting for or in central
 * quarantine on the day) and those of them in a tube of the round
 * sampled by the cutoff; ?4 the round. */
#define AWAY                                                              \
	"(SELECT person_id FROM cases WHERE reported <= ?2 AND"           \
	" (outcome IS NULL OR outcome = 'died' OR outcome_date > ?3)"     \
	" UNION ALL SELECT q.person_id FROM quarantines q WHERE"          \
	" (q.status = 'waiting' AND q.planned_at <= ?2) OR " Q_CENTRAL ")"
#define Q_COVERAGE                                                        \
	"WITH RECURSIVE sub(id) AS ("                                     \
	" SELECT unit_id FROM round_units WHERE round_id = ?4"            \
	" UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)" \
	" SELECT m.grp, count(p.id), coalesce(sum(p.id IN"                \
	"  (SELECT sm.person_id FROM samples s JOIN sample_members sm"    \
	"   ON sm.sample_id = s.id WHERE s.round_id = ?4"                 \
	"   AND s.sampled_at <= ?2)), 0)"                                 \
	" FROM sub JOIN temp.report_map m ON m.unit_id = sub.id"          \
	" JOIN households h ON h.unit_id = sub.id"                        \
	" JOIN persons p ON p.household_id = h.id"                        \
	" WHERE p.id NOT IN " AWAY " GROUP BY 1"

/* The day being counted. */
struct day {
	int64_t from, to;
	char date[11];
	struct store_report_counts *out;
	size_t n;                       /* rows; out[n] the totals */
};

static sqlite3_stmt *prep(struct store *st, const char *sql,
			  struct cd_err *err)
{
	return store_prep(st, sql, "preparing a report query", err);
}

static enum cd_code exec(struct store *st, const char *sql,
			 struct cd_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CD_OK
			       : store_fail(st, rc, "preparing a report", err);
}

/* ---- opening: the unit, its children, the map */

static enum cd_code unit_row(sqlite3_stmt *s, int64_t *id,
			     struct store_report_unit *u)
{
	*id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, u->code, sizeof u->code);
	store_col_text(s, 2, u->name, sizeof u->name);
	u->level = sqlite3_column_int(s, 3);
	return CD_OK;
}

/* Map unit id and everything below it to row grp. */
static enum cd_code map_subtree(struct store *st, int64_t id, long grp,
				struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO temp.report_map(unit_id, grp)"
			       " WITH RECURSIVE d(id) AS (SELECT ?1 UNION ALL"
			       " SELECT u.id FROM units u JOIN d"
			       " ON u.parent_id = d.id) SELECT id, ?2 FROM d",
			       err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, grp);
	return store_step_done(st, s, "mapping a report's units", err);
}

/* The children of unit id by code (ids into *ids); the caller frees. */
static enum cd_code children(struct store *st, int64_t id,
			     struct store_report_unit **kids, int64_t **ids,
			     size_t *n, struct cd_err *err)
{
	size_t alloc = 0, ialloc = 0;
	sqlite3_stmt *s = prep(st, "SELECT id, code, name, level FROM units"
			       " WHERE parent_id = ?1 ORDER BY code", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*kids = xgrow(*kids, sizeof **kids, *n + 1, &alloc);
		*ids = xgrow(*ids, sizeof **ids, *n + 1, &ialloc);
		unit_row(s, &(*ids)[*n], &(*kids)[*n]);
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading units", err);
}

static enum cd_code map_all(struct store *st, int64_t id, bool rows,
			    struct store_report_unit **kids, size_t *n,
			    struct cd_err *err)
{
	int64_t *ids = NULL;
	enum cd_code rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS"
			       " report_map(unit_id INTEGER PRIMARY KEY,"
			       " grp INTEGER NOT NULL);"
			       "CREATE TEMP TABLE IF NOT EXISTS"
			       " report_up(unit_id INTEGER PRIMARY KEY);"
			       "DELETE FROM temp.report_map;"
			       "DELETE FROM temp.report_up;", err);
	if (!rc && rows)
		rc = children(st, id, kids, &ids, n, err);
	for (size_t i = 0; !rc && i < *n; i++)
		rc = map_subtree(st, ids[i], (long)i, err);
	free(ids);
	if (rc)
		return rc;
	/* The unit itself: row n; without rows its whole subtree. */
	sqlite3_stmt *s = prep(st, *n ? "INSERT INTO temp.report_map"
				   "(unit_id, grp) VALUES (?1, ?2)"
				   : "INSERT INTO temp.report_map(unit_id, grp)"
				   " WITH RECURSIVE d(id) AS (SELECT ?1"
				   " UNION ALL SELECT u.id FROM units u JOIN d"
				   " ON u.parent_id = d.id) SELECT id, ?2"
				   " FROM d", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)*n);
	if ((rc = store_step_done(st, s, "mapping a report's units", err)))
		return rc;
	s = prep(st, "INSERT INTO temp.report_up(unit_id)"
		 " WITH RECURSIVE a(id) AS (SELECT ?1 UNION ALL"
		 " SELECT u.parent_id FROM units u JOIN a ON u.id = a.id"
		 " WHERE u.parent_id IS NOT NULL) SELECT id FROM a", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, "mapping a report's units", err);
}

/* See store_report.h. */
enum cd_code store_report_open(struct store *st, const char *code, bool rows,
			       struct store_report_unit *unit,
			       struct store_report_unit **kids, size_t *n,
			       struct cd_err *err)
{
	*kids = NULL;
	*n = 0;
	enum cd_code rc = exec(st, "SAVEPOINT report", err);
	if (rc)
		return rc;
	sqlite3_stmt *s = prep(st, "SELECT id, code, name, level FROM units"
			       " WHERE code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int64_t id = 0;
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		unit_row(s, &id, unit);
	sqlite3_finalize(s);
	if (r == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no unit '%s'", code);
	if (r != SQLITE_ROW)
		return store_fail(st, r, "reading units", err);
	rc = map_all(st, id, rows, kids, n, err);
	if (rc) {
		free(*kids);
		*kids = NULL;
		*n = 0;
	}
	return rc;
}

/* See store_report.h. */
void store_report_close(struct store *st)
{
	/* Only this connection's temporary tables were written. */
	sqlite3_exec(st->db, "RELEASE report", NULL, NULL, NULL);
}

/* ---- one day */

/* Add a result row's columns (from 1) to c; columns of figures that are
 * not additive only when all (the row is c's own, not a part of it). */
typedef void (*apply_fn)(struct store_report_counts *c, sqlite3_stmt *s,
			 bool all);

static long col(sqlite3_stmt *s, int i)
{
	return (long)sqlite3_column_int64(s, i);
}

static void apply_cases(struct store_report_counts *c, sqlite3_stmt *s,
			bool all)
{
	(void)all;
	long *f[] = { &c->conf_new[0], &c->conf_new[1], &c->converted,
		      &c->conf_cum[0], &c->conf_cum[1], &c->asym_new[0],
		      &c->asym_new[1], &c->asym_released, &c->asym_observed,
		      &c->asym_cum, &c->cured_new, &c->cured_cum,
		      &c->died_new, &c->died_cum, &c->suspected };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] += col(s, (int)i + 1);
}

static void apply_contacts(struct store_report_counts *c, sqlite3_stmt *s,
			   bool all)
{
	(void)all;
	c->close_new += col(s, 1);
	c->secondary_new += col(s, 2);
	c->close_cum += col(s, 3);
	c->secondary_cum += col(s, 4);
}

static void apply_quarantine(struct store_report_counts *c, sqlite3_stmt *s,
			     bool all)
{
	(void)all;
	c->central += col(s, 1);
	c->home += col(s, 2);
	c->released_new += col(s, 3);
	c->released_cum += col(s, 4);
}

static void apply_sites(struct store_report_counts *c, sqlite3_stmt *s,
			bool all)
{
	(void)all;
	c->sites += col(s, 1);
	c->rooms += col(s, 2);
	c->capacity += col(s, 3);
	c->occupied += col(s, 4);
}

static void apply_sampled(struct store_report_counts *c, sqlite3_stmt *s,
			  bool all)
{
	c->sampled_new += col(s, 1);
	if (all)
		c->tubes_new += col(s, 2);
}

static void apply_pools(struct store_report_counts *c, sqlite3_stmt *s,
			bool all)
{
	if (all)
		c->pools_positive_new += col(s, 1);
}

static void bind_day(sqlite3_stmt *s, const struct day *d)
{
	sqlite3_bind_int64(s, 1, d->from);
	sqlite3_bind_int64(s, 2, d->to);
	sqlite3_bind_text(s, 3, d->date, -1, SQLITE_STATIC);
}

/* Run sql (grouping column first) and apply each row: a child's row to
 * it and, for what adds up, to the totals; the unit's own row (n) and a
 * whole-unit row (-1) to the totals. */
static enum cd_code run(struct store *st, const char *sql, const struct day *d,
			apply_fn fn, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, sql, err);
	if (!s)
		return err->code;
	bind_day(s, d);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long g = col(s, 0);
		struct store_report_counts *total = &d->out[d->n];
		if (g >= 0 && (size_t)g < d->n) {
			fn(&d->out[g], s, true);
			fn(total, s, false);
		} else {
			fn(total, s, g < 0);
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "counting a report", err);
}

/* Which rows (0..n, n the totals) a zone's or round's area touches:
 * grp, or every row when it lies on the unit or above. */
static void touch(bool *rows, size_t n, sqlite3_stmt *s, int grp_col)
{
	bool all = sqlite3_column_int(s, grp_col + 1) ||
		   (sqlite3_column_type(s, grp_col) != SQLITE_NULL &&
		    (size_t)col(s, grp_col) >= n);
	if (all) {
		for (size_t i = 0; i <= n; i++)
			rows[i] = true;
		return;
	}
	long g = col(s, grp_col);
	if (g >= 0 && (size_t)g < n)
		rows[g] = true;
	rows[n] = true;
}

static void zone_add(const struct day *d, const bool *rows, int level,
		     bool lifted)
{
	int k = lifted ? 0 : level >= 1 && level <= 3 ? level : -1;
	for (size_t i = 0; k >= 0 && i <= d->n; i++)
		if (rows[i])
			d->out[i].zones[k]++;
}

static enum cd_code zones(struct store *st, const struct day *d,
			  struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, Q_ZONES, err);
	if (!s)
		return err->code;
	bind_day(s, d);
	bool *rows = xcalloc(d->n + 1, sizeof *rows);
	int64_t zone = 0;
	int level = 0, lifted = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (zone && sqlite3_column_int64(s, 0) != zone) {
			zone_add(d, rows, level, lifted);
			memset(rows, 0, (d->n + 1) * sizeof *rows);
		}
		zone = sqlite3_column_int64(s, 0);
		level = sqlite3_column_int(s, 1);
		lifted = sqlite3_column_int(s, 2);
		touch(rows, d->n, s, 3);
	}
	if (rc == SQLITE_DONE && zone)
		zone_add(d, rows, level, lifted);
	free(rows);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "counting zones", err);
}

/* The latest round touching each row: best[i] its id, 0 for none. */
static enum cd_code latest_rounds(struct store *st, const struct day *d,
				  int64_t *best, int64_t *start,
				  struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, Q_ROUNDS, err);
	if (!s)
		return err->code;
	bind_day(s, d);
	bool *rows = xcalloc(d->n + 1, sizeof *rows);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0),
			at = sqlite3_column_int64(s, 1);
		memset(rows, 0, (d->n + 1) * sizeof *rows);
		touch(rows, d->n, s, 2);
		for (size_t i = 0; i <= d->n; i++)
			if (rows[i] && (!best[i] || at > start[i] ||
					(at == start[i] && id > best[i])))
				best[i] = id, start[i] = at;
	}
	free(rows);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading rounds", err);
}

/* Coverage of round id: per row where it is the latest (and the totals
 * when it is theirs: the sum of every row). */
static enum cd_code coverage(struct store *st, const struct day *d,
			     int64_t id, const int64_t *best,
			     struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, Q_COVERAGE, err);
	if (!s)
		return err->code;
	bind_day(s, d);
	sqlite3_bind_int64(s, 4, id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long g = col(s, 0);
		if (g >= 0 && (size_t)g < d->n && best[g] == id) {
			d->out[g].round_expected += col(s, 1);
			d->out[g].round_sampled += col(s, 2);
		}
		if (best[d->n] == id) {
			d->out[d->n].round_expected += col(s, 1);
			d->out[d->n].round_sampled += col(s, 2);
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "counting a round", err);
}

static enum cd_code rounds(struct store *st, const struct day *d,
			   struct cd_err *err)
{
	int64_t *best = xcalloc(d->n + 1, sizeof *best),
		*start = xcalloc(d->n + 1, sizeof *start);
	enum cd_code rc = latest_rounds(st, d, best, start, err);
	for (size_t i = 0; !rc && i <= d->n; i++) {
		if (!best[i])
			continue;
		d->out[i].has_round = true;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || best[j] == best[i];
		if (!seen)
			rc = coverage(st, d, best[i], best, err);
	}
	free(best);
	free(start);
	return rc;
}

/* See store_report.h. */
enum cd_code store_report_day(struct store *st, int32_t day, int64_t from,
			      int64_t to, struct store_report_counts *out,
			      size_t n, struct cd_err *err)
{
	/* Each query grouped by row, or (no rows) over the whole unit. */
	static const char *const q[2][6] = {
		{ Q_CASES("m.grp"), Q_CONTACTS("m.grp"), Q_QUARANTINE("m.grp"),
		  Q_SITES("m.grp"), Q_SAMPLED("m.grp"), Q_POOLS("m.grp") },
		{ Q_CASES("-1"), Q_CONTACTS("-1"), Q_QUARANTINE("-1"),
		  Q_SITES("-1"), Q_SAMPLED("-1"), Q_POOLS("-1") },
	};
	static const apply_fn fns[6] = { apply_cases, apply_contacts,
					 apply_quarantine, apply_sites,
					 apply_sampled, apply_pools };
	struct day d = { from, to, "", out, n };
	date_format(day, d.date, sizeof d.date);
	memset(out, 0, (n + 1) * sizeof *out);
	const char *const *set = q[n ? 0 : 1];
	enum cd_code rc = CD_OK;
	for (int i = 0; !rc && i < 6; i++)
		rc = run(st, set[i], &d, fns[i], err);
	/* What does not add up gets its own totals. */
	if (!rc && n)
		rc = run(st, Q_TUBES, &d, apply_sampled, err);
	if (!rc && n)
		rc = run(st, Q_POOLS("-1"), &d, apply_pools, err);
	if (!rc)
		rc = zones(st, &d, err);
	if (!rc)
		rc = rounds(st, &d, err);
	return rc;
}

/* ---- the curve */

static void curve_add(long *arr, int32_t from, int32_t to, int32_t day)
{
	if (day >= from && day <= to)
		arr[day - from]++;
}

static int32_t text_day(sqlite3_stmt *s, int i)
{
	int32_t d = 0;
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t && date_parse(t, &d) ? d : INT32_MIN;
}

/* See store_report.h. */
enum cd_code store_report_curve(struct store *st, int32_t from, int32_t to,
				struct store_report_curve *out,
				struct cd_err *err)
{
	size_t n = (size_t)(to - from + 1);
	memset(out->onset_conf, 0, n * sizeof *out->onset_conf);
	memset(out->onset_asym, 0, n * sizeof *out->onset_asym);
	memset(out->report_conf, 0, n * sizeof *out->report_conf);
	memset(out->report_asym, 0, n * sizeof *out->report_asym);
	sqlite3_stmt *s = prep(st, "SELECT c.class = 'confirmed',"
			       " coalesce(c.onset, c.sampling), c.converted,"
			       " c.reported FROM cases c" IN_MAP("c.person_id")
			       " WHERE c.class IN ('confirmed', 'asymptomatic')",
			       err);
	if (!s)
		return err->code;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		bool conf = sqlite3_column_int(s, 0);
		int32_t onset = text_day(s, 1), conv = text_day(s, 2);
		int64_t rep = sqlite3_column_int64(s, 3);
		int32_t rday = (int32_t)((rep + CD_CST_OFFSET) / 86400);
		curve_add(conf ? out->onset_conf : out->onset_asym, from, to,
			  onset);
		if (conf && conv != INT32_MIN)
			curve_add(out->report_conf, from, to, conv);
		else
			curve_add(conf ? out->report_conf : out->report_asym,
				  from, to, rday);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading cases", err);
}

/* See store_report.h. */
enum cd_code store_report_county(struct store *st, char *county, long *count,
				 struct cd_err *err)
{
	county[0] = '\0';
	*count = 0;
	sqlite3_stmt *s = prep(st, "SELECT min(code), count(*) FROM units"
			       " WHERE level = 1", err);
	if (!s)
		return err->code;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = col(s, 1);
		if (*count == 1)
			store_col_text(s, 0, county, UNIT_CODE_MAX);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading units", err);
}
