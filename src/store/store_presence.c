/* store_presence.c — SQL of presence data: venue scans, vehicle rides,
 * telecom cell stays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

static enum cd_code step_done(struct store *st, sqlite3_stmt *s,
			      const char *what, struct cd_err *err)
{
	int rc = sqlite3_step(s);
	return rc == SQLITE_DONE ? CD_OK : store_fail(st, rc, what, err);
}

enum cd_code store_trip_id(struct store *st, const struct trip_rec *t,
			   int64_t *id, struct cd_err *err)
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

enum cd_code store_presence_counts(struct store *st,
				   struct store_presence_counts *out,
				   struct cd_err *err)
{
	struct pindex ix;
	long n[PS_COUNT];
	for (int i = 0; i < PS_COUNT; i++) {
		enum cd_code rc = store_presence_open(st, (enum psource)i, &ix,
						      err);
		if (rc)
			return rc;
		n[i] = (long)ix.nrows;
	}
	memset(out, 0, sizeof *out);
	out->scans = n[PS_SCANS];
	out->rides = n[PS_RIDES];
	out->cell_stays = n[PS_CELLS];
	out->proximity = n[PS_PROXIMITY] / 2;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM trips", -1,
				    &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "counting trips", err);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->trips = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "counting trips", err);
}

enum cd_code store_person_id(struct store *st, const char *rid, uint32_t *id,
			     struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM persons WHERE "
				    "resident_id = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "finding a person", err);
	store_bind_text(s, 1, rid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = (uint32_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND,
				  "no person with that resident ID");
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "finding a person", err);
}

/* Fill v->venue from the registry by venue id. */
static enum cd_code venue_by_id(struct store *st, sqlite3_stmt *s,
				uint32_t id, struct venue_rec *v,
				struct cd_err *err)
{
	struct cd_err kerr;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
				  "reading a venue of a scan", err);
	memset(v, 0, sizeof *v);
	store_col_text(s, 0, v->code, sizeof v->code);
	store_col_text(s, 1, v->name, sizeof v->name);
	const char *k = (const char *)sqlite3_column_text(s, 2);
	if (venue_kind_parse(k ? k : "", &v->kind, &kerr))
		v->kind = VK_SHOP;
	store_col_text(s, 3, v->unit, sizeof v->unit);
	return CD_OK;
}

enum cd_code store_person_visits(struct store *st, const char *rid,
				 int64_t from, int64_t to, store_visit_fn fn,
				 void *ctx, struct cd_err *err)
{
	uint32_t pid;
	struct pindex ix;
	size_t n;
	enum cd_code rc;
	if ((rc = store_person_id(st, rid, &pid, err)) ||
	    (rc = store_presence_open(st, PS_SCANS, &ix, err)))
		return rc;
	sqlite3_stmt *s;
	int src = sqlite3_prepare_v2(
		st->db,
		"SELECT v.code, v.name, v.kind, u.code FROM venues v"
		" JOIN units u ON u.id = v.unit_id WHERE v.id = ?1", -1, &s,
		NULL);
	if (src != SQLITE_OK)
		return store_fail(st, src, "reading venues", err);
	const uint32_t *rows = pindex_person(&ix, pid, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct prow *r = &ix.rows[rows[i]];
		int64_t t = ptime_to(r->start);
		if (t < from || t >= to)
			continue;
		struct store_visit v;
		v.t_in = t;
		v.t_out = r->end ? ptime_to(r->end) : 0;
		if (!(rc = venue_by_id(st, s, r->key, &v.venue, err)))
			rc = fn(ctx, &v);
	}
	sqlite3_finalize(s);
	return rc;
}

enum cd_code store_person_rides(struct store *st, const char *rid,
				int32_t from, int32_t to, store_ride_fn fn,
				void *ctx, struct cd_err *err)
{
	uint32_t pid;
	struct pindex ix;
	size_t n;
	enum cd_code rc;
	if ((rc = store_person_id(st, rid, &pid, err)) ||
	    (rc = store_presence_open(st, PS_RIDES, &ix, err)))
		return rc;
	sqlite3_stmt *s;
	int src = sqlite3_prepare_v2(st->db, "SELECT mode, route, date,"
				     " departure FROM trips WHERE id = ?1",
				     -1, &s, NULL);
	if (src != SQLITE_OK)
		return store_fail(st, src, "reading trips", err);
	const uint32_t *rows = pindex_person(&ix, pid, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct prow *r = &ix.rows[rows[i]];
		struct trip_rec t;
		char date[11];
		int32_t day = 0;
		memset(&t, 0, sizeof t);
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, r->key);
		if ((src = sqlite3_step(s)) != SQLITE_ROW) {
			rc = store_fail(st, src == SQLITE_DONE ? SQLITE_CORRUPT
							       : src,
					"reading a trip", err);
			break;
		}
		snprintf(t.rid, sizeof t.rid, "%s", rid);
		const unsigned char *m = sqlite3_column_text(s, 0);
		t.mode = m && strcmp((const char *)m, "rail") == 0 ? TRIP_RAIL
								   : TRIP_BUS;
		store_col_text(s, 1, t.route, sizeof t.route);
		store_col_text(s, 2, date, sizeof date);
		t.date = date_parse(date, &day) ? day : 0;
		t.departure = sqlite3_column_int(s, 3);
		t.carriage = (int)(r->aux >> 16);
		t.seat_row = (int)(r->aux & 0xffff);
		if (t.date >= from && t.date <= to)
			rc = fn(ctx, &t);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Run a one-off query and hand each row to fn. */
static enum cd_code each_row(struct store *st, const char *sql,
			     void (*fn)(void *ctx, sqlite3_stmt *s), void *ctx,
			     const char *what, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, what, err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(ctx, s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK : store_fail(st, rc, what, err);
}

struct key_acc {
	void *arr;
	size_t n, alloc;
};

static void person_row(void *ctx, sqlite3_stmt *s)
{
	struct key_acc *a = ctx;
	struct store_person_key *k;
	a->arr = xgrow(a->arr, sizeof *k, a->n + 1, &a->alloc);
	k = (struct store_person_key *)a->arr + a->n++;
	const char *rid = (const char *)sqlite3_column_text(s, 1);
	const char *phone = (const char *)sqlite3_column_text(s, 2);
	k->id = (uint32_t)sqlite3_column_int64(s, 0);
	k->household = (uint32_t)sqlite3_column_int64(s, 3);
	k->rid = rid ? store_rid_key(rid) : 0;
	k->phone = phone ? strtoull(phone, NULL, 10) : 0;
}

enum cd_code store_person_keys(struct store *st, struct store_person_key **out,
			       size_t *n, struct cd_err *err)
{
	struct key_acc a = { NULL, 0, 0 };
	enum cd_code rc = each_row(st,
				   "SELECT id, resident_id, phone, household_id"
				   " FROM persons ORDER BY id", person_row, &a,
				   "reading persons", err);
	*out = a.arr;
	*n = a.n;
	return rc;
}

static void venue_row(void *ctx, sqlite3_stmt *s)
{
	struct key_acc *a = ctx;
	struct store_venue_key *k;
	struct cd_err e;
	a->arr = xgrow(a->arr, sizeof *k, a->n + 1, &a->alloc);
	k = (struct store_venue_key *)a->arr + a->n++;
	memset(k, 0, sizeof *k);
	k->id = (uint32_t)sqlite3_column_int64(s, 0);
	store_col_text(s, 1, k->code, sizeof k->code);
	const char *kind = (const char *)sqlite3_column_text(s, 2);
	if (venue_kind_parse(kind ? kind : "", &k->kind, &e))
		k->kind = VK_SHOP;
}

enum cd_code store_venue_keys(struct store *st, struct store_venue_key **out,
			      size_t *n, struct cd_err *err)
{
	struct key_acc a = { NULL, 0, 0 };
	enum cd_code rc = each_row(st, "SELECT id, code, kind FROM venues"
				   " ORDER BY code", venue_row, &a,
				   "reading venues", err);
	*out = a.arr;
	*n = a.n;
	return rc;
}

static void trip_row(void *ctx, sqlite3_stmt *s)
{
	struct key_acc *a = ctx;
	uint32_t id = (uint32_t)sqlite3_column_int64(s, 0);
	a->arr = xgrow(a->arr, 1, (size_t)id + 1, &a->alloc);
	if ((size_t)id + 1 > a->n) {
		memset((char *)a->arr + a->n, 0, (size_t)id + 1 - a->n);
		a->n = (size_t)id + 1;
	}
	const unsigned char *m = sqlite3_column_text(s, 1);
	((unsigned char *)a->arr)[id] =
		m && strcmp((const char *)m, "rail") == 0 ? TRIP_RAIL : TRIP_BUS;
}

enum cd_code store_trip_modes(struct store *st, unsigned char **modes,
			      size_t *n, struct cd_err *err)
{
	struct key_acc a = { NULL, 0, 0 };
	enum cd_code rc = each_row(st, "SELECT id, mode FROM trips", trip_row,
				   &a, "reading trips", err);
	*modes = a.arr;
	*n = a.n;
	return rc;
}

uint64_t store_rid_key(const char *rid)
{
	uint64_t v = 0;
	for (int i = 0; i < 17 && rid[i] >= '0' && rid[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(rid[i] - '0');
	return v;
}
