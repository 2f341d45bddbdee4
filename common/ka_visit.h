/*
 * ka_visit: the engine behind ka-visit(1): visit cadence per tier and
 * contact level, the visit planner, account events, the round-table
 * invitation list and iCalendar files.  ka-report calls it directly
 * (ka_visit_report()), so a report never re-parses ka-visit's output.
 *
 *	struct ka_visit_config config;
 *	ka_visit_config_init(&config);		then set as_of, ...
 *	v = ka_visit_new(&config);
 *	ka_visit_load_policy(v, path or NULL for the built-in one, ...);
 *	ka_visit_load_accounts(v, paths, n, ...);	tiers, cities, owners
 *	ka_visit_load_visitors / _holidays / _events	(each optional)
 *	ka_visit_load_visits(v, path, ...)  or  ka_visit_read_visits(v,
 *	    reader, roles, filter, ...) for an input already open
 *	ka_visit_status(), ka_visit_plan(), ka_visit_upcoming(),
 *	ka_visit_invitees(), ka_visit_report()
 *	ka_visit_free(v);
 *
 * The load order matters: the policy names the tiers accounts may have,
 * the accounts say which visits count (and since when an account
 * exists), the visitors file says who may appear in the log.
 *
 * Every loader returns 0, KA_VISIT_BAD_DATA (a bad row; exit 1) or
 * KA_VISIT_NO_COLUMN (a required column is missing; exit 2), with the
 * message in error as "FILE:LINE: column N (name): what is wrong" or
 * "FILE: no tier column; ...".  A file that cannot be opened has been
 * reported by the reader already: error is then "".  With config.rejects set, bad rows are
 * written there and skipped instead (--lenient).
 *
 * Memory grows with accounts, visitors, events and the distinct days
 * each visitor visited, never with the number of rows of the log.
 *
 * One engine at a time: the sorts share a static context, so the
 * engine is not for use from several threads at once.
 */
#ifndef KA_VISIT_H
#define KA_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_writer.h"

#define KA_VISIT_BAD_DATA	(-1)
#define KA_VISIT_NO_COLUMN	(-2)

/* Contact levels inside an account, top down. */
enum ka_visit_level {
	KA_VISIT_EXECUTIVE,
	KA_VISIT_MANAGEMENT,
	KA_VISIT_FRONTLINE,
	KA_VISIT_LEVELS
};

/* Who visits.  The right role for a level has the same index. */
enum ka_visit_role {
	KA_VISIT_ROLE_EXECUTIVE,
	KA_VISIT_ROLE_MANAGER,
	KA_VISIT_ROLE_REP,
	KA_VISIT_ROLES
};

enum ka_visit_kind {
	KA_VISIT_ANNIVERSARY,	/* repeats every year */
	KA_VISIT_HONOUR,
	KA_VISIT_LAUNCH,
	KA_VISIT_MOVE,
	KA_VISIT_MEETING,
	KA_VISIT_OTHER,
	KA_VISIT_KINDS
};

enum ka_visit_state {
	KA_VISIT_NEVER,		/* no visit at this level, ever */
	KA_VISIT_OVERDUE,
	KA_VISIT_DUE_SOON,
	KA_VISIT_OK
};

/*
 * Names and their parsers.  A parser takes English words and the
 * Chinese ones listed in ka-visit(1), case-insensitively, and returns
 * the value or -1.
 */
const char	*ka_visit_level_name(enum ka_visit_level level);
int		 ka_visit_level_parse(const char *text, size_t length);
const char	*ka_visit_role_name(enum ka_visit_role role);
int		 ka_visit_role_parse(const char *text, size_t length);
const char	*ka_visit_kind_name(enum ka_visit_kind kind);
int		 ka_visit_kind_parse(const char *text, size_t length);
const char	*ka_visit_state_name(enum ka_visit_state state);

/* A share of working days, num / den (0 < share <= 1). */
struct ka_visit_share {
	int64_t		 num, den;
};

/*
 * "1/3", "33%", "33.5%", "0.25" or "1"; 0, or -1 when it is none of
 * those or not above 0 and at most 1.
 */
int		 ka_visit_share_parse(const char *text, size_t length,
		    struct ka_visit_share *share);
/* The share in percent, rounded half up to 2 places, as a ka_dec. */
ka_dec		 ka_visit_share_percent(struct ka_visit_share share);
/* Default shares: executives 1/3, managers 1/2, reps 4/5. */
struct ka_visit_share ka_visit_default_share(enum ka_visit_role role);

struct ka_visit_config {
	ka_date		 as_of;		/* today; later visits are not counted */
	int		 soon_days;	/* due-soon window, 7 */
	const char	*date_format;	/* strptime after the built-in forms */
	const char	*null_string;	/* a field equal to it is empty */
	struct ka_rejects *rejects;	/* NULL: the first bad row stops */
};

void	ka_visit_config_init(struct ka_visit_config *config);

typedef struct ka_visit ka_visit;

ka_visit *ka_visit_new(const struct ka_visit_config *config);
void	 ka_visit_free(ka_visit *v);

/*
 * --col for the columns only ka-visit has (visitor, visitor_role,
 * contact_level, contact, notes, kind, description, share, days_off,
 * max_days, since): 1 when spec "NAME=COLUMN" names one of them (it then
 * applies to the main input), 0 when it does not (the caller hands it
 * to the shared --col), -1 with a message when it is malformed.
 */
int	 ka_visit_override(ka_visit *v, const char *spec, char *error,
	    size_t size);

/* path NULL: the built-in policy (A 90/30/14, B 180/60/30, C -/180/60). */
int	 ka_visit_load_policy(ka_visit *v, const char *path,
	    const struct ka_reader_options *options, char *error, size_t size);
/*
 * One or more account files, joined on customer_id: the first file
 * that gives an account a value (tier, customer, rank, region, city,
 * owner, since) wins.  At least one needs a tier column; accounts whose
 * tier is empty everywhere are not followed (ka_visit_untiered()).
 */
int	 ka_visit_load_accounts(ka_visit *v, const char *const *paths,
	    size_t npaths, const struct ka_reader_options *options,
	    char *error, size_t size);
int	 ka_visit_load_visitors(ka_visit *v, const char *path,
	    const struct ka_reader_options *options, char *error, size_t size);
int	 ka_visit_load_holidays(ka_visit *v, const char *path,
	    const struct ka_reader_options *options, char *error, size_t size);
int	 ka_visit_load_events(ka_visit *v, const char *path,
	    const struct ka_reader_options *options, char *error, size_t size);
int	 ka_visit_load_visits(ka_visit *v, const char *path,
	    const struct ka_reader_options *options, char *error, size_t size);
/*
 * The visits log, or the events, from a reader already open (the main
 * input of ka-visit, opened by ka_cli_open()): roles are its resolved
 * shared roles, filter its --where (or NULL).
 */
int	 ka_visit_read_visits(ka_visit *v, ka_reader *reader,
	    const struct ka_roles *roles, ka_filter *filter, char *error,
	    size_t size);
int	 ka_visit_read_events(ka_visit *v, ka_reader *reader,
	    const struct ka_roles *roles, ka_filter *filter, char *error,
	    size_t size);

/*
 * --tier A,B: only these tiers (repeatable; unknown tier: -1 with a
 * message).  Without it every tier counts.
 */
int	 ka_visit_select_tiers(ka_visit *v, const char *list, char *error,
	    size_t size);
/* The tiers of the policy, best first; the first is "tier A". */
size_t	 ka_visit_tiers(const ka_visit *v, const char *const **names);

/*
 * What was read and not used, for the notes a caller prints: counts
 * and, for each, the first such row ("visits.csv:17 (C0O2)").
 */
struct ka_visit_counts {
	unsigned long	 visits_read, visits_used, visits_filtered,
			 visits_rejected;
	unsigned long	 visits_unknown_account;	/* not in accounts */
	unsigned long	 visits_after_as_of;
	char		 first_unknown[160], first_after[160];
	unsigned long	 accounts_untiered;		/* empty tier */
	char		 first_untiered[160];
	unsigned long	 events_read, events_used, events_filtered,
			 events_rejected;	/* the main input's */
	unsigned long	 events_unknown_account;
	unsigned long	 rows_rejected;			/* every file */
};
const struct ka_visit_counts *ka_visit_counts(const ka_visit *v);
/*
 * Says on stderr what was read and not followed or counted, never
 * dropped silently: accounts without a tier and, with visits, visits to
 * customers not in the accounts or dated after as_of.
 */
void	 ka_visit_warn_unused(const ka_visit *v, int visits, ka_date as_of);

/* The built-in or loaded policy as rows tier, contact_level, max_days. */
void	 ka_visit_write_policy(const ka_visit *v, ka_writer *w);

/* ---- status ---- */

struct ka_visit_status_row {
	const char	*customer_id, *customer, *tier, *owner, *city;
	int		 tier_index;	/* 0 = best */
	enum ka_visit_level level;
	int		 max_days;
	ka_date		 last_visit;	/* KA_DATE_NONE: never */
	const char	*last_visitor;	/* "" when never */
	ka_date		 due;		/* last_visit + max_days; as_of when never */
	long		 days_overdue;	/* as_of - due: negative = days left */
	enum ka_visit_state state;
};

/*
 * One row per followed account and contact level its tier's policy
 * tracks, best tier first, then never, then most overdue (largest
 * days_overdue), then customer_id and level.  Returns the count; *rows
 * is malloc'ed (free() it).
 */
size_t	 ka_visit_status(ka_visit *v, struct ka_visit_status_row **rows);
void	 ka_visit_write_status(const struct ka_visit_status_row *rows,
	    size_t n, ka_writer *w);

/* ---- plan ---- */

struct ka_visit_plan_config {
	ka_date		 first;		/* first day planned (as_of + 1) */
	int		 days;		/* horizon in days (56) */
	int		 per_day;	/* visits a visiting day holds (3) */
};

struct ka_visit_planned {
	ka_date		 date;
	const char	*visitor;
	enum ka_visit_role role;
	const char	*customer_id, *customer, *tier, *city, *region,
			*owner;
	enum ka_visit_level level;
	ka_date		 due;		/* the deadline this visit meets */
	int		 anniversary;	/* for an anniversary on due */
	char		 reason[192];
};

struct ka_visit_unplanned {
	const char	*customer_id, *customer, *tier, *city;
	int		 tier_index;
	enum ka_visit_level level;
	ka_date		 due;
	char		 reason[256];
};

struct ka_visit_load {
	const char	*visitor, *region;
	enum ka_visit_role role;
	struct ka_visit_share share;
	int		 working_days;	/* Mon-Fri minus holidays, days off */
	int		 capacity_days;	/* share x working_days, rounded half up */
	int		 visiting_days;	/* days with a planned visit */
	int		 visits;
	int		 capacity_visits;	/* capacity_days x per_day */
};

struct ka_visit_plan {
	ka_date		 first, last;
	int		 per_day;
	struct ka_visit_planned *planned;	/* by date, visitor, id, level */
	size_t		 nplanned;
	struct ka_visit_unplanned *unplanned;	/* by tier, due, id */
	size_t		 nunplanned;
	struct ka_visit_load *load;		/* by role, then name */
	size_t		 nload;
	size_t		 due_in_horizon;	/* = nplanned + nunplanned */
	size_t		 unplanned_by_cause[4];	/* capacity, role, leave, holiday */
};

/*
 * The greedy planner described in ka-visit(1) (Planning): day by day,
 * open visits by tier, never visited, deadline, id; the right role
 * before stand-ins; owner, same city that day, home region, fewest
 * visits, name.  Strings point into v.  0, or -1 with a message (no
 * visitors at all).
 */
int	 ka_visit_plan(ka_visit *v, const struct ka_visit_plan_config *config,
	    struct ka_visit_plan *plan, char *error, size_t size);
void	 ka_visit_plan_free(struct ka_visit_plan *plan);
void	 ka_visit_write_plan(const struct ka_visit_plan *plan, ka_writer *w);
void	 ka_visit_write_unplanned(const struct ka_visit_plan *plan,
	    ka_writer *w);
void	 ka_visit_write_load(const struct ka_visit_plan *plan, ka_writer *w);

/* ---- events ---- */

struct ka_visit_upcoming {
	ka_date		 date;		/* the next occurrence */
	long		 days;		/* date - as_of */
	int		 band;		/* 0, 1, 2: under bands[0..2]; 3 beyond */
	const char	*customer_id, *customer, *tier, *owner;
	enum ka_visit_kind kind;
	int		 years;		/* anniversaries: the how-many-th */
	const char	*description;
};

/* The band names: urgent, prepare, plan, later. */
const char *ka_visit_band_name(int band);

/*
 * Events on as_of .. as_of + within - 1 (anniversaries at their next
 * occurrence; 29 February falls on 28 February in other years), by
 * date, tier, customer_id, kind.  bands: three increasing day counts
 * (14, 45, 90).  Returns the count; free(*rows).
 */
size_t	 ka_visit_upcoming(ka_visit *v, int within, const int bands[3],
	    struct ka_visit_upcoming **rows);
void	 ka_visit_write_upcoming(const struct ka_visit_upcoming *rows,
	    size_t n, ka_writer *w);

/* ---- the round-table invitation list ---- */

struct ka_visit_invitee {
	const char	*customer_id, *customer, *tier, *owner, *city;
	long		 rank;		/* 0 when the accounts have none */
	char		*contacts;	/* executive-level contacts, "; " */
	ka_date		 last_executive_visit;	/* KA_DATE_NONE */
	unsigned long	 executive_visits;	/* in the 365 days to as_of */
};

/* Followed accounts of the selected tiers, by tier, rank, id. */
size_t	 ka_visit_invitees(ka_visit *v, struct ka_visit_invitee **rows);
void	 ka_visit_invitees_free(struct ka_visit_invitee *rows, size_t n);
void	 ka_visit_write_invitees(const struct ka_visit_invitee *rows,
	    size_t n, ka_writer *w);

/* ---- iCalendar (RFC 5545) ---- */

/*
 * One VCALENDAR per visitor in dir (made if missing): all-day events
 * (VALUE=DATE, no time zone needed), DTSTAMP as_of at 00:00:00 UTC,
 * UIDs from a hash of the content (see ka-visit(1)), CRLF, folded at 75
 * octets.  Each file is written atomically.  0, or -1 with a message.
 */
int	 ka_visit_ics_plan(const ka_visit *v, const struct ka_visit_plan *plan,
	    const char *dir, char *error, size_t size);
/* One calendar per owner: the round-table on date, with its accounts. */
int	 ka_visit_ics_invite(const ka_visit *v,
	    const struct ka_visit_invitee *rows, size_t n, ka_date date,
	    const char *dir, char *error, size_t size);

/* Building blocks, exposed for tests/unit/test_visit.c. */
/* TEXT escaping: \ ; , and newlines (CRLF, LF or CR) as \n. */
void	 ka_ics_escape(struct ka_buf *out, const char *text, size_t length);
/* One content line, folded at 75 octets between UTF-8 characters,
   each physical line ending in CRLF. */
void	 ka_ics_line(struct ka_buf *out, const char *line, size_t length);
/* The file name for a visitor: lower-case ASCII letters and digits,
   other ASCII runs as '-', UTF-8 letters kept; "visitor" when empty. */
void	 ka_ics_file_name(char *out, size_t size, const char *name);
/* 64-bit FNV-1a, the UID hash. */
uint64_t ka_visit_fnv1a(const char *text, size_t length);

/* ---- the report section (ka-report --visits, --events) ---- */

struct ka_visit_exec_time {
	const char	*visitor;
	int		 working_days;	/* in the period: Mon-Fri, minus
					   holidays and the visitor's days off */
	int		 visiting_days;	/* days with a logged visit */
	ka_dec		 visiting_pct;	/* visiting / working x 100, 2 places */
	ka_dec		 goal_pct;	/* the visitor's share, 2 places */
};

struct ka_visit_report {
	ka_date		 as_of;
	ka_period	 period;
	const char	*tier;		/* the best tier's name ("A") */
	size_t		 tier_accounts;	/* followed accounts of that tier */
	size_t		 overdue_accounts;	/* of them, overdue or never */
	/* Their overdue and never levels, most urgent first. */
	struct ka_visit_status_row *overdue;
	size_t		 noverdue;
	/* Every executive (visitors file, else the log), by name. */
	struct ka_visit_exec_time *executives;
	size_t		 nexecutives;
	int		 working_days, visiting_days;	/* all executives */
	ka_dec		 visiting_pct, goal_pct;	/* goal: 33.33 */
	/* Events on as_of .. as_of + within - 1, bands 14, 45, 90. */
	struct ka_visit_upcoming *events;
	size_t		 nevents;
};

/*
 * Fills report: period is the stretch whose executive time is
 * measured (the last week, month, ...), within the days of events
 * ahead.  Strings point into v: keep v until ka_visit_report_free().
 */
void	 ka_visit_report(ka_visit *v, const ka_period *period, int within,
	    struct ka_visit_report *report);
void	 ka_visit_report_free(struct ka_visit_report *report);

/* Working days of a visitor (by name; NULL for nobody's days off) in
   first..last: Mon-Fri minus holidays that apply to them. */
int	 ka_visit_working_days(const ka_visit *v, const char *visitor,
	    ka_date first, ka_date last);

#endif
