/* zones.c — zone levels, names, measures and the next step of a zone with
 * its conditions (zones.h; DOMAIN.md, "Zones"). */
#include "domain/zones.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/banned.h"

static const char *const names3[] = { "lifted", "precaution", "controlled",
				      "sealed" };
static const char *const names9[] = { "lifted", "low", "medium", "high" };
static const char *const zh3[] = { "已解除", "防范区", "管控区", "封控区" };
static const char *const zh9[] = { "已解除", "低风险区", "中风险区",
				   "高风险区" };

static int idx(enum zone_level l)
{
	return l >= ZONE_NONE && l <= ZONE_SEALED ? (int)l : 0;
}

const char *zone_level_name(const struct rules *r, enum zone_level l)
{
	return (r->zones.three_zone ? names3 : names9)[idx(l)];
}

const char *zone_level_zh(const struct rules *r, enum zone_level l)
{
	return (r->zones.three_zone ? zh3 : zh9)[idx(l)];
}

enum cd_code zone_level_parse(const char *s, enum zone_level *out,
			      struct cd_err *err)
{
	for (int i = 1; i <= 3; i++)
		if (!strcmp(s, names3[i]) || !strcmp(s, names9[i]) ||
		    !strcmp(s, zh3[i]) || !strcmp(s, zh9[i])) {
			*out = (enum zone_level)i;
			return CD_OK;
		}
	return cd_err_set(err, CD_EINVAL, "not a zone level (sealed, "
			  "controlled, precaution, or high, medium, low)");
}

const char *zone_measures(enum zone_level l)
{
	switch (l) {
	case ZONE_SEALED:
		return "stay home; services delivered to the door";
	case ZONE_CONTROLLED:
		return "stay in the zone; no gatherings";
	case ZONE_PRECAUTION:
		return "limit gatherings; watch for symptoms";
	case ZONE_NONE:
		break;
	}
	return "none";
}

const char *zone_measures_zh(enum zone_level l)
{
	switch (l) {
	case ZONE_SEALED:
		return "足不出户，上门服务";
	case ZONE_CONTROLLED:
		return "人不出区，严禁聚集";
	case ZONE_PRECAUTION:
		return "强化社会面管控，严格限制人员聚集";
	case ZONE_NONE:
		break;
	}
	return "无";
}

bool zone_draws_controlled(const struct rules *r)
{
	return r->zones.three_zone || r->zones.high_to_low_days == 0;
}

enum zone_level zone_next_level(const struct rules *r, enum zone_level l)
{
	if (l == ZONE_SEALED && !r->zones.three_zone &&
	    r->zones.high_to_low_days == 0)
		return ZONE_CONTROLLED;
	return ZONE_NONE;
}

/* ---- conditions */

static struct zone_cond *cond(struct zone_step *s, bool ok, const char *fmt,
			      ...) __attribute__((format(printf, 3, 4)));

static struct zone_cond *cond(struct zone_step *s, bool ok, const char *fmt,
			      ...)
{
	if (s->n == ZONE_MAX_CONDS)
		return NULL;
	struct zone_cond *c = &s->conds[s->n++];
	va_list ap;
	c->ok = ok;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
	if (!ok)
		s->ready = false;
	return c;
}

/* "2022-04-13" into one of four rotating buffers, so that one call can
 * format several days. */
static const char *day(int32_t d)
{
	static _Thread_local char buf[4][11];
	static _Thread_local int next;
	char *b = buf[next++ & 3];
	date_format(d, b, 11);
	return b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* The day the quiet clock starts: the last infection, or the zone's
 * confirmation when none is known. */
static int32_t clock_base(const struct zone_facts *f)
{
	return f->last_infection ? f->last_infection : f->confirmed;
}

/* "No new infection for `days` days": holds from base + days. */
static int32_t quiet(struct zone_step *s, const struct zone_facts *f,
		     int32_t base, int days, int32_t today)
{
	int32_t q = base + days;
	cond(s, today >= q, "%d days without a new infection since %s "
	     "(%s): from %s", days, day(base),
	     f->last_infection && base == f->last_infection
		     ? "the last infection" : "the start of this level",
	     day(q));
	return q;
}

/* At least min_rounds closed rounds covering the zone. */
static void enough_rounds(struct zone_step *s, const struct rules *r,
			  const struct zone_facts *f)
{
	int need = r->zones.min_rounds;
	bool ok = f->nrounds >= (size_t)need;
	cond(s, ok, "at least %d area testing rounds over the zone: %zu "
	     "closed", need, f->nrounds);
}

/* The first all-negative round started on or after `from`; 0 if none. */
static int32_t first_negative_from(const struct zone_facts *f, int32_t from)
{
	int32_t best = 0;
	for (size_t i = 0; i < f->nrounds; i++)
		if (f->rounds[i].all_negative && f->rounds[i].day >= from &&
		    (!best || f->rounds[i].day < best))
			best = f->rounds[i].day;
	return best;
}

/* Sealed or controlled under a three-zone profile. */
static void step_three(const struct rules *r, const struct zone_facts *f,
		       int32_t today, struct zone_step *s)
{
	int days = r->zones.sealed_quiet_days;
	int32_t d0 = quiet(s, f, clock_base(f), days, today);
	if (f->last_close_exposure) {
		int32_t c = f->last_close_exposure + days;
		cond(s, today >= c, "the last close contact (exposed %s) %d "
		     "days past exposure: from %s (a contact who tests "
		     "positive is a new infection)",
		     day(f->last_close_exposure), days, day(c));
		d0 = max32(d0, c);
	}
	s->earliest = d0;
	if (!f->has_residents)
		return;
	int w = r->zones.sealed_round_within_days;
	int32_t now_round = first_negative_from(f, today - w);
	cond(s, now_round && now_round <= today, "an all-negative round "
	     "in the %d days before lifting (started %s to %s)", w,
	     day(today - w), day(today));
	int32_t lift_round = first_negative_from(f, d0 - w);
	s->earliest = lift_round ? max32(d0, lift_round) : d0;
	enough_rounds(s, r, f);
}

/* High under v9: to medium after quiet days and the day-N round, or to
 * low after v9-20's days. */
static void step_high(const struct rules *r, const struct zone_facts *f,
		      int32_t today, struct zone_step *s)
{
	const struct rules_zones *z = &r->zones;
	int32_t base = clock_base(f);
	if (z->high_to_low_days > 0) {
		s->earliest = quiet(s, f, base, z->high_to_low_days, today);
	} else {
		s->earliest = quiet(s, f, base, z->high_to_medium_days, today);
		if (z->high_round_day > 0 && f->has_residents) {
			int32_t from = base + z->high_round_day;
			int32_t rd = first_negative_from(f, from);
			cond(s, rd && rd <= today, "an all-negative round on "
			     "day %d (%s) or later", z->high_round_day,
			     day(from));
			s->earliest = max32(s->earliest, rd ? rd : from);
		}
	}
	if (f->has_residents)
		enough_rounds(s, r, f);
}

/* Medium under v9: low after further quiet days from the later of the
 * last infection and the day it became medium. */
static void step_medium(const struct rules *r, const struct zone_facts *f,
			int32_t today, struct zone_step *s)
{
	int32_t base = max32(clock_base(f), f->level_since);
	s->earliest = quiet(s, f, base, r->zones.medium_to_low_days, today);
	if (f->has_residents)
		enough_rounds(s, r, f);
}

static void step_precaution(const struct rules *r, const struct zone_facts *f,
			    struct zone_step *s)
{
	cond(s, f->inner_active == 0, "no %s or %s zone remains within it: "
	     "%ld active", zone_level_name(r, ZONE_SEALED),
	     zone_level_name(r, ZONE_CONTROLLED), f->inner_active);
	s->earliest = f->inner_active ? 0
				      : max32(f->confirmed, f->inner_lifted);
}

void zone_step_compute(const struct rules *r, const struct zone_facts *f,
		       int32_t today, struct zone_step *out)
{
	memset(out, 0, sizeof *out);
	out->ready = true;
	out->to = zone_next_level(r, f->level);
	if (f->level == ZONE_PRECAUTION)
		step_precaution(r, f, out);
	else if (r->zones.three_zone)
		step_three(r, f, today, out);
	else if (f->level == ZONE_SEALED)
		step_high(r, f, today, out);
	else
		step_medium(r, f, today, out);
}
