/* import_rows.c — header mapping and error reporting for CSV imports. */
#include "app/import_rows.h"

#include <stdio.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

void import_rows_init(struct import_rows *r, const struct import_layout *l,
		      const struct import_opts *o, struct import_result *res)
{
	memset(r, 0, sizeof *r);
	r->layout = l;
	r->o = o;
	r->res = res;
	for (int i = 0; i < IMPORT_MAX_COLS; i++)
		r->map[i] = -1;
}

/* Count one error and pass it on; CD_ETOOBIG at the limit. */
static enum cd_code report(struct import_rows *r, const char *msg)
{
	r->res->errors++;
	r->row_errors++;
	if (r->o->report)
		r->o->report(r->o->report_ctx, msg);
	return r->res->errors >= r->o->max_errors ? CD_ETOOBIG : CD_OK;
}

const char *import_rows_get(const struct import_rows *r, int col)
{
	return r->map[col] >= 0 ? r->f[r->map[col]] : "";
}

enum cd_code import_rows_field_error(struct import_rows *r, int col,
				     const char *reason)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v = import_rows_get(r, col);
	strbuf_addf(&sb, "%s:%ld: field '%s' value '", r->o->name, r->line,
		    r->layout->cols[col].name);
	strbuf_add_quoted(&sb, v, strlen(v), 80);
	strbuf_addf(&sb, "': %s", reason);
	enum cd_code rc = report(r, sb.buf);
	strbuf_release(&sb);
	return rc;
}

enum cd_code import_rows_line_error(struct import_rows *r,
				    const char *reason)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s:%ld: %s", r->o->name, r->line, reason);
	enum cd_code rc = report(r, sb.buf);
	strbuf_release(&sb);
	return rc;
}

static int column_of(const struct import_layout *l, const char *name)
{
	for (int i = 0; i < IMPORT_MAX_COLS && l->cols[i].name; i++)
		if (strcmp(name, l->cols[i].name) == 0)
			return i;
	return -1;
}

static enum cd_code header(struct import_rows *r, char *const *f, size_t n)
{
	const struct import_layout *l = r->layout;
	struct strbuf sb = STRBUF_INIT;
	enum cd_code rc = CD_OK;
	for (size_t j = 0; j < n && !rc; j++) {
		int i = column_of(l, f[j]);
		strbuf_reset(&sb);
		if (i < 0) {
			strbuf_addf(&sb, "unknown column '");
			strbuf_add_quoted(&sb, f[j], strlen(f[j]), 40);
			strbuf_addf(&sb, "'; %s files have columns %s",
				    l->name, l->columns);
			rc = import_rows_line_error(r, sb.buf);
		} else if (r->map[i] >= 0) {
			strbuf_addf(&sb, "column '%s' appears twice", f[j]);
			rc = import_rows_line_error(r, sb.buf);
		} else {
			r->map[i] = (int)j;
		}
	}
	for (int i = 0; i < IMPORT_MAX_COLS && l->cols[i].name && !rc; i++) {
		if (l->cols[i].required && r->map[i] < 0) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "missing column '%s'; %s files have "
				    "columns %s", l->cols[i].name, l->name,
				    l->columns);
			rc = import_rows_line_error(r, sb.buf);
		}
	}
	strbuf_release(&sb);
	r->nhead = n;
	r->have_header = 1;
	/* A bad header makes every row meaningless: stop here. */
	return rc ? rc : r->row_errors ? CD_ETOOBIG : CD_OK;
}

enum cd_code import_rows_take(struct import_rows *r, long line,
			      char *const *f, size_t n, int *ready)
{
	*ready = 0;
	r->line = line;
	r->row_errors = 0;
	if (!r->have_header)
		return header(r, f, n);
	if (n != r->nhead) {
		char msg[96];
		snprintf(msg, sizeof msg, "expected %zu fields, found %zu",
			 r->nhead, n);
		return import_rows_line_error(r, msg);
	}
	r->res->rows++;
	r->f = f;
	for (int i = 0; i < IMPORT_MAX_COLS && r->layout->cols[i].name; i++) {
		const char *v = import_rows_get(r, i);
		size_t bad = utf8_invalid_at(v, strlen(v));
		if (bad != (size_t)-1) {
			char msg[64];
			snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu",
				 bad + 1);
			enum cd_code rc = import_rows_field_error(r, i, msg);
			if (rc)
				return rc;
		}
	}
	*ready = r->row_errors == 0;
	return CD_OK;
}

enum cd_code import_rows_finish(struct import_rows *r, enum cd_code read_rc,
				struct cd_err *err)
{
	struct import_result *res = r->res;
	if (read_rc == CD_EINVAL || (read_rc == CD_ETOOBIG && !res->errors)) {
		/* Malformed CSV: the reader's message is one more error. */
		report(r, err->msg);
	} else if (read_rc && read_rc != CD_ETOOBIG) {
		return read_rc; /* I/O or store failure: not a row error */
	}
	if (!r->have_header && !res->errors) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s: empty file; expected a header "
			 "row: %s", r->o->name, r->layout->columns);
		report(r, msg);
	}
	if (!res->errors)
		return CD_OK;
	return cd_err_set(err, CD_EINVAL,
			  "%s: %ld error%s%s; nothing was imported",
			  r->o->name, res->errors, res->errors == 1 ? "" : "s",
			  res->errors >= r->o->max_errors
				  ? " (stopped at the limit)" : "");
}
