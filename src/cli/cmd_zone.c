/* cmd_zone.c — `cordon zone propose|confirm|reject|edit|list|show|lift`:
 * risk zones (docs/zones.md). Options are parsed here: they belong to
 * this command. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/json_views.h"
#include "app/rules_file.h"
#include "app/zones_run.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

enum { Z_DB, Z_JSON, Z_RULES, Z_BY, Z_PRECAUTION, Z_REASON, Z_FORCE, Z_ADD,
       Z_REMOVE, Z_ALL, Z_HELP, Z_COUNT };

struct zone_args {
	unsigned given;
	const char *arg[Z_COUNT];
	int first;
	struct rules r;
	struct zones_actor who;
};

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + Z_DB },
	{ "json", no_argument, NULL, 256 + Z_JSON },
	{ "rules", required_argument, NULL, 256 + Z_RULES },
	{ "by", required_argument, NULL, 256 + Z_BY },
	{ "precaution", required_argument, NULL, 256 + Z_PRECAUTION },
	{ "reason", required_argument, NULL, 256 + Z_REASON },
	{ "force", no_argument, NULL, 256 + Z_FORCE },
	{ "add", required_argument, NULL, 256 + Z_ADD },
	{ "remove", required_argument, NULL, 256 + Z_REMOVE },
	{ "all", no_argument, NULL, 256 + Z_ALL },
	{ "help", no_argument, NULL, 256 + Z_HELP },
	{ NULL, 0, NULL, 0 },
};

static bool has(const struct zone_args *a, int opt)
{
	return (a->given & (1u << opt)) != 0;
}

/* Refuse options the subcommand does not take (a bit per Z_*). */
static int only(const struct zone_args *a, unsigned allowed)
{
	return cli_only(a->given,
			allowed | 1u << Z_DB | 1u << Z_HELP | 1u << Z_RULES,
			longopts, Z_COUNT);
}

static const char *day_or(int32_t d, char *buf, const char *none)
{
	if (!d)
		return none;
	date_format(d, buf, 11);
	return buf;
}

/* Open the store, failing the command on error. */
static int open_store(const struct zone_args *a, unsigned flags,
		      struct store **st)
{
	return cli_open(a->arg[Z_DB], flags, st);
}

/* Run the conversions check so that new cases inside controlled zones
 * show as proposals. */
static enum cd_code sync(struct store *st, const struct zone_args *a,
			 struct cd_err *err)
{
	long added;
	return zones_sync(st, &a->who, &added, err);
}

static int parse_id(const char *s, char letter, int64_t *id)
{
	struct cd_err err;
	cd_err_clear(&err);
	if (zones_parse_id(s, letter, id, &err))
		return cli_fail_err(&err);
	return 0;
}

/* ---- areas as text and JSON */

struct areas {
	struct strbuf text;
	json_t *json;
};

static enum cd_code add_area(void *ctx, const struct store_zone_area *ar)
{
	struct areas *a = ctx;
	strbuf_addf(&a->text, "%s%s%s %s", a->text.len ? ", " : "",
		    strcmp(ar->kind, "venue") ? "" : "venue ", ar->code,
		    ar->name);
	json_array_append_new(a->json, json_view_zone_area(ar));
	return CD_OK;
}

static enum cd_code areas_get(struct store *st, int64_t zone,
			      struct areas *a, struct cd_err *err)
{
	strbuf_init(&a->text);
	a->json = json_array();
	return store_zone_areas(st, zone, add_area, a, err);
}

static void areas_release(struct areas *a)
{
	strbuf_release(&a->text);
	json_decref(a->json);
}

/* ---- propose */

static void print_zone_line(const struct rules *r, const struct store_zone *z,
			    const char *areas)
{
	printf("  Z%04lld  %-10s %s  %s  %ld residents\n     %s\n",
	       (long long)z->id, zone_level_name(r, z->level),
	       zone_level_zh(r, z->level), z->status, z->residents, areas);
}

struct zone_ids {
	int64_t ids[8];
	size_t n;
};

static enum cd_code keep_id(void *ctx, const struct store_zone *z)
{
	struct zone_ids *l = ctx;
	if (l->n < 8)
		l->ids[l->n++] = z->id;
	return CD_OK;
}

/* The zones of a proposal, as text or JSON. */
static enum cd_code print_proposal_zones(struct store *st,
					 const struct zone_args *a,
					 int64_t proposal, json_t *arr,
					 struct cd_err *err)
{
	struct zone_ids l = { { 0 }, 0 };
	enum cd_code ret = store_zone_list(st, proposal, NULL, keep_id, &l,
					   err);
	for (size_t i = 0; !ret && i < l.n; i++) {
		struct store_zone z;
		struct areas ar;
		if ((ret = store_zone_get(st, l.ids[i], &z, err)))
			break;
		ret = areas_get(st, z.id, &ar, err);
		char zid[16];
		snprintf(zid, sizeof zid, "Z%04lld", (long long)z.id);
		if (!ret && arr)
			json_array_append_new(arr, json_pack(
				"{s:s, s:s, s:s, s:s, s:I, s:O}", "zone", zid,
				"level", zone_level_name(&a->r, z.level),
				"level_zh", zone_level_zh(&a->r, z.level),
				"status", z.status, "residents",
				(json_int_t)z.residents, "areas", ar.json));
		else if (!ret)
			print_zone_line(&a->r, &z, ar.text.buf);
		areas_release(&ar);
	}
	return ret;
}

static int zone_propose(struct zone_args *a, int argc, char **argv)
{
	enum unit_level prec = UNIT_COUNTY;
	if (has(a, Z_PRECAUTION)) {
		if (!strcmp(a->arg[Z_PRECAUTION], "town"))
			prec = UNIT_TOWN;
		else if (strcmp(a->arg[Z_PRECAUTION], "county"))
			return cli_fail(CD_EINVAL, "--precaution: '%s' is not "
					"town or county",
					a->arg[Z_PRECAUTION]);
	}
	size_t n = (size_t)(argc - a->first - 1);
	if (n == 0)
		return cli_fail(CD_EUSAGE, "zone propose needs case numbers");
	const char *const *cases = (const char *const *)argv + a->first + 1;
	struct store *st;
	struct cd_err err;
	int64_t p;
	int rc = open_store(a, STORE_WRITE, &st);
	if (rc)
		return rc;
	cd_err_clear(&err);
	enum cd_code c = zones_propose(st, &a->r, cases, n, prec, &a->who, &p,
				       &err);
	json_t *arr = has(a, Z_JSON) ? json_array() : NULL;
	if (!c && !arr)
		printf("proposal P%04lld (profile %s): confirm with 'cordon "
		       "zone confirm P%04lld', or edit its zones first\n",
		       (long long)p, a->r.profile, (long long)p);
	if (!c)
		c = print_proposal_zones(st, a, p, arr, &err);
	store_close(st);
	if (c) {
		json_decref(arr);
		return cli_fail_err(&err);
	}
	if (arr) {
		char pid[16];
		snprintf(pid, sizeof pid, "P%04lld", (long long)p);
		cli_print_json(json_pack("{s:s, s:s, s:o}", "proposal", pid,
					 "profile", a->r.profile, "zones",
					 arr));
	}
	return 0;
}

/* ---- confirm, reject, edit */

static int zone_decide(struct zone_args *a, const char *sub, const char *id)
{
	int64_t p;
	struct store *st;
	struct cd_err err;
	int rc = parse_id(id, 'P', &p);
	if (rc || (rc = open_store(a, STORE_WRITE, &st)))
		return rc;
	cd_err_clear(&err);
	enum cd_code c = sync(st, a, &err);
	if (!c && !strcmp(sub, "confirm"))
		c = zones_confirm(st, &a->r, p, &a->who, &err);
	else if (!c)
		c = zones_reject(st, p, a->arg[Z_REASON], &a->who, &err);
	if (!c && !has(a, Z_JSON))
		printf("proposal P%04lld %s by %s\n", (long long)p,
		       !strcmp(sub, "confirm") ? "confirmed" : "rejected",
		       a->who.name);
	json_t *arr = has(a, Z_JSON) ? json_array() : NULL;
	if (!c)
		c = print_proposal_zones(st, a, p, arr, &err);
	store_close(st);
	if (c) {
		json_decref(arr);
		return cli_fail_err(&err);
	}
	if (arr)
		cli_print_json(json_pack("{s:s, s:s, s:o}", "proposal", id,
					 "decision", sub, "zones", arr));
	return 0;
}

/* Split a comma-separated list in place into v (at most max). */
static int split(char *s, const char **v, size_t max, size_t *n)
{
	*n = 0;
	for (char *p = s; p && *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p) {
			if (*n == max)
				return cli_fail(CD_EINVAL, "at most %zu codes in "
						"one edit", max);
			v[(*n)++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int zone_edit(struct zone_args *a, const char *id)
{
	int64_t z;
	const char *add[ZONES_EDIT_MAX], *rem[ZONES_EDIT_MAX];
	size_t nadd = 0, nrem = 0;
	char *addbuf = xstrdup(has(a, Z_ADD) ? a->arg[Z_ADD] : "");
	char *rembuf = xstrdup(has(a, Z_REMOVE) ? a->arg[Z_REMOVE] : "");
	struct store *st = NULL;
	struct cd_err err;
	int rc = parse_id(id, 'Z', &z);
	if (!rc)
		rc = split(addbuf, add, ZONES_EDIT_MAX, &nadd);
	if (!rc)
		rc = split(rembuf, rem, ZONES_EDIT_MAX, &nrem);
	if (!rc)
		rc = open_store(a, STORE_WRITE, &st);
	if (!rc) {
		cd_err_clear(&err);
		struct store_zone zz;
		enum cd_code c = zones_edit(st, &a->r, z, add, nadd, rem,
					    nrem, &a->who, &err);
		if (!c)
			c = store_zone_get(st, z, &zz, &err);
		if (c)
			rc = cli_fail_err(&err);
		else
			printf("zone Z%04lld: %zu added, %zu removed; %ld "
			       "residents\n", (long long)z, nadd, nrem,
			       zz.residents);
		store_close(st);
	}
	free(addbuf);
	free(rembuf);
	return rc;
}

/* ---- list */

struct listing {
	struct store *st;
	const struct zone_args *a;
	struct table *t;
	json_t *arr;
	int64_t now;
	enum cd_code ret;
	struct cd_err *err;
};

static enum cd_code list_zone(void *ctx, const struct store_zone *z)
{
	struct listing *l = ctx;
	bool all = has(l->a, Z_ALL);
	if (!all && strcmp(z->status, "active") && strcmp(z->status, "proposed"))
		return CD_OK;
	struct zones_view v;
	struct areas ar;
	enum cd_code ret = zones_view_get(l->st, &l->a->r, z->id, l->now, &v,
					  l->err);
	if (!ret)
		ret = areas_get(l->st, z->id, &ar, l->err);
	else
		return ret;
	bool active = !strcmp(z->status, "active");
	char zid[16], res[24], d[11];
	snprintf(zid, sizeof zid, "Z%04lld", (long long)z->id);
	snprintf(res, sizeof res, "%ld", z->residents);
	const char *earliest = active ? day_or(v.step.earliest, d, "unknown")
				      : "-";
	const char *next = active ? zone_level_name(&l->a->r, v.step.to) : "-";
	if (l->arr) {
		json_array_append_new(l->arr, json_pack(
			"{s:s, s:s, s:s, s:s, s:I, s:O, s:s?, s:s?, s:b}",
			"zone", zid, "level", zone_level_name(&l->a->r, z->level),
			"level_zh", zone_level_zh(&l->a->r, z->level),
			"status", z->status, "residents",
			(json_int_t)z->residents, "areas", ar.json, "next",
			active ? next : NULL, "earliest",
			active && v.step.earliest ? earliest : NULL, "ready",
			active && v.step.ready));
	} else {
		char lv[64];
		snprintf(lv, sizeof lv, "%s %s",
			 zone_level_name(&l->a->r, z->level),
			 zone_level_zh(&l->a->r, z->level));
		const char *row[] = { zid, lv, z->status, res, next, earliest,
				      active ? (v.step.ready ? "yes" : "no")
					     : "-",
				      ar.text.buf };
		table_add(l->t, row);
	}
	areas_release(&ar);
	zones_view_release(&v);
	return CD_OK;
}

struct plist {
	const struct rules *r;
	json_t *arr;
	int n;
};

static enum cd_code list_proposal(void *ctx,
				  const struct store_zone_proposal *p)
{
	struct plist *l = ctx;
	char pid[16], zid[16], at[32];
	snprintf(pid, sizeof pid, "P%04lld", (long long)p->id);
	snprintf(zid, sizeof zid, "Z%04lld", (long long)p->zone);
	bool conv = !strcmp(p->kind, "convert");
	if (l->arr) {
		json_array_append_new(l->arr, json_pack(
			"{s:s, s:s, s:s, s:s?, s:s?}", "proposal", pid, "kind",
			p->kind, "created_at", cli_iso(p->created_at, at), "zone",
			conv ? zid : NULL, "case",
			conv ? p->case_number : NULL));
		return CD_OK;
	}
	if (l->n++ == 0)
		printf("\nopen proposals (confirm or reject):\n");
	cli_when("-", p->created_at, at, sizeof at);
	if (conv)
		printf("  %s  %s  turn %s zone %s %s: case %s lives inside\n",
		       pid, at, zone_level_name(l->r, ZONE_CONTROLLED), zid,
		       zone_level_name(l->r, ZONE_SEALED), p->case_number);
	else
		printf("  %s  %s  new zones (see 'zone show %s')\n", pid, at,
		       pid);
	return CD_OK;
}

static int zone_list(struct zone_args *a)
{
	struct store *st;
	struct cd_err err;
	int rc = open_store(a, STORE_WRITE, &st);
	if (rc)
		return rc;
	cd_err_clear(&err);
	struct listing l = { st, a, NULL, NULL, a->who.now, CD_OK, &err };
	struct plist pl = { &a->r, NULL, 0 };
	if (has(a, Z_JSON)) {
		l.arr = json_array();
		pl.arr = json_array();
	} else {
		l.t = table_new(8);
		const char *head[] = { "ZONE", "LEVEL", "STATUS", "RESIDENTS",
				       "NEXT", "EARLIEST", "READY", "AREAS" };
		table_add(l.t, head);
	}
	enum cd_code c = sync(st, a, &err);
	if (!c)
		c = store_zone_list(st, 0, NULL, list_zone, &l, &err);
	if (!c && l.t) {
		printf("zones on %s (profile %s)\n",
		       day_or(cd_today_cst(), (char[11]){ 0 }, ""),
		       a->r.profile);
		table_print(l.t, stdout, 1u << 3);  /* frees it */
		l.t = NULL;
	}
	if (!c)
		c = store_zone_proposals(st, true, list_proposal, &pl, &err);
	store_close(st);
	if (l.t)
		table_free(l.t);
	if (c) {
		json_decref(l.arr);
		json_decref(pl.arr);
		return cli_fail_err(&err);
	}
	if (l.arr)
		cli_print_json(json_pack("{s:s, s:o, s:o}", "profile",
					 a->r.profile, "zones", l.arr,
					 "proposals", pl.arr));
	return 0;
}

/* ---- show */

struct logout {
	json_t *arr;
};

static enum cd_code show_log(void *ctx, const struct store_zone_log *lg)
{
	struct logout *o = ctx;
	char at[32], zid[16] = "", pid[16] = "";
	if (o->arr) {
		json_array_append_new(o->arr, json_view_zone_log(lg));
		return CD_OK;
	}
	if (lg->zone)
		snprintf(zid, sizeof zid, "Z%04lld", (long long)lg->zone);
	if (lg->proposal)
		snprintf(pid, sizeof pid, "P%04lld", (long long)lg->proposal);
	cli_when("-", lg->at, at, sizeof at);
	printf("  %s  %-10s %-9s %-5s %s%s\n", at, lg->actor, lg->action,
	       zid[0] ? zid : pid, lg->forced ? "[forced] " : "", lg->detail);
	return CD_OK;
}

static json_t *view_json(const struct zone_args *a,
			 const struct zones_view *v, json_t *areas)
{
	char b1[32], b2[32], b3[32], d1[11], d2[11], d3[11], zid[16];
	const struct store_zone *z = &v->z;
	snprintf(zid, sizeof zid, "Z%04lld", (long long)z->id);
	json_t *rounds = json_array();
	for (size_t i = 0; i < v->f.nrounds; i++)
		json_array_append_new(rounds, json_pack(
			"{s:s, s:b}", "day", day_or(v->rounds[i].day, d3, ""),
			"all_negative", v->rounds[i].all_negative));
	json_t *j = json_pack(
		"{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:O, s:s?, s:s?,"
		" s:s?, s:s?, s:s?, s:o}",
		"zone", zid, "level_number", z->level, "level",
		zone_level_name(&a->r, z->level), "level_zh",
		zone_level_zh(&a->r, z->level), "status", z->status,
		"measures", zone_measures(z->level), "measures_zh",
		zone_measures_zh(z->level), "residents",
		(json_int_t)z->residents, "areas", areas, "confirmed_at",
		cli_iso(z->confirmed_at, b1), "level_since",
		cli_iso(z->level_since, b2), "lifted_at", cli_iso(z->lifted_at, b3),
		"last_infection", v->f.last_infection
					  ? day_or(v->f.last_infection, d1, "")
					  : NULL,
		"last_close_exposure",
		v->f.last_close_exposure
			? day_or(v->f.last_close_exposure, d2, "")
			: NULL,
		"rounds", rounds);
	if (!strcmp(z->status, "active"))
		json_object_set_new(j, "next", json_view_zone_step(&a->r, v));
	return j;
}

static void view_text(const struct zone_args *a, const struct zones_view *v,
		      const char *areas)
{
	const struct store_zone *z = &v->z;
	char b[32], d[11];
	printf("zone Z%04lld  %s %s  %s  (proposal P%04lld, profile %s)\n",
	       (long long)z->id, zone_level_name(&a->r, z->level),
	       zone_level_zh(&a->r, z->level), z->status,
	       (long long)z->proposal, a->r.profile);
	printf("measures:   %s (%s)\n", zone_measures(z->level),
	       zone_measures_zh(z->level));
	printf("areas:      %s\n", areas);
	printf("residents:  %ld\n", z->residents);
	cli_when("-", z->confirmed_at, b, sizeof b);
	printf("confirmed:  %s\n", b);
	cli_when("-", z->level_since, b, sizeof b);
	printf("level since %s\n", b);
	if (z->lifted_at) {
		cli_when("-", z->lifted_at, b, sizeof b);
		printf("lifted:     %s\n", b);
	}
	if (z->level != ZONE_PRECAUTION) {
		printf("last infection inside or among its cases: %s\n",
		       day_or(v->f.last_infection, d, "none"));
		printf("last close contact exposure: %s\n",
		       day_or(v->f.last_close_exposure, d, "none"));
		printf("closed rounds covering it: %zu\n", v->f.nrounds);
		for (size_t i = 0; i < v->f.nrounds; i++)
			printf("  %s  %s\n", day_or(v->rounds[i].day, d, ""),
			       v->rounds[i].all_negative ? "all negative"
							 : "not all negative");
	}
	if (!strcmp(z->status, "active")) {
		printf("next step:  %s, earliest %s; %s today\n",
		       zone_level_name(&a->r, v->step.to),
		       day_or(v->step.earliest, d, "unknown yet"),
		       v->step.ready ? "ready" : "not ready");
		for (int i = 0; i < v->step.n; i++)
			printf("  [%s] %s\n", v->step.conds[i].ok ? "ok" : "  ",
			       v->step.conds[i].text);
	}
	printf("log:\n");
}

static int show_proposal(struct zone_args *a, const char *id)
{
	int64_t p;
	struct store *st;
	struct store_zone_proposal pr;
	struct cd_err err;
	int rc = parse_id(id, 'P', &p);
	if (rc || (rc = open_store(a, STORE_WRITE, &st)))
		return rc;
	cd_err_clear(&err);
	json_t *zones = has(a, Z_JSON) ? json_array() : NULL;
	struct logout lo = { has(a, Z_JSON) ? json_array() : NULL };
	char at[32];
	enum cd_code c = sync(st, a, &err);
	if (!c)
		c = store_zone_proposal_get(st, p, &pr, &err);
	if (!c && !zones) {
		cli_when("-", pr.created_at, at, sizeof at);
		printf("proposal P%04lld  %s  %s  made %s\n", (long long)p,
		       pr.kind, pr.status, at);
		if (!strcmp(pr.kind, "convert"))
			printf("turn zone Z%04lld %s: case %s lives inside\n",
			       (long long)pr.zone,
			       zone_level_name(&a->r, ZONE_SEALED),
			       pr.case_number);
	}
	if (!c)
		c = print_proposal_zones(st, a, p, zones, &err);
	if (!c && !zones)
		printf("log:\n");
	if (!c)
		c = store_zone_log_list(st, p, 0, show_log, &lo, &err);
	store_close(st);
	if (c) {
		json_decref(zones);
		json_decref(lo.arr);
		return cli_fail_err(&err);
	}
	if (zones)
		cli_print_json(json_pack(
			"{s:s, s:s, s:s, s:s?, s:o, s:o}", "proposal", id,
			"kind", pr.kind, "status", pr.status, "case",
			pr.case_number[0] ? pr.case_number : NULL, "zones",
			zones, "log", lo.arr));
	return 0;
}

static int zone_show(struct zone_args *a, const char *id)
{
	if (id[0] == 'P' || id[0] == 'p')
		return show_proposal(a, id);
	int64_t z;
	struct store *st;
	struct cd_err err;
	struct zones_view v;
	struct areas ar = { STRBUF_INIT, NULL };
	int rc = parse_id(id, 'Z', &z);
	if (rc || (rc = open_store(a, STORE_WRITE, &st)))
		return rc;
	cd_err_clear(&err);
	struct logout lo = { has(a, Z_JSON) ? json_array() : NULL };
	memset(&v, 0, sizeof v);
	enum cd_code c = sync(st, a, &err);
	if (!c)
		c = zones_view_get(st, &a->r, z, a->who.now, &v, &err);
	if (!c)
		c = areas_get(st, z, &ar, &err);
	if (!c && !lo.arr)
		view_text(a, &v, ar.text.buf);
	if (!c)
		c = store_zone_log_list(st, 0, z, show_log, &lo, &err);
	store_close(st);
	if (!c && lo.arr) {
		json_t *j = view_json(a, &v, ar.json);
		json_object_set_new(j, "log", lo.arr);
		cli_print_json(j);
	} else {
		json_decref(lo.arr);
	}
	areas_release(&ar);
	zones_view_release(&v);
	return c ? cli_fail_err(&err) : 0;
}

/* ---- lift */

static int zone_lift(struct zone_args *a, const char *id)
{
	int64_t z;
	struct store *st;
	struct cd_err err;
	enum zone_level to;
	struct store_zone before;
	int rc = parse_id(id, 'Z', &z);
	if (rc || (rc = open_store(a, STORE_WRITE, &st)))
		return rc;
	cd_err_clear(&err);
	enum cd_code c = sync(st, a, &err);
	if (!c)
		c = store_zone_get(st, z, &before, &err);
	if (!c)
		c = zones_lift(st, &a->r, z, has(a, Z_FORCE), a->arg[Z_REASON],
			       &a->who, &to, &err);
	store_close(st);
	if (c)
		return cli_fail_err(&err);
	if (has(a, Z_JSON)) {
		cli_print_json(json_pack("{s:s, s:s, s:s, s:b}", "zone", id,
					 "from", zone_level_name(&a->r,
								 before.level),
					 "to", zone_level_name(&a->r, to),
					 "forced", has(a, Z_FORCE)));
		return 0;
	}
	if (to == ZONE_NONE)
		printf("zone Z%04lld (%s) lifted by %s%s\n", (long long)z,
		       zone_level_name(&a->r, before.level), a->who.name,
		       has(a, Z_FORCE) ? " (forced)" : "");
	else
		printf("zone Z%04lld downgraded %s → %s by %s%s\n",
		       (long long)z, zone_level_name(&a->r, before.level),
		       zone_level_name(&a->r, to), a->who.name,
		       has(a, Z_FORCE) ? " (forced)" : "");
	return 0;
}

/* See cli.h. */
int cmd_zone(int argc, char **argv)
{
	struct zone_args a;
	memset(&a, 0, sizeof a);
	a.first = cli_parse_indexed(argc, argv, longopts, Z_COUNT, Z_HELP, ~0u,
				    &a.given, a.arg);
	if (a.first < 0)
		return cd_code_exit(CD_EUSAGE);
	if (has(&a, Z_HELP) || argc - a.first < 1)
		return cli_usage("zone");
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(a.arg[Z_RULES], NULL, &eff, &err))
		return cli_fail_err(&err);
	a.r = eff.r;
	a.who.name = cli_actor(a.arg[Z_BY]);
	a.who.now = cd_now();
	const char *sub = argv[a.first];
	int ops = argc - a.first - 1;
	const char *id = ops >= 1 ? argv[a.first + 1] : NULL;
	unsigned by = 1u << Z_BY | 1u << Z_JSON;
	if (!strcmp(sub, "propose"))
		return only(&a, by | 1u << Z_PRECAUTION)
			       ? cd_code_exit(CD_EUSAGE)
			       : zone_propose(&a, argc, argv);
	if (!strcmp(sub, "list") && ops == 0)
		return only(&a, 1u << Z_JSON | 1u << Z_ALL)
			       ? cd_code_exit(CD_EUSAGE)
			       : zone_list(&a);
	if (ops != 1)
		return cli_usage("zone");
	if (!strcmp(sub, "confirm"))
		return only(&a, by) ? cd_code_exit(CD_EUSAGE)
				    : zone_decide(&a, sub, id);
	if (!strcmp(sub, "reject"))
		return only(&a, by | 1u << Z_REASON) ? cd_code_exit(CD_EUSAGE)
						     : zone_decide(&a, sub, id);
	if (!strcmp(sub, "edit"))
		return only(&a, 1u << Z_BY | 1u << Z_ADD | 1u << Z_REMOVE)
			       ? cd_code_exit(CD_EUSAGE)
			       : zone_edit(&a, id);
	if (!strcmp(sub, "show"))
		return only(&a, 1u << Z_JSON) ? cd_code_exit(CD_EUSAGE)
					      : zone_show(&a, id);
	if (!strcmp(sub, "lift"))
		return only(&a, by | 1u << Z_FORCE | 1u << Z_REASON)
			       ? cd_code_exit(CD_EUSAGE)
			       : zone_lift(&a, id);
	return cli_usage("zone");
}
