#define _POSIX_C_SOURCE 200809L
/*
 * ka_report_stock: the --stock section of ka-report, key-account
 * stock-outs ahead of the peak and the skus to order now, computed by
 * the ka-stock engine (common/ka_stock.h) exactly as `ka-stock check`
 * computes them: the sales read a second time into the engine, the key
 * accounts, the stock file, then ka_stock_report() for the peak (the
 * calendar month after --as-of unless --peak says otherwise) and the
 * lead time.  With --orders, the key accounts' open orders due by the
 * peak's end are allocated by priority first, as `ka-stock allocate
 * --orders` does, and the lines that cannot be filled are counted.
 */
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
#include "ka_reader.h"
#include "ka_report_sections.h"
#include "ka_roles.h"
#include "ka_stock.h"
#include "ka_utf8.h"

/* Display columns a line may take: the text renderer indents by two. */
#define LINE_WIDTH	76
/* Display columns of the key accounts cell, so the table fits 80. */
#define ACCOUNTS_WIDTH	22
/* Stock-outs in the table, the soonest first. */
#define MAX_ROWS	20

struct words {
	const char *title;
	const char *columns[5];
};

static const struct words english = {
	"Stock-outs ahead",
	{ "sku", "product", "short from", "shortfall", "key accounts short" }
};

static const struct words chinese = {
	"缺货预警",
	{ "SKU", "产品", "缺货起始", "缺口", "缺货大客户" }
};

/* What the open orders of the key accounts come to (--orders). */
struct orders_summary {
	size_t		 lines;		/* customer and sku, due by the peak */
	size_t		 short_lines;
	ka_dec		 qty, short_qty;
	const char	**short_skus;	/* into the engine, by sku */
	size_t		 nshort_skus;
	char		**notes;	/* the engine's notes, copied */
	size_t		 nnotes;
};

/* ---- text ---- */

static size_t
width_of(const char *text)
{
	return ka_utf8_width(text, strlen(text));
}

/* "2026-12 (2026-12-01..2026-12-31)" or "2026年12月". */
static void
period_text(int zh, const ka_period *p, char *out, size_t size)
{
	char canonical[KA_PERIOD_BUFSIZE], first[32], last[32];
	int y, m, d, w;

	ka_period_format(p, canonical, sizeof(canonical));
	ka_date_to_ymd(p->first, &y, &m, &d);
	ka_report_date_text(zh, p->first, first, sizeof(first));
	ka_report_date_text(zh, p->last, last, sizeof(last));
	if (p->kind == KA_PERIOD_DAY) {
		snprintf(out, size, "%s", first);
		return;
	}
	if (!zh) {
		if (p->kind == KA_PERIOD_RANGE)
			snprintf(out, size, "%s..%s", first, last);
		else
			snprintf(out, size, "%s (%s..%s)", canonical, first,
			    last);
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
		snprintf(out, size, "%d年第%d周（%s至%s）", y, w, first, last);
		break;
	default:
		snprintf(out, size, "%s至%s", first, last);
		break;
	}
}

/* A quantity grouped, with as many decimals as it has: "2,252". */
static void
qty_text(ka_dec v, char *out, size_t size)
{
	int places = KA_DEC_PLACES;
	ka_dec scale = 1;

	while (places > 0 && v % (scale * 10) == 0) {
		scale *= 10;
		places--;
	}
	ka_display_money(v, places, out, size);
}

/* " and 3 more" after 2 of 5 shown, or "等5个". */
static void
more_text(int zh, size_t left, size_t total, char *out, size_t size)
{
	if (zh)
		snprintf(out, size, "等%zu个", total);
	else
		snprintf(out, size, " and %zu more", left);
}

/*
 * Appends items (the first n of total) to b, separated by ", " or "、",
 * while the whole stays within budget display columns; those that do
 * not fit are counted instead (" and 3 more", "等5个").  The first item
 * is always shown.
 */
static void
join_fitting(struct ka_buf *b, const char *const *items, size_t n,
    size_t total, int zh, size_t budget)
{
	const char *sep = zh ? "、" : ", ";
	char more[64];
	size_t i, used = 0;

	for (i = 0; i < n; i++) {
		size_t w = width_of(items[i]) + (i > 0 ? width_of(sep) : 0);
		size_t tail = 0;

		if (i + 1 < total) {
			more_text(zh, total - i - 1, total, more, sizeof(more));
			tail = width_of(more);
		}
		if (i > 0 && used + w + tail > budget)
			break;
		if (i > 0)
			ka_buf_puts(b, sep);
		ka_buf_puts(b, items[i]);
		used += w;
	}
	if (i < total) {
		more_text(zh, total - i, total, more, sizeof(more));
		ka_buf_puts(b, more);
	}
}

/* ---- reading ---- */

/*
 * The reader prints why a file cannot be opened and the engine then
 * leaves its message empty; opening it first keeps the one message.
 */
static int
can_open(const char *path, char *error, size_t size)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		snprintf(error, size, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* An engine loader's status (KA_EXIT_DATA, KA_EXIT_USAGE) as ours. */
static int
load_failed(int status, const char *path, char *error, size_t size)
{
	if (error[0] == '\0')
		snprintf(error, size, "%s: cannot be read", path);
	return status == KA_EXIT_USAGE ? -2 : -1;
}

static void
missing_role(const ka_record *header, enum ka_role role, char *error,
    size_t size)
{
	const char *const *aliases = ka_role_aliases(role);
	struct ka_buf seen = { 0 }, tried = { 0 };
	size_t i;

	for (i = 0; header != NULL && i < header->nfields; i++)
		ka_buf_printf(&seen, "%s%s", i ? ", " : "",
		    ka_field(header, i));
	for (i = 0; aliases[i] != NULL; i++)
		ka_buf_printf(&tried, "%s%s", i ? ", " : "", aliases[i]);
	snprintf(error, size, "%s: no %s column (needed by --stock); the "
	    "header has: %s; tried: %s; name one with --col %s=NAME",
	    header != NULL && header->file != NULL ? header->file : "input",
	    ka_role_name(role), seen.text != NULL ? seen.text : "",
	    tried.text != NULL ? tried.text : "", ka_role_name(role));
	ka_buf_free(&seen);
	ka_buf_free(&tried);
}

/* The sales, a second time, into the engine; as ka-stock reads them. */
static int
read_sales(const struct ka_report_inputs *in, ka_stock *stock, char *error,
    size_t size)
{
	const struct ka_stock_counts *counts;
	struct ka_roles roles = *in->roles;
	enum ka_read_status status;
	enum ka_role missing;
	ka_reader *reader;
	ka_record rec;
	int got, rc = 0;

	if ((reader = ka_reader_open(in->sales, in->nsales, in->read)) ==
	    NULL) {
		/* The reader has said why; the main pass read them fine. */
		snprintf(error, size, "--stock: the sales cannot be read a "
		    "second time");
		return -1;
	}
	if (ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    size) < 0) {
		ka_reader_close(reader);
		return -2;
	}
	if (ka_stock_bind(stock, ka_reader_header(reader), &roles,
	    &missing) < 0) {
		missing_role(ka_reader_header(reader), missing, error, size);
		ka_reader_close(reader);
		return -2;
	}
	while (rc == 0 && (got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_reader_reason(reader));
			rc = -1;
			break;
		}
		switch (ka_stock_add(stock, &rec)) {
		case KA_STOCK_BAD:
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_stock_error(stock));
			rc = -1;
			break;
		case KA_STOCK_FATAL:
			snprintf(error, size, "%s", ka_stock_error(stock));
			rc = -1;
			break;
		default:
			break;
		}
	}
	if (rc == 0 && got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		rc = -1;
	}
	ka_reader_close(reader);
	if (rc < 0)
		return rc;
	/* Never lost silently: what ka-stock says of the same rows. */
	counts = ka_stock_counts(stock);
	if (counts->unassigned.rows > 0) {
		char qty[KA_DEC_BUFSIZE];

		ka_dec_format(counts->unassigned.qty, -1, qty);
		ka_warn("--stock: %lu sales %s with no customer_id or sku %s "
		    "not used (qty %s)", counts->unassigned.rows,
		    counts->unassigned.rows == 1 ? "row" : "rows",
		    counts->unassigned.rows == 1 ? "was" : "were",
		    counts->unassigned.overflow ? "too large to show" : qty);
	}
	return 0;
}

static int
load_files(const struct ka_report_inputs *in, ka_stock *stock, char *error,
    size_t size)
{
	struct ka_reader_options read = *in->read;
	int status;

	/* Stock, accounts and orders files are UTF-8 (or UTF-16 with a
	   byte-order mark), as ka-stock reads them; --encoding is for the
	   sales export. */
	read.encoding = NULL;
	read.progress = 0;
	error[0] = '\0';
	if (can_open(in->accounts, error, size) < 0)
		return -1;
	if ((status = ka_stock_load_accounts(stock, in->accounts, &read,
	    error, size)) != 0)
		return load_failed(status, in->accounts, error, size);
	if (can_open(in->stock, error, size) < 0)
		return -1;
	if ((status = ka_stock_load_stock(stock, in->stock, &read, error,
	    size)) != 0)
		return load_failed(status, in->stock, error, size);
	if (in->orders == NULL)
		return 0;
	if (can_open(in->orders, error, size) < 0)
		return -1;
	if ((status = ka_stock_load_orders(stock, in->orders, &read, error,
	    size)) != 0)
		return load_failed(status, in->orders, error, size);
	return 0;
}

/* ---- open orders ---- */

static char *
copy_text(const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return copy;
}

/*
 * The open orders due by the peak's end, allocated by priority (what
 * `ka-stock allocate --orders FILE --horizon Nd` writes), summed over
 * the key accounts.  Done before the check: the engine keeps one set of
 * results at a time.
 */
static int
summarize_orders(ka_stock *stock, const ka_period *peak,
    struct orders_summary *o, char *error, size_t size)
{
	const struct ka_stock_allocation *rows;
	struct ka_stock_plan plan;
	const char *key, *last_sku = NULL, **notes;
	size_t i, n;

	memset(&plan, 0, sizeof(plan));
	plan.strategy = KA_STOCK_PRIORITY;
	plan.until = peak->last;
	if (ka_stock_allocate(stock, &plan, error, size) < 0)
		return -1;
	key = ka_stock_tier_count(stock) > 0 ? ka_stock_tier_label(stock, 0) :
	    NULL;
	rows = ka_stock_allocations(stock, &n);
	if ((o->short_skus = calloc(n + 1, sizeof(*o->short_skus))) == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; key != NULL && i < n; i++) {
		const struct ka_stock_allocation *a = &rows[i];

		if (strcmp(a->tier, key) != 0)
			continue;
		o->lines++;
		if (ka_dec_add(&o->qty, a->demand) < 0) {
			snprintf(error, size, "--orders: the key accounts' "
			    "open orders add up to too much");
			return -1;
		}
		if (a->shortfall <= 0)
			continue;
		o->short_lines++;
		ka_dec_add(&o->short_qty, a->shortfall);
		/* Rows come by sku: a new sku follows the last one. */
		if (last_sku == NULL || strcmp(last_sku, a->sku) != 0)
			o->short_skus[o->nshort_skus++] = last_sku = a->sku;
	}
	n = ka_stock_notes(stock, &notes);
	if (n > 0 && (o->notes = calloc(n, sizeof(*o->notes))) == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < n; i++)
		o->notes[o->nnotes++] = copy_text(notes[i]);
	return 0;
}

static void
free_orders(struct orders_summary *o)
{
	size_t i;

	for (i = 0; i < o->nnotes; i++)
		free(o->notes[i]);
	free(o->notes);
	free(o->short_skus);
}

/* ---- the section ---- */

/*
 * The engine's notes (English, for standard error in ka-stock) as
 * sentences of the report.  Each starts with its count.
 */
static void
note_line(struct ka_report_section *out, int zh, const char *note,
    ka_date until)
{
	char *end, *copy, *p, date[32], head[200];
	unsigned long n = strtoul(note, &end, 10);
	const char **items;
	struct ka_buf list = { 0 };
	size_t nitems = 0;

	if (end == note || (!zh && strstr(end, "not allocated: ") == NULL)) {
		ka_section_line(out, "%s%s", note, zh ? "。" : ".");
		return;
	}
	if (strstr(end, "with key-account demand") != NULL) {
		ka_section_line(out, "%lu个大客户购买的SKU没有库存记录，未检查。",
		    n);
		return;
	}
	if (strstr(end, "left for later") != NULL) {
		ka_report_date_text(zh, until, date, sizeof(date));
		ka_section_line(out, "%lu条订单行要求在%s之后交货，暂不计入。", n,
		    date);
		return;
	}
	if ((p = strstr(end, "not allocated: ")) == NULL) {
		ka_section_line(out, "%s。", note);
		return;
	}
	/* "2 skus with demand have no stock row and were not allocated:
	   GFT09, GFT10": the list cut to the line. */
	copy = copy_text(p + strlen("not allocated: "));
	if ((items = calloc(strlen(copy) + 1, sizeof(*items))) == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (p = copy; *p != '\0'; ) {
		size_t length = strcspn(p, ",");

		/* The engine ends a long list with "...": n counts all. */
		if (length != 3 || strncmp(p, "...", 3) != 0)
			items[nitems++] = p;
		p += length;
		if (*p == ',') {
			*p++ = '\0';
			p += *p == ' ';
		}
	}
	if (zh)
		snprintf(head, sizeof(head), "%lu个有订单的SKU没有库存记录，"
		    "未分配：", n);
	else
		snprintf(head, sizeof(head), "Orders not allocated, no stock "
		    "row: ");
	join_fitting(&list, items, nitems, n > nitems ? n : nitems, zh,
	    LINE_WIDTH - width_of(head) - 2);
	ka_section_line(out, "%s%s%s", head, list.text != NULL ? list.text :
	    "", zh ? "。" : ".");
	ka_buf_free(&list);
	free(items);
	free(copy);
}

/* "C007, C003, C009 +1" from the engine's "C007:12;C003:2;...". */
static void
accounts_cell(const char *accounts, struct ka_buf *cell)
{
	const char *p = accounts;
	char more[32];
	size_t total = 0, shown = 0, used = 0;

	for (p = accounts; *p != '\0'; p += strcspn(p, ";"), p += *p == ';')
		total++;
	for (p = accounts; *p != '\0'; p += strcspn(p, ";"), p += *p == ';') {
		size_t length = strcspn(p, ":;");
		size_t w = ka_utf8_width(p, length) + (shown > 0 ? 2 : 0);

		snprintf(more, sizeof(more), " +%zu", total - shown - 1);
		if (shown > 0 && used + w + (shown + 1 < total ?
		    strlen(more) : 0) > ACCOUNTS_WIDTH) {
			snprintf(more, sizeof(more), " +%zu", total - shown);
			ka_buf_puts(cell, more);
			return;
		}
		if (shown > 0)
			ka_buf_puts(cell, ", ");
		ka_buf_add(cell, p, length);
		used += w;
		shown++;
	}
}

static void
summary_lines(const struct ka_report_inputs *in,
    const struct ka_stock_report *r, const char *key_tier,
    struct ka_report_section *out)
{
	int zh = in->lang == KA_LANG_ZH;
	char peak[128], total[64];
	size_t i;

	period_text(zh, &r->peak, peak, sizeof(peak));
	if (zh)
		ka_section_line(out, "旺季：%s；供货周期%d天。", peak, r->lead_days);
	else
		ka_section_line(out, "Peak %s, supplier lead time %d %s.", peak,
		    r->lead_days, r->lead_days == 1 ? "day" : "days");
	if (key_tier == NULL) {
		ka_section_line(out, zh ? "没有已分级的大客户，无需检查。" :
		    "No key accounts are ranked: nothing to check.");
		return;
	}
	if (r->skus == 0)
		ka_section_line(out, zh ? "大客户（%s级）在旺季前没有需按库存检查的"
		    "需求。" : "Key accounts (tier %s) have no demand to check "
		    "against the stock.", key_tier);
	else if (r->nstockouts == 0 && zh)
		ka_section_line(out, "大客户（%s级）购买的%zu个SKU在旺季结束前%s"
		    "不会缺货。", key_tier, r->skus, r->skus > 1 ? "均" : "");
	else if (r->nstockouts == 0 && r->skus == 1)
		ka_section_line(out, "The one sku key accounts (tier %s) buy does "
		    "not run short by the peak's end.", key_tier);
	else if (r->nstockouts == 0)
		ka_section_line(out, "None of the %zu skus key accounts (tier %s) "
		    "buy runs short by the peak's end.", r->skus, key_tier);
	else if (zh)
		ka_section_line(out, "大客户（%s级）购买的%zu个SKU中，%zu个将在旺季"
		    "结束前缺货。", key_tier, r->skus, r->nstockouts);
	else
		ka_section_line(out, "%zu of %zu %s key accounts (tier %s) buy "
		    "%s short by the peak's end.", r->nstockouts, r->skus,
		    r->skus == 1 ? "sku" : "skus", key_tier, r->nstockouts == 1 ?
		    "runs" : "run");
	if (r->nstockouts > 0) {
		qty_text(r->shortfall, total, sizeof(total));
		if (zh)
			ka_section_line(out, "缺口共%s件；%zu个大客户缺货。", total,
			    r->short_accounts);
		else
			ka_section_line(out, "Shortfall %s units; %zu key %s "
			    "short.", total, r->short_accounts,
			    r->short_accounts == 1 ? "account" : "accounts");
	}

	/* Skus to order now, and those that can wait. */
	if (r->nstockouts == 0)
		ka_section_line(out, zh ? "需立即订货：无。" :
		    "To order now: none.");
	else {
		const char **items = calloc(r->nstockouts + 1, sizeof(*items));
		struct ka_buf list = { 0 };
		size_t late = 0, later = 0, prefix;
		ka_date first_by = 0;
		char head[128], by[32];

		if (items == NULL)
			ka_die(KA_EXIT_DATA, "out of memory");
		for (i = 0; i < r->norder_now; i++) {
			const struct ka_stock_shortage *x =
			    &r->stockouts[r->order_now[i]];

			items[i] = x->sku;
			late += x->action == KA_STOCK_ORDER_LATE;
		}
		if (r->norder_now == 0)
			ka_section_line(out, zh ? "需立即订货：无。" :
			    "To order now: none.");
		else if (r->norder_now == r->nstockouts && r->nstockouts > 1)
			ka_section_line(out, zh ? "需立即订货：全部%zu个缺货SKU。" :
			    "To order now: all %zu skus short.", r->norder_now);
		else {
			if (zh)
				snprintf(head, sizeof(head), "需立即订货：%zu个"
				    "SKU（", r->norder_now);
			else
				snprintf(head, sizeof(head), "To order now: %zu "
				    "%s (", r->norder_now, r->norder_now == 1 ?
				    "sku" : "skus");
			prefix = width_of(head) + 4;
			join_fitting(&list, items, r->norder_now, r->norder_now,
			    zh, LINE_WIDTH - prefix);
			ka_section_line(out, "%s%s%s", head, list.text,
			    zh ? "）。" : ").");
			ka_buf_reset(&list);
		}
		if (late > 0 && zh)
			ka_section_line(out, "其中%zu个即使今天订货，也会在缺货后"
			    "才到货。", late);
		else if (late > 0)
			ka_section_line(out, "Even ordered today, %zu %s after "
			    "%s run%s short.", late, late == 1 ? "arrives" :
			    "arrive", late == 1 ? "it" : "they", late == 1 ?
			    "s" : "");
		/* Those that can wait, and the first day one must be ordered. */
		for (i = 0; i < r->nstockouts; i++) {
			const struct ka_stock_shortage *x = &r->stockouts[i];

			if (x->action != KA_STOCK_ORDER_LATER)
				continue;
			if (later == 0 || x->order_by < first_by)
				first_by = x->order_by;
			items[later++] = x->sku;
		}
		ka_report_date_text(zh, first_by, by, sizeof(by));
		if (later == 1)
			ka_section_line(out, zh ? "稍后订货：%s（%s前）。" :
			    "To order later: %s by %s.", items[0], by);
		else if (later > 1) {
			if (zh)
				snprintf(head, sizeof(head), "稍后订货：%zu个SKU，"
				    "最早须在%s前订货（", later, by);
			else
				snprintf(head, sizeof(head), "To order later: %zu "
				    "skus, the first by %s (", later, by);
			join_fitting(&list, items, later, later, zh,
			    LINE_WIDTH - width_of(head) - 4);
			ka_section_line(out, "%s%s%s", head, list.text,
			    zh ? "）。" : ").");
		}
		ka_buf_free(&list);
		free(items);
	}
}

static void
orders_lines(const struct ka_report_inputs *in, const ka_period *peak,
    const struct orders_summary *o, struct ka_report_section *out)
{
	int zh = in->lang == KA_LANG_ZH;
	char until[32], qty[64], short_qty[64], head[200];
	struct ka_buf list = { 0 };

	ka_report_date_text(zh, peak->last, until, sizeof(until));
	qty_text(o->qty, qty, sizeof(qty));
	qty_text(o->short_qty, short_qty, sizeof(short_qty));
	if (o->lines == 0) {
		ka_section_line(out, zh ? "大客户没有%s前交货的未交订单。" :
		    "No open orders of key accounts due by %s.", until);
		return;
	}
	if (zh)
		ka_section_line(out, "大客户%s前交货的未交订单：%zu行（客户与SKU），"
		    "共%s件。", until, o->lines, qty);
	else
		ka_section_line(out, "Key-account open orders due by %s: %zu "
		    "account-sku %s, %s units.", until, o->lines, o->lines == 1 ?
		    "line" : "lines", qty);
	if (o->short_lines == 0) {
		ka_section_line(out, zh ? "全部可以足额交货。" :
		    "All of them can be filled in full.");
		return;
	}
	if (zh)
		snprintf(head, sizeof(head), "其中%zu行无法足额交货，缺%s件（",
		    o->short_lines, short_qty);
	else
		snprintf(head, sizeof(head), "Short: %zu %s, %s units (",
		    o->short_lines, o->short_lines == 1 ? "line" : "lines",
		    short_qty);
	join_fitting(&list, o->short_skus, o->nshort_skus, o->nshort_skus, zh,
	    LINE_WIDTH - width_of(head) - 4);
	ka_section_line(out, "%s%s%s", head, list.text, zh ? "）。" : ").");
	ka_buf_free(&list);
}

static void
table(const struct ka_report_inputs *in, const struct ka_stock_report *r,
    struct ka_report_section *out)
{
	static const int numeric[5] = { 0, 0, 0, 1, 0 };
	int zh = in->lang == KA_LANG_ZH;
	const struct words *w = zh ? &chinese : &english;
	size_t i;

	if (r->nstockouts == 0)
		return;
	ka_section_columns(out, w->columns, numeric, 5);
	for (i = 0; i < r->nstockouts && i < MAX_ROWS; i++) {
		const struct ka_stock_shortage *x = &r->stockouts[i];
		struct ka_buf cell = { 0 };
		char text[64];

		ka_section_cell(out, "%s", x->sku);
		ka_section_cell(out, "%s", x->product);
		ka_report_date_text(zh, x->short_from, text, sizeof(text));
		ka_section_cell(out, "%s", text);
		qty_text(x->shortfall, text, sizeof(text));
		ka_section_cell(out, "%s", text);
		accounts_cell(x->accounts, &cell);
		ka_section_cell(out, "%s", cell.text != NULL ? cell.text : "");
		ka_buf_free(&cell);
	}
}

/* The calendar month after as_of's. */
static ka_period
next_month(ka_date as_of)
{
	ka_period p;
	int y, m, d;

	ka_date_to_ymd(as_of, &y, &m, &d);
	p.kind = KA_PERIOD_MONTH;
	p.first = ka_date_add_months(ka_date_from_ymd(y, m, 1), 1);
	p.last = ka_date_add_months(p.first, 1) - 1;
	return p;
}

int
ka_report_stock(const struct ka_report_inputs *in,
    struct ka_report_section *out, char *error, size_t size)
{
	struct ka_stock_config config;
	struct ka_stock_report r;
	struct orders_summary orders;
	ka_stock *stock;
	ka_period peak;
	const char **notes;
	const char *key_tier;
	char text[256], canonical[KA_PERIOD_BUFSIZE], as_of[KA_DATE_BUFSIZE];
	int zh = in->lang == KA_LANG_ZH, rc;
	size_t i, n;

	/* Usage first: nothing is read before the options are sound. */
	if (in->nsales == 0)
		goto stdin_sales;
	for (i = 0; i < in->nsales; i++)
		if (strcmp(in->sales[i], "-") == 0)
			goto stdin_sales;
	if (in->peak != NULL) {
		if (ka_period_parse(in->peak, in->as_of, &peak, text,
		    sizeof(text)) < 0) {
			snprintf(error, size, "--peak: %s", text);
			return -2;
		}
		if (peak.last <= in->as_of) {
			ka_date_format(in->as_of, as_of);
			snprintf(error, size, "--peak %s is over by %s "
			    "(--as-of)", in->peak, as_of);
			return -2;
		}
	} else
		peak = next_month(in->as_of);

	ka_stock_config_init(&config);
	config.as_of = in->as_of;
	config.decimal_comma = in->decimal_comma;
	config.date_format = in->date_format;
	config.null_string = in->null_string;
	stock = ka_stock_new(&config);
	memset(&orders, 0, sizeof(orders));
	if ((rc = read_sales(in, stock, error, size)) < 0 ||
	    (rc = load_files(in, stock, error, size)) < 0)
		goto done;
	if (in->orders != NULL && (rc = summarize_orders(stock, &peak,
	    &orders, error, size)) < 0)
		goto done;
	/* Its one usage error, a peak that is over, is ruled out above. */
	if ((rc = ka_stock_report(stock, &peak, in->lead_days, &r, error,
	    size)) < 0)
		goto done;
	key_tier = ka_stock_tier_count(stock) > 0 ?
	    ka_stock_tier_label(stock, 0) : NULL;

	ka_section_init(out, "stock", zh ? chinese.title : english.title);
	summary_lines(in, &r, key_tier, out);
	n = ka_stock_notes(stock, &notes);
	for (i = 0; i < n; i++)
		note_line(out, zh, notes[i], peak.last);
	if (in->orders != NULL) {
		orders_lines(in, &peak, &orders, out);
		for (i = 0; i < orders.nnotes; i++)
			note_line(out, zh, orders.notes[i], peak.last);
	}
	if (r.nstockouts > MAX_ROWS)
		ka_section_line(out, zh ? "下表列出最早缺货的%d个，共%zu个。" :
		    "The table shows the %d soonest of the %zu.", MAX_ROWS,
		    r.nstockouts);
	/* The commands, with the report's own --as-of, accounts, stock
	   file and sales; the as-of date is in the report's heading. */
	ka_period_format(&peak, canonical, sizeof(canonical));
	ka_section_line(out, "%ska-stock check --peak %s --lead %dd",
	    zh ? "来源：" : "From: ", canonical, in->lead_days);
	if (in->orders != NULL)
		ka_section_line(out, "%ska-stock allocate --orders FILE "
		    "--horizon %dd", zh ? "订单来源：" : "Orders from: ",
		    (int)(peak.last - in->as_of));
	table(in, &r, out);
	rc = 0;
done:
	free_orders(&orders);
	ka_stock_free(stock);
	return rc;

stdin_sales:
	snprintf(error, size, "--stock reads the sales a second time: give "
	    "them as files, not on standard input");
	return -2;
}
