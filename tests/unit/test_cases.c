/* test_cases.c — case names, numbers, every validation and change rule,
 * and the tracing window, with instants worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/cases.h"

/* Day numbers, counted by hand: 1970..2021 is 52 years with 13 leap
 * years (1972..2020), so 2022-01-01 is 52 * 365 + 13 = 18993; March 1 is
 * 18993 + 31 + 28 = 19052; March 30 is 19052 + 29 = 19081. */
#define D_2022_03_30 19081
#define D_2022_03_29 19080
#define D_2022_03_27 19078
/* 2019-12-01: 1970..2018 is 49 years with 12 leap years (1972..2016):
 * 49 * 365 + 12 = 17897 = 2019-01-01; + 334 days (Jan..Nov, 2019 not
 * leap) = 18231. */
#define D_2019_12_01 18231
/* 2022-03-30 minus 30 days: 2022-02-28 = 19052 - 1. */
#define D_2022_02_28 19051

/* Instants (Unix seconds): day * 86400 is 00:00 UTC; CST is UTC+8. */
#define T_0330_0730_CST (19081LL * 86400 + 7 * 3600 + 1800 - 8 * 3600)
#define T_0330_0000_CST (19081LL * 86400 - 8 * 3600)
#define T_0331_0000_CST (19082LL * 86400 - 8 * 3600)

#define TODAY D_2022_03_30

/* A confirmed case that breaks no rule: the scenario's pool-positive
 * resident, onset 29 March, sampled and reported 30 March. */
static struct case_rec good(void)
{
	struct case_rec c;
	memset(&c, 0, sizeof c);
	snprintf(c.number, sizeof c.number, "430422-C0001");
	snprintf(c.rid, sizeof c.rid, "11010519491231002X");
	c.cls = CASE_CONFIRMED;
	c.ctype = CT_MILD;
	c.origin = ORIGIN_LOCAL;
	c.found = FOUND_POOL;
	c.onset = D_2022_03_29;
	c.sampling = D_2022_03_30;
	c.reported = T_0330_0730_CST;
	return c;
}

static void expect_ok(const struct case_rec *c)
{
	struct cd_err err = { CD_OK, "" };
	if (case_validate(c, TODAY, &err) != CD_OK)
		fail_msg("refused: %s", err.msg);
}

/* Refused with CD_EINVAL and a message containing each of the words. */
static void expect_bad(const struct case_rec *c, const char *field,
		       const char *why)
{
	struct cd_err err = { CD_OK, "" };
	if (case_validate(c, TODAY, &err) != CD_EINVAL)
		fail_msg("not refused (wanted %s: %s)", field, why);
	assert_int_equal(err.code, CD_EINVAL);
	if (strncmp(err.msg, field, strlen(field)) != 0 ||
	    !strstr(err.msg, why))
		fail_msg("message '%s' lacks '%s' ... '%s'", err.msg, field,
			 why);
}

static void test_names(void **state)
{
	(void)state;
	struct cd_err err = { CD_OK, "" };
	enum case_class cls;
	enum clinical_type t;
	enum case_origin o;
	enum case_found f;
	enum case_outcome out;
	assert_int_equal(case_class_parse("asymptomatic", &cls, &err), CD_OK);
	assert_int_equal(cls, CASE_ASYMPTOMATIC);
	assert_int_equal(case_class_parse("疑似病例", &cls, &err), CD_OK);
	assert_int_equal(cls, CASE_SUSPECTED);
	assert_int_equal(case_class_parse("Confirmed", &cls, &err), CD_EINVAL);
	assert_non_null(strstr(err.msg, "confirmed, asymptomatic, suspected"));
	assert_string_equal(case_class_name(CASE_CONFIRMED), "confirmed");
	assert_string_equal(case_class_zh(CASE_ASYMPTOMATIC), "无症状感染者");
	assert_int_equal(case_ctype_parse("critical", &t, &err), CD_OK);
	assert_int_equal(t, CT_CRITICAL);
	assert_int_equal(case_ctype_parse("普通型", &t, &err), CD_OK);
	assert_int_equal(t, CT_ORDINARY);
	assert_int_equal(case_ctype_parse("", &t, &err), CD_EINVAL);
	assert_string_equal(case_ctype_name(CT_NONE), "");
	assert_string_equal(case_ctype_zh(CT_SEVERE), "重型");
	assert_int_equal(case_origin_parse("imported", &o, &err), CD_OK);
	assert_int_equal(o, ORIGIN_IMPORTED);
	assert_string_equal(case_origin_name(ORIGIN_LOCAL), "local");
	assert_int_equal(case_found_parse("quarantine", &f, &err), CD_OK);
	assert_int_equal(f, FOUND_QUARANTINE);
	assert_int_equal(case_found_parse("door", &f, &err), CD_EINVAL);
	assert_string_equal(case_found_name(FOUND_FEVER), "fever");
	assert_string_equal(case_found_zh(FOUND_POOL), "混管阳性");
	assert_int_equal(case_outcome_parse("died", &out, &err), CD_OK);
	assert_int_equal(out, OUTCOME_DIED);
	assert_int_equal(case_outcome_parse("", &out, &err), CD_EINVAL);
	assert_string_equal(case_outcome_name(OUTCOME_CURED), "cured");
	assert_string_equal(case_outcome_name(OUTCOME_NONE), "");
	/* Every name parses back to itself. */
	for (int i = CASE_CONFIRMED; i <= CASE_SUSPECTED; i++) {
		assert_int_equal(case_class_parse(case_class_name(i), &cls,
						  &err), CD_OK);
		assert_int_equal(cls, i);
	}
	for (int i = FOUND_POOL; i <= FOUND_OTHER; i++) {
		assert_int_equal(case_found_parse(case_found_name(i), &f,
						  &err), CD_OK);
		assert_int_equal(f, i);
	}
}

static void test_numbers(void **state)
{
	(void)state;
	char buf[CASE_NUMBER_MAX];
	case_number_format("430422", 1, buf, sizeof buf);
	assert_string_equal(buf, "430422-C0001");
	case_number_format("430424", 42, buf, sizeof buf);
	assert_string_equal(buf, "430424-C0042");
	case_number_format("430422", 10000, buf, sizeof buf);
	assert_string_equal(buf, "430422-C10000");
	assert_true(case_number_valid("430422-C0001"));
	assert_true(case_number_valid("430422-C10000"));
	assert_false(case_number_valid("430422-C0000"));
	assert_false(case_number_valid("430422-C001"));
	assert_false(case_number_valid("430422C0001"));
	assert_false(case_number_valid("43042X-C0001"));
	assert_false(case_number_valid("11010519491231002X"));
	assert_false(case_number_valid(""));
}

static void test_cst_day(void **state)
{
	(void)state;
	/* 2022-03-29T16:00:00Z is 00:00 on the 30th in China. */
	assert_int_equal(case_cst_day(T_0330_0000_CST), D_2022_03_30);
	assert_int_equal(case_cst_day(T_0330_0000_CST - 1), D_2022_03_29);
	assert_int_equal(case_cst_day(T_0331_0000_CST - 1), D_2022_03_30);
}

static void test_good_records(void **state)
{
	(void)state;
	struct case_rec c = good();
	expect_ok(&c);
	c.onset = 0; /* sampling alone */
	expect_ok(&c);
	c = good();
	c.sampling = 0; /* onset alone */
	expect_ok(&c);
	c = good();
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	c.onset = 0;
	expect_ok(&c);
	c.cls = CASE_SUSPECTED;
	c.onset = D_2022_03_29;
	expect_ok(&c);
	c = good();
	snprintf(c.hospital, sizeof c.hospital, "衡南县人民医院");
	c.isolated = T_0330_0000_CST;
	c.outcome = OUTCOME_CURED;
	c.outcome_date = D_2022_03_30;
	expect_ok(&c);
}

static void test_identity(void **state)
{
	(void)state;
	struct case_rec c = good();
	c.rid[17] = '3'; /* 11010519491231002X with a wrong check */
	expect_bad(&c, "resident ID", "check");
	c = good();
	c.rid[0] = '\0';
	expect_bad(&c, "resident ID", "");
	c = good();
	snprintf(c.hospital, sizeof c.hospital, "医院\t一");
	expect_bad(&c, "hospital", "control character");
}

static void test_classification(void **state)
{
	(void)state;
	struct case_rec c = good();
	c.ctype = CT_NONE;
	expect_bad(&c, "clinical type", "confirmed case needs one");
	c = good();
	c.cls = CASE_ASYMPTOMATIC;
	c.onset = 0;
	expect_bad(&c, "clinical type", "only a confirmed case");
	c.cls = CASE_SUSPECTED;
	expect_bad(&c, "clinical type", "not a suspected case");
	c = good();
	c.onset = c.sampling = 0;
	expect_bad(&c, "onset/sampling", "or both");
	c = good();
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	expect_bad(&c, "onset", "asymptomatic infection has no");
	c = good();
	c.reported = 0;
	expect_bad(&c, "reported", "report time");
}

static void test_dates(void **state)
{
	(void)state;
	struct case_rec c = good();
	c.onset = TODAY + 1;
	expect_bad(&c, "onset", "in the future");
	c = good();
	c.sampling = TODAY + 1;
	expect_bad(&c, "sampling", "in the future");
	c = good();
	c.reported = T_0331_0000_CST; /* 16:00 UTC, already tomorrow */
	expect_bad(&c, "reported", "in the future");
	c.reported = T_0331_0000_CST - 1; /* 23:59:59 CST today */
	expect_ok(&c);
	c = good();
	c.isolated = T_0331_0000_CST;
	expect_bad(&c, "isolated", "in the future");
	c = good();
	c.onset = D_2019_12_01 - 1;
	expect_bad(&c, "onset", "before 2019-12-01");
	c.onset = D_2019_12_01;
	c.sampling = 0;
	expect_ok(&c);
	c = good();
	c.sampling = D_2019_12_01 - 1;
	expect_bad(&c, "sampling", "2019-11-30 is before 2019-12-01");
	c = good();
	c.reported = 1; /* 1970 */
	expect_bad(&c, "reported", "before 2019-12-01");
}

static void test_isolation(void **state)
{
	(void)state;
	struct case_rec c = good();
	/* Sampling 2022-03-30: isolation from 2022-02-28 00:00 CST on. */
	c.isolated = (int64_t)D_2022_02_28 * 86400 - 8 * 3600;
	expect_ok(&c);
	c.isolated -= 1;
	expect_bad(&c, "isolated", "more than 30 days before the sampling");
	/* Without a sampling date, the onset date (2022-03-29) counts. */
	c = good();
	c.sampling = 0;
	c.isolated = (int64_t)(D_2022_03_29 - 30) * 86400 - 8 * 3600;
	expect_ok(&c);
	c.isolated -= 1;
	expect_bad(&c, "isolated", "before the onset date 2022-03-29");
}

static void test_outcome(void **state)
{
	(void)state;
	struct case_rec c = good();
	c.outcome_date = TODAY;
	expect_bad(&c, "outcome date", "needs an outcome");
	c = good();
	c.outcome = OUTCOME_DIED;
	expect_bad(&c, "outcome", "died needs its date");
	c.outcome_date = D_2022_03_29; /* reported on the 30th */
	expect_bad(&c, "outcome date", "before the report date");
	c.outcome_date = TODAY + 1;
	expect_bad(&c, "outcome date", "in the future");
	c.outcome_date = TODAY;
	expect_ok(&c);
}

static void test_conversion_record(void **state)
{
	(void)state;
	struct case_rec c = good();
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	c.onset = 0;
	c.converted = TODAY;
	expect_bad(&c, "converted", "only a confirmed case");
	c = good();
	c.converted = D_2022_03_29;
	expect_bad(&c, "converted", "before the report date");
	c.converted = TODAY + 1;
	expect_bad(&c, "converted", "in the future");
	c = good();
	c.reported = T_0330_0000_CST - 3 * 86400; /* 27 March */
	c.converted = D_2022_03_29;
	c.outcome = OUTCOME_CURED;
	c.outcome_date = D_2022_03_29 - 1;
	expect_bad(&c, "converted", "after the outcome date");
	c.outcome_date = D_2022_03_29;
	expect_ok(&c);
}

static void expect_change(const struct case_rec *old,
			  const struct case_rec *neu, enum cd_code want,
			  const char *words)
{
	struct cd_err err = { CD_OK, "" };
	enum cd_code rc = case_check_change(old, neu, &err);
	if (rc != want)
		fail_msg("change gave %d (%s), wanted %d", rc, err.msg, want);
	if (want && !strstr(err.msg, words))
		fail_msg("message '%s' lacks '%s'", err.msg, words);
}

static void test_changes(void **state)
{
	(void)state;
	struct case_rec asym = good(), neu;
	asym.cls = CASE_ASYMPTOMATIC;
	asym.ctype = CT_NONE;
	asym.onset = 0;
	/* Conversion: the same record becomes confirmed with its date. */
	neu = asym;
	neu.cls = CASE_CONFIRMED;
	neu.ctype = CT_ORDINARY;
	neu.converted = TODAY;
	expect_change(&asym, &neu, CD_OK, "");
	/* Confirmed without a conversion date would count twice. */
	neu.converted = 0;
	expect_change(&asym, &neu, CD_EINVAL, "--convert DATE");
	/* Only from asymptomatic: not from suspected, not again. */
	struct case_rec susp = asym;
	susp.cls = CASE_SUSPECTED;
	neu.converted = TODAY;
	expect_change(&susp, &neu, CD_EINVAL, "case 430422-C0001 is suspected");
	struct case_rec conv = neu;
	neu.converted = TODAY - 1;
	expect_change(&conv, &neu, CD_EINVAL, "already converted");
	neu.converted = 0;
	expect_change(&conv, &neu, CD_EINVAL, "already converted");
	/* Conversion must land on confirmed. */
	neu = asym;
	neu.converted = TODAY;
	expect_change(&asym, &neu, CD_EINVAL, "only an asymptomatic");
	/* Suspected → confirmed is a confirmation, not a conversion. */
	neu = susp;
	neu.cls = CASE_CONFIRMED;
	neu.ctype = CT_MILD;
	expect_change(&susp, &neu, CD_OK, "");
	/* With an outcome: no reclassification, other fields may change. */
	struct case_rec done = good();
	done.outcome = OUTCOME_CURED;
	done.outcome_date = TODAY;
	neu = done;
	neu.cls = CASE_SUSPECTED;
	neu.ctype = CT_NONE;
	expect_change(&done, &neu, CD_EINVAL, "cannot be reclassified");
	neu = done;
	snprintf(neu.hospital, sizeof neu.hospital, "市中心医院");
	expect_change(&done, &neu, CD_OK, "");
}

static void test_convert(void **state)
{
	(void)state;
	struct cd_err err = { CD_OK, "" };
	struct case_rec c = good(), before;
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	c.onset = 0;
	assert_int_equal(case_convert(&c, TODAY, &err), CD_OK);
	assert_int_equal(c.cls, CASE_CONFIRMED);
	assert_int_equal(c.converted, TODAY);
	assert_string_equal(c.number, "430422-C0001");
	/* Again, even on the same date: refused, unchanged. */
	before = c;
	assert_int_equal(case_convert(&c, TODAY, &err), CD_EINVAL);
	assert_non_null(strstr(err.msg, "already converted to confirmed on "
				       "2022-03-30"));
	assert_memory_equal(&c, &before, sizeof c);
	c = good();
	c.cls = CASE_SUSPECTED;
	c.ctype = CT_NONE;
	assert_int_equal(case_convert(&c, TODAY, &err), CD_EINVAL);
	assert_non_null(strstr(err.msg, "case 430422-C0001 is suspected"));
	assert_int_equal(c.converted, 0);
}

static void expect_window(const struct case_rec *c, int lookback,
			  int64_t now, int64_t from, int64_t to)
{
	struct cd_err err = { CD_OK, "" };
	int64_t f = -1, t = -1;
	if (case_trace_window(c, lookback, now, &f, &t, &err) != CD_OK)
		fail_msg("window refused: %s", err.msg);
	assert_int_equal(f, from);
	assert_int_equal(t, to);
}

static void test_trace_window(void **state)
{
	(void)state;
	/* Onset 2022-03-29, 2 days back: 2022-03-27 00:00+08:00
	 * = 2022-03-26T16:00:00Z = 19078 * 86400 - 28800 = 1648310400.
	 * Isolated 2022-03-30T07:30+08:00 = 2022-03-29T23:30:00Z
	 * = 19080 * 86400 + 84600 = 1648596600. */
	struct case_rec c = good();
	c.isolated = T_0330_0730_CST;
	expect_window(&c, 2, 1700000000, 1648310400, 1648596600);
	/* Four days back (a parameter): 2022-03-25 00:00+08:00
	 * = 2022-03-24T16:00:00Z = 1648137600. */
	expect_window(&c, 4, 1700000000, 1648137600, 1648596600);
	/* Not isolated: until now. */
	c.isolated = 0;
	expect_window(&c, 2, 1648600000, 1648310400, 1648600000);
	/* Asymptomatic: from the sampling date 2022-03-30 minus 2 =
	 * 2022-03-28 00:00+08:00 = 2022-03-27T16:00:00Z = 1648396800. */
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	c.onset = 0;
	c.isolated = T_0330_0730_CST;
	expect_window(&c, 2, 1700000000, 1648396800, 1648596600);
	/* A confirmed case with only a sampling date uses it too. */
	c = good();
	c.onset = 0;
	expect_window(&c, 2, 1648600000, 1648396800, 1648600000);
	/* Isolated before the window opened: an empty window. */
	c.isolated = 1648396800 - 3600;
	expect_window(&c, 2, 1700000000, 1648396800, 1648396800);
}

static void test_trace_window_refused(void **state)
{
	(void)state;
	struct cd_err err = { CD_OK, "" };
	int64_t f, t;
	struct case_rec c = good();
	c.onset = c.sampling = 0;
	assert_int_equal(case_trace_window(&c, 2, 0, &f, &t, &err), CD_EINVAL);
	assert_non_null(strstr(err.msg, "neither an onset nor a sampling"));
	c = good();
	assert_int_equal(case_trace_window(&c, -1, 0, &f, &t, &err),
			 CD_EINVAL);
	assert_non_null(strstr(err.msg, "negative"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_cst_day),
		cmocka_unit_test(test_good_records),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_classification),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_conversion_record),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_trace_window),
		cmocka_unit_test(test_trace_window_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
