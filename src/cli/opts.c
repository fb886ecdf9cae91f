/* opts.c — shared option parsing with getopt_long. */
#include "cli/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/banned.h"

int cli_parse_opts(int argc, char **argv, unsigned allowed,
		   struct cli_opts *o)
{
	static const struct option all[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "unit", required_argument, NULL, 'u' },
		{ "unmasked", no_argument, NULL, 'U' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned bit[] = { OPT_DB, OPT_JSON, OPT_UNIT,
					OPT_UNMASKED, OPT_DRY_RUN,
					OPT_MAX_ERRORS, ~0u };
	struct option longopts[8];
	int n = 0;
	for (int i = 0; all[i].name; i++)
		if (allowed & bit[i])
			longopts[n++] = all[i];
	memset(&longopts[n], 0, sizeof longopts[n]);
	memset(o, 0, sizeof *o);
	o->max_errors = 20;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'j': o->json = 1; break;
		case 'u': o->unit = optarg; break;
		case 'U': o->unmasked = 1; break;
		case 'n': o->dry_run = 1; break;
		case 'm':
			errno = 0;
			o->max_errors = strtol(optarg, &end, 10);
			if (errno || *end || o->max_errors < 1) {
				cli_fail(CD_EUSAGE, "--max-errors needs a "
					 "whole number of at least 1, not "
					 "'%s'", optarg);
				return -1;
			}
			break;
		case 'h':
			o->help = 1;
			break;
		default:
			cli_fail(CD_EUSAGE, "unknown or incomplete option "
				 "'%s'", argv[optind - 1]);
			cli_usage(argv[0]);
			return -1;
		}
	}
	return optind;
}
