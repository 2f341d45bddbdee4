/*
 * ka_visit: visit cadence, the visit planner, account events, the
 * round-table list and iCalendar files.  See ka_visit.h and ka-visit(1).
 */
#define _XOPEN_SOURCE 700
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_text.h"
#include "ka_visit.h"

#define NONE_ID		(-1)
/* Days before an anniversary a visit may fall on: its "urgent" band. */
#define ANNIVERSARY_LEAD 13

/* ---- memory ---- */

/* qsort, but an empty array may be NULL (qsort's may not). */
static void
sort(void *base, size_t n, size_t size,
    int (*compare)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, compare);
}

/* Grows *array (of *capacity items of size) to hold n + 1 items. */
static void
grow(void *array, size_t *capacity, size_t n, size_t size)
{
	void **p = array;

	if (n < *capacity)
		return;
	*capacity = *capacity ? *capacity * 2 : 16;
	*p = ka_reallocarray(*p, *capacity, size);
}

/* ---- names ---- */

/*
 * Index of the first list (NULL-terminated word lists) holding text.
 * Words compare as header names do (ka_roles_normalise()); the lists are
 * written normalised already ("salesrep" for "Sales Rep"), so only the
 * text is.
 */
static int
word_parse(const char *const *const *lists, int count, const char *text,
    size_t length)
{
	char normal[128];
	int i, j;

	if (length >= sizeof(normal))
		return -1;
	ka_roles_normalise(text, length, normal, sizeof(normal));
	if (normal[0] == '\0')
		return -1;
	for (i = 0; i < count; i++)
		for (j = 0; lists[i][j] != NULL; j++)
			if (strcmp(lists[i][j], normal) == 0)
				return i;
	return -1;
}

static const char *const level_executive[] = { "executive", "exec",
	"executives", "senior", "clevel", "top", "leadership", "board",
	"高层", "高管", "决策层", NULL };
static const char *const level_management[] = { "management", "manager",
	"managers", "middle", "mid", "中层", "管理层", NULL };
static const char *const level_frontline[] = { "frontline", "staff",
	"store", "shopfloor", "operational", "一线", "基层", "一线员工",
	NULL };
static const char *const *const level_words[KA_VISIT_LEVELS] = {
	level_executive, level_management, level_frontline };

static const char *const role_executive[] = { "executive", "exec",
	"director", "vp", "ceo", "高管", "总监", NULL };
static const char *const role_manager[] = { "manager", "mgr",
	"salesmanager", "经理", "主管", NULL };
static const char *const role_rep[] = { "rep", "salesrep",
	"representative", "salesperson", "accountmanager", "销售",
	"销售代表", "业务员", NULL };
static const char *const *const role_words[KA_VISIT_ROLES] = {
	role_executive, role_manager, role_rep };

static const char *const kind_anniversary[] = { "anniversary",
	"周年", "周年庆", "纪念日", NULL };
static const char *const kind_honour[] = { "honour", "honor", "award",
	"荣誉", "获奖", NULL };
static const char *const kind_launch[] = { "launch", "opening", "开业",
	"发布", NULL };
static const char *const kind_move[] = { "move", "relocation", "搬迁",
	"迁址", NULL };
static const char *const kind_meeting[] = { "meeting", "会议", NULL };
static const char *const kind_other[] = { "other", "其他", NULL };
static const char *const *const kind_words[KA_VISIT_KINDS] = {
	kind_anniversary, kind_honour, kind_launch, kind_move, kind_meeting,
	kind_other };

const char *
ka_visit_level_name(enum ka_visit_level level)
{
	return level_words[level][0];
}

int
ka_visit_level_parse(const char *text, size_t length)
{
	return word_parse(level_words, KA_VISIT_LEVELS, text, length);
}

const char *
ka_visit_role_name(enum ka_visit_role role)
{
	return role_words[role][0];
}

int
ka_visit_role_parse(const char *text, size_t length)
{
	return word_parse(role_words, KA_VISIT_ROLES, text, length);
}

const char *
ka_visit_kind_name(enum ka_visit_kind kind)
{
	return kind_words[kind][0];
}

int
ka_visit_kind_parse(const char *text, size_t length)
{
	return word_parse(kind_words, KA_VISIT_KINDS, text, length);
}

const char *
ka_visit_state_name(enum ka_visit_state state)
{
	static const char *const names[] = { "never", "overdue", "due-soon",
		"ok" };

	return names[state];
}

const char *
ka_visit_band_name(int band)
{
	static const char *const names[] = { "urgent", "prepare", "plan",
		"later" };

	return names[band < 0 ? 0 : band > 3 ? 3 : band];
}

/* ---- shares ---- */

static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static int
whole_number(const char *text, size_t length, int64_t limit, int64_t *out)
{
	int64_t n = 0;
	size_t i;

	if (length == 0)
		return -1;
	for (i = 0; i < length; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		n = n * 10 + (text[i] - '0');
		if (n > limit)
			return -1;
	}
	*out = n;
	return 0;
}

int
ka_visit_share_parse(const char *text, size_t length,
    struct ka_visit_share *share)
{
	const char *slash;
	int64_t num, den, g;
	ka_dec value;

	ka_text_trim(&text, &length);
	slash = memchr(text, '/', length);
	if (slash != NULL) {
		const char *a = text, *b = slash + 1;
		size_t alen = (size_t)(slash - text);
		size_t blen = length - alen - 1;

		ka_text_trim(&a, &alen);
		ka_text_trim(&b, &blen);
		if (whole_number(a, alen, 1000000, &num) < 0 ||
		    whole_number(b, blen, 1000000, &den) < 0)
			return -1;
	} else if (length > 0 && text[length - 1] == '%') {
		if (ka_dec_parse(text, length - 1, 0, &value) != KA_DEC_OK)
			return -1;
		num = value;
		den = 100 * KA_DEC_SCALE;
	} else {
		if (ka_dec_parse(text, length, 0, &value) != KA_DEC_OK)
			return -1;
		num = value;
		den = KA_DEC_SCALE;
	}
	if (num <= 0 || den <= 0 || num > den)
		return -1;
	g = gcd64(num, den);
	share->num = num / g;
	share->den = den / g;
	return 0;
}

ka_dec
ka_visit_share_percent(struct ka_visit_share share)
{
	/* Hundredths of a percent, rounded half up, then to 4 places. */
	int64_t hundredths = (share.num * 20000 + share.den) /
	    (2 * share.den);

	return hundredths * 100;
}

struct ka_visit_share
ka_visit_default_share(enum ka_visit_role role)
{
	static const struct ka_visit_share shares[KA_VISIT_ROLES] = {
		{ 1, 3 }, { 1, 2 }, { 4, 5 } };

	return shares[role];
}

/* n / d x 100, rounded half away from zero to 2 places, as a ka_dec. */
static ka_dec
percent(int64_t n, int64_t d)
{
	int64_t hundredths;

	if (d <= 0)
		return 0;
	hundredths = (n * 20000 + d) / (2 * d);
	return hundredths * 100;
}

/* ---- columns ---- */

/* Columns only ka-visit reads; the shared roles come from ka_roles. */
enum vcol {
	VC_VISITOR,
	VC_VISITOR_ROLE,
	VC_CONTACT_LEVEL,
	VC_CONTACT,
	VC_NOTES,
	VC_KIND,
	VC_DESCRIPTION,
	VC_SHARE,
	VC_DAYS_OFF,
	VC_MAX_DAYS,
	VC_SINCE,
	VC_HOLIDAY,
	VC_PERSON,
	VC_COUNT
};

static const char *const vc_visitor[] = { "visitor", "visitor_name",
	"visited_by", "拜访人", "拜访人员", NULL };
static const char *const vc_visitor_role[] = { "visitor_role", "role",
	"title", "position", "角色", "职位", "岗位", NULL };
static const char *const vc_contact_level[] = { "contact_level", "level",
	"contact_role", "联系层级", "层级", "对接层级", NULL };
static const char *const vc_contact[] = { "contact", "contact_name",
	"contact_person", "met", "联系人", "拜访对象", NULL };
static const char *const vc_notes[] = { "notes", "note", "comment",
	"comments", "remarks", "备注", NULL };
static const char *const vc_kind[] = { "kind", "event_kind", "type",
	"event_type", "event", "类型", "事件类型", NULL };
static const char *const vc_description[] = { "description", "title",
	"summary", "details", "event_name", "描述", "说明", "事件", NULL };
static const char *const vc_share[] = { "share", "visit_share",
	"visiting_share", "availability", "capacity", "拜访占比", "占比",
	NULL };
static const char *const vc_days_off[] = { "days_off", "leave", "off",
	"absence", "vacation", "休假", "请假", NULL };
static const char *const vc_max_days[] = { "max_days", "interval",
	"every", "days", "max_interval", "cadence", "间隔天数", "最长间隔",
	NULL };
static const char *const vc_since[] = { "since", "customer_since",
	"account_since", "start_date", "created", "opened", "开户日期",
	"合作开始日期", "建档日期", NULL };
static const char *const vc_holiday[] = { "holiday", "holiday_name",
	"name", "description", "节日", "假日", "名称", NULL };
static const char *const vc_person[] = { "name", "full_name", "姓名",
	NULL };

static const char *const *const vc_aliases[VC_COUNT] = {
	vc_visitor, vc_visitor_role, vc_contact_level, vc_contact, vc_notes,
	vc_kind, vc_description, vc_share, vc_days_off, vc_max_days,
	vc_since, vc_holiday, vc_person };

/* The columns --col may name, by their first alias. */
static int
vcol_from_name(const char *name, size_t length)
{
	int c;

	for (c = 0; c < VC_COUNT; c++)
		if (c != VC_HOLIDAY && c != VC_PERSON &&
		    strlen(vc_aliases[c][0]) == length &&
		    memcmp(vc_aliases[c][0], name, length) == 0)
			return c;
	return -1;
}

/* Where each column of one input is: -1 when absent. */
struct binding {
	const ka_record	*header;
	const char	*file;
	long		 role[KA_ROLE_COUNT];
	long		 vcol[VC_COUNT];
	int		 main_input;	/* --col applies: hint at it */
};

/* ---- the engine ---- */

struct contact {
	char		*name;
	ka_date		 last;
};

struct account {
	char		*id, *name, *region, *city, *owner;
	int		 tier;		/* policy index; -1: not followed */
	long		 rank;		/* 0: none */
	ka_date		 since;		/* KA_DATE_NONE */
	int		 region_id, city_id;	/* -1: none */
	int		 order;		/* by customer_id, for the planner */
	int		 seen_in;	/* accounts file index it was last on */
	unsigned long	 seen_line;
	/* From the log. */
	ka_date		 last[KA_VISIT_LEVELS];
	uint32_t	 last_visitor[KA_VISIT_LEVELS];	/* name id, or NO_NAME */
	ka_date		 last_executive;
	unsigned long	 executive_visits;	/* in the 365 days to as_of */
	struct contact	*contacts;
	size_t		 ncontacts, contacts_capacity;
};

#define NO_NAME UINT32_MAX

struct day_range {
	ka_date		 first, last;
};

struct visitor {
	char		*name;
	int		 role;		/* -1: unknown (log only, no role) */
	ka_date		 role_date;	/* the log row the role is from */
	char		*region;
	int		 region_id;
	struct ka_visit_share share;
	struct day_range *off;
	size_t		 noff, off_capacity;
	unsigned	 weekdays_off;	/* bit 1 Monday .. bit 7 Sunday */
	int		 from_file;
	/* Days with a logged visit: appended, sorted and made unique
	   when the array fills and before use. */
	ka_date		*days;
	size_t		 ndays, days_capacity;
};

struct holiday {
	ka_date		 date;
	int		 region_id;	/* -1: everyone */
};

struct event {
	int		 account;	/* -1: not among the accounts */
	char		*customer_id, *customer, *description;
	ka_date		 date;
	enum ka_visit_kind kind;
};

#define MAX_TIERS 32

struct ka_visit {
	struct ka_visit_config config;
	char		*override[VC_COUNT];

	/* Policy. */
	char		*tier[MAX_TIERS];
	int		 max_days[MAX_TIERS][KA_VISIT_LEVELS];	/* 0: none */
	int		 ntiers;
	int		 selected[MAX_TIERS];
	int		 any_selected;
	int		 policy_loaded;

	ka_keys		*account_keys;	/* id -> account index */
	struct account	*accounts;
	size_t		 naccounts, accounts_capacity;

	ka_keys		*visitor_keys;	/* name -> visitor index */
	struct visitor	*visitors;
	size_t		 nvisitors, visitors_capacity;
	int		 have_visitors_file;
	char		*visitors_file;

	ka_keys		*names;		/* every visitor name from the log */
	ka_keys		*regions, *cities;

	struct holiday	*holidays;	/* sorted by date after loading */
	size_t		 nholidays, holidays_capacity;

	struct event	*events;
	size_t		 nevents, events_capacity;

	struct ka_visit_counts counts;
	char		*accounts_file;	/* first one, for messages */
	int		 accounts_file_index;	/* the one being read */
};

void
ka_visit_config_init(struct ka_visit_config *config)
{
	memset(config, 0, sizeof(*config));
	config->as_of = ka_date_today();
	config->soon_days = 7;
}

static void
default_policy(ka_visit *v)
{
	static const int days[3][KA_VISIT_LEVELS] = {
		{ 90, 30, 14 }, { 180, 60, 30 }, { 0, 180, 60 } };
	static const char *const names[3] = { "A", "B", "C" };
	int t;

	for (t = 0; t < v->ntiers; t++)
		free(v->tier[t]);
	v->ntiers = 3;
	for (t = 0; t < 3; t++) {
		v->tier[t] = ka_strndup(names[t], 1);
		memcpy(v->max_days[t], days[t], sizeof(days[t]));
	}
}

ka_visit *
ka_visit_new(const struct ka_visit_config *config)
{
	ka_visit *v = ka_calloc(1, sizeof(*v));

	v->config = *config;
	if (v->config.soon_days < 0)
		v->config.soon_days = 0;
	v->account_keys = ka_keys_new();
	v->visitor_keys = ka_keys_new();
	v->names = ka_keys_new();
	v->regions = ka_keys_new();
	v->cities = ka_keys_new();
	default_policy(v);
	return v;
}

void
ka_visit_free(ka_visit *v)
{
	size_t i, j;
	int t;

	if (v == NULL)
		return;
	for (i = 0; i < VC_COUNT; i++)
		free(v->override[i]);
	for (t = 0; t < v->ntiers; t++)
		free(v->tier[t]);
	for (i = 0; i < v->naccounts; i++) {
		struct account *a = &v->accounts[i];

		free(a->id);
		free(a->name);
		free(a->region);
		free(a->city);
		free(a->owner);
		for (j = 0; j < a->ncontacts; j++)
			free(a->contacts[j].name);
		free(a->contacts);
	}
	free(v->accounts);
	for (i = 0; i < v->nvisitors; i++) {
		free(v->visitors[i].name);
		free(v->visitors[i].region);
		free(v->visitors[i].off);
		free(v->visitors[i].days);
	}
	free(v->visitors);
	for (i = 0; i < v->nevents; i++) {
		free(v->events[i].customer_id);
		free(v->events[i].customer);
		free(v->events[i].description);
	}
	free(v->events);
	free(v->holidays);
	free(v->visitors_file);
	free(v->accounts_file);
	ka_keys_free(v->account_keys);
	ka_keys_free(v->visitor_keys);
	ka_keys_free(v->names);
	ka_keys_free(v->regions);
	ka_keys_free(v->cities);
	free(v);
}

const struct ka_visit_counts *
ka_visit_counts(const ka_visit *v)
{
	return &v->counts;
}

void
ka_visit_warn_unused(const ka_visit *v, int visits, ka_date as_of)
{
	const struct ka_visit_counts *c = &v->counts;
	char day[KA_DATE_BUFSIZE];

	if (c->accounts_untiered > 0)
		ka_warn("%lu %s no tier and %s not followed (%s%s)",
		    c->accounts_untiered, c->accounts_untiered == 1 ?
		    "account has" : "accounts have", c->accounts_untiered == 1 ?
		    "is" : "are", c->accounts_untiered == 1 ? "" : "first: ",
		    c->first_untiered);
	if (!visits)
		return;
	if (c->visits_unknown_account > 0)
		ka_warn("%lu %s to customers not in the accounts %s not "
		    "counted (%s%s)", c->visits_unknown_account,
		    c->visits_unknown_account == 1 ? "visit" : "visits",
		    c->visits_unknown_account == 1 ? "was" : "were",
		    c->visits_unknown_account == 1 ? "" : "first: ",
		    c->first_unknown);
	if (c->visits_after_as_of > 0) {
		ka_date_format(as_of, day);
		ka_warn("%lu %s dated after %s %s not counted (%s%s)",
		    c->visits_after_as_of, c->visits_after_as_of == 1 ?
		    "visit" : "visits", day, c->visits_after_as_of == 1 ?
		    "was" : "were", c->visits_after_as_of == 1 ? "" :
		    "first: ", c->first_after);
	}
}

size_t
ka_visit_tiers(const ka_visit *v, const char *const **names)
{
	*names = (const char *const *)v->tier;
	return (size_t)v->ntiers;
}

int
ka_visit_override(ka_visit *v, const char *spec, char *error, size_t size)
{
	const char *equals = strchr(spec, '=');
	int c;

	if (equals == NULL)
		return 0;
	if ((c = vcol_from_name(spec, (size_t)(equals - spec))) < 0)
		return 0;
	if (equals[1] == '\0') {
		snprintf(error, size, "bad --col \"%s\": expected ROLE=NAME "
		    "or ROLE=N", spec);
		return -1;
	}
	free(v->override[c]);
	v->override[c] = ka_strndup(equals + 1, strlen(equals + 1));
	return 1;
}

static int
tier_index(const ka_visit *v, const char *text, size_t length)
{
	int t;

	for (t = 0; t < v->ntiers; t++)
		if (strlen(v->tier[t]) == length &&
		    memcmp(v->tier[t], text, length) == 0)
			return t;
	return -1;
}

/* "A, B, C" */
static void
tier_list(const ka_visit *v, char *out, size_t size)
{
	size_t used = 0;
	int t, n;

	out[0] = '\0';
	for (t = 0; t < v->ntiers && used < size; t++) {
		n = snprintf(out + used, size - used, "%s%s", t ? ", " : "",
		    v->tier[t]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int
ka_visit_select_tiers(ka_visit *v, const char *list, char *error,
    size_t size)
{
	const char *p = list, *comma;
	char known[256];
	int t;

	for (;;) {
		const char *text = p;
		size_t length;

		comma = strchr(p, ',');
		length = comma != NULL ? (size_t)(comma - p) : strlen(p);
		ka_text_trim(&text, &length);
		if ((t = tier_index(v, text, length)) < 0) {
			tier_list(v, known, sizeof(known));
			snprintf(error, size, "unknown tier \"%.*s\" in --tier "
			    "(the policy has %s)", (int)length, text, known);
			return -1;
		}
		v->selected[t] = 1;
		v->any_selected = 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

static int
tier_followed(const ka_visit *v, int tier)
{
	return tier >= 0 && (!v->any_selected || v->selected[tier]);
}

/* ---- reading ---- */

/*
 * The message of a missing column, as ka_roles_require() writes it:
 * what the header has, the aliases tried, and for the main input how
 * to name the column.
 */
static int
no_column(const struct binding *b, const char *name,
    const char *const *aliases, char *error, size_t size)
{
	char seen[1024], tried[1024];
	size_t i, used = 0;
	int n;

	seen[0] = tried[0] = '\0';
	for (i = 0; i < b->header->nfields && used < sizeof(seen); i++) {
		n = snprintf(seen + used, sizeof(seen) - used, "%s%s",
		    i ? ", " : "", ka_field(b->header, i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	used = 0;
	for (i = 0; aliases[i] != NULL && used < sizeof(tried); i++) {
		n = snprintf(tried + used, sizeof(tried) - used, "%s%s",
		    i ? ", " : "", aliases[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (b->main_input)
		snprintf(error, size, "%s: no %s column; the header has: %s; "
		    "tried: %s; name one with --col %s=NAME", b->file, name,
		    seen, tried, name);
	else
		snprintf(error, size, "%s: no %s column; the header has: %s; "
		    "tried: %s", b->file, name, seen, tried);
	return KA_VISIT_NO_COLUMN;
}

static int
require_role(const struct binding *b, enum ka_role role, char *error,
    size_t size)
{
	if (b->role[role] >= 0)
		return 0;
	return no_column(b, ka_role_name(role), ka_role_aliases(role), error,
	    size);
}

static int
require_vcol(const struct binding *b, enum vcol c, char *error, size_t size)
{
	if (b->vcol[c] >= 0)
		return 0;
	return no_column(b, vc_aliases[c][0], vc_aliases[c], error, size);
}

/* "N" (1-based) as a column index, or -1. */
static long
column_number(const char *text, size_t nfields)
{
	int64_t n;

	if (whole_number(text, strlen(text), 1000000, &n) < 0 || n < 1 ||
	    (size_t)n > nfields)
		return -1;
	return (long)n - 1;
}

/*
 * Finds the columns of one input: shared roles from roles (resolved by
 * the caller for the main input) or by their aliases, ka-visit's own by
 * theirs, or by --col for the main input.
 */
static int
bind(ka_visit *v, struct binding *b, const ka_record *header,
    const struct ka_roles *roles, int main_input, char *error, size_t size)
{
	struct ka_roles own;
	char normal[256], alias[128];
	int best[VC_COUNT], c, i;
	size_t f;

	memset(b, 0, sizeof(*b));
	b->header = header;
	b->file = header->file != NULL ? header->file : "-";
	b->main_input = main_input;
	if (roles == NULL) {
		ka_roles_init(&own);
		if (ka_roles_resolve(&own, header, error, size) < 0)
			return KA_VISIT_NO_COLUMN;
		roles = &own;
	}
	for (i = 0; i < KA_ROLE_COUNT; i++)
		b->role[i] = roles->column[i];
	for (c = 0; c < VC_COUNT; c++) {
		b->vcol[c] = -1;
		best[c] = INT_MAX;
	}
	for (f = 0; f < header->nfields; f++) {
		ka_roles_normalise(ka_field(header, f),
		    ka_field_length(header, f), normal, sizeof(normal));
		if (normal[0] == '\0')
			continue;
		for (c = 0; c < VC_COUNT; c++)
			for (i = 0; vc_aliases[c][i] != NULL && i < best[c];
			    i++) {
				ka_roles_normalise(vc_aliases[c][i],
				    strlen(vc_aliases[c][i]), alias,
				    sizeof(alias));
				if (strcmp(alias, normal) == 0) {
					best[c] = i;
					b->vcol[c] = (long)f;
				}
			}
	}
	if (!main_input)
		return 0;
	for (c = 0; c < VC_COUNT; c++) {
		long column;

		if (v->override[c] == NULL)
			continue;
		column = ka_header_index(header, v->override[c]);
		if (column < 0)
			column = column_number(v->override[c],
			    header->nfields);
		if (column < 0) {
			snprintf(error, size, "--col %s=%s: no such column "
			    "(the header has %zu)", vc_aliases[c][0],
			    v->override[c], header->nfields);
			return KA_VISIT_NO_COLUMN;
		}
		b->vcol[c] = column;
	}
	return 0;
}

/* A field, trimmed; empty when the column is absent or --null. */
static void
get(const ka_visit *v, const ka_record *rec, long column, const char **text,
    size_t *length)
{
	if (column < 0 || (size_t)column >= rec->nfields) {
		*text = "";
		*length = 0;
		return;
	}
	*text = ka_field(rec, (size_t)column);
	*length = ka_field_length(rec, (size_t)column);
	ka_text_trim(text, length);
	if (v->config.null_string != NULL &&
	    strlen(v->config.null_string) == *length &&
	    memcmp(v->config.null_string, *text, *length) == 0)
		*length = 0;
}

static int
parse_date(const ka_visit *v, const char *text, size_t length, ka_date *d)
{
	if (ka_date_parse(text, length, d) == 0)
		return 0;
	if (v->config.date_format != NULL)
		return ka_date_parse_format(text, length,
		    v->config.date_format, d);
	return -1;
}

/*
 * A bad row: with rejects, written there (1: skip it); else the
 * message "FILE:LINE: column N (name): what" in error (-1: stop).
 */
static int
bad_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    long column, char *error, size_t size, const char *format, ...)
    __attribute__((format(printf, 7, 8)));

static int
bad_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    long column, char *error, size_t size, const char *format, ...)
{
	char what[768], reason[1024];
	va_list args;

	va_start(args, format);
	vsnprintf(what, sizeof(what), format, args);
	va_end(args);
	if (column >= 0)
		snprintf(reason, sizeof(reason), "column %ld (%s): %s",
		    column + 1, ka_field(b->header, (size_t)column), what);
	else
		snprintf(reason, sizeof(reason), "%s", what);
	if (v->config.rejects != NULL) {
		ka_rejects_add(v->config.rejects, rec,
		    column >= 0 ? (size_t)column + 1 : 0, reason);
		v->counts.rows_rejected++;
		return 1;
	}
	snprintf(error, size, "%s:%lu: %s", rec->file, rec->line, reason);
	return KA_VISIT_BAD_DATA;
}

/* A record the reader flagged (bad UTF-8, field count, NUL). */
static int
bad_read(ka_visit *v, ka_reader *reader, const ka_record *rec, char *error,
    size_t size)
{
	const char *e = ka_reader_error(reader);

	if (v->config.rejects != NULL) {
		ka_rejects_add(v->config.rejects, rec,
		    ka_reader_error_column(reader), ka_reader_reason(reader));
		v->counts.rows_rejected++;
		return 1;
	}
	snprintf(error, size, "%s", e);
	return KA_VISIT_BAD_DATA;
}

typedef int (*row_function)(ka_visit *v, const struct binding *b,
    const ka_record *rec, char *error, size_t size);

/*
 * Every record of reader through row().  row() returns 0 (used), 1
 * (skipped, already counted) or a negative status that stops.
 */
static int
each_row(ka_visit *v, ka_reader *reader, const struct binding *b,
    ka_filter *filter, row_function row, unsigned long *read,
    unsigned long *filtered, char *error, size_t size)
{
	enum ka_read_status status;
	ka_record rec;
	int got, r;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (read != NULL)
			(*read)++;
		if (status != KA_READ_OK) {
			if ((r = bad_read(v, reader, &rec, error, size)) < 0)
				return r;
			continue;
		}
		if (filter != NULL) {
			r = ka_filter_match(filter, &rec, error, size);
			if (r < 0)
				return KA_VISIT_BAD_DATA;
			if (r == 0) {
				if (filtered != NULL)
					(*filtered)++;
				continue;
			}
		}
		if ((r = row(v, b, &rec, error, size)) < 0)
			return r;
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		return KA_VISIT_BAD_DATA;
	}
	return 0;
}

/* Opens a side file (accounts, policy, ...): always with a header. */
static ka_reader *
open_side(const char *path, const struct ka_reader_options *options,
    char *error, size_t size)
{
	struct ka_reader_options o;
	ka_reader *reader;

	memset(&o, 0, sizeof(o));
	if (options != NULL)
		o = *options;
	/* -H, -d and --encoding describe the main input only. */
	o.no_header = 0;
	o.delimiter = 0;
	o.encoding = NULL;
	o.progress = 0;
	reader = ka_reader_open(&path, 1, &o);
	/* The reader has said what is wrong. */
	if (reader == NULL && size > 0)
		error[0] = '\0';
	return reader;
}

/* ---- policy ---- */

static int
policy_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *text;
	size_t length;
	int t, level;
	int64_t days;

	get(v, rec, b->role[KA_ROLE_TIER], &text, &length);
	if (length == 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_TIER], error, size,
		    "empty tier");
	if ((t = tier_index(v, text, length)) < 0) {
		if (v->ntiers == MAX_TIERS)
			return bad_row(v, b, rec, b->role[KA_ROLE_TIER], error,
			    size, "more than %d tiers", MAX_TIERS);
		t = v->ntiers++;
		v->tier[t] = ka_strndup(text, length);
		memset(v->max_days[t], 0, sizeof(v->max_days[t]));
	}
	get(v, rec, b->vcol[VC_CONTACT_LEVEL], &text, &length);
	if ((level = ka_visit_level_parse(text, length)) < 0)
		return bad_row(v, b, rec, b->vcol[VC_CONTACT_LEVEL], error,
		    size, "unknown contact level \"%.*s\" (executive, "
		    "management, frontline)",
		    ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_MAX_DAYS], &text, &length);
	/* Empty or "-": the level is not followed for this tier. */
	if (length == 0 || (length == 1 && text[0] == '-'))
		days = 0;
	else if (whole_number(text, length, 3660, &days) < 0 || days < 1)
		return bad_row(v, b, rec, b->vcol[VC_MAX_DAYS], error, size,
		    "bad number of days \"%.*s\": expected a whole number "
		    "1..3660, or - for none",
		    ka_text_shown(text, length), text);
	if (v->max_days[t][level] != 0)
		return bad_row(v, b, rec, b->vcol[VC_CONTACT_LEVEL], error,
		    size, "tier %s, %s level given twice", v->tier[t],
		    ka_visit_level_name((enum ka_visit_level)level));
	/* -1 marks "given as none", so a second row is still caught. */
	v->max_days[t][level] = days > 0 ? (int)days : -1;
	return 0;
}

int
ka_visit_load_policy(ka_visit *v, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b;
	ka_reader *reader;
	int r, t, l;

	if (path == NULL) {
		default_policy(v);
		return 0;
	}
	if ((reader = open_side(path, options, error, size)) == NULL)
		return KA_VISIT_BAD_DATA;
	for (t = 0; t < v->ntiers; t++)
		free(v->tier[t]);
	v->ntiers = 0;
	r = bind(v, &b, ka_reader_header(reader), NULL, 0, error, size);
	if (r == 0 && (r = require_role(&b, KA_ROLE_TIER, error, size)) == 0 &&
	    (r = require_vcol(&b, VC_CONTACT_LEVEL, error, size)) == 0 &&
	    (r = require_vcol(&b, VC_MAX_DAYS, error, size)) == 0)
		r = each_row(v, reader, &b, NULL, policy_row, NULL, NULL,
		    error, size);
	ka_reader_close(reader);
	if (r < 0)
		return r;
	if (v->ntiers == 0) {
		snprintf(error, size, "%s: no tiers: the policy needs rows "
		    "tier,contact_level,max_days", path);
		return KA_VISIT_BAD_DATA;
	}
	for (t = 0; t < v->ntiers; t++)
		for (l = 0; l < KA_VISIT_LEVELS; l++)
			if (v->max_days[t][l] < 0)
				v->max_days[t][l] = 0;
	v->policy_loaded = 1;
	return 0;
}

void
ka_visit_write_policy(const ka_visit *v, ka_writer *w)
{
	static const char *const names[] = { "tier", "contact_level",
		"max_days" };
	int t, l;

	ka_writer_header(w, names, 3);
	for (t = 0; t < v->ntiers; t++)
		for (l = 0; l < KA_VISIT_LEVELS; l++) {
			if (v->max_days[t][l] <= 0)
				continue;
			ka_writer_string(w, v->tier[t]);
			ka_writer_string(w,
			    ka_visit_level_name((enum ka_visit_level)l));
			ka_writer_integer(w, v->max_days[t][l]);
			ka_writer_end_row(w);
		}
}

/* ---- accounts ---- */

static int
key_id(ka_keys *keys, const char *text, size_t length)
{
	if (length == 0)
		return -1;
	return (int)ka_keys_intern(keys, text, length, NULL);
}

static void
set_text(char **field, const char *text, size_t length)
{
	if (*field == NULL && length > 0)
		*field = ka_strndup(text, length);
}

static int
account_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *text, *id;
	size_t length, id_length;
	struct account *a;
	uint32_t index;
	int added, t, l;
	int64_t rank;
	ka_date since;

	get(v, rec, b->role[KA_ROLE_CUSTOMER_ID], &id, &id_length);
	if (id_length == 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_CUSTOMER_ID], error,
		    size, "empty customer_id");
	get(v, rec, b->role[KA_ROLE_TIER], &text, &length);
	t = -1;
	if (length > 0 && (t = tier_index(v, text, length)) < 0) {
		char known[256];

		tier_list(v, known, sizeof(known));
		return bad_row(v, b, rec, b->role[KA_ROLE_TIER], error, size,
		    "unknown tier \"%.*s\" (the policy has %s)",
		    ka_text_shown(text, length), text, known);
	}
	get(v, rec, b->role[KA_ROLE_RANK], &text, &length);
	rank = 0;
	if (length > 0 && (whole_number(text, length, 100000000, &rank) < 0 ||
	    rank < 1))
		return bad_row(v, b, rec, b->role[KA_ROLE_RANK], error, size,
		    "not a rank: \"%.*s\"", ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_SINCE], &text, &length);
	since = KA_DATE_NONE;
	if (length > 0 && parse_date(v, text, length, &since) < 0)
		return bad_row(v, b, rec, b->vcol[VC_SINCE], error, size,
		    "not a date: \"%.*s\"", ka_text_shown(text, length), text);

	index = ka_keys_intern(v->account_keys, id, id_length, &added);
	if (added) {
		grow(&v->accounts, &v->accounts_capacity, v->naccounts,
		    sizeof(*v->accounts));
		a = &v->accounts[v->naccounts++];
		memset(a, 0, sizeof(*a));
		a->id = ka_strndup(id, id_length);
		a->tier = -1;
		a->since = KA_DATE_NONE;
		a->region_id = a->city_id = -1;
		a->last_executive = KA_DATE_NONE;
		a->seen_in = -1;
		for (l = 0; l < KA_VISIT_LEVELS; l++) {
			a->last[l] = KA_DATE_NONE;
			a->last_visitor[l] = NO_NAME;
		}
	}
	a = &v->accounts[index];
	if (a->seen_in == v->accounts_file_index)
		return bad_row(v, b, rec, b->role[KA_ROLE_CUSTOMER_ID], error,
		    size, "customer_id %s given twice (also line %lu)", a->id,
		    a->seen_line);
	a->seen_in = v->accounts_file_index;
	a->seen_line = rec->line;
	if (a->tier < 0)
		a->tier = t;
	if (a->rank == 0)
		a->rank = (long)rank;
	if (a->since == KA_DATE_NONE)
		a->since = since;
	get(v, rec, b->role[KA_ROLE_CUSTOMER], &text, &length);
	set_text(&a->name, text, length);
	get(v, rec, b->role[KA_ROLE_REGION], &text, &length);
	if (a->region == NULL && length > 0) {
		set_text(&a->region, text, length);
		a->region_id = key_id(v->regions, text, length);
	}
	get(v, rec, b->role[KA_ROLE_CITY], &text, &length);
	if (a->city == NULL && length > 0) {
		set_text(&a->city, text, length);
		a->city_id = key_id(v->cities, text, length);
	}
	get(v, rec, b->role[KA_ROLE_OWNER], &text, &length);
	set_text(&a->owner, text, length);
	return 0;
}

int
ka_visit_load_accounts(ka_visit *v, const char *const *paths, size_t npaths,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b, first;
	ka_reader *reader, *first_reader = NULL;
	size_t i;
	int r = 0, has_tier = 0;

	memset(&first, 0, sizeof(first));
	for (i = 0; i < npaths && r == 0; i++) {
		if ((reader = open_side(paths[i], options, error, size)) ==
		    NULL)
			return KA_VISIT_BAD_DATA;
		if (v->accounts_file == NULL)
			v->accounts_file = ka_strndup(paths[i],
			    strlen(paths[i]));
		r = bind(v, &b, ka_reader_header(reader), NULL, 0, error,
		    size);
		if (r == 0)
			r = require_role(&b, KA_ROLE_CUSTOMER_ID, error, size);
		if (r == 0) {
			has_tier |= b.role[KA_ROLE_TIER] >= 0;
			v->accounts_file_index = (int)i;
			r = each_row(v, reader, &b, NULL, account_row, NULL,
			    NULL, error, size);
		}
		if (i == 0 && r == 0) {
			first = b;
			first_reader = reader;
		} else {
			ka_reader_close(reader);
		}
	}
	if (r == 0 && !has_tier && first_reader != NULL)
		r = require_role(&first, KA_ROLE_TIER, error, size);
	if (first_reader != NULL)
		ka_reader_close(first_reader);
	if (r < 0)
		return r;
	for (i = 0; i < v->naccounts; i++)
		if (v->accounts[i].tier < 0 &&
		    v->counts.accounts_untiered++ == 0)
			snprintf(v->counts.first_untiered,
			    sizeof(v->counts.first_untiered), "%s",
			    v->accounts[i].id);
	return 0;
}

/* ---- visitors ---- */

static struct visitor *
add_visitor(ka_visit *v, const char *name, size_t length, int *added)
{
	uint32_t index = ka_keys_intern(v->visitor_keys, name, length, added);
	struct visitor *p;

	if (!*added)
		return &v->visitors[index];
	grow(&v->visitors, &v->visitors_capacity, v->nvisitors,
	    sizeof(*v->visitors));
	p = &v->visitors[v->nvisitors++];
	memset(p, 0, sizeof(*p));
	p->name = ka_strndup(name, length);
	p->role = -1;
	p->role_date = KA_DATE_NONE;
	p->region_id = -1;
	return p;
}

static int
weekday_parse(const char *text, size_t length)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu",
		"fri", "sat", "sun" };
	static const char *const long_days[] = { "monday", "tuesday",
		"wednesday", "thursday", "friday", "saturday", "sunday" };
	char word[16];
	int i;

	if (length >= sizeof(word))
		return -1;
	for (i = 0; (size_t)i < length; i++)
		word[i] = (char)tolower((unsigned char)text[i]);
	word[length] = '\0';
	for (i = 0; i < 7; i++)
		if (strcmp(word, days[i]) == 0 ||
		    strcmp(word, long_days[i]) == 0)
			return i + 1;
	return -1;
}

/*
 * Days off: dates, FIRST..LAST ranges and weekday names, separated by
 * ';', ',' or spaces.  0, or -1 with the bad item in *bad.
 */
static int
parse_days_off(const ka_visit *v, struct visitor *p, const char *text,
    size_t length, const char **bad, size_t *bad_length)
{
	size_t i = 0;

	while (i < length) {
		size_t start, end;
		const char *item, *dots;
		size_t item_length;
		ka_date first, last;
		int w;

		while (i < length && (text[i] == ';' || text[i] == ',' ||
		    text[i] == ' ' || text[i] == '\t'))
			i++;
		start = i;
		while (i < length && text[i] != ';' && text[i] != ',' &&
		    text[i] != ' ' && text[i] != '\t')
			i++;
		end = i;
		if (end == start)
			continue;
		item = text + start;
		item_length = end - start;
		*bad = item;
		*bad_length = item_length;
		if ((w = weekday_parse(item, item_length)) > 0) {
			p->weekdays_off |= 1u << w;
			continue;
		}
		dots = NULL;
		if (item_length > 2) {
			size_t k;

			for (k = 0; k + 1 < item_length; k++)
				if (item[k] == '.' && item[k + 1] == '.') {
					dots = item + k;
					break;
				}
		}
		if (dots != NULL) {
			if (parse_date(v, item, (size_t)(dots - item),
			    &first) < 0 || parse_date(v, dots + 2,
			    item_length - (size_t)(dots - item) - 2,
			    &last) < 0 || last < first)
				return -1;
		} else {
			if (parse_date(v, item, item_length, &first) < 0)
				return -1;
			last = first;
		}
		grow(&p->off, &p->off_capacity, p->noff, sizeof(*p->off));
		p->off[p->noff].first = first;
		p->off[p->noff].last = last;
		p->noff++;
	}
	return 0;
}

static int
visitor_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *name, *text, *bad = "";
	size_t name_length, length, bad_length = 0;
	long name_column = b->vcol[VC_VISITOR] >= 0 ? b->vcol[VC_VISITOR] :
	    b->vcol[VC_PERSON];
	struct visitor *p;
	struct ka_visit_share share;
	int role, added;

	get(v, rec, name_column, &name, &name_length);
	if (name_length == 0)
		return bad_row(v, b, rec, name_column, error, size,
		    "empty visitor name");
	get(v, rec, b->vcol[VC_VISITOR_ROLE], &text, &length);
	if ((role = ka_visit_role_parse(text, length)) < 0)
		return bad_row(v, b, rec, b->vcol[VC_VISITOR_ROLE], error, size,
		    "unknown role \"%.*s\" (executive, manager, rep)",
		    ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_SHARE], &text, &length);
	share = ka_visit_default_share((enum ka_visit_role)role);
	if (length > 0 && ka_visit_share_parse(text, length, &share) < 0)
		return bad_row(v, b, rec, b->vcol[VC_SHARE], error, size,
		    "bad share \"%.*s\": expected a fraction above 0 and at "
		    "most 1, like 1/3, 33%% or 0.33",
		    ka_text_shown(text, length),
		    text);
	p = add_visitor(v, name, name_length, &added);
	if (!added)
		return bad_row(v, b, rec, name_column, error, size,
		    "visitor \"%s\" given twice", p->name);
	p->from_file = 1;
	p->role = role;
	p->share = share;
	get(v, rec, b->role[KA_ROLE_REGION], &text, &length);
	if (length > 0) {
		p->region = ka_strndup(text, length);
		p->region_id = key_id(v->regions, text, length);
	}
	get(v, rec, b->vcol[VC_DAYS_OFF], &text, &length);
	if (parse_days_off(v, p, text, length, &bad, &bad_length) < 0)
		return bad_row(v, b, rec, b->vcol[VC_DAYS_OFF], error, size,
		    "bad day off \"%.*s\": expected a date, FIRST..LAST or a "
		    "weekday like Fri", ka_text_shown(bad, bad_length), bad);
	return 0;
}

int
ka_visit_load_visitors(ka_visit *v, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b;
	ka_reader *reader;
	int r;

	if ((reader = open_side(path, options, error, size)) == NULL)
		return KA_VISIT_BAD_DATA;
	r = bind(v, &b, ka_reader_header(reader), NULL, 0, error, size);
	if (r == 0 && b.vcol[VC_VISITOR] < 0 && b.vcol[VC_PERSON] < 0)
		r = require_vcol(&b, VC_VISITOR, error, size);
	if (r == 0)
		r = require_vcol(&b, VC_VISITOR_ROLE, error, size);
	if (r == 0)
		r = each_row(v, reader, &b, NULL, visitor_row, NULL, NULL,
		    error, size);
	ka_reader_close(reader);
	v->have_visitors_file = 1;
	free(v->visitors_file);
	v->visitors_file = ka_strndup(path, strlen(path));
	return r;
}

/* ---- holidays ---- */

static int
holiday_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *text;
	size_t length;
	struct holiday *h;
	ka_date d;

	get(v, rec, b->role[KA_ROLE_DATE], &text, &length);
	if (parse_date(v, text, length, &d) < 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_DATE], error, size,
		    "not a date: \"%.*s\"", ka_text_shown(text, length), text);
	grow(&v->holidays, &v->holidays_capacity, v->nholidays,
	    sizeof(*v->holidays));
	h = &v->holidays[v->nholidays++];
	h->date = d;
	get(v, rec, b->role[KA_ROLE_REGION], &text, &length);
	h->region_id = key_id(v->regions, text, length);
	return 0;
}

static int
holiday_compare(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (x->region_id > y->region_id) - (x->region_id < y->region_id);
}

int
ka_visit_load_holidays(ka_visit *v, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b;
	ka_reader *reader;
	int r;

	if ((reader = open_side(path, options, error, size)) == NULL)
		return KA_VISIT_BAD_DATA;
	r = bind(v, &b, ka_reader_header(reader), NULL, 0, error, size);
	if (r == 0)
		r = require_role(&b, KA_ROLE_DATE, error, size);
	if (r == 0)
		r = each_row(v, reader, &b, NULL, holiday_row, NULL, NULL,
		    error, size);
	ka_reader_close(reader);
	sort(v->holidays, v->nholidays, sizeof(*v->holidays),
	    holiday_compare);
	return r;
}

/* Is d a holiday for region (-1: only holidays for everyone count)? */
static int
is_holiday(const ka_visit *v, ka_date d, int region_id)
{
	size_t low = 0, high = v->nholidays;

	while (low < high) {
		size_t mid = (low + high) / 2;

		if (v->holidays[mid].date < d)
			low = mid + 1;
		else
			high = mid;
	}
	for (; low < v->nholidays && v->holidays[low].date == d; low++)
		if (v->holidays[low].region_id < 0 ||
		    (region_id >= 0 && v->holidays[low].region_id == region_id))
			return 1;
	return 0;
}

static int
is_off(const struct visitor *p, ka_date d)
{
	size_t i;

	if (p->weekdays_off & (1u << ka_date_weekday(d)))
		return 1;
	for (i = 0; i < p->noff; i++)
		if (d >= p->off[i].first && d <= p->off[i].last)
			return 1;
	return 0;
}

int
ka_visit_working_days(const ka_visit *v, const char *visitor, ka_date first,
    ka_date last)
{
	const struct visitor *p = NULL;
	int64_t index;
	int n = 0;
	ka_date d;

	if (visitor != NULL && (index = ka_keys_find(v->visitor_keys,
	    visitor, strlen(visitor))) >= 0)
		p = &v->visitors[index];
	for (d = first; d <= last; d++) {
		if (ka_date_weekday(d) > 5)
			continue;
		if (is_holiday(v, d, p != NULL ? p->region_id : -1))
			continue;
		if (p != NULL && is_off(p, d))
			continue;
		n++;
	}
	return n;
}

/* ---- events ---- */

static int
event_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *id, *text;
	size_t id_length, length;
	struct event *e;
	int64_t index;
	ka_date d;
	int kind;

	get(v, rec, b->role[KA_ROLE_CUSTOMER_ID], &id, &id_length);
	if (id_length == 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_CUSTOMER_ID], error,
		    size, "empty customer_id");
	get(v, rec, b->role[KA_ROLE_DATE], &text, &length);
	if (parse_date(v, text, length, &d) < 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_DATE], error, size,
		    "not a date: \"%.*s\"", ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_KIND], &text, &length);
	if ((kind = ka_visit_kind_parse(text, length)) < 0)
		return bad_row(v, b, rec, b->vcol[VC_KIND], error, size,
		    "unknown kind \"%.*s\" (anniversary, honour, launch, move, "
		    "meeting, other)", ka_text_shown(text, length), text);
	grow(&v->events, &v->events_capacity, v->nevents, sizeof(*v->events));
	v->counts.events_used++;
	e = &v->events[v->nevents++];
	memset(e, 0, sizeof(*e));
	e->customer_id = ka_strndup(id, id_length);
	e->date = d;
	e->kind = (enum ka_visit_kind)kind;
	index = ka_keys_find(v->account_keys, id, id_length);
	e->account = index >= 0 ? (int)index : -1;
	if (e->account < 0 && v->naccounts > 0)
		v->counts.events_unknown_account++;
	get(v, rec, b->role[KA_ROLE_CUSTOMER], &text, &length);
	if (length > 0)
		e->customer = ka_strndup(text, length);
	/* "description" is also a product alias: ours comes first. */
	get(v, rec, b->vcol[VC_DESCRIPTION], &text, &length);
	e->description = ka_strndup(text, length);
	return 0;
}

static int
bind_events(ka_visit *v, struct binding *b, ka_reader *reader,
    const struct ka_roles *roles, int main_input, char *error, size_t size)
{
	int r = bind(v, b, ka_reader_header(reader), roles, main_input, error,
	    size);

	if (r == 0)
		r = require_role(b, KA_ROLE_CUSTOMER_ID, error, size);
	if (r == 0)
		r = require_role(b, KA_ROLE_DATE, error, size);
	if (r == 0)
		r = require_vcol(b, VC_KIND, error, size);
	return r;
}

int
ka_visit_read_events(ka_visit *v, ka_reader *reader,
    const struct ka_roles *roles, ka_filter *filter, char *error,
    size_t size)
{
	struct binding b;
	int r = bind_events(v, &b, reader, roles, 1, error, size);
	unsigned long rejected = v->counts.rows_rejected;

	if (r == 0)
		r = each_row(v, reader, &b, filter, event_row,
		    &v->counts.events_read, &v->counts.events_filtered, error,
		    size);
	v->counts.events_rejected += v->counts.rows_rejected - rejected;
	return r;
}

int
ka_visit_load_events(ka_visit *v, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b;
	ka_reader *reader;
	int r;

	if ((reader = open_side(path, options, error, size)) == NULL)
		return KA_VISIT_BAD_DATA;
	r = bind_events(v, &b, reader, NULL, 0, error, size);
	if (r == 0)
		r = each_row(v, reader, &b, NULL, event_row, NULL, NULL,
		    error, size);
	ka_reader_close(reader);
	return r;
}

/* ---- the visits log ---- */

static int
date_compare(const void *a, const void *b)
{
	ka_date x = *(const ka_date *)a, y = *(const ka_date *)b;

	return (x > y) - (x < y);
}

/* Sorts days and drops repeats; returns the new count. */
static size_t
unique_days(ka_date *days, size_t n)
{
	size_t i, kept = 0;

	sort(days, n, sizeof(*days), date_compare);
	for (i = 0; i < n; i++)
		if (kept == 0 || days[kept - 1] != days[i])
			days[kept++] = days[i];
	return kept;
}

/*
 * A day the visitor visited.  Logs are mostly in date order, so a
 * repeat of the last day is dropped at once; when the array fills it
 * is compacted, and grows only when that frees less than a quarter.
 */
static void
visitor_day(struct visitor *p, ka_date d)
{
	if (p->ndays > 0 && p->days[p->ndays - 1] == d)
		return;
	if (p->ndays > 0 && p->ndays == p->days_capacity) {
		p->ndays = unique_days(p->days, p->ndays);
		if (p->ndays >= p->days_capacity / 4 * 3) {
			p->days_capacity *= 2;
			p->days = ka_reallocarray(p->days, p->days_capacity,
			    sizeof(*p->days));
		}
	}
	grow(&p->days, &p->days_capacity, p->ndays, sizeof(*p->days));
	p->days[p->ndays++] = d;
}

static void
add_contact(struct account *a, const char *name, size_t length, ka_date d)
{
	size_t i;

	for (i = 0; i < a->ncontacts; i++)
		if (strlen(a->contacts[i].name) == length &&
		    memcmp(a->contacts[i].name, name, length) == 0) {
			if (d > a->contacts[i].last)
				a->contacts[i].last = d;
			return;
		}
	grow(&a->contacts, &a->contacts_capacity, a->ncontacts,
	    sizeof(*a->contacts));
	a->contacts[a->ncontacts].name = ka_strndup(name, length);
	a->contacts[a->ncontacts].last = d;
	a->ncontacts++;
}

static void
note_first(char *out, size_t size, const ka_record *rec, const char *id,
    size_t length)
{
	snprintf(out, size, "%s:%lu (%.*s)", rec->file, rec->line,
	    ka_text_shown(id, length), id);
}

static int
visit_row(ka_visit *v, const struct binding *b, const ka_record *rec,
    char *error, size_t size)
{
	const char *id, *text, *name;
	size_t id_length, length, name_length;
	struct visitor *p = NULL;
	struct account *a;
	int64_t index;
	ka_date d;
	int level, role = -1, added;

	get(v, rec, b->role[KA_ROLE_DATE], &text, &length);
	if (parse_date(v, text, length, &d) < 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_DATE], error, size,
		    "not a date: \"%.*s\"", ka_text_shown(text, length), text);
	get(v, rec, b->role[KA_ROLE_CUSTOMER_ID], &id, &id_length);
	if (id_length == 0)
		return bad_row(v, b, rec, b->role[KA_ROLE_CUSTOMER_ID], error,
		    size, "empty customer_id");
	get(v, rec, b->vcol[VC_CONTACT_LEVEL], &text, &length);
	if ((level = ka_visit_level_parse(text, length)) < 0)
		return bad_row(v, b, rec, b->vcol[VC_CONTACT_LEVEL], error,
		    size, "unknown contact level \"%.*s\" (executive, "
		    "management, frontline)",
		    ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_VISITOR_ROLE], &text, &length);
	if (length > 0 && (role = ka_visit_role_parse(text, length)) < 0)
		return bad_row(v, b, rec, b->vcol[VC_VISITOR_ROLE], error, size,
		    "unknown visitor role \"%.*s\" (executive, manager, rep)",
		    ka_text_shown(text, length), text);
	get(v, rec, b->vcol[VC_VISITOR], &name, &name_length);
	if (name_length > 0 && v->have_visitors_file) {
		index = ka_keys_find(v->visitor_keys, name, name_length);
		if (index < 0 || !v->visitors[index].from_file)
			return bad_row(v, b, rec, b->vcol[VC_VISITOR], error,
			    size, "visitor \"%.*s\" is not in %s",

			    ka_text_shown(name, name_length),
			    name, v->visitors_file);
		p = &v->visitors[index];
	}
	index = ka_keys_find(v->account_keys, id, id_length);
	a = index >= 0 ? &v->accounts[index] : NULL;
	if (a != NULL && a->since != KA_DATE_NONE && d < a->since) {
		char day[KA_DATE_BUFSIZE], since[KA_DATE_BUFSIZE];

		ka_date_format(d, day);
		ka_date_format(a->since, since);
		return bad_row(v, b, rec, b->role[KA_ROLE_DATE], error, size,
		    "%s is before %s became a customer (since %s)", day,
		    a->id, since);
	}
	if (d > v->config.as_of) {
		if (v->counts.visits_after_as_of++ == 0)
			note_first(v->counts.first_after,
			    sizeof(v->counts.first_after), rec, id, id_length);
		return 1;
	}
	v->counts.visits_used++;
	if (name_length > 0) {
		if (p == NULL)
			p = add_visitor(v, name, name_length, &added);
		/* Without a visitors file the latest role seen is theirs. */
		if (!p->from_file && role >= 0 && (p->role_date ==
		    KA_DATE_NONE || d >= p->role_date)) {
			p->role = role;
			p->role_date = d;
		}
		visitor_day(p, d);
	}
	if (a == NULL) {
		if (v->counts.visits_unknown_account++ == 0)
			note_first(v->counts.first_unknown,
			    sizeof(v->counts.first_unknown), rec, id,
			    id_length);
		return 0;
	}
	if (a->last[level] == KA_DATE_NONE || d > a->last[level] ||
	    (d == a->last[level] && name_length > 0 &&
	    (a->last_visitor[level] == NO_NAME || strcmp(name,
	    ka_keys_text(v->names, a->last_visitor[level])) < 0))) {
		a->last[level] = d;
		a->last_visitor[level] = name_length > 0 ?
		    ka_keys_intern(v->names, name, name_length, NULL) :
		    NO_NAME;
	}
	if (level == KA_VISIT_EXECUTIVE) {
		if (a->last_executive == KA_DATE_NONE || d > a->last_executive)
			a->last_executive = d;
		if (d > v->config.as_of - 365)
			a->executive_visits++;
		get(v, rec, b->vcol[VC_CONTACT], &text, &length);
		if (length > 0)
			add_contact(a, text, length, d);
	}
	return 0;
}

static int
bind_visits(ka_visit *v, struct binding *b, ka_reader *reader,
    const struct ka_roles *roles, int main_input, char *error, size_t size)
{
	int r = bind(v, b, ka_reader_header(reader), roles, main_input, error,
	    size);

	if (r == 0)
		r = require_role(b, KA_ROLE_DATE, error, size);
	if (r == 0)
		r = require_role(b, KA_ROLE_CUSTOMER_ID, error, size);
	if (r == 0)
		r = require_vcol(b, VC_CONTACT_LEVEL, error, size);
	return r;
}

int
ka_visit_read_visits(ka_visit *v, ka_reader *reader,
    const struct ka_roles *roles, ka_filter *filter, char *error,
    size_t size)
{
	struct binding b;
	unsigned long rejected = v->counts.rows_rejected;
	int r = bind_visits(v, &b, reader, roles, 1, error, size);

	if (r == 0)
		r = each_row(v, reader, &b, filter, visit_row,
		    &v->counts.visits_read, &v->counts.visits_filtered, error,
		    size);
	v->counts.visits_rejected += v->counts.rows_rejected - rejected;
	return r;
}

int
ka_visit_load_visits(ka_visit *v, const char *path,
    const struct ka_reader_options *options, char *error, size_t size)
{
	struct binding b;
	unsigned long rejected = v->counts.rows_rejected;
	ka_reader *reader;
	int r;

	if ((reader = open_side(path, options, error, size)) == NULL)
		return KA_VISIT_BAD_DATA;
	r = bind_visits(v, &b, reader, NULL, 0, error, size);
	if (r == 0)
		r = each_row(v, reader, &b, NULL, visit_row,
		    &v->counts.visits_read, &v->counts.visits_filtered, error,
		    size);
	v->counts.visits_rejected += v->counts.rows_rejected - rejected;
	ka_reader_close(reader);
	return r;
}

/* ---- status ---- */

static const char *
text_or_empty(const char *text)
{
	return text != NULL ? text : "";
}

/* The due-soon window: soon_days, but at most a quarter of the cadence. */
static int
lead_days(const ka_visit *v, int max_days)
{
	int lead = v->config.soon_days;

	if (lead > max_days / 4)
		lead = max_days / 4;
	return lead;
}

static void
status_of(const ka_visit *v, const struct account *a, int level,
    struct ka_visit_status_row *row)
{
	int max_days = v->max_days[a->tier][level];

	memset(row, 0, sizeof(*row));
	row->customer_id = a->id;
	row->customer = text_or_empty(a->name);
	row->tier = v->tier[a->tier];
	row->tier_index = a->tier;
	row->owner = text_or_empty(a->owner);
	row->city = text_or_empty(a->city);
	row->level = (enum ka_visit_level)level;
	row->max_days = max_days;
	row->last_visit = a->last[level];
	row->last_visitor = a->last_visitor[level] == NO_NAME ? "" :
	    ka_keys_text(v->names, a->last_visitor[level]);
	if (a->last[level] == KA_DATE_NONE) {
		row->due = v->config.as_of;
		row->days_overdue = 0;
		row->state = KA_VISIT_NEVER;
		return;
	}
	row->due = a->last[level] + max_days;
	row->days_overdue = (long)v->config.as_of - row->due;
	if (row->days_overdue > 0)
		row->state = KA_VISIT_OVERDUE;
	else if (-row->days_overdue <= lead_days(v, max_days))
		row->state = KA_VISIT_DUE_SOON;
	else
		row->state = KA_VISIT_OK;
}

static int
status_compare(const void *x, const void *y)
{
	const struct ka_visit_status_row *a = x, *b = y;
	int c;

	if (a->tier_index != b->tier_index)
		return a->tier_index < b->tier_index ? -1 : 1;
	if ((a->state == KA_VISIT_NEVER) != (b->state == KA_VISIT_NEVER))
		return a->state == KA_VISIT_NEVER ? -1 : 1;
	if (a->days_overdue != b->days_overdue)
		return a->days_overdue > b->days_overdue ? -1 : 1;
	if ((c = strcmp(a->customer_id, b->customer_id)) != 0)
		return c;
	return (int)a->level - (int)b->level;
}

size_t
ka_visit_status(ka_visit *v, struct ka_visit_status_row **rows)
{
	struct ka_visit_status_row *out;
	size_t i, n = 0;
	int l;

	out = ka_calloc(v->naccounts * KA_VISIT_LEVELS + 1, sizeof(*out));
	for (i = 0; i < v->naccounts; i++) {
		const struct account *a = &v->accounts[i];

		if (!tier_followed(v, a->tier))
			continue;
		for (l = 0; l < KA_VISIT_LEVELS; l++)
			if (v->max_days[a->tier][l] > 0)
				status_of(v, a, l, &out[n++]);
	}
	sort(out, n, sizeof(*out), status_compare);
	*rows = out;
	return n;
}

static void
write_date(ka_writer *w, ka_date d)
{
	char buf[KA_DATE_BUFSIZE];

	if (d == KA_DATE_NONE) {
		ka_writer_number(w, "", 0);
		return;
	}
	ka_writer_text(w, buf, ka_date_format(d, buf));
}

void
ka_visit_write_status(const struct ka_visit_status_row *rows, size_t n,
    ka_writer *w)
{
	static const char *const names[] = { "customer_id", "customer",
		"tier", "owner", "contact_level", "max_days", "last_visit",
		"last_visitor", "due_date", "days_overdue", "status" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < n; i++) {
		const struct ka_visit_status_row *r = &rows[i];

		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		ka_writer_string(w, r->tier);
		ka_writer_string(w, r->owner);
		ka_writer_string(w, ka_visit_level_name(r->level));
		ka_writer_integer(w, r->max_days);
		write_date(w, r->last_visit);
		ka_writer_string(w, r->last_visitor);
		write_date(w, r->due);
		if (r->state == KA_VISIT_NEVER)
			ka_writer_number(w, "", 0);
		else
			ka_writer_integer(w, r->days_overdue);
		ka_writer_string(w, ka_visit_state_name(r->state));
		ka_writer_end_row(w);
	}
}

/* ---- plan ---- */

static const ka_visit *sort_visit;	/* qsort has no context argument */

/* Visitor roles that may take a level: the right one, then a stand-in. */
static int
role_rank(int level, int role)
{
	static const int stand_in[KA_VISIT_LEVELS] = {
		-1, KA_VISIT_ROLE_EXECUTIVE, KA_VISIT_ROLE_MANAGER };

	if (role == level)
		return 0;
	if (role == stand_in[level])
		return 1;
	return -1;
}

static int
stand_in_role(int level)
{
	return level == KA_VISIT_MANAGEMENT ? KA_VISIT_ROLE_EXECUTIVE :
	    KA_VISIT_ROLE_MANAGER;
}

static const char *
role_plural(int role)
{
	static const char *const names[] = { "executives", "managers",
		"reps" };

	return names[role];
}

struct anniversary {
	ka_date		 date;
	int		 years;
};

struct item {
	int		 account;
	int		 level;
	int		 interval, lead;
	ka_date		 last;		/* logged or planned; NONE */
	struct anniversary *anniversaries;	/* sorted, in reach */
	size_t		 nanniversaries, next;	/* next: first pending */
	ka_date		 cadence_due, deadline, open;
	int		 never;		/* no visit yet, none planned */
	int		 anniversary_binding;	/* deadline is the anniversary */
	int		 done;
	int		 right, stand_ins;	/* visitors who may take it */
	struct servers	*servers;	/* who, by rank */
	/* Today. */
	int		 placed, holiday, anyone;
	/* Why it has waited since its window opened. */
	int		 open_days, holiday_days, leave_days, full_days;
};

/* The planner visitors who may take the visits of one region and
   level, by rank (0 the right role, 1 stand-ins), in name order. */
struct servers {
	int		*list[2];
	size_t		 count[2];
	/* Today (stamp = day + 1): nobody in the list can take another
	   visit; and was anybody at work.  Placements only use room up,
	   so a list full once stays full until the next day. */
	int		 stamp[2], full[2], anyone[2];
};

/* A visitor as the planner sees it. */
struct planner_visitor {
	int		 index;		/* into v->visitors */
	int		 role;
	int		 name_order;
	int		 working_days, capacity_days;
	int		 used_days, visits;
	int		 day_city, day_count;	/* today */
	unsigned char	*available;	/* per horizon day */
	int		*week_cap, *week_used;	/* per ISO week of the horizon */
};

struct planner {
	ka_visit	*v;
	const struct ka_visit_plan_config *config;
	ka_date		 first, last;
	ka_date		 first_working;	/* the first Monday..Friday */
	int		 first_weekday;
	struct item	*items;
	size_t		 nitems;
	struct planner_visitor *visitors;
	size_t		 nvisitors;
	int		*owner;		/* per account: planner visitor or -1 */
	/* Per region (index 0: no region) and level. */
	struct servers	*servers;
	size_t		 nregions;
	struct ka_visit_plan *plan;
	size_t		 planned_capacity, unplanned_capacity;
};

static int
week_of(const struct planner *pl, int k)
{
	return (k + pl->first_weekday - 1) / 7;
}

/*
 * Whether p may take a visit at level to account a: 0 as the right
 * role, 1 as a stand-in, -1 not at all.  Managers and reps with a home
 * region keep to it; executives travel.
 */
static int
serves(const struct planner *pl, const struct planner_visitor *p,
    const struct account *a, int level)
{
	const struct visitor *src = &pl->v->visitors[p->index];
	int rank = role_rank(level, p->role);

	if (rank < 0)
		return -1;
	if (p->role != KA_VISIT_ROLE_EXECUTIVE && src->region_id >= 0 &&
	    a->region_id >= 0 && src->region_id != a->region_id)
		return -1;
	return rank;
}

static ka_date
anniversary_in_year(ka_date original, int year)
{
	int y, m, d;

	ka_date_to_ymd(original, &y, &m, &d);
	if (m == 2 && d == 29 && !ka_date_valid_ymd(year, 2, 29))
		d = 28;
	return ka_date_from_ymd(year, m, d);
}

static int
anniversary_compare(const void *x, const void *y)
{
	const struct anniversary *a = x, *b = y;

	return (a->date > b->date) - (a->date < b->date);
}

/* Sets deadline, open and never from last and the anniversaries. */
static void
item_update(const struct planner *pl, struct item *it)
{
	ka_date cadence_open, a_date;

	it->never = it->last == KA_DATE_NONE;
	if (it->never) {
		it->cadence_due = pl->first_working;
		cadence_open = pl->first_working;
	} else {
		it->cadence_due = it->last + it->interval;
		cadence_open = it->cadence_due - it->lead;
	}
	/* An anniversary is met by a visit in the 14 days up to it. */
	while (it->next < it->nanniversaries && !it->never &&
	    it->last >= it->anniversaries[it->next].date - ANNIVERSARY_LEAD &&
	    it->last <= it->anniversaries[it->next].date)
		it->next++;
	it->deadline = it->cadence_due;
	it->open = cadence_open;
	it->anniversary_binding = 0;
	if (it->next < it->nanniversaries) {
		a_date = it->anniversaries[it->next].date;
		if (a_date - ANNIVERSARY_LEAD <= it->cadence_due &&
		    a_date >= cadence_open) {
			/* The windows overlap: one visit in both serves both. */
			if (a_date - ANNIVERSARY_LEAD > it->open)
				it->open = a_date - ANNIVERSARY_LEAD;
		} else if (a_date < cadence_open) {
			it->open = a_date - ANNIVERSARY_LEAD;
		}
		if (a_date < it->deadline) {
			it->deadline = a_date;
			it->anniversary_binding = 1;
		}
	}
	if (it->open < pl->first_working)
		it->open = pl->first_working;
	it->done = it->open > pl->last;
	it->open_days = it->holiday_days = it->leave_days = it->full_days = 0;
}

static int
level_for_anniversary(const ka_visit *v, int tier)
{
	int l;

	for (l = 0; l < KA_VISIT_LEVELS; l++)
		if (v->max_days[tier][l] > 0)
			return l;
	return -1;
}

static void
add_anniversaries(struct planner *pl, struct item *it,
    const struct event *ev)
{
	int y, y0, y1, oy, m, d;

	ka_date_to_ymd(pl->first, &y0, &m, &d);
	ka_date_to_ymd(pl->last + ANNIVERSARY_LEAD, &y1, &m, &d);
	ka_date_to_ymd(ev->date, &oy, &m, &d);
	for (y = y0; y <= y1; y++) {
		ka_date date = anniversary_in_year(ev->date, y);
		struct anniversary *an;

		/* In reach: from the first working day (one on a weekend
		   just after as-of is past help), and its window may open
		   before the horizon ends. */
		if (y - oy < 1 || date < pl->first_working ||
		    date > pl->last + ANNIVERSARY_LEAD)
			continue;
		it->anniversaries = ka_reallocarray(it->anniversaries,
		    it->nanniversaries + 1, sizeof(*it->anniversaries));
		an = &it->anniversaries[it->nanniversaries++];
		an->date = date;
		an->years = y - oy;
	}
}

/* Who may serve each region and level, worked out once. */
static void
make_servers(struct planner *pl)
{
	size_t r, i;
	int l, rank;

	pl->nregions = ka_keys_count(pl->v->regions) + 1;
	pl->servers = ka_calloc(pl->nregions * KA_VISIT_LEVELS,
	    sizeof(*pl->servers));
	for (r = 0; r < pl->nregions; r++)
		for (l = 0; l < KA_VISIT_LEVELS; l++) {
			struct servers *s = &pl->servers[r * KA_VISIT_LEVELS +
			    (size_t)l];
			struct account probe;

			memset(&probe, 0, sizeof(probe));
			probe.region_id = (int)r - 1;
			for (rank = 0; rank < 2; rank++)
				s->list[rank] = ka_calloc(pl->nvisitors + 1,
				    sizeof(*s->list[rank]));
			for (i = 0; i < pl->nvisitors; i++) {
				rank = serves(pl, &pl->visitors[i], &probe, l);
				if (rank >= 0)
					s->list[rank][s->count[rank]++] =
					    (int)i;
			}
		}
}

static void
free_servers(struct planner *pl)
{
	size_t i;

	for (i = 0; i < pl->nregions * KA_VISIT_LEVELS; i++) {
		free(pl->servers[i].list[0]);
		free(pl->servers[i].list[1]);
	}
	free(pl->servers);
}

static int
account_id_compare(const void *x, const void *y)
{
	return strcmp(sort_visit->accounts[*(const int *)x].id,
	    sort_visit->accounts[*(const int *)y].id);
}

static void
make_items(struct planner *pl)
{
	ka_visit *v = pl->v;
	size_t i, e, first_item;
	int l, *by_id = ka_calloc(v->naccounts + 1, sizeof(*by_id));

	for (i = 0; i < v->naccounts; i++)
		by_id[i] = (int)i;
	sort_visit = v;
	sort(by_id, v->naccounts, sizeof(*by_id), account_id_compare);
	for (i = 0; i < v->naccounts; i++)
		v->accounts[by_id[i]].order = (int)i;
	free(by_id);

	pl->items = ka_calloc(v->naccounts * KA_VISIT_LEVELS + 1,
	    sizeof(*pl->items));
	for (i = 0; i < v->naccounts; i++) {
		const struct account *a = &v->accounts[i];
		struct item *anniversary_item = NULL;
		int anniversary_level;

		if (!tier_followed(v, a->tier))
			continue;
		first_item = pl->nitems;
		anniversary_level = level_for_anniversary(v, a->tier);
		for (l = 0; l < KA_VISIT_LEVELS; l++) {
			struct item *it;

			if (v->max_days[a->tier][l] <= 0)
				continue;
			it = &pl->items[pl->nitems++];
			it->account = (int)i;
			it->level = l;
			it->interval = v->max_days[a->tier][l];
			it->lead = lead_days(v, it->interval);
			it->last = a->last[l];
			it->servers = &pl->servers[(size_t)(a->region_id + 1) *
			    KA_VISIT_LEVELS + (size_t)l];
			it->right = (int)it->servers->count[0];
			it->stand_ins = (int)it->servers->count[1];
			if (l == anniversary_level)
				anniversary_item = it;
		}
		for (e = 0; e < v->nevents && anniversary_item != NULL; e++)
			if (v->events[e].account == (int)i &&
			    v->events[e].kind == KA_VISIT_ANNIVERSARY)
				add_anniversaries(pl, anniversary_item,
				    &v->events[e]);
		for (e = first_item; e < pl->nitems; e++) {
			struct item *it = &pl->items[e];

			sort(it->anniversaries, it->nanniversaries,
			    sizeof(*it->anniversaries), anniversary_compare);
			item_update(pl, it);
		}
	}
}

static int
visitor_index_compare(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;

	return strcmp(sort_visit->visitors[a].name,
	    sort_visit->visitors[b].name);
}

/*
 * The visitors to plan for: the visitors file, else everyone in the log
 * and every owner of a followed account (as a rep when no role is
 * known).
 */
static void
make_visitors(struct planner *pl)
{
	ka_visit *v = pl->v;
	const struct ka_visit_plan_config *c = pl->config;
	int *order;
	size_t i, n = 0;
	int days = c->days, weeks = week_of(pl, c->days - 1) + 1, k, added;

	if (!v->have_visitors_file)
		for (i = 0; i < v->naccounts; i++) {
			const struct account *a = &v->accounts[i];

			if (tier_followed(v, a->tier) && a->owner != NULL)
				add_visitor(v, a->owner, strlen(a->owner),
				    &added);
		}
	order = ka_calloc(v->nvisitors + 1, sizeof(*order));
	for (i = 0; i < v->nvisitors; i++)
		if (!v->have_visitors_file || v->visitors[i].from_file)
			order[n++] = (int)i;
	sort_visit = v;
	sort(order, n, sizeof(*order), visitor_index_compare);
	pl->visitors = ka_calloc(n + 1, sizeof(*pl->visitors));
	pl->nvisitors = n;
	for (i = 0; i < n; i++) {
		struct planner_visitor *p = &pl->visitors[i];
		struct visitor *src = &v->visitors[order[i]];
		int count = 0, w;

		p->index = order[i];
		p->name_order = (int)i;
		p->role = src->role >= 0 ? src->role : KA_VISIT_ROLE_REP;
		if (!src->from_file)
			src->share = ka_visit_default_share(
			    (enum ka_visit_role)p->role);
		p->available = ka_calloc((size_t)days, 1);
		p->week_cap = ka_calloc((size_t)weeks, sizeof(*p->week_cap));
		p->week_used = ka_calloc((size_t)weeks, sizeof(*p->week_used));
		for (k = 0; k < days; k++) {
			ka_date d = pl->first + k;

			if (ka_date_weekday(d) <= 5 &&
			    !is_holiday(v, d, src->region_id) &&
			    !is_off(src, d)) {
				p->available[k] = 1;
				p->week_cap[week_of(pl, k)]++;
				count++;
			}
		}
		/* A week holds share x its working days, rounded up. */
		for (w = 0; w < weeks; w++)
			p->week_cap[w] = (int)((src->share.num *
			    p->week_cap[w] + src->share.den - 1) /
			    src->share.den);
		p->working_days = count;
		p->capacity_days = (int)((2 * src->share.num * count +
		    src->share.den) / (2 * src->share.den));
		p->day_city = -2;
	}
	pl->owner = ka_calloc(v->naccounts + 1, sizeof(*pl->owner));
	for (i = 0; i < v->naccounts; i++) {
		const struct account *a = &v->accounts[i];
		int64_t index;
		size_t j;

		pl->owner[i] = -1;
		if (a->owner == NULL || (index = ka_keys_find(v->visitor_keys,
		    a->owner, strlen(a->owner))) < 0)
			continue;
		for (j = 0; j < n; j++)
			if (pl->visitors[j].index == index)
				pl->owner[i] = (int)j;
	}
	free(order);
}

/* Day order of the open items: tier, never first, deadline, id, level. */
static const struct planner *sort_planner;

static int
item_compare(const void *x, const void *y)
{
	const struct planner *pl = sort_planner;
	const struct item *a = &pl->items[*(const size_t *)x];
	const struct item *b = &pl->items[*(const size_t *)y];
	const struct account *aa = &pl->v->accounts[a->account];
	const struct account *ba = &pl->v->accounts[b->account];

	if (aa->tier != ba->tier)
		return aa->tier < ba->tier ? -1 : 1;
	if (a->never != b->never)
		return a->never ? -1 : 1;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	if (aa->order != ba->order)
		return aa->order < ba->order ? -1 : 1;
	return a->level - b->level;
}

/* May p open a visiting day on horizon day k: capacity and its week's? */
static int
can_open(const struct planner *pl, const struct planner_visitor *p, int k)
{
	return p->used_days < p->capacity_days &&
	    p->week_used[week_of(pl, k)] < p->week_cap[week_of(pl, k)];
}

static int
is_due(const struct item *it, ka_date d)
{
	return it->never || d >= it->deadline;
}

/*
 * The visitor of the given rank (0 right role, 1 stand-in) for item on
 * horizon day k, or -1.  it->anyone notes whether some visitor who may
 * take it was at work today.
 */
static int
choose_visitor(struct planner *pl, struct item *it, int k, int rank)
{
	const struct account *a = &pl->v->accounts[it->account];
	int best = -1;
	long best_key[5] = { 0 }, key[5];
	size_t n;

	for (n = 0; n < it->servers->count[rank]; n++) {
		int i = it->servers->list[rank][n];
		struct planner_visitor *p = &pl->visitors[i];
		const struct visitor *src = &pl->v->visitors[p->index];
		int joins, j;

		if (!p->available[k])
			continue;
		it->anyone = 1;
		joins = p->day_count > 0;
		if (joins) {
			if (a->city_id < 0 || p->day_city != a->city_id ||
			    p->day_count >= pl->config->per_day)
				continue;
		} else if (!can_open(pl, p, k)) {
			continue;
		}
		key[0] = pl->owner[it->account] == i ? 0 : 1;
		key[1] = joins ? 0 : 1;
		key[2] = a->region_id >= 0 && src->region_id == a->region_id ?
		    0 : 1;
		key[3] = p->visits;
		key[4] = p->name_order;
		for (j = 0; j < 5 && best >= 0; j++)
			if (key[j] != best_key[j])
				break;
		if (best < 0 || (j < 5 && key[j] < best_key[j])) {
			best = i;
			memcpy(best_key, key, sizeof(key));
		}
	}
	return best;
}

/* Is every visitor of the list full (or away) on day k? */
static void
check_full(struct planner *pl, struct servers *s, int k, int rank)
{
	size_t n;

	s->stamp[rank] = k + 1;
	s->full[rank] = 1;
	s->anyone[rank] = 0;
	for (n = 0; n < s->count[rank]; n++) {
		const struct planner_visitor *p =
		    &pl->visitors[s->list[rank][n]];

		if (!p->available[k])
			continue;
		s->anyone[rank] = 1;
		if (p->day_count > 0 ? p->day_count < pl->config->per_day :
		    can_open(pl, p, k)) {
			s->full[rank] = 0;
			return;
		}
	}
}

static void
append_text(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
append_text(char *out, size_t size, const char *format, ...)
{
	size_t used = strlen(out);
	va_list args;

	if (used + 1 >= size)
		return;
	va_start(args, format);
	vsnprintf(out + used, size - used, format, args);
	va_end(args);
}

static void
days_text(char *out, size_t size, long days)
{
	snprintf(out, size, "%ld %s", days, days == 1 ? "day" : "days");
}

static void
place(struct planner *pl, struct item *it, int k, int chosen)
{
	ka_visit *v = pl->v;
	struct planner_visitor *p = &pl->visitors[chosen];
	const struct account *a = &v->accounts[it->account];
	struct ka_visit_plan *plan = pl->plan;
	struct ka_visit_planned *out;
	ka_date d = pl->first + k;
	char day[KA_DATE_BUFSIZE], span[32];
	long urgency = (long)d - it->deadline;

	grow(&plan->planned, &pl->planned_capacity, plan->nplanned,
	    sizeof(*plan->planned));
	out = &plan->planned[plan->nplanned++];
	memset(out, 0, sizeof(*out));
	out->date = d;
	out->visitor = v->visitors[p->index].name;
	out->role = (enum ka_visit_role)p->role;
	out->customer_id = a->id;
	out->customer = text_or_empty(a->name);
	out->tier = v->tier[a->tier];
	out->city = text_or_empty(a->city);
	out->region = text_or_empty(a->region);
	out->owner = text_or_empty(a->owner);
	out->level = (enum ka_visit_level)it->level;
	out->due = it->deadline;
	out->anniversary = it->anniversary_binding;

	snprintf(out->reason, sizeof(out->reason), "%s %s ", out->tier,
	    ka_visit_level_name(out->level));
	if (it->never) {
		append_text(out->reason, sizeof(out->reason), "never visited");
	} else if (it->anniversary_binding) {
		const struct anniversary *an = &it->anniversaries[it->next];

		ka_date_format(an->date, day);
		append_text(out->reason, sizeof(out->reason), "before the "
		    "anniversary on %s (%d %s)", day, an->years,
		    an->years == 1 ? "year" : "years");
	} else if (urgency > 0) {
		days_text(span, sizeof(span), urgency);
		append_text(out->reason, sizeof(out->reason), "overdue %s",
		    span);
	} else if (urgency == 0) {
		append_text(out->reason, sizeof(out->reason), "due today");
	} else {
		days_text(span, sizeof(span), -urgency);
		append_text(out->reason, sizeof(out->reason), "due in %s",
		    span);
	}
	if (!it->anniversary_binding && it->next < it->nanniversaries &&
	    d >= it->anniversaries[it->next].date - ANNIVERSARY_LEAD &&
	    d <= it->anniversaries[it->next].date) {
		ka_date_format(it->anniversaries[it->next].date, day);
		append_text(out->reason, sizeof(out->reason), "; also before "
		    "the anniversary on %s", day);
	}
	if (role_rank(it->level, p->role) == 1)
		append_text(out->reason, sizeof(out->reason), "; %s stands in: "
		    "no %s free", ka_visit_role_name(
		    (enum ka_visit_role)p->role), ka_visit_role_name(
		    (enum ka_visit_role)it->level));

	if (p->day_count == 0) {
		p->used_days++;
		p->week_used[week_of(pl, k)]++;
		p->day_city = a->city_id;
		/* An account with no city shares its day with no other. */
		p->day_count = a->city_id < 0 ? pl->config->per_day - 1 : 0;
	}
	p->day_count++;
	p->visits++;
	it->last = d;
	it->placed = 1;
	item_update(pl, it);
}

/* Up to three names of the visitors who may take item as rank. */
static void
server_names(const struct planner *pl, const struct item *it, int rank,
    char *out, size_t size)
{
	size_t i, shown_names = 0, total = it->servers->count[rank];

	out[0] = '\0';
	for (i = 0; i < total && shown_names < 3; i++, shown_names++)
		append_text(out, size, "%s%s", shown_names ? ", " : "",
		    pl->v->visitors[pl->visitors[
		    it->servers->list[rank][i]].index].name);
	if (total > shown_names)
		append_text(out, size, " and %zu more", total - shown_names);
}

/* An item that did not fit: why, from what it met while waiting. */
static void
unplanned(struct planner *pl, const struct item *it, ka_date due,
    const struct anniversary *missed)
{
	ka_visit *v = pl->v;
	struct ka_visit_plan *plan = pl->plan;
	const struct account *a = &v->accounts[it->account];
	struct ka_visit_unplanned *out;
	char names[256], day[KA_DATE_BUFSIZE], open[KA_DATE_BUFSIZE];
	int level = it->level, rank = it->right > 0 ? 0 : 1, cause;

	grow(&plan->unplanned, &pl->unplanned_capacity, plan->nunplanned,
	    sizeof(*plan->unplanned));
	out = &plan->unplanned[plan->nunplanned++];
	memset(out, 0, sizeof(*out));
	out->customer_id = a->id;
	out->customer = text_or_empty(a->name);
	out->tier = v->tier[a->tier];
	out->tier_index = a->tier;
	out->city = text_or_empty(a->city);
	out->level = (enum ka_visit_level)level;
	out->due = due;
	ka_date_format(it->open, open);
	if (it->right == 0 && it->stand_ins == 0) {
		cause = 1;
		if (level == KA_VISIT_EXECUTIVE)
			snprintf(out->reason, sizeof(out->reason), "no visitor "
			    "of that role: no executive");
		else
			snprintf(out->reason, sizeof(out->reason), "no visitor "
			    "of that role: no %s or %s%s%s",
			    ka_visit_role_name((enum ka_visit_role)level),
			    ka_visit_role_name((enum ka_visit_role)
			    stand_in_role(level)), a->region != NULL ?
			    " for region " : "", text_or_empty(a->region));
	} else if (it->open_days == 0 && it->holiday_days > 0) {
		cause = 3;
		snprintf(out->reason, sizeof(out->reason), "holiday: no "
		    "working day from %s on", open);
	} else if (it->open_days > 0 && it->leave_days == it->open_days) {
		cause = 2;
		server_names(pl, it, rank, names, sizeof(names));
		/* Cut, if the names are long, rather than overflow. */
		out->reason[0] = '\0';
		append_text(out->reason, sizeof(out->reason), "leave: %s away "
		    "on every working day from %s on", names, open);
	} else {
		cause = 0;
		if (it->full_days == 0)
			snprintf(out->reason, sizeof(out->reason), "capacity: "
			    "no working day left from %s on", open);
		else
			snprintf(out->reason, sizeof(out->reason), "capacity: "
			    "%s fully booked on %d working %s from %s on",
			    role_plural(rank == 0 ? level :
			    stand_in_role(level)), it->full_days,
			    it->full_days == 1 ? "day" : "days", open);
	}
	if (missed != NULL) {
		ka_date_format(missed->date, day);
		append_text(out->reason, sizeof(out->reason), "; for the "
		    "anniversary on %s", day);
	}
	plan->unplanned_by_cause[cause]++;
}

/* Anniversaries that passed unmet before day d. */
static void
expire_anniversaries(struct planner *pl, struct item *it, ka_date d)
{
	while (it->next < it->nanniversaries &&
	    it->anniversaries[it->next].date < d) {
		const struct anniversary *missed = &it->anniversaries[it->next];
		int open_days = it->open_days, holiday_days = it->holiday_days;
		int leave_days = it->leave_days, full_days = it->full_days;
		ka_date open = it->open;

		unplanned(pl, it, missed->date, missed);
		it->next++;
		/* The cadence keeps its place and what it waited through. */
		item_update(pl, it);
		if (!it->done && open <= d && it->open <= open) {
			it->open = open;
			it->open_days = open_days;
			it->holiday_days = holiday_days;
			it->leave_days = leave_days;
			it->full_days = full_days;
		}
	}
}

static int
planned_compare(const void *x, const void *y)
{
	const struct ka_visit_planned *a = x, *b = y;
	int c;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if ((c = strcmp(a->visitor, b->visitor)) != 0)
		return c;
	if ((c = strcmp(a->customer_id, b->customer_id)) != 0)
		return c;
	return (int)a->level - (int)b->level;
}

static int
unplanned_compare(const void *x, const void *y)
{
	const struct ka_visit_unplanned *a = x, *b = y;
	int c;

	if (a->tier_index != b->tier_index)
		return a->tier_index < b->tier_index ? -1 : 1;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if ((c = strcmp(a->customer_id, b->customer_id)) != 0)
		return c;
	return (int)a->level - (int)b->level;
}

static int
load_compare(const void *x, const void *y)
{
	const struct ka_visit_load *a = x, *b = y;

	if (a->role != b->role)
		return (int)a->role - (int)b->role;
	return strcmp(a->visitor, b->visitor);
}

/*
 * One working day: the open items in priority order, first to visitors
 * of the right role, then what is left and due to stand-ins, so a
 * stand-in never takes a slot the right role could have had.
 */
static void
plan_day(struct planner *pl, int k, size_t *open, size_t nopen)
{
	ka_visit *v = pl->v;
	ka_date d = pl->first + k;
	size_t i;
	int rank, chosen;

	for (i = 0; i < pl->nvisitors; i++) {
		pl->visitors[i].day_count = 0;
		pl->visitors[i].day_city = -2;
	}
	for (i = 0; i < nopen; i++) {
		struct item *it = &pl->items[open[i]];

		it->placed = it->anyone = 0;
		it->holiday = is_holiday(v, d, v->accounts[it->account].
		    region_id);
	}
	for (rank = 0; rank < 2; rank++)
		for (i = 0; i < nopen; i++) {
			struct item *it = &pl->items[open[i]];

			struct servers *s;

			if (it->placed || it->holiday ||
			    (rank == 1 && !is_due(it, d)))
				continue;
			s = it->servers;
			if (s->stamp[rank] == k + 1 && s->full[rank]) {
				it->anyone |= s->anyone[rank];
				continue;
			}
			chosen = choose_visitor(pl, it, k, rank);
			if (chosen >= 0)
				place(pl, it, k, chosen);
			else
				check_full(pl, s, k, rank);
		}
	for (i = 0; i < nopen; i++) {
		struct item *it = &pl->items[open[i]];

		if (it->placed)
			continue;
		if (it->holiday) {
			it->holiday_days++;
		} else if (it->anyone) {
			it->open_days++;
			it->full_days++;
		} else if (it->right > 0 || is_due(it, d)) {
			/* Not before it is due when only stand-ins could. */
			it->open_days++;
			it->leave_days++;
		}
	}
}

int
ka_visit_plan(ka_visit *v, const struct ka_visit_plan_config *config,
    struct ka_visit_plan *plan, char *error, size_t size)
{
	struct planner pl;
	size_t *open, nopen, i;
	int k;

	memset(plan, 0, sizeof(*plan));
	memset(&pl, 0, sizeof(pl));
	if (config->days < 1 || config->per_day < 1) {
		snprintf(error, size, "the horizon and --per-day must be at "
		    "least 1");
		return -1;
	}
	pl.v = v;
	pl.config = config;
	pl.first = config->first;
	pl.last = config->first + config->days - 1;
	pl.first_weekday = ka_date_weekday(pl.first);
	pl.first_working = pl.first;
	while (ka_date_weekday(pl.first_working) > 5)
		pl.first_working++;
	pl.plan = plan;
	plan->first = pl.first;
	plan->last = pl.last;
	plan->per_day = config->per_day;
	make_visitors(&pl);
	make_servers(&pl);
	make_items(&pl);
	open = ka_calloc(pl.nitems + 1, sizeof(*open));
	for (k = 0; k < config->days; k++) {
		ka_date d = pl.first + k;

		if (ka_date_weekday(d) > 5)
			continue;
		nopen = 0;
		for (i = 0; i < pl.nitems; i++) {
			struct item *it = &pl.items[i];

			if (it->done)
				continue;
			expire_anniversaries(&pl, it, d);
			if (!it->done && it->open <= d)
				open[nopen++] = i;
		}
		sort_planner = &pl;
		sort(open, nopen, sizeof(*open), item_compare);
		plan_day(&pl, k, open, nopen);
	}
	for (i = 0; i < pl.nitems; i++) {
		struct item *it = &pl.items[i];

		if (it->done)
			continue;
		expire_anniversaries(&pl, it, pl.last + 1);
		if (!it->done && it->deadline <= pl.last)
			unplanned(&pl, it, it->deadline, NULL);
	}
	sort(plan->planned, plan->nplanned, sizeof(*plan->planned),
	    planned_compare);
	sort(plan->unplanned, plan->nunplanned, sizeof(*plan->unplanned),
	    unplanned_compare);
	plan->load = ka_calloc(pl.nvisitors + 1, sizeof(*plan->load));
	plan->nload = pl.nvisitors;
	for (i = 0; i < pl.nvisitors; i++) {
		const struct planner_visitor *p = &pl.visitors[i];
		const struct visitor *src = &v->visitors[p->index];
		struct ka_visit_load *l = &plan->load[i];

		l->visitor = src->name;
		l->region = text_or_empty(src->region);
		l->role = (enum ka_visit_role)p->role;
		l->share = src->share;
		l->working_days = p->working_days;
		l->capacity_days = p->capacity_days;
		l->visiting_days = p->used_days;
		l->visits = p->visits;
		l->capacity_visits = p->capacity_days * config->per_day;
	}
	sort(plan->load, plan->nload, sizeof(*plan->load), load_compare);
	plan->due_in_horizon = plan->nplanned + plan->nunplanned;
	for (i = 0; i < pl.nvisitors; i++) {
		free(pl.visitors[i].available);
		free(pl.visitors[i].week_cap);
		free(pl.visitors[i].week_used);
	}
	for (i = 0; i < pl.nitems; i++)
		free(pl.items[i].anniversaries);
	free(pl.items);
	free_servers(&pl);
	free(pl.visitors);
	free(pl.owner);
	free(open);
	if (pl.nvisitors == 0) {
		ka_visit_plan_free(plan);
		snprintf(error, size, "no visitors to plan for: give "
		    "--visitors FILE, or a log with a visitor column");
		return -1;
	}
	return 0;
}

void
ka_visit_plan_free(struct ka_visit_plan *plan)
{
	free(plan->planned);
	free(plan->unplanned);
	free(plan->load);
	memset(plan, 0, sizeof(*plan));
}

void
ka_visit_write_plan(const struct ka_visit_plan *plan, ka_writer *w)
{
	static const char *const names[] = { "date", "visitor",
		"visitor_role", "customer_id", "customer", "tier", "city",
		"contact_level", "due_date", "reason" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < plan->nplanned; i++) {
		const struct ka_visit_planned *p = &plan->planned[i];

		write_date(w, p->date);
		ka_writer_string(w, p->visitor);
		ka_writer_string(w, ka_visit_role_name(p->role));
		ka_writer_string(w, p->customer_id);
		ka_writer_string(w, p->customer);
		ka_writer_string(w, p->tier);
		ka_writer_string(w, p->city);
		ka_writer_string(w, ka_visit_level_name(p->level));
		write_date(w, p->due);
		ka_writer_string(w, p->reason);
		ka_writer_end_row(w);
	}
}

void
ka_visit_write_unplanned(const struct ka_visit_plan *plan, ka_writer *w)
{
	static const char *const names[] = { "customer_id", "customer",
		"tier", "city", "contact_level", "due_date", "reason" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < plan->nunplanned; i++) {
		const struct ka_visit_unplanned *u = &plan->unplanned[i];

		ka_writer_string(w, u->customer_id);
		ka_writer_string(w, u->customer);
		ka_writer_string(w, u->tier);
		ka_writer_string(w, u->city);
		ka_writer_string(w, ka_visit_level_name(u->level));
		write_date(w, u->due);
		ka_writer_string(w, u->reason);
		ka_writer_end_row(w);
	}
}

static void
write_percent(ka_writer *w, ka_dec value)
{
	char buf[KA_DEC_BUFSIZE];

	ka_writer_number(w, buf, ka_dec_format(value, 2, buf));
}

void
ka_visit_write_load(const struct ka_visit_plan *plan, ka_writer *w)
{
	static const char *const names[] = { "visitor", "visitor_role",
		"region", "working_days", "share_pct", "capacity_days",
		"visiting_days", "load_pct", "visits", "capacity_visits" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < plan->nload; i++) {
		const struct ka_visit_load *l = &plan->load[i];

		ka_writer_string(w, l->visitor);
		ka_writer_string(w, ka_visit_role_name(l->role));
		ka_writer_string(w, l->region);
		ka_writer_integer(w, l->working_days);
		write_percent(w, ka_visit_share_percent(l->share));
		ka_writer_integer(w, l->capacity_days);
		ka_writer_integer(w, l->visiting_days);
		if (l->capacity_days > 0)
			write_percent(w, percent(l->visiting_days,
			    l->capacity_days));
		else
			ka_writer_number(w, "", 0);
		ka_writer_integer(w, l->visits);
		ka_writer_integer(w, l->capacity_visits);
		ka_writer_end_row(w);
	}
}

/* ---- events ---- */

static int
upcoming_compare(const void *x, const void *y)
{
	const struct ka_visit_upcoming *a = x, *b = y;
	int c, ta, tb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	ta = a->tier[0] == '\0';
	tb = b->tier[0] == '\0';
	if (ta != tb)
		return ta - tb;
	if ((c = strcmp(a->tier, b->tier)) != 0)
		return c;
	if ((c = strcmp(a->customer_id, b->customer_id)) != 0)
		return c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return strcmp(a->description, b->description);
}

size_t
ka_visit_upcoming(ka_visit *v, int within, const int bands[3],
    struct ka_visit_upcoming **rows)
{
	struct ka_visit_upcoming *out;
	ka_date as_of = v->config.as_of, end = v->config.as_of + within - 1;
	size_t i, n = 0;
	int y, m, d, oy;

	out = ka_calloc(v->nevents + 1, sizeof(*out));
	ka_date_to_ymd(as_of, &y, &m, &d);
	for (i = 0; i < v->nevents; i++) {
		const struct event *e = &v->events[i];
		const struct account *a = e->account >= 0 ?
		    &v->accounts[e->account] : NULL;
		struct ka_visit_upcoming *u;
		ka_date date = e->date;
		int years = 0;

		if (v->any_selected && (a == NULL || !tier_followed(v,
		    a->tier)))
			continue;
		if (e->kind == KA_VISIT_ANNIVERSARY && e->date < as_of) {
			ka_date_to_ymd(e->date, &oy, &m, &d);
			date = anniversary_in_year(e->date, y);
			if (date < as_of)
				date = anniversary_in_year(e->date, y + 1);
			ka_date_to_ymd(date, &years, &m, &d);
			years -= oy;
		}
		if (date < as_of || date > end)
			continue;
		u = &out[n++];
		u->date = date;
		u->days = (long)date - as_of;
		u->band = u->days < bands[0] ? 0 : u->days < bands[1] ? 1 :
		    u->days < bands[2] ? 2 : 3;
		u->customer_id = e->customer_id;
		u->customer = a != NULL && a->name != NULL ? a->name :
		    text_or_empty(e->customer);
		u->tier = a != NULL && a->tier >= 0 ? v->tier[a->tier] : "";
		u->owner = a != NULL ? text_or_empty(a->owner) : "";
		u->kind = e->kind;
		u->years = years;
		u->description = e->description;
	}
	sort(out, n, sizeof(*out), upcoming_compare);
	*rows = out;
	return n;
}

void
ka_visit_write_upcoming(const struct ka_visit_upcoming *rows, size_t n,
    ka_writer *w)
{
	static const char *const names[] = { "date", "days", "band",
		"customer_id", "customer", "tier", "owner", "kind", "years",
		"description" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < n; i++) {
		const struct ka_visit_upcoming *u = &rows[i];

		write_date(w, u->date);
		ka_writer_integer(w, u->days);
		ka_writer_string(w, ka_visit_band_name(u->band));
		ka_writer_string(w, u->customer_id);
		ka_writer_string(w, u->customer);
		ka_writer_string(w, u->tier);
		ka_writer_string(w, u->owner);
		ka_writer_string(w, ka_visit_kind_name(u->kind));
		if (u->years > 0)
			ka_writer_integer(w, u->years);
		else
			ka_writer_number(w, "", 0);
		ka_writer_string(w, u->description);
		ka_writer_end_row(w);
	}
}

/* ---- the round-table list ---- */

static int
contact_compare(const void *x, const void *y)
{
	const struct contact *a = x, *b = y;

	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
invitee_compare(const void *x, const void *y)
{
	const struct ka_visit_invitee *a = x, *b = y;
	int ta = tier_index(sort_visit, a->tier, strlen(a->tier));
	int tb = tier_index(sort_visit, b->tier, strlen(b->tier));

	if (ta != tb)
		return ta < tb ? -1 : 1;
	if ((a->rank == 0) != (b->rank == 0))
		return a->rank == 0 ? 1 : -1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->customer_id, b->customer_id);
}

size_t
ka_visit_invitees(ka_visit *v, struct ka_visit_invitee **rows)
{
	struct ka_visit_invitee *out;
	size_t i, j, n = 0;
	int only_first = !v->any_selected;

	out = ka_calloc(v->naccounts + 1, sizeof(*out));
	for (i = 0; i < v->naccounts; i++) {
		struct account *a = &v->accounts[i];
		struct ka_visit_invitee *r;
		struct ka_buf contacts = { NULL, 0, 0 };

		if (a->tier < 0 || (only_first ? a->tier != 0 :
		    !tier_followed(v, a->tier)))
			continue;
		r = &out[n++];
		r->customer_id = a->id;
		r->customer = text_or_empty(a->name);
		r->tier = v->tier[a->tier];
		r->owner = text_or_empty(a->owner);
		r->city = text_or_empty(a->city);
		r->rank = a->rank;
		r->last_executive_visit = a->last_executive;
		r->executive_visits = a->executive_visits;
		sort(a->contacts, a->ncontacts, sizeof(*a->contacts),
		    contact_compare);
		ka_buf_add(&contacts, "", 0);
		for (j = 0; j < a->ncontacts; j++) {
			if (j > 0)
				ka_buf_add(&contacts, "; ", 2);
			ka_buf_puts(&contacts, a->contacts[j].name);
		}
		r->contacts = ka_strndup(contacts.text != NULL ? contacts.text :
		    "", contacts.length);
		ka_buf_free(&contacts);
	}
	sort_visit = v;
	sort(out, n, sizeof(*out), invitee_compare);
	*rows = out;
	return n;
}

void
ka_visit_invitees_free(struct ka_visit_invitee *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].contacts);
	free(rows);
}

void
ka_visit_write_invitees(const struct ka_visit_invitee *rows, size_t n,
    ka_writer *w)
{
	static const char *const names[] = { "customer_id", "customer",
		"tier", "rank", "owner", "city", "contacts",
		"last_executive_visit", "executive_visits" };
	size_t i;

	ka_writer_header(w, names, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < n; i++) {
		const struct ka_visit_invitee *r = &rows[i];

		ka_writer_string(w, r->customer_id);
		ka_writer_string(w, r->customer);
		ka_writer_string(w, r->tier);
		if (r->rank > 0)
			ka_writer_integer(w, r->rank);
		else
			ka_writer_number(w, "", 0);
		ka_writer_string(w, r->owner);
		ka_writer_string(w, r->city);
		ka_writer_string(w, r->contacts);
		write_date(w, r->last_executive_visit);
		ka_writer_integer(w, (long long)r->executive_visits);
		ka_writer_end_row(w);
	}
}

/* ---- iCalendar ---- */

uint64_t
ka_visit_fnv1a(const char *text, size_t length)
{
	uint64_t hash = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < length; i++) {
		hash ^= (unsigned char)text[i];
		hash *= UINT64_C(1099511628211);
	}
	return hash;
}

void
ka_ics_escape(struct ka_buf *out, const char *text, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		switch (c) {
		case '\\':
			ka_buf_add(out, "\\\\", 2);
			break;
		case ';':
			ka_buf_add(out, "\\;", 2);
			break;
		case ',':
			ka_buf_add(out, "\\,", 2);
			break;
		case '\r':
			if (i + 1 < length && text[i + 1] == '\n')
				i++;
			ka_buf_add(out, "\\n", 2);
			break;
		case '\n':
			ka_buf_add(out, "\\n", 2);
			break;
		default:
			/* Other control characters are not TEXT (3.3.11). */
			if (c < 0x20 && c != '\t')
				break;
			if (c == 0x7f)
				break;
			ka_buf_add(out, text + i, 1);
		}
	}
}

void
ka_ics_line(struct ka_buf *out, const char *line, size_t length)
{
	size_t start = 0, room = 75;

	while (length - start > room) {
		size_t cut = start + room;

		/* Never inside a UTF-8 character: back to its first byte. */
		while (cut > start && ((unsigned char)line[cut] & 0xc0) ==
		    0x80)
			cut--;
		ka_buf_add(out, line + start, cut - start);
		ka_buf_add(out, "\r\n ", 3);
		start = cut;
		room = 74;	/* the leading space counts */
	}
	ka_buf_add(out, line + start, length - start);
	ka_buf_add(out, "\r\n", 2);
}

void
ka_ics_file_name(char *out, size_t size, const char *name)
{
	size_t n = 0;
	int dash = 0;

	for (; *name != '\0' && n + 5 < size; name++) {
		unsigned char c = (unsigned char)*name;

		if (c >= 0x80) {
			out[n++] = (char)c;
			dash = 0;
		} else if (isalnum(c)) {
			if (dash && n > 0)
				out[n++] = '-';
			out[n++] = (char)tolower(c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	/* A UTF-8 character cut by the size limit is dropped whole. */
	while (n > 0 && ((unsigned char)out[n - 1] & 0x80)) {
		size_t k = n - 1, need;
		unsigned char lead;

		while (k > 0 && ((unsigned char)out[k] & 0xc0) == 0x80)
			k--;
		lead = (unsigned char)out[k];
		need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 :
		    1;
		if (n - k == need)
			break;
		n = k;
	}
	if (n == 0) {
		snprintf(out, size, "visitor");
		return;
	}
	out[n] = '\0';
}

/* "NAME:value" with value escaped as TEXT, folded. */
static void
ics_text(struct ka_buf *out, const char *name, const char *value)
{
	struct ka_buf line = { NULL, 0, 0 };

	ka_buf_puts(&line, name);
	ka_buf_add(&line, ":", 1);
	ka_ics_escape(&line, value, strlen(value));
	ka_ics_line(out, line.text, line.length);
	ka_buf_free(&line);
}

/* A line whose value needs no escaping (dates, UIDs, keywords). */
static void
ics_raw(struct ka_buf *out, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void
ics_raw(struct ka_buf *out, const char *format, ...)
{
	char line[512];
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(line, sizeof(line), format, args);
	va_end(args);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	ka_ics_line(out, line, (size_t)n);
}

/* "YYYYMMDD": years outside 0..9999 have no such form. */
static void
ics_date(char out[9], ka_date d)
{
	char iso[KA_DATE_BUFSIZE];

	if (ka_date_format(d, iso) != 10) {
		memcpy(out, "00000000", 9);
		return;
	}
	memcpy(out, iso, 4);
	memcpy(out + 4, iso + 5, 2);
	memcpy(out + 6, iso + 8, 2);
	out[8] = '\0';
}

static void
ics_begin(struct ka_buf *out, const char *calendar_name)
{
	ics_raw(out, "BEGIN:VCALENDAR");
	ics_raw(out, "VERSION:2.0");
	ics_raw(out, "PRODID:-//ka-tools//ka-visit//EN");
	ics_raw(out, "CALSCALE:GREGORIAN");
	ics_raw(out, "METHOD:PUBLISH");
	ics_text(out, "X-WR-CALNAME", calendar_name);
}

/*
 * An all-day VEVENT on d: a DATE value is the same day wherever the
 * calendar is, so no time zone is needed (RFC 5545 3.3.4, 3.6.1).
 */
static void
ics_event(struct ka_buf *out, const char *uid_seed, size_t seed_length,
    ka_date stamp, ka_date d, const char *summary, const char *location,
    const char *description, const char *status)
{
	char day[9], next[9], stamp_day[9];

	ics_date(day, d);
	ics_date(next, d + 1);
	ics_date(stamp_day, stamp);
	ics_raw(out, "BEGIN:VEVENT");
	ics_raw(out, "UID:%016" PRIx64 "@ka-visit.ka-tools",
	    ka_visit_fnv1a(uid_seed, seed_length));
	ics_raw(out, "DTSTAMP:%sT000000Z", stamp_day);
	ics_raw(out, "DTSTART;VALUE=DATE:%s", day);
	ics_raw(out, "DTEND;VALUE=DATE:%s", next);
	ics_text(out, "SUMMARY", summary);
	if (location != NULL && location[0] != '\0')
		ics_text(out, "LOCATION", location);
	ics_text(out, "DESCRIPTION", description);
	if (status != NULL)
		ics_raw(out, "STATUS:%s", status);
	ics_raw(out, "TRANSP:OPAQUE");
	ics_raw(out, "END:VEVENT");
}

/* Writes text to dir/name atomically: a temporary file, then rename. */
static int
write_file(const char *dir, const char *name, const struct ka_buf *text,
    char *error, size_t size)
{
	char path[4096], temporary[4200];
	size_t done = 0;
	mode_t mask;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(temporary, sizeof(temporary), "%s/.%s.XXXXXX", dir, name);
	if ((fd = mkstemp(temporary)) < 0) {
		snprintf(error, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	while (done < text->length) {
		ssize_t n = write(fd, text->text + done, text->length - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(error, size, "%s: write error: %s", path,
			    strerror(n < 0 ? errno : ENOSPC));
			close(fd);
			unlink(temporary);
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0 || rename(temporary, path) != 0) {
		snprintf(error, size, "%s: %s", path, strerror(errno));
		unlink(temporary);
		return -1;
	}
	return 0;
}

static int
make_dir(const char *dir, char *error, size_t size)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	snprintf(error, size, "--ics %s: %s", dir, errno == EEXIST ?
	    "not a directory" : strerror(errno));
	return -1;
}

/* File names for people, made unique in the order given: "a-2.ics". */
static char **
file_names(const char *const *people, size_t n)
{
	char **names = ka_calloc(n + 1, sizeof(*names));
	char base[200], name[220];
	size_t i, j;
	int suffix;

	for (i = 0; i < n; i++) {
		ka_ics_file_name(base, sizeof(base), people[i]);
		for (suffix = 1;; suffix++) {
			if (suffix == 1)
				snprintf(name, sizeof(name), "%s.ics", base);
			else
				snprintf(name, sizeof(name), "%s-%d.ics", base,
				    suffix);
			for (j = 0; j < i; j++)
				if (strcmp(names[j], name) == 0)
					break;
			if (j == i)
				break;
		}
		names[i] = ka_strndup(name, strlen(name));
	}
	return names;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
ka_visit_ics_plan(const ka_visit *v, const struct ka_visit_plan *plan,
    const char *dir, char *error, size_t size)
{
	const char **people;
	char **names, due[KA_DATE_BUFSIZE], calendar[300];
	struct ka_buf out = { NULL, 0, 0 }, seed = { NULL, 0, 0 },
	    summary = { NULL, 0, 0 }, description = { NULL, 0, 0 };
	size_t i, j;
	int r = 0;

	if (make_dir(dir, error, size) < 0)
		return -1;
	people = ka_calloc(plan->nload + 1, sizeof(*people));
	for (i = 0; i < plan->nload; i++)
		people[i] = plan->load[i].visitor;
	names = file_names(people, plan->nload);
	for (i = 0; i < plan->nload && r == 0; i++) {
		ka_buf_reset(&out);
		snprintf(calendar, sizeof(calendar), "Visits: %s", people[i]);
		ics_begin(&out, calendar);
		for (j = 0; j < plan->nplanned; j++) {
			const struct ka_visit_planned *p = &plan->planned[j];

			if (strcmp(p->visitor, people[i]) != 0)
				continue;
			ka_date_format(p->due, due);
			ka_buf_reset(&seed);
			ka_buf_printf(&seed, "visit%c%s%c%s%c%s", 0x1f,
			    p->customer_id, 0x1f,
			    ka_visit_level_name(p->level), 0x1f, due);
			ka_buf_reset(&summary);
			ka_buf_printf(&summary, "Visit %s%s%s%s, %s level",
			    p->customer, p->customer[0] ? " (" : "",
			    p->customer_id, p->customer[0] ? ")" : "",
			    ka_visit_level_name(p->level));
			ka_buf_reset(&description);
			ka_buf_printf(&description, "%s\nCustomer: %s %s\n"
			    "Tier: %s\nContact level: %s\nDue: %s\nOwner: %s",
			    p->reason, p->customer_id, p->customer, p->tier,
			    ka_visit_level_name(p->level), due,
			    p->owner[0] ? p->owner : "-");
			ics_event(&out, seed.text, seed.length, v->config.as_of,
			    p->date, summary.text, p->city, description.text,
			    "TENTATIVE");
		}
		ics_raw(&out, "END:VCALENDAR");
		r = write_file(dir, names[i], &out, error, size);
	}
	ka_buf_free(&out);
	ka_buf_free(&seed);
	ka_buf_free(&summary);
	ka_buf_free(&description);
	free_names(names, plan->nload);
	free(people);
	return r;
}

static int
string_compare(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int
ka_visit_ics_invite(const ka_visit *v, const struct ka_visit_invitee *rows,
    size_t n, ka_date date, const char *dir, char *error, size_t size)
{
	const char **owners;
	char **names, day[KA_DATE_BUFSIZE], last[KA_DATE_BUFSIZE];
	char calendar[300];
	struct ka_buf out = { NULL, 0, 0 }, seed = { NULL, 0, 0 },
	    summary = { NULL, 0, 0 }, description = { NULL, 0, 0 };
	size_t i, j, nowners = 0;
	int r = 0;

	if (make_dir(dir, error, size) < 0)
		return -1;
	owners = ka_calloc(n + 1, sizeof(*owners));
	for (i = 0; i < n; i++) {
		const char *owner = rows[i].owner[0] ? rows[i].owner :
		    "unassigned";

		for (j = 0; j < nowners; j++)
			if (strcmp(owners[j], owner) == 0)
				break;
		if (j == nowners)
			owners[nowners++] = owner;
	}
	sort(owners, nowners, sizeof(*owners), string_compare);
	names = file_names(owners, nowners);
	ka_date_format(date, day);
	for (i = 0; i < nowners && r == 0; i++) {
		ka_buf_reset(&out);
		snprintf(calendar, sizeof(calendar), "Round-table %s: %s", day,
		    owners[i]);
		ics_begin(&out, calendar);
		for (j = 0; j < n; j++) {
			const struct ka_visit_invitee *p = &rows[j];
			const char *owner = p->owner[0] ? p->owner :
			    "unassigned";

			if (strcmp(owner, owners[i]) != 0)
				continue;
			ka_buf_reset(&seed);
			ka_buf_printf(&seed, "round-table%c%s%c%s", 0x1f, day,
			    0x1f, p->customer_id);
			ka_buf_reset(&summary);
			ka_buf_printf(&summary, "Round-table: invite %s%s%s%s",
			    p->customer, p->customer[0] ? " (" : "",
			    p->customer_id, p->customer[0] ? ")" : "");
			if (p->last_executive_visit != KA_DATE_NONE)
				ka_date_format(p->last_executive_visit, last);
			else
				snprintf(last, sizeof(last), "never");
			ka_buf_reset(&description);
			ka_buf_printf(&description, "Key-account round-table "
			    "on %s\nCustomer: %s %s\nTier: %s\nContacts: %s\n"
			    "Last executive visit: %s\nOwner: %s", day,
			    p->customer_id, p->customer, p->tier,
			    p->contacts[0] ? p->contacts : "-", last,
			    p->owner[0] ? p->owner : "-");
			ics_event(&out, seed.text, seed.length, v->config.as_of,
			    date, summary.text, NULL, description.text, NULL);
		}
		ics_raw(&out, "END:VCALENDAR");
		r = write_file(dir, names[i], &out, error, size);
	}
	ka_buf_free(&out);
	ka_buf_free(&seed);
	ka_buf_free(&summary);
	ka_buf_free(&description);
	free_names(names, nowners);
	free(owners);
	return r;
}

/* ---- the report section ---- */

static size_t
days_in(struct visitor *p, ka_date first, ka_date last)
{
	size_t i, n = 0;

	if (p->ndays > 0)
		p->ndays = unique_days(p->days, p->ndays);
	for (i = 0; i < p->ndays; i++)
		if (p->days[i] >= first && p->days[i] <= last)
			n++;
	return n;
}

void
ka_visit_report(ka_visit *v, const ka_period *period, int within,
    struct ka_visit_report *report)
{
	static const int bands[3] = { 14, 45, 90 };
	struct ka_visit_status_row *rows;
	size_t i, n, kept = 0;
	const char *previous = NULL;
	double goal_days = 0;
	int *order;
	size_t nexec = 0;

	memset(report, 0, sizeof(*report));
	report->as_of = v->config.as_of;
	report->period = *period;
	report->tier = v->ntiers > 0 ? v->tier[0] : "";
	for (i = 0; i < v->naccounts; i++)
		if (v->accounts[i].tier == 0)
			report->tier_accounts++;
	{
		/* The status of the best tier, whatever --tier selected. */
		int any = v->any_selected, selected[MAX_TIERS];

		memcpy(selected, v->selected, sizeof(selected));
		memset(v->selected, 0, sizeof(v->selected));
		v->selected[0] = 1;
		v->any_selected = 1;
		n = ka_visit_status(v, &rows);
		memcpy(v->selected, selected, sizeof(selected));
		v->any_selected = any;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].state != KA_VISIT_NEVER &&
		    rows[i].state != KA_VISIT_OVERDUE)
			continue;
		rows[kept++] = rows[i];
	}
	report->overdue = rows;
	report->noverdue = kept;
	/* Distinct accounts: count ids in sorted order. */
	{
		const char **ids = ka_calloc(kept + 1, sizeof(*ids));

		for (i = 0; i < kept; i++)
			ids[i] = rows[i].customer_id;
		sort(ids, kept, sizeof(*ids), string_compare);
		for (i = 0; i < kept; i++) {
			if (previous == NULL || strcmp(previous, ids[i]) != 0)
				report->overdue_accounts++;
			previous = ids[i];
		}
		free(ids);
	}

	order = ka_calloc(v->nvisitors + 1, sizeof(*order));
	for (i = 0; i < v->nvisitors; i++) {
		const struct visitor *p = &v->visitors[i];

		if ((v->have_visitors_file && !p->from_file) ||
		    p->role != KA_VISIT_ROLE_EXECUTIVE)
			continue;
		order[nexec++] = (int)i;
	}
	sort_visit = v;
	sort(order, nexec, sizeof(*order), visitor_index_compare);
	report->executives = ka_calloc(nexec + 1, sizeof(*report->executives));
	report->nexecutives = nexec;
	for (i = 0; i < nexec; i++) {
		struct visitor *p = &v->visitors[order[i]];
		struct ka_visit_exec_time *e = &report->executives[i];
		struct ka_visit_share share = p->from_file ? p->share :
		    ka_visit_default_share(KA_VISIT_ROLE_EXECUTIVE);

		e->visitor = p->name;
		e->working_days = ka_visit_working_days(v, p->name,
		    period->first, period->last);
		e->visiting_days = (int)days_in(p, period->first,
		    period->last);
		e->visiting_pct = percent(e->visiting_days, e->working_days);
		e->goal_pct = ka_visit_share_percent(share);
		report->working_days += e->working_days;
		report->visiting_days += e->visiting_days;
		goal_days += (double)share.num * e->working_days / share.den;
	}
	report->visiting_pct = percent(report->visiting_days,
	    report->working_days);
	/* The goal of several executives weighs each by working days;
	   this one figure goes through a double, rounded at the end. */
	if (report->working_days > 0) {
		double pct = goal_days * 100.0 / report->working_days;

		report->goal_pct = (ka_dec)(pct * 100.0 + 0.5) * 100;
	} else {
		report->goal_pct = ka_visit_share_percent(
		    ka_visit_default_share(KA_VISIT_ROLE_EXECUTIVE));
	}
	free(order);
	report->nevents = ka_visit_upcoming(v, within, bands,
	    &report->events);
}

void
ka_visit_report_free(struct ka_visit_report *report)
{
	free(report->overdue);
	free(report->executives);
	free(report->events);
	memset(report, 0, sizeof(*report));
}
