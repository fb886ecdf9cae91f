/* trace_run.c — the tracer over the store. */
#include "app/trace_run.h"

#include "app/presence_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

struct trace_session {
	struct store *st;
	const struct rules *rules;
	int64_t now;
	struct trace_world w;
	uint32_t *household, *hh_members;
	uint64_t *hh_off;
	unsigned char *venue_kind, *trip_mode, *is_case;
	struct tracer *tracer;
	struct store_contact *contacts;
	size_t acontacts;
	struct store_evidence *ev;
	size_t aev;
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Households by person, and members by household (CSR). */
static enum cd_code load_households(struct trace_session *s,
				    struct cd_err *err)
{
	struct store_person_key *pk;
	size_t n;
	enum cd_code rc = store_person_keys(s->st, &pk, &n, err);
	if (rc)
		return rc;
	size_t slots = 1, hslots = 1;
	for (size_t i = 0; i < n; i++) {
		if (pk[i].id + 1 > slots)
			slots = pk[i].id + 1;
		if (pk[i].household + 1 > hslots)
			hslots = pk[i].household + 1;
	}
	s->household = xcalloc(slots, sizeof *s->household);
	s->hh_off = xcalloc(hslots + 1, sizeof *s->hh_off);
	s->hh_members = xmalloc((n ? n : 1) * sizeof *s->hh_members);
	for (size_t i = 0; i < n; i++) {
		s->household[pk[i].id] = pk[i].household;
		s->hh_off[pk[i].household + 1]++;
	}
	for (size_t h = 0; h < hslots; h++)
		s->hh_off[h + 1] += s->hh_off[h];
	uint64_t *fill = xcalloc(hslots, sizeof *fill);
	for (size_t i = 0; i < n; i++) {
		uint32_t h = pk[i].household;
		s->hh_members[s->hh_off[h] + fill[h]++] = pk[i].id;
	}
	free(fill);
	free(pk);
	s->w.household = s->household;
	s->w.nperson_slots = slots;
	s->w.hh_off = s->hh_off;
	s->w.hh_members = s->hh_members;
	s->w.nhh_slots = hslots;
	return CD_OK;
}

static enum cd_code load_venues(struct trace_session *s, struct cd_err *err)
{
	struct store_venue_key *vk;
	size_t n, slots = 1;
	enum cd_code rc = store_venue_keys(s->st, &vk, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (vk[i].id + 1 > slots)
			slots = vk[i].id + 1;
	s->venue_kind = xcalloc(slots, 1);
	for (size_t i = 0; i < n; i++)
		s->venue_kind[vk[i].id] = (unsigned char)vk[i].kind;
	free(vk);
	s->w.venue_kind = s->venue_kind;
	s->w.nvenue_slots = slots;
	return CD_OK;
}

enum cd_code trace_session_open(struct store *st, const struct rules *rules,
				int64_t now, struct trace_session **out,
				struct cd_err *err)
{
	struct trace_session *s = xcalloc(1, sizeof *s);
	enum cd_code rc = CD_OK;
	size_t ntrips;
	s->st = st;
	s->rules = rules;
	s->now = now;
	s->w.rules = rules;
	/* Checkpoint passes recorded since are presence too. */
	rc = presence_merge_passes(st, err);
	for (int i = 0; i < PS_COUNT && !rc; i++)
		rc = store_presence_open(st, (enum psource)i, &s->w.src[i], err);
	if (!rc)
		rc = load_households(s, err);
	if (!rc)
		rc = load_venues(s, err);
	if (!rc)
		rc = store_trip_modes(st, &s->trip_mode, &ntrips, err);
	if (!rc) {
		s->w.trip_mode = s->trip_mode;
		s->w.ntrip_slots = ntrips;
		s->is_case = xcalloc(s->w.nperson_slots, 1);
		s->w.is_case = s->is_case;
		rc = store_case_persons(st, s->is_case, s->w.nperson_slots, err);
	}
	if (rc) {
		trace_session_free(s);
		return rc;
	}
	s->tracer = tracer_new(&s->w);
	*out = s;
	return CD_OK;
}

const struct trace_world *trace_session_world(const struct trace_session *s)
{
	return &s->w;
}

void trace_session_free(struct trace_session *s)
{
	if (!s)
		return;
	tracer_free(s->tracer);
	free(s->household);
	free(s->hh_members);
	free(s->hh_off);
	free(s->venue_kind);
	free(s->trip_mode);
	free(s->is_case);
	free(s->contacts);
	free(s->ev);
	free(s);
}

/* The case's number from a number or a resident ID. */
static enum cd_code resolve(struct trace_session *s, const char *which,
			    struct store_case_view *v, struct cd_err *err)
{
	if (case_number_valid(which))
		return store_case_get(s->st, which, v, err);
	return store_case_get_by_rid(s->st, which, v, err);
}

static void clamp_ptime(int64_t t, uint32_t *out)
{
	if (!ptime_from(t, out))
		*out = t < PTIME_BASE ? 0 : UINT32_MAX;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct store_evidence *x = a, *y = b;
	int c;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if ((c = strcmp(x->kind, y->kind)) || (c = strcmp(x->category,
							    y->category)))
		return c;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* One evidence row per person, kind, category, link and place: the
 * first start, the last end and the time together summed (a companion's
 * stays in one cell, a contact's visits to one venue). */
static size_t merge_evidence(struct store_evidence *e, size_t n)
{
	size_t m = 0;
	sort_array(e, n, sizeof *e, ev_cmp);
	for (size_t i = 0; i < n; i++) {
		struct store_evidence *p = m ? &e[m - 1] : NULL;
		if (p && p->person == e[i].person && p->via == e[i].via &&
		    p->place == e[i].place && !strcmp(p->kind, e[i].kind) &&
		    !strcmp(p->category, e[i].category)) {
			if (e[i].end > p->end)
				p->end = e[i].end;
			p->overlap += e[i].overlap;
			continue;
		}
		e[m++] = e[i];
	}
	return m;
}

static enum cd_code save(struct trace_session *s, int64_t case_id,
			 const struct trace_result *r,
			 struct store_trace_diff *d, struct cd_err *err)
{
	s->contacts = xgrow(s->contacts, sizeof *s->contacts,
			    r->ncontacts + 1, &s->acontacts);
	for (size_t i = 0; i < r->ncontacts; i++) {
		const struct trace_contact *c = &r->contacts[i];
		struct store_contact *o = &s->contacts[i];
		memset(o, 0, sizeof *o);
		o->person = c->person;
		o->via = c->via;
		snprintf(o->category, sizeof o->category, "%s",
			 contact_cat_name((enum contact_cat)c->cat));
		o->first = ptime_to(c->first);
		o->last = ptime_to(c->last);
		o->is_case = c->is_case;
	}
	s->ev = xgrow(s->ev, sizeof *s->ev, r->nev + 1, &s->aev);
	for (size_t i = 0; i < r->nev; i++) {
		const struct trace_evidence *e = &r->ev[i];
		s->ev[i] = (struct store_evidence){
			e->person, e->via,
			evidence_kind_name((enum evidence_kind)e->kind),
			contact_cat_name((enum contact_cat)e->cat), e->place,
			ptime_to(e->start), ptime_to(e->end), e->overlap,
			e->detail
		};
	}
	size_t nev = merge_evidence(s->ev, r->nev);
	return store_contacts_replace(s->st, case_id, s->contacts,
				      r->ncontacts, s->ev, nev, s->now, d,
				      err);
}

/* Codes of the case, its contacts now, and its contacts before. */
static enum cd_code refresh_codes(struct trace_session *s, uint32_t person,
				  const struct trace_result *r,
				  const uint32_t *before, size_t nbefore,
				  struct codes_summary *sum, struct cd_err *err)
{
	size_t n = 0;
	uint32_t *ids = xmalloc((r->ncontacts + nbefore + 1) * sizeof *ids);
	ids[n++] = person;
	for (size_t i = 0; i < r->ncontacts; i++)
		ids[n++] = r->contacts[i].person;
	for (size_t i = 0; i < nbefore; i++)
		ids[n++] = before[i];
	enum cd_code rc = codes_refresh(s->st, s->rules, ids, n, s->now, sum,
					err);
	free(ids);
	return rc;
}

enum cd_code trace_session_case(struct trace_session *s, const char *which,
				int save_it, struct trace_report *rep,
				const struct trace_result **res,
				struct cd_err *err)
{
	struct store_case_view v;
	int64_t case_id, from, to;
	uint32_t person;
	uint32_t *manual = NULL;
	size_t nmanual = 0;
	enum cd_code rc;
	memset(rep, 0, sizeof *rep);
	if ((rc = resolve(s, which, &v, err)) ||
	    (rc = store_case_ids(s->st, v.c.number, &case_id, &person, err)) ||
	    (rc = case_trace_window(&v.c, s->rules->tracing.lookback_days,
				    s->now, &from, &to, err)) ||
	    (rc = store_manual_list(s->st, case_id, &manual, &nmanual, err)))
		goto done;
	snprintf(rep->number, sizeof rep->number, "%s", v.c.number);
	rep->from = from;
	rep->to = to;
	struct trace_manual *m = xcalloc(nmanual + 1, sizeof *m);
	for (size_t i = 0; i < nmanual; i++)
		m[i].person = manual[i];
	struct trace_input in = { person, 0, 0, 0, m, nmanual, NULL };
	clamp_ptime(from, &in.from);
	clamp_ptime(to, &in.to);
	clamp_ptime(s->now, &in.now);
	struct timespec t0;
	const struct trace_result *r;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tracer_run(s->tracer, &in, &r);
	rep->trace_ms = ms_since(&t0);
	free(m);
	for (int c = 0; c < CAT_COUNT; c++)
		rep->counts[c] = r->counts[c];
	for (size_t i = 0; i < r->ncontacts; i++)
		rep->linked_cases += r->contacts[i].is_case;
	if (save_it) {
		uint32_t *before = NULL;
		size_t nbefore = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = store_contact_persons(s->st, case_id, &before, &nbefore,
					   err);
		if (!rc)
			rc = save(s, case_id, r, &rep->diff, err);
		rep->save_ms = ms_since(&t0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (!rc)
			rc = refresh_codes(s, person, r, before, nbefore,
					   &rep->codes, err);
		rep->codes_ms = ms_since(&t0);
		free(before);
	}
	if (res)
		*res = r;
done:
	free(manual);
	return rc;
}
