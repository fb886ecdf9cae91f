/* world.h — what the unit tests that build a small registry by hand share
 * (test_report.c, test_rounds.c, test_zones.c; D also test_quarantine.c):
 * failing on an error, dates written by hand, units and households
 * through the store. Include after cmocka.h and the project's headers. */
#ifndef CORDON_TEST_WORLD_H
#define CORDON_TEST_WORLD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/registry.h"
#include "lib/date.h"
#include "lib/err.h"
#include "store/store.h"

/* Fail the test, naming what, unless ret is CD_OK. */
static inline void ok(enum cd_code ret, const struct cd_err *err,
		      const char *what)
{
	if (ret != CD_OK)
		fail_msg("%s: code %d: %s", what, (int)ret, err->msg);
}

/* A date written by hand, "2022-03-29". */
static inline int32_t D(const char *s)
{
	int32_t d = 0;
	if (!date_parse(s, &d))
		fail_msg("bad date in the test: %s", s);
	return d;
}

/* The unit code with its name, its parent and level from the code. */
static inline void unit(struct store *st, const char *code, const char *name)
{
	struct unit_rec r;
	struct unit_code uc;
	struct cd_err err;
	enum store_upsert up;
	memset(&r, 0, sizeof r);
	ok(unit_code_parse(code, &uc, &err), &err, code);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.name, sizeof r.name, "%s", name);
	snprintf(r.parent, sizeof r.parent, "%s", uc.parent);
	r.level = uc.level;
	r.kind = uc.kind;
	ok(store_unit_upsert(st, &r, &up, &err), &err, code);
}

/* The household code, in the hamlet its code names. */
static inline void household(struct store *st, const char *code)
{
	struct household_rec r;
	struct cd_err err;
	enum store_upsert up;
	memset(&r, 0, sizeof r);
	snprintf(r.code, sizeof r.code, "%s", code);
	ok(household_code_parse(code, r.hamlet, &err), &err, code);
	ok(store_household_upsert(st, &r, &up, &err), &err, code);
}

#endif
