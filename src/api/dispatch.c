/* dispatch.c — one request through the checks every route shares (api.h):
 * who, may they, is the input well-formed, does every record it names lie
 * in their jurisdiction; then the handler; then masking, the jurisdiction
 * guard on what goes out, and the audit log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "app/json_views.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/utf8.h"
#include "lib/banned.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 500
#define OFFSET_MAX 100000000L

static const char *const role_names[R_ROLE_COUNT] = {
	"admin", "analyst", "investigator", "lab", "grid", "site",
	"checkpoint", "supplies", "resident",
};

const char *api_role_name(unsigned role)
{
	for (int i = 0; i < R_ROLE_COUNT; i++)
		if (role == 1u << i)
			return role_names[i];
	return NULL;
}

unsigned api_role_parse(const char *name)
{
	for (int i = 0; i < R_ROLE_COUNT; i++)
		if (name && !strcmp(name, role_names[i]))
			return 1u << i;
	return 0;
}

enum store_key api_param_key(const char *name)
{
	static const struct {
		const char *name;
		enum store_key key;
	} keys[] = {
		{ "person", KEY_PERSON }, { "unit", KEY_UNIT },
		{ "household", KEY_HOUSEHOLD }, { "venue", KEY_VENUE },
		{ "case", KEY_CASE }, { "tube", KEY_TUBE },
		{ "round", KEY_ROUND }, { "zone", KEY_ZONE },
		{ "proposal", KEY_PROPOSAL }, { "site", KEY_SITE },
		{ "user", KEY_USER },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(name, keys[i].name))
			return keys[i].key;
	return KEY_NONE;
}

static const char *const key_names[KEY_COUNT] = {
	[KEY_PERSON] = "person", [KEY_UNIT] = "unit",
	[KEY_HOUSEHOLD] = "household", [KEY_VENUE] = "venue",
	[KEY_CASE] = "case", [KEY_TUBE] = "tube", [KEY_ROUND] = "round",
	[KEY_ZONE] = "zone", [KEY_PROPOSAL] = "proposal", [KEY_SITE] = "site",
	[KEY_USER] = "user",
};

/* ---- replies */

void api_error_reply(struct api_reply *out, enum cd_code code,
		     const char *message, const char *field)
{
	/* A message or field name quoting the client's input may have been
	 * cut inside a character to fit its buffer: JSON could not carry it
	 * and the reply would have no body. */
	char msg[sizeof ((struct cd_err *)0)->msg], fld[128];
	snprintf(msg, sizeof msg, "%s",
		 message ? message : cd_code_message(code));
	snprintf(fld, sizeof fld, "%s", field ? field : "");
	utf8_cut(msg);
	utf8_cut(fld);
	json_t *e = json_pack("{s:s, s:s}", "code", cd_code_name(code),
			      "message", msg);
	if (fld[0])
		json_object_set_new(e, "field", json_string(fld));
	json_t *j = json_pack("{s:o}", "error", e);
	free(out->body);
	out->body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	out->status = cd_code_http(code);
	json_decref(j);
}

enum cd_code api_bad(struct api_req *r, struct cd_err *err, const char *field,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cd_err_setv(err, CD_EINVAL, fmt, ap);
	va_end(ap);
	snprintf(r->field, sizeof r->field, "%s", field ? field : "");
	return CD_EINVAL;
}

json_t *api_time(int64_t t)
{
	return json_view_time(t);
}

json_t *api_date(int32_t day)
{
	return json_view_date(day);
}

/* ---- request accessors */

static const struct api_http *http_of(const struct api_req *r)
{
	return r->conn;
}

static const struct api_field *field_find(const struct api_field *f,
					  const char *name)
{
	for (; f && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const char *api_query(struct api_req *r, const char *name)
{
	const struct api_http *h = http_of(r);
	return h && h->get ? h->get(h->conn, name) : NULL;
}

static bool parse_long(const char *s, long *v)
{
	char *end;
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++)
		if ((*p < '0' || *p > '9') && !(p == s && *p == '-'))
			return false;
	*v = strtol(s, &end, 10);
	return !*end;
}

static bool parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		return *v = true, true;
	if (!strcmp(s, "false") || !strcmp(s, "0"))
		return *v = false, true;
	return false;
}

long api_query_long(struct api_req *r, const char *name, long def)
{
	long v;
	const char *s = api_query(r, name);
	return s && parse_long(s, &v) ? v : def;
}

bool api_query_bool(struct api_req *r, const char *name, bool def)
{
	bool v;
	const char *s = api_query(r, name);
	return s && parse_bool(s, &v) ? v : def;
}

const char *api_body_str(struct api_req *r, const char *name,
			 const char *def)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	return json_is_string(v) ? json_string_value(v) : def;
}

long api_body_long(struct api_req *r, const char *name, long def)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	return json_is_integer(v) ? (long)json_integer_value(v) : def;
}

bool api_body_bool(struct api_req *r, const char *name, bool def)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	return json_is_boolean(v) ? json_is_true(v) : def;
}

int64_t api_body_time(struct api_req *r, const char *name, int64_t def)
{
	const char *s = api_body_str(r, name, NULL);
	int64_t t;
	int32_t d;
	if (!s)
		return def;
	if (date_parse(s, &d))
		return (int64_t)d * 86400 - CD_CST_OFFSET;
	return instant_parse(s, &t) ? t : def;
}

/* ---- jurisdiction */

/* Whether the record kind/key is one the user may see: for a resident,
 * their own person or case; for staff, one in their unit's subtree.
 * CD_ENOTFOUND for both "no such record" and "not yours", so that what
 * lies outside is not even known to exist. */
static enum cd_code key_allowed(struct api_req *r, enum store_key kind,
				const char *key, struct cd_err *err)
{
	const struct api_user *u = r->user;
	const char *what = key_names[kind] ? key_names[kind] : "record";
	bool in = false;
	enum cd_code rc;
	if (u->role == R_RESIDENT) {
		char rid[19] = "";
		if (kind == KEY_PERSON) {
			rc = store_person_rid(r->st, key, rid, err);
		} else if (kind == KEY_CASE) {
			struct store_case_view v;
			rc = store_case_get(r->st, key, &v, err);
			if (!rc)
				snprintf(rid, sizeof rid, "%s", v.c.rid);
		} else {
			rc = CD_ENOTFOUND;
		}
		in = !rc && !strcmp(rid, u->rid);
	} else {
		rc = store_key_within(r->st, kind, key, u->unit, &in, err);
	}
	if (rc && rc != CD_ENOTFOUND)
		return rc;
	/* The record exists but is not theirs: audited as a refusal. */
	if (!rc && !in)
		r->refused = true;
	if (rc || !in)
		return cd_err_set(err, CD_ENOTFOUND, "no %s '%s'", what, key);
	return CD_OK;
}

bool api_in_scope(struct api_req *r, const char *unit)
{
	if (!r->user || (!r->user->unit[0] && r->user->role != R_RESIDENT))
		return true;
	bool in = false;
	struct cd_err e;
	if (store_unit_within(r->st, unit, r->user->unit, &in, &e))
		return false;
	return in;
}

/* ---- input checks */

static bool is_date(const char *s)
{
	int32_t d;
	return date_parse(s, &d);
}

static bool is_time(const char *s)
{
	int64_t t;
	return strlen(s) >= 16 && instant_parse(s, &t);
}

/* Check one value v against field f; key fields also for jurisdiction. */
static enum cd_code check_value(struct api_req *r, const struct api_field *f,
				json_t *v, struct cd_err *err)
{
	const char *n = f->name;
	switch (f->type) {
	case T_STRING:
	case T_DATE:
	case T_TIME: {
		if (!json_is_string(v))
			return api_bad(r, err, n, "'%s' must be a string", n);
		const char *s = json_string_value(v);
		size_t len = json_string_length(v), max = f->max ? f->max : 256;
		if (strlen(s) != len)
			return api_bad(r, err, n, "'%s' holds a NUL byte", n);
		if (len > max)
			return api_bad(r, err, n, "'%s' is longer than %zu bytes",
				       n, max);
		if (f->type == T_DATE && !is_date(s))
			return api_bad(r, err, n, "'%s' must be a date "
				       "YYYY-MM-DD, not '%s'", n, s);
		if (f->type == T_TIME && !is_time(s))
			return api_bad(r, err, n, "'%s' must be a time like "
				       "2022-03-30T10:58:00+08:00, not '%s'",
				       n, s);
		if (f->key && len) {
			enum cd_code rc = key_allowed(r, f->key, s, err);
			if (rc)
				snprintf(r->field, sizeof r->field, "%s", n);
			return rc;
		}
		return CD_OK;
	}
	case T_INT: {
		long max = f->max ? f->max : 2147483647L;
		if (!json_is_integer(v))
			return api_bad(r, err, n, "'%s' must be an integer", n);
		json_int_t i = json_integer_value(v);
		if (i < 0 || i > max)
			return api_bad(r, err, n, "'%s' must be between 0 and "
				       "%ld", n, max);
		return CD_OK;
	}
	case T_NUMBER:
		return json_is_number(v) ? CD_OK
					 : api_bad(r, err, n, "'%s' must be a "
						   "number", n);
	case T_BOOL:
		return json_is_boolean(v) ? CD_OK
					  : api_bad(r, err, n, "'%s' must be "
						    "true or false", n);
	case T_STRINGS:
	case T_OBJECTS: {
		size_t max = f->max ? (size_t)f->max : 1000, i;
		json_t *e;
		if (!json_is_array(v))
			return api_bad(r, err, n, "'%s' must be an array", n);
		if (json_array_size(v) > max)
			return api_bad(r, err, n, "'%s' holds more than %zu "
				       "items", n, max);
		json_array_foreach(v, i, e) {
			if (f->type == T_OBJECTS) {
				if (!json_is_object(e))
					return api_bad(r, err, n, "'%s' must "
						       "hold objects", n);
				continue;
			}
			struct api_field one = { n, T_STRING, 0, f->key, 64,
						 NULL };
			enum cd_code rc = check_value(r, &one, e, err);
			if (rc)
				return rc;
		}
		return CD_OK;
	}
	}
	return api_bad(r, err, n, "'%s' has an unknown type", n);
}

static enum cd_code check_body(struct api_req *r, const struct api_http *h,
			       struct cd_err *err)
{
	const struct api_route *rt = r->route;
	if (h->too_big)
		return cd_err_set(err, CD_ETOOBIG, "the body is larger than "
				  "%zu bytes", rt->body_max);
	if (rt->flags & API_STREAM) {
		if (!h->content_type || strncmp(h->content_type, "text/csv", 8))
			return cd_err_set(err, CD_EMEDIA, "send the rows as "
					  "Content-Type: text/csv");
		return CD_OK;
	}
	if (!h->body_len) {
		for (const struct api_field *f = rt->body; f && f->name; f++)
			if (f->flags & F_REQUIRED)
				return cd_err_set(err, CD_EINVAL,
						  "a JSON body is required");
		return CD_OK;
	}
	if (!rt->body_max)
		return cd_err_set(err, CD_EINVAL, "%s %s takes no body",
				  rt->method, rt->path);
	if (!h->content_type ||
	    strncmp(h->content_type, "application/json", 16) ||
	    (h->content_type[16] && h->content_type[16] != ';'))
		return cd_err_set(err, CD_EMEDIA, "send the body as "
				  "Content-Type: application/json");
	size_t bad = utf8_invalid_at(h->body, h->body_len);
	if (bad != (size_t)-1)
		return cd_err_set(err, CD_EINVAL, "the body is not valid UTF-8 "
				  "(byte %zu)", bad);
	json_error_t je;
	r->body = json_loadb(h->body, h->body_len,
			     JSON_REJECT_DUPLICATES, &je);
	if (!r->body)
		return cd_err_set(err, CD_EINVAL, "malformed JSON at line %d, "
				  "column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(r->body))
		return cd_err_set(err, CD_EINVAL, "the body must be a JSON "
				  "object");
	const char *k;
	json_t *v;
	json_object_foreach(r->body, k, v) {
		if (!field_find(rt->body, k))
			return api_bad(r, err, k, "unknown field '%s'", k);
	}
	for (const struct api_field *f = rt->body; f && f->name; f++) {
		v = json_object_get(r->body, f->name);
		if (!v || json_is_null(v)) {
			if (f->flags & F_REQUIRED)
				return api_bad(r, err, f->name, "'%s' is "
					       "required", f->name);
			continue;
		}
		enum cd_code rc = check_value(r, f, v, err);
		if (rc)
			return rc;
	}
	return CD_OK;
}

struct qcheck {
	struct api_req *r;
	struct cd_err *err;
	enum cd_code rc;
};

static bool list_param(const struct api_route *rt, const char *name)
{
	if ((rt->flags & API_LIST) &&
	    (!strcmp(name, "limit") || !strcmp(name, "offset")))
		return true;
	if ((rt->flags & (API_LIST | API_UNIT)) && !strcmp(name, "unit"))
		return true;
	return (rt->flags & API_UNMASK) && !strcmp(name, "unmask");
}

static int check_query_name(void *arg, const char *name)
{
	struct qcheck *q = arg;
	if (field_find(q->r->route->query, name) ||
	    list_param(q->r->route, name))
		return 0;
	q->rc = api_bad(q->r, q->err, name, "unknown query parameter '%s'",
			name);
	return 1;
}

static enum cd_code check_query(struct api_req *r, const struct api_http *h,
				struct cd_err *err)
{
	struct qcheck q = { r, err, CD_OK };
	if (h->each && h->each(h->conn, check_query_name, &q))
		return q.rc;
	for (const struct api_field *f = r->route->query; f && f->name; f++) {
		const char *s = api_query(r, f->name);
		if (!s) {
			if (f->flags & F_REQUIRED)
				return api_bad(r, err, f->name, "query "
					       "parameter '%s' is required",
					       f->name);
			continue;
		}
		if (utf8_invalid_at(s, strlen(s)) != (size_t)-1)
			return api_bad(r, err, f->name, "'%s' is not valid "
				       "UTF-8", f->name);
		json_t *v = NULL;
		long l;
		bool b;
		switch (f->type) {
		case T_INT:
			if (!parse_long(s, &l))
				return api_bad(r, err, f->name, "'%s' must be "
					       "an integer", f->name);
			v = json_integer(l);
			break;
		case T_NUMBER: {
			char *end;
			double d = strtod(s, &end);
			if (!*s || *end)
				return api_bad(r, err, f->name, "'%s' must be "
					       "a number", f->name);
			v = json_real(d);
			break;
		}
		case T_BOOL:
			if (!parse_bool(s, &b))
				return api_bad(r, err, f->name, "'%s' must be "
					       "true or false", f->name);
			v = json_boolean(b);
			break;
		default:
			v = json_string(s);
		}
		enum cd_code rc = v ? check_value(r, f, v, err)
				    : api_bad(r, err, f->name, "'%s' is not "
					      "valid", f->name);
		json_decref(v);
		if (rc)
			return rc;
	}
	if (r->route->flags & API_LIST) {
		const char *s;
		long l;
		r->limit = PAGE_DEFAULT;
		r->offset = 0;
		if ((s = api_query(r, "limit"))) {
			if (!parse_long(s, &l) || l < 1 || l > PAGE_MAX)
				return api_bad(r, err, "limit", "'limit' must "
					       "be between 1 and %d",
					       PAGE_MAX);
			r->limit = l;
		}
		if ((s = api_query(r, "offset"))) {
			if (!parse_long(s, &l) || l < 0 || l > OFFSET_MAX)
				return api_bad(r, err, "offset", "'offset' "
					       "must be between 0 and %ld",
					       OFFSET_MAX);
			r->offset = l;
		}
	}
	if (r->route->flags & (API_LIST | API_UNIT)) {
		const char *s;
		r->unit = r->user->unit[0] ? r->user->unit : NULL;
		if ((s = api_query(r, "unit"))) {
			bool in = false;
			enum cd_code rc = store_unit_within(r->st, s, "", &in,
							    err);
			if (rc) {
				snprintf(r->field, sizeof r->field, "unit");
				return rc;
			}
			if (!api_in_scope(r, s)) {
				snprintf(r->field, sizeof r->field, "unit");
				return cd_err_set(err, CD_EFORBIDDEN,
						  "unit '%s' is outside your "
						  "jurisdiction", s);
			}
			r->unit = s;
		}
	}
	if ((r->route->flags & API_UNMASK) && api_query_bool(r, "unmask", 0)) {
		if (!r->user->unmask && r->user->role != R_RESIDENT)
			return cd_err_set(err, CD_EFORBIDDEN, "you may not "
					  "unmask identity numbers");
		r->unmask = true;
	}
	return CD_OK;
}

/* A person key: a well-formed resident ID or a registry id (digits). */
static bool person_key_ok(const char *key, int64_t now)
{
	size_t n = strlen(key);
	if (n == 18) {
		struct rid id;
		struct cd_err e;
		return !rid_parse(key, (int32_t)((now + CD_CST_OFFSET) / 86400),
				  &id, &e);
	}
	return n >= 1 && n <= 12 && strspn(key, "0123456789") == n;
}

static enum cd_code check_params(struct api_req *r, struct cd_err *err)
{
	/* Path parameters in order of the path's {names}. */
	const char *p = r->route->path;
	for (int i = 0; i < r->nparams; i++) {
		p = strchr(p, '{');
		if (!p)
			break;
		const char *e = strchr(p, '}');
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
		p = e;
		enum store_key k = api_param_key(name);
		if (k == KEY_NONE)
			continue;
		if (k == KEY_PERSON && !person_key_ok(r->params[i], r->now))
			return api_bad(r, err, name, "'%s' is neither a resident "
				       "ID (18 characters, valid check digit) "
				       "nor a registry id", r->params[i]);
		if (utf8_invalid_at(r->params[i], strlen(r->params[i])) !=
		    (size_t)-1)
			return api_bad(r, err, name, "'%s' is not valid UTF-8",
				       name);
		/* Audit a person under their resident ID however named, and
		 * name the target before the check so a refusal has it. */
		char rid[19];
		const char *key = r->params[i];
		/* A resident ID as stored (upper-case X) is its own name. */
		if (k == KEY_PERSON &&
		    (strlen(key) != 18 || strchr(key, 'x')) &&
		    !store_person_rid(r->st, key, rid, err))
			key = rid;
		if (!r->target[0])
			snprintf(r->target, sizeof r->target, "%s:%s",
				 key_names[k], key);
		enum cd_code rc = key_allowed(r, k, r->params[i], err);
		if (rc) {
			snprintf(r->field, sizeof r->field, "%s", name);
			return rc;
		}
	}
	return CD_OK;
}

/* ---- output: mask and guard */

struct guard {
	struct api_req *r;
	bool ok;
	int n;
	char seen[64][UNIT_CODE_MAX];
	bool in[64];
};

static bool hamlet_in(struct guard *g, const char *code)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(g->seen[i], code))
			return g->in[i];
	bool in = api_in_scope(g->r, code);
	if (g->n < 64) {
		snprintf(g->seen[g->n], UNIT_CODE_MAX, "%s", code);
		g->in[g->n++] = in;
	}
	return in;
}

static bool is_rid_key(const char *k)
{
	size_t n = strlen(k);
	return !strcmp(k, "rid") || (n > 4 && !strcmp(k + n - 4, "_rid"));
}

static bool is_phone_key(const char *k)
{
	size_t n = strlen(k);
	return !strcmp(k, "phone") || (n > 6 && !strcmp(k + n - 6, "_phone"));
}

static void walk(struct guard *g, json_t *j, int depth)
{
	const struct api_user *u = g->r->user;
	if (depth > 32 || !g->ok)
		return;
	if (json_is_array(j)) {
		size_t i;
		json_t *e;
		json_array_foreach(j, i, e)
			walk(g, e, depth + 1);
		return;
	}
	if (!json_is_object(j))
		return;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) {
		if (json_is_string(v)) {
			const char *s = json_string_value(v);
			if (!strcmp(k, "hamlet") && s[0] && !hamlet_in(g, s)) {
				g->ok = false;
				return;
			}
			bool own = u->role == R_RESIDENT && !strcmp(s, u->rid);
			if (is_rid_key(k) && u->role == R_RESIDENT && !own &&
			    s[0]) {
				g->ok = false;
				return;
			}
			char m[24];
			if (is_rid_key(k) && strlen(s) == 18 && !g->r->unmask &&
			    !own) {
				rid_mask(s, m);
				json_object_set_new(j, k, json_string(m));
			} else if (is_phone_key(k) && strlen(s) == 11 &&
				   !g->r->unmask) {
				phone_mask(s, m);
				json_object_set_new(j, k, json_string(m));
			}
		} else {
			walk(g, v, depth + 1);
		}
	}
}

/* ---- audit */

void api_audit(struct store *st, const struct api_user *u, const char *ip,
	       const char *action, const char *method, const char *path,
	       const char *target, int status, const char *detail)
{
	struct store_audit a;
	memset(&a, 0, sizeof a);
	a.at = time(NULL);
	if (u) {
		snprintf(a.user, sizeof a.user, "%s", u->name);
		const char *role = api_role_name(u->role);
		snprintf(a.role, sizeof a.role, "%s", role ? role : "");
	}
	snprintf(a.ip, sizeof a.ip, "%s", ip ? ip : "");
	snprintf(a.action, sizeof a.action, "%s", action);
	snprintf(a.method, sizeof a.method, "%s", method ? method : "");
	snprintf(a.path, sizeof a.path, "%s", path ? path : "");
	snprintf(a.target, sizeof a.target, "%s", target ? target : "");
	a.status = status;
	snprintf(a.detail, sizeof a.detail, "%s", detail ? detail : "");
	/* What quotes the request stays readable text (and JSON for
	 * GET /audit) even when a buffer cut it inside a character. */
	utf8_cut(a.path);
	utf8_cut(a.target);
	utf8_cut(a.detail);
	struct cd_err e;
	if (store_audit_add(st, &a, &e))
		fprintf(stderr, "cordon serve: audit log: %s\n", e.msg);
}

/* The audit target of a change named by its body: the first field that
 * names a record. */
static void body_target(struct api_req *r)
{
	for (const struct api_field *f = r->route->body; f && f->name; f++) {
		json_t *v = r->body ? json_object_get(r->body, f->name) : NULL;
		if (!f->key || f->key >= KEY_COUNT)
			continue;
		if (json_is_array(v))
			v = json_array_get(v, 0);
		if (json_is_string(v)) {
			snprintf(r->target, sizeof r->target, "%s:%s",
				 key_names[f->key], json_string_value(v));
			return;
		}
	}
}

/* ---- the dispatcher */

static void reply_json(struct api_reply *out, int status, json_t *j)
{
	free(out->body);
	/* 15 significant digits: 98.71 goes out as 98.71, not as the
	 * nearest double's 17 digits. */
	out->body = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
				      JSON_REAL_PRECISION(15));
	out->status = status;
}

void api_dispatch(struct api_ctx *ctx, struct store *st,
		  const struct api_route *rt, char params[4][128],
		  int nparams, const struct api_http *h, struct api_reply *out)
{
	struct api_user user;
	struct api_req r;
	struct cd_err err;
	json_t *res = NULL;
	bool change = strcmp(rt->method, "GET") != 0 ||
		      (rt->flags & API_WRITES),
	     tx = false, group = false;
	/* Rows this request keeps start here (store_defer): earlier ones
	 * are other requests' the server has yet to commit. */
	size_t mark = store_kept(st);
	enum cd_code rc;
	memset(&r, 0, sizeof r);
	memset(&user, 0, sizeof user);
	cd_err_clear(&err);
	r.route = rt;
	r.st = st;
	r.rules = api_ctx_rules(ctx);
	r.now = cd_now();
	r.ip = h->ip;
	r.status = rt->status ? rt->status : 200;
	r.conn = (void *)h;
	r.body_path = h->body_path;
	r.nparams = nparams;
	for (int i = 0; i < nparams; i++)
		r.params[i] = params[i];

	if (rt->roles) {
		if ((rc = api_authenticate(ctx, st, h, &user, &err)))
			goto fail;
		r.user = &user;
		if (!(rt->roles & user.role)) {
			rc = cd_err_set(&err, CD_EFORBIDDEN, "a %s may not %s %s",
					api_role_name(user.role), rt->method,
					rt->path);
			goto fail;
		}
	}
	/* One snapshot for the checks and a reading handler (a change's
	 * transaction ends it). */
	store_read_begin(st);
	/* Path keys first: what lies outside is not there, whatever the
	 * body says. */
	if ((r.user && (rc = check_params(&r, &err))) ||
	    (rc = check_body(&r, h, &err)) ||
	    (r.user && (rc = check_query(&r, h, &err))))
		goto fail;
	group = change && r.user && (rt->flags & API_GROUP);
	store_defer(st, group);
	if (change && r.user && !(rt->flags & API_NO_TX) && !group) {
		if ((rc = store_begin(st, &err)))
			goto fail;
		tx = true;
	}
	rc = rt->fn(&r, &res, &err);
	if (rc == CD_EWRITE && group) {
		/* It must change more than it appends: again, in a
		 * transaction of its own. */
		store_defer(st, false);
		store_keep_drop(st, mark);
		json_decref(res);
		res = NULL;
		cd_err_clear(&err);
		if (!(rc = store_begin(st, &err))) {
			tx = true;
			rc = rt->fn(&r, &res, &err);
		}
	}
	if (rc)
		goto fail;
	if (r.download) {
		/* Aggregate figures only (api.h): sent as they are. */
		free(out->body);
		out->body = r.download;
		out->body_len = r.download_len;
		out->content_type = r.download_type;
		snprintf(out->filename, sizeof out->filename, "%s",
			 r.download_name);
		out->status = r.status;
		json_decref(res);
		json_decref(r.body);
		store_settle(st);
		return;
	}
	if (!res)
		res = json_object();
	if (r.user && !(rt->flags & API_DOC)) {
		struct guard *g = calloc(1, sizeof *g);
		if (!g) {
			rc = cd_err_set(&err, CD_ENOMEM, "out of memory");
			goto fail;
		}
		g->r = &r;
		g->ok = true;
		walk(g, res, 0);
		bool ok = g->ok;
		free(g);
		if (!ok) {
			fprintf(stderr, "cordon serve: %s %s by %s: refused a "
				"reply holding a record outside the user's "
				"jurisdiction\n", rt->method, h->path,
				user.name);
			rc = cd_err_set(&err, CD_EFORBIDDEN, "the reply would "
					"hold records outside your "
					"jurisdiction");
			goto fail;
		}
	}
	if (r.user && change && !r.target[0])
		body_target(&r);
	if (r.user && change)
		api_audit(st, &user, h->ip, "change", rt->method, h->path,
			  r.target, r.status, "");
	if (tx && (rc = store_commit(st, &err))) {
		tx = false;
		goto fail;
	}
	tx = false;
	store_read_end(st);
	/* Audit rows of reads go with other requests' rows. */
	store_defer(st, true);
	if (r.user && (rt->flags & API_READS_PERSON))
		api_audit(st, &user, h->ip, "read", rt->method, h->path,
			  r.target, r.status, "");
	if (r.user && r.unmask)
		api_audit(st, &user, h->ip, "unmask", rt->method, h->path,
			  r.target, r.status, "");
	store_defer(st, false);
	/* Nothing goes out before what it did and who saw what is
	 * committed: by the server with other requests' rows (out->kept),
	 * or here. */
	if (h->keep) {
		out->kept = store_kept(st) - mark;
	} else {
		rc = store_flush(st, mark, store_kept(st), &err);
		store_keep_drop(st, mark);
		if (rc)
			goto fail;
	}
	if (rt->flags & API_LIST) {
		json_t *items = json_is_array(res) ? res : json_array();
		if (items != res)
			json_decref(res);
		bool more = (long)json_array_size(items) > r.limit;
		while ((long)json_array_size(items) > r.limit)
			json_array_remove(items, json_array_size(items) - 1);
		res = json_pack("{s:o, s:i, s:i, s:o}", "items", items,
				"limit", (json_int_t)r.limit, "offset",
				(json_int_t)r.offset, "next_offset",
				more ? json_integer(r.offset + r.limit)
				     : json_null());
	}
	snprintf(out->cookie, sizeof out->cookie, "%s", r.cookie);
	reply_json(out, r.status, res);
	json_decref(res);
	json_decref(r.body);
	store_settle(st);
	return;
fail:
	if (tx)
		store_rollback(st);
	/* What was kept goes with the failed request; the audit row of the
	 * failure is written at once. */
	store_defer(st, false);
	store_keep_drop(st, mark);
	store_read_end(st);
	json_decref(res);
	free(r.download);
	if (rc == CD_EDB || rc == CD_EIO || rc == CD_ENOMEM ||
	    rc == CD_ESCHEMA || rc == CD_EREADONLY || rc == CD_EFULL ||
	    cd_code_http(rc) >= 500) {
		/* Internals stay in the server's log. */
		fprintf(stderr, "cordon serve: %s %s: %s\n", rt->method,
			h->path, err.msg);
		api_error_reply(out, rc, NULL, NULL);
	} else {
		api_error_reply(out, rc, err.msg[0] ? err.msg : NULL, r.field);
	}
	if (rc == CD_ETOOMANY)
		out->retry_after = r.retry_after > 0 ? r.retry_after : 60;
	if (r.user && (change || rc == CD_EFORBIDDEN || r.refused))
		api_audit(st, &user, h->ip, change ? "change" : "refused",
			  rt->method, h->path, r.target, out->status,
			  err.msg);
	snprintf(out->cookie, sizeof out->cookie, "%s", r.cookie);
	json_decref(r.body);
	store_settle(st);
}
