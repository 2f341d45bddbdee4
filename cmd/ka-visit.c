/*
 * ka-visit: visit cadence, executive visit plans, account events and
 * calendars.  Subcommands: status (who is overdue at which contact
 * level), plan (visits assigned to visitors over a horizon), events
 * (upcoming anniversaries, honours, moves), invite (the round-table
 * list); --ics writes iCalendar files.  The engine is common/ka_visit.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_visit.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_ACCOUNTS = KA_OPT_PROGRAM,
	OPT_POLICY,
	OPT_VISITORS,
	OPT_EVENTS,
	OPT_HOLIDAYS,
	OPT_TIER,
	OPT_SOON,
	OPT_SHOW_POLICY,
	OPT_FAIL_ON,
	OPT_HORIZON,
	OPT_START,
	OPT_PER_DAY,
	OPT_LOAD,
	OPT_UNPLANNED,
	OPT_ICS,
	OPT_WITHIN,
	OPT_BANDS,
	OPT_DATE
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "accounts",		required_argument, NULL, OPT_ACCOUNTS },
	{ "policy",		required_argument, NULL, OPT_POLICY },
	{ "visitors",		required_argument, NULL, OPT_VISITORS },
	{ "events",		required_argument, NULL, OPT_EVENTS },
	{ "holidays",		required_argument, NULL, OPT_HOLIDAYS },
	{ "tier",		required_argument, NULL, OPT_TIER },
	{ "soon",		required_argument, NULL, OPT_SOON },
	{ "show-policy",	no_argument,	   NULL, OPT_SHOW_POLICY },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ "horizon",		required_argument, NULL, OPT_HORIZON },
	{ "start",		required_argument, NULL, OPT_START },
	{ "per-day",		required_argument, NULL, OPT_PER_DAY },
	{ "load",		required_argument, NULL, OPT_LOAD },
	{ "unplanned",		required_argument, NULL, OPT_UNPLANNED },
	{ "ics",		required_argument, NULL, OPT_ICS },
	{ "within",		required_argument, NULL, OPT_WITHIN },
	{ "bands",		required_argument, NULL, OPT_BANDS },
	{ "date",		required_argument, NULL, OPT_DATE },
	{ NULL, 0, NULL, 0 }
};

enum command { CMD_NONE, CMD_STATUS, CMD_PLAN, CMD_EVENTS, CMD_INVITE };

/* Which subcommands take an option: bits 1 << CMD_*. */
#define FOR(c)		(1u << (c))
#define FOR_ALL		(FOR(CMD_STATUS) | FOR(CMD_PLAN) | FOR(CMD_EVENTS) | \
			    FOR(CMD_INVITE))

#define MAX_ACCOUNTS 16
#define MAX_GIVEN 32

struct options {
	struct ka_cli	 cli;
	enum command	 command;
	const char	*accounts[MAX_ACCOUNTS];
	size_t		 naccounts;
	const char	*policy, *visitors, *events, *holidays;
	const char	*tiers[MAX_GIVEN];
	size_t		 ntiers;
	const char	*col[MAX_GIVEN];	/* ka-visit's own --col */
	size_t		 ncol;
	int		 soon;
	int		 show_policy;
	int		 fail_on_overdue;
	int		 horizon, per_day;
	ka_date		 start, date;
	const char	*load, *unplanned, *ics;
	int		 within;
	int		 bands[3];
	/* Options given, by option code, and the first name used. */
	const char	*given[OPT_DATE - OPT_ACCOUNTS + 1];
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-visit status -a FILE [--fail-on overdue] [options] [VISITS...]\n"
"       ka-visit plan -a FILE [--horizon N] [--start DATE] [--per-day N]\n"
"                [--load FILE] [--unplanned FILE] [--ics DIR] [options]\n"
"                [VISITS...]\n"
"       ka-visit events [-a FILE] [--within N] [--bands A,B,C] [options]\n"
"                [EVENTS...]\n"
"       ka-visit invite -a FILE --date DATE [--ics DIR] [options]\n"
"                [VISITS...]\n"
"       ka-visit --show-policy [--policy FILE]\n"
"\n"
"Keeps key-account visits on cadence: per account and contact level\n"
"(executive, management, frontline) the last visit and when the next is\n"
"due; a plan that assigns due visits to visitors; upcoming account events;\n"
"the round-table invitation list; iCalendar files for each visitor.\n"
"VISITS is the visits log (date, customer_id, visitor, visitor_role,\n"
"contact_level, contact, notes); EVENTS the events file.\n"
"\n"
"Inputs:\n"
"  -a, --accounts FILE    key accounts: ka-rank output, or customer_id and\n"
"                         tier (repeatable: joined on customer_id)\n"
"      --policy FILE      days between visits per tier and contact level\n"
"      --visitors FILE    who visits: visitor, role, region, share, days_off\n"
"      --events FILE      account events (plan: visits before anniversaries)\n"
"      --holidays FILE    dates with no visits (date, optional region)\n"
"      --tier T,...       only accounts of these tiers (repeatable)\n"
"      --soon DAYS        due-soon window, at most a quarter of the cadence\n"
"                         (default 7)\n"
"      --show-policy      print the policy in force and exit\n"
"status:\n"
"  --fail-on overdue      exit 3 when a tier-A account is overdue or never\n"
"                         visited\n"
"plan:\n"
"  --horizon N            days (56, 56d) or weeks (8w) to plan (default 8w)\n"
"  --start DATE           first day planned (default: the day after --as-of)\n"
"  --per-day N            visits one visiting day holds, same city (3)\n"
"  --load FILE            write each visitor's load against capacity\n"
"  --unplanned FILE       write the due visits that did not fit, and why\n"
"  --ics DIR              write DIR/VISITOR.ics (plan, invite)\n"
"events:\n"
"  --within N             days (90, 90d) or weeks (13w) ahead (default 90d)\n"
"  --bands A,B,C          band limits in days: urgent, prepare, plan\n"
"                         (default 14,45,90)\n"
"invite:\n"
"  --date DATE            the day of the round-table\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

static int
whole(const char *text, long low, long high, long *out)
{
	char *end;
	long n;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || n < low || n > high)
		return -1;
	*out = n;
	return 0;
}

/* "56", "56d" or "8w": days. */
static int
days_argument(const struct options *o, const char *option, const char *arg,
    long low, long high)
{
	char number[32];
	size_t length = strlen(arg);
	long n, unit = 1;

	if (length > 0 && length < sizeof(number)) {
		memcpy(number, arg, length + 1);
		if (number[length - 1] == 'd' || number[length - 1] == 'w') {
			unit = number[length - 1] == 'w' ? 7 : 1;
			number[length - 1] = '\0';
		}
		if (whole(number, low, high, &n) == 0 && n * unit <= high)
			return (int)(n * unit);
	}
	ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected days (56 or 56d) "
	    "or weeks (8w), %ld to %ld days", option, arg, low, high);
}

static int
count_argument(const struct options *o, const char *option, const char *arg,
    long low, long high)
{
	long n;

	if (whole(arg, low, high, &n) < 0)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a whole "
		    "number %ld..%ld", option, arg, low, high);
	return (int)n;
}

static ka_date
date_argument(const struct options *o, const char *option, const char *arg)
{
	ka_date d;

	if (ka_date_parse(arg, strlen(arg), &d) < 0)
		ka_cli_usage_error(&o->cli, "bad %s \"%s\": expected a date "
		    "like 2026-11-27", option, arg);
	return d;
}

static void
bands_argument(struct options *o, const char *arg)
{
	char copy[64], *p, *comma;
	long n[3];
	int i;

	if (strlen(arg) >= sizeof(copy))
		goto bad;
	memcpy(copy, arg, strlen(arg) + 1);
	p = copy;
	for (i = 0; i < 3; i++) {
		comma = strchr(p, ',');
		if ((comma == NULL) != (i == 2))
			goto bad;
		if (comma != NULL)
			*comma = '\0';
		if (whole(p, 1, 3660, &n[i]) < 0 || (i > 0 && n[i] <= n[i - 1]))
			goto bad;
		p = comma != NULL ? comma + 1 : p;
	}
	for (i = 0; i < 3; i++)
		o->bands[i] = (int)n[i];
	return;
bad:
	ka_cli_usage_error(&o->cli, "bad --bands \"%s\": expected three "
	    "increasing day counts, like 14,45,90", arg);
}

static const char *
option_name(int opt)
{
	const struct option *p;

	for (p = long_options; p->name != NULL; p++)
		if (p->val == opt)
			return p->name;
	return "?";
}

/* Options that make sense for only some subcommands are refused elsewhere. */
static void
check_options(struct options *o)
{
	static const struct {
		int		 opt;
		unsigned	 commands;
		const char	*which;
	} scope[] = {
		{ OPT_ACCOUNTS, FOR_ALL, "" },
		{ OPT_POLICY, FOR_ALL, "" },
		{ OPT_VISITORS, FOR(CMD_STATUS) | FOR(CMD_PLAN) |
		    FOR(CMD_INVITE), "status, plan and invite" },
		{ OPT_EVENTS, FOR(CMD_PLAN) | FOR(CMD_EVENTS),
		    "plan and events" },
		{ OPT_HOLIDAYS, FOR(CMD_PLAN), "plan" },
		{ OPT_TIER, FOR_ALL, "" },
		{ OPT_SOON, FOR(CMD_STATUS) | FOR(CMD_PLAN),
		    "status and plan" },
		{ OPT_FAIL_ON, FOR(CMD_STATUS), "status" },
		{ OPT_HORIZON, FOR(CMD_PLAN), "plan" },
		{ OPT_START, FOR(CMD_PLAN), "plan" },
		{ OPT_PER_DAY, FOR(CMD_PLAN), "plan" },
		{ OPT_LOAD, FOR(CMD_PLAN), "plan" },
		{ OPT_UNPLANNED, FOR(CMD_PLAN), "plan" },
		{ OPT_ICS, FOR(CMD_PLAN) | FOR(CMD_INVITE),
		    "plan and invite" },
		{ OPT_WITHIN, FOR(CMD_EVENTS), "events" },
		{ OPT_BANDS, FOR(CMD_EVENTS), "events" },
		{ OPT_DATE, FOR(CMD_INVITE), "invite" },
	};
	size_t i;

	if (o->show_policy) {
		if (o->command != CMD_NONE)
			ka_cli_usage_error(&o->cli, "--show-policy is used "
			    "alone, without a subcommand");
		for (i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
			if (scope[i].opt != OPT_POLICY &&
			    o->given[scope[i].opt - OPT_ACCOUNTS] != NULL)
				ka_cli_usage_error(&o->cli, "--show-policy "
				    "takes only --policy, not --%s",
				    option_name(scope[i].opt));
		return;
	}
	for (i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
		if (o->given[scope[i].opt - OPT_ACCOUNTS] != NULL &&
		    !(scope[i].commands & FOR(o->command)))
			ka_cli_usage_error(&o->cli, "--%s applies to %s only",
			    option_name(scope[i].opt), scope[i].which);
	if (o->naccounts == 0 && o->command != CMD_EVENTS)
		ka_cli_usage_error(&o->cli, "%s needs the key accounts: "
		    "-a FILE (ka-rank output, or customer_id and tier)",
		    o->command == CMD_STATUS ? "status" : o->command ==
		    CMD_PLAN ? "plan" : "invite");
	if (o->command == CMD_EVENTS && o->ntiers > 0 && o->naccounts == 0)
		ka_cli_usage_error(&o->cli, "--tier needs the accounts: -a "
		    "FILE");
	if (o->command == CMD_INVITE && o->date == KA_DATE_NONE)
		ka_cli_usage_error(&o->cli, "invite needs --date DATE, the "
		    "day of the round-table");
	if (o->load != NULL && o->unplanned != NULL &&
	    strcmp(o->load, o->unplanned) == 0)
		ka_cli_usage_error(&o->cli, "--load and --unplanned name the "
		    "same file");
}

static enum command
command_of(const struct options *o, const char *word)
{
	static const char *const names[] = { "", "status", "plan", "events",
		"invite" };
	int c;

	for (c = CMD_STATUS; c <= CMD_INVITE; c++)
		if (strcmp(word, names[c]) == 0)
			return (enum command)c;
	ka_cli_usage_error(&o->cli, "unknown subcommand \"%s\" (status, plan, "
	    "events, invite)", word);
}

/*
 * --col for a column only ka-visit has is kept for the engine (1); a
 * shared role goes to ka_cli_option (0); any other role is an error
 * naming both kinds.
 */
static int
own_column(struct options *o, const char *arg)
{
	static const char *const own[] = { "visitor", "visitor_role",
		"contact_level", "contact", "notes", "kind", "description",
		"share", "days_off", "max_days", "since", NULL };
	const char *equals = strchr(arg, '=');
	char role[64], list[512];
	size_t i, length;
	int r;

	if (equals == NULL || (length = (size_t)(equals - arg)) >=
	    sizeof(role))
		return 0;
	memcpy(role, arg, length);
	role[length] = '\0';
	for (i = 0; own[i] != NULL; i++)
		if (strcmp(own[i], role) == 0) {
			if (o->ncol == MAX_GIVEN)
				ka_cli_usage_error(&o->cli, "too many --col");
			o->col[o->ncol++] = arg;
			return 1;
		}
	if (ka_role_from_name(role) >= 0 || length == 0)
		return 0;
	list[0] = '\0';
	for (r = 0; r < KA_ROLE_COUNT; r++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", r ? ", " : "", ka_role_name((enum ka_role)r));
	for (i = 0; own[i] != NULL; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    ", %s", own[i]);
	ka_cli_usage_error(&o->cli, "bad --col \"%s\": unknown role \"%s\"; "
	    "roles are %s", arg, role, list);
}

static void
parse_options(struct options *o, int argc, char *argv[])
{
	int opt;

	memset(o, 0, sizeof(*o));
	ka_cli_init(&o->cli, "ka-visit", usage);
	o->soon = 7;
	o->horizon = 56;
	o->per_day = 3;
	o->within = 90;
	o->bands[0] = 14;
	o->bands[1] = 45;
	o->bands[2] = 90;
	o->start = KA_DATE_NONE;
	o->date = KA_DATE_NONE;
	/* getopt's own messages then name the program, not its path. */
	argv[0] = (char *)ka_program();
	while ((opt = getopt_long(argc, argv, KA_COMMON_SHORT "a:",
	    long_options, NULL)) != -1) {
		if (opt == KA_OPT_COL && own_column(o, optarg))
			continue;
		if (ka_cli_option(&o->cli, opt, optarg))
			continue;
		if (opt == 'a')
			opt = OPT_ACCOUNTS;
		if (opt >= OPT_ACCOUNTS && opt <= OPT_DATE)
			o->given[opt - OPT_ACCOUNTS] = optarg != NULL ?
			    optarg : "";
		switch (opt) {
		case OPT_ACCOUNTS:
			if (o->naccounts == MAX_ACCOUNTS)
				ka_cli_usage_error(&o->cli, "at most %d "
				    "--accounts files", MAX_ACCOUNTS);
			o->accounts[o->naccounts++] = optarg;
			break;
		case OPT_POLICY:
			o->policy = optarg;
			break;
		case OPT_VISITORS:
			o->visitors = optarg;
			break;
		case OPT_EVENTS:
			o->events = optarg;
			break;
		case OPT_HOLIDAYS:
			o->holidays = optarg;
			break;
		case OPT_TIER:
			if (o->ntiers == MAX_GIVEN)
				ka_cli_usage_error(&o->cli, "too many --tier");
			o->tiers[o->ntiers++] = optarg;
			break;
		case OPT_SOON:
			o->soon = days_argument(o, "--soon", optarg, 0, 365);
			break;
		case OPT_SHOW_POLICY:
			o->show_policy = 1;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "overdue") != 0)
				ka_cli_usage_error(&o->cli, "bad --fail-on "
				    "\"%s\": the condition is overdue",
				    optarg);
			o->fail_on_overdue = 1;
			break;
		case OPT_HORIZON:
			o->horizon = days_argument(o, "--horizon", optarg,
			    1, 730);
			break;
		case OPT_START:
			o->start = date_argument(o, "--start", optarg);
			break;
		case OPT_PER_DAY:
			o->per_day = count_argument(o, "--per-day", optarg, 1,
			    50);
			break;
		case OPT_LOAD:
			o->load = optarg;
			break;
		case OPT_UNPLANNED:
			o->unplanned = optarg;
			break;
		case OPT_ICS:
			o->ics = optarg;
			break;
		case OPT_WITHIN:
			o->within = days_argument(o, "--within", optarg, 1, 3660);
			break;
		case OPT_BANDS:
			bands_argument(o, optarg);
			break;
		case OPT_DATE:
			o->date = date_argument(o, "--date", optarg);
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	if (optind < argc) {
		o->command = command_of(o, argv[optind]);
		optind++;
	} else if (!o->show_policy) {
		ka_cli_usage_error(&o->cli, "give a subcommand: status, plan, "
		    "events or invite");
	}
	if (o->start == KA_DATE_NONE)
		o->start = o->cli.as_of + 1;
	check_options(o);
}

/* ---- processing ---- */

static void
check(int status, const char *error)
{
	if (status == 0)
		return;
	if (error[0] == '\0')
		exit(status == KA_VISIT_NO_COLUMN ? KA_EXIT_USAGE :
		    KA_EXIT_DATA);
	ka_die(status == KA_VISIT_NO_COLUMN ? KA_EXIT_USAGE : KA_EXIT_DATA,
	    "%s", error);
}

static ka_visit *
load_inputs(struct options *o, struct ka_rejects *rejects)
{
	struct ka_visit_config config;
	char error[4096];
	ka_visit *v;
	size_t i;

	ka_visit_config_init(&config);
	config.as_of = o->cli.as_of;
	config.soon_days = o->soon;
	config.date_format = o->cli.date_format;
	config.null_string = o->cli.null_string;
	config.rejects = o->cli.lenient ? rejects : NULL;
	v = ka_visit_new(&config);
	for (i = 0; i < o->ncol; i++)
		if (ka_visit_override(v, o->col[i], error, sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "%s", error);
	check(ka_visit_load_policy(v, o->policy, &o->cli.read, error,
	    sizeof(error)), error);
	for (i = 0; i < o->ntiers; i++)
		if (ka_visit_select_tiers(v, o->tiers[i], error,
		    sizeof(error)) < 0)
			ka_cli_usage_error(&o->cli, "%s", error);
	if (o->naccounts > 0)
		check(ka_visit_load_accounts(v, o->accounts, o->naccounts,
		    &o->cli.read, error, sizeof(error)), error);
	if (o->visitors != NULL)
		check(ka_visit_load_visitors(v, o->visitors, &o->cli.read,
		    error, sizeof(error)), error);
	if (o->holidays != NULL)
		check(ka_visit_load_holidays(v, o->holidays, &o->cli.read,
		    error, sizeof(error)), error);
	if (o->events != NULL)
		check(ka_visit_load_events(v, o->events, &o->cli.read, error,
		    sizeof(error)), error);
	return v;
}

/* The main input: the visits log, or for "events" the events. */
static ka_reader *
read_main(struct options *o, ka_visit *v, int argc, char *argv[])
{
	char error[4096];
	ka_reader *reader;
	int nfiles = argc - optind;

	if (o->command == CMD_EVENTS && o->events != NULL)
		return NULL;
	reader = ka_cli_open(&o->cli, nfiles, argv + optind);
	if (o->command == CMD_EVENTS)
		check(ka_visit_read_events(v, reader, &o->cli.roles,
		    o->cli.filter, error, sizeof(error)), error);
	else
		check(ka_visit_read_visits(v, reader, &o->cli.roles,
		    o->cli.filter, error, sizeof(error)), error);
	return reader;
}

/* What was read and not used is said, never dropped silently. */
static void
print_notes(const struct options *o, const ka_visit *v)
{
	const struct ka_visit_counts *c = ka_visit_counts(v);

	ka_visit_warn_unused(v, o->command != CMD_EVENTS, o->cli.as_of);
	if (o->command == CMD_PLAN && c->events_unknown_account > 0)
		ka_warn("%lu %s for customers not in the accounts %s not "
		    "planned", c->events_unknown_account,
		    c->events_unknown_account == 1 ? "event" : "events",
		    c->events_unknown_account == 1 ? "was" : "were");
}

/* --lenient: the reconciliation, once the rejects file is complete. */
static void
print_lenient(const struct options *o, const ka_visit *v)
{
	const struct ka_visit_counts *c = ka_visit_counts(v);
	char day[KA_DATE_BUFSIZE];

	if (!o->cli.lenient)
		return;
	if (o->command == CMD_EVENTS && c->events_read > 0) {
		ka_warn("events read %lu = used %lu + filtered out %lu + "
		    "rejected %lu", c->events_read, c->events_used, c->events_filtered,
		    c->events_rejected);
		if (c->rows_rejected > c->events_rejected)
			ka_warn("%lu %s of the other files rejected",
			    c->rows_rejected - c->events_rejected,
			    c->rows_rejected - c->events_rejected == 1 ?
			    "row" : "rows");
		return;
	}
	if (o->command != CMD_EVENTS) {
		ka_warn("visits read %lu = used %lu + after %s %lu + filtered "
		    "out %lu + rejected %lu", c->visits_read, c->visits_used,
		    (ka_date_format(o->cli.as_of, day), day),
		    c->visits_after_as_of, c->visits_filtered,
		    c->visits_rejected);
	}
	if (c->rows_rejected > c->visits_rejected)
		ka_warn("%lu %s of the other files rejected",
		    c->rows_rejected - c->visits_rejected,
		    c->rows_rejected - c->visits_rejected == 1 ? "row" :
		    "rows");
}

static ka_writer *
open_output(const struct options *o, const char *path, enum ka_format main)
{
	enum ka_format format = o->cli.output_format;

	if (format == KA_FORMAT_NONE)
		format = ka_format_from_name(path);
	if (format == KA_FORMAT_NONE)
		format = main;
	return ka_writer_open(path, format);
}

static int
run_status(const struct options *o, ka_visit *v, ka_writer *writer)
{
	struct ka_visit_status_row *rows;
	size_t n = ka_visit_status(v, &rows), i, count = 0;
	const char *const *tiers;
	char list[512];

	ka_visit_write_status(rows, n, writer);
	ka_writer_close(writer);
	list[0] = '\0';
	ka_visit_tiers(v, &tiers);
	for (i = 0; i < n && o->fail_on_overdue; i++) {
		size_t used = strlen(list);

		if (rows[i].tier_index != 0 || (rows[i].state !=
		    KA_VISIT_OVERDUE && rows[i].state != KA_VISIT_NEVER))
			continue;
		/* Rows of one account are apart: list each id once. */
		{
			size_t j, seen = 0;

			for (j = 0; j < i; j++)
				if (strcmp(rows[j].customer_id,
				    rows[i].customer_id) == 0 &&
				    rows[j].tier_index == 0 &&
				    (rows[j].state == KA_VISIT_OVERDUE ||
				    rows[j].state == KA_VISIT_NEVER))
					seen = 1;
			if (seen)
				continue;
		}
		count++;
		if (used + 1 < sizeof(list))
			snprintf(list + used, sizeof(list) - used, "%s%s",
			    used ? ", " : "", rows[i].customer_id);
	}
	free(rows);
	if (count == 0)
		return KA_EXIT_OK;
	ka_warn("%zu tier-%s %s overdue or never visited: %s", count,
	    tiers[0], count == 1 ? "account is" : "accounts are", list);
	return KA_EXIT_ALERT;
}

static int
run_plan(const struct options *o, ka_visit *v, ka_writer *writer,
    enum ka_format format)
{
	struct ka_visit_plan_config config;
	struct ka_visit_plan plan;
	ka_writer *extra;
	char error[4096], first[KA_DATE_BUFSIZE], last[KA_DATE_BUFSIZE];
	static const char *const causes[] = { "capacity",
		"no visitor of that role", "leave", "holiday" };
	size_t i;
	int shown_causes = 0;

	config.first = o->start;
	config.days = o->horizon;
	config.per_day = o->per_day;
	if (ka_visit_plan(v, &config, &plan, error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if (o->ics != NULL && ka_visit_ics_plan(v, &plan, o->ics, error,
	    sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	if (o->load != NULL) {
		extra = open_output(o, o->load, format);
		ka_visit_write_load(&plan, extra);
		ka_writer_close(extra);
	}
	if (o->unplanned != NULL) {
		extra = open_output(o, o->unplanned, format);
		ka_visit_write_unplanned(&plan, extra);
		ka_writer_close(extra);
	}
	ka_visit_write_plan(&plan, writer);
	ka_writer_close(writer);
	if (plan.nunplanned > 0 && o->unplanned == NULL) {
		char text[256];

		text[0] = '\0';
		for (i = 0; i < 4; i++) {
			size_t used = strlen(text);

			if (plan.unplanned_by_cause[i] == 0)
				continue;
			snprintf(text + used, sizeof(text) - used, "%s%s %zu",
			    shown_causes++ ? ", " : "", causes[i],
			    plan.unplanned_by_cause[i]);
		}
		ka_date_format(plan.first, first);
		ka_date_format(plan.last, last);
		ka_warn("%zu of %zu visits due in %s..%s did not fit (%s); "
		    "--unplanned FILE lists them", plan.nunplanned,
		    plan.due_in_horizon, first, last, text);
	}
	ka_visit_plan_free(&plan);
	return KA_EXIT_OK;
}

static int
run_events(const struct options *o, ka_visit *v, ka_writer *writer)
{
	struct ka_visit_upcoming *rows;
	size_t n = ka_visit_upcoming(v, o->within, o->bands, &rows);

	ka_visit_write_upcoming(rows, n, writer);
	ka_writer_close(writer);
	free(rows);
	return KA_EXIT_OK;
}

static int
run_invite(const struct options *o, ka_visit *v, ka_writer *writer)
{
	struct ka_visit_invitee *rows;
	size_t n = ka_visit_invitees(v, &rows);
	char error[4096];

	if (o->ics != NULL && ka_visit_ics_invite(v, rows, n, o->date, o->ics,
	    error, sizeof(error)) < 0)
		ka_die(KA_EXIT_DATA, "%s", error);
	ka_visit_write_invitees(rows, n, writer);
	ka_writer_close(writer);
	ka_visit_invitees_free(rows, n);
	return KA_EXIT_OK;
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct ka_rejects rejects;
	ka_visit *v;
	ka_reader *reader;
	ka_writer *writer;
	enum ka_format format;
	int status = KA_EXIT_OK;

	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	if (o.command == CMD_EVENTS && o.events != NULL && optind < argc)
		ka_cli_usage_error(&o.cli, "give the events as FILE or as "
		    "--events FILE, not both");
	if (o.cli.rejects != NULL && !o.cli.lenient)
		ka_cli_usage_error(&o.cli, "--rejects needs --lenient");
	ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects : NULL);
	v = load_inputs(&o, &rejects);
	if (o.show_policy) {
		writer = ka_writer_open(o.cli.output,
		    o.cli.output_format != KA_FORMAT_NONE ?
		    o.cli.output_format : ka_format_from_name(o.cli.output) !=
		    KA_FORMAT_NONE ? ka_format_from_name(o.cli.output) :
		    KA_FORMAT_CSV);
		ka_visit_write_policy(v, writer);
		ka_writer_close(writer);
		ka_rejects_close(&rejects);
		ka_visit_free(v);
		ka_filter_free(o.cli.filter);
		return KA_EXIT_OK;
	}
	reader = read_main(&o, v, argc, argv);
	print_notes(&o, v);
	format = reader != NULL ? ka_cli_output_format(&o.cli, reader) :
	    o.cli.output_format != KA_FORMAT_NONE ? o.cli.output_format :
	    ka_format_from_name(o.cli.output) != KA_FORMAT_NONE ?
	    ka_format_from_name(o.cli.output) : KA_FORMAT_CSV;
	writer = ka_writer_open(o.cli.output, format);
	switch (o.command) {
	case CMD_STATUS:
		status = run_status(&o, v, writer);
		break;
	case CMD_PLAN:
		status = run_plan(&o, v, writer, format);
		break;
	case CMD_EVENTS:
		status = run_events(&o, v, writer);
		break;
	case CMD_INVITE:
		status = run_invite(&o, v, writer);
		break;
	case CMD_NONE:
		break;
	}
	ka_rejects_close(&rejects);
	print_lenient(&o, v);
	if (reader != NULL)
		ka_reader_close(reader);
	ka_visit_free(v);
	ka_filter_free(o.cli.filter);
	return status;
}
