/* fuzz_api.c — libFuzzer target for request bodies of the HTTP API: the
 * first byte picks a route that takes a JSON body, the rest is the body,
 * sent through the dispatcher (api_dispatch: media type, UTF-8, JSON,
 * fields, jurisdiction, the handler, masking, the reply guard, audit) as
 * an admin of the whole database. Each request runs inside a transaction
 * rolled back afterwards, so the database stays the same. Login is left
 * out: its body goes through the same checks, and each try costs an
 * Argon2id hash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/import.h"
#include "app/rules_file.h"
#include "fuzz_db.h"
#include "lib/banned.h"

#define TOKEN "fuzz-session-token"

static struct api_ctx *ctx;
static struct rules rules;
static const struct api_route *routes[128];
static size_t nroutes;

static void cleanup(void)
{
	api_ctx_free(ctx);
}

static void seed(void)
{
	static const char units[] =
		"code,name,kind\n430422,衡南县,\n430422103000,茶市镇,\n"
		"430422103201,茶市村,\n430422103201-001,上屋场,hamlet\n";
	static const char hh[] = "code,address\n430422103201-001-0001,x\n";
	static const char persons[] =
		"resident_id,name,household,phone,groups\n"
		"430422201309043756,陈超涛,430422103201-001-0001,,\n"
		"43042220020703247X,陈娜芳,430422103201-001-0001,"
		"13394641177,\n";
	struct import_opts o = { .name = "seed", .max_errors = 1,
				 .today = 20000 };
	struct import_result r;
	struct cd_err err;
	const char *files[] = { units, hh, persons };
	enum import_kind kinds[] = { IMPORT_UNITS, IMPORT_HOUSEHOLDS,
				     IMPORT_PERSONS };
	for (int i = 0; i < 3; i++) {
		FILE *in = fmemopen((void *)files[i], strlen(files[i]), "r");
		o.kind = kinds[i];
		if (!in || import_stream(st, in, &o, &r, &err))
			abort();
		fclose(in);
	}
	struct store_user u = { .name = "fuzz", .role = "admin",
				.pw_hash = "not-a-hash", .created_at = 1 };
	if (store_user_add(st, &u, &err))
		abort();
	struct store_session s = { .user = u.id, .created_at = 1,
				   .expires_at = INT64_MAX / 2 };
	api_token_hash(TOKEN, s.token_hash);
	s.last_seen = INT64_MAX / 4;
	if (store_session_add(st, &s, &err) ||
	    store_session_touch(st, s.token_hash, INT64_MAX / 4, &err))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct cd_err err;
	fuzz_db_create();
	seed();
	struct rules_eff eff;
	if (rules_file_load(NULL, NULL, &eff, &err))
		abort();
	rules = eff.r;
	ctx = api_ctx_new(&rules, INT64_MAX / 8, INT64_MAX / 8);
	if (!ctx)
		abort();
	api_auth_bind(ctx);
	atexit(cleanup);
	for (size_t i = 0; i < api_route_count && nroutes < 128; i++)
		if (api_routes[i].body && api_routes[i].roles &&
		    !(api_routes[i].flags & API_STREAM))
			routes[nroutes++] = &api_routes[i];
	if (!nroutes)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct api_route *rt = routes[data[0] % nroutes];
	char params[4][128];
	int n = 0;
	/* Path keys that exist where a record is named. */
	for (const char *p = rt->path; (p = strchr(p, '{')) && n < 4; p++)
		snprintf(params[n++], 128, "%s",
			 !strncmp(p, "{person}", 8) ? "430422201309043756"
			 : !strncmp(p, "{unit}", 6) ? "430422103201-001"
			 : !strncmp(p, "{user}", 6) ? "fuzz" : "x");
	char *body = malloc(size);
	if (!body)
		return 0;
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	struct api_http h = {
		.method = rt->method, .path = rt->path,
		.authorization = "Bearer " TOKEN,
		.content_type = "application/json", .ip = "fuzz",
		.body = body, .body_len = size - 1,
	};
	struct api_reply rep;
	memset(&rep, 0, sizeof rep);
	struct cd_err err;
	if (store_begin(st, &err))
		abort();
	api_dispatch(ctx, st, rt, params, n, &h, &rep);
	store_rollback(st);
	/* Never a server error for a body, whatever it holds. */
	if (!rep.body || rep.status >= 500) {
		fprintf(stderr, "%s %s -> %d %s\n", rt->method, rt->path,
			rep.status, rep.body ? rep.body : "(no body)");
		abort();
	}
	free(rep.body);
	free(body);
	return 0;
}
