/* h_codes.c — a person's health code and checkpoint verification, as
 * `cordon code` and `cordon check` do them (src/cli/cmd_code.c).
 *
 * GET /check is the hottest route of the API: one look-up of the person
 * for the reply, then check_run, both inside one transaction so that the
 * pass and the refreshed code commit once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/views.h"
#include "app/check_run.h"
#include "app/codes_run.h"
#include "lib/banned.h"

const struct api_field api_check_query[] = {
	{ "checkpoint", T_STRING, F_REQUIRED, KEY_VENUE, 32,
	  "the checkpoint's venue code" },
	{ "temp", T_NUMBER, 0, KEY_NONE, 0,
	  "body temperature in °C (30 to 45), when taken" },
	{ "mask", T_BOOL, 0, KEY_NONE, 0, "whether a mask is worn, when seen" },
	{ "window", T_INT, 0, KEY_NONE, 1000,
	  "the checkpoint's test window in hours: 24, 48 (default) or 72" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* A code's reasons as JSON: the text the codes table stores them as. */
static json_t *reasons_json(const struct code_result *res)
{
	char *text = codes_reasons_json(res);
	json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return arr ? arr : json_array();
}

static enum cd_code add_history(void *ctx, const struct store_code *c)
{
	json_t *reasons = json_loads(c->reasons, 0, NULL);
	return json_array_append_new(
		       ctx, json_pack("{s:o, s:s, s:o}", "at", api_time(c->since),
				      "colour", c->colour, "reasons",
				      reasons ? reasons : json_array()))
		       ? CD_ENOMEM : CD_OK;
}

/* GET /codes/{person}: the code computed now with its reasons, the
 * fields of GB/T 38962-2020 that apply, and the history of changes. */
enum cd_code api_h_code_get(struct api_req *r, json_t **out,
			    struct cd_err *err)
{
	struct store_person_brief p;
	struct person_view pv;
	struct code_result res;
	json_t *hist = json_array();
	enum cd_code rc = store_person_brief(r->st, r->params[0], &p, err);
	if (!rc)
		rc = store_person_get(r->st, p.rid, &pv, err);
	if (!rc)
		rc = codes_person(r->st, r->rules, p.id, r->now, &res, err);
	if (!rc)
		rc = store_code_history(r->st, p.id, add_history, hist, err);
	if (rc) {
		json_decref(hist);
		return rc;
	}
	char division[7];
	snprintf(division, sizeof division, "%.6s", pv.hamlet);
	json_t *j = api_person_json(p.id, p.rid, p.name, p.hamlet);
	json_object_set_new(j, "phone", api_text(p.phone));
	json_object_set_new(j, "sex", json_string(pv.p.sex == 'M' ? "1"
								   : "2"));
	json_object_set_new(j, "residence_division", json_string(division));
	json_object_set_new(j, "address", json_string(pv.address));
	json_object_set_new(j, "colour", json_string(code_colour_name(
						 res.colour)));
	json_object_set_new(j, "colour_zh", json_string(code_colour_zh(
						    res.colour)));
	json_object_set_new(j, "reasons", reasons_json(&res));
	json_object_set_new(j, "history", hist);
	*out = j;
	return CD_OK;
}

/* The check's options from the query; the rules' middle window unless
 * one is asked for. */
static enum cd_code check_request(struct api_req *r, struct check_request *q,
				  struct cd_err *err)
{
	const char *temp = api_query(r, "temp");
	memset(q, 0, sizeof q[0]);
	q->checkpoint = api_query(r, "checkpoint");
	q->now = r->now;
	q->mask = api_query(r, "mask") ? api_query_bool(r, "mask", 0) : -1;
	q->window_hours = (int)api_query_long(r, "window",
					      r->rules->checkpoint.cert_hours[1]);
	if (temp) {
		q->temp = strtod(temp, NULL);
		if (!isfinite(q->temp) || q->temp < 30 || q->temp > 45)
			return api_bad(r, err, "temp", "'temp' is a body "
				       "temperature in °C, 30 to 45, not '%s'",
				       temp);
		q->has_temp = 1;
	}
	if (!check_window_allowed(r->rules, q->window_hours))
		return api_bad(r, err, "window", "'window' is %d, %d or %d "
			       "hours, not %d",
			       r->rules->checkpoint.cert_hours[0],
			       r->rules->checkpoint.cert_hours[1],
			       r->rules->checkpoint.cert_hours[2],
			       q->window_hours);
	return CD_OK;
}

static json_t *check_json(const struct store_person_brief *p,
			  const struct check_request *q,
			  const struct check_result *res,
			  const struct code_result *code, json_t *f)
{
	json_t *j = api_person_json(p->id, p->rid, p->name, p->hamlet);
	json_object_set_new(j, "checkpoint", json_string(q->checkpoint));
	json_object_set_new(j, "colour", json_string(code_colour_name(
						 code->colour)));
	json_object_set_new(j, "outcome", json_string(check_outcome_name(
						  res->outcome)));
	json_object_set_new(j, "outcome_zh", json_string(check_outcome_zh(
						     res->outcome)));
	json_object_set_new(j, "findings", f);
	json_object_set_new(j, "window", json_integer(q->window_hours));
	json_object_set_new(j, "temperature", q->has_temp ? json_real(q->temp)
							  : json_null());
	json_object_set_new(j, "at", api_time(q->now));
	return j;
}

/* Which field a refusal of check_run is about: it refuses a malformed
 * resident ID or a venue that is not a checkpoint (CD_EINVAL). */
static const char *check_field(const struct cd_err *err)
{
	return strstr(err->msg, "venue") ? "checkpoint" : "person";
}

/* GET /check/{person}: verify a person at a checkpoint and record it (the
 * route is API_WRITES: the dispatcher holds one transaction around it). */
enum cd_code api_h_check(struct api_req *r, json_t **out, struct cd_err *err)
{
	struct store_person_brief p;
	struct check_request q;
	struct check_result res;
	struct code_result code;
	enum cd_code rc = check_request(r, &q, err);
	if (rc)
		return rc;
	if ((rc = store_person_brief(r->st, r->params[0], &p, err)))
		return api_about(r, "person", rc);
	q.rid = p.rid;
	json_t *f;
	if ((rc = check_run(r->st, r->rules, &q, &res, &code, &f, err))) {
		if (rc == CD_EINVAL || rc == CD_ENOTFOUND)
			snprintf(r->field, sizeof r->field, "%s",
				 check_field(err));
		return rc;
	}
	*out = check_json(&p, &q, &res, &code, f);
	return CD_OK;
}
