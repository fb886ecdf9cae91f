/* quarantine_import.c — CSV rows of rooms → sites and rooms, in one
 * transaction. */
#include "app/quarantine_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/quarantine.h"
#include "domain/registry.h"
#include "lib/csvread.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

enum { C_SITE, C_NAME, C_UNIT, C_ADDRESS, C_ROOM, C_CAPACITY };

static const struct import_layout layout = {
	"sites", "site,site_name,unit,address,room,capacity",
	{ { "site", 1 }, { "site_name", 1 }, { "unit", 1 }, { "address", 0 },
	  { "room", 1 }, { "capacity", 1 } }
};

/* See app/quarantine_import.h. */
const struct import_layout *quarantine_sites_layout(void)
{
	return &layout;
}

/* A site as first seen in this file. */
struct seen_site {
	struct site_rec s;
	long line;
	enum store_upsert up;
};

struct sctx {
	struct import_rows rows;
	struct store *st;
	struct cd_err *err;
	struct import_result *res;
	struct seen_site *sites;
	size_t nsites, asites;
	size_t last;      /* the last site looked up: rooms come together */
};

static enum cd_code bad(struct sctx *c, int col, const char *why)
{
	return import_rows_field_error(&c->rows, col, why);
}

static const char *get(struct sctx *c, int col)
{
	return import_rows_get(&c->rows, col);
}

/* The site's fields, checked, into r. */
static enum cd_code site_fields(struct sctx *c, struct site_rec *r)
{
	struct unit_code uc;
	struct cd_err e;
	enum cd_code rc;
	const char *addr = get(c, C_ADDRESS);
	memset(r, 0, sizeof *r);
	if (quarantine_site_code_check(get(c, C_SITE), &e) &&
	    (rc = bad(c, C_SITE, e.msg)))
		return rc;
	if (name_check(get(c, C_NAME), &e) && (rc = bad(c, C_NAME, e.msg)))
		return rc;
	if (unit_code_parse(get(c, C_UNIT), &uc, &e) &&
	    (rc = bad(c, C_UNIT, e.msg)))
		return rc;
	if (*addr && name_check(addr, &e) && (rc = bad(c, C_ADDRESS, e.msg)))
		return rc;
	if (strlen(addr) > ADDRESS_MAX_BYTES &&
	    (rc = bad(c, C_ADDRESS, "longer than 200 bytes")))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	snprintf(r->code, sizeof r->code, "%s", get(c, C_SITE));
	snprintf(r->name, sizeof r->name, "%s", get(c, C_NAME));
	snprintf(r->unit, sizeof r->unit, "%s", uc.code);
	snprintf(r->address, sizeof r->address, "%s", addr);
	return CD_OK;
}

static struct seen_site *find_site(struct sctx *c, const char *code)
{
	if (c->last < c->nsites && !strcmp(c->sites[c->last].s.code, code))
		return &c->sites[c->last];
	for (size_t i = 0; i < c->nsites; i++)
		if (!strcmp(c->sites[i].s.code, code))
			return &c->sites[c->last = i];
	return NULL;
}

/* The site of the row: written when first seen, else the same as then. */
static enum cd_code site_of(struct sctx *c, const struct site_rec *r,
			    struct seen_site **out)
{
	char why[96];
	struct seen_site *s = find_site(c, r->code);
	*out = s;
	if (s) {
		int col = strcmp(s->s.name, r->name)	   ? C_NAME
			  : strcmp(s->s.unit, r->unit)	   ? C_UNIT
			  : strcmp(s->s.address, r->address) ? C_ADDRESS
							     : -1;
		snprintf(why, sizeof why, "differs from line %ld for the same "
			 "site", s->line);
		return col < 0 ? CD_OK : bad(c, col, why);
	}
	enum store_upsert up;
	enum cd_code rc = store_site_upsert(c->st, r, &up, c->err);
	if (rc == CD_ENOTFOUND)
		return bad(c, C_UNIT, c->err->msg);
	if (rc)
		return rc;
	c->sites = xgrow(c->sites, sizeof *c->sites, c->nsites + 1,
			 &c->asites);
	s = &c->sites[c->last = c->nsites++];
	s->s = *r;
	s->line = c->rows.line;
	s->up = up;
	*out = s;
	return CD_OK;
}

/* The room's number (unique in the file) and capacity into r. */
static enum cd_code room_fields(struct sctx *c, struct room_rec *r)
{
	struct cd_err e;
	enum cd_code rc;
	char key[SITE_CODE_MAX + ROOM_NUMBER_MAX + 1], *end;
	long first = 0, cap;
	const char *num = get(c, C_ROOM), *capacity = get(c, C_CAPACITY);
	if (quarantine_room_number_check(num, &e)) {
		if ((rc = bad(c, C_ROOM, e.msg)))
			return rc;
	} else {
		snprintf(key, sizeof key, "%s/%s", get(c, C_SITE), num);
		if ((rc = store_seen(c->st, key, c->rows.line, &first, c->err)))
			return rc;
		if (first) {
			snprintf(e.msg, sizeof e.msg, "duplicate of line %ld",
				 first);
			if ((rc = bad(c, C_ROOM, e.msg)))
				return rc;
		}
	}
	errno = 0;
	cap = strtol(capacity, &end, 10);
	if ((*capacity < '0' || *capacity > '9' || *end || errno || cap < 1 ||
	     cap > ROOM_CAPACITY_MAX) &&
	    (rc = bad(c, C_CAPACITY, "must be a whole number of people from "
		      "1 to 20")))
		return rc;
	snprintf(r->site, sizeof r->site, "%s", get(c, C_SITE));
	snprintf(r->number, sizeof r->number, "%s", num);
	r->capacity = (int)cap;
	return CD_OK;
}

static void count(struct sctx *c, enum store_upsert site,
		  enum store_upsert room)
{
	if (room == STORE_INSERTED)
		c->res->inserted++;
	else if (room == STORE_UPDATED || site != STORE_UNCHANGED)
		c->res->updated++;
	else
		c->res->unchanged++;
}

static enum cd_code on_row(void *vc, long line, char *const *f, size_t n)
{
	struct sctx *c = vc;
	struct site_rec sr;
	struct room_rec rr;
	struct seen_site *site = NULL;
	enum store_upsert up;
	int ready;
	enum cd_code rc = import_rows_take(&c->rows, line, f, n, &ready);
	if (rc || !ready)
		return rc;
	if ((rc = site_fields(c, &sr)) || (rc = room_fields(c, &rr)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	if ((rc = site_of(c, &sr, &site)) || c->rows.row_errors)
		return rc;
	rc = store_room_upsert(c->st, &rr, &up, c->err);
	if (rc == CD_ECONFLICT)
		return bad(c, C_CAPACITY, c->err->msg);
	if (!rc)
		count(c, site->line == line ? site->up : STORE_UNCHANGED, up);
	return rc;
}

/* See app/quarantine_import.h. */
enum cd_code quarantine_sites_import(struct store *st, FILE *in,
				     const struct import_opts *o,
				     struct import_result *res,
				     struct cd_err *err)
{
	struct sctx c;
	struct csvread_opts copts = { o->name, 0, 0 };
	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	c.st = st;
	c.err = err;
	c.res = res;
	import_rows_init(&c.rows, &layout, o, res);
	enum cd_code rc = store_begin(st, err);
	if (rc)
		return rc;
	store_seen_reset(st);
	rc = csvread_stream(in, &copts, on_row, &c, err);
	rc = import_rows_finish(&c.rows, rc, err);
	free(c.sites);
	if (!rc && !o->dry_run) {
		struct store_import_log log = {
			layout.name, o->name, res->rows, res->inserted,
			res->updated, res->unchanged, o->now
		};
		if (!(rc = store_import_log(st, &log, err)))
			rc = store_commit(st, err);
		if (rc)
			store_rollback(st);
		return rc;
	}
	store_rollback(st);
	return rc;
}
