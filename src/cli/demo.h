/* demo.h — steps of `cordon demo` kept in their own files. */
#ifndef CORDON_DEMO_H
#define CORDON_DEMO_H

#include <stddef.h>

#include "app/import.h"
#include "domain/synth.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "store/store.h"

/* 00:00 China time of day d plus h hours, as Unix seconds: the demo's
 * clock. */
static inline int64_t demo_at(int32_t d, int h)
{
	return (int64_t)d * 86400 - CD_CST_OFFSET + (int64_t)h * 3600;
}

/* Import CSV text as kind (samples, results or sites) through the real
 * importer, at instant now; name stands for the file in messages. */
enum cd_code demo_feed(struct store *st, const struct rules *r,
		       enum import_kind kind, const char *name,
		       const struct strbuf *csv, int64_t now,
		       struct cd_err *err);

/* 02:58: the index person's 10-in-1 pool is positive; single tubes at
 * 04:00; results at 07:00 make the case. Its number goes to number.
 * Returns a process exit status (0 on success, message printed). */
int demo_pool(struct store *st, const struct rules *r, const struct synth *s,
	      const struct synth_params *p, char *number, size_t len);
/* Quarantine in the county's hotels for the case's contacts. */
int demo_quarantine(struct store *st, const struct rules *r,
		    const char *number, int64_t now);

/* Zones from the case at 09:00 on day0, three rounds of area testing in
 * 72 hours over them, and each zone lifted on the day the profile
 * allows (with the rounds the profile requires). */
int demo_zones(struct store *st, const struct rules *r, const char *number,
	       int32_t day0);

/* The eighteen days after day0: quarantine samples and releases day by
 * day, and the patient of case `number` discharged on day0 + days. */
int demo_course(struct store *st, const struct rules *r, const char *number,
		int32_t day0, int days);

/* The daily report of day0 by town, written beside the database db as
 * XLSX and CSV, and the series from day0 - 1 to day0 + days. */
int demo_report(struct store *st, const char *db, int32_t day0, int days);

#endif
