/* test_trace.c — the tracer on hand-built scenarios, one per rule, with
 * expected categories worked out by hand; and a randomized comparison
 * with a brute-force tracer written plainly here (O(n^2) over raw rows,
 * no indexes) on many seeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/trace.h"
#include "lib/rng.h"

#define NP 64          /* person ids 1..63 */
#define MAXROWS 4096

enum { TEAHOUSE = 1, MARKET = 2, RESTAURANT = 3, NVENUES = 4 };
enum { BUS = 1, TRAIN = 2, NTRIPS = 3 };

struct wb {
	struct prow rows[PS_COUNT][MAXROWS];
	size_t n[PS_COUNT];
	uint32_t household[NP];
	unsigned char is_case[NP];
	unsigned char venue_kind[NVENUES];
	unsigned char trip_mode[NTRIPS];
	uint64_t hh_off[NP + 1];
	uint32_t hh_members[NP];
	struct rules rules;
	struct trace_world w;
	struct pindex ix[PS_COUNT];
};

/* Minutes into the scenario (day 0 00:00 is presence time T0). */
#define T0 70000000u
static uint32_t at(int day, int hh, int mm)
{
	return T0 + (uint32_t)(day * 86400 + (hh * 60 + mm) * 60);
}

static void wb_init(struct wb *b)
{
	memset(b, 0, sizeof *b);
	struct rules_tracing *t = &b->rules.tracing;
	t->lookback_days = 2;
	for (int k = 0; k < VK_COUNT; k++) {
		t->overlap_minutes[k] = 15;
		t->dwell_minutes[k] = 30;
	}
	t->enclosed[VK_TEAHOUSE] = t->enclosed[VK_RESTAURANT] = true;
	t->dwell_minutes[VK_TEAHOUSE] = 120;
	t->dwell_minutes[VK_MARKET] = 45;
	t->dwell_minutes[VK_RESTAURANT] = 60;
	t->bus_seat_rows = 3;
	t->rail_seat_rows = 2;
	t->companion_minutes = 10;
	t->proximity_minutes = 15;
	t->secondary = true;
	b->venue_kind[TEAHOUSE] = VK_TEAHOUSE;
	b->venue_kind[MARKET] = VK_MARKET;
	b->venue_kind[RESTAURANT] = VK_RESTAURANT;
	b->trip_mode[BUS] = TRIP_BUS;
	b->trip_mode[TRAIN] = TRIP_RAIL;
}

static void row(struct wb *b, enum psource s, uint32_t key, uint32_t person,
		uint32_t start, uint32_t end, uint32_t aux)
{
	assert_true(b->n[s] < MAXROWS);
	b->rows[s][b->n[s]++] = (struct prow){ key, person, start, end, aux };
}

static void scan(struct wb *b, uint32_t venue, uint32_t p, uint32_t in,
		 uint32_t out)
{
	row(b, PS_SCANS, venue, p, in, out, 0);
}

static void ride(struct wb *b, uint32_t trip, uint32_t p, uint32_t dep,
		 int carriage, int seat)
{
	row(b, PS_RIDES, trip, p, dep, dep, (uint32_t)carriage << 16 |
						    (uint32_t)seat);
}

static void stay(struct wb *b, uint32_t cell, uint32_t p, uint32_t a,
		 uint32_t z)
{
	row(b, PS_CELLS, cell, p, a, z, 0);
}

static void near(struct wb *b, uint32_t p, uint32_t q, uint32_t a, int min)
{
	row(b, PS_PROXIMITY, q, p, a, a + (uint32_t)min * 60, 0);
	row(b, PS_PROXIMITY, p, q, a, a + (uint32_t)min * 60, 0);
}

static void wb_finish(struct wb *b)
{
	for (int s = 0; s < PS_COUNT; s++)
		pindex_build(b->rows[s], b->n[s], &b->ix[s]);
	size_t k = 0;
	for (uint32_t h = 0; h < NP; h++) {
		b->hh_off[h] = k;
		for (uint32_t p = 1; p < NP; p++)
			if (h && b->household[p] == h)
				b->hh_members[k++] = p;
	}
	b->hh_off[NP] = k;
	struct trace_world w = { { b->ix[0], b->ix[1], b->ix[2], b->ix[3] },
				 b->household, NP, b->hh_off, b->hh_members,
				 NP, b->venue_kind, NVENUES, b->trip_mode,
				 NTRIPS, b->is_case, &b->rules };
	b->w = w;
}

static void wb_release(struct wb *b)
{
	for (int s = 0; s < PS_COUNT; s++)
		pindex_release(&b->ix[s]);
}

/* The category of person p in r, or -1 when not a contact. */
static int cat_of(const struct trace_result *r, uint32_t p)
{
	for (size_t i = 0; i < r->ncontacts; i++)
		if (r->contacts[i].person == p)
			return r->contacts[i].cat;
	return -1;
}

static const struct trace_contact *contact(const struct trace_result *r,
					   uint32_t p)
{
	for (size_t i = 0; i < r->ncontacts; i++)
		if (r->contacts[i].person == p)
			return &r->contacts[i];
	return NULL;
}

static size_t evidence_of(const struct trace_result *r, uint32_t p)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nev; i++)
		n += r->ev[i].person == p;
	return n;
}

/* The reference world: case 1, traced over days 0-2 (to day 2 12:00). */
static void scenario(struct wb *b)
{
	wb_init(b);
	/* household 1: case 1 with 2 and 3; household 2: 4 and 30 */
	b->household[1] = b->household[2] = b->household[3] = 1;
	b->household[4] = b->household[30] = 2;
	/* teahouse, day 0: case 09:00-11:00 with check-out */
	scan(b, TEAHOUSE, 1, at(0, 9, 0), at(0, 11, 0));
	scan(b, TEAHOUSE, 4, at(0, 10, 0), at(0, 10, 30));  /* 30 min: close */
	scan(b, TEAHOUSE, 6, at(0, 10, 46), at(0, 11, 0));  /* 14 min */
	scan(b, TEAHOUSE, 7, at(0, 10, 45), at(0, 11, 0));  /* 15 min */
	/* teahouse, day 1: case 14:00 without check-out (dwell 120 min) */
	scan(b, TEAHOUSE, 1, at(1, 14, 0), 0);
	scan(b, TEAHOUSE, 8, at(1, 15, 50), at(1, 16, 30)); /* 10 min */
	scan(b, TEAHOUSE, 9, at(1, 15, 40), 0);             /* 20 min */
	/* market (open), day 0 07:00, dwell 45 */
	scan(b, MARKET, 1, at(0, 7, 0), 0);
	scan(b, MARKET, 5, at(0, 7, 10), 0);                /* general */
	scan(b, MARKET, 4, at(0, 7, 20), 0);                /* also close */
	/* bus, day 1 13:00: case row 8 */
	ride(b, BUS, 1, at(1, 13, 0), 1, 8);
	ride(b, BUS, 10, at(1, 13, 0), 1, 5);               /* 3 rows: close */
	ride(b, BUS, 11, at(1, 13, 0), 1, 12);              /* 4 rows (7 from
							       10) */
	/* train, day 1 18:00: case carriage 3 row 10 (rail rows 2) */
	ride(b, TRAIN, 1, at(1, 18, 0), 3, 10);
	ride(b, TRAIN, 12, at(1, 18, 0), 3, 12);            /* close */
	ride(b, TRAIN, 13, at(1, 18, 0), 4, 10);            /* general */
	/* cells: case in cell 100 day 0 08:00-12:00 */
	stay(b, 100, 1, at(0, 8, 0), at(0, 12, 0));
	stay(b, 100, 14, at(0, 11, 52), at(0, 12, 30));     /* 8 min */
	stay(b, 100, 15, at(0, 11, 50), at(0, 13, 0));      /* 10 min */
	stay(b, 100, 16, at(0, 8, 0), at(0, 8, 6));         /* 6 + 6 min */
	stay(b, 100, 16, at(0, 9, 0), at(0, 9, 6));
	/* proximity: 10 + 6 min with 17, 14 min with 18 */
	near(b, 1, 17, at(0, 15, 0), 10);
	near(b, 1, 17, at(1, 9, 0), 6);
	near(b, 1, 18, at(1, 10, 0), 14);
	/* after the case's isolation (day 2 12:00): does not count */
	scan(b, TEAHOUSE, 1, at(2, 13, 0), at(2, 15, 0));
	scan(b, TEAHOUSE, 22, at(2, 13, 0), at(2, 15, 0));
	/* close contact 4 (first close exposure day 0 10:00), isolated at
	 * day 1 23:00: restaurant before, during and after its window */
	scan(b, RESTAURANT, 4, at(0, 6, 0), at(0, 7, 0));
	scan(b, RESTAURANT, 19, at(0, 6, 0), at(0, 7, 0));  /* before */
	scan(b, RESTAURANT, 4, at(1, 19, 0), at(1, 20, 0));
	scan(b, RESTAURANT, 20, at(1, 19, 0), at(1, 20, 0)); /* within */
	scan(b, RESTAURANT, 4, at(2, 12, 0), at(2, 13, 0));
	scan(b, RESTAURANT, 21, at(2, 12, 0), at(2, 13, 0)); /* after */
	/* 23 is another case, in the case's household */
	b->household[23] = 1;
	b->is_case[23] = 1;
	wb_finish(b);
}

static uint32_t iso[NP];

static const struct trace_result *trace_it(struct wb *b, struct tracer **t,
					   const struct trace_manual *m,
					   size_t nm)
{
	static const struct trace_result *r;
	memset(iso, 0, sizeof iso);
	iso[4] = at(1, 23, 0);
	struct trace_input in = { 1, at(0, 0, 0), at(2, 12, 0), at(3, 0, 0),
				  m, nm, iso };
	*t = tracer_new(&b->w);
	tracer_run(*t, &in, &r);
	return r;
}

static void test_rules(void **state)
{
	(void)state;
	static struct wb b;
	struct tracer *t;
	struct trace_manual manual[] = { { 24 } };
	scenario(&b);
	const struct trace_result *r = trace_it(&b, &t, manual, 1);
	/* household */
	assert_int_equal(cat_of(r, 2), CAT_CLOSE);
	assert_int_equal(cat_of(r, 3), CAT_CLOSE);
	/* enclosed venue over and under the threshold; open venue */
	assert_int_equal(cat_of(r, 4), CAT_CLOSE);
	assert_int_equal(cat_of(r, 6), CAT_GENERAL);
	assert_int_equal(cat_of(r, 7), CAT_CLOSE);
	assert_int_equal(cat_of(r, 5), CAT_GENERAL);
	/* missing check-out: dwell by kind. 9 (15:40, no check-out, so to
	 * 17:40) is close; 8 had only 10 minutes with the case, but 40 with
	 * close contact 9 at the enclosed teahouse: secondary via 9. */
	assert_int_equal(cat_of(r, 9), CAT_CLOSE);
	assert_int_equal(cat_of(r, 8), CAT_SECONDARY);
	assert_int_equal(contact(r, 8)->via, 9);
	/* seat rows, bus and rail */
	assert_int_equal(cat_of(r, 10), CAT_CLOSE);
	assert_int_equal(cat_of(r, 11), CAT_GENERAL);
	assert_int_equal(cat_of(r, 12), CAT_CLOSE);
	assert_int_equal(cat_of(r, 13), CAT_GENERAL);
	/* cells: 8 min no, 10 min yes, 6 + 6 min cumulative yes */
	assert_int_equal(cat_of(r, 14), -1);
	assert_int_equal(cat_of(r, 15), CAT_COMPANION);
	assert_int_equal(cat_of(r, 16), CAT_COMPANION);
	/* proximity accumulates: 16 min close, 14 min general */
	assert_int_equal(cat_of(r, 17), CAT_CLOSE);
	assert_int_equal(cat_of(r, 18), CAT_GENERAL);
	/* the case's isolation ends its window */
	assert_int_equal(cat_of(r, 22), -1);
	/* secondary window of close contact 4: before no, within yes,
	 * after isolation no; 4's household member 30 is secondary */
	assert_int_equal(cat_of(r, 19), -1);
	assert_int_equal(cat_of(r, 20), CAT_SECONDARY);
	assert_int_equal(contact(r, 20)->via, 4);
	assert_int_equal(cat_of(r, 21), -1);
	assert_int_equal(cat_of(r, 30), CAT_SECONDARY);
	/* manual addition */
	assert_int_equal(cat_of(r, 24), CAT_CLOSE);
	/* another case is listed as a link, not counted */
	assert_int_equal(cat_of(r, 23), CAT_CLOSE);
	assert_int_equal(contact(r, 23)->is_case, 1);
	/* 4 was reached at the teahouse and at the market: close, with all
	 * the evidence; first exposure is the close one (10:00) */
	assert_int_equal(evidence_of(r, 4), 2);
	assert_int_equal(contact(r, 4)->first, at(0, 10, 0));
	assert_int_equal(contact(r, 4)->last, at(0, 10, 30));
	/* counts: close 2,3,4,7,9,10,12,17,24 (23 is a case); secondary
	 * 8,20,30; companions 15,16; general 5,6,11,13,18 */
	assert_int_equal(r->counts[CAT_CLOSE], 9);
	assert_int_equal(r->counts[CAT_SECONDARY], 3);
	assert_int_equal(r->counts[CAT_COMPANION], 2);
	assert_int_equal(r->counts[CAT_GENERAL], 5);
	/* the case is never its own contact */
	assert_int_equal(cat_of(r, 1), -1);
	tracer_free(t);
	wb_release(&b);
}

static void test_no_secondary_profile(void **state)
{
	(void)state;
	static struct wb b;
	struct tracer *t;
	scenario(&b);
	b.rules.tracing.secondary = false; /* v9-20 */
	const struct trace_result *r = trace_it(&b, &t, NULL, 0);
	assert_int_equal(r->counts[CAT_SECONDARY], 0);
	assert_int_equal(cat_of(r, 20), -1);
	assert_int_equal(cat_of(r, 30), -1);
	assert_int_equal(cat_of(r, 8), CAT_GENERAL);
	assert_int_equal(r->counts[CAT_CLOSE], 8);
	tracer_free(t);
	wb_release(&b);
}

/* The shipped profiles on the scenario: v8 and v9 trace the same sets;
 * v9-20 identifies no secondary contacts (DOMAIN.md). */
static void test_shipped_profiles(void **state)
{
	(void)state;
	static struct wb b;
	const char *names[] = { "v8", "v9", "v9-20" };
	size_t close[3], secondary[3], companion[3], general[3];
	for (int i = 0; i < 3; i++) {
		struct tracer *t;
		struct cd_err err;
		scenario(&b);
		assert_int_equal(rules_builtin(names[i], &b.rules, &err), CD_OK);
		const struct trace_result *r = trace_it(&b, &t, NULL, 0);
		close[i] = r->counts[CAT_CLOSE];
		secondary[i] = r->counts[CAT_SECONDARY];
		companion[i] = r->counts[CAT_COMPANION];
		general[i] = r->counts[CAT_GENERAL];
		/* The scenario's thresholds hold under each: 4 close at the
		 * teahouse (60 min), 6 not (14 min < 15), 15 a companion. */
		assert_int_equal(cat_of(r, 6), CAT_GENERAL);
		assert_int_equal(cat_of(r, 15), CAT_COMPANION);
		tracer_free(t);
		wb_release(&b);
	}
	assert_int_equal(close[0], close[1]);
	assert_int_equal(secondary[0], secondary[1]);
	assert_int_equal(companion[0], companion[1]);
	assert_int_equal(general[0], general[1]);
	assert_true(secondary[1] > 0);
	assert_int_equal(secondary[2], 0);
	assert_int_equal(close[2], close[1]);
}

static void test_crowd_limit(void **state)
{
	(void)state;
	static struct wb b;
	struct tracer *t;
	const struct trace_result *r;
	wb_init(&b);
	b.rules.tracing.crowd_limit = 3;
	/* Day 0, teahouse 09:00-11:00: three others for an hour each. */
	scan(&b, TEAHOUSE, 1, at(0, 9, 0), at(0, 11, 0));
	for (uint32_t p = 2; p <= 4; p++)
		scan(&b, TEAHOUSE, p, at(0, 9, 0), at(0, 10, 0));
	/* Day 1, restaurant 12:00-13:00: four others, one too many. */
	scan(&b, RESTAURANT, 1, at(1, 12, 0), at(1, 13, 0));
	for (uint32_t p = 5; p <= 8; p++)
		scan(&b, RESTAURANT, p, at(1, 12, 0), at(1, 13, 0));
	/* ...and one more there for 5 minutes: under the threshold, not
	 * part of the crowd count. */
	scan(&b, RESTAURANT, 9, at(1, 12, 0), at(1, 12, 5));
	wb_finish(&b);
	struct trace_input in = { 1, at(0, 0, 0), at(2, 0, 0), at(2, 0, 0),
				  NULL, 0, NULL };
	t = tracer_new(&b.w);
	tracer_run(t, &in, &r);
	for (uint32_t p = 2; p <= 4; p++)
		assert_int_equal(cat_of(r, p), CAT_CLOSE);
	for (uint32_t p = 5; p <= 9; p++)
		assert_int_equal(cat_of(r, p), CAT_GENERAL);
	tracer_free(t);
	wb_release(&b);
}

static void test_thresholds_from_rules(void **state)
{
	(void)state;
	static struct wb b;
	struct tracer *t;
	scenario(&b);
	/* A stricter profile: 20 minutes at the teahouse, 4 bus rows. */
	b.rules.tracing.overlap_minutes[VK_TEAHOUSE] = 20;
	b.rules.tracing.bus_seat_rows = 4;
	const struct trace_result *r = trace_it(&b, &t, NULL, 0);
	assert_int_equal(cat_of(r, 7), CAT_GENERAL); /* 15 < 20 */
	assert_int_equal(cat_of(r, 9), CAT_CLOSE);   /* 20 >= 20 */
	assert_int_equal(cat_of(r, 11), CAT_CLOSE);  /* 4 rows */
	tracer_free(t);
	wb_release(&b);
}

/* ---- brute force: every rule restated over the raw rows */

struct bf {
	int cat[NP]; /* -1 none */
};

static uint32_t lo32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t hi32(uint32_t a, uint32_t b) { return a > b ? a : b; }

static void better(struct bf *f, uint32_t p, int c)
{
	if (f->cat[p] < 0 || c < f->cat[p])
		f->cat[p] = c;
}

static uint32_t scan_end(const struct wb *b, const struct prow *r)
{
	return r->end > r->start
		       ? r->end
		       : r->start + (uint32_t)b->rules.tracing
						    .dwell_minutes[b->venue_kind
									   [r->key]] *
					    60;
}

/* Close-type exposures of self within [from, to) → category c; general
 * ones too when general is set. Also the first close exposure to each. */
static void bf_pass(const struct wb *b, struct bf *f, uint32_t self,
		    uint32_t skip, uint32_t from, uint32_t to, int c,
		    int general, uint32_t *first)
{
	const struct rules_tracing *rt = &b->rules.tracing;
	for (uint32_t q = 1; q < NP; q++)
		if (q != self && q != skip && b->household[q] &&
		    b->household[q] == b->household[self]) {
			better(f, q, c);
			if (first && from < first[q])
				first[q] = from;
		}
	for (size_t i = 0; i < b->n[PS_SCANS]; i++) {
		const struct prow *s = &b->rows[PS_SCANS][i];
		if (s->person != self)
			continue;
		uint32_t a = hi32(s->start, from), z = lo32(scan_end(b, s), to);
		int kind = b->venue_kind[s->key];
		uint32_t need = (uint32_t)rt->overlap_minutes[kind] * 60;
		long crowd = 0;
		for (size_t j = 0; z > a && j < b->n[PS_SCANS]; j++) {
			const struct prow *u = &b->rows[PS_SCANS][j];
			uint32_t qa = hi32(a, u->start), qz = lo32(z, scan_end(b, u));
			crowd += u->key == s->key && u->person != self &&
				 u->person != skip && qz > qa && qz - qa >= need;
		}
		int room = rt->crowd_limit == 0 || crowd <= rt->crowd_limit;
		for (size_t j = 0; z > a && j < b->n[PS_SCANS]; j++) {
			const struct prow *u = &b->rows[PS_SCANS][j];
			if (u->key != s->key || u->person == self ||
			    u->person == skip)
				continue;
			uint32_t qa = hi32(a, u->start), qz = lo32(z, scan_end(b, u));
			if (qz <= qa)
				continue;
			int close = rt->enclosed[kind] && room && qz - qa >= need;
			if (close) {
				better(f, u->person, c);
				if (first && qa < first[u->person])
					first[u->person] = qa;
			} else if (general) {
				better(f, u->person, CAT_GENERAL);
			}
		}
	}
	for (size_t i = 0; i < b->n[PS_RIDES]; i++) {
		const struct prow *s = &b->rows[PS_RIDES][i];
		if (s->person != self || s->start < from || s->start >= to)
			continue;
		int rows_ok = b->trip_mode[s->key] == TRIP_RAIL ? rt->rail_seat_rows
								: rt->bus_seat_rows;
		for (size_t j = 0; j < b->n[PS_RIDES]; j++) {
			const struct prow *u = &b->rows[PS_RIDES][j];
			if (u->key != s->key || u->person == self ||
			    u->person == skip)
				continue;
			int d = (int)(u->aux & 0xffff) - (int)(s->aux & 0xffff);
			if ((u->aux >> 16) == (s->aux >> 16) && abs(d) <= rows_ok) {
				better(f, u->person, c);
				if (first && s->start < first[u->person])
					first[u->person] = s->start;
			} else if (general) {
				better(f, u->person, CAT_GENERAL);
			}
		}
	}
	uint64_t prox[NP] = { 0 };
	uint32_t pfirst[NP];
	for (int q = 0; q < NP; q++)
		pfirst[q] = UINT32_MAX;
	for (size_t i = 0; i < b->n[PS_PROXIMITY]; i++) {
		const struct prow *s = &b->rows[PS_PROXIMITY][i];
		uint32_t a = hi32(s->start, from), z = lo32(s->end, to);
		if (s->person == self && s->key != skip && z > a) {
			prox[s->key] += z - a;
			if (a < pfirst[s->key])
				pfirst[s->key] = a;
		}
	}
	for (uint32_t q = 1; q < NP; q++) {
		if (prox[q] >= (uint64_t)rt->proximity_minutes * 60) {
			better(f, q, c);
			if (first && pfirst[q] < first[q])
				first[q] = pfirst[q];
		} else if (prox[q] && general) {
			better(f, q, CAT_GENERAL);
		}
	}
}

static void brute(const struct wb *b, const struct trace_input *in,
		  struct bf *f)
{
	uint32_t first[NP];
	for (int q = 0; q < NP; q++) {
		f->cat[q] = -1;
		first[q] = UINT32_MAX;
	}
	bf_pass(b, f, in->person, in->person, in->from, in->to, CAT_CLOSE, 1,
		first);
	uint64_t cell[NP] = { 0 };
	for (size_t i = 0; i < b->n[PS_CELLS]; i++) {
		const struct prow *s = &b->rows[PS_CELLS][i];
		if (s->person != in->person)
			continue;
		uint32_t a = hi32(s->start, in->from), z = lo32(s->end, in->to);
		for (size_t j = 0; z > a && j < b->n[PS_CELLS]; j++) {
			const struct prow *u = &b->rows[PS_CELLS][j];
			uint32_t qa = hi32(a, u->start), qz = lo32(z, u->end);
			if (u->key == s->key && u->person != in->person && qz > qa)
				cell[u->person] += qz - qa;
		}
	}
	for (uint32_t q = 1; q < NP; q++)
		if (cell[q] >= (uint64_t)b->rules.tracing.companion_minutes * 60)
			better(f, q, CAT_COMPANION);
	if (!b->rules.tracing.secondary)
		return;
	struct bf close = *f;
	for (uint32_t q = 1; q < NP; q++) {
		if (close.cat[q] != CAT_CLOSE || b->is_case[q])
			continue;
		uint32_t to = in->isolated && in->isolated[q] ? in->isolated[q]
							      : in->now;
		if (to > first[q])
			bf_pass(b, f, q, in->person, first[q], to,
				CAT_SECONDARY, 0, NULL);
	}
}

static void random_world(struct wb *b, uint64_t seed)
{
	struct rng r;
	rng_init(&r, seed, 1, 2);
	wb_init(b);
	b->rules.tracing.secondary = rng_chance(&r, 0.8);
	b->rules.tracing.crowd_limit = rng_chance(&r, 0.5)
					       ? (int)rng_range(&r, 1, 4) : 0;
	for (uint32_t p = 1; p < NP; p++)
		b->household[p] = (uint32_t)rng_range(&r, 0, 20);
	for (uint32_t p = 1; p < NP; p++)
		b->is_case[p] = rng_chance(&r, 0.05);
	uint32_t span = 3 * 86400;
	for (int i = 0; i < 300; i++) {
		uint32_t a = T0 + (uint32_t)rng_range(&r, 0, span);
		uint32_t z = rng_chance(&r, 0.5)
				     ? a + (uint32_t)rng_range(&r, 60, 7200)
				     : 0;
		scan(b, (uint32_t)rng_range(&r, 1, NVENUES - 1),
		     (uint32_t)rng_range(&r, 1, NP - 1), a, z);
	}
	for (int i = 0; i < 80; i++) {
		uint32_t trip = (uint32_t)rng_range(&r, 1, NTRIPS - 1);
		ride(b, trip, (uint32_t)rng_range(&r, 1, NP - 1),
		     T0 + trip * 40000, (int)rng_range(&r, 1, 2),
		     (int)rng_range(&r, 1, 12));
	}
	for (int i = 0; i < 300; i++) {
		uint32_t a = T0 + (uint32_t)rng_range(&r, 0, span);
		stay(b, (uint32_t)rng_range(&r, 1, 6),
		     (uint32_t)rng_range(&r, 1, NP - 1), a,
		     a + (uint32_t)rng_range(&r, 60, 20000));
	}
	for (int i = 0; i < 60; i++) {
		uint32_t p = (uint32_t)rng_range(&r, 1, NP - 1);
		uint32_t q = (uint32_t)rng_range(&r, 1, NP - 1);
		if (p != q)
			near(b, p, q, T0 + (uint32_t)rng_range(&r, 0, span),
			     (int)rng_range(&r, 1, 12));
	}
	wb_finish(b);
}

static void test_against_brute_force(void **state)
{
	(void)state;
	static struct wb b;
	static uint32_t isolated[NP];
	long compared = 0;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		random_world(&b, seed);
		struct rng r;
		rng_init(&r, seed, 9, 9);
		for (int q = 0; q < NP; q++)
			isolated[q] = rng_chance(&r, 0.3)
					      ? T0 + (uint32_t)rng_range(&r, 0,
									 4 * 86400)
					      : 0;
		uint32_t person = (uint32_t)rng_range(&r, 1, NP - 1);
		uint32_t from = T0 + (uint32_t)rng_range(&r, 0, 86400);
		uint32_t to = from + (uint32_t)rng_range(&r, 3600, 2 * 86400);
		struct trace_input in = { person, from, to, T0 + 4 * 86400,
					  NULL, 0, isolated };
		struct tracer *t = tracer_new(&b.w);
		const struct trace_result *res;
		tracer_run(t, &in, &res);
		struct bf f;
		brute(&b, &in, &f);
		for (uint32_t q = 1; q < NP; q++) {
			if (cat_of(res, q) != f.cat[q])
				fail_msg("seed %llu person %u: tracer %d, brute "
					 "force %d", (unsigned long long)seed,
					 q, cat_of(res, q), f.cat[q]);
			compared += f.cat[q] >= 0;
		}
		tracer_free(t);
		wb_release(&b);
	}
	/* The worlds are dense enough that every category occurs. */
	assert_true(compared > 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_no_secondary_profile),
		cmocka_unit_test(test_thresholds_from_rules),
		cmocka_unit_test(test_crowd_limit),
		cmocka_unit_test(test_shipped_profiles),
		cmocka_unit_test(test_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
