/* h_rounds.c — area testing rounds through the API: the list, start,
 * coverage, the residents not yet sampled and close; the same application
 * calls as `cordon round` (cli/cmd_round.c, docs/rounds.md). A user bound
 * to a unit sees the grids and residents of their jurisdiction only, and
 * totals over what they see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/rounds_run.h"
#include "app/zones_run.h"
#include "lib/banned.h"

#define ROUND_HOURS_MAX 168    /* as `cordon round start --hours` */
#define ROUND_HOURS_DEFAULT 24

const struct api_field api_round_start_body[] = {
	{ "code", T_STRING, F_REQUIRED, KEY_NONE, 32,
	  "the round code: 1-32 of A-Z a-z 0-9 - _" },
	{ "units", T_STRINGS, 0, KEY_UNIT, ROUNDS_UNITS_MAX,
	  "the target units (or zone)" },
	{ "zone", T_STRING, 0, KEY_ZONE, 16,
	  "an active zone whose unit areas are the targets (or units)" },
	{ "start", T_TIME, 0, KEY_NONE, 40, "the start (now)" },
	{ "deadline", T_TIME, 0, KEY_NONE, 40,
	  "the deadline, a whole number of hours after the start (or "
	  "hours)" },
	{ "hours", T_INT, 0, KEY_NONE, ROUND_HOURS_MAX,
	  "hours from start to deadline (24; for a zone the profile's: 24 "
	  "sealed, 48 controlled)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_round_missing_query[] = {
	{ "worker", T_STRING, 0, KEY_NONE, 11,
	  "only the residents under the grid worker with this phone" },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const char *round_state(const struct store_round *rd, int64_t now)
{
	if (!rd->start)
		return "not_started";
	if (rd->closed_at)
		return "closed";
	return now > rd->deadline ? "past_deadline" : "open";
}

/* A round with its targets (comma-separated codes). */
static json_t *round_json(struct api_req *r, const struct store_round *rd,
			  const char *units)
{
	json_t *arr = json_array();
	for (const char *p = units; *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(arr, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:o}", "round",
			 rd->code, "state", round_state(rd, r->now), "start",
			 api_time(rd->start), "deadline",
			 api_time(rd->deadline), "closed_at",
			 api_time(rd->closed_at), "targets",
			 (json_int_t)rd->targets, "units", arr);
}

/* ---- list */

static enum cd_code round_one(void *ctx, const struct store_round *rd,
			      const char *units)
{
	struct api_page *p = ctx;
	json_array_append_new(p->items, round_json(p->r, rd, units));
	return CD_OK;
}

API_HANDLER(api_h_rounds_list)
{
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_api_rounds(r->st, r->unit, r->limit + 1,
					   r->offset, round_one, &p, err);
	return api_page_end(&p, rc, out);
}

/* ---- start */

/* Hours from start to deadline: from deadline, hours, or def. */
static enum cd_code start_hours(struct api_req *r, int64_t start, int def,
				int *hours, struct cd_err *err)
{
	json_t *h = json_object_get(r->body, "hours");
	int64_t deadline = api_body_time(r, "deadline", 0);
	*hours = def;
	if (deadline && h && !json_is_null(h))
		return api_bad(r, err, "deadline", "give deadline or hours, "
			       "not both");
	if (h && !json_is_null(h))
		*hours = (int)api_body_long(r, "hours", def);
	if (deadline) {
		int64_t d = deadline - start;
		if (d <= 0 || d % 3600 || d / 3600 > ROUND_HOURS_MAX)
			return api_bad(r, err, "deadline", "the deadline must "
				       "come a whole number of hours (1 to %d) "
				       "after the start", ROUND_HOURS_MAX);
		*hours = (int)(d / 3600);
	}
	if (*hours < 1)
		return api_bad(r, err, "hours", "'hours' must be at least 1: "
			       "the deadline must come after the start");
	return CD_OK;
}

/* The targets of the body: units joined by commas into buf, or the
 * unit areas of zone (each in the jurisdiction) with *def the profile's
 * hours for its level. */
static enum cd_code start_targets(struct api_req *r, char *buf, size_t len,
				  int *def, struct cd_err *err)
{
	json_t *units = json_object_get(r->body, "units"), *v;
	const char *zone = api_body_str(r, "zone", NULL);
	size_t i, at = 0;
	if ((json_array_size(units) > 0) == (zone != NULL))
		return api_bad(r, err, "units", "give units or zone (one of "
			       "them)");
	*def = ROUND_HOURS_DEFAULT;
	json_array_foreach(units, i, v) {
		if (!json_string_length(v))
			return api_bad(r, err, "units", "units[%zu] is empty",
				       i);
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       i ? "," : "", json_string_value(v));
		if (at >= len)
			return api_bad(r, err, "units", "too many units");
	}
	if (!zone)
		return CD_OK;
	int64_t id;
	enum zone_level level;
	enum cd_code rc = zones_parse_id(zone, 'Z', &id, err);
	if (!rc)
		rc = zones_round_units(r->st, id, buf, len, &level, err);
	if (rc)
		return rc;
	for (const char *p = buf; *p;) {
		char code[UNIT_CODE_MAX];
		size_t n = strcspn(p, ",");
		snprintf(code, sizeof code, "%.*s", (int)n, p);
		if (!api_in_scope(r, code))
			return cd_err_set(err, CD_EFORBIDDEN, "zone %s holds "
					  "unit %s, outside your jurisdiction",
					  zone, code);
		p += n + (p[n] == ',');
	}
	*def = level == ZONE_SEALED ? r->rules->zones.sealed_round_hours
				    : r->rules->zones.controlled_round_hours;
	return CD_OK;
}

API_HANDLER(api_h_round_start)
{
	char units[ROUNDS_UNITS_MAX * UNIT_CODE_MAX];
	const char *code = api_body_str(r, "code", "");
	int64_t start = api_body_time(r, "start", r->now);
	struct store_round rd;
	int def, hours;
	enum cd_code rc = start_targets(r, units, sizeof units, &def, err);
	if (!rc)
		rc = start_hours(r, start, def, &hours, err);
	if (rc)
		return rc;
	rc = rounds_start(r->st, code, units, start, hours, &rd, err);
	if (rc == CD_EINVAL)
		snprintf(r->field, sizeof r->field, "code");
	if (rc)
		return rc;
	snprintf(r->target, sizeof r->target, "round:%s", rd.code);
	*out = round_json(r, &rd, units);
	json_object_set_new(*out, "hours", json_integer(hours));
	return CD_OK;
}

/* ---- status */

static json_t *line_json(const struct rounds_line *l, const char *target)
{
	double p = rounds_percent(l->sampled, l->expected);
	return json_pack("{s:s*, s:s*, s:s*, s:I, s:I, s:I, s:o}", "unit",
			 l->code[0] ? l->code : NULL, "name",
			 l->name[0] ? l->name : NULL, "target", target,
			 "expected", (json_int_t)l->expected, "sampled",
			 (json_int_t)l->sampled, "missing",
			 (json_int_t)(l->expected - l->sampled), "percent",
			 p < 0 ? json_null() : json_real(p));
}

/* The grids in the jurisdiction into *grids, and the targets' lines and
 * *all summed over them (a target shown when it has a grid shown or lies
 * in the jurisdiction). Returns whether every grid is shown. */
static bool status_lines(struct api_req *r, struct rounds_status *s,
			 json_t *units, json_t *grids, struct rounds_line *all)
{
	bool whole = true;
	for (size_t t = 0; t < s->ntargets; t++) {
		struct rounds_line sum = s->targets[t];
		bool shown = api_in_scope(r, sum.code);
		sum.expected = sum.sampled = 0;
		for (size_t i = 0; i < s->nhamlets; i++) {
			const struct rounds_line *h = &s->hamlets[i];
			if (strcmp(h->target, sum.code))
				continue;
			if (!api_in_scope(r, h->code)) {
				whole = false;
				continue;
			}
			shown = true;
			sum.expected += h->expected;
			sum.sampled += h->sampled;
			json_array_append_new(grids, line_json(h, h->target));
		}
		if (!shown)
			continue;
		all->expected += sum.expected;
		all->sampled += sum.sampled;
		json_array_append_new(units, line_json(&sum, NULL));
	}
	return whole;
}

API_HANDLER(api_h_round_status)
{
	struct rounds_status s;
	struct rounds_line all;
	memset(&all, 0, sizeof all);
	enum cd_code rc = rounds_status_get(r->st, r->params[0], r->now, &s,
					    err);
	if (rc) {
		rounds_status_release(&s);
		return rc;
	}
	json_t *units = json_array(), *grids = json_array();
	bool whole = status_lines(r, &s, units, grids, &all);
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o}",
			 "round", s.r.code, "state", round_state(&s.r, r->now),
			 "start", api_time(s.r.start), "deadline",
			 api_time(s.r.deadline), "closed_at",
			 api_time(s.r.closed_at), "past_deadline", s.past,
			 "whole_round", whole, "overall",
			 line_json(&all, NULL), "units", units, "grids", grids);
	rounds_status_release(&s);
	return CD_OK;
}

/* ---- missing */

static json_t *missing_json(struct api_req *r,
			    const struct store_round_missing *m)
{
	json_t *j = api_testing_person(r, m->rid, m->name, m->phone,
				       m->hamlet, m->hamlet_name,
				       m->household);
	json_object_set_new(j, "worker", m->worker_phone[0] ? json_pack(
		"{s:s, s:s}", "name", m->worker_name, "phone",
		m->worker_phone) : json_null());
	return j;
}

API_HANDLER(api_h_round_missing)
{
	struct store_round rd;
	struct store_round_missing *m = NULL;
	size_t n = 0;
	const char *worker = api_query(r, "worker");
	enum cd_code rc = rounds_missing_get(r->st, r->params[0], &rd, &m, &n,
					     err);
	if (rc) {
		free(m);
		return rc;
	}
	/* Whether hamlets lie under r->unit, remembered per code. */
	struct api_unit_memo *c = calloc(1, sizeof *c);
	if (!c) {
		free(m);
		return cd_err_set(err, CD_ENOMEM, "out of memory");
	}
	c->r = r;
	c->test = api_in_filter;
	struct api_page p = api_page_start(r, err);
	for (size_t i = 0; i < n; i++) {
		if (worker && strcmp(worker, m[i].worker_phone))
			continue;
		/* r->unit lies in the jurisdiction: so do its hamlets. */
		if (!api_memo_in(c, m[i].hamlet) || !api_page_wants(&p))
			continue;
		if (api_page_add(&p, missing_json(r, &m[i])))
			break;
	}
	free(c);
	free(m);
	return api_page_end(&p, CD_OK, out);
}

/* ---- close */

API_HANDLER(api_h_round_close)
{
	struct rounds_outcome o;
	enum cd_code rc = rounds_close(r->st, r->params[0], r->now, &o, err);
	if (rc) {
		rounds_outcome_release(&o);
		return rc;
	}
	json_t *pos = json_array();
	for (size_t i = 0; i < o.npos; i++)
		json_array_append_new(pos, json_pack(
			"{s:s, s:i, s:I}", "tube", o.pos[i].tube, "pool_size",
			o.pos[i].pool_size, "members",
			(json_int_t)o.pos[i].members));
	const struct store_round_result *res = &o.res;
	bool neg = !res->positive && !res->invalid && !res->pending;
	*out = json_pack("{s:s, s:o, s:b, s:I, s:I, s:I, s:I, s:I, s:o}",
			 "round", o.r.code, "closed_at",
			 api_time(o.r.closed_at), "all_negative",
			 neg && res->tubes > 0, "tubes",
			 (json_int_t)res->tubes, "negative",
			 (json_int_t)res->negative, "positive",
			 (json_int_t)res->positive, "invalid",
			 (json_int_t)res->invalid, "without_result",
			 (json_int_t)res->pending, "positive_pools", pos);
	rounds_outcome_release(&o);
	return CD_OK;
}
