/* store_sites.c — SQL of quarantine sites and their rooms, with
 * occupancy (the people in central quarantine in each room). */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

static enum cd_code prep(struct store *st, const char *sql, sqlite3_stmt **s,
			 struct cd_err *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, "preparing", err);
}

/* The id of the row `sql` finds for text key, or CD_ENOTFOUND. */
static enum cd_code id_of(struct store *st, const char *sql, const char *key,
			  int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	store_bind_text(s, 1, key);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else
		rc = r == SQLITE_DONE ? CD_ENOTFOUND
				      : store_fail(st, r, "looking up", err);
	sqlite3_finalize(s);
	return rc;
}

/* Step an upsert that skips identical rows, and say what happened. */
static enum cd_code upsert_step(struct store *st, sqlite3_stmt *s, int existed,
				enum store_upsert *res, const char *what,
				struct cd_err *err)
{
	int r = sqlite3_step(s);
	if (r != SQLITE_DONE)
		return store_fail(st, r, what, err);
	if (res)
		*res = !existed ? STORE_INSERTED
		       : sqlite3_changes(st->db) ? STORE_UPDATED
						 : STORE_UNCHANGED;
	return CD_OK;
}

/* See store/store.h. */
enum cd_code store_site_upsert(struct store *st, const struct site_rec *r,
			       enum store_upsert *res, struct cd_err *err)
{
	int64_t unit, self;
	sqlite3_stmt *s;
	enum cd_code rc = id_of(st, "SELECT id FROM units WHERE code = ?1",
				r->unit, &unit, err);
	if (rc == CD_ENOTFOUND)
		return cd_err_set(err, rc, "unit %s does not exist", r->unit);
	if (rc)
		return rc;
	rc = id_of(st, "SELECT id FROM sites WHERE code = ?1", r->code, &self,
		   err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	int existed = rc == CD_OK;
	if ((rc = prep(st, "INSERT INTO sites(code, name, unit_id, address)"
		       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE"
		       " SET name = excluded.name, unit_id = excluded.unit_id,"
		       " address = excluded.address WHERE (name, unit_id,"
		       " address) IS NOT (excluded.name, excluded.unit_id,"
		       " excluded.address)", &s, err)))
		return rc;
	store_bind_text(s, 1, r->code);
	store_bind_text(s, 2, r->name);
	sqlite3_bind_int64(s, 3, unit);
	sqlite3_bind_text(s, 4, r->address, -1, SQLITE_TRANSIENT);
	rc = upsert_step(st, s, existed, res, "writing a site", err);
	sqlite3_finalize(s);
	return rc;
}

/* People in central quarantine in a room now. */
static enum cd_code room_occupants(struct store *st, int64_t room, int *n,
				   struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "SELECT count(*) FROM quarantines WHERE"
			       " room_id = ?1 AND status = 'central'", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, room);
	int r = sqlite3_step(s);
	*n = r == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? CD_OK : store_fail(st, r, "reading rooms", err);
}

/* See store/store.h. */
enum cd_code store_room_upsert(struct store *st, const struct room_rec *r,
			       enum store_upsert *res, struct cd_err *err)
{
	int64_t site, self = 0;
	int occupants = 0;
	sqlite3_stmt *s;
	enum cd_code rc = id_of(st, "SELECT id FROM sites WHERE code = ?1",
				r->site, &site, err);
	if (rc == CD_ENOTFOUND)
		return cd_err_set(err, rc, "site %s does not exist", r->site);
	if (rc)
		return rc;
	if ((rc = prep(st, "SELECT id FROM rooms WHERE site_id = ?1 AND"
		       " number = ?2", &s, err)))
		return rc;
	sqlite3_bind_int64(s, 1, site);
	store_bind_text(s, 2, r->number);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		self = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(st, step, "reading rooms", err);
	if (self && (rc = room_occupants(st, self, &occupants, err)))
		return rc;
	if (occupants > r->capacity)
		return cd_err_set(err, CD_ECONFLICT, "room %s of site %s holds "
				  "%d people now", r->number, r->site,
				  occupants);
	if ((rc = prep(st, "INSERT INTO rooms(site_id, number, capacity)"
		       " VALUES (?1, ?2, ?3) ON CONFLICT(site_id, number) DO"
		       " UPDATE SET capacity = excluded.capacity WHERE"
		       " capacity IS NOT excluded.capacity", &s, err)))
		return rc;
	sqlite3_bind_int64(s, 1, site);
	store_bind_text(s, 2, r->number);
	sqlite3_bind_int(s, 3, r->capacity);
	rc = upsert_step(st, s, self != 0, res, "writing a room", err);
	sqlite3_finalize(s);
	return rc;
}

/* See store/store.h. */
enum cd_code store_site_list(struct store *st, const char *code,
			     store_site_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(
		st,
		"WITH occ AS (SELECT room_id, count(*) AS n FROM quarantines"
		" WHERE status = 'central' GROUP BY room_id)"
		" SELECT s.code, s.name, u.code, s.address, count(r.id),"
		" coalesce(sum(r.capacity), 0), coalesce(sum(o.n), 0),"
		" count(o.n) FROM sites s JOIN units u ON u.id = s.unit_id"
		" LEFT JOIN rooms r ON r.site_id = s.id"
		" LEFT JOIN occ o ON o.room_id = r.id"
		" WHERE ?1 IS NULL OR s.code = ?1 GROUP BY s.id ORDER BY s.code",
		&s, err);
	if (rc)
		return rc;
	store_bind_text(s, 1, code);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_site_view v;
		memset(&v, 0, sizeof v);
		store_col_text(s, 0, v.s.code, sizeof v.s.code);
		store_col_text(s, 1, v.s.name, sizeof v.s.name);
		store_col_text(s, 2, v.s.unit, sizeof v.s.unit);
		store_col_text(s, 3, v.s.address, sizeof v.s.address);
		v.rooms = sqlite3_column_int64(s, 4);
		v.capacity = sqlite3_column_int64(s, 5);
		v.occupants = sqlite3_column_int64(s, 6);
		v.occupied_rooms = sqlite3_column_int64(s, 7);
		v.free_rooms = v.rooms - v.occupied_rooms;
		if ((rc = fn(ctx, &v)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading sites", err);
	return rc;
}

static int group_of(const char *g)
{
	enum quarantine_group q;
	return *g && !quarantine_group_parse(g, &q, NULL) ? (int)q : -1;
}

/* See store/store.h. */
enum cd_code store_room_list(struct store *st, const char *site,
			     store_room_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	int64_t id;
	enum cd_code rc;
	if (site && (rc = id_of(st, "SELECT id FROM sites WHERE code = ?1",
				site, &id, err)))
		return rc == CD_ENOTFOUND
			       ? cd_err_set(err, rc, "no site %s", site) : rc;
	if ((rc = prep(st, "SELECT r.id, s.code, r.number, r.capacity,"
		       " (SELECT count(*) FROM quarantines q WHERE q.room_id ="
		       " r.id AND q.status = 'central'), (SELECT min(q.grp)"
		       " FROM quarantines q WHERE q.room_id = r.id AND"
		       " q.status = 'central') FROM rooms r JOIN sites s ON"
		       " s.id = r.site_id WHERE ?1 IS NULL OR s.code = ?1"
		       " ORDER BY s.code, r.number", &s, err)))
		return rc;
	store_bind_text(s, 1, site);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_room_view v;
		char g[16];
		memset(&v, 0, sizeof v);
		v.id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, v.r.site, sizeof v.r.site);
		store_col_text(s, 2, v.r.number, sizeof v.r.number);
		v.r.capacity = sqlite3_column_int(s, 3);
		v.occupants = sqlite3_column_int(s, 4);
		store_col_text(s, 5, g, sizeof g);
		v.grp = group_of(g);
		if ((rc = fn(ctx, &v)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading rooms", err);
	return rc;
}
