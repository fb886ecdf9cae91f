/* cli.h — the command table and what command handlers share. */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <stdio.h>

#include "lib/err.h"
#include "store/store.h"

struct cli_command {
	const char *name;
	const char *usage;   /* one line: "import KIND FILE [--dry-run]" */
	const char *summary; /* what it does, a few words */
	const char *help;    /* options and details, for `cordon help CMD` */
	int (*run)(int argc, char **argv);
};

/* The table, terminated by an entry with a NULL name. */
extern const struct cli_command cli_commands[];
const struct cli_command *cli_find(const char *name);

/* Print "cordon: MESSAGE" to stderr and return the exit status of code. */
int cli_fail(enum cd_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print err's message and return its exit status. */
int cli_fail_err(const struct cd_err *err);
/* Print the usage line of a command and return the usage exit status. */
int cli_usage(const char *name);

/* The database path: --db, else $CORDON_DB, else "cordon.db". */
const char *cli_db_path(const char *opt);
/* An instant as "YYYY-MM-DD HH:MM:SS" in CST into buf, or none for 0. */
void cli_when(const char *none, int64_t t, char *buf, size_t len);
/* An instant as ISO 8601 for JSON in buf (>= 32 bytes); NULL for 0. */
const char *cli_iso(int64_t t, char *buf);
/* Who acts, for logs that keep who did what: opt (--by), else
 * CORDON_ACTOR, else the login name. */
const char *cli_actor(const char *opt);
/* Open the database for a command; prints the error and returns non-zero
 * exit status on failure. */
int cli_open(const char *opt_db, unsigned flags, struct store **st);

/* Print j to standard output as indented JSON and release it. */
struct json_t;
void cli_print_json(struct json_t *j);

/* ---- aligned text tables (CJK-aware) */
struct table;
struct table *table_new(int ncols);
void table_add(struct table *t, const char *const *cells);
/* Print with columns padded to their widest cell; right-align numeric
 * columns named in right (a bit mask). Frees t. */
void table_print(struct table *t, FILE *out, unsigned right);
/* Free a table without printing it (NULL is fine). */
void table_free(struct table *t);

/* Command handlers, one per file. */
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_venue(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_chain(int argc, char **argv);
int cmd_contact(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pool(int argc, char **argv);
int cmd_certificate(int argc, char **argv);
int cmd_quarantine(int argc, char **argv);
int cmd_site(int argc, char **argv);
int cmd_round(int argc, char **argv);
int cmd_zone(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* The terminal's tables of `cordon report` (cmd_report.c), for the demo:
 * a daily report's row per child unit and its totals; a series, a row a
 * day. */
struct report_daily;
struct report_series;
void report_units_text(const struct report_daily *r);
void report_series_text(const struct report_series *s);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
