/* store_registry.c — SQL of the registry: units, households, persons,
 * venues, grid workers. */
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* Look up an id by code with the cached statement id/sql. CD_ENOTFOUND
 * (message left to the caller) when absent. */
static enum cd_code id_by_code(struct store *st, enum stmt_id id,
			       const char *sql, const char *code,
			       sqlite3_int64 *out, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, id, sql, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		return CD_OK;
	}
	if (rc == SQLITE_DONE)
		return CD_ENOTFOUND;
	return store_fail(st, rc, "looking up a code", err);
}

enum cd_code store_unit_id(struct store *st, const char *code,
			   sqlite3_int64 *out, struct cd_err *err)
{
	enum cd_code rc = id_by_code(st, STMT_UNIT_ID,
				     "SELECT id FROM units WHERE code = ?1",
				     code, out, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "unit %s does not exist", code);
	return rc;
}

/* Step an upsert whose DO UPDATE has a WHERE that skips identical rows,
 * and say what happened. */
static enum cd_code upsert_step(struct store *st, sqlite3_stmt *s,
				int existed, enum store_upsert *res,
				const char *what, struct cd_err *err)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, what, err);
	if (res)
		*res = !existed ? STORE_INSERTED
				: sqlite3_changes(st->db) ? STORE_UPDATED
							  : STORE_UNCHANGED;
	return CD_OK;
}

enum cd_code store_unit_upsert(struct store *st, const struct unit_rec *r,
			       enum store_upsert *res, struct cd_err *err)
{
	sqlite3_int64 parent = 0, self;
	enum cd_code rc;
	if (r->parent[0] && (rc = store_unit_id(st, r->parent, &parent, err))) {
		if (rc == CD_ENOTFOUND)
			cd_err_set(err, rc,
				   "parent unit %s does not exist (import it "
				   "first or in the same file)", r->parent);
		return rc;
	}
	rc = store_unit_id(st, r->code, &self, err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(
		st, STMT_UNIT_UPSERT,
		"INSERT INTO units(code, name, level, kind, parent_id) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, kind = excluded.kind "
		"WHERE (name, kind) IS NOT (excluded.name, excluded.kind)",
		err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, r->code);
	store_bind_text(s, 2, r->name);
	sqlite3_bind_int(s, 3, (int)r->level);
	store_bind_text(s, 4, unit_kind_name(r->kind));
	if (parent)
		sqlite3_bind_int64(s, 5, parent);
	return upsert_step(st, s, rc == CD_OK, res, "writing a unit", err);
}

static enum cd_code household_id(struct store *st, const char *code,
				 sqlite3_int64 *out, struct cd_err *err)
{
	if (st->hh_code[0] && strcmp(st->hh_code, code) == 0) {
		*out = st->hh_id;
		return CD_OK;
	}
	enum cd_code rc = id_by_code(
		st, STMT_HH_ID, "SELECT id FROM households WHERE code = ?1",
		code, out, err);
	if (rc == CD_OK) {
		snprintf(st->hh_code, sizeof st->hh_code, "%s", code);
		st->hh_id = *out;
	}
	return rc;
}

enum cd_code store_household_upsert(struct store *st,
				    const struct household_rec *r,
				    enum store_upsert *res, struct cd_err *err)
{
	sqlite3_int64 hamlet, self;
	enum cd_code rc = store_unit_id(st, r->hamlet, &hamlet, err);
	if (rc) {
		if (rc == CD_ENOTFOUND)
			cd_err_set(err, rc, "hamlet %s does not exist",
				   r->hamlet);
		return rc;
	}
	rc = household_id(st, r->code, &self, err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(
		st, STMT_HH_UPSERT,
		"INSERT INTO households(code, unit_id, address) "
		"VALUES (?1, ?2, ?3) ON CONFLICT(code) DO UPDATE SET "
		"address = excluded.address "
		"WHERE address IS NOT excluded.address", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, r->code);
	sqlite3_bind_int64(s, 2, hamlet);
	sqlite3_bind_text(s, 3, r->address, -1, SQLITE_TRANSIENT);
	return upsert_step(st, s, rc == CD_OK, res, "writing a household",
			   err);
}

enum cd_code store_person_upsert(struct store *st, const struct person_rec *r,
				 enum store_upsert *res, struct cd_err *err)
{
	sqlite3_int64 hh, self;
	char birth[11];
	enum cd_code rc = household_id(st, r->household, &hh, err);
	if (rc) {
		if (rc == CD_ENOTFOUND)
			cd_err_set(err, rc, "household %s does not exist",
				   r->household);
		return rc;
	}
	rc = id_by_code(st, STMT_PERSON_ID,
			"SELECT id FROM persons WHERE resident_id = ?1",
			r->rid, &self, err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(
		st, STMT_PERSON_UPSERT,
		"INSERT INTO persons(resident_id, name, sex, birth_date, phone,"
		" household_id, groups) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		"ON CONFLICT(resident_id) DO UPDATE SET name = excluded.name,"
		" phone = excluded.phone, household_id = excluded.household_id,"
		" groups = excluded.groups "
		"WHERE (name, phone, household_id, groups) IS NOT (excluded.name,"
		" excluded.phone, excluded.household_id, excluded.groups)",
		err);
	if (!s)
		return err->code;
	date_format(r->birth, birth, sizeof birth);
	store_bind_text(s, 1, r->rid);
	store_bind_text(s, 2, r->name);
	sqlite3_bind_text(s, 3, r->sex == 'M' ? "M" : "F", 1, SQLITE_STATIC);
	store_bind_text(s, 4, birth);
	store_bind_text(s, 5, r->phone);
	sqlite3_bind_int64(s, 6, hh);
	sqlite3_bind_int(s, 7, r->groups);
	return upsert_step(st, s, rc == CD_OK, res, "writing a person", err);
}

enum cd_code store_venue_upsert(struct store *st, const struct venue_rec *r,
				enum store_upsert *res, struct cd_err *err)
{
	sqlite3_int64 unit, self;
	enum cd_code rc = store_unit_id(st, r->unit, &unit, err);
	if (rc)
		return rc;
	rc = id_by_code(st, STMT_VENUE_ID,
			"SELECT id FROM venues WHERE code = ?1", r->code, &self,
			err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(
		st, STMT_VENUE_UPSERT,
		"INSERT INTO venues(code, name, kind, unit_id, lat, lon) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE "
		"SET name = excluded.name, kind = excluded.kind,"
		" unit_id = excluded.unit_id, lat = excluded.lat,"
		" lon = excluded.lon "
		"WHERE (name, kind, unit_id, lat, lon) IS NOT (excluded.name,"
		" excluded.kind, excluded.unit_id, excluded.lat, excluded.lon)",
		err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, r->code);
	store_bind_text(s, 2, r->name);
	store_bind_text(s, 3, venue_kind_name(r->kind));
	sqlite3_bind_int64(s, 4, unit);
	if (r->has_coord) {
		sqlite3_bind_double(s, 5, r->lat);
		sqlite3_bind_double(s, 6, r->lon);
	}
	return upsert_step(st, s, rc == CD_OK, res, "writing a venue", err);
}

/* Is the worker's stored set of units exactly r's (sorted) set? */
static enum cd_code gw_same_units(struct store *st, sqlite3_int64 worker,
				  const struct grid_worker_rec *r, int *same,
				  struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_GW_UNITS,
		"SELECT u.code FROM grid_worker_units g JOIN units u "
		"ON u.id = g.unit_id WHERE g.worker_id = ?1 ORDER BY u.code",
		err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, worker);
	size_t i = 0;
	int rc;
	*same = 1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		if (i >= r->nunits || strcmp(c, r->units[i]) != 0)
			*same = 0;
		i++;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "reading grid assignments", err);
	if (i != r->nunits)
		*same = 0;
	return CD_OK;
}

static enum cd_code gw_set_units(struct store *st, sqlite3_int64 worker,
				 const struct grid_worker_rec *r,
				 struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_GW_UNITS_DEL,
				     "DELETE FROM grid_worker_units "
				     "WHERE worker_id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, worker);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "writing grid assignments", err);
	for (size_t i = 0; i < r->nunits; i++) {
		sqlite3_int64 unit;
		enum cd_code crc = store_unit_id(st, r->units[i], &unit, err);
		if (crc)
			return crc;
		s = store_stmt(st, STMT_GW_UNIT_ADD,
			       "INSERT INTO grid_worker_units(worker_id, "
			       "unit_id) VALUES (?1, ?2)", err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, worker);
		sqlite3_bind_int64(s, 2, unit);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(st, rc, "writing grid assignments",
					  err);
	}
	return CD_OK;
}

enum cd_code store_grid_worker_upsert(struct store *st,
				      const struct grid_worker_rec *r,
				      enum store_upsert *res,
				      struct cd_err *err)
{
	/* Check every hamlet first so a missing one is reported as such. */
	for (size_t i = 0; i < r->nunits; i++) {
		sqlite3_int64 unit;
		enum cd_code crc = store_unit_id(st, r->units[i], &unit, err);
		if (crc)
			return crc;
	}
	sqlite3_int64 worker;
	enum cd_code rc = id_by_code(st, STMT_GW_ID,
				     "SELECT id FROM grid_workers "
				     "WHERE phone = ?1", r->phone, &worker,
				     err);
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	int existed = rc == CD_OK;
	sqlite3_stmt *s = store_stmt(
		st, STMT_GW_UPSERT,
		"INSERT INTO grid_workers(phone, name) VALUES (?1, ?2) "
		"ON CONFLICT(phone) DO UPDATE SET name = excluded.name "
		"WHERE name IS NOT excluded.name RETURNING id", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, r->phone);
	store_bind_text(s, 2, r->name);
	int src = sqlite3_step(s);
	int renamed = src == SQLITE_ROW;
	if (src == SQLITE_ROW) {
		worker = sqlite3_column_int64(s, 0);
		src = sqlite3_step(s);
	}
	if (src != SQLITE_DONE)
		return store_fail(st, src, "writing a grid worker", err);
	int same = 0;
	if (existed && (rc = gw_same_units(st, worker, r, &same, err)))
		return rc;
	if (!same && (rc = gw_set_units(st, worker, r, err)))
		return rc;
	if (res)
		*res = !existed ? STORE_INSERTED
				: (renamed || !same) ? STORE_UPDATED
						     : STORE_UNCHANGED;
	return CD_OK;
}
