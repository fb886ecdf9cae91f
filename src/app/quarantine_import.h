/* quarantine_import.h — importing quarantine sites and their rooms
 * (`cordon import sites FILE`), all or nothing, idempotent. One row per
 * room: site,site_name,unit,address,room,capacity (docs/formats.md). */
#ifndef CORDON_QUARANTINE_IMPORT_H
#define CORDON_QUARANTINE_IMPORT_H

#include <stdio.h>

#include "app/import.h"
#include "app/import_rows.h"

/* The columns of IMPORT_SITES. */
const struct import_layout *quarantine_sites_layout(void);
/* Read the CSV from in and write every site and room in one transaction.
 * A site's name, unit and address must be the same on all its rows; a
 * room appears once; its capacity (1-20) may not go below the people in
 * it now. res counts room rows (a row whose site changed counts as
 * updated). Errors as import_stream: CD_EINVAL with each bad row reported
 * as "FILE:LINE: field 'x' value 'y': reason" and nothing written, or the
 * store's error. */
enum cd_code quarantine_sites_import(struct store *st, FILE *in,
				     const struct import_opts *o,
				     struct import_result *res,
				     struct cd_err *err);

#endif
