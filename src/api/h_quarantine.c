/* h_quarantine.c — quarantine through the API: plans (a page of them; one
 * person's with tests, release conditions and monitoring), planning from
 * a case, monitoring entries, release, re-planning, rooms for the
 * waiting, upgrades and the day's lists; sites are in h_sites.c. The
 * same application calls as `cordon quarantine` (cli/cmd_quarantine*.c,
 * app/quarantine_run.h).
 *
 * Beyond jurisdiction, least privilege on a plan: a site manager acts on
 * people in central quarantine at a site of their unit; a grid worker
 * records checks of people at home (home quarantine or health
 * monitoring). Every person sent names their hamlet; people of a list
 * outside the user's jurisdiction are left out (counted where it helps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/json_views.h"
#include "app/quarantine_run.h"
#include "domain/registry.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define ALLOC_FIELDS                                                     \
	{ "child_age", T_INT, 0, KEY_NONE, QUARANTINE_ADULT_AGE,           \
	  "rooms: a child younger than this (1-18; default 14) stays with " \
	  "an adult of the household" },                                   \
	{ "share", T_BOOL, 0, KEY_NONE, 0,                                 \
	  "rooms: unrelated people of one group may share a room up to "   \
	  "its capacity" }

const struct api_field api_quarantine_list_query[] = {
	{ "status", T_STRING, 0, KEY_NONE, 16,
	  "waiting, central, home, released, upgraded, replanned, open "
	  "(waiting, central or home) or all (default)" },
	{ "group", T_STRING, 0, KEY_NONE, 16, "close, secondary or discharged" },
	{ "case", T_STRING, 0, KEY_CASE, CASE_NUMBER_MAX,
	  "the plans made for this case" },
	{ "site", T_STRING, 0, KEY_SITE, SITE_CODE_MAX - 1,
	  "the people in central quarantine at this site now" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_quarantine_plan_body[] = {
	{ "case", T_STRING, F_REQUIRED, KEY_CASE, CASE_NUMBER_MAX,
	  "plan the close and secondary contacts of this case's last trace" },
	{ "discharged", T_BOOL, 0, KEY_NONE, 0,
	  "plan the case's own patient after discharge instead (cured)" },
	ALLOC_FIELDS,
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_quarantine_alloc_body[] = {
	ALLOC_FIELDS,
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_quarantine_monitor_body[] = {
	{ "temp", T_NUMBER, F_REQUIRED, KEY_NONE, 0,
	  "the temperature in °C, at most one decimal, 34.0 to 43.0" },
	{ "symptoms", T_STRING, 0, KEY_NONE, SYMPTOMS_MAX_BYTES,
	  "symptoms as told; empty, none or 无 for none" },
	{ "at", T_TIME, 0, KEY_NONE, 40, "when it was taken (default: now)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_quarantine_due_query[] = {
	{ "date", T_DATE, 0, KEY_NONE, 10, "the day (default: today)" },
	{ "site", T_STRING, 0, KEY_SITE, SITE_CODE_MAX - 1,
	  "only the people in central quarantine at this site" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- shared pieces */

/* The run of a request: the server's rules, today, and the body's room
 * options. */
static enum cd_code run_of(struct api_req *r, struct quarantine_run *run,
			   struct cd_err *err)
{
	long age = api_body_long(r, "child_age", QUARANTINE_CHILD_AGE);
	if (age < 1)
		return api_bad(r, err, "child_age", "'child_age' must be from "
			       "1 to %d", QUARANTINE_ADULT_AGE);
	*run = (struct quarantine_run){
		r->st, r->rules, api_today(r), r->now,
		{ (int)age, api_body_bool(r, "share", false) }
	};
	return CD_OK;
}

/* A secondary contact's linked close contact, unless outside the user's
 * jurisdiction (then only that it is). */
static json_t *via_json(struct api_req *r, const struct store_quarantine *q)
{
	char hamlet[UNIT_CODE_MAX];
	if (!q->via)
		return json_null();
	if (!api_person_in_scope(r, q->via, hamlet))
		return json_pack("{s:b}", "outside_jurisdiction", 1);
	return api_person_json(q->via, q->via_rid, q->via_name, hamlet);
}

static json_t *plan_json(struct api_req *r, const struct store_quarantine *q,
			 const char *hamlet)
{
	json_t *j = api_person_json(q->person, q->rid, q->name, hamlet);
	bool room = q->room_id != 0;
	json_t *rest = json_pack(
		"{s:I, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:o}",
		"plan", (json_int_t)q->id, "status",
		quarantine_status_name(q->status), "group",
		quarantine_group_name(q->grp), "case",
		q->case_number[0] ? q->case_number : NULL, "profile",
		q->profile, "regime", q->regime, "site", room ? q->site : NULL,
		"site_name", room ? q->site_name : NULL, "room",
		room ? q->room : NULL, "linked_close_contact", via_json(r, q));
	json_object_update_new(j, rest);
	json_view_quarantine_dates(j, q);
	json_object_set_new(j, "planned_at", api_time(q->planned_at));
	return j;
}

/* Plan id as JSON with its person's hamlet. */
static enum cd_code plan_id_json(struct api_req *r, int64_t id, json_t **out,
				 struct cd_err *err)
{
	struct store_quarantine q;
	char hamlet[UNIT_CODE_MAX];
	enum cd_code rc = store_quarantine_get(r->st, id, &q, err);
	if (!rc)
		rc = store_api_plan_hamlet(r->st, q.person, hamlet, err);
	if (!rc)
		*out = plan_json(r, &q, hamlet);
	return rc;
}

/* The plans l within the user's jurisdiction appended to arr; *hidden
 * (may be NULL) counts the others. */
static void plans_append(struct api_req *r, const struct quarantine_plans *l,
			 json_t *arr, long *hidden)
{
	for (size_t i = 0; i < l->n; i++) {
		char hamlet[UNIT_CODE_MAX];
		if (api_person_in_scope(r, l->v[i].person, hamlet))
			json_array_append_new(arr, plan_json(r, &l->v[i],
							     hamlet));
		else if (hidden)
			(*hidden)++;
	}
}

/* The plans matching f, as plans_append does. */
static enum cd_code plans_json(struct api_req *r,
			       const struct store_quarantine_filter *f,
			       json_t *arr, long *hidden, struct cd_err *err)
{
	struct quarantine_plans l = { NULL, 0, 0 };
	enum cd_code rc = store_quarantine_list(r->st, f,
						quarantine_plans_collect, &l,
						err);
	if (!rc)
		plans_append(r, &l, arr, hidden);
	free(l.v);
	return rc;
}

/* The plan of the path's {person}: their open plan, else their latest. */
static enum cd_code plan_of_param(struct api_req *r, struct store_quarantine *q,
				  struct cd_err *err)
{
	char rid[19];
	uint32_t person;
	enum cd_code rc = store_person_rid(r->st, r->params[0], rid, err);
	if (!rc)
		rc = store_quarantine_person(r->st, rid, &person, err);
	if (!rc)
		rc = store_quarantine_of(r->st, person, 1, q, err);
	return rc;
}

/* Least privilege on plan q: a site manager acts on people in central
 * quarantine at a site of their unit; a grid worker records checks
 * (monitor) of people at home. */
static enum cd_code may_act(struct api_req *r, const struct store_quarantine *q,
			    bool monitor, struct cd_err *err)
{
	const char *st = quarantine_status_name(q->status);
	struct cd_err e;
	bool in = false;
	if (r->user->role == R_SITE &&
	    (q->status != QS_CENTRAL ||
	     store_key_within(r->st, KEY_SITE, q->site, r->user->unit, &in,
			      &e) || !in))
		return cd_err_set(err, CD_EFORBIDDEN, "a site manager acts on "
				  "people in central quarantine at a site of "
				  "their unit; plan %lld is %s%s%s",
				  (long long)q->id, st,
				  q->status == QS_CENTRAL ? " at site " : "",
				  q->status == QS_CENTRAL ? q->site : "");
	if (r->user->role == R_GRID && monitor &&
	    q->status != QS_HOME && q->status != QS_RELEASED)
		return cd_err_set(err, CD_EFORBIDDEN, "a grid worker records "
				  "checks of people at home; plan %lld is %s",
				  (long long)q->id, st);
	return CD_OK;
}

static json_t *report_json(const struct api_req *r,
			   const struct quarantine_run_report *rep)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "profile",
			 r->rules->profile, "planned", (json_int_t)rep->planned,
			 "kept", (json_int_t)rep->kept, "upgraded",
			 (json_int_t)rep->upgraded, "not_identified",
			 (json_int_t)rep->not_identified, "placed",
			 (json_int_t)rep->placed, "waiting_count",
			 (json_int_t)rep->waiting);
}

/* ---- plans */

static enum cd_code page_one(void *ctx, int64_t id, const char *hamlet)
{
	struct api_page *p = ctx;
	struct store_quarantine q;
	enum cd_code rc = store_quarantine_get(p->r->st, id, &q, p->err);
	if (!rc)
		json_array_append_new(p->items, plan_json(p->r, &q, hamlet));
	return rc;
}

API_HANDLER(api_h_quarantines_list)
{
	struct store_api_plan_filter f = { -1, -1, api_query(r, "case"),
					   api_query(r, "site"), r->unit,
					   r->offset, r->limit + 1 };
	const char *s = api_query(r, "status"), *g = api_query(r, "group");
	enum quarantine_status qs;
	enum quarantine_group qg;
	struct cd_err e;
	if (s && !strcmp(s, "open")) {
		f.status = QS_COUNT;
	} else if (s && strcmp(s, "all")) {
		if (quarantine_status_parse(s, &qs, &e))
			return api_bad(r, err, "status", "'status' %s: %s, open "
				       "or all", s, e.msg);
		f.status = (int)qs;
	}
	if (g && quarantine_group_parse(g, &qg, &e))
		return api_bad(r, err, "group", "'group' %s: %s", g, e.msg);
	if (g)
		f.grp = (int)qg;
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_api_plan_page(r->st, &f, page_one, &p, err);
	return api_page_end(&p, rc, out);
}

/* Whether open plan q may end its stage today, and why not. */
static enum cd_code release_json(struct api_req *r,
				 const struct store_quarantine *q, json_t **out,
				 struct cd_err *err)
{
	struct strbuf why = STRBUF_INIT;
	enum quarantine_status next;
	bool ok = false;
	*out = json_null();
	if (!quarantine_status_open(q->status))
		return CD_OK;
	enum cd_code rc = quarantine_run_check(r->st, q, api_today(r), &next,
					       &ok, &why, err);
	if (!rc)
		*out = json_pack("{s:o, s:s, s:b, s:s?}", "on",
				 api_date(api_today(r)), "next",
				 quarantine_status_name(next), "ready", ok,
				 "why", ok ? NULL : why.buf);
	strbuf_release(&why);
	return rc;
}

static json_t *monitoring_json(const struct store_monitoring *m)
{
	char t[16];
	snprintf(t, sizeof t, "%d.%d", m->temp_tenths / 10, m->temp_tenths % 10);
	return json_pack("{s:I, s:o, s:s, s:s, s:s?}", "plan",
			 (json_int_t)m->quarantine_id, "at", api_time(m->at),
			 "temp", t, "symptoms", m->symptoms, "alert",
			 m->alert[0] ? m->alert : NULL);
}

static enum cd_code monitoring_one(void *ctx, const struct store_monitoring *m)
{
	json_array_append_new(ctx, monitoring_json(m));
	return CD_OK;
}

static enum cd_code history_one(void *ctx, const struct store_quarantine *q)
{
	json_array_append_new(ctx, json_pack(
		"{s:I, s:s, s:s, s:s, s:o}", "plan", (json_int_t)q->id,
		"status", quarantine_status_name(q->status), "group",
		quarantine_group_name(q->grp), "profile", q->profile,
		"ended_on", api_date(q->ended_on)));
	return CD_OK;
}

/* The plan's parts, tests, release conditions, monitoring entries and
 * the person's other plans, added to j. */
static enum cd_code plan_details(struct api_req *r,
				 const struct store_quarantine *q, json_t *j,
				 struct cd_err *err)
{
	struct quarantine_plan p;
	struct quarantine_sample *s = NULL;
	struct store_quarantine_filter f = { .status = -1,
					     .person = q->person };
	size_t ns = 0;
	json_t *rel = NULL, *parts = json_object();
	json_t *mon = json_array(), *hist = json_array();
	enum cd_code rc = quarantine_run_load(q, &p, err);
	if (!rc)
		rc = store_quarantine_samples(r->st, q->person, &s, &ns, err);
	if (!rc)
		rc = release_json(r, q, &rel, err);
	if (!rc)
		rc = store_monitoring_list(r->st, q->person, 0, monitoring_one,
					   mon, err);
	if (!rc)
		rc = store_quarantine_list(r->st, &f, history_one, hist, err);
	for (int i = 0; !rc && i < QP_COUNT; i++)
		json_object_set_new(parts, quarantine_part_name(i),
				    p.first[i] ? json_pack("{s:o, s:o}", "from",
							   api_date(p.first[i]),
							   "to",
							   api_date(p.last[i]))
					       : json_null());
	if (!rc) {
		json_object_set(j, "parts", parts);
		json_object_set_new(j, "tests", json_view_quarantine_tests(
						     &p, s, ns, api_today(r)));
		json_object_set(j, "release", rel);
		json_object_set(j, "monitoring", mon);
		json_object_set(j, "plans", hist);
	}
	json_decref(rel);
	json_decref(parts);
	json_decref(mon);
	json_decref(hist);
	free(s);
	return rc;
}

API_HANDLER(api_h_quarantine_get)
{
	struct store_quarantine q;
	char hamlet[UNIT_CODE_MAX];
	enum cd_code rc = plan_of_param(r, &q, err);
	if (!rc)
		rc = store_api_plan_hamlet(r->st, q.person, hamlet, err);
	if (rc)
		return rc;
	json_t *j = plan_json(r, &q, hamlet);
	if ((rc = plan_details(r, &q, j, err)))
		json_decref(j);
	else
		*out = j;
	return rc;
}

API_HANDLER(api_h_quarantine_plan)
{
	struct quarantine_run run;
	struct quarantine_run_report rep;
	struct store_quarantine q;
	int64_t case_id = 0, id = 0;
	long hidden = 0;
	const char *which = api_body_str(r, "case", "");
	bool discharged = api_body_bool(r, "discharged", false);
	enum cd_code rc = run_of(r, &run, err);
	if (rc)
		return rc;
	rc = discharged ? quarantine_run_plan_discharged(&run, which, &id,
							 &rep, err)
			: quarantine_run_plan_case(&run, which, &rep, &case_id,
						   err);
	if (rc == CD_ENOTFOUND || rc == CD_ERULE || rc == CD_EINVAL)
		snprintf(r->field, sizeof r->field, "case");
	if (rc)
		return rc;
	struct store_quarantine_filter f = { .status = QS_COUNT,
					     .case_id = case_id };
	struct store_quarantine_filter w = { .status = QS_WAITING };
	if (discharged) {
		if ((rc = store_quarantine_get(r->st, id, &q, err)))
			return rc;
		f = (struct store_quarantine_filter){ .status = -1,
						      .person = q.person };
	}
	json_t *j = report_json(r, &rep), *plans = json_array(),
	       *waiting = json_array();
	rc = plans_json(r, &f, plans, &hidden, err);
	if (!rc && rep.waiting)
		rc = plans_json(r, &w, waiting, NULL, err);
	json_object_set_new(j, "plans", plans);
	json_object_set_new(j, "waiting", waiting);
	json_object_set_new(j, "outside_jurisdiction", json_integer(hidden));
	if (rc)
		json_decref(j);
	else
		*out = j;
	return rc;
}

API_HANDLER(api_h_quarantine_monitor)
{
	struct store_quarantine q;
	struct store_monitoring m;
	struct quarantine_run run;
	struct cd_err e;
	int tenths;
	char t[32], hamlet[UNIT_CODE_MAX];
	snprintf(t, sizeof t, "%.10g",
		 json_number_value(json_object_get(r->body, "temp")));
	if (quarantine_temp_parse(t, &tenths, &e))
		return api_bad(r, err, "temp", "'temp' %s: %s", t, e.msg);
	const char *symptoms = api_body_str(r, "symptoms", "");
	int64_t at = api_body_time(r, "at", r->now);
	enum cd_code rc = plan_of_param(r, &q, err);
	if (!rc)
		rc = may_act(r, &q, true, err);
	if (!rc)
		rc = run_of(r, &run, err);
	if (!rc)
		rc = quarantine_run_monitor(&run, q.id, at, tenths, symptoms, &m,
					    err);
	if (rc == CD_EINVAL)
		snprintf(r->field, sizeof r->field, "%s",
			 strstr(err->msg, "symptoms") ? "symptoms" : "at");
	if (!rc)
		rc = store_api_plan_hamlet(r->st, q.person, hamlet, err);
	if (!rc) {
		*out = api_person_json(q.person, q.rid, q.name, hamlet);
		json_object_update_new(*out, monitoring_json(&m));
	}
	return rc;
}

API_HANDLER(api_h_quarantine_release)
{
	struct store_quarantine q;
	struct quarantine_run run;
	struct quarantine_run_report rep;
	enum quarantine_status next;
	enum cd_code rc = plan_of_param(r, &q, err);
	if (!rc)
		rc = may_act(r, &q, false, err);
	if (!rc)
		rc = run_of(r, &run, err);
	if (!rc)
		rc = quarantine_run_release(&run, q.id, &next, &rep, err);
	if (!rc)
		rc = plan_id_json(r, q.id, out, err);
	if (!rc) {
		char room[64];
		snprintf(room, sizeof room, "%s/%s", q.site, q.room);
		json_object_set_new(*out, "room_freed", q.status == QS_CENTRAL
				    ? json_string(room) : json_null());
		json_object_set_new(*out, "placed", json_integer(rep.placed));
	}
	return rc;
}

API_HANDLER(api_h_quarantine_replan)
{
	struct store_quarantine q;
	struct quarantine_run run;
	struct quarantine_run_report rep;
	int64_t new_id = 0;
	enum cd_code rc = plan_of_param(r, &q, err);
	if (!rc)
		rc = run_of(r, &run, err);
	if (!rc)
		rc = quarantine_run_replan(&run, q.id, &new_id, &rep, err);
	if (!rc)
		rc = plan_id_json(r, new_id, out, err);
	return rc;
}

API_HANDLER(api_h_quarantine_allocate)
{
	struct quarantine_run run;
	struct quarantine_run_report rep;
	memset(&rep, 0, sizeof rep);
	enum cd_code rc = run_of(r, &run, err);
	if (!rc)
		rc = quarantine_run_allocate(&run, &rep, err);
	if (!rc)
		*out = json_pack("{s:I, s:I}", "placed", (json_int_t)rep.placed,
				 "waiting_count", (json_int_t)rep.waiting);
	return rc;
}

static void upgraded_one(void *ctx, const struct store_quarantine *q)
{
	quarantine_plans_collect(ctx, q);
}

API_HANDLER(api_h_quarantine_upgrade)
{
	struct quarantine_run run;
	struct quarantine_run_report rep;
	struct quarantine_plans l = { NULL, 0, 0 };
	long hidden = 0;
	enum cd_code rc = run_of(r, &run, err);
	if (!rc)
		rc = quarantine_run_upgrade(&run, upgraded_one, &l, &rep, err);
	if (!rc) {
		json_t *plans = json_array();
		plans_append(r, &l, plans, &hidden);
		*out = report_json(r, &rep);
		json_object_set_new(*out, "plans", plans);
		json_object_set_new(*out, "outside_jurisdiction",
				    json_integer(hidden));
	}
	free(l.v);
	return rc;
}

/* ---- the day's lists */

struct due_ctx {
	struct api_req *r;
	const char *site;     /* NULL: any */
	json_t *lists[3];     /* by enum quarantine_due_kind */
};

static json_t *due_json(const struct quarantine_due *d, const char *hamlet)
{
	char what[48];
	bool room = d->q.status == QS_CENTRAL;
	json_t *j = api_person_json(d->q.person, d->q.rid, d->q.name, hamlet);
	json_t *rest = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:s?, s:s?, s:b, s:s?}", "plan",
		(json_int_t)d->q.id, "status",
		quarantine_status_name(d->q.status), "group",
		quarantine_group_name(d->q.grp), "what",
		quarantine_due_what(d, what, sizeof what), "date",
		api_date(d->date), "site", room ? d->q.site : NULL, "room",
		room ? d->q.room : NULL, "ready", d->ready, "why",
		d->why[0] ? d->why : NULL);
	json_object_update_new(j, rest);
	return j;
}

static enum cd_code due_one(void *ctx, const struct quarantine_due *d)
{
	struct due_ctx *c = ctx;
	char hamlet[UNIT_CODE_MAX];
	if (c->site && (d->q.status != QS_CENTRAL || strcmp(d->q.site, c->site)))
		return CD_OK;
	if (api_person_in_scope(c->r, d->q.person, hamlet))
		json_array_append_new(c->lists[d->kind], due_json(d, hamlet));
	return CD_OK;
}

/* See handlers_control.h. */
enum cd_code api_quarantine_due_lists(struct api_req *r, int32_t day,
				     const char *site, json_t **out,
				     struct cd_err *err)
{
	struct due_ctx c = { r, site, { json_array(), json_array(),
					 json_array() } };
	enum cd_code rc = quarantine_run_due(r->st, day, due_one, &c, err);
	*out = json_pack("{s:o, s:o, s:o, s:o}", "date", api_date(day),
			 "sample", c.lists[QD_SAMPLE], "release",
			 c.lists[QD_RELEASE], "overdue", c.lists[QD_OVERDUE]);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

API_HANDLER(api_h_quarantine_due)
{
	return api_quarantine_due_lists(r, api_query_day(r, "date"),
					api_query(r, "site"), out, err);
}
