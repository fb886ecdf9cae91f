/* json_views.c — the JSON shapes the CLI and the API share
 * (json_views.h). */
#include "app/json_views.h"

#include <stdio.h>

#include "lib/date.h"
#include "lib/banned.h"

json_t *json_view_time(int64_t t)
{
	if (!t)
		return json_null();
	char buf[32];
	instant_format_iso(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *json_view_date(int32_t day)
{
	if (!day)
		return json_null();
	char buf[16];
	date_format(day, buf, sizeof buf);
	return json_string(buf);
}

/* ---- zones */

json_t *json_view_zone_area(const struct store_zone_area *a)
{
	return json_pack("{s:s, s:s, s:s}", "kind", a->kind, "code", a->code,
			 "name", a->name);
}

json_t *json_view_zone_step(const struct rules *r, const struct zones_view *v)
{
	json_t *conds = json_array();
	for (int i = 0; i < v->step.n; i++)
		json_array_append_new(conds, json_pack(
			"{s:b, s:s}", "ok", v->step.conds[i].ok, "text",
			v->step.conds[i].text));
	return json_pack("{s:s, s:o, s:b, s:o}", "to",
			 zone_level_name(r, v->step.to), "earliest",
			 json_view_date(v->step.earliest), "ready",
			 v->step.ready, "conditions", conds);
}

json_t *json_view_zone_log(const struct store_zone_log *l)
{
	char p[16], z[16];
	snprintf(p, sizeof p, "P%04lld", (long long)l->proposal);
	snprintf(z, sizeof z, "Z%04lld", (long long)l->zone);
	return json_pack("{s:o, s:s, s:s, s:s?, s:s?, s:s, s:b}", "at",
			 json_view_time(l->at), "by", l->actor, "action",
			 l->action, "proposal", l->proposal ? p : NULL, "zone",
			 l->zone ? z : NULL, "detail", l->detail, "forced",
			 l->forced);
}

/* ---- quarantine */

void json_view_quarantine_dates(json_t *j, const struct store_quarantine *q)
{
	static const char *const keys[6] = {
		"last_exposure", "central_end", "home_end", "monitoring_end",
		"quarantine_end", "ended_on"
	};
	const int32_t dates[6] = { q->exposure, q->central_end, q->home_end,
				   q->monitoring_end, q->quarantine_end,
				   q->ended_on };
	for (int i = 0; i < 6; i++)
		json_object_set_new(j, keys[i], json_view_date(dates[i]));
	json_object_set_new(j, "previous", q->previous_id
			    ? json_integer(q->previous_id) : json_null());
}

json_t *json_view_quarantine_tests(const struct quarantine_plan *p,
				   const struct quarantine_sample *s,
				   size_t ns, int32_t today)
{
	json_t *arr = json_array();
	for (int i = 0; i < p->ntests; i++) {
		const struct quarantine_test *t = &p->tests[i];
		json_array_append_new(arr, json_pack(
			"{s:s, s:i, s:o, s:s}", "part",
			quarantine_part_name(t->part), "day", t->day, "date",
			json_view_date(t->date), "outcome",
			quarantine_test_state(p, i, s, ns, today)));
	}
	return arr;
}

/* ---- testing */

json_t *json_view_testing_result(const struct store_sample *s)
{
	if (!s->r.result)
		return json_null();
	return json_pack("{s:s, s:s, s:o}", "result",
			 testing_result_name(s->r.result), "lab", s->r.lab,
			 "result_at", json_view_time(s->r.result_at));
}

json_t *json_view_testing_retest(const struct store_pool_member *m)
{
	if (!m->retest[0])
		return json_null();
	const char *result = m->retest_result
				     ? testing_result_name(m->retest_result)
				     : NULL;
	return json_pack("{s:s, s:s?}", "tube", m->retest, "result", result);
}

json_t *json_view_testing_hist(const struct testing_hist *h)
{
	return json_pack("{s:s, s:i, s:o, s:o, s:s}", "tube", h->tube,
			 "pool_size", h->pool_size, "sampled_at",
			 json_view_time(h->sampled_at), "result_at",
			 json_view_time(h->result_at), "result",
			 testing_result_name(h->result));
}

json_t *json_view_testing_windows(const struct testing_cert *c)
{
	json_t *win = json_array();
	for (int i = 0; i < c->n; i++)
		json_array_append_new(win, json_pack("{s:i, s:b}", "hours",
						     c->hours[i], "within",
						     c->within[i]));
	return win;
}
