/* store_contacts.c — SQL of traced contacts, their evidence, and the
 * contacts investigators add by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/sort.h"
#include "lib/banned.h"

static enum cd_code prep(struct store *st, const char *sql, sqlite3_stmt **s,
			 struct cd_err *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, "preparing", err);
}

enum cd_code store_case_ids(struct store *st, const char *number,
			    int64_t *case_id, uint32_t *person_id,
			    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "SELECT id, person_id FROM cases"
			       " WHERE number = ?1", &s, err);
	if (rc)
		return rc;
	store_bind_text(s, 1, number);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*case_id = sqlite3_column_int64(s, 0);
		*person_id = (uint32_t)sqlite3_column_int64(s, 1);
	} else if (r == SQLITE_DONE) {
		rc = cd_err_set(err, CD_ENOTFOUND, "no case %s", number);
	} else {
		rc = store_fail(st, r, "reading a case", err);
	}
	sqlite3_finalize(s);
	return rc;
}

enum cd_code store_case_persons(struct store *st, unsigned char *is_case,
				size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "SELECT person_id FROM cases", &s, err);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t p = sqlite3_column_int64(s, 0);
		if (p >= 0 && (size_t)p < n)
			is_case[p] = 1;
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK : store_fail(st, r, "reading cases", err);
}

enum cd_code store_manual_add(struct store *st, int64_t case_id,
			      uint32_t person_id, const char *reason,
			      int64_t at, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "INSERT INTO manual_contacts(case_id, "
			       "person_id, reason, added_at) VALUES (?1, ?2,"
			       " ?3, ?4) ON CONFLICT DO UPDATE SET reason ="
			       " excluded.reason", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, person_id);
	store_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, at);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "adding a contact", err);
}

/* Person ids of one query with ?1 = case_id. */
static enum cd_code person_ids(struct store *st, const char *sql,
			       int64_t case_id, uint32_t **persons, size_t *n,
			       struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t alloc = 0;
	*persons = NULL;
	*n = 0;
	enum cd_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, case_id);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		*persons = xgrow(*persons, sizeof **persons, *n + 1, &alloc);
		(*persons)[(*n)++] = (uint32_t)sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "reading contacts", err);
}

enum cd_code store_manual_list(struct store *st, int64_t case_id,
			       uint32_t **persons, size_t *n,
			       struct cd_err *err)
{
	return person_ids(st, "SELECT person_id FROM manual_contacts WHERE"
			  " case_id = ?1 ORDER BY person_id", case_id, persons,
			  n, err);
}

enum cd_code store_contact_persons(struct store *st, int64_t case_id,
				   uint32_t **ids, size_t *n,
				   struct cd_err *err)
{
	return person_ids(st, "SELECT person_id FROM contacts WHERE"
			  " case_id = ?1 ORDER BY person_id", case_id, ids, n,
			  err);
}

/* The stored contacts of a case, ordered by person, for the diff. */
static enum cd_code load_old(struct store *st, int64_t case_id,
			     struct store_contact **old, size_t *n,
			     struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t alloc = 0;
	*old = NULL;
	*n = 0;
	enum cd_code rc = prep(st, "SELECT person_id, category, via_person_id,"
			       " first_exposure, last_exposure, is_case FROM"
			       " contacts WHERE case_id = ?1 ORDER BY person_id",
			       &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, case_id);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		*old = xgrow(*old, sizeof **old, *n + 1, &alloc);
		struct store_contact *c = &(*old)[(*n)++];
		memset(c, 0, sizeof *c);
		c->person = (uint32_t)sqlite3_column_int64(s, 0);
		store_col_text(s, 1, c->category, sizeof c->category);
		c->via = (uint32_t)sqlite3_column_int64(s, 2);
		c->first = sqlite3_column_int64(s, 3);
		c->last = sqlite3_column_int64(s, 4);
		c->is_case = sqlite3_column_int(s, 5);
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "reading contacts", err);
}

static int by_person(const void *a, const void *b)
{
	const struct store_contact *x = a, *y = b;
	return (x->person > y->person) - (x->person < y->person);
}

/* Compare the new contacts with the stored ones. */
static void diff(const struct store_contact *old, size_t nold,
		 struct store_contact *cur, size_t ncur,
		 struct store_trace_diff *d)
{
	sort_array(cur, ncur, sizeof *cur, by_person);
	size_t i = 0, j = 0;
	memset(d, 0, sizeof *d);
	while (i < nold || j < ncur) {
		if (j == ncur || (i < nold && old[i].person < cur[j].person)) {
			d->removed++, i++;
		} else if (i == nold || cur[j].person < old[i].person) {
			d->added++, j++;
		} else {
			if (strcmp(old[i].category, cur[j].category) ||
			    old[i].first != cur[j].first ||
			    old[i].last != cur[j].last ||
			    old[i].via != cur[j].via)
				d->changed++;
			else
				d->unchanged++;
			i++, j++;
		}
	}
}

static enum cd_code exec_case(struct store *st, const char *sql,
			      int64_t case_id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, case_id);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? CD_OK
				: store_fail(st, r, "writing contacts", err);
}

static enum cd_code insert_all(struct store *st, int64_t case_id,
			       const struct store_contact *c, size_t n,
			       int64_t at, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "INSERT INTO contacts(case_id, person_id,"
			       " category, via_person_id, is_case,"
			       " first_exposure, last_exposure, traced_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &s,
			       err);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, case_id);
		sqlite3_bind_int64(s, 2, c[i].person);
		store_bind_text(s, 3, c[i].category);
		if (c[i].via)
			sqlite3_bind_int64(s, 4, c[i].via);
		else
			sqlite3_bind_null(s, 4);
		sqlite3_bind_int(s, 5, c[i].is_case);
		sqlite3_bind_int64(s, 6, c[i].first);
		sqlite3_bind_int64(s, 7, c[i].last);
		sqlite3_bind_int64(s, 8, at);
		int r = sqlite3_step(s);
		if (r != SQLITE_DONE)
			rc = store_fail(st, r, "writing contacts", err);
	}
	if (!rc || s)
		sqlite3_finalize(s);
	return rc;
}

static enum cd_code insert_evidence(struct store *st, int64_t case_id,
				    const struct store_evidence *e, size_t n,
				    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(st, "INSERT INTO contact_evidence(case_id,"
			       " person_id, kind, category, via_person_id,"
			       " place, start, end, overlap, detail) VALUES"
			       " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &s,
			       err);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, case_id);
		sqlite3_bind_int64(s, 2, e[i].person);
		store_bind_text(s, 3, e[i].kind);
		store_bind_text(s, 4, e[i].category);
		if (e[i].via)
			sqlite3_bind_int64(s, 5, e[i].via);
		else
			sqlite3_bind_null(s, 5);
		sqlite3_bind_int64(s, 6, e[i].place);
		sqlite3_bind_int64(s, 7, e[i].start);
		sqlite3_bind_int64(s, 8, e[i].end);
		sqlite3_bind_int64(s, 9, e[i].overlap);
		sqlite3_bind_int64(s, 10, e[i].detail);
		int r = sqlite3_step(s);
		if (r != SQLITE_DONE)
			rc = store_fail(st, r, "writing evidence", err);
	}
	if (!rc || s)
		sqlite3_finalize(s);
	return rc;
}

enum cd_code store_contacts_replace(struct store *st, int64_t case_id,
				    struct store_contact *c, size_t n,
				    const struct store_evidence *e, size_t ne,
				    int64_t at, struct store_trace_diff *d,
				    struct cd_err *err)
{
	struct store_contact *old = NULL;
	size_t nold = 0;
	enum cd_code rc = store_begin(st, err);
	if (rc)
		return rc;
	if (!(rc = load_old(st, case_id, &old, &nold, err))) {
		diff(old, nold, c, n, d);
		if (!(rc = exec_case(st, "DELETE FROM contact_evidence WHERE"
				     " case_id = ?1", case_id, err)) &&
		    !(rc = exec_case(st, "DELETE FROM contacts WHERE"
				     " case_id = ?1", case_id, err)) &&
		    !(rc = insert_all(st, case_id, c, n, at, err)) &&
		    !(rc = insert_evidence(st, case_id, e, ne, err)))
			rc = store_commit(st, err);
	}
	free(old);
	if (rc)
		store_rollback(st);
	return rc;
}

enum cd_code store_contacts_of(struct store *st, int64_t case_id,
			       store_contact_fn fn, void *ctx,
			       struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_code rc = prep(
		st,
		"SELECT c.person_id, c.category, c.via_person_id,"
		" c.first_exposure, c.last_exposure, c.is_case, p.resident_id,"
		" p.name, coalesce(v.resident_id, ''),"
		" (SELECT group_concat(DISTINCT e.kind) FROM contact_evidence e"
		"  WHERE e.case_id = c.case_id AND e.person_id = c.person_id"
		"  AND e.category = c.category)"
		" FROM contacts c JOIN persons p ON p.id = c.person_id"
		" LEFT JOIN persons v ON v.id = c.via_person_id"
		" WHERE c.case_id = ?1 ORDER BY CASE c.category WHEN 'close'"
		" THEN 0 WHEN 'secondary' THEN 1 WHEN 'companion' THEN 2 ELSE 3"
		" END, p.resident_id", &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, case_id);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_contact c;
		memset(&c, 0, sizeof c);
		c.person = (uint32_t)sqlite3_column_int64(s, 0);
		store_col_text(s, 1, c.category, sizeof c.category);
		c.via = (uint32_t)sqlite3_column_int64(s, 2);
		c.first = sqlite3_column_int64(s, 3);
		c.last = sqlite3_column_int64(s, 4);
		c.is_case = sqlite3_column_int(s, 5);
		store_col_text(s, 6, c.rid, sizeof c.rid);
		store_col_text(s, 7, c.name, sizeof c.name);
		store_col_text(s, 8, c.via_rid, sizeof c.via_rid);
		store_col_text(s, 9, c.kinds, sizeof c.kinds);
		if ((rc = fn(ctx, &c)))
			break;
	}
	sqlite3_finalize(s);
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading contacts", err);
	return rc;
}
