/* cmd_synth.c — `cordon synth`: generate a synthetic county. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/synth_common.h"
#include "lib/date.h"
#include "lib/banned.h"

void fmt_count(long n, char *buf, size_t len)
{
	char tmp[32];
	int k = snprintf(tmp, sizeof tmp, "%ld", n < 0 ? -n : n), j = 0;
	size_t o = 0;
	if (n < 0 && o + 1 < len)
		buf[o++] = '-';
	for (int i = 0; i < k && o + 1 < len; i++) {
		buf[o++] = tmp[i];
		j = k - i - 1;
		if (j > 0 && j % 3 == 0 && o + 1 < len)
			buf[o++] = ',';
	}
	buf[o] = '\0';
}

int synth_params_from(const struct cli_opts *o, struct synth_params *p)
{
	memset(p, 0, sizeof *p);
	p->people = o->people ? o->people : SYNTH_DEFAULT_PEOPLE;
	p->seed = o->seed_set ? o->seed : SYNTH_DEFAULT_SEED;
	p->days = o->days ? o->days : 14;
	const char *start = o->start ? o->start : SYNTH_DEFAULT_START;
	if (!date_parse(start, &p->start))
		return cli_fail(CD_EUSAGE, "--start needs a date YYYY-MM-DD, "
				"not '%s'", start);
	if (p->people < SYNTH_MIN_PEOPLE || p->people > SYNTH_MAX_PEOPLE)
		return cli_fail(CD_EUSAGE, "--people must be from %d to %ld",
				SYNTH_MIN_PEOPLE, SYNTH_MAX_PEOPLE);
	return 0;
}

void synth_print_progress(void *ctx, enum synth_phase phase,
			  const struct synth *s, double seconds)
{
	const struct synth_stats *st = synth_stats(s);
	char a[32], b[32], c[32], d[32], e[32], f[32];
	(void)ctx;
	switch (phase) {
	case SYNTH_BUILT:
		fmt_count(st->persons, a, sizeof a);
		fmt_count(st->households, b, sizeof b);
		fmt_count(st->hamlets, c, sizeof c);
		fmt_count(st->venues, d, sizeof d);
		printf("[%6.2f s] county built: %ld towns, %ld villages and "
		       "communities, %s hamlets/grids, %s households, %s "
		       "people, %s venues\n", seconds,
		       st->towns[0] + st->towns[1] + st->towns[2],
		       st->villages[0] + st->villages[1], c, b, a, d);
		break;
	case SYNTH_REGISTRY:
		printf("[%6.2f s] registry written\n", seconds);
		break;
	case SYNTH_MOVEMENTS:
		fmt_count(st->scans, a, sizeof a);
		fmt_count(st->rides[TRIP_BUS], b, sizeof b);
		fmt_count(st->rides[TRIP_RAIL], c, sizeof c);
		fmt_count(st->cells, d, sizeof d);
		fmt_count(st->scans + st->rides[0] + st->rides[1] + st->cells,
			  e, sizeof e);
		fmt_count(seconds > 0 ? (long)((double)(st->scans +
							 st->rides[0] +
							 st->rides[1] +
							 st->cells) /
					       seconds)
				      : 0, f, sizeof f);
		printf("[%6.2f s] movements written: %s venue scans, %s bus "
		       "and %s rail rides, %s cell stays (%s rows, %s "
		       "rows/s)\n", seconds, a, b, c, d, e, f);
		break;
	}
	fflush(stdout);
}

int cmd_synth(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv,
			       OPT_DB | OPT_PEOPLE | OPT_SEED | OPT_START |
				       OPT_DAYS | OPT_CSV, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || i != argc || (!o.db == !o.csv))
		return cli_usage("synth");
	struct synth_params p;
	int rc = synth_params_from(&o, &p);
	if (rc)
		return rc;
	struct synth *s;
	struct cd_err err;
	cd_err_clear(&err);
	if (synth_generate(&p, o.csv, o.db, synth_print_progress, NULL, &s,
			   &err))
		return cli_fail_err(&err);
	printf("wrote %s\n", o.db ? o.db : o.csv);
	synth_free(s);
	return 0;
}
