/* synth_common.h — what `cordon synth` and `cordon demo` share. */
#ifndef CORDON_SYNTH_COMMON_H
#define CORDON_SYNTH_COMMON_H

#include "app/synth_out.h"
#include "cli/opts.h"

#define SYNTH_DEFAULT_PEOPLE 100000
#define SYNTH_DEFAULT_SEED 20220330ULL
#define SYNTH_DEFAULT_START "2022-03-16"

/* Fill p from the options (defaults where not given); prints the problem
 * and returns the usage exit status on bad values, else 0. */
int synth_params_from(const struct cli_opts *o, struct synth_params *p);
/* Print a phase of generation as a log line with its duration. */
void synth_print_progress(void *ctx, enum synth_phase phase,
			  const struct synth *s, double seconds);
/* "12,345" */
void fmt_count(long n, char *buf, size_t len);

#endif
