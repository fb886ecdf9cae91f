/* demo_zones.c — the demo's area control (联控): zones proposed from the
 * case and confirmed by the command centre; three rounds of area testing
 * in 72 hours over them, sampled by the grid workers from the real
 * missing lists; then, day by day, each zone lifted when the profile
 * allows, with the round it requires run on that day. Everything goes
 * through the real use cases (zones_run, rounds_run) and importers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rounds_run.h"
#include "app/zones_run.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/synth_common.h"
#include "lib/date.h"
#include "lib/sort.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

#define LIFT_DAYS 30    /* how far the demo follows the zones */
#define ACTOR "县指挥部"

static int rid_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sample the first `share` percent (100: all) of the round's missing
 * residents in 10-in-1 pools at instant t, and add a negative result for
 * each new tube to results (at instant done); *sampled counts them. */
static enum cd_code sample_missing(struct store *st, const struct rules *r,
				   const char *round, int share, int64_t t,
				   int64_t done, struct strbuf *results,
				   long *sampled, struct cd_err *err)
{
	static long tube;   /* tube codes stay unique across rounds */
	struct store_round rd;
	struct store_round_missing *m = NULL;
	size_t n = 0;
	*sampled = 0;
	enum cd_code rc = rounds_missing_get(st, round, &rd, &m, &n, err);
	if (rc)
		return rc;
	const char **rids = xcalloc(n + 1, sizeof *rids);
	for (size_t i = 0; i < n; i++)
		rids[i] = m[i].rid;
	sort_array(rids, n, sizeof *rids, rid_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)   /* once each, whatever the workers */
		if (!u || strcmp(rids[u - 1], rids[i]))
			rids[u++] = rids[i];
	size_t take = share >= 100 ? u : u * (size_t)share / 100;
	struct strbuf csv = STRBUF_INIT;
	char when[32], res[32];
	instant_format_iso(t, when, sizeof when);
	instant_format_iso(done, res, sizeof res);
	strbuf_addstr(&csv, "tube,pool_size,point,sampled_at,round,"
		      "resident_id,retest_of\n");
	for (size_t i = 0; i < take; i++) {
		if (i % 10 == 0) {
			tube++;
			strbuf_addf(results, "A%06ld,negative,衡南县疾控中心"
				    "实验室,%s\n", tube, res);
		}
		strbuf_addf(&csv, "A%06ld,10,网格采样点,%s,%s,%s,\n", tube, when,
			    round, rids[i]);
	}
	if (take)
		rc = demo_feed(st, r, IMPORT_SAMPLES, "round samples", &csv, t,
			       err);
	strbuf_release(&csv);
	free(rids);
	free(m);
	*sampled = (long)take;
	return rc;
}

static void count(long n, char *buf, size_t len)
{
	fmt_count(n, buf, len);
}

/* One round over zone z on day d: started 08:00 with the profile's hours,
 * 95 % sampled by 12:00 (the missing list goes to the grid workers), the
 * rest by 16:00, results negative at 20:00, closed at 21:00. */
static enum cd_code round_over(struct store *st, const struct rules *r,
			       int64_t z, int32_t d, bool verbose,
			       struct cd_err *err)
{
	char units[ROUNDS_UNITS_MAX * UNIT_CODE_MAX], code[16], day[11];
	enum zone_level level;
	struct store_round rd;
	struct strbuf results = STRBUF_INIT;
	long s1 = 0, s2 = 0;
	date_format(d, day, sizeof day);
	snprintf(code, sizeof code, "Q%.2s%.2s-Z%lld", day + 5, day + 8,
		 (long long)z);
	enum cd_code rc = zones_round_units(st, z, units, sizeof units, &level,
					    err);
	int hours = level == ZONE_SEALED ? r->zones.sealed_round_hours
					 : r->zones.controlled_round_hours;
	strbuf_addstr(&results, "tube,result,lab,result_at\n");
	if (!rc)
		rc = rounds_start(st, code, units, demo_at(d, 8), hours, &rd,
				  err);
	if (!rc)
		rc = sample_missing(st, r, code, 95, demo_at(d, 12),
				    demo_at(d, 20), &results, &s1, err);
	struct rounds_status s1st;
	memset(&s1st, 0, sizeof s1st);
	if (!rc)
		rc = rounds_status_get(st, code, demo_at(d, 12), &s1st, err);
	long expected = s1st.expected, missing = s1st.expected - s1st.sampled;
	rounds_status_release(&s1st);
	if (!rc)
		rc = sample_missing(st, r, code, 100, demo_at(d, 16),
				    demo_at(d, 20), &results, &s2, err);
	if (!rc)
		rc = demo_feed(st, r, IMPORT_RESULTS, "round results", &results,
			       demo_at(d, 20), err);
	strbuf_release(&results);
	struct rounds_outcome o;
	memset(&o, 0, sizeof o);
	if (!rc)
		rc = rounds_close(st, code, demo_at(d, 21), &o, err);
	bool neg = o.res.tubes && o.res.negative == o.res.tubes;
	rounds_outcome_release(&o);
	if (rc)
		return rc;
	char e[32], m[32];
	count(expected, e, sizeof e);
	count(missing, m, sizeof m);
	if (verbose)
		printf("  %s round %s over Z%04lld (%d h): %s residents "
		       "expected; at 12:00 %s still\n    on the grid workers' "
		       "missing lists ('cordon round missing'), sampled by "
		       "16:00;\n    %ld tubes, %s; closed\n", day, code,
		       (long long)z, hours, e, m, o.res.tubes,
		       neg ? "all negative" : "NOT all negative");
	else
		printf("  %s round %s over Z%04lld: %s residents, %ld tubes, "
		       "%s\n", day, code, (long long)z, e, o.res.tubes,
		       neg ? "all negative" : "NOT all negative");
	return CD_OK;
}

struct zlist {
	int64_t ids[16];
	int levels[16];
	size_t n;
};

static enum cd_code keep(void *ctx, const struct store_zone *z)
{
	struct zlist *l = ctx;
	if (l->n < 16) {
		l->levels[l->n] = z->level;
		l->ids[l->n++] = z->id;
	}
	return CD_OK;
}

/* Residents of zone z whose code is colour. */
static long coloured(struct store *st, int64_t z, const char *colour)
{
	uint32_t *ids;
	size_t n;
	long k = 0;
	struct cd_err err;
	if (store_zone_resident_ids(st, z, &ids, &n, &err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct store_code c;
		if (!store_code_get(st, ids[i], &c, &err))
			k += !strcmp(c.colour, colour);
	}
	free(ids);
	return k;
}

static enum cd_code print_zone(void *ctx, const struct store_zone_area *a)
{
	int *k = ctx;
	printf("%s%s%s", (*k)++ ? ", " : "", strcmp(a->kind, "venue")
						     ? "" : "place ", a->name);
	return CD_OK;
}

static enum cd_code propose(struct store *st, const struct rules *r,
			    const char *number, int32_t d0, struct zlist *zl,
			    struct cd_err *err)
{
	struct zones_actor a = { ACTOR, demo_at(d0, 9) };
	int64_t p;
	enum cd_code rc = zones_propose(st, r, &number, 1, UNIT_TOWN, &a, &p,
					err);
	if (!rc)
		rc = zones_confirm(st, r, p, &a, err);
	if (!rc)
		rc = store_zone_list(st, p, NULL, keep, zl, err);
	for (size_t i = 0; !rc && i < zl->n; i++) {
		struct store_zone z;
		char res[32];
		int k = 0;
		if ((rc = store_zone_get(st, zl->ids[i], &z, err)))
			break;
		count(z.residents, res, sizeof res);
		printf("  Z%04lld %s %s: ", (long long)z.id,
		       zone_level_name(r, z.level), zone_level_zh(r, z.level));
		rc = store_zone_areas(st, z.id, print_zone, &k, err);
		printf(" — %s residents; %s\n", res,
		       zone_measures_zh(z.level));
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < zl->n; i++) {
		char c[32];
		if (zl->levels[i] == ZONE_SEALED) {
			count(coloured(st, zl->ids[i], "red"), c, sizeof c);
			printf("  codes: %s residents of Z%04lld red", c,
			       (long long)zl->ids[i]);
		}
		if (zl->levels[i] == ZONE_CONTROLLED) {
			count(coloured(st, zl->ids[i], "yellow"), c, sizeof c);
			printf(", %s of Z%04lld yellow", c,
			       (long long)zl->ids[i]);
		}
	}
	printf(" (cause \"zone\", with the profile's measures)\n");
	return CD_OK;
}

/* Each day, each active zone: lift it when ready; on its earliest day,
 * run the round it still needs first. */
static enum cd_code lift_on_schedule(struct store *st, const struct rules *r,
				     int32_t d0, struct cd_err *err)
{
	enum cd_code rc = CD_OK;
	for (int32_t d = d0 + 3; !rc && d <= d0 + LIFT_DAYS; d++) {
		struct zlist zl;
		memset(&zl, 0, sizeof zl);
		if ((rc = store_zone_list(st, 0, "active", keep, &zl, err)))
			break;
		if (zl.n == 0)
			break;
		for (size_t i = 0; !rc && i < zl.n; i++) {
			struct zones_view v;
			struct zones_actor a = { ACTOR, demo_at(d, 22) };
			if (zl.levels[i] == ZONE_PRECAUTION)
				continue;
			rc = zones_view_get(st, r, zl.ids[i], a.now, &v, err);
			bool run = !rc && !v.step.ready &&
				   v.step.earliest == d && v.z.units > 0;
			zones_view_release(&v);
			if (run)
				rc = round_over(st, r, zl.ids[i], d, false, err);
			if (!rc)
				rc = zones_view_get(st, r, zl.ids[i], a.now, &v,
						    err);
			if (rc || !v.step.ready) {
				zones_view_release(&v);
				continue;
			}
			enum zone_level from = v.z.level, to;
			char day[11];
			date_format(d, day, sizeof day);
			zones_view_release(&v);
			if ((rc = zones_lift(st, r, zl.ids[i], false, NULL, &a,
					     &to, err)))
				break;
			printf("  %s Z%04lld %s → %s%s\n", day,
			       (long long)zl.ids[i], zone_level_zh(r, from),
			       zone_level_zh(r, to),
			       to == ZONE_NONE ? " (lifted on schedule)"
					       : " (downgraded on schedule)");
		}
		/* precaution zones lifted with the last of the others */
		struct zlist after;
		memset(&after, 0, sizeof after);
		if (!rc)
			rc = store_zone_list(st, 0, "active", keep, &after,
					     err);
		for (size_t i = 0; !rc && i < zl.n; i++) {
			bool still = false;
			for (size_t j = 0; j < after.n; j++)
				still |= after.ids[j] == zl.ids[i];
			if (zl.levels[i] == ZONE_PRECAUTION && !still) {
				char day[11];
				date_format(d, day, sizeof day);
				printf("  %s Z%04lld %s lifted: no %s or %s "
				       "zone remains\n", day,
				       (long long)zl.ids[i],
				       zone_level_zh(r, ZONE_PRECAUTION),
				       zone_level_zh(r, ZONE_SEALED),
				       zone_level_zh(r, ZONE_CONTROLLED));
			}
		}
	}
	return rc;
}

int demo_zones(struct store *st, const struct rules *r, const char *number,
	       int32_t d0)
{
	struct cd_err err;
	struct zlist zl;
	memset(&zl, 0, sizeof zl);
	cd_err_clear(&err);
	enum cd_code rc = propose(st, r, number, d0, &zl, &err);
	int64_t outer = 0;   /* the round covers the widest resident zone */
	for (size_t i = 0; i < zl.n; i++)
		if (zl.levels[i] == ZONE_CONTROLLED ||
		    (!outer && zl.levels[i] == ZONE_SEALED))
			outer = zl.ids[i];
	if (!rc)
		printf("\n== Three rounds of area testing in 72 hours "
		       "(不漏一人)\n");
	for (int k = 0; !rc && k < 3 && outer; k++)
		rc = round_over(st, r, outer, d0 + k, k == 0, &err);
	if (!rc)
		printf("\n== Lifting on schedule (profile %s; a person "
		       "decides: 'cordon zone lift')\n", r->profile);
	if (!rc)
		rc = lift_on_schedule(st, r, d0, &err);
	return rc ? cli_fail_err(&err) : 0;
}
