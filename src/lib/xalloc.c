/* xalloc.c — abort-on-failure allocation. */
#include "lib/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/banned.h"

static void *check(void *p)
{
	if (!p) {
		fputs("cordon: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

void *xgrow(void *arr, size_t sz, size_t need, size_t *alloc)
{
	if (need <= *alloc)
		return arr;
	size_t n = *alloc ? *alloc : 16;
	while (n < need)
		n *= 2;
	*alloc = n;
	return xrealloc(arr, n * sz);
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}
