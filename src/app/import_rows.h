/* import_rows.h — reading an import CSV row by row: the header mapped to
 * a kind's columns, field count and UTF-8 checked, and every error
 * reported as "FILE:LINE: field 'x' value 'y': reason" up to a limit.
 * Shared by the registry and presence importers. */
#ifndef CORDON_IMPORT_ROWS_H
#define CORDON_IMPORT_ROWS_H

#include <stddef.h>

#include "app/import.h"

#define IMPORT_MAX_COLS 8

struct import_column {
	const char *name;
	int required;
};

struct import_layout {
	const char *name;    /* "persons" */
	const char *columns; /* "resident_id,name,..." for messages */
	struct import_column cols[IMPORT_MAX_COLS];
};

struct import_rows {
	const struct import_layout *layout;
	const struct import_opts *o;
	struct import_result *res;
	int have_header;
	size_t nhead;
	int map[IMPORT_MAX_COLS]; /* column → header position, -1 if absent */
	long line;
	char *const *f;
	long row_errors;          /* errors on the current row */
};

void import_rows_init(struct import_rows *r, const struct import_layout *l,
		      const struct import_opts *o, struct import_result *res);
/* Take one CSV record. The first is the header; later ones are checked
 * (field count, UTF-8) and counted. *ready is set when the row is a data
 * row without errors, for the kind's own checks. Returns CD_ETOOBIG once
 * the error limit is reached (stop reading), else CD_OK. */
enum cd_code import_rows_take(struct import_rows *r, long line,
			      char *const *f, size_t n, int *ready);
/* A column's value in the current row ("" when the column is absent). */
const char *import_rows_get(const struct import_rows *r, int col);
/* Report an error on a field, or on the line, of the current row. */
enum cd_code import_rows_field_error(struct import_rows *r, int col,
				     const char *reason);
enum cd_code import_rows_line_error(struct import_rows *r,
				    const char *reason);
/* After the read: fold the reader's own error (malformed CSV) and an
 * empty file into the count, and turn errors into the final CD_EINVAL
 * "FILE: N errors; nothing was imported". read_rc is what csvread
 * returned; returns CD_OK when the file was clean. */
enum cd_code import_rows_finish(struct import_rows *r, enum cd_code read_rc,
				struct cd_err *err);

#endif
