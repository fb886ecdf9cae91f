/* testing_record.c — one tube or one result at a time, for the HTTP API,
 * by the importer's rules; and a person's negative certificate. */
#include "app/testing_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ids.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

/* The first error of a record, as "FIELD value 'V': reason" with members
 * named members[i] (testing_report_fn). */
struct first_error {
	struct cd_err e;
	long n;
};

static enum cd_code keep_first(void *ctx, long line, const char *field,
			       const char *value, const char *reason)
{
	struct first_error *f = ctx;
	struct strbuf sb = STRBUF_INIT;
	if (f->n++)
		return CD_ETOOBIG;
	if (field && strcmp(field, "resident_id") == 0)
		strbuf_addf(&sb, "members[%ld] value '", line - 1);
	else if (field)
		strbuf_addf(&sb, "%s value '", field);
	if (field) {
		strbuf_add_quoted(&sb, value, strlen(value), 80);
		strbuf_addstr(&sb, "': ");
	}
	strbuf_addstr(&sb, reason);
	cd_err_set(&f->e, CD_EINVAL, "%s", sb.buf);
	strbuf_release(&sb);
	return CD_ETOOBIG;
}

/* Members by resident ID: valid, registered, each once. */
static enum cd_code members_of(struct store *st, const char *const *rids,
			       size_t n, int32_t today,
			       struct testing_tube_in *in, struct cd_err *err)
{
	struct cd_err e;
	struct rid id;
	in->m = calloc(n ? n : 1, sizeof *in->m);
	if (!in->m)
		return cd_err_set(err, CD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct testing_member_in *m = &in->m[i];
		if (rid_parse(rids[i], today, &id, &e))
			return cd_err_set(err, CD_EINVAL, "members[%zu] value "
					  "'%.20s': %s", i, rids[i], e.msg);
		enum cd_code rc = store_testing_person(st, id.id, &m->person,
						       err);
		if (rc == CD_ENOTFOUND)
			return cd_err_set(err, CD_EINVAL, "members[%zu] value "
					  "'%s': no person with this resident "
					  "ID in the registry", i, id.id);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (in->m[j].person == m->person)
				return cd_err_set(
					err, CD_EINVAL, "members[%zu] value "
					"'%s': is members[%zu] again", i,
					id.id, j);
		snprintf(m->rid, sizeof m->rid, "%s", id.id);
		m->line = (long)i + 1;
		in->n = i + 1;
	}
	return CD_OK;
}

/* The checks of the record alone: pool size, fields, member count. */
static enum cd_code check_record(const struct rules *rules,
				 struct testing_tube_in *in, size_t n,
				 int64_t now, struct cd_err *err)
{
	struct cd_err e;
	enum cd_code rc;
	if (testing_pool_size_check(in->t.pool_size, &rules->testing,
				    in->t.retest_of[0] != 0,
				    &in->t.pool_size, &e))
		return cd_err_set(err, CD_EINVAL, "pool_size: %s", e.msg);
	if ((rc = testing_tube_check(&in->t, now, err)))
		return rc;
	if (n == 0)
		return cd_err_set(err, CD_EINVAL, "members: a tube has at "
				  "least one member");
	if (n > (size_t)in->t.pool_size)
		return cd_err_set(err, CD_EINVAL, "members: %zu members, over "
				  "the pool size of %d", n, in->t.pool_size);
	return CD_OK;
}

/* Check against the store and write, inside the open transaction. */
static enum cd_code record_in(struct store *st, struct testing_tube_in *in,
			      enum store_upsert *res, struct cd_err *err)
{
	struct first_error f;
	long bad = 0;
	memset(&f, 0, sizeof f);
	enum cd_code rc = testing_tube_check_stored(st, in, keep_first, &f,
						    &bad, err);
	if (f.n) {
		*err = f.e;
		return CD_EINVAL;
	}
	if (rc)
		return rc;
	*res = in->stored ? STORE_UNCHANGED : STORE_INSERTED;
	return in->stored ? CD_OK : testing_tube_write(st, in, err);
}

/* See testing_import.h. */
enum cd_code testing_sample_record(struct store *st,
				   const struct rules *rules,
				   const struct testing_tube *t,
				   const char *const *rids, size_t n,
				   int64_t now, enum store_upsert *res,
				   struct cd_err *err)
{
	struct testing_tube_in in;
	enum cd_code rc;
	memset(&in, 0, sizeof in);
	in.t = *t;
	in.line = 0;
	if ((rc = check_record(rules, &in, n, now, err)) ||
	    (rc = members_of(st, rids, n, case_cst_day(now), &in, err)))
		goto cleanup;
	if ((rc = store_begin(st, err)))
		goto cleanup;
	if ((rc = record_in(st, &in, res, err)) ||
	    (rc = store_commit(st, err)))
		store_rollback(st);
cleanup:
	free(in.m);
	return rc;
}

/* See testing_import.h. */
enum cd_code testing_result_record(struct store *st,
				   const struct testing_result_rec *r,
				   int64_t now, enum store_upsert *res,
				   struct testing_applied *applied,
				   struct cd_err *err)
{
	struct testing_applied a;
	struct store_sample s;
	bool same = false;
	memset(&a, 0, sizeof a);
	enum cd_code rc = store_begin(st, err);
	if (rc)
		return rc;
	if (!(rc = testing_result_check_stored(st, r, now, &s, &same, err)) &&
	    !same)
		rc = testing_result_apply(st, &s, r, case_cst_day(now), &a,
					  err);
	if (!rc)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	if (!rc) {
		*res = same ? STORE_UNCHANGED : STORE_INSERTED;
		if (applied)
			*applied = a;
	}
	return rc;
}

/* See testing_import.h. */
enum cd_code testing_certificate_get(struct store *st, const char *rid,
				     int64_t at, const int *hours,
				     struct testing_cert *out,
				     struct cd_err *err)
{
	struct testing_hist *h = NULL;
	size_t n = 0;
	uint32_t person;
	enum cd_code rc = store_testing_person(st, rid, &person, err);
	if (rc == CD_ENOTFOUND)
		return cd_err_set(err, rc, "no person with resident ID %s",
				  rid);
	if (rc || (rc = store_testing_history(st, rid, at, 0, &h, &n, err)))
		return rc;
	testing_certificate(h, n, at, hours, out);
	free(h);
	return CD_OK;
}
