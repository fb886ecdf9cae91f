/* bench_trace.c — tracing speed on a county database, side by side with
 * the straightforward SQL two-hop join over the same rows in SQLite, and a
 * check that both find identical contact sets.
 *
 * usage: bench_trace DB [CASES] [SQL_CASES]
 * Prints figures; exits non-zero only when the two disagree. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/trace_run.h"
#include "lib/rng.h"
#include "lib/xalloc.h"
#include "store/store.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_trace: %s: %s\n", what, sqlite3_errmsg(db));
	exit(2);
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

/* ---- the SQL baseline: the same rows in plain tables with the two
 * obvious indexes per table, and the rules as a table. */

static void sql_load(sqlite3 *db, const struct trace_world *w)
{
	static const char *const names[] = { "scans", "rides", "cells",
					     "prox" };
	sqlite3_stmt *s;
	exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		 "PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;"
		 "CREATE TABLE scans(k, p, a, z, x); CREATE TABLE rides(k, p, a,"
		 " z, x); CREATE TABLE cells(k, p, a, z, x);"
		 "CREATE TABLE prox(k, p, a, z, x);"
		 "CREATE TABLE person(id INTEGER PRIMARY KEY, hh);"
		 "CREATE TABLE venue(id INTEGER PRIMARY KEY, enclosed, need,"
		 " dwell); CREATE TABLE trip(id INTEGER PRIMARY KEY, rail);"
		 "BEGIN");
	for (int src = 0; src < PS_COUNT; src++) {
		char sql[96];
		snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?,?,?,?,?)",
			 names[src]);
		sqlite3_prepare_v2(db, sql, -1, &s, NULL);
		const struct pindex *ix = &w->src[src];
		for (size_t i = 0; i < ix->nrows; i++) {
			const struct prow *r = &ix->rows[i];
			sqlite3_reset(s);
			sqlite3_bind_int64(s, 1, r->key);
			sqlite3_bind_int64(s, 2, r->person);
			sqlite3_bind_int64(s, 3, r->start);
			sqlite3_bind_int64(s, 4, r->end);
			sqlite3_bind_int64(s, 5, r->aux);
			if (sqlite3_step(s) != SQLITE_DONE)
				die(db, "loading");
		}
		sqlite3_finalize(s);
	}
	sqlite3_prepare_v2(db, "INSERT INTO person VALUES (?,?)", -1, &s, NULL);
	for (size_t p = 1; p < w->nperson_slots; p++) {
		if (!w->household[p])
			continue;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)p);
		sqlite3_bind_int64(s, 2, w->household[p]);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	const struct rules_tracing *rt = &w->rules->tracing;
	sqlite3_prepare_v2(db, "INSERT INTO venue VALUES (?,?,?,?)", -1, &s,
			   NULL);
	for (size_t v = 1; v < w->nvenue_slots; v++) {
		int k = w->venue_kind[v];
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)v);
		sqlite3_bind_int(s, 2, rt->enclosed[k]);
		sqlite3_bind_int(s, 3, rt->overlap_minutes[k] * 60);
		sqlite3_bind_int(s, 4, rt->dwell_minutes[k] * 60);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db, "INSERT INTO trip VALUES (?,?)", -1, &s, NULL);
	for (size_t t = 1; t < w->ntrip_slots; t++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)t);
		sqlite3_bind_int(s, 2, w->trip_mode[t] == TRIP_RAIL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	exec(db, "COMMIT;"
		 "CREATE INDEX scans_k ON scans(k, a); CREATE INDEX scans_p ON"
		 " scans(p, a); CREATE INDEX rides_k ON rides(k);"
		 "CREATE INDEX rides_p ON rides(p); CREATE INDEX cells_k ON"
		 " cells(k, a); CREATE INDEX cells_p ON cells(p, a);"
		 "CREATE INDEX prox_p ON prox(p, a); CREATE INDEX person_hh ON"
		 " person(hh); ANALYZE;");
}

/* The contact sets of one case by SQL: evidence rows (person, cat, start)
 * for the case's own pass, then the second hop from every close contact
 * over [their first close exposure, now). ?1 case, ?2 from, ?3 to,
 * ?4 now, ?5 bus rows, ?6 rail rows, ?7 companion s, ?8 proximity s,
 * ?9 max span of a visit, ?10 crowd limit (0 = none). */
static const char *const sql_trace =
	"WITH RECURSIVE "
	"sv(k, p, a, z, enc, need) AS (SELECT s.k, s.p, s.a,"
	"  CASE WHEN s.z > s.a THEN s.z ELSE s.a + v.dwell END, v.enclosed,"
	"  v.need FROM scans s JOIN venue v ON v.id = s.k),"
	/* pass 1: the case */
	"own AS (SELECT row_number() OVER () id, k, max(a, ?2) a,"
	"  min(z, ?3) z, enc, need FROM sv"
	"  WHERE p = ?1 AND min(z, ?3) > max(a, ?2)),"
	"vh AS (SELECT own.id, o.p, max(o.a, own.a) qa, min(o.z, own.z) qz,"
	"  own.enc, own.need FROM own JOIN sv o ON o.k = own.k AND o.a < own.z"
	"  AND o.a >= own.a - ?9 AND o.z > own.a WHERE o.p <> ?1),"
	"vc AS (SELECT id, sum(qz - qa >= need) n FROM vh WHERE qz > qa"
	"  GROUP BY id),"
	"rh AS (SELECT o.p, m.a, (o.x >> 16) = (m.x >> 16) AND"
	"  abs((o.x & 65535) - (m.x & 65535)) <= CASE WHEN t.rail THEN ?6"
	"  ELSE ?5 END close FROM rides m JOIN rides o ON o.k = m.k"
	"  JOIN trip t ON t.id = m.k WHERE m.p = ?1 AND o.p <> ?1"
	"  AND m.a >= ?2 AND m.a < ?3),"
	"ph AS (SELECT k p, sum(min(z, ?3) - max(a, ?2)) tot,"
	"  min(max(a, ?2)) f FROM prox WHERE p = ?1 AND k <> ?1"
	"  AND min(z, ?3) > max(a, ?2) GROUP BY k),"
	"ch AS (SELECT o.p, sum(min(o.z, m.z2) - max(o.a, m.a2)) tot FROM"
	"  (SELECT k, max(a, ?2) a2, min(z, ?3) z2 FROM cells WHERE p = ?1"
	"   AND min(z, ?3) > max(a, ?2)) m JOIN cells o ON o.k = m.k"
	"  AND o.a < m.z2 AND o.z > m.a2 WHERE o.p <> ?1 GROUP BY o.p),"
	"ev1(p, cat, f) AS ("
	"  SELECT id, 0, ?2 FROM person WHERE hh = (SELECT hh FROM person"
	"   WHERE id = ?1) AND id <> ?1"
	"  UNION ALL SELECT vh.p, CASE WHEN vh.enc AND vh.qz - vh.qa >= vh.need"
	"   AND (?10 = 0 OR vc.n <= ?10) THEN 0 ELSE 3 END, vh.qa FROM vh"
	"   JOIN vc ON vc.id = vh.id WHERE vh.qz > vh.qa"
	"  UNION ALL SELECT p, CASE WHEN close THEN 0 ELSE 3 END, a FROM rh"
	"  UNION ALL SELECT p, CASE WHEN tot >= ?8 THEN 0 ELSE 3 END, f FROM"
	"   ph"
	"  UNION ALL SELECT p, 2, 0 FROM ch WHERE tot >= ?7),"
	"close1(q, f) AS (SELECT p, min(f) FROM ev1 WHERE cat = 0"
	"  GROUP BY p),"
	/* pass 2: each close contact q over [f, now) */
	"own2 AS (SELECT row_number() OVER () id, c.q, sv.k,"
	"  max(sv.a, c.f) a, min(sv.z, ?4) z, sv.need FROM close1 c JOIN sv"
	"  ON sv.p = c.q AND sv.enc WHERE min(sv.z, ?4) > max(sv.a, c.f)),"
	"vh2 AS (SELECT own2.id, o.p, min(o.z, own2.z) - max(o.a, own2.a) ov,"
	"  own2.need FROM own2 JOIN sv o ON o.k = own2.k AND o.a < own2.z"
	"  AND o.a >= own2.a - ?9 AND o.z > own2.a"
	"  WHERE o.p <> own2.q AND o.p <> ?1),"
	"vc2 AS (SELECT id, sum(ov >= need) n FROM vh2 WHERE ov > 0"
	"  GROUP BY id),"
	"ev2(p, cat, f) AS ("
	"  SELECT o.id, 1, 0 FROM close1 c JOIN person me ON me.id = c.q"
	"   JOIN person o ON o.hh = me.hh WHERE o.id <> c.q AND o.id <> ?1"
	"  UNION ALL SELECT vh2.p, 1, 0 FROM vh2 JOIN vc2 ON vc2.id = vh2.id"
	"   WHERE vh2.ov >= vh2.need AND (?10 = 0 OR vc2.n <= ?10)"
	"  UNION ALL SELECT o.p, 1, 0 FROM close1 c JOIN rides m ON m.p = c.q"
	"   JOIN rides o ON o.k = m.k JOIN trip t ON t.id = m.k"
	"   WHERE o.p <> c.q AND o.p <> ?1 AND m.a >= c.f AND m.a < ?4"
	"   AND (o.x >> 16) = (m.x >> 16) AND abs((o.x & 65535) -"
	"   (m.x & 65535)) <= CASE WHEN t.rail THEN ?6 ELSE ?5 END"
	"  UNION ALL SELECT x.k, 1, 0 FROM close1 c JOIN prox x ON x.p = c.q"
	"   WHERE x.k <> c.q AND x.k <> ?1 AND min(x.z, ?4) > max(x.a, c.f)"
	"   GROUP BY c.q, x.k HAVING sum(min(x.z, ?4) - max(x.a, c.f)) >= ?8)"
	"SELECT p, min(cat) FROM (SELECT p, cat FROM ev1 UNION ALL"
	" SELECT p, cat FROM ev2) GROUP BY p ORDER BY p";

struct pair {
	uint32_t p;
	int cat;
};

static size_t sql_trace_case(sqlite3_stmt *s, const struct trace_input *in,
			     const struct rules *r, uint32_t span,
			     struct pair **out, size_t *alloc)
{
	size_t n = 0;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, in->person);
	sqlite3_bind_int64(s, 2, in->from);
	sqlite3_bind_int64(s, 3, in->to);
	sqlite3_bind_int64(s, 4, in->now);
	sqlite3_bind_int(s, 5, r->tracing.bus_seat_rows);
	sqlite3_bind_int(s, 6, r->tracing.rail_seat_rows);
	sqlite3_bind_int(s, 7, r->tracing.companion_minutes * 60);
	sqlite3_bind_int(s, 8, r->tracing.proximity_minutes * 60);
	sqlite3_bind_int64(s, 9, span);
	sqlite3_bind_int(s, 10, r->tracing.crowd_limit);
	while (sqlite3_step(s) == SQLITE_ROW) {
		*out = xgrow(*out, sizeof **out, n + 1, alloc);
		(*out)[n].p = (uint32_t)sqlite3_column_int64(s, 0);
		(*out)[n++].cat = sqlite3_column_int(s, 1);
	}
	return n;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return (x->p > y->p) - (x->p < y->p);
}

/* Compare the tracer's contacts with the SQL's; print the first
 * difference. */
static int same(const struct trace_result *r, struct pair *sql, size_t n,
		uint32_t person)
{
	struct pair *tr = xcalloc(r->ncontacts + 1, sizeof *tr);
	for (size_t i = 0; i < r->ncontacts; i++)
		tr[i] = (struct pair){ r->contacts[i].person, r->contacts[i].cat };
	qsort(tr, r->ncontacts, sizeof *tr, pair_cmp);
	int ok = n == r->ncontacts;
	for (size_t i = 0; ok && i < n; i++)
		ok = tr[i].p == sql[i].p && tr[i].cat == sql[i].cat;
	if (!ok)
		fprintf(stderr, "DIFFERENT for case person %u: tracer %zu "
			"contacts, SQL %zu\n", person, r->ncontacts, n);
	free(tr);
	return ok;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, dcmp);
	return n ? v[n / 2] : 0;
}

/* Case persons: people with a scan on the last day, drawn by a seed. */
static size_t pick_cases(const struct trace_world *w, uint32_t day0,
			 uint32_t *out, size_t want)
{
	const struct pindex *ix = &w->src[PS_SCANS];
	struct rng r;
	size_t n = 0, tries = 0;
	rng_init(&r, 20220330, 4, 0);
	while (n < want && tries++ < want * 1000 && ix->nrows) {
		const struct prow *row = &ix->rows[rng_range(&r, 0,
				(int64_t)ix->nrows - 1)];
		if (row->start >= day0)
			out[n++] = row->person;
	}
	return n;
}

/* A real case through the whole path: add it, trace it, keep the contacts
 * and evidence, and recompute the codes of everyone affected. */
static void trace_and_codes(struct store *st, const struct rules *r,
			    uint32_t person, uint32_t day_end)
{
	struct cd_err err;
	struct case_rec c;
	struct trace_session *s;
	struct trace_report rep;
	sqlite3 *db;
	sqlite3_stmt *q;
	memset(&c, 0, sizeof c);
	sqlite3_open_v2(store_path(st), &db, SQLITE_OPEN_READONLY, NULL);
	sqlite3_prepare_v2(db, "SELECT resident_id FROM persons WHERE id = ?1",
			   -1, &q, NULL);
	sqlite3_bind_int64(q, 1, person);
	if (sqlite3_step(q) == SQLITE_ROW)
		snprintf(c.rid, sizeof c.rid, "%s", sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	int64_t end = ptime_to(day_end);
	c.cls = CASE_CONFIRMED;
	c.ctype = CT_MILD;
	c.found = FOUND_POOL;
	c.sampling = (int32_t)((end - 1 + 8 * 3600) / 86400);
	c.reported = c.isolated = end;
	double t0 = now_ms();
	if (store_case_add(st, &c, &err) ||
	    trace_session_open(st, r, end, &s, &err)) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		return;
	}
	double t_open = now_ms() - t0;
	if (trace_session_case(s, c.number, 1, &rep, NULL, &err)) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		trace_session_free(s);
		return;
	}
	printf("\nthe heaviest of them as a real case: %s traced, contacts and "
	       "evidence saved, codes of the "
	       "%ld people affected recomputed (%ld changed: %ld red, %ld "
	       "yellow):\n  trace %.1f ms + save %.1f ms + codes %.1f ms = "
	       "%.1f ms (session opened in %.0f ms)\n", c.number,
	       rep.codes.people, rep.codes.changed, rep.codes.red,
	       rep.codes.yellow, rep.trace_ms, rep.save_ms, rep.codes_ms,
	       rep.trace_ms + rep.save_ms + rep.codes_ms, t_open);
	trace_session_free(s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_trace DB [CASES] [SQL_CASES]\n");
		return 2;
	}
	size_t ncases = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100;
	size_t nsql = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 10;
	struct store *st;
	struct cd_err err;
	struct rules rules;
	if (rules_builtin("v9", &rules, &err) ||
	    store_open(argv[1], STORE_WRITE, &st, &err)) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		return 2;
	}
	double t0 = now_ms();
	struct trace_session *ses;
	if (trace_session_open(st, &rules, 0, &ses, &err)) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		return 2;
	}
	double t_open = now_ms() - t0;
	const struct trace_world *w = trace_session_world(ses);
	size_t rows = 0, bytes = 0;
	uint32_t last = 0;
	for (int s = 0; s < PS_COUNT; s++) {
		rows += w->src[s].nrows;
		bytes += w->src[s].nrows * (sizeof(struct prow) + 4) +
			 w->src[s].nkeys * 12 + w->src[s].npersons * 12;
	}
	for (size_t i = 0; i < w->src[PS_SCANS].nrows; i++)
		if (w->src[PS_SCANS].rows[i].start > last)
			last = w->src[PS_SCANS].rows[i].start;
	/* The reference window: onset on the last day, lookback 2 days. */
	uint32_t day_end = (uint32_t)(((int64_t)last + 8 * 3600) / 86400 + 1) *
			   86400 - 8 * 3600;
	uint32_t from = day_end - 3 * 86400;
	uint32_t *cases = xcalloc(ncases + 1, sizeof *cases);
	ncases = pick_cases(w, day_end - 86400, cases, ncases);
	double *ms = xcalloc(ncases + 1, sizeof *ms);
	size_t *found = xcalloc(ncases + 1, sizeof *found);
	struct tracer *tr = tracer_new(w);
	const struct trace_result *res;
	double all0 = now_ms();
	for (size_t i = 0; i < ncases; i++) {
		struct trace_input in = { cases[i], from, day_end, day_end,
					  NULL, 0, NULL };
		double a = now_ms();
		tracer_run(tr, &in, &res);
		ms[i] = now_ms() - a;
		found[i] = res->ncontacts;
	}
	double all = now_ms() - all0;
	double *sorted = xcalloc(ncases + 1, sizeof *sorted);
	memcpy(sorted, ms, ncases * sizeof *ms);
	double med = median(sorted, ncases);
	double p90 = ncases ? sorted[ncases * 9 / 10] : 0;
	long rss = rss_kb();
	size_t contacts = 0;
	for (size_t i = 0; i < ncases; i++)
		contacts += found[i];

	/* The SQL baseline on the same rows. */
	sqlite3 *db;
	if (nsql > ncases)
		nsql = ncases;
	char tmp[] = "/tmp/cordon-bench-sql.XXXXXX";
	int fd = mkstemp(tmp);
	if (fd >= 0)
		close(fd);
	sqlite3_open(tmp, &db);
	double l0 = now_ms();
	sql_load(db, w);
	double t_load = now_ms() - l0;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql_trace, -1, &s, NULL) != SQLITE_OK)
		die(db, "preparing the two-hop join");
	uint32_t span = w->src[PS_SCANS].max_span;
	for (int k = 0; k < VK_COUNT; k++)
		if ((uint32_t)rules.tracing.dwell_minutes[k] * 60 > span)
			span = (uint32_t)rules.tracing.dwell_minutes[k] * 60;
	double *sql_ms = xcalloc(nsql + 1, sizeof *sql_ms);
	struct pair *pairs = NULL;
	size_t apairs = 0;
	int agree = 1;
	for (size_t i = 0; i < nsql; i++) {
		struct trace_input in = { cases[i], from, day_end, day_end,
					  NULL, 0, NULL };
		double a = now_ms();
		size_t n = sql_trace_case(s, &in, &rules, span, &pairs,
					  &apairs);
		sql_ms[i] = now_ms() - a;
		tracer_run(tr, &in, &res);
		agree &= same(res, pairs, n, cases[i]);
	}
	double tr_same[64], sql_med;
	size_t m = nsql < 64 ? nsql : 64;
	memcpy(tr_same, ms, m * sizeof *ms);
	double tr_med_same = median(tr_same, m);
	sql_med = median(sql_ms, nsql);
	sqlite3_finalize(s);
	sqlite3_close(db);
	unlink(tmp);

	printf("county: %zu presence rows (scans %zu, rides %zu, cell stays "
	       "%zu, proximity %zu)\n", rows, w->src[0].nrows, w->src[1].nrows,
	       w->src[2].nrows, w->src[3].nrows / 2);
	printf("open (map segments, load registry): %.0f ms\n", t_open);
	printf("memory: %.1f bytes per presence row in segments; resident "
	       "%.0f MB after tracing\n", rows ? (double)bytes / (double)rows
					       : 0.0, (double)rss / 1024.0);
	printf("\n%-44s %12s %12s\n", "", "median ms", "p90 ms");
	printf("%-44s %12.3f %12.3f\n", "cordon tracer, one case (two hops)",
	       med, p90);
	printf("%-44s %12.1f\n", "SQL two-hop join (SQLite, indexed)", sql_med);
	printf("\n%zu cases traced in %.1f ms (%.0f contacts on average)\n",
	       ncases, all, ncases ? (double)contacts / (double)ncases : 0.0);
	printf("SQL baseline: loading and indexing the same rows took %.1f s; "
	       "on the same %zu cases it took %.1f ms median vs %.3f ms: "
	       "%.0fx faster\n", t_load / 1e3, nsql, sql_med, tr_med_same,
	       tr_med_same > 0 ? sql_med / tr_med_same : 0.0);
	printf("contact sets: %s\n", agree ? "identical" : "DIFFERENT");
	size_t heavy = 0;
	for (size_t i = 1; i < ncases; i++)
		if (found[i] > found[heavy])
			heavy = i;
	if (ncases)
		trace_and_codes(st, &rules, cases[heavy], day_end);
	free(sql_ms);
	free(pairs);
	free(sorted);
	free(ms);
	free(found);
	free(cases);
	tracer_free(tr);
	trace_session_free(ses);
	store_close(st);
	return agree ? 0 : 1;
}
