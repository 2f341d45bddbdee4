/*
 * ka_forecast: demand forecasting methods, pure functions on arrays of
 * doubles (one value per period, oldest first).  Statistics, not money:
 * doubles are right here; callers that need exact quantities round the
 * results (ka_stock.h says where).
 *
 * Notation: y[0..n) is the history, h the number of periods ahead, m the
 * season length (52 for ISO weeks, 12 for months).  Every "run" function
 * takes fixed parameters, writes the one-step-ahead in-sample forecasts
 * into fitted[0..n) (fitted[t] forecasts y[t]; NAN where the method has
 * none yet) and the forecasts for periods n .. n+h-1 into forecast[0..h)
 * (either may be NULL), and returns the sum of squared one-step errors
 * (SSE) over the periods that have a forecast, their number in *nerr.
 * It returns NAN when the method cannot run on the series (too short;
 * a zero or negative value for a multiplicative season).
 *
 * Seasonal naive (snaive), needs n >= m:
 *	yhat[n+h] = y[n - m + (h-1) mod m];  fitted[t] = y[t-m] for t >= m.
 *
 * Simple exponential smoothing (ses), level l, 0 < alpha < 1:
 *	l[0] = y[0];  l[t] = alpha y[t] + (1 - alpha) l[t-1];
 *	yhat[t+1] = l[t], and every forecast is l[n-1].
 *
 * Holt-Winters with a damped additive trend (hw-add, hw-mul), the
 * component form statsmodels' ExponentialSmoothing(trend="add",
 * damped_trend=True) uses; needs n >= 2m.  With additive season:
 *	yhat[t] = l + phi b + s[t-m]
 *	l'      = alpha (y[t] - s[t-m]) + (1 - alpha)(l + phi b)
 *	b'      = beta (l' - l) + (1 - beta) phi b
 *	s[t]    = gamma (y[t] - l - phi b) + (1 - gamma) s[t-m]
 *	yhat[n-1+h] = l + (phi + phi^2 + ... + phi^h) b + s[n-1+h-m(k+1)],
 *	    k = (h-1) / m (integer division)
 * and with multiplicative season (every y above zero):
 *	yhat[t] = (l + phi b) s[t-m]
 *	l'      = alpha y[t] / s[t-m] + (1 - alpha)(l + phi b)
 *	s[t]    = gamma y[t] / (l + phi b) + (1 - gamma) s[t-m]
 *	yhat[n-1+h] = (l + (phi + ... + phi^h) b) s[n-1+h-m(k+1)].
 * Initial state (before y[0]), the classical heuristic: l0 = mean of
 * y[0..m), b0 = (mean of y[m..2m) - l0) / m, s[i-m] = y[i] - l0 (or
 * y[i] / l0) for i in 0..m-1; or given by the caller.
 *
 * Croston, and SBA (Syntetos-Boylan approximation), for intermittent
 * demand, 0 < alpha < 1, one alpha for sizes and intervals.  At the
 * first period f with demand: z = y[f], p = f + 1 (periods up to and
 * including it), q = 1.  At each later period t: if y[t] > 0, then
 * z += alpha (y[t] - z), p += alpha (q - p), q = 1; else q += 1.  The
 * forecast after any period is z / p (Croston) or (1 - alpha/2) z / p
 * (SBA), the same for every h.  No forecast exists up to period f.
 *
 * TSB (Teunter-Syntetos-Babai): demand size z and probability d, updated
 * every period after the first with demand f (z = y[f], d = 1 / (f + 1)):
 * if y[t] > 0, d += beta (1 - d) and z += alpha (y[t] - z); else
 * d += beta (0 - d).  The forecast is d z for every h.
 *
 * Parameters are chosen by the least in-sample SSE (ka_fc_fit):
 *	ses	alpha on the grid 0.05, 0.10, .. 0.95, then refined by
 *		+-0.025 and +-0.0125 around the best
 *	croston, sba	alpha on 0.05, 0.10, .. 0.50
 *	tsb	alpha and beta each on {0.05, 0.1, 0.2, 0.3, 0.5}
 *	hw-add, hw-mul	alpha {0.1, 0.3, 0.5, 0.7, 0.9} x beta {0.01, 0.1,
 *		0.3} x gamma {0.05, 0.3, 0.6} x phi {0.8, 0.9, 0.98} (135
 *		runs), then a pattern search from the best point: each
 *		parameter in turn one step up and down (steps 0.05, 0.05,
 *		0.05, 0.02), moving while a step lowers the SSE, halving
 *		the steps when none does, until the fourth halving (or
 *		40 passes), within alpha 0.01..0.99, beta 0..0.99, gamma
 *		0..0.99, phi 0.8..0.98 (0.98 is the upper bound Hyndman
 *		and Athanasopoulos recommend; statsmodels allows 0.995)
 * Ties keep the first point found.
 *
 * Prediction intervals are normal, y +- z sigma_h with z = 1.2816 (80%)
 * and 1.9600 (95%), sigma^2 the mean squared one-step error, and
 *	sigma_h^2 = sigma^2 (1 + sum_{j=1}^{h-1} c_j^2)
 * with c_j = alpha for ses, croston, sba and tsb (for the intermittent
 * methods an approximation: they have no agreed variance), c_j = alpha
 * (1 + beta (phi + .. + phi^j)) + gamma [j mod m = 0] for Holt-Winters
 * (exact for the additive form, an approximation for the
 * multiplicative one), and sigma_h^2 = sigma^2 (1 + floor((h-1)/m))
 * for seasonal naive.  Forecasts and bounds below zero are raised to zero:
 * demand is not negative.
 */
#ifndef KA_FORECAST_H
#define KA_FORECAST_H

#include <stddef.h>

enum ka_fc_method {
	KA_FC_ZERO,		/* no demand in the history: forecast 0 */
	KA_FC_SNAIVE,
	KA_FC_SES,
	KA_FC_HW_ADD,
	KA_FC_HW_MUL,
	KA_FC_CROSTON,
	KA_FC_SBA,
	KA_FC_TSB,
	KA_FC_AUTO,		/* by class and holdout error (ka_fc_forecast) */
	KA_FC_METHOD_COUNT
};

/* "zero", "snaive", "ses", "hw-add", "hw-mul", "croston", "sba", "tsb",
   "auto"; the reverse, or -1. */
const char	*ka_fc_method_name(enum ka_fc_method method);
int		 ka_fc_method_parse(const char *name);

/*
 * Syntetos-Boylan classes by the average demand interval (ADI: periods
 * per period with demand) and the squared coefficient of variation of
 * the non-zero demand sizes (CV2: population variance over the squared
 * mean), with the cut-offs 1.32 and 0.49: smooth (ADI < 1.32, CV2 <
 * 0.49), erratic (ADI < 1.32, CV2 >= 0.49), intermittent (ADI >= 1.32,
 * CV2 < 0.49), lumpy (both at or above).  A series with no period above
 * zero has no class.
 */
enum ka_fc_class {
	KA_FC_NO_DEMAND,
	KA_FC_SMOOTH,
	KA_FC_ERRATIC,
	KA_FC_INTERMITTENT,
	KA_FC_LUMPY
};

#define KA_FC_ADI_CUT	1.32
#define KA_FC_CV2_CUT	0.49

/* "none", "smooth", "erratic", "intermittent", "lumpy". */
const char	*ka_fc_class_name(enum ka_fc_class cls);
/* adi and cv2 may be NULL; both are 0 for a series with no demand. */
enum ka_fc_class ka_fc_classify(const double *y, size_t n, double *adi,
		    double *cv2);

/* alpha: level (ses, hw) or size (croston, sba, tsb); beta: trend (hw)
   or demand probability (tsb); gamma: season; phi: damping. */
struct ka_fc_params {
	double		 alpha, beta, gamma, phi;
};

/* A Holt-Winters initial state: level, trend and m seasonal values
   s[-m] .. s[-1] (the ones y[0] .. y[m-1] use). */
struct ka_fc_hw_init {
	double		 level, trend;
	const double	*season;
};

double	ka_fc_run_snaive(const double *y, size_t n, size_t m, double *fitted,
	    double *forecast, size_t h, size_t *nerr);
double	ka_fc_run_ses(const double *y, size_t n, double alpha, double *fitted,
	    double *forecast, size_t h, size_t *nerr);
/* init NULL: the heuristic initial state above. */
double	ka_fc_run_hw(const double *y, size_t n, size_t m, int multiplicative,
	    const struct ka_fc_params *p, const struct ka_fc_hw_init *init,
	    double *fitted, double *forecast, size_t h, size_t *nerr);
double	ka_fc_run_croston(const double *y, size_t n, double alpha, int sba,
	    double *fitted, double *forecast, size_t h, size_t *nerr);
double	ka_fc_run_tsb(const double *y, size_t n, double alpha, double beta,
	    double *fitted, double *forecast, size_t h, size_t *nerr);

/* The heuristic Holt-Winters initial state; season gets m values.
   0, or -1 when n < 2m or (multiplicative) the level is not above 0. */
int	ka_fc_hw_initial(const double *y, size_t n, size_t m,
	    int multiplicative, struct ka_fc_hw_init *init, double *season);

/*
 * Runs method with parameters p (as its run function would); the
 * common entry point for a method chosen at run time.  ZERO forecasts
 * 0 with SSE the sum of y^2.
 */
double	ka_fc_run(enum ka_fc_method method, const double *y, size_t n,
	    size_t m, const struct ka_fc_params *p, double *fitted,
	    double *forecast, size_t h, size_t *nerr);

/*
 * The parameters of method with the least in-sample SSE (grids above);
 * writes them to *p and returns that SSE, or NAN when the method cannot
 * run on the series.  snaive and zero have no parameters.
 */
double	ka_fc_fit(enum ka_fc_method method, const double *y, size_t n,
	    size_t m, struct ka_fc_params *p);

/* Why the method used differs from the one asked for. */
#define KA_FC_NOTE_SHORT	1u	/* too short for a seasonal method
					   (auto: before its holdout) */
#define KA_FC_NOTE_NOT_POSITIVE	2u	/* hw-mul needs every period above 0 */
#define KA_FC_NOTE_NO_DEMAND	4u	/* nothing to forecast from */
#define KA_FC_NOTE_NO_HOLDOUT	8u	/* auto: too short for a holdout;
					   the class's first method */

struct ka_fc_result {
	enum ka_fc_method asked, method;	/* method: the one used */
	enum ka_fc_class cls;
	double		 adi, cv2;
	struct ka_fc_params params;
	double		 sigma;		/* root mean squared one-step error */
	size_t		 holdout;	/* auto: periods held out, 0 when none */
	double		 holdout_rmse;	/* of the method chosen; NAN if none */
	enum ka_fc_method runner_up;	/* auto: the next best, or ZERO */
	double		 runner_up_rmse;	/* NAN when there is none */
	unsigned	 notes;		/* KA_FC_NOTE_* */
};

/*
 * Forecasts y[0..n) h periods ahead with method (AUTO: classify, then
 * the least holdout RMSE among the class's candidates, see below), and
 * fills point[0..h) and, where not NULL, the 80% and 95% bounds.  A
 * method that cannot run on the series falls back: a seasonal method on
 * a series shorter than it needs to ses (hw-mul on a series with a zero
 * first to hw-add); anything on a series with no demand to zero; notes
 * say why.  Returns 0, or -1 when out of memory.
 *
 * AUTO's candidates, in order of preference on ties:
 *	smooth, erratic		ses, hw-add, hw-mul, snaive
 *	intermittent, lumpy	sba, tsb, snaive
 * where a seasonal method is a candidate only when the series without
 * its holdout is long enough (snaive m periods, hw 2m; hw-mul only with
 * every period above zero).  The holdout is the last
 * min(max(h, ceil(m/2)), n/4) periods; each candidate is fitted on the
 * rest and scored by the root mean squared error of its forecasts
 * (raised to zero like the output) against the held-out periods; the
 * winner is fitted again on the whole series (Holt-Winters by the
 * pattern search alone, from the parameters its holdout fit found).  A series too short for a
 * holdout of at least one period with eight periods before it takes
 * its class's first candidate.
 */
int	ka_fc_forecast(const double *y, size_t n, size_t m,
	    enum ka_fc_method method, size_t h, double *point, double *lo80,
	    double *hi80, double *lo95, double *hi95,
	    struct ka_fc_result *result);

#endif
