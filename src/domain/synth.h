/* synth.h — a synthetic county shaped like Hengnan (衡南县, 430422).
 *
 * Pure: builds the county in memory from a seed and a head count, then
 * emits units, households, persons, venues, grid workers and 14 days of
 * movements (venue scans, bus and rail rides, telecom cell stays) through a
 * sink. The same seed and size give the same records in the same order.
 * The model is described in docs/synth.md. */
#ifndef CORDON_SYNTH_H
#define CORDON_SYNTH_H

#include <stdint.h>

#include "domain/presence.h"
#include "domain/registry.h"
#include "lib/err.h"

#define SYNTH_MIN_PEOPLE 500
#define SYNTH_MAX_PEOPLE 10000000L

struct synth_params {
	uint64_t seed;
	long people;     /* SYNTH_MIN_PEOPLE .. SYNTH_MAX_PEOPLE */
	int32_t start;   /* first day of movements (day number, China time) */
	int days;        /* 1..28 */
};

/* Receives the records. Person and venue records carry the generator's
 * index (0-based, in emission order), which the movement records repeat,
 * so a sink can map them to its own keys without look-ups. Any non-OK
 * return stops the emission and is returned. */
struct synth_sink {
	void *ctx;
	enum cd_code (*unit)(void *ctx, const struct unit_rec *u);
	enum cd_code (*household)(void *ctx, const struct household_rec *h);
	enum cd_code (*person)(void *ctx, long idx, const struct person_rec *p);
	enum cd_code (*venue)(void *ctx, long idx, const struct venue_rec *v);
	enum cd_code (*grid_worker)(void *ctx,
				    const struct grid_worker_rec *g);
	enum cd_code (*scan)(void *ctx, long person, long venue,
			     const struct scan_rec *s);
	enum cd_code (*trip)(void *ctx, long person, const struct trip_rec *t);
	enum cd_code (*cell)(void *ctx, long person, const struct cell_rec *c);
};

struct synth_stats {
	long towns[3];        /* sub-districts, towns, townships */
	long villages[2];     /* communities, villages */
	long hamlets, households, persons, venues, grid_workers;
	long ages[3];         /* 0-17, 18-59, 60+ */
	long elderly_alone, phones;
	long venues_by_kind[VK_COUNT];
	long scans, rides[2], cells; /* rides by enum trip_mode */
	long index_person;    /* the reference scenario's case, see below */
	char index_rid[19];
	char index_hamlet[UNIT_CODE_MAX];
	long health_centre;   /* venue index of the index person's 卫生院 */
	char health_centre_name[NAME_MAX_BYTES + 1];
};

struct synth;

/* Build the county. Returns CD_EINVAL for parameters out of range; the
 * caller frees *out with synth_free. */
enum cd_code synth_build(const struct synth_params *p, struct synth **out,
			 struct cd_err *err);
/* Emit the registry: units (parents first), households, persons, venues,
 * grid workers. */
enum cd_code synth_emit_registry(struct synth *s, const struct synth_sink *k,
				 struct cd_err *err);
/* Emit the movements, day by day. The index person (an adult of a village
 * hamlet) follows the reference scenario on the last two days: the
 * market, a teahouse, a bus to another town and back, then routine
 * sampling at the township health centre. */
enum cd_code synth_emit_movements(struct synth *s,
				  const struct synth_sink *k,
				  struct cd_err *err);
/* The reference case's 10-in-1 pool: the index person first, then
 * neighbours of their hamlet (aged 3 and over), at most max resident IDs
 * into rids; returns how many (0 when there is no index person). */
int synth_index_pool(const struct synth *s, char (*rids)[19], int max);
/* Counts of what was built and emitted so far. */
const struct synth_stats *synth_stats(const struct synth *s);
void synth_free(struct synth *s);

#endif
