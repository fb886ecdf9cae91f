/* rules_keys.c — the keys of a rules file: their sections, names, types,
 * allowed ranges and places in struct rules, and how each value is read
 * from and written as text. The table is the one list of keys: the loader,
 * the writer, `rules show` and the missing-key check all walk it. */
#include "domain/rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

struct keydef {
	const char *section, *key;
	enum rules_type type;
	int lo, hi, cap;
	size_t off;
	const char *unit;
};

#define R(f) offsetof(struct rules, f)
#define INT(s, k, lo, hi, f, u) { s, k, RULES_T_INT, lo, hi, 1, R(f), u }
#define BOOL(s, k, f) { s, k, RULES_T_BOOL, 0, 1, 1, R(f), "" }
#define DAYS(s, k, f) \
	{ s, k, RULES_T_DAYS, 1, 30, RULES_MAX_TEST_DAYS, R(f), "day" }
#define REGIME(s, g) \
	BOOL(s, "identified", quarantine.g.identified), \
	INT(s, "central_days", 0, 30, quarantine.g.central_days, "days"), \
	INT(s, "home_days", 0, 30, quarantine.g.home_days, "days"), \
	INT(s, "monitoring_days", 0, 30, quarantine.g.monitoring_days, \
	    "days"), \
	DAYS(s, "central_tests", quarantine.g.central_tests), \
	DAYS(s, "home_tests", quarantine.g.home_tests), \
	DAYS(s, "monitoring_tests", quarantine.g.monitoring_tests)

/* [tracing] first, then the venue sections, then the rest: the order of
 * the files and of `rules show`. */
#define N_TRACING 8
static const struct keydef fixed[] = {
	INT("tracing", "lookback_days", 1, 14, tracing.lookback_days, "days"),
	INT("tracing", "bus_seat_rows", 0, 20, tracing.bus_seat_rows, "rows"),
	INT("tracing", "rail_seat_rows", 0, 20, tracing.rail_seat_rows,
	    "rows"),
	INT("tracing", "companion_minutes", 1, 1440,
	    tracing.companion_minutes, "minutes"),
	INT("tracing", "proximity_minutes", 1, 1440,
	    tracing.proximity_minutes, "minutes"),
	INT("tracing", "crowd_limit", 0, 100000, tracing.crowd_limit,
	    "people"),
	BOOL("tracing", "secondary", tracing.secondary),
	BOOL("tracing", "general_tested", tracing.general_tested),
	REGIME("quarantine.close", close),
	REGIME("quarantine.secondary", secondary),
	INT("quarantine.secondary", "needs_close_tests", 0,
	    RULES_MAX_TEST_DAYS, quarantine.secondary_needs_close_tests,
	    "tests"),
	REGIME("quarantine.discharged", discharged),
	BOOL("zones", "three_zone", zones.three_zone),
	INT("zones", "sealed_quiet_days", 1, 30, zones.sealed_quiet_days,
	    "days"),
	INT("zones", "sealed_round_within_days", 1, 7,
	    zones.sealed_round_within_days, "days"),
	INT("zones", "high_to_medium_days", 0, 30, zones.high_to_medium_days,
	    "days"),
	INT("zones", "high_round_day", 0, 30, zones.high_round_day, "day"),
	INT("zones", "medium_to_low_days", 0, 30, zones.medium_to_low_days,
	    "days"),
	INT("zones", "high_to_low_days", 0, 30, zones.high_to_low_days,
	    "days"),
	INT("zones", "sealed_round_hours", 1, 72, zones.sealed_round_hours,
	    "hours"),
	INT("zones", "controlled_round_hours", 1, 96,
	    zones.controlled_round_hours, "hours"),
	INT("zones", "min_rounds", 1, 10, zones.min_rounds, "rounds"),
	INT("zones", "frequent_visits", 1, 100, zones.frequent_visits,
	    "visits"),
	INT("zones", "frequent_minutes", 1, 1440, zones.frequent_minutes,
	    "minutes"),
	INT("testing", "pool_size", 1, 50, testing.pool_size, "swabs"),
	{ "testing", "pool_sizes", RULES_T_LIST, 1, 50, 4,
	  R(testing.pool_sizes), "swabs" },
	INT("codes", "yellow_clear_tests", 1, 10, codes.yellow_clear_tests,
	    "tests"),
	INT("codes", "yellow_clear_days", 1, 30, codes.yellow_clear_days,
	    "days"),
	INT("codes", "itinerary_stay_hours", 1, 24,
	    codes.itinerary_stay_hours, "hours"),
	INT("codes", "itinerary_days", 1, 30, codes.itinerary_days, "days"),
	BOOL("codes", "itinerary_star", codes.itinerary_star),
	BOOL("codes", "pool_positive_red", codes.pool_positive_red),
	INT("codes", "arrival_window_days", 1, 30, codes.arrival_window_days,
	    "days"),
	BOOL("codes", "sealed_zone_red", codes.sealed_zone_red),
	BOOL("codes", "controlled_zone_yellow", codes.controlled_zone_yellow),
	{ "checkpoint", "cert_hours", RULES_T_LIST, 1, 168, 3,
	  R(checkpoint.cert_hours), "hours" },
	{ "checkpoint", "fever_celsius", RULES_T_TENTHS, 360, 420, 1,
	  R(checkpoint.fever_celsius), "°C" },
};
#define N_FIXED (sizeof fixed / sizeof *fixed)

/* Per venue kind, the same three keys; offsets are of element 0. */
static const struct keydef venue[] = {
	BOOL("venue", "enclosed", tracing.enclosed),
	INT("venue", "overlap_minutes", 1, 1440, tracing.overlap_minutes,
	    "minutes"),
	INT("venue", "dwell_minutes", 1, 1440, tracing.dwell_minutes,
	    "minutes"),
};
#define N_VENUE (3 * (size_t)VK_COUNT)

_Static_assert(N_FIXED + N_VENUE <= RULES_KEY_MAX, "raise RULES_KEY_MAX");

size_t rules_key_count(void)
{
	return N_FIXED + N_VENUE;
}

void rules_key_get(size_t i, struct rules_key *k)
{
	const struct keydef *d;
	size_t off = 0;
	memset(k, 0, sizeof *k);
	if (i < N_TRACING || i >= N_TRACING + N_VENUE) {
		d = &fixed[i < N_TRACING ? i : i - N_VENUE];
		snprintf(k->section, sizeof k->section, "%s", d->section);
	} else {
		size_t vk = (i - N_TRACING) / 3;
		d = &venue[(i - N_TRACING) % 3];
		off = vk * (d->type == RULES_T_BOOL ? sizeof(bool)
						     : sizeof(int));
		snprintf(k->section, sizeof k->section, "venue.%s",
			 venue_kind_name((enum venue_kind)vk));
	}
	snprintf(k->name, sizeof k->name, "%s.%s", k->section, d->key);
	k->key = d->key;
	k->type = d->type;
	k->lo = d->lo;
	k->hi = d->hi;
	k->cap = d->cap;
	k->off = d->off + off;
	k->unit = d->unit;
}

int rules_key_find(const char *section, const char *key)
{
	if (strncmp(section, "venue.", 6) == 0) {
		enum venue_kind vk;
		if (venue_kind_parse(section + 6, &vk, NULL) != CD_OK)
			return -1;
		for (size_t j = 0; j < 3; j++)
			if (!key || strcmp(key, venue[j].key) == 0)
				return (int)(N_TRACING + (size_t)vk * 3 + j);
		return -1;
	}
	for (size_t j = 0; j < N_FIXED; j++)
		if (strcmp(section, fixed[j].section) == 0 &&
		    (!key || strcmp(key, fixed[j].key) == 0))
			return (int)(j < N_TRACING ? j : j + N_VENUE);
	return -1;
}

int rules_value_get(const struct rules *r, size_t i, int *v)
{
	struct rules_key k;
	rules_key_get(i, &k);
	const char *p = (const char *)r + k.off;
	switch (k.type) {
	case RULES_T_INT:
		memcpy(v, p, sizeof(int));
		return 1;
	case RULES_T_BOOL:
		v[0] = *(const bool *)p;
		return 1;
	case RULES_T_TENTHS:
		v[0] = (int)lround(*(const double *)p * 10.0);
		return 1;
	case RULES_T_DAYS: {
		const struct rules_days *d = (const struct rules_days *)p;
		int n = d->n < 0 ? 0 : d->n > k.cap ? k.cap : d->n;
		memcpy(v, d->day, (size_t)n * sizeof(int));
		return n;
	}
	case RULES_T_LIST: {
		int n = 0;
		const int *a = (const int *)p;
		while (n < k.cap && a[n] != 0) {
			v[n] = a[n];
			n++;
		}
		return n;
	}
	}
	return 0;
}

void rules_value_format(const struct rules *r, size_t i, struct strbuf *sb)
{
	struct rules_key k;
	int v[RULES_MAX_TEST_DAYS];
	rules_key_get(i, &k);
	int n = rules_value_get(r, i, v);
	if (k.type == RULES_T_BOOL) {
		strbuf_addstr(sb, v[0] ? "yes" : "no");
	} else if (k.type == RULES_T_TENTHS) {
		strbuf_addf(sb, "%d.%d", v[0] / 10, v[0] % 10);
	} else if (n == 0) {
		strbuf_addstr(sb, "none");
	} else {
		for (int j = 0; j < n; j++)
			strbuf_addf(sb, "%s%d", j ? " " : "", v[j]);
	}
}

void rules_range_format(size_t i, struct strbuf *sb)
{
	struct rules_key k;
	rules_key_get(i, &k);
	switch (k.type) {
	case RULES_T_INT:
		strbuf_addf(sb, "a whole number from %d to %d", k.lo, k.hi);
		break;
	case RULES_T_BOOL:
		strbuf_addstr(sb, "yes or no");
		break;
	case RULES_T_DAYS:
		strbuf_addf(sb, "days from %d to %d in increasing order, "
			    "separated by spaces, or none", k.lo, k.hi);
		break;
	case RULES_T_LIST:
		strbuf_addf(sb, "1 to %d numbers from %d to %d in increasing "
			    "order, separated by spaces", k.cap, k.lo, k.hi);
		break;
	case RULES_T_TENTHS:
		strbuf_addf(sb, "a number from %d.%d to %d.%d with at most "
			    "one decimal", k.lo / 10, k.lo % 10, k.hi / 10,
			    k.hi % 10);
		break;
	}
}

/* Digits only (at least one): the value, saturating at 10^9; else -1. */
static long whole(const char *s, size_t len)
{
	long v = 0;
	if (len == 0)
		return -1;
	for (size_t j = 0; j < len; j++) {
		if (s[j] < '0' || s[j] > '9')
			return -1;
		if (v < 1000000000L)
			v = v * 10 + (s[j] - '0');
	}
	return v;
}

/* "37" or "37.3" as tenths; -1 if malformed. */
static long tenths(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	long ip = whole(s, ilen);
	if (ip < 0)
		return -1;
	if (!dot)
		return ip >= 100000000L ? 1000000000L : ip * 10;
	if (strlen(dot + 1) != 1 || whole(dot + 1, 1) < 0)
		return -1;
	return ip >= 100000000L ? 1000000000L : ip * 10 + (dot[1] - '0');
}

/* Space-separated increasing numbers lo..hi, at most cap, into v; writes
 * a reason into why and returns -1 on error, else the count. */
static int numbers(const char *s, const struct rules_key *k, int *v,
		   char *why, size_t wlen)
{
	int n = 0;
	while (*s) {
		size_t len = strcspn(s, " \t");
		if (len == 0) {
			s++;
			continue;
		}
		long x = whole(s, len);
		if (x < 0) {
			snprintf(why, wlen, "'%.*s' is not a whole number; ",
				 (int)(len > 20 ? 20 : len), s);
			return -1;
		}
		if (x < k->lo || x > k->hi) {
			snprintf(why, wlen, "%ld is out of range; ", x);
			return -1;
		}
		if (n == k->cap) {
			snprintf(why, wlen, "more than %d values; ", k->cap);
			return -1;
		}
		if (n > 0 && x <= v[n - 1]) {
			snprintf(why, wlen, "%ld is not after %d; ", x,
				 v[n - 1]);
			return -1;
		}
		v[n++] = (int)x;
		s += len;
	}
	return n;
}

static enum cd_code set_list(struct rules *r, const struct rules_key *k,
			     const char *text, char *why, size_t wlen)
{
	int v[RULES_MAX_TEST_DAYS];
	char *p = (char *)r + k->off;
	int n = 0;
	why[0] = '\0';
	if (k->type != RULES_T_DAYS || strcmp(text, "none") != 0) {
		n = numbers(text, k, v, why, wlen);
		if (n < 0)
			return CD_EINVAL;
		if (n == 0) {
			snprintf(why, wlen, "empty; ");
			return CD_EINVAL;
		}
	}
	if (k->type == RULES_T_DAYS) {
		struct rules_days *d = (struct rules_days *)p;
		memset(d, 0, sizeof *d);
		d->n = n;
		memcpy(d->day, v, (size_t)n * sizeof(int));
	} else {
		memset(p, 0, (size_t)k->cap * sizeof(int));
		memcpy(p, v, (size_t)n * sizeof(int));
	}
	return CD_OK;
}

enum cd_code rules_value_set(struct rules *r, size_t i, const char *text,
			     char *why, size_t wlen)
{
	struct rules_key k;
	rules_key_get(i, &k);
	char *p = (char *)r + k.off;
	long x;
	why[0] = '\0';
	switch (k.type) {
	case RULES_T_INT:
		x = whole(text, strlen(text));
		if (x < 0)
			break;
		if (x < k.lo || x > k.hi) {
			snprintf(why, wlen, "must be %d to %d", k.lo, k.hi);
			return CD_EINVAL;
		}
		*(int *)(void *)p = (int)x;
		return CD_OK;
	case RULES_T_BOOL:
		if (strcmp(text, "yes") && strcmp(text, "no"))
			break;
		*(bool *)p = strcmp(text, "yes") == 0;
		return CD_OK;
	case RULES_T_TENTHS:
		x = tenths(text);
		if (x < k.lo || x > k.hi)
			break;
		*(double *)(void *)p = (double)x / 10.0;
		return CD_OK;
	case RULES_T_DAYS:
	case RULES_T_LIST:
		if (set_list(r, &k, text, why, wlen) == CD_OK)
			return CD_OK;
		break;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%smust be ", why);
	rules_range_format(i, &sb);
	snprintf(why, wlen, "%s", sb.buf);
	strbuf_release(&sb);
	return CD_EINVAL;
}
