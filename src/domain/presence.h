/* presence.h — presence records: venue-code scans, vehicle trips, telecom
 * cell intervals. Plain data; times are Unix seconds (UTC). */
#ifndef CORDON_PRESENCE_H
#define CORDON_PRESENCE_H

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

#endif
