/* err.h — the one set of result codes, and an error that says what to fix.
 *
 * Every fallible function returns an enum cd_code and, where it can say more,
 * fills a struct cd_err. Each code maps to one message, one HTTP status and
 * one CLI exit status, here and nowhere else. */
#ifndef CORDON_ERR_H
#define CORDON_ERR_H

#include <stdarg.h>

enum cd_code {
	CD_OK = 0,
	CD_EUSAGE,     /* bad command line */
	CD_EINVAL,     /* bad input value: names file/line/field/value/rule */
	CD_ENOTFOUND,  /* no such record */
	CD_ECONFLICT,  /* contradicts what is already stored */
	CD_ETOOBIG,    /* input over a size limit */
	CD_ERULE,      /* well-formed but refused by a rule */
	CD_EIO,        /* file could not be read or written */
	CD_EDB,        /* database error (not a database, corrupt, busy) */
	CD_ESCHEMA,    /* database made by a newer cordon, or not cordon's */
	CD_EREADONLY,  /* database cannot be written */
	CD_EFULL,      /* disk or file-size limit reached */
	CD_ENOMEM,     /* out of memory */
	CD_EAUTH,      /* not authenticated */
	CD_EFORBIDDEN, /* authenticated but not allowed */
	CD_EMEDIA,     /* a body of a type the endpoint does not take */
	CD_ETOOMANY,   /* too many attempts or requests: retry later */
	CD_EWRITE,     /* a deferring connection met a write (store_defer):
			* internal, the API reruns the request in a
			* transaction; never shown to anyone */
	CD_CODE_COUNT
};

struct cd_err {
	enum cd_code code;
	char msg[1024];
};

/* Short stable name of a code ("invalid", "not_found", ...), for JSON. */
const char *cd_code_name(enum cd_code code);
/* Generic one-line message for a code. */
const char *cd_code_message(enum cd_code code);
/* HTTP status for a code (500 for CD_EDB and friends). */
int cd_code_http(enum cd_code code);
/* Process exit status for a code (0 for CD_OK). */
int cd_code_exit(enum cd_code code);

/* Set err (if not NULL) to code with a printf-style message; returns code so
 * callers can write `return cd_err_set(err, CD_EINVAL, "...")`. */
enum cd_code cd_err_set(struct cd_err *err, enum cd_code code,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum cd_code cd_err_setv(struct cd_err *err, enum cd_code code,
			 const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Reset err to CD_OK with an empty message. */
void cd_err_clear(struct cd_err *err);

#endif
