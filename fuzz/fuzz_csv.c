/* fuzz_csv.c — libFuzzer target for the CSV import path: the reader, every
 * kind's row validation, and the store's look-ups, as a dry run against a
 * database holding the sample units. The first byte picks the kind. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/import.h"
#include "fuzz_db.h"
#include "lib/banned.h"


static void seed_units(void)
{
	static const char units[] =
		"code,name,kind\n430422,衡南县,\n430422103000,茶市镇,\n"
		"430422103201,茶市村,\n430422103201-001,上屋场,hamlet\n";
	static const char hh[] = "code,address\n430422103201-001-0001,x\n";
	struct import_opts o = { .name = "seed", .max_errors = 1 };
	struct import_result r;
	struct cd_err err;
	const char *files[] = { units, hh };
	for (int i = 0; i < 2; i++) {
		FILE *in = fmemopen((void *)files[i], strlen(files[i]), "r");
		o.kind = i ? IMPORT_HOUSEHOLDS : IMPORT_UNITS;
		if (!in || import_stream(st, in, &o, &r, &err))
			abort();
		fclose(in);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_db_create();
	seed_units();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct import_opts o = {
		.kind = (enum import_kind)(data[0] % IMPORT_KIND_COUNT),
		.name = "fuzz.csv",
		.dry_run = 1,
		.max_errors = 50,
		.today = 19081, /* 2022-03-30 */
	};
	struct import_result r;
	struct cd_err err;
	FILE *in = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1,
			    "r");
	if (!in)
		return 0;
	if (size == 1)
		fgetc(in); /* an empty stream */
	enum cd_code rc = import_stream(st, in, &o, &r, &err);
	fclose(in);
	/* A dry run never writes: on success every row was counted. */
	if (rc == CD_OK && r.errors)
		abort();
	if (rc == CD_OK && r.rows != r.inserted + r.updated + r.unchanged)
		abort();
	return 0;
}
