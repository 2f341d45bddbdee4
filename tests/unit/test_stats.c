/*
 * Unit tests of common/ka_stats.c.  Expected values are worked by hand
 * in the comments, or come from Python's statistics.NormalDist (an
 * independent implementation) where the arithmetic is not done by
 * hand: python3 -c 'from statistics import NormalDist as N;
 * print(N().inv_cdf(0.975))'.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ka_stats.h"

#define CHECK_NEAR(got, want, tolerance) do { \
	double check_g = (got), check_w = (want); \
	if (!(fabs(check_g - check_w) <= (tolerance))) { \
		fprintf(stdout, "  %s:%d: %s is %.17g, want %.17g\n", \
		    __FILE__, __LINE__, #got, check_g, check_w); \
		check_failures++; \
	} \
} while (0)

static void
test_normal(void)
{
	/* NormalDist().inv_cdf(p) for each p. */
	CHECK_NEAR(ka_stats_normal_quantile(0.975), 1.9599639845400536, 1e-14);
	CHECK_NEAR(ka_stats_normal_quantile(0.5), 0.0, 1e-15);
	CHECK_NEAR(ka_stats_normal_quantile(0.995), 2.5758293035489, 1e-13);
	CHECK_NEAR(ka_stats_normal_quantile(0.9), 1.2815515655446008, 1e-14);
	CHECK_NEAR(ka_stats_normal_quantile(0.01), -2.3263478740408408, 1e-13);
	CHECK_NEAR(ka_stats_normal_quantile(1e-10), -6.361340902404056, 1e-11);
	/* Both sides of Acklam's region boundaries, symmetric. */
	CHECK_NEAR(ka_stats_normal_quantile(0.02425), -1.9729610513118845,
	    1e-13);
	CHECK_NEAR(ka_stats_normal_quantile(0.97575), 1.9729610513118847,
	    1e-13);
	CHECK(isnan(ka_stats_normal_quantile(0.0)));
	CHECK(isnan(ka_stats_normal_quantile(1.0)));
	CHECK(isnan(ka_stats_normal_quantile(NAN)));
	CHECK_NEAR(ka_stats_z(0.95), 1.9599639845400536, 1e-14);
	CHECK_NEAR(ka_stats_z(0.99), 2.5758293035489, 1e-13);
	CHECK(isnan(ka_stats_z(1.0)));
	CHECK_NEAR(ka_stats_normal_cdf(1.96), 0.9750021048517796, 1e-15);
	CHECK_NEAR(ka_stats_normal_cdf(-3.0), 0.0013498980316301035, 1e-17);
	CHECK_NEAR(ka_stats_normal_cdf(ka_stats_normal_quantile(0.3)), 0.3,
	    1e-15);
}

static void
test_moments(void)
{
	static const double x[8] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct ka_moments all, a, b, w;
	size_t i;

	/* 2 4 4 4 5 5 7 9: mean 40/8 = 5; squared deviations 9 1 1 1 0 0
	   4 16 = 32; population variance 32/8 = 4, sample 32/7. */
	ka_moments_init(&all);
	ka_moments_init(&a);
	ka_moments_init(&b);
	CHECK(isnan(ka_moments_mean(&all)));
	CHECK(isnan(ka_moments_variance(&all)));
	CHECK_NEAR(ka_moments_effective_n(&all), 0.0, 0.0);
	for (i = 0; i < 8; i++) {
		ka_moments_add(&all, x[i], 1.0);
		ka_moments_add(i < 3 ? &a : &b, x[i], 1.0);
	}
	CHECK_INT(all.count, 8);
	CHECK_NEAR(ka_moments_mean(&all), 5.0, 1e-15);
	CHECK_NEAR(ka_moments_variance(&all), 4.0, 1e-14);
	CHECK_NEAR(ka_moments_sample_variance(&all), 32.0 / 7.0, 1e-14);
	CHECK_NEAR(ka_moments_effective_n(&all), 8.0, 1e-14);
	/* Merged halves give what one pass gave. */
	ka_moments_merge(&a, &b);
	CHECK_INT(a.count, 8);
	CHECK_NEAR(ka_moments_mean(&a), 5.0, 1e-15);
	CHECK_NEAR(ka_moments_variance(&a), 4.0, 1e-14);

	/* x = 1 weight 3, x = 4 weight 1: mean (3 + 4) / 4 = 1.75;
	   variance (3 * 0.75^2 + 2.25^2) / 4 = (1.6875 + 5.0625) / 4 =
	   1.6875; effective n = 4^2 / (9 + 1) = 1.6.  A weight of 0 or
	   below adds nothing. */
	ka_moments_init(&w);
	ka_moments_add(&w, 1.0, 3.0);
	ka_moments_add(&w, 4.0, 1.0);
	ka_moments_add(&w, 100.0, 0.0);
	ka_moments_add(&w, 100.0, -1.0);
	CHECK_INT(w.count, 2);
	CHECK_NEAR(ka_moments_mean(&w), 1.75, 1e-15);
	CHECK_NEAR(ka_moments_variance(&w), 1.6875, 1e-14);
	CHECK_NEAR(ka_moments_effective_n(&w), 1.6, 1e-14);
	/* Merging into an empty one copies. */
	ka_moments_init(&a);
	ka_moments_merge(&a, &w);
	CHECK_NEAR(ka_moments_mean(&a), 1.75, 1e-15);
	/* Long runs of nearly equal values stay exact enough. */
	ka_moments_init(&a);
	for (i = 0; i < 1000000; i++)
		ka_moments_add(&a, 1e9 + (double)(i % 2), 1.0);
	CHECK_NEAR(ka_moments_mean(&a), 1e9 + 0.5, 1e-6);
	CHECK_NEAR(ka_moments_variance(&a), 0.25, 1e-6);
}

static void
test_wilson(void)
{
	double low, high;

	/* 8 of 10 at z = 1.96: p = 0.8, z^2 = 3.8416, 1 + z^2/n = 1.38416;
	   centre (0.8 + 0.19208) / 1.38416 = 0.716738; half 1.96 / 1.38416
	   * sqrt(0.016 + 0.009604) = 1.416021 * 0.160012 = 0.226581;
	   0.490157 .. 0.943319. */
	CHECK_INT(ka_stats_wilson(8, 10, 1.96, &low, &high), 0);
	CHECK_NEAR(low, 0.490157, 1e-6);
	CHECK_NEAR(high, 0.943319, 1e-6);
	/* The same at the exact z (Python, the formula in ka_stats.h). */
	CHECK_INT(ka_stats_wilson(8, 10, ka_stats_z(0.95), &low, &high), 0);
	CHECK_NEAR(low, 0.49016247153664183, 1e-12);
	CHECK_NEAR(high, 0.9433178485456247, 1e-12);
	/* 0 of 5 starts at 0; 5 of 5 ends at 1; neither is a point. */
	CHECK_INT(ka_stats_wilson(0, 5, ka_stats_z(0.95), &low, &high), 0);
	CHECK_NEAR(low, 0.0, 0.0);
	CHECK_NEAR(high, 0.43448246478317465, 1e-12);
	CHECK_INT(ka_stats_wilson(5, 5, ka_stats_z(0.95), &low, &high), 0);
	CHECK_NEAR(low, 0.5655175352168254, 1e-12);
	CHECK_NEAR(high, 1.0, 0.0);
	/* One answer: 1 of 1 is 0.2065 .. 1. */
	CHECK_INT(ka_stats_wilson(1, 1, ka_stats_z(0.95), &low, &high), 0);
	CHECK_NEAR(low, 0.20654931437723745, 1e-12);
	/* Fractional (weighted) counts are fine; nonsense is refused. */
	CHECK_INT(ka_stats_wilson(2.5, 4.5, 1.96, &low, &high), 0);
	CHECK(low > 0.0 && high < 1.0 && low < 2.5 / 4.5 && high > 2.5 / 4.5);
	CHECK_INT(ka_stats_wilson(1, 0, 1.96, &low, &high), -1);
	CHECK(isnan(low) && isnan(high));
	CHECK_INT(ka_stats_wilson(6, 5, 1.96, &low, &high), -1);
	CHECK_INT(ka_stats_wilson(-1, 5, 1.96, &low, &high), -1);
}

static void
test_net_interval(void)
{
	double low, high;

	/* 6 promoters, 2 detractors of 10, z = 1.96: n' = 13,
	   p' = 6.75/13 = 0.519231, d' = 2.75/13 = 0.211538,
	   net' = 0.307692; variance (0.730769 - 0.094675) / 13 = 0.0489304;
	   sd 0.2212022; half 1.96 * 0.2212022 = 0.4335563;
	   -0.125864 .. 0.741249. */
	CHECK_INT(ka_stats_net_interval(6, 2, 10, 1.96, &low, &high), 0);
	CHECK_NEAR(low, -0.125864, 1e-6);
	CHECK_NEAR(high, 0.741249, 1e-6);
	CHECK_INT(ka_stats_net_interval(6, 2, 10, ka_stats_z(0.95), &low,
	    &high), 0);
	CHECK_NEAR(low, -0.12585579968808103, 1e-12);
	CHECK_NEAR(high, 0.7412404150726964, 1e-12);
	/* One promoter: not the point [1, 1] a plain Wald interval gives.
	   n' = 4, p' = 1.75/4 = 0.4375, d' = 0.1875, net' = 0.25,
	   variance (0.625 - 0.0625) / 4 = 0.140625, sd 0.375;
	   0.25 +- 0.734986 -> -0.484986 .. 0.984986. */
	CHECK_INT(ka_stats_net_interval(1, 0, 1, ka_stats_z(0.95), &low,
	    &high), 0);
	CHECK_NEAR(low, -0.48498649420252016, 1e-12);
	CHECK_NEAR(high, 0.9849864942025202, 1e-12);
	/* One passive: symmetric about 0. */
	CHECK_INT(ka_stats_net_interval(0, 0, 1, ka_stats_z(0.95), &low,
	    &high), 0);
	CHECK_NEAR(low, -0.6001139595444135, 1e-12);
	CHECK_NEAR(high, 0.6001139595444135, 1e-12);
	CHECK_INT(ka_stats_net_interval(40, 10, 100, ka_stats_z(0.95), &low,
	    &high), 0);
	CHECK_NEAR(low, 0.16682770638882866, 1e-12);
	CHECK_NEAR(high, 0.4156965654558315, 1e-12);
	/* Clamped to [-1, 1]: a huge z cannot leave the range. */
	CHECK_INT(ka_stats_net_interval(1, 0, 1, 50, &low, &high), 0);
	CHECK_NEAR(low, -1.0, 0.0);
	CHECK_NEAR(high, 1.0, 0.0);
	CHECK_INT(ka_stats_net_interval(6, 5, 10, 1.96, &low, &high), -1);
	CHECK_INT(ka_stats_net_interval(0, 0, 0, 1.96, &low, &high), -1);
	CHECK(isnan(low) && isnan(high));
}

static void
test_bayes(void)
{
	/* One 10 against a prior of 5 answers at 7.5:
	   (5 * 7.5 + 10) / (5 + 1) = 47.5 / 6 = 7.916667.
	   Forty 9s: (37.5 + 360) / 45 = 8.833333: the forty win. */
	CHECK_NEAR(ka_stats_bayes_average(7.5, 5, 10, 1), 47.5 / 6, 1e-15);
	CHECK_NEAR(ka_stats_bayes_average(7.5, 5, 360, 40), 397.5 / 45,
	    1e-15);
	CHECK(ka_stats_bayes_average(7.5, 5, 360, 40) >
	    ka_stats_bayes_average(7.5, 5, 10, 1));
	/* No prior: the plain mean; no data: the prior. */
	CHECK_NEAR(ka_stats_bayes_average(7.5, 0, 18, 2), 9.0, 0.0);
	CHECK_NEAR(ka_stats_bayes_average(7.5, 5, 0, 0), 7.5, 0.0);
	CHECK(isnan(ka_stats_bayes_average(7.5, 0, 0, 0)));
	/* A NaN prior mean with no prior weight does not leak. */
	CHECK_NEAR(ka_stats_bayes_average(NAN, 0, 18, 2), 9.0, 0.0);
}

static void
test_slope(void)
{
	double x[5] = { 0, 1, 2, 3, 4 }, y[5] = { 1, 3, 5, 7, 9 };
	double slope, big[3] = { 20000, 20001, 20002 };

	CHECK_INT(ka_stats_slope(x, y, 5, &slope), 0);
	CHECK_NEAR(slope, 2.0, 1e-15);
	/* (0, 7), (1, 6), (2, 8): means 1 and 7; sxy = -1*0 + 0 + 1*1 = 1;
	   sxx = 2; slope 0.5. */
	y[0] = 7, y[1] = 6, y[2] = 8;
	CHECK_INT(ka_stats_slope(x, y, 3, &slope), 0);
	CHECK_NEAR(slope, 0.5, 1e-15);
	/* Day numbers as x lose nothing. */
	CHECK_INT(ka_stats_slope(big, y, 3, &slope), 0);
	CHECK_NEAR(slope, 0.5, 1e-12);
	/* NaN points are skipped: (0, 7), (2, 8) -> 0.5. */
	y[1] = NAN;
	CHECK_INT(ka_stats_slope(x, y, 3, &slope), 0);
	CHECK_NEAR(slope, 0.5, 1e-15);
	/* Fewer than two points, or one x only: no slope. */
	CHECK_INT(ka_stats_slope(x, y, 1, &slope), -1);
	CHECK(isnan(slope));
	x[1] = x[2] = 0;
	y[1] = 3;
	CHECK_INT(ka_stats_slope(x, y, 3, &slope), -1);
}

static void
test_quantile(void)
{
	double v[4] = { 1, 2, 3, 4 };

	/* h = 3q: q 0.5 -> 1.5 -> 2 + 0.5 = 2.5; 0.25 -> 0.75 -> 1.75. */
	CHECK_NEAR(ka_stats_quantile(v, 4, 0.5), 2.5, 0.0);
	CHECK_NEAR(ka_stats_quantile(v, 4, 0.25), 1.75, 0.0);
	CHECK_NEAR(ka_stats_quantile(v, 4, 0.0), 1.0, 0.0);
	CHECK_NEAR(ka_stats_quantile(v, 4, 1.0), 4.0, 0.0);
	CHECK_NEAR(ka_stats_quantile(v, 1, 0.7), 1.0, 0.0);
	CHECK(isnan(ka_stats_quantile(v, 0, 0.5)));
	CHECK(isnan(ka_stats_quantile(v, 4, 1.5)));
}

static void
test_round(void)
{
	char buf[32];

	/* 2.675 is 2.67499999999999982236431605997495353221893310546875
	   in binary; by hand it rounds to 2.68, and so it does here. */
	CHECK_NEAR(ka_stats_round(2.675, 2), 2.68, 1e-15);
	CHECK_NEAR(ka_stats_round(-2.675, 2), -2.68, 1e-15);
	CHECK_NEAR(ka_stats_round(1.005, 2), 1.01, 1e-15);
	CHECK_NEAR(ka_stats_round(0.285, 2), 0.29, 1e-15);
	CHECK_NEAR(ka_stats_round(2.5, 0), 3.0, 0.0);
	CHECK_NEAR(ka_stats_round(-2.5, 0), -3.0, 0.0);
	CHECK_NEAR(ka_stats_round(2.4999, 0), 2.0, 0.0);
	CHECK_NEAR(ka_stats_round(1234.5678, 2), 1234.57, 1e-12);
	CHECK(isnan(ka_stats_round(NAN, 2)));
	CHECK_INT(ka_stats_format(2.675, 2, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "2.68");
	ka_stats_format(-0.004, 2, buf, sizeof(buf));
	CHECK_STR(buf, "0.00");
	ka_stats_format(-12.345, 2, buf, sizeof(buf));
	CHECK_STR(buf, "-12.35");
	ka_stats_format(100, 2, buf, sizeof(buf));
	CHECK_STR(buf, "100.00");
	ka_stats_format(7.916666, 0, buf, sizeof(buf));
	CHECK_STR(buf, "8");
	CHECK_INT(ka_stats_format(NAN, 2, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	ka_stats_format(123456.789, 2, buf, 5);
	CHECK_STR(buf, "1234");
}

int
main(void)
{
	RUN(test_normal);
	RUN(test_moments);
	RUN(test_wilson);
	RUN(test_net_interval);
	RUN(test_bayes);
	RUN(test_slope);
	RUN(test_quantile);
	RUN(test_round);
	return CHECK_EXIT();
}
