/* test_synth.c — invariants of the synthetic county on a small county:
 * valid unique IDs, households and hamlets in range, one household per
 * person, movements inside the window and at existing venues, the
 * reference case's trail, and determinism by seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/synth.h"
#include "lib/date.h"
#include "lib/ids.h"

#define MAXN 200000

struct collect {
	char (*units)[UNIT_CODE_MAX];
	int *unit_level;
	size_t nunits;
	char (*households)[HOUSEHOLD_CODE_MAX];
	size_t nhouseholds;
	char (*rids)[19];
	char (*person_hh)[HOUSEHOLD_CODE_MAX];
	char (*phones)[12];
	size_t npersons;
	char (*venues)[VENUE_CODE_MAX];
	size_t nvenues;
	char (*workers)[UNIT_CODE_MAX];
	size_t nworkers;
	long scans, rides, cells;
	long bad_venue_idx, bad_person_idx;
	int64_t t_min, t_max;
	int32_t d_min, d_max;
	uint64_t hash;
	/* the index case's trail on the second-last day */
	long index_person;
	int index_teahouse, index_bus;
	int32_t index_day;
	struct synth *s;
};

static void mix(struct collect *c, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		c->hash = (c->hash ^ b[i]) * 1099511628211ULL; /* FNV-1a */
}

static void mixs(struct collect *c, const char *s)
{
	mix(c, s, strlen(s) + 1);
}

static enum cd_code on_unit(void *ctx, const struct unit_rec *u)
{
	struct collect *c = ctx;
	assert_true(c->nunits < MAXN);
	memcpy(c->units[c->nunits], u->code, UNIT_CODE_MAX);
	c->unit_level[c->nunits++] = (int)u->level;
	mixs(c, u->code);
	mixs(c, u->name);
	return CD_OK;
}

static enum cd_code on_household(void *ctx, const struct household_rec *h)
{
	struct collect *c = ctx;
	assert_true(c->nhouseholds < MAXN);
	memcpy(c->households[c->nhouseholds++], h->code, HOUSEHOLD_CODE_MAX);
	mixs(c, h->code);
	mixs(c, h->address);
	return CD_OK;
}

static enum cd_code on_person(void *ctx, long idx, const struct person_rec *p)
{
	struct collect *c = ctx;
	assert_int_equal(idx, (long)c->npersons);
	assert_true(c->npersons < MAXN);
	memcpy(c->rids[c->npersons], p->rid, 19);
	memcpy(c->person_hh[c->npersons], p->household, HOUSEHOLD_CODE_MAX);
	memcpy(c->phones[c->npersons], p->phone, 12);
	/* The ID's own sex digit and birth date agree with the record. */
	struct rid id;
	struct cd_err err;
	assert_int_equal(rid_parse(p->rid, date_from_ymd(2022, 3, 30), &id,
				   &err), CD_OK);
	assert_int_equal(id.sex, p->sex);
	assert_int_equal(id.birth, p->birth);
	c->npersons++;
	mixs(c, p->rid);
	mixs(c, p->name);
	mixs(c, p->phone);
	return CD_OK;
}

static enum cd_code on_venue(void *ctx, long idx, const struct venue_rec *v)
{
	struct collect *c = ctx;
	assert_int_equal(idx, (long)c->nvenues);
	memcpy(c->venues[c->nvenues++], v->code, VENUE_CODE_MAX);
	mixs(c, v->code);
	mixs(c, v->name);
	return CD_OK;
}

static enum cd_code on_worker(void *ctx, const struct grid_worker_rec *g)
{
	struct collect *c = ctx;
	assert_int_equal(g->nunits, 1);
	memcpy(c->workers[c->nworkers++], g->units[0], UNIT_CODE_MAX);
	mixs(c, g->phone);
	return CD_OK;
}

static void span(struct collect *c, int64_t a, int64_t b)
{
	assert_true(b >= a);
	if (a < c->t_min)
		c->t_min = a;
	if (b > c->t_max)
		c->t_max = b;
}

static enum cd_code on_scan(void *ctx, long p, long v,
			    const struct scan_rec *s)
{
	struct collect *c = ctx;
	c->scans++;
	if (v < 0 || (size_t)v >= c->nvenues ||
	    strcmp(c->venues[v], s->venue) != 0)
		c->bad_venue_idx++;
	if (p < 0 || (size_t)p >= c->npersons ||
	    strcmp(c->rids[p], s->rid) != 0)
		c->bad_person_idx++;
	span(c, s->t_in, s->t_out ? s->t_out : s->t_in);
	int64_t day = (s->t_in + 8 * 3600) / 86400;
	if (p == c->index_person && day == c->index_day)
		c->index_teahouse++; /* all the case's scans that day */
	mix(c, &s->t_in, sizeof s->t_in);
	mix(c, &s->t_out, sizeof s->t_out);
	mixs(c, s->venue);
	return CD_OK;
}

static enum cd_code on_trip(void *ctx, long p, const struct trip_rec *t)
{
	struct collect *c = ctx;
	c->rides++;
	if (strcmp(c->rids[p], t->rid) != 0)
		c->bad_person_idx++;
	if (t->date < c->d_min)
		c->d_min = t->date;
	if (t->date > c->d_max)
		c->d_max = t->date;
	assert_true(t->departure >= 0 && t->departure < 1440);
	assert_true(t->carriage >= 1 && t->seat_row >= 1);
	if (p == c->index_person && t->date == c->index_day &&
	    t->mode == TRIP_BUS)
		c->index_bus++;
	mixs(c, t->route);
	mix(c, &t->seat_row, sizeof t->seat_row);
	return CD_OK;
}

static enum cd_code on_cell(void *ctx, long p, const struct cell_rec *cl)
{
	struct collect *c = ctx;
	c->cells++;
	if (strcmp(c->phones[p], cl->phone) != 0 || !cl->phone[0])
		c->bad_person_idx++;
	span(c, cl->start, cl->end);
	assert_true(cl->end > cl->start);
	mixs(c, cl->cell);
	mix(c, &cl->start, sizeof cl->start);
	return CD_OK;
}

static void collect_init(struct collect *c)
{
	memset(c, 0, sizeof *c);
	c->units = calloc(MAXN, sizeof *c->units);
	c->unit_level = calloc(MAXN, sizeof *c->unit_level);
	c->households = calloc(MAXN, sizeof *c->households);
	c->rids = calloc(MAXN, sizeof *c->rids);
	c->person_hh = calloc(MAXN, sizeof *c->person_hh);
	c->phones = calloc(MAXN, sizeof *c->phones);
	c->venues = calloc(MAXN, sizeof *c->venues);
	c->workers = calloc(MAXN, sizeof *c->workers);
	c->t_min = INT64_MAX;
	c->t_max = INT64_MIN;
	c->d_min = INT32_MAX;
	c->d_max = INT32_MIN;
	c->hash = 1469598103934665603ULL;
	c->index_person = -1;
}

static void collect_free(struct collect *c)
{
	free(c->units);
	free(c->unit_level);
	free(c->households);
	free(c->rids);
	free(c->person_hh);
	free(c->phones);
	free(c->venues);
	free(c->workers);
}

static const struct synth_params small = { 7, 3000, 0, 14 };

/* Generate the whole county into c. */
static void run(struct collect *c, uint64_t seed)
{
	struct synth_params p = small;
	struct synth *s;
	struct cd_err err;
	p.seed = seed;
	p.start = date_from_ymd(2022, 3, 16);
	assert_int_equal(synth_build(&p, &s, &err), CD_OK);
	c->s = s;
	c->index_person = synth_stats(s)->index_person;
	c->index_day = p.start + p.days - 2;
	struct synth_sink k = { c, on_unit, on_household, on_person, on_venue,
				on_worker, on_scan, on_trip, on_cell };
	assert_int_equal(synth_emit_registry(s, &k, &err), CD_OK);
	assert_int_equal(synth_emit_movements(s, &k, &err), CD_OK);
	const struct synth_stats *st = synth_stats(s);
	assert_int_equal(st->persons, (long)c->npersons);
	assert_int_equal(st->scans, c->scans);
	assert_int_equal(st->cells, c->cells);
	synth_free(s);
	c->s = NULL;
}

static int cmp19(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int cmpunit(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_ids_valid_and_unique(void **state)
{
	(void)state;
	struct collect c;
	collect_init(&c);
	run(&c, 7);
	assert_true(c.npersons >= 3000);
	/* Every ID is valid (checked as it came) and unique. */
	char (*ids)[19] = malloc(c.npersons * sizeof *ids);
	memcpy(ids, c.rids, c.npersons * sizeof *ids);
	qsort(ids, c.npersons, sizeof *ids, cmp19);
	for (size_t i = 1; i < c.npersons; i++)
		if (strcmp(ids[i], ids[i - 1]) == 0)
			fail_msg("duplicate ID %s", ids[i]);
	/* Phones are unique too. */
	size_t np = 0;
	char (*ph)[12] = malloc(c.npersons * sizeof *ph);
	for (size_t i = 0; i < c.npersons; i++) {
		if (!c.phones[i][0])
			continue;
		char norm[12];
		struct cd_err err;
		assert_int_equal(phone_normalize(c.phones[i], norm, &err), CD_OK);
		memcpy(ph[np++], c.phones[i], 12);
	}
	qsort(ph, np, sizeof *ph, cmp19);
	for (size_t i = 1; i < np; i++)
		if (strcmp(ph[i], ph[i - 1]) == 0)
			fail_msg("duplicate phone %s", ph[i]);
	free(ph);
	free(ids);
	collect_free(&c);
}

static void test_structure(void **state)
{
	(void)state;
	struct collect c;
	collect_init(&c);
	run(&c, 7);
	/* Units: codes valid, parents emitted before children. */
	for (size_t i = 0; i < c.nunits; i++) {
		struct unit_code uc;
		struct cd_err err;
		assert_int_equal(unit_code_parse(c.units[i], &uc, &err), CD_OK);
		assert_int_equal((int)uc.level, c.unit_level[i]);
		if (uc.level == UNIT_COUNTY)
			continue;
		int found = 0;
		for (size_t j = 0; j < i && !found; j++)
			found = strcmp(c.units[j], uc.parent) == 0;
		if (!found)
			fail_msg("unit %s before its parent", c.units[i]);
	}
	/* Households: each in an emitted hamlet, 15-60 per hamlet. */
	char (*units)[UNIT_CODE_MAX] = malloc(c.nunits * sizeof *units);
	memcpy(units, c.units, c.nunits * sizeof *units);
	qsort(units, c.nunits, sizeof *units, cmpunit);
	size_t run_len = 0;
	char prev[UNIT_CODE_MAX] = "";
	for (size_t i = 0; i <= c.nhouseholds; i++) {
		char hamlet[UNIT_CODE_MAX] = "";
		if (i < c.nhouseholds) {
			struct cd_err err;
			assert_int_equal(household_code_parse(c.households[i],
							      hamlet, &err),
					 CD_OK);
			assert_non_null(bsearch(hamlet, units, c.nunits,
						sizeof *units, cmpunit));
		}
		if (strcmp(hamlet, prev) != 0) {
			if (prev[0] && (run_len < 15 || run_len > 60))
				fail_msg("hamlet %s has %zu households", prev,
					 run_len);
			memcpy(prev, hamlet, sizeof prev);
			run_len = 0;
		}
		run_len++;
	}
	/* Persons: each in exactly one emitted household, 1-6 per
	 * household, every household with someone. */
	size_t h = 0, members = 0;
	for (size_t i = 0; i < c.npersons; i++) {
		while (h < c.nhouseholds &&
		       strcmp(c.households[h], c.person_hh[i]) != 0) {
			if (members < 1 || members > 6)
				fail_msg("household %s has %zu people",
					 c.households[h], members);
			h++;
			members = 0;
		}
		if (h == c.nhouseholds)
			fail_msg("person %zu in unknown household %s", i,
				 c.person_hh[i]);
		members++;
	}
	assert_int_equal(h, c.nhouseholds - 1);
	/* A grid worker for every hamlet. */
	size_t hamlets = 0;
	for (size_t i = 0; i < c.nunits; i++)
		hamlets += c.unit_level[i] == UNIT_HAMLET;
	assert_int_equal(c.nworkers, hamlets);
	free(units);
	collect_free(&c);
}

static void test_movements(void **state)
{
	(void)state;
	struct collect c;
	collect_init(&c);
	run(&c, 7);
	assert_true(c.scans > (long)c.npersons);
	assert_true(c.cells > (long)c.npersons);
	assert_true(c.rides > 0);
	assert_int_equal(c.bad_venue_idx, 0);
	assert_int_equal(c.bad_person_idx, 0);
	/* Inside 2022-03-16 00:00 .. 2022-03-30 00:00 China time. */
	int64_t from = (int64_t)date_from_ymd(2022, 3, 16) * 86400 - 8 * 3600;
	int64_t to = (int64_t)date_from_ymd(2022, 3, 30) * 86400 - 8 * 3600;
	assert_true(c.t_min >= from);
	assert_true(c.t_max <= to);
	assert_true(c.d_min >= date_from_ymd(2022, 3, 16));
	assert_true(c.d_max <= date_from_ymd(2022, 3, 29));
	/* The reference case: market, teahouse, two stations, destination
	 * and two bus legs on the second-last day. */
	assert_true(c.index_person >= 0);
	assert_int_equal(c.index_teahouse, 5);
	assert_int_equal(c.index_bus, 2);
	collect_free(&c);
}

static void test_determinism(void **state)
{
	(void)state;
	struct collect a, b, d;
	collect_init(&a);
	collect_init(&b);
	collect_init(&d);
	run(&a, 7);
	run(&b, 7);
	run(&d, 8);
	assert_true(a.hash == b.hash);
	assert_true(a.hash != d.hash);
	assert_int_equal(a.scans, b.scans);
	collect_free(&a);
	collect_free(&b);
	collect_free(&d);
}

static void test_params(void **state)
{
	(void)state;
	struct synth *s = NULL;
	struct cd_err err;
	struct synth_params p = small;
	p.start = date_from_ymd(2022, 3, 16);
	p.people = 10;
	assert_int_equal(synth_build(&p, &s, &err), CD_EINVAL);
	p.people = 3000;
	p.days = 0;
	assert_int_equal(synth_build(&p, &s, &err), CD_EINVAL);
	p.days = 29;
	assert_int_equal(synth_build(&p, &s, &err), CD_EINVAL);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_valid_and_unique),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_movements),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
