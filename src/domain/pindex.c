/* pindex.c — sorting, de-duplicating and indexing presence rows. */
#include <stdlib.h>
#include <string.h>

#include "domain/presence.h"
#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

const char *psource_name(enum psource s)
{
	static const char *const names[PS_COUNT] = { "scans", "rides", "cells",
						      "proximity" };
	return s < PS_COUNT ? names[s] : "?";
}

static int row_cmp(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->aux > y->aux) - (x->aux < y->aux);
}

/* The permutation is sorted on a contiguous copy of its keys, not through
 * the rows: sequential memory instead of a random access per compare. */
struct perm_key {
	uint32_t person, start, row;
};

static int perm_cmp(const void *a, const void *b)
{
	const struct perm_key *x = a, *y = b;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

struct owned {
	uint32_t *keys, *persons, *perm;
	uint64_t *key_off, *person_off;
};

size_t pindex_build(struct prow *rows, size_t n, struct pindex *out)
{
	struct owned *o = xcalloc(1, sizeof *o);
	memset(out, 0, sizeof *out);
	if (n)
		sort_array(rows, n, sizeof *rows, row_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || row_cmp(&rows[m - 1], &rows[i]) != 0)
			rows[m++] = rows[i];
	size_t nk = 0;
	uint32_t span = 0;
	for (size_t i = 0; i < m; i++) {
		nk += i == 0 || rows[i].key != rows[i - 1].key;
		if (rows[i].end > rows[i].start &&
		    rows[i].end - rows[i].start > span)
			span = rows[i].end - rows[i].start;
	}
	o->keys = xmalloc((nk ? nk : 1) * sizeof *o->keys);
	o->key_off = xmalloc((nk + 1) * sizeof *o->key_off);
	for (size_t i = 0, k = 0; i < m; i++)
		if (i == 0 || rows[i].key != rows[i - 1].key) {
			o->keys[k] = rows[i].key;
			o->key_off[k++] = i;
		}
	o->key_off[nk] = m;
	o->perm = xmalloc((m ? m : 1) * sizeof *o->perm);
	struct perm_key *pk = xmalloc((m ? m : 1) * sizeof *pk);
	for (size_t i = 0; i < m; i++)
		pk[i] = (struct perm_key){ rows[i].person, rows[i].start,
					   (uint32_t)i };
	sort_array(pk, m, sizeof *pk, perm_cmp);
	for (size_t i = 0; i < m; i++)
		o->perm[i] = pk[i].row;
	free(pk);
	size_t np = 0;
	for (size_t i = 0; i < m; i++)
		np += i == 0 || rows[o->perm[i]].person !=
					rows[o->perm[i - 1]].person;
	o->persons = xmalloc((np ? np : 1) * sizeof *o->persons);
	o->person_off = xmalloc((np + 1) * sizeof *o->person_off);
	for (size_t i = 0, k = 0; i < m; i++)
		if (i == 0 || rows[o->perm[i]].person !=
				      rows[o->perm[i - 1]].person) {
			o->persons[k] = rows[o->perm[i]].person;
			o->person_off[k++] = i;
		}
	o->person_off[np] = m;
	*out = (struct pindex){ rows, m, o->keys, o->key_off, nk, o->persons,
				o->person_off, np, o->perm, span, o };
	return m;
}

void pindex_release(struct pindex *ix)
{
	struct owned *o = ix->owned;
	if (o) {
		free(o->keys);
		free(o->key_off);
		free(o->persons);
		free(o->person_off);
		free(o->perm);
		free(o);
	}
	memset(ix, 0, sizeof *ix);
}

/* Position of v in the ascending array a[0..n), or n when absent. */
static size_t find_u32(const uint32_t *a, size_t n, uint32_t v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == v ? lo : n;
}

const struct prow *pindex_key(const struct pindex *ix, uint32_t key,
			      size_t *n)
{
	size_t k = find_u32(ix->keys, ix->nkeys, key);
	if (k == ix->nkeys) {
		*n = 0;
		return ix->rows;
	}
	*n = (size_t)(ix->key_off[k + 1] - ix->key_off[k]);
	return ix->rows + ix->key_off[k];
}

const uint32_t *pindex_person(const struct pindex *ix, uint32_t person,
			      size_t *n)
{
	size_t k = find_u32(ix->persons, ix->npersons, person);
	if (k == ix->npersons) {
		*n = 0;
		return ix->perm;
	}
	*n = (size_t)(ix->person_off[k + 1] - ix->person_off[k]);
	return ix->perm + ix->person_off[k];
}

size_t pindex_lower(const struct prow *rows, size_t n, uint32_t t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool ptime_from(int64_t t, uint32_t *out)
{
	if (t < PTIME_BASE || t - PTIME_BASE > (int64_t)UINT32_MAX)
		return false;
	*out = (uint32_t)(t - PTIME_BASE);
	return true;
}

int64_t ptime_to(uint32_t t)
{
	return PTIME_BASE + (int64_t)t;
}
