/*
 * ka_stats: the statistics several programs share.  Statistics are
 * estimates, so they use double (money never does: see ka_decimal.h);
 * each function says where rounding happens, and only
 * ka_stats_round() rounds for output.
 *
 *	normal distribution	ka_stats_normal_cdf, ka_stats_normal_quantile,
 *				ka_stats_z (two-sided critical value)
 *	weighted moments	struct ka_moments: count, weight, mean,
 *				variance and the effective sample size
 *	proportions		ka_stats_wilson (Wilson score interval)
 *	net scores		ka_stats_net_interval (NPS: adjusted Wald)
 *	shrinkage		ka_stats_bayes_average
 *	trends			ka_stats_slope (least squares)
 *	order statistics	ka_stats_quantile
 *
 * Every function is pure (no global state) and safe from any thread.
 * NaN stands for "no value" in results; callers print it as an empty
 * field.
 */
#ifndef KA_STATS_H
#define KA_STATS_H

#include <stddef.h>

/* Phi(x), the standard normal distribution function, from erfc(3);
   accurate to a few units in the last place. */
double	ka_stats_normal_cdf(double x);

/*
 * The inverse of Phi: the x with Phi(x) = p, for 0 < p < 1 (NaN
 * otherwise).  Acklam's rational approximation (relative error below
 * 1.2e-9) polished by one Halley step against ka_stats_normal_cdf(),
 * which brings it to about 1e-15.
 */
double	ka_stats_normal_quantile(double p);

/* The two-sided critical value for a confidence level in (0, 1):
   ka_stats_z(0.95) = Phi^-1(0.975) = 1.959963984540054. */
double	ka_stats_z(double confidence);

/*
 * Weighted running moments (West 1979, an incremental form of
 * Welford's), stable for long runs of nearly equal values.  Weights are
 * reliability weights: the variance is the population form
 * sum(w (x - mean)^2) / sum(w), and effective_n is Kish's
 * (sum w)^2 / sum(w^2), which is the plain count when all weights are
 * equal.  Zero-initialise, or call ka_moments_init().
 */
struct ka_moments {
	unsigned long	 count;		/* observations added */
	double		 weight;	/* sum of w */
	double		 weight2;	/* sum of w^2 */
	double		 mean;
	double		 m2;		/* sum of w (x - mean)^2 */
};

void	ka_moments_init(struct ka_moments *m);
/* Adds x with weight w > 0; a weight at or below zero is ignored. */
void	ka_moments_add(struct ka_moments *m, double x, double w);
/* Combines b into a (Chan et al.), as if b's values were added to a. */
void	ka_moments_merge(struct ka_moments *a, const struct ka_moments *b);
/* NaN when nothing was added. */
double	ka_moments_mean(const struct ka_moments *m);
/* Population variance sum(w (x - mean)^2) / sum(w); NaN when empty. */
double	ka_moments_variance(const struct ka_moments *m);
/* Sample variance with n - 1 where every weight is 1 (frequency
   weights: m2 / (weight - 1)); NaN unless weight > 1. */
double	ka_moments_sample_variance(const struct ka_moments *m);
/* Kish's effective sample size; 0 when empty. */
double	ka_moments_effective_n(const struct ka_moments *m);

/*
 * The Wilson score interval for a proportion: successes out of n
 * (either may be fractional, as with weighted data: pass the effective
 * sample size as n and p * n as successes) at critical value z:
 *
 *	centre = (p + z^2 / 2n) / (1 + z^2 / n)
 *	half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)
 *
 * *low and *high are proportions in [0, 1].  Returns 0, or -1 (both
 * NaN) unless n > 0 and 0 <= successes <= n.
 */
int	ka_stats_wilson(double successes, double n, double z, double *low,
	    double *high);

/*
 * A confidence interval for a net score such as the Net Promoter Score,
 * the share of promoters minus the share of detractors, by the
 * adjusted-Wald method (Rocks, The American Statistician 70(4), 2016;
 * Sauro and Lewis 2021 found it the best of the usual methods): add 3
 * to n and 3/4 to each of the two counts, then
 *
 *	n' = n + 3,  p' = (promoters + 0.75) / n',
 *	d' = (detractors + 0.75) / n',  net' = p' - d'
 *	variance = (p' + d' - net'^2) / n'
 *	interval = net' +- z * sqrt(variance), clamped to [-1, 1]
 *
 * The variance is that of the score +1 / 0 / -1 given to a promoter,
 * a passive and a detractor; the additions keep the interval from
 * collapsing to a point at 0 or n promoters, and make it defined for
 * any n > 0.  Counts may be fractional (weighted data: pass shares
 * times the effective sample size).  Results are shares in [-1, 1]
 * (multiply by 100 for points).  Returns 0, or -1 (both NaN) unless
 * n > 0, both counts are >= 0 and together at most n.
 */
int	ka_stats_net_interval(double promoters, double detractors, double n,
	    double z, double *low, double *high);

/*
 * The Bayesian average: a mean shrunk toward a prior mean as if
 * prior_weight observations of prior_mean had been seen as well,
 *
 *	(prior_weight * prior_mean + sum) / (prior_weight + weight)
 *
 * where sum is the total of the observations and weight their number
 * (or sum of weights).  With few observations it stays near the prior;
 * with many it approaches sum / weight.  NaN when the denominator is
 * not above zero.
 */
double	ka_stats_bayes_average(double prior_mean, double prior_weight,
	    double sum, double weight);

/*
 * The least-squares slope of y on x over n points:
 *	sum((x - mean x)(y - mean y)) / sum((x - mean x)^2)
 * computed around the means, so large x (day numbers) lose nothing.
 * Returns 0 with *slope set, or -1 (*slope NaN) when n < 2 or every x
 * is the same.  Points whose x or y is NaN are skipped.
 */
int	ka_stats_slope(const double *x, const double *y, size_t n,
	    double *slope);

/*
 * The q-quantile (0 <= q <= 1) of n values sorted ascending, by linear
 * interpolation between order statistics (Hyndman and Fan type 7, the
 * default of R and NumPy): h = (n - 1) q, x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]).  NaN when n is 0 or q is outside
 * [0, 1].
 */
double	ka_stats_quantile(const double *sorted, size_t n, double q);

/*
 * x rounded half away from zero to places decimals (0..9), the way the
 * programs print statistics.  A binary double rarely holds a decimal
 * half exactly (2.675 is 2.67499999...), so a value within 1e-9 of its
 * own magnitude of a half is taken as the half: 2.675 rounds to 2.68,
 * as it does by hand.  NaN and infinities pass through.
 */
double	ka_stats_round(double x, int places);

/*
 * Writes x rounded by ka_stats_round() with exactly places decimals
 * into buf (never "-0.00"), and returns the length; NaN writes "" and
 * returns 0.  size 32 is always enough.
 */
size_t	ka_stats_format(double x, int places, char *buf, size_t size);

#endif
