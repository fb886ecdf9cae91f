/* h_dash_tree.c — a case's trajectory (its venue scans, rides and cell
 * stays in its tracing window, read from the presence data as `cordon
 * demo` shows a case's movements) and the zone tree (the children of a
 * unit, each with the most severe active zone covering it, the zones
 * inside it and the covering zone's earliest next step by the zone clock
 * of app/zones_run.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/zones_run.h"
#include "domain/presence.h"
#include "lib/date.h"
#include "lib/sort.h"
#include "lib/xalloc.h"
#include "store/store_dash.h"
#include "lib/banned.h"

#define TRAJECTORY_MAX 500   /* items of a trajectory */

/* ---- GET /cases/{case}/trajectory */

struct move {
	int64_t at, until;       /* until 0: none */
	int kind;                /* 0 scan, 1 ride, 2 cell */
	json_t *j;               /* the item, without "at" and "until" */
};

struct trail {
	struct move *v;
	size_t n, alloc;
	int64_t from, to;        /* the window */
	uint32_t cell;           /* the last cell stay, to merge the next */
};

static void trail_add(struct trail *t, int64_t at, int64_t until, int kind,
		      json_t *j)
{
	t->v = xgrow(t->v, sizeof *t->v, t->n + 1, &t->alloc);
	t->v[t->n++] = (struct move){ at, until, kind, j };
}

static enum cd_code scan_one(void *ctx, const struct store_visit *v)
{
	const struct venue_rec *p = &v->venue;
	trail_add(ctx, v->t_in, v->t_out, 0, json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:s}, s:s}", "kind", "scan", "place",
		p->name, "venue", "code", p->code, "name", p->name, "kind",
		venue_kind_name(p->kind), "unit", p->unit));
	return CD_OK;
}

static enum cd_code ride_one(void *ctx, const struct trip_rec *r)
{
	struct trail *t = ctx;
	char place[64], dep[16];
	int64_t at = ((int64_t)r->date * 1440 + r->departure) * 60 -
		     CD_CST_OFFSET;
	if (at < t->from || at >= t->to)
		return CD_OK;
	snprintf(place, sizeof place, "%s %s", trip_mode_name(r->mode),
		 r->route);
	snprintf(dep, sizeof dep, "%02d:%02d", r->departure / 60 % 24,
		 r->departure % 60);
	trail_add(t, at, 0, 1, json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:o, s:s, s:i, s:i}, s:n}", "kind",
		"ride", "place", place, "ride", "mode", trip_mode_name(r->mode),
		"route", r->route, "date", api_date(r->date), "departure", dep,
		"carriage", r->carriage, "seat_row", r->seat_row, "unit"));
	return CD_OK;
}

/* A cell stay; one right after a stay in the same cell (nothing else
 * between them) extends it. */
static enum cd_code cell_one(void *ctx, uint32_t cell, int64_t start,
			     int64_t end)
{
	struct trail *t = ctx;
	struct move *last = t->n ? &t->v[t->n - 1] : NULL;
	if (last && last->kind == 2 && t->cell == cell) {
		json_t *n = json_object_get(last->j, "stays");
		json_integer_set(n, json_integer_value(n) + 1);
		if (end > last->until)
			last->until = end;
		return CD_OK;
	}
	char id[CELL_ID_MAX];
	cell_format((int)(cell / 10000), (int)(cell % 10000), id, sizeof id);
	t->cell = cell;
	trail_add(t, start, end, 2, json_pack(
		"{s:s, s:s, s:s, s:i, s:n}", "kind", "cell", "place", id,
		"cell", id, "stays", 1, "unit"));
	return CD_OK;
}

static int by_time(const void *a, const void *b)
{
	const struct move *x = a, *y = b;
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return x->kind - y->kind;
}

/* The trail's first TRAJECTORY_MAX moves in time order as items. */
static json_t *trail_items(struct trail *t)
{
	json_t *items = json_array();
	sort_array(t->v, t->n, sizeof *t->v, by_time);
	for (size_t i = 0; i < t->n; i++) {
		json_t *j = t->v[i].j;
		t->v[i].j = NULL;
		if (i >= TRAJECTORY_MAX) {
			json_decref(j);
			continue;
		}
		json_t *item = json_pack("{s:o, s:o}", "at",
					 api_time(t->v[i].at), "until",
					 api_time(t->v[i].until));
		json_object_update_new(item, j);
		json_array_append_new(items, item);
	}
	return items;
}

API_HANDLER(api_h_dash_trajectory)
{
	struct store_case_view v;
	int64_t case_id;
	uint32_t person;
	struct trail t = { NULL, 0, 0, 0, 0, 0 };
	enum cd_code rc = api_case_load(r, r->params[0], &v, &case_id,
					&person, err);
	if (!rc)
		rc = case_trace_window(&v.c, r->rules->tracing.lookback_days,
				       r->now, &t.from, &t.to, err);
	if (!rc)
		rc = store_dash_cells(r->st, person, t.from, t.to, cell_one,
				      &t, err);
	if (!rc)
		rc = store_person_visits(r->st, v.c.rid, t.from, t.to,
					 scan_one, &t, err);
	if (!rc)
		rc = store_person_rides(
			r->st, v.c.rid, case_cst_day(t.from),
			case_cst_day(t.to), ride_one, &t, err);
	size_t total = t.n;
	json_t *items = trail_items(&t);
	free(t.v);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s, s:o, s:o, s:s, s:o, s:I, s:b}", "case",
			 v.c.number, "from", api_time(t.from), "to",
			 api_time(t.to), "hamlet", v.hamlet, "items", items,
			 "total", (json_int_t)total, "truncated",
			 total > TRAJECTORY_MAX);
	return CD_OK;
}

/* ---- GET /zone-tree */

const struct api_field api_dash_zone_tree_query[] = {
	{ "date", T_DATE, 0, KEY_NONE, 10,
	  "the zones in force at the end of this day (China time), at their "
	  "levels then; default now, with each zone's next step" },
	{ NULL, 0, 0, 0, 0, NULL },
};

#define ZONE_MEMO 16

struct tree {
	struct api_req *r;
	json_t *items;
	struct cd_err *err;
	int64_t at;              /* the instant shown */
	bool now;                /* at is now: next steps are shown */
	int n;                   /* zones seen, by id */
	int64_t id[ZONE_MEMO];
	json_t *zone[ZONE_MEMO]; /* their JSON (borrowed copies given) */
	int32_t earliest[ZONE_MEMO];
};

/* Zone id in force at t->at, at its level then, with (now only) its
 * next step and that step's earliest day (*earliest; 0 unknown). New
 * reference. */
static enum cd_code zone_of(struct tree *t, int64_t id, int level,
			    json_t **out, int32_t *earliest)
{
	for (int i = 0; i < t->n; i++)
		if (t->id[i] == id) {
			*out = json_deep_copy(t->zone[i]);
			*earliest = t->earliest[i];
			return CD_OK;
		}
	const struct rules *rules = t->r->rules;
	char zid[16];
	snprintf(zid, sizeof zid, "Z%04lld", (long long)id);
	*earliest = 0;
	json_t *next = json_null(), *ready = json_null();
	if (t->now) {   /* the zone's clock runs from today */
		struct zones_view v;
		enum cd_code rc = zones_view_get(t->r->st, rules, id,
						 t->r->now, &v, t->err);
		if (rc)
			return rc;
		*earliest = v.step.earliest;
		json_decref(next);
		next = json_string(zone_level_name(rules, v.step.to));
		ready = json_boolean(v.step.ready);
		zones_view_release(&v);
	}
	*out = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o}", "zone", zid,
			 "level", level, "name", zone_level_name(rules, level),
			 "name_zh", zone_level_zh(rules, level), "status",
			 "active", "next", next, "ready", ready);
	if (t->n < ZONE_MEMO) {
		t->id[t->n] = id;
		t->zone[t->n] = json_deep_copy(*out);
		t->earliest[t->n++] = *earliest;
	}
	return CD_OK;
}

static enum cd_code child_one(void *ctx, const struct store_dash_unit *u)
{
	struct tree *t = ctx;
	const struct rules *rules = t->r->rules;
	int64_t id = 0;
	int level = 0;
	int32_t earliest = 0;
	json_t *zone = json_null(), *inner = json_null();
	enum cd_code rc = store_dash_zone_covering(t->r->st, u->code, t->at,
						   &id, &level, t->err);
	if (!rc && id)
		rc = zone_of(t, id, level, &zone, &earliest);
	if (rc)
		return rc;
	if (u->inner_level)
		inner = json_pack("{s:i, s:s, s:s, s:I}", "level",
				  u->inner_level, "name",
				  zone_level_name(rules, u->inner_level),
				  "name_zh", zone_level_zh(rules, u->inner_level),
				  "zones", (json_int_t)u->inner_zones);
	json_array_append_new(t->items, json_pack(
		"{s:s, s:s, s:i, s:b, s:o, s:o, s:o}", "code", u->code, "name",
		u->name, "level", u->level, "has_children", u->has_children,
		"zone", zone, "inner", inner, "earliest",
		api_date(earliest)));
	return CD_OK;
}

API_HANDLER(api_h_dash_zone_tree)
{
	/* date=D: as at the end of day D (China time), or now when that is
	 * later. */
	struct tree t = { r, json_array(), err, r->now, true, 0, { 0 },
			  { NULL }, { 0 } };
	int32_t day;
	const char *d = api_query(r, "date");
	if (d && date_parse(d, &day)) {
		int64_t end = ((int64_t)day + 1) * 86400 - CD_CST_OFFSET;
		if (end < r->now) {
			t.at = end;
			t.now = false;
		}
	}
	enum cd_code rc = store_dash_children(r->st, r->unit, t.at,
					      r->limit + 1, r->offset,
					      child_one, &t, err);
	for (int i = 0; i < t.n; i++)
		json_decref(t.zone[i]);
	if (rc)
		json_decref(t.items);
	else
		*out = t.items;
	return rc;
}
