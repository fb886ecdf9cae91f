/* quarantine_run.c — planning, rooms, release, upgrade and re-planning
 * against the store, each one transaction. */
#include "app/quarantine_run.h"

#include "app/codes_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/sort.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* The China date of an instant. */
static int32_t cst_date(int64_t t)
{
	t += CD_CST_OFFSET;
	return (int32_t)((t - (t < 0 ? 86399 : 0)) / 86400);
}

enum cd_code quarantine_plans_collect(void *ctx,
				      const struct store_quarantine *q)
{
	struct quarantine_plans *p = ctx;
	p->v = xgrow(p->v, sizeof *p->v, p->n + 1, &p->alloc);
	p->v[p->n++] = *q;
	return CD_OK;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_load(const struct store_quarantine *q,
				 struct quarantine_plan *p,
				 struct cd_err *err)
{
	struct rules_regime g;
	struct cd_err e;
	int needs = 0;
	if (quarantine_regime_parse(q->regime, &g, &needs, &e) ||
	    quarantine_plan_from(&g, needs, q->grp, q->exposure, p, &e))
		return cd_err_set(err, CD_EDB, "quarantine plan %lld: %s",
				  (long long)q->id, e.msg);
	p->planned = case_cst_day(q->planned_at);
	if (p->last[QP_CENTRAL] != q->central_end ||
	    p->last[QP_HOME] != q->home_end ||
	    p->last[QP_MONITORING] != q->monitoring_end ||
	    quarantine_end(p) != q->quarantine_end)
		return cd_err_set(err, CD_EDB, "quarantine plan %lld: its "
				  "stored dates differ from its regime",
				  (long long)q->id);
	return CD_OK;
}

/* ---- writing plans */

/* Add plan p for person: in room (when not 0 and p has a central part),
 * else in its first state. */
static enum cd_code insert(const struct quarantine_run *r,
			   const struct quarantine_plan *p, uint32_t person,
			   int64_t case_id, uint32_t via, int64_t room,
			   int64_t previous, int64_t *id, struct cd_err *err)
{
	struct store_quarantine q;
	memset(&q, 0, sizeof q);
	q.person = person;
	q.grp = p->grp;
	snprintf(q.profile, sizeof q.profile, "%s", r->rules->profile);
	q.case_id = case_id;
	q.via = via;
	q.previous_id = previous;
	q.planned_at = r->now;
	if (room && p->last[QP_CENTRAL]) {
		q.status = QS_CENTRAL;
		q.room_id = room;
	} else {
		q.status = quarantine_first_status(p);
	}
	enum cd_code rc = store_quarantine_add(r->st, &q, p, err);
	if (!rc && id)
		*id = q.id;
	return rc;
}

/* Close `old` as `how` (upgraded, replanned) and add np in its place,
 * keeping its room when np has a central part. */
static enum cd_code replace(const struct quarantine_run *r,
			    const struct store_quarantine *old,
			    enum quarantine_status how,
			    const struct quarantine_plan *np, int64_t case_id,
			    uint32_t via, int64_t *id, struct cd_err *err)
{
	int64_t room = old->status == QS_CENTRAL ? old->room_id : 0;
	enum cd_code rc = store_quarantine_set(r->st, old->id, how,
					       old->room_id, r->today, err);
	return rc ? rc : insert(r, np, old->person, case_id, via, room,
				old->id, id, err);
}

/* ---- rooms */

struct rooms {
	struct quarantine_room *v;
	size_t n, alloc;
};

static enum cd_code collect_room(void *ctx, const struct store_room_view *v)
{
	struct rooms *r = ctx;
	r->v = xgrow(r->v, sizeof *r->v, r->n + 1, &r->alloc);
	r->v[r->n++] = (struct quarantine_room){ v->id, v->r.capacity,
						 v->occupants, v->grp };
	return CD_OK;
}

/* Close contacts first, then secondary, then discharged; then by plan. */
static int by_urgency(const void *a, const void *b)
{
	const struct store_quarantine *x = a, *y = b;
	if (x->grp != y->grp)
		return x->grp < y->grp ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Give rooms to the waiting plans whose central part has not ended. */
static enum cd_code allocate_waiting(const struct quarantine_run *r,
				     struct quarantine_run_report *rep,
				     struct cd_err *err)
{
	struct quarantine_plans w = { NULL, 0, 0 };
	struct rooms rm = { NULL, 0, 0 };
	struct quarantine_seeker *s = NULL;
	struct store_quarantine_filter f = { .status = QS_WAITING };
	size_t total, n = 0, placed;
	enum cd_code rc = store_quarantine_list(r->st, &f,
				quarantine_plans_collect, &w, err);
	if (!rc)
		rc = store_room_list(r->st, NULL, collect_room, &rm, err);
	if (rc)
		goto cleanup;
	total = w.n;
	for (size_t i = 0; i < w.n; i++)
		if (w.v[i].central_end >= r->today)
			w.v[n++] = w.v[i];
	sort_array(w.v, n, sizeof *w.v, by_urgency);
	s = xcalloc(n ? n : 1, sizeof *s);
	for (size_t i = 0; i < n; i++)
		s[i] = (struct quarantine_seeker){
			w.v[i].id, w.v[i].grp, w.v[i].household,
			quarantine_age(w.v[i].birth, w.v[i].exposure + 1), -1, -1
		};
	placed = quarantine_allocate(rm.v, rm.n, s, n, &r->alloc);
	for (size_t i = 0; i < n && !rc; i++)
		if (s[i].room >= 0)
			rc = store_quarantine_set(r->st, s[i].id, QS_CENTRAL,
						  rm.v[s[i].room].id, 0, err);
	if (!rc && rep) {
		rep->placed += (long)placed;
		rep->waiting = (long)(total - placed);
	}
cleanup:
	free(w.v);
	free(rm.v);
	free(s);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_allocate(const struct quarantine_run *r,
				     struct quarantine_run_report *rep,
				     struct cd_err *err)
{
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = store_begin(r->st, err);
	if (!rc && !(rc = allocate_waiting(r, rep, err)))
		rc = store_commit(r->st, err);
	if (rc)
		store_rollback(r->st);
	return rc;
}

/* ---- planning */

struct contacts {
	struct store_contact *v;
	size_t n, alloc;
};

static enum cd_code collect_contact(void *ctx, const struct store_contact *c)
{
	struct contacts *cs = ctx;
	if (c->is_case || (strcmp(c->category, "close") &&
			   strcmp(c->category, "secondary")))
		return CD_OK;
	cs->v = xgrow(cs->v, sizeof *cs->v, cs->n + 1, &cs->alloc);
	cs->v[cs->n++] = *c;
	return CD_OK;
}

/* The case `which` (number or resident ID), its id and person. */
static enum cd_code find_case(struct store *st, const char *which,
			      struct store_case_view *v, int64_t *case_id,
			      uint32_t *person, struct cd_err *err)
{
	enum cd_code rc = case_number_valid(which)
				  ? store_case_get(st, which, v, err)
				  : store_case_get_by_rid(st, which, v, err);
	return rc ? rc : store_case_ids(st, v->c.number, case_id, person, err);
}

/* Plan one contact, keep their open plan, or upgrade a secondary one. */
static enum cd_code plan_contact(const struct quarantine_run *r,
				 const struct store_contact *c,
				 int64_t case_id,
				 struct quarantine_run_report *rep,
				 struct cd_err *err)
{
	enum quarantine_group g = strcmp(c->category, "close") ? QG_SECONDARY
							       : QG_CLOSE;
	int32_t exposure = cst_date(c->last);
	struct store_quarantine old;
	struct quarantine_plan p, op;
	enum cd_code rc = store_quarantine_of(r->st, c->person, 0, &old, err);
	if (rc == CD_OK) {
		if (old.grp != QG_SECONDARY || g != QG_CLOSE) {
			rep->kept++;
			return CD_OK;
		}
		if ((rc = quarantine_run_load(&old, &op, err)) ||
		    (rc = quarantine_upgrade(&r->rules->quarantine, &op,
					     exposure, &p, err)) ||
		    (rc = replace(r, &old, QS_UPGRADED, &p, case_id, 0, NULL,
				  err)))
			return rc;
		rep->upgraded++;
		return CD_OK;
	}
	if (rc != CD_ENOTFOUND)
		return rc;
	rc = quarantine_plan_make(&r->rules->quarantine, g, exposure, &p, err);
	if (rc == CD_ERULE) {
		rep->not_identified++;
		return CD_OK;
	}
	if (!rc)
		rc = insert(r, &p, c->person, case_id,
			    g == QG_SECONDARY ? c->via : 0, 0, 0, NULL, err);
	if (!rc)
		rep->planned++;
	return rc;
}

/* See app/quarantine_run.h. */
/* Quarantine is a cause of health codes: recompute the codes of the
 * people a step touched, after it committed (docs/codes.md). */
static enum cd_code refresh(const struct quarantine_run *r,
			    uint32_t *persons, size_t n, struct cd_err *err)
{
	struct codes_summary sum;
	return n ? codes_refresh(r->st, r->rules, persons, n, r->now, &sum,
				 err)
		 : CD_OK;
}

static enum cd_code refresh_one(const struct quarantine_run *r,
				uint32_t person, struct cd_err *err)
{
	return refresh(r, &person, 1, err);
}

enum cd_code quarantine_run_plan_case(const struct quarantine_run *r,
				      const char *which,
				      struct quarantine_run_report *rep,
				      int64_t *case_id, struct cd_err *err)
{
	struct store_case_view v;
	struct contacts cs = { NULL, 0, 0 };
	uint32_t person;
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = store_begin(r->st, err);
	if (rc)
		return rc;
	if (!(rc = find_case(r->st, which, &v, case_id, &person, err)))
		rc = store_contacts_of(r->st, *case_id, collect_contact, &cs,
				       err);
	for (size_t i = 0; i < cs.n && !rc; i++)
		rc = plan_contact(r, &cs.v[i], *case_id, rep, err);
	if (!rc)
		rc = allocate_waiting(r, rep, err);
	if (!rc)
		rc = store_commit(r->st, err);
	if (rc)
		store_rollback(r->st);
	if (!rc) {
		uint32_t *ids = xcalloc(cs.n + 1, sizeof *ids);
		for (size_t i = 0; i < cs.n; i++)
			ids[i] = cs.v[i].person;
		rc = refresh(r, ids, cs.n, err);
		free(ids);
	}
	free(cs.v);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_plan_discharged(const struct quarantine_run *r,
					    const char *which, int64_t *id,
					    struct quarantine_run_report *rep,
					    struct cd_err *err)
{
	struct store_case_view v;
	struct store_quarantine old;
	struct quarantine_plan p;
	int64_t case_id;
	uint32_t person;
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = find_case(r->st, which, &v, &case_id, &person, err);
	if (rc)
		return rc;
	if (v.c.outcome != OUTCOME_CURED)
		return cd_err_set(err, CD_ERULE, "case %s is not discharged "
				  "cured ('cordon case update %s --outcome "
				  "cured --outcome-date DATE' first)",
				  v.c.number, v.c.number);
	if ((rc = quarantine_plan_make(&r->rules->quarantine, QG_DISCHARGED,
				       v.c.outcome_date, &p, err)) ||
	    (rc = store_begin(r->st, err)))
		return rc;
	rc = store_quarantine_of(r->st, person, 0, &old, err);
	if (rc == CD_OK)
		rc = cd_err_set(err, CD_ERULE, "%s is already under quarantine "
				"plan %lld", v.name, (long long)old.id);
	else if (rc == CD_ENOTFOUND)
		rc = insert(r, &p, person, case_id, 0, 0, 0, id, err);
	if (!rc) {
		rep->planned++;
		rc = allocate_waiting(r, rep, err);
	}
	if (!rc)
		rc = store_commit(r->st, err);
	if (rc)
		store_rollback(r->st);
	return rc;
}

/* ---- release */

/* What is known of a secondary contact's linked close contact. */
static enum cd_code load_linked(struct store *st,
				const struct store_quarantine *q,
				struct quarantine_linked *l,
				struct quarantine_plan *lp,
				struct quarantine_sample **ls,
				struct cd_err *err)
{
	struct store_quarantine lq;
	int64_t case_id = 0;
	memset(l, 0, sizeof *l);
	l->name = q->via_name;
	enum cd_code rc = store_quarantine_of(st, q->via, 1, &lq, err);
	if (rc == CD_OK && !(rc = quarantine_run_load(&lq, lp, err)))
		l->plan = lp;
	else if (rc == CD_ENOTFOUND)
		rc = CD_OK;
	if (!rc)
		rc = store_quarantine_samples(st, q->via, ls, &l->nsamples, err);
	l->samples = *ls;
	if (!rc)
		rc = store_quarantine_case_of(st, q->via, &case_id, err);
	l->is_case = case_id != 0;
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_check(struct store *st,
				  const struct store_quarantine *q,
				  int32_t day, enum quarantine_status *next,
				  bool *ok, struct strbuf *why,
				  struct cd_err *err)
{
	struct quarantine_plan p, lp;
	struct quarantine_sample *own = NULL, *ls = NULL;
	struct quarantine_linked l;
	size_t n = 0;
	bool linked = q->grp == QG_SECONDARY && q->via;
	enum cd_code rc = quarantine_run_load(q, &p, err);
	if (!rc)
		rc = store_quarantine_samples(st, q->person, &own, &n, err);
	if (!rc && linked)
		rc = load_linked(st, q, &l, &lp, &ls, err);
	if (!rc) {
		struct quarantine_release_in in = {
			&p, q->status, day, own, n, linked ? &l : NULL
		};
		*ok = quarantine_release_check(&in, next, why);
	}
	free(own);
	free(ls);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_release(const struct quarantine_run *r,
				    int64_t id, enum quarantine_status *next,
				    struct quarantine_run_report *rep,
				    struct cd_err *err)
{
	struct store_quarantine q;
	struct strbuf why = STRBUF_INIT;
	bool ok = false;
	char d[16];
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = store_begin(r->st, err);
	if (rc)
		return rc;
	if ((rc = store_quarantine_get(r->st, id, &q, err)) ||
	    (rc = quarantine_run_check(r->st, &q, r->today, next, &ok, &why,
				       err)))
		goto cleanup;
	date_format(r->today, d, sizeof d);
	if (!ok) {
		rc = cd_err_set(err, CD_ERULE, "cannot %s %s (plan %lld) on "
				"%s: %s", *next == QS_HOME ? "move home"
				: "release", q.name, (long long)id, d, why.buf);
		goto cleanup;
	}
	rc = store_quarantine_set(r->st, id, *next, q.room_id,
				  *next == QS_RELEASED ? r->today : 0, err);
	if (!rc && q.status == QS_CENTRAL)
		rc = allocate_waiting(r, rep, err);
	if (!rc)
		rc = store_commit(r->st, err);
	if (!rc)
		rc = refresh_one(r, q.person, err);
cleanup:
	if (rc)
		store_rollback(r->st);
	strbuf_release(&why);
	return rc;
}

/* ---- upgrade, replan */

/* Upgrade q when its linked close contact turned positive; *id gets the
 * new plan, else stays 0. */
static enum cd_code upgrade_one(const struct quarantine_run *r,
				const struct store_quarantine *q, int64_t *id,
				struct cd_err *err)
{
	struct quarantine_plan p, lp, np;
	struct quarantine_linked l;
	struct quarantine_sample *ls = NULL;
	int64_t last = 0, linked_case = 0;
	enum cd_code rc = quarantine_run_load(q, &p, err);
	if (!rc)
		rc = load_linked(r->st, q, &l, &lp, &ls, err);
	if (rc || !quarantine_linked_positive(&l, l.plan ? l.plan->exposure
						      : q->exposure))
		goto cleanup;
	if ((rc = store_quarantine_exposure(r->st, q->person, q->via, &last,
					    err)) ||
	    (rc = store_quarantine_case_of(r->st, q->via, &linked_case, err)) ||
	    (rc = quarantine_upgrade(&r->rules->quarantine, &p,
				     last ? cst_date(last) : 0, &np, err)))
		goto cleanup;
	rc = replace(r, q, QS_UPGRADED, &np,
		     linked_case ? linked_case : q->case_id, 0, id, err);
cleanup:
	free(ls);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_upgrade(const struct quarantine_run *r,
				    quarantine_run_fn fn, void *ctx,
				    struct quarantine_run_report *rep,
				    struct cd_err *err)
{
	struct quarantine_plans open = { NULL, 0, 0 };
	struct store_quarantine_filter f = { .status = QS_COUNT };
	int64_t *ids = NULL;
	size_t nids = 0;
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = store_begin(r->st, err);
	if (!rc)
		rc = store_quarantine_list(r->st, &f,
					quarantine_plans_collect, &open, err);
	ids = xcalloc(open.n ? open.n : 1, sizeof *ids);
	for (size_t i = 0; i < open.n && !rc; i++) {
		if (open.v[i].grp != QG_SECONDARY || !open.v[i].via)
			continue;
		int64_t id = 0;
		if (!(rc = upgrade_one(r, &open.v[i], &id, err)) && id)
			ids[nids++] = id;
	}
	rep->upgraded = (long)nids;
	if (!rc)
		rc = allocate_waiting(r, rep, err);
	if (!rc)
		rc = store_commit(r->st, err);
	if (rc)
		store_rollback(r->st);
	for (size_t i = 0; i < nids && !rc; i++) {
		struct store_quarantine q;
		if (!(rc = store_quarantine_get(r->st, ids[i], &q, err)))
			rc = refresh_one(r, q.person, err);
		if (!rc && fn)
			fn(ctx, &q);
	}
	free(open.v);
	free(ids);
	return rc;
}

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_replan(const struct quarantine_run *r,
				   int64_t id, int64_t *new_id,
				   struct quarantine_run_report *rep,
				   struct cd_err *err)
{
	struct store_quarantine q;
	struct quarantine_plan p;
	memset(rep, 0, sizeof *rep);
	enum cd_code rc = store_begin(r->st, err);
	if (rc)
		return rc;
	if ((rc = store_quarantine_get(r->st, id, &q, err)))
		goto cleanup;
	if (!quarantine_status_open(q.status)) {
		rc = cd_err_set(err, CD_ERULE, "plan %lld is %s: only an open "
				"plan is re-planned", (long long)id,
				quarantine_status_name(q.status));
		goto cleanup;
	}
	rc = quarantine_plan_make(&r->rules->quarantine, q.grp, q.exposure, &p,
				  err);
	if (rc == CD_ERULE)
		cd_err_set(err, rc, "%s contacts are not identified under "
			   "profile %s: plan %lld is kept",
			   quarantine_group_name(q.grp), r->rules->profile,
			   (long long)id);
	if (!rc)
		rc = replace(r, &q, QS_REPLANNED, &p, q.case_id, q.via, new_id,
			     err);
	if (!rc)
		rc = allocate_waiting(r, rep, err);
	if (!rc)
		rc = store_commit(r->st, err);
	if (!rc)
		rc = refresh_one(r, q.person, err);
cleanup:
	if (rc)
		store_rollback(r->st);
	return rc;
}

/* ---- monitoring */

/* See app/quarantine_run.h. */
enum cd_code quarantine_run_monitor(const struct quarantine_run *r,
				    int64_t id, int64_t at, int tenths,
				    const char *symptoms,
				    struct store_monitoring *m,
				    struct cd_err *err)
{
	struct store_quarantine q;
	struct strbuf why = STRBUF_INIT;
	struct cd_err e;
	char d[16];
	int32_t day = cst_date(at);
	enum cd_code rc = store_quarantine_get(r->st, id, &q, err);
	if (rc)
		return rc;
	date_format(q.ended_on, d, sizeof d);
	if (!quarantine_status_open(q.status) &&
	    !(q.status == QS_RELEASED && day <= q.monitoring_end))
		return cd_err_set(err, CD_ERULE, "plan %lld was %s on %s and "
				  "has no health monitoring on that day",
				  (long long)id, quarantine_status_name(q.status),
				  d);
	if (day < q.exposure || at > r->now)
		return cd_err_set(err, CD_EINVAL, "the time must be from the "
				  "last exposure and not in the future");
	if (tenths < TEMP_MIN_TENTHS || tenths > TEMP_MAX_TENTHS)
		return cd_err_set(err, CD_EINVAL, "temperature must be from "
				  "34.0 to 43.0 °C");
	if (quarantine_symptoms_check(symptoms, &e))
		return cd_err_set(err, CD_EINVAL, "symptoms: %s", e.msg);
	memset(m, 0, sizeof *m);
	m->quarantine_id = id;
	m->person = q.person;
	m->at = at;
	m->recorded_at = r->now;
	m->temp_tenths = tenths;
	snprintf(m->symptoms, sizeof m->symptoms, "%s", symptoms);
	quarantine_alert(tenths, symptoms, r->rules->checkpoint.fever_celsius,
			 &why);
	snprintf(m->alert, sizeof m->alert, "%s", why.buf);
	strbuf_release(&why);
	snprintf(m->rid, sizeof m->rid, "%s", q.rid);
	snprintf(m->name, sizeof m->name, "%s", q.name);
	return store_monitoring_add(r->st, m, err);
}
