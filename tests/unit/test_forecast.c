/*
 * Unit tests of the forecasting methods (common/ka_forecast.c).  Every
 * expected value is worked out by hand in the comment above it; the
 * inputs are chosen so that every intermediate value is a short binary
 * fraction, so the checks allow only rounding noise (1e-12).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ka_forecast.h"

#define NEAR(got, want) do { \
	double near_g = (got), near_w = (want); \
	if (!(fabs(near_g - near_w) <= 1e-12 * (1 + fabs(near_w)))) { \
		printf("  %s:%d: %s is %.17g, want %.17g\n", __FILE__, \
		    __LINE__, #got, near_g, near_w); \
		check_failures++; \
	} \
} while (0)

static const double intermittent[7] = { 0, 3, 0, 0, 5, 0, 4 };

/*
 * Croston on 0 3 0 0 5 0 4 with alpha 0.5.  The first demand is at
 * t = 1: z = 3, p = 2 (periods up to and including it), rate 3/2 = 1.5.
 *	t=2: forecast 1.5, no demand, q = 2
 *	t=3: forecast 1.5, no demand, q = 3
 *	t=4: forecast 1.5; demand 5: z = 3 + .5(5-3) = 4,
 *	     p = 2 + .5(3-2) = 2.5, rate 4/2.5 = 1.6, q = 1
 *	t=5: forecast 1.6, no demand, q = 2
 *	t=6: forecast 1.6; demand 4: z = 4, p = 2.5 + .5(2-2.5) = 2.25,
 *	     rate 4/2.25 = 16/9
 * SSE: 1.5^2 + 1.5^2 + 3.5^2 + 1.6^2 + 2.4^2 = 2.25 + 2.25 + 12.25 +
 * 2.56 + 5.76 = 25.07 over 5 errors.
 */
static void
test_croston(void)
{
	double fitted[7], forecast[3];
	size_t nerr = 0;
	double sse;

	sse = ka_fc_run_croston(intermittent, 7, 0.5, 0, fitted, forecast, 3,
	    &nerr);
	NEAR(sse, 25.07);
	CHECK_INT(nerr, 5);
	CHECK(isnan(fitted[0]) && isnan(fitted[1]));
	NEAR(fitted[2], 1.5);
	NEAR(fitted[4], 1.5);
	NEAR(fitted[5], 1.6);
	NEAR(fitted[6], 1.6);
	NEAR(forecast[0], 16.0 / 9);
	NEAR(forecast[2], 16.0 / 9);
}

/*
 * SBA multiplies every Croston rate by 1 - alpha/2 = 0.75: fitted
 * 1.125, 1.125, 1.125, 1.2, 1.2 and the forecast 0.75 * 16/9 = 4/3.
 * SSE: 1.125^2 + 1.125^2 + 3.875^2 + 1.2^2 + 2.8^2 = 1.265625 +
 * 1.265625 + 15.015625 + 1.44 + 7.84 = 26.826875.
 */
static void
test_sba(void)
{
	double fitted[7], forecast[2];
	size_t nerr = 0;

	NEAR(ka_fc_run_croston(intermittent, 7, 0.5, 1, fitted, forecast, 2,
	    &nerr), 26.826875);
	CHECK_INT(nerr, 5);
	NEAR(fitted[3], 1.125);
	NEAR(fitted[6], 1.2);
	NEAR(forecast[1], 4.0 / 3);
}

/*
 * TSB on the same series, alpha 0.5, beta 0.25.  First demand at t = 1:
 * z = 3, d = 1/2.
 *	t=2: forecast .5*3 = 1.5; none: d = .5 - .25*.5 = .375
 *	t=3: forecast 1.125; none: d = .375 * .75 = .28125
 *	t=4: forecast .84375; 5: d = .28125 + .25*.71875 = .4609375,
 *	     z = 3 + .5*2 = 4
 *	t=5: forecast 1.84375; none: d = .4609375 * .75 = .345703125
 *	t=6: forecast 1.3828125; 4: d = .345703125 + .25*.654296875
 *	     = .50927734375, z = 4
 * forecast .50927734375 * 4 = 2.037109375.  SSE: 1.5^2 + 1.125^2 +
 * 4.15625^2 + 1.84375^2 + 2.6171875^2 = 2.25 + 1.265625 +
 * 17.2744140625 + 3.3994140625 + 6.84967041015625 = 31.03912353515625.
 */
static void
test_tsb(void)
{
	double fitted[7], forecast[1];
	size_t nerr = 0;

	NEAR(ka_fc_run_tsb(intermittent, 7, 0.5, 0.25, fitted, forecast, 1,
	    &nerr), 31.03912353515625);
	CHECK_INT(nerr, 5);
	NEAR(fitted[3], 1.125);
	NEAR(fitted[4], 0.84375);
	NEAR(fitted[6], 1.3828125);
	NEAR(forecast[0], 2.037109375);
}

/* SES, alpha .5, on 10 12 11: level 10; forecast 10, error 2, level 11;
   forecast 11, error 0.  SSE 4, and 11 ahead. */
static void
test_ses(void)
{
	static const double y[3] = { 10, 12, 11 };
	double fitted[3], forecast[2];
	size_t nerr = 0;

	NEAR(ka_fc_run_ses(y, 3, 0.5, fitted, forecast, 2, &nerr), 4);
	CHECK_INT(nerr, 2);
	NEAR(fitted[1], 10);
	NEAR(fitted[2], 11);
	NEAR(forecast[1], 11);
}

/*
 * Seasonal naive, m = 3, on 1 2 3 4 6 8: fitted from t = 3 on are
 * 1 2 3 (errors 3, 4, 5: SSE 50); ahead 4 6 8 4 6.
 */
static void
test_snaive(void)
{
	static const double y[6] = { 1, 2, 3, 4, 6, 8 };
	double fitted[6], forecast[5];
	size_t nerr = 0;

	NEAR(ka_fc_run_snaive(y, 6, 3, fitted, forecast, 5, &nerr), 50);
	CHECK_INT(nerr, 3);
	CHECK(isnan(fitted[2]));
	NEAR(fitted[5], 3);
	NEAR(forecast[0], 4);
	NEAR(forecast[2], 8);
	NEAR(forecast[3], 4);
	NEAR(forecast[4], 6);
	CHECK(isnan(ka_fc_run_snaive(y, 2, 3, NULL, NULL, 0, NULL)));
}

/*
 * Holt-Winters, additive season, m = 2, on 1 3 2 4 with alpha = beta =
 * gamma = .5 and phi = 1.  Initial state: l = mean(1, 3) = 2,
 * b = (mean(2, 4) - 2) / 2 = .5, s = 1-2, 3-2 = -1, 1.
 *	t=0: base 2.5, fitted 1.5; l = .5(1+1) + .5*2.5 = 2.25;
 *	     s = .5(1-2.5) + .5(-1) = -1.25; b = .5(.25) + .5*.5 = .375
 *	t=1: base 2.625, fitted 3.625; l = .5(3-1) + .5*2.625 = 2.3125;
 *	     s = .5(.375) + .5 = .6875; b = .5(.0625) + .1875 = .21875
 *	t=2: base 2.53125, fitted 1.28125; l = .5(3.25) + 1.265625
 *	     = 2.890625; s = .5(-.53125) - .625 = -.890625;
 *	     b = .5(.578125) + .109375 = .3984375
 *	t=3: base 3.2890625, fitted 3.9765625; l = .5(3.3125) +
 *	     1.64453125 = 3.30078125; s = .5(.7109375) + .34375
 *	     = .69921875; b = .5(.41015625) + .19921875 = .404296875
 * Ahead: 3.30078125 + .404296875 - .890625 = 2.814453125;
 * + 2b + .69921875 = 4.80859375; + 3b - .890625 = 3.623046875.
 * SSE: .5^2 + .625^2 + .71875^2 + .0234375^2 = .25 + .390625 +
 * .5166015625 + .00054931640625 = 1.15777587890625.
 */
static void
test_holt_winters_additive(void)
{
	static const double y[4] = { 1, 3, 2, 4 };
	struct ka_fc_params p = { 0.5, 0.5, 0.5, 1 };
	double fitted[4], forecast[3];
	size_t nerr = 0;

	NEAR(ka_fc_run_hw(y, 4, 2, 0, &p, NULL, fitted, forecast, 3, &nerr),
	    1.15777587890625);
	CHECK_INT(nerr, 4);
	NEAR(fitted[0], 1.5);
	NEAR(fitted[1], 3.625);
	NEAR(fitted[2], 1.28125);
	NEAR(fitted[3], 3.9765625);
	NEAR(forecast[0], 2.814453125);
	NEAR(forecast[1], 4.80859375);
	NEAR(forecast[2], 3.623046875);
	/* Too short for two seasons. */
	CHECK(isnan(ka_fc_run_hw(y, 3, 2, 0, &p, NULL, NULL, NULL, 0, NULL)));
}

/*
 * Multiplicative season, m = 2, on 2 4 2 4, alpha = beta = gamma = .5,
 * phi = 1: l = 3, b = 0, s = 2/3, 4/3.  The pattern repeats exactly, so
 * every fitted value is exact: t=0: base 3, fitted 2, l = .5*3 + .5*3 =
 * 3, s = .5*2/3 + .5*2/3 = 2/3, b = 0; and so on.  SSE 0, ahead 2 4 2.
 * A zero in the series makes it impossible.
 */
static void
test_holt_winters_multiplicative(void)
{
	static const double y[4] = { 2, 4, 2, 4 };
	static const double zero[4] = { 2, 0, 2, 4 };
	struct ka_fc_params p = { 0.5, 0.5, 0.5, 1 };
	double fitted[4], forecast[3];

	NEAR(ka_fc_run_hw(y, 4, 2, 1, &p, NULL, fitted, forecast, 3, NULL), 0);
	NEAR(fitted[1], 4);
	NEAR(forecast[0], 2);
	NEAR(forecast[1], 4);
	NEAR(forecast[2], 2);
	CHECK(isnan(ka_fc_run_hw(zero, 4, 2, 1, &p, NULL, NULL, NULL, 0,
	    NULL)));
}

/* A given initial state is used as it is (statsmodels' "known"). */
static void
test_holt_winters_known_init(void)
{
	static const double y[2] = { 5, 7 };
	static const double season[2] = { -1, 1 };
	struct ka_fc_hw_init init = { 6, 0, season };
	struct ka_fc_params p = { 0.5, 0.5, 0.5, 0.9 };
	double fitted[2];

	/* base 6, fitted 6 - 1 = 5, error 0; l = .5*6 + .5*6 = 6; then
	   fitted 6 + 1 = 7, error 0. */
	NEAR(ka_fc_run_hw(y, 2, 2, 0, &p, &init, fitted, NULL, 0, NULL), 0);
	NEAR(fitted[0], 5);
	NEAR(fitted[1], 7);
}

/*
 * Classes: 0 3 0 0 5 0 4 has 3 demands in 7 periods (ADI 7/3), sizes
 * 3 5 4 (mean 4, variance 2/3, CV2 2/3/16 = 1/24): intermittent.
 * 1 10 1 10: ADI 1, mean 5.5, variance 20.25, CV2 20.25/30.25 = .669:
 * erratic.  0 1 0 10 0 0: ADI 3, the same CV2: lumpy.  The cut-offs
 * themselves belong to the upper class: 33 periods with 25 demands is
 * ADI 1.32 exactly (intermittent when sizes are equal); sizes 3 and 17
 * have mean 10 and variance 49, CV2 .49 exactly (erratic).
 */
static void
test_classify(void)
{
	static const double erratic[4] = { 1, 10, 1, 10 };
	static const double lumpy[6] = { 0, 1, 0, 10, 0, 0 };
	static const double at_cv2[2] = { 3, 17 };
	static const double smooth[4] = { 10, 12, 11, 9 };
	double at_adi[33], adi, cv2, zeros[5] = { 0 };
	size_t i;

	CHECK_INT(ka_fc_classify(intermittent, 7, &adi, &cv2),
	    KA_FC_INTERMITTENT);
	NEAR(adi, 7.0 / 3);
	NEAR(cv2, 1.0 / 24);
	CHECK_INT(ka_fc_classify(erratic, 4, NULL, NULL), KA_FC_ERRATIC);
	CHECK_INT(ka_fc_classify(lumpy, 6, &adi, NULL), KA_FC_LUMPY);
	NEAR(adi, 3);
	CHECK_INT(ka_fc_classify(smooth, 4, NULL, NULL), KA_FC_SMOOTH);
	for (i = 0; i < 33; i++)
		at_adi[i] = i < 25 ? 2 : 0;
	CHECK_INT(ka_fc_classify(at_adi, 33, &adi, NULL), KA_FC_INTERMITTENT);
	CHECK(adi == 1.32);
	CHECK_INT(ka_fc_classify(at_cv2, 2, NULL, &cv2), KA_FC_ERRATIC);
	CHECK(cv2 == 0.49);
	CHECK_INT(ka_fc_classify(zeros, 5, &adi, &cv2), KA_FC_NO_DEMAND);
	CHECK(adi == 0 && cv2 == 0);
	CHECK_STR(ka_fc_class_name(KA_FC_LUMPY), "lumpy");
}

/* A series of zeros forecasts zeros with any method, intervals too. */
static void
test_all_zeros(void)
{
	double y[30] = { 0 }, point[4], lo[4], hi[4], lo95[4], hi95[4];
	struct ka_fc_result r;
	int method;
	size_t i;

	for (method = 0; method < KA_FC_METHOD_COUNT; method++) {
		memset(point, 0xff, sizeof(point));
		CHECK_INT(ka_fc_forecast(y, 30, 4, (enum ka_fc_method)method,
		    4, point, lo, hi, lo95, hi95, &r), 0);
		CHECK_INT(r.method, KA_FC_ZERO);
		CHECK_INT(r.cls, KA_FC_NO_DEMAND);
		CHECK(r.notes & KA_FC_NOTE_NO_DEMAND);
		for (i = 0; i < 4; i++)
			CHECK(point[i] == 0 && lo[i] == 0 && hi[i] == 0 &&
			    lo95[i] == 0 && hi95[i] == 0);
	}
	/* No periods at all. */
	CHECK_INT(ka_fc_forecast(y, 0, 4, KA_FC_AUTO, 2, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.method, KA_FC_ZERO);
	CHECK(point[0] == 0 && point[1] == 0);
}

/*
 * auto on an exact seasonal pattern 10 20 30 40 (m = 4), six seasons:
 * smooth; the holdout is max(h = 6, m/2 = 2) = 6 periods (n/4 = 6 allows
 * it); ses misses, Holt-Winters additive starts on the exact state
 * (l = 25, b = 0, s = -15 -5 5 15) and never errs, so it ties with
 * multiplicative Holt-Winters (s = .4 .8 1.2 1.6) and seasonal naive at
 * 0 and, listed first, wins; hw-mul, next in the list, is runner-up.
 */
static void
test_auto_seasonal(void)
{
	double y[24], point[6];
	struct ka_fc_result r;
	size_t i;

	for (i = 0; i < 24; i++)
		y[i] = 10.0 * (double)(i % 4 + 1);
	CHECK_INT(ka_fc_forecast(y, 24, 4, KA_FC_AUTO, 6, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.cls, KA_FC_SMOOTH);
	CHECK_INT(r.method, KA_FC_HW_ADD);
	CHECK_INT(r.holdout, 6);
	NEAR(r.holdout_rmse, 0);
	CHECK_INT(r.runner_up, KA_FC_HW_MUL);
	for (i = 0; i < 6; i++)
		NEAR(point[i], 10.0 * (double)(i % 4 + 1));
}

/* auto on intermittent demand picks SBA or TSB by holdout. */
static void
test_auto_intermittent(void)
{
	double y[40], point[4];
	struct ka_fc_result r;
	size_t i;

	for (i = 0; i < 40; i++)
		y[i] = i % 3 == 0 ? 6 : 0;
	CHECK_INT(ka_fc_forecast(y, 40, 52, KA_FC_AUTO, 4, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.cls, KA_FC_INTERMITTENT);
	CHECK(r.method == KA_FC_SBA || r.method == KA_FC_TSB);
	CHECK(r.holdout == 10);
	CHECK(point[0] > 1 && point[0] < 3);
}

/*
 * Forced seasonal methods on a short series fall back to ses and say
 * so; hw-mul with a zero falls back to hw-add.  10 periods, m = 4.
 */
static void
test_fallback(void)
{
	double y[10] = { 5, 6, 7, 8, 5, 0, 7, 8, 5, 6 }, point[2];
	struct ka_fc_result r;

	CHECK_INT(ka_fc_forecast(y, 6, 4, KA_FC_HW_ADD, 2, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.method, KA_FC_SES);
	CHECK(r.notes & KA_FC_NOTE_SHORT);
	CHECK_INT(ka_fc_forecast(y, 3, 4, KA_FC_SNAIVE, 2, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.method, KA_FC_SES);
	CHECK_INT(ka_fc_forecast(y, 10, 4, KA_FC_HW_MUL, 2, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.method, KA_FC_HW_ADD);
	CHECK(r.notes & KA_FC_NOTE_NOT_POSITIVE);
	CHECK_INT(ka_fc_forecast(y, 10, 4, KA_FC_TSB, 2, point, NULL, NULL,
	    NULL, NULL, &r), 0);
	CHECK_INT(r.method, KA_FC_TSB);
	CHECK_INT(r.notes, 0);
}

/*
 * Intervals: ses with its fitted alpha a and sigma s; the 80% half
 * width is z80 s for h = 1 and z80 s sqrt(1 + a^2) for h = 2.  The
 * lower bound never goes below zero.
 */
static void
test_intervals(void)
{
	static const double y[6] = { 10, 12, 11, 13, 9, 11 };
	double point[3], lo[3], hi[3], lo95[3], hi95[3];
	struct ka_fc_result r;
	double a, s;

	CHECK_INT(ka_fc_forecast(y, 6, 52, KA_FC_SES, 3, point, lo, hi, lo95,
	    hi95, &r), 0);
	a = r.params.alpha;
	s = r.sigma;
	CHECK(a > 0 && a < 1 && s > 0);
	NEAR(hi[0] - point[0], 1.2815515655446004 * s);
	NEAR(hi95[0] - point[0], 1.959963984540054 * s);
	NEAR(hi[1] - point[1], 1.2815515655446004 * s * sqrt(1 + a * a));
	NEAR(hi[2] - point[2], 1.2815515655446004 * s * sqrt(1 + 2 * a * a));
	NEAR(point[0] - lo[0], hi[0] - point[0]);
	CHECK(lo95[0] >= 0);
	/* Croston's bounds on sparse demand are cut at zero. */
	CHECK_INT(ka_fc_forecast(intermittent, 7, 52, KA_FC_CROSTON, 1, point,
	    lo, hi, lo95, hi95, &r), 0);
	CHECK(lo95[0] == 0 && hi95[0] > point[0]);
}

/* Fitting finds the best grid point: ses on a random walk takes a high
   alpha, on noise around a level a low one. */
static void
test_fit(void)
{
	static const double walk[8] = { 10, 20, 30, 40, 50, 60, 70, 80 };
	static const double noise[8] = { 10, 12, 8, 11, 9, 12, 8, 10 };
	struct ka_fc_params p;

	CHECK(!isnan(ka_fc_fit(KA_FC_SES, walk, 8, 4, &p)));
	CHECK(p.alpha >= 0.95);
	CHECK(!isnan(ka_fc_fit(KA_FC_SES, noise, 8, 4, &p)));
	CHECK(p.alpha <= 0.2);
	CHECK(isnan(ka_fc_fit(KA_FC_HW_ADD, noise, 7, 4, &p)));
	CHECK_INT(ka_fc_method_parse("hw-mul"), KA_FC_HW_MUL);
	CHECK_INT(ka_fc_method_parse("holt"), -1);
	CHECK_STR(ka_fc_method_name(KA_FC_SBA), "sba");
}

int
main(void)
{
	RUN(test_croston);
	RUN(test_sba);
	RUN(test_tsb);
	RUN(test_ses);
	RUN(test_snaive);
	RUN(test_holt_winters_additive);
	RUN(test_holt_winters_multiplicative);
	RUN(test_holt_winters_known_init);
	RUN(test_classify);
	RUN(test_all_zeros);
	RUN(test_auto_seasonal);
	RUN(test_auto_intermittent);
	RUN(test_fallback);
	RUN(test_intervals);
	RUN(test_fit);
	return CHECK_EXIT();
}
