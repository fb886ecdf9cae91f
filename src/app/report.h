/* report.h — the daily report (日报) of a unit with a row per child unit,
 * the time series of its figures and the epidemic curve, from the counts
 * of store/store_report.h; their JSON (the CLI's --json and the API's
 * replies are the same). docs/reports.md defines every figure. */
#ifndef CORDON_REPORT_H
#define CORDON_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "store/store_report.h"

#define REPORT_CUTOFF_DEFAULT (24 * 60)   /* minutes: 24:00 */
#define REPORT_DAYS_MAX 366               /* a series or curve */

/* The reporting day `day` at cutoff HH:MM (minutes after midnight CST,
 * 0..1440) is the window (day - 1 at HH:MM, day at HH:MM]. */
struct report_window {
	int32_t day;
	int cutoff;
	int64_t from, to;       /* Unix seconds: from excluded, to included */
};
void report_window(int32_t day, int cutoff, struct report_window *w);
/* Parse "HH:MM" (00:00 to 24:00) into minutes; false when malformed or
 * out of range. */
bool report_cutoff_parse(const char *s, int *minutes);
/* "HH:MM" into buf (at least 6 bytes). */
void report_cutoff_format(int minutes, char *buf, size_t len);
/* num / den as a percentage in hundredths rounded half up (9871 for
 * 98.71 %); -1 when den is 0. */
long report_rate(long num, long den);
/* The days from..to: CD_EINVAL (naming "to") when to is before from or
 * the range is longer than REPORT_DAYS_MAX. */
enum cd_code report_range_check(int32_t from, int32_t to, struct cd_err *err);
/* The unit to report on when none is given: the county, when the
 * database holds exactly one (into code, UNIT_CODE_MAX bytes); CD_EINVAL
 * asking for one otherwise. */
enum cd_code report_default_unit(struct store *st, char *code,
				 struct cd_err *err);

/* One figure of the report: a count, or a percentage in hundredths, or
 * none (a rate over nothing). */
struct report_val {
	long v;
	bool pct, null;
};
/* A column of the report: the JSON path of its figure, its group and
 * its headings. Additive columns of child rows sum to the totals. */
struct report_col {
	const char *path;        /* "confirmed.new" */
	const char *group_zh, *zh, *en;
	bool additive;
};
extern const struct report_col report_cols[];
extern const size_t report_ncols;
/* The figures of c in the order of report_cols (report_ncols values). */
void report_values(const struct store_report_counts *c,
		   struct report_val *out);

/* A daily report: rows[i] with figs[i]; figs[nrows] the totals. */
struct report_daily {
	struct report_window w;
	struct store_report_unit unit;
	struct store_report_unit *rows;
	size_t nrows;
	struct store_report_counts *figs;
};
/* The daily report of unit on day at cutoff. CD_ENOTFOUND for an
 * unknown unit. Release with report_daily_release (also after an
 * error). */
enum cd_code report_daily(struct store *st, const char *unit, int32_t day,
			  int cutoff, struct report_daily *out,
			  struct cd_err *err);
void report_daily_release(struct report_daily *r);

/* The totals of unit for every day from..to (range checked first). */
struct report_series {
	struct store_report_unit unit;
	int cutoff;
	int32_t from, to;
	struct store_report_counts *days;   /* to - from + 1 */
};
enum cd_code report_series(struct store *st, const char *unit, int32_t from,
			   int32_t to, int cutoff, struct report_series *out,
			   struct cd_err *err);
void report_series_release(struct report_series *s);

/* The epidemic curve of unit over from..to. */
struct report_curve {
	struct store_report_unit unit;
	int32_t from, to;
	struct store_report_curve c;       /* to - from + 1 days each */
};
enum cd_code report_curve(struct store *st, const char *unit, int32_t from,
			  int32_t to, struct report_curve *out,
			  struct cd_err *err);
void report_curve_release(struct report_curve *c);

/* The replies (docs/reports.md); new references. */
json_t *report_unit_json(const struct store_report_unit *u);
json_t *report_fig_json(const struct store_report_counts *c);
json_t *report_daily_json(const struct report_daily *r);
json_t *report_series_json(const struct report_series *s);
json_t *report_curve_json(const struct report_curve *c);

#endif
