/* h_registry.c — the registry through the API: units with their parents
 * and children, households, persons, venues, grid workers, and the summary
 * counts of a jurisdiction. The dispatcher has checked every key against
 * the user's unit; lists are filtered to r->unit by the store. Every
 * object about a person carries "hamlet" (the dispatcher's guard) and
 * "rid"/"phone" (masked unless unmasked). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

#define HOUSEHOLD_MEMBERS_MAX 2000
#define RID_VISIBLE 6     /* the area code a masked ID shows anyway */

const struct api_field api_units_query[] = {
	{ "level", T_STRING, 0, KEY_NONE, 16,
	  "only units of this level: county, town, village or hamlet" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_persons_query[] = {
	{ "q", T_STRING, 0, KEY_NONE, 64,
	  "a name prefix, or a resident ID prefix (without the unmask "
	  "permission: at most the 6-digit area code, or the whole ID)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_venues_query[] = {
	{ "kind", T_STRING, 0, KEY_NONE, 32,
	  "only venues of this kind (market, supermarket, checkpoint, ...)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_summary_query[] = {
	{ "unit", T_STRING, 0, KEY_UNIT, 40,
	  "count within this unit (default: my jurisdiction)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- shapes */

static json_t *unit_json(const struct unit_rec *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "code", u->code,
			 "name", u->name, "level", unit_level_name(u->level),
			 "kind", unit_kind_name(u->kind), "parent",
			 u->parent[0] ? u->parent : NULL);
}

static json_t *node_json(const struct unit_node *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "code", u->code,
			 "name", u->name, "level", unit_level_name(u->level),
			 "kind", unit_kind_name(u->kind), "households",
			 (json_int_t)u->total_households, "persons",
			 (json_int_t)u->total_persons);
}

/* A person as listed: the link id, identity, household and hamlet. */
static json_t *person_json(const struct store_person_row *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s}",
			 "person", (json_int_t)p->id, "rid", p->p.rid, "name",
			 p->p.name, "sex", p->p.sex == 'M' ? "male" : "female",
			 "phone", p->p.phone[0] ? p->p.phone : NULL, "household",
			 p->p.household, "hamlet", p->hamlet, "hamlet_name",
			 p->hamlet_name);
}

static json_t *venue_json(const struct store_venue_view *v)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:o, s:o}",
			 "code", v->v.code, "name", v->v.name, "kind",
			 venue_kind_name(v->v.kind), "kind_zh",
			 venue_kind_zh(v->v.kind), "small",
			 venue_kind_is_small(v->v.kind), "unit", v->v.unit,
			 "unit_name", v->unit_name, "lat",
			 v->v.has_coord ? json_real(v->v.lat) : json_null(),
			 "lon",
			 v->v.has_coord ? json_real(v->v.lon) : json_null());
}

static struct store_page page_of(const struct api_req *r)
{
	return (struct store_page){ r->unit, r->limit + 1, r->offset };
}

/* ---- units */

/* The unit's ancestors, county first. */
static enum cd_code parents_json(struct api_req *r, const char *parent,
				 json_t *out, struct cd_err *err)
{
	char code[UNIT_CODE_MAX];
	snprintf(code, sizeof code, "%s", parent);
	for (int depth = 0; code[0] && depth < 4; depth++) {
		struct unit_rec u;
		enum cd_code rc = store_unit_get(r->st, code, &u, err);
		if (rc)
			return rc;
		json_array_insert_new(out, 0, json_pack(
			"{s:s, s:s, s:s}", "code", u.code, "name", u.name,
			"level", unit_level_name(u.level)));
		snprintf(code, sizeof code, "%s", u.parent);
	}
	return CD_OK;
}

enum cd_code api_h_unit_get(struct api_req *r, json_t **out,
			    struct cd_err *err)
{
	struct unit_rec u;
	struct unit_node *nodes = NULL;
	size_t n = 0;
	json_t *j = NULL;
	enum cd_code rc = store_unit_get(r->st, r->params[0], &u, err);
	if (!rc)
		rc = store_unit_children(r->st, u.code, &nodes, &n, err);
	if (rc)
		goto cleanup;
	j = unit_json(&u);
	json_t *parents = json_array(), *children = json_array();
	json_object_set_new(j, "kind_zh", json_string(unit_kind_zh(u.kind)));
	json_object_set_new(j, "parents", parents);
	json_object_set_new(j, "households",
			    json_integer(nodes[0].total_households));
	json_object_set_new(j, "persons",
			    json_integer(nodes[0].total_persons));
	json_object_set_new(j, "direct_households",
			    json_integer(nodes[0].households));
	json_object_set_new(j, "direct_persons",
			    json_integer(nodes[0].persons));
	for (size_t i = 1; i < n; i++)
		json_array_append_new(children, node_json(&nodes[i]));
	json_object_set_new(j, "children", children);
	if ((rc = parents_json(r, u.parent, parents, err)))
		goto cleanup;
	*out = j;
	j = NULL;
cleanup:
	json_decref(j);
	free(nodes);
	return rc;
}

static enum cd_code unit_item(void *ctx, const struct unit_rec *u)
{
	struct api_page *p = ctx;
	json_array_append_new(p->items, unit_json(u));
	return CD_OK;
}

enum cd_code api_h_units_list(struct api_req *r, json_t **out,
			      struct cd_err *err)
{
	int level = 0;
	const char *lv = api_query(r, "level");
	for (int l = UNIT_COUNTY; lv && l <= UNIT_HAMLET && !level; l++)
		if (!strcmp(lv, unit_level_name((enum unit_level)l)))
			level = l;
	if (lv && !level)
		return api_bad(r, err, "level", "'level' must be county, "
			       "town, village or hamlet, not '%s'", lv);
	struct api_page p = api_page_start(r, err);
	struct store_page pg = page_of(r);
	enum cd_code rc = store_unit_list(r->st, &pg, level, unit_item, &p,
					  err);
	return api_page_end(&p, rc, out);
}

/* ---- households and persons */

static enum cd_code person_item(void *ctx, const struct store_person_row *pr)
{
	struct api_page *p = ctx;
	/* The store kept to r->unit (or to a household already checked). */
	json_array_append_new(p->items, person_json(pr));
	return CD_OK;
}

enum cd_code api_h_household_get(struct api_req *r, json_t **out,
				 struct cd_err *err)
{
	struct store_household_view h;
	enum cd_code rc = store_household_get(r->st, r->params[0], &h, err);
	if (rc)
		return rc;
	struct api_page p = api_page_start(r, err);
	struct store_person_filter f = {
		{ NULL, HOUSEHOLD_MEMBERS_MAX, 0 }, h.h.code, NULL, NULL
	};
	json_t *members;
	rc = store_person_list(r->st, &f, person_item, &p, err);
	if ((rc = api_page_end(&p, rc, &members)))
		return rc;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o}", "household", h.h.code,
			 "address", h.h.address, "hamlet", h.h.hamlet,
			 "hamlet_name", h.hamlet_name, "members", members);
	return CD_OK;
}

/* q as a resident ID prefix (digits, the last may be X) into rid, upper
 * case; false when it is a name. */
static bool rid_prefix(const char *q, char *rid, size_t len)
{
	size_t n = strlen(q);
	if (!n || n > RID_LEN || n >= len)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool x = (q[i] == 'x' || q[i] == 'X') && i == RID_LEN - 1;
		if (!isdigit((unsigned char)q[i]) && !x)
			return false;
		rid[i] = (char)toupper((unsigned char)q[i]);
	}
	rid[n] = '\0';
	return true;
}

enum cd_code api_h_persons_list(struct api_req *r, json_t **out,
				struct cd_err *err)
{
	const char *q = api_query(r, "q");
	char rid[RID_LEN + 1];
	struct store_person_filter f = { page_of(r), NULL, NULL, NULL };
	if (q && rid_prefix(q, rid, sizeof rid)) {
		/* A partial ID would reveal what masking hides: the birth
		 * date and sequence, a digit at a time. */
		size_t n = strlen(rid);
		if (!r->user->unmask && n > RID_VISIBLE && n < RID_LEN) {
			snprintf(r->field, sizeof r->field, "q");
			return cd_err_set(err, CD_EFORBIDDEN, "search by the "
					  "whole resident ID or its first %d "
					  "digits: part of an ID needs the "
					  "unmask permission", RID_VISIBLE);
		}
		f.rid = rid;
	} else if (q && q[0]) {
		f.name = q;
	}
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_person_list(r->st, &f, person_item, &p, err);
	return api_page_end(&p, rc, out);
}

/* Whole years from birth to today. */
static int age_on(int32_t birth, int32_t today)
{
	int by, bm, bd, ty, tm, td;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	return ty - by - (tm < bm || (tm == bm && td < bd));
}

enum cd_code api_h_person_get(struct api_req *r, json_t **out,
			      struct cd_err *err)
{
	char rid[RID_LEN + 1];
	struct person_view v;
	uint32_t id;
	enum cd_code rc;
	if ((rc = store_person_rid(r->st, r->params[0], rid, err)) ||
	    (rc = store_person_get(r->st, rid, &v, err)) ||
	    (rc = store_person_id(r->st, rid, &id, err)))
		return rc;
	char groups[64];
	groups_format(v.p.groups, groups, sizeof groups);
	int32_t today = api_today(r);
	*out = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:i, s:s?, s:s, s:s, s:s, s:s,"
		" s:s, s:s, s:s, s:s}",
		"person", (json_int_t)id, "rid", v.p.rid, "name", v.p.name,
		"sex", v.p.sex == 'M' ? "male" : "female", "birth_date",
		api_date(v.p.birth), "age", age_on(v.p.birth, today), "phone",
		v.p.phone[0] ? v.p.phone : NULL, "household", v.p.household,
		"address", v.address, "hamlet", v.hamlet, "hamlet_name",
		v.hamlet_name, "village", v.village_name, "town", v.town_name,
		"county", v.county_name, "groups", groups);
	return CD_OK;
}

/* ---- venues */

enum cd_code api_h_venue_get(struct api_req *r, json_t **out,
			     struct cd_err *err)
{
	struct store_venue_view v;
	enum cd_code rc = store_venue_get(r->st, r->params[0], &v, err);
	if (!rc)
		*out = venue_json(&v);
	return rc;
}

static enum cd_code venue_item(void *ctx, const struct store_venue_view *v)
{
	struct api_page *p = ctx;
	json_array_append_new(p->items, venue_json(v));
	return CD_OK;
}

enum cd_code api_h_venues_list(struct api_req *r, json_t **out,
			       struct cd_err *err)
{
	int kind = -1;
	const char *k = api_query(r, "kind");
	if (k) {
		enum venue_kind vk;
		struct cd_err e;
		if (venue_kind_parse(k, &vk, &e))
			return api_bad(r, err, "kind", "'kind': %s", e.msg);
		kind = (int)vk;
	}
	struct api_page p = api_page_start(r, err);
	struct store_page pg = page_of(r);
	enum cd_code rc = store_venue_list(r->st, &pg, kind, venue_item, &p,
					   err);
	return api_page_end(&p, rc, out);
}

/* ---- grid workers */

static enum cd_code worker_item(void *ctx,
				const struct store_grid_worker_view *w)
{
	struct api_page *p = ctx;
	json_t *hamlets = json_array();
	/* Only the hamlets within r->unit: the store left out the rest. */
	for (size_t i = 0; i < w->w.nunits; i++)
		json_array_append_new(hamlets, json_pack(
			"{s:s, s:s}", "hamlet", w->w.units[i], "name",
			w->names[i]));
	json_array_append_new(p->items, json_pack(
		"{s:s, s:s, s:o}", "phone", w->w.phone, "name", w->w.name,
		"hamlets", hamlets));
	return CD_OK;
}

enum cd_code api_h_grid_workers_list(struct api_req *r, json_t **out,
				     struct cd_err *err)
{
	struct api_page p = api_page_start(r, err);
	struct store_page pg = page_of(r);
	enum cd_code rc = store_grid_worker_list(r->st, &pg, worker_item, &p,
						 err);
	return api_page_end(&p, rc, out);
}

/* ---- the summary */

static json_t *counts3(const char *const names[3], const long v[3])
{
	json_t *j = json_object();
	for (int i = 0; i < 3; i++)
		json_object_set_new(j, names[i], json_integer(v[i]));
	return j;
}

enum cd_code api_h_summary(struct api_req *r, json_t **out,
			   struct cd_err *err)
{
	static const char *const classes[] = { "confirmed", "asymptomatic",
					       "suspected" };
	static const char *const colours[] = { "green", "yellow", "red" };
	static const char *const statuses[] = { "waiting", "central", "home" };
	const char *unit = api_query(r, "unit");
	struct store_summary s;
	struct unit_rec u;
	enum cd_code rc;
	if (!unit || !unit[0])
		unit = api_scope(r);
	if (unit && (rc = store_unit_get(r->st, unit, &u, err)))
		return rc;
	if ((rc = store_summary(r->st, unit, &s, err)))
		return rc;
	json_t *cases = counts3(classes, s.cases);
	json_object_set_new(cases, "open", json_integer(s.cases_open));
	json_object_set_new(cases, "cured", json_integer(s.cured));
	json_object_set_new(cases, "died", json_integer(s.died));
	json_t *q = counts3(statuses, s.quarantine);
	json_object_set_new(q, "open", json_integer(s.quarantine[0] +
						    s.quarantine[1] +
						    s.quarantine[2]));
	json_t *zones = json_pack("{s:I}", "active", (json_int_t)s.zones[0]);
	for (int l = ZONE_PRECAUTION; l <= ZONE_SEALED; l++)
		json_object_set_new(zones,
				    zone_level_name(r->rules,
						    (enum zone_level)l),
				    json_integer(s.zones[l]));
	*out = json_pack(
		"{s:s?, s:s?, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o,"
		" s:o}",
		"unit", unit, "unit_name", unit ? u.name : NULL, "as_of",
		api_time(r->now), "units", (json_int_t)s.units, "households",
		(json_int_t)s.households, "persons", (json_int_t)s.persons,
		"venues", (json_int_t)s.venues, "grid_workers",
		(json_int_t)s.grid_workers, "cases", cases, "health_codes",
		counts3(colours, s.codes), "quarantine", q, "zones", zones);
	return CD_OK;
}
