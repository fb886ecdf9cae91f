/* presence_import.c — CSV presence rows → compact rows → a new segment. */
#include "app/presence_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/presence.h"
#include "lib/csvread.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

#define MAX_STAY (7 * 86400)  /* a cell stay */
#define MAX_VISIT 86400       /* a venue visit with a check-out */

static const struct import_layout layouts[] = {
	{ "scans", "resident_id,venue,check_in,check_out",
	  { { "resident_id", 1 }, { "venue", 1 }, { "check_in", 1 },
	    { "check_out", 0 } } },
	{ "trips", "resident_id,mode,route,date,departure,carriage,seat_row",
	  { { "resident_id", 1 }, { "mode", 1 }, { "route", 1 }, { "date", 1 },
	    { "departure", 1 }, { "carriage", 1 }, { "seat_row", 1 } } },
	{ "cells", "phone,cell,start,end",
	  { { "phone", 1 }, { "cell", 1 }, { "start", 1 }, { "end", 1 } } },
	{ "proximity", "resident_id_a,resident_id_b,start,minutes",
	  { { "resident_id_a", 1 }, { "resident_id_b", 1 }, { "start", 1 },
	    { "minutes", 1 } } },
};

const struct import_layout *presence_layout(enum import_kind k)
{
	return &layouts[k - IMPORT_SCANS];
}

struct pctx {
	struct import_rows rows;
	struct store *st;
	struct cd_err *err;
	enum psource src;
	int64_t now;
	int32_t today;
	struct store_person_key *by_rid, *by_phone;
	size_t npersons;
	struct store_venue_key *venues;
	size_t nvenues;
	struct prow *out;
	size_t n, alloc;
	/* The last look-ups: a person's rows and a venue's come together. */
	uint64_t last_rid;
	uint32_t last_person;
	const struct store_venue_key *last_venue;
};

static enum cd_code bad(struct pctx *c, int col, const char *why)
{
	return import_rows_field_error(&c->rows, col, why);
}

static const char *get(struct pctx *c, int col)
{
	return import_rows_get(&c->rows, col);
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int person_rid_cmp(const void *a, const void *b)
{
	const struct store_person_key *x = a, *y = b;
	return (x->rid > y->rid) - (x->rid < y->rid);
}

static int phone_cmp(const void *a, const void *b)
{
	const struct store_person_key *x = a, *y = b;
	if (x->phone != y->phone)
		return (x->phone > y->phone) - (x->phone < y->phone);
	return (x->id > y->id) - (x->id < y->id);
}

/* A person by resident ID: the ID checked, then looked up. */
static enum cd_code person_of(struct pctx *c, int col, uint32_t *id)
{
	struct rid r;
	struct cd_err e;
	if (rid_parse(get(c, col), c->today, &r, &e))
		return bad(c, col, e.msg);
	uint64_t k = store_rid_key(r.id);
	if (k == c->last_rid && c->last_person) {
		*id = c->last_person;
		return CD_OK;
	}
	const struct store_person_key *p =
		search_array(&k, c->by_rid, c->npersons, sizeof *c->by_rid, key_cmp);
	if (!p)
		return bad(c, col, "no person with this resident ID in the "
			   "registry");
	c->last_rid = k;
	c->last_person = p->id;
	*id = p->id;
	return CD_OK;
}

/* An instant from 2020 up to a day past now. */
static enum cd_code time_of(struct pctx *c, int col, uint32_t *t)
{
	int64_t v;
	if (!instant_parse(get(c, col), &v))
		return bad(c, col, "must be an ISO 8601 time like "
			   "2022-03-28T09:00:00+08:00");
	if (v > c->now + 86400)
		return bad(c, col, "is in the future");
	if (!ptime_from(v, t))
		return bad(c, col, "is before 2020");
	return CD_OK;
}

static void add_row(struct pctx *c, uint32_t key, uint32_t person,
		    uint32_t start, uint32_t end, uint32_t aux)
{
	c->out = xgrow(c->out, sizeof *c->out, c->n + 1, &c->alloc);
	c->out[c->n++] = (struct prow){ key, person, start, end, aux };
}

static int venue_cmp(const void *a, const void *b)
{
	return strcmp(a, ((const struct store_venue_key *)b)->code);
}

static enum cd_code row_scan(struct pctx *c)
{
	uint32_t person = 0, t_in = 0, t_out = 0;
	enum cd_code rc;
	if ((rc = person_of(c, 0, &person)))
		return rc;
	const struct store_venue_key *v = c->last_venue;
	if (!v || strcmp(v->code, get(c, 1)) != 0)
		v = c->last_venue = search_array(get(c, 1), c->venues,
						 c->nvenues, sizeof *c->venues,
						 venue_cmp);
	if (!v && (rc = bad(c, 1, "no venue with this code in the registry")))
		return rc;
	if ((rc = time_of(c, 2, &t_in)))
		return rc;
	if (*get(c, 3) && !c->rows.row_errors) {
		if ((rc = time_of(c, 3, &t_out)))
			return rc;
		if (!c->rows.row_errors && t_out < t_in)
			return bad(c, 3, "is before check_in");
		if (!c->rows.row_errors && t_out - t_in > MAX_VISIT)
			return bad(c, 3, "is more than 24 hours after check_in");
	}
	if (!c->rows.row_errors)
		add_row(c, v->id, person, t_in, t_out, 0);
	return CD_OK;
}

/* A whole number in [lo, hi]. */
static int whole(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi || s[0] == '+' ||
	    s[0] == ' ')
		return -1;
	*out = v;
	return 0;
}

static enum cd_code trip_fields(struct pctx *c, struct trip_rec *t)
{
	enum cd_code rc;
	const char *mode = get(c, 1), *route = get(c, 2), *dep = get(c, 4);
	long carriage = 0, row = 0, hh, mm;
	if (strcmp(mode, "bus") && strcmp(mode, "rail") &&
	    (rc = bad(c, 1, "must be bus or rail")))
		return rc;
	t->mode = strcmp(mode, "rail") ? TRIP_BUS : TRIP_RAIL;
	size_t n = strlen(route);
	if ((n == 0 || n >= ROUTE_MAX || strspn(route, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "abcdefghijklmnopqrstuvwxyz"
					       "0123456789-") != n) &&
	    (rc = bad(c, 2, "must be 1-23 letters, digits or '-'")))
		return rc;
	snprintf(t->route, sizeof t->route, "%s", route);
	if (!date_parse(get(c, 3), &t->date) &&
	    (rc = bad(c, 3, "must be a date YYYY-MM-DD")))
		return rc;
	char hs[3] = { dep[0], dep[0] ? dep[1] : 0, 0 };
	if ((strlen(dep) != 5 || dep[2] != ':' || whole(hs, 0, 23, &hh) ||
	     whole(dep + 3, 0, 59, &mm)) &&
	    (rc = bad(c, 4, "must be a time HH:MM")))
		return rc;
	t->departure = c->rows.row_errors ? 0 : (int)(hh * 60 + mm);
	if (whole(get(c, 5), 1, 99, &carriage) &&
	    (rc = bad(c, 5, "must be a whole number from 1 to 99")))
		return rc;
	if (whole(get(c, 6), 1, 200, &row) &&
	    (rc = bad(c, 6, "must be a whole number from 1 to 200")))
		return rc;
	t->carriage = (int)carriage;
	t->seat_row = (int)row;
	return CD_OK;
}

static enum cd_code row_trip(struct pctx *c)
{
	struct trip_rec t;
	uint32_t person = 0, start;
	int64_t id;
	enum cd_code rc;
	memset(&t, 0, sizeof t);
	if ((rc = person_of(c, 0, &person)) || (rc = trip_fields(c, &t)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	int64_t dep = ((int64_t)t.date * 1440 + t.departure) * 60 -
		      CD_CST_OFFSET;
	if (!ptime_from(dep, &start) || dep > c->now + 86400)
		return bad(c, 3, "must be from 2020 up to tomorrow");
	if ((rc = store_trip_id(c->st, &t, &id, c->err)))
		return rc;
	add_row(c, (uint32_t)id, person, start, start,
		(uint32_t)t.carriage << 16 | (uint32_t)t.seat_row);
	return CD_OK;
}

/* The first person registered with this phone (by_phone is ordered by
 * phone, then id), or NULL. */
static const struct store_person_key *first_with_phone(const struct pctx *c,
						       uint64_t phone)
{
	size_t lo = 0, hi = c->npersons;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->by_phone[mid].phone < phone)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->npersons && c->by_phone[lo].phone == phone
		       ? &c->by_phone[lo] : NULL;
}

static enum cd_code row_cell(struct pctx *c)
{
	char phone[12];
	struct cd_err e;
	uint32_t cell = 0, a = 0, b = 0;
	enum cd_code rc;
	const struct store_person_key *p = NULL;
	if (phone_normalize(get(c, 0), phone, &e)) {
		if ((rc = bad(c, 0, e.msg)))
			return rc;
	} else {
		p = first_with_phone(c, strtoull(phone, NULL, 10));
		if (!p && (rc = bad(c, 0, "no person with this phone in the "
				    "registry")))
			return rc;
	}
	if (!cell_parse(get(c, 1), &cell) &&
	    (rc = bad(c, 1, "must be C and 8 digits: the 800 m grid cell")))
		return rc;
	if ((rc = time_of(c, 2, &a)) || (rc = time_of(c, 3, &b)))
		return rc;
	if (!c->rows.row_errors && b < a)
		return bad(c, 3, "is before start");
	if (!c->rows.row_errors && b - a > MAX_STAY)
		return bad(c, 3, "is more than 7 days after start");
	if (!c->rows.row_errors)
		add_row(c, cell, p->id, a, b, 0);
	return CD_OK;
}

static enum cd_code row_proximity(struct pctx *c)
{
	uint32_t a = 0, b = 0, t = 0;
	long minutes = 0;
	enum cd_code rc;
	if ((rc = person_of(c, 0, &a)) || (rc = person_of(c, 1, &b)) ||
	    (rc = time_of(c, 2, &t)))
		return rc;
	if (whole(get(c, 3), 1, 1440, &minutes) &&
	    (rc = bad(c, 3, "must be a whole number of minutes, 1 to 1440")))
		return rc;
	if (!c->rows.row_errors && a == b)
		return bad(c, 1, "is the same person as resident_id_a");
	if (c->rows.row_errors)
		return CD_OK;
	uint32_t end = t + (uint32_t)minutes * 60;
	add_row(c, b, a, t, end, 0);
	add_row(c, a, b, t, end, 0);
	return CD_OK;
}

static enum cd_code on_row(void *vc, long line, char *const *f, size_t n)
{
	struct pctx *c = vc;
	int ready;
	enum cd_code rc = import_rows_take(&c->rows, line, f, n, &ready);
	if (rc || !ready)
		return rc;
	switch (c->src) {
	case PS_SCANS: return row_scan(c);
	case PS_RIDES: return row_trip(c);
	case PS_CELLS: return row_cell(c);
	default: return row_proximity(c);
	}
}

static enum cd_code load_keys(struct pctx *c)
{
	enum cd_code rc = store_person_keys(c->st, &c->by_rid, &c->npersons,
					    c->err);
	if (rc)
		return rc;
	/* by_rid is searched with a bare uint64_t key: rid is the first
	 * member of struct store_person_key. */
	sort_array(c->by_rid, c->npersons, sizeof *c->by_rid, person_rid_cmp);
	if (c->src == PS_CELLS) {
		c->by_phone = xmalloc((c->npersons ? c->npersons : 1) *
				      sizeof *c->by_phone);
		if (c->npersons)
			memcpy(c->by_phone, c->by_rid,
			       c->npersons * sizeof *c->by_phone);
		sort_array(c->by_phone, c->npersons, sizeof *c->by_phone, phone_cmp);
	}
	if (c->src == PS_SCANS)
		rc = store_venue_keys(c->st, &c->venues, &c->nvenues, c->err);
	return rc;
}

/* Merge the new rows with the source's present ones and write them. */
static enum cd_code merge_and_write(struct pctx *c, const struct import_opts *o,
				    struct import_result *res)
{
	struct pindex old, ix;
	enum cd_code rc = store_presence_open(c->st, c->src, &old, c->err);
	if (rc)
		return rc;
	size_t parsed = c->n, before = old.nrows;
	c->out = xgrow(c->out, sizeof *c->out, c->n + old.nrows, &c->alloc);
	if (old.nrows)
		memcpy(c->out + c->n, old.rows, old.nrows * sizeof *c->out);
	c->n += old.nrows;
	size_t total = pindex_build(c->out, c->n, &ix);
	size_t added = total - before;
	int per = c->src == PS_PROXIMITY ? 2 : 1;
	res->inserted = (long)(added / (size_t)per);
	res->unchanged = (long)((parsed - added) / (size_t)per);
	if (!o->dry_run && added)
		rc = store_presence_replace(c->st, c->src, &ix, c->err);
	pindex_release(&ix);
	return rc;
}

enum cd_code presence_import(struct store *st, FILE *in,
			     const struct import_opts *o,
			     struct import_result *res, struct cd_err *err)
{
	static const enum psource src_of[] = { PS_SCANS, PS_RIDES, PS_CELLS,
					       PS_PROXIMITY };
	struct pctx c;
	struct csvread_opts copts = { o->name, 0, 0 };
	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	c.st = st;
	c.err = err;
	c.src = src_of[o->kind - IMPORT_SCANS];
	c.now = o->now;
	c.today = o->today;
	import_rows_init(&c.rows, presence_layout(o->kind), o, res);
	/* Trips are registered in the database; the rows go to a segment. */
	enum cd_code rc = load_keys(&c);
	if (!rc)
		rc = store_begin(st, err);
	if (!rc) {
		rc = csvread_stream(in, &copts, on_row, &c, err);
		rc = import_rows_finish(&c.rows, rc, err);
		if (!rc && !o->dry_run)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	}
	if (!rc)
		rc = merge_and_write(&c, o, res);
	if (!rc && !o->dry_run && c.src == PS_SCANS)
		rc = presence_merge_passes(st, err);
	if (!rc && !o->dry_run) {
		struct store_import_log log = {
			presence_layout(o->kind)->name, o->name, res->rows,
			res->inserted, 0, res->unchanged, o->now
		};
		rc = store_import_log(st, &log, err);
	}
	free(c.by_rid);
	free(c.by_phone);
	free(c.venues);
	free(c.out);
	return rc;
}

enum cd_code presence_merge_passes(struct store *st, struct cd_err *err)
{
	struct prow *rows;
	size_t n;
	struct pindex old, ix;
	enum cd_code rc = store_passes_unmerged(st, &rows, &n, err);
	if (rc || n == 0) {
		free(rows);
		return rc;
	}
	if ((rc = store_presence_open(st, PS_SCANS, &old, err))) {
		free(rows);
		return rc;
	}
	rows = xrealloc(rows, (n + old.nrows) * sizeof *rows);
	if (old.nrows)
		memcpy(rows + n, old.rows, old.nrows * sizeof *rows);
	pindex_build(rows, n + old.nrows, &ix);
	/* Written first, marked after: a crash between leaves passes that
	 * merge again, and identical rows are dropped. */
	rc = store_presence_replace(st, PS_SCANS, &ix, err);
	pindex_release(&ix);
	free(rows);
	return rc ? rc : store_passes_mark_merged(st, err);
}
