/* synth_venues.c — venues in proportion to population, who works and
 * studies where, and emitting the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/synth_model.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

static const char *const kind_suffix[VK_COUNT] = {
	[VK_CHESS_ROOM] = "棋牌室", [VK_TEAHOUSE] = "茶馆",
	[VK_SHOP] = "商店", [VK_RESTAURANT] = "饭店", [VK_HOTEL] = "旅馆",
	[VK_KARAOKE] = "歌厅", [VK_INTERNET_CAFE] = "网吧",
	[VK_BATH_BEAUTY] = "美发店", [VK_WORKSHOP] = "加工坊",
	[VK_MARKET] = "农贸市场", [VK_SUPERMARKET] = "超市",
	[VK_STATION] = "汽车站", [VK_SCHOOL] = "学校",
	[VK_HOSPITAL] = "卫生室", [VK_PHARMACY] = "药店",
	[VK_OFFICE] = "办公楼", [VK_FACTORY] = "工厂",
	[VK_CHECKPOINT] = "卡口",
};

static void add_venue(struct synth *s, struct rng *r, int town, int village,
		      enum venue_kind k, const char *name)
{
	s->venues = xgrow(s->venues, sizeof *s->venues,
			  (size_t)s->nvenues + 1, &s->avenues);
	struct s_venue *v = &s->venues[s->nvenues];
	memset(v, 0, sizeof *v);
	v->kind = k;
	v->town = town;
	v->village = village;
	const char *unit = village >= 0 ? s->villages[village].code
					: s->towns[town].code;
	snprintf(v->unit, sizeof v->unit, "%s", unit);
	/* Codes number the venues of a unit in order. */
	int seq = 1;
	for (int i = s->nvenues - 1; i >= 0 && strcmp(s->venues[i].unit,
							 unit) == 0; i--)
		seq++;
	snprintf(v->code, sizeof v->code, "V%s-%03d", unit, seq);
	snprintf(v->name, sizeof v->name, "%s", name);
	v->lat = village >= 0 ? s->villages[village].lat : s->towns[town].lat;
	v->lon = village >= 0 ? s->villages[village].lon : s->towns[town].lon;
	v->lat += (rng_unit(r) * 2 - 1) * 0.004;
	v->lon += (rng_unit(r) * 2 - 1) * 0.004;
	s->stats.venues_by_kind[k]++;
	s->nvenues++;
}

/* Add n venues of kind k named "<prefix><place><suffix>". */
static void add_many(struct synth *s, struct rng *r, int town, int village,
		     enum venue_kind k, long n, const char *prefix)
{
	char place[16], name[96];
	for (long i = 0; i < n; i++) {
		synth_place_name(r, place, sizeof place);
		snprintf(name, sizeof name, "%s%s%s", prefix, place,
			 kind_suffix[k]);
		add_venue(s, r, town, village, k, name);
	}
}

static long max1(long v)
{
	return v < 1 ? 1 : v;
}

static void town_venues(struct synth *s, struct rng *r, int t, long pop)
{
	const struct s_town *tw = &s->towns[t];
	char name[96];
	int urban = tw->kind == UK_SUBDISTRICT;
	snprintf(name, sizeof name, "%s%s", tw->name,
		 urban ? "社区卫生服务中心" : "卫生院");
	add_venue(s, r, t, -1, VK_HOSPITAL, name);
	snprintf(name, sizeof name, "%s人民政府", tw->name);
	if (urban)
		snprintf(name, sizeof name, "%s办事处", tw->name);
	add_venue(s, r, t, -1, VK_OFFICE, name);
	snprintf(name, sizeof name, "%s汽车站", tw->name);
	add_venue(s, r, t, -1, VK_STATION, name);
	snprintf(name, sizeof name, "%s中学", tw->name);
	add_venue(s, r, t, -1, VK_SCHOOL, name);
	snprintf(name, sizeof name, "%s农贸市场", tw->name);
	add_venue(s, r, t, -1, VK_MARKET, name);
	add_many(s, r, t, -1, VK_MARKET, pop / 25000, "");
	add_many(s, r, t, -1, VK_SUPERMARKET, max1(pop / 7000), "");
	add_many(s, r, t, -1, VK_PHARMACY, max1(pop / 5000), "");
	add_many(s, r, t, -1, VK_OFFICE, pop / 6000, "");
	/* Many small factories rather than a few huge ones: a few hundred
	 * workers each. */
	add_many(s, r, t, -1, VK_FACTORY,
		 tw->kind == UK_TOWNSHIP ? pop / 6000 : max1(pop / 3000), "");
	add_many(s, r, t, -1, VK_HOTEL, max1(pop / 15000), "");
	add_many(s, r, t, -1, VK_KARAOKE, max1(pop / 20000), "");
	add_many(s, r, t, -1, VK_INTERNET_CAFE, max1(pop / 15000), "");
	add_many(s, r, t, -1, VK_BATH_BEAUTY, max1(pop / 8000), "");
	add_many(s, r, t, -1, VK_WORKSHOP, max1(pop / 10000), "");
	add_many(s, r, t, -1, VK_RESTAURANT, max1(pop / 4000), "");
	if (tw->border) {
		snprintf(name, sizeof name, "%s交通卡口", tw->name);
		add_venue(s, r, t, -1, VK_CHECKPOINT, name);
	}
}

static void village_venues(struct synth *s, struct rng *r, int v, long pop)
{
	const struct s_village *vl = &s->villages[v];
	int t = vl->town;
	char name[96];
	add_many(s, r, t, v, VK_SHOP, 1 + pop / 700, vl->name);
	if (rng_chance(r, 0.5))
		add_many(s, r, t, v, VK_RESTAURANT, 1, vl->name);
	if (rng_chance(r, 0.7))
		add_many(s, r, t, v, VK_CHESS_ROOM, 1, vl->name);
	/* Every town's first village has a teahouse (the scenario's). */
	int first_village = vl->kind == UK_VILLAGE &&
			    (v == s->towns[t].first_village ||
			     s->villages[v - 1].kind == UK_COMMUNITY);
	if (rng_chance(r, 0.7) || first_village)
		add_many(s, r, t, v, VK_TEAHOUSE, 1, vl->name);
	snprintf(name, sizeof name, "%s%s", vl->name,
		 vl->kind == UK_COMMUNITY ? "卫生服务站" : "卫生室");
	add_venue(s, r, t, v, VK_HOSPITAL, name);
	if (vl->kind == UK_COMMUNITY || (v - s->towns[t].first_village) % 3 == 0) {
		snprintf(name, sizeof name, "%s小学", vl->name);
		add_venue(s, r, t, v, VK_SCHOOL, name);
	}
}

/* Compressed lists: for each (group, kind), the venue indexes. */
static void index_venues(struct synth *s, int by_village)
{
	int ngroups = by_village ? s->nvillages : s->ntowns;
	size_t slots = (size_t)ngroups * VK_COUNT;
	int *off = xcalloc(slots + 1, sizeof *off);
	int *idx = xcalloc((size_t)s->nvenues + 1, sizeof *idx);
	for (int i = 0; i < s->nvenues; i++) {
		int g = by_village ? s->venues[i].village : s->venues[i].town;
		if (g >= 0)
			off[(size_t)g * VK_COUNT + s->venues[i].kind + 1]++;
	}
	for (size_t i = 0; i < slots; i++)
		off[i + 1] += off[i];
	int *fill = xcalloc(slots, sizeof *fill);
	for (int i = 0; i < s->nvenues; i++) {
		int g = by_village ? s->venues[i].village : s->venues[i].town;
		if (g < 0)
			continue;
		size_t slot = (size_t)g * VK_COUNT + s->venues[i].kind;
		idx[off[slot] + fill[slot]++] = i;
	}
	free(fill);
	if (by_village)
		s->vill_off = off, s->vill_idx = idx;
	else
		s->town_off = off, s->town_idx = idx;
}

const int *synth_town_venues(const struct synth *s, int town,
			     enum venue_kind k, int *n)
{
	size_t slot = (size_t)town * VK_COUNT + k;
	*n = s->town_off[slot + 1] - s->town_off[slot];
	return s->town_idx + s->town_off[slot];
}

const int *synth_village_venues(const struct synth *s, int village,
				enum venue_kind k, int *n)
{
	size_t slot = (size_t)village * VK_COUNT + k;
	*n = s->vill_off[slot + 1] - s->vill_off[slot];
	return s->vill_idx + s->vill_off[slot];
}

static long village_pop(const struct synth *s, int v)
{
	const struct s_village *vl = &s->villages[v];
	long n = 0;
	for (int h = vl->first_hamlet; h < vl->first_hamlet + vl->nhamlets; h++)
		for (int k = 0; k < s->hamlets[h].nhouseholds; k++)
			n += s->households[s->hamlets[h].first_household + k]
				     .size;
	return n;
}

void synth_build_venues(struct synth *s);
void synth_build_venues(struct synth *s)
{
	struct rng r;
	rng_init(&r, s->p.seed, ST_VENUE, 0);
	for (int t = 0; t < s->ntowns; t++) {
		const struct s_town *tw = &s->towns[t];
		long pop = 0;
		for (int v = tw->first_village;
		     v < tw->first_village + tw->nvillages; v++) {
			long vp = village_pop(s, v);
			village_venues(s, &r, v, vp);
			pop += vp;
		}
		town_venues(s, &r, t, pop);
		if (t == 0)
			add_venue(s, &r, 0, -1, VK_STATION, "衡南火车站");
	}
	s->stats.venues = s->nvenues;
	index_venues(s, 0);
	index_venues(s, 1);
}

/* A random venue of kind k in the town (any of its villages too). */
static int pick_in_town(const struct synth *s, struct rng *r, int town,
			enum venue_kind k)
{
	int n;
	const int *v = synth_town_venues(s, town, k, &n);
	return n ? v[rng_range(r, 0, n - 1)] : -1;
}

static int pick_local(const struct synth *s, struct rng *r, int village,
		      enum venue_kind k)
{
	int n;
	const int *v = synth_village_venues(s, village, k, &n);
	if (n)
		return v[rng_range(r, 0, n - 1)];
	return pick_in_town(s, r, s->villages[village].town, k);
}

static int pick_workplace(const struct synth *s, struct rng *r, int town)
{
	static const enum venue_kind kinds[] = {
		VK_FACTORY, VK_OFFICE, VK_SUPERMARKET, VK_MARKET, VK_SHOP,
		VK_RESTAURANT, VK_HOSPITAL, VK_SCHOOL, VK_PHARMACY, VK_HOTEL,
		VK_WORKSHOP, VK_BATH_BEAUTY,
	};
	static const double w[] = { 40, 15, 8, 8, 5, 6, 4, 3, 2, 2, 5, 2 };
	if (rng_chance(r, 0.1))
		town = (int)rng_range(r, 0, s->ntowns - 1);
	for (int tries = 0; tries < 8; tries++) {
		int v = pick_in_town(s, r, town, kinds[rng_weighted(r, w, 12)]);
		if (v >= 0)
			return v;
	}
	return pick_in_town(s, r, town, VK_OFFICE);
}

static void choose_index_person(struct synth *s)
{
	/* The first town (镇), its first village with a teahouse, an adult of
	 * 40-65 with a phone: the reference scenario's case. */
	for (int t = 0; t < s->ntowns; t++) {
		if (s->towns[t].kind != UK_TOWN)
			continue;
		const struct s_town *tw = &s->towns[t];
		for (int v = tw->first_village;
		     v < tw->first_village + tw->nvillages; v++) {
			int n;
			synth_village_venues(s, v, VK_TEAHOUSE, &n);
			if (s->villages[v].kind != UK_VILLAGE || !n)
				continue;
			const struct s_hamlet *h =
				&s->hamlets[s->villages[v].first_hamlet];
			int p0 = s->households[h->first_household].first_person;
			int p1 = s->households[h->first_household +
					       h->nhouseholds - 1].first_person +
				 s->households[h->first_household +
					       h->nhouseholds - 1].size;
			for (int p = p0; p < p1; p++) {
				struct s_person *ps = &s->persons[p];
				if (ps->age < 40 || ps->age > 65 || !ps->phone)
					continue;
				s->stats.index_person = p;
				snprintf(s->stats.index_rid,
					 sizeof s->stats.index_rid, "%s",
					 ps->rid);
				snprintf(s->stats.index_hamlet,
					 sizeof s->stats.index_hamlet, "%s",
					 h->code);
				int hc = synth_town_venues(s, t, VK_HOSPITAL,
							   &n)[0];
				for (int i = 0; i < n; i++) {
					int c = synth_town_venues(
						s, t, VK_HOSPITAL, &n)[i];
					if (s->venues[c].village < 0)
						hc = c;
				}
				s->stats.health_centre = hc;
				snprintf(s->stats.health_centre_name,
					 sizeof s->stats.health_centre_name,
					 "%s", s->venues[hc].name);
				return;
			}
		}
	}
}

int synth_index_pool(const struct synth *s, char (*rids)[19], int max)
{
	long ip = s->stats.index_person;
	if (ip < 0 || max < 1)
		return 0;
	int n = 0;
	snprintf(rids[n++], 19, "%s", s->persons[ip].rid);
	const struct s_hamlet *h =
		&s->hamlets[s->households[s->persons[ip].household].hamlet];
	for (int k = 0; k < h->nhouseholds && n < max; k++) {
		const struct s_household *hh =
			&s->households[h->first_household + k];
		for (int i = 0; i < hh->size && n < max; i++) {
			const struct s_person *p = &s->persons[hh->first_person +
							       i];
			if (hh->first_person + i != ip && p->age >= 3)
				snprintf(rids[n++], 19, "%s", p->rid);
		}
	}
	return n;
}

void synth_assign(struct synth *s);
void synth_assign(struct synth *s)
{
	for (int p = 0; p < s->npersons; p++) {
		struct s_person *ps = &s->persons[p];
		struct rng r;
		rng_init(&r, s->p.seed, ST_ASSIGN, (uint64_t)p);
		int hm = s->households[ps->household].hamlet;
		int v = s->hamlets[hm].village, t = s->villages[v].town;
		int urban = s->villages[v].kind == UK_COMMUNITY;
		if (ps->role == ROLE_STUDENT) {
			ps->work = ps->age < 12 ? pick_local(s, &r, v, VK_SCHOOL)
						: -1;
			if (ps->work < 0 || s->venues[ps->work].village < 0) {
				/* Secondary pupils go to the town's school. */
				int n;
				const int *sc = synth_town_venues(s, t,
								  VK_SCHOOL, &n);
				for (int i = 0; i < n; i++)
					if (s->venues[sc[i]].village < 0)
						ps->work = sc[i];
			}
		} else if (ps->role == ROLE_WORKER) {
			if (rng_chance(&r, urban ? 0.85 : 0.4))
				ps->work = pick_workplace(s, &r, t);
			else
				ps->role = ROLE_FARMER;
		} else if (ps->role == ROLE_ELDER) {
			ps->haunt = pick_local(s, &r, v,
					       rng_chance(&r, 0.6) ? VK_TEAHOUSE
								   : VK_CHESS_ROOM);
		}
	}
	choose_index_person(s);
}

/* ---- emitting the registry */

static enum cd_code emit_units(struct synth *s, const struct synth_sink *k)
{
	struct unit_rec u;
	enum cd_code rc;
	memset(&u, 0, sizeof u);
	snprintf(u.code, sizeof u.code, "430422");
	snprintf(u.name, sizeof u.name, "衡南县");
	u.level = UNIT_COUNTY;
	u.kind = UK_COUNTY;
	if ((rc = k->unit(k->ctx, &u)))
		return rc;
	for (int t = 0; t < s->ntowns; t++) {
		const struct s_town *tw = &s->towns[t];
		snprintf(u.code, sizeof u.code, "%s", tw->code);
		snprintf(u.name, sizeof u.name, "%s", tw->name);
		snprintf(u.parent, sizeof u.parent, "430422");
		u.level = UNIT_TOWN;
		u.kind = tw->kind;
		if ((rc = k->unit(k->ctx, &u)))
			return rc;
		for (int v = tw->first_village;
		     v < tw->first_village + tw->nvillages; v++) {
			const struct s_village *vl = &s->villages[v];
			snprintf(u.code, sizeof u.code, "%s", vl->code);
			snprintf(u.name, sizeof u.name, "%s", vl->name);
			snprintf(u.parent, sizeof u.parent, "%s", tw->code);
			u.level = UNIT_VILLAGE;
			u.kind = vl->kind;
			if ((rc = k->unit(k->ctx, &u)))
				return rc;
			for (int h = vl->first_hamlet;
			     h < vl->first_hamlet + vl->nhamlets; h++) {
				snprintf(u.code, sizeof u.code, "%s",
					 s->hamlets[h].code);
				snprintf(u.name, sizeof u.name, "%s",
					 s->hamlets[h].name);
				snprintf(u.parent, sizeof u.parent, "%s",
					 vl->code);
				u.level = UNIT_HAMLET;
				u.kind = s->hamlets[h].kind;
				if ((rc = k->unit(k->ctx, &u)))
					return rc;
			}
		}
	}
	return CD_OK;
}

static enum cd_code emit_people(struct synth *s, const struct synth_sink *k)
{
	enum cd_code rc;
	for (int h = 0; h < s->nhouseholds; h++) {
		struct household_rec hr;
		const struct s_household *hh = &s->households[h];
		const struct s_hamlet *hm = &s->hamlets[hh->hamlet];
		int n = h - hm->first_household + 1;
		memset(&hr, 0, sizeof hr);
		snprintf(hr.code, sizeof hr.code, "%.16s-%04u", hm->code,
			 (unsigned)n % 10000u);
		snprintf(hr.hamlet, sizeof hr.hamlet, "%s", hm->code);
		/* A building's name already carries its community's. */
		snprintf(hr.address, sizeof hr.address, "%s%s%s%d号",
			 s->towns[s->villages[hm->village].town].name,
			 hm->kind == UK_BUILDING ? ""
						 : s->villages[hm->village].name,
			 hm->name, n);
		if ((rc = k->household(k->ctx, &hr)))
			return rc;
		for (int i = 0; i < hh->size; i++) {
			int p = hh->first_person + i;
			const struct s_person *ps = &s->persons[p];
			struct person_rec pr;
			struct rng r;
			char given[16];
			memset(&pr, 0, sizeof pr);
			rng_init(&r, s->p.seed, ST_NAME, (uint64_t)p);
			synth_given_name(&r, ps->sex, given, sizeof given);
			snprintf(pr.rid, sizeof pr.rid, "%s", ps->rid);
			snprintf(pr.name, sizeof pr.name, "%s%s",
				 synth_surname(ps->surname), given);
			pr.sex = ps->sex;
			pr.birth = ps->birth;
			if (ps->phone)
				snprintf(pr.phone, sizeof pr.phone, "%lld",
					 (long long)ps->phone);
			snprintf(pr.household, sizeof pr.household, "%s",
				 hr.code);
			pr.groups = ps->alone ? GROUP_ELDERLY_ALONE : 0;
			if ((rc = k->person(k->ctx, p, &pr)))
				return rc;
		}
	}
	return CD_OK;
}

static enum cd_code emit_venues_workers(struct synth *s,
					const struct synth_sink *k)
{
	enum cd_code rc;
	for (int i = 0; i < s->nvenues; i++) {
		const struct s_venue *v = &s->venues[i];
		struct venue_rec vr;
		memset(&vr, 0, sizeof vr);
		snprintf(vr.code, sizeof vr.code, "%s", v->code);
		snprintf(vr.name, sizeof vr.name, "%s", v->name);
		vr.kind = v->kind;
		snprintf(vr.unit, sizeof vr.unit, "%s", v->unit);
		vr.has_coord = true;
		/* Six decimals (about 0.1 m) so CSV and database agree. */
		vr.lat = (double)(long long)(v->lat * 1e6 + 0.5) / 1e6;
		vr.lon = (double)(long long)(v->lon * 1e6 + 0.5) / 1e6;
		if ((rc = k->venue(k->ctx, i, &vr)))
			return rc;
	}
	for (int h = 0; h < s->nhamlets; h++) {
		struct grid_worker_rec g;
		struct rng r;
		char given[16];
		memset(&g, 0, sizeof g);
		rng_init(&r, s->p.seed, ST_WORKER, (uint64_t)h);
		char sex = rng_chance(&r, 0.5) ? 'M' : 'F';
		synth_given_name(&r, sex, given, sizeof given);
		snprintf(g.name, sizeof g.name, "%s%s",
			 synth_surname(synth_pick_surname(&r)), given);
		snprintf(g.phone, sizeof g.phone, "199%08u",
			 (unsigned)(h + 1) % 100000000u);
		g.nunits = 1;
		snprintf(g.units[0], sizeof g.units[0], "%s",
			 s->hamlets[h].code);
		if ((rc = k->grid_worker(k->ctx, &g)))
			return rc;
	}
	return CD_OK;
}

enum cd_code synth_emit_registry(struct synth *s, const struct synth_sink *k,
				 struct cd_err *err)
{
	enum cd_code rc;
	(void)err;
	if ((rc = emit_units(s, k)) || (rc = emit_people(s, k)) ||
	    (rc = emit_venues_workers(s, k)))
		return rc;
	return CD_OK;
}
