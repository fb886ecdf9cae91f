/* store_wal.c — what the connections of one process to one database file
 * share: a write mutex, and when to checkpoint the WAL and on which
 * thread (store_sqlite.h). The server opens one connection per thread;
 * commands open one.
 *
 * Writers queue on the mutex before BEGIN IMMEDIATE. Left to SQLite's
 * lock they would poll it (busy_wait sleeps between tries): with the
 * server's threads committing thousands of short transactions a second
 * they slept instead of working. Other processes still meet SQLite's lock
 * and the busy handler.
 *
 * SQLite checkpoints inside the COMMIT that finds the WAL past 1,000
 * frames, and again at every later commit while readers keep the WAL from
 * starting over: under load that was an fsync of the WAL and one of the
 * database every few commits, made by a request while it held the write
 * lock. Here a checkpoint waits for CHECKPOINT_FRAMES new frames, runs
 * after the commit has released the mutex, and, while several connections
 * of the process are open (the server), on a thread of its own with its
 * own connection, so that no request waits for the disk. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/xalloc.h"
#include "store/store_sqlite.h"
#include "lib/banned.h"

/* Checkpoint after this many new WAL frames (SQLite's default size). */
#define CHECKPOINT_FRAMES 1000
#define STORE_FILES 16

struct store_file {
	dev_t dev;
	ino_t ino;
	char *path;
	pthread_mutex_t write;
	/* The WAL's size in frames when it was last checkpointed. */
	atomic_int checkpointed;
	/* Guarded by files_mu: open stores; the checkpointer. */
	int users;
	bool running, due, stop;
	pthread_t thread;
	pthread_cond_t wake;
};

/* Kept for the life of the process; found by device and inode. */
static struct store_file files[STORE_FILES];
static int nfiles;
static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;

static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames);

void store_file_attach(struct store *st, const char *path)
{
	struct stat sb;
	struct store_file *f = NULL;
	st->file = NULL;
	if (stat(path, &sb))
		return;
	pthread_mutex_lock(&files_mu);
	for (int i = 0; i < nfiles && !f; i++)
		if (files[i].dev == sb.st_dev && files[i].ino == sb.st_ino)
			f = &files[i];
	if (!f && nfiles < STORE_FILES) {
		f = &files[nfiles++];
		f->dev = sb.st_dev;
		f->ino = sb.st_ino;
		f->path = xstrdup(path);
		pthread_mutex_init(&f->write, NULL);
		pthread_cond_init(&f->wake, NULL);
		atomic_init(&f->checkpointed, 0);
	}
	if (f)
		f->users++;
	pthread_mutex_unlock(&files_mu);
	/* Without the shared state SQLite's own checkpoints stay. */
	if ((st->file = f))
		sqlite3_wal_hook(st->db, wal_hook, st);
}

void store_file_detach(struct store *st)
{
	struct store_file *f = st->file;
	bool join = false;
	if (!f)
		return;
	pthread_mutex_lock(&files_mu);
	if (--f->users == 0 && f->running) {
		f->stop = true;
		pthread_cond_signal(&f->wake);
		join = true;
	}
	pthread_mutex_unlock(&files_mu);
	/* The checkpointer's connection is then the last one: closing, it
	 * checkpoints the whole WAL and removes it, as a lone store would. */
	if (join) {
		pthread_join(f->thread, NULL);
		pthread_mutex_lock(&files_mu);
		f->running = f->stop = f->due = false;
		pthread_mutex_unlock(&files_mu);
	}
	st->file = NULL;
}

void store_write_lock(struct store *st)
{
	if (!st->file || st->wlocked)
		return;
	/* For at most about as long as busy_wait would wait; past that
	 * BEGIN IMMEDIATE meets SQLite's lock and fails as it did before (a
	 * transaction of this thread on another connection to the same file
	 * must not hang forever). */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	st->wlocked = pthread_mutex_timedlock(&st->file->write, &until) == 0;
}

void store_write_unlock(struct store *st)
{
	if (st->wlocked)
		pthread_mutex_unlock(&st->file->write);
	st->wlocked = false;
}

static void checkpoint(sqlite3 *db)
{
	sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL,
				  NULL);
}

/* After each commit that wrote to the WAL: note a checkpoint when
 * CHECKPOINT_FRAMES frames came since the last (the WAL may have started
 * over since: then it holds fewer frames than then). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *st = arg;
	int last = atomic_load(&st->file->checkpointed);
	(void)name;
	if (frames < last)
		last = 0;
	if (frames < last + CHECKPOINT_FRAMES)
		return SQLITE_OK;
	atomic_store(&st->file->checkpointed, frames);
	st->checkpoint_due = true;
	/* Outside store_begin this was a statement of its own. */
	if (!st->wlocked)
		store_checkpoint_if_due(st);
	(void)db;
	return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
	struct store_file *f = arg;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL;
	}
	if (db)
		sqlite3_busy_timeout(db, 5000);
	pthread_mutex_lock(&files_mu);
	for (;;) {
		while (!f->due && !f->stop)
			pthread_cond_wait(&f->wake, &files_mu);
		if (f->stop)
			break;
		f->due = false;
		pthread_mutex_unlock(&files_mu);
		if (db)
			checkpoint(db);
		pthread_mutex_lock(&files_mu);
	}
	pthread_mutex_unlock(&files_mu);
	sqlite3_close(db);
	return NULL;
}

void store_checkpoint_if_due(struct store *st)
{
	struct store_file *f = st->file;
	if (!st->checkpoint_due || st->wlocked)
		return;
	st->checkpoint_due = false;
	if (!f) {
		checkpoint(st->db);
		return;
	}
	pthread_mutex_lock(&files_mu);
	bool background = f->users > 1;
	if (background && !f->running && !f->stop) {
		f->running = pthread_create(&f->thread, NULL, checkpointer,
					    f) == 0;
		background = f->running;
	}
	if (background) {
		f->due = true;
		pthread_cond_signal(&f->wake);
	}
	pthread_mutex_unlock(&files_mu);
	if (!background)
		checkpoint(st->db);
}
