/* test_quarantine.c — quarantine plans against DOMAIN.md's table, worked
 * out here by hand for a close contact last exposed on 2022-03-28 under
 * v8, v9 and v9-20 (day 1 = the day after the last exposure; each part's
 * days count from its own first day); secondary contacts, discharged
 * patients, test outcomes, release conditions, the upgrade of a secondary
 * contact, room allocation (checked against brute force over random
 * worlds) and monitoring alerts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/quarantine.h"
#include "lib/date.h"
#include "lib/rng.h"
#include "lib/strbuf.h"
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

static struct quarantine_plan plan(const char *profile,
				   enum quarantine_group g, const char *exp)
{
	struct rules r = builtin(profile);
	struct quarantine_plan p;
	struct cd_err err = { CD_OK, "" };
	if (quarantine_plan_make(&r.quarantine, g, D(exp), &p, &err))
		fail_msg("%s %s: %s", profile, quarantine_group_name(g),
			 err.msg);
	return p;
}

/* The part's first and last dates ("" for a part without days). */
static void part_is(const struct quarantine_plan *p, enum quarantine_part i,
		    const char *first, const char *last)
{
	assert_int_equal(p->first[i], *first ? D(first) : 0);
	assert_int_equal(p->last[i], *last ? D(last) : 0);
}

/* The sampling days: n triples (part, day of part, date). */
static void tests_are(const struct quarantine_plan *p, int n, ...)
{
	va_list ap;
	assert_int_equal(p->ntests, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		enum quarantine_part part = va_arg(ap, enum quarantine_part);
		int day = va_arg(ap, int);
		const char *date = va_arg(ap, const char *);
		assert_int_equal(p->tests[i].part, part);
		assert_int_equal(p->tests[i].day, day);
		if (p->tests[i].date != D(date)) {
			char got[16];
			date_format(p->tests[i].date, got, sizeof got);
			fail_msg("test %d: %s, wanted %s", i, got, date);
		}
	}
	va_end(ap);
}

/* ---- DOMAIN.md's table: a close contact last exposed on 2022-03-28 */

/* v8: 14 d central (03-29 .. 04-11), tests central days 1, 4, 7, 14; then
 * 7 d home monitoring (04-12 .. 04-18), tests monitoring days 2, 7. */
static void close_v8(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v8", QG_CLOSE, "2022-03-28");
	part_is(&p, QP_CENTRAL, "2022-03-29", "2022-04-11");
	part_is(&p, QP_HOME, "", "");
	part_is(&p, QP_MONITORING, "2022-04-12", "2022-04-18");
	assert_int_equal(quarantine_end(&p), D("2022-04-11"));
	assert_int_equal(quarantine_monitoring_end(&p), D("2022-04-18"));
	tests_are(&p, 6, QP_CENTRAL, 1, "2022-03-29", QP_CENTRAL, 4,
		  "2022-04-01", QP_CENTRAL, 7, "2022-04-04", QP_CENTRAL, 14,
		  "2022-04-11", QP_MONITORING, 2, "2022-04-13", QP_MONITORING,
		  7, "2022-04-18");
	assert_int_equal(quarantine_first_status(&p), QS_WAITING);
	enum quarantine_status next;
	assert_int_equal(quarantine_stage_end(&p, QS_CENTRAL, &next),
			 D("2022-04-11"));
	assert_int_equal(next, QS_RELEASED);
}

/* v9: 7 d central (03-29 .. 04-04), tests days 1, 2, 3, 5, 7; then 3 d
 * home monitoring (04-05 .. 04-07), test its day 3. */
static void close_v9(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v9", QG_CLOSE, "2022-03-28");
	part_is(&p, QP_CENTRAL, "2022-03-29", "2022-04-04");
	part_is(&p, QP_HOME, "", "");
	part_is(&p, QP_MONITORING, "2022-04-05", "2022-04-07");
	assert_int_equal(quarantine_end(&p), D("2022-04-04"));
	assert_int_equal(quarantine_monitoring_end(&p), D("2022-04-07"));
	tests_are(&p, 6, QP_CENTRAL, 1, "2022-03-29", QP_CENTRAL, 2,
		  "2022-03-30", QP_CENTRAL, 3, "2022-03-31", QP_CENTRAL, 5,
		  "2022-04-02", QP_CENTRAL, 7, "2022-04-04", QP_MONITORING, 3,
		  "2022-04-07");
}

/* v9-20: 5 d central (03-29 .. 04-02), tests days 1, 2, 3, 5; then 3 d
 * home quarantine (04-03 .. 04-05), tests home days 1, 3; no monitoring. */
static void close_v9_20(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v9-20", QG_CLOSE, "2022-03-28");
	part_is(&p, QP_CENTRAL, "2022-03-29", "2022-04-02");
	part_is(&p, QP_HOME, "2022-04-03", "2022-04-05");
	part_is(&p, QP_MONITORING, "", "");
	assert_int_equal(quarantine_end(&p), D("2022-04-05"));
	assert_int_equal(quarantine_monitoring_end(&p), 0);
	tests_are(&p, 6, QP_CENTRAL, 1, "2022-03-29", QP_CENTRAL, 2,
		  "2022-03-30", QP_CENTRAL, 3, "2022-03-31", QP_CENTRAL, 5,
		  "2022-04-02", QP_HOME, 1, "2022-04-03", QP_HOME, 3,
		  "2022-04-05");
	enum quarantine_status next;
	assert_int_equal(quarantine_stage_end(&p, QS_CENTRAL, &next),
			 D("2022-04-02"));
	assert_int_equal(next, QS_HOME);
	assert_int_equal(quarantine_stage_end(&p, QS_WAITING, &next),
			 D("2022-04-02"));
	assert_int_equal(next, QS_HOME);
	assert_int_equal(quarantine_stage_end(&p, QS_HOME, &next),
			 D("2022-04-05"));
	assert_int_equal(next, QS_RELEASED);
	assert_int_equal(quarantine_part_on(&p, D("2022-03-28")), QP_NONE);
	assert_int_equal(quarantine_part_on(&p, D("2022-03-29")), QP_CENTRAL);
	assert_int_equal(quarantine_part_on(&p, D("2022-04-02")), QP_CENTRAL);
	assert_int_equal(quarantine_part_on(&p, D("2022-04-03")), QP_HOME);
	assert_int_equal(quarantine_part_on(&p, D("2022-04-05")), QP_HOME);
	assert_int_equal(quarantine_part_on(&p, D("2022-04-06")), QP_NONE);
}

/* Secondary contacts: v8 7 d central, tests 1, 4, 7; v9 7 d home, tests
 * 1, 4, 7; v9-20 not identified. Released only after the linked close
 * contact's first 2 tests. */
static void secondary(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v8", QG_SECONDARY, "2022-03-28");
	part_is(&p, QP_CENTRAL, "2022-03-29", "2022-04-04");
	part_is(&p, QP_HOME, "", "");
	part_is(&p, QP_MONITORING, "", "");
	assert_int_equal(quarantine_end(&p), D("2022-04-04"));
	tests_are(&p, 3, QP_CENTRAL, 1, "2022-03-29", QP_CENTRAL, 4,
		  "2022-04-01", QP_CENTRAL, 7, "2022-04-04");
	assert_int_equal(p.needs_close_tests, 2);
	assert_int_equal(quarantine_first_status(&p), QS_WAITING);

	p = plan("v9", QG_SECONDARY, "2022-03-28");
	part_is(&p, QP_CENTRAL, "", "");
	part_is(&p, QP_HOME, "2022-03-29", "2022-04-04");
	tests_are(&p, 3, QP_HOME, 1, "2022-03-29", QP_HOME, 4, "2022-04-01",
		  QP_HOME, 7, "2022-04-04");
	assert_int_equal(quarantine_first_status(&p), QS_HOME);
	assert_int_equal(p.needs_close_tests, 2);

	struct rules r = builtin("v9-20");
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(quarantine_plan_make(&r.quarantine, QG_SECONDARY,
					      D("2022-03-28"), &p, &err),
			 CD_ERULE);
}

/* A discharged patient (Xian'an): 14 d central + 14 d home from the
 * discharge date, a test on the last day of each (the profiles' choice).
 * Discharged on 2022-04-15: central 04-16 .. 04-29, home 04-30 .. 05-13. */
static void discharged(void **state)
{
	(void)state;
	const char *profiles[] = { "v8", "v9", "v9-20" };
	for (int i = 0; i < 3; i++) {
		struct quarantine_plan p =
			plan(profiles[i], QG_DISCHARGED, "2022-04-15");
		part_is(&p, QP_CENTRAL, "2022-04-16", "2022-04-29");
		part_is(&p, QP_HOME, "2022-04-30", "2022-05-13");
		part_is(&p, QP_MONITORING, "", "");
		tests_are(&p, 2, QP_CENTRAL, 14, "2022-04-29", QP_HOME, 14,
			  "2022-05-13");
		assert_int_equal(p.needs_close_tests, 0);
	}
}

/* ---- the regime kept with a plan */

static void regime_text(void **state)
{
	(void)state;
	struct rules r = builtin("v8");
	struct strbuf sb = STRBUF_INIT;
	struct rules_regime g;
	struct cd_err err = { CD_OK, "" };
	int needs = -1;
	quarantine_regime_format(&r.quarantine.close, 0, &sb);
	assert_string_equal(sb.buf, "central=14:1,4,7,14 home=0:none "
			    "monitoring=7:2,7 close_tests=0");
	assert_int_equal(quarantine_regime_parse(sb.buf, &g, &needs, &err),
			 CD_OK);
	assert_int_equal(needs, 0);
	assert_int_equal(g.central_days, 14);
	assert_int_equal(g.monitoring_tests.n, 2);
	assert_int_equal(g.monitoring_tests.day[1], 7);
	strbuf_reset(&sb);
	r = builtin("v9");
	quarantine_regime_format(&r.quarantine.secondary, 2, &sb);
	assert_string_equal(sb.buf, "central=0:none home=7:1,4,7 "
			    "monitoring=0:none close_tests=2");
	assert_int_equal(quarantine_regime_parse(sb.buf, &g, &needs, &err),
			 CD_OK);
	assert_int_equal(needs, 2);
	assert_int_equal(g.home_days, 7);
	strbuf_release(&sb);
	const char *bad[] = {
		"", "central=14:1,4,7,15 home=0:none monitoring=0:none "
		"close_tests=0",
		"central=7:4,1 home=0:none monitoring=0:none close_tests=0",
		"central=7:1 home=0:1 monitoring=0:none close_tests=0",
		"central=7:1 home=0:none monitoring=0:none",
		"central=7:1 home=0:none monitoring=0:none close_tests=2 x",
		"home=0:none central=7:1 monitoring=0:none close_tests=0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (quarantine_regime_parse(bad[i], &g, &needs, &err) !=
		    CD_EINVAL)
			fail_msg("accepted: %s", bad[i]);
}

/* ---- test outcomes */

static struct quarantine_sample S(int64_t id, const char *date, int pool,
				  enum quarantine_result r, int64_t retest_of)
{
	return (struct quarantine_sample){ id, retest_of, D(date), pool, r };
}

static void outcomes(void **state)
{
	(void)state;
	int32_t a = D("2022-03-29"), b = D("2022-03-30");
	struct quarantine_sample s[4];
	assert_int_equal(quarantine_outcome_in(s, 0, a, b), QO_MISSING);
	s[0] = S(1, "2022-03-29", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_outcome_in(s, 1, a, b), QO_NEGATIVE);
	assert_int_equal(quarantine_outcome_in(s, 1, b, b + 1), QO_MISSING);
	s[0].result = QR_NONE;
	assert_int_equal(quarantine_outcome_in(s, 1, a, b), QO_PENDING);
	s[0].result = QR_INVALID;
	assert_int_equal(quarantine_outcome_in(s, 1, a, b), QO_INVALID);
	s[1] = S(2, "2022-03-29", 10, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_outcome_in(s, 2, a, b), QO_NEGATIVE);
	/* a positive 10-in-1 pool: serious until its single-tube retest */
	s[0] = S(1, "2022-03-29", 10, QR_POSITIVE, 0);
	assert_int_equal(quarantine_outcome_in(s, 1, a, b), QO_POOL_POSITIVE);
	s[1] = S(2, "2022-03-30", 1, QR_NONE, 1);
	assert_int_equal(quarantine_outcome_in(s, 2, a, b), QO_POOL_POSITIVE);
	s[1].result = QR_NEGATIVE;
	assert_int_equal(quarantine_outcome_in(s, 2, a, b), QO_NEGATIVE);
	s[1].result = QR_POSITIVE;
	assert_int_equal(quarantine_outcome_in(s, 2, a, b), QO_POSITIVE);
	int32_t when = 0;
	assert_true(quarantine_positive_since(s, 2, a, &when));
	assert_int_equal(when, a);
	assert_false(quarantine_positive_since(s, 2, b + 1, &when));
	s[1].result = QR_NEGATIVE;
	assert_false(quarantine_positive_since(s, 2, a, &when));
	/* a single positive tube outranks a negative pool the same day */
	s[0] = S(1, "2022-03-29", 10, QR_NEGATIVE, 0);
	s[1] = S(2, "2022-03-29", 1, QR_POSITIVE, 0);
	assert_int_equal(quarantine_outcome_in(s, 2, a, b), QO_POSITIVE);

	/* A test's window runs to the next sampling day: v9 close contact
	 * exposed 03-28 is sampled 03-29 (day 1) and 03-30 (day 2). */
	struct quarantine_plan p = plan("v9", QG_CLOSE, "2022-03-28");
	s[0] = S(1, "2022-03-30", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_test_outcome(&p, 0, s, 1), QO_MISSING);
	assert_int_equal(quarantine_test_outcome(&p, 1, s, 1), QO_NEGATIVE);
	/* day 5 (04-02) missed, made up on 04-03 before day 7 (04-04) */
	s[0] = S(1, "2022-04-03", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_test_outcome(&p, 3, s, 1), QO_NEGATIVE);
	assert_int_equal(quarantine_test_outcome(&p, 4, s, 1), QO_MISSING);

	/* Found on 03-30 (planned that day): the day-1 test (03-29) could
	 * not be taken, so its window runs on with day 2's to 03-31 (day 3):
	 * the 03-30 sample makes up both; a 03-31 sample is day 3's only. */
	p.planned = D("2022-03-30");
	s[0] = S(1, "2022-03-30", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_test_outcome(&p, 0, s, 1), QO_NEGATIVE);
	assert_int_equal(quarantine_test_outcome(&p, 1, s, 1), QO_NEGATIVE);
	assert_int_equal(quarantine_test_outcome(&p, 2, s, 1), QO_MISSING);
	s[0] = S(1, "2022-03-31", 1, QR_NEGATIVE, 0);   /* day 3's sample */
	assert_int_equal(quarantine_test_outcome(&p, 0, s, 1), QO_MISSING);
	assert_int_equal(quarantine_test_outcome(&p, 2, s, 1), QO_NEGATIVE);
	/* a sample before the plan still counts for its own day */
	s[0] = S(1, "2022-03-29", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_test_outcome(&p, 0, s, 1), QO_NEGATIVE);
	assert_int_equal(quarantine_test_outcome(&p, 1, s, 1), QO_MISSING);
	/* planned after every test: the first test runs to the end */
	p.planned = D("2022-04-10");
	s[0] = S(1, "2022-04-10", 1, QR_NEGATIVE, 0);
	assert_int_equal(quarantine_test_outcome(&p, 0, s, 1), QO_NEGATIVE);
	p.planned = 0;
}

/* ---- release */

/* Negative single tubes on each of the plan's sampling days up to `to`. */
static size_t negatives(const struct quarantine_plan *p, const char *to,
			struct quarantine_sample *s)
{
	size_t n = 0;
	for (int i = 0; i < p->ntests && p->tests[i].date <= D(to); i++)
		s[n++] = (struct quarantine_sample){ 100 + i, 0,
						     p->tests[i].date, 1,
						     QR_NEGATIVE };
	return n;
}

/* Check release on `day`; expect ok, or a refusal whose reasons contain
 * `why`. */
static void release_is(const struct quarantine_release_in *in, bool ok,
		       enum quarantine_status next, const char *why)
{
	struct strbuf sb = STRBUF_INIT;
	enum quarantine_status got;
	bool r = quarantine_release_check(in, &got, &sb);
	if (r != ok)
		fail_msg("release %s, wanted %s: %s", r ? "allowed" : "refused",
			 ok ? "allowed" : "refused", sb.buf);
	assert_int_equal(got, next);
	if (why && !strstr(sb.buf, why))
		fail_msg("reasons '%s' lack '%s'", sb.buf, why);
	strbuf_release(&sb);
}

static void release_close(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v9", QG_CLOSE, "2022-03-28");
	struct quarantine_sample s[16];
	size_t n = negatives(&p, "2022-04-04", s);
	assert_int_equal(n, 5);
	struct quarantine_release_in in = { &p, QS_CENTRAL, D("2022-04-04"), s,
					    n, NULL };
	release_is(&in, true, QS_RELEASED, NULL);
	in.today = D("2022-04-03");
	release_is(&in, false, QS_RELEASED,
		   "quarantine ends on 2022-04-04");
	in.today = D("2022-04-05");
	release_is(&in, true, QS_RELEASED, NULL);
	/* day 5 (04-02) missing: s[3] is that day's tube */
	s[3].date = D("2022-03-31");
	release_is(&in, false, QS_RELEASED,
		   "central day 5 test (2022-04-02): not sampled");
	s[3].date = D("2022-04-02");
	s[4].result = QR_NONE;
	release_is(&in, false, QS_RELEASED,
		   "central day 7 test (2022-04-04): no result yet");
	s[4].result = QR_NEGATIVE;
	s[n] = (struct quarantine_sample){ 99, 0, D("2022-03-30"), 1,
					   QR_POSITIVE };
	in.nsamples = n + 1;
	release_is(&in, false, QS_RELEASED, "tested positive on 2022-03-30");
	in.nsamples = n;
	in.status = QS_RELEASED;
	release_is(&in, false, QS_RELEASED, "not open");
}

/* v9-20: after the central part (04-02) the person moves home; released
 * at the end of home quarantine (04-05) after the home tests. */
static void release_move_home(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v9-20", QG_CLOSE, "2022-03-28");
	struct quarantine_sample s[16];
	size_t n = negatives(&p, "2022-04-02", s);
	struct quarantine_release_in in = { &p, QS_CENTRAL, D("2022-04-02"), s,
					    n, NULL };
	release_is(&in, true, QS_HOME, NULL);
	in.status = QS_HOME;
	release_is(&in, false, QS_RELEASED, "quarantine ends on 2022-04-05");
	in.today = D("2022-04-05");
	release_is(&in, false, QS_RELEASED,
		   "home day 1 test (2022-04-03): not sampled");
	in.nsamples = negatives(&p, "2022-04-05", s);
	release_is(&in, true, QS_RELEASED, NULL);
}

/* A v9 secondary contact exposed 03-29 (home 03-30 .. 04-05, tests 03-30,
 * 04-02, 04-05) linked to a v9 close contact exposed 03-28 (first two
 * tests 03-29 and 03-30). */
static void release_secondary(void **state)
{
	(void)state;
	struct quarantine_plan p = plan("v9", QG_SECONDARY, "2022-03-29");
	struct quarantine_plan lp = plan("v9", QG_CLOSE, "2022-03-28");
	struct quarantine_sample s[16], ls[16];
	size_t n = negatives(&p, "2022-04-05", s);
	assert_int_equal(n, 3);
	size_t nl = negatives(&lp, "2022-03-30", ls);
	assert_int_equal(nl, 2);
	struct quarantine_linked l = { "孙磊秀", &lp, ls, nl, false };
	struct quarantine_release_in in = { &p, QS_HOME, D("2022-04-05"), s, n,
					    &l };
	release_is(&in, true, QS_RELEASED, NULL);
	ls[1].result = QR_NONE;
	release_is(&in, false, QS_RELEASED,
		   "linked close contact 孙磊秀's test 2 (2022-03-30): no "
		   "result yet");
	ls[1].result = QR_NEGATIVE;
	l.nsamples = 1;
	release_is(&in, false, QS_RELEASED,
		   "linked close contact 孙磊秀's test 2 (2022-03-30): not "
		   "sampled");
	l.nsamples = 2;
	l.is_case = true;
	release_is(&in, false, QS_RELEASED,
		   "linked close contact 孙磊秀 is positive");
	l.is_case = false;
	l.plan = NULL;
	release_is(&in, false, QS_RELEASED, "has no quarantine plan");
}

/* ---- upgrade */

static void upgrade(void **state)
{
	(void)state;
	struct rules r = builtin("v8");
	struct cd_err err = { CD_OK, "" };
	struct quarantine_plan sec = plan("v8", QG_SECONDARY, "2022-03-30"), p;
	/* the clock restarts as a close contact: 14 d central from 03-31 */
	assert_int_equal(quarantine_upgrade(&r.quarantine, &sec, 0, &p, &err),
			 CD_OK);
	assert_int_equal(p.grp, QG_CLOSE);
	part_is(&p, QP_CENTRAL, "2022-03-31", "2022-04-13");
	part_is(&p, QP_MONITORING, "2022-04-14", "2022-04-20");
	/* a later last exposure moves it; an earlier one never does */
	assert_int_equal(quarantine_upgrade(&r.quarantine, &sec,
					    D("2022-04-01"), &p, &err), CD_OK);
	part_is(&p, QP_CENTRAL, "2022-04-02", "2022-04-15");
	assert_int_equal(quarantine_upgrade(&r.quarantine, &sec,
					    D("2022-03-25"), &p, &err), CD_OK);
	part_is(&p, QP_CENTRAL, "2022-03-31", "2022-04-13");
	/* under v9 the new plan is v9's close regime */
	r = builtin("v9");
	assert_int_equal(quarantine_upgrade(&r.quarantine, &sec, 0, &p, &err),
			 CD_OK);
	part_is(&p, QP_CENTRAL, "2022-03-31", "2022-04-06");
	struct quarantine_plan close = plan("v8", QG_CLOSE, "2022-03-30");
	assert_int_equal(quarantine_upgrade(&r.quarantine, &close, 0, &p, &err),
			 CD_ERULE);

	/* when the linked close contact has turned positive */
	struct quarantine_sample s[2] = {
		S(1, "2022-04-01", 10, QR_POSITIVE, 0),
		S(2, "2022-04-02", 1, QR_NONE, 1),
	};
	struct quarantine_linked l = { "刘秀", NULL, s, 2, false };
	assert_false(quarantine_linked_positive(&l, D("2022-03-28")));
	s[1].result = QR_POSITIVE;
	assert_true(quarantine_linked_positive(&l, D("2022-03-28")));
	assert_false(quarantine_linked_positive(&l, D("2022-04-03")));
	l.nsamples = 0;
	l.is_case = true;
	assert_true(quarantine_linked_positive(&l, D("2022-03-28")));
}

/* ---- rooms */

static struct quarantine_seeker seeker(int64_t id, enum quarantine_group g,
				       uint32_t household, int age)
{
	return (struct quarantine_seeker){ id, g, household, age, -1, -1 };
}

static const struct quarantine_alloc_opts one_per_room = {
	QUARANTINE_CHILD_AGE, false
};

/* A parent and a child take the two-bed room; singles the smallest. */
static void alloc_family(void **state)
{
	(void)state;
	struct quarantine_room r[3] = { { 1, 1, 0, -1 }, { 2, 2, 0, -1 },
					{ 3, 1, 0, -1 } };
	struct quarantine_seeker s[4] = {
		seeker(1, QG_CLOSE, 7, 30), seeker(2, QG_CLOSE, 9, 35),
		seeker(3, QG_CLOSE, 9, 6), seeker(4, QG_CLOSE, 8, 50)
	};
	assert_int_equal(quarantine_allocate(r, 3, s, 4, &one_per_room), 4);
	assert_int_equal(s[0].room, 0);
	assert_int_equal(s[1].room, 1);
	assert_int_equal(s[2].room, 1);
	assert_int_equal(s[2].with, 1);
	assert_int_equal(s[3].room, 2);
	assert_int_equal(r[1].occupied, 2);
	assert_int_equal(r[1].grp, QG_CLOSE);

	/* full: the next one waits; a room taken before is not shared */
	struct quarantine_seeker t[1] = { seeker(5, QG_CLOSE, 1, 40) };
	assert_int_equal(quarantine_allocate(r, 3, t, 1, &one_per_room), 0);
	assert_int_equal(t[0].room, -1);
	r[1].occupied = 1;
	assert_int_equal(quarantine_allocate(r, 3, t, 1, &one_per_room), 0);
	struct quarantine_alloc_opts share = { QUARANTINE_CHILD_AGE, true };
	assert_int_equal(quarantine_allocate(r, 3, t, 1, &share), 1);
	assert_int_equal(t[0].room, 1);
	t[0].grp = QG_SECONDARY;
	assert_int_equal(quarantine_allocate(r, 3, t, 1, &share), 0);
}

/* Who counts as a child: younger than child_age; the adult must be 18 or
 * older, of the same household and group. */
static void alloc_children(void **state)
{
	(void)state;
	struct quarantine_room r[4] = { { 1, 2, 0, -1 }, { 2, 2, 0, -1 },
					{ 3, 2, 0, -1 }, { 4, 3, 0, -1 } };
	struct quarantine_seeker s[6] = {
		seeker(1, QG_CLOSE, 1, 14),     /* 14: not under 14 */
		seeker(2, QG_CLOSE, 1, 40),
		seeker(3, QG_SECONDARY, 1, 5),  /* another group */
		seeker(4, QG_CLOSE, 2, 17),     /* not an adult */
		seeker(5, QG_CLOSE, 2, 3),      /* no adult: alone */
		seeker(6, QG_CLOSE, 1, 13),     /* with 2 */
	};
	/* five groups for four rooms: the last (the child without an
	 * adult, alone) waits */
	assert_int_equal(quarantine_allocate(r, 4, s, 6, &one_per_room), 5);
	assert_int_equal(s[0].with, -1);
	assert_int_equal(s[2].with, -1);
	assert_int_equal(s[4].with, -1);
	assert_int_equal(s[5].with, 1);
	assert_int_equal(s[5].room, s[1].room);
	assert_int_equal(s[4].room, -1);
	assert_int_equal(r[0].occupied + r[1].occupied + r[2].occupied +
				 r[3].occupied, 5);

	/* two children and one adult wait together when no room holds 3 */
	struct quarantine_room q[2] = { { 1, 2, 0, -1 }, { 2, 1, 0, -1 } };
	struct quarantine_seeker k[3] = { seeker(1, QG_CLOSE, 5, 4),
					  seeker(2, QG_CLOSE, 5, 2),
					  seeker(3, QG_CLOSE, 5, 33) };
	assert_int_equal(quarantine_allocate(q, 2, k, 3, &one_per_room), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(k[i].room, -1);
	/* two adults: one child each */
	k[1].age = 45;
	assert_int_equal(quarantine_allocate(q, 2, k, 3, &one_per_room), 3);
	assert_int_equal(k[0].room, 0);
	assert_int_equal(k[0].with, 1);
	assert_int_equal(k[2].room, 1);
}

/* The adult a seeker goes with: their own index, or the adult's. */
static long lead(const struct quarantine_seeker *s, size_t i)
{
	return s[i].with < 0 ? (long)i : s[i].with;
}

#define MAX_ROOMS 30
#define MAX_SEEKERS 60

/* A random world: rooms (some partly taken) and people to place. */
struct world {
	size_t nr, ns;
	struct quarantine_room r[MAX_ROOMS], before[MAX_ROOMS];
	struct quarantine_seeker s[MAX_SEEKERS];
	struct quarantine_alloc_opts o;
};

static void world_make(struct world *w, uint64_t seed)
{
	struct rng g;
	rng_init(&g, seed, 0, 0);
	w->nr = (size_t)rng_range(&g, 0, MAX_ROOMS);
	w->ns = (size_t)rng_range(&g, 0, MAX_SEEKERS);
	w->o = (struct quarantine_alloc_opts){ (int)rng_range(&g, 6, 14),
					       rng_chance(&g, 0.3) };
	for (size_t i = 0; i < w->nr; i++) {
		int cap = (int)rng_range(&g, 1, 4);
		int occ = rng_chance(&g, 0.3) ? (int)rng_range(&g, 1, cap) : 0;
		w->r[i] = (struct quarantine_room){
			(int64_t)i + 1, cap, occ,
			occ ? (int)rng_range(&g, 0, 2) : -1
		};
	}
	for (size_t i = 0; i < w->ns; i++)
		w->s[i] = seeker((int64_t)i + 1,
				 (enum quarantine_group)rng_range(&g, 0, 2),
				 (uint32_t)rng_range(&g, 1, 15),
				 (int)rng_range(&g, 0, 80));
	memcpy(w->before, w->r, sizeof w->r);
}

/* Rooms: never over capacity, filled by exactly the people placed, and
 * (one group per room) only rooms that were empty. */
static void check_rooms(const struct world *w, size_t placed)
{
	long added[MAX_ROOMS] = { 0 }, count = 0;
	for (size_t i = 0; i < w->ns; i++) {
		long room = w->s[i].room;
		if (room < 0)
			continue;
		assert_true((size_t)room < w->nr);
		added[room]++;
		count++;
		if (!w->o.share)
			assert_int_equal(w->before[room].occupied, 0);
	}
	assert_int_equal(count, (long)placed);
	for (size_t i = 0; i < w->nr; i++) {
		assert_true(w->r[i].occupied <= w->r[i].capacity);
		assert_int_equal(w->r[i].occupied,
				 w->before[i].occupied + added[i]);
	}
	if (w->o.share)
		return;
	/* everyone in a room goes with the same adult (or is that adult) */
	for (size_t i = 0; i < w->ns; i++)
		for (size_t j = 0; j < w->ns; j++)
			if (w->s[i].room >= 0 && w->s[i].room == w->s[j].room)
				assert_int_equal(lead(w->s, i), lead(w->s, j));
}

/* A young child with an adult of the household and group among the
 * seekers is with one of them, in the same room (or waiting with them). */
static void check_child(const struct world *w, size_t i)
{
	const struct quarantine_seeker *s = w->s;
	bool eligible = false;
	for (size_t j = 0; j < w->ns; j++)
		eligible |= j != i && s[j].household == s[i].household &&
			    s[j].grp == s[i].grp && s[j].age >= 18;
	if (s[i].age >= w->o.child_age || s[i].age >= 18 || !eligible) {
		assert_int_equal(s[i].with, -1);
		return;
	}
	assert_true(s[i].with >= 0);
	const struct quarantine_seeker *a = &s[s[i].with];
	assert_true(a->age >= 18);
	assert_int_equal(a->household, s[i].household);
	assert_int_equal(a->grp, s[i].grp);
	assert_int_equal(s[i].room, a->room);
}

/* A waiting group of k: no room that was empty is still empty and holds
 * k (one group per room). */
static void check_waiting(const struct world *w, size_t i)
{
	const struct quarantine_seeker *s = w->s;
	if (w->o.share || s[i].with >= 0 || s[i].room >= 0)
		return;
	int k = 1;
	for (size_t j = 0; j < w->ns; j++)
		k += s[j].with == (long)i;
	for (size_t j = 0; j < w->nr; j++)
		assert_false(w->before[j].occupied == 0 &&
			     w->r[j].occupied == 0 && w->r[j].capacity >= k);
}

/* Random worlds: capacity is never exceeded, families stay together,
 * nobody waits while a room that would hold their group is free — each
 * checked by brute force. */
static void alloc_random(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 600; seed++) {
		struct world w;
		world_make(&w, seed);
		size_t placed = quarantine_allocate(w.r, w.nr, w.s, w.ns, &w.o);
		check_rooms(&w, placed);
		for (size_t i = 0; i < w.ns; i++) {
			check_child(&w, i);
			check_waiting(&w, i);
		}
	}
}

/* ---- monitoring */

static void monitoring(void **state)
{
	(void)state;
	struct cd_err err = { CD_OK, "" };
	int t = 0;
	assert_int_equal(quarantine_temp_parse("37.3", &t, &err), CD_OK);
	assert_int_equal(t, 373);
	assert_int_equal(quarantine_temp_parse("37", &t, &err), CD_OK);
	assert_int_equal(t, 370);
	assert_int_equal(quarantine_temp_parse("36.8", &t, &err), CD_OK);
	assert_int_equal(t, 368);
	const char *bad[] = { "", "37.25", "+37", "37.", ".5", "abc", "33.9",
			      "43.1", "100", "37,3", " 37" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (quarantine_temp_parse(bad[i], &t, &err) != CD_EINVAL)
			fail_msg("accepted temperature '%s'", bad[i]);

	struct rules r = builtin("v9");
	double fever = r.checkpoint.fever_celsius;
	struct strbuf sb = STRBUF_INIT;
	assert_false(quarantine_alert(372, "", fever, &sb));
	assert_false(quarantine_alert(365, "none", fever, &sb));
	assert_false(quarantine_alert(365, "无", fever, &sb));
	assert_string_equal(sb.buf, "");
	assert_true(quarantine_alert(373, "", fever, &sb));
	assert_string_equal(sb.buf, "temperature 37.3 °C ≥ 37.3 °C");
	strbuf_reset(&sb);
	assert_true(quarantine_alert(365, "咳嗽", fever, &sb));
	assert_string_equal(sb.buf, "symptoms: 咳嗽");
	strbuf_reset(&sb);
	assert_true(quarantine_alert(385, "乏力", fever, &sb));
	assert_string_equal(sb.buf, "temperature 38.5 °C ≥ 37.3 °C; "
			    "symptoms: 乏力");
	strbuf_release(&sb);
	assert_int_equal(quarantine_symptoms_check("咳嗽, 发热", &err), CD_OK);
	assert_int_equal(quarantine_symptoms_check("a\nb", &err), CD_EINVAL);
	assert_int_equal(quarantine_symptoms_check("\xff", &err), CD_EINVAL);

	/* ages: born 2008-03-05 is 13 on 2022-03-04, 14 on 2022-03-05 */
	assert_int_equal(quarantine_age(D("2008-03-05"), D("2022-03-04")), 13);
	assert_int_equal(quarantine_age(D("2008-03-05"), D("2022-03-05")), 14);
	assert_int_equal(quarantine_age(D("2012-02-29"), D("2022-02-28")), 9);
	assert_int_equal(quarantine_age(D("2012-02-29"), D("2022-03-01")), 10);
}

static void names(void **state)
{
	(void)state;
	struct cd_err err = { CD_OK, "" };
	for (int i = 0; i < QS_COUNT; i++) {
		enum quarantine_status s;
		assert_int_equal(quarantine_status_parse(
					 quarantine_status_name(i), &s, &err),
				 CD_OK);
		assert_int_equal(s, i);
	}
	enum quarantine_group g;
	assert_int_equal(quarantine_group_parse("close", &g, &err), CD_OK);
	assert_int_equal(g, QG_CLOSE);
	assert_int_equal(quarantine_group_parse("密接", &g, &err), CD_EINVAL);
	assert_true(quarantine_status_open(QS_WAITING));
	assert_true(quarantine_status_open(QS_HOME));
	assert_false(quarantine_status_open(QS_RELEASED));
	assert_false(quarantine_status_open(QS_UPGRADED));
	assert_int_equal(quarantine_site_code_check("H01", &err), CD_OK);
	assert_int_equal(quarantine_site_code_check("H 01", &err), CD_EINVAL);
	assert_int_equal(quarantine_room_number_check("12345678901234567",
						      &err), CD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_v8),
		cmocka_unit_test(close_v9),
		cmocka_unit_test(close_v9_20),
		cmocka_unit_test(secondary),
		cmocka_unit_test(discharged),
		cmocka_unit_test(regime_text),
		cmocka_unit_test(outcomes),
		cmocka_unit_test(release_close),
		cmocka_unit_test(release_move_home),
		cmocka_unit_test(release_secondary),
		cmocka_unit_test(upgrade),
		cmocka_unit_test(alloc_family),
		cmocka_unit_test(alloc_children),
		cmocka_unit_test(alloc_random),
		cmocka_unit_test(monitoring),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
