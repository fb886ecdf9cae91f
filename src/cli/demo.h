/* demo.h — steps of `cordon demo` kept in their own files. */
#ifndef CORDON_DEMO_H
#define CORDON_DEMO_H

#include <stddef.h>

#include "domain/synth.h"
#include "store/store.h"

/* 02:58: the index person's 10-in-1 pool is positive; single tubes at
 * 04:00; results at 07:00 make the case. Its number goes to number.
 * Returns a process exit status (0 on success, message printed). */
int demo_pool(struct store *st, const struct rules *r, const struct synth *s,
	      const struct synth_params *p, char *number, size_t len);
/* Quarantine in the county's hotels for the case's contacts. */
int demo_quarantine(struct store *st, const struct rules *r,
		    const char *number, int64_t now);

#endif
