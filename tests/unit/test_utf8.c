/* test_utf8.c — UTF-8 validation (RFC 3629) and display width. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "lib/utf8.h"

#define VALID ((size_t)-1)

static size_t inv(const char *s)
{
	return utf8_invalid_at(s, strlen(s));
}

static void test_valid(void **state)
{
	(void)state;
	assert_int_equal(inv(""), VALID);
	assert_int_equal(inv("hello, world"), VALID);
	assert_int_equal(inv("衡南县"), VALID);
	assert_int_equal(inv("a衡b南c"), VALID);
	assert_int_equal(inv("\x7f"), VALID);                 /* U+007F */
	assert_int_equal(inv("\xc2\x80"), VALID);             /* U+0080 */
	assert_int_equal(inv("\xdf\xbf"), VALID);             /* U+07FF */
	assert_int_equal(inv("\xe0\xa0\x80"), VALID);         /* U+0800 */
	assert_int_equal(inv("\xed\x9f\xbf"), VALID);         /* U+D7FF */
	assert_int_equal(inv("\xee\x80\x80"), VALID);         /* U+E000 */
	assert_int_equal(inv("\xef\xbf\xbf"), VALID);         /* U+FFFF */
	assert_int_equal(inv("\xf0\x90\x80\x80"), VALID);     /* U+10000 */
	assert_int_equal(inv("\xf0\x9f\x98\x80"), VALID);     /* U+1F600 */
	assert_int_equal(inv("\xf4\x8f\xbf\xbf"), VALID);     /* U+10FFFF */
	/* An embedded NUL is a valid code point when len covers it. */
	assert_int_equal(utf8_invalid_at("a\0b", 3), VALID);
}

static void test_overlong(void **state)
{
	(void)state;
	assert_int_equal(inv("\xc0\x80"), 0);           /* NUL, 2 bytes */
	assert_int_equal(inv("ab\xc0\x80"), 2);
	assert_int_equal(inv("\xc1\xbf"), 0);           /* U+007F, 2 bytes */
	assert_int_equal(inv("x\xe0\x80\x80"), 1);      /* NUL, 3 bytes */
	assert_int_equal(inv("\xe0\x9f\xbf"), 0);       /* U+07FF, 3 bytes */
	assert_int_equal(inv("衡\xf0\x80\x80\x80"), 3); /* NUL, 4 bytes */
	assert_int_equal(inv("\xf0\x8f\xbf\xbf"), 0);   /* U+FFFF, 4 bytes */
}

static void test_surrogates(void **state)
{
	(void)state;
	assert_int_equal(inv("\xed\xa0\x80"), 0);    /* U+D800 */
	assert_int_equal(inv("衡\xed\xa0\x80"), 3);
	assert_int_equal(inv("ab\xed\xbf\xbf"), 2);  /* U+DFFF */
	/* A CESU-8 pair for U+1F600. */
	assert_int_equal(inv("\xed\xa0\xbd\xed\xb8\x80"), 0);
}

static void test_out_of_range_leads(void **state)
{
	(void)state;
	assert_int_equal(inv("ab\xf5\x80\x80\x80"), 2);
	assert_int_equal(inv("\xf4\x90\x80\x80"), 0); /* U+110000 */
	assert_int_equal(inv("\xf8\x88\x80\x80\x80"), 0);
	assert_int_equal(inv("abc\xfe"), 3);
	assert_int_equal(inv("\xff"), 0);
}

static void test_truncated(void **state)
{
	(void)state;
	/* 县 is E5 8E BF. */
	assert_int_equal(inv("衡\xe5\x8e"), 3);      /* at end of input */
	assert_int_equal(inv("a\xe5\x8e" "b"), 1);   /* cut by ASCII */
	assert_int_equal(inv("\xe5" "abc"), 0);
	assert_int_equal(inv("\xf0\x9f\x98"), 0);
	assert_int_equal(inv("\xc3"), 0);
	/* len counts: the second character is cut by len, not by NUL. */
	const char *s = "衡南";
	assert_int_equal(utf8_invalid_at(s, 6), VALID);
	assert_int_equal(utf8_invalid_at(s, 5), 3);
	assert_int_equal(utf8_invalid_at(s, 4), 3);
	assert_int_equal(utf8_invalid_at(s, 3), VALID);
	assert_int_equal(utf8_invalid_at(s, 0), VALID);
}

static void test_lone_continuation(void **state)
{
	(void)state;
	assert_int_equal(inv("\x80"), 0);
	assert_int_equal(inv("abc\x80"), 3);
	assert_int_equal(inv("衡\xa1南"), 3);
	assert_int_equal(inv("\xbf\xbf"), 0);
}

/* utf8_cut: a string cut inside its last character loses that
 * character; a valid one is left alone; a bad byte in the middle ends it
 * there. */
static void test_cut(void **state)
{
	(void)state;
	char a[] = "ab\xe7\x95\x8c\xe7\x95";   /* 界 then half of 界 */
	utf8_cut(a);
	assert_string_equal(a, "ab\xe7\x95\x8c");
	char b[] = "caf\xc3\xa9";
	utf8_cut(b);
	assert_string_equal(b, "caf\xc3\xa9");
	char c[] = "x\xc3\x28y";
	utf8_cut(c);
	assert_string_equal(c, "x");
	char d[] = "";
	utf8_cut(d);
	assert_string_equal(d, "");
}

static void test_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("衡南县"), 3);
	assert_int_equal(utf8_length("a衡\xf0\x9f\x98\x80"), 3);
}

static void test_width(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("衡南县"), 6);
	assert_int_equal(utf8_width("a衡b"), 4);
	assert_int_equal(utf8_width("茶市镇 云集街道"), 15);
	/* Full-width comma and parentheses are wide too. */
	assert_int_equal(utf8_width("（衡）"), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_out_of_range_leads),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_lone_continuation),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
