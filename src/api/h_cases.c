/* h_cases.c — cases and tracing; a case's contacts and its transmission
 * chain are in h_contacts.c.
 *
 * The same application calls as `cordon case` and `cordon trace`
 * (src/cli/cmd_case.c, cmd_trace.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/views.h"
#include "app/codes_run.h"
#include "app/trace_run.h"
#include "domain/cases.h"
#include "lib/date.h"
#include "lib/banned.h"

const struct api_field api_cases_query[] = {
	{ "class", T_STRING, 0, KEY_NONE, 32,
	  "only cases of this class: confirmed, asymptomatic or suspected" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* The fields a case record takes, shared by add and change. */
#define CASE_RECORD_FIELDS                                                 \
	{ "clinical_type", T_STRING, 0, KEY_NONE, 32,                      \
	  "confirmed cases: mild, ordinary, severe or critical" },         \
	{ "origin", T_STRING, 0, KEY_NONE, 16,                             \
	  "local (the default) or imported" },                             \
	{ "found", T_STRING, 0, KEY_NONE, 32,                              \
	  "how it was found: pool, fever, screening, quarantine or other" }, \
	{ "onset", T_DATE, 0, KEY_NONE, 0, "symptom onset date" },         \
	{ "sampling", T_DATE, 0, KEY_NONE, 0,                              \
	  "sampling date of the positive test" },                          \
	{ "reported", T_TIME, 0, KEY_NONE, 0,                              \
	  "report time (adding: now when absent)" },                       \
	{ "isolated", T_TIME, 0, KEY_NONE, 0, "isolation time" },          \
	{ "hospital", T_STRING, 0, KEY_NONE, HOSPITAL_MAX_BYTES,           \
	  "the designated hospital" }

const struct api_field api_case_add_body[] = {
	{ "rid", T_STRING, F_REQUIRED, KEY_PERSON, 18,
	  "the person: resident ID or registry id" },
	{ "class", T_STRING, F_REQUIRED, KEY_NONE, 32,
	  "confirmed, asymptomatic or suspected" },
	CASE_RECORD_FIELDS,
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_case_change_body[] = {
	{ "class", T_STRING, 0, KEY_NONE, 32,
	  "reclassify: confirmed, asymptomatic or suspected" },
	CASE_RECORD_FIELDS,
	{ "outcome", T_STRING, 0, KEY_NONE, 16, "cured or died" },
	{ "outcome_date", T_DATE, 0, KEY_NONE, 0, "the outcome's date" },
	{ "convert", T_DATE, 0, KEY_NONE, 0,
	  "an asymptomatic infection confirmed on this date (same number)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* NULL for an empty string, so JSON shows null. */
static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* See handlers_cases.h. */
json_t *api_case_json(const struct store_case_view *v, uint32_t person)
{
	const struct case_rec *c = &v->c;
	return json_pack(
		"{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s,"
		" s:o, s:o, s:o, s:o, s:s?, s:s?, s:o, s:o}",
		"number", c->number, "person", (json_int_t)person, "rid",
		c->rid, "name", v->name, "hamlet", v->hamlet, "county",
		v->county, "class", case_class_name(c->cls), "class_zh",
		case_class_zh(c->cls), "clinical_type",
		nz(case_ctype_name(c->ctype)), "origin",
		case_origin_name(c->origin), "found", case_found_name(c->found),
		"onset", api_date(c->onset), "sampling", api_date(c->sampling),
		"reported", api_time(c->reported), "isolated",
		api_time(c->isolated), "hospital", nz(c->hospital), "outcome",
		nz(case_outcome_name(c->outcome)), "outcome_date",
		api_date(c->outcome_date), "converted", api_date(c->converted));
}

/* See handlers_cases.h. */
enum cd_code api_case_load(struct api_req *r, const char *number,
			   struct store_case_view *v, int64_t *case_id,
			   uint32_t *person, struct cd_err *err)
{
	enum cd_code rc = store_case_get(r->st, number, v, err);
	return rc ? rc : store_case_ids(r->st, number, case_id, person, err);
}

/* The stored case number as JSON. */
static enum cd_code case_reply(struct api_req *r, const char *number,
			       json_t **out, struct cd_err *err)
{
	struct store_case_view v;
	int64_t case_id;
	uint32_t person;
	enum cd_code rc = api_case_load(r, number, &v, &case_id, &person, err);
	if (!rc)
		*out = api_case_json(&v, person);
	return rc;
}

/* ---- GET /cases, GET /cases/{case} */

static enum cd_code case_item(void *ctx, const struct store_case_view *v)
{
	struct api_page *pg = ctx;
	int64_t case_id;
	uint32_t person;
	enum cd_code rc = store_case_ids(pg->r->st, v->c.number, &case_id,
					 &person, pg->err);
	if (!rc)
		json_array_append_new(pg->items, api_case_json(v, person));
	return rc;
}

enum cd_code api_h_cases_list(struct api_req *r, json_t **out,
			      struct cd_err *err)
{
	struct store_case_filter f = { r->unit, true, CASE_CONFIRMED,
				       r->limit + 1, r->offset };
	const char *cls = api_query(r, "class");
	if (cls && api_about(r, "class", case_class_parse(cls, &f.cls, err)))
		return CD_EINVAL;
	f.any_class = !cls;
	struct api_page pg = api_page_start(r, err);
	enum cd_code rc = store_case_list(r->st, &f, case_item, &pg, err);
	return api_page_end(&pg, rc, out);
}

enum cd_code api_h_case_get(struct api_req *r, json_t **out,
			    struct cd_err *err)
{
	struct store_case_view v;
	struct person_view pv;
	int64_t case_id;
	uint32_t person;
	enum cd_code rc = api_case_load(r, r->params[0], &v, &case_id, &person,
				    err);
	if (rc || (rc = store_person_get(r->st, v.c.rid, &pv, err)))
		return rc;
	json_t *j = api_case_json(&v, person);
	json_object_set_new(j, "phone", api_text(pv.p.phone));
	json_object_set_new(j, "hamlet_name", json_string(pv.hamlet_name));
	json_object_set_new(j, "address", json_string(pv.address));
	*out = j;
	return CD_OK;
}

/* ---- POST /cases, PATCH /cases/{case} */

/* Whether the body has the field (null included). */
static bool has(struct api_req *r, const char *name)
{
	return r->body && json_object_get(r->body, name);
}

static bool is_null(struct api_req *r, const char *name)
{
	return json_is_null(json_object_get(r->body, name));
}

/* The body field a rule of domain/cases.c broke, from the message's
 * "field: ..." prefix, when the route takes such a field. */
static enum cd_code rule_field(struct api_req *r, enum cd_code rc,
			       const struct cd_err *err)
{
	char name[32];
	size_t n = strcspn(err->msg, ":");
	if (!rc || !err->msg[n] || n >= sizeof name)
		return rc;
	snprintf(name, sizeof name, "%.*s", (int)n, err->msg);
	for (char *c = name; *c; c++)
		if (*c == ' ')
			*c = '_';
	if (!strcmp(name, "converted"))
		snprintf(name, sizeof name, "convert");
	api_body_field(r, name);
	return rc;
}

/* A date field onto *day (null clears it). */
static void take_date(struct api_req *r, const char *name, int32_t *day)
{
	const char *s = api_body_str(r, name, NULL);
	if (!has(r, name))
		return;
	if (!s || !date_parse(s, day))
		*day = 0;
}

/* A time field onto *t (null clears it). */
static void take_time(struct api_req *r, const char *name, int64_t *t)
{
	if (has(r, name))
		*t = api_body_time(r, name, 0);
}

/* An enumerated field that cannot be cleared: null is refused. */
static enum cd_code no_null(struct api_req *r, const char *name,
			    struct cd_err *err)
{
	if (has(r, name) && is_null(r, name))
		return api_bad(r, err, name, "'%s' cannot be null", name);
	return CD_OK;
}

/* Classification fields onto c, as `case add|update` options do: convert
 * makes a stored asymptomatic case confirmed on its date; reclassifying
 * as anything but confirmed drops the clinical type unless one is given. */
static enum cd_code apply_class(struct api_req *r, struct case_rec *c,
				struct cd_err *err)
{
	const char *s;
	int32_t day = 0;
	enum cd_code rc;
	if ((rc = no_null(r, "class", err)) || (rc = no_null(r, "origin", err)) ||
	    (rc = no_null(r, "found", err)) || (rc = no_null(r, "outcome", err)))
		return rc;
	if (has(r, "convert") && !is_null(r, "convert")) {
		take_date(r, "convert", &day);
		if ((rc = api_about(r, "convert", case_convert(c, day, err))))
			return rc;
	}
	if ((s = api_body_str(r, "class", NULL))) {
		if ((rc = api_about(r, "class",
				    case_class_parse(s, &c->cls, err))))
			return rc;
		if (c->cls != CASE_CONFIRMED)
			c->ctype = CT_NONE;
	}
	if (has(r, "clinical_type") && is_null(r, "clinical_type"))
		c->ctype = CT_NONE;
	if ((s = api_body_str(r, "clinical_type", NULL)) &&
	    (rc = api_about(r, "clinical_type",
			    case_ctype_parse(s, &c->ctype, err))))
		return rc;
	if ((s = api_body_str(r, "origin", NULL)) &&
	    (rc = api_about(r, "origin",
			    case_origin_parse(s, &c->origin, err))))
		return rc;
	if ((s = api_body_str(r, "found", NULL)) &&
	    (rc = api_about(r, "found",
			    case_found_parse(s, &c->found, err))))
		return rc;
	if ((s = api_body_str(r, "outcome", NULL)) &&
	    (rc = api_about(r, "outcome",
			    case_outcome_parse(s, &c->outcome, err))))
		return rc;
	return CD_OK;
}

/* Every given field onto c (the defaults or the stored case). */
static enum cd_code apply_body(struct api_req *r, struct case_rec *c,
			       struct cd_err *err)
{
	enum cd_code rc = apply_class(r, c, err);
	if (rc)
		return rc;
	take_date(r, "onset", &c->onset);
	take_date(r, "sampling", &c->sampling);
	take_date(r, "outcome_date", &c->outcome_date);
	take_time(r, "reported", &c->reported);
	take_time(r, "isolated", &c->isolated);
	if (has(r, "hospital"))
		snprintf(c->hospital, sizeof c->hospital, "%s",
			 api_body_str(r, "hospital", ""));
	return CD_OK;
}

/* A case is a cause of the person's health code (docs/codes.md). */
static enum cd_code recode(struct api_req *r, const char *rid,
			   struct cd_err *err)
{
	return codes_refresh_rid(r->st, r->rules, rid, r->now, err);
}

enum cd_code api_h_case_add(struct api_req *r, json_t **out,
			    struct cd_err *err)
{
	struct store_person_brief p;
	struct case_rec c;
	enum cd_code rc = store_person_brief(
		r->st, api_body_str(r, "rid", ""), &p, err);
	if (rc)
		return api_about(r, "rid", rc);
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", p.rid);
	c.origin = ORIGIN_LOCAL;
	c.found = FOUND_OTHER;
	c.reported = r->now;
	if ((rc = apply_body(r, &c, err)) ||
	    (rc = rule_field(r, case_validate(&c, case_cst_day(r->now), err),
			     err)) ||
	    (rc = store_case_add(r->st, &c, err)) ||
	    (rc = recode(r, c.rid, err)))
		return rc;
	snprintf(r->target, sizeof r->target, "case:%s", c.number);
	return case_reply(r, c.number, out, err);
}

enum cd_code api_h_case_change(struct api_req *r, json_t **out,
			       struct cd_err *err)
{
	struct store_case_view old;
	struct case_rec neu;
	if (!r->body || !json_object_size(r->body))
		return cd_err_set(err, CD_EINVAL, "case %s: nothing to change",
				  r->params[0]);
	enum cd_code rc = store_case_get(r->st, r->params[0], &old, err);
	if (rc)
		return rc;
	neu = old.c;
	if ((rc = apply_body(r, &neu, err)) ||
	    (rc = rule_field(r, case_check_change(&old.c, &neu, err), err)) ||
	    (rc = rule_field(r, case_validate(&neu, case_cst_day(r->now), err),
			     err)) ||
	    (rc = store_case_update(r->st, &neu, err)) ||
	    (rc = recode(r, neu.rid, err)))
		return rc;
	return case_reply(r, neu.number, out, err);
}

/* ---- POST /cases/{case}/trace */

enum cd_code api_h_case_trace(struct api_req *r, json_t **out,
			      struct cd_err *err)
{
	struct trace_session *s;
	struct trace_report t;
	enum cd_code rc = trace_session_open(r->st, r->rules, r->now, &s, err);
	if (rc)
		return rc;
	rc = trace_session_case(s, r->params[0], 1, &t, NULL, err);
	trace_session_free(s);
	if (rc)
		return rc;
	*out = json_pack(
		"{s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:I,"
		" s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I},"
		" s:f, s:f}",
		"case", t.number, "from", api_time(t.from), "to",
		api_time(t.to), "contacts", "close",
		(json_int_t)t.counts[CAT_CLOSE], "secondary",
		(json_int_t)t.counts[CAT_SECONDARY], "companion",
		(json_int_t)t.counts[CAT_COMPANION], "general",
		(json_int_t)t.counts[CAT_GENERAL], "linked_cases",
		(json_int_t)t.linked_cases, "change", "added",
		(json_int_t)t.diff.added, "changed", (json_int_t)t.diff.changed,
		"removed", (json_int_t)t.diff.removed, "unchanged",
		(json_int_t)t.diff.unchanged, "codes", "people",
		(json_int_t)t.codes.people, "changed",
		(json_int_t)t.codes.changed, "red", (json_int_t)t.codes.red,
		"yellow", (json_int_t)t.codes.yellow, "green",
		(json_int_t)t.codes.green, "trace_ms", t.trace_ms, "save_ms",
		t.save_ms);
	return CD_OK;
}
