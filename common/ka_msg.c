#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ka_msg.h"

static const char *program = "ka";
static void (*fatal_cleanup)(void);

void
ka_set_program(const char *name)
{
	program = name;
}

const char *
ka_program(void)
{
	return program;
}

static void
vwarn(const char *format, va_list args)
{
	fprintf(stderr, "%s: ", program);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

void
ka_warn(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vwarn(format, args);
	va_end(args);
}

void
ka_die(int status, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vwarn(format, args);
	va_end(args);
	if (fatal_cleanup != NULL)
		fatal_cleanup();
	exit(status);
}

void
ka_on_fatal(void (*cleanup)(void))
{
	fatal_cleanup = cleanup;
}
