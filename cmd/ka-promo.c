/*
 * ka-promo: promotions designed per account, and measured honestly.
 * `evaluate` gives, per promotion and account, the actual sales in the
 * window against a stated baseline (the weeks before, the same weeks a
 * year earlier scaled by the trend, or similar accounts without the
 * promotion), the lift, the dip after it, the net effect and the ROI,
 * each with the method that produced it.  `history` sums that up per
 * account and mechanic.  The engine is common/ka_promo.c.
 */
#define _POSIX_C_SOURCE 200809L	/* sysconf */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_msg.h"
#include "ka_promo.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_PROMOS = KA_OPT_PROGRAM,
	OPT_ACCOUNTS,
	OPT_BASELINE,
	OPT_WEEKS,
	OPT_POST_WEEKS,
	OPT_MIN_CONTROL,
	OPT_PERIOD,
	OPT_MARGIN_PCT,
	OPT_OFF_INVOICE,
	OPT_BY,
	OPT_FAIL_ON
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "promos",	 required_argument, NULL, 'p' },
	{ "accounts",	 required_argument, NULL, 'a' },
	{ "baseline",	 required_argument, NULL, 'b' },
	{ "weeks",	 required_argument, NULL, OPT_WEEKS },
	{ "post-weeks",	 required_argument, NULL, OPT_POST_WEEKS },
	{ "min-control", required_argument, NULL, OPT_MIN_CONTROL },
	{ "period",	 required_argument, NULL, OPT_PERIOD },
	{ "margin-pct",	 required_argument, NULL, OPT_MARGIN_PCT },
	{ "off-invoice", no_argument,	    NULL, OPT_OFF_INVOICE },
	{ "by",		 required_argument, NULL, OPT_BY },
	{ "fail-on",	 required_argument, NULL, OPT_FAIL_ON },
	{ "jobs",	 required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

#define MAX_ACCOUNTS_FILES 8

enum command { EVALUATE, HISTORY };

struct options {
	struct ka_cli	 cli;
	struct ka_promo_config config;
	enum command	 command;
	const char	*promos;
	const char	*accounts[MAX_ACCOUNTS_FILES];
	int		 naccounts;
	const char	*period;
	const char	*by_text;
	unsigned	 by;
	unsigned	 fail_on;
	int		 jobs;		/* pieces of a large file at once */
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-promo evaluate -p FILE [-a FILE] [-b pre|yoy|control] [--weeks N]\n"
"                [--post-weeks N] [--min-control N] [--period P]\n"
"                [--margin-pct P] [--off-invoice] [--fail-on FLAG,...]\n"
"                [-j N] [options] [FILE...]\n"
"       ka-promo history -p FILE [--by LIST] [the same options] [FILE...]\n"
"\n"
"Measures promotions per account against the sales in FILE: actual sales\n"
"in the window against a stated baseline, the lift, the dip after it, the\n"
"net effect and the ROI.  history sums that up per account and mechanic.\n"
"\n"
"  -p, --promos FILE      the promotions: promo_id, customer_id (an id, all\n"
"                         or tier:LABEL), scope (all, sku:X, category:X),\n"
"                         start, end; optional mechanic, discount_pct, cost\n"
"  -a, --accounts FILE    customer_id with customer, tier, region (ka-rank's\n"
"                         output, an accounts master); repeatable\n"
"  -b, --baseline B       pre (default): the weeks before the window; yoy:\n"
"                         the window a year earlier x the account's trend;\n"
"                         control: the weeks before x the change of similar\n"
"                         accounts without a promotion\n"
"      --weeks N          baseline weeks (default 8)\n"
"      --post-weeks N     weeks after the window for the dip (default: N)\n"
"      --min-control N    control accounts needed (default 3)\n"
"      --period P         only promotions that end in P (2026-Q3, ytd, ...)\n"
"      --margin-pct P     margin as P%% of amount where no cost is known\n"
"      --off-invoice      discounts are not in the amounts: take discount_pct\n"
"                         of the window's revenue off the margin\n"
"      --by LIST          history: customer,mechanic (default), scope, tier\n"
"      --fail-on FLAG,... exit 3 when a row has a flag: negative-roi,\n"
"                         dip-exceeds-lift, too-short-baseline, no-baseline,\n"
"                         short-post, overlap, nested-overlap, yoy-promoted\n"
"  -j, --jobs N           read a large file in N pieces at once (default:\n"
"                         the number of processors)\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

static int
count_argument(const struct options *o, const char *option, const char *arg,
    int low, int high)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n < low || n > high)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a whole "
		    "number from %d to %d", option, arg, low, high);
	return (int)n;
}

static void
parse_fail_on(struct options *o, const char *arg)
{
	const char *s = arg;

	while (*s != '\0') {
		const char *end = strchr(s, ',');
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);
		unsigned flag = ka_promo_flag_from_name(s, n);

		if (flag == 0)
			ka_cli_usage_error(&o->cli, "bad --fail-on \"%s\": "
			    "flags are negative-roi, dip-exceeds-lift, "
			    "too-short-baseline, no-baseline, short-post, "
			    "overlap, nested-overlap, yoy-promoted", arg);
		o->fail_on |= flag;
		if (end == NULL)
			break;
		s = end + 1;
	}
	if (o->fail_on == 0)
		ka_cli_usage_error(&o->cli, "bad --fail-on \"%s\": name a "
		    "flag", arg);
}

static void
parse_options(struct options *o, int argc, char *argv[])
{
	char error[512];
	ka_dec value;
	int opt, baseline;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-promo", usage);
	ka_promo_config_init(&o->config);
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (argc < 2)
		ka_cli_usage_error(&o->cli, "missing command: evaluate or "
		    "history");
	if (strcmp(argv[1], "evaluate") == 0)
		o->command = EVALUATE;
	else if (strcmp(argv[1], "history") == 0)
		o->command = HISTORY;
	else if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage(KA_EXIT_OK);
	else if (strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "--version") == 0)
		ka_cli_version();
	else
		ka_cli_usage_error(&o->cli, "unknown command \"%s\": expected "
		    "evaluate or history", argv[1]);
	while ((opt = ka_cli_next_option(&o->cli, argc - 1, argv + 1,
	    KA_COMMON_SHORT "p:a:b:j:", long_options)) != -1) {
		switch (opt) {
		case 'p':
			o->promos = optarg;
			break;
		case 'a':
			if (o->naccounts == MAX_ACCOUNTS_FILES)
				ka_cli_usage_error(&o->cli, "at most %d "
				    "--accounts files", MAX_ACCOUNTS_FILES);
			o->accounts[o->naccounts++] = optarg;
			break;
		case 'b':
			if ((baseline = ka_promo_parse_baseline(optarg)) < 0)
				ka_cli_usage_error(&o->cli, "bad --baseline "
				    "\"%s\": expected pre, yoy or control",
				    optarg);
			o->config.baseline = (enum ka_promo_baseline)baseline;
			break;
		case OPT_WEEKS:
			o->config.weeks = count_argument(o, "--weeks", optarg,
			    1, 104);
			break;
		case OPT_POST_WEEKS:
			o->config.post_weeks = count_argument(o,
			    "--post-weeks", optarg, 0, 104);
			break;
		case OPT_MIN_CONTROL:
			o->config.min_control = count_argument(o,
			    "--min-control", optarg, 1, 1000000);
			break;
		case OPT_PERIOD:
			o->period = optarg;
			break;
		case OPT_MARGIN_PCT:
			if (ka_dec_parse(optarg, strlen(optarg), 0, &value) !=
			    KA_DEC_OK || value < -100 * KA_DEC_SCALE ||
			    value > 100 * KA_DEC_SCALE)
				ka_cli_usage_error(&o->cli, "bad --margin-pct "
				    "\"%s\": expected a percent from -100 to "
				    "100", optarg);
			o->config.has_margin_pct = 1;
			o->config.margin_pct = value;
			break;
		case OPT_OFF_INVOICE:
			o->config.off_invoice = 1;
			break;
		case OPT_BY:
			o->by_text = optarg;
			break;
		case OPT_FAIL_ON:
			parse_fail_on(o, optarg);
			break;
		case 'j':
			o->jobs = count_argument(o, "--jobs", optarg, 1, 1024);
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	optind++;	/* past the command */
	if (o->promos == NULL)
		ka_cli_usage_error(&o->cli, "no promotions: give -p FILE");
	if (o->by_text != NULL && o->command != HISTORY)
		ka_cli_usage_error(&o->cli, "--by is for history");
	if (o->command == HISTORY && ka_promo_parse_by(o->by_text != NULL ?
	    o->by_text : "customer,mechanic", &o->by, error,
	    sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "%s", error);
	if (o->config.post_weeks < 0)
		o->config.post_weeks = o->config.weeks;
	if (o->period != NULL) {
		if (ka_period_parse(o->period, o->cli.as_of,
		    &o->config.period, error, sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "--period: %s", error);
		o->config.has_period = 1;
	}
	if (o->cli.rejects != NULL && !o->cli.lenient)
		ka_cli_usage_error(&o->cli, "--rejects needs --lenient");
	if (strcmp(o->promos, "-") == 0 && optind >= argc)
		ka_cli_usage_error(&o->cli, "the promotions and the sales "
		    "cannot both come from standard input");
	o->config.history = o->command == HISTORY;
	o->config.decimal_comma = o->cli.decimal_comma;
	o->config.date_format = o->cli.date_format;
	o->config.null_string = o->cli.null_string;
	o->config.filter = o->cli.filter;
	o->config.reconcile = o->cli.lenient;
}

/* ---- processing ---- */

/* The small files: UTF-8 (or UTF-16 by BOM), delimiter by name or sniffed. */
static struct ka_reader_options
small_file_options(void)
{
	struct ka_reader_options read;

	memset(&read, 0, sizeof(read));
	return read;
}

static _Noreturn void
fail(int status, const char *error)
{
	if (error[0] == '\0')
		exit(status);
	ka_die(status, "%s", error);
}

static void
load_files(struct options *o, ka_promo *promo)
{
	struct ka_reader_options read = small_file_options();
	char error[2048];
	int i, status;

	for (i = 0; i < o->naccounts; i++)
		if ((status = ka_promo_load_accounts(promo, o->accounts[i],
		    &read, error, sizeof(error))) != 0)
			fail(status, error);
	if ((status = ka_promo_load(promo, o->promos, &read, error,
	    sizeof(error))) != 0)
		fail(status, error);
}

static void
reject(const struct options *o, ka_promo *promo, struct ka_rejects *rejects,
    const ka_record *rec, size_t column, const char *reason)
{
	ka_rejects_bad_row(rejects, o->cli.lenient, rec, column, reason);
	ka_promo_reject(promo, rec);
}

static void
read_sales(const struct options *o, ka_promo *promo, ka_reader *reader,
    struct ka_rejects *rejects)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			reject(o, promo, rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			continue;
		}
		switch (ka_promo_add(promo, &rec)) {
		case KA_PROMO_BAD:
			reject(o, promo, rejects, &rec,
			    ka_promo_error_column(promo),
			    ka_promo_error(promo));
			break;
		case KA_PROMO_FATAL:
			ka_die(KA_EXIT_DATA, "%s", ka_promo_error(promo));
		default:
			break;
		}
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
}

/* --fail-on: one line per flagged row on stderr; 1 when any. */
static int
alert(const struct options *o, const ka_promo *promo)
{
	const struct ka_promo_row *rows;
	char flags[256];
	size_t count, i;
	int any = 0;

	if (o->fail_on == 0)
		return 0;
	rows = ka_promo_rows(promo, &count);
	for (i = 0; i < count; i++) {
		if (!(rows[i].flags & o->fail_on))
			continue;
		fprintf(stderr, "%s: %s for %s: %s\n", ka_program(),
		    rows[i].promo_id, rows[i].customer_id,
		    ka_promo_flags_text(rows[i].flags & o->fail_on, flags,
		    sizeof(flags)));
		any = 1;
	}
	return any;
}

static const char *
money(ka_dec value, char *buf)
{
	ka_dec_format(value, value % 100 == 0 ? 2 : -1, buf);
	return buf;
}

/*
 * Rows not used are never dropped silently: with --lenient, the rows
 * and the amount column reconcile, and rejected promotions are counted.
 */
static void
print_counts(const struct options *o, const ka_promo *promo,
    const struct ka_rejects *rejects, int has_amount)
{
	const struct ka_promo_counts *k = ka_promo_counts(promo);
	char a[KA_DEC_BUFSIZE];

	if (!o->cli.lenient)
		return;
	fprintf(stderr, "%s: rows read %lu = used %lu + not needed %lu",
	    ka_program(), k->read, k->used, k->unused);
	if (k->filtered > 0)
		fprintf(stderr, " + filtered out %lu", k->filtered);
	fprintf(stderr, " + rejected %lu\n", k->rejected);
	if (has_amount && k->overflow)
		fprintf(stderr, "%s: amount totals overflow; no "
		    "reconciliation\n", ka_program());
	else if (has_amount) {
		fprintf(stderr, "%s: amount read %s", ka_program(),
		    money(k->amount_read, a));
		fprintf(stderr, " = used %s", money(k->amount_used, a));
		fprintf(stderr, " + not needed %s", money(k->amount_unused, a));
		if (k->filtered > 0)
			fprintf(stderr, " + filtered out %s",
			    money(k->amount_filtered, a));
		fprintf(stderr, " + rejected %s", money(k->amount_rejected, a));
		if (k->unreadable > 0)
			fprintf(stderr, " (%lu %s no readable amount)",
			    k->unreadable, k->unreadable == 1 ? "row has" :
			    "rows have");
		fputc('\n', stderr);
	}
	if (rejects->count > k->rejected)
		fprintf(stderr, "%s: promotions rejected %lu\n", ka_program(),
		    rejects->count - k->rejected);
}

/* ---- main ---- */

/*
 * The engine and the reader live until exit, also when a bad row ends
 * the program from deep inside: reachable from here, they are no leak.
 */
static ka_promo *engine;
static ka_reader *sales;

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	ka_writer *writer;
	enum ka_role missing;
	char error[2048];
	int status, alerted;

	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects : NULL);
	if (o.cli.lenient)
		o.config.rejects = &rejects;
	engine = ka_promo_new(&o.config);
	load_files(&o, engine);
	sales = ka_cli_open(&o.cli, argc - optind, argv + optind);
	if (ka_promo_bind(engine, ka_reader_header(sales), &o.cli.roles,
	    &missing) < 0)
		ka_roles_require(&o.cli.roles, ka_reader_header(sales),
		    missing);
	/* One large file: in pieces on every core, when it can be. */
	if (argc - optind != 1 || strcmp(argv[optind], "-") == 0 ||
	    !ka_promo_add_file(engine, argv[optind], &o.cli.read,
	    ka_reader_delimiter(sales), o.jobs))
		read_sales(&o, engine, sales, &rejects);
	if ((status = ka_promo_finish(engine, error, sizeof(error))) != 0)
		ka_die(status, "%s", error);
	writer = ka_writer_open(o.cli.output, ka_cli_output_format(&o.cli,
	    sales));
	if (o.command == EVALUATE)
		ka_promo_write_evaluate(engine, writer);
	else
		ka_promo_write_history(engine, writer, o.by);
	ka_writer_close(writer);
	ka_rejects_close(&rejects);
	print_counts(&o, engine, &rejects,
	    o.cli.roles.column[KA_ROLE_AMOUNT] >= 0);
	alerted = alert(&o, engine);
	ka_reader_close(sales);
	ka_promo_free(engine);
	ka_filter_free(o.cli.filter);
	return alerted ? KA_EXIT_ALERT : KA_EXIT_OK;
}
