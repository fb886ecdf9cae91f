/* test_ids.c — resident IDs (GB 11643-1999) and mobile phones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/ids.h"

static const char *const valid_ids[] = {
	"11010519491231002X",
	"440524188001010014",
};

/* Independent GB 11643 check character (DOMAIN.md): weights for
 * positions 1-17, S = sum digit*weight, check = "10X98765432"[S mod 11]. */
static char check_char(const char *first17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6,
				   3, 7, 9, 10, 5, 8, 4, 2 };
	long s = 0;
	for (int i = 0; i < 17; i++)
		s += (long)(first17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* Build an 18-character ID from a 17-digit prefix plus its check char. */
static void make_id(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = check_char(first17);
	out[18] = '\0';
}

static int32_t day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void test_helper_matches_domain_examples(void **state)
{
	(void)state;
	/* The helper itself must agree with the two IDs DOMAIN.md calls
	 * valid, or every test built on it is meaningless. */
	assert_int_equal(check_char(valid_ids[0]), 'X');
	assert_int_equal(check_char(valid_ids[1]), '4');
}

static void test_check_char(void **state)
{
	(void)state;
	assert_int_equal(rid_check_char("11010519491231002"), 'X');
	assert_int_equal(rid_check_char("44052418800101001"), '4');
	/* A deterministic spread of prefixes, against the helper. */
	uint32_t x = 12345u;
	for (int k = 0; k < 2000; k++) {
		char p[18];
		for (int i = 0; i < 17; i++) {
			x = x * 1103515245u + 12345u;
			p[i] = (char)('0' + (x >> 16) % 10);
		}
		p[17] = '\0';
		assert_int_equal(rid_check_char(p), check_char(p));
	}
}

static void test_valid_ids(void **state)
{
	(void)state;
	int32_t today = day(2022, 3, 30);
	struct rid r;
	struct cd_err err = { CD_OK, "" };

	memset(&r, 0, sizeof r);
	assert_int_equal(rid_parse(valid_ids[0], today, &r, &err), CD_OK);
	assert_string_equal(r.id, "11010519491231002X");
	assert_string_equal(r.division, "110105");
	assert_int_equal(r.birth, day(1949, 12, 31));
	assert_int_equal(r.birth, -7306); /* python: (1949-12-31 - 1970-01-01) */
	assert_int_equal(r.sex, 'F');     /* sequence 002, even */

	memset(&r, 0, sizeof r);
	assert_int_equal(rid_parse(valid_ids[1], today, &r, &err), CD_OK);
	assert_string_equal(r.id, "440524188001010014");
	assert_string_equal(r.division, "440524");
	assert_int_equal(r.birth, day(1880, 1, 1));
	assert_int_equal(r.birth, -32872);
	assert_int_equal(r.sex, 'M'); /* sequence 001, odd */

	/* out may be NULL: validation only. */
	assert_int_equal(rid_parse(valid_ids[1], today, NULL, &err), CD_OK);
}

static void test_every_single_substitution_rejected(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789X";
	int32_t today = day(2022, 3, 30);
	int tried = 0;
	for (size_t k = 0; k < sizeof valid_ids / sizeof *valid_ids; k++) {
		for (int pos = 0; pos < RID_LEN; pos++) {
			for (int a = 0; a < 11; a++) {
				char id[19];
				memcpy(id, valid_ids[k], sizeof id);
				if (id[pos] == alphabet[a])
					continue;
				id[pos] = alphabet[a];
				struct rid r;
				struct cd_err err = { CD_OK, "" };
				enum cd_code rc = rid_parse(id, today, &r, &err);
				if (rc == CD_OK)
					fail_msg("corrupted ID %s (position %d) "
						 "was accepted", id, pos + 1);
				assert_int_equal(rc, CD_EINVAL);
				assert_true(err.msg[0] != '\0');
				tried++;
			}
		}
	}
	/* 2 IDs x 18 positions x 10 other characters. */
	assert_int_equal(tried, 2 * 18 * 10);
}

static void test_lower_case_x(void **state)
{
	(void)state;
	struct rid r;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(rid_parse("11010519491231002x", day(2022, 3, 30), &r,
				   &err),
			 CD_OK);
	assert_string_equal(r.id, "11010519491231002X");
	/* x where the check is a digit is still a bad checksum. */
	assert_int_equal(rid_parse("44052418800101001x", day(2022, 3, 30), &r,
				   &err),
			 CD_EINVAL);
}

static void test_wrong_lengths(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"1",
		"11010519491231002",    /* 17 */
		"11010519491231002XX",  /* 19 */
		"110105194912310020X",  /* 19 */
		"11010519491231002X ",  /* trailing space */
		" 11010519491231002X",  /* leading space */
		"110105491231002",      /* old 15-digit form */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cd_err err = { CD_OK, "" };
		if (rid_parse(bad[i], day(2022, 3, 30), NULL, &err) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_letters_in_first_17(void **state)
{
	(void)state;
	for (int pos = 0; pos < 17; pos++) {
		static const char letters[] = "AXx -";
		for (int l = 0; letters[l]; l++) {
			char id[19];
			memcpy(id, valid_ids[0], sizeof id);
			id[pos] = letters[l];
			struct cd_err err = { CD_OK, "" };
			if (rid_parse(id, day(2022, 3, 30), NULL, &err) !=
			    CD_EINVAL)
				fail_msg("\"%s\" was not rejected", id);
		}
	}
	/* A non-digit, non-X check character. */
	assert_int_equal(rid_parse("11010519491231002A", day(2022, 3, 30),
				   NULL, NULL),
			 CD_EINVAL);
	assert_int_equal(rid_parse("11010519491231002Y", day(2022, 3, 30),
				   NULL, NULL),
			 CD_EINVAL);
}

static void test_impossible_birth_dates(void **state)
{
	(void)state;
	/* The check char is recomputed, so only the date is wrong. */
	static const char *const bad17[] = {
		"43042219490230001", /* 30 February */
		"43042219491301001", /* month 13 */
		"43042219490001001", /* month 0 */
		"43042219490100001", /* day 0 */
		"43042219490132001", /* 32 January */
		"43042219490431001", /* 31 April */
		"43042219000229001", /* 1900 is not a leap year */
		"43042220230229001", /* 2023 is not a leap year */
		"43042217991231001", /* before 1800 */
	};
	for (size_t i = 0; i < sizeof bad17 / sizeof *bad17; i++) {
		char id[19];
		make_id(bad17[i], id);
		struct cd_err err = { CD_OK, "" };
		if (rid_parse(id, day(2030, 1, 1), NULL, &err) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", id);
		assert_true(err.msg[0] != '\0');
	}
	/* The real leap days and the 1800 boundary pass. */
	static const char *const good17[] = {
		"43042220000229001",
		"43042220240229002",
		"43042218000101003",
	};
	for (size_t i = 0; i < sizeof good17 / sizeof *good17; i++) {
		char id[19];
		make_id(good17[i], id);
		struct cd_err err = { CD_OK, "" };
		if (rid_parse(id, day(2030, 1, 1), NULL, &err) != CD_OK)
			fail_msg("\"%s\" was rejected: %s", id, err.msg);
	}
}

static void test_future_birth_date(void **state)
{
	(void)state;
	int32_t today = day(2022, 3, 30);
	char id[19];
	struct rid r;
	struct cd_err err = { CD_OK, "" };

	make_id("43042220220331001", id); /* tomorrow */
	assert_int_equal(rid_parse(id, today, &r, &err), CD_EINVAL);
	assert_true(err.msg[0] != '\0');

	make_id("43042220230101001", id); /* next year */
	assert_int_equal(rid_parse(id, today, &r, NULL), CD_EINVAL);

	make_id("43042220220330001", id); /* born today */
	memset(&r, 0, sizeof r);
	assert_int_equal(rid_parse(id, today, &r, &err), CD_OK);
	assert_int_equal(r.birth, today);
	assert_int_equal(r.birth, 19081);
	assert_int_equal(r.sex, 'M');
	assert_string_equal(r.division, "430422");

	/* The same ID is in the future the day before. */
	assert_int_equal(rid_parse(id, today - 1, &r, NULL), CD_EINVAL);
}

static void test_sex_from_sequence(void **state)
{
	(void)state;
	/* Position 17 (the last sequence digit) decides: odd male. */
	for (int d = 0; d <= 9; d++) {
		char p[18] = "43042219800101100", id[19];
		p[16] = (char)('0' + d);
		make_id(p, id);
		struct rid r;
		assert_int_equal(rid_parse(id, day(2022, 3, 30), &r, NULL),
				 CD_OK);
		assert_int_equal(r.sex, d % 2 ? 'M' : 'F');
		assert_int_equal(r.birth, day(1980, 1, 1));
	}
}

static void test_rid_mask(void **state)
{
	(void)state;
	char out[19];
	memset(out, '?', sizeof out);
	rid_mask("430422199001011234", out);
	assert_string_equal(out, "430422********1234");
	rid_mask("11010519491231002X", out);
	assert_string_equal(out, "110105********002X");
	/* Nothing of a malformed ID leaks. */
	rid_mask("4304221990", out);
	assert_null(strstr(out, "4304"));
	assert_true(strlen(out) <= 18);
}

static void test_phone_normalize_ok(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"13812345678", "+8613812345678", "008613812345678",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		char out[12];
		struct cd_err err = { CD_OK, "" };
		memset(out, '?', sizeof out);
		if (phone_normalize(ok[i], out, &err) != CD_OK)
			fail_msg("\"%s\" rejected: %s", ok[i], err.msg);
		assert_string_equal(out, "13812345678");
	}
	/* Every second digit 3-9 is allowed. */
	for (char c = '3'; c <= '9'; c++) {
		char in[12] = "10012345678", out[12];
		in[1] = c;
		assert_int_equal(phone_normalize(in, out, NULL), CD_OK);
		assert_string_equal(out, in);
	}
}

static void test_phone_normalize_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"12812345678",      /* second digit 2 */
		"11812345678",      /* second digit 1 */
		"10812345678",      /* second digit 0 */
		"23812345678",      /* not starting 1 */
		"1381234567",       /* 10 digits */
		"138123456789",     /* 12 digits */
		"1381234567a",      /* letter */
		"138a2345678",      /* letter */
		"138 1234 5678",    /* spaces */
		"138-1234-5678",    /* dashes */
		"",                 /* empty */
		"+86",              /* prefix only */
		"0086",             /* prefix only */
		"+861381234567",    /* prefix and 10 digits */
		"+85213812345678",  /* another country */
		"+86 13812345678",  /* space after prefix */
		"86138123456789",   /* 86 without + */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char out[12];
		struct cd_err err = { CD_OK, "" };
		if (phone_normalize(bad[i], out, &err) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_phone_mask(void **state)
{
	(void)state;
	char out[12];
	memset(out, '?', sizeof out);
	phone_mask("13812345678", out);
	assert_string_equal(out, "138****5678");
	phone_mask("19900001111", out);
	assert_string_equal(out, "199****1111");
	phone_mask("1381234", out);
	assert_null(strstr(out, "1381234"));
	assert_true(strlen(out) <= 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_matches_domain_examples),
		cmocka_unit_test(test_check_char),
		cmocka_unit_test(test_valid_ids),
		cmocka_unit_test(test_every_single_substitution_rejected),
		cmocka_unit_test(test_lower_case_x),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_letters_in_first_17),
		cmocka_unit_test(test_impossible_birth_dates),
		cmocka_unit_test(test_future_birth_date),
		cmocka_unit_test(test_sex_from_sequence),
		cmocka_unit_test(test_rid_mask),
		cmocka_unit_test(test_phone_normalize_ok),
		cmocka_unit_test(test_phone_normalize_bad),
		cmocka_unit_test(test_phone_mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
