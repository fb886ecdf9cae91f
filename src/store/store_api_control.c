/* store_api_control.c — queries the HTTP API's quarantine handlers need
 * beyond store_quarantine.c: a page of plans filtered by the person's
 * unit, and a person's hamlet (every person the API sends names it). */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

/* ?1 status, ?2 open, ?3 group, ?4 case number, ?5 site, ?6 scope,
 * ?7 limit, ?8 offset. Every filter is off when its parameter is NULL. */
#define PAGE_SQL                                                          \
	"SELECT q.id, hu.code FROM quarantines q"                         \
	" JOIN persons p ON p.id = q.person_id"                            \
	" JOIN households h ON h.id = p.household_id"                      \
	" JOIN units hu ON hu.id = h.unit_id" UP3("hu")                    \
	" LEFT JOIN cases k ON k.id = q.case_id"                           \
	" LEFT JOIN rooms r ON r.id = q.room_id"                           \
	" LEFT JOIN sites s ON s.id = r.site_id"                           \
	" WHERE (?1 IS NULL OR q.status = ?1)"                             \
	" AND (?2 IS NULL OR q.status IN ('waiting', 'central', 'home'))"  \
	" AND (?3 IS NULL OR q.grp = ?3)"                                  \
	" AND (?4 IS NULL OR k.number = ?4)"                               \
	" AND (?5 IS NULL OR (s.code = ?5 AND q.status = 'central'))"      \
	" AND (?6 IS NULL OR (SELECT id FROM units WHERE code = ?6) IN"    \
	" " ANCESTORS("hu") ")"                                            \
	" ORDER BY q.id LIMIT ?7 OFFSET ?8"

/* See store/store.h. */
enum cd_code store_api_plan_page(struct store *st,
				 const struct store_api_plan_filter *f,
				 store_api_plan_fn fn, void *ctx,
				 struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(st, PAGE_SQL, "listing plans", err);
	if (!s)
		return err->code;
	if (f->status >= 0 && f->status < QS_COUNT)
		sqlite3_bind_text(s, 1, quarantine_status_name(f->status), -1,
				  SQLITE_STATIC);
	if (f->status == QS_COUNT)
		sqlite3_bind_int(s, 2, 1);
	if (f->grp >= 0 && f->grp < QG_COUNT)
		sqlite3_bind_text(s, 3, quarantine_group_name(f->grp), -1,
				  SQLITE_STATIC);
	store_bind_text(s, 4, f->case_number);
	store_bind_text(s, 5, f->site);
	store_bind_text(s, 6, f->scope);
	sqlite3_bind_int64(s, 7, f->limit);
	sqlite3_bind_int64(s, 8, f->offset);
	enum cd_code rc = CD_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		char hamlet[UNIT_CODE_MAX];
		store_col_text(s, 1, hamlet, sizeof hamlet);
		if ((rc = fn(ctx, sqlite3_column_int64(s, 0), hamlet)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "listing plans", err);
	return rc;
}

/* See store/store.h. */
enum cd_code store_api_plan_hamlet(struct store *st, uint32_t person,
				   char *hamlet, struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(st, "SELECT u.code FROM persons p JOIN"
				     " households h ON h.id = p.household_id"
				     " JOIN units u ON u.id = h.unit_id"
				     " WHERE p.id = ?1", "finding a hamlet",
				     err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, person);
	int r = sqlite3_step(s);
	enum cd_code rc = CD_OK;
	if (r == SQLITE_ROW)
		store_col_text(s, 0, hamlet, UNIT_CODE_MAX);
	else if (r == SQLITE_DONE)
		rc = cd_err_set(err, CD_ENOTFOUND, "no person %lu",
				(unsigned long)person);
	else
		rc = store_fail(st, r, "finding a hamlet", err);
	sqlite3_finalize(s);
	return rc;
}
