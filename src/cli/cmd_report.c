/* cmd_report.c — `cordon report daily|series|curve`: the daily report
 * (日报) of a unit with a row per child unit, the series of its figures
 * and the epidemic curve, as a table, JSON, CSV or XLSX
 * (docs/reports.md). Options are parsed here: they belong to this
 * command. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "app/report_out.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/banned.h"

enum { O_DB, O_JSON, O_UNIT, O_DATE, O_CUTOFF, O_XLSX, O_CSV, O_FROM, O_TO,
       O_HELP, O_COUNT };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + O_DB },
	{ "json", no_argument, NULL, 256 + O_JSON },
	{ "unit", required_argument, NULL, 256 + O_UNIT },
	{ "date", required_argument, NULL, 256 + O_DATE },
	{ "cutoff", required_argument, NULL, 256 + O_CUTOFF },
	{ "xlsx", required_argument, NULL, 256 + O_XLSX },
	{ "csv", required_argument, NULL, 256 + O_CSV },
	{ "from", required_argument, NULL, 256 + O_FROM },
	{ "to", required_argument, NULL, 256 + O_TO },
	{ "help", no_argument, NULL, 256 + O_HELP },
	{ NULL, 0, NULL, 0 },
};

struct args {
	unsigned given;
	const char *arg[O_COUNT];
	char unit[UNIT_CODE_MAX];
	int32_t day, from, to;
	int cutoff;
};

static bool has(const struct args *a, int opt)
{
	return (a->given & (1u << opt)) != 0;
}

static int bad_date(const char *opt, const char *v)
{
	return cli_fail(CD_EINVAL, "--%s: '%s' is not a date (YYYY-MM-DD)",
			opt, v);
}

/* Check the options of a subcommand (a bit per O_* in allowed) and read
 * the dates and the cutoff. */
static int inputs(struct args *a, unsigned allowed)
{
	if (cli_only(a->given, allowed | 1u << O_DB | 1u << O_HELP |
				       1u << O_UNIT | 1u << O_JSON,
		     longopts, O_COUNT))
		return cd_code_exit(CD_EUSAGE);
	if (has(a, O_JSON) + has(a, O_CSV) + has(a, O_XLSX) > 1)
		return cli_fail(CD_EUSAGE, "give one of --json, --csv FILE "
				"and --xlsx FILE");
	a->cutoff = REPORT_CUTOFF_DEFAULT;
	if (has(a, O_CUTOFF) &&
	    !report_cutoff_parse(a->arg[O_CUTOFF], &a->cutoff))
		return cli_fail(CD_EINVAL, "--cutoff: '%s' is not a time of "
				"day HH:MM from 00:00 to 24:00",
				a->arg[O_CUTOFF]);
	a->day = cd_today_cst();
	if (has(a, O_DATE) && !date_parse(a->arg[O_DATE], &a->day))
		return bad_date("date", a->arg[O_DATE]);
	if (allowed & 1u << O_FROM) {
		if (!has(a, O_FROM) || !has(a, O_TO))
			return cli_fail(CD_EUSAGE, "give --from DATE and --to "
					"DATE");
		if (!date_parse(a->arg[O_FROM], &a->from))
			return bad_date("from", a->arg[O_FROM]);
		if (!date_parse(a->arg[O_TO], &a->to))
			return bad_date("to", a->arg[O_TO]);
		struct cd_err err;
		if (report_range_check(a->from, a->to, &err))
			return cli_fail(CD_EINVAL, "--to: %s", err.msg + 0);
	}
	return 0;
}

/* The unit: --unit, else the only county. */
static int pick_unit(struct store *st, struct args *a)
{
	struct cd_err err;
	if (has(a, O_UNIT)) {
		snprintf(a->unit, sizeof a->unit, "%s", a->arg[O_UNIT]);
		return 0;
	}
	if (report_default_unit(st, a->unit, &err))
		return cli_fail(CD_EUSAGE, "%s (--unit CODE)", err.msg);
	return 0;
}

/* Write to path with fn; "-" is standard output. */
static int to_file(const char *path, enum cd_code (*fn)(FILE *, const void *,
							struct cd_err *),
		   const void *what)
{
	struct cd_err err;
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f)
		return cli_fail(CD_EIO, "%s: cannot write", path);
	enum cd_code rc = fn(f, what, &err);
	if (f != stdout && fclose(f) && !rc)
		rc = cd_err_set(&err, CD_EIO, "%s: cannot write", path);
	return rc ? cli_fail_err(&err) : 0;
}

static enum cd_code w_daily(FILE *f, const void *r, struct cd_err *err)
{
	return report_csv_daily(f, r, err);
}

static enum cd_code w_series(FILE *f, const void *s, struct cd_err *err)
{
	return report_csv_series(f, s, err);
}

static enum cd_code w_curve(FILE *f, const void *c, struct cd_err *err)
{
	return report_csv_curve(f, c, err);
}

/* ---- text */

static size_t col_of(const char *path)
{
	for (size_t i = 0; i < report_ncols; i++)
		if (!strcmp(report_cols[i].path, path))
			return i;
	return 0;
}

static void val_text(const struct report_val *v, char *buf, size_t len)
{
	if (v->null)
		snprintf(buf, len, "-");
	else if (v->pct)
		snprintf(buf, len, "%ld.%02ld", v->v / 100, v->v % 100);
	else
		snprintf(buf, len, "%ld", v->v);
}

/* The figures a row of the terminal's tables shows. */
static const char *const brief[] = {
	"confirmed.new", "confirmed.cumulative", "asymptomatic.new",
	"asymptomatic.under_observation", "cured.cumulative",
	"deaths.cumulative", "current", "contacts.close_new",
	"contacts.central", "testing.sampled_new", "testing.round_coverage",
};
static const char *const brief_head[] = {
	"NEW CONF", "CUM CONF", "NEW ASYM", "OBSERVED", "CURED", "DEATHS",
	"CURRENT", "NEW CLOSE", "CENTRAL", "SAMPLED", "ROUND %",
};
#define NBRIEF (sizeof brief / sizeof brief[0])

static void brief_row(struct table *t, const char *a, const char *b,
		      const struct store_report_counts *c,
		      struct report_val *v)
{
	char cells[NBRIEF][24];
	const char *row[NBRIEF + 2] = { a, b };
	report_values(c, v);
	for (size_t i = 0; i < NBRIEF; i++) {
		val_text(&v[col_of(brief[i])], cells[i], sizeof cells[i]);
		row[i + 2] = cells[i];
	}
	table_add(t, row);
}

static struct table *brief_table(const char *a, const char *b)
{
	struct table *t = table_new((int)NBRIEF + 2);
	const char *head[NBRIEF + 2] = { a, b };
	for (size_t i = 0; i < NBRIEF; i++)
		head[i + 2] = brief_head[i];
	table_add(t, head);
	return t;
}

static void daily_text(const struct report_daily *r)
{
	char day[16], cut[8], from[24], to[24];
	struct report_val *v = calloc(report_ncols, sizeof *v);
	date_format(r->w.day, day, sizeof day);
	report_cutoff_format(r->w.cutoff, cut, sizeof cut);
	instant_format_cst(r->w.from, from, sizeof from);
	instant_format_cst(r->w.to, to, sizeof to);
	printf("daily report 日报: %s (%s), %s, cutoff %s\nwindow after %s "
	       "until %s CST\n\n", r->unit.name, r->unit.code, day, cut, from,
	       to);
	report_values(&r->figs[r->nrows], v);
	struct table *t = table_new(3);
	const char *head[] = { "FIGURE", "指标", "TOTAL" };
	table_add(t, head);
	for (size_t i = 0; i < report_ncols; i++) {
		char val[24];
		val_text(&v[i], val, sizeof val);
		const char *row[] = { report_cols[i].path, report_cols[i].zh,
				      val };
		table_add(t, row);
	}
	table_print(t, stdout, 1u << 2);
	free(v);
	if (r->nrows) {
		printf("\nby unit (tubes, pools, zones and coverage do not add "
		       "up across rows):\n");
		report_units_text(r);
	}
}

/* See cli/cli.h. */
void report_units_text(const struct report_daily *r)
{
	struct report_val *v = calloc(report_ncols, sizeof *v);
	struct table *t = brief_table("UNIT", "NAME");
	for (size_t i = 0; i < r->nrows; i++)
		brief_row(t, r->rows[i].code, r->rows[i].name, &r->figs[i], v);
	brief_row(t, r->unit.code, "合计 total", &r->figs[r->nrows], v);
	table_print(t, stdout, ~3u);
	free(v);
}

/* See cli/cli.h. */
void report_series_text(const struct report_series *s)
{
	char cut[8];
	struct report_val *v = calloc(report_ncols, sizeof *v);
	report_cutoff_format(s->cutoff, cut, sizeof cut);
	printf("series: %s (%s), cutoff %s\n\n", s->unit.name, s->unit.code,
	       cut);
	struct table *t = brief_table("DATE", "");
	for (int32_t d = s->from; d <= s->to; d++) {
		char ds[16];
		date_format(d, ds, sizeof ds);
		brief_row(t, ds, "", &s->days[d - s->from], v);
	}
	table_print(t, stdout, ~3u);
	free(v);
}

static void curve_text(const struct report_curve *c)
{
	printf("epidemic curve 流行曲线: %s (%s)\n\n", c->unit.name,
	       c->unit.code);
	struct table *t = table_new(5);
	const char *head[] = { "DATE", "CONFIRMED BY ONSET", "ASYMPT BY ONSET",
			       "CONFIRMED BY REPORT", "ASYMPT BY REPORT" };
	table_add(t, head);
	for (int32_t d = c->from; d <= c->to; d++) {
		size_t i = (size_t)(d - c->from);
		char ds[16], n[4][24];
		date_format(d, ds, sizeof ds);
		snprintf(n[0], sizeof n[0], "%ld", c->c.onset_conf[i]);
		snprintf(n[1], sizeof n[1], "%ld", c->c.onset_asym[i]);
		snprintf(n[2], sizeof n[2], "%ld", c->c.report_conf[i]);
		snprintf(n[3], sizeof n[3], "%ld", c->c.report_asym[i]);
		const char *row[] = { ds, n[0], n[1], n[2], n[3] };
		table_add(t, row);
	}
	table_print(t, stdout, ~1u);
}

/* ---- subcommands */

static int run_daily(struct store *st, struct args *a)
{
	struct report_daily r;
	struct cd_err err;
	int rc = 0;
	if (report_daily(st, a->unit, a->day, a->cutoff, &r, &err))
		rc = cli_fail_err(&err);
	else if (has(a, O_JSON))
		cli_print_json(report_daily_json(&r));
	else if (has(a, O_CSV))
		rc = to_file(a->arg[O_CSV], w_daily, &r);
	else if (has(a, O_XLSX) &&
		 report_xlsx_daily(a->arg[O_XLSX], &r, &err))
		rc = cli_fail_err(&err);
	else if (has(a, O_XLSX))
		printf("wrote %s: %s (%s), %zu rows and the totals\n",
		       a->arg[O_XLSX], r.unit.name, r.unit.code, r.nrows);
	else
		daily_text(&r);
	report_daily_release(&r);
	return rc;
}

static int run_series(struct store *st, struct args *a)
{
	struct report_series s;
	struct cd_err err;
	int rc = 0;
	if (report_series(st, a->unit, a->from, a->to, a->cutoff, &s, &err))
		rc = cli_fail_err(&err);
	else if (has(a, O_JSON))
		cli_print_json(report_series_json(&s));
	else if (has(a, O_CSV))
		rc = to_file(a->arg[O_CSV], w_series, &s);
	else
		report_series_text(&s);
	report_series_release(&s);
	return rc;
}

static int run_curve(struct store *st, struct args *a)
{
	struct report_curve c;
	struct cd_err err;
	int rc = 0;
	if (report_curve(st, a->unit, a->from, a->to, &c, &err))
		rc = cli_fail_err(&err);
	else if (has(a, O_JSON))
		cli_print_json(report_curve_json(&c));
	else if (has(a, O_CSV))
		rc = to_file(a->arg[O_CSV], w_curve, &c);
	else
		curve_text(&c);
	report_curve_release(&c);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	int first = cli_parse_indexed(argc, argv, longopts, O_COUNT, O_HELP,
				      ~0u, &a.given, a.arg);
	if (first < 0)
		return cli_usage("report");
	if (has(&a, O_HELP)) {
		char *args[] = { "help", "report", NULL };
		return cmd_help(2, args);
	}
	if (argc - first != 1)
		return cli_usage("report");
	const char *sub = argv[first];
	int (*run)(struct store *, struct args *);
	unsigned allowed;
	if (!strcmp(sub, "daily"))
		run = run_daily, allowed = 1u << O_DATE | 1u << O_CUTOFF |
					   1u << O_CSV | 1u << O_XLSX;
	else if (!strcmp(sub, "series"))
		run = run_series, allowed = 1u << O_FROM | 1u << O_TO |
					    1u << O_CUTOFF | 1u << O_CSV;
	else if (!strcmp(sub, "curve"))
		run = run_curve, allowed = 1u << O_FROM | 1u << O_TO |
					   1u << O_CSV;
	else
		return cli_fail(CD_EUSAGE, "no report '%s': daily, series or "
				"curve", sub);
	int rc = inputs(&a, allowed);
	struct store *st;
	if (rc || (rc = cli_open(a.arg[O_DB], 0, &st)))
		return rc;
	if (!(rc = pick_unit(st, &a)))
		rc = run(st, &a);
	store_close(st);
	return rc;
}
