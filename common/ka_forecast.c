/*
 * Forecasting methods: see ka_forecast.h for the equations, the
 * parameter grids and the interval formulas.
 *
 * The two normal quantiles the intervals need are constants here
 * rather than calls into a statistics module: z(0.90) and z(0.975).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ka_forecast.h"

static const double z80 = 1.2815515655446004;	/* Phi^-1(0.90) */
static const double z95 = 1.9599639845400540;	/* Phi^-1(0.975) */

static const char *const method_names[KA_FC_METHOD_COUNT] = {
	"zero", "snaive", "ses", "hw-add", "hw-mul", "croston", "sba", "tsb",
	"auto"
};

static const char *const class_names[] = {
	"none", "smooth", "erratic", "intermittent", "lumpy"
};

const char *
ka_fc_method_name(enum ka_fc_method method)
{
	return (unsigned)method < KA_FC_METHOD_COUNT ? method_names[method] :
	    "?";
}

int
ka_fc_method_parse(const char *name)
{
	int i;

	for (i = 0; i < KA_FC_METHOD_COUNT; i++)
		if (strcmp(name, method_names[i]) == 0)
			return i;
	return -1;
}

const char *
ka_fc_class_name(enum ka_fc_class cls)
{
	return (unsigned)cls <= KA_FC_LUMPY ? class_names[cls] : "?";
}

enum ka_fc_class
ka_fc_classify(const double *y, size_t n, double *adi, double *cv2)
{
	double sum = 0, sumsq = 0, mean, var, a, c;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (y[i] > 0) {
			k++;
			sum += y[i];
		}
	if (adi != NULL)
		*adi = 0;
	if (cv2 != NULL)
		*cv2 = 0;
	if (k == 0)
		return KA_FC_NO_DEMAND;
	mean = sum / (double)k;
	for (i = 0; i < n; i++)
		if (y[i] > 0)
			sumsq += (y[i] - mean) * (y[i] - mean);
	var = sumsq / (double)k;
	a = (double)n / (double)k;
	c = var / (mean * mean);
	if (adi != NULL)
		*adi = a;
	if (cv2 != NULL)
		*cv2 = c;
	if (a < KA_FC_ADI_CUT)
		return c < KA_FC_CV2_CUT ? KA_FC_SMOOTH : KA_FC_ERRATIC;
	return c < KA_FC_CV2_CUT ? KA_FC_INTERMITTENT : KA_FC_LUMPY;
}

/* ---- the methods with fixed parameters ---- */

static void
set_fitted(double *fitted, size_t t, double value)
{
	if (fitted != NULL)
		fitted[t] = value;
}

static void
fill_forecast(double *forecast, size_t h, double value)
{
	size_t i;

	if (forecast != NULL)
		for (i = 0; i < h; i++)
			forecast[i] = value;
}

static void
set_count(size_t *nerr, size_t count)
{
	if (nerr != NULL)
		*nerr = count;
}

double
ka_fc_run_snaive(const double *y, size_t n, size_t m, double *fitted,
    double *forecast, size_t h, size_t *nerr)
{
	double sse = 0, e;
	size_t t;

	set_count(nerr, 0);
	if (m == 0 || n < m)
		return NAN;
	for (t = 0; t < n; t++) {
		if (t < m) {
			set_fitted(fitted, t, NAN);
			continue;
		}
		set_fitted(fitted, t, y[t - m]);
		e = y[t] - y[t - m];
		sse += e * e;
	}
	if (forecast != NULL)
		for (t = 0; t < h; t++)
			forecast[t] = y[n - m + t % m];
	set_count(nerr, n - m);
	return sse;
}

double
ka_fc_run_ses(const double *y, size_t n, double alpha, double *fitted,
    double *forecast, size_t h, size_t *nerr)
{
	double level, sse = 0, e;
	size_t t;

	set_count(nerr, 0);
	if (n == 0)
		return NAN;
	level = y[0];
	set_fitted(fitted, 0, NAN);
	for (t = 1; t < n; t++) {
		set_fitted(fitted, t, level);
		e = y[t] - level;
		sse += e * e;
		level += alpha * e;
	}
	fill_forecast(forecast, h, level);
	set_count(nerr, n - 1);
	return sse;
}

int
ka_fc_hw_initial(const double *y, size_t n, size_t m, int multiplicative,
    struct ka_fc_hw_init *init, double *season)
{
	double first = 0, second = 0;
	size_t i;

	if (m == 0 || n < 2 * m)
		return -1;
	for (i = 0; i < m; i++) {
		first += y[i];
		second += y[m + i];
	}
	first /= (double)m;
	second /= (double)m;
	if (multiplicative && !(first > 0))
		return -1;
	for (i = 0; i < m; i++)
		season[i] = multiplicative ? y[i] / first : y[i] - first;
	init->level = first;
	init->trend = (second - first) / (double)m;
	init->season = season;
	return 0;
}

/*
 * The recursion keeps the season in a ring of m values: ring[t mod m]
 * holds s[t-m] when y[t] is read, and receives s[t].
 */
static double
hw_core(const double *y, size_t n, size_t m, int multiplicative,
    const struct ka_fc_params *p, const struct ka_fc_hw_init *init,
    double *ring, double *fitted, double *forecast, size_t h)
{
	double alpha = p->alpha, beta = p->beta, gamma = p->gamma;
	double phi = p->phi, level = init->level, trend = init->trend;
	double sse = 0, base, yhat, e, new_level, damp;
	size_t t, i;

	memcpy(ring, init->season, m * sizeof(double));
	for (t = 0, i = 0; t < n; t++) {
		double s = ring[i];

		base = level + phi * trend;
		if (multiplicative) {
			yhat = base * s;
			new_level = alpha * y[t] / s + (1 - alpha) * base;
			ring[i] = gamma * y[t] / base + (1 - gamma) * s;
		} else {
			yhat = base + s;
			new_level = alpha * (y[t] - s) + (1 - alpha) * base;
			ring[i] = gamma * (y[t] - base) + (1 - gamma) * s;
		}
		if (fitted != NULL)
			fitted[t] = yhat;
		e = y[t] - yhat;
		sse += e * e;
		trend = beta * (new_level - level) + (1 - beta) * phi * trend;
		level = new_level;
		if (++i == m)
			i = 0;
	}
	if (forecast != NULL) {
		/* After y[n-1], ring[n mod m] holds s[n-m], the one y[n] uses. */
		damp = 0;
		for (t = 0; t < h; t++) {
			double s = ring[(n + t) % m];

			damp = phi * (1 + damp);	/* phi + .. + phi^(t+1) */
			forecast[t] = multiplicative ?
			    (level + damp * trend) * s : level + damp * trend + s;
		}
	}
	return sse;
}

double
ka_fc_run_hw(const double *y, size_t n, size_t m, int multiplicative,
    const struct ka_fc_params *p, const struct ka_fc_hw_init *init,
    double *fitted, double *forecast, size_t h, size_t *nerr)
{
	struct ka_fc_hw_init heuristic;
	double *space, sse;
	size_t i;

	set_count(nerr, 0);
	if (m == 0 || (init == NULL && n < 2 * m))
		return NAN;
	if (multiplicative)
		for (i = 0; i < n; i++)
			if (!(y[i] > 0))
				return NAN;
	if ((space = malloc(2 * m * sizeof(double))) == NULL)
		return NAN;
	if (init == NULL) {
		if (ka_fc_hw_initial(y, n, m, multiplicative, &heuristic,
		    space + m) < 0) {
			free(space);
			return NAN;
		}
		init = &heuristic;
	}
	sse = hw_core(y, n, m, multiplicative, p, init, space, fitted,
	    forecast, h);
	free(space);
	set_count(nerr, n);
	return sse;
}

static size_t
first_demand(const double *y, size_t n)
{
	size_t f;

	for (f = 0; f < n && !(y[f] > 0); f++)
		;
	return f;
}

double
ka_fc_run_croston(const double *y, size_t n, double alpha, int sba,
    double *fitted, double *forecast, size_t h, size_t *nerr)
{
	double size, interval, rate, factor = sba ? 1 - alpha / 2 : 1;
	double sse = 0, e;
	size_t f = first_demand(y, n), t, since = 1;

	set_count(nerr, 0);
	if (f == n)
		return NAN;
	for (t = 0; t <= f; t++)
		set_fitted(fitted, t, NAN);
	size = y[f];
	interval = (double)(f + 1);
	rate = factor * size / interval;
	for (t = f + 1; t < n; t++) {
		set_fitted(fitted, t, rate);
		e = y[t] - rate;
		sse += e * e;
		if (y[t] > 0) {
			size += alpha * (y[t] - size);
			interval += alpha * ((double)since - interval);
			since = 1;
			rate = factor * size / interval;
		} else
			since++;
	}
	fill_forecast(forecast, h, rate);
	set_count(nerr, n - f - 1);
	return sse;
}

double
ka_fc_run_tsb(const double *y, size_t n, double alpha, double beta,
    double *fitted, double *forecast, size_t h, size_t *nerr)
{
	double size, probability, sse = 0, e;
	size_t f = first_demand(y, n), t;

	set_count(nerr, 0);
	if (f == n)
		return NAN;
	for (t = 0; t <= f; t++)
		set_fitted(fitted, t, NAN);
	size = y[f];
	probability = 1 / (double)(f + 1);
	for (t = f + 1; t < n; t++) {
		set_fitted(fitted, t, probability * size);
		e = y[t] - probability * size;
		sse += e * e;
		if (y[t] > 0) {
			probability += beta * (1 - probability);
			size += alpha * (y[t] - size);
		} else
			probability -= beta * probability;
	}
	fill_forecast(forecast, h, probability * size);
	set_count(nerr, n - f - 1);
	return sse;
}

double
ka_fc_run(enum ka_fc_method method, const double *y, size_t n, size_t m,
    const struct ka_fc_params *p, double *fitted, double *forecast,
    size_t h, size_t *nerr)
{
	double sse = 0;
	size_t t;

	switch (method) {
	case KA_FC_SNAIVE:
		return ka_fc_run_snaive(y, n, m, fitted, forecast, h, nerr);
	case KA_FC_SES:
		return ka_fc_run_ses(y, n, p->alpha, fitted, forecast, h,
		    nerr);
	case KA_FC_HW_ADD:
	case KA_FC_HW_MUL:
		return ka_fc_run_hw(y, n, m, method == KA_FC_HW_MUL, p, NULL,
		    fitted, forecast, h, nerr);
	case KA_FC_CROSTON:
	case KA_FC_SBA:
		return ka_fc_run_croston(y, n, p->alpha, method == KA_FC_SBA,
		    fitted, forecast, h, nerr);
	case KA_FC_TSB:
		return ka_fc_run_tsb(y, n, p->alpha, p->beta, fitted,
		    forecast, h, nerr);
	default:
		for (t = 0; t < n; t++) {
			set_fitted(fitted, t, 0);
			sse += y[t] * y[t];
		}
		fill_forecast(forecast, h, 0);
		set_count(nerr, n);
		return sse;
	}
}

/* ---- fitting ---- */

/* Holt-Winters SSE at p, with the initial state and ring preset. */
static double
hw_sse(const double *y, size_t n, size_t m, int multiplicative,
    const struct ka_fc_params *p, const struct ka_fc_hw_init *init,
    double *ring)
{
	return hw_core(y, n, m, multiplicative, p, init, ring, NULL, NULL, 0);
}

/* start NULL: the grid, then the pattern search; else the pattern
   search from *start alone. */
static double
fit_hw(const double *y, size_t n, size_t m, int multiplicative,
    const struct ka_fc_params *start, struct ka_fc_params *best)
{
	static const double alphas[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
	static const double betas[] = { 0.01, 0.1, 0.3 };
	static const double gammas[] = { 0.05, 0.3, 0.6 };
	static const double phis[] = { 0.8, 0.9, 0.98 };
	static const double low[4] = { 0.01, 0, 0, 0.8 };
	static const double high[4] = { 0.99, 0.99, 0.99, 0.98 };
	double step[4] = { 0.05, 0.05, 0.05, 0.02 };
	struct ka_fc_hw_init init;
	struct ka_fc_params p;
	double *space, best_sse = INFINITY, sse;
	size_t a, b, g, f, i;
	int pass, halvings, k, dir;

	for (i = 0; multiplicative && i < n; i++)
		if (!(y[i] > 0))
			return NAN;
	if (m == 0 || n < 2 * m ||
	    (space = malloc(2 * m * sizeof(double))) == NULL)
		return NAN;
	if (ka_fc_hw_initial(y, n, m, multiplicative, &init, space + m) < 0) {
		free(space);
		return NAN;
	}
	if (start != NULL) {
		*best = *start;
		best_sse = hw_sse(y, n, m, multiplicative, best, &init, space);
	}
	for (a = 0; start == NULL && a < 5; a++)
		for (b = 0; b < 3; b++)
			for (g = 0; g < 3; g++)
				for (f = 0; f < 3; f++) {
					p.alpha = alphas[a];
					p.beta = betas[b];
					p.gamma = gammas[g];
					p.phi = phis[f];
					sse = hw_sse(y, n, m, multiplicative,
					    &p, &init, space);
					if (sse < best_sse) {
						best_sse = sse;
						*best = p;
					}
				}
	/*
	 * Pattern search from the best grid point: move while a step
	 * improves, halve the steps when none does, stop after the fourth
	 * halving or 40 passes.
	 */
	for (pass = 0, halvings = 0; halvings < 4 && pass < 40; pass++) {
		int improved = 0;

		for (k = 0; k < 4; k++)
			for (dir = -1; dir <= 1; dir += 2) {
				double *field, value;

				p = *best;
				field = k == 0 ? &p.alpha : k == 1 ? &p.beta :
				    k == 2 ? &p.gamma : &p.phi;
				value = *field + dir * step[k];
				if (value < low[k] - 1e-12 ||
				    value > high[k] + 1e-12)
					continue;
				*field = value;
				sse = hw_sse(y, n, m, multiplicative, &p,
				    &init, space);
				if (sse < best_sse) {
					best_sse = sse;
					*best = p;
					improved = 1;
				}
			}
		if (!improved) {
			for (k = 0; k < 4; k++)
				step[k] /= 2;
			halvings++;
		}
	}
	free(space);
	return isfinite(best_sse) ? best_sse : NAN;
}

static double
fit_ses(const double *y, size_t n, struct ka_fc_params *best)
{
	double best_sse = INFINITY, sse, alpha, step;
	int i, round, dir;

	if (n == 0)
		return NAN;
	for (i = 1; i <= 19; i++) {
		alpha = 0.05 * i;
		sse = ka_fc_run_ses(y, n, alpha, NULL, NULL, 0, NULL);
		if (sse < best_sse) {
			best_sse = sse;
			best->alpha = alpha;
		}
	}
	for (round = 0, step = 0.025; round < 2; round++, step /= 2) {
		double center = best->alpha;

		for (dir = -1; dir <= 1; dir += 2) {
			alpha = center + dir * step;
			if (alpha < 0.01 || alpha > 0.99)
				continue;
			sse = ka_fc_run_ses(y, n, alpha, NULL, NULL, 0, NULL);
			if (sse < best_sse) {
				best_sse = sse;
				best->alpha = alpha;
			}
		}
	}
	return best_sse;
}

static double
fit_croston(const double *y, size_t n, int sba, struct ka_fc_params *best)
{
	double best_sse = INFINITY, sse, alpha;
	int i;

	for (i = 1; i <= 10; i++) {
		alpha = 0.05 * i;
		sse = ka_fc_run_croston(y, n, alpha, sba, NULL, NULL, 0, NULL);
		if (isnan(sse))
			return NAN;
		if (sse < best_sse) {
			best_sse = sse;
			best->alpha = alpha;
		}
	}
	return best_sse;
}

static double
fit_tsb(const double *y, size_t n, struct ka_fc_params *best)
{
	static const double grid[] = { 0.05, 0.1, 0.2, 0.3, 0.5 };
	double best_sse = INFINITY, sse;
	size_t a, b;

	for (a = 0; a < 5; a++)
		for (b = 0; b < 5; b++) {
			sse = ka_fc_run_tsb(y, n, grid[a], grid[b], NULL, NULL,
			    0, NULL);
			if (isnan(sse))
				return NAN;
			if (sse < best_sse) {
				best_sse = sse;
				best->alpha = grid[a];
				best->beta = grid[b];
			}
		}
	return best_sse;
}

double
ka_fc_fit(enum ka_fc_method method, const double *y, size_t n, size_t m,
    struct ka_fc_params *p)
{
	memset(p, 0, sizeof(*p));
	switch (method) {
	case KA_FC_SES:
		return fit_ses(y, n, p);
	case KA_FC_HW_ADD:
	case KA_FC_HW_MUL:
		return fit_hw(y, n, m, method == KA_FC_HW_MUL, NULL, p);
	case KA_FC_CROSTON:
	case KA_FC_SBA:
		return fit_croston(y, n, method == KA_FC_SBA, p);
	case KA_FC_TSB:
		return fit_tsb(y, n, p);
	default:
		return ka_fc_run(method, y, n, m, p, NULL, NULL, 0, NULL);
	}
}

/* ---- choosing and forecasting ---- */

static int
all_positive(const double *y, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(y[i] > 0))
			return 0;
	return 1;
}

/* Can method run on n periods of y?  Sets a note when it cannot. */
static int
method_fits(enum ka_fc_method method, const double *y, size_t n, size_t m,
    unsigned *notes)
{
	switch (method) {
	case KA_FC_SNAIVE:
		if (m == 0 || n < m) {
			*notes |= KA_FC_NOTE_SHORT;
			return 0;
		}
		return 1;
	case KA_FC_HW_ADD:
	case KA_FC_HW_MUL:
		if (m == 0 || n < 2 * m) {
			*notes |= KA_FC_NOTE_SHORT;
			return 0;
		}
		if (method == KA_FC_HW_MUL && !all_positive(y, n)) {
			*notes |= KA_FC_NOTE_NOT_POSITIVE;
			return 0;
		}
		return 1;
	case KA_FC_CROSTON:
	case KA_FC_SBA:
	case KA_FC_TSB:
		return first_demand(y, n) < n;
	default:
		return n > 0;
	}
}

/* The method a forced one falls back to on this series. */
static enum ka_fc_method
fallback(enum ka_fc_method method, const double *y, size_t n, size_t m,
    unsigned *notes)
{
	if (first_demand(y, n) == n) {
		*notes |= KA_FC_NOTE_NO_DEMAND;
		return KA_FC_ZERO;
	}
	if (method_fits(method, y, n, m, notes))
		return method;
	if (method == KA_FC_HW_MUL && method_fits(KA_FC_HW_ADD, y, n, m,
	    notes))
		return KA_FC_HW_ADD;
	return KA_FC_SES;
}

static double
clamp0(double v)
{
	return v > 0 ? v : 0;
}

/* RMSE of method fitted on y[0..n-hold) against y[n-hold..n). */
static double
holdout_rmse(enum ka_fc_method method, const double *y, size_t n, size_t m,
    size_t hold, double *scratch, struct ka_fc_params *fitted)
{
	struct ka_fc_params p;
	double sse = 0, e;
	size_t i;

	if (isnan(ka_fc_fit(method, y, n - hold, m, &p)))
		return NAN;
	if (isnan(ka_fc_run(method, y, n - hold, m, &p, NULL, scratch, hold,
	    NULL)))
		return NAN;
	for (i = 0; i < hold; i++) {
		e = y[n - hold + i] - clamp0(scratch[i]);
		sse += e * e;
	}
	*fitted = p;
	return sqrt(sse / (double)hold);
}

static enum ka_fc_method
choose(const double *y, size_t n, size_t m, size_t h,
    struct ka_fc_result *r, double *scratch)
{
	static const enum ka_fc_method regular[] = {
		KA_FC_SES, KA_FC_HW_ADD, KA_FC_HW_MUL, KA_FC_SNAIVE
	};
	static const enum ka_fc_method sparse[] = {
		KA_FC_SBA, KA_FC_TSB, KA_FC_SNAIVE
	};
	const enum ka_fc_method *candidates;
	size_t ncandidates, hold, i, half = (m + 1) / 2;
	struct ka_fc_params p;
	unsigned ignored = 0;

	if (r->cls == KA_FC_NO_DEMAND) {
		r->notes |= KA_FC_NOTE_NO_DEMAND;
		return KA_FC_ZERO;
	}
	if (r->cls == KA_FC_SMOOTH || r->cls == KA_FC_ERRATIC) {
		candidates = regular;
		ncandidates = 4;
	} else {
		candidates = sparse;
		ncandidates = 3;
	}
	hold = h > half ? h : half;
	if (hold > n / 4)
		hold = n / 4;
	if (hold == 0 || n - hold < 8 ||
	    !method_fits(candidates[0], y, n - hold, m, &ignored)) {
		r->notes |= KA_FC_NOTE_NO_HOLDOUT;
		return candidates[0];
	}
	r->holdout = hold;
	r->holdout_rmse = NAN;
	for (i = 0; i < ncandidates; i++) {
		double rmse;

		if (!method_fits(candidates[i], y, n - hold, m, &ignored)) {
			/* Say when a season is what the series lacks. */
			r->notes |= ignored & KA_FC_NOTE_SHORT;
			continue;
		}
		rmse = holdout_rmse(candidates[i], y, n, m, hold, scratch, &p);
		if (isnan(rmse))
			continue;
		if (isnan(r->holdout_rmse) || rmse < r->holdout_rmse) {
			r->params = p;
			r->runner_up = r->method;
			r->runner_up_rmse = r->holdout_rmse;
			r->method = candidates[i];
			r->holdout_rmse = rmse;
		} else if (isnan(r->runner_up_rmse) ||
		    rmse < r->runner_up_rmse) {
			r->runner_up = candidates[i];
			r->runner_up_rmse = rmse;
		}
	}
	if (isnan(r->holdout_rmse)) {
		r->holdout = 0;
		r->notes |= KA_FC_NOTE_NO_HOLDOUT;
		return candidates[0];
	}
	return r->method;
}

/* c_j of the variance formula in ka_forecast.h. */
static double
step_weight(enum ka_fc_method method, const struct ka_fc_params *p,
    size_t j, size_t m, double *damp)
{
	switch (method) {
	case KA_FC_HW_ADD:
	case KA_FC_HW_MUL:
		*damp = p->phi * (1 + *damp);	/* phi + .. + phi^j */
		return p->alpha * (1 + p->beta * *damp) +
		    (m > 0 && j % m == 0 ? p->gamma : 0);
	case KA_FC_ZERO:
	case KA_FC_SNAIVE:
		return 0;
	default:
		return p->alpha;
	}
}

int
ka_fc_forecast(const double *y, size_t n, size_t m,
    enum ka_fc_method method, size_t h, double *point, double *lo80,
    double *hi80, double *lo95, double *hi95, struct ka_fc_result *r)
{
	double *scratch, sse, sum = 0, damp = 0;
	size_t nerr = 0, i, span = n > h ? n : h;

	memset(r, 0, sizeof(*r));
	r->asked = method;
	r->holdout_rmse = NAN;
	r->runner_up = KA_FC_ZERO;
	r->runner_up_rmse = NAN;
	r->cls = ka_fc_classify(y, n, &r->adi, &r->cv2);
	if ((scratch = malloc((span + 1) * sizeof(double))) == NULL)
		return -1;
	if (method == KA_FC_AUTO) {
		r->method = KA_FC_ZERO;
		method = choose(y, n, m, h, r, scratch);
	} else
		method = fallback(method, y, n, m, &r->notes);
	r->method = method;
	if (r->holdout > 0 && (method == KA_FC_HW_ADD ||
	    method == KA_FC_HW_MUL)) {
		/* The holdout's parameters are a good start: search from
		   there, not the whole grid again. */
		struct ka_fc_params start = r->params;

		sse = fit_hw(y, n, m, method == KA_FC_HW_MUL, &start,
		    &r->params);
	} else
		sse = ka_fc_fit(method, y, n, m, &r->params);
	if (isnan(sse) && method != KA_FC_ZERO) {
		/* Cannot happen for a method chosen above; be safe. */
		method = r->method = KA_FC_SES;
		sse = ka_fc_fit(method, y, n, m, &r->params);
	}
	sse = ka_fc_run(method, y, n, m, &r->params, NULL, point, h, &nerr);
	r->sigma = nerr > 0 && !isnan(sse) ? sqrt(sse / (double)nerr) : 0;
	for (i = 0; i < h; i++) {
		double sd, c;

		if (method == KA_FC_SNAIVE)
			sd = r->sigma * sqrt(1.0 + (double)(i / (m > 0 ? m :
			    1)));
		else
			sd = r->sigma * sqrt(1 + sum);
		c = step_weight(method, &r->params, i + 1, m, &damp);
		sum += c * c;
		if (lo80 != NULL)
			lo80[i] = clamp0(point[i] - z80 * sd);
		if (hi80 != NULL)
			hi80[i] = clamp0(point[i] + z80 * sd);
		if (lo95 != NULL)
			lo95[i] = clamp0(point[i] - z95 * sd);
		if (hi95 != NULL)
			hi95[i] = clamp0(point[i] + z95 * sd);
		point[i] = clamp0(point[i]);
	}
	free(scratch);
	return 0;
}
