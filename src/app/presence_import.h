/* presence_import.h — importing presence data (scans, trips, cells,
 * proximity) into the presence segments, all or nothing, idempotent. */
#ifndef CORDON_PRESENCE_IMPORT_H
#define CORDON_PRESENCE_IMPORT_H

#include <stdio.h>

#include "app/import.h"
#include "app/import_rows.h"

/* The columns of a presence kind (IMPORT_SCANS .. IMPORT_PROXIMITY). */
const struct import_layout *presence_layout(enum import_kind k);
/* Read the CSV, resolve people, venues, phones and trips through the
 * registry, merge with the rows already held, drop duplicates, and replace
 * the source's segment atomically. res->inserted counts new rows (records
 * for proximity), res->unchanged the rest. Same error rules as
 * import_stream. */
enum cd_code presence_import(struct store *st, FILE *in,
			     const struct import_opts *o,
			     struct import_result *res, struct cd_err *err);

/* Fold the checkpoint passes not yet in the scans segment into it (a pass
 * is a presence at the checkpoint, its dwell the checkpoint kind's). Runs
 * when a trace session opens and after a scans import. */
enum cd_code presence_merge_passes(struct store *st, struct cd_err *err);

#endif
