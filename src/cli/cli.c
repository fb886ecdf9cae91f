/* cli.c — the one command table, shared helpers, and the table printer. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

const struct cli_command cli_commands[] = {
	{ "help", "help [COMMAND]", "show usage of cordon or of a command",
	  "With no COMMAND, lists every command. With one, prints its usage "
	  "and options.\n", cmd_help },
	{ "version", "version", "print the program and schema versions", "",
	  cmd_version },
	{ "init", "init [--db PATH]", "create a new, empty database",
	  "Creates PATH with the current schema. Refuses if PATH exists.\n"
	  "  --db PATH   database file (default $CORDON_DB, else cordon.db)\n",
	  cmd_init },
	{ "import",
	  "import KIND FILE [--db PATH] [--dry-run] [--max-errors N]",
	  "import a CSV file into the registry, all or nothing",
	  "KIND is one of: units, households, persons, venues, grid-workers.\n"
	  "FILE is UTF-8 CSV with a header row (see docs/formats.md); '-' "
	  "reads standard input.\nIf any row is bad nothing is written and "
	  "every bad row is reported as\n  FILE:LINE: field 'x' value 'y': "
	  "reason\nRe-importing a file changes nothing; an existing key is "
	  "updated.\n"
	  "  --dry-run       validate everything, write nothing\n"
	  "  --max-errors N  stop after N bad rows (default 20)\n"
	  "  --db PATH       database file\n", cmd_import },
	{ "unit", "unit tree CODE [--db PATH] [--json]",
	  "show a unit and everything below it with head counts",
	  "  tree CODE   the hierarchy under CODE (county, town, village or "
	  "hamlet)\n              with households and persons at each level\n"
	  "  --json      machine-readable output\n", cmd_unit },
	{ "person", "person show ID [--db PATH] [--unmasked] [--json]",
	  "show a person's registry record",
	  "The resident ID and phone are masked (430422********1234, "
	  "138****5678)\nunless --unmasked is given.\n"
	  "  --unmasked  show the full ID and phone\n"
	  "  --json      machine-readable output\n", cmd_person },
	{ "venue", "venue list --unit CODE [--db PATH] [--json]",
	  "list the venues (场所码) in a unit and below it",
	  "  --unit CODE  county, town, village or hamlet code\n"
	  "  --json       machine-readable output\n", cmd_venue },
	{ "synth",
	  "synth (--db PATH | --csv DIR) [--people N] [--seed S] "
	  "[--start DATE] [--days N]",
	  "generate a synthetic county with 14 days of movements",
	  "A county shaped like Hengnan (衡南县, 430422): towns, villages, "
	  "hamlets,\nhouseholds, people with valid resident IDs, venues, grid "
	  "workers, and\ndays of venue scans, bus and rail rides and telecom "
	  "cell stays by daily\nroutine. The same seed and size give "
	  "byte-identical output. See docs/synth.md.\n"
	  "  --db PATH     build a new database (refuses an existing file)\n"
	  "  --csv DIR     write the CSV import formats into DIR instead\n"
	  "  --people N    head count (default 100000; 500 to 10000000)\n"
	  "  --seed S      random seed (default 20220330)\n"
	  "  --start DATE  first day of movements (default 2022-03-16)\n"
	  "  --days N      days of movements (default 14; 1 to 28)\n",
	  cmd_synth },
	{ "demo", "demo [--db PATH] [--people N] [--seed S]",
	  "build a synthetic county and play the reference scenario",
	  "Builds a new database (default cordon-demo.db; refuses an existing "
	  "file)\nwith `synth`, then tells the reference scenario of a "
	  "positive pooled test\nas far as cordon can today, step by step with "
	  "counts and timings. Steps\nthat need capabilities not built yet are "
	  "named, never simulated.\n"
	  "  --db PATH    database to build\n"
	  "  --people N   head count (default 100000)\n"
	  "  --seed S     random seed (default 20220330)\n", cmd_demo },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_fail(enum cd_code code, const char *fmt, ...)
{
	va_list ap;
	fputs("cordon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cd_code_exit(code);
}

int cli_fail_err(const struct cd_err *err)
{
	return cli_fail(err->code, "%s",
			err->msg[0] ? err->msg : cd_code_message(err->code));
}

int cli_usage(const char *name)
{
	const struct cli_command *c = cli_find(name);
	fprintf(stderr, "usage: cordon %s\n", c ? c->usage : name);
	return cd_code_exit(CD_EUSAGE);
}

const char *cli_db_path(const char *opt)
{
	const char *env = getenv("CORDON_DB");
	return opt ? opt : env && *env ? env : "cordon.db";
}

int cli_open(const char *opt_db, unsigned flags, struct store **st)
{
	struct cd_err err;
	cd_err_clear(&err);
	if (store_open(cli_db_path(opt_db), flags, st, &err))
		return cli_fail_err(&err);
	return 0;
}

struct table {
	int ncols;
	size_t nrows, alloc;
	char **cells;
};

struct table *table_new(int ncols)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	size_t need = (t->nrows + 1) * (size_t)t->ncols;
	t->cells = xgrow(t->cells, sizeof *t->cells, need, &t->alloc);
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
			xstrdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void table_print(struct table *t, FILE *out, unsigned right)
{
	size_t *w = xcalloc((size_t)t->ncols, sizeof *w);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			size_t cw = utf8_width(t->cells[r * (size_t)t->ncols +
							(size_t)c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		struct strbuf line = STRBUF_INIT;
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols +
						 (size_t)c];
			size_t pad = w[c] - utf8_width(s);
			int last = c == t->ncols - 1;
			if (right & (1u << c))
				for (size_t i = 0; i < pad; i++)
					strbuf_addch(&line, ' ');
			strbuf_addstr(&line, s);
			if (!(right & (1u << c)) && !last)
				for (size_t i = 0; i < pad; i++)
					strbuf_addch(&line, ' ');
			if (!last)
				strbuf_addstr(&line, "  ");
		}
		while (line.len && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		fprintf(out, "%s\n", line.buf);
		strbuf_release(&line);
	}
	free(w);
	table_free(t);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
