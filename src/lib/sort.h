/* sort.h — qsort and bsearch that accept an empty array. The C library
 * declares their base pointer non-null even when there are no elements,
 * so qsort(NULL, 0, ...) is undefined; banned.h bans the raw calls. */
#ifndef CORDON_SORT_H
#define CORDON_SORT_H

#include <stddef.h>

typedef int (*sort_cmp_fn)(const void *, const void *);

/* Sort n elements of size at base (nothing when n is 0). */
void sort_array(void *base, size_t n, size_t size, sort_cmp_fn cmp);
/* The element equal to key, or NULL (always NULL when n is 0). */
void *search_array(const void *key, const void *base, size_t n, size_t size,
		   sort_cmp_fn cmp);

#endif
