/*
 * ka_rebate: the rebate engine behind ka-rebate(1).  ka-report calls it
 * directly (ka_rebate_report()), so a report never re-parses
 * ka-rebate's output.
 *
 *	struct ka_rebate_config config;
 *	ka_rebate_config_init(&config);		then set what differs
 *	engine = ka_rebate_new(&config);
 *	ka_rebate_load_agreements(engine, path, ...);
 *	ka_rebate_add_account(engine, id, name, tier);	or _load_accounts
 *	ka_rebate_prepare(engine, ...);		one instance per agreement
 *						and customer it covers
 *	ka_rebate_load_settled(engine, path, ...);	optional
 *	ka_rebate_bind(engine, header, roles, &missing, ...);
 *	while (a sales record) ka_rebate_add(engine, &rec);
 *	ka_rebate_finish(engine);
 *	ka_rebate_accruals(), ka_rebate_settlements(), ka_rebate_whatif(),
 *	ka_rebate_report()
 *	ka_rebate_free(engine);
 *
 * One pass over the sales: each row is looked up by customer and added
 * to the day it falls on in every agreement instance of that customer
 * whose window (or, for growth, the same window a year earlier) and
 * scope hold it.  Memory grows with agreement instances times the days
 * of their validity up to --as-of (times the pieces read at once, see
 * ka_rebate_add_file()), never with the number of rows.
 *
 * Money: every rebate is computed exactly (a 128-bit integer at 10
 * decimal places) and rounded half away from zero to the cent once, as
 * the rebate earned up to a date.  Settlement amounts and accruals are
 * differences of such figures, so the settlement lines of an agreement
 * add up exactly to its final rebate.
 */
#ifndef KA_REBATE_H
#define KA_REBATE_H

#include <stddef.h>
#include <stdint.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_roles.h"
#include "ka_writer.h"

enum ka_rebate_method {
	KA_REBATE_RETRO,	/* the rate reached, on the whole basis */
	KA_REBATE_MARGINAL,	/* each rate on the basis inside its band */
	KA_REBATE_PER_UNIT,	/* the amount reached, on every unit */
	KA_REBATE_GROWTH,	/* the rate reached, on the growth over a
				   year earlier (never below zero) */
	KA_REBATE_FIXED,	/* the sum of the tier reached */
	KA_REBATE_METHOD_COUNT
};

enum ka_rebate_basis {
	KA_REBATE_BASIS_AMOUNT,
	KA_REBATE_BASIS_QTY,
	KA_REBATE_BASIS_MARGIN		/* amount - cost */
};

enum ka_rebate_rate_kind {
	KA_REBATE_RATE_PERCENT,		/* "2%": of the basis */
	KA_REBATE_RATE_UNIT,		/* "0.50/unit": per unit of qty */
	KA_REBATE_RATE_SUM		/* "250": a fixed sum */
};

enum ka_rebate_frequency {
	KA_REBATE_MONTHLY,
	KA_REBATE_QUARTERLY,
	KA_REBATE_ANNUAL,
	KA_REBATE_END			/* once, at valid_to */
};

enum ka_rebate_overlap {
	KA_REBATE_OVERLAP_ALL,		/* every agreement pays */
	KA_REBATE_OVERLAP_BEST		/* of a customer's agreements active
					   on a day, only the highest pays */
};

#define KA_REBATE_MAX_TIERS	32

struct ka_rebate_tier {
	ka_dec		 threshold;
	ka_dec		 rate;		/* 2% is 2, 0.50/unit is 0.5 */
};

struct ka_rebate_schedule {
	size_t		 count;
	enum ka_rebate_rate_kind kind;
	struct ka_rebate_tier tier[KA_REBATE_MAX_TIERS];
};

/*
 * Parses tiers written "5000:2%,20000:4%", "100:0.50/unit" or
 * "50000:250,100000:600": thresholds at or above zero in strictly
 * increasing order, each with a rate of one kind for the whole list
 * (percent 0..100, per unit 0..1000000, or a sum in whole cents).
 * Returns 0, or -1 with a message such as `tier 2 "5000:3%": overlapping
 * tier thresholds: 5000 is not above 5000` in error.
 */
int	ka_rebate_parse_tiers(const char *text, size_t length,
	    struct ka_rebate_schedule *out, char *error, size_t size);
/* "retro", "marginal", "per-unit", "growth", "fixed"; the reverse or -1. */
const char *ka_rebate_method_name(enum ka_rebate_method method);
int	ka_rebate_method_from_name(const char *text, size_t length);
const char *ka_rebate_basis_name(enum ka_rebate_basis basis);
const char *ka_rebate_frequency_name(enum ka_rebate_frequency frequency);
/* Whether method can use a schedule of this rate kind. */
int	ka_rebate_method_fits(enum ka_rebate_method method,
	    enum ka_rebate_rate_kind kind);
/* "2%", "0.50/unit", "250.00" into buf (KA_DEC_BUFSIZE + 8 bytes). */
const char *ka_rebate_rate_text(enum ka_rebate_rate_kind kind, ka_dec rate,
	    char *buf);

/* What a schedule gives on one basis. */
struct ka_rebate_value {
	ka_dec		 level;		/* the basis, or the growth */
	size_t		 tier;		/* tiers reached: 0 none, 1.. */
	ka_dec		 rebate;	/* rounded to the cent, before the cap */
	ka_dec		 earned;	/* after the cap */
	int		 capped;
	int		 has_next;	/* a higher threshold exists */
	ka_dec		 next_threshold;
	ka_dec		 volume_needed;	/* more basis to reach it */
	ka_dec		 extra_rebate;	/* what reaching it adds (capped) */
};

/*
 * The rebate of schedule under method on basis (prior: the basis a year
 * earlier, read by growth only), capped at cap when has_cap.  0, or -1
 * when a figure does not fit (out untouched).
 */
int	ka_rebate_evaluate(const struct ka_rebate_schedule *schedule,
	    enum ka_rebate_method method, ka_dec basis, ka_dec prior,
	    int has_cap, ka_dec cap, struct ka_rebate_value *out);

/* ---- the engine ---- */

struct ka_rebate_config {
	ka_date		 as_of;		/* sales after it are not read */
	enum ka_rebate_overlap overlap;
	int		 decimal_comma;	/* of the sales */
	const char	*date_format;	/* strptime after the built-in forms */
	const char	*null_string;	/* a field equal to it is empty */
	ka_filter	*filter;	/* --where on the sales, or NULL */
	int		 keep_prior;	/* the year-earlier basis of every
					   agreement, not only growth ones
					   (what-ifs) */
};

void	ka_rebate_config_init(struct ka_rebate_config *config);

typedef struct ka_rebate ka_rebate;

ka_rebate *ka_rebate_new(const struct ka_rebate_config *config);
void	 ka_rebate_free(ka_rebate *engine);

/*
 * Reads the agreements file (format in ka-rebate(1)).  0, or -1 with
 * "FILE:LINE: column N (name): what is wrong" in error.
 */
int	 ka_rebate_load_agreements(ka_rebate *engine, const char *path,
	    char *error, size_t size);
size_t	 ka_rebate_agreement_count(const ka_rebate *engine);

/*
 * Key accounts, for agreements that cover a tier: one call per
 * account, in rank order; name and tier may be NULL.  Or read them from
 * ka-rank output (customer_id, customer, tier columns): 0, or -1 with a
 * message.
 */
void	 ka_rebate_add_account(ka_rebate *engine, const char *customer_id,
	    const char *name, const char *tier);
int	 ka_rebate_load_accounts(ka_rebate *engine, const char *path,
	    char *error, size_t size);

/*
 * Expands agreements into instances (an agreement covering a tier has
 * one per account of that tier).  0; -1 with a message when an
 * agreement covers a tier and no accounts were given; a tier that
 * covers no account is a warning on standard error.
 */
int	 ka_rebate_prepare(ka_rebate *engine, char *error, size_t size);

/*
 * Amounts already settled (columns agreement_id, customer_id where the
 * agreement covers several customers, period_end, amount: ka-rebate
 * settle's own output).  Without this file, what was settled is what
 * the settlement schedule gave for every period closed by then.  0, or
 * -1 with "FILE:LINE: ..." in error.  After ka_rebate_prepare().
 */
int	 ka_rebate_load_settled(ka_rebate *engine, const char *path,
	    char *error, size_t size);

/*
 * Finds the sales columns the agreements need and binds their scopes.
 * 0; -1 with *missing set to a role the header lacks (for
 * ka_roles_require()); -2 with a message in error when a scope names a
 * column that is not there.
 */
int	 ka_rebate_bind(ka_rebate *engine, const ka_record *header,
	    const struct ka_roles *roles, enum ka_role *missing, char *error,
	    size_t size);

enum ka_rebate_verdict {
	KA_REBATE_USED,		/* counted in one agreement or more */
	KA_REBATE_UNUSED,	/* no agreement window, customer or scope */
	KA_REBATE_FILTERED,	/* --where said no */
	KA_REBATE_BAD,		/* a bad value; nothing counted */
	KA_REBATE_FATAL		/* a sum overflowed, or a --where limit */
};

/*
 * Reads the sales file path (after ka_rebate_bind(), with its header
 * and roles still valid) in jobs pieces on as many threads, each piece
 * into its own accumulators, merged in input order: the figures are
 * those of one pass.  1 when done; 0 when the file is not read that way
 * (not a regular file of 4 MB or more, a --where filter, an --encoding,
 * no header, a header with a quote) or a piece met a row that stops the
 * run: nothing is then counted, and the caller reads the file in one
 * pass with ka_rebate_add(), which reports the first such row.
 * delimiter is the one ka_reader_delimiter() found.
 */
int	 ka_rebate_add_file(ka_rebate *engine, const char *path,
	    const struct ka_reader_options *options, int delimiter, int jobs);

/* After BAD or FATAL, ka_rebate_error() says what, with its column. */
enum ka_rebate_verdict ka_rebate_add(ka_rebate *engine, const ka_record *rec);
const char *ka_rebate_error(const ka_rebate *engine);
size_t	 ka_rebate_error_column(const ka_rebate *engine);
/* Counts a row the caller skips (--lenient). */
void	 ka_rebate_reject(ka_rebate *engine, const ka_record *rec);

struct ka_rebate_counts {
	unsigned long	 read, used, unused, filtered, rejected;
};
const struct ka_rebate_counts *ka_rebate_counts(const ka_rebate *engine);

/* Cumulative sums; 0, or -1 with a message on overflow. */
int	 ka_rebate_finish(ka_rebate *engine, char *error, size_t size);

/* One agreement instance at --as-of. */
struct ka_rebate_accrual {
	const char	*agreement_id;
	const char	*customer_id;
	const char	*customer;	/* "" when unknown */
	const char	*tier;		/* the account's tier, "" when none */
	enum ka_rebate_method method;
	enum ka_rebate_basis basis_type;
	enum ka_rebate_rate_kind rate_kind;
	const struct ka_rebate_schedule *schedule;
	int		 has_cap;
	ka_dec		 cap;
	ka_date		 valid_from, valid_to;
	ka_dec		 basis;		/* valid_from..as_of */
	int		 has_prior;	/* growth */
	ka_dec		 prior;		/* the same span a year earlier */
	struct ka_rebate_value value;	/* of the agreement alone */
	int		 has_rate;	/* a tier reached */
	ka_dec		 rate;		/* its rate */
	int		 has_effective_rate;	/* basis above zero */
	ka_dec		 effective_rate; /* earned / basis: percent, 2
					   places; per unit, 4 places */
	ka_dec		 earned;	/* after the cap and --overlap */
	ka_dec		 settled;
	ka_dec		 accrual;	/* earned - settled */
	int		 has_projection; /* started and not ended */
	ka_dec		 projected_basis;	/* run rate to valid_to */
	ka_dec		 projected_rebate;
	const char	*paid_by;	/* --overlap best: who pays, or NULL */
	int		 started, ended;
};

/* Every instance, agreements in file order, then accounts order. */
const struct ka_rebate_accrual *ka_rebate_accruals(ka_rebate *engine,
	    size_t *count);

/* One settlement line: a settlement period that ends inside a period. */
struct ka_rebate_settlement {
	const struct ka_rebate_accrual *instance;
	ka_period	 period;	/* clipped to the agreement */
	int		 final;		/* ends at valid_to */
	ka_dec		 basis;		/* valid_from..period end */
	ka_dec		 earned;	/* up to the period end */
	ka_dec		 settled_before;
	ka_dec		 amount;	/* earned - settled_before */
};

/*
 * Settlement lines of the settlement periods ending inside period
 * (which must end on or before --as-of), instance order, then date.
 * The array is the caller's to free.  NULL with *count 0 when none.
 */
struct ka_rebate_settlement *ka_rebate_settlements(ka_rebate *engine,
	    const ka_period *period, size_t *count);

/* One row of a what-if: a method on the agreement's tiers. */
struct ka_rebate_whatif {
	const struct ka_rebate_accrual *instance;
	enum ka_rebate_method method;
	int		 current;	/* the agreement's own method */
	ka_dec		 basis;
	struct ka_rebate_value value;
	int		 has_effective_rate;
	ka_dec		 effective_rate;
	ka_dec		 difference;	/* earned - the own method's earned */
};

/*
 * What-ifs for agreement_id (and customer_id when not NULL): its
 * basis replaced by basis (add 0), or the basis to date plus basis
 * (add 1), under every method that fits its tiers.  The array is the
 * caller's to free; NULL with *count 0 when the agreement is unknown.
 */
struct ka_rebate_whatif *ka_rebate_whatifs(ka_rebate *engine,
	    const char *agreement_id, const char *customer_id, ka_dec basis,
	    int add, size_t *count);

/* The tables ka-rebate writes, so every caller names columns alike.
   near_pct below zero writes every accrual, else only those within
   near_pct percent of their next threshold. */
void	 ka_rebate_write_accruals(ka_rebate *engine, ka_writer *writer,
	    ka_dec near_pct);
void	 ka_rebate_write_settlements(ka_rebate *engine, ka_writer *writer,
	    const struct ka_rebate_settlement *lines, size_t count);
void	 ka_rebate_write_whatifs(ka_rebate *engine, ka_writer *writer,
	    const struct ka_rebate_whatif *rows, size_t count);

/*
 * Is an accrual within near_pct percent of its next threshold?  The gap
 * (volume_needed / next_threshold x 100, rounded half away from zero to
 * 2 places) goes to *gap_pct.
 */
int	 ka_rebate_is_near(const struct ka_rebate_accrual *accrual,
	    ka_dec near_pct, ka_dec *gap_pct);

/* ---- the section of ka-report --rebates FILE ---- */

struct ka_rebate_report_row {
	const struct ka_rebate_accrual *accrual;
	ka_dec		 gap_pct;	/* near rows: percent of the threshold
					   still missing */
};

struct ka_rebate_report {
	ka_date		 as_of;
	ka_dec		 near_pct;
	size_t		 instances;	/* agreements x customers, all */
	ka_dec		 earned, settled, accrual;	/* over accruals[] */
	/* Instances of key accounts (customers given with
	   ka_rebate_add_account(); every instance when none was), in
	   ka_rebate_accruals() order. */
	struct ka_rebate_report_row *accruals;
	size_t		 naccruals;
	/* Of those, the ones within near_pct of their next threshold,
	   smallest gap first, then the larger extra rebate, then order. */
	struct ka_rebate_report_row *near;
	size_t		 nnear;
};

/*
 * Fills out after ka_rebate_finish().  0, or -1 when out of memory
 * or when a total is out of range.
 * The rows point into the engine: free the report before the engine.
 */
int	 ka_rebate_report(ka_rebate *engine, ka_dec near_pct,
	    struct ka_rebate_report *out);
void	 ka_rebate_report_free(struct ka_rebate_report *report);

#endif
