/* h_reports.c — the daily report (日报), the series of its figures and
 * the epidemic curve (app/report.h; docs/reports.md), as JSON or as a
 * CSV or XLSX download. The unit asked for must lie in the user's
 * jurisdiction (403 otherwise); what comes back are counts, no person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/report.h"
#include "app/report_out.h"
#include "lib/date.h"
#include "lib/banned.h"

#define Q_UNIT                                                            \
	{ "unit", T_STRING, 0, KEY_NONE, 40,                              \
	  "the unit reported on, with a row per unit below it (default: "  \
	  "my unit, or the county when I see the whole database and it "  \
	  "holds one)" }
#define Q_CUTOFF                                                          \
	{ "cutoff", T_STRING, 0, KEY_NONE, 5,                             \
	  "the day D runs from D-1 at HH:MM to D at HH:MM, China time "    \
	  "(default 24:00)" }
#define Q_RANGE                                                           \
	{ "from", T_DATE, F_REQUIRED, KEY_NONE, 10, "the first day" },    \
	{ "to", T_DATE, F_REQUIRED, KEY_NONE, 10,                         \
	  "the last day (at most 366 days in all)" }

const struct api_field api_report_daily_query[] = {
	{ "date", T_DATE, 0, KEY_NONE, 10,
	  "the reporting day (default: today, China time)" },
	Q_UNIT,
	Q_CUTOFF,
	{ "format", T_STRING, 0, KEY_NONE, 8,
	  "json (default), csv (UTF-8 with a byte-order mark) or xlsx: a "
	  "download" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_report_series_query[] = {
	Q_RANGE,
	Q_UNIT,
	Q_CUTOFF,
	{ "format", T_STRING, 0, KEY_NONE, 8, "json (default) or csv" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_report_curve_query[] = {
	Q_RANGE,
	Q_UNIT,
	{ "format", T_STRING, 0, KEY_NONE, 8, "json (default) or csv" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* The unit: asked for (checked by the dispatcher: API_UNIT), else the
 * user's, else the only county. */
static enum cd_code pick_unit(struct api_req *r, char *code,
			      struct cd_err *err)
{
	if (r->unit) {
		snprintf(code, UNIT_CODE_MAX, "%s", r->unit);
		return CD_OK;
	}
	return api_about(r, "unit", report_default_unit(r->st, code, err));
}

static enum cd_code cutoff(struct api_req *r, int *minutes,
			   struct cd_err *err)
{
	const char *s = api_query(r, "cutoff");
	*minutes = REPORT_CUTOFF_DEFAULT;
	if (s && !report_cutoff_parse(s, minutes))
		return api_bad(r, err, "cutoff", "'cutoff' must be a time of "
			       "day HH:MM from 00:00 to 24:00, not '%s'", s);
	return CD_OK;
}

/* The format asked for: 0 json, 1 csv, 2 xlsx (when xlsx is allowed). */
static enum cd_code format(struct api_req *r, bool xlsx, int *out,
			   struct cd_err *err)
{
	const char *s = api_query(r, "format");
	*out = 0;
	if (!s || !strcmp(s, "json"))
		return CD_OK;
	if (!strcmp(s, "csv"))
		return *out = 1, CD_OK;
	if (xlsx && !strcmp(s, "xlsx"))
		return *out = 2, CD_OK;
	return api_bad(r, err, "format", "'format' must be json, csv%s, not "
		       "'%s'", xlsx ? " or xlsx" : "", s);
}

static enum cd_code range(struct api_req *r, int32_t *from, int32_t *to,
			  struct cd_err *err)
{
	/* The dispatcher has checked both are dates. */
	date_parse(api_query(r, "from"), from);
	date_parse(api_query(r, "to"), to);
	return api_about(r, "to", report_range_check(*from, *to, err));
}

/* Hand bytes to the dispatcher as a download named NAME.EXT. */
static void download(struct api_req *r, char *buf, size_t len, int fmt,
		     const char *name)
{
	r->download = buf;
	r->download_len = len;
	r->download_type = fmt == 2 ? "application/vnd.openxmlformats-"
				      "officedocument.spreadsheetml.sheet"
				    : "text/csv; charset=utf-8";
	snprintf(r->download_name, sizeof r->download_name, "%s.%s", name,
		 fmt == 2 ? "xlsx" : "csv");
}

/* Send buf, the CSV of days from..to of unit, as KIND-UNIT-FROM-TO.csv;
 * rc the result of making it (returned as it is when an error). */
static enum cd_code range_csv(struct api_req *r, const char *kind,
			      const char *unit, int32_t from, int32_t to,
			      enum cd_code rc, char *buf, size_t len)
{
	char name[80], a[16], b[16];
	if (rc)
		return rc;
	date_format(from, a, sizeof a);
	date_format(to, b, sizeof b);
	snprintf(name, sizeof name, "%s-%s-%s-%s", kind, unit, a, b);
	download(r, buf, len, 1, name);
	return CD_OK;
}

enum cd_code api_h_report_daily(struct api_req *r, json_t **out,
				struct cd_err *err)
{
	char unit[UNIT_CODE_MAX], name[80], day[16];
	int cut, fmt;
	enum cd_code rc;
	if ((rc = pick_unit(r, unit, err)) || (rc = cutoff(r, &cut, err)) ||
	    (rc = format(r, true, &fmt, err)))
		return rc;
	struct report_daily rep;
	int32_t d = api_query_day(r, "date");
	rc = report_daily(r->st, unit, d, cut, &rep, err);
	if (!rc && !fmt)
		*out = report_daily_json(&rep);
	if (!rc && fmt) {
		char *buf = NULL;
		size_t len = 0;
		rc = report_daily_bytes(&rep, fmt == 2 ? "xlsx" : "csv", &buf,
					&len, err);
		date_format(d, day, sizeof day);
		snprintf(name, sizeof name, "daily-%s-%s", unit, day);
		if (!rc)
			download(r, buf, len, fmt, name);
	}
	report_daily_release(&rep);
	return rc;
}

enum cd_code api_h_report_series(struct api_req *r, json_t **out,
				 struct cd_err *err)
{
	char unit[UNIT_CODE_MAX];
	int cut, fmt;
	int32_t from, to;
	enum cd_code rc;
	if ((rc = pick_unit(r, unit, err)) || (rc = cutoff(r, &cut, err)) ||
	    (rc = format(r, false, &fmt, err)) ||
	    (rc = range(r, &from, &to, err)))
		return rc;
	struct report_series s;
	rc = report_series(r->st, unit, from, to, cut, &s, err);
	if (!rc && !fmt)
		*out = report_series_json(&s);
	if (!rc && fmt) {
		char *buf = NULL;
		size_t len = 0;
		rc = report_series_csv_bytes(&s, &buf, &len, err);
		rc = range_csv(r, "series", unit, from, to, rc, buf, len);
	}
	report_series_release(&s);
	return rc;
}

enum cd_code api_h_report_curve(struct api_req *r, json_t **out,
				struct cd_err *err)
{
	char unit[UNIT_CODE_MAX];
	int fmt;
	int32_t from, to;
	enum cd_code rc;
	if ((rc = pick_unit(r, unit, err)) ||
	    (rc = format(r, false, &fmt, err)) ||
	    (rc = range(r, &from, &to, err)))
		return rc;
	struct report_curve c;
	rc = report_curve(r->st, unit, from, to, &c, err);
	if (!rc && !fmt)
		*out = report_curve_json(&c);
	if (!rc && fmt) {
		char *buf = NULL;
		size_t len = 0;
		rc = report_curve_csv_bytes(&c, &buf, &len, err);
		rc = range_csv(r, "curve", unit, from, to, rc, buf, len);
	}
	report_curve_release(&c);
	return rc;
}
