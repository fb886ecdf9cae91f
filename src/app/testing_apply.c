/* testing_apply.c — a tube against what is stored, writing it, and what a
 * lab result sets off: controls in place, releases, cases. */
#include "app/testing_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/sort.h"
#include "lib/banned.h"

struct checker {
	struct store *st;
	struct testing_tube_in *in;
	testing_report_fn fn;
	void *ctx;
	long *bad;
	struct cd_err *err;
};

static enum cd_code report(struct checker *k, long line, const char *field,
			   const char *value, const char *reason)
{
	(*k->bad)++;
	return k->fn(k->ctx, line, field, value, reason);
}

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The text of a header field of t, as a file gives it. */
static void field_text(const struct testing_tube *t, const char *field,
		       char *buf, size_t len)
{
	if (strcmp(field, "pool_size") == 0)
		snprintf(buf, len, "%d", t->pool_size);
	else if (strcmp(field, "point") == 0)
		snprintf(buf, len, "%s", t->point);
	else if (strcmp(field, "sampled_at") == 0)
		instant_format_iso(t->sampled_at, buf, len);
	else if (strcmp(field, "round") == 0)
		snprintf(buf, len, "%s", t->round);
	else
		snprintf(buf, len, "%s", t->retest_of);
}

/* A re-sample's pool: stored, a pool, positive before the re-sample; an
 * empty round takes the pool's. *ok is false after a report. */
static enum cd_code check_pool(struct checker *k, struct store_sample *pool,
			       bool *ok)
{
	struct testing_tube *t = &k->in->t;
	long line = k->in->line;
	char msg[256], when[32];
	*ok = false;
	enum cd_code rc = store_sample_get(k->st, t->retest_of, pool, k->err);
	if (rc == CD_ENOTFOUND)
		return report(k, line, "retest_of", t->retest_of,
			      "no tube with this code");
	if (rc)
		return rc;
	if (pool->t.pool_size == 1)
		return report(k, line, "retest_of", t->retest_of,
			      "is a single tube: only the members of a pool "
			      "are re-sampled singly");
	if (pool->r.result != TESTING_POSITIVE)
		return report(k, line, "retest_of", t->retest_of,
			      "has no positive result: single tubes "
			      "re-sample the members of a positive pool");
	if (t->sampled_at < pool->r.result_at) {
		instant_format_cst(pool->r.result_at, when, sizeof when);
		snprintf(msg, sizeof msg, "is before the pool's positive "
			 "result at %s", when);
		instant_format_iso(t->sampled_at, when, sizeof when);
		return report(k, line, "sampled_at", when, msg);
	}
	if (!t->round[0]) {
		snprintf(t->round, sizeof t->round, "%s", pool->t.round);
	} else if (strcmp(t->round, pool->t.round)) {
		if (pool->t.round[0])
			snprintf(msg, sizeof msg, "must be the pool's round "
				 "%s, or empty", pool->t.round);
		else
			snprintf(msg, sizeof msg, "must be empty: pool %s "
				 "has no round", pool->t.tube);
		return report(k, line, "round", t->round, msg);
	}
	k->in->pool_id = pool->id;
	*ok = true;
	return CD_OK;
}

/* Each member of a re-sample is a member of the pool. */
static enum cd_code check_in_pool(struct checker *k,
				  const struct store_sample *pool)
{
	uint32_t *ids = NULL;
	size_t n = 0;
	char msg[96];
	enum cd_code rc = store_sample_member_ids(k->st, pool->id, &ids, &n,
						  k->err);
	snprintf(msg, sizeof msg, "is not a member of pool %s",
		 pool->t.tube);
	for (size_t i = 0; !rc && i < k->in->n; i++) {
		const struct testing_member_in *m = &k->in->m[i];
		if (!search_array(&m->person, ids, n, sizeof *ids, id_cmp))
			rc = report(k, m->line, "resident_id", m->rid, msg);
	}
	free(ids);
	return rc;
}

/* A stored tube given again: the same header and the same members. */
static enum cd_code check_same(struct checker *k,
			       const struct store_sample *old)
{
	const struct testing_tube_in *in = k->in;
	char msg[256], was[NAME_MAX_BYTES + 1], now[NAME_MAX_BYTES + 1];
	long before = *k->bad;
	const char *f = testing_tube_differs(&old->t, &in->t);
	if (f) {
		field_text(&old->t, f, was, sizeof was);
		field_text(&in->t, f, now, sizeof now);
		snprintf(msg, sizeof msg, "tube %s is stored with %s '%s'; a "
			 "stored tube cannot change", in->t.tube, f, was);
		return report(k, in->line, f, now, msg);
	}
	uint32_t *ids = NULL;
	size_t n = 0;
	enum cd_code rc = store_sample_member_ids(k->st, old->id, &ids, &n,
						  k->err);
	snprintf(msg, sizeof msg, "tube %s is stored without this person; a "
		 "stored tube cannot change", in->t.tube);
	for (size_t i = 0; !rc && i < in->n; i++)
		if (!search_array(&in->m[i].person, ids, n, sizeof *ids,
				  id_cmp))
			rc = report(k, in->m[i].line, "resident_id",
				    in->m[i].rid, msg);
	free(ids);
	if (!rc && *k->bad == before && n != in->n && !in->partial) {
		snprintf(msg, sizeof msg, "tube %s is stored with %zu members, "
			 "not %zu; a stored tube cannot change", in->t.tube, n,
			 in->n);
		rc = report(k, in->line, NULL, NULL, msg);
	}
	if (!rc && *k->bad == before)
		k->in->stored = true;
	return rc;
}

/* No member of an ordinary tube is in another tube of its round. */
static enum cd_code check_round(struct checker *k)
{
	const struct testing_tube_in *in = k->in;
	char other[TESTING_CODE_MAX], msg[128];
	enum cd_code rc = CD_OK;
	for (size_t i = 0; !rc && i < in->n; i++) {
		const struct testing_member_in *m = &in->m[i];
		rc = store_sample_round_tube(k->st, in->t.round, m->person,
					     in->t.tube, other, k->err);
		if (rc || !other[0])
			continue;
		snprintf(msg, sizeof msg, "is already in tube %s of round %s "
			 "(stored)", other, in->t.round);
		rc = report(k, m->line, "resident_id", m->rid, msg);
	}
	return rc;
}

/* See testing_apply.h. */
enum cd_code testing_tube_check_stored(struct store *st,
				       struct testing_tube_in *in,
				       testing_report_fn fn, void *ctx,
				       long *bad, struct cd_err *err)
{
	struct checker k = { st, in, fn, ctx, bad, err };
	struct store_sample pool, old;
	bool ok = true;
	enum cd_code rc;
	in->stored = false;
	in->pool_id = 0;
	if (in->t.retest_of[0] && ((rc = check_pool(&k, &pool, &ok)) || !ok))
		return rc;
	rc = store_sample_get(st, in->t.tube, &old, err);
	if (rc == CD_OK)
		return check_same(&k, &old);
	if (rc != CD_ENOTFOUND)
		return rc;
	cd_err_clear(err);
	if (in->t.retest_of[0])
		return check_in_pool(&k, &pool);
	return in->t.round[0] ? check_round(&k) : CD_OK;
}

/* See testing_apply.h. */
enum cd_code testing_tube_write(struct store *st,
				const struct testing_tube_in *in,
				struct cd_err *err)
{
	uint32_t *persons = malloc((in->n ? in->n : 1) * sizeof *persons);
	int64_t id;
	if (!persons)
		return cd_err_set(err, CD_ENOMEM, "out of memory");
	for (size_t i = 0; i < in->n; i++)
		persons[i] = in->m[i].person;
	enum cd_code rc = store_sample_add(st, &in->t, in->pool_id, persons,
					   in->n, &id, err);
	free(persons);
	return rc;
}

static enum cd_code first_member(void *ctx, const struct store_pool_member *m)
{
	snprintf(ctx, 19, "%s", m->m.rid);
	return CD_ETOOBIG; /* one is enough */
}

/* The person's open case, kept; else a new asymptomatic case found by
 * `found`, sampled on the tube's day, reported at the result time. */
static enum cd_code case_for(struct store *st, const char *rid,
			     const struct store_sample *s,
			     const struct testing_result_rec *r,
			     enum case_found found, int32_t today,
			     char *number, struct testing_applied *a,
			     struct cd_err *err)
{
	struct store_case_view v;
	enum cd_code rc = store_case_get_by_rid(st, rid, &v, err);
	if (rc == CD_OK && v.c.outcome != OUTCOME_CURED) {
		snprintf(number, CASE_NUMBER_MAX, "%s", v.c.number);
		a->kept++;
		return CD_OK;
	}
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	cd_err_clear(err);
	struct case_rec c;
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", rid);
	c.cls = CASE_ASYMPTOMATIC;
	c.ctype = CT_NONE;
	c.origin = ORIGIN_LOCAL;
	c.found = found;
	c.sampling = case_cst_day(s->t.sampled_at);
	c.reported = r->result_at;
	if ((rc = case_validate(&c, today, err)) ||
	    (rc = store_case_add(st, &c, err)))
		return rc;
	snprintf(number, CASE_NUMBER_MAX, "%s", c.number);
	a->cases++;
	return CD_OK;
}

/* A single tube's result: its member's case and the control it
 * resolves. */
static enum cd_code apply_single(struct store *st,
				 const struct store_sample *s,
				 const struct testing_result_rec *r,
				 const struct testing_effect *e, int32_t today,
				 struct testing_applied *a, struct cd_err *err)
{
	char rid[19] = "", number[CASE_NUMBER_MAX] = "";
	uint32_t person;
	bool resolved = false;
	enum cd_code rc = store_pool_members(st, s->id, first_member, rid,
					     err);
	if (rc && rc != CD_ETOOBIG)
		return rc;
	if (!rid[0])
		return CD_OK; /* a tube without members: nobody to act on */
	if ((rc = store_testing_person(st, rid, &person, err)))
		return rc;
	if (e->make_case &&
	    (rc = case_for(st, rid, s, r, e->found, today, number, a, err)))
		return rc;
	if (!e->resolve_control)
		return CD_OK;
	if ((rc = store_pool_control_resolve(st, s->retest_of_id, person,
					     r->result_at, e->outcome, s->id,
					     number, &resolved, err)))
		return rc;
	if (resolved && e->outcome == TESTING_NEGATIVE)
		a->released++;
	else if (resolved)
		a->resolved_positive++;
	return CD_OK;
}

/* See testing_apply.h. */
enum cd_code testing_result_apply(struct store *st,
				  const struct store_sample *s,
				  const struct testing_result_rec *r,
				  int32_t today, struct testing_applied *a,
				  struct cd_err *err)
{
	struct testing_effect e;
	long added = 0;
	enum cd_code rc = store_result_add(st, s->id, r, err);
	if (rc)
		return rc;
	testing_effect_of(s->t.pool_size, s->retest_of_id != 0, r->result,
			  &e);
	if (e.control_members) {
		if ((rc = store_pool_control_add(st, s->id, r->result_at,
						 &added, err)))
			return rc;
		a->controlled += added;
	}
	if (e.make_case || e.resolve_control)
		return apply_single(st, s, r, &e, today, a, err);
	return CD_OK;
}

/* See testing_apply.h. */
enum cd_code testing_result_check_stored(struct store *st,
					 const struct testing_result_rec *r,
					 int64_t now, struct store_sample *s,
					 bool *same, struct cd_err *err)
{
	enum cd_code rc;
	*same = false;
	struct cd_err e;
	if ((rc = testing_code_check(r->tube, &e)))
		return cd_err_set(err, rc, "tube: %s", e.msg);
	rc = store_sample_get(st, r->tube, s, err);
	if (rc == CD_ENOTFOUND)
		return cd_err_set(err, rc, "tube: no tube with this code "
				  "(import its samples first)");
	if (rc || (rc = testing_result_check(r, &s->t, now, err)))
		return rc;
	if (s->r.result == TESTING_NONE)
		return CD_OK;
	rc = testing_result_same(&s->r, r, same, err);
	if (rc) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return cd_err_set(err, rc, "result: %s", msg);
	}
	return CD_OK;
}
