/* h_quarantine.c — quarantine through the API: plans (a page of them; one
 * person's with tests, release conditions and monitoring), planning from
 * a case, monitoring entries, release, re-planning, rooms for the
 * waiting, upgrades, the day's lists, and sites with their rooms. The
 * same application calls as `cordon quarantine` and `cordon site`
 * (cli/cmd_quarantine*.c, app/quarantine_run.h).
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
#include "app/quarantine_run.h"
#include "domain/registry.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
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

/* ---- shared pieces */

static int32_t today_of(const struct api_req *r)
{
	return (int32_t)((r->now + CD_CST_OFFSET) / 86400);
}

/* The day a query names, else today. */
static int32_t day_of_query(struct api_req *r)
{
	int32_t d;
	const char *s = api_query(r, "date");
	return s && date_parse(s, &d) ? d : today_of(r);
}

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
		r->st, r->rules, today_of(r), r->now,
		{ (int)age, api_body_bool(r, "share", false) }
	};
	return CD_OK;
}

static json_t *person_json(uint32_t id, const char *rid, const char *name,
			   const char *hamlet)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "person", (json_int_t)id,
			 "rid", rid, "name", name, "hamlet", hamlet);
}

/* Whether the person (registry id) lies in the user's jurisdiction;
 * their hamlet into hamlet. */
static bool person_in_scope(struct api_req *r, uint32_t person, char *hamlet)
{
	struct cd_err e;
	return !store_api_plan_hamlet(r->st, person, hamlet, &e) &&
	       api_in_scope(r, hamlet);
}

/* A secondary contact's linked close contact, unless outside the user's
 * jurisdiction (then only that it is). */
static json_t *via_json(struct api_req *r, const struct store_quarantine *q)
{
	char hamlet[UNIT_CODE_MAX];
	if (!q->via)
		return json_null();
	if (!person_in_scope(r, q->via, hamlet))
		return json_pack("{s:b}", "outside_jurisdiction", 1);
	return person_json(q->via, q->via_rid, q->via_name, hamlet);
}

static json_t *plan_json(struct api_req *r, const struct store_quarantine *q,
			 const char *hamlet)
{
	json_t *j = person_json(q->person, q->rid, q->name, hamlet);
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
	json_object_update(j, rest);
	json_decref(rest);
	const int32_t dates[6] = { q->exposure, q->central_end, q->home_end,
				   q->monitoring_end, q->quarantine_end,
				   q->ended_on };
	static const char *const keys[6] = {
		"last_exposure", "central_end", "home_end", "monitoring_end",
		"quarantine_end", "ended_on"
	};
	for (int i = 0; i < 6; i++)
		json_object_set_new(j, keys[i], api_date(dates[i]));
	json_object_set_new(j, "previous", q->previous_id
			    ? json_integer(q->previous_id) : json_null());
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

/* The plans matching f within the user's jurisdiction appended to arr;
 * *hidden (may be NULL) counts the others. */
static enum cd_code plans_json(struct api_req *r,
			       const struct store_quarantine_filter *f,
			       json_t *arr, long *hidden, struct cd_err *err)
{
	struct quarantine_plans l = { NULL, 0, 0 };
	enum cd_code rc = store_quarantine_list(r->st, f,
						quarantine_plans_collect, &l,
						err);
	for (size_t i = 0; !rc && i < l.n; i++) {
		char hamlet[UNIT_CODE_MAX];
		if (person_in_scope(r, l.v[i].person, hamlet))
			json_array_append_new(arr, plan_json(r, &l.v[i],
							     hamlet));
		else if (hidden)
			(*hidden)++;
	}
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

struct plan_page {
	struct api_req *r;
	json_t *items;
	struct cd_err *err;
};

static enum cd_code page_one(void *ctx, int64_t id, const char *hamlet)
{
	struct plan_page *p = ctx;
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
	struct plan_page p = { r, json_array(), err };
	enum cd_code rc = store_api_plan_page(r->st, &f, page_one, &p, err);
	if (rc) {
		json_decref(p.items);
		return rc;
	}
	*out = p.items;
	return CD_OK;
}

/* The tests of plan p with their outcomes from samples s. */
static json_t *tests_json(const struct quarantine_plan *p,
			  const struct quarantine_sample *s, size_t ns,
			  int32_t today)
{
	json_t *arr = json_array();
	for (int i = 0; i < p->ntests; i++) {
		const struct quarantine_test *t = &p->tests[i];
		enum quarantine_outcome o = quarantine_test_outcome(p, i, s, ns);
		const char *what = o == QO_MISSING && t->date >= today
					   ? "scheduled"
					   : quarantine_outcome_name(o);
		json_array_append_new(arr, json_pack(
			"{s:s, s:i, s:o, s:s}", "part",
			quarantine_part_name(t->part), "day", t->day, "date",
			api_date(t->date), "outcome", what));
	}
	return arr;
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
	enum cd_code rc = quarantine_run_check(r->st, q, today_of(r), &next,
					       &ok, &why, err);
	if (!rc)
		*out = json_pack("{s:o, s:s, s:b, s:s?}", "on",
				 api_date(today_of(r)), "next",
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
		json_object_set_new(j, "tests", tests_json(&p, s, ns,
							   today_of(r)));
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
		json_t *entry = monitoring_json(&m);
		*out = person_json(q.person, q.rid, q.name, hamlet);
		json_object_update(*out, entry);
		json_decref(entry);
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
		for (size_t i = 0; i < l.n; i++) {
			char hamlet[UNIT_CODE_MAX];
			if (person_in_scope(r, l.v[i].person, hamlet))
				json_array_append_new(
					plans, plan_json(r, &l.v[i], hamlet));
			else
				hidden++;
		}
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
	if (d->part != QP_NONE)
		snprintf(what, sizeof what, "%s day %d",
			 quarantine_part_name(d->part), d->day);
	else
		snprintf(what, sizeof what, "%s",
			 d->next == QS_HOME ? "move home" : "release");
	json_t *j = person_json(d->q.person, d->q.rid, d->q.name, hamlet);
	json_t *rest = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:s?, s:s?, s:b, s:s?}", "plan",
		(json_int_t)d->q.id, "status",
		quarantine_status_name(d->q.status), "group",
		quarantine_group_name(d->q.grp), "what", what, "date",
		api_date(d->date), "site", room ? d->q.site : NULL, "room",
		room ? d->q.room : NULL, "ready", d->ready, "why",
		d->why[0] ? d->why : NULL);
	json_object_update(j, rest);
	json_decref(rest);
	return j;
}

static enum cd_code due_one(void *ctx, const struct quarantine_due *d)
{
	struct due_ctx *c = ctx;
	char hamlet[UNIT_CODE_MAX];
	if (c->site && (d->q.status != QS_CENTRAL || strcmp(d->q.site, c->site)))
		return CD_OK;
	if (person_in_scope(c->r, d->q.person, hamlet))
		json_array_append_new(c->lists[d->kind], due_json(d, hamlet));
	return CD_OK;
}

/* The lists of day (sampled, released, overdue) at site (NULL: any). */
static enum cd_code due_lists(struct api_req *r, int32_t day, const char *site,
			      json_t **out, struct cd_err *err)
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
	return due_lists(r, day_of_query(r), api_query(r, "site"), out, err);
}

/* ---- sites */

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

struct site_page {
	struct api_req *r;
	json_t *items;
	long seen;
	struct cd_err *err;
};

static enum cd_code site_one(void *ctx, const struct store_site_view *v)
{
	struct site_page *p = ctx;
	bool in = true;
	enum cd_code rc = p->r->unit ? store_unit_within(p->r->st, v->s.unit,
							 p->r->unit, &in,
							 p->err)
				     : CD_OK;
	if (rc || !in || p->seen++ < p->r->offset)
		return rc;
	json_array_append_new(p->items, site_json(v));
	return (long)json_array_size(p->items) > p->r->limit ? CD_ECONFLICT
							     : CD_OK;
}

API_HANDLER(api_h_sites_list)
{
	struct site_page p = { r, json_array(), 0, err };
	enum cd_code rc = store_site_list(r->st, NULL, site_one, &p, err);
	if (rc && rc != CD_ECONFLICT) {
		json_decref(p.items);
		return rc;
	}
	*out = p.items;
	return CD_OK;
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
	if (!person_in_scope(s->r, q->person, hamlet)) {
		json_t *o = json_object_get(room, "others");
		json_integer_set(o, json_integer_value(o) + 1);
		return CD_OK;
	}
	json_t *j = person_json(q->person, q->rid, q->name, hamlet);
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
	struct site_page one = { r, json_array(), 0, err };
	struct site_rooms s = { r, json_array(), NULL, 0, 0 };
	struct store_quarantine_filter f = { .status = -1, .site = code };
	struct api_req whole = *r;
	whole.unit = NULL;
	whole.offset = 0;
	whole.limit = 1;
	one.r = &whole;
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
		rc = due_lists(r, day_of_query(r), r->params[0], &due, err);
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
		if ((rc = store_room_upsert(r->st, &rr, NULL, err))) {
			snprintf(r->field, sizeof r->field, "rooms");
			return rc;
		}
	}
	snprintf(r->target, sizeof r->target, "site:%s", s.code);
	return site_detail(r, s.code, out, err);
}
