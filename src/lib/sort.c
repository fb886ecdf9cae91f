/* sort.c — the only place that calls qsort and bsearch (so it does not
 * include banned.h). */
#include "lib/sort.h"

#include <stdlib.h>

void sort_array(void *base, size_t n, size_t size, sort_cmp_fn cmp)
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void *search_array(const void *key, const void *base, size_t n, size_t size,
		   sort_cmp_fn cmp)
{
	return n ? bsearch(key, base, n, size, cmp) : NULL;
}
