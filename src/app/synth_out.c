/* synth_out.c — CSV and database sinks for the synthetic county. */
#include "app/synth_out.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/xalloc.h"
#include "store/store.h"
#include "lib/banned.h"

enum { F_UNITS, F_HOUSEHOLDS, F_PERSONS, F_VENUES, F_WORKERS, F_SCANS,
       F_TRIPS, F_CELLS, F_COUNT };

static const struct {
	const char *name, *header;
} files[F_COUNT] = {
	{ "units.csv", "code,name,kind" },
	{ "households.csv", "code,address" },
	{ "persons.csv", "resident_id,name,household,phone,groups" },
	{ "venues.csv", "code,name,kind,unit,lat,lon" },
	{ "grid-workers.csv", "phone,name,hamlets" },
	{ "scans.csv", "resident_id,venue,check_in,check_out" },
	{ "trips.csv",
	  "resident_id,mode,route,date,departure,carriage,seat_row" },
	{ "cells.csv", "phone,cell,start,end" },
};

struct synth_writer {
	struct synth_sink sink;
	/* CSV */
	char *dir;
	FILE *f[F_COUNT];
	/* database */
	char *path, *partial;
	struct store *st;
	struct cd_err *err;       /* where sink callbacks put details */
	struct cd_err cb_err;
	int64_t *person_id, *venue_id;
	size_t aperson, avenue;
	struct prow *rows[PS_COUNT];
	size_t nrows[PS_COUNT], arows[PS_COUNT];
};

/* ---- CSV */

/* A text field, quoted only when it must be. */
static void put_text(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n"))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
}

static enum cd_code csv_unit(void *ctx, const struct unit_rec *u)
{
	struct synth_writer *w = ctx;
	FILE *f = w->f[F_UNITS];
	fprintf(f, "%s,", u->code);
	put_text(f, u->name);
	fprintf(f, ",%s\n", unit_kind_name(u->kind));
	return CD_OK;
}

static enum cd_code csv_household(void *ctx, const struct household_rec *h)
{
	struct synth_writer *w = ctx;
	fprintf(w->f[F_HOUSEHOLDS], "%s,", h->code);
	put_text(w->f[F_HOUSEHOLDS], h->address);
	fputc('\n', w->f[F_HOUSEHOLDS]);
	return CD_OK;
}

static enum cd_code csv_person(void *ctx, long idx, const struct person_rec *p)
{
	struct synth_writer *w = ctx;
	char groups[64];
	(void)idx;
	groups_format(p->groups, groups, sizeof groups);
	fprintf(w->f[F_PERSONS], "%s,", p->rid);
	put_text(w->f[F_PERSONS], p->name);
	fprintf(w->f[F_PERSONS], ",%s,%s,%s\n", p->household, p->phone,
		groups);
	return CD_OK;
}

static enum cd_code csv_venue(void *ctx, long idx, const struct venue_rec *v)
{
	struct synth_writer *w = ctx;
	(void)idx;
	fprintf(w->f[F_VENUES], "%s,", v->code);
	put_text(w->f[F_VENUES], v->name);
	fprintf(w->f[F_VENUES], ",%s,%s,%.6f,%.6f\n", venue_kind_name(v->kind),
		v->unit, v->lat, v->lon);
	return CD_OK;
}

static enum cd_code csv_worker(void *ctx, const struct grid_worker_rec *g)
{
	struct synth_writer *w = ctx;
	fprintf(w->f[F_WORKERS], "%s,", g->phone);
	put_text(w->f[F_WORKERS], g->name);
	for (size_t i = 0; i < g->nunits; i++)
		fprintf(w->f[F_WORKERS], "%c%s", i ? ';' : ',', g->units[i]);
	fputc('\n', w->f[F_WORKERS]);
	return CD_OK;
}

static enum cd_code csv_scan(void *ctx, long p, long v,
			     const struct scan_rec *s)
{
	struct synth_writer *w = ctx;
	char in[32], out[32] = "";
	(void)p, (void)v;
	instant_format_iso(s->t_in, in, sizeof in);
	if (s->t_out)
		instant_format_iso(s->t_out, out, sizeof out);
	fprintf(w->f[F_SCANS], "%s,%s,%s,%s\n", s->rid, s->venue, in, out);
	return CD_OK;
}

static enum cd_code csv_trip(void *ctx, long p, const struct trip_rec *t)
{
	struct synth_writer *w = ctx;
	char date[11];
	(void)p;
	date_format(t->date, date, sizeof date);
	fprintf(w->f[F_TRIPS], "%s,%s,%s,%s,%02d:%02d,%d,%d\n", t->rid,
		trip_mode_name(t->mode), t->route, date, t->departure / 60,
		t->departure % 60, t->carriage, t->seat_row);
	return CD_OK;
}

static enum cd_code csv_cell(void *ctx, long p, const struct cell_rec *c)
{
	struct synth_writer *w = ctx;
	char a[32], b[32];
	(void)p;
	instant_format_iso(c->start, a, sizeof a);
	instant_format_iso(c->end, b, sizeof b);
	fprintf(w->f[F_CELLS], "%s,%s,%s,%s\n", c->phone, c->cell, a, b);
	return CD_OK;
}

enum cd_code synth_writer_csv(const char *dir, struct synth_writer **out,
			      struct cd_err *err)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cd_err_set(err, CD_EIO, "cannot create %s: %s", dir,
				  strerror(errno));
	struct synth_writer *w = xcalloc(1, sizeof *w);
	w->dir = xstrdup(dir);
	for (int i = 0; i < F_COUNT; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		if (!(w->f[i] = fopen(path, "w"))) {
			cd_err_set(err, CD_EIO, "cannot write %s: %s", path,
				   strerror(errno));
			synth_writer_abort(w);
			return CD_EIO;
		}
		/* Big buffers: these files reach gigabytes. */
		setvbuf(w->f[i], NULL, _IOFBF, 1 << 20);
		fprintf(w->f[i], "%s\n", files[i].header);
	}
	struct synth_sink k = { w, csv_unit, csv_household, csv_person,
				csv_venue, csv_worker, csv_scan, csv_trip,
				csv_cell };
	w->sink = k;
	*out = w;
	return CD_OK;
}

/* ---- database */

static enum cd_code db_unit(void *ctx, const struct unit_rec *u)
{
	struct synth_writer *w = ctx;
	return store_unit_upsert(w->st, u, NULL, w->err);
}

static enum cd_code db_household(void *ctx, const struct household_rec *h)
{
	struct synth_writer *w = ctx;
	return store_household_upsert(w->st, h, NULL, w->err);
}

static enum cd_code db_person(void *ctx, long idx, const struct person_rec *p)
{
	struct synth_writer *w = ctx;
	enum store_upsert up;
	enum cd_code rc = store_person_upsert(w->st, p, &up, w->err);
	if (rc)
		return rc;
	if (up != STORE_INSERTED)
		return cd_err_set(w->err, CD_ECONFLICT,
				  "person %s generated twice", p->rid);
	w->person_id = xgrow(w->person_id, sizeof *w->person_id,
			     (size_t)idx + 1, &w->aperson);
	w->person_id[idx] = store_last_insert_id(w->st);
	return CD_OK;
}

static enum cd_code db_venue(void *ctx, long idx, const struct venue_rec *v)
{
	struct synth_writer *w = ctx;
	enum store_upsert up;
	enum cd_code rc = store_venue_upsert(w->st, v, &up, w->err);
	if (rc)
		return rc;
	if (up != STORE_INSERTED)
		return cd_err_set(w->err, CD_ECONFLICT,
				  "venue %s generated twice", v->code);
	w->venue_id = xgrow(w->venue_id, sizeof *w->venue_id,
			    (size_t)idx + 1, &w->avenue);
	w->venue_id[idx] = store_last_insert_id(w->st);
	return CD_OK;
}

static enum cd_code db_worker(void *ctx, const struct grid_worker_rec *g)
{
	struct synth_writer *w = ctx;
	return store_grid_worker_upsert(w->st, g, NULL, w->err);
}

/* Presence rows are gathered in memory and written as segments when the
 * county is complete. */
static void db_row(struct synth_writer *w, enum psource src, uint32_t key,
		   uint32_t person, int64_t start, int64_t end, uint32_t aux)
{
	uint32_t a = 0, b = 0;
	if (!ptime_from(start, &a) || (end && !ptime_from(end, &b)))
		return; /* synth's dates are checked to be after 2020 */
	w->rows[src] = xgrow(w->rows[src], sizeof *w->rows[src],
			     w->nrows[src] + 1, &w->arows[src]);
	w->rows[src][w->nrows[src]++] = (struct prow){ key, person, a, b, aux };
}

static enum cd_code db_scan(void *ctx, long p, long v,
			    const struct scan_rec *s)
{
	struct synth_writer *w = ctx;
	db_row(w, PS_SCANS, (uint32_t)w->venue_id[v], (uint32_t)w->person_id[p],
	       s->t_in, s->t_out, 0);
	return CD_OK;
}

static enum cd_code db_trip(void *ctx, long p, const struct trip_rec *t)
{
	struct synth_writer *w = ctx;
	int64_t id;
	enum cd_code rc = store_trip_id(w->st, t, &id, w->err);
	if (rc)
		return rc;
	int64_t dep = ((int64_t)t->date * 1440 + t->departure) * 60 -
		      CD_CST_OFFSET;
	db_row(w, PS_RIDES, (uint32_t)id, (uint32_t)w->person_id[p], dep, dep,
	       (uint32_t)t->carriage << 16 | (uint32_t)t->seat_row);
	return CD_OK;
}

static enum cd_code db_cell(void *ctx, long p, const struct cell_rec *c)
{
	struct synth_writer *w = ctx;
	uint32_t cell;
	if (!cell_parse(c->cell, &cell))
		return cd_err_set(w->err, CD_EINVAL, "bad cell id %s", c->cell);
	db_row(w, PS_CELLS, cell, (uint32_t)w->person_id[p], c->start, c->end,
	       0);
	return CD_OK;
}

/* Index and write each source's rows, freeing them as it goes. */
static enum cd_code db_segments(struct synth_writer *w, struct cd_err *err)
{
	enum cd_code rc = CD_OK;
	for (int i = 0; i < PS_COUNT && !rc; i++) {
		struct pindex ix;
		pindex_build(w->rows[i], w->nrows[i], &ix);
		rc = store_presence_replace(w->st, (enum psource)i, &ix, err);
		pindex_release(&ix);
		free(w->rows[i]);
		w->rows[i] = NULL;
	}
	return rc;
}

static void remove_partial(const char *partial)
{
	char p[4200];
	const char *sfx[] = { "", "-journal", "-wal", "-shm" };
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", partial, sfx[i]);
		unlink(p);
	}
	for (int i = 0; i < PS_COUNT; i++) {
		for (int t = 0; t < 2; t++) {
			snprintf(p, sizeof p, "%s.presence/%s.seg%s", partial,
				 psource_name((enum psource)i), t ? ".tmp" : "");
			unlink(p);
		}
	}
	snprintf(p, sizeof p, "%s.presence", partial);
	rmdir(p);
}

/* Move the finished database and its presence folder into place. */
static enum cd_code move_into_place(struct synth_writer *w, struct cd_err *err)
{
	char from[4200], to[4200];
	snprintf(from, sizeof from, "%s.presence", w->partial);
	snprintf(to, sizeof to, "%s.presence", w->path);
	struct stat sb;
	if (stat(to, &sb) == 0)
		return cd_err_set(err, CD_ECONFLICT, "%s already exists", to);
	if (rename(from, to) != 0 || rename(w->partial, w->path) != 0) {
		int e = errno;
		rename(to, from);
		return cd_err_set(err, CD_EIO, "cannot rename %s to %s: %s",
				  w->partial, w->path, strerror(e));
	}
	return CD_OK;
}

enum cd_code synth_writer_db(const char *path, struct synth_writer **out,
			     struct cd_err *err)
{
	struct stat sb;
	char seg[4200];
	snprintf(seg, sizeof seg, "%s.presence", path);
	if (stat(path, &sb) == 0 || stat(seg, &sb) == 0)
		return cd_err_set(err, CD_ECONFLICT,
				  "%s already exists; synth builds a new "
				  "database", stat(path, &sb) == 0 ? path : seg);
	struct synth_writer *w = xcalloc(1, sizeof *w);
	size_t n = strlen(path) + 16;
	w->path = xstrdup(path);
	w->partial = xmalloc(n);
	snprintf(w->partial, n, "%s.partial", path);
	remove_partial(w->partial); /* left by an earlier, killed run */
	w->err = &w->cb_err;
	enum cd_code rc = store_open(w->partial,
				     STORE_CREATE | STORE_WRITE | STORE_BULK,
				     &w->st, err);
	if (!rc)
		rc = store_begin(w->st, err);
	if (rc) {
		synth_writer_abort(w);
		return rc;
	}
	struct synth_sink k = { w, db_unit, db_household, db_person, db_venue,
				db_worker, db_scan, db_trip, db_cell };
	w->sink = k;
	*out = w;
	return CD_OK;
}

const struct synth_sink *synth_writer_sink(struct synth_writer *w)
{
	return &w->sink;
}

static void writer_free(struct synth_writer *w)
{
	for (int i = 0; i < PS_COUNT; i++)
		free(w->rows[i]);
	free(w->dir);
	free(w->path);
	free(w->partial);
	free(w->person_id);
	free(w->venue_id);
	free(w);
}

enum cd_code synth_writer_finish(struct synth_writer *w, struct cd_err *err)
{
	enum cd_code rc = CD_OK;
	if (w->st) {
		rc = db_segments(w, err);
		if (!rc)
			rc = store_commit(w->st, err);
		store_close(w->st);
		w->st = NULL;
		if (!rc)
			rc = move_into_place(w, err);
		if (rc)
			remove_partial(w->partial);
	}
	for (int i = 0; i < F_COUNT; i++) {
		if (!w->f[i])
			continue;
		if ((ferror(w->f[i]) | fclose(w->f[i])) && !rc)
			rc = cd_err_set(err, CD_EIO, "writing %s/%s failed: %s",
					w->dir, files[i].name,
					strerror(errno));
		w->f[i] = NULL;
	}
	writer_free(w);
	return rc;
}

void synth_writer_abort(struct synth_writer *w)
{
	if (!w)
		return;
	if (w->st) {
		store_rollback(w->st);
		store_close(w->st);
	}
	if (w->partial)
		remove_partial(w->partial);
	for (int i = 0; i < F_COUNT; i++)
		if (w->f[i])
			fclose(w->f[i]);
	writer_free(w);
}

const struct cd_err *synth_writer_error(const struct synth_writer *w)
{
	return &w->cb_err;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum cd_code synth_generate(const struct synth_params *p, const char *csv_dir,
			    const char *db_path, synth_progress_fn progress,
			    void *ctx, struct synth **out, struct cd_err *err)
{
	struct synth *s = NULL;
	struct synth_writer *w = NULL;
	enum cd_code rc;
	double t0 = now_s();
	*out = NULL;
	if ((rc = synth_build(p, &s, err)))
		return rc;
	if (progress)
		progress(ctx, SYNTH_BUILT, s, now_s() - t0);
	rc = db_path ? synth_writer_db(db_path, &w, err)
		     : synth_writer_csv(csv_dir, &w, err);
	if (rc)
		goto fail;
	t0 = now_s();
	if ((rc = synth_emit_registry(s, synth_writer_sink(w), err)))
		goto sink_fail;
	if (progress)
		progress(ctx, SYNTH_REGISTRY, s, now_s() - t0);
	t0 = now_s();
	if ((rc = synth_emit_movements(s, synth_writer_sink(w), err)))
		goto sink_fail;
	rc = synth_writer_finish(w, err);
	w = NULL;
	if (rc)
		goto fail;
	if (progress)
		progress(ctx, SYNTH_MOVEMENTS, s, now_s() - t0);
	*out = s;
	return CD_OK;
sink_fail:
	*err = *synth_writer_error(w);
fail:
	synth_writer_abort(w);
	synth_free(s);
	return rc;
}
