/* trace.h — contact tracing (联查): from a case to every close contact,
 * secondary close contact, spatiotemporal companion and venue-exposed
 * person, with the evidence for each.
 *
 * Pure: works over presence indexes (presence.h), the household of every
 * person, venue kinds, trip modes and the rules, all passed in. A tracer
 * keeps scratch space sized to the county and is reused across cases. */
#ifndef CORDON_TRACE_H
#define CORDON_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/presence.h"
#include "domain/rules.h"

/* Strongest first: a person reached several ways keeps the lowest. */
enum contact_cat {
	CAT_CLOSE,      /* 密切接触者 */
	CAT_SECONDARY,  /* 密接的密接 */
	CAT_COMPANION,  /* 时空伴随者 */
	CAT_GENERAL,    /* 一般接触者 / venue-exposed */
	CAT_COUNT
};

enum evidence_kind {
	EV_HOUSEHOLD, EV_VENUE, EV_TRIP, EV_CELL, EV_PROXIMITY, EV_MANUAL,
	EV_COUNT
};

/* Everything the tracer reads. Ids are the registry's; arrays indexed by
 * id hold 0 / a default where an id is unused. */
struct trace_world {
	struct pindex src[PS_COUNT];
	const uint32_t *household;     /* by person id; 0 = none */
	size_t nperson_slots;          /* largest person id + 1 */
	const uint64_t *hh_off;        /* members by household id (CSR) */
	const uint32_t *hh_members;
	size_t nhh_slots;              /* largest household id + 1 */
	const unsigned char *venue_kind; /* enum venue_kind by venue id */
	size_t nvenue_slots;
	const unsigned char *trip_mode;  /* enum trip_mode by trip id */
	size_t ntrip_slots;
	const unsigned char *is_case;  /* by person id: 1 for a case */
	const struct rules *rules;
};

struct trace_manual {
	uint32_t person;
};

/* One case to trace: its person and window [from, to) in presence time
 * (ptime_from). A close contact's own window, for secondary contacts,
 * runs from their first close exposure to the case until isolated[person]
 * (may be NULL; 0 = not isolated) or else until now. */
struct trace_input {
	uint32_t person;
	uint32_t from, to, now;
	const struct trace_manual *manual;
	size_t nmanual;
	const uint32_t *isolated;   /* by person id, or NULL */
};

struct trace_evidence {
	uint32_t person;            /* who was exposed */
	uint32_t via;               /* the close contact, for secondary; 0 */
	unsigned char kind;         /* enum evidence_kind */
	unsigned char cat;          /* what this evidence establishes */
	uint32_t place;             /* venue, trip or cell; 0 */
	uint32_t start, end;        /* the exposure (presence time) */
	uint32_t overlap;           /* seconds together */
	uint32_t detail;            /* trips: carriage << 16 | row */
};

struct trace_contact {
	uint32_t person;
	unsigned char cat;
	unsigned char is_case;      /* the person is a case: a link, not new */
	uint32_t via;               /* secondary: the linking close contact */
	uint32_t first, last;       /* first and last exposure, over the
				       evidence of this category */
};

struct trace_result {
	struct trace_contact *contacts; /* ordered by category, then person */
	size_t ncontacts;
	struct trace_evidence *ev;       /* ordered as found */
	size_t nev;
	size_t counts[CAT_COUNT];        /* contacts that are not cases */
};

struct tracer;

/* A tracer for a world; the world's arrays must outlive it. */
struct tracer *tracer_new(const struct trace_world *w);
void tracer_free(struct tracer *t);
/* Trace one case into r (owned by the tracer until the next call). */
void tracer_run(struct tracer *t, const struct trace_input *in,
		const struct trace_result **r);

const char *contact_cat_name(enum contact_cat c);
const char *contact_cat_zh(enum contact_cat c);
const char *evidence_kind_name(enum evidence_kind k);
/* End of a scan row: its check-out, or start + the kind's dwell. */
uint32_t trace_scan_end(const struct rules *r, enum venue_kind k,
			const struct prow *row);

#endif
