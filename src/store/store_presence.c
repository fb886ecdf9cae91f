/* store_presence.c — SQL of presence data: venue scans, vehicle rides,
 * telecom cell stays. */
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

static enum cd_code step_done(struct store *st, sqlite3_stmt *s,
			      const char *what, struct cd_err *err)
{
	int rc = sqlite3_step(s);
	return rc == SQLITE_DONE ? CD_OK : store_fail(st, rc, what, err);
}

enum cd_code store_scan_insert(struct store *st, int64_t person_id,
			       int64_t venue_id, int64_t t_in, int64_t t_out,
			       struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SCAN_ADD,
				     "INSERT INTO scans(person_id, venue_id, "
				     "t_in, t_out) VALUES (?1, ?2, ?3, ?4)",
				     err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, venue_id);
	sqlite3_bind_int64(s, 3, t_in);
	if (t_out)
		sqlite3_bind_int64(s, 4, t_out);
	return step_done(st, s, "writing a scan", err);
}

static enum cd_code trip_id(struct store *st, const struct trip_rec *t,
			    sqlite3_int64 *id, struct cd_err *err)
{
	char key[64], date[11];
	date_format(t->date, date, sizeof date);
	snprintf(key, sizeof key, "%s|%s|%s|%d", trip_mode_name(t->mode),
		 t->route, date, t->departure);
	if (st->trip_key[0] && strcmp(key, st->trip_key) == 0) {
		*id = st->trip_id;
		return CD_OK;
	}
	sqlite3_stmt *s = store_stmt(st, STMT_TRIP_ID,
				     "SELECT id FROM trips WHERE mode = ?1 AND "
				     "route = ?2 AND date = ?3 AND "
				     "departure = ?4", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, trip_mode_name(t->mode));
	store_bind_text(s, 2, t->route);
	store_bind_text(s, 3, date);
	sqlite3_bind_int(s, 4, t->departure);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
	} else if (rc == SQLITE_DONE) {
		s = store_stmt(st, STMT_TRIP_ADD,
			       "INSERT INTO trips(mode, route, date, departure)"
			       " VALUES (?1, ?2, ?3, ?4)", err);
		if (!s)
			return err->code;
		store_bind_text(s, 1, trip_mode_name(t->mode));
		store_bind_text(s, 2, t->route);
		store_bind_text(s, 3, date);
		sqlite3_bind_int(s, 4, t->departure);
		enum cd_code e = step_done(st, s, "writing a trip", err);
		if (e)
			return e;
		*id = sqlite3_last_insert_rowid(st->db);
	} else {
		return store_fail(st, rc, "looking up a trip", err);
	}
	snprintf(st->trip_key, sizeof st->trip_key, "%s", key);
	st->trip_id = *id;
	return CD_OK;
}

enum cd_code store_ride_insert(struct store *st, const struct trip_rec *t,
			       int64_t person_id, struct cd_err *err)
{
	sqlite3_int64 trip = 0;
	enum cd_code rc = trip_id(st, t, &trip, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_stmt(st, STMT_RIDE_ADD,
				     "INSERT INTO rides(trip_id, person_id, "
				     "carriage, seat_row) VALUES (?1, ?2, ?3,"
				     " ?4)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, trip);
	sqlite3_bind_int64(s, 2, person_id);
	sqlite3_bind_int(s, 3, t->carriage);
	sqlite3_bind_int(s, 4, t->seat_row);
	return step_done(st, s, "writing a ride", err);
}

enum cd_code store_cell_insert(struct store *st, int64_t person_id,
			       const char *cell, int64_t start, int64_t end,
			       struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CELL_ADD,
				     "INSERT INTO cell_stays(person_id, cell, "
				     "t_start, t_end) VALUES (?1, ?2, ?3, ?4)",
				     err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_text(s, 2, cell, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, start);
	sqlite3_bind_int64(s, 4, end);
	return step_done(st, s, "writing a cell stay", err);
}

enum cd_code store_presence_counts(struct store *st,
				   struct store_presence_counts *out,
				   struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db,
				    "SELECT (SELECT count(*) FROM scans),"
				    " (SELECT count(*) FROM trips),"
				    " (SELECT count(*) FROM rides),"
				    " (SELECT count(*) FROM cell_stays)",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "counting presence data", err);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->scans = (long)sqlite3_column_int64(s, 0);
		out->trips = (long)sqlite3_column_int64(s, 1);
		out->rides = (long)sqlite3_column_int64(s, 2);
		out->cell_stays = (long)sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "counting presence data",
					     err);
}

enum cd_code store_person_visits(struct store *st, const char *rid,
				 int64_t from, int64_t to, store_visit_fn fn,
				 void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(
		st->db,
		"SELECT s.t_in, s.t_out, v.code, v.name, v.kind, u.code"
		" FROM scans s JOIN venues v ON v.id = s.venue_id"
		" JOIN units u ON u.id = v.unit_id"
		" WHERE s.person_id = (SELECT id FROM persons"
		"  WHERE resident_id = ?1) AND s.t_in >= ?2 AND s.t_in < ?3"
		" ORDER BY s.t_in", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading scans", err);
	store_bind_text(s, 1, rid);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	enum cd_code ret = CD_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_visit v;
		struct cd_err kerr;
		memset(&v, 0, sizeof v);
		v.t_in = sqlite3_column_int64(s, 0);
		v.t_out = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, v.venue.code, sizeof v.venue.code);
		store_col_text(s, 3, v.venue.name, sizeof v.venue.name);
		const char *k = (const char *)sqlite3_column_text(s, 4);
		if (venue_kind_parse(k ? k : "", &v.venue.kind, &kerr))
			v.venue.kind = VK_SHOP;
		store_col_text(s, 5, v.venue.unit, sizeof v.venue.unit);
		if ((ret = fn(ctx, &v)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, "reading scans", err);
	sqlite3_finalize(s);
	return ret;
}

enum cd_code store_person_rides(struct store *st, const char *rid,
				int32_t from, int32_t to, store_ride_fn fn,
				void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	char d0[11], d1[11];
	int rc = sqlite3_prepare_v2(
		st->db,
		"SELECT t.mode, t.route, t.date, t.departure, r.carriage,"
		" r.seat_row FROM rides r JOIN trips t ON t.id = r.trip_id"
		" WHERE r.person_id = (SELECT id FROM persons"
		"  WHERE resident_id = ?1) AND t.date BETWEEN ?2 AND ?3"
		" ORDER BY t.date, t.departure", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading rides", err);
	date_format(from, d0, sizeof d0);
	date_format(to, d1, sizeof d1);
	store_bind_text(s, 1, rid);
	store_bind_text(s, 2, d0);
	store_bind_text(s, 3, d1);
	enum cd_code ret = CD_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct trip_rec t;
		char date[11];
		int32_t day = 0;
		memset(&t, 0, sizeof t);
		snprintf(t.rid, sizeof t.rid, "%s", rid);
		const unsigned char *m = sqlite3_column_text(s, 0);
		t.mode = m && strcmp((const char *)m, "rail") == 0 ? TRIP_RAIL
								   : TRIP_BUS;
		store_col_text(s, 1, t.route, sizeof t.route);
		store_col_text(s, 2, date, sizeof date);
		t.date = date_parse(date, &day) ? day : 0;
		t.departure = sqlite3_column_int(s, 3);
		t.carriage = sqlite3_column_int(s, 4);
		t.seat_row = sqlite3_column_int(s, 5);
		if ((ret = fn(ctx, &t)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, "reading rides", err);
	sqlite3_finalize(s);
	return ret;
}
