/* utf8.h — UTF-8 validation and display width. */
#ifndef CORDON_UTF8_H
#define CORDON_UTF8_H

#include <stddef.h>

/* Returns the byte offset of the first invalid sequence in s[0..len), or
 * (size_t)-1 when all of it is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
size_t utf8_invalid_at(const char *s, size_t len);
/* Cut s before its first invalid sequence (text quoting a client's input
 * that was cut inside a character to fit a buffer). */
void utf8_cut(char *s);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);
/* Terminal columns a valid UTF-8 string takes (CJK counts 2). */
size_t utf8_width(const char *s);

#endif
