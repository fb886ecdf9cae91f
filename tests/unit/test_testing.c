/* test_testing.c — pooled testing: checks of tubes and results, what a
 * result sets off, a positive 10-in-1 pool resolved by single tubes, the
 * certificate windows at their boundaries, and the recall list per grid
 * worker. Every instant and expected value is worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/import.h"
#include "app/testing_import.h"
#include "domain/testing.h"

/* 2022-03-30 is day 19081 (1970..2021: 52 * 365 + 13 leap days = 18993
 * for 2022-01-01, + 31 + 28 + 29). An instant at hh:mm China time of that
 * day is day * 86400 + hh:mm - 8 h. */
#define DAY_0330 19081LL
#define CST(day, h, m) ((day) * 86400 + (h) * 3600 + (m) * 60 - 8 * 3600)
#define T_SAMPLED CST(DAY_0330, 1, 0)     /* the pool, 01:00 */
#define T_POSITIVE CST(DAY_0330, 2, 58)   /* its positive result, 02:58 */
#define T_RESAMPLE CST(DAY_0330, 3, 30)   /* single tubes, 03:30 */
#define T_NOW CST(DAY_0330, 7, 30)
#define HOUR 3600LL

static struct rules_testing v9_testing(void)
{
	/* testing.pool_size = 10, pool_sizes = 1 5 10 20 (rules/v9.rules) */
	struct rules_testing r = { 10, { 1, 5, 10, 20 } };
	return r;
}

static struct testing_tube pool10(void)
{
	struct testing_tube t;
	memset(&t, 0, sizeof t);
	snprintf(t.tube, sizeof t.tube, "P0330-001");
	t.pool_size = 10;
	snprintf(t.point, sizeof t.point, "茶市镇卫生院");
	t.sampled_at = T_SAMPLED;
	snprintf(t.round, sizeof t.round, "R1");
	return t;
}

/* err's message starts with prefix and contains part. */
static void expect_msg(const struct cd_err *err, const char *prefix,
		       const char *part)
{
	if (strncmp(err->msg, prefix, strlen(prefix)) != 0 ||
	    !strstr(err->msg, part))
		fail_msg("message '%s' lacks '%s' ... '%s'", err->msg, prefix,
			 part);
}

static void test_results_and_codes(void **state)
{
	(void)state;
	struct cd_err err;
	enum testing_result r = TESTING_NONE;
	assert_int_equal(testing_result_parse("positive", &r, &err), CD_OK);
	assert_int_equal(r, TESTING_POSITIVE);
	assert_int_equal(testing_result_parse("阴性", &r, &err), CD_OK);
	assert_int_equal(r, TESTING_NEGATIVE);
	assert_int_equal(testing_result_parse("无效", &r, &err), CD_OK);
	assert_int_equal(r, TESTING_INVALID);
	assert_int_equal(testing_result_parse("Positive", &r, &err),
			 CD_EINVAL);
	assert_int_equal(testing_result_parse("", &r, &err), CD_EINVAL);
	assert_string_equal(testing_result_name(TESTING_INVALID), "invalid");
	assert_string_equal(testing_result_name(TESTING_NONE), "");
	assert_int_equal(testing_code_check("P0330-001_a", &err), CD_OK);
	assert_int_equal(testing_code_check("", &err), CD_EINVAL);
	assert_int_equal(testing_code_check("P 1", &err), CD_EINVAL);
	/* 32 characters pass, 33 do not */
	assert_int_equal(testing_code_check(
				 "ABCDEFGHIJABCDEFGHIJABCDEFGHIJ12", &err), CD_OK);
	assert_int_equal(testing_code_check(
				 "ABCDEFGHIJABCDEFGHIJABCDEFGHIJ123", &err),
			 CD_EINVAL);
}

static void test_pool_sizes(void **state)
{
	(void)state;
	struct rules_testing r = v9_testing();
	struct cd_err err;
	int size = 0;
	assert_int_equal(testing_pool_size_parse("", &r, false, &size, &err),
			 CD_OK);
	assert_int_equal(size, 10);     /* the profile's default */
	assert_int_equal(testing_pool_size_parse("", &r, true, &size, &err),
			 CD_OK);
	assert_int_equal(size, 1);      /* a re-sample: a single tube */
	assert_int_equal(testing_pool_size_parse("20", &r, false, &size,
						 &err), CD_OK);
	assert_int_equal(size, 20);
	assert_int_equal(testing_pool_size_parse("1", &r, false, &size, &err),
			 CD_OK);
	assert_int_equal(size, 1);
	assert_int_equal(testing_pool_size_parse("7", &r, false, &size, &err),
			 CD_EINVAL);
	expect_msg(&err, "must be one of 1 5 10 20", "testing.pool_sizes");
	assert_int_equal(testing_pool_size_parse("010", &r, false, &size,
						 &err), CD_EINVAL);
	assert_int_equal(testing_pool_size_parse("ten", &r, false, &size,
						 &err), CD_EINVAL);
	assert_int_equal(testing_pool_size_parse("10", &r, true, &size, &err),
			 CD_EINVAL);
	expect_msg(&err, "must be 1", "single tube");
	/* A profile without 1 among its sizes still re-samples singly. */
	struct rules_testing no1 = { 10, { 5, 10, 0, 0 } };
	assert_int_equal(testing_pool_size_parse("1", &no1, true, &size,
						 &err), CD_OK);
	assert_int_equal(testing_pool_size_parse("1", &no1, false, &size,
						 &err), CD_EINVAL);
	expect_msg(&err, "must be one of 5 10 ", "");
}

static void test_tube_checks(void **state)
{
	(void)state;
	struct cd_err err;
	struct testing_tube t = pool10(), u;
	assert_int_equal(testing_tube_check(&t, T_NOW, &err), CD_OK);
	/* times: 2020-01-01 00:00 CST is the first instant accepted, now the
	 * last */
	assert_int_equal(testing_time_check(TESTING_EPOCH, T_NOW, &err),
			 CD_OK);
	assert_int_equal(testing_time_check(TESTING_EPOCH - 1, T_NOW, &err),
			 CD_EINVAL);
	expect_msg(&err, "is before 2020", "");
	assert_int_equal(testing_time_check(T_NOW, T_NOW, &err), CD_OK);
	assert_int_equal(testing_time_check(T_NOW + 1, T_NOW, &err),
			 CD_EINVAL);
	expect_msg(&err, "is in the future", "");
	u = t;
	u.sampled_at = T_NOW + 1;
	assert_int_equal(testing_tube_check(&u, T_NOW, &err), CD_EINVAL);
	expect_msg(&err, "sampled_at: ", "future");
	u = t;
	u.point[0] = '\0';
	assert_int_equal(testing_tube_check(&u, T_NOW, &err), CD_EINVAL);
	expect_msg(&err, "point: ", "");
	u = t;
	snprintf(u.retest_of, sizeof u.retest_of, "P0329-007");
	assert_int_equal(testing_tube_check(&u, T_NOW, &err), CD_EINVAL);
	expect_msg(&err, "pool_size: must be 1", "single tube");
	u.pool_size = 1;
	assert_int_equal(testing_tube_check(&u, T_NOW, &err), CD_OK);
	snprintf(u.retest_of, sizeof u.retest_of, "%s", u.tube);
	assert_int_equal(testing_tube_check(&u, T_NOW, &err), CD_EINVAL);
	expect_msg(&err, "retest_of: is the tube itself", "");
	/* the rows of one tube agree, or the first differing field is named */
	u = t;
	assert_null(testing_tube_differs(&t, &u));
	u.sampled_at += 60;
	assert_string_equal(testing_tube_differs(&t, &u), "sampled_at");
	u = t;
	u.round[0] = '\0';
	assert_string_equal(testing_tube_differs(&t, &u), "round");
	u.pool_size = 20;
	assert_string_equal(testing_tube_differs(&t, &u), "pool_size");
}

static void test_members(void **state)
{
	(void)state;
	struct cd_err err;
	struct testing_tube t = pool10();
	assert_int_equal(testing_member_fits(&t, 1, &err), CD_OK);
	assert_int_equal(testing_member_fits(&t, 10, &err), CD_OK);
	assert_int_equal(testing_member_fits(&t, 11, &err), CD_EINVAL);
	assert_string_equal(err.msg, "is member 11 of tube P0330-001, over "
			    "its pool size of 10");
	t.pool_size = 1;
	assert_int_equal(testing_member_fits(&t, 2, &err), CD_EINVAL);
}

static struct testing_result_rec result(enum testing_result r, int64_t at)
{
	struct testing_result_rec x;
	memset(&x, 0, sizeof x);
	snprintf(x.tube, sizeof x.tube, "P0330-001");
	x.result = r;
	snprintf(x.lab, sizeof x.lab, "衡南县疾控中心");
	x.result_at = at;
	return x;
}

static void test_result_checks(void **state)
{
	(void)state;
	struct cd_err err;
	struct testing_tube t = pool10();
	struct testing_result_rec r = result(TESTING_POSITIVE, T_POSITIVE);
	bool same = false;
	assert_int_equal(testing_result_check(&r, &t, T_NOW, &err), CD_OK);
	/* at the sampling instant itself: accepted; a second before: not */
	r.result_at = T_SAMPLED;
	assert_int_equal(testing_result_check(&r, &t, T_NOW, &err), CD_OK);
	r.result_at = T_SAMPLED - 1;
	assert_int_equal(testing_result_check(&r, &t, T_NOW, &err),
			 CD_EINVAL);
	assert_string_equal(err.msg, "result_at: is before the tube's "
			    "sampling time 2022-03-30 01:00:00");
	r = result(TESTING_POSITIVE, T_NOW + 1);
	assert_int_equal(testing_result_check(&r, &t, T_NOW, &err),
			 CD_EINVAL);
	expect_msg(&err, "result_at: ", "future");
	r = result(TESTING_POSITIVE, T_POSITIVE);
	r.lab[0] = '\0';
	assert_int_equal(testing_result_check(&r, &t, T_NOW, &err),
			 CD_EINVAL);
	expect_msg(&err, "lab: ", "");
	/* one result per tube: the same again is unchanged, any difference a
	 * conflict naming the stored one */
	struct testing_result_rec stored = result(TESTING_POSITIVE, T_POSITIVE);
	r = stored;
	assert_int_equal(testing_result_same(&stored, &r, &same, &err), CD_OK);
	assert_true(same);
	r.result = TESTING_NEGATIVE;
	assert_int_equal(testing_result_same(&stored, &r, &same, &err),
			 CD_ECONFLICT);
	assert_false(same);
	assert_string_equal(err.msg, "tube P0330-001 already has the result "
			    "positive (衡南县疾控中心, 2022-03-30 02:58:00); "
			    "a tube has one result");
	r = stored;
	r.result_at += 60;
	assert_int_equal(testing_result_same(&stored, &r, &same, &err),
			 CD_ECONFLICT);
}

static void test_effects(void **state)
{
	(void)state;
	struct testing_effect e;
	testing_effect_of(10, false, TESTING_POSITIVE, &e);
	assert_true(e.control_members);
	assert_false(e.make_case || e.resolve_control);
	testing_effect_of(10, false, TESTING_NEGATIVE, &e);
	assert_false(e.control_members || e.make_case || e.resolve_control);
	testing_effect_of(20, false, TESTING_INVALID, &e);
	assert_false(e.control_members || e.make_case || e.resolve_control);
	/* single-tube re-samples resolve the member's control */
	testing_effect_of(1, true, TESTING_NEGATIVE, &e);
	assert_true(e.resolve_control);
	assert_int_equal(e.outcome, TESTING_NEGATIVE);
	assert_false(e.make_case || e.control_members);
	testing_effect_of(1, true, TESTING_POSITIVE, &e);
	assert_true(e.resolve_control && e.make_case);
	assert_int_equal(e.outcome, TESTING_POSITIVE);
	assert_int_equal(e.found, FOUND_POOL);
	testing_effect_of(1, true, TESTING_INVALID, &e);
	assert_false(e.resolve_control || e.make_case);
	/* a positive single tube sampled on its own is a case too */
	testing_effect_of(1, false, TESTING_POSITIVE, &e);
	assert_true(e.make_case);
	assert_false(e.resolve_control || e.control_members);
	assert_int_equal(e.found, FOUND_SCREENING);
}

/* The reference scenario: a 10-in-1 pool positive at 02:58 controls its
 * ten members at once; nine single tubes are negative, one positive. */
static void test_pool_resolution(void **state)
{
	(void)state;
	struct testing_control c[10];
	struct testing_effect e;
	size_t open = 99;
	int cases = 0, released = 0;
	assert_int_equal(testing_pool_state_of(TESTING_NONE, 10, NULL, 0,
					       &open), TESTING_POOL_WAITING);
	testing_effect_of(10, false, TESTING_POSITIVE, &e);
	assert_true(e.control_members);
	for (int i = 0; i < 10; i++)
		c[i] = (struct testing_control){ T_POSITIVE, 0, TESTING_NONE };
	assert_int_equal(testing_pool_state_of(TESTING_POSITIVE, 10, c, 10,
					       &open), TESTING_POOL_CONTROLLED);
	assert_int_equal(open, 10);
	/* every control is in force from 02:58, not a second before */
	assert_false(testing_control_open_at(&c[0], T_POSITIVE - 1));
	assert_true(testing_control_open_at(&c[0], T_POSITIVE));
	for (int i = 0; i < 10; i++) {
		enum testing_result r = i == 3 ? TESTING_POSITIVE
					       : TESTING_NEGATIVE;
		testing_effect_of(1, true, r, &e);
		assert_true(e.resolve_control);
		c[i].outcome = e.outcome;
		c[i].resolved_at = CST(DAY_0330, 7, 0) + i * 60;
		released += e.outcome == TESTING_NEGATIVE;
		cases += e.make_case;
		if (i == 4) {
			assert_int_equal(testing_pool_state_of(
						 TESTING_POSITIVE, 10, c, 10,
						 &open),
					 TESTING_POOL_CONTROLLED);
			assert_int_equal(open, 5);
		}
	}
	assert_int_equal(released, 9);
	assert_int_equal(cases, 1);
	assert_int_equal(testing_pool_state_of(TESTING_POSITIVE, 10, c, 10,
					       &open), TESTING_POOL_RESOLVED);
	assert_int_equal(open, 0);
	/* the first member was released at 07:00: controlled until then */
	assert_true(testing_control_open_at(&c[0], CST(DAY_0330, 6, 59)));
	assert_false(testing_control_open_at(&c[0], CST(DAY_0330, 7, 0)));
	/* the other states */
	assert_int_equal(testing_pool_state_of(TESTING_NEGATIVE, 10, NULL, 0,
					       NULL), TESTING_POOL_NEGATIVE);
	assert_int_equal(testing_pool_state_of(TESTING_INVALID, 10, NULL, 0,
					       NULL), TESTING_POOL_INVALID);
	assert_int_equal(testing_pool_state_of(TESTING_POSITIVE, 1, NULL, 0,
					       NULL), TESTING_POOL_POSITIVE);
	assert_int_equal(testing_pool_state_of(TESTING_POSITIVE, 10, NULL, 0,
					       NULL), TESTING_POOL_CONTROLLED);
	assert_string_equal(testing_pool_state_name(TESTING_POOL_RESOLVED),
			    "resolved");
}

static struct testing_hist hist(const char *tube, int size, int64_t sampled,
				int64_t resulted, enum testing_result r)
{
	struct testing_hist h;
	memset(&h, 0, sizeof h);
	snprintf(h.tube, sizeof h.tube, "%s", tube);
	h.pool_size = size;
	h.sampled_at = sampled;
	h.result_at = resulted;
	h.result = r;
	return h;
}

/* Windows of 24/48/72 h from sampling at 03:30 on 30 March: in at exactly
 * 24 h (03:30 on the 31st), out a second later. */
static void test_certificate_windows(void **state)
{
	(void)state;
	static const int hours[] = { 24, 48, 72 };
	struct testing_hist h = hist("S0330-002", 1, T_RESAMPLE,
				     CST(DAY_0330, 7, 0), TESTING_NEGATIVE);
	struct testing_cert c;
	static const struct {
		int64_t at;
		bool w24, w48, w72;
	} cases[] = {
		{ CST(DAY_0330, 7, 0), true, true, true },
		{ T_RESAMPLE + 24 * HOUR, true, true, true },
		{ T_RESAMPLE + 24 * HOUR + 1, false, true, true },
		{ T_RESAMPLE + 48 * HOUR, false, true, true },
		{ T_RESAMPLE + 48 * HOUR + 1, false, false, true },
		{ T_RESAMPLE + 72 * HOUR, false, false, true },
		{ T_RESAMPLE + 72 * HOUR + 1, false, false, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		testing_certificate(&h, 1, cases[i].at, hours, &c);
		assert_true(c.has_negative);
		assert_int_equal(c.n, 3);
		assert_int_equal(c.age, cases[i].at - T_RESAMPLE);
		assert_int_equal(c.within[0], cases[i].w24);
		assert_int_equal(c.within[1], cases[i].w48);
		assert_int_equal(c.within[2], cases[i].w72);
	}
	/* 24 h exactly is 86400 s */
	testing_certificate(&h, 1, T_RESAMPLE + 24 * HOUR, hours, &c);
	assert_int_equal(c.age, 86400);
	/* before the result came back (07:00) there was no certificate */
	testing_certificate(&h, 1, CST(DAY_0330, 6, 59), hours, &c);
	assert_false(c.has_negative);
	assert_false(c.within[0] || c.within[1] || c.within[2]);
	/* two windows only (cert_hours = 24 48) */
	static const int two[] = { 24, 48, 0 };
	testing_certificate(&h, 1, T_RESAMPLE + 30 * HOUR, two, &c);
	assert_int_equal(c.n, 2);
	assert_false(c.within[0]);
	assert_true(c.within[1]);
}

static void test_certificate_history(void **state)
{
	(void)state;
	static const int hours[] = { 24, 48, 72 };
	struct testing_cert c;
	/* a negative on the 28th, the positive pool on the 30th, then the
	 * member's negative single tube */
	struct testing_hist h[] = {
		hist("R0328-010", 10, CST(DAY_0330 - 2, 9, 0),
		     CST(DAY_0330 - 2, 15, 0), TESTING_NEGATIVE),
		hist("P0330-001", 10, T_SAMPLED, T_POSITIVE, TESTING_POSITIVE),
		hist("S0330-002", 1, T_RESAMPLE, CST(DAY_0330, 7, 0),
		     TESTING_NEGATIVE),
		hist("S0330-099", 1, CST(DAY_0330, 8, 0), CST(DAY_0330, 9, 0),
		     TESTING_INVALID),
	};
	/* at 03:00 (pool positive, single tube not back): the negative of
	 * the 28th is superseded: no window holds */
	testing_certificate(h, 4, CST(DAY_0330, 3, 0), hours, &c);
	assert_true(c.has_negative);
	assert_string_equal(c.negative.tube, "R0328-010");
	assert_true(c.superseded);
	assert_string_equal(c.positive.tube, "P0330-001");
	assert_false(c.within[0] || c.within[1] || c.within[2]);
	/* at 10:00 the single tube's negative (sampled 03:30) counts; the
	 * invalid tube changes nothing; the earlier positive is older */
	testing_certificate(h, 4, CST(DAY_0330, 10, 0), hours, &c);
	assert_string_equal(c.negative.tube, "S0330-002");
	assert_false(c.superseded);
	assert_int_equal(c.age, 6 * HOUR + 30 * 60);
	assert_true(c.within[0] && c.within[1] && c.within[2]);
	/* the order of the input does not matter */
	struct testing_hist r[4] = { h[3], h[2], h[1], h[0] };
	testing_certificate(r, 4, CST(DAY_0330, 10, 0), hours, &c);
	assert_string_equal(c.negative.tube, "S0330-002");
	/* a positive sampled at the negative's very time voids it */
	struct testing_hist tie[] = {
		hist("A", 1, T_RESAMPLE, CST(DAY_0330, 7, 0), TESTING_NEGATIVE),
		hist("B", 1, T_RESAMPLE, CST(DAY_0330, 8, 0), TESTING_POSITIVE),
	};
	testing_certificate(tie, 2, CST(DAY_0330, 9, 0), hours, &c);
	assert_true(c.superseded);
	assert_false(c.within[0]);
	/* nobody tested: no negative, every window no */
	testing_certificate(NULL, 0, T_NOW, hours, &c);
	assert_false(c.has_negative);
	assert_int_equal(c.n, 3);
	assert_false(c.within[0] || c.within[1] || c.within[2]);
}

static struct testing_recall_member member(const char *rid,
					   const char *hamlet,
					   const char *household)
{
	struct testing_recall_member m;
	memset(&m, 0, sizeof m);
	snprintf(m.rid, sizeof m.rid, "%s", rid);
	snprintf(m.name, sizeof m.name, "x");
	snprintf(m.hamlet, sizeof m.hamlet, "%s", hamlet);
	snprintf(m.household, sizeof m.household, "%s", household);
	return m;
}

static struct testing_worker worker(const char *phone, const char *hamlet)
{
	struct testing_worker w;
	memset(&w, 0, sizeof w);
	snprintf(w.phone, sizeof w.phone, "%s", phone);
	snprintf(w.name, sizeof w.name, "w%s", phone + 9);
	snprintf(w.hamlet, sizeof w.hamlet, "%s", hamlet);
	return w;
}

/* Hamlets H1 (worker 139), H2 (workers 139 and 138), H3 (nobody): every
 * member under each worker of their hamlet, H3's last under no worker. */
static void test_recall_grouping(void **state)
{
	(void)state;
	struct testing_recall_member m[] = {
		member("430422195605261266", "430422103201-002",
		       "430422103201-002-0001"),          /* H2 */
		member("430422200204121880", "430422103202-001",
		       "430422103202-001-0001"),          /* H3 */
		member("430422199803228537", "430422103201-001",
		       "430422103201-001-0002"),          /* H1 */
		member("430422195605261266", "430422103201-001",
		       "430422103201-001-0001"),          /* H1, earlier hh */
	};
	struct testing_worker w[] = {
		worker("13907340002", "430422103201-001"),
		worker("13907340002", "430422103201-002"),
		worker("13807340001", "430422103201-002"),
	};
	struct testing_recall_line *l = NULL;
	size_t n = testing_recall_group(m, 4, w, 3, &l);
	assert_int_equal(n, 5);
	/* 138: the H2 member */
	assert_string_equal(l[0].worker->phone, "13807340001");
	assert_ptr_equal(l[0].member, &m[0]);
	/* 139: H1 by household, then H2 */
	assert_string_equal(l[1].worker->phone, "13907340002");
	assert_ptr_equal(l[1].member, &m[3]);
	assert_ptr_equal(l[2].member, &m[2]);
	assert_ptr_equal(l[3].member, &m[0]);
	/* nobody answers for H3 */
	assert_null(l[4].worker);
	assert_ptr_equal(l[4].member, &m[1]);
	free(l);
	assert_int_equal(testing_recall_group(m, 0, w, 3, &l), 0);
	free(l);
}

/* ---- the record functions the HTTP API calls, on a real database */

static char dbdir[] = "/tmp/cordon-test-testing.XXXXXX";

static void import_text(struct store *st, enum import_kind k, const char *text)
{
	struct import_opts o = { .kind = k, .name = "t.csv", .max_errors = 5,
				 .today = (int32_t)DAY_0330, .now = T_NOW };
	struct import_result r;
	struct cd_err err;
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	if (import_stream(st, in, &o, &r, &err) != CD_OK)
		fail_msg("import: %s", err.msg);
	fclose(in);
}

/* A database with one hamlet, one household and two people. */
static int open_db(void **state)
{
	char path[96];
	struct store *st;
	struct cd_err err;
	if (!mkdtemp(dbdir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dbdir);
	if (store_open(path, STORE_CREATE | STORE_WRITE, &st, &err))
		return -1;
	import_text(st, IMPORT_UNITS, "code,name\n430422,衡南县\n"
		    "430422103000,茶市镇\n430422103201,茶市村\n"
		    "430422103201-001,上屋场\n");
	import_text(st, IMPORT_HOUSEHOLDS, "code\n430422103201-001-0001\n");
	import_text(st, IMPORT_PERSONS, "resident_id,name,household\n"
		    "430422195605261266,赵桂平,430422103201-001-0001\n"
		    "430422199803228537,高丽艳,430422103201-001-0001\n");
	*state = st;
	return 0;
}

static int close_db(void **state)
{
	char path[96];
	const char *sfx[] = { "", "-wal", "-shm" };
	store_close(*state);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/t.db%s", dbdir, sfx[i]);
		unlink(path);
	}
	rmdir(dbdir);
	return 0;
}

static struct testing_tube tube(const char *code, int size, int64_t at,
				const char *round, const char *retest_of)
{
	struct testing_tube t = pool10();
	snprintf(t.tube, sizeof t.tube, "%s", code);
	t.pool_size = size;
	t.sampled_at = at;
	snprintf(t.round, sizeof t.round, "%s", round);
	snprintf(t.retest_of, sizeof t.retest_of, "%s", retest_of);
	return t;
}

static enum cd_code put_result(struct store *st, const char *code,
			       enum testing_result r, int64_t at,
			       enum store_upsert *up, struct testing_applied *a,
			       struct cd_err *err)
{
	struct testing_result_rec x = result(r, at);
	snprintf(x.tube, sizeof x.tube, "%s", code);
	return testing_result_record(st, &x, T_NOW, up, a, err);
}

static enum cd_code count_open(void *ctx, const struct store_pool_control *c)
{
	(void)c;
	(*(int *)ctx)++;
	return CD_OK;
}

static void test_record_api(void **state)
{
	struct store *st = *state;
	struct rules r;
	struct cd_err err;
	enum store_upsert up;
	struct testing_applied a;
	static const int hours[] = { 24, 48, 72 };
	const char *both[] = { "430422195605261266", "430422199803228537" };
	struct testing_tube t = tube("A1", 10, T_SAMPLED, "R1", "");
	assert_int_equal(rules_builtin("v9", &r, &err), CD_OK);
	assert_int_equal(testing_sample_record(st, &r, &t, both, 2, T_NOW, &up,
					       &err), CD_OK);
	assert_int_equal(up, STORE_INSERTED);
	assert_int_equal(testing_sample_record(st, &r, &t, both, 2, T_NOW, &up,
					       &err), CD_OK);
	assert_int_equal(up, STORE_UNCHANGED);
	assert_int_equal(testing_sample_record(st, &r, &t, both, 1, T_NOW, &up,
					       &err), CD_EINVAL);
	assert_string_equal(err.msg, "tube A1 is stored with 2 members, not 1;"
			    " a stored tube cannot change");
	t = tube("A2", 5, T_SAMPLED, "R1", "");
	assert_int_equal(testing_sample_record(st, &r, &t, both, 1, T_NOW, &up,
					       &err), CD_EINVAL);
	assert_string_equal(err.msg, "members[0] value '430422195605261266': "
			    "is already in tube A1 of round R1 (stored)");
	/* the positive pool controls both at 02:58 */
	assert_int_equal(put_result(st, "A1", TESTING_POSITIVE, T_POSITIVE, &up,
				    &a, &err), CD_OK);
	assert_int_equal(a.controlled, 2);
	/* 赵桂平 re-sampled singly at 03:30 (size 0: a single tube), negative
	 * at 07:00: released */
	t = tube("B1", 0, T_RESAMPLE, "", "A1");
	assert_int_equal(testing_sample_record(st, &r, &t, both, 1, T_NOW, &up,
					       &err), CD_OK);
	assert_int_equal(put_result(st, "B1", TESTING_NEGATIVE,
				    CST(DAY_0330, 7, 0), &up, &a, &err), CD_OK);
	assert_int_equal(a.released, 1);
	assert_int_equal(a.cases, 0);
	assert_int_equal(put_result(st, "B1", TESTING_NEGATIVE,
				    CST(DAY_0330, 7, 0), &up, &a, &err), CD_OK);
	assert_int_equal(up, STORE_UNCHANGED);
	assert_int_equal(put_result(st, "B1", TESTING_POSITIVE,
				    CST(DAY_0330, 7, 0), &up, &a, &err),
			 CD_ECONFLICT);
	assert_int_equal(put_result(st, "NOPE", TESTING_POSITIVE,
				    CST(DAY_0330, 7, 0), &up, &a, &err),
			 CD_ENOTFOUND);
	/* under control: both at 05:00, only 高丽艳 at 07:30 */
	int n = 0;
	assert_int_equal(store_pool_controls_open(st, CST(DAY_0330, 5, 0),
						  count_open, &n, &err), CD_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_pool_controls_open(st, T_NOW, count_open, &n,
						  &err), CD_OK);
	assert_int_equal(n, 1);
	/* her certificate: none (the pool is positive); his: B1, 4 h old */
	struct testing_cert c;
	assert_int_equal(testing_certificate_get(st, both[1], T_NOW, hours, &c,
						 &err), CD_OK);
	assert_false(c.has_negative);
	assert_int_equal(testing_certificate_get(st, both[0], T_NOW, hours, &c,
						 &err), CD_OK);
	assert_string_equal(c.negative.tube, "B1");
	assert_int_equal(c.age, 4 * HOUR);
	assert_true(c.within[0]);
	assert_int_equal(testing_certificate_get(st, "11010519491231002X",
						 T_NOW, hours, &c, &err),
			 CD_ENOTFOUND);
	/* her positive single tube: a case, found by the pool */
	t = tube("B2", 1, T_RESAMPLE, "", "A1");
	assert_int_equal(testing_sample_record(st, &r, &t, both + 1, 1, T_NOW,
					       &up, &err), CD_OK);
	assert_int_equal(put_result(st, "B2", TESTING_POSITIVE,
				    CST(DAY_0330, 7, 20), &up, &a, &err), CD_OK);
	assert_int_equal(a.cases, 1);
	assert_int_equal(a.resolved_positive, 1);
	struct store_case_view v;
	assert_int_equal(store_case_get_by_rid(st, both[1], &v, &err), CD_OK);
	assert_int_equal(v.c.cls, CASE_ASYMPTOMATIC);
	assert_int_equal(v.c.found, FOUND_POOL);
	assert_int_equal(v.c.sampling, (int32_t)DAY_0330);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_and_codes),
		cmocka_unit_test(test_pool_sizes),
		cmocka_unit_test(test_tube_checks),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_result_checks),
		cmocka_unit_test(test_effects),
		cmocka_unit_test(test_pool_resolution),
		cmocka_unit_test(test_certificate_windows),
		cmocka_unit_test(test_certificate_history),
		cmocka_unit_test(test_recall_grouping),
		cmocka_unit_test_setup_teardown(test_record_api, open_db,
						close_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
