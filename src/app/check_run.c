/* check_run.c — one checkpoint verification. */
#include "app/check_run.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/codes_run.h"
#include "app/testing_import.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

json_t *check_findings_json(const struct check_result *res)
{
	json_t *arr = json_array();
	for (int i = 0; i < res->n; i++)
		json_array_append_new(
			arr, json_pack("{s:i, s:s, s:s}", "step", res->f[i].step,
				       "outcome",
				       check_outcome_name(res->f[i].outcome),
				       "finding", res->f[i].text));
	return arr;
}

/* The checkpoint venue's id; CD_EINVAL when the code is not one. */
static enum cd_code checkpoint_id(struct store *st, const char *code,
				  uint32_t *id, struct cd_err *err)
{
	enum venue_kind kind;
	enum cd_code rc = store_venue_find(st, code, id, &kind, err);
	if (!rc && kind != VK_CHECKPOINT)
		rc = cd_err_set(err, CD_EINVAL,
				"venue '%s' is a %s, not a checkpoint", code,
				venue_kind_name(kind));
	return rc;
}

/* The person's registry id (a cached query: this runs per verification). */
static enum cd_code person_id(struct store *st, const char *rid,
			      uint32_t *id, struct cd_err *err)
{
	enum cd_code rc = store_testing_person(st, rid, id, err);
	if (rc == CD_ENOTFOUND)
		cd_err_set(err, rc, "no person with that resident ID");
	return rc;
}

enum cd_code check_run(struct store *st, const struct rules *r,
		       const struct check_request *q, struct check_result *out,
		       struct code_result *code, json_t **findings,
		       struct cd_err *err)
{
	if (findings)
		*findings = NULL;
	struct rid id;
	uint32_t person = 0, venue = 0;
	int window = q->window_hours ? q->window_hours
				     : r->checkpoint.cert_hours[1];
	struct cd_err why;
	enum cd_code rc = rid_parse(q->rid, cd_today_cst(), &id, &why);
	if (rc)
		return cd_err_set(err, CD_EINVAL, "resident ID '%s': %s",
				  q->rid, why.msg);
	if (!check_window_allowed(r, window))
		return cd_err_set(err, CD_EINVAL,
				  "window %d h: the rules allow %d, %d or %d h",
				  window, r->checkpoint.cert_hours[0],
				  r->checkpoint.cert_hours[1],
				  r->checkpoint.cert_hours[2]);
	if ((rc = person_id(st, id.id, &person, err)) ||
	    (rc = checkpoint_id(st, q->checkpoint, &venue, err)) ||
	    (rc = codes_person(st, r, person, q->now, code, err)))
		return rc;
	struct check_input in = { code, q->has_temp, q->temp, q->mask, 0,
				  false, window, q->now };
	struct testing_cert cert;
	if ((rc = testing_certificate_get(st, id.id, q->now,
					  r->checkpoint.cert_hours, &cert, err)))
		return rc;
	/* A positive sampled after the latest negative cancels it. */
	in.positive_pending = cert.superseded;
	if (cert.has_negative && !cert.superseded)
		in.negative_at = cert.negative.sampled_at;
	check_decide(r, &in, out);
	/* A fever at the checkpoint is a cause of its own: the pass and the
	 * code it changes are written together (in the server, this takes
	 * the request off the group commit, store_defer). */
	bool fever = q->has_temp && q->temp >= r->checkpoint.fever_celsius;
	if (fever && (rc = store_begin(st, err)))
		return rc;
	json_t *f = check_findings_json(out);
	char *json = json_dumps(f, JSON_COMPACT);
	struct store_pass pass = { person, venue, q->now, q->has_temp, q->temp,
				   q->mask, check_outcome_name(out->outcome),
				   json };
	rc = json ? store_checkpoint_pass(st, &pass, err)
		  : cd_err_set(err, CD_ENOMEM, "out of memory");
	free(json);
	if (fever && !rc)
		rc = codes_person(st, r, person, q->now, code, err);
	if (fever && rc)
		store_rollback(st);
	else if (fever)
		rc = store_commit(st, err);
	if (!rc && findings)
		*findings = f;
	else
		json_decref(f);
	return rc;
}
