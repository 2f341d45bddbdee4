/*
 * ka_alloc: memory that is there or ends the program.  Every function
 * exits with status 1 and "out of memory" instead of returning NULL, and
 * treats a size of zero as one byte, so callers never test for NULL.
 */
#ifndef KA_ALLOC_H
#define KA_ALLOC_H

#include <stddef.h>

void	*ka_malloc(size_t size);
void	*ka_calloc(size_t count, size_t size);
void	*ka_realloc(void *p, size_t size);
/* realloc of count elements of size, the multiplication checked. */
void	*ka_reallocarray(void *p, size_t count, size_t size);
char	*ka_strdup(const char *text);
/* The first length bytes of text (NULs included) and a NUL. */
char	*ka_strndup(const char *text, size_t length);

#endif
