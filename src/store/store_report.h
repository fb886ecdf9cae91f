/* store_report.h — the counting queries of the daily report, its series
 * and the epidemic curve (store_report.c; docs/reports.md says what each
 * figure means). The application (app/report.c) turns these raw counts
 * into the report's figures, rates and shapes.
 *
 * A report is read between store_report_open and store_report_close, in
 * one read transaction: every figure of every day sees the same database.
 * The unit's subtree is mapped once (temporary tables of this connection)
 * to the row of each child unit. */
#ifndef CORDON_STORE_REPORT_H
#define CORDON_STORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A unit as the report names it. */
struct store_report_unit {
	char code[UNIT_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
	int level;                      /* 1 county .. 4 hamlet */
};

/* The raw counts of one unit (a child row, or the totals) on one
 * reporting day. [0] local, [1] imported. Times are the window
 * (from, to]; date-only events count on their date. */
struct store_report_counts {
	long conf_new[2];    /* confirmed in the window, conversions included */
	long converted;      /* asymptomatic converted to confirmed on the day */
	long conf_cum[2];    /* confirmed by the cutoff, each case once */
	long asym_new[2];    /* reported asymptomatic in the window */
	long asym_released;  /* released from observation on the day */
	long asym_observed;  /* still under observation at the cutoff */
	long asym_cum;       /* ever reported asymptomatic by the cutoff */
	long cured_new, cured_cum, died_new, died_cum;   /* confirmed only */
	long suspected;      /* suspected cases open at the cutoff */
	long close_new, secondary_new, close_cum, secondary_cum;
	long central, home, released_new, released_cum;
	long sampled_new, tubes_new, pools_positive_new;
	bool has_round;      /* a started round touches the unit */
	long round_expected, round_sampled;
	long zones[4];       /* [0] lifted by the cutoff; [1..3] active by
				level: precaution, controlled, sealed */
	long sites, rooms, capacity, occupied;
};

/* Open a report on unit code: its record into *unit and, when rows, its
 * children (by code) into *kids (the caller frees; NULL and 0 without
 * rows or children). CD_ENOTFOUND naming an unknown code. Call
 * store_report_close afterwards, also after an error of the day's
 * queries. */
enum cd_code store_report_open(struct store *st, const char *code, bool rows,
			       struct store_report_unit *unit,
			       struct store_report_unit **kids, size_t *n,
			       struct cd_err *err);
/* End the report's read transaction. */
void store_report_close(struct store *st);

/* The counts of reporting day `day` (its window (from, to], Unix
 * seconds) into out[0..n) (the children of store_report_open, when it
 * was given rows) and out[n] (the unit's totals). out is zeroed first. */
enum cd_code store_report_day(struct store *st, int32_t day, int64_t from,
			      int64_t to, struct store_report_counts *out,
			      size_t n, struct cd_err *err);

/* The epidemic curve over days [from, to] (n = to - from + 1 each):
 * confirmed and asymptomatic cases of the open report's unit by onset
 * date (else sampling date), and by report date (CST; a conversion on
 * its date, as confirmed). The arrays are zeroed first. */
struct store_report_curve {
	long *onset_conf, *onset_asym, *report_conf, *report_asym;
};
enum cd_code store_report_curve(struct store *st, int32_t from, int32_t to,
				struct store_report_curve *out,
				struct cd_err *err);

/* The county when the database holds exactly one (code into county,
 * UNIT_CODE_MAX bytes); "" otherwise, with the number of counties in
 * *count. */
enum cd_code store_report_county(struct store *st, char *county, long *count,
				 struct cd_err *err);

#endif
