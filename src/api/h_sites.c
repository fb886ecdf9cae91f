/* h_sites.c — quarantine sites through the API: the sites of a
 * jurisdiction with their occupancy, one site with its rooms, their
 * occupants and the day's lists, and a site added or updated with its
 * rooms. The same application calls as `cordon site`
 * (cli/cmd_quarantine_view.c, cli/cmd_quarantine.c). Occupants outside
 * the user's jurisdiction are counted, not shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "domain/registry.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

const struct api_field api_site_show_query[] = {
	{ "date", T_DATE, 0, KEY_NONE, 10,
	  "the day of the lists of who is sampled or released (default: "
	  "today)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_site_add_body[] = {
	{ "site", T_STRING, F_REQUIRED, KEY_NONE, SITE_CODE_MAX - 1,
	  "the site's code: 1-32 of A-Z a-z 0-9 - _" },
	{ "name", T_STRING, F_REQUIRED, KEY_NONE, NAME_MAX_BYTES,
	  "the site's name" },
	{ "unit", T_STRING, F_REQUIRED, KEY_UNIT, UNIT_CODE_MAX - 1,
	  "the unit the site belongs to" },
	{ "address", T_STRING, 0, KEY_NONE, ADDRESS_MAX_BYTES, "its address" },
	{ "rooms", T_OBJECTS, F_REQUIRED, KEY_NONE, 500,
	  "rooms to add or update: {\"room\": \"101\", \"capacity\": 2}" },
	{ NULL, 0, 0, 0, 0, NULL },
};

static json_t *site_json(const struct store_site_view *v)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
			 "site", v->s.code, "name", v->s.name, "unit",
			 v->s.unit, "address", v->s.address, "room_count",
			 (json_int_t)v->rooms, "capacity",
			 (json_int_t)v->capacity, "occupied_rooms",
			 (json_int_t)v->occupied_rooms, "people",
			 (json_int_t)v->occupants, "free_rooms",
			 (json_int_t)v->free_rooms);
}

static enum cd_code site_one(void *ctx, const struct store_site_view *v)
{
	struct api_page *p = ctx;
	bool in;
	enum cd_code rc = api_unit_under(p->r, v->s.unit, &in, p->err);
	if (rc || !in || !api_page_wants(p))
		return rc;
	return api_page_add(p, site_json(v));
}

API_HANDLER(api_h_sites_list)
{
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_site_list(r->st, NULL, site_one, &p, err);
	return api_page_end(&p, rc, out);
}

/* A site's rooms with their occupants (within the user's jurisdiction;
 * "others" counts the rest). */
struct site_rooms {
	struct api_req *r;
	json_t *rooms;
	int64_t *ids;
	size_t n, alloc;
};

static enum cd_code room_one(void *ctx, const struct store_room_view *v)
{
	struct site_rooms *s = ctx;
	s->ids = xgrow(s->ids, sizeof *s->ids, s->n + 1, &s->alloc);
	s->ids[s->n++] = v->id;
	json_array_append_new(s->rooms, json_pack(
		"{s:s, s:i, s:i, s:s?, s:[], s:i}", "room", v->r.number,
		"capacity", v->r.capacity, "people", v->occupants, "group",
		v->grp < 0 ? NULL
			   : quarantine_group_name((enum quarantine_group)v->grp),
		"occupants", "others", 0));
	return CD_OK;
}

static enum cd_code occupant_one(void *ctx, const struct store_quarantine *q)
{
	struct site_rooms *s = ctx;
	char hamlet[UNIT_CODE_MAX];
	size_t i = 0;
	while (i < s->n && s->ids[i] != q->room_id)
		i++;
	json_t *room = json_array_get(s->rooms, i);
	if (!room)
		return CD_OK;
	if (!api_person_in_scope(s->r, q->person, hamlet)) {
		json_t *o = json_object_get(room, "others");
		json_integer_set(o, json_integer_value(o) + 1);
		return CD_OK;
	}
	json_t *j = api_person_json(q->person, q->rid, q->name, hamlet);
	json_object_set_new(j, "plan", json_integer(q->id));
	json_object_set_new(j, "group", json_string(quarantine_group_name(
						 q->grp)));
	json_array_append_new(json_object_get(room, "occupants"), j);
	return CD_OK;
}

/* Site code as JSON: occupancy, rooms and their occupants. */
static enum cd_code site_detail(struct api_req *r, const char *code,
				json_t **out, struct cd_err *err)
{
	struct site_rooms s = { r, json_array(), NULL, 0, 0 };
	struct store_quarantine_filter f = { .status = -1, .site = code };
	struct api_req whole = *r;
	whole.unit = NULL;
	whole.offset = 0;
	whole.limit = 1;
	struct api_page one = api_page_start(&whole, err);
	enum cd_code rc = store_site_list(r->st, code, site_one, &one, err);
	if (!rc && !json_array_size(one.items))
		rc = cd_err_set(err, CD_ENOTFOUND, "no quarantine site '%s'",
				code);
	if (!rc)
		rc = store_room_list(r->st, code, room_one, &s, err);
	if (!rc)
		rc = store_quarantine_list(r->st, &f, occupant_one, &s, err);
	if (!rc) {
		*out = json_incref(json_array_get(one.items, 0));
		json_object_set(*out, "rooms", s.rooms);
	}
	json_decref(one.items);
	json_decref(s.rooms);
	free(s.ids);
	return rc;
}

API_HANDLER(api_h_site_get)
{
	json_t *due = NULL;
	enum cd_code rc = site_detail(r, r->params[0], out, err);
	if (!rc)
		rc = api_quarantine_due_lists(r, api_query_day(r, "date"),
					      r->params[0], &due, err);
	if (!rc)
		json_object_set_new(*out, "due", due);
	return rc;
}

/* One room of the body, checked, into rr. */
static enum cd_code room_of_body(struct api_req *r, json_t *o, const char *site,
				 struct room_rec *rr, struct cd_err *err)
{
	struct cd_err e;
	json_t *num = json_object_get(o, "room"), *cap = json_object_get(o,
									 "capacity");
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
		if (strcmp(k, "room") && strcmp(k, "capacity"))
			return api_bad(r, err, "rooms", "a room has 'room' and "
				       "'capacity', not '%s'", k);
	if (!json_is_string(num) ||
	    quarantine_room_number_check(json_string_value(num), &e))
		return api_bad(r, err, "rooms", "room '%s': %s",
			       json_is_string(num) ? json_string_value(num) : "",
			       json_is_string(num) ? e.msg : "'room' must be a "
			       "string");
	if (!json_is_integer(cap) || json_integer_value(cap) < 1 ||
	    json_integer_value(cap) > ROOM_CAPACITY_MAX)
		return api_bad(r, err, "rooms", "room '%s': 'capacity' must be "
			       "a whole number of people from 1 to %d",
			       json_string_value(num), ROOM_CAPACITY_MAX);
	memset(rr, 0, sizeof *rr);
	snprintf(rr->site, sizeof rr->site, "%s", site);
	snprintf(rr->number, sizeof rr->number, "%s", json_string_value(num));
	rr->capacity = (int)json_integer_value(cap);
	return CD_OK;
}

/* The site of the body, checked, into s; an existing site must lie in
 * the user's jurisdiction. */
static enum cd_code site_of_body(struct api_req *r, struct site_rec *s,
				 struct cd_err *err)
{
	struct cd_err e;
	bool in = false;
	const char *code = api_body_str(r, "site", "");
	const char *name = api_body_str(r, "name", "");
	const char *addr = api_body_str(r, "address", "");
	if (quarantine_site_code_check(code, &e))
		return api_bad(r, err, "site", "site '%s': %s", code, e.msg);
	if (name_check(name, &e))
		return api_bad(r, err, "name", "'name': %s", e.msg);
	if (addr[0] && name_check(addr, &e))
		return api_bad(r, err, "address", "'address': %s", e.msg);
	enum cd_code rc = store_key_within(r->st, KEY_SITE, code, r->user->unit,
					   &in, &e);
	if (rc != CD_ENOTFOUND && (rc || !in)) {
		snprintf(r->field, sizeof r->field, "site");
		return rc ? cd_err_set(err, rc, "%s", e.msg)
			  : cd_err_set(err, CD_EFORBIDDEN, "site '%s' belongs "
				       "to a unit outside your jurisdiction",
				       code);
	}
	memset(s, 0, sizeof *s);
	snprintf(s->code, sizeof s->code, "%s", code);
	snprintf(s->name, sizeof s->name, "%s", name);
	snprintf(s->unit, sizeof s->unit, "%s", api_body_str(r, "unit", ""));
	snprintf(s->address, sizeof s->address, "%s", addr);
	return CD_OK;
}

API_HANDLER(api_h_site_add)
{
	struct site_rec s;
	json_t *rooms = json_object_get(r->body, "rooms"), *o;
	size_t i;
	enum cd_code rc = site_of_body(r, &s, err);
	if (rc)
		return rc;
	if (!json_array_size(rooms))
		return api_bad(r, err, "rooms", "a site needs at least one room");
	if ((rc = store_site_upsert(r->st, &s, NULL, err)))
		return rc;
	json_array_foreach(rooms, i, o) {
		struct room_rec rr;
		if ((rc = room_of_body(r, o, s.code, &rr, err)))
			return rc;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(json_string_value(json_object_get(
					    json_array_get(rooms, k), "room")),
				    rr.number))
				return api_bad(r, err, "rooms", "room '%s' is "
					       "given twice", rr.number);
		if ((rc = store_room_upsert(r->st, &rr, NULL, err)))
			return api_about(r, "rooms", rc);
	}
	snprintf(r->target, sizeof r->target, "site:%s", s.code);
	return site_detail(r, s.code, out, err);
}
