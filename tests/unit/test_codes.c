/* test_codes.c — health-code causes and checkpoint decisions, with the
 * colours and outcomes of DOMAIN.md ("Health code", "Checkpoint") worked
 * by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/checkpoint.h"
#include "domain/codes.h"
#include "domain/trace.h"
#include "lib/date.h"

#define NOW 1648596600 /* 2022-03-30 07:30 CST */

static struct rules rules;

static int setup(void **state)
{
	struct cd_err err;
	(void)state;
	return rules_builtin("v9", &rules, &err) == CD_OK ? 0 : -1;
}

static struct code_result code_of(const struct code_facts *f)
{
	struct code_result r;
	code_compute(&rules, f, &r);
	return r;
}

static int has(const struct code_result *r, const char *cause)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->reasons[i].cause, cause))
			return 1;
	return 0;
}

static void test_green_without_causes(void **state)
{
	(void)state;
	struct code_facts f;
	code_facts_init(&f, NOW);
	struct code_result r = code_of(&f);
	assert_int_equal(r.colour, CODE_GREEN);
	assert_int_equal(r.n, 0);
}

static void test_red_causes(void **state)
{
	(void)state;
	struct code_facts f;
	/* confirmed, suspected and asymptomatic cases are red */
	for (int c = CASE_CONFIRMED; c <= CASE_SUSPECTED; c++) {
		code_facts_init(&f, NOW);
		f.has_case = true;
		f.case_class = (enum case_class)c;
		snprintf(f.case_number, sizeof f.case_number, "430422-C0001");
		struct code_result r = code_of(&f);
		assert_int_equal(r.colour, CODE_RED);
		assert_true(has(&r, "case"));
		assert_non_null(strstr(r.reasons[0].text, "430422-C0001"));
	}
	/* a close contact is red before and during quarantine */
	code_facts_init(&f, NOW);
	f.contact_cat = CAT_CLOSE;
	snprintf(f.contact_case, sizeof f.contact_case, "430422-C0001");
	struct code_result r = code_of(&f);
	assert_int_equal(r.colour, CODE_RED);
	assert_true(has(&r, "close_contact"));
	snprintf(f.q_group, sizeof f.q_group, "close");
	snprintf(f.q_status, sizeof f.q_status, "central");
	f.q_central_end = date_from_ymd(2022, 4, 4);
	r = code_of(&f);
	assert_int_equal(r.colour, CODE_RED);
	assert_true(has(&r, "quarantine"));
	assert_false(has(&r, "close_contact"));
	assert_non_null(strstr(r.reasons[0].text, "until 2022-04-04"));
}

static void test_red_to_yellow_to_green(void **state)
{
	(void)state;
	struct code_facts f;
	code_facts_init(&f, NOW);
	f.contact_cat = CAT_CLOSE;
	snprintf(f.q_group, sizeof f.q_group, "close");
	snprintf(f.q_status, sizeof f.q_status, "monitoring");
	f.q_monitoring_end = date_from_ymd(2022, 4, 7);
	struct code_result r = code_of(&f);
	assert_int_equal(r.colour, CODE_YELLOW); /* home health monitoring */
	/* released and out of monitoring: the plan no longer shows, but the
	 * contact was handled by it, so the code is green */
	f.q_status[0] = '\0';
	f.q_planned_for_contact = true;
	r = code_of(&f);
	assert_int_equal(r.colour, CODE_GREEN);
}

static void test_yellow_causes(void **state)
{
	(void)state;
	struct code_facts f;
	code_facts_init(&f, NOW);
	f.contact_cat = CAT_SECONDARY;
	assert_int_equal(code_of(&f).colour, CODE_YELLOW);
	code_facts_init(&f, NOW);
	f.pool_controlled = true;
	assert_int_equal(code_of(&f).colour, CODE_YELLOW);
	/* "their code turns as the profile says" */
	rules.codes.pool_positive_red = true;
	assert_int_equal(code_of(&f).colour, CODE_RED);
	rules.codes.pool_positive_red = false;
	code_facts_init(&f, NOW);
	f.q_missed_tests = 1;
	assert_int_equal(code_of(&f).colour, CODE_YELLOW);
	/* a fever at a checkpoint within the last day; 37.2 is normal */
	code_facts_init(&f, NOW);
	f.checkpoint_fever = 37.3;
	f.checkpoint_fever_at = NOW - 3600;
	assert_int_equal(code_of(&f).colour, CODE_YELLOW);
	f.checkpoint_fever = 37.2;
	assert_int_equal(code_of(&f).colour, CODE_GREEN);
	f.checkpoint_fever = 38.0;
	f.checkpoint_fever_at = NOW - 86401;
	assert_int_equal(code_of(&f).colour, CODE_GREEN);
	/* general contacts are registered or tested, the code stays green */
	code_facts_init(&f, NOW);
	f.contact_cat = CAT_GENERAL;
	assert_int_equal(code_of(&f).colour, CODE_GREEN);
}

static void test_companion_clears_after_negatives(void **state)
{
	(void)state;
	struct code_facts f;
	code_facts_init(&f, NOW);
	f.contact_cat = CAT_COMPANION;
	/* Hunan: yellow clears after 3 negatives in 7 days (v9) */
	assert_int_equal(rules.codes.yellow_clear_tests, 3);
	assert_int_equal(rules.codes.yellow_clear_days, 7);
	for (int n = 0; n < 3; n++) {
		f.negatives_since_exposure = n;
		assert_int_equal(code_of(&f).colour, CODE_YELLOW);
	}
	f.negatives_since_exposure = 3;
	assert_int_equal(code_of(&f).colour, CODE_GREEN);
	f.positive_since_exposure = true;
	assert_int_equal(code_of(&f).colour, CODE_YELLOW);
}

static void test_every_reason_kept(void **state)
{
	(void)state;
	struct code_facts f;
	code_facts_init(&f, NOW);
	f.has_case = true;
	f.pool_controlled = true;
	f.q_missed_tests = 2;
	struct code_result r = code_of(&f);
	assert_int_equal(r.colour, CODE_RED);
	assert_int_equal(r.n, 3);
}

static struct check_result decide(enum code_colour colour, int has_temp,
				  double temp, int64_t negative_at,
				  int positive)
{
	struct code_result code;
	struct check_result out;
	memset(&code, 0, sizeof code);
	code.colour = colour;
	if (colour != CODE_GREEN) {
		code.n = 1;
		code.reasons[0].colour = colour;
	}
	struct check_input in = { &code, has_temp, temp, 1, negative_at,
				  positive, 48, NOW };
	check_decide(&rules, &in, &out);
	return out;
}

static void test_checkpoint(void **state)
{
	(void)state;
	int64_t h = 3600;
	assert_int_equal(decide(CODE_GREEN, 1, 36.6, NOW - 24 * h, 0).outcome,
			 CHECK_PASS);
	/* the window's edge: exactly 48 h passes, a second more does not */
	assert_int_equal(decide(CODE_GREEN, 1, 36.6, NOW - 48 * h, 0).outcome,
			 CHECK_PASS);
	assert_int_equal(decide(CODE_GREEN, 1, 36.6, NOW - 48 * h - 1,
				0).outcome, CHECK_TEST_ON_SITE);
	assert_int_equal(decide(CODE_GREEN, 0, 0, 0, 0).outcome,
			 CHECK_TEST_ON_SITE);
	assert_int_equal(decide(CODE_YELLOW, 1, 36.6, NOW - h, 0).outcome,
			 CHECK_RESTRICTED);
	assert_int_equal(decide(CODE_RED, 1, 36.6, NOW - h, 0).outcome,
			 CHECK_HAND_OVER);
	assert_int_equal(decide(CODE_GREEN, 1, 37.3, NOW - h, 0).outcome,
			 CHECK_HAND_OVER);
	assert_int_equal(decide(CODE_GREEN, 1, 37.2, NOW - h, 0).outcome,
			 CHECK_PASS);
	assert_int_equal(decide(CODE_GREEN, 1, 36.6, NOW - h, 1).outcome,
			 CHECK_HAND_OVER);
	/* every step is reported */
	struct check_result r = decide(CODE_GREEN, 1, 36.6, NOW - h, 0);
	int seen[5] = { 0 };
	for (int i = 0; i < r.n; i++)
		seen[r.f[i].step] = 1;
	assert_true(seen[1] && seen[2] && seen[3] && seen[4]);
	assert_true(check_window_allowed(&rules, 24));
	assert_true(check_window_allowed(&rules, 72));
	assert_false(check_window_allowed(&rules, 36));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_green_without_causes),
		cmocka_unit_test(test_red_causes),
		cmocka_unit_test(test_red_to_yellow_to_green),
		cmocka_unit_test(test_yellow_causes),
		cmocka_unit_test(test_companion_clears_after_negatives),
		cmocka_unit_test(test_every_reason_kept),
		cmocka_unit_test(test_checkpoint),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
