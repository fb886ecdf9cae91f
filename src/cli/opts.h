/* opts.h — the options most commands share, parsed in one place. */
#ifndef CORDON_OPTS_H
#define CORDON_OPTS_H

struct cli_opts {
	const char *db;
	const char *unit;
	int json;
	int unmasked;
	int dry_run;
	long max_errors;
	int help;
	long people;          /* 0 = not given */
	unsigned long long seed;
	int seed_set;
	const char *start;
	int days;
	const char *csv;
	const char *rules;    /* deployment rules file */
	const char *reason;
	const char *category;
	const char *checkpoint;
	const char *temp;
	const char *mask;
	const char *window;
};

enum {
	OPT_DB = 1 << 0,
	OPT_JSON = 1 << 1,
	OPT_UNIT = 1 << 2,
	OPT_UNMASKED = 1 << 3,
	OPT_DRY_RUN = 1 << 4,
	OPT_MAX_ERRORS = 1 << 5,
	OPT_PEOPLE = 1 << 6,
	OPT_SEED = 1 << 7,
	OPT_START = 1 << 8,
	OPT_DAYS = 1 << 9,
	OPT_CSV = 1 << 10,
	OPT_RULES = 1 << 11,
	OPT_REASON = 1 << 12,
	OPT_CATEGORY = 1 << 13,
	OPT_CHECKPOINT = 1 << 14, /* also --temp, --mask, --window */
};

/* Parse the options in `allowed` from argv (argv[0] is the command name),
 * permuting operands to the end. Returns the index of the first operand,
 * or -1 after printing the usage (caller exits with the usage status). */
int cli_parse_opts(int argc, char **argv, unsigned allowed,
		   struct cli_opts *o);

struct option;
/* Parse options whose getopt codes are 256 + an index below count (at
 * most 32), 'h' standing for help_index: each given option sets its bit
 * in *given and its argument in arg[index]. An unknown option, or one
 * whose bit is not in allowed, is refused with "unknown or incomplete
 * option". Returns optind, or -1 after printing why. */
int cli_parse_indexed(int argc, char **argv, const struct option *longopts,
		      int count, int help_index, unsigned allowed,
		      unsigned *given, const char **arg);

/* Refuse an option in given (a bit per index) that allowed does not hold,
 * naming it from longopts (indexed as for cli_parse_indexed): prints
 * "this subcommand takes no --NAME" and returns -1; else 0. */
int cli_only(unsigned given, unsigned allowed, const struct option *longopts,
	     int count);

#endif
