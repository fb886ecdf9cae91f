/* testing_import.c — samples and results CSV files → checked tubes and
 * results → one transaction (docs/formats.md, "samples", "results"). */
#include "app/testing_import.h"

#include "app/codes_run.h"
#include "app/quarantine_run.h"

#include <stdlib.h>
#include <string.h>

#include "app/rules_file.h"
#include "app/testing_apply.h"
#include "lib/csvread.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/sort.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

enum { S_TUBE, S_POOL, S_POINT, S_SAMPLED, S_ROUND, S_RID, S_RETEST };
enum { R_TUBE, R_RESULT, R_LAB, R_AT };

static const struct import_layout layouts[] = {
	{ "samples", "tube,pool_size,point,sampled_at,round,resident_id,"
		     "retest_of",
	  { { "tube", 1 }, { "pool_size", 1 }, { "point", 1 },
	    { "sampled_at", 1 }, { "round", 1 }, { "resident_id", 1 },
	    { "retest_of", 0 } } },
	{ "results", "tube,result,lab,result_at",
	  { { "tube", 1 }, { "result", 1 }, { "lab", 1 },
	    { "result_at", 1 } } },
};

#define TIME_FORM "must be an ISO 8601 time like 2022-03-30T01:00:00+08:00"

/* See testing_import.h. */
const struct import_layout *testing_layout(enum import_kind k)
{
	return &layouts[k == IMPORT_RESULTS];
}

/* Tube codes → a number (a tube's index + 1, or a line), open
 * addressing; 0 means absent. */
struct code_slot {
	char code[TESTING_CODE_MAX];
	long value;
};
struct code_map {
	struct code_slot *s;
	size_t cap, n;
};

static size_t code_hash(const char *s)
{
	size_t h = 14695981039346656037ULL & (size_t)-1;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static long map_get(const struct code_map *m, const char *code)
{
	if (!m->cap)
		return 0;
	for (size_t i = code_hash(code) & (m->cap - 1);; i = (i + 1) &
							   (m->cap - 1)) {
		if (!m->s[i].value)
			return 0;
		if (strcmp(m->s[i].code, code) == 0)
			return m->s[i].value;
	}
}

static void map_put(struct code_map *m, const char *code, long value);

static void map_grow(struct code_map *m)
{
	struct code_map old = *m;
	m->cap = old.cap ? old.cap * 2 : 256;
	m->s = xcalloc(m->cap, sizeof *m->s);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.s[i].value)
			map_put(m, old.s[i].code, old.s[i].value);
	free(old.s);
}

/* Add code (not present) with value (not 0). */
static void map_put(struct code_map *m, const char *code, long value)
{
	if ((m->n + 1) * 2 > m->cap)
		map_grow(m);
	size_t i = code_hash(code) & (m->cap - 1);
	while (m->s[i].value)
		i = (i + 1) & (m->cap - 1);
	snprintf(m->s[i].code, sizeof m->s[i].code, "%s", code);
	m->s[i].value = value;
	m->n++;
}

struct pending {
	struct testing_result_rec r;
	long line;
};

struct tctx {
	struct import_rows rows;
	struct store *st;
	struct cd_err *err;
	const struct import_opts *o;
	const struct rules *rules;
	struct code_map map;
	struct code_map bad_tubes;       /* samples: tubes with a bad row */
	struct testing_tube_in *tubes;   /* samples */
	size_t ntubes, atubes;
	struct pending *pend;            /* results */
	size_t npend, apend;
	struct testing_applied applied;
};

static enum cd_code bad(struct tctx *c, int col, const char *why)
{
	return import_rows_field_error(&c->rows, col, why);
}

static const char *get(struct tctx *c, int col)
{
	return import_rows_get(&c->rows, col);
}

/* The column of the current layout called name, or -1. */
static int column(const struct tctx *c, const char *name, size_t len)
{
	for (int i = 0; i < IMPORT_MAX_COLS && c->rows.layout->cols[i].name;
	     i++)
		if (strlen(c->rows.layout->cols[i].name) == len &&
		    strncmp(c->rows.layout->cols[i].name, name, len) == 0)
			return i;
	return -1;
}

/* A domain message "field: reason" as an error on that field of the
 * current row (on the line when the field is not a column). */
static enum cd_code field_msg(struct tctx *c, const char *msg)
{
	const char *sep = strstr(msg, ": ");
	int col = sep ? column(c, msg, (size_t)(sep - msg)) : -1;
	return col >= 0 ? bad(c, col, sep + 2)
			: import_rows_line_error(&c->rows, msg);
}

/* Report an error found after the read, on line (testing_report_fn). */
static enum cd_code report_at(void *vc, long line, const char *field,
			      const char *value, const char *reason)
{
	struct tctx *c = vc;
	struct strbuf sb = STRBUF_INIT;
	c->rows.line = line;
	if (field) {
		strbuf_addf(&sb, "field '%s' value '", field);
		strbuf_add_quoted(&sb, value, strlen(value), 80);
		strbuf_addf(&sb, "': %s", reason);
	} else {
		strbuf_addstr(&sb, reason);
	}
	enum cd_code rc = import_rows_line_error(&c->rows, sb.buf);
	strbuf_release(&sb);
	return rc;
}

/* ---- samples */

/* The header fields of a samples row into t; errors on the row. */
static enum cd_code tube_fields(struct tctx *c, struct testing_tube *t)
{
	struct cd_err e;
	enum cd_code rc;
	const char *retest = get(c, S_RETEST);
	if (testing_code_check(get(c, S_TUBE), &e) &&
	    (rc = bad(c, S_TUBE, e.msg)))
		return rc;
	if (*retest && testing_code_check(retest, &e) &&
	    (rc = bad(c, S_RETEST, e.msg)))
		return rc;
	if (*retest && strcmp(retest, get(c, S_TUBE)) == 0 &&
	    (rc = bad(c, S_RETEST, "is the tube itself")))
		return rc;
	if (testing_pool_size_parse(get(c, S_POOL), &c->rules->testing,
				    *retest != 0, &t->pool_size, &e) &&
	    (rc = bad(c, S_POOL, e.msg)))
		return rc;
	if (name_check(get(c, S_POINT), &e) && (rc = bad(c, S_POINT, e.msg)))
		return rc;
	if (!instant_parse(get(c, S_SAMPLED), &t->sampled_at)) {
		if ((rc = bad(c, S_SAMPLED, TIME_FORM)))
			return rc;
	} else if (testing_time_check(t->sampled_at, c->o->now, &e) &&
		   (rc = bad(c, S_SAMPLED, e.msg))) {
		return rc;
	}
	if (*get(c, S_ROUND) && testing_code_check(get(c, S_ROUND), &e) &&
	    (rc = bad(c, S_ROUND, e.msg)))
		return rc;
	snprintf(t->tube, sizeof t->tube, "%s", get(c, S_TUBE));
	snprintf(t->point, sizeof t->point, "%s", get(c, S_POINT));
	snprintf(t->round, sizeof t->round, "%s", get(c, S_ROUND));
	snprintf(t->retest_of, sizeof t->retest_of, "%s", retest);
	return CD_OK;
}

/* The member of a samples row: a registered person. */
static enum cd_code member_field(struct tctx *c, struct rid *id,
				 uint32_t *person)
{
	struct cd_err e;
	if (rid_parse(get(c, S_RID), c->o->today, id, &e))
		return bad(c, S_RID, e.msg);
	enum cd_code rc = store_testing_person(c->st, id->id, person, c->err);
	if (rc == CD_ENOTFOUND)
		return bad(c, S_RID, "no person with this resident ID in the "
			   "registry");
	return rc;
}

/* The tube of this row, new or agreeing with its earlier rows. */
static enum cd_code tube_of(struct tctx *c, const struct testing_tube *t,
			    struct testing_tube_in **out)
{
	long idx = map_get(&c->map, t->tube);
	char msg[320], was[NAME_MAX_BYTES + 32];
	*out = NULL;
	if (!idx) {
		c->tubes = xgrow(c->tubes, sizeof *c->tubes, c->ntubes + 1,
				 &c->atubes);
		struct testing_tube_in *in = &c->tubes[c->ntubes++];
		memset(in, 0, sizeof *in);
		in->t = *t;
		in->line = c->rows.line;
		map_put(&c->map, t->tube, (long)c->ntubes);
		*out = in;
		return CD_OK;
	}
	struct testing_tube_in *in = &c->tubes[idx - 1];
	const char *f = testing_tube_differs(&in->t, t);
	if (!f) {
		*out = in;
		return CD_OK;
	}
	if (strcmp(f, "sampled_at") == 0)
		instant_format_iso(in->t.sampled_at, was, sizeof was);
	else if (strcmp(f, "pool_size") == 0)
		snprintf(was, sizeof was, "%d", in->t.pool_size);
	else
		snprintf(was, sizeof was, "%s", strcmp(f, "point") == 0
			 ? in->t.point : strcmp(f, "round") == 0
			 ? in->t.round : in->t.retest_of);
	snprintf(msg, sizeof msg, "tube %s has %s '%s' on line %ld; a tube's "
		 "rows must agree", t->tube, f, was, in->line);
	return bad(c, column(c, f, strlen(f)), msg);
}

static enum cd_code row_sample(struct tctx *c)
{
	struct testing_tube t;
	struct testing_tube_in *in = NULL;
	struct rid id;
	struct cd_err e;
	uint32_t person = 0;
	char msg[128];
	enum cd_code rc;
	memset(&t, 0, sizeof t);
	if ((rc = tube_fields(c, &t)) || (rc = member_field(c, &id, &person)))
		return rc;
	if (!c->rows.row_errors && (rc = tube_of(c, &t, &in)))
		return rc;
	if (c->rows.row_errors || !in) {
		const char *code = get(c, S_TUBE);
		if (!testing_code_check(code, &e) &&
		    !map_get(&c->bad_tubes, code))
			map_put(&c->bad_tubes, code, 1);
		return CD_OK;
	}
	for (size_t i = 0; i < in->n; i++)
		if (in->m[i].person == person) {
			snprintf(msg, sizeof msg, "is already in tube %s (line "
				 "%ld)", t.tube, in->m[i].line);
			return bad(c, S_RID, msg);
		}
	if (testing_member_fits(&in->t, in->n + 1, &e))
		return bad(c, S_RID, e.msg);
	in->m = xgrow(in->m, sizeof *in->m, in->n + 1, &in->alloc);
	struct testing_member_in *m = &in->m[in->n++];
	m->person = person;
	m->line = c->rows.line;
	snprintf(m->rid, sizeof m->rid, "%s", id.id);
	return CD_OK;
}

/* A member of an ordinary tube with a round, for the once-per-round
 * check across the file. */
struct round_entry {
	const struct testing_tube_in *in;
	const struct testing_member_in *m;
};

static int round_cmp(const void *a, const void *b)
{
	const struct round_entry *x = a, *y = b;
	int r = strcmp(x->in->t.round, y->in->t.round);
	if (r)
		return r;
	if (x->m->person != y->m->person)
		return x->m->person < y->m->person ? -1 : 1;
	return (x->m->line > y->m->line) - (x->m->line < y->m->line);
}

/* A person at most once per round among the file's ordinary tubes. */
static enum cd_code check_file_rounds(struct tctx *c)
{
	struct round_entry *e = NULL;
	size_t n = 0, alloc = 0;
	enum cd_code rc = CD_OK;
	char msg[160];
	for (size_t i = 0; i < c->ntubes; i++) {
		const struct testing_tube_in *in = &c->tubes[i];
		if (!in->t.round[0] || in->t.retest_of[0])
			continue;
		for (size_t j = 0; j < in->n; j++) {
			e = xgrow(e, sizeof *e, n + 1, &alloc);
			e[n++] = (struct round_entry){ in, &in->m[j] };
		}
	}
	sort_array(e, n, sizeof *e, round_cmp);
	for (size_t i = 1; i < n && !rc; i++) {
		if (strcmp(e[i - 1].in->t.round, e[i].in->t.round) ||
		    e[i - 1].m->person != e[i].m->person)
			continue;
		snprintf(msg, sizeof msg, "is already in tube %s of round %s "
			 "(line %ld)", e[i - 1].in->t.tube, e[i].in->t.round,
			 e[i - 1].m->line);
		rc = report_at(c, e[i].m->line, "resident_id", e[i].m->rid,
			       msg);
	}
	free(e);
	return rc;
}

/* After the read: the file's rounds, then each tube against the store
 * (the tubes read well, even when other rows were bad, so that every
 * error is reported), then, when all is well, the new tubes written. */
static enum cd_code finish_samples(struct tctx *c, struct import_result *res)
{
	long bad_tubes = 0;
	enum cd_code rc = check_file_rounds(c);
	for (size_t i = 0; !rc && i < c->ntubes; i++) {
		struct testing_tube_in *in = &c->tubes[i];
		in->partial = map_get(&c->bad_tubes, in->t.tube) != 0;
		rc = testing_tube_check_stored(c->st, in, report_at, c,
					       &bad_tubes, c->err);
	}
	if (rc == CD_ETOOBIG)
		return CD_OK;
	for (size_t i = 0; !rc && !res->errors && i < c->ntubes; i++) {
		const struct testing_tube_in *in = &c->tubes[i];
		if (in->stored) {
			res->unchanged += (long)in->n;
			continue;
		}
		res->inserted += (long)in->n;
		rc = testing_tube_write(c->st, in, c->err);
	}
	return rc;
}

/* ---- results */

static enum cd_code row_result(struct tctx *c)
{
	struct testing_result_rec r;
	struct store_sample s;
	struct cd_err e;
	bool same = false;
	char msg[64];
	enum cd_code rc;
	memset(&r, 0, sizeof r);
	if (testing_code_check(get(c, R_TUBE), &e) &&
	    (rc = bad(c, R_TUBE, e.msg)))
		return rc;
	if (testing_result_parse(get(c, R_RESULT), &r.result, &e) &&
	    (rc = bad(c, R_RESULT, e.msg)))
		return rc;
	if (name_check(get(c, R_LAB), &e) && (rc = bad(c, R_LAB, e.msg)))
		return rc;
	if (!instant_parse(get(c, R_AT), &r.result_at) &&
	    (rc = bad(c, R_AT, TIME_FORM)))
		return rc;
	if (c->rows.row_errors)
		return CD_OK;
	long first = map_get(&c->map, get(c, R_TUBE));
	if (first) {
		snprintf(msg, sizeof msg, "duplicate of line %ld", first);
		return bad(c, R_TUBE, msg);
	}
	map_put(&c->map, get(c, R_TUBE), c->rows.line);
	snprintf(r.tube, sizeof r.tube, "%s", get(c, R_TUBE));
	snprintf(r.lab, sizeof r.lab, "%s", get(c, R_LAB));
	rc = testing_result_check_stored(c->st, &r, c->o->now, &s, &same,
					 c->err);
	if (rc == CD_EINVAL || rc == CD_ENOTFOUND || rc == CD_ECONFLICT)
		return field_msg(c, c->err->msg);
	if (rc || same) {
		c->rows.res->unchanged += !rc;
		return rc;
	}
	c->pend = xgrow(c->pend, sizeof *c->pend, c->npend + 1, &c->apend);
	c->pend[c->npend++] = (struct pending){ r, c->rows.line };
	return CD_OK;
}

/* After a clean read: store and apply each new result in file order. */
static enum cd_code finish_results(struct tctx *c, struct import_result *res)
{
	struct store_sample s;
	enum cd_code rc = CD_OK;
	for (size_t i = 0; !rc && !res->errors && i < c->npend; i++) {
		const struct pending *p = &c->pend[i];
		rc = store_sample_get(c->st, p->r.tube, &s, c->err);
		if (!rc)
			rc = testing_result_apply(c->st, &s, &p->r,
						  c->o->today, &c->applied,
						  c->err);
		if (rc == CD_EINVAL || rc == CD_ECONFLICT) {
			c->rows.line = p->line;
			rc = import_rows_line_error(&c->rows, c->err->msg);
		}
		if (!rc)
			res->inserted++;
	}
	return rc == CD_ETOOBIG ? CD_OK : rc;
}

/* ---- the import */

static enum cd_code on_row(void *vc, long line, char *const *f, size_t n)
{
	struct tctx *c = vc;
	int ready;
	enum cd_code rc = import_rows_take(&c->rows, line, f, n, &ready);
	if (rc || !ready)
		return rc;
	return c->o->kind == IMPORT_RESULTS ? row_result(c) : row_sample(c);
}

/* Read, check and apply inside the open transaction. */
static enum cd_code import_in(struct tctx *c, FILE *in,
			      struct import_result *res)
{
	struct csvread_opts copts = { c->o->name, 0, 0 };
	enum cd_code rc = csvread_stream(in, &copts, on_row, c, c->err);
	if (rc == CD_OK && c->rows.have_header) {
		rc = c->o->kind == IMPORT_RESULTS ? finish_results(c, res)
						  : finish_samples(c, res);
		if (rc)
			return rc;
	}
	return import_rows_finish(&c->rows, rc, c->err);
}

/* Results are a cause of health codes: recompute the codes of the
 * members of every tube that got one (docs/codes.md). */
static enum cd_code refresh_members(struct tctx *c, int64_t now)
{
	struct rules_eff eff;
	struct codes_summary sum;
	uint32_t *ids;
	size_t n;
	const char **tubes = xcalloc(c->npend + 1, sizeof *tubes);
	for (size_t i = 0; i < c->npend; i++)
		tubes[i] = c->pend[i].r.tube;
	enum cd_code rc = rules_file_load(NULL, NULL, &eff, c->err);
	if (!rc)
		rc = store_tube_members(c->st, tubes, c->npend, &ids, &n,
					c->err);
	free(tubes);
	if (rc)
		return rc;
	rc = codes_refresh(c->st, &eff.r, ids, n, now, &sum, c->err);
	free(ids);
	/* A positive close contact upgrades the secondary contacts linked to
	 * them, at once (docs/quarantine.md). */
	struct quarantine_run run = {
		c->st, &eff.r, (int32_t)((now + CD_CST_OFFSET) / 86400), now,
		{ QUARANTINE_CHILD_AGE, false }
	};
	struct quarantine_run_report rep;
	if (!rc)
		rc = quarantine_run_upgrade(&run, NULL, NULL, &rep, c->err);
	return rc;
}

static void tctx_release(struct tctx *c)
{
	for (size_t i = 0; i < c->ntubes; i++)
		free(c->tubes[i].m);
	free(c->tubes);
	free(c->pend);
	free(c->map.s);
	free(c->bad_tubes.s);
}

/* See testing_import.h. */
enum cd_code testing_import(struct store *st, FILE *in,
			    const struct import_opts *o,
			    const struct rules *rules,
			    struct import_result *res, struct cd_err *err)
{
	struct tctx c;
	struct rules_eff eff;
	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	if (!rules && o->kind == IMPORT_SAMPLES) {
		enum cd_code rc = rules_file_load(NULL, NULL, &eff, err);
		if (rc)
			return rc;
		rules = &eff.r;
	}
	c.st = st;
	c.err = err;
	c.o = o;
	c.rules = rules;
	import_rows_init(&c.rows, testing_layout(o->kind), o, res);
	enum cd_code rc = store_begin(st, err);
	if (!rc)
		rc = import_in(&c, in, res);
	if (!rc && !o->dry_run) {
		struct store_import_log log = {
			testing_layout(o->kind)->name, o->name, res->rows,
			res->inserted, 0, res->unchanged, o->now
		};
		if (!(rc = store_import_log(st, &log, err)))
			rc = store_commit(st, err);
		if (!rc && o->kind == IMPORT_RESULTS)
			rc = refresh_members(&c, o->now);
	} else {
		store_rollback(st);
	}
	tctx_release(&c);
	return rc;
}
