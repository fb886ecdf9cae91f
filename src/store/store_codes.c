/* store_codes.c — SQL of health codes: the facts of a set of people in a
 * few joins (through a temporary table of their ids), the stored codes
 * and their history, and checkpoint passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/trace.h"
#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/sort.h"
#include "lib/banned.h"

static enum cd_code run(struct store *st, const char *sql, struct cd_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CD_OK : store_fail(st, rc, "codes", err);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Position of person p in the sorted ids, or n. */
static size_t slot_of(const uint32_t *ids, size_t n, uint32_t p)
{
	const uint32_t *hit = search_array(&p, ids, n, sizeof *ids, u32_cmp);
	return hit ? (size_t)(hit - ids) : n;
}

typedef void (*row_fn)(struct code_facts *f, sqlite3_stmt *s, void *ctx);

static void f_case(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	struct cd_err e;
	(void)ctx;
	f->has_case = true;
	const char *cls = (const char *)sqlite3_column_text(s, 1);
	if (case_class_parse(cls ? cls : "", &f->case_class, &e))
		f->case_class = CASE_CONFIRMED;
	store_col_text(s, 2, f->case_number, sizeof f->case_number);
}

static void f_contact(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	(void)ctx;
	int cat = sqlite3_column_int(s, 1);
	if (f->contact_cat >= 0 && cat >= f->contact_cat)
		return;
	f->contact_cat = cat;
	store_col_text(s, 2, f->contact_case, sizeof f->contact_case);
	f->contact_last = sqlite3_column_int64(s, 3);
}

static int32_t day_col(sqlite3_stmt *s, int col)
{
	int32_t d = 0;
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t && date_parse(t, &d) ? d : 0;
}

static void f_quarantine(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	(void)ctx;
	store_col_text(s, 1, f->q_group, sizeof f->q_group);
	store_col_text(s, 2, f->q_status, sizeof f->q_status);
	f->q_central_end = day_col(s, 3);
	f->q_home_end = day_col(s, 4);
	f->q_monitoring_end = day_col(s, 5);
	f->q_missed_tests = sqlite3_column_int(s, 6);
}

static void f_planned(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	const char *number = (const char *)sqlite3_column_text(s, 1);
	(void)ctx;
	if (number && !strcmp(number, f->contact_case))
		f->q_planned_for_contact = true;
}

static void f_pool(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	(void)ctx;
	f->pool_controlled = true;
	store_col_text(s, 1, f->pool_tube, sizeof f->pool_tube);
}

static void f_result(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	int64_t at = sqlite3_column_int64(s, 1), window = (intptr_t)ctx;
	const char *r = (const char *)sqlite3_column_text(s, 2);
	if (!f->contact_last || at < f->contact_last ||
	    at >= f->contact_last + window || !r)
		return;
	if (!strcmp(r, "negative"))
		f->negatives_since_exposure++;
	else if (!strcmp(r, "positive"))
		f->positive_since_exposure = true;
}

static void f_fever(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	(void)ctx;
	f->checkpoint_fever = sqlite3_column_double(s, 2);
	f->checkpoint_fever_at = sqlite3_column_int64(s, 1);
}

/* The most severe active zone holding the person's hamlet; the lowest id
 * among equals. */
static void f_zone(struct code_facts *f, sqlite3_stmt *s, void *ctx)
{
	(void)ctx;
	int level = sqlite3_column_int(s, 1);
	if (level <= f->zone_level)
		return;
	f->zone_level = level;
	snprintf(f->zone_code, sizeof f->zone_code, "Z%04lld",
		 (long long)sqlite3_column_int64(s, 2));
}

/* The fact queries name their people t (t.person_id): the temporary
 * table code_targets when there are many, the one bound as ?4 otherwise.
 * The people come first in every join (CROSS JOIN fixes the order):
 * left to itself SQLite scanned cases, contacts, passes and the rest
 * whole and probed the targets for each row, a full scan per
 * verification. Every query's first column is the person; ?1 is now, ?2
 * today as text, ?3 seconds of the clearing window. */
#define T_MANY "code_targets t"
#define T_ONE "(SELECT ?4 AS person_id) t"

#define Q_CASE(T)                                                        \
	"SELECT c.person_id, c.class, c.number FROM " T " CROSS JOIN"    \
	" cases c ON c.person_id = t.person_id WHERE c.outcome IS NULL"
/* The first of equal categories wins: by case, as the table is kept. */
#define Q_CONTACT(T)                                                     \
	"SELECT k.person_id, CASE k.category WHEN 'close' THEN 0 WHEN"  \
	" 'secondary' THEN 1 WHEN 'companion' THEN 2 ELSE 3 END,"         \
	" c.number, k.last_exposure FROM " T " CROSS JOIN contacts k ON"  \
	" k.person_id = t.person_id JOIN cases c ON c.id = k.case_id"     \
	" WHERE k.is_case = 0 ORDER BY t.person_id, k.case_id"
/* The open plan (waiting, central, home) gives its part; a released
 * plan still inside its health monitoring gives "monitoring"; upgraded
 * and replanned plans are superseded. Missed tests count on the open
 * plan only. */
#define Q_QUARANTINE(T)                                                  \
	"SELECT q.person_id, q.grp, CASE WHEN q.status IN ('waiting',"    \
	" 'central', 'home') THEN q.status ELSE 'monitoring' END,"        \
	" q.central_end, q.home_end, q.monitoring_end, CASE WHEN q.status" \
	" = 'released' THEN 0 ELSE (SELECT count(*) FROM quarantine_tests" \
	" qt WHERE qt.quarantine_id = q.id AND qt.date < ?2 AND NOT"      \
	" EXISTS (SELECT 1 FROM sample_members m JOIN samples s ON s.id =" \
	" m.sample_id WHERE m.person_id = q.person_id AND"                \
	" date(s.sampled_at, 'unixepoch', '+8 hours') = qt.date)) END"    \
	" FROM " T " CROSS JOIN quarantines q ON q.person_id ="          \
	" t.person_id WHERE q.status IN ('waiting', 'central', 'home') OR" \
	" (q.status = 'released' AND q.monitoring_end >= ?2) ORDER BY q.id"
#define Q_PLANNED(T)                                                     \
	"SELECT q.person_id, c.number FROM " T " CROSS JOIN quarantines q" \
	" ON q.person_id = t.person_id JOIN cases c ON c.id = q.case_id"
#define Q_POOL(T)                                                        \
	"SELECT pc.person_id, s.tube FROM " T " CROSS JOIN pool_controls" \
	" pc ON pc.person_id = t.person_id JOIN samples s ON s.id ="      \
	" pc.sample_id WHERE pc.resolved_at IS NULL ORDER BY t.person_id," \
	" pc.sample_id"
#define Q_RESULT(T)                                                      \
	"SELECT m.person_id, s.sampled_at, r.result FROM " T " CROSS JOIN" \
	" sample_members m ON m.person_id = t.person_id JOIN samples s ON" \
	" s.id = m.sample_id JOIN results r ON r.sample_id = s.id"
/* The latest temperature of the last day wins (the last row). */
#define Q_FEVER(T)                                                       \
	"SELECT p.person_id, p.at, p.temperature FROM " T " CROSS JOIN"   \
	" checkpoint_passes p ON p.person_id = t.person_id WHERE p.at >"  \
	" ?1 - 86400 AND p.temperature IS NOT NULL ORDER BY t.person_id," \
	" p.at, p.id"
#define Q_ZONE(T)                                                        \
	"SELECT t.person_id, z.level, z.id FROM " T " CROSS JOIN persons" \
	" p ON p.id = t.person_id JOIN households h ON h.id ="            \
	" p.household_id JOIN units u1 ON u1.id = h.unit_id" UP3("u1")    \
	" JOIN zone_areas a ON a.unit_id IN " ANCESTORS("u1")             \
	" JOIN zones z ON z.id = a.zone_id AND z.status = 'active' WHERE" \
	" EXISTS (SELECT 1 FROM zones WHERE status = 'active') ORDER BY"  \
	" z.id"

/* For one person only the latest such pass is read: someone who passes
 * a checkpoint many times a day would otherwise make every verification
 * read all of that day's passes. */
#define Q_FEVER_ONE                                                      \
	"SELECT p.person_id, p.at, p.temperature FROM checkpoint_passes p" \
	" WHERE p.person_id = ?4 AND p.at > ?1 - 86400 AND p.temperature" \
	" IS NOT NULL ORDER BY p.at DESC, p.id DESC LIMIT 1"

#define FACT_QUERIES(T, FEVER)                                           \
	{ Q_CASE(T), Q_CONTACT(T), Q_QUARANTINE(T), Q_PLANNED(T),         \
	  Q_POOL(T), Q_RESULT(T), FEVER, Q_ZONE(T) }

static const char *const fact_sql[2][STORE_FACT_QUERIES] = {
	FACT_QUERIES(T_ONE, Q_FEVER_ONE),
	FACT_QUERIES(T_MANY, Q_FEVER(T_MANY)),
};
static const row_fn fact_row[STORE_FACT_QUERIES] = {
	f_case, f_contact, f_quarantine, f_planned,
	f_pool, f_result, f_fever, f_zone,
};

/* Run fact query q for one person (ids[0]) or for those in code_targets,
 * applying its row function to each row's facts. */
static enum cd_code each(struct store *st, int q, bool one,
			 const uint32_t *ids, size_t n,
			 struct code_facts *facts, void *win,
			 struct cd_err *err)
{
	enum stmt_id id = (enum stmt_id)((one ? STMT_FACTS_ONE
					      : STMT_FACTS_MANY) + q);
	sqlite3_stmt *s = store_stmt(st, id, fact_sql[!one][q], err);
	if (!s)
		return err->code;
	int64_t now = facts[0].now;
	char today[11];
	date_format((int32_t)((now + CD_CST_OFFSET) / 86400), today,
		    sizeof today);
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, today, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, (int64_t)(intptr_t)win);
	if (one)
		sqlite3_bind_int64(s, 4, ids[0]);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t k = slot_of(ids, n, (uint32_t)sqlite3_column_int64(s, 0));
		if (k < n)
			fact_row[q](&facts[k], s, win);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading code facts", err);
}

static enum cd_code fill_targets(struct store *st, const uint32_t *ids,
				 size_t n, struct cd_err *err)
{
	enum cd_code rc = run(st, "CREATE TEMP TABLE IF NOT EXISTS "
			      "code_targets(person_id INTEGER PRIMARY KEY);"
			      "DELETE FROM code_targets", err);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_stmt *s = store_stmt(st, STMT_TARGET_ADD,
					     "INSERT OR IGNORE INTO"
					     " code_targets VALUES (?1)", err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, ids[i]);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_fail(st, sqlite3_errcode(st->db), "codes",
					err);
	}
	return rc;
}

enum cd_code store_code_facts(struct store *st, const uint32_t *ids, size_t n,
			      int clear_days, struct code_facts *facts,
			      struct cd_err *err)
{
	void *win = (void *)(intptr_t)((int64_t)clear_days * 86400);
	bool one = n == 1;
	if (n == 0)
		return CD_OK;
	enum cd_code rc = one ? CD_OK : fill_targets(st, ids, n, err);
	for (int q = 0; q < STORE_FACT_QUERIES && !rc; q++)
		rc = each(st, q, one, ids, n, facts, win, err);
	return rc;
}

enum cd_code store_code_get(struct store *st, uint32_t person,
			    struct store_code *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	memset(out, 0, sizeof *out);
	snprintf(out->colour, sizeof out->colour, "green");
	snprintf(out->reasons, sizeof out->reasons, "[]");
	int rc = sqlite3_prepare_v2(st->db, "SELECT colour, reasons, since FROM"
				    " codes WHERE person_id = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading a code", err);
	sqlite3_bind_int64(s, 1, person);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->colour, sizeof out->colour);
		store_col_text(s, 1, out->reasons, sizeof out->reasons);
		out->since = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? CD_OK : store_fail(st, rc, "reading a code", err);
}

/* Whether c's colour and reasons differ from what is stored (get is
 * STMT_CODE_CUR; reset here). */
static bool code_differs(sqlite3_stmt *get, const struct store_code_put *c)
{
	sqlite3_reset(get);
	sqlite3_bind_int64(get, 1, c->person);
	int r = sqlite3_step(get);
	const char *col = r == SQLITE_ROW
				  ? (const char *)sqlite3_column_text(get, 0)
				  : "green";
	const char *rs = r == SQLITE_ROW
				 ? (const char *)sqlite3_column_text(get, 1)
				 : "[]";
	bool differs = strcmp(col, c->colour) || strcmp(rs, c->reasons);
	sqlite3_reset(get);
	return differs;
}

enum cd_code store_codes_save(struct store *st, const struct store_code_put *c,
			      size_t n, int64_t at, long *changed,
			      struct cd_err *err)
{
	sqlite3_stmt *get, *put, *hist;
	*changed = 0;
	if (!(get = store_stmt(st, STMT_CODE_CUR, "SELECT colour, reasons FROM"
			       " codes WHERE person_id = ?1", err)))
		return err->code;
	/* No transaction while nothing changes: a checkpoint's verification
	 * recomputes a code that is almost always as stored, and must not
	 * take the write lock for it (nor, deferring, leave the group). */
	size_t first = 0;
	while (first < n && !code_differs(get, &c[first]))
		first++;
	if (first == n)
		return CD_OK;
	enum cd_code rc = store_begin(st, err);
	if (rc)
		return rc;
	if (!(put = store_stmt(st, STMT_CODE_PUT, "INSERT INTO codes(person_id,"
			       " colour, reasons, since) VALUES (?1, ?2, ?3,"
			       " ?4) ON CONFLICT DO UPDATE SET colour ="
			       " excluded.colour, reasons = excluded.reasons,"
			       " since = CASE WHEN colour = excluded.colour"
			       " THEN since ELSE excluded.since END", err)) ||
	    !(hist = store_stmt(st, STMT_CODE_HIST, "INSERT INTO"
				" code_history(person_id, at, colour, reasons)"
				" VALUES (?1, ?2, ?3, ?4)", err))) {
		rc = err->code;
		goto done;
	}
	/* Compared again inside the transaction: another connection may
	 * have written in between. */
	for (size_t i = first; i < n && !rc; i++) {
		if (!code_differs(get, &c[i]))
			continue;
		(*changed)++;
		sqlite3_stmt *w[2] = { put, hist };
		for (int k = 0; k < 2 && !rc; k++) {
			sqlite3_reset(w[k]);
			sqlite3_bind_int64(w[k], 1, c[i].person);
			sqlite3_bind_text(w[k], k ? 3 : 2, c[i].colour, -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(w[k], k ? 4 : 3, c[i].reasons, -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_int64(w[k], k ? 2 : 4, at);
			if (sqlite3_step(w[k]) != SQLITE_DONE)
				rc = store_fail(st, sqlite3_errcode(st->db),
						"saving codes", err);
		}
	}
	sqlite3_reset(put);
	sqlite3_reset(hist);
	if (!rc)
		rc = store_commit(st, err);
done:
	if (rc)
		store_rollback(st);
	return rc;
}

enum cd_code store_code_history(struct store *st, uint32_t person,
				store_code_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT colour, reasons, at FROM"
				    " code_history WHERE person_id = ?1 ORDER BY"
				    " at, rowid", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading code history", err);
	sqlite3_bind_int64(s, 1, person);
	enum cd_code ret = CD_OK;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_code c;
		store_col_text(s, 0, c.colour, sizeof c.colour);
		store_col_text(s, 1, c.reasons, sizeof c.reasons);
		c.since = sqlite3_column_int64(s, 2);
		ret = fn(ctx, &c);
	}
	sqlite3_finalize(s);
	if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = store_fail(st, rc, "reading code history", err);
	return ret;
}

enum cd_code store_checkpoint_pass(struct store *st,
				   const struct store_pass *p,
				   struct cd_err *err)
{
	if (st->deferring && !st->tx_depth) {
		struct store_row row = { .kind = ROW_PASS, .u.pass = *p };
		return store_defer_row(st, &row, err);
	}
	return store_pass_insert(st, p, err);
}

enum cd_code store_pass_insert(struct store *st, const struct store_pass *p,
			       struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PASS_ADD,
				     "INSERT INTO checkpoint_passes(person_id,"
				     " venue_id, at, temperature, mask,"
				     " outcome, findings) VALUES (?1, ?2, ?3,"
				     " ?4, ?5, ?6, ?7)", err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, p->person);
	sqlite3_bind_int64(s, 2, p->venue);
	sqlite3_bind_int64(s, 3, p->at);
	if (p->has_temperature)
		sqlite3_bind_double(s, 4, p->temperature);
	if (p->mask >= 0)
		sqlite3_bind_int(s, 5, p->mask);
	store_bind_text(s, 6, p->outcome);
	store_bind_text(s, 7, p->findings);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "recording a pass", err);
}

enum cd_code store_venue_find(struct store *st, const char *code,
			      uint32_t *id, enum venue_kind *kind,
			      struct cd_err *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_VENUE_FIND, "SELECT id, kind"
				     " FROM venues WHERE code = ?1", err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		struct cd_err e;
		const char *k = (const char *)sqlite3_column_text(s, 1);
		*id = (uint32_t)sqlite3_column_int64(s, 0);
		if (venue_kind_parse(k ? k : "", kind, &e))
			*kind = VK_SHOP;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_err_set(err, CD_ENOTFOUND, "no venue with code '%s'",
				  code);
	return rc == SQLITE_ROW ? CD_OK
				: store_fail(st, rc, "finding a venue", err);
}

enum cd_code store_tube_members(struct store *st, const char *const *tubes,
				size_t n, uint32_t **ids, size_t *nids,
				struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t alloc = 0;
	*ids = NULL;
	*nids = 0;
	int rc = sqlite3_prepare_v2(st->db, "SELECT m.person_id FROM samples s"
				    " JOIN sample_members m ON m.sample_id ="
				    " s.id WHERE s.tube = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading tube members", err);
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(s);
		store_bind_text(s, 1, tubes[i]);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			*ids = xgrow(*ids, sizeof **ids, *nids + 1, &alloc);
			(*ids)[(*nids)++] = (uint32_t)sqlite3_column_int64(s, 0);
		}
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || n == 0
		       ? CD_OK : store_fail(st, rc, "reading tube members", err);
}

enum cd_code store_passes_unmerged(struct store *st, struct prow **rows,
				   size_t *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t alloc = 0;
	*rows = NULL;
	*n = 0;
	int rc = sqlite3_prepare_v2(st->db, "SELECT venue_id, person_id, at FROM"
				    " checkpoint_passes WHERE merged = 0", -1,
				    &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "reading checkpoint passes", err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t t;
		if (!ptime_from(sqlite3_column_int64(s, 2), &t))
			continue;
		*rows = xgrow(*rows, sizeof **rows, *n + 1, &alloc);
		(*rows)[(*n)++] = (struct prow){
			(uint32_t)sqlite3_column_int64(s, 0),
			(uint32_t)sqlite3_column_int64(s, 1), t, 0, 0
		};
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? CD_OK
				 : store_fail(st, rc, "reading checkpoint passes",
					      err);
}

enum cd_code store_passes_mark_merged(struct store *st, struct cd_err *err)
{
	return run(st, "UPDATE checkpoint_passes SET merged = 1 WHERE merged"
		   " = 0", err);
}
