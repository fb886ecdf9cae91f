/* cmd_serve.c — `cordon serve`: the HTTP API and dashboard (api/server.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/rules_file.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/banned.h"

enum { S_DB, S_LISTEN, S_CERT, S_KEY, S_WEB, S_THREADS, S_SESSION, S_IDLE,
       S_TIMEOUT, S_MAXCONN, S_RULES, S_HELP, S_COUNT };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + S_DB },
	{ "listen", required_argument, NULL, 256 + S_LISTEN },
	{ "tls-cert", required_argument, NULL, 256 + S_CERT },
	{ "tls-key", required_argument, NULL, 256 + S_KEY },
	{ "web", required_argument, NULL, 256 + S_WEB },
	{ "threads", required_argument, NULL, 256 + S_THREADS },
	{ "session-hours", required_argument, NULL, 256 + S_SESSION },
	{ "idle-seconds", required_argument, NULL, 256 + S_IDLE },
	{ "timeout", required_argument, NULL, 256 + S_TIMEOUT },
	{ "max-connections", required_argument, NULL, 256 + S_MAXCONN },
	{ "rules", required_argument, NULL, 256 + S_RULES },
	{ "help", no_argument, NULL, 256 + S_HELP },
	{ NULL, 0, NULL, 0 },
};

/* A whole number in [lo, hi] from option name, else -1 after saying why. */
static long number(const char *name, const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi) {
		cli_fail(CD_EUSAGE, "--%s '%s': give a whole number from %ld "
			 "to %ld", name, s, lo, hi);
		return -1;
	}
	return v;
}

int cmd_serve(int argc, char **argv)
{
	unsigned given = 0;
	const char *arg[S_COUNT] = { 0 };
	int first = cli_parse_indexed(argc, argv, longopts, S_COUNT, S_HELP,
				      ~0u, &given, arg);
	if (first < 0)
		return cd_code_exit(CD_EUSAGE);
	if (given & 1u << S_HELP || first != argc)
		return cli_usage("serve");
	struct api_serve_opts o = {
		.db = cli_db_path(arg[S_DB]),
		.listen = arg[S_LISTEN] ? arg[S_LISTEN] : "127.0.0.1:8080",
		.tls_cert = arg[S_CERT],
		.tls_key = arg[S_KEY],
		.web = arg[S_WEB],
		.threads = 0,  /* one event loop per core */
		.session_seconds = 12 * 3600,
		.idle_seconds = 1800,
		.timeout_seconds = 30,
		.max_connections = 1000,
	};
	long v;
	if (arg[S_THREADS] &&
	    (v = number("threads", arg[S_THREADS], 1, 64)) >= 0)
		o.threads = (int)v;
	else if (arg[S_THREADS])
		return cd_code_exit(CD_EUSAGE);
	if (arg[S_SESSION] &&
	    (v = number("session-hours", arg[S_SESSION], 1, 168)) >= 0)
		o.session_seconds = v * 3600;
	else if (arg[S_SESSION])
		return cd_code_exit(CD_EUSAGE);
	if (arg[S_IDLE] &&
	    (v = number("idle-seconds", arg[S_IDLE], 1, 86400)) >= 0)
		o.idle_seconds = v;
	else if (arg[S_IDLE])
		return cd_code_exit(CD_EUSAGE);
	if (arg[S_TIMEOUT] &&
	    (v = number("timeout", arg[S_TIMEOUT], 1, 3600)) >= 0)
		o.timeout_seconds = (int)v;
	else if (arg[S_TIMEOUT])
		return cd_code_exit(CD_EUSAGE);
	if (arg[S_MAXCONN] &&
	    (v = number("max-connections", arg[S_MAXCONN], 1, 100000)) >= 0)
		o.max_connections = (int)v;
	else if (arg[S_MAXCONN])
		return cd_code_exit(CD_EUSAGE);
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(arg[S_RULES], NULL, &eff, &err))
		return cli_fail_err(&err);
	return api_serve(&o, &eff.r);
}
