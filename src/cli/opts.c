/* opts.c — shared option parsing with getopt_long. */
#include "cli/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/banned.h"

/* A whole number in [lo, hi] for option name; prints and fails otherwise. */
static int number(const char *arg, const char *name, long lo, long hi,
		  long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || *end || !*arg || v < lo || v > hi) {
		cli_fail(CD_EUSAGE, "%s needs a whole number from %ld to %ld, "
			 "not '%s'", name, lo, hi, arg);
		return -1;
	}
	*out = v;
	return 0;
}

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
		{ "people", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ "days", required_argument, NULL, 'D' },
		{ "csv", required_argument, NULL, 'c' },
		{ "rules", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "category", required_argument, NULL, 'C' },
		{ "checkpoint", required_argument, NULL, 'k' },
		{ "temp", required_argument, NULL, 't' },
		{ "mask", required_argument, NULL, 'M' },
		{ "window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned bit[] = { OPT_DB, OPT_JSON, OPT_UNIT,
					OPT_UNMASKED, OPT_DRY_RUN,
					OPT_MAX_ERRORS, OPT_PEOPLE, OPT_SEED,
					OPT_START, OPT_DAYS, OPT_CSV,
					OPT_RULES, OPT_REASON, OPT_CATEGORY,
					OPT_CHECKPOINT, OPT_CHECKPOINT,
					OPT_CHECKPOINT, OPT_CHECKPOINT, ~0u };
	struct option longopts[24];
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
			if (number(optarg, "--max-errors", 1, 1000000L,
				   &o->max_errors))
				return -1;
			break;
		case 'p':
			if (number(optarg, "--people", 1, 100000000L,
				   &o->people))
				return -1;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-') {
				cli_fail(CD_EUSAGE, "--seed needs a whole "
					 "number, not '%s'", optarg);
				return -1;
			}
			o->seed_set = 1;
			break;
		case 'S': o->start = optarg; break;
		case 'D': {
			long d;
			if (number(optarg, "--days", 1, 28, &d))
				return -1;
			o->days = (int)d;
			break;
		}
		case 'c': o->csv = optarg; break;
		case 'r': o->rules = optarg; break;
		case 'R': o->reason = optarg; break;
		case 'C': o->category = optarg; break;
		case 'k': o->checkpoint = optarg; break;
		case 't': o->temp = optarg; break;
		case 'M': o->mask = optarg; break;
		case 'w': o->window = optarg; break;
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

int cli_parse_indexed(int argc, char **argv, const struct option *longopts,
		      int count, int help_index, unsigned allowed,
		      unsigned *given, const char **arg)
{
	int c;
	*given = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h')
			c = 256 + help_index;
		if (c < 256 || c >= 256 + count ||
		    !(allowed & (1u << (c - 256)))) {
			cli_fail(CD_EUSAGE, "unknown or incomplete option '%s'",
				 argv[optind - 1]);
			return -1;
		}
		*given |= 1u << (c - 256);
		arg[c - 256] = optarg;
	}
	return optind;
}

int cli_only(unsigned given, unsigned allowed, const struct option *longopts,
	     int count)
{
	for (int i = 0; i < count; i++)
		if ((given & (1u << i)) && !(allowed & (1u << i))) {
			cli_fail(CD_EUSAGE, "this subcommand takes no --%s",
				 longopts[i].name);
			return -1;
		}
	return 0;
}
