/*
 * Unit tests of the rebate engine (common/ka_rebate.c): tier parsing,
 * every method on hand-worked figures, rounding to the cent exactly
 * once, and one small run of the engine over files it writes itself.
 */
#define _DEFAULT_SOURCE	/* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_rebate.h"

#define D(units)	((ka_dec)(units) * KA_DEC_SCALE)
#define CENTS(c)	((ka_dec)(c) * (KA_DEC_SCALE / 100))

static struct ka_rebate_schedule
tiers(const char *text)
{
	struct ka_rebate_schedule s;
	char error[256];

	if (ka_rebate_parse_tiers(text, strlen(text), &s, error,
	    sizeof(error)) < 0) {
		printf("  tiers \"%s\": %s\n", text, error);
		memset(&s, 0, sizeof(s));
	}
	return s;
}

static struct ka_rebate_value
value(const char *text, enum ka_rebate_method method, ka_dec basis,
    ka_dec prior)
{
	struct ka_rebate_schedule s = tiers(text);
	struct ka_rebate_value v;

	memset(&v, 0, sizeof(v));
	CHECK_INT(ka_rebate_evaluate(&s, method, basis, prior, 0, 0, &v), 0);
	return v;
}

static void
parse_tiers_good(void)
{
	struct ka_rebate_schedule s = tiers(" 5000:2% , 20000:4.5% ");

	CHECK_INT(s.count, 2);
	CHECK_INT(s.kind, KA_REBATE_RATE_PERCENT);
	CHECK_INT(s.tier[0].threshold, D(5000));
	CHECK_INT(s.tier[0].rate, D(2));
	CHECK_INT(s.tier[1].rate, 45000);
	s = tiers("100:0.50/unit");
	CHECK_INT(s.kind, KA_REBATE_RATE_UNIT);
	CHECK_INT(s.tier[0].rate, 5000);
	s = tiers("50000:250,100000:600.50");
	CHECK_INT(s.kind, KA_REBATE_RATE_SUM);
	CHECK_INT(s.tier[1].rate, CENTS(60050));
	s = tiers("0:5%");
	CHECK_INT(s.count, 1);
}

static void
expect_error(const char *text, const char *want)
{
	struct ka_rebate_schedule s;
	char error[256] = "";

	CHECK_INT(ka_rebate_parse_tiers(text, strlen(text), &s, error,
	    sizeof(error)), -1);
	CHECK_STR(error, want);
}

static void
parse_tiers_bad(void)
{
	expect_error("5000:2%,5000:3%", "tier 2 \"5000:3%\": overlapping "
	    "tier thresholds: 5000 is not above 5000 (write tiers in "
	    "increasing order)");
	expect_error("20000:4%,5000:2%", "tier 2 \"5000:2%\": overlapping "
	    "tier thresholds: 5000 is not above 20000 (write tiers in "
	    "increasing order)");
	expect_error("2%", "tier 1 \"2%\": a rate without a threshold (write "
	    "THRESHOLD:RATE, like 5000:2%)");
	expect_error(":2%", "tier 1 \":2%\": a rate without a threshold");
	expect_error("5000:", "tier 1 \"5000:\": a threshold without a rate");
	expect_error("5000:2%,,9000:3%", "tier 2 \"\": empty (tiers are "
	    "THRESHOLD:RATE, separated by commas)");
	expect_error("", "no tiers (write them like 5000:2%,20000:4%)");
	expect_error("5000:2%,9000:1/unit", "tier 2 \"9000:1/unit\": mixes "
	    "per-unit with percent rates");
	expect_error("-5:2%", "tier 1 \"-5:2%\": threshold below zero");
	expect_error("5:120%", "tier 1 \"5:120%\": rate above 100%");
	expect_error("5:2.5x%", "tier 1 \"5:2.5x%\": rate \"2.5x%\": not a "
	    "number");
	expect_error("5:12.345", "tier 1 \"5:12.345\": a fixed sum in more "
	    "than whole cents");
}

/* The public worked examples. */
static void
worked_examples(void)
{
	struct ka_rebate_value v;

	v = value("5000:2%,20000:4%", KA_REBATE_RETRO, D(7000), 0);
	CHECK_INT(v.earned, D(140));
	CHECK_INT(v.tier, 1);
	CHECK_INT(v.next_threshold, D(20000));
	CHECK_INT(v.volume_needed, D(13000));
	CHECK_INT(v.extra_rebate, D(800 - 140));
	v = value("5000:2%,20000:4%", KA_REBATE_RETRO, D(27000), 0);
	CHECK_INT(v.earned, D(1080));
	CHECK_INT(v.has_next, 0);
	/* 5% of the first 100, 10% of 100..200: 5 + 10. */
	v = value("0:5%,100:10%,350:0%", KA_REBATE_MARGINAL, D(200), 0);
	CHECK_INT(v.earned, D(15));
	CHECK_INT(v.next_threshold, D(350));
	CHECK_INT(v.extra_rebate, D(15));
	/* Above the last band nothing more: 5 + 25. */
	v = value("0:5%,100:10%,350:0%", KA_REBATE_MARGINAL, D(1000), 0);
	CHECK_INT(v.earned, D(30));
}

static void
methods(void)
{
	struct ka_rebate_value v;

	/* Below the first threshold: nothing, and what it takes. */
	v = value("5000:2%,20000:4%", KA_REBATE_RETRO, D(4999), 0);
	CHECK_INT(v.earned, 0);
	CHECK_INT(v.tier, 0);
	CHECK_INT(v.volume_needed, D(1));
	CHECK_INT(v.extra_rebate, D(100));
	/* Exactly at a threshold reaches it. */
	v = value("5000:2%,20000:4%", KA_REBATE_RETRO, D(5000), 0);
	CHECK_INT(v.earned, D(100));
	/* Returns below zero never make a rebate negative. */
	v = value("0:5%", KA_REBATE_MARGINAL, D(-300), 0);
	CHECK_INT(v.earned, 0);
	/* Per unit: every unit once 100 are reached; 340 x 0.50. */
	v = value("100:0.50/unit", KA_REBATE_PER_UNIT, D(340), 0);
	CHECK_INT(v.earned, D(170));
	v = value("100:0.50/unit", KA_REBATE_MARGINAL, D(340), 0);
	CHECK_INT(v.earned, D(120));
	/* Growth: 3% of 12000 - 8000; never negative; no prior year. */
	v = value("0:3%", KA_REBATE_GROWTH, D(12000), D(8000));
	CHECK_INT(v.level, D(4000));
	CHECK_INT(v.earned, D(120));
	v = value("0:3%", KA_REBATE_GROWTH, D(5000), D(8000));
	CHECK_INT(v.earned, 0);
	v = value("1000:3%,5000:5%", KA_REBATE_GROWTH, D(6000), 0);
	CHECK_INT(v.earned, D(300));
	/* Fixed: the sum of the tier reached, not a sum of sums. */
	v = value("10000:250,50000:600", KA_REBATE_FIXED, D(60000), 0);
	CHECK_INT(v.earned, D(600));
	v = value("10000:250,50000:600", KA_REBATE_FIXED, D(20000), 0);
	CHECK_INT(v.earned, D(250));
	CHECK_INT(v.extra_rebate, D(350));
}

static void
cap(void)
{
	struct ka_rebate_schedule s = tiers("5000:2%,20000:4%");
	struct ka_rebate_value v;

	CHECK_INT(ka_rebate_evaluate(&s, KA_REBATE_RETRO, D(27000), 0, 1,
	    D(1000), &v), 0);
	CHECK_INT(v.rebate, D(1080));
	CHECK_INT(v.earned, D(1000));
	CHECK_INT(v.capped, 1);
	/* Reaching the next tier adds only up to the cap. */
	CHECK_INT(ka_rebate_evaluate(&s, KA_REBATE_RETRO, D(19000), 0, 1,
	    D(500), &v), 0);
	CHECK_INT(v.earned, D(380));
	CHECK_INT(v.extra_rebate, D(120));
}

/*
 * Rounded once, half away from zero: 0.2475 at 2% is exactly 0.00495,
 * which is 0.00; rounding first to 4 places (0.0050) and then to the
 * cent would give 0.01.  0.25 at 2% is exactly 0.005, which is 0.01.
 */
static void
rounding(void)
{
	struct ka_rebate_value v;

	v = value("0:2%", KA_REBATE_RETRO, 2475, 0);
	CHECK_INT(v.earned, 0);
	v = value("0:2%", KA_REBATE_RETRO, 2500, 0);
	CHECK_INT(v.earned, CENTS(1));
	/* 1234.5678 at 2.5% = 30.864195 -> 30.86. */
	v = value("0:2.5%", KA_REBATE_RETRO, 12345678, 0);
	CHECK_INT(v.earned, CENTS(3086));
	/* 3 units at 0.0050/unit = 0.015 -> 0.02. */
	v = value("0:0.005/unit", KA_REBATE_PER_UNIT, D(3), 0);
	CHECK_INT(v.earned, CENTS(2));
	/*
	 * Marginal bands summed exactly before rounding: 0.00495 + 0.00495
	 * is 0.0099, 0.01; rounding each band first would give 0.00.
	 */
	v = value("0:2%,0.2475:2%", KA_REBATE_MARGINAL, 4950, 0);
	CHECK_INT(v.earned, CENTS(1));
	v = value("0:2%,0.2475:2%", KA_REBATE_MARGINAL, 2475, 0);
	CHECK_INT(v.earned, CENTS(0));
	v = value("0:2%,0.2475:2%", KA_REBATE_MARGINAL, 7500, 0);
	CHECK_INT(v.earned, CENTS(2));	/* 0.015 */
}

static void
names(void)
{
	char buf[KA_DEC_BUFSIZE + 8];

	CHECK_INT(ka_rebate_method_from_name("Retro", 5), KA_REBATE_RETRO);
	CHECK_INT(ka_rebate_method_from_name("incremental", 11),
	    KA_REBATE_MARGINAL);
	CHECK_INT(ka_rebate_method_from_name("per-unit", 8),
	    KA_REBATE_PER_UNIT);
	CHECK_INT(ka_rebate_method_from_name("bonus", 5), -1);
	CHECK_STR(ka_rebate_method_name(KA_REBATE_GROWTH), "growth");
	CHECK_STR(ka_rebate_rate_text(KA_REBATE_RATE_PERCENT, 25000, buf),
	    "2.5%");
	CHECK_STR(ka_rebate_rate_text(KA_REBATE_RATE_UNIT, 5000, buf),
	    "0.50/unit");
	CHECK_STR(ka_rebate_rate_text(KA_REBATE_RATE_UNIT, 125, buf),
	    "0.0125/unit");
	CHECK_STR(ka_rebate_rate_text(KA_REBATE_RATE_SUM, D(250), buf),
	    "250.00");
	CHECK(ka_rebate_method_fits(KA_REBATE_RETRO, KA_REBATE_RATE_PERCENT));
	CHECK(!ka_rebate_method_fits(KA_REBATE_RETRO, KA_REBATE_RATE_UNIT));
	CHECK(ka_rebate_method_fits(KA_REBATE_MARGINAL, KA_REBATE_RATE_UNIT));
	CHECK(!ka_rebate_method_fits(KA_REBATE_FIXED,
	    KA_REBATE_RATE_PERCENT));
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

/* The whole engine: a retro agreement settled quarterly, a report. */
static void
engine(void)
{
	char dir[] = "/tmp/test_rebate.XXXXXX", agreements[64], sales[64];
	char error[1024];
	const char *files[1];
	struct ka_reader_options read;
	struct ka_rebate_config config;
	struct ka_rebate_report report;
	struct ka_rebate_settlement *lines;
	const struct ka_rebate_accrual *rows;
	struct ka_roles roles;
	enum ka_read_status status;
	enum ka_role missing;
	ka_rebate *e;
	ka_reader *reader;
	ka_record rec;
	ka_period period = { KA_PERIOD_YEAR, 0, 0 };
	size_t count;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(agreements, sizeof(agreements), "%s/a.csv", dir);
	snprintf(sales, sizeof(sales), "%s/s.csv", dir);
	write_file(agreements, "agreement_id,customer_id,valid_from,"
	    "valid_to,method,tiers,settlement\n"
	    "R1,C1,2026-01-01,2026-12-31,retro,\"5000:2%,20000:4%\","
	    "quarterly\n"
	    "G1,C2,2026-01-01,2026-12-31,growth,0:10%,annual\n");
	write_file(sales, "date,customer_id,amount\n"
	    "2026-02-10,C1,7000\n"
	    "2026-10-05,C1,20000\n"
	    "2025-05-01,C2,100\n"
	    "2026-05-01,C2,300\n"
	    "2026-06-01,C3,999\n");
	ka_rebate_config_init(&config);
	config.as_of = ka_date_from_ymd(2026, 12, 31);
	e = ka_rebate_new(&config);
	CHECK_INT(ka_rebate_load_agreements(e, agreements, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_rebate_agreement_count(e), 2);
	ka_rebate_add_account(e, "C1", "Alpha", "A");
	CHECK_INT(ka_rebate_prepare(e, error, sizeof(error)), 0);
	memset(&read, 0, sizeof(read));
	files[0] = sales;
	reader = ka_reader_open(files, 1, &read);
	CHECK(reader != NULL);
	if (reader == NULL)
		return;
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    sizeof(error)), 0);
	CHECK_INT(ka_rebate_bind(e, ka_reader_header(reader), &roles,
	    &missing, error, sizeof(error)), 0);
	while (ka_reader_next(reader, &rec, &status) > 0)
		ka_rebate_add(e, &rec);
	ka_reader_close(reader);
	CHECK_INT(ka_rebate_finish(e, error, sizeof(error)), 0);
	CHECK_INT(ka_rebate_counts(e)->used, 4);
	CHECK_INT(ka_rebate_counts(e)->unused, 1);

	rows = ka_rebate_accruals(e, &count);
	CHECK_INT(count, 2);
	CHECK_STR(rows[0].customer, "Alpha");
	CHECK_INT(rows[0].earned, D(1080));
	CHECK_INT(rows[1].prior, D(100));
	CHECK_INT(rows[1].earned, D(20));	/* 10% of 300 - 100 */

	CHECK_INT(ka_period_parse("2026", 0, &period, NULL, 0), 0);
	lines = ka_rebate_settlements(e, &period, &count);
	CHECK_INT(count, 5);
	if (count == 5) {
		CHECK_INT(lines[0].amount, D(140));
		CHECK_INT(lines[1].amount, 0);
		CHECK_INT(lines[3].final, 1);
		CHECK_INT(lines[3].settled_before, D(140));
		CHECK_INT(lines[3].amount, D(940));
	}
	free(lines);

	/* Only C1 is a key account; no tier is near at 27000. */
	CHECK_INT(ka_rebate_report(e, D(10), &report), 0);
	CHECK_INT(report.instances, 2);
	CHECK_INT(report.naccruals, 1);
	CHECK_INT(report.earned, D(1080));
	CHECK_INT(report.nnear, 0);
	ka_rebate_report_free(&report);
	ka_rebate_free(e);
	unlink(agreements);
	unlink(sales);
	rmdir(dir);
}

int
main(void)
{
	RUN(parse_tiers_good);
	RUN(parse_tiers_bad);
	RUN(worked_examples);
	RUN(methods);
	RUN(cap);
	RUN(rounding);
	RUN(names);
	RUN(engine);
	return CHECK_EXIT();
}
