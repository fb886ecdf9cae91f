/* h_dash.c — the lists the dashboard (web/) pages through: contacts of
 * every case as distinct persons with their quarantine, positive pools
 * with the recall of their members, and the alerts of the overview
 * (unresolved positive pools, fever in quarantine, overdue releases).
 * The SQL is in store/store_dash.c; every list is filtered by the user's
 * jurisdiction (or the list's unit) in SQL and paged there. A case's
 * trajectory and the zone tree are in h_dash_tree.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "lib/date.h"
#include "store/store_dash.h"
#include "lib/banned.h"

#define ALERTS_MAX 50      /* items of each list of the alerts */

const struct api_field api_dash_contacts_query[] = {
	{ "category", T_STRING, 0, KEY_NONE, 16,
	  "close (close to some case) or secondary (secondary only)" },
	{ "status", T_STRING, 0, KEY_NONE, 16,
	  "the quarantine status: waiting, central, home, released, "
	  "upgraded, replanned or none (no plan)" },
	{ "case", T_STRING, 0, KEY_CASE, CASE_NUMBER_MAX,
	  "only the contacts of this case (category and exposure toward it)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_dash_pools_query[] = {
	{ "status", T_STRING, 0, KEY_NONE, 16,
	  "positive (default: positive pools), unresolved (pools with "
	  "members pending) or all-positive (single positive tubes too)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_dash_alerts_query[] = {
	{ "date", T_DATE, 0, KEY_NONE, 10,
	  "the day (default: today, with the last 24 hours)" },
	{ "unit", T_STRING, 0, KEY_UNIT, UNIT_CODE_MAX - 1,
	  "only persons under this unit (default: my jurisdiction)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* A comma-separated list as a JSON array of strings. */
static json_t *split(const char *s)
{
	json_t *a = json_array();
	while (*s) {
		size_t n = strcspn(s, ",");
		json_array_append_new(a, json_stringn(s, n));
		s += n + (s[n] == ',');
	}
	return a;
}

/* A YYYY-MM-DD text as JSON, null when empty. */
static json_t *day_text(const char *s)
{
	return api_text(s);
}

/* ---- GET /contacts */

struct contacts_page {
	struct api_unit_memo memo;
	json_t *items;
};

static json_t *contact_quarantine(const struct store_dash_contact *c)
{
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "plan",
			 c->plan ? json_integer(c->plan) : json_null(),
			 "status", c->status, "site", api_text(c->site),
			 "site_name", api_text(c->site_name), "room",
			 api_text(c->room), "quarantine_end",
			 day_text(c->quarantine_end), "sampling_days",
			 split(c->tests));
}

static enum cd_code contact_one(void *ctx, const struct store_dash_contact *c)
{
	struct contacts_page *pg = ctx;
	json_t *j = api_person_json(c->person, c->rid, c->name, c->hamlet);
	json_object_set_new(j, "category",
			    json_string(c->close ? "close" : "secondary"));
	json_object_set_new(j, "cases", split(c->cases));
	if (!c->via) {
		json_object_set_new(j, "via", json_null());
	} else if (api_memo_in(&pg->memo, c->via_hamlet)) {
		json_object_set_new(j, "via", api_person_json(
			c->via, c->via_rid, c->via_name, c->via_hamlet));
	} else {
		json_object_set_new(j, "via", json_null());
		json_object_set_new(j, "via_outside", json_true());
	}
	json_object_set_new(j, "last_exposure", api_time(c->last));
	json_object_set_new(j, "quarantine", contact_quarantine(c));
	json_array_append_new(pg->items, j);
	return CD_OK;
}

static bool one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return true;
	return false;
}

API_HANDLER(api_h_dash_contacts)
{
	static const char *const statuses[] = {
		"waiting", "central", "home", "released", "upgraded",
		"replanned", "none", NULL
	};
	const char *cat = api_query(r, "category");
	const char *status = api_query(r, "status");
	if (cat && strcmp(cat, "close") && strcmp(cat, "secondary"))
		return api_bad(r, err, "category", "'category' is close or "
			       "secondary, not '%s'", cat);
	if (status && !one_of(status, statuses))
		return api_bad(r, err, "status", "'status' is one of waiting, "
			       "central, home, released, upgraded, replanned,"
			       " none; not '%s'", status);
	struct store_dash_contact_filter f = {
		r->unit, cat ? !strcmp(cat, "close") : -1, status,
		api_query(r, "case"), r->limit + 1, r->offset
	};
	struct contacts_page pg = { { r, api_in_scope, 0, { { 0 } }, { 0 } },
				    json_array() };
	enum cd_code rc = store_dash_contacts(r->st, &f, contact_one, &pg,
					      err);
	if (rc)
		json_decref(pg.items);
	else
		*out = pg.items;
	return rc;
}

/* ---- GET /pools */

static json_t *pool_json(const struct store_dash_pool *p)
{
	long resolved = p->negative + p->positive;
	long pending = p->members - resolved;
	return json_pack(
		"{s:s, s:i, s:s, s:o, s:s?, s:o, s:s, s:s, s:I, s:I, s:I, s:I,"
		" s:I, s:I}", "tube", p->tube, "pool_size", p->pool_size,
		"point", p->point, "sampled_at", api_time(p->sampled_at),
		"round", p->round[0] ? p->round : NULL, "result_at",
		api_time(p->result_at), "lab", p->lab, "state",
		p->pool_size == 1 ? "positive"
				  : pending ? "controlled" : "resolved",
		"members_total", (json_int_t)p->members_total, "members",
		(json_int_t)p->members, "resolved", (json_int_t)resolved,
		"negative", (json_int_t)p->negative, "positive",
		(json_int_t)p->positive, "pending", (json_int_t)pending);
}

static enum cd_code pool_one(void *ctx, const struct store_dash_pool *p)
{
	json_array_append_new(ctx, pool_json(p));
	return CD_OK;
}

API_HANDLER(api_h_dash_pools)
{
	const char *s = api_query(r, "status");
	enum store_dash_pools kind = STORE_POOLS_POSITIVE;
	if (s && !strcmp(s, "unresolved"))
		kind = STORE_POOLS_UNRESOLVED;
	else if (s && !strcmp(s, "all-positive"))
		kind = STORE_POOLS_ALL;
	else if (s && strcmp(s, "positive"))
		return api_bad(r, err, "status", "'status' is positive, "
			       "unresolved or all-positive, not '%s'", s);
	json_t *items = json_array();
	enum cd_code rc = store_dash_pools(r->st, r->unit, kind, r->limit + 1,
					   r->offset, pool_one, items, NULL,
					   err);
	if (rc)
		json_decref(items);
	else
		*out = items;
	return rc;
}

/* ---- GET /alerts */

static json_t *alert_json(const struct store_dash_alert *a)
{
	json_t *j = api_person_json(a->person, a->rid, a->name, a->hamlet);
	json_t *rest = json_pack(
		"{s:I, s:s, s:s, s:o, s:o, s:o}", "plan", (json_int_t)a->plan,
		"status", a->status, "group", a->grp, "site",
		api_text(a->site), "room", api_text(a->room),
		"quarantine_end", day_text(a->quarantine_end));
	json_object_update_new(j, rest);
	if (a->monitoring)
		json_object_update_new(j, json_pack(
			"{s:o, s:f, s:s, s:s}", "at", api_time(a->at), "temp",
			a->temp_tenths / 10.0, "symptoms", a->symptoms,
			"alert", a->alert));
	return j;
}

static enum cd_code alert_one(void *ctx, const struct store_dash_alert *a)
{
	json_array_append_new(ctx, alert_json(a));
	return CD_OK;
}

/* The window of fever alerts: the CST day; for today, also the last 24
 * hours (an alert of last night stays on the screen in the morning). */
static void fever_window(struct api_req *r, int32_t day, int64_t *from,
			 int64_t *to)
{
	*from = (int64_t)day * 86400 - CD_CST_OFFSET;
	*to = *from + 86400;
	if (day == api_today(r) && r->now - 86400 < *from)
		*from = r->now - 86400;
}

API_HANDLER(api_h_dash_alerts)
{
	const char *unit = api_query(r, "unit");
	int32_t day = api_query_day(r, "date");
	int64_t from, to;
	long total[3] = { 0, 0, 0 };
	json_t *l[3] = { json_array(), json_array(), json_array() };
	if (!unit)
		unit = api_scope(r);
	fever_window(r, day, &from, &to);
	enum cd_code rc = store_dash_pools(r->st, unit, STORE_POOLS_UNRESOLVED,
					   ALERTS_MAX, 0, pool_one, l[0],
					   &total[0], err);
	if (!rc)
		rc = store_dash_fever(r->st, unit, from, to, ALERTS_MAX,
				      alert_one, l[1], &total[1], err);
	if (!rc)
		rc = store_dash_overdue(r->st, unit, day, ALERTS_MAX,
					alert_one, l[2], &total[2], err);
	if (rc) {
		for (int i = 0; i < 3; i++)
			json_decref(l[i]);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:o, "
			 "s:{s:I, s:I, s:I}}", "date", api_date(day), "unit",
			 api_text(unit), "fever_window", "from",
			 api_time(from), "to", api_time(to),
			 "positive_pools", l[0], "fever", l[1],
			 "overdue_releases", l[2], "totals", "positive_pools",
			 (json_int_t)total[0], "fever", (json_int_t)total[1],
			 "overdue_releases", (json_int_t)total[2]);
	return CD_OK;
}
