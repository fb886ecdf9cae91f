/* synth_out.h — where a synthetic county goes: CSV files in the import
 * formats (docs/formats.md), or a new database. */
#ifndef CORDON_SYNTH_OUT_H
#define CORDON_SYNTH_OUT_H

#include "domain/synth.h"
#include "lib/err.h"

struct synth_writer;

/* Write CSV files into dir (created if missing; files there are
 * replaced): units, households, persons, venues, grid-workers, scans,
 * trips, cells. */
enum cd_code synth_writer_csv(const char *dir, struct synth_writer **out,
			      struct cd_err *err);
/* Build a new database at path. It is written under "PATH.partial" without
 * a journal, for speed, and renamed to path by synth_writer_finish, so a
 * crash or kill never leaves a half-built database at path. Refuses a path
 * that exists. */
enum cd_code synth_writer_db(const char *path, struct synth_writer **out,
			     struct cd_err *err);
/* The sink to pass to synth_emit_*. */
const struct synth_sink *synth_writer_sink(struct synth_writer *w);
/* Flush, commit and close; frees w. On failure nothing is left behind. */
enum cd_code synth_writer_finish(struct synth_writer *w, struct cd_err *err);
/* Give up: remove what was written; frees w (NULL is fine). */
void synth_writer_abort(struct synth_writer *w);

/* What went wrong inside a sink callback. */
const struct cd_err *synth_writer_error(const struct synth_writer *w);

enum synth_phase { SYNTH_BUILT, SYNTH_REGISTRY, SYNTH_MOVEMENTS };
typedef void (*synth_progress_fn)(void *ctx, enum synth_phase phase,
				  const struct synth *s, double seconds);

/* Build the county and write it to csv_dir or (if not NULL) db_path,
 * reporting each phase with its duration. On success *out is the county
 * (the caller frees it with synth_free); on failure nothing is left. */
enum cd_code synth_generate(const struct synth_params *p, const char *csv_dir,
			    const char *db_path, synth_progress_fn progress,
			    void *ctx, struct synth **out, struct cd_err *err);

#endif
