/* api.h — the HTTP API: routes as data, and what a handler gets.
 *
 * The server (server.c) reads a request, finds its route in api_routes[]
 * (routes.c) and hands it to the dispatcher (dispatch.c), which does,
 * in this order and for every route alike: authentication, the role check,
 * the body's media type, size, UTF-8 and fields (unknown ones refused,
 * types checked), the query's parameters, jurisdiction of every path key
 * and every body or query field that names a record, pagination, and the
 * transaction around a change. After the handler it masks resident IDs
 * and phones, refuses to send any person outside the user's jurisdiction
 * (every object with a "hamlet" is checked), and writes the audit log.
 * A handler only turns a checked request into application calls and JSON.
 * docs/api.md has the reference. */
#ifndef CORDON_API_H
#define CORDON_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/rules.h"
#include "lib/err.h"
#include "store/store.h"

/* Roles, as bits of a route's allowed set. */
enum api_role {
	R_ADMIN = 1u << 0,        /* accounts, everything in their unit */
	R_ANALYST = 1u << 1,      /* command centre */
	R_INVESTIGATOR = 1u << 2, /* CDC: cases, tracing, contacts */
	R_LAB = 1u << 3,          /* samples and results */
	R_GRID = 1u << 4,         /* grid worker: their hamlets */
	R_SITE = 1u << 5,         /* quarantine-site manager */
	R_CHECKPOINT = 1u << 6,   /* checkpoint staff */
	R_SUPPLIES = 1u << 7,     /* commerce/grain bureau */
	R_RESIDENT = 1u << 8,     /* their own record only */
};
#define R_STAFF (R_ADMIN | R_ANALYST | R_INVESTIGATOR | R_LAB | R_GRID | \
		 R_SITE | R_CHECKPOINT | R_SUPPLIES)
#define R_ALL (R_STAFF | R_RESIDENT)
#define R_ROLE_COUNT 9
/* "admin", "analyst", ... for one bit; NULL otherwise. */
const char *api_role_name(unsigned role);
/* The bit of a role name; 0 when unknown. */
unsigned api_role_parse(const char *name);

/* A field of a JSON body or a query parameter. */
enum api_type {
	T_STRING,   /* at most max bytes (max 0: 256) */
	T_INT,      /* integer in [0, max] (max 0: 2^31-1) */
	T_NUMBER,   /* any JSON number */
	T_BOOL,     /* true/false (query: true, false, 1, 0) */
	T_STRINGS,  /* array of at most max strings (0: 1000), 64 bytes each */
	T_OBJECTS,  /* array of at most max objects; the handler checks them */
	T_DATE,     /* "YYYY-MM-DD" */
	T_TIME,     /* ISO 8601 instant, "YYYY-MM-DDTHH:MM[:SS](Z|+08:00)" */
};
enum api_field_flag {
	F_REQUIRED = 1u << 0,
};
struct api_field {
	const char *name;
	enum api_type type;
	unsigned flags;
	enum store_key key;    /* KEY_NONE, or a record checked for
				  jurisdiction (strings; T_STRINGS each) */
	long max;
	const char *doc;       /* one line for the OpenAPI description */
};

enum api_route_flag {
	API_LIST = 1u << 0,       /* paginated: limit, offset, unit */
	API_READS_PERSON = 1u << 1, /* audited as a read of the path's record */
	API_UNMASK = 1u << 2,     /* takes ?unmask=true (permission, audited) */
	API_STREAM = 1u << 3,     /* body spooled to a file (CSV), not JSON */
	API_NO_TX = 1u << 4,      /* a change that runs its own transactions
				     (long imports, tracing) */
	API_DOC = 1u << 6,        /* the reply holds no records, only
				     documentation (its examples are not
				     masked nor checked for jurisdiction) */
	API_WRITES = 1u << 5,     /* a GET that records something (a
				     checkpoint pass): a change for the
				     transaction and the audit log */
	API_UNIT = 1u << 7,       /* takes unit= as a list does (known, within
				     the jurisdiction, else 403): r->unit */
	API_GROUP = 1u << 8,      /* a change that only appends rows (a
				     checkpoint pass): run on a read snapshot,
				     its rows and audit row committed with
				     other requests' (store_defer); run again
				     in a transaction when it needs more */
};

struct api_user {
	int64_t id;
	char name[USER_NAME_MAX];
	unsigned role;               /* one R_ bit */
	char unit[UNIT_CODE_MAX];    /* "" = the whole database */
	char rid[19];                /* residents: their own ID */
	bool unmask;                 /* may unmask */
	bool cookie;                 /* authenticated by cookie (CSRF applies) */
};

struct api_route;
struct api_req {
	const struct api_route *route;
	struct store *st;
	const struct rules *rules;
	const struct api_user *user;   /* NULL only for anonymous routes */
	const char *params[4];         /* path parameters, in order */
	int nparams;
	json_t *body;                  /* JSON body (an object), or NULL */
	const char *body_path;         /* API_STREAM: the spooled body */
	const char *unit;              /* API_LIST, API_UNIT: the unit filter,
					  checked within the user's
					  jurisdiction; NULL = everything */
	long limit, offset;            /* API_LIST: the page; a handler may
					  return up to limit + 1 items (the
					  extra one tells there are more) */
	bool unmask;                   /* asked for and allowed */
	int64_t now;                   /* the domain's now (cd_now) */
	const char *ip;
	int status;                    /* success status; the route's
					  unless a handler sets it */
	char target[96];               /* audit target; default from path */
	char field[64];                /* the field an error is about */
	/* Set by login and logout for the server to write: Set-Cookie. */
	char cookie[256];
	int retry_after;               /* CD_ETOOMANY: seconds to wait */
	bool refused;                  /* a key named a record outside the
					  jurisdiction (audited) */
	/* A download instead of JSON (a report as CSV or XLSX): bytes the
	 * handler malloc'd (the dispatcher takes them), their type and an
	 * ASCII file name for Content-Disposition. Only aggregate figures
	 * go out this way: no masking, no reply guard (the handler checks
	 * the jurisdiction of what it counts). */
	char *download;
	size_t download_len;
	const char *download_type;
	char download_name[96];
	void *conn;                    /* private to server.c */
};

/* A handler fills *out (an object, or for API_LIST an array of items) or
 * returns an error with err set; r->field names the offending field. */
typedef enum cd_code (*api_handler)(struct api_req *r, json_t **out,
				    struct cd_err *err);

struct api_route {
	const char *method;          /* GET POST PUT PATCH DELETE */
	const char *path;            /* "/api/v1/persons/{person}" */
	api_handler fn;
	unsigned roles;              /* 0: anonymous (login only) */
	unsigned flags;
	size_t body_max;             /* bytes; 0: no body */
	const struct api_field *query; /* terminated by a NULL name */
	const struct api_field *body;  /* JSON fields, same */
	int status;                  /* 200, 201, 202 */
	const char *summary;
	const char *example;         /* an example response (JSON text) */
};
extern const struct api_route api_routes[];
extern const size_t api_route_count;
/* The key kind of a path parameter by its name ({person} → KEY_PERSON). */
enum store_key api_param_key(const char *name);

/* A query parameter of the request (declared in the route), or NULL. */
const char *api_query(struct api_req *r, const char *name);
/* A declared integer or boolean query parameter, or def when absent. */
long api_query_long(struct api_req *r, const char *name, long def);
bool api_query_bool(struct api_req *r, const char *name, bool def);
/* A string, integer or boolean body field, or def when absent. */
const char *api_body_str(struct api_req *r, const char *name,
			 const char *def);
long api_body_long(struct api_req *r, const char *name, long def);
bool api_body_bool(struct api_req *r, const char *name, bool def);
/* A T_TIME or T_DATE body field as Unix seconds (dates: 00:00 CST), or
 * def when absent. */
int64_t api_body_time(struct api_req *r, const char *name, int64_t def);

/* Fail with CD_EINVAL about field (named in the error's "field"). */
enum cd_code api_bad(struct api_req *r, struct cd_err *err, const char *field,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Whether a unit code lies in the user's jurisdiction (for handlers that
 * filter members of a record, e.g. a pool's members by hamlet). */
bool api_in_scope(struct api_req *r, const char *unit);

/* JSON helpers: an instant as ISO 8601 in CST ("2022-03-30T10:58:00+08:00")
 * or null for 0; a date (days since epoch) as "YYYY-MM-DD" or null. */
json_t *api_time(int64_t t);
json_t *api_date(int32_t day);

/* ---- the dispatcher (dispatch.c), called by the server */

struct api_ctx;   /* server-wide: rules, session cache, options */
struct api_http {
	const char *method, *path, *query_string;
	const char *authorization, *cookie, *csrf, *content_type;
	const char *ip;
	/* Query parameters: looked up through get(). */
	const char *(*get)(void *conn, const char *name);
	/* Every query parameter name, for refusing unknown ones. */
	int (*each)(void *conn, int (*fn)(void *arg, const char *name),
		    void *arg);
	void *conn;
	const char *body;            /* JSON routes: the body, NUL-ended */
	size_t body_len;
	const char *body_path;       /* API_STREAM routes */
	bool too_big;                /* the body went over the route's limit */
	/* The caller commits the rows the request keeps (store_defer) with
	 * other requests', before it sends the reply: api_reply.kept. */
	bool keep;
};
struct api_reply {
	int status;
	char *body;                  /* JSON text, malloc'd; or a download */
	size_t body_len;             /* a download's length; 0 for JSON */
	const char *content_type;    /* a download's type; NULL for JSON */
	char filename[96];           /* a download's file name */
	char cookie[256];            /* Set-Cookie value, "" for none */
	int retry_after;             /* seconds, 0 for none (429) */
	/* With api_http.keep: how many rows the request left kept on the
	 * store (the last ones); the reply may go only once they are
	 * committed, and must become a 500 if they cannot be. */
	size_t kept;
};
/* Find the route of method and path; params filled. NULL, with *status
 * 404 or 405, when there is none. */
const struct api_route *api_route_find(const char *method, const char *path,
				       char params[4][128], int *nparams,
				       int *status);
/* Serve one request on st. */
void api_dispatch(struct api_ctx *ctx, struct store *st,
		  const struct api_route *route, char params[4][128],
		  int nparams, const struct api_http *h, struct api_reply *out);
/* An error reply. */
void api_error_reply(struct api_reply *out, enum cd_code code,
		     const char *message, const char *field);

/* ---- accounts (auth.c) */

/* Argon2id (libsodium, interactive limits) of password into out
 * (>= 128 bytes). CD_EINVAL for a password under 10 bytes or over 256. */
enum cd_code api_password_hash(const char *password, char *out,
			       struct cd_err *err);
bool api_password_ok(const char *hash, const char *password);

struct api_ctx *api_ctx_new(const struct rules *r, int64_t session_seconds,
			    int64_t idle_seconds);
void api_ctx_free(struct api_ctx *ctx);
/* Authenticate a request's Authorization bearer token or session cookie
 * into *u; CD_EAUTH when missing, unknown, expired, idle or revoked, or
 * the user is disabled. */
enum cd_code api_authenticate(struct api_ctx *ctx, struct store *st,
			      const struct api_http *h, struct api_user *u,
			      struct cd_err *err);
/* Forget a session (logout) from the cache. */
void api_session_forget(struct api_ctx *ctx, const unsigned char *hash);
const struct rules *api_ctx_rules(const struct api_ctx *ctx);
/* The token's BLAKE2b-256 hash. */
void api_token_hash(const char *token, unsigned char out[32]);

/* Write an audit row (its own transaction unless one is open). */
void api_audit(struct store *st, const struct api_user *u, const char *ip,
	       const char *action, const char *method, const char *path,
	       const char *target, int status, const char *detail);

/* ---- the OpenAPI description (openapi.c), from api_routes[] */
json_t *api_openapi(void);

/* ---- the server (server.c) */
struct api_serve_opts {
	const char *db, *listen, *tls_cert, *tls_key, *web;
	int threads;
	int64_t session_seconds, idle_seconds;
	int timeout_seconds;         /* a connection idle this long closes */
	int max_connections;
};
/* Serve until SIGTERM or SIGINT; returns an exit status. */
int api_serve(const struct api_serve_opts *o, const struct rules *r);

#endif
