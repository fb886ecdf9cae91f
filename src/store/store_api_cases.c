/* store_api_cases.c — queries the HTTP API's cases group needs beyond the
 * CLI's: a person in brief by either key, and a case's contacts with
 * their hamlets, filtered to a unit and paged (store.h, "api: cases"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

/* The registry id a key of digits names; 0 when it is not one. */
static int64_t registry_id(const char *key)
{
	size_t n = strlen(key);
	if (!n || n > 10 || strspn(key, "0123456789") != n)
		return 0;
	return strtoll(key, NULL, 10);
}

#define BRIEF_SQL                                                         \
	"SELECT p.id, p.resident_id, p.name, coalesce(p.phone, ''), hm.code" \
	" FROM persons p JOIN households h ON h.id = p.household_id"        \
	" JOIN units hm ON hm.id = h.unit_id WHERE "

enum cd_code store_person_brief(struct store *st, const char *key,
				struct store_person_brief *out,
				struct cd_err *err)
{
	bool by_rid = strlen(key) == 18;
	int64_t id = by_rid ? 0 : registry_id(key);
	if (!by_rid && !id)
		return cd_err_set(err, CD_ENOTFOUND, "no person '%s'", key);
	/* Cached: every checkpoint verification starts here. */
	sqlite3_stmt *s = by_rid ? store_stmt(st, STMT_BRIEF_BY_RID,
					      BRIEF_SQL "p.resident_id = ?1",
					      err)
				 : store_stmt(st, STMT_BRIEF_BY_ID,
					      BRIEF_SQL "p.id = ?1", err);
	if (!s)
		return err->code;
	if (by_rid)
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	enum cd_code rc = CD_OK;
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = (uint32_t)sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->rid, sizeof out->rid);
		store_col_text(s, 2, out->name, sizeof out->name);
		store_col_text(s, 3, out->phone, sizeof out->phone);
		store_col_text(s, 4, out->hamlet, sizeof out->hamlet);
	} else if (r == SQLITE_DONE) {
		rc = cd_err_set(err, CD_ENOTFOUND, "no person '%s'", key);
	} else {
		rc = store_fail(st, r, "looking up a person", err);
	}
	sqlite3_reset(s);
	return rc;
}

/* The joins that give a contact's hamlet u1 and its ancestors, and the
 * condition "u1 lies under unit ?3 (NULL: anywhere)". */
#define CONTACT_PLACE                                                    \
	" FROM contacts c JOIN persons p ON p.id = c.person_id"          \
	" JOIN households h ON h.id = p.household_id"                    \
	" JOIN units u1 ON u1.id = h.unit_id" UP3("u1")
#define UNDER_UNIT                                                       \
	" AND (?3 IS NULL OR (SELECT id FROM units WHERE code = ?3) IN "   \
	ANCESTORS("u1") ")"

enum cd_code store_contact_list(struct store *st, int64_t case_id,
				const struct store_contact_filter *f,
				store_contact_row_fn fn, void *ctx,
				struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(
		st,
		"SELECT c.person_id, c.category, c.via_person_id,"
		" c.first_exposure, c.last_exposure, c.is_case, p.resident_id,"
		" p.name, coalesce(v.resident_id, ''),"
		" (SELECT group_concat(DISTINCT e.kind) FROM contact_evidence e"
		"  WHERE e.case_id = c.case_id AND e.person_id = c.person_id"
		"  AND e.category = c.category), u1.code,"
		" coalesce(vu.code, ''), coalesce(v.name, '')"
		CONTACT_PLACE
		" LEFT JOIN persons v ON v.id = c.via_person_id"
		" LEFT JOIN households vh ON vh.id = v.household_id"
		" LEFT JOIN units vu ON vu.id = vh.unit_id"
		" WHERE c.case_id = ?1 AND (?2 IS NULL OR c.category = ?2)"
		UNDER_UNIT
		" ORDER BY CASE c.category WHEN 'close' THEN 0 WHEN 'secondary'"
		" THEN 1 WHEN 'companion' THEN 2 ELSE 3 END, p.resident_id"
		" LIMIT ?4 OFFSET ?5", "listing contacts", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, case_id);
	store_bind_text(s, 2, f->category);
	store_bind_text(s, 3, f->unit);
	sqlite3_bind_int64(s, 4, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(s, 5, f->offset > 0 ? f->offset : 0);
	enum cd_code rc = CD_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_contact_row row;
		struct store_contact *c = &row.c;
		memset(&row, 0, sizeof row);
		c->person = (uint32_t)sqlite3_column_int64(s, 0);
		store_col_text(s, 1, c->category, sizeof c->category);
		c->via = (uint32_t)sqlite3_column_int64(s, 2);
		c->first = sqlite3_column_int64(s, 3);
		c->last = sqlite3_column_int64(s, 4);
		c->is_case = sqlite3_column_int(s, 5);
		store_col_text(s, 6, c->rid, sizeof c->rid);
		store_col_text(s, 7, c->name, sizeof c->name);
		store_col_text(s, 8, c->via_rid, sizeof c->via_rid);
		store_col_text(s, 9, c->kinds, sizeof c->kinds);
		store_col_text(s, 10, row.hamlet, sizeof row.hamlet);
		store_col_text(s, 11, row.via_hamlet, sizeof row.via_hamlet);
		store_col_text(s, 12, row.via_name, sizeof row.via_name);
		if ((rc = fn(ctx, &row)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "listing contacts", err);
	sqlite3_finalize(s);
	return rc;
}

enum cd_code store_contact_counts(struct store *st, int64_t case_id,
				  const char *unit, long counts[4],
				  struct cd_err *err)
{
	static const char *const cats[4] = { "close", "secondary",
					     "companion", "general" };
	sqlite3_stmt *s = store_prep(
		st,
		"SELECT c.category, count(*)" CONTACT_PLACE
		" WHERE c.case_id = ?1" UNDER_UNIT
		" GROUP BY c.category", "counting contacts", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, case_id);
	store_bind_text(s, 3, unit);
	memset(counts, 0, 4 * sizeof *counts);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(s, 0);
		for (int k = 0; k < 4; k++)
			if (cat && !strcmp(cat, cats[k]))
				counts[k] = (long)sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "counting contacts", err);
}
