/*
 * ka-rank: who the key accounts are.  Ranks customers (or reps,
 * regions, products, ...) by revenue, margin or quantity over a period,
 * tiers them (ABC by cumulative share, top N, or a revenue floor),
 * compares with an earlier period, flags risks, summarises the
 * concentration, picks pilot accounts, and splits the work across
 * shards with --partial and --merge.  The engine is common/ka_rank.c.
 */
#define _POSIX_C_SOURCE 200809L
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
#include "ka_pieces.h"
#include "ka_rank.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_BY = KA_OPT_PROGRAM,
	OPT_BASIS,
	OPT_PERIOD,
	OPT_COMPARE,
	OPT_ABC,
	OPT_TOP,
	OPT_MIN_REVENUE,
	OPT_LABELS,
	OPT_EXPLAIN,
	OPT_SCORE,
	OPT_PREV,
	OPT_HOLD,
	OPT_RISK_LAPSED,
	OPT_RISK_DECLINING,
	OPT_RISK_CONCENTRATION,
	OPT_SUMMARY,
	OPT_PILOT,
	OPT_STRATIFY,
	OPT_PARTIAL,
	OPT_SHARD,
	OPT_PIECE,
	OPT_MERGE,
	OPT_JOBS = 'j'
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "by",			required_argument, NULL, OPT_BY },
	{ "basis",		required_argument, NULL, OPT_BASIS },
	{ "period",		required_argument, NULL, OPT_PERIOD },
	{ "compare",		required_argument, NULL, OPT_COMPARE },
	{ "abc",		required_argument, NULL, OPT_ABC },
	{ "top",		required_argument, NULL, OPT_TOP },
	{ "min-revenue",	required_argument, NULL, OPT_MIN_REVENUE },
	{ "labels",		required_argument, NULL, OPT_LABELS },
	{ "explain",		no_argument,	   NULL, OPT_EXPLAIN },
	{ "score",		required_argument, NULL, OPT_SCORE },
	{ "prev",		required_argument, NULL, OPT_PREV },
	{ "hold",		required_argument, NULL, OPT_HOLD },
	{ "risk-lapsed",	required_argument, NULL, OPT_RISK_LAPSED },
	{ "risk-declining",	required_argument, NULL, OPT_RISK_DECLINING },
	{ "risk-concentration",	required_argument, NULL,
	    OPT_RISK_CONCENTRATION },
	{ "summary",		no_argument,	   NULL, OPT_SUMMARY },
	{ "pilot",		required_argument, NULL, OPT_PILOT },
	{ "stratify",		required_argument, NULL, OPT_STRATIFY },
	{ "partial",		no_argument,	   NULL, OPT_PARTIAL },
	{ "shard",		required_argument, NULL, OPT_SHARD },
	{ "piece",		required_argument, NULL, OPT_PIECE },
	{ "merge",		no_argument,	   NULL, OPT_MERGE },
	{ "jobs",		required_argument, NULL, OPT_JOBS },
	{ NULL, 0, NULL, 0 }
};

struct options {
	struct ka_cli	 cli;
	struct ka_rank_config config;
	const char	*period, *compare, *prev, *shard;
	char		*labels;
	int		 tiering_options;	/* --abc, --top, --min-revenue */
	int		 hold_given;
	int		 explain, summary, partial, merge;
	size_t		 pilot;
	int		 jobs;		/* pieces of a large file at once */
	int		 piece, pieces;	/* --piece K/N; 0 without */
	char		 piece_shard[32];
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-rank [--by ROLE] [--basis B] [--period P [--compare C]]\n"
"               [--abc A,B | --top N | --min-revenue X] [--labels L,...]\n"
"               [--score METRIC:W,...] [--prev FILE [--hold PCT]]\n"
"               [--summary | --pilot N [--stratify ROLE]] [--explain]\n"
"               [--partial [--shard KEY] [--piece K/N] | --merge] [-j N]\n"
"               [options] [FILE...]\n"
"\n"
"Ranks customers by revenue and tiers them; other programs take its\n"
"customer_id, tier and rank columns as their list of key accounts.\n"
"\n"
"What is ranked:\n"
"  --by ROLE              customer (default), rep, region, city, country,\n"
"                         owner, sku, product or category\n"
"  --basis B              revenue (default), margin or qty\n"
"  --period P             only rows dated in P (2026, 2026-Q3, ytd, ...)\n"
"  --compare C            prev, yoy or a period: adds prev_revenue, growth,\n"
"                         prev_rank, rank_change, prev_tier and movement\n"
"Tiers:\n"
"  --abc A,B              A while cum share <= A%%, B while <= B%%, C after\n"
"                         (default 80,95)\n"
"  --top N                the first N ranks are tier A, the rest B\n"
"  --min-revenue X        revenue of at least X is tier A, the rest B\n"
"  --labels L,...         tier names, best first (default A,B,C)\n"
"  --explain              print the cut-offs and where they fell to stderr\n"
"  --score METRIC:W,...   rank by weighted percentiles of revenue, margin,\n"
"                         growth, frequency, recency and tenure\n"
"  --prev FILE            an earlier ka-rank output ...\n"
"  --hold PCT             ... whose tiers hold unless the cut-off is\n"
"                         crossed by more than PCT points\n"
"Risk flags:\n"
"  --risk-lapsed F        lapsed: no order for F x the median gap (2)\n"
"  --risk-declining PCT   declining: growth below -PCT%% (20)\n"
"  --risk-concentration PCT  concentration: share above PCT%% (15)\n"
"Other outputs:\n"
"  --summary              one row per measure: HHI, Gini, top shares, tiers\n"
"  --pilot N              N accounts for a new-product trial\n"
"  --stratify ROLE        spread the pilot across ROLE (e.g. region)\n"
"  --partial              write mergeable state instead of a ranking\n"
"  --shard KEY            with --partial: this piece's place in the input\n"
"  --piece K/N            with --partial: read only the K-th of N pieces of\n"
"                         FILE (one process each; --shard is then K)\n"
"  --merge                read --partial files and rank them\n"
"  -j, --jobs N           read a large file in N pieces at once (default:\n"
"                         one per processor)\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

static size_t
positive_count(const struct options *o, const char *option, const char *arg)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (arg[0] < '1' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n > 100000000)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a whole "
		    "number above 0", option, arg);
	return (size_t)n;
}

static ka_dec
number_argument(const struct options *o, const char *option, const char *arg,
    ka_dec low, ka_dec high, int low_allowed)
{
	char lowbuf[KA_DEC_BUFSIZE], highbuf[KA_DEC_BUFSIZE];
	ka_dec value;

	if (ka_dec_parse(arg, strlen(arg), 0, &value) != KA_DEC_OK ||
	    value < low || (value == low && !low_allowed) || value > high) {
		ka_dec_format(low, -1, lowbuf);
		ka_dec_format(high, -1, highbuf);
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a number "
		    "%s %s%s%s", option, arg, low_allowed ? "from" : "above",
		    lowbuf, high < INT64_MAX ? " and at most " : "",
		    high < INT64_MAX ? highbuf : "");
	}
	return value;
}

static int
role_argument(const struct options *o, const char *option, const char *arg)
{
	char error[512];
	enum ka_role role;

	if (ka_rank_parse_by(arg, &role, error, sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "bad %s: %s", option, error);
	return (int)role;
}

static void
parse_periods(struct options *o)
{
	struct ka_rank_config *c = &o->config;
	char error[512];

	c->as_of = o->cli.as_of;
	if (o->period != NULL) {
		if (ka_period_parse(o->period, c->as_of, &c->period, error,
		    sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "--period: %s", error);
		c->has_period = 1;
		c->given |= KA_RANK_GIVEN_PERIOD;
	}
	if (o->compare == NULL)
		return;
	if (o->period == NULL && !o->merge)
		ka_cli_usage_error(&o->cli, "--compare needs --period");
	if (o->period == NULL)
		ka_cli_usage_error(&o->cli, "--compare with --merge needs the "
		    "--period the partial files hold");
	if (strcmp(o->compare, "prev") == 0)
		c->compare = ka_period_previous(&c->period);
	else if (strcmp(o->compare, "yoy") == 0)
		c->compare = ka_period_year_ago(&c->period);
	else if (ka_period_parse(o->compare, c->as_of, &c->compare, error,
	    sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "--compare: %s (or prev, yoy)",
		    error);
	c->has_compare = 1;
	c->given |= KA_RANK_GIVEN_COMPARE;
	snprintf(c->compare_text, sizeof(c->compare_text), "%s", o->compare);
}

/* Combinations that cannot work are usage errors, found before reading. */
static void
check_options(struct options *o)
{
	struct ka_rank_config *c = &o->config;
	char error[512];

	if (o->tiering_options > 1)
		ka_cli_usage_error(&o->cli, "--abc, --top and --min-revenue "
		    "are alternatives; give one");
	/* The labels are split in place: argv lives until exit. */
	if (o->labels != NULL && ka_rank_parse_labels(c, o->labels, error,
	    sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "%s", error);
	if (o->hold_given && o->prev == NULL)
		ka_cli_usage_error(&o->cli, "--hold needs --prev FILE");
	if (o->prev != NULL && c->tiering == KA_RANK_TIERS_MIN_REVENUE)
		ka_cli_usage_error(&o->cli, "--prev holds tiers at cum-share "
		    "cut-offs: use it with --abc or --top");
	if (c->stratify >= 0 && o->pilot == 0 && !o->partial)
		ka_cli_usage_error(&o->cli, "--stratify needs --pilot N (or "
		    "--partial, to carry the strata)");
	if (o->pilot > 0 && o->summary)
		ka_cli_usage_error(&o->cli, "--pilot and --summary are "
		    "different outputs; give one");
	if (o->partial && o->merge)
		ka_cli_usage_error(&o->cli, "--partial and --merge are the two "
		    "halves of a parallel run; give one");
	if (o->partial && (o->summary || o->pilot > 0 || o->explain ||
	    o->prev != NULL))
		ka_cli_usage_error(&o->cli, "--partial writes state only; give "
		    "--summary, --pilot, --explain and --prev to --merge");
	if (o->partial && o->cli.output_format != KA_FORMAT_NONE &&
	    o->cli.output_format != KA_FORMAT_CSV)
		ka_cli_usage_error(&o->cli, "--partial always writes CSV");
	if (o->shard != NULL && !o->partial)
		ka_cli_usage_error(&o->cli, "--shard needs --partial");
	if (o->pieces > 0 && !o->partial)
		ka_cli_usage_error(&o->cli, "--piece needs --partial (the "
		    "pieces' states go to --merge)");
	if (o->pieces > 0 && o->cli.read.encoding != NULL)
		ka_cli_usage_error(&o->cli, "--piece cuts the file at bytes: "
		    "convert it to UTF-8 first (ka-clean), not --encoding");
	if (o->pieces > 0 && o->shard == NULL) {
		snprintf(o->piece_shard, sizeof(o->piece_shard), "%d",
		    o->piece);
		o->shard = o->piece_shard;
	}
	if (o->merge && ka_filter_count(o->cli.filter) > 0)
		ka_cli_usage_error(&o->cli, "--where applies when the partial "
		    "files are made, not to --merge");
	if (!o->merge && c->weight[KA_RANK_METRIC_GROWTH] != 0 &&
	    !c->has_compare)
		ka_cli_usage_error(&o->cli, "--score growth needs --compare");
	c->partial = o->partial;
	c->filter = o->cli.filter;
	c->decimal_comma = o->cli.decimal_comma;
	c->date_format = o->cli.date_format;
	c->null_string = o->cli.null_string;
}

/* --piece K/N: 1 <= K <= N. */
static void
piece_argument(struct options *o, const char *text)
{
	char *end;
	long k, n;

	errno = 0;
	k = strtol(text, &end, 10);
	if (end == text || *end != '/' || errno != 0)
		ka_cli_usage_error(&o->cli, "--piece %s: give K/N, such as "
		    "2/8", text);
	text = end + 1;
	n = strtol(text, &end, 10);
	if (end == text || *end != '\0' || errno != 0 || n < 1 ||
	    n > 100000 || k < 1 || k > n)
		ka_cli_usage_error(&o->cli, "--piece %ld/%s: K from 1 to N, "
		    "N from 1 to 100000", k, text);
	o->piece = (int)k;
	o->pieces = (int)n;
}

static void
parse_options(struct options *o, int argc, char *argv[])
{
	struct ka_rank_config *c = &o->config;
	char error[512];
	int opt;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-rank", usage);
	ka_rank_config_init(c);
	/* getopt's own messages then name the program, not its path. */
	argv[0] = (char *)ka_program();
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	while ((opt = getopt_long(argc, argv, KA_COMMON_SHORT "j:",
	    long_options, NULL)) != -1) {
		/* A --merge checks an explicit --as-of against the parts. */
		if (opt == KA_OPT_AS_OF)
			c->given |= KA_RANK_GIVEN_AS_OF;
		if (ka_cli_option(&o->cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_BY:
			c->by = (enum ka_role)role_argument(o, "--by", optarg);
			c->given |= KA_RANK_GIVEN_BY;
			break;
		case OPT_BASIS:
			if (ka_rank_parse_basis(c, optarg, error,
			    sizeof(error)) < 0)
				ka_cli_usage_error(&o->cli, "%s", error);
			break;
		case OPT_PERIOD:
			o->period = optarg;
			break;
		case OPT_COMPARE:
			o->compare = optarg;
			break;
		case OPT_ABC:
			if (ka_rank_parse_abc(c, optarg, error,
			    sizeof(error)) < 0)
				ka_cli_usage_error(&o->cli, "%s", error);
			c->tiering = KA_RANK_TIERS_ABC;
			o->tiering_options++;
			break;
		case OPT_TOP:
			c->top = positive_count(o, "--top", optarg);
			c->tiering = KA_RANK_TIERS_TOP;
			o->tiering_options++;
			break;
		case OPT_MIN_REVENUE:
			c->min_revenue = number_argument(o, "--min-revenue",
			    optarg, 0, INT64_MAX, 1);
			c->tiering = KA_RANK_TIERS_MIN_REVENUE;
			o->tiering_options++;
			break;
		case OPT_LABELS:
			o->labels = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_SCORE:
			if (ka_rank_parse_score(c, optarg, error,
			    sizeof(error)) < 0)
				ka_cli_usage_error(&o->cli, "%s", error);
			break;
		case OPT_PREV:
			o->prev = optarg;
			break;
		case OPT_HOLD:
			c->hold = number_argument(o, "--hold", optarg, 0,
			    100 * KA_DEC_SCALE, 1);
			o->hold_given = 1;
			break;
		case OPT_RISK_LAPSED:
			c->lapsed_factor = number_argument(o, "--risk-lapsed",
			    optarg, 0, 1000 * KA_DEC_SCALE, 0);
			break;
		case OPT_RISK_DECLINING:
			c->declining_pct = number_argument(o,
			    "--risk-declining", optarg, 0, 100 * KA_DEC_SCALE,
			    1);
			break;
		case OPT_RISK_CONCENTRATION:
			c->concentration_pct = number_argument(o,
			    "--risk-concentration", optarg, 0,
			    100 * KA_DEC_SCALE, 1);
			break;
		case OPT_SUMMARY:
			o->summary = 1;
			break;
		case OPT_PILOT:
			o->pilot = positive_count(o, "--pilot", optarg);
			break;
		case OPT_STRATIFY:
			c->stratify = role_argument(o, "--stratify", optarg);
			c->given |= KA_RANK_GIVEN_STRATIFY;
			break;
		case OPT_PARTIAL:
			o->partial = 1;
			break;
		case OPT_SHARD:
			o->shard = optarg;
			break;
		case OPT_PIECE:
			piece_argument(o, optarg);
			break;
		case OPT_MERGE:
			o->merge = 1;
			break;
		case OPT_JOBS:
			o->jobs = (int)positive_count(o, "--jobs", optarg);
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	parse_periods(o);
	check_options(o);
}

/* ---- processing ---- */

static void
reject(const struct options *o, ka_rank *rank, struct ka_rejects *rejects,
    const ka_record *rec, size_t column, const char *reason)
{
	ka_rejects_bad_row(rejects, o->cli.lenient, rec, column, reason);
	ka_rank_reject(rank, rec);
}

/* Every sales record into the engine; bad ones stop us or are rejected. */
static void
rank_sales(const struct options *o, ka_rank *rank, ka_reader *reader,
    struct ka_rejects *rejects)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			reject(o, rank, rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			continue;
		}
		switch (ka_rank_add(rank, &rec)) {
		case KA_RANK_BAD:
			reject(o, rank, rejects, &rec,
			    ka_rank_error_column(rank), ka_rank_error(rank));
			break;
		case KA_RANK_FATAL:
			ka_die(KA_EXIT_DATA, "%s", ka_rank_error(rank));
		case KA_RANK_UNASSIGNED:
			/* Not ranked, never lost: the reasons file shows it. */
			if (o->cli.lenient)
				ka_rejects_add(rejects, &rec,
				    ka_rank_error_column(rank),
				    ka_rank_error(rank));
			break;
		default:
			break;
		}
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
}

/*
 * The engine and the input live until exit, also when a bad row ends
 * the program from deep inside: reachable from here, they are no leak.
 */
static ka_rank *engine;
static ka_reader *input;

/*
 * One large regular file on every processor.  Rows that go to a rejects
 * file must be written in input order, so --rejects reads in one go; the
 * engine itself declines whatever it cannot cut, and then nothing was
 * read: the reader opened for the header carries on.
 */
static int
read_in_pieces(const struct options *o, ka_rank *rank, ka_reader *reader,
    int nfiles, char *const *files)
{
	if (o->jobs < 2 || nfiles != 1 || strcmp(files[0], "-") == 0 ||
	    (o->cli.lenient && o->cli.rejects != NULL))
		return 0;
	return ka_rank_add_file(rank, files[0], &o->cli.read,
	    ka_reader_delimiter(reader), o->jobs);
}

/*
 * --piece K/N: the header as read, then only the piece's lines, with
 * their own line numbers in messages.
 */
static void
rank_piece(const struct options *o, ka_rank *rank, ka_reader *reader,
    struct ka_rejects *rejects, const char *file)
{
	struct ka_reader_options piece = o->cli.read;
	char error[1024];
	ka_reader *part;

	if (ka_pieces_range(file, ka_reader_delimiter(reader),
	    ka_reader_header(reader)->nfields, o->piece, o->pieces, &piece,
	    error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if ((part = ka_reader_open(&file, 1, &piece)) == NULL)
		exit(KA_EXIT_DATA);
	rank_sales(o, rank, part, rejects);
	ka_reader_close(part);
}

static void
merge_partials(ka_rank *rank, ka_reader *reader)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK)
			ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
		if (ka_rank_merge_record(rank, &rec) < 0)
			ka_die(KA_EXIT_DATA, "%s", ka_rank_error(rank));
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
}

static ka_reader *
open_partials(struct options *o, int nfiles, char *const *files)
{
	struct ka_reader_options read = o->cli.read;
	ka_reader *reader;

	/* Header lines are skipped wherever they are: a sorted stream. */
	read.no_header = 1;
	reader = ka_reader_open((const char *const *)files, (size_t)nfiles,
	    &read);
	if (reader == NULL)
		exit(KA_EXIT_DATA);
	return reader;
}

static void
write_output(const struct options *o, ka_rank *rank, ka_writer *writer)
{
	if (o->partial)
		ka_rank_write_partial(rank, writer, o->shard);
	else if (o->summary)
		ka_rank_write_summary(rank, writer);
	else if (o->pilot > 0)
		ka_rank_write_pilot(rank, writer, o->pilot);
	else
		ka_rank_write_table(rank, writer);
}

static const char *
money(const struct ka_rank_tally *t, char *buf)
{
	ka_dec_format(t->amount, t->amount % 100 == 0 ? 2 : -1, buf);
	return buf;
}

/* Rows not ranked are never dropped silently: say so, with amounts. */
static void
print_counts(const struct options *o, const ka_rank *rank)
{
	const struct ka_rank_counts *k = ka_rank_counts(rank);
	const char *key = ka_rank_key_name(rank);
	char a[KA_DEC_BUFSIZE];
	int overflow;

	if (k->unassigned.rows > 0)
		fprintf(stderr, "%s: %lu %s with no %s %s not ranked (amount "
		    "%s)\n", ka_program(), k->unassigned.rows,
		    k->unassigned.rows == 1 ? "row" : "rows", key,
		    k->unassigned.rows == 1 ? "was" : "were",
		    k->unassigned.overflow ? "too large to show" :
		    money(&k->unassigned, a));
	if (!o->cli.lenient && k->rejected.rows == 0)
		return;
	fprintf(stderr, "%s: rows read %lu = used %lu", ka_program(),
	    k->read.rows, k->used.rows);
	if (k->unassigned.rows > 0)
		fprintf(stderr, " + no %s %lu", key, k->unassigned.rows);
	if (k->outside.rows > 0)
		fprintf(stderr, " + outside the periods %lu", k->outside.rows);
	if (k->filtered.rows > 0)
		fprintf(stderr, " + filtered out %lu", k->filtered.rows);
	fprintf(stderr, " + rejected %lu\n", k->rejected.rows);
	overflow = k->read.overflow || k->used.overflow ||
	    k->unassigned.overflow || k->outside.overflow ||
	    k->filtered.overflow || k->rejected.overflow;
	if (overflow) {
		fprintf(stderr, "%s: amount totals overflow; no "
		    "reconciliation\n", ka_program());
		return;
	}
	fprintf(stderr, "%s: amount read %s", ka_program(), money(&k->read, a));
	fprintf(stderr, " = used %s", money(&k->used, a));
	if (k->unassigned.rows > 0)
		fprintf(stderr, " + no %s %s", key, money(&k->unassigned, a));
	if (k->outside.rows > 0)
		fprintf(stderr, " + outside the periods %s",
		    money(&k->outside, a));
	if (k->filtered.rows > 0)
		fprintf(stderr, " + filtered out %s", money(&k->filtered, a));
	fprintf(stderr, " + rejected %s", money(&k->rejected, a));
	if (k->read.unreadable > 0)
		fprintf(stderr, " (%lu %s no readable amount)",
		    k->read.unreadable, k->read.unreadable == 1 ? "row has" :
		    "rows have");
	fputc('\n', stderr);
}

/*
 * Opens the input and feeds all of it to the engine: partial files with
 * --merge, else sales (in pieces when it pays).  Returns the reader, for
 * the output format to follow the input's.
 */
static ka_reader *
read_input(struct options *o, ka_rank *rank, struct ka_rejects *rejects,
    int nfiles, char *const *files)
{
	enum ka_role missing;
	ka_reader *reader;

	ka_rejects_open(rejects, NULL);
	if (o->merge) {
		input = reader = open_partials(o, nfiles, files);
		merge_partials(rank, reader);
		return reader;
	}
	if (o->pieces > 0 && (nfiles != 1 || strcmp(files[0], "-") == 0))
		ka_cli_usage_error(&o->cli, "--piece reads a piece of one named "
		    "file; give exactly one");
	input = reader = ka_cli_open(&o->cli, nfiles, files);
	if (ka_rank_bind(rank, ka_reader_header(reader), &o->cli.roles,
	    &missing) < 0)
		ka_roles_require(&o->cli.roles, ka_reader_header(reader),
		    missing);
	ka_rejects_open(rejects, o->cli.lenient ? o->cli.rejects : NULL);
	if (o->pieces > 0)
		rank_piece(o, rank, reader, rejects, files[0]);
	else if (!read_in_pieces(o, rank, reader, nfiles, files))
		rank_sales(o, rank, reader, rejects);
	return reader;
}

/* Ranks and tiers, holding to --prev; nothing to do for --partial. */
static void
finish(const struct options *o, ka_rank *rank)
{
	char error[1400];

	if (o->prev != NULL && ka_rank_load_previous(rank, o->prev,
	    &o->cli.read, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if (!o->partial && ka_rank_finish(rank, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	ka_writer *writer;

	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	engine = ka_rank_new(&o.config);
	input = read_input(&o, engine, &rejects, argc - optind, argv + optind);
	finish(&o, engine);
	writer = ka_writer_open(o.cli.output, o.partial ? KA_FORMAT_CSV :
	    ka_cli_output_format(&o.cli, input));
	write_output(&o, engine, writer);
	ka_writer_close(writer);
	ka_rejects_close(&rejects);
	if (o.explain)
		ka_rank_explain(engine, stderr);
	if (!o.partial)
		print_counts(&o, engine);
	ka_reader_close(input);
	ka_rank_free(engine);
	ka_filter_free(o.cli.filter);
	return KA_EXIT_OK;
}
