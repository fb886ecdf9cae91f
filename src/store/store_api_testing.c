/* store_api_testing.c — SQL the HTTP API needs for testing rounds beyond
 * store_rounds.c: the page of rounds overlapping a unit's subtree
 * (store.h, "api: testing"). */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

/* ?1 the scope unit code (NULL: every round), ?2 limit, ?3 offset. A
 * round overlaps the scope when one of its targets lies within the scope
 * (the scope is among the target's ancestors) or holds it (the target is
 * among the scope's), as store_key_within says for KEY_ROUND. */
#define ROUNDS_PAGE                                                       \
	"WITH sc(id, p1, p2, p3) AS (SELECT s1.id, s1.parent_id,"         \
	" s2.parent_id, s3.parent_id FROM units s1"                       \
	" LEFT JOIN units s2 ON s2.id = s1.parent_id"                     \
	" LEFT JOIN units s3 ON s3.id = s2.parent_id WHERE s1.code = ?1)" \
	" SELECT r.id, r.code, r.start_at, r.deadline, r.closed_at,"      \
	" (SELECT count(*) FROM round_units WHERE round_id = r.id),"      \
	" (SELECT group_concat(code, ',') FROM (SELECT u.code"            \
	"  FROM round_units ru JOIN units u ON u.id = ru.unit_id"         \
	"  WHERE ru.round_id = r.id ORDER BY u.code))"                    \
	" FROM test_rounds r WHERE ?1 IS NULL OR EXISTS (SELECT 1"        \
	"  FROM round_units ru JOIN units u1 ON u1.id = ru.unit_id"       \
	UP3("u1") " JOIN sc WHERE ru.round_id = r.id"                     \
	"  AND (sc.id IN " ANCESTORS("u1")                                \
	"   OR u1.id IN (sc.id, sc.p1, sc.p2, sc.p3)))"                   \
	" ORDER BY r.start_at IS NULL, r.start_at DESC, r.code"           \
	" LIMIT ?2 OFFSET ?3"

/* See store.h. */
enum cd_code store_api_rounds(struct store *st, const char *scope,
			      long limit, long offset, store_api_round_fn fn,
			      void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s = store_prep(st, ROUNDS_PAGE, "listing testing rounds",
				     err);
	if (!s)
		return err->code;
	if (scope)
		sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, limit);
	sqlite3_bind_int64(s, 3, offset);
	enum cd_code ret = CD_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_round r;
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, r.code, sizeof r.code);
		r.start = sqlite3_column_int64(s, 2);
		r.deadline = sqlite3_column_int64(s, 3);
		r.closed_at = sqlite3_column_int64(s, 4);
		r.targets = (long)sqlite3_column_int64(s, 5);
		const unsigned char *units = sqlite3_column_text(s, 6);
		if ((ret = fn(ctx, &r, units ? (const char *)units : "")))
			break;
	}
	sqlite3_finalize(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE || rc == SQLITE_ROW
		       ? CD_OK : store_fail(st, rc, "listing testing rounds", err);
}
