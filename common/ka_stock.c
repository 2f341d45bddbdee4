/*
 * The stock engine: see ka_stock.h for what it computes and where
 * rounding happens.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_stock.h"
#include "ka_text.h"

#define WEEK_SEASON	52
#define MONTH_SEASON	12

typedef __int128 wide;

struct shipment {
	ka_dec		 qty;
	ka_date		 arrival;
};

struct sku_info {
	char		*product, *category;
	int		 places;	/* decimal places of its quantities */
	int		 has_stock;
	ka_dec		 on_hand, safety;
	struct shipment	*incoming;
	size_t		 nincoming, incoming_cap;
	size_t		*series;	/* ids of its (customer, sku) series */
	size_t		 nseries, series_cap;
};

struct customer_info {
	char		*name;
	int		 listed;	/* in the accounts file */
	int		 tier;		/* index into tiers; ntiers if not listed */
	long		 rank;
	int		 key;
};

struct series {
	uint32_t	 customer, sku;
	ka_dec		*qty;		/* history periods */
};

struct order_line {
	uint32_t	 customer, sku;
	ka_dec		 qty;
	ka_date		 requested, ordered;	/* KA_DATE_NONE when absent */
	size_t		 sequence;	/* place in the input */
};

struct tier {
	char		*label;
	long		 best_rank;
	size_t		 old;		/* while sorting */
};

struct ka_stock {
	struct ka_stock_config config;
	long		 first_period, last_period;	/* the history */
	size_t		 history;
	ka_keys		*customer_keys, *sku_keys, *pair_keys;
	struct customer_info *customers;
	size_t		 customers_cap;
	struct sku_info	*skus;
	size_t		 skus_cap;
	struct series	*series;
	size_t		 nseries, series_cap;

	long		 col_date, col_customer_id, col_customer, col_sku;
	long		 col_qty, col_product, col_category;
	const ka_record	*header;
	struct ka_stock_counts counts;
	char		 error[600];
	size_t		 error_column;

	struct tier	*tiers;
	size_t		 ntiers;
	int		 accounts_loaded;

	struct order_line *orders;
	size_t		 norders, orders_cap;
	int		 has_orders;

	struct ka_stock_allocation *allocations;
	size_t		 nallocations, allocations_cap;
	struct ka_stock_shortage *shortages;
	size_t		 nshortages, shortages_cap;
	size_t		*order_now;
	char		**notes;
	size_t		 nnotes;
	int		 audit;
};

/* ---- small helpers ---- */

/* Grows an array to hold at least need items. */
static void *
grow(void *array, size_t *cap, size_t need, size_t item)
{
	size_t old = *cap;

	if (need <= *cap)
		return array;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 16;
	array = ka_realloc(array, *cap * item);
	memset((char *)array + old * item, 0, (*cap - old) * item);
	return array;
}

/* Decimal places a quantity is written with: 0..4. */
static int
places_of(ka_dec v)
{
	int places = KA_DEC_PLACES;

	if (v == 0)
		return 0;
	while (places > 0 && v % 10 == 0) {
		v /= 10;
		places--;
	}
	return places;
}

static int64_t
quantum(int places)
{
	int64_t q = 1;
	int i;

	for (i = places; i < KA_DEC_PLACES; i++)
		q *= 10;
	return q;
}

/* A ka_dec quantity in whole units of 10^-places (exact by choice of
   places), and back. */
static int64_t
to_quanta(ka_dec v, int places)
{
	return v / quantum(places);
}

static ka_dec
from_quanta(int64_t q, int places)
{
	return q * quantum(places);
}

/* A forecast in whole units of 10^-places, half away from zero. */
static int64_t
round_quanta(double x, int places)
{
	double scaled = x;
	int i;

	for (i = 0; i < places; i++)
		scaled *= 10;
	if (!(scaled < 1e15))
		scaled = 1e15;	/* far beyond any stock; keeps sums exact */
	return (int64_t)llround(scaled);
}

static void
format_quanta(int64_t q, int places, char *buf)
{
	ka_dec_format(from_quanta(q, places), -1, buf);
}

/* ---- configuration ---- */

void
ka_stock_config_init(struct ka_stock_config *config)
{
	memset(config, 0, sizeof(*config));
	config->unit = KA_STOCK_WEEK;
	config->method = KA_FC_AUTO;
	config->as_of = ka_date_today();
}

static const char *const strategy_names[] = {
	"priority", "prorata", "fair", "reserve"
};

const char *
ka_stock_strategy_name(enum ka_stock_strategy strategy)
{
	return (unsigned)strategy <= KA_STOCK_RESERVE ?
	    strategy_names[strategy] : "?";
}

int
ka_stock_strategy_parse(const char *name)
{
	int i;

	for (i = 0; i <= KA_STOCK_RESERVE; i++)
		if (strcmp(name, strategy_names[i]) == 0)
			return i;
	return -1;
}

/* ---- periods ---- */

long
ka_stock_period_index(enum ka_stock_unit unit, ka_date d)
{
	int y, m, day;

	if (unit == KA_STOCK_WEEK) {
		ka_date monday = d - (ka_date_weekday(d) - 1);

		/* 1970-01-05, day 4, was a Monday. */
		return ((long)monday - 4) / 7;
	}
	ka_date_to_ymd(d, &y, &m, &day);
	return (long)y * 12 + (m - 1);
}

ka_date
ka_stock_period_first(enum ka_stock_unit unit, long index)
{
	if (unit == KA_STOCK_WEEK)
		return (ka_date)(4 + 7 * index);
	return ka_date_from_ymd((int)(index / 12), (int)(index % 12) + 1, 1);
}

ka_date
ka_stock_period_last(enum ka_stock_unit unit, long index)
{
	if (unit == KA_STOCK_WEEK)
		return (ka_date)(4 + 7 * index + 6);
	return ka_stock_period_first(unit, index + 1) - 1;
}

void
ka_stock_period_label(enum ka_stock_unit unit, long index, char *buf)
{
	int year, week;

	if (unit == KA_STOCK_WEEK) {
		ka_date_iso_week(ka_stock_period_first(unit, index), &year,
		    &week);
		snprintf(buf, KA_PERIOD_BUFSIZE, "%04d-W%02d", year, week);
	} else
		snprintf(buf, KA_PERIOD_BUFSIZE, "%04d-%02d",
		    (int)(index / 12) % 10000, (int)(index % 12) + 1);
}

long
ka_stock_first_forecast_period(const ka_stock *s)
{
	return s->last_period + 1;
}

static size_t
season_of(const ka_stock *s)
{
	return s->config.unit == KA_STOCK_WEEK ? WEEK_SEASON : MONTH_SEASON;
}

/* ---- engine ---- */

ka_stock *
ka_stock_new(const struct ka_stock_config *config)
{
	ka_stock *s = ka_calloc(1, sizeof(*s));
	long current;

	s->config = *config;
	s->history = config->history ? config->history :
	    config->unit == KA_STOCK_WEEK ? 156 : 36;
	current = ka_stock_period_index(config->unit, config->as_of);
	s->last_period = ka_stock_period_last(config->unit, current) ==
	    config->as_of ? current : current - 1;
	s->first_period = s->last_period - (long)s->history + 1;
	s->customer_keys = ka_keys_new();
	s->sku_keys = ka_keys_new();
	s->pair_keys = ka_keys_new();
	s->col_date = s->col_customer_id = s->col_customer = -1;
	s->col_sku = s->col_qty = s->col_product = s->col_category = -1;
	return s;
}

static void
free_results(ka_stock *s)
{
	size_t i;

	for (i = 0; i < s->nshortages; i++)
		free(s->shortages[i].accounts);
	free(s->shortages);
	s->shortages = NULL;
	s->nshortages = s->shortages_cap = 0;
	free(s->allocations);
	s->allocations = NULL;
	s->nallocations = s->allocations_cap = 0;
	free(s->order_now);
	s->order_now = NULL;
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	s->notes = NULL;
	s->nnotes = 0;
}

void
ka_stock_free(ka_stock *s)
{
	size_t i, n;

	if (s == NULL)
		return;
	free_results(s);
	n = ka_keys_count(s->customer_keys);
	for (i = 0; i < n; i++)
		free(s->customers[i].name);
	free(s->customers);
	n = ka_keys_count(s->sku_keys);
	for (i = 0; i < n; i++) {
		free(s->skus[i].product);
		free(s->skus[i].category);
		free(s->skus[i].incoming);
		free(s->skus[i].series);
	}
	free(s->skus);
	for (i = 0; i < s->nseries; i++)
		free(s->series[i].qty);
	free(s->series);
	for (i = 0; i < s->ntiers; i++)
		free(s->tiers[i].label);
	free(s->tiers);
	free(s->orders);
	ka_keys_free(s->customer_keys);
	ka_keys_free(s->sku_keys);
	ka_keys_free(s->pair_keys);
	free(s);
}

static uint32_t
customer_id(ka_stock *s, const char *text, size_t length)
{
	uint32_t id = ka_keys_intern(s->customer_keys, text, length, NULL);

	s->customers = grow(s->customers, &s->customers_cap, (size_t)id + 1,
	    sizeof(*s->customers));
	return id;
}

static uint32_t
sku_id(ka_stock *s, const char *text, size_t length)
{
	uint32_t id = ka_keys_intern(s->sku_keys, text, length, NULL);

	s->skus = grow(s->skus, &s->skus_cap, (size_t)id + 1,
	    sizeof(*s->skus));
	return id;
}

static void
note_places(ka_stock *s, uint32_t sku, ka_dec v)
{
	int p = places_of(v);

	if (p > s->skus[sku].places)
		s->skus[sku].places = p;
}

int
ka_stock_bind(ka_stock *s, const ka_record *header,
    const struct ka_roles *roles, enum ka_role *missing)
{
	s->header = header;
	s->col_date = roles->column[KA_ROLE_DATE];
	s->col_customer_id = roles->column[KA_ROLE_CUSTOMER_ID];
	s->col_customer = roles->column[KA_ROLE_CUSTOMER];
	s->col_sku = roles->column[KA_ROLE_SKU];
	s->col_qty = roles->column[KA_ROLE_QTY];
	s->col_product = roles->column[KA_ROLE_PRODUCT];
	s->col_category = roles->column[KA_ROLE_CATEGORY];
	if (s->col_customer_id < 0)
		s->col_customer_id = s->col_customer;
	if (s->col_date < 0) {
		*missing = KA_ROLE_DATE;
		return -1;
	}
	if (s->col_customer_id < 0) {
		*missing = KA_ROLE_CUSTOMER_ID;
		return -1;
	}
	if (s->col_sku < 0) {
		*missing = KA_ROLE_SKU;
		return -1;
	}
	if (s->col_qty < 0) {
		*missing = KA_ROLE_QTY;
		return -1;
	}
	return 0;
}

static const char *
header_name(const ka_record *header, long column)
{
	return header != NULL && column >= 0 &&
	    (size_t)column < header->nfields ? ka_field(header, (size_t)column) :
	    "?";
}

static void
set_error(ka_stock *s, long column, const char *what, const char *text,
    size_t length)
{
	snprintf(s->error, sizeof(s->error), "column %ld (%s): %s: \"%.*s\"",
	    column + 1, header_name(s->header, column), what,
	    (int)ka_text_shown(text, length), text);
	s->error_column = (size_t)column + 1;
}

const char *
ka_stock_error(const ka_stock *s)
{
	return s->error;
}

size_t
ka_stock_error_column(const ka_stock *s)
{
	return s->error_column;
}

const struct ka_stock_counts *
ka_stock_counts(const ka_stock *s)
{
	return &s->counts;
}

static int
is_null(const ka_stock *s, const char *text, size_t length)
{
	const char *null = s->config.null_string;

	return null != NULL && strlen(null) == length &&
	    memcmp(null, text, length) == 0;
}

static void
tally(struct ka_stock_tally *t, int readable, ka_dec qty)
{
	t->rows++;
	if (!readable)
		t->unreadable++;
	else if (ka_dec_add(&t->qty, qty) < 0)
		t->overflow = 1;
}

/* The qty of a record, if readable: 1, else 0. */
static int
record_qty(const ka_stock *s, const ka_record *rec, ka_dec *qty)
{
	const char *text;
	size_t length;

	if (s->col_qty < 0 || (size_t)s->col_qty >= rec->nfields)
		return 0;
	text = ka_field(rec, (size_t)s->col_qty);
	length = ka_field_length(rec, (size_t)s->col_qty);
	return ka_dec_parse(text, length, s->config.decimal_comma, qty) ==
	    KA_DEC_OK;
}

void
ka_stock_reject(ka_stock *s, const ka_record *rec)
{
	ka_dec qty = 0;
	int readable = record_qty(s, rec, &qty);

	tally(&s->counts.read, readable, qty);
	tally(&s->counts.rejected, readable, qty);
}

static int
parse_date(const ka_stock *s, const char *text, size_t length, ka_date *d)
{
	if (ka_date_parse(text, length, d) == 0)
		return 0;
	if (s->config.date_format != NULL)
		return ka_date_parse_format(text, length,
		    s->config.date_format, d);
	return -1;
}

/* The text of an optional column, trimmed, "" when absent. */
static const char *
optional_field(const ka_stock *s, const ka_record *rec, long column,
    size_t *length)
{
	const char *text;

	*length = 0;
	if (column < 0 || (size_t)column >= rec->nfields)
		return "";
	text = ka_field(rec, (size_t)column);
	*length = ka_field_length(rec, (size_t)column);
	ka_text_trim(&text, length);
	if (is_null(s, text, *length))
		*length = 0;
	return text;
}

static size_t
series_of(ka_stock *s, uint32_t customer, uint32_t sku)
{
	uint32_t pair[2] = { customer, sku };
	int added = 0;
	uint32_t id = ka_keys_intern(s->pair_keys, (const char *)pair,
	    sizeof(pair), &added);

	if (added) {
		struct sku_info *k = &s->skus[sku];

		s->series = grow(s->series, &s->series_cap, (size_t)id + 1,
		    sizeof(*s->series));
		s->series[id].customer = customer;
		s->series[id].sku = sku;
		s->series[id].qty = ka_calloc(s->history, sizeof(ka_dec));
		s->nseries = (size_t)id + 1;
		k->series = grow(k->series, &k->series_cap, k->nseries + 1,
		    sizeof(size_t));
		k->series[k->nseries++] = id;
	}
	return id;
}

enum ka_stock_verdict
ka_stock_add(ka_stock *s, const ka_record *rec)
{
	const char *text, *cid, *sku_text, *name;
	size_t length, cid_length, sku_length, name_length;
	ka_dec qty = 0;
	int readable = record_qty(s, rec, &qty), passed;
	enum ka_dec_status status;
	uint32_t customer, sku;
	size_t id;
	ka_date date;
	long period;
	char error[512];

	s->error[0] = '\0';
	s->error_column = 0;
	if (s->config.filter != NULL) {
		passed = ka_filter_match(s->config.filter, rec, error,
		    sizeof(error));
		if (passed < 0) {
			snprintf(s->error, sizeof(s->error), "%s", error);
			return KA_STOCK_FATAL;
		}
		if (!passed) {
			tally(&s->counts.read, readable, qty);
			tally(&s->counts.filtered, readable, qty);
			return KA_STOCK_FILTERED;
		}
	}
	text = optional_field(s, rec, s->col_date, &length);
	if (parse_date(s, text, length, &date) < 0) {
		set_error(s, s->col_date, length ? "not a date" : "no date",
		    text, length);
		return KA_STOCK_BAD;
	}
	period = ka_stock_period_index(s->config.unit, date);
	if (period < s->first_period || period > s->last_period) {
		tally(&s->counts.read, readable, qty);
		tally(&s->counts.outside, readable, qty);
		return KA_STOCK_OUTSIDE;
	}
	text = optional_field(s, rec, s->col_qty, &length);
	status = ka_dec_parse(text, length, s->config.decimal_comma, &qty);
	if (status != KA_DEC_OK) {
		set_error(s, s->col_qty, status == KA_DEC_EMPTY ? "empty" :
		    ka_dec_status_text(status), text, length);
		return KA_STOCK_BAD;
	}
	cid = optional_field(s, rec, s->col_customer_id, &cid_length);
	sku_text = optional_field(s, rec, s->col_sku, &sku_length);
	if (cid_length == 0 || sku_length == 0) {
		snprintf(s->error, sizeof(s->error), "no %s",
		    cid_length == 0 ? "customer_id" : "sku");
		s->error_column = (size_t)(cid_length == 0 ?
		    s->col_customer_id : s->col_sku) + 1;
		tally(&s->counts.read, 1, qty);
		tally(&s->counts.unassigned, 1, qty);
		return KA_STOCK_UNASSIGNED;
	}
	customer = customer_id(s, cid, cid_length);
	sku = sku_id(s, sku_text, sku_length);
	if (s->customers[customer].name == NULL && s->col_customer >= 0 &&
	    s->col_customer != s->col_customer_id) {
		name = optional_field(s, rec, s->col_customer, &name_length);
		if (name_length > 0)
			s->customers[customer].name = ka_strndup(name,
			    name_length);
	}
	if (s->skus[sku].product == NULL) {
		name = optional_field(s, rec, s->col_product, &name_length);
		if (name_length > 0)
			s->skus[sku].product = ka_strndup(name, name_length);
	}
	if (s->skus[sku].category == NULL) {
		name = optional_field(s, rec, s->col_category, &name_length);
		if (name_length > 0)
			s->skus[sku].category = ka_strndup(name, name_length);
	}
	id = series_of(s, customer, sku);
	if (ka_dec_add(&s->series[id].qty[period - s->first_period], qty) <
	    0) {
		snprintf(s->error, sizeof(s->error), "%s:%lu: the qty of "
		    "customer %.*s, sku %.*s in one period is too large",
		    rec->file, rec->line, (int)cid_length, cid,
		    (int)sku_length, sku_text);
		return KA_STOCK_FATAL;
	}
	note_places(s, sku, qty);
	tally(&s->counts.read, 1, qty);
	tally(&s->counts.used, 1, qty);
	return KA_STOCK_USED;
}

/* ---- the other files ---- */

struct side_file {
	ka_reader	*reader;
	const ka_record	*header;
	struct ka_roles	 roles;
	const char	*path;
};

static int
open_side(struct side_file *f, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct ka_reader_options read = *options;
	const char *files[1];

	files[0] = path;
	read.no_header = 0;
	read.progress = 0;
	read.delimiter = 0;
	f->path = path;
	if ((f->reader = ka_reader_open(files, 1, &read)) == NULL) {
		/* The reader has said why. */
		if (size > 0)
			error[0] = '\0';
		return KA_EXIT_DATA;
	}
	f->header = ka_reader_header(f->reader);
	ka_roles_init(&f->roles);
	if (ka_roles_resolve(&f->roles, f->header, error, size) < 0) {
		ka_reader_close(f->reader);
		return KA_EXIT_USAGE;
	}
	return 0;
}

/* A column by any of names (case-insensitive), or -1. */
static long
find_column(const ka_record *header, const char *const *names)
{
	size_t i;
	int j;

	for (j = 0; names[j] != NULL; j++)
		for (i = 0; i < header->nfields; i++) {
			const char *h = ka_field(header, i);
			size_t length = ka_field_length(header, i);

			ka_text_trim(&h, &length);
			if (strlen(names[j]) == length &&
			    strncasecmp(h, names[j], length) == 0)
				return (long)i;
		}
	return -1;
}

static void
header_list(const ka_record *header, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < header->nfields && used + 1 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    i ? ", " : "", ka_field(header, i));
}

static int
missing_column(struct side_file *f, const char *what, const char *tried,
    char *error, size_t size)
{
	char seen[300];

	header_list(f->header, seen, sizeof(seen));
	snprintf(error, size, "%s: no %s column (header: %s; tried %s)",
	    f->path, what, seen, tried);
	ka_reader_close(f->reader);
	return KA_EXIT_USAGE;
}

static int
side_error(struct side_file *f, const ka_record *rec, long column,
    const char *what, char *error, size_t size)
{
	const char *text = ka_field(rec, (size_t)column);
	size_t length = ka_field_length(rec, (size_t)column);

	snprintf(error, size, "%s:%lu: column %ld (%s): %s: \"%.*s\"",
	    rec->file, rec->line, column + 1, ka_field(f->header,
	    (size_t)column), what, (int)ka_text_shown(text, length), text);
	ka_reader_close(f->reader);
	return KA_EXIT_DATA;
}

/* Reads the next record; 1, 0 at the end, or an exit status < 0. */
static int
side_next(struct side_file *f, ka_record *rec, char *error, size_t size)
{
	enum ka_read_status status;
	int got = ka_reader_next(f->reader, rec, &status);

	if (got < 0 || (got > 0 && status != KA_READ_OK)) {
		snprintf(error, size, "%s", ka_reader_error(f->reader));
		ka_reader_close(f->reader);
		return -1;
	}
	if (got == 0)
		ka_reader_close(f->reader);
	return got;
}

static const char *
side_field(const ka_stock *s, const ka_record *rec, long column,
    size_t *length)
{
	return optional_field(s, rec, column, length);
}

/* A quantity that must not be negative; empty is 0 when allowed. */
static int
side_quantity(ka_stock *s, struct side_file *f, const ka_record *rec,
    long column, const char *negative, int empty_ok, ka_dec *out,
    char *error, size_t size)
{
	const char *text;
	size_t length;
	enum ka_dec_status status;

	*out = 0;
	if (column < 0)
		return 0;
	text = side_field(s, rec, column, &length);
	status = ka_dec_parse(text, length, s->config.decimal_comma, out);
	if (status == KA_DEC_EMPTY && empty_ok) {
		*out = 0;
		return 0;
	}
	if (status != KA_DEC_OK)
		return side_error(f, rec, column, status == KA_DEC_EMPTY ?
		    "empty" : ka_dec_status_text(status), error, size);
	if (*out < 0)
		return side_error(f, rec, column, negative, error, size);
	return 0;
}

static int
tier_order(const void *a, const void *b)
{
	const struct tier *x = a, *y = b;

	if (x->best_rank != y->best_rank)
		return x->best_rank < y->best_rank ? -1 : 1;
	return strcmp(x->label, y->label);
}

int
ka_stock_load_accounts(ka_stock *s, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct side_file f;
	struct tier *order;
	ka_record rec;
	long col_id, col_tier, col_rank, col_name;
	size_t *map, i, n, row = 0;
	int status, got;

	if ((status = open_side(&f, path, options, error, size)) != 0)
		return status;
	col_id = f.roles.column[KA_ROLE_CUSTOMER_ID];
	col_name = f.roles.column[KA_ROLE_CUSTOMER];
	if (col_id < 0)
		col_id = col_name;
	col_tier = f.roles.column[KA_ROLE_TIER];
	col_rank = f.roles.column[KA_ROLE_RANK];
	if (col_id < 0)
		return missing_column(&f, "customer_id", "customer_id, "
		    "customer and their aliases", error, size);
	if (col_tier < 0)
		return missing_column(&f, "tier", "tier and its aliases", error,
		    size);
	while ((got = side_next(&f, &rec, error, size)) > 0) {
		const char *id, *label, *text;
		size_t id_length, label_length, length;
		struct customer_info *c;
		uint32_t cust;
		long rank;

		row++;
		id = side_field(s, &rec, col_id, &id_length);
		label = side_field(s, &rec, col_tier, &label_length);
		if (id_length == 0 || label_length == 0)
			continue;	/* ka-rank's lost rows have no tier */
		rank = (long)row;
		if (col_rank >= 0) {
			char *end = NULL;

			text = side_field(s, &rec, col_rank, &length);
			rank = length > 0 && length < 19 &&
			    isdigit((unsigned char)text[0]) ?
			    strtol(text, &end, 10) : -1;
			if (rank < 1 || end != text + length)
				return side_error(&f, &rec, col_rank,
				    "not a rank (a whole number from 1)",
				    error, size);
		}
		cust = customer_id(s, id, id_length);
		c = &s->customers[cust];
		if (c->listed) {
			snprintf(error, size, "%s:%lu: customer %.*s is listed "
			    "twice", rec.file, rec.line, (int)id_length, id);
			ka_reader_close(f.reader);
			return KA_EXIT_DATA;
		}
		for (i = 0; i < s->ntiers; i++)
			if (strlen(s->tiers[i].label) == label_length &&
			    memcmp(s->tiers[i].label, label,
			    label_length) == 0)
				break;
		if (i == s->ntiers) {
			s->tiers = ka_realloc(s->tiers, (s->ntiers + 1) *
			    sizeof(*s->tiers));
			s->tiers[i].label = ka_strndup(label, label_length);
			s->tiers[i].best_rank = rank;
			s->ntiers++;
		}
		if (rank < s->tiers[i].best_rank)
			s->tiers[i].best_rank = rank;
		c->listed = 1;
		c->tier = (int)i;
		c->rank = rank;
		if (col_name >= 0 && col_name != col_id && c->name == NULL) {
			text = side_field(s, &rec, col_name, &length);
			if (length > 0)
				c->name = ka_strndup(text, length);
		}
	}
	if (got < 0)
		return KA_EXIT_DATA;
	/* Tiers best first: the one holding the lowest rank. */
	order = ka_calloc(s->ntiers + 1, sizeof(*order));
	for (i = 0; i < s->ntiers; i++) {
		order[i] = s->tiers[i];
		order[i].old = i;
	}
	qsort(order, s->ntiers, sizeof(*order), tier_order);
	map = ka_calloc(s->ntiers + 1, sizeof(size_t));
	for (i = 0; i < s->ntiers; i++) {
		map[order[i].old] = i;
		s->tiers[i] = order[i];
	}
	free(order);
	n = ka_keys_count(s->customer_keys);
	for (i = 0; i < n; i++)
		if (s->customers[i].listed)
			s->customers[i].tier = (int)map[s->customers[i].tier];
	free(map);
	s->accounts_loaded = 1;
	return ka_stock_set_key_tiers(s, NULL, error, size) < 0 ?
	    KA_EXIT_USAGE : 0;
}

size_t
ka_stock_tier_count(const ka_stock *s)
{
	return s->ntiers;
}

const char *
ka_stock_tier_label(const ka_stock *s, size_t tier)
{
	return tier < s->ntiers ? s->tiers[tier].label : "";
}

static int
tier_of_label(const ka_stock *s, const char *label, size_t length)
{
	size_t i;

	for (i = 0; i < s->ntiers; i++)
		if (strlen(s->tiers[i].label) == length &&
		    memcmp(s->tiers[i].label, label, length) == 0)
			return (int)i;
	return -1;
}

static void
tier_list(const ka_stock *s, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < s->ntiers && used + 1 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    i ? ", " : "", s->tiers[i].label);
}

int
ka_stock_set_key_tiers(ka_stock *s, const char *list, char *error,
    size_t size)
{
	int key[64] = { 0 };
	size_t i, n = ka_keys_count(s->customer_keys);
	char known[400];

	if (s->ntiers > 64) {
		snprintf(error, size, "the accounts file has %zu tiers; at most "
		    "64 are supported", s->ntiers);
		return -1;
	}
	if (list == NULL) {
		if (s->ntiers > 0)
			key[0] = 1;
	} else {
		const char *p = list;

		while (*p != '\0') {
			size_t length = strcspn(p, ",");
			int t = tier_of_label(s, p, length);

			if (t < 0) {
				tier_list(s, known, sizeof(known));
				snprintf(error, size, "--key: no tier \"%.*s\" "
				    "in the accounts file (tiers: %s)",
				    (int)length, p, known);
				return -1;
			}
			key[t] = 1;
			p += length;
			if (*p == ',')
				p++;
		}
	}
	for (i = 0; i < n; i++)
		s->customers[i].key = s->customers[i].listed &&
		    key[s->customers[i].tier];
	return 0;
}

static const char *const on_hand_names[] = {
	"on_hand", "onhand", "on_hand_qty", "stock", "in_stock", "库存",
	"现有库存", NULL
};
static const char *const incoming_names[] = {
	"incoming", "on_order", "inbound", "in_transit", "在途", "在途数量",
	NULL
};
static const char *const arrival_names[] = {
	"arrival", "arrival_date", "arrives", "eta", "due_date", "到货日期",
	NULL
};
static const char *const safety_names[] = {
	"safety_stock", "safety", "min_stock", "安全库存", NULL
};
static const char *const requested_names[] = {
	"requested", "requested_date", "request_date", "due",
	"delivery_date", "交货日期", NULL
};

int
ka_stock_load_stock(ka_stock *s, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct side_file f;
	ka_record rec;
	long col_sku, col_on_hand, col_incoming, col_arrival, col_safety;
	int status, got;

	if ((status = open_side(&f, path, options, error, size)) != 0)
		return status;
	col_sku = f.roles.column[KA_ROLE_SKU];
	col_on_hand = find_column(f.header, on_hand_names);
	col_incoming = find_column(f.header, incoming_names);
	col_arrival = find_column(f.header, arrival_names);
	col_safety = find_column(f.header, safety_names);
	if (col_sku < 0)
		return missing_column(&f, "sku", "sku and its aliases", error,
		    size);
	if (col_on_hand < 0 && col_incoming < 0)
		return missing_column(&f, "on_hand or incoming", "on_hand, "
		    "onhand, stock, in_stock, incoming, on_order, inbound, "
		    "in_transit", error, size);
	if (col_incoming >= 0 && col_arrival < 0)
		return missing_column(&f, "arrival", "arrival, arrival_date, "
		    "arrives, eta, due_date (incoming needs its date)", error,
		    size);
	while ((got = side_next(&f, &rec, error, size)) > 0) {
		const char *text;
		size_t length;
		struct sku_info *k;
		ka_dec on_hand, incoming, safety;
		uint32_t sku;
		ka_date arrival = KA_DATE_NONE;

		text = side_field(s, &rec, col_sku, &length);
		if (length == 0) {
			snprintf(error, size, "%s:%lu: column %ld (%s): no sku",
			    rec.file, rec.line, col_sku + 1,
			    ka_field(f.header, (size_t)col_sku));
			ka_reader_close(f.reader);
			return KA_EXIT_DATA;
		}
		if ((status = side_quantity(s, &f, &rec, col_on_hand,
		    "negative stock", 1, &on_hand, error, size)) != 0 ||
		    (status = side_quantity(s, &f, &rec, col_incoming,
		    "negative incoming", 1, &incoming, error, size)) != 0 ||
		    (status = side_quantity(s, &f, &rec, col_safety,
		    "negative safety stock", 1, &safety, error, size)) != 0)
			return status;
		if (col_arrival >= 0) {
			const char *date;
			size_t date_length;

			date = side_field(s, &rec, col_arrival, &date_length);
			if (date_length > 0 && parse_date(s, date, date_length,
			    &arrival) < 0)
				return side_error(&f, &rec, col_arrival,
				    "not a date", error, size);
			if (incoming > 0 && date_length == 0)
				return side_error(&f, &rec, col_arrival,
				    "incoming stock has no arrival date", error,
				    size);
		}
		sku = sku_id(s, text, length);
		k = &s->skus[sku];
		k->has_stock = 1;
		if (ka_dec_add(&k->on_hand, on_hand) < 0 ||
		    ka_dec_add(&k->safety, safety) < 0) {
			snprintf(error, size, "%s:%lu: the stock of sku %.*s is "
			    "too large", rec.file, rec.line, (int)length, text);
			ka_reader_close(f.reader);
			return KA_EXIT_DATA;
		}
		note_places(s, sku, on_hand);
		note_places(s, sku, safety);
		if (incoming > 0) {
			k->incoming = grow(k->incoming, &k->incoming_cap,
			    k->nincoming + 1, sizeof(*k->incoming));
			k->incoming[k->nincoming].qty = incoming;
			k->incoming[k->nincoming].arrival = arrival;
			k->nincoming++;
			note_places(s, sku, incoming);
		}
	}
	return got < 0 ? KA_EXIT_DATA : 0;
}

int
ka_stock_load_orders(ka_stock *s, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct side_file f;
	ka_record rec;
	long col_id, col_sku, col_qty, col_requested, col_date;
	int status, got;

	if ((status = open_side(&f, path, options, error, size)) != 0)
		return status;
	col_id = f.roles.column[KA_ROLE_CUSTOMER_ID];
	if (col_id < 0)
		col_id = f.roles.column[KA_ROLE_CUSTOMER];
	col_sku = f.roles.column[KA_ROLE_SKU];
	col_qty = f.roles.column[KA_ROLE_QTY];
	col_requested = find_column(f.header, requested_names);
	col_date = f.roles.column[KA_ROLE_DATE];
	if (col_date == col_requested)
		col_date = -1;
	if (col_id < 0)
		return missing_column(&f, "customer_id", "customer_id, "
		    "customer and their aliases", error, size);
	if (col_sku < 0)
		return missing_column(&f, "sku", "sku and its aliases", error,
		    size);
	if (col_qty < 0)
		return missing_column(&f, "qty", "qty and its aliases", error,
		    size);
	s->has_orders = 1;
	while ((got = side_next(&f, &rec, error, size)) > 0) {
		const char *id, *sku_text, *text;
		size_t id_length, sku_length, length;
		struct order_line *o;
		ka_dec qty;

		id = side_field(s, &rec, col_id, &id_length);
		sku_text = side_field(s, &rec, col_sku, &sku_length);
		if (id_length == 0 || sku_length == 0) {
			long c = id_length == 0 ? col_id : col_sku;

			snprintf(error, size, "%s:%lu: column %ld (%s): no %s",
			    rec.file, rec.line, c + 1,
			    ka_field(f.header, (size_t)c),
			    id_length == 0 ? "customer_id" : "sku");
			ka_reader_close(f.reader);
			return KA_EXIT_DATA;
		}
		if ((status = side_quantity(s, &f, &rec, col_qty,
		    "negative order qty", 0, &qty, error, size)) != 0)
			return status;
		s->orders = grow(s->orders, &s->orders_cap, s->norders + 1,
		    sizeof(*s->orders));
		o = &s->orders[s->norders];
		o->customer = customer_id(s, id, id_length);
		o->sku = sku_id(s, sku_text, sku_length);
		o->qty = qty;
		o->requested = o->ordered = KA_DATE_NONE;
		o->sequence = s->norders;
		if (col_requested >= 0) {
			text = side_field(s, &rec, col_requested, &length);
			if (length > 0 && parse_date(s, text, length,
			    &o->requested) < 0)
				return side_error(&f, &rec, col_requested,
				    "not a date", error, size);
		}
		if (col_date >= 0) {
			text = side_field(s, &rec, col_date, &length);
			if (length > 0 && parse_date(s, text, length,
			    &o->ordered) < 0)
				return side_error(&f, &rec, col_date,
				    "not a date", error, size);
		}
		note_places(s, o->sku, qty);
		s->norders++;
	}
	return got < 0 ? KA_EXIT_DATA : 0;
}

/* ---- forecasting a series ---- */

/* The history of series ids[0..n) summed (key accounts only if asked),
   as doubles with net returns below zero counted as zero.  Returns the
   index of the first period with demand (n_periods when none). */
static size_t
history_of(const ka_stock *s, const size_t *ids, size_t n, double *y)
{
	size_t t, i, first = s->history;

	for (t = 0; t < s->history; t++) {
		ka_dec sum = 0;
		double v;

		for (i = 0; i < n; i++)
			if (ka_dec_add(&sum, s->series[ids[i]].qty[t]) < 0)
				sum = INT64_MAX;	/* statistics only */
		v = sum > 0 ? ka_dec_to_double(sum) : 0;
		y[t] = v;
		if (v > 0 && first == s->history)
			first = t;
	}
	return first;
}

/*
 * Forecasts the summed series ids[0..n) over h periods from the first
 * forecast period; point[0..h).  *used gets the periods of history used.
 */
static int
forecast_ids(const ka_stock *s, const size_t *ids, size_t n, size_t h,
    double *y, double *point, double *lo80, double *hi80, double *lo95,
    double *hi95, struct ka_fc_result *r, size_t *used)
{
	size_t first = history_of(s, ids, n, y);

	*used = s->history - first;
	return ka_fc_forecast(y + first, *used, season_of(s),
	    s->config.method, h, point, lo80, hi80, lo95, hi95, r);
}

/* The share of period k (from the first forecast period) inside
   from..until. */
static double
period_weight(const ka_stock *s, size_t k, ka_date from, ka_date until)
{
	long index = s->last_period + 1 + (long)k;
	ka_date first = ka_stock_period_first(s->config.unit, index);
	ka_date last = ka_stock_period_last(s->config.unit, index);
	ka_date a = first > from ? first : from;
	ka_date b = last < until ? last : until;

	if (b < a)
		return 0;
	return (double)(b - a + 1) / (double)(last - first + 1);
}

/* Periods from the first forecast period up to the one holding until. */
static size_t
periods_until(const ka_stock *s, ka_date until)
{
	long last = ka_stock_period_index(s->config.unit, until);

	return last > s->last_period ? (size_t)(last - s->last_period) : 0;
}

/*
 * cumulative[k] = the series' demand from as_of + 1 to the end of
 * forecast period k (or until), in quanta of places, rounded once per k.
 */
static int
window_demand(const ka_stock *s, size_t series_id, size_t K, ka_date until,
    int places, double *y, double *point, int64_t *cumulative)
{
	struct ka_fc_result r;
	double sum = 0;
	size_t used, k;

	if (forecast_ids(s, &series_id, 1, K, y, point, NULL, NULL, NULL,
	    NULL, &r, &used) < 0)
		return -1;
	for (k = 0; k < K; k++) {
		sum += point[k] * period_weight(s, k, s->config.as_of + 1,
		    until);
		cumulative[k] = round_quanta(sum, places);
	}
	return 0;
}

/* ---- forecast output ---- */

static int
compare_text(const char *a, const char *b)
{
	return strcmp(a, b);
}

static const ka_stock *sort_stock;	/* for the qsort comparisons below */

static int
series_order(const void *a, const void *b)
{
	const struct series *x = &sort_stock->series[*(const size_t *)a];
	const struct series *y = &sort_stock->series[*(const size_t *)b];
	int c = compare_text(ka_keys_text(sort_stock->customer_keys,
	    x->customer), ka_keys_text(sort_stock->customer_keys,
	    y->customer));

	if (c != 0)
		return c;
	return compare_text(ka_keys_text(sort_stock->sku_keys, x->sku),
	    ka_keys_text(sort_stock->sku_keys, y->sku));
}

static int
sku_order(const void *a, const void *b)
{
	return compare_text(ka_keys_text(sort_stock->sku_keys,
	    *(const uint32_t *)a), ka_keys_text(sort_stock->sku_keys,
	    *(const uint32_t *)b));
}

static const char *
category_of(const ka_stock *s, uint32_t sku)
{
	return s->skus[sku].category != NULL ? s->skus[sku].category : "";
}

static int
category_order(const void *a, const void *b)
{
	int c = compare_text(category_of(sort_stock, *(const uint32_t *)a),
	    category_of(sort_stock, *(const uint32_t *)b));

	return c != 0 ? c : sku_order(a, b);
}

static int
counts_for(const ka_stock *s, uint32_t customer)
{
	return !s->accounts_loaded || s->customers[customer].key;
}

/* A statistic shown with 2 decimals, half away from zero. */
static void
write_stat(ka_writer *w, double v)
{
	ka_dec d;

	if (!(v < 1e14))
		v = 1e14;
	d = (ka_dec)llround(v * 100) * (KA_DEC_SCALE / 100);
	ka_writer_decimal(w, d, 2);
}

static void
describe(const ka_stock *s, const struct ka_fc_result *r, size_t used,
    char *buf, size_t size)
{
	size_t m = season_of(s), n = 0;
	const char *unit = s->config.unit == KA_STOCK_WEEK ? "weeks" :
	    "months";

	buf[0] = '\0';
#define ADD(...) do { \
	if (n < size) \
		n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); \
} while (0)
	if (r->notes & KA_FC_NOTE_NO_DEMAND)
		ADD("no demand in the history");
	if ((r->notes & KA_FC_NOTE_SHORT) && r->asked == KA_FC_AUTO)
		ADD("%stoo short for seasonality: %zu %s, %zu before the "
		    "holdout (snaive needs %zu, hw %zu)", n ? "; " : "", used,
		    unit, used - r->holdout, m, 2 * m);
	else if (r->notes & KA_FC_NOTE_SHORT)
		ADD("%stoo short for seasonality: %zu %s, %s needs %zu",
		    n ? "; " : "", used, unit,
		    ka_fc_method_name(r->asked), r->asked == KA_FC_SNAIVE ?
		    m : 2 * m);
	if (r->notes & KA_FC_NOTE_NOT_POSITIVE)
		ADD("%shw-mul needs demand in every period", n ? "; " : "");
	if (r->asked == KA_FC_AUTO && r->holdout > 0) {
		ADD("%sholdout %zu: rmse %.2f", n ? "; " : "", r->holdout,
		    r->holdout_rmse);
		if (!isnan(r->runner_up_rmse))
			ADD(", %s %.2f", ka_fc_method_name(r->runner_up),
			    r->runner_up_rmse);
	} else if (r->asked == KA_FC_AUTO && r->cls != KA_FC_NO_DEMAND)
		ADD("%stoo short for a holdout: %zu %s", n ? "; " : "", used,
		    unit);
#undef ADD
}

static void
write_forecast_rows(const ka_stock *s, ka_writer *w, enum ka_stock_by by,
    const char *const *keys, size_t nkeys, size_t h, const double *point,
    const double *lo80, const double *hi80, const double *lo95,
    const double *hi95, const struct ka_fc_result *r, size_t used)
{
	char label[KA_PERIOD_BUFSIZE], date[KA_DATE_BUFSIZE], note[300];
	size_t k, i;

	(void)by;
	describe(s, r, used, note, sizeof(note));
	for (k = 0; k < h; k++) {
		long index = s->last_period + 1 + (long)k;

		for (i = 0; i < nkeys; i++)
			ka_writer_string(w, keys[i]);
		ka_stock_period_label(s->config.unit, index, label);
		ka_writer_string(w, label);
		ka_date_format(ka_stock_period_first(s->config.unit, index),
		    date);
		ka_writer_string(w, date);
		write_stat(w, point[k]);
		write_stat(w, lo80[k]);
		write_stat(w, hi80[k]);
		write_stat(w, lo95[k]);
		write_stat(w, hi95[k]);
		ka_writer_string(w, ka_fc_method_name(r->method));
		ka_writer_string(w, ka_fc_class_name(r->cls));
		ka_writer_integer(w, (long long)used);
		ka_writer_string(w, note);
		ka_writer_end_row(w);
	}
}

int
ka_stock_write_forecast(ka_stock *s, enum ka_stock_by by, size_t h,
    ka_writer *w)
{
	static const char *const tail[] = {
		"period", "start", "forecast", "lo80", "hi80", "lo95", "hi95",
		"method", "class", "periods", "note"
	};
	const char *names[16];
	size_t nnames = 0, i, j, nskus = ka_keys_count(s->sku_keys);
	double *y, *buf;
	size_t *ids, nids;
	uint32_t *skus;
	struct ka_fc_result r;
	size_t used;

	if (by == KA_STOCK_BY_CUSTOMER_SKU) {
		names[nnames++] = "customer_id";
		names[nnames++] = "customer";
		if (s->accounts_loaded)
			names[nnames++] = "tier";
		names[nnames++] = "sku";
	} else if (by == KA_STOCK_BY_SKU) {
		names[nnames++] = "sku";
		names[nnames++] = "product";
		names[nnames++] = "category";
	} else
		names[nnames++] = "category";
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		names[nnames++] = tail[i];
	ka_writer_header(w, names, nnames);

	y = ka_malloc((s->history + 1) * sizeof(double));
	buf = ka_malloc(5 * (h + 1) * sizeof(double));
	ids = ka_malloc((s->nseries + 1) * sizeof(size_t));
	skus = ka_malloc((nskus + 1) * sizeof(uint32_t));
	sort_stock = s;
	if (by == KA_STOCK_BY_CUSTOMER_SKU) {
		for (i = 0, nids = 0; i < s->nseries; i++)
			if (counts_for(s, s->series[i].customer))
				ids[nids++] = i;
		qsort(ids, nids, sizeof(size_t), series_order);
		for (i = 0; i < nids; i++) {
			const struct series *x = &s->series[ids[i]];
			const struct customer_info *c =
			    &s->customers[x->customer];
			const char *keys[4];
			size_t nkeys = 0;

			if (forecast_ids(s, &ids[i], 1, h, y, buf, buf + h,
			    buf + 2 * h, buf + 3 * h, buf + 4 * h, &r,
			    &used) < 0)
				goto fail;
			keys[nkeys++] = ka_keys_text(s->customer_keys,
			    x->customer);
			keys[nkeys++] = c->name != NULL ? c->name : "";
			if (s->accounts_loaded)
				keys[nkeys++] = ka_stock_tier_label(s,
				    (size_t)c->tier);
			keys[nkeys++] = ka_keys_text(s->sku_keys, x->sku);
			write_forecast_rows(s, w, by, keys, nkeys, h, buf,
			    buf + h, buf + 2 * h, buf + 3 * h, buf + 4 * h, &r,
			    used);
		}
	} else {
		for (i = 0; i < nskus; i++)
			skus[i] = (uint32_t)i;
		qsort(skus, nskus, sizeof(uint32_t), by == KA_STOCK_BY_SKU ?
		    sku_order : category_order);
		for (i = 0; i < nskus; i = j) {
			const char *keys[3];
			size_t nkeys = 0, k;

			/* The skus of one group are next to each other. */
			for (j = i + 1; by == KA_STOCK_BY_CATEGORY &&
			    j < nskus && strcmp(category_of(s, skus[i]),
			    category_of(s, skus[j])) == 0; j++)
				;
			nids = 0;
			for (k = i; k < j; k++) {
				const struct sku_info *info = &s->skus[skus[k]];
				size_t q;

				for (q = 0; q < info->nseries; q++)
					if (counts_for(s, s->series[
					    info->series[q]].customer))
						ids[nids++] = info->series[q];
			}
			if (nids == 0)
				continue;	/* a sku only in stock or orders */
			if (forecast_ids(s, ids, nids, h, y, buf, buf + h,
			    buf + 2 * h, buf + 3 * h, buf + 4 * h, &r,
			    &used) < 0)
				goto fail;
			if (by == KA_STOCK_BY_SKU) {
				const struct sku_info *info = &s->skus[skus[i]];

				keys[nkeys++] = ka_keys_text(s->sku_keys,
				    skus[i]);
				keys[nkeys++] = info->product != NULL ?
				    info->product : "";
				keys[nkeys++] = category_of(s, skus[i]);
			} else
				keys[nkeys++] = category_of(s, skus[i]);
			write_forecast_rows(s, w, by, keys, nkeys, h, buf,
			    buf + h, buf + 2 * h, buf + 3 * h, buf + 4 * h, &r,
			    used);
		}
	}
	free(y);
	free(buf);
	free(ids);
	free(skus);
	return 0;
fail:
	free(y);
	free(buf);
	free(ids);
	free(skus);
	return -1;
}

/* ---- sharing stock ---- */

static int
claim_order(const void *a, const void *b)
{
	const struct ka_stock_claim *x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Serves claims[0..n) in order while left lasts; returns what is left. */
static int64_t
serve_in_order(struct ka_stock_claim *c, size_t n, int64_t left)
{
	size_t i;

	for (i = 0; i < n && left > 0; i++) {
		int64_t want = c[i].demand - c[i].allocated;
		int64_t give = want < left ? want : left;

		c[i].allocated += give;
		left -= give;
	}
	return left;
}

struct remainder {
	size_t		 index;		/* in the tier, priority order */
	wide		 value;
};

static int
remainder_order(const void *a, const void *b)
{
	const struct remainder *x = a, *y = b;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Shares left among c[0..n) (all of one tier) in proportion to demand;
   the tier's demand exceeds left. */
static int
share_prorata(struct ka_stock_claim *c, size_t n, int64_t left)
{
	struct remainder *rest = malloc((n + 1) * sizeof(*rest));
	wide total = 0;
	int64_t given = 0;
	size_t i;

	if (rest == NULL)
		return -1;
	for (i = 0; i < n; i++)
		total += c[i].demand;
	for (i = 0; i < n; i++) {
		wide product = (wide)left * c[i].demand;

		c[i].allocated = (int64_t)(product / total);
		given += c[i].allocated;
		rest[i].index = i;
		rest[i].value = product % total;
	}
	qsort(rest, n, sizeof(*rest), remainder_order);
	for (i = 0; given < left && i < n; i++) {
		c[rest[i].index].allocated++;
		given++;
	}
	free(rest);
	return 0;
}

static const struct ka_stock_claim *demand_base;

static int
demand_order(const void *a, const void *b)
{
	const struct ka_stock_claim *x = &demand_base[*(const size_t *)a];
	const struct ka_stock_claim *y = &demand_base[*(const size_t *)b];

	if (x->demand != y->demand)
		return x->demand < y->demand ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Max-min fair shares of left among c[0..n) (one tier, priority order);
   the tier's demand exceeds left. */
static int
share_fair(struct ka_stock_claim *c, size_t n, int64_t left)
{
	size_t *by_demand = malloc((n + 1) * sizeof(size_t)), i, open;
	int64_t level;

	if (by_demand == NULL)
		return -1;
	for (i = 0; i < n; i++)
		by_demand[i] = i;
	demand_base = c;
	qsort(by_demand, n, sizeof(size_t), demand_order);
	/* Claims asking less than an equal share get all they ask. */
	for (i = 0, open = n; i < n; i++, open--) {
		struct ka_stock_claim *x = &c[by_demand[i]];

		if (x->demand > left / (int64_t)open)
			break;
		x->allocated = x->demand;
		left -= x->demand;
	}
	/* The rest get the equal share; what does not divide goes one
	   quantum each in priority order. */
	level = open > 0 ? left / (int64_t)open : 0;
	for (; i < n; i++) {
		c[by_demand[i]].allocated = level;
		left -= level;
	}
	for (i = 0; i < n && left > 0; i++)
		if (c[i].allocated < c[i].demand) {
			c[i].allocated++;
			left--;
		}
	free(by_demand);
	return 0;
}

int
ka_stock_share(enum ka_stock_strategy strategy, int64_t available,
    struct ka_stock_claim *c, size_t n, const ka_dec *reserve_pct,
    int ntiers)
{
	int64_t left = available > 0 ? available : 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		c[i].allocated = c[i].reserved = 0;
	qsort(c, n, sizeof(*c), claim_order);
	switch (strategy) {
	case KA_STOCK_PRIORITY:
		serve_in_order(c, n, left);
		return 0;
	case KA_STOCK_RESERVE:
		if (reserve_pct != NULL) {
			int64_t base = left;

			for (i = 0; i < n; i = j) {
				int64_t share = 0, rest;

				for (j = i; j < n && c[j].tier == c[i].tier; j++)
					;
				if (c[i].tier < ntiers)
					share = (int64_t)((wide)base *
					    reserve_pct[c[i].tier] /
					    (100 * KA_DEC_SCALE));
				rest = serve_in_order(c + i, j - i, share);
				left -= share - rest;
			}
			for (i = 0; i < n; i++)
				c[i].reserved = c[i].allocated;
		}
		serve_in_order(c, n, left);
		return 0;
	default:
		break;
	}
	for (i = 0; i < n && left > 0; i = j) {
		int64_t tier_demand = 0;

		for (j = i; j < n && c[j].tier == c[i].tier; j++)
			tier_demand += c[j].demand;
		if (tier_demand <= left) {
			serve_in_order(c + i, j - i, left);
			left -= tier_demand;
			continue;
		}
		if ((strategy == KA_STOCK_PRORATA ? share_prorata(c + i, j - i,
		    left) : share_fair(c + i, j - i, left)) < 0)
			return -1;
		left = 0;
	}
	return 0;
}

int
ka_stock_parse_reserve(const ka_stock *s, const char *text,
    struct ka_stock_plan *plan, char *error, size_t size)
{
	const char *p = text;
	ka_dec total = 0;
	char known[400];

	memset(plan->reserve_pct, 0, sizeof(plan->reserve_pct));
	memset(plan->has_reserve, 0, sizeof(plan->has_reserve));
	if (*p == '\0') {
		snprintf(error, size, "--reserve: give TIER:PERCENT,... "
		    "(A:60,B:30)");
		return -1;
	}
	while (*p != '\0') {
		size_t length = strcspn(p, ","), label_length;
		const char *colon = memchr(p, ':', length);
		ka_dec pct;
		int t;

		if (colon == NULL) {
			snprintf(error, size, "--reserve: \"%.*s\" is not "
			    "TIER:PERCENT", (int)length, p);
			return -1;
		}
		label_length = (size_t)(colon - p);
		t = tier_of_label(s, p, label_length);
		if (t < 0) {
			tier_list(s, known, sizeof(known));
			snprintf(error, size, "--reserve: no tier \"%.*s\" in "
			    "the accounts file (tiers: %s)",
			    (int)label_length, p, known[0] ? known : "none");
			return -1;
		}
		if (t >= 8) {
			snprintf(error, size, "--reserve: only the first 8 "
			    "tiers can have a reserve");
			return -1;
		}
		if (ka_dec_parse(colon + 1, length - label_length - 1, 0,
		    &pct) != KA_DEC_OK || pct <= 0 ||
		    pct > 100 * KA_DEC_SCALE) {
			snprintf(error, size, "--reserve: bad percentage "
			    "\"%.*s\" for tier %.*s: expected a number above "
			    "0 and at most 100", (int)(length - label_length -
			    1), colon + 1, (int)label_length, p);
			return -1;
		}
		if (plan->has_reserve[t]) {
			snprintf(error, size, "--reserve: tier %.*s is given "
			    "twice", (int)label_length, p);
			return -1;
		}
		plan->has_reserve[t] = 1;
		plan->reserve_pct[t] = pct;
		total += pct;
		p += length;
		if (*p == ',')
			p++;
	}
	if (total > 100 * KA_DEC_SCALE) {
		ka_dec_format(total, -1, known);
		snprintf(error, size, "--reserve: the shares add up to %s%%, "
		    "more than 100", known);
		return -1;
	}
	return 0;
}

/* ---- allocate ---- */

static void
add_note(ka_stock *s, const char *text)
{
	s->notes = ka_realloc(s->notes, (s->nnotes + 1) * sizeof(char *));
	s->notes[s->nnotes++] = ka_strdup(text);
}

size_t
ka_stock_notes(const ka_stock *s, const char ***lines)
{
	*lines = (const char **)s->notes;
	return s->nnotes;
}

/* The sku's available quantity by until, in ka_dec (may be negative),
   and what arrives later (qty and first date). */
static ka_dec
available_by(const struct sku_info *k, ka_date until, ka_dec *late,
    ka_date *late_first)
{
	ka_dec a = k->on_hand - k->safety;
	size_t i;

	if (late != NULL) {
		*late = 0;
		*late_first = KA_DATE_NONE;
	}
	for (i = 0; i < k->nincoming; i++) {
		if (k->incoming[i].arrival <= until)
			a += k->incoming[i].qty;
		else if (late != NULL) {
			*late += k->incoming[i].qty;
			if (*late_first == KA_DATE_NONE ||
			    k->incoming[i].arrival < *late_first)
				*late_first = k->incoming[i].arrival;
		}
	}
	return a;
}

static void
tier_claim(const ka_stock *s, uint32_t customer, struct ka_stock_claim *c)
{
	const struct customer_info *info = &s->customers[customer];

	/* Customers not listed come after every tier, by customer_id. */
	c->tier = info->listed ? info->tier : (int)s->ntiers;
	c->rank = info->listed ? info->rank : 0;
	c->id = ka_keys_text(s->customer_keys, customer);
}

struct claim_extra {
	uint32_t	 customer;
	int64_t		 fcfs;
	int64_t		*periods;	/* without orders: cumulative demand */
};

static void
percent_of(int64_t part, int64_t whole, ka_dec *out)
{
	/* part / whole * 100, as a ka_dec rounded to 2 decimals. */
	wide num = (wide)part * 100 * 100;
	wide q = num / whole, r = num % whole;

	if (2 * r >= whole)
		q++;
	*out = (ka_dec)(q * (KA_DEC_SCALE / 100));
}

static void
compose_why(const ka_stock *s, const struct ka_stock_plan *plan,
    const struct ka_stock_claim *c, size_t n, size_t i, int places,
    int64_t available, ka_dec late, ka_date late_first, char *why,
    size_t size)
{
	const struct ka_stock_claim *x = &c[i];
	const char *label = x->tier < (int)s->ntiers ?
	    s->tiers[x->tier].label : NULL;
	char who[120], a[KA_DEC_BUFSIZE], b[KA_DEC_BUFSIZE];
	int64_t tier_demand = 0, tier_given = 0, top = 0;
	size_t j, used;

	for (j = 0; j < n; j++)
		if (c[j].tier == x->tier) {
			tier_demand += c[j].demand;
			tier_given += c[j].allocated;
			if (c[j].allocated > top)
				top = c[j].allocated;
		}
	if (label != NULL)
		snprintf(who, sizeof(who), "tier %s, rank %ld", label,
		    x->rank);
	else
		snprintf(who, sizeof(who), "not a listed account");
	if (x->allocated == x->demand) {
		if (plan->strategy == KA_STOCK_RESERVE && x->reserved > 0 &&
		    label != NULL) {
			format_quanta(x->reserved, places, a);
			snprintf(why, size, "in full (%s): %s from tier %s's "
			    "reserve", who, a, label);
		} else
			snprintf(why, size, "in full (%s)", who);
		return;
	}
	if (available == 0)
		snprintf(why, size, "no stock available");
	else if (plan->strategy == KA_STOCK_PRORATA && tier_given > 0 &&
	    label != NULL) {
		ka_dec pct;

		percent_of(tier_given, tier_demand, &pct);
		format_quanta(tier_given, places, a);
		ka_dec_format(pct, 2, b);
		snprintf(why, size, "tier %s shares %s pro rata: %s%% of "
		    "demand", label, a, b);
	} else if (plan->strategy == KA_STOCK_FAIR && tier_given > 0 &&
	    label != NULL) {
		format_quanta(tier_given, places, a);
		format_quanta(top, places, b);
		snprintf(why, size, "tier %s shares %s equally: up to %s "
		    "each", label, a, b);
	} else if (plan->strategy == KA_STOCK_RESERVE && x->reserved > 0 &&
	    label != NULL) {
		format_quanta(x->reserved, places, a);
		snprintf(why, size, "%s from tier %s's reserve, then stock "
		    "ran out (%s)", a, label, who);
	} else if (x->allocated > 0)
		snprintf(why, size, "stock ran out at %s", who);
	else if (plan->strategy == KA_STOCK_PRORATA ||
	    plan->strategy == KA_STOCK_FAIR)
		snprintf(why, size, "none left after higher tiers (%s)", who);
	else
		snprintf(why, size, "none left after higher priorities (%s)",
		    who);
	if (late > 0) {
		used = strlen(why);
		ka_dec_format(late, -1, a);
		ka_date_format(late_first, b);
		snprintf(why + used, size - used, "; %s more arrive from %s, "
		    "too late", a, b);
	}
}

static struct ka_stock_allocation *
new_allocation(ka_stock *s)
{
	s->allocations = grow(s->allocations, &s->allocations_cap,
	    s->nallocations + 1, sizeof(*s->allocations));
	return &s->allocations[s->nallocations++];
}

struct fcfs_item {
	ka_date		 when;
	size_t		 sequence;
	size_t		 claim;		/* index into extras */
	int64_t		 qty;
	const char	*id;
};

static int
fcfs_order(const void *a, const void *b)
{
	const struct fcfs_item *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	if (x->sequence != y->sequence)
		return x->sequence < y->sequence ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* First come, first served: items in their order, while stock lasts. */
static void
serve_fcfs(struct fcfs_item *items, size_t n, int64_t left,
    struct claim_extra *extras)
{
	size_t i;

	qsort(items, n, sizeof(*items), fcfs_order);
	for (i = 0; i < n; i++) {
		int64_t give = items[i].qty < left ? items[i].qty : left;

		extras[items[i].claim].fcfs += give;
		left -= give;
	}
}

static int
allocate_sku(ka_stock *s, const struct ka_stock_plan *plan, uint32_t sku,
    size_t K, double *y, double *point, int64_t *cumulative)
{
	struct sku_info *k = &s->skus[sku];
	struct ka_stock_claim *claims = NULL;
	struct claim_extra *extras = NULL;
	struct fcfs_item *items = NULL;
	size_t nclaims = 0, nitems = 0, i, q;
	int64_t available, total = 0;
	ka_dec late, avail;
	ka_date late_first;
	int places = k->places, rc = -1;

	/* Demands, one claim per customer. */
	if (s->has_orders) {
		size_t *slot = ka_calloc(ka_keys_count(s->customer_keys) + 1,
		    sizeof(size_t));

		claims = ka_calloc(s->norders + 1, sizeof(*claims));
		extras = ka_calloc(s->norders + 1, sizeof(*extras));
		items = ka_calloc(s->norders + 1, sizeof(*items));
		for (i = 0; i < s->norders; i++) {
			const struct order_line *o = &s->orders[i];
			size_t c;

			if (o->sku != sku || (o->requested != KA_DATE_NONE &&
			    o->requested > plan->until))
				continue;
			if (slot[o->customer] == 0) {
				c = nclaims++;
				slot[o->customer] = c + 1;
				extras[c].customer = o->customer;
			}
			c = slot[o->customer] - 1;
			claims[c].demand += to_quanta(o->qty, places);
			items[nitems].when = o->ordered != KA_DATE_NONE ?
			    o->ordered : o->requested != KA_DATE_NONE ?
			    o->requested : INT32_MIN + 1;
			items[nitems].sequence = o->sequence;
			items[nitems].claim = c;
			items[nitems].qty = to_quanta(o->qty, places);
			items[nitems].id = ka_keys_text(s->customer_keys,
			    o->customer);
			nitems++;
		}
		free(slot);
	} else {
		claims = ka_calloc(k->nseries + 1, sizeof(*claims));
		extras = ka_calloc(k->nseries + 1, sizeof(*extras));
		items = ka_calloc(k->nseries * (K + 1) + 1, sizeof(*items));
		for (q = 0; q < k->nseries; q++) {
			size_t id = k->series[q], c = nclaims, j;

			if (window_demand(s, id, K, plan->until, places, y,
			    point, cumulative) < 0)
				goto done;
			if (K == 0 || cumulative[K - 1] <= 0)
				continue;
			nclaims++;
			extras[c].customer = s->series[id].customer;
			claims[c].demand = cumulative[K - 1];
			/* First come, first served: period by period. */
			for (j = 0; j < K; j++) {
				int64_t d = cumulative[j] -
				    (j > 0 ? cumulative[j - 1] : 0);

				if (d <= 0)
					continue;
				items[nitems].when = (ka_date)j;
				items[nitems].sequence = 0;
				items[nitems].claim = c;
				items[nitems].qty = d;
				items[nitems].id = ka_keys_text(
				    s->customer_keys, s->series[id].customer);
				nitems++;
			}
		}
	}
	for (i = 0; i < nclaims; i++) {
		claims[i].index = i;
		tier_claim(s, extras[i].customer, &claims[i]);
		total += claims[i].demand;
	}
	if (total == 0) {
		rc = 0;
		goto done;
	}
	avail = available_by(k, plan->until, &late, &late_first);
	available = avail > 0 ? to_quanta(avail, places) : 0;
	if (plan->audit)
		serve_fcfs(items, nitems, available, extras);
	if (ka_stock_share(plan->strategy, available, claims, nclaims,
	    plan->reserve_pct, (int)(s->ntiers < 8 ? s->ntiers : 8)) < 0)
		goto done;
	for (i = 0; i < nclaims; i++) {
		const struct ka_stock_claim *c = &claims[i];
		const struct customer_info *info =
		    &s->customers[extras[c->index].customer];
		struct ka_stock_allocation *a;

		if (c->demand == 0)
			continue;
		a = new_allocation(s);
		a->customer_id = c->id;
		a->customer = info->name != NULL ? info->name : "";
		a->sku = ka_keys_text(s->sku_keys, sku);
		a->tier = info->listed ? s->tiers[info->tier].label : "";
		a->rank = info->listed ? info->rank : 0;
		a->demand = from_quanta(c->demand, places);
		a->allocated = from_quanta(c->allocated, places);
		a->shortfall = from_quanta(c->demand - c->allocated, places);
		a->has_fill_rate = 1;
		percent_of(c->allocated, c->demand, &a->fill_rate);
		a->fcfs = from_quanta(extras[c->index].fcfs, places);
		compose_why(s, plan, claims, nclaims, i, places, available,
		    late, late_first, a->why, sizeof(a->why));
	}
	rc = 0;
done:
	free(claims);
	free(extras);
	free(items);
	return rc;
}

int
ka_stock_allocate(ka_stock *s, const struct ka_stock_plan *plan,
    char *error, size_t size)
{
	size_t nskus = ka_keys_count(s->sku_keys), i, K, missing = 0;
	size_t later = 0;
	uint32_t *skus;
	double *y, *point;
	int64_t *cumulative;
	char line[600], date[KA_DATE_BUFSIZE];
	size_t used = 0;

	free_results(s);
	s->audit = plan->audit;
	K = periods_until(s, plan->until);
	skus = ka_malloc((nskus + 1) * sizeof(uint32_t));
	y = ka_malloc((s->history + 1) * sizeof(double));
	point = ka_malloc((K + 1) * sizeof(double));
	cumulative = ka_malloc((K + 1) * sizeof(int64_t));
	for (i = 0; i < nskus; i++)
		skus[i] = (uint32_t)i;
	sort_stock = s;
	qsort(skus, nskus, sizeof(uint32_t), sku_order);
	line[0] = '\0';
	for (i = 0; i < nskus; i++) {
		const struct sku_info *k = &s->skus[skus[i]];
		int demanded = 0;
		size_t q;

		if (!k->has_stock) {
			if (s->has_orders) {
				for (q = 0; q < s->norders; q++)
					if (s->orders[q].sku == skus[i])
						demanded = 1;
			} else
				demanded = k->nseries > 0;
			if (demanded) {
				missing++;
				if (used < 200)
					used += (size_t)snprintf(line + used,
					    sizeof(line) - used, "%s%s",
					    missing > 1 ? ", " : "",
					    ka_keys_text(s->sku_keys, skus[i]));
			}
			continue;
		}
		if (allocate_sku(s, plan, skus[i], K, y, point,
		    cumulative) < 0) {
			snprintf(error, size, "out of memory");
			free(skus);
			free(y);
			free(point);
			free(cumulative);
			return -1;
		}
	}
	if (missing > 0) {
		char note[800];

		snprintf(note, sizeof(note), "%zu %s with demand %s no stock "
		    "row and %s not allocated: %s%s", missing,
		    missing == 1 ? "sku" : "skus", missing == 1 ? "has" :
		    "have", missing == 1 ? "was" : "were", line,
		    used >= 200 ? ", ..." : "");
		add_note(s, note);
	}
	for (i = 0; s->has_orders && i < s->norders; i++)
		if (s->orders[i].requested != KA_DATE_NONE &&
		    s->orders[i].requested > plan->until)
			later++;
	if (later > 0) {
		char note[200];

		ka_date_format(plan->until, date);
		snprintf(note, sizeof(note), "%zu order %s requested after %s "
		    "%s left for later", later, later == 1 ? "line" : "lines",
		    date, later == 1 ? "is" : "are");
		add_note(s, note);
	}
	free(skus);
	free(y);
	free(point);
	free(cumulative);
	return 0;
}

const struct ka_stock_allocation *
ka_stock_allocations(const ka_stock *s, size_t *count)
{
	*count = s->nallocations;
	return s->allocations;
}

void
ka_stock_write_allocation(const ka_stock *s, ka_writer *w)
{
	static const char *const names[] = {
		"customer_id", "customer", "sku", "tier", "rank", "demand",
		"allocated", "shortfall", "fill_rate", "why"
	};
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < s->nallocations; i++) {
		const struct ka_stock_allocation *a = &s->allocations[i];

		ka_writer_string(w, a->customer_id);
		ka_writer_string(w, a->customer);
		ka_writer_string(w, a->sku);
		ka_writer_string(w, a->tier);
		if (a->rank > 0)
			ka_writer_integer(w, a->rank);
		else
			ka_writer_number(w, "", 0);
		ka_writer_decimal(w, a->demand, -1);
		ka_writer_decimal(w, a->allocated, -1);
		ka_writer_decimal(w, a->shortfall, -1);
		ka_writer_decimal(w, a->fill_rate, 2);
		ka_writer_string(w, a->why);
		ka_writer_end_row(w);
	}
}

static void
audit_row(ka_writer *w, const char *sku, const char *level,
    const char *tier, const char *id, const char *name, ka_dec demand,
    ka_dec allocated, ka_dec fcfs)
{
	ka_writer_string(w, sku);
	ka_writer_string(w, level);
	ka_writer_string(w, tier);
	ka_writer_string(w, id);
	ka_writer_string(w, name);
	ka_writer_decimal(w, demand, -1);
	ka_writer_decimal(w, allocated, -1);
	ka_writer_decimal(w, fcfs, -1);
	ka_writer_decimal(w, allocated - fcfs, -1);
	ka_writer_end_row(w);
}

void
ka_stock_write_audit(const ka_stock *s, ka_writer *w)
{
	static const char *const names[] = {
		"sku", "level", "tier", "customer_id", "customer", "demand",
		"allocated", "fcfs_allocated", "change"
	};
	size_t i, j, k;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	/* Rows of one sku and tier follow each other (priority order). */
	for (i = 0; i < s->nallocations; i = j) {
		const struct ka_stock_allocation *a = &s->allocations[i];
		ka_dec demand = 0, allocated = 0, fcfs = 0;

		for (j = i; j < s->nallocations &&
		    strcmp(s->allocations[j].sku, a->sku) == 0 &&
		    strcmp(s->allocations[j].tier, a->tier) == 0; j++) {
			demand += s->allocations[j].demand;
			allocated += s->allocations[j].allocated;
			fcfs += s->allocations[j].fcfs;
		}
		audit_row(w, a->sku, "tier", a->tier, "", "", demand,
		    allocated, fcfs);
		for (k = i; k < j; k++) {
			const struct ka_stock_allocation *x =
			    &s->allocations[k];

			audit_row(w, x->sku, "customer", x->tier,
			    x->customer_id, x->customer, x->demand,
			    x->allocated, x->fcfs);
		}
	}
}

/* ---- check ---- */

const char *
ka_stock_action_text(enum ka_stock_action action, ka_date by, char *buf,
    size_t size)
{
	char date[KA_DATE_BUFSIZE];

	switch (action) {
	case KA_STOCK_ORDER_LATE:
		snprintf(buf, size, "order now, arrives late");
		break;
	case KA_STOCK_ORDER_NOW:
		snprintf(buf, size, "order now");
		break;
	default:
		ka_date_format(by, date);
		snprintf(buf, size, "order by %s", date);
		break;
	}
	return buf;
}

static int
shortage_order(const void *a, const void *b)
{
	const struct ka_stock_shortage *x = a, *y = b;

	if (x->short_from != y->short_from)
		return x->short_from < y->short_from ? -1 : 1;
	if (x->shortfall != y->shortfall)
		return x->shortfall > y->shortfall ? -1 : 1;
	return strcmp(x->sku, y->sku);
}

static int
check_sku(ka_stock *s, const struct ka_stock_plan *plan, uint32_t sku,
    size_t K, ka_date until, int lead_days, double *y, double *point,
    size_t *checked)
{
	struct sku_info *k = &s->skus[sku];
	struct ka_stock_claim *claims;
	int64_t *cum, *demand, gap, worst = 0, available_k;
	size_t nclaims = 0, q, j, worst_k = 0, first_k = K, used;
	int places = k->places;
	struct ka_stock_shortage *x;
	char *text;

	if (K == 0)
		return 0;
	claims = ka_calloc(k->nseries + 1, sizeof(*claims));
	cum = ka_calloc((k->nseries + 1) * K, sizeof(int64_t));
	demand = ka_calloc(K, sizeof(int64_t));
	for (q = 0; q < k->nseries; q++) {
		size_t id = k->series[q];

		if (!s->customers[s->series[id].customer].key)
			continue;
		if (window_demand(s, id, K, until, places, y, point,
		    cum + nclaims * K) < 0) {
			free(claims);
			free(cum);
			free(demand);
			return -1;
		}
		if (cum[nclaims * K + K - 1] <= 0)
			continue;
		tier_claim(s, s->series[id].customer, &claims[nclaims]);
		claims[nclaims].index = nclaims;
		for (j = 0; j < K; j++)
			demand[j] += cum[nclaims * K + j];
		nclaims++;
	}
	if (nclaims == 0 || demand[K - 1] == 0)
		goto done;
	(*checked)++;
	/* The gap period by period. */
	for (j = 0; j < K; j++) {
		long index = s->last_period + 1 + (long)j;
		ka_date end = ka_stock_period_last(s->config.unit, index);

		if (end > until)
			end = until;
		available_k = to_quanta(available_by(k, end, NULL, NULL),
		    places);
		gap = demand[j] - available_k;
		if (gap > 0 && first_k == K)
			first_k = j;
		if (gap > worst) {
			worst = gap;
			worst_k = j;
		}
	}
	if (worst <= 0)
		goto done;
	/* Who is short at the worst period. */
	{
		long index = s->last_period + 1 + (long)worst_k;
		ka_date end = ka_stock_period_last(s->config.unit, index);

		if (end > until)
			end = until;
		available_k = to_quanta(available_by(k, end, NULL, NULL),
		    places);
	}
	for (q = 0; q < nclaims; q++)
		claims[q].demand = cum[claims[q].index * K + worst_k];
	if (ka_stock_share(plan->strategy, available_k, claims, nclaims,
	    plan->reserve_pct, (int)(s->ntiers < 8 ? s->ntiers : 8)) < 0)
		goto fail;
	s->shortages = grow(s->shortages, &s->shortages_cap,
	    s->nshortages + 1, sizeof(*s->shortages));
	x = &s->shortages[s->nshortages++];
	x->sku = ka_keys_text(s->sku_keys, sku);
	x->product = k->product != NULL ? k->product : "";
	x->category = k->category != NULL ? k->category : "";
	x->key_demand = from_quanta(demand[K - 1], places);
	x->available = available_by(k, until, NULL, NULL);
	x->shortfall = from_quanta(worst, places);
	x->short_from = ka_stock_period_first(s->config.unit,
	    s->last_period + 1 + (long)first_k);
	if (x->short_from <= s->config.as_of)
		x->short_from = s->config.as_of + 1;
	x->order_by = x->short_from - lead_days;
	if (x->order_by < s->config.as_of)
		x->action = KA_STOCK_ORDER_LATE;
	else if (x->order_by <= s->config.as_of + 7)
		x->action = KA_STOCK_ORDER_NOW;
	else
		x->action = KA_STOCK_ORDER_LATER;
	text = ka_malloc(nclaims * (KA_DEC_BUFSIZE + 64) + 1);
	text[0] = '\0';
	used = 0;
	x->naccounts = 0;
	for (q = 0; q < nclaims; q++) {
		char amount[KA_DEC_BUFSIZE];

		if (claims[q].allocated >= claims[q].demand)
			continue;
		format_quanta(claims[q].demand - claims[q].allocated, places,
		    amount);
		used += (size_t)sprintf(text + used, "%s%.60s:%s",
		    used ? ";" : "", claims[q].id, amount);
		x->naccounts++;
	}
	x->accounts = text;
done:
	free(claims);
	free(cum);
	free(demand);
	return 0;
fail:
	free(claims);
	free(cum);
	free(demand);
	return -1;
}

static int
run_check(ka_stock *s, const ka_period *peak, int lead_days,
    const struct ka_stock_plan *plan, size_t *checked, char *error,
    size_t size)
{
	size_t nskus = ka_keys_count(s->sku_keys), i, K, missing = 0;
	double *y, *point;
	uint32_t *skus;
	char a[KA_DATE_BUFSIZE], b[KA_PERIOD_BUFSIZE];
	int rc = 0;

	free_results(s);
	*checked = 0;
	if (peak->last <= s->config.as_of) {
		ka_date_format(s->config.as_of, a);
		ka_period_format(peak, b, sizeof(b));
		snprintf(error, size, "the peak %s is over by %s (--as-of)", b,
		    a);
		return -1;
	}
	K = periods_until(s, peak->last);
	skus = ka_malloc((nskus + 1) * sizeof(uint32_t));
	y = ka_malloc((s->history + 1) * sizeof(double));
	point = ka_malloc((K + 1) * sizeof(double));
	for (i = 0; i < nskus; i++)
		skus[i] = (uint32_t)i;
	sort_stock = s;
	qsort(skus, nskus, sizeof(uint32_t), sku_order);
	for (i = 0; i < nskus; i++) {
		const struct sku_info *k = &s->skus[skus[i]];
		size_t q;

		if (!k->has_stock) {
			for (q = 0; q < k->nseries; q++)
				if (s->customers[s->series[
				    k->series[q]].customer].key)
					break;
			if (q < k->nseries)
				missing++;
			continue;
		}
		if (check_sku(s, plan, skus[i], K, peak->last, lead_days, y,
		    point, checked) < 0) {
			snprintf(error, size, "out of memory");
			rc = -1;
			break;
		}
	}
	if (missing > 0) {
		char note[200];

		snprintf(note, sizeof(note), "%zu %s with key-account demand "
		    "%s no stock row and %s not checked", missing,
		    missing == 1 ? "sku" : "skus", missing == 1 ? "has" :
		    "have", missing == 1 ? "was" : "were");
		add_note(s, note);
	}
	if (s->nshortages > 1)
		qsort(s->shortages, s->nshortages, sizeof(*s->shortages),
	    shortage_order);
	free(skus);
	free(y);
	free(point);
	return rc;
}

int
ka_stock_check(ka_stock *s, const ka_period *peak, int lead_days,
    const struct ka_stock_plan *plan, char *error, size_t size)
{
	size_t checked;

	return run_check(s, peak, lead_days, plan, &checked, error, size);
}

const struct ka_stock_shortage *
ka_stock_shortages(const ka_stock *s, size_t *count)
{
	*count = s->nshortages;
	return s->shortages;
}

void
ka_stock_write_check(const ka_stock *s, ka_writer *w)
{
	static const char *const names[] = {
		"sku", "product", "category", "key_demand", "available",
		"shortfall", "short_from", "order_by", "action",
		"short_accounts"
	};
	char date[KA_DATE_BUFSIZE], action[64];
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < s->nshortages; i++) {
		const struct ka_stock_shortage *x = &s->shortages[i];

		ka_writer_string(w, x->sku);
		ka_writer_string(w, x->product);
		ka_writer_string(w, x->category);
		ka_writer_decimal(w, x->key_demand, -1);
		ka_writer_decimal(w, x->available, -1);
		ka_writer_decimal(w, x->shortfall, -1);
		ka_date_format(x->short_from, date);
		ka_writer_string(w, date);
		ka_date_format(x->order_by, date);
		ka_writer_string(w, date);
		ka_writer_string(w, ka_stock_action_text(x->action,
		    x->order_by, action, sizeof(action)));
		ka_writer_string(w, x->accounts);
		ka_writer_end_row(w);
	}
}

int
ka_stock_report(ka_stock *s, const ka_period *peak, int lead_days,
    struct ka_stock_report *out, char *error, size_t size)
{
	struct ka_stock_plan plan;
	size_t i, n = ka_keys_count(s->customer_keys);
	unsigned char *seen;

	memset(out, 0, sizeof(*out));
	memset(&plan, 0, sizeof(plan));
	plan.strategy = KA_STOCK_PRIORITY;
	plan.until = peak->last;
	if (run_check(s, peak, lead_days, &plan, &out->skus, error, size) < 0)
		return -1;
	out->peak = *peak;
	out->lead_days = lead_days;
	out->stockouts = s->shortages;
	out->nstockouts = out->short_skus = s->nshortages;
	s->order_now = ka_calloc(s->nshortages + 1, sizeof(size_t));
	out->order_now = s->order_now;
	seen = ka_calloc(n + 1, 1);
	for (i = 0; i < s->nshortages; i++) {
		const struct ka_stock_shortage *x = &s->shortages[i];
		const char *p = x->accounts;

		if (ka_dec_add(&out->shortfall, x->shortfall) < 0) {
			snprintf(error, size, "the total shortfall is too "
			    "large");
			free(seen);
			return -1;
		}
		if (x->action != KA_STOCK_ORDER_LATER)
			out->order_now[out->norder_now++] = i;
		while (*p != '\0') {
			size_t length = strcspn(p, ":");
			int64_t id = ka_keys_find(s->customer_keys, p, length);

			if (id >= 0 && !seen[id]) {
				seen[id] = 1;
				out->short_accounts++;
			}
			p += strcspn(p, ";");
			if (*p == ';')
				p++;
		}
	}
	free(seen);
	return 0;
}
