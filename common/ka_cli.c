#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_cli.h"
#include "ka_msg.h"

#ifndef KA_VERSION
#define KA_VERSION "0.0.0"
#endif

const char ka_cli_common_help[] =
"Input and output (see ka-tools(7)):\n"
"  -d, --delimiter C      input delimiter (default: by extension or sniffed)\n"
"  -t, --tab              input is TAB separated\n"
"  -H, --no-header        input has no header; name columns by number\n"
"      --encoding NAME    convert input from NAME (GB18030, UTF-16LE, ...)\n"
"      --col ROLE=NAME|N  the column that plays ROLE (repeatable)\n"
"  -w, --where EXPR       keep rows where COLUMN OP VALUE (repeatable)\n"
"      --decimal-comma    numbers are written 1.234,56\n"
"      --date-format FMT  strptime format for dates in other forms\n"
"      --null STRING      read fields equal to STRING as empty\n"
"      --as-of DATE       today's date for relative periods\n"
"      --lenient          skip bad rows instead of stopping\n"
"      --rejects FILE     with --lenient, write skipped rows to FILE\n"
"  -o, --output FILE      write FILE atomically instead of stdout\n"
"  -O, --output-format F  csv, tsv, md or jsonl\n"
"      --no-progress      no progress display on a terminal\n"
"  -h, --help             this help\n"
"  -V, --version          version\n";

void
ka_cli_init(struct ka_cli *cli, const char *program, void (*usage)(int))
{
	memset(cli, 0, sizeof(*cli));
	ka_set_program(program);
	cli->read.progress = 1;
	cli->output_format = KA_FORMAT_NONE;
	ka_roles_init(&cli->roles);
	cli->filter = ka_filter_new();
	cli->as_of = ka_date_today();
	cli->usage = usage;
}

void
ka_cli_version(void)
{
	printf("%s (ka-tools) %s\n", ka_program(), KA_VERSION);
	exit(KA_EXIT_OK);
}

void
ka_cli_usage_error(const struct ka_cli *cli, const char *format, ...)
{
	va_list args;

	fprintf(stderr, "%s: ", ka_program());
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	(void)cli;
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    ka_program());
	exit(KA_EXIT_USAGE);
}

static int
delimiter_argument(const struct ka_cli *cli, const char *arg)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0 ||
	    strcmp(arg, "TAB") == 0)
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r')
		ka_cli_usage_error(cli, "bad delimiter \"%s\": give one "
		    "character (or \\t)", arg);
	return (unsigned char)arg[0];
}

int
ka_cli_option(struct ka_cli *cli, int opt, const char *arg)
{
	char error[1024];

	switch (opt) {
	case 'd':
		cli->read.delimiter = delimiter_argument(cli, arg);
		return 1;
	case 't':
		cli->read.delimiter = '\t';
		return 1;
	case 'H':
		cli->read.no_header = 1;
		return 1;
	case 'o':
		cli->output = arg;
		return 1;
	case 'O':
		if ((cli->output_format = ka_format_parse(arg)) ==
		    KA_FORMAT_NONE)
			ka_cli_usage_error(cli, "unknown output format \"%s\" "
			    "(csv, tsv, md, jsonl)", arg);
		return 1;
	case 'w':
		if (ka_filter_add(cli->filter, arg, error, sizeof(error)) < 0)
			ka_cli_usage_error(cli, "%s", error);
		return 1;
	case 'h':
		if (cli->usage != NULL)
			cli->usage(KA_EXIT_OK);
		exit(KA_EXIT_OK);
	case 'V':
		ka_cli_version();
	case KA_OPT_ENCODING:
		cli->read.encoding = arg;
		return 1;
	case KA_OPT_COL:
		if (ka_roles_override(&cli->roles, arg, error,
		    sizeof(error)) < 0)
			ka_cli_usage_error(cli, "%s", error);
		return 1;
	case KA_OPT_AS_OF:
		if (ka_date_parse(arg, strlen(arg), &cli->as_of) < 0)
			ka_cli_usage_error(cli, "bad --as-of \"%s\": expected "
			    "a date like 2026-11-27", arg);
		return 1;
	case KA_OPT_LENIENT:
		cli->lenient = 1;
		return 1;
	case KA_OPT_REJECTS:
		cli->rejects = arg;
		return 1;
	case KA_OPT_DECIMAL_COMMA:
		cli->decimal_comma = 1;
		return 1;
	case KA_OPT_DATE_FORMAT:
		cli->date_format = arg;
		return 1;
	case KA_OPT_NULL:
		cli->null_string = arg;
		return 1;
	case KA_OPT_NO_PROGRESS:
		cli->read.progress = 0;
		return 1;
	case '?':
		/* getopt_long has said what was wrong. */
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    ka_program());
		exit(KA_EXIT_USAGE);
	default:
		return 0;
	}
}

ka_reader *
ka_cli_open(struct ka_cli *cli, int nfiles, char *const *files)
{
	ka_reader *reader;
	char error[1024];

	if (cli->rejects != NULL && !cli->lenient)
		ka_cli_usage_error(cli, "--rejects needs --lenient");
	if (cli->read.encoding != NULL) {
		iconv_t probe = iconv_open("UTF-8", cli->read.encoding);

		if (probe == (iconv_t)-1)
			ka_cli_usage_error(cli, "unknown encoding \"%s\" "
			    "(iconv -l lists them)", cli->read.encoding);
		iconv_close(probe);
	}
	ka_filter_set_date_format(cli->filter, cli->date_format);
	reader = ka_reader_open((const char *const *)files, (size_t)nfiles,
	    &cli->read);
	if (reader == NULL)
		exit(KA_EXIT_DATA);
	if (ka_roles_resolve(&cli->roles, ka_reader_header(reader), error,
	    sizeof(error)) < 0 ||
	    ka_filter_bind(cli->filter, ka_reader_header(reader), &cli->roles,
	    cli->decimal_comma, error, sizeof(error)) < 0) {
		ka_reader_close(reader);
		ka_die(KA_EXIT_USAGE, "%s", error);
	}
	return reader;
}

enum ka_format
ka_cli_output_format(const struct ka_cli *cli, const ka_reader *reader)
{
	enum ka_format format = cli->output_format;

	if (format == KA_FORMAT_NONE)
		format = ka_format_from_name(cli->output);
	if (format == KA_FORMAT_NONE)
		format = ka_reader_delimiter(reader) == '\t' ? KA_FORMAT_TSV :
		    KA_FORMAT_CSV;
	return format;
}

int
ka_cli_date(const struct ka_cli *cli, const char *text, size_t length,
    ka_date *date)
{
	/* The built-in forms first: --date-format is for anything else. */
	if (ka_date_parse(text, length, date) == 0)
		return 0;
	if (cli->date_format != NULL)
		return ka_date_parse_format(text, length, cli->date_format,
		    date);
	return -1;
}

int
ka_cli_next_option(struct ka_cli *cli, int argc, char **argv,
    const char *short_options, const struct option *long_options)
{
	int opt;

	/* getopt's own messages then name the program, not its path. */
	argv[0] = (char *)ka_program();
	while ((opt = getopt_long(argc, argv, short_options, long_options,
	    NULL)) != -1)
		if (!ka_cli_option(cli, opt, optarg))
			return opt;
	return -1;
}

int
ka_cli_is_null(const struct ka_cli *cli, const char *text, size_t length)
{
	return cli->null_string != NULL &&
	    strlen(cli->null_string) == length &&
	    memcmp(cli->null_string, text, length) == 0;
}
