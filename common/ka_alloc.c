#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ka_alloc.h"
#include "ka_msg.h"

static void *
checked(void *p)
{
	if (p == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return p;
}

void *
ka_malloc(size_t size)
{
	return checked(malloc(size != 0 ? size : 1));
}

void *
ka_calloc(size_t count, size_t size)
{
	return checked(calloc(count != 0 ? count : 1, size != 0 ? size : 1));
}

void *
ka_realloc(void *p, size_t size)
{
	return checked(realloc(p, size != 0 ? size : 1));
}

void *
ka_reallocarray(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		ka_die(KA_EXIT_DATA, "out of memory");
	return ka_realloc(p, count * size);
}

char *
ka_strndup(const char *text, size_t length)
{
	char *copy = ka_malloc(length + 1);

	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}

char *
ka_strdup(const char *text)
{
	return ka_strndup(text, strlen(text));
}
