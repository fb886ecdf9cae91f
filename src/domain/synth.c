/* synth.c — building the synthetic county: towns, villages, hamlets,
 * households, people, venues, and who works or studies where. */
#include "domain/synth_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

#define COUNTY_CODE "430422"
#define COUNTY_NAME "衡南县"
#define COUNTY_LAT 26.74
#define COUNTY_LON 112.68
#define PEOPLE_PER_TOWN 40000

/* Resident IDs: most people registered in the county, some elsewhere. */
static const char *const divisions[] = {
	COUNTY_CODE, "430421", "430424", "430481", "430482", "431222",
	"421202",
};
#define NDIV (int)(sizeof divisions / sizeof divisions[0])
#define ID_YEAR0 1900
#define ID_DAYS (200 * 366)

/* Mobile prefixes (199 is left for grid workers). */
static const int prefixes[] = { 130, 131, 132, 133, 134, 135, 136, 137,
				138, 139, 150, 151, 152, 153, 155, 156,
				157, 158, 159, 166, 173, 175, 176, 177,
				178, 180, 181, 182, 183, 184, 185, 186,
				187, 188, 189, 191, 198 };
#define NPREFIX (long)(sizeof prefixes / sizeof prefixes[0])

struct builder {
	struct synth *s;
	uint16_t *seq;   /* per (division, birth day, sex) counters */
	long phones;
};

static void jitter(struct rng *r, double *lat, double *lon, double by)
{
	*lat += (rng_unit(r) * 2 - 1) * by;
	*lon += (rng_unit(r) * 2 - 1) * by;
}

/* Town kinds: about one in eight a sub-district (urban), one in five a
 * township, the rest towns; codes keep within their ranges. */
static void build_towns(struct synth *s)
{
	int t = (int)((s->p.people + PEOPLE_PER_TOWN / 2) / PEOPLE_PER_TOWN);
	if (t < 3)
		t = 3;
	int nsub = (t + 7) / 8, nship = t / 5 > 1 ? t / 5 : 1;
	int ntown = t - nsub - nship;
	if (ntown > 99) {
		nship += ntown - 99;
		ntown = 99;
	}
	s->ntowns = t;
	s->towns = xcalloc((size_t)t, sizeof *s->towns);
	int side = (int)ceil(sqrt(t));
	double weight[3] = { 1.6, 1.0, 0.6 }, total = 0;
	struct rng r;
	rng_init(&r, s->p.seed, ST_TOWN, 0);
	for (int i = 0; i < t; i++) {
		struct s_town *tw = &s->towns[i];
		int k = i < nsub ? 0 : i < nsub + ntown ? 1 : 2;
		int idx = k == 0 ? i : k == 1 ? i - nsub : i - nsub - ntown;
		int code;
		tw->kind = k == 0 ? UK_SUBDISTRICT : k == 1 ? UK_TOWN
							    : UK_TOWNSHIP;
		synth_town_name(tw->kind, idx, tw->name, sizeof tw->name,
				&code);
		snprintf(tw->code, sizeof tw->code, "%s%03d000", COUNTY_CODE,
			 code % 1000);
		int row = i / side, col = i % side;
		tw->lat = COUNTY_LAT + (row - side / 2.0) * 0.07;
		tw->lon = COUNTY_LON + (col - side / 2.0) * 0.08;
		jitter(&r, &tw->lat, &tw->lon, 0.01);
		tw->border = row == 0 || col == 0 || row == side - 1 ||
			     col == side - 1 || (i + 1 == t);
		total += weight[k];
	}
	long left = s->p.people;
	for (int i = 0; i < t; i++) {
		int k = s->towns[i].kind == UK_SUBDISTRICT ? 0
			: s->towns[i].kind == UK_TOWN      ? 1
							   : 2;
		long share = i == t - 1 ? left
				       : (long)(s->p.people * weight[k] / total);
		s->towns[i].pop_target = share;
		left -= share;
		s->stats.towns[k]++;
	}
}

static int new_village(struct synth *s, int town, int community, int n)
{
	s->villages = xgrow(s->villages, sizeof *s->villages,
			    (size_t)s->nvillages + 1, &s->avillages);
	struct s_village *v = &s->villages[s->nvillages];
	const struct s_town *tw = &s->towns[town];
	struct rng r;
	char place[16];
	memset(v, 0, sizeof *v);
	rng_init(&r, s->p.seed, ST_VILLAGE, (uint64_t)s->nvillages);
	v->town = town;
	v->kind = community ? UK_COMMUNITY : UK_VILLAGE;
	snprintf(v->code, sizeof v->code, "%.9s%03d", tw->code,
		 (community ? 1 + n : 201 + n) % 1000);
	synth_place_name(&r, place, sizeof place);
	snprintf(v->name, sizeof v->name, "%s%s", place,
		 community ? "社区" : "村");
	v->lat = tw->lat, v->lon = tw->lon;
	jitter(&r, &v->lat, &v->lon, community ? 0.006 : 0.03);
	v->first_hamlet = s->nhamlets;
	s->stats.villages[community ? 0 : 1]++;
	return s->nvillages++;
}

/* A resident ID for someone of this age and sex, unique in the county. */
static void make_rid(struct builder *b, struct rng *r, int32_t birth,
		     char sex, char *out)
{
	int div = rng_chance(r, 0.9) ? 0 : (int)rng_range(r, 1, NDIV - 1);
	int y, m, d;
	date_to_ymd(birth, &y, &m, &d);
	int32_t day = birth - date_from_ymd(ID_YEAR0, 1, 1);
	for (int tries = 0; tries < NDIV; tries++, div = (div + 1) % NDIV) {
		uint16_t *c = &b->seq[((size_t)div * ID_DAYS + (size_t)day) *
					      2 + (sex == 'M')];
		if (*c >= 499)
			continue;
		int seq = *c * 2 + (sex == 'M' ? 1 : 2);
		(*c)++;
		char first[18];
		snprintf(first, sizeof first, "%s%04d%02d%02d%03d",
			 divisions[div], y, m, d, seq);
		snprintf(out, 19, "%s%c", first, rid_check_char(first));
		return;
	}
	abort(); /* 499 per sex per day in each of 7 divisions: unreachable */
}

static int64_t make_phone(struct builder *b)
{
	long i = b->phones++;
	/* Multiplying by a number prime to 10^8 permutes 0..10^8-1, so the
	 * eight-digit tails are all different; the prefix is spread too. */
	int64_t tail = ((int64_t)i * 73939133 + 20220330) % 100000000;
	int64_t pre = prefixes[(i * 7 + tail % 5) % NPREFIX];
	return pre * 100000000 + tail;
}

static void add_person(struct builder *b, struct rng *r, int hh, int age,
		       char sex, int surname)
{
	struct synth *s = b->s;
	s->persons = xgrow(s->persons, sizeof *s->persons,
			   (size_t)s->npersons + 1, &s->apersons);
	struct s_person *p = &s->persons[s->npersons++];
	memset(p, 0, sizeof *p);
	p->household = hh;
	p->age = (int16_t)age;
	p->sex = sex;
	p->surname = (unsigned char)surname;
	p->birth = s->p.start - age * 365 - (int32_t)(age / 4) -
		   (int32_t)rng_range(r, 0, 364);
	make_rid(b, r, p->birth, sex, p->rid);
	p->role = age < 6 ? ROLE_INFANT : age < 18 ? ROLE_STUDENT
			 : age < 60 ? ROLE_WORKER : ROLE_ELDER;
	p->work = p->haunt = -1;
	double with_phone = age < 12 ? 0 : age < 60 ? 0.97 : 0.75;
	if (rng_chance(r, with_phone))
		p->phone = make_phone(b);
	s->stats.ages[age < 18 ? 0 : age < 60 ? 1 : 2]++;
	s->stats.phones += p->phone != 0;
}


/* One household: its members by a size drawn from the census shape. */
static void build_household(struct builder *b, struct rng *r, int hamlet)
{
	static const double size_w[] = { 15, 25, 25, 18, 11, 6 };
	struct synth *s = b->s;
	int size = rng_weighted(r, size_w, 6) + 1;
	s->households = xgrow(s->households, sizeof *s->households,
			      (size_t)s->nhouseholds + 1, &s->ahouseholds);
	int hh = s->nhouseholds++;
	s->households[hh].hamlet = hamlet;
	s->households[hh].first_person = s->npersons;
	s->households[hh].size = size;
	int sur = synth_pick_surname(r);
	char sex = rng_chance(r, 0.5) ? 'M' : 'F';
	if (size == 1) {
		int old = rng_chance(r, 0.6);
		add_person(b, r, hh, old ? (int)rng_range(r, 60, 92)
					 : (int)rng_range(r, 20, 59), sex, sur);
		if (old) {
			s->persons[s->npersons - 1].alone = 1;
			s->stats.elderly_alone++;
		}
		return;
	}
	if (size == 2 && rng_chance(r, 0.5)) { /* elderly couple */
		int a = (int)rng_range(r, 60, 88);
		add_person(b, r, hh, a, 'M', sur);
		add_person(b, r, hh, a - (int)rng_range(r, 0, 5), 'F',
			   synth_pick_surname(r));
		return;
	}
	int parent = (int)rng_range(r, 24, 55);
	add_person(b, r, hh, parent, 'M', sur);
	int members = 1;
	if (size >= 3 || rng_chance(r, 0.6)) {
		add_person(b, r, hh, parent - (int)rng_range(r, 0, 4), 'F',
			   synth_pick_surname(r));
		members++;
	}
	/* Grandparents in larger households; grown-up children (to 30)
	 * living at home keep the share of minors near the census's. */
	int elders = size >= 5		      ? 2
		     : size == 4 && rng_chance(r, 0.45) ? 1
		     : size == 3 && rng_chance(r, 0.3)  ? 1
							: 0;
	for (; members < size - elders; members++) {
		int maxage = parent - 20 < 30 ? parent - 20 : 30;
		add_person(b, r, hh, (int)rng_range(r, 0, maxage < 0 ? 0 : maxage),
			   rng_chance(r, 0.52) ? 'M' : 'F', sur);
	}
	for (int e = 0; e < elders; e++) {
		int a = parent + (int)rng_range(r, 22, 32);
		add_person(b, r, hh, a > 95 ? 95 : a, e ? 'F' : sex,
			   e ? synth_pick_surname(r) : sur);
	}
}

static void build_hamlet(struct builder *b, struct rng *r, int village,
			 int n)
{
	struct synth *s = b->s;
	const struct s_village *v = &s->villages[village];
	s->hamlets = xgrow(s->hamlets, sizeof *s->hamlets,
			   (size_t)s->nhamlets + 1, &s->ahamlets);
	int h = s->nhamlets++;
	struct s_hamlet *hm = &s->hamlets[h];
	char place[16];
	memset(hm, 0, sizeof *hm);
	hm->village = village;
	snprintf(hm->code, sizeof hm->code, "%.12s-%03u", v->code,
		 (unsigned)(n + 1) % 1000u);
	if (v->kind == UK_COMMUNITY) {
		hm->kind = rng_chance(r, 0.7) ? UK_BUILDING : UK_COMPOUND;
		if (hm->kind == UK_BUILDING)
			snprintf(hm->name, sizeof hm->name, "%s%d栋",
				 v->name, n + 1);
		else {
			synth_place_name(r, place, sizeof place);
			snprintf(hm->name, sizeof hm->name, "%s小区", place);
		}
	} else {
		hm->kind = UK_HAMLET;
		synth_place_name(r, place, sizeof place);
		snprintf(hm->name, sizeof hm->name, "%s屋场", place);
	}
	hm->lat = v->lat, hm->lon = v->lon;
	jitter(r, &hm->lat, &hm->lon, v->kind == UK_COMMUNITY ? 0.003 : 0.008);
	hm->first_household = s->nhouseholds;
	hm->nhouseholds = (int)rng_range(r, 15, 60);
	for (int i = 0; i < hm->nhouseholds; i++)
		build_household(b, r, h);
}

/* Villages and communities of a town, filled with hamlets of 15-60
 * households until the town's share of people is reached. */
static void build_town_people(struct builder *b, int town)
{
	struct synth *s = b->s;
	struct s_town *tw = &s->towns[town];
	int urban = tw->kind == UK_SUBDISTRICT;
	long per_village = urban ? 3000 : 1400;
	long want = tw->pop_target;
	int nv = (int)((want + per_village / 2) / per_village);
	if (nv < 1)
		nv = 1;
	if (nv > 199)
		nv = 199;
	/* A town's seat is a community, when it has villages besides. */
	int ncomm = !urban && tw->kind == UK_TOWN && nv > 1 ? 1 : 0;
	tw->first_village = s->nvillages;
	long start = s->npersons;
	for (int i = 0; i < nv; i++) {
		int comm = urban || i < ncomm;
		int v = new_village(s, town, comm, comm ? i : i - ncomm);
		struct rng r;
		rng_init(&r, s->p.seed, ST_HOUSEHOLD, (uint64_t)v);
		long target = start + want * (i + 1) / nv;
		int n = 0;
		while ((s->npersons < target || n == 0) && n < 999)
			build_hamlet(b, &r, v, n++);
		s->villages[v].nhamlets = n;
	}
	tw->nvillages = nv;
}

static enum cd_code check_params(const struct synth_params *p,
				 struct cd_err *err)
{
	if (p->people < SYNTH_MIN_PEOPLE || p->people > SYNTH_MAX_PEOPLE)
		return cd_err_set(err, CD_EINVAL,
				  "people must be %d to %ld, not %ld",
				  SYNTH_MIN_PEOPLE, SYNTH_MAX_PEOPLE,
				  p->people);
	if (p->days < 1 || p->days > 28)
		return cd_err_set(err, CD_EINVAL,
				  "days must be 1 to 28, not %d", p->days);
	if (p->start < date_from_ymd(2000, 1, 1) ||
	    p->start > date_from_ymd(2090, 1, 1))
		return cd_err_set(err, CD_EINVAL,
				  "start must be between 2000 and 2090");
	return CD_OK;
}

void synth_build_venues(struct synth *s);
void synth_assign(struct synth *s);

enum cd_code synth_build(const struct synth_params *p, struct synth **out,
			 struct cd_err *err)
{
	enum cd_code rc = check_params(p, err);
	if (rc)
		return rc;
	struct synth *s = xcalloc(1, sizeof *s);
	struct builder b = { s, xcalloc((size_t)NDIV * ID_DAYS * 2,
					 sizeof(uint16_t)), 0 };
	s->p = *p;
	s->stats.index_person = -1;
	s->stats.health_centre = -1;
	build_towns(s);
	for (int t = 0; t < s->ntowns; t++)
		build_town_people(&b, t);
	free(b.seq);
	s->stats.hamlets = s->nhamlets;
	s->stats.households = s->nhouseholds;
	s->stats.persons = s->npersons;
	s->stats.grid_workers = s->nhamlets;
	synth_build_venues(s);
	synth_assign(s);
	*out = s;
	return CD_OK;
}

const struct synth_stats *synth_stats(const struct synth *s)
{
	return &s->stats;
}

void synth_free(struct synth *s)
{
	if (!s)
		return;
	free(s->towns);
	free(s->villages);
	free(s->hamlets);
	free(s->households);
	free(s->persons);
	free(s->venues);
	free(s->town_off);
	free(s->town_idx);
	free(s->vill_off);
	free(s->vill_idx);
	free(s);
}
