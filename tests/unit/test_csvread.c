/* test_csvread.c — CSV records, their start lines, and the limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csvread.h"

#define MAX_RECS 16
#define MAX_F 70
#define MAX_FLEN 200

/* What the row callback saw. */
struct seen {
	int nrec;                /* records delivered */
	long line[MAX_RECS];
	size_t nf[MAX_RECS];
	char f[MAX_RECS][8][MAX_FLEN];
	int stop_at;             /* return stop_rc on this record (1-based) */
	enum cd_code stop_rc;
	/* For the large stream test: only count and check lines. */
	int count_only;
	long bad_line;           /* first record whose line was wrong */
};

static enum cd_code on_row(void *ctx, long line, char *const *fields,
			   size_t n)
{
	struct seen *s = ctx;
	int i = s->nrec++;
	if (s->count_only) {
		/* Record k (0-based) is "rowK,x" on line k+1. */
		char want[32];
		snprintf(want, sizeof want, "row%d", i);
		if (!s->bad_line && (line != i + 1 || n != 2 ||
				     strcmp(fields[0], want) != 0 ||
				     strcmp(fields[1], "x") != 0))
			s->bad_line = i + 1;
		return CD_OK;
	}
	if (i < MAX_RECS) {
		s->line[i] = line;
		s->nf[i] = n;
		for (size_t k = 0; k < n && k < 8; k++)
			snprintf(s->f[i][k], MAX_FLEN, "%s", fields[k]);
	}
	if (s->stop_at && s->nrec == s->stop_at)
		return s->stop_rc;
	return CD_OK;
}

static const struct csvread_opts opts_t = { "t.csv", 0, 0 };

static enum cd_code run(const char *data, size_t len, struct seen *s,
			struct cd_err *err)
{
	return csvread_buffer(data, len, &opts_t, on_row, s, err);
}

static enum cd_code runs(const char *data, struct seen *s, struct cd_err *err)
{
	return run(data, strlen(data), s, err);
}

static void test_simple_records(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("a,b,c\n1,,3\n", &s, &err), CD_OK);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.nf[0], 3);
	assert_string_equal(s.f[0][0], "a");
	assert_string_equal(s.f[0][1], "b");
	assert_string_equal(s.f[0][2], "c");
	assert_int_equal(s.line[1], 2);
	assert_int_equal(s.nf[1], 3);
	assert_string_equal(s.f[1][0], "1");
	assert_string_equal(s.f[1][1], "");
	assert_string_equal(s.f[1][2], "3");
}

static void test_empty_input(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(run("", 0, &s, &err), CD_OK);
	assert_int_equal(s.nrec, 0);
	assert_int_equal(runs("\n\n\r\n", &s, &err), CD_OK);
	assert_int_equal(s.nrec, 0);
}

static void test_quoted_newline_keeps_start_line(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	const char *in = "h1,h2\n"
			 "\"multi\nline\",x\n"
			 "\"three\n\nlines\",y\n"
			 "next,\"say \"\"hi\"\"\"\n";
	assert_int_equal(runs(in, &s, &err), CD_OK);
	assert_int_equal(s.nrec, 4);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.f[1][0], "multi\nline");
	assert_string_equal(s.f[1][1], "x");
	/* The blank line inside quotes is data, not skipped. */
	assert_int_equal(s.line[2], 4);
	assert_string_equal(s.f[2][0], "three\n\nlines");
	assert_int_equal(s.line[3], 7);
	assert_string_equal(s.f[3][0], "next");
	assert_string_equal(s.f[3][1], "say \"hi\"");
}

static void test_blank_lines_skipped(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("\na\n\n\nb\n\r\nc\n\n", &s, &err), CD_OK);
	assert_int_equal(s.nrec, 3);
	assert_int_equal(s.line[0], 2);
	assert_string_equal(s.f[0][0], "a");
	assert_int_equal(s.line[1], 5);
	assert_string_equal(s.f[1][0], "b");
	assert_int_equal(s.line[2], 7);
	assert_string_equal(s.f[2][0], "c");
}

static void test_crlf(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("a,b\r\nc,\"d\r\ne\"\r\nf,g\r\n", &s, &err),
			 CD_OK);
	assert_int_equal(s.nrec, 3);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.nf[0], 2);
	assert_string_equal(s.f[0][0], "a");
	assert_string_equal(s.f[0][1], "b");
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.f[1][0], "c");
	assert_string_equal(s.f[1][1], "d\r\ne");
	assert_int_equal(s.line[2], 4);
	assert_string_equal(s.f[2][1], "g");
}

static void test_bom_skipped(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("\xef\xbb\xbf" "id,name\n1,衡南县\n", &s, &err),
			 CD_OK);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.line[0], 1);
	assert_string_equal(s.f[0][0], "id");
	assert_string_equal(s.f[1][1], "衡南县");
}

static void test_last_line_without_newline(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("a\nb,c", &s, &err), CD_OK);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.line[1], 2);
	assert_int_equal(s.nf[1], 2);
	assert_string_equal(s.f[1][0], "b");
	assert_string_equal(s.f[1][1], "c");

	memset(&s, 0, sizeof s);
	assert_int_equal(runs("x\n\"q\nr\"", &s, &err), CD_OK);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.f[1][0], "q\nr");
}

static void test_delimiter(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	const struct csvread_opts o = { "t.csv", 0, ';' };
	const char *in = "a;b,c\n";
	assert_int_equal(csvread_buffer(in, strlen(in), &o, on_row, &s, &err),
			 CD_OK);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(s.nf[0], 2);
	assert_string_equal(s.f[0][1], "b,c");
}

static void test_unbalanced_quote(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("a,b\n\"open,x\nmore\n", &s, &err), CD_EINVAL);
	/* The record before the error was delivered, the open one not. */
	assert_int_equal(s.nrec, 1);
	assert_non_null(strstr(err.msg, "t.csv:"));
	/* The quote opened on line 2. */
	assert_non_null(strstr(err.msg, "2"));
	assert_non_null(strstr(err.msg, "line 2"));
}

static void test_quote_inside_unquoted_field(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(runs("a,b\nx\"y,z\nc,d\n", &s, &err), CD_EINVAL);
	assert_int_equal(s.nrec, 1);
	assert_non_null(strstr(err.msg, "t.csv:2:"));

	/* Text after a closing quote. */
	memset(&s, 0, sizeof s);
	assert_int_equal(runs("\"ab\"c,d\n", &s, &err), CD_EINVAL);
	assert_int_equal(s.nrec, 0);
	assert_non_null(strstr(err.msg, "t.csv:1:"));
}

static void test_nul_byte(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	static const char in[] = "a,b\nc\0d,e\nf,g\n";
	assert_int_equal(run(in, sizeof in - 1, &s, &err), CD_EINVAL);
	assert_int_equal(s.nrec, 1);
	assert_non_null(strstr(err.msg, "t.csv:2:"));
}

static void test_line_longer_than_max(void **state)
{
	(void)state;
	const struct csvread_opts o = { "t.csv", 100, 0 };
	char in[400];
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };

	/* 99 bytes + newline = 100: allowed. */
	memset(in, 'a', 99);
	memcpy(in + 99, "\n", 2);
	assert_int_equal(csvread_buffer(in, strlen(in), &o, on_row, &s, &err),
			 CD_OK);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(strlen(s.f[0][0]), 99);

	/* A 150-byte second line. */
	memset(&s, 0, sizeof s);
	memcpy(in, "ok\n", 3);
	memset(in + 3, 'b', 150);
	memcpy(in + 153, "\nc\n", 4);
	assert_int_equal(csvread_buffer(in, strlen(in), &o, on_row, &s, &err),
			 CD_ETOOBIG);
	assert_int_equal(s.nrec, 1);
	assert_non_null(strstr(err.msg, "t.csv:2:"));

	/* The same without a final newline. */
	memset(&s, 0, sizeof s);
	memset(in, 'b', 150);
	in[150] = '\0';
	assert_int_equal(csvread_buffer(in, strlen(in), &o, on_row, &s, &err),
			 CD_ETOOBIG);
	assert_int_equal(s.nrec, 0);

	/* A quoted record of short lines that together pass the limit. */
	memset(&s, 0, sizeof s);
	in[0] = '"';
	memset(in + 1, 'c', 60);
	in[61] = '\n';
	memset(in + 62, 'd', 60);
	memcpy(in + 122, "\"\n", 3);
	assert_int_equal(csvread_buffer(in, strlen(in), &o, on_row, &s, &err),
			 CD_ETOOBIG);
	assert_int_equal(s.nrec, 0);
}

static void test_callback_error_stops(void **state)
{
	(void)state;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	s.stop_at = 2;
	s.stop_rc = CD_ERULE;
	assert_int_equal(runs("a\nb\nc\nd\n", &s, &err), CD_ERULE);
	assert_int_equal(s.nrec, 2);

	/* Also when the failing record is the last one, without newline. */
	memset(&s, 0, sizeof s);
	s.stop_at = 2;
	s.stop_rc = CD_ECONFLICT;
	assert_int_equal(runs("a\nb", &s, &err), CD_ECONFLICT);
	assert_int_equal(s.nrec, 2);
}

static void test_too_many_fields(void **state)
{
	(void)state;
	char in[400];
	size_t at = 0;
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };

	/* 64 fields: the limit. */
	for (int i = 0; i < 64; i++)
		at += (size_t)snprintf(in + at, sizeof in - at, "%s%d",
				       i ? "," : "", i % 10);
	memcpy(in + at, "\n", 2);
	assert_int_equal(runs(in, &s, &err), CD_OK);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(s.nf[0], 64);

	/* 65 fields on line 2. */
	memset(&s, 0, sizeof s);
	memcpy(in, "hdr\n", 4);
	at = 4;
	for (int i = 0; i < 65; i++)
		at += (size_t)snprintf(in + at, sizeof in - at, "%s%d",
				       i ? "," : "", i % 10);
	memcpy(in + at, "\n", 2);
	assert_int_equal(runs(in, &s, &err), CD_EINVAL);
	assert_int_equal(s.nrec, 1);
	assert_non_null(strstr(err.msg, "t.csv:2:"));
}

static void test_stream_small(void **state)
{
	(void)state;
	static char data[] = "\xef\xbb\xbf" "a,b\n\nc,\"d\ne\"\n";
	FILE *f = fmemopen(data, sizeof data - 1, "r");
	assert_non_null(f);
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(csvread_stream(f, &opts_t, on_row, &s, &err), CD_OK);
	fclose(f);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.line[0], 1);
	assert_string_equal(s.f[0][0], "a");
	assert_int_equal(s.line[1], 3);
	assert_string_equal(s.f[1][1], "d\ne");
}

static void test_stream_many_lines_across_chunks(void **state)
{
	(void)state;
	/* 20000 short lines, about 200 KB: lines straddle read chunks. */
	enum { N = 20000 };
	size_t cap = (size_t)N * 16, at = 0;
	char *data = malloc(cap);
	assert_non_null(data);
	for (int i = 0; i < N; i++)
		at += (size_t)snprintf(data + at, cap - at, "row%d,x\n", i);
	FILE *f = fmemopen(data, at, "r");
	assert_non_null(f);
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	s.count_only = 1;
	enum cd_code rc = csvread_stream(f, &opts_t, on_row, &s, &err);
	fclose(f);
	free(data);
	assert_int_equal(rc, CD_OK);
	assert_int_equal(s.nrec, N);
	assert_int_equal(s.bad_line, 0);
}

static void test_stream_line_over_default_limit(void **state)
{
	(void)state;
	size_t len = 200 * 1024;
	char *data = malloc(len);
	assert_non_null(data);
	memset(data, 'a', len);
	FILE *f = fmemopen(data, len, "r");
	assert_non_null(f);
	struct seen s = { 0 };
	struct cd_err err = { CD_OK, "" };
	enum cd_code rc = csvread_stream(f, &opts_t, on_row, &s, &err);
	fclose(f);
	free(data);
	assert_int_equal(rc, CD_ETOOBIG);
	assert_int_equal(s.nrec, 0);
	assert_non_null(strstr(err.msg, "t.csv:1:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_records),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_quoted_newline_keeps_start_line),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom_skipped),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_unbalanced_quote),
		cmocka_unit_test(test_quote_inside_unquoted_field),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_line_longer_than_max),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_stream_small),
		cmocka_unit_test(test_stream_many_lines_across_chunks),
		cmocka_unit_test(test_stream_line_over_default_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
