/* json_views.h — JSON shapes that `cordon ... --json` and the HTTP API's
 * replies have in common, built once: instants and dates, a zone's areas,
 * next step and log entries, a quarantine plan's scheduled tests, and a
 * tube's result, a member's re-sample and a certificate's tests. Each
 * returns a new reference. */
#ifndef CORDON_JSON_VIEWS_H
#define CORDON_JSON_VIEWS_H

#include <jansson.h>

#include "app/quarantine_run.h"
#include "app/testing_import.h"
#include "app/zones_run.h"

/* An instant as ISO 8601 in CST ("2022-03-30T10:58:00+08:00"); null for
 * 0. */
json_t *json_view_time(int64_t t);
/* A date (days since the epoch) as "YYYY-MM-DD"; null for 0. */
json_t *json_view_date(int32_t day);

/* A zone's area: {kind, code, name}. */
json_t *json_view_zone_area(const struct store_zone_area *a);
/* The next step of an active zone: {to, earliest, ready, conditions}. */
json_t *json_view_zone_step(const struct rules *r, const struct zones_view *v);
/* An entry of a zone's log: {at, by, action, proposal, zone, detail,
 * forced}. */
json_t *json_view_zone_log(const struct store_zone_log *l);

/* A plan's dates added to j: "last_exposure", "central_end", "home_end",
 * "monitoring_end", "quarantine_end", "ended_on", and "previous" (the
 * plan it replaced, null when none). */
void json_view_quarantine_dates(json_t *j, const struct store_quarantine *q);
/* The scheduled tests of plan p, [{part, day, date, outcome}], with their
 * outcomes from samples s[0..ns) as of today. */
json_t *json_view_quarantine_tests(const struct quarantine_plan *p,
				   const struct quarantine_sample *s,
				   size_t ns, int32_t today);

/* A tube's result, {result, lab, result_at}; null while it has none. */
json_t *json_view_testing_result(const struct store_sample *s);
/* A member's latest re-sample, {tube, result}; null when none. */
json_t *json_view_testing_retest(const struct store_pool_member *m);
/* A tested tube of a certificate: {tube, pool_size, sampled_at,
 * result_at, result}. */
json_t *json_view_testing_hist(const struct testing_hist *h);
/* A certificate's windows: [{hours, within}]. */
json_t *json_view_testing_windows(const struct testing_cert *c);

#endif
