/* csvread.h — stream CSV records with their line numbers, in bounded memory.
 *
 * Built on libcsv in strict mode. The input is fed one physical line at a
 * time so every record knows the line it starts on. A UTF-8 byte-order mark
 * at the start is skipped and CRLF line ends are accepted (spreadsheets
 * write both); blank lines between records are skipped. Memory is bounded:
 * a physical line or a record longer than max_line bytes stops the read
 * without buffering the rest, so a 2 GB line costs 64 KiB. */
#ifndef CORDON_CSVREAD_H
#define CORDON_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

#include "lib/err.h"

#define CSVREAD_MAX_LINE 65536
#define CSVREAD_MAX_FIELDS 64

/* Called for each record. fields[i] are NUL-terminated and valid only
 * during the call. Return CD_OK to continue; any other code stops the read
 * and is returned by csvread_stream. */
typedef enum cd_code (*csvread_row_fn)(void *ctx, long line,
				       char *const *fields, size_t n);

struct csvread_opts {
	const char *name;   /* file name for messages */
	size_t max_line;    /* 0 = CSVREAD_MAX_LINE */
	char delim;         /* 0 = ',' */
};

/* Read all of `in`, calling row for each record. Returns CD_OK at the end
 * of input; CD_EINVAL with "NAME:LINE: reason" in err for malformed CSV
 * (unbalanced quotes, NUL bytes, too many fields); CD_ETOOBIG for an
 * over-long line; CD_EIO on a read error; or what row returned. */
enum cd_code csvread_stream(FILE *in, const struct csvread_opts *opts,
			    csvread_row_fn row, void *ctx, struct cd_err *err);

/* Same over a memory buffer (used by the fuzz target and HTTP uploads). */
enum cd_code csvread_buffer(const char *data, size_t len,
			    const struct csvread_opts *opts,
			    csvread_row_fn row, void *ctx, struct cd_err *err);

#endif
