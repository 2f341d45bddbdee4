/*
 * ka_stock: the engine behind ka-stock(1): key accounts' demand from
 * the sales history, forecast per customer and sku; stock, incoming
 * shipments and open orders; scarce stock allocated by priority; the
 * coming peak checked.  ka-report calls it directly (ka_stock_report).
 *
 *	struct ka_stock_config config;
 *	ka_stock_config_init(&config);		then set what differs
 *	stock = ka_stock_new(&config);
 *	ka_stock_bind(stock, header, roles, &missing);	the sales columns
 *	while (a sales record) switch (ka_stock_add(stock, &rec)) ...
 *	ka_stock_load_accounts(stock, path, ...);	ka-rank's output
 *	ka_stock_load_stock(stock, path, ...);		once per stock file
 *	ka_stock_load_orders(stock, path, ...);		optional
 *	ka_stock_write_forecast(), ka_stock_allocate(), ka_stock_check()
 *	ka_stock_free(stock);
 *
 * Time.  Demand is bucketed by ISO week (Monday..Sunday) or calendar
 * month.  The history is the config.history complete periods up to
 * --as-of (a period is complete when its last day is on or before
 * as_of); rows dated earlier, later, or in the current, incomplete
 * period are "outside" (counted, not used).  The forecast's first
 * period is the one holding as_of + 1.  Each series starts at its first
 * period with demand: earlier periods are not zeros of that series.
 *
 * Quantities are exact (ka_dec).  A series' demand in a period is the
 * net qty of its rows (returns subtract); a period that nets below zero
 * counts as no demand for the forecast.  Forecasts are doubles; they
 * become exact quantities in one place: a window's demand of one
 * series is the sum of its period forecasts, each weighted by the
 * share of the period's days inside the window (the current period
 * counts only from as_of + 1; a period past the window's last day only
 * up to it), rounded half away from zero to the sku's precision: the
 * most decimal places any of its quantities (sales qty, stock, incoming,
 * safety stock, order qty) is written with, 0 for whole units.  Over
 * time the rounding is cumulative (period k's demand is round(sum to k)
 * - round(sum to k-1)), so the periods add up to the window's total.
 *
 * Allocation (ka_stock_share): available = on hand + incoming arriving
 * by the window's last day - safety stock, at least 0; every strategy
 * gives out exactly min(available, total demand), in whole units of the
 * sku's precision.  Priority order: tier (ka-rank's tiers, best first:
 * the tier whose best rank is lowest), then rank, then customer_id
 * (byte order); customers absent from the accounts file come last, by
 * customer_id.
 */
#ifndef KA_STOCK_H
#define KA_STOCK_H

#include <stddef.h>
#include <stdint.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_filter.h"
#include "ka_forecast.h"
#include "ka_reader.h"
#include "ka_roles.h"
#include "ka_writer.h"

enum ka_stock_unit { KA_STOCK_WEEK, KA_STOCK_MONTH };

/* --by: what one forecast series is. */
enum ka_stock_by {
	KA_STOCK_BY_CUSTOMER_SKU,
	KA_STOCK_BY_SKU,
	KA_STOCK_BY_CATEGORY
};

enum ka_stock_strategy {
	KA_STOCK_PRIORITY,	/* tier by tier, rank by rank */
	KA_STOCK_PRORATA,	/* within a tier, in proportion to demand */
	KA_STOCK_FAIR,		/* within a tier, equal shares up to demand */
	KA_STOCK_RESERVE	/* a share per tier first, the rest by priority */
};

struct ka_stock_config {
	enum ka_stock_unit unit;
	size_t		 history;	/* periods; 0: 156 weeks or 36 months */
	enum ka_fc_method method;	/* KA_FC_AUTO by default */
	ka_date		 as_of;
	int		 decimal_comma;
	const char	*date_format;
	const char	*null_string;
	ka_filter	*filter;	/* --where on sales rows, or NULL */
};

void	ka_stock_config_init(struct ka_stock_config *config);

/* "priority", "prorata", "fair", "reserve"; the reverse, or -1. */
const char *ka_stock_strategy_name(enum ka_stock_strategy strategy);
int	ka_stock_strategy_parse(const char *name);

typedef struct ka_stock ka_stock;

ka_stock *ka_stock_new(const struct ka_stock_config *config);
void	 ka_stock_free(ka_stock *stock);

/*
 * The sales columns: date, customer_id (else customer), sku and qty are
 * needed; customer, product and category are read when present.  0, or
 * -1 with *missing set for ka_roles_require().
 */
int	 ka_stock_bind(ka_stock *stock, const ka_record *header,
	    const struct ka_roles *roles, enum ka_role *missing);

enum ka_stock_verdict {
	KA_STOCK_USED,		/* in the history */
	KA_STOCK_OUTSIDE,	/* dated outside it; only the date was read */
	KA_STOCK_FILTERED,	/* --where said no */
	KA_STOCK_UNASSIGNED,	/* no customer or no sku: not a series */
	KA_STOCK_BAD,		/* a bad value; ka_stock_error() says which */
	KA_STOCK_FATAL		/* a sum overflowed, or a --where failure */
};

enum ka_stock_verdict ka_stock_add(ka_stock *stock, const ka_record *rec);
/* "column 10 (qty): not a number: \"x\"" and its column, 1-based. */
const char *ka_stock_error(const ka_stock *stock);
size_t	 ka_stock_error_column(const ka_stock *stock);
/* Counts a sales row the caller rejects (--lenient). */
void	 ka_stock_reject(ka_stock *stock, const ka_record *rec);

/* Rows and their qty per outcome, for the --lenient reconciliation. */
struct ka_stock_tally {
	unsigned long	 rows;
	ka_dec		 qty;
	unsigned long	 unreadable;	/* rows with no readable qty */
	int		 overflow;
};

struct ka_stock_counts {
	struct ka_stock_tally read, used, outside, filtered, unassigned,
			 rejected;
};

const struct ka_stock_counts *ka_stock_counts(const ka_stock *stock);

/*
 * The other inputs.  Each returns 0, or an exit status with a message
 * ("FILE:LINE: column 2 (on_hand): negative stock: \"-5\"") in error:
 * KA_EXIT_DATA for bad data, KA_EXIT_USAGE for a missing column.  A
 * file that cannot be opened leaves error empty: the reader has printed
 * why.
 *
 * Accounts: ka-rank's output; customer_id (else customer) and tier are
 * needed, rank and customer are read when present (without rank, the
 * order of the file).  Rows with no tier (ka-rank's "lost") are
 * skipped; a customer listed twice is an error.
 *
 * Stock, one or more files, rows per sku: sku and at least one of
 * on_hand, incoming; safety_stock and arrival where present.  Header
 * names (any case): on_hand, onhand, on_hand_qty, stock, in_stock,
 * 库存, 现有库存; incoming, on_order, inbound, in_transit, 在途,
 * 在途数量; arrival, arrival_date, arrives, eta, due_date, 到货日期;
 * safety_stock, safety, min_stock, 安全库存.  A sku's on_hand and
 * safety_stock add up over rows (several warehouses); each incoming is
 * one shipment and needs an arrival date.  No figure may be negative.
 *
 * Orders: customer_id (else customer), sku, qty; requested (requested,
 * requested_date, request_date, due, delivery_date, 交货日期) and date
 * (the order date) where present.  qty must not be negative.
 */
int	 ka_stock_load_accounts(ka_stock *stock, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);
int	 ka_stock_load_stock(ka_stock *stock, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);
int	 ka_stock_load_orders(ka_stock *stock, const char *path,
	    const struct ka_reader_options *options, char *error,
	    size_t size);

/* Tier labels, best first, from the accounts file. */
size_t	 ka_stock_tier_count(const ka_stock *stock);
const char *ka_stock_tier_label(const ka_stock *stock, size_t tier);
/*
 * The key accounts: customers of the tiers listed ("A" or "A,B"); NULL
 * is the best tier.  0, or -1 with a message (an unknown tier).
 */
int	 ka_stock_set_key_tiers(ka_stock *stock, const char *list,
	    char *error, size_t size);

/* Period arithmetic, for callers and tests. */
long	 ka_stock_period_index(enum ka_stock_unit unit, ka_date d);
ka_date	 ka_stock_period_first(enum ka_stock_unit unit, long index);
ka_date	 ka_stock_period_last(enum ka_stock_unit unit, long index);
/* "2026-W48" or "2026-11"; buf has KA_PERIOD_BUFSIZE bytes. */
void	 ka_stock_period_label(enum ka_stock_unit unit, long index,
	    char *buf);
/* The forecast's first period: the one holding as_of + 1. */
long	 ka_stock_first_forecast_period(const ka_stock *stock);

/*
 * forecast: every series by `by` (with accounts loaded, only the key
 * accounts' demand), h periods from the first forecast period.  Columns:
 * the series' keys (customer_id, customer, tier, sku | sku, product,
 * category | category), period, start, forecast, lo80, hi80, lo95,
 * hi95 (2 decimals), method, class, periods (of history used), note.
 * Returns 0, or -1 when out of memory.
 */
int	 ka_stock_write_forecast(ka_stock *stock, enum ka_stock_by by,
	    size_t h, ka_writer *writer);

/* ---- allocation ---- */

/* One demand to serve, in whole quanta (units of the sku's precision). */
struct ka_stock_claim {
	size_t		 index;		/* the caller's, carried through */
	int		 tier;		/* 0 = best; ntiers = not listed */
	long		 rank;
	const char	*id;		/* customer_id, the last tie-break */
	int64_t		 demand;	/* >= 0 */
	int64_t		 allocated;	/* out */
	int64_t		 reserved;	/* out, reserve: from its tier's share */
};

/*
 * Shares available (>= 0) among claims: sorts them into priority order,
 * then sets every allocated so that each is at most its demand and the
 * sum is min(available, sum of demands) exactly.
 *	priority  each claim in order takes what it asks while stock lasts
 *	prorata   tier by tier; a tier that cannot be served in full
 *		  shares what is left in proportion to demand: floor of
 *		  left * demand / tier demand each, then the quanta still
 *		  over one each by the largest remainder, ties in priority
 *		  order
 *	fair	  tier by tier; a tier that cannot be served in full
 *		  shares what is left equally, a claim never getting more
 *		  than it asks and the rest shared again (max-min fair);
 *		  the quanta that do not divide evenly go one each in
 *		  priority order
 *	reserve	  reserve_pct[t] (percent times 10000, a ka_dec) of
 *		  available, rounded down, is kept for tier t and given
 *		  to its claims by priority; what is left, reserves
 *		  unused included, goes to all claims by priority
 * Returns 0, or -1 when out of memory.
 */
int	 ka_stock_share(enum ka_stock_strategy strategy, int64_t available,
	    struct ka_stock_claim *claims, size_t n, const ka_dec *reserve_pct,
	    int ntiers);

struct ka_stock_plan {
	enum ka_stock_strategy strategy;
	ka_dec		 reserve_pct[8];	/* per tier (percent), reserve */
	int		 has_reserve[8];
	ka_date		 until;		/* the window's last day */
	int		 audit;		/* also first come, first served */
};

/*
 * --reserve "A:60,B:30" into plan, against the loaded tiers.  0, or -1
 * with a message.
 */
int	 ka_stock_parse_reserve(const ka_stock *stock, const char *text,
	    struct ka_stock_plan *plan, char *error, size_t size);

struct ka_stock_allocation {
	const char	*customer_id, *customer, *sku, *tier;
	long		 rank;		/* 0 when not listed */
	ka_dec		 demand, allocated, shortfall;
	int		 has_fill_rate;
	ka_dec		 fill_rate;	/* percent, 2 decimals */
	ka_dec		 fcfs;		/* with audit: first come, first served */
	char		 why[200];
};

/*
 * Allocates every sku with a stock row: demand is the open orders
 * requested by plan->until (all of them when undated), or without
 * orders the forecast demand of every customer from as_of + 1 to
 * plan->until.  Rows by sku, then priority.  0, or -1 with a message.
 */
int	 ka_stock_allocate(ka_stock *stock, const struct ka_stock_plan *plan,
	    char *error, size_t size);
const struct ka_stock_allocation *ka_stock_allocations(const ka_stock *stock,
	    size_t *count);
/* Columns customer_id, customer, sku, tier, rank, demand, allocated,
   shortfall, fill_rate, why. */
void	 ka_stock_write_allocation(const ka_stock *stock, ka_writer *writer);
/* --audit: sku, level (tier or customer), tier, customer_id, customer,
   demand, allocated, fcfs_allocated, change. */
void	 ka_stock_write_audit(const ka_stock *stock, ka_writer *writer);

/* Notes for standard error after allocate: skus with demand and no
   stock row, order lines left for later.  Lines without "ka-stock: ". */
size_t	 ka_stock_notes(const ka_stock *stock, const char ***lines);

/* ---- the peak ---- */

enum ka_stock_action {
	KA_STOCK_ORDER_LATE,	/* ordered today it arrives after short_from */
	KA_STOCK_ORDER_NOW,	/* order_by is within 7 days of as_of */
	KA_STOCK_ORDER_LATER	/* order_by is further away */
};

struct ka_stock_shortage {
	const char	*sku, *product, *category;
	ka_dec		 key_demand;	/* key accounts, as_of + 1 .. peak end */
	ka_dec		 available;	/* on hand + incoming by then - safety */
	ka_dec		 shortfall;	/* the largest gap at any period */
	ka_date		 short_from;	/* the first day of the first gap */
	ka_date		 order_by;	/* short_from - lead */
	enum ka_stock_action action;
	char		*accounts;	/* "C002:120;C011:40", priority order */
	size_t		 naccounts;
};

/*
 * check: each sku whose key accounts' forecast demand from as_of + 1
 * through peak->last exceeds what is available, period by period: the gap at period k is their demand up
 * to k minus (on hand - safety stock + incoming arriving by the end of
 * k).  The shortfall is the largest gap, short_from the first day of
 * the first period with a gap (as_of + 1 at the earliest), and the
 * short key accounts are those that do not get their demand up to the
 * worst period when what is available then is shared by strategy.
 * Rows by short_from, larger shortfall first, then sku.  0, or -1 with
 * a message (the peak is over).
 */
int	 ka_stock_check(ka_stock *stock, const ka_period *peak, int lead_days,
	    const struct ka_stock_plan *plan, char *error, size_t size);
const struct ka_stock_shortage *ka_stock_shortages(const ka_stock *stock,
	    size_t *count);
/* Columns sku, product, category, key_demand, available, shortfall,
   short_from, order_by, action, short_accounts. */
void	 ka_stock_write_check(const ka_stock *stock, ka_writer *writer);
const char *ka_stock_action_text(enum ka_stock_action action, ka_date by,
	    char *buf, size_t size);

/*
 * ka-report --stock: key-account stock-outs ahead and skus to order
 * now, after the sales, accounts and stock are loaded.  Runs the check
 * for peak (priority allocation) and fills out; the rows point into
 * the engine and live until its next allocate, check or report, or
 * ka_stock_free().  Returns 0, or -1 with a message (the peak is over).
 */
struct ka_stock_report {
	ka_period	 peak;
	int		 lead_days;
	size_t		 skus;		/* skus with key-account demand */
	size_t		 short_skus;	/* rows below */
	size_t		 short_accounts;	/* distinct key accounts short */
	ka_dec		 shortfall;	/* sum over short skus */
	const struct ka_stock_shortage *stockouts;	/* by short_from */
	size_t		 nstockouts;
	/* Skus to order now: stockouts whose action is LATE or NOW, in
	   the same order, as indexes into stockouts. */
	size_t		*order_now;
	size_t		 norder_now;
};

int	 ka_stock_report(ka_stock *stock, const ka_period *peak,
	    int lead_days, struct ka_stock_report *out, char *error,
	    size_t size);

#endif
