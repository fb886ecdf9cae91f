/* test_date.c — day numbers, ISO dates and instants, the fixed clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"

/* Independent calendar for the brute-force walk. */
static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	return md[m - 1] + (m == 2 && is_leap(y));
}

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(date_valid(2000, 2, 29));  /* divisible by 400 */
	assert_false(date_valid(1900, 2, 29)); /* by 100, not 400 */
	assert_false(date_valid(1800, 2, 29));
	assert_false(date_valid(2100, 2, 29));
	assert_false(date_valid(2200, 2, 29)); /* by 200, not 400 */
	assert_true(date_valid(2400, 2, 29));
	assert_true(date_valid(1600, 2, 29));
	assert_true(date_valid(2024, 2, 29));  /* by 4 */
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(2022, 2, 30));
	assert_true(date_valid(2022, 2, 28));
	assert_false(date_valid(2022, 4, 31));
	assert_true(date_valid(2022, 3, 31));
	assert_true(date_valid(2022, 12, 31));
	assert_false(date_valid(2022, 13, 1));
	assert_false(date_valid(2022, 0, 1));
	assert_false(date_valid(2022, 1, 0));
	assert_false(date_valid(2022, 1, 32));
	assert_false(date_valid(2022, -1, 1));
	assert_false(date_valid(2022, 1, -1));
	assert_true(date_valid(1, 1, 1));
	assert_true(date_valid(9999, 12, 31));
	assert_false(date_valid(0, 1, 1));
	assert_false(date_valid(10000, 1, 1));
	/* Every month of a leap and a common year by its length. */
	for (int m = 1; m <= 12; m++) {
		assert_true(date_valid(2024, m, month_days(2024, m)));
		assert_false(date_valid(2024, m, month_days(2024, m) + 1));
		assert_true(date_valid(2023, m, month_days(2023, m)));
		assert_false(date_valid(2023, m, month_days(2023, m) + 1));
	}
}

static void test_known_day_numbers(void **state)
{
	(void)state;
	/* python3: (date(y,m,d) - date(1970,1,1)).days */
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2022, 3, 30), 19081);
	assert_int_equal(date_from_ymd(1949, 12, 31), -7306);
	assert_int_equal(date_from_ymd(1880, 1, 1), -32872);
	assert_int_equal(date_from_ymd(1800, 1, 1), -62091);
	assert_int_equal(date_from_ymd(2100, 12, 31), 47846);

	int y, m, d;
	date_to_ymd(19081, &y, &m, &d);
	assert_int_equal(y, 2022);
	assert_int_equal(m, 3);
	assert_int_equal(d, 30);
	date_to_ymd(11017, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
	date_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

static void test_every_day_1800_to_2100(void **state)
{
	(void)state;
	/* Walk the calendar by hand from 1800-01-01 (-62091, from python)
	 * and check both directions for every day. */
	int32_t n = -62091;
	for (int y = 1800; y <= 2100; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= month_days(y, m); d++, n++) {
				if (date_from_ymd(y, m, d) != n)
					fail_msg("date_from_ymd(%d,%d,%d) = %d, "
						 "want %d", y, m, d,
						 (int)date_from_ymd(y, m, d),
						 (int)n);
				if (!date_valid(y, m, d))
					fail_msg("date_valid(%d,%d,%d) false",
						 y, m, d);
				int yy, mm, dd;
				date_to_ymd(n, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("date_to_ymd(%d) = %d-%d-%d, "
						 "want %d-%d-%d", (int)n, yy,
						 mm, dd, y, m, d);
			}
			if (date_valid(y, m, month_days(y, m) + 1))
				fail_msg("date_valid(%d,%d,%d) true", y, m,
					 month_days(y, m) + 1);
		}
	}
	/* 2101-01-01 follows 2100-12-31 (47846). */
	assert_int_equal(n, 47847);
}

static void test_date_parse(void **state)
{
	(void)state;
	int32_t days = 12345;
	assert_true(date_parse("2022-03-30", &days));
	assert_int_equal(days, 19081);
	assert_true(date_parse("1970-01-01", &days));
	assert_int_equal(days, 0);
	assert_true(date_parse("2000-02-29", &days));
	assert_int_equal(days, 11016);

	static const char *const bad[] = {
		"",
		"2022-3-30",
		"2022-03-3",
		"22-03-30",
		"2022/03/30",
		"20220330",
		"2022-03-30 ",
		" 2022-03-30",
		"2022-03-30T00:00",
		"2022-03-3a",
		"2022-0x-30",
		"2022-02-30",
		"1900-02-29",
		"2022-13-01",
		"2022-00-10",
		"2022-01-00",
		"0000-01-01",
		"+022-03-30",
		"2022-+3-30",
		"2022-03--3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		days = 777;
		if (date_parse(bad[i], &days))
			fail_msg("date_parse accepted \"%s\"", bad[i]);
		assert_int_equal(days, 777);
	}
}

static void test_date_format(void **state)
{
	(void)state;
	char buf[11];
	date_format(19081, buf, sizeof buf);
	assert_string_equal(buf, "2022-03-30");
	date_format(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(-7306, buf, sizeof buf);
	assert_string_equal(buf, "1949-12-31");
	date_format(-62091, buf, sizeof buf);
	assert_string_equal(buf, "1800-01-01");
}

static void test_instant_parse_equivalents(void **state)
{
	(void)state;
	/* python3: calendar.timegm((2022,3,29,18,58,0)) = 1648580280 */
	static const char *const same[] = {
		"2022-03-30T02:58:00+08:00",
		"2022-03-29T18:58:00Z",
		"2022-03-29T18:58Z",
		"2022-03-30T02:58+08:00",
		"2022-03-30T02:58:00",    /* no zone: CST */
		"2022-03-30T02:58",       /* no zone, no seconds */
		"2022-03-30 02:58:00",    /* space separator */
		"2022-03-29T13:58:00-05:00",
		"2022-03-29T18:58:00+00:00",
		"2022-03-30T04:28:00+09:30",
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		int64_t t = 0;
		if (!instant_parse(same[i], &t))
			fail_msg("instant_parse rejected \"%s\"", same[i]);
		if (t != 1648580280)
			fail_msg("\"%s\" -> %lld, want 1648580280", same[i],
				 (long long)t);
	}
	int64_t t = -1;
	assert_true(instant_parse("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(instant_parse("1970-01-01T08:00:00", &t));
	assert_int_equal(t, 0);
	assert_true(instant_parse("1970-01-01T00:00:00+08:00", &t));
	assert_int_equal(t, -28800);
	assert_true(instant_parse("2022-03-30T02:58:07Z", &t));
	assert_int_equal(t, 1648580280 + 8 * 3600 + 7);
}

static void test_instant_parse_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"2022-03-30",
		"2022-03-30T",
		"2022-03-30T02",
		"2022-03-30T2:58:00Z",
		"2022-03-30T02:5Z",
		"2022-03-30X02:58:00Z",
		"2022-03-30T24:00:00Z",
		"2022-03-30T02:60:00Z",
		"2022-03-30T02:58:61Z",
		"2022-03-30T02:58:0Z",
		"2022-02-30T02:58:00Z",
		"2022-03-30T02:58:00+0800",
		"2022-03-30T02:58:00+08",
		"2022-03-30T02:58:00+08:00x",
		"2022-03-30T02:58:00 Z",
		"2022-03-30T02:58:00Zjunk",
		"2022-03-30T02:58:00z+",
		"2022-03-30T02-58-00Z",
		"2022/03/30T02:58:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t t = 0;
		if (instant_parse(bad[i], &t))
			fail_msg("instant_parse accepted \"%s\"", bad[i]);
	}
}

static void test_instant_format_cst(void **state)
{
	(void)state;
	/* python3: datetime.fromtimestamp(t, timezone(timedelta(hours=8))) */
	static const struct {
		int64_t t;
		const char *want;
	} cases[] = {
		{ 1648580280, "2022-03-30 02:58:00" },
		{ 0, "1970-01-01 08:00:00" },
		{ -28800, "1970-01-01 00:00:00" },
		{ -28801, "1969-12-31 23:59:59" },
		{ 1648569600, "2022-03-30 00:00:00" },
		{ 1648569599, "2022-03-29 23:59:59" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[20];
		memset(buf, '?', sizeof buf);
		instant_format_cst(cases[i].t, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
		/* And back: the text without a zone is CST. */
		int64_t back;
		assert_true(instant_parse(buf, &back));
		assert_int_equal(back, cases[i].t);
	}
}

static void test_cd_now_env(void **state)
{
	(void)state;
	assert_int_equal(setenv("CORDON_NOW", "2022-03-30T02:58:00+08:00", 1),
			 0);
	assert_int_equal(cd_now(), 1648580280);
	assert_int_equal(cd_today_cst(), 19081);

	assert_int_equal(setenv("CORDON_NOW", "2022-03-29T18:58:00Z", 1), 0);
	assert_int_equal(cd_now(), 1648580280);

	/* CST midnight is 16:00 UTC the day before. */
	assert_int_equal(setenv("CORDON_NOW", "2022-03-29T16:00:00Z", 1), 0);
	assert_int_equal(cd_today_cst(), 19081);
	assert_int_equal(setenv("CORDON_NOW", "2022-03-29T15:59:59Z", 1), 0);
	assert_int_equal(cd_today_cst(), 19080);

	/* Without the variable the real clock is used. */
	assert_int_equal(unsetenv("CORDON_NOW"), 0);
	int64_t before = (int64_t)time(NULL);
	int64_t now = cd_now();
	int64_t after = (int64_t)time(NULL);
	assert_true(now >= before && now <= after);
	/* Far from the fixed value, so the env really was dropped. */
	assert_true(now > 1648580280 + 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_known_day_numbers),
		cmocka_unit_test(test_every_day_1800_to_2100),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_instant_parse_equivalents),
		cmocka_unit_test(test_instant_parse_bad),
		cmocka_unit_test(test_instant_format_cst),
		cmocka_unit_test(test_cd_now_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
