/* quarantine_cli.h — private to cmd_quarantine*.c (prefix qcli_): the
 * options of `cordon quarantine` and `cordon site`, parsed there (not in
 * opts.c), and the helpers their files share. */
#ifndef CORDON_QUARANTINE_CLI_H
#define CORDON_QUARANTINE_CLI_H

#include <stdint.h>

#include "app/quarantine_run.h"
#include "app/rules_file.h"

struct json_t;

struct qcli_opts {
	const char *db, *rules, *status, *date, *temp, *symptoms, *at;
	int json, unmasked, help, share, discharged;
	int child_age;
};

/* Parse argv (argv[0] the command) into o, operands permuted to the end.
 * Returns the index of the first operand, or -1 after printing why. */
int qcli_parse(int argc, char **argv, struct qcli_opts *o);

/* --date D, else today (China time); -1 after printing why. */
int qcli_date(const struct qcli_opts *o, int32_t *day);

/* "2022-03-28", or "-" for 0, into buf (>= 16 bytes). */
const char *qcli_fmt_date(int32_t d, char *buf);
/* The resident ID, masked unless unmasked, into out (>= 19 bytes). */
const char *qcli_rid(const char *rid, int unmasked, char *out);
/* "H01/101", or "" when the plan never had a room, into buf. */
const char *qcli_room(const struct store_quarantine *q, char *buf,
		      size_t len);
/* A plan as JSON (the caller owns it). */
struct json_t *qcli_plan_json(const struct store_quarantine *q, int unmasked);

/* Resolve ID: a plan number, or a resident ID (their open plan, else the
 * latest). Prints and returns the exit status on failure. */
int qcli_find(struct store *st, const char *id, struct store_quarantine *q);

/* The subcommands in cmd_quarantine_view.c. */
int qcli_show(const struct qcli_opts *o, const char *id);
int qcli_due(const struct qcli_opts *o);
int qcli_site_list(const struct qcli_opts *o);
int qcli_site_show(const struct qcli_opts *o, const char *code);

#endif
