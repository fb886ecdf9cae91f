/* cmd_help.c — `cordon help [COMMAND]` and `cordon version`. */
#include <stdio.h>

#include "cli/cli.h"
#include "lib/banned.h"

#define CORDON_VERSION "0.1.0"

int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage("help");
	if (argc == 2) {
		const struct cli_command *c = cli_find(argv[1]);
		if (!c)
			return cli_fail(CD_EUSAGE, "no command '%s'; see "
					"'cordon help'", argv[1]);
		printf("usage: cordon %s\n\n%s.\n\n%s", c->usage, c->summary,
		       c->help);
		return 0;
	}
	printf("cordon — epidemic prevention and control command centre\n\n"
	       "usage: cordon COMMAND [ARGS]\n\ncommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\n'cordon help COMMAND' shows a command's options.\n");
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("version");
	printf("cordon %s (database schema version %d)\n", CORDON_VERSION,
	       store_schema_latest());
	return 0;
}
