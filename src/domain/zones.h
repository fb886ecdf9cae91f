/* zones.h — risk zones (风险区) by the rules of DOMAIN.md, "Zones": their
 * levels and names under each profile, their measures, and the next step
 * of a zone (downgrade or lift) with its earliest date and every condition
 * that must hold. Pure: the facts are gathered by the application layer
 * (app/zones_run.c); a person decides (docs/zones.md).
 *
 * Levels: 3 = sealed (封控区) or high risk (高风险区), 2 = controlled (管控区)
 * or medium (中风险区), 1 = precaution (防范区) or low (低风险区). The
 * profile's zones.three_zone picks the vocabulary. Days are day numbers
 * (lib/date.h); day 0 of a clock is the day of the last infection. */
#ifndef CORDON_ZONES_H
#define CORDON_ZONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/rules.h"
#include "lib/err.h"

enum zone_level {
	ZONE_NONE = 0,          /* lifted: no zone */
	ZONE_PRECAUTION = 1,    /* 防范区 / 低风险区 */
	ZONE_CONTROLLED = 2,    /* 管控区 / 中风险区 */
	ZONE_SEALED = 3,        /* 封控区 / 高风险区 */
};

/* "sealed"/"controlled"/"precaution" under a three-zone profile, else
 * "high"/"medium"/"low"; "lifted" for ZONE_NONE. */
const char *zone_level_name(const struct rules *r, enum zone_level l);
const char *zone_level_zh(const struct rules *r, enum zone_level l);
/* Accept either vocabulary, English or Chinese. */
enum cd_code zone_level_parse(const char *s, enum zone_level *out,
			      struct cd_err *err);
/* The measures of a level: stay home (足不出户, services to the door),
 * stay in the zone (人不出区), limit gatherings (限制聚集). */
const char *zone_measures(enum zone_level l);
const char *zone_measures_zh(enum zone_level l);

/* Whether the profile draws controlled (medium) zones: every three-zone
 * profile; v9 when high downgrades to medium; not v9-20 (high → low). */
bool zone_draws_controlled(const struct rules *r);
/* The level a zone of level l goes to when its conditions hold: v9's
 * high goes to medium (when the profile uses medium), everything else is
 * lifted (ZONE_NONE). */
enum zone_level zone_next_level(const struct rules *r, enum zone_level l);

/* A closed area testing round that covered every resident unit of the
 * zone: the day it started and whether every tube came back negative. */
struct zone_round {
	int32_t day;
	bool all_negative;
};

struct zone_facts {
	enum zone_level level;
	int32_t confirmed;      /* the day the zone was confirmed */
	int32_t level_since;    /* the day its current level took effect */
	/* the latest infection among the zone's cases: those it was drawn
	 * from and those living inside (0 = none; the clock then runs from
	 * the confirmation) */
	int32_t last_infection;
	/* the latest exposure of a close contact of those cases (0 none) */
	int32_t last_close_exposure;
	bool has_residents;     /* holds resident units (not only venues) */
	/* closed rounds covering the zone, started on or after the day it
	 * was proposed; any order */
	const struct zone_round *rounds;
	size_t nrounds;
	/* precaution / low: active sealed or controlled zones within it,
	 * and the day the last of them was lifted (0 = none ever) */
	long inner_active;
	int32_t inner_lifted;
};

#define ZONE_MAX_CONDS 5
#define ZONE_COND_TEXT 200

struct zone_cond {
	bool ok;
	char text[ZONE_COND_TEXT];    /* English, for people */
};

/* The next step of a zone. */
struct zone_step {
	enum zone_level to;     /* the level after it; ZONE_NONE = lifted */
	/* the earliest day all conditions can hold by the facts known
	 * today, if the rounds still required are run in time (the round
	 * condition then names what is missing); 0 only for a precaution
	 * zone with sealed or controlled zones still active within it */
	int32_t earliest;
	bool ready;             /* every condition holds on `today` */
	int n;
	struct zone_cond conds[ZONE_MAX_CONDS];
};

/* The next step of a zone with facts f on day today, by the rules:
 * three-zone: no new infection for sealed_quiet_days, the last close
 * contact sealed_quiet_days past exposure, an all-negative round within
 * sealed_round_within_days before the day, and min_rounds rounds;
 * v9 high → medium: high_to_medium_days quiet days and an all-negative
 * round on or after day high_round_day; medium → low: medium_to_low_days
 * further days (from the later of the last infection and the level's
 * start); v9-20 high → low: high_to_low_days quiet days. Levels 2 and 3
 * with residents need min_rounds rounds. Precaution / low: no sealed or
 * controlled zone within it remains. */
void zone_step_compute(const struct rules *r, const struct zone_facts *f,
		       int32_t today, struct zone_step *out);

#endif
