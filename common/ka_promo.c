/*
 * ka_promo: promotion lift per account.  The figures and their meaning
 * are described once, in ka_promo.h; this file says how.
 *
 * Before the pass: the accounts and promotions files are read, each
 * promotion is expanded to its accounts, promotions of one account on
 * one scope whose windows share a day are grouped (measured once), and
 * every group that is to be evaluated gets an evaluation: its sums in
 * 7-day blocks around the window (see slot_of()), found again for a
 * sales row through a hash of (account, scope).  With --baseline
 * control, an index from (scope, week) to evaluations lets each row of
 * any other account add to the control sums of the evaluations whose
 * span it falls in.
 *
 * Whether a sku belongs to a category is learnt from the sales rows, so
 * before the pass a sku promotion and a category promotion "may" share
 * sales: baselines keep enough blocks for the worst case, and after the
 * pass the blocks are chosen with what the rows said.
 */
#define _GNU_SOURCE	/* sysconf(_SC_NPROCESSORS_ONLN) */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_pieces.h"
#include "ka_promo.h"
#include "ka_text.h"

__extension__ typedef __int128 wide;

#define NONE		UINT32_MAX
#define YEAR_DAYS	364	/* 52 weeks: the same weekdays a year earlier */
#define MAX_SKIPPED	52	/* promoted blocks a baseline may step over */
#define MAX_WINDOW	366	/* days */
#define MONDAY_ZERO	4	/* 1970-01-05, a Monday */

struct sums {
	ka_dec		 qty, revenue, margin;
	uint32_t	 nocost;	/* rows whose margin is unknown */
	uint32_t	 rows;
};

/* A record kept whole, for --rejects. */
struct saved {
	char		*base;
	uint32_t	*offset;
	size_t		 nfields;
	unsigned long	 line;
};

enum target { TARGET_ACCOUNT, TARGET_TIER, TARGET_ALL };
enum scope_kind { SCOPE_ALL, SCOPE_SKU, SCOPE_CATEGORY };

struct promo {
	char		*id, *mechanic;
	enum target	 target;
	uint32_t	 account;	/* TARGET_ACCOUNT */
	uint32_t	 tier;		/* TARGET_TIER */
	uint32_t	 scope;
	ka_date		 start, end;
	int		 has_discount, has_cost;
	ka_dec		 discount, cost;
	unsigned long	 line;
	struct saved	 rec;
	int		 rejected;
	int		 evaluated;	/* a member of an evaluation */
};

struct account {
	char		*name;
	uint32_t	 tier, region;	/* from the accounts file, or NONE */
	uint32_t	 row_region;	/* region of its first sales row */
	ka_date		 first, last;	/* its sales rows, KA_DATE_NONE */
	int		 in_file;
	int		 known;		/* before the pass */
	int		 built;		/* evaluations laid out */
	int		 treated;	/* has evaluations */
	unsigned long	 file_line;	/* line in the accounts file being read */
	uint32_t	*promos;	/* its own promotions */
	size_t		 npromos, cpromos;
	ka_date		 need_first, need_last;	/* days its evaluations use */
	/* Weekly revenue, for history's peak weeks. */
	ka_dec		*weeks;
	long		 week0;
	size_t		 nweeks;
};

struct scope {
	enum scope_kind	 kind;
	uint32_t	 item;		/* id in skus or categories */
	char		*text;		/* "sku:X" */
};

struct bucket {
	uint32_t	 region;	/* NONE: no region criterion */
	struct sums	*sums;		/* pre + days + post slots */
	uint8_t		*seen;		/* accounts counted, a bit each */
	size_t		 seen_bytes;
	size_t		 accounts;
};

struct eval {
	uint32_t	 account, scope;
	ka_date		 start, end;
	int		 days;
	uint32_t	*members;	/* promotions, by start */
	ka_dec		*member_cost;	/* this account's share of each */
	size_t		 nmembers;
	int		 pre, post;	/* blocks kept */
	struct sums	*now, *ago;	/* ago: 364 days earlier (yoy) */
	struct bucket	*buckets;
	size_t		 nbuckets;
	ka_date		 span_first, span_last;	/* control: no promotion */
	uint32_t	 next;		/* the next evaluation of its pair */
	int		 rejected;	/* a member was rejected */
	int		 no_controls;	/* everyone eligible is promoted */
};

/* (account << 32 | scope) -> first evaluation; open addressing. */
struct map {
	uint64_t	*keys;
	uint32_t	*values;	/* NONE: empty */
	size_t		 size, count;
};

struct cindex {			/* control: evaluations by week */
	uint32_t	*offset;	/* weeks + 1 */
	uint32_t	*list;
};

struct ka_promo {
	struct ka_promo_config config;

	ka_keys		*account_keys, *tier_keys, *region_keys;
	ka_keys		*scope_keys, *sku_keys, *category_keys;
	ka_keys		*promo_keys;
	struct account	*accounts;
	size_t		 caccounts;
	struct scope	*scopes;
	size_t		 nscopes, cscopes;
	uint32_t	*sku_scope, *category_scope;	/* by item id */
	size_t		 csku_scope, ccategory_scope;
	uint32_t	 all_scope;
	struct promo	*promos;
	size_t		 npromos, cpromos;
	uint32_t	**tier_promos;	/* by tier id */
	size_t		*ntier_promos, *ctier_promos, ctier;
	uint32_t	*all_promos;
	size_t		 nall_promos, call_promos;
	char		*promos_file;
	long		 promo_column[8];	/* PC_*, 0-based */
	char		*promo_column_name[8];
	int		 accounts_loaded;
	int		 has_tier_column, has_region_column;
	char		*accounts_files;

	struct eval	*evals;
	size_t		 nevals, cevals;
	struct map	 pairs;
	struct map	 sku_category;	/* (sku item << 32 | category item) */
	struct cindex	*control;	/* by scope, or NULL */
	ka_date		 control_first;
	size_t		 control_weeks;
	int		 intern_all;	/* every account gets an id */
	int		 dynamic;	/* "all" expands to accounts as seen */
	int		 bound;

	/* Sales columns. */
	long		 column[KA_ROLE_COUNT];
	const char	*column_name[KA_ROLE_COUNT];
	enum ka_role	 key_role;
	int		 has_qty, has_cost;
	ka_date		 data_first, data_last;

	struct ka_promo_counts counts;
	char		 error[1024];
	size_t		 error_column;

	/* Results. */
	struct ka_promo_row *rows;
	size_t		 nrows, crows;
	char		**strings;	/* owned by the rows */
	size_t		 nstrings, cstrings;
};

/* ---- small helpers ---- */

/* Grows *array (of *cap elements) to hold at least need. */
static void
grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap;

	if (need <= n)
		return;
	while (n < need)
		n = n < 8 ? 8 : n * 2;
	*array = ka_reallocarray(*array, n, size);
	memset((char *)*array + *cap * size, 0, (n - *cap) * size);
	*cap = n;
}


/* Plain byte order after natural order, so distinct texts never tie. */
static int
text_compare(const char *a, const char *b)
{
	int c = ka_keys_natural_compare(a, b);

	return c != 0 ? c : strcmp(a, b);
}

static char *
own(ka_promo *p, char *s)
{
	grow((void **)&p->strings, &p->cstrings, p->nstrings + 1,
	    sizeof(*p->strings));
	p->strings[p->nstrings++] = s;
	return s;
}

static char *
format_owned(ka_promo *p, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static char *
format_owned(ka_promo *p, const char *format, ...)
{
	va_list args;
	char *s;
	int n;

	va_start(args, format);
	n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	s = ka_calloc((size_t)n + 1, 1);
	va_start(args, format);
	vsnprintf(s, (size_t)n + 1, format, args);
	va_end(args);
	return own(p, s);
}

/* A growing text, for method descriptions and id lists. */
struct text {
	char	*s;
	size_t	 length, cap;
};

static void
text_add(struct text *t, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *format, ...)
{
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	grow((void **)&t->s, &t->cap, t->length + (size_t)n + 1, 1);
	va_start(args, format);
	vsnprintf(t->s + t->length, (size_t)n + 1, format, args);
	va_end(args);
	t->length += (size_t)n;
}

static char *
text_take(ka_promo *p, struct text *t)
{
	if (t->s == NULL)
		t->s = ka_strdup("");
	own(p, t->s);
	t->s = NULL;
	t->length = t->cap = 0;
	return p->strings[p->nstrings - 1];
}

static const char *
date_text(ka_date d, char buf[KA_DATE_BUFSIZE])
{
	ka_date_format(d, buf);
	return buf;
}

/* ---- the (account, scope) map ---- */

static size_t
map_slot(const struct map *m, uint64_t key)
{
	size_t i = (size_t)ka_hash_mix(key) & (m->size - 1);

	while (m->values[i] != NONE && m->keys[i] != key)
		i = (i + 1) & (m->size - 1);
	return i;
}

static uint32_t
map_get(const struct map *m, uint64_t key)
{
	if (m->size == 0)
		return NONE;
	return m->values[map_slot(m, key)];
}

static void
map_put(struct map *m, uint64_t key, uint32_t value)
{
	size_t i;

	if ((m->count + 1) * 2 > m->size) {
		struct map bigger;
		size_t j;

		bigger.size = m->size == 0 ? 64 : m->size * 2;
		bigger.count = 0;
		bigger.keys = ka_calloc(bigger.size, sizeof(*bigger.keys));
		bigger.values = ka_calloc(bigger.size, sizeof(*bigger.values));
		memset(bigger.values, 0xff, bigger.size *
		    sizeof(*bigger.values));
		for (j = 0; j < m->size; j++)
			if (m->values[j] != NONE)
				map_put(&bigger, m->keys[j], m->values[j]);
		free(m->keys);
		free(m->values);
		*m = bigger;
	}
	i = map_slot(m, key);
	if (m->values[i] == NONE)
		m->count++;
	m->keys[i] = key;
	m->values[i] = value;
}

static void
map_free(struct map *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

static uint64_t
pair_key(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

/* ---- arithmetic ---- */

static ka_dec
power10(int n)
{
	ka_dec p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* a x b / c, rounded half away from zero to places (0..4). */
static int
muldiv_places(ka_dec a, ka_dec b, ka_dec c, int places, ka_dec *out)
{
	wide num, den, q, r;
	ka_dec unit = power10(KA_DEC_PLACES - places);

	if (c == 0)
		return -1;
	num = (wide)a * b;
	den = (wide)c * unit;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	q = num / den;
	r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	q *= unit;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (ka_dec)q;
	return 0;
}

int
ka_promo_muldiv(ka_dec a, ka_dec b, ka_dec c, ka_dec *out)
{
	return muldiv_places(a, b, c, KA_DEC_PLACES, out);
}

/* num / den x 100 to 2 decimals; den above 0. */
static int
percent(ka_dec num, ka_dec den, ka_dec *out)
{
	return muldiv_places(num, 100 * KA_DEC_SCALE, den, 2, out);
}

static int
sums_add(struct sums *s, ka_dec qty, ka_dec revenue, ka_dec margin,
    int nocost)
{
	if (__builtin_add_overflow(s->qty, qty, &s->qty) ||
	    __builtin_add_overflow(s->revenue, revenue, &s->revenue) ||
	    __builtin_add_overflow(s->margin, margin, &s->margin))
		return -1;
	s->nocost += (uint32_t)nocost;
	s->rows++;
	return 0;
}

static int
sums_merge(struct sums *into, const struct sums *s)
{
	if (__builtin_add_overflow(into->qty, s->qty, &into->qty) ||
	    __builtin_add_overflow(into->revenue, s->revenue,
	    &into->revenue) ||
	    __builtin_add_overflow(into->margin, s->margin, &into->margin))
		return -1;
	into->nocost += s->nocost;
	into->rows += s->rows;
	return 0;
}

/* ---- configuration and names ---- */

void
ka_promo_config_init(struct ka_promo_config *c)
{
	memset(c, 0, sizeof(*c));
	c->baseline = KA_PROMO_PRE;
	c->weeks = 8;
	c->post_weeks = -1;
	c->min_control = 3;
}

static const char *const baseline_names[] = { "pre", "yoy", "control" };

int
ka_promo_parse_baseline(const char *text)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(text, baseline_names[i]) == 0)
			return i;
	return -1;
}

const char *
ka_promo_baseline_name(enum ka_promo_baseline baseline)
{
	return baseline_names[baseline];
}

static const char *const flag_names[KA_PROMO_FLAG_COUNT] = {
	"too-short-baseline", "no-baseline", "negative-roi",
	"dip-exceeds-lift", "short-post", "overlap", "nested-overlap",
	"yoy-promoted"
};

const char *
ka_promo_flags_text(unsigned flags, char *buf, size_t size)
{
	size_t used = 0;
	int i, n;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < KA_PROMO_FLAG_COUNT; i++) {
		if (!(flags & (1u << i)))
			continue;
		/* Whole flags only: stop before one that does not fit. */
		if (used + (used ? 1 : 0) + strlen(flag_names[i]) >= size)
			break;
		n = snprintf(buf + used, size - used, "%s%s", used ? ";" : "",
		    flag_names[i]);
		used += (size_t)n;
	}
	return buf;
}

unsigned
ka_promo_flag_from_name(const char *name, size_t length)
{
	int i;

	for (i = 0; i < KA_PROMO_FLAG_COUNT; i++)
		if (strlen(flag_names[i]) == length &&
		    memcmp(flag_names[i], name, length) == 0)
			return 1u << i;
	return 0;
}

/* ---- the engine ---- */

ka_promo *
ka_promo_new(const struct ka_promo_config *config)
{
	ka_promo *p = ka_calloc(1, sizeof(*p));
	int i;

	p->config = *config;
	if (p->config.weeks < 1)
		p->config.weeks = 8;
	if (p->config.post_weeks < 0)
		p->config.post_weeks = p->config.weeks;
	if (p->config.min_control < 1)
		p->config.min_control = 1;
	p->account_keys = ka_keys_new();
	p->tier_keys = ka_keys_new();
	p->region_keys = ka_keys_new();
	p->scope_keys = ka_keys_new();
	p->sku_keys = ka_keys_new();
	p->category_keys = ka_keys_new();
	p->promo_keys = ka_keys_new();
	if (p->account_keys == NULL || p->tier_keys == NULL ||
	    p->region_keys == NULL || p->scope_keys == NULL ||
	    p->sku_keys == NULL || p->category_keys == NULL ||
	    p->promo_keys == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	p->all_scope = NONE;
	p->data_first = p->data_last = KA_DATE_NONE;
	for (i = 0; i < KA_ROLE_COUNT; i++)
		p->column[i] = -1;
	return p;
}

void
ka_promo_free(ka_promo *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < ka_keys_count(p->account_keys); i++) {
		free(p->accounts[i].name);
		free(p->accounts[i].promos);
		free(p->accounts[i].weeks);
	}
	free(p->accounts);
	for (i = 0; i < p->nscopes; i++)
		free(p->scopes[i].text);
	free(p->scopes);
	free(p->sku_scope);
	free(p->category_scope);
	for (i = 0; i < p->npromos; i++) {
		free(p->promos[i].id);
		free(p->promos[i].mechanic);
		free(p->promos[i].rec.base);
		free(p->promos[i].rec.offset);
	}
	free(p->promos);
	for (i = 0; i < p->ctier; i++)
		free(p->tier_promos[i]);
	free(p->tier_promos);
	free(p->ntier_promos);
	free(p->ctier_promos);
	free(p->all_promos);
	free(p->promos_file);
	for (i = 0; i < 8; i++)
		free(p->promo_column_name[i]);
	free(p->accounts_files);
	for (i = 0; i < p->nevals; i++) {
		struct eval *e = &p->evals[i];

		free(e->members);
		free(e->member_cost);
		free(e->now);
		free(e->ago);
		for (j = 0; j < e->nbuckets; j++) {
			free(e->buckets[j].sums);
			free(e->buckets[j].seen);
		}
		free(e->buckets);
	}
	free(p->evals);
	map_free(&p->pairs);
	map_free(&p->sku_category);
	if (p->control != NULL) {
		for (i = 0; i < p->nscopes; i++) {
			free(p->control[i].offset);
			free(p->control[i].list);
		}
		free(p->control);
	}
	for (i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->rows);
	ka_keys_free(p->account_keys);
	ka_keys_free(p->tier_keys);
	ka_keys_free(p->region_keys);
	ka_keys_free(p->scope_keys);
	ka_keys_free(p->sku_keys);
	ka_keys_free(p->category_keys);
	ka_keys_free(p->promo_keys);
	free(p);
}

static uint32_t
account_of(ka_promo *p, const char *text, size_t length, int *added)
{
	uint32_t id = ka_keys_intern(p->account_keys, text, length, added);

	if (*added) {
		struct account *a;

		grow((void **)&p->accounts, &p->caccounts, (size_t)id + 1,
		    sizeof(*p->accounts));
		a = &p->accounts[id];
		memset(a, 0, sizeof(*a));
		a->tier = a->region = a->row_region = NONE;
		a->first = a->last = KA_DATE_NONE;
		a->need_first = a->need_last = KA_DATE_NONE;
	}
	return id;
}

/* ---- reading the small files ---- */

static long
find_column(const ka_record *header, const char *const *aliases)
{
	char name[256], alias[256];
	size_t i, j;

	for (j = 0; aliases[j] != NULL; j++) {
		ka_roles_normalise(aliases[j], strlen(aliases[j]), alias,
		    sizeof(alias));
		for (i = 0; i < header->nfields; i++) {
			ka_roles_normalise(ka_field(header, i),
			    ka_field_length(header, i), name, sizeof(name));
			if (strcmp(name, alias) == 0)
				return (long)i;
		}
	}
	return -1;
}

static int
missing_column(const ka_record *header, const char *path, const char *what,
    const char *const *aliases, char *error, size_t size)
{
	size_t i, used;
	int n;

	n = snprintf(error, size, "%s: no %s column; the header has: ", path,
	    what);
	used = n < 0 ? 0 : (size_t)n;
	for (i = 0; i < header->nfields && used < size; i++) {
		n = snprintf(error + used, size - used, "%s%s", i ? ", " : "",
		    ka_field(header, i));
		used += n < 0 ? 0 : (size_t)n;
	}
	if (used < size) {
		n = snprintf(error + used, size - used, "; tried: ");
		used += n < 0 ? 0 : (size_t)n;
	}
	for (i = 0; aliases[i] != NULL && used < size; i++) {
		n = snprintf(error + used, size - used, "%s%s", i ? ", " : "",
		    aliases[i]);
		used += n < 0 ? 0 : (size_t)n;
	}
	return KA_EXIT_USAGE;
}

static void
save_record(struct saved *s, const ka_record *rec)
{
	size_t bytes = rec->offset[rec->nfields];

	s->base = ka_calloc(bytes + 1, 1);
	memcpy(s->base, rec->base, bytes);
	s->offset = ka_calloc(rec->nfields + 1, sizeof(*s->offset));
	memcpy(s->offset, rec->offset, (rec->nfields + 1) *
	    sizeof(*s->offset));
	s->nfields = rec->nfields;
	s->line = rec->line;
}

static void
saved_as_record(const struct saved *s, const char *file, ka_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->base = s->base;
	rec->offset = s->offset;
	rec->nfields = s->nfields;
	rec->file = file;
	rec->line = rec->end_line = s->line;
}

int
ka_promo_load_accounts(ka_promo *p, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	const char *files[1] = { path };
	struct ka_roles roles;
	const ka_record *header;
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	long cid, cname, ctier, cregion;
	int got, result = 0;

	reader = ka_reader_open(files, 1, options);
	if (reader == NULL) {
		/* The reader has said why. */
		if (size > 0)
			error[0] = '\0';
		return KA_EXIT_DATA;
	}
	header = ka_reader_header(reader);
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, header, error, size) < 0) {
		ka_reader_close(reader);
		return KA_EXIT_USAGE;
	}
	cid = roles.column[KA_ROLE_CUSTOMER_ID];
	cname = roles.column[KA_ROLE_CUSTOMER];
	ctier = roles.column[KA_ROLE_TIER];
	cregion = roles.column[KA_ROLE_REGION];
	if (cid < 0) {
		result = missing_column(header, path, "customer_id",
		    ka_role_aliases(KA_ROLE_CUSTOMER_ID), error, size);
		ka_reader_close(reader);
		return result;
	}
	if (ctier >= 0)
		p->has_tier_column = 1;
	if (cregion >= 0)
		p->has_region_column = 1;
	p->accounts_loaded = 1;
	if (p->accounts_files == NULL)
		p->accounts_files = ka_strdup(path);
	/* A new file: no line of it seen yet. */
	{
		size_t i;

		for (i = 0; i < ka_keys_count(p->account_keys); i++)
			p->accounts[i].file_line = 0;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		const char *text;
		size_t length;
		uint32_t id;
		int added;
		struct account *a;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			result = KA_EXIT_DATA;
			break;
		}
		text = ka_field(&rec, (size_t)cid);
		length = ka_field_length(&rec, (size_t)cid);
		ka_text_trim(&text, &length);
		if (length == 0) {
			snprintf(error, size, "%s:%lu: column %ld (%s): empty "
			    "customer_id", rec.file, rec.line, cid + 1,
			    ka_field(header, (size_t)cid));
			result = KA_EXIT_DATA;
			break;
		}
		id = account_of(p, text, length, &added);
		a = &p->accounts[id];
		if (a->file_line != 0) {
			snprintf(error, size, "%s:%lu: column %ld (%s): "
			    "duplicate customer_id \"%.*s\" (first on line "
			    "%lu)", rec.file, rec.line, cid + 1,
			    ka_field(header, (size_t)cid),
			    ka_text_shown(text, length),
			    text, a->file_line);
			result = KA_EXIT_DATA;
			break;
		}
		a->file_line = rec.line;
		a->in_file = 1;
		a->known = 1;
		if (cname >= 0) {
			text = ka_field(&rec, (size_t)cname);
			length = ka_field_length(&rec, (size_t)cname);
			ka_text_trim(&text, &length);
			if (length > 0) {
				free(a->name);
				a->name = ka_strndup(text, length);
			}
		}
		if (ctier >= 0) {
			text = ka_field(&rec, (size_t)ctier);
			length = ka_field_length(&rec, (size_t)ctier);
			ka_text_trim(&text, &length);
			if (length > 0)
				a->tier = ka_keys_intern(p->tier_keys, text,
				    length, &added);
		}
		if (cregion >= 0) {
			text = ka_field(&rec, (size_t)cregion);
			length = ka_field_length(&rec, (size_t)cregion);
			ka_text_trim(&text, &length);
			if (length > 0)
				a->region = ka_keys_intern(p->region_keys,
				    text, length, &added);
		}
	}
	if (got < 0 && result == 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		result = KA_EXIT_DATA;
	}
	ka_reader_close(reader);
	return result;
}

static const char *const promo_id_aliases[] = { "promo_id", "promo",
	"promotion", "promotion_id", "promo_code", "campaign", "campaign_id",
	"id", "促销编号", "促销", "活动编号", "活动", NULL };
static const char *const scope_aliases[] = { "scope", "promo_scope",
	"applies_to", "范围", "促销范围", NULL };
static const char *const start_aliases[] = { "start", "start_date",
	"from", "begin", "begin_date", "valid_from", "开始日期", "开始",
	"起始日期", NULL };
static const char *const end_aliases[] = { "end", "end_date", "to",
	"until", "finish", "valid_to", "结束日期", "结束", "截止日期", NULL };
static const char *const mechanic_aliases[] = { "mechanic", "mechanism",
	"promo_type", "type", "tactic", "促销方式", "促销类型", "方式", NULL };
static const char *const discount_aliases[] = { "discount_pct",
	"discount", "discount_percent", "depth", "discount_depth", "折扣",
	"折扣率", NULL };
static const char *const promo_cost_aliases[] = { "cost", "promo_cost",
	"promotion_cost", "spend", "funding", "budget", "费用", "促销费用",
	"成本", NULL };

enum promo_column {
	PC_ID, PC_CUSTOMER, PC_SCOPE, PC_START, PC_END, PC_MECHANIC,
	PC_DISCOUNT, PC_COST, PC_COUNT
};

struct promo_reading {
	ka_promo	*p;
	const ka_record	*header;
	long		 column[PC_COUNT];
	const ka_record	*rec;
	char		*error;
	size_t		 size;
	size_t		 bad_column;	/* 1-based */
	size_t		 reason_at;	/* where error's text follows FILE:LINE: */
};

static void
bad_promo(struct promo_reading *r, enum promo_column c, const char *format,
    ...) __attribute__((format(printf, 3, 4)));

static void
bad_promo(struct promo_reading *r, enum promo_column c, const char *format,
    ...)
{
	va_list args;
	int n, m = 0;

	n = snprintf(r->error, r->size, "%s:%lu: ", r->rec->file,
	    r->rec->line);
	if (n < 0 || (size_t)n >= r->size)
		n = 0;
	r->reason_at = (size_t)n;
	r->bad_column = 0;
	if (c < PC_COUNT && r->column[c] >= 0) {
		m = snprintf(r->error + n, r->size - (size_t)n,
		    "column %ld (%s): ", r->column[c] + 1,
		    ka_field(r->header, (size_t)r->column[c]));
		r->bad_column = (size_t)r->column[c] + 1;
		if (m < 0 || (size_t)m >= r->size - (size_t)n)
			return;
		n += m;
	}
	va_start(args, format);
	vsnprintf(r->error + n, r->size - (size_t)n, format, args);
	va_end(args);
}

static void
promo_field(const struct promo_reading *r, enum promo_column c,
    const char **text, size_t *length)
{
	if (r->column[c] < 0 || (size_t)r->column[c] >= r->rec->nfields) {
		*text = "";
		*length = 0;
		return;
	}
	*text = ka_field(r->rec, (size_t)r->column[c]);
	*length = ka_field_length(r->rec, (size_t)r->column[c]);
	ka_text_trim(text, length);
	if (r->p->config.null_string != NULL &&
	    strlen(r->p->config.null_string) == *length &&
	    memcmp(r->p->config.null_string, *text, *length) == 0)
		*length = 0;
}

static int
prefix_is(const char *text, size_t length, const char *prefix)
{
	size_t n = strlen(prefix), i;

	if (length < n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)text[i]) != prefix[i])
			return 0;
	return 1;
}

static uint32_t
scope_of(ka_promo *p, enum scope_kind kind, const char *item, size_t length)
{
	char *canonical;
	uint32_t id, item_id = NONE;
	int added;

	if (kind == SCOPE_ALL)
		canonical = ka_strdup("all");
	else {
		canonical = ka_calloc(length + 10, 1);
		snprintf(canonical, length + 10, "%s:%.*s", kind == SCOPE_SKU ?
		    "sku" : "category", (int)length, item);
	}
	id = ka_keys_intern(p->scope_keys, canonical, strlen(canonical),
	    &added);
	if (!added) {
		free(canonical);
		return id;
	}
	grow((void **)&p->scopes, &p->cscopes, (size_t)id + 1,
	    sizeof(*p->scopes));
	p->nscopes = (size_t)id + 1;
	if (kind == SCOPE_SKU) {
		item_id = ka_keys_intern(p->sku_keys, item, length, &added);
		grow((void **)&p->sku_scope, &p->csku_scope,
		    (size_t)item_id + 1, sizeof(*p->sku_scope));
		p->sku_scope[item_id] = id;
	} else if (kind == SCOPE_CATEGORY) {
		item_id = ka_keys_intern(p->category_keys, item, length,
		    &added);
		grow((void **)&p->category_scope, &p->ccategory_scope,
		    (size_t)item_id + 1, sizeof(*p->category_scope));
		p->category_scope[item_id] = id;
	} else
		p->all_scope = id;
	p->scopes[id].kind = kind;
	p->scopes[id].item = item_id;
	p->scopes[id].text = canonical;
	return id;
}

static int
read_promo_date(struct promo_reading *r, enum promo_column c, ka_date *d)
{
	const char *text;
	size_t length;

	promo_field(r, c, &text, &length);
	if (length == 0) {
		bad_promo(r, c, "empty");
		return -1;
	}
	if (ka_date_parse(text, length, d) == 0)
		return 0;
	if (r->p->config.date_format != NULL &&
	    ka_date_parse_format(text, length, r->p->config.date_format,
	    d) == 0)
		return 0;
	bad_promo(r, c, "not a date: \"%.*s\"",
	    ka_text_shown(text, length), text);
	return -1;
}

/* One promotion from r->rec into *out; -1 with a message when bad. */
static int
read_promo(struct promo_reading *r, struct promo *out)
{
	ka_promo *p = r->p;
	const char *text;
	size_t length;
	char a[KA_DATE_BUFSIZE], b[KA_DATE_BUFSIZE];
	enum ka_dec_status status;
	int added;
	int64_t found;

	memset(out, 0, sizeof(*out));
	out->account = out->tier = NONE;
	/* promo_id */
	promo_field(r, PC_ID, &text, &length);
	if (length == 0) {
		bad_promo(r, PC_ID, "empty promo_id");
		return -1;
	}
	if ((found = ka_keys_find(p->promo_keys, text, length)) >= 0) {
		bad_promo(r, PC_ID, "duplicate promo_id \"%.*s\" (first on "
		    "line %lu)", ka_text_shown(text, length), text,
		    p->promos[found].line);
		return -1;
	}
	out->id = ka_strndup(text, length);
	/* customer_id: an id, all, or tier:LABEL */
	promo_field(r, PC_CUSTOMER, &text, &length);
	if (length == 0) {
		bad_promo(r, PC_CUSTOMER, "empty customer_id (give an id, "
		    "all, or tier:LABEL)");
		goto bad;
	}
	if (length == 3 && prefix_is(text, length, "all"))
		out->target = TARGET_ALL;
	else if (prefix_is(text, length, "tier:")) {
		const char *label = text + 5;
		size_t n = length - 5;

		ka_text_trim(&label, &n);
		out->target = TARGET_TIER;
		if (!p->has_tier_column) {
			bad_promo(r, PC_CUSTOMER, "\"%.*s\" needs --accounts "
			    "with a tier column",
			    ka_text_shown(text, length), text);
			goto bad;
		}
		if ((found = ka_keys_find(p->tier_keys, label, n)) < 0) {
			bad_promo(r, PC_CUSTOMER, "no account has tier "
			    "\"%.*s\"", ka_text_shown(label, n), label);
			goto bad;
		}
		out->tier = (uint32_t)found;
	} else {
		out->target = TARGET_ACCOUNT;
		if (p->accounts_loaded) {
			if ((found = ka_keys_find(p->account_keys, text,
			    length)) < 0 || !p->accounts[found].in_file) {
				bad_promo(r, PC_CUSTOMER, "unknown customer "
				    "\"%.*s\": not in %s",
				    ka_text_shown(text, length),
				    text, p->accounts_files);
				goto bad;
			}
			out->account = (uint32_t)found;
		} else
			out->account = account_of(p, text, length, &added);
	}
	/* scope */
	promo_field(r, PC_SCOPE, &text, &length);
	if (length == 3 && prefix_is(text, length, "all"))
		out->scope = scope_of(p, SCOPE_ALL, NULL, 0);
	else if (prefix_is(text, length, "sku:") && length > 4)
		out->scope = scope_of(p, SCOPE_SKU, text + 4, length - 4);
	else if (prefix_is(text, length, "category:") && length > 9)
		out->scope = scope_of(p, SCOPE_CATEGORY, text + 9, length - 9);
	else if (prefix_is(text, length, "cat:") && length > 4)
		out->scope = scope_of(p, SCOPE_CATEGORY, text + 4, length - 4);
	else {
		bad_promo(r, PC_SCOPE, "bad scope \"%.*s\": expected all, "
		    "sku:CODE or category:NAME",
		    ka_text_shown(text, length), text);
		goto bad;
	}
	/* start, end */
	if (read_promo_date(r, PC_START, &out->start) < 0 ||
	    read_promo_date(r, PC_END, &out->end) < 0)
		goto bad;
	if (out->end < out->start) {
		bad_promo(r, PC_END, "end %s is before start %s",
		    date_text(out->end, a), date_text(out->start, b));
		goto bad;
	}
	if (out->end - out->start + 1 > MAX_WINDOW) {
		bad_promo(r, PC_END, "window %s..%s is %d days long; at most "
		    "%d", date_text(out->start, a), date_text(out->end, b),
		    (int)(out->end - out->start + 1), MAX_WINDOW);
		goto bad;
	}
	/* mechanic */
	promo_field(r, PC_MECHANIC, &text, &length);
	out->mechanic = ka_strndup(text, length);
	/* discount_pct: 20, 20%, 20 % */
	promo_field(r, PC_DISCOUNT, &text, &length);
	if (length > 0) {
		size_t n = length;

		if (text[n - 1] == '%') {
			n--;
			while (n > 0 && (text[n - 1] == ' ' ||
			    text[n - 1] == '\t'))
				n--;
		}
		status = ka_dec_parse(text, n, p->config.decimal_comma,
		    &out->discount);
		if (status != KA_DEC_OK || out->discount < 0 ||
		    out->discount > 100 * KA_DEC_SCALE) {
			bad_promo(r, PC_DISCOUNT, "not a percent from 0 to "
			    "100: \"%.*s\"", ka_text_shown(text, length), text);
			goto bad;
		}
		out->has_discount = 1;
	}
	/* cost */
	promo_field(r, PC_COST, &text, &length);
	if (length > 0) {
		status = ka_dec_parse(text, length, p->config.decimal_comma,
		    &out->cost);
		if (status != KA_DEC_OK) {
			bad_promo(r, PC_COST, "%s: \"%.*s\"",
			    ka_dec_status_text(status),
			    ka_text_shown(text, length),
			    text);
			goto bad;
		}
		if (out->cost < 0) {
			bad_promo(r, PC_COST, "negative cost: \"%.*s\"",
			    ka_text_shown(text, length), text);
			goto bad;
		}
		out->has_cost = 1;
	}
	out->line = r->rec->line;
	return 0;
bad:
	free(out->id);
	free(out->mechanic);
	out->id = out->mechanic = NULL;
	return -1;
}

static void
add_to_list(uint32_t **list, size_t *n, size_t *cap, uint32_t value)
{
	grow((void **)list, cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = value;
}

static void
register_promo(ka_promo *p, uint32_t index)
{
	struct promo *q = &p->promos[index];
	struct account *a;
	int added;

	ka_keys_intern(p->promo_keys, q->id, strlen(q->id), &added);
	switch (q->target) {
	case TARGET_ACCOUNT:
		a = &p->accounts[q->account];
		a->known = 1;
		add_to_list(&a->promos, &a->npromos, &a->cpromos, index);
		break;
	case TARGET_TIER:
		if (q->tier >= p->ctier) {
			size_t old = p->ctier, n = (size_t)q->tier + 1;

			p->tier_promos = ka_reallocarray(p->tier_promos, n,
			    sizeof(*p->tier_promos));
			p->ntier_promos = ka_reallocarray(p->ntier_promos, n,
			    sizeof(*p->ntier_promos));
			p->ctier_promos = ka_reallocarray(p->ctier_promos, n,
			    sizeof(*p->ctier_promos));
			memset(p->tier_promos + old, 0, (n - old) *
			    sizeof(*p->tier_promos));
			memset(p->ntier_promos + old, 0, (n - old) *
			    sizeof(*p->ntier_promos));
			memset(p->ctier_promos + old, 0, (n - old) *
			    sizeof(*p->ctier_promos));
			p->ctier = n;
		}
		add_to_list(&p->tier_promos[q->tier],
		    &p->ntier_promos[q->tier], &p->ctier_promos[q->tier],
		    index);
		break;
	case TARGET_ALL:
		add_to_list(&p->all_promos, &p->nall_promos, &p->call_promos,
		    index);
		break;
	}
}

int
ka_promo_load(ka_promo *p, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	const char *files[1] = { path };
	static const char *const *const aliases[PC_COUNT] = {
		promo_id_aliases, NULL, scope_aliases, start_aliases,
		end_aliases, mechanic_aliases, discount_aliases,
		promo_cost_aliases
	};
	static const char *const names[PC_COUNT] = { "promo_id",
		"customer_id", "scope", "start", "end", "mechanic",
		"discount_pct", "cost" };
	struct promo_reading r;
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	int got, result = 0, c;

	reader = ka_reader_open(files, 1, options);
	if (reader == NULL) {
		if (size > 0)
			error[0] = '\0';
		return KA_EXIT_DATA;
	}
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.header = ka_reader_header(reader);
	r.error = error;
	r.size = size;
	for (c = 0; c < PC_COUNT; c++) {
		if (c == PC_CUSTOMER) {
			r.column[c] = find_column(r.header,
			    ka_role_aliases(KA_ROLE_CUSTOMER_ID));
			if (r.column[c] < 0)
				r.column[c] = find_column(r.header,
				    ka_role_aliases(KA_ROLE_CUSTOMER));
		} else
			r.column[c] = find_column(r.header, aliases[c]);
		if (r.column[c] < 0 && c <= PC_END) {
			result = missing_column(r.header, path, names[c],
			    c == PC_CUSTOMER ?
			    ka_role_aliases(KA_ROLE_CUSTOMER_ID) : aliases[c],
			    error, size);
			ka_reader_close(reader);
			return result;
		}
	}
	free(p->promos_file);
	p->promos_file = ka_strdup(path);
	for (c = 0; c < PC_COUNT; c++) {
		p->promo_column[c] = r.column[c];
		free(p->promo_column_name[c]);
		p->promo_column_name[c] = r.column[c] < 0 ? NULL :
		    ka_strdup(ka_field(r.header, (size_t)r.column[c]));
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		struct promo q;

		r.rec = &rec;
		if (status != KA_READ_OK) {
			if (p->config.rejects == NULL) {
				snprintf(error, size, "%s",
				    ka_reader_error(reader));
				result = KA_EXIT_DATA;
				break;
			}
			ka_rejects_add(p->config.rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			continue;
		}
		if (read_promo(&r, &q) < 0) {
			if (p->config.rejects == NULL) {
				result = KA_EXIT_DATA;
				break;
			}
			/* The reasons file names file and line itself. */
			ka_rejects_add(p->config.rejects, &rec, r.bad_column,
			    error + r.reason_at);
			continue;
		}
		save_record(&q.rec, &rec);
		grow((void **)&p->promos, &p->cpromos, p->npromos + 1,
		    sizeof(*p->promos));
		p->promos[p->npromos] = q;
		register_promo(p, (uint32_t)p->npromos);
		p->npromos++;
	}
	if (got < 0 && result == 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		result = KA_EXIT_DATA;
	}
	ka_reader_close(reader);
	return result;
}

/* ---- laying out the evaluations ---- */

struct plist {
	uint32_t	*v;
	size_t		 n, cap;
};

/* The promotions of an account: its own, its tier's, everyone's. */
static void
promos_of(const ka_promo *p, uint32_t account, struct plist *out)
{
	const struct account *a = &p->accounts[account];
	size_t i;

	out->n = 0;
	for (i = 0; i < a->npromos; i++)
		add_to_list(&out->v, &out->n, &out->cap, a->promos[i]);
	if (a->tier != NONE && a->tier < p->ctier)
		for (i = 0; i < p->ntier_promos[a->tier]; i++)
			add_to_list(&out->v, &out->n, &out->cap,
			    p->tier_promos[a->tier][i]);
	for (i = 0; i < p->nall_promos; i++)
		add_to_list(&out->v, &out->n, &out->cap, p->all_promos[i]);
}

static int
days_meet(ka_date a1, ka_date b1, ka_date a2, ka_date b2)
{
	return a1 <= b2 && a2 <= b1;
}

/*
 * Do two scopes share sales?  0 no, 1 yes, 2 maybe: a sku and a
 * category before the sales said (learnt 0) whether the one is in the
 * other.
 */
static int
scope_relation(const ka_promo *p, uint32_t a, uint32_t b, int learnt)
{
	const struct scope *x = &p->scopes[a], *y = &p->scopes[b];

	if (a == b || x->kind == SCOPE_ALL || y->kind == SCOPE_ALL)
		return 1;
	if (x->kind == y->kind)
		return 0;
	if (!learnt)
		return 2;
	if (x->kind == SCOPE_CATEGORY) {
		const struct scope *t = x;

		x = y;
		y = t;
	}
	return map_get(&p->sku_category, pair_key(x->item, y->item)) != NONE;
}

static int
is_member(const struct eval *e, uint32_t promo)
{
	size_t i;

	for (i = 0; i < e->nmembers; i++)
		if (e->members[i] == promo)
			return 1;
	return 0;
}

/*
 * A promotion of the account, not one of e's, whose scope shares sales
 * with e's (or may, before the pass) and that runs on a day of
 * first..last; NONE when there is none.  The earliest such starting
 * one is returned, so messages are stable.
 */
static uint32_t
intruder(const ka_promo *p, const struct eval *e, const struct plist *list,
    ka_date first, ka_date last, int learnt)
{
	uint32_t best = NONE;
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct promo *q = &p->promos[list->v[i]];

		if (q->rejected || !days_meet(q->start, q->end, first, last) ||
		    is_member(e, list->v[i]) ||
		    scope_relation(p, q->scope, e->scope, learnt) == 0)
			continue;
		if (best == NONE || q->start < p->promos[best].start ||
		    (q->start == p->promos[best].start && q->line <
		    p->promos[best].line))
			best = list->v[i];
	}
	return best;
}

int
ka_promo_block(ka_date d, ka_date start, ka_date end, int pre, int post)
{
	long k;

	if (d < start) {
		k = ((long)start - 1 - d) / 7;
		return k < pre ? (int)k : -1;
	}
	if (d <= end)
		return pre + (int)(d - start);
	k = ((long)d - end - 1) / 7;
	return k < post ? pre + (int)(end - start + 1) + (int)k : -1;
}

static size_t
slots(const struct eval *e)
{
	return (size_t)e->pre + (size_t)e->days + (size_t)e->post;
}

/* Sorting promotion indices with the engine at hand. */
static int
group_order(const ka_promo *p, uint32_t x, uint32_t y)
{
	const struct promo *a = &p->promos[x], *b = &p->promos[y];

	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static void
sort_promos(const ka_promo *p, uint32_t *v, size_t n, uint32_t *tmp)
{
	size_t half = n / 2, i = 0, j, k = 0;

	if (n < 2)
		return;
	sort_promos(p, v, half, tmp);
	sort_promos(p, v + half, n - half, tmp);
	j = half;
	while (i < half && j < n)
		tmp[k++] = group_order(p, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void
need_days(struct account *a, ka_date first, ka_date last)
{
	if (a->need_first == KA_DATE_NONE || first < a->need_first)
		a->need_first = first;
	if (a->need_last == KA_DATE_NONE || last > a->need_last)
		a->need_last = last;
}

static void
new_eval(ka_promo *p, uint32_t account, const uint32_t *members,
    size_t nmembers, ka_date end, const struct plist *list)
{
	struct eval *e;
	struct account *a;
	int found = 0, k, limit, yoy = p->config.baseline == KA_PROMO_YOY;
	uint32_t index = (uint32_t)p->nevals;
	uint64_t key;

	grow((void **)&p->evals, &p->cevals, p->nevals + 1,
	    sizeof(*p->evals));
	e = &p->evals[p->nevals++];
	memset(e, 0, sizeof(*e));
	e->account = account;
	e->scope = p->promos[members[0]].scope;
	e->start = p->promos[members[0]].start;
	e->end = end;
	e->days = (int)(end - e->start + 1);
	e->members = ka_calloc(nmembers, sizeof(*e->members));
	memcpy(e->members, members, nmembers * sizeof(*members));
	e->member_cost = ka_calloc(nmembers, sizeof(*e->member_cost));
	e->nmembers = nmembers;
	for (k = 0; k < (int)nmembers; k++)
		p->promos[members[k]].evaluated = 1;
	/*
	 * Enough blocks for N clean ones even if every "maybe" turns out
	 * to share sales; the pass then tells which are clean.
	 */
	limit = p->config.weeks + MAX_SKIPPED;
	for (k = 0; k < limit && found < p->config.weeks; k++) {
		ka_date first = e->start - 7 * (k + 1), last = first + 6;

		if (intruder(p, e, list, first, last, 0) != NONE)
			continue;
		if (yoy && intruder(p, e, list, first - YEAR_DAYS,
		    last - YEAR_DAYS, 0) != NONE)
			continue;
		found++;
	}
	e->pre = k;
	e->post = p->config.post_weeks;
	e->now = ka_calloc(slots(e), sizeof(*e->now));
	if (yoy)
		e->ago = ka_calloc(slots(e), sizeof(*e->ago));
	e->span_first = e->start - 7 * e->pre;
	e->span_last = e->end + 7 * e->post;
	key = pair_key(account, e->scope);
	e->next = map_get(&p->pairs, key);
	map_put(&p->pairs, key, index);
	a = &p->accounts[account];
	a->treated = 1;
	need_days(a, e->span_first, e->span_last);
	if (yoy)
		need_days(a, e->span_first - YEAR_DAYS,
		    e->span_last - YEAR_DAYS);
}

/*
 * The evaluations of one account: its promotions grouped by scope,
 * those whose windows share a day measured together; a group is
 * evaluated when it ends in the period (or there is none).
 */
static void
build_account(ka_promo *p, uint32_t account)
{
	struct plist list = { NULL, 0, 0 };
	uint32_t *tmp;
	size_t i, j;

	if (p->accounts[account].built)
		return;
	p->accounts[account].built = 1;
	promos_of(p, account, &list);
	if (list.n == 0) {
		free(list.v);
		return;
	}
	tmp = ka_calloc(list.n, sizeof(*tmp));
	sort_promos(p, list.v, list.n, tmp);
	for (i = 0; i < list.n; i = j) {
		const struct promo *first = &p->promos[list.v[i]];
		ka_date end = first->end;

		for (j = i + 1; j < list.n; j++) {
			const struct promo *q = &p->promos[list.v[j]];

			if (q->scope != first->scope || q->start > end)
				break;
			if (q->end > end)
				end = q->end;
		}
		if (p->config.has_period &&
		    !ka_period_contains(&p->config.period, end))
			continue;
		new_eval(p, account, list.v + i, j - i, end, &list);
	}
	free(tmp);
	free(list.v);
}

/*
 * No account can be a control when a promotion for everyone, or for
 * the whole tier the controls must share, runs during the span.
 */
static int
everyone_promoted(const ka_promo *p, const struct eval *e)
{
	const struct account *a = &p->accounts[e->account];
	size_t i;

	for (i = 0; i < p->nall_promos; i++)
		if (days_meet(p->promos[p->all_promos[i]].start,
		    p->promos[p->all_promos[i]].end, e->span_first,
		    e->span_last))
			return 1;
	if (a->tier != NONE && a->tier < p->ctier)
		for (i = 0; i < p->ntier_promos[a->tier]; i++) {
			const struct promo *q =
			    &p->promos[p->tier_promos[a->tier][i]];

			if (days_meet(q->start, q->end, e->span_first,
			    e->span_last))
				return 1;
		}
	return 0;
}

static void
build_control_index(ka_promo *p)
{
	ka_date first = KA_DATE_NONE, last = KA_DATE_NONE;
	size_t i, s, w, weeks, nscopes = p->nscopes;
	uint32_t *fill;

	if (p->config.baseline != KA_PROMO_CONTROL || p->nevals == 0)
		return;
	for (i = 0; i < p->nevals; i++)
		p->evals[i].no_controls = everyone_promoted(p, &p->evals[i]);
	for (i = 0; i < p->nevals; i++) {
		if (p->evals[i].no_controls)
			continue;
		if (first == KA_DATE_NONE || p->evals[i].span_first < first)
			first = p->evals[i].span_first;
		if (last == KA_DATE_NONE || p->evals[i].span_last > last)
			last = p->evals[i].span_last;
	}
	if (first == KA_DATE_NONE)
		return;
	weeks = (size_t)(last - first) / 7 + 1;
	p->control_first = first;
	p->control_weeks = weeks;
	p->control = ka_calloc(nscopes, sizeof(*p->control));
	for (i = 0; i < p->nevals; i++) {
		const struct eval *e = &p->evals[i];
		struct cindex *c = &p->control[e->scope];

		if (e->no_controls)
			continue;
		if (c->offset == NULL)
			c->offset = ka_calloc(weeks + 1, sizeof(*c->offset));
		for (w = (size_t)(e->span_first - first) / 7;
		    w <= (size_t)(e->span_last - first) / 7; w++)
			c->offset[w + 1]++;
	}
	fill = ka_calloc(weeks + 1, sizeof(*fill));
	for (s = 0; s < nscopes; s++) {
		struct cindex *c = &p->control[s];

		if (c->offset == NULL)
			continue;
		for (w = 0; w < weeks; w++)
			c->offset[w + 1] += c->offset[w];
		c->list = ka_calloc(c->offset[weeks], sizeof(*c->list));
	}
	for (s = 0; s < nscopes; s++) {
		struct cindex *c = &p->control[s];

		if (c->offset == NULL)
			continue;
		memcpy(fill, c->offset, (weeks + 1) * sizeof(*fill));
		for (i = 0; i < p->nevals; i++) {
			const struct eval *e = &p->evals[i];

			if (e->scope != s || e->no_controls)
				continue;
			for (w = (size_t)(e->span_first - first) / 7;
			    w <= (size_t)(e->span_last - first) / 7; w++)
				c->list[fill[w]++] = (uint32_t)i;
		}
	}
	free(fill);
}

static void
use_column(ka_promo *p, const ka_record *header,
    const struct ka_roles *roles, enum ka_role role)
{
	p->column[role] = roles->column[role];
	if (p->column[role] >= 0 &&
	    (size_t)p->column[role] < header->nfields)
		p->column_name[role] = ka_field(header,
		    (size_t)p->column[role]);
	else
		p->column[role] = -1;
}

int
ka_promo_bind(ka_promo *p, const ka_record *header,
    const struct ka_roles *roles, enum ka_role *missing)
{
	static const enum ka_role used[] = { KA_ROLE_DATE,
		KA_ROLE_CUSTOMER_ID, KA_ROLE_CUSTOMER, KA_ROLE_SKU,
		KA_ROLE_CATEGORY, KA_ROLE_QTY, KA_ROLE_UNIT_PRICE,
		KA_ROLE_AMOUNT, KA_ROLE_COST, KA_ROLE_REGION };
	size_t i, n;
	int need_sku = 0, need_category = 0;

	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		use_column(p, header, roles, used[i]);
	p->key_role = KA_ROLE_CUSTOMER_ID;
	if (p->column[KA_ROLE_CUSTOMER_ID] < 0 &&
	    p->column[KA_ROLE_CUSTOMER] >= 0) {
		/* Names stand for ids, as in ka-rank. */
		p->key_role = KA_ROLE_CUSTOMER;
	}
	for (i = 0; i < p->nscopes; i++) {
		if (p->scopes[i].kind == SCOPE_SKU)
			need_sku = 1;
		if (p->scopes[i].kind == SCOPE_CATEGORY)
			need_category = 1;
	}
	*missing = KA_ROLE_COUNT;
	if (p->column[KA_ROLE_DATE] < 0)
		*missing = KA_ROLE_DATE;
	else if (p->column[p->key_role] < 0)
		*missing = KA_ROLE_CUSTOMER_ID;
	else if (p->column[KA_ROLE_AMOUNT] < 0 &&
	    (p->column[KA_ROLE_QTY] < 0 || p->column[KA_ROLE_UNIT_PRICE] < 0))
		*missing = KA_ROLE_AMOUNT;
	else if (need_sku && p->column[KA_ROLE_SKU] < 0)
		*missing = KA_ROLE_SKU;
	else if (need_category && p->column[KA_ROLE_CATEGORY] < 0)
		*missing = KA_ROLE_CATEGORY;
	if (*missing != KA_ROLE_COUNT)
		return -1;
	p->has_qty = p->column[KA_ROLE_QTY] >= 0;
	p->has_cost = p->column[KA_ROLE_COST] >= 0;
	p->dynamic = !p->accounts_loaded && p->nall_promos > 0;
	p->intern_all = p->dynamic ||
	    p->config.baseline == KA_PROMO_CONTROL;
	n = ka_keys_count(p->account_keys);
	for (i = 0; i < n; i++)
		if (p->accounts[i].known)
			build_account(p, (uint32_t)i);
	build_control_index(p);
	p->bound = 1;
	return 0;
}

/* ---- the pass ---- */

static void
set_error(ka_promo *p, size_t column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(ka_promo *p, size_t column, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(p->error, sizeof(p->error), format, args);
	va_end(args);
	p->error_column = column;
}

static int
is_null(const ka_promo *p, const char *text, size_t length)
{
	const char *null = p->config.null_string;

	return null != NULL && strlen(null) == length &&
	    memcmp(null, text, length) == 0;
}

static void
field_text(const ka_promo *p, const ka_record *rec, enum ka_role role,
    const char **text, size_t *length)
{
	size_t c = (size_t)p->column[role];

	if (c >= rec->nfields) {
		*text = "";
		*length = 0;
		return;
	}
	*text = ka_field(rec, c);
	*length = ka_field_length(rec, c);
	ka_text_trim(text, length);
	if (is_null(p, *text, *length))
		*length = 0;
}

static void
bad_value(ka_promo *p, const ka_record *rec, enum ka_role role,
    const char *what)
{
	size_t c = (size_t)p->column[role];
	const char *text = c < rec->nfields ? ka_field(rec, c) : "";
	size_t length = c < rec->nfields ? ka_field_length(rec, c) : 0;

	if (length == 0)
		set_error(p, c + 1, "column %zu (%s): %s", c + 1,
		    p->column_name[role], what);
	else
		set_error(p, c + 1, "column %zu (%s): %s: \"%.*s\"", c + 1,
		    p->column_name[role], what,
		    ka_text_shown(text, length), text);
}

/* 1 with a value, 0 empty, -1 bad (message set). */
static int
read_number(ka_promo *p, const ka_record *rec, enum ka_role role,
    ka_dec *value)
{
	const char *text;
	size_t length;
	enum ka_dec_status status;

	field_text(p, rec, role, &text, &length);
	if (length == 0)
		return 0;
	status = ka_dec_parse(text, length, p->config.decimal_comma, value);
	if (status == KA_DEC_OK)
		return 1;
	if (status == KA_DEC_EMPTY)
		return 0;
	bad_value(p, rec, role, ka_dec_status_text(status));
	return -1;
}

static int
read_date(ka_promo *p, const ka_record *rec, ka_date *date)
{
	const char *text;
	size_t length;

	field_text(p, rec, KA_ROLE_DATE, &text, &length);
	if (length > 0 && (ka_date_parse(text, length, date) == 0 ||
	    (p->config.date_format != NULL && ka_date_parse_format(text,
	    length, p->config.date_format, date) == 0)))
		return 0;
	bad_value(p, rec, KA_ROLE_DATE, length == 0 ? "empty" : "not a date");
	return -1;
}

struct values {
	ka_dec	 qty, revenue, margin;
	int	 nocost;
};

static int
read_values(ka_promo *p, const ka_record *rec, struct values *v)
{
	ka_dec cost;
	int got;

	v->qty = 0;
	if (p->has_qty && read_number(p, rec, KA_ROLE_QTY, &v->qty) < 0)
		return -1;
	if (p->column[KA_ROLE_AMOUNT] >= 0) {
		if ((got = read_number(p, rec, KA_ROLE_AMOUNT,
		    &v->revenue)) <= 0) {
			if (got == 0)
				bad_value(p, rec, KA_ROLE_AMOUNT, "empty");
			return -1;
		}
	} else {
		ka_dec price;

		if ((got = read_number(p, rec, KA_ROLE_UNIT_PRICE,
		    &price)) <= 0) {
			if (got == 0)
				bad_value(p, rec, KA_ROLE_UNIT_PRICE, "empty");
			return -1;
		}
		if (ka_dec_mul(v->qty, price, &v->revenue) < 0) {
			bad_value(p, rec, KA_ROLE_UNIT_PRICE,
			    "qty x unit_price is out of range");
			return -1;
		}
	}
	got = 0;
	if (p->has_cost && (got = read_number(p, rec, KA_ROLE_COST,
	    &cost)) < 0)
		return -1;
	v->nocost = 0;
	if (got) {
		if (__builtin_sub_overflow(v->revenue, cost, &v->margin)) {
			bad_value(p, rec, KA_ROLE_COST,
			    "amount - cost is out of range");
			return -1;
		}
	} else if (p->config.has_margin_pct) {
		if (muldiv_places(v->revenue, p->config.margin_pct,
		    100 * KA_DEC_SCALE, KA_DEC_PLACES, &v->margin) < 0) {
			bad_value(p, rec, KA_ROLE_AMOUNT, "out of range");
			return -1;
		}
	} else {
		v->margin = 0;
		v->nocost = 1;
	}
	return 0;
}

static long
week_of(ka_date d)
{
	long x = (long)d - MONDAY_ZERO;

	return x >= 0 ? x / 7 : -((-x + 6) / 7);
}

static int
add_week_at(struct account *a, long w, ka_dec revenue)
{
	if (a->nweeks == 0) {
		a->weeks = ka_calloc(16, sizeof(*a->weeks));
		a->week0 = w;
		a->nweeks = 1;
	} else if (w < a->week0) {
		size_t more = (size_t)(a->week0 - w);

		a->weeks = ka_reallocarray(a->weeks, a->nweeks + more,
		    sizeof(*a->weeks));
		memmove(a->weeks + more, a->weeks, a->nweeks *
		    sizeof(*a->weeks));
		memset(a->weeks, 0, more * sizeof(*a->weeks));
		a->nweeks += more;
		a->week0 = w;
	} else if ((size_t)(w - a->week0) >= a->nweeks) {
		size_t n = (size_t)(w - a->week0) + 1;

		a->weeks = ka_reallocarray(a->weeks, n, sizeof(*a->weeks));
		memset(a->weeks + a->nweeks, 0, (n - a->nweeks) *
		    sizeof(*a->weeks));
		a->nweeks = n;
	}
	return __builtin_add_overflow(a->weeks[w - a->week0], revenue,
	    &a->weeks[w - a->week0]) ? -1 : 0;
}

static int
add_week(struct account *a, ka_date d, ka_dec revenue)
{
	return add_week_at(a, week_of(d), revenue);
}

/*
 * Has account b a promotion of any kind on a day of first..last?  The
 * promotions for everyone are not looked at: an evaluation whose span
 * one of them meets has no controls and is not in the control index.
 */
static int
promoted_during(const ka_promo *p, uint32_t b, ka_date first, ka_date last)
{
	const struct account *a = &p->accounts[b];
	size_t i;

	for (i = 0; i < a->npromos; i++)
		if (days_meet(p->promos[a->promos[i]].start,
		    p->promos[a->promos[i]].end, first, last))
			return 1;
	if (a->tier != NONE && a->tier < p->ctier)
		for (i = 0; i < p->ntier_promos[a->tier]; i++) {
			const struct promo *q =
			    &p->promos[p->tier_promos[a->tier][i]];

			if (days_meet(q->start, q->end, first, last))
				return 1;
		}
	return 0;
}

static struct bucket *
bucket_of(struct eval *e, uint32_t region)
{
	size_t i;

	for (i = 0; i < e->nbuckets; i++)
		if (e->buckets[i].region == region)
			return &e->buckets[i];
	e->buckets = ka_reallocarray(e->buckets, e->nbuckets + 1,
	    sizeof(*e->buckets));
	memset(&e->buckets[e->nbuckets], 0, sizeof(*e->buckets));
	e->buckets[e->nbuckets].region = region;
	e->buckets[e->nbuckets].sums = ka_calloc(slots(e),
	    sizeof(struct sums));
	return &e->buckets[e->nbuckets++];
}

static void
bucket_count(struct bucket *k, uint32_t account)
{
	size_t byte = account / 8;

	if (byte >= k->seen_bytes) {
		size_t n = k->seen_bytes == 0 ? 64 : k->seen_bytes;

		while (n <= byte)
			n *= 2;
		k->seen = ka_reallocarray(k->seen, n, 1);
		memset(k->seen + k->seen_bytes, 0, n - k->seen_bytes);
		k->seen_bytes = n;
	}
	if (!(k->seen[byte] & (1u << (account % 8)))) {
		k->seen[byte] |= (uint8_t)(1u << (account % 8));
		k->accounts++;
	}
}

/* The row (of account b) into the control sums it belongs to. */
static int
add_control(ka_promo *p, const ka_record *rec, uint32_t b, ka_date d,
    const uint32_t *scopes, int nscopes, const struct values *v)
{
	const struct account *B = &p->accounts[b];
	uint32_t row_region = NONE;
	int have_row_region = 0, i;
	size_t w, j;

	if (p->accounts_loaded && !B->in_file)
		return 0;
	w = (size_t)(d - p->control_first) / 7;
	for (i = 0; i < nscopes; i++) {
		const struct cindex *c = &p->control[scopes[i]];

		if (c->offset == NULL)
			continue;
		for (j = c->offset[w]; j < c->offset[w + 1]; j++) {
			struct eval *e = &p->evals[c->list[j]];
			const struct account *A = &p->accounts[e->account];
			uint32_t region = NONE;
			struct bucket *k;
			int slot;

			if (e->account == b)
				continue;
			slot = ka_promo_block(d, e->start, e->end, e->pre,
			    e->post);
			if (slot < 0)
				continue;
			if (A->tier != NONE && B->tier != A->tier)
				continue;
			if (p->has_region_column) {
				if (A->region != NONE) {
					if (B->region != A->region)
						continue;
					region = A->region;
				}
			} else if (p->column[KA_ROLE_REGION] >= 0) {
				if (!have_row_region) {
					const char *text;
					size_t length;
					int added;

					field_text(p, rec, KA_ROLE_REGION,
					    &text, &length);
					row_region = ka_keys_intern(
					    p->region_keys, text, length,
					    &added);
					have_row_region = 1;
				}
				region = row_region;
			}
			if (promoted_during(p, b, e->span_first, e->span_last))
				continue;
			k = bucket_of(e, region);
			if (sums_add(&k->sums[slot], v->qty, v->revenue,
			    v->margin, v->nocost) < 0)
				return -1;
			bucket_count(k, b);
		}
	}
	return 0;
}

static int
add_treated(ka_promo *p, uint32_t account, ka_date d, const uint32_t *scopes,
    int nscopes, const struct values *v)
{
	int i, slot;
	uint32_t x;

	for (i = 0; i < nscopes; i++) {
		for (x = map_get(&p->pairs, pair_key(account, scopes[i]));
		    x != NONE; x = p->evals[x].next) {
			struct eval *e = &p->evals[x];

			slot = ka_promo_block(d, e->start, e->end, e->pre,
			    e->post);
			if (slot >= 0 && sums_add(&e->now[slot], v->qty,
			    v->revenue, v->margin, v->nocost) < 0)
				return -1;
			if (e->ago == NULL)
				continue;
			slot = ka_promo_block(d + YEAR_DAYS, e->start, e->end,
			    e->pre, e->post);
			if (slot >= 0 && sums_add(&e->ago[slot], v->qty,
			    v->revenue, v->margin, v->nocost) < 0)
				return -1;
		}
	}
	return 0;
}

/* The scopes a row belongs to, and what it says of skus and categories. */
static int
row_scopes(ka_promo *p, const ka_record *rec, uint32_t *scopes)
{
	const char *text;
	size_t length;
	int64_t sku = -1, category = -1;
	int n = 0;

	if (p->column[KA_ROLE_SKU] >= 0 && p->csku_scope > 0) {
		field_text(p, rec, KA_ROLE_SKU, &text, &length);
		if (length > 0 && (sku = ka_keys_find(p->sku_keys, text,
		    length)) >= 0)
			scopes[n++] = p->sku_scope[sku];
	}
	if (p->column[KA_ROLE_CATEGORY] >= 0 && p->ccategory_scope > 0) {
		field_text(p, rec, KA_ROLE_CATEGORY, &text, &length);
		if (length > 0 && (category = ka_keys_find(p->category_keys,
		    text, length)) >= 0)
			scopes[n++] = p->category_scope[category];
	}
	if (sku >= 0 && category >= 0) {
		uint64_t key = pair_key((uint32_t)sku, (uint32_t)category);

		if (map_get(&p->sku_category, key) == NONE)
			map_put(&p->sku_category, key, 1);
	}
	if (p->all_scope != NONE)
		scopes[n++] = p->all_scope;
	return n;
}

static void
seen_row(ka_promo *p, struct account *a, ka_date d)
{
	if (p->data_first == KA_DATE_NONE || d < p->data_first)
		p->data_first = d;
	if (p->data_last == KA_DATE_NONE || d > p->data_last)
		p->data_last = d;
	if (a == NULL)
		return;
	if (a->first == KA_DATE_NONE || d < a->first)
		a->first = d;
	if (a->last == KA_DATE_NONE || d > a->last)
		a->last = d;
}

/* --lenient's reconciliation: the row's amount into one total. */
static void
tally(ka_promo *p, const ka_record *rec, ka_dec *total)
{
	const char *text;
	size_t length;
	ka_dec v;

	if (!p->config.reconcile || p->column[KA_ROLE_AMOUNT] < 0)
		return;
	field_text(p, rec, KA_ROLE_AMOUNT, &text, &length);
	if (ka_dec_parse(text, length, p->config.decimal_comma, &v) !=
	    KA_DEC_OK) {
		if (total == &p->counts.amount_read)
			p->counts.unreadable++;
		return;
	}
	if (__builtin_add_overflow(*total, v, total))
		p->counts.overflow = 1;
}

/* Counts and totals a row with its outcome. */
static enum ka_promo_verdict
outcome(ka_promo *p, const ka_record *rec, enum ka_promo_verdict verdict)
{
	p->counts.read++;
	tally(p, rec, &p->counts.amount_read);
	switch (verdict) {
	case KA_PROMO_USED:
		p->counts.used++;
		tally(p, rec, &p->counts.amount_used);
		break;
	case KA_PROMO_UNUSED:
		p->counts.unused++;
		tally(p, rec, &p->counts.amount_unused);
		break;
	case KA_PROMO_FILTERED:
		p->counts.filtered++;
		tally(p, rec, &p->counts.amount_filtered);
		break;
	default:
		/* Bad rows are counted by ka_promo_reject(). */
		p->counts.read--;
		break;
	}
	return verdict;
}

enum ka_promo_verdict
ka_promo_add(ka_promo *p, const ka_record *rec)
{
	const char *key, *text;
	size_t key_length, length;
	struct account *a;
	struct values v;
	uint32_t id, scopes[3];
	int need, control_need, history_need, nscopes = 0, added;
	ka_date d;

	if (p->config.filter != NULL && ka_filter_count(p->config.filter) > 0) {
		int passed = ka_filter_match(p->config.filter, rec, p->error,
		    sizeof(p->error));

		if (passed < 0)
			return KA_PROMO_FATAL;
		if (!passed)
			return outcome(p, rec, KA_PROMO_FILTERED);
	}
	if (read_date(p, rec, &d) < 0)
		return KA_PROMO_BAD;
	field_text(p, rec, p->key_role, &key, &key_length);
	if (key_length == 0) {
		seen_row(p, NULL, d);
		return outcome(p, rec, KA_PROMO_UNUSED);
	}
	if (p->intern_all) {
		id = account_of(p, key, key_length, &added);
		if (added && p->dynamic)
			build_account(p, id);
	} else {
		int64_t found = ka_keys_find(p->account_keys, key, key_length);

		if (found < 0) {
			seen_row(p, NULL, d);
			return outcome(p, rec, KA_PROMO_UNUSED);
		}
		id = (uint32_t)found;
	}
	a = &p->accounts[id];
	/* The name from its first row that has one, needed or not. */
	if (a->treated && a->name == NULL &&
	    p->column[KA_ROLE_CUSTOMER] >= 0 &&
	    p->key_role != KA_ROLE_CUSTOMER) {
		field_text(p, rec, KA_ROLE_CUSTOMER, &text, &length);
		if (length > 0)
			a->name = ka_strndup(text, length);
	}
	need = a->treated && d >= a->need_first && d <= a->need_last;
	control_need = p->control != NULL && d >= p->control_first &&
	    (size_t)(d - p->control_first) / 7 < p->control_weeks;
	history_need = p->config.history && a->treated;
	if (!need && !control_need && !history_need) {
		seen_row(p, a, d);
		return outcome(p, rec, KA_PROMO_UNUSED);
	}
	if (read_values(p, rec, &v) < 0)
		return KA_PROMO_BAD;
	seen_row(p, a, d);
	/* Only the control group asks for it; pieces never intern. */
	if (a->row_region == NONE && p->config.baseline == KA_PROMO_CONTROL &&
	    p->column[KA_ROLE_REGION] >= 0) {
		field_text(p, rec, KA_ROLE_REGION, &text, &length);
		if (length > 0)
			a->row_region = ka_keys_intern(p->region_keys, text,
			    length, &added);
	}
	if (history_need && add_week(a, d, v.revenue) < 0)
		goto overflow;
	if (need || control_need)
		nscopes = row_scopes(p, rec, scopes);
	if (need && add_treated(p, id, d, scopes, nscopes, &v) < 0)
		goto overflow;
	if (control_need && add_control(p, rec, id, d, scopes, nscopes,
	    &v) < 0)
		goto overflow;
	return outcome(p, rec, KA_PROMO_USED);
overflow:
	set_error(p, 0, "%s:%lu: a sum is out of range", rec->file,
	    rec->line);
	return KA_PROMO_FATAL;
}

/* ---- one file in pieces, on every core ---- */

/*
 * An engine for one piece: the promotions, keys, pairs and layout are
 * p's, shared and only read during the pass; what a pass writes (the
 * accounts' dates, names and weeks, the evaluations' sums, the counts,
 * what the rows say of skus and categories) is the piece's own.
 */
static ka_promo *
piece_engine(const ka_promo *p)
{
	ka_promo *q = ka_calloc(1, sizeof(*q));
	size_t n = ka_keys_count(p->account_keys), i;

	*q = *p;
	q->accounts = ka_calloc(n, sizeof(*q->accounts));
	if (n > 0)
		memcpy(q->accounts, p->accounts, n * sizeof(*q->accounts));
	q->caccounts = n;
	for (i = 0; i < n; i++) {
		q->accounts[i].first = q->accounts[i].last = KA_DATE_NONE;
		q->accounts[i].weeks = NULL;
		q->accounts[i].nweeks = 0;
	}
	q->evals = ka_calloc(p->nevals, sizeof(*q->evals));
	if (p->nevals > 0)
		memcpy(q->evals, p->evals, p->nevals * sizeof(*q->evals));
	q->cevals = p->nevals;
	for (i = 0; i < p->nevals; i++) {
		q->evals[i].now = ka_calloc(slots(&p->evals[i]),
		    sizeof(struct sums));
		q->evals[i].ago = p->evals[i].ago == NULL ? NULL :
		    ka_calloc(slots(&p->evals[i]), sizeof(struct sums));
	}
	memset(&q->sku_category, 0, sizeof(q->sku_category));
	memset(&q->counts, 0, sizeof(q->counts));
	q->data_first = q->data_last = KA_DATE_NONE;
	q->error[0] = '\0';
	return q;
}

/* Frees what piece_engine() gave q of its own. */
static void
piece_free(const ka_promo *p, ka_promo *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->caccounts; i++) {
		if (q->accounts[i].name != p->accounts[i].name)
			free(q->accounts[i].name);
		free(q->accounts[i].weeks);
	}
	free(q->accounts);
	for (i = 0; i < q->cevals; i++) {
		free(q->evals[i].now);
		free(q->evals[i].ago);
	}
	free(q->evals);
	map_free(&q->sku_category);
	free(q);
}

/* Adds piece q into p; pieces come in input order, as one pass reads. */
static int
absorb(ka_promo *p, ka_promo *q)
{
	size_t i, k;

	for (i = 0; i < q->caccounts; i++) {
		struct account *a = &p->accounts[i], *b = &q->accounts[i];

		if (b->first != KA_DATE_NONE && (a->first == KA_DATE_NONE ||
		    b->first < a->first))
			a->first = b->first;
		if (b->last != KA_DATE_NONE && (a->last == KA_DATE_NONE ||
		    b->last > a->last))
			a->last = b->last;
		if (a->name == NULL && b->name != NULL) {
			/* The name changes hands: q must not free it. */
			a->name = b->name;
			b->name = NULL;
		}
		for (k = 0; k < b->nweeks; k++)
			if (b->weeks[k] != 0 && add_week_at(a,
			    b->week0 + (long)k, b->weeks[k]) < 0)
				return -1;
	}
	for (i = 0; i < q->cevals; i++) {
		struct eval *e = &p->evals[i], *f = &q->evals[i];

		for (k = 0; k < slots(e); k++) {
			if (sums_merge(&e->now[k], &f->now[k]) < 0)
				return -1;
			if (e->ago != NULL && sums_merge(&e->ago[k],
			    &f->ago[k]) < 0)
				return -1;
		}
	}
	for (i = 0; i < q->sku_category.size; i++)
		if (q->sku_category.values[i] != NONE &&
		    map_get(&p->sku_category, q->sku_category.keys[i]) == NONE)
			map_put(&p->sku_category, q->sku_category.keys[i], 1);
	if (q->data_first != KA_DATE_NONE && (p->data_first == KA_DATE_NONE ||
	    q->data_first < p->data_first))
		p->data_first = q->data_first;
	if (q->data_last != KA_DATE_NONE && (p->data_last == KA_DATE_NONE ||
	    q->data_last > p->data_last))
		p->data_last = q->data_last;
	p->counts.read += q->counts.read;
	p->counts.used += q->counts.used;
	p->counts.unused += q->counts.unused;
	p->counts.filtered += q->counts.filtered;
	return 0;
}

/* The pieces of ka_promo_add_file(): engines of their own, absorbed in
   order into whole, which p takes only when all went well. */
struct promo_pieces {
	ka_promo	*p;
	ka_promo	*whole;
};

static void *
promo_piece_new(void *context)
{
	return piece_engine(((struct promo_pieces *)context)->p);
}

static int
promo_piece_record(const void *context, void *piece, const ka_record *rec)
{
	enum ka_promo_verdict verdict = ka_promo_add(piece, rec);

	(void)context;
	return verdict == KA_PROMO_BAD || verdict == KA_PROMO_FATAL ? -1 : 0;
}

static int
promo_piece_absorb(void *context, void *piece)
{
	return absorb(((struct promo_pieces *)context)->whole, piece);
}

static void
promo_piece_free(void *context, void *piece)
{
	piece_free(((struct promo_pieces *)context)->p, piece);
}

int
ka_promo_add_file(ka_promo *p, const char *path,
    const struct ka_reader_options *options, int delimiter, int jobs)
{
	static const struct ka_pieces_callbacks callbacks = {
		promo_piece_new, promo_piece_record, promo_piece_absorb,
		promo_piece_free
	};
	struct promo_pieces pieces;
	int done;

	/* Only the plain case: every other one reads in one pass. */
	if (jobs < 2 || !p->bound || p->dynamic || p->intern_all ||
	    p->control != NULL || p->config.rejects != NULL ||
	    p->config.reconcile ||
	    (p->config.filter != NULL && ka_filter_count(p->config.filter) > 0))
		return 0;
	/*
	 * Into a fresh engine first, so that a sum out of range leaves p
	 * as it was and the one pass says where.
	 */
	pieces.p = p;
	pieces.whole = piece_engine(p);
	done = ka_pieces_read(path, NULL, options, delimiter, jobs,
	    &callbacks, &pieces) == 1 && absorb(p, pieces.whole) == 0;
	piece_free(p, pieces.whole);
	return done;
}

const char *
ka_promo_error(const ka_promo *p)
{
	return p->error;
}

size_t
ka_promo_error_column(const ka_promo *p)
{
	return p->error_column;
}

const struct ka_promo_counts *
ka_promo_counts(const ka_promo *p)
{
	return &p->counts;
}

void
ka_promo_reject(ka_promo *p, const ka_record *rec)
{
	p->counts.read++;
	p->counts.rejected++;
	tally(p, rec, &p->counts.amount_read);
	tally(p, rec, &p->counts.amount_rejected);
}

/* ---- after the pass: checks against the data ---- */

static int
promo_problem(ka_promo *p, uint32_t index, char *error, size_t size,
    size_t *column, size_t *reason_at)
{
	const struct promo *q = &p->promos[index];
	char a[KA_DATE_BUFSIZE], b[KA_DATE_BUFSIZE], c[KA_DATE_BUFSIZE];
	int which = -1, n;
	char what[256];

	what[0] = '\0';
	if (q->target == TARGET_ACCOUNT && !p->accounts_loaded &&
	    p->accounts[q->account].first == KA_DATE_NONE) {
		which = PC_CUSTOMER;
		snprintf(what, sizeof(what), "unknown customer \"%s\": no "
		    "sales rows for it%s", ka_keys_text(p->account_keys,
		    q->account), p->config.filter != NULL &&
		    ka_filter_count(p->config.filter) > 0 ?
		    " pass --where" : "");
	} else if (p->data_first == KA_DATE_NONE) {
		which = PC_START;
		snprintf(what, sizeof(what), "window %s..%s is outside the "
		    "data: there are no sales rows", date_text(q->start, a),
		    date_text(q->end, b));
	} else if (q->start < p->data_first) {
		which = PC_START;
		snprintf(what, sizeof(what), "window %s..%s starts before "
		    "the data, which begin on %s", date_text(q->start, a),
		    date_text(q->end, b), date_text(p->data_first, c));
	} else if (q->start > p->data_last) {
		which = PC_START;
		snprintf(what, sizeof(what), "window %s..%s starts after the "
		    "data, which end on %s", date_text(q->start, a),
		    date_text(q->end, b), date_text(p->data_last, c));
	} else if (q->end > p->data_last) {
		which = PC_END;
		snprintf(what, sizeof(what), "window %s..%s ends after the "
		    "data, which end on %s", date_text(q->start, a),
		    date_text(q->end, b), date_text(p->data_last, c));
	}
	if (which < 0)
		return 0;
	*column = (size_t)p->promo_column[which] + 1;
	n = snprintf(error, size, "%s:%lu: ", p->promos_file, q->line);
	*reason_at = n > 0 && (size_t)n < size ? (size_t)n : 0;
	snprintf(error + *reason_at, size - *reason_at, "column %ld (%s): %s",
	    p->promo_column[which] + 1, p->promo_column_name[which], what);
	return 1;
}

static int
check_promos(ka_promo *p, char *error, size_t size)
{
	char message[1024];
	size_t i, column, reason_at;

	for (i = 0; i < p->npromos; i++) {
		struct promo *q = &p->promos[i];

		/* "all" without --accounts: evaluated for whoever buys. */
		if (!q->evaluated && !(q->target == TARGET_ALL && p->dynamic &&
		    (!p->config.has_period ||
		    ka_period_contains(&p->config.period, q->end))))
			continue;
		if (!promo_problem(p, (uint32_t)i, message, sizeof(message),
		    &column, &reason_at))
			continue;
		if (p->config.rejects == NULL) {
			snprintf(error, size, "%s", message);
			return KA_EXIT_DATA;
		} else {
			ka_record rec;

			saved_as_record(&q->rec, p->promos_file, &rec);
			ka_rejects_add(p->config.rejects, &rec, column,
			    message + reason_at);
			q->rejected = 1;
		}
	}
	for (i = 0; i < p->nevals; i++) {
		struct eval *e = &p->evals[i];
		size_t m;

		for (m = 0; m < e->nmembers; m++)
			if (p->promos[e->members[m]].rejected)
				e->rejected = 1;
	}
	return 0;
}

/* ---- cost shares ---- */

struct share {
	uint32_t	 eval;
	uint32_t	 member;
};

static int
share_order(const ka_promo *p, const struct share *x, const struct share *y)
{
	return text_compare(ka_keys_text(p->account_keys,
	    p->evals[x->eval].account), ka_keys_text(p->account_keys,
	    p->evals[y->eval].account));
}

static void
sort_shares(const ka_promo *p, struct share *v, size_t n, struct share *tmp)
{
	size_t half = n / 2, i = 0, j, k = 0;

	if (n < 2)
		return;
	sort_shares(p, v, half, tmp);
	sort_shares(p, v + half, n - half, tmp);
	j = half;
	while (i < half && j < n)
		tmp[k++] = share_order(p, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void
split_costs(ka_promo *p)
{
	size_t *offset = ka_calloc(p->npromos + 1, sizeof(*offset));
	size_t *fill, i, m, total;
	struct share *list, *tmp;

	for (i = 0; i < p->nevals; i++)
		if (!p->evals[i].rejected)
			for (m = 0; m < p->evals[i].nmembers; m++)
				offset[p->evals[i].members[m] + 1]++;
	for (i = 0; i < p->npromos; i++)
		offset[i + 1] += offset[i];
	total = offset[p->npromos];
	list = ka_calloc(total, sizeof(*list));
	tmp = ka_calloc(total, sizeof(*tmp));
	fill = ka_calloc(p->npromos + 1, sizeof(*fill));
	memcpy(fill, offset, (p->npromos + 1) * sizeof(*fill));
	for (i = 0; i < p->nevals; i++)
		if (!p->evals[i].rejected)
			for (m = 0; m < p->evals[i].nmembers; m++) {
				struct share *s =
				    &list[fill[p->evals[i].members[m]]++];

				s->eval = (uint32_t)i;
				s->member = (uint32_t)m;
			}
	for (i = 0; i < p->npromos; i++) {
		const struct promo *q = &p->promos[i];
		size_t n = offset[i + 1] - offset[i], k;
		ka_dec share, remainder;

		if (n == 0 || !q->has_cost)
			continue;
		sort_shares(p, list + offset[i], n, tmp);
		share = q->cost / (ka_dec)n;
		remainder = q->cost - share * (ka_dec)n;
		for (k = 0; k < n; k++) {
			const struct share *s = &list[offset[i] + k];

			p->evals[s->eval].member_cost[s->member] = share +
			    ((ka_dec)k < remainder ? 1 : 0);
		}
	}
	free(offset);
	free(fill);
	free(list);
	free(tmp);
}

/* ---- the figures ---- */

static struct ka_promo_row *
new_row(ka_promo *p)
{
	grow((void **)&p->rows, &p->crows, p->nrows + 1, sizeof(*p->rows));
	memset(&p->rows[p->nrows], 0, sizeof(*p->rows));
	return &p->rows[p->nrows++];
}

static void
sum_slots(const struct sums *v, int from, int count, struct sums *out,
    int *overflow)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	for (i = 0; i < count; i++)
		if (sums_merge(out, &v[from + i]) < 0)
			*overflow = 1;
}

static void
sum_picked(const struct sums *v, const int *picked, int n, struct sums *out,
    int *overflow)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		if (sums_merge(out, &v[picked[i]]) < 0)
			*overflow = 1;
}

static ka_dec
measure_of(const struct sums *s, int which)
{
	return which == 0 ? s->qty : which == 1 ? s->revenue : s->margin;
}

/* Why an evaluation has no baseline, when it has none. */
enum no_base {
	BASE_OK,
	NO_WEEKS,		/* no clean week inside the data */
	NO_YOY_WINDOW,		/* the window a year earlier is not */
	NO_TREND,		/* no sales in the weeks a year earlier */
	FEW_CONTROLS,		/* fewer control accounts than wanted */
	NO_CONTROL_SALES,	/* none of theirs in the baseline weeks */
	OUT_OF_RANGE		/* a sum or a product overflowed */
};

/* What one evaluation stands on: the weeks chosen and their sums. */
struct facts {
	int		*picked;	/* pre blocks used, most recent first */
	int		 weeks;
	int		 skipped;	/* promoted blocks stepped over */
	struct text	 skipped_ids;	/* "P3, P5": who promoted them */
	const char	*short_reason;	/* why fewer than N weeks */
	ka_date		 reason_date;	/* the date it names, or NONE */
	int		 post_used;
	uint32_t	 post_intruder;	/* what stopped the dip weeks, or
					   NONE: the end of the data */
	struct sums	 window, pre, post;
	struct sums	 ago_window, ago_pre, ago_post;
	struct sums	 control_window, control_pre, control_post;
	const struct bucket *bucket;
	uint32_t	 region;	/* of the control group, or NONE */
	enum no_base	 no_base;
	int		 overflow;
	int		 rows_without_cost;
	int		 qty_ok, margin_ok;	/* those baselines exist */
	ka_dec		 off_invoice;
	int		 has_off_invoice;
};

/*
 * Expected value of measure which (0 qty, 1 revenue, 2 margin) in the
 * window (post 0) or in the weeks after it used (post 1), rounded to 2
 * decimals; 0 when the method cannot give it.
 */
static int
expected(const ka_promo *p, const struct eval *e, const struct facts *f,
    int which, int post, ka_dec *out)
{
	ka_dec base;
	int r = -1;

	switch (p->config.baseline) {
	case KA_PROMO_PRE:
		if (f->weeks == 0)
			return 0;
		r = post ? muldiv_places(measure_of(&f->pre, which),
		    f->post_used, f->weeks, 2, out) :
		    muldiv_places(measure_of(&f->pre, which), e->days,
		    7 * f->weeks, 2, out);
		break;
	case KA_PROMO_YOY:
		base = measure_of(&f->ago_pre, which);
		if (f->weeks == 0 || base <= 0)
			return 0;
		r = muldiv_places(measure_of(post ? &f->ago_post :
		    &f->ago_window, which), measure_of(&f->pre, which), base,
		    2, out);
		break;
	case KA_PROMO_CONTROL:
		base = measure_of(&f->control_pre, which);
		if (f->weeks == 0 || base <= 0)
			return 0;
		r = muldiv_places(measure_of(&f->pre, which),
		    measure_of(post ? &f->control_post : &f->control_window,
		    which), base, 2, out);
		break;
	}
	return r == 0;
}

static void
weeks_text(struct text *t, const struct eval *e, const int *picked, int n)
{
	char a[KA_DATE_BUFSIZE], b[KA_DATE_BUFSIZE];

	text_add(t, "%d week%s %s..%s", n, n == 1 ? "" : "s",
	    date_text(e->start - 7 * (picked[n - 1] + 1), a),
	    date_text(e->start - 7 * picked[0] - 1, b));
}

static void
id_list(ka_promo *p, struct text *t, const uint32_t *ids, size_t n,
    const char *separator)
{
	size_t i;

	for (i = 0; i < n; i++)
		text_add(t, "%s%s", i ? separator : "", p->promos[ids[i]].id);
}

static void
fill_identity(ka_promo *p, const struct eval *e, struct ka_promo_row *r)
{
	const struct account *a = &p->accounts[e->account];

	r->customer_id = ka_keys_text(p->account_keys, e->account);
	r->customer = a->name != NULL ? a->name : "";
	r->tier = a->tier != NONE ? ka_keys_text(p->tier_keys, a->tier) : "";
	r->account = e->account;
	r->scope = p->scopes[e->scope].text;
	r->has_qty = p->has_qty;
}

/*
 * The rows of the members of a combined evaluation: reported, with no
 * figures of their own.  combined_id NULL: a member was rejected, so
 * the group is not measured at all.
 */
static void
member_rows(ka_promo *p, const struct eval *e, const char *combined_id)
{
	size_t m, k;

	for (m = 0; m < e->nmembers; m++) {
		const struct promo *q = &p->promos[e->members[m]];
		struct ka_promo_row *r;
		struct text t = { NULL, 0, 0 };

		if (q->rejected)
			continue;
		r = new_row(p);
		fill_identity(p, e, r);
		r->promo_id = q->id;
		r->mechanic = q->mechanic;
		r->start = q->start;
		r->end = q->end;
		r->days = (int)(q->end - q->start + 1);
		r->member = 1;
		r->has_discount = q->has_discount;
		r->discount_pct = q->discount;
		r->has_cost = q->has_cost;
		r->cost = e->member_cost[m];
		r->flags = KA_PROMO_OVERLAP;
		for (k = 0; k < e->nmembers; k++)
			if (k != m)
				text_add(&t, "%s%s", t.length ? ";" : "",
				    p->promos[e->members[k]].id);
		r->overlaps = text_take(p, &t);
		if (combined_id != NULL)
			r->baseline_method = format_owned(p, "measured "
			    "together as %s", combined_id);
		else {
			text_add(&t, "not measured: overlaps");
			for (k = 0; k < e->nmembers; k++)
				if (p->promos[e->members[k]].rejected)
					text_add(&t, " %s",
					    p->promos[e->members[k]].id);
			text_add(&t, ", rejected");
			r->baseline_method = text_take(p, &t);
		}
		r->margin_method = r->dip_method = r->roi_method = "";
	}
}

/* promo_id, mechanic, discount, cost and overlaps of the measured row. */
static void
describe_promotions(ka_promo *p, const struct eval *e,
    const struct plist *list, const char *combined_id,
    struct ka_promo_row *r)
{
	struct text t = { NULL, 0, 0 };
	size_t m, j, i;

	r->start = e->start;
	r->end = e->end;
	r->days = e->days;
	if (e->nmembers == 1) {
		r->promo_id = p->promos[e->members[0]].id;
		r->mechanic = p->promos[e->members[0]].mechanic;
	} else {
		r->promo_id = combined_id;
		for (m = 0; m < e->nmembers; m++) {
			const char *mech = p->promos[e->members[m]].mechanic;

			for (j = 0; j < m; j++)
				if (strcmp(p->promos[e->members[j]].mechanic,
				    mech) == 0)
					break;
			if (j == m && mech[0] != '\0')
				text_add(&t, "%s%s", t.length ? "+" : "", mech);
		}
		r->mechanic = text_take(p, &t);
		r->flags |= KA_PROMO_OVERLAP;
		id_list(p, &t, e->members, e->nmembers, ";");
	}
	/* A discount only when the members agree on it. */
	r->has_discount = p->promos[e->members[0]].has_discount;
	r->discount_pct = p->promos[e->members[0]].discount;
	for (m = 0; m < e->nmembers; m++) {
		const struct promo *q = &p->promos[e->members[m]];

		if (!q->has_discount || q->discount != r->discount_pct)
			r->has_discount = 0;
		if (q->has_cost) {
			r->has_cost = 1;
			r->cost += e->member_cost[m];
		}
	}
	/* Nested scopes running at the same time. */
	for (i = 0; i < list->n; i++) {
		const struct promo *q = &p->promos[list->v[i]];

		if (q->rejected || is_member(e, list->v[i]) ||
		    q->scope == e->scope ||
		    !days_meet(q->start, q->end, e->start, e->end) ||
		    scope_relation(p, q->scope, e->scope, 1) != 1)
			continue;
		r->flags |= KA_PROMO_NESTED_OVERLAP;
		text_add(&t, "%s%s", t.length ? ";" : "", q->id);
	}
	r->overlaps = text_take(p, &t);
}

/*
 * The baseline weeks: back from the window, inside the account's data,
 * skipping those another promotion sharing sales ran in (for yoy, in
 * either year), up to N of them.
 */
static void
choose_blocks(ka_promo *p, const struct eval *e, const struct plist *list,
    struct facts *f)
{
	const struct account *a = &p->accounts[e->account];
	ka_date lo = KA_DATE_NONE;
	int k, yoy = p->config.baseline == KA_PROMO_YOY;
	uint32_t named[8];
	int nnamed = 0, i;

	if (a->first != KA_DATE_NONE && p->data_first != KA_DATE_NONE)
		lo = a->first > p->data_first ? a->first : p->data_first;
	f->reason_date = KA_DATE_NONE;
	if (lo == KA_DATE_NONE) {
		f->short_reason = "no sales for this account";
		return;
	}
	for (k = 0; k < e->pre && f->weeks < p->config.weeks; k++) {
		ka_date first = e->start - 7 * (k + 1), last = first + 6;
		uint32_t q;

		/* Going back only gets earlier: stop at the data's start. */
		if (first < lo || (yoy && first - YEAR_DAYS < lo)) {
			f->reason_date = lo;
			f->short_reason = lo == p->data_first ?
			    "the data begin" : "the account's first sale is";
			return;
		}
		q = intruder(p, e, list, first, last, 1);
		if (q == NONE && yoy)
			q = intruder(p, e, list, first - YEAR_DAYS,
			    last - YEAR_DAYS, 1);
		if (q != NONE) {
			f->skipped++;
			for (i = 0; i < nnamed && named[i] != q; i++)
				;
			if (i == nnamed && nnamed < 8) {
				named[nnamed++] = q;
				text_add(&f->skipped_ids, "%s%s",
				    f->skipped_ids.length ? ", " : "",
				    p->promos[q].id);
			}
			continue;
		}
		f->picked[f->weeks++] = k;
	}
	if (f->weeks < p->config.weeks)
		f->short_reason = "none more within reach";
}

/* The weeks after the window: until the data end or a promotion. */
static void
choose_post(ka_promo *p, const struct eval *e, const struct plist *list,
    struct facts *f, struct ka_promo_row *r)
{
	int k;

	f->post_intruder = NONE;
	for (k = 0; k < e->post; k++) {
		ka_date first = e->end + 1 + 7 * k, last = first + 6;

		if (last > p->data_last)
			break;
		if ((f->post_intruder = intruder(p, e, list, first, last,
		    1)) != NONE)
			break;
		if (p->config.baseline == KA_PROMO_YOY &&
		    intruder(p, e, list, first - YEAR_DAYS, last - YEAR_DAYS,
		    1) != NONE)
			r->flags |= KA_PROMO_YOY_PROMOTED;
	}
	f->post_used = k;
	r->post_weeks = k;
}

/* The sums of the chosen weeks, the window and the weeks after. */
static void
gather(ka_promo *p, const struct eval *e, const struct plist *list,
    struct facts *f, struct ka_promo_row *r)
{
	const struct account *a = &p->accounts[e->account];
	int post = e->pre + e->days;
	size_t i;

	choose_blocks(p, e, list, f);
	choose_post(p, e, list, f, r);
	sum_slots(e->now, e->pre, e->days, &f->window, &f->overflow);
	sum_picked(e->now, f->picked, f->weeks, &f->pre, &f->overflow);
	sum_slots(e->now, post, f->post_used, &f->post, &f->overflow);
	if (e->ago != NULL) {
		sum_slots(e->ago, e->pre, e->days, &f->ago_window,
		    &f->overflow);
		sum_picked(e->ago, f->picked, f->weeks, &f->ago_pre,
		    &f->overflow);
		sum_slots(e->ago, post, f->post_used, &f->ago_post,
		    &f->overflow);
		if (intruder(p, e, list, e->start - YEAR_DAYS,
		    e->end - YEAR_DAYS, 1) != NONE)
			r->flags |= KA_PROMO_YOY_PROMOTED;
	}
	if (p->config.baseline == KA_PROMO_CONTROL) {
		f->region = NONE;
		if (p->has_region_column)
			f->region = a->region;
		else if (p->column[KA_ROLE_REGION] >= 0)
			f->region = a->row_region;
		for (i = 0; i < e->nbuckets; i++)
			if (e->buckets[i].region == f->region)
				f->bucket = &e->buckets[i];
		if (f->bucket != NULL) {
			sum_slots(f->bucket->sums, e->pre, e->days,
			    &f->control_window, &f->overflow);
			sum_picked(f->bucket->sums, f->picked, f->weeks,
			    &f->control_pre, &f->overflow);
			sum_slots(f->bucket->sums, post, f->post_used,
			    &f->control_post, &f->overflow);
		}
	}
	f->rows_without_cost = (int)(f->window.nocost + f->pre.nocost +
	    f->post.nocost + f->ago_window.nocost + f->ago_pre.nocost +
	    f->ago_post.nocost + f->control_window.nocost +
	    f->control_pre.nocost + f->control_post.nocost);
}

static enum no_base
can_measure(const ka_promo *p, const struct eval *e, const struct facts *f)
{
	const struct account *a = &p->accounts[e->account];
	ka_date lo;

	if (f->overflow)
		return OUT_OF_RANGE;
	if (f->weeks == 0)
		return NO_WEEKS;
	lo = a->first > p->data_first ? a->first : p->data_first;
	if (p->config.baseline == KA_PROMO_YOY) {
		if (e->start - YEAR_DAYS < lo)
			return NO_YOY_WINDOW;
		if (f->ago_pre.revenue <= 0)
			return NO_TREND;
	}
	if (p->config.baseline == KA_PROMO_CONTROL) {
		if (f->bucket == NULL || f->bucket->accounts <
		    (size_t)p->config.min_control)
			return FEW_CONTROLS;
		if (f->control_pre.revenue <= 0)
			return NO_CONTROL_SALES;
	}
	return BASE_OK;
}

/* The off-invoice discount: each member's depth of its own days. */
static ka_dec
off_invoice(ka_promo *p, const struct eval *e, struct facts *f)
{
	ka_dec off = 0, x;
	size_t m;

	for (m = 0; m < e->nmembers; m++) {
		const struct promo *q = &p->promos[e->members[m]];
		struct sums s;

		if (!q->has_discount)
			continue;
		sum_slots(e->now, e->pre + (int)(q->start - e->start),
		    (int)(q->end - q->start + 1), &s, &f->overflow);
		if (muldiv_places(s.revenue, q->discount, 100 * KA_DEC_SCALE,
		    2, &x) < 0 || __builtin_add_overflow(off, x, &off))
			f->overflow = 1;
		f->has_off_invoice = 1;
	}
	return off;
}

/* Lifts, margin, dip, net, ROI and their flags. */
static void
figures(ka_promo *p, const struct eval *e, struct facts *f,
    struct ka_promo_row *r)
{
	ka_dec rev = 0, qty = 0, margin = 0, post = 0;
	int margin_known = (p->has_cost || p->config.has_margin_pct) &&
	    f->rows_without_cost == 0;

	r->has_actual = 1;
	r->actual_qty = f->window.qty;
	r->actual_revenue = f->window.revenue;
	if (f->no_base == BASE_OK && !expected(p, e, f, 1, 0, &rev))
		f->no_base = OUT_OF_RANGE;
	if (f->no_base != BASE_OK) {
		r->flags |= KA_PROMO_NO_BASELINE;
		return;
	}
	r->measured = 1;
	if (f->post_used < e->post)
		r->flags |= KA_PROMO_SHORT_POST;
	r->baseline_revenue = rev;
	r->lift_revenue = f->window.revenue - rev;
	if (rev > 0 && percent(r->lift_revenue, rev,
	    &r->lift_revenue_pct) == 0)
		r->has_lift_revenue_pct = 1;
	f->qty_ok = p->has_qty && expected(p, e, f, 0, 0, &qty);
	if (f->qty_ok) {
		r->has_baseline_qty = 1;
		r->baseline_qty = qty;
		r->lift_qty = f->window.qty - qty;
		if (qty > 0 && percent(r->lift_qty, qty,
		    &r->lift_qty_pct) == 0)
			r->has_lift_qty_pct = 1;
	}
	f->margin_ok = margin_known && expected(p, e, f, 2, 0, &margin);
	if (f->margin_ok) {
		if (p->config.off_invoice)
			f->off_invoice = off_invoice(p, e, f);
		r->has_margin = 1;
		r->incremental_margin = f->window.margin - f->off_invoice -
		    margin;
	}
	if (f->post_used > 0 && expected(p, e, f, 1, 1, &post)) {
		r->has_dip = 1;
		r->dip_revenue = post - f->post.revenue;
		r->net_revenue = r->lift_revenue - r->dip_revenue;
		if (f->qty_ok && expected(p, e, f, 0, 1, &post)) {
			r->dip_qty = post - f->post.qty;
			r->net_qty = r->lift_qty - r->dip_qty;
		}
		if (f->margin_ok && expected(p, e, f, 2, 1, &post)) {
			r->dip_margin = post - f->post.margin;
			r->net_margin = r->incremental_margin - r->dip_margin;
		}
	}
	if (r->has_margin && r->has_cost && r->cost > 0) {
		if (muldiv_places(r->incremental_margin, KA_DEC_SCALE, r->cost,
		    2, &r->roi) == 0)
			r->has_roi = 1;
		if (r->has_dip && muldiv_places(r->net_margin, KA_DEC_SCALE,
		    r->cost, 2, &r->net_roi) == 0)
			r->has_net_roi = 1;
	}
	if (r->has_roi && r->roi < 0)
		r->flags |= KA_PROMO_NEGATIVE_ROI;
	if (r->has_dip) {
		/* In units where the sales have them. */
		ka_dec dip = f->qty_ok ? r->dip_qty : r->dip_revenue;
		ka_dec lift = f->qty_ok ? r->lift_qty : r->lift_revenue;

		if (dip > 0 && dip > lift)
			r->flags |= KA_PROMO_DIP_EXCEEDS_LIFT;
	}
}

static void
describe_no_baseline(const ka_promo *p, const struct eval *e,
    const struct facts *f, struct text *t)
{
	char d1[KA_DATE_BUFSIZE], d2[KA_DATE_BUFSIZE];
	size_t n = f->bucket == NULL ? 0 : f->bucket->accounts;

	text_add(t, "no baseline: ");
	switch (f->no_base) {
	case NO_WEEKS:
		if (f->reason_date != KA_DATE_NONE)
			text_add(t, "no week before the window %sinside the "
			    "data (%s on %s)", p->config.baseline ==
			    KA_PROMO_YOY ? "that has its week 364 days "
			    "earlier " : "", f->short_reason,
			    date_text(f->reason_date, d1));
		else if (f->skipped > 0)
			text_add(t, "every week within reach was promoted");
		else
			text_add(t, "no sales rows for this account");
		break;
	case NO_YOY_WINDOW:
		text_add(t, "the year-ago window %s..%s is not inside the "
		    "data", date_text(e->start - YEAR_DAYS, d1),
		    date_text(e->end - YEAR_DAYS, d2));
		break;
	case NO_TREND:
		text_add(t, "no sales in the baseline weeks a year earlier, "
		    "so no trend");
		break;
	case FEW_CONTROLS:
		text_add(t, "%zu control account%s (%d needed)", n,
		    n == 1 ? "" : "s", p->config.min_control);
		break;
	case NO_CONTROL_SALES:
		text_add(t, "the control accounts have no sales in the "
		    "baseline weeks");
		break;
	default:
		text_add(t, "a sum is out of range");
		break;
	}
}

static void
describe_baseline(ka_promo *p, const struct eval *e, const struct facts *f,
    struct ka_promo_row *r)
{
	const struct account *a = &p->accounts[e->account];
	char d1[KA_DATE_BUFSIZE], d2[KA_DATE_BUFSIZE];
	char number[KA_DEC_BUFSIZE];
	struct text t = { NULL, 0, 0 };
	int yoy = p->config.baseline == KA_PROMO_YOY;
	ka_dec ratio = 0;

	if (f->no_base != BASE_OK) {
		describe_no_baseline(p, e, f, &t);
		r->baseline_method = text_take(p, &t);
		return;
	}
	text_add(&t, "%s: ", ka_promo_baseline_name(p->config.baseline));
	switch (p->config.baseline) {
	case KA_PROMO_YOY:
		muldiv_places(f->pre.revenue, KA_DEC_SCALE,
		    f->ago_pre.revenue, 4, &ratio);
		ka_dec_format(ratio, 4, number);
		text_add(&t, "%s..%s x trend %s (", date_text(e->start -
		    YEAR_DAYS, d1), date_text(e->end - YEAR_DAYS, d2), number);
		weeks_text(&t, e, f->picked, f->weeks);
		text_add(&t, " against 364 days earlier");
		break;
	case KA_PROMO_CONTROL:
		muldiv_places(f->control_window.revenue, KA_DEC_SCALE,
		    f->control_pre.revenue, 4, &ratio);
		ka_dec_format(ratio, 4, number);
		weeks_text(&t, e, f->picked, f->weeks);
		text_add(&t, " x %s (window / the same weeks in %zu control "
		    "account%s", number, f->bucket->accounts,
		    f->bucket->accounts == 1 ? "" : "s");
		if (a->tier != NONE)
			text_add(&t, " of tier %s", ka_keys_text(p->tier_keys,
			    a->tier));
		if (f->region != NONE)
			text_add(&t, " in region %s", ka_keys_text(
			    p->region_keys, f->region));
		text_add(&t, ", none promoted %s..%s)",
		    date_text(e->span_first, d1), date_text(e->span_last, d2));
		break;
	default:
		text_add(&t, "mean of ");
		weeks_text(&t, e, f->picked, f->weeks);
		text_add(&t, " x %d/7", e->days);
		break;
	}
	if (f->skipped > 0)
		text_add(&t, "%s%d promoted week%s skipped (%s)", yoy ? "; " :
		    ", ", f->skipped, f->skipped == 1 ? "" : "s",
		    f->skipped_ids.s);
	if (f->weeks < p->config.weeks) {
		text_add(&t, "%s%d wanted: ", yoy || f->skipped ? "; " : ", ",
		    p->config.weeks);
		if (f->reason_date != KA_DATE_NONE)
			text_add(&t, "%s on %s", f->short_reason,
			    date_text(f->reason_date, d1));
		else
			text_add(&t, "%s", f->short_reason);
	}
	if (yoy)
		text_add(&t, ")");
	r->baseline_method = text_take(p, &t);
}

static void
describe_margin(ka_promo *p, const struct facts *f, struct ka_promo_row *r)
{
	struct text t = { NULL, 0, 0 };
	char number[KA_DEC_BUFSIZE];

	if (f->margin_ok) {
		ka_dec_format(p->config.margin_pct, -1, number);
		if (!p->has_cost)
			text_add(&t, "%s%% of amount (--margin-pct; no cost "
			    "column)", number);
		else if (p->config.has_margin_pct)
			text_add(&t, "amount - cost, or %s%% of amount where a "
			    "row has no cost", number);
		else
			text_add(&t, "amount - cost");
		if (f->has_off_invoice) {
			ka_dec_format(f->off_invoice, 2, number);
			text_add(&t, "; less the off-invoice discount on the "
			    "window's revenue, %s", number);
		}
	} else if (r->measured) {
		if (!p->has_cost && !p->config.has_margin_pct)
			text_add(&t, "unknown: no cost column (give "
			    "--margin-pct)");
		else
			text_add(&t, "unknown: %d row%s without cost (give "
			    "--margin-pct)", f->rows_without_cost,
			    f->rows_without_cost == 1 ? "" : "s");
	}
	r->margin_method = text_take(p, &t);
}

static void
describe_dip(ka_promo *p, const struct eval *e, const struct facts *f,
    struct ka_promo_row *r)
{
	struct text t = { NULL, 0, 0 };
	char d1[KA_DATE_BUFSIZE], d2[KA_DATE_BUFSIZE];
	ka_date first = e->end + 1;

	if (!r->measured) {
		r->dip_method = "";
		return;
	}
	if (e->post == 0)
		text_add(&t, "not measured (--post-weeks 0)");
	else if (f->post_used > 0)
		text_add(&t, "%d week%s after the window, %s..%s",
		    f->post_used, f->post_used == 1 ? "" : "s",
		    date_text(first, d1),
		    date_text(first + 7 * f->post_used - 1, d2));
	else
		text_add(&t, "no week after the window");
	if (f->post_used < e->post) {
		const struct promo *q = f->post_intruder == NONE ? NULL :
		    &p->promos[f->post_intruder];

		if (q != NULL)
			text_add(&t, " (%d wanted: %s runs %s..%s)", e->post,
			    q->id, date_text(q->start, d1),
			    date_text(q->end, d2));
		else
			text_add(&t, " (%d wanted: the data end on %s)",
			    e->post, date_text(p->data_last, d1));
	}
	r->dip_method = text_take(p, &t);
}

static void
describe_roi(ka_promo *p, const struct eval *e, struct ka_promo_row *r)
{
	struct text t = { NULL, 0, 0 };
	char number[KA_DEC_BUFSIZE];
	size_t m;

	if (!r->measured) {
		r->roi_method = "";
		return;
	}
	if (!r->has_cost)
		text_add(&t, "no cost given");
	else if (r->cost == 0)
		text_add(&t, "cost is 0");
	else if (!r->has_margin)
		text_add(&t, "no incremental margin");
	else
		text_add(&t, "incremental margin / cost");
	for (m = 0; m < e->nmembers && r->has_cost; m++) {
		const struct promo *q = &p->promos[e->members[m]];

		if (!q->has_cost || q->target == TARGET_ACCOUNT)
			continue;
		ka_dec_format(q->cost, 2, number);
		text_add(&t, "; %s's cost %s split equally over its accounts",
		    q->id, number);
	}
	r->roi_method = text_take(p, &t);
}

/* One evaluation into its row (and its members' rows). */
static void
compute_eval(ka_promo *p, struct eval *e, const struct plist *list)
{
	struct ka_promo_row *r;
	struct facts f;
	struct text ids = { NULL, 0, 0 };
	const char *combined_id = NULL;

	if (e->rejected) {
		member_rows(p, e, NULL);
		return;
	}
	if (e->nmembers > 1) {
		id_list(p, &ids, e->members, e->nmembers, "+");
		combined_id = text_take(p, &ids);
		member_rows(p, e, combined_id);
	}
	r = new_row(p);
	fill_identity(p, e, r);
	describe_promotions(p, e, list, combined_id, r);
	memset(&f, 0, sizeof(f));
	f.picked = ka_calloc((size_t)p->config.weeks, sizeof(*f.picked));
	gather(p, e, list, &f, r);
	r->baseline_weeks = f.weeks;
	if (f.weeks < p->config.weeks)
		r->flags |= KA_PROMO_TOO_SHORT_BASELINE;
	f.no_base = can_measure(p, e, &f);
	figures(p, e, &f, r);
	describe_baseline(p, e, &f, r);
	describe_margin(p, &f, r);
	describe_dip(p, e, &f, r);
	describe_roi(p, e, r);
	free(f.skipped_ids.s);
	free(f.picked);
}

static int
row_order(const struct ka_promo_row *a, const struct ka_promo_row *b)
{
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if ((c = text_compare(a->promo_id, b->promo_id)) != 0)
		return c;
	return text_compare(a->customer_id, b->customer_id);
}

static int
row_compare(const void *x, const void *y)
{
	return row_order(x, y);
}

int
ka_promo_finish(ka_promo *p, char *error, size_t size)
{
	struct plist list = { NULL, 0, 0 };
	size_t i;
	int status;

	if ((status = check_promos(p, error, size)) != 0)
		return status;
	split_costs(p);
	for (i = 0; i < p->nevals; i++) {
		promos_of(p, p->evals[i].account, &list);
		compute_eval(p, &p->evals[i], &list);
	}
	free(list.v);
	/* qsort wants a real array even for no rows. */
	if (p->nrows > 1)
		qsort(p->rows, p->nrows, sizeof(*p->rows), row_compare);
	return 0;
}

const struct ka_promo_row *
ka_promo_rows(const ka_promo *p, size_t *count)
{
	*count = p->nrows;
	return p->rows;
}

/* ---- writing ---- */

static void
put_dec(ka_writer *w, int has, ka_dec value, int places)
{
	if (has)
		ka_writer_decimal(w, value, places);
	else
		ka_writer_number(w, "", 0);
}

static void
put_date(ka_writer *w, ka_date d)
{
	char buf[KA_DATE_BUFSIZE];

	ka_writer_text(w, buf, ka_date_format(d, buf));
}

/*
 * Quantities as exact as they are; money with 2 decimals when that is
 * exact, else every decimal it has (a split cost, amounts with cents
 * fractions); percents and ratios, rounded when computed, with 2.
 */
#define QTY	(-1)

static void
put_money(ka_writer *w, int has, ka_dec value)
{
	put_dec(w, has, value, value % (KA_DEC_SCALE / 100) == 0 ? 2 : -1);
}

void
ka_promo_write_evaluate(const ka_promo *p, ka_writer *w)
{
	static const char *const names[] = { "promo_id", "customer_id",
		"customer", "scope", "mechanic", "start", "end", "days",
		"baseline", "baseline_weeks", "actual_qty", "baseline_qty",
		"lift_qty", "lift_qty_pct", "actual_revenue",
		"baseline_revenue", "lift_revenue", "lift_revenue_pct",
		"incremental_margin", "post_weeks", "dip_qty", "dip_revenue",
		"dip_margin", "net_qty", "net_revenue", "net_margin",
		"discount_pct", "cost", "roi", "net_roi", "flags", "overlaps",
		"baseline_method", "margin_method", "dip_method",
		"roi_method" };
	char flags[256];
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < p->nrows; i++) {
		const struct ka_promo_row *r = &p->rows[i];
		int qty_base = r->has_baseline_qty;

		ka_writer_string(w, r->promo_id);
		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		ka_writer_string(w, r->scope);
		ka_writer_string(w, r->mechanic);
		put_date(w, r->start);
		put_date(w, r->end);
		ka_writer_integer(w, r->days);
		ka_writer_string(w, ka_promo_baseline_name(
		    p->config.baseline));
		if (r->member)
			ka_writer_number(w, "", 0);
		else
			ka_writer_integer(w, r->baseline_weeks);
		put_dec(w, r->has_actual && r->has_qty, r->actual_qty, QTY);
		put_dec(w, qty_base, r->baseline_qty, QTY);
		put_dec(w, qty_base, r->lift_qty, QTY);
		put_dec(w, r->has_lift_qty_pct, r->lift_qty_pct, 2);
		put_money(w, r->has_actual, r->actual_revenue);
		put_money(w, r->measured, r->baseline_revenue);
		put_money(w, r->measured, r->lift_revenue);
		put_dec(w, r->has_lift_revenue_pct, r->lift_revenue_pct, 2);
		put_money(w, r->has_margin, r->incremental_margin);
		if (r->measured)
			ka_writer_integer(w, r->post_weeks);
		else
			ka_writer_number(w, "", 0);
		put_dec(w, r->has_dip && qty_base, r->dip_qty, QTY);
		put_money(w, r->has_dip, r->dip_revenue);
		put_money(w, r->has_dip && r->has_margin, r->dip_margin);
		put_dec(w, r->has_dip && qty_base, r->net_qty, QTY);
		put_money(w, r->has_dip, r->net_revenue);
		put_money(w, r->has_dip && r->has_margin, r->net_margin);
		put_dec(w, r->has_discount, r->discount_pct, QTY);
		put_money(w, r->has_cost, r->cost);
		put_dec(w, r->has_roi, r->roi, 2);
		put_dec(w, r->has_net_roi, r->net_roi, 2);
		ka_writer_string(w, ka_promo_flags_text(r->flags, flags,
		    sizeof(flags)));
		ka_writer_string(w, r->overlaps != NULL ? r->overlaps : "");
		ka_writer_string(w, r->baseline_method);
		ka_writer_string(w, r->margin_method);
		ka_writer_string(w, r->dip_method);
		ka_writer_string(w, r->roi_method);
		ka_writer_end_row(w);
	}
}

/* ---- history ---- */

int
ka_promo_parse_by(const char *text, unsigned *by, char *error, size_t size)
{
	const char *s = text;

	*by = 0;
	while (*s != '\0') {
		const char *end = strchr(s, ',');
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);
		const char *word = s;

		ka_text_trim(&word, &n);
		if (n == 8 && memcmp(word, "customer", 8) == 0)
			*by |= KA_PROMO_BY_CUSTOMER;
		else if (n == 8 && memcmp(word, "mechanic", 8) == 0)
			*by |= KA_PROMO_BY_MECHANIC;
		else if (n == 5 && memcmp(word, "scope", 5) == 0)
			*by |= KA_PROMO_BY_SCOPE;
		else if (n == 4 && memcmp(word, "tier", 4) == 0)
			*by |= KA_PROMO_BY_TIER;
		else {
			snprintf(error, size, "bad --by \"%s\": expected a "
			    "list of customer, mechanic, scope, tier", text);
			return -1;
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
	if (*by == 0) {
		snprintf(error, size, "bad --by \"%s\": expected a list of "
		    "customer, mechanic, scope, tier", text);
		return -1;
	}
	return 0;
}

static int
group_key_order(unsigned by, const struct ka_promo_row *a,
    const struct ka_promo_row *b)
{
	int c;

	if ((by & KA_PROMO_BY_CUSTOMER) &&
	    (c = text_compare(a->customer_id, b->customer_id)) != 0)
		return c;
	if ((by & KA_PROMO_BY_TIER) && (c = strcmp(a->tier, b->tier)) != 0)
		return c;
	if ((by & KA_PROMO_BY_MECHANIC) &&
	    (c = strcmp(a->mechanic, b->mechanic)) != 0)
		return c;
	if ((by & KA_PROMO_BY_SCOPE) && (c = strcmp(a->scope, b->scope)) != 0)
		return c;
	return 0;
}

static void
sort_row_pointers(unsigned by, const struct ka_promo_row **v, size_t n,
    const struct ka_promo_row **tmp)
{
	size_t half = n / 2, i = 0, j, k = 0;

	if (n < 2)
		return;
	sort_row_pointers(by, v, half, tmp);
	sort_row_pointers(by, v + half, n - half, tmp);
	j = half;
	while (i < half && j < n)
		tmp[k++] = group_key_order(by, v[j], v[i]) < 0 ? v[j++] :
		    v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* The account's three best ISO weeks of the year by mean revenue. */
static void
peak_weeks(const ka_promo *p, const struct account *a, char *out,
    size_t size)
{
	ka_dec sum[54];
	long count[54], w, first, last;
	int pick[3], npick = 0, k, week, year, used = 0, n;

	out[0] = '\0';
	if (a->nweeks == 0 || a->first == KA_DATE_NONE ||
	    p->data_last == KA_DATE_NONE)
		return;
	memset(sum, 0, sizeof(sum));
	memset(count, 0, sizeof(count));
	first = week_of(a->first);
	last = week_of(p->data_last);
	if (MONDAY_ZERO + 7 * last + 6 > p->data_last)
		last--;
	for (w = first; w <= last; w++) {
		ka_date monday = (ka_date)(MONDAY_ZERO + 7 * w);
		ka_dec v = 0;

		ka_date_iso_week(monday, &year, &week);
		if (w >= a->week0 && (size_t)(w - a->week0) < a->nweeks)
			v = a->weeks[w - a->week0];
		sum[week] += v;
		count[week]++;
	}
	for (k = 0; k < 3; k++) {
		int best = -1, j, taken;

		for (week = 1; week <= 53; week++) {
			if (count[week] == 0 || sum[week] <= 0)
				continue;
			for (taken = 0, j = 0; j < npick; j++)
				if (pick[j] == week)
					taken = 1;
			if (taken)
				continue;
			/* mean a > mean b: sum_a x count_b > sum_b x count_a */
			if (best < 0 || (wide)sum[week] * count[best] >
			    (wide)sum[best] * count[week])
				best = week;
		}
		if (best < 0)
			break;
		pick[npick++] = best;
	}
	for (k = 0; k < npick; k++) {
		n = snprintf(out + used, size - (size_t)used, "%s%d",
		    k ? ";" : "", pick[k]);
		if (n < 0 || (size_t)n >= size - (size_t)used)
			break;
		used += n;
	}
}

static int
group_result_order(unsigned by, const struct ka_promo_group *a,
    const struct ka_promo_group *b)
{
	int c;

	if ((by & KA_PROMO_BY_CUSTOMER) &&
	    (c = text_compare(a->customer_id, b->customer_id)) != 0)
		return c;
	if (a->has_roi != b->has_roi)
		return a->has_roi ? -1 : 1;
	if (a->has_roi && a->roi != b->roi)
		return a->roi > b->roi ? -1 : 1;
	if (a->has_mean_lift_revenue_pct != b->has_mean_lift_revenue_pct)
		return a->has_mean_lift_revenue_pct ? -1 : 1;
	if (a->mean_lift_revenue_pct != b->mean_lift_revenue_pct)
		return a->mean_lift_revenue_pct > b->mean_lift_revenue_pct ?
		    -1 : 1;
	if ((c = strcmp(a->tier, b->tier)) != 0)
		return c;
	if ((c = strcmp(a->mechanic, b->mechanic)) != 0)
		return c;
	return strcmp(a->scope, b->scope);
}

struct ka_promo_group *
ka_promo_history(const ka_promo *p, unsigned by, size_t *count)
{
	const struct ka_promo_row **v, **tmp;
	struct ka_promo_group *groups, *g;
	size_t n = 0, i, j, k, ngroups = 0;

	v = ka_calloc(p->nrows, sizeof(*v));
	tmp = ka_calloc(p->nrows, sizeof(*tmp));
	for (i = 0; i < p->nrows; i++)
		if (!p->rows[i].member)
			v[n++] = &p->rows[i];
	sort_row_pointers(by, v, n, tmp);
	groups = ka_calloc(n, sizeof(*groups));
	for (i = 0; i < n; i = j) {
		ka_dec qty_pct = 0, rev_pct = 0, roi_margin = 0, roi_cost = 0;
		ka_dec net_margin = 0, net_cost = 0;
		size_t nqty = 0, nrev = 0, nroi = 0, nnet = 0, nmargin = 0;

		for (j = i + 1; j < n && group_key_order(by, v[i], v[j]) == 0;
		    j++)
			;
		g = &groups[ngroups++];
		g->customer_id = by & KA_PROMO_BY_CUSTOMER ? v[i]->customer_id :
		    "";
		g->customer = by & KA_PROMO_BY_CUSTOMER ? v[i]->customer : "";
		g->tier = by & KA_PROMO_BY_TIER ? v[i]->tier : "";
		g->mechanic = by & KA_PROMO_BY_MECHANIC ? v[i]->mechanic : "";
		g->scope = by & KA_PROMO_BY_SCOPE ? v[i]->scope : "";
		g->has_margin = 1;
		for (k = i; k < j; k++) {
			const struct ka_promo_row *r = v[k];

			g->promotions++;
			if (!r->measured)
				continue;
			g->measured++;
			g->lift_revenue += r->lift_revenue;
			if (r->has_dip) {
				g->has_net = 1;
				g->net_revenue += r->net_revenue;
			}
			if (r->has_lift_qty_pct) {
				qty_pct += r->lift_qty_pct;
				nqty++;
			}
			if (r->has_lift_revenue_pct) {
				rev_pct += r->lift_revenue_pct;
				nrev++;
			}
			if (r->has_margin) {
				nmargin++;
				g->incremental_margin += r->incremental_margin;
				if (r->has_dip) {
					g->has_net_margin = 1;
					g->net_margin += r->net_margin;
				}
			} else
				g->has_margin = 0;
			if (r->has_cost)
				g->cost += r->cost;
			if (r->has_margin && r->has_cost && r->cost > 0) {
				roi_margin += r->incremental_margin;
				roi_cost += r->cost;
				nroi++;
				if (r->has_dip) {
					net_margin += r->net_margin;
					net_cost += r->cost;
					nnet++;
				}
			}
			if (r->has_dip ? (r->has_margin ? r->net_margin > 0 :
			    r->net_revenue > 0) : (r->has_margin ?
			    r->incremental_margin > 0 : r->lift_revenue > 0))
				g->worked++;
		}
		if (nmargin == 0)
			g->has_margin = 0;
		if (!g->has_margin)
			g->has_net_margin = 0;
		if (nqty > 0 && muldiv_places(qty_pct, 1, (ka_dec)nqty, 2,
		    &g->mean_lift_qty_pct) == 0)
			g->has_mean_lift_qty_pct = 1;
		if (nrev > 0 && muldiv_places(rev_pct, 1, (ka_dec)nrev, 2,
		    &g->mean_lift_revenue_pct) == 0)
			g->has_mean_lift_revenue_pct = 1;
		if (nroi > 0 && muldiv_places(roi_margin, KA_DEC_SCALE,
		    roi_cost, 2, &g->roi) == 0)
			g->has_roi = 1;
		if (nnet > 0 && muldiv_places(net_margin, KA_DEC_SCALE,
		    net_cost, 2, &g->net_roi) == 0)
			g->has_net_roi = 1;
		if ((by & KA_PROMO_BY_CUSTOMER) && p->config.history)
			peak_weeks(p, &p->accounts[v[i]->account],
			    g->peak_weeks, sizeof(g->peak_weeks));
	}
	/* Insertion sort: groups are few, and the order must be stable. */
	for (i = 1; i < ngroups; i++) {
		struct ka_promo_group x = groups[i];

		for (j = i; j > 0 && group_result_order(by, &x,
		    &groups[j - 1]) < 0; j--)
			groups[j] = groups[j - 1];
		groups[j] = x;
	}
	free(v);
	free(tmp);
	*count = ngroups;
	return groups;
}

void
ka_promo_write_history(const ka_promo *p, ka_writer *w, unsigned by)
{
	const char *names[32];
	struct ka_promo_group *groups;
	size_t n = 0, count, i;

	if (by & KA_PROMO_BY_CUSTOMER) {
		names[n++] = "customer_id";
		names[n++] = "customer";
	}
	if (by & KA_PROMO_BY_TIER)
		names[n++] = "tier";
	if (by & KA_PROMO_BY_MECHANIC)
		names[n++] = "mechanic";
	if (by & KA_PROMO_BY_SCOPE)
		names[n++] = "scope";
	names[n++] = "promotions";
	names[n++] = "measured";
	names[n++] = "worked";
	names[n++] = "mean_lift_qty_pct";
	names[n++] = "mean_lift_revenue_pct";
	names[n++] = "lift_revenue";
	names[n++] = "net_revenue";
	names[n++] = "incremental_margin";
	names[n++] = "net_margin";
	names[n++] = "cost";
	names[n++] = "roi";
	names[n++] = "net_roi";
	if (by & KA_PROMO_BY_CUSTOMER)
		names[n++] = "peak_weeks";
	ka_writer_header(w, names, n);
	groups = ka_promo_history(p, by, &count);
	for (i = 0; i < count; i++) {
		const struct ka_promo_group *g = &groups[i];
		int measured = g->measured > 0;

		if (by & KA_PROMO_BY_CUSTOMER) {
			ka_writer_string(w, g->customer_id);
			ka_writer_string(w, g->customer);
		}
		if (by & KA_PROMO_BY_TIER)
			ka_writer_string(w, g->tier);
		if (by & KA_PROMO_BY_MECHANIC)
			ka_writer_string(w, g->mechanic);
		if (by & KA_PROMO_BY_SCOPE)
			ka_writer_string(w, g->scope);
		ka_writer_integer(w, (long long)g->promotions);
		ka_writer_integer(w, (long long)g->measured);
		ka_writer_integer(w, (long long)g->worked);
		put_dec(w, g->has_mean_lift_qty_pct, g->mean_lift_qty_pct, 2);
		put_dec(w, g->has_mean_lift_revenue_pct,
		    g->mean_lift_revenue_pct, 2);
		put_money(w, measured, g->lift_revenue);
		put_money(w, g->has_net, g->net_revenue);
		put_money(w, measured && g->has_margin, g->incremental_margin);
		put_money(w, g->has_net_margin, g->net_margin);
		put_money(w, 1, g->cost);
		put_dec(w, g->has_roi, g->roi, 2);
		put_dec(w, g->has_net_roi, g->net_roi, 2);
		if (by & KA_PROMO_BY_CUSTOMER)
			ka_writer_string(w, g->peak_weeks);
		ka_writer_end_row(w);
	}
	free(groups);
}

/* ---- the report's section ---- */

static int
section_order(const void *x, const void *y)
{
	const struct ka_promo_row *a = *(const struct ka_promo_row *const *)x;
	const struct ka_promo_row *b = *(const struct ka_promo_row *const *)y;

	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return row_order(a, b);
}

int
ka_promo_section(const ka_promo *p, const ka_period *period,
    struct ka_promo_section *out)
{
	ka_dec roi_margin = 0, roi_cost = 0, net_margin = 0, net_cost = 0;
	size_t i;
	int nroi = 0, nnet = 0;

	memset(out, 0, sizeof(*out));
	out->period = *period;
	out->rows = calloc(p->nrows == 0 ? 1 : p->nrows, sizeof(*out->rows));
	if (out->rows == NULL)
		return -1;
	out->has_margin = 1;
	for (i = 0; i < p->nrows; i++) {
		const struct ka_promo_row *r = &p->rows[i];

		if (r->member || !ka_period_contains(period, r->end))
			continue;
		out->rows[out->nrows++] = r;
		out->promotions++;
		if (r->has_cost)
			out->cost += r->cost;
		if (r->has_roi && r->roi < 0)
			out->negative_roi++;
		if (r->flags & KA_PROMO_DIP_EXCEEDS_LIFT)
			out->dip_exceeds_lift++;
		if (!r->measured)
			continue;
		out->lift_revenue += r->lift_revenue;
		if (r->has_dip) {
			out->measured++;
			out->net_revenue += r->net_revenue;
			if (r->has_margin)
				out->net_margin += r->net_margin;
			else
				out->has_margin = 0;
		}
		if (r->has_margin && r->has_cost && r->cost > 0) {
			roi_margin += r->incremental_margin;
			roi_cost += r->cost;
			nroi++;
			if (r->has_dip) {
				net_margin += r->net_margin;
				net_cost += r->cost;
				nnet++;
			}
		}
	}
	if (out->measured == 0)
		out->has_margin = 0;
	if (nroi > 0 && muldiv_places(roi_margin, KA_DEC_SCALE, roi_cost, 2,
	    &out->roi) == 0)
		out->has_roi = 1;
	if (nnet > 0 && muldiv_places(net_margin, KA_DEC_SCALE, net_cost, 2,
	    &out->net_roi) == 0)
		out->has_net_roi = 1;
	qsort(out->rows, out->nrows, sizeof(*out->rows), section_order);
	return 0;
}

int
ka_promo_report(const struct ka_promo_config *config,
    const char *promos_path, const char *accounts_path,
    const char *const *sales, size_t nsales,
    const struct ka_reader_options *options,
    const struct ka_roles *roles, const ka_period *period,
    ka_promo **engine, struct ka_promo_section *out, char *error,
    size_t size)
{
	struct ka_promo_config c = *config;
	struct ka_roles r = *roles;
	struct ka_reader_options read = *options;
	enum ka_read_status status;
	enum ka_role missing;
	ka_reader *reader;
	ka_promo *p;
	ka_record rec;
	int got, result;

	*engine = NULL;
	memset(out, 0, sizeof(*out));
	c.has_period = 1;
	c.period = *period;
	c.rejects = NULL;
	read.progress = 0;
	p = ka_promo_new(&c);
	if ((accounts_path != NULL && (result = ka_promo_load_accounts(p,
	    accounts_path, &read, error, size)) != 0) ||
	    (result = ka_promo_load(p, promos_path, &read, error,
	    size)) != 0) {
		ka_promo_free(p);
		return result;
	}
	reader = ka_reader_open(sales, nsales, &read);
	if (reader == NULL) {
		/* The reader has said why. */
		if (size > 0)
			error[0] = '\0';
		ka_promo_free(p);
		return KA_EXIT_DATA;
	}
	if (ka_roles_resolve(&r, ka_reader_header(reader), error, size) < 0) {
		ka_reader_close(reader);
		ka_promo_free(p);
		return KA_EXIT_USAGE;
	}
	if (ka_promo_bind(p, ka_reader_header(reader), &r, &missing) < 0) {
		snprintf(error, size, "the sales have no %s column",
		    ka_role_name(missing));
		ka_reader_close(reader);
		ka_promo_free(p);
		return KA_EXIT_USAGE;
	}
	result = 0;
	/* One large file: in pieces on every core, when it can be. */
	if (nsales == 1 && strcmp(sales[0], "-") != 0 &&
	    ka_promo_add_file(p, sales[0], &read, ka_reader_delimiter(reader),
	    (int)sysconf(_SC_NPROCESSORS_ONLN)))
		got = 0;
	else while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		enum ka_promo_verdict v;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			result = KA_EXIT_DATA;
			break;
		}
		v = ka_promo_add(p, &rec);
		if (v == KA_PROMO_BAD) {
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_promo_error(p));
			result = KA_EXIT_DATA;
			break;
		}
		if (v == KA_PROMO_FATAL) {
			snprintf(error, size, "%s", ka_promo_error(p));
			result = KA_EXIT_DATA;
			break;
		}
	}
	if (got < 0 && result == 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		result = KA_EXIT_DATA;
	}
	ka_reader_close(reader);
	if (result == 0)
		result = ka_promo_finish(p, error, size);
	if (result == 0 && ka_promo_section(p, period, out) < 0) {
		snprintf(error, size, "out of memory");
		result = KA_EXIT_DATA;
	}
	if (result != 0) {
		ka_promo_free(p);
		return result;
	}
	*engine = p;
	return 0;
}
