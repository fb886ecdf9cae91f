/* trace.c — the tracer: one pass from the case over household, venue
 * scans, rides, cell stays, proximity and manual additions; then, for
 * each close contact, a second pass over their close-type exposures from
 * their first exposure until their isolation. */
#include "domain/trace.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

struct acc {
	uint32_t person;
	unsigned char cat;     /* best so far; CAT_COUNT = none yet */
	uint32_t via;
	uint32_t first, last;
	uint64_t cell_sum;     /* seconds in the case's cells */
	uint64_t prox_sum;     /* seconds near the person being traced */
	uint32_t prox_gen;     /* which pass prox_sum belongs to */
};

struct tracer {
	const struct trace_world *w;
	uint32_t gen, prox_gen;
	uint32_t *stamp, *slot;       /* by person id */
	struct acc *acc;
	size_t nacc, aacc;
	struct trace_evidence *ev;
	size_t nev, aev;
	struct trace_contact *out;
	size_t aout;
	uint32_t *close;              /* close contacts for the second pass */
	size_t nclose, aclose;
	struct trace_result res;
	uint32_t max_dwell;           /* seconds, over all venue kinds */
};

const char *contact_cat_name(enum contact_cat c)
{
	static const char *const n[] = { "close", "secondary", "companion",
					 "general" };
	return c < CAT_COUNT ? n[c] : "?";
}

const char *contact_cat_zh(enum contact_cat c)
{
	static const char *const n[] = { "密切接触者", "次密接", "时空伴随者",
					 "一般接触者" };
	return c < CAT_COUNT ? n[c] : "?";
}

const char *evidence_kind_name(enum evidence_kind k)
{
	static const char *const n[] = { "household", "venue", "trip", "cell",
					 "proximity", "manual" };
	return k < EV_COUNT ? n[k] : "?";
}

uint32_t trace_scan_end(const struct rules *r, enum venue_kind k,
			const struct prow *row)
{
	if (row->end > row->start)
		return row->end;
	return row->start + (uint32_t)r->tracing.dwell_minutes[k] * 60;
}

struct tracer *tracer_new(const struct trace_world *w)
{
	struct tracer *t = xcalloc(1, sizeof *t);
	size_t n = w->nperson_slots ? w->nperson_slots : 1;
	t->w = w;
	t->stamp = xcalloc(n, sizeof *t->stamp);
	t->slot = xcalloc(n, sizeof *t->slot);
	for (int k = 0; k < VK_COUNT; k++) {
		uint32_t d = (uint32_t)w->rules->tracing.dwell_minutes[k] * 60;
		if (d > t->max_dwell)
			t->max_dwell = d;
	}
	return t;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	free(t->stamp);
	free(t->slot);
	free(t->acc);
	free(t->ev);
	free(t->out);
	free(t->close);
	free(t);
}

static struct acc *acc_of(struct tracer *t, uint32_t person)
{
	if (person >= t->w->nperson_slots)
		return NULL;
	if (t->stamp[person] != t->gen) {
		t->stamp[person] = t->gen;
		t->slot[person] = (uint32_t)t->nacc;
		t->acc = xgrow(t->acc, sizeof *t->acc, t->nacc + 1, &t->aacc);
		struct acc *a = &t->acc[t->nacc++];
		memset(a, 0, sizeof *a);
		a->person = person;
		a->cat = CAT_COUNT;
		a->first = UINT32_MAX;
	}
	return &t->acc[t->slot[person]];
}

/* Record an exposure and keep the person's strongest category. First and
 * last exposure are worked out at the end from the evidence of the final
 * category, so they do not depend on the order of discovery. */
static void note(struct tracer *t, const struct trace_evidence *e)
{
	struct acc *a = acc_of(t, e->person);
	if (!a)
		return;
	if (e->cat < a->cat) {
		a->cat = e->cat;
		a->via = e->via;
	}
	t->ev = xgrow(t->ev, sizeof *t->ev, t->nev + 1, &t->aev);
	t->ev[t->nev++] = *e;
}

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The person who is being traced from, its window, and what the pass may
 * establish: the case (all categories) or a close contact (secondary). */
struct pass {
	uint32_t self, via, from, to;
	int secondary;
	uint32_t skip;              /* the case's person, never a contact */
};

static int skip(const struct pass *p, uint32_t person)
{
	return person == p->self || person == p->skip;
}

static void household(struct tracer *t, const struct pass *p)
{
	const struct trace_world *w = t->w;
	uint32_t hh = p->self < w->nperson_slots ? w->household[p->self] : 0;
	if (!hh || hh >= w->nhh_slots)
		return;
	for (uint64_t i = w->hh_off[hh]; i < w->hh_off[hh + 1]; i++) {
		uint32_t m = w->hh_members[i];
		if (skip(p, m))
			continue;
		struct trace_evidence e = { m, p->via, EV_HOUSEHOLD,
					    p->secondary ? CAT_SECONDARY
							 : CAT_CLOSE,
					    hh, p->from, p->to, p->to - p->from,
					    0 };
		note(t, &e);
	}
}

/* Overlap of q with the visit [a, b) at a venue of kind k. */
static uint32_t overlap_with(const struct rules *r, enum venue_kind k,
			     uint32_t a, uint32_t b, const struct prow *q)
{
	uint32_t qa = max32(a, q->start), qb = min32(b, trace_scan_end(r, k, q));
	return qb > qa ? qb - qa : 0;
}

/* Everyone at the venue of one of self's visits, overlapping it. At an
 * enclosed venue those over the threshold are close, unless there were
 * more of them than the crowd limit: then the venue code cannot tell who
 * shared the room, and all are venue-exposed. */
static void venue_visit(struct tracer *t, const struct pass *p,
			const struct prow *v)
{
	const struct trace_world *w = t->w;
	const struct rules *r = w->rules;
	const struct pindex *ix = &w->src[PS_SCANS];
	enum venue_kind k = v->key < w->nvenue_slots
				    ? (enum venue_kind)w->venue_kind[v->key]
				    : VK_SHOP;
	uint32_t a = max32(v->start, p->from);
	uint32_t b = min32(trace_scan_end(r, k, v), p->to);
	if (b <= a)
		return;
	size_t n;
	const struct prow *rows = pindex_key(ix, v->key, &n);
	uint32_t back = max32(ix->max_span, t->max_dwell);
	size_t first = pindex_lower(rows, n, a > back ? a - back : 0), i;
	uint32_t need = (uint32_t)r->tracing.overlap_minutes[k] * 60;
	int enclosed = r->tracing.enclosed[k];
	if (enclosed && r->tracing.crowd_limit > 0) {
		long crowd = 0;
		for (i = first; i < n && rows[i].start < b; i++)
			crowd += !skip(p, rows[i].person) &&
				 overlap_with(r, k, a, b, &rows[i]) >= need;
		enclosed = crowd <= r->tracing.crowd_limit;
	}
	for (i = first; i < n && rows[i].start < b; i++) {
		const struct prow *q = &rows[i];
		uint32_t ov = overlap_with(r, k, a, b, q);
		if (skip(p, q->person) || !ov)
			continue;
		int close = enclosed && ov >= need;
		if (p->secondary && !close)
			continue;
		struct trace_evidence e = {
			q->person, p->via, EV_VENUE,
			close ? (p->secondary ? CAT_SECONDARY : CAT_CLOSE)
			      : CAT_GENERAL,
			v->key, max32(a, q->start), max32(a, q->start) + ov, ov,
			0
		};
		note(t, &e);
	}
}

static void ride(struct tracer *t, const struct pass *p, const struct prow *v)
{
	const struct trace_world *w = t->w;
	if (v->start < p->from || v->start >= p->to)
		return;
	int rail = v->key < w->ntrip_slots && w->trip_mode[v->key] == TRIP_RAIL;
	int rows_ok = rail ? w->rules->tracing.rail_seat_rows
			   : w->rules->tracing.bus_seat_rows;
	size_t n;
	const struct prow *rows = pindex_key(&w->src[PS_RIDES], v->key, &n);
	for (size_t i = 0; i < n; i++) {
		const struct prow *q = &rows[i];
		if (skip(p, q->person))
			continue;
		int same_car = (q->aux >> 16) == (v->aux >> 16);
		int d = (int)(q->aux & 0xffff) - (int)(v->aux & 0xffff);
		int close = same_car && (d < 0 ? -d : d) <= rows_ok;
		if (p->secondary && !close)
			continue;
		struct trace_evidence e = {
			q->person, p->via, EV_TRIP,
			close ? (p->secondary ? CAT_SECONDARY : CAT_CLOSE)
			      : CAT_GENERAL,
			v->key, v->start, v->start, 0, q->aux
		};
		note(t, &e);
	}
}

static void cells(struct tracer *t, const struct pass *p, const struct prow *v)
{
	const struct pindex *ix = &t->w->src[PS_CELLS];
	uint32_t a = max32(v->start, p->from), b = min32(v->end, p->to);
	if (b <= a)
		return;
	size_t n;
	const struct prow *rows = pindex_key(ix, v->key, &n);
	size_t i = pindex_lower(rows, n, a > ix->max_span ? a - ix->max_span : 0);
	for (; i < n && rows[i].start < b; i++) {
		const struct prow *q = &rows[i];
		uint32_t qa = max32(a, q->start), qb = min32(b, q->end);
		if (skip(p, q->person) || qb <= qa)
			continue;
		struct acc *c = acc_of(t, q->person);
		if (!c)
			continue;
		c->cell_sum += qb - qa;
		/* Evidence now; the category is decided on the sum. */
		struct trace_evidence e = { q->person, 0, EV_CELL, CAT_COUNT,
					    v->key, qa, qb, qb - qa, 0 };
		t->ev = xgrow(t->ev, sizeof *t->ev, t->nev + 1, &t->aev);
		t->ev[t->nev++] = e;
	}
}

/* Cumulative proximity with each other person within the window. */
static void proximity(struct tracer *t, const struct pass *p)
{
	const struct trace_world *w = t->w;
	const struct pindex *ix = &w->src[PS_PROXIMITY];
	uint32_t need = (uint32_t)w->rules->tracing.proximity_minutes * 60;
	size_t n, first = t->nev;
	const uint32_t *rows = pindex_person(ix, p->self, &n);
	t->prox_gen++;
	for (size_t i = 0; i < n; i++) {
		const struct prow *q = &ix->rows[rows[i]];
		uint32_t a = max32(q->start, p->from), b = min32(q->end, p->to);
		struct acc *c;
		if (b <= a || skip(p, q->key) || !(c = acc_of(t, q->key)))
			continue;
		if (c->prox_gen != t->prox_gen)
			c->prox_gen = t->prox_gen, c->prox_sum = 0;
		c->prox_sum += b - a;
		struct trace_evidence e = { q->key, p->via, EV_PROXIMITY,
					    CAT_COUNT, 0, a, b, b - a, 0 };
		t->ev = xgrow(t->ev, sizeof *t->ev, t->nev + 1, &t->aev);
		t->ev[t->nev++] = e;
	}
	/* Decide on the sums, then record each piece of evidence. */
	size_t last = t->nev;
	for (size_t i = first; i < last; i++) {
		struct trace_evidence e = t->ev[i];
		int close = acc_of(t, e.person)->prox_sum >= need;
		e.cat = close ? (p->secondary ? CAT_SECONDARY : CAT_CLOSE)
			      : CAT_GENERAL;
		if (p->secondary && !close)
			e.cat = CAT_COUNT;
		t->ev[i] = e;
	}
	for (size_t i = first; i < last; i++) {
		struct trace_evidence e = t->ev[i];
		if (e.cat == CAT_COUNT)
			continue;
		struct acc *a = acc_of(t, e.person);
		if (e.cat < a->cat)
			a->cat = e.cat, a->via = e.via;
	}
}

/* self's own rows of a source, in start order. */
static const uint32_t *own(const struct tracer *t, enum psource s,
			   uint32_t person, size_t *n)
{
	return pindex_person(&t->w->src[s], person, n);
}

static void pass_run(struct tracer *t, const struct pass *p)
{
	const struct trace_world *w = t->w;
	size_t n;
	const uint32_t *r;
	household(t, p);
	r = own(t, PS_SCANS, p->self, &n);
	for (size_t i = 0; i < n; i++)
		venue_visit(t, p, &w->src[PS_SCANS].rows[r[i]]);
	r = own(t, PS_RIDES, p->self, &n);
	for (size_t i = 0; i < n; i++)
		ride(t, p, &w->src[PS_RIDES].rows[r[i]]);
	proximity(t, p);
	if (p->secondary)
		return;
	r = own(t, PS_CELLS, p->self, &n);
	for (size_t i = 0; i < n; i++)
		cells(t, p, &w->src[PS_CELLS].rows[r[i]]);
}

/* Companions: whoever's cell time with the case reached the threshold. */
static void companions(struct tracer *t)
{
	uint32_t need = (uint32_t)t->w->rules->tracing.companion_minutes * 60;
	for (size_t i = 0; i < t->nev; i++) {
		struct trace_evidence *e = &t->ev[i];
		if (e->kind != EV_CELL)
			continue;
		struct acc *a = acc_of(t, e->person);
		if (a->cell_sum < need) {
			e->cat = CAT_COUNT;
			continue;
		}
		e->cat = CAT_COMPANION;
		if (CAT_COMPANION < a->cat)
			a->cat = CAT_COMPANION, a->via = 0;
	}
}

/* Each person's first and last exposure over the evidence of their
 * category (evidence from ev[0] up to ev[upto]). */
static void spans(struct tracer *t, size_t upto)
{
	for (size_t i = 0; i < t->nacc; i++) {
		t->acc[i].first = UINT32_MAX;
		t->acc[i].last = 0;
	}
	for (size_t i = 0; i < upto; i++) {
		const struct trace_evidence *e = &t->ev[i];
		struct acc *a = acc_of(t, e->person);
		if (e->cat != a->cat)
			continue;
		if (e->start < a->first)
			a->first = e->start;
		if (e->end > a->last)
			a->last = e->end;
	}
}

/* The second hop. Each close contact's window starts at their first
 * close exposure to the case, fixed before any of them is traced. */
static void second_hop(struct tracer *t, const struct trace_input *in)
{
	const struct trace_world *w = t->w;
	spans(t, t->nev);
	t->nclose = 0;
	for (size_t i = 0; i < t->nacc; i++) {
		const struct acc *a = &t->acc[i];
		if (a->cat != CAT_CLOSE || (w->is_case && w->is_case[a->person]))
			continue;
		t->close = xgrow(t->close, sizeof *t->close, t->nclose + 2,
				 &t->aclose);
		t->close[t->nclose++] = a->person;
		t->close[t->nclose++] = a->first;
	}
	for (size_t i = 0; i < t->nclose; i += 2) {
		uint32_t q = t->close[i];
		uint32_t iso = in->isolated ? in->isolated[q] : 0;
		struct pass p = { q, q, t->close[i + 1], iso ? iso : in->now, 1,
				  in->person };
		if (p.to > p.from)
			pass_run(t, &p);
	}
}

static int contact_cmp(const void *x, const void *y)
{
	const struct trace_contact *a = x, *b = y;
	if (a->cat != b->cat)
		return a->cat - b->cat;
	return (a->person > b->person) - (a->person < b->person);
}

static void collect(struct tracer *t)
{
	const struct trace_world *w = t->w;
	struct trace_result *r = &t->res;
	size_t m = 0;
	memset(r, 0, sizeof *r);
	spans(t, t->nev);
	t->out = xgrow(t->out, sizeof *t->out, t->nacc + 1, &t->aout);
	for (size_t i = 0; i < t->nacc; i++) {
		const struct acc *a = &t->acc[i];
		if (a->cat >= CAT_COUNT)
			continue;
		struct trace_contact *c = &t->out[m++];
		c->person = a->person;
		c->cat = a->cat;
		c->via = a->cat == CAT_SECONDARY ? a->via : 0;
		c->first = a->first;
		c->last = a->last;
		c->is_case = w->is_case && w->is_case[a->person];
		if (!c->is_case)
			r->counts[a->cat]++;
	}
	sort_array(t->out, m, sizeof *t->out, contact_cmp);
	/* Evidence that established nothing (short cell or proximity
	 * time) is dropped. */
	size_t k = 0;
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].cat < CAT_COUNT)
			t->ev[k++] = t->ev[i];
	t->nev = k;
	r->contacts = t->out;
	r->ncontacts = m;
	r->ev = t->ev;
	r->nev = t->nev;
}

void tracer_run(struct tracer *t, const struct trace_input *in,
		const struct trace_result **r)
{
	t->gen++;
	t->nacc = t->nev = 0;
	struct pass p = { in->person, 0, in->from, in->to, 0, in->person };
	pass_run(t, &p);
	for (size_t i = 0; i < in->nmanual; i++) {
		uint32_t m = in->manual[i].person;
		if (m == in->person)
			continue;
		struct trace_evidence e = { m, 0, EV_MANUAL, CAT_CLOSE, 0,
					    in->from, in->to, 0, 0 };
		note(t, &e);
	}
	companions(t);
	if (t->w->rules->tracing.secondary)
		second_hop(t, in);
	collect(t);
	*r = &t->res;
}
