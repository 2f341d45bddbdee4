/*
 * ka_promo: the promotion-measurement engine behind ka-promo(1).
 * ka-report calls it directly (ka_promo_section()), so a report never
 * re-parses ka-promo's output.
 *
 *	struct ka_promo_config config;
 *	ka_promo_config_init(&config);		then set what differs
 *	promo = ka_promo_new(&config);
 *	ka_promo_load_accounts(promo, path, ...);	optional: names,
 *						tiers, regions
 *	ka_promo_load(promo, path, ...);	the promotions file
 *	ka_promo_bind(promo, header, roles, &missing);	the sales columns
 *	while (a sales record) ka_promo_add(promo, &rec);
 *		(or ka_promo_add_file(): one large file on every core)
 *	ka_promo_finish(promo, error, size);	baselines, lifts, dips, ROI
 *	rows = ka_promo_rows(promo, &count);	or ka_promo_write_evaluate()
 *	ka_promo_free(promo);
 *
 * One pass over the sales.  Before it, every promotion is known, so
 * the engine knows which accounts, scopes and dates matter: for each
 * promotion and account (an "evaluation") it keeps a weekly series of
 * exact sums (qty, revenue, margin as ka_dec) in 7-day blocks anchored
 * on the promotion: blocks counted back from the day before the start
 * (the baseline), the window itself, blocks counted on from the day
 * after the end (the dip), and with --baseline yoy the same blocks 364
 * days earlier (52 weeks, so weekdays line up).  A row is read beyond
 * its date and customer only when it falls in such a block.  Memory
 * grows with promotions x accounts x weeks (x regions, for control
 * sums), never with rows.
 *
 * What the figures mean, once, for every caller:
 * - A "week" of the baseline is a 7-day block before the window.  A
 *   block is left out when another promotion of the same account, whose
 *   scope shares sales with this one (same scope, a sku and its
 *   category, anything and "all"), runs on any of its days; the
 *   baseline then reaches further back, at most 52 promoted blocks
 *   beyond the N it wants.  A block counts only when it lies wholly
 *   inside the account's data: on or after the account's first sales
 *   row and on or before the last date of the whole sales input.
 *   Weeks without sales inside that span are real zeros.
 * - pre:     expected = sum of the N clean blocks / N x days / 7.
 * - yoy:     expected = the window's sales 364 days earlier x trend,
 *            trend = this year's clean blocks / the same blocks 364 days
 *            earlier (a block pair counts when both are clean).
 * - control: difference-in-differences on the log scale: expected =
 *            the account's clean blocks x (control window / control
 *            blocks), where the control group is every other account of
 *            the same tier (from the accounts file) and region (from
 *            it, else from the sales rows' region, an account's own
 *            being that of its first row) with no promotion of any kind
 *            from the first baseline block kept to the last dip block;
 *            with an accounts file, only its accounts.  Each figure
 *            (qty, revenue, margin) uses its own ratio.  The group must
 *            have min_control accounts with sales of the scope in that
 *            span.
 *   Expected values are rounded half away from zero to 2 decimals;
 *   lifts, dips and net figures are exact differences of the rounded
 *   values, so every row adds up as printed.
 * - dip: expected minus actual over the M blocks after the window (the
 *   same method, scaled to M blocks); it stops early at the data's end
 *   or at another promotion of the account that shares sales (flag
 *   short-post).  A negative dip is a halo, reported as is.  net =
 *   lift - dip.  yoy-promoted: a promotion sharing sales ran in the
 *   year-ago window or its dip weeks (the yoy baseline carries it).
 * - margin: amount - cost, and where a row has no cost (or the input
 *   no cost column) --margin-pct of its amount, else unknown.  With
 *   off_invoice the discount was not in the amounts: discount_pct of
 *   the window's revenue is taken off the incremental margin.
 * - roi = incremental margin / cost; net_roi = net margin / cost, both
 *   rounded to 2 decimals.  A promotion for several accounts (a tier,
 *   all) splits its cost equally, to the 0.0001, the first accounts in
 *   natural customer_id order (C2 before C10) taking the remainder, so
 *   the shares add up.  Money is written with 2 decimals where that is
 *   exact, else with all its decimals (a share of 33.3334).
 * - Overlap: promotions of one account on the same scope whose windows
 *   share a day are measured once, together, as a combined row
 *   ("P1+P2", the union of their windows); their own rows stay in the
 *   output with the flag overlap and no figures, so a sum of a column
 *   counts every sale once.  A promotion on a nested scope (a sku
 *   inside a promoted category, anything inside "all") is flagged
 *   nested-overlap and named in overlaps; each keeps its own figures.
 */
#ifndef KA_PROMO_H
#define KA_PROMO_H

#include <stddef.h>
#include <stdint.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_writer.h"

enum ka_promo_baseline {
	KA_PROMO_PRE,
	KA_PROMO_YOY,
	KA_PROMO_CONTROL
};

/* Flags, written in this order, ';'-separated. */
#define KA_PROMO_TOO_SHORT_BASELINE	0x01u	/* fewer clean weeks than N */
#define KA_PROMO_NO_BASELINE		0x02u	/* no figure could be given */
#define KA_PROMO_NEGATIVE_ROI		0x04u	/* roi below 0 */
#define KA_PROMO_DIP_EXCEEDS_LIFT	0x08u	/* dip above 0 and above lift */
#define KA_PROMO_SHORT_POST		0x10u	/* fewer dip weeks than M */
#define KA_PROMO_OVERLAP		0x20u	/* measured in a combined row */
#define KA_PROMO_NESTED_OVERLAP		0x40u	/* a nested scope overlaps */
#define KA_PROMO_YOY_PROMOTED		0x80u	/* a promotion ran a year ago */
#define KA_PROMO_FLAG_COUNT		8

struct ka_promo_config {
	enum ka_promo_baseline baseline;
	int		 weeks;		/* N baseline weeks: 8 */
	int		 post_weeks;	/* M dip weeks: -1 means N, 0 none */
	int		 min_control;	/* control accounts needed: 3 */
	int		 has_period;	/* evaluate only promotions ending in */
	ka_period	 period;
	int		 has_margin_pct;
	ka_dec		 margin_pct;	/* percent of amount, rows without cost */
	int		 off_invoice;	/* discounts are not in the amounts */
	int		 history;	/* keep weekly revenue for peak weeks */
	int		 reconcile;	/* total the amount of every row */

	/* Reading the sales. */
	int		 decimal_comma;
	const char	*date_format;
	const char	*null_string;
	ka_filter	*filter;	/* --where, or NULL */
	/* NULL: the first bad promotion stops; else it is rejected here. */
	struct ka_rejects *rejects;
};

/* Defaults: pre, 8 weeks, dip over 8 weeks, 3 control accounts. */
void	ka_promo_config_init(struct ka_promo_config *config);
/* "pre", "yoy", "control" <-> the enum; -1 when unknown. */
int	ka_promo_parse_baseline(const char *text);
const char *ka_promo_baseline_name(enum ka_promo_baseline baseline);
/* "too-short-baseline;negative-roi" into buf; "" when none. */
const char *ka_promo_flags_text(unsigned flags, char *buf, size_t size);
/* A flag's name -> its bit, 0 when unknown. */
unsigned ka_promo_flag_from_name(const char *name, size_t length);

typedef struct ka_promo ka_promo;

/* Copies config; the strings and filter it points to must outlive it. */
ka_promo *ka_promo_new(const struct ka_promo_config *config);
void	 ka_promo_free(ka_promo *promo);

/*
 * The accounts file (ka-rank's output, an accounts master, ...): its
 * customer_id column, and where present customer (name), tier and
 * region, by the usual role aliases.  Optional; may be called more than
 * once, each file adding to what the earlier ones said, and before
 * ka_promo_load().  With one, a promotion's customer must be in it,
 * "all" means its accounts, and control groups are drawn from its
 * accounts only.  Returns 0, or an exit status (1 bad data, 2 a missing
 * column) with a message in error; error is "" when the file could not
 * be opened (the reader has printed why).
 */
int	 ka_promo_load_accounts(ka_promo *promo, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);

/*
 * The promotions file: promo_id, customer_id (an id, "all", or
 * "tier:LABEL"), scope ("all", "sku:CODE", "category:NAME"), start,
 * end; optional mechanic, discount_pct ("20" or "20%") and cost.
 * Header aliases are listed in ka-promo(1).  Returns 0, or an exit
 * status with "FILE:LINE: column N (name): what is wrong" in error (""
 * when the file could not be opened: the reader has printed why).
 * With config.rejects, bad rows are rejected there instead.
 */
int	 ka_promo_load(ka_promo *promo, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);

/*
 * Finds the sales columns (date, customer_id or customer, amount or
 * qty x unit_price; sku or category when a scope needs them; qty,
 * cost, region where present) and lays out the evaluations.  Returns
 * 0, or -1 with *missing set (for ka_roles_require()).
 */
int	 ka_promo_bind(ka_promo *promo, const ka_record *header,
	    const struct ka_roles *roles, enum ka_role *missing);

enum ka_promo_verdict {
	KA_PROMO_USED,		/* summed into at least one evaluation */
	KA_PROMO_UNUSED,	/* read, and not needed by any evaluation */
	KA_PROMO_FILTERED,	/* --where said no */
	KA_PROMO_BAD,		/* a bad value: ka_promo_error() */
	KA_PROMO_FATAL		/* a sum overflowed, or a --where limit */
};

enum ka_promo_verdict ka_promo_add(ka_promo *promo, const ka_record *rec);

/*
 * The whole of one regular file in jobs pieces at once (after
 * ka_promo_bind(), its header read with options by a reader of the
 * caller's, whose delimiter is given): each piece goes into an engine
 * of its own and they are added up in input order, so every figure is
 * the one pass's.  Returns 1 when done so; 0 when the file is to be read
 * the usual way, nothing having been counted: too small, not a regular
 * file, an --encoding, a filter, --lenient, a control baseline, "all"
 * without accounts, a header or a cut that may lie inside quotes, or any
 * bad row (the one pass then names it).
 */
int	 ka_promo_add_file(ka_promo *promo, const char *path,
	    const struct ka_reader_options *options, int delimiter, int jobs);
/* "column 12 (amount): not a number: \"x\"", and that column (1-based). */
const char *ka_promo_error(const ka_promo *promo);
size_t	 ka_promo_error_column(const ka_promo *promo);

/*
 * Rows of the sales per outcome; with config.reconcile also the amount
 * column's total over each (rows whose amount cannot be read are
 * counted in unreadable; overflow: the totals are not shown).
 */
struct ka_promo_counts {
	unsigned long	 read, used, unused, filtered, rejected;
	ka_dec		 amount_read, amount_used, amount_unused,
			 amount_filtered, amount_rejected;
	unsigned long	 unreadable;
	int		 overflow;
};
const struct ka_promo_counts *ka_promo_counts(const ka_promo *promo);
/* Counts a sales row the caller skipped (--lenient): read, rejected. */
void	 ka_promo_reject(ka_promo *promo, const ka_record *rec);

/*
 * Checks the promotions against the data (unknown customer, window
 * outside the data: "FILE:LINE: column N (name): ..."), then computes
 * every figure.  0, or an exit status with a message in error.
 */
int	 ka_promo_finish(ka_promo *promo, char *error, size_t size);

/* One row of `ka-promo evaluate`. */
struct ka_promo_row {
	const char	*promo_id;	/* "P1+P2" for a combined row */
	const char	*customer_id;
	const char	*customer;	/* "" when unknown */
	const char	*scope;		/* "all", "sku:X", "category:X" */
	const char	*mechanic;	/* "discount+display" when combined */
	ka_date		 start, end;
	int		 days;
	int		 member;	/* measured in a combined row: no figures */
	int		 measured;	/* a baseline, so lift figures */
	int		 baseline_weeks;
	int		 has_qty;	/* the sales have a qty column */
	int		 has_baseline_qty;	/* baseline, lift (and dip) qty */
	ka_dec		 actual_qty, baseline_qty, lift_qty;
	int		 has_lift_qty_pct;
	ka_dec		 lift_qty_pct;
	int		 has_actual;	/* actual_qty and actual_revenue */
	ka_dec		 actual_revenue, baseline_revenue, lift_revenue;
	int		 has_lift_revenue_pct;
	ka_dec		 lift_revenue_pct;
	int		 has_margin;
	ka_dec		 incremental_margin;
	int		 post_weeks;
	int		 has_dip;	/* dip and net figures */
	ka_dec		 dip_qty, dip_revenue, dip_margin;
	ka_dec		 net_qty, net_revenue, net_margin;	/* net_margin with has_margin */
	int		 has_discount;
	ka_dec		 discount_pct;
	int		 has_cost;
	ka_dec		 cost;
	int		 has_roi, has_net_roi;
	ka_dec		 roi, net_roi;
	unsigned	 flags;		/* KA_PROMO_* */
	const char	*overlaps;	/* "P2;P7", "" when none */
	const char	*baseline_method, *margin_method, *dip_method,
			*roi_method;
	/* Grouping for history. */
	const char	*tier;		/* "" when unknown */
	uint32_t	 account;	/* dense id, for grouping */
};

/*
 * Rows sorted by start, end, promo_id (digits compare as numbers) and
 * customer_id.  Valid until ka_promo_free().
 */
const struct ka_promo_row *ka_promo_rows(const ka_promo *promo,
	    size_t *count);
void	 ka_promo_write_evaluate(const ka_promo *promo, ka_writer *writer);

/*
 * `ka-promo history --by LIST`: LIST is a comma-separated subset of
 * customer, mechanic, scope, tier.  0, or -1 with a message in error.
 */
int	 ka_promo_parse_by(const char *text, unsigned *by, char *error,
	    size_t size);
#define KA_PROMO_BY_CUSTOMER	1u
#define KA_PROMO_BY_MECHANIC	2u
#define KA_PROMO_BY_SCOPE	4u
#define KA_PROMO_BY_TIER	8u

/*
 * One group of the history: combined rows count once, their members
 * not at all.  Means are of the rows that have the figure; roi and
 * net_roi are pooled (sum of margins / sum of costs over rows with
 * both).  peak_weeks (by customer, with config.history): the account's
 * three ISO weeks of the year with the highest mean revenue over its
 * complete weeks of data, best first, "47;48;51".
 */
struct ka_promo_group {
	const char	*customer_id, *customer, *mechanic, *scope, *tier;
	size_t		 promotions, measured, worked;	/* worked: net above 0 */
	int		 has_mean_lift_qty_pct, has_mean_lift_revenue_pct;
	ka_dec		 mean_lift_qty_pct, mean_lift_revenue_pct;
	ka_dec		 lift_revenue;		/* over measured rows */
	int		 has_net;		/* some row has a dip */
	ka_dec		 net_revenue;		/* over rows with a dip */
	int		 has_margin;		/* every measured row has one */
	ka_dec		 incremental_margin;
	int		 has_net_margin;	/* ... and some row a dip */
	ka_dec		 net_margin;
	ka_dec		 cost;
	int		 has_roi, has_net_roi;
	ka_dec		 roi, net_roi;
	char		 peak_weeks[32];
};

/* Groups sorted by customer_id, then roi (best first), then the keys. */
struct ka_promo_group *ka_promo_history(const ka_promo *promo, unsigned by,
	    size_t *count);
void	 ka_promo_write_history(const ka_promo *promo, ka_writer *writer,
	    unsigned by);

/*
 * The section of ka-report --promos FILE: the rows (overlap members
 * left out: their combined row stands for them) of promotions that
 * ended in period, by end date, then as ka_promo_rows(), with totals.
 * rows points into the engine's rows; free it with free().  Returns 0,
 * or -1 when out of memory.
 */
struct ka_promo_section {
	ka_period	 period;
	size_t		 promotions;	/* rows ended in the period */
	size_t		 measured;	/* rows with a net effect */
	ka_dec		 lift_revenue, net_revenue;	/* over measured rows */
	int		 has_margin;	/* every measured row has a margin */
	ka_dec		 net_margin;
	ka_dec		 cost;		/* over rows with a cost */
	int		 has_roi;	/* pooled over rows with margin and cost */
	int		 has_net_roi;	/* the same, over rows with a dip too */
	ka_dec		 roi, net_roi;
	size_t		 negative_roi, dip_exceeds_lift;
	const struct ka_promo_row **rows;
	size_t		 nrows;
};

int	 ka_promo_section(const ka_promo *promo, const ka_period *period,
	    struct ka_promo_section *out);

/*
 * The whole section in one call, for ka-report: reads the optional
 * accounts file (ka-rank's output: names and tiers), the promotions file
 * and the sales files (with their reader options and --col roles; one
 * large file in pieces on every core), evaluates the promotions that
 * ended in period with config's baseline (config's decimal_comma,
 * date_format and null_string apply to all three files; its period and
 * rejects are set here), and fills out.  *engine receives the engine;
 * free it with ka_promo_free() after using out->rows, and out->rows with
 * free().  Returns 0, or an exit status (1 bad data: "FILE:LINE: ...";
 * 2 a missing column) with a message in error ("" when a file could not
 * be opened: the reader has printed why).
 */
int	 ka_promo_report(const struct ka_promo_config *config,
	    const char *promos_path, const char *accounts_path,
	    const char *const *sales, size_t nsales,
	    const struct ka_reader_options *options,
	    const struct ka_roles *roles, const ka_period *period,
	    ka_promo **engine, struct ka_promo_section *out, char *error,
	    size_t size);

/* Internals, exposed for tests/unit/test_promo.c. */

/* a x b / c rounded half away from zero to 4 places (ka_dec); -1 on
   overflow or c == 0. */
int	 ka_promo_muldiv(ka_dec a, ka_dec b, ka_dec c, ka_dec *out);
/* The slot (0-based) of day d: pre blocks 0..pre-1 counted back from
   start - 1, one slot a day for the window (pre..pre+days-1), then
   post blocks counted on from end + 1; -1 outside them all. */
int	 ka_promo_block(ka_date d, ka_date start, ka_date end, int pre,
	    int post);

#endif
