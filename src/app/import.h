/* import.h — bulk import of registry CSV files, all or nothing.
 *
 * Application layer: shared by the CLI and (later) the HTTP API. Reads a
 * CSV stream, validates every row by the registry's rules, and writes it
 * through the store in one transaction. Any bad row means nothing is
 * written; every bad row (up to max_errors) is reported as
 * "FILE:LINE: field 'x' value 'y': reason". Re-importing the same file
 * changes nothing; a record whose key exists is updated. */
#ifndef CORDON_IMPORT_H
#define CORDON_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"
#include "store/store.h"

enum import_kind {
	IMPORT_UNITS,
	IMPORT_HOUSEHOLDS,
	IMPORT_PERSONS,
	IMPORT_VENUES,
	IMPORT_GRID_WORKERS,
	IMPORT_SCANS,       /* presence data, see app/presence_import.h */
	IMPORT_TRIPS,
	IMPORT_CELLS,
	IMPORT_PROXIMITY,
	IMPORT_SAMPLES,     /* pooled testing, see app/testing_import.h */
	IMPORT_RESULTS,
	IMPORT_SITES,       /* quarantine sites, see app/quarantine_import.h */
	IMPORT_KIND_COUNT
};

/* "units" → IMPORT_UNITS ...; -1 when unknown. */
int import_kind_parse(const char *s);
const char *import_kind_name(enum import_kind k);
/* The columns of a kind, comma-separated, required ones first. */
const char *import_kind_columns(enum import_kind k);

typedef void (*import_report_fn)(void *ctx, const char *message);

struct import_opts {
	enum import_kind kind;
	const char *name;     /* file name used in messages */
	int dry_run;          /* validate everything, write nothing */
	long max_errors;      /* stop after this many bad rows (>= 1) */
	int32_t today;        /* day number: birth dates after it are refused */
	int64_t now;          /* instant logged with the import */
	import_report_fn report; /* receives each row error */
	void *report_ctx;
	/* Registry kinds: a unit code whose subtree every row must lie in
	 * (an uploader's jurisdiction): units by themselves or their
	 * parent, households, persons (by household, and where they live
	 * now), venues (by unit, and where they are now) and grid workers
	 * (every hamlet, now and in the row). NULL or "": no limit. */
	const char *scope;
};

struct import_result {
	long rows, inserted, updated, unchanged, errors;
};

/* Import the CSV read from in. Returns CD_OK when every row was valid (and,
 * unless dry_run, committed); CD_EINVAL when rows were bad (each reported,
 * err says how many, nothing written); or the store's error (disk full,
 * read-only, ...) with nothing written. */
enum cd_code import_stream(struct store *st, FILE *in,
			   const struct import_opts *o,
			   struct import_result *res, struct cd_err *err);

#endif
