/* h_testing.c — pooled testing through the API: one tube or one result
 * at a time, the CSV imports, a tube with its members, the recall list of
 * a positive pool and a person's negative certificate; the same
 * application calls as `cordon import samples|results`, `cordon pool` and
 * `cordon certificate` (cli/cmd_pool.c). Members outside the user's
 * jurisdiction are left out of every reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/codes_run.h"
#include "app/json_views.h"
#include "app/quarantine_run.h"
#include "app/testing_import.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

#define IMPORT_ERRORS_MAX 20   /* row errors before an import stops */
#define IMPORT_ERRORS_SHOWN 8  /* of them, quoted in the reply */

const struct api_field api_sample_add_body[] = {
	{ "tube", T_STRING, F_REQUIRED, KEY_NONE, 32,
	  "the tube code: 1-32 of A-Z a-z 0-9 - _" },
	{ "pool_size", T_INT, 0, KEY_NONE, TESTING_POOL_MAX,
	  "1 (single tube) or a pool size the profile allows; absent: the "
	  "profile's default pool (1 for a re-sample)" },
	{ "point", T_STRING, F_REQUIRED, KEY_NONE, NAME_MAX_BYTES,
	  "the sampling point" },
	{ "sampled_at", T_TIME, F_REQUIRED, KEY_NONE, 40,
	  "when the tube was sampled (not in the future)" },
	{ "round", T_STRING, 0, KEY_NONE, 32,
	  "the testing round (created when new)" },
	{ "retest_of", T_STRING, 0, KEY_TUBE, 32,
	  "for a single-tube re-sample: the positive pool it resolves" },
	{ "members", T_STRINGS, F_REQUIRED, KEY_PERSON, TESTING_POOL_MAX,
	  "the persons swabbed into the tube (resident IDs or registry "
	  "ids), at most the pool size" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_result_add_body[] = {
	{ "tube", T_STRING, F_REQUIRED, KEY_TUBE, 32, "the tube" },
	{ "result", T_STRING, F_REQUIRED, KEY_NONE, 16,
	  "negative, positive or invalid (阴性, 阳性, 无效)" },
	{ "lab", T_STRING, F_REQUIRED, KEY_NONE, NAME_MAX_BYTES,
	  "the laboratory" },
	{ "result_at", T_TIME, F_REQUIRED, KEY_NONE, 40,
	  "when the result came (not before sampling, not in the future)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_testing_import_query[] = {
	{ "dry_run", T_BOOL, 0, KEY_NONE, 0,
	  "check every row, write nothing" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_pool_recall_query[] = {
	{ "all", T_BOOL, 0, KEY_NONE, 0,
	  "every member with their outcome, not only those still "
	  "controlled" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_certificate_query[] = {
	{ "at", T_TIME, 0, KEY_NONE, 40, "the instant asked about (now)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- shared with h_rounds.c */

json_t *api_testing_person(struct api_req *r, const char *rid,
			   const char *name, const char *phone,
			   const char *hamlet, const char *hamlet_name,
			   const char *household)
{
	uint32_t id = 0;
	struct cd_err e;
	bool known = !store_person_id(r->st, rid, &id, &e);
	return json_pack("{s:o, s:s, s:s, s:s*, s:s, s:s*, s:s*}", "person",
			 known ? json_integer(id) : json_null(), "rid", rid,
			 "name", name, "phone", phone && phone[0] ? phone
								  : NULL,
			 "hamlet", hamlet, "hamlet_name", hamlet_name,
			 "household", household);
}

enum cd_code api_testing_field(struct api_req *r, enum cd_code code,
			       const struct cd_err *err)
{
	char name[64];
	size_t n = strspn(err->msg, "abcdefghijklmnopqrstuvwxyz_");
	if (!n || n >= sizeof name)
		return code;
	snprintf(name, sizeof name, "%.*s", (int)n, err->msg);
	if (!strcmp(name, "resident_id"))
		snprintf(name, sizeof name, "members");
	api_body_field(r, name);
	return code;
}

/* ---- a tube with its members */

static json_t *control_json(const struct store_pool_member *m)
{
	if (!m->controlled)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:s?}", "state",
			 testing_member_control(m), "since",
			 api_time(m->c.since), "resolved_at",
			 api_time(m->c.resolved_at), "case",
			 m->case_number[0] ? m->case_number : NULL);
}

static json_t *member_json(struct api_req *r,
			   const struct store_pool_member *m)
{
	const struct testing_recall_member *p = &m->m;
	json_t *j = api_testing_person(r, p->rid, p->name, p->phone,
				       p->hamlet, p->hamlet_name,
				       p->household);
	json_object_set_new(j, "control", control_json(m));
	json_object_set_new(j, "retest", json_view_testing_retest(m));
	return j;
}

static json_t *sample_json(struct api_req *r, const struct store_sample *s,
			   const struct testing_pool_members *ms)
{
	size_t open = 0;
	enum testing_pool_state st = testing_pool_members_state(s, ms, &open);
	json_t *arr = json_array();
	for (size_t i = 0; i < ms->n; i++)
		if (api_in_scope(r, ms->m[i].m.hamlet))
			json_array_append_new(arr, member_json(r, &ms->m[i]));
	return json_pack("{s:s, s:i, s:s, s:o, s:s?, s:s?, s:o, s:s, s:I, "
			 "s:I, s:o}", "tube", s->t.tube, "pool_size",
			 s->t.pool_size, "point", s->t.point, "sampled_at",
			 api_time(s->t.sampled_at), "round",
			 s->t.round[0] ? s->t.round : NULL, "retest_of",
			 s->t.retest_of[0] ? s->t.retest_of : NULL, "result",
			 json_view_testing_result(s), "state",
			 testing_pool_state_name(st),
			 "open_controls", (json_int_t)open, "members_total",
			 (json_int_t)ms->n, "members", arr);
}

/* The reply for tube: the tube with its members in the jurisdiction. */
static enum cd_code tube_reply(struct api_req *r, const char *tube,
			       json_t **out, struct cd_err *err)
{
	struct store_sample s;
	struct testing_pool_members ms = { NULL, 0, 0 };
	enum cd_code rc = testing_pool_load(r->st, tube, &s, &ms, err);
	if (!rc)
		*out = sample_json(r, &s, &ms);
	free(ms.m);
	return rc;
}

API_HANDLER(api_h_sample_get)
{
	return tube_reply(r, r->params[0], out, err);
}

/* The tube of the body; its members' resident IDs into rids (the caller
 * frees the array and its strings). */
static enum cd_code sample_in(struct api_req *r, struct testing_tube *t,
			      char ***rids, size_t *n, struct cd_err *err)
{
	json_t *members = json_object_get(r->body, "members"), *v;
	size_t i;
	memset(t, 0, sizeof *t);
	snprintf(t->tube, sizeof t->tube, "%s", api_body_str(r, "tube", ""));
	t->pool_size = (int)api_body_long(r, "pool_size", 0);
	snprintf(t->point, sizeof t->point, "%s",
		 api_body_str(r, "point", ""));
	t->sampled_at = api_body_time(r, "sampled_at", 0);
	snprintf(t->round, sizeof t->round, "%s",
		 api_body_str(r, "round", ""));
	snprintf(t->retest_of, sizeof t->retest_of, "%s",
		 api_body_str(r, "retest_of", ""));
	*n = json_array_size(members);
	*rids = xcalloc(*n ? *n : 1, sizeof **rids);
	json_array_foreach(members, i, v) {
		(*rids)[i] = xcalloc(1, 19);
		if (store_person_rid(r->st, json_string_value(v), (*rids)[i],
				     err))
			return api_bad(r, err, "members", "members[%zu] value "
				       "'%s': no such person", i,
				       json_string_value(v));
	}
	return CD_OK;
}

API_HANDLER(api_h_sample_add)
{
	struct testing_tube t;
	char **rids = NULL;
	size_t n = 0;
	enum store_upsert res = STORE_INSERTED;
	enum cd_code rc = sample_in(r, &t, &rids, &n, err);
	if (!rc)
		rc = testing_sample_record(r->st, r->rules, &t,
					   (const char *const *)rids, n,
					   r->now, &res, err);
	for (size_t i = 0; i < n && rids; i++)
		free(rids[i]);
	free(rids);
	if (rc)
		return api_testing_field(r, rc, err);
	snprintf(r->target, sizeof r->target, "tube:%s", t.tube);
	if (res == STORE_UNCHANGED)
		r->status = 200;
	return tube_reply(r, t.tube, out, err);
}

/* ---- results */

/* Results are a cause of health codes: recompute the codes of the tube's
 * members and upgrade secondary contacts of a new positive, as the import
 * of a results file does after its commit. */
static enum cd_code result_effects(struct api_req *r, const char *tube,
				   struct cd_err *err)
{
	struct codes_summary sum;
	struct quarantine_run_report rep;
	uint32_t *ids = NULL;
	size_t n = 0;
	enum cd_code rc = store_tube_members(r->st, &tube, 1, &ids, &n, err);
	if (!rc)
		rc = codes_refresh(r->st, r->rules, ids, n, r->now, &sum, err);
	free(ids);
	struct quarantine_run run = {
		r->st, r->rules, case_cst_day(r->now), r->now,
		{ QUARANTINE_CHILD_AGE, false }
	};
	return rc ? rc : quarantine_run_upgrade(&run, NULL, NULL, &rep, err);
}

API_HANDLER(api_h_result_add)
{
	struct testing_result_rec rec;
	struct testing_applied a;
	enum store_upsert res = STORE_INSERTED;
	memset(&rec, 0, sizeof rec);
	memset(&a, 0, sizeof a);
	snprintf(rec.tube, sizeof rec.tube, "%s", api_body_str(r, "tube", ""));
	snprintf(rec.lab, sizeof rec.lab, "%s", api_body_str(r, "lab", ""));
	rec.result_at = api_body_time(r, "result_at", 0);
	enum cd_code rc = testing_result_parse(api_body_str(r, "result", ""),
					       &rec.result, err);
	if (rc) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return api_bad(r, err, "result", "result '%.32s': %s",
			       api_body_str(r, "result", ""), why);
	}
	rc = testing_result_record(r->st, &rec, r->now, &res, &a, err);
	if (!rc && res == STORE_INSERTED)
		rc = result_effects(r, rec.tube, err);
	if (rc)
		return api_testing_field(r, rc, err);
	if (res == STORE_UNCHANGED)
		r->status = 200;
	if ((rc = tube_reply(r, rec.tube, out, err)))
		return rc;
	json_object_set_new(*out, "applied", json_pack(
		"{s:b, s:I, s:I, s:I, s:I, s:I}", "new",
		res == STORE_INSERTED, "controlled", (json_int_t)a.controlled,
		"released", (json_int_t)a.released, "resolved_positive",
		(json_int_t)a.resolved_positive, "cases", (json_int_t)a.cases,
		"kept", (json_int_t)a.kept));
	return CD_OK;
}

/* ---- CSV imports */

struct row_errors {
	struct strbuf sb;
	int n;
};

static void keep_row_error(void *ctx, const char *message)
{
	struct row_errors *e = ctx;
	if (e->n++ < IMPORT_ERRORS_SHOWN)
		strbuf_addf(&e->sb, "\n%s", message);
}

/* err's message with the row errors after it and every mention of the
 * spooled file's path replaced by name: the server's paths stay in. */
static void import_message(struct cd_err *err, const struct row_errors *e,
			   const char *path, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	api_scrub_path(err, path, name);
	strbuf_addstr(&sb, err->msg);
	if (e->n > IMPORT_ERRORS_SHOWN)
		strbuf_addf(&sb, "%s\n(and %d more)", e->sb.buf,
			    e->n - IMPORT_ERRORS_SHOWN);
	else
		strbuf_addstr(&sb, e->sb.buf);
	snprintf(err->msg, sizeof err->msg, "%s", sb.buf);
	strbuf_release(&sb);
}

API_HANDLER(api_h_testing_import)
{
	const char *kind = r->params[0];
	bool samples = !strcmp(kind, "samples");
	if (!samples && strcmp(kind, "results"))
		return cd_err_set(err, CD_ENOTFOUND, "no import of '%s': "
				  "samples or results", kind);
	const char *name = samples ? "samples.csv" : "results.csv";
	enum import_kind k = samples ? IMPORT_SAMPLES : IMPORT_RESULTS;
	if (!r->body_path)
		return cd_err_set(err, CD_EINVAL, "%s: empty file; expected a "
				  "header row: %s", name,
				  import_kind_columns(k));
	FILE *in = fopen(r->body_path, "rb");
	if (!in)
		return cd_err_set(err, CD_EIO, "cannot read the uploaded %s",
				  name);
	struct row_errors e = { STRBUF_INIT, 0 };
	struct import_opts o = {
		.kind = k,
		.name = name,
		.dry_run = api_query_bool(r, "dry_run", false),
		.max_errors = IMPORT_ERRORS_MAX,
		.today = case_cst_day(r->now),
		.now = r->now,
		.report = keep_row_error,
		.report_ctx = &e,
	};
	struct import_result res;
	enum cd_code rc = testing_import(r->st, in, &o, r->rules, &res, err);
	fclose(in);
	if (rc)
		import_message(err, &e, r->body_path, name);
	strbuf_release(&e.sb);
	if (rc)
		return rc;
	snprintf(r->target, sizeof r->target, "import:%s", kind);
	*out = json_pack("{s:s, s:b, s:I, s:I, s:I}", "kind", kind,
			 "dry_run", o.dry_run, "rows", (json_int_t)res.rows,
			 "new", (json_int_t)res.inserted, "unchanged",
			 (json_int_t)res.unchanged);
	return CD_OK;
}

/* ---- the recall list of a positive pool */

/* The groups of lines l[0..n); shown[k] is the pool member of the k-th
 * recall member rm[k]. */
static json_t *recall_groups(struct api_req *r,
			     const struct testing_recall_line *l, size_t n,
			     const struct testing_recall_member *rm,
			     const struct store_pool_member *const *shown)
{
	json_t *groups = json_array(), *mem = NULL;
	for (size_t i = 0; i < n; i++) {
		if (testing_recall_new_group(l, i)) {
			const struct testing_worker *w = l[i].worker;
			mem = json_array();
			json_array_append_new(groups, json_pack(
				"{s:o, s:o}", "worker", w ? json_pack(
					"{s:s, s:s}", "name", w->name, "phone",
					w->phone) : json_null(), "members",
				mem));
		}
		json_array_append_new(mem, member_json(
			r, shown[l[i].member - rm]));
	}
	return groups;
}

/* The members to list: in the jurisdiction and, unless all, still
 * controlled; as recall members (rm) and their pool members (shown). */
static size_t recall_members(struct api_req *r,
			     const struct testing_pool_members *ms,
			     bool all, struct testing_recall_member *rm,
			     const struct store_pool_member **shown)
{
	size_t n = 0;
	for (size_t i = 0; i < ms->n; i++) {
		const struct store_pool_member *m = &ms->m[i];
		bool open = m->controlled && m->c.outcome == TESTING_NONE;
		if ((!all && !open) || !api_in_scope(r, m->m.hamlet))
			continue;
		rm[n] = m->m;
		shown[n++] = m;
	}
	return n;
}

API_HANDLER(api_h_pool_recall)
{
	struct store_sample s;
	struct testing_pool_members ms = { NULL, 0, 0 };
	struct testing_worker *w = NULL;
	struct testing_recall_member *rm = NULL;
	const struct store_pool_member **shown = NULL;
	struct testing_recall_line *l = NULL;
	size_t nw = 0, open = 0;
	const char *tube = r->params[0];
	enum cd_code rc = testing_pool_load(r->st, tube, &s, &ms, err);
	if (!rc)
		rc = store_pool_workers(r->st, s.id, &w, &nw, err);
	if (rc)
		goto cleanup;
	if (s.t.pool_size == 1 || s.r.result != TESTING_POSITIVE) {
		rc = cd_err_set(err, CD_ERULE, "tube %s is not a positive "
				"pool: there is nobody to recall", tube);
		goto cleanup;
	}
	rm = xcalloc(ms.n ? ms.n : 1, sizeof *rm);
	shown = xcalloc(ms.n ? ms.n : 1, sizeof *shown);
	size_t n = recall_members(r, &ms, api_query_bool(r, "all", false), rm,
				  shown);
	size_t nl = testing_recall_group(rm, n, w, nw, &l);
	enum testing_pool_state st = testing_pool_members_state(&s, &ms, &open);
	*out = json_pack("{s:s, s:i, s:o, s:s, s:I, s:I, s:o}", "pool", tube,
			 "pool_size", s.t.pool_size, "result_at",
			 api_time(s.r.result_at), "state",
			 testing_pool_state_name(st), "open", (json_int_t)open,
			 "listed", (json_int_t)n, "workers",
			 recall_groups(r, l, nl, rm, shown));
cleanup:
	free(l);
	free(shown);
	free(rm);
	free(w);
	free(ms.m);
	return rc;
}

/* ---- the negative certificate */

API_HANDLER(api_h_certificate)
{
	char rid[19];
	struct testing_cert c;
	struct person_view v;
	int64_t at = r->now;
	const char *s = api_query(r, "at");
	if (s && !instant_parse(s, &at))
		return api_bad(r, err, "at", "'at' must be a time like "
			       "2022-03-30T10:58:00+08:00, not '%s'", s);
	enum cd_code rc = store_person_rid(r->st, r->params[0], rid, err);
	if (!rc)
		rc = testing_certificate_get(r->st, rid, at,
					     r->rules->checkpoint.cert_hours,
					     &c, err);
	if (!rc)
		rc = store_person_get(r->st, rid, &v, err);
	if (rc)
		return rc;
	*out = api_testing_person(r, rid, v.p.name, NULL, v.hamlet,
				  v.hamlet_name, v.p.household);
	json_object_set_new(*out, "at", api_time(c.at));
	json_object_set_new(*out, "latest_negative", c.has_negative
				   ? json_view_testing_hist(&c.negative)
				   : json_null());
	json_object_set_new(*out, "age_seconds", c.has_negative
				   ? json_integer(c.age) : json_null());
	json_object_set_new(*out, "superseded_by", c.superseded
				   ? json_view_testing_hist(&c.positive)
				   : json_null());
	json_object_set_new(*out, "windows", json_view_testing_windows(&c));
	return CD_OK;
}
