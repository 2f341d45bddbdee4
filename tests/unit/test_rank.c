/*
 * Unit tests of the ranking engine's internals (common/ka_rank.c):
 * median gaps, HHI and its bands, Gini, mid-rank percentiles, ABC tiers
 * at the exact cut-offs, rounding of percentages, shard order, and one
 * small engine run end to end.  Every expected value is worked out by
 * hand in the comment above it; a ka_dec is the number times 10000.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_rank.h"

#define D(units)	((ka_dec)(units) * KA_DEC_SCALE)

static ka_date
day(const char *text)
{
	ka_date d = 0;

	if (ka_date_parse(text, strlen(text), &d) < 0)
		printf("  bad test date %s\n", text);
	return d;
}

static void
test_median_gap(void)
{
	ka_date days[6];
	ka_dec median = -1;

	/* One day: no gap at all. */
	days[0] = day("2026-01-01");
	CHECK_INT(ka_rank_median_gap(days, 1, &median), 0);
	CHECK_INT(median, -1);
	/* Two days five apart: one gap, 5. */
	days[1] = day("2026-01-06");
	CHECK_INT(ka_rank_median_gap(days, 2, &median), 1);
	CHECK_INT(median, D(5));
	/* 1st, 6th, 8th, 18th: gaps 5, 2, 10 -> sorted 2, 5, 10 -> 5. */
	days[2] = day("2026-01-08");
	days[3] = day("2026-01-18");
	CHECK_INT(ka_rank_median_gap(days, 4, &median), 1);
	CHECK_INT(median, D(5));
	/* ... and the 21st: gaps 5, 2, 10, 3 -> 2, 3, 5, 10 -> (3+5)/2 = 4. */
	days[4] = day("2026-01-21");
	CHECK_INT(ka_rank_median_gap(days, 5, &median), 1);
	CHECK_INT(median, D(4));
	/* ... and the 22nd: gaps 5, 2, 10, 3, 1 -> median 3. */
	days[5] = day("2026-01-22");
	CHECK_INT(ka_rank_median_gap(days, 6, &median), 1);
	CHECK_INT(median, D(3));
	/* Gaps 1 and 2: the mean of the middle two, 1.5, is kept exact. */
	days[0] = day("2026-03-01");
	days[1] = day("2026-03-02");
	days[2] = day("2026-03-04");
	CHECK_INT(ka_rank_median_gap(days, 3, &median), 1);
	CHECK_INT(median, 15000);
	/* Across a leap day: 2024-02-28 to 2024-03-01 is 2 days. */
	days[0] = day("2024-02-28");
	days[1] = day("2024-03-01");
	CHECK_INT(ka_rank_median_gap(days, 2, &median), 1);
	CHECK_INT(median, D(2));
}

static void
test_hhi(void)
{
	ka_dec v[5];

	/* One firm: 100% -> 100^2 = 10000. */
	v[0] = D(7);
	CHECK_INT(ka_rank_hhi(v, 1), D(10000));
	/* 50/30/20: 2500 + 900 + 400 = 3800. */
	v[0] = D(50);
	v[1] = D(30);
	v[2] = D(20);
	CHECK_INT(ka_rank_hhi(v, 3), D(3800));
	/* Four equal: 4 x 25^2 = 2500, exactly the moderate/high line. */
	v[0] = v[1] = v[2] = v[3] = D(1);
	CHECK_INT(ka_rank_hhi(v, 4), D(2500));
	CHECK_STR(ka_rank_hhi_band(ka_rank_hhi(v, 4)), "moderate");
	/* Bands at the lines: 1500 is moderate, just below is not, just
	   above 2500 is high. */
	CHECK_STR(ka_rank_hhi_band(D(1500)), "moderate");
	CHECK_STR(ka_rank_hhi_band(D(1500) - 100), "unconcentrated");
	CHECK_STR(ka_rank_hhi_band(D(2500) + 100), "high");
	/* Thirds: 3 x 33.33..^2 = 3333.33.. -> 3333.33 (2 decimals). */
	v[0] = v[1] = v[2] = D(1);
	CHECK_INT(ka_rank_hhi(v, 3), 33333300);
	/* Values at or below zero do not count: 60, 40, -10, 0 -> the
	   shares of 60 and 40 in 100: 3600 + 1600 = 5200. */
	v[0] = D(60);
	v[1] = D(40);
	v[2] = D(-10);
	v[3] = 0;
	CHECK_INT(ka_rank_hhi(v, 4), D(5200));
	/* Nothing above zero: 0. */
	v[0] = D(-1);
	CHECK_INT(ka_rank_hhi(v, 1), 0);
	/* A total beyond 2^53 units takes the long double path:
	   two equal halves of 10^14 -> 5000. */
	v[0] = v[1] = INT64_C(1000000000000000000);
	CHECK_INT(ka_rank_hhi(v, 2), D(5000));
}

static void
test_gini(void)
{
	ka_dec v[4];

	/* Everyone equal: 0. */
	v[0] = v[1] = v[2] = D(5);
	CHECK_INT(ka_rank_gini(v, 3), 0);
	/* 0-free case 1, 3: sorted 1, 3; sum i x_i = 1 + 6 = 7, sum 4, n 2:
	   (2*7 - 3*4) / (2*4) = 2/8 = 0.25. */
	v[0] = D(3);
	v[1] = D(1);
	CHECK_INT(ka_rank_gini(v, 2), 2500);
	/* 1, 2, 3, 4: sum i x_i = 1+4+9+16 = 30, sum 10, n 4:
	   (60 - 50) / 40 = 0.25. */
	v[0] = D(4);
	v[1] = D(1);
	v[2] = D(3);
	v[3] = D(2);
	CHECK_INT(ka_rank_gini(v, 4), 2500);
	/* 1, 1, 4: sum i x_i = 1+2+12 = 15, sum 6, n 3:
	   (30 - 24) / 18 = 0.3333 (4 decimals). */
	v[0] = D(1);
	v[1] = D(4);
	v[2] = D(1);
	CHECK_INT(ka_rank_gini(v, 3), 3333);
	/* Zeros and negatives are left out: 0, -2, 1, 3 is 1, 3 -> 0.25. */
	v[0] = 0;
	v[1] = D(-2);
	v[2] = D(1);
	v[3] = D(3);
	CHECK_INT(ka_rank_gini(v, 4), 2500);
}

static int
compare_ints(size_t a, size_t b, void *context)
{
	const int *v = context;

	return v[a] < v[b] ? -1 : v[a] > v[b];
}

static void
test_midranks(void)
{
	/* 10, 30, 20, 20, 40: below/equal -> 10: 0/1, 20s: 1/2, 30: 3/1,
	   40: 4/1; 2*below + equal - 1 -> 0, 6, 3, 3, 8 over 2(n-1) = 8:
	   percentiles 0, 0.75, 0.375, 0.375, 1. */
	int v[5] = { 10, 30, 20, 20, 40 };
	uint64_t out[5];
	int same[3] = { 7, 7, 7 };

	ka_rank_midranks(5, compare_ints, v, out);
	CHECK_INT(out[0], 0);
	CHECK_INT(out[1], 6);
	CHECK_INT(out[2], 3);
	CHECK_INT(out[3], 3);
	CHECK_INT(out[4], 8);
	/* All tied: 2*0 + 3 - 1 = 2 over 4: everyone at 0.5. */
	ka_rank_midranks(3, compare_ints, same, out);
	CHECK_INT(out[0], 2);
	CHECK_INT(out[1], 2);
	CHECK_INT(out[2], 2);
}

static void
test_abc_tier(void)
{
	const ka_dec cut[2] = { D(80), D(95) };

	/* Of a total of 1000: 800 is exactly 80% -> still A; 800.0001
	   is past it -> B; 950 exactly -> B; 950.0001 -> C. */
	CHECK_INT(ka_rank_abc_tier(D(800), D(1000), cut), 0);
	CHECK_INT(ka_rank_abc_tier(D(800) + 1, D(1000), cut), 1);
	CHECK_INT(ka_rank_abc_tier(D(950), D(1000), cut), 1);
	CHECK_INT(ka_rank_abc_tier(D(950) + 1, D(1000), cut), 2);
	CHECK_INT(ka_rank_abc_tier(D(1000), D(1000), cut), 2);
	/* A third of 3 is 33.33..%, under 80: A. 2.4 of 3 is exactly 80%. */
	CHECK_INT(ka_rank_abc_tier(D(1), D(3), cut), 0);
	CHECK_INT(ka_rank_abc_tier(24000, D(3), cut), 0);
	CHECK_INT(ka_rank_abc_tier(24001, D(3), cut), 1);
	/* Cut-offs with decimals: 87.5% of 8 is 7. */
	{
		const ka_dec odd[2] = { 875000, D(99) };

		CHECK_INT(ka_rank_abc_tier(D(7), D(8), odd), 0);
		CHECK_INT(ka_rank_abc_tier(D(7) + 1, D(8), odd), 1);
	}
	/* Sums near the int64 limit still compare exactly. */
	CHECK_INT(ka_rank_abc_tier(INT64_MAX / 10 * 8, INT64_MAX / 10 * 10,
	    cut), 0);
}

static void
test_percent(void)
{
	/* 1/3 = 33.333..% -> 33.33; 2/3 -> 66.67 (half away from zero);
	   1/8 = 12.5% -> 12.50; -1/3 -> -33.33; 1/200000 -> 0.0005% -> 0.00
	   and 1/20000 = 0.005% -> 0.01 (half up). */
	CHECK_INT(ka_rank_percent(1, 3), 333300);
	CHECK_INT(ka_rank_percent(2, 3), 666700);
	CHECK_INT(ka_rank_percent(1, 8), 125000);
	CHECK_INT(ka_rank_percent(-1, 3), -333300);
	CHECK_INT(ka_rank_percent(1, 200000), 0);
	CHECK_INT(ka_rank_percent(1, 20000), 100);
	CHECK_INT(ka_rank_percent(-1, 20000), -100);
}

static void
test_shard_order(void)
{
	CHECK(ka_rank_shard_compare("2", "10") < 0);
	CHECK(ka_rank_shard_compare("10", "2") > 0);
	CHECK(ka_rank_shard_compare("a:9", "a:10") < 0);
	CHECK(ka_rank_shard_compare("007", "7") == 0);
	CHECK(ka_rank_shard_compare("", "1") < 0);
	CHECK(ka_rank_shard_compare("b", "a:1") > 0);
	CHECK(ka_rank_shard_compare("part-2.csv", "part-11.csv") < 0);
}

static void
test_parsers(void)
{
	struct ka_rank_config c;
	char error[256], labels[32];

	ka_rank_config_init(&c);
	CHECK_INT(ka_rank_parse_abc(&c, "70,90.5", error, sizeof(error)), 0);
	CHECK_INT(c.abc[0], D(70));
	CHECK_INT(c.abc[1], 905000);
	CHECK_INT(ka_rank_parse_abc(&c, "90,80", error, sizeof(error)), -1);
	CHECK_STR(error, "bad --abc \"90,80\": the A cut-off must be below "
	    "the B cut-off");
	CHECK_INT(ka_rank_parse_abc(&c, "80", error, sizeof(error)), -1);
	CHECK_INT(ka_rank_parse_abc(&c, "0,50", error, sizeof(error)), -1);
	CHECK_INT(ka_rank_parse_abc(&c, "50,101", error, sizeof(error)), -1);
	CHECK_INT(ka_rank_parse_score(&c, "revenue:2,recency", error,
	    sizeof(error)), 0);
	CHECK_INT(c.weight[KA_RANK_METRIC_REVENUE], D(2));
	CHECK_INT(c.weight[KA_RANK_METRIC_RECENCY], D(1));
	CHECK_INT(c.weight[KA_RANK_METRIC_GROWTH], 0);
	CHECK_INT(ka_rank_parse_score(&c, "loyalty:1", error,
	    sizeof(error)), -1);
	CHECK_INT(ka_rank_parse_score(&c, "revenue:0", error,
	    sizeof(error)), -1);
	CHECK_INT(ka_rank_parse_score(&c, "revenue:1,revenue:2", error,
	    sizeof(error)), -1);
	strcpy(labels, "key,other");
	CHECK_INT(ka_rank_parse_labels(&c, labels, error, sizeof(error)), -1);
	CHECK_STR(error, "bad --labels: 3 tiers need 3 labels separated by "
	    "commas");
	strcpy(labels, "Gold,Silver,Bronze");
	CHECK_INT(ka_rank_parse_labels(&c, labels, error, sizeof(error)), 0);
	CHECK_STR(c.labels[2], "Bronze");
	CHECK_INT(ka_rank_parse_basis(&c, "profit", error, sizeof(error)),
	    -1);
	CHECK_STR(error, "unknown --basis \"profit\" (revenue, margin, qty)");
}

/* A record over a copy of the fields, as the reader would give it. */
struct fake {
	char		 text[256];
	uint32_t	 offset[16];
	ka_record	 rec;
};

static const ka_record *
record(struct fake *f, const char *const *fields, size_t n)
{
	size_t i, at = 0;

	for (i = 0; i < n; i++) {
		f->offset[i] = (uint32_t)at;
		strcpy(f->text + at, fields[i]);
		at += strlen(fields[i]) + 1;
	}
	f->offset[n] = (uint32_t)at;
	f->rec.base = f->text;
	f->rec.offset = f->offset;
	f->rec.nfields = n;
	f->rec.file = "test";
	f->rec.line = 1;
	return &f->rec;
}

static void
add_row(ka_rank *r, const char *date, const char *invoice,
    const char *customer, const char *amount)
{
	const char *fields[4] = { date, invoice, customer, amount };
	struct fake f;

	CHECK_INT(ka_rank_add(r, record(&f, fields, 4)), KA_RANK_USED);
}

static void
test_engine(void)
{
	static const char *const names[4] = { "date", "invoice",
		"customer_id", "amount" };
	struct ka_rank_config c;
	struct ka_roles roles;
	struct fake header;
	enum ka_role missing;
	const struct ka_rank_row *rows;
	char error[256];
	ka_rank *r;
	size_t n;

	ka_rank_config_init(&c);
	c.as_of = day("2026-01-31");
	c.abc[0] = D(60);
	c.abc[1] = D(90);
	r = ka_rank_new(&c);
	record(&header, (const char *const *)names, 4);
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, &header.rec, error, sizeof(error)),
	    0);
	CHECK_INT(ka_rank_bind(r, &header.rec, &roles, &missing), 0);
	/*
	 * X: 60 + 30 (two lines of I1) + 10 (I2) = 100, orders 2 on two
	 * days 01-10 and 01-20: gap 10, recency 11, tenure 21.
	 * Y: 40 - 10 (a return, not an order) = 30, 1 order.
	 * Z: 30 on one day: ties Y at 30; Y before Z by id.
	 * Total 160: X 62.5% (past 60: B), cum Y 81.25% (B),
	 * cum Z 100% (C).
	 */
	add_row(r, "2026-01-10", "I1", "X", "60");
	add_row(r, "2026-01-10", "I1", "X", "30");
	add_row(r, "2026-01-20", "I2", "X", "10");
	add_row(r, "2026-01-05", "I3", "Z", "30");
	add_row(r, "2026-01-12", "I4", "Y", "40");
	add_row(r, "2026-01-15", "CR1", "Y", "-10");
	CHECK_INT(ka_rank_finish(r, error, sizeof(error)), 0);
	rows = ka_rank_rows(r, &n);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(rows[0].key, "X");
		CHECK_INT(rows[0].revenue, D(100));
		CHECK_INT(rows[0].orders, 2);
		CHECK_INT(rows[0].active_days, 2);
		CHECK_INT(rows[0].median_gap_days, D(10));
		CHECK_INT(rows[0].recency_days, 11);
		CHECK_INT(rows[0].tenure_days, 21);
		CHECK_INT(rows[0].share, 625000);
		CHECK_INT(rows[0].tier, 1);
		CHECK_STR(rows[1].key, "Y");
		CHECK_INT(rows[1].revenue, D(30));
		CHECK_INT(rows[1].orders, 1);
		CHECK_INT(rows[1].last_order, day("2026-01-12"));
		CHECK_INT(rows[1].cum_share, 812500);
		CHECK_INT(rows[1].tier, 1);
		CHECK_STR(rows[2].key, "Z");
		CHECK_INT(rows[2].cum_share, D(100));
		CHECK_INT(rows[2].tier, 2);
		CHECK_INT(rows[2].has_median_gap, 0);
	}
	ka_rank_free(r);
}

int
main(void)
{
	ka_set_program("test_rank");
	RUN(test_median_gap);
	RUN(test_hhi);
	RUN(test_gini);
	RUN(test_midranks);
	RUN(test_abc_tier);
	RUN(test_percent);
	RUN(test_shard_order);
	RUN(test_parsers);
	RUN(test_engine);
	return CHECK_EXIT();
}
