/*
 * ka_report_promos: the promotions section of ka-report (--promos FILE).
 * The promotion engine (ka_promo.h) reads the key accounts, the
 * promotions and the sales a second time, and measures the promotions
 * that ended in the report's period exactly as
 *	ka-promo evaluate -p FILE -a ACCOUNTS --period P SALES
 * does (the pre baseline: the 8 weeks before each promotion; the dip:
 * the 8 weeks after it).  ka_promo_report() does all of it; this file
 * only words and lays out its figures: each promotion's customer,
 * mechanic, scope, window and flags in a sentence, its lift, dip, net
 * effect and ROI in the table, and the totals of the period above.
 * Money is shown to the cent as the engine computed it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_msg.h"
#include "ka_promo.h"
#include "ka_report_sections.h"

#define NCOLUMNS	7

struct words {
	const char	*title;
	const char	*columns[NCOLUMNS];
	const char	*none;		/* a figure that is not there */
};

static const struct words english = {
	"Promotions",
	{ "customer", "promo", "lift", "dip", "net", "ROI", "net ROI" },
	"n/a"
};

static const struct words chinese = {
	"促销效果",
	{ "客户", "促销", "增量", "回落", "净效果", "ROI", "净ROI" },
	"无"
};

static const int numeric[NCOLUMNS] = { 0, 0, 1, 1, 1, 1, 1 };

/* ---- figures as text ---- */

static const char *
money(ka_dec v, char *out, size_t size)
{
	ka_display_money(v, 2, out, size);
	return out;
}

/* "2026-09-07..2026-09-20", "2026年9月7日至2026年9月20日". */
static const char *
range_text(int zh, ka_date first, ka_date last, char *out, size_t size)
{
	char a[32], b[32];

	ka_report_date_text(zh, first, a, sizeof(a));
	ka_report_date_text(zh, last, b, sizeof(b));
	snprintf(out, size, zh ? "%s至%s" : "%s..%s", a, b);
	return out;
}

/* The period as the report's headline names it. */
static const char *
period_text(int zh, const ka_period *p, char *out, size_t size)
{
	char canonical[KA_PERIOD_BUFSIZE], range[80];
	int y, m, d;

	ka_period_format(p, canonical, sizeof(canonical));
	ka_date_to_ymd(p->first, &y, &m, &d);
	range_text(zh, p->first, p->last, range, sizeof(range));
	if (!zh) {
		if (p->kind == KA_PERIOD_RANGE || p->kind == KA_PERIOD_DAY)
			snprintf(out, size, "%s", canonical);
		else
			snprintf(out, size, "%s (%s)", canonical, range);
		return out;
	}
	switch (p->kind) {
	case KA_PERIOD_YEAR:
		snprintf(out, size, "%d年", y);
		break;
	case KA_PERIOD_QUARTER:
		snprintf(out, size, "%d年第%d季度（%s）", y, (m + 2) / 3, range);
		break;
	case KA_PERIOD_MONTH:
		snprintf(out, size, "%d年%d月", y, m);
		break;
	case KA_PERIOD_WEEK:
		ka_date_iso_week(p->first, &y, &m);
		snprintf(out, size, "%d年第%d周（%s）", y, m, range);
		break;
	case KA_PERIOD_DAY:
		ka_report_date_text(1, p->first, out, size);
		break;
	default:
		snprintf(out, size, "%s", range);
		break;
	}
	return out;
}

static const char *
name_of(const struct ka_promo_row *r)
{
	return r->customer != NULL && *r->customer != '\0' ? r->customer :
	    r->customer_id;
}

/* A mechanic in Chinese where it is a common word; else as written. */
static void
mechanic_text(int zh, const char *mechanic, struct ka_buf *b)
{
	static const char *const known[][2] = {
		{ "discount", "折扣" }, { "bundle", "组合装" },
		{ "display", "陈列" }, { "feature", "重点推荐" },
		{ "rebate", "返利" }, { "coupon", "优惠券" },
		{ "sampling", "试吃" }, { "gift", "赠品" }
	};
	const char *p = mechanic;
	size_t length, k;

	if (mechanic == NULL || *mechanic == '\0') {
		ka_buf_puts(b, zh ? "促销" : "a promotion");
		return;
	}
	if (!zh) {
		ka_buf_puts(b, mechanic);
		return;
	}
	/* A combined row says "discount+display". */
	for (;;) {
		length = strcspn(p, "+");
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strlen(known[k][0]) == length &&
			    strncmp(known[k][0], p, length) == 0)
				break;
		if (k < sizeof(known) / sizeof(known[0]))
			ka_buf_puts(b, known[k][1]);
		else
			ka_buf_add(b, p, length);
		if (p[length] == '\0')
			break;
		ka_buf_puts(b, "+");
		p += length + 1;
	}
}

/* "category Snacks", "品类 Snacks", "everything", "全部商品". */
static void
scope_text(int zh, const char *scope, struct ka_buf *b)
{
	if (strncmp(scope, "sku:", 4) == 0)
		ka_buf_printf(b, zh ? "商品 %s" : "sku %s", scope + 4);
	else if (strncmp(scope, "category:", 9) == 0)
		ka_buf_printf(b, zh ? "品类 %s" : "category %s", scope + 9);
	else if (strcmp(scope, "all") == 0)
		ka_buf_puts(b, zh ? "全部商品" : "everything");
	else
		ka_buf_puts(b, scope);
}

/* "PR01;PR12" -> "PR01, PR12" (or "PR01、PR12"). */
static void
list_text(int zh, const char *list, struct ka_buf *b)
{
	const char *p;

	for (p = list; *p != '\0'; p++) {
		if (*p == ';')
			ka_buf_puts(b, zh ? "、" : ", ");
		else
			ka_buf_add(b, p, 1);
	}
}


/* ---- checks before reading ---- */

static int
is_stdin(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/*
 * A file that must be there: the reader would print why it is not and
 * leave the message empty, so it is looked at first.  Standard input
 * passes (the reader reads it once).
 */
static int
readable(const char *what, const char *path, char *error, size_t size)
{
	struct stat st;
	FILE *f;

	if (is_stdin(path))
		return 0;
	if (*path == '\0') {
		snprintf(error, size, "--%s needs a file name", what);
		return -2;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(error, size, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		snprintf(error, size, "--%s %s: a directory, not a file",
		    what, path);
		return -2;
	}
	fclose(f);
	return 0;
}

/* Usage errors the section can see before it reads anything. */
static int
check_inputs(const struct ka_report_inputs *in, char *error, size_t size)
{
	size_t i;
	int rc;

	for (i = 0; i < in->nsales && !is_stdin(in->sales[i]); i++)
		;
	if (in->nsales == 0 || i < in->nsales) {
		snprintf(error, size, "--promos reads the sales a second "
		    "time: give them as files, not on standard input");
		return -2;
	}
	if (is_stdin(in->promos) && is_stdin(in->accounts)) {
		snprintf(error, size, "standard input can be read only once: "
		    "give the promotions or the accounts as a file");
		return -2;
	}
	if ((rc = readable("promos", in->promos, error, size)) < 0)
		return rc;
	if (in->accounts != NULL && (rc = readable("accounts", in->accounts,
	    error, size)) < 0)
		return rc;
	return 0;
}

/*
 * The engine names the accounts file in "unknown customer" messages;
 * ka-report's own is a temporary file, named here for what it is.
 */
static void
name_temporary(const struct ka_report_inputs *in, char *error, size_t size)
{
	struct ka_buf b = { 0 };
	const char *at;

	if (in->accounts == NULL || !in->accounts_ranked ||
	    (at = strstr(error, in->accounts)) == NULL)
		return;
	ka_buf_add(&b, error, (size_t)(at - error));
	ka_buf_puts(&b, "the key accounts (ka-report's ranking of its risk "
	    "window; give them with --accounts)");
	ka_buf_puts(&b, at + strlen(in->accounts));
	snprintf(error, size, "%s", b.text);
	ka_buf_free(&b);
}

/*
 * "the sales have no sku column" (a scope needs it): the file and the
 * way to name the column, as ka_roles_require() would say.
 */
static void
name_sales(const struct ka_report_inputs *in, char *error, size_t size)
{
	static const char prefix[] = "the sales have no ";
	char role[64];
	size_t length;

	if (strncmp(error, prefix, strlen(prefix)) != 0)
		return;
	length = strcspn(error + strlen(prefix), " ");
	if (length == 0 || length >= sizeof(role))
		return;
	memcpy(role, error + strlen(prefix), length);
	role[length] = '\0';
	snprintf(error, size, "%s: no %s column, which the promotions' "
	    "scopes need; name one with --col %s=NAME", in->sales[0], role,
	    role);
}

/* ---- the section ---- */

struct tally {
	size_t	lifted;		/* rows with a lift: a baseline */
	size_t	with_cost, with_roi;
	size_t	ids;		/* distinct promotions: rows of one count once */
};

static void
count_rows(const struct ka_promo_section *s, struct tally *t)
{
	size_t i, k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < s->nrows; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(s->rows[k]->promo_id,
			    s->rows[i]->promo_id) == 0)
				break;
		if (k == i)
			t->ids++;
		if (s->rows[i]->measured)
			t->lifted++;
		if (s->rows[i]->has_cost)
			t->with_cost++;
		if (s->rows[i]->has_roi)
			t->with_roi++;
	}
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* What the period's promotions came to, in two or three lines. */
static void
summary_lines(const struct ka_report_inputs *in,
    const struct ka_promo_section *s, struct ka_report_section *out)
{
	int zh = in->lang == KA_LANG_ZH;
	char period[160], cost[48], lift[48], net[48], margin[48];
	char roi[48], net_roi[48], rows[64];
	struct ka_buf b = { 0 };
	struct tally t;
	size_t negative, dip;

	period_text(zh, &s->period, period, sizeof(period));
	if (s->promotions == 0) {
		if (zh)
			ka_section_line(out, "%s没有结束的促销。", period);
		else
			ka_section_line(out, "No promotion ended in %s.",
			    period);
		return;
	}
	count_rows(s, &t);
	money(s->cost, cost, sizeof(cost));
	/* A promotion for a tier or all has a row for each account. */
	if (t.ids < s->promotions)
		snprintf(rows, sizeof(rows), zh ? "（按客户分%zu行测算）" :
		    ", measured for %zu accounts", s->promotions);
	else
		rows[0] = '\0';
	if (t.with_cost == 0 && zh)
		ka_section_line(out, "%s结束的促销%zu项%s，均未给费用。", period,
		    t.ids, rows);
	else if (t.with_cost == 0)
		ka_section_line(out, "%zu %s ended in %s%s, with no cost given.",
		    t.ids, plural(t.ids, "promotion", "promotions"), period,
		    rows);
	else if (zh)
		ka_section_line(out, "%s结束的促销%zu项%s，费用共%s。", period,
		    t.ids, rows, cost);
	else
		ka_section_line(out, "%zu %s ended in %s%s, costing %s%s.",
		    t.ids, plural(t.ids, "promotion", "promotions"), period,
		    rows, cost, s->promotions == 1 ? "" : " in all");

	/* The figures, over the rows that have them. */
	if (t.lifted == 0) {
		ka_section_line(out, zh ? "均无基线，无法测算。" :
		    "None could be measured: no baseline.");
		return;
	}
	money(s->lift_revenue, lift, sizeof(lift));
	if (zh) {
		ka_buf_printf(&b, "销售额增量%s", lift);
		if (t.lifted < s->promotions)
			ka_buf_printf(&b, "（已测算%zu项）", t.lifted);
	} else {
		ka_buf_printf(&b, "Revenue lift %s", lift);
		if (t.lifted < s->promotions)
			ka_buf_printf(&b, " (the %zu measured)", t.lifted);
	}
	if (s->measured > 0) {
		money(s->net_revenue, net, sizeof(net));
		if (zh)
			ka_buf_printf(&b, "，扣除其后回落的净效果%s", net);
		else
			ka_buf_printf(&b, "; net of the dip after, %s", net);
		if (s->measured < t.lifted)
			ka_buf_printf(&b, zh ? "（测得回落的%zu项）" :
			    " (the %zu with a dip measured)", s->measured);
		if (s->has_margin) {
			money(s->net_margin, margin, sizeof(margin));
			ka_buf_printf(&b, zh ? "，净毛利%s" :
			    ", net margin %s", margin);
		}
	}
	if (s->has_roi) {
		money(s->roi, roi, sizeof(roi));
		if (zh)
			ka_buf_printf(&b, "；%s回报率%s", t.lifted == 1 ? "" :
			    "合计", roi);
		else
			ka_buf_printf(&b, "; %s %s", t.lifted == 1 ? "ROI" :
			    "pooled ROI", roi);
		if (s->has_net_roi) {
			money(s->net_roi, net_roi, sizeof(net_roi));
			ka_buf_printf(&b, zh ? "，净回报率%s" : ", net ROI %s",
			    net_roi);
		}
	} else
		ka_buf_puts(&b, zh ? "；无费用或毛利，无回报率" :
		    "; no ROI: no cost or no margin");
	ka_buf_puts(&b, zh ? "。" : ".");
	ka_section_line(out, "%s", b.text);
	ka_buf_free(&b);

	/* The warnings: ROI below 0 (where there is an ROI), dips. */
	negative = s->negative_roi;
	dip = s->dip_exceeds_lift;
	if (t.with_roi == 0 && zh)
		ka_section_line(out, dip == 0 ? "没有促销其后回落超过增量。" :
		    "其后回落超过增量的有%zu项。", dip);
	else if (t.with_roi == 0)
		ka_section_line(out, dip == 0 ? "In none did the dip after "
		    "exceed the lift." : "In %zu the dip after exceeded the "
		    "lift.", dip);
	else if (zh && negative + dip == 0)
		ka_section_line(out, "没有促销回报率为负，也没有回落超过增量。");
	else if (zh)
		ka_section_line(out, "回报率为负（毛利减少）%zu项；其后回落超过"
		    "增量%zu项。", negative, dip);
	else if (negative + dip == 0)
		ka_section_line(out, "None lost margin, and in none did the "
		    "dip after exceed the lift.");
	else
		ka_section_line(out, "%zu lost margin (ROI below 0); in %zu the "
		    "dip after exceeded the lift.", negative, dip);
}

/* How the figures were made, once for the section. */
static void
method_line(const struct ka_report_inputs *in, const struct ka_promo_config *c,
    struct ka_report_section *out)
{
	int post = c->post_weeks < 0 ? c->weeks : c->post_weeks;

	if (in->lang == KA_LANG_ZH)
		ka_section_line(out, "基线：每项促销开始前%d周的周均销售额（剔除"
		    "其他促销所在的周，ka-promo 的 pre 方法）；回落：促销结束后"
		    "%d周低于基线的部分；净效果 = 增量 - 回落；回报率 = 增量毛利"
		    " / 费用，净回报率计入回落。", c->weeks, post);
	else
		ka_section_line(out, "Baseline: each account's mean weekly "
		    "sales of the %d weeks before the promotion, weeks of other "
		    "promotions left out (ka-promo's pre method); dip: how far "
		    "sales fell below it in the %d weeks after; net = lift - "
		    "dip; ROI = incremental margin / cost, net ROI counts the "
		    "dip too.", c->weeks, post);
}

/* One promotion in words: what, where, when, and its flags. */
static void
promotion_line(const struct ka_report_inputs *in,
    const struct ka_promo_config *c, const struct ka_promo_row *r,
    int any_cost, struct ka_report_section *out)
{
	int zh = in->lang == KA_LANG_ZH;
	int post = c->post_weeks < 0 ? c->weeks : c->post_weeks;
	const char *sep = zh ? "；" : "; ";
	char window[96], pct[48], value[48];
	struct ka_buf b = { 0 };

	range_text(zh, r->start, r->end, window, sizeof(window));
	ka_buf_printf(&b, zh ? "%s，%s：" : "%s, %s: ", r->promo_id,
	    name_of(r));
	mechanic_text(zh, r->mechanic, &b);
	if (r->has_discount) {
		ka_dec_format(r->discount_pct, -1, pct);
		ka_buf_printf(&b, " %s%%", pct);
	}
	ka_buf_puts(&b, zh ? "，" : " on ");
	scope_text(zh, r->scope, &b);
	ka_buf_printf(&b, zh ? "，%s（%d天）" : ", %s (%d days)", window,
	    r->days);
	if (r->flags & KA_PROMO_OVERLAP) {
		ka_buf_puts(&b, sep);
		list_text(zh, r->overlaps, &b);
		ka_buf_puts(&b, zh ? "同一范围、时间重叠，合并测算" :
		    " overlap on the same scope: measured together");
	}
	if (r->has_lift_revenue_pct) {
		ka_dec_format(r->lift_revenue_pct, 2, pct);
		ka_buf_printf(&b, zh ? "%s销售额比基线%s%s%%" :
		    "%srevenue %s%s%% on the baseline", sep,
		    r->lift_revenue_pct >= 0 ? "+" : "", pct);
	}
	if (r->flags & KA_PROMO_NO_BASELINE)
		ka_buf_printf(&b, zh ? "%s无基线，不作测算" :
		    "%sno baseline, so no figures", sep);
	if (r->flags & KA_PROMO_TOO_SHORT_BASELINE)
		ka_buf_printf(&b, zh ? "%s基线仅%d周（应为%d周）" :
		    "%sa baseline of only %d of %d weeks", sep,
		    r->baseline_weeks, c->weeks);
	if (r->flags & KA_PROMO_NEGATIVE_ROI)
		ka_buf_printf(&b, zh ? "%s回报率为负：毛利减少" :
		    "%slost margin (ROI below 0)", sep);
	if (r->flags & KA_PROMO_DIP_EXCEEDS_LIFT)
		ka_buf_printf(&b, zh ? "%s其后回落超过增量" :
		    "%sthe dip after exceeded the lift", sep);
	else if (r->has_dip && r->dip_revenue > 0)
		ka_buf_printf(&b, zh ? "%s其后销售额低于基线%s（回落）" :
		    "%ssales after it fell %s below the baseline (the dip)",
		    sep, money(r->dip_revenue, value, sizeof(value)));
	else if (r->has_dip && r->dip_revenue < 0)
		ka_buf_printf(&b, zh ? "%s其后销售额高出基线%s（无回落）" :
		    "%ssales after it ran %s above the baseline (no dip)",
		    sep, money(-r->dip_revenue, value, sizeof(value)));
	if ((r->flags & KA_PROMO_SHORT_POST) && r->post_weeks == 0)
		ka_buf_printf(&b, zh ? "%s其后没有可测算回落的周" :
		    "%sno week after it to measure a dip in", sep);
	else if (r->flags & KA_PROMO_SHORT_POST)
		ka_buf_printf(&b, zh ? "%s回落仅测算%d周（应为%d周）" :
		    "%sthe dip measured over only %d of %d weeks", sep,
		    r->post_weeks, post);
	if (r->flags & KA_PROMO_NESTED_OVERLAP) {
		ka_buf_puts(&b, sep);
		if (!zh)
			ka_buf_puts(&b, "overlaps ");
		list_text(zh, r->overlaps, &b);
		ka_buf_puts(&b, zh ? "与其范围嵌套、时间重叠，各自测算" :
		    " on a nested scope (each measured on its own)");
	}
	if (r->flags & KA_PROMO_YOY_PROMOTED)
		ka_buf_printf(&b, zh ? "%s去年同期也有促销" :
		    "%sa promotion ran in the year-ago weeks", sep);
	/* (When no promotion has a cost, the first line says so.) */
	if (r->measured && !r->has_cost && any_cost)
		ka_buf_printf(&b, zh ? "%s未给费用，无回报率" :
		    "%sno cost given, so no ROI", sep);
	ka_buf_puts(&b, zh ? "。" : ".");
	ka_section_line(out, "%s", b.text);
	ka_buf_free(&b);
}


/* Which command shows the same figures. */
static void
check_line(const struct ka_report_inputs *in, const ka_period *period,
    struct ka_report_section *out)
{
	int ranked = in->accounts_ranked;
	int zh = in->lang == KA_LANG_ZH;
	char text[KA_PERIOD_BUFSIZE];
	struct ka_buf b = { 0 };
	size_t i;

	ka_period_format(period, text, sizeof(text));
	ka_buf_puts(&b, zh ? "核对：" : "Same figures: ");
	ka_buf_puts(&b, "ka-promo evaluate -p ");
	ka_shell_word(&b, in->promos);
	if (in->accounts != NULL) {
		ka_buf_puts(&b, " -a ");
		if (ranked)
			ka_buf_puts(&b, "ACCOUNTS");
		else
			ka_shell_word(&b, in->accounts);
	}
	ka_buf_puts(&b, " --period ");
	ka_shell_word(&b, text);
	ka_report_reading_options(in, &b);
	for (i = 0; i < in->nsales; i++) {
		ka_buf_puts(&b, " ");
		ka_shell_word(&b, in->sales[i]);
	}
	if (ranked)
		ka_buf_puts(&b, zh ? "（ACCOUNTS：风险窗口的 ka-rank 结果）" :
		    " (ACCOUNTS: ka-rank of the risk window)");
	ka_section_line(out, "%s", b.text);
	ka_buf_free(&b);
}

/* A figure, or the word for one that is not there. */
static void
figure_cell(struct ka_report_section *out, const struct words *w, int has,
    ka_dec v)
{
	char text[48];

	if (has)
		ka_section_cell(out, "%s", money(v, text, sizeof(text)));
	else
		ka_section_cell(out, "%s", w->none);
}

static void
table(const struct ka_report_inputs *in, const struct ka_promo_section *s,
    struct ka_report_section *out)
{
	const struct words *w = in->lang == KA_LANG_ZH ? &chinese : &english;
	size_t i;

	if (s->nrows == 0)
		return;
	ka_section_columns(out, w->columns, numeric, NCOLUMNS);
	for (i = 0; i < s->nrows; i++) {
		const struct ka_promo_row *r = s->rows[i];

		ka_section_cell(out, "%s", name_of(r));
		ka_section_cell(out, "%s", r->promo_id);
		figure_cell(out, w, r->measured, r->lift_revenue);
		figure_cell(out, w, r->measured && r->has_dip, r->dip_revenue);
		figure_cell(out, w, r->measured && r->has_dip, r->net_revenue);
		figure_cell(out, w, r->has_roi, r->roi);
		figure_cell(out, w, r->has_net_roi, r->net_roi);
	}
}

int
ka_report_promos(const struct ka_report_inputs *in,
    struct ka_report_section *out, char *error, size_t size)
{
	const struct words *w = in->lang == KA_LANG_ZH ? &chinese : &english;
	struct ka_promo_config config;
	struct ka_promo_section section;
	ka_promo *engine;
	size_t i;
	int rc, any_cost;

	if ((rc = check_inputs(in, error, size)) < 0)
		return rc;
	ka_promo_config_init(&config);
	config.decimal_comma = in->decimal_comma;
	config.date_format = in->date_format;
	config.null_string = in->null_string;
	if (size > 0)
		error[0] = '\0';
	rc = ka_promo_report(&config, in->promos, in->accounts, in->sales,
	    in->nsales, in->read, in->roles, &in->period, &engine, &section,
	    error, size);
	if (rc != 0) {
		/* The reader has printed why; say which input it was. */
		if (size > 0 && error[0] == '\0')
			snprintf(error, size, "%s: cannot read the promotions "
			    "or the sales they are measured on", in->promos);
		name_temporary(in, error, size);
		if (rc == KA_EXIT_USAGE)
			name_sales(in, error, size);
		return rc == KA_EXIT_USAGE ? -2 : -1;
	}
	ka_section_init(out, "promos", w->title);
	summary_lines(in, &section, out);
	if (section.nrows > 0)
		method_line(in, &config, out);
	for (i = 0; i < section.nrows; i++)
		if (section.rows[i]->has_cost)
			break;
	any_cost = i < section.nrows;
	for (i = 0; i < section.nrows; i++)
		promotion_line(in, &config, section.rows[i], any_cost, out);
	check_line(in, &in->period, out);
	table(in, &section, out);
	free(section.rows);
	ka_promo_free(engine);
	return 0;
}
