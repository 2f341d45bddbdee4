/*
 * ka_rebate: agreements, tier schedules, the one pass over the sales,
 * and every figure ka-rebate(1) and ka-report show.  See ka_rebate.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_pieces.h"
#include "ka_rebate.h"
#include "ka_text.h"

/*
 * Rebates are summed exactly at 10 decimal places: a basis (4 places)
 * times a percentage rate (4 places, divided by 100) needs 10.  Every
 * product of two ka_dec values fits in 127 bits, and the schedule caps
 * per-unit rates so that the extra factor of 100 fits too.
 */
__extension__ typedef __int128 wide;

#define WIDE_PLACES_TO_CENTS	INT64_C(100000000)	/* 1e10 -> 1e2 */
#define MAX_UNIT_RATE		(INT64_C(1000000) * KA_DEC_SCALE)

/* ---- small helpers ---- */

static int
equal_nocase(const char *a, size_t length, const char *b)
{
	return strlen(b) == length && strncasecmp(a, b, length) == 0;
}

static const char *
number_text(ka_dec v, char *buf)
{
	ka_dec_format(v, -1, buf);
	return buf;
}

/* ---- names ---- */

static const char *const method_names[KA_REBATE_METHOD_COUNT] = {
	"retro", "marginal", "per-unit", "growth", "fixed"
};

const char *
ka_rebate_method_name(enum ka_rebate_method method)
{
	return (unsigned)method < KA_REBATE_METHOD_COUNT ?
	    method_names[method] : "?";
}

int
ka_rebate_method_from_name(const char *text, size_t length)
{
	static const struct { const char *name; int method; } names[] = {
		{ "retro", KA_REBATE_RETRO },
		{ "retroactive", KA_REBATE_RETRO },
		{ "marginal", KA_REBATE_MARGINAL },
		{ "incremental", KA_REBATE_MARGINAL },
		{ "per-unit", KA_REBATE_PER_UNIT },
		{ "per_unit", KA_REBATE_PER_UNIT },
		{ "growth", KA_REBATE_GROWTH },
		{ "fixed", KA_REBATE_FIXED }
	};
	size_t i;

	ka_text_trim(&text, &length);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (equal_nocase(text, length, names[i].name))
			return names[i].method;
	return -1;
}

const char *
ka_rebate_basis_name(enum ka_rebate_basis basis)
{
	switch (basis) {
	case KA_REBATE_BASIS_QTY:
		return "qty";
	case KA_REBATE_BASIS_MARGIN:
		return "margin";
	default:
		return "amount";
	}
}

const char *
ka_rebate_frequency_name(enum ka_rebate_frequency frequency)
{
	switch (frequency) {
	case KA_REBATE_MONTHLY:
		return "monthly";
	case KA_REBATE_QUARTERLY:
		return "quarterly";
	case KA_REBATE_ANNUAL:
		return "annual";
	default:
		return "end";
	}
}

int
ka_rebate_method_fits(enum ka_rebate_method method,
    enum ka_rebate_rate_kind kind)
{
	switch (method) {
	case KA_REBATE_RETRO:
		return kind == KA_REBATE_RATE_PERCENT;
	case KA_REBATE_MARGINAL:
	case KA_REBATE_GROWTH:
		return kind != KA_REBATE_RATE_SUM;
	case KA_REBATE_PER_UNIT:
		return kind == KA_REBATE_RATE_UNIT;
	case KA_REBATE_FIXED:
		return kind == KA_REBATE_RATE_SUM;
	default:
		return 0;
	}
}

const char *
ka_rebate_rate_text(enum ka_rebate_rate_kind kind, ka_dec rate, char *buf)
{
	/* Sums and per-unit amounts are money: cents at least. */
	int places = kind == KA_REBATE_RATE_PERCENT ? -1 :
	    rate % (KA_DEC_SCALE / 100) == 0 ? 2 : -1;
	size_t n = ka_dec_format(rate, places, buf);

	if (kind == KA_REBATE_RATE_PERCENT)
		strcpy(buf + n, "%");
	else if (kind == KA_REBATE_RATE_UNIT)
		strcpy(buf + n, "/unit");
	return buf;
}

/* ---- tier schedules ---- */

static int
schedule_error(char *error, size_t size, size_t index, const char *piece,
    size_t piece_length, const char *format, ...)
    __attribute__((format(printf, 6, 7)));

static int
schedule_error(char *error, size_t size, size_t index, const char *piece,
    size_t piece_length, const char *format, ...)
{
	char what[512];
	va_list args;

	va_start(args, format);
	vsnprintf(what, sizeof(what), format, args);
	va_end(args);
	snprintf(error, size, "tier %zu \"%.*s\": %s", index,
	    ka_text_shown(piece, piece_length), piece, what);
	return -1;
}

static int
ends_with(const char *text, size_t length, const char *suffix, size_t *stem)
{
	size_t n = strlen(suffix);

	if (length < n || strncasecmp(text + length - n, suffix, n) != 0)
		return 0;
	*stem = length - n;
	return 1;
}

int
ka_rebate_parse_tiers(const char *text, size_t length,
    struct ka_rebate_schedule *out, char *error, size_t size)
{
	struct ka_rebate_schedule s;
	size_t start = 0, index = 0;
	int kind = -1;

	memset(&s, 0, sizeof(s));
	ka_text_trim(&text, &length);
	if (length == 0) {
		snprintf(error, size, "no tiers (write them like "
		    "5000:2%%,20000:4%%)");
		return -1;
	}
	while (start <= length) {
		const char *piece = text + start, *colon, *left, *right;
		size_t piece_length, left_length, right_length, stem;
		const char *end = memchr(piece, ',', length - start);
		enum ka_rebate_rate_kind this_kind;
		enum ka_dec_status status;
		ka_dec threshold, rate;
		char a[KA_DEC_BUFSIZE], b[KA_DEC_BUFSIZE];

		piece_length = end != NULL ? (size_t)(end - piece) :
		    length - start;
		start += piece_length + 1;
		index++;
		ka_text_trim(&piece, &piece_length);
		if (piece_length == 0)
			return schedule_error(error, size, index, piece, 0,
			    "empty (tiers are THRESHOLD:RATE, separated by "
			    "commas)");
		if (s.count == KA_REBATE_MAX_TIERS)
			return schedule_error(error, size, index, piece,
			    piece_length, "more than %d tiers",
			    KA_REBATE_MAX_TIERS);
		colon = memchr(piece, ':', piece_length);
		if (colon == NULL) {
			if (ends_with(piece, piece_length, "%", &stem) ||
			    ends_with(piece, piece_length, "/unit", &stem))
				return schedule_error(error, size, index,
				    piece, piece_length, "a rate without a "
				    "threshold (write THRESHOLD:RATE, like "
				    "5000:2%%)");
			return schedule_error(error, size, index, piece,
			    piece_length, "a threshold without a rate "
			    "(write THRESHOLD:RATE, like 5000:2%%)");
		}
		left = piece;
		left_length = (size_t)(colon - piece);
		right = colon + 1;
		right_length = piece_length - left_length - 1;
		ka_text_trim(&left, &left_length);
		ka_text_trim(&right, &right_length);
		if (left_length == 0)
			return schedule_error(error, size, index, piece,
			    piece_length, "a rate without a threshold");
		if (right_length == 0)
			return schedule_error(error, size, index, piece,
			    piece_length, "a threshold without a rate");
		status = ka_dec_parse(left, left_length, 0, &threshold);
		if (status != KA_DEC_OK)
			return schedule_error(error, size, index, piece,
			    piece_length, "threshold \"%.*s\": %s",
			    ka_text_shown(left, left_length), left,
			    ka_dec_status_text(status));
		if (threshold < 0)
			return schedule_error(error, size, index, piece,
			    piece_length, "threshold below zero");
		if (ends_with(right, right_length, "%", &stem))
			this_kind = KA_REBATE_RATE_PERCENT;
		else if (ends_with(right, right_length, "/unit", &stem))
			this_kind = KA_REBATE_RATE_UNIT;
		else {
			this_kind = KA_REBATE_RATE_SUM;
			stem = right_length;
		}
		status = ka_dec_parse(right, stem, 0, &rate);
		if (status != KA_DEC_OK)
			return schedule_error(error, size, index, piece,
			    piece_length, "rate \"%.*s\": %s",
			    ka_text_shown(right, right_length), right,
			    ka_dec_status_text(status));
		if (rate < 0)
			return schedule_error(error, size, index, piece,
			    piece_length, "rate below zero");
		if (this_kind == KA_REBATE_RATE_PERCENT &&
		    rate > 100 * KA_DEC_SCALE)
			return schedule_error(error, size, index, piece,
			    piece_length, "rate above 100%%");
		if (this_kind == KA_REBATE_RATE_UNIT && rate > MAX_UNIT_RATE)
			return schedule_error(error, size, index, piece,
			    piece_length, "rate above 1000000/unit");
		if (this_kind == KA_REBATE_RATE_SUM &&
		    rate % (KA_DEC_SCALE / 100) != 0)
			return schedule_error(error, size, index, piece,
			    piece_length, "a fixed sum in more than whole "
			    "cents");
		if (kind >= 0 && (int)this_kind != kind)
			return schedule_error(error, size, index, piece,
			    piece_length, "mixes %s with %s rates",
			    this_kind == KA_REBATE_RATE_PERCENT ? "percent" :
			    this_kind == KA_REBATE_RATE_UNIT ? "per-unit" :
			    "fixed-sum",
			    kind == KA_REBATE_RATE_PERCENT ? "percent" :
			    kind == KA_REBATE_RATE_UNIT ? "per-unit" :
			    "fixed-sum");
		if (s.count > 0 && threshold <= s.tier[s.count - 1].threshold)
			return schedule_error(error, size, index, piece,
			    piece_length, "overlapping tier thresholds: %s "
			    "is not above %s (write tiers in increasing "
			    "order)", number_text(threshold, a),
			    number_text(s.tier[s.count - 1].threshold, b));
		kind = (int)this_kind;
		s.tier[s.count].threshold = threshold;
		s.tier[s.count].rate = rate;
		s.count++;
	}
	s.kind = (enum ka_rebate_rate_kind)kind;
	*out = s;
	return 0;
}

/* ---- evaluating a schedule ---- */

/* One rate on one amount of basis, at 10 decimal places. */
static wide
term(enum ka_rebate_rate_kind kind, ka_dec amount, ka_dec rate)
{
	switch (kind) {
	case KA_REBATE_RATE_PERCENT:
		return (wide)amount * rate;		/* /1e4 /1e4 /100 */
	case KA_REBATE_RATE_UNIT:
		return (wide)amount * rate * 100;	/* /1e4 /1e4 */
	default:
		return (wide)rate * 1000000;		/* /1e4 */
	}
}

static size_t
tiers_reached(const struct ka_rebate_schedule *s, ka_dec level)
{
	size_t k = 0;

	while (k < s->count && s->tier[k].threshold <= level)
		k++;
	return k;
}

static wide
exact_rebate(const struct ka_rebate_schedule *s, enum ka_rebate_method method,
    ka_dec level, size_t reached)
{
	wide sum = 0;
	size_t i;

	if (reached == 0)
		return 0;
	switch (method) {
	case KA_REBATE_MARGINAL:
		for (i = 0; i < reached; i++) {
			ka_dec upper = level;

			if (i + 1 < s->count && s->tier[i + 1].threshold < upper)
				upper = s->tier[i + 1].threshold;
			sum += term(s->kind, upper - s->tier[i].threshold,
			    s->tier[i].rate);
		}
		return sum;
	case KA_REBATE_FIXED:
		return term(KA_REBATE_RATE_SUM, 0, s->tier[reached - 1].rate);
	default:
		return term(s->kind, level, s->tier[reached - 1].rate);
	}
}

/* Half away from zero to the cent; -1 when it does not fit a ka_dec. */
static int
to_cents(wide exact, ka_dec *out)
{
	wide q = exact / WIDE_PLACES_TO_CENTS;
	wide r = exact % WIDE_PLACES_TO_CENTS;

	if (r < 0)
		r = -r;
	if (2 * r >= WIDE_PLACES_TO_CENTS)
		q += exact < 0 ? -1 : 1;
	if (q > INT64_MAX / 100 || q < -(INT64_MAX / 100))
		return -1;
	*out = (ka_dec)q * 100;
	return 0;
}

static int
capped_value(const struct ka_rebate_schedule *s, enum ka_rebate_method method,
    ka_dec level, int has_cap, ka_dec cap, ka_dec *rebate, ka_dec *earned)
{
	if (to_cents(exact_rebate(s, method, level, tiers_reached(s, level)),
	    rebate) < 0)
		return -1;
	*earned = has_cap && *rebate > cap ? cap : *rebate;
	return 0;
}

int
ka_rebate_evaluate(const struct ka_rebate_schedule *s,
    enum ka_rebate_method method, ka_dec basis, ka_dec prior, int has_cap,
    ka_dec cap, struct ka_rebate_value *out)
{
	struct ka_rebate_value v;
	ka_dec level = basis, unused, next_earned;
	size_t i;

	memset(&v, 0, sizeof(v));
	if (method == KA_REBATE_GROWTH) {
		if (ka_dec_sub(&level, prior) < 0)
			return -1;
		if (level < 0)
			level = 0;
	}
	v.level = level;
	v.tier = tiers_reached(s, level);
	if (capped_value(s, method, level, has_cap, cap, &v.rebate,
	    &v.earned) < 0)
		return -1;
	v.capped = has_cap && v.rebate > cap;
	for (i = 0; i < s->count; i++)
		if (s->tier[i].threshold > level)
			break;
	if (i < s->count) {
		v.has_next = 1;
		v.next_threshold = s->tier[i].threshold;
		v.volume_needed = v.next_threshold - level;
		if (capped_value(s, method, v.next_threshold, has_cap, cap,
		    &unused, &next_earned) < 0)
			return -1;
		v.extra_rebate = next_earned - v.earned;
	}
	*out = v;
	return 0;
}

/* ---- the engine's data ---- */

struct agreement {
	char		*id;
	char		*customer_id;	/* NULL when it covers a tier */
	char		*tier;
	ka_date		 from, to;
	enum ka_rebate_basis basis;
	enum ka_rebate_method method;
	struct ka_rebate_schedule schedule;
	enum ka_rebate_frequency frequency;
	int		 has_cap;
	ka_dec		 cap;
	ka_filter	*scope;		/* NULL: everything */
	char		*scope_text;
	unsigned long	 line;
	size_t		 scope_column;	/* 1-based, for messages */
	size_t		 first, count;	/* its instances */
};

struct settled_line {
	ka_date		 period_end;
	ka_dec		 amount;
};

struct instance {
	size_t		 agreement;
	uint32_t	 customer;
	ka_date		 last_day;	/* min(valid_to, as_of) */
	size_t		 ndays;		/* valid_from..last_day */
	ka_date		 prior_from, prior_last;
	size_t		 nprior;
	struct settled_line *settled;
	size_t		 nsettled;
};

struct customer {
	char		*name;
	char		*tier;
	size_t		*instances;
	size_t		 count;
};

struct account {
	char		*id, *name, *tier;
};

/* What a row brings to one instance. */
struct match {
	size_t		 instance;
	int		 prior;		/* the year-earlier window */
};

/*
 * What reading the sales accumulates.  The engine has one lane; reading
 * a file in pieces gives each piece its own, merged in input order, so
 * the figures are those of one pass.
 */
struct lane {
	ka_dec		**day;		/* per instance: basis by day from
					   valid_from, NULL until a row; after
					   finish, cumulative */
	ka_dec		**prior;	/* per instance: by day from prior_from */
	char		**name;		/* per customer: first name seen */
	ka_filter	**scope;	/* per agreement, NULL: everything */
	int		 own_scopes;	/* scope[] made for this lane */
	struct match	*matches;	/* room for one row's matches */
	struct ka_rebate_counts counts;
	char		 error[1400];
	size_t		 error_column;
};

struct ka_rebate {
	struct ka_rebate_config config;
	char		*agreements_path;
	struct agreement *agreements;
	size_t		 nagreements;
	ka_keys		*agreement_ids;

	struct account	*accounts;
	size_t		 naccounts;
	ka_keys		*account_ids;

	struct instance	*instances;
	size_t		 ninstances;
	struct customer	*customers;
	ka_keys		*customer_ids;
	int		 has_settled;
	ka_date		 first_date;	/* earliest day any window holds */

	/* Columns of the sales, -1 when absent. */
	long		 date_column, customer_column, name_column;
	long		 amount_column, qty_column, price_column, cost_column;
	unsigned	 needs;		/* bits of enum ka_rebate_basis */

	size_t		 max_matches;
	struct lane	*lane;
	const ka_record	*header;	/* the sales', for pieces' scopes */
	const struct ka_roles *roles;

	struct ka_rebate_accrual *accruals;
};

static void free_agreement(struct agreement *a);

static struct lane *
lane_new(const ka_rebate *e)
{
	struct lane *l = ka_calloc(1, sizeof(*l));
	size_t i;

	l->day = ka_calloc(e->ninstances, sizeof(*l->day));
	l->prior = ka_calloc(e->ninstances, sizeof(*l->prior));
	l->name = ka_calloc(ka_keys_count(e->customer_ids), sizeof(*l->name));
	l->scope = ka_calloc(e->nagreements, sizeof(*l->scope));
	for (i = 0; i < e->nagreements; i++)
		l->scope[i] = e->agreements[i].scope;
	/* A row can feed both windows of an agreement over a year long. */
	l->matches = ka_calloc(2 * e->max_matches + 1, sizeof(*l->matches));
	return l;
}

static void
lane_free(const ka_rebate *e, struct lane *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < e->ninstances; i++) {
		free(l->day[i]);
		free(l->prior[i]);
	}
	for (i = 0; i < ka_keys_count(e->customer_ids); i++)
		free(l->name[i]);
	if (l->own_scopes)
		for (i = 0; i < e->nagreements; i++)
			ka_filter_free(l->scope[i]);
	free(l->day);
	free(l->prior);
	free(l->name);
	free(l->scope);
	free(l->matches);
	free(l);
}

void
ka_rebate_config_init(struct ka_rebate_config *config)
{
	memset(config, 0, sizeof(*config));
	config->as_of = ka_date_today();
	config->overlap = KA_REBATE_OVERLAP_ALL;
}

ka_rebate *
ka_rebate_new(const struct ka_rebate_config *config)
{
	ka_rebate *e = ka_calloc(1, sizeof(*e));

	e->config = *config;
	e->agreement_ids = ka_keys_new();
	e->account_ids = ka_keys_new();
	e->customer_ids = ka_keys_new();
	e->first_date = KA_DATE_NONE;
	return e;
}

void
ka_rebate_free(ka_rebate *e)
{
	size_t i;

	if (e == NULL)
		return;
	lane_free(e, e->lane);
	for (i = 0; i < e->nagreements; i++)
		free_agreement(&e->agreements[i]);
	for (i = 0; i < e->naccounts; i++) {
		free(e->accounts[i].id);
		free(e->accounts[i].name);
		free(e->accounts[i].tier);
	}
	for (i = 0; i < e->ninstances; i++)
		free(e->instances[i].settled);
	for (i = 0; i < ka_keys_count(e->customer_ids); i++) {
		free(e->customers[i].name);
		free(e->customers[i].tier);
		free(e->customers[i].instances);
	}
	free(e->customers);
	free(e->agreements);
	free(e->accounts);
	free(e->instances);
	free(e->accruals);
	free(e->agreements_path);
	ka_keys_free(e->agreement_ids);
	ka_keys_free(e->account_ids);
	ka_keys_free(e->customer_ids);
	free(e);
}

size_t
ka_rebate_agreement_count(const ka_rebate *e)
{
	return e->nagreements;
}

/* ---- reading the agreements ---- */

enum agreement_column {
	COL_ID, COL_CUSTOMER, COL_TIER, COL_FROM, COL_TO, COL_BASIS,
	COL_SCOPE, COL_METHOD, COL_TIERS, COL_SETTLEMENT, COL_CAP, COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
	"agreement_id", "customer_id", "tier", "valid_from", "valid_to",
	"basis", "scope", "method", "tiers", "settlement", "cap"
};

static int
agreement_column_of(const char *name, size_t length)
{
	int c;

	ka_text_trim(&name, &length);
	for (c = 0; c < COL_COUNT; c++)
		if (equal_nocase(name, length, column_names[c]))
			return c;
	if (equal_nocase(name, length, "agreement"))
		return COL_ID;
	if (equal_nocase(name, length, "frequency"))
		return COL_SETTLEMENT;
	return -1;
}

struct row_context {
	const char	*path;
	const ka_record	*rec;
	const ka_record	*header;
	long		 column[COL_COUNT];
	char		*error;
	size_t		 size;
};

static int
row_error(const struct row_context *x, int column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
row_error(const struct row_context *x, int column, const char *format, ...)
{
	char what[1024];
	va_list args;

	va_start(args, format);
	vsnprintf(what, sizeof(what), format, args);
	va_end(args);
	if (column >= 0 && x->column[column] >= 0)
		snprintf(x->error, x->size, "%s:%lu: column %ld (%s): %s",
		    x->path, x->rec->line, x->column[column] + 1,
		    ka_field(x->header, (size_t)x->column[column]), what);
	else
		snprintf(x->error, x->size, "%s:%lu: %s", x->path,
		    x->rec->line, what);
	return -1;
}

static void
cell(const struct row_context *x, int column, const char **text,
    size_t *length)
{
	long c = x->column[column];

	if (c < 0 || (size_t)c >= x->rec->nfields) {
		*text = "";
		*length = 0;
		return;
	}
	*text = ka_field(x->rec, (size_t)c);
	*length = ka_field_length(x->rec, (size_t)c);
	ka_text_trim(text, length);
}

static int
read_date_cell(const struct row_context *x, int column, ka_date *out)
{
	const char *text;
	size_t length;

	cell(x, column, &text, &length);
	if (length == 0)
		return row_error(x, column, "empty: every agreement needs "
		    "%s", column_names[column]);
	if (ka_date_parse(text, length, out) < 0)
		return row_error(x, column, "not a date: \"%.*s\"",
		    ka_text_shown(text, length), text);
	return 0;
}

/* Scope: --where expressions separated by ';', all of which must hold. */
static int
parse_scope(const struct row_context *x, const char *text, size_t length,
    ka_filter **out)
{
	ka_filter *filter = ka_filter_new();
	char error[1024];

	while (length > 0) {
		const char *end = memchr(text, ';', length);
		size_t n = end != NULL ? (size_t)(end - text) : length;
		const char *piece = text;
		size_t piece_length = n;
		char *expression;

		ka_text_trim(&piece, &piece_length);
		if (piece_length > 0) {
			expression = ka_strndup(piece, piece_length);
			if (ka_filter_add(filter, expression, error,
			    sizeof(error)) < 0) {
				free(expression);
				ka_filter_free(filter);
				return row_error(x, COL_SCOPE, "%s", error);
			}
			free(expression);
		}
		text += n;
		length -= n;
		if (length > 0) {
			text++;
			length--;
		}
	}
	if (ka_filter_count(filter) == 0) {
		ka_filter_free(filter);
		filter = NULL;
	}
	*out = filter;
	return 0;
}

static int
parse_agreement(ka_rebate *e, const struct row_context *x, struct agreement *a)
{
	const char *text, *customer, *tier;
	size_t length, customer_length, tier_length;
	char error[1024], a_text[KA_DATE_BUFSIZE], b_text[KA_DATE_BUFSIZE];
	int method, has_basis = 0;
	int64_t seen;

	memset(a, 0, sizeof(*a));
	a->line = x->rec->line;
	cell(x, COL_ID, &text, &length);
	if (length == 0)
		return row_error(x, COL_ID, "empty: every agreement needs an "
		    "agreement_id");
	if ((seen = ka_keys_find(e->agreement_ids, text, length)) >= 0)
		return row_error(x, COL_ID, "agreement_id \"%.*s\" again "
		    "(first on line %lu)", ka_text_shown(text, length), text,
		    e->agreements[seen].line);
	a->id = ka_strndup(text, length);

	cell(x, COL_CUSTOMER, &customer, &customer_length);
	cell(x, COL_TIER, &tier, &tier_length);
	if (customer_length == 0 && tier_length == 0)
		return row_error(x, x->column[COL_CUSTOMER] >= 0 ?
		    COL_CUSTOMER : COL_TIER, "empty: give the customer_id or "
		    "the tier the agreement covers");
	if (customer_length > 0 && tier_length > 0)
		return row_error(x, COL_TIER, "both customer_id and tier "
		    "given: an agreement covers one customer or one tier");
	if (customer_length > 0)
		a->customer_id = ka_strndup(customer, customer_length);
	else
		a->tier = ka_strndup(tier, tier_length);

	if (read_date_cell(x, COL_FROM, &a->from) < 0 ||
	    read_date_cell(x, COL_TO, &a->to) < 0)
		return -1;
	if (a->to < a->from) {
		ka_date_format(a->to, a_text);
		ka_date_format(a->from, b_text);
		return row_error(x, COL_TO, "valid_to %s is before "
		    "valid_from %s", a_text, b_text);
	}

	cell(x, COL_METHOD, &text, &length);
	if (length == 0)
		return row_error(x, COL_METHOD, "empty: give retro, marginal, "
		    "per-unit, growth or fixed");
	if ((method = ka_rebate_method_from_name(text, length)) < 0)
		return row_error(x, COL_METHOD, "unknown method \"%.*s\" "
		    "(retro, marginal, per-unit, growth, fixed)",
		    ka_text_shown(text, length), text);
	a->method = (enum ka_rebate_method)method;

	cell(x, COL_TIERS, &text, &length);
	if (ka_rebate_parse_tiers(text, length, &a->schedule, error,
	    sizeof(error)) < 0)
		return row_error(x, COL_TIERS, "%s", error);
	if (!ka_rebate_method_fits(a->method, a->schedule.kind))
		return row_error(x, COL_TIERS, "%s needs %s rates (like %s)",
		    ka_rebate_method_name(a->method),
		    a->method == KA_REBATE_RETRO ? "percent" :
		    a->method == KA_REBATE_PER_UNIT ? "per-unit" :
		    a->method == KA_REBATE_FIXED ? "fixed-sum" :
		    "percent or per-unit",
		    a->method == KA_REBATE_PER_UNIT ? "100:0.50/unit" :
		    a->method == KA_REBATE_FIXED ? "50000:250" : "5000:2%");

	cell(x, COL_BASIS, &text, &length);
	if (length == 0)
		a->basis = a->schedule.kind == KA_REBATE_RATE_UNIT ?
		    KA_REBATE_BASIS_QTY : KA_REBATE_BASIS_AMOUNT;
	else {
		has_basis = 1;
		if (equal_nocase(text, length, "amount") ||
		    equal_nocase(text, length, "revenue"))
			a->basis = KA_REBATE_BASIS_AMOUNT;
		else if (equal_nocase(text, length, "qty") ||
		    equal_nocase(text, length, "quantity"))
			a->basis = KA_REBATE_BASIS_QTY;
		else if (equal_nocase(text, length, "margin"))
			a->basis = KA_REBATE_BASIS_MARGIN;
		else
			return row_error(x, COL_BASIS, "unknown basis "
			    "\"%.*s\" (amount, qty, margin)",
			    ka_text_shown(text, length), text);
	}
	if (has_basis && a->schedule.kind == KA_REBATE_RATE_UNIT &&
	    a->basis != KA_REBATE_BASIS_QTY)
		return row_error(x, COL_BASIS, "per-unit rates need basis "
		    "qty, not %s", ka_rebate_basis_name(a->basis));

	cell(x, COL_SETTLEMENT, &text, &length);
	if (length == 0 || equal_nocase(text, length, "annual") ||
	    equal_nocase(text, length, "yearly"))
		a->frequency = KA_REBATE_ANNUAL;
	else if (equal_nocase(text, length, "monthly"))
		a->frequency = KA_REBATE_MONTHLY;
	else if (equal_nocase(text, length, "quarterly"))
		a->frequency = KA_REBATE_QUARTERLY;
	else if (equal_nocase(text, length, "end"))
		a->frequency = KA_REBATE_END;
	else
		return row_error(x, COL_SETTLEMENT, "unknown settlement "
		    "\"%.*s\" (monthly, quarterly, annual, end)",
		    ka_text_shown(text, length), text);

	cell(x, COL_CAP, &text, &length);
	if (length > 0) {
		enum ka_dec_status status = ka_dec_parse(text, length, 0,
		    &a->cap);

		if (status != KA_DEC_OK)
			return row_error(x, COL_CAP, "%s: \"%.*s\"",
			    ka_dec_status_text(status),
			    ka_text_shown(text, length),
			    text);
		if (a->cap < 0)
			return row_error(x, COL_CAP, "below zero: \"%.*s\"",
			    ka_text_shown(text, length), text);
		if (a->cap % (KA_DEC_SCALE / 100) != 0)
			return row_error(x, COL_CAP, "more than whole cents: "
			    "\"%.*s\"", ka_text_shown(text, length), text);
		a->has_cap = 1;
	}

	cell(x, COL_SCOPE, &text, &length);
	a->scope_column = x->column[COL_SCOPE] >= 0 ?
	    (size_t)x->column[COL_SCOPE] + 1 : 0;
	if (length > 0 && parse_scope(x, text, length, &a->scope) < 0)
		return -1;
	if (a->scope != NULL)
		a->scope_text = ka_strndup(text, length);
	ka_keys_intern(e->agreement_ids, a->id, strlen(a->id), NULL);
	return 0;
}

static void
free_agreement(struct agreement *a)
{
	free(a->id);
	free(a->customer_id);
	free(a->tier);
	free(a->scope_text);
	ka_filter_free(a->scope);
}

int
ka_rebate_load_agreements(ka_rebate *e, const char *path, char *error,
    size_t size)
{
	struct ka_reader_options options;
	struct row_context x;
	const char *files[1] = { path };
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	size_t i, capacity = 0;
	int got, c;

	memset(&options, 0, sizeof(options));
	memset(&x, 0, sizeof(x));
	free(e->agreements_path);
	e->agreements_path = ka_strndup(path, strlen(path));
	if ((reader = ka_reader_open(files, 1, &options)) == NULL) {
		snprintf(error, size, "%s: cannot read the agreements", path);
		return -1;
	}
	x.path = path;
	x.header = ka_reader_header(reader);
	x.error = error;
	x.size = size;
	for (c = 0; c < COL_COUNT; c++)
		x.column[c] = -1;
	for (i = 0; i < x.header->nfields; i++) {
		const char *name = ka_field(x.header, i);

		c = agreement_column_of(name, ka_field_length(x.header, i));
		if (c < 0 && ka_role_of_header(name) == KA_ROLE_CUSTOMER_ID)
			c = COL_CUSTOMER;
		if (c >= 0 && x.column[c] < 0)
			x.column[c] = (long)i;
	}
	for (c = 0; c < COL_COUNT; c++) {
		int required = c == COL_ID || c == COL_FROM || c == COL_TO ||
		    c == COL_METHOD || c == COL_TIERS;

		if (required && x.column[c] < 0) {
			snprintf(error, size, "%s:1: no %s column (an "
			    "agreements file has agreement_id, customer_id "
			    "or tier, valid_from, valid_to, method, tiers; "
			    "optional basis, scope, settlement, cap)", path,
			    column_names[c]);
			ka_reader_close(reader);
			return -1;
		}
	}
	if (x.column[COL_CUSTOMER] < 0 && x.column[COL_TIER] < 0) {
		snprintf(error, size, "%s:1: no customer_id or tier column: "
		    "say whom each agreement covers", path);
		ka_reader_close(reader);
		return -1;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		struct agreement a;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			ka_reader_close(reader);
			return -1;
		}
		x.rec = &rec;
		if (parse_agreement(e, &x, &a) < 0) {
			free_agreement(&a);
			ka_reader_close(reader);
			return -1;
		}
		if (e->nagreements == capacity) {
			capacity = capacity ? 2 * capacity : 64;
			e->agreements = ka_reallocarray(e->agreements, capacity,
			    sizeof(*e->agreements));
		}
		e->agreements[e->nagreements++] = a;
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		ka_reader_close(reader);
		return -1;
	}
	ka_reader_close(reader);
	return 0;
}

/* ---- accounts ---- */

void
ka_rebate_add_account(ka_rebate *e, const char *id, const char *name,
    const char *tier)
{
	int added;

	ka_keys_intern(e->account_ids, id, strlen(id), &added);
	if (!added)
		return;		/* the first line of an account counts */
	e->accounts = ka_reallocarray(e->accounts, e->naccounts + 1,
	    sizeof(*e->accounts));
	e->accounts[e->naccounts].id = ka_strndup(id, strlen(id));
	e->accounts[e->naccounts].name = name != NULL ?
	    ka_strndup(name, strlen(name)) : NULL;
	e->accounts[e->naccounts].tier = tier != NULL ?
	    ka_strndup(tier, strlen(tier)) : NULL;
	e->naccounts++;
}

int
ka_rebate_load_accounts(ka_rebate *e, const char *path, char *error,
    size_t size)
{
	struct ka_reader_options options;
	struct ka_roles roles;
	const char *files[1] = { path };
	const ka_record *header;
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	long id_column, name_column, tier_column;
	char message[1024];
	int got;

	memset(&options, 0, sizeof(options));
	if ((reader = ka_reader_open(files, 1, &options)) == NULL) {
		snprintf(error, size, "%s: cannot read the accounts", path);
		return -1;
	}
	header = ka_reader_header(reader);
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, header, message, sizeof(message)) < 0) {
		snprintf(error, size, "%s: %s", path, message);
		ka_reader_close(reader);
		return -1;
	}
	id_column = roles.column[KA_ROLE_CUSTOMER_ID];
	name_column = roles.column[KA_ROLE_CUSTOMER];
	tier_column = roles.column[KA_ROLE_TIER];
	if (id_column < 0) {
		snprintf(error, size, "%s:1: no customer_id column (give "
		    "ka-rank output: customer_id, customer, tier, rank)",
		    path);
		ka_reader_close(reader);
		return -1;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		char *id, *name = NULL, *tier = NULL;
		const char *text;
		size_t length;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			ka_reader_close(reader);
			return -1;
		}
		text = ka_field(&rec, (size_t)id_column);
		length = ka_field_length(&rec, (size_t)id_column);
		ka_text_trim(&text, &length);
		if (length == 0)
			continue;	/* ka-rank's "lost" rows have ids */
		id = ka_strndup(text, length);
		if (name_column >= 0) {
			text = ka_field(&rec, (size_t)name_column);
			length = ka_field_length(&rec, (size_t)name_column);
			ka_text_trim(&text, &length);
			name = ka_strndup(text, length);
		}
		if (tier_column >= 0) {
			text = ka_field(&rec, (size_t)tier_column);
			length = ka_field_length(&rec, (size_t)tier_column);
			ka_text_trim(&text, &length);
			tier = ka_strndup(text, length);
		}
		ka_rebate_add_account(e, id, name, tier);
		free(id);
		free(name);
		free(tier);
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		ka_reader_close(reader);
		return -1;
	}
	ka_reader_close(reader);
	return 0;
}

/* ---- instances ---- */

static uint32_t
customer_of(ka_rebate *e, const char *id)
{
	size_t before = ka_keys_count(e->customer_ids);
	uint32_t c = ka_keys_intern(e->customer_ids, id, strlen(id), NULL);

	if (ka_keys_count(e->customer_ids) > before) {
		int64_t account = ka_keys_find(e->account_ids, id,
		    strlen(id));

		e->customers = ka_reallocarray(e->customers,
		    ka_keys_count(e->customer_ids), sizeof(*e->customers));
		memset(&e->customers[c], 0, sizeof(e->customers[c]));
		if (account >= 0) {
			const struct account *a = &e->accounts[account];

			if (a->name != NULL && a->name[0] != '\0')
				e->customers[c].name = ka_strndup(a->name,
				    strlen(a->name));
			if (a->tier != NULL)
				e->customers[c].tier = ka_strndup(a->tier,
				    strlen(a->tier));
		}
	}
	return c;
}

static void
add_instance(ka_rebate *e, size_t agreement, const char *customer_id)
{
	struct agreement *a = &e->agreements[agreement];
	struct instance *in;
	struct customer *c;
	uint32_t customer = customer_of(e, customer_id);
	int keep_prior = a->method == KA_REBATE_GROWTH ||
	    e->config.keep_prior;
	ka_date window_first = a->from;

	e->instances = ka_reallocarray(e->instances, e->ninstances + 1,
	    sizeof(*e->instances));
	in = &e->instances[e->ninstances];
	memset(in, 0, sizeof(*in));
	in->agreement = agreement;
	in->customer = customer;
	in->last_day = a->to < e->config.as_of ? a->to : e->config.as_of;
	in->ndays = in->last_day >= a->from ?
	    (size_t)(in->last_day - a->from + 1) : 0;
	if (keep_prior) {
		ka_date prior_to = ka_date_add_months(a->to, -12);

		in->prior_from = ka_date_add_months(a->from, -12);
		in->prior_last = prior_to < e->config.as_of ? prior_to :
		    e->config.as_of;
		in->nprior = in->prior_last >= in->prior_from ?
		    (size_t)(in->prior_last - in->prior_from + 1) : 0;
		if (in->nprior > 0)
			window_first = in->prior_from;
	}
	if (in->ndays > 0 || in->nprior > 0)
		if (e->first_date == KA_DATE_NONE ||
		    window_first < e->first_date)
			e->first_date = window_first;
	c = &e->customers[customer];
	c->instances = ka_reallocarray(c->instances, c->count + 1,
	    sizeof(*c->instances));
	c->instances[c->count++] = e->ninstances;
	if (c->count > e->max_matches)
		e->max_matches = c->count;
	if (a->count == 0)
		a->first = e->ninstances;
	a->count++;
	e->ninstances++;
}

int
ka_rebate_prepare(ka_rebate *e, char *error, size_t size)
{
	size_t i, j;

	for (i = 0; i < e->nagreements; i++) {
		struct agreement *a = &e->agreements[i];

		a->count = 0;
		if (a->customer_id != NULL) {
			add_instance(e, i, a->customer_id);
			continue;
		}
		if (e->naccounts == 0) {
			snprintf(error, size, "%s:%lu: agreement %s covers "
			    "tier \"%s\": give the key accounts (--accounts, "
			    "ka-rank output)", e->agreements_path, a->line,
			    a->id, a->tier);
			return -1;
		}
		for (j = 0; j < e->naccounts; j++)
			if (e->accounts[j].tier != NULL &&
			    strcmp(e->accounts[j].tier, a->tier) == 0)
				add_instance(e, i, e->accounts[j].id);
		if (a->count == 0)
			ka_warn("%s:%lu: agreement %s covers tier \"%s\", "
			    "which has no account", e->agreements_path,
			    a->line, a->id, a->tier);
	}
	e->lane = lane_new(e);
	return 0;
}

/* ---- amounts already settled ---- */

int
ka_rebate_load_settled(ka_rebate *e, const char *path, char *error,
    size_t size)
{
	struct ka_reader_options options;
	const char *files[1] = { path };
	const ka_record *header;
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	long id_column = -1, customer_column = -1, end_column = -1;
	long amount_column = -1;
	size_t i;
	int got;

	memset(&options, 0, sizeof(options));
	if ((reader = ka_reader_open(files, 1, &options)) == NULL) {
		snprintf(error, size, "%s: cannot read the settled amounts",
		    path);
		return -1;
	}
	e->has_settled = 1;
	header = ka_reader_header(reader);
	for (i = 0; i < header->nfields; i++) {
		const char *name = ka_field(header, i);
		size_t length = ka_field_length(header, i);

		if (id_column < 0 && (equal_nocase(name, length,
		    "agreement_id") || equal_nocase(name, length, "agreement")))
			id_column = (long)i;
		else if (customer_column < 0 &&
		    ka_role_of_header(name) == KA_ROLE_CUSTOMER_ID)
			customer_column = (long)i;
		else if (end_column < 0 && equal_nocase(name, length,
		    "period_end"))
			end_column = (long)i;
		else if (amount_column < 0 && (equal_nocase(name, length,
		    "amount") || equal_nocase(name, length, "settled")))
			amount_column = (long)i;
	}
	if (id_column < 0 || end_column < 0 || amount_column < 0) {
		snprintf(error, size, "%s:1: no %s column (settled amounts "
		    "have agreement_id, customer_id, period_end, amount: "
		    "ka-rebate settle's output)", path, id_column < 0 ?
		    "agreement_id" : end_column < 0 ? "period_end" : "amount");
		ka_reader_close(reader);
		return -1;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		const char *text;
		size_t length, n;
		int64_t agreement;
		struct agreement *a;
		struct instance *in = NULL;
		struct settled_line line;
		enum ka_dec_status parsed;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			goto fail;
		}
#define SETTLED_ERROR(column, ...) do { \
	int k_ = snprintf(error, size, "%s:%lu: column %ld (%s): ", path, \
	    rec.line, (column) + 1, ka_field(header, (size_t)(column))); \
	if (k_ >= 0 && (size_t)k_ < size) \
		snprintf(error + k_, size - (size_t)k_, __VA_ARGS__); \
	goto fail; \
} while (0)
		text = ka_field(&rec, (size_t)id_column);
		length = ka_field_length(&rec, (size_t)id_column);
		ka_text_trim(&text, &length);
		agreement = ka_keys_find(e->agreement_ids, text, length);
		if (agreement < 0)
			SETTLED_ERROR(id_column, "no agreement \"%.*s\" in %s",

			    ka_text_shown(text, length),
			    text, e->agreements_path);
		a = &e->agreements[agreement];
		text = "";
		length = 0;
		if (customer_column >= 0) {
			text = ka_field(&rec, (size_t)customer_column);
			length = ka_field_length(&rec,
			    (size_t)customer_column);
			ka_text_trim(&text, &length);
		}
		if (length == 0 && a->count == 1)
			in = &e->instances[a->first];
		else if (length == 0)
			SETTLED_ERROR(customer_column >= 0 ? customer_column :
			    id_column, "agreement %s covers %zu customers: "
			    "give customer_id", a->id, a->count);
		else
			for (n = 0; n < a->count; n++) {
				struct instance *candidate =
				    &e->instances[a->first + n];
				const char *id = ka_keys_text(e->customer_ids,
				    candidate->customer);

				if (strlen(id) == length &&
				    memcmp(id, text, length) == 0)
					in = candidate;
			}
		if (in == NULL)
			SETTLED_ERROR(customer_column, "agreement %s does not "
			    "cover customer \"%.*s\"", a->id,
			    ka_text_shown(text, length), text);
		text = ka_field(&rec, (size_t)end_column);
		length = ka_field_length(&rec, (size_t)end_column);
		if (ka_date_parse(text, length, &line.period_end) < 0)
			SETTLED_ERROR(end_column, "not a date: \"%.*s\"",
			    ka_text_shown(text, length), text);
		text = ka_field(&rec, (size_t)amount_column);
		length = ka_field_length(&rec, (size_t)amount_column);
		parsed = ka_dec_parse(text, length, 0, &line.amount);
		if (parsed != KA_DEC_OK)
			SETTLED_ERROR(amount_column, "%s: \"%.*s\"",
			    ka_dec_status_text(parsed),
			    ka_text_shown(text, length),
			    text);
#undef SETTLED_ERROR
		in->settled = ka_reallocarray(in->settled, in->nsettled + 1,
		    sizeof(*in->settled));
		in->settled[in->nsettled++] = line;
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		goto fail;
	}
	ka_reader_close(reader);
	return 0;
fail:
	ka_reader_close(reader);
	return -1;
}

/* ---- binding the sales ---- */

int
ka_rebate_bind(ka_rebate *e, const ka_record *header,
    const struct ka_roles *roles, enum ka_role *missing, char *error,
    size_t size)
{
	char message[1024];
	size_t i;

	e->needs = 0;
	for (i = 0; i < e->ninstances; i++)
		e->needs |= 1u << e->agreements[e->instances[i].agreement].basis;
	e->date_column = roles->column[KA_ROLE_DATE];
	e->customer_column = roles->column[KA_ROLE_CUSTOMER_ID];
	e->name_column = roles->column[KA_ROLE_CUSTOMER];
	e->amount_column = roles->column[KA_ROLE_AMOUNT];
	e->qty_column = roles->column[KA_ROLE_QTY];
	e->price_column = roles->column[KA_ROLE_UNIT_PRICE];
	e->cost_column = roles->column[KA_ROLE_COST];
	if (e->customer_column < 0) {
		/* Grouped by name where an export has no ids. */
		e->customer_column = e->name_column;
		e->name_column = -1;
	}
	if (e->date_column < 0) {
		*missing = KA_ROLE_DATE;
		return -1;
	}
	if (e->customer_column < 0) {
		*missing = KA_ROLE_CUSTOMER_ID;
		return -1;
	}
	if ((e->needs & (1u << KA_REBATE_BASIS_AMOUNT | 1u <<
	    KA_REBATE_BASIS_MARGIN)) && e->amount_column < 0 &&
	    (e->qty_column < 0 || e->price_column < 0)) {
		*missing = KA_ROLE_AMOUNT;
		return -1;
	}
	if ((e->needs & 1u << KA_REBATE_BASIS_QTY) && e->qty_column < 0) {
		*missing = KA_ROLE_QTY;
		return -1;
	}
	if ((e->needs & 1u << KA_REBATE_BASIS_MARGIN) && e->cost_column < 0) {
		*missing = KA_ROLE_COST;
		return -1;
	}
	e->header = header;
	e->roles = roles;
	for (i = 0; i < e->nagreements; i++) {
		struct agreement *a = &e->agreements[i];

		if (a->scope == NULL)
			continue;
		ka_filter_set_date_format(a->scope, e->config.date_format);
		if (ka_filter_bind(a->scope, header, roles,
		    e->config.decimal_comma, message, sizeof(message)) < 0) {
			snprintf(error, size, "%s:%lu: column %zu (scope): %s",
			    e->agreements_path, a->line, a->scope_column,
			    message);
			return -2;
		}
	}
	return 0;
}

/* ---- the pass over the sales ---- */

static void
set_error(struct lane *l, long column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(struct lane *l, long column, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(l->error, sizeof(l->error), format, args);
	va_end(args);
	l->error_column = column >= 0 ? (size_t)column + 1 : 0;
}

static int
is_null(const ka_rebate *e, const char *text, size_t length)
{
	return e->config.null_string != NULL &&
	    strlen(e->config.null_string) == length &&
	    memcmp(e->config.null_string, text, length) == 0;
}

/* A number from column; -1 with the error set when it is not one. */
static int
read_number(const ka_rebate *e, struct lane *l, const ka_record *rec,
    long column, ka_dec *out)
{
	const char *text;
	size_t length;
	enum ka_dec_status status;

	if ((size_t)column >= rec->nfields) {
		set_error(l, column, "column %ld missing", column + 1);
		return -1;
	}
	text = ka_field(rec, (size_t)column);
	length = ka_field_length(rec, (size_t)column);
	status = is_null(e, text, length) ? KA_DEC_EMPTY :
	    ka_dec_parse(text, length, e->config.decimal_comma, out);
	if (status != KA_DEC_OK) {
		set_error(l, column, "column %ld (%s): %s: \"%.*s\"",
		    column + 1, ka_role_name(column == e->amount_column ?
		    KA_ROLE_AMOUNT : column == e->qty_column ? KA_ROLE_QTY :
		    column == e->cost_column ? KA_ROLE_COST :
		    KA_ROLE_UNIT_PRICE), ka_dec_status_text(status),
		    ka_text_shown(text, length), text);
		return -1;
	}
	return 0;
}

/* The row's basis of every kind the matched instances need. */
static int
read_basis(const ka_rebate *e, struct lane *l, const ka_record *rec,
    unsigned needs, ka_dec value[3])
{
	ka_dec amount = 0, qty = 0, price, cost;

	if (needs & (1u << KA_REBATE_BASIS_AMOUNT |
	    1u << KA_REBATE_BASIS_MARGIN)) {
		if (e->amount_column >= 0) {
			if (read_number(e, l, rec, e->amount_column, &amount) < 0)
				return -1;
		} else {
			if (read_number(e, l, rec, e->qty_column, &qty) < 0 ||
			    read_number(e, l, rec, e->price_column, &price) < 0)
				return -1;
			if (ka_dec_mul(qty, price, &amount) < 0) {
				set_error(l, e->qty_column, "qty x unit_price "
				    "out of range");
				return -1;
			}
		}
		value[KA_REBATE_BASIS_AMOUNT] = amount;
	}
	if (needs & 1u << KA_REBATE_BASIS_QTY) {
		if (read_number(e, l, rec, e->qty_column, &qty) < 0)
			return -1;
		value[KA_REBATE_BASIS_QTY] = qty;
	}
	if (needs & 1u << KA_REBATE_BASIS_MARGIN) {
		if (read_number(e, l, rec, e->cost_column, &cost) < 0)
			return -1;
		value[KA_REBATE_BASIS_MARGIN] = amount;
		if (ka_dec_sub(&value[KA_REBATE_BASIS_MARGIN], cost) < 0) {
			set_error(l, e->cost_column, "margin out of range");
			return -1;
		}
	}
	return 0;
}

static int
add_to_day(struct lane *l, ka_dec **days, size_t ndays, size_t index,
    ka_dec value)
{
	if (*days == NULL)
		*days = ka_calloc(ndays, sizeof(**days));
	if (ka_dec_add(&(*days)[index], value) < 0) {
		set_error(l, -1, "a day's basis is out of range");
		return -1;
	}
	return 0;
}

/* One sales record into lane l. */
static enum ka_rebate_verdict
add_row(const ka_rebate *e, struct lane *l, const ka_record *rec)
{
	const char *text;
	size_t length, i, nmatch = 0;
	ka_date date;
	int64_t id;
	const struct customer *c;
	unsigned needs = 0;
	ka_dec value[3] = { 0, 0, 0 };

	l->counts.read++;
	if (e->config.filter != NULL && ka_filter_count(e->config.filter)) {
		int passed = ka_filter_match(e->config.filter, rec, l->error,
		    sizeof(l->error));

		if (passed < 0)
			return KA_REBATE_FATAL;
		if (!passed) {
			l->counts.filtered++;
			return KA_REBATE_FILTERED;
		}
	}
	if ((size_t)e->date_column >= rec->nfields ||
	    (size_t)e->customer_column >= rec->nfields) {
		set_error(l, -1, "too few fields");
		return KA_REBATE_BAD;
	}
	text = ka_field(rec, (size_t)e->date_column);
	length = ka_field_length(rec, (size_t)e->date_column);
	if (ka_date_parse(text, length, &date) < 0 &&
	    (e->config.date_format == NULL || ka_date_parse_format(text,
	    length, e->config.date_format, &date) < 0)) {
		set_error(l, e->date_column, "column %ld (date): %s: \"%.*s\"",
		    e->date_column + 1, length == 0 ||
		    is_null(e, text, length) ? "empty" : "not a date",
		    ka_text_shown(text, length), text);
		return KA_REBATE_BAD;
	}
	if (date > e->config.as_of || e->first_date == KA_DATE_NONE ||
	    date < e->first_date) {
		l->counts.unused++;
		return KA_REBATE_UNUSED;
	}
	text = ka_field(rec, (size_t)e->customer_column);
	length = ka_field_length(rec, (size_t)e->customer_column);
	if ((id = ka_keys_find(e->customer_ids, text, length)) < 0) {
		l->counts.unused++;
		return KA_REBATE_UNUSED;
	}
	c = &e->customers[id];
	for (i = 0; i < c->count; i++) {
		const struct instance *in = &e->instances[c->instances[i]];
		const struct agreement *a = &e->agreements[in->agreement];
		ka_filter *scope = l->scope[in->agreement];
		int now = date >= a->from && date <= in->last_day;
		int then = in->nprior > 0 && date >= in->prior_from &&
		    date <= in->prior_last;

		if (!now && !then)
			continue;
		if (scope != NULL) {
			int passed = ka_filter_match(scope, rec, l->error,
			    sizeof(l->error));

			if (passed < 0)
				return KA_REBATE_FATAL;
			if (!passed)
				continue;
		}
		if (now) {
			l->matches[nmatch].instance = c->instances[i];
			l->matches[nmatch++].prior = 0;
		}
		if (then) {
			l->matches[nmatch].instance = c->instances[i];
			l->matches[nmatch++].prior = 1;
		}
		needs |= 1u << a->basis;
	}
	if (nmatch == 0) {
		l->counts.unused++;
		return KA_REBATE_UNUSED;
	}
	if (read_basis(e, l, rec, needs, value) < 0)
		return KA_REBATE_BAD;
	for (i = 0; i < nmatch; i++) {
		size_t index = l->matches[i].instance;
		const struct instance *in = &e->instances[index];
		const struct agreement *a = &e->agreements[in->agreement];
		int failed;

		if (l->matches[i].prior)
			failed = add_to_day(l, &l->prior[index], in->nprior,
			    (size_t)(date - in->prior_from), value[a->basis]);
		else
			failed = add_to_day(l, &l->day[index], in->ndays,
			    (size_t)(date - a->from), value[a->basis]);
		if (failed)
			return KA_REBATE_FATAL;
	}
	if (l->name[id] == NULL && e->name_column >= 0 &&
	    (size_t)e->name_column < rec->nfields) {
		text = ka_field(rec, (size_t)e->name_column);
		length = ka_field_length(rec, (size_t)e->name_column);
		ka_text_trim(&text, &length);
		if (length > 0 && !is_null(e, text, length))
			l->name[id] = ka_strndup(text, length);
	}
	l->counts.used++;
	return KA_REBATE_USED;
}

enum ka_rebate_verdict
ka_rebate_add(ka_rebate *e, const ka_record *rec)
{
	return add_row(e, e->lane, rec);
}

/* ---- one file in pieces, on every core ---- */

/* A lane of its own for a piece: scopes are matched with state. */
static struct lane *
piece_lane(const ka_rebate *e)
{
	struct lane *l = lane_new(e);
	char error[1024];
	size_t i;

	l->own_scopes = 1;
	for (i = 0; i < e->nagreements; i++) {
		const struct agreement *a = &e->agreements[i];
		const char *text = a->scope_text;
		size_t length;

		l->scope[i] = NULL;
		if (a->scope == NULL)
			continue;
		l->scope[i] = ka_filter_new();
		length = strlen(text);
		while (length > 0) {
			const char *end = memchr(text, ';', length);
			size_t k = end != NULL ? (size_t)(end - text) : length;
			const char *piece = text;
			size_t piece_length = k;

			ka_text_trim(&piece, &piece_length);
			if (piece_length > 0) {
				char *expression = ka_strndup(piece,
				    piece_length);

				/* Parsed and bound once already: no error. */
				ka_filter_add(l->scope[i], expression, error,
				    sizeof(error));
				free(expression);
			}
			text += k;
			length -= k;
			if (length > 0) {
				text++;
				length--;
			}
		}
		ka_filter_set_date_format(l->scope[i], e->config.date_format);
		ka_filter_bind(l->scope[i], e->header, e->roles,
		    e->config.decimal_comma, error, sizeof(error));
	}
	return l;
}

/* Adds piece lane from to the engine's, as if read after it. */
static int
absorb(ka_rebate *e, struct lane *from)
{
	struct lane *to = e->lane;
	size_t i, d;

	for (i = 0; i < e->ninstances; i++) {
		const struct instance *in = &e->instances[i];
		ka_dec **pairs[2][2] = {
			{ &to->day[i], &from->day[i] },
			{ &to->prior[i], &from->prior[i] }
		};
		size_t lengths[2] = { in->ndays, in->nprior };
		int k;

		for (k = 0; k < 2; k++) {
			ka_dec **into = pairs[k][0], **more = pairs[k][1];

			if (*more == NULL)
				continue;
			if (*into == NULL) {
				*into = *more;
				*more = NULL;
				continue;
			}
			for (d = 0; d < lengths[k]; d++)
				if (ka_dec_add(&(*into)[d], (*more)[d]) < 0)
					return -1;
		}
	}
	for (i = 0; i < ka_keys_count(e->customer_ids); i++)
		if (to->name[i] == NULL && from->name[i] != NULL) {
			to->name[i] = from->name[i];
			from->name[i] = NULL;
		}
	to->counts.read += from->counts.read;
	to->counts.used += from->counts.used;
	to->counts.unused += from->counts.unused;
	to->counts.filtered += from->counts.filtered;
	to->counts.rejected += from->counts.rejected;
	return 0;
}

/* The pieces of ka_rebate_add_file(): a lane each, absorbed in order. */
struct rebate_pieces {
	ka_rebate	*engine;
	size_t		 absorbed;
};

static void *
rebate_piece_new(void *context)
{
	return piece_lane(((struct rebate_pieces *)context)->engine);
}

static int
rebate_piece_record(const void *context, void *piece, const ka_record *rec)
{
	const struct rebate_pieces *pieces = context;
	enum ka_rebate_verdict verdict = add_row(pieces->engine, piece, rec);

	return verdict == KA_REBATE_BAD || verdict == KA_REBATE_FATAL ? -1 : 0;
}

static int
rebate_piece_absorb(void *context, void *piece)
{
	struct rebate_pieces *pieces = context;

	pieces->absorbed++;
	return absorb(pieces->engine, piece);
}

static void
rebate_piece_free(void *context, void *piece)
{
	lane_free(((struct rebate_pieces *)context)->engine, piece);
}

int
ka_rebate_add_file(ka_rebate *e, const char *path,
    const struct ka_reader_options *options, int delimiter, int jobs)
{
	static const struct ka_pieces_callbacks callbacks = {
		rebate_piece_new, rebate_piece_record, rebate_piece_absorb,
		rebate_piece_free
	};
	struct rebate_pieces pieces = { e, 0 };

	/* --where counts its matches: it is not for threads. */
	if (jobs < 2 || e->header == NULL || (e->config.filter != NULL &&
	    ka_filter_count(e->config.filter)))
		return 0;
	if (ka_pieces_read(path, NULL, options, delimiter, jobs, &callbacks,
	    &pieces) == 1)
		return 1;
	if (pieces.absorbed > 0) {
		/* Nothing read counts: one pass starts afresh. */
		lane_free(e, e->lane);
		e->lane = lane_new(e);
	}
	return 0;
}

const char *
ka_rebate_error(const ka_rebate *e)
{
	return e->lane->error;
}

size_t
ka_rebate_error_column(const ka_rebate *e)
{
	return e->lane->error_column;
}

void
ka_rebate_reject(ka_rebate *e, const ka_record *rec)
{
	(void)rec;
	e->lane->counts.rejected++;
}

const struct ka_rebate_counts *
ka_rebate_counts(const ka_rebate *e)
{
	return &e->lane->counts;
}

static int
cumulate(ka_dec *days, size_t n)
{
	size_t i;

	for (i = 1; days != NULL && i < n; i++)
		if (ka_dec_add(&days[i], days[i - 1]) < 0)
			return -1;
	return 0;
}

int
ka_rebate_finish(ka_rebate *e, char *error, size_t size)
{
	size_t i;

	for (i = 0; i < ka_keys_count(e->customer_ids); i++)
		if (e->customers[i].name == NULL && e->lane->name[i] != NULL) {
			e->customers[i].name = e->lane->name[i];
			e->lane->name[i] = NULL;
		}
	for (i = 0; i < e->ninstances; i++) {
		struct instance *in = &e->instances[i];

		if (cumulate(e->lane->day[i], in->ndays) < 0 ||
		    cumulate(e->lane->prior[i], in->nprior) < 0) {
			snprintf(error, size, "the basis of agreement %s is "
			    "out of range",
			    e->agreements[in->agreement].id);
			return -1;
		}
	}
	return 0;
}

/* ---- figures at a date ---- */

/* The basis from valid_from through d. */
static ka_dec
basis_through(const ka_rebate *e, const struct instance *in, ka_date d)
{
	const struct agreement *a = &e->agreements[in->agreement];

	const ka_dec *day = e->lane->day[in - e->instances];

	if (day == NULL || d < a->from)
		return 0;
	if (d > in->last_day)
		d = in->last_day;
	return day[d - a->from];
}

/* The year-earlier basis of the same span, from valid_from through d. */
static ka_dec
prior_through(const ka_rebate *e, const struct instance *in, ka_date d)
{
	const struct agreement *a = &e->agreements[in->agreement];
	const ka_dec *prior = e->lane->prior[in - e->instances];
	ka_date then;

	if (prior == NULL || d < a->from)
		return 0;
	then = ka_date_add_months(d < a->to ? d : a->to, -12);
	if (then < in->prior_from)
		return 0;
	if (then > in->prior_last)
		then = in->prior_last;
	return prior[then - in->prior_from];
}

static void
value_at(const ka_rebate *e, const struct instance *in, ka_dec basis,
    ka_dec prior, struct ka_rebate_value *out)
{
	const struct agreement *a = &e->agreements[in->agreement];

	if (ka_rebate_evaluate(&a->schedule, a->method, basis, prior,
	    a->has_cap, a->cap, out) < 0)
		ka_die(KA_EXIT_DATA, "%s:%lu: the rebate of agreement %s is "
		    "out of range", e->agreements_path, a->line, a->id);
}

/* The agreement's own capped rebate through d. */
static ka_dec
own_earned(const ka_rebate *e, const struct instance *in, ka_date d)
{
	struct ka_rebate_value v;

	value_at(e, in, basis_through(e, in, d), prior_through(e, in, d), &v);
	return v.earned;
}

/*
 * What the instance pays for everything through date: its own rebate
 * on its last day up to then, unless --overlap best and another
 * agreement of the customer active that day gives more (or as much,
 * and comes first).  *payer is the instance that pays instead.
 */
static ka_dec
earned_through(const ka_rebate *e, size_t index, ka_date date, size_t *payer)
{
	const struct instance *in = &e->instances[index];
	const struct agreement *a = &e->agreements[in->agreement];
	const struct customer *c = &e->customers[in->customer];
	ka_date d = date < a->to ? date : a->to;
	ka_dec mine;
	size_t i;

	*payer = index;
	if (d < a->from)
		return 0;
	mine = own_earned(e, in, d);
	if (e->config.overlap != KA_REBATE_OVERLAP_BEST)
		return mine;
	for (i = 0; i < c->count; i++) {
		size_t other = c->instances[i];
		const struct instance *o = &e->instances[other];
		const struct agreement *b = &e->agreements[o->agreement];
		ka_dec theirs;

		if (other == index || d < b->from || d > b->to)
			continue;
		theirs = own_earned(e, o, d);
		if (theirs > mine || (theirs == mine && other < index)) {
			*payer = other;
			return 0;
		}
	}
	return mine;
}

/* Settlement periods: calendar units clipped to the agreement. */
static ka_period
settlement_period(const struct agreement *a, ka_date first)
{
	ka_period unit, p;

	switch (a->frequency) {
	case KA_REBATE_MONTHLY:
		unit = ka_period_of(KA_PERIOD_MONTH, first);
		break;
	case KA_REBATE_QUARTERLY:
		unit = ka_period_of(KA_PERIOD_QUARTER, first);
		break;
	case KA_REBATE_ANNUAL:
		unit = ka_period_of(KA_PERIOD_YEAR, first);
		break;
	default:
		unit.kind = KA_PERIOD_RANGE;
		unit.first = a->from;
		unit.last = a->to;
		break;
	}
	p = unit;
	if (p.first < a->from)
		p.first = a->from;
	if (p.last > a->to)
		p.last = a->to;
	if (p.first != unit.first || p.last != unit.last ||
	    unit.kind == KA_PERIOD_RANGE)
		p.kind = p.first == p.last ? KA_PERIOD_DAY : KA_PERIOD_RANGE;
	return p;
}

/* Settled before day: the file's lines, else the schedule's. */
static ka_dec
settled_before(const ka_rebate *e, size_t index, ka_date day)
{
	const struct instance *in = &e->instances[index];
	const struct agreement *a = &e->agreements[in->agreement];
	ka_dec sum = 0;
	size_t i, payer;

	if (e->has_settled) {
		for (i = 0; i < in->nsettled; i++)
			if (in->settled[i].period_end < day &&
			    ka_dec_add(&sum, in->settled[i].amount) < 0)
				ka_die(KA_EXIT_DATA, "settled amounts of "
				    "agreement %s are out of range", a->id);
		return sum;
	}
	/* What the last settlement period ending before day gave. */
	if (day <= a->from)
		return 0;
	{
		ka_date last = KA_DATE_NONE, d = a->from;

		while (d <= a->to) {
			ka_period p = settlement_period(a, d);

			if (p.last >= day)
				break;
			last = p.last;
			d = p.last + 1;
		}
		return last == KA_DATE_NONE ? 0 :
		    earned_through(e, index, last, &payer);
	}
}

static ka_dec
effective_rate(enum ka_rebate_rate_kind kind, ka_dec earned, ka_dec basis)
{
	/* percent: earned / basis x 100 to 2 places; per unit: 4 places. */
	wide num = (wide)earned * (kind == KA_REBATE_RATE_UNIT ? 1 : 100) *
	    KA_DEC_SCALE, q, r;
	ka_dec v;

	q = num / basis;
	r = num % basis;
	if (2 * (r < 0 ? -r : r) >= basis)
		q += num < 0 ? -1 : 1;
	v = (ka_dec)q;
	return kind == KA_REBATE_RATE_UNIT ? v : ka_dec_round(v, 2);
}

static void
compute_accrual(ka_rebate *e, size_t index, struct ka_rebate_accrual *r)
{
	const struct instance *in = &e->instances[index];
	const struct agreement *a = &e->agreements[in->agreement];
	const struct customer *c = &e->customers[in->customer];
	ka_date as_of = e->config.as_of;
	size_t payer;

	memset(r, 0, sizeof(*r));
	r->agreement_id = a->id;
	r->customer_id = ka_keys_text(e->customer_ids, in->customer);
	r->customer = c->name != NULL ? c->name : "";
	r->tier = c->tier != NULL ? c->tier : "";
	r->method = a->method;
	r->basis_type = a->basis;
	r->rate_kind = a->schedule.kind;
	r->schedule = &a->schedule;
	r->has_cap = a->has_cap;
	r->cap = a->cap;
	r->valid_from = a->from;
	r->valid_to = a->to;
	r->started = as_of >= a->from;
	r->ended = as_of >= a->to;
	r->basis = basis_through(e, in, as_of);
	r->has_prior = a->method == KA_REBATE_GROWTH;
	r->prior = prior_through(e, in, as_of);
	value_at(e, in, r->basis, r->prior, &r->value);
	if (r->value.tier > 0) {
		r->has_rate = 1;
		r->rate = a->schedule.tier[r->value.tier - 1].rate;
	}
	r->earned = earned_through(e, index, as_of, &payer);
	if (payer != index)
		r->paid_by = e->agreements[e->instances[payer].agreement].id;
	if (r->basis > 0 && a->schedule.kind != KA_REBATE_RATE_SUM) {
		r->has_effective_rate = 1;
		r->effective_rate = effective_rate(a->schedule.kind, r->earned,
		    r->basis);
	}
	r->settled = settled_before(e, index, as_of + 1);
	r->accrual = r->earned;
	if (ka_dec_sub(&r->accrual, r->settled) < 0)
		ka_die(KA_EXIT_DATA, "the accrual of agreement %s is out of "
		    "range", a->id);
	if (r->started) {
		struct ka_rebate_value v;
		ka_dec prior_full = prior_through(e, in, a->to);
		wide total = (wide)(a->to - a->from + 1);
		wide elapsed = (wide)((as_of < a->to ? as_of : a->to) -
		    a->from + 1);
		wide num = (wide)r->basis * total, q, rem;

		/* Run rate: the basis per day so far, to valid_to, in
		   cents, half away from zero. */
		q = num / (elapsed * 100);
		rem = num % (elapsed * 100);
		if (2 * (rem < 0 ? -rem : rem) >= elapsed * 100)
			q += num < 0 ? -1 : 1;
		if (q <= INT64_MAX / 100 && q >= -(INT64_MAX / 100)) {
			r->has_projection = 1;
			r->projected_basis = r->ended ? r->basis :
			    (ka_dec)q * 100;
			value_at(e, in, r->projected_basis, prior_full, &v);
			r->projected_rebate = v.earned;
		}
	}
}

const struct ka_rebate_accrual *
ka_rebate_accruals(ka_rebate *e, size_t *count)
{
	size_t i;

	if (e->accruals == NULL) {
		e->accruals = ka_calloc(e->ninstances, sizeof(*e->accruals));
		for (i = 0; i < e->ninstances; i++)
			compute_accrual(e, i, &e->accruals[i]);
	}
	*count = e->ninstances;
	return e->accruals;
}

struct ka_rebate_settlement *
ka_rebate_settlements(ka_rebate *e, const ka_period *period, size_t *count)
{
	struct ka_rebate_settlement *lines = NULL;
	size_t i, n = 0, capacity = 0, total, payer;

	ka_rebate_accruals(e, &total);
	for (i = 0; i < e->ninstances; i++) {
		const struct agreement *a =
		    &e->agreements[e->instances[i].agreement];
		ka_date d = a->from;

		while (d <= a->to && d <= period->last) {
			ka_period p = settlement_period(a, d);
			struct ka_rebate_settlement *s;

			d = p.last + 1;
			if (p.last < period->first || p.last > period->last)
				continue;
			if (n == capacity) {
				capacity = capacity ? 2 * capacity : 64;
				lines = ka_reallocarray(lines, capacity,
				    sizeof(*lines));
			}
			s = &lines[n++];
			memset(s, 0, sizeof(*s));
			s->instance = &e->accruals[i];
			s->period = p;
			s->final = p.last == a->to;
			s->basis = basis_through(e, &e->instances[i], p.last);
			s->earned = earned_through(e, i, p.last, &payer);
			s->settled_before = settled_before(e, i, p.first);
			s->amount = s->earned;
			if (ka_dec_sub(&s->amount, s->settled_before) < 0)
				ka_die(KA_EXIT_DATA, "a settlement of "
				    "agreement %s is out of range", a->id);
		}
	}
	*count = n;
	return lines;
}

struct ka_rebate_whatif *
ka_rebate_whatifs(ka_rebate *e, const char *agreement_id,
    const char *customer_id, ka_dec basis, int add, size_t *count)
{
	struct ka_rebate_whatif *rows = NULL;
	int64_t found;
	size_t i, n = 0, total;
	int m;

	*count = 0;
	found = ka_keys_find(e->agreement_ids, agreement_id,
	    strlen(agreement_id));
	if (found < 0)
		return NULL;
	ka_rebate_accruals(e, &total);
	{
		const struct agreement *a = &e->agreements[found];

		rows = ka_calloc(a->count * KA_REBATE_METHOD_COUNT,
		    sizeof(*rows));
		for (i = 0; i < a->count; i++) {
			size_t index = a->first + i;
			const struct instance *in = &e->instances[index];
			const struct ka_rebate_accrual *r = &e->accruals[index];
			ka_dec b = basis, prior;
			struct ka_rebate_value own;
			size_t first = n;

			if (customer_id != NULL &&
			    strcmp(r->customer_id, customer_id) != 0)
				continue;
			if (add && ka_dec_add(&b, r->basis) < 0)
				ka_die(KA_EXIT_DATA, "--add: the basis is out "
				    "of range");
			prior = prior_through(e, in, e->config.as_of);
			value_at(e, in, b, prior, &own);
			for (m = 0; m < KA_REBATE_METHOD_COUNT; m++) {
				struct ka_rebate_whatif *w;

				if (!ka_rebate_method_fits(
				    (enum ka_rebate_method)m, a->schedule.kind))
					continue;
				w = &rows[n++];
				w->instance = r;
				w->method = (enum ka_rebate_method)m;
				w->current = m == (int)a->method;
				w->basis = b;
				if (ka_rebate_evaluate(&a->schedule, w->method,
				    b, prior, a->has_cap, a->cap,
				    &w->value) < 0)
					ka_die(KA_EXIT_DATA, "the rebate of "
					    "agreement %s is out of range",
					    a->id);
				if (b > 0 && a->schedule.kind !=
				    KA_REBATE_RATE_SUM) {
					w->has_effective_rate = 1;
					w->effective_rate = effective_rate(
					    a->schedule.kind, w->value.earned,
					    b);
				}
			}
			for (; first < n; first++)
				rows[first].difference =
				    rows[first].value.earned - own.earned;
		}
	}
	*count = n;
	if (n == 0) {
		free(rows);
		return NULL;
	}
	return rows;
}

/* ---- writing ---- */

static void
put_money(ka_writer *w, ka_dec v)
{
	ka_writer_decimal(w, v, 2);
}

/* A basis: money in cents where exact, quantities as they are. */
static void
put_basis(ka_writer *w, enum ka_rebate_basis type, ka_dec v)
{
	if (type == KA_REBATE_BASIS_QTY)
		ka_writer_decimal(w, v, -1);
	else
		ka_writer_decimal(w, v, v % (KA_DEC_SCALE / 100) == 0 ? 2 : -1);
}

static void
put_empty(ka_writer *w)
{
	ka_writer_number(w, "", 0);
}

static void
put_date(ka_writer *w, ka_date d)
{
	char buf[KA_DATE_BUFSIZE];

	ka_writer_text(w, buf, ka_date_format(d, buf));
}

static void
put_rate(ka_writer *w, const struct ka_rebate_accrual *r, size_t tier,
    ka_dec rate)
{
	char buf[KA_DEC_BUFSIZE + 8];

	if (tier == 0)
		ka_writer_text(w, "", 0);
	else
		ka_writer_string(w, ka_rebate_rate_text(r->rate_kind, rate,
		    buf));
}

static void
put_effective(ka_writer *w, const struct ka_rebate_accrual *r, int has,
    ka_dec v)
{
	if (!has)
		put_empty(w);
	else
		ka_writer_decimal(w, v, r->rate_kind != KA_REBATE_RATE_UNIT ?
		    2 : v % (KA_DEC_SCALE / 100) == 0 ? 2 : -1);
}

static void
put_next(ka_writer *w, const struct ka_rebate_accrual *r,
    const struct ka_rebate_value *v)
{
	if (!v->has_next) {
		put_empty(w);
		put_empty(w);
		put_empty(w);
		return;
	}
	ka_writer_decimal(w, v->next_threshold, -1);
	put_basis(w, r->basis_type, v->volume_needed);
	put_money(w, v->extra_rebate);
}

static int
has_tiers(const ka_rebate *e)
{
	return e->naccounts > 0;
}

int
ka_rebate_is_near(const struct ka_rebate_accrual *r, ka_dec near_pct,
    ka_dec *gap_pct)
{
	wide num, q, rem;

	if (!r->started || r->ended || !r->value.has_next ||
	    r->value.next_threshold <= 0)
		return 0;
	num = (wide)r->value.volume_needed * 100 * KA_DEC_SCALE;
	q = num / r->value.next_threshold;
	rem = num % r->value.next_threshold;
	if (2 * rem >= r->value.next_threshold)
		q++;
	*gap_pct = ka_dec_round((ka_dec)q, 2);
	return *gap_pct <= near_pct;
}

void
ka_rebate_write_accruals(ka_rebate *e, ka_writer *w, ka_dec near_pct)
{
	static const char *const names[] = {
		"agreement_id", "customer_id", "customer", "tier", "method",
		"basis_type", "valid_from", "valid_to", "basis", "prior_basis",
		"rebate_tier", "rate", "effective_rate", "rebate", "earned",
		"settled", "accrual", "next_threshold", "volume_needed",
		"extra_rebate", "projected_basis", "projected_rebate", "note"
	};
	const char *header[sizeof(names) / sizeof(names[0])];
	const struct ka_rebate_accrual *rows;
	size_t i, n = 0, count;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (i != 3 || has_tiers(e))
			header[n++] = names[i];
	ka_writer_header(w, header, n);
	rows = ka_rebate_accruals(e, &count);
	for (i = 0; i < count; i++) {
		const struct ka_rebate_accrual *r = &rows[i];
		char note[512], cap[KA_DEC_BUFSIZE];
		ka_dec gap;
		size_t k = 0;

		if (near_pct >= 0 && !ka_rebate_is_near(r, near_pct, &gap))
			continue;
		ka_writer_string(w, r->agreement_id);
		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		if (has_tiers(e))
			ka_writer_string(w, r->tier);
		ka_writer_string(w, ka_rebate_method_name(r->method));
		ka_writer_string(w, ka_rebate_basis_name(r->basis_type));
		put_date(w, r->valid_from);
		put_date(w, r->valid_to);
		put_basis(w, r->basis_type, r->basis);
		if (r->has_prior)
			put_basis(w, r->basis_type, r->prior);
		else
			put_empty(w);
		ka_writer_integer(w, (long long)r->value.tier);
		put_rate(w, r, r->value.tier, r->rate);
		put_effective(w, r, r->has_effective_rate, r->effective_rate);
		put_money(w, r->value.rebate);
		put_money(w, r->earned);
		put_money(w, r->settled);
		put_money(w, r->accrual);
		put_next(w, r, &r->value);
		if (r->has_projection) {
			put_basis(w, r->basis_type, r->projected_basis);
			put_money(w, r->projected_rebate);
		} else {
			put_empty(w);
			put_empty(w);
		}
		note[0] = '\0';
		if (!r->started)
			k += (size_t)snprintf(note + k, sizeof(note) - k,
			    "not started");
		else if (r->ended)
			k += (size_t)snprintf(note + k, sizeof(note) - k,
			    "ended");
		if (r->value.capped) {
			ka_dec_format(r->cap, 2, cap);
			k += (size_t)snprintf(note + k, sizeof(note) - k,
			    "%scapped at %s", k ? "; " : "", cap);
		}
		if (r->paid_by != NULL && k < sizeof(note))
			snprintf(note + k, sizeof(note) - k, "%spaid by %s",
			    k ? "; " : "", r->paid_by);
		ka_writer_string(w, note);
		ka_writer_end_row(w);
	}
}

void
ka_rebate_write_settlements(ka_rebate *e, ka_writer *w,
    const struct ka_rebate_settlement *lines, size_t count)
{
	static const char *const names[] = {
		"agreement_id", "customer_id", "customer", "tier", "period",
		"period_end", "kind", "basis", "earned", "settled_before",
		"amount"
	};
	const char *header[sizeof(names) / sizeof(names[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (i != 3 || has_tiers(e))
			header[n++] = names[i];
	ka_writer_header(w, header, n);
	for (i = 0; i < count; i++) {
		const struct ka_rebate_settlement *s = &lines[i];
		const struct ka_rebate_accrual *r = s->instance;
		char buf[KA_PERIOD_BUFSIZE];

		ka_writer_string(w, r->agreement_id);
		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		if (has_tiers(e))
			ka_writer_string(w, r->tier);
		ka_period_format(&s->period, buf, sizeof(buf));
		ka_writer_string(w, buf);
		put_date(w, s->period.last);
		ka_writer_string(w, s->final ? "final" : "interim");
		put_basis(w, r->basis_type, s->basis);
		put_money(w, s->earned);
		put_money(w, s->settled_before);
		put_money(w, s->amount);
		ka_writer_end_row(w);
	}
}

void
ka_rebate_write_whatifs(ka_rebate *e, ka_writer *w,
    const struct ka_rebate_whatif *rows, size_t count)
{
	static const char *const names[] = {
		"agreement_id", "customer_id", "customer", "method", "current",
		"basis", "prior_basis", "rebate_tier", "rate", "rebate",
		"earned", "effective_rate", "difference", "next_threshold",
		"volume_needed", "extra_rebate"
	};
	size_t i;

	(void)e;
	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < count; i++) {
		const struct ka_rebate_whatif *x = &rows[i];
		const struct ka_rebate_accrual *r = x->instance;
		ka_writer_string(w, r->agreement_id);
		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		ka_writer_string(w, ka_rebate_method_name(x->method));
		ka_writer_string(w, x->current ? "yes" : "");
		put_basis(w, r->basis_type, x->basis);
		if (x->method == KA_REBATE_GROWTH)
			put_basis(w, r->basis_type, r->prior);
		else
			put_empty(w);
		ka_writer_integer(w, (long long)x->value.tier);
		put_rate(w, r, x->value.tier, x->value.tier > 0 ?
		    r->schedule->tier[x->value.tier - 1].rate : 0);
		put_money(w, x->value.rebate);
		put_money(w, x->value.earned);
		put_effective(w, r, x->has_effective_rate, x->effective_rate);
		put_money(w, x->difference);
		put_next(w, r, &x->value);
		ka_writer_end_row(w);
	}
}

/* ---- the report section ---- */

static int
compare_near(const void *pa, const void *pb)
{
	const struct ka_rebate_report_row *a = pa, *b = pb;

	if (a->gap_pct != b->gap_pct)
		return a->gap_pct < b->gap_pct ? -1 : 1;
	if (a->accrual->value.extra_rebate != b->accrual->value.extra_rebate)
		return a->accrual->value.extra_rebate >
		    b->accrual->value.extra_rebate ? -1 : 1;
	return a->accrual < b->accrual ? -1 : a->accrual > b->accrual;
}

int
ka_rebate_report(ka_rebate *e, ka_dec near_pct, struct ka_rebate_report *out)
{
	const struct ka_rebate_accrual *rows;
	size_t i, count;

	memset(out, 0, sizeof(*out));
	out->as_of = e->config.as_of;
	out->near_pct = near_pct;
	rows = ka_rebate_accruals(e, &count);
	out->instances = count;
	out->accruals = calloc(count + 1, sizeof(*out->accruals));
	out->near = calloc(count + 1, sizeof(*out->near));
	if (out->accruals == NULL || out->near == NULL) {
		ka_rebate_report_free(out);
		return -1;
	}
	for (i = 0; i < count; i++) {
		const struct ka_rebate_accrual *r = &rows[i];
		ka_dec gap;

		if (e->naccounts > 0 && ka_keys_find(e->account_ids,
		    r->customer_id, strlen(r->customer_id)) < 0)
			continue;
		out->accruals[out->naccruals].accrual = r;
		out->naccruals++;
		if (ka_dec_add(&out->earned, r->earned) < 0 ||
		    ka_dec_add(&out->settled, r->settled) < 0 ||
		    ka_dec_add(&out->accrual, r->accrual) < 0) {
			ka_rebate_report_free(out);
			return -1;
		}
		if (ka_rebate_is_near(r, near_pct, &gap)) {
			out->near[out->nnear].accrual = r;
			out->near[out->nnear].gap_pct = gap;
			out->nnear++;
		}
	}
	qsort(out->near, out->nnear, sizeof(*out->near), compare_near);
	return 0;
}

void
ka_rebate_report_free(struct ka_rebate_report *report)
{
	free(report->accruals);
	free(report->near);
	report->accruals = report->near = NULL;
	report->naccruals = report->nnear = 0;
}
