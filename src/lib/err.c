/* err.c — result code table: message, HTTP status, exit status. */
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#include "lib/banned.h"

static const struct {
	const char *name;
	const char *message;
	int http;
	int exit;
} code_table[CD_CODE_COUNT] = {
	[CD_OK]         = { "ok", "success", 200, 0 },
	[CD_EUSAGE]     = { "usage", "bad command line", 400, 2 },
	[CD_EINVAL]     = { "invalid", "invalid input", 400, 3 },
	[CD_ENOTFOUND]  = { "not_found", "not found", 404, 4 },
	[CD_ECONFLICT]  = { "conflict", "conflicts with stored data", 409, 5 },
	[CD_ETOOBIG]    = { "too_large", "input too large", 413, 3 },
	[CD_ERULE]      = { "rule_refused", "refused by a rule", 422, 5 },
	[CD_EIO]        = { "io", "input/output error", 500, 6 },
	[CD_EDB]        = { "database", "database error", 500, 7 },
	[CD_ESCHEMA]    = { "schema", "incompatible database", 500, 7 },
	[CD_EREADONLY]  = { "read_only", "database is read-only", 500, 7 },
	[CD_EFULL]      = { "full", "disk full", 507, 7 },
	[CD_ENOMEM]     = { "no_memory", "out of memory", 500, 1 },
	[CD_EAUTH]      = { "unauthenticated", "authentication required", 401, 8 },
	[CD_EFORBIDDEN] = { "forbidden", "not allowed", 403, 8 },
	[CD_EMEDIA]     = { "unsupported_media_type", "unsupported media type",
			    415, 3 },
	[CD_ETOOMANY]   = { "too_many_requests", "too many requests", 429, 9 },
	[CD_EWRITE]     = { "internal", "internal error", 500, 1 },
};

static int valid(enum cd_code code)
{
	return (int)code >= 0 && code < CD_CODE_COUNT;
}

const char *cd_code_name(enum cd_code code)
{
	return valid(code) ? code_table[code].name : "internal";
}

const char *cd_code_message(enum cd_code code)
{
	return valid(code) ? code_table[code].message : "internal error";
}

int cd_code_http(enum cd_code code)
{
	return valid(code) ? code_table[code].http : 500;
}

int cd_code_exit(enum cd_code code)
{
	return valid(code) ? code_table[code].exit : 1;
}

enum cd_code cd_err_setv(struct cd_err *err, enum cd_code code,
			 const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

enum cd_code cd_err_set(struct cd_err *err, enum cd_code code,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cd_err_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void cd_err_clear(struct cd_err *err)
{
	if (err) {
		err->code = CD_OK;
		err->msg[0] = '\0';
	}
}
