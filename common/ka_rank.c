#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_pieces.h"
#include "ka_rank.h"
#include "ka_text.h"

/*
 * Sums of ka_dec values times 10000 (percent) or times each other (the
 * cross-multiplications that compare ratios exactly) do not fit in 64
 * bits; GCC and Clang give 128.
 */
__extension__ typedef __int128 wide;

#define NONE_ID		UINT32_MAX
#define PERCENT_SCALE	((wide)100 * KA_DEC_SCALE)	/* ratio -> percent ka_dec */

enum { NOW, THEN, SLOTS };

/*
 * Active days of one group: one bit a day from base, a multiple of 64.
 * Up to DAY_SET_LOCAL words (a year and more) live in the set itself,
 * beside the group's sums, so adding a day touches no other memory;
 * wider spans move to the heap.  Empty while words is 0.
 */
#define DAY_SET_LOCAL 8

struct day_set {
	ka_date		 base;
	uint32_t	 words;
	uint64_t	*heap;		/* NULL: the words are in local */
	uint64_t	 local[DAY_SET_LOCAL];
};

/* A small owned string; none is "no invoice", which joins no order. */
struct text {
	char		*text;
	uint32_t	 length, capacity;
	int		 none;
};

/* Everything accumulated for one group in one period. */
struct sums {
	ka_dec		 revenue, cost, qty;
	uint64_t	 rows, orders, cost_missing, qty_missing;
	ka_date		 first, last;		/* of sales; KA_DATE_NONE */
	struct day_set	 days;
	struct text	 first_invoice, last_invoice;
};

/* A group row of a partial file, waiting to be folded in shard order. */
struct pending {
	char		*shard;
	size_t		 sequence;
	int		 slot;
	uint32_t	 group, name, stratum;
	struct sums	 sums;
};

/* What one row holds, once read. */
struct values {
	ka_dec		 amount, qty, cost;
	int		 has_qty, has_cost, is_return;
};

/* Where a tier boundary fell, for --explain and --summary. */
struct boundary {
	long		 last_in;	/* row index, -1 when none */
	long		 first_out;
};

/* One remembered date: its text (up to 16 bytes) and its value. */
struct date_memo {
	char		 text[16];
	size_t		 length;	/* 0: empty */
	ka_date		 value;
};

#define DATE_MEMO_SIZE 4096	/* a power of two */

struct ka_rank {
	struct ka_rank_config config;
	const char	*labels[KA_RANK_MAX_TIERS];

	/* Columns (0-based, -1 when absent) and their header names. */
	long		 column[KA_ROLE_COUNT];
	int		 present[KA_ROLE_COUNT];
	char		*column_name[KA_ROLE_COUNT];
	enum ka_role	 key_role;
	int		 name_role;	/* -1 when no name column */
	size_t		 null_length;

	/* Groups. */
	ka_keys		*keys;		/* group key -> dense id */
	ka_keys		*texts;		/* names and strata */
	size_t		 capacity;
	struct sums	*sums[SLOTS];
	uint32_t	*name_of, *stratum_of;

	/* Dates read, by their text: a file holds a few thousand days. */
	struct date_memo *date_memo;

	struct ka_rank_counts counts;
	char		 error[1400];
	size_t		 error_column;

	/* --merge */
	int		 merging;
	struct pending	*pending;
	size_t		 npending, pending_capacity;
	int		 have_meta;
	char		 meta_by[32], meta_period[KA_PERIOD_BUFSIZE],
			 meta_compare[KA_PERIOD_BUFSIZE],
			 meta_compare_text[KA_PERIOD_BUFSIZE + 8],
			 meta_as_of[KA_DATE_BUFSIZE], meta_stratify[32],
			 meta_columns[256];

	/* --prev */
	ka_keys		*previous_keys;
	int		*previous_tier;
	const char	*previous_file;

	/* Results. */
	int		 finished;
	struct ka_rank_row *rows;
	size_t		 nrows, nranked, nprevious;
	wide		 total, previous_total;
	int		 tiers;
	struct boundary	 boundary[KA_RANK_MAX_TIERS - 1];
	size_t		 held;
};

static const char *const default_labels[KA_RANK_MAX_TIERS] = { "A", "B",
	"C" };
static const char *const metric_names[KA_RANK_METRIC_COUNT] = { "revenue",
	"margin", "growth", "frequency", "recency", "tenure" };
static const char *const basis_names[] = { "revenue", "margin", "qty" };
static const char *const partial_columns[] = { "part", "shard", "key",
	"name", "stratum", "rows", "revenue", "cost", "qty", "cost_missing",
	"qty_missing", "orders", "first_invoice", "last_invoice",
	"first_order", "last_order", "days" };
enum {
	P_PART, P_SHARD, P_KEY, P_NAME, P_STRATUM, P_ROWS, P_REVENUE, P_COST,
	P_QTY, P_COST_MISSING, P_QTY_MISSING, P_ORDERS, P_FIRST_INVOICE,
	P_LAST_INVOICE, P_FIRST_ORDER, P_LAST_ORDER, P_DAYS, P_COLUMNS
};
static const char *const tally_names[] = { "used", "outside", "filtered",
	"unassigned", "rejected" };

/* ---- small helpers ---- */

static void
set_error(ka_rank *r, size_t column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(ka_rank *r, size_t column, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(r->error, sizeof(r->error), format, args);
	va_end(args);
	r->error_column = column;
}

/* memcmp for the short keys, dates and invoices of the hot path,
   inlined: words, and the last bytes as one overlapping word. */
static inline int
bytes_equal(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Sums that overflow are reported, never wrapped. */
static inline int
add_checked(ka_dec *sum, ka_dec value)
{
	return __builtin_add_overflow(*sum, value, sum) ? -1 : 0;
}

/* Half away from zero; den above zero. */
static wide
round_div(wide num, wide den)
{
	if (num >= 0)
		return (num + den / 2) / den;
	return -((-num + den / 2) / den);
}

static ka_dec
wide_percent(wide num, wide den)
{
	/* Hundredths of a percent, then the ka_dec scale. */
	return (ka_dec)(round_div(num * 10000, den) * (KA_DEC_SCALE / 100));
}

ka_dec
ka_rank_percent(ka_dec num, ka_dec den)
{
	return wide_percent(num, den);
}

static int
fits(wide v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

/* Money shows two places unless more are needed to be exact. */
static int
money_places(ka_dec value)
{
	return value % (KA_DEC_SCALE / 100) == 0 ? 2 : -1;
}

static size_t
format_money(ka_dec value, char *buf)
{
	return ka_dec_format(value, money_places(value), buf);
}

/* "80", "87.5": a percentage or factor the user gave. */
static const char *
shortest(ka_dec value, char *buf)
{
	ka_dec_format(value, -1, buf);
	return buf;
}

static const char *
ordinal(size_t n, char *buf, size_t size)
{
	const char *suffix = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suffix = "st";
		else if (n % 10 == 2)
			suffix = "nd";
		else if (n % 10 == 3)
			suffix = "rd";
	}
	snprintf(buf, size, "%zu%s", n, suffix);
	return buf;
}

/* ---- configuration ---- */

void
ka_rank_config_init(struct ka_rank_config *config)
{
	memset(config, 0, sizeof(*config));
	config->by = KA_ROLE_CUSTOMER_ID;
	config->basis = KA_RANK_BASIS_REVENUE;
	config->as_of = ka_date_today();
	config->tiering = KA_RANK_TIERS_ABC;
	config->abc[0] = 80 * KA_DEC_SCALE;
	config->abc[1] = 95 * KA_DEC_SCALE;
	config->lapsed_factor = 2 * KA_DEC_SCALE;
	config->declining_pct = 20 * KA_DEC_SCALE;
	config->concentration_pct = 15 * KA_DEC_SCALE;
	config->stratify = -1;
}

const char *
ka_rank_metric_name(enum ka_rank_metric metric)
{
	return metric_names[metric];
}

const char *
ka_rank_basis_name(enum ka_rank_basis basis)
{
	return basis_names[basis];
}

int
ka_rank_tier_count(const struct ka_rank_config *config)
{
	return config->tiering == KA_RANK_TIERS_ABC ? 3 : 2;
}

/* "customer" or "customers" as n says. */
static const char *
group_noun(enum ka_role role, size_t n)
{
	static const char *const singular[] = { "customer", "rep", "region",
		"city", "country", "owner", "sku", "product", "category",
		"group" };
	static const char *const plural[] = { "customers", "reps", "regions",
		"cities", "countries", "owners", "skus", "products",
		"categories", "groups" };
	const char *p = ka_rank_group_plural(role);
	size_t i;

	if (n != 1)
		return p;
	for (i = 0; i < sizeof(plural) / sizeof(plural[0]); i++)
		if (strcmp(p, plural[i]) == 0)
			return singular[i];
	return p;
}

const char *
ka_rank_group_plural(enum ka_role role)
{
	switch (role) {
	case KA_ROLE_CUSTOMER_ID:
	case KA_ROLE_CUSTOMER:
		return "customers";
	case KA_ROLE_REP:
		return "reps";
	case KA_ROLE_REGION:
		return "regions";
	case KA_ROLE_CITY:
		return "cities";
	case KA_ROLE_COUNTRY:
		return "countries";
	case KA_ROLE_OWNER:
		return "owners";
	case KA_ROLE_SKU:
		return "skus";
	case KA_ROLE_PRODUCT:
		return "products";
	case KA_ROLE_CATEGORY:
		return "categories";
	default:
		return "groups";
	}
}

int
ka_rank_parse_basis(struct ka_rank_config *config, const char *text,
    char *error, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(basis_names) / sizeof(basis_names[0]); i++)
		if (strcmp(text, basis_names[i]) == 0) {
			config->basis = (enum ka_rank_basis)i;
			return 0;
		}
	snprintf(error, size, "unknown --basis \"%s\" (revenue, margin, qty)",
	    text);
	return -1;
}

/* A percentage in 0..100 (0 allowed when zero_ok). */
static int
parse_percent(const char *text, size_t length, int zero_ok, ka_dec *out)
{
	ka_dec value;

	if (ka_dec_parse(text, length, 0, &value) != KA_DEC_OK)
		return -1;
	if (value < 0 || (value == 0 && !zero_ok) ||
	    value > 100 * KA_DEC_SCALE)
		return -1;
	*out = value;
	return 0;
}

int
ka_rank_parse_abc(struct ka_rank_config *config, const char *text,
    char *error, size_t size)
{
	const char *comma = strchr(text, ',');
	ka_dec a, b;

	if (comma == NULL || strchr(comma + 1, ',') != NULL ||
	    parse_percent(text, (size_t)(comma - text), 0, &a) < 0 ||
	    parse_percent(comma + 1, strlen(comma + 1), 0, &b) < 0) {
		snprintf(error, size, "bad --abc \"%s\": expected two "
		    "cumulative-share cut-offs in percent, like 80,95", text);
		return -1;
	}
	if (a >= b) {
		snprintf(error, size, "bad --abc \"%s\": the A cut-off must "
		    "be below the B cut-off", text);
		return -1;
	}
	config->abc[0] = a;
	config->abc[1] = b;
	return 0;
}

int
ka_rank_parse_labels(struct ka_rank_config *config, char *text,
    char *error, size_t size)
{
	char *labels[KA_RANK_MAX_TIERS + 1], *at = text, *comma;
	int n = 0, want = ka_rank_tier_count(config), i, j;

	for (;;) {
		if (n > KA_RANK_MAX_TIERS)
			break;
		labels[n++] = at;
		if ((comma = strchr(at, ',')) == NULL)
			break;
		*comma = '\0';
		at = comma + 1;
	}
	if (n != want) {
		snprintf(error, size, "bad --labels: %d tiers need %d labels "
		    "separated by commas", want, want);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (labels[i][0] == '\0') {
			snprintf(error, size, "bad --labels: a label is empty");
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(labels[i], labels[j]) == 0) {
				snprintf(error, size, "bad --labels: \"%s\" "
				    "twice", labels[i]);
				return -1;
			}
	}
	for (i = 0; i < n; i++)
		config->labels[i] = labels[i];
	return 0;
}

int
ka_rank_parse_score(struct ka_rank_config *config, const char *text,
    char *error, size_t size)
{
	const char *at = text;
	ka_dec weight[KA_RANK_METRIC_COUNT];
	int metric;

	memset(weight, 0, sizeof(weight));
	while (*at != '\0') {
		const char *end = strchr(at, ','), *colon;
		size_t length;

		if (end == NULL)
			end = at + strlen(at);
		colon = memchr(at, ':', (size_t)(end - at));
		length = (size_t)((colon != NULL ? colon : end) - at);
		for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++)
			if (strlen(metric_names[metric]) == length &&
			    memcmp(metric_names[metric], at, length) == 0)
				break;
		if (metric == KA_RANK_METRIC_COUNT) {
			snprintf(error, size, "bad --score \"%s\": unknown "
			    "metric \"%.*s\" (revenue, margin, growth, "
			    "frequency, recency, tenure)", text, (int)length,
			    at);
			return -1;
		}
		if (weight[metric] != 0) {
			snprintf(error, size, "bad --score \"%s\": %s twice",
			    text, metric_names[metric]);
			return -1;
		}
		if (colon == NULL) {
			weight[metric] = KA_DEC_SCALE;
		} else if (ka_dec_parse(colon + 1, (size_t)(end - colon - 1),
		    0, &weight[metric]) != KA_DEC_OK || weight[metric] <= 0 ||
		    weight[metric] > 1000 * KA_DEC_SCALE) {
			snprintf(error, size, "bad --score \"%s\": the weight "
			    "of %s must be a number above 0 and at most 1000",
			    text, metric_names[metric]);
			return -1;
		}
		at = *end == ',' ? end + 1 : end;
		if (*end == ',' && *at == '\0') {
			snprintf(error, size, "bad --score \"%s\": a metric is "
			    "missing after the last comma", text);
			return -1;
		}
	}
	for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++)
		if (weight[metric] != 0)
			break;
	if (metric == KA_RANK_METRIC_COUNT) {
		snprintf(error, size, "bad --score \"%s\": expected "
		    "metric:weight pairs, like revenue:2,recency:1", text);
		return -1;
	}
	memcpy(config->weight, weight, sizeof(weight));
	return 0;
}

int
ka_rank_parse_by(const char *text, enum ka_role *role, char *error,
    size_t size)
{
	static const enum ka_role allowed[] = { KA_ROLE_CUSTOMER_ID,
		KA_ROLE_REP, KA_ROLE_REGION, KA_ROLE_CITY, KA_ROLE_COUNTRY,
		KA_ROLE_OWNER, KA_ROLE_SKU, KA_ROLE_PRODUCT,
		KA_ROLE_CATEGORY };
	size_t i;

	if (strcmp(text, "customer") == 0 || strcmp(text, "customer_id") == 0) {
		*role = KA_ROLE_CUSTOMER_ID;
		return 0;
	}
	for (i = 1; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(text, ka_role_name(allowed[i])) == 0) {
			*role = allowed[i];
			return 0;
		}
	snprintf(error, size, "unknown role \"%s\" (customer, rep, region, "
	    "city, country, owner, sku, product, category)", text);
	return -1;
}

/* ---- active days ---- */

static ka_date
floor64(ka_date d)
{
	int64_t v = d;

	return (ka_date)((v >= 0 ? v / 64 : -((-v + 63) / 64)) * 64);
}

static inline uint64_t *
day_words(struct day_set *s)
{
	return s->heap != NULL ? s->heap : s->local;
}

static inline const uint64_t *
day_words_const(const struct day_set *s)
{
	return s->heap != NULL ? s->heap : s->local;
}

/* Makes the set cover [from, to) (multiples of 64). */
static void
day_set_cover(struct day_set *s, ka_date from, ka_date to)
{
	uint64_t moved[DAY_SET_LOCAL], *bits;
	ka_date low, high;
	uint32_t words;

	if (s->words == 0) {
		s->base = from;
		s->words = (uint32_t)(((int64_t)to - from) / 64);
		s->heap = s->words > DAY_SET_LOCAL ?
		    ka_calloc(s->words, sizeof(*s->heap)) : NULL;
		memset(s->local, 0, sizeof(s->local));
		return;
	}
	low = from < s->base ? from : s->base;
	high = (int64_t)s->base + (int64_t)s->words * 64 > to ?
	    (ka_date)((int64_t)s->base + (int64_t)s->words * 64) : to;
	if (low == s->base && (int64_t)high == (int64_t)s->base +
	    (int64_t)s->words * 64)
		return;
	words = (uint32_t)(((int64_t)high - low) / 64);
	if (words > DAY_SET_LOCAL) {
		bits = ka_calloc(words, sizeof(*bits));
	} else {
		memset(moved, 0, sizeof(moved));
		bits = moved;
	}
	memcpy(bits + ((int64_t)s->base - low) / 64, day_words(s),
	    s->words * sizeof(*bits));
	free(s->heap);
	if (bits == moved) {
		memcpy(s->local, moved, sizeof(s->local));
		s->heap = NULL;
	} else {
		s->heap = bits;
	}
	s->base = low;
	s->words = words;
}

static inline void
day_set_add(struct day_set *s, ka_date d)
{
	int64_t offset = (int64_t)d - s->base;

	if (s->words == 0 || offset < 0 ||
	    offset >= (int64_t)s->words * 64) {
		ka_date w = floor64(d);

		day_set_cover(s, w, (ka_date)((int64_t)w + 64));
		offset = (int64_t)d - s->base;
	}
	day_words(s)[offset >> 6] |= UINT64_C(1) << (offset & 63);
}

static int
day_set_has(const struct day_set *s, ka_date d)
{
	int64_t offset = (int64_t)d - s->base;

	if (s->words == 0 || offset < 0 || offset >= (int64_t)s->words * 64)
		return 0;
	return (day_words_const(s)[offset >> 6] >> (offset & 63)) & 1;
}

static void
day_set_merge(struct day_set *into, const struct day_set *from)
{
	const uint64_t *bits = day_words_const(from);
	uint64_t *to;
	uint32_t i;
	int64_t shift;

	if (from->words == 0)
		return;
	day_set_cover(into, from->base, (ka_date)((int64_t)from->base +
	    (int64_t)from->words * 64));
	shift = ((int64_t)from->base - into->base) / 64;
	to = day_words(into);
	for (i = 0; i < from->words; i++)
		to[shift + i] |= bits[i];
}

static unsigned long
day_set_count(const struct day_set *s)
{
	const uint64_t *bits = day_words_const(s);
	unsigned long n = 0;
	uint32_t i;

	for (i = 0; i < s->words; i++)
		n += (unsigned long)__builtin_popcountll(bits[i]);
	return n;
}

/* The days in order into *days (grown as needed); returns the count. */
static size_t
day_set_list(const struct day_set *s, ka_date **days, size_t *capacity)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < s->words; i++) {
		uint64_t w = day_words_const(s)[i];

		while (w != 0) {
			if (n == *capacity) {
				*capacity = *capacity * 2 + 64;
				*days = ka_realloc(*days, *capacity *
				    sizeof(**days));
			}
			(*days)[n++] = (ka_date)((int64_t)s->base + i * 64 +
			    __builtin_ctzll(w));
			w &= w - 1;
		}
	}
	return n;
}

/* ---- texts and sums ---- */

static void
text_set(struct text *t, const char *s, size_t n, int none)
{
	t->none = none;
	if (none) {
		t->length = 0;
		return;
	}
	if (n + 1 > t->capacity) {
		t->capacity = (uint32_t)(n + 16);
		t->text = ka_realloc(t->text, t->capacity);
	}
	memcpy(t->text, s, n);
	t->text[n] = '\0';
	t->length = (uint32_t)n;
}

static int
text_equal(const struct text *a, const struct text *b)
{
	return !a->none && !b->none && a->length == b->length &&
	    bytes_equal(a->text, b->text, a->length);
}

static void
sums_init(struct sums *s)
{
	memset(s, 0, sizeof(*s));
	s->first = s->last = KA_DATE_NONE;
	s->first_invoice.none = s->last_invoice.none = 1;
}

static void
sums_free(struct sums *s)
{
	free(s->days.heap);
	free(s->first_invoice.text);
	free(s->last_invoice.text);
}

static void
grow_groups(ka_rank *r, size_t need)
{
	size_t old = r->capacity, i;
	int slot;

	if (need <= old)
		return;
	r->capacity = old * 2 + 256;
	if (r->capacity < need)
		r->capacity = need;
	for (slot = 0; slot < SLOTS; slot++) {
		r->sums[slot] = ka_realloc(r->sums[slot], r->capacity *
		    sizeof(struct sums));
		for (i = old; i < r->capacity; i++)
			sums_init(&r->sums[slot][i]);
	}
	r->name_of = ka_realloc(r->name_of, r->capacity * sizeof(uint32_t));
	r->stratum_of = ka_realloc(r->stratum_of, r->capacity *
	    sizeof(uint32_t));
	for (i = old; i < r->capacity; i++)
		r->name_of[i] = r->stratum_of[i] = NONE_ID;
}

static uint32_t
group_of(ka_rank *r, const char *key, size_t length)
{
	uint32_t id = ka_keys_intern(r->keys, key, length, NULL);

	if (id >= r->capacity)
		grow_groups(r, (size_t)id + 1);
	return id;
}

/*
 * Appends src, which followed dst in the input, to dst: the one place
 * that knows how two stretches of a group's rows combine, used by the
 * merge of partial files.
 */
static int
sums_append(struct sums *dst, const struct sums *src)
{
	if (ka_dec_add(&dst->revenue, src->revenue) < 0 ||
	    ka_dec_add(&dst->cost, src->cost) < 0 ||
	    ka_dec_add(&dst->qty, src->qty) < 0)
		return -1;
	dst->rows += src->rows;
	dst->cost_missing += src->cost_missing;
	dst->qty_missing += src->qty_missing;
	if (src->orders > 0) {
		if (dst->orders == 0) {
			dst->orders = src->orders;
			text_set(&dst->first_invoice, src->first_invoice.text,
			    src->first_invoice.length,
			    src->first_invoice.none);
		} else {
			dst->orders += src->orders;
			/* One invoice split across the two stretches. */
			if (text_equal(&dst->last_invoice,
			    &src->first_invoice))
				dst->orders--;
		}
		text_set(&dst->last_invoice, src->last_invoice.text,
		    src->last_invoice.length, src->last_invoice.none);
	}
	if (src->first != KA_DATE_NONE && (dst->first == KA_DATE_NONE ||
	    src->first < dst->first))
		dst->first = src->first;
	if (src->last != KA_DATE_NONE && (dst->last == KA_DATE_NONE ||
	    src->last > dst->last))
		dst->last = src->last;
	day_set_merge(&dst->days, &src->days);
	return 0;
}

/* ---- life cycle and columns ---- */

ka_rank *
ka_rank_new(const struct ka_rank_config *config)
{
	ka_rank *r = ka_calloc(1, sizeof(*r));
	int i;

	r->config = *config;
	for (i = 0; i < KA_RANK_MAX_TIERS; i++)
		r->labels[i] = config->labels[i] != NULL ? config->labels[i] :
		    default_labels[i];
	for (i = 0; i < KA_ROLE_COUNT; i++)
		r->column[i] = -1;
	r->key_role = config->by;
	r->name_role = -1;
	r->null_length = config->null_string != NULL ?
	    strlen(config->null_string) : 0;
	r->keys = ka_keys_new();
	r->texts = ka_keys_new();
	r->tiers = ka_rank_tier_count(config);
	return r;
}

void
ka_rank_free(ka_rank *r)
{
	size_t i;
	int slot;

	if (r == NULL)
		return;
	for (slot = 0; slot < SLOTS; slot++) {
		for (i = 0; i < r->capacity; i++)
			sums_free(&r->sums[slot][i]);
		free(r->sums[slot]);
	}
	for (i = 0; i < r->npending; i++) {
		sums_free(&r->pending[i].sums);
		free(r->pending[i].shard);
	}
	free(r->pending);
	for (i = 0; i < KA_ROLE_COUNT; i++)
		free(r->column_name[i]);
	free(r->name_of);
	free(r->stratum_of);
	free(r->date_memo);
	free(r->previous_tier);
	ka_keys_free(r->previous_keys);
	ka_keys_free(r->keys);
	ka_keys_free(r->texts);
	free(r->rows);
	free(r);
}

static void
use_column(ka_rank *r, const ka_record *header,
    const struct ka_roles *roles, enum ka_role role)
{
	long c = roles->column[role];

	r->column[role] = c;
	r->present[role] = c >= 0;
	if (c >= 0 && r->column_name[role] == NULL)
		r->column_name[role] = ka_strdup(ka_field(header, (size_t)c));
}

int
ka_rank_bind(ka_rank *r, const ka_record *header,
    const struct ka_roles *roles, enum ka_role *missing)
{
	const struct ka_rank_config *c = &r->config;
	int metric;

	r->key_role = c->by;
	if (c->by == KA_ROLE_CUSTOMER_ID && roles->column[c->by] < 0 &&
	    roles->column[KA_ROLE_CUSTOMER] >= 0)
		r->key_role = KA_ROLE_CUSTOMER;
	if (roles->column[r->key_role] < 0) {
		*missing = r->key_role;
		return -1;
	}
	use_column(r, header, roles, r->key_role);
	if (r->key_role == KA_ROLE_CUSTOMER_ID &&
	    roles->column[KA_ROLE_CUSTOMER] >= 0)
		r->name_role = KA_ROLE_CUSTOMER;
	else if (r->key_role == KA_ROLE_SKU &&
	    roles->column[KA_ROLE_PRODUCT] >= 0)
		r->name_role = KA_ROLE_PRODUCT;
	if (r->name_role >= 0)
		use_column(r, header, roles, (enum ka_role)r->name_role);
	if (c->stratify >= 0) {
		if (roles->column[c->stratify] < 0) {
			*missing = (enum ka_role)c->stratify;
			return -1;
		}
		use_column(r, header, roles, (enum ka_role)c->stratify);
	}

	use_column(r, header, roles, KA_ROLE_DATE);
	use_column(r, header, roles, KA_ROLE_INVOICE);
	use_column(r, header, roles, KA_ROLE_AMOUNT);
	use_column(r, header, roles, KA_ROLE_QTY);
	use_column(r, header, roles, KA_ROLE_COST);
	if (r->column[KA_ROLE_AMOUNT] < 0) {
		/* No amount: qty x unit_price, or say that amount is wanted. */
		if (r->column[KA_ROLE_QTY] < 0 ||
		    roles->column[KA_ROLE_UNIT_PRICE] < 0) {
			*missing = KA_ROLE_AMOUNT;
			return -1;
		}
		use_column(r, header, roles, KA_ROLE_UNIT_PRICE);
	}
	if ((c->has_period || c->has_compare) && r->column[KA_ROLE_DATE] < 0) {
		*missing = KA_ROLE_DATE;
		return -1;
	}
	if (c->basis == KA_RANK_BASIS_MARGIN && r->column[KA_ROLE_COST] < 0) {
		*missing = KA_ROLE_COST;
		return -1;
	}
	if (c->basis == KA_RANK_BASIS_QTY && r->column[KA_ROLE_QTY] < 0) {
		*missing = KA_ROLE_QTY;
		return -1;
	}
	for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++) {
		if (c->weight[metric] == 0)
			continue;
		if (metric == KA_RANK_METRIC_MARGIN &&
		    r->column[KA_ROLE_COST] < 0) {
			*missing = KA_ROLE_COST;
			return -1;
		}
		if ((metric == KA_RANK_METRIC_RECENCY ||
		    metric == KA_RANK_METRIC_TENURE) &&
		    r->column[KA_ROLE_DATE] < 0) {
			*missing = KA_ROLE_DATE;
			return -1;
		}
	}
	return 0;
}

int
ka_rank_has_role(const ka_rank *r, enum ka_role role)
{
	return r->present[role];
}

const char *
ka_rank_key_name(const ka_rank *r)
{
	return ka_role_name(r->key_role);
}

const char *
ka_rank_error(const ka_rank *r)
{
	return r->error;
}

size_t
ka_rank_error_column(const ka_rank *r)
{
	return r->error_column;
}

const struct ka_rank_counts *
ka_rank_counts(const ka_rank *r)
{
	return &r->counts;
}

/* ---- reading rows ---- */

static int
is_null(const ka_rank *r, const char *text, size_t length)
{
	return r->config.null_string != NULL && length == r->null_length &&
	    memcmp(text, r->config.null_string, length) == 0;
}

static void
field_text(const ka_rank *r, const ka_record *rec, enum ka_role role,
    const char **text, size_t *length)
{
	size_t c = (size_t)r->column[role];

	*text = ka_field(rec, c);
	*length = ka_field_length(rec, c);
	ka_text_trim(text, length);
	if (is_null(r, *text, *length))
		*length = 0;
}

static void
bad_value(ka_rank *r, const ka_record *rec, enum ka_role role,
    const char *what)
{
	size_t c = (size_t)r->column[role];
	const char *text = ka_field(rec, c);
	size_t length = ka_field_length(rec, c);

	if (length == 0 || is_null(r, text, length))
		set_error(r, c + 1, "column %zu (%s): empty %s", c + 1,
		    r->column_name[role], ka_role_name(role));
	else
		set_error(r, c + 1, "column %zu (%s): %s: \"%.*s\"", c + 1,
		    r->column_name[role], what, (int)(length > 60 ? 60 :
		    length), text);
}

/* 1 read, 0 empty, -1 bad (message set). */
static int
read_number(ka_rank *r, const ka_record *rec, enum ka_role role,
    ka_dec *value)
{
	size_t c = (size_t)r->column[role];
	const char *text = ka_field(rec, c);
	size_t length = ka_field_length(rec, c);
	enum ka_dec_status status;

	if (is_null(r, text, length))
		return 0;
	status = ka_dec_parse(text, length, r->config.decimal_comma, value);
	if (status == KA_DEC_OK)
		return 1;
	if (status == KA_DEC_EMPTY)
		return 0;
	bad_value(r, rec, role, ka_dec_status_text(status));
	return -1;
}

/*
 * Where text is remembered in the date memo (16 bytes at most): its
 * first and last 8 bytes, mixed inline, as this runs for every row.
 */
static inline size_t
date_slot(const char *text, size_t length)
{
	uint64_t a = 0, b = 0;

	if (length >= 8) {
		memcpy(&a, text, 8);
		memcpy(&b, text + length - 8, 8);
	} else {
		memcpy(&a, text, length);
	}
	return (size_t)ka_hash_mix(a ^ (b << 1 | b >> 63) ^ length) &
	    (DATE_MEMO_SIZE - 1);
}

static int
read_date(ka_rank *r, const ka_record *rec, ka_date *date)
{
	size_t c = (size_t)r->column[KA_ROLE_DATE];
	const char *text = ka_field(rec, c);
	size_t length = ka_field_length(rec, c);
	struct date_memo *memo = NULL;
	int bad;

	if (length > 0 && length <= sizeof(memo->text)) {
		if (r->date_memo == NULL)
			r->date_memo = ka_calloc(DATE_MEMO_SIZE,
			    sizeof(*r->date_memo));
		memo = &r->date_memo[date_slot(text, length)];
		if (memo->length == length &&
		    bytes_equal(text, memo->text, length)) {
			*date = memo->value;
			return 0;
		}
	}
	/* Built-in forms first, then --date-format, as ka_cli_date(). */
	if (is_null(r, text, length))
		bad = 1;
	else
		bad = ka_date_parse(text, length, date) < 0 &&
		    (r->config.date_format == NULL ||
		    ka_date_parse_format(text, length, r->config.date_format,
		    date) < 0);
	if (bad) {
		bad_value(r, rec, KA_ROLE_DATE, "not a date");
		return -1;
	}
	if (memo != NULL) {
		memcpy(memo->text, text, length);
		memo->length = length;
		memo->value = *date;
	}
	return 0;
}

/* The row's amount, qty and cost; -1 when one is bad (message set). */
static int
read_values(ka_rank *r, const ka_record *rec, struct values *v)
{
	int got;

	v->has_qty = v->has_cost = 0;
	if (r->column[KA_ROLE_QTY] >= 0) {
		if ((got = read_number(r, rec, KA_ROLE_QTY, &v->qty)) < 0)
			return -1;
		v->has_qty = got;
	}
	if (r->column[KA_ROLE_AMOUNT] >= 0) {
		if ((got = read_number(r, rec, KA_ROLE_AMOUNT,
		    &v->amount)) <= 0) {
			if (got == 0)
				bad_value(r, rec, KA_ROLE_AMOUNT, "empty");
			return -1;
		}
	} else {
		ka_dec price;

		if (!v->has_qty) {
			bad_value(r, rec, KA_ROLE_QTY, "empty");
			return -1;
		}
		if ((got = read_number(r, rec, KA_ROLE_UNIT_PRICE,
		    &price)) <= 0) {
			if (got == 0)
				bad_value(r, rec, KA_ROLE_UNIT_PRICE, "empty");
			return -1;
		}
		if (ka_dec_mul(v->qty, price, &v->amount) < 0) {
			size_t c = (size_t)r->column[KA_ROLE_UNIT_PRICE];

			set_error(r, c + 1, "column %zu (%s): qty x unit_price "
			    "is out of range", c + 1,
			    r->column_name[KA_ROLE_UNIT_PRICE]);
			return -1;
		}
	}
	if (!v->has_qty && r->config.basis == KA_RANK_BASIS_QTY) {
		bad_value(r, rec, KA_ROLE_QTY, "empty");
		return -1;
	}
	if (r->column[KA_ROLE_COST] >= 0) {
		if ((got = read_number(r, rec, KA_ROLE_COST, &v->cost)) < 0)
			return -1;
		v->has_cost = got;
		if (!got && r->config.basis == KA_RANK_BASIS_MARGIN) {
			bad_value(r, rec, KA_ROLE_COST, "empty");
			return -1;
		}
	}
	v->is_return = v->amount < 0 || (v->has_qty && v->qty < 0);
	return 0;
}

/* The amount of any row, where it can be read, for reconciliation. */
static int
amount_of(ka_rank *r, const ka_record *rec, ka_dec *amount)
{
	long a = r->column[KA_ROLE_AMOUNT], q = r->column[KA_ROLE_QTY],
	    p = r->column[KA_ROLE_UNIT_PRICE];
	int decimal_comma = r->config.decimal_comma;
	ka_dec qty, price;

	if (a >= 0)
		return (size_t)a < rec->nfields &&
		    ka_dec_parse(ka_field(rec, (size_t)a),
		    ka_field_length(rec, (size_t)a), decimal_comma,
		    amount) == KA_DEC_OK;
	if (q < 0 || p < 0 || (size_t)q >= rec->nfields ||
	    (size_t)p >= rec->nfields)
		return 0;
	return ka_dec_parse(ka_field(rec, (size_t)q),
	    ka_field_length(rec, (size_t)q), decimal_comma, &qty) ==
	    KA_DEC_OK && ka_dec_parse(ka_field(rec, (size_t)p),
	    ka_field_length(rec, (size_t)p), decimal_comma, &price) ==
	    KA_DEC_OK && ka_dec_mul(qty, price, amount) == 0;
}

static void
tally(struct ka_rank_tally *t, int readable, ka_dec amount)
{
	t->rows++;
	if (!readable)
		t->unreadable++;
	else if (!t->overflow && add_checked(&t->amount, amount) < 0)
		t->overflow = 1;
}

static void
tally_row(ka_rank *r, struct ka_rank_tally *t, int readable, ka_dec amount)
{
	tally(t, readable, amount);
	tally(&r->counts.read, readable, amount);
}

static void
tally_unread(ka_rank *r, struct ka_rank_tally *t, const ka_record *rec)
{
	ka_dec amount = 0;
	int readable = amount_of(r, rec, &amount);

	tally_row(r, t, readable, amount);
}

void
ka_rank_reject(ka_rank *r, const ka_record *rec)
{
	tally_unread(r, &r->counts.rejected, rec);
}

static enum ka_rank_verdict
overflow(ka_rank *r, const ka_record *rec, uint32_t group, const char *what)
{
	snprintf(r->error, sizeof(r->error), "%s:%lu: the %s of %s %s "
	    "overflows", rec->file, rec->line, what, ka_role_name(r->key_role),
	    ka_keys_text(r->keys, group));
	r->error_column = 0;
	return KA_RANK_FATAL;
}

static enum ka_rank_verdict
accumulate(ka_rank *r, struct sums *s, const struct values *v, ka_date date,
    const struct text *invoice, const ka_record *rec, uint32_t group)
{
	if (add_checked(&s->revenue, v->amount) < 0)
		return overflow(r, rec, group, "revenue");
	if (v->has_cost) {
		if (add_checked(&s->cost, v->cost) < 0)
			return overflow(r, rec, group, "cost");
	} else if (r->column[KA_ROLE_COST] >= 0) {
		s->cost_missing++;
	}
	if (v->has_qty) {
		if (add_checked(&s->qty, v->qty) < 0)
			return overflow(r, rec, group, "qty");
	} else if (r->column[KA_ROLE_QTY] >= 0) {
		s->qty_missing++;
	}
	s->rows++;
	if (v->is_return)
		return KA_RANK_USED;
	if (date != KA_DATE_NONE) {
		if (s->first == KA_DATE_NONE || date < s->first)
			s->first = date;
		if (s->last == KA_DATE_NONE || date > s->last)
			s->last = date;
		day_set_add(&s->days, date);
	}
	if (s->orders == 0) {
		s->orders = 1;
		text_set(&s->first_invoice, invoice->text, invoice->length,
		    invoice->none);
		text_set(&s->last_invoice, invoice->text, invoice->length,
		    invoice->none);
	} else if (!text_equal(&s->last_invoice, invoice)) {
		s->orders++;
		text_set(&s->last_invoice, invoice->text, invoice->length,
		    invoice->none);
	}
	return KA_RANK_USED;
}

static uint32_t
intern_text(ka_rank *r, const ka_record *rec, int role)
{
	const char *text;
	size_t length;

	field_text(r, rec, (enum ka_role)role, &text, &length);
	if (length == 0)
		return NONE_ID;
	return ka_keys_intern(r->texts, text, length, NULL);
}

enum ka_rank_verdict
ka_rank_add(ka_rank *r, const ka_record *rec)
{
	const struct ka_rank_config *c = &r->config;
	ka_date date = KA_DATE_NONE;
	int in_now = 1, in_then = 0;
	struct values v;
	struct text invoice;
	const char *key;
	size_t key_length;
	uint32_t group;
	enum ka_rank_verdict verdict;

	if (c->filter != NULL && ka_filter_count(c->filter) > 0) {
		int passed = ka_filter_match(c->filter, rec, r->error,
		    sizeof(r->error));

		if (passed < 0)
			return KA_RANK_FATAL;
		if (!passed) {
			tally_unread(r, &r->counts.filtered, rec);
			return KA_RANK_FILTERED;
		}
	}
	if (r->column[KA_ROLE_DATE] >= 0) {
		if (read_date(r, rec, &date) < 0)
			return KA_RANK_BAD;
		if (c->has_period)
			in_now = ka_period_contains(&c->period, date);
		in_then = c->has_compare &&
		    ka_period_contains(&c->compare, date);
		if (!in_now && !in_then) {
			tally_unread(r, &r->counts.outside, rec);
			return KA_RANK_OUTSIDE;
		}
	}
	if (read_values(r, rec, &v) < 0)
		return KA_RANK_BAD;
	field_text(r, rec, r->key_role, &key, &key_length);
	if (key_length == 0) {
		tally_row(r, &r->counts.unassigned, 1, v.amount);
		set_error(r, (size_t)r->column[r->key_role] + 1, "no %s",
		    ka_role_name(r->key_role));
		return KA_RANK_UNASSIGNED;
	}
	invoice.none = 1;
	invoice.length = 0;
	invoice.text = NULL;
	if (r->column[KA_ROLE_INVOICE] >= 0) {
		const char *text;
		size_t length;

		field_text(r, rec, KA_ROLE_INVOICE, &text, &length);
		if (length > 0) {
			invoice.none = 0;
			invoice.text = (char *)(uintptr_t)text;
			invoice.length = (uint32_t)length;
		}
	}
	group = group_of(r, key, key_length);
	if (r->name_role >= 0 && r->name_of[group] == NONE_ID)
		r->name_of[group] = intern_text(r, rec, r->name_role);
	if (c->stratify >= 0 && r->stratum_of[group] == NONE_ID)
		r->stratum_of[group] = intern_text(r, rec, c->stratify);
	if (in_now && (verdict = accumulate(r, &r->sums[NOW][group], &v, date,
	    &invoice, rec, group)) != KA_RANK_USED)
		return verdict;
	if (in_then && (verdict = accumulate(r, &r->sums[THEN][group], &v,
	    date, &invoice, rec, group)) != KA_RANK_USED)
		return verdict;
	tally_row(r, &r->counts.used, 1, v.amount);
	return KA_RANK_USED;
}

/* ---- partial files ---- */

static void
put_date(ka_writer *w, ka_date d)
{
	char buf[KA_DATE_BUFSIZE];

	if (d == KA_DATE_NONE) {
		ka_writer_text(w, "", 0);
		return;
	}
	ka_writer_text(w, buf, ka_date_format(d, buf));
}

static void
put_text_or_empty(ka_writer *w, const ka_keys *keys, uint32_t id)
{
	if (id == NONE_ID)
		ka_writer_text(w, "", 0);
	else
		ka_writer_text(w, ka_keys_text(keys, id),
		    ka_keys_length(keys, id));
}

static void
put_meta(ka_writer *w, const char *shard, const char *name,
    const char *value)
{
	int i;

	ka_writer_string(w, "meta");
	ka_writer_string(w, shard);
	ka_writer_string(w, name);
	ka_writer_string(w, value);
	for (i = P_STRATUM; i < P_COLUMNS; i++)
		ka_writer_text(w, "", 0);
	ka_writer_end_row(w);
}

/* The days from first to last as hex, 4 days a digit, earliest in bit 0. */
static void
put_days(ka_writer *w, const struct sums *s)
{
	static const char hex[] = "0123456789abcdef";
	char *text;
	size_t n, i;
	int64_t span;

	if (s->first == KA_DATE_NONE) {
		ka_writer_text(w, "", 0);
		return;
	}
	span = (int64_t)s->last - s->first + 1;
	n = (size_t)((span + 3) / 4);
	text = ka_realloc(NULL, n);
	for (i = 0; i < n; i++) {
		int digit = 0, bit;

		for (bit = 0; bit < 4; bit++)
			if (day_set_has(&s->days, (ka_date)(s->first +
			    (int64_t)i * 4 + bit)))
				digit |= 1 << bit;
		text[i] = hex[digit];
	}
	ka_writer_text(w, text, n);
	free(text);
}

static void
put_sums(ka_rank *r, ka_writer *w, const char *shard, int slot,
    uint32_t group, const struct sums *s)
{
	char buf[KA_DEC_BUFSIZE];

	ka_writer_string(w, slot == NOW ? "now" : "then");
	ka_writer_string(w, shard);
	ka_writer_text(w, ka_keys_text(r->keys, group),
	    ka_keys_length(r->keys, group));
	put_text_or_empty(w, r->texts, r->name_of[group]);
	put_text_or_empty(w, r->texts, r->stratum_of[group]);
	ka_writer_integer(w, (long long)s->rows);
	ka_writer_number(w, buf, ka_dec_format(s->revenue, -1, buf));
	if (r->present[KA_ROLE_COST])
		ka_writer_number(w, buf, ka_dec_format(s->cost, -1, buf));
	else
		ka_writer_number(w, "", 0);
	if (r->present[KA_ROLE_QTY])
		ka_writer_number(w, buf, ka_dec_format(s->qty, -1, buf));
	else
		ka_writer_number(w, "", 0);
	ka_writer_integer(w, (long long)s->cost_missing);
	ka_writer_integer(w, (long long)s->qty_missing);
	ka_writer_integer(w, (long long)s->orders);
	ka_writer_text(w, s->first_invoice.none ? "" : s->first_invoice.text,
	    s->first_invoice.length);
	ka_writer_text(w, s->last_invoice.none ? "" : s->last_invoice.text,
	    s->last_invoice.length);
	put_date(w, s->first);
	put_date(w, s->last);
	put_days(w, s);
	ka_writer_end_row(w);
}

static void
columns_text(const ka_rank *r, char *buf, size_t size)
{
	static const enum ka_role roles[] = { KA_ROLE_CUSTOMER,
		KA_ROLE_PRODUCT, KA_ROLE_DATE, KA_ROLE_INVOICE, KA_ROLE_QTY,
		KA_ROLE_COST };
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		enum ka_role role = roles[i];
		int has = r->present[role];

		if (role == KA_ROLE_CUSTOMER || role == KA_ROLE_PRODUCT)
			has = r->name_role == (int)role;
		if (has && used < size)
			used += (size_t)snprintf(buf + used, size - used,
			    "%s%s", used ? " " : "", ka_role_name(role));
	}
}

void
ka_rank_write_partial(ka_rank *r, ka_writer *w, const char *shard)
{
	const struct ka_rank_config *c = &r->config;
	const struct ka_rank_tally *tallies[] = { &r->counts.used,
		&r->counts.outside, &r->counts.filtered,
		&r->counts.unassigned, &r->counts.rejected };
	char buf[KA_PERIOD_BUFSIZE + 8], amount[KA_DEC_BUFSIZE];
	size_t i, groups = ka_keys_count(r->keys);
	int slot, k;

	if (shard == NULL)
		shard = "";
	ka_writer_header(w, partial_columns, P_COLUMNS);
	put_meta(w, shard, "format", "1");
	put_meta(w, shard, "by", ka_role_name(r->key_role));
	buf[0] = '\0';
	if (c->has_period)
		ka_period_format(&c->period, buf, sizeof(buf));
	put_meta(w, shard, "period", buf);
	buf[0] = '\0';
	if (c->has_compare)
		ka_period_format(&c->compare, buf, sizeof(buf));
	put_meta(w, shard, "compare", buf);
	put_meta(w, shard, "compare_text", c->has_compare ? c->compare_text :
	    "");
	ka_date_format(c->as_of, buf);
	put_meta(w, shard, "as_of", buf);
	put_meta(w, shard, "stratify", c->stratify >= 0 ?
	    ka_role_name((enum ka_role)c->stratify) : "");
	columns_text(r, buf, sizeof(buf));
	put_meta(w, shard, "columns", buf);
	for (k = 0; k < 5; k++) {
		ka_writer_string(w, "count");
		ka_writer_string(w, shard);
		ka_writer_string(w, tally_names[k]);
		ka_writer_text(w, "", 0);
		ka_writer_text(w, "", 0);
		ka_writer_integer(w, (long long)tallies[k]->rows);
		if (tallies[k]->overflow)
			ka_writer_number(w, "", 0);
		else
			ka_writer_number(w, amount,
			    ka_dec_format(tallies[k]->amount, -1, amount));
		for (i = P_COST; i < P_ORDERS; i++)
			ka_writer_text(w, "", 0);
		ka_writer_integer(w, (long long)tallies[k]->unreadable);
		for (i = P_FIRST_INVOICE; i < P_COLUMNS; i++)
			ka_writer_text(w, "", 0);
		ka_writer_end_row(w);
	}
	for (slot = 0; slot < SLOTS; slot++)
		for (i = 0; i < groups; i++)
			if (r->sums[slot][i].rows > 0)
				put_sums(r, w, shard, slot, (uint32_t)i,
				    &r->sums[slot][i]);
}

static int
bad_partial(ka_rank *r, const ka_record *rec, const char *what)
{
	snprintf(r->error, sizeof(r->error), "%s:%lu: not a ka-rank partial "
	    "row: %s", rec->file, rec->line, what);
	return -1;
}

static int
partial_number(const ka_record *rec, int column, ka_dec *value)
{
	return ka_dec_parse(ka_field(rec, (size_t)column),
	    ka_field_length(rec, (size_t)column), 0, value) == KA_DEC_OK;
}

static int
partial_count(const ka_record *rec, int column, uint64_t *value)
{
	const char *text = ka_field(rec, (size_t)column);
	size_t length = ka_field_length(rec, (size_t)column), i;
	uint64_t v = 0;

	if (length == 0 || length > 19)
		return 0;
	for (i = 0; i < length; i++) {
		if (text[i] < '0' || text[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	*value = v;
	return 1;
}

static int
partial_date(const ka_record *rec, int column, ka_date *date)
{
	size_t length = ka_field_length(rec, (size_t)column);

	if (length == 0) {
		*date = KA_DATE_NONE;
		return 1;
	}
	return ka_date_parse(ka_field(rec, (size_t)column), length, date) == 0;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
read_days(struct sums *s, const ka_record *rec)
{
	const char *text = ka_field(rec, P_DAYS);
	size_t length = ka_field_length(rec, P_DAYS), i;
	int bit;

	if (s->first == KA_DATE_NONE)
		return length == 0;
	if (length != (size_t)(((int64_t)s->last - s->first + 1 + 3) / 4))
		return 0;
	for (i = 0; i < length; i++) {
		int digit = hex_digit(text[i]);

		if (digit < 0)
			return 0;
		for (bit = 0; bit < 4; bit++)
			if (digit & (1 << bit))
				day_set_add(&s->days, (ka_date)(s->first +
				    (int64_t)i * 4 + bit));
	}
	return 1;
}

static int
merge_meta(ka_rank *r, const ka_record *rec)
{
	static const char *const names[] = { "format", "by", "period",
		"compare", "compare_text", "as_of", "stratify", "columns" };
	char *slots[] = { NULL, r->meta_by, r->meta_period, r->meta_compare,
		r->meta_compare_text, r->meta_as_of, r->meta_stratify,
		r->meta_columns };
	size_t sizes[] = { 0, sizeof(r->meta_by), sizeof(r->meta_period),
		sizeof(r->meta_compare), sizeof(r->meta_compare_text),
		sizeof(r->meta_as_of), sizeof(r->meta_stratify),
		sizeof(r->meta_columns) };
	const char *name = ka_field(rec, P_KEY), *value = ka_field(rec, P_NAME);
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) != 0)
			continue;
		if (i == 0) {
			if (strcmp(value, "1") != 0)
				return bad_partial(r, rec, "unknown format");
			return 0;
		}
		if (strlen(value) >= sizes[i])
			return bad_partial(r, rec, "setting too long");
		/* A setting's first value rules; every file must agree. */
		if (r->have_meta & (1 << i)) {
			if (strcmp(slots[i], value) != 0) {
				snprintf(r->error, sizeof(r->error), "%s:%lu: "
				    "partial files disagree: %s is \"%s\" "
				    "here, \"%s\" before", rec->file,
				    rec->line, name, value, slots[i]);
				return -1;
			}
			return 0;
		}
		strcpy(slots[i], value);
		r->have_meta |= 1 << i;
		/* --prev needs the key column's name before the finish. */
		if (i == 1 && ka_role_from_name(value) >= 0)
			r->key_role = (enum ka_role)ka_role_from_name(value);
		return 0;
	}
	return bad_partial(r, rec, "unknown setting");
}

static int
merge_count(ka_rank *r, const ka_record *rec)
{
	struct ka_rank_tally *tallies[] = { &r->counts.used,
		&r->counts.outside, &r->counts.filtered,
		&r->counts.unassigned, &r->counts.rejected };
	const char *name = ka_field(rec, P_KEY);
	uint64_t rows, unreadable;
	ka_dec amount = 0;
	int k, overflowed;

	for (k = 0; k < 5; k++)
		if (strcmp(name, tally_names[k]) == 0)
			break;
	if (k == 5 || !partial_count(rec, P_ROWS, &rows) ||
	    !partial_count(rec, P_ORDERS, &unreadable))
		return bad_partial(r, rec, "bad count");
	overflowed = ka_field_length(rec, P_REVENUE) == 0;
	if (!overflowed && !partial_number(rec, P_REVENUE, &amount))
		return bad_partial(r, rec, "bad amount");
	tallies[k]->rows += rows;
	r->counts.read.rows += rows;
	tallies[k]->unreadable += unreadable;
	r->counts.read.unreadable += unreadable;
	if (overflowed) {
		tallies[k]->overflow = r->counts.read.overflow = 1;
	} else {
		if (ka_dec_add(&tallies[k]->amount, amount) < 0)
			tallies[k]->overflow = 1;
		if (ka_dec_add(&r->counts.read.amount, amount) < 0)
			r->counts.read.overflow = 1;
	}
	return 0;
}

int
ka_rank_merge_record(ka_rank *r, const ka_record *rec)
{
	struct pending *p;
	const char *part;
	size_t length;
	int slot;

	r->merging = 1;
	if (rec->nfields != P_COLUMNS)
		return bad_partial(r, rec, "wrong number of columns");
	part = ka_field(rec, P_PART);
	if (strcmp(part, "part") == 0)
		return 0;	/* a header line, wherever a sort put it */
	if (strcmp(part, "meta") == 0)
		return merge_meta(r, rec);
	if (strcmp(part, "count") == 0)
		return merge_count(r, rec);
	if (strcmp(part, "now") == 0)
		slot = NOW;
	else if (strcmp(part, "then") == 0)
		slot = THEN;
	else
		return bad_partial(r, rec, "unknown part");
	if (ka_field_length(rec, P_KEY) == 0)
		return bad_partial(r, rec, "empty key");
	if (r->npending == r->pending_capacity) {
		r->pending_capacity = r->pending_capacity * 2 + 256;
		r->pending = ka_realloc(r->pending, r->pending_capacity *
		    sizeof(*r->pending));
	}
	p = &r->pending[r->npending];
	memset(p, 0, sizeof(*p));
	sums_init(&p->sums);
	p->shard = ka_strdup(ka_field(rec, P_SHARD));
	p->sequence = r->npending++;
	p->slot = slot;
	p->group = ka_keys_intern(r->keys, ka_field(rec, P_KEY),
	    ka_field_length(rec, P_KEY), NULL);
	grow_groups(r, (size_t)p->group + 1);
	length = ka_field_length(rec, P_NAME);
	p->name = length ? ka_keys_intern(r->texts, ka_field(rec, P_NAME),
	    length, NULL) : NONE_ID;
	length = ka_field_length(rec, P_STRATUM);
	p->stratum = length ? ka_keys_intern(r->texts,
	    ka_field(rec, P_STRATUM), length, NULL) : NONE_ID;
	if (!partial_count(rec, P_ROWS, &p->sums.rows) ||
	    !partial_number(rec, P_REVENUE, &p->sums.revenue) ||
	    (ka_field_length(rec, P_COST) > 0 &&
	    !partial_number(rec, P_COST, &p->sums.cost)) ||
	    (ka_field_length(rec, P_QTY) > 0 &&
	    !partial_number(rec, P_QTY, &p->sums.qty)) ||
	    !partial_count(rec, P_COST_MISSING, &p->sums.cost_missing) ||
	    !partial_count(rec, P_QTY_MISSING, &p->sums.qty_missing) ||
	    !partial_count(rec, P_ORDERS, &p->sums.orders) ||
	    !partial_date(rec, P_FIRST_ORDER, &p->sums.first) ||
	    !partial_date(rec, P_LAST_ORDER, &p->sums.last) ||
	    (p->sums.first == KA_DATE_NONE) != (p->sums.last == KA_DATE_NONE) ||
	    (p->sums.first != KA_DATE_NONE && p->sums.first > p->sums.last) ||
	    !read_days(&p->sums, rec))
		return bad_partial(r, rec, "bad figures");
	length = ka_field_length(rec, P_FIRST_INVOICE);
	text_set(&p->sums.first_invoice, ka_field(rec, P_FIRST_INVOICE),
	    length, length == 0);
	length = ka_field_length(rec, P_LAST_INVOICE);
	text_set(&p->sums.last_invoice, ka_field(rec, P_LAST_INVOICE),
	    length, length == 0);
	return 0;
}

int
ka_rank_shard_compare(const char *a, const char *b)
{
	return ka_keys_natural_compare(a, b);
}

static int
compare_pending(const void *x, const void *y)
{
	const struct pending *a = x, *b = y;
	int c = ka_rank_shard_compare(a->shard, b->shard);

	if (c != 0)
		return c;
	return a->sequence < b->sequence ? -1 : a->sequence > b->sequence;
}

static int
has_column_word(const char *columns, const char *word)
{
	size_t n = strlen(word);
	const char *at = columns;

	while ((at = strstr(at, word)) != NULL) {
		if ((at == columns || at[-1] == ' ') &&
		    (at[n] == ' ' || at[n] == '\0'))
			return 1;
		at += n;
	}
	return 0;
}

/* Takes the settings from the partial files; a conflict is an error. */
static int
adopt_meta(ka_rank *r, char *error, size_t size)
{
	struct ka_rank_config *c = &r->config;
	char mine[KA_PERIOD_BUFSIZE];
	int role;

	if (!(r->have_meta & 2)) {
		snprintf(error, size, "no partial rows in the input (make "
		    "them with ka-rank --partial)");
		return -1;
	}
	role = ka_role_from_name(r->meta_by);
	if (role < 0) {
		snprintf(error, size, "partial files: unknown role \"%s\"",
		    r->meta_by);
		return -1;
	}
	if ((c->given & KA_RANK_GIVEN_BY) && !(role == (int)c->by ||
	    (c->by == KA_ROLE_CUSTOMER_ID && role == KA_ROLE_CUSTOMER))) {
		snprintf(error, size, "the partial files rank by %s, not by "
		    "%s", r->meta_by, ka_role_name(c->by));
		return -1;
	}
	r->key_role = (enum ka_role)role;
	mine[0] = '\0';
	if (c->has_period)
		ka_period_format(&c->period, mine, sizeof(mine));
	if ((c->given & KA_RANK_GIVEN_PERIOD) &&
	    strcmp(mine, r->meta_period) != 0) {
		snprintf(error, size, "the partial files hold the period "
		    "\"%s\", not \"%s\"", r->meta_period, mine);
		return -1;
	}
	c->has_period = r->meta_period[0] != '\0';
	if (c->has_period && ka_period_parse(r->meta_period, KA_DATE_NONE,
	    &c->period, NULL, 0) < 0) {
		snprintf(error, size, "partial files: bad period \"%s\"",
		    r->meta_period);
		return -1;
	}
	mine[0] = '\0';
	if (c->has_compare)
		ka_period_format(&c->compare, mine, sizeof(mine));
	if ((c->given & KA_RANK_GIVEN_COMPARE) &&
	    strcmp(mine, r->meta_compare) != 0) {
		snprintf(error, size, "the partial files compare with "
		    "\"%s\", not \"%s\"", r->meta_compare[0] ?
		    r->meta_compare : "nothing", mine);
		return -1;
	}
	c->has_compare = r->meta_compare[0] != '\0';
	if (c->has_compare && ka_period_parse(r->meta_compare, KA_DATE_NONE,
	    &c->compare, NULL, 0) < 0) {
		snprintf(error, size, "partial files: bad period \"%s\"",
		    r->meta_compare);
		return -1;
	}
	snprintf(c->compare_text, sizeof(c->compare_text), "%s",
	    r->meta_compare_text);
	ka_date_format(c->as_of, mine);
	if ((c->given & KA_RANK_GIVEN_AS_OF) &&
	    strcmp(mine, r->meta_as_of) != 0) {
		snprintf(error, size, "the partial files were made --as-of "
		    "%s, not %s", r->meta_as_of, mine);
		return -1;
	}
	if (ka_date_parse(r->meta_as_of, strlen(r->meta_as_of),
	    &c->as_of) < 0) {
		snprintf(error, size, "partial files: bad as_of \"%s\"",
		    r->meta_as_of);
		return -1;
	}
	if (c->stratify >= 0 &&
	    strcmp(ka_role_name((enum ka_role)c->stratify),
	    r->meta_stratify) != 0) {
		snprintf(error, size, "the partial files carry %s%s, not "
		    "%s; make them with --stratify %s", r->meta_stratify[0] ?
		    "strata by " : "no strata", r->meta_stratify,
		    ka_role_name((enum ka_role)c->stratify),
		    ka_role_name((enum ka_role)c->stratify));
		return -1;
	}
	c->stratify = r->meta_stratify[0] ? ka_role_from_name(r->meta_stratify)
	    : -1;
	r->present[r->key_role] = 1;
	r->name_role = has_column_word(r->meta_columns, "customer") ?
	    KA_ROLE_CUSTOMER : has_column_word(r->meta_columns, "product") ?
	    KA_ROLE_PRODUCT : -1;
	if (r->name_role >= 0)
		r->present[r->name_role] = 1;
	if (c->stratify >= 0)
		r->present[c->stratify] = 1;
	r->present[KA_ROLE_DATE] = has_column_word(r->meta_columns, "date");
	r->present[KA_ROLE_INVOICE] = has_column_word(r->meta_columns,
	    "invoice");
	r->present[KA_ROLE_QTY] = has_column_word(r->meta_columns, "qty");
	r->present[KA_ROLE_COST] = has_column_word(r->meta_columns, "cost");
	if (c->basis == KA_RANK_BASIS_MARGIN && !r->present[KA_ROLE_COST]) {
		snprintf(error, size, "--basis margin: the partial files have "
		    "no cost");
		return -1;
	}
	if (c->basis == KA_RANK_BASIS_QTY && !r->present[KA_ROLE_QTY]) {
		snprintf(error, size, "--basis qty: the partial files have no "
		    "qty");
		return -1;
	}
	if (c->weight[KA_RANK_METRIC_MARGIN] != 0 && !r->present[KA_ROLE_COST]) {
		snprintf(error, size, "--score margin: the partial files have "
		    "no cost");
		return -1;
	}
	if ((c->weight[KA_RANK_METRIC_RECENCY] != 0 ||
	    c->weight[KA_RANK_METRIC_TENURE] != 0) &&
	    !r->present[KA_ROLE_DATE]) {
		snprintf(error, size, "--score recency and tenure: the partial "
		    "files have no date");
		return -1;
	}
	if (c->weight[KA_RANK_METRIC_GROWTH] != 0 && !c->has_compare) {
		snprintf(error, size, "--score growth: the partial files have "
		    "no comparison period (--compare)");
		return -1;
	}
	return 0;
}

static int
fold_pending(ka_rank *r, char *error, size_t size)
{
	size_t i;

	qsort(r->pending, r->npending, sizeof(*r->pending), compare_pending);
	for (i = 0; i < r->npending; i++) {
		struct pending *p = &r->pending[i];

		if (sums_append(&r->sums[p->slot][p->group], &p->sums) < 0) {
			snprintf(error, size, "the sums of %s %s overflow",
			    ka_role_name(r->key_role),
			    ka_keys_text(r->keys, p->group));
			return -1;
		}
		if (r->name_of[p->group] == NONE_ID)
			r->name_of[p->group] = p->name;
		if (r->stratum_of[p->group] == NONE_ID)
			r->stratum_of[p->group] = p->stratum;
		sums_free(&p->sums);
		free(p->shard);
	}
	r->npending = 0;
	return 0;
}

/* ---- one file in pieces, on every core ---- */

ka_rank *
ka_rank_piece_new(const ka_rank *r)
{
	ka_rank *e = ka_rank_new(&r->config);
	int i;

	for (i = 0; i < KA_ROLE_COUNT; i++) {
		e->column[i] = r->column[i];
		e->present[i] = r->present[i];
		if (r->column_name[i] != NULL)
			e->column_name[i] = ka_strdup(r->column_name[i]);
	}
	e->key_role = r->key_role;
	e->name_role = r->name_role;
	return e;
}

static void
tally_append(struct ka_rank_tally *into, const struct ka_rank_tally *from)
{
	into->rows += from->rows;
	into->unreadable += from->unreadable;
	if (from->overflow || add_checked(&into->amount, from->amount) < 0)
		into->overflow = 1;
}

int
ka_rank_absorb(ka_rank *r, const ka_rank *e)
{
	size_t i, n = ka_keys_count(e->keys);
	int slot;

	for (i = 0; i < n; i++) {
		uint32_t g = ka_keys_intern(r->keys, ka_keys_text(e->keys,
		    (uint32_t)i), ka_keys_length(e->keys, (uint32_t)i), NULL);

		grow_groups(r, (size_t)g + 1);
		for (slot = 0; slot < SLOTS; slot++)
			if (sums_append(&r->sums[slot][g], &e->sums[slot][i]) < 0)
				return -1;
		if (r->name_of[g] == NONE_ID && e->name_of[i] != NONE_ID)
			r->name_of[g] = ka_keys_intern(r->texts,
			    ka_keys_text(e->texts, e->name_of[i]),
			    ka_keys_length(e->texts, e->name_of[i]), NULL);
		if (r->stratum_of[g] == NONE_ID && e->stratum_of[i] != NONE_ID)
			r->stratum_of[g] = ka_keys_intern(r->texts,
			    ka_keys_text(e->texts, e->stratum_of[i]),
			    ka_keys_length(e->texts, e->stratum_of[i]), NULL);
	}
	tally_append(&r->counts.read, &e->counts.read);
	tally_append(&r->counts.used, &e->counts.used);
	tally_append(&r->counts.outside, &e->counts.outside);
	tally_append(&r->counts.filtered, &e->counts.filtered);
	tally_append(&r->counts.unassigned, &e->counts.unassigned);
	tally_append(&r->counts.rejected, &e->counts.rejected);
	return 0;
}

/* The pieces of ka_rank_add_file(): engines of their own, absorbed in
   order into whole, which r takes only when all went well. */
struct rank_pieces {
	const ka_rank	*r;
	ka_rank		*whole;
};

static void *
rank_piece_new(void *context)
{
	return ka_rank_piece_new(((struct rank_pieces *)context)->r);
}

static int
rank_piece_record(const void *context, void *piece, const ka_record *rec)
{
	enum ka_rank_verdict verdict = ka_rank_add(piece, rec);

	(void)context;
	return verdict == KA_RANK_BAD || verdict == KA_RANK_FATAL ? -1 : 0;
}

static int
rank_piece_absorb(void *context, void *piece)
{
	return ka_rank_absorb(((struct rank_pieces *)context)->whole, piece);
}

static void
rank_piece_free(void *context, void *piece)
{
	(void)context;
	ka_rank_free(piece);
}

int
ka_rank_add_file(ka_rank *r, const char *path,
    const struct ka_reader_options *options, int delimiter, int jobs)
{
	static const struct ka_pieces_callbacks callbacks = {
		rank_piece_new, rank_piece_record, rank_piece_absorb,
		rank_piece_free
	};
	struct rank_pieces pieces;
	int done;

	/* --where counts its matches: it is not for threads. */
	if (jobs < 2 || (r->config.filter != NULL &&
	    ka_filter_count(r->config.filter) > 0))
		return 0;
	pieces.r = r;
	pieces.whole = ka_rank_piece_new(r);
	done = ka_pieces_read(path, NULL, options, delimiter, jobs,
	    &callbacks, &pieces) == 1 && ka_rank_absorb(r, pieces.whole) == 0;
	ka_rank_free(pieces.whole);
	return done;
}

/* ---- previous tiers ---- */

int
ka_rank_load_previous(ka_rank *r, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct ka_reader_options read = *options;
	const char *files[1] = { path };
	struct ka_roles roles;
	const ka_record *header;
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	long key, tier;
	int got, i;

	read.no_header = 0;
	read.progress = 0;
	read.delimiter = 0;
	if ((reader = ka_reader_open(files, 1, &read)) == NULL) {
		snprintf(error, size, "%s: cannot read the previous ranking",
		    path);
		return -1;
	}
	header = ka_reader_header(reader);
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, header, error, size) < 0) {
		ka_reader_close(reader);
		return -1;
	}
	key = ka_header_index(header, ka_rank_key_name(r));
	if (key < 0)
		key = roles.column[r->key_role];
	tier = roles.column[KA_ROLE_TIER];
	if (key < 0 || tier < 0) {
		snprintf(error, size, "%s: a previous ranking needs %s and "
		    "tier columns", path, ka_rank_key_name(r));
		ka_reader_close(reader);
		return -1;
	}
	if (r->previous_keys == NULL)
		r->previous_keys = ka_keys_new();
	r->previous_file = path;
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		const char *label = ka_field(&rec, (size_t)tier);
		const char *k = ka_field(&rec, (size_t)key);
		size_t klen = ka_field_length(&rec, (size_t)key);
		uint32_t id;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			ka_reader_close(reader);
			return -1;
		}
		ka_text_trim(&k, &klen);
		if (*label == '\0' || klen == 0)
			continue;	/* lost rows have no tier */
		for (i = 0; i < r->tiers; i++)
			if (strcmp(label, r->labels[i]) == 0)
				break;
		if (i == r->tiers) {
			snprintf(error, size, "%s:%lu: tier \"%s\" is not one "
			    "of this ranking's labels", rec.file, rec.line,
			    label);
			ka_reader_close(reader);
			return -1;
		}
		id = ka_keys_intern(r->previous_keys, k, klen, NULL);
		r->previous_tier = ka_realloc(r->previous_tier,
		    ka_keys_count(r->previous_keys) * sizeof(int));
		r->previous_tier[id] = i;
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		ka_reader_close(reader);
		return -1;
	}
	ka_reader_close(reader);
	return 0;
}

/* ---- ranking ---- */

struct order {
	wide		 primary;	/* higher ranks first */
	const char	*key;
	size_t		 length;
	uint32_t	 group;
};

static int
compare_order(const void *x, const void *y)
{
	const struct order *a = x, *b = y;
	size_t n = a->length < b->length ? a->length : b->length;
	int c;

	if (a->primary != b->primary)
		return a->primary > b->primary ? -1 : 1;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return a->length < b->length ? -1 : a->length > b->length;
}

static wide
basis_of(const ka_rank *r, const struct sums *s)
{
	switch (r->config.basis) {
	case KA_RANK_BASIS_MARGIN:
		return (wide)s->revenue - s->cost;
	case KA_RANK_BASIS_QTY:
		return s->qty;
	default:
		return s->revenue;
	}
}

/* Metric values for percentiles: kind -1 lowest, 1 highest, 0 num/den. */
struct metric_value {
	int		 kind;
	wide		 num, den;
};

struct metric_context {
	const struct metric_value *values;
};

static int
compare_metric(size_t a, size_t b, void *context)
{
	const struct metric_context *m = context;
	const struct metric_value *x = &m->values[a], *y = &m->values[b];
	wide l, rr;

	if (x->kind != y->kind || x->kind != 0)
		return x->kind < y->kind ? -1 : x->kind > y->kind;
	l = x->num * y->den;
	rr = y->num * x->den;
	return l < rr ? -1 : l > rr;
}

/* Stable merge sort of indices with a comparison callback. */
static void
sort_indices(size_t *items, size_t *scratch, size_t n,
    int (*compare)(size_t, size_t, void *), void *context)
{
	size_t half = n / 2, i = 0, j = half, k = 0;

	if (n < 2)
		return;
	sort_indices(items, scratch, half, compare, context);
	sort_indices(items + half, scratch, n - half, compare, context);
	while (i < half && j < n)
		scratch[k++] = compare(items[j], items[i], context) < 0 ?
		    items[j++] : items[i++];
	while (i < half)
		scratch[k++] = items[i++];
	while (j < n)
		scratch[k++] = items[j++];
	memcpy(items, scratch, n * sizeof(*items));
}

void
ka_rank_midranks(size_t n, int (*compare)(size_t, size_t, void *),
    void *context, uint64_t *out)
{
	size_t *items = ka_calloc(n, sizeof(*items));
	size_t *scratch = ka_calloc(n, sizeof(*scratch));
	size_t i, j, k;

	for (i = 0; i < n; i++)
		items[i] = i;
	sort_indices(items, scratch, n, compare, context);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && compare(items[i], items[j],
		    context) == 0; j++)
			;
		/* below = i, equal = j - i */
		for (k = i; k < j; k++)
			out[items[k]] = 2 * (uint64_t)i + (uint64_t)(j - i) - 1;
	}
	free(items);
	free(scratch);
}

static struct metric_value
metric_of(int metric, const struct sums *now, const struct sums *then)
{
	struct metric_value v = { 0, 0, 1 };

	switch (metric) {
	case KA_RANK_METRIC_REVENUE:
		v.num = now->revenue;
		break;
	case KA_RANK_METRIC_MARGIN:
		if (now->cost_missing > 0)
			v.kind = -1;
		else
			v.num = (wide)now->revenue - now->cost;
		break;
	case KA_RANK_METRIC_GROWTH:
		/* growth + 1 = now / then; nothing before ranks by sign. */
		if (then->revenue > 0) {
			v.num = now->revenue;
			v.den = then->revenue;
		} else {
			v.kind = now->revenue > 0 ? 1 : -1;
		}
		break;
	case KA_RANK_METRIC_FREQUENCY:
		v.num = (wide)now->orders;
		break;
	case KA_RANK_METRIC_RECENCY:
		if (now->last == KA_DATE_NONE)
			v.kind = -1;
		else
			v.num = now->last;
		break;
	case KA_RANK_METRIC_TENURE:
		if (now->first == KA_DATE_NONE)
			v.kind = -1;
		else
			v.num = -(wide)now->first;
		break;
	}
	return v;
}

int
ka_rank_abc_tier(ka_dec cum, ka_dec total, const ka_dec cut[2])
{
	wide scaled = (wide)cum * PERCENT_SCALE;

	if (scaled <= (wide)cut[0] * total)
		return 0;
	if (scaled <= (wide)cut[1] * total)
		return 1;
	return 2;
}

static int
wide_abc_tier(wide cum, wide total, const ka_dec cut[2])
{
	wide scaled = cum * PERCENT_SCALE;

	if (scaled <= (wide)cut[0] * total)
		return 0;
	if (scaled <= (wide)cut[1] * total)
		return 1;
	return 2;
}

struct ranking {
	struct order	*order;
	size_t		 n;
	wide		*cum;		/* per position */
	wide		 total;
	int		*tier;		/* per position: the rule's tier */
	size_t		*position;	/* group id -> position + 1, 0 absent */
};

static void
ranking_free(struct ranking *k)
{
	free(k->order);
	free(k->cum);
	free(k->tier);
	free(k->position);
}

/* The rule's tier at position i of a ranking (no --hold). */
static int
rule_tier(const ka_rank *r, const struct ranking *k, size_t i,
    const struct sums *s)
{
	const struct ka_rank_config *c = &r->config;

	switch (c->tiering) {
	case KA_RANK_TIERS_TOP:
		return i < c->top ? 0 : 1;
	case KA_RANK_TIERS_MIN_REVENUE:
		return s->revenue >= c->min_revenue ? 0 : 1;
	default:
		if (k->total <= 0)
			return r->tiers - 1;
		return wide_abc_tier(k->cum[i], k->total, c->abc);
	}
}

/*
 * Orders the groups present in slot by primary (or by basis), then key,
 * and works out cumulative sums and the rule's tiers.
 */
static int
build_ranking(ka_rank *r, int slot, const wide *primary,
    struct ranking *k, char *error, size_t size)
{
	size_t groups = ka_keys_count(r->keys), i, n = 0;
	wide cum = 0;

	memset(k, 0, sizeof(*k));
	k->order = ka_calloc(groups, sizeof(*k->order));
	k->position = ka_calloc(groups, sizeof(*k->position));
	for (i = 0; i < groups; i++) {
		const struct sums *s = &r->sums[slot][i];

		if (s->rows == 0)
			continue;
		k->order[n].primary = primary != NULL ? primary[i] :
		    basis_of(r, s);
		k->order[n].key = ka_keys_text(r->keys, (uint32_t)i);
		k->order[n].length = ka_keys_length(r->keys, (uint32_t)i);
		k->order[n].group = (uint32_t)i;
		k->total += basis_of(r, s);
		n++;
	}
	k->n = n;
	if (!fits(k->total)) {
		snprintf(error, size, "the total %s overflows",
		    basis_names[r->config.basis]);
		return -1;
	}
	qsort(k->order, n, sizeof(*k->order), compare_order);
	k->cum = ka_calloc(n, sizeof(*k->cum));
	k->tier = ka_calloc(n, sizeof(*k->tier));
	for (i = 0; i < n; i++) {
		const struct sums *s = &r->sums[slot][k->order[i].group];

		cum += basis_of(r, s);
		k->cum[i] = cum;
		k->position[k->order[i].group] = i + 1;
	}
	for (i = 0; i < n; i++)
		k->tier[i] = rule_tier(r, k, i,
		    &r->sums[slot][k->order[i].group]);
	return 0;
}

/* Cum-share thresholds (cum * PERCENT_SCALE units) for --hold. */
static int
thresholds(const ka_rank *r, const struct ranking *k, wide *t)
{
	const struct ka_rank_config *c = &r->config;

	if (c->tiering == KA_RANK_TIERS_ABC) {
		t[0] = (wide)c->abc[0] * k->total;
		t[1] = (wide)c->abc[1] * k->total;
		return 2;
	}
	if (c->tiering == KA_RANK_TIERS_TOP && c->top >= 1 && c->top <= k->n) {
		t[0] = k->cum[c->top - 1] * PERCENT_SCALE;
		return 1;
	}
	return 0;
}

static void
describe_tier(const ka_rank *r, struct ka_rank_row *row, const wide *t,
    int nthresholds)
{
	const struct ka_rank_config *c = &r->config;
	char share[KA_DEC_BUFSIZE], cut0[KA_DEC_BUFSIZE], cut1[KA_DEC_BUFSIZE],
	    hold[KA_DEC_BUFSIZE], value[KA_DEC_BUFSIZE], topbuf[32];
	const char *label = r->labels[row->tier];
	size_t n = sizeof(row->why);

	ka_dec_format(row->cum_share, 2, share);
	shortest(c->hold, hold);
	if (row->held) {
		char was[96];

		snprintf(was, sizeof(was), "was %.16s in %.60s", label,
		    r->previous_file);
		if (c->tiering == KA_RANK_TIERS_TOP) {
			ka_dec cut = row->has_share && nthresholds > 0 ?
			    (ka_dec)round_div(t[0] * 10000 / PERCENT_SCALE,
			    r->total) * (KA_DEC_SCALE / 100) : 0;

			ka_dec_format(cut, 2, cut0);
			snprintf(row->why, n, "%s (held): rank %zu with cum "
			    "share %s%% is within %s points of the top %zu's "
			    "%s%%; %s", label, row->rank, share, hold, c->top,
			    cut0, was);
		} else if (row->rule_tier > row->tier) {
			shortest(c->abc[row->tier], cut0);
			snprintf(row->why, n, "%s (held): cum share %s%% is past "
			    "%s%% but not by more than the %s-point hold; %s",
			    label, share, cut0, hold, was);
		} else {
			shortest(c->abc[row->tier - 1], cut0);
			snprintf(row->why, n, "%s (held): cum share %s%% is "
			    "within %s%% but not by more than the %s-point "
			    "hold; %s", label, share, cut0, hold, was);
		}
		return;
	}
	switch (c->tiering) {
	case KA_RANK_TIERS_TOP:
		snprintf(topbuf, sizeof(topbuf), "%zu", c->top);
		snprintf(row->why, n, "%s: rank %zu %s the top %s", label,
		    row->rank, row->tier == 0 ? "within" : "outside", topbuf);
		return;
	case KA_RANK_TIERS_MIN_REVENUE:
		format_money(c->min_revenue, cut0);
		format_money(row->revenue, value);
		snprintf(row->why, n, "%s: revenue %s %s %s", label, value,
		    row->tier == 0 ? "at or above" : "below", cut0);
		return;
	default:
		break;
	}
	if (!row->has_share) {
		snprintf(row->why, n, "%s: the %s total is not above zero",
		    label, basis_names[c->basis]);
		return;
	}
	shortest(c->abc[0], cut0);
	shortest(c->abc[1], cut1);
	if (row->tier == 0)
		snprintf(row->why, n, "%s: cum share %s%% within the %s%% "
		    "cut-off", label, share, cut0);
	else if (row->tier == 1)
		snprintf(row->why, n, "%s: cum share %s%% past %s%% and "
		    "within %s%%", label, share, cut0, cut1);
	else
		snprintf(row->why, n, "%s: cum share %s%% past the %s%% "
		    "cut-off", label, share, cut1);
}

/* --hold: keep the previous tier unless the cut-off is crossed by more. */
static int
held_tier(const ka_rank *r, int rule, int previous, wide cum, wide total,
    const wide *t, int nthresholds)
{
	wide scaled = cum * PERCENT_SCALE, hold = (wide)r->config.hold * total;
	int tier = previous, k;

	if (previous < 0 || previous == rule || nthresholds == 0 || total <= 0)
		return rule;
	if (rule > previous) {
		for (k = previous; k < rule && k < nthresholds; k++) {
			if (scaled > t[k] + hold)
				tier = k + 1;
			else
				break;
		}
	} else {
		for (k = previous - 1; k >= rule; k--) {
			if (k < nthresholds && scaled < t[k] - hold)
				tier = k;
			else
				break;
		}
	}
	return tier;
}

static int
previous_tier_of(const ka_rank *r, uint32_t group)
{
	int64_t id;

	if (r->previous_keys == NULL)
		return -1;
	id = ka_keys_find(r->previous_keys, ka_keys_text(r->keys, group),
	    ka_keys_length(r->keys, group));
	return id < 0 ? -1 : r->previous_tier[id];
}

/* Scores as exact integers: sum of weight x mid-rank over 2(n-1). */
static wide *
compute_scores(ka_rank *r, const struct ranking *basis_order, wide *den)
{
	size_t n = basis_order->n, i, groups = ka_keys_count(r->keys);
	struct metric_value *values = ka_calloc(n, sizeof(*values));
	uint64_t *ranks = ka_calloc(n, sizeof(*ranks));
	wide *score = ka_calloc(groups, sizeof(*score)), weights = 0;
	struct metric_context context = { values };
	int metric;

	for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++) {
		ka_dec w = r->config.weight[metric];

		if (w == 0)
			continue;
		weights += w;
		for (i = 0; i < n; i++) {
			uint32_t g = basis_order->order[i].group;

			values[i] = metric_of(metric, &r->sums[NOW][g],
			    &r->sums[THEN][g]);
		}
		ka_rank_midranks(n, compare_metric, &context, ranks);
		for (i = 0; i < n; i++)
			score[basis_order->order[i].group] += (wide)w *
			    (n > 1 ? (wide)ranks[i] : 1);
	}
	*den = (n > 1 ? 2 * (wide)(n - 1) : 2) * weights;
	free(values);
	free(ranks);
	return score;
}

static ka_dec
median_gap_of(const struct day_set *days, ka_date **scratch,
    size_t *capacity, int *has)
{
	size_t n = day_set_list(days, scratch, capacity);
	ka_dec median = 0;

	*has = ka_rank_median_gap(*scratch, n, &median);
	return median;
}

static void
fill_row(ka_rank *r, struct ka_rank_row *row, uint32_t group,
    ka_date **scratch, size_t *capacity)
{
	const struct sums *s = &r->sums[NOW][group];

	row->key = ka_keys_text(r->keys, group);
	row->name = r->name_of[group] != NONE_ID ?
	    ka_keys_text(r->texts, r->name_of[group]) : "";
	row->stratum = r->stratum_of[group] != NONE_ID ?
	    ka_keys_text(r->texts, r->stratum_of[group]) : "";
	row->revenue = s->revenue;
	row->cost = s->cost;
	row->qty = s->qty;
	row->has_qty = r->present[KA_ROLE_QTY] && s->qty_missing == 0;
	row->has_margin = r->present[KA_ROLE_COST] && s->cost_missing == 0;
	row->rows = (unsigned long)s->rows;
	row->orders = (unsigned long)s->orders;
	row->first_order = s->first;
	row->last_order = s->last;
	row->active_days = day_set_count(&s->days);
	row->tier = row->prev_tier = row->rule_tier = -1;
	if (s->last != KA_DATE_NONE) {
		row->recency_days = (long)r->config.as_of - s->last;
		row->tenure_days = (long)r->config.as_of - s->first;
	}
	if (s->rows > 0)
		row->median_gap_days = median_gap_of(&s->days, scratch,
		    capacity, &row->has_median_gap);
}

static int
compare_lost(const void *x, const void *y)
{
	const struct ka_rank_row *a = x, *b = y;

	return a->prev_rank < b->prev_rank ? -1 : a->prev_rank > b->prev_rank;
}

static void
set_risk(const ka_rank *r, struct ka_rank_row *row)
{
	const struct ka_rank_config *c = &r->config;

	if (row->present && row->active_days >= 3 && row->has_median_gap &&
	    (wide)row->recency_days * KA_DEC_SCALE * KA_DEC_SCALE >
	    (wide)c->lapsed_factor * row->median_gap_days)
		row->risk |= KA_RANK_RISK_LAPSED;
	if (c->has_compare && row->prev_revenue > 0 &&
	    ((wide)row->revenue - row->prev_revenue) * PERCENT_SCALE <
	    -(wide)c->declining_pct * row->prev_revenue)
		row->risk |= KA_RANK_RISK_DECLINING;
	if (row->present && r->total > 0 &&
	    (wide)row->basis * PERCENT_SCALE > (wide)c->concentration_pct *
	    r->total)
		row->risk |= KA_RANK_RISK_CONCENTRATION;
}

static void
describe_lost(const ka_rank *r, struct ka_rank_row *row)
{
	char then[KA_PERIOD_BUFSIZE], now[KA_PERIOD_BUFSIZE],
	    value[KA_DEC_BUFSIZE];

	ka_period_format(&r->config.compare, then, sizeof(then));
	ka_period_format(&r->config.period, now, sizeof(now));
	format_money(row->prev_revenue, value);
	snprintf(row->why, sizeof(row->why), "lost: revenue %s in %s and "
	    "no rows in %s", value, then, now);
}

int
ka_rank_finish(ka_rank *r, char *error, size_t size)
{
	struct ka_rank_config *c = &r->config;
	struct ranking now, then, scored;
	wide *score = NULL, score_den = 1, t[2];
	size_t groups, i, n, nlost = 0, capacity = 0;
	ka_date *scratch = NULL;
	int nthresholds, has_score = 0, metric;

	if (r->merging) {
		if (adopt_meta(r, error, size) < 0 ||
		    fold_pending(r, error, size) < 0)
			return -1;
	}
	groups = ka_keys_count(r->keys);
	if (c->basis == KA_RANK_BASIS_MARGIN)
		for (i = 0; i < groups; i++)
			if (r->sums[NOW][i].cost_missing > 0 ||
			    r->sums[THEN][i].cost_missing > 0) {
				snprintf(error, size, "--basis margin: %s %s "
				    "has rows with no cost", ka_role_name(
				    r->key_role), ka_keys_text(r->keys,
				    (uint32_t)i));
				return -1;
			}
	for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++)
		if (c->weight[metric] != 0)
			has_score = 1;
	memset(&then, 0, sizeof(then));
	if (build_ranking(r, NOW, NULL, &now, error, size) < 0)
		return -1;
	if (c->has_compare && build_ranking(r, THEN, NULL, &then, error,
	    size) < 0) {
		ranking_free(&now);
		return -1;
	}
	if (has_score) {
		score = compute_scores(r, &now, &score_den);
		ranking_free(&now);
		if (build_ranking(r, NOW, score, &scored, error, size) < 0) {
			free(score);
			ranking_free(&then);
			return -1;
		}
		now = scored;
	}
	r->total = now.total;
	r->previous_total = then.total;
	r->nranked = n = now.n;
	r->nprevious = then.n;
	for (i = 0; i < groups; i++)
		if (r->sums[NOW][i].rows == 0 && r->sums[THEN][i].rows > 0 &&
		    c->has_compare)
			nlost++;
	r->nrows = n + nlost;
	r->rows = ka_calloc(r->nrows, sizeof(*r->rows));
	nthresholds = thresholds(r, &now, t);
	for (i = 0; i < KA_RANK_MAX_TIERS - 1; i++)
		r->boundary[i].last_in = r->boundary[i].first_out = -1;

	for (i = 0; i < n; i++) {
		struct ka_rank_row *row = &r->rows[i];
		uint32_t g = now.order[i].group;
		const struct sums *s = &r->sums[NOW][g];
		int previous;

		fill_row(r, row, g, &scratch, &capacity);
		row->present = 1;
		row->rank = i + 1;
		if (!fits(basis_of(r, s)) || (row->has_margin &&
		    !fits((wide)s->revenue - s->cost))) {
			snprintf(error, size, "the margin of %s %s overflows",
			    ka_role_name(r->key_role), row->key);
			goto fail;
		}
		row->basis = (ka_dec)basis_of(r, s);
		if (row->has_margin) {
			wide margin = (wide)s->revenue - s->cost;

			row->margin = (ka_dec)margin;
			if (s->revenue > 0) {
				row->has_margin_pct = 1;
				row->margin_pct = wide_percent(margin,
				    s->revenue);
			}
		}
		if (now.total > 0) {
			row->has_share = 1;
			row->share = wide_percent(row->basis, now.total);
			row->cum_share = wide_percent(now.cum[i], now.total);
		}
		if (has_score) {
			row->has_score = 1;
			row->score = (ka_dec)(round_div(score[g] * 10000,
			    score_den) * (KA_DEC_SCALE / 100));
		}
		row->rule_tier = now.tier[i];
		previous = previous_tier_of(r, g);
		row->tier = held_tier(r, row->rule_tier, previous, now.cum[i],
		    now.total, t, nthresholds);
		row->held = row->tier != row->rule_tier;
		if (row->held)
			r->held++;
		describe_tier(r, row, t, nthresholds);
		if (c->has_compare) {
			const struct sums *p = &r->sums[THEN][g];

			row->prev_revenue = p->revenue;
			row->prev_basis = (ka_dec)basis_of(r, p);
			if (then.position[g] > 0) {
				size_t at = then.position[g] - 1;

				row->prev_present = 1;
				row->prev_rank = at + 1;
				row->prev_tier = then.tier[at];
				row->rank_change = (long)row->prev_rank -
				    (long)row->rank;
				row->movement = row->tier < row->prev_tier ?
				    KA_RANK_MOVE_UP : row->tier >
				    row->prev_tier ? KA_RANK_MOVE_DOWN :
				    KA_RANK_MOVE_SAME;
			} else {
				row->movement = KA_RANK_MOVE_NEW;
			}
			if (p->revenue > 0) {
				row->has_growth = 1;
				row->growth = wide_percent((wide)s->revenue -
				    p->revenue, p->revenue);
			}
		}
	}
	/* Where the rule's cut-offs fell, for --explain and --summary. */
	for (i = 0; i < n; i++) {
		int b;

		for (b = 0; b < r->tiers - 1; b++) {
			if (r->rows[i].rule_tier <= b)
				r->boundary[b].last_in = (long)i;
			else if (r->boundary[b].first_out < 0)
				r->boundary[b].first_out = (long)i;
		}
	}
	if (nlost > 0) {
		size_t at = n;

		for (i = 0; i < groups; i++) {
			struct ka_rank_row *row;
			const struct sums *p = &r->sums[THEN][i];
			size_t pos;

			if (r->sums[NOW][i].rows > 0 || p->rows == 0)
				continue;
			row = &r->rows[at++];
			fill_row(r, row, (uint32_t)i, &scratch, &capacity);
			pos = then.position[i] - 1;
			row->prev_present = 1;
			row->prev_revenue = p->revenue;
			row->prev_basis = (ka_dec)basis_of(r, p);
			row->prev_rank = pos + 1;
			row->prev_tier = then.tier[pos];
			row->movement = KA_RANK_MOVE_LOST;
			if (p->revenue > 0) {
				row->has_growth = 1;
				row->growth = -100 * KA_DEC_SCALE;
			}
			describe_lost(r, row);
		}
		qsort(r->rows + n, nlost, sizeof(*r->rows), compare_lost);
	}
	for (i = 0; i < r->nrows; i++)
		set_risk(r, &r->rows[i]);
	r->finished = 1;
fail:
	free(scratch);
	free(score);
	ranking_free(&now);
	ranking_free(&then);
	return r->finished ? 0 : -1;
}

const struct ka_rank_row *
ka_rank_rows(const ka_rank *r, size_t *count)
{
	*count = r->nrows;
	return r->rows;
}

size_t
ka_rank_ranked_count(const ka_rank *r)
{
	return r->nranked;
}

const char *
ka_rank_label(const ka_rank *r, int tier)
{
	return tier >= 0 && tier < r->tiers ? r->labels[tier] : "";
}

const char *
ka_rank_movement_name(enum ka_rank_movement movement)
{
	static const char *const names[] = { "", "new", "up", "down", "same",
		"lost" };

	return names[movement];
}

const char *
ka_rank_risk_text(unsigned risk, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s",
	    risk & KA_RANK_RISK_LAPSED ? "lapsed" : "",
	    (risk & KA_RANK_RISK_LAPSED) && (risk & ~KA_RANK_RISK_LAPSED) ?
	    ";" : "",
	    risk & KA_RANK_RISK_DECLINING ? "declining" : "",
	    (risk & KA_RANK_RISK_DECLINING) &&
	    (risk & KA_RANK_RISK_CONCENTRATION) ? ";" : "",
	    risk & KA_RANK_RISK_CONCENTRATION ? "concentration" : "");
	return buf;
}

/* ---- summary figures ---- */

int
ka_rank_median_gap(const ka_date *days, size_t n, ka_dec *median)
{
	int64_t *gaps;
	size_t i, j, m;

	if (n < 2)
		return 0;
	m = n - 1;
	gaps = ka_calloc(m, sizeof(*gaps));
	for (i = 0; i < m; i++)
		gaps[i] = (int64_t)days[i + 1] - days[i];
	/* Insertion sort: gaps are few and nearly sorted in practice. */
	for (i = 1; i < m; i++) {
		int64_t g = gaps[i];

		for (j = i; j > 0 && gaps[j - 1] > g; j--)
			gaps[j] = gaps[j - 1];
		gaps[j] = g;
	}
	if (m % 2 == 1)
		*median = gaps[m / 2] * KA_DEC_SCALE;
	else
		*median = (gaps[m / 2 - 1] + gaps[m / 2]) * (KA_DEC_SCALE / 2);
	free(gaps);
	return 1;
}

ka_dec
ka_rank_hhi(const ka_dec *values, size_t n)
{
	__extension__ typedef unsigned __int128 uwide;
	uwide total = 0, squares = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (values[i] > 0)
			total += (uwide)values[i];
	if (total == 0)
		return 0;
	if (total < ((uwide)1 << 53)) {
		/* Exact: sum of squares * 10000 * 100 / total^2 fits. */
		for (i = 0; i < n; i++)
			if (values[i] > 0)
				squares += (uwide)values[i] * (uwide)values[i];
		return (ka_dec)((squares * 1000000 + total * total / 2) /
		    (total * total)) * (KA_DEC_SCALE / 100);
	} else {
		long double sum = 0, t = (long double)total, s;

		for (i = 0; i < n; i++)
			if (values[i] > 0) {
				s = (long double)values[i] / t;
				sum += s * s;
			}
		return (ka_dec)(sum * 1000000.0L + 0.5L) *
		    (KA_DEC_SCALE / 100);
	}
}

const char *
ka_rank_hhi_band(ka_dec hhi)
{
	if (hhi < 1500 * KA_DEC_SCALE)
		return "unconcentrated";
	if (hhi <= 2500 * KA_DEC_SCALE)
		return "moderate";
	return "high";
}

static int
compare_dec(const void *x, const void *y)
{
	ka_dec a = *(const ka_dec *)x, b = *(const ka_dec *)y;

	return a < b ? -1 : a > b;
}

ka_dec
ka_rank_gini(const ka_dec *values, size_t n)
{
	ka_dec *sorted = ka_calloc(n, sizeof(*sorted));
	wide weighted = 0, total = 0, num, den;
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (values[i] > 0)
			sorted[m++] = values[i];
	qsort(sorted, m, sizeof(*sorted), compare_dec);
	for (i = 0; i < m; i++) {
		weighted += (wide)(i + 1) * sorted[i];
		total += sorted[i];
	}
	free(sorted);
	if (m == 0 || total == 0)
		return 0;
	/* G = (2 sum(i x_i) - (n + 1) sum(x)) / (n sum(x)), x ascending */
	num = 2 * weighted - (wide)(m + 1) * total;
	den = (wide)m * total;
	return (ka_dec)round_div(num * KA_DEC_SCALE, den);
}

void
ka_rank_summary(const ka_rank *r, struct ka_rank_summary *out)
{
	static const size_t tops[4] = { 1, 5, 10, 20 };
	size_t n = r->nranked, i, j;
	ka_dec *values = ka_calloc(n, sizeof(*values));
	wide tier_basis[KA_RANK_MAX_TIERS] = { 0, 0, 0 }, top;

	memset(out, 0, sizeof(*out));
	out->groups = n;
	out->total = (ka_dec)r->total;
	out->tiers = r->tiers;
	out->held = r->held;
	for (i = 0; i < n; i++) {
		values[i] = r->rows[i].basis;
		if (values[i] > 0)
			out->has_concentration = 1;
		out->tier_count[r->rows[i].tier]++;
		tier_basis[r->rows[i].tier] += r->rows[i].basis;
	}
	out->hhi = ka_rank_hhi(values, n);
	out->hhi_band = ka_rank_hhi_band(out->hhi);
	out->gini = ka_rank_gini(values, n);
	out->has_share = r->total > 0;
	/* Top-N shares go by the basis, whatever order --score made. */
	qsort(values, n, sizeof(*values), compare_dec);
	for (j = 0; j < 4; j++) {
		top = 0;
		for (i = 0; i < tops[j] && i < n; i++)
			top += values[n - 1 - i];
		if (out->has_share)
			out->top_share[j] = wide_percent(top, r->total);
	}
	for (i = 0; i < (size_t)r->tiers; i++) {
		out->tier_basis[i] = fits(tier_basis[i]) ?
		    (ka_dec)tier_basis[i] : 0;
		if (out->has_share)
			out->tier_share[i] = wide_percent(tier_basis[i],
			    r->total);
	}
	out->prev_groups = r->nprevious;
	out->prev_total = (ka_dec)r->previous_total;
	for (i = 0; i < r->nrows; i++)
		out->movement[r->rows[i].movement]++;
	free(values);
}

/* ---- pilot ---- */

struct candidate {
	const struct ka_rank_row *row;
	uint32_t	 stratum;
};

static int
compare_candidate(const void *x, const void *y)
{
	const struct candidate *a = x, *b = y;

	if (a->row->tier != b->row->tier)
		return a->row->tier < b->row->tier ? -1 : 1;
	return a->row->rank < b->row->rank ? -1 : a->row->rank > b->row->rank;
}

/* Why candidates[at] was picked: tier and rank, place in its stratum. */
static void
explain_pick(const ka_rank *r, struct ka_rank_pick *pick,
    const struct candidate *candidates, size_t first, size_t at,
    size_t round)
{
	const struct ka_rank_row *row = candidates[at].row;
	char *reason = pick->reason, ord[16];
	size_t size = sizeof(pick->reason), before = 0, k, used;

	pick->row = row;
	pick->round = round;
	for (k = first; k < at; k++)
		if (candidates[k].stratum == candidates[at].stratum)
			before++;
	if (r->config.stratify < 0)
		snprintf(reason, size, "tier %.16s rank %zu",
		    r->labels[row->tier], row->rank);
	else
		snprintf(reason, size, "tier %.16s rank %zu; %s in %s %.60s "
		    "(round %zu)", r->labels[row->tier], row->rank,
		    before == 0 ? "best" : ordinal(before + 1, ord,
		    sizeof(ord)), ka_role_name((enum ka_role)
		    r->config.stratify), row->stratum[0] ? row->stratum :
		    "(none)", round);
	if (row->has_score) {
		char score[KA_DEC_BUFSIZE];

		used = strlen(reason);
		ka_dec_format(row->score, 2, score);
		snprintf(reason + used, size - used, "; score %s", score);
	}
}

size_t
ka_rank_pilot(const ka_rank *r, size_t n, struct ka_rank_pick *picks)
{
	struct candidate *candidates = ka_calloc(r->nranked,
	    sizeof(*candidates));
	size_t ncandidates = 0, npicked = 0, i, round, first, last;
	size_t nstrata = ka_keys_count(r->texts) + 1;
	size_t *taken = ka_calloc(nstrata, sizeof(*taken));
	unsigned char *picked;
	int stratified = r->config.stratify >= 0;

	for (i = 0; i < r->nranked; i++) {
		const struct ka_rank_row *row = &r->rows[i];
		int64_t id;

		if (row->basis <= 0)
			continue;
		candidates[ncandidates].row = row;
		id = row->stratum[0] != '\0' ? ka_keys_find(r->texts,
		    row->stratum, strlen(row->stratum)) : -1;
		candidates[ncandidates].stratum = id < 0 ?
		    (uint32_t)(nstrata - 1) : (uint32_t)id;
		ncandidates++;
	}
	qsort(candidates, ncandidates, sizeof(*candidates), compare_candidate);
	picked = ka_calloc(ncandidates, 1);
	/*
	 * Key accounts first: within the best tier, round by round, each
	 * stratum's best remaining candidate in candidate order; the next
	 * tier only when the best one runs out.  Without strata that is
	 * simply the candidate order.
	 */
	for (first = 0; first < ncandidates && npicked < n; first = last) {
		for (last = first; last < ncandidates &&
		    candidates[last].row->tier == candidates[first].row->tier;
		    last++)
			;
		for (round = 1; npicked < n; round++) {
			size_t before_round = npicked;

			memset(taken, 0, nstrata * sizeof(*taken));
			for (i = first; i < last && npicked < n; i++) {
				struct candidate *cand = &candidates[i];

				if (picked[i] || (stratified &&
				    taken[cand->stratum]))
					continue;
				picked[i] = 1;
				taken[cand->stratum] = 1;
				explain_pick(r, &picks[npicked], candidates,
				    first, i, stratified ? round : 1);
				npicked++;
			}
			if (npicked == before_round || !stratified)
				break;
		}
	}
	free(picked);
	free(taken);
	free(candidates);
	return npicked;
}

/* ---- output ---- */

static void
put_money(ka_writer *w, ka_dec value)
{
	char buf[KA_DEC_BUFSIZE];

	ka_writer_number(w, buf, format_money(value, buf));
}

static void
put_percent(ka_writer *w, int has, ka_dec value)
{
	if (has)
		ka_writer_decimal(w, value, 2);
	else
		ka_writer_number(w, "", 0);
}

static void
put_count(ka_writer *w, int has, long long value)
{
	if (has)
		ka_writer_integer(w, value);
	else
		ka_writer_number(w, "", 0);
}

static int
has_scores(const ka_rank *r)
{
	int metric;

	for (metric = 0; metric < KA_RANK_METRIC_COUNT; metric++)
		if (r->config.weight[metric] != 0)
			return 1;
	return 0;
}

void
ka_rank_write_table(const ka_rank *r, ka_writer *w)
{
	const char *names[40];
	size_t n = 0, i;
	int has_name = r->name_role >= 0, has_date = r->present[KA_ROLE_DATE];
	int has_cost = r->present[KA_ROLE_COST], has_qty =
	    r->present[KA_ROLE_QTY], score = has_scores(r);
	int compare = r->config.has_compare;
	char risk[64];

	names[n++] = ka_role_name(r->key_role);
	if (has_name)
		names[n++] = ka_role_name((enum ka_role)r->name_role);
	names[n++] = "tier";
	names[n++] = "rank";
	if (score)
		names[n++] = "score";
	names[n++] = "revenue";
	if (has_cost) {
		names[n++] = "margin";
		names[n++] = "margin_pct";
	}
	if (has_qty)
		names[n++] = "qty";
	names[n++] = "orders";
	if (has_date) {
		names[n++] = "first_order";
		names[n++] = "last_order";
		names[n++] = "recency_days";
		names[n++] = "tenure_days";
		names[n++] = "active_days";
		names[n++] = "median_gap_days";
	}
	names[n++] = "share";
	names[n++] = "cum_share";
	if (compare) {
		names[n++] = "prev_revenue";
		names[n++] = "growth";
		names[n++] = "prev_rank";
		names[n++] = "rank_change";
		names[n++] = "prev_tier";
		names[n++] = "movement";
	}
	names[n++] = "risk";
	names[n++] = "why";
	ka_writer_header(w, names, n);

	for (i = 0; i < r->nrows; i++) {
		const struct ka_rank_row *row = &r->rows[i];

		ka_writer_string(w, row->key);
		if (has_name)
			ka_writer_string(w, row->name);
		ka_writer_string(w, ka_rank_label(r, row->tier));
		put_count(w, row->present, (long long)row->rank);
		if (score)
			put_percent(w, row->has_score, row->score);
		put_money(w, row->revenue);
		if (has_cost) {
			if (row->has_margin && row->present)
				put_money(w, row->margin);
			else
				ka_writer_number(w, "", 0);
			put_percent(w, row->has_margin_pct, row->margin_pct);
		}
		if (has_qty) {
			char buf[KA_DEC_BUFSIZE];

			if (row->has_qty)
				ka_writer_number(w, buf, ka_dec_format(row->qty,
				    -1, buf));
			else
				ka_writer_number(w, "", 0);
		}
		ka_writer_integer(w, (long long)row->orders);
		if (has_date) {
			int dated = row->last_order != KA_DATE_NONE;

			put_date(w, row->first_order);
			put_date(w, row->last_order);
			put_count(w, dated, row->recency_days);
			put_count(w, dated, row->tenure_days);
			ka_writer_integer(w, (long long)row->active_days);
			if (row->has_median_gap)
				ka_writer_decimal(w, row->median_gap_days, -1);
			else
				ka_writer_number(w, "", 0);
		}
		put_percent(w, row->has_share && row->present, row->share);
		put_percent(w, row->has_share && row->present, row->cum_share);
		if (compare) {
			put_money(w, row->prev_revenue);
			put_percent(w, row->has_growth, row->growth);
			put_count(w, row->prev_present, (long long)row->prev_rank);
			put_count(w, row->prev_present && row->present,
			    row->rank_change);
			ka_writer_string(w, ka_rank_label(r, row->prev_tier));
			ka_writer_string(w, ka_rank_movement_name(
			    row->movement));
		}
		ka_writer_string(w, ka_rank_risk_text(row->risk, risk,
		    sizeof(risk)));
		ka_writer_string(w, row->why);
		ka_writer_end_row(w);
	}
}

static void
summary_text(ka_writer *w, const char *measure, const char *value)
{
	ka_writer_string(w, measure);
	ka_writer_string(w, value);
	ka_writer_end_row(w);
}

static void
summary_count(ka_writer *w, const char *measure, size_t value)
{
	ka_writer_string(w, measure);
	ka_writer_integer(w, (long long)value);
	ka_writer_end_row(w);
}

static void
summary_decimal(ka_writer *w, const char *measure, int has, ka_dec value,
    int places)
{
	ka_writer_string(w, measure);
	if (!has)
		ka_writer_number(w, "", 0);
	else if (places == -2)
		put_money(w, value);
	else
		ka_writer_decimal(w, value, places);
	ka_writer_end_row(w);
}

void
ka_rank_write_summary(const ka_rank *r, ka_writer *w)
{
	static const char *const names[] = { "measure", "value" };
	static const char *const top_names[4] = { "top1_share", "top5_share",
		"top10_share", "top20_share" };
	const struct ka_rank_config *c = &r->config;
	struct ka_rank_summary s;
	char measure[160];
	int i;

	ka_rank_summary(r, &s);
	ka_writer_header(w, names, 2);
	summary_text(w, "basis", basis_names[c->basis]);
	summary_count(w, ka_rank_group_plural(r->key_role), s.groups);
	summary_decimal(w, "total", 1, s.total, -2);
	summary_decimal(w, "hhi", s.has_concentration, s.hhi, 2);
	summary_text(w, "hhi_band", s.has_concentration ? s.hhi_band : "");
	for (i = 0; i < 4; i++)
		summary_decimal(w, top_names[i], s.has_share, s.top_share[i],
		    2);
	summary_decimal(w, "gini", s.has_concentration, s.gini, 4);
	for (i = 0; i < s.tiers; i++) {
		snprintf(measure, sizeof(measure), "tier_%s_count",
		    r->labels[i]);
		summary_count(w, measure, s.tier_count[i]);
		snprintf(measure, sizeof(measure), "tier_%s_share",
		    r->labels[i]);
		summary_decimal(w, measure, s.has_share, s.tier_share[i], 2);
	}
	switch (c->tiering) {
	case KA_RANK_TIERS_ABC:
		for (i = 0; i < 2; i++) {
			long at = r->boundary[i].last_in;

			snprintf(measure, sizeof(measure), "cutoff_%s_pct",
			    r->labels[i]);
			summary_decimal(w, measure, 1, c->abc[i], -1);
			snprintf(measure, sizeof(measure), "cutoff_%s_value",
			    r->labels[i]);
			summary_decimal(w, measure, at >= 0, at >= 0 ?
			    r->rows[at].basis : 0, -2);
		}
		break;
	case KA_RANK_TIERS_TOP:
		summary_count(w, "cutoff_top", c->top);
		summary_decimal(w, "cutoff_value", r->boundary[0].last_in >= 0,
		    r->boundary[0].last_in >= 0 ?
		    r->rows[r->boundary[0].last_in].basis : 0, -2);
		break;
	case KA_RANK_TIERS_MIN_REVENUE:
		summary_decimal(w, "cutoff_min_revenue", 1, c->min_revenue, -2);
		break;
	}
	if (r->previous_keys != NULL)
		summary_count(w, "held", s.held);
	if (c->has_compare) {
		snprintf(measure, sizeof(measure), "prev_%s",
		    ka_rank_group_plural(r->key_role));
		summary_count(w, measure, s.prev_groups);
		summary_decimal(w, "prev_total", 1, s.prev_total, -2);
		summary_decimal(w, "growth", s.prev_total > 0,
		    s.prev_total > 0 ? wide_percent((wide)s.total -
		    s.prev_total, s.prev_total) : 0, 2);
		for (i = KA_RANK_MOVE_NEW; i <= KA_RANK_MOVE_LOST; i++) {
			snprintf(measure, sizeof(measure), "movement_%s",
			    ka_rank_movement_name((enum ka_rank_movement)i));
			summary_count(w, measure, s.movement[i]);
		}
	}
}

void
ka_rank_write_pilot(const ka_rank *r, ka_writer *w, size_t n)
{
	struct ka_rank_pick *picks = ka_calloc(n, sizeof(*picks));
	const char *names[12];
	size_t count, i, k = 0;
	int has_name = r->name_role >= 0, stratified = r->config.stratify >= 0;
	int score = has_scores(r);

	names[k++] = "pick";
	names[k++] = ka_role_name(r->key_role);
	if (has_name)
		names[k++] = ka_role_name((enum ka_role)r->name_role);
	if (stratified)
		names[k++] = ka_role_name((enum ka_role)r->config.stratify);
	names[k++] = "tier";
	names[k++] = "rank";
	if (score)
		names[k++] = "score";
	names[k++] = "revenue";
	names[k++] = "reason";
	ka_writer_header(w, names, k);
	count = ka_rank_pilot(r, n, picks);
	for (i = 0; i < count; i++) {
		const struct ka_rank_row *row = picks[i].row;

		ka_writer_integer(w, (long long)(i + 1));
		ka_writer_string(w, row->key);
		if (has_name)
			ka_writer_string(w, row->name);
		if (stratified)
			ka_writer_string(w, row->stratum);
		ka_writer_string(w, ka_rank_label(r, row->tier));
		ka_writer_integer(w, (long long)row->rank);
		if (score)
			put_percent(w, row->has_score, row->score);
		put_money(w, row->revenue);
		ka_writer_string(w, picks[i].reason);
		ka_writer_end_row(w);
	}
	free(picks);
}

static void
explain_row(const ka_rank *r, const struct ka_rank_row *row, char *buf,
    size_t size)
{
	char share[KA_DEC_BUFSIZE], value[KA_DEC_BUFSIZE];

	format_money(row->basis, value);
	if (row->has_share) {
		ka_dec_format(row->cum_share, 2, share);
		snprintf(buf, size, "%s (rank %zu, cum share %s%%, %s %s)",
		    row->key, row->rank, share, basis_names[r->config.basis],
		    value);
	} else {
		snprintf(buf, size, "%s (rank %zu, %s %s)", row->key,
		    row->rank, basis_names[r->config.basis], value);
	}
}

void
ka_rank_explain(const ka_rank *r, FILE *out)
{
	const struct ka_rank_config *c = &r->config;
	const char *basis = basis_names[c->basis];
	struct ka_rank_summary s;
	char total[KA_DEC_BUFSIZE], cut[KA_DEC_BUFSIZE + 16];
	char share[KA_DEC_BUFSIZE], last[256], next[256];
	size_t i;
	int b;

	ka_rank_summary(r, &s);
	format_money(s.total, total);
	fprintf(out, "%s: ranked %zu %s by %s%s; total %s %s\n", ka_program(),
	    s.groups, group_noun(r->key_role, s.groups), has_scores(r) ?
	    "score, shares of " : "", basis, basis, total);
	switch (c->tiering) {
	case KA_RANK_TIERS_ABC:
		fprintf(out, "%s: tiers by cumulative share: %s while <= %s%%",
		    ka_program(), r->labels[0], shortest(c->abc[0], cut));
		fprintf(out, ", %s while <= %s%%, %s after\n", r->labels[1],
		    shortest(c->abc[1], cut), r->labels[2]);
		break;
	case KA_RANK_TIERS_TOP:
		fprintf(out, "%s: tiers: %s the top %zu, %s the rest\n",
		    ka_program(), r->labels[0], c->top, r->labels[1]);
		break;
	case KA_RANK_TIERS_MIN_REVENUE:
		format_money(c->min_revenue, cut);
		fprintf(out, "%s: tiers: %s with revenue at or above %s, %s "
		    "the rest\n", ka_program(), r->labels[0], cut,
		    r->labels[1]);
		break;
	}
	for (b = 0; b < r->tiers; b++) {
		fprintf(out, "%s: %s: %zu %s", ka_program(), r->labels[b],
		    s.tier_count[b], group_noun(r->key_role, s.tier_count[b]));
		if (s.has_share)
			fprintf(out, ", %s%% of %s", (ka_dec_format(
			    s.tier_share[b], 2, share), share), basis);
		if (b < r->tiers - 1) {
			long in = r->boundary[b].last_in;
			long outside = r->boundary[b].first_out;

			if (c->tiering == KA_RANK_TIERS_ABC)
				snprintf(cut, sizeof(cut), "the %s%%",
				    (ka_dec_format(c->abc[b], -1, share),
				    share));
			else
				snprintf(cut, sizeof(cut), "the");
			if (in >= 0)
				explain_row(r, &r->rows[in], last,
				    sizeof(last));
			if (outside >= 0)
				explain_row(r, &r->rows[outside], next,
				    sizeof(next));
			if (in >= 0 && outside >= 0)
				fprintf(out, "; %s cut-off fell between %s "
				    "and %s", cut, last, next);
			else if (in >= 0)
				fprintf(out, "; %s cut-off fell after the "
				    "last, %s", cut, last);
			else if (outside >= 0)
				fprintf(out, "; %s cut-off fell before the "
				    "first, %s", cut, next);
		}
		fputc('\n', out);
	}
	if (r->held > 0) {
		char shown[KA_DEC_BUFSIZE];

		fprintf(out, "%s: --hold %s kept %zu %s in the tier of %s:",
		    ka_program(), shortest(c->hold, shown), r->held,
		    group_noun(r->key_role, r->held), r->previous_file);
		for (i = 0; i < r->nranked; i++)
			if (r->rows[i].held)
				fprintf(out, " %s (%s, not %s)", r->rows[i].key,
				    r->labels[r->rows[i].tier],
				    r->labels[r->rows[i].rule_tier]);
		fputc('\n', out);
	}
}
