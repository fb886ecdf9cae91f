/* xalloc.h — allocation that aborts on failure (see strbuf.h for why). */
#ifndef CORDON_XALLOC_H
#define CORDON_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *arr (of *alloc elements of size sz) to hold at least need. */
void *xgrow(void *arr, size_t sz, size_t need, size_t *alloc);
char *xstrdup(const char *s);

#endif
