/* zones_run.h — risk zones against the store: propose zones from cases,
 * confirm, edit or reject a proposal, see a zone with its next step and
 * lift it by the profile's rules (domain/zones.h), keeping every change
 * with who and when; recompute the codes of the residents a change
 * affects. Shared by the CLI and the HTTP API. docs/zones.md describes
 * the model. */
#ifndef CORDON_ZONES_RUN_H
#define CORDON_ZONES_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/zones.h"
#include "store/store.h"

#define ZONES_CASES_MAX 64     /* cases of one proposal */
#define ZONES_EDIT_MAX 64      /* areas added or removed in one edit */

/* Who acts, and when. */
struct zones_actor {
	const char *name;       /* a person: "--by", else the login name */
	int64_t now;
};

/* Parse "Z0001"/"Z1" into a zone id and "P0001"/"P1" into a proposal id
 * (letter = 'Z' or 'P'); CD_EINVAL otherwise. */
enum cd_code zones_parse_id(const char *s, char letter, int64_t *id,
			    struct cd_err *err);

/* Propose zones from cases[0..n) (case numbers): sealed (high) = each
 * case's hamlet plus the venues of frequent activity in its tracing
 * window; controlled (medium) = their villages, when the profile draws
 * them; precaution (low) = their towns (precaution_level UNIT_TOWN) or
 * counties (UNIT_COUNTY), not drawn under v9 when every case is
 * imported. Areas already inside an active zone of the same or a higher
 * level are left out. One transaction; *proposal receives the id.
 * CD_ENOTFOUND for an unknown case; CD_ERULE for a suspected case or
 * when nothing is left to propose. */
enum cd_code zones_propose(struct store *st, const struct rules *r,
			   const char *const *cases, size_t n,
			   enum unit_level precaution_level,
			   const struct zones_actor *a, int64_t *proposal,
			   struct cd_err *err);

/* Confirm open proposal id: its zones become active (a "convert"
 * proposal turns its controlled zone sealed), then the residents' codes
 * are recomputed. CD_ECONFLICT when it is not open; CD_ERULE when the
 * zone to convert is no longer an active controlled zone. */
enum cd_code zones_confirm(struct store *st, const struct rules *r,
			   int64_t proposal, const struct zones_actor *a,
			   struct cd_err *err);
/* Reject open proposal id with a reason (required). */
enum cd_code zones_reject(struct store *st, int64_t proposal,
			  const char *reason, const struct zones_actor *a,
			  struct cd_err *err);
/* Add and remove areas (unit codes, or venue codes) of a proposed or
 * active zone, in one transaction; residents are recounted and, for an
 * active zone, codes recomputed. CD_ERULE for a lifted or rejected zone,
 * or an active zone left without areas. */
enum cd_code zones_edit(struct store *st, const struct rules *r,
			int64_t zone, const char *const *add, size_t nadd,
			const char *const *remove, size_t nremove,
			const struct zones_actor *a, struct cd_err *err);

/* A zone with the facts of its clock and its next step today. */
struct zones_view {
	struct store_zone z;
	struct zone_facts f;
	struct zone_round *rounds;      /* owned */
	struct zone_step step;          /* for an active zone */
	int32_t today;
};
enum cd_code zones_view_get(struct store *st, const struct rules *r,
			    int64_t zone, int64_t now, struct zones_view *out,
			    struct cd_err *err);
void zones_view_release(struct zones_view *v);

/* Take the next step of active zone id (downgrade or lift). Refused with
 * CD_ERULE, naming every condition that does not hold, unless force with
 * a reason (kept in the log). Precaution (low) zones with no sealed or
 * controlled zone left within them are then lifted too. *to receives the
 * level after the step (ZONE_NONE = lifted). Codes are recomputed. */
enum cd_code zones_lift(struct store *st, const struct rules *r,
			int64_t zone, bool force, const char *reason,
			const struct zones_actor *a, enum zone_level *to,
			struct cd_err *err);

/* Open "convert" proposals for new cases inside controlled zones
 * (store_zone_sync_conversions), logged; *added counts them. */
enum cd_code zones_sync(struct store *st, const struct zones_actor *a,
			long *added, struct cd_err *err);

/* The unit areas of active zone id, comma-separated into buf, and its
 * level: the targets of a testing round over the zone. CD_ERULE when the
 * zone is not active or has no unit areas. */
enum cd_code zones_round_units(struct store *st, int64_t zone, char *buf,
			       size_t len, enum zone_level *level,
			       struct cd_err *err);

#endif
