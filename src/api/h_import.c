/* h_import.c — bulk uploads through the API: the CSV body the server
 * spooled to a file goes through the same all-or-nothing import as
 * `cordon import KIND FILE` (app/import.h, app/presence_import.h).
 *
 * Registry rows must lie within the uploader's unit (import_opts.scope).
 * Presence data spans a county, so only users of a whole county (or of
 * everything) may upload it. Uploads of one kind family run one at a
 * time in this process: a second waits rather than failing on the
 * database's write lock, and presence merges never lose each other's
 * rows. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "app/import.h"
#include "app/presence_import.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define UPLOAD_MAX_ERRORS 10
#define ERRORS_ROOM 800   /* of an error message (struct cd_err) */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t presence_lock = PTHREAD_MUTEX_INITIALIZER;

const struct api_field api_import_query[] = {
	{ "dry_run", T_BOOL, 0, KEY_NONE, 0,
	  "check every row and write nothing" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* The row errors of one upload, for the reply. */
struct upload_errors {
	struct strbuf text;
	long n, shown;
};

static void collect(void *ctx, const char *msg)
{
	struct upload_errors *e = ctx;
	/* The reply's message holds what fits of the first few. */
	if (e->text.len + strlen(msg) + 2 < ERRORS_ROOM) {
		strbuf_addstr(&e->text, e->n ? "; " : "");
		strbuf_addstr(&e->text, msg);
		e->shown++;
	}
	e->n++;
}

/* The importer's verdict "N errors; nothing was imported" followed by
 * the row errors themselves. */
static void explain(struct cd_err *err, const struct upload_errors *e)
{
	if (!e->n)
		return;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s: %s", err->msg, e->text.buf);
	if (e->shown < e->n)
		strbuf_addf(&sb, "; and %ld more", e->n - e->shown);
	snprintf(err->msg, sizeof err->msg, "%s", sb.buf);
	strbuf_release(&sb);
}

/* The path parameter as an import kind among [from, to], or -1 after a
 * 400 on field naming the allowed values. */
static int kind_param(struct api_req *r, const char *field, int from, int to,
		      struct cd_err *err)
{
	const char *s = r->params[0];
	int k = import_kind_parse(s);
	if (k >= from && k <= to)
		return k;
	struct strbuf sb = STRBUF_INIT;
	for (int i = from; i <= to; i++)
		strbuf_addf(&sb, "%s%s", i > from ? ", " : "",
			    import_kind_name((enum import_kind)i));
	/* Echo the value only when it is plain text. */
	bool plain = strlen(s) <= 32 &&
		     strspn(s, "abcdefghijklmnopqrstuvwxyz-_0123456789") ==
			     strlen(s);
	api_bad(r, err, field, "'%s' must be one of %s%s%s%s", field, sb.buf,
		plain ? ", not '" : "", plain ? s : "", plain ? "'" : "");
	strbuf_release(&sb);
	return -1;
}

/* Run one upload of kind through fn on the spooled body. */
typedef enum cd_code (*import_fn)(struct store *st, FILE *in,
				  const struct import_opts *o,
				  struct import_result *res,
				  struct cd_err *err);

static enum cd_code upload(struct api_req *r, enum import_kind kind,
			   const char *scope, import_fn fn,
			   struct import_result *res, struct cd_err *err)
{
	char name[48];
	struct upload_errors e = { STRBUF_INIT, 0, 0 };
	snprintf(name, sizeof name, "%s.csv", import_kind_name(kind));
	/* An empty body is spooled nowhere: an empty file. */
	FILE *in = fopen(r->body_path ? r->body_path : "/dev/null", "rb");
	if (!in)
		return cd_err_set(err, CD_EIO, "cannot read the uploaded %s",
				  name);
	struct import_opts o = {
		.kind = kind,
		.name = name,
		.dry_run = api_query_bool(r, "dry_run", false),
		.max_errors = UPLOAD_MAX_ERRORS,
		.today = api_today(r),
		.now = r->now,
		.report = collect,
		.report_ctx = &e,
		.scope = scope,
	};
	/* This thread's connection lives across requests: start and end
	 * each upload with no snapshot held (store_settle). */
	store_settle(r->st);
	enum cd_code rc = fn(r->st, in, &o, res, err);
	store_settle(r->st);
	fclose(in);
	if (rc == CD_EINVAL)
		explain(err, &e);
	if (rc)
		api_scrub_path(err, r->body_path, name);
	strbuf_release(&e.text);
	return rc;
}

/* The reply to an upload of kind that ended with rc: the counts under
 * key ("kind" or "source"), 201 when written, 200 for a dry run. */
static enum cd_code counts_reply(struct api_req *r, const char *key,
				 enum import_kind kind, enum cd_code rc,
				 const struct import_result *res, json_t **out)
{
	if (rc)
		return rc;
	bool dry = api_query_bool(r, "dry_run", false);
	r->status = dry ? 200 : 201;
	*out = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I}", key,
			 import_kind_name(kind), "dry_run", dry, "rows",
			 (json_int_t)res->rows, "inserted",
			 (json_int_t)res->inserted, "updated",
			 (json_int_t)res->updated, "unchanged",
			 (json_int_t)res->unchanged);
	return CD_OK;
}

enum cd_code api_h_import(struct api_req *r, json_t **out,
			  struct cd_err *err)
{
	int kind = kind_param(r, "kind", IMPORT_UNITS, IMPORT_GRID_WORKERS,
			      err);
	if (kind < 0)
		return CD_EINVAL;
	snprintf(r->target, sizeof r->target, "import:%s",
		 import_kind_name((enum import_kind)kind));
	struct import_result res;
	pthread_mutex_lock(&registry_lock);
	enum cd_code rc = upload(r, (enum import_kind)kind, api_scope(r),
				 import_stream, &res, err);
	pthread_mutex_unlock(&registry_lock);
	return counts_reply(r, "kind", (enum import_kind)kind, rc, &res, out);
}

enum cd_code api_h_presence_import(struct api_req *r, json_t **out,
				   struct cd_err *err)
{
	int kind = kind_param(r, "source", IMPORT_SCANS, IMPORT_PROXIMITY,
			      err);
	if (kind < 0)
		return CD_EINVAL;
	snprintf(r->target, sizeof r->target, "presence:%s",
		 import_kind_name((enum import_kind)kind));
	if (r->user->unit[0]) {
		struct unit_rec u;
		enum cd_code rc = store_unit_get(r->st, r->user->unit, &u, err);
		if (rc)
			return rc;
		if (u.level != UNIT_COUNTY)
			return cd_err_set(err, CD_EFORBIDDEN, "presence data "
					  "spans a county: only users of a "
					  "whole county may upload it, and "
					  "yours is %s (%s)", u.name, u.code);
	}
	struct import_result res;
	pthread_mutex_lock(&presence_lock);
	/* Another connection may have replaced the segment since this one
	 * mapped it: merge with the file as it is now. */
	store_settle(r->st);
	enum cd_code rc = upload(r, (enum import_kind)kind, NULL,
				 presence_import, &res, err);
	pthread_mutex_unlock(&presence_lock);
	return counts_reply(r, "source", (enum import_kind)kind, rc, &res,
			    out);
}
