/* presence.h — presence records: venue-code scans, vehicle trips, telecom
 * cell intervals. Plain data; times are Unix seconds (UTC). */
#ifndef CORDON_PRESENCE_H
#define CORDON_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/registry.h"

#define ROUTE_MAX 24
#define CELL_ID_MAX 12

/* A check-in at a venue (场所码), with an optional check-out. */
struct scan_rec {
	char rid[19];
	char venue[VENUE_CODE_MAX];
	int64_t t_in;
	int64_t t_out; /* 0 when the venue records no check-out */
};

enum trip_mode { TRIP_BUS, TRIP_RAIL };

/* A ride on a vehicle trip: route or train number + date + departure
 * identify the trip; carriage (1 for a bus) and seat row the place. */
struct trip_rec {
	char rid[19];
	enum trip_mode mode;
	char route[ROUTE_MAX];
	int32_t date;      /* day number, China time */
	int departure;     /* minutes after local midnight */
	int carriage;
	int seat_row;
};

/* A phone's stay in a telecom grid cell (about 800 m x 800 m). */
struct cell_rec {
	char phone[12];
	char cell[CELL_ID_MAX];
	int64_t start, end;
};

/* Cells are a fixed grid of CELL_METRES squares over WGS-84 coordinates;
 * the id is "C" + 4-digit row + 4-digit column from (18 N, 73 E). */
#define CELL_METRES 800
/* Row and column of the cell holding lat/lon. */
void cell_of(double lat, double lon, int *row, int *col);
/* Text id of a cell: "C02423" "0527" → "C24230527" (buf >= CELL_ID_MAX). */
void cell_format(int row, int col, char *buf, size_t len);

const char *trip_mode_name(enum trip_mode m);
/* Parse a cell id ("C" + 8 digits) into row * 10000 + column; false when
 * malformed. */
bool cell_parse(const char *s, uint32_t *out);

/* ---- compact rows for tracing
 *
 * All four sources share one 20-byte row. Times are seconds since
 * PTIME_BASE (2020-01-01T00:00:00Z) in a uint32 (good until 2156).
 *
 *   source     key              person   start        end            aux
 *   scans      venue id         scanner  check-in     check-out or 0 -
 *   rides      trip id          rider    departure    departure      carriage<<16 | seat row
 *   cells      cell number      owner    stay start   stay end       -
 *   proximity  the other person person   start        start+duration -
 *
 * A proximity record A–B is stored twice, keyed by each side, so both
 * find it by person. Cell numbers are row * 10000 + column (cell_of). */
enum psource { PS_SCANS, PS_RIDES, PS_CELLS, PS_PROXIMITY, PS_COUNT };

#define PTIME_BASE 1577836800LL

struct prow {
	uint32_t key;
	uint32_t person;
	uint32_t start;
	uint32_t end;
	uint32_t aux;
};

/* Rows sorted by (key, start, person, end, aux) without duplicates, with a
 * directory of keys and a permutation in (person, start) order. Arrays are
 * borrowed (from a mapped file) or owned (after pindex_build). */
struct pindex {
	const struct prow *rows;
	size_t nrows;
	const uint32_t *keys;      /* distinct keys, ascending */
	const uint64_t *key_off;   /* nkeys + 1 offsets into rows */
	size_t nkeys;
	const uint32_t *persons;   /* distinct persons, ascending */
	const uint64_t *person_off; /* npersons + 1 offsets into perm */
	size_t npersons;
	const uint32_t *perm;      /* row numbers in (person, start) order */
	uint32_t max_span;         /* longest end - start of any row */
	void *owned;               /* non-NULL when pindex_build allocated */
};

const char *psource_name(enum psource s);
/* Sort rows (in place), drop exact duplicates and build the directories.
 * Returns the number of distinct rows (the first ones of rows[]); the
 * index borrows rows and owns the rest: release with pindex_release. */
size_t pindex_build(struct prow *rows, size_t n, struct pindex *out);
void pindex_release(struct pindex *ix);
/* The rows of one key (in start order); *n = 0 when none. */
const struct prow *pindex_key(const struct pindex *ix, uint32_t key,
			      size_t *n);
/* The row numbers of one person (in start order); *n = 0 when none. */
const uint32_t *pindex_person(const struct pindex *ix, uint32_t person,
			      size_t *n);
/* Within the rows of one key (start-ordered), the first whose start is
 * >= t. */
size_t pindex_lower(const struct prow *rows, size_t n, uint32_t t);
/* Instants (Unix seconds) to and from presence times; false when out of
 * range. */
bool ptime_from(int64_t t, uint32_t *out);
int64_t ptime_to(uint32_t t);

#endif
