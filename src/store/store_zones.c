/* store_zones.c — SQL of risk zones: proposals, zones and their areas,
 * residents, the facts of a zone's clock, the rounds that covered it and
 * the append-only log (store.h, "risk zones"). These statements run a few
 * times per command, so they are prepared here and not cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The units under the zone ?1's unit areas, themselves included. */
#define ZONE_UNITS                                                        \
	"WITH RECURSIVE sub(id) AS ("                                     \
	" SELECT unit_id FROM zone_areas WHERE zone_id = ?1"              \
	" AND unit_id IS NOT NULL"                                        \
	" UNION SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) "

static sqlite3_stmt *prep(struct store *st, const char *sql,
			  struct cd_err *err)
{
	return store_prep(st, sql, "preparing a query on zones", err);
}

/* Run s (bound, no row expected) and finalize it. */
static enum cd_code done(struct store *st, sqlite3_stmt *s, const char *what,
			 struct cd_err *err)
{
	return store_step_done(st, s, what, err);
}

static int64_t col64(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* ---- proposals */

enum cd_code store_zone_proposal_add(struct store *st, int64_t at,
				     int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO zone_proposals(kind,"
			       " created_at) VALUES ('new', ?1)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, at);
	enum cd_code rc = done(st, s, "adding a zone proposal", err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

#define PROPOSAL_COLS                                                     \
	"SELECT p.id, p.kind, p.status, p.created_at, p.zone_id, c.number"  \
	" FROM zone_proposals p LEFT JOIN cases c ON c.id = p.case_id"

static void proposal_row(sqlite3_stmt *s, struct store_zone_proposal *p)
{
	memset(p, 0, sizeof *p);
	p->id = col64(s, 0);
	store_col_text(s, 1, p->kind, sizeof p->kind);
	store_col_text(s, 2, p->status, sizeof p->status);
	p->created_at = col64(s, 3);
	p->zone = col64(s, 4);
	store_col_text(s, 5, p->case_number, sizeof p->case_number);
}

enum cd_code store_zone_proposal_get(struct store *st, int64_t id,
				     struct store_zone_proposal *out,
				     struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, PROPOSAL_COLS " WHERE p.id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		proposal_row(s, out);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no zone proposal "
				  "P%04lld", (long long)id);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading a proposal", err);
}

enum cd_code store_zone_proposal_close(struct store *st, int64_t id,
				       const char *status,
				       struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE zone_proposals SET status = ?2"
			       " WHERE id = ?1 AND status = 'open'", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, status);
	enum cd_code rc = done(st, s, "closing a proposal", err);
	if (!rc && sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ECONFLICT, "proposal P%04lld is not "
				  "open", (long long)id);
	return rc;
}

enum cd_code store_zone_proposals(struct store *st, bool open_only,
				  store_zone_proposal_fn fn, void *ctx,
				  struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, PROPOSAL_COLS " WHERE ?1 = 0 OR"
			       " p.status = 'open' ORDER BY p.id", err);
	if (!s)
		return err->code;
	sqlite3_bind_int(s, 1, open_only);
	int rc;
	enum cd_code ret = CD_OK;
	struct store_zone_proposal p;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		proposal_row(s, &p);
		ret = fn(ctx, &p);
	}
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "listing proposals", err);
}

enum cd_code store_zone_sync_conversions(struct store *st, long *added,
					 struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st,
		"INSERT INTO zone_proposals(kind, created_at, zone_id, case_id)"
		" SELECT 'convert', max(c.reported), z.id, c.id FROM cases c"
		" JOIN persons p ON p.id = c.person_id"
		" JOIN households h ON h.id = p.household_id"
		" JOIN units u1 ON u1.id = h.unit_id" UP3("u1")
		" JOIN zone_areas a ON a.unit_id IN " ANCESTORS("u1")
		" JOIN zones z ON z.id = a.zone_id"
		" WHERE c.class IN ('confirmed', 'asymptomatic')"
		" AND z.status = 'active' AND z.level = 2"
		" AND c.reported > z.level_since"
		/* inside an active sealed zone the case resets that zone's
		 * clock instead */
		" AND NOT EXISTS (SELECT 1 FROM zone_areas b JOIN zones s"
		"  ON s.id = b.zone_id WHERE s.status = 'active'"
		"  AND s.level = 3 AND b.unit_id IN " ANCESTORS("u1") ")"
		" AND NOT EXISTS (SELECT 1 FROM zone_proposals q"
		"  WHERE q.zone_id = z.id AND (q.status = 'open'"
		"  OR q.case_id = c.id))"
		" GROUP BY z.id", err);
	/* one proposal per zone: the latest case names it */
	if (!s)
		return err->code;
	enum cd_code rc = done(st, s, "finding zones to convert", err);
	if (!rc)
		*added = (long)sqlite3_changes(st->db);
	return rc;
}

/* ---- zones */

enum cd_code store_zone_add(struct store *st, int64_t proposal, int level,
			    int64_t at, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO zones(proposal_id, level,"
			       " status, proposed_at) VALUES (?1, ?2,"
			       " 'proposed', ?3)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, proposal);
	sqlite3_bind_int(s, 2, level);
	sqlite3_bind_int64(s, 3, at);
	enum cd_code rc = done(st, s, "adding a zone", err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

#define ZONE_COLS                                                         \
	"SELECT z.id, z.proposal_id, z.level, z.status, z.proposed_at,"   \
	" z.confirmed_at, z.level_since, z.lifted_at, z.residents,"       \
	" (SELECT count(unit_id) FROM zone_areas WHERE zone_id = z.id),"  \
	" (SELECT count(venue_id) FROM zone_areas WHERE zone_id = z.id)"  \
	" FROM zones z"

static void zone_row(sqlite3_stmt *s, struct store_zone *z)
{
	memset(z, 0, sizeof *z);
	z->id = col64(s, 0);
	z->proposal = col64(s, 1);
	z->level = sqlite3_column_int(s, 2);
	store_col_text(s, 3, z->status, sizeof z->status);
	z->proposed_at = col64(s, 4);
	z->confirmed_at = col64(s, 5);
	z->level_since = col64(s, 6);
	z->lifted_at = col64(s, 7);
	z->residents = (long)col64(s, 8);
	z->units = (long)col64(s, 9);
	z->venues = (long)col64(s, 10);
}

enum cd_code store_zone_get(struct store *st, int64_t id,
			    struct store_zone *out, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, ZONE_COLS " WHERE z.id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		zone_row(s, out);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no zone Z%04lld",
				  (long long)id);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading a zone", err);
}

static void bind_or_null(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

enum cd_code store_zone_set(struct store *st, const struct store_zone *z,
			    struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE zones SET level = ?2, status = ?3,"
			       " confirmed_at = ?4, level_since = ?5,"
			       " lifted_at = ?6 WHERE id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, z->id);
	sqlite3_bind_int(s, 2, z->level);
	store_bind_text(s, 3, z->status);
	bind_or_null(s, 4, z->confirmed_at);
	bind_or_null(s, 5, z->level_since);
	bind_or_null(s, 6, z->lifted_at);
	return done(st, s, "updating a zone", err);
}

enum cd_code store_zone_list(struct store *st, int64_t proposal,
			     const char *status, store_zone_fn fn, void *ctx,
			     struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, ZONE_COLS " WHERE (?1 <> 0 AND"
			       " z.proposal_id = ?1) OR (?1 = 0 AND (?2 IS NULL"
			       " OR z.status = ?2)) ORDER BY z.id", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, proposal);
	store_bind_text(s, 2, status ? status : "");
	int rc;
	enum cd_code ret = CD_OK;
	struct store_zone z;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		zone_row(s, &z);
		ret = fn(ctx, &z);
	}
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "listing zones", err);
}

/* ---- areas */

enum cd_code store_zone_area_add(struct store *st, int64_t zone, bool venue,
				 const char *code, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, venue
			       ? "INSERT INTO zone_areas(zone_id, venue_id)"
				 " SELECT ?1, id FROM venues WHERE code = ?2"
			       : "INSERT INTO zone_areas(zone_id, unit_id)"
				 " SELECT ?1, id FROM units WHERE code = ?2",
			       err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	store_bind_text(s, 2, code);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	const char *what = venue ? "venue" : "unit";
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return cd_err_set(err, CD_ECONFLICT, "%s %s is already in "
				  "zone Z%04lld", what, code, (long long)zone);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "adding an area to a zone", err);
	if (sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ENOTFOUND, "no %s %s", what, code);
	return CD_OK;
}

enum cd_code store_zone_area_remove(struct store *st, int64_t zone,
				    bool venue, const char *code,
				    struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, venue
			       ? "DELETE FROM zone_areas WHERE zone_id = ?1 AND"
				 " venue_id = (SELECT id FROM venues"
				 " WHERE code = ?2)"
			       : "DELETE FROM zone_areas WHERE zone_id = ?1 AND"
				 " unit_id = (SELECT id FROM units"
				 " WHERE code = ?2)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	store_bind_text(s, 2, code);
	enum cd_code rc = done(st, s, "removing an area from a zone", err);
	if (!rc && sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ENOTFOUND, "%s %s is not in zone "
				  "Z%04lld", venue ? "venue" : "unit", code,
				  (long long)zone);
	return rc;
}

enum cd_code store_zone_areas(struct store *st, int64_t zone,
			      store_zone_area_fn fn, void *ctx,
			      struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT 'unit', u.code, u.name FROM zone_areas a JOIN units"
		" u ON u.id = a.unit_id WHERE a.zone_id = ?1 UNION ALL"
		" SELECT 'venue', v.code, v.name FROM zone_areas a JOIN venues"
		" v ON v.id = a.venue_id WHERE a.zone_id = ?1"
		" ORDER BY 1 DESC, 2", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	int rc;
	enum cd_code ret = CD_OK;
	struct store_zone_area a;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_text(s, 0, a.kind, sizeof a.kind);
		store_col_text(s, 1, a.code, sizeof a.code);
		store_col_text(s, 2, a.name, sizeof a.name);
		ret = fn(ctx, &a);
	}
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "listing areas", err);
}

enum cd_code store_zone_case_add(struct store *st, int64_t zone,
				 int64_t case_id, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT OR IGNORE INTO zone_cases(zone_id,"
			       " case_id) VALUES (?1, ?2)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	sqlite3_bind_int64(s, 2, case_id);
	return done(st, s, "recording a zone's case", err);
}

/* ---- residents */

#define RESIDENTS                                                         \
	ZONE_UNITS "SELECT p.id FROM households h CROSS JOIN persons p"   \
	" ON p.household_id = h.id WHERE h.unit_id IN (SELECT id FROM sub)"

enum cd_code store_zone_residents_update(struct store *st, int64_t zone,
					 long *n, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE zones SET residents = (SELECT"
			       " count(*) FROM (" RESIDENTS ")) WHERE id = ?1"
			       " RETURNING residents", err);
	*n = 0;
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*n = (long)col64(s, 0);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "counting residents", err);
}

enum cd_code store_zone_resident_ids(struct store *st, int64_t zone,
				     uint32_t **ids, size_t *n,
				     struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, RESIDENTS, err);
	*ids = NULL;
	*n = 0;
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = (uint32_t)col64(s, 0);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "listing residents", err);
}

/* ---- facts */

enum cd_code store_zone_covering(struct store *st, const char *unit,
				 int min_level, const char *status,
				 int64_t skip, int64_t *zone,
				 struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT z.id FROM units u1" UP3("u1")
		" JOIN zone_areas a ON a.unit_id IN " ANCESTORS("u1")
		" JOIN zones z ON z.id = a.zone_id WHERE u1.code = ?1"
		" AND z.level >= ?2 AND z.status = ?3 AND z.proposal_id <> ?4"
		" ORDER BY z.level DESC, z.id LIMIT 1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, unit);
	sqlite3_bind_int(s, 2, min_level);
	store_bind_text(s, 3, status);
	sqlite3_bind_int64(s, 4, skip);
	int rc = sqlite3_step(s);
	*zone = rc == SQLITE_ROW ? col64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? CD_OK
		       : store_fail(st, rc, "finding a covering zone", err);
}

static int32_t cst_day(int64_t t)
{
	return (int32_t)((t + CD_CST_OFFSET) / 86400);
}

enum cd_code store_zone_clock(struct store *st, int64_t zone,
			      int32_t *last_infection, int32_t *last_close,
			      struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, ZONE_UNITS ", base(id) AS ("
		" SELECT case_id FROM zone_cases WHERE zone_id = ?1"
		" UNION SELECT c.id FROM cases c CROSS JOIN persons p"
		" ON p.id = c.person_id CROSS JOIN households h"
		" ON h.id = p.household_id WHERE c.class IN"
		" ('confirmed', 'asymptomatic')"
		" AND h.unit_id IN (SELECT id FROM sub)),"
		/* a close contact of those cases who tests positive is a new
		 * infection of the zone wherever they live */
		" zc(id) AS (SELECT id FROM base UNION SELECT c.id FROM"
		" contacts k JOIN cases c ON c.person_id = k.person_id"
		" WHERE k.case_id IN (SELECT id FROM base)"
		" AND k.category = 'close' AND c.class IN"
		" ('confirmed', 'asymptomatic'))"
		" SELECT max(c.reported), (SELECT max(k.last_exposure) FROM"
		" contacts k WHERE k.case_id IN (SELECT id FROM zc)"
		" AND k.category = 'close' AND k.is_case = 0)"
		" FROM cases c WHERE c.id IN (SELECT id FROM zc)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	int rc = sqlite3_step(s);
	*last_infection = *last_close = 0;
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			*last_infection = cst_day(col64(s, 0));
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			*last_close = cst_day(col64(s, 1));
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading a zone's clock",
					     err);
}

enum cd_code store_zone_rounds(struct store *st, int64_t zone, int64_t since,
			       struct zone_round **out, size_t *n,
			       struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT r.start_at,"
		" (SELECT count(*) FROM samples x WHERE x.round_id = r.id),"
		" (SELECT count(*) FROM samples x JOIN results y"
		"  ON y.sample_id = x.id WHERE x.round_id = r.id"
		"  AND y.result = 'negative')"
		" FROM test_rounds r WHERE r.closed_at IS NOT NULL"
		" AND r.start_at >= ?2"
		" AND EXISTS (SELECT 1 FROM zone_areas a WHERE a.zone_id = ?1"
		"  AND a.unit_id IS NOT NULL)"
		" AND NOT EXISTS (SELECT 1 FROM zone_areas a JOIN units u1"
		"  ON u1.id = a.unit_id" UP3("u1") " WHERE a.zone_id = ?1"
		"  AND NOT EXISTS (SELECT 1 FROM round_units ru"
		"  WHERE ru.round_id = r.id AND ru.unit_id IN "
		ANCESTORS("u1") "))"
		" ORDER BY r.start_at, r.id", err);
	*out = NULL;
	*n = 0;
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	sqlite3_bind_int64(s, 2, since);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		int64_t tubes = col64(s, 1), neg = col64(s, 2);
		(*out)[*n].day = cst_day(col64(s, 0));
		(*out)[*n].all_negative = tubes > 0 && neg == tubes;
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading a zone's rounds",
					      err);
}

enum cd_code store_zone_inner(struct store *st, int64_t zone, long *active,
			      int64_t *last_lifted, struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT count(DISTINCT CASE WHEN z.status = 'active'"
		" THEN z.id END), max(CASE WHEN z.status = 'lifted'"
		" THEN z.lifted_at END) FROM zones z"
		" JOIN zone_areas a ON a.zone_id = z.id"
		" LEFT JOIN venues v ON v.id = a.venue_id"
		" JOIN units u1 ON u1.id = coalesce(a.unit_id, v.unit_id)"
		UP3("u1") " JOIN zone_areas b ON b.zone_id = ?1"
		" AND b.unit_id IN " ANCESTORS("u1")
		" WHERE z.id <> ?1 AND z.level >= 2"
		" AND z.status IN ('active', 'lifted')", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, zone);
	int rc = sqlite3_step(s);
	*active = rc == SQLITE_ROW ? (long)col64(s, 0) : 0;
	*last_lifted = rc == SQLITE_ROW ? col64(s, 1) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "reading inner zones",
					     err);
}

/* ---- the log */

enum cd_code store_zone_log_add(struct store *st,
				const struct store_zone_log *l,
				struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO zone_log(at, actor,"
			       " proposal_id, zone_id, action, detail, forced)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, l->at);
	store_bind_text(s, 2, l->actor);
	bind_or_null(s, 3, l->proposal);
	bind_or_null(s, 4, l->zone);
	store_bind_text(s, 5, l->action);
	sqlite3_bind_text(s, 6, l->detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 7, l->forced);
	return done(st, s, "writing the zone log", err);
}

enum cd_code store_zone_log_list(struct store *st, int64_t proposal,
				 int64_t zone, store_zone_log_fn fn, void *ctx,
				 struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT at, actor, proposal_id, zone_id, action, detail,"
		" forced FROM zone_log WHERE (?2 <> 0 AND (zone_id = ?2 OR"
		" (zone_id IS NULL AND proposal_id = (SELECT proposal_id FROM"
		" zones WHERE id = ?2)))) OR (?2 = 0 AND proposal_id = ?1)"
		" ORDER BY id", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, proposal);
	sqlite3_bind_int64(s, 2, zone);
	int rc;
	enum cd_code ret = CD_OK;
	struct store_zone_log l;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		l.at = col64(s, 0);
		store_col_text(s, 1, l.actor, sizeof l.actor);
		l.proposal = col64(s, 2);
		l.zone = col64(s, 3);
		store_col_text(s, 4, l.action, sizeof l.action);
		store_col_text(s, 5, l.detail, sizeof l.detail);
		l.forced = sqlite3_column_int(s, 6) != 0;
		ret = fn(ctx, &l);
	}
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading the zone log",
					      err);
}
