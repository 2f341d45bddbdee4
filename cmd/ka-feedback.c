/*
 * ka-feedback: what key accounts say about the reps who serve them.
 * Survey responses in; per rep (or customer, product, period, ...) the
 * answers, mean, a Bayesian average fair to small samples, NPS or CSAT
 * with confidence intervals, dimension means, the trend against earlier
 * periods, a reassign/watch/insufficient flag with its reason, comment
 * topics with example quotes, and new-product trial verdicts.  The
 * engine is common/ka_feedback.c; the statistics common/ka_stats.c.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_feedback.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_topics.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_BY = KA_OPT_PROGRAM,
	OPT_SCALE,
	OPT_PERIOD,
	OPT_PERIODS,
	OPT_SINCE,
	OPT_ROLL_UP,
	OPT_ACCOUNTS,
	OPT_TIERS,
	OPT_WEIGHT,
	OPT_TIER_WEIGHTS,
	OPT_PRIOR_WEIGHT,
	OPT_THRESHOLD,
	OPT_MIN_N,
	OPT_CONFIDENCE,
	OPT_DIMS,
	OPT_TOPICS,
	OPT_NO_TOPICS,
	OPT_LIST_TOPICS,
	OPT_QUOTES,
	OPT_FAIL_ON
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "by",			required_argument, NULL, OPT_BY },
	{ "scale",		required_argument, NULL, OPT_SCALE },
	{ "period",		required_argument, NULL, OPT_PERIOD },
	{ "periods",		required_argument, NULL, OPT_PERIODS },
	{ "since",		required_argument, NULL, OPT_SINCE },
	{ "roll-up",		required_argument, NULL, OPT_ROLL_UP },
	{ "accounts",		required_argument, NULL, OPT_ACCOUNTS },
	{ "tiers",		required_argument, NULL, OPT_TIERS },
	{ "weight",		required_argument, NULL, OPT_WEIGHT },
	{ "tier-weights",	required_argument, NULL, OPT_TIER_WEIGHTS },
	{ "prior-weight",	required_argument, NULL, OPT_PRIOR_WEIGHT },
	{ "threshold",		required_argument, NULL, OPT_THRESHOLD },
	{ "min-n",		required_argument, NULL, OPT_MIN_N },
	{ "confidence",		required_argument, NULL, OPT_CONFIDENCE },
	{ "dims",		required_argument, NULL, OPT_DIMS },
	{ "topics",		required_argument, NULL, OPT_TOPICS },
	{ "no-topics",		no_argument,	   NULL, OPT_NO_TOPICS },
	{ "list-topics",	no_argument,	   NULL, OPT_LIST_TOPICS },
	{ "quotes",		required_argument, NULL, OPT_QUOTES },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ NULL, 0, NULL, 0 }
};

enum fail_on { FAIL_NEVER, FAIL_REASSIGN, FAIL_WATCH, FAIL_NEGATIVE };

struct options {
	struct ka_cli	 cli;
	struct ka_feedback_config config;
	const char	*period, *since, *accounts, *topics_file;
	int		 periods_given, no_topics, list_topics, quotes_given;
	int		 weight_given;
	enum fail_on	 fail_on;
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-feedback [--by KEYS] [--scale S] [--period P] [--periods K]\n"
"                   [--since DATE] [--roll-up response|account]\n"
"                   [--accounts FILE [--tiers L] [--weight tier]\n"
"                   [--tier-weights T:W,...]] [--prior-weight M]\n"
"                   [--threshold T] [--min-n N] [--confidence PCT]\n"
"                   [--dims COL,...] [--topics FILE | --no-topics]\n"
"                   [--quotes N] [--list-topics] [--fail-on FLAG]\n"
"                   [options] [FILE...]\n"
"\n"
"Survey responses (date, customer_id, rep, score, optional product,\n"
"dimensions and comment) in; per rep the answers, mean, Bayesian average,\n"
"NPS or CSAT with 95%% intervals, trend and a reassign/watch flag out.\n"
"The score and comment columns are found by name or given with\n"
"--col score=NAME and --col comment=NAME.\n"
"\n"
"Groups and scale:\n"
"  --by KEYS              rep (default), customer, product, period, any\n"
"                         role or column; combined: --by rep,period\n"
"  --scale S              nps (0-10), csat (1-5) or LO-HI such as 1-7\n"
"                         (default: from the score column's name or data)\n"
"  --dims COL,...         further score columns: their means\n"
"Periods:\n"
"  --period P             the current period (default: the quarter\n"
"                         holding --as-of); earlier ones are like it\n"
"  --periods K            periods the flag and slope look at (default 3)\n"
"  --since DATE           one period from DATE to --as-of, with a verdict\n"
"                         per group (new-product trials: --by product)\n"
"Weighing:\n"
"  --roll-up MODE         response: every answer counts once (default);\n"
"                         account: every account counts once per group\n"
"  --accounts FILE        ka-rank output: customer_id and tier\n"
"  --tiers L              only accounts of tiers L (such as A or A,B)\n"
"  --weight tier          weigh accounts by tier (A 3, B 2, C 1)\n"
"  --tier-weights T:W,... other tier weights (implies --weight tier)\n"
"  --prior-weight M       answers' worth of the overall mean in the\n"
"                         Bayesian average (m * overall + sum) / (m + n);\n"
"                         default 5\n"
"  --confidence PCT       level of the intervals (default 95)\n"
"Flags:\n"
"  --threshold T          Bayesian average below T is weak (default: nps 7,\n"
"                         csat 3.5, LO-HI LO + 0.625 (HI - LO))\n"
"  --min-n N              answers needed in a period to judge (default 3)\n"
"  --fail-on FLAG         exit 3 when a group is flagged reassign, watch\n"
"                         (or reassign), or has a negative verdict\n"
"Comments:\n"
"  --topics FILE          categories as NAME PATTERN lines (PCRE2)\n"
"  --no-topics            no topic columns\n"
"  --list-topics          print the topics in use and exit\n"
"  --quotes N             write the topic table instead: per group and\n"
"                         topic its counts and up to N newest comments\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

static unsigned long
count_argument(const struct options *o, const char *option, const char *arg,
    unsigned long low, unsigned long high)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n < low || n > high)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a whole "
		    "number from %lu to %lu", option, arg, low, high);
	return (unsigned long)n;
}

/* A number; what says what is expected ("a number from 0"). */
static double
number_argument(const struct options *o, const char *option, const char *arg,
    double low, double high, const char *what)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(arg, &end);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || isnan(x) ||
	    x < low || x > high)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected %s", option,
		    arg, what);
	return x;
}

/* --col score=NAME and --col comment=NAME name columns that are no
   shared role; every other --col goes to the shared options. */
static int
feedback_column(struct options *o, const char *arg)
{
	const char **target;
	size_t skip;

	if (strncmp(arg, "score=", 6) == 0)
		target = &o->config.score_column, skip = 6;
	else if (strncmp(arg, "comment=", 8) == 0)
		target = &o->config.comment_column, skip = 8;
	else
		return 0;
	if (arg[skip] == '\0')
		ka_cli_usage_error(&o->cli, "bad --col \"%s\": expected "
		    "ROLE=NAME or ROLE=N", arg);
	*target = arg + skip;
	return 1;
}

static int
next_option(struct options *o, int argc, char **argv)
{
	int opt;

	/* As ka_cli_next_option(), with --col score= and comment= first. */
	argv[0] = (char *)ka_program();
	while ((opt = getopt_long(argc, argv, KA_COMMON_SHORT, long_options,
	    NULL)) != -1) {
		if (opt == KA_OPT_COL && feedback_column(o, optarg))
			continue;
		if (!ka_cli_option(&o->cli, opt, optarg))
			return opt;
	}
	return -1;
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	struct ka_feedback_config *c = &o->config;
	char error[512];
	int opt, failed;

	while ((opt = next_option(o, argc, argv)) != -1) {
		failed = 0;
		switch (opt) {
		case OPT_BY:
			failed = ka_feedback_parse_by(c, optarg, error,
			    sizeof(error));
			break;
		case OPT_SCALE:
			failed = ka_feedback_parse_scale(c, optarg, error,
			    sizeof(error));
			break;
		case OPT_PERIOD:
			o->period = optarg;
			break;
		case OPT_PERIODS:
			c->periods = (unsigned)count_argument(o, "--periods",
			    optarg, 1, KA_FEEDBACK_MAX_PERIODS);
			o->periods_given = 1;
			break;
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_ROLL_UP:
			failed = ka_feedback_parse_rollup(c, optarg, error,
			    sizeof(error));
			break;
		case OPT_ACCOUNTS:
			o->accounts = optarg;
			break;
		case OPT_TIERS:
			failed = ka_feedback_parse_tiers(c, optarg, error,
			    sizeof(error));
			break;
		case OPT_WEIGHT:
			if (strcmp(optarg, "tier") != 0 &&
			    strcmp(optarg, "none") != 0)
				ka_cli_usage_error(&o->cli, "bad --weight \"%s\": "
				    "expected tier or none", optarg);
			c->weight_tier = strcmp(optarg, "tier") == 0;
			o->weight_given = c->weight_tier;
			break;
		case OPT_TIER_WEIGHTS:
			failed = ka_feedback_parse_tier_weights(c, optarg,
			    error, sizeof(error));
			o->weight_given = 1;
			break;
		case OPT_PRIOR_WEIGHT:
			c->prior_weight = number_argument(o, "--prior-weight",
			    optarg, 0, 1e9, "a number from 0 up");
			break;
		case OPT_THRESHOLD:
			c->threshold = number_argument(o, "--threshold", optarg,
			    -1e9, 1e9, "a number on the scale");
			c->has_threshold = 1;
			break;
		case OPT_MIN_N:
			c->min_n = count_argument(o, "--min-n", optarg, 1,
			    1000000000);
			break;
		case OPT_CONFIDENCE:
			c->confidence = number_argument(o, "--confidence",
			    optarg, 0, 100, "a percentage above 0 and below "
			    "100") / 100.0;
			if (c->confidence <= 0.0 || c->confidence >= 1.0)
				ka_cli_usage_error(&o->cli, "bad --confidence "
				    "\"%s\": expected a percentage above 0 and "
				    "below 100", optarg);
			break;
		case OPT_DIMS:
			failed = ka_feedback_parse_dims(c, optarg, error,
			    sizeof(error));
			break;
		case OPT_TOPICS:
			o->topics_file = optarg;
			break;
		case OPT_NO_TOPICS:
			o->no_topics = 1;
			break;
		case OPT_LIST_TOPICS:
			o->list_topics = 1;
			break;
		case OPT_QUOTES:
			c->quotes = count_argument(o, "--quotes", optarg, 0,
			    1000);
			o->quotes_given = 1;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "reassign") == 0)
				o->fail_on = FAIL_REASSIGN;
			else if (strcmp(optarg, "watch") == 0)
				o->fail_on = FAIL_WATCH;
			else if (strcmp(optarg, "negative") == 0)
				o->fail_on = FAIL_NEGATIVE;
			else
				ka_cli_usage_error(&o->cli, "bad --fail-on "
				    "\"%s\": expected reassign, watch or "
				    "negative", optarg);
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
		if (failed)
			ka_cli_usage_error(&o->cli, "%s", error);
	}
}

/* What the options say together; the periods need --as-of, known now. */
static void
check_options(struct options *o)
{
	struct ka_feedback_config *c = &o->config;
	char error[512];

	c->as_of = o->cli.as_of;
	c->decimal_comma = o->cli.decimal_comma;
	c->date_format = o->cli.date_format;
	c->null_string = o->cli.null_string;
	c->filter = o->cli.filter;
	if (o->period != NULL && o->since != NULL)
		ka_cli_usage_error(&o->cli, "--period and --since do not go "
		    "together");
	if (o->period != NULL) {
		if (ka_period_parse(o->period, c->as_of, &c->period, error,
		    sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "--period: %s", error);
		c->has_period = 1;
	}
	if (o->since != NULL) {
		if (ka_date_parse(o->since, strlen(o->since), &c->since) < 0)
			ka_cli_usage_error(&o->cli, "bad --since \"%s\": expected "
			    "a date like 2026-09-01", o->since);
		if (c->since > c->as_of)
			ka_cli_usage_error(&o->cli, "--since %s is after --as-of",
			    o->since);
		if (ka_feedback_by_period(c))
			ka_cli_usage_error(&o->cli, "--since makes one period; "
			    "--by period needs --period");
		if (o->periods_given)
			ka_cli_usage_error(&o->cli, "--since makes one period; "
			    "drop --periods");
		c->has_since = 1;
	}
	if ((c->ntiers > 0 || o->weight_given) && o->accounts == NULL)
		ka_cli_usage_error(&o->cli, "%s needs --accounts FILE (ka-rank "
		    "output) for the tiers", c->ntiers > 0 ? "--tiers" :
		    "--weight tier");
	if (o->no_topics && (o->topics_file != NULL || o->quotes_given))
		ka_cli_usage_error(&o->cli, "--no-topics does not go with %s",
		    o->topics_file != NULL ? "--topics" : "--quotes");
	if (o->fail_on == FAIL_NEGATIVE && !c->has_since)
		ka_cli_usage_error(&o->cli, "--fail-on negative needs --since "
		    "(verdicts)");
	if ((o->fail_on == FAIL_REASSIGN || o->fail_on == FAIL_WATCH) &&
	    (c->has_since || ka_feedback_by_period(c)))
		ka_cli_usage_error(&o->cli, "--fail-on %s needs flags: not "
		    "with --since or --by period", o->fail_on == FAIL_WATCH ?
		    "watch" : "reassign");
}

/* ---- processing ---- */

static ka_topics *
load_topics(const struct options *o)
{
	ka_topics *topics;
	char error[1024];

	if (o->no_topics)
		return NULL;
	if (o->topics_file == NULL)
		return ka_topics_default();
	topics = ka_topics_new();
	if (ka_topics_load(topics, o->topics_file, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_USAGE, "--topics %s", error);
	return topics;
}

static void
list_topics(const ka_topics *topics)
{
	size_t i, j;

	printf("# ka-feedback topics: NAME PATTERN, one alternative a line\n");
	for (i = 0; topics != NULL && i < ka_topics_count(topics); i++)
		for (j = 0; j < ka_topics_patterns(topics, i); j++)
			printf("%s\t%s\n", ka_topics_name(topics, i),
			    ka_topics_pattern(topics, i, j));
}

/* Reads every record into the engine: 0, or -1 with why in message. */
static int
aggregate(struct options *o, ka_reader *reader, ka_feedback *fb,
    struct ka_rejects *rejects, char *message, size_t size)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			if (!o->cli.lenient) {
				snprintf(message, size, "%s",
				    ka_reader_error(reader));
				return -1;
			}
			ka_rejects_add(rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			ka_feedback_reject(fb);
			continue;
		}
		switch (ka_feedback_add(fb, &rec)) {
		case KA_FEEDBACK_BAD:
			if (!o->cli.lenient) {
				snprintf(message, size, "%s:%lu: %s", rec.file,
				    rec.line, ka_feedback_error(fb));
				return -1;
			}
			ka_rejects_add(rejects, &rec,
			    ka_feedback_error_column(fb),
			    ka_feedback_error(fb));
			ka_feedback_reject(fb);
			break;
		case KA_FEEDBACK_FATAL:
			snprintf(message, size, "%s", ka_feedback_error(fb));
			return -1;
		default:
			break;
		}
	}
	if (got < 0) {
		snprintf(message, size, "%s", ka_reader_error(reader));
		return -1;
	}
	return 0;
}

static void
print_notes(const struct options *o, const ka_feedback *fb)
{
	const struct ka_feedback_counts *n = ka_feedback_counts(fb);
	const char *note = ka_feedback_note(fb);
	char keys[256];

	if (note != NULL)
		fprintf(stderr, "%s: %s\n", ka_program(), note);
	ka_feedback_key_names(fb, keys, sizeof(keys));
	if (n->unassigned > 0)
		fprintf(stderr, "%s: %lu %s with no %s %s left out\n",
		    ka_program(), n->unassigned, n->unassigned == 1 ?
		    "response" : "responses", keys, n->unassigned == 1 ?
		    "was" : "were");
	if (!o->cli.lenient)
		return;
	fprintf(stderr, "%s: responses read %lu = used %lu + outside the "
	    "periods %lu", ka_program(), n->read, n->used, n->outside);
	if (n->filtered > 0)
		fprintf(stderr, " + filtered out %lu", n->filtered);
	if (n->excluded > 0)
		fprintf(stderr, " + not in --tiers %lu", n->excluded);
	if (n->unassigned > 0)
		fprintf(stderr, " + with no %s %lu", keys, n->unassigned);
	fprintf(stderr, " + rejected %lu\n", n->rejected);
}

/* Groups the --fail-on condition holds for. */
static size_t
alerts(const struct options *o, const ka_feedback *fb)
{
	const struct ka_feedback_row *rows;
	size_t count, i, hits = 0;

	rows = ka_feedback_rows(fb, &count);
	for (i = 0; i < count; i++)
		switch (o->fail_on) {
		case FAIL_REASSIGN:
			hits += rows[i].flag == KA_FEEDBACK_REASSIGN;
			break;
		case FAIL_WATCH:
			hits += rows[i].flag == KA_FEEDBACK_REASSIGN ||
			    rows[i].flag == KA_FEEDBACK_WATCH;
			break;
		case FAIL_NEGATIVE:
			hits += rows[i].flag == KA_FEEDBACK_NEGATIVE;
			break;
		default:
			break;
		}
	return hits;
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	ka_reader *reader;
	ka_writer *writer;
	ka_feedback *fb;
	ka_topics *topics;
	char error[2048];
	int missing;
	size_t hits = 0;

	memset(&o, 0, sizeof(o));
	signal(SIGPIPE, SIG_IGN);
	ka_cli_init(&o.cli, "ka-feedback", usage);
	ka_feedback_config_init(&o.config);
	parse_options(&o, argc, argv);
	check_options(&o);
	topics = load_topics(&o);
	if (o.list_topics) {
		list_topics(topics);
		ka_topics_free(topics);
		ka_filter_free(o.cli.filter);
		if (fflush(stdout) != 0 && errno != EPIPE)
			ka_die(KA_EXIT_DATA, "standard output: write error");
		return KA_EXIT_OK;
	}
	o.config.topics = topics;

	reader = ka_cli_open(&o.cli, argc - optind, argv + optind);
	fb = ka_feedback_new(&o.config);
	if (o.accounts != NULL && ka_feedback_load_accounts(fb, o.accounts,
	    &o.cli.read, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "--accounts %s", error);
	if (ka_feedback_bind(fb, ka_reader_header(reader), &o.cli.roles,
	    &missing, error, sizeof(error)) < 0) {
		if (missing >= 0)
			ka_roles_require(&o.cli.roles, ka_reader_header(reader),
			    (enum ka_role)missing);
		ka_die(KA_EXIT_USAGE, "%s", error);
	}
	ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects : NULL);
	if (aggregate(&o, reader, fb, &rejects, error, sizeof(error)) < 0) {
		/* Free first, so a leak check at exit sees nothing; ka_die
		   then removes a --rejects file in progress. */
		ka_feedback_free(fb);
		ka_topics_free(topics);
		ka_reader_close(reader);
		ka_filter_free(o.cli.filter);
		ka_die(KA_EXIT_DATA, "%s", error);
	}
	if (ka_feedback_finish(fb, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);

	writer = ka_writer_open(o.cli.output, ka_cli_output_format(&o.cli,
	    reader));
	if (o.quotes_given)
		ka_feedback_write_topics(fb, writer);
	else
		ka_feedback_write_table(fb, writer);
	ka_writer_close(writer);
	ka_rejects_close(&rejects);
	print_notes(&o, fb);
	if (o.fail_on != FAIL_NEVER && (hits = alerts(&o, fb)) > 0)
		fprintf(stderr, "%s: --fail-on: %zu %s %s\n", ka_program(),
		    hits, hits == 1 ? "group" : "groups",
		    o.fail_on == FAIL_REASSIGN ? "flagged reassign" :
		    o.fail_on == FAIL_WATCH ? "flagged watch or reassign" :
		    "with a negative verdict");
	ka_feedback_free(fb);
	ka_topics_free(topics);
	ka_reader_close(reader);
	ka_filter_free(o.cli.filter);
	return hits > 0 ? KA_EXIT_ALERT : KA_EXIT_OK;
}
