/* ka_utf8: checking UTF-8 and measuring how wide text shows. */
#ifndef KA_UTF8_H
#define KA_UTF8_H

#include <stddef.h>

/* Offset of the first byte that is not valid UTF-8, or len if none. */
size_t	ka_utf8_invalid_at(const char *s, size_t len);

/*
 * Terminal columns the text takes: 2 for East Asian wide characters,
 * 0 for combining marks, 1 otherwise.  Invalid bytes count as 1.
 */
size_t	ka_utf8_width(const char *s, size_t len);

#endif
