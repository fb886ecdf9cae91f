/* fuzz_db.h — a scratch database for a fuzz target: created in a temporary
 * folder at start-up, closed and removed at exit. Header-only: each target
 * is a program of its own. */
#ifndef CORDON_FUZZ_DB_H
#define CORDON_FUZZ_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

static struct store *st;
static char fuzz_dir[] = "/tmp/cordon-fuzz.XXXXXX";
static char fuzz_path[64];

static void fuzz_db_remove(void)
{
	store_close(st);
	char p[96];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", fuzz_path, sfx[i]);
		unlink(p);
	}
	rmdir(fuzz_dir);
}

/* Create the database into st, removed at exit (aborts on failure). */
static void fuzz_db_create(void)
{
	struct cd_err err;
	if (!mkdtemp(fuzz_dir))
		abort();
	snprintf(fuzz_path, sizeof fuzz_path, "%s/f.db", fuzz_dir);
	if (store_open(fuzz_path, STORE_CREATE | STORE_WRITE, &st, &err))
		abort();
	atexit(fuzz_db_remove);
}

#endif
