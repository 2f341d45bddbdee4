/*
 * Unit tests of the promotion engine (common/ka_promo.c): rounding of
 * a x b / c, the slot of a day around a window, flag names, --by lists,
 * and the engine end to end through ka_promo_report() and
 * ka_promo_section(), the functions ka-report calls, on small files
 * written here.  Every expected value is worked out in the comment
 * above it; a ka_dec is the number times 10000.
 */
#define _XOPEN_SOURCE 700	/* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_promo.h"

#define D(units)	((ka_dec)(units) * KA_DEC_SCALE)

static char folder[] = "/tmp/test_promo.XXXXXX";

static ka_date
day(const char *text)
{
	ka_date d = 0;

	if (ka_date_parse(text, strlen(text), &d) < 0)
		printf("  bad test date %s\n", text);
	return d;
}

static const char *
path(const char *name)
{
	static char buf[4][256];
	static int next;

	next = (next + 1) % 4;
	snprintf(buf[next], sizeof(buf[next]), "%s/%s", folder, name);
	return buf[next];
}

static void
write_file(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		printf("  cannot write %s\n", path(name));
}

static void
test_muldiv(void)
{
	ka_dec out = 0;

	/* 800 units x 14 / 56 = 200. */
	CHECK_INT(ka_promo_muldiv(D(800), 14, 56, &out), 0);
	CHECK_INT(out, D(200));
	/* 1 x 1 / 3 = 0.33333.. -> 0.3333 (4 places). */
	CHECK_INT(ka_promo_muldiv(D(1), 1, 3, &out), 0);
	CHECK_INT(out, 3333);
	/* 2 / 3 = 0.66666.. -> 0.6667; -2 / 3 -> -0.6667 (away from 0). */
	CHECK_INT(ka_promo_muldiv(D(2), 1, 3, &out), 0);
	CHECK_INT(out, 6667);
	CHECK_INT(ka_promo_muldiv(D(-2), 1, 3, &out), 0);
	CHECK_INT(out, -6667);
	/* Half a unit of the 4th place rounds away from zero: 0.00005. */
	CHECK_INT(ka_promo_muldiv(1, 1, 2, &out), 0);
	CHECK_INT(out, 1);
	CHECK_INT(ka_promo_muldiv(-1, 1, 2, &out), 0);
	CHECK_INT(out, -1);
	/* A ratio of two ka_dec: 3 x (720 / 2400) = 0.9. */
	CHECK_INT(ka_promo_muldiv(D(3), D(720), D(2400), &out), 0);
	CHECK_INT(out, 9000);
	/* The product needs 128 bits: 900 trillion x 9 / 9. */
	CHECK_INT(ka_promo_muldiv(INT64_C(9000000000000000000), 9, 9, &out),
	    0);
	CHECK_INT(out, INT64_C(9000000000000000000));
	/* Division by zero and overflow are refused, out untouched. */
	out = 42;
	CHECK_INT(ka_promo_muldiv(D(1), 1, 0, &out), -1);
	CHECK_INT(ka_promo_muldiv(INT64_MAX, 2, 1, &out), -1);
	CHECK_INT(out, 42);
}

static void
test_block(void)
{
	ka_date start = day("2026-03-02"), end = day("2026-03-15");

	/* 3 pre blocks back from 03-01, 14 window days, 2 post blocks. */
	CHECK_INT(ka_promo_block(day("2026-03-01"), start, end, 3, 2), 0);
	CHECK_INT(ka_promo_block(day("2026-02-23"), start, end, 3, 2), 0);
	CHECK_INT(ka_promo_block(day("2026-02-22"), start, end, 3, 2), 1);
	CHECK_INT(ka_promo_block(day("2026-02-09"), start, end, 3, 2), 2);
	CHECK_INT(ka_promo_block(day("2026-02-08"), start, end, 3, 2), -1);
	CHECK_INT(ka_promo_block(day("2026-03-02"), start, end, 3, 2), 3);
	CHECK_INT(ka_promo_block(day("2026-03-15"), start, end, 3, 2), 16);
	CHECK_INT(ka_promo_block(day("2026-03-16"), start, end, 3, 2), 17);
	CHECK_INT(ka_promo_block(day("2026-03-22"), start, end, 3, 2), 17);
	CHECK_INT(ka_promo_block(day("2026-03-29"), start, end, 3, 2), 18);
	CHECK_INT(ka_promo_block(day("2026-03-30"), start, end, 3, 2), -1);
	/* No blocks kept: only the window. */
	CHECK_INT(ka_promo_block(day("2026-03-01"), start, end, 0, 0), -1);
	CHECK_INT(ka_promo_block(day("2026-03-16"), start, end, 0, 0), -1);
	CHECK_INT(ka_promo_block(day("2026-03-05"), start, end, 0, 0), 3);
}

static void
test_names(void)
{
	char buf[256];
	unsigned by = 0;
	char error[256];

	CHECK_INT(ka_promo_parse_baseline("pre"), KA_PROMO_PRE);
	CHECK_INT(ka_promo_parse_baseline("yoy"), KA_PROMO_YOY);
	CHECK_INT(ka_promo_parse_baseline("control"), KA_PROMO_CONTROL);
	CHECK_INT(ka_promo_parse_baseline("Pre"), -1);
	CHECK_STR(ka_promo_baseline_name(KA_PROMO_CONTROL), "control");
	CHECK_STR(ka_promo_flags_text(0, buf, sizeof(buf)), "");
	/* Always in the documented order, whatever the bits. */
	CHECK_STR(ka_promo_flags_text(KA_PROMO_YOY_PROMOTED |
	    KA_PROMO_TOO_SHORT_BASELINE | KA_PROMO_NEGATIVE_ROI, buf,
	    sizeof(buf)), "too-short-baseline;negative-roi;yoy-promoted");
	/* Cut at a whole flag when the buffer is short. */
	CHECK_STR(ka_promo_flags_text(KA_PROMO_TOO_SHORT_BASELINE |
	    KA_PROMO_NO_BASELINE, buf, 24), "too-short-baseline");
	CHECK_INT(ka_promo_flag_from_name("dip-exceeds-lift", 16),
	    KA_PROMO_DIP_EXCEEDS_LIFT);
	CHECK_INT(ka_promo_flag_from_name("dip-exceeds-lifts", 17), 0);
	CHECK_INT(ka_promo_flag_from_name("overlap;x", 7), KA_PROMO_OVERLAP);
	CHECK_INT(ka_promo_parse_by("customer,mechanic", &by, error,
	    sizeof(error)), 0);
	CHECK_INT(by, KA_PROMO_BY_CUSTOMER | KA_PROMO_BY_MECHANIC);
	CHECK_INT(ka_promo_parse_by(" tier , scope", &by, error,
	    sizeof(error)), 0);
	CHECK_INT(by, KA_PROMO_BY_TIER | KA_PROMO_BY_SCOPE);
	CHECK_INT(ka_promo_parse_by("customer,region", &by, error,
	    sizeof(error)), -1);
	CHECK_STR(error, "bad --by \"customer,region\": expected a list of "
	    "customer, mechanic, scope, tier");
	CHECK_INT(ka_promo_parse_by("", &by, error, sizeof(error)), -1);
}

/*
 * A year of Mondays for C1 and C2, sku A1 (Food) at 2.00, cost 1.50:
 * 100 units, but
 *   C1: 150 in P1's window 2026-03-02..03-15, 75 and 75 after it;
 *   C2: 120 in P2's window 2026-04-06..04-12 (one Monday).
 * P1 (cost 25): baseline 8 weeks of 100 -> 200 expected, 300 actual:
 *   lift 100 units, 200.00 revenue, margin 50.00; the dip over 2 weeks
 *   is 200 - 150 = 50 units, 100.00, margin 25.00: net 50, 100.00,
 *   25.00; roi 2.00, net_roi 1.00.
 * P2 (cost 40): 8 weeks back from 04-06 meet P1's window?  No: P1 is
 *   C1's.  100 expected, 120 actual: lift 20, 40.00, margin 10.00, no
 *   dip: net 20; roi 0.25.
 * P3 (C2, 2026-12-07..12-13) ends after the data and after the period.
 */
static void
write_world(void)
{
	char line[160];
	FILE *f;
	ka_date d, first = day("2026-01-05"), last = day("2026-06-01");

	f = fopen(path("sales.csv"), "w");
	if (f == NULL)
		return;
	fputs("date,customer_id,customer,sku,category,qty,amount,cost\n", f);
	for (d = first; d <= last; d += 7) {
		char when[KA_DATE_BUFSIZE];
		int c1 = 100, c2 = 100;

		ka_date_format(d, when);
		if (d >= day("2026-03-02") && d <= day("2026-03-15"))
			c1 = 150;
		else if (d >= day("2026-03-16") && d <= day("2026-03-29"))
			c1 = 75;
		if (d == day("2026-04-06"))
			c2 = 120;
		snprintf(line, sizeof(line), "%s,C1,Alpha,A1,Food,%d,%d.00,"
		    "%d.%02d\n", when, c1, 2 * c1, c1 * 3 / 2, c1 * 3 % 2 * 50);
		fputs(line, f);
		snprintf(line, sizeof(line), "%s,C2,Beta,A1,Food,%d,%d.00,"
		    "%d.%02d\n", when, c2, 2 * c2, c2 * 3 / 2, c2 * 3 % 2 * 50);
		fputs(line, f);
	}
	fclose(f);
	write_file("promos.csv", "promo_id,customer_id,scope,start,end,"
	    "mechanic,cost\n"
	    "P1,C1,sku:A1,2026-03-02,2026-03-15,display,25\n"
	    "P2,C2,category:Food,2026-04-06,2026-04-12,discount,40\n"
	    "P3,C2,all,2026-12-07,2026-12-13,rebate,10\n");
	write_file("accounts.csv", "customer_id,customer,tier\n"
	    "C1,Alpha Ltd,A\nC2,Beta Inc,B\n");
}

static void
test_report(void)
{
	struct ka_promo_config config;
	struct ka_promo_section s;
	struct ka_reader_options read;
	struct ka_roles roles;
	const char *sales[1];
	char sales_path[256];
	ka_promo *engine = NULL;
	ka_period period;
	char error[1024] = "";
	int status;

	write_world();
	/* path() reuses its buffers: keep a copy. */
	snprintf(sales_path, sizeof(sales_path), "%s", path("sales.csv"));
	ka_promo_config_init(&config);
	config.post_weeks = 2;
	memset(&read, 0, sizeof(read));
	ka_roles_init(&roles);
	sales[0] = sales_path;
	CHECK_INT(ka_period_parse("2026-Q1", KA_DATE_NONE, &period, error,
	    sizeof(error)), 0);
	/* The first quarter: P1 ended in it; P2 and P3 did not, and P3's
	   window after the data is no error, being out of the period. */
	status = ka_promo_report(&config, path("promos.csv"),
	    path("accounts.csv"), sales, 1, &read, &roles, &period, &engine,
	    &s, error, sizeof(error));
	CHECK_INT(status, 0);
	if (status != 0) {
		printf("  %s\n", error);
		return;
	}
	CHECK_INT(s.nrows, 1);
	CHECK_INT(s.promotions, 1);
	CHECK_INT(s.measured, 1);
	CHECK_INT(s.lift_revenue, D(200));
	CHECK_INT(s.net_revenue, D(100));
	CHECK_INT(s.has_margin, 1);
	CHECK_INT(s.net_margin, D(25));
	CHECK_INT(s.cost, D(25));
	CHECK_INT(s.has_roi, 1);
	CHECK_INT(s.roi, D(2));
	CHECK_INT(s.has_net_roi, 1);
	CHECK_INT(s.net_roi, D(1));
	CHECK_INT(s.negative_roi, 0);
	CHECK_INT(s.dip_exceeds_lift, 0);
	if (s.nrows == 1) {
		const struct ka_promo_row *r = s.rows[0];

		CHECK_STR(r->promo_id, "P1");
		CHECK_STR(r->customer_id, "C1");
		/* The accounts file's name wins over the sales'. */
		CHECK_STR(r->customer, "Alpha Ltd");
		CHECK_STR(r->tier, "A");
		CHECK_INT(r->baseline_weeks, 8);
		CHECK_INT(r->baseline_qty, D(200));
		CHECK_INT(r->lift_qty, D(100));
		CHECK_INT(r->lift_qty_pct, D(50));
		CHECK_INT(r->dip_qty, D(50));
		CHECK_INT(r->net_qty, D(50));
		CHECK_INT(r->dip_margin, D(25));
		CHECK_INT(r->flags, 0);
		CHECK_STR(r->baseline_method, "pre: mean of 8 weeks "
		    "2026-01-05..2026-03-01 x 14/7");
	}
	free(s.rows);
	ka_promo_free(engine);

	/* Up to April, through the section of the engine's rows. */
	CHECK_INT(ka_period_parse("2026-01-01..2026-04-30", KA_DATE_NONE,
	    &period, error, sizeof(error)), 0);
	status = ka_promo_report(&config, path("promos.csv"), NULL, sales, 1,
	    &read, &roles, &period, &engine, &s, error, sizeof(error));
	CHECK_INT(status, 0);
	if (status != 0)
		return;
	CHECK_INT(s.nrows, 2);
	/* lift 200 + 40; net 100 + 40 (P2 has no dip: flat after). */
	CHECK_INT(s.lift_revenue, D(240));
	CHECK_INT(s.net_revenue, D(140));
	/* pooled roi: (50 + 10) / (25 + 40) = 0.923 -> 0.92; net (25 + 10)
	   / 65 = 0.538 -> 0.54. */
	CHECK_INT(s.roi, 9200);
	CHECK_INT(s.net_roi, 5400);
	if (s.nrows == 2) {
		CHECK_STR(s.rows[1]->promo_id, "P2");
		CHECK_STR(s.rows[1]->customer, "Beta");
		CHECK_INT(s.rows[1]->roi, 2500);
	}
	free(s.rows);

	/* The same engine, a narrower section: nothing ended in May. */
	CHECK_INT(ka_period_parse("2026-05", KA_DATE_NONE, &period, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_promo_section(engine, &period, &s), 0);
	CHECK_INT(s.nrows, 0);
	CHECK_INT(s.has_roi, 0);
	CHECK_INT(s.has_margin, 0);
	free(s.rows);
	ka_promo_free(engine);

	/* Without a period bound P3 is evaluated, and is outside. */
	CHECK_INT(ka_period_parse("2026", KA_DATE_NONE, &period, error,
	    sizeof(error)), 0);
	status = ka_promo_report(&config, path("promos.csv"), NULL, sales, 1,
	    &read, &roles, &period, &engine, &s, error, sizeof(error));
	CHECK_INT(status, KA_EXIT_DATA);
	CHECK(strstr(error, "promos.csv:4: column 4 (start): window "
	    "2026-12-07..2026-12-13 starts after the data, which end on "
	    "2026-06-01") != NULL);
	CHECK(engine == NULL);
}

static void
test_history(void)
{
	struct ka_promo_config config;
	struct ka_reader_options read;
	struct ka_roles roles;
	const char *sales[1];
	char sales_path[256];
	struct ka_promo_section s;
	struct ka_promo_group *groups;
	ka_promo *engine = NULL;
	ka_period period;
	char error[1024] = "";
	size_t count = 0;

	write_world();
	snprintf(sales_path, sizeof(sales_path), "%s", path("sales.csv"));
	ka_promo_config_init(&config);
	config.post_weeks = 2;
	config.history = 1;
	memset(&read, 0, sizeof(read));
	ka_roles_init(&roles);
	sales[0] = sales_path;
	ka_period_parse("2026-01-01..2026-06-30", KA_DATE_NONE, &period,
	    error, sizeof(error));
	if (ka_promo_report(&config, path("promos.csv"), NULL, sales, 1,
	    &read, &roles, &period, &engine, &s, error, sizeof(error)) != 0) {
		printf("  %s\n", error);
		CHECK(0);
		return;
	}
	free(s.rows);
	/* By mechanic: discount (P2, roi 0.25) after display (P1, 2.00). */
	groups = ka_promo_history(engine, KA_PROMO_BY_MECHANIC, &count);
	CHECK_INT(count, 2);
	if (count == 2) {
		CHECK_STR(groups[0].mechanic, "display");
		CHECK_INT(groups[0].roi, D(2));
		CHECK_INT(groups[0].worked, 1);
		CHECK_STR(groups[1].mechanic, "discount");
		CHECK_INT(groups[1].roi, 2500);
		CHECK_INT(groups[1].mean_lift_qty_pct, D(20));
		CHECK_STR(groups[0].peak_weeks, "");
	}
	free(groups);
	/* By customer: C1's peak weeks are the window's, weeks 10 and 11
	   (300.00 each), then the first of the 200.00 weeks, week 2. */
	groups = ka_promo_history(engine, KA_PROMO_BY_CUSTOMER, &count);
	CHECK_INT(count, 2);
	if (count == 2) {
		CHECK_STR(groups[0].customer_id, "C1");
		CHECK_STR(groups[0].peak_weeks, "10;11;2");
		CHECK_STR(groups[1].peak_weeks, "15;2;3");
	}
	free(groups);
	ka_promo_free(engine);
}

/* Runs the engine over sales.csv in one pass, or in pieces (jobs). */
static ka_promo *
run_engine(enum ka_promo_baseline baseline, int history, int jobs,
    int *in_pieces)
{
	struct ka_promo_config config;
	struct ka_reader_options read;
	struct ka_roles roles;
	const char *files[1];
	char name[256], error[1024];
	enum ka_read_status status;
	enum ka_role missing;
	ka_reader *reader;
	ka_record rec;
	ka_promo *p;

	ka_promo_config_init(&config);
	config.baseline = baseline;
	config.history = history;
	memset(&read, 0, sizeof(read));
	ka_roles_init(&roles);
	snprintf(name, sizeof(name), "%s", path("big.csv"));
	files[0] = name;
	p = ka_promo_new(&config);
	if (ka_promo_load(p, path("big-promos.csv"), &read, error,
	    sizeof(error)) != 0 ||
	    (reader = ka_reader_open(files, 1, &read)) == NULL) {
		printf("  %s\n", error);
		ka_promo_free(p);
		return NULL;
	}
	ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    sizeof(error));
	if (ka_promo_bind(p, ka_reader_header(reader), &roles, &missing) < 0)
		printf("  no %s column\n", ka_role_name(missing));
	*in_pieces = jobs > 1 && ka_promo_add_file(p, name, &read,
	    ka_reader_delimiter(reader), jobs);
	if (!*in_pieces)
		while (ka_reader_next(reader, &rec, &status) > 0)
			ka_promo_add(p, &rec);
	ka_reader_close(reader);
	if (ka_promo_finish(p, error, sizeof(error)) != 0)
		printf("  %s\n", error);
	return p;
}

/*
 * A 7 MB file read in 3 pieces at once gives every figure of one pass:
 * 24 accounts buying 8 skus every day of 2025 and 2026, 30 promotions.
 * The unit test sees that the pieces were really used (the golden case
 * ka-promo/jobs compares the program's output both ways).
 */
static void
test_pieces(void)
{
	FILE *f = fopen(path("big.csv"), "w");
	ka_date d;
	int c, k, i, pieces = 0, one = 0;
	enum ka_promo_baseline b;

	if (f == NULL)
		return;
	fputs("date,customer_id,customer,sku,category,qty,amount,cost\n", f);
	for (d = day("2025-01-01"); d <= day("2026-12-31"); d++)
		for (c = 1; c <= 24; c++)
			for (k = 1; k <= 8; k++) {
				char when[KA_DATE_BUFSIZE];
				int q = 1 + (c * 7 + k * 13 + d * 3) % 40;

				ka_date_format(d, when);
				fprintf(f, "%s,C%d,Shop %d,S%d,%s,%d,%d.%02d,"
				    "%d.%02d\n", when, c, c, k, k <= 4 ?
				    "Food" : "Drink", q, q * (100 + k * 7) / 100,
				    q * (100 + k * 7) % 100, q * 80 / 100,
				    q * 80 % 100);
			}
	fclose(f);
	f = fopen(path("big-promos.csv"), "w");
	if (f == NULL)
		return;
	fputs("promo_id,customer_id,scope,start,end,mechanic,cost\n", f);
	for (i = 1; i <= 30; i++)
		fprintf(f, "P%d,C%d,%s,2026-%02d-%02d,2026-%02d-%02d,m%d,%d\n",
		    i, 1 + i % 16, i % 3 == 0 ? "category:Food" : i % 3 == 1 ?
		    "sku:S2" : "all", 2 + i % 9, 1 + i % 20, 2 + i % 9,
		    8 + i % 20, i % 4, 50 + i);
	fclose(f);
	for (b = KA_PROMO_PRE; b <= KA_PROMO_YOY; b++) {
		ka_promo *x = run_engine(b, 1, 1, &one);
		ka_promo *y = run_engine(b, 1, 3, &pieces);
		const struct ka_promo_row *rx, *ry;
		struct ka_promo_group *gx, *gy;
		size_t nx = 0, ny = 0, j;

		CHECK_INT(one, 0);
		CHECK_INT(pieces, 1);
		if (x == NULL || y == NULL)
			return;
		rx = ka_promo_rows(x, &nx);
		ry = ka_promo_rows(y, &ny);
		CHECK_INT(nx, 30);
		CHECK_INT(ny, nx);
		for (j = 0; j < nx && j < ny; j++) {
			CHECK_STR(ry[j].promo_id, rx[j].promo_id);
			CHECK_STR(ry[j].customer, rx[j].customer);
			CHECK_INT(ry[j].baseline_weeks, rx[j].baseline_weeks);
			CHECK_INT(ry[j].actual_qty, rx[j].actual_qty);
			CHECK_INT(ry[j].baseline_revenue,
			    rx[j].baseline_revenue);
			CHECK_INT(ry[j].incremental_margin,
			    rx[j].incremental_margin);
			CHECK_INT(ry[j].dip_revenue, rx[j].dip_revenue);
			CHECK_INT(ry[j].roi, rx[j].roi);
			CHECK_INT(ry[j].flags, rx[j].flags);
			CHECK_STR(ry[j].baseline_method,
			    rx[j].baseline_method);
		}
		gx = ka_promo_history(x, KA_PROMO_BY_CUSTOMER, &nx);
		gy = ka_promo_history(y, KA_PROMO_BY_CUSTOMER, &ny);
		CHECK_INT(ny, nx);
		for (j = 0; j < nx && j < ny; j++)
			CHECK_STR(gy[j].peak_weeks, gx[j].peak_weeks);
		free(gx);
		free(gy);
		CHECK_INT(ka_promo_counts(y)->read, ka_promo_counts(x)->read);
		CHECK_INT(ka_promo_counts(y)->used, ka_promo_counts(x)->used);
		ka_promo_free(x);
		ka_promo_free(y);
	}
}

int
main(void)
{
	char command[300];

	ka_set_program("test_promo");
	if (mkdtemp(folder) == NULL) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	RUN(test_muldiv);
	RUN(test_block);
	RUN(test_names);
	RUN(test_report);
	RUN(test_history);
	RUN(test_pieces);
	snprintf(command, sizeof(command), "rm -rf '%s'", folder);
	if (system(command) != 0)
		printf("  could not remove %s\n", folder);
	return CHECK_EXIT();
}
