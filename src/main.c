/* main.c — turn argv into one call from the command table. */
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/banned.h"

int main(int argc, char **argv)
{
	/* SQLite counts every allocation under one process-wide mutex unless
	 * told not to: the server's threads queued on it. Before SQLite is
	 * first used. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* Display widths of Chinese text need a UTF-8 character type; the
	 * rest of the program stays in the C locale. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	if (argc < 2) {
		char *help[] = { "help", NULL };
		cmd_help(1, help);
		return cd_code_exit(CD_EUSAGE);
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	else if (strcmp(name, "--version") == 0)
		name = "version";
	const struct cli_command *c = cli_find(name);
	if (!c)
		return cli_fail(CD_EUSAGE,
				"'%s' is not a cordon command; see 'cordon "
				"help'", argv[1]);
	return c->run(argc - 1, argv + 1);
}
