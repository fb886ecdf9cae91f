/* test_rounds.c — area testing rounds (app/rounds_run.h over
 * store/store_rounds.c) on a hand-built county, with every expected
 * number worked out here by hand from the rules of docs/rounds.md:
 * coverage per hamlet, per target and overall, the deadline, the missing
 * list once per grid worker (no worker last), the close result, and the
 * refusals.
 *
 * The world (built through the store API, resident IDs checked by
 * rid_parse so a wrong check digit fails the test):
 *
 *   430422 衡南县 / 430422103000 茶市镇
 *     430422103201 茶市村
 *       -001 上屋场   workers 王一 13900000002 and 李二 13800000001
 *         household -001-0001: P1, P2, P3 (open case: in hospital)
 *         household -001-0002: P4, P5 (cured case: at home again)
 *       -002 下屋场   worker 李二 13800000001
 *         household -002-0001: P6, P7 (central quarantine),
 *                              P8 (home quarantine), P14, P16
 *         household -002-0002: P15 (home quarantine, released)
 *       -003 后屋场   no households, no worker
 *     430422103202 新塘村
 *       -001 老屋场   no worker
 *         household -001-0001: P9, P10 (waiting for central
 *                              quarantine), P11
 *       -002 塘边     worker 张三 13700000003; outside every round
 *         household -002-0001: P12, P13
 *
 * Round R1 starts at 2022-03-30 08:00 CST over 430422103201 and
 * 430422103202-001, 24 h. Its tubes:
 *   R1-001 10-in-1: P1 P2 P4 P6 P3 P12     (result positive)
 *   R1-002  5-in-1: P7 P8 P9               (result invalid)
 *   R1-003  single, re-sample of R1-001: P2  (result negative)
 *   R1-004  single: P13                    (no result)
 * Elsewhere: R0-001 10-in-1 of round R0: P11 P15; X-001 single, no
 * round: P5. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/rounds_run.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "store/store.h"
#include "world.h"

/* The persons, IDs written out in full (check digits by GB 11643). */
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
#define P12 "43042219421127457X"
#define P13 "430422199708164969"
#define P14 "43042219700101014X"
#define P15 "430422195001010159"
#define P16 "430422196001010161"

#define V1 "430422103201"
#define V2 "430422103202"

#define HOUR 3600
/* 2022-03-30 08:00 CST = 2022-03-30 00:00 UTC: 19081 days after
 * 1970-01-01 (18993 to 2022-01-01, then 31 + 28 + 29), x 86400. */
#define T_START 1648598400LL
#define T_DEADLINE (T_START + 24 * HOUR)     /* 2022-03-31 08:00 CST */

struct world {
	char dir[64], path[128];
	struct store *st;
};

/* ---- building the world */

static void person(struct store *st, const char *rid, const char *name,
		   const char *phone, const char *hh)
{
	struct person_rec r;
	struct rid id;
	struct cd_err err;
	enum store_upsert up;
	memset(&r, 0, sizeof r);
	ok(rid_parse(rid, D("2022-03-31"), &id, &err), &err, rid);
	snprintf(r.rid, sizeof r.rid, "%s", id.id);
	snprintf(r.name, sizeof r.name, "%s", name);
	snprintf(r.phone, sizeof r.phone, "%s", phone);
	snprintf(r.household, sizeof r.household, "%s", hh);
	r.sex = id.sex;
	r.birth = id.birth;
	ok(store_person_upsert(st, &r, &up, &err), &err, rid);
}

/* A grid worker answering for the hamlets units[] (NULL-terminated). */
static void worker(struct store *st, const char *phone, const char *name,
		   const char *const *units)
{
	struct grid_worker_rec r;
	struct cd_err err;
	enum store_upsert up;
	memset(&r, 0, sizeof r);
	snprintf(r.phone, sizeof r.phone, "%s", phone);
	snprintf(r.name, sizeof r.name, "%s", name);
	for (; *units; units++)
		snprintf(r.units[r.nunits++], UNIT_CODE_MAX, "%s", *units);
	ok(store_grid_worker_upsert(st, &r, &up, &err), &err, phone);
}

static uint32_t pid(struct store *st, const char *rid)
{
	uint32_t id = 0;
	struct cd_err err;
	ok(store_person_id(st, rid, &id, &err), &err, rid);
	return id;
}

/* A confirmed case of rid, open or cured on cured_on. */
static void a_case(struct store *st, const char *rid, const char *onset,
		   const char *cured_on)
{
	struct case_rec c;
	struct cd_err err;
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", rid);
	c.cls = CASE_CONFIRMED;
	c.ctype = CT_MILD;
	c.origin = ORIGIN_LOCAL;
	c.found = FOUND_FEVER;
	c.onset = c.sampling = D(onset);
	c.reported = (int64_t)c.onset * 86400 + 12 * HOUR;
	c.isolated = c.reported;
	snprintf(c.hospital, sizeof c.hospital, "衡南县人民医院");
	if (cured_on) {
		c.outcome = OUTCOME_CURED;
		c.outcome_date = D(cured_on);
	}
	ok(store_case_add(st, &c, &err), &err, rid);
}

static enum cd_code keep_room(void *ctx, const struct store_room_view *v)
{
	*(int64_t *)ctx = v->id;
	return CD_OK;
}

/* A close contact's plan (v9-20, last exposed 03-28) for rid in status s
 * (in room `room` when central); returns its id. */
static int64_t a_quarantine(struct store *st, const char *rid,
			    enum quarantine_status s, int64_t room)
{
	struct rules r;
	struct quarantine_plan p;
	struct store_quarantine q;
	struct cd_err err;
	ok(rules_builtin("v9-20", &r, &err), &err, "v9-20");
	ok(quarantine_plan_make(&r.quarantine, QG_CLOSE, D("2022-03-28"), &p,
				&err), &err, "plan");
	memset(&q, 0, sizeof q);
	q.person = pid(st, rid);
	q.grp = QG_CLOSE;
	snprintf(q.profile, sizeof q.profile, "v9-20");
	q.status = s;
	q.room_id = room;
	q.planned_at = T_START - 10 * HOUR;
	ok(store_quarantine_add(st, &q, &p, &err), &err, rid);
	return q.id;
}

/* Add a tube with members rids[] (NULL-terminated); returns its id. */
static int64_t tube(struct store *st, const char *code, int size,
		    const char *round, int64_t retest_of, int64_t at,
		    const char *const *rids)
{
	struct testing_tube t;
	uint32_t ids[16];
	size_t n = 0;
	int64_t id = 0;
	struct cd_err err;
	memset(&t, 0, sizeof t);
	snprintf(t.tube, sizeof t.tube, "%s", code);
	t.pool_size = size;
	snprintf(t.point, sizeof t.point, "茶市镇卫生院");
	t.sampled_at = at;
	snprintf(t.round, sizeof t.round, "%s", round);
	for (; *rids; rids++)
		ids[n++] = pid(st, *rids);
	ok(store_sample_add(st, &t, retest_of, ids, n, &id, &err), &err,
	   code);
	return id;
}

static void result(struct store *st, int64_t sample, enum testing_result r)
{
	struct testing_result_rec x;
	struct cd_err err;
	memset(&x, 0, sizeof x);
	x.result = r;
	snprintf(x.lab, sizeof x.lab, "衡南县疾控中心");
	x.result_at = T_START + 7 * HOUR;
	ok(store_result_add(st, sample, &x, &err), &err, "result");
}

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void build(struct store *st)
{
	struct cd_err err;
	enum store_upsert up;
	ok(store_begin(st, &err), &err, "begin");
	unit(st, "430422", "衡南县");
	unit(st, "430422103000", "茶市镇");
	unit(st, V1, "茶市村");
	unit(st, V1 "-001", "上屋场");
	unit(st, V1 "-002", "下屋场");
	unit(st, V1 "-003", "后屋场");
	unit(st, V2, "新塘村");
	unit(st, V2 "-001", "老屋场");
	unit(st, V2 "-002", "塘边");
	const char *hh[] = { V1 "-001-0001", V1 "-001-0002", V1 "-002-0001",
			     V1 "-002-0002", V2 "-001-0001", V2 "-002-0001" };
	for (size_t i = 0; i < sizeof hh / sizeof *hh; i++)
		household(st, hh[i]);
	person(st, P1, "赵桂平", "", hh[0]);
	person(st, P2, "高丽艳", "", hh[0]);
	person(st, P3, "朱静", "", hh[0]);
	person(st, P4, "赵小雨", "", hh[1]);
	person(st, P5, "杨强明", "18522007414", hh[1]);
	person(st, P6, "刘建军", "", hh[2]);
	person(st, P7, "刘小军", "", hh[2]);
	person(st, P8, "刘小花", "", hh[2]);
	/* P14 before P16, though P16's ID sorts first */
	person(st, P14, "刘大山", "13512345678", hh[2]);
	person(st, P16, "刘秀英", "", hh[2]);
	person(st, P15, "陈老四", "", hh[3]);
	person(st, P9, "孙明", "", hh[4]);
	person(st, P10, "孙小明", "", hh[4]);
	person(st, P11, "孙丽", "", hh[4]);
	person(st, P12, "林磊", "", hh[5]);
	person(st, P13, "孙磊秀", "", hh[5]);
	/* 王一 first, so that worker ids do not follow phone order */
	worker(st, "13900000002", "王一", L(V1 "-001"));
	worker(st, "13800000001", "李二", L(V1 "-001", V1 "-002"));
	worker(st, "13700000003", "张三", L(V2 "-002"));
	a_case(st, P3, "2022-03-29", NULL);
	a_case(st, P5, "2022-01-10", "2022-02-01");
	struct site_rec site;
	struct room_rec room;
	int64_t room_id = 0;
	memset(&site, 0, sizeof site);
	snprintf(site.code, sizeof site.code, "S1");
	snprintf(site.name, sizeof site.name, "茶市宾馆");
	snprintf(site.unit, sizeof site.unit, "430422103000");
	ok(store_site_upsert(st, &site, &up, &err), &err, "site");
	memset(&room, 0, sizeof room);
	snprintf(room.site, sizeof room.site, "S1");
	snprintf(room.number, sizeof room.number, "101");
	room.capacity = 1;
	ok(store_room_upsert(st, &room, &up, &err), &err, "room");
	ok(store_room_list(st, "S1", keep_room, &room_id, &err), &err,
	   "rooms");
	assert_true(room_id > 0);
	a_quarantine(st, P7, QS_CENTRAL, room_id);
	a_quarantine(st, P8, QS_HOME, 0);
	a_quarantine(st, P10, QS_WAITING, 0);
	int64_t q15 = a_quarantine(st, P15, QS_HOME, 0);
	ok(store_quarantine_set(st, q15, QS_RELEASED, 0, D("2022-03-29"),
				&err), &err, "release");
	ok(store_commit(st, &err), &err, "commit");
}

/* The round R1 and its tubes as in the header (results not yet in). */
static void round_r1(struct store *st, int64_t ids[4])
{
	struct store_round r;
	struct cd_err err;
	ok(rounds_start(st, "R1", V1 "," V2 "-001", T_START, 24, &r, &err),
	   &err, "start R1");
	assert_int_equal(r.start, T_START);
	assert_int_equal(r.deadline, T_DEADLINE);
	assert_int_equal(r.closed_at, 0);
	assert_int_equal(r.targets, 2);
	ok(store_begin(st, &err), &err, "begin");
	ids[0] = tube(st, "R1-001", 10, "R1", 0, T_START + HOUR,
		      L(P1, P2, P4, P6, P3, P12));
	ids[1] = tube(st, "R1-002", 5, "R1", 0, T_START + HOUR,
		      L(P7, P8, P9));
	ids[2] = tube(st, "R1-003", 1, "R1", ids[0], T_START + 2 * HOUR,
		      L(P2));
	ids[3] = tube(st, "R1-004", 1, "R1", 0, T_START + 2 * HOUR, L(P13));
	tube(st, "R0-001", 10, "R0", 0, T_START - 20 * HOUR, L(P11, P15));
	tube(st, "X-001", 1, "", 0, T_START + HOUR, L(P5));
	ok(store_commit(st, &err), &err, "commit");
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	struct cd_err err;
	if (!w)
		return -1;
	snprintf(w->dir, sizeof w->dir, "/tmp/cordon-test-rounds-XXXXXX");
	if (!mkdtemp(w->dir)) {
		free(w);
		return -1;
	}
	snprintf(w->path, sizeof w->path, "%s/r.db", w->dir);
	if (store_open(w->path, STORE_CREATE | STORE_WRITE, &w->st, &err)) {
		print_error("store_open: %s\n", err.msg);
		rmdir(w->dir);
		free(w);
		return -1;
	}
	*state = w;
	build(w->st);
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	store_close(w->st);
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", w->path, sfx[i]);
		unlink(p);
	}
	/* the presence segments directory, if the store made one */
	char seg[160];
	snprintf(seg, sizeof seg, "%s.presence", w->path);
	rmdir(seg);
	int rc = rmdir(w->dir);
	free(w);
	return rc;
}

static void line_is(const struct rounds_line *l, const char *code,
		    const char *name, const char *target, long expected,
		    long sampled)
{
	assert_string_equal(l->code, code);
	assert_string_equal(l->name, name);
	if (target)
		assert_string_equal(l->target, target);
	assert_int_equal(l->expected, expected);
	assert_int_equal(l->sampled, sampled);
}

/* ---- coverage */

/* Expected and sampled, by hand:
 *  上屋场 (-001): P1 P2 P4 P5 expected (P3 has an open case; P5's case is
 *    cured): 4. Sampled P1, P2 (R1-001, and R1-003 again: once), P4: 3.
 *    P3 is in R1-001 but not expected: no count. P5's tube X-001 has no
 *    round.
 *  下屋场 (-002): P6 P8 P14 P16 P15 expected (P7 in central quarantine;
 *    P8 in home quarantine and P15 released both count): 5. Sampled P6
 *    (R1-001), P8 (R1-002): 2. P7 in R1-002 does not count; P15's tube
 *    is of round R0.
 *  后屋场 (-003): 0 expected, 0 sampled, listed all the same.
 *  茶市村 (target): 4 + 5 + 0 = 9 expected, 3 + 2 + 0 = 5 sampled.
 *  老屋场 (target and hamlet): P9 P11 expected (P10 waiting for central
 *    quarantine): 2. Sampled P9 (R1-002): 1; P11 only in R0.
 *  塘边 is no target: P12 (R1-001) and P13 (R1-004) count nowhere.
 *  Overall 9 + 2 = 11 expected, 5 + 1 = 6 sampled. */
static void test_coverage(void **state)
{
	struct world *w = *state;
	struct rounds_status s;
	struct cd_err err;
	int64_t ids[4];
	round_r1(w->st, ids);
	ok(rounds_status_get(w->st, "R1", T_START + 3 * HOUR, &s, &err), &err,
	   "status");
	assert_string_equal(s.r.code, "R1");
	assert_int_equal(s.r.deadline, T_DEADLINE);
	assert_int_equal(s.ntargets, 2);
	line_is(&s.targets[0], V1, "茶市村", NULL, 9, 5);
	line_is(&s.targets[1], V2 "-001", "老屋场", NULL, 2, 1);
	assert_int_equal(s.nhamlets, 4);
	line_is(&s.hamlets[0], V1 "-001", "上屋场", V1, 4, 3);
	line_is(&s.hamlets[1], V1 "-002", "下屋场", V1, 5, 2);
	line_is(&s.hamlets[2], V1 "-003", "后屋场", V1, 0, 0);
	line_is(&s.hamlets[3], V2 "-001", "老屋场", V2 "-001", 2, 1);
	assert_int_equal(s.expected, 11);
	assert_int_equal(s.sampled, 6);
	assert_false(s.past);
	/* 6 of 11 = 54.5454...%; nobody expected: -1 */
	assert_true(rounds_percent(s.sampled, s.expected) > 54.545 &&
		    rounds_percent(s.sampled, s.expected) < 54.546);
	assert_true(rounds_percent(0, 0) < 0);
	assert_true(rounds_percent(3, 4) == 75.0);
	rounds_status_release(&s);
	assert_null(s.targets);
	assert_null(s.hamlets);
}

/* past: strictly after the deadline (03-31 08:00:00 is still in time,
 * 08:00:01 is not). */
static void test_deadline(void **state)
{
	struct world *w = *state;
	struct rounds_status s;
	struct cd_err err;
	int64_t ids[4];
	round_r1(w->st, ids);
	const struct { int64_t now; bool past; } at[] = {
		{ T_START - HOUR, false },   /* before the start */
		{ T_START + 23 * HOUR, false },
		{ T_DEADLINE, false },
		{ T_DEADLINE + 1, true },
		{ T_DEADLINE + 48 * HOUR, true },
	};
	for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
		ok(rounds_status_get(w->st, "R1", at[i].now, &s, &err), &err,
		   "status");
		if (s.past != at[i].past)
			fail_msg("at %lld: past %d, wanted %d",
				 (long long)at[i].now, s.past, at[i].past);
		/* the counts do not depend on the clock */
		assert_int_equal(s.expected, 11);
		assert_int_equal(s.sampled, 6);
		rounds_status_release(&s);
	}
	/* a 48 h round (a controlled zone) */
	struct store_round r;
	ok(rounds_start(w->st, "R48", V1 "-003", T_START, 48, &r, &err), &err,
	   "start");
	assert_int_equal(r.deadline, T_START + 48 * HOUR);
	ok(rounds_status_get(w->st, "R48", T_DEADLINE + 1, &s, &err), &err,
	   "status");
	assert_false(s.past);
	rounds_status_release(&s);
}

/* ---- the missing list */

struct want_missing {
	const char *phone, *worker, *hamlet, *household, *rid;
};

/* Missing = expected - sampled: P5 (上屋场), P14 P16 P15 (下屋场), P11
 * (老屋场). Each under every worker of their hamlet:
 *   李二 13800000001 (上屋场, 下屋场): P5; P16, P14 (household -0001, by
 *     ID: 1960... before 1970...); P15 (household -0002, though its ID
 *     sorts first). 上屋场 before 下屋场 though P5's ID sorts last.
 *   王一 13900000002 (上屋场): P5 again.
 *   老屋场 has no worker: P11 last.
 * 张三 13700000003 answers only for 塘边, outside the round: absent,
 * though his phone sorts first and P12, P13 are not sampled in R1. */
static void test_missing(void **state)
{
	struct world *w = *state;
	struct store_round r;
	struct store_round_missing *m = NULL;
	size_t n = 0;
	struct cd_err err;
	int64_t ids[4];
	round_r1(w->st, ids);
	static const struct want_missing want[] = {
		{ "13800000001", "李二", V1 "-001", V1 "-001-0002", P5 },
		{ "13800000001", "李二", V1 "-002", V1 "-002-0001", P16 },
		{ "13800000001", "李二", V1 "-002", V1 "-002-0001", P14 },
		{ "13800000001", "李二", V1 "-002", V1 "-002-0002", P15 },
		{ "13900000002", "王一", V1 "-001", V1 "-001-0002", P5 },
		{ "", "", V2 "-001", V2 "-001-0001", P11 },
	};
	ok(rounds_missing_get(w->st, "R1", &r, &m, &n, &err), &err, "missing");
	assert_string_equal(r.code, "R1");
	assert_int_equal(r.deadline, T_DEADLINE);
	for (size_t i = 0; i < n && i < sizeof want / sizeof *want; i++) {
		if (strcmp(m[i].worker_phone, want[i].phone) ||
		    strcmp(m[i].rid, want[i].rid))
			fail_msg("line %zu: worker '%s' %s, wanted '%s' %s", i,
				 m[i].worker_phone, m[i].rid, want[i].phone,
				 want[i].rid);
		assert_string_equal(m[i].worker_name, want[i].worker);
		assert_string_equal(m[i].hamlet, want[i].hamlet);
		assert_string_equal(m[i].household, want[i].household);
	}
	assert_int_equal(n, sizeof want / sizeof *want);
	/* what a worker needs to find them */
	assert_string_equal(m[0].name, "杨强明");
	assert_string_equal(m[0].phone, "18522007414");
	assert_string_equal(m[0].hamlet_name, "上屋场");
	assert_string_equal(m[2].name, "刘大山");
	assert_string_equal(m[2].phone, "13512345678");
	assert_string_equal(m[5].name, "孙丽");
	assert_string_equal(m[5].phone, "");
	assert_string_equal(m[5].hamlet_name, "老屋场");
	free(m);
	/* once P5, P14, P15, P16 and P11 are sampled, nobody is missing */
	ok(store_begin(w->st, &err), &err, "begin");
	tube(w->st, "R1-005", 5, "R1", 0, T_START + 5 * HOUR,
	     L(P5, P14, P15, P16, P11));
	ok(store_commit(w->st, &err), &err, "commit");
	ok(rounds_missing_get(w->st, "R1", &r, &m, &n, &err), &err, "missing");
	assert_int_equal(n, 0);
	free(m);
	struct rounds_status s;
	ok(rounds_status_get(w->st, "R1", T_START, &s, &err), &err, "status");
	assert_int_equal(s.expected, 11);
	assert_int_equal(s.sampled, 11);
	rounds_status_release(&s);
}

/* ---- close */

/* R1 after its results: R1-001 positive, R1-002 invalid, R1-003
 * negative, R1-004 none. 4 tubes: 1 negative, 1 positive, 1 invalid, 1
 * without result; the positive: R1-001, 10-in-1, 6 members (P1 P2 P4 P6
 * P3 P12: every member counts here, in the round's targets or not).
 * R2 over 老屋场, two 5-in-1 tubes (P9; P11) both negative: all
 * negative, no positive. R3 over 后屋场 has no tubes at all. */
static void test_close(void **state)
{
	struct world *w = *state;
	struct rounds_outcome o;
	struct store_round r;
	struct cd_err err;
	int64_t ids[4];
	round_r1(w->st, ids);
	ok(store_begin(w->st, &err), &err, "begin");
	result(w->st, ids[0], TESTING_POSITIVE);
	result(w->st, ids[1], TESTING_INVALID);
	result(w->st, ids[2], TESTING_NEGATIVE);
	ok(store_commit(w->st, &err), &err, "commit");

	ok(rounds_close(w->st, "R1", T_DEADLINE + HOUR, &o, &err), &err,
	   "close");
	assert_int_equal(o.r.closed_at, T_DEADLINE + HOUR);
	assert_int_equal(o.res.tubes, 4);
	assert_int_equal(o.res.negative, 1);
	assert_int_equal(o.res.positive, 1);
	assert_int_equal(o.res.invalid, 1);
	assert_int_equal(o.res.pending, 1);
	assert_int_equal(o.npos, 1);
	assert_string_equal(o.pos[0].tube, "R1-001");
	assert_int_equal(o.pos[0].pool_size, 10);
	assert_int_equal(o.pos[0].members, 6);
	rounds_outcome_release(&o);
	assert_null(o.pos);

	/* stored once; a second close is refused and changes nothing */
	ok(store_round_get(w->st, "R1", &r, &err), &err, "get");
	assert_int_equal(r.closed_at, T_DEADLINE + HOUR);
	assert_int_equal(rounds_close(w->st, "R1", T_DEADLINE + 5 * HOUR, &o,
				      &err), CD_ECONFLICT);
	assert_non_null(strstr(err.msg, "already closed"));
	rounds_outcome_release(&o);
	ok(store_round_get(w->st, "R1", &r, &err), &err, "get");
	assert_int_equal(r.closed_at, T_DEADLINE + HOUR);
	/* the status of a closed round still reads, with closed_at */
	struct rounds_status s;
	ok(rounds_status_get(w->st, "R1", T_DEADLINE + 2 * HOUR, &s, &err),
	   &err, "status");
	assert_int_equal(s.r.closed_at, T_DEADLINE + HOUR);
	assert_int_equal(s.expected, 11);
	assert_int_equal(s.sampled, 6);
	assert_true(s.past);
	rounds_status_release(&s);

	/* all negative */
	ok(rounds_start(w->st, "R2", V2 "-001", T_DEADLINE, 24, &r, &err),
	   &err, "start R2");
	ok(store_begin(w->st, &err), &err, "begin");
	result(w->st, tube(w->st, "R2-001", 5, "R2", 0, T_DEADLINE + HOUR,
			   L(P9)), TESTING_NEGATIVE);
	result(w->st, tube(w->st, "R2-002", 5, "R2", 0, T_DEADLINE + HOUR,
			   L(P11)), TESTING_NEGATIVE);
	ok(store_commit(w->st, &err), &err, "commit");
	ok(rounds_status_get(w->st, "R2", T_DEADLINE + 2 * HOUR, &s, &err),
	   &err, "status R2");
	assert_int_equal(s.expected, 2);
	assert_int_equal(s.sampled, 2);
	rounds_status_release(&s);
	ok(rounds_close(w->st, "R2", T_DEADLINE + 3 * HOUR, &o, &err), &err,
	   "close R2");
	assert_int_equal(o.res.tubes, 2);
	assert_int_equal(o.res.negative, 2);
	assert_int_equal(o.res.positive + o.res.invalid + o.res.pending, 0);
	assert_int_equal(o.npos, 0);
	rounds_outcome_release(&o);

	/* no tubes: nothing to count, still closed */
	ok(rounds_start(w->st, "R3", V1 "-003", T_START, 24, &r, &err), &err,
	   "start R3");
	ok(rounds_close(w->st, "R3", T_DEADLINE, &o, &err), &err, "close R3");
	assert_int_equal(o.res.tubes, 0);
	assert_int_equal(o.npos, 0);
	assert_int_equal(o.r.closed_at, T_DEADLINE);
	rounds_outcome_release(&o);
}

/* ---- refusals */

/* The round `code` does not exist. */
static void absent(struct store *st, const char *code)
{
	struct store_round r;
	struct cd_err err;
	assert_int_equal(store_round_get(st, code, &r, &err), CD_ENOTFOUND);
}

static void test_start_refused(void **state)
{
	struct world *w = *state;
	struct store_round r;
	struct cd_err err;
	/* unknown unit, after a good one: nothing is written */
	assert_int_equal(rounds_start(w->st, "R9", V1 ",430422999999",
				      T_START, 24, &r, &err), CD_ENOTFOUND);
	assert_non_null(strstr(err.msg, "430422999999"));
	absent(w->st, "R9");
	/* nested targets, either way round: a hamlet counts once */
	assert_int_equal(rounds_start(w->st, "R9", "430422103000," V1,
				      T_START, 24, &r, &err), CD_ECONFLICT);
	assert_non_null(strstr(err.msg, "lies within"));
	absent(w->st, "R9");
	assert_int_equal(rounds_start(w->st, "R9", V1 "-002," V2 "-001," V1,
				      T_START, 24, &r, &err), CD_ECONFLICT);
	absent(w->st, "R9");
	assert_int_equal(rounds_start(w->st, "R9", "430422," V2 "-002",
				      T_START, 24, &r, &err), CD_ECONFLICT);
	absent(w->st, "R9");
	/* the same unit twice */
	assert_int_equal(rounds_start(w->st, "R9", V1 "," V1, T_START, 24, &r,
				      &err), CD_ECONFLICT);
	absent(w->st, "R9");
	/* the deadline must come after the start */
	assert_int_equal(rounds_start(w->st, "R9", V1, T_START, 0, &r, &err),
			 CD_EINVAL);
	assert_int_equal(rounds_start(w->st, "R9", V1, T_START, -24, &r,
				      &err), CD_EINVAL);
	absent(w->st, "R9");
	/* no units, an empty code in the list, a bad round code */
	assert_int_equal(rounds_start(w->st, "R9", "", T_START, 24, &r, &err),
			 CD_EINVAL);
	assert_int_equal(rounds_start(w->st, "R9", NULL, T_START, 24, &r,
				      &err), CD_EINVAL);
	assert_int_equal(rounds_start(w->st, "R9", V1 ",", T_START, 24, &r,
				      &err), CD_EINVAL);
	assert_int_equal(rounds_start(w->st, "R 9", V1, T_START, 24, &r,
				      &err), CD_EINVAL);
	absent(w->st, "R9");
	/* disjoint siblings and cousins are fine */
	ok(rounds_start(w->st, "R9", V1 "-001," V1 "-002," V2, T_START, 24,
			&r, &err), &err, "disjoint");
	assert_int_equal(r.targets, 3);
	/* started once only; the stored round is unchanged */
	assert_int_equal(rounds_start(w->st, "R9", V1, T_START + HOUR, 48, &r,
				      &err), CD_ECONFLICT);
	ok(store_round_get(w->st, "R9", &r, &err), &err, "get");
	assert_int_equal(r.start, T_START);
	assert_int_equal(r.deadline, T_DEADLINE);
	assert_int_equal(r.targets, 3);
}

static void test_unknown_and_unstarted(void **state)
{
	struct world *w = *state;
	struct rounds_status s;
	struct rounds_outcome o;
	struct store_round r;
	struct store_round_missing *m = NULL;
	size_t n = 0;
	struct cd_err err;
	int64_t ids[4];
	assert_int_equal(rounds_status_get(w->st, "R9", T_START, &s, &err),
			 CD_ENOTFOUND);
	assert_non_null(strstr(err.msg, "R9"));
	rounds_status_release(&s);
	assert_int_equal(rounds_missing_get(w->st, "R9", &r, &m, &n, &err),
			 CD_ENOTFOUND);
	free(m);
	assert_int_equal(rounds_close(w->st, "R9", T_START, &o, &err),
			 CD_ENOTFOUND);
	rounds_outcome_release(&o);
	/* R0 exists only through its tube: not started */
	round_r1(w->st, ids);
	assert_int_equal(rounds_status_get(w->st, "R0", T_START, &s, &err),
			 CD_ERULE);
	rounds_status_release(&s);
	m = NULL;
	assert_int_equal(rounds_missing_get(w->st, "R0", &r, &m, &n, &err),
			 CD_ERULE);
	free(m);
	assert_int_equal(rounds_close(w->st, "R0", T_START, &o, &err),
			 CD_ERULE);
	rounds_outcome_release(&o);
	ok(store_round_get(w->st, "R0", &r, &err), &err, "get R0");
	assert_int_equal(r.closed_at, 0);
	/* starting it adopts the tube: 老屋场 expects P9 and P11 (P10
	 * waits for central quarantine); R0-001 holds P11 (and P15, of
	 * another village): 1 of 2. */
	ok(rounds_start(w->st, "R0", V2 "-001", T_START - 24 * HOUR, 24, &r,
			&err), &err, "adopt R0");
	ok(rounds_status_get(w->st, "R0", T_START + 1, &s, &err), &err,
	   "status R0");
	assert_int_equal(s.nhamlets, 1);
	line_is(&s.hamlets[0], V2 "-001", "老屋场", V2 "-001", 2, 1);
	assert_int_equal(s.expected, 2);
	assert_int_equal(s.sampled, 1);
	assert_true(s.past);
	rounds_status_release(&s);
	ok(rounds_missing_get(w->st, "R0", &r, &m, &n, &err), &err,
	   "missing R0");
	assert_int_equal(n, 1);
	assert_string_equal(m[0].rid, P9);
	assert_string_equal(m[0].worker_phone, "");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_coverage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_unstarted,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
