/* presence.c — the telecom cell grid. */
#include "domain/presence.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/banned.h"

/* Degrees of latitude per cell; longitude cells are sized at 27 N, the
 * latitude of Hengyang, so they are square there. */
#define LAT_STEP (CELL_METRES / 111320.0)
#define LON_STEP (CELL_METRES / (111320.0 * 0.8910065))

void cell_of(double lat, double lon, int *row, int *col)
{
	*row = (int)floor((lat - 18.0) / LAT_STEP);
	*col = (int)floor((lon - 73.0) / LON_STEP);
}

void cell_format(int row, int col, char *buf, size_t len)
{
	snprintf(buf, len, "C%04d%04d", row % 10000, col % 10000);
}

const char *trip_mode_name(enum trip_mode m)
{
	return m == TRIP_RAIL ? "rail" : "bus";
}

bool cell_parse(const char *s, uint32_t *out)
{
	if (strlen(s) != 9 || s[0] != 'C' || strspn(s + 1, "0123456789") != 8)
		return false;
	uint32_t v = 0;
	for (int i = 1; i < 9; i++)
		v = v * 10 + (uint32_t)(s[i] - '0');
	*out = v;
	return true;
}
