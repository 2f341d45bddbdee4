/*
 * ka_report: the weekly key-account report as data, and its renderings
 * (text for a terminal, Markdown, self-contained HTML with inline SVG,
 * JSON, and an e-mail carrying text and HTML).  cmd/ka-report.c fills
 * the model from the ranking engine; this module only presents it, so
 * every figure shown is one the engine computed.
 */
#ifndef KA_REPORT_H
#define KA_REPORT_H

#include <stddef.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_reader.h"
#include "ka_roles.h"

#define KA_REPORT_SPARK 12	/* periods in a sparkline */

enum ka_report_format {
	KA_REPORT_TEXT,
	KA_REPORT_MD,
	KA_REPORT_HTML,
	KA_REPORT_JSON,
	KA_REPORT_EML
};

enum ka_report_lang { KA_LANG_EN, KA_LANG_ZH };

/* One period's headline figures. */
struct ka_report_totals {
	ka_period	 period;
	ka_dec		 revenue;
	ka_dec		 margin;
	unsigned long	 orders;
	unsigned long	 customers;
};

/* A ranked account of the period (ka-rank --period P --compare prev). */
struct ka_report_account {
	const char	*customer_id;
	const char	*customer;	/* name, may be empty */
	const char	*tier;
	const char	*prev_tier;	/* "" when absent before */
	long		 rank;
	long		 prev_rank;	/* 0 when absent before */
	ka_dec		 revenue;
	ka_dec		 prev_revenue;
	double		 share;		/* percent of the period's total */
	double		 cum_share;
	double		 growth;	/* percent; NaN when no base */
	const char	*movement;	/* new, up, down, same */
	double		 spark[KA_REPORT_SPARK];
};

/* A key account of the risk window that is lapsed or declining. */
struct ka_report_risk {
	const char	*customer_id;
	const char	*customer;
	const char	*tier;		/* over the risk window */
	long		 recency_days;	/* days since the last order */
	double		 median_gap_days; /* NaN when unknown */
	double		 growth;	/* window against the one before */
	const char	*risk;		/* "lapsed;declining" */
};

/* An account that bought before the risk window and not in it. */
struct ka_report_lost {
	const char	*customer_id;
	const char	*customer;
	const char	*prev_tier;	/* the tier it had then */
	ka_dec		 prev_revenue;
	ka_date		 last_order;
};

/*
 * A section another engine contributes (visits, feedback, stock, ...):
 * a title, a few lines of text, and a table.  Cells are plain text; the
 * renderers escape and align them.
 */
struct ka_report_section {
	const char	*id;		/* HTML anchor and JSON key */
	const char	*title;
	const char	**lines;	/* sentences shown above the table */
	size_t		 nlines;
	const char	**columns;	/* table header, ncolumns */
	const int	*numeric;	/* per column: right-aligned */
	size_t		 ncolumns;
	const char	**cells;	/* nrows x ncolumns */
	size_t		 nrows;
	size_t		 pending;	/* cells of a row not yet complete */
};

struct ka_report {
	enum ka_report_lang lang;
	int		 ascii;
	int		 has_margin;
	ka_date		 as_of;
	const char	*title;		/* NULL: the default title */
	double		 cut_a, cut_b;	/* ABC cut-offs in percent */

	struct ka_report_totals current, previous, year_ago;

	/* Every ranked account of the period, in rank order. */
	struct ka_report_account *accounts;
	size_t		 naccounts;
	size_t		 top;		/* how many the key-account table shows */
	/* Accounts of the previous period absent now, by their old rank. */
	struct ka_report_lost *gone;
	size_t		 ngone;
	size_t		 movement[5];	/* new, up, same, down, lost */

	/* Risk window: lapsed and declining key accounts, lost accounts. */
	ka_period	 risk_window;
	struct ka_report_risk *risks;
	size_t		 nrisks;
	struct ka_report_lost *lost;
	size_t		 nlost;

	/* Concentration of the period. */
	double		 hhi;
	double		 top_share[3];	/* top 1, 5, 10 */

	/* Periods of the sparklines and the revenue chart, oldest first. */
	char		 spark_label[KA_REPORT_SPARK][24];
	double		 spark_total[KA_REPORT_SPARK];

	struct ka_report_section *sections;
	size_t		 nsections;
};

/*
 * What a section of another engine needs to compute itself: the sales
 * files and how to read them, the key accounts, the report's dates, and
 * the section's own inputs from the command line.  A section reads what
 * it needs itself (a second pass over the sales where it needs sales):
 * the sections cost time only when asked for.
 */
struct ka_report_inputs {
	const char *const *sales;	/* the sales files; "-" is refused */
	size_t		 nsales;
	const struct ka_reader_options *read;
	const struct ka_roles *roles;	/* --col overrides of the sales */
	int		 decimal_comma;
	const char	*date_format;
	const char	*null_string;
	const char	*accounts;	/* key accounts: customer_id, tier, rank */
	/* 1 when accounts is ka-report's own ranking of its risk window
	   (no --accounts), which messages then name as such. */
	int		 accounts_ranked;
	ka_date		 as_of;
	ka_period	 period;	/* the report's period */
	enum ka_report_lang lang;
	/* The section's own inputs; NULL when not given. */
	const char	*visits, *events, *visitors;	/* --visits ... */
	const char	*feedback;			/* --feedback */
	const char	*stock, *orders;		/* --stock, --orders */
	const char	*peak;				/* --peak P */
	int		 lead_days;			/* --lead */
	const char	*rebates, *settled;		/* --rebates, --settled */
	double		 near_pct;			/* --near */
	const char	*promos;			/* --promos */
};

/* A date as every part of the report writes it: "2026-11-27", or in
   Chinese (zh 1) "2026年11月27日".  Returns out. */
const char	*ka_report_date_text(int zh, ka_date d, char *out, size_t size);

/*
 * Building a section: strings are copied, so callers may pass buffers.
 * Cells are added row by row, ncolumns to a row.
 */
void	ka_section_init(struct ka_report_section *s, const char *id,
	    const char *title);
void	ka_section_line(struct ka_report_section *s, const char *format, ...)
	    __attribute__((format(printf, 2, 3)));
void	ka_section_columns(struct ka_report_section *s,
	    const char *const *names, const int *numeric, size_t ncolumns);
void	ka_section_cell(struct ka_report_section *s, const char *format, ...)
	    __attribute__((format(printf, 2, 3)));
void	ka_section_free(struct ka_report_section *s);
/*
 * The options that read the sales the way the report did (-t, -d, -H,
 * --encoding, --col, --decimal-comma, --date-format, --null), each
 * with a leading space, for a "same figures" command line.
 */
void	ka_report_reading_options(const struct ka_report_inputs *in,
	    struct ka_buf *b);

/* The band of an HHI value: "unconcentrated", "moderate", "high". */
const char	*ka_report_hhi_band(double hhi);

void	ka_report_render(struct ka_buf *out, const struct ka_report *r,
	    enum ka_report_format format);
/* The e-mail form; from/to/subject may be NULL for defaults. */
void	ka_report_render_eml(struct ka_buf *out, const struct ka_report *r,
	    const char *from, const char *to, const char *subject);

#endif
