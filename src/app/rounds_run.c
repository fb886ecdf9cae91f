/* rounds_run.c — area testing rounds as use cases (rounds_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rounds_run.h"
#include "domain/testing.h"
#include "lib/date.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* Split the comma-separated list into codes (pointing into buf). */
static enum cd_code split_units(char *buf, const char **codes, size_t *n,
				struct cd_err *err)
{
	*n = 0;
	for (char *p = buf;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p)
			return cd_err_set(err, CD_EINVAL, "--units: an empty "
					  "unit code (give codes separated by "
					  "commas)");
		if (*n == ROUNDS_UNITS_MAX)
			return cd_err_set(err, CD_ETOOBIG, "--units: more "
					  "than %d units", ROUNDS_UNITS_MAX);
		codes[(*n)++] = p;
		if (!comma)
			return CD_OK;
		p = comma + 1;
	}
}

/* See rounds_run.h. */
enum cd_code rounds_start(struct store *st, const char *code,
			  const char *units, int64_t start, int hours,
			  struct store_round *out, struct cd_err *err)
{
	const char *codes[ROUNDS_UNITS_MAX];
	size_t n;
	if (hours <= 0)
		return cd_err_set(err, CD_EINVAL, "--hours %d: the deadline "
				  "must come after the start", hours);
	struct cd_err bad;
	cd_err_clear(&bad);
	enum cd_code ret = testing_code_check(code, &bad);
	if (ret)
		return cd_err_set(err, ret, "round code '%s': %s", code,
				  bad.msg);
	char *buf = xstrdup(units ? units : "");
	ret = split_units(buf, codes, &n, err);
	if (!ret)
		ret = store_begin(st, err);
	if (!ret)
		ret = store_round_start(st, code, start,
					start + (int64_t)hours * 3600, codes, n,
					err);
	if (!ret)
		ret = store_commit(st, err);
	if (ret)
		store_rollback(st);
	else
		ret = store_round_get(st, code, out, err);
	free(buf);
	return ret;
}

/* The round code, refused unless started. */
static enum cd_code started_round(struct store *st, const char *code,
				  struct store_round *r, struct cd_err *err)
{
	enum cd_code ret = store_round_get(st, code, r, err);
	if (!ret && !r->start)
		return cd_err_set(err, CD_ERULE, "round %s has tubes but was "
				  "never started: give its units with "
				  "'cordon round start'", code);
	return ret;
}

/* Add c to the target line it belongs to (the last one, or a new one:
 * lines come ordered by target). */
static enum cd_code add_cov(void *ctx, const struct store_round_cov *c)
{
	struct rounds_status *s = ctx;
	if (!s->ntargets || strcmp(s->targets[s->ntargets - 1].code,
				   c->target) != 0) {
		s->targets = xrealloc(s->targets, (s->ntargets + 1) *
				      sizeof *s->targets);
		struct rounds_line *t = &s->targets[s->ntargets++];
		memset(t, 0, sizeof *t);
		snprintf(t->code, sizeof t->code, "%s", c->target);
		snprintf(t->name, sizeof t->name, "%s", c->target_name);
	}
	struct rounds_line *t = &s->targets[s->ntargets - 1];
	t->expected += c->expected;
	t->sampled += c->sampled;
	s->expected += c->expected;
	s->sampled += c->sampled;
	s->hamlets = xrealloc(s->hamlets, (s->nhamlets + 1) *
			      sizeof *s->hamlets);
	struct rounds_line *h = &s->hamlets[s->nhamlets++];
	snprintf(h->code, sizeof h->code, "%s", c->hamlet);
	snprintf(h->name, sizeof h->name, "%s", c->hamlet_name);
	snprintf(h->target, sizeof h->target, "%s", c->target);
	h->expected = c->expected;
	h->sampled = c->sampled;
	return CD_OK;
}

/* See rounds_run.h. */
enum cd_code rounds_status_get(struct store *st, const char *code,
			       int64_t now, struct rounds_status *out,
			       struct cd_err *err)
{
	memset(out, 0, sizeof *out);
	enum cd_code ret = started_round(st, code, &out->r, err);
	if (ret)
		return ret;
	out->past = now > out->r.deadline;
	return store_round_coverage(st, out->r.id, add_cov, out, err);
}

/* See rounds_run.h. */
void rounds_status_release(struct rounds_status *s)
{
	free(s->targets);
	free(s->hamlets);
	s->targets = s->hamlets = NULL;
	s->ntargets = s->nhamlets = 0;
}

/* See rounds_run.h. */
double rounds_percent(long sampled, long expected)
{
	if (expected <= 0)
		return -1;
	return 100.0 * (double)sampled / (double)expected;
}

struct missing_list {
	struct store_round_missing *m;
	size_t n, alloc;
};

static enum cd_code keep_missing(void *ctx,
				 const struct store_round_missing *m)
{
	struct missing_list *l = ctx;
	l->m = xgrow(l->m, sizeof *l->m, l->n + 1, &l->alloc);
	l->m[l->n++] = *m;
	return CD_OK;
}

/* See rounds_run.h. */
enum cd_code rounds_missing_get(struct store *st, const char *code,
				struct store_round *r,
				struct store_round_missing **out, size_t *n,
				struct cd_err *err)
{
	struct missing_list l = { NULL, 0, 0 };
	enum cd_code ret = started_round(st, code, r, err);
	if (!ret)
		ret = store_round_missing(st, r->id, keep_missing, &l, err);
	*out = l.m;
	*n = l.n;
	return ret;
}

static enum cd_code keep_positive(void *ctx, const char *tube,
				  int pool_size, long members)
{
	struct rounds_outcome *o = ctx;
	o->pos = xrealloc(o->pos, (o->npos + 1) * sizeof *o->pos);
	struct rounds_positive *p = &o->pos[o->npos++];
	snprintf(p->tube, sizeof p->tube, "%s", tube);
	p->pool_size = pool_size;
	p->members = members;
	return CD_OK;
}

/* See rounds_run.h. */
enum cd_code rounds_close(struct store *st, const char *code, int64_t now,
			  struct rounds_outcome *out, struct cd_err *err)
{
	char when[32];
	memset(out, 0, sizeof *out);
	enum cd_code ret = started_round(st, code, &out->r, err);
	if (ret)
		return ret;
	if (out->r.closed_at) {
		instant_format_cst(out->r.closed_at, when, sizeof when);
		return cd_err_set(err, CD_ECONFLICT, "round %s was already "
				  "closed at %s", code, when);
	}
	ret = store_round_result(st, out->r.id, &out->res, keep_positive,
				 out, err);
	if (!ret)
		ret = store_round_close(st, out->r.id, now, err);
	if (!ret)
		out->r.closed_at = now;
	return ret;
}

/* See rounds_run.h. */
void rounds_outcome_release(struct rounds_outcome *o)
{
	free(o->pos);
	o->pos = NULL;
	o->npos = 0;
}
