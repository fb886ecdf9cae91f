/* cmd_demo.c — `cordon demo`: build a synthetic county and play the
 * reference scenario of DOMAIN.md as far as the project can today. Steps
 * that need capabilities not built yet say so; nothing is faked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "app/rules_file.h"
#include "app/trace_run.h"
#include "cli/demo.h"
#include "cli/synth_common.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pct(long part, long whole, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f%%", whole ? 100.0 * (double)part / (double)whole
					   : 0.0);
}

static int show_county(struct store *st, const struct synth_stats *ss)
{
	struct store_counts c;
	struct store_presence_counts pc;
	struct cd_err err;
	char a[32], b[32], x[16], y[16], z[16];
	cd_err_clear(&err);
	if (store_counts(st, &c, &err) ||
	    store_presence_counts(st, &pc, &err))
		return cli_fail_err(&err);
	printf("  towns: %ld sub-districts (街道), %ld towns (镇), %ld "
	       "townships (乡); %ld communities (社区), %ld villages (村)\n",
	       ss->towns[0], ss->towns[1], ss->towns[2], ss->villages[0],
	       ss->villages[1]);
	fmt_count(c.persons, a, sizeof a);
	fmt_count(c.households, b, sizeof b);
	pct(ss->ages[0], ss->persons, x, sizeof x);
	pct(ss->ages[1], ss->persons, y, sizeof y);
	pct(ss->ages[2], ss->persons, z, sizeof z);
	char alone[32];
	fmt_count(ss->elderly_alone, alone, sizeof alone);
	printf("  people: %s in %s households; aged 0-17 %s, 18-59 %s, 60+ "
	       "%s; %s elderly living alone\n", a, b, x, y, z, alone);
	long small = 0;
	for (int k = 0; k < VK_COUNT; k++)
		if (venue_kind_is_small((enum venue_kind)k))
			small += ss->venues_by_kind[k];
	printf("  venues (场所码): %ld — %ld of the nine small kinds, %ld "
	       "markets, %ld supermarkets, %ld schools, %ld clinics and "
	       "health centres, %ld stations, %ld factories, %ld border "
	       "checkpoints\n", c.venues, small,
	       ss->venues_by_kind[VK_MARKET], ss->venues_by_kind[VK_SUPERMARKET],
	       ss->venues_by_kind[VK_SCHOOL], ss->venues_by_kind[VK_HOSPITAL],
	       ss->venues_by_kind[VK_STATION], ss->venues_by_kind[VK_FACTORY],
	       ss->venues_by_kind[VK_CHECKPOINT]);
	printf("  grid workers (网格员): %ld, one for each of %ld "
	       "hamlets/grids\n", c.grid_workers, ss->hamlets);
	fmt_count(pc.scans, a, sizeof a);
	fmt_count(pc.cell_stays, b, sizeof b);
	char rides[32], trips[32];
	fmt_count(pc.rides, rides, sizeof rides);
	fmt_count(pc.trips, trips, sizeof trips);
	printf("  movements: %s venue-code scans, %s rides on %s bus and "
	       "rail trips, %s telecom cell stays\n", a, rides, trips, b);
	printf("  (figures read back from the database; 'cordon unit tree "
	       "430422' shows the hierarchy)\n");
	return 0;
}

/* The case's trail: scans and rides merged in time order. */
struct trail_item {
	int64_t t;
	char text[256];
};

struct trail {
	struct trail_item *items;
	size_t n, alloc;
	long scans, rides;
};

static void trail_add(struct trail *t, int64_t when, const char *text)
{
	t->items = xgrow(t->items, sizeof *t->items, t->n + 1, &t->alloc);
	t->items[t->n].t = when;
	snprintf(t->items[t->n].text, sizeof t->items[t->n].text, "%s", text);
	t->n++;
}

static enum cd_code add_visit(void *ctx, const struct store_visit *v)
{
	struct trail *t = ctx;
	char when[24], out[24] = "", line[256];
	instant_format_cst(v->t_in, when, sizeof when);
	when[16] = '\0';
	if (v->t_out) {
		instant_format_cst(v->t_out, out, sizeof out);
		out[16] = '\0';
	}
	snprintf(line, sizeof line, "%s%s%-5s  %s (%s, %s)", when,
		 v->t_out ? "-" : " ", v->t_out ? out + 11 : "", v->venue.name,
		 venue_kind_name(v->venue.kind), v->venue.code);
	trail_add(t, v->t_in, line);
	t->scans++;
	return CD_OK;
}

static enum cd_code add_ride(void *ctx, const struct trip_rec *r)
{
	struct trail *t = ctx;
	char date[11], line[256];
	date_format(r->date, date, sizeof date);
	snprintf(line, sizeof line,
		 "%s %02d:%02d        %s %s, carriage %d, seat row %d", date,
		 r->departure / 60, r->departure % 60,
		 r->mode == TRIP_BUS ? "bus" : "train", r->route, r->carriage,
		 r->seat_row);
	trail_add(t, ((int64_t)r->date * 1440 + r->departure) * 60 -
			     CD_CST_OFFSET, line);
	t->rides++;
	return CD_OK;
}

static int by_time(const void *a, const void *b)
{
	const struct trail_item *x = a, *y = b;
	return (x->t > y->t) - (x->t < y->t);
}

static int show_case(struct store *st, const struct synth_stats *ss,
		     const struct synth_params *p)
{
	struct person_view v;
	struct cd_err err;
	char rid[RID_LEN + 1], when[24];
	int64_t sample_day = p->start + p->days - 1;
	cd_err_clear(&err);
	if (ss->index_person < 0) {
		printf("  (this county has no village with a teahouse; no case "
		       "to follow)\n");
		return 0;
	}
	if (store_person_get(st, ss->index_rid, &v, &err))
		return cli_fail_err(&err);
	rid_mask(v.p.rid, rid);
	int by, bm, bd, ty, tm, td;
	date_to_ymd(v.p.birth, &by, &bm, &bd);
	date_to_ymd((int32_t)sample_day, &ty, &tm, &td);
	int age = ty - by - (tm < bm || (tm == bm && td < bd));
	date_format((int32_t)sample_day, when, sizeof when);
	printf("  The scenario follows resident %s (%s, %d) of %s, %s, %s,"
	       "\n  who gave a routine sample in a 10-in-1 pool at %s on "
	       "%s 15:00\n  (the visit is in the scan data).\n", rid,
	       v.p.sex == 'M' ? "male" : "female", age, v.hamlet_name,
	       v.village_name, v.town_name, ss->health_centre_name, when);
	printf("\n== The case's movements in the two days before sampling "
	       "(presence data)\n");
	double t0 = now_s();
	struct trail t = { NULL, 0, 0, 0, 0 };
	int64_t from = ((int64_t)sample_day - 1) * 86400 - CD_CST_OFFSET;
	if (store_person_visits(st, ss->index_rid, from, from + 2 * 86400,
				add_visit, &t, &err) ||
	    store_person_rides(st, ss->index_rid, (int32_t)sample_day - 1,
			       (int32_t)sample_day, add_ride, &t, &err)) {
		free(t.items);
		return cli_fail_err(&err);
	}
	sort_array(t.items, t.n, sizeof *t.items, by_time);
	for (size_t k = 0; k < t.n; k++)
		printf("  %s\n", t.items[k].text);
	free(t.items);
	printf("[%6.2f s] %ld venue scans and %ld rides found for the case\n",
	       now_s() - t0, t.scans, t.rides);
	return 0;
}

/* Distinct close contacts established by each kind of evidence. */
static void close_by_kind(const struct trace_result *r, long *by)
{
	for (size_t i = 0; i < r->ncontacts; i++) {
		const struct trace_contact *c = &r->contacts[i];
		if (c->cat != CAT_CLOSE || c->is_case)
			continue;
		unsigned seen = 0;
		for (size_t k = 0; k < r->nev; k++)
			if (r->ev[k].person == c->person &&
			    r->ev[k].cat == CAT_CLOSE)
				seen |= 1u << r->ev[k].kind;
		for (int k = 0; k < EV_COUNT; k++)
			by[k] += (seen >> k) & 1;
	}
}

/* 07:30: the case is confirmed; trace by the rules and keep the contacts. */
static int trace_step(struct store *st, const struct rules *rules,
		      const char *number, const struct synth_params *p)
{
	int32_t sample_day = p->start + p->days - 1;
	int64_t day_next = (int64_t)(sample_day + 1) * 86400 - CD_CST_OFFSET;
	struct store_case_view v;
	struct cd_err err;
	struct trace_session *s;
	struct trace_report rep;
	const struct trace_result *r;
	cd_err_clear(&err);
	double t0 = now_s();
	/* Confirmed (mild) by 07:30: the same infection, converted; its
	 * sampling is the pool's, and it was controlled at 03:10. */
	if (store_case_get(st, number, &v, &err))
		return cli_fail_err(&err);
	struct case_rec c = v.c;
	c.ctype = CT_MILD;
	c.sampling = sample_day;
	c.isolated = day_next + 3 * 3600 + 10 * 60;
	int64_t reported = day_next + 7 * 3600 + 30 * 60;
	if (case_convert(&c, sample_day + 1, &err) ||
	    store_case_update(st, &c, &err) ||
	    trace_session_open(st, rules, reported, &s, &err))
		return cli_fail_err(&err);
	if (trace_session_case(s, c.number, 1, &rep, &r, &err)) {
		trace_session_free(s);
		return cli_fail_err(&err);
	}
	long by[EV_COUNT] = { 0 };
	close_by_kind(r, by);
	char a[24], b[24], k1[24], k2[24], k3[24];
	instant_format_cst(rep.from, a, sizeof a);
	instant_format_cst(rep.to, b, sizeof b);
	a[16] = b[16] = '\0';
	printf("\n== 07:30 — confirmed: case %s (mild, converted from the "
	       "asymptomatic record;\n   one infection), traced by profile "
	       "%s\n", c.number, rules->profile);
	printf("  window %s – %s (2 days before sampling until isolation)\n",
	       a, b);
	fmt_count((long)rep.counts[CAT_SECONDARY], k1, sizeof k1);
	fmt_count((long)rep.counts[CAT_COMPANION], k2, sizeof k2);
	fmt_count((long)rep.counts[CAT_GENERAL], k3, sizeof k3);
	printf("  close contacts: %zu — household %ld, same venue %ld, same "
	       "bus or train %ld\n  secondary close contacts: %s\n  "
	       "spatiotemporal companions (same 800 m cell >= %d min): %s\n"
	       "  venue-exposed / general contacts: %s\n",
	       rep.counts[CAT_CLOSE], by[EV_HOUSEHOLD], by[EV_VENUE],
	       by[EV_TRIP], k1, rules->tracing.companion_minutes, k2, k3);
	printf("[%6.2f s] traced in %.1f ms, contacts and evidence saved in "
	       "%.0f ms ('cordon chain %s' shows the chain)\n", now_s() - t0,
	       rep.trace_ms, rep.save_ms, c.number);
	fmt_count(rep.codes.red, k1, sizeof k1);
	fmt_count(rep.codes.yellow, k2, sizeof k2);
	printf("  health codes: %s turned red (the case and its close "
	       "contacts), %s yellow\n  (secondary contacts, companions) — "
	       "recomputed for exactly those people in %.0f ms\n", k1, k2,
	       rep.codes_ms);
	trace_session_free(s);
	return 0;
}

#define DEMO_COURSE_DAYS 18   /* "eighteen days later ... discharged" */

int cmd_demo(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_PEOPLE | OPT_SEED,
			       &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || i != argc)
		return cli_usage("demo");
	struct synth_params p;
	int rc = synth_params_from(&o, &p);
	if (rc)
		return rc;
	const char *db = o.db ? o.db : "cordon-demo.db";
	char a[32], day0[11], day1[11];
	fmt_count(p.people, a, sizeof a);
	date_format(p.start, day0, sizeof day0);
	date_format(p.start + p.days - 1, day1, sizeof day1);
	printf("cordon demo — the reference scenario on a synthetic county\n\n"
	       "== A county like 衡南县 (Hengnan, 430422): %s people, seed "
	       "%llu, movements %s to %s\n", a, (unsigned long long)p.seed,
	       day0, day1);
	struct synth *s;
	struct cd_err err;
	cd_err_clear(&err);
	if (synth_generate(&p, NULL, db, synth_print_progress, NULL, &s, &err))
		return cli_fail_err(&err);
	struct store *st;
	if ((rc = cli_open(db, STORE_WRITE, &st))) {
		synth_free(s);
		return rc;
	}
	rc = show_county(st, synth_stats(s));
	if (!rc) {
		date_format(p.start + p.days, day0, sizeof day0);
		printf("\n== The scenario's case (routine testing, %s)\n",
		       day1);
		rc = show_case(st, synth_stats(s), &p);
	}
	struct rules_eff eff;
	char number[CASE_NUMBER_MAX] = "";
	if (!rc && synth_stats(s)->index_person >= 0) {
		cd_err_clear(&err);
		if (rules_file_load(NULL, NULL, &eff, &err))
			rc = cli_fail_err(&err);
		double t0 = now_s();
		if (!rc) {
			date_format(p.start + p.days, day0, sizeof day0);
			printf("\n== %s 02:58 — a 10-in-1 pooled tube is "
			       "positive: recall, single tubes\n", day0);
			rc = demo_pool(st, &eff.r, s, &p, number, sizeof number);
		}
		if (!rc)
			printf("[%6.2f s] pool resolved\n", now_s() - t0);
		if (!rc)
			rc = trace_step(st, &eff.r, number, &p);
		if (!rc) {
			int64_t at = demo_at(p.start + p.days, 8);
			t0 = now_s();
			printf("\n== 08:00 — quarantine: close and secondary "
			       "contacts to requisitioned hotels\n");
			rc = demo_quarantine(st, &eff.r, number, at);
			if (!rc)
				printf("[%6.2f s] planned\n", now_s() - t0);
		}
		if (!rc) {
			t0 = now_s();
			printf("\n== The next eighteen days, day by day: "
			       "quarantine samples, releases on\n   schedule, "
			       "and the patient's discharge\n");
			rc = demo_course(st, &eff.r, number, p.start + p.days,
					 DEMO_COURSE_DAYS);
			if (!rc)
				printf("[%6.2f s] eighteen days\n",
				       now_s() - t0);
		}
		if (!rc) {
			t0 = now_s();
			printf("\n== 09:00 — zones (联控) proposed from case %s "
			       "and confirmed by the\n   command centre\n",
			       number);
			rc = demo_zones(st, &eff.r, number, p.start + p.days);
			if (!rc)
				printf("[%6.2f s] zones, rounds and lifting\n",
				       now_s() - t0);
		}
		if (!rc)
			rc = demo_report(st, db, p.start + p.days,
					 DEMO_COURSE_DAYS + 1);
	}
	store_close(st);
	synth_free(s);
	if (rc)
		return rc;
	printf("\nThe county is in %s — try 'cordon unit tree 430422 --db "
	       "%s',\nor 'cordon serve --db %s --web web' for the API and "
	       "the dashboard\n(scripts/demo.sh starts it).\n", db, db, db);
	return 0;
}
