/* openapi.c — the OpenAPI 3 description, made from the route table so that
 * the two cannot drift: every route with its roles, path keys, query
 * parameters, body fields, example and errors. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "lib/banned.h"

static const char *const key_doc[KEY_COUNT] = {
	[KEY_PERSON] = "a person: resident ID (18 characters) or registry id",
	[KEY_UNIT] = "a unit code (county, town, village or hamlet)",
	[KEY_HOUSEHOLD] = "a household code",
	[KEY_VENUE] = "a venue code",
	[KEY_CASE] = "a case number, e.g. 421202-C0001",
	[KEY_TUBE] = "a sample tube code",
	[KEY_ROUND] = "a testing round code",
	[KEY_ZONE] = "a zone id, e.g. Z0001",
	[KEY_PROPOSAL] = "a zone proposal id, e.g. P0001",
	[KEY_SITE] = "a quarantine site code",
	[KEY_USER] = "a user name",
};

static json_t *schema_of(const struct api_field *f)
{
	switch (f->type) {
	case T_STRING:
		return json_pack("{s:s, s:I}", "type", "string", "maxLength",
				 (json_int_t)(f->max ? f->max : 256));
	case T_DATE:
		return json_pack("{s:s, s:s}", "type", "string", "format",
				 "date");
	case T_TIME:
		return json_pack("{s:s, s:s}", "type", "string", "format",
				 "date-time");
	case T_INT:
		return json_pack("{s:s, s:i, s:I}", "type", "integer",
				 "minimum", 0, "maximum",
				 (json_int_t)(f->max ? f->max : 2147483647L));
	case T_NUMBER:
		return json_pack("{s:s}", "type", "number");
	case T_BOOL:
		return json_pack("{s:s}", "type", "boolean");
	case T_STRINGS:
		return json_pack("{s:s, s:{s:s}, s:I}", "type", "array",
				 "items", "type", "string", "maxItems",
				 (json_int_t)(f->max ? f->max : 1000));
	case T_OBJECTS:
		return json_pack("{s:s, s:{s:s}, s:I}", "type", "array",
				 "items", "type", "object", "maxItems",
				 (json_int_t)(f->max ? f->max : 1000));
	}
	return json_object();
}

static const char *doc_of(const struct api_field *f)
{
	if (f->doc)
		return f->doc;
	return f->key ? key_doc[f->key] : "";
}

static json_t *param(const char *name, const char *in, bool required,
		     json_t *schema, const char *doc)
{
	return json_pack("{s:s, s:s, s:b, s:o, s:s}", "name", name, "in", in,
			 "required", required, "schema", schema,
			 "description", doc ? doc : "");
}

static json_t *parameters(const struct api_route *rt)
{
	json_t *ps = json_array();
	for (const char *p = strchr(rt->path, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
		enum store_key k = api_param_key(name);
		json_array_append_new(ps, param(name, "path", true,
						json_pack("{s:s}", "type",
							  "string"),
						k ? key_doc[k] : ""));
	}
	for (const struct api_field *f = rt->query; f && f->name; f++)
		json_array_append_new(ps, param(f->name, "query",
						f->flags & F_REQUIRED,
						schema_of(f), doc_of(f)));
	if (rt->flags & API_LIST) {
		json_array_append_new(
			ps, param("limit", "query", false,
				  json_pack("{s:s, s:i, s:i, s:i}", "type",
					    "integer", "minimum", 1, "maximum",
					    500, "default", 50),
				  "items per page"));
		json_array_append_new(
			ps, param("offset", "query", false,
				  json_pack("{s:s, s:i}", "type", "integer",
					    "minimum", 0),
				  "items to skip (next_offset of the page "
				  "before)"));
		json_array_append_new(
			ps, param("unit", "query", false,
				  json_pack("{s:s}", "type", "string"),
				  "only records under this unit (within your "
				  "jurisdiction; default: all of it)"));
	}
	if (rt->flags & API_UNMASK)
		json_array_append_new(
			ps, param("unmask", "query", false,
				  json_pack("{s:s}", "type", "boolean"),
				  "show identity numbers and phones in full "
				  "(needs the unmask permission; audited)"));
	return ps;
}

static json_t *body_schema(const struct api_field *fs)
{
	json_t *props = json_object(), *req = json_array();
	for (const struct api_field *f = fs; f && f->name; f++) {
		json_t *s = schema_of(f);
		json_object_set_new(s, "description", json_string(doc_of(f)));
		json_object_set_new(props, f->name, s);
		if (f->flags & F_REQUIRED)
			json_array_append_new(req, json_string(f->name));
	}
	json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object",
			      "properties", props, "additionalProperties", 0);
	if (json_array_size(req))
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	return o;
}

static json_t *error_ref(const char *why)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", why,
			 "content", "application/json", "schema", "$ref",
			 "#/components/schemas/Error");
}

static json_t *operation(const struct api_route *rt)
{
	char roles[256] = "";
	for (int i = 0; i < R_ROLE_COUNT; i++)
		if (rt->roles & (1u << i))
			snprintf(roles + strlen(roles),
				 sizeof roles - strlen(roles), "%s%s",
				 roles[0] ? ", " : "", api_role_name(1u << i));
	char desc[512];
	snprintf(desc, sizeof desc, "Roles: %s.%s%s", roles[0] ? roles
							       : "anyone",
		 (rt->flags & API_LIST) ? " Paginated: {items, limit, offset, "
					  "next_offset}."
					: "",
		 (rt->flags & API_READS_PERSON) ? " Each call is written to "
						  "the audit log."
						: "");
	char opid[160], *o = opid;
	snprintf(opid, sizeof opid, "%s%s", rt->method, rt->path + 7);
	for (; *o; o++)
		if (*o == '/' || *o == '{' || *o == '}' || *o == '-' ||
		    *o == '.')
			*o = '_';
	json_error_t je;
	json_t *example = rt->example ? json_loads(rt->example, 0, &je) : NULL;
	char st[8];
	snprintf(st, sizeof st, "%d", rt->status ? rt->status : 200);
	json_t *ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "done",
			       "content", "application/json", "schema",
			       "type", "object");
	if (example)
		json_object_set_new(json_object_get(json_object_get(ok,
								    "content"),
						    "application/json"),
				    "example", example);
	json_t *responses = json_pack("{s:o}", st, ok);
	json_object_set_new(responses, "400",
			    error_ref("bad input (the field is named)"));
	if (rt->roles) {
		json_object_set_new(responses, "401",
				    error_ref("not logged in"));
		json_object_set_new(responses, "403",
				    error_ref("not allowed for your role"));
	}
	if (strchr(rt->path, '{'))
		json_object_set_new(responses, "404",
				    error_ref("no such record in your "
					      "jurisdiction"));
	if (rt->body_max)
		json_object_set_new(responses, "413",
				    error_ref("body too large"));
	json_t *op = json_pack("{s:s, s:s, s:s, s:o, s:o}", "operationId",
			       opid, "summary", rt->summary, "description",
			       desc, "parameters", parameters(rt),
			       "responses", responses);
	json_object_set_new(op, "x-roles", json_string(roles));
	json_object_set_new(op, "x-body-limit",
			    json_integer((json_int_t)rt->body_max));
	if (!rt->roles)
		json_object_set_new(op, "security", json_array());
	if (rt->flags & API_STREAM)
		json_object_set_new(
			op, "requestBody",
			json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1,
				  "content", "text/csv", "schema", "type",
				  "string"));
	else if (rt->body)
		json_object_set_new(
			op, "requestBody",
			json_pack("{s:b, s:{s:{s:o}}}", "required", 1,
				  "content", "application/json", "schema",
				  body_schema(rt->body)));
	return op;
}

json_t *api_openapi(void)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < api_route_count; i++) {
		const struct api_route *rt = &api_routes[i];
		json_t *item = json_object_get(paths, rt->path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->path, item);
		}
		char m[8];
		size_t k = 0;
		for (; rt->method[k] && k < sizeof m - 1; k++)
			m[k] = (char)(rt->method[k] | 0x20);
		m[k] = '\0';
		json_object_set_new(item, m, operation(rt));
	}
	json_t *error = json_pack(
		"{s:s, s:[s], s:{s:{s:s, s:[s, s], s:{s:{s:s}, s:{s:s}, "
		"s:{s:s}}}}}",
		"type", "object", "required", "error", "properties", "error",
		"type", "object", "required", "code", "message", "properties",
		"code", "type", "string", "message", "type", "string",
		"field", "type", "string");
	return json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:o}, "
		"s:{s:{s:s, s:s}}}, s:[{s:[]}]}",
		"openapi", "3.0.3", "info", "title", "cordon API", "version",
		"1", "description",
		"Epidemic prevention and control: registry, tracing, codes, "
		"testing, quarantine, zones. Every route but login needs "
		"'Authorization: Bearer TOKEN'. See docs/api.md.",
		"servers", "url", "/", "paths", paths, "components", "schemas",
		"Error", error, "securitySchemes", "bearer", "type", "http",
		"scheme", "bearer", "security", "bearer");
}

API_HANDLER(api_h_openapi)
{
	(void)r;
	(void)err;
	*out = api_openapi();
	return CD_OK;
}
