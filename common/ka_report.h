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
	const char	*movement;	/* new, up, down, same, lost */
	const char	*risk;		/* "lapsed;declining" or "" */
	long		 recency_days;	/* days since last order */
	double		 median_gap_days; /* NaN when unknown */
	double		 spark[KA_REPORT_SPARK];
};

struct ka_report {
	enum ka_report_lang lang;
	int		 ascii;
	int		 has_margin;
	ka_date		 as_of;
	const char	*basis;		/* "revenue" */
	const char	*title;		/* NULL: the default title */
	double		 cut_a, cut_b;	/* ABC cut-offs in percent */

	struct ka_report_totals current, previous, year_ago;

	/* Every ranked account of the period, rank order, then "lost". */
	struct ka_report_account *accounts;
	size_t		 naccounts;
	size_t		 top;		/* how many the key-account table shows */

	/* Concentration. */
	double		 hhi;
	double		 top_share[3];	/* top 1, 5, 10 */

	/* Periods of the sparklines and the revenue chart, oldest first. */
	char		 spark_label[KA_REPORT_SPARK][24];
	double		 spark_total[KA_REPORT_SPARK];
};

/* The band of an HHI value: "unconcentrated", "moderate", "high". */
const char	*ka_report_hhi_band(double hhi);

void	ka_report_render(struct ka_buf *out, const struct ka_report *r,
	    enum ka_report_format format);
/* The e-mail form; from/to/subject may be NULL for defaults. */
void	ka_report_render_eml(struct ka_buf *out, const struct ka_report *r,
	    const char *from, const char *to, const char *subject);

#endif
