/* date.h — civil dates as day numbers, and instants as Unix seconds.
 *
 * A date is an int32 count of days since 1970-01-01 (proleptic Gregorian).
 * Instants are int64 seconds since the epoch, UTC; China Standard Time is
 * UTC+8 with no daylight saving. */
#ifndef CORDON_DATE_H
#define CORDON_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CD_CST_OFFSET (8 * 3600)

/* True when y-m-d is a real calendar date (year 1..9999). */
bool date_valid(int y, int m, int d);
/* Day number of a valid y-m-d. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD" exactly; false when malformed or not a real date. */
bool date_parse(const char *s, int32_t *days);
/* Write "YYYY-MM-DD" into buf (at least 11 bytes). */
void date_format(int32_t days, char *buf, size_t len);

/* The current instant, or CORDON_NOW from the environment when set
 * ("YYYY-MM-DDTHH:MM:SS+08:00" or "...Z"), so tests and the demo can fix
 * the clock. */
int64_t cd_now(void);
/* Today's date in China Standard Time at cd_now(). */
int32_t cd_today_cst(void);
/* Parse an ISO 8601 instant "YYYY-MM-DD[T ]HH:MM[:SS](Z|+HH:MM|-HH:MM)";
 * without a zone it is read as China Standard Time. */
bool instant_parse(const char *s, int64_t *out);
/* Format an instant as ISO 8601 in CST, "2022-03-30T02:58:00+08:00"
 * (buf >= 26 bytes). */
void instant_format_iso(int64_t t, char *buf, size_t len);
/* Format an instant as "YYYY-MM-DD HH:MM:SS" in CST (buf >= 20 bytes). */
void instant_format_cst(int64_t t, char *buf, size_t len);

#endif
