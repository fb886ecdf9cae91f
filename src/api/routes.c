/* routes.c — the route table: every endpoint of the API with its handler,
 * the roles that may call it, its body limit and its fields. The
 * dispatcher (dispatch.c) enforces all of it; the OpenAPI description
 * (openapi.c) and the end-to-end tests are made from it. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "lib/banned.h"

#define KB 1024
#define MB (1024 * 1024)

static const struct api_field login_body[] = {
	{ "username", T_STRING, F_REQUIRED, KEY_NONE, 64, "the user name" },
	{ "password", T_STRING, F_REQUIRED, KEY_NONE, 256, "the password" },
	{ "cookie", T_BOOL, 0, KEY_NONE, 0,
	  "also set an HttpOnly session cookie (the dashboard); changes "
	  "made with it need the X-CSRF-Token header" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_route api_routes[] = {
	{ "POST", "/api/v1/login", api_h_login, 0, API_NO_TX, 4 * KB, NULL,
	  login_body, 200, "Log in: a session token (and CSRF token)",
	  "{\"token\": \"6o0b…\", \"csrf\": \"Yk3…\", \"expires_at\": "
	  "\"2022-03-30T22:58:00+08:00\", \"idle_timeout\": 1800, \"user\": "
	  "{\"name\": \"li.analyst\", \"role\": \"analyst\", \"unit\": "
	  "\"430422\", \"unit_name\": \"衡南县\", \"may_unmask\": false}}" },
	{ "POST", "/api/v1/logout", api_h_logout, R_ALL, 0, 0, NULL, NULL,
	  200, "End this session", "{\"logged_out\": true}" },
	{ "GET", "/api/v1/me", api_h_me, R_ALL, 0, 0, NULL, NULL, 200,
	  "Who I am, my jurisdiction and the routes I may call",
	  "{\"name\": \"wang.grid\", \"role\": \"grid\", \"unit\": "
	  "\"430422103201-002\", \"unit_name\": \"二组\", \"may_unmask\": "
	  "false, \"routes\": [{\"method\": \"GET\", \"path\": "
	  "\"/api/v1/me\"}]}" },
	{ "GET", "/api/v1/openapi.json", api_h_openapi, R_ALL, API_DOC, 0, NULL,
	  NULL, 200, "This API's OpenAPI 3 description",
	  "{\"openapi\": \"3.0.3\", \"paths\": {}}" },
#include "api/routes_admin.inc"
#include "api/routes_registry.inc"
#include "api/routes_cases.inc"
#include "api/routes_testing.inc"
#include "api/routes_control.inc"
#include "api/routes_reports.inc"
#include "api/routes_dash.inc"
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];

/* Match path against pattern segment by segment; {name} takes one
 * non-empty segment. */
static bool match(const char *pattern, const char *path, char params[4][128],
		  int *n)
{
	*n = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++, path++;
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
		if (*pattern == '{') {
			if (!sl || sl >= 128 || *n >= 4)
				return false;
			snprintf(params[*n], 128, "%.*s", (int)sl, path);
			(*n)++;
		} else if (pl != sl || strncmp(pattern, path, pl)) {
			return false;
		}
		pattern += pl, path += sl;
	}
	return !*pattern && !*path;
}

const struct api_route *api_route_find(const char *method, const char *path,
				       char params[4][128], int *nparams,
				       int *status)
{
	bool path_known = false;
	for (size_t i = 0; i < api_route_count; i++) {
		if (!match(api_routes[i].path, path, params, nparams))
			continue;
		path_known = true;
		if (!strcmp(api_routes[i].method, method))
			return &api_routes[i];
	}
	*nparams = 0;
	*status = path_known ? 405 : 404;
	return NULL;
}
