/* trace_run.h — tracing cases against the store: assemble the world
 * (presence segments, households, venue kinds, trip modes, who is a case),
 * trace, and keep the contacts with their evidence. Shared by the CLI and
 * the HTTP API. */
#ifndef CORDON_TRACE_RUN_H
#define CORDON_TRACE_RUN_H

#include "app/codes_run.h"
#include "domain/cases.h"
#include "domain/trace.h"
#include "store/store.h"

struct trace_session;

/* Load everything the tracer reads. rules must outlive the session. now
 * ends the windows of cases and contacts not isolated. */
enum cd_code trace_session_open(struct store *st, const struct rules *rules,
				int64_t now, struct trace_session **out,
				struct cd_err *err);
void trace_session_free(struct trace_session *s);
/* The world the session traces in (for benchmarks and tests). */
const struct trace_world *trace_session_world(const struct trace_session *s);

struct trace_report {
	char number[CASE_NUMBER_MAX];
	int64_t from, to;               /* the case's window, Unix seconds */
	size_t counts[CAT_COUNT];       /* contacts who are not cases */
	long linked_cases;              /* contacts who are cases themselves */
	struct store_trace_diff diff;   /* against the previous trace */
	struct codes_summary codes;     /* the affected people's codes */
	double trace_ms, save_ms, codes_ms;
};

/* Trace the case (a number like 430422-C0001, or a resident ID) and, when
 * save is set, replace its stored contacts and recompute the health codes
 * of exactly the people affected: the case, its contacts now and its
 * contacts before. *res (may be NULL) is valid until the next call. */
enum cd_code trace_session_case(struct trace_session *s, const char *which,
				int save, struct trace_report *rep,
				const struct trace_result **res,
				struct cd_err *err);

#endif
