/* quarantine_alloc.c — rooms in quarantine sites (who goes with whom,
 * which room) and monitoring entries (temperature, symptoms, alerts). */
#include "domain/quarantine.h"

#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/sort.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

static enum cd_code code_check(const char *s, size_t max, struct cd_err *err)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return cd_err_set(err, CD_EINVAL, "must be 1-%zu characters",
				  max);
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789-_") != n)
		return cd_err_set(err, CD_EINVAL, "only letters, digits, '-' "
				  "and '_' are allowed");
	return CD_OK;
}

/* See domain/quarantine.h. */
enum cd_code quarantine_site_code_check(const char *s, struct cd_err *err)
{
	return code_check(s, SITE_CODE_MAX - 1, err);
}

/* See domain/quarantine.h. */
enum cd_code quarantine_room_number_check(const char *s, struct cd_err *err)
{
	return code_check(s, ROOM_NUMBER_MAX - 1, err);
}

/* See domain/quarantine.h. */
int quarantine_age(int32_t birth, int32_t on)
{
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(birth, &y1, &m1, &d1);
	date_to_ymd(on, &y2, &m2, &d2);
	int age = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		age--;
	return age;
}

/* ---- who goes with whom */

struct pair_key {
	uint32_t household;
	int grp;
	size_t i;
};

static int by_household(const void *a, const void *b)
{
	const struct pair_key *x = a, *y = b;
	if (x->household != y->household)
		return x->household < y->household ? -1 : 1;
	if (x->grp != y->grp)
		return x->grp < y->grp ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* In one household and group (k[0..m)), spread the young children over
 * the adults, in order. */
static void pair_run(struct quarantine_seeker *s, const struct pair_key *k,
		     size_t m, int child_age)
{
	size_t nadults = 0, next = 0;
	for (size_t j = 0; j < m; j++)
		nadults += s[k[j].i].age >= QUARANTINE_ADULT_AGE;
	if (!nadults)
		return;
	for (size_t j = 0; j < m; j++) {
		if (s[k[j].i].age >= child_age ||
		    s[k[j].i].age >= QUARANTINE_ADULT_AGE)
			continue;
		/* the next adult, round robin */
		size_t seen = 0, a = 0;
		for (size_t x = 0; x < m; x++)
			if (s[k[x].i].age >= QUARANTINE_ADULT_AGE &&
			    seen++ == next % nadults)
				a = k[x].i;
		s[k[j].i].with = (long)a;
		next++;
	}
}

static void pair_children(struct quarantine_seeker *s, size_t n,
			  int child_age)
{
	struct pair_key *k = xmalloc((n ? n : 1) * sizeof *k);
	for (size_t i = 0; i < n; i++)
		k[i] = (struct pair_key){ s[i].household, (int)s[i].grp, i };
	sort_array(k, n, sizeof *k, by_household);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && k[j].household == k[i].household &&
				k[j].grp == k[i].grp; j++)
			;
		pair_run(s, k + i, j - i, child_age);
	}
	free(k);
}

/* ---- which room */

/* Free rooms by capacity, each list in room order, with a cursor: rooms
 * only fill up during one allocation, so a cursor never moves back. */
struct buckets {
	size_t *order;                       /* room indexes by capacity */
	size_t start[ROOM_CAPACITY_MAX + 2]; /* first of each capacity */
	size_t cur[ROOM_CAPACITY_MAX + 2];
};

static int cap_of(const struct quarantine_room *r)
{
	return r->capacity > ROOM_CAPACITY_MAX ? ROOM_CAPACITY_MAX
	       : r->capacity < 0		 ? 0
						 : r->capacity;
}

static void buckets_init(struct buckets *b, const struct quarantine_room *r,
			 size_t nrooms)
{
	size_t count[ROOM_CAPACITY_MAX + 2] = { 0 };
	b->order = xmalloc((nrooms ? nrooms : 1) * sizeof *b->order);
	for (size_t i = 0; i < nrooms; i++)
		count[cap_of(&r[i]) + 1]++;
	b->start[0] = 0;
	for (int c = 1; c <= ROOM_CAPACITY_MAX + 1; c++)
		b->start[c] = b->start[c - 1] + count[c];
	memcpy(b->cur, b->start, sizeof b->cur);
	for (size_t i = 0; i < nrooms; i++)
		b->order[b->cur[cap_of(&r[i])]++] = i;
	memcpy(b->cur, b->start, sizeof b->cur);
}

/* The first free room of the smallest capacity >= k, or -1. */
static long free_room(struct buckets *b, const struct quarantine_room *r,
		      int k)
{
	for (int c = k < 1 ? 1 : k; c <= ROOM_CAPACITY_MAX; c++) {
		size_t end = b->start[c + 1];
		while (b->cur[c] < end && r[b->order[b->cur[c]]].occupied)
			b->cur[c]++;
		if (b->cur[c] < end)
			return (long)b->order[b->cur[c]];
	}
	return -1;
}

/* Sharing: the fullest room of the same group that still holds k. */
static long shared_room(const struct quarantine_room *r, size_t nrooms, int k,
			int grp)
{
	long best = -1;
	for (size_t i = 0; i < nrooms; i++) {
		int left = cap_of(&r[i]) - r[i].occupied;
		if (r[i].occupied > 0 && r[i].grp == grp && left >= k &&
		    (best < 0 || left < cap_of(&r[best]) - r[best].occupied))
			best = (long)i;
	}
	return best;
}

/* See domain/quarantine.h. */
size_t quarantine_allocate(struct quarantine_room *rooms, size_t nrooms,
			   struct quarantine_seeker *s, size_t n,
			   const struct quarantine_alloc_opts *o)
{
	struct buckets b;
	size_t placed = 0;
	int *size = xcalloc(n ? n : 1, sizeof *size);
	for (size_t i = 0; i < n; i++) {
		s[i].room = -1;
		s[i].with = -1;
	}
	pair_children(s, n, o->child_age);
	for (size_t i = 0; i < n; i++)
		size[s[i].with < 0 ? i : (size_t)s[i].with]++;
	buckets_init(&b, rooms, nrooms);
	/* A group goes at the place of its first member. */
	for (size_t i = 0; i < n; i++) {
		size_t lead = s[i].with < 0 ? i : (size_t)s[i].with;
		if (size[lead] < 0)
			continue;  /* done */
		int k = size[lead];
		size[lead] = -1;
		long r = o->share ? shared_room(rooms, nrooms, k, s[lead].grp)
				  : -1;
		if (r < 0)
			r = free_room(&b, rooms, k);
		if (r < 0)
			continue;
		rooms[r].occupied += k;
		rooms[r].grp = (int)s[lead].grp;
		s[lead].room = r;
		placed += (size_t)k;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].with >= 0)
			s[i].room = s[s[i].with].room;
	free(b.order);
	free(size);
	return placed;
}

/* ---- monitoring */

/* See domain/quarantine.h. */
enum cd_code quarantine_temp_parse(const char *s, int *tenths,
				   struct cd_err *err)
{
	size_t n = strlen(s), i = 0;
	int v = 0;
	while (i < n && i < 2 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	if (i == 0 || (i < n && s[i] >= '0' && s[i] <= '9'))
		goto bad;
	v *= 10;
	if (i < n) {
		if (s[i] != '.' || i + 2 != n || s[i + 1] < '0' ||
		    s[i + 1] > '9')
			goto bad;
		v += s[i + 1] - '0';
	}
	if (v < TEMP_MIN_TENTHS || v > TEMP_MAX_TENTHS)
		return cd_err_set(err, CD_EINVAL, "must be from 34.0 to 43.0 "
				  "°C");
	*tenths = v;
	return CD_OK;
bad:
	return cd_err_set(err, CD_EINVAL, "must be degrees Celsius with at "
			  "most one decimal, like 36.8");
}

/* See domain/quarantine.h. */
bool quarantine_has_symptoms(const char *s)
{
	return *s && strcmp(s, "none") != 0 && strcmp(s, "无") != 0;
}

/* See domain/quarantine.h. */
enum cd_code quarantine_symptoms_check(const char *s, struct cd_err *err)
{
	size_t n = strlen(s);
	if (n > SYMPTOMS_MAX_BYTES)
		return cd_err_set(err, CD_EINVAL, "longer than %d bytes",
				  SYMPTOMS_MAX_BYTES);
	if (utf8_invalid_at(s, n) != (size_t)-1)
		return cd_err_set(err, CD_EINVAL, "is not valid UTF-8");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return cd_err_set(err, CD_EINVAL, "contains a control "
					  "character");
	return CD_OK;
}

/* See domain/quarantine.h. */
bool quarantine_alert(int tenths, const char *symptoms, double fever_celsius,
		      struct strbuf *why)
{
	/* Compare in tenths: 37.3 is not exactly representable. */
	int fever = (int)(fever_celsius * 10 + (fever_celsius >= 0 ? 0.5
								     : -0.5));
	bool alert = false;
	if (tenths >= fever) {
		strbuf_addf(why, "temperature %d.%d °C ≥ %d.%d °C", tenths / 10,
			    tenths % 10, fever / 10, fever % 10);
		alert = true;
	}
	if (quarantine_has_symptoms(symptoms)) {
		strbuf_addf(why, "%ssymptoms: %s", alert ? "; " : "",
			    symptoms);
		alert = true;
	}
	return alert;
}
