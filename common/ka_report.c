#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_mime.h"
#include "ka_msg.h"
#include "ka_report.h"
#include "ka_svg.h"
#include "ka_utf8.h"

/* ---- labels ---- */

struct labels {
	const char *title, *period, *previous, *year_ago, *change;
	const char *measure, *revenue, *margin, *orders, *customers;
	const char *headline, *key_accounts, *movement, *concentration;
	const char *at_risk, *rank, *customer, *tier, *share, *growth;
	const char *rank_change, *trend, *entered_a, *left_a, *risers;
	const char *fallers, *new_accounts, *lost, *none, *hhi, *band;
	const char *top1, *top5, *top10, *largest_left, *days_since;
	const char *usual_gap, *flags, *prev_revenue, *as_of, *pareto;
	const char *pareto_x, *pareto_y, *weekly, *total, *tier_moves;
	const char *band_low, *band_mid, *band_high, *days, *generated;
	const char *lapsed, *declining, *concentration_flag;
	const char *mv_new, *mv_up, *mv_same, *mv_down, *mv_lost;
};

static const struct labels english = {
	"Key-account report", "this period", "previous", "last year",
	"change", "measure", "revenue", "margin", "orders",
	"active customers", "Headline", "Key accounts", "Movement",
	"Concentration", "At risk", "#", "customer", "tier", "share",
	"growth", "rank +/-", "last 12", "entered tier A", "left tier A",
	"biggest risers", "biggest fallers", "new accounts",
	"lost in the risk window (bought before it, not in it)", "none", "HHI", "band",
	"top 1 share", "top 5 share", "top 10 share",
	"if the largest account left", "days since",
	"usual gap", "flags", "previous revenue", "as of",
	"Pareto curve", "share of accounts", "cumulative share",
	"Revenue per period", "total", "Tier movement",
	"unconcentrated", "moderately concentrated", "highly concentrated",
	"days", "ka-report (ka-tools)", "lapsed", "declining",
	"concentration", "new", "up", "same", "down", "lost"
};

static const struct labels chinese = {
	"大客户报告", "本期", "上期", "去年同期", "变化", "指标", "销售额",
	"毛利", "订单数", "活跃客户", "概要", "大客户", "变动", "集中度",
	"风险客户", "#", "客户", "等级", "占比", "增长", "名次变化",
	"近12期", "进入A级", "离开A级", "上升最多", "下降最多", "新客户",
	"风险窗口内流失（此前购买，窗口内未购买）", "无", "HHI指数", "区间",
	"第一大客户占比", "前5大客户占比", "前10大客户占比",
	"若最大客户流失", "未下单天数", "通常间隔", "标记",
	"上期销售额", "截至", "帕累托曲线", "客户占比", "累计占比",
	"各期销售额", "合计", "等级变动", "不集中", "中度集中", "高度集中",
	"天", "ka-report (ka-tools)", "流失风险", "下滑", "集中风险",
	"新", "上升", "持平", "下降", "流失"
};

static const struct labels *
labels_of(const struct ka_report *r)
{
	return r->lang == KA_LANG_ZH ? &chinese : &english;
}

const char *
ka_report_hhi_band(double hhi)
{
	if (hhi < 1500)
		return "unconcentrated";
	if (hhi <= 2500)
		return "moderate";
	return "high";
}

static const char *
band_label(const struct ka_report *r)
{
	const struct labels *l = labels_of(r);

	if (r->hhi < 1500)
		return l->band_low;
	if (r->hhi <= 2500)
		return l->band_mid;
	return l->band_high;
}

static const char *
movement_label(const struct ka_report *r, const char *movement)
{
	const struct labels *l = labels_of(r);

	if (strcmp(movement, "new") == 0)
		return l->mv_new;
	if (strcmp(movement, "up") == 0)
		return l->mv_up;
	if (strcmp(movement, "down") == 0)
		return l->mv_down;
	if (strcmp(movement, "lost") == 0)
		return l->mv_lost;
	return l->mv_same;
}

/* ---- figures as text ---- */

const char *
ka_report_date_text(int zh, ka_date d, char *out, size_t size)
{
	int y, m, day;

	ka_date_to_ymd(d, &y, &m, &day);
	if (zh)
		snprintf(out, size, "%d年%d月%d日", y, m, day);
	else
		snprintf(out, size, "%04d-%02d-%02d", y, m, day);
	return out;
}

static void
period_text(const struct ka_report *r, const ka_period *p, char *out,
    size_t size)
{
	char canonical[40], first[24], last[24];
	int y, w, day, zh = r->lang == KA_LANG_ZH;

	ka_period_format(p, canonical, sizeof(canonical));
	ka_date_to_ymd(p->first, &y, &w, &day);
	if (zh && p->kind == KA_PERIOD_YEAR) {
		snprintf(out, size, "%d年", y);
		return;
	}
	if (zh && p->kind == KA_PERIOD_QUARTER) {
		snprintf(out, size, "%d年第%d季度", y, (w + 2) / 3);
		return;
	}
	if (zh && p->kind == KA_PERIOD_MONTH) {
		snprintf(out, size, "%d年%d月", y, w);
		return;
	}
	if (zh && p->kind == KA_PERIOD_DAY) {
		ka_report_date_text(zh, p->first, out, size);
		return;
	}
	if (zh && p->kind == KA_PERIOD_RANGE) {
		ka_report_date_text(zh, p->first, first, sizeof(first));
		ka_report_date_text(zh, p->last, last, sizeof(last));
		snprintf(out, size, "%s至%s", first, last);
		return;
	}
	if (zh && p->kind == KA_PERIOD_WEEK) {
		ka_date_iso_week(p->first, &y, &w);
		ka_report_date_text(zh, p->first, first, sizeof(first));
		ka_report_date_text(zh, p->last, last, sizeof(last));
		snprintf(out, size, "%d年第%d周（%s至%s）", y, w, first, last);
		return;
	}
	if (p->kind == KA_PERIOD_WEEK || p->kind == KA_PERIOD_RANGE) {
		ka_report_date_text(zh, p->first, first, sizeof(first));
		ka_report_date_text(zh, p->last, last, sizeof(last));
		if (p->kind == KA_PERIOD_WEEK)
			snprintf(out, size, "%s (%s..%s)", canonical, first,
			    last);
		else
			snprintf(out, size, "%s..%s", first, last);
		return;
	}
	snprintf(out, size, "%s", canonical);
}

static void
money(ka_dec v, char *out, size_t size)
{
	ka_display_money(v, 2, out, size);
}

static double
change_percent(ka_dec now, ka_dec before)
{
	if (before == 0)
		return NAN;
	return (ka_dec_to_double(now) - ka_dec_to_double(before)) /
	    fabs(ka_dec_to_double(before)) * 100.0;
}

static double
change_count(unsigned long now, unsigned long before)
{
	if (before == 0)
		return NAN;
	return ((double)now - (double)before) / (double)before * 100.0;
}

static void
percent(double v, int signed_form, char *out, size_t size)
{
	ka_display_percent(v, 1, signed_form, out, size);
}

static void
rank_change_text(const struct ka_report *r, const struct ka_report_account *a,
    char *out, size_t size)
{
	if (a->prev_rank <= 0)
		snprintf(out, size, "%s", labels_of(r)->mv_new);
	else if (a->rank == a->prev_rank)
		snprintf(out, size, "=");
	else
		snprintf(out, size, "%+ld", a->prev_rank - a->rank);
}

static const char *
name_of(const struct ka_report_account *a)
{
	return a->customer != NULL && a->customer[0] != '\0' ? a->customer :
	    a->customer_id;
}

static size_t
ranked_count(const struct ka_report *r)
{
	return r->naccounts;
}

static size_t
shown_top(const struct ka_report *r)
{
	size_t n = ranked_count(r);

	return r->top < n ? r->top : n;
}

/* Indexes of the risers (up) or fallers (down), the five largest moves. */
static size_t
movers(const struct ka_report *r, int up, size_t *out, size_t max)
{
	size_t n = 0, i, j, count = ranked_count(r);

	for (i = 0; i < count; i++) {
		const struct ka_report_account *a = &r->accounts[i];
		long move = a->prev_rank > 0 ? a->prev_rank - a->rank : 0;

		if (move == 0 || (up && move < 0) || (!up && move > 0))
			continue;
		/* Insert by size of move, keeping the largest max. */
		for (j = n; j > 0; j--) {
			const struct ka_report_account *b = &r->accounts[out[j - 1]];
			long other = b->prev_rank - b->rank;

			if ((up && other >= move) || (!up && other <= move))
				break;
			if (j < max)
				out[j] = out[j - 1];
		}
		if (j < max) {
			out[j] = i;
			if (n < max)
				n++;
		}
	}
	return n;
}

static int
in_tier_a(const char *tier)
{
	return tier != NULL && strcmp(tier, "A") == 0;
}

static void
risk_text(const struct ka_report *r, const char *risk, struct ka_buf *b)
{
	const struct labels *l = labels_of(r);
	int first = 1;

	if (strstr(risk, "lapsed") != NULL) {
		ka_buf_puts(b, l->lapsed);
		first = 0;
	}
	if (strstr(risk, "declining") != NULL) {
		ka_buf_puts(b, first ? "" : ", ");
		ka_buf_puts(b, l->declining);
		first = 0;
	}
	if (strstr(risk, "concentration") != NULL) {
		ka_buf_puts(b, first ? "" : ", ");
		ka_buf_puts(b, l->concentration_flag);
	}
}

/* ---- text and Markdown ---- */

/*
 * Both share one table writer: text pads cells to fixed widths for an
 * 80-column terminal, Markdown writes pipes.
 */
struct table {
	struct ka_buf	*out;
	int		 markdown;
	int		 ascii;
	const size_t	*width;
	const int	*right;
	size_t		 ncolumns, column;
};

static void
table_cell(struct table *t, const char *text)
{
	if (t->markdown) {
		ka_buf_puts(t->out, t->column == 0 ? "| " : " | ");
		for (; *text != '\0'; text++) {
			if (*text == '|')
				ka_buf_puts(t->out, "\\|");
			else
				ka_buf_add(t->out, text, 1);
		}
	} else {
		if (t->column > 0)
			ka_buf_puts(t->out, " ");
		ka_display_cell(t->out, text, t->width[t->column],
		    t->right[t->column], t->ascii);
	}
	t->column++;
}

static void
table_end_row(struct table *t)
{
	if (t->markdown) {
		ka_buf_puts(t->out, " |\n");
	} else {
		/* Trailing spaces help nobody. */
		while (t->out->length > 0 &&
		    t->out->text[t->out->length - 1] == ' ')
			t->out->length--;
		t->out->text[t->out->length] = '\0';
		ka_buf_puts(t->out, "\n");
	}
	t->column = 0;
}

static void
table_header(struct table *t, const char *const *names)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		table_cell(t, names[i]);
	table_end_row(t);
	if (t->markdown) {
		for (i = 0; i < t->ncolumns; i++)
			ka_buf_puts(t->out, t->right[i] ? "|---:" : "|---");
		ka_buf_puts(t->out, "|\n");
	}
}

static void
heading(struct ka_buf *out, int markdown, int ascii, const char *text)
{
	size_t width = ka_utf8_width(text, strlen(text)), i;

	if (markdown) {
		ka_buf_printf(out, "\n## %s\n\n", text);
		return;
	}
	ka_buf_printf(out, "\n%s\n", text);
	for (i = 0; i < width; i++)
		ka_buf_puts(out, ascii ? "-" : "\xe2\x94\x80");
	ka_buf_puts(out, "\n");
}

/* The headline as rows of six cells: measure, now, before, change,
 * a year ago, change.  Returns the number of rows. */
static size_t
headline_cells(const struct ka_report *r, char cells[4][6][64])
{
	const struct labels *l = labels_of(r);
	size_t n = 0;

	snprintf(cells[n][0], 64, "%s", l->revenue);
	money(r->current.revenue, cells[n][1], 64);
	money(r->previous.revenue, cells[n][2], 64);
	percent(change_percent(r->current.revenue, r->previous.revenue), 1,
	    cells[n][3], 64);
	money(r->year_ago.revenue, cells[n][4], 64);
	percent(change_percent(r->current.revenue, r->year_ago.revenue), 1,
	    cells[n][5], 64);
	n++;
	if (r->has_margin) {
		snprintf(cells[n][0], 64, "%s", l->margin);
		money(r->current.margin, cells[n][1], 64);
		money(r->previous.margin, cells[n][2], 64);
		percent(change_percent(r->current.margin, r->previous.margin),
		    1, cells[n][3], 64);
		money(r->year_ago.margin, cells[n][4], 64);
		percent(change_percent(r->current.margin, r->year_ago.margin),
		    1, cells[n][5], 64);
		n++;
	}
	snprintf(cells[n][0], 64, "%s", l->orders);
	snprintf(cells[n][1], 64, "%lu", r->current.orders);
	snprintf(cells[n][2], 64, "%lu", r->previous.orders);
	percent(change_count(r->current.orders, r->previous.orders), 1,
	    cells[n][3], 64);
	snprintf(cells[n][4], 64, "%lu", r->year_ago.orders);
	percent(change_count(r->current.orders, r->year_ago.orders), 1,
	    cells[n][5], 64);
	n++;
	snprintf(cells[n][0], 64, "%s", l->customers);
	snprintf(cells[n][1], 64, "%lu", r->current.customers);
	snprintf(cells[n][2], 64, "%lu", r->previous.customers);
	percent(change_count(r->current.customers, r->previous.customers), 1,
	    cells[n][3], 64);
	snprintf(cells[n][4], 64, "%lu", r->year_ago.customers);
	percent(change_count(r->current.customers, r->year_ago.customers), 1,
	    cells[n][5], 64);
	return n + 1;
}

static void
headline_rows(const struct ka_report *r, struct table *t)
{
	char cells[4][6][64];
	size_t rows = headline_cells(r, cells), i, j;

	for (i = 0; i < rows; i++) {
		for (j = 0; j < 6; j++)
			table_cell(t, cells[i][j]);
		table_end_row(t);
	}
}

/*
 * The pieces every rendering shares, built once as plain text: the
 * cells of a key-account row and of an at-risk row, and the movement
 * lists.  Renderers only lay them out (and escape them for HTML).
 */
#define ACCOUNT_COLUMNS	8
#define RISK_COLUMNS	6
#define MOVEMENT_ITEMS	6

static void
account_cells(const struct ka_report *r, size_t i, int ascii,
    char cells[ACCOUNT_COLUMNS][160])
{
	const struct ka_report_account *a = &r->accounts[i];
	struct ka_buf spark = { 0 };

	snprintf(cells[0], 160, "%ld", a->rank);
	snprintf(cells[1], 160, "%s", name_of(a));
	snprintf(cells[2], 160, "%s", a->tier);
	money(a->revenue, cells[3], 160);
	percent(a->share, 0, cells[4], 160);
	percent(a->growth, 1, cells[5], 160);
	rank_change_text(r, a, cells[6], 160);
	ka_display_sparkline(&spark, a->spark, KA_REPORT_SPARK, ascii);
	snprintf(cells[7], 160, "%s", spark.text != NULL ? spark.text : "");
	ka_buf_free(&spark);
}

static void
risk_cells(const struct ka_report *r, size_t i, char cells[RISK_COLUMNS][160])
{
	const struct ka_report_risk *k = &r->risks[i];
	struct ka_buf flags = { 0 };

	snprintf(cells[0], 160, "%s", k->customer != NULL &&
	    k->customer[0] != '\0' ? k->customer : k->customer_id);
	snprintf(cells[1], 160, "%s", k->tier);
	snprintf(cells[2], 160, "%ld", k->recency_days);
	if (isnan(k->median_gap_days))
		snprintf(cells[3], 160, "-");
	else
		snprintf(cells[3], 160, "%.1f", k->median_gap_days);
	percent(k->growth, 1, cells[4], 160);
	risk_text(r, k->risk, &flags);
	snprintf(cells[5], 160, "%s", flags.text != NULL ? flags.text : "");
	ka_buf_free(&flags);
}

/* Names in a list are parted by "; ": names hold commas themselves. */
static void
join_name(struct ka_buf *b, const char *name, const char *extra)
{
	if (b->length > 0)
		ka_buf_puts(b, "; ");
	ka_buf_puts(b, name);
	if (extra != NULL)
		ka_buf_printf(b, " (%s)", extra);
}

/* Labels and texts of the movement lists; texts empty when none. */
static void
movement_items(const struct ka_report *r, const char *labels[MOVEMENT_ITEMS],
    struct ka_buf texts[MOVEMENT_ITEMS])
{
	const struct labels *l = labels_of(r);
	size_t i, n, index[5];
	char move[32], money_text[64];

	labels[0] = l->entered_a;
	labels[1] = l->left_a;
	labels[2] = l->risers;
	labels[3] = l->fallers;
	labels[4] = l->new_accounts;
	labels[5] = l->lost;
	for (i = 0; i < r->naccounts; i++) {
		const struct ka_report_account *a = &r->accounts[i];

		if (in_tier_a(a->tier) && !in_tier_a(a->prev_tier))
			join_name(&texts[0], name_of(a), NULL);
		if (!in_tier_a(a->tier) && in_tier_a(a->prev_tier))
			join_name(&texts[1], name_of(a), NULL);
		if (strcmp(a->movement, "new") == 0)
			join_name(&texts[4], name_of(a), NULL);
	}
	/* Tier A then, and no rows at all now: they left tier A too. */
	for (i = 0; i < r->ngone; i++)
		if (in_tier_a(r->gone[i].prev_tier))
			join_name(&texts[1], r->gone[i].customer != NULL &&
			    r->gone[i].customer[0] != '\0' ? r->gone[i].customer :
			    r->gone[i].customer_id, NULL);
	n = movers(r, 1, index, 5);
	for (i = 0; i < n; i++) {
		rank_change_text(r, &r->accounts[index[i]], move, sizeof(move));
		join_name(&texts[2], name_of(&r->accounts[index[i]]), move);
	}
	n = movers(r, 0, index, 5);
	for (i = 0; i < n; i++) {
		rank_change_text(r, &r->accounts[index[i]], move, sizeof(move));
		join_name(&texts[3], name_of(&r->accounts[index[i]]), move);
	}
	for (i = 0; i < r->nlost; i++) {
		const struct ka_report_lost *x = &r->lost[i];

		money(x->prev_revenue, money_text, sizeof(money_text));
		join_name(&texts[5], x->customer != NULL &&
		    x->customer[0] != '\0' ? x->customer : x->customer_id,
		    money_text);
	}
}

static void
free_items(struct ka_buf texts[MOVEMENT_ITEMS])
{
	size_t i;

	for (i = 0; i < MOVEMENT_ITEMS; i++)
		ka_buf_free(&texts[i]);
}

static void
account_names(const struct ka_report *r, const char *names[ACCOUNT_COLUMNS])
{
	const struct labels *l = labels_of(r);

	names[0] = l->rank;
	names[1] = l->customer;
	names[2] = l->tier;
	names[3] = l->revenue;
	names[4] = l->share;
	names[5] = l->growth;
	names[6] = l->rank_change;
	names[7] = l->trend;
}

static void
risk_names(const struct ka_report *r, const char *names[RISK_COLUMNS])
{
	const struct labels *l = labels_of(r);

	names[0] = l->customer;
	names[1] = l->tier;
	names[2] = l->days_since;
	names[3] = l->usual_gap;
	names[4] = l->growth;
	names[5] = l->flags;
}

static void
risk_window_text(const struct ka_report *r, char *out, size_t size)
{
	char first[32], last[32];

	ka_report_date_text(r->lang == KA_LANG_ZH, r->risk_window.first,
	    first, sizeof(first));
	ka_report_date_text(r->lang == KA_LANG_ZH, r->risk_window.last,
	    last, sizeof(last));
	if (r->lang == KA_LANG_ZH)
		snprintf(out, size, "风险窗口 %s 至 %s，与之前同样长度的时期比较",
		    first, last);
	else
		snprintf(out, size, "risk window %s..%s, against the same "
		    "length before", first, last);
}

/* ---- text and Markdown ---- */

static void
plain_section(struct ka_buf *out, const struct ka_report *r, int markdown,
    const struct ka_report_section *section)
{
	struct table t;
	size_t i, j, *width;
	int *right;

	heading(out, markdown, r->ascii, section->title);
	for (i = 0; i < section->nlines; i++)
		ka_buf_printf(out, "%s%s\n", markdown ? "- " : "  ",
		    section->lines[i]);
	if (section->ncolumns == 0 || section->nrows == 0)
		return;
	if (section->nlines > 0)
		ka_buf_puts(out, "\n");
	width = calloc(section->ncolumns, sizeof(*width));
	right = calloc(section->ncolumns, sizeof(*right));
	if (width == NULL || right == NULL)
		return;
	/* As wide as the widest cell, within an 80-column terminal. */
	for (j = 0; j < section->ncolumns; j++) {
		width[j] = ka_utf8_width(section->columns[j],
		    strlen(section->columns[j]));
		right[j] = section->numeric != NULL && section->numeric[j];
		for (i = 0; i < section->nrows; i++) {
			const char *c = section->cells[i * section->ncolumns + j];
			size_t w = ka_utf8_width(c, strlen(c));

			if (w > width[j])
				width[j] = w;
		}
		if (width[j] > 28)
			width[j] = 28;
	}
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.markdown = markdown;
	t.ascii = r->ascii;
	t.width = width;
	t.right = right;
	t.ncolumns = section->ncolumns;
	table_header(&t, section->columns);
	for (i = 0; i < section->nrows; i++) {
		for (j = 0; j < section->ncolumns; j++)
			table_cell(&t, section->cells[i * section->ncolumns + j]);
		table_end_row(&t);
	}
	free(width);
	free(right);
}

/*
 * "  label: names, ..." within 80 columns: broken at spaces, the lines
 * after the first indented by four.  A word wider than a line (a long
 * Chinese name has no spaces) stays whole.
 */
static void
wrapped_item(struct ka_buf *out, const char *label, const char *text)
{
	size_t used, width, length;
	const char *word = text, *end;

	ka_buf_printf(out, "  %s:", label);
	used = 3 + ka_utf8_width(label, strlen(label));
	while (*word != '\0') {
		while (*word == ' ')
			word++;
		if (*word == '\0')
			break;
		/* "Name (-2)": the figure stays with the name. */
		end = strchr(word, ' ');
		while (end != NULL && end[1] == '(')
			end = strchr(end + 1, ' ');
		length = end != NULL ? (size_t)(end - word) : strlen(word);
		width = ka_utf8_width(word, length);
		if (used + 1 + width > 80 && used > 4) {
			ka_buf_puts(out, "\n   ");
			used = 3;
		}
		ka_buf_puts(out, " ");
		ka_buf_add(out, word, length);
		used += 1 + width;
		word += length;
	}
	ka_buf_puts(out, "\n");
}

static void
render_plain(struct ka_buf *out, const struct ka_report *r, int markdown)
{
	const struct labels *l = labels_of(r);
	static const size_t headline_width[] = { 16, 14, 14, 7, 14, 7 };
	static const int headline_right[] = { 0, 1, 1, 1, 1, 1 };
	static const size_t account_width[] = { 3, 20, 4, 13, 6, 7, 8, 12 };
	static const int account_right[] = { 1, 0, 0, 1, 1, 1, 1, 0 };
	static const size_t risk_width[] = { 22, 4, 10, 9, 8, 20 };
	static const int risk_right[] = { 0, 0, 1, 1, 1, 0 };
	struct table t;
	char p[160], q[160], s[160], a[64];
	char cells[ACCOUNT_COLUMNS][160];
	const char *names[ACCOUNT_COLUMNS], *item_labels[MOVEMENT_ITEMS];
	struct ka_buf items[MOVEMENT_ITEMS];
	size_t i, j;

	memset(&t, 0, sizeof(t));
	memset(items, 0, sizeof(items));
	t.out = out;
	t.markdown = markdown;
	t.ascii = r->ascii;
	period_text(r, &r->current.period, p, sizeof(p));
	ka_report_date_text(r->lang == KA_LANG_ZH, r->as_of, q, sizeof(q));
	if (markdown)
		ka_buf_printf(out, "# %s: %s\n\n_%s %s_\n",
		    r->title ? r->title : l->title, p, l->as_of, q);
	else
		ka_buf_printf(out, "%s: %s\n%s %s\n",
		    r->title ? r->title : l->title, p, l->as_of, q);

	/* 1. Headline. */
	heading(out, markdown, r->ascii, l->headline);
	period_text(r, &r->previous.period, q, sizeof(q));
	period_text(r, &r->year_ago.period, s, sizeof(s));
	if (markdown)
		ka_buf_printf(out, "%s: %s; %s: %s\n\n", l->previous, q,
		    l->year_ago, s);
	else
		ka_buf_printf(out, "%s: %s\n%s: %s\n\n", l->previous, q,
		    l->year_ago, s);
	t.width = headline_width;
	t.right = headline_right;
	t.ncolumns = 6;
	names[0] = l->measure;
	names[1] = l->period;
	names[2] = l->previous;
	names[3] = l->change;
	names[4] = l->year_ago;
	names[5] = l->change;
	table_header(&t, names);
	headline_rows(r, &t);

	/* 2. Key accounts. */
	heading(out, markdown, r->ascii, l->key_accounts);
	t.width = account_width;
	t.right = account_right;
	t.ncolumns = ACCOUNT_COLUMNS;
	account_names(r, names);
	table_header(&t, names);
	for (i = 0; i < shown_top(r); i++) {
		account_cells(r, i, r->ascii, cells);
		for (j = 0; j < ACCOUNT_COLUMNS; j++)
			table_cell(&t, cells[j]);
		table_end_row(&t);
	}

	/* 3. Movement. */
	heading(out, markdown, r->ascii, l->movement);
	movement_items(r, item_labels, items);
	for (i = 0; i < MOVEMENT_ITEMS; i++) {
		if (markdown)
			ka_buf_printf(out, "- **%s:** %s\n", item_labels[i],
			    items[i].length ? items[i].text : l->none);
		else
			wrapped_item(out, item_labels[i],
			    items[i].length ? items[i].text : l->none);
	}
	free_items(items);

	/* 4. Concentration. */
	heading(out, markdown, r->ascii, l->concentration);
	ka_buf_printf(out, "%s%s: %.0f (%s)\n", markdown ? "- " : "  ",
	    l->hhi, r->hhi, band_label(r));
	percent(r->top_share[0], 0, a, sizeof(a));
	ka_buf_printf(out, "%s%s: %s", markdown ? "- " : "  ", l->top1, a);
	percent(r->top_share[1], 0, a, sizeof(a));
	ka_buf_printf(out, ", %s: %s", l->top5, a);
	percent(r->top_share[2], 0, a, sizeof(a));
	ka_buf_printf(out, ", %s: %s\n", l->top10, a);
	if (r->naccounts > 0) {
		percent(r->accounts[0].share, 0, a, sizeof(a));
		ka_buf_printf(out, "%s%s (%s): %s %s\n", markdown ? "- " : "  ",
		    l->largest_left, name_of(&r->accounts[0]), a, l->revenue);
	}

	/* 5. At risk. */
	heading(out, markdown, r->ascii, l->at_risk);
	risk_window_text(r, s, sizeof(s));
	if (markdown)
		ka_buf_printf(out, "_%s_\n\n", s);
	else
		ka_buf_printf(out, "  %s\n\n", s);
	if (r->nrisks == 0) {
		ka_buf_printf(out, "%s%s\n", markdown ? "" : "  ", l->none);
	} else {
		t.width = risk_width;
		t.right = risk_right;
		t.ncolumns = RISK_COLUMNS;
		risk_names(r, names);
		table_header(&t, names);
		for (i = 0; i < r->nrisks; i++) {
			risk_cells(r, i, cells);
			for (j = 0; j < RISK_COLUMNS; j++)
				table_cell(&t, cells[j]);
			table_end_row(&t);
		}
	}

	/* 6. Sections of other engines. */
	for (i = 0; i < r->nsections; i++)
		plain_section(out, r, markdown, &r->sections[i]);
}

/* ---- JSON ---- */

static void
json_string(struct ka_buf *out, const char *s)
{
	char hex[8];

	ka_buf_puts(out, "\"");
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			ka_buf_add(out, "\\", 1);
			ka_buf_add(out, s, 1);
		} else if (c < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", c);
			ka_buf_puts(out, hex);
		} else {
			ka_buf_add(out, s, 1);
		}
	}
	ka_buf_puts(out, "\"");
}

static void
json_decimal(struct ka_buf *out, ka_dec v)
{
	char text[KA_DEC_BUFSIZE];

	ka_dec_format(v, 2, text);
	ka_buf_puts(out, text);
}

static void
json_double(struct ka_buf *out, double v, int places)
{
	if (isnan(v) || isinf(v))
		ka_buf_puts(out, "null");
	else
		ka_buf_printf(out, "%.*f", places, v);
}

static void
json_totals(struct ka_buf *out, const struct ka_report *r, const char *name,
    const struct ka_report_totals *t, int last)
{
	char text[64];

	ka_period_format(&t->period, text, sizeof(text));
	ka_buf_printf(out, "    \"%s\": {\"period\": ", name);
	json_string(out, text);
	ka_date_format(t->period.first, text);
	ka_buf_puts(out, ", \"first\": ");
	json_string(out, text);
	ka_date_format(t->period.last, text);
	ka_buf_puts(out, ", \"last\": ");
	json_string(out, text);
	ka_buf_puts(out, ", \"revenue\": ");
	json_decimal(out, t->revenue);
	if (r->has_margin) {
		ka_buf_puts(out, ", \"margin\": ");
		json_decimal(out, t->margin);
	}
	ka_buf_printf(out, ", \"orders\": %lu, \"customers\": %lu}%s\n",
	    t->orders, t->customers, last ? "" : ",");
}

static void
json_section(struct ka_buf *out, const struct ka_report_section *section)
{
	size_t i, j;

	ka_buf_puts(out, "{\"title\": ");
	json_string(out, section->title);
	ka_buf_puts(out, ", \"lines\": [");
	for (i = 0; i < section->nlines; i++) {
		ka_buf_puts(out, i ? ", " : "");
		json_string(out, section->lines[i]);
	}
	ka_buf_puts(out, "], \"rows\": [");
	for (i = 0; i < section->nrows; i++) {
		ka_buf_puts(out, i ? ",\n      {" : "\n      {");
		for (j = 0; j < section->ncolumns; j++) {
			const char *cell = section->cells[i * section->ncolumns + j];

			ka_buf_puts(out, j ? ", " : "");
			json_string(out, section->columns[j]);
			ka_buf_puts(out, ": ");
			json_string(out, cell);
		}
		ka_buf_puts(out, "}");
	}
	ka_buf_puts(out, "]}");
}

static void
render_json(struct ka_buf *out, const struct ka_report *r)
{
	char text[64];
	size_t i, k;
	static const char *const moves[] = { "new", "up", "same", "down",
		"lost" };

	ka_date_format(r->as_of, text);
	ka_buf_puts(out, "{\n  \"as_of\": ");
	json_string(out, text);
	ka_buf_printf(out, ",\n  \"cut_offs\": {\"a\": %.2f, \"b\": %.2f},\n",
	    r->cut_a, r->cut_b);
	ka_buf_puts(out, "  \"headline\": {\n");
	json_totals(out, r, "current", &r->current, 0);
	json_totals(out, r, "previous", &r->previous, 0);
	json_totals(out, r, "year_ago", &r->year_ago, 0);
	ka_buf_puts(out, "    \"revenue_change_pct\": ");
	json_double(out, change_percent(r->current.revenue,
	    r->previous.revenue), 2);
	ka_buf_puts(out, ",\n    \"revenue_change_yoy_pct\": ");
	json_double(out, change_percent(r->current.revenue,
	    r->year_ago.revenue), 2);
	ka_buf_puts(out, "\n  },\n  \"concentration\": {\"hhi\": ");
	json_double(out, r->hhi, 2);
	ka_buf_printf(out, ", \"band\": \"%s\", \"top1_share\": ",
	    ka_report_hhi_band(r->hhi));
	json_double(out, r->top_share[0], 2);
	ka_buf_puts(out, ", \"top5_share\": ");
	json_double(out, r->top_share[1], 2);
	ka_buf_puts(out, ", \"top10_share\": ");
	json_double(out, r->top_share[2], 2);
	ka_buf_puts(out, "},\n  \"movement\": {");
	for (k = 0; k < 5; k++)
		ka_buf_printf(out, "%s\"%s\": %zu", k ? ", " : "", moves[k],
		    r->movement[k]);
	ka_buf_puts(out, "},\n  \"periods\": [");
	for (k = 0; k < KA_REPORT_SPARK; k++) {
		ka_buf_puts(out, k ? ", " : "");
		json_string(out, r->spark_label[k]);
	}
	ka_buf_puts(out, "],\n  \"period_totals\": [");
	for (k = 0; k < KA_REPORT_SPARK; k++) {
		ka_buf_puts(out, k ? ", " : "");
		json_double(out, r->spark_total[k], 2);
	}
	ka_buf_printf(out, "],\n  \"top\": %zu,\n  \"accounts\": [\n",
	    shown_top(r));
	for (i = 0; i < r->naccounts; i++) {
		const struct ka_report_account *a = &r->accounts[i];

		ka_buf_puts(out, "    {\"customer_id\": ");
		json_string(out, a->customer_id);
		ka_buf_puts(out, ", \"customer\": ");
		json_string(out, a->customer);
		ka_buf_puts(out, ", \"tier\": ");
		json_string(out, a->tier);
		ka_buf_printf(out, ", \"rank\": %ld, \"prev_rank\": ", a->rank);
		if (a->prev_rank > 0)
			ka_buf_printf(out, "%ld", a->prev_rank);
		else
			ka_buf_puts(out, "null");
		ka_buf_puts(out, ", \"revenue\": ");
		json_decimal(out, a->revenue);
		ka_buf_puts(out, ", \"prev_revenue\": ");
		json_decimal(out, a->prev_revenue);
		ka_buf_puts(out, ", \"share\": ");
		json_double(out, a->share, 2);
		ka_buf_puts(out, ", \"cum_share\": ");
		json_double(out, a->cum_share, 2);
		ka_buf_puts(out, ", \"growth\": ");
		json_double(out, a->growth, 2);
		ka_buf_puts(out, ", \"prev_tier\": ");
		json_string(out, a->prev_tier);
		ka_buf_puts(out, ", \"movement\": ");
		json_string(out, a->movement);
		ka_buf_puts(out, ", \"spark\": [");
		for (k = 0; k < KA_REPORT_SPARK; k++) {
			ka_buf_puts(out, k ? ", " : "");
			json_double(out, a->spark[k], 2);
		}
		ka_buf_printf(out, "]}%s\n", i + 1 < r->naccounts ? "," : "");
	}
	ka_buf_puts(out, "  ],\n  \"risk_window\": {\"first\": ");
	ka_date_format(r->risk_window.first, text);
	json_string(out, text);
	ka_buf_puts(out, ", \"last\": ");
	ka_date_format(r->risk_window.last, text);
	json_string(out, text);
	ka_buf_puts(out, "},\n  \"at_risk\": [");
	for (i = 0; i < r->nrisks; i++) {
		const struct ka_report_risk *k2 = &r->risks[i];

		ka_buf_puts(out, i ? ",\n    {" : "\n    {");
		ka_buf_puts(out, "\"customer_id\": ");
		json_string(out, k2->customer_id);
		ka_buf_puts(out, ", \"customer\": ");
		json_string(out, k2->customer);
		ka_buf_puts(out, ", \"tier\": ");
		json_string(out, k2->tier);
		ka_buf_printf(out, ", \"recency_days\": %ld, \"median_gap_days\": ",
		    k2->recency_days);
		json_double(out, k2->median_gap_days, 1);
		ka_buf_puts(out, ", \"growth\": ");
		json_double(out, k2->growth, 2);
		ka_buf_puts(out, ", \"risk\": ");
		json_string(out, k2->risk);
		ka_buf_puts(out, "}");
	}
	ka_buf_puts(out, "],\n  \"lost\": [");
	for (i = 0; i < r->nlost; i++) {
		const struct ka_report_lost *x = &r->lost[i];

		ka_buf_puts(out, i ? ",\n    {" : "\n    {");
		ka_buf_puts(out, "\"customer_id\": ");
		json_string(out, x->customer_id);
		ka_buf_puts(out, ", \"customer\": ");
		json_string(out, x->customer);
		ka_buf_puts(out, ", \"prev_revenue\": ");
		json_decimal(out, x->prev_revenue);
		ka_buf_puts(out, ", \"last_order\": ");
		if (x->last_order == KA_DATE_NONE) {
			ka_buf_puts(out, "null");
		} else {
			ka_date_format(x->last_order, text);
			json_string(out, text);
		}
		ka_buf_puts(out, "}");
	}
	ka_buf_puts(out, "],\n  \"sections\": {");
	for (i = 0; i < r->nsections; i++) {
		ka_buf_puts(out, i ? ",\n    " : "\n    ");
		json_string(out, r->sections[i].id);
		ka_buf_puts(out, ": ");
		json_section(out, &r->sections[i]);
	}
	ka_buf_puts(out, "}\n}\n");
}

/* ---- HTML ---- */

static const char html_style[] =
"body{font-family:system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\","
"\"Noto Sans CJK SC\",sans-serif;max-width:60rem;margin:2rem auto;"
"padding:0 1rem;color:#1b1b1b;line-height:1.4}"
"h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;"
"border-bottom:1px solid #ccc;margin-top:2rem}"
"table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}"
"th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e3e3;"
"text-align:left}td.num,th.num{text-align:right;"
"font-variant-numeric:tabular-nums}"
".up{color:#2e7d32}.down{color:#c62828}.muted{color:#666}"
"svg.chart{width:100%;height:auto;margin:.5rem 0 1.5rem}"
"svg text{font-size:11px;fill:#333}svg .chart-title{font-size:13px;"
"font-weight:bold}svg line.grid{stroke:#ddd}svg line.cutoff"
"{stroke:#c62828}"
"@media print{body{margin:0;max-width:none;font-size:10pt}"
"h2{break-after:avoid}table,svg{break-inside:avoid}"
"a{color:inherit;text-decoration:none}}";

static void
html_text(struct ka_buf *out, const char *text)
{
	ka_html_escape(out, text, strlen(text));
}

static void
html_cell(struct ka_buf *out, const char *text, int numeric)
{
	ka_buf_puts(out, numeric ? "<td class=\"num\">" : "<td>");
	html_text(out, text);
	ka_buf_puts(out, "</td>");
}

static void
html_header_cells(struct ka_buf *out, const char *const *names,
    const int *numeric, size_t n)
{
	size_t i;

	ka_buf_puts(out, "<thead><tr>");
	for (i = 0; i < n; i++) {
		ka_buf_puts(out, numeric[i] ? "<th class=\"num\">" : "<th>");
		html_text(out, names[i]);
		ka_buf_puts(out, "</th>");
	}
	ka_buf_puts(out, "</tr></thead>\n<tbody>\n");
}

static void
html_headline(struct ka_buf *out, const struct ka_report *r)
{
	const struct labels *l = labels_of(r);
	static const int numeric[] = { 0, 1, 1, 1, 1, 1 };
	const char *names[6] = { l->measure, l->period, l->previous,
		l->change, l->year_ago, l->change };
	char cells[4][6][64];
	size_t rows = headline_cells(r, cells), i, j;

	ka_buf_puts(out, "<table class=\"headline\">");
	html_header_cells(out, names, numeric, 6);
	for (i = 0; i < rows; i++) {
		ka_buf_puts(out, "<tr>");
		for (j = 0; j < 6; j++)
			html_cell(out, cells[i][j], j > 0);
		ka_buf_puts(out, "</tr>\n");
	}
	ka_buf_puts(out, "</tbody></table>\n");
}

static void
html_table(struct ka_buf *out, const char *class_name,
    const char *const *names, const int *numeric, size_t ncolumns,
    const char *const *cells, size_t nrows)
{
	size_t i, j;

	ka_buf_printf(out, "<table class=\"%s\">", class_name);
	html_header_cells(out, names, numeric, ncolumns);
	for (i = 0; i < nrows; i++) {
		ka_buf_puts(out, "<tr>");
		for (j = 0; j < ncolumns; j++)
			html_cell(out, cells[i * ncolumns + j], numeric[j]);
		ka_buf_puts(out, "</tr>\n");
	}
	ka_buf_puts(out, "</tbody></table>\n");
}

static void
html_charts(struct ka_buf *out, const struct ka_report *r)
{
	const struct labels *l = labels_of(r);
	size_t count = r->naccounts, i, nseries, k;
	double *cum = calloc(count + 1, sizeof(*cum));
	double cutoffs[2] = { r->cut_a, r->cut_b };
	double move_counts[5];
	char label_a[32], label_b[32];
	const char *cut_labels[2] = { label_a, label_b };
	struct ka_svg_series series[6];
	const char *x_labels[KA_REPORT_SPARK], *move_labels[5];
	static const char *const moves[] = { "new", "up", "same", "down",
		"lost" };

	for (i = 0; i < count && cum != NULL; i++)
		cum[i] = r->accounts[i].cum_share;
	snprintf(label_a, sizeof(label_a), "A %.0f%%", r->cut_a);
	snprintf(label_b, sizeof(label_b), "B %.0f%%", r->cut_b);
	if (count > 0 && cum != NULL)
		ka_svg_pareto(out, l->pareto, cum, count, cutoffs, cut_labels,
		    2, l->pareto_x, l->pareto_y);
	free(cum);

	for (k = 0; k < KA_REPORT_SPARK; k++)
		x_labels[k] = r->spark_label[k];
	series[0].label = l->total;
	series[0].values = r->spark_total;
	nseries = 1;
	for (i = 0; i < count && nseries < 6; i++, nseries++) {
		series[nseries].label = name_of(&r->accounts[i]);
		series[nseries].values = r->accounts[i].spark;
	}
	ka_svg_lines(out, l->weekly, series, nseries, KA_REPORT_SPARK,
	    x_labels);

	for (k = 0; k < 5; k++) {
		move_labels[k] = movement_label(r, moves[k]);
		move_counts[k] = (double)r->movement[k];
	}
	ka_svg_bars(out, l->tier_moves, move_labels, move_counts, 5);
}

static void
html_section_start(struct ka_buf *out, const char *id, const char *title)
{
	ka_buf_puts(out, "<section id=\"");
	html_text(out, id);
	ka_buf_puts(out, "\"><h2>");
	html_text(out, title);
	ka_buf_puts(out, "</h2>\n");
}

static void
render_html(struct ka_buf *out, const struct ka_report *r)
{
	const struct labels *l = labels_of(r);
	static const int account_numeric[] = { 1, 0, 0, 1, 1, 1, 1, 0 };
	static const int risk_numeric[] = { 0, 0, 1, 1, 1, 0 };
	const char *names[ACCOUNT_COLUMNS], *item_labels[MOVEMENT_ITEMS];
	char p[160], q[160], a[160], cells[ACCOUNT_COLUMNS][160];
	struct ka_buf items[MOVEMENT_ITEMS];
	size_t i, j;

	memset(items, 0, sizeof(items));
	period_text(r, &r->current.period, p, sizeof(p));
	ka_report_date_text(r->lang == KA_LANG_ZH, r->as_of, q, sizeof(q));
	ka_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    r->lang == KA_LANG_ZH ? "zh" : "en");
	html_text(out, r->title ? r->title : l->title);
	ka_buf_puts(out, ": ");
	html_text(out, p);
	ka_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<h1>", html_style);
	html_text(out, r->title ? r->title : l->title);
	ka_buf_puts(out, ": ");
	html_text(out, p);
	ka_buf_puts(out, "</h1>\n<p class=\"muted\">");
	html_text(out, l->as_of);
	ka_buf_puts(out, " ");
	html_text(out, q);
	ka_buf_puts(out, "</p>\n");

	html_section_start(out, "headline", l->headline);
	html_headline(out, r);
	ka_buf_puts(out, "</section>\n");

	html_section_start(out, "key-accounts", l->key_accounts);
	account_names(r, names);
	ka_buf_puts(out, "<table class=\"accounts\">");
	html_header_cells(out, names, account_numeric, ACCOUNT_COLUMNS);
	for (i = 0; i < shown_top(r); i++) {
		const struct ka_report_account *acc = &r->accounts[i];

		account_cells(r, i, 0, cells);
		ka_buf_puts(out, "<tr data-customer-id=\"");
		html_text(out, acc->customer_id);
		ka_buf_puts(out, "\">");
		for (j = 0; j < ACCOUNT_COLUMNS; j++) {
			if (j == 5 && !isnan(acc->growth)) {
				ka_buf_printf(out, "<td class=\"num %s\">",
				    acc->growth >= 0 ? "up" : "down");
				html_text(out, cells[j]);
				ka_buf_puts(out, "</td>");
			} else {
				html_cell(out, cells[j], account_numeric[j]);
			}
		}
		ka_buf_puts(out, "</tr>\n");
	}
	ka_buf_puts(out, "</tbody></table>\n");
	html_charts(out, r);
	ka_buf_puts(out, "</section>\n");

	html_section_start(out, "movement", l->movement);
	movement_items(r, item_labels, items);
	ka_buf_puts(out, "<ul>\n");
	for (i = 0; i < MOVEMENT_ITEMS; i++) {
		ka_buf_puts(out, "<li><strong>");
		html_text(out, item_labels[i]);
		ka_buf_puts(out, ":</strong> ");
		if (items[i].length > 0) {
			html_text(out, items[i].text);
		} else {
			ka_buf_puts(out, "<span class=\"muted\">");
			html_text(out, l->none);
			ka_buf_puts(out, "</span>");
		}
		ka_buf_puts(out, "</li>\n");
	}
	ka_buf_puts(out, "</ul>\n</section>\n");
	free_items(items);

	html_section_start(out, "concentration", l->concentration);
	ka_buf_puts(out, "<ul>\n<li>");
	html_text(out, l->hhi);
	ka_buf_printf(out, ": %.0f (", r->hhi);
	html_text(out, band_label(r));
	ka_buf_puts(out, ")</li>\n<li>");
	html_text(out, l->top1);
	percent(r->top_share[0], 0, a, sizeof(a));
	ka_buf_printf(out, ": %s, ", a);
	html_text(out, l->top5);
	percent(r->top_share[1], 0, a, sizeof(a));
	ka_buf_printf(out, ": %s, ", a);
	html_text(out, l->top10);
	percent(r->top_share[2], 0, a, sizeof(a));
	ka_buf_printf(out, ": %s</li>\n", a);
	if (r->naccounts > 0) {
		ka_buf_puts(out, "<li>");
		html_text(out, l->largest_left);
		ka_buf_puts(out, " (");
		html_text(out, name_of(&r->accounts[0]));
		percent(r->accounts[0].share, 0, a, sizeof(a));
		ka_buf_printf(out, "): %s ", a);
		html_text(out, l->revenue);
		ka_buf_puts(out, "</li>\n");
	}
	ka_buf_puts(out, "</ul>\n</section>\n");

	html_section_start(out, "at-risk", l->at_risk);
	risk_window_text(r, a, sizeof(a));
	ka_buf_puts(out, "<p class=\"muted\">");
	html_text(out, a);
	ka_buf_puts(out, "</p>\n");
	if (r->nrisks == 0) {
		ka_buf_puts(out, "<p class=\"muted\">");
		html_text(out, l->none);
		ka_buf_puts(out, "</p>\n");
	} else {
		risk_names(r, names);
		ka_buf_puts(out, "<table class=\"risk\">");
		html_header_cells(out, names, risk_numeric, RISK_COLUMNS);
		for (i = 0; i < r->nrisks; i++) {
			risk_cells(r, i, cells);
			ka_buf_puts(out, "<tr>");
			for (j = 0; j < RISK_COLUMNS; j++)
				html_cell(out, cells[j], risk_numeric[j]);
			ka_buf_puts(out, "</tr>\n");
		}
		ka_buf_puts(out, "</tbody></table>\n");
	}
	ka_buf_puts(out, "</section>\n");

	for (i = 0; i < r->nsections; i++) {
		const struct ka_report_section *sec = &r->sections[i];
		static const int no_numeric[64];

		html_section_start(out, sec->id, sec->title);
		if (sec->nlines > 0) {
			ka_buf_puts(out, "<ul>\n");
			for (j = 0; j < sec->nlines; j++) {
				ka_buf_puts(out, "<li>");
				html_text(out, sec->lines[j]);
				ka_buf_puts(out, "</li>\n");
			}
			ka_buf_puts(out, "</ul>\n");
		}
		if (sec->ncolumns > 0 && sec->nrows > 0)
			html_table(out, sec->id, sec->columns,
			    sec->numeric != NULL ? sec->numeric : no_numeric,
			    sec->ncolumns, sec->cells, sec->nrows);
		ka_buf_puts(out, "</section>\n");
	}

	ka_buf_puts(out, "<footer class=\"muted\"><p>");
	html_text(out, l->generated);
	ka_buf_puts(out, "</p></footer>\n</body>\n</html>\n");
}

void
ka_report_render(struct ka_buf *out, const struct ka_report *r,
    enum ka_report_format format)
{
	switch (format) {
	case KA_REPORT_MD:
		render_plain(out, r, 1);
		break;
	case KA_REPORT_HTML:
		render_html(out, r);
		break;
	case KA_REPORT_JSON:
		render_json(out, r);
		break;
	case KA_REPORT_EML:
		ka_report_render_eml(out, r, NULL, NULL, NULL);
		break;
	default:
		render_plain(out, r, 0);
		break;
	}
}

void
ka_report_render_eml(struct ka_buf *out, const struct ka_report *r,
    const char *from, const char *to, const char *subject)
{
	struct ka_buf text = { 0 }, html = { 0 }, default_subject = { 0 };
	struct ka_mime_message m;
	char p[160];

	render_plain(&text, r, 0);
	render_html(&html, r);
	if (subject == NULL) {
		period_text(r, &r->current.period, p, sizeof(p));
		ka_buf_printf(&default_subject, "%s: %s",
		    r->title ? r->title : labels_of(r)->title, p);
		subject = default_subject.text;
	}
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.subject = subject;
	m.date = r->as_of;
	m.text = text.text;
	m.text_length = text.length;
	m.html = html.text;
	m.html_length = html.length;
	ka_mime_write(out, &m);
	ka_buf_free(&text);
	ka_buf_free(&html);
	ka_buf_free(&default_subject);
}

/* ---- sections of other engines ---- */

static char *
copy_text(const char *text)
{
	char *copy = strdup(text != NULL ? text : "");

	if (copy == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return copy;
}

static char *
vformat(const char *format, va_list args)
{
	struct ka_buf b = { 0 };
	va_list again;
	int n;

	va_copy(again, args);
	n = vsnprintf(NULL, 0, format, again);
	va_end(again);
	if (n < 0)
		return copy_text("");
	b.text = malloc((size_t)n + 1);
	if (b.text == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	vsnprintf(b.text, (size_t)n + 1, format, args);
	return b.text;
}

static void *
grow_array(void *array, size_t count, size_t size)
{
	/* Arrays grow one element at a time: sections are short. */
	array = realloc(array, (count + 1) * size);
	if (array == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return array;
}

void
ka_section_init(struct ka_report_section *s, const char *id,
    const char *title)
{
	memset(s, 0, sizeof(*s));
	s->id = copy_text(id);
	s->title = copy_text(title);
}

void
ka_section_line(struct ka_report_section *s, const char *format, ...)
{
	va_list args;

	s->lines = grow_array(s->lines, s->nlines, sizeof(*s->lines));
	va_start(args, format);
	s->lines[s->nlines++] = vformat(format, args);
	va_end(args);
}

void
ka_section_columns(struct ka_report_section *s, const char *const *names,
    const int *numeric, size_t ncolumns)
{
	size_t i;
	int *flags;

	s->columns = calloc(ncolumns + 1, sizeof(*s->columns));
	flags = calloc(ncolumns + 1, sizeof(*flags));
	if (s->columns == NULL || flags == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < ncolumns; i++) {
		s->columns[i] = copy_text(names[i]);
		flags[i] = numeric != NULL ? numeric[i] : 0;
	}
	s->numeric = flags;
	s->ncolumns = ncolumns;
}

void
ka_section_cell(struct ka_report_section *s, const char *format, ...)
{
	size_t ncells = s->nrows * s->ncolumns, filled;
	va_list args;

	/* nrows counts complete rows; the cell after them starts one. */
	filled = s->ncolumns > 0 ? ncells + s->pending : 0;
	s->cells = grow_array(s->cells, filled, sizeof(*s->cells));
	va_start(args, format);
	s->cells[filled] = vformat(format, args);
	va_end(args);
	if (++s->pending == s->ncolumns) {
		s->pending = 0;
		s->nrows++;
	}
}

void
ka_section_free(struct ka_report_section *s)
{
	size_t i, ncells = s->nrows * s->ncolumns + s->pending;

	free((char *)s->id);
	free((char *)s->title);
	for (i = 0; i < s->nlines; i++)
		free((char *)s->lines[i]);
	free(s->lines);
	for (i = 0; i < s->ncolumns; i++)
		free((char *)s->columns[i]);
	free(s->columns);
	free((int *)s->numeric);
	for (i = 0; i < ncells; i++)
		free((char *)s->cells[i]);
	free(s->cells);
	memset(s, 0, sizeof(*s));
}

void
ka_report_reading_options(const struct ka_report_inputs *in, struct ka_buf *b)
{
	char text[64];
	int role;

	if (in->read->delimiter == '\t')
		ka_buf_puts(b, " -t");
	else if (in->read->delimiter != 0) {
		snprintf(text, sizeof(text), "%c", in->read->delimiter);
		ka_buf_puts(b, " -d ");
		ka_shell_word(b, text);
	}
	if (in->read->no_header)
		ka_buf_puts(b, " -H");
	if (in->read->encoding != NULL) {
		ka_buf_puts(b, " --encoding ");
		ka_shell_word(b, in->read->encoding);
	}
	for (role = 0; role < KA_ROLE_COUNT; role++) {
		if (in->roles->wanted[role] == NULL)
			continue;
		snprintf(text, sizeof(text), " --col %s=",
		    ka_role_name((enum ka_role)role));
		ka_buf_puts(b, text);
		ka_shell_word(b, in->roles->wanted[role]);
	}
	if (in->decimal_comma)
		ka_buf_puts(b, " --decimal-comma");
	if (in->date_format != NULL) {
		ka_buf_puts(b, " --date-format ");
		ka_shell_word(b, in->date_format);
	}
	if (in->null_string != NULL) {
		ka_buf_puts(b, " --null ");
		ka_shell_word(b, in->null_string);
	}
}
