/* testing_pool.c — a tube with its members and their controls, read and
 * summed up the same way for `cordon pool` and the HTTP API
 * (testing_import.h). */
#include "app/testing_import.h"

#include <stdlib.h>

#include "lib/xalloc.h"
#include "lib/banned.h"

static enum cd_code keep_member(void *ctx, const struct store_pool_member *m)
{
	struct testing_pool_members *ms = ctx;
	ms->m = xgrow(ms->m, sizeof *ms->m, ms->n + 1, &ms->alloc);
	ms->m[ms->n++] = *m;
	return CD_OK;
}

enum cd_code testing_pool_load(struct store *st, const char *tube,
			       struct store_sample *s,
			       struct testing_pool_members *ms,
			       struct cd_err *err)
{
	enum cd_code rc = store_sample_get(st, tube, s, err);
	return rc ? rc : store_pool_members(st, s->id, keep_member, ms, err);
}

enum testing_pool_state testing_pool_members_state(
	const struct store_sample *s, const struct testing_pool_members *ms,
	size_t *open)
{
	struct testing_control *c = xcalloc(ms->n ? ms->n : 1, sizeof *c);
	size_t n = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].controlled)
			c[n++] = ms->m[i].c;
	enum testing_pool_state st = testing_pool_state_of(
		s->r.result, s->t.pool_size, c, n, open);
	free(c);
	return st;
}

const char *testing_member_control(const struct store_pool_member *m)
{
	if (!m->controlled)
		return "";
	if (m->c.outcome == TESTING_NONE)
		return "controlled";
	return m->c.outcome == TESTING_NEGATIVE ? "released" : "case";
}
