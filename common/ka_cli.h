/*
 * ka_cli: the options every program shares (ka-tools(7)), their --help
 * text, --version, and opening the input the way they describe.
 *
 * A program's getopt_long table starts with KA_COMMON_OPTIONS and its
 * short-option string with KA_COMMON_SHORT; every option getopt returns
 * goes first to ka_cli_option(), which takes the shared ones.
 */
#ifndef KA_CLI_H
#define KA_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "ka_date.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_roles.h"
#include "ka_writer.h"

enum {
	KA_OPT_ENCODING = 1000,
	KA_OPT_COL,
	KA_OPT_AS_OF,
	KA_OPT_LENIENT,
	KA_OPT_REJECTS,
	KA_OPT_DECIMAL_COMMA,
	KA_OPT_DATE_FORMAT,
	KA_OPT_NULL,
	KA_OPT_NO_PROGRESS,
	KA_OPT_PROGRAM = 1100		/* a program's own long options */
};

#define KA_COMMON_SHORT "d:tHo:O:w:hV"

#define KA_COMMON_OPTIONS \
	{ "delimiter",		required_argument, NULL, 'd' }, \
	{ "tab",		no_argument,	   NULL, 't' }, \
	{ "no-header",		no_argument,	   NULL, 'H' }, \
	{ "output",		required_argument, NULL, 'o' }, \
	{ "output-format",	required_argument, NULL, 'O' }, \
	{ "where",		required_argument, NULL, 'w' }, \
	{ "help",		no_argument,	   NULL, 'h' }, \
	{ "version",		no_argument,	   NULL, 'V' }, \
	{ "encoding",		required_argument, NULL, KA_OPT_ENCODING }, \
	{ "col",		required_argument, NULL, KA_OPT_COL }, \
	{ "as-of",		required_argument, NULL, KA_OPT_AS_OF }, \
	{ "lenient",		no_argument,	   NULL, KA_OPT_LENIENT }, \
	{ "rejects",		required_argument, NULL, KA_OPT_REJECTS }, \
	{ "decimal-comma",	no_argument,	   NULL, KA_OPT_DECIMAL_COMMA }, \
	{ "date-format",	required_argument, NULL, KA_OPT_DATE_FORMAT }, \
	{ "null",		required_argument, NULL, KA_OPT_NULL }, \
	{ "no-progress",	no_argument,	   NULL, KA_OPT_NO_PROGRESS }

/* The shared options' lines for a program's --help. */
extern const char ka_cli_common_help[];

struct ka_cli {
	struct ka_reader_options read;
	const char	*output;		/* -o FILE, NULL for stdout */
	enum ka_format	 output_format;		/* -O, or NONE */
	struct ka_roles	 roles;
	ka_filter	*filter;
	ka_date		 as_of;
	int		 lenient;
	const char	*rejects;
	int		 decimal_comma;
	const char	*date_format;
	const char	*null_string;
	void		(*usage)(int status);	/* the program's usage() */
};

void	ka_cli_init(struct ka_cli *cli, const char *program,
	    void (*usage)(int status));
/* 1 when opt was a shared option (handled), 0 when it is not one. */
int	ka_cli_option(struct ka_cli *cli, int opt, const char *arg);
/*
 * getopt_long with the shared options taken care of: returns the next
 * option that is the program's own, or -1 at the end.
 */
int	ka_cli_next_option(struct ka_cli *cli, int argc, char **argv,
	    const char *short_options, const struct option *long_options);
/* "ka-PROG (ka-tools) X.Y.Z" on stdout, exit 0. */
_Noreturn void ka_cli_version(void);
/* A usage error: "ka-PROG: message" and a pointer to --help, exit 2. */
_Noreturn void ka_cli_usage_error(const struct ka_cli *cli,
	    const char *format, ...) __attribute__((format(printf, 2, 3)));

/*
 * Opens files (argv after the options) with the shared options, resolves
 * --col and --where against the header.  Exits on failure: 1 when input
 * cannot be read, 2 for a --col or --where naming no column.
 */
ka_reader *ka_cli_open(struct ka_cli *cli, int nfiles, char *const *files);
/* The output format: -O, else -o's extension, else like the input. */
enum ka_format ka_cli_output_format(const struct ka_cli *cli,
	    const ka_reader *reader);
/* A date in a built-in form, else in --date-format; 0 ok, -1 not. */
int	ka_cli_date(const struct ka_cli *cli, const char *text, size_t length,
	    ka_date *date);
/* A field equal to --null counts as empty. */
int	ka_cli_is_null(const struct ka_cli *cli, const char *text,
	    size_t length);

#endif
