/* banned.h — calls we never use: unbounded copies, non-reentrant time and
 * tokenising, unchecked number parsing. Include last in every .c file. */
#ifndef CORDON_BANNED_H
#define CORDON_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_cordon

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gets
#define gets(x) BANNED(gets)
/* Undefined on an empty NULL array: use lib/sort.h. */
#undef qsort
#define qsort(b, n, s, c) BANNED(qsort)
#undef bsearch
#define bsearch(k, b, n, s, c) BANNED(bsearch)

#endif
