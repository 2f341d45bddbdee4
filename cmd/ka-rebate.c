/*
 * ka-rebate: rebate accruals, settlements and what-ifs for key
 * accounts, from the sales export and a plain agreements file, exact
 * to the cent.  The engine is common/ka_rebate.c.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_cli.h"
#include "ka_decimal.h"
#include "ka_msg.h"
#include "ka_rebate.h"
#include "ka_rejects.h"
#include "ka_writer.h"

/* ---- options ---- */

enum subcommand { ACCRUE, SETTLE, WHATIF };

enum {
	OPT_ACCOUNTS = KA_OPT_PROGRAM,
	OPT_SETTLED,
	OPT_OVERLAP,
	OPT_PERIOD,
	OPT_AGREEMENT,
	OPT_CUSTOMER,
	OPT_BASIS,
	OPT_ADD,
	OPT_NEAR
};

#define MAX_JOBS	16

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "agreements",	required_argument, NULL, 'a' },
	{ "accounts",	required_argument, NULL, OPT_ACCOUNTS },
	{ "settled",	required_argument, NULL, OPT_SETTLED },
	{ "overlap",	required_argument, NULL, OPT_OVERLAP },
	{ "period",	required_argument, NULL, OPT_PERIOD },
	{ "agreement",	required_argument, NULL, OPT_AGREEMENT },
	{ "customer",	required_argument, NULL, OPT_CUSTOMER },
	{ "basis",	required_argument, NULL, OPT_BASIS },
	{ "add",	required_argument, NULL, OPT_ADD },
	{ "near",	required_argument, NULL, OPT_NEAR },
	{ "jobs",	required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

struct options {
	struct ka_cli	 cli;
	enum subcommand	 subcommand;
	const char	*agreements;
	const char	*accounts;
	const char	*settled;
	enum ka_rebate_overlap overlap;
	const char	*period_text;
	ka_period	 period;
	const char	*agreement;
	const char	*customer;
	const char	*basis_text, *add_text;
	ka_dec		 basis;
	const char	*near_text;
	ka_dec		 near;		/* -1: every accrual */
	int		 jobs;		/* pieces of a large file at once */
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-rebate accrue -a FILE [--accounts FILE] [--settled FILE]\n"
"                 [--overlap all|best] [--near PCT] [-j N] [options] [FILE...]\n"
"       ka-rebate settle -a FILE --period P [--accounts FILE]\n"
"                 [--settled FILE] [--overlap all|best] [-j N] [options]\n"
"                 [FILE...]\n"
"       ka-rebate whatif -a FILE --agreement ID (--basis X | --add X)\n"
"                 [--customer ID] [--accounts FILE] [-j N] [options] [FILE...]\n"
"\n"
"Rebates of key accounts from the sales (FILE) and an agreements file,\n"
"exact to the cent: the accrual to book now, settlement lines for a\n"
"closed period, and what each method would pay on the same tiers.\n"
"\n"
"  -a, --agreements FILE  the agreements (see ka-rebate(1) for the format)\n"
"      --accounts FILE    ka-rank output: the accounts an agreement on a\n"
"                         tier covers\n"
"      --settled FILE     amounts already settled (settle's own output);\n"
"                         default: what the schedule settled so far\n"
"      --overlap MODE     all (default): every agreement pays; best: of a\n"
"                         customer's agreements active on a day, only the\n"
"                         highest\n"
"      --near PCT         accrue: only accounts within PCT%% of their next\n"
"                         tier\n"
"      --period P         settle: the closed period (2026-Q3, 2026, ...)\n"
"      --agreement ID     whatif: the agreement\n"
"      --customer ID      whatif: one customer of an agreement on a tier\n"
"      --basis X          whatif: this basis instead of the one to date\n"
"      --add X            whatif: X more than the basis to date\n"
"  -j, --jobs N           read a large sales file in N pieces at once\n"
"                         (default: one per core)\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

static ka_dec
number_argument(const struct options *o, const char *option, const char *arg,
    int allow_negative)
{
	enum ka_dec_status status;
	ka_dec value;

	status = ka_dec_parse(arg, strlen(arg), 0, &value);
	if (status != KA_DEC_OK)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": %s", option, arg,
		    ka_dec_status_text(status));
	if (!allow_negative && value < 0)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": below zero",
		    option, arg);
	return value;
}

static int
jobs_argument(const struct options *o, const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || n < 1 || n > MAX_JOBS)
		ka_cli_usage_error(&o->cli, "bad --jobs \"%s\": give 1 to %d",
		    arg, MAX_JOBS);
	return (int)n;
}

static void
only_for(const struct options *o, const char *option, int allowed)
{
	static const char *const names[] = { "accrue", "settle", "whatif" };

	if (!allowed)
		ka_cli_usage_error(&o->cli, "%s does not go with %s", option,
		    names[o->subcommand]);
}

static void
parse_subcommand(struct options *o, int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (name == NULL)
		ka_cli_usage_error(&o->cli, "give a subcommand: accrue, "
		    "settle or whatif");
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
		usage(KA_EXIT_OK);
	if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0)
		ka_cli_version();
	if (strcmp(name, "accrue") == 0)
		o->subcommand = ACCRUE;
	else if (strcmp(name, "settle") == 0)
		o->subcommand = SETTLE;
	else if (strcmp(name, "whatif") == 0)
		o->subcommand = WHATIF;
	else
		ka_cli_usage_error(&o->cli, "unknown subcommand \"%s\" "
		    "(accrue, settle, whatif)", name);
}

static void
check_options(struct options *o)
{
	char error[256], text[KA_PERIOD_BUFSIZE], as_of[KA_DATE_BUFSIZE];

	if (o->agreements == NULL)
		ka_cli_usage_error(&o->cli, "give the agreements: -a FILE");
	if (o->subcommand == SETTLE) {
		if (o->period_text == NULL)
			ka_cli_usage_error(&o->cli, "settle needs --period P");
		if (ka_period_parse(o->period_text, o->cli.as_of, &o->period,
		    error, sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "%s", error);
		if (o->period.last > o->cli.as_of) {
			ka_period_format(&o->period, text, sizeof(text));
			ka_date_format(o->cli.as_of, as_of);
			ka_cli_usage_error(&o->cli, "period %s is not closed "
			    "on %s: settle a period that has ended (or give "
			    "--as-of)", text, as_of);
		}
	}
	if (o->subcommand == WHATIF) {
		if (o->agreement == NULL)
			ka_cli_usage_error(&o->cli, "whatif needs --agreement "
			    "ID");
		if ((o->basis_text == NULL) == (o->add_text == NULL))
			ka_cli_usage_error(&o->cli, "whatif needs one of "
			    "--basis X and --add X");
		if (o->basis_text != NULL)
			o->basis = number_argument(o, "--basis",
			    o->basis_text, 1);
		else
			o->basis = number_argument(o, "--add", o->add_text,
			    1);
	}
	o->near = -1;
	if (o->near_text != NULL)
		o->near = number_argument(o, "--near", o->near_text, 0);
}

static int
is_stdin(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/* Standard input can be read once: by the sales or by one other file. */
static void
stdin_once(const struct options *o, int nfiles, char **files)
{
	int readers = is_stdin(o->agreements) + is_stdin(o->accounts) +
	    is_stdin(o->settled), i, sales = nfiles == 0;

	for (i = 0; i < nfiles; i++)
		sales |= is_stdin(files[i]);
	if (readers + sales > 1)
		ka_cli_usage_error(&o->cli, "standard input can be read only "
		    "once: give the sales or the %s as a file",
		    is_stdin(o->agreements) ? "agreements" :
		    is_stdin(o->accounts) ? "accounts" : "settled amounts");
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	int opt;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-rebate", usage);
	parse_subcommand(o, argc, argv);
	argc--;
	argv++;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	while ((opt = ka_cli_next_option(&o->cli, argc, argv,
	    KA_COMMON_SHORT "a:j:", long_options)) != -1) {
		switch (opt) {
		case 'j':
			o->jobs = jobs_argument(o, optarg);
			break;
		case 'a':
			o->agreements = optarg;
			break;
		case OPT_ACCOUNTS:
			o->accounts = optarg;
			break;
		case OPT_SETTLED:
			only_for(o, "--settled", o->subcommand != WHATIF);
			o->settled = optarg;
			break;
		case OPT_OVERLAP:
			only_for(o, "--overlap", o->subcommand != WHATIF);
			if (strcmp(optarg, "all") == 0)
				o->overlap = KA_REBATE_OVERLAP_ALL;
			else if (strcmp(optarg, "best") == 0)
				o->overlap = KA_REBATE_OVERLAP_BEST;
			else
				ka_cli_usage_error(&o->cli, "unknown --overlap "
				    "\"%s\" (all, best)", optarg);
			break;
		case OPT_PERIOD:
			only_for(o, "--period", o->subcommand == SETTLE);
			o->period_text = optarg;
			break;
		case OPT_AGREEMENT:
			only_for(o, "--agreement", o->subcommand == WHATIF);
			o->agreement = optarg;
			break;
		case OPT_CUSTOMER:
			only_for(o, "--customer", o->subcommand == WHATIF);
			o->customer = optarg;
			break;
		case OPT_BASIS:
			only_for(o, "--basis", o->subcommand == WHATIF);
			o->basis_text = optarg;
			break;
		case OPT_ADD:
			only_for(o, "--add", o->subcommand == WHATIF);
			o->add_text = optarg;
			break;
		case OPT_NEAR:
			only_for(o, "--near", o->subcommand == ACCRUE);
			o->near_text = optarg;
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	check_options(o);
	stdin_once(o, argc - optind, argv + optind);
	/* The caller reads files from argv + optind of the shifted argv. */
	optind++;
}

/* ---- processing ---- */

/* The amount of rows by outcome, for the --lenient reconciliation. */
struct tally {
	ka_dec		 read, used, unused, filtered, rejected;
	unsigned long	 unreadable;
	int		 overflow;
};

static ka_rebate *
load_engine(const struct options *o)
{
	struct ka_rebate_config config;
	ka_rebate *engine;
	char error[2048];

	ka_rebate_config_init(&config);
	config.as_of = o->cli.as_of;
	config.overlap = o->overlap;
	config.decimal_comma = o->cli.decimal_comma;
	config.date_format = o->cli.date_format;
	config.null_string = o->cli.null_string;
	config.filter = o->cli.filter;
	config.keep_prior = o->subcommand == WHATIF;
	engine = ka_rebate_new(&config);
	if (ka_rebate_load_agreements(engine, o->agreements, error,
	    sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if (o->accounts != NULL && ka_rebate_load_accounts(engine,
	    o->accounts, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if (ka_rebate_prepare(engine, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_USAGE, "%s", error);
	if (o->settled != NULL && ka_rebate_load_settled(engine, o->settled,
	    error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	return engine;
}

/* -1 with the message in error when the row stops the run. */
static int
reject(const struct options *o, ka_rebate *engine, struct ka_rejects *rejects,
    const ka_record *rec, size_t column, const char *reason, char *error,
    size_t size)
{
	if (!o->cli.lenient) {
		snprintf(error, size, "%s:%lu: %s", rec->file, rec->line,
		    reason);
		return -1;
	}
	ka_rejects_add(rejects, rec, column, reason);
	ka_rebate_reject(engine, rec);
	return 0;
}

/* Adds the row's amount, where readable, to the read total and *sum. */
static void
tally_amount(const struct options *o, struct tally *t, ka_dec *sum,
    const ka_record *rec)
{
	long c = o->cli.roles.column[KA_ROLE_AMOUNT];
	ka_dec amount;

	if (!o->cli.lenient || c < 0)
		return;
	if ((size_t)c >= rec->nfields || ka_dec_parse(ka_field(rec,
	    (size_t)c), ka_field_length(rec, (size_t)c),
	    o->cli.decimal_comma, &amount) != KA_DEC_OK) {
		t->unreadable++;
		return;
	}
	if (ka_dec_add(&t->read, amount) < 0 || ka_dec_add(sum, amount) < 0)
		t->overflow = 1;
}

/*
 * Every sales record into the engine.  -1 with the message in error
 * when a row stops the run, so the caller frees everything first.
 */
static int
read_sales(const struct options *o, ka_rebate *engine, ka_reader *reader,
    struct ka_rejects *rejects, struct tally *t, char *error, size_t size)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			if (reject(o, engine, rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader), error, size) < 0)
				return -1;
			tally_amount(o, t, &t->rejected, &rec);
			continue;
		}
		switch (ka_rebate_add(engine, &rec)) {
		case KA_REBATE_BAD:
			if (reject(o, engine, rejects, &rec,
			    ka_rebate_error_column(engine),
			    ka_rebate_error(engine), error, size) < 0)
				return -1;
			tally_amount(o, t, &t->rejected, &rec);
			break;
		case KA_REBATE_FATAL:
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_rebate_error(engine));
			return -1;
		case KA_REBATE_USED:
			tally_amount(o, t, &t->used, &rec);
			break;
		case KA_REBATE_UNUSED:
			tally_amount(o, t, &t->unused, &rec);
			break;
		case KA_REBATE_FILTERED:
			tally_amount(o, t, &t->filtered, &rec);
			break;
		}
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		return -1;
	}
	return 0;
}

/*
 * Writes the subcommand's table, the output opened only once there is
 * one (a what-if for no agreement leaves -o FILE as it was): 0, or -1
 * with the reason in error.
 */
static int
write_output(const struct options *o, ka_rebate *engine, ka_reader *reader,
    char *error, size_t size)
{
	struct ka_rebate_settlement *lines = NULL;
	struct ka_rebate_whatif *rows = NULL;
	size_t count = 0;
	ka_writer *writer;

	if (o->subcommand == SETTLE)
		lines = ka_rebate_settlements(engine, &o->period, &count);
	if (o->subcommand == WHATIF) {
		rows = ka_rebate_whatifs(engine, o->agreement, o->customer,
		    o->basis, o->add_text != NULL, &count);
		if (rows == NULL) {
			if (o->customer != NULL)
				snprintf(error, size, "no agreement \"%s\" "
				    "covering customer \"%s\" in %s",
				    o->agreement, o->customer, o->agreements);
			else
				snprintf(error, size, "no agreement \"%s\" in "
				    "%s", o->agreement, o->agreements);
			return -1;
		}
	}
	writer = ka_writer_open(o->cli.output,
	    ka_cli_output_format(&o->cli, reader));
	switch (o->subcommand) {
	case ACCRUE:
		ka_rebate_write_accruals(engine, writer, o->near);
		break;
	case SETTLE:
		ka_rebate_write_settlements(engine, writer, lines, count);
		break;
	case WHATIF:
		ka_rebate_write_whatifs(engine, writer, rows, count);
		break;
	}
	ka_writer_close(writer);
	free(lines);
	free(rows);
	return 0;
}

static const char *
money(ka_dec v, char *buf)
{
	ka_dec_format(v, v % (KA_DEC_SCALE / 100) == 0 ? 2 : -1, buf);
	return buf;
}

/*
 * Under --lenient no row is dropped silently: rows and amounts by
 * outcome ("used" rows count once, however many agreements they feed).
 */
static void
print_counts(const struct options *o, const ka_rebate *engine,
    const struct tally *t)
{
	const struct ka_rebate_counts *k = ka_rebate_counts(engine);
	char a[KA_DEC_BUFSIZE];

	if (!o->cli.lenient)
		return;
	fprintf(stderr, "%s: rows read %lu = used %lu + not covered %lu",
	    ka_program(), k->read, k->used, k->unused);
	if (k->filtered > 0)
		fprintf(stderr, " + filtered out %lu", k->filtered);
	fprintf(stderr, " + rejected %lu\n", k->rejected);
	if (o->cli.roles.column[KA_ROLE_AMOUNT] < 0)
		return;
	if (t->overflow) {
		fprintf(stderr, "%s: amount totals overflow; no "
		    "reconciliation\n", ka_program());
		return;
	}
	fprintf(stderr, "%s: amount read %s", ka_program(), money(t->read, a));
	fprintf(stderr, " = used %s", money(t->used, a));
	fprintf(stderr, " + not covered %s", money(t->unused, a));
	if (k->filtered > 0)
		fprintf(stderr, " + filtered out %s", money(t->filtered, a));
	fprintf(stderr, " + rejected %s", money(t->rejected, a));
	if (t->unreadable > 0)
		fprintf(stderr, " (%lu %s no readable amount)", t->unreadable,
		    t->unreadable == 1 ? "row has" : "rows have");
	fputc('\n', stderr);
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	struct tally tally;
	ka_reader *reader;
	ka_rebate *engine;
	enum ka_role missing;
	char error[2048];
	int status, in_pieces;

	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	engine = load_engine(&o);
	reader = ka_cli_open(&o.cli, argc - optind, argv + optind);
	status = ka_rebate_bind(engine, ka_reader_header(reader),
	    &o.cli.roles, &missing, error, sizeof(error));
	if (status == -1)
		ka_roles_require(&o.cli.roles, ka_reader_header(reader),
		    missing);
	if (status < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects : NULL);
	memset(&tally, 0, sizeof(tally));
	/*
	 * A large file on several cores, unless every row must be seen in
	 * order (--lenient, its rejects and reconciliation).  A piece that
	 * meets a bad row gives up, and one pass finds and names it.
	 */
	in_pieces = argc - optind == 1 && strcmp(argv[optind], "-") != 0 &&
	    !o.cli.lenient && ka_rebate_add_file(engine, argv[optind],
	    &o.cli.read, ka_reader_delimiter(reader), o.jobs) == 1;
	if ((!in_pieces && read_sales(&o, engine, reader, &rejects, &tally,
	    error, sizeof(error)) < 0) ||
	    ka_rebate_finish(engine, error, sizeof(error)) < 0) {
		/* --rejects is left to ka_die(), which removes it unfinished. */
		ka_reader_close(reader);
		ka_rebate_free(engine);
		ka_filter_free(o.cli.filter);
		ka_die(KA_EXIT_DATA, "%s", error);
	}
	if (write_output(&o, engine, reader, error, sizeof(error)) < 0) {
		ka_reader_close(reader);
		ka_rebate_free(engine);
		ka_filter_free(o.cli.filter);
		ka_die(KA_EXIT_USAGE, "%s", error);
	}
	ka_rejects_close(&rejects);
	print_counts(&o, engine, &tally);
	ka_reader_close(reader);
	ka_rebate_free(engine);
	ka_filter_free(o.cli.filter);
	return KA_EXIT_OK;
}
