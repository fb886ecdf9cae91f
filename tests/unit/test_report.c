/* test_report.c — the statistics of the daily report (app/report.h over
 * store/store_report.c), every expectation worked out by hand from the
 * conventions of DOMAIN.md and docs/reports.md, or by an independent
 * brute-force count over generated cases:
 *
 *  - Xian'an: 311 confirmed, 307 cured, 4 deaths → 98.71 % and 1.29 %,
 *    current 0; and a day mid-course;
 *  - an asymptomatic infection converted to confirmed counts once;
 *    released and dead asymptomatic; imported apart from local;
 *  - new and cumulative across a cutoff (15:00 against 24:00), the
 *    window's edges, date-only events;
 *  - 500 random cases over two towns: every child row equals a count
 *    made here case by case, and additive rows sum to the totals;
 *  - contacts, quarantine, sites, testing, zones and round coverage.
 *
 * Units, households, persons and cases go in through the store API;
 * contacts, plans, sites, tubes, rounds and zones by SQL inserts on a
 * second connection (schema as migrated, so every CHECK applies): this
 * test, like test_migrate.c, includes sqlite3.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/report.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "store/store.h"
#include "world.h"

#define HOUR 3600
#define COUNTY "430422"
#define TOWN_A "430422103000"
#define TOWN_B "430422200000"
#define VIL_A "430422103201"
#define VIL_A2 "430422103202"
#define VIL_B "430422200201"
#define HAM_A1 VIL_A "-001"
#define HAM_A2 VIL_A "-002"
#define HAM_A3 VIL_A2 "-001"
#define HAM_B1 VIL_B "-001"
#define NHAMLETS 4
static const char *const hamlets[NHAMLETS] = { HAM_A1, HAM_A2, HAM_A3,
					       HAM_B1 };

struct world {
	char dir[64], path[128];
	struct store *st;
	sqlite3 *db;
	int npersons;
	char (*rids)[19];
	int *hamlet_of;           /* index into hamlets[] */
};

/* A CST wall-clock time "2022-03-30 15:30" as Unix seconds. */
static int64_t T(const char *day, int h, int m)
{
	return (int64_t)D(day) * 86400 + h * HOUR + m * 60 - 8 * HOUR;
}

static void sql(struct world *w, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *msg = NULL;
	if (sqlite3_exec(w->db, buf, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", buf, msg);
}

/* ---- the world */

/* The check character of GB 11643 computed here (DOMAIN.md's weights),
 * not by lib/ids. */
static void make_rid(int i, char out[19])
{
	static const int wt[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
				    7, 9, 10, 5, 8, 4, 2 };
	char birth[11];
	date_format(D("1950-01-01") + i / 900, birth, sizeof birth);
	snprintf(out, 19, "430422%.4s%.2s%.2s%03d", birth, birth + 5,
		 birth + 8, i % 900 + 1);
	int s = 0;
	for (int k = 0; k < 17; k++)
		s += (out[k] - '0') * wt[k];
	out[17] = "10X98765432"[s % 11];
	out[18] = '\0';
}

/* n persons, person i in hamlet ham(i), one household per person. */
static void people(struct world *w, int n, int (*ham)(int))
{
	struct cd_err err;
	enum store_upsert up;
	w->npersons = n;
	w->rids = calloc((size_t)n, sizeof *w->rids);
	w->hamlet_of = calloc((size_t)n, sizeof *w->hamlet_of);
	ok(store_begin(w->st, &err), &err, "begin");
	for (int i = 0; i < n; i++) {
		int h = ham(i);
		struct household_rec hh;
		struct person_rec p;
		struct rid id;
		memset(&hh, 0, sizeof hh);
		memset(&p, 0, sizeof p);
		snprintf(hh.code, sizeof hh.code, "%s-%04d", hamlets[h],
			 i + 1);
		snprintf(hh.hamlet, sizeof hh.hamlet, "%s", hamlets[h]);
		ok(store_household_upsert(w->st, &hh, &up, &err), &err,
		   hh.code);
		make_rid(i, w->rids[i]);
		ok(rid_parse(w->rids[i], D("2022-12-31"), &id, &err), &err,
		   w->rids[i]);
		snprintf(p.rid, sizeof p.rid, "%s", w->rids[i]);
		snprintf(p.name, sizeof p.name, "居民%d", i);
		snprintf(p.household, sizeof p.household, "%s", hh.code);
		p.sex = id.sex;
		p.birth = id.birth;
		ok(store_person_upsert(w->st, &p, &up, &err), &err, p.rid);
		w->hamlet_of[i] = h;
	}
	ok(store_commit(w->st, &err), &err, "commit");
}

/* A case of person i. */
struct kase {
	enum case_class cls;
	bool imported;
	int64_t reported;
	const char *converted, *outcome_date;
	enum case_outcome outcome;
};

static void add_case(struct world *w, int i, const struct kase *k)
{
	struct case_rec c;
	struct cd_err err;
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", w->rids[i]);
	c.cls = k->cls;
	c.ctype = k->cls == CASE_CONFIRMED ? CT_MILD : CT_NONE;
	c.origin = k->imported ? ORIGIN_IMPORTED : ORIGIN_LOCAL;
	c.found = FOUND_SCREENING;
	c.sampling = (int32_t)((k->reported + 8 * HOUR) / 86400);
	c.reported = k->reported;
	c.converted = k->converted ? D(k->converted) : 0;
	c.outcome = k->outcome;
	c.outcome_date = k->outcome_date ? D(k->outcome_date) : 0;
	ok(store_case_add(w->st, &c, &err), &err, w->rids[i]);
}

static int ham_first(int i)
{
	(void)i;
	return 0;
}

static int ham_spread(int i)
{
	return i % NHAMLETS;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	struct cd_err err;
	snprintf(w->dir, sizeof w->dir, "/tmp/cordon-test-report-XXXXXX");
	if (!mkdtemp(w->dir))
		return -1;
	snprintf(w->path, sizeof w->path, "%s/r.db", w->dir);
	if (store_open(w->path, STORE_CREATE | STORE_WRITE, &w->st, &err)) {
		print_error("store_open: %s\n", err.msg);
		return -1;
	}
	if (sqlite3_open(w->path, &w->db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(w->db, 5000);
	unit(w->st, COUNTY, "衡南县");
	unit(w->st, TOWN_A, "茶市镇");
	unit(w->st, TOWN_B, "相市乡");
	unit(w->st, VIL_A, "茶市村");
	unit(w->st, VIL_A2, "新塘村");
	unit(w->st, VIL_B, "相市村");
	unit(w->st, HAM_A1, "上屋场");
	unit(w->st, HAM_A2, "下屋场");
	unit(w->st, HAM_A3, "老屋场");
	unit(w->st, HAM_B1, "塘边");
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	sqlite3_close(w->db);
	store_close(w->st);
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", w->path, sfx[i]);
		unlink(p);
	}
	char seg[160];
	snprintf(seg, sizeof seg, "%s.presence", w->path);
	rmdir(seg);
	int rc = rmdir(w->dir);
	free(w->rids);
	free(w->hamlet_of);
	free(w);
	return rc;
}

/* ---- reading a report */

static struct report_daily daily(struct world *w, const char *unit,
				 const char *day, const char *cutoff)
{
	struct report_daily r;
	struct cd_err err;
	int cut = REPORT_CUTOFF_DEFAULT;
	if (cutoff)
		assert_true(report_cutoff_parse(cutoff, &cut));
	/* As between the server's requests: no statement of the store keeps
	 * an older snapshot than the other connection's inserts. */
	store_settle(w->st);
	ok(report_daily(w->st, unit, D(day), cut, &r, &err), &err, day);
	return r;
}

static const struct store_report_counts *totals(const struct report_daily *r)
{
	return &r->figs[r->nrows];
}

/* The figure at path of the report's totals as JSON text. */
static void fig_is(const struct report_daily *r, const char *path,
		   const char *want)
{
	json_t *j = report_fig_json(totals(r));
	const char *dot = strchr(path, '.');
	json_t *v;
	if (dot) {
		char g[32];
		snprintf(g, sizeof g, "%.*s", (int)(dot - path), path);
		v = json_object_get(json_object_get(j, g), dot + 1);
	} else {
		v = json_object_get(j, path);
	}
	char *s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))
		    : NULL;
	if (!s || strcmp(s, want))
		fail_msg("%s is %s, wanted %s", path, s ? s : "absent", want);
	free(s);
	json_decref(j);
}

/* ---- 1. Xian'an */

/* Case i: reported on 2020-02-01 + i/50 at 10:00; 0..3 died on 02-10;
 * the rest cured on 02-15 + i % 5. */
static void xianan(struct world *w)
{
	people(w, 311, ham_first);
	struct cd_err err;
	ok(store_begin(w->st, &err), &err, "begin");
	for (int i = 0; i < 311; i++) {
		char rep[11], out[11];
		date_format(D("2020-02-01") + i / 50, rep, sizeof rep);
		date_format(i < 4 ? D("2020-02-10") : D("2020-02-15") + i % 5,
			    out, sizeof out);
		struct kase k = { CASE_CONFIRMED, false, T(rep, 10, 0), NULL,
				  out, i < 4 ? OUTCOME_DIED : OUTCOME_CURED };
		add_case(w, i, &k);
	}
	ok(store_commit(w->st, &err), &err, "commit");
}

static void test_xianan(void **state)
{
	struct world *w = *state;
	xianan(w);
	struct report_daily r = daily(w, COUNTY, "2020-03-31", NULL);
	const struct store_report_counts *t = totals(&r);
	assert_int_equal(t->conf_cum[0], 311);
	assert_int_equal(t->conf_cum[1], 0);
	assert_int_equal(t->cured_cum, 307);
	assert_int_equal(t->died_cum, 4);
	fig_is(&r, "current", "0");
	fig_is(&r, "cure_rate", "98.71");
	fig_is(&r, "fatality_rate", "1.29");
	fig_is(&r, "confirmed.new", "0");
	report_daily_release(&r);

	/* 02-05: days 02-01..02-05 hold 50 cases each. */
	r = daily(w, COUNTY, "2020-02-05", NULL);
	fig_is(&r, "confirmed.new", "50");
	fig_is(&r, "confirmed.cumulative", "250");
	fig_is(&r, "current", "250");
	fig_is(&r, "cure_rate", "0.0");
	report_daily_release(&r);

	/* 02-16: 4 dead; cured by 02-16 are i >= 4 with i % 5 in {0, 1}:
	 * 5, 10, ..., 310 (62) and 6, 11, ..., 306 (61) = 123, of whom
	 * the 61 of i % 5 == 1 on the day. Current 311 - 4 - 123 = 184;
	 * 123 / 311 = 39.549… %, 4 / 311 = 1.286… %. */
	r = daily(w, COUNTY, "2020-02-16", NULL);
	fig_is(&r, "cured.new", "61");
	fig_is(&r, "cured.cumulative", "123");
	fig_is(&r, "deaths.cumulative", "4");
	fig_is(&r, "deaths.new", "0");
	fig_is(&r, "current", "184");
	fig_is(&r, "cure_rate", "39.55");
	fig_is(&r, "fatality_rate", "1.29");
	report_daily_release(&r);

	/* Before the first case: rates over nothing are null. */
	r = daily(w, COUNTY, "2020-01-31", NULL);
	fig_is(&r, "cure_rate", "null");
	fig_is(&r, "fatality_rate", "null");
	report_daily_release(&r);
}

static void test_rate(void **state)
{
	(void)state;
	assert_int_equal(report_rate(307, 311), 9871);
	assert_int_equal(report_rate(4, 311), 129);
	assert_int_equal(report_rate(1, 8), 1250);   /* exactly 12.5 */
	assert_int_equal(report_rate(1, 3), 3333);
	assert_int_equal(report_rate(2, 3), 6667);
	assert_int_equal(report_rate(0, 0), -1);
}

static void test_cutoff_parse(void **state)
{
	(void)state;
	int m = -1;
	assert_true(report_cutoff_parse("24:00", &m));
	assert_int_equal(m, 1440);
	assert_true(report_cutoff_parse("15:00", &m));
	assert_int_equal(m, 900);
	assert_true(report_cutoff_parse("00:00", &m));
	assert_int_equal(m, 0);
	assert_false(report_cutoff_parse("25:00", &m));
	assert_false(report_cutoff_parse("24:01", &m));
	assert_false(report_cutoff_parse("12:60", &m));
	assert_false(report_cutoff_parse("9:00", &m));
	assert_false(report_cutoff_parse("12-00", &m));
	/* 2022-03-30 at 24:00: (03-30 00:00, 03-31 00:00] CST. */
	struct report_window win;
	report_window(D("2022-03-30"), 1440, &win);
	assert_int_equal(win.from, T("2022-03-30", 0, 0));
	assert_int_equal(win.to, T("2022-03-31", 0, 0));
	report_window(D("2022-03-30"), 900, &win);
	assert_int_equal(win.from, T("2022-03-29", 15, 0));
	assert_int_equal(win.to, T("2022-03-30", 15, 0));
}

/* ---- 2. conversion counted once; asymptomatic released or dead;
 * imported apart */

static void test_conversion(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	people(w, 6, ham_first);
	ok(store_begin(w->st, &err), &err, "begin");
	/* 0: asymptomatic on 03-01, confirmed on 03-03 (one case). */
	struct kase a = { CASE_CONFIRMED, false, T("2022-03-01", 9, 0),
			  "2022-03-03", NULL, OUTCOME_NONE };
	/* 1: asymptomatic on 03-01, released on 03-05. */
	struct kase b = { CASE_ASYMPTOMATIC, false, T("2022-03-01", 10, 0),
			  NULL, "2022-03-05", OUTCOME_CURED };
	/* 2: asymptomatic on 03-01, died on 03-04. */
	struct kase c = { CASE_ASYMPTOMATIC, false, T("2022-03-01", 11, 0),
			  NULL, "2022-03-04", OUTCOME_DIED };
	/* 3: imported confirmed on 03-02; 4: imported asymptomatic. */
	struct kase d = { CASE_CONFIRMED, true, T("2022-03-02", 8, 0), NULL,
			  NULL, OUTCOME_NONE };
	struct kase e = { CASE_ASYMPTOMATIC, true, T("2022-03-02", 9, 0),
			  NULL, NULL, OUTCOME_NONE };
	add_case(w, 0, &a);
	add_case(w, 1, &b);
	add_case(w, 2, &c);
	add_case(w, 3, &d);
	add_case(w, 4, &e);
	ok(store_commit(w->st, &err), &err, "commit");

	struct report_daily r = daily(w, COUNTY, "2022-03-01", NULL);
	fig_is(&r, "asymptomatic.new", "3");
	fig_is(&r, "asymptomatic.new_local", "3");
	fig_is(&r, "asymptomatic.under_observation", "3");
	fig_is(&r, "asymptomatic.cumulative", "3");
	fig_is(&r, "confirmed.new", "0");
	fig_is(&r, "confirmed.cumulative", "0");
	report_daily_release(&r);

	r = daily(w, COUNTY, "2022-03-02", NULL);
	fig_is(&r, "confirmed.new", "1");
	fig_is(&r, "confirmed.new_local", "0");
	fig_is(&r, "confirmed.new_imported", "1");
	fig_is(&r, "confirmed.cumulative_imported", "1");
	fig_is(&r, "asymptomatic.new", "1");
	fig_is(&r, "asymptomatic.new_imported", "1");
	fig_is(&r, "asymptomatic.under_observation", "4");
	report_daily_release(&r);

	/* 03-03: the conversion, counted once, as confirmed. */
	r = daily(w, COUNTY, "2022-03-03", NULL);
	fig_is(&r, "confirmed.new", "1");
	fig_is(&r, "confirmed.new_local", "1");
	fig_is(&r, "confirmed.new_from_asymptomatic", "1");
	fig_is(&r, "confirmed.cumulative", "2");
	fig_is(&r, "confirmed.cumulative_local", "1");
	fig_is(&r, "asymptomatic.converted", "1");
	fig_is(&r, "asymptomatic.new", "0");
	fig_is(&r, "asymptomatic.under_observation", "3");
	fig_is(&r, "asymptomatic.cumulative", "4");
	/* Infections: 2 confirmed (0, 3) + 3 under observation (1, 2, 4)
	 * + 0 released = 5 persons, none counted twice. */
	const struct store_report_counts *t = totals(&r);
	assert_int_equal(t->conf_cum[0] + t->conf_cum[1] + t->asym_observed,
			 5);
	report_daily_release(&r);

	/* 03-04: the asymptomatic death is not a death (docs/reports.md),
	 * it leaves observation. */
	r = daily(w, COUNTY, "2022-03-04", NULL);
	fig_is(&r, "deaths.new", "0");
	fig_is(&r, "deaths.cumulative", "0");
	fig_is(&r, "asymptomatic.under_observation", "2");
	fig_is(&r, "asymptomatic.converted", "0");
	report_daily_release(&r);

	r = daily(w, COUNTY, "2022-03-05", NULL);
	fig_is(&r, "asymptomatic.released", "1");
	fig_is(&r, "asymptomatic.under_observation", "1");
	fig_is(&r, "confirmed.cumulative", "2");
	report_daily_release(&r);
}

/* ---- 3. the cutoff */

static void test_cutoff(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	people(w, 5, ham_first);
	ok(store_begin(w->st, &err), &err, "begin");
	struct kase late = { CASE_CONFIRMED, false, T("2022-03-30", 15, 30),
			     NULL, NULL, OUTCOME_NONE };
	struct kase early = { CASE_CONFIRMED, false, T("2022-03-30", 14, 59),
			      NULL, NULL, OUTCOME_NONE };
	struct kase edge = { CASE_CONFIRMED, false, T("2022-03-30", 15, 0),
			     NULL, NULL, OUTCOME_NONE };
	/* Reported at 00:00 on 03-30: the end of 03-29's window. */
	struct kase midnight = { CASE_CONFIRMED, false, T("2022-03-30", 0, 0),
				 NULL, NULL, OUTCOME_NONE };
	/* Converted on 03-30 (a date): new on 03-30 whatever the cutoff;
	 * reported asymptomatic at 20:00 on 03-28. */
	struct kase conv = { CASE_CONFIRMED, false, T("2022-03-28", 20, 0),
			     "2022-03-30", NULL, OUTCOME_NONE };
	add_case(w, 0, &late);
	add_case(w, 1, &early);
	add_case(w, 2, &edge);
	add_case(w, 3, &midnight);
	add_case(w, 4, &conv);
	ok(store_commit(w->st, &err), &err, "commit");

	/* 24:00: late, early, edge and the conversion on 03-30;
	 * midnight on 03-29. */
	struct report_daily r = daily(w, COUNTY, "2022-03-30", NULL);
	fig_is(&r, "confirmed.new", "4");
	fig_is(&r, "confirmed.cumulative", "5");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-29", NULL);
	fig_is(&r, "confirmed.new", "1");
	fig_is(&r, "confirmed.cumulative", "1");
	fig_is(&r, "asymptomatic.new", "0");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-28", NULL);
	fig_is(&r, "asymptomatic.new", "1");
	report_daily_release(&r);

	/* 15:00: 03-30 is (03-29 15:00, 03-30 15:00]: midnight, early,
	 * edge (at the cutoff itself) and the conversion; late is 03-31's. */
	r = daily(w, COUNTY, "2022-03-30", "15:00");
	fig_is(&r, "confirmed.new", "4");
	fig_is(&r, "confirmed.cumulative", "4");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-31", "15:00");
	fig_is(&r, "confirmed.new", "1");
	fig_is(&r, "confirmed.cumulative", "5");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-29", "15:00");
	fig_is(&r, "confirmed.new", "0");
	fig_is(&r, "confirmed.cumulative", "0");
	/* The asymptomatic report at 20:00 on 03-28 is after 03-28 15:00. */
	fig_is(&r, "asymptomatic.new", "1");
	report_daily_release(&r);
}

/* ---- 4. rows sum to the totals: a brute-force count */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

#define NRANDOM 500

struct gen {
	int cls;            /* 0 confirmed, 1 asymptomatic, 2 converted */
	bool imported;
	int64_t reported;
	int32_t converted, outcome_day;
	int outcome;        /* 0 none, 1 cured, 2 died */
};

/* The expected figures of one case on day (window from, to], written
 * from the conventions alone. */
static void expect_case(const struct gen *g, int32_t day, int64_t from,
			int64_t to, struct store_report_counts *e)
{
	bool in = g->reported > from && g->reported <= to;
	bool by = g->reported <= to;
	int imp = g->imported;
	if (g->cls == 0) {
		e->conf_new[imp] += in;
		e->conf_cum[imp] += by;
	} else {
		e->asym_new[imp] += in;
		e->asym_cum += by;
	}
	if (g->cls == 2) {
		e->conf_new[imp] += g->converted == day;
		e->converted += g->converted == day;
		e->conf_cum[imp] += g->converted <= day;
	}
	bool closed = g->outcome && g->outcome_day <= day;
	if (g->cls != 1) {
		e->cured_new += g->outcome == 1 && g->outcome_day == day;
		e->cured_cum += g->outcome == 1 && closed;
		e->died_new += g->outcome == 2 && g->outcome_day == day;
		e->died_cum += g->outcome == 2 && closed;
	} else {
		e->asym_released += g->outcome == 1 && g->outcome_day == day;
	}
	bool converted = g->cls == 2 && g->converted <= day;
	e->asym_observed += g->cls != 0 && by && !converted && !closed;
}

static void test_rows_sum(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	struct gen g[NRANDOM];
	people(w, NRANDOM, ham_spread);
	rng_state = 20220330;
	int32_t d0 = D("2022-03-01");
	ok(store_begin(w->st, &err), &err, "begin");
	for (int i = 0; i < NRANDOM; i++) {
		g[i].cls = (int)rnd(3);
		g[i].imported = rnd(5) == 0;
		int32_t rday = d0 + (int32_t)rnd(10);
		g[i].reported = (int64_t)rday * 86400 - 8 * HOUR +
				(int64_t)rnd(86400);
		/* The report's date in CST: outcomes and conversions not
		 * before it. */
		int32_t cst = (int32_t)((g[i].reported + 8 * HOUR) / 86400);
		g[i].converted = g[i].cls == 2 ? cst + (int32_t)rnd(4) : 0;
		g[i].outcome = (int)rnd(3);
		g[i].outcome_day = g[i].outcome ? (g[i].cls == 2 ? g[i].converted
							      : cst) +
							   (int32_t)rnd(6)
						: 0;
		char conv[11], out[11];
		date_format(g[i].converted, conv, sizeof conv);
		date_format(g[i].outcome_day, out, sizeof out);
		struct kase k = {
			g[i].cls == 1 ? CASE_ASYMPTOMATIC : CASE_CONFIRMED,
			g[i].imported, g[i].reported,
			g[i].cls == 2 ? conv : NULL,
			g[i].outcome ? out : NULL,
			g[i].outcome == 1   ? OUTCOME_CURED
			: g[i].outcome == 2 ? OUTCOME_DIED
					    : OUTCOME_NONE };
		add_case(w, i, &k);
	}
	ok(store_commit(w->st, &err), &err, "commit");

	/* Rows of the county are its towns (A: hamlets 0-2, B: 3); rows
	 * of town A its villages (茶市村: hamlets 0-1, 新塘村: 2). */
	static const struct {
		const char *unit;
		size_t nrows;
		int row_of[NHAMLETS];     /* -1: outside */
	} views[] = {
		{ COUNTY, 2, { 0, 0, 0, 1 } },
		{ TOWN_A, 2, { 0, 0, 1, -1 } },
	};
	size_t nvals = report_ncols;
	struct report_val *got = calloc(nvals, sizeof *got),
			  *want = calloc(nvals, sizeof *want),
			  *sum = calloc(nvals, sizeof *sum);
	for (size_t v = 0; v < 2; v++) {
		for (int32_t day = d0 - 1; day <= d0 + 16; day++) {
			char ds[11];
			date_format(day, ds, sizeof ds);
			const char *cut = day % 2 ? "24:00" : "15:00";
			struct report_daily r = daily(w, views[v].unit, ds, cut);
			assert_int_equal(r.nrows, views[v].nrows);
			struct store_report_counts e[3];
			memset(e, 0, sizeof e);
			for (int i = 0; i < NRANDOM; i++) {
				int row = views[v].row_of[w->hamlet_of[i]];
				if (row < 0)
					continue;
				expect_case(&g[i], day, r.w.from, r.w.to,
					    &e[row]);
				expect_case(&g[i], day, r.w.from, r.w.to,
					    &e[2]);
			}
			memset(sum, 0, nvals * sizeof *sum);
			for (size_t k = 0; k <= r.nrows; k++) {
				size_t ek = k == r.nrows ? 2 : k;
				report_values(&e[ek], want);
				report_values(&r.figs[k], got);
				for (size_t c = 0; c < nvals; c++) {
					if (got[c].v != want[c].v ||
					    got[c].null != want[c].null)
						fail_msg("%s %s row %zu: %s is "
							 "%ld, counted %ld",
							 views[v].unit, ds, k,
							 report_cols[c].path,
							 got[c].v, want[c].v);
					if (k < r.nrows)
						sum[c].v += got[c].v;
				}
			}
			for (size_t c = 0; c < nvals; c++)
				if (report_cols[c].additive &&
				    sum[c].v != got[c].v)
					fail_msg("%s %s: rows of %s sum to %ld, "
						 "totals %ld", views[v].unit,
						 ds, report_cols[c].path,
						 sum[c].v, got[c].v);
			report_daily_release(&r);
		}
	}
	free(got);
	free(want);
	free(sum);
}

/* ---- 5. contacts, quarantine, sites, testing, zones, rounds
 *
 * Persons 0..7 (hamlet i % 4: 0, 4 in 上屋场; 1, 5 in 下屋场; 2, 6 in
 * 老屋场; 3, 7 in 塘边 of town B). Day D = 2022-03-30.
 *   case K of person 0, confirmed 03-29 10:00 (in hospital: away);
 *   contacts of K: 1 close traced D 10:00; 2 secondary D 11:00;
 *     4 close on D-1 and secondary of K2 on D: close, not new;
 *     7 close traced D+1 (not yet); 3 companion (not counted);
 *   case K2 of person 3 (town B), asymptomatic D-1 09:00;
 *   plans: 1 central in room 101 (site in 茶市村, rooms 101 cap 1 and
 *     102 cap 2), central part to 04-05; 2 home; 4 released on D;
 *     5 central, planned D+1 (not yet);
 *   tubes: T1 10-in-1 of 1, 2, 3 sampled D 08:00, positive D 20:00,
 *     round R; T2 single of 1 sampled D 21:00; T3 single of 6 sampled
 *     D-1 09:00, round R;
 *   round R over 茶市村 from D 06:00;
 *   zones: Z1 sealed, 上屋场, confirmed D-1; Z2 precaution, the county;
 *     Z3 controlled, 相市村, lifted D 10:00; Z4 sealed confirmed D+1. */
static void build_control(struct world *w)
{
	struct cd_err err;
	people(w, 8, ham_spread);
	ok(store_begin(w->st, &err), &err, "begin");
	struct kase k = { CASE_CONFIRMED, false, T("2022-03-29", 10, 0),
			  NULL, NULL, OUTCOME_NONE };
	struct kase k2 = { CASE_ASYMPTOMATIC, false, T("2022-03-29", 9, 0),
			   NULL, NULL, OUTCOME_NONE };
	add_case(w, 0, &k);
	add_case(w, 3, &k2);
	ok(store_commit(w->st, &err), &err, "commit");
	long long d = T("2022-03-30", 0, 0), h = HOUR;
#define PID(i) "(SELECT id FROM persons WHERE resident_id = '%s')"
#define CONTACT(i, cat, at)                                               \
	sql(w, "INSERT INTO contacts VALUES ((SELECT id FROM cases WHERE"  \
	    " person_id = " PID(0) "), " PID(i) ", '" cat "', NULL, 0,"    \
	    " 0, 0, %lld)", w->rids[0], w->rids[i], (long long)(at))
	CONTACT(1, "close", d + 10 * h);
	CONTACT(2, "secondary", d + 11 * h);
	CONTACT(4, "close", d - 10 * h);
	CONTACT(7, "close", d + 30 * h);
	CONTACT(3, "companion", d + 9 * h);
	sql(w, "INSERT INTO contacts VALUES ((SELECT id FROM cases WHERE"
	    " person_id = " PID(3) "), " PID(4) ", 'secondary', NULL, 0, 0,"
	    " 0, %lld)", w->rids[3], w->rids[4], d + 12 * h);
	sql(w, "INSERT INTO sites(code, name, unit_id) VALUES ('S1', '宾馆',"
	    " (SELECT id FROM units WHERE code = '" VIL_A "'));"
	    "INSERT INTO rooms(site_id, number, capacity) VALUES (1, '101', 1),"
	    " (1, '102', 2)");
#define PLAN(i, status, room, central_end, ended, at)                     \
	sql(w, "INSERT INTO quarantines(person_id, grp, profile, regime,"   \
	    " last_exposure, central_end, quarantine_end, status, room_id,"  \
	    " planned_at, ended_on) VALUES (" PID(i) ", 'close', 'v9', 'x',"  \
	    " '2022-03-29', %s, '2022-04-05', '" status "', %s, %lld, %s)",  \
	    w->rids[i], central_end, room, (long long)(at), ended)
	PLAN(1, "central", "1", "'2022-04-05'", "NULL", d + 12 * h);
	PLAN(2, "home", "NULL", "NULL", "NULL", d + 12 * h);
	PLAN(4, "released", "NULL", "NULL", "'2022-03-30'", d - 20 * h);
	PLAN(5, "central", "2", "'2022-04-05'", "NULL", d + 30 * h);
	sql(w, "INSERT INTO test_rounds(code, start_at, deadline) VALUES"
	    " ('R', %lld, %lld);"
	    "INSERT INTO round_units VALUES (1, (SELECT id FROM units WHERE"
	    " code = '" VIL_A "'))", d + 6 * h, d + 30 * h);
	sql(w, "INSERT INTO samples(tube, pool_size, point, sampled_at,"
	    " round_id) VALUES ('T1', 10, 'p', %lld, 1), ('T2', 1, 'p', %lld,"
	    " NULL), ('T3', 1, 'p', %lld, 1);"
	    "INSERT INTO results VALUES (1, 'positive', 'lab', %lld)",
	    d + 8 * h, d + 21 * h, d - 15 * h, d + 20 * h);
#define MEMBER(t, i)                                                      \
	sql(w, "INSERT INTO sample_members VALUES (%d, " PID(i) ")", t,    \
	    w->rids[i])
	MEMBER(1, 1);
	MEMBER(1, 2);
	MEMBER(1, 3);
	MEMBER(2, 1);
	MEMBER(3, 6);
#define ZONE(id, level, status, confirmed, lifted, unit)                  \
	sql(w, "INSERT INTO zone_proposals(id, kind, status, created_at)"  \
	    " VALUES (%d, 'new', 'confirmed', 0);"                          \
	    "INSERT INTO zones(id, proposal_id, level, status, proposed_at," \
	    " confirmed_at, lifted_at) VALUES (%d, %d, %d, '" status "', 0,"  \
	    " %lld, %s);"                                                   \
	    "INSERT INTO zone_areas(zone_id, unit_id) VALUES (%d, (SELECT id" \
	    " FROM units WHERE code = '%s'))", id, id, id, level,             \
	    (long long)(confirmed), lifted, id, unit)
	char lifted[32];
	snprintf(lifted, sizeof lifted, "%lld", d + 10 * h);
	ZONE(1, 3, "active", d - 10 * h, "NULL", HAM_A1);
	ZONE(2, 1, "active", d - 10 * h, "NULL", COUNTY);
	ZONE(3, 2, "lifted", d - 40 * h, lifted, VIL_B);
	ZONE(4, 3, "active", d + 30 * h, "NULL", HAM_A2);
}

static void test_control(void **state)
{
	struct world *w = *state;
	build_control(w);
	struct report_daily r = daily(w, COUNTY, "2022-03-30", NULL);
	/* Contacts: close 1 (new) and 4 (earlier); secondary 2. */
	fig_is(&r, "contacts.close_new", "1");
	fig_is(&r, "contacts.secondary_new", "1");
	fig_is(&r, "contacts.close_cumulative", "2");
	fig_is(&r, "contacts.secondary_cumulative", "1");
	fig_is(&r, "contacts.central", "1");
	fig_is(&r, "contacts.home", "1");
	fig_is(&r, "contacts.released_new", "1");
	fig_is(&r, "contacts.released_cumulative", "1");
	/* One site in 茶市村: 2 rooms, 3 places, 1 occupied = 33.33 %. */
	fig_is(&r, "quarantine.sites", "1");
	fig_is(&r, "quarantine.rooms", "2");
	fig_is(&r, "quarantine.capacity", "3");
	fig_is(&r, "quarantine.occupied", "1");
	fig_is(&r, "quarantine.occupancy", "33.33");
	/* Testing on D: persons 1, 2, 3 in T1 and T2; 2 tubes; 1 pool. */
	fig_is(&r, "testing.sampled_new", "3");
	fig_is(&r, "testing.tubes_new", "2");
	fig_is(&r, "testing.pools_positive_new", "1");
	/* Round R over 茶市村 (persons 0, 1, 4, 5): 0 in hospital and 1 in
	 * central quarantine are not expected; of 4 and 5 none sampled
	 * (6 is in 新塘村): 0 / 2. */
	fig_is(&r, "testing.round_coverage", "0.0");
	fig_is(&r, "zones.sealed", "1");
	fig_is(&r, "zones.controlled", "0");
	fig_is(&r, "zones.precaution", "1");
	fig_is(&r, "zones.lifted", "1");
	fig_is(&r, "confirmed.cumulative", "1");
	fig_is(&r, "asymptomatic.under_observation", "1");

	/* Rows: town A (persons 0-2, 4-6), town B (3, 7). */
	assert_int_equal(r.nrows, 2);
	const struct store_report_counts *a = &r.figs[0], *b = &r.figs[1];
	assert_string_equal(r.rows[0].code, TOWN_A);
	assert_string_equal(r.rows[1].code, TOWN_B);
	assert_int_equal(a->sampled_new, 2);
	assert_int_equal(b->sampled_new, 1);
	/* T1 holds people of both towns: a tube in each row, once in all. */
	assert_int_equal(a->tubes_new, 2);
	assert_int_equal(b->tubes_new, 1);
	assert_int_equal(a->pools_positive_new, 1);
	assert_int_equal(b->pools_positive_new, 1);
	assert_int_equal(a->zones[3], 1);
	assert_int_equal(a->zones[1], 1);
	assert_int_equal(a->zones[0], 0);
	assert_int_equal(b->zones[3], 0);
	assert_int_equal(b->zones[1], 1);
	assert_int_equal(b->zones[0], 1);
	assert_true(a->has_round);
	assert_false(b->has_round);
	assert_int_equal(a->round_expected, 2);
	assert_int_equal(a->sites, 1);
	assert_int_equal(b->sites, 0);
	report_daily_release(&r);

	/* D+1: 7 becomes close, 5 enters central quarantine (room 102),
	 * Z4 is sealed; T3 (D-1) never counted on D. */
	r = daily(w, COUNTY, "2022-03-31", NULL);
	fig_is(&r, "contacts.close_new", "1");
	fig_is(&r, "contacts.close_cumulative", "3");
	fig_is(&r, "contacts.central", "2");
	fig_is(&r, "contacts.released_new", "0");
	fig_is(&r, "contacts.released_cumulative", "1");
	fig_is(&r, "quarantine.occupied", "2");
	fig_is(&r, "zones.sealed", "2");
	fig_is(&r, "testing.sampled_new", "0");
	report_daily_release(&r);

	/* D-1: only 4 is a contact; T3 sampled (person 6); no round yet
	 * (R starts on D); Z3 still active. */
	r = daily(w, COUNTY, "2022-03-29", NULL);
	fig_is(&r, "contacts.close_new", "1");
	fig_is(&r, "contacts.central", "0");
	fig_is(&r, "contacts.home", "1");
	fig_is(&r, "testing.sampled_new", "1");
	fig_is(&r, "testing.round_coverage", "null");
	fig_is(&r, "zones.controlled", "1");
	fig_is(&r, "zones.lifted", "0");
	report_daily_release(&r);

	/* Z5 sealed from D-1 14:00, downgraded to controlled on D+1 10:00
	 * (the UPDATE of store_zone_set): sealed on D (Z1, Z5), controlled
	 * on D+1 (Z5) beside Z1 and Z4 sealed; with a 09:00 cutoff, D+1's
	 * window ends before the downgrade and after Z4's 06:00 start. */
	long long d = T("2022-03-30", 0, 0), h = HOUR;
	ZONE(5, 3, "active", d - 10 * h, "NULL", VIL_B);
	sql(w, "UPDATE zones SET level_since = confirmed_at WHERE id = 5;"
	    "UPDATE zones SET level = 2, level_since = %lld WHERE id = 5",
	    d + 34 * h);
	r = daily(w, COUNTY, "2022-03-30", NULL);
	fig_is(&r, "zones.sealed", "2");
	fig_is(&r, "zones.controlled", "0");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-31", NULL);
	fig_is(&r, "zones.sealed", "2");
	fig_is(&r, "zones.controlled", "1");
	report_daily_release(&r);
	r = daily(w, COUNTY, "2022-03-31", "09:00");   /* Z4 from 06:00 */
	fig_is(&r, "zones.sealed", "3");
	fig_is(&r, "zones.controlled", "0");
	report_daily_release(&r);
}

/* The series of each day's totals equals the daily reports; the curve
 * puts the conversion on its date. */
static void test_series_curve(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	test_conversion(state);
	struct report_series s;
	ok(report_series(w->st, COUNTY, D("2022-03-01"), D("2022-03-05"),
			 REPORT_CUTOFF_DEFAULT, &s, &err), &err, "series");
	for (int32_t d = s.from; d <= s.to; d++) {
		char ds[11];
		date_format(d, ds, sizeof ds);
		struct report_daily r = daily(w, COUNTY, ds, NULL);
		assert_memory_equal(&s.days[d - s.from], totals(&r),
				    sizeof *totals(&r));
		report_daily_release(&r);
	}
	report_series_release(&s);
	assert_int_equal(report_series(w->st, COUNTY, D("2022-03-05"),
				       D("2022-03-01"), 1440, &s, &err),
			 CD_EINVAL);
	assert_int_equal(report_series(w->st, COUNTY, D("2022-01-01"),
				       D("2023-01-02"), 1440, &s, &err),
			 CD_EINVAL);
	report_series_release(&s);

	struct report_curve c;
	ok(report_curve(w->st, COUNTY, D("2022-02-28"), D("2022-03-04"), &c,
			&err), &err, "curve");
	/* By onset (here the sampling date): 0 and 3 confirmed on 03-01
	 * and 03-02; 1, 2 asymptomatic on 03-01, 4 on 03-02. By report:
	 * 0 confirmed on 03-03 (its conversion), 3 on 03-02; 1, 2 on 03-01
	 * and 4 on 03-02 asymptomatic. Index 0 is 02-28. */
	long oc[] = { 0, 1, 1, 0, 0 }, oa[] = { 0, 2, 1, 0, 0 },
	     rc[] = { 0, 0, 1, 1, 0 }, ra[] = { 0, 2, 1, 0, 0 };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(c.c.onset_conf[i], oc[i]);
		assert_int_equal(c.c.onset_asym[i], oa[i]);
		assert_int_equal(c.c.report_conf[i], rc[i]);
		assert_int_equal(c.c.report_asym[i], ra[i]);
	}
	report_curve_release(&c);
}

static void test_unknown_unit(void **state)
{
	struct world *w = *state;
	struct report_daily r;
	struct cd_err err;
	assert_int_equal(report_daily(w->st, "430499", D("2022-03-30"), 1440,
				      &r, &err),
			 CD_ENOTFOUND);
	report_daily_release(&r);
	char code[UNIT_CODE_MAX];
	ok(report_default_unit(w->st, code, &err), &err, "default");
	assert_string_equal(code, COUNTY);
	/* A hamlet has no rows; its totals are its own. */
	people(w, 4, ham_spread);
	r = daily(w, HAM_B1, "2022-03-30", NULL);
	assert_int_equal(r.nrows, 0);
	report_daily_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_cutoff_parse),
		cmocka_unit_test_setup_teardown(test_xianan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conversion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cutoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_sum, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series_curve, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_unit, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
