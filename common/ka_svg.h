/*
 * ka_svg: small inline SVG charts for self-contained HTML reports: no
 * script, no external resources, every label escaped.  Each chart is an
 * <svg> element with a <title> for screen readers, sized by viewBox so
 * it scales to the page and prints.
 */
#ifndef KA_SVG_H
#define KA_SVG_H

#include <stddef.h>

#include "ka_display.h"

struct ka_svg_series {
	const char	*label;
	const double	*values;	/* npoints values */
};

/* Lines over npoints x positions labelled x_labels (may be NULL). */
void	ka_svg_lines(struct ka_buf *b, const char *title,
	    const struct ka_svg_series *series, size_t nseries,
	    size_t npoints, const char *const *x_labels);

/*
 * The Pareto curve: cumulative share (0..100) of the basis against the
 * share of accounts, cum_share sorted ascending in rank order, with
 * dashed cut-off lines at each of cutoffs (percent) labelled.
 */
void	ka_svg_pareto(struct ka_buf *b, const char *title,
	    const double *cum_share, size_t n, const double *cutoffs,
	    const char *const *cutoff_labels, size_t ncutoffs,
	    const char *x_label, const char *y_label);

/* Horizontal bars, one per label, value printed at the bar's end. */
void	ka_svg_bars(struct ka_buf *b, const char *title,
	    const char *const *labels, const double *values, size_t n);

#endif
