/* store_query.c — read-only queries over the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

static sqlite3_stmt *prepare(struct store *st, const char *sql,
			     struct cd_err *err)
{
	return store_prep(st, sql, "querying", err);
}

static enum unit_kind kind_of(sqlite3_stmt *s, int col)
{
	const char *k = (const char *)sqlite3_column_text(s, col);
	int v = k ? unit_kind_from_name(k) : -1;
	return v < 0 ? UK_HAMLET : (enum unit_kind)v;
}

enum cd_code store_unit_get(struct store *st, const char *code,
			    struct unit_rec *out, struct cd_err *err)
{
	sqlite3_stmt *s = prepare(
		st,
		"SELECT u.code, u.name, u.level, u.kind, p.code FROM units u "
		"LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ?1",
		err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	enum cd_code ret = CD_OK;
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->code, sizeof out->code);
		store_col_text(s, 1, out->name, sizeof out->name);
		out->level = (enum unit_level)sqlite3_column_int(s, 2);
		out->kind = kind_of(s, 3);
		store_col_text(s, 4, out->parent, sizeof out->parent);
	} else if (rc == SQLITE_DONE) {
		ret = cd_err_set(err, CD_ENOTFOUND, "no unit with code %s",
				 code);
	} else {
		ret = store_fail(st, rc, "reading a unit", err);
	}
	sqlite3_finalize(s);
	return ret;
}

/* The units sql (?1 code; prepared for ctx) selects into *nodes (the
 * caller's to free), the first without a parent: columns id, parent_id,
 * code, name, level, kind, depth, households, persons and, when there
 * are 11, the subtree's households and persons. CD_ENOTFOUND naming code
 * when there are none; what names a failed read. */
static enum cd_code read_nodes(struct store *st, const char *sql,
			       const char *ctx, const char *code,
			       const char *what, struct unit_node **nodes,
			       size_t *n, struct cd_err *err)
{
	*nodes = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prep(st, sql, ctx, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	bool totals = sqlite3_column_count(s) > 9;
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*nodes = xgrow(*nodes, sizeof **nodes, *n + 1, &alloc);
		struct unit_node *u = &(*nodes)[(*n)++];
		memset(u, 0, sizeof *u);
		u->id = (long)sqlite3_column_int64(s, 0);
		u->parent_id = *n == 1 ? 0 : (long)sqlite3_column_int64(s, 1);
		store_col_text(s, 2, u->code, sizeof u->code);
		store_col_text(s, 3, u->name, sizeof u->name);
		u->level = (enum unit_level)sqlite3_column_int(s, 4);
		u->kind = kind_of(s, 5);
		u->depth = sqlite3_column_int(s, 6);
		u->households = (long)sqlite3_column_int64(s, 7);
		u->persons = (long)sqlite3_column_int64(s, 8);
		if (totals) {
			u->total_households = (long)sqlite3_column_int64(s, 9);
			u->total_persons = (long)sqlite3_column_int64(s, 10);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*nodes);
		*nodes = NULL;
		*n = 0;
		return store_fail(st, rc, what, err);
	}
	if (*n == 0)
		return cd_err_set(err, CD_ENOTFOUND, "no unit with code %s",
				  code);
	return CD_OK;
}

enum cd_code store_unit_tree(struct store *st, const char *code,
			     struct unit_node **nodes, size_t *n,
			     struct cd_err *err)
{
	return read_nodes(
		st,
		"WITH RECURSIVE sub(id, depth) AS ("
		" SELECT id, 0 FROM units WHERE code = ?1"
		" UNION ALL SELECT u.id, sub.depth + 1 FROM units u"
		" JOIN sub ON u.parent_id = sub.id),"
		"hh AS (SELECT h.unit_id, count(*) AS households,"
		" sum((SELECT count(*) FROM persons p"
		"      WHERE p.household_id = h.id)) AS persons"
		" FROM households h WHERE h.unit_id IN (SELECT id FROM sub)"
		" GROUP BY h.unit_id) "
		"SELECT u.id, u.parent_id, u.code, u.name, u.level, u.kind,"
		" sub.depth, coalesce(hh.households, 0), coalesce(hh.persons, 0)"
		" FROM sub JOIN units u ON u.id = sub.id"
		" LEFT JOIN hh ON hh.unit_id = u.id ORDER BY u.code", "querying",
		code, "reading the unit tree", nodes, n, err);
}

enum cd_code store_unit_children(struct store *st, const char *code,
				 struct unit_node **nodes, size_t *n,
				 struct cd_err *err)
{
	/* Every unit below a child counts towards that child (top). */
	enum cd_code rc = read_nodes(
		st,
		"WITH RECURSIVE top(id) AS (SELECT id FROM units WHERE code = ?1),"
		" sub(id, top) AS (SELECT id, id FROM units"
		"  WHERE parent_id = (SELECT id FROM top)"
		"  UNION ALL SELECT u.id, sub.top FROM units u"
		"  JOIN sub ON u.parent_id = sub.id),"
		" hh AS (SELECT sub.top AS top, count(*) AS households,"
		"  sum((SELECT count(*) FROM persons p"
		"       WHERE p.household_id = h.id)) AS persons"
		"  FROM sub JOIN households h ON h.unit_id = sub.id"
		"  GROUP BY sub.top) "
		"SELECT c.id, c.parent_id, c.code, c.name, c.level, c.kind,"
		" c.id <> (SELECT id FROM top) AS depth,"
		" (SELECT count(*) FROM households h WHERE h.unit_id = c.id),"
		" (SELECT count(*) FROM households h JOIN persons p"
		"  ON p.household_id = h.id WHERE h.unit_id = c.id),"
		" coalesce(hh.households, 0), coalesce(hh.persons, 0)"
		" FROM units c LEFT JOIN hh ON hh.top = c.id"
		" WHERE c.id = (SELECT id FROM top)"
		" OR c.parent_id = (SELECT id FROM top)"
		" ORDER BY depth, c.code", "querying the registry", code,
		"reading a unit's children", nodes, n, err);
	if (rc)
		return rc;
	/* The top's totals: its own households and its children's. */
	struct unit_node *top = &(*nodes)[0];
	top->total_households = top->households;
	top->total_persons = top->persons;
	for (size_t i = 1; i < *n; i++) {
		top->total_households += (*nodes)[i].total_households;
		top->total_persons += (*nodes)[i].total_persons;
	}
	return CD_OK;
}

enum cd_code store_person_get(struct store *st, const char *rid,
			      struct person_view *out, struct cd_err *err)
{
	sqlite3_stmt *s = prepare(
		st,
		"SELECT p.resident_id, p.name, p.sex, p.birth_date, p.phone,"
		" h.code, p.groups, hm.code, hm.name, v.name, t.name, c.name,"
		" h.address FROM persons p"
		" JOIN households h ON h.id = p.household_id"
		" JOIN units hm ON hm.id = h.unit_id"
		" JOIN units v ON v.id = hm.parent_id"
		" JOIN units t ON t.id = v.parent_id"
		" JOIN units c ON c.id = t.parent_id"
		" WHERE p.resident_id = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, rid);
	int rc = sqlite3_step(s);
	enum cd_code ret = CD_OK;
	if (rc == SQLITE_ROW) {
		char birth[11];
		memset(out, 0, sizeof *out);
		store_col_text(s, 0, out->p.rid, sizeof out->p.rid);
		store_col_text(s, 1, out->p.name, sizeof out->p.name);
		const unsigned char *sex = sqlite3_column_text(s, 2);
		out->p.sex = sex && sex[0] == 'M' ? 'M' : 'F';
		store_col_text(s, 3, birth, sizeof birth);
		int32_t b = 0;
		out->p.birth = date_parse(birth, &b) ? b : 0;
		store_col_text(s, 4, out->p.phone, sizeof out->p.phone);
		store_col_text(s, 5, out->p.household,
			       sizeof out->p.household);
		out->p.groups = sqlite3_column_int(s, 6);
		store_col_text(s, 7, out->hamlet, sizeof out->hamlet);
		store_col_text(s, 8, out->hamlet_name, sizeof out->hamlet_name);
		store_col_text(s, 9, out->village_name,
			       sizeof out->village_name);
		store_col_text(s, 10, out->town_name, sizeof out->town_name);
		store_col_text(s, 11, out->county_name,
			       sizeof out->county_name);
		store_col_text(s, 12, out->address, sizeof out->address);
	} else if (rc == SQLITE_DONE) {
		ret = cd_err_set(err, CD_ENOTFOUND,
				 "no person with that resident ID");
	} else {
		ret = store_fail(st, rc, "reading a person", err);
	}
	sqlite3_finalize(s);
	return ret;
}

enum cd_code store_venues_under(struct store *st, const char *code,
				store_venue_fn fn, void *ctx,
				struct cd_err *err)
{
	struct unit_rec u;
	enum cd_code ret = store_unit_get(st, code, &u, err);
	if (ret)
		return ret;
	sqlite3_stmt *s = prepare(
		st,
		"WITH RECURSIVE sub(id) AS ("
		" SELECT id FROM units WHERE code = ?1"
		" UNION ALL SELECT u.id FROM units u"
		" JOIN sub ON u.parent_id = sub.id) "
		"SELECT v.code, v.name, v.kind, u.code, v.lat, v.lon"
		" FROM venues v JOIN units u ON u.id = v.unit_id"
		" WHERE v.unit_id IN (SELECT id FROM sub) ORDER BY v.code",
		err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct venue_rec v;
		struct cd_err kerr;
		memset(&v, 0, sizeof v);
		store_col_text(s, 0, v.code, sizeof v.code);
		store_col_text(s, 1, v.name, sizeof v.name);
		const char *k = (const char *)sqlite3_column_text(s, 2);
		if (venue_kind_parse(k ? k : "", &v.kind, &kerr))
			v.kind = VK_SHOP;
		store_col_text(s, 3, v.unit, sizeof v.unit);
		v.has_coord = sqlite3_column_type(s, 4) != SQLITE_NULL;
		v.lat = sqlite3_column_double(s, 4);
		v.lon = sqlite3_column_double(s, 5);
		if ((ret = fn(ctx, &v)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, "reading venues", err);
	sqlite3_finalize(s);
	return ret;
}

enum cd_code store_counts(struct store *st, struct store_counts *out,
			  struct cd_err *err)
{
	sqlite3_stmt *s = prepare(
		st,
		"SELECT (SELECT count(*) FROM units),"
		" (SELECT count(*) FROM households),"
		" (SELECT count(*) FROM persons),"
		" (SELECT count(*) FROM venues),"
		" (SELECT count(*) FROM grid_workers)", err);
	if (!s)
		return err->code;
	int rc = sqlite3_step(s);
	enum cd_code ret = CD_OK;
	if (rc == SQLITE_ROW) {
		out->units = (long)sqlite3_column_int64(s, 0);
		out->households = (long)sqlite3_column_int64(s, 1);
		out->persons = (long)sqlite3_column_int64(s, 2);
		out->venues = (long)sqlite3_column_int64(s, 3);
		out->grid_workers = (long)sqlite3_column_int64(s, 4);
	} else {
		ret = store_fail(st, rc, "counting", err);
	}
	sqlite3_finalize(s);
	return ret;
}
