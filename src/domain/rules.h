/* rules.h — the national rules as data: a profile (v8, v9, v9-20) and a
 * deployment's overrides, read from files a person can edit
 * (docs/rules.md). Every number of DOMAIN.md lives here. Pure: the loader
 * takes text, not paths. */
#ifndef CORDON_RULES_H
#define CORDON_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/registry.h"
#include "lib/err.h"

struct strbuf;

#define RULES_MAX_TEST_DAYS 16
#define RULES_NAME_MAX 32

/* A list of days counted from the clock's start (day 1 = the day after
 * last exposure). Each part of a regime has its own clock: central tests
 * count from the first day of central quarantine, home and monitoring
 * tests from the first day of that part (v8's "monitoring days 2, 7" are
 * the 2nd and 7th days of monitoring). Days are increasing. */
struct rules_days {
	int n;
	int day[RULES_MAX_TEST_DAYS];
};

struct rules_tracing {
	int lookback_days;          /* before onset (or sampling) */
	bool enclosed[VK_COUNT];    /* co-presence here can make a close contact */
	int overlap_minutes[VK_COUNT]; /* close-contact overlap threshold */
	int dwell_minutes[VK_COUNT];   /* assumed stay when no check-out */
	int bus_seat_rows;          /* same bus, |row difference| <= this */
	int rail_seat_rows;         /* same carriage, |row difference| <= this */
	int companion_minutes;      /* same cell overlapping >= this */
	/* At an enclosed venue, when more than this many scans overlap one
	 * visit by the threshold, venue codes cannot tell who shared the
	 * room: they are venue-exposed, not close (0 = no limit). */
	int crowd_limit;
	int proximity_minutes;      /* cumulative proximity >= this */
	bool secondary;             /* identify secondary close contacts */
	bool general_tested;        /* general / venue-exposed contacts are
				       tested (v9), not only registered (v8) */
};

/* A quarantine regime: central days, then home days (home quarantine or
 * home health monitoring), and the sampling days of each part. */
struct rules_regime {
	bool identified;            /* false: this group is not identified */
	int central_days;
	int home_days;              /* home quarantine */
	int monitoring_days;        /* home health monitoring after */
	struct rules_days central_tests, home_tests, monitoring_tests;
};

struct rules_quarantine {
	struct rules_regime close, secondary, discharged;
	/* a secondary contact is released only after the linked close
	 * contact's first N tests are negative */
	int secondary_needs_close_tests;
};

struct rules_zones {
	bool three_zone;            /* sealed/controlled/precaution (else
				       high/medium/low) */
	int sealed_quiet_days;      /* no new case for this many days */
	int sealed_round_within_days; /* all-negative round in the last N days */
	int high_to_medium_days;    /* v9: 7 */
	int high_round_day;         /* v9: the all-negative round on day 7 */
	int medium_to_low_days;     /* v9: 3 further days */
	int high_to_low_days;       /* v9-20: 5 (0 = not used) */
	int sealed_round_hours;     /* a sealed zone's round finishes in 24 h */
	int controlled_round_hours; /* a controlled zone's in 48 h */
	int min_rounds;             /* at least 3 rounds */
	/* places of frequent activity join a case's sealed (high) zone:
	 * visited this many times in the tracing window, or for this many
	 * minutes in all */
	int frequent_visits;
	int frequent_minutes;
};

struct rules_testing {
	int pool_size;              /* default pool: 10 */
	int pool_sizes[4];          /* allowed: 1 5 10 20 (0 ends) */
};

struct rules_codes {
	int yellow_clear_tests;     /* negatives needed to clear yellow: 3 */
	int yellow_clear_days;      /* within this many days: 7 */
	int itinerary_stay_hours;   /* a city counts after 4 h */
	int itinerary_days;         /* in the last 14 days */
	bool itinerary_star;        /* star cities with risk areas (v8) */
	/* members of a positive pool, controlled in place until their
	 * single-tube result: red (yes) or yellow (no) */
	bool pool_positive_red;
	int arrival_window_days;    /* arrival from a risk area counts */
	/* residents of an active zone: sealed (high) red (yes) or yellow
	 * (no); controlled (medium) yellow (yes) or green (no);
	 * precaution (low) stays green */
	bool sealed_zone_red;
	bool controlled_zone_yellow;
};

struct rules_checkpoint {
	int cert_hours[3];          /* negative-certificate windows: 24 48 72 */
	double fever_celsius;       /* >= 37.3 is abnormal */
};

struct rules {
	char profile[RULES_NAME_MAX];  /* "v8", "v9", "v9-20" */
	struct rules_tracing tracing;
	struct rules_quarantine quarantine;
	struct rules_zones zones;
	struct rules_testing testing;
	struct rules_codes codes;
	struct rules_checkpoint checkpoint;
};

/* ---- loading: profiles and deployment overrides (docs/rules.md) */

#define RULES_KEY_MAX 128     /* >= rules_key_count() */
#define RULES_FILE_MAX 256

/* A profile's text: shipped inside the binary (rules_profiles, generated
 * at build time from rules/NAME.rules) or given by a test. */
struct rules_profile {
	const char *name;   /* "v9" */
	const char *file;   /* "rules/v9.rules", for origins and messages */
	const char *text;   /* INI text, NUL-terminated */
};
/* The built-in profiles, ending with a NULL name (build/gen/rules_data.c). */
extern const struct rules_profile rules_profiles[];

enum rules_from { RULES_FROM_NONE, RULES_FROM_PROFILE, RULES_FROM_DEPLOY };

/* The effective rules and where each value came from. Plain data: copy it
 * freely; nothing to free. */
struct rules_eff {
	struct rules r;
	char profile_file[RULES_FILE_MAX];   /* "rules/v9.rules" */
	char deploy_file[RULES_FILE_MAX];    /* "" when no deployment file */
	int profile_line;          /* line of `profile =` in the deployment
				      file; 0 when not taken from it */
	unsigned char from[RULES_KEY_MAX];   /* enum rules_from, per key */
	int line[RULES_KEY_MAX];             /* line in that file, per key */
};

/* The built-in profile called name, or NULL. */
const struct rules_profile *rules_profile_find(const char *name);

/* The effective rules: the built-in profile `profile` if not NULL, else
 * the one the deployment text names (top-level `profile = NAME`), else
 * "v9"; then the deployment text's overrides, if deploy_text is not NULL
 * (deploy_file names it in messages and origins). Pure: takes text. On
 * error returns CD_EINVAL with "FILE:LINE: KEY value 'V': must be ..." (or
 * "FILE: missing key ...") in err; *out is then unspecified. */
enum cd_code rules_load(const char *profile, const char *deploy_file,
			const char *deploy_text, struct rules_eff *out,
			struct cd_err *err);
/* As rules_load with an explicit profile text (every key required) and an
 * optional deployment text, whose own `profile =` must name a built-in
 * profile but does not choose one here. Errors as rules_load. */
enum cd_code rules_load_texts(const struct rules_profile *profile,
			      const char *deploy_file,
			      const char *deploy_text, struct rules_eff *out,
			      struct cd_err *err);
/* The checks that span keys, on loaded rules: test days within their
 * part of quarantine, the default pool among the allowed sizes, a lifting
 * rule for the zone model, secondary contacts identified in both places.
 * CD_EINVAL naming the key, its file and line, value and allowed range. */
enum cd_code rules_check(const struct rules_eff *eff, struct cd_err *err);
/* The built-in profile `name` with no overrides, into *out (for tracing,
 * tests and tools). CD_EINVAL if there is no such profile. */
enum cd_code rules_builtin(const char *name, struct rules *out,
			   struct cd_err *err);

/* ---- the keys, in file order (for rules show, the writer, docs) */

enum rules_type {
	RULES_T_INT,     /* a whole number from lo to hi */
	RULES_T_BOOL,    /* yes or no */
	RULES_T_DAYS,    /* struct rules_days: increasing days lo..hi, or none */
	RULES_T_LIST,    /* int[cap], 1..cap increasing values lo..hi, 0-padded */
	RULES_T_TENTHS,  /* double with one decimal; lo and hi in tenths */
};

struct rules_key {
	char name[64];       /* "venue.teahouse.overlap_minutes" */
	char section[32];    /* "venue.teahouse" */
	const char *key;     /* "overlap_minutes" */
	enum rules_type type;
	int lo, hi, cap;
	size_t off;          /* offset of the value in struct rules */
	const char *unit;    /* "days", "minutes", "" ... */
};

/* How many keys there are (every one is required in a profile file). */
size_t rules_key_count(void);
/* Describe key i (i < rules_key_count()) into *k. */
void rules_key_get(size_t i, struct rules_key *k);
/* The index of section/key, or -1; key NULL: the section's first key. */
int rules_key_find(const char *section, const char *key);
/* Key i's value in r as numbers into v (booleans 0/1, tenths for
 * RULES_T_TENTHS); returns how many (0 for an empty day list). v must
 * hold RULES_MAX_TEST_DAYS. */
int rules_value_get(const struct rules *r, size_t i, int *v);
/* Set key i in r from its text form (as in a file, already trimmed). On
 * error returns CD_EINVAL, leaves r as it was and writes the reason
 * ("must be 1 to 14") into why. */
enum cd_code rules_value_set(struct rules *r, size_t i, const char *text,
			     char *why, size_t wlen);
/* Append key i's value in r as the file writes it ("2", "yes",
 * "1 4 7 14", "none", "37.3"). */
void rules_value_format(const struct rules *r, size_t i, struct strbuf *sb);
/* Append what key i allows ("a whole number from 1 to 14", ...). */
void rules_range_format(size_t i, struct strbuf *sb);
/* Append where eff's value of key i came from: "profile v9
 * (rules/v9.rules:23)" or "deploy.rules:4". */
void rules_origin_format(const struct rules_eff *eff, size_t i,
			 struct strbuf *sb);

/* Append r as a complete deployment file (top-level `profile`, every
 * section and key) that rules_load reads back into an equal struct. */
void rules_write(const struct rules *r, struct strbuf *sb);
/* Whether a and b hold the same profile name and the same value for every
 * key (padding and unused list slots aside). */
bool rules_equal(const struct rules *a, const struct rules *b);

#endif
