/* h_zones.c — risk zones through the API: zones with their measures,
 * clock, rounds, next step and log; proposals drawn from cases, confirmed
 * or rejected; areas edited; a zone lifted or downgraded (refused with
 * every unmet condition unless forced with a reason). The same calls as
 * `cordon zone` (cli/cmd_zone.c, app/zones_run.h). The actor kept in the
 * zone log is the user. As the CLI does, every call first opens the
 * "convert" proposals of new cases inside controlled zones (zones_sync).
 * A zone or proposal is in the user's jurisdiction when one of its units
 * overlaps it (store_key_within). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/json_views.h"
#include "app/zones_run.h"
#include "domain/registry.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

const struct api_field api_zone_list_query[] = {
	{ "all", T_BOOL, 0, KEY_NONE, 0,
	  "also lifted and rejected zones (default: active and proposed)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_zone_edit_body[] = {
	{ "add", T_STRINGS, 0, KEY_NONE, ZONES_EDIT_MAX,
	  "unit or venue codes to add" },
	{ "remove", T_STRINGS, 0, KEY_NONE, ZONES_EDIT_MAX,
	  "unit or venue codes to remove" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_zone_lift_body[] = {
	{ "force", T_BOOL, 0, KEY_NONE, 0,
	  "take the step although conditions do not hold (needs a reason)" },
	{ "reason", T_STRING, 0, KEY_NONE, 400,
	  "why it is forced; kept in the zone's log" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_zone_propose_body[] = {
	{ "cases", T_STRINGS, F_REQUIRED, KEY_CASE, ZONES_CASES_MAX,
	  "confirmed or asymptomatic case numbers" },
	{ "precaution", T_STRING, 0, KEY_NONE, 8,
	  "the precaution (low) zone: town or county (default)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_zone_reject_body[] = {
	{ "reason", T_STRING, F_REQUIRED, KEY_NONE, 400,
	  "why the proposal is rejected; kept in the log" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- shared pieces */

static struct zones_actor actor_of(const struct api_req *r)
{
	return (struct zones_actor){ r->user->name, r->now };
}

static enum cd_code sync(struct api_req *r, struct cd_err *err)
{
	struct zones_actor a = actor_of(r);
	long added;
	return zones_sync(r->st, &a, &added, err);
}

/* A zone (letter 'Z') or proposal ('P') id from "Z0001", "Z1" or "1". */
static enum cd_code id_of(const char *s, char letter, int64_t *id,
			  struct cd_err *err)
{
	char buf[24];
	if (s[0] >= '0' && s[0] <= '9') {
		snprintf(buf, sizeof buf, "%c%s", letter, s);
		s = buf;
	}
	return zones_parse_id(s, letter, id, err);
}

static const char *zid(char letter, int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%c%04lld", letter, (long long)id);
	return buf;
}

/* Whether zone or proposal id overlaps unit scope (NULL: everything). */
static bool key_in(struct api_req *r, enum store_key kind, int64_t id,
		   const char *scope)
{
	char key[24];
	bool in = false;
	struct cd_err e;
	snprintf(key, sizeof key, "%lld", (long long)id);
	return !store_key_within(r->st, kind, key, scope ? scope : "", &in,
				 &e) && in;
}

static enum cd_code area_one(void *ctx, const struct store_zone_area *a)
{
	json_array_append_new(ctx, json_view_zone_area(a));
	return CD_OK;
}

/* A zone's summary: level, status, residents, areas. */
static enum cd_code zone_summary(struct api_req *r, const struct store_zone *z,
				 json_t **out, struct cd_err *err)
{
	char b[2][16];
	json_t *areas = json_array();
	enum cd_code rc = store_zone_areas(r->st, z->id, area_one, areas, err);
	if (rc) {
		json_decref(areas);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "zone",
			 zid('Z', z->id, b[0], sizeof b[0]), "proposal",
			 zid('P', z->proposal, b[1], sizeof b[1]), "level",
			 zone_level_name(r->rules, z->level), "level_zh",
			 zone_level_zh(r->rules, z->level), "status", z->status,
			 "residents", (json_int_t)z->residents, "areas", areas);
	return CD_OK;
}

static enum cd_code log_one(void *ctx, const struct store_zone_log *l)
{
	json_array_append_new(ctx, json_view_zone_log(l));
	return CD_OK;
}

/* Zone id as `zone show` has it: its summary, measures, clock, rounds,
 * next step when active, and (with_log) its log. */
static enum cd_code zone_detail(struct api_req *r, int64_t id, bool with_log,
				json_t **out, struct cd_err *err)
{
	struct zones_view v;
	json_t *j = NULL;
	enum cd_code rc = zones_view_get(r->st, r->rules, id, r->now, &v, err);
	if (!rc)
		rc = zone_summary(r, &v.z, &j, err);
	if (!rc) {
		json_t *rounds = json_array();
		for (size_t i = 0; i < v.f.nrounds; i++)
			json_array_append_new(rounds, json_pack(
				"{s:o, s:b}", "day", api_date(v.rounds[i].day),
				"all_negative", v.rounds[i].all_negative));
		bool active = !strcmp(v.z.status, "active");
		json_t *more = json_pack(
			"{s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"profile", r->rules->profile, "level_number", v.z.level,
			"measures", zone_measures(v.z.level), "measures_zh",
			zone_measures_zh(v.z.level), "confirmed_at",
			api_time(v.z.confirmed_at), "level_since",
			api_time(v.z.level_since), "lifted_at",
			api_time(v.z.lifted_at), "last_infection",
			api_date(v.f.last_infection), "last_close_exposure",
			api_date(v.f.last_close_exposure), "rounds", rounds,
			"next", active ? json_view_zone_step(r->rules, &v)
				       : json_null());
		json_object_update(j, more);
		json_decref(more);
	}
	if (!rc && with_log) {
		json_t *log = json_array();
		rc = store_zone_log_list(r->st, 0, id, log_one, log, err);
		json_object_set_new(j, "log", log);
	}
	zones_view_release(&v);
	if (rc)
		json_decref(j);
	else
		*out = j;
	return rc;
}

/* ---- zones */

struct ids {
	int64_t *v;
	size_t n, alloc;
	bool all;
};

static enum cd_code keep_zone(void *ctx, const struct store_zone *z)
{
	struct ids *l = ctx;
	if (!l->all && strcmp(z->status, "active") &&
	    strcmp(z->status, "proposed"))
		return CD_OK;
	l->v = xgrow(l->v, sizeof *l->v, l->n + 1, &l->alloc);
	l->v[l->n++] = z->id;
	return CD_OK;
}

/* The page of ids l (in the jurisdiction of r->unit) through fn. */
static enum cd_code page_of(struct api_req *r, const struct ids *l,
			    enum store_key kind,
			    enum cd_code (*fn)(struct api_req *, int64_t,
					       json_t **, struct cd_err *),
			    json_t **out, struct cd_err *err)
{
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = CD_OK;
	for (size_t i = 0; !rc && i < l->n; i++) {
		json_t *j = NULL;
		if (!key_in(r, kind, l->v[i], r->unit) || !api_page_wants(&p))
			continue;
		if (!(rc = fn(r, l->v[i], &j, err)))
			rc = api_page_add(&p, j);
	}
	return api_page_end(&p, rc, out);
}

/* A zone of the list: its summary and, when active, its next step. */
static enum cd_code zone_item(struct api_req *r, int64_t id, json_t **out,
			      struct cd_err *err)
{
	struct zones_view v;
	enum cd_code rc = zones_view_get(r->st, r->rules, id, r->now, &v, err);
	if (!rc)
		rc = zone_summary(r, &v.z, out, err);
	if (!rc)
		json_object_set_new(*out, "next", !strcmp(v.z.status, "active")
				    ? json_view_zone_step(r->rules, &v)
				    : json_null());
	zones_view_release(&v);
	return rc;
}

API_HANDLER(api_h_zones_list)
{
	struct ids l = { NULL, 0, 0, api_query_bool(r, "all", false) };
	enum cd_code rc = sync(r, err);
	if (!rc)
		rc = store_zone_list(r->st, 0, NULL, keep_zone, &l, err);
	if (!rc)
		rc = page_of(r, &l, KEY_ZONE, zone_item, out, err);
	free(l.v);
	return rc;
}

API_HANDLER(api_h_zone_get)
{
	int64_t id;
	enum cd_code rc = id_of(r->params[0], 'Z', &id, err);
	if (!rc)
		rc = sync(r, err);
	return rc ? rc : zone_detail(r, id, true, out, err);
}

/* Codes of a body array (unit or venue codes within the user's
 * jurisdiction) into v, *n of them. */
static enum cd_code areas_of(struct api_req *r, const char *field,
			     const char **v, size_t *n, struct cd_err *err)
{
	json_t *arr = json_object_get(r->body, field), *e;
	size_t i;
	*n = 0;
	json_array_foreach(arr, i, e) {
		const char *code = json_string_value(e);
		struct unit_code uc;
		struct cd_err x;
		bool unit = unit_code_parse(code, &uc, NULL) == CD_OK, in = false;
		enum cd_code rc = store_key_within(r->st, unit ? KEY_UNIT
							       : KEY_VENUE,
						   code, r->user->unit, &in, &x);
		if (rc && rc != CD_ENOTFOUND)
			return cd_err_set(err, rc, "%s", x.msg);
		if (rc || !in) {
			snprintf(r->field, sizeof r->field, "%s", field);
			return cd_err_set(err, CD_ENOTFOUND, "no %s '%s'",
					  unit ? "unit" : "venue", code);
		}
		v[(*n)++] = code;
	}
	return CD_OK;
}

API_HANDLER(api_h_zone_edit)
{
	const char *add[ZONES_EDIT_MAX], *rem[ZONES_EDIT_MAX];
	size_t nadd, nrem;
	int64_t id;
	struct zones_actor a = actor_of(r);
	enum cd_code rc = id_of(r->params[0], 'Z', &id, err);
	if (!rc)
		rc = areas_of(r, "add", add, &nadd, err);
	if (!rc)
		rc = areas_of(r, "remove", rem, &nrem, err);
	if (!rc && !nadd && !nrem)
		return api_bad(r, err, "add", "give codes to 'add' or "
			       "'remove'");
	if (!rc)
		rc = zones_edit(r->st, r->rules, id, add, nadd, rem, nrem, &a,
				err);
	return rc ? rc : zone_detail(r, id, true, out, err);
}

API_HANDLER(api_h_zone_lift)
{
	int64_t id;
	struct store_zone before;
	enum zone_level to;
	struct zones_actor a = actor_of(r);
	bool force = api_body_bool(r, "force", false);
	const char *reason = api_body_str(r, "reason", "");
	char b[16];
	if (force && !reason[0])
		return api_bad(r, err, "reason", "'force' needs a 'reason', "
			       "kept in the zone's log");
	enum cd_code rc = id_of(r->params[0], 'Z', &id, err);
	if (!rc)
		rc = sync(r, err);
	if (!rc)
		rc = store_zone_get(r->st, id, &before, err);
	if (!rc)
		rc = zones_lift(r->st, r->rules, id, force, reason, &a, &to,
				err);
	char *cli = rc == CD_ERULE ? strstr(err->msg, "--force with") : NULL;
	if (cli)   /* the application speaks of the CLI's options */
		snprintf(cli, sizeof err->msg - (size_t)(cli - err->msg),
			 "'force' with a 'reason' overrides");
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:s, s:s, s:b, s:s}", "zone",
			 zid('Z', id, b, sizeof b), "from",
			 zone_level_name(r->rules, before.level), "to",
			 zone_level_name(r->rules, to), "forced", force, "by",
			 a.name);
	return CD_OK;
}

/* ---- proposals */

/* The zones of proposal id, summarised, into *out. */
static enum cd_code proposal_zones(struct api_req *r, int64_t id, json_t **out,
				   struct cd_err *err)
{
	struct ids l = { NULL, 0, 0, true };
	json_t *arr = json_array();
	enum cd_code rc = store_zone_list(r->st, id, NULL, keep_zone, &l, err);
	for (size_t i = 0; !rc && i < l.n; i++) {
		struct store_zone z;
		json_t *j;
		if (!(rc = store_zone_get(r->st, l.v[i], &z, err)) &&
		    !(rc = zone_summary(r, &z, &j, err)))
			json_array_append_new(arr, j);
	}
	free(l.v);
	if (rc)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

/* Proposal id: kind, status, the zone to convert, its zones; with_log
 * its log too. */
static enum cd_code proposal_detail(struct api_req *r, int64_t id,
				    bool with_log, json_t **out,
				    struct cd_err *err)
{
	struct store_zone_proposal p;
	json_t *zones = NULL;
	char b[2][16];
	enum cd_code rc = store_zone_proposal_get(r->st, id, &p, err);
	if (!rc)
		rc = proposal_zones(r, id, &zones, err);
	if (rc)
		return rc;
	bool conv = !strcmp(p.kind, "convert");
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:s?, s:s?, s:o}",
			      "proposal", zid('P', id, b[0], sizeof b[0]),
			      "kind", p.kind, "status", p.status,
			      "created_at", api_time(p.created_at), "zone",
			      conv ? zid('Z', p.zone, b[1], sizeof b[1]) : NULL,
			      "case", conv ? p.case_number : NULL, "zones",
			      zones);
	if (with_log) {
		json_t *log = json_array();
		rc = store_zone_log_list(r->st, id, 0, log_one, log, err);
		json_object_set_new(j, "log", log);
	}
	if (rc)
		json_decref(j);
	else
		*out = j;
	return rc;
}

static enum cd_code proposal_item(struct api_req *r, int64_t id, json_t **out,
				  struct cd_err *err)
{
	return proposal_detail(r, id, false, out, err);
}

static enum cd_code keep_proposal(void *ctx,
				  const struct store_zone_proposal *p)
{
	struct ids *l = ctx;
	l->v = xgrow(l->v, sizeof *l->v, l->n + 1, &l->alloc);
	l->v[l->n++] = p->id;
	return CD_OK;
}

API_HANDLER(api_h_zone_proposals_list)
{
	struct ids l = { NULL, 0, 0, api_query_bool(r, "all", false) };
	enum cd_code rc = sync(r, err);
	if (!rc)
		rc = store_zone_proposals(r->st, !l.all, keep_proposal, &l,
					  err);
	if (!rc)
		rc = page_of(r, &l, KEY_PROPOSAL, proposal_item, out, err);
	free(l.v);
	return rc;
}

API_HANDLER(api_h_zone_proposal_get)
{
	int64_t id;
	enum cd_code rc = id_of(r->params[0], 'P', &id, err);
	if (!rc)
		rc = sync(r, err);
	return rc ? rc : proposal_detail(r, id, true, out, err);
}

API_HANDLER(api_h_zone_propose)
{
	const char *cases[ZONES_CASES_MAX];
	json_t *arr = json_object_get(r->body, "cases"), *e;
	enum unit_level prec = UNIT_COUNTY;
	const char *p = api_body_str(r, "precaution", "county");
	struct zones_actor a = actor_of(r);
	int64_t id;
	size_t i, n = 0;
	if (!strcmp(p, "town"))
		prec = UNIT_TOWN;
	else if (strcmp(p, "county"))
		return api_bad(r, err, "precaution", "'precaution' must be "
			       "town or county, not '%s'", p);
	json_array_foreach(arr, i, e)
		cases[n++] = json_string_value(e);
	if (!n)
		return api_bad(r, err, "cases", "name at least one case");
	enum cd_code rc = zones_propose(r->st, r->rules, cases, n, prec, &a,
					&id, err);
	if (rc == CD_ERULE || rc == CD_ENOTFOUND)
		snprintf(r->field, sizeof r->field, "cases");
	if (!rc) {
		char b[16];
		snprintf(r->target, sizeof r->target, "proposal:%s",
			 zid('P', id, b, sizeof b));
		rc = proposal_detail(r, id, true, out, err);
	}
	return rc;
}

/* Confirm or reject the path's proposal. */
static enum cd_code decide(struct api_req *r, bool confirm, json_t **out,
			   struct cd_err *err)
{
	int64_t id;
	struct zones_actor a = actor_of(r);
	const char *reason = api_body_str(r, "reason", "");
	if (!confirm && !reason[0])
		return api_bad(r, err, "reason", "a rejection needs a "
			       "'reason'");
	enum cd_code rc = id_of(r->params[0], 'P', &id, err);
	if (!rc)
		rc = sync(r, err);
	if (!rc)
		rc = confirm ? zones_confirm(r->st, r->rules, id, &a, err)
			     : zones_reject(r->st, id, reason, &a, err);
	if (!rc)
		rc = proposal_detail(r, id, true, out, err);
	if (!rc)
		json_object_set_new(*out, "by", json_string(a.name));
	return rc;
}

API_HANDLER(api_h_zone_confirm)
{
	return decide(r, true, out, err);
}

API_HANDLER(api_h_zone_reject)
{
	return decide(r, false, out, err);
}
