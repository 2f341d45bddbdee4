#include <math.h>
#include <stdio.h>

#include "ka_stats.h"

double
ka_stats_normal_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's coefficients: the central region and the two tails. */
static const double acklam_a[6] = {
	-3.969683028665376e+01, 2.209460984245205e+02,
	-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00
};
static const double acklam_b[5] = {
	-5.447609879822406e+01, 1.615858368580409e+02,
	-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01
};
static const double acklam_c[6] = {
	-7.784894002430293e-03, -3.223964580411365e-01,
	-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00
};
static const double acklam_d[4] = {
	7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00
};

static double
tail(double q)
{
	const double *c = acklam_c, *d = acklam_d;

	return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
	    c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
}

double
ka_stats_normal_quantile(double p)
{
	const double *a = acklam_a, *b = acklam_b;
	const double low = 0.02425, high = 1.0 - 0.02425;
	double x, q, r, e, u;

	if (!(p > 0.0 && p < 1.0))
		return NAN;
	if (p < low) {
		x = tail(sqrt(-2.0 * log(p)));
	} else if (p <= high) {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) *
		    r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r +
		    b[3]) * r + b[4]) * r + 1.0);
	} else {
		x = -tail(sqrt(-2.0 * log1p(-p)));
	}
	/* One Halley step on Phi(x) - p. */
	e = ka_stats_normal_cdf(x) - p;
	u = e * 2.5066282746310002 /* sqrt(2 pi) */ * exp(x * x / 2.0);
	return x - u / (1.0 + x * u / 2.0);
}

double
ka_stats_z(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		return NAN;
	return ka_stats_normal_quantile(0.5 + confidence / 2.0);
}

void
ka_moments_init(struct ka_moments *m)
{
	m->count = 0;
	m->weight = m->weight2 = m->mean = m->m2 = 0.0;
}

void
ka_moments_add(struct ka_moments *m, double x, double w)
{
	double delta, r;

	if (!(w > 0.0))
		return;
	m->count++;
	m->weight += w;
	m->weight2 += w * w;
	delta = x - m->mean;
	r = delta * w / m->weight;
	m->mean += r;
	m->m2 += (m->weight - w) * delta * r;
}

void
ka_moments_merge(struct ka_moments *a, const struct ka_moments *b)
{
	double weight, delta;

	if (b->weight <= 0.0)
		return;
	if (a->weight <= 0.0) {
		*a = *b;
		return;
	}
	weight = a->weight + b->weight;
	delta = b->mean - a->mean;
	a->mean += delta * b->weight / weight;
	a->m2 += b->m2 + delta * delta * a->weight * b->weight / weight;
	a->weight = weight;
	a->weight2 += b->weight2;
	a->count += b->count;
}

double
ka_moments_mean(const struct ka_moments *m)
{
	return m->weight > 0.0 ? m->mean : NAN;
}

double
ka_moments_variance(const struct ka_moments *m)
{
	return m->weight > 0.0 ? m->m2 / m->weight : NAN;
}

double
ka_moments_sample_variance(const struct ka_moments *m)
{
	return m->weight > 1.0 ? m->m2 / (m->weight - 1.0) : NAN;
}

double
ka_moments_effective_n(const struct ka_moments *m)
{
	return m->weight2 > 0.0 ? m->weight * m->weight / m->weight2 : 0.0;
}

int
ka_stats_wilson(double successes, double n, double z, double *low,
    double *high)
{
	double p, z2, denominator, centre, half;

	*low = *high = NAN;
	if (!(n > 0.0) || !(successes >= 0.0) || successes > n * (1 + 1e-12))
		return -1;
	p = successes / n;
	if (p > 1.0)
		p = 1.0;
	z2 = z * z;
	denominator = 1.0 + z2 / n;
	centre = (p + z2 / (2.0 * n)) / denominator;
	half = z / denominator * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
	/* At p = 0 and p = 1 the bound is exactly 0 or 1, not a rounding
	   error away from it. */
	*low = successes <= 0.0 || centre - half < 0.0 ? 0.0 : centre - half;
	*high = p >= 1.0 || centre + half > 1.0 ? 1.0 : centre + half;
	return 0;
}

int
ka_stats_net_interval(double promoters, double detractors, double n,
    double z, double *low, double *high)
{
	double n_adjusted, p, d, net, variance, half;

	*low = *high = NAN;
	if (!(n > 0.0) || !(promoters >= 0.0) || !(detractors >= 0.0) ||
	    promoters + detractors > n * (1 + 1e-12))
		return -1;
	n_adjusted = n + 3.0;
	p = (promoters + 0.75) / n_adjusted;
	d = (detractors + 0.75) / n_adjusted;
	net = p - d;
	variance = (p + d - net * net) / n_adjusted;
	half = z * sqrt(variance > 0.0 ? variance : 0.0);
	*low = net - half < -1.0 ? -1.0 : net - half;
	*high = net + half > 1.0 ? 1.0 : net + half;
	return 0;
}

double
ka_stats_bayes_average(double prior_mean, double prior_weight, double sum,
    double weight)
{
	double denominator = prior_weight + weight;

	if (!(denominator > 0.0))
		return NAN;
	if (prior_weight == 0.0)
		return sum / weight;
	return (prior_weight * prior_mean + sum) / denominator;
}

int
ka_stats_slope(const double *x, const double *y, size_t n, double *slope)
{
	double mean_x = 0.0, mean_y = 0.0, sxy = 0.0, sxx = 0.0;
	size_t i, used = 0;

	*slope = NAN;
	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		used++;
		mean_x += (x[i] - mean_x) / (double)used;
		mean_y += (y[i] - mean_y) / (double)used;
	}
	if (used < 2)
		return -1;
	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		sxy += (x[i] - mean_x) * (y[i] - mean_y);
		sxx += (x[i] - mean_x) * (x[i] - mean_x);
	}
	if (!(sxx > 0.0))
		return -1;
	*slope = sxy / sxx;
	return 0;
}

double
ka_stats_quantile(const double *sorted, size_t n, double q)
{
	double h, below;
	size_t i;

	if (n == 0 || !(q >= 0.0 && q <= 1.0))
		return NAN;
	h = (double)(n - 1) * q;
	below = floor(h);
	i = (size_t)below;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - below) * (sorted[i + 1] - sorted[i]);
}

double
ka_stats_round(double x, int places)
{
	double scale, y, whole, fraction, r;

	if (isnan(x) || isinf(x))
		return x;
	if (places < 0)
		places = 0;
	if (places > 9)
		places = 9;
	scale = pow(10.0, places);
	y = fabs(x) * scale;
	whole = floor(y);
	fraction = y - whole;
	if (fabs(fraction - 0.5) <= 1e-9 * (y > 1.0 ? y : 1.0))
		r = whole + 1.0;
	else
		r = floor(y + 0.5);
	r /= scale;
	return x < 0.0 ? -r : r;
}

size_t
ka_stats_format(double x, int places, char *buf, size_t size)
{
	double r;
	int n;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (isnan(x) || isinf(x))
		return 0;
	if (places < 0)
		places = 0;
	if (places > 9)
		places = 9;
	r = ka_stats_round(x, places);
	if (r == 0.0)
		r = 0.0;	/* never "-0.00" */
	n = snprintf(buf, size, "%.*f", places, r);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}
