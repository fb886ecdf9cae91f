/* zones_run.c — propose, confirm, edit, reject, see and lift risk zones
 * (zones_run.h). Every change is written with its log rows in one
 * transaction; codes are recomputed after the commit (they are derived:
 * a crash in between leaves codes that the next recompute corrects). */
#include "app/zones_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codes_run.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

#define VENUES_MAX 256

static int32_t cst_day(int64_t t)
{
	return (int32_t)((t + CD_CST_OFFSET) / 86400);
}

/* 00:00 CST of the day of t. */
static int64_t day_start(int64_t t)
{
	return (int64_t)cst_day(t) * 86400 - CD_CST_OFFSET;
}

enum cd_code zones_parse_id(const char *s, char letter, int64_t *id,
			    struct cd_err *err)
{
	int64_t v = 0;
	size_t i = 1;
	if ((s[0] != letter && s[0] != letter + ('a' - 'A')) || !s[1])
		goto bad;
	for (; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i > 9)
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	if (v == 0)
		goto bad;
	*id = v;
	return CD_OK;
bad:
	return cd_err_set(err, CD_EINVAL, "'%s' is not a %s (%c0001)", s,
			  letter == 'Z' ? "zone" : "zone proposal", letter);
}

static enum cd_code log_add(struct store *st, const struct zones_actor *a,
			    int64_t proposal, int64_t zone, const char *action,
			    bool forced, const char *detail, struct cd_err *err)
{
	struct store_zone_log l;
	memset(&l, 0, sizeof l);
	l.at = a->now;
	snprintf(l.actor, sizeof l.actor, "%s", a->name);
	l.proposal = proposal;
	l.zone = zone;
	snprintf(l.action, sizeof l.action, "%s", action);
	snprintf(l.detail, sizeof l.detail, "%s", detail);
	l.forced = forced;
	return store_zone_log_add(st, &l, err);
}

/* Commit when ret is CD_OK, else roll back; ret or the commit's error. */
static enum cd_code finish(struct store *st, enum cd_code ret,
			   struct cd_err *err)
{
	if (!ret)
		ret = store_commit(st, err);
	if (ret)
		store_rollback(st);
	return ret;
}

/* ---- drawing zones from cases */

struct venue_use {
	char code[VENUE_CODE_MAX];
	int visits;
	int64_t seconds;
};

struct draw {
	const struct rules *r;
	char units[4][ZONES_CASES_MAX][UNIT_CODE_MAX]; /* by level */
	size_t nunits[4];
	struct venue_use venues[VENUES_MAX];    /* this case's visits */
	size_t nvenues;
	char frequent[VENUES_MAX][VENUE_CODE_MAX];
	size_t nfrequent;
	int64_t case_ids[ZONES_CASES_MAX];
	size_t ncases;
	bool local;
};

static void add_unit(struct draw *d, int level, const char *code)
{
	for (size_t i = 0; i < d->nunits[level]; i++)
		if (!strcmp(d->units[level][i], code))
			return;
	if (d->nunits[level] < ZONES_CASES_MAX)
		snprintf(d->units[level][d->nunits[level]++], UNIT_CODE_MAX,
			 "%s", code);
}

static enum cd_code count_visit(void *ctx, const struct store_visit *v)
{
	struct draw *d = ctx;
	if (v->venue.kind == VK_CHECKPOINT)
		return CD_OK;
	int64_t stay = v->t_out > v->t_in
		? v->t_out - v->t_in
		: (int64_t)d->r->tracing.dwell_minutes[v->venue.kind] * 60;
	size_t i = 0;
	while (i < d->nvenues && strcmp(d->venues[i].code, v->venue.code))
		i++;
	if (i == d->nvenues) {
		if (d->nvenues == VENUES_MAX)
			return CD_OK;
		memset(&d->venues[i], 0, sizeof d->venues[i]);
		snprintf(d->venues[i].code, sizeof d->venues[i].code, "%s",
			 v->venue.code);
		d->nvenues++;
	}
	d->venues[i].visits++;
	d->venues[i].seconds += stay;
	return CD_OK;
}

/* The places of frequent activity of the case in its tracing window. */
static enum cd_code frequent_places(struct store *st, struct draw *d,
				    const struct store_case_view *v,
				    int64_t now, struct cd_err *err)
{
	int64_t from, to;
	enum cd_code ret = case_trace_window(&v->c, d->r->tracing.lookback_days,
					     now, &from, &to, err);
	d->nvenues = 0;
	if (!ret)
		ret = store_person_visits(st, v->c.rid, from, to, count_visit,
					  d, err);
	for (size_t i = 0; !ret && i < d->nvenues; i++) {
		const struct venue_use *u = &d->venues[i];
		if (u->visits < d->r->zones.frequent_visits &&
		    u->seconds < (int64_t)d->r->zones.frequent_minutes * 60)
			continue;
		size_t j = 0;
		while (j < d->nfrequent && strcmp(d->frequent[j], u->code))
			j++;
		if (j == d->nfrequent && d->nfrequent < VENUES_MAX)
			snprintf(d->frequent[d->nfrequent++], VENUE_CODE_MAX,
				 "%s", u->code);
	}
	return ret;
}

/* The areas of one case. */
static enum cd_code draw_case(struct store *st, struct draw *d,
			      const char *number, enum unit_level prec,
			      int64_t now, struct cd_err *err)
{
	struct store_case_view v;
	struct unit_rec hamlet, village;
	uint32_t person;
	enum cd_code ret = store_case_get(st, number, &v, err);
	if (ret)
		return ret;
	if (v.c.cls == CASE_SUSPECTED)
		return cd_err_set(err, CD_ERULE, "case %s is suspected: zones "
				  "are drawn from confirmed and asymptomatic "
				  "cases", number);
	if (d->ncases == ZONES_CASES_MAX)
		return cd_err_set(err, CD_EINVAL, "at most %d cases in one "
				  "proposal", ZONES_CASES_MAX);
	if ((ret = store_case_ids(st, number, &d->case_ids[d->ncases], &person,
				  err)) ||
	    (ret = store_unit_get(st, v.hamlet, &hamlet, err)) ||
	    (ret = store_unit_get(st, hamlet.parent, &village, err)))
		return ret;
	d->ncases++;
	d->local |= v.c.origin == ORIGIN_LOCAL;
	add_unit(d, ZONE_SEALED, hamlet.code);
	add_unit(d, ZONE_CONTROLLED, village.code);
	struct unit_rec town;
	if ((ret = store_unit_get(st, village.parent, &town, err)))
		return ret;
	add_unit(d, ZONE_PRECAUTION, prec == UNIT_TOWN ? town.code
						       : town.parent);
	return frequent_places(st, d, &v, now, err);
}

/* Drop the units of a level already inside an active zone of that level
 * or higher. */
static enum cd_code drop_covered(struct store *st, struct draw *d, int level,
				 struct cd_err *err)
{
	size_t m = 0;
	for (size_t i = 0; i < d->nunits[level]; i++) {
		int64_t z;
		enum cd_code ret = store_zone_covering(
			st, d->units[level][i], level, "active", 0, &z, err);
		if (ret)
			return ret;
		if (!z)
			memmove(d->units[level][m++], d->units[level][i],
				UNIT_CODE_MAX);
	}
	d->nunits[level] = m;
	return CD_OK;
}

/* Write one proposed zone of level with its areas and cases. */
static enum cd_code write_zone(struct store *st, const struct draw *d,
			       int64_t proposal, int level,
			       const struct zones_actor *a, struct cd_err *err)
{
	size_t nv = level == ZONE_SEALED ? d->nfrequent : 0;
	if (d->nunits[level] == 0 && nv == 0)
		return CD_OK;
	int64_t z;
	long residents;
	struct strbuf sb = STRBUF_INIT;
	enum cd_code ret = store_zone_add(st, proposal, level, a->now, &z,
					  err);
	for (size_t i = 0; !ret && i < d->nunits[level]; i++) {
		ret = store_zone_area_add(st, z, false, d->units[level][i],
					  err);
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "areas ",
			    d->units[level][i]);
	}
	for (size_t i = 0; !ret && i < nv; i++) {
		ret = store_zone_area_add(st, z, true, d->frequent[i], err);
		strbuf_addf(&sb, "%s%s", sb.len ? ", venue " : "venues ",
			    d->frequent[i]);
	}
	for (size_t i = 0; !ret && i < d->ncases; i++)
		ret = store_zone_case_add(st, z, d->case_ids[i], err);
	if (!ret)
		ret = store_zone_residents_update(st, z, &residents, err);
	if (!ret) {
		strbuf_addf(&sb, "; %ld residents", residents);
		ret = log_add(st, a, proposal, z, "propose", false, sb.buf,
			      err);
	}
	strbuf_release(&sb);
	return ret;
}

enum cd_code zones_propose(struct store *st, const struct rules *r,
			   const char *const *cases, size_t n,
			   enum unit_level precaution_level,
			   const struct zones_actor *a, int64_t *proposal,
			   struct cd_err *err)
{
	if (n == 0)
		return cd_err_set(err, CD_EINVAL, "name at least one case");
	struct draw *d = xcalloc(1, sizeof *d);
	d->r = r;
	enum cd_code ret = CD_OK;
	for (size_t i = 0; !ret && i < n; i++)
		ret = draw_case(st, d, cases[i], precaution_level, a->now,
				err);
	if (!zone_draws_controlled(r))
		d->nunits[ZONE_CONTROLLED] = 0;
	if (!r->zones.three_zone && !d->local)
		d->nunits[ZONE_PRECAUTION] = 0;
	for (int l = ZONE_PRECAUTION; !ret && l <= ZONE_SEALED; l++)
		ret = drop_covered(st, d, l, err);
	if (!ret && !d->nunits[1] && !d->nunits[2] && !d->nunits[3] &&
	    !d->nfrequent)
		ret = cd_err_set(err, CD_ERULE, "no zone to propose: every "
				 "area is already inside an active zone (or "
				 "the profile draws none for imported "
				 "cases)");
	if (!ret)
		ret = store_begin(st, err);
	else
		goto out;
	ret = store_zone_proposal_add(st, a->now, proposal, err);
	for (int l = ZONE_SEALED; !ret && l >= ZONE_PRECAUTION; l--)
		ret = write_zone(st, d, *proposal, l, a, err);
	if (!ret) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "from case");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "%s %s", i ? "," : n > 1 ? "s" : "",
				    cases[i]);
		ret = log_add(st, a, *proposal, 0, "propose", false, sb.buf,
			      err);
		strbuf_release(&sb);
	}
	ret = finish(st, ret, err);
out:
	free(d);
	return ret;
}

/* ---- codes of residents */

/* Recompute the codes of the residents of zones[0..n); precaution (low)
 * zones leave codes green, so their residents are skipped. */
static enum cd_code recode(struct store *st, const struct rules *r,
			   const int64_t *zones, size_t n, int64_t now,
			   struct cd_err *err)
{
	uint32_t *all = NULL;
	size_t nall = 0;
	enum cd_code ret = CD_OK;
	for (size_t i = 0; !ret && i < n; i++) {
		uint32_t *ids = NULL;
		size_t k = 0;
		struct store_zone z;
		if ((ret = store_zone_get(st, zones[i], &z, err)) ||
		    z.level == ZONE_PRECAUTION)
			continue;
		ret = store_zone_resident_ids(st, zones[i], &ids, &k, err);
		if (!ret && k) {
			all = xrealloc(all, (nall + k) * sizeof *all);
			memcpy(all + nall, ids, k * sizeof *ids);
			nall += k;
		}
		free(ids);
	}
	struct codes_summary sum;
	if (!ret && nall)
		ret = codes_refresh(st, r, all, nall, now, &sum, err);
	free(all);
	return ret;
}

/* ---- confirm, reject, edit */

struct idlist {
	int64_t *ids;
	size_t n;
};

static void idlist_add(struct idlist *l, int64_t id)
{
	l->ids = xrealloc(l->ids, (l->n + 1) * sizeof *l->ids);
	l->ids[l->n++] = id;
}

static enum cd_code keep_zone(void *ctx, const struct store_zone *z)
{
	struct idlist *l = ctx;
	if (!strcmp(z->status, "proposed"))
		idlist_add(l, z->id);
	return CD_OK;
}

static enum cd_code confirm_new(struct store *st, int64_t proposal,
				const struct zones_actor *a,
				struct idlist *done, struct cd_err *err)
{
	struct idlist l = { NULL, 0 };
	enum cd_code ret = store_zone_list(st, proposal, NULL, keep_zone, &l,
					   err);
	for (size_t i = 0; !ret && i < l.n; i++) {
		struct store_zone z;
		long residents = 0;
		char detail[64];
		if ((ret = store_zone_get(st, l.ids[i], &z, err)))
			break;
		if (z.units + z.venues == 0) {
			snprintf(z.status, sizeof z.status, "rejected");
			ret = store_zone_set(st, &z, err);
			if (!ret)
				ret = log_add(st, a, proposal, z.id, "reject",
					      false, "no areas left", err);
			continue;
		}
		snprintf(z.status, sizeof z.status, "active");
		z.confirmed_at = z.level_since = a->now;
		if (!(ret = store_zone_set(st, &z, err)))
			ret = store_zone_residents_update(st, z.id, &residents,
							  err);
		snprintf(detail, sizeof detail, "%ld residents", residents);
		if (!ret)
			ret = log_add(st, a, proposal, z.id, "confirm", false,
				      detail, err);
		idlist_add(done, z.id);
	}
	free(l.ids);
	return ret;
}

static enum cd_code confirm_convert(struct store *st, const struct rules *r,
				    const struct store_zone_proposal *p,
				    const struct zones_actor *a,
				    struct idlist *done, struct cd_err *err)
{
	struct store_zone z;
	enum cd_code ret = store_zone_get(st, p->zone, &z, err);
	if (ret)
		return ret;
	if (strcmp(z.status, "active") || z.level != ZONE_CONTROLLED)
		return cd_err_set(err, CD_ERULE, "zone Z%04lld is no longer "
				  "an active %s zone: reject the proposal",
				  (long long)z.id,
				  zone_level_name(r, ZONE_CONTROLLED));
	z.level = ZONE_SEALED;
	z.level_since = a->now;
	char detail[128];
	snprintf(detail, sizeof detail, "%s → %s after case %s",
		 zone_level_name(r, ZONE_CONTROLLED),
		 zone_level_name(r, ZONE_SEALED), p->case_number);
	if (!(ret = store_zone_set(st, &z, err)))
		ret = log_add(st, a, p->id, z.id, "convert", false, detail,
			      err);
	idlist_add(done, z.id);
	return ret;
}

enum cd_code zones_confirm(struct store *st, const struct rules *r,
			   int64_t proposal, const struct zones_actor *a,
			   struct cd_err *err)
{
	struct store_zone_proposal p;
	struct idlist done = { NULL, 0 };
	enum cd_code ret = store_begin(st, err);
	if (!ret)
		ret = store_zone_proposal_get(st, proposal, &p, err);
	if (!ret)
		ret = store_zone_proposal_close(st, proposal, "confirmed", err);
	if (!ret)
		ret = !strcmp(p.kind, "convert")
			      ? confirm_convert(st, r, &p, a, &done, err)
			      : confirm_new(st, proposal, a, &done, err);
	if (!ret)
		ret = log_add(st, a, proposal, 0, "confirm", false, "", err);
	ret = finish(st, ret, err);
	if (!ret)
		ret = recode(st, r, done.ids, done.n, a->now, err);
	free(done.ids);
	return ret;
}

enum cd_code zones_reject(struct store *st, int64_t proposal,
			  const char *reason, const struct zones_actor *a,
			  struct cd_err *err)
{
	if (!reason || !reason[0])
		return cd_err_set(err, CD_EUSAGE, "a rejection needs a "
				  "--reason");
	struct idlist l = { NULL, 0 };
	enum cd_code ret = store_begin(st, err);
	if (!ret)
		ret = store_zone_proposal_close(st, proposal, "rejected", err);
	if (!ret)
		ret = store_zone_list(st, proposal, NULL, keep_zone, &l, err);
	for (size_t i = 0; !ret && i < l.n; i++) {
		struct store_zone z;
		if (!(ret = store_zone_get(st, l.ids[i], &z, err))) {
			snprintf(z.status, sizeof z.status, "rejected");
			ret = store_zone_set(st, &z, err);
		}
	}
	if (!ret)
		ret = log_add(st, a, proposal, 0, "reject", false, reason,
			      err);
	free(l.ids);
	return finish(st, ret, err);
}

/* A venue code, unless it parses as a unit code. */
static bool is_venue(const char *code)
{
	struct unit_code uc;
	return unit_code_parse(code, &uc, NULL) != CD_OK;
}

enum cd_code zones_edit(struct store *st, const struct rules *r,
			int64_t zone, const char *const *add, size_t nadd,
			const char *const *remove, size_t nremove,
			const struct zones_actor *a, struct cd_err *err)
{
	struct store_zone z;
	long residents = 0;
	if (nadd + nremove == 0)
		return cd_err_set(err, CD_EUSAGE, "zone edit needs --add or "
				  "--remove");
	enum cd_code ret = store_zone_get(st, zone, &z, err);
	if (ret)
		return ret;
	if (strcmp(z.status, "proposed") && strcmp(z.status, "active"))
		return cd_err_set(err, CD_ERULE, "zone Z%04lld is %s: only "
				  "proposed and active zones change",
				  (long long)zone, z.status);
	bool active = !strcmp(z.status, "active");
	/* residents before the change keep their codes recomputed too */
	uint32_t *before = NULL;
	size_t nbefore = 0;
	if (active && (ret = store_zone_resident_ids(st, zone, &before,
						     &nbefore, err)))
		return ret;
	if (!(ret = store_begin(st, err))) {
		for (size_t i = 0; !ret && i < nadd; i++)
			if (!(ret = store_zone_area_add(st, zone,
							is_venue(add[i]),
							add[i], err)))
				ret = log_add(st, a, z.proposal, zone, "add",
					      false, add[i], err);
		for (size_t i = 0; !ret && i < nremove; i++)
			if (!(ret = store_zone_area_remove(
				      st, zone, is_venue(remove[i]),
				      remove[i], err)))
				ret = log_add(st, a, z.proposal, zone,
					      "remove", false, remove[i], err);
		if (!ret)
			ret = store_zone_get(st, zone, &z, err);
		if (!ret && active && z.units + z.venues == 0)
			ret = cd_err_set(err, CD_ERULE, "an active zone keeps "
					 "at least one area: lift it instead");
		if (!ret)
			ret = store_zone_residents_update(st, zone,
							  &residents, err);
		ret = finish(st, ret, err);
	}
	if (!ret && active) {
		ret = recode(st, r, &zone, 1, a->now, err);
		struct codes_summary sum;
		if (!ret && nbefore)
			ret = codes_refresh(st, r, before, nbefore, a->now,
					    &sum, err);
	}
	free(before);
	return ret;
}

/* ---- seeing a zone */

enum cd_code zones_view_get(struct store *st, const struct rules *r,
			    int64_t zone, int64_t now, struct zones_view *out,
			    struct cd_err *err)
{
	memset(out, 0, sizeof *out);
	out->today = cst_day(now);
	enum cd_code ret = store_zone_get(st, zone, &out->z, err);
	if (ret)
		return ret;
	struct zone_facts *f = &out->f;
	const struct store_zone *z = &out->z;
	int64_t confirmed = z->confirmed_at ? z->confirmed_at : z->proposed_at;
	f->level = (enum zone_level)z->level;
	f->confirmed = cst_day(confirmed);
	f->level_since = cst_day(z->level_since ? z->level_since : confirmed);
	f->has_residents = z->units > 0;
	if (z->level == ZONE_PRECAUTION) {
		int64_t lifted;
		ret = store_zone_inner(st, zone, &f->inner_active, &lifted,
				       err);
		f->inner_lifted = lifted ? cst_day(lifted) : 0;
	} else {
		ret = store_zone_clock(st, zone, &f->last_infection,
				       &f->last_close_exposure, err);
		if (!ret)
			ret = store_zone_rounds(st, zone, day_start(z->proposed_at),
						&out->rounds, &f->nrounds, err);
		f->rounds = out->rounds;
	}
	if (!ret && !strcmp(z->status, "active"))
		zone_step_compute(r, f, out->today, &out->step);
	return ret;
}

void zones_view_release(struct zones_view *v)
{
	free(v->rounds);
	v->rounds = NULL;
}

/* ---- lifting */

static enum cd_code keep_active_precaution(void *ctx,
					   const struct store_zone *z)
{
	struct idlist *l = ctx;
	if (z->level == ZONE_PRECAUTION)
		idlist_add(l, z->id);
	return CD_OK;
}

/* Lift the active precaution zones in which some sealed or controlled
 * zone was lifted and none remains (DOMAIN.md: the precaution zone lifts
 * when no sealed/controlled zone remains); their ids join done. */
static enum cd_code lift_precaution(struct store *st, const struct rules *r,
				    const struct zones_actor *a,
				    struct idlist *done, struct cd_err *err)
{
	struct idlist l = { NULL, 0 };
	enum cd_code ret = store_zone_list(st, 0, "active",
					   keep_active_precaution, &l, err);
	for (size_t i = 0; !ret && i < l.n; i++) {
		long active;
		int64_t lifted;
		struct store_zone z;
		ret = store_zone_inner(st, l.ids[i], &active, &lifted, err);
		if (ret || active || !lifted)
			continue;
		if ((ret = store_zone_get(st, l.ids[i], &z, err)))
			break;
		snprintf(z.status, sizeof z.status, "lifted");
		z.lifted_at = a->now;
		char detail[128];
		snprintf(detail, sizeof detail, "no %s or %s zone remains "
			 "within it", zone_level_name(r, ZONE_SEALED),
			 zone_level_name(r, ZONE_CONTROLLED));
		if (!(ret = store_zone_set(st, &z, err)))
			ret = log_add(st, a, z.proposal, z.id, "lift", false,
				      detail, err);
		idlist_add(done, z.id);
	}
	free(l.ids);
	return ret;
}

/* The conditions of a step, those that hold (ok) or not, joined by "; ". */
static void conds_text(const struct zone_step *s, bool ok, struct strbuf *sb)
{
	for (int i = 0; i < s->n; i++)
		if (s->conds[i].ok == ok)
			strbuf_addf(sb, "%s%s", sb->len ? "; " : "",
				    s->conds[i].text);
}

/* Refuse a step whose conditions do not hold. */
static enum cd_code refuse(const struct rules *r, const struct zones_view *v,
			   struct cd_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	char d[11] = "unknown";
	conds_text(&v->step, false, &sb);
	if (v->step.earliest)
		date_format(v->step.earliest, d, sizeof d);
	cd_err_set(err, CD_ERULE, "zone Z%04lld (%s) cannot go to %s yet "
		   "(earliest %s): %s; --force with a --reason overrides",
		   (long long)v->z.id, zone_level_name(r, v->z.level),
		   zone_level_name(r, v->step.to), d, sb.buf);
	strbuf_release(&sb);
	return CD_ERULE;
}

static enum cd_code apply_step(struct store *st, const struct rules *r,
			       const struct zones_view *v, bool force,
			       const char *reason, const struct zones_actor *a,
			       struct cd_err *err)
{
	struct store_zone z = v->z;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s → %s", zone_level_name(r, z.level),
		    zone_level_name(r, v->step.to));
	if (force && !v->step.ready) {
		strbuf_addf(&sb, "; forced: %s; not met: ", reason);
		struct strbuf unmet = STRBUF_INIT;
		conds_text(&v->step, false, &unmet);
		strbuf_addstr(&sb, unmet.buf);
		strbuf_release(&unmet);
	} else {
		strbuf_addstr(&sb, "; ");
		conds_text(&v->step, true, &sb);
	}
	if (v->step.to == ZONE_NONE) {
		snprintf(z.status, sizeof z.status, "lifted");
		z.lifted_at = a->now;
	} else {
		z.level = v->step.to;
		z.level_since = a->now;
	}
	enum cd_code ret = store_zone_set(st, &z, err);
	if (!ret)
		ret = log_add(st, a, z.proposal, z.id,
			      v->step.to == ZONE_NONE ? "lift" : "downgrade",
			      force && !v->step.ready, sb.buf, err);
	strbuf_release(&sb);
	return ret;
}

enum cd_code zones_lift(struct store *st, const struct rules *r,
			int64_t zone, bool force, const char *reason,
			const struct zones_actor *a, enum zone_level *to,
			struct cd_err *err)
{
	if (force && (!reason || !reason[0]))
		return cd_err_set(err, CD_EUSAGE, "--force needs a --reason, "
				  "kept in the zone's log");
	struct zones_view v;
	struct idlist done = { NULL, 0 };
	enum cd_code ret = zones_view_get(st, r, zone, a->now, &v, err);
	if (!ret && strcmp(v.z.status, "active"))
		ret = cd_err_set(err, CD_ERULE, "zone Z%04lld is %s: only "
				 "active zones are lifted", (long long)zone,
				 v.z.status);
	if (!ret && !v.step.ready && !force)
		ret = refuse(r, &v, err);
	if (!ret && !(ret = store_begin(st, err))) {
		ret = apply_step(st, r, &v, force, reason, a, err);
		if (!ret && v.step.to == ZONE_NONE)
			ret = lift_precaution(st, r, a, &done, err);
		ret = finish(st, ret, err);
	}
	if (!ret) {
		*to = v.step.to;
		idlist_add(&done, zone);
		ret = recode(st, r, done.ids, done.n, a->now, err);
	}
	free(done.ids);
	zones_view_release(&v);
	return ret;
}

/* ---- conversions and rounds */

struct newconv {
	int64_t before;         /* the largest proposal id before */
	struct store_zone_proposal p[64];
	size_t n;
};

static enum cd_code max_proposal(void *ctx, const struct store_zone_proposal *p)
{
	struct newconv *c = ctx;
	if (p->id > c->before)
		c->before = p->id;
	return CD_OK;
}

static enum cd_code new_conversion(void *ctx,
				   const struct store_zone_proposal *p)
{
	struct newconv *c = ctx;
	if (p->id > c->before && c->n < 64)
		c->p[c->n++] = *p;
	return CD_OK;
}

enum cd_code zones_sync(struct store *st, const struct zones_actor *a,
			long *added, struct cd_err *err)
{
	struct newconv *c = xcalloc(1, sizeof *c);
	struct zones_actor sys = { "cordon", a->now };
	enum cd_code ret = store_begin(st, err);
	if (!ret)
		ret = store_zone_proposals(st, false, max_proposal, c, err);
	if (!ret)
		ret = store_zone_sync_conversions(st, added, err);
	if (!ret && *added)
		ret = store_zone_proposals(st, true, new_conversion, c, err);
	for (size_t i = 0; !ret && i < c->n; i++) {
		char detail[96];
		snprintf(detail, sizeof detail, "case %s lives inside the "
			 "zone: turn it sealed", c->p[i].case_number);
		ret = log_add(st, &sys, c->p[i].id, c->p[i].zone, "propose",
			      false, detail, err);
	}
	free(c);
	return finish(st, ret, err);
}

struct unitjoin {
	char *buf;
	size_t len, used;
	bool full;
};

static enum cd_code join_unit(void *ctx, const struct store_zone_area *a)
{
	struct unitjoin *j = ctx;
	if (strcmp(a->kind, "unit"))
		return CD_OK;
	int k = snprintf(j->buf + j->used, j->len - j->used, "%s%s",
			 j->used ? "," : "", a->code);
	if (k < 0 || (size_t)k >= j->len - j->used)
		j->full = true;
	else
		j->used += (size_t)k;
	return CD_OK;
}

enum cd_code zones_round_units(struct store *st, int64_t zone, char *buf,
			       size_t len, enum zone_level *level,
			       struct cd_err *err)
{
	struct store_zone z;
	struct unitjoin j = { buf, len, 0, false };
	buf[0] = '\0';
	enum cd_code ret = store_zone_get(st, zone, &z, err);
	if (!ret && strcmp(z.status, "active"))
		return cd_err_set(err, CD_ERULE, "zone Z%04lld is %s: rounds "
				  "test active zones", (long long)zone,
				  z.status);
	if (!ret)
		ret = store_zone_areas(st, zone, join_unit, &j, err);
	if (!ret && j.full)
		return cd_err_set(err, CD_EINVAL, "zone Z%04lld has too many "
				  "units for one round", (long long)zone);
	if (!ret && !j.used)
		return cd_err_set(err, CD_ERULE, "zone Z%04lld has no units, "
				  "only venues: no residents to test",
				  (long long)zone);
	*level = (enum zone_level)z.level;
	return ret;
}
