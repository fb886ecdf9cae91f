/* test_api.c — the HTTP API's dispatcher without sockets: the route table
 * and its OpenAPI description, authentication, sessions, lockout, body and
 * query checks, jurisdiction, the reply guard, masking, CSRF and the
 * audit log. Requests go through api_dispatch() against a real store
 * holding tests/data; expected statuses and codes are the documented ones
 * (docs/api.md). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/import.h"
#include "domain/rules.h"
#include "lib/date.h"
#include "lib/banned.h"

#define PW "correct-horse-1"
/* Hamlets of tests/data: one in 云集社区 (town 云集街道), one in 茶市镇. */
#define HAMLET_A "430422001001-001"
#define HAMLET_B "430422103201-001"
#define RID_A "430422201309043756"   /* lives in HAMLET_A */
#define RID_A2 "43042220020703247X"  /* the same household */
#define CHECKPOINT "V430422200-0002"

struct fx {
	char dir[64], db[96];
	struct store *st;
	struct api_ctx *ctx;
	struct rules r;
};

static void ok(enum cd_code rc, const struct cd_err *e)
{
	if (rc)
		fail_msg("%s", e->msg);
}

static void import_file(struct store *st, enum import_kind k,
			const char *path)
{
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	struct import_opts o = { .kind = k, .name = path, .max_errors = 10,
				 .today = cd_today_cst(), .now = 1 };
	struct import_result res;
	struct cd_err e;
	ok(import_stream(st, in, &o, &res, &e), &e);
	fclose(in);
}

static void import(struct store *st, enum import_kind k, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "tests/data/%s.csv", name);
	import_file(st, k, path);
}

static void user(struct fx *f, const char *name, const char *role,
		 const char *unit, const char *rid, bool unmask)
{
	struct store_user u;
	struct cd_err e;
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.unit, sizeof u.unit, "%s", unit);
	snprintf(u.rid, sizeof u.rid, "%s", rid);
	u.unmask = unmask;
	u.created_at = time(NULL);
	ok(api_password_hash(PW, u.pw_hash, &e), &e);
	ok(store_user_add(f->st, &u, &e), &e);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct cd_err e;
	snprintf(f->dir, sizeof f->dir, "/tmp/cordon-api.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	ok(rules_builtin("v9", &f->r, &e), &e);
	ok(store_open(f->db, STORE_CREATE | STORE_WRITE, &f->st, &e), &e);
	import(f->st, IMPORT_UNITS, "units");
	import(f->st, IMPORT_HOUSEHOLDS, "households");
	import(f->st, IMPORT_PERSONS, "persons");
	import(f->st, IMPORT_VENUES, "venues");
	user(f, "root", "admin", "", "", true);
	user(f, "town.admin", "admin", "430422001000", "", false);
	user(f, "grid.a", "grid", HAMLET_A, "", false);
	user(f, "grid.b", "grid", HAMLET_B, "", false);
	user(f, "me", "resident", "", RID_A, false);
	f->ctx = api_ctx_new(&f->r, 3600, 600);
	assert_non_null(f->ctx);
	api_auth_bind(f->ctx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	api_ctx_free(f->ctx);
	store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* ---- one request */

struct req {
	const char *method, *path, *body, *ctype;
	const char *token, *cookie, *csrf;
	const char *query[6][2];
	bool too_big;
	bool keep;                       /* api_http.keep */
	const struct api_route *route;   /* a test route instead of a path */
};

static const char *fake_get(void *conn, const char *name)
{
	struct req *q = conn;
	for (int i = 0; i < 6 && q->query[i][0]; i++)
		if (!strcmp(q->query[i][0], name))
			return q->query[i][1];
	return NULL;
}

static int fake_each(void *conn, int (*fn)(void *arg, const char *name),
		     void *arg)
{
	struct req *q = conn;
	for (int i = 0; i < 6 && q->query[i][0]; i++)
		if (fn(arg, q->query[i][0]))
			return 1;
	return 0;
}

struct reply {
	int status;
	json_t *j;
	char cookie[256];
	size_t kept;
};

static struct reply call(struct fx *f, struct req q)
{
	char params[4][128], auth[160];
	int n = 0, status = 0;
	struct reply out = { 0, NULL, "", 0 };
	const struct api_route *rt =
		q.route ? q.route
			: api_route_find(q.method, q.path, params, &n, &status);
	if (q.route) {
		n = 0;
		for (const char *p = q.path; (p = strchr(p, '{')); p++)
			snprintf(params[n++], 128, "%s", "x");
	}
	if (!rt) {
		out.status = status;
		return out;
	}
	snprintf(auth, sizeof auth, "Bearer %s", q.token ? q.token : "");
	struct api_http h = {
		.method = rt->method, .path = q.path,
		.authorization = q.token ? auth : NULL, .cookie = q.cookie,
		.csrf = q.csrf,
		.content_type = q.body ? (q.ctype ? q.ctype
						  : "application/json")
				       : NULL,
		.ip = "127.0.0.9", .get = fake_get, .each = fake_each,
		.conn = &q, .body = q.body ? q.body : "",
		.body_len = q.body ? strlen(q.body) : 0, .too_big = q.too_big,
		.keep = q.keep,
	};
	struct api_reply rep;
	memset(&rep, 0, sizeof rep);
	api_dispatch(f->ctx, f->st, rt, params, n, &h, &rep);
	out.status = rep.status;
	json_error_t je;
	out.j = json_loads(rep.body ? rep.body : "null", JSON_DECODE_ANY, &je);
	snprintf(out.cookie, sizeof out.cookie, "%s", rep.cookie);
	out.kept = rep.kept;
	free(rep.body);
	return out;
}

static const char *err_code(const struct reply *r)
{
	json_t *e = json_object_get(r->j, "error");
	return e ? json_string_value(json_object_get(e, "code")) : "";
}

static const char *err_field(const struct reply *r)
{
	json_t *e = json_object_get(r->j, "error");
	const char *s = e ? json_string_value(json_object_get(e, "field"))
			  : NULL;
	return s ? s : "";
}

static void expect(struct reply r, int status, const char *code,
		   const char *field)
{
	if (r.status != status) {
		char *dump = json_dumps(r.j, JSON_ENCODE_ANY);
		fail_msg("status %d, wanted %d: %s", r.status, status,
			 dump ? dump : "(no body)");
	}
	if (code)
		assert_string_equal(err_code(&r), code);
	if (field)
		assert_string_equal(err_field(&r), field);
	json_decref(r.j);
}

/* Log in as name; the token into tok (>= 64 bytes). */
static void login(struct fx *f, const char *name, char *tok)
{
	char body[160];
	snprintf(body, sizeof body,
		 "{\"username\": \"%s\", \"password\": \"" PW "\"}", name);
	struct reply r = call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = body });
	assert_int_equal(r.status, 200);
	snprintf(tok, 64, "%s",
		 json_string_value(json_object_get(r.j, "token")));
	json_decref(r.j);
}

static long audit_count(struct fx *f, const char *user_name,
			const char *action)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long n = -1;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
					    "audit_log WHERE user = ?1 AND "
					    "action = ?2", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, user_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* A number the database holds now, read on a connection of its own. */
static long count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long n = -1;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* ---- the route table and its description */

static void test_route_table(void **state)
{
	(void)state;
	json_t *spec = api_openapi(), *paths = json_object_get(spec, "paths");
	size_t ops = 0;
	const char *p;
	json_t *item;
	json_object_foreach(paths, p, item)
		ops += json_object_size(item);
	/* Every route is described, and nothing else is. */
	assert_int_equal(ops, api_route_count);
	for (size_t i = 0; i < api_route_count; i++) {
		const struct api_route *rt = &api_routes[i];
		char m[8];
		size_t k;
		for (k = 0; rt->method[k] && k < 7; k++)
			m[k] = (char)(rt->method[k] | 0x20);
		m[k] = '\0';
		if (!json_object_get(json_object_get(paths, rt->path), m))
			fail_msg("%s %s not in openapi.json", rt->method,
				 rt->path);
		assert_memory_equal(rt->path, "/api/v1/", 8);
		assert_non_null(rt->summary);
		if (!rt->roles)
			assert_string_equal(rt->path, "/api/v1/login");
		if (rt->example) {
			json_error_t je;
			json_t *ex = json_loads(rt->example, 0, &je);
			if (!ex)
				fail_msg("%s %s: example: %s", rt->method,
					 rt->path, je.text);
			json_decref(ex);
		}
		if (rt->body || (rt->flags & API_STREAM))
			assert_true(rt->body_max > 0);
		if (rt->flags & API_LIST)
			assert_string_equal(rt->method, "GET");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(api_routes[j].path, rt->path) &&
			    !strcmp(api_routes[j].method, rt->method))
				fail_msg("%s %s twice", rt->method, rt->path);
		/* A path parameter names a record kind checked for
		 * jurisdiction, or one of the few validated by handlers. */
		for (const char *b = strchr(rt->path, '{'); b;
		     b = strchr(b + 1, '{')) {
			char name[32];
			const char *e = strchr(b, '}');
			snprintf(name, sizeof name, "%.*s", (int)(e - b - 1),
				 b + 1);
			if (!api_param_key(name) && strcmp(name, "kind") &&
			    strcmp(name, "source"))
				fail_msg("%s: {%s} is not a known key",
					 rt->path, name);
		}
	}
	json_decref(spec);
}

static void test_route_find(void **state)
{
	(void)state;
	char params[4][128];
	int n, status;
	assert_non_null(api_route_find("GET", "/api/v1/me", params, &n,
				       &status));
	assert_null(api_route_find("DELETE", "/api/v1/me", params, &n,
				   &status));
	assert_int_equal(status, 405);
	assert_null(api_route_find("GET", "/api/v1/nothing", params, &n,
				   &status));
	assert_int_equal(status, 404);
	const struct api_route *rt =
		api_route_find("GET", "/api/v1/users/li.cdc", params, &n,
			       &status);
	assert_non_null(rt);
	assert_int_equal(n, 1);
	assert_string_equal(params[0], "li.cdc");
	assert_null(api_route_find("GET", "/api/v1/users/", params, &n,
				   &status));
	assert_null(api_route_find("GET", "/api/v1/users/a/b", params, &n,
				   &status));
}

/* Every route but login refuses a request without a session. */
static void test_anonymous_refused(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < api_route_count; i++) {
		const struct api_route *rt = &api_routes[i];
		if (!rt->roles)
			continue;
		struct reply r = call(f, (struct req){ .method = rt->method,
						       .path = rt->path,
						       .route = rt });
		if (r.status != 401)
			fail_msg("%s %s anonymous: %d", rt->method, rt->path,
				 r.status);
		expect(r, 401, "unauthenticated", NULL);
		r = call(f, (struct req){ .method = rt->method,
					  .path = rt->path, .route = rt,
					  .token = "not-a-session" });
		expect(r, 401, "unauthenticated", NULL);
	}
}

/* ---- accounts */

static void test_login_slowed_then_locked(void **state)
{
	struct fx *f = *state;
	struct cd_err e;
	const char *wrong = "{\"username\": \"grid.a\", \"password\": "
			    "\"wrong-password\"}";
	const char *right = "{\"username\": \"grid.a\", \"password\": \"" PW
			    "\"}";
	long before = audit_count(f, "grid.a", "login_failed");
	for (int i = 0; i < 3; i++)
		expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = wrong }),
		       401, "unauthenticated", NULL);
	assert_int_equal(audit_count(f, "grid.a", "login_failed"),
			 before + 3);
	/* After three failures the next try must wait. */
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = right }), 429,
	       "too_many_requests", NULL);
	struct store_user u;
	ok(store_user_get(f->st, "grid.a", &u, &e), &e);
	assert_int_equal(u.failed, 3);
	/* Time passes: the right password works and resets the count. */
	u.last_failed_at -= 3600;
	ok(store_user_set(f->st, &u, &e), &e);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = right }), 200,
	       NULL, NULL);
	ok(store_user_get(f->st, "grid.a", &u, &e), &e);
	assert_int_equal(u.failed, 0);
	/* The tenth failure locks the account, even for the right password. */
	u.failed = 9;
	u.last_failed_at = time(NULL) - 3600;
	ok(store_user_set(f->st, &u, &e), &e);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = wrong }), 401,
	       NULL, NULL);
	ok(store_user_get(f->st, "grid.a", &u, &e), &e);
	assert_true(u.locked_until > time(NULL) + 800);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login", .body = right }), 429,
	       "too_many_requests", NULL);
	/* An unknown user gets the same answer as a wrong password. */
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/login",
				     "{\"username\": \"nobody\", "
				     "\"password\": \"whatever-it-is\"}" }),
	       401, "unauthenticated", NULL);
	assert_int_equal(audit_count(f, "nobody", "login_failed"), 1);
}

static void test_sessions(void **state)
{
	struct fx *f = *state;
	struct cd_err e;
	char tok[64];
	login(f, "root", tok);
	assert_int_equal(audit_count(f, "root", "login"), 1);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .token = tok }), 200,
	       NULL, NULL);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/logout", .token = tok }),
	       200, NULL, NULL);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .token = tok }), 401,
	       "unauthenticated", NULL);
	/* Sessions idle past the timeout, or past their expiry, are over:
	 * made here with times in the past. */
	struct store_user u;
	ok(store_user_get(f->st, "root", &u, &e), &e);
	const char *tokens[] = { "idle-session-token", "old-session-token" };
	int64_t now = time(NULL);
	struct store_session s = { .user = u.id };
	api_token_hash(tokens[0], s.token_hash);
	s.created_at = now - 3600;
	s.expires_at = now + 3600;
	ok(store_session_add(f->st, &s, &e), &e);
	api_token_hash(tokens[1], s.token_hash);
	s.created_at = now - 60;
	s.expires_at = now - 1;
	ok(store_session_add(f->st, &s, &e), &e);
	struct reply r = call(f, (struct req){ .method = "GET", .path = "/api/v1/me",
					       .token = tokens[0] });
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(r.j, "error"),
				       "message")), "idle"));
	expect(r, 401, NULL, NULL);
	r = call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .token = tokens[1] });
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(r.j, "error"),
				       "message")), "expired"));
	expect(r, 401, NULL, NULL);
	/* A disabled user's session ends. */
	login(f, "grid.b", tok);
	ok(store_user_get(f->st, "grid.b", &u, &e), &e);
	u.disabled = true;
	ok(store_user_set(f->st, &u, &e), &e);
	ok(store_session_revoke(f->st, NULL, u.id, now, &e), &e);
	/* The cache may hold it for a few seconds: the database does not. */
	struct store_session back;
	unsigned char h[32];
	api_token_hash(tok, h);
	ok(store_session_get(f->st, h, &back, &e), &e);
	assert_true(back.revoked_at > 0);
	u.disabled = false;
	ok(store_user_set(f->st, &u, &e), &e);
}

static void test_cookie_and_csrf(void **state)
{
	struct fx *f = *state;
	struct reply r = call(f, (struct req){ .method = "POST", .path = "/api/v1/login",
					       "{\"username\": \"root\", "
					       "\"password\": \"" PW "\", "
					       "\"cookie\": true}" });
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.cookie, "HttpOnly"));
	assert_non_null(strstr(r.cookie, "Secure"));
	assert_non_null(strstr(r.cookie, "SameSite=Strict"));
	char cookie[128], csrf[64];
	snprintf(cookie, sizeof cookie, "cordon_session=%s",
		 json_string_value(json_object_get(r.j, "token")));
	snprintf(csrf, sizeof csrf, "%s",
		 json_string_value(json_object_get(r.j, "csrf")));
	json_decref(r.j);
	/* Reading with the cookie needs no CSRF token; changing does. */
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .cookie = cookie }),
	       200, NULL, NULL);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/logout",
				     .cookie = cookie }),
	       403, "forbidden", NULL);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/logout",
				     .cookie = cookie, .csrf = "forged" }),
	       403, "forbidden", NULL);
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/logout",
				     .cookie = cookie, .csrf = csrf }),
	       200, NULL, NULL);
}

/* ---- input */

static void test_bad_bodies(void **state)
{
	struct fx *f = *state;
	char tok[64];
	login(f, "root", tok);
	const char *p = "/api/v1/users";
#define POST(b, ...) call(f, (struct req){ .method = "POST", .path = p, \
					   .body = b, .token = tok, __VA_ARGS__ })
	expect(POST("{\"name\": \"x\", "), 400, "invalid", NULL);
	expect(POST("[1, 2]"), 400, "invalid", NULL);
	/* An empty unit is no unit: a lab user needs one (found by
	 * fuzz_api: it went on to the database and failed there, 500). */
	expect(POST("{\"name\": \"a.b\", \"role\": \"lab\", \"unit\": \"\", "
		    "\"password\": \"" PW "\"}"),
	       400, "invalid", "unit");
	expect(POST("{\"name\": \"a\", \"name\": \"b\", \"role\": \"lab\", "
		    "\"password\": \"" PW "\", \"unit\": \"430422\"}"),
	       400, "invalid", NULL);
	expect(POST("{\"name\": \"x1\", \"role\": \"lab\", \"password\": \""
		    PW "\", \"unit\": \"430422\", \"colour\": 1}"),
	       400, "invalid", "colour");
	expect(POST("{\"name\": \"x1\", \"role\": 7, \"password\": \"" PW
		    "\", \"unit\": \"430422\"}"),
	       400, "invalid", "role");
	expect(POST("{\"name\": \"x1\", \"password\": \"" PW "\"}"), 400,
	       "invalid", "role");
	expect(POST("{\"name\": \"x1\", \"role\": \"lab\", \"password\": \""
		    PW "\", \"unit\": \"430422\", \"unmask\": \"yes\"}"),
	       400, "invalid", "unmask");
	expect(POST("{\"name\": \"x1\", \"role\": \"lab\", \"password\": \""
		    PW "\", \"unit\": \"4304229999\"}"),
	       404, "not_found", "unit");
	expect(POST("{\"name\": \"x1\", \"role\": \"lab\", \"password\": "
		    "\"short\", \"unit\": \"430422\"}"),
	       400, "invalid", "password");
	char longname[400];
	memset(longname, 'a', sizeof longname);
	snprintf(longname, sizeof longname, "{\"name\": \"%0300d\"}", 0);
	expect(POST(longname), 400, "invalid", "name");
	expect(POST("{\"name\": \"caf\xc3\x28\"}"), 400, "invalid", NULL);
	/* An unknown field whose name does not fit the 64-byte field of
	 * the reply: cut after whole characters ("a" and 20 of 30 界, 61
	 * bytes, not inside the 21st), so the error still has a body. */
	char wide[200], cut[80];
	int w = snprintf(wide, sizeof wide, "{\"a"), c = snprintf(cut,
								sizeof cut,
								"a");
	for (int i = 0; i < 30; i++)
		w += snprintf(wide + w, sizeof wide - (size_t)w, "\xe7\x95\x8c");
	for (int i = 0; i < 20; i++)
		c += snprintf(cut + c, sizeof cut - (size_t)c, "\xe7\x95\x8c");
	snprintf(wide + w, sizeof wide - (size_t)w, "\": 1}");
	expect(POST(wide), 400, "invalid", cut);
	expect(POST("{\"name\": \"x1\"}", .ctype = "text/plain"), 415,
	       "unsupported_media_type", NULL);
	expect(POST("{}", .too_big = true), 413, "too_large", NULL);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .body = "{}", .token = tok }),
	       400, "invalid", NULL);
	/* A good one, for contrast, then the same name again. */
	const char *good = "{\"name\": \"li.lab\", \"role\": \"lab\", "
			   "\"password\": \"" PW "\", \"unit\": \"430422\"}";
	expect(POST(good), 201, NULL, NULL);
	expect(POST(good), 409, "conflict", NULL);
	assert_true(audit_count(f, "root", "change") >= 2);
#undef POST
}

static void test_bad_queries(void **state)
{
	struct fx *f = *state;
	char tok[64];
	login(f, "root", tok);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = tok,
				     .query = { { "limit", "0" } } }),
	       400, "invalid", "limit");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = tok,
				     .query = { { "limit", "501" } } }),
	       400, "invalid", "limit");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = tok,
				     .query = { { "offset", "-1" } } }),
	       400, "invalid", "offset");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = tok,
				     .query = { { "colour", "red" } } }),
	       400, "invalid", "colour");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/audit", .token = tok,
				     .query = { { "since", "yesterday" } } }),
	       400, "invalid", "since");
	/* Pages: two users per page over the five of setup. */
	struct reply r = call(f, (struct req){ .method = "GET", .path = "/api/v1/users",
					       .token = tok,
					       .query = { { "limit", "2" } } });
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.j, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.j,
							    "next_offset")),
			 2);
	json_decref(r.j);
}

/* ---- jurisdiction, guard, masking */

static enum cd_code leak_handler(struct api_req *r, json_t **out,
				 struct cd_err *err)
{
	(void)err;
	const char *hamlet = api_query(r, "hamlet");
	*out = json_pack("{s:s, s:s, s:s}", "rid", RID_A, "phone",
			 "13394641177", "hamlet", hamlet ? hamlet : "");
	return CD_OK;
}

static const struct api_field leak_query[] = {
	{ "hamlet", T_STRING, 0, KEY_NONE, 40, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct api_route leak_route = {
	"GET", "/api/v1/test-leak", leak_handler, R_STAFF, API_UNMASK, 0,
	leak_query, NULL, 200, "test", NULL,
};

static void test_guard_and_masking(void **state)
{
	struct fx *f = *state;
	char tok[64], root[64];
	login(f, "grid.a", tok);
	login(f, "root", root);
	/* A handler that would send a person of another hamlet is stopped. */
	struct reply r = call(f, (struct req){ .method = "GET", .path = "/api/v1/test-leak", .token = tok, .route = &leak_route,
		.query = { { "hamlet", HAMLET_B } } });
	char *dump = json_dumps(r.j, 0);
	assert_null(strstr(dump, "13394641177"));
	free(dump);
	expect(r, 403, "forbidden", NULL);
	/* Inside: sent, masked. */
	r = call(f, (struct req){ .method = "GET", .path = "/api/v1/test-leak", .token = tok,
				  .route = &leak_route,
				  .query = { { "hamlet", HAMLET_A } } });
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "rid")),
			    "430422********3756");
	assert_string_equal(json_string_value(json_object_get(r.j, "phone")),
			    "133****1177");
	json_decref(r.j);
	/* Unmasking needs the permission, and is audited. */
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/test-leak", .token = tok,
				     .route = &leak_route,
				     .query = { { "hamlet", HAMLET_A },
						{ "unmask", "true" } } }),
	       403, "forbidden", NULL);
	long before = audit_count(f, "root", "unmask");
	r = call(f, (struct req){ .method = "GET", .path = "/api/v1/test-leak", .token = root,
				  .route = &leak_route,
				  .query = { { "hamlet", HAMLET_B },
					     { "unmask", "true" } } });
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "rid")),
			    RID_A);
	json_decref(r.j);
	assert_int_equal(audit_count(f, "root", "unmask"), before + 1);
}

static void test_jurisdiction(void **state)
{
	struct fx *f = *state;
	char town[64], grid[64], me[64];
	login(f, "town.admin", town);
	login(f, "grid.a", grid);
	login(f, "me", me);
	/* An admin of a town sees users of it, not of another town, and
	 * both answers look alike to them. */
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users/grid.a",
				     .token = town }),
	       200, NULL, NULL);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users/grid.b",
				     .token = town }),
	       404, "not_found", "user");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users/no.such",
				     .token = town }),
	       404, "not_found", "user");
	/* ... and cannot bind a new user outside it. */
	expect(call(f, (struct req){ .method = "POST", .path = "/api/v1/users",
				     "{\"name\": \"x2\", \"role\": \"grid\", "
				     "\"password\": \"" PW "\", \"unit\": \""
				     HAMLET_B "\"}", .token = town }),
	       404, "not_found", "unit");
	struct reply r = call(f, (struct req){ .method = "GET", .path = "/api/v1/users",
					       .token = town });
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(r.j, "items"), i, u)
		assert_string_not_equal(json_string_value(json_object_get(u,
									  "name")),
					"grid.b");
	expect(r, 200, NULL, NULL);
	/* A list asked for a unit outside is refused. */
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = town,
				     .query = { { "unit", "430422103000" } } }),
	       403, "forbidden", "unit");
	/* Roles: a grid worker may not manage users; refusals are audited. */
	long before = audit_count(f, "grid.a", "refused");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/users", .token = grid }),
	       403, "forbidden", NULL);
	assert_int_equal(audit_count(f, "grid.a", "refused"), before + 1);
	/* A resident's jurisdiction is their own hamlet, and only their own
	 * record in it. */
	r = call(f, (struct req){ .method = "GET", .path = "/api/v1/me", .token = me });
	assert_string_equal(json_string_value(json_object_get(r.j, "role")),
			    "resident");
	expect(r, 200, NULL, NULL);
}

static void test_audit_append_only(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	char tok[64];
	login(f, "root", tok);
	assert_int_equal(audit_count(f, "root", "login"), 1);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET user = "
					  "'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL,
					  NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
}


/* ---- group commit: rows kept, then written together */

#define PASSES "SELECT count(*) FROM checkpoint_passes"

static struct reply check(struct fx *f, const char *tok, const char *rid,
			  const char *temp, bool keep)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/check/%s", rid);
	return call(f, (struct req){ .method = "GET", .path = path,
				     .token = tok, .keep = keep,
				     .query = { { "checkpoint", CHECKPOINT },
						{ "temp", temp } } });
}

static void test_check_kept_rows(void **state)
{
	struct fx *f = *state;
	struct cd_err e;
	char tok[64];
	user(f, "cp", "checkpoint", "430422", "", false);
	login(f, "cp", tok);
	long passes = count(f, PASSES);
	/* With keep (the server's loops), a verification leaves its pass
	 * and its audit row kept, and nothing is written yet. */
	struct reply r = check(f, tok, RID_A, "36.5", true);
	assert_int_equal(r.kept, 2);
	char outcome[32];
	snprintf(outcome, sizeof outcome, "%s",
		 json_string_value(json_object_get(r.j, "outcome")));
	expect(r, 200, NULL, NULL);
	r = check(f, tok, RID_A2, "36.6", true);
	assert_int_equal(r.kept, 2);
	expect(r, 200, NULL, NULL);
	assert_int_equal(store_kept(f->st), 4);
	assert_int_equal(count(f, PASSES), passes);
	assert_int_equal(audit_count(f, "cp", "change"), 0);
	/* Written together, each request's rows as the request left them. */
	ok(store_flush(f->st, 0, 4, &e), &e);
	store_keep_drop(f->st, 0);
	assert_int_equal(store_kept(f->st), 0);
	assert_int_equal(count(f, PASSES), passes + 2);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE user"
			      " = 'cp' AND action = 'change' AND target IN"
			      " ('person:" RID_A "', 'person:" RID_A2 "')"),
			 2);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM checkpoint_passes"
		 " WHERE temperature = 36.5 AND outcome = '%s' AND findings"
		 " LIKE '[{%%'", outcome);
	assert_int_equal(count(f, sql), 1);
	/* Without keep, written before the reply. */
	r = check(f, tok, RID_A, "36.5", false);
	assert_int_equal(r.kept, 0);
	expect(r, 200, NULL, NULL);
	assert_int_equal(count(f, PASSES), passes + 3);
	assert_int_equal(audit_count(f, "cp", "change"), 3);
	/* A fever changes the code: the request runs again in a transaction
	 * of its own (the pass, the code and the audit row together), and
	 * keeps nothing. */
	r = check(f, tok, RID_A, "38.6", true);
	assert_int_equal(r.kept, 0);
	const char *colour =
		json_string_value(json_object_get(r.j, "colour"));
	assert_non_null(colour);
	assert_string_not_equal(colour, "green");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM codes c JOIN persons p"
		 " ON p.id = c.person_id WHERE p.resident_id = '" RID_A "'"
		 " AND c.colour = '%s' AND c.reasons LIKE '%%fever%%'",
		 colour);
	expect(r, 200, NULL, NULL);
	assert_int_equal(count(f, sql), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM checkpoint_passes"
			      " WHERE temperature = 38.6"),
			 1);
	assert_int_equal(audit_count(f, "cp", "change"), 4);
	assert_int_equal(store_kept(f->st), 0);
	/* A refused request keeps nothing; its audit row is written. */
	r = call(f, (struct req){ .method = "GET",
				  .path = "/api/v1/check/" RID_A, .token = tok,
				  .keep = true,
				  .query = { { "checkpoint", "V-NO-SUCH" } } });
	assert_int_equal(r.kept, 0);
	json_decref(r.j);
	assert_int_equal(store_kept(f->st), 0);
	assert_int_equal(audit_count(f, "cp", "change"), 5);
	assert_int_equal(count(f, PASSES), passes + 4);
}

static void audit_row(struct store *st, const char *who)
{
	struct store_audit a;
	struct cd_err e;
	memset(&a, 0, sizeof a);
	a.at = time(NULL);
	snprintf(a.user, sizeof a.user, "%s", who);
	snprintf(a.action, sizeof a.action, "read");
	ok(store_audit_add(st, &a, &e), &e);
}

static void test_store_keep(void **state)
{
	struct fx *f = *state;
	struct cd_err e;
	/* Deferring: rows are kept, and a write is refused so that the
	 * caller runs it again in a transaction. */
	store_defer(f->st, true);
	assert_int_equal(store_begin(f->st, &e), CD_EWRITE);
	audit_row(f->st, "k1");
	/* A pass of no person: SQLite refuses it only when written. */
	struct store_pass bad = { 999999, 1, time(NULL), 1, 36.5, -1, "pass",
				  "[]" };
	ok(store_checkpoint_pass(f->st, &bad, &e), &e);
	audit_row(f->st, "k2");
	store_defer(f->st, false);
	assert_int_equal(store_kept(f->st), 3);
	assert_int_equal(audit_count(f, "k1", "read"), 0);
	/* A range is written whole or not at all. */
	assert_int_not_equal(store_flush(f->st, 0, 2, &e), CD_OK);
	assert_int_equal(audit_count(f, "k1", "read"), 0);
	ok(store_flush(f->st, 2, 3, &e), &e);
	assert_int_equal(audit_count(f, "k2", "read"), 1);
	store_keep_drop(f->st, 0);
	assert_int_equal(store_kept(f->st), 0);
	/* Not deferring: written at once. */
	audit_row(f->st, "k3");
	assert_int_equal(store_kept(f->st), 0);
	assert_int_equal(audit_count(f, "k3", "read"), 1);
}

static void test_read_snapshot(void **state)
{
	struct fx *f = *state;
	struct cd_err e;
	struct store *other;
	long n0, n;
	ok(store_open(f->db, STORE_WRITE, &other, &e), &e);
	/* As between requests: no statement left holding a snapshot. */
	store_settle(f->st);
	ok(store_user_count(f->st, &n0, &e), &e);
	store_read_begin(f->st);
	ok(store_user_count(f->st, &n, &e), &e);
	assert_int_equal(n, n0);
	struct fx o = *f;
	o.st = other;
	user(&o, "later.1", "analyst", "", "", false);
	/* One snapshot until it ends. */
	ok(store_user_count(f->st, &n, &e), &e);
	assert_int_equal(n, n0);
	store_read_end(f->st);
	ok(store_user_count(f->st, &n, &e), &e);
	assert_int_equal(n, n0 + 1);
	/* A write inside one ends it first, and sees the latest state. */
	store_read_begin(f->st);
	ok(store_user_count(f->st, &n, &e), &e);
	user(&o, "later.2", "analyst", "", "", false);
	ok(store_begin(f->st, &e), &e);
	ok(store_user_count(f->st, &n, &e), &e);
	assert_int_equal(n, n0 + 2);
	ok(store_commit(f->st, &e), &e);
	store_close(other);
}

/* Jurisdiction looks units' parents up once per connection: scopes change
 * from request to request, and units imported later are found. */
static void test_jurisdiction_units_later(void **state)
{
	struct fx *f = *state;
	char town[64], grid_a[64], grid_b[64];
	login(f, "town.admin", town);
	login(f, "grid.a", grid_a);
	login(f, "grid.b", grid_b);
	for (int round = 0; round < 2; round++) {
		expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/persons/" RID_A,
					     .token = grid_a }),
		       200, NULL, NULL);
		expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/persons/" RID_A,
					     .token = grid_b }),
		       404, "not_found", "person");
		expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/persons/" RID_A,
					     .token = town }),
		       200, NULL, NULL);
	}
	char path[128];
	snprintf(path, sizeof path, "%s/u.csv", f->dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs("code,name,kind\n430422001001-009,新组,\n", out);
	fclose(out);
	import_file(f->st, IMPORT_UNITS, path);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/units/430422001001-009",
				     .token = town }),
	       200, NULL, NULL);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/units/430422001001-009",
				     .token = grid_a }),
	       404, "not_found", "unit");
	user(f, "town.b", "admin", "430422103000", "", false);
	char town_b[64];
	login(f, "town.b", town_b);
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/units/430422001001-009",
				     .token = town_b }),
	       404, "not_found", "unit");
	expect(call(f, (struct req){ .method = "GET", .path = "/api/v1/units/" HAMLET_B,
				     .token = town_b }),
	       200, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_table),
		cmocka_unit_test(test_route_find),
		cmocka_unit_test_setup_teardown(test_anonymous_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_login_slowed_then_locked,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookie_and_csrf, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_bodies, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_queries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_guard_and_masking, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_jurisdiction, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audit_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_check_kept_rows, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_keep, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_snapshot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_jurisdiction_units_later,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
