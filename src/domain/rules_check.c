/* rules_check.c — the checks on loaded rules that span keys: each value
 * was already checked alone as it was read; here the ones whose allowed
 * range depends on another key. Messages name the file and line the value
 * came from, as the loader's do. */
#include "domain/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

static size_t key(const char *section, const char *name)
{
	int i = rules_key_find(section, name);
	return i < 0 ? 0 : (size_t)i; /* every name here is in the table */
}

/* Refuse key i: "FILE:LINE: NAME value 'V': " and the reason. */
__attribute__((format(printf, 4, 5)))
static enum cd_code refuse(const struct rules_eff *e, size_t i,
			   struct cd_err *err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct rules_key k;
	va_list ap;
	rules_key_get(i, &k);
	strbuf_addf(&sb, "%s:%d: %s value '",
		    e->from[i] == RULES_FROM_DEPLOY ? e->deploy_file
						    : e->profile_file,
		    e->line[i], k.name);
	rules_value_format(&e->r, i, &sb);
	strbuf_addstr(&sb, "': ");
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cd_err_set(err, CD_EINVAL, "%s", sb.buf);
	strbuf_release(&sb);
	return CD_EINVAL;
}

/* Of two keys that must agree, blame the one the deployment changed. */
static bool deployed_alone(const struct rules_eff *e, size_t a, size_t b)
{
	return e->from[a] == RULES_FROM_DEPLOY &&
	       e->from[b] != RULES_FROM_DEPLOY;
}

/* Test days fall within their part of quarantine. */
static enum cd_code check_regime(const struct rules_eff *e,
				 const char *section, struct cd_err *err)
{
	static const char *const parts[] = { "central", "home", "monitoring" };
	for (size_t p = 0; p < 3; p++) {
		char dk[32], tk[32];
		int len[RULES_MAX_TEST_DAYS], v[RULES_MAX_TEST_DAYS];
		snprintf(dk, sizeof dk, "%s_days", parts[p]);
		snprintf(tk, sizeof tk, "%s_tests", parts[p]);
		size_t ti = key(section, tk), di = key(section, dk);
		rules_value_get(&e->r, di, len);
		int n = rules_value_get(&e->r, ti, v);
		if (n == 0 || v[n - 1] <= len[0])
			continue;
		if (deployed_alone(e, di, ti))
			return refuse(e, di, err, "must be %d to 30: %s.%s "
				      "has day %d", v[n - 1], section, tk,
				      v[n - 1]);
		if (len[0] == 0)
			return refuse(e, ti, err, "%s.%s is 0, so this must "
				      "be none", section, dk);
		return refuse(e, ti, err, "day %d is past %s.%s (%d); days "
			      "must be 1 to %d", v[n - 1], section, dk,
			      len[0], len[0]);
	}
	return CD_OK;
}

/* The high/medium/low model needs one lifting rule and a round day
 * within it. */
static enum cd_code check_zones(const struct rules_eff *e,
				struct cd_err *err)
{
	const struct rules_zones *z = &e->r.zones;
	if (z->three_zone)
		return CD_OK;
	if (!z->high_to_medium_days && !z->high_to_low_days)
		return refuse(e, key("zones", "high_to_medium_days"), err,
			      "with zones.three_zone = no, this or "
			      "zones.high_to_low_days must be 1 to 30");
	if (z->high_to_medium_days && z->high_to_low_days)
		return refuse(e, key("zones", "high_to_low_days"), err,
			      "must be 0 when zones.high_to_medium_days is "
			      "set (high → medium → low)");
	if (z->high_to_medium_days && !z->medium_to_low_days)
		return refuse(e, key("zones", "medium_to_low_days"), err,
			      "must be 1 to 30 when zones.high_to_medium_days "
			      "is set");
	int limit = z->high_to_medium_days ? z->high_to_medium_days
					   : z->high_to_low_days;
	if (z->high_round_day > limit)
		return refuse(e, key("zones", "high_round_day"), err,
			      "must be 0 to %d (the quiet days before a "
			      "high-risk area is lowered)", limit);
	return CD_OK;
}

static enum cd_code check_others(const struct rules_eff *e,
				 struct cd_err *err)
{
	const struct rules *r = &e->r;
	bool found = false;
	for (int j = 0; j < 4 && r->testing.pool_sizes[j]; j++)
		found |= r->testing.pool_sizes[j] == r->testing.pool_size;
	size_t ps = key("testing", "pool_sizes");
	size_t p1 = key("testing", "pool_size");
	if (!found && deployed_alone(e, ps, p1))
		return refuse(e, ps, err, "must include testing.pool_size "
			      "(%d)", r->testing.pool_size);
	if (!found) {
		struct strbuf sizes = STRBUF_INIT;
		rules_value_format(r, ps, &sizes);
		enum cd_code rc = refuse(e, p1, err,
					 "must be one of testing.pool_sizes "
					 "(%s)", sizes.buf);
		strbuf_release(&sizes);
		return rc;
	}
	size_t ts = key("tracing", "secondary");
	size_t si = key("quarantine.secondary", "identified");
	if (r->quarantine.secondary.identified == r->tracing.secondary)
		return CD_OK;
	if (deployed_alone(e, ts, si))
		return refuse(e, ts, err, "must equal quarantine.secondary."
			      "identified (%s)", r->tracing.secondary ? "no"
			      : "yes");
	return refuse(e, si, err, "must equal tracing.secondary (%s)",
		      r->tracing.secondary ? "yes" : "no");
}

enum cd_code rules_check(const struct rules_eff *eff, struct cd_err *err)
{
	static const char *const regimes[] = {
		"quarantine.close", "quarantine.secondary",
		"quarantine.discharged",
	};
	enum cd_code rc;
	for (size_t g = 0; g < 3; g++)
		if ((rc = check_regime(eff, regimes[g], err)))
			return rc;
	if ((rc = check_zones(eff, err)))
		return rc;
	return check_others(eff, err);
}
