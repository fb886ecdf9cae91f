/* store_lock.c — the write mutex the connections of one process to one
 * database file share (store_sqlite.h). The server opens one connection
 * per thread; commands open one.
 *
 * Writers queue on the mutex before BEGIN IMMEDIATE. Left to SQLite's
 * lock they would poll it (busy_wait sleeps between tries, and a writer
 * that finds the lock taken retries only after the sleep): with the
 * server's threads committing thousands of short transactions a second
 * they slept instead of working. Other processes still meet SQLite's lock
 * and the busy handler. */
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

#define STORE_FILES 16

struct store_file {
	dev_t dev;
	ino_t ino;
	pthread_mutex_t write;
};

/* Kept for the life of the process; found by device and inode. */
static struct store_file files[STORE_FILES];
static int nfiles;
static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;

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
		pthread_mutex_init(&f->write, NULL);
	}
	pthread_mutex_unlock(&files_mu);
	st->file = f;
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
