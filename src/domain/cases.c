/* cases.c — names, numbers and rules of cases (确诊, 无症状, 疑似), and the
 * tracing window. Pure: no SQL, no I/O. */
#include "domain/cases.h"

#include <stdio.h>
#include <string.h>

#include "domain/registry.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

struct label {
	const char *name, *zh;
};

static const struct label class_labels[] = {
	[CASE_CONFIRMED] = { "confirmed", "确诊病例" },
	[CASE_ASYMPTOMATIC] = { "asymptomatic", "无症状感染者" },
	[CASE_SUSPECTED] = { "suspected", "疑似病例" },
};
static const struct label ctype_labels[] = {
	[CT_NONE] = { "", "" },
	[CT_MILD] = { "mild", "轻型" },
	[CT_ORDINARY] = { "ordinary", "普通型" },
	[CT_SEVERE] = { "severe", "重型" },
	[CT_CRITICAL] = { "critical", "危重型" },
};
static const struct label origin_labels[] = {
	[ORIGIN_LOCAL] = { "local", "本土" },
	[ORIGIN_IMPORTED] = { "imported", "输入" },
};
static const struct label found_labels[] = {
	[FOUND_POOL] = { "pool", "混管阳性" },
	[FOUND_FEVER] = { "fever", "发热门诊" },
	[FOUND_SCREENING] = { "screening", "筛查" },
	[FOUND_QUARANTINE] = { "quarantine", "隔离检测" },
	[FOUND_OTHER] = { "other", "其他" },
};
static const struct label outcome_labels[] = {
	[OUTCOME_NONE] = { "", "" },
	[OUTCOME_CURED] = { "cured", "治愈出院" },
	[OUTCOME_DIED] = { "died", "死亡" },
};

#define NLABELS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *label_of(const struct label *t, int n, int v, int zh)
{
	if (v < 0 || v >= n)
		return "";
	return zh ? t[v].zh : t[v].name;
}

/* Index of s among t[first..n) by English name or Chinese label; -1 and
 * CD_EINVAL listing the names otherwise. */
static int label_parse(const struct label *t, int first, int n,
		       const char *s, const char *field, struct cd_err *err)
{
	char names[128] = "";
	size_t len = 0;
	for (int i = first; i < n; i++) {
		if (s && (strcmp(s, t[i].name) == 0 || strcmp(s, t[i].zh) == 0))
			return i;
		int w = snprintf(names + len, sizeof names - len, "%s%s",
				 i > first ? ", " : "", t[i].name);
		if (w > 0 && (size_t)w < sizeof names - len)
			len += (size_t)w;
	}
	cd_err_set(err, CD_EINVAL, "%s: '%s' is not one of %s", field,
		   s ? s : "", names);
	return -1;
}

/* The English name of a class. */
const char *case_class_name(enum case_class c)
{
	return label_of(class_labels, NLABELS(class_labels), (int)c, 0);
}

/* The Chinese label of a class. */
const char *case_class_zh(enum case_class c)
{
	return label_of(class_labels, NLABELS(class_labels), (int)c, 1);
}

/* Parse a class name or label; CD_EINVAL otherwise. */
enum cd_code case_class_parse(const char *s, enum case_class *out,
			      struct cd_err *err)
{
	int i = label_parse(class_labels, 0, NLABELS(class_labels), s,
			    "class", err);
	if (i < 0)
		return CD_EINVAL;
	*out = (enum case_class)i;
	return CD_OK;
}

/* The English name of a clinical type ("" for none). */
const char *case_ctype_name(enum clinical_type t)
{
	return label_of(ctype_labels, NLABELS(ctype_labels), (int)t, 0);
}

/* The Chinese label of a clinical type ("" for none). */
const char *case_ctype_zh(enum clinical_type t)
{
	return label_of(ctype_labels, NLABELS(ctype_labels), (int)t, 1);
}

/* Parse one of the four clinical types; CD_EINVAL otherwise. */
enum cd_code case_ctype_parse(const char *s, enum clinical_type *out,
			      struct cd_err *err)
{
	int i = label_parse(ctype_labels, CT_MILD, NLABELS(ctype_labels), s,
			    "clinical type", err);
	if (i < 0)
		return CD_EINVAL;
	*out = (enum clinical_type)i;
	return CD_OK;
}

/* The English name of an origin. */
const char *case_origin_name(enum case_origin o)
{
	return label_of(origin_labels, NLABELS(origin_labels), (int)o, 0);
}

/* The Chinese label of an origin. */
const char *case_origin_zh(enum case_origin o)
{
	return label_of(origin_labels, NLABELS(origin_labels), (int)o, 1);
}

/* Parse local or imported; CD_EINVAL otherwise. */
enum cd_code case_origin_parse(const char *s, enum case_origin *out,
			       struct cd_err *err)
{
	int i = label_parse(origin_labels, 0, NLABELS(origin_labels), s,
			    "origin", err);
	if (i < 0)
		return CD_EINVAL;
	*out = (enum case_origin)i;
	return CD_OK;
}

/* The English name of how a case was found. */
const char *case_found_name(enum case_found f)
{
	return label_of(found_labels, NLABELS(found_labels), (int)f, 0);
}

/* The Chinese label of how a case was found. */
const char *case_found_zh(enum case_found f)
{
	return label_of(found_labels, NLABELS(found_labels), (int)f, 1);
}

/* Parse how a case was found; CD_EINVAL otherwise. */
enum cd_code case_found_parse(const char *s, enum case_found *out,
			      struct cd_err *err)
{
	int i = label_parse(found_labels, 0, NLABELS(found_labels), s,
			    "found", err);
	if (i < 0)
		return CD_EINVAL;
	*out = (enum case_found)i;
	return CD_OK;
}

/* The English name of an outcome ("" for none). */
const char *case_outcome_name(enum case_outcome o)
{
	return label_of(outcome_labels, NLABELS(outcome_labels), (int)o, 0);
}

/* The Chinese label of an outcome ("" for none). */
const char *case_outcome_zh(enum case_outcome o)
{
	return label_of(outcome_labels, NLABELS(outcome_labels), (int)o, 1);
}

/* Parse cured or died; CD_EINVAL otherwise. */
enum cd_code case_outcome_parse(const char *s, enum case_outcome *out,
				struct cd_err *err)
{
	int i = label_parse(outcome_labels, OUTCOME_CURED,
			    NLABELS(outcome_labels), s, "outcome", err);
	if (i < 0)
		return CD_EINVAL;
	*out = (enum case_outcome)i;
	return CD_OK;
}

/* "430422-C0001": the county code and a sequence of at least 4 digits. */
void case_number_format(const char *county, long seq, char *buf, size_t len)
{
	snprintf(buf, len, "%.6s-C%04ld", county, seq);
}

/* Six digits, "-C", then four to nine digits, not all zero. */
bool case_number_valid(const char *s)
{
	size_t n = strlen(s), i;
	if (n < 12 || n > 17 || s[6] != '-' || s[7] != 'C')
		return false;
	for (i = 0; i < n; i++)
		if (i != 6 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	return strspn(s + 8, "0") != n - 8;
}

/* Floor division keeps instants before 1970 on the right day. */
int32_t case_cst_day(int64_t t)
{
	int64_t local = t + CD_CST_OFFSET;
	return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

/* Classification: confirmed has a clinical type, the others none, and an
 * asymptomatic infection has no onset. */
static enum cd_code check_class(const struct case_rec *c, struct cd_err *err)
{
	if ((int)c->cls < 0 || c->cls > CASE_SUSPECTED)
		return cd_err_set(err, CD_EINVAL, "class: unknown class %d",
				  (int)c->cls);
	if ((int)c->ctype < 0 || c->ctype > CT_CRITICAL)
		return cd_err_set(err, CD_EINVAL, "clinical type: unknown "
				  "type %d", (int)c->ctype);
	if (c->cls == CASE_CONFIRMED && c->ctype == CT_NONE)
		return cd_err_set(err, CD_EINVAL,
				  "clinical type: a confirmed case needs one "
				  "(mild, ordinary, severe or critical)");
	if (c->cls != CASE_CONFIRMED && c->ctype != CT_NONE)
		return cd_err_set(err, CD_EINVAL,
				  "clinical type: only a confirmed case has "
				  "one, not a %s case", case_class_name(c->cls));
	if (c->onset == 0 && c->sampling == 0)
		return cd_err_set(err, CD_EINVAL,
				  "onset/sampling: give the symptom onset date, "
				  "the sampling date, or both");
	if (c->cls == CASE_ASYMPTOMATIC && c->onset != 0)
		return cd_err_set(err, CD_EINVAL,
				  "onset: an asymptomatic infection has no "
				  "symptom onset date");
	if (c->reported == 0)
		return cd_err_set(err, CD_EINVAL, "reported: a case needs its "
				  "report time");
	return CD_OK;
}

/* One date within [2019-12-01, today], when present. Times pass their
 * CST day with present = (time != 0): day 0 (1970-01-01) is then a real
 * day, and far too early. */
static enum cd_code check_day(const char *field, bool present, int32_t day,
			      int32_t today, struct cd_err *err)
{
	char buf[16], tbuf[16];
	if (!present)
		return CD_OK;
	date_format(day, buf, sizeof buf);
	if (day > today) {
		date_format(today, tbuf, sizeof tbuf);
		return cd_err_set(err, CD_EINVAL, "%s: %s is in the future "
				  "(today is %s)", field, buf, tbuf);
	}
	if (day < date_from_ymd(CASE_EPOCH_YEAR, CASE_EPOCH_MONTH,
				CASE_EPOCH_DAY))
		return cd_err_set(err, CD_EINVAL, "%s: %s is before "
				  "2019-12-01, the earliest possible date",
				  field, buf);
	return CD_OK;
}

static enum cd_code check_dates(const struct case_rec *c, int32_t today,
				struct cd_err *err)
{
	enum cd_code rc;
	if ((rc = check_day("onset", c->onset, c->onset, today, err)) ||
	    (rc = check_day("sampling", c->sampling, c->sampling, today,
			    err)) ||
	    (rc = check_day("reported", c->reported,
			    case_cst_day(c->reported), today, err)) ||
	    (rc = check_day("isolated", c->isolated,
			    case_cst_day(c->isolated), today, err)) ||
	    (rc = check_day("outcome date", c->outcome_date,
			    c->outcome_date, today, err)) ||
	    (rc = check_day("converted", c->converted, c->converted, today,
			    err)))
		return rc;
	int32_t base = c->sampling ? c->sampling : c->onset;
	if (c->isolated &&
	    case_cst_day(c->isolated) < base - CASE_ISOLATION_LEAD_DAYS) {
		char buf[16];
		date_format(base, buf, sizeof buf);
		return cd_err_set(err, CD_EINVAL,
				  "isolated: more than %d days before the %s "
				  "date %s", CASE_ISOLATION_LEAD_DAYS,
				  c->sampling ? "sampling" : "onset", buf);
	}
	return CD_OK;
}

/* Outcome and conversion, against the report date and each other. */
static enum cd_code check_outcome(const struct case_rec *c,
				  struct cd_err *err)
{
	int32_t rday = case_cst_day(c->reported);
	if ((int)c->outcome < 0 || c->outcome > OUTCOME_DIED)
		return cd_err_set(err, CD_EINVAL, "outcome: unknown outcome "
				  "%d", (int)c->outcome);
	if (c->outcome_date && c->outcome == OUTCOME_NONE)
		return cd_err_set(err, CD_EINVAL, "outcome date: needs an "
				  "outcome (cured or died)");
	if (c->outcome != OUTCOME_NONE && !c->outcome_date)
		return cd_err_set(err, CD_EINVAL, "outcome: %s needs its date",
				  case_outcome_name(c->outcome));
	if (c->outcome_date && c->outcome_date < rday)
		return cd_err_set(err, CD_EINVAL, "outcome date: before the "
				  "report date");
	if (c->converted && c->cls != CASE_CONFIRMED)
		return cd_err_set(err, CD_EINVAL, "converted: only a confirmed "
				  "case has a conversion date, not a %s case",
				  case_class_name(c->cls));
	if (c->converted && c->converted < rday)
		return cd_err_set(err, CD_EINVAL, "converted: before the "
				  "report date");
	if (c->converted && c->outcome_date &&
	    c->converted > c->outcome_date)
		return cd_err_set(err, CD_EINVAL, "converted: after the "
				  "outcome date");
	return CD_OK;
}

/* See cases.h for the rules, checked in the order listed there. */
enum cd_code case_validate(const struct case_rec *c, int32_t today,
			   struct cd_err *err)
{
	struct rid id;
	struct cd_err sub;
	enum cd_code rc;
	cd_err_clear(&sub);
	if (rid_parse(c->rid, today, &id, &sub))
		return cd_err_set(err, CD_EINVAL, "resident ID: %s", sub.msg);
	if (c->hospital[0] && name_check(c->hospital, &sub))
		return cd_err_set(err, CD_EINVAL, "hospital: %s", sub.msg);
	if ((rc = check_class(c, err)) || (rc = check_dates(c, today, err)))
		return rc;
	return check_outcome(c, err);
}

/* See cases.h: reclassification and conversion between two versions. */
enum cd_code case_check_change(const struct case_rec *old,
			       const struct case_rec *neu,
			       struct cd_err *err)
{
	if (old->outcome != OUTCOME_NONE && neu->cls != old->cls)
		return cd_err_set(err, CD_EINVAL, "class: case %s has an "
				  "outcome (%s) and cannot be reclassified",
				  old->number, case_outcome_name(old->outcome));
	if (old->converted && neu->converted != old->converted)
		return cd_err_set(err, CD_EINVAL, "converted: case %s was "
				  "already converted to confirmed; the "
				  "conversion cannot be changed", old->number);
	if (!old->converted && neu->converted &&
	    (old->cls != CASE_ASYMPTOMATIC || neu->cls != CASE_CONFIRMED))
		return cd_err_set(err, CD_EINVAL, "converted: only an "
				  "asymptomatic infection converts, to "
				  "confirmed; case %s is %s", old->number,
				  case_class_name(old->cls));
	if (old->cls == CASE_ASYMPTOMATIC && neu->cls == CASE_CONFIRMED &&
	    !neu->converted)
		return cd_err_set(err, CD_EINVAL, "class: an asymptomatic "
				  "infection becomes confirmed by conversion, "
				  "with its date (--convert DATE)");
	return CD_OK;
}

/* See cases.h. */
enum cd_code case_convert(struct case_rec *c, int32_t day,
			  struct cd_err *err)
{
	char buf[16];
	if (c->cls == CASE_ASYMPTOMATIC) {
		c->cls = CASE_CONFIRMED;
		c->converted = day;
		return CD_OK;
	}
	if (c->converted) {
		date_format(c->converted, buf, sizeof buf);
		return cd_err_set(err, CD_EINVAL, "converted: case %s was "
				  "already converted to confirmed on %s",
				  c->number, buf);
	}
	return cd_err_set(err, CD_EINVAL, "converted: only an asymptomatic "
			  "infection converts, to confirmed; case %s is %s",
			  c->number, case_class_name(c->cls));
}

/* See cases.h. 00:00 CST of day d is d * 86400 - 8 h in Unix seconds. */
enum cd_code case_trace_window(const struct case_rec *c, int lookback_days,
			       int64_t now, int64_t *from, int64_t *to,
			       struct cd_err *err)
{
	int32_t base = c->onset ? c->onset : c->sampling;
	if (!base)
		return cd_err_set(err, CD_EINVAL, "case %s has neither an onset "
				  "nor a sampling date: no tracing window",
				  c->number);
	if (lookback_days < 0)
		return cd_err_set(err, CD_EINVAL, "lookback: %d days is "
				  "negative", lookback_days);
	*from = ((int64_t)base - lookback_days) * 86400 - CD_CST_OFFSET;
	*to = c->isolated ? c->isolated : now;
	if (*to < *from)
		*to = *from;
	return CD_OK;
}
