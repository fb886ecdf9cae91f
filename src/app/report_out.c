/* report_out.c — CSV and XLSX of the reports (report_out.h). */
#include "app/report_out.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

#define BOM "\xEF\xBB\xBF"

/* ---- CSV */

static void csv_text(FILE *f, const char *s)
{
	csv_fwrite(f, s, strlen(s));
}

static void csv_val(FILE *f, const struct report_val *v)
{
	if (v->null)
		return;
	if (v->pct)
		fprintf(f, "%ld.%02ld", v->v / 100, v->v % 100);
	else
		fprintf(f, "%ld", v->v);
}

static void csv_head(FILE *f, const char *const *first, int nfirst)
{
	fputs(BOM, f);
	for (int i = 0; i < nfirst; i++) {
		csv_text(f, first[i]);
		fputc(',', f);
	}
	for (size_t i = 0; i < report_ncols; i++) {
		csv_text(f, report_cols[i].zh);
		fputs(i + 1 < report_ncols ? "," : "\r\n", f);
	}
}

/* One line: date, cutoff, unit code and name, the figures of c. */
static void csv_line(FILE *f, int32_t day, int cutoff, const char *code,
		     const char *name, const struct store_report_counts *c,
		     struct report_val *v)
{
	char d[16], cut[8];
	date_format(day, d, sizeof d);
	report_cutoff_format(cutoff, cut, sizeof cut);
	fprintf(f, "%s,%s,", d, cut);
	csv_text(f, code);
	fputc(',', f);
	csv_text(f, name);
	report_values(c, v);
	for (size_t i = 0; i < report_ncols; i++) {
		fputc(',', f);
		csv_val(f, &v[i]);
	}
	fputs("\r\n", f);
}

static enum cd_code csv_done(FILE *f, struct cd_err *err)
{
	if (fflush(f) || ferror(f))
		return cd_err_set(err, CD_EIO, "writing the CSV: %s",
				  strerror(errno ? errno : EIO));
	return CD_OK;
}

static const char *const line_heads[] = { "日期", "截止时间", "单位代码",
					  "单位" };

enum cd_code report_csv_daily(FILE *f, const struct report_daily *r,
			      struct cd_err *err)
{
	struct report_val *v = xcalloc(report_ncols, sizeof *v);
	csv_head(f, line_heads, 4);
	for (size_t i = 0; i < r->nrows; i++)
		csv_line(f, r->w.day, r->w.cutoff, r->rows[i].code,
			 r->rows[i].name, &r->figs[i], v);
	char total[NAME_MAX_BYTES + 16];
	snprintf(total, sizeof total, "%s合计", r->unit.name);
	csv_line(f, r->w.day, r->w.cutoff, r->unit.code, total,
		 &r->figs[r->nrows], v);
	free(v);
	return csv_done(f, err);
}

enum cd_code report_csv_series(FILE *f, const struct report_series *s,
			       struct cd_err *err)
{
	struct report_val *v = xcalloc(report_ncols, sizeof *v);
	csv_head(f, line_heads, 4);
	for (int32_t d = s->from; s->days && d <= s->to; d++)
		csv_line(f, d, s->cutoff, s->unit.code, s->unit.name,
			 &s->days[d - s->from], v);
	free(v);
	return csv_done(f, err);
}

enum cd_code report_csv_curve(FILE *f, const struct report_curve *c,
			      struct cd_err *err)
{
	fputs(BOM, f);
	fputs("日期,确诊(按发病日期),无症状(按发病日期),"
	      "确诊(按报告日期),无症状(按报告日期)\r\n", f);
	for (int32_t d = c->from; d <= c->to; d++) {
		char ds[16];
		size_t i = (size_t)(d - c->from);
		date_format(d, ds, sizeof ds);
		fprintf(f, "%s,%ld,%ld,%ld,%ld\r\n", ds, c->c.onset_conf[i],
			c->c.onset_asym[i], c->c.report_conf[i],
			c->c.report_asym[i]);
	}
	return csv_done(f, err);
}

/* ---- XLSX */

struct xl {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *title, *sub, *head, *text, *num, *pct, *ttext, *tnum,
		*tpct, *note;
};

static lxw_format *fmt(struct xl *x, bool bold, bool border,
		       const char *numfmt)
{
	lxw_format *f = workbook_add_format(x->wb);
	format_set_font_name(f, "宋体");
	format_set_font_size(f, 10);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (numfmt)
		format_set_num_format(f, numfmt);
	return f;
}

static void xl_formats(struct xl *x)
{
	x->title = fmt(x, true, false, NULL);
	format_set_font_size(x->title, 16);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	x->sub = fmt(x, false, false, NULL);
	x->head = fmt(x, true, true, NULL);
	format_set_align(x->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(x->head);
	format_set_bg_color(x->head, 0xDDEBF7);
	x->text = fmt(x, false, true, NULL);
	x->num = fmt(x, false, true, "0");
	x->pct = fmt(x, false, true, "0.00");
	x->ttext = fmt(x, true, true, NULL);
	x->tnum = fmt(x, true, true, "0");
	x->tpct = fmt(x, true, true, "0.00");
	x->note = fmt(x, false, false, NULL);
	format_set_font_size(x->note, 9);
}

/* Two heading rows: the groups over their columns, then each column. */
static void xl_heads(struct xl *x, lxw_row_t row)
{
	lxw_col_t last = (lxw_col_t)(report_ncols + 1);
	worksheet_merge_range(x->ws, row, 0, row + 1, 0, "单位代码", x->head);
	worksheet_merge_range(x->ws, row, 1, row + 1, 1, "单位", x->head);
	size_t i = 0;
	while (i < report_ncols) {
		size_t j = i;
		while (j + 1 < report_ncols &&
		       !strcmp(report_cols[j + 1].group_zh,
			       report_cols[i].group_zh))
			j++;
		lxw_col_t c0 = (lxw_col_t)(i + 2), c1 = (lxw_col_t)(j + 2);
		if (c1 > c0)
			worksheet_merge_range(x->ws, row, c0, row, c1,
					      report_cols[i].group_zh, x->head);
		else if (!strcmp(report_cols[i].group_zh, report_cols[i].zh))
			worksheet_merge_range(x->ws, row, c0, row + 1, c0,
					      report_cols[i].zh, x->head);
		else
			worksheet_write_string(x->ws, row, c0,
					       report_cols[i].group_zh, x->head);
		i = j + 1;
	}
	for (i = 0; i < report_ncols; i++)
		if (strcmp(report_cols[i].group_zh, report_cols[i].zh))
			worksheet_write_string(x->ws, row + 1,
					       (lxw_col_t)(i + 2),
					       report_cols[i].zh, x->head);
	worksheet_set_row(x->ws, row + 1, 42, NULL);
	worksheet_set_column(x->ws, 0, 0, 16, NULL);
	worksheet_set_column(x->ws, 1, 1, 14, NULL);
	worksheet_set_column(x->ws, 2, last, 8.5, NULL);
}

static void xl_line(struct xl *x, lxw_row_t row,
		    const struct store_report_unit *u, const char *name,
		    const struct store_report_counts *c, struct report_val *v,
		    bool total)
{
	worksheet_write_string(x->ws, row, 0, u->code,
			       total ? x->ttext : x->text);
	worksheet_write_string(x->ws, row, 1, name, total ? x->ttext : x->text);
	report_values(c, v);
	for (size_t i = 0; i < report_ncols; i++) {
		lxw_col_t col = (lxw_col_t)(i + 2);
		lxw_format *f = v[i].pct ? (total ? x->tpct : x->pct)
					 : (total ? x->tnum : x->num);
		if (v[i].null)
			worksheet_write_blank(x->ws, row, col, f);
		else
			worksheet_write_number(x->ws, row, col,
					       v[i].pct ? (double)v[i].v / 100.0
							: (double)v[i].v,
					       f);
	}
}

static void xl_top(struct xl *x, const struct report_daily *r)
{
	char title[NAME_MAX_BYTES + 64], line[NAME_MAX_BYTES + 320];
	char day[16], cut[8], from[24], to[24];
	lxw_col_t last = (lxw_col_t)(report_ncols + 1);
	date_format(r->w.day, day, sizeof day);
	report_cutoff_format(r->w.cutoff, cut, sizeof cut);
	instant_format_cst(r->w.from, from, sizeof from);
	instant_format_cst(r->w.to, to, sizeof to);
	snprintf(title, sizeof title, "%s新冠肺炎疫情防控日报", r->unit.name);
	snprintf(line, sizeof line, "日期：%s    截止时间：%s（统计时段 %.16s 至 "
		 "%.16s，北京时间）    填报单位：%s（%s）", day, cut, from, to,
		 r->unit.name, r->unit.code);
	worksheet_merge_range(x->ws, 0, 0, 0, last, title, x->title);
	worksheet_set_row(x->ws, 0, 28, NULL);
	worksheet_merge_range(x->ws, 1, 0, 1, last, line, x->sub);
}

static enum cd_code xl_write(struct xl *x, const struct report_daily *r)
{
	struct report_val *v = xcalloc(report_ncols, sizeof *v);
	lxw_row_t row = 5;
	xl_formats(x);
	xl_top(x, r);
	xl_heads(x, 3);
	for (size_t i = 0; i < r->nrows; i++, row++)
		xl_line(x, row, &r->rows[i], r->rows[i].name, &r->figs[i], v,
			false);
	xl_line(x, row, &r->unit, "合计", &r->figs[r->nrows], v, true);
	worksheet_write_string(x->ws, row + 2, 0,
			       "说明：新增为统计时段内数据，累计为截至截止时间数据；"
			       "无症状感染者转为确诊病例的只计为确诊病例一次；"
			       "治愈率、病死率 = 累计治愈（死亡）÷ 累计确诊。"
			       "由 cordon 生成。", x->note);
	worksheet_freeze_panes(x->ws, 5, 2);
	worksheet_set_landscape(x->ws);
	worksheet_set_paper(x->ws, 9);   /* A4 */
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_repeat_rows(x->ws, 3, 4);
	free(v);
	return CD_OK;
}

enum cd_code report_xlsx_daily(const char *path, const struct report_daily *r,
			       struct cd_err *err)
{
	struct xl x;
	memset(&x, 0, sizeof x);
	x.wb = workbook_new(path);
	if (!x.wb)
		return cd_err_set(err, CD_EIO, "%s: cannot create the "
				  "workbook", path);
	x.ws = workbook_add_worksheet(x.wb, "日报");
	xl_write(&x, r);
	lxw_error e = workbook_close(x.wb);
	if (e != LXW_NO_ERROR)
		return cd_err_set(err, CD_EIO, "%s: %s", path,
				  lxw_strerror(e));
	return CD_OK;
}

/* ---- in memory */

static enum cd_code slurp(const char *path, char **buf, size_t *len,
			  struct cd_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cd_err_set(err, CD_EIO, "reading the workbook: %s",
				  strerror(errno));
	size_t cap = 65536;
	*buf = xmalloc(cap);
	*len = 0;
	size_t n;
	while ((n = fread(*buf + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len == cap)
			*buf = xrealloc(*buf, cap *= 2);
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(*buf);
		*buf = NULL;
		return cd_err_set(err, CD_EIO, "reading the workbook");
	}
	return CD_OK;
}

static enum cd_code xlsx_bytes(const struct report_daily *r, char **buf,
			       size_t *len, struct cd_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[128];
	snprintf(path, sizeof path, "%s/cordon-report.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 80 ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return cd_err_set(err, CD_EIO, "a temporary file for the "
				  "workbook: %s", strerror(errno));
	close(fd);
	enum cd_code rc = report_xlsx_daily(path, r, err);
	if (!rc)
		rc = slurp(path, buf, len, err);
	unlink(path);
	return rc;
}

typedef enum cd_code (*csv_fn)(FILE *f, const void *what,
			       struct cd_err *err);

static enum cd_code csv_bytes(csv_fn fn, const void *what, char **buf,
			      size_t *len, struct cd_err *err)
{
	*buf = NULL;
	*len = 0;
	FILE *f = open_memstream(buf, len);
	if (!f)
		return cd_err_set(err, CD_ENOMEM, "out of memory");
	enum cd_code rc = fn(f, what, err);
	if (fclose(f) && !rc)
		rc = cd_err_set(err, CD_ENOMEM, "out of memory");
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

static enum cd_code daily_csv(FILE *f, const void *r, struct cd_err *err)
{
	return report_csv_daily(f, r, err);
}

static enum cd_code series_csv(FILE *f, const void *s, struct cd_err *err)
{
	return report_csv_series(f, s, err);
}

static enum cd_code curve_csv(FILE *f, const void *c, struct cd_err *err)
{
	return report_csv_curve(f, c, err);
}

enum cd_code report_daily_bytes(const struct report_daily *r, const char *kind,
				char **buf, size_t *len, struct cd_err *err)
{
	if (!strcmp(kind, "xlsx"))
		return xlsx_bytes(r, buf, len, err);
	return csv_bytes(daily_csv, r, buf, len, err);
}

enum cd_code report_series_csv_bytes(const struct report_series *s,
				     char **buf, size_t *len,
				     struct cd_err *err)
{
	return csv_bytes(series_csv, s, buf, len, err);
}

enum cd_code report_curve_csv_bytes(const struct report_curve *c, char **buf,
				    size_t *len, struct cd_err *err)
{
	return csv_bytes(curve_csv, c, buf, len, err);
}
