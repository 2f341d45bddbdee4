/*
 * The visits section of ka-report (--visits, --events, --visitors):
 * visit compliance of the best tier's accounts, executive time spent
 * visiting against the goal, and the account events ahead.  Every figure
 * comes from the ka-visit engine (ka_visit_report()), so ka-visit status
 * --tier A and ka-visit events --within 45 on the same files agree.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_msg.h"
#include "ka_report_sections.h"
#include "ka_utf8.h"
#include "ka_visit.h"

#define EVENT_DAYS	45	/* the urgent and prepare bands of ka-visit */
#define EVENT_LINES	10	/* events listed; the rest are counted */
#define TREND_DAYS	91	/* the 13 weeks that steady a week's figure */
#define LINE_WIDTH	78	/* a text line is indented by two columns */

/* ---- words ---- */

/* The period as the report names it: "2026-W47", "2026年第47周". */
static void
period_text(enum ka_report_lang lang, const ka_period *p, char *out,
    size_t size)
{
	char first[32], last[32];
	int y, m, d, w;

	ka_date_to_ymd(p->first, &y, &m, &d);
	if (lang != KA_LANG_ZH) {
		if (p->kind == KA_PERIOD_RANGE) {
			ka_report_date_text(lang == KA_LANG_ZH, p->first,
			    first, sizeof(first));
			ka_report_date_text(lang == KA_LANG_ZH, p->last,
			    last, sizeof(last));
			snprintf(out, size, "%s..%s", first, last);
		} else {
			ka_period_format(p, out, size);
		}
		return;
	}
	switch (p->kind) {
	case KA_PERIOD_YEAR:
		snprintf(out, size, "%d年", y);
		break;
	case KA_PERIOD_QUARTER:
		snprintf(out, size, "%d年第%d季度", y, (m + 2) / 3);
		break;
	case KA_PERIOD_MONTH:
		snprintf(out, size, "%d年%d月", y, m);
		break;
	case KA_PERIOD_WEEK:
		ka_date_iso_week(p->first, &y, &w);
		snprintf(out, size, "%d年第%d周", y, w);
		break;
	case KA_PERIOD_DAY:
		ka_report_date_text(lang == KA_LANG_ZH, p->first, out, size);
		break;
	default:
		ka_report_date_text(lang == KA_LANG_ZH, p->first,
		    first, sizeof(first));
		ka_report_date_text(lang == KA_LANG_ZH, p->last,
		    last, sizeof(last));
		snprintf(out, size, "%s至%s", first, last);
		break;
	}
}

static void
percent_text(ka_dec value, char *out, size_t size)
{
	ka_display_money(value, 2, out, size);
}

static const char *
level_text(enum ka_report_lang lang, enum ka_visit_level level)
{
	static const char *const zh[KA_VISIT_LEVELS] = { "高层", "管理层",
		"一线" };

	return lang == KA_LANG_ZH ? zh[level] : ka_visit_level_name(level);
}

/* "1st", "2nd", "3rd", "4th", "11th", "21st", ... */
static const char *
ordinal_suffix(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1:
		return "st";
	case 2:
		return "nd";
	case 3:
		return "rd";
	default:
		return "th";
	}
}

static void
kind_text(enum ka_report_lang lang, const struct ka_visit_upcoming *u,
    char *out, size_t size)
{
	static const char *const zh[KA_VISIT_KINDS] = { "周年", "荣誉",
		"发布", "搬迁", "会议", "其他事件" };

	if (u->kind == KA_VISIT_ANNIVERSARY && u->years > 0) {
		if (lang == KA_LANG_ZH)
			snprintf(out, size, "%d周年", u->years);
		else
			snprintf(out, size, "%d%s anniversary", u->years,
			    ordinal_suffix(u->years));
		return;
	}
	if (lang == KA_LANG_ZH)
		snprintf(out, size, "%s", zh[u->kind]);
	else if (u->kind == KA_VISIT_OTHER)
		snprintf(out, size, "event");
	else
		snprintf(out, size, "%s", ka_visit_kind_name(u->kind));
}

/* Text of a file on one line: line breaks and TABs become spaces. */
static void
add_flat(struct ka_buf *b, const char *text)
{
	for (; *text != '\0'; text++)
		ka_buf_add(b, *text == '\n' || *text == '\r' ||
		    *text == '\t' ? " " : text, 1);
}

static const char *
flat(struct ka_buf *b, const char *text)
{
	ka_buf_reset(b);
	add_flat(b, text);
	return b->text != NULL ? b->text : "";
}

/* Cut to the width of a text line, with an ellipsis. */
static const char *
fit_line(struct ka_buf *fitted, const char *text)
{
	ka_buf_reset(fitted);
	if (ka_utf8_width(text, strlen(text)) <= LINE_WIDTH) {
		ka_buf_puts(fitted, text);
	} else {
		ka_display_cell(fitted, text, LINE_WIDTH, 0, 0);
		while (fitted->length > 0 &&
		    fitted->text[fitted->length - 1] == ' ')
			fitted->text[--fitted->length] = '\0';
	}
	return fitted->text != NULL ? fitted->text : "";
}

/* ---- inputs ---- */

/*
 * The engine's reader reports a file it cannot open itself and leaves
 * the message empty; saying it here keeps ka-report's single message.
 */
static int
check_file(const char *option, const char *path, char *error, size_t size)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0)
		return 0;
	if ((fd = open(path, O_RDONLY)) < 0) {
		snprintf(error, size, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0)
		st.st_mode = 0;
	else if (S_ISDIR(st.st_mode))
		errno = EISDIR;
	if (st.st_mode == 0 || S_ISDIR(st.st_mode)) {
		snprintf(error, size, "%s: cannot open: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	/* Without a header no column can be found: as a missing column. */
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		snprintf(error, size, "%s: empty file: no header (%s)", path,
		    option);
		return -2;
	}
	return 0;
}

/* Standard input can feed one file, and only when the sales are files. */
static int
check_inputs(const struct ka_report_inputs *in, char *error, size_t size)
{
	const char *paths[3] = { in->visits, in->events, in->visitors };
	static const char *const options[3] = { "--visits", "--events",
		"--visitors" };
	const char *first = NULL;
	int sales_stdin = in->nsales == 0, r;
	size_t i;

	for (i = 0; i < in->nsales; i++)
		if (strcmp(in->sales[i], "-") == 0)
			sales_stdin = 1;
	for (i = 0; i < 3; i++) {
		if (paths[i] == NULL || strcmp(paths[i], "-") != 0)
			continue;
		if (sales_stdin) {
			snprintf(error, size, "%s -: standard input holds the "
			    "sales; give %s a file", options[i], options[i]);
			return -2;
		}
		if (first != NULL) {
			snprintf(error, size, "%s - and %s -: only one file "
			    "can be standard input", first, options[i]);
			return -2;
		}
		first = options[i];
	}
	for (i = 0; i < 3; i++)
		if (paths[i] != NULL && (r = check_file(options[i], paths[i],
		    error, size)) < 0)
			return r;
	return 0;
}

/* An engine status as the section's: -1 bad data, -2 missing column. */
static int
loaded(int status, const char *path, char *error, size_t size)
{
	if (status == 0)
		return 0;
	if (error[0] == '\0')
		snprintf(error, size, "%s: not read", path);
	return status == KA_VISIT_NO_COLUMN ? -2 : -1;
}

static int
load(const struct ka_report_inputs *in, ka_visit *v, char *error,
    size_t size)
{
	const char *accounts[1];
	int r;

	accounts[0] = in->accounts;
	error[0] = '\0';
	if ((r = loaded(ka_visit_load_policy(v, NULL, in->read, error, size),
	    "policy", error, size)) < 0)
		return r;
	if ((r = loaded(ka_visit_load_accounts(v, accounts, 1, in->read,
	    error, size), in->accounts, error, size)) < 0)
		return r;
	if (in->visitors != NULL && (r = loaded(ka_visit_load_visitors(v,
	    in->visitors, in->read, error, size), in->visitors, error,
	    size)) < 0)
		return r;
	if (in->events != NULL && (r = loaded(ka_visit_load_events(v,
	    in->events, in->read, error, size), in->events, error,
	    size)) < 0)
		return r;
	return loaded(ka_visit_load_visits(v, in->visits, in->read, error,
	    size), in->visits, error, size);
}


/* ---- the section ---- */

static void
compliance(struct ka_report_section *s, enum ka_report_lang lang,
    const struct ka_visit_report *r)
{
	static const char *const en[] = { "customer", "level", "last visit",
		"last visitor", "days overdue" };
	static const char *const zh[] = { "客户", "层级", "上次拜访",
		"上次拜访人", "逾期天数" };
	static const int numeric[] = { 0, 0, 0, 0, 1 };
	struct ka_buf text = { 0 };
	size_t i, never = 0;
	char day[32];

	for (i = 0; i < r->noverdue; i++)
		if (r->overdue[i].state == KA_VISIT_NEVER)
			never++;
	if (r->tier_accounts == 0) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "重点客户中没有%s级客户。", r->tier);
		else
			ka_section_line(s, "No tier-%s accounts among the key "
			    "accounts.", r->tier);
	} else if (r->overdue_accounts == 0) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "%s级客户拜访逾期：无（%zu家均按期拜访）。",
			    r->tier, r->tier_accounts);
		else
			ka_section_line(s, "Tier-%s accounts overdue: none of "
			    "%zu.", r->tier, r->tier_accounts);
	} else if (lang == KA_LANG_ZH) {
		if (never > 0)
			ka_section_line(s, "%s级客户拜访逾期：%zu家中%zu家（%zu个"
			    "接触层级，其中%zu个从未拜访）。", r->tier,
			    r->tier_accounts, r->overdue_accounts, r->noverdue,
			    never);
		else
			ka_section_line(s, "%s级客户拜访逾期：%zu家中%zu家（%zu个"
			    "接触层级）。", r->tier, r->tier_accounts,
			    r->overdue_accounts, r->noverdue);
	} else {
		if (never > 0)
			ka_section_line(s, "Tier-%s accounts overdue: %zu of "
			    "%zu (%zu contact %s, %zu never visited).",
			    r->tier, r->overdue_accounts,
			    r->tier_accounts, r->noverdue, r->noverdue == 1 ?
			    "level" : "levels", never);
		else
			ka_section_line(s, "Tier-%s accounts overdue: %zu of "
			    "%zu (%zu contact %s).", r->tier,
			    r->overdue_accounts, r->tier_accounts, r->noverdue,
			    r->noverdue == 1 ? "level" : "levels");
	}
	if (r->noverdue == 0)
		return;
	ka_section_columns(s, lang == KA_LANG_ZH ? zh : en, numeric, 5);
	for (i = 0; i < r->noverdue; i++) {
		const struct ka_visit_status_row *row = &r->overdue[i];

		ka_section_cell(s, "%s", flat(&text, row->customer[0] != '\0' ?
		    row->customer : row->customer_id));
		ka_section_cell(s, "%s", level_text(lang, row->level));
		if (row->state == KA_VISIT_NEVER) {
			ka_section_cell(s, "%s", lang == KA_LANG_ZH ? "从未" :
			    "never");
			ka_section_cell(s, "-");
			ka_section_cell(s, "-");
			continue;
		}
		ka_report_date_text(lang == KA_LANG_ZH, row->last_visit,
		    day, sizeof(day));
		ka_section_cell(s, "%s", day);
		ka_section_cell(s, "%s", row->last_visitor[0] != '\0' ?
		    flat(&text, row->last_visitor) : "-");
		ka_section_cell(s, "%ld", row->days_overdue);
	}
	ka_buf_free(&text);
}

/* The 13 weeks to the period's end, for each executive and in all. */
struct trend {
	int		 shown;
	ka_period	 period;
	struct ka_visit_report report;
};

static const struct ka_visit_exec_time *
trend_of(const struct trend *t, const char *visitor)
{
	size_t i;

	for (i = 0; t->shown && i < t->report.nexecutives; i++)
		if (strcmp(t->report.executives[i].visitor, visitor) == 0)
			return &t->report.executives[i];
	return NULL;
}

/* One executive's figures, or all of them ("All 3"): a line. */
static void
time_line(struct ka_report_section *s, enum ka_report_lang lang,
    const char *who, int working, int visiting, ka_dec visiting_pct,
    const struct ka_visit_exec_time *longer, ka_dec goal_pct)
{
	char pct[32], goal[32], trend[32];

	percent_text(visiting_pct, pct, sizeof(pct));
	percent_text(goal_pct, goal, sizeof(goal));
	trend[0] = '\0';
	if (longer != NULL && longer->working_days > 0)
		percent_text(longer->visiting_pct, trend, sizeof(trend));
	if (lang == KA_LANG_ZH)
		ka_section_line(s, "%s：%d个工作日中%d天（%s%%）%s%s%s，目标%s%%。",
		    who, working, visiting, pct, trend[0] ? "，最近13周" : "",
		    trend, trend[0] ? "%" : "", goal);
	else
		ka_section_line(s, "%s: %d of %d days (%s%%)%s%s%s, goal %s%%.",
		    who, visiting, working, pct, trend[0] ?
		    ", last 13 weeks " : "", trend, trend[0] ? "%" : "", goal);
}

static void
executive_time(struct ka_report_section *s, const struct ka_report_inputs *in,
    const ka_period *measured, int clipped, const struct ka_visit_report *r,
    const struct trend *t)
{
	enum ka_report_lang lang = in->lang;
	struct ka_visit_exec_time all;
	struct ka_buf text = { 0 };
	char name[96], upto[32], when[160], who[64];
	size_t i;

	period_text(lang, &in->period, name, sizeof(name));
	ka_report_date_text(lang == KA_LANG_ZH, in->as_of, upto, sizeof(upto));
	if (clipped && lang == KA_LANG_ZH)
		snprintf(when, sizeof(when), "%s（截至%s）", name, upto);
	else if (clipped)
		snprintf(when, sizeof(when), "%s (to %s)", name, upto);
	else
		snprintf(when, sizeof(when), "%s", name);
	if (r->nexecutives == 0) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "高管拜访时间：拜访记录和拜访人名单中都没有"
			    "高管。");
		else
			ka_section_line(s, "Executive time: no executive in the "
			    "visits log or the visitors file.");
		return;
	}
	if (measured->first > measured->last) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "高管拜访时间：%s在%s之后。", name,
			    upto);
		else
			ka_section_line(s, "Executive time: %s is after %s.",
			    name, upto);
		return;
	}
	if (r->working_days == 0) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "高管拜访时间：%s没有工作日。", when);
		else
			ka_section_line(s, "Executive time: no working days in "
			    "%s.", when);
		return;
	}
	if (lang == KA_LANG_ZH)
		ka_section_line(s, "高管拜访时间，%s：", when);
	else
		ka_section_line(s, "Executive time visiting in %s:", when);
	for (i = 0; i < r->nexecutives; i++) {
		const struct ka_visit_exec_time *e = &r->executives[i];

		time_line(s, lang, flat(&text, e->visitor), e->working_days,
		    e->visiting_days, e->visiting_pct, trend_of(t, e->visitor),
		    e->goal_pct);
	}
	ka_buf_free(&text);
	if (r->nexecutives < 2)
		return;
	/* Working days add up over the executives: "All 3" says so. */
	memset(&all, 0, sizeof(all));
	all.working_days = t->report.working_days;
	all.visiting_pct = t->report.visiting_pct;
	if (lang == KA_LANG_ZH)
		snprintf(who, sizeof(who), "全部%zu位", r->nexecutives);
	else
		snprintf(who, sizeof(who), "All %zu", r->nexecutives);
	time_line(s, lang, who, r->working_days, r->visiting_days,
	    r->visiting_pct, t->shown ? &all : NULL, r->goal_pct);
}

static void
events(struct ka_report_section *s, enum ka_report_lang lang,
    const struct ka_visit_report *r)
{
	struct ka_buf line = { 0 }, fitted = { 0 };
	char day[32], kind[64];
	size_t i, urgent = 0;

	for (i = 0; i < r->nevents; i++)
		if (r->events[i].band == 0)
			urgent++;
	if (r->nevents == 0) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "未来%d天的客户事件：无。", EVENT_DAYS);
		else
			ka_section_line(s, "Events in the next %d days: none.",
			    EVENT_DAYS);
		return;
	}
	if (lang == KA_LANG_ZH)
		ka_section_line(s, "未来%d天的客户事件：%zu项（其中14天内%zu项）。",
		    EVENT_DAYS, r->nevents, urgent);
	else
		ka_section_line(s, "Events in the next %d days: %zu (%zu within "
		    "14 days).", EVENT_DAYS, r->nevents, urgent);
	for (i = 0; i < r->nevents && i < EVENT_LINES; i++) {
		const struct ka_visit_upcoming *u = &r->events[i];

		ka_report_date_text(lang == KA_LANG_ZH, u->date,
		    day, sizeof(day));
		kind_text(lang, u, kind, sizeof(kind));
		ka_buf_reset(&line);
		ka_buf_printf(&line, "%s ", day);
		add_flat(&line, u->customer[0] != '\0' ? u->customer :
		    u->customer_id);
		ka_buf_printf(&line, "%s%s", lang == KA_LANG_ZH ? "：" : ": ",
		    kind);
		if (u->description[0] != '\0') {
			ka_buf_puts(&line, lang == KA_LANG_ZH ? "，" :
			    " \xe2\x80\x94 ");
			add_flat(&line, u->description);
		}
		ka_section_line(s, "%s", fit_line(&fitted, line.text));
	}
	if (r->nevents > EVENT_LINES) {
		if (lang == KA_LANG_ZH)
			ka_section_line(s, "……另有%zu项：ka-visit events "
			    "--within %d。", r->nevents - EVENT_LINES,
			    EVENT_DAYS);
		else
			ka_section_line(s, "... and %zu more: ka-visit events "
			    "--within %d.", r->nevents - EVENT_LINES,
			    EVENT_DAYS);
	}
	ka_buf_free(&line);
	ka_buf_free(&fitted);
}

int
ka_report_visits(const struct ka_report_inputs *in,
    struct ka_report_section *out, char *error, size_t size)
{
	struct ka_visit_config config;
	struct ka_visit_report report;
	struct trend trend;
	ka_period measured;
	ka_visit *v;
	int r, clipped = 0;

	if (in->visits == NULL) {
		snprintf(error, size, "the visits section needs --visits FILE");
		return -2;
	}
	if ((r = check_inputs(in, error, size)) < 0)
		return r;
	ka_visit_config_init(&config);
	config.as_of = in->as_of;
	config.date_format = in->date_format;
	config.null_string = in->null_string;
	v = ka_visit_new(&config);
	if ((r = load(in, v, error, size)) < 0) {
		ka_visit_free(v);
		return r;
	}
	ka_visit_warn_unused(v, 1, in->as_of);

	/* Visits after --as-of are not counted, nor are the days for them. */
	measured = in->period;
	if (measured.last > in->as_of) {
		measured.last = in->as_of;
		clipped = 1;
	}
	ka_visit_report(v, &measured, EVENT_DAYS, &report);
	memset(&trend, 0, sizeof(trend));
	if (measured.first <= measured.last &&
	    measured.last - measured.first + 1 < TREND_DAYS) {
		trend.shown = 1;
		trend.period.kind = KA_PERIOD_RANGE;
		trend.period.last = measured.last;
		trend.period.first = measured.last - TREND_DAYS + 1;
		ka_visit_report(v, &trend.period, 1, &trend.report);
	}

	ka_section_init(out, "visits", in->lang == KA_LANG_ZH ? "客户拜访" :
	    "Visits");
	compliance(out, in->lang, &report);
	executive_time(out, in, &measured, clipped, &report, &trend);
	if (in->events != NULL)
		events(out, in->lang, &report);
	/* The table and the event lines, from ka-visit itself. */
	if (in->lang == KA_LANG_ZH && in->events != NULL)
		ka_section_line(out, "核对：ka-visit status --tier %s；"
		    "ka-visit events --within %d。", report.tier, EVENT_DAYS);
	else if (in->lang == KA_LANG_ZH)
		ka_section_line(out, "核对：ka-visit status --tier %s。",
		    report.tier);
	else if (in->events != NULL)
		ka_section_line(out, "Same figures: ka-visit status --tier %s; "
		    "ka-visit events --within %d.", report.tier, EVENT_DAYS);
	else
		ka_section_line(out, "Same figures: ka-visit status --tier %s.",
		    report.tier);

	if (trend.shown)
		ka_visit_report_free(&trend.report);
	ka_visit_report_free(&report);
	ka_visit_free(v);
	return 0;
}
