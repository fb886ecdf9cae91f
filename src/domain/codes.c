/* codes.c — the causes of a health code, one rule each (DOMAIN.md,
 * "Health code"): red for cases and close contacts in quarantine, yellow
 * for secondary contacts, companions, fever at a checkpoint, missed tests
 * and pools awaiting resolution; yellow clears after the required
 * negatives; residents of sealed and controlled zones by the profile. */
#include "domain/codes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/trace.h"
#include "domain/zones.h"
#include "lib/date.h"
#include "lib/banned.h"

typedef void (*cause_fn)(const struct rules *r, const struct code_facts *f,
			 struct code_result *out);

static void add(struct code_result *out, enum code_colour c,
		const char *cause, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct code_result *out, enum code_colour c,
		const char *cause, const char *fmt, ...)
{
	if (out->n == CODE_MAX_REASONS)
		return;
	struct code_reason *r = &out->reasons[out->n++];
	va_list ap;
	r->colour = c;
	snprintf(r->cause, sizeof r->cause, "%s", cause);
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
	if (c > out->colour)
		out->colour = c;
}

static void day_text(int32_t d, char *buf, size_t len)
{
	date_format(d, buf, len);
}

/* Confirmed, suspected and asymptomatic: red until cured. */
static void cause_case(const struct rules *r, const struct code_facts *f,
		       struct code_result *out)
{
	(void)r;
	if (f->has_case)
		add(out, CODE_RED, "case", "%s case %s",
		    case_class_name(f->case_class), f->case_number);
}

/* Quarantine by its part: red in central or home quarantine, yellow in
 * home health monitoring; the group says why. */
static void cause_quarantine(const struct rules *r, const struct code_facts *f,
			     struct code_result *out)
{
	char d[11];
	(void)r;
	if (!f->q_status[0] || !strcmp(f->q_status, "released") ||
	    !strcmp(f->q_status, "upgraded"))
		return;
	if (!strcmp(f->q_status, "monitoring")) {
		day_text(f->q_monitoring_end, d, sizeof d);
		add(out, CODE_YELLOW, "monitoring",
		    "%s contact in home health monitoring until %s",
		    f->q_group, d);
		return;
	}
	int32_t end = !strcmp(f->q_status, "home") ? f->q_home_end
						   : f->q_central_end;
	day_text(end, d, sizeof d);
	add(out, !strcmp(f->q_group, "secondary") ? CODE_YELLOW : CODE_RED,
	    "quarantine", "%s contact%s in %s quarantine until %s", f->q_group,
	    !strcmp(f->q_group, "discharged") ? " (discharged patient)" : "",
	    !strcmp(f->q_status, "waiting") ? "central (waiting for a room)"
					    : f->q_status, d);
}

/* A traced contact without a plan yet: close red, secondary yellow. */
static void cause_contact(const struct rules *r, const struct code_facts *f,
			  struct code_result *out)
{
	(void)r;
	if (f->q_status[0] || f->q_planned_for_contact || f->contact_cat < 0)
		return;
	if (f->contact_cat == CAT_CLOSE)
		add(out, CODE_RED, "close_contact",
		    "close contact of case %s, to be quarantined",
		    f->contact_case);
	else if (f->contact_cat == CAT_SECONDARY)
		add(out, CODE_YELLOW, "secondary_contact",
		    "secondary contact of case %s", f->contact_case);
}

/* Same cell as a case: yellow until the required negatives. */
static void cause_companion(const struct rules *r, const struct code_facts *f,
			    struct code_result *out)
{
	if (f->contact_cat != CAT_COMPANION)
		return;
	int need = r->codes.yellow_clear_tests;
	if (f->negatives_since_exposure >= need && !f->positive_since_exposure)
		return;
	add(out, CODE_YELLOW, "companion",
	    "spatiotemporal companion of case %s: %d of %d negative tests "
	    "within %d days", f->contact_case, f->negatives_since_exposure,
	    need, r->codes.yellow_clear_days);
}

static void cause_pool(const struct rules *r, const struct code_facts *f,
		       struct code_result *out)
{
	if (f->pool_controlled)
		add(out, r->codes.pool_positive_red ? CODE_RED : CODE_YELLOW,
		    "pool_positive",
		    "pool positive (tube %s), controlled in place until the "
		    "single-tube result", f->pool_tube);
}

static void cause_missed(const struct rules *r, const struct code_facts *f,
			 struct code_result *out)
{
	(void)r;
	if (f->q_missed_tests > 0)
		add(out, CODE_YELLOW, "missed_tests",
		    "%d required test%s missed", f->q_missed_tests,
		    f->q_missed_tests == 1 ? "" : "s");
}

static void cause_fever(const struct rules *r, const struct code_facts *f,
			struct code_result *out)
{
	char when[24];
	if (f->checkpoint_fever < r->checkpoint.fever_celsius ||
	    f->now - f->checkpoint_fever_at > 86400)
		return;
	instant_format_cst(f->checkpoint_fever_at, when, sizeof when);
	add(out, CODE_YELLOW, "fever", "%.1f °C at a checkpoint at %.16s",
	    f->checkpoint_fever, when);
}

/* Residents of an active zone: sealed (high) red or yellow, controlled
 * (medium) yellow or green, by the deployment's choice; precaution (low)
 * green. */
static void cause_zone(const struct rules *r, const struct code_facts *f,
		       struct code_result *out)
{
	enum zone_level l = (enum zone_level)f->zone_level;
	enum code_colour c;
	if (l == ZONE_SEALED)
		c = r->codes.sealed_zone_red ? CODE_RED : CODE_YELLOW;
	else if (l == ZONE_CONTROLLED && r->codes.controlled_zone_yellow)
		c = CODE_YELLOW;
	else
		return;
	add(out, c, "zone", "lives in %s zone %s: %s",
	    zone_level_name(r, l), f->zone_code, zone_measures(l));
}

/* The causes, in the order their reasons are listed. */
static const cause_fn causes[] = {
	cause_case, cause_quarantine, cause_contact, cause_companion,
	cause_pool, cause_missed, cause_fever, cause_zone,
};

void code_compute(const struct rules *r, const struct code_facts *f,
		  struct code_result *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
		causes[i](r, f, out);
}

const char *code_colour_name(enum code_colour c)
{
	return c == CODE_RED ? "red" : c == CODE_YELLOW ? "yellow" : "green";
}

const char *code_colour_zh(enum code_colour c)
{
	return c == CODE_RED ? "红码" : c == CODE_YELLOW ? "黄码" : "绿码";
}

void code_facts_init(struct code_facts *f, int64_t now)
{
	memset(f, 0, sizeof *f);
	f->now = now;
	f->contact_cat = -1;
}
