/*
 * ka_rank: the ranking engine behind ka-rank(1).  ka-report calls it
 * directly, so a report never re-parses ka-rank's output.
 *
 * One engine ranks one set of groups (customers, or reps, regions, ...
 * with config.by) over one period, optionally against a comparison
 * period accumulated in the same pass:
 *
 *	struct ka_rank_config config;
 *	ka_rank_config_init(&config);		then set what differs
 *	rank = ka_rank_new(&config);
 *	ka_rank_bind(rank, header, roles, &missing);	which columns to read
 *	while (a record) switch (ka_rank_add(rank, &rec)) ...
 *	ka_rank_finish(rank, error, size);	ranks, tiers, scores, risk
 *	rows = ka_rank_rows(rank, &count);	or ka_rank_write_table()
 *	ka_rank_free(rank);
 *
 * Memory grows with the number of groups (and, per group, with the span
 * of days it was active, one bit a day), never with the number of rows.
 *
 * Scale-out: ka_rank_write_partial() writes the whole accumulated state
 * as CSV; an engine fed those rows with ka_rank_merge_record() (in any
 * order: the rows carry a shard key) finishes with exactly the figures
 * one pass over all the input gives.  The format is in ka-rank(1).
 *
 * What the figures mean, once, for every caller:
 * - revenue is the sum of amount, or of qty x unit_price (exact, with
 *   ka_dec_mul) where the input has no amount column.  Returns and
 *   cancellations (amount or qty below zero) net against sales.
 * - A row is a sale unless it is a return.  Only sales count as orders
 *   and active days: orders counts the distinct invoices of a group's
 *   sales, where an invoice's lines follow each other in the group's
 *   rows (as every export writes them; lines of one invoice far apart
 *   count twice); with no invoice column, or an empty invoice, each
 *   sale row is one order.  first_order and last_order are the first
 *   and last day with a sale.
 * - Percentages (share, cum_share, margin_pct, growth, score) are
 *   exact values rounded half away from zero to 2 decimals; tiers and
 *   risk flags compare the exact values, never the rounded ones.
 */
#ifndef KA_RANK_H
#define KA_RANK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_roles.h"
#include "ka_writer.h"

enum ka_rank_basis {
	KA_RANK_BASIS_REVENUE,
	KA_RANK_BASIS_MARGIN,
	KA_RANK_BASIS_QTY
};

enum ka_rank_tiering {
	KA_RANK_TIERS_ABC,		/* by cumulative share: A, B, C */
	KA_RANK_TIERS_TOP,		/* the first N ranks, the rest */
	KA_RANK_TIERS_MIN_REVENUE	/* revenue at least X, the rest */
};

/* The metrics --score can weigh, each normalised to its percentile. */
enum ka_rank_metric {
	KA_RANK_METRIC_REVENUE,
	KA_RANK_METRIC_MARGIN,
	KA_RANK_METRIC_GROWTH,
	KA_RANK_METRIC_FREQUENCY,	/* orders */
	KA_RANK_METRIC_RECENCY,		/* fewer days since the last order ranks higher */
	KA_RANK_METRIC_TENURE,
	KA_RANK_METRIC_COUNT
};

#define KA_RANK_RISK_LAPSED		1u
#define KA_RANK_RISK_DECLINING		2u
#define KA_RANK_RISK_CONCENTRATION	4u

enum ka_rank_movement {
	KA_RANK_MOVE_NONE,		/* no --compare */
	KA_RANK_MOVE_NEW,		/* no rows in the comparison period */
	KA_RANK_MOVE_UP,		/* a better tier than then */
	KA_RANK_MOVE_DOWN,
	KA_RANK_MOVE_SAME,
	KA_RANK_MOVE_LOST		/* rows then, none now */
};

#define KA_RANK_MAX_TIERS	3

/* Settings a --merge run may take from the partial files. */
#define KA_RANK_GIVEN_BY	1u
#define KA_RANK_GIVEN_PERIOD	2u
#define KA_RANK_GIVEN_COMPARE	4u
#define KA_RANK_GIVEN_STRATIFY	8u
#define KA_RANK_GIVEN_AS_OF	16u

struct ka_rank_config {
	/* What is ranked: KA_ROLE_CUSTOMER_ID (falling back to the
	   customer column when there is no id), or REP, REGION, ... */
	enum ka_role	 by;
	enum ka_rank_basis basis;
	ka_date		 as_of;		/* "today" for recency and tenure */
	int		 has_period;	/* else every row is in the period */
	ka_period	 period;
	int		 has_compare;
	ka_period	 compare;
	char		 compare_text[KA_PERIOD_BUFSIZE + 8];	/* "prev", "yoy" or a period, for messages */

	/* Tiers. */
	enum ka_rank_tiering tiering;
	ka_dec		 abc[2];	/* cum-share cut-offs in percent: 80, 95 */
	size_t		 top;		/* KA_RANK_TIERS_TOP */
	ka_dec		 min_revenue;	/* KA_RANK_TIERS_MIN_REVENUE */
	const char	*labels[KA_RANK_MAX_TIERS];	/* NULL: A, B, C */
	ka_dec		 hold;		/* percent points; with previous tiers */

	/* --score: a weight per metric; all zero means rank by basis. */
	ka_dec		 weight[KA_RANK_METRIC_COUNT];

	/* Risk flags. */
	ka_dec		 lapsed_factor;		/* 2: recency > 2 x median gap */
	ka_dec		 declining_pct;		/* 20: growth below -20% */
	ka_dec		 concentration_pct;	/* 15: share above 15% */

	int		 stratify;	/* a role, or -1: strata for pilots */

	/* Reading. */
	int		 decimal_comma;
	const char	*date_format;	/* strptime after the built-in forms */
	const char	*null_string;	/* a field equal to it is empty */
	ka_filter	*filter;	/* --where, or NULL */
	int		 partial;	/* only accumulate: no finish needed */
	unsigned	 given;		/* KA_RANK_GIVEN_*: set on the command line */
};

/* Defaults: by customer, revenue, ABC 80/95, risk 2x, 20%, 15%. */
void	ka_rank_config_init(struct ka_rank_config *config);

/*
 * Parsers for the options every caller spells the same way.  Each
 * returns 0, or -1 with a one-line message in error.
 *	--basis revenue|margin|qty
 *	--abc 80,95		two cum-share cut-offs in percent
 *	--labels A,B,C		as many labels as the tiering has tiers
 *	--score revenue:2,recency:1	metric:weight pairs
 *	--by ROLE		customer, rep, region, city, country,
 *				owner, sku, product, category
 */
int	ka_rank_parse_basis(struct ka_rank_config *config, const char *text,
	    char *error, size_t size);
int	ka_rank_parse_abc(struct ka_rank_config *config, const char *text,
	    char *error, size_t size);
int	ka_rank_parse_labels(struct ka_rank_config *config, char *text,
	    char *error, size_t size);	/* text is split in place */
int	ka_rank_parse_score(struct ka_rank_config *config, const char *text,
	    char *error, size_t size);
int	ka_rank_parse_by(const char *text, enum ka_role *role, char *error,
	    size_t size);
const char *ka_rank_metric_name(enum ka_rank_metric metric);
const char *ka_rank_basis_name(enum ka_rank_basis basis);
/* Tiers of the config's tiering: 3 for ABC, else 2. */
int	ka_rank_tier_count(const struct ka_rank_config *config);
/* "customers", "reps", "regions", ... */
const char *ka_rank_group_plural(enum ka_role role);

typedef struct ka_rank ka_rank;

/* Copies config; labels and strings it points to must outlive it. */
ka_rank	*ka_rank_new(const struct ka_rank_config *config);
void	 ka_rank_free(ka_rank *rank);

/*
 * Finds the columns to read.  Returns 0, or -1 with *missing set to a
 * role the configuration needs and the header lacks (the caller passes
 * it to ka_roles_require() for the usual message and exit 2).  Amount
 * is needed unless both qty and unit_price are there.
 */
int	 ka_rank_bind(ka_rank *rank, const ka_record *header,
	    const struct ka_roles *roles, enum ka_role *missing);
/* Whether the input has a column for role (after ka_rank_bind, or
   after a merge's settings were read). */
int	 ka_rank_has_role(const ka_rank *rank, enum ka_role role);

enum ka_rank_verdict {
	KA_RANK_USED,		/* in the period or the comparison period */
	KA_RANK_OUTSIDE,	/* dated outside both; only the date was read */
	KA_RANK_FILTERED,	/* --where said no */
	KA_RANK_UNASSIGNED,	/* no group: counted, not ranked */
	KA_RANK_BAD,		/* a bad value; nothing counted (see below) */
	KA_RANK_FATAL		/* a sum overflowed, or a --where limit */
};

/*
 * Accumulates one record.  After KA_RANK_BAD, ka_rank_error() says
 * what is wrong ("column 12 (amount): not a number: \"x\"") and
 * ka_rank_error_column() where; the caller stops, or rejects the row
 * with ka_rank_reject().  After KA_RANK_UNASSIGNED they say "no
 * customer_id" and its column.  After KA_RANK_FATAL the caller stops;
 * ka_rank_error() is then the whole message, FILE:LINE included.
 */
enum ka_rank_verdict ka_rank_add(ka_rank *rank, const ka_record *rec);

const char *ka_rank_error(const ka_rank *rank);
size_t	 ka_rank_error_column(const ka_rank *rank);
/* Counts a row the caller skips (bad value, bad UTF-8, ...). */
void	 ka_rank_reject(ka_rank *rank, const ka_record *rec);

/*
 * The data lines of one regular file (its header already bound with
 * ka_rank_bind) read in up to jobs pieces at once, each by a reader and
 * an engine of its own on a thread, then appended in input order: the
 * same figures as ka_rank_add() on every record.  Returns 1 when done.
 * Returns 0, having added nothing, when the file is not worth cutting
 * or cannot be cut at line ends (not a regular file, under 4 MB, a
 * quote in the header line, an --encoding, a --where filter) or when a
 * row needs a message (a bad value, a reader complaint, an overflow, a
 * quoted line break across a cut; ka_pieces.h lists every case): the
 * caller then reads the file the ordinary way, which reports the
 * problem with its real line number.
 */
int	 ka_rank_add_file(ka_rank *rank, const char *path,
	    const struct ka_reader_options *options, int delimiter, int jobs);

/*
 * What ka_rank_add_file() does, for a caller that reads a file in
 * pieces itself (ka_pieces.h) with engines of its own in each piece.
 * ka_rank_piece_new() gives an empty engine with rank's configuration
 * and columns, as ka_rank_bind() gave them to rank: it takes
 * ka_rank_add() on a thread of its own (engines share nothing but the
 * configuration, which nothing changes; a --where filter does change:
 * keep it off threads).  ka_rank_absorb() appends everything piece
 * read to into, as if piece's rows followed into's: absorbing pieces in
 * input order gives the figures of one pass.  It returns 0, or -1 when
 * a sum overflows; into is then partly changed, so absorb into a fresh
 * piece engine and absorb that into the real one once all went well.
 */
ka_rank	*ka_rank_piece_new(const ka_rank *rank);
int	 ka_rank_absorb(ka_rank *into, const ka_rank *piece);

/* Rows and amount (where readable) per outcome, for reconciliation. */
struct ka_rank_tally {
	unsigned long	 rows;
	ka_dec		 amount;
	unsigned long	 unreadable;	/* rows with no readable amount */
	int		 overflow;	/* amount overflowed: not shown */
};

struct ka_rank_counts {
	struct ka_rank_tally read, used, outside, filtered, unassigned,
			 rejected;
};

const struct ka_rank_counts *ka_rank_counts(const ka_rank *rank);
/* The name of the grouping column ("customer_id", "rep", ...). */
const char *ka_rank_key_name(const ka_rank *rank);

/*
 * Partial state.  ka_rank_write_partial() writes every group's sums,
 * counts, date bounds, active days and boundary invoices for both
 * periods, plus the settings and row counts; shard orders the pieces
 * (natural order: digits compare as numbers), "" when the files are
 * merged in input order.  ka_rank_merge_record() takes one record of
 * such a file, read with no header (header lines are skipped wherever
 * they are, so a sorted stream works): 0, or -1 with ka_rank_error().
 */
void	 ka_rank_write_partial(ka_rank *rank, ka_writer *writer,
	    const char *shard);
int	 ka_rank_merge_record(ka_rank *rank, const ka_record *rec);

/*
 * Tiers kept from an earlier ka-rank output (for --hold): reads its
 * key and tier columns.  0, or -1 with a message in error.
 */
int	 ka_rank_load_previous(ka_rank *rank, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);

/*
 * Ranks and tiers.  0, or -1 with a message in error (partial files
 * that disagree, margin asked for where cost is missing).
 */
int	 ka_rank_finish(ka_rank *rank, char *error, size_t size);

/* One ranked group (present now), or one lost since the comparison. */
struct ka_rank_row {
	const char	*key;
	const char	*name;		/* "" when none */
	const char	*stratum;	/* "" when none */
	int		 present;	/* rows in the period */
	size_t		 rank;		/* 1.., 0 when lost */
	int		 tier;		/* 0 = best; -1 when lost */
	int		 held;		/* tier kept by --hold */
	int		 rule_tier;	/* the tier without --hold */

	ka_dec		 revenue, cost, margin, qty, basis;
	int		 has_margin;	/* cost known on every row */
	int		 has_qty;
	int		 has_margin_pct;
	ka_dec		 margin_pct;
	unsigned long	 rows;
	unsigned long	 orders;
	ka_date		 first_order, last_order;	/* KA_DATE_NONE */
	long		 recency_days, tenure_days;	/* with last_order */
	unsigned long	 active_days;
	int		 has_median_gap;
	ka_dec		 median_gap_days;
	int		 has_share;	/* the basis total is above zero */
	ka_dec		 share, cum_share;
	int		 has_score;
	ka_dec		 score;		/* 0..100 */

	/* --compare */
	int		 prev_present;
	ka_dec		 prev_revenue, prev_basis;
	size_t		 prev_rank;	/* 0 when absent then */
	int		 prev_tier;	/* -1 when absent then */
	int		 has_growth;	/* prev_revenue above zero */
	ka_dec		 growth;
	long		 rank_change;	/* prev_rank - rank, when both */
	enum ka_rank_movement movement;

	unsigned	 risk;		/* KA_RANK_RISK_* */
	char		 why[384];
};

/* Ranked rows in rank order, then lost rows by their old rank. */
const struct ka_rank_row *ka_rank_rows(const ka_rank *rank, size_t *count);
/* Rows present now (the first ones of ka_rank_rows()). */
size_t	 ka_rank_ranked_count(const ka_rank *rank);
const char *ka_rank_label(const ka_rank *rank, int tier);
const char *ka_rank_movement_name(enum ka_rank_movement movement);
/* "lapsed;declining" into buf; "" when none. */
const char *ka_rank_risk_text(unsigned risk, char *buf, size_t size);

struct ka_rank_summary {
	size_t		 groups;
	ka_dec		 total;		/* of the basis */
	int		 has_concentration;	/* some group above zero */
	ka_dec		 hhi;		/* 0..10000, 2 decimals */
	const char	*hhi_band;	/* unconcentrated, moderate, high */
	ka_dec		 gini;		/* 0..1, 4 decimals */
	int		 has_share;
	ka_dec		 top_share[4];	/* top 1, 5, 10, 20 */
	int		 tiers;
	size_t		 tier_count[KA_RANK_MAX_TIERS];
	ka_dec		 tier_share[KA_RANK_MAX_TIERS];
	ka_dec		 tier_basis[KA_RANK_MAX_TIERS];
	size_t		 held;
	/* --compare */
	size_t		 prev_groups;
	ka_dec		 prev_total;
	size_t		 movement[KA_RANK_MOVE_LOST + 1];
};

void	 ka_rank_summary(const ka_rank *rank, struct ka_rank_summary *out);

/*
 * --pilot: up to n groups for a new-product trial, the best tier and
 * rank (score when scored) first; with config.stratify, round by round
 * the best remaining group of every stratum.  Groups with a basis at or
 * below zero are never picked.  Returns the number picked.
 */
struct ka_rank_pick {
	const struct ka_rank_row *row;
	size_t		 round;		/* 1 = best of its stratum */
	char		 reason[192];
};

size_t	 ka_rank_pilot(const ka_rank *rank, size_t n,
	    struct ka_rank_pick *picks);

/* The tables ka-rank writes, so every caller names columns alike. */
void	 ka_rank_write_table(const ka_rank *rank, ka_writer *writer);
void	 ka_rank_write_summary(const ka_rank *rank, ka_writer *writer);
void	 ka_rank_write_pilot(const ka_rank *rank, ka_writer *writer,
	    size_t n);
/* --explain: the cut-offs and where they fell, as "ka-rank: ..." lines. */
void	 ka_rank_explain(const ka_rank *rank, FILE *out);

/*
 * Internals, exposed for tests/unit/test_rank.c and for other engines.
 */

/* Median of the gaps between sorted distinct days; 0 with fewer than
   two days (*median untouched), else 1.  Halves when the count of gaps
   is even: 2.5 days is 25000. */
int	 ka_rank_median_gap(const ka_date *days, size_t n, ka_dec *median);
/* HHI of the values above zero, on 0..10000, rounded to 2 decimals;
   0 when none is above zero. */
ka_dec	 ka_rank_hhi(const ka_dec *values, size_t n);
const char *ka_rank_hhi_band(ka_dec hhi);
/* Gini coefficient of the values above zero, rounded to 4 decimals. */
ka_dec	 ka_rank_gini(const ka_dec *values, size_t n);
/*
 * Mid-rank percentiles: out[i] = 2 * below + equal - 1, where below
 * and equal count the items less than and equal to item i (i itself
 * included in equal); the percentile is out[i] / (2 * (n - 1)).
 */
void	 ka_rank_midranks(size_t n, int (*compare)(size_t a, size_t b,
	    void *context), void *context, uint64_t *out);
/* The ABC tier (0, 1, 2) of a cumulative sum against total. */
int	 ka_rank_abc_tier(ka_dec cum, ka_dec total, const ka_dec cut[2]);
/* A percentage num / den * 100 rounded half away from zero to
   2 decimals, as a ka_dec; den must be above zero. */
ka_dec	 ka_rank_percent(ka_dec num, ka_dec den);
/* Natural order of shard keys: digit runs compare as numbers. */
int	 ka_rank_shard_compare(const char *a, const char *b);

#endif
