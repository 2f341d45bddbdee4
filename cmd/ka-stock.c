/*
 * ka-stock: supply key accounts first.  Forecasts each key account's
 * demand from the sales history (forecast), allocates scarce stock by
 * priority instead of first come, first served (allocate), and checks
 * the coming peak season against stock and incoming shipments (check).
 * The engine is common/ka_stock.c, the methods common/ka_forecast.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_forecast.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_stock.h"
#include "ka_writer.h"

/* ---- options ---- */

enum command { CMD_FORECAST, CMD_ALLOCATE, CMD_CHECK };

enum {
	OPT_HORIZON = KA_OPT_PROGRAM,
	OPT_BY,
	OPT_METHOD,
	OPT_UNIT,
	OPT_HISTORY,
	OPT_ACCOUNTS,
	OPT_KEY,
	OPT_STOCK,
	OPT_ORDERS,
	OPT_STRATEGY,
	OPT_RESERVE,
	OPT_AUDIT,
	OPT_PEAK,
	OPT_LEAD,
	OPT_FAIL_ON
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "horizon",	required_argument, NULL, OPT_HORIZON },
	{ "by",		required_argument, NULL, OPT_BY },
	{ "method",	required_argument, NULL, OPT_METHOD },
	{ "unit",	required_argument, NULL, OPT_UNIT },
	{ "history",	required_argument, NULL, OPT_HISTORY },
	{ "accounts",	required_argument, NULL, OPT_ACCOUNTS },
	{ "key",	required_argument, NULL, OPT_KEY },
	{ "stock",	required_argument, NULL, OPT_STOCK },
	{ "orders",	required_argument, NULL, OPT_ORDERS },
	{ "strategy",	required_argument, NULL, OPT_STRATEGY },
	{ "reserve",	required_argument, NULL, OPT_RESERVE },
	{ "audit",	no_argument,	   NULL, OPT_AUDIT },
	{ "peak",	required_argument, NULL, OPT_PEAK },
	{ "lead",	required_argument, NULL, OPT_LEAD },
	{ "fail-on",	required_argument, NULL, OPT_FAIL_ON },
	{ NULL, 0, NULL, 0 }
};

#define MAX_STOCK_FILES 32

struct options {
	struct ka_cli	 cli;
	enum command	 command;
	struct ka_stock_config config;
	struct ka_stock_plan plan;
	const char	*horizon, *history, *unit, *accounts, *key, *orders;
	const char	*stock[MAX_STOCK_FILES];
	size_t		 nstock;
	const char	*strategy, *reserve, *peak, *lead;
	enum ka_stock_by by;
	int		 by_given, method_given, audit, fail_on_shortage;
	size_t		 periods;	/* forecast: --horizon in periods */
	int		 lead_days;
	ka_period	 peak_period;
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-stock forecast [--horizon N[w|m]] [--by customer,sku|sku|category]\n"
"                [--method M] [--accounts FILE [--key TIERS]] [options] [FILE...]\n"
"       ka-stock allocate --stock FILE... --accounts FILE [--orders FILE]\n"
"                [--strategy S] [--reserve TIER:PCT,...] [--horizon N[d|w|m]]\n"
"                [--audit] [options] [FILE...]\n"
"       ka-stock check --peak PERIOD --stock FILE... --accounts FILE\n"
"                [--lead N[d|w]] [--key TIERS] [--fail-on shortage]\n"
"                [options] [FILE...]\n"
"\n"
"Forecasts key accounts' demand from the sales history (FILE), gives\n"
"scarce stock to them first, and checks the coming peak season.\n"
"\n"
"Forecasting (every subcommand):\n"
"  --horizon N[w|m]       periods ahead (forecast, default 12w) or the\n"
"                         window to allocate for (allocate, default 4w)\n"
"  --unit week|month      periods of the history and the forecast (week)\n"
"  --history N[w|m|y]     history used (default 3y)\n"
"  --method M             auto (default), snaive, ses, hw-add, hw-mul,\n"
"                         croston, sba or tsb\n"
"  --by KEYS              forecast series: customer,sku (default), sku or\n"
"                         category\n"
"Accounts and stock:\n"
"  --accounts FILE        ka-rank output: customer_id, tier, rank\n"
"  --key TIERS            the key accounts' tiers, e.g. A or A,B (default:\n"
"                         the best tier)\n"
"  --stock FILE           sku, on_hand, incoming, arrival, safety_stock\n"
"                         (repeatable)\n"
"  --orders FILE          open orders: customer_id, sku, qty, requested\n"
"Allocation:\n"
"  --strategy S           priority (default), prorata, fair or reserve\n"
"  --reserve TIER:PCT,... the share of each sku kept for a tier (reserve)\n"
"  --audit                what each tier and account got against first\n"
"                         come, first served\n"
"Peak check:\n"
"  --peak PERIOD          the peak: 2026-12, 2026-W50, 2026-12-01..2026-12-24\n"
"  --lead N[d|w]          supplier lead time (default 0)\n"
"  --fail-on shortage     exit 3 when a key account will be short\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

/* "12w" -> 12 and 'w'; a bare number gives unit 0.  -1 when bad. */
static long
parse_span(const char *text, const char *units, char *unit)
{
	char *end;
	long n;

	errno = 0;
	if (text[0] < '0' || text[0] > '9')
		return -1;
	n = strtol(text, &end, 10);
	if (errno != 0 || n <= 0 || n > 100000)
		return -1;
	if (*end == '\0') {
		*unit = 0;
		return n;
	}
	if (end[1] != '\0' || strchr(units, *end) == NULL)
		return -1;
	*unit = *end;
	return n;
}

static void
parse_unit(struct options *o)
{
	char letter = 0;
	long n;

	if (o->unit != NULL) {
		if (strcmp(o->unit, "week") == 0)
			o->config.unit = KA_STOCK_WEEK;
		else if (strcmp(o->unit, "month") == 0)
			o->config.unit = KA_STOCK_MONTH;
		else
			ka_cli_usage_error(&o->cli, "bad --unit \"%s\" (week, "
			    "month)", o->unit);
	}
	if (o->horizon == NULL)
		o->horizon = o->command == CMD_FORECAST ? "12w" : "4w";
	n = parse_span(o->horizon, o->command == CMD_FORECAST ? "wm" : "dwm",
	    &letter);
	if (n < 0 || n > 520)
		ka_cli_usage_error(&o->cli, "bad --horizon \"%s\": expected a "
		    "number of %s (like 12w%s), at most 520", o->horizon,
		    o->command == CMD_FORECAST ? "weeks or months" :
		    "days, weeks or months", o->command == CMD_FORECAST ?
		    " or 6m" : ", 30d or 2m");
	if (o->command == CMD_FORECAST && letter != 0) {
		enum ka_stock_unit u = letter == 'w' ? KA_STOCK_WEEK :
		    KA_STOCK_MONTH;

		if (o->unit != NULL && u != o->config.unit)
			ka_cli_usage_error(&o->cli, "--horizon %s is in %s but "
			    "--unit is %s", o->horizon, letter == 'w' ?
			    "weeks" : "months", o->unit);
		o->config.unit = u;
	}
	o->periods = (size_t)n;
	if (o->command == CMD_ALLOCATE) {
		ka_date as_of = o->cli.as_of;

		o->plan.until = letter == 'm' ?
		    ka_date_add_months(as_of, (int)n) :
		    as_of + (ka_date)(letter == 'd' ? n : 7 * n);
	}
}

static void
parse_history(struct options *o)
{
	char letter = 0;
	long n;

	if (o->history == NULL)
		return;
	n = parse_span(o->history, "wmy", &letter);
	if (n < 0 || (letter == 'w' && o->config.unit != KA_STOCK_WEEK) ||
	    (letter == 'm' && o->config.unit != KA_STOCK_MONTH))
		ka_cli_usage_error(&o->cli, "bad --history \"%s\": expected "
		    "years (3y) or a number of %s (%s)", o->history,
		    o->config.unit == KA_STOCK_WEEK ? "weeks" : "months",
		    o->config.unit == KA_STOCK_WEEK ? "156w" : "36m");
	if (letter == 'y')
		n *= o->config.unit == KA_STOCK_WEEK ? 52 : 12;
	if (n > 5200)
		ka_cli_usage_error(&o->cli, "bad --history \"%s\": at most "
		    "100 years", o->history);
	o->config.history = (size_t)n;
}

/* Options that belong to other subcommands are usage errors. */
static void
only_for(const struct options *o, int given, const char *option,
    const char *commands)
{
	if (given)
		ka_cli_usage_error(&o->cli, "%s is for %s", option, commands);
}

static void
check_options(struct options *o, int nfiles)
{
	char error[512];
	int forecast = o->command == CMD_FORECAST;
	int allocate = o->command == CMD_ALLOCATE;
	int check = o->command == CMD_CHECK;

	only_for(o, o->by_given && !forecast, "--by", "forecast");
	only_for(o, o->nstock > 0 && forecast, "--stock", "allocate and "
	    "check");
	only_for(o, o->orders != NULL && !allocate, "--orders", "allocate");
	only_for(o, o->audit && !allocate, "--audit", "allocate");
	only_for(o, o->peak != NULL && !check, "--peak", "check");
	only_for(o, o->lead != NULL && !check, "--lead", "check");
	only_for(o, o->fail_on_shortage && !check, "--fail-on", "check");
	only_for(o, (o->strategy != NULL || o->reserve != NULL) && forecast,
	    "--strategy", "allocate and check");
	only_for(o, o->horizon != NULL && check, "--horizon", "forecast and "
	    "allocate (check runs to the end of --peak)");
	only_for(o, o->key != NULL && allocate, "--key", "forecast and "
	    "check (allocate serves every tier)");
	if (o->key != NULL && o->accounts == NULL)
		ka_cli_usage_error(&o->cli, "--key needs --accounts FILE");
	if (!forecast && o->accounts == NULL)
		ka_cli_usage_error(&o->cli, "%s needs --accounts FILE (ka-rank "
		    "output) for the priorities", allocate ? "allocate" :
		    "check");
	if (!forecast && o->nstock == 0)
		ka_cli_usage_error(&o->cli, "%s needs --stock FILE", allocate ?
		    "allocate" : "check");
	if (check && o->peak == NULL)
		ka_cli_usage_error(&o->cli, "check needs --peak PERIOD");
	if (allocate && o->orders != NULL && nfiles > 0)
		ka_cli_usage_error(&o->cli, "allocate --orders allocates the "
		    "open orders and reads no sales history; drop the FILE "
		    "operands");
	if (o->method_given && allocate && o->orders != NULL)
		ka_cli_usage_error(&o->cli, "--method has nothing to forecast "
		    "with --orders");
	parse_unit(o);
	parse_history(o);
	o->config.as_of = o->cli.as_of;
	o->config.decimal_comma = o->cli.decimal_comma;
	o->config.date_format = o->cli.date_format;
	o->config.null_string = o->cli.null_string;
	o->config.filter = o->cli.filter;
	if (o->strategy != NULL) {
		const char *s = o->strategy;
		int n;

		/* "reserve A:60,B:30" in one argument is --reserve too. */
		if (strncmp(s, "reserve", 7) == 0 && (s[7] == ' ' ||
		    s[7] == '=' || s[7] == ':')) {
			if (o->reserve != NULL)
				ka_cli_usage_error(&o->cli, "give the reserve "
				    "shares once");
			o->reserve = s + 8;
			s = "reserve";
		}
		if ((n = ka_stock_strategy_parse(s)) < 0)
			ka_cli_usage_error(&o->cli, "bad --strategy \"%s\" "
			    "(priority, prorata, fair, reserve)", o->strategy);
		o->plan.strategy = (enum ka_stock_strategy)n;
	}
	if (o->reserve != NULL && o->strategy == NULL)
		o->plan.strategy = KA_STOCK_RESERVE;
	if (o->plan.strategy == KA_STOCK_RESERVE && o->reserve == NULL)
		ka_cli_usage_error(&o->cli, "--strategy reserve needs the "
		    "shares: --reserve A:60,B:30");
	if (o->reserve != NULL && o->plan.strategy != KA_STOCK_RESERVE)
		ka_cli_usage_error(&o->cli, "--reserve goes with --strategy "
		    "reserve");
	if (check) {
		if (ka_period_parse(o->peak, o->cli.as_of, &o->peak_period,
		    error, sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "--peak: %s", error);
		if (o->peak_period.last <= o->cli.as_of) {
			char day[KA_DATE_BUFSIZE];

			ka_date_format(o->cli.as_of, day);
			ka_cli_usage_error(&o->cli, "--peak %s is over by %s "
			    "(--as-of)", o->peak, day);
		}
		if (o->lead != NULL) {
			char letter = 0;
			long n = parse_span(o->lead, "dw", &letter);

			if (n < 0 || n > 3650)
				ka_cli_usage_error(&o->cli, "bad --lead \"%s\": "
				    "expected days or weeks (10d, 3w)",
				    o->lead);
			o->lead_days = (int)(letter == 'w' ? 7 * n : n);
		}
	}
	o->plan.audit = o->audit;
}

static enum command
parse_command(int argc, char *argv[])
{
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0))
			usage(KA_EXIT_OK);
		if (argc >= 2 && (strcmp(argv[1], "-V") == 0 ||
		    strcmp(argv[1], "--version") == 0))
			ka_cli_version();
		fprintf(stderr, "%s: give a subcommand: forecast, allocate or "
		    "check\n", ka_program());
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    ka_program());
		exit(KA_EXIT_USAGE);
	}
	if (strcmp(argv[1], "forecast") == 0)
		return CMD_FORECAST;
	if (strcmp(argv[1], "allocate") == 0)
		return CMD_ALLOCATE;
	if (strcmp(argv[1], "check") == 0)
		return CMD_CHECK;
	fprintf(stderr, "%s: unknown subcommand \"%s\" (forecast, allocate, "
	    "check)\n", ka_program(), argv[1]);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    ka_program());
	exit(KA_EXIT_USAGE);
}

static void
parse_options(struct options *o, int argc, char *argv[])
{
	int opt, m;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-stock", usage);
	ka_stock_config_init(&o->config);
	o->command = parse_command(argc, argv);
	o->plan.strategy = KA_STOCK_PRIORITY;
	/* getopt sees the subcommand as the program name. */
	argv[1] = argv[0];
	while ((opt = ka_cli_next_option(&o->cli, argc - 1, argv + 1,
	    KA_COMMON_SHORT, long_options)) != -1) {
		switch (opt) {
		case OPT_HORIZON:
			o->horizon = optarg;
			break;
		case OPT_BY:
			o->by_given = 1;
			if (strcmp(optarg, "customer,sku") == 0 ||
			    strcmp(optarg, "customer_id,sku") == 0)
				o->by = KA_STOCK_BY_CUSTOMER_SKU;
			else if (strcmp(optarg, "sku") == 0)
				o->by = KA_STOCK_BY_SKU;
			else if (strcmp(optarg, "category") == 0)
				o->by = KA_STOCK_BY_CATEGORY;
			else
				ka_cli_usage_error(&o->cli, "bad --by \"%s\" "
				    "(customer,sku, sku, category)", optarg);
			break;
		case OPT_METHOD:
			m = ka_fc_method_parse(optarg);
			if (m < 0 || m == KA_FC_ZERO)
				ka_cli_usage_error(&o->cli, "bad --method \"%s\" "
				    "(auto, snaive, ses, hw-add, hw-mul, "
				    "croston, sba, tsb)", optarg);
			o->config.method = (enum ka_fc_method)m;
			o->method_given = 1;
			break;
		case OPT_UNIT:
			o->unit = optarg;
			break;
		case OPT_HISTORY:
			o->history = optarg;
			break;
		case OPT_ACCOUNTS:
			o->accounts = optarg;
			break;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_STOCK:
			if (o->nstock == MAX_STOCK_FILES)
				ka_cli_usage_error(&o->cli, "at most %d --stock "
				    "files", MAX_STOCK_FILES);
			o->stock[o->nstock++] = optarg;
			break;
		case OPT_ORDERS:
			o->orders = optarg;
			break;
		case OPT_STRATEGY:
			o->strategy = optarg;
			break;
		case OPT_RESERVE:
			o->reserve = optarg;
			break;
		case OPT_AUDIT:
			o->audit = 1;
			break;
		case OPT_PEAK:
			o->peak = optarg;
			break;
		case OPT_LEAD:
			o->lead = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "shortage") != 0)
				ka_cli_usage_error(&o->cli, "bad --fail-on \"%s\" "
				    "(shortage)", optarg);
			o->fail_on_shortage = 1;
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	/* optind counts from argv + 1. */
	optind++;
	check_options(o, argc - optind);
}

/* ---- processing ---- */

static void
reject(const struct options *o, ka_stock *stock, struct ka_rejects *rejects,
    const ka_record *rec, size_t column, const char *reason)
{
	ka_rejects_bad_row(rejects, o->cli.lenient, rec, column, reason);
	ka_stock_reject(stock, rec);
}

static void
read_sales(const struct options *o, ka_stock *stock, ka_reader *reader,
    struct ka_rejects *rejects)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			reject(o, stock, rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			continue;
		}
		switch (ka_stock_add(stock, &rec)) {
		case KA_STOCK_BAD:
			reject(o, stock, rejects, &rec,
			    ka_stock_error_column(stock),
			    ka_stock_error(stock));
			break;
		case KA_STOCK_FATAL:
			ka_die(KA_EXIT_DATA, "%s", ka_stock_error(stock));
		case KA_STOCK_UNASSIGNED:
			if (o->cli.lenient)
				ka_rejects_add(rejects, &rec,
				    ka_stock_error_column(stock),
				    ka_stock_error(stock));
			break;
		default:
			break;
		}
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
}

static const char *
qty_text(const struct ka_stock_tally *t, char *buf)
{
	ka_dec_format(t->qty, -1, buf);
	return buf;
}

/* Rows not used are never dropped silently. */
static void
print_counts(const struct options *o, const ka_stock *stock)
{
	const struct ka_stock_counts *k = ka_stock_counts(stock);
	char a[KA_DEC_BUFSIZE];

	if (k->unassigned.rows > 0)
		fprintf(stderr, "%s: %lu %s with no customer_id or sku %s not "
		    "used (qty %s)\n", ka_program(), k->unassigned.rows,
		    k->unassigned.rows == 1 ? "row" : "rows",
		    k->unassigned.rows == 1 ? "was" : "were",
		    k->unassigned.overflow ? "too large to show" :
		    qty_text(&k->unassigned, a));
	if (!o->cli.lenient && k->rejected.rows == 0)
		return;
	fprintf(stderr, "%s: rows read %lu = used %lu", ka_program(),
	    k->read.rows, k->used.rows);
	if (k->outside.rows > 0)
		fprintf(stderr, " + outside the history %lu", k->outside.rows);
	if (k->filtered.rows > 0)
		fprintf(stderr, " + filtered out %lu", k->filtered.rows);
	if (k->unassigned.rows > 0)
		fprintf(stderr, " + no customer_id or sku %lu",
		    k->unassigned.rows);
	fprintf(stderr, " + rejected %lu\n", k->rejected.rows);
	if (k->read.overflow || k->used.overflow || k->outside.overflow ||
	    k->filtered.overflow || k->unassigned.overflow ||
	    k->rejected.overflow) {
		fprintf(stderr, "%s: qty totals overflow; no reconciliation\n",
		    ka_program());
		return;
	}
	fprintf(stderr, "%s: qty read %s", ka_program(), qty_text(&k->read, a));
	fprintf(stderr, " = used %s", qty_text(&k->used, a));
	if (k->outside.rows > 0)
		fprintf(stderr, " + outside the history %s",
		    qty_text(&k->outside, a));
	if (k->filtered.rows > 0)
		fprintf(stderr, " + filtered out %s",
		    qty_text(&k->filtered, a));
	if (k->unassigned.rows > 0)
		fprintf(stderr, " + no customer_id or sku %s",
		    qty_text(&k->unassigned, a));
	fprintf(stderr, " + rejected %s", qty_text(&k->rejected, a));
	if (k->read.unreadable > 0)
		fprintf(stderr, " (%lu %s no readable qty)", k->read.unreadable,
		    k->read.unreadable == 1 ? "row has" : "rows have");
	fputc('\n', stderr);
}

static void
side_failed(int status, const char *error)
{
	if (error[0] == '\0')
		exit(status);	/* the reader has said why */
	ka_die(status, "%s", error);
}

static void
load_side_files(struct options *o, ka_stock *stock)
{
	struct ka_reader_options read = o->cli.read;
	char error[1400];
	size_t i;
	int status;

	/* Stock, accounts and orders files are UTF-8 (or UTF-16 with a
	   byte-order mark); --encoding is for the sales export. */
	read.encoding = NULL;
	if (o->accounts != NULL) {
		if ((status = ka_stock_load_accounts(stock, o->accounts, &read,
		    error, sizeof(error))) != 0)
			side_failed(status, error);
		if (o->key != NULL && ka_stock_set_key_tiers(stock, o->key,
		    error, sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "%s", error);
	}
	for (i = 0; i < o->nstock; i++)
		if ((status = ka_stock_load_stock(stock, o->stock[i], &read,
		    error, sizeof(error))) != 0)
			side_failed(status, error);
	if (o->orders != NULL &&
	    (status = ka_stock_load_orders(stock, o->orders, &read, error,
	    sizeof(error))) != 0)
		side_failed(status, error);
	if (o->reserve != NULL && ka_stock_parse_reserve(stock, o->reserve,
	    &o->plan, error, sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "%s", error);
}

static void
print_notes(const ka_stock *stock)
{
	const char **lines;
	size_t i, n = ka_stock_notes(stock, &lines);

	for (i = 0; i < n; i++)
		ka_warn("%s", lines[i]);
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	ka_reader *reader = NULL;
	ka_writer *writer;
	ka_stock *stock;
	enum ka_role missing;
	enum ka_format format;
	char error[1400];
	size_t shortages = 0;

	signal(SIGPIPE, SIG_IGN);
	ka_set_program("ka-stock");
	parse_options(&o, argc, argv);
	stock = ka_stock_new(&o.config);
	ka_rejects_open(&rejects, NULL);
	if (!(o.command == CMD_ALLOCATE && o.orders != NULL)) {
		reader = ka_cli_open(&o.cli, argc - optind, argv + optind);
		if (ka_stock_bind(stock, ka_reader_header(reader),
		    &o.cli.roles, &missing) < 0)
			ka_roles_require(&o.cli.roles,
			    ka_reader_header(reader), missing);
		ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects :
		    NULL);
		read_sales(&o, stock, reader, &rejects);
	}
	load_side_files(&o, stock);

	switch (o.command) {
	case CMD_ALLOCATE:
		if (ka_stock_allocate(stock, &o.plan, error,
		    sizeof(error)) < 0)
			ka_die(KA_EXIT_DATA, "%s", error);
		break;
	case CMD_CHECK:
		if (ka_stock_check(stock, &o.peak_period, o.lead_days,
		    &o.plan, error, sizeof(error)) < 0)
			ka_die(KA_EXIT_USAGE, "%s", error);
		ka_stock_shortages(stock, &shortages);
		break;
	default:
		break;
	}
	format = o.cli.output_format;
	if (format == KA_FORMAT_NONE)
		format = ka_format_from_name(o.cli.output);
	if (format == KA_FORMAT_NONE)
		format = reader != NULL ? ka_cli_output_format(&o.cli, reader) :
		    KA_FORMAT_CSV;
	writer = ka_writer_open(o.cli.output, format);
	switch (o.command) {
	case CMD_FORECAST:
		if (ka_stock_write_forecast(stock, o.by, o.periods,
		    writer) < 0)
			ka_die(KA_EXIT_DATA, "out of memory");
		break;
	case CMD_ALLOCATE:
		if (o.audit)
			ka_stock_write_audit(stock, writer);
		else
			ka_stock_write_allocation(stock, writer);
		break;
	case CMD_CHECK:
		ka_stock_write_check(stock, writer);
		break;
	}
	ka_writer_close(writer);
	ka_rejects_close(&rejects);
	print_notes(stock);
	if (reader != NULL) {
		print_counts(&o, stock);
		ka_reader_close(reader);
	}
	ka_stock_free(stock);
	ka_filter_free(o.cli.filter);
	if (o.fail_on_shortage && shortages > 0)
		return KA_EXIT_ALERT;
	return KA_EXIT_OK;
}
