/*
 * ka_feedback: the feedback engine behind ka-feedback(1): what key
 * accounts say about the reps who serve them, and about products they
 * trial.  ka-report calls it directly (ka_feedback_report()), so a
 * report never re-parses ka-feedback's output.
 *
 *	struct ka_feedback_config config;
 *	ka_feedback_config_init(&config);	then set what differs
 *	fb = ka_feedback_new(&config);
 *	ka_feedback_load_accounts(fb, path, ...);	optional: tiers
 *	ka_feedback_bind(fb, header, roles, ...);	which columns to read
 *	while (a record) switch (ka_feedback_add(fb, &rec)) ...
 *	ka_feedback_finish(fb, ...);		scale, figures, flags, ranks
 *	rows = ka_feedback_rows(fb, &count);	or ka_feedback_write_table()
 *	ka_feedback_free(fb);
 *
 * Memory grows with the number of (group, period, account) cells, never
 * with the number of responses: each cell keeps a histogram of scores.
 *
 * What the figures mean, once, for every caller:
 *
 * Periods.  The current period is config.period (default: the quarter
 * holding as_of); the ones before it follow with ka_period_previous().
 * The engine tracks K = config.periods of them (at least 2, so there is
 * a previous period), one more with a period key in config.by, or just
 * since..as_of with config.has_since.  Responses dated elsewhere are
 * checked and counted as outside, never aggregated.
 *
 * Scales.  Scores are whole numbers on the scale: nps 0-10, csat 1-5,
 * or LO-HI (0 <= LO < HI <= 100).  A promoter scores 9-10 and a
 * detractor 0-6 (nps only).  "Satisfied" is 9-10 on nps, 4-5 on csat and
 * the top two values of LO-HI; a topic mention is a complaint when the
 * response is not satisfied.  Without a scale the score column's name
 * decides (nps, recommend, 推荐: nps; csat, satisf, 满意: csat), else the
 * data: scores all within 1-5 are csat, else nps; ka_feedback_note()
 * says so.
 *
 * Units and weights.  With KA_FEEDBACK_BY_RESPONSE every response is a
 * unit; with KA_FEEDBACK_BY_ACCOUNT the responses of one account in one
 * group and period are averaged into one unit (its score the mean, its
 * promoter share the share of its responses, ...), so an account with
 * twenty respondents counts as much as one with a single respondent.
 * Responses without an account stay one unit each.  A unit's weight w
 * is 1, or with weight_tier the weight of its account's tier (default
 * A 3, B 2, C 1; any other tier, and accounts not in the accounts file,
 * 1).  For a group and period, with W = sum w:
 *	mean		sum(w * score) / W
 *	shares		sum(w * share) / W for promoters, passives,
 *			detractors and satisfied
 *	n_eff		W^2 / sum(w^2) (Kish): the number of units when
 *			all weights are equal
 *	nps		100 * (promoters - detractors), with the adjusted-
 *			Wald interval of ka_stats_net_interval() on
 *			promoters * n_eff and detractors * n_eff out of
 *			n_eff (conservative for account units, whose shares
 *			vary less than single answers)
 *	csat		100 * satisfied, with the Wilson interval of
 *			ka_stats_wilson() on satisfied * n_eff out of n_eff
 *	bayes_avg	(m * overall + sum) / (m + W), m = prior_weight,
 *			sum = sum(w * score), overall = the period's mean
 *			over every group (in account roll-up, over accounts
 *			pooled across groups)
 *	dimensions	sum(w * value) / sum(w) over the units that
 *			answered that dimension
 * Doubles are kept unrounded; ka_stats_round() rounds for output only,
 * and flags compare unrounded values.
 *
 * Trend.  change = bayes_avg now - bayes_avg in the previous period;
 * slope = the least-squares slope of bayes_avg over the last K periods
 * (x = 0 for the oldest, periods without answers left out), in points
 * per period.
 *
 * Flags (without a period key or since).  With n_p answers and
 * Bayesian average b_p in period p, threshold T and min_n:
 *	insufficient	n_0 < min_n
 *	ok		b_0 >= T
 *	reassign	n_p >= min_n and b_p < T for each of the last K
 *	watch		b_0 < T otherwise
 * With since, a verdict instead: insufficient (n < min_n); positive
 * when the whole interval is above 0 (nps) or above 50% (others);
 * negative when it is wholly below; mixed otherwise.
 */
#ifndef KA_FEEDBACK_H
#define KA_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "ka_date.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_roles.h"
#include "ka_topics.h"
#include "ka_writer.h"

#define KA_FEEDBACK_MAX_KEYS	8
#define KA_FEEDBACK_MAX_DIMS	16
#define KA_FEEDBACK_MAX_TIERS	16
#define KA_FEEDBACK_MAX_PERIODS	60

enum ka_feedback_key_kind {
	KA_FEEDBACK_KEY_ROLE,		/* rep, customer, product, region, ... */
	KA_FEEDBACK_KEY_PERIOD,		/* one row per tracked period */
	KA_FEEDBACK_KEY_COLUMN		/* a header name or 1-based number */
};

struct ka_feedback_key {
	enum ka_feedback_key_kind kind;
	enum ka_role	 role;		/* KA_FEEDBACK_KEY_ROLE */
	const char	*column;	/* KA_FEEDBACK_KEY_COLUMN */
};

enum ka_feedback_scale {
	KA_FEEDBACK_SCALE_AUTO,
	KA_FEEDBACK_SCALE_NPS,		/* 0-10 */
	KA_FEEDBACK_SCALE_CSAT,		/* 1-5 */
	KA_FEEDBACK_SCALE_RANGE		/* low-high */
};

enum ka_feedback_rollup {
	KA_FEEDBACK_BY_RESPONSE,
	KA_FEEDBACK_BY_ACCOUNT
};

struct ka_feedback_config {
	/* Groups: default { rep }. */
	struct ka_feedback_key by[KA_FEEDBACK_MAX_KEYS];
	size_t		 nby;

	enum ka_feedback_scale scale;
	int		 low, high;	/* KA_FEEDBACK_SCALE_RANGE */

	ka_date		 as_of;
	int		 has_period;	/* else the quarter holding as_of */
	ka_period	 period;
	int		 has_since;	/* one period since..as_of, verdicts */
	ka_date		 since;
	unsigned	 periods;	/* K: 3 */

	enum ka_feedback_rollup rollup;
	int		 weight_tier;
	size_t		 ntier_weights;	/* 0: A 3, B 2, C 1 */
	const char	*tier_name[KA_FEEDBACK_MAX_TIERS];
	double		 tier_weight[KA_FEEDBACK_MAX_TIERS];
	size_t		 ntiers;	/* keep only accounts of these tiers */
	const char	*tiers[KA_FEEDBACK_MAX_TIERS];

	double		 prior_weight;	/* m: 5 */
	int		 has_threshold;	/* else by scale: nps 7, csat 3.5,
					   LO-HI LO + 0.625 (HI - LO) */
	double		 threshold;
	unsigned long	 min_n;		/* 3 */
	double		 confidence;	/* 0.95 */

	size_t		 ndims;
	const char	*dims[KA_FEEDBACK_MAX_DIMS];
	/* Columns by name or 1-based number; NULL: found by alias. */
	const char	*score_column;
	const char	*comment_column;

	ka_topics	*topics;	/* NULL: no topics; the caller owns it */
	size_t		 quotes;	/* example comments kept per topic */

	/* Reading. */
	int		 decimal_comma;
	const char	*date_format;
	const char	*null_string;
	ka_filter	*filter;	/* --where, or NULL */
};

/* The defaults above. */
void	ka_feedback_config_init(struct ka_feedback_config *config);

/*
 * Parsers for the options every caller spells the same way; each
 * returns 0, or -1 with a one-line message in error.  Strings stored in
 * config point into text, which must outlive the engine.
 *	--by rep,period		rep, customer, product, period, any role
 *				name (region, sku, ...) or a column name
 *	--scale nps|csat|LO-HI
 *	--roll-up response|account
 *	--tier-weights A:3,B:2,C:1	(split in place)
 *	--tiers A,B			(split in place)
 *	--dims responsiveness,knowledge	(split in place)
 */
int	ka_feedback_parse_by(struct ka_feedback_config *config, char *text,
	    char *error, size_t size);
int	ka_feedback_parse_scale(struct ka_feedback_config *config,
	    const char *text, char *error, size_t size);
int	ka_feedback_parse_rollup(struct ka_feedback_config *config,
	    const char *text, char *error, size_t size);
int	ka_feedback_parse_tier_weights(struct ka_feedback_config *config,
	    char *text, char *error, size_t size);
int	ka_feedback_parse_tiers(struct ka_feedback_config *config,
	    char *text, char *error, size_t size);
int	ka_feedback_parse_dims(struct ka_feedback_config *config, char *text,
	    char *error, size_t size);
/* 1 when config.by has a period key. */
int	ka_feedback_by_period(const struct ka_feedback_config *config);

/* Score and comment header aliases, NULL-terminated (English, Chinese). */
const char *const *ka_feedback_score_aliases(void);
const char *const *ka_feedback_comment_aliases(void);

typedef struct ka_feedback ka_feedback;

/* Copies config; the strings it points to must outlive the engine. */
ka_feedback *ka_feedback_new(const struct ka_feedback_config *config);
void	 ka_feedback_free(ka_feedback *fb);

/*
 * Reads an accounts file (ka-rank's output: customer_id or customer,
 * and tier) for tiers, tier weights and the tier column.  0, or -1 with
 * "FILE:LINE: ..." or "FILE: ..." in error.
 */
int	 ka_feedback_load_accounts(ka_feedback *fb, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);

/*
 * Finds the columns to read.  0; or -1 with *missing set to a role the
 * configuration needs and the header lacks (the caller passes it to
 * ka_roles_require() for the usual message and exit 2), or with
 * *missing set to -1 and a message in error (no score column, a --dims
 * or --by column that is not there, a comment column --quotes needs).
 */
int	 ka_feedback_bind(ka_feedback *fb, const ka_record *header,
	    const struct ka_roles *roles, int *missing, char *error,
	    size_t size);

enum ka_feedback_verdict {
	KA_FEEDBACK_USED,	/* aggregated */
	KA_FEEDBACK_OUTSIDE,	/* checked; dated outside the tracked periods */
	KA_FEEDBACK_FILTERED,	/* --where said no */
	KA_FEEDBACK_UNASSIGNED,	/* an empty group key: counted, not grouped */
	KA_FEEDBACK_EXCLUDED,	/* account not in config.tiers */
	KA_FEEDBACK_BAD,	/* a bad value: nothing counted */
	KA_FEEDBACK_FATAL	/* a match limit: stop */
};

/*
 * Takes one record.  After KA_FEEDBACK_BAD, ka_feedback_error() says
 * what is wrong ("column 4 (score): 11 is outside the 0-10 scale") and
 * ka_feedback_error_column() where (1-based); the caller stops, or
 * skips the row with ka_feedback_reject().  After KA_FEEDBACK_FATAL
 * the error names file and line; the caller stops.
 */
enum ka_feedback_verdict ka_feedback_add(ka_feedback *fb,
	    const ka_record *rec);
const char *ka_feedback_error(const ka_feedback *fb);
size_t	 ka_feedback_error_column(const ka_feedback *fb);
void	 ka_feedback_reject(ka_feedback *fb);

struct ka_feedback_counts {
	unsigned long	 read, used, outside, filtered, unassigned, excluded,
			 rejected;
};

const struct ka_feedback_counts *ka_feedback_counts(const ka_feedback *fb);
/* "rep", "rep or product": the keys an unassigned row lacked. */
const char *ka_feedback_key_names(const ka_feedback *fb, char *buf,
	    size_t size);

/* Scale, figures, flags, ranks.  0, or -1 with a message in error. */
int	 ka_feedback_finish(ka_feedback *fb, char *error, size_t size);

/* After finish: a remark for stderr (how the scale was guessed), or
   NULL. */
const char *ka_feedback_note(const ka_feedback *fb);
/* "nps", "csat" or "LO-HI", and its bounds. */
const char *ka_feedback_scale_name(const ka_feedback *fb);
int	 ka_feedback_is_nps(const ka_feedback *fb);
double	 ka_feedback_threshold(const ka_feedback *fb);
/* Tracked period i (0 = current); the number tracked. */
const ka_period *ka_feedback_period(const ka_feedback *fb, size_t i);
size_t	 ka_feedback_period_count(const ka_feedback *fb);

/* The figures of one group (or of everyone) in one period. */
struct ka_feedback_figures {
	unsigned long	 n;		/* responses */
	unsigned long	 accounts;	/* distinct accounts among them */
	double		 weight;	/* W */
	double		 effective_n;
	double		 sum;		/* sum(w * score) */
	double		 mean;		/* NaN when n is 0 */
	double		 bayes_avg;	/* NaN when n is 0 */
	double		 promoters, passives, detractors;	/* shares */
	double		 satisfied;			/* share */
	double		 nps, nps_low, nps_high;	/* points */
	double		 csat, csat_low, csat_high;	/* percent */
	double		 dim_mean[KA_FEEDBACK_MAX_DIMS];	/* NaN: none */
	unsigned long	 comments;	/* non-empty comments */
	const uint32_t	*mentions;	/* per topic, NULL without topics */
	const uint32_t	*complaints;
};

enum ka_feedback_flag {
	KA_FEEDBACK_OK,
	KA_FEEDBACK_WATCH,
	KA_FEEDBACK_REASSIGN,
	KA_FEEDBACK_INSUFFICIENT,
	KA_FEEDBACK_POSITIVE,		/* verdicts, with since */
	KA_FEEDBACK_MIXED,
	KA_FEEDBACK_NEGATIVE
};

/* "ok", "watch", "reassign", "insufficient", "positive", ... */
const char *ka_feedback_flag_name(enum ka_feedback_flag flag);

struct ka_feedback_row {
	const char	*key[KA_FEEDBACK_MAX_KEYS];	/* per config.by;
					   the period's text for a period key */
	const char	*customer;	/* name, grouping by customer; or "" */
	const char	*tier;		/* with accounts, by customer; or "" */
	size_t		 period;	/* tracked period index of the row */
	size_t		 rank;		/* 1 = best bayes_avg; 0 when n is 0 */
	const struct ka_feedback_figures *now, *prev;	/* prev NULL: none */
	double		 change;	/* NaN when unknown */
	double		 slope;		/* NaN when unknown */
	enum ka_feedback_flag flag;
	char		 why[640];
};

/*
 * Rows in output order: without a period key, every group with answers
 * in a tracked period, by bayes_avg (high first), then n (high first),
 * then key; groups without answers now last, by key.  With a period
 * key, one row per group and period with answers, oldest period first,
 * each period ranked alike.
 */
const struct ka_feedback_row *ka_feedback_rows(const ka_feedback *fb,
	    size_t *count);
/* Everyone's figures in tracked period i (for the summary lines). */
const struct ka_feedback_figures *ka_feedback_overall(const ka_feedback *fb,
	    size_t i);

/* One example comment (config.quotes per group, period and topic). */
struct ka_feedback_quote {
	ka_date		 date;
	int		 score;
	const char	*account;	/* "" when none */
	const char	*comment;
};

/* The example comments of a row's topic, newest first. */
size_t	 ka_feedback_quotes(const ka_feedback *fb,
	    const struct ka_feedback_row *row, size_t topic,
	    const struct ka_feedback_quote **quotes);
/* The topics in use (NULL without a comment column or topics). */
const ka_topics *ka_feedback_topics(const ka_feedback *fb);

/* The tables ka-feedback writes, so every caller names columns alike:
   the scores, and the topic table (one row per topic mentioned, or
   per example comment with config.quotes). */
void	 ka_feedback_write_table(const ka_feedback *fb, ka_writer *writer);
void	 ka_feedback_write_topics(const ka_feedback *fb, ka_writer *writer);

/*
 * The report section (ka-report --feedback): computed from a finished
 * engine grouped by rep without a period key or since.
 *	scale, threshold	as the engine used them
 *	period, previous	the current and the previous period
 *	now, prev		everyone's figures in each (restricted to
 *				key accounts when config.tiers says which)
 *	change_mean		now.mean - prev.mean (NaN when either is)
 *	change_score		nps or csat points now - before (NaN ...)
 *	flagged			reps flagged reassign (first) or watch,
 *				each by bayes_avg low to high, then rep,
 *				with the reason spelled out
 *	topics			topics with complaints or mentions now, by
 *				complaints, then mentions (high first), then
 *				topic order; with last period's counts
 * Strings point into the engine, which must outlive the report.
 */
struct ka_feedback_report_flag {
	const char	*rep;
	enum ka_feedback_flag flag;
	double		 bayes_avg;
	unsigned long	 n;
	const char	*why;
};

struct ka_feedback_report_topic {
	const char	*topic;
	unsigned long	 complaints, mentions;
	unsigned long	 prev_complaints, prev_mentions;
};

struct ka_feedback_report {
	const char	*scale;
	int		 is_nps;
	double		 threshold;
	ka_period	 period, previous;
	struct ka_feedback_figures now, prev;
	double		 change_mean;
	double		 change_score;
	struct ka_feedback_report_flag *flagged;
	size_t		 nflagged;
	struct ka_feedback_report_topic *topics;
	size_t		 ntopics;
};

/* 0, or -1 when the engine is not finished or has a period key. */
int	 ka_feedback_report(const ka_feedback *fb,
	    struct ka_feedback_report *out);
void	 ka_feedback_report_free(struct ka_feedback_report *report);

/*
 * The whole section from files: reads responses from files (with
 * options, and accounts_path when not NULL), groups by rep whatever
 * config.by says, finishes and fills out.  *engine receives the engine
 * for the caller to free after the report.  0, or -1 with a message in
 * error ("FILE:LINE: column 4 (score): ...").
 */
int	 ka_feedback_report_files(const struct ka_feedback_config *config,
	    const char *const *files, size_t nfiles,
	    const struct ka_reader_options *options,
	    const char *accounts_path, ka_feedback **engine,
	    struct ka_feedback_report *out, char *error, size_t size);

#endif
