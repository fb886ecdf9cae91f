/* store_segments.c — presence segments: the rows and directories of a
 * pindex in one file per source, PATH.presence/SOURCE.seg beside the
 * database, replaced atomically and read through mmap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_sqlite.h"
#include "lib/banned.h"

#define SEG_MAGIC "CDPSEG1\n"
#define SEG_VERSION 1

struct seg_header {
	char magic[8];
	uint32_t version, source, row_size, max_span;
	uint64_t nrows, nkeys, npersons;
	uint64_t off_rows, off_keys, off_key_off, off_persons, off_person_off,
		off_perm, file_size;
};

static void seg_path(const struct store *st, enum psource src, char *buf,
		     size_t len, const char *suffix)
{
	snprintf(buf, len, "%s.presence/%s.seg%s", st->path, psource_name(src),
		 suffix);
}

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

/* Lay out the file: every array 8-byte aligned after the header. */
static void layout(struct seg_header *h, const struct pindex *ix,
		   enum psource src)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, SEG_MAGIC, 8);
	h->version = SEG_VERSION;
	h->source = src;
	h->row_size = sizeof(struct prow);
	h->max_span = ix->max_span;
	h->nrows = ix->nrows;
	h->nkeys = ix->nkeys;
	h->npersons = ix->npersons;
	uint64_t o = align8(sizeof *h);
	h->off_rows = o;
	o = align8(o + ix->nrows * sizeof(struct prow));
	h->off_keys = o;
	o = align8(o + ix->nkeys * 4);
	h->off_key_off = o;
	o = align8(o + (ix->nkeys + 1) * 8);
	h->off_persons = o;
	o = align8(o + ix->npersons * 4);
	h->off_person_off = o;
	o = align8(o + (ix->npersons + 1) * 8);
	h->off_perm = o;
	h->file_size = align8(o + ix->nrows * 4);
}

static int put(FILE *f, uint64_t at, const void *p, size_t n)
{
	static const char zero[8];
	long pos = ftell(f);
	if (pos < 0)
		return -1;
	if ((uint64_t)pos < at && fwrite(zero, 1, (size_t)(at - (uint64_t)pos),
					 f) != at - (uint64_t)pos)
		return -1;
	return n && fwrite(p, 1, n, f) != n ? -1 : 0;
}

static enum cd_code write_file(FILE *f, const struct seg_header *h,
			       const struct pindex *ix)
{
	if (put(f, 0, h, sizeof *h) ||
	    put(f, h->off_rows, ix->rows, ix->nrows * sizeof(struct prow)) ||
	    put(f, h->off_keys, ix->keys, ix->nkeys * 4) ||
	    put(f, h->off_key_off, ix->key_off, (ix->nkeys + 1) * 8) ||
	    put(f, h->off_persons, ix->persons, ix->npersons * 4) ||
	    put(f, h->off_person_off, ix->person_off, (ix->npersons + 1) * 8) ||
	    put(f, h->off_perm, ix->perm, ix->nrows * 4) ||
	    put(f, h->file_size, NULL, 0) || fflush(f) || fsync(fileno(f)))
		return CD_EIO;
	return CD_OK;
}

static void unmap(struct store *st, enum psource src)
{
	if (st->seg[src].map)
		munmap(st->seg[src].map, st->seg[src].len);
	st->seg[src].map = NULL;
	st->seg[src].len = 0;
}

void store_segments_close(struct store *st)
{
	for (int i = 0; i < PS_COUNT; i++)
		unmap(st, (enum psource)i);
}

enum cd_code store_presence_replace(struct store *st, enum psource src,
				    const struct pindex *ix,
				    struct cd_err *err)
{
	char dir[4096], tmp[4200], final[4200];
	struct seg_header h;
	snprintf(dir, sizeof dir, "%s.presence", st->path);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cd_err_set(err, CD_EIO, "cannot create %s: %s", dir,
				  strerror(errno));
	seg_path(st, src, tmp, sizeof tmp, ".tmp");
	seg_path(st, src, final, sizeof final, "");
	layout(&h, ix, src);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cd_err_set(err, CD_EIO, "cannot write %s: %s", tmp,
				  strerror(errno));
	enum cd_code rc = write_file(f, &h, ix);
	int e = errno;
	if (fclose(f) && !rc)
		rc = CD_EIO, e = errno;
	if (!rc && rename(tmp, final) != 0)
		rc = CD_EIO, e = errno;
	if (rc) {
		unlink(tmp);
		return cd_err_set(err, e == ENOSPC || e == EFBIG || e == EDQUOT
					       ? CD_EFULL : CD_EIO,
				  "writing %s failed: %s; nothing was changed",
				  final, strerror(e));
	}
	/* Make the rename itself durable. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	unmap(st, src);
	return CD_OK;
}

static enum cd_code corrupt(const char *path, const char *why,
			    struct cd_err *err)
{
	return cd_err_set(err, CD_EDB, "%s is corrupt (%s)", path, why);
}

static enum cd_code check_header(const struct seg_header *h, size_t len,
				 enum psource src, const char *path,
				 struct cd_err *err)
{
	if (len < sizeof *h || memcmp(h->magic, SEG_MAGIC, 8) != 0)
		return corrupt(path, "not a presence segment", err);
	if (h->version != SEG_VERSION)
		return cd_err_set(err, CD_ESCHEMA,
				  "%s has segment version %u; this cordon "
				  "reads version %d", path, h->version,
				  SEG_VERSION);
	if (h->source != (uint32_t)src || h->row_size != sizeof(struct prow) ||
	    h->file_size != len)
		return corrupt(path, "wrong source, row size or length", err);
	struct seg_header want;
	struct pindex shape = { 0 };
	shape.nrows = h->nrows;
	shape.nkeys = h->nkeys;
	shape.npersons = h->npersons;
	shape.max_span = h->max_span;
	layout(&want, &shape, src);
	if (memcmp(&want, h, sizeof want) != 0)
		return corrupt(path, "inconsistent layout", err);
	return CD_OK;
}

enum cd_code store_presence_open(struct store *st, enum psource src,
				 struct pindex *out, struct cd_err *err)
{
	char path[4200];
	memset(out, 0, sizeof *out);
	seg_path(st, src, path, sizeof path, "");
	if (!st->seg[src].map) {
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			if (errno == ENOENT)
				return CD_OK; /* no data of this source yet */
			return cd_err_set(err, CD_EIO, "cannot open %s: %s",
					  path, strerror(errno));
		}
		struct stat sb;
		void *map = MAP_FAILED;
		if (fstat(fd, &sb) == 0 && sb.st_size > 0)
			map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
				   MAP_SHARED, fd, 0);
		close(fd);
		if (map == MAP_FAILED)
			return corrupt(path, "cannot be mapped", err);
		st->seg[src].map = map;
		st->seg[src].len = (size_t)sb.st_size;
	}
	const char *b = st->seg[src].map;
	const struct seg_header *h = (const void *)b;
	enum cd_code rc = check_header(h, st->seg[src].len, src, path, err);
	if (rc) {
		unmap(st, src);
		return rc;
	}
	*out = (struct pindex){
		(const void *)(b + h->off_rows), h->nrows,
		(const void *)(b + h->off_keys),
		(const void *)(b + h->off_key_off), h->nkeys,
		(const void *)(b + h->off_persons),
		(const void *)(b + h->off_person_off), h->npersons,
		(const void *)(b + h->off_perm), h->max_span, NULL
	};
	return CD_OK;
}
