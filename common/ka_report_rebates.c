/*
 * ka_report_rebates: the rebates section of ka-report (--rebates FILE,
 * --settled FILE, --near PCT).  The rebate engine (ka_rebate.h) reads
 * the agreements, the key accounts, the amounts settled and the sales,
 * exactly as `ka-rebate accrue` does; ka_rebate_report() then gives the
 * accruals of the key accounts and those within near_pct percent of
 * their next tier.  This file only words and lays out those figures:
 * money is shown to the cent as the engine computed it.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_rebate.h"
#include "ka_report_sections.h"

#define MAX_JOBS	16	/* pieces of a large sales file at once */
#define NCOLUMNS	6

struct words {
	const char	*title;
	const char	*columns[NCOLUMNS];
	const char	*top_tier, *ended, *not_started;
};

static const struct words english = {
	"Rebates",
	{ "customer", "agreement", "earned", "accrual", "next tier", "worth" },
	"top tier", "ended", "not yet"
};

static const struct words chinese = {
	"返利",
	{ "客户", "协议", "已赚返利", "应计", "距下一档", "可多得" },
	"最高档", "已结束", "未开始"
};

static const int numeric[NCOLUMNS] = { 0, 0, 1, 1, 1, 1 };

/* ---- figures as text ---- */

static const char *
money(ka_dec v, char *out, size_t size)
{
	ka_display_money(v, 2, out, size);
	return out;
}

/* A quantity: whole units without decimals, else as many as it has. */
static const char *
quantity(ka_dec v, char *out, size_t size)
{
	int places = 4;

	if (v % KA_DEC_SCALE == 0)
		places = 0;
	else if (v % (KA_DEC_SCALE / 100) == 0)
		places = 2;
	ka_display_money(v, places, out, size);
	return out;
}

/* A level of the agreement's basis: money, or units for qty. */
static const char *
level(enum ka_rebate_basis basis, ka_dec v, char *out, size_t size)
{
	if (basis == KA_REBATE_BASIS_QTY)
		return quantity(v, out, size);
	return money(v, out, size);
}

static const char *
name_of(const struct ka_rebate_accrual *a)
{
	return a->customer != NULL && *a->customer != '\0' ? a->customer :
	    a->customer_id;
}


/* ---- reading ---- */

static int
is_stdin(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/* Usage errors the section can see before it reads anything. */
static int
check_inputs(const struct ka_report_inputs *in, char *error, size_t size)
{
	size_t i;

	if (isnan(in->near_pct) || in->near_pct < 0 || in->near_pct > 1000) {
		snprintf(error, size, "bad --near \"%g\": give a percentage "
		    "from 0 to 1000", in->near_pct);
		return -2;
	}
	for (i = 0; i < in->nsales && !is_stdin(in->sales[i]); i++)
		;
	if (in->nsales == 0 || i < in->nsales) {
		snprintf(error, size, "--rebates reads the sales a second "
		    "time: give them as files, not on standard input");
		return -2;
	}
	if (is_stdin(in->rebates) + is_stdin(in->settled) +
	    is_stdin(in->accounts) > 1) {
		snprintf(error, size, "standard input can be read only once: "
		    "give the %s as a file", is_stdin(in->settled) ?
		    "settled amounts" : "accounts");
		return -2;
	}
	return 0;
}

/* The message of ka_roles_require(), returned instead of exiting. */
static void
missing_role(const ka_record *header, enum ka_role role, char *error,
    size_t size)
{
	const char *const *aliases = ka_role_aliases(role);
	struct ka_buf b = { 0 };
	size_t i;

	ka_buf_printf(&b, "%s: no %s column for the rebate agreements; the "
	    "header has: ", header->file != NULL ? header->file : "input",
	    ka_role_name(role));
	for (i = 0; i < header->nfields; i++)
		ka_buf_printf(&b, "%s%s", i ? ", " : "", ka_field(header, i));
	ka_buf_puts(&b, "; tried: ");
	for (i = 0; aliases[i] != NULL; i++)
		ka_buf_printf(&b, "%s%s", i ? ", " : "", aliases[i]);
	ka_buf_printf(&b, "; name one with --col %s=NAME", ka_role_name(role));
	snprintf(error, size, "%s", b.text);
	ka_buf_free(&b);
}

/* Every row of one reader into the engine; -1 with the message. */
static int
add_rows(ka_rebate *engine, ka_reader *reader, char *error, size_t size)
{
	enum ka_read_status status;
	ka_record rec;
	int got;

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK) {
			snprintf(error, size, "%s", ka_reader_error(reader));
			return -1;
		}
		switch (ka_rebate_add(engine, &rec)) {
		case KA_REBATE_BAD:
		case KA_REBATE_FATAL:
			snprintf(error, size, "%s:%lu: %s", rec.file, rec.line,
			    ka_rebate_error(engine));
			return -1;
		default:
			break;
		}
	}
	if (got < 0) {
		snprintf(error, size, "%s", ka_reader_error(reader));
		return -1;
	}
	return 0;
}

/*
 * The sales, a second time: a large file in pieces on several cores
 * (ka_rebate_add_file), the others row by row, as ka-rebate reads them.
 * 0, -1 (bad data) or -2 (usage) with the message.
 */
static int
read_sales(const struct ka_report_inputs *in, ka_rebate *engine, char *error,
    size_t size)
{
	struct ka_reader_options options = *in->read;
	struct ka_roles roles = *in->roles;
	const ka_record *header;
	enum ka_role missing;
	ka_reader *reader, *one;
	long cores;
	size_t i;
	int rc, jobs;

	options.progress = 0;
	if ((reader = ka_reader_open(in->sales, in->nsales, &options)) ==
	    NULL) {
		snprintf(error, size, "%s: cannot read the sales for the "
		    "rebates", in->sales[0]);
		return -1;
	}
	header = ka_reader_header(reader);
	if (ka_roles_resolve(&roles, header, error, size) < 0) {
		ka_reader_close(reader);
		return -2;
	}
	rc = ka_rebate_bind(engine, header, &roles, &missing, error, size);
	if (rc == -1)
		missing_role(header, missing, error, size);
	if (rc < 0) {
		ka_reader_close(reader);
		return rc == -1 ? -2 : -1;
	}
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (int)cores;
	if (in->nsales == 1) {
		/* The reader is open already: no second opening. */
		if (ka_rebate_add_file(engine, in->sales[0], &options,
		    ka_reader_delimiter(reader), jobs) != 1)
			rc = add_rows(engine, reader, error, size);
		ka_reader_close(reader);
		return rc;
	}
	for (i = 0; i < in->nsales && rc == 0; i++) {
		const char *file[1];

		if (ka_rebate_add_file(engine, in->sales[i], &options,
		    ka_reader_delimiter(reader), jobs) == 1)
			continue;
		file[0] = in->sales[i];
		if ((one = ka_reader_open(file, 1, &options)) == NULL) {
			snprintf(error, size, "%s: cannot read the sales for "
			    "the rebates", in->sales[i]);
			rc = -1;
			break;
		}
		rc = add_rows(engine, one, error, size);
		ka_reader_close(one);
	}
	ka_reader_close(reader);
	return rc;
}

/* The engine, loaded and fed as `ka-rebate accrue` does. */
static int
run_engine(const struct ka_report_inputs *in, ka_rebate *engine, char *error,
    size_t size)
{
	size_t length;
	int rc;

	if (ka_rebate_load_agreements(engine, in->rebates, error, size) < 0)
		return -1;
	if (in->accounts != NULL && ka_rebate_load_accounts(engine,
	    in->accounts, error, size) < 0)
		return -1;
	if (ka_rebate_prepare(engine, error, size) < 0) {
		/* ka-report always gives accounts: that file lists none. */
		if (in->accounts != NULL) {
			length = strlen(error);
			snprintf(error + length, size - length, "; %s lists "
			    "none", in->accounts_ranked ? "the ranking "
			    "of the risk window" : in->accounts);
		}
		return -2;
	}
	if (in->settled != NULL && ka_rebate_load_settled(engine,
	    in->settled, error, size) < 0)
		return -1;
	if ((rc = read_sales(in, engine, error, size)) < 0)
		return rc;
	if (ka_rebate_finish(engine, error, size) < 0)
		return -1;
	return 0;
}

/* ---- the section ---- */

static void
summary_line(const struct ka_report_inputs *in,
    const struct ka_rebate_report *r, struct ka_report_section *out)
{
	char day[40], earned[48], settled[48], accrual[48], more[160];
	size_t others = r->instances - r->naccruals;
	int zh = in->lang == KA_LANG_ZH;

	ka_report_date_text(in->lang == KA_LANG_ZH, r->as_of, day, sizeof(day));
	money(r->earned, earned, sizeof(earned));
	money(r->settled, settled, sizeof(settled));
	money(r->accrual, accrual, sizeof(accrual));
	more[0] = '\0';
	if (others > 0 && zh)
		snprintf(more, sizeof(more), "另有%zu项协议涉及非大客户。",
		    others);
	else if (others > 0)
		snprintf(more, sizeof(more), " %zu other agreement%s %s",
		    others, others == 1 ? "" : "s", others == 1 ? "covers a "
		    "customer that is not a key account." : "cover customers "
		    "that are not key accounts.");
	if (r->naccruals == 0 && zh)
		ka_section_line(out, "截至%s，没有返利协议涉及大客户。%s", day,
		    more);
	else if (r->naccruals == 0)
		ka_section_line(out, "As of %s, no rebate agreement covers a "
		    "key account.%s", day, more);
	else if (zh)
		ka_section_line(out, "截至%s，大客户返利协议%zu项：已赚返利%s，"
		    "已结算%s%s，应计%s。%s", day, r->naccruals, earned,
		    settled, in->settled == NULL ? "（按结算周期推算）" : "",
		    accrual, more);
	else
		ka_section_line(out, "As of %s, %zu rebate agreement%s of key "
		    "accounts: earned %s, settled %s%s, accrual to book %s.%s",
		    day, r->naccruals, r->naccruals == 1 ? "" : "s", earned,
		    settled, in->settled == NULL ? " (by the settlement "
		    "schedule)" : "", accrual, more);
}

static const char *
basis_word(enum ka_rebate_basis basis, int zh)
{
	switch (basis) {
	case KA_REBATE_BASIS_QTY:
		return zh ? "销量" : "units";
	case KA_REBATE_BASIS_MARGIN:
		return zh ? "毛利" : "margin";
	default:
		return zh ? "销售额" : "sales";
	}
}

/* The accounts within near_pct of their next tier: the opportunity. */
static int
near_lines(const struct ka_report_inputs *in, const struct ka_rebate_report *r,
    struct ka_report_section *out)
{
	char near[KA_DEC_BUFSIZE], total[48], needed[48], gap[48];
	char threshold[48], extra[48];
	ka_dec sum = 0;
	size_t i;
	int zh = in->lang == KA_LANG_ZH;

	ka_dec_format(r->near_pct, -1, near);
	if (r->nnear == 0) {
		if (zh)
			ka_section_line(out, "没有协议距下一返利档在%s%%以内。",
			    near);
		else
			ka_section_line(out, "No agreement is within %s%% of "
			    "its next tier.", near);
		return 0;
	}
	for (i = 0; i < r->nnear; i++)
		if (ka_dec_add(&sum, r->near[i].accrual->value.extra_rebate) <
		    0)
			return -1;
	money(sum, total, sizeof(total));
	if (zh)
		ka_section_line(out, "距下一返利档%s%%以内的协议%zu项，达到后共可"
		    "多得返利%s（销售机会）：", near, r->nnear, total);
	else
		ka_section_line(out, "%zu agreement%s within %s%% of %s next "
		    "tier, worth %s more rebate in all (a sales opportunity):",
		    r->nnear, r->nnear == 1 ? "" : "s", near,
		    r->nnear == 1 ? "its" : "their", total);
	for (i = 0; i < r->nnear; i++) {
		const struct ka_rebate_accrual *a = r->near[i].accrual;

		level(a->basis_type, a->value.volume_needed, needed,
		    sizeof(needed));
		level(a->basis_type, a->value.next_threshold, threshold,
		    sizeof(threshold));
		money(r->near[i].gap_pct, gap, sizeof(gap));
		money(a->value.extra_rebate, extra, sizeof(extra));
		if (zh)
			ka_section_line(out, "%s（%s）还需%s%s即达%s%s（差%s%%），"
			    "可多得返利%s。", name_of(a), a->agreement_id,
			    basis_word(a->basis_type, 1), needed,
			    a->method == KA_REBATE_GROWTH ? "增长额" : "",
			    threshold, gap, extra);
		else
			ka_section_line(out, "%s (%s) needs %s more %s to reach "
			    "%s%s (%s%% short), worth %s more rebate.",
			    name_of(a), a->agreement_id, needed,
			    basis_word(a->basis_type, 0),
			    a->method == KA_REBATE_GROWTH ? "growth of " : "",
			    threshold, gap, extra);
	}
	return 0;
}


/* Which command shows the same figures. */
static void
check_line(const struct ka_report_inputs *in, const struct ka_rebate_report *r,
    struct ka_report_section *out)
{
	struct ka_buf b = { 0 };
	char day[KA_DATE_BUFSIZE], near[KA_DEC_BUFSIZE];
	int ranked = in->accounts_ranked;
	int zh = in->lang == KA_LANG_ZH;
	size_t i;

	ka_date_format(r->as_of, day);
	ka_dec_format(r->near_pct, -1, near);
	ka_buf_puts(&b, zh ? "核对：" : "Same figures: ");
	ka_buf_puts(&b, "ka-rebate accrue -a ");
	ka_shell_word(&b, in->rebates);
	if (in->settled != NULL) {
		ka_buf_puts(&b, " --settled ");
		ka_shell_word(&b, in->settled);
	}
	if (in->accounts != NULL) {
		ka_buf_puts(&b, " --accounts ");
		if (ranked)
			ka_buf_puts(&b, "ACCOUNTS");
		else
			ka_shell_word(&b, in->accounts);
	}
	ka_buf_printf(&b, " --as-of %s", day);
	ka_report_reading_options(in, &b);
	for (i = 0; i < in->nsales; i++) {
		ka_buf_puts(&b, " ");
		ka_shell_word(&b, in->sales[i]);
	}
	if (zh)
		ka_buf_printf(&b, "（加 --near %s 只列接近下一档的协议%s）", near,
		    ranked ? "；ACCOUNTS：风险窗口的 ka-rank 结果" : "");
	else
		ka_buf_printf(&b, " (--near %s lists the near ones%s)", near,
		    ranked ? "; ACCOUNTS: ka-rank of the risk window" :
		    "");
	ka_section_line(out, "%s", b.text);
	ka_buf_free(&b);
}

static void
table(const struct ka_report_inputs *in, const struct ka_rebate_report *r,
    struct ka_report_section *out)
{
	const struct words *w = in->lang == KA_LANG_ZH ? &chinese : &english;
	char earned[48], accrual[48], gap[48], extra[48];
	ka_dec gap_pct;
	size_t i;

	if (r->naccruals == 0)
		return;
	ka_section_columns(out, w->columns, numeric, NCOLUMNS);
	for (i = 0; i < r->naccruals; i++) {
		const struct ka_rebate_accrual *a = r->accruals[i].accrual;

		extra[0] = '\0';
		if (!a->started)
			snprintf(gap, sizeof(gap), "%s", w->not_started);
		else if (a->ended)
			snprintf(gap, sizeof(gap), "%s", w->ended);
		else if (!a->value.has_next)
			snprintf(gap, sizeof(gap), "%s", w->top_tier);
		else if (ka_rebate_is_near(a, INT64_MAX, &gap_pct)) {
			/* The gap alone: any gap is "near" enough. */
			money(gap_pct, gap, sizeof(gap));
			strcat(gap, "%");
			money(a->value.extra_rebate, extra, sizeof(extra));
		} else		/* a basis below a first threshold of 0 */
			snprintf(gap, sizeof(gap), "-");
		ka_section_cell(out, "%s", name_of(a));
		ka_section_cell(out, "%s", a->agreement_id);
		ka_section_cell(out, "%s", money(a->earned, earned,
		    sizeof(earned)));
		ka_section_cell(out, "%s", money(a->accrual, accrual,
		    sizeof(accrual)));
		ka_section_cell(out, "%s", gap);
		ka_section_cell(out, "%s", extra);
	}
}

int
ka_report_rebates(const struct ka_report_inputs *in,
    struct ka_report_section *out, char *error, size_t size)
{
	const struct words *w = in->lang == KA_LANG_ZH ? &chinese : &english;
	struct ka_rebate_config config;
	struct ka_rebate_report report;
	ka_rebate *engine;
	ka_dec near;
	int rc;

	if ((rc = check_inputs(in, error, size)) < 0)
		return rc;
	/* --near is 0..1000 (ka-report checked): to 4 places, as a ka_dec. */
	near = (ka_dec)llround(in->near_pct * (double)KA_DEC_SCALE);
	ka_rebate_config_init(&config);
	config.as_of = in->as_of;
	config.decimal_comma = in->decimal_comma;
	config.date_format = in->date_format;
	config.null_string = in->null_string;
	engine = ka_rebate_new(&config);
	if ((rc = run_engine(in, engine, error, size)) < 0) {
		ka_rebate_free(engine);
		return rc;
	}
	if (ka_rebate_report(engine, near, &report) < 0) {
		snprintf(error, size, "%s: the rebate totals are out of range",
		    in->rebates);
		ka_rebate_free(engine);
		return -1;
	}
	ka_section_init(out, "rebates", w->title);
	summary_line(in, &report, out);
	if (report.naccruals > 0 && near_lines(in, &report, out) < 0) {
		snprintf(error, size, "%s: the rebate totals are out of range",
		    in->rebates);
		ka_section_free(out);
		ka_rebate_report_free(&report);
		ka_rebate_free(engine);
		return -1;
	}
	check_line(in, &report, out);
	table(in, &report, out);
	ka_rebate_report_free(&report);
	ka_rebate_free(engine);
	return 0;
}
