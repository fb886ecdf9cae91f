/* bench_check.c — checkpoint verifications per second through check_run,
 * the path behind GET /api/v1/check/{person}, side by side with a
 * baseline measured in the same run: the least a recorded verification
 * costs in SQLite (look the person up by resident ID, insert one pass row,
 * one transaction each, prepared statements reused).
 *
 * usage: bench_check DB [N] [CHECKPOINT] [TEMP]
 * N random residents (default 20000) are verified at the checkpoint
 * (default: the first venue of kind checkpoint) with temperature TEMP
 * (default 36.5), each in its own transaction as the HTTP handler does;
 * then once more 64 to a transaction, what group commit would give (the
 * API does not do that). The passes are recorded in DB: run it on a copy
 * you may spoil.
 * Prints figures; exits non-zero only when a verification fails. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/check_run.h"
#include "app/rules_file.h"
#include "lib/date.h"
#include "lib/rng.h"
#include "lib/xalloc.h"
#include "store/store.h"

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
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
	fprintf(stderr, "bench_check: %s: %s\n", what, sqlite3_errmsg(db));
	exit(2);
}

struct sample {
	char (*rid)[19];
	size_t n;
	char checkpoint[64];
	sqlite3_int64 venue;
};

/* N resident IDs drawn uniformly (with repeats) from the registry, and
 * the checkpoint's code and id. */
static void draw(const char *path, size_t n, const char *cp, struct sample *s)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL))
		die(db, path);
	sqlite3_int64 max = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM persons", -1, &q,
			       NULL) ||
	    sqlite3_step(q) != SQLITE_ROW)
		die(db, "counting persons");
	max = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(db, "SELECT resident_id FROM persons WHERE"
			       " id >= ?1 ORDER BY id LIMIT 1", -1, &q, NULL))
		die(db, "reading persons");
	struct rng r;
	rng_init(&r, 20220330, 7, 0);
	s->rid = xcalloc(n + 1, sizeof *s->rid);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, rng_range(&r, 1, max));
		if (sqlite3_step(q) != SQLITE_ROW)
			die(db, "drawing a person");
		snprintf(s->rid[i], sizeof s->rid[i], "%s",
			 (const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(db, cp ? "SELECT code, id FROM venues WHERE"
				   " code = ?1 AND kind = 'checkpoint'"
				 : "SELECT code, id FROM venues WHERE kind ="
				   " 'checkpoint' ORDER BY code LIMIT 1",
			       -1, &q, NULL))
		die(db, "reading venues");
	if (cp)
		sqlite3_bind_text(q, 1, cp, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		fprintf(stderr, "bench_check: no checkpoint venue%s%s in %s "
			"(import one: docs/formats.md, venues, kind "
			"checkpoint)\n", cp ? " " : "", cp ? cp : "", path);
		exit(2);
	}
	snprintf(s->checkpoint, sizeof s->checkpoint, "%s",
		 (const char *)sqlite3_column_text(q, 0));
	s->venue = sqlite3_column_int64(q, 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void report(const char *what, double *lat, size_t n, double total)
{
	qsort(lat, n, sizeof *lat, dcmp);
	printf("%-58s %10.0f %8.1f %8.1f\n", what, n / (total / 1e6),
	       lat[n / 2], lat[n * 99 / 100]);
}

/* The baseline: per verification, one transaction that looks the person
 * up and inserts a pass with a fixed finding. */
static double baseline(const char *path, const struct sample *s, double *lat)
{
	sqlite3 *db;
	sqlite3_stmt *get, *put, *begin, *commit;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL))
		die(db, path);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
		     NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT id FROM persons WHERE resident_id"
			       " = ?1", -1, &get, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO checkpoint_passes(person_id,"
			       " venue_id, at, temperature, mask, outcome,"
			       " findings) VALUES (?1, ?2, ?3, ?4, NULL,"
			       " 'pass', '[]')", -1, &put, NULL) ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL))
		die(db, "preparing the baseline");
	int64_t at = time(NULL);
	double t0 = now_us();
	for (size_t i = 0; i < s->n; i++) {
		double t1 = now_us();
		sqlite3_reset(begin);
		if (sqlite3_step(begin) != SQLITE_DONE)
			die(db, "begin");
		sqlite3_reset(get);
		sqlite3_bind_text(get, 1, s->rid[i], -1, SQLITE_STATIC);
		if (sqlite3_step(get) != SQLITE_ROW)
			die(db, "person");
		sqlite3_reset(put);
		sqlite3_bind_int64(put, 1, sqlite3_column_int64(get, 0));
		sqlite3_bind_int64(put, 2, s->venue);
		sqlite3_bind_int64(put, 3, at);
		sqlite3_bind_double(put, 4, 36.5);
		if (sqlite3_step(put) != SQLITE_DONE)
			die(db, "pass");
		sqlite3_reset(commit);
		if (sqlite3_step(commit) != SQLITE_DONE)
			die(db, "commit");
		lat[i] = now_us() - t1;
	}
	double total = now_us() - t0;
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return total;
}

/* What group commit would give: verifications BATCH to a transaction. */
#define BATCH 64

struct run {
	struct store *st;
	const struct rules *rules;
	const struct sample *s;
	double temp;
	int64_t now;
	double *lat;
	long *outcomes, *colours;
};

/* Verify every drawn resident, batch to a transaction, as the HTTP
 * handler does with batch 1; lat[i] is the time of verification i (with
 * its commit when batch is 1). Returns the total in µs; exits on error. */
static double checks(struct run *r, int batch)
{
	struct cd_err err;
	double t0 = now_us();
	for (size_t i = 0; i < r->s->n; i++) {
		struct check_request q = { r->s->rid[i], r->s->checkpoint, 1,
					   r->temp, 1, 0,
					   r->now + (int64_t)i / 1000 };
		struct check_result res;
		struct code_result code;
		double t1 = now_us();
		enum cd_code rc = CD_OK;
		if (i % (size_t)batch == 0)
			rc = store_begin(r->st, &err);
		if (!rc)
			rc = check_run(r->st, r->rules, &q, &res, &code, NULL, &err);
		if (!rc && ((i + 1) % (size_t)batch == 0 || i + 1 == r->s->n))
			rc = store_commit(r->st, &err);
		if (batch == 1)
			r->lat[i] = now_us() - t1;
		if (rc) {
			fprintf(stderr, "bench_check: %s: %s\n", r->s->rid[i],
				err.msg);
			exit(1);
		}
		if (batch == 1) {
			r->outcomes[res.outcome]++;
			r->colours[code.colour]++;
		}
	}
	return now_us() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: bench_check DB [N] [CHECKPOINT] "
			"[TEMP]\n");
		return 2;
	}
	size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 20000;
	const char *cp = argc > 3 && argv[3][0] ? argv[3] : NULL;
	double temp = argc > 4 ? strtod(argv[4], NULL) : 36.5;
	if (n < 1)
		n = 1;
	struct sample s;
	draw(argv[1], n, cp, &s);

	struct store *st;
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(NULL, NULL, &eff, &err) ||
	    store_open(argv[1], STORE_WRITE, &st, &err)) {
		fprintf(stderr, "bench_check: %s\n", err.msg);
		return 2;
	}
	double *lat = xcalloc(n, sizeof *lat);
	long outcomes[CHECK_OUTCOME_COUNT] = { 0 }, colours[3] = { 0 };
	struct run r = { st, &eff.r, &s, temp, cd_now(), lat, outcomes,
			 colours };
	printf("checkpoint verification: %zu residents drawn from %s at %s, "
	       "temperature %.1f\n", n, argv[1], s.checkpoint, temp);
	double total = checks(&r, 1);
	double total_batch = checks(&r, BATCH);
	long rss = rss_kb();
	store_close(st);

	printf("\n%-58s %10s %8s %8s\n", "", "per second", "p50 µs",
	       "p99 µs");
	report("check_run (store_begin, check_run, store_commit)", lat, n,
	       total);
	char what[80];
	snprintf(what, sizeof what, "  the same, %d per transaction (not what "
		 "the API does)", BATCH);
	printf("%-58s %10.0f\n", what, n / (total_batch / 1e6));
	total = baseline(argv[1], &s, lat);
	report("baseline: SELECT person + INSERT pass per transaction", lat,
	       n, total);
	printf("\noutcomes:");
	for (int k = 0; k < CHECK_OUTCOME_COUNT; k++)
		if (outcomes[k])
			printf(" %s %ld", check_outcome_name(
						  (enum check_outcome)k),
			       outcomes[k]);
	printf("; codes: green %ld, yellow %ld, red %ld; resident memory "
	       "%ld MB\n", colours[CODE_GREEN], colours[CODE_YELLOW],
	       colours[CODE_RED], rss / 1024);
	free(lat);
	free(s.rid);
	return 0;
}
