/* report.c — the daily report, series and curve, and their JSON
 * (report.h). */
#include "app/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* ---- windows, cutoffs, rates */

void report_window(int32_t day, int cutoff, struct report_window *w)
{
	w->day = day;
	w->cutoff = cutoff;
	w->to = (int64_t)day * 86400 + (int64_t)cutoff * 60 - CD_CST_OFFSET;
	w->from = w->to - 86400;
}

bool report_cutoff_parse(const char *s, int *minutes)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'),
	    m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m))
		return false;
	*minutes = h * 60 + m;
	return true;
}

void report_cutoff_format(int minutes, char *buf, size_t len)
{
	unsigned m = minutes < 0 ? 0u : minutes > 1440 ? 1440u
						     : (unsigned)minutes;
	snprintf(buf, len, "%02u:%02u", (m / 60) % 100, m % 60);
}

long report_rate(long num, long den)
{
	if (den <= 0)
		return -1;
	/* Hundredths of a percent, rounded half up, in integers. */
	return (2 * num * 10000 + den) / (2 * den);
}

enum cd_code report_range_check(int32_t from, int32_t to, struct cd_err *err)
{
	if (to < from)
		return cd_err_set(err, CD_EINVAL, "'to' must not be before "
				  "'from'");
	if (to - from + 1 > REPORT_DAYS_MAX)
		return cd_err_set(err, CD_EINVAL, "'to' must be within %d "
				  "days of 'from' (%ld asked)", REPORT_DAYS_MAX,
				  (long)(to - from + 1));
	return CD_OK;
}

enum cd_code report_default_unit(struct store *st, char *code,
				 struct cd_err *err)
{
	long n = 0;
	enum cd_code rc = store_report_county(st, code, &n, err);
	if (rc)
		return rc;
	if (n != 1)
		return cd_err_set(err, CD_EINVAL, "the database holds %ld "
				  "counties: name the unit to report on", n);
	return CD_OK;
}

/* ---- the columns */

#define COL(path, g, zh, en) { path, g, zh, en, true }
#define NONADD(path, g, zh, en) { path, g, zh, en, false }
const struct report_col report_cols[] = {
	COL("confirmed.new", "确诊病例", "新增确诊", "new confirmed"),
	COL("confirmed.new_local", "确诊病例", "新增本土确诊", "new local"),
	COL("confirmed.new_imported", "确诊病例", "新增境外输入确诊",
	    "new imported"),
	COL("confirmed.new_from_asymptomatic", "确诊病例", "新增无症状转确诊",
	    "new from asymptomatic"),
	COL("confirmed.cumulative", "确诊病例", "累计确诊",
	    "cumulative confirmed"),
	COL("confirmed.cumulative_local", "确诊病例", "累计本土确诊",
	    "cumulative local"),
	COL("confirmed.cumulative_imported", "确诊病例", "累计境外输入确诊",
	    "cumulative imported"),
	COL("asymptomatic.new", "无症状感染者", "新增无症状",
	    "new asymptomatic"),
	COL("asymptomatic.new_local", "无症状感染者", "新增本土无症状",
	    "new local"),
	COL("asymptomatic.new_imported", "无症状感染者", "新增境外输入无症状",
	    "new imported"),
	COL("asymptomatic.converted", "无症状感染者", "当日转确诊",
	    "converted"),
	COL("asymptomatic.released", "无症状感染者", "当日解除医学观察",
	    "released"),
	COL("asymptomatic.under_observation", "无症状感染者", "尚在医学观察",
	    "under observation"),
	COL("asymptomatic.cumulative", "无症状感染者", "累计无症状",
	    "cumulative asymptomatic"),
	COL("cured.new", "治愈出院", "新增治愈", "new cured"),
	COL("cured.cumulative", "治愈出院", "累计治愈", "cumulative cured"),
	COL("deaths.new", "死亡", "新增死亡", "new deaths"),
	COL("deaths.cumulative", "死亡", "累计死亡", "cumulative deaths"),
	COL("current", "现有确诊", "现有确诊", "current cases"),
	NONADD("cure_rate", "治愈率", "治愈率(%)", "cure rate (%)"),
	NONADD("fatality_rate", "病死率", "病死率(%)", "fatality rate (%)"),
	COL("suspected.current", "疑似病例", "现有疑似", "current suspected"),
	COL("contacts.close_new", "密切接触者", "新增密接", "new close"),
	COL("contacts.secondary_new", "密切接触者", "新增次密接",
	    "new secondary"),
	COL("contacts.close_cumulative", "密切接触者", "累计密接",
	    "cumulative close"),
	COL("contacts.secondary_cumulative", "密切接触者", "累计次密接",
	    "cumulative secondary"),
	COL("contacts.central", "密切接触者", "集中隔离", "central quarantine"),
	COL("contacts.home", "密切接触者", "居家隔离", "home quarantine"),
	COL("contacts.released_new", "密切接触者", "新增解除隔离",
	    "new released"),
	COL("contacts.released_cumulative", "密切接触者", "累计解除隔离",
	    "cumulative released"),
	COL("testing.sampled_new", "核酸检测", "新增采样人数", "people sampled"),
	NONADD("testing.tubes_new", "核酸检测", "新增采样管数", "tubes"),
	NONADD("testing.pools_positive_new", "核酸检测", "新增阳性混管",
	       "positive pools"),
	NONADD("testing.round_coverage", "核酸检测", "轮次覆盖率(%)",
	       "round coverage (%)"),
	NONADD("zones.sealed", "风险区域", "封控区", "sealed zones"),
	NONADD("zones.controlled", "风险区域", "管控区", "controlled zones"),
	NONADD("zones.precaution", "风险区域", "防范区", "precaution zones"),
	NONADD("zones.lifted", "风险区域", "已解封", "lifted zones"),
	COL("quarantine.sites", "集中隔离点", "隔离点", "sites"),
	COL("quarantine.rooms", "集中隔离点", "房间", "rooms"),
	COL("quarantine.capacity", "集中隔离点", "床位", "capacity"),
	COL("quarantine.occupied", "集中隔离点", "在住", "occupied"),
	NONADD("quarantine.occupancy", "集中隔离点", "使用率(%)",
	       "occupancy (%)"),
};
const size_t report_ncols = sizeof report_cols / sizeof report_cols[0];

struct vals {
	struct report_val *v;
	size_t i;
};

static void num(struct vals *o, long v)
{
	o->v[o->i++] = (struct report_val){ v, false, false };
}

static void pct(struct vals *o, long hundredths)
{
	o->v[o->i++] = (struct report_val){ hundredths, true, hundredths < 0 };
}

void report_values(const struct store_report_counts *c,
		   struct report_val *out)
{
	struct vals o = { out, 0 };
	long conf = c->conf_cum[0] + c->conf_cum[1];
	num(&o, c->conf_new[0] + c->conf_new[1]);
	num(&o, c->conf_new[0]);
	num(&o, c->conf_new[1]);
	num(&o, c->converted);
	num(&o, conf);
	num(&o, c->conf_cum[0]);
	num(&o, c->conf_cum[1]);
	num(&o, c->asym_new[0] + c->asym_new[1]);
	num(&o, c->asym_new[0]);
	num(&o, c->asym_new[1]);
	num(&o, c->converted);
	num(&o, c->asym_released);
	num(&o, c->asym_observed);
	num(&o, c->asym_cum);
	num(&o, c->cured_new);
	num(&o, c->cured_cum);
	num(&o, c->died_new);
	num(&o, c->died_cum);
	num(&o, conf - c->cured_cum - c->died_cum);
	pct(&o, report_rate(c->cured_cum, conf));
	pct(&o, report_rate(c->died_cum, conf));
	num(&o, c->suspected);
	const long contacts[] = { c->close_new, c->secondary_new,
				  c->close_cum, c->secondary_cum, c->central,
				  c->home, c->released_new, c->released_cum,
				  c->sampled_new, c->tubes_new,
				  c->pools_positive_new };
	for (size_t i = 0; i < sizeof contacts / sizeof contacts[0]; i++)
		num(&o, contacts[i]);
	pct(&o, c->has_round ? report_rate(c->round_sampled,
					   c->round_expected)
			     : -1);
	num(&o, c->zones[3]);
	num(&o, c->zones[2]);
	num(&o, c->zones[1]);
	num(&o, c->zones[0]);
	num(&o, c->sites);
	num(&o, c->rooms);
	num(&o, c->capacity);
	num(&o, c->occupied);
	pct(&o, report_rate(c->occupied, c->capacity));
}

/* ---- building */

enum cd_code report_daily(struct store *st, const char *unit, int32_t day,
			  int cutoff, struct report_daily *out,
			  struct cd_err *err)
{
	memset(out, 0, sizeof *out);
	report_window(day, cutoff, &out->w);
	enum cd_code rc = store_report_open(st, unit, true, &out->unit,
					    &out->rows, &out->nrows, err);
	if (!rc) {
		out->figs = xcalloc(out->nrows + 1, sizeof *out->figs);
		rc = store_report_day(st, day, out->w.from, out->w.to,
				      out->figs, out->nrows, err);
	}
	store_report_close(st);
	return rc;
}

void report_daily_release(struct report_daily *r)
{
	free(r->rows);
	free(r->figs);
	memset(r, 0, sizeof *r);
}

enum cd_code report_series(struct store *st, const char *unit, int32_t from,
			   int32_t to, int cutoff, struct report_series *out,
			   struct cd_err *err)
{
	struct store_report_unit *kids = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	out->cutoff = cutoff;
	out->from = from;
	out->to = to;
	enum cd_code rc = report_range_check(from, to, err);
	if (rc)
		return rc;
	rc = store_report_open(st, unit, false, &out->unit, &kids, &n, err);
	free(kids);
	if (!rc)
		out->days = xcalloc((size_t)(to - from + 1),
				    sizeof *out->days);
	for (int32_t d = from; !rc && d <= to; d++) {
		struct report_window w;
		report_window(d, cutoff, &w);
		rc = store_report_day(st, d, w.from, w.to,
				      &out->days[d - from], 0, err);
	}
	store_report_close(st);
	return rc;
}

void report_series_release(struct report_series *s)
{
	free(s->days);
	memset(s, 0, sizeof *s);
}

enum cd_code report_curve(struct store *st, const char *unit, int32_t from,
			  int32_t to, struct report_curve *out,
			  struct cd_err *err)
{
	struct store_report_unit *kids = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	enum cd_code rc = report_range_check(from, to, err);
	if (rc)
		return rc;
	size_t days = (size_t)(to - from + 1);
	out->c.onset_conf = xcalloc(days, sizeof(long));
	out->c.onset_asym = xcalloc(days, sizeof(long));
	out->c.report_conf = xcalloc(days, sizeof(long));
	out->c.report_asym = xcalloc(days, sizeof(long));
	rc = store_report_open(st, unit, false, &out->unit, &kids, &n, err);
	free(kids);
	if (!rc)
		rc = store_report_curve(st, from, to, &out->c, err);
	store_report_close(st);
	return rc;
}

void report_curve_release(struct report_curve *c)
{
	free(c->c.onset_conf);
	free(c->c.onset_asym);
	free(c->c.report_conf);
	free(c->c.report_asym);
	memset(c, 0, sizeof *c);
}

/* ---- JSON */

json_t *report_unit_json(const struct store_report_unit *u)
{
	return json_pack("{s:s, s:s, s:i}", "code", u->code, "name", u->name,
			 "level", u->level);
}

static json_t *val_json(const struct report_val *v)
{
	if (v->null)
		return json_null();
	return v->pct ? json_real((double)v->v / 100.0) : json_integer(v->v);
}

/* Set the figure at a dotted path ("a.b") of o. */
static void put(json_t *o, const char *path, json_t *v)
{
	const char *dot = strchr(path, '.');
	if (!dot) {
		json_object_set_new(o, path, v);
		return;
	}
	char group[32];
	snprintf(group, sizeof group, "%.*s", (int)(dot - path), path);
	json_t *g = json_object_get(o, group);
	if (!g) {
		g = json_object();
		json_object_set_new(o, group, g);
	}
	json_object_set_new(g, dot + 1, v);
}

static void figs_into(json_t *o, const struct store_report_counts *c)
{
	struct report_val *v = xcalloc(report_ncols, sizeof *v);
	report_values(c, v);
	for (size_t i = 0; i < report_ncols; i++)
		put(o, report_cols[i].path, val_json(&v[i]));
	free(v);
}

json_t *report_fig_json(const struct store_report_counts *c)
{
	json_t *o = json_object();
	figs_into(o, c);
	return o;
}

static json_t *iso(int64_t t)
{
	char buf[32];
	instant_format_iso(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *day_json(int32_t day)
{
	char buf[16];
	date_format(day, buf, sizeof buf);
	return json_string(buf);
}

static json_t *cutoff_json(int cutoff)
{
	char buf[8];
	report_cutoff_format(cutoff, buf, sizeof buf);
	return json_string(buf);
}

json_t *report_daily_json(const struct report_daily *r)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < r->nrows; i++) {
		json_t *row = json_pack("{s:o}", "unit",
					report_unit_json(&r->rows[i]));
		figs_into(row, &r->figs[i]);
		json_array_append_new(rows, row);
	}
	return json_pack("{s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:o}", "date",
			 day_json(r->w.day), "cutoff", cutoff_json(r->w.cutoff),
			 "window", "from", iso(r->w.from), "to", iso(r->w.to),
			 "unit", report_unit_json(&r->unit), "totals",
			 report_fig_json(&r->figs[r->nrows]), "rows", rows);
}

json_t *report_series_json(const struct report_series *s)
{
	json_t *days = json_array();
	for (int32_t d = s->from; s->days && d <= s->to; d++) {
		json_t *o = json_pack("{s:o}", "date", day_json(d));
		figs_into(o, &s->days[d - s->from]);
		json_array_append_new(days, o);
	}
	return json_pack("{s:o, s:o, s:o}", "unit", report_unit_json(&s->unit),
			 "cutoff", cutoff_json(s->cutoff), "days", days);
}

static json_t *curve_json(int32_t from, int32_t to, const long *conf,
			  const long *asym)
{
	json_t *a = json_array();
	for (int32_t d = from; d <= to; d++)
		json_array_append_new(a, json_pack("{s:o, s:I, s:I}", "date",
						   day_json(d), "confirmed",
						   (json_int_t)conf[d - from],
						   "asymptomatic",
						   (json_int_t)asym[d - from]));
	return a;
}

json_t *report_curve_json(const struct report_curve *c)
{
	return json_pack("{s:o, s:o, s:o}", "unit", report_unit_json(&c->unit),
			 "by_onset", curve_json(c->from, c->to,
						 c->c.onset_conf,
						 c->c.onset_asym),
			 "by_report", curve_json(c->from, c->to,
						  c->c.report_conf,
						  c->c.report_asym));
}
