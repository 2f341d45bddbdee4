/*
 * Unit tests of common/ka_cli.c: the options every program shares.
 * Usage errors exit 2, so they run in a child process whose status and
 * standard error are checked; every expected message is written out by
 * hand.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_cli.h"
#include "ka_msg.h"

#define TRY_HELP "Try 'ka-test --help' for more information.\n"

static char folder[256];

static const char *
path_in_folder(const char *name)
{
	static char path[8][512];
	static int next;

	next = (next + 1) % 8;
	snprintf(path[next], sizeof(path[next]), "%s/%s", folder, name);
	return path[next];
}

static const char *
make_file(const char *name, const char *content)
{
	const char *path = path_in_folder(name);
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		return path;
	}
	fputs(content, f);
	fclose(f);
	return path;
}

/* ---- a child process for what exits ---- */

struct child {
	int	 exited, status;
	char	 out[4096], err[4096];
};

static void
read_all(int fd, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;

	while (used < size - 1 &&
	    (n = read(fd, buf + used, size - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
}

static void
run_child(void (*body)(void *), void *arg, struct child *c)
{
	int pipe_out[2], pipe_err[2], wstatus;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe(pipe_out) < 0 || pipe(pipe_err) < 0 || (pid = fork()) < 0) {
		perror("pipe or fork");
		return;
	}
	if (pid == 0) {
		dup2(pipe_out[1], STDOUT_FILENO);
		dup2(pipe_err[1], STDERR_FILENO);
		close(pipe_out[0]);
		close(pipe_out[1]);
		close(pipe_err[0]);
		close(pipe_err[1]);
		body(arg);
		fflush(stdout);
		fflush(stderr);
		_exit(99);	/* returned instead of exiting */
	}
	close(pipe_out[1]);
	close(pipe_err[1]);
	read_all(pipe_err[0], c->err, sizeof(c->err));
	read_all(pipe_out[0], c->out, sizeof(c->out));
	close(pipe_out[0]);
	close(pipe_err[0]);
	if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus)) {
		c->exited = 1;
		c->status = WEXITSTATUS(wstatus);
	}
}

static void
usage(int status)
{
	fputs("usage: ka-test [options] [FILE...]\n", status ? stderr :
	    stdout);
	exit(status);
}

static void
init(struct ka_cli *cli)
{
	ka_cli_init(cli, "ka-test", usage);
}

static void
done(struct ka_cli *cli)
{
	ka_filter_free(cli->filter);
	cli->filter = NULL;
}

/* One option in a child: opt and arg, expecting an exit. */
struct option_call {
	int		 opt;
	const char	*arg;
};

static void
call_option(void *arg)
{
	struct option_call *call = arg;
	struct ka_cli cli;

	init(&cli);
	ka_cli_option(&cli, call->opt, call->arg);
	done(&cli);	/* returned: nothing left for a leak checker */
}

static void
expect_usage_error(int opt, const char *arg, const char *want_err,
    int line)
{
	struct option_call call;
	struct child c;

	call.opt = opt;
	call.arg = arg;
	run_child(call_option, &call, &c);
	if (!c.exited || c.status != 2 || strcmp(c.err, want_err) != 0 ||
	    c.out[0] != '\0') {
		printf("  line %d: exited %d status %d, stderr \"%s\" stdout "
		    "\"%s\"; want status 2, stderr \"%s\"\n", line, c.exited,
		    c.status, c.err, c.out, want_err);
		check_failures++;
	}
}

#define EXPECT_USAGE_ERROR(opt, arg, err) \
	expect_usage_error((opt), (arg), (err), __LINE__)

/* ---- each shared option ---- */

static void
test_defaults(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_STR(ka_program(), "ka-test");
	CHECK_INT(cli.read.delimiter, 0);
	CHECK_INT(cli.read.no_header, 0);
	CHECK(cli.read.encoding == NULL);
	CHECK_INT(cli.read.progress, 1);
	CHECK(cli.output == NULL);
	CHECK_INT(cli.output_format, KA_FORMAT_NONE);
	CHECK(cli.filter != NULL);
	CHECK_INT(ka_filter_count(cli.filter), 0);
	CHECK_INT(cli.lenient, 0);
	CHECK(cli.rejects == NULL);
	CHECK_INT(cli.decimal_comma, 0);
	CHECK(cli.date_format == NULL);
	CHECK(cli.null_string == NULL);
	CHECK(cli.roles.column[KA_ROLE_AMOUNT] == -1);
	CHECK(cli.roles.wanted[KA_ROLE_AMOUNT] == NULL);
	/* as_of defaults to the real date. */
	CHECK_INT(cli.as_of, ka_date_today());
	done(&cli);
}

static void
test_delimiter(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_INT(ka_cli_option(&cli, 'd', ","), 1);
	CHECK_INT(cli.read.delimiter, ',');
	CHECK_INT(ka_cli_option(&cli, 'd', ";"), 1);
	CHECK_INT(cli.read.delimiter, ';');
	CHECK_INT(ka_cli_option(&cli, 'd', "|"), 1);
	CHECK_INT(cli.read.delimiter, '|');
	CHECK_INT(ka_cli_option(&cli, 'd', " "), 1);
	CHECK_INT(cli.read.delimiter, ' ');
	/* A real TAB, the two characters \t, and the words. */
	CHECK_INT(ka_cli_option(&cli, 'd', "\t"), 1);
	CHECK_INT(cli.read.delimiter, '\t');
	cli.read.delimiter = 0;
	CHECK_INT(ka_cli_option(&cli, 'd', "\\t"), 1);
	CHECK_INT(cli.read.delimiter, '\t');
	cli.read.delimiter = 0;
	CHECK_INT(ka_cli_option(&cli, 'd', "tab"), 1);
	CHECK_INT(cli.read.delimiter, '\t');
	cli.read.delimiter = 0;
	CHECK_INT(ka_cli_option(&cli, 'd', "TAB"), 1);
	CHECK_INT(cli.read.delimiter, '\t');
	/* -t */
	cli.read.delimiter = ',';
	CHECK_INT(ka_cli_option(&cli, 't', NULL), 1);
	CHECK_INT(cli.read.delimiter, '\t');
	done(&cli);
}

static void
test_bad_delimiters_exit_2(void)
{
	EXPECT_USAGE_ERROR('d', "ab", "ka-test: bad delimiter \"ab\": give one "
	    "character (or \\t)\n" TRY_HELP);
	EXPECT_USAGE_ERROR('d', "", "ka-test: bad delimiter \"\": give one "
	    "character (or \\t)\n" TRY_HELP);
	EXPECT_USAGE_ERROR('d', "\"", "ka-test: bad delimiter \"\"\": give "
	    "one character (or \\t)\n" TRY_HELP);
	EXPECT_USAGE_ERROR('d', "\n", "ka-test: bad delimiter \"\n\": give "
	    "one character (or \\t)\n" TRY_HELP);
	/* A multibyte character is not one byte. */
	EXPECT_USAGE_ERROR('d', "；", "ka-test: bad delimiter \"；\": give "
	    "one character (or \\t)\n" TRY_HELP);
}

static void
test_simple_flags_and_values(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_INT(ka_cli_option(&cli, 'H', NULL), 1);
	CHECK_INT(cli.read.no_header, 1);
	CHECK_INT(ka_cli_option(&cli, 'o', "out.md"), 1);
	CHECK_STR(cli.output, "out.md");
	CHECK_INT(ka_cli_option(&cli, KA_OPT_ENCODING, "GB18030"), 1);
	CHECK_STR(cli.read.encoding, "GB18030");
	CHECK_INT(ka_cli_option(&cli, KA_OPT_LENIENT, NULL), 1);
	CHECK_INT(cli.lenient, 1);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_REJECTS, "bad.csv"), 1);
	CHECK_STR(cli.rejects, "bad.csv");
	CHECK_INT(ka_cli_option(&cli, KA_OPT_DECIMAL_COMMA, NULL), 1);
	CHECK_INT(cli.decimal_comma, 1);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_DATE_FORMAT, "%d.%m.%Y"), 1);
	CHECK_STR(cli.date_format, "%d.%m.%Y");
	CHECK_INT(ka_cli_option(&cli, KA_OPT_NULL, "NULL"), 1);
	CHECK_STR(cli.null_string, "NULL");
	CHECK_INT(ka_cli_option(&cli, KA_OPT_NO_PROGRESS, NULL), 1);
	CHECK_INT(cli.read.progress, 0);
	/* 2026-11-27 is day 20784 after 1970-01-01 (Python's datetime). */
	CHECK_INT(ka_cli_option(&cli, KA_OPT_AS_OF, "2026-11-27"), 1);
	CHECK_INT(cli.as_of, 20784);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_AS_OF, "2024/2/29"), 1);
	CHECK_INT(cli.as_of, 19782);
	/* Not ours: a program's own option, or a stray letter. */
	CHECK_INT(ka_cli_option(&cli, KA_OPT_PROGRAM, "x"), 0);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_PROGRAM + 7, NULL), 0);
	CHECK_INT(ka_cli_option(&cli, 'n', "5"), 0);
	done(&cli);
}

static void
test_output_formats(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_INT(ka_cli_option(&cli, 'O', "csv"), 1);
	CHECK_INT(cli.output_format, KA_FORMAT_CSV);
	CHECK_INT(ka_cli_option(&cli, 'O', "tsv"), 1);
	CHECK_INT(cli.output_format, KA_FORMAT_TSV);
	CHECK_INT(ka_cli_option(&cli, 'O', "md"), 1);
	CHECK_INT(cli.output_format, KA_FORMAT_MD);
	CHECK_INT(ka_cli_option(&cli, 'O', "jsonl"), 1);
	CHECK_INT(cli.output_format, KA_FORMAT_JSONL);
	CHECK_INT(ka_cli_option(&cli, 'O', "JSONL"), 1);
	CHECK_INT(cli.output_format, KA_FORMAT_JSONL);
	done(&cli);
	EXPECT_USAGE_ERROR('O', "xml", "ka-test: unknown output format "
	    "\"xml\" (csv, tsv, md, jsonl)\n" TRY_HELP);
	EXPECT_USAGE_ERROR('O', "", "ka-test: unknown output format "
	    "\"\" (csv, tsv, md, jsonl)\n" TRY_HELP);
}

static void
test_where(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_INT(ka_cli_option(&cli, 'w', "amount > 100"), 1);
	CHECK_INT(ka_cli_option(&cli, 'w', "customer ~ ^上海"), 1);
	CHECK_INT(ka_filter_count(cli.filter), 2);
	done(&cli);
	EXPECT_USAGE_ERROR('w', "amount", "ka-test: bad --where \"amount\": "
	    "expected COLUMN OP VALUE with OP one of = != < <= > >= ~ !~\n"
	    TRY_HELP);
	EXPECT_USAGE_ERROR('w', "customer ~ a(b", "ka-test: bad --where "
	    "\"customer ~ a(b\": pattern error at offset 3: missing closing "
	    "parenthesis\n" TRY_HELP);
	EXPECT_USAGE_ERROR('w', "> 5", "ka-test: bad --where \"> 5\": no "
	    "column before the operator\n" TRY_HELP);
}

static void
test_col(void)
{
	struct ka_cli cli;

	init(&cli);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_COL, "amount=金额"), 1);
	CHECK_INT(ka_cli_option(&cli, KA_OPT_COL, "customer_id=2"), 1);
	CHECK_STR(cli.roles.wanted[KA_ROLE_AMOUNT], "金额");
	CHECK_STR(cli.roles.wanted[KA_ROLE_CUSTOMER_ID], "2");
	done(&cli);
	EXPECT_USAGE_ERROR(KA_OPT_COL, "amount", "ka-test: bad --col "
	    "\"amount\": expected ROLE=NAME or ROLE=N\n" TRY_HELP);
	EXPECT_USAGE_ERROR(KA_OPT_COL, "=x", "ka-test: bad --col \"=x\": "
	    "expected ROLE=NAME or ROLE=N\n" TRY_HELP);
	EXPECT_USAGE_ERROR(KA_OPT_COL, "nosuchrole=x", "ka-test: bad --col "
	    "\"nosuchrole=x\": unknown role \"nosuchrole\"; roles are date, "
	    "invoice, customer_id, customer, region, city, country, rep, "
	    "owner, sku, product, category, qty, unit_price, amount, cost, "
	    "tier, rank\n" TRY_HELP);
}

static void
test_bad_as_of(void)
{
	EXPECT_USAGE_ERROR(KA_OPT_AS_OF, "2026-13-01", "ka-test: bad --as-of "
	    "\"2026-13-01\": expected a date like 2026-11-27\n" TRY_HELP);
	EXPECT_USAGE_ERROR(KA_OPT_AS_OF, "yesterday", "ka-test: bad --as-of "
	    "\"yesterday\": expected a date like 2026-11-27\n" TRY_HELP);
}

static void
test_help_version_and_getopt_errors(void)
{
	struct option_call call;
	struct child c;

	call.opt = 'h';
	call.arg = NULL;
	run_child(call_option, &call, &c);
	CHECK_INT(c.status, 0);
	CHECK_STR(c.out, "usage: ka-test [options] [FILE...]\n");
	CHECK_STR(c.err, "");

	call.opt = 'V';
	run_child(call_option, &call, &c);
	CHECK_INT(c.status, 0);
#ifdef KA_VERSION
	CHECK_STR(c.out, "ka-test (ka-tools) " KA_VERSION "\n");
#else
	CHECK(strncmp(c.out, "ka-test (ka-tools) ", 19) == 0);
#endif
	CHECK_STR(c.err, "");

	/* getopt_long has printed its complaint; we point to --help. */
	call.opt = '?';
	run_child(call_option, &call, &c);
	CHECK_INT(c.status, 2);
	CHECK_STR(c.out, "");
	CHECK_STR(c.err, TRY_HELP);
}

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "top",	required_argument, NULL, KA_OPT_PROGRAM },
	{ NULL,		0,		   NULL, 0 }
};

static void
test_next_option(void)
{
	struct ka_cli cli;
	char *argv[] = { "./build/bin/ka-test", "-d", ";", "--col",
		"amount=金额", "-x", "--top", "5", "--no-progress", "in.csv",
		NULL };
	int argc = 10;

	init(&cli);
	optind = 0;	/* glibc: start afresh */
	CHECK_INT(ka_cli_next_option(&cli, argc, argv, KA_COMMON_SHORT "x",
	    long_options), 'x');
	CHECK_INT(cli.read.delimiter, ';');
	CHECK_STR(cli.roles.wanted[KA_ROLE_AMOUNT], "金额");
	CHECK_INT(ka_cli_next_option(&cli, argc, argv, KA_COMMON_SHORT "x",
	    long_options), KA_OPT_PROGRAM);
	CHECK_STR(optarg, "5");
	CHECK_INT(ka_cli_next_option(&cli, argc, argv, KA_COMMON_SHORT "x",
	    long_options), -1);
	CHECK_INT(cli.read.progress, 0);
	CHECK_INT(optind, 9);
	CHECK_STR(argv[optind], "in.csv");
	/* getopt's messages name the program, not its path. */
	CHECK_STR(argv[0], "ka-test");
	done(&cli);
}

static void
call_next_option_unknown(void *arg)
{
	struct ka_cli cli;
	char *argv[] = { "./ka-test", "--nosuch", NULL };

	(void)arg;
	init(&cli);
	optind = 0;
	ka_cli_next_option(&cli, 2, argv, KA_COMMON_SHORT, long_options);
}

static void
test_next_option_unknown_exits_2(void)
{
	struct child c;

	run_child(call_next_option_unknown, NULL, &c);
	CHECK_INT(c.status, 2);
	CHECK_STR(c.err, "ka-test: unrecognized option '--nosuch'\n" TRY_HELP);
	CHECK_STR(c.out, "");
}

/* ---- opening input ---- */

static ka_reader *
open_one(struct ka_cli *cli, const char *path)
{
	char *files[1];

	files[0] = (char *)path;
	return ka_cli_open(cli, 1, files);
}

/* -O wins over -o's extension, which wins over the input's delimiter. */
static void
test_output_format_precedence(void)
{
	const char *tsv = make_file("in.tsv", "customer\tamount\nA\t1\n");
	const char *csv = make_file("in.csv", "customer,amount\nA,1\n");
	const char *semi = make_file("semi.csv", "customer;amount\nA;1\n");
	const char *sniffed = make_file("sniffed", "customer\tamount\nA\t1\n");
	struct ka_cli cli;
	ka_reader *r;

	init(&cli);
	cli.read.progress = 0;
	r = open_one(&cli, tsv);
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_TSV);
	cli.output = "out.csv";
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_CSV);
	cli.output = "report.jsonl";
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_JSONL);
	cli.output_format = KA_FORMAT_MD;
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_MD);
	/* An extension that names no format: the input decides. */
	cli.output_format = KA_FORMAT_NONE;
	cli.output = "report.txt";
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_TSV);
	cli.output = "-";
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_TSV);
	ka_reader_close(r);

	cli.output = NULL;
	r = open_one(&cli, csv);
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_CSV);
	cli.output = "out.tab";
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_TSV);
	cli.output_format = KA_FORMAT_CSV;
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_CSV);
	ka_reader_close(r);

	/* Semicolon input: CSV output (there is no semicolon format). */
	cli.output = NULL;
	cli.output_format = KA_FORMAT_NONE;
	r = open_one(&cli, semi);
	CHECK_INT(ka_reader_delimiter(r), ';');
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_CSV);
	ka_reader_close(r);

	/* TAB found by sniffing, not by the name. */
	r = open_one(&cli, sniffed);
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_TSV);
	ka_reader_close(r);

	/* -d , on a .tsv file: the forced delimiter is the input's. */
	cli.read.delimiter = ',';
	r = open_one(&cli, tsv);
	CHECK_INT(ka_cli_output_format(&cli, r), KA_FORMAT_CSV);
	ka_reader_close(r);
	done(&cli);
}

/* ka_cli_open resolves roles and binds filters against the header. */
static void
test_open_resolves_roles_and_filters(void)
{
	const char *path = make_file("sales.csv",
	    "日期,客户,金额,备注\n"
	    "2026-11-02,上海贸易,1200.50,\n"
	    "2026-11-03,北京商行,80,x\n"
	    "2026-11-04,上海物流,300,\n");
	struct ka_cli cli;
	ka_reader *r;
	ka_record rec;
	enum ka_read_status status;
	char error[256];
	int passed = 0, read = 0, m;

	init(&cli);
	cli.read.progress = 0;
	ka_cli_option(&cli, 'w', "customer ~ ^上海");
	ka_cli_option(&cli, 'w', "amount >= 300");
	r = open_one(&cli, path);
	CHECK_INT(cli.roles.column[KA_ROLE_DATE], 0);
	CHECK_INT(cli.roles.column[KA_ROLE_CUSTOMER], 1);
	CHECK_INT(cli.roles.column[KA_ROLE_AMOUNT], 2);
	CHECK_INT(cli.roles.column[KA_ROLE_QTY], -1);
	while (ka_reader_next(r, &rec, &status) > 0) {
		read++;
		m = ka_filter_match(cli.filter, &rec, error, sizeof(error));
		CHECK(m >= 0);
		if (m == 1) {
			passed++;
			CHECK(strcmp(ka_field(&rec, 1), "上海贸易") == 0 ||
			    strcmp(ka_field(&rec, 1), "上海物流") == 0);
		}
	}
	CHECK_INT(read, 3);
	CHECK_INT(passed, 2);
	ka_reader_close(r);
	done(&cli);
}

struct open_call {
	const char	*path;
	const char	*options[6];	/* pairs: option letter/code, arg */
	int		 codes[3];
};

static void
call_open(void *arg)
{
	struct open_call *call = arg;
	struct ka_cli cli;
	int i;

	init(&cli);
	cli.read.progress = 0;
	for (i = 0; i < 3 && call->codes[i] != 0; i++)
		ka_cli_option(&cli, call->codes[i], call->options[i]);
	ka_reader_close(open_one(&cli, call->path));
	done(&cli);
}

static void
expect_open_failure(const char *path, int code1, const char *arg1,
    int code2, const char *arg2, int want_status, const char *want_err,
    int line)
{
	struct open_call call;
	struct child c;

	memset(&call, 0, sizeof(call));
	call.path = path;
	call.codes[0] = code1;
	call.options[0] = arg1;
	call.codes[1] = code2;
	call.options[1] = arg2;
	run_child(call_open, &call, &c);
	if (!c.exited || c.status != want_status ||
	    strcmp(c.err, want_err) != 0) {
		printf("  line %d: status %d, stderr \"%s\"; want status %d, "
		    "stderr \"%s\"\n", line, c.status, c.err, want_status,
		    want_err);
		check_failures++;
	}
}

static void
test_open_failures(void)
{
	const char *path = make_file("three.csv", "date,customer,revenue\n"
	    "2026-11-27,A,1\n");
	const char *missing = path_in_folder("missing.csv");
	char want[1024];

	/* --col naming no column: a usage error. */
	expect_open_failure(path, KA_OPT_COL, "amount=Betrag", 0, NULL, 2,
	    "ka-test: --col amount=Betrag: no such column (the header has "
	    "3)\n", __LINE__);
	expect_open_failure(path, KA_OPT_COL, "customer=9", 0, NULL, 2,
	    "ka-test: --col customer=9: no such column (the header has 3)\n",
	    __LINE__);
	/* --where naming no column: a usage error too. */
	expect_open_failure(path, 'w', "qty > 1", 0, NULL, 2,
	    "ka-test: --where \"qty > 1\": no column \"qty\" in the header\n",
	    __LINE__);
	/* --rejects without --lenient. */
	expect_open_failure(path, KA_OPT_REJECTS, "bad.csv", 0, NULL, 2,
	    "ka-test: --rejects needs --lenient\n" TRY_HELP, __LINE__);
	/* An encoding iconv does not know. */
	expect_open_failure(path, KA_OPT_ENCODING, "NO-SUCH-CODE", 0, NULL, 2,
	    "ka-test: unknown encoding \"NO-SUCH-CODE\" (iconv -l lists "
	    "them)\n" TRY_HELP, __LINE__);
	/* Input that cannot be read: status 1. */
	snprintf(want, sizeof(want), "ka-test: %s: cannot open: No such file "
	    "or directory\n", missing);
	expect_open_failure(missing, 0, NULL, 0, NULL, 1, want, __LINE__);
	/* With --lenient, --rejects is fine and the file opens. */
	{
		struct open_call call;
		struct child c;

		memset(&call, 0, sizeof(call));
		call.path = path;
		call.codes[0] = KA_OPT_LENIENT;
		call.codes[1] = KA_OPT_REJECTS;
		call.options[1] = "bad.csv";
		run_child(call_open, &call, &c);
		CHECK_INT(c.status, 99);
		CHECK_STR(c.err, "");
	}
}

static void
test_date_and_null(void)
{
	struct ka_cli cli;
	ka_date d = 0;

	init(&cli);
	CHECK_INT(ka_cli_date(&cli, "2026-11-27", 10, &d), 0);
	CHECK_INT(d, 20784);
	CHECK_INT(ka_cli_date(&cli, "27.11.2026", 10, &d), -1);
	cli.date_format = "%d.%m.%Y";
	d = 0;
	CHECK_INT(ka_cli_date(&cli, "27.11.2026", 10, &d), 0);
	CHECK_INT(d, 20784);
	/* Built-in forms still read with --date-format given. */
	d = 0;
	CHECK_INT(ka_cli_date(&cli, "2026/11/27", 10, &d), 0);
	CHECK_INT(d, 20784);
	CHECK_INT(ka_cli_date(&cli, "27/11/2026", 10, &d), -1);

	CHECK_INT(ka_cli_is_null(&cli, "NULL", 4), 0);
	cli.null_string = "NULL";
	CHECK_INT(ka_cli_is_null(&cli, "NULL", 4), 1);
	CHECK_INT(ka_cli_is_null(&cli, "null", 4), 0);
	CHECK_INT(ka_cli_is_null(&cli, "NULLX", 5), 0);
	CHECK_INT(ka_cli_is_null(&cli, "NULLX", 4), 1);	/* length counts */
	CHECK_INT(ka_cli_is_null(&cli, "", 0), 0);
	cli.null_string = "";
	CHECK_INT(ka_cli_is_null(&cli, "", 0), 1);
	CHECK_INT(ka_cli_is_null(&cli, "-", 1), 0);
	done(&cli);
}

static void
test_common_help_lists_every_option(void)
{
	static const char *const expected[] = { "-d, --delimiter",
		"-t, --tab", "-H, --no-header", "--encoding", "--col",
		"-w, --where", "--decimal-comma", "--date-format", "--null",
		"--as-of", "--lenient", "--rejects", "-o, --output",
		"-O, --output-format", "--no-progress", "-h, --help",
		"-V, --version", NULL };
	const struct option *o;
	char long_name[64];
	size_t i;

	for (i = 0; expected[i] != NULL; i++)
		if (strstr(ka_cli_common_help, expected[i]) == NULL) {
			printf("  help lacks \"%s\"\n", expected[i]);
			check_failures++;
		}
	/* And every long option of the table is in the help. */
	for (o = long_options; o->name != NULL; o++) {
		if (strcmp(o->name, "top") == 0)
			continue;
		snprintf(long_name, sizeof(long_name), "--%s ", o->name);
		if (strstr(ka_cli_common_help, long_name) == NULL) {
			printf("  help lacks \"%s\"\n", long_name);
			check_failures++;
		}
	}
}

static void
remove_folder(void)
{
	DIR *d = opendir(folder);
	struct dirent *e;
	char path[600];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", folder, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(folder);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(folder, sizeof(folder), "%s/test_cli.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(folder) == NULL) {
		perror(folder);
		return 1;
	}
	RUN(test_defaults);
	RUN(test_delimiter);
	RUN(test_bad_delimiters_exit_2);
	RUN(test_simple_flags_and_values);
	RUN(test_output_formats);
	RUN(test_where);
	RUN(test_col);
	RUN(test_bad_as_of);
	RUN(test_help_version_and_getopt_errors);
	RUN(test_next_option);
	RUN(test_next_option_unknown_exits_2);
	RUN(test_output_format_precedence);
	RUN(test_open_resolves_roles_and_filters);
	RUN(test_open_failures);
	RUN(test_date_and_null);
	RUN(test_common_help_lists_every_option);
	remove_folder();
	return CHECK_EXIT();
}
