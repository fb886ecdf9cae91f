/* strbuf.h — a growable string.
 *
 * Invariants: buf is never NULL (an empty strbuf points at a shared "");
 * buf[len] is always '\0'. Allocation failure aborts the process: a command
 * centre tool that cannot allocate a few bytes has no useful way on. */
#ifndef CORDON_STRBUF_H
#define CORDON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[];

void strbuf_init(struct strbuf *sb);
/* Free the buffer and reset to empty. */
void strbuf_release(struct strbuf *sb);
/* Truncate to zero length, keep the allocation. */
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append `s` quoted for a message: valid UTF-8 as is; control bytes, quotes,
 * backslashes and bytes of invalid UTF-8 as \xNN; cut to at most `max`
 * bytes with "..." appended when longer. */
void strbuf_add_quoted(struct strbuf *sb, const char *s, size_t len,
		       size_t max);
/* Hand the buffer to the caller (who frees it); sb becomes empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
