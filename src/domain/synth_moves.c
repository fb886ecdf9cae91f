/* synth_moves.c — 14 days of movements by daily routine: school, work,
 * the elderly's teahouses and markets, shops and restaurants, bus and
 * rail trips; a venue-code scan at each visit and the phone's cell stays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/synth_model.h"
#include "lib/date.h"
#include "lib/sort.h"
#include "lib/banned.h"

#define MAX_VISITS 16

struct visit {
	int venue;      /* -1: away from the county (on a train) */
	int t_in, t_out; /* minutes after local midnight */
	int checkout;   /* the venue records a check-out */
};

struct day {
	struct synth *s;
	const struct synth_sink *k;
	struct rng r;
	int p, d;       /* person, day offset */
	int32_t date;
	int weekday;    /* 0 = Monday */
	struct visit v[MAX_VISITS];
	int n;
	struct trip_rec trips[4];
	int ntrips;
};

/* Eight departures a day on every route: out in the morning, back in the
 * afternoon. */
static const int bus_departures[] = { 7 * 60, 8 * 60 + 30, 10 * 60,
				      11 * 60 + 30, 13 * 60, 14 * 60 + 30,
				      16 * 60, 17 * 60 + 30 };
static const struct {
	const char *train;
	int out, back;
} trains[] = {
	{ "G1002", 8 * 60 + 15, 0 }, { "G6111", 9 * 60 + 40, 0 },
	{ "K9063", 7 * 60 + 5, 0 },  { "G1003", 0, 18 * 60 + 50 },
	{ "G6112", 0, 19 * 60 + 35 }, { "K9064", 0, 21 * 60 + 10 },
};

static int gated(enum venue_kind k)
{
	return k == VK_FACTORY || k == VK_OFFICE || k == VK_SCHOOL ||
	       k == VK_HOSPITAL || k == VK_HOTEL || k == VK_INTERNET_CAFE;
}

static void visit(struct day *dy, int venue, int t_in, int minutes)
{
	if (venue < 0 || dy->n == MAX_VISITS || minutes < 1)
		return;
	if (t_in < 0)
		t_in = 0;
	if (t_in + minutes > 24 * 60 - 1)
		minutes = 24 * 60 - 1 - t_in;
	if (minutes < 1)
		return;
	struct visit *v = &dy->v[dy->n++];
	v->venue = venue;
	v->t_in = t_in;
	v->t_out = t_in + minutes;
	v->checkout = gated(dy->s->venues[venue].kind) &&
		      rng_chance(&dy->r, 0.8);
}

static int jit(struct day *dy, int minutes)
{
	return (int)rng_range(&dy->r, -minutes, minutes);
}

static int town_pick(struct day *dy, int town, enum venue_kind k)
{
	int n;
	const int *v = synth_town_venues(dy->s, town, k, &n);
	return n ? v[rng_range(&dy->r, 0, n - 1)] : -1;
}

static int local_pick(struct day *dy, int village, enum venue_kind k)
{
	int n;
	const int *v = synth_village_venues(dy->s, village, k, &n);
	if (n)
		return v[rng_range(&dy->r, 0, n - 1)];
	return town_pick(dy, dy->s->villages[village].town, k);
}

/* A town's bus station is its first station (town 0 also has the
 * county's railway station, added after it). */
static int bus_station(const struct synth *s, int town)
{
	int n;
	const int *v = synth_town_venues(s, town, VK_STATION, &n);
	return n ? v[0] : -1;
}

static void bus_trip(struct day *dy, int from, int to, int dep, int back)
{
	const struct synth *s = dy->s;
	const char *fc = s->towns[from].code + 6, *tc = s->towns[to].code + 6;
	int legs[2][3] = { { from, to, dep }, { to, from, back } };
	for (int i = 0; i < 2; i++) {
		struct trip_rec *t = &dy->trips[dy->ntrips++];
		memset(t, 0, sizeof *t);
		t->mode = TRIP_BUS;
		snprintf(t->route, sizeof t->route, "B%.3s-%.3s",
			 i ? tc : fc, i ? fc : tc);
		t->date = dy->date;
		t->departure = legs[i][2];
		t->carriage = 1;
		t->seat_row = (int)rng_range(&dy->r, 1, 12);
		visit(dy, bus_station(dy->s, legs[i][0]), legs[i][2] - 15, 15);
	}
	/* At the destination: its market or a supermarket. */
	visit(dy, town_pick(dy, to, rng_chance(&dy->r, 0.5) ? VK_MARKET
							     : VK_SUPERMARKET),
	      dep + 40, back - dep - 60);
}

static void rail_trip(struct day *dy, int station)
{
	int out = (int)rng_range(&dy->r, 0, 2), back = (int)rng_range(&dy->r, 3, 5);
	int legs[2] = { out, back };
	for (int i = 0; i < 2; i++) {
		struct trip_rec *t = &dy->trips[dy->ntrips++];
		memset(t, 0, sizeof *t);
		t->mode = TRIP_RAIL;
		snprintf(t->route, sizeof t->route, "%s", trains[legs[i]].train);
		t->date = dy->date;
		t->departure = i ? trains[back].back : trains[out].out;
		t->carriage = (int)rng_range(&dy->r, 1, 8);
		t->seat_row = (int)rng_range(&dy->r, 1, 17);
	}
	visit(dy, station, trains[out].out - 30, 30);
	/* Away between the trains: no scans, no cells in the county. */
	if (dy->n < MAX_VISITS) {
		struct visit *v = &dy->v[dy->n++];
		v->venue = -1;
		v->t_in = trains[out].out;
		v->t_out = trains[back].back + 60;
		v->checkout = 0;
	}
}

static void errands(struct day *dy, int village, int town, double scale)
{
	if (rng_chance(&dy->r, 0.25 * scale))
		visit(dy, local_pick(dy, village, VK_SHOP), 18 * 60 + jit(dy, 40),
		      (int)rng_range(&dy->r, 5, 20));
	if (rng_chance(&dy->r, 0.12 * scale))
		visit(dy, town_pick(dy, town, VK_SUPERMARKET),
		      18 * 60 + 30 + jit(dy, 30), (int)rng_range(&dy->r, 20, 50));
	if (rng_chance(&dy->r, 0.08 * scale))
		visit(dy, town_pick(dy, town, VK_RESTAURANT),
		      19 * 60 + jit(dy, 30), (int)rng_range(&dy->r, 45, 100));
	if (rng_chance(&dy->r, 0.03 * scale))
		visit(dy, town_pick(dy, town, VK_PHARMACY), 17 * 60 + jit(dy, 60),
		      10);
	if (rng_chance(&dy->r, 0.005))
		visit(dy, local_pick(dy, village, VK_HOSPITAL),
		      8 * 60 + 30 + jit(dy, 30), 30);
}

static void routine(struct day *dy)
{
	struct synth *s = dy->s;
	const struct s_person *ps = &s->persons[dy->p];
	int hm = s->households[ps->household].hamlet;
	int vil = s->hamlets[hm].village, town = s->villages[vil].town;
	int workday = dy->weekday < 5;
	switch (ps->role) {
	case ROLE_INFANT:
		return;
	case ROLE_STUDENT:
		if (workday)
			visit(dy, ps->work, 7 * 60 + 30 + jit(dy, 10),
			      9 * 60 + jit(dy, 15));
		else if (rng_chance(&dy->r, 0.2))
			visit(dy, local_pick(dy, vil, VK_SHOP),
			      10 * 60 + jit(dy, 60), 20);
		return;
	case ROLE_WORKER:
		if (workday || (dy->weekday == 5 && rng_chance(&dy->r, 0.3))) {
			visit(dy, ps->work, 8 * 60 + jit(dy, 20),
			      9 * 60 + 30 + jit(dy, 20));
			if (rng_chance(&dy->r, 0.1))
				visit(dy, town_pick(dy, town, VK_RESTAURANT),
				      12 * 60, 40);
			errands(dy, vil, town, 1.0);
			if (ps->age < 35 && rng_chance(&dy->r, 0.04))
				visit(dy, town_pick(dy, town, VK_INTERNET_CAFE),
				      20 * 60 + 30, 150);
			if (rng_chance(&dy->r, 0.02))
				visit(dy, town_pick(dy, town, VK_KARAOKE),
				      21 * 60, 120);
		} else {
			if (rng_chance(&dy->r, 0.3))
				visit(dy, town_pick(dy, town, VK_MARKET),
				      8 * 60 + jit(dy, 30), 40);
			if (rng_chance(&dy->r, 0.05))
				visit(dy, town_pick(dy, town, VK_BATH_BEAUTY),
				      15 * 60 + jit(dy, 60), 60);
			errands(dy, vil, town, 1.5);
		}
		return;
	case ROLE_FARMER:
		if (rng_chance(&dy->r, 0.2))
			visit(dy, town_pick(dy, town, VK_MARKET),
			      6 * 60 + 30 + jit(dy, 20), 40);
		if (rng_chance(&dy->r, 0.1))
			visit(dy, local_pick(dy, vil, rng_chance(&dy->r, 0.5)
							      ? VK_TEAHOUSE
							      : VK_CHESS_ROOM),
			      14 * 60 + jit(dy, 30), 120);
		errands(dy, vil, town, 1.0);
		return;
	case ROLE_ELDER:
		if (rng_chance(&dy->r, 0.3))
			visit(dy, town_pick(dy, town, VK_MARKET),
			      6 * 60 + 30 + jit(dy, 15), 45);
		if (rng_chance(&dy->r, 0.45)) {
			int am = rng_chance(&dy->r, 0.5);
			visit(dy, ps->haunt, (am ? 9 * 60 : 14 * 60) + jit(dy, 20),
			      am ? 150 : 180);
		}
		if (rng_chance(&dy->r, 0.25))
			visit(dy, local_pick(dy, vil, VK_SHOP),
			      11 * 60 + 45 + jit(dy, 20), 15);
		if (rng_chance(&dy->r, 0.05))
			visit(dy, town_pick(dy, town, VK_PHARMACY),
			      9 * 60 + 30 + jit(dy, 30), 10);
		if (rng_chance(&dy->r, 0.02))
			visit(dy, local_pick(dy, vil, VK_HOSPITAL),
			      8 * 60 + 30 + jit(dy, 30), 30);
		return;
	}
}

static void travel(struct day *dy)
{
	struct synth *s = dy->s;
	const struct s_person *ps = &s->persons[dy->p];
	int hm = s->households[ps->household].hamlet;
	int town = s->villages[s->hamlets[hm].village].town;
	if (ps->age >= 16 && rng_chance(&dy->r, 0.015) && s->ntowns > 1) {
		int to = (int)rng_range(&dy->r, 0, s->ntowns - 2);
		to += to >= town;
		int i = (int)rng_range(&dy->r, 0, 3);
		bus_trip(dy, town, to, bus_departures[i],
			 bus_departures[i + 4]);
	} else if (ps->age >= 18 && rng_chance(&dy->r, 0.002)) {
		int n;
		const int *st = synth_town_venues(s, 0, VK_STATION, &n);
		rail_trip(dy, st[n - 1]); /* 衡南火车站 is town 0's last */
	}
}

/* The reference scenario's case on the last two days. */
static void index_case(struct day *dy)
{
	struct synth *s = dy->s;
	const struct s_person *ps = &s->persons[dy->p];
	int hm = s->households[ps->household].hamlet;
	int vil = s->hamlets[hm].village, town = s->villages[vil].town;
	int n;
	int teahouse = synth_village_venues(s, vil, VK_TEAHOUSE, &n)[0];
	if (dy->d == s->p.days - 2) {
		visit(dy, synth_town_venues(s, town, VK_MARKET, &n)[0],
		      6 * 60 + 40, 40);
		visit(dy, teahouse, 9 * 60, 150);
		bus_trip(dy, town, town == 0 ? 1 : 0, 13 * 60, 16 * 60);
	} else {
		visit(dy, teahouse, 9 * 60, 120);
		visit(dy, (int)s->stats.health_centre, 15 * 60, 20);
	}
}

static int by_time(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;
	return (x->t_in > y->t_in) - (x->t_in < y->t_in);
}

static int64_t instant(const struct day *dy, int minute)
{
	return ((int64_t)dy->date * 1440 + minute) * 60 - CD_CST_OFFSET;
}

static enum cd_code emit_cell(struct day *dy, const char *phone,
			      const char *cell, int from, int to)
{
	struct cell_rec c;
	if (to <= from)
		return CD_OK;
	memset(&c, 0, sizeof c);
	snprintf(c.phone, sizeof c.phone, "%s", phone);
	snprintf(c.cell, sizeof c.cell, "%s", cell);
	c.start = instant(dy, from);
	c.end = instant(dy, to);
	dy->s->stats.cells++;
	return dy->k->cell(dy->k->ctx, dy->p, &c);
}

static void cell_id_of(double lat, double lon, char *buf)
{
	int row, col;
	cell_of(lat, lon, &row, &col);
	cell_format(row, col, buf, CELL_ID_MAX);
}

/* Stays: home between visits, the venue's cell during each, nothing while
 * away from the county; adjacent stays in one cell are merged. */
static enum cd_code emit_cells(struct day *dy)
{
	const struct s_person *ps = &dy->s->persons[dy->p];
	const struct s_hamlet *hm =
		&dy->s->hamlets[dy->s->households[ps->household].hamlet];
	char phone[12], cells[2 * MAX_VISITS + 1][CELL_ID_MAX];
	int from[2 * MAX_VISITS + 1], to[2 * MAX_VISITS + 1], n = 0, t = 0;
	snprintf(phone, sizeof phone, "%lld", (long long)ps->phone);
	for (int i = 0; i <= dy->n; i++) {
		int end = i < dy->n ? dy->v[i].t_in : 24 * 60;
		if (end > t) { /* at home until the next visit */
			cell_id_of(hm->lat, hm->lon, cells[n]);
			from[n] = t, to[n++] = end;
		}
		if (i == dy->n)
			break;
		const struct visit *v = &dy->v[i];
		if (v->venue >= 0)
			cell_id_of(dy->s->venues[v->venue].lat,
				   dy->s->venues[v->venue].lon, cells[n]);
		else
			cells[n][0] = '\0'; /* away */
		from[n] = v->t_in, to[n++] = v->t_out;
		t = v->t_out;
	}
	for (int i = 0; i < n;) {
		int j = i;
		while (j + 1 < n && to[j] == from[j + 1] &&
		       strcmp(cells[j + 1], cells[i]) == 0)
			j++;
		if (cells[i][0]) {
			enum cd_code rc = emit_cell(dy, phone, cells[i],
						    from[i], to[j]);
			if (rc)
				return rc;
		}
		i = j + 1;
	}
	return CD_OK;
}

static enum cd_code emit_day(struct day *dy)
{
	enum cd_code rc;
	const struct s_person *ps = &dy->s->persons[dy->p];
	sort_array(dy->v, (size_t)dy->n, sizeof dy->v[0], by_time);
	/* Drop visits that overlap the one before. */
	int m = 0;
	for (int i = 0; i < dy->n; i++)
		if (m == 0 || dy->v[i].t_in >= dy->v[m - 1].t_out)
			dy->v[m++] = dy->v[i];
	dy->n = m;
	for (int i = 0; i < dy->n; i++) {
		const struct visit *v = &dy->v[i];
		if (v->venue < 0)
			continue;
		struct scan_rec sc;
		memset(&sc, 0, sizeof sc);
		snprintf(sc.rid, sizeof sc.rid, "%s", ps->rid);
		snprintf(sc.venue, sizeof sc.venue, "%s",
			 dy->s->venues[v->venue].code);
		sc.t_in = instant(dy, v->t_in);
		sc.t_out = v->checkout ? instant(dy, v->t_out) : 0;
		dy->s->stats.scans++;
		if ((rc = dy->k->scan(dy->k->ctx, dy->p, v->venue, &sc)))
			return rc;
	}
	for (int i = 0; i < dy->ntrips; i++) {
		snprintf(dy->trips[i].rid, sizeof dy->trips[i].rid, "%s",
			 ps->rid);
		dy->s->stats.rides[dy->trips[i].mode]++;
		if ((rc = dy->k->trip(dy->k->ctx, dy->p, &dy->trips[i])))
			return rc;
	}
	return ps->phone ? emit_cells(dy) : CD_OK;
}

enum cd_code synth_emit_movements(struct synth *s,
				  const struct synth_sink *k,
				  struct cd_err *err)
{
	struct day dy;
	enum cd_code rc;
	(void)err;
	memset(&dy, 0, sizeof dy);
	dy.s = s;
	dy.k = k;
	for (int d = 0; d < s->p.days; d++) {
		dy.d = d;
		dy.date = s->p.start + d;
		dy.weekday = (int)(((int64_t)dy.date + 3) % 7);
		for (int p = 0; p < s->npersons; p++) {
			dy.p = p;
			dy.n = dy.ntrips = 0;
			rng_init(&dy.r, s->p.seed, ((uint64_t)ST_DAY << 32) | (uint64_t)d,
				 (uint64_t)p);
			if (p == s->stats.index_person && d >= s->p.days - 2) {
				index_case(&dy);
			} else {
				routine(&dy);
				travel(&dy);
			}
			if ((rc = emit_day(&dy)))
				return rc;
		}
	}
	return CD_OK;
}
