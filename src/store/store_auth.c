/* store_auth.c — SQL of accounts, sessions, jurisdiction and the audit log
 * (store.h, "accounts ..."; schema_auth.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

static sqlite3_stmt *prep(struct store *st, const char *sql,
			  struct cd_err *err)
{
	return store_prep(st, sql, "preparing a query on accounts", err);
}

/* Step s expecting one row or none: CD_OK with *row set. */
static enum cd_code step_row(struct store *st, sqlite3_stmt *s, bool *row,
			     const char *what, struct cd_err *err)
{
	int rc = sqlite3_step(s);
	*row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum cd_code c = store_fail(st, rc, what, err);
		sqlite3_finalize(s);
		return c;
	}
	return CD_OK;
}

/* ---- users */

#define USER_COLS                                                         \
	"SELECT u.id, u.name, u.role, coalesce(n.code, ''),"              \
	" coalesce(n.name, ''), coalesce(p.resident_id, ''), u.unmask,"    \
	" u.disabled, u.failed, u.last_failed_at, u.locked_until,"        \
	" u.created_at, u.pw_hash FROM users u"                           \
	" LEFT JOIN units n ON n.id = u.unit_id"                          \
	" LEFT JOIN persons p ON p.id = u.person_id"

static void user_row(sqlite3_stmt *s, struct store_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, u->name, sizeof u->name);
	store_col_text(s, 2, u->role, sizeof u->role);
	store_col_text(s, 3, u->unit, sizeof u->unit);
	store_col_text(s, 4, u->unit_name, sizeof u->unit_name);
	store_col_text(s, 5, u->rid, sizeof u->rid);
	u->unmask = sqlite3_column_int(s, 6);
	u->disabled = sqlite3_column_int(s, 7);
	u->failed = sqlite3_column_int(s, 8);
	u->last_failed_at = sqlite3_column_int64(s, 9);
	u->locked_until = sqlite3_column_int64(s, 10);
	u->created_at = sqlite3_column_int64(s, 11);
	store_col_text(s, 12, u->pw_hash, sizeof u->pw_hash);
}

enum cd_code store_user_add(struct store *st, struct store_user *u,
			    struct cd_err *err)
{
	long n;
	enum cd_code rc;
	sqlite3_stmt *s;
	bool row;
	if ((rc = store_user_count(st, &n, err)))
		return rc;
	s = prep(st, "SELECT 1 FROM users WHERE name = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
	if ((rc = step_row(st, s, &row, "looking up a user", err)))
		return rc;
	sqlite3_finalize(s);
	if (row)
		return cd_err_set(err, CD_ECONFLICT,
				  "a user named '%s' already exists", u->name);
	s = prep(st, "INSERT INTO users(name, role, unit_id, person_id,"
		 " unmask, pw_hash, created_at) VALUES (?1, ?2,"
		 " (SELECT id FROM units WHERE code = ?3),"
		 " (SELECT id FROM persons WHERE resident_id = ?4), ?5, ?6, ?7)",
		 err);
	if (!s)
		return err->code;
	sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, u->role, -1, SQLITE_STATIC);
	store_bind_text(s, 3, u->unit);
	store_bind_text(s, 4, u->rid);
	sqlite3_bind_int(s, 5, u->unmask);
	sqlite3_bind_text(s, 6, u->pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, u->created_at);
	/* Check the codes first so the error names the one missing. */
	if (u->unit[0]) {
		bool in;
		if ((rc = store_unit_within(st, u->unit, "", &in, err))) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	if (u->rid[0]) {
		char rid[19];
		if ((rc = store_person_rid(st, u->rid, rid, err))) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	if ((rc = store_step_done(st, s, "adding a user", err)))
		return rc;
	u->id = sqlite3_last_insert_rowid(st->db);
	return CD_OK;
}

static enum cd_code user_get(struct store *st, const char *where,
			     const char *name, int64_t id,
			     struct store_user *out, struct cd_err *err)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "%s WHERE %s", USER_COLS, where);
	sqlite3_stmt *s = prep(st, sql, err);
	if (!s)
		return err->code;
	if (name)
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	bool row;
	enum cd_code rc = step_row(st, s, &row, "reading a user", err);
	if (rc)
		return rc;
	if (row)
		user_row(s, out);
	sqlite3_finalize(s);
	if (!row)
		return name ? cd_err_set(err, CD_ENOTFOUND,
					 "no user named '%s'", name)
			    : cd_err_set(err, CD_ENOTFOUND, "no user %lld",
					 (long long)id);
	return CD_OK;
}

enum cd_code store_user_get(struct store *st, const char *name,
			    struct store_user *out, struct cd_err *err)
{
	return user_get(st, "u.name = ?1", name, 0, out, err);
}

enum cd_code store_user_get_id(struct store *st, int64_t id,
			       struct store_user *out, struct cd_err *err)
{
	return user_get(st, "u.id = ?1", NULL, id, out, err);
}

enum cd_code store_user_set(struct store *st, const struct store_user *u,
			    struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE users SET pw_hash = ?2,"
			       " disabled = ?3, unmask = ?4, failed = ?5,"
			       " last_failed_at = ?6, locked_until = ?7"
			       " WHERE id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, u->id);
	sqlite3_bind_text(s, 2, u->pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, u->disabled);
	sqlite3_bind_int(s, 4, u->unmask);
	sqlite3_bind_int(s, 5, u->failed);
	sqlite3_bind_int64(s, 6, u->last_failed_at);
	sqlite3_bind_int64(s, 7, u->locked_until);
	return store_step_done(st, s, "updating a user", err);
}

enum cd_code store_user_list(struct store *st, store_user_fn fn, void *ctx,
			     struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, USER_COLS " ORDER BY u.name", err);
	if (!s)
		return err->code;
	enum cd_code rc = CD_OK;
	int r;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_user u;
		user_row(s, &u);
		rc = fn(ctx, &u);
	}
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "listing users", err);
	sqlite3_finalize(s);
	return rc;
}

enum cd_code store_user_count(struct store *st, long *n, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "SELECT count(*) FROM users", err);
	if (!s)
		return err->code;
	bool row;
	enum cd_code rc = step_row(st, s, &row, "counting users", err);
	if (rc)
		return rc;
	*n = row ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return CD_OK;
}

/* ---- sessions */

enum cd_code store_session_add(struct store *st,
			       const struct store_session *ss,
			       struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO sessions(token_hash,"
			       " csrf_hash, user_id, created_at, last_seen,"
			       " expires_at, ip) VALUES (?1, ?2, ?3, ?4, ?4,"
			       " ?5, ?6)", err);
	if (!s)
		return err->code;
	sqlite3_bind_blob(s, 1, ss->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, ss->csrf_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, ss->user);
	sqlite3_bind_int64(s, 4, ss->created_at);
	sqlite3_bind_int64(s, 5, ss->expires_at);
	sqlite3_bind_text(s, 6, ss->ip, -1, SQLITE_STATIC);
	return store_step_done(st, s, "adding a session", err);
}

enum cd_code store_session_get(struct store *st, const unsigned char *hash,
			       struct store_session *out, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "SELECT csrf_hash, user_id, created_at,"
			       " last_seen, expires_at,"
			       " coalesce(revoked_at, 0), ip FROM sessions"
			       " WHERE token_hash = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	bool row;
	enum cd_code rc = step_row(st, s, &row, "reading a session", err);
	if (rc)
		return rc;
	if (row) {
		memset(out, 0, sizeof *out);
		memcpy(out->token_hash, hash, 32);
		if (sqlite3_column_bytes(s, 0) == 32)
			memcpy(out->csrf_hash, sqlite3_column_blob(s, 0), 32);
		out->user = sqlite3_column_int64(s, 1);
		out->created_at = sqlite3_column_int64(s, 2);
		out->last_seen = sqlite3_column_int64(s, 3);
		out->expires_at = sqlite3_column_int64(s, 4);
		out->revoked_at = sqlite3_column_int64(s, 5);
		store_col_text(s, 6, out->ip, sizeof out->ip);
	}
	sqlite3_finalize(s);
	return row ? CD_OK : cd_err_set(err, CD_ENOTFOUND, "no such session");
}

enum cd_code store_session_touch(struct store *st, const unsigned char *hash,
				 int64_t at, struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, "UPDATE sessions SET last_seen = ?2"
			       " WHERE token_hash = ?1 AND last_seen < ?2",
			       err);
	if (!s)
		return err->code;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at);
	return store_step_done(st, s, "touching a session", err);
}

enum cd_code store_session_revoke(struct store *st, const unsigned char *hash,
				  int64_t user, int64_t at,
				  struct cd_err *err)
{
	sqlite3_stmt *s = prep(st, hash ? "UPDATE sessions SET revoked_at = ?2"
				     " WHERE token_hash = ?1 AND revoked_at"
				     " IS NULL"
				   : "UPDATE sessions SET revoked_at = ?2"
				     " WHERE user_id = ?3 AND revoked_at"
				     " IS NULL", err);
	if (!s)
		return err->code;
	if (hash)
		sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at);
	if (!hash)
		sqlite3_bind_int64(s, 3, user);
	return store_step_done(st, s, "revoking sessions", err);
}

/* ---- jurisdiction */

/* Per kind: the record exists (?1 the key) and the units it lies in or
 * overlaps. */
struct key_query {
	const char *what, *exists, *places;
	bool overlap;
};
static const struct key_query key_sql[KEY_COUNT] = {
	[KEY_PERSON] = { "person", "SELECT 1 FROM persons WHERE id = ?1",
			 "SELECT h.unit_id FROM persons p JOIN households h"
			 " ON h.id = p.household_id WHERE p.id = ?1", false },
	[KEY_UNIT] = { "unit", "SELECT 1 FROM units WHERE code = ?1",
		       "SELECT id FROM units WHERE code = ?1", false },
	[KEY_HOUSEHOLD] = { "household",
			    "SELECT 1 FROM households WHERE code = ?1",
			    "SELECT unit_id FROM households WHERE code = ?1",
			    false },
	[KEY_VENUE] = { "venue", "SELECT 1 FROM venues WHERE code = ?1",
			"SELECT unit_id FROM venues WHERE code = ?1", false },
	[KEY_CASE] = { "case", "SELECT 1 FROM cases WHERE number = ?1",
		       "SELECT h.unit_id FROM cases c JOIN persons p"
		       " ON p.id = c.person_id JOIN households h"
		       " ON h.id = p.household_id WHERE c.number = ?1", false },
	[KEY_TUBE] = { "tube", "SELECT 1 FROM samples WHERE tube = ?1",
		       "SELECT h.unit_id FROM samples s JOIN sample_members m"
		       " ON m.sample_id = s.id JOIN persons p"
		       " ON p.id = m.person_id JOIN households h"
		       " ON h.id = p.household_id WHERE s.tube = ?1", false },
	[KEY_ROUND] = { "round", "SELECT 1 FROM test_rounds WHERE code = ?1",
			"SELECT ru.unit_id FROM test_rounds r JOIN round_units"
			" ru ON ru.round_id = r.id WHERE r.code = ?1", true },
	[KEY_ZONE] = { "zone", "SELECT 1 FROM zones WHERE id = ?1",
		       "SELECT a.unit_id FROM zone_areas a WHERE a.zone_id = ?1"
		       " AND a.unit_id IS NOT NULL UNION ALL SELECT v.unit_id"
		       " FROM zone_areas a JOIN venues v ON v.id = a.venue_id"
		       " WHERE a.zone_id = ?1", true },
	[KEY_PROPOSAL] = { "zone proposal",
			   "SELECT 1 FROM zone_proposals WHERE id = ?1",
			   "SELECT a.unit_id FROM zones z JOIN zone_areas a"
			   " ON a.zone_id = z.id WHERE a.unit_id IS NOT NULL"
			   " AND z.proposal_id = ?1 UNION ALL SELECT a.unit_id"
			   " FROM zone_proposals p JOIN zone_areas a"
			   " ON a.zone_id = p.zone_id WHERE p.id = ?1"
			   " AND a.unit_id IS NOT NULL UNION ALL SELECT"
			   " v.unit_id FROM zones z JOIN zone_areas a"
			   " ON a.zone_id = z.id JOIN venues v"
			   " ON v.id = a.venue_id WHERE z.proposal_id = ?1",
			   true },
	[KEY_SITE] = { "quarantine site", "SELECT 1 FROM sites WHERE code = ?1",
		       "SELECT unit_id FROM sites WHERE code = ?1", false },
	[KEY_USER] = { "user", "SELECT 1 FROM users WHERE name = ?1",
		       "SELECT unit_id FROM users WHERE name = ?1", false },
};

/* A key given as text, bound as the kind's column wants: persons by
 * registry id, zones and proposals by number ("Z0001", "P0001" or
 * digits). 0 when the text cannot name one. */
static int64_t key_number(enum store_key kind, const char *key)
{
	const char *p = key;
	if ((kind == KEY_ZONE && *p == 'Z') ||
	    (kind == KEY_PROPOSAL && *p == 'P'))
		p++;
	if (!*p || strlen(p) > 12)
		return 0;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return 0;
	return strtoll(p, NULL, 10);
}

/* The statements below are cached (store_stmt): the API checks every
 * person, unit and venue a request names or a reply holds, so these run
 * several times per request. Each is reset after its one row. */
enum cd_code store_person_rid(struct store *st, const char *key, char *rid,
			      struct cd_err *err)
{
	bool by_rid = strlen(key) == 18;
	int64_t id = by_rid ? 0 : key_number(KEY_PERSON, key);
	sqlite3_stmt *s = store_stmt(st, by_rid ? STMT_RID_BY_RID
						: STMT_RID_BY_ID,
				     by_rid ? "SELECT resident_id FROM persons"
					      " WHERE resident_id = ?1"
					    : "SELECT resident_id FROM persons"
					      " WHERE id = ?1", err);
	if (!s)
		return err->code;
	if (by_rid)
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, rid, 19);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no person '%s'", key);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "looking up a person", err);
}

/* A person named by resident ID rather than registry id: one query
 * instead of a look-up of the id first. */
static const struct key_query person_by_rid = {
	"person", "SELECT 1 FROM persons WHERE resident_id = ?1",
	"SELECT h.unit_id FROM persons p JOIN households h"
	" ON h.id = p.household_id WHERE p.resident_id = ?1", false
};

/* The parent of unit id (0 for a root), looked up once per connection. */
static enum cd_code unit_parent(struct store *st, int64_t id, int64_t *parent,
				struct cd_err *err)
{
	if (id > 0 && (size_t)id < st->nunit_parent && st->unit_parent[id]) {
		*parent = st->unit_parent[id] - 1;
		return CD_OK;
	}
	sqlite3_stmt *s = store_stmt(st, STMT_UNIT_PARENT, "SELECT parent_id"
				     " FROM units WHERE id = ?1", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*parent = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, "checking jurisdiction", err);
	if (rc == SQLITE_ROW && id > 0 && id < (int64_t)1 << 32) {
		if ((size_t)id >= st->nunit_parent) {
			size_t n = st->nunit_parent ? st->nunit_parent : 1024;
			while (n <= (size_t)id)
				n *= 2;
			int64_t *p = realloc(st->unit_parent, n * sizeof *p);
			if (!p)
				return CD_OK;  /* not remembered: still right */
			memset(p + st->nunit_parent, 0,
			       (n - st->nunit_parent) * sizeof *p);
			st->unit_parent = p;
			st->nunit_parent = n;
		}
		st->unit_parent[id] = *parent + 1;
	}
	return CD_OK;
}

/* Whether unit a is unit b or lies under it. */
static enum cd_code unit_under(struct store *st, int64_t a, int64_t b,
			       bool *under, struct cd_err *err)
{
	*under = false;
	/* The hierarchy has four levels; a few more steps guard against a
	 * cycle no import can make. */
	for (int depth = 0; a > 0 && depth < 16; depth++) {
		if (a == b) {
			*under = true;
			return CD_OK;
		}
		enum cd_code rc = unit_parent(st, a, &a, err);
		if (rc)
			return rc;
	}
	return CD_OK;
}

enum cd_code store_key_within(struct store *st, enum store_key kind,
			      const char *key, const char *scope,
			      bool *within, struct cd_err *err)
{
	*within = false;
	if (kind <= KEY_NONE || kind >= KEY_COUNT)
		return cd_err_set(err, CD_EINVAL, "no key of kind %d", kind);
	const struct key_query *k = &key_sql[kind];
	int slot = kind;
	int64_t num = 0;
	if (kind == KEY_PERSON && strlen(key) == 18) {
		k = &person_by_rid;
		slot = KEY_COUNT;
	} else if (kind == KEY_PERSON || kind == KEY_ZONE ||
		   kind == KEY_PROPOSAL) {
		if (!(num = key_number(kind, key)))
			return cd_err_set(err, CD_ENOTFOUND, "no %s '%s'",
					  k->what, key);
	}
	/* The scope's id: the same user's unit request after request. */
	int64_t sid = 0;
	enum cd_code rc;
	if (scope && scope[0] && strcmp(st->scope_code, scope)) {
		sqlite3_int64 id = 0;
		rc = store_unit_id(st, scope, &id, err);
		if (rc && rc != CD_ENOTFOUND)
			return rc;
		if (!rc && strlen(scope) < sizeof st->scope_code) {
			snprintf(st->scope_code, sizeof st->scope_code, "%s",
				 scope);
			st->scope_id = id;
		}
		sid = rc ? 0 : id;
	} else if (scope && scope[0]) {
		sid = st->scope_id;
	}
	/* The units the record lies in (or overlaps): within when the scope
	 * is one of them or above one; overlapping also when one is above
	 * the scope. Without a scope, everything is within. */
	sqlite3_stmt *s = store_stmt(st, (enum stmt_id)(STMT_KEY_WITHIN + slot),
				     k->places, err);
	if (!s)
		return err->code;
	if (num)
		sqlite3_bind_int64(s, 1, num);
	else
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	bool exists = false;
	int r;
	rc = CD_OK;
	while (!rc && !*within && (r = sqlite3_step(s)) == SQLITE_ROW) {
		exists = true;
		int64_t uid = sqlite3_column_int64(s, 0);
		if (!scope || !scope[0]) {
			*within = true;
		} else if (sid && uid) {
			rc = unit_under(st, uid, sid, within, err);
			if (!rc && !*within && k->overlap)
				rc = unit_under(st, sid, uid, within, err);
		}
	}
	sqlite3_reset(s);
	if (rc)
		return rc;
	if (!exists && r != SQLITE_DONE)
		return store_fail(st, r, "checking jurisdiction", err);
	if (!exists) {
		/* A record in no unit (a zone without areas yet) is there,
		 * but within only an unbounded scope. */
		if (!(s = store_stmt(st, (enum stmt_id)(STMT_KEY_EXISTS + slot),
				     k->exists, err)))
			return err->code;
		if (num)
			sqlite3_bind_int64(s, 1, num);
		else
			sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		r = sqlite3_step(s);
		exists = r == SQLITE_ROW;
		sqlite3_reset(s);
		if (r != SQLITE_ROW && r != SQLITE_DONE)
			return store_fail(st, r, "checking jurisdiction", err);
		*within = exists && (!scope || !scope[0]);
	}
	return exists ? CD_OK
		      : cd_err_set(err, CD_ENOTFOUND, "no %s '%s'", k->what,
				   key);
}

enum cd_code store_unit_within(struct store *st, const char *code,
			       const char *scope, bool *within,
			       struct cd_err *err)
{
	return store_key_within(st, KEY_UNIT, code, scope, within, err);
}

/* ---- audit */

enum cd_code store_audit_add(struct store *st, const struct store_audit *a,
			     struct cd_err *err)
{
	if (st->deferring && !st->tx_depth) {
		struct store_row row = { .kind = ROW_AUDIT, .u.audit = *a };
		return store_defer_row(st, &row, err);
	}
	return store_audit_insert(st, a, err);
}

enum cd_code store_audit_insert(struct store *st, const struct store_audit *a,
				struct cd_err *err)
{
	/* Cached: every change through the API writes one. */
	sqlite3_stmt *s = store_stmt(st, STMT_AUDIT_ADD, "INSERT INTO"
				     " audit_log(at, user, role, ip, action,"
				     " method, path, target, status, detail)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				     " ?9, ?10)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, a->at);
	sqlite3_bind_text(s, 2, a->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, a->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, a->ip, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, a->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, a->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, a->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, a->target, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, a->status);
	sqlite3_bind_text(s, 10, a->detail, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "writing the audit log",
					      err);
}

enum cd_code store_audit_list(struct store *st,
			      const struct store_audit_filter *f,
			      store_audit_fn fn, void *ctx,
			      struct cd_err *err)
{
	sqlite3_stmt *s = prep(
		st, "SELECT id, at, user, role, ip, action, method, path,"
		" target, status, detail FROM audit_log"
		" WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR action = ?2)"
		" AND (?3 IS NULL OR substr(target, 1, length(?3)) = ?3)"
		" AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at < ?5)"
		" ORDER BY id DESC LIMIT ?6", err);
	if (!s)
		return err->code;
	if (f->user)
		sqlite3_bind_text(s, 1, f->user, -1, SQLITE_STATIC);
	if (f->action)
		sqlite3_bind_text(s, 2, f->action, -1, SQLITE_STATIC);
	if (f->target)
		sqlite3_bind_text(s, 3, f->target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, f->from);
	sqlite3_bind_int64(s, 5, f->to);
	sqlite3_bind_int64(s, 6, f->limit > 0 ? f->limit : -1);
	enum cd_code rc = CD_OK;
	int r;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_audit a;
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(s, 0);
		a.at = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, a.user, sizeof a.user);
		store_col_text(s, 3, a.role, sizeof a.role);
		store_col_text(s, 4, a.ip, sizeof a.ip);
		store_col_text(s, 5, a.action, sizeof a.action);
		store_col_text(s, 6, a.method, sizeof a.method);
		store_col_text(s, 7, a.path, sizeof a.path);
		store_col_text(s, 8, a.target, sizeof a.target);
		a.status = sqlite3_column_int(s, 9);
		store_col_text(s, 10, a.detail, sizeof a.detail);
		rc = fn(ctx, &a);
	}
	if (!rc && r != SQLITE_DONE)
		rc = store_fail(st, r, "reading the audit log", err);
	sqlite3_finalize(s);
	return rc;
}
