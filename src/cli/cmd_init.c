/* cmd_init.c — `cordon init`: create an empty database. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/banned.h"

int cmd_init(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB, &o);
	if (i < 0 || i != argc)
		return cli_usage("init");
	struct store *st;
	int rc = cli_open(o.db, STORE_CREATE | STORE_WRITE, &st);
	if (rc)
		return rc;
	printf("created %s (schema version %d)\n", cli_db_path(o.db),
	       store_schema_version(st));
	store_close(st);
	return 0;
}
