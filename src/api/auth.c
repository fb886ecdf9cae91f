/* auth.c — passwords, sessions and the login resource.
 *
 * Passwords are Argon2id strings (libsodium's interactive limits). A login
 * returns a random 256-bit token; the database keeps only its BLAKE2b
 * hash, with an absolute expiry and an idle timeout. Sessions are cached
 * in memory and checked against the database again every few seconds, so
 * a revoked session or disabled user is refused within that time.
 * Failed logins are slowed (after the third, a try must wait 5 s after the
 * last failure, each further failure doubling it) and after the tenth the
 * account is locked for a quarter of an hour. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/handlers.h"
#include "lib/banned.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 256
#define CACHE_SLOTS 4096
#define RECHECK_SECONDS 5
#define SLOW_AFTER 3        /* failures before tries are slowed */
#define SLOW_SECONDS 5      /* the first wait; each failure doubles it */
#define LOCK_AFTER 10       /* failures that lock the account */
#define LOCK_SECONDS 900
#define COOKIE_NAME "cordon_session"
#define LOGIN_PATH "/api/v1/login"

struct cached {
	bool used;
	unsigned char hash[32], csrf[32];
	struct api_user user;
	int64_t expires_at, last_seen, checked_at;
};

struct api_ctx {
	const struct rules *rules;
	int64_t session_seconds, idle_seconds;
	char dummy_hash[crypto_pwhash_STRBYTES];
	pthread_mutex_t lock;
	struct cached cache[CACHE_SLOTS];
};

enum cd_code api_password_hash(const char *password, char *out,
			       struct cd_err *err)
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return cd_err_set(err, CD_EINVAL, "a password has %d to %d "
				  "characters", PASSWORD_MIN, PASSWORD_MAX);
	if (sodium_init() < 0)
		return cd_err_set(err, CD_ENOMEM, "libsodium cannot start");
	if (crypto_pwhash_str(out, password, n,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return cd_err_set(err, CD_ENOMEM, "out of memory hashing a "
				  "password");
	return CD_OK;
}

bool api_password_ok(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void api_token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token,
			   strlen(token), NULL, 0);
}

/* A random token as URL-safe base64 (43 characters). */
static void token_new(char *out, size_t len)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, len, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

struct api_ctx *api_ctx_new(const struct rules *r, int64_t session_seconds,
			    int64_t idle_seconds)
{
	if (sodium_init() < 0)
		return NULL;
	struct api_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->rules = r;
	c->session_seconds = session_seconds;
	c->idle_seconds = idle_seconds;
	pthread_mutex_init(&c->lock, NULL);
	/* Checked against when the user does not exist, so that a wrong
	 * name takes as long as a wrong password. */
	char pw[64];
	token_new(pw, sizeof pw);
	struct cd_err e;
	if (api_password_hash(pw, c->dummy_hash, &e)) {
		api_ctx_free(c);
		return NULL;
	}
	return c;
}

void api_ctx_free(struct api_ctx *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	sodium_memzero(c, sizeof *c);
	free(c);
}

const struct rules *api_ctx_rules(const struct api_ctx *c)
{
	return c->rules;
}

static struct cached *slot(struct api_ctx *c, const unsigned char *hash)
{
	unsigned i = (hash[0] | hash[1] << 8) % CACHE_SLOTS;
	return &c->cache[i];
}

void api_session_forget(struct api_ctx *c, const unsigned char *hash)
{
	pthread_mutex_lock(&c->lock);
	struct cached *s = slot(c, hash);
	if (s->used && !memcmp(s->hash, hash, 32))
		s->used = false;
	pthread_mutex_unlock(&c->lock);
}

/* The token of a request: "Authorization: Bearer T", else the session
 * cookie. */
static bool request_token(const struct api_http *h, char *tok, size_t len,
			  bool *cookie)
{
	*cookie = false;
	if (h->authorization && !strncmp(h->authorization, "Bearer ", 7)) {
		snprintf(tok, len, "%s", h->authorization + 7);
		return strlen(h->authorization + 7) < len;
	}
	for (const char *p = h->cookie; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t n = strcspn(p, ";");
		if (!strncmp(p, COOKIE_NAME "=", sizeof COOKIE_NAME) &&
		    n - sizeof COOKIE_NAME < len) {
			snprintf(tok, len, "%.*s",
				 (int)(n - sizeof COOKIE_NAME),
				 p + sizeof COOKIE_NAME);
			*cookie = true;
			return true;
		}
		p += n;
	}
	return false;
}

/* A session from the database: refused unless open and its user enabled. */
static enum cd_code session_load(struct api_ctx *c, struct store *st,
				 const unsigned char *hash, int64_t now,
				 struct cached *out, struct cd_err *err)
{
	struct store_session s;
	struct store_user u;
	enum cd_code rc = store_session_get(st, hash, &s, err);
	if (rc == CD_ENOTFOUND)
		return cd_err_set(err, CD_EAUTH, "unknown session: log in");
	if (rc)
		return rc;
	if (s.revoked_at)
		return cd_err_set(err, CD_EAUTH, "the session was ended: log "
				  "in again");
	if ((rc = store_user_get_id(st, s.user, &u, err)))
		return rc;
	if (u.disabled)
		return cd_err_set(err, CD_EAUTH, "the account is disabled");
	memset(out, 0, sizeof *out);
	out->used = true;
	memcpy(out->hash, hash, 32);
	memcpy(out->csrf, s.csrf_hash, 32);
	out->expires_at = s.expires_at;
	out->last_seen = s.last_seen;
	out->checked_at = now;
	out->user.id = u.id;
	snprintf(out->user.name, sizeof out->user.name, "%s", u.name);
	out->user.role = api_role_parse(u.role);
	out->user.unmask = u.unmask;
	snprintf(out->user.rid, sizeof out->user.rid, "%s", u.rid);
	snprintf(out->user.unit, sizeof out->user.unit, "%s", u.unit);
	if (u.rid[0]) {
		/* A resident's jurisdiction is their own hamlet. */
		struct person_view v;
		if ((rc = store_person_get(st, u.rid, &v, err)))
			return rc;
		snprintf(out->user.unit, sizeof out->user.unit, "%s",
			 v.hamlet);
	}
	(void)c;
	return CD_OK;
}

enum cd_code api_authenticate(struct api_ctx *c, struct store *st,
			      const struct api_http *h, struct api_user *u,
			      struct cd_err *err)
{
	char tok[128];
	bool cookie;
	if (!request_token(h, tok, sizeof tok, &cookie) || !tok[0])
		return cd_err_set(err, CD_EAUTH, "log in first: send "
				  "'Authorization: Bearer TOKEN'");
	unsigned char hash[32];
	api_token_hash(tok, hash);
	sodium_memzero(tok, sizeof tok);
	int64_t now = time(NULL);
	struct cached s;
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	struct cached *e = slot(c, hash);
	if (e->used && !memcmp(e->hash, hash, 32) &&
	    now - e->checked_at < RECHECK_SECONDS) {
		s = *e;
		hit = true;
	}
	pthread_mutex_unlock(&c->lock);
	if (!hit) {
		enum cd_code rc = session_load(c, st, hash, now, &s, err);
		if (rc)
			return rc;
		/* The cache may have seen the session more recently. */
		pthread_mutex_lock(&c->lock);
		e = slot(c, hash);
		if (e->used && !memcmp(e->hash, hash, 32) &&
		    e->last_seen > s.last_seen)
			s.last_seen = e->last_seen;
		pthread_mutex_unlock(&c->lock);
		struct cd_err te;
		if (now > s.last_seen &&
		    now - s.last_seen <= c->idle_seconds &&
		    store_session_touch(st, hash, now, &te))
			fprintf(stderr, "cordon serve: %s\n", te.msg);
	}
	if (now >= s.expires_at)
		return cd_err_set(err, CD_EAUTH, "the session has expired: "
				  "log in again");
	if (now - s.last_seen > c->idle_seconds)
		return cd_err_set(err, CD_EAUTH, "the session was idle too "
				  "long: log in again");
	if (cookie && strcmp(h->method, "GET") && strcmp(h->method, "HEAD")) {
		unsigned char ch[32];
		if (!h->csrf || !h->csrf[0])
			return cd_err_set(err, CD_EFORBIDDEN, "a change made "
					  "with the session cookie needs the "
					  "X-CSRF-Token header");
		api_token_hash(h->csrf, ch);
		if (sodium_memcmp(ch, s.csrf, 32))
			return cd_err_set(err, CD_EFORBIDDEN, "wrong "
					  "X-CSRF-Token");
	}
	s.last_seen = now;
	pthread_mutex_lock(&c->lock);
	e = slot(c, hash);
	*e = s;
	pthread_mutex_unlock(&c->lock);
	*u = s.user;
	u->cookie = cookie;
	return CD_OK;
}

/* ---- handlers: POST /login, POST /logout, GET /me */

static json_t *user_json(const struct api_user *u, const char *unit_name)
{
	return json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "name", u->name,
			 "role", api_role_name(u->role), "unit",
			 u->unit[0] ? u->unit : NULL, "unit_name",
			 unit_name && unit_name[0] ? unit_name : NULL,
			 "may_unmask", u->unmask);
}

/* The server's context, set by the server for the login handlers. */
static struct api_ctx *login_ctx;

void api_auth_bind(struct api_ctx *c)
{
	login_ctx = c;
}

enum cd_code api_h_login(struct api_req *r, json_t **out, struct cd_err *err)
{
	const char *name = api_body_str(r, "username", "");
	const char *pw = api_body_str(r, "password", "");
	bool want_cookie = api_body_bool(r, "cookie", false);
	struct store_user u;
	int64_t now = time(NULL);
	struct api_user au;
	memset(&au, 0, sizeof au);
	snprintf(au.name, sizeof au.name, "%s", name);
	enum cd_code rc = store_user_get(r->st, name, &u, err);
	if (rc == CD_ENOTFOUND) {
		api_password_ok(login_ctx->dummy_hash, pw);
		api_audit(r->st, &au, r->ip, "login_failed", "POST", LOGIN_PATH,
			  "", 401, "unknown user");
		return cd_err_set(err, CD_EAUTH, "wrong user name or password");
	}
	if (rc)
		return rc;
	au.role = api_role_parse(u.role);
	if (u.locked_until > now) {
		r->retry_after = (int)(u.locked_until - now);
		api_audit(r->st, &au, r->ip, "login_failed", "POST", LOGIN_PATH, "",
			  429, "locked");
		return cd_err_set(err, CD_ETOOMANY, "too many failed logins: "
				  "the account is locked for %d more seconds",
				  r->retry_after);
	}
	if (u.failed >= SLOW_AFTER) {
		int shift = u.failed - SLOW_AFTER;
		int64_t wait = (int64_t)SLOW_SECONDS << (shift > 8 ? 8 : shift);
		if (now < u.last_failed_at + wait) {
			r->retry_after = (int)(u.last_failed_at + wait - now);
			api_audit(r->st, &au, r->ip, "login_failed", "POST",
				  LOGIN_PATH, "", 429, "too soon after a failure");
			return cd_err_set(err, CD_ETOOMANY, "too many failed "
					  "logins: wait %d seconds",
					  r->retry_after);
		}
	}
	if (!api_password_ok(u.pw_hash, pw) || u.disabled) {
		bool wrong = !u.disabled;
		if (wrong) {
			u.failed++;
			u.last_failed_at = now;
			if (u.failed >= LOCK_AFTER) {
				u.locked_until = now + LOCK_SECONDS;
				u.failed = 0;
			}
			if ((rc = store_user_set(r->st, &u, err)))
				return rc;
		}
		api_audit(r->st, &au, r->ip, "login_failed", "POST", LOGIN_PATH, "",
			  401, wrong ? (u.locked_until > now ? "wrong password;"
					" locked" : "wrong password")
				     : "disabled");
		return cd_err_set(err, CD_EAUTH, "wrong user name or password");
	}
	if (u.failed || u.locked_until) {
		u.failed = 0;
		u.locked_until = 0;
		if ((rc = store_user_set(r->st, &u, err)))
			return rc;
	}
	char tok[64], csrf[64];
	struct store_session s;
	memset(&s, 0, sizeof s);
	token_new(tok, sizeof tok);
	token_new(csrf, sizeof csrf);
	api_token_hash(tok, s.token_hash);
	api_token_hash(csrf, s.csrf_hash);
	s.user = u.id;
	s.created_at = now;
	s.expires_at = now + login_ctx->session_seconds;
	snprintf(s.ip, sizeof s.ip, "%s", r->ip ? r->ip : "");
	if ((rc = store_session_add(r->st, &s, err)))
		return rc;
	snprintf(au.unit, sizeof au.unit, "%s", u.unit);
	au.unmask = u.unmask;
	api_audit(r->st, &au, r->ip, "login", "POST", LOGIN_PATH, "", 200,
		  want_cookie ? "cookie" : "token");
	if (want_cookie)
		snprintf(r->cookie, sizeof r->cookie,
			 COOKIE_NAME "=%s; Path=/; HttpOnly; Secure; "
			 "SameSite=Strict; Max-Age=%lld", tok,
			 (long long)login_ctx->session_seconds);
	*out = json_pack("{s:s, s:s, s:o, s:I, s:o}", "token", tok, "csrf",
			 csrf, "expires_at", api_time(s.expires_at),
			 "idle_timeout", (json_int_t)login_ctx->idle_seconds,
			 "user", user_json(&au, u.unit_name));
	sodium_memzero(tok, sizeof tok);
	return CD_OK;
}

enum cd_code api_h_logout(struct api_req *r, json_t **out, struct cd_err *err)
{
	const struct api_http *h = r->conn;
	char tok[128];
	bool cookie;
	unsigned char hash[32];
	if (!request_token(h, tok, sizeof tok, &cookie))
		return cd_err_set(err, CD_EAUTH, "no session");
	api_token_hash(tok, hash);
	sodium_memzero(tok, sizeof tok);
	enum cd_code rc = store_session_revoke(r->st, hash, 0, time(NULL),
					       err);
	if (rc)
		return rc;
	api_session_forget(login_ctx, hash);
	if (cookie)
		snprintf(r->cookie, sizeof r->cookie, COOKIE_NAME "=; Path=/; "
			 "HttpOnly; Secure; SameSite=Strict; Max-Age=0");
	snprintf(r->target, sizeof r->target, "user:%s", r->user->name);
	*out = json_pack("{s:b}", "logged_out", 1);
	return CD_OK;
}

enum cd_code api_h_me(struct api_req *r, json_t **out, struct cd_err *err)
{
	struct unit_rec unit;
	const char *uname = NULL;
	if (r->user->unit[0] &&
	    !store_unit_get(r->st, r->user->unit, &unit, err))
		uname = unit.name;
	json_t *j = user_json(r->user, uname);
	json_t *allowed = json_array();
	for (size_t i = 0; i < api_route_count; i++)
		if (api_routes[i].roles & r->user->role)
			json_array_append_new(
				allowed, json_pack("{s:s, s:s}", "method",
						   api_routes[i].method, "path",
						   api_routes[i].path));
	json_object_set_new(j, "routes", allowed);
	*out = j;
	return CD_OK;
}
