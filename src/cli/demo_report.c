/* demo_report.c — the demo's daily report (日报): the first day's report
 * at the 24:00 cutoff by town, written as the XLSX a county office sends
 * up (and CSV), then the whole outbreak a day a row, from confirmation to
 * discharge. The same functions as `cordon report`. */
#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "app/report_out.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "lib/date.h"
#include "lib/banned.h"

/* path of a report file beside the database: DIR/daily-UNIT-DAY.EXT. */
static void beside(const char *db, const char *unit, const char *day,
		   const char *ext, char *out, size_t len)
{
	const char *slash = strrchr(db, '/');
	int dir = slash ? (int)(slash - db) + 1 : 0;
	snprintf(out, len, "%.*sdaily-%s-%s.%s", dir, db, unit, day, ext);
}

static enum cd_code write_csv(const char *path, const struct report_daily *r,
			      struct cd_err *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return cd_err_set(err, CD_EIO, "%s: cannot write", path);
	enum cd_code rc = report_csv_daily(f, r, err);
	if (fclose(f) && !rc)
		rc = cd_err_set(err, CD_EIO, "%s: cannot write", path);
	return rc;
}

/* See demo.h. */
int demo_report(struct store *st, const char *db, int32_t day0, int days)
{
	char unit[UNIT_CODE_MAX], day[11], xlsx[4200], csv[4200];
	struct cd_err err;
	struct report_daily r;
	struct report_series s;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	cd_err_clear(&err);
	date_format(day0, day, sizeof day);
	enum cd_code rc = report_default_unit(st, unit, &err);
	if (!rc)
		rc = report_daily(st, unit, day0, REPORT_CUTOFF_DEFAULT, &r,
				  &err);
	beside(db, unit, day, "xlsx", xlsx, sizeof xlsx);
	beside(db, unit, day, "csv", csv, sizeof csv);
	if (!rc)
		rc = report_xlsx_daily(xlsx, &r, &err);
	if (!rc)
		rc = write_csv(csv, &r, &err);
	if (!rc) {
		printf("\n== The daily report (日报) of %s as sent up at the "
		       "24:00 cutoff, by town\n", day);
		report_units_text(&r);
		printf("  sent up as %s (and %s)\n", xlsx, csv);
		rc = report_series(st, unit, day0 - 1, day0 + days,
				   REPORT_CUTOFF_DEFAULT, &s, &err);
	}
	if (!rc) {
		printf("\n== The outbreak a day a row ('cordon report series'; "
		       "the dashboard charts it)\n");
		report_series_text(&s);
	}
	report_daily_release(&r);
	report_series_release(&s);
	return rc ? cli_fail_err(&err) : 0;
}
