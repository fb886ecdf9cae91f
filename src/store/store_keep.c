/* store_keep.c — rows of append-only tables (checkpoint passes, the audit
 * log) kept in memory while a connection defers, and written together
 * later (store.h: group commit; docs/api.md: the server's event loops
 * commit the rows of every request they hold at once). */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

void store_defer(struct store *st, bool on)
{
	st->deferring = on;
}

size_t store_kept(const struct store *st)
{
	return st->nrows;
}

enum cd_code store_defer_row(struct store *st, const struct store_row *row,
			     struct cd_err *err)
{
	if (st->nrows == st->caprows) {
		size_t cap = st->caprows ? 2 * st->caprows : 16;
		struct store_row *r = realloc(st->rows, cap * sizeof *r);
		if (!r)
			return cd_err_set(err, CD_ENOMEM, "out of memory");
		st->rows = r;
		st->caprows = cap;
	}
	struct store_row *r = &st->rows[st->nrows];
	*r = *row;
	r->text = NULL;
	if (r->kind == ROW_PASS) {
		/* "outcome\0findings": the caller's strings do not outlive
		 * its call. */
		const char *o = row->u.pass.outcome ? row->u.pass.outcome : "";
		const char *f = row->u.pass.findings ? row->u.pass.findings
						     : "";
		size_t lo = strlen(o) + 1, lf = strlen(f) + 1;
		if (!(r->text = malloc(lo + lf)))
			return cd_err_set(err, CD_ENOMEM, "out of memory");
		memcpy(r->text, o, lo);
		memcpy(r->text + lo, f, lf);
		r->u.pass.outcome = r->text;
		r->u.pass.findings = r->text + lo;
	}
	st->nrows++;
	return CD_OK;
}

void store_keep_drop(struct store *st, size_t from)
{
	for (size_t i = from; i < st->nrows; i++)
		free(st->rows[i].text);
	if (from < st->nrows)
		st->nrows = from;
}

enum cd_code store_flush(struct store *st, size_t from, size_t to,
			 struct cd_err *err)
{
	if (from >= to || to > st->nrows)
		return CD_OK;
	bool deferring = st->deferring;
	st->deferring = false;
	enum cd_code rc = store_begin(st, err);
	for (size_t i = from; !rc && i < to; i++) {
		const struct store_row *r = &st->rows[i];
		rc = r->kind == ROW_PASS
			     ? store_pass_insert(st, &r->u.pass, err)
			     : store_audit_insert(st, &r->u.audit, err);
	}
	if (!rc)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	st->deferring = deferring;
	return rc;
}
