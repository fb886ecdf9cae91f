/* import.c — CSV rows → validated registry records → one transaction. */
#include "app/import.h"

#include "app/import_rows.h"
#include "app/presence_import.h"
#include "app/quarantine_import.h"
#include "app/testing_import.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/registry.h"
#include "lib/csvread.h"
#include "lib/ids.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

struct ctx;
typedef enum cd_code (*row_fn)(struct ctx *c);

struct kind_spec {
	struct import_layout layout;
	row_fn row;
};

struct pending_unit {
	struct unit_rec rec;
	long line;
};

#define SCOPE_CACHE 16

struct ctx {
	struct store *st;
	const struct import_opts *o;
	const struct kind_spec *spec;
	struct import_result *res;
	struct cd_err *err;
	struct import_rows rows;
	struct pending_unit *units;
	size_t nunits, aunits;
	/* Units lately found within the scope or not (o->scope). */
	struct {
		char code[UNIT_CODE_MAX];
		bool in;
	} seen_scope[SCOPE_CACHE];
	int nseen_scope;
};

static enum cd_code row_units(struct ctx *c);
static enum cd_code row_households(struct ctx *c);
static enum cd_code row_persons(struct ctx *c);
static enum cd_code row_venues(struct ctx *c);
static enum cd_code row_grid_workers(struct ctx *c);

static const struct kind_spec specs[IMPORT_KIND_COUNT] = {
	[IMPORT_UNITS] = { { "units", "code,name,kind",
			     { { "code", 1 }, { "name", 1 }, { "kind", 0 } } },
			   row_units },
	[IMPORT_HOUSEHOLDS] = { { "households", "code,address",
				  { { "code", 1 }, { "address", 0 } } },
				row_households },
	[IMPORT_PERSONS] = { { "persons",
			       "resident_id,name,household,phone,groups",
			       { { "resident_id", 1 }, { "name", 1 },
				 { "household", 1 }, { "phone", 0 },
				 { "groups", 0 } } },
			     row_persons },
	[IMPORT_VENUES] = { { "venues", "code,name,kind,unit,lat,lon",
			      { { "code", 1 }, { "name", 1 }, { "kind", 1 },
				{ "unit", 1 }, { "lat", 0 }, { "lon", 0 } } },
			    row_venues },
	[IMPORT_GRID_WORKERS] = { { "grid-workers", "phone,name,hamlets",
				    { { "phone", 1 }, { "name", 1 },
				      { "hamlets", 1 } } },
				  row_grid_workers },
};

int import_kind_parse(const char *s)
{
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		if (strcmp(s, import_kind_name((enum import_kind)k)) == 0)
			return k;
	return -1;
}

const char *import_kind_name(enum import_kind k)
{
	if (k == IMPORT_SITES)
		return quarantine_sites_layout()->name;
	if (k == IMPORT_SAMPLES || k == IMPORT_RESULTS)
		return testing_layout(k)->name;
	return k < IMPORT_SCANS ? specs[k].layout.name
				: presence_layout(k)->name;
}

const char *import_kind_columns(enum import_kind k)
{
	if (k == IMPORT_SITES)
		return quarantine_sites_layout()->columns;
	if (k == IMPORT_SAMPLES || k == IMPORT_RESULTS)
		return testing_layout(k)->columns;
	return k < IMPORT_SCANS ? specs[k].layout.columns
				: presence_layout(k)->columns;
}

static enum cd_code field_error(struct ctx *c, int col, const char *reason)
{
	return import_rows_field_error(&c->rows, col, reason);
}

static enum cd_code line_error(struct ctx *c, const char *reason)
{
	return import_rows_line_error(&c->rows, reason);
}

static const char *get(struct ctx *c, int col)
{
	return import_rows_get(&c->rows, col);
}

/* Copy a checked value into a fixed field. */
static void put(char *dst, size_t len, const char *v)
{
	size_t n = strlen(v);
	if (n >= len)
		n = len - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* ---- jurisdiction (o->scope) */

static bool scoped(const struct ctx *c)
{
	return c->o->scope && c->o->scope[0];
}

/* Whether unit lies in the scope's subtree. An unknown unit counts as
 * within: writing the row reports it as unknown. */
static enum cd_code within(struct ctx *c, const char *unit, bool *in)
{
	*in = true;
	if (!scoped(c) || !unit[0])
		return CD_OK;
	for (int i = 0; i < c->nseen_scope && i < SCOPE_CACHE; i++)
		if (!strcmp(c->seen_scope[i].code, unit))
			return *in = c->seen_scope[i].in, CD_OK;
	struct cd_err e;
	enum cd_code rc = store_unit_within(c->st, unit, c->o->scope, in, &e);
	if (rc == CD_ENOTFOUND)
		return *in = true, CD_OK;
	if (rc) {
		*c->err = e;
		return rc;
	}
	int slot = c->nseen_scope++ % SCOPE_CACHE;
	put(c->seen_scope[slot].code, UNIT_CODE_MAX, unit);
	c->seen_scope[slot].in = *in;
	return CD_OK;
}

/* A row error on col when unit lies outside the scope; what names the
 * unit when it is not the field's value ("" otherwise). */
static enum cd_code scope_check(struct ctx *c, const char *unit, int col,
				const char *what)
{
	bool in;
	enum cd_code rc = within(c, unit, &in);
	if (rc || in)
		return rc;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s%soutside your jurisdiction (%s)", what,
		    what[0] ? " is " : "", c->o->scope);
	rc = field_error(c, col, sb.buf);
	strbuf_release(&sb);
	return rc;
}

/* A stored person or venue being updated must lie within the scope
 * where it is now, not only where the row puts it. */
static enum cd_code scope_check_stored(struct ctx *c, enum store_key kind,
				       const char *key, int col)
{
	char unit[UNIT_CODE_MAX];
	if (!scoped(c))
		return CD_OK;
	enum cd_code rc = store_record_unit(c->st, kind, key, unit, c->err);
	if (rc || !unit[0])
		return rc;
	char what[64];
	snprintf(what, sizeof what, "stored in %s, which", unit);
	return scope_check(c, unit, col, what);
}

/* Track the key within this file; a repeat is an error naming the first
 * line. Returns CD_OK and sets *dup when it is a duplicate. */
static enum cd_code dup_check(struct ctx *c, int col, int *dup)
{
	long first = 0;
	char reason[64];
	enum cd_code rc = store_seen(c->st, get(c, col), c->rows.line, &first,
				     c->err);
	*dup = 0;
	if (rc)
		return rc;
	if (!first)
		return CD_OK;
	*dup = 1;
	snprintf(reason, sizeof reason, "duplicate of line %ld", first);
	return field_error(c, col, reason);
}

/* Write through the store: a missing reference is a row error on column
 * col; other failures (disk full, read-only) stop the import. */
static enum cd_code stored(struct ctx *c, enum cd_code rc,
			   enum store_upsert up, int col)
{
	if (rc == CD_ENOTFOUND)
		return field_error(c, col, c->err->msg);
	if (rc)
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	if (up == STORE_INSERTED)
		c->res->inserted++;
	else if (up == STORE_UPDATED)
		c->res->updated++;
	else
		c->res->unchanged++;
	return CD_OK;
}

static enum cd_code row_units(struct ctx *c)
{
	struct pending_unit pu;
	struct unit_code uc;
	enum cd_code rc;
	int dup;
	memset(&pu, 0, sizeof pu);
	struct cd_err e;
	if (unit_code_parse(get(c, 0), &uc, &e)) {
		if ((rc = field_error(c, 0, e.msg)))
			return rc;
	} else {
		if (unit_kind_resolve(get(c, 2), &uc, &pu.rec.kind, &e) &&
		    (rc = field_error(c, 2, e.msg)))
			return rc;
		if ((rc = dup_check(c, 0, &dup)))
			return rc;
	}
	if (name_check(get(c, 1), &e) && (rc = field_error(c, 1, e.msg)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	put(pu.rec.code, sizeof pu.rec.code, uc.code);
	put(pu.rec.name, sizeof pu.rec.name, get(c, 1));
	put(pu.rec.parent, sizeof pu.rec.parent, uc.parent);
	pu.rec.level = uc.level;
	pu.line = c->rows.line;
	/* Units are written after the whole file is read, parents first, so
	 * a file need not be ordered. */
	c->units = xgrow(c->units, sizeof *c->units, c->nunits + 1,
			 &c->aunits);
	c->units[c->nunits++] = pu;
	return CD_OK;
}

static int unit_order(const void *a, const void *b)
{
	const struct pending_unit *x = a, *y = b;
	if (x->rec.level != y->rec.level)
		return (int)x->rec.level - (int)y->rec.level;
	return (x->line > y->line) - (x->line < y->line);
}

/* A unit row is within the scope when the unit is (it exists), or else
 * its parent is: checked as the units are written, parents first, so a
 * new village and its new hamlets may come in one file. */
static enum cd_code unit_outside(struct ctx *c, const struct unit_rec *u,
				 bool *out)
{
	bool in = false;
	struct cd_err e;
	*out = false;
	if (!scoped(c))
		return CD_OK;
	enum cd_code rc = store_unit_within(c->st, u->code, c->o->scope, &in,
					    &e);
	if (rc == CD_ENOTFOUND && u->parent[0])
		rc = store_unit_within(c->st, u->parent, c->o->scope, &in, &e);
	/* An unknown parent: writing the row reports it. */
	if (rc == CD_ENOTFOUND && u->parent[0])
		in = true;
	if (rc && rc != CD_ENOTFOUND) {
		*c->err = e;
		return rc;
	}
	*out = !in;
	return CD_OK;
}

static enum cd_code flush_units(struct ctx *c)
{
	enum cd_code rc = CD_OK;
	if (c->nunits == 0)
		return CD_OK;
	sort_array(c->units, c->nunits, sizeof *c->units, unit_order);
	for (size_t i = 0; i < c->nunits && !rc; i++) {
		enum store_upsert up;
		c->rows.line = c->units[i].line;
		c->rows.row_errors = 0;
		bool out;
		if ((rc = unit_outside(c, &c->units[i].rec, &out)))
			break;
		if (out) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "field 'code' value '%s': outside "
				    "your jurisdiction (%s)",
				    c->units[i].rec.code, c->o->scope);
			rc = line_error(c, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		enum cd_code s = store_unit_upsert(c->st, &c->units[i].rec,
						   &up, c->err);
		if (s == CD_ENOTFOUND) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "field 'code' value '%s': %s",
				    c->units[i].rec.code, c->err->msg);
			rc = line_error(c, sb.buf);
			strbuf_release(&sb);
		} else {
			rc = stored(c, s, up, 0);
		}
	}
	return rc;
}

static enum cd_code row_households(struct ctx *c)
{
	struct household_rec r;
	struct cd_err e;
	enum cd_code rc;
	int dup = 0;
	memset(&r, 0, sizeof r);
	if (household_code_parse(get(c, 0), r.hamlet, &e)) {
		if ((rc = field_error(c, 0, e.msg)))
			return rc;
	} else if ((rc = dup_check(c, 0, &dup))) {
		return rc;
	}
	const char *addr = get(c, 1);
	if (*addr && name_check(addr, &e) && (rc = field_error(c, 1, e.msg)))
		return rc;
	if (strlen(addr) > ADDRESS_MAX_BYTES &&
	    (rc = field_error(c, 1, "longer than 200 bytes")))
		return rc;
	if (!c->rows.row_errors && (rc = scope_check(c, r.hamlet, 0, "")))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	put(r.code, sizeof r.code, get(c, 0));
	put(r.address, sizeof r.address, addr);
	enum store_upsert up;
	enum cd_code src = store_household_upsert(c->st, &r, &up, c->err);
	return stored(c, src, up, 0);
}

static enum cd_code row_persons(struct ctx *c)
{
	struct person_rec r;
	struct rid id;
	struct cd_err e;
	char hamlet[UNIT_CODE_MAX];
	enum cd_code rc;
	int dup;
	memset(&r, 0, sizeof r);
	if (rid_parse(get(c, 0), c->o->today, &id, &e)) {
		if ((rc = field_error(c, 0, e.msg)))
			return rc;
	} else {
		/* Key on the normalised ID so ...x and ...X are one person. */
		char *raw = c->rows.f[c->rows.map[0]];
		if (strcmp(raw, id.id) != 0)
			memcpy(raw, id.id, RID_LEN);
		if ((rc = dup_check(c, 0, &dup)))
			return rc;
	}
	if (name_check(get(c, 1), &e) && (rc = field_error(c, 1, e.msg)))
		return rc;
	if (household_code_parse(get(c, 2), hamlet, &e) &&
	    (rc = field_error(c, 2, e.msg)))
		return rc;
	if (*get(c, 3) && phone_normalize(get(c, 3), r.phone, &e) &&
	    (rc = field_error(c, 3, e.msg)))
		return rc;
	if (groups_parse(get(c, 4), &r.groups, &e) &&
	    (rc = field_error(c, 4, e.msg)))
		return rc;
	if (!c->rows.row_errors && (rc = scope_check(c, hamlet, 2, hamlet)))
		return rc;
	if (!c->rows.row_errors &&
	    (rc = scope_check_stored(c, KEY_PERSON, id.id, 0)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	put(r.rid, sizeof r.rid, id.id);
	put(r.name, sizeof r.name, get(c, 1));
	put(r.household, sizeof r.household, get(c, 2));
	r.sex = id.sex;
	r.birth = id.birth;
	enum store_upsert up;
	enum cd_code src = store_person_upsert(c->st, &r, &up, c->err);
	return stored(c, src, up, 2);
}

static enum cd_code row_venues(struct ctx *c)
{
	struct venue_rec r;
	struct unit_code uc;
	struct cd_err e;
	enum cd_code rc;
	int dup;
	memset(&r, 0, sizeof r);
	if (venue_code_check(get(c, 0), &e)) {
		if ((rc = field_error(c, 0, e.msg)))
			return rc;
	} else if ((rc = dup_check(c, 0, &dup))) {
		return rc;
	}
	if (name_check(get(c, 1), &e) && (rc = field_error(c, 1, e.msg)))
		return rc;
	if (venue_kind_parse(get(c, 2), &r.kind, &e) &&
	    (rc = field_error(c, 2, e.msg)))
		return rc;
	if (unit_code_parse(get(c, 3), &uc, &e) &&
	    (rc = field_error(c, 3, e.msg)))
		return rc;
	const char *lat = get(c, 4), *lon = get(c, 5);
	if (*lat || *lon) {
		r.has_coord = 1;
		if (coord_parse(lat, -90, 90, &r.lat, &e) &&
		    (rc = field_error(c, 4, *lat ? e.msg
						 : "lat and lon go together")))
			return rc;
		if (coord_parse(lon, -180, 180, &r.lon, &e) &&
		    (rc = field_error(c, 5, *lon ? e.msg
						 : "lat and lon go together")))
			return rc;
	}
	if (!c->rows.row_errors && (rc = scope_check(c, uc.code, 3, "")))
		return rc;
	if (!c->rows.row_errors &&
	    (rc = scope_check_stored(c, KEY_VENUE, get(c, 0), 0)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	put(r.code, sizeof r.code, get(c, 0));
	put(r.name, sizeof r.name, get(c, 1));
	put(r.unit, sizeof r.unit, uc.code);
	enum store_upsert up;
	enum cd_code src = store_venue_upsert(c->st, &r, &up, c->err);
	return stored(c, src, up, 3);
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Split "h1;h2" into r->units, each a hamlet-level code, sorted. */
static enum cd_code parse_hamlets(struct ctx *c, struct grid_worker_rec *r)
{
	const char *s = get(c, 2);
	enum cd_code rc;
	if (!*s)
		return field_error(c, 2, "at least one hamlet is required");
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char code[UNIT_CODE_MAX + 1];
		struct unit_code uc;
		struct cd_err er;
		if (r->nunits == GRID_WORKER_MAX_UNITS)
			return field_error(c, 2, "more than 32 hamlets");
		if (n >= sizeof code || (put(code, n + 1, s),
					 unit_code_parse(code, &uc, &er)))
			return field_error(c, 2,
					   "each hamlet must be a hamlet/grid "
					   "code like 430422103201-007, "
					   "separated by ';'");
		if (uc.level != UNIT_HAMLET)
			return field_error(c, 2,
					   "grid workers answer for hamlets or "
					   "grids, not larger units");
		put(r->units[r->nunits++], UNIT_CODE_MAX, code);
		s += n + (e != NULL);
	}
	sort_array(r->units, r->nunits, UNIT_CODE_MAX, code_cmp);
	for (size_t i = 1; i < r->nunits; i++)
		if (strcmp(r->units[i], r->units[i - 1]) == 0 &&
		    (rc = field_error(c, 2, "a hamlet is listed twice")))
			return rc;
	return CD_OK;
}

/* Every hamlet of the row, and every hamlet the worker answers for now,
 * within the scope. */
static enum cd_code grid_worker_scope(struct ctx *c,
				      const struct grid_worker_rec *r)
{
	char now[UNIT_CODE_MAX];
	enum cd_code rc;
	if (!scoped(c))
		return CD_OK;
	for (size_t i = 0; i < r->nunits && !c->rows.row_errors; i++)
		if ((rc = scope_check(c, r->units[i], 2, r->units[i])))
			return rc;
	if (c->rows.row_errors)
		return CD_OK;
	if ((rc = store_grid_worker_outside(c->st, r->phone, c->o->scope, now,
					    c->err)) || !now[0])
		return rc;
	char what[96];
	snprintf(what, sizeof what, "this grid worker answers for %s, which",
		 now);
	return scope_check(c, now, 0, what);
}

static enum cd_code row_grid_workers(struct ctx *c)
{
	struct grid_worker_rec r;
	struct cd_err e;
	enum cd_code rc;
	int dup;
	memset(&r, 0, sizeof r);
	if (phone_normalize(get(c, 0), r.phone, &e)) {
		if ((rc = field_error(c, 0, e.msg)))
			return rc;
	} else {
		memcpy(c->rows.f[c->rows.map[0]], r.phone, 12);
		if ((rc = dup_check(c, 0, &dup)))
			return rc;
	}
	if (name_check(get(c, 1), &e) && (rc = field_error(c, 1, e.msg)))
		return rc;
	if ((rc = parse_hamlets(c, &r)))
		return rc;
	if (!c->rows.row_errors && (rc = grid_worker_scope(c, &r)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	put(r.name, sizeof r.name, get(c, 1));
	enum store_upsert up;
	enum cd_code src = store_grid_worker_upsert(c->st, &r, &up, c->err);
	return stored(c, src, up, 2);
}

static enum cd_code on_row(void *vc, long line, char *const *f, size_t n)
{
	struct ctx *c = vc;
	int ready;
	enum cd_code rc = import_rows_take(&c->rows, line, f, n, &ready);
	return rc || !ready ? rc : c->spec->row(c);
}

enum cd_code import_stream(struct store *st, FILE *in,
			   const struct import_opts *o,
			   struct import_result *res, struct cd_err *err)
{
	struct ctx c;
	struct csvread_opts copts = { o->name, 0, 0 };
	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	c.st = st;
	c.o = o;
	c.spec = &specs[o->kind];
	c.res = res;
	c.err = err;
	if (o->kind == IMPORT_SAMPLES || o->kind == IMPORT_RESULTS)
		return testing_import(st, in, o, NULL, res, err);
	if (o->kind == IMPORT_SITES)
		return quarantine_sites_import(st, in, o, res, err);
	if (o->kind >= IMPORT_SCANS)
		return presence_import(st, in, o, res, err);
	import_rows_init(&c.rows, &c.spec->layout, o, res);
	enum cd_code rc = store_begin(st, err);
	if (rc)
		return rc;
	store_seen_reset(st);
	rc = csvread_stream(in, &copts, on_row, &c, err);
	rc = import_rows_finish(&c.rows, rc, err);
	if (!rc && o->kind == IMPORT_UNITS) {
		rc = flush_units(&c);
		if (rc == CD_ETOOBIG)
			rc = CD_OK;
		if (!rc)
			rc = import_rows_finish(&c.rows, CD_OK, err);
	}
	free(c.units);
	if (!rc && !o->dry_run) {
		struct store_import_log log = {
			c.spec->layout.name, o->name, res->rows,
			res->inserted, res->updated, res->unchanged, o->now
		};
		if (!(rc = store_import_log(st, &log, err)))
			rc = store_commit(st, err);
		return rc;
	}
	store_rollback(st);
	return rc;
}
