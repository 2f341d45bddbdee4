#define _POSIX_C_SOURCE 200809L
/*
 * ka-report: the weekly key-account report for management.  One pass
 * over the sales export feeds the ranking engine (common/ka_rank.c) for
 * the period, the period before, the same period a year ago and the
 * risk window, so every figure is one ka-rank gives on the same input.
 * A large file is read in pieces on every processor (ka_pieces.h), each
 * piece with engines of its own.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_pieces.h"
#include "ka_rank.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_report.h"
#include "ka_report_sections.h"
#include "ka_roles.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_PERIOD = KA_OPT_PROGRAM,
	OPT_TOP,
	OPT_LANG,
	OPT_ASCII,
	OPT_TITLE,
	OPT_TO,
	OPT_FROM,
	OPT_SUBJECT,
	OPT_FAIL_ON,
	OPT_ABC,
	OPT_RISK_WINDOW,
	OPT_ACCOUNTS,
	OPT_VISITS,
	OPT_EVENTS,
	OPT_VISITORS,
	OPT_FEEDBACK,
	OPT_STOCK,
	OPT_ORDERS,
	OPT_PEAK,
	OPT_LEAD,
	OPT_REBATES,
	OPT_SETTLED,
	OPT_NEAR,
	OPT_PROMOS
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "period",	 required_argument, NULL, OPT_PERIOD },
	{ "top",	 required_argument, NULL, OPT_TOP },
	{ "lang",	 required_argument, NULL, OPT_LANG },
	{ "ascii",	 no_argument,	    NULL, OPT_ASCII },
	{ "title",	 required_argument, NULL, OPT_TITLE },
	{ "to",		 required_argument, NULL, OPT_TO },
	{ "from",	 required_argument, NULL, OPT_FROM },
	{ "subject",	 required_argument, NULL, OPT_SUBJECT },
	{ "fail-on",	 required_argument, NULL, OPT_FAIL_ON },
	{ "abc",	 required_argument, NULL, OPT_ABC },
	{ "risk-window", required_argument, NULL, OPT_RISK_WINDOW },
	{ "accounts",	 required_argument, NULL, OPT_ACCOUNTS },
	{ "visits",	 required_argument, NULL, OPT_VISITS },
	{ "events",	 required_argument, NULL, OPT_EVENTS },
	{ "visitors",	 required_argument, NULL, OPT_VISITORS },
	{ "feedback",	 required_argument, NULL, OPT_FEEDBACK },
	{ "stock",	 required_argument, NULL, OPT_STOCK },
	{ "orders",	 required_argument, NULL, OPT_ORDERS },
	{ "peak",	 required_argument, NULL, OPT_PEAK },
	{ "lead",	 required_argument, NULL, OPT_LEAD },
	{ "rebates",	 required_argument, NULL, OPT_REBATES },
	{ "settled",	 required_argument, NULL, OPT_SETTLED },
	{ "near",	 required_argument, NULL, OPT_NEAR },
	{ "promos",	 required_argument, NULL, OPT_PROMOS },
	{ NULL, 0, NULL, 0 }
};

struct options {
	struct ka_cli	 cli;
	const char	*period;
	size_t		 top;
	enum ka_report_lang lang;
	int		 ascii;
	const char	*title;
	const char	*to, *from, *subject;
	int		 format;	/* enum ka_report_format, or -1 */
	int		 fail_at_risk, fail_lost;
	const char	*abc;
	int		 risk_days;
	struct ka_report_inputs in;	/* for the sections of other engines */
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;
	const char *line, *end;

	fprintf(out,
"usage: ka-report [-O text|md|html|json|eml] [--period P] [--top N]\n"
"                 [--lang en|zh] [--ascii] [--fail-on at-risk|lost]\n"
"                 [options] [FILE...]\n"
"\n"
"The key-account report for a period (default: last-week before --as-of):\n"
"headline, key accounts, movement, concentration, accounts at risk.\n"
"\n"
"  -O, --output-format F  text (default), md, html, json or eml; with -o\n"
"                         the file's extension (.txt .md .html .json .eml)\n"
"      --period P         the period reported (default last-week)\n"
"      --top N            key accounts in the table (default 20)\n"
"      --abc A,B          tier cut-offs in cumulative percent (80,95)\n"
"      --risk-window N    days, or Nw/Nm, up to --as-of, used for\n"
"                         lapsed, declining and lost accounts (default 52w)\n"
"      --lang en|zh       labels and dates in English or Chinese\n"
"      --ascii            plain ASCII sparklines and rules in text\n"
"      --title TEXT       the report's title\n"
"      --to ADDR, --from ADDR, --subject TEXT\n"
"                         headers of the eml form (for sendmail -t)\n"
"      --fail-on WHAT     exit 3 when at-risk accounts or lost accounts\n"
"                         are in the report (repeatable)\n"
"\n"
"Sections from other engines, each shown when its input is given:\n"
"      --accounts FILE    key accounts (ka-rank output) for the sections;\n"
"                         default: the ranking of the risk window\n"
"      --visits FILE      visits log: compliance, executive time (ka-visit)\n"
"      --events FILE      account events ahead (with --visits)\n"
"      --visitors FILE    visitors and their share of time (with --visits)\n"
"      --feedback FILE    survey responses: reps to reassign (ka-feedback)\n"
"      --stock FILE       stock levels: stock-outs ahead (ka-stock)\n"
"      --orders FILE      open orders (with --stock)\n"
"      --peak P           the peak checked by --stock (default next month)\n"
"      --lead N           lead time for --stock, days or Nw (default 3w)\n"
"      --rebates FILE     agreements: accruals, accounts near a tier\n"
"      --settled FILE     rebates settled so far (with --rebates)\n"
"      --near PCT         how near the next tier counts (default 10)\n"
"      --promos FILE      promotions ended in the period (ka-promo)\n"
"\n");
	/* The shared -O line names the table formats; the report's is above. */
	for (line = ka_cli_common_help; *line != '\0'; line = end) {
		end = strchr(line, '\n');
		end = end != NULL ? end + 1 : line + strlen(line);
		if (strncmp(line, "  -O, --output-format", 21) != 0)
			fwrite(line, 1, (size_t)(end - line), out);
	}
	exit(status);
}

static int
report_format(const char *name)
{
	static const char *const names[] = { "text", "md", "html", "json",
		"eml" };
	size_t i;

	if (strcmp(name, "txt") == 0 || strcmp(name, "markdown") == 0)
		return strcmp(name, "txt") == 0 ? KA_REPORT_TEXT : KA_REPORT_MD;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

static int
format_from_path(const char *path)
{
	const char *dot;

	char lower[16];
	size_t i;

	if (path == NULL || (dot = strrchr(path, '.')) == NULL ||
	    strchr(dot, '/') != NULL || strlen(dot + 1) >= sizeof(lower))
		return -1;
	/* REPORT.HTML from a Windows share is HTML too. */
	for (i = 0; dot[i + 1] != '\0'; i++)
		lower[i] = (char)(dot[i + 1] >= 'A' && dot[i + 1] <= 'Z' ?
		    dot[i + 1] - 'A' + 'a' : dot[i + 1]);
	lower[i] = '\0';
	if (strcmp(lower, "htm") == 0)
		return KA_REPORT_HTML;
	return report_format(lower);
}

/* "52w", "12m", "365" (days) as a number of days. */
static int
parse_window(const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || n < 1 || n > 3660 || end == text)
		return -1;
	if (*end == 'w' && end[1] == '\0')
		n *= 7;
	else if (*end == 'm' && end[1] == '\0')
		n = n * 365 / 12;
	else if (*end == 'd' && end[1] == '\0')
		;
	else if (*end != '\0')
		return -1;
	return n > 3660 ? -1 : (int)n;
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	char *end;
	long n;
	int opt;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-report", usage);
	o->top = 20;
	o->format = -1;
	o->risk_days = 52 * 7;
	o->in.lead_days = 21;
	o->in.near_pct = 10;
	argv[0] = (char *)ka_program();
	while ((opt = getopt_long(argc, argv, KA_COMMON_SHORT, long_options,
	    NULL)) != -1) {
		/* -O takes the report's formats, not the table formats. */
		if (opt == 'O') {
			if ((o->format = report_format(optarg)) < 0)
				ka_cli_usage_error(&o->cli, "unknown output "
				    "format \"%s\" (text, md, html, json, eml)",
				    optarg);
			continue;
		}
		if (ka_cli_option(&o->cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PERIOD:
			o->period = optarg;
			break;
		case OPT_TOP:
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || n < 1 || n > 100000)
				ka_cli_usage_error(&o->cli, "bad --top \"%s\": "
				    "give a number from 1", optarg);
			o->top = (size_t)n;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") == 0)
				o->lang = KA_LANG_EN;
			else if (strcmp(optarg, "zh") == 0)
				o->lang = KA_LANG_ZH;
			else
				ka_cli_usage_error(&o->cli, "bad --lang \"%s\" "
				    "(en, zh)", optarg);
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_TITLE:
			o->title = optarg;
			break;
		case OPT_TO:
			o->to = optarg;
			break;
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_SUBJECT:
			o->subject = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "at-risk") == 0)
				o->fail_at_risk = 1;
			else if (strcmp(optarg, "lost") == 0)
				o->fail_lost = 1;
			else
				ka_cli_usage_error(&o->cli, "bad --fail-on "
				    "\"%s\" (at-risk, lost)", optarg);
			break;
		case OPT_ABC:
			o->abc = optarg;
			break;
		case OPT_RISK_WINDOW:
			if ((o->risk_days = parse_window(optarg)) < 0)
				ka_cli_usage_error(&o->cli, "bad --risk-window "
				    "\"%s\": give days, or weeks like 52w, or "
				    "months like 12m", optarg);
			break;
		case OPT_ACCOUNTS:
			o->in.accounts = optarg;
			break;
		case OPT_VISITS:
			o->in.visits = optarg;
			break;
		case OPT_EVENTS:
			o->in.events = optarg;
			break;
		case OPT_VISITORS:
			o->in.visitors = optarg;
			break;
		case OPT_FEEDBACK:
			o->in.feedback = optarg;
			break;
		case OPT_STOCK:
			o->in.stock = optarg;
			break;
		case OPT_ORDERS:
			o->in.orders = optarg;
			break;
		case OPT_PEAK:
			o->in.peak = optarg;
			break;
		case OPT_LEAD:
			if ((o->in.lead_days = parse_window(optarg)) < 0)
				ka_cli_usage_error(&o->cli, "bad --lead \"%s\": "
				    "give days or weeks like 3w", optarg);
			break;
		case OPT_REBATES:
			o->in.rebates = optarg;
			break;
		case OPT_SETTLED:
			o->in.settled = optarg;
			break;
		case OPT_NEAR:
			errno = 0;
			o->in.near_pct = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    isnan(o->in.near_pct) || o->in.near_pct < 0 ||
			    o->in.near_pct > 1000)
				ka_cli_usage_error(&o->cli, "bad --near \"%s\": "
				    "give a percentage", optarg);
			break;
		case OPT_PROMOS:
			o->in.promos = optarg;
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	if ((o->in.events != NULL || o->in.visitors != NULL) &&
	    o->in.visits == NULL)
		ka_cli_usage_error(&o->cli, "--events and --visitors need "
		    "--visits");
	if ((o->in.orders != NULL || o->in.peak != NULL) && o->in.stock == NULL)
		ka_cli_usage_error(&o->cli, "--orders and --peak need --stock");
	if (o->in.settled != NULL && o->in.rebates == NULL)
		ka_cli_usage_error(&o->cli, "--settled needs --rebates");
	if (o->format < 0)
		o->format = format_from_path(o->cli.output);
	if (o->format < 0)
		o->format = KA_REPORT_TEXT;
}

/* ---- processing ---- */

enum engine_name { E_NOW, E_PREVIOUS, E_YEAR_AGO, E_RISK, E_COUNT };

/* The sparklines' sums: the run's, or a piece's (see read_in_pieces()). */
struct spark {
	ka_period	 period[KA_REPORT_SPARK];
	ka_date		 first, last;
	ka_keys		*keys;
	ka_dec		*sums;		/* KA_REPORT_SPARK per key */
	size_t		 capacity;
	ka_dec		 total[KA_REPORT_SPARK];
	long		 key_column, amount_column, qty_column, price_column;
	long		 date_column;
};

struct run {
	struct options	*o;
	ka_reader	*reader;
	int		 nfiles;
	char *const	*files;
	ka_rank		*engine[E_COUNT];
	ka_date		 first[E_COUNT], last[E_COUNT];	/* what each reads */
	ka_period	 period, previous, year_ago, window, before_window;
	struct spark	 spark;
	struct ka_rejects rejects;
	unsigned long	 read, rejected, filtered;
	unsigned long	 absorbed;	/* pieces read_in_pieces() took */
};

static void
configure(struct run *run, enum engine_name name, const ka_period *period,
    const ka_period *compare)
{
	struct options *o = run->o;
	struct ka_rank_config c;
	char error[512];
	enum ka_role missing;

	ka_rank_config_init(&c);
	c.as_of = o->cli.as_of;
	c.has_period = 1;
	c.period = *period;
	if (compare != NULL) {
		c.has_compare = 1;
		c.compare = *compare;
		snprintf(c.compare_text, sizeof(c.compare_text), "prev");
	}
	c.decimal_comma = o->cli.decimal_comma;
	c.date_format = o->cli.date_format;
	c.null_string = o->cli.null_string;
	if (o->abc != NULL && ka_rank_parse_abc(&c, o->abc, error,
	    sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "%s", error);
	run->engine[name] = ka_rank_new(&c);
	if (ka_rank_bind(run->engine[name], ka_reader_header(run->reader),
	    &o->cli.roles, &missing) < 0)
		ka_roles_require(&o->cli.roles, ka_reader_header(run->reader),
		    missing);
	run->first[name] = period->first;
	run->last[name] = period->last;
	if (compare != NULL) {
		if (compare->first < run->first[name])
			run->first[name] = compare->first;
		if (compare->last > run->last[name])
			run->last[name] = compare->last;
	}
}

static void
configure_all(struct run *run)
{
	configure(run, E_NOW, &run->period, &run->previous);
	configure(run, E_PREVIOUS, &run->previous, NULL);
	configure(run, E_YEAR_AGO, &run->year_ago, NULL);
	configure(run, E_RISK, &run->window, &run->before_window);
}

static void
set_up(struct run *run)
{
	struct options *o = run->o;
	struct spark *s = &run->spark;
	const struct ka_roles *roles = &o->cli.roles;
	char error[256];
	int i;

	if (ka_period_parse(o->period != NULL ? o->period : "last-week",
	    o->cli.as_of, &run->period, error, sizeof(error)) < 0)
		ka_cli_usage_error(&o->cli, "%s", error);
	run->previous = ka_period_previous(&run->period);
	run->year_ago = ka_period_year_ago(&run->period);
	run->window.kind = KA_PERIOD_RANGE;
	/* Risk looks at everything known: the window ends at --as-of. */
	run->window.last = o->cli.as_of;
	run->window.first = o->cli.as_of - o->risk_days + 1;
	run->before_window = ka_period_previous(&run->window);

	configure_all(run);

	s->period[KA_REPORT_SPARK - 1] = run->period;
	for (i = KA_REPORT_SPARK - 2; i >= 0; i--)
		s->period[i] = ka_period_previous(&s->period[i + 1]);
	s->first = s->period[0].first;
	s->last = s->period[KA_REPORT_SPARK - 1].last;
	s->keys = ka_keys_new();
	s->key_column = roles->column[KA_ROLE_CUSTOMER_ID] >= 0 ?
	    roles->column[KA_ROLE_CUSTOMER_ID] : roles->column[KA_ROLE_CUSTOMER];
	s->amount_column = roles->column[KA_ROLE_AMOUNT];
	s->qty_column = roles->column[KA_ROLE_QTY];
	s->price_column = roles->column[KA_ROLE_UNIT_PRICE];
	s->date_column = roles->column[KA_ROLE_DATE];
	ka_roles_require(roles, ka_reader_header(run->reader), KA_ROLE_DATE);
}

/*
 * A value of a row the sparklines read.  The engines read only rows
 * dated in their own periods, and twelve quarters or months reach
 * further back than any of them, so a value no engine has seen may be
 * bad: the message is then worded as ka-rank words it.
 */
static int
field_decimal(const struct run *run, const ka_record *rec, long column,
    enum ka_role role, ka_dec *value, char *message, size_t size)
{
	const ka_record *header = ka_reader_header(run->reader);
	enum ka_dec_status status = KA_DEC_EMPTY;
	const char *text = "";
	size_t length = 0;

	if (column >= 0 && (size_t)column < rec->nfields) {
		text = ka_field(rec, (size_t)column);
		length = ka_field_length(rec, (size_t)column);
		if (!ka_cli_is_null(&run->o->cli, text, length))
			status = ka_dec_parse(text, length,
			    run->o->cli.decimal_comma, value);
	}
	if (status == KA_DEC_OK)
		return 0;
	if (status == KA_DEC_EMPTY)
		snprintf(message, size, "column %ld (%s): empty %s", column + 1,
		    header != NULL ? ka_field(header, (size_t)column) : "",
		    ka_role_name(role));
	else
		snprintf(message, size, "column %ld (%s): %s: \"%.*s\"",
		    column + 1, header != NULL ? ka_field(header,
		    (size_t)column) : "", ka_dec_status_text(status),
		    (int)(length > 60 ? 60 : length), text);
	return -1;
}

/* The id of key in s, with room for its sums. */
static uint32_t
spark_key(struct spark *s, const char *key, size_t length)
{
	uint32_t id = ka_keys_intern(s->keys, key, length, NULL);

	if (id >= s->capacity) {
		size_t old = s->capacity;

		s->capacity = s->capacity * 2 + 256;
		s->sums = realloc(s->sums, s->capacity * KA_REPORT_SPARK *
		    sizeof(*s->sums));
		if (s->sums == NULL)
			ka_die(KA_EXIT_DATA, "out of memory");
		memset(s->sums + old * KA_REPORT_SPARK, 0,
		    (s->capacity - old) * KA_REPORT_SPARK * sizeof(*s->sums));
	}
	return id;
}

/*
 * Adds a row to the sparklines s (the run's, or a piece's: s is all it
 * writes).  Returns 0, or -1 with the column (1-based) and a message
 * when a value cannot be read.
 */
static int
add_spark(const struct run *run, struct spark *s, const ka_record *rec,
    ka_date date, size_t *column, char *message, size_t size)
{
	const char *key;
	size_t length, bucket;
	ka_dec amount, qty, price;
	uint32_t id;

	if (date < s->first || date > s->last || s->key_column < 0)
		return 0;
	key = ka_field(rec, (size_t)s->key_column);
	length = ka_field_length(rec, (size_t)s->key_column);
	while (length > 0 && (*key == ' ' || *key == '\t'))
		key++, length--;
	while (length > 0 && (key[length - 1] == ' ' || key[length - 1] == '\t'))
		length--;
	if (length == 0 || ka_cli_is_null(&run->o->cli, key, length))
		return 0;
	if (s->amount_column >= 0) {
		*column = (size_t)s->amount_column + 1;
		if (field_decimal(run, rec, s->amount_column, KA_ROLE_AMOUNT,
		    &amount, message, size) < 0)
			return -1;
	} else {
		*column = (size_t)s->qty_column + 1;
		if (field_decimal(run, rec, s->qty_column, KA_ROLE_QTY, &qty,
		    message, size) < 0)
			return -1;
		*column = (size_t)s->price_column + 1;
		if (field_decimal(run, rec, s->price_column,
		    KA_ROLE_UNIT_PRICE, &price, message, size) < 0)
			return -1;
		if (ka_dec_mul(qty, price, &amount) < 0) {
			snprintf(message, size, "column %zu (%s): qty x "
			    "unit_price is out of range", *column,
			    ka_field(ka_reader_header(run->reader),
			    *column - 1));
			return -1;
		}
	}
	for (bucket = 0; bucket < KA_REPORT_SPARK; bucket++)
		if (ka_period_contains(&s->period[bucket], date))
			break;
	if (bucket == KA_REPORT_SPARK)
		return 0;
	id = spark_key(s, key, length);
	/* The engines check overflow of far larger sums; these are parts. */
	ka_dec_add(&s->sums[id * KA_REPORT_SPARK + bucket], amount);
	ka_dec_add(&s->total[bucket], amount);
	return 0;
}

/* Adds from's sums to into's, key by key. */
static void
spark_absorb(struct spark *into, const struct spark *from)
{
	size_t i, n = ka_keys_count(from->keys), k;

	for (i = 0; i < n; i++) {
		uint32_t id = spark_key(into, ka_keys_text(from->keys,
		    (uint32_t)i), ka_keys_length(from->keys, (uint32_t)i));

		for (k = 0; k < KA_REPORT_SPARK; k++)
			ka_dec_add(&into->sums[id * KA_REPORT_SPARK + k],
			    from->sums[i * KA_REPORT_SPARK + k]);
	}
	for (k = 0; k < KA_REPORT_SPARK; k++)
		ka_dec_add(&into->total[k], from->total[k]);
}

static void
reject(struct run *run, const ka_record *rec, size_t column,
    const char *message)
{
	ka_rejects_bad_row(&run->rejects, run->o->cli.lenient, rec, column,
	    message);
	run->rejected++;
}

/* ---- one large file in pieces ---- */

/* What a piece of the file gives: each engine's figures, and the
   sparklines' sums. */
struct piece {
	ka_rank		*engine[E_COUNT];
	struct spark	 spark;
	unsigned long	 read;
};

static void *
piece_new(void *context)
{
	const struct run *run = context;
	/* A cache line of its own: pieces' threads write no line in common. */
	size_t size = (sizeof(struct piece) + 63) / 64 * 64;
	struct piece *p = aligned_alloc(64, size);
	int e;

	if (p == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	memset(p, 0, size);
	for (e = 0; e < E_COUNT; e++)
		p->engine[e] = ka_rank_piece_new(run->engine[e]);
	p->spark = run->spark;
	p->spark.keys = ka_keys_new();
	p->spark.sums = NULL;
	p->spark.capacity = 0;
	memset(p->spark.total, 0, sizeof(p->spark.total));
	return p;
}

/*
 * One record of a piece, as read_all() takes it, on the piece's thread:
 * run is only read.  A row read_all() would reject (or die of) gives up
 * the pieces: the one pass then says what is wrong where.
 */
static int
piece_record(const void *context, void *piece, const ka_record *rec)
{
	const struct run *run = context;
	const struct spark *s = &run->spark;
	struct piece *p = piece;
	enum ka_rank_verdict verdict;
	ka_date date;
	char error[256];
	size_t column;
	int e;

	p->read++;
	if ((size_t)s->date_column >= rec->nfields ||
	    ka_cli_date(&run->o->cli, ka_field(rec, (size_t)s->date_column),
	    ka_field_length(rec, (size_t)s->date_column), &date) < 0)
		return -1;
	for (e = 0; e < E_COUNT; e++) {
		if (date < run->first[e] || date > run->last[e])
			continue;
		verdict = ka_rank_add(p->engine[e], rec);
		if (verdict == KA_RANK_BAD || verdict == KA_RANK_FATAL)
			return -1;
	}
	return add_spark(run, &p->spark, rec, date, &column, error,
	    sizeof(error));
}

/* A piece after the rows before it (pieces and files in input order). */
static int
piece_absorb(void *context, void *piece)
{
	struct run *run = context;
	struct piece *p = piece;
	int e;

	run->absorbed++;
	for (e = 0; e < E_COUNT; e++)
		if (ka_rank_absorb(run->engine[e], p->engine[e]) < 0)
			return -1;
	spark_absorb(&run->spark, &p->spark);
	run->read += p->read;
	return 0;
}

static void
piece_free(void *context, void *piece)
{
	struct piece *p = piece;
	int e;

	(void)context;
	for (e = 0; e < E_COUNT; e++)
		ka_rank_free(p->engine[e]);
	ka_keys_free(p->spark.keys);
	free(p->spark.sums);
	free(p);
}

/*
 * Every input file in pieces on every processor: 1 when done, else 0
 * with the run as it was (engines and sparklines empty), for the one
 * pass.  Plain regular files only, no --where (it counts matches on one
 * thread); ka_pieces_read() declines the rest (small files, an
 * --encoding, -H, ...) and any row that needs a message.
 */
static int
read_in_pieces(struct run *run)
{
	static const struct ka_pieces_callbacks callbacks = {
		piece_new, piece_record, piece_absorb, piece_free
	};
	const struct options *o = run->o;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int i, e;

	if (run->nfiles == 0 || jobs < 2 || ka_filter_count(o->cli.filter) > 0)
		return 0;
	for (i = 0; i < run->nfiles; i++)
		if (strcmp(run->files[i], "-") == 0)
			return 0;
	for (i = 0; i < run->nfiles; i++)
		if (ka_pieces_read(run->files[i], ka_reader_header(run->reader),
		    &o->cli.read, ka_reader_delimiter(run->reader), (int)jobs,
		    &callbacks, run) != 1)
			break;
	if (i == run->nfiles)
		return 1;
	if (run->absorbed > 0) {
		/* Earlier files (or pieces) went in: start afresh. */
		for (e = 0; e < E_COUNT; e++)
			ka_rank_free(run->engine[e]);
		configure_all(run);
		ka_keys_free(run->spark.keys);
		free(run->spark.sums);
		run->spark.keys = ka_keys_new();
		run->spark.sums = NULL;
		run->spark.capacity = 0;
		memset(run->spark.total, 0, sizeof(run->spark.total));
		run->read = 0;
	}
	return 0;
}

static void
read_all(struct run *run)
{
	const struct spark *s = &run->spark;
	enum ka_read_status status;
	ka_record rec;
	ka_date date;
	char error[1024];
	int got, passed, e;
	size_t column;

	if (read_in_pieces(run))
		return;
	while ((got = ka_reader_next(run->reader, &rec, &status)) > 0) {
		int bad = 0;

		run->read++;
		if (status != KA_READ_OK) {
			reject(run, &rec, ka_reader_error_column(run->reader),
			    ka_reader_reason(run->reader));
			continue;
		}
		passed = ka_filter_match(run->o->cli.filter, &rec, error,
		    sizeof(error));
		if (passed < 0)
			ka_die(KA_EXIT_DATA, "%s", error);
		if (!passed) {
			run->filtered++;
			continue;
		}
		if ((size_t)s->date_column >= rec.nfields ||
		    ka_cli_date(&run->o->cli, ka_field(&rec,
		    (size_t)s->date_column), ka_field_length(&rec,
		    (size_t)s->date_column), &date) < 0) {
			/* The engine words the message as ka-rank does. */
			ka_rank_add(run->engine[E_NOW], &rec);
			reject(run, &rec, ka_rank_error_column(
			    run->engine[E_NOW]), ka_rank_error(
			    run->engine[E_NOW]));
			continue;
		}
		for (e = 0; e < E_COUNT && !bad; e++) {
			if (date < run->first[e] || date > run->last[e])
				continue;
			switch (ka_rank_add(run->engine[e], &rec)) {
			case KA_RANK_BAD:
				reject(run, &rec, ka_rank_error_column(
				    run->engine[e]), ka_rank_error(
				    run->engine[e]));
				bad = 1;
				break;
			case KA_RANK_FATAL:
				ka_die(KA_EXIT_DATA, "%s",
				    ka_rank_error(run->engine[e]));
			default:
				break;
			}
		}
		if (!bad && add_spark(run, &run->spark, &rec, date, &column,
		    error, sizeof(error)) < 0)
			reject(run, &rec, column, error);
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(run->reader));
}

static double
to_double(ka_dec v)
{
	return ka_dec_to_double(v);
}

static void
totals_of(ka_rank *engine, const ka_period *period,
    struct ka_report_totals *t, int *has_margin)
{
	const struct ka_rank_row *rows;
	size_t n, i, ranked;

	memset(t, 0, sizeof(*t));
	t->period = *period;
	rows = ka_rank_rows(engine, &n);
	ranked = ka_rank_ranked_count(engine);
	for (i = 0; i < ranked; i++) {
		ka_dec_add(&t->revenue, rows[i].revenue);
		if (rows[i].has_margin)
			ka_dec_add(&t->margin, rows[i].margin);
		else
			*has_margin = 0;
		t->orders += rows[i].orders;
	}
	t->customers = ranked;
}

static const double *
spark_of(const struct run *run, const char *key, double *out)
{
	const struct spark *s = &run->spark;
	int64_t id = ka_keys_find(s->keys, key, strlen(key));
	size_t k;

	for (k = 0; k < KA_REPORT_SPARK; k++)
		out[k] = id < 0 ? 0 : to_double(s->sums[(size_t)id *
		    KA_REPORT_SPARK + k]);
	return out;
}

static void
build_report(struct run *run, struct ka_report *r)
{
	const struct ka_rank_row *rows;
	struct ka_rank_summary summary;
	ka_rank *now = run->engine[E_NOW], *risk = run->engine[E_RISK];
	size_t n, i, ranked, k;
	int has_margin = 1;
	char error[512];

	for (i = 0; i < E_COUNT; i++)
		if (ka_rank_finish(run->engine[i], error, sizeof(error)) < 0)
			ka_die(KA_EXIT_DATA, "%s", error);
	memset(r, 0, sizeof(*r));
	r->lang = run->o->lang;
	r->ascii = run->o->ascii;
	r->as_of = run->o->cli.as_of;
	r->title = run->o->title;
	r->top = run->o->top;
	r->cut_a = 80;
	r->cut_b = 95;
	if (run->o->abc != NULL)
		sscanf(run->o->abc, "%lf,%lf", &r->cut_a, &r->cut_b);
	r->risk_window = run->window;

	totals_of(now, &run->period, &r->current, &has_margin);
	totals_of(run->engine[E_PREVIOUS], &run->previous, &r->previous,
	    &has_margin);
	totals_of(run->engine[E_YEAR_AGO], &run->year_ago, &r->year_ago,
	    &has_margin);
	r->has_margin = has_margin && ka_rank_has_role(now, KA_ROLE_COST);

	rows = ka_rank_rows(now, &n);
	ranked = ka_rank_ranked_count(now);
	r->accounts = calloc(ranked + 1, sizeof(*r->accounts));
	if (r->accounts == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < ranked; i++) {
		const struct ka_rank_row *row = &rows[i];
		struct ka_report_account *a = &r->accounts[i];

		a->customer_id = row->key;
		a->customer = row->name;
		a->tier = ka_rank_label(now, row->tier);
		a->prev_tier = row->prev_tier >= 0 ?
		    ka_rank_label(now, row->prev_tier) : "";
		a->rank = (long)row->rank;
		a->prev_rank = (long)row->prev_rank;
		a->revenue = row->revenue;
		a->prev_revenue = row->prev_revenue;
		a->share = row->has_share ? to_double(row->share) : NAN;
		a->cum_share = row->has_share ? to_double(row->cum_share) : NAN;
		a->growth = row->has_growth ? to_double(row->growth) : NAN;
		a->movement = ka_rank_movement_name(row->movement);
		spark_of(run, row->key, a->spark);
	}
	r->naccounts = ranked;
	r->gone = calloc(n - ranked + 1, sizeof(*r->gone));
	if (r->gone == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = ranked; i < n; i++) {
		struct ka_report_lost *x = &r->gone[r->ngone++];

		x->customer_id = rows[i].key;
		x->customer = rows[i].name;
		x->prev_tier = rows[i].prev_tier >= 0 ?
		    ka_rank_label(now, rows[i].prev_tier) : "";
		x->prev_revenue = rows[i].prev_revenue;
		x->last_order = rows[i].last_order;
	}

	ka_rank_summary(now, &summary);
	r->hhi = summary.has_concentration ? to_double(summary.hhi) : 0;
	for (k = 0; k < 3; k++)
		r->top_share[k] = summary.has_share ?
		    to_double(summary.top_share[k]) : 0;
	r->movement[0] = summary.movement[KA_RANK_MOVE_NEW];
	r->movement[1] = summary.movement[KA_RANK_MOVE_UP];
	r->movement[2] = summary.movement[KA_RANK_MOVE_SAME];
	r->movement[3] = summary.movement[KA_RANK_MOVE_DOWN];
	r->movement[4] = summary.movement[KA_RANK_MOVE_LOST];

	/* Lapsed or declining key accounts, and lost ones, of the window. */
	rows = ka_rank_rows(risk, &n);
	r->risks = calloc(n + 1, sizeof(*r->risks));
	r->lost = calloc(n + 1, sizeof(*r->lost));
	if (r->risks == NULL || r->lost == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < n; i++) {
		const struct ka_rank_row *row = &rows[i];

		if (!row->present) {
			struct ka_report_lost *x = &r->lost[r->nlost++];

			x->customer_id = row->key;
			x->customer = row->name;
			x->prev_revenue = row->prev_revenue;
			x->last_order = row->last_order;
			continue;
		}
		if (row->tier < 0 || row->tier > 1 ||
		    (row->risk & (KA_RANK_RISK_LAPSED |
		    KA_RANK_RISK_DECLINING)) == 0)
			continue;
		{
			struct ka_report_risk *k2 = &r->risks[r->nrisks++];
			char text[64];

			k2->customer_id = row->key;
			k2->customer = row->name;
			k2->tier = ka_rank_label(risk, row->tier);
			k2->recency_days = row->recency_days;
			k2->median_gap_days = row->has_median_gap ?
			    to_double(row->median_gap_days) : NAN;
			k2->growth = row->has_growth ? to_double(row->growth) :
			    NAN;
			ka_rank_risk_text(row->risk & (KA_RANK_RISK_LAPSED |
			    KA_RANK_RISK_DECLINING), text, sizeof(text));
			k2->risk = strdup(text);
		}
	}

	for (k = 0; k < KA_REPORT_SPARK; k++) {
		ka_period_format(&run->spark.period[k], r->spark_label[k],
		    sizeof(r->spark_label[k]));
		/* "2026-W47" reads as "W47" under a chart of weeks. */
		if (run->period.kind == KA_PERIOD_WEEK)
			memmove(r->spark_label[k], r->spark_label[k] + 5,
			    strlen(r->spark_label[k] + 5) + 1);
		r->spark_total[k] = to_double(run->spark.total[k]);
	}
}

/*
 * The key accounts the sections work with: --accounts, else the ranking
 * of the risk window written to a temporary file (customer_id,
 * customer, tier, rank, as ka-rank writes them).
 */
static char *
accounts_file(struct run *run)
{
	static const char *const names[] = { "customer_id", "customer",
		"tier", "rank" };
	const struct ka_rank_row *rows;
	const char *dir = getenv("TMPDIR");
	ka_rank *risk = run->engine[E_RISK];
	ka_writer *w;
	size_t n, i, ranked;
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((path = malloc(strlen(dir) + 32)) == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	sprintf(path, "%s/ka-report-accounts.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		ka_die(KA_EXIT_DATA, "%s: %s", path, strerror(errno));
	close(fd);
	w = ka_writer_open(path, KA_FORMAT_CSV);
	ka_writer_header(w, names, 4);
	rows = ka_rank_rows(risk, &n);
	ranked = ka_rank_ranked_count(risk);
	for (i = 0; i < ranked; i++) {
		ka_writer_string(w, rows[i].key);
		ka_writer_string(w, rows[i].name);
		ka_writer_string(w, ka_rank_label(risk, rows[i].tier));
		ka_writer_integer(w, (long long)rows[i].rank);
		ka_writer_end_row(w);
	}
	ka_writer_close(w);
	return path;
}

static void
add_sections(struct run *run, struct ka_report *r)
{
	struct options *o = run->o;
	struct ka_report_inputs *in = &o->in;
	int (*const make[])(const struct ka_report_inputs *,
	    struct ka_report_section *, char *, size_t) = {
		ka_report_visits, ka_report_feedback, ka_report_stock,
		ka_report_rebates, ka_report_promos };
	const char *wanted[5];
	char error[1024], *temporary = NULL;
	size_t i;
	int rc;

	wanted[0] = in->visits;
	wanted[1] = in->feedback;
	wanted[2] = in->stock;
	wanted[3] = in->rebates;
	wanted[4] = in->promos;
	for (i = 0; i < 5 && wanted[i] == NULL; i++)
		;
	if (i == 5)
		return;
	in->sales = (const char *const *)run->files;
	in->nsales = (size_t)run->nfiles;
	in->read = &o->cli.read;
	in->roles = &o->cli.roles;
	in->decimal_comma = o->cli.decimal_comma;
	in->date_format = o->cli.date_format;
	in->null_string = o->cli.null_string;
	in->as_of = o->cli.as_of;
	in->period = run->period;
	in->lang = o->lang;
	if (in->accounts == NULL) {
		in->accounts = temporary = accounts_file(run);
		in->accounts_ranked = 1;
	}
	r->sections = calloc(5, sizeof(*r->sections));
	if (r->sections == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < 5; i++) {
		if (wanted[i] == NULL)
			continue;
		rc = make[i](in, &r->sections[r->nsections], error,
		    sizeof(error));
		if (rc < 0) {
			if (temporary != NULL)
				unlink(temporary);
			ka_die(rc == -2 ? KA_EXIT_USAGE : KA_EXIT_DATA, "%s",
			    error);
		}
		r->nsections++;
	}
	if (temporary != NULL) {
		unlink(temporary);
		free(temporary);
		in->accounts = NULL;
	}
}

static void
free_report(struct ka_report *r)
{
	size_t i;

	for (i = 0; i < r->nsections; i++)
		ka_section_free(&r->sections[i]);
	free(r->sections);
	for (i = 0; i < r->nrisks; i++)
		free((char *)r->risks[i].risk);
	free(r->risks);
	free(r->lost);
	free(r->gone);
	free(r->accounts);
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct run run;
	struct ka_report report;
	struct ka_buf out = { 0 };
	ka_writer *writer;
	int e, status = KA_EXIT_OK;

	parse_options(&o, argc, argv);
	memset(&run, 0, sizeof(run));
	run.o = &o;
	run.nfiles = argc - optind;
	run.files = argv + optind;
	run.reader = ka_cli_open(&o.cli, argc - optind, argv + optind);
	set_up(&run);
	ka_rejects_open(&run.rejects, o.cli.lenient ? o.cli.rejects : NULL);
	read_all(&run);
	build_report(&run, &report);
	add_sections(&run, &report);

	if (o.format == KA_REPORT_EML)
		ka_report_render_eml(&out, &report, o.from, o.to, o.subject);
	else
		ka_report_render(&out, &report, o.format);
	writer = ka_writer_open(o.cli.output, KA_FORMAT_CSV);
	ka_writer_raw(writer, out.text != NULL ? out.text : "", out.length);
	ka_writer_close(writer);
	ka_rejects_close(&run.rejects);
	if (o.cli.lenient)
		fprintf(stderr, "%s: rows read %lu = used %lu + filtered out "
		    "%lu + rejected %lu\n", ka_program(), run.read,
		    run.read - run.filtered - run.rejected, run.filtered,
		    run.rejected);

	if ((o.fail_at_risk && report.nrisks > 0) ||
	    (o.fail_lost && report.nlost > 0))
		status = KA_EXIT_ALERT;
	free_report(&report);
	ka_buf_free(&out);
	for (e = 0; e < E_COUNT; e++)
		ka_rank_free(run.engine[e]);
	ka_keys_free(run.spark.keys);
	free(run.spark.sums);
	ka_reader_close(run.reader);
	ka_filter_free(o.cli.filter);
	return status;
}
