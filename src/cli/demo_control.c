/* demo_control.c — the demo's per-person control steps: the 02:58 pool
 * and its resolution by single tubes; quarantine in requisitioned hotels
 * and tomorrow's samplings. Each step runs the real importers and
 * commands' functions on CSV the demo writes, as a lab or a grid worker
 * would send it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codes_run.h"
#include "app/quarantine_import.h"
#include "app/quarantine_run.h"
#include "app/testing_import.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/synth_common.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static void say_row_error(void *ctx, const char *message)
{
	(void)ctx;
	fprintf(stderr, "cordon: %s\n", message);
}

/* See demo.h. */
enum cd_code demo_feed(struct store *st, const struct rules *r,
			 enum import_kind kind, const char *name,
			 const struct strbuf *csv, int64_t now,
			 struct cd_err *err)
{
	struct import_opts o = { .kind = kind, .name = name, .max_errors = 20,
				 .today = cd_today_cst(), .now = now,
				 .report = say_row_error };
	struct import_result res;
	FILE *in = fmemopen(csv->buf, csv->len, "r");
	if (!in)
		return cd_err_set(err, CD_ENOMEM, "cannot read %s", name);
	enum cd_code rc = kind == IMPORT_SITES
				  ? quarantine_sites_import(st, in, &o, &res, err)
				  : testing_import(st, in, &o, r, &res, err);
	fclose(in);
	return rc;
}

static long count_colour(struct store *st, char (*rids)[19], int n,
			 const char *colour)
{
	long k = 0;
	struct cd_err err;
	for (int i = 0; i < n; i++) {
		uint32_t id;
		struct store_code c;
		if (!store_person_id(st, rids[i], &id, &err) &&
		    !store_code_get(st, id, &c, &err))
			k += strcmp(c.colour, colour) == 0;
	}
	return k;
}

int demo_pool(struct store *st, const struct rules *r, const struct synth *s,
	      const struct synth_params *p, char *number, size_t len)
{
	char rids[10][19], day[11], next[11], md[5], nmd[5];
	int n = synth_index_pool(s, rids, 10);
	struct strbuf csv = STRBUF_INIT;
	struct cd_err err;
	int32_t sday = p->start + p->days - 1;
	date_format(sday, day, sizeof day);
	date_format(sday + 1, next, sizeof next);
	/* Tube codes carry the month and day: P0329-0001, S0330-0001. */
	snprintf(md, sizeof md, "%.2s%.2s", day + 5, day + 8);
	snprintf(nmd, sizeof nmd, "%.2s%.2s", next + 5, next + 8);
	int64_t t258 = ((int64_t)(sday + 1) * 86400 - CD_CST_OFFSET) +
		       2 * 3600 + 58 * 60;
	cd_err_clear(&err);
	strbuf_addstr(&csv, "tube,pool_size,point,sampled_at,round,"
		      "resident_id,retest_of\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(&csv, "P%s-0001,10,%s,%sT15:00:00+08:00,R%s,%s,\n",
			    md, synth_stats(s)->health_centre_name, day,
			    md, rids[i]);
	enum cd_code rc = demo_feed(st, r, IMPORT_SAMPLES, "lab samples", &csv,
			       t258, &err);
	strbuf_reset(&csv);
	strbuf_addf(&csv, "tube,result,lab,result_at\nP%s-0001,positive,"
		    "衡南县疾控中心实验室,%sT02:58:00+08:00\n", md, next);
	if (!rc)
		rc = demo_feed(st, r, IMPORT_RESULTS, "lab results", &csv, t258,
			  &err);
	if (rc) {
		strbuf_release(&csv);
		return cli_fail_err(&err);
	}
	printf("  tube P%s-0001 (10-in-1, sampled %s 15:00) is positive: "
	       "its %d people are\n  controlled in place at once — %ld "
	       "health codes turned yellow; the recall list\n  for their "
	       "grid worker is 'cordon pool recall P%s-0001'\n", md,
	       synth_stats(s)->health_centre_name, n,
	       count_colour(st, rids, n, "yellow"), md);
	/* 04:00 single tubes; 07:00 results: the index person positive. */
	strbuf_reset(&csv);
	strbuf_addstr(&csv, "tube,pool_size,point,sampled_at,round,"
		      "resident_id,retest_of\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(&csv, "S%s-%04d,1,上门采样,%sT04:00:00+08:00,,%s,"
			    "P%s-0001\n", nmd, i + 1, next, rids[i],
			    md);
	int64_t t700 = t258 + 4 * 3600 + 2 * 60;
	rc = demo_feed(st, r, IMPORT_SAMPLES, "single tubes", &csv, t700, &err);
	strbuf_reset(&csv);
	strbuf_addstr(&csv, "tube,result,lab,result_at\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(&csv, "S%s-%04d,%s,衡南县疾控中心实验室,"
			    "%sT07:00:00+08:00\n", nmd, i + 1,
			    i ? "negative" : "positive", next);
	if (!rc)
		rc = demo_feed(st, r, IMPORT_RESULTS, "single-tube results", &csv,
			  t700, &err);
	strbuf_release(&csv);
	struct store_case_view v;
	if (!rc)
		rc = store_case_get_by_rid(st, rids[0], &v, &err);
	if (rc)
		return cli_fail_err(&err);
	snprintf(number, len, "%s", v.c.number);
	printf("  04:00 re-sampled one by one at home; 07:00 results: %d "
	       "negative, released\n  (%ld green again); one positive — "
	       "now case %s\n", n - 1, count_colour(st, rids + 1, n - 1,
						    "green"), v.c.number);
	return 0;
}

/* Requisition the county's hotels (征用), named as the venues: 30 single
 * and 5 double rooms each. */
static void hotels_csv(struct store *st, struct strbuf *csv)
{
	struct store_venue_key *vk;
	size_t n;
	struct cd_err err;
	strbuf_addstr(csv, "site,site_name,unit,address,room,capacity\n");
	if (store_venue_keys(st, &vk, &n, &err))
		return;
	for (size_t i = 0; i < n; i++) {
		struct store_venue_view v;
		if (vk[i].kind != VK_HOTEL ||
		    store_venue_get(st, vk[i].code, &v, &err))
			continue;
		for (int room = 1; room <= 35; room++)
			strbuf_addf(csv, "Q-%s,%s（征用）,430422,,%d,%d\n",
				    vk[i].code, v.v.name, 100 + room,
				    room > 30 ? 2 : 1);
	}
	free(vk);
}

struct due_count {
	long sample, release, overdue;
};

static enum cd_code count_due(void *ctx, const struct quarantine_due *d)
{
	struct due_count *c = ctx;
	c->sample += d->kind == QD_SAMPLE;
	c->release += d->kind == QD_RELEASE;
	c->overdue += d->kind == QD_OVERDUE;
	return CD_OK;
}

int demo_quarantine(struct store *st, const struct rules *r,
		    const char *number, int64_t now)
{
	struct strbuf csv = STRBUF_INIT;
	struct cd_err err;
	struct quarantine_run run = { st, r, (int32_t)((now + CD_CST_OFFSET) /
						       86400), now, { 14, false } };
	struct quarantine_run_report rep;
	struct due_count due = { 0, 0, 0 };
	int64_t case_id;
	cd_err_clear(&err);
	hotels_csv(st, &csv);
	enum cd_code rc = demo_feed(st, r, IMPORT_SITES, "requisitioned hotels",
			       &csv, now, &err);
	strbuf_release(&csv);
	if (!rc)
		rc = quarantine_run_plan_case(&run, number, &rep, &case_id,
					      &err);
	if (!rc)
		rc = quarantine_run_due(st, run.today + 1, count_due, &due,
					&err);
	if (rc)
		return cli_fail_err(&err);
	printf("  %ld quarantine plans by profile %s (close and secondary "
	       "contacts, each with its\n  sampling days): %ld given hotel "
	       "rooms, %ld waiting for a room ('cordon site list')\n  "
	       "tomorrow: %ld to be sampled ('cordon quarantine due --date "
	       "...')\n", rep.planned, r->profile, rep.placed, rep.waiting,
	       due.sample);
	return 0;
}
