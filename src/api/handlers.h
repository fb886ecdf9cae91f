/* handlers.h — the handlers named in the route table (routes.c), one file
 * per resource (h_*.c); each checks nothing the dispatcher already did
 * (api.h). */
#ifndef CORDON_API_HANDLERS_H
#define CORDON_API_HANDLERS_H

#include "api/api.h"

#define API_HANDLER(name)                                                 \
	enum cd_code name(struct api_req *r, json_t **out, struct cd_err *err)

/* auth.c */
API_HANDLER(api_h_login);
API_HANDLER(api_h_logout);
API_HANDLER(api_h_me);
/* The server's context for the login handlers (set once by api_serve). */
void api_auth_bind(struct api_ctx *c);

/* openapi.c */
API_HANDLER(api_h_openapi);

#include "api/handlers_admin.h"
#include "api/handlers_registry.h"
#include "api/handlers_cases.h"
#include "api/handlers_testing.h"
#include "api/handlers_control.h"
#include "api/handlers_reports.h"
#include "api/handlers_dash.h"

#endif
