/* test_zones.c — risk zones: the pure rules of domain/zones.h under each
 * profile (v8 three-zone, v9 high/medium/low, v9-20 high → low), then the
 * application layer (app/zones_run.h) against a real temporary store built
 * by hand. Every expected value is worked out here from DOMAIN.md,
 * "Zones", and the profiles' [zones] keys:
 *
 *   v8:    three_zone, sealed_quiet_days 14, sealed_round_within_days 2,
 *          min_rounds 3
 *   v9:    high_to_medium_days 7, high_round_day 7, medium_to_low_days 3,
 *          min_rounds 3
 *   v9-20: high_to_low_days 5, min_rounds 3
 *
 * Day 0 (d0) of every clock below is 2022-03-30, the day of the last
 * infection, unless a test says otherwise.
 *
 * The store's world (resident IDs checked by rid_parse, so a wrong check
 * digit fails the test):
 *
 *   430422 衡南县
 *     430422103000 茶市镇
 *       430422103201 茶市村
 *         -001 上屋场  household -001-0001: P1, P2, P3
 *                      household -001-0002: P4, P5          (5 residents)
 *         -002 下屋场  household -002-0001: P6, P7
 *                      household -002-0002: P8              (3 residents)
 *         -003 后屋场  no households                        (0 residents)
 *       430422103202 新塘村
 *         -001 老屋场  household -001-0001: P9, P10         (2 residents)
 *     430422104000 花桥镇
 *       430422104201 花桥村
 *         -001 桥头    household -001-0001: P11             (1 resident)
 *
 * P3 is a confirmed local case, onset and sampled 2022-03-29, reported
 * 2022-03-30 07:30 CST; nobody has scanned a venue code. */
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

#include "app/zones_run.h"
#include "domain/zones.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "store/store.h"
#include "world.h"

/* ---- helpers */

static struct rules builtin(const char *name)
{
	struct rules r;
	struct cd_err err = { CD_OK, "" };
	if (rules_builtin(name, &r, &err) != CD_OK)
		fail_msg("profile %s: %s", name, err.msg);
	return r;
}

/* The step's earliest day, named as a date in the failure. */
static void earliest_is(const struct zone_step *s, int32_t want)
{
	if (s->earliest != want) {
		char got[16] = "0", w[16] = "0";
		if (s->earliest)
			date_format(s->earliest, got, sizeof got);
		if (want)
			date_format(want, w, sizeof w);
		fail_msg("earliest %s (%d), wanted %s (%d)", got,
			 (int)s->earliest, w, (int)want);
	}
}

/* The step on `today`: its target level, earliest day and readiness. */
static void step_is(const struct rules *r, const struct zone_facts *f,
		    int32_t today, enum zone_level to, int32_t earliest,
		    bool ready)
{
	struct zone_step s;
	zone_step_compute(r, f, today, &s);
	assert_int_equal(s.to, to);
	earliest_is(&s, earliest);
	if (s.ready != ready) {
		char t[16];
		date_format(today, t, sizeof t);
		fail_msg("on %s ready %d, wanted %d", t, s.ready, ready);
	}
	/* ready means every condition holds; not ready, at least one not */
	int unmet = 0;
	for (int i = 0; i < s.n; i++)
		unmet += !s.conds[i].ok;
	assert_int_equal(unmet == 0, ready);
}

/* Facts of a zone of level l with residents, confirmed and at its level
 * since d, last infection li, no close contact, rounds rd[0..n). */
static struct zone_facts facts(enum zone_level l, int32_t d, int32_t li,
			       const struct zone_round *rd, size_t n)
{
	struct zone_facts f;
	memset(&f, 0, sizeof f);
	f.level = l;
	f.confirmed = d;
	f.level_since = d;
	f.last_infection = li;
	f.has_residents = true;
	f.rounds = rd;
	f.nrounds = n;
	return f;
}

#define NR(a) (sizeof a / sizeof *a)

/* ---- A. the pure rules */

/* v9, a high zone whose last infection was d0, three rounds closed on
 * days 0, 1, 2 and an all-negative round on day 7.
 *   high → medium (v9 uses medium): 7 quiet days from d0 → day 7; the
 *   all-negative round on day 7 (d0 + high_round_day) or later → day 7;
 *   4 rounds >= 3. Earliest day 7: not ready on day 6 (6 quiet days),
 *   ready on day 7.
 *   Without the day-7 round: not ready on day 7, earliest still day 7
 *   (zones.h: the rounds still required are assumed run in time).
 *   A day-7 round that is not all negative counts for nothing: the same.
 *   Only 2 rounds (days 1 and 7) < min_rounds 3: not ready on day 7.
 * The same zone as medium since day 7 (downgraded that day):
 *   medium → low (lifted): 3 further quiet days from the later of the
 *   last infection (d0) and the level's start (day 7) → day 10. Ready
 *   on day 10, not on day 9 (DOMAIN.md's example: "downgrades on day 7,
 *   and to low on day 10"). */
static void test_v9_high_to_medium_to_low(void **state)
{
	(void)state;
	struct rules r = builtin("v9");
	int32_t d0 = D("2022-03-30");
	assert_int_equal(d0 + 7, D("2022-04-06"));
	const struct zone_round full[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
		{ d0 + 7, true },
	};
	struct zone_facts f = facts(ZONE_SEALED, d0, d0, full, NR(full));
	step_is(&r, &f, d0 + 6, ZONE_CONTROLLED, d0 + 7, false);
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 7, true);
	step_is(&r, &f, d0 + 8, ZONE_CONTROLLED, d0 + 7, true);

	/* without the day-7 round */
	f = facts(ZONE_SEALED, d0, d0, full, 3);
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 7, false);

	/* a day-7 round with a positive or unfinished tube */
	const struct zone_round dirty[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
		{ d0 + 7, false },
	};
	f = facts(ZONE_SEALED, d0, d0, dirty, NR(dirty));
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 7, false);
	/* an all-negative round before day 7 is not "on day 7" */
	const struct zone_round early[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 6, true },
	};
	f = facts(ZONE_SEALED, d0, d0, early, NR(early));
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 7, false);

	/* two rounds only */
	const struct zone_round two[] = { { d0 + 1, true }, { d0 + 7, true } };
	f = facts(ZONE_SEALED, d0, d0, two, NR(two));
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 7, false);

	/* a later round on day 9 (none on 7 or 8): earliest day 9 */
	const struct zone_round late[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
		{ d0 + 9, true },
	};
	f = facts(ZONE_SEALED, d0, d0, late, NR(late));
	step_is(&r, &f, d0 + 8, ZONE_CONTROLLED, d0 + 9, false);
	step_is(&r, &f, d0 + 9, ZONE_CONTROLLED, d0 + 9, true);

	/* a new infection on day 3 restarts the clock: quiet and the
	 * round's day both move to day 3 + 7 = 10 */
	f = facts(ZONE_SEALED, d0, d0 + 3, full, NR(full));
	step_is(&r, &f, d0 + 7, ZONE_CONTROLLED, d0 + 10, false);

	/* medium since day 7 */
	f = facts(ZONE_CONTROLLED, d0, d0, full, NR(full));
	f.level_since = d0 + 7;
	step_is(&r, &f, d0 + 9, ZONE_NONE, d0 + 10, false);
	step_is(&r, &f, d0 + 10, ZONE_NONE, d0 + 10, true);
	assert_int_equal(d0 + 10, D("2022-04-09"));
}

/* v9, a zone drawn medium at once and confirmed on d0: 3 quiet days from
 * the later of the last infection and the level's start, d0 → day 3,
 * whether no infection is known (the clock runs from the confirmation)
 * or the last one was the day before. */
static void test_v9_medium_direct(void **state)
{
	(void)state;
	struct rules r = builtin("v9");
	int32_t d0 = D("2022-03-30");
	const struct zone_round rd[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
	};
	struct zone_facts f = facts(ZONE_CONTROLLED, d0, 0, rd, NR(rd));
	step_is(&r, &f, d0 + 2, ZONE_NONE, d0 + 3, false);
	step_is(&r, &f, d0 + 3, ZONE_NONE, d0 + 3, true);
	f.last_infection = d0 - 1;
	step_is(&r, &f, d0 + 3, ZONE_NONE, d0 + 3, true);
	/* a later infection, day 1, moves it to day 4 */
	f.last_infection = d0 + 1;
	step_is(&r, &f, d0 + 3, ZONE_NONE, d0 + 4, false);
}

/* v9-20: high goes straight to lifted after 5 quiet days: last infection
 * d0 → day 5; with 3 rounds ready on day 5, not 4; with 2 rounds not
 * ready. It draws no controlled (medium) zones. */
static void test_v9_20_high_to_low(void **state)
{
	(void)state;
	struct rules r = builtin("v9-20");
	int32_t d0 = D("2022-03-30");
	const struct zone_round rd[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
	};
	assert_false(zone_draws_controlled(&r));
	assert_int_equal(zone_next_level(&r, ZONE_SEALED), ZONE_NONE);
	struct zone_facts f = facts(ZONE_SEALED, d0, d0, rd, NR(rd));
	step_is(&r, &f, d0 + 4, ZONE_NONE, d0 + 5, false);
	step_is(&r, &f, d0 + 5, ZONE_NONE, d0 + 5, true);
	f.nrounds = 2;
	step_is(&r, &f, d0 + 5, ZONE_NONE, d0 + 5, false);
}

/* v8, a sealed zone: last infection d0, last close contact exposed on
 * day -1.
 *   14 quiet days → day 14; the contact 14 days past exposure → day 13;
 *   so day 14. The all-negative round in the 2 days before lifting:
 *   on day 14 the window is days 12..14.
 *   Rounds 0, 1, 2 and 12 (all negative): ready on day 14, not 13;
 *     earliest 14.
 *   Rounds 0, 1, 2 and 11: not ready on day 14 (11 < 12); earliest 14
 *     still (a round run on day 12..14 would do).
 *   Rounds 0, 1, 2 and 16: the first all-negative round on or after
 *     day 14 - 2 is day 16, later than 14: earliest 16; ready on day
 *     16 and on day 18 (window 16..18), not on day 19 (17..19).
 *   A close contact exposed on day 3: 3 + 14 → earliest day 17; not
 *     ready on day 16; with a round on day 16, ready on day 17.
 *   A new infection on day 5: 5 + 14 → day 19. */
static void test_v8_sealed(void **state)
{
	(void)state;
	struct rules r = builtin("v8");
	int32_t d0 = D("2022-03-30");
	assert_int_equal(d0 + 14, D("2022-04-13"));
	const struct zone_round r12[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
		{ d0 + 12, true },
	};
	struct zone_facts f = facts(ZONE_SEALED, d0, d0, r12, NR(r12));
	f.last_close_exposure = d0 - 1;
	step_is(&r, &f, d0 + 13, ZONE_NONE, d0 + 14, false);
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, true);

	const struct zone_round r11[] = {
		{ d0, true }, { d0 + 1, true }, { d0 + 2, true },
		{ d0 + 11, true },
	};
	f.rounds = r11;
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, false);

	const struct zone_round r16[] = {
		{ d0 + 16, true }, { d0, true }, { d0 + 1, true },
		{ d0 + 2, true },
	};
	f.rounds = r16;
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 16, false);
	step_is(&r, &f, d0 + 16, ZONE_NONE, d0 + 16, true);
	step_is(&r, &f, d0 + 18, ZONE_NONE, d0 + 16, true);
	step_is(&r, &f, d0 + 19, ZONE_NONE, d0 + 16, false);

	/* a close contact exposed on day 3 */
	f.rounds = r12;
	f.last_close_exposure = d0 + 3;
	step_is(&r, &f, d0 + 16, ZONE_NONE, d0 + 17, false);
	step_is(&r, &f, d0 + 17, ZONE_NONE, d0 + 17, false); /* no round */
	f.rounds = r16;
	step_is(&r, &f, d0 + 16, ZONE_NONE, d0 + 17, false);
	step_is(&r, &f, d0 + 17, ZONE_NONE, d0 + 17, true);

	/* a new infection on day 5 */
	f.rounds = r12;
	f.last_close_exposure = d0 - 1;
	f.last_infection = d0 + 5;
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 19, false);
	assert_int_equal(d0 + 19, D("2022-04-18"));

	/* too few rounds: days 12 and 13 only */
	const struct zone_round few[] = { { d0 + 12, true },
					  { d0 + 13, true } };
	f = facts(ZONE_SEALED, d0, d0, few, NR(few));
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, false);

	/* a controlled zone lifts by the same rule */
	f = facts(ZONE_CONTROLLED, d0, d0, r12, NR(r12));
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, true);
	/* venues only (no residents): no rounds asked for */
	f = facts(ZONE_SEALED, d0, d0, NULL, 0);
	f.has_residents = false;
	step_is(&r, &f, d0 + 13, ZONE_NONE, d0 + 14, false);
	step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, true);
}

/* Precaution / low: lifts when no sealed or controlled zone remains.
 * One still active: not ready, earliest 0 (unknown). None, the last
 * lifted on day 14 (zone confirmed d0): ready, earliest day 14. */
static void test_precaution(void **state)
{
	(void)state;
	const char *const prof[] = { "v8", "v9", "v9-20" };
	int32_t d0 = D("2022-03-30");
	for (size_t i = 0; i < NR(prof); i++) {
		struct rules r = builtin(prof[i]);
		struct zone_facts f = facts(ZONE_PRECAUTION, d0, 0, NULL, 0);
		f.inner_active = 1;
		f.inner_lifted = d0 + 10;
		step_is(&r, &f, d0 + 20, ZONE_NONE, 0, false);
		f.inner_active = 0;
		f.inner_lifted = d0 + 14;
		step_is(&r, &f, d0 + 14, ZONE_NONE, d0 + 14, true);
	}
}

/* Names under each profile, parsing, the next level. */
static void test_names(void **state)
{
	(void)state;
	struct rules v8 = builtin("v8"), v9 = builtin("v9"),
		     v920 = builtin("v9-20");
	assert_string_equal(zone_level_name(&v8, ZONE_SEALED), "sealed");
	assert_string_equal(zone_level_name(&v8, ZONE_CONTROLLED),
			    "controlled");
	assert_string_equal(zone_level_name(&v8, ZONE_PRECAUTION),
			    "precaution");
	assert_string_equal(zone_level_name(&v8, ZONE_NONE), "lifted");
	assert_string_equal(zone_level_zh(&v8, ZONE_SEALED), "封控区");
	assert_string_equal(zone_level_zh(&v8, ZONE_CONTROLLED), "管控区");
	assert_string_equal(zone_level_zh(&v8, ZONE_PRECAUTION), "防范区");
	const struct rules *nine[] = { &v9, &v920 };
	for (size_t i = 0; i < NR(nine); i++) {
		assert_string_equal(zone_level_name(nine[i], ZONE_SEALED),
				    "high");
		assert_string_equal(zone_level_name(nine[i], ZONE_CONTROLLED),
				    "medium");
		assert_string_equal(zone_level_name(nine[i], ZONE_PRECAUTION),
				    "low");
		assert_string_equal(zone_level_name(nine[i], ZONE_NONE),
				    "lifted");
		assert_string_equal(zone_level_zh(nine[i], ZONE_SEALED),
				    "高风险区");
		assert_string_equal(zone_level_zh(nine[i], ZONE_CONTROLLED),
				    "中风险区");
		assert_string_equal(zone_level_zh(nine[i], ZONE_PRECAUTION),
				    "低风险区");
	}

	static const struct { const char *s; enum zone_level l; } good[] = {
		{ "sealed", ZONE_SEALED }, { "high", ZONE_SEALED },
		{ "封控区", ZONE_SEALED }, { "高风险区", ZONE_SEALED },
		{ "controlled", ZONE_CONTROLLED },
		{ "medium", ZONE_CONTROLLED },
		{ "管控区", ZONE_CONTROLLED }, { "中风险区", ZONE_CONTROLLED },
		{ "precaution", ZONE_PRECAUTION }, { "low", ZONE_PRECAUTION },
		{ "防范区", ZONE_PRECAUTION }, { "低风险区", ZONE_PRECAUTION },
	};
	for (size_t i = 0; i < NR(good); i++) {
		enum zone_level l = ZONE_NONE;
		struct cd_err err = { CD_OK, "" };
		if (zone_level_parse(good[i].s, &l, &err) != CD_OK)
			fail_msg("'%s' refused: %s", good[i].s, err.msg);
		assert_int_equal(l, good[i].l);
	}
	static const char *const bad[] = { "", "lifted", "已解除", "none",
					   "red", "sealed ", "封控", "3",
					   "highrisk" };
	for (size_t i = 0; i < NR(bad); i++) {
		enum zone_level l = ZONE_CONTROLLED;
		struct cd_err err = { CD_OK, "" };
		if (zone_level_parse(bad[i], &l, &err) != CD_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(err.msg[0] != '\0');
	}

	/* v8: every level lifts; v9: high → medium, medium and low lift;
	 * v9-20: high lifts (to low) */
	assert_int_equal(zone_next_level(&v8, ZONE_SEALED), ZONE_NONE);
	assert_int_equal(zone_next_level(&v8, ZONE_CONTROLLED), ZONE_NONE);
	assert_int_equal(zone_next_level(&v8, ZONE_PRECAUTION), ZONE_NONE);
	assert_int_equal(zone_next_level(&v9, ZONE_SEALED), ZONE_CONTROLLED);
	assert_int_equal(zone_next_level(&v9, ZONE_CONTROLLED), ZONE_NONE);
	assert_int_equal(zone_next_level(&v9, ZONE_PRECAUTION), ZONE_NONE);
	assert_int_equal(zone_next_level(&v920, ZONE_SEALED), ZONE_NONE);
	assert_true(zone_draws_controlled(&v8));
	assert_true(zone_draws_controlled(&v9));
	assert_false(zone_draws_controlled(&v920));
}

/* ---- B. the application layer against a store */

#define P1 "430422195605261266"
#define P2 "430422199803228537"
#define P3 "430422197309107052"
#define P4 "430422201612120208"
#define P5 "430422199901010056"
#define P6 "430422197109031161"
#define P7 "430422200705016501"
#define P8 "43042220180801348X"
#define P9 "430422196112089618"
#define P10 "430422195511155067"
#define P11 "430422200905155135"

#define TOWN "430422103000"
#define V1 "430422103201"
#define V2 "430422103202"
#define TOWN2 "430422104000"
#define V3 "430422104201"

#define HOUR 3600
#define DAY 86400
/* 2022-03-30 00:00 CST = 2022-03-29 16:00 UTC: 19081 days after
 * 1970-01-01 (18993 to 2022-01-01, then 31 + 28 + 29), x 86400, less
 * 8 h. */
#define T0 1648569600LL

struct world {
	char dir[64], path[128];
	struct store *st;
	struct rules v8;
	char case3[CASE_NUMBER_MAX];    /* P3's case number */
};

static void person(struct store *st, const char *rid, const char *name,
		   const char *hh)
{
	struct person_rec r;
	struct rid id;
	struct cd_err err;
	enum store_upsert up;
	memset(&r, 0, sizeof r);
	ok(rid_parse(rid, D("2022-03-31"), &id, &err), &err, rid);
	snprintf(r.rid, sizeof r.rid, "%s", id.id);
	snprintf(r.name, sizeof r.name, "%s", name);
	snprintf(r.household, sizeof r.household, "%s", hh);
	r.sex = id.sex;
	r.birth = id.birth;
	ok(store_person_upsert(st, &r, &up, &err), &err, rid);
}

static uint32_t pid(struct store *st, const char *rid)
{
	uint32_t id = 0;
	struct cd_err err;
	ok(store_person_id(st, rid, &id, &err), &err, rid);
	return id;
}

/* A local case of rid of class cls, onset and sampled on `sampled`,
 * reported (and isolated) at `reported`; its number into number. */
static void a_case(struct store *st, const char *rid, enum case_class cls,
		   const char *sampled, int64_t reported, char *number)
{
	struct case_rec c;
	struct cd_err err;
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", rid);
	c.cls = cls;
	c.ctype = cls == CASE_CONFIRMED ? CT_MILD : CT_NONE;
	c.origin = ORIGIN_LOCAL;
	c.found = FOUND_POOL;
	c.onset = cls == CASE_ASYMPTOMATIC ? 0 : D(sampled);
	c.sampling = D(sampled);
	c.reported = reported;
	c.isolated = reported;
	snprintf(c.hospital, sizeof c.hospital, "衡南县人民医院");
	ok(store_case_add(st, &c, &err), &err, rid);
	if (number)
		snprintf(number, CASE_NUMBER_MAX, "%s", c.number);
}

static void build(struct world *w)
{
	struct store *st = w->st;
	struct cd_err err;
	ok(store_begin(st, &err), &err, "begin");
	unit(st, "430422", "衡南县");
	unit(st, TOWN, "茶市镇");
	unit(st, V1, "茶市村");
	unit(st, V1 "-001", "上屋场");
	unit(st, V1 "-002", "下屋场");
	unit(st, V1 "-003", "后屋场");
	unit(st, V2, "新塘村");
	unit(st, V2 "-001", "老屋场");
	unit(st, TOWN2, "花桥镇");
	unit(st, V3, "花桥村");
	unit(st, V3 "-001", "桥头");
	const char *hh[] = { V1 "-001-0001", V1 "-001-0002", V1 "-002-0001",
			     V1 "-002-0002", V2 "-001-0001", V3 "-001-0001" };
	for (size_t i = 0; i < NR(hh); i++)
		household(st, hh[i]);
	person(st, P1, "赵桂平", hh[0]);
	person(st, P2, "高丽艳", hh[0]);
	person(st, P3, "朱静", hh[0]);
	person(st, P4, "赵小雨", hh[1]);
	person(st, P5, "杨强明", hh[1]);
	person(st, P6, "刘建军", hh[2]);
	person(st, P7, "刘小军", hh[2]);
	person(st, P8, "刘小花", hh[3]);
	person(st, P9, "孙明", hh[4]);
	person(st, P10, "孙小明", hh[4]);
	person(st, P11, "孙丽", hh[5]);
	/* reported 2022-03-30 07:30 CST, sampled the day before */
	a_case(st, P3, CASE_CONFIRMED, "2022-03-29", T0 + 7 * HOUR + 1800,
	       w->case3);
	ok(store_commit(st, &err), &err, "commit");
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	struct cd_err err;
	if (!w)
		return -1;
	snprintf(w->dir, sizeof w->dir, "/tmp/cordon-test-zones-XXXXXX");
	if (!mkdtemp(w->dir)) {
		free(w);
		return -1;
	}
	snprintf(w->path, sizeof w->path, "%s/z.db", w->dir);
	if (store_open(w->path, STORE_CREATE | STORE_WRITE, &w->st, &err)) {
		print_error("store_open: %s\n", err.msg);
		rmdir(w->dir);
		free(w);
		return -1;
	}
	if (rules_builtin("v8", &w->v8, &err)) {
		print_error("v8: %s\n", err.msg);
		return -1;
	}
	*state = w;
	build(w);
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	store_close(w->st);
	for (size_t i = 0; i < NR(sfx); i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", w->path, sfx[i]);
		unlink(p);
	}
	char seg[160];
	snprintf(seg, sizeof seg, "%s.presence", w->path);
	rmdir(seg);
	int rc = rmdir(w->dir);
	free(w);
	return rc;
}

/* ---- reading back */

#define MAXZ 8

struct zones_got {
	struct store_zone z[MAXZ];
	size_t n;
};

static enum cd_code keep_zone(void *ctx, const struct store_zone *z)
{
	struct zones_got *g = ctx;
	if (g->n == MAXZ)
		fail_msg("more than %d zones", MAXZ);
	g->z[g->n++] = *z;
	return CD_OK;
}

/* The zones of a proposal. */
static struct zones_got zones_of(struct store *st, int64_t proposal)
{
	struct zones_got g;
	struct cd_err err;
	memset(&g, 0, sizeof g);
	ok(store_zone_list(st, proposal, NULL, keep_zone, &g, &err), &err,
	   "zone list");
	return g;
}

/* The one zone of level l among g. */
static const struct store_zone *at_level(const struct zones_got *g, int l)
{
	const struct store_zone *found = NULL;
	for (size_t i = 0; i < g->n; i++)
		if (g->z[i].level == l) {
			if (found)
				fail_msg("two zones of level %d", l);
			found = &g->z[i];
		}
	if (!found)
		fail_msg("no zone of level %d", l);
	return found;
}

static struct store_zone zone_get(struct store *st, int64_t id)
{
	struct store_zone z;
	struct cd_err err;
	ok(store_zone_get(st, id, &z, &err), &err, "zone get");
	return z;
}

struct areas_got {
	struct store_zone_area a[MAXZ];
	size_t n;
};

static enum cd_code keep_area(void *ctx, const struct store_zone_area *a)
{
	struct areas_got *g = ctx;
	if (g->n == MAXZ)
		fail_msg("more than %d areas", MAXZ);
	g->a[g->n++] = *a;
	return CD_OK;
}

/* The zone's areas are exactly one unit, code (name). */
static void one_unit(struct store *st, int64_t zone, const char *code,
		     const char *name)
{
	struct areas_got g;
	struct cd_err err;
	memset(&g, 0, sizeof g);
	ok(store_zone_areas(st, zone, keep_area, &g, &err), &err, "areas");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.a[0].kind, "unit");
	assert_string_equal(g.a[0].code, code);
	assert_string_equal(g.a[0].name, name);
}

struct log_got {
	struct store_zone_log l[32];
	size_t n;
};

static enum cd_code keep_log(void *ctx, const struct store_zone_log *l)
{
	struct log_got *g = ctx;
	if (g->n == NR(g->l))
		fail_msg("log too long");
	g->l[g->n++] = *l;
	return CD_OK;
}

static struct log_got log_of(struct store *st, int64_t proposal,
			     int64_t zone)
{
	struct log_got g;
	struct cd_err err;
	memset(&g, 0, sizeof g);
	ok(store_zone_log_list(st, proposal, zone, keep_log, &g, &err), &err,
	   "log");
	return g;
}

struct props_got {
	struct store_zone_proposal p[8];
	size_t n;
};

static enum cd_code keep_prop(void *ctx, const struct store_zone_proposal *p)
{
	struct props_got *g = ctx;
	if (g->n == NR(g->p))
		fail_msg("too many proposals");
	g->p[g->n++] = *p;
	return CD_OK;
}

static struct props_got open_proposals(struct store *st)
{
	struct props_got g;
	struct cd_err err;
	memset(&g, 0, sizeof g);
	ok(store_zone_proposals(st, true, keep_prop, &g, &err), &err,
	   "proposals");
	return g;
}

/* The person's stored code is colour; when cause is not NULL, its
 * reasons hold that cause with that colour; when NULL, no zone reason. */
static void code_is(struct store *st, const char *rid, const char *colour,
		    const char *cause)
{
	struct store_code c;
	struct cd_err err;
	ok(store_code_get(st, pid(st, rid), &c, &err), &err, rid);
	if (strcmp(c.colour, colour))
		fail_msg("%s: %s %s, wanted %s", rid, c.colour, c.reasons,
			 colour);
	char want[64];
	snprintf(want, sizeof want, "\"cause\":\"%s\",\"colour\":\"%s\"",
		 cause ? cause : "zone", colour);
	if (cause && !strstr(c.reasons, want))
		fail_msg("%s: no %s in %s", rid, want, c.reasons);
	if (!cause && strstr(c.reasons, "\"cause\":\"zone\""))
		fail_msg("%s: a zone reason in %s", rid, c.reasons);
}

/* Propose from P3's case under v8 with a town precaution zone at now. */
static int64_t propose(struct world *w, int64_t now)
{
	struct zones_actor a = { "王指挥", now };
	const char *cases[] = { w->case3 };
	int64_t p = 0;
	struct cd_err err;
	ok(zones_propose(w->st, &w->v8, cases, 1, UNIT_TOWN, &a, &p, &err),
	   &err, "propose");
	assert_true(p > 0);
	return p;
}

/* Propose and confirm at 2022-03-30 10:00; the zones' ids by level
 * (ids[3] sealed, ids[2] controlled, ids[1] precaution). */
static int64_t propose_confirm(struct world *w, int64_t ids[4])
{
	int64_t p = propose(w, T0 + 9 * HOUR);
	struct zones_actor a = { "王指挥", T0 + 10 * HOUR };
	struct cd_err err;
	ok(zones_confirm(w->st, &w->v8, p, &a, &err), &err, "confirm");
	struct zones_got g = zones_of(w->st, p);
	assert_int_equal(g.n, 3);
	for (int l = 1; l <= 3; l++)
		ids[l] = at_level(&g, l)->id;
	ids[0] = 0;
	return p;
}

/* Proposal from P3 (hamlet 上屋场 of 茶市村 of 茶市镇), v8, town
 * precaution: sealed = 430422103201-001 (no venues: nobody scanned a
 * code), controlled = 430422103201, precaution = 430422103000.
 * Residents: sealed P1..P5 = 5; controlled adds 下屋场's P6 P7 P8 (后屋场
 * has none) = 8; precaution adds 老屋场's P9 P10 = 10 (P11 lives in
 * another town). Nothing is active: every code stays green. */
static void test_propose(void **state)
{
	struct world *w = *state;
	struct store_zone_proposal p;
	struct cd_err err;
	int64_t id = propose(w, T0 + 9 * HOUR);
	ok(store_zone_proposal_get(w->st, id, &p, &err), &err, "proposal");
	assert_string_equal(p.kind, "new");
	assert_string_equal(p.status, "open");
	assert_int_equal(p.created_at, T0 + 9 * HOUR);
	assert_int_equal(p.zone, 0);

	struct zones_got g = zones_of(w->st, id);
	assert_int_equal(g.n, 3);
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.z[i].status, "proposed");
		assert_int_equal(g.z[i].proposal, id);
		assert_int_equal(g.z[i].proposed_at, T0 + 9 * HOUR);
		assert_int_equal(g.z[i].confirmed_at, 0);
		assert_int_equal(g.z[i].lifted_at, 0);
		assert_int_equal(g.z[i].units, 1);
		assert_int_equal(g.z[i].venues, 0);
	}
	const struct store_zone *s = at_level(&g, ZONE_SEALED),
				*c = at_level(&g, ZONE_CONTROLLED),
				*pr = at_level(&g, ZONE_PRECAUTION);
	assert_int_equal(s->residents, 5);
	assert_int_equal(c->residents, 8);
	assert_int_equal(pr->residents, 10);
	one_unit(w->st, s->id, V1 "-001", "上屋场");
	one_unit(w->st, c->id, V1, "茶市村");
	one_unit(w->st, pr->id, TOWN, "茶市镇");
	/* store_zone_get agrees with the list */
	struct store_zone z = zone_get(w->st, s->id);
	assert_int_equal(z.level, ZONE_SEALED);
	assert_int_equal(z.residents, 5);
	assert_string_equal(z.status, "proposed");

	/* a proposal changes no code */
	code_is(w->st, P1, "green", NULL);
	code_is(w->st, P6, "green", NULL);
	/* a log row per zone and one for the proposal */
	struct log_got l = log_of(w->st, id, 0);
	assert_int_equal(l.n, 4);
	for (size_t i = 0; i < l.n; i++) {
		assert_string_equal(l.l[i].action, "propose");
		assert_string_equal(l.l[i].actor, "王指挥");
	}

	/* refusals: no case, an unknown case */
	struct zones_actor a = { "王指挥", T0 + 9 * HOUR };
	const char *none[] = { "430422-C9999" };
	int64_t q = 0;
	assert_int_equal(zones_propose(w->st, &w->v8, none, 0, UNIT_TOWN, &a,
				       &q, &err), CD_EINVAL);
	assert_int_equal(zones_propose(w->st, &w->v8, none, 1, UNIT_TOWN, &a,
				       &q, &err), CD_ENOTFOUND);
}

/* The same case under v9-20 draws no medium zone: high = the hamlet (5),
 * low = the town (10). */
static void test_propose_v9_20(void **state)
{
	struct world *w = *state;
	struct rules r = builtin("v9-20");
	struct zones_actor a = { "王指挥", T0 + 9 * HOUR };
	const char *cases[] = { w->case3 };
	int64_t id = 0;
	struct cd_err err;
	ok(zones_propose(w->st, &r, cases, 1, UNIT_TOWN, &a, &id, &err), &err,
	   "propose");
	struct zones_got g = zones_of(w->st, id);
	assert_int_equal(g.n, 2);
	assert_int_equal(at_level(&g, ZONE_SEALED)->residents, 5);
	assert_int_equal(at_level(&g, ZONE_PRECAUTION)->residents, 10);
	one_unit(w->st, at_level(&g, ZONE_PRECAUTION)->id, TOWN, "茶市镇");
}

/* Confirm: every zone active, confirmed and at its level since 10:00.
 * Codes (v8: codes.sealed_zone_red = yes, controlled_zone_yellow = yes):
 * 上屋场's P1 P2 P4 P5 red for the zone, P3 red (case and zone); 下屋场's
 * P6 P7 P8 yellow for the zone; 老屋场's P9 P10 green (precaution);
 * P11 green, untouched. A second confirm is a conflict; proposing again
 * from the same case finds every area covered (CD_ERULE). A new case of
 * P9 (老屋场, 新塘村) draws sealed 430422103202-001 and controlled
 * 430422103202, 2 residents each; its town is already a precaution zone. */
static void test_confirm_codes(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	int64_t ids[4];
	int64_t p = propose_confirm(w, ids);
	struct store_zone_proposal pr;
	ok(store_zone_proposal_get(w->st, p, &pr, &err), &err, "proposal");
	assert_string_equal(pr.status, "confirmed");
	for (int l = 1; l <= 3; l++) {
		struct store_zone z = zone_get(w->st, ids[l]);
		assert_string_equal(z.status, "active");
		assert_int_equal(z.level, l);
		assert_int_equal(z.confirmed_at, T0 + 10 * HOUR);
		assert_int_equal(z.level_since, T0 + 10 * HOUR);
	}
	const char *red[] = { P1, P2, P4, P5, P3 };
	for (size_t i = 0; i < NR(red); i++)
		code_is(w->st, red[i], "red", "zone");
	code_is(w->st, P3, "red", "case");
	const char *yellow[] = { P6, P7, P8 };
	for (size_t i = 0; i < NR(yellow); i++)
		code_is(w->st, yellow[i], "yellow", "zone");
	code_is(w->st, P9, "green", NULL);
	code_is(w->st, P10, "green", NULL);
	code_is(w->st, P11, "green", NULL);

	struct zones_actor a = { "王指挥", T0 + 11 * HOUR };
	assert_int_equal(zones_confirm(w->st, &w->v8, p, &a, &err),
			 CD_ECONFLICT);
	const char *cases[] = { w->case3 };
	int64_t q = 0;
	assert_int_equal(zones_propose(w->st, &w->v8, cases, 1, UNIT_TOWN, &a,
				       &q, &err), CD_ERULE);

	char c9[CASE_NUMBER_MAX];
	a_case(w->st, P9, CASE_CONFIRMED, "2022-03-31",
	       T0 + DAY + 8 * HOUR, c9);
	const char *cases9[] = { c9 };
	a.now = T0 + DAY + 9 * HOUR;
	ok(zones_propose(w->st, &w->v8, cases9, 1, UNIT_TOWN, &a, &q, &err),
	   &err, "propose P9");
	struct zones_got g = zones_of(w->st, q);
	assert_int_equal(g.n, 2);
	one_unit(w->st, at_level(&g, ZONE_SEALED)->id, V2 "-001", "老屋场");
	one_unit(w->st, at_level(&g, ZONE_CONTROLLED)->id, V2, "新塘村");
	assert_int_equal(at_level(&g, ZONE_SEALED)->residents, 2);
	assert_int_equal(at_level(&g, ZONE_CONTROLLED)->residents, 2);
}

/* Conversion: after the confirmation (2022-03-30 10:00) nothing to
 * convert (P3 was reported before the zone took effect). A suspected case
 * of P8 (下屋场) is no positive: still nothing. A confirmed case of P6
 * (下屋场: inside 茶市村, the controlled zone, outside the sealed
 * 上屋场) reported 2022-04-02 10:00: one "convert" proposal for the
 * controlled zone naming that case; a second sync adds none. Confirming
 * it turns the controlled zone sealed (level 3, since then) and 下屋场's
 * P7 and P8 get red codes for the zone; 老屋场's P9 stays green. */
static void test_conversion(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	int64_t ids[4];
	long added = -1;
	propose_confirm(w, ids);
	struct zones_actor a = { "王指挥", T0 + DAY };
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync");
	assert_int_equal(added, 0);
	assert_int_equal(open_proposals(w->st).n, 0);

	a_case(w->st, P8, CASE_SUSPECTED, "2022-04-01", T0 + 2 * DAY, NULL);
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync");
	assert_int_equal(added, 0);

	char c6[CASE_NUMBER_MAX];
	a_case(w->st, P6, CASE_CONFIRMED, "2022-04-02",
	       T0 + 3 * DAY + 10 * HOUR, c6);
	a.now = T0 + 3 * DAY + 11 * HOUR;
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync");
	assert_int_equal(added, 1);
	struct props_got g = open_proposals(w->st);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.p[0].kind, "convert");
	assert_string_equal(g.p[0].status, "open");
	assert_int_equal(g.p[0].zone, ids[ZONE_CONTROLLED]);
	assert_string_equal(g.p[0].case_number, c6);
	int64_t conv = g.p[0].id;
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync again");
	assert_int_equal(added, 0);
	assert_int_equal(open_proposals(w->st).n, 1);

	a.now = T0 + 3 * DAY + 12 * HOUR;
	ok(zones_confirm(w->st, &w->v8, conv, &a, &err), &err, "convert");
	struct store_zone z = zone_get(w->st, ids[ZONE_CONTROLLED]);
	assert_int_equal(z.level, ZONE_SEALED);
	assert_string_equal(z.status, "active");
	assert_int_equal(z.level_since, T0 + 3 * DAY + 12 * HOUR);
	assert_int_equal(z.confirmed_at, T0 + 10 * HOUR);
	assert_int_equal(open_proposals(w->st).n, 0);
	code_is(w->st, P7, "red", "zone");
	code_is(w->st, P8, "red", "zone");
	code_is(w->st, P6, "red", "case");
	code_is(w->st, P9, "green", NULL);
	/* the zone is no longer controlled: a later case converts nothing */
	a_case(w->st, P7, CASE_CONFIRMED, "2022-04-03",
	       T0 + 4 * DAY + 10 * HOUR, NULL);
	a.now = T0 + 4 * DAY + 11 * HOUR;
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync after");
	assert_int_equal(added, 0);
}

/* A new case inside the sealed hamlet (P1 of 上屋场, P3's household),
 * reported 2022-03-31 10:00: docs/zones.md, "Inside a sealed zone a new
 * case needs no proposal: it is the zone's latest infection and resets
 * its clock". So the sealed zone's day 0 moves to 03-31 (lifting 04-14),
 * and 茶市村, the controlled zone around it, is not turned sealed whole:
 * zones_sync opens no proposal. */
static void test_sealed_case_no_conversion(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	struct zones_view v;
	int64_t ids[4];
	long added = -1;
	propose_confirm(w, ids);
	a_case(w->st, P1, CASE_CONFIRMED, "2022-03-31",
	       T0 + DAY + 10 * HOUR, NULL);
	ok(zones_view_get(w->st, &w->v8, ids[ZONE_SEALED], T0 + 2 * DAY, &v,
			  &err), &err, "view");
	int32_t li = v.f.last_infection, earliest = v.step.earliest;
	zones_view_release(&v);
	assert_int_equal(li, D("2022-03-31"));
	assert_int_equal(earliest, D("2022-04-14"));
	struct zones_actor a = { "王指挥", T0 + DAY + 11 * HOUR };
	ok(zones_sync(w->st, &a, &added, &err), &err, "sync");
	assert_int_equal(added, 0);
	assert_int_equal(open_proposals(w->st).n, 0);
}

/* Lifting the sealed zone on 2022-03-31, day 1 of its 14 quiet days:
 * refused (CD_ERULE), nothing changes; --force without a reason is a usage
 * error; with one it lifts, logged as forced with the reason. The
 * controlled zone is still active, so the precaution zone stays; 上屋场's
 * P1 goes yellow (now in the controlled zone only). Forcing the
 * controlled zone lifts it and then the precaution zone (no sealed or
 * controlled zone remains within it): P1 and P6 green. */
static void test_lift(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	int64_t ids[4];
	enum zone_level to = ZONE_SEALED;
	propose_confirm(w, ids);
	int64_t sealed = ids[ZONE_SEALED];
	struct zones_actor a = { "李主任", T0 + DAY + 9 * HOUR };
	size_t nlog = log_of(w->st, 0, sealed).n;

	assert_int_equal(zones_lift(w->st, &w->v8, sealed, false, NULL, &a,
				    &to, &err), CD_ERULE);
	assert_non_null(strstr(err.msg, "14 days"));
	struct store_zone z = zone_get(w->st, sealed);
	assert_string_equal(z.status, "active");
	assert_int_equal(z.lifted_at, 0);
	assert_int_equal(log_of(w->st, 0, sealed).n, nlog);
	code_is(w->st, P1, "red", "zone");

	assert_int_equal(zones_lift(w->st, &w->v8, sealed, true, NULL, &a,
				    &to, &err), CD_EUSAGE);
	assert_int_equal(zones_lift(w->st, &w->v8, sealed, true, "", &a, &to,
				    &err), CD_EUSAGE);
	assert_string_equal(zone_get(w->st, sealed).status, "active");
	assert_int_equal(log_of(w->st, 0, sealed).n, nlog);

	ok(zones_lift(w->st, &w->v8, sealed, true, "县指挥部决定提前解封", &a,
		      &to, &err), &err, "force");
	assert_int_equal(to, ZONE_NONE);
	z = zone_get(w->st, sealed);
	assert_string_equal(z.status, "lifted");
	assert_int_equal(z.lifted_at, T0 + DAY + 9 * HOUR);
	struct log_got l = log_of(w->st, 0, sealed);
	assert_int_equal(l.n, nlog + 1);
	const struct store_zone_log *e = &l.l[l.n - 1];
	assert_string_equal(e->action, "lift");
	assert_true(e->forced);
	assert_string_equal(e->actor, "李主任");
	assert_int_equal(e->at, T0 + DAY + 9 * HOUR);
	assert_int_equal(e->zone, sealed);
	assert_non_null(strstr(e->detail, "县指挥部决定提前解封"));
	/* a lifted zone is not lifted again */
	assert_int_equal(zones_lift(w->st, &w->v8, sealed, true, "again", &a,
				    &to, &err), CD_ERULE);

	assert_string_equal(zone_get(w->st, ids[ZONE_PRECAUTION]).status,
			    "active");
	code_is(w->st, P1, "yellow", "zone");
	code_is(w->st, P6, "yellow", "zone");

	ok(zones_lift(w->st, &w->v8, ids[ZONE_CONTROLLED], true, "同上", &a,
		      &to, &err), &err, "force controlled");
	assert_int_equal(to, ZONE_NONE);
	z = zone_get(w->st, ids[ZONE_PRECAUTION]);
	assert_string_equal(z.status, "lifted");
	assert_int_equal(z.lifted_at, T0 + DAY + 9 * HOUR);
	code_is(w->st, P1, "green", NULL);
	code_is(w->st, P6, "green", NULL);
	code_is(w->st, P3, "red", "case");
}

/* The zone log is append-only: through a second connection to the file,
 * an UPDATE and a DELETE fail and leave every row as it was. */
static void test_log_append_only(void **state)
{
	struct world *w = *state;
	int64_t ids[4];
	int64_t p = propose_confirm(w, ids);
	struct log_got before = log_of(w->st, p, 0);
	/* 3 zones + the proposal proposed, then confirmed: 4 + 4 */
	assert_int_equal(before.n, 8);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	char *msg = NULL;
	int rc = sqlite3_exec(db, "UPDATE zone_log SET detail = 'x'", NULL,
			      NULL, &msg);
	assert_int_not_equal(rc, SQLITE_OK);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	rc = sqlite3_exec(db, "DELETE FROM zone_log", NULL, NULL, &msg);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(msg);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM zone_log"
					    " WHERE detail = 'x'", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	struct log_got after = log_of(w->st, p, 0);
	assert_int_equal(after.n, before.n);
	for (size_t i = 0; i < after.n; i++) {
		assert_string_equal(after.l[i].detail, before.l[i].detail);
		assert_string_equal(after.l[i].action, before.l[i].action);
	}
}

/* Reject needs a reason; it closes the proposal and rejects each of its
 * three proposed zones; no code changes; it cannot be confirmed after. */
static void test_reject(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	int64_t p = propose(w, T0 + 9 * HOUR);
	struct zones_actor a = { "王指挥", T0 + 10 * HOUR };
	assert_int_equal(zones_reject(w->st, p, NULL, &a, &err), CD_EUSAGE);
	assert_int_equal(zones_reject(w->st, p, "", &a, &err), CD_EUSAGE);
	struct store_zone_proposal pr;
	ok(store_zone_proposal_get(w->st, p, &pr, &err), &err, "proposal");
	assert_string_equal(pr.status, "open");
	struct zones_got g = zones_of(w->st, p);
	for (size_t i = 0; i < g.n; i++)
		assert_string_equal(g.z[i].status, "proposed");

	ok(zones_reject(w->st, p, "范围过大，重新划定", &a, &err), &err,
	   "reject");
	ok(store_zone_proposal_get(w->st, p, &pr, &err), &err, "proposal");
	assert_string_equal(pr.status, "rejected");
	g = zones_of(w->st, p);
	assert_int_equal(g.n, 3);
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.z[i].status, "rejected");
		assert_int_equal(g.z[i].confirmed_at, 0);
	}
	struct log_got l = log_of(w->st, p, 0);
	assert_string_equal(l.l[l.n - 1].action, "reject");
	assert_string_equal(l.l[l.n - 1].detail, "范围过大，重新划定");
	assert_int_equal(zones_confirm(w->st, &w->v8, p, &a, &err),
			 CD_ECONFLICT);
	assert_int_equal(zones_reject(w->st, p, "again", &a, &err),
			 CD_ECONFLICT);
	code_is(w->st, P1, "green", NULL);
	/* the same case can be proposed again: nothing is active */
	int64_t q = propose(w, T0 + 11 * HOUR);
	assert_int_equal(zones_of(w->st, q).n, 3);
}

/* The facts of the sealed zone on 2022-03-31. Day 0 of the clock is the
 * day the latest case was reported (docs/zones.md: "day 0 = the report
 * day of the zone's latest infection"; DOMAIN.md: "no new case for 14
 * days"): P3 was sampled 2022-03-29 but reported 2022-03-30, so day 0 is
 * 03-30 and the 14 quiet days end on 04-13; no close contact; no rounds
 * yet, so not ready (and with no round in sight the earliest stays
 * 04-13). The precaution zone (the town) holds two active zones, the
 * sealed hamlet and the controlled village: not ready, earliest 0. */
static void test_zone_clock(void **state)
{
	struct world *w = *state;
	struct cd_err err;
	int64_t ids[4];
	struct zones_view v;
	propose_confirm(w, ids);
	ok(zones_view_get(w->st, &w->v8, ids[ZONE_SEALED], T0 + DAY, &v,
			  &err), &err, "view");
	assert_int_equal(v.today, D("2022-03-31"));
	assert_int_equal(v.f.level, ZONE_SEALED);
	assert_int_equal(v.f.confirmed, D("2022-03-30"));
	assert_true(v.f.has_residents);
	assert_int_equal(v.f.last_close_exposure, 0);
	assert_int_equal(v.f.nrounds, 0);
	assert_int_equal(v.step.to, ZONE_NONE);
	assert_false(v.step.ready);
	int32_t li = v.f.last_infection;
	int32_t earliest = v.step.earliest;
	zones_view_release(&v);
	assert_int_equal(li, D("2022-03-30"));
	assert_int_equal(earliest, D("2022-04-13"));

	ok(zones_view_get(w->st, &w->v8, ids[ZONE_PRECAUTION], T0 + DAY, &v,
			  &err), &err, "view precaution");
	assert_int_equal(v.f.inner_active, 2);
	assert_false(v.step.ready);
	assert_int_equal(v.step.earliest, 0);
	zones_view_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v9_high_to_medium_to_low),
		cmocka_unit_test(test_v9_medium_direct),
		cmocka_unit_test(test_v9_20_high_to_low),
		cmocka_unit_test(test_v8_sealed),
		cmocka_unit_test(test_precaution),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose_v9_20, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_confirm_codes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_conversion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sealed_case_no_conversion,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zone_clock, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
