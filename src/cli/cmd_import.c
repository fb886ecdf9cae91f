/* cmd_import.c — `cordon import KIND FILE`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/import.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/banned.h"

static void print_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_import(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv,
			       OPT_DB | OPT_DRY_RUN | OPT_MAX_ERRORS, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 2)
		return cli_usage("import");
	int kind = import_kind_parse(argv[i]);
	if (kind < 0)
		return cli_fail(CD_EUSAGE, "unknown import kind '%s'; one of "
				"units, households, persons, venues, "
				"grid-workers", argv[i]);
	const char *path = argv[i + 1];
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in)
		return cli_fail(CD_EIO, "cannot open %s: %s", path,
				strerror(errno));
	struct store *st;
	int rc = cli_open(o.db, STORE_WRITE, &st);
	if (rc) {
		if (in != stdin)
			fclose(in);
		return rc;
	}
	struct import_opts io = {
		.kind = (enum import_kind)kind,
		.name = strcmp(path, "-") == 0 ? "<stdin>" : path,
		.dry_run = o.dry_run,
		.max_errors = o.max_errors,
		.today = cd_today_cst(),
		.now = cd_now(),
		.report = print_error,
	};
	struct import_result res;
	struct cd_err err;
	struct timespec t0;
	cd_err_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum cd_code code = import_stream(st, in, &io, &res, &err);
	double secs = seconds_since(&t0);
	store_close(st);
	if (in != stdin)
		fclose(in);
	if (code)
		return cli_fail_err(&err);
	printf("%s %s: %ld rows (%ld new, %ld updated, %ld unchanged) "
	       "in %.2f s%s\n", o.dry_run ? "checked" : "imported",
	       io.name, res.rows, res.inserted, res.updated, res.unchanged,
	       secs, o.dry_run ? "; dry run, nothing written" : "");
	return 0;
}
