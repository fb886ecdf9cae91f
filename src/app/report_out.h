/* report_out.h — the daily report, series and curve as files a county
 * office sends: CSV (UTF-8 with a byte-order mark, Chinese headings,
 * libcsv's quoting) and XLSX (libxlsxwriter: title, date, cutoff, unit,
 * a table under grouped Chinese headings, a totals row). docs/reports.md
 * shows the layouts. */
#ifndef CORDON_REPORT_OUT_H
#define CORDON_REPORT_OUT_H

#include <stdio.h>

#include "app/report.h"

/* CSV to f: one line per child unit and a totals line (合计), each with
 * the date, cutoff and unit before the figures. CD_EIO on a write
 * error. */
enum cd_code report_csv_daily(FILE *f, const struct report_daily *r,
			      struct cd_err *err);
/* CSV to f: one line per day with the unit's totals. */
enum cd_code report_csv_series(FILE *f, const struct report_series *s,
			       struct cd_err *err);
/* CSV to f: date, then confirmed and asymptomatic by onset and by
 * report date. */
enum cd_code report_csv_curve(FILE *f, const struct report_curve *c,
			      struct cd_err *err);

/* The daily report as an XLSX workbook at path (replaced). CD_EIO naming
 * the file when it cannot be written. */
enum cd_code report_xlsx_daily(const char *path, const struct report_daily *r,
			       struct cd_err *err);

/* The same outputs in memory, for the HTTP API: *buf (the caller frees)
 * of *len bytes. kind is "csv" or "xlsx" for a daily report. */
enum cd_code report_daily_bytes(const struct report_daily *r, const char *kind,
				char **buf, size_t *len, struct cd_err *err);
enum cd_code report_series_csv_bytes(const struct report_series *s,
				     char **buf, size_t *len,
				     struct cd_err *err);
enum cd_code report_curve_csv_bytes(const struct report_curve *c, char **buf,
				    size_t *len, struct cd_err *err);

#endif
