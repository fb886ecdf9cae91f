/* cases.h — cases (确诊, 无症状, 疑似) as plain records, and their rules:
 * classification, outcome, asymptomatic → confirmed conversion, the
 * tracing window. Pure. */
#ifndef CORDON_CASES_H
#define CORDON_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define CASE_NUMBER_MAX 24
#define HOSPITAL_MAX_BYTES 120

enum case_class {
	CASE_CONFIRMED,    /* 确诊病例 */
	CASE_ASYMPTOMATIC, /* 无症状感染者 */
	CASE_SUSPECTED,    /* 疑似病例 */
};

enum clinical_type {
	CT_NONE,     /* not confirmed */
	CT_MILD,     /* 轻型 */
	CT_ORDINARY, /* 普通型 */
	CT_SEVERE,   /* 重型 */
	CT_CRITICAL, /* 危重型 */
};

enum case_origin { ORIGIN_LOCAL, ORIGIN_IMPORTED };

enum case_found {
	FOUND_POOL,       /* pool positive */
	FOUND_FEVER,      /* fever clinic */
	FOUND_SCREENING,  /* area or key-group screening */
	FOUND_QUARANTINE, /* quarantine testing */
	FOUND_OTHER,
};

enum case_outcome { OUTCOME_NONE, OUTCOME_CURED, OUTCOME_DIED };

/* Dates are day numbers (lib/date.h), 0 = unknown/none; times are Unix
 * seconds, 0 = none. */
struct case_rec {
	char number[CASE_NUMBER_MAX]; /* readable, per county: "430422-C0001" */
	char rid[19];
	enum case_class cls;
	enum clinical_type ctype;
	enum case_origin origin;
	enum case_found found;
	int32_t onset;        /* symptom onset date */
	int32_t sampling;     /* sampling date of the positive test */
	int64_t reported;     /* report time */
	int64_t isolated;     /* isolation time; 0 = not yet isolated */
	char hospital[HOSPITAL_MAX_BYTES + 1];
	enum case_outcome outcome;
	int32_t outcome_date;
	int32_t converted;    /* date an asymptomatic infection was confirmed */
};

/* The earliest date any case date may carry: the first known onsets were
 * in December 2019. */
#define CASE_EPOCH_YEAR 2019
#define CASE_EPOCH_MONTH 12
#define CASE_EPOCH_DAY 1
/* How far before the sampling day (onset day without one) an isolation may
 * begin: a case found in quarantine was isolated before it tested
 * positive, but not by more than this. */
#define CASE_ISOLATION_LEAD_DAYS 30

/* ---- names. Each *_name gives the English name used on the command line,
 * in JSON and in the database ("" for CT_NONE / OUTCOME_NONE); each *_zh
 * the Chinese label. Each *_parse accepts the English name or the Chinese
 * label and returns CD_EINVAL naming the accepted values otherwise. */
const char *case_class_name(enum case_class c);
const char *case_class_zh(enum case_class c);
enum cd_code case_class_parse(const char *s, enum case_class *out,
			      struct cd_err *err);
const char *case_ctype_name(enum clinical_type t);
const char *case_ctype_zh(enum clinical_type t);
/* Parses one of the four clinical types (never CT_NONE). */
enum cd_code case_ctype_parse(const char *s, enum clinical_type *out,
			      struct cd_err *err);
const char *case_origin_name(enum case_origin o);
const char *case_origin_zh(enum case_origin o);
enum cd_code case_origin_parse(const char *s, enum case_origin *out,
			       struct cd_err *err);
const char *case_found_name(enum case_found f);
const char *case_found_zh(enum case_found f);
enum cd_code case_found_parse(const char *s, enum case_found *out,
			      struct cd_err *err);
const char *case_outcome_name(enum case_outcome o);
const char *case_outcome_zh(enum case_outcome o);
/* Parses cured or died (never OUTCOME_NONE). */
enum cd_code case_outcome_parse(const char *s, enum case_outcome *out,
				struct cd_err *err);

/* ---- numbers: "<county code>-C<sequence>", the sequence at least four
 * digits ("430422-C0001"; past 9999 it simply grows: "430422-C10000"). */

/* Write the number of the seq-th case (seq >= 1) of county (six digits)
 * into buf (CASE_NUMBER_MAX bytes). */
void case_number_format(const char *county, long seq, char *buf,
			size_t len);
/* True when s has the shape of a case number (it may still not exist). */
bool case_number_valid(const char *s);

/* ---- rules */

/* The China Standard Time date of an instant (Unix seconds). */
int32_t case_cst_day(int64_t t);

/* Check a whole record against today's date (CST day number). CD_EINVAL
 * naming the field and the rule broken:
 *  - the resident ID is valid; a hospital name is a clean name;
 *  - confirmed needs a clinical type, asymptomatic and suspected have none;
 *  - at least one of onset and sampling date; asymptomatic has no onset;
 *  - a report time is present;
 *  - every date and time (onset, sampling, report, isolation, outcome,
 *    conversion) is neither after today nor before 2019-12-01;
 *  - isolation is not before the sampling day (else the onset day) minus
 *    CASE_ISOLATION_LEAD_DAYS;
 *  - an outcome has its date and an outcome date its outcome, not before
 *    the report date;
 *  - a conversion date only on a confirmed case, not before the report
 *    date nor after the outcome date. */
enum cd_code case_validate(const struct case_rec *c, int32_t today,
			   struct cd_err *err);

/* Check that old may become neu (the same case: number and resident ID
 * unchanged). CD_EINVAL when:
 *  - a case with an outcome changes class (it cannot be reclassified);
 *  - a conversion date appears on a case that was not asymptomatic, or
 *    the case does not become confirmed with it (conversion is only
 *    asymptomatic → confirmed, and only once);
 *  - an asymptomatic infection becomes confirmed without a conversion
 *    date (it would count twice otherwise), or a conversion date is
 *    changed or removed.
 * Call case_validate on neu as well. */
enum cd_code case_check_change(const struct case_rec *old,
			       const struct case_rec *neu,
			       struct cd_err *err);

/* Convert an asymptomatic infection to confirmed on day: c keeps its
 * number (one infection, counted once, as confirmed) and gets converted =
 * day; the caller sets the clinical type. CD_EINVAL, c unchanged, when c
 * is not asymptomatic (suspected, or confirmed already). */
enum cd_code case_convert(struct case_rec *c, int32_t day,
			  struct cd_err *err);

/* The window in which the case may have infected others, for tracing:
 * from = 00:00 China Standard Time (UTC+8) of the onset date minus
 * lookback_days for a case with an onset date, else of the sampling date
 * minus lookback_days (an asymptomatic infection); to = the isolation time
 * when the case has one, else now. Unix seconds. When the case was
 * isolated before the window opens, to = from (an empty window). CD_EINVAL
 * when the case has neither date or lookback_days is negative. */
enum cd_code case_trace_window(const struct case_rec *c, int lookback_days,
			       int64_t now, int64_t *from, int64_t *to,
			       struct cd_err *err);

#endif
