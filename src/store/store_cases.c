/* store_cases.c — SQL of cases: numbering per county, add, update,
 * look-ups and lists (store.h, "cases"). */
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The columns read_row reads, and the joins that give them. */
#define CASE_SELECT \
	"SELECT c.number, p.resident_id, c.class, c.clinical_type," \
	" c.imported, c.found, c.onset, c.sampling, c.reported, c.isolated," \
	" c.hospital, c.outcome, c.outcome_date, c.converted, p.name," \
	" hm.code, cu.code FROM cases c" \
	" JOIN persons p ON p.id = c.person_id" \
	" JOIN households h ON h.id = p.household_id" \
	" JOIN units hm ON hm.id = h.unit_id" \
	" JOIN units cu ON cu.id = c.county_id "

/* The columns of a case as written, ?1..?12, shared by add and update. */
#define CASE_COLS \
	"class, clinical_type, imported, found, onset, sampling, reported," \
	" isolated, hospital, outcome, outcome_date, converted"

/* A constraint (the one-open-case index, a check) is a conflict with what
 * is stored; anything else is the store's usual mapping. */
static enum cd_code case_fail(struct store *st, int rc, const char *what,
			      struct cd_err *err)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return cd_err_set(err, CD_ECONFLICT, "%s: %s conflicts with "
				  "stored data (%s)", st->path, what,
				  sqlite3_errmsg(st->db));
	return store_fail(st, rc, what, err);
}

static void bind_date(sqlite3_stmt *s, int i, int32_t day)
{
	char buf[16];
	if (!day) {
		sqlite3_bind_null(s, i);
		return;
	}
	date_format(day, buf, sizeof buf);
	sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static int32_t col_date(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int32_t day = 0;
	return t && date_parse((const char *)t, &day) ? day : 0;
}

static void bind_case(sqlite3_stmt *s, const struct case_rec *c)
{
	sqlite3_bind_text(s, 1, case_class_name(c->cls), -1, SQLITE_STATIC);
	store_bind_text(s, 2, case_ctype_name(c->ctype));
	sqlite3_bind_int(s, 3, c->origin == ORIGIN_IMPORTED);
	sqlite3_bind_text(s, 4, case_found_name(c->found), -1, SQLITE_STATIC);
	bind_date(s, 5, c->onset);
	bind_date(s, 6, c->sampling);
	sqlite3_bind_int64(s, 7, c->reported);
	if (c->isolated)
		sqlite3_bind_int64(s, 8, c->isolated);
	store_bind_text(s, 9, c->hospital);
	store_bind_text(s, 10, case_outcome_name(c->outcome));
	bind_date(s, 11, c->outcome_date);
	bind_date(s, 12, c->converted);
}

/* Fill out from a row of CASE_SELECT. Unknown names (a damaged row) fall
 * back to the first value rather than failing a whole list. */
static void read_row(sqlite3_stmt *s, struct store_case_view *out)
{
	struct case_rec *c = &out->c;
	char buf[32];
	memset(out, 0, sizeof *out);
	store_col_text(s, 0, c->number, sizeof c->number);
	store_col_text(s, 1, c->rid, sizeof c->rid);
	store_col_text(s, 2, buf, sizeof buf);
	if (case_class_parse(buf, &c->cls, NULL))
		c->cls = CASE_CONFIRMED;
	store_col_text(s, 3, buf, sizeof buf);
	if (!buf[0] || case_ctype_parse(buf, &c->ctype, NULL))
		c->ctype = CT_NONE;
	c->origin = sqlite3_column_int(s, 4) ? ORIGIN_IMPORTED : ORIGIN_LOCAL;
	store_col_text(s, 5, buf, sizeof buf);
	if (case_found_parse(buf, &c->found, NULL))
		c->found = FOUND_OTHER;
	c->onset = col_date(s, 6);
	c->sampling = col_date(s, 7);
	c->reported = sqlite3_column_int64(s, 8);
	c->isolated = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, c->hospital, sizeof c->hospital);
	store_col_text(s, 11, buf, sizeof buf);
	if (!buf[0] || case_outcome_parse(buf, &c->outcome, NULL))
		c->outcome = OUTCOME_NONE;
	c->outcome_date = col_date(s, 12);
	c->converted = col_date(s, 13);
	store_col_text(s, 14, out->name, sizeof out->name);
	store_col_text(s, 15, out->hamlet, sizeof out->hamlet);
	store_col_text(s, 16, out->county, sizeof out->county);
}

/* The person's id and the id and code of the county they live in. */
static enum cd_code person_county(struct store *st, const char *rid,
				  sqlite3_int64 *person, sqlite3_int64 *county,
				  char *code, size_t len, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CASE_PERSON,
		"SELECT p.id, cu.id, cu.code FROM persons p"
		" JOIN households h ON h.id = p.household_id"
		" JOIN units hm ON hm.id = h.unit_id"
		" JOIN units v ON v.id = hm.parent_id"
		" JOIN units t ON t.id = v.parent_id"
		" JOIN units cu ON cu.id = t.parent_id"
		" WHERE p.resident_id = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, rid);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no person with that "
				  "resident ID (import the person first)");
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "looking up a person", err);
	*person = sqlite3_column_int64(s, 0);
	*county = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, code, len);
	sqlite3_reset(s);
	return CD_OK;
}

/* CD_ECONFLICT naming the person's case not closed by a cure, if any. */
static enum cd_code check_no_open_case(struct store *st, sqlite3_int64 person,
				       struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CASE_OPEN,
		"SELECT number, outcome FROM cases WHERE person_id = ?1"
		" AND outcome IS NOT 'cured'", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, person);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return CD_OK;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "looking up the person's cases", err);
	char number[CASE_NUMBER_MAX];
	int died = sqlite3_column_type(s, 1) != SQLITE_NULL;
	store_col_text(s, 0, number, sizeof number);
	sqlite3_reset(s);
	if (died)
		return cd_err_set(err, CD_ECONFLICT, "the person's case %s "
				  "ended in death; no new case can be added",
				  number);
	return cd_err_set(err, CD_ECONFLICT, "the person already has case %s "
			  "(one infection, one case): update it instead",
			  number);
}

/* The county's next sequence number, counted in case_counters. */
static enum cd_code next_seq(struct store *st, sqlite3_int64 county,
			     long *seq, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CASE_SEQ,
		"INSERT INTO case_counters(county_id, last) VALUES (?1, 1)"
		" ON CONFLICT(county_id) DO UPDATE SET last = last + 1"
		" RETURNING last", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, county);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "numbering a case", err);
	*seq = (long)sqlite3_column_int64(s, 0);
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "numbering a case", err);
	return CD_OK;
}

static enum cd_code case_insert(struct store *st, struct case_rec *c,
				struct cd_err *err)
{
	sqlite3_int64 person = 0, county = 0;
	char code[UNIT_CODE_MAX], number[CASE_NUMBER_MAX];
	long seq = 0;
	enum cd_code rc;
	if ((rc = person_county(st, c->rid, &person, &county, code,
				sizeof code, err)) ||
	    (rc = check_no_open_case(st, person, err)) ||
	    (rc = next_seq(st, county, &seq, err)))
		return rc;
	case_number_format(code, seq, number, sizeof number);
	sqlite3_stmt *s = store_stmt(
		st, STMT_CASE_ADD,
		"INSERT INTO cases(" CASE_COLS ", number, county_id, seq,"
		" person_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15, ?16)", err);
	if (!s)
		return err->code;
	bind_case(s, c);
	sqlite3_bind_text(s, 13, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 14, county);
	sqlite3_bind_int64(s, 15, seq);
	sqlite3_bind_int64(s, 16, person);
	int src = sqlite3_step(s);
	if (src != SQLITE_DONE)
		return case_fail(st, src, "adding a case", err);
	snprintf(c->number, sizeof c->number, "%s", number);
	return CD_OK;
}

/* See store.h. Opens its own transaction only when the caller has none. */
enum cd_code store_case_add(struct store *st, struct case_rec *c,
			    struct cd_err *err)
{
	int own = !st->tx_depth || sqlite3_get_autocommit(st->db);
	enum cd_code rc;
	if (own && (rc = store_begin(st, err)))
		return rc;
	rc = case_insert(st, c, err);
	if (own) {
		if (rc)
			store_rollback(st);
		else
			rc = store_commit(st, err);
	}
	if (rc)
		c->number[0] = '\0';
	return rc;
}

/* See store.h. */
enum cd_code store_case_update(struct store *st, const struct case_rec *c,
			       struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(
		st, STMT_CASE_UPDATE,
		"UPDATE cases SET (" CASE_COLS ") = (?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8, ?9, ?10, ?11, ?12) WHERE number = ?13", err);
	if (!s)
		return err->code;
	bind_case(s, c);
	store_bind_text(s, 13, c->number);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		return case_fail(st, rc, "updating a case", err);
	if (sqlite3_changes(st->db) == 0)
		return cd_err_set(err, CD_ENOTFOUND, "no case numbered %s",
				  c->number);
	return CD_OK;
}

/* One row of a cached CASE_SELECT query keyed by ?1. */
static enum cd_code get_one(struct store *st, enum stmt_id id,
			    const char *sql, const char *key,
			    struct store_case_view *out, struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, id, sql, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return CD_ENOTFOUND;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, "reading a case", err);
	read_row(s, out);
	sqlite3_reset(s);
	return CD_OK;
}

/* See store.h. */
enum cd_code store_case_get(struct store *st, const char *number,
			    struct store_case_view *out, struct cd_err *err)
{
	enum cd_code rc = get_one(st, STMT_CASE_BY_NUMBER,
				  CASE_SELECT "WHERE c.number = ?1", number,
				  out, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "no case numbered %s", number);
	return rc;
}

/* See store.h: the case not closed by a cure first, then the latest. */
enum cd_code store_case_get_by_rid(struct store *st, const char *rid,
				   struct store_case_view *out,
				   struct cd_err *err)
{
	enum cd_code rc = get_one(
		st, STMT_CASE_BY_RID,
		CASE_SELECT "WHERE p.resident_id = ?1"
		" ORDER BY c.outcome IS NOT 'cured' DESC, c.id DESC LIMIT 1",
		rid, out, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "no case for that resident ID");
	return rc;
}

/* See store.h. Prepared per call: lists are not on a hot path. */
enum cd_code store_case_list(struct store *st,
			     const struct store_case_filter *f,
			     store_case_fn fn, void *ctx, struct cd_err *err)
{
	struct unit_rec u;
	enum cd_code ret = CD_OK;
	const char *unit = f->unit && *f->unit ? f->unit : NULL;
	if (unit && (ret = store_unit_get(st, unit, &u, err)))
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(
		st->db,
		"WITH RECURSIVE sub(id) AS ("
		" SELECT id FROM units WHERE code = ?1"
		" UNION ALL SELECT u.id FROM units u"
		" JOIN sub ON u.parent_id = sub.id) "
		CASE_SELECT
		"WHERE (?1 IS NULL OR hm.id IN (SELECT id FROM sub))"
		" AND (?2 IS NULL OR c.class = ?2)"
		" ORDER BY cu.code, c.seq LIMIT ?3 OFFSET ?4", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "listing cases", err);
	store_bind_text(s, 1, unit);
	if (!f->any_class)
		sqlite3_bind_text(s, 2, case_class_name(f->cls), -1,
				  SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(s, 4, f->offset > 0 ? f->offset : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_case_view v;
		read_row(s, &v);
		if ((ret = fn(ctx, &v)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, rc, "listing cases", err);
	sqlite3_finalize(s);
	return ret;
}
