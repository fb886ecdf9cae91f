/* testing.c — the rules of pooled testing: checks of tubes and results,
 * what a result sets off, pool states, certificates, recall grouping.
 * Pure: no SQL, no I/O. */
#include "domain/testing.h"

#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/sort.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

static const struct {
	const char *name, *zh;
} result_labels[] = {
	[TESTING_NONE] = { "", "" },
	[TESTING_NEGATIVE] = { "negative", "阴性" },
	[TESTING_POSITIVE] = { "positive", "阳性" },
	[TESTING_INVALID] = { "invalid", "无效" },
};

/* See testing.h. */
const char *testing_result_name(enum testing_result r)
{
	return r >= TESTING_NONE && r <= TESTING_INVALID
		       ? result_labels[r].name : "";
}

/* See testing.h. */
const char *testing_result_zh(enum testing_result r)
{
	return r >= TESTING_NONE && r <= TESTING_INVALID
		       ? result_labels[r].zh : "";
}

/* See testing.h. */
enum cd_code testing_result_parse(const char *s, enum testing_result *out,
				  struct cd_err *err)
{
	for (int r = TESTING_NEGATIVE; r <= TESTING_INVALID; r++)
		if (strcmp(s, result_labels[r].name) == 0 ||
		    strcmp(s, result_labels[r].zh) == 0) {
			*out = (enum testing_result)r;
			return CD_OK;
		}
	return cd_err_set(err, CD_EINVAL, "must be negative, positive or "
			  "invalid (阴性, 阳性, 无效)");
}

/* See testing.h. */
enum cd_code testing_code_check(const char *s, struct cd_err *err)
{
	size_t n = strlen(s);
	if (n == 0 || n >= TESTING_CODE_MAX)
		return cd_err_set(err, CD_EINVAL, "must be 1-%d characters",
				  TESTING_CODE_MAX - 1);
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789-_") != n)
		return cd_err_set(err, CD_EINVAL, "only letters, digits, '-' "
				  "and '_' are allowed");
	return CD_OK;
}

/* "1 5 10 20" from a profile's allowed sizes. */
static void sizes_text(const struct rules_testing *r, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < 4 && r->pool_sizes[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%d",
					 i ? " " : "", r->pool_sizes[i]);
}

/* A whole number 1..99 in s, else 0. */
static int small_number(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 2 || strspn(s, "0123456789") != n || s[0] == '0')
		return 0;
	return n == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
}

/* See testing.h. */
enum cd_code testing_pool_size_check(int v, const struct rules_testing *r,
				     bool retest, int *out,
				     struct cd_err *err)
{
	char allowed[64];
	if (v == 0) {
		*out = retest ? 1 : r->pool_size;
		return CD_OK;
	}
	if (retest) {
		if (v != 1)
			return cd_err_set(err, CD_EINVAL, "must be 1 (or "
					  "empty): a re-sample of a pool "
					  "member is a single tube");
		*out = 1;
		return CD_OK;
	}
	for (int i = 0; i < 4 && r->pool_sizes[i]; i++)
		if (v == r->pool_sizes[i]) {
			*out = v;
			return CD_OK;
		}
	sizes_text(r, allowed, sizeof allowed);
	return cd_err_set(err, CD_EINVAL, "must be one of %s "
			  "(testing.pool_sizes), or empty for the profile's "
			  "%d", allowed, r->pool_size);
}

/* See testing.h. */
enum cd_code testing_pool_size_parse(const char *s,
				     const struct rules_testing *r,
				     bool retest, int *out,
				     struct cd_err *err)
{
	int v = *s ? small_number(s) : 0;
	return testing_pool_size_check(*s && !v ? -1 : v, r, retest, out,
				       err);
}

/* See testing.h. */
enum cd_code testing_time_check(int64_t t, int64_t now, struct cd_err *err)
{
	if (t < TESTING_EPOCH)
		return cd_err_set(err, CD_EINVAL, "is before 2020");
	if (t > now)
		return cd_err_set(err, CD_EINVAL, "is in the future");
	return CD_OK;
}

/* Prefix err's message with "field: ". */
static enum cd_code on_field(const char *field, enum cd_code rc,
			     struct cd_err *err)
{
	char msg[sizeof err->msg];
	if (!rc)
		return CD_OK;
	snprintf(msg, sizeof msg, "%s", err->msg);
	return cd_err_set(err, rc, "%s: %s", field, msg);
}

/* See testing.h. */
enum cd_code testing_tube_check(const struct testing_tube *t, int64_t now,
				struct cd_err *err)
{
	enum cd_code rc;
	if ((rc = on_field("tube", testing_code_check(t->tube, err), err)))
		return rc;
	if (t->retest_of[0]) {
		if ((rc = on_field("retest_of",
				   testing_code_check(t->retest_of, err), err)))
			return rc;
		if (strcmp(t->retest_of, t->tube) == 0)
			return cd_err_set(err, CD_EINVAL, "retest_of: is the "
					  "tube itself");
		if (t->pool_size != 1)
			return cd_err_set(err, CD_EINVAL, "pool_size: must be "
					  "1: a re-sample is a single tube");
	}
	if (t->pool_size < 1 || t->pool_size > TESTING_POOL_MAX)
		return cd_err_set(err, CD_EINVAL, "pool_size: must be 1 to %d",
				  TESTING_POOL_MAX);
	if ((rc = on_field("point", name_check(t->point, err), err)))
		return rc;
	if (t->round[0] &&
	    (rc = on_field("round", testing_code_check(t->round, err), err)))
		return rc;
	return on_field("sampled_at", testing_time_check(t->sampled_at, now,
							 err), err);
}

/* See testing.h. */
const char *testing_tube_differs(const struct testing_tube *a,
				 const struct testing_tube *b)
{
	if (a->pool_size != b->pool_size)
		return "pool_size";
	if (strcmp(a->point, b->point))
		return "point";
	if (a->sampled_at != b->sampled_at)
		return "sampled_at";
	if (strcmp(a->round, b->round))
		return "round";
	if (strcmp(a->retest_of, b->retest_of))
		return "retest_of";
	return NULL;
}

/* See testing.h. */
enum cd_code testing_member_fits(const struct testing_tube *t, size_t n,
				 struct cd_err *err)
{
	if (n <= (size_t)t->pool_size)
		return CD_OK;
	return cd_err_set(err, CD_EINVAL, "is member %zu of tube %s, over "
			  "its pool size of %d", n, t->tube, t->pool_size);
}

/* See testing.h. */
enum cd_code testing_result_check(const struct testing_result_rec *r,
				  const struct testing_tube *t, int64_t now,
				  struct cd_err *err)
{
	char when[24];
	enum cd_code rc;
	if (r->result == TESTING_NONE)
		return cd_err_set(err, CD_EINVAL, "result: must be negative, "
				  "positive or invalid (阴性, 阳性, 无效)");
	if ((rc = on_field("lab", name_check(r->lab, err), err)) ||
	    (rc = on_field("result_at", testing_time_check(r->result_at, now,
							   err), err)))
		return rc;
	if (r->result_at < t->sampled_at) {
		instant_format_cst(t->sampled_at, when, sizeof when);
		return cd_err_set(err, CD_EINVAL, "result_at: is before the "
				  "tube's sampling time %s", when);
	}
	return CD_OK;
}

/* See testing.h. */
enum cd_code testing_result_same(const struct testing_result_rec *stored,
				 const struct testing_result_rec *r,
				 bool *same, struct cd_err *err)
{
	char when[24];
	*same = stored->result == r->result &&
		strcmp(stored->lab, r->lab) == 0 &&
		stored->result_at == r->result_at;
	if (*same)
		return CD_OK;
	instant_format_cst(stored->result_at, when, sizeof when);
	return cd_err_set(err, CD_ECONFLICT, "tube %s already has the "
			  "result %s (%s, %s); a tube has one result",
			  stored->tube, testing_result_name(stored->result),
			  stored->lab, when);
}

/* See testing.h. */
void testing_effect_of(int pool_size, bool retest, enum testing_result r,
		       struct testing_effect *out)
{
	memset(out, 0, sizeof *out);
	out->outcome = TESTING_NONE;
	out->found = retest ? FOUND_POOL : FOUND_SCREENING;
	if (pool_size > 1) {
		out->control_members = r == TESTING_POSITIVE;
		return;
	}
	if (retest && (r == TESTING_NEGATIVE || r == TESTING_POSITIVE)) {
		out->resolve_control = true;
		out->outcome = r;
	}
	out->make_case = r == TESTING_POSITIVE;
}

/* See testing.h. */
const char *testing_pool_state_name(enum testing_pool_state s)
{
	static const char *const names[] = {
		"waiting", "negative", "invalid", "positive", "controlled",
		"resolved",
	};
	return s >= TESTING_POOL_WAITING && s <= TESTING_POOL_RESOLVED
		       ? names[s] : "";
}

/* See testing.h. */
enum testing_pool_state testing_pool_state_of(enum testing_result result,
					      int pool_size,
					      const struct testing_control *c,
					      size_t n, size_t *open)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += c[i].outcome == TESTING_NONE;
	if (open)
		*open = k;
	switch (result) {
	case TESTING_NEGATIVE: return TESTING_POOL_NEGATIVE;
	case TESTING_INVALID: return TESTING_POOL_INVALID;
	case TESTING_POSITIVE:
		if (pool_size <= 1)
			return TESTING_POOL_POSITIVE;
		return k || n == 0 ? TESTING_POOL_CONTROLLED
				   : TESTING_POOL_RESOLVED;
	default: return TESTING_POOL_WAITING;
	}
}

/* See testing.h. */
bool testing_control_open_at(const struct testing_control *c, int64_t at)
{
	if (c->since > at)
		return false;
	return c->outcome == TESTING_NONE || c->resolved_at > at;
}

/* Whether a was sampled after b (then resulted after it): the later of
 * two results. */
static bool later(const struct testing_hist *a, const struct testing_hist *b)
{
	if (a->sampled_at != b->sampled_at)
		return a->sampled_at > b->sampled_at;
	return a->result_at > b->result_at;
}

/* See testing.h. */
void testing_certificate(const struct testing_hist *h, size_t n, int64_t at,
			 const int *hours, struct testing_cert *out)
{
	memset(out, 0, sizeof *out);
	out->at = at;
	for (size_t i = 0; i < n; i++) {
		if (h[i].result != TESTING_NEGATIVE || h[i].result_at > at)
			continue;
		if (!out->has_negative || later(&h[i], &out->negative)) {
			out->negative = h[i];
			out->has_negative = true;
		}
	}
	for (size_t i = 0; i < n && out->has_negative; i++) {
		if (h[i].result != TESTING_POSITIVE || h[i].result_at > at ||
		    h[i].sampled_at < out->negative.sampled_at)
			continue;
		if (!out->superseded || later(&h[i], &out->positive))
			out->positive = h[i];
		out->superseded = true;
	}
	if (out->has_negative)
		out->age = at - out->negative.sampled_at;
	for (int i = 0; i < TESTING_WINDOWS && hours[i] > 0; i++) {
		out->hours[i] = hours[i];
		out->within[i] = out->has_negative && !out->superseded &&
				 out->age <= (int64_t)hours[i] * 3600;
		out->n = i + 1;
	}
}

/* Members of the recall list, ordered by hamlet, household, resident ID. */
static int member_cmp(const struct testing_recall_member *a,
		      const struct testing_recall_member *b)
{
	int c = strcmp(a->hamlet, b->hamlet);
	if (!c)
		c = strcmp(a->household, b->household);
	return c ? c : strcmp(a->rid, b->rid);
}

/* Lines by worker phone (no worker last), then member. */
static int line_cmp(const void *x, const void *y)
{
	const struct testing_recall_line *a = x, *b = y;
	if (!a->worker != !b->worker)
		return a->worker ? -1 : 1;
	if (a->worker) {
		int c = strcmp(a->worker->phone, b->worker->phone);
		if (c)
			return c;
	}
	return member_cmp(a->member, b->member);
}

/* See testing.h. */
size_t testing_recall_group(const struct testing_recall_member *m,
			    size_t nm, const struct testing_worker *w,
			    size_t nw, struct testing_recall_line **out)
{
	struct testing_recall_line *l = NULL;
	size_t n = 0, alloc = 0;
	for (size_t i = 0; i < nm; i++) {
		size_t found = 0;
		for (size_t j = 0; j < nw; j++) {
			if (strcmp(w[j].hamlet, m[i].hamlet))
				continue;
			l = xgrow(l, sizeof *l, n + 1, &alloc);
			l[n++] = (struct testing_recall_line){ &w[j], &m[i] };
			found++;
		}
		if (!found) {
			l = xgrow(l, sizeof *l, n + 1, &alloc);
			l[n++] = (struct testing_recall_line){ NULL, &m[i] };
		}
	}
	sort_array(l, n, sizeof *l, line_cmp);
	*out = l;
	return n;
}

/* See domain/testing.h. */
bool testing_recall_new_group(const struct testing_recall_line *l, size_t i)
{
	if (i == 0)
		return true;
	if (!l[i].worker || !l[i - 1].worker)
		return l[i].worker != l[i - 1].worker;
	return strcmp(l[i].worker->phone, l[i - 1].worker->phone) != 0;
}
