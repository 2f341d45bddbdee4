#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_alloc.h"
#include "ka_decimal.h"
#include "ka_feedback.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_stats.h"
#include "ka_text.h"

#define ANONYMOUS	UINT32_MAX	/* a response with no account */
#define SEPARATOR	'\x1f'		/* between the parts of a group key */
#define NO_TIER		(-1)
#define AUTO_HIGH	10		/* the widest scale read without --scale */

static const char *const score_aliases[] = { "score", "rating", "nps",
	"nps_score", "csat", "csat_score", "ltr", "likelihood_to_recommend",
	"recommend", "overall", "overall_score", "overall_rating",
	"satisfaction", "评分", "分数", "得分", "打分", "推荐度", "推荐分",
	"满意度", "总体满意度", "总分", NULL };
static const char *const comment_aliases[] = { "comment", "comments",
	"feedback", "verbatim", "remark", "remarks", "note", "notes",
	"free_text", "text", "评论", "意见", "备注", "留言", "反馈", "评价",
	"建议", NULL };

/* The tier weights of --weight tier without --tier-weights. */
static const char *const default_tier_name[] = { "A", "B", "C" };
static const double default_tier_weight[] = { 3, 2, 1 };

struct cell {
	uint32_t	 group;
	uint32_t	 account;
	uint32_t	 count;
	uint32_t	 period;
};

/* The example comments of one group, period and topic: entry[i] came
   from input row sequence[i] (ties between equal dates go to the
   earlier row). */
struct quote_list {
	size_t		 count;
	uint64_t	*sequence;
	struct ka_feedback_quote entry[];
};

/* Sums over units, turned into figures by finish. */
struct accumulator {
	double		 weight, weight2, sum, promoters, detractors,
			 satisfied;
	unsigned long	 n, accounts;
	double		 dim_weight[KA_FEEDBACK_MAX_DIMS];
	double		 dim_sum[KA_FEEDBACK_MAX_DIMS];
};

struct ka_feedback {
	struct ka_feedback_config c;
	int		 period_mode, since_mode;
	size_t		 nperiods;	/* tracked */
	size_t		 k;		/* periods the flags look at */
	ka_period	 period[KA_FEEDBACK_MAX_PERIODS + 2];
	char		 period_text[KA_FEEDBACK_MAX_PERIODS + 2]
			    [KA_PERIOD_BUFSIZE];

	/* Columns (0-based, -1 when absent) and their header names. */
	int		 bound;
	long		 col_date, col_score, col_comment, col_account,
			 col_name;
	long		 col_key[KA_FEEDBACK_MAX_KEYS];
	long		 col_dim[KA_FEEDBACK_MAX_DIMS];
	char		*name_date, *name_score, *name_comment;
	char		*name_key[KA_FEEDBACK_MAX_KEYS];	/* output */
	char		*name_dim[KA_FEEDBACK_MAX_DIMS];	/* input */
	char		*out_dim[KA_FEEDBACK_MAX_DIMS];		/* output */
	char		*name_account_out;	/* "customer_id" or "customer" */
	int		 key_is_customer[KA_FEEDBACK_MAX_KEYS];
	int		 account_is_id;		/* responses keyed by id */

	/* Scale: during reading, scores are checked against low..high and
	   counted in bins indexed by the score itself. */
	enum ka_feedback_scale scale;
	int		 low, high, bins;
	int		 seen_min, seen_max;
	int		 satisfied_from;
	double		 threshold;
	char		 scale_name[16];
	char		 note[256];

	/* Groups and accounts. */
	ka_keys		*groups;
	size_t		 group_capacity;
	char		**group_name;		/* customer name, or NULL */
	ka_keys		*accounts;
	size_t		 account_capacity;
	int		*account_tier;		/* tier id or NO_TIER */
	char		**account_name;		/* from the accounts file */
	int		 accounts_loaded;
	int		 accounts_by_id;
	ka_keys		*tier_names;
	double		*tier_weight;
	unsigned char	*tier_kept;

	/* Cells. */
	struct cell	*cells;
	size_t		 ncells, cells_capacity;
	uint32_t	*hist;
	double		*dim_sum;
	uint32_t	*dim_count;
	uint32_t	*table;			/* cell index + 1, 0 empty */
	size_t		 table_mask;

	/* Comments and topics, per group and period. */
	int		 topics_on;
	size_t		 ntopics, buckets;
	uint32_t	*topic_bucket;	/* gp x topic x bucket */
	unsigned long	*comment_count;	/* gp */
	struct quote_list **quotes;	/* gp x topic, with c.quotes */
	uint64_t	 sequence;

	/* A one-entry cache: consecutive rows often share a group. */
	char		*last_key;
	size_t		 last_key_length, last_key_capacity;
	uint32_t	 last_group;
	int		 has_last;
	char		*key_buffer;
	size_t		 key_capacity;

	/* Results. */
	int		 finished;
	struct ka_feedback_figures *figures;	/* group x period */
	uint32_t	*mentions, *complaints;	/* group x period x topic */
	struct ka_feedback_figures overall[KA_FEEDBACK_MAX_PERIODS + 2];
	uint32_t	*overall_mentions, *overall_complaints;
	struct ka_feedback_row *rows;
	size_t		 nrows;
	char		**group_split;		/* per group: parts, NUL-separated */
	const char	**group_parts;		/* per group x key */

	struct ka_feedback_counts counts;
	char		 error[1200];
	size_t		 error_column;
};

/* ---- small helpers ---- */

/* An output column name from a header name: lower snake_case. */
static char *
snake_name(const char *in, const char *suffix)
{
	size_t n = strlen(in), i, o = 0;
	char *out = ka_malloc(n + strlen(suffix) + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (c == ' ' || c == '-' || c == '.' || c == '/' ||
		    c == '\t')
			c = '_';
		if (c == '_' && (o == 0 || out[o - 1] == '_'))
			continue;
		out[o++] = (char)c;
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	memcpy(out + o, suffix, strlen(suffix) + 1);
	return out;
}

static const char *
format2(double x, char *buf)
{
	ka_stats_format(x, 2, buf, 32);
	return buf;
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- configuration ---- */

void
ka_feedback_config_init(struct ka_feedback_config *c)
{
	memset(c, 0, sizeof(*c));
	c->by[0].kind = KA_FEEDBACK_KEY_ROLE;
	c->by[0].role = KA_ROLE_REP;
	c->nby = 1;
	c->scale = KA_FEEDBACK_SCALE_AUTO;
	c->as_of = ka_date_today();
	c->periods = 3;
	c->rollup = KA_FEEDBACK_BY_RESPONSE;
	c->prior_weight = 5;
	c->min_n = 3;
	c->confidence = 0.95;
}

/* Splits text at commas in place; 0, or -1 for an empty item. */
static int
split_list(char *text, char **items, size_t max, size_t *count,
    const char *option, char *error, size_t size)
{
	char *p = text, *comma;

	*count = 0;
	for (;;) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		while (*p == ' ')
			p++;
		if (*p == '\0') {
			snprintf(error, size, "bad %s: an empty item", option);
			return -1;
		}
		if (*count == max) {
			snprintf(error, size, "bad %s: at most %zu items",
			    option, max);
			return -1;
		}
		items[(*count)++] = p;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

int
ka_feedback_parse_by(struct ka_feedback_config *c, char *text, char *error,
    size_t size)
{
	char *items[KA_FEEDBACK_MAX_KEYS];
	size_t n, i, j;
	int role;

	if (split_list(text, items, KA_FEEDBACK_MAX_KEYS, &n, "--by", error,
	    size) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ka_feedback_key *key = &c->by[i];

		key->column = NULL;
		if (strcmp(items[i], "period") == 0) {
			key->kind = KA_FEEDBACK_KEY_PERIOD;
		} else if (strcmp(items[i], "customer") == 0 ||
		    strcmp(items[i], "customer_id") == 0 ||
		    strcmp(items[i], "account") == 0) {
			key->kind = KA_FEEDBACK_KEY_ROLE;
			key->role = KA_ROLE_CUSTOMER;
		} else if ((role = ka_role_from_name(items[i])) >= 0) {
			if (role == KA_ROLE_DATE || role == KA_ROLE_QTY ||
			    role == KA_ROLE_UNIT_PRICE ||
			    role == KA_ROLE_AMOUNT || role == KA_ROLE_COST ||
			    role == KA_ROLE_RANK) {
				snprintf(error, size, "bad --by \"%s\": a number "
				    "or date column is no group (use period "
				    "for dates)", items[i]);
				return -1;
			}
			key->kind = KA_FEEDBACK_KEY_ROLE;
			key->role = (enum ka_role)role;
		} else {
			key->kind = KA_FEEDBACK_KEY_COLUMN;
			key->column = items[i];
		}
		for (j = 0; j < i; j++)
			if (c->by[j].kind == key->kind &&
			    (key->kind == KA_FEEDBACK_KEY_PERIOD ||
			    (key->kind == KA_FEEDBACK_KEY_ROLE &&
			    c->by[j].role == key->role) ||
			    (key->kind == KA_FEEDBACK_KEY_COLUMN &&
			    strcmp(c->by[j].column, key->column) == 0))) {
				snprintf(error, size, "bad --by: \"%s\" is given "
				    "twice", items[i]);
				return -1;
			}
	}
	c->nby = n;
	return 0;
}

int
ka_feedback_by_period(const struct ka_feedback_config *c)
{
	size_t i;

	for (i = 0; i < c->nby; i++)
		if (c->by[i].kind == KA_FEEDBACK_KEY_PERIOD)
			return 1;
	return 0;
}

static int
small_number(const char *s, const char **end, int *value)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > 1000)
			return -1;
		s++;
	}
	*end = s;
	*value = (int)v;
	return 0;
}

int
ka_feedback_parse_scale(struct ka_feedback_config *c, const char *text,
    char *error, size_t size)
{
	const char *p;
	int low, high;

	if (strcmp(text, "nps") == 0) {
		c->scale = KA_FEEDBACK_SCALE_NPS;
		return 0;
	}
	if (strcmp(text, "csat") == 0) {
		c->scale = KA_FEEDBACK_SCALE_CSAT;
		return 0;
	}
	if (strcmp(text, "auto") == 0) {
		c->scale = KA_FEEDBACK_SCALE_AUTO;
		return 0;
	}
	if (small_number(text, &p, &low) < 0 || *p != '-' ||
	    small_number(p + 1, &p, &high) < 0 || *p != '\0' ||
	    low >= high || high > 100) {
		snprintf(error, size, "bad --scale \"%s\": expected nps, csat "
		    "or LO-HI with whole numbers 0 <= LO < HI <= 100", text);
		return -1;
	}
	c->scale = KA_FEEDBACK_SCALE_RANGE;
	c->low = low;
	c->high = high;
	return 0;
}

int
ka_feedback_parse_rollup(struct ka_feedback_config *c, const char *text,
    char *error, size_t size)
{
	if (strcmp(text, "response") == 0)
		c->rollup = KA_FEEDBACK_BY_RESPONSE;
	else if (strcmp(text, "account") == 0)
		c->rollup = KA_FEEDBACK_BY_ACCOUNT;
	else {
		snprintf(error, size, "bad --roll-up \"%s\": expected response "
		    "or account", text);
		return -1;
	}
	return 0;
}

int
ka_feedback_parse_tier_weights(struct ka_feedback_config *c, char *text,
    char *error, size_t size)
{
	char *items[KA_FEEDBACK_MAX_TIERS], *colon, *end;
	size_t n, i;
	double w;

	if (split_list(text, items, KA_FEEDBACK_MAX_TIERS, &n,
	    "--tier-weights", error, size) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		colon = strrchr(items[i], ':');
		if (colon == NULL || colon == items[i]) {
			snprintf(error, size, "bad --tier-weights item \"%s\": "
			    "expected TIER:WEIGHT", items[i]);
			return -1;
		}
		*colon = '\0';
		w = strtod(colon + 1, &end);
		if (colon[1] == '\0' || *end != '\0' || !(w > 0.0) ||
		    w > 1e6) {
			snprintf(error, size, "bad --tier-weights weight "
			    "\"%s\" for tier %s: expected a number above 0",
			    colon + 1, items[i]);
			return -1;
		}
		c->tier_name[i] = items[i];
		c->tier_weight[i] = w;
	}
	c->ntier_weights = n;
	c->weight_tier = 1;
	return 0;
}

int
ka_feedback_parse_tiers(struct ka_feedback_config *c, char *text,
    char *error, size_t size)
{
	return split_list(text, (char **)c->tiers, KA_FEEDBACK_MAX_TIERS,
	    &c->ntiers, "--tiers", error, size);
}

int
ka_feedback_parse_dims(struct ka_feedback_config *c, char *text,
    char *error, size_t size)
{
	return split_list(text, (char **)c->dims, KA_FEEDBACK_MAX_DIMS,
	    &c->ndims, "--dims", error, size);
}

const char *const *
ka_feedback_score_aliases(void)
{
	return score_aliases;
}

const char *const *
ka_feedback_comment_aliases(void)
{
	return comment_aliases;
}

/* ---- the engine ---- */

static void
set_scale(ka_feedback *fb, enum ka_feedback_scale scale, int low, int high)
{
	fb->scale = scale;
	switch (scale) {
	case KA_FEEDBACK_SCALE_NPS:
		fb->low = 0, fb->high = 10, fb->satisfied_from = 9;
		snprintf(fb->scale_name, sizeof(fb->scale_name), "nps");
		break;
	case KA_FEEDBACK_SCALE_CSAT:
		fb->low = 1, fb->high = 5, fb->satisfied_from = 4;
		snprintf(fb->scale_name, sizeof(fb->scale_name), "csat");
		break;
	case KA_FEEDBACK_SCALE_RANGE:
		fb->low = low, fb->high = high;
		fb->satisfied_from = high - 1 > low ? high - 1 : high;
		snprintf(fb->scale_name, sizeof(fb->scale_name), "%d-%d", low,
		    high);
		break;
	default:
		fb->low = 0, fb->high = AUTO_HIGH, fb->satisfied_from = 0;
		snprintf(fb->scale_name, sizeof(fb->scale_name), "auto");
		break;
	}
	if (scale == KA_FEEDBACK_SCALE_AUTO)
		return;
	if (fb->c.has_threshold)
		fb->threshold = fb->c.threshold;
	else if (scale == KA_FEEDBACK_SCALE_NPS)
		fb->threshold = 7.0;
	else if (scale == KA_FEEDBACK_SCALE_CSAT)
		fb->threshold = 3.5;
	else
		fb->threshold = fb->low + 0.625 * (fb->high - fb->low);
}

ka_feedback *
ka_feedback_new(const struct ka_feedback_config *config)
{
	ka_feedback *fb = ka_calloc(1, sizeof(*fb));
	size_t i;

	fb->c = *config;
	fb->period_mode = ka_feedback_by_period(config);
	fb->since_mode = config->has_since;
	if (fb->c.periods < 1)
		fb->c.periods = 1;
	if (fb->c.periods > KA_FEEDBACK_MAX_PERIODS)
		fb->c.periods = KA_FEEDBACK_MAX_PERIODS;
	if (fb->since_mode) {
		fb->k = 1;
		fb->nperiods = 1;
		fb->period[0].kind = KA_PERIOD_RANGE;
		fb->period[0].first = config->since;
		fb->period[0].last = config->as_of;
	} else {
		fb->k = fb->c.periods;
		/* A previous period for the change, whatever K is. */
		fb->nperiods = fb->period_mode ? fb->k + 1 :
		    (fb->k < 2 ? 2 : fb->k);
		fb->period[0] = config->has_period ? config->period :
		    ka_period_of(KA_PERIOD_QUARTER, config->as_of);
		for (i = 1; i < fb->nperiods; i++)
			fb->period[i] = ka_period_previous(&fb->period[i - 1]);
	}
	for (i = 0; i < fb->nperiods; i++)
		ka_period_format(&fb->period[i], fb->period_text[i],
		    KA_PERIOD_BUFSIZE);
	set_scale(fb, config->scale, config->low, config->high);
	fb->bins = fb->high + 1;
	fb->seen_min = INT32_MAX;
	fb->seen_max = -1;
	fb->groups = ka_keys_new();
	fb->accounts = ka_keys_new();
	fb->tier_names = ka_keys_new();
	fb->col_date = fb->col_score = fb->col_comment = -1;
	fb->col_account = fb->col_name = -1;
	fb->topics_on = config->topics != NULL &&
	    ka_topics_count(config->topics) > 0;
	fb->ntopics = fb->topics_on ? ka_topics_count(config->topics) : 0;
	/* With a known scale a mention needs only "complaint or not". */
	fb->buckets = fb->scale == KA_FEEDBACK_SCALE_AUTO ?
	    (size_t)fb->bins : 2;
	fb->table_mask = 1023;
	fb->table = ka_calloc(fb->table_mask + 1, sizeof(*fb->table));
	return fb;
}

static void
free_quotes(ka_feedback *fb)
{
	size_t i, j, n = fb->group_capacity * fb->nperiods * fb->ntopics;

	if (fb->quotes == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (fb->quotes[i] == NULL)
			continue;
		for (j = 0; j < fb->quotes[i]->count; j++)
			free((char *)fb->quotes[i]->entry[j].comment);
		free(fb->quotes[i]->sequence);
		free(fb->quotes[i]);
	}
	free(fb->quotes);
}

void
ka_feedback_free(ka_feedback *fb)
{
	size_t i;

	if (fb == NULL)
		return;
	free(fb->name_date);
	free(fb->name_score);
	free(fb->name_comment);
	free(fb->name_account_out);
	for (i = 0; i < KA_FEEDBACK_MAX_KEYS; i++)
		free(fb->name_key[i]);
	for (i = 0; i < KA_FEEDBACK_MAX_DIMS; i++) {
		free(fb->name_dim[i]);
		free(fb->out_dim[i]);
	}
	if (fb->group_split != NULL)
		for (i = 0; i < ka_keys_count(fb->groups); i++)
			free(fb->group_split[i]);
	free(fb->group_split);
	for (i = 0; i < fb->group_capacity; i++)
		free(fb->group_name[i]);
	free(fb->group_name);
	for (i = 0; i < fb->account_capacity; i++)
		free(fb->account_name[i]);
	free(fb->account_name);
	free(fb->account_tier);
	free(fb->tier_weight);
	free(fb->tier_kept);
	ka_keys_free(fb->groups);
	ka_keys_free(fb->accounts);
	ka_keys_free(fb->tier_names);
	free(fb->cells);
	free(fb->hist);
	free(fb->dim_sum);
	free(fb->dim_count);
	free(fb->table);
	free(fb->topic_bucket);
	free(fb->comment_count);
	free_quotes(fb);
	free(fb->last_key);
	free(fb->key_buffer);
	free(fb->figures);
	free(fb->mentions);
	free(fb->complaints);
	free(fb->overall_mentions);
	free(fb->overall_complaints);
	free(fb->rows);
	free(fb->group_parts);
	free(fb);
}

/* Room for account id a in the per-account arrays. */
static void
grow_accounts(ka_feedback *fb, size_t a)
{
	size_t old = fb->account_capacity, i;

	if (a < old)
		return;
	fb->account_capacity = a * 2 + 64;
	fb->account_tier = ka_realloc(fb->account_tier,
	    fb->account_capacity * sizeof(*fb->account_tier));
	fb->account_name = ka_realloc(fb->account_name,
	    fb->account_capacity * sizeof(*fb->account_name));
	for (i = old; i < fb->account_capacity; i++) {
		fb->account_tier[i] = NO_TIER;
		fb->account_name[i] = NULL;
	}
}

int
ka_feedback_load_accounts(ka_feedback *fb, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct ka_reader_options read;
	struct ka_roles roles;
	const ka_record *header;
	const char *files[1] = { path };
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	long key, tier, name;
	int got;

	memset(&read, 0, sizeof(read));
	if (options != NULL)
		read.encoding = options->encoding;
	read.delimiter = ka_delimiter_from_name(path);
	if ((reader = ka_reader_open(files, 1, &read)) == NULL) {
		snprintf(error, size, "%s: cannot be read", path);
		return -1;
	}
	header = ka_reader_header(reader);
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, header, error, size) < 0) {
		ka_reader_close(reader);
		return -1;
	}
	key = roles.column[KA_ROLE_CUSTOMER_ID];
	fb->accounts_by_id = key >= 0;
	if (key < 0)
		key = roles.column[KA_ROLE_CUSTOMER];
	tier = roles.column[KA_ROLE_TIER];
	name = roles.column[KA_ROLE_CUSTOMER];
	if (name == key)
		name = -1;
	if (key < 0 || tier < 0) {
		snprintf(error, size, "%s: an accounts file needs customer_id "
		    "(or customer) and tier columns, as ka-rank writes them",
		    path);
		ka_reader_close(reader);
		return -1;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		const char *k, *t;
		size_t kl, tl;
		uint32_t a;
		int added;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			ka_reader_close(reader);
			return -1;
		}
		if ((size_t)key >= rec.nfields || (size_t)tier >= rec.nfields)
			continue;
		k = ka_field(&rec, (size_t)key);
		kl = ka_field_length(&rec, (size_t)key);
		t = ka_field(&rec, (size_t)tier);
		tl = ka_field_length(&rec, (size_t)tier);
		ka_text_trim(&k, &kl);
		ka_text_trim(&t, &tl);
		if (kl == 0)
			continue;
		a = ka_keys_intern(fb->accounts, k, kl, &added);
		grow_accounts(fb, a);
		/* The first row of an account holds; ka-rank writes one. */
		if (!added)
			continue;
		if (tl > 0)
			fb->account_tier[a] = (int)ka_keys_intern(fb->tier_names,
			    t, tl, NULL);
		if (name >= 0 && (size_t)name < rec.nfields) {
			const char *n = ka_field(&rec, (size_t)name);
			size_t nl = ka_field_length(&rec, (size_t)name);

			ka_text_trim(&n, &nl);
			if (nl > 0)
				fb->account_name[a] = ka_strndup(n, nl);
		}
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		ka_reader_close(reader);
		return -1;
	}
	ka_reader_close(reader);
	fb->accounts_loaded = 1;
	return 0;
}

/* Weights and kept flags of the tiers known so far. */
static void
settle_tiers(ka_feedback *fb)
{
	size_t n = ka_keys_count(fb->tier_names), i, j;

	free(fb->tier_weight);
	free(fb->tier_kept);
	fb->tier_weight = ka_calloc(n, sizeof(*fb->tier_weight));
	fb->tier_kept = ka_calloc(n, sizeof(*fb->tier_kept));
	for (i = 0; i < n; i++) {
		const char *name = ka_keys_text(fb->tier_names, (uint32_t)i);

		fb->tier_weight[i] = 1.0;
		if (fb->c.ntier_weights > 0) {
			for (j = 0; j < fb->c.ntier_weights; j++)
				if (strcmp(name, fb->c.tier_name[j]) == 0)
					fb->tier_weight[i] =
					    fb->c.tier_weight[j];
		} else {
			for (j = 0; j < 3; j++)
				if (strcmp(name, default_tier_name[j]) == 0)
					fb->tier_weight[i] =
					    default_tier_weight[j];
		}
		fb->tier_kept[i] = fb->c.ntiers == 0;
		for (j = 0; j < fb->c.ntiers; j++)
			if (strcmp(name, fb->c.tiers[j]) == 0)
				fb->tier_kept[i] = 1;
	}
}

static long
alias_column(const ka_record *header, const char *const *aliases)
{
	char normal_alias[128], normal_name[256];
	long best = -1;
	int best_rank = 1 << 30, i;
	size_t c;

	for (c = 0; c < header->nfields; c++) {
		ka_roles_normalise(ka_field(header, c),
		    ka_field_length(header, c), normal_name,
		    sizeof(normal_name));
		if (normal_name[0] == '\0')
			continue;
		for (i = 0; aliases[i] != NULL && i < best_rank; i++) {
			ka_roles_normalise(aliases[i], strlen(aliases[i]),
			    normal_alias, sizeof(normal_alias));
			if (strcmp(normal_alias, normal_name) == 0) {
				best_rank = i;
				best = (long)c;
				break;
			}
		}
	}
	return best;
}

static void
list_header(const ka_record *header, const char *const *aliases, char *buf,
    size_t size)
{
	size_t used = 0, i;
	int n;

	buf[0] = '\0';
	n = snprintf(buf, size, "the header has: ");
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < header->nfields && used < size; i++) {
		n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		    ka_field(header, i));
		used += n > 0 ? (size_t)n : 0;
	}
	if (used < size) {
		n = snprintf(buf + used, size - used, "; tried: ");
		used += n > 0 ? (size_t)n : 0;
	}
	for (i = 0; aliases[i] != NULL && used < size; i++) {
		n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		    aliases[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

static long
named_column(const struct ka_roles *roles, const ka_record *header,
    const char *name)
{
	return ka_column_of(roles, header, name);
}

int
ka_feedback_bind(ka_feedback *fb, const ka_record *header,
    const struct ka_roles *roles, int *missing, char *error, size_t size)
{
	char list[1500];
	size_t i;
	long c;
	int needs_account;

	*missing = -1;
	if ((fb->col_date = roles->column[KA_ROLE_DATE]) < 0) {
		*missing = KA_ROLE_DATE;
		return -1;
	}
	fb->name_date = ka_strdup(ka_field(header, (size_t)fb->col_date));

	if (fb->c.score_column != NULL) {
		if ((c = named_column(roles, header, fb->c.score_column)) < 0) {
			snprintf(error, size, "--col score=%s: no such column "
			    "(the header has %zu)", fb->c.score_column,
			    header->nfields);
			return -1;
		}
	} else if ((c = alias_column(header, score_aliases)) < 0) {
		list_header(header, score_aliases, list, sizeof(list));
		snprintf(error, size, "%s: no score column; %s; name one with "
		    "--col score=NAME", header->file ? header->file : "input",
		    list);
		return -1;
	}
	fb->col_score = c;
	fb->name_score = ka_strdup(ka_field(header, (size_t)c));

	if (fb->c.comment_column != NULL) {
		if ((c = named_column(roles, header, fb->c.comment_column)) <
		    0) {
			snprintf(error, size, "--col comment=%s: no such column "
			    "(the header has %zu)", fb->c.comment_column,
			    header->nfields);
			return -1;
		}
	} else
		c = alias_column(header, comment_aliases);
	fb->col_comment = c;
	if (c >= 0)
		fb->name_comment = ka_strdup(ka_field(header, (size_t)c));
	else {
		fb->topics_on = 0;
		fb->ntopics = 0;
		if (fb->c.quotes > 0) {
			list_header(header, comment_aliases, list,
			    sizeof(list));
			snprintf(error, size, "%s: --quotes needs a comment "
			    "column; %s; name one with --col comment=NAME",
			    header->file ? header->file : "input", list);
			return -1;
		}
	}

	fb->col_account = roles->column[KA_ROLE_CUSTOMER_ID];
	fb->account_is_id = fb->col_account >= 0;
	if (fb->col_account < 0)
		fb->col_account = roles->column[KA_ROLE_CUSTOMER];
	needs_account = fb->c.rollup == KA_FEEDBACK_BY_ACCOUNT ||
	    fb->c.weight_tier || fb->c.ntiers > 0 || fb->accounts_loaded;
	if (fb->col_account < 0 && needs_account) {
		*missing = KA_ROLE_CUSTOMER_ID;
		return -1;
	}
	if (fb->accounts_loaded && fb->accounts_by_id && !fb->account_is_id) {
		snprintf(error, size, "the accounts file is keyed by "
		    "customer_id, and the responses have no customer_id "
		    "column");
		return -1;
	}
	if (fb->col_account >= 0)
		fb->name_account_out = ka_strdup(fb->account_is_id ?
		    "customer_id" : "customer");

	for (i = 0; i < fb->c.nby; i++) {
		const struct ka_feedback_key *key = &fb->c.by[i];
		enum ka_role role;

		fb->col_key[i] = -1;
		if (key->kind == KA_FEEDBACK_KEY_PERIOD) {
			fb->name_key[i] = ka_strdup("period");
			continue;
		}
		if (key->kind == KA_FEEDBACK_KEY_COLUMN) {
			if ((c = named_column(roles, header, key->column)) <
			    0) {
				snprintf(error, size, "--by %s: no such column "
				    "in the header", key->column);
				return -1;
			}
			fb->col_key[i] = c;
			fb->name_key[i] = snake_name(ka_field(header,
			    (size_t)c), "");
			continue;
		}
		role = key->role;
		if (role == KA_ROLE_CUSTOMER) {
			if (fb->col_account < 0) {
				*missing = KA_ROLE_CUSTOMER_ID;
				return -1;
			}
			fb->key_is_customer[i] = 1;
			fb->col_key[i] = fb->col_account;
			fb->name_key[i] = ka_strdup(fb->name_account_out);
			if (fb->account_is_id &&
			    roles->column[KA_ROLE_CUSTOMER] >= 0)
				fb->col_name = roles->column[KA_ROLE_CUSTOMER];
			continue;
		}
		if (role == KA_ROLE_PRODUCT &&
		    roles->column[KA_ROLE_PRODUCT] < 0 &&
		    roles->column[KA_ROLE_SKU] >= 0)
			role = KA_ROLE_SKU;
		if (roles->column[role] < 0) {
			*missing = (int)key->role;
			return -1;
		}
		fb->col_key[i] = roles->column[role];
		fb->name_key[i] = ka_strdup(ka_role_name(role));
	}

	for (i = 0; i < fb->c.ndims; i++) {
		if ((c = named_column(roles, header, fb->c.dims[i])) < 0) {
			snprintf(error, size, "--dims %s: no such column in the "
			    "header", fb->c.dims[i]);
			return -1;
		}
		if (c == fb->col_score) {
			snprintf(error, size, "--dims %s: that is the score "
			    "column", fb->c.dims[i]);
			return -1;
		}
		fb->col_dim[i] = c;
		fb->name_dim[i] = ka_strdup(ka_field(header, (size_t)c));
		fb->out_dim[i] = snake_name(fb->name_dim[i], "_mean");
	}
	settle_tiers(fb);
	fb->bound = 1;
	return 0;
}

/* ---- reading ---- */

static void
field_of(const ka_feedback *fb, const ka_record *rec, long column,
    const char **text, size_t *length)
{
	if (column < 0 || (size_t)column >= rec->nfields) {
		*text = "";
		*length = 0;
		return;
	}
	*text = ka_field(rec, (size_t)column);
	*length = ka_field_length(rec, (size_t)column);
	ka_text_trim(text, length);
	if (fb->c.null_string != NULL &&
	    strlen(fb->c.null_string) == *length &&
	    memcmp(fb->c.null_string, *text, *length) == 0)
		*length = 0;
}

static enum ka_feedback_verdict
bad(ka_feedback *fb, long column, const char *name, const char *format,
    const char *text, size_t length)
{
	int n = snprintf(fb->error, sizeof(fb->error), "column %ld (%s): ",
	    column + 1, name);

	if (n < 0 || (size_t)n >= sizeof(fb->error))
		n = 0;
	snprintf(fb->error + n, sizeof(fb->error) - (size_t)n, format,
	    ka_text_shown(text, length), text);
	fb->error_column = (size_t)column + 1;
	return KA_FEEDBACK_BAD;
}

/*
 * A score: a whole number on the scale.  The fast path reads plain
 * digits; anything else goes through ka_dec_parse() to tell "not a
 * number" from "not whole" and "outside the scale".
 */
static enum ka_feedback_verdict
read_score(ka_feedback *fb, const char *text, size_t length, int *score)
{
	char scale[96];
	size_t i;
	int v = 0;
	ka_dec d;

	if (length == 0)
		return bad(fb, fb->col_score, fb->name_score, "empty%.*s",
		    "", 0);
	if (length <= 3) {
		for (i = 0; i < length && text[i] >= '0' && text[i] <= '9'; i++)
			v = v * 10 + (text[i] - '0');
		if (i == length && v >= fb->low && v <= fb->high) {
			*score = v;
			return KA_FEEDBACK_USED;
		}
	}
	switch (ka_dec_parse(text, length, fb->c.decimal_comma, &d)) {
	case KA_DEC_OK:
		break;
	case KA_DEC_RANGE:
		d = INT64_MAX;
		break;
	default:
		return bad(fb, fb->col_score, fb->name_score,
		    "not a number: \"%.*s\"", text, length);
	}
	if (fb->scale == KA_FEEDBACK_SCALE_AUTO)
		snprintf(scale, sizeof(scale), "outside 0-%d, the widest scale "
		    "read without --scale (give --scale LO-HI)", AUTO_HIGH);
	else if (fb->scale == KA_FEEDBACK_SCALE_RANGE)
		snprintf(scale, sizeof(scale), "outside the %d-%d scale",
		    fb->low, fb->high);
	else
		snprintf(scale, sizeof(scale), "outside the %s scale %d-%d",
		    fb->scale_name, fb->low, fb->high);
	if (d < (ka_dec)fb->low * KA_DEC_SCALE ||
	    d > (ka_dec)fb->high * KA_DEC_SCALE) {
		char format[160];

		snprintf(format, sizeof(format), "%%.*s is %s", scale);
		return bad(fb, fb->col_score, fb->name_score, format, text,
		    length);
	}
	if (d % KA_DEC_SCALE != 0)
		return bad(fb, fb->col_score, fb->name_score, "%.*s is not a "
		    "whole number", text, length);
	*score = (int)(d / KA_DEC_SCALE);
	return KA_FEEDBACK_USED;
}

static int
period_index(const ka_feedback *fb, ka_date d)
{
	size_t i;

	if (d > fb->period[0].last || d < fb->period[fb->nperiods - 1].first)
		return -1;
	for (i = 0; i < fb->nperiods; i++)
		if (d >= fb->period[i].first)
			return (int)i;
	return -1;
}

static void
grow_groups(ka_feedback *fb, uint32_t g)
{
	size_t old = fb->group_capacity, capacity, i;
	size_t per = fb->nperiods;

	if (g < old)
		return;
	capacity = (size_t)g * 2 + 64;
	fb->group_name = ka_realloc(fb->group_name,
	    capacity * sizeof(*fb->group_name));
	for (i = old; i < capacity; i++)
		fb->group_name[i] = NULL;
	fb->comment_count = ka_realloc(fb->comment_count,
	    capacity * per * sizeof(*fb->comment_count));
	memset(fb->comment_count + old * per, 0,
	    (capacity - old) * per * sizeof(*fb->comment_count));
	if (fb->topics_on) {
		size_t stride = per * fb->ntopics * fb->buckets;

		fb->topic_bucket = ka_realloc(fb->topic_bucket,
		    capacity * stride * sizeof(*fb->topic_bucket));
		memset(fb->topic_bucket + old * stride, 0,
		    (capacity - old) * stride * sizeof(*fb->topic_bucket));
		if (fb->c.quotes > 0) {
			stride = per * fb->ntopics;
			fb->quotes = ka_realloc(fb->quotes,
			    capacity * stride * sizeof(*fb->quotes));
			for (i = old * stride; i < capacity * stride; i++)
				fb->quotes[i] = NULL;
		}
	}
	fb->group_capacity = capacity;
}

static uint64_t
cell_hash(uint32_t group, uint32_t period, uint32_t account)
{
	return ka_hash_mix(((uint64_t)group << 32 ^ account) +
	    (uint64_t)period * UINT64_C(0x9e3779b97f4a7c15));
}

static void
grow_table(ka_feedback *fb)
{
	size_t mask = fb->table_mask * 2 + 1, i;
	uint32_t *table = ka_calloc(mask + 1, sizeof(*table));

	for (i = 0; i < fb->ncells; i++) {
		const struct cell *c = &fb->cells[i];
		size_t j = cell_hash(c->group, c->period, c->account) & mask;

		while (table[j] != 0)
			j = (j + 1) & mask;
		table[j] = (uint32_t)(i + 1);
	}
	free(fb->table);
	fb->table = table;
	fb->table_mask = mask;
}

static size_t
find_cell(ka_feedback *fb, uint32_t group, uint32_t period, uint32_t account)
{
	size_t j = cell_hash(group, period, account) & fb->table_mask, index;
	size_t ndims = fb->c.ndims;
	struct cell *c;

	while (fb->table[j] != 0) {
		c = &fb->cells[fb->table[j] - 1];
		if (c->group == group && c->account == account &&
		    c->period == period)
			return fb->table[j] - 1;
		j = (j + 1) & fb->table_mask;
	}
	if (fb->ncells == fb->cells_capacity) {
		size_t old = fb->cells_capacity;

		if (old >= UINT32_MAX / 2)
			ka_die(KA_EXIT_DATA, "too many groups and accounts");
		fb->cells_capacity = old * 2 + 256;
		fb->cells = ka_realloc(fb->cells,
		    fb->cells_capacity * sizeof(*fb->cells));
		fb->hist = ka_realloc(fb->hist, fb->cells_capacity *
		    (size_t)fb->bins * sizeof(*fb->hist));
		if (ndims > 0) {
			fb->dim_sum = ka_realloc(fb->dim_sum, fb->cells_capacity *
			    ndims * sizeof(*fb->dim_sum));
			fb->dim_count = ka_realloc(fb->dim_count,
			    fb->cells_capacity * ndims *
			    sizeof(*fb->dim_count));
		}
	}
	index = fb->ncells++;
	c = &fb->cells[index];
	c->group = group;
	c->account = account;
	c->period = period;
	c->count = 0;
	memset(fb->hist + index * (size_t)fb->bins, 0,
	    (size_t)fb->bins * sizeof(*fb->hist));
	if (ndims > 0) {
		memset(fb->dim_sum + index * ndims, 0,
		    ndims * sizeof(*fb->dim_sum));
		memset(fb->dim_count + index * ndims, 0,
		    ndims * sizeof(*fb->dim_count));
	}
	fb->table[j] = (uint32_t)(index + 1);
	if (fb->ncells * 2 > fb->table_mask)
		grow_table(fb);
	return index;
}

/* The joined group key of a record; 0 when a part is empty. */
static int
group_key(ka_feedback *fb, const ka_record *rec, const char **key,
    size_t *length)
{
	size_t i, used = 0, parts = 0;

	for (i = 0; i < fb->c.nby; i++) {
		const char *text;
		size_t n;

		if (fb->c.by[i].kind == KA_FEEDBACK_KEY_PERIOD)
			continue;
		field_of(fb, rec, fb->col_key[i], &text, &n);
		if (n == 0)
			return 0;
		if (parts++ == 0 && fb->c.nby == 1) {
			/* One key: the field itself, no copy. */
			*key = text;
			*length = n;
			return 1;
		}
		if (used + n + 1 > fb->key_capacity) {
			fb->key_capacity = (used + n + 1) * 2 + 64;
			fb->key_buffer = ka_realloc(fb->key_buffer,
			    fb->key_capacity);
		}
		if (used > 0)
			fb->key_buffer[used++] = SEPARATOR;
		memcpy(fb->key_buffer + used, text, n);
		used += n;
	}
	*key = fb->key_buffer != NULL ? fb->key_buffer : "";
	*length = used;
	return 1;
}

static uint32_t
intern_group(ka_feedback *fb, const char *key, size_t length)
{
	uint32_t g;

	if (fb->has_last && length == fb->last_key_length &&
	    memcmp(key, fb->last_key, length) == 0)
		return fb->last_group;
	g = ka_keys_intern(fb->groups, key, length, NULL);
	if (length + 1 > fb->last_key_capacity) {
		fb->last_key_capacity = length * 2 + 64;
		fb->last_key = ka_realloc(fb->last_key, fb->last_key_capacity);
	}
	memcpy(fb->last_key, key, length);
	fb->last_key_length = length;
	fb->last_group = g;
	fb->has_last = 1;
	grow_groups(fb, g);
	return g;
}

/* Keeps the newest quotes: the date, then the earlier row, decides. */
static void
keep_quote(ka_feedback *fb, size_t slot, ka_date date, int score,
    uint32_t account, const char *text, size_t length)
{
	struct quote_list *list = fb->quotes[slot];
	struct ka_feedback_quote *e;
	size_t i, worst = 0;

	if (list == NULL) {
		list = ka_calloc(1, sizeof(*list) +
		    fb->c.quotes * sizeof(list->entry[0]));
		list->sequence = ka_calloc(fb->c.quotes, sizeof(uint64_t));
		fb->quotes[slot] = list;
	}
	if (list->count < fb->c.quotes) {
		i = list->count++;
	} else {
		for (i = 1; i < list->count; i++) {
			const struct ka_feedback_quote *a = &list->entry[i],
			    *b = &list->entry[worst];

			if (a->date < b->date || (a->date == b->date &&
			    list->sequence[i] > list->sequence[worst]))
				worst = i;
		}
		/* A later row of the same date is no newer. */
		if (date <= list->entry[worst].date)
			return;
		i = worst;
		free((char *)list->entry[i].comment);
	}
	e = &list->entry[i];
	e->date = date;
	e->score = score;
	/* Interned texts never move (ka_keys keeps them in an arena). */
	e->account = account == ANONYMOUS ? "" :
	    ka_keys_text(fb->accounts, account);
	e->comment = ka_strndup(text, length);
	list->sequence[i] = fb->sequence;
}

/* Newest first, then input order: a short insertion sort. */
static void
sort_quotes(struct quote_list *list)
{
	size_t i, j;

	for (i = 1; i < list->count; i++)
		for (j = i; j > 0; j--) {
			struct ka_feedback_quote *a = &list->entry[j - 1],
			    *b = &list->entry[j], t;
			uint64_t s;

			if (a->date > b->date || (a->date == b->date &&
			    list->sequence[j - 1] < list->sequence[j]))
				break;
			t = *a, *a = *b, *b = t;
			s = list->sequence[j - 1];
			list->sequence[j - 1] = list->sequence[j];
			list->sequence[j] = s;
		}
}

enum ka_feedback_verdict
ka_feedback_add(ka_feedback *fb, const ka_record *rec)
{
	const char *text, *key;
	size_t length, key_length, i, gp, cell;
	double dims[KA_FEEDBACK_MAX_DIMS];
	int has_dim[KA_FEEDBACK_MAX_DIMS];
	enum ka_feedback_verdict v;
	uint32_t group, account = ANONYMOUS;
	ka_date date;
	int score = 0, p;

	fb->sequence++;
	if (fb->c.filter != NULL && ka_filter_count(fb->c.filter) > 0) {
		int passed = ka_filter_match(fb->c.filter, rec, fb->error,
		    sizeof(fb->error));

		if (passed < 0) {
			fb->error_column = 0;
			return KA_FEEDBACK_FATAL;
		}
		if (!passed) {
			fb->counts.read++;
			fb->counts.filtered++;
			return KA_FEEDBACK_FILTERED;
		}
	}

	/* Every value is checked, in or out of the periods. */
	field_of(fb, rec, fb->col_date, &text, &length);
	if (length == 0)
		return bad(fb, fb->col_date, fb->name_date, "empty%.*s", "", 0);
	if (ka_date_parse(text, length, &date) < 0 &&
	    (fb->c.date_format == NULL || ka_date_parse_format(text, length,
	    fb->c.date_format, &date) < 0))
		return bad(fb, fb->col_date, fb->name_date,
		    "not a date: \"%.*s\"", text, length);
	field_of(fb, rec, fb->col_score, &text, &length);
	if ((v = read_score(fb, text, length, &score)) != KA_FEEDBACK_USED)
		return v;
	for (i = 0; i < fb->c.ndims; i++) {
		ka_dec d;
		enum ka_dec_status status;

		field_of(fb, rec, fb->col_dim[i], &text, &length);
		has_dim[i] = 0;
		if (length == 0)
			continue;
		status = ka_dec_parse(text, length, fb->c.decimal_comma, &d);
		if (status != KA_DEC_OK) {
			char format[64];

			snprintf(format, sizeof(format), "%s: \"%%.*s\"",
			    ka_dec_status_text(status));
			return bad(fb, fb->col_dim[i], fb->name_dim[i], format,
			    text, length);
		}
		dims[i] = ka_dec_to_double(d);
		has_dim[i] = 1;
	}

	fb->counts.read++;
	if ((p = period_index(fb, date)) < 0) {
		fb->counts.outside++;
		return KA_FEEDBACK_OUTSIDE;
	}
	if (!group_key(fb, rec, &key, &key_length)) {
		fb->counts.unassigned++;
		return KA_FEEDBACK_UNASSIGNED;
	}
	if (fb->col_account >= 0) {
		field_of(fb, rec, fb->col_account, &text, &length);
		if (length > 0) {
			int added;

			account = ka_keys_intern(fb->accounts, text, length,
			    &added);
			grow_accounts(fb, account);
		}
	}
	if (fb->c.ntiers > 0) {
		int tier = account == ANONYMOUS ? NO_TIER :
		    fb->account_tier[account];

		if (tier == NO_TIER || !fb->tier_kept[tier]) {
			fb->counts.excluded++;
			return KA_FEEDBACK_EXCLUDED;
		}
	}
	group = intern_group(fb, key, key_length);
	if (fb->col_name >= 0 && fb->group_name[group] == NULL) {
		field_of(fb, rec, fb->col_name, &text, &length);
		if (length > 0)
			fb->group_name[group] = ka_strndup(text, length);
	}
	cell = find_cell(fb, group, (uint32_t)p, account);
	fb->cells[cell].count++;
	fb->hist[cell * (size_t)fb->bins + (size_t)score]++;
	for (i = 0; i < fb->c.ndims; i++)
		if (has_dim[i]) {
			fb->dim_sum[cell * fb->c.ndims + i] += dims[i];
			fb->dim_count[cell * fb->c.ndims + i]++;
		}
	if (score < fb->seen_min)
		fb->seen_min = score;
	if (score > fb->seen_max)
		fb->seen_max = score;

	gp = (size_t)group * fb->nperiods + (size_t)p;
	if (fb->col_comment >= 0) {
		field_of(fb, rec, fb->col_comment, &text, &length);
		if (length > 0)
			fb->comment_count[gp]++;
		if (length > 0 && fb->topics_on) {
			uint64_t mask;
			size_t bucket = fb->buckets == 2 ?
			    (score >= fb->satisfied_from) : (size_t)score;
			char message[512];

			if (ka_topics_match(fb->c.topics, text, length, &mask,
			    message, sizeof(message)) < 0) {
				snprintf(fb->error, sizeof(fb->error),
				    "%s:%lu: column %ld (%s): %s", rec->file,
				    rec->line, fb->col_comment + 1,
				    fb->name_comment, message);
				fb->error_column = (size_t)fb->col_comment + 1;
				return KA_FEEDBACK_FATAL;
			}
			for (i = 0; mask != 0 && i < fb->ntopics; i++) {
				if (!(mask & (UINT64_C(1) << i)))
					continue;
				fb->topic_bucket[(gp * fb->ntopics + i) *
				    fb->buckets + bucket]++;
				if (fb->c.quotes > 0)
					keep_quote(fb, gp * fb->ntopics + i,
					    date, score, account, text, length);
			}
		}
	}
	fb->counts.used++;
	return KA_FEEDBACK_USED;
}

const char *
ka_feedback_error(const ka_feedback *fb)
{
	return fb->error;
}

size_t
ka_feedback_error_column(const ka_feedback *fb)
{
	return fb->error_column;
}

void
ka_feedback_reject(ka_feedback *fb)
{
	fb->counts.read++;
	fb->counts.rejected++;
}

const struct ka_feedback_counts *
ka_feedback_counts(const ka_feedback *fb)
{
	return &fb->counts;
}

const char *
ka_feedback_key_names(const ka_feedback *fb, char *buf, size_t size)
{
	size_t i, used = 0, n = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < fb->c.nby && used < size; i++) {
		if (fb->c.by[i].kind == KA_FEEDBACK_KEY_PERIOD)
			continue;
		w = snprintf(buf + used, size - used, "%s%s", n++ ? " or " : "",
		    fb->name_key[i] != NULL ? fb->name_key[i] : "key");
		used += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

/* ---- finishing ---- */

static int
contains(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

static void
guess_note(ka_feedback *fb, const char *scale)
{
	if (fb->seen_min == fb->seen_max)
		snprintf(fb->note, sizeof(fb->note), "no --scale: scores all "
		    "%d read as %s", fb->seen_min, scale);
	else
		snprintf(fb->note, sizeof(fb->note), "no --scale: scores from "
		    "%d to %d read as %s", fb->seen_min, fb->seen_max, scale);
}

static void
resolve_scale(ka_feedback *fb)
{
	const char *score_name = fb->name_score != NULL ? fb->name_score : "";
	char normal[256];

	if (fb->scale != KA_FEEDBACK_SCALE_AUTO)
		return;
	ka_roles_normalise(score_name, strlen(score_name), normal,
	    sizeof(normal));
	if (contains(normal, "nps") || contains(normal, "recommend") ||
	    contains(normal, "推荐")) {
		set_scale(fb, KA_FEEDBACK_SCALE_NPS, 0, 0);
	} else if (contains(normal, "csat") || contains(normal, "satisf") ||
	    contains(normal, "满意")) {
		set_scale(fb, KA_FEEDBACK_SCALE_CSAT, 0, 0);
	} else if (fb->seen_max < 0) {
		set_scale(fb, KA_FEEDBACK_SCALE_NPS, 0, 0);
	} else if (fb->seen_min >= 1 && fb->seen_max <= 5) {
		set_scale(fb, KA_FEEDBACK_SCALE_CSAT, 0, 0);
		guess_note(fb, "csat (1-5)");
	} else {
		set_scale(fb, KA_FEEDBACK_SCALE_NPS, 0, 0);
		guess_note(fb, "nps (0-10)");
	}
}

struct cell_values {
	double count, sum, promoters, detractors, satisfied;
};

static void
cell_values(const ka_feedback *fb, size_t cell, struct cell_values *v)
{
	const uint32_t *h = fb->hist + cell * (size_t)fb->bins;
	int s;

	memset(v, 0, sizeof(*v));
	for (s = fb->low; s <= fb->high; s++) {
		double n = h[s];

		if (n == 0)
			continue;
		v->count += n;
		v->sum += n * s;
		if (s >= fb->satisfied_from)
			v->satisfied += n;
		if (fb->scale == KA_FEEDBACK_SCALE_NPS) {
			if (s >= 9)
				v->promoters += n;
			else if (s <= 6)
				v->detractors += n;
		}
	}
}

static double
account_weight(const ka_feedback *fb, uint32_t account)
{
	int tier;

	if (!fb->c.weight_tier || account == ANONYMOUS)
		return 1.0;
	tier = fb->account_tier[account];
	return tier == NO_TIER ? 1.0 : fb->tier_weight[tier];
}

/* Adds count responses (units of their own) or one account unit. */
static void
add_units(const ka_feedback *fb, struct accumulator *acc,
    const struct cell_values *v, const double *dim_sum,
    const uint32_t *dim_count, double w, int per_response)
{
	size_t i;

	if (per_response) {
		acc->weight += w * v->count;
		acc->weight2 += w * w * v->count;
		acc->sum += w * v->sum;
		acc->promoters += w * v->promoters;
		acc->detractors += w * v->detractors;
		acc->satisfied += w * v->satisfied;
		for (i = 0; i < fb->c.ndims; i++) {
			acc->dim_weight[i] += w * dim_count[i];
			acc->dim_sum[i] += w * dim_sum[i];
		}
		return;
	}
	acc->weight += w;
	acc->weight2 += w * w;
	acc->sum += w * v->sum / v->count;
	acc->promoters += w * v->promoters / v->count;
	acc->detractors += w * v->detractors / v->count;
	acc->satisfied += w * v->satisfied / v->count;
	for (i = 0; i < fb->c.ndims; i++)
		if (dim_count[i] > 0) {
			acc->dim_weight[i] += w;
			acc->dim_sum[i] += w * dim_sum[i] / dim_count[i];
		}
}

static void
figures_from(const ka_feedback *fb, const struct accumulator *acc,
    double prior_mean, struct ka_feedback_figures *f)
{
	double z = ka_stats_z(fb->c.confidence), w = acc->weight, low, high;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->n = acc->n;
	f->accounts = acc->accounts;
	f->weight = w;
	f->sum = acc->sum;
	f->mean = f->bayes_avg = NAN;
	f->promoters = f->passives = f->detractors = f->satisfied = NAN;
	f->nps = f->nps_low = f->nps_high = NAN;
	f->csat = f->csat_low = f->csat_high = NAN;
	for (i = 0; i < KA_FEEDBACK_MAX_DIMS; i++)
		f->dim_mean[i] = NAN;
	if (!(w > 0.0) || acc->n == 0)
		return;
	f->effective_n = w * w / acc->weight2;
	f->mean = acc->sum / w;
	f->bayes_avg = ka_stats_bayes_average(prior_mean,
	    fb->c.prior_weight, acc->sum, w);
	f->satisfied = acc->satisfied / w;
	f->csat = 100.0 * f->satisfied;
	ka_stats_wilson(f->satisfied * f->effective_n, f->effective_n, z,
	    &low, &high);
	f->csat_low = 100.0 * low;
	f->csat_high = 100.0 * high;
	if (fb->scale == KA_FEEDBACK_SCALE_NPS) {
		f->promoters = acc->promoters / w;
		f->detractors = acc->detractors / w;
		f->passives = 1.0 - f->promoters - f->detractors;
		if (f->passives < 0.0)
			f->passives = 0.0;
		f->nps = 100.0 * (f->promoters - f->detractors);
		ka_stats_net_interval(f->promoters * f->effective_n,
		    f->detractors * f->effective_n, f->effective_n, z, &low,
		    &high);
		f->nps_low = 100.0 * low;
		f->nps_high = 100.0 * high;
	}
	for (i = 0; i < fb->c.ndims; i++)
		if (acc->dim_weight[i] > 0.0)
			f->dim_mean[i] = acc->dim_sum[i] / acc->dim_weight[i];
}

/* Everyone's sums per period; in account roll-up an account is one unit
   across all the groups it answered about. */
static void
overall_sums(const ka_feedback *fb, struct accumulator *overall)
{
	size_t naccounts = ka_keys_count(fb->accounts), ndims = fb->c.ndims;
	size_t p, i, d;
	struct cell_values *pool = NULL;
	double *pool_dim_sum = NULL;
	uint32_t *pool_dim_count = NULL;
	unsigned char *seen;

	seen = ka_calloc(naccounts, 1);
	if (fb->c.rollup == KA_FEEDBACK_BY_ACCOUNT) {
		pool = ka_calloc(naccounts, sizeof(*pool));
		pool_dim_sum = ka_calloc(naccounts * ndims, sizeof(double));
		pool_dim_count = ka_calloc(naccounts * ndims, sizeof(uint32_t));
	}
	for (p = 0; p < fb->nperiods; p++) {
		struct accumulator *acc = &overall[p];

		memset(seen, 0, naccounts);
		for (i = 0; i < fb->ncells; i++) {
			const struct cell *c = &fb->cells[i];
			struct cell_values v;
			uint32_t a = c->account;

			if (c->period != p)
				continue;
			cell_values(fb, i, &v);
			acc->n += c->count;
			if (a != ANONYMOUS && !seen[a]) {
				seen[a] = 1;
				acc->accounts++;
			}
			if (pool == NULL || a == ANONYMOUS) {
				add_units(fb, acc, &v, fb->dim_sum != NULL ?
				    fb->dim_sum + i * ndims : NULL,
				    fb->dim_count != NULL ?
				    fb->dim_count + i * ndims : NULL,
				    account_weight(fb, a), 1);
				continue;
			}
			pool[a].count += v.count;
			pool[a].sum += v.sum;
			pool[a].promoters += v.promoters;
			pool[a].detractors += v.detractors;
			pool[a].satisfied += v.satisfied;
			for (d = 0; d < ndims; d++) {
				pool_dim_sum[a * ndims + d] +=
				    fb->dim_sum[i * ndims + d];
				pool_dim_count[a * ndims + d] +=
				    fb->dim_count[i * ndims + d];
			}
		}
		if (pool == NULL)
			continue;
		/* Accounts in id order, so sums are the same every run. */
		for (i = 0; i < naccounts; i++) {
			if (pool[i].count == 0)
				continue;
			add_units(fb, acc, &pool[i], pool_dim_sum + i * ndims,
			    pool_dim_count + i * ndims,
			    account_weight(fb, (uint32_t)i), 0);
			memset(&pool[i], 0, sizeof(pool[i]));
			for (d = 0; d < ndims; d++) {
				pool_dim_sum[i * ndims + d] = 0;
				pool_dim_count[i * ndims + d] = 0;
			}
		}
	}
	free(seen);
	free(pool);
	free(pool_dim_sum);
	free(pool_dim_count);
}

static void
topic_counts(ka_feedback *fb)
{
	size_t ngroups = ka_keys_count(fb->groups), T = fb->nperiods;
	size_t nt = fb->ntopics, g, p, t, b;

	fb->mentions = ka_calloc(ngroups * T * nt, sizeof(uint32_t));
	fb->complaints = ka_calloc(ngroups * T * nt, sizeof(uint32_t));
	fb->overall_mentions = ka_calloc(T * nt, sizeof(uint32_t));
	fb->overall_complaints = ka_calloc(T * nt, sizeof(uint32_t));
	for (g = 0; g < ngroups; g++)
		for (p = 0; p < T; p++)
			for (t = 0; t < nt; t++) {
				size_t gpt = (g * T + p) * nt + t;
				const uint32_t *bucket = fb->topic_bucket +
				    gpt * fb->buckets;
				uint32_t mentions = 0, complaints = 0;

				for (b = 0; b < fb->buckets; b++) {
					mentions += bucket[b];
					/* Bucket 0 of 2 is "not satisfied";
					   else the bucket is the score. */
					if ((fb->buckets == 2 && b == 0) ||
					    (fb->buckets != 2 &&
					    (int)b < fb->satisfied_from))
						complaints += bucket[b];
				}
				fb->mentions[gpt] = mentions;
				fb->complaints[gpt] = complaints;
				fb->overall_mentions[p * nt + t] += mentions;
				fb->overall_complaints[p * nt + t] +=
				    complaints;
			}
}

static void
split_groups(ka_feedback *fb)
{
	size_t ngroups = ka_keys_count(fb->groups), g, i, part;

	fb->group_split = ka_calloc(ngroups, sizeof(*fb->group_split));
	fb->group_parts = ka_calloc(ngroups * KA_FEEDBACK_MAX_KEYS,
	    sizeof(*fb->group_parts));
	for (g = 0; g < ngroups; g++) {
		size_t length = ka_keys_length(fb->groups, (uint32_t)g);
		char *copy = ka_strndup(ka_keys_text(fb->groups, (uint32_t)g),
		    length), *p = copy;

		fb->group_split[g] = copy;
		for (i = 0, part = 0; i < fb->c.nby; i++) {
			char *end;

			if (fb->c.by[i].kind == KA_FEEDBACK_KEY_PERIOD)
				continue;
			fb->group_parts[g * KA_FEEDBACK_MAX_KEYS + i] = p;
			end = strchr(p, SEPARATOR);
			if (end != NULL) {
				*end = '\0';
				p = end + 1;
			} else
				p += strlen(p);
			part++;
		}
	}
}

static void
flag_row(const ka_feedback *fb, struct ka_feedback_row *row, size_t g)
{
	const struct ka_feedback_figures *f = fb->figures + g * fb->nperiods;
	const struct ka_feedback_figures *now = &f[0];
	char a[32], b[32], c[32];
	size_t used, p;
	int all = 1, n;
	double threshold = fb->threshold;

	if (now->n < fb->c.min_n) {
		row->flag = KA_FEEDBACK_INSUFFICIENT;
		snprintf(row->why, sizeof(row->why), "%lu %s in %s, fewer than "
		    "--min-n %lu", now->n, plural(now->n, "answer", "answers"),
		    fb->period_text[0], fb->c.min_n);
		return;
	}
	if (!(now->bayes_avg < threshold)) {
		row->flag = KA_FEEDBACK_OK;
		snprintf(row->why, sizeof(row->why), "Bayesian average %s at or "
		    "above %s in %s (n=%lu)", format2(now->bayes_avg, a),
		    format2(threshold, b), fb->period_text[0], now->n);
		return;
	}
	for (p = 0; p < fb->k; p++)
		if (f[p].n < fb->c.min_n || !(f[p].bayes_avg < threshold))
			all = 0;
	if (all) {
		row->flag = KA_FEEDBACK_REASSIGN;
		n = snprintf(row->why, sizeof(row->why), "Bayesian average "
		    "below %s in each of the last %zu %s:", format2(threshold,
		    a), fb->k, plural(fb->k, "period", "periods"));
		used = n > 0 ? (size_t)n : 0;
		for (p = fb->k; p-- > 0 && used < sizeof(row->why);) {
			n = snprintf(row->why + used, sizeof(row->why) - used,
			    "%s %s %s (n=%lu)", p + 1 < fb->k ? "," : "",
			    fb->period_text[p], format2(f[p].bayes_avg, b),
			    f[p].n);
			used += n > 0 ? (size_t)n : 0;
		}
		return;
	}
	row->flag = KA_FEEDBACK_WATCH;
	n = snprintf(row->why, sizeof(row->why), "Bayesian average %s below "
	    "%s in %s (n=%lu), but not in each of the last %zu periods: ",
	    format2(now->bayes_avg, a), format2(threshold, b),
	    fb->period_text[0], now->n, fb->k);
	used = n > 0 ? (size_t)n : 0;
	for (p = 1; p < fb->k; p++) {
		if (f[p].n < fb->c.min_n) {
			snprintf(row->why + used, sizeof(row->why) - used,
			    "%s had %lu %s, fewer than %lu", fb->period_text[p],
			    f[p].n, plural(f[p].n, "answer", "answers"),
			    fb->c.min_n);
			return;
		}
		if (!(f[p].bayes_avg < threshold)) {
			snprintf(row->why + used, sizeof(row->why) - used,
			    "%s was %s (n=%lu)", fb->period_text[p],
			    format2(f[p].bayes_avg, c), f[p].n);
			return;
		}
	}
}

static void
verdict_row(const ka_feedback *fb, struct ka_feedback_row *row)
{
	const struct ka_feedback_figures *f = row->now;
	char a[32], b[32], c[32], since[KA_DATE_BUFSIZE];
	const char *what, *unit, *side, *bar_text;
	double low, high, bar;

	if (f->n < fb->c.min_n) {
		row->flag = KA_FEEDBACK_INSUFFICIENT;
		ka_date_format(fb->period[0].first, since);
		snprintf(row->why, sizeof(row->why), "%lu %s since %s, fewer "
		    "than --min-n %lu", f->n, plural(f->n, "answer", "answers"),
		    since, fb->c.min_n);
		return;
	}
	if (fb->scale == KA_FEEDBACK_SCALE_NPS) {
		what = "NPS", unit = "", bar = 0.0, bar_text = "0";
		low = f->nps_low, high = f->nps_high;
		format2(f->nps, a);
	} else {
		what = "CSAT", unit = "%", bar = 50.0, bar_text = "50%";
		low = f->csat_low, high = f->csat_high;
		format2(f->csat, a);
	}
	if (low > bar) {
		row->flag = KA_FEEDBACK_POSITIVE;
		side = "wholly above";
	} else if (high < bar) {
		row->flag = KA_FEEDBACK_NEGATIVE;
		side = "wholly below";
	} else {
		row->flag = KA_FEEDBACK_MIXED;
		side = "includes";
	}
	snprintf(row->why, sizeof(row->why), "%s %s%s, %g%% interval %s%s to "
	    "%s%s %s %s (n=%lu)", what, a, unit, fb->c.confidence * 100.0,
	    format2(low, b), unit, format2(high, c), unit, side, bar_text,
	    f->n);
}

static int
key_compare(const ka_feedback *fb, size_t a, size_t b)
{
	size_t la = ka_keys_length(fb->groups, (uint32_t)a);
	size_t lb = ka_keys_length(fb->groups, (uint32_t)b);
	int r = memcmp(ka_keys_text(fb->groups, (uint32_t)a),
	    ka_keys_text(fb->groups, (uint32_t)b), la < lb ? la : lb);

	if (r != 0)
		return r;
	return la < lb ? -1 : la > lb;
}

static const ka_feedback *sort_engine;

static size_t
row_group(const ka_feedback *fb, const struct ka_feedback_row *r)
{
	return (size_t)(r->now - fb->figures) / fb->nperiods;
}

static int
row_compare(const void *pa, const void *pb)
{
	const ka_feedback *fb = sort_engine;
	const struct ka_feedback_row *a = pa, *b = pb;
	int has_a = a->now->n > 0, has_b = b->now->n > 0;

	/* Oldest period first: a higher index is older. */
	if (a->period != b->period)
		return a->period > b->period ? -1 : 1;
	if (has_a != has_b)
		return has_a ? -1 : 1;
	if (has_a) {
		if (a->now->bayes_avg != b->now->bayes_avg)
			return a->now->bayes_avg > b->now->bayes_avg ? -1 : 1;
		if (a->now->n != b->now->n)
			return a->now->n > b->now->n ? -1 : 1;
	}
	return key_compare(fb, row_group(fb, a), row_group(fb, b));
}

static void
fill_row(ka_feedback *fb, struct ka_feedback_row *row, size_t g, size_t p)
{
	size_t i, T = fb->nperiods;

	memset(row, 0, sizeof(*row));
	for (i = 0; i < fb->c.nby; i++)
		row->key[i] = fb->c.by[i].kind == KA_FEEDBACK_KEY_PERIOD ?
		    fb->period_text[p] :
		    fb->group_parts[g * KA_FEEDBACK_MAX_KEYS + i];
	row->customer = "";
	row->tier = "";
	for (i = 0; i < fb->c.nby; i++) {
		int64_t a;

		if (!fb->key_is_customer[i])
			continue;
		if (fb->group_name[g] != NULL)
			row->customer = fb->group_name[g];
		a = ka_keys_find(fb->accounts, row->key[i],
		    strlen(row->key[i]));
		if (a >= 0) {
			if (fb->account_name[a] != NULL &&
			    row->customer[0] == '\0')
				row->customer = fb->account_name[a];
			if (fb->account_tier[a] != NO_TIER)
				row->tier = ka_keys_text(fb->tier_names,
				    (uint32_t)fb->account_tier[a]);
		}
		break;
	}
	row->period = p;
	row->now = &fb->figures[g * T + p];
	row->prev = p + 1 < T ? &fb->figures[g * T + p + 1] : NULL;
	row->change = row->slope = NAN;
	if (row->prev != NULL && row->now->n > 0 && row->prev->n > 0)
		row->change = row->now->bayes_avg - row->prev->bayes_avg;
}

int
ka_feedback_finish(ka_feedback *fb, char *error, size_t size)
{
	size_t ngroups = ka_keys_count(fb->groups), T = fb->nperiods;
	size_t g, p, i, n, rank;
	struct accumulator *acc, overall[KA_FEEDBACK_MAX_PERIODS + 2];

	if (!fb->bound) {
		snprintf(error, size, "ka_feedback_finish before bind");
		return -1;
	}
	if (fb->finished)
		return 0;
	resolve_scale(fb);

	/* Sums per group and period, cell by cell in the order read. */
	acc = ka_calloc(ngroups * T, sizeof(*acc));
	for (i = 0; i < fb->ncells; i++) {
		const struct cell *c = &fb->cells[i];
		struct accumulator *a = &acc[(size_t)c->group * T + c->period];
		struct cell_values v;

		cell_values(fb, i, &v);
		a->n += c->count;
		if (c->account != ANONYMOUS)
			a->accounts++;
		add_units(fb, a, &v, fb->dim_sum != NULL ?
		    fb->dim_sum + i * fb->c.ndims : NULL,
		    fb->dim_count != NULL ? fb->dim_count + i * fb->c.ndims :
		    NULL, account_weight(fb, c->account),
		    fb->c.rollup == KA_FEEDBACK_BY_RESPONSE ||
		    c->account == ANONYMOUS);
	}
	memset(overall, 0, sizeof(overall));
	overall_sums(fb, overall);
	for (p = 0; p < T; p++)
		figures_from(fb, &overall[p], NAN, &fb->overall[p]);
	for (p = 0; p < T; p++)
		fb->overall[p].bayes_avg = fb->overall[p].mean;
	fb->figures = ka_calloc(ngroups * T, sizeof(*fb->figures));
	for (g = 0; g < ngroups; g++)
		for (p = 0; p < T; p++) {
			struct ka_feedback_figures *f = &fb->figures[g * T + p];

			figures_from(fb, &acc[g * T + p], fb->overall[p].mean,
			    f);
			f->comments = fb->comment_count[g * T + p];
		}
	for (p = 0; p < T; p++)
		for (g = 0; g < ngroups; g++)
			fb->overall[p].comments +=
			    fb->comment_count[g * T + p];
	free(acc);
	if (fb->topics_on) {
		topic_counts(fb);
		for (g = 0; g < ngroups; g++)
			for (p = 0; p < T; p++) {
				size_t gp = g * T + p;

				fb->figures[gp].mentions =
				    fb->mentions + gp * fb->ntopics;
				fb->figures[gp].complaints =
				    fb->complaints + gp * fb->ntopics;
			}
		for (p = 0; p < T; p++) {
			fb->overall[p].mentions =
			    fb->overall_mentions + p * fb->ntopics;
			fb->overall[p].complaints =
			    fb->overall_complaints + p * fb->ntopics;
		}
	}
	if (fb->quotes != NULL)
		for (i = 0; i < ngroups * T * fb->ntopics; i++)
			if (fb->quotes[i] != NULL)
				sort_quotes(fb->quotes[i]);
	split_groups(fb);

	/* Rows. */
	fb->rows = ka_calloc(ngroups * (fb->period_mode ? fb->k : 1),
	    sizeof(*fb->rows));
	n = 0;
	for (g = 0; g < ngroups; g++) {
		if (fb->period_mode) {
			for (p = 0; p < fb->k; p++)
				if (fb->figures[g * T + p].n > 0)
					fill_row(fb, &fb->rows[n++], g, p);
			continue;
		}
		fill_row(fb, &fb->rows[n], g, 0);
		if (fb->since_mode) {
			verdict_row(fb, &fb->rows[n]);
		} else {
			double x[KA_FEEDBACK_MAX_PERIODS],
			    y[KA_FEEDBACK_MAX_PERIODS];

			for (p = 0; p < fb->k; p++) {
				const struct ka_feedback_figures *f =
				    &fb->figures[g * T + p];

				x[p] = (double)(fb->k - 1 - p);
				y[p] = f->n > 0 ? f->bayes_avg : NAN;
			}
			ka_stats_slope(x, y, fb->k, &fb->rows[n].slope);
			flag_row(fb, &fb->rows[n], g);
		}
		n++;
	}
	fb->nrows = n;
	sort_engine = fb;
	qsort(fb->rows, n, sizeof(*fb->rows), row_compare);
	sort_engine = NULL;
	for (i = 0, rank = 0; i < n; i++) {
		if (i > 0 && fb->rows[i].period != fb->rows[i - 1].period)
			rank = 0;
		fb->rows[i].rank = fb->rows[i].now->n > 0 ? ++rank : 0;
	}
	fb->finished = 1;
	return 0;
}

const char *
ka_feedback_note(const ka_feedback *fb)
{
	return fb->note[0] != '\0' ? fb->note : NULL;
}

const char *
ka_feedback_scale_name(const ka_feedback *fb)
{
	return fb->scale_name;
}

int
ka_feedback_is_nps(const ka_feedback *fb)
{
	return fb->scale == KA_FEEDBACK_SCALE_NPS;
}

double
ka_feedback_threshold(const ka_feedback *fb)
{
	return fb->threshold;
}

const ka_period *
ka_feedback_period(const ka_feedback *fb, size_t i)
{
	return i < fb->nperiods ? &fb->period[i] : NULL;
}

size_t
ka_feedback_period_count(const ka_feedback *fb)
{
	return fb->nperiods;
}

const char *
ka_feedback_flag_name(enum ka_feedback_flag flag)
{
	static const char *const names[] = { "ok", "watch", "reassign",
		"insufficient", "positive", "mixed", "negative" };

	return (size_t)flag < sizeof(names) / sizeof(names[0]) ?
	    names[flag] : "?";
}

const struct ka_feedback_row *
ka_feedback_rows(const ka_feedback *fb, size_t *count)
{
	*count = fb->nrows;
	return fb->rows;
}

const struct ka_feedback_figures *
ka_feedback_overall(const ka_feedback *fb, size_t i)
{
	return i < fb->nperiods ? &fb->overall[i] : NULL;
}

const ka_topics *
ka_feedback_topics(const ka_feedback *fb)
{
	return fb->topics_on ? fb->c.topics : NULL;
}

size_t
ka_feedback_quotes(const ka_feedback *fb, const struct ka_feedback_row *row,
    size_t topic, const struct ka_feedback_quote **quotes)
{
	struct quote_list *list;
	size_t slot;

	*quotes = NULL;
	if (fb->quotes == NULL || topic >= fb->ntopics)
		return 0;
	slot = (row_group(fb, row) * fb->nperiods + row->period) *
	    fb->ntopics + topic;
	if ((list = fb->quotes[slot]) == NULL)
		return 0;
	*quotes = list->entry;
	return list->count;
}

/* ---- tables ---- */

struct names {
	const char	*name[KA_FEEDBACK_MAX_KEYS * 3 + KA_FEEDBACK_MAX_DIMS +
			    KA_TOPICS_MAX + 40];
	char		*owned[KA_TOPICS_MAX];
	size_t		 count, nowned;
};

static void
add_name(struct names *n, const char *name)
{
	n->name[n->count++] = name;
}

static void
key_names(const ka_feedback *fb, struct names *n)
{
	size_t i;

	for (i = 0; i < fb->c.nby; i++) {
		add_name(n, fb->name_key[i]);
		if (fb->key_is_customer[i]) {
			if (fb->col_name >= 0 || (fb->accounts_loaded &&
			    fb->account_is_id))
				add_name(n, "customer");
			if (fb->accounts_loaded)
				add_name(n, "tier");
		}
	}
}

static void
write_keys(const ka_feedback *fb, ka_writer *w,
    const struct ka_feedback_row *row)
{
	size_t i;

	for (i = 0; i < fb->c.nby; i++) {
		ka_writer_string(w, row->key[i]);
		if (fb->key_is_customer[i]) {
			if (fb->col_name >= 0 || (fb->accounts_loaded &&
			    fb->account_is_id))
				ka_writer_string(w, row->customer);
			if (fb->accounts_loaded)
				ka_writer_string(w, row->tier);
		}
	}
}

static void
write_number(ka_writer *w, double x)
{
	char buf[32];
	size_t n = ka_stats_format(x, 2, buf, sizeof(buf));

	ka_writer_number(w, buf, n);
}

void
ka_feedback_write_table(const ka_feedback *fb, ka_writer *w)
{
	struct names n;
	size_t i, r, t;
	int nps = fb->scale == KA_FEEDBACK_SCALE_NPS;

	memset(&n, 0, sizeof(n));
	key_names(fb, &n);
	add_name(&n, "rank");
	add_name(&n, "n");
	add_name(&n, "accounts");
	add_name(&n, "mean");
	add_name(&n, "bayes_avg");
	if (nps) {
		add_name(&n, "promoter_pct");
		add_name(&n, "passive_pct");
		add_name(&n, "detractor_pct");
		add_name(&n, "nps");
		add_name(&n, "nps_low");
		add_name(&n, "nps_high");
	} else {
		add_name(&n, "csat");
		add_name(&n, "csat_low");
		add_name(&n, "csat_high");
	}
	for (i = 0; i < fb->c.ndims; i++)
		add_name(&n, fb->out_dim[i]);
	if (fb->since_mode) {
		add_name(&n, "verdict");
		add_name(&n, "why");
	} else {
		add_name(&n, "prev_n");
		add_name(&n, "prev_bayes_avg");
		add_name(&n, "change");
		if (!fb->period_mode) {
			add_name(&n, "slope");
			add_name(&n, "flag");
			add_name(&n, "why");
		}
	}
	if (fb->col_comment >= 0)
		add_name(&n, "comments");
	for (t = 0; t < fb->ntopics; t++) {
		n.owned[n.nowned] = snake_name(ka_topics_name(fb->c.topics, t),
		    "");
		{
			char *prefixed = ka_malloc(strlen(n.owned[n.nowned]) + 7);

			sprintf(prefixed, "topic_%s", n.owned[n.nowned]);
			free(n.owned[n.nowned]);
			n.owned[n.nowned] = prefixed;
		}
		add_name(&n, n.owned[n.nowned++]);
	}
	ka_writer_header(w, n.name, n.count);

	for (r = 0; r < fb->nrows; r++) {
		const struct ka_feedback_row *row = &fb->rows[r];
		const struct ka_feedback_figures *f = row->now;

		write_keys(fb, w, row);
		if (row->rank > 0)
			ka_writer_integer(w, (long long)row->rank);
		else
			ka_writer_number(w, "", 0);
		ka_writer_integer(w, (long long)f->n);
		if (fb->col_account >= 0)
			ka_writer_integer(w, (long long)f->accounts);
		else
			ka_writer_number(w, "", 0);
		write_number(w, f->mean);
		write_number(w, f->bayes_avg);
		if (nps) {
			write_number(w, 100.0 * f->promoters);
			write_number(w, 100.0 * f->passives);
			write_number(w, 100.0 * f->detractors);
			write_number(w, f->nps);
			write_number(w, f->nps_low);
			write_number(w, f->nps_high);
		} else {
			write_number(w, f->csat);
			write_number(w, f->csat_low);
			write_number(w, f->csat_high);
		}
		for (i = 0; i < fb->c.ndims; i++)
			write_number(w, f->dim_mean[i]);
		if (fb->since_mode) {
			ka_writer_string(w, ka_feedback_flag_name(row->flag));
			ka_writer_string(w, row->why);
		} else {
			if (row->prev != NULL && row->prev->n > 0) {
				ka_writer_integer(w, (long long)row->prev->n);
				write_number(w, row->prev->bayes_avg);
			} else {
				ka_writer_number(w, row->prev != NULL ? "0" :
				    "", row->prev != NULL ? 1 : 0);
				ka_writer_number(w, "", 0);
			}
			write_number(w, row->change);
			if (!fb->period_mode) {
				write_number(w, row->slope);
				ka_writer_string(w,
				    ka_feedback_flag_name(row->flag));
				ka_writer_string(w, row->why);
			}
		}
		if (fb->col_comment >= 0)
			ka_writer_integer(w, (long long)f->comments);
		for (t = 0; t < fb->ntopics; t++)
			ka_writer_integer(w, (long long)f->mentions[t]);
		ka_writer_end_row(w);
	}
	for (i = 0; i < n.nowned; i++)
		free(n.owned[i]);
}

void
ka_feedback_write_topics(const ka_feedback *fb, ka_writer *w)
{
	struct names n;
	size_t r, t, q, nq;

	memset(&n, 0, sizeof(n));
	key_names(fb, &n);
	add_name(&n, "topic");
	add_name(&n, "comments");
	add_name(&n, "mentions");
	add_name(&n, "complaints");
	if (fb->c.quotes > 0) {
		add_name(&n, "date");
		add_name(&n, fb->name_account_out != NULL ?
		    fb->name_account_out : "customer_id");
		add_name(&n, "score");
		add_name(&n, "comment");
	}
	ka_writer_header(w, n.name, n.count);
	for (r = 0; r < fb->nrows; r++) {
		const struct ka_feedback_row *row = &fb->rows[r];
		const struct ka_feedback_figures *f = row->now;

		for (t = 0; t < fb->ntopics; t++) {
			const struct ka_feedback_quote *quotes = NULL;

			if (f->mentions[t] == 0)
				continue;
			nq = fb->c.quotes > 0 ?
			    ka_feedback_quotes(fb, row, t, &quotes) : 0;
			for (q = 0; q < (nq > 0 ? nq : 1); q++) {
				write_keys(fb, w, row);
				ka_writer_string(w, ka_topics_name(fb->c.topics,
				    t));
				ka_writer_integer(w, (long long)f->comments);
				ka_writer_integer(w, (long long)f->mentions[t]);
				ka_writer_integer(w,
				    (long long)f->complaints[t]);
				if (fb->c.quotes > 0 && q < nq) {
					char date[KA_DATE_BUFSIZE];

					ka_date_format(quotes[q].date, date);
					ka_writer_string(w, date);
					ka_writer_string(w, quotes[q].account);
					ka_writer_integer(w, quotes[q].score);
					ka_writer_string(w, quotes[q].comment);
				} else if (fb->c.quotes > 0) {
					/* Every mention keeps a quote, so this
					   is only a guard: empty fields. */
					ka_writer_string(w, "");
					ka_writer_string(w, "");
					ka_writer_number(w, "", 0);
					ka_writer_string(w, "");
				}
				ka_writer_end_row(w);
			}
		}
	}
}

/* ---- the report section ---- */

static int
flagged_compare(const void *pa, const void *pb)
{
	const struct ka_feedback_report_flag *a = pa, *b = pb;

	if (a->flag != b->flag)
		return a->flag == KA_FEEDBACK_REASSIGN ? -1 : 1;
	if (a->bayes_avg != b->bayes_avg)
		return a->bayes_avg < b->bayes_avg ? -1 : 1;
	return strcmp(a->rep, b->rep);
}

static const ka_topics *topic_sort_set;

static int
topic_compare(const void *pa, const void *pb)
{
	const struct ka_feedback_report_topic *a = pa, *b = pb;
	size_t i, ia = 0, ib = 0;

	if (a->complaints != b->complaints)
		return a->complaints > b->complaints ? -1 : 1;
	if (a->mentions != b->mentions)
		return a->mentions > b->mentions ? -1 : 1;
	for (i = 0; i < ka_topics_count(topic_sort_set); i++) {
		if (ka_topics_name(topic_sort_set, i) == a->topic)
			ia = i;
		if (ka_topics_name(topic_sort_set, i) == b->topic)
			ib = i;
	}
	return ia < ib ? -1 : ia > ib;
}

int
ka_feedback_report(const ka_feedback *fb, struct ka_feedback_report *out)
{
	size_t r, t;

	memset(out, 0, sizeof(*out));
	if (!fb->finished || fb->period_mode || fb->since_mode)
		return -1;
	out->scale = fb->scale_name;
	out->is_nps = fb->scale == KA_FEEDBACK_SCALE_NPS;
	out->threshold = fb->threshold;
	out->period = fb->period[0];
	out->previous = fb->period[1];
	out->now = fb->overall[0];
	out->prev = fb->overall[1];
	out->change_mean = out->now.mean - out->prev.mean;
	out->change_score = out->is_nps ? out->now.nps - out->prev.nps :
	    out->now.csat - out->prev.csat;
	out->flagged = ka_calloc(fb->nrows, sizeof(*out->flagged));
	for (r = 0; r < fb->nrows; r++) {
		const struct ka_feedback_row *row = &fb->rows[r];
		struct ka_feedback_report_flag *f;

		if (row->flag != KA_FEEDBACK_REASSIGN &&
		    row->flag != KA_FEEDBACK_WATCH)
			continue;
		f = &out->flagged[out->nflagged++];
		f->rep = row->key[0];
		f->flag = row->flag;
		f->bayes_avg = row->now->bayes_avg;
		f->n = row->now->n;
		f->why = row->why;
	}
	qsort(out->flagged, out->nflagged, sizeof(*out->flagged),
	    flagged_compare);
	out->topics = ka_calloc(fb->ntopics, sizeof(*out->topics));
	for (t = 0; t < fb->ntopics; t++) {
		struct ka_feedback_report_topic *topic;

		if (fb->overall[0].mentions[t] == 0)
			continue;
		topic = &out->topics[out->ntopics++];
		topic->topic = ka_topics_name(fb->c.topics, t);
		topic->complaints = fb->overall[0].complaints[t];
		topic->mentions = fb->overall[0].mentions[t];
		topic->prev_complaints = fb->overall[1].complaints[t];
		topic->prev_mentions = fb->overall[1].mentions[t];
	}
	topic_sort_set = fb->c.topics;
	qsort(out->topics, out->ntopics, sizeof(*out->topics), topic_compare);
	topic_sort_set = NULL;
	return 0;
}

void
ka_feedback_report_free(struct ka_feedback_report *report)
{
	free(report->flagged);
	free(report->topics);
	memset(report, 0, sizeof(*report));
}

int
ka_feedback_report_files(const struct ka_feedback_config *config,
    const char *const *files, size_t nfiles,
    const struct ka_reader_options *options, const char *accounts_path,
    ka_feedback **engine, struct ka_feedback_report *out, char *error,
    size_t size)
{
	struct ka_feedback_config c = *config;
	struct ka_reader_options read;
	struct ka_roles roles;
	enum ka_read_status status;
	ka_feedback *fb;
	ka_reader *reader;
	ka_record rec;
	int got, missing = -1;

	*engine = NULL;
	c.nby = 1;
	c.by[0].kind = KA_FEEDBACK_KEY_ROLE;
	c.by[0].role = KA_ROLE_REP;
	c.has_since = 0;
	fb = ka_feedback_new(&c);
	if (accounts_path != NULL && ka_feedback_load_accounts(fb,
	    accounts_path, options, error, size) < 0) {
		ka_feedback_free(fb);
		return -1;
	}
	memset(&read, 0, sizeof(read));
	if (options != NULL)
		read = *options;
	read.progress = 0;
	if ((reader = ka_reader_open(files, nfiles, &read)) == NULL) {
		snprintf(error, size, "%s: cannot be read", nfiles > 0 ?
		    files[0] : "-");
		ka_feedback_free(fb);
		return -1;
	}
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    size) < 0 || ka_feedback_bind(fb, ka_reader_header(reader), &roles,
	    &missing, error, size) < 0) {
		if (missing >= 0)
			snprintf(error, size, "%s: no %s column",
			    nfiles > 0 ? files[0] : "-",
			    ka_role_name((enum ka_role)missing));
		ka_reader_close(reader);
		ka_feedback_free(fb);
		return -1;
	}
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		enum ka_feedback_verdict v;

		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			break;
		}
		v = ka_feedback_add(fb, &rec);
		if (v == KA_FEEDBACK_BAD) {
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_feedback_error(fb));
			break;
		}
		if (v == KA_FEEDBACK_FATAL) {
			snprintf(error, size, "%s", ka_feedback_error(fb));
			break;
		}
	}
	if (got < 0)
		snprintf(error, size, "%s", ka_reader_error(reader));
	ka_reader_close(reader);
	if (got != 0 || ka_feedback_finish(fb, error, size) < 0 ||
	    ka_feedback_report(fb, out) < 0) {
		if (got == 0 && error[0] == '\0')
			snprintf(error, size, "no report");
		ka_feedback_free(fb);
		return -1;
	}
	*engine = fb;
	return 0;
}
