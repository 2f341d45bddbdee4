/*
 * Unit tests of the stock engine (common/ka_stock.c): the allocation
 * strategies on hand-worked claims (ties, zero stock, more stock than
 * demand, remainders), the invariant that every strategy gives out
 * exactly min(available, demand) on many generated cases, periods, and
 * the stock file checks.  Quantities are whole quanta.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_stock.h"

#define PCT(p)	((ka_dec)(p) * KA_DEC_SCALE)

static void
claim(struct ka_stock_claim *c, size_t index, int tier, long rank,
    const char *id, int64_t demand)
{
	memset(c, 0, sizeof(*c));
	c->index = index;
	c->tier = tier;
	c->rank = rank;
	c->id = id;
	c->demand = demand;
}

/* The allocation of the claim the caller numbered index. */
static int64_t
got(const struct ka_stock_claim *c, size_t n, size_t index)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].index == index)
			return c[i].allocated;
	return -1;
}

/*
 * 100 available; A rank 1 C1 asks 60, A rank 2 C2 30 and C0 20 (a tie
 * at rank 2: C0 first by customer_id), B C5 50.  Priority: C1 60, C0 20,
 * C2 20 of 30, C5 nothing.  The claims come back in priority order.
 */
static void
test_priority(void)
{
	struct ka_stock_claim c[4];

	claim(&c[0], 0, 1, 5, "C5", 50);
	claim(&c[1], 1, 0, 2, "C2", 30);
	claim(&c[2], 2, 0, 1, "C1", 60);
	claim(&c[3], 3, 0, 2, "C0", 20);
	CHECK_INT(ka_stock_share(KA_STOCK_PRIORITY, 100, c, 4, NULL, 2), 0);
	CHECK_STR(c[0].id, "C1");
	CHECK_STR(c[1].id, "C0");
	CHECK_STR(c[2].id, "C2");
	CHECK_STR(c[3].id, "C5");
	CHECK_INT(got(c, 4, 2), 60);
	CHECK_INT(got(c, 4, 3), 20);
	CHECK_INT(got(c, 4, 1), 20);
	CHECK_INT(got(c, 4, 0), 0);
	/* Zero stock: nothing for anyone; negative counts as zero. */
	CHECK_INT(ka_stock_share(KA_STOCK_PRIORITY, -5, c, 4, NULL, 2), 0);
	CHECK_INT(got(c, 4, 2) + got(c, 4, 3) + got(c, 4, 1) + got(c, 4, 0),
	    0);
	/* More than enough: everyone in full. */
	CHECK_INT(ka_stock_share(KA_STOCK_PRIORITY, 1000, c, 4, NULL, 2), 0);
	CHECK_INT(got(c, 4, 0), 50);
	CHECK_INT(got(c, 4, 1), 30);
}

/*
 * Pro rata.  10 available: tier A (3, 3, 3 = 9) in full; 1 left for
 * tier B asking 2, 2, 3 (7): floors 0, 0, 0 with remainders 2, 2, 3 of
 * 7: the 1 goes to the largest, the 3.  With 11 available, 2 left:
 * remainders 4, 4, 6: the 3 gets one, then the tie at 4 goes in
 * priority order, to rank 4 before rank 5.
 */
static void
test_prorata(void)
{
	struct ka_stock_claim c[6];
	int i;

	for (i = 0; i < 3; i++)
		claim(&c[i], (size_t)i, 0, i + 1, "A", 3);
	claim(&c[3], 3, 1, 4, "B4", 2);
	claim(&c[4], 4, 1, 5, "B5", 2);
	claim(&c[5], 5, 1, 6, "B6", 3);
	CHECK_INT(ka_stock_share(KA_STOCK_PRORATA, 10, c, 6, NULL, 2), 0);
	CHECK_INT(got(c, 6, 0), 3);
	CHECK_INT(got(c, 6, 3), 0);
	CHECK_INT(got(c, 6, 4), 0);
	CHECK_INT(got(c, 6, 5), 1);
	CHECK_INT(ka_stock_share(KA_STOCK_PRORATA, 11, c, 6, NULL, 2), 0);
	CHECK_INT(got(c, 6, 3), 1);
	CHECK_INT(got(c, 6, 4), 0);
	CHECK_INT(got(c, 6, 5), 1);
	/* 90 among 30, 40, 40: 24 (rest 60/110), 32 (80), 32 (80); the 2
	   left go to the two 80s: 24, 33, 33. */
	claim(&c[0], 0, 0, 1, "C1", 30);
	claim(&c[1], 1, 0, 2, "C2", 40);
	claim(&c[2], 2, 0, 3, "C3", 40);
	CHECK_INT(ka_stock_share(KA_STOCK_PRORATA, 90, c, 3, NULL, 1), 0);
	CHECK_INT(got(c, 3, 0), 24);
	CHECK_INT(got(c, 3, 1), 33);
	CHECK_INT(got(c, 3, 2), 33);
}

/*
 * Fair shares.  10 among 2, 5, 8: an equal share is 3; the 2 is met,
 * 8 left for two: 4 each.  11 among them: 9 left for two, 4 each and
 * the odd one to the first in priority order still short (5 asks 5):
 * 2, 5, 4.
 */
static void
test_fair(void)
{
	struct ka_stock_claim c[3];

	claim(&c[0], 0, 0, 1, "C1", 2);
	claim(&c[1], 1, 0, 2, "C2", 5);
	claim(&c[2], 2, 0, 3, "C3", 8);
	CHECK_INT(ka_stock_share(KA_STOCK_FAIR, 10, c, 3, NULL, 1), 0);
	CHECK_INT(got(c, 3, 0), 2);
	CHECK_INT(got(c, 3, 1), 4);
	CHECK_INT(got(c, 3, 2), 4);
	CHECK_INT(ka_stock_share(KA_STOCK_FAIR, 11, c, 3, NULL, 1), 0);
	CHECK_INT(got(c, 3, 0), 2);
	CHECK_INT(got(c, 3, 1), 5);
	CHECK_INT(got(c, 3, 2), 4);
}

/*
 * Reserve A:60, B:30 of 100.  A (C1) asks 80, B (C2) 50, C (C3) 40:
 * reserves 60 and 30 -> C1 60, C2 30; the 10 left by priority -> C1
 * 70.  When A asks only 10, its unused 50 go back: C1 10, C2 30 + 20,
 * C3 40.
 */
static void
test_reserve(void)
{
	struct ka_stock_claim c[3];
	ka_dec pct[3] = { PCT(60), PCT(30), 0 };

	claim(&c[0], 0, 0, 1, "C1", 80);
	claim(&c[1], 1, 1, 2, "C2", 50);
	claim(&c[2], 2, 2, 3, "C3", 40);
	CHECK_INT(ka_stock_share(KA_STOCK_RESERVE, 100, c, 3, pct, 3), 0);
	CHECK_INT(got(c, 3, 0), 70);
	CHECK_INT(got(c, 3, 1), 30);
	CHECK_INT(got(c, 3, 2), 0);
	CHECK_INT(c[0].reserved, 60);
	CHECK_INT(c[1].reserved, 30);
	c[0].demand = 10;
	CHECK_INT(ka_stock_share(KA_STOCK_RESERVE, 100, c, 3, pct, 3), 0);
	CHECK_INT(got(c, 3, 0), 10);
	CHECK_INT(got(c, 3, 1), 50);
	CHECK_INT(got(c, 3, 2), 40);
}

/* Every strategy gives out exactly min(available, demand), never more
   than a claim asks, on 2000 generated cases. */
static void
test_exact_sums(void)
{
	struct ka_stock_claim c[12];
	ka_dec pct[3] = { PCT(50), PCT(25), PCT(10) };
	static const char *ids[12] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"
	};
	unsigned seed = 12345;
	int round, s, bad = 0;

	for (round = 0; round < 2000; round++) {
		size_t n = 1 + round % 12, i;
		int64_t available, demand = 0;

		seed = seed * 1103515245u + 12345u;
		available = (int64_t)(seed >> 8) % 500;
		for (s = 0; s <= KA_STOCK_RESERVE; s++) {
			int64_t sum = 0;
			unsigned r = seed;

			demand = 0;
			for (i = 0; i < n; i++) {
				r = r * 1103515245u + 12345u;
				claim(&c[i], i, (int)((r >> 4) % 4),
				    (long)((r >> 10) % 5), ids[i],
				    (int64_t)((r >> 12) % 120));
				demand += c[i].demand;
			}
			if (ka_stock_share((enum ka_stock_strategy)s,
			    available, c, n, pct, 3) < 0)
				bad++;
			for (i = 0; i < n; i++) {
				if (c[i].allocated < 0 ||
				    c[i].allocated > c[i].demand)
					bad++;
				sum += c[i].allocated;
			}
			if (sum != (available < demand ? available : demand))
				bad++;
		}
	}
	CHECK_INT(bad, 0);
}

/* ISO weeks and months as period numbers. */
static void
test_periods(void)
{
	char label[KA_PERIOD_BUFSIZE], date[KA_DATE_BUFSIZE];
	ka_date d = 0;
	long w, m;

	ka_date_parse("2026-11-27", 10, &d);
	w = ka_stock_period_index(KA_STOCK_WEEK, d);
	ka_stock_period_label(KA_STOCK_WEEK, w, label);
	CHECK_STR(label, "2026-W48");
	ka_date_format(ka_stock_period_first(KA_STOCK_WEEK, w), date);
	CHECK_STR(date, "2026-11-23");
	ka_date_format(ka_stock_period_last(KA_STOCK_WEEK, w), date);
	CHECK_STR(date, "2026-11-29");
	/* 2026 has 53 ISO weeks; the week after W53 is 2027-W01. */
	ka_stock_period_label(KA_STOCK_WEEK, w + 5, label);
	CHECK_STR(label, "2026-W53");
	ka_stock_period_label(KA_STOCK_WEEK, w + 6, label);
	CHECK_STR(label, "2027-W01");
	m = ka_stock_period_index(KA_STOCK_MONTH, d);
	ka_stock_period_label(KA_STOCK_MONTH, m + 2, label);
	CHECK_STR(label, "2027-01");
	ka_date_format(ka_stock_period_last(KA_STOCK_MONTH, m - 9), date);
	CHECK_STR(date, "2026-02-28");
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The engine as a whole: as of Friday 2026-11-27 the history ends with
   W47 and the forecast starts with W48; a stock file with a negative
   figure is rejected naming file, line and column. */
static void
test_engine(void)
{
	struct ka_stock_config config;
	struct ka_reader_options read;
	char path[] = "/tmp/ka-stock-test-XXXXXX", error[600];
	int fd = mkstemp(path);
	ka_stock *s;
	ka_date as_of = 0;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	ka_date_parse("2026-11-27", 10, &as_of);
	ka_stock_config_init(&config);
	config.as_of = as_of;
	s = ka_stock_new(&config);
	CHECK_INT(ka_stock_first_forecast_period(s),
	    ka_stock_period_index(KA_STOCK_WEEK, as_of));
	memset(&read, 0, sizeof(read));
	CHECK_INT(write_file(path, "sku,on_hand,safety_stock\nA,5,1\n"
	    "B,-2,0\n"), 0);
	CHECK_INT(ka_stock_load_stock(s, path, &read, error, sizeof(error)),
	    KA_EXIT_DATA);
	CHECK(strstr(error, ":3: column 2 (on_hand): negative stock: \"-2\"")
	    != NULL);
	CHECK_INT(write_file(path, "customer_id,tier,rank\nC1,B,3\nC2,A,1\n"
	    "C3,,\n"), 0);
	CHECK_INT(ka_stock_load_accounts(s, path, &read, error,
	    sizeof(error)), 0);
	/* Tiers best first: A holds rank 1. */
	CHECK_INT(ka_stock_tier_count(s), 2);
	CHECK_STR(ka_stock_tier_label(s, 0), "A");
	CHECK_STR(ka_stock_tier_label(s, 1), "B");
	CHECK_INT(ka_stock_set_key_tiers(s, "B,A", error, sizeof(error)), 0);
	CHECK_INT(ka_stock_set_key_tiers(s, "Z", error, sizeof(error)), -1);
	ka_stock_free(s);
	unlink(path);
}

/*
 * ka_stock_report, what ka-report --stock shows: the check case's data
 * (tests/cases/ka-stock/check/cmd has the arithmetic): K1 is short by
 * 10 from 2026-12-21 for C2; with a 3-week lead the last day to order
 * is 11-30, within a week of 11-27: order now.  K2 is checked, not
 * short.
 */
static void
test_report(void)
{
	struct ka_stock_config config;
	struct ka_reader_options read;
	struct ka_stock_report report;
	struct ka_roles roles;
	char sales[] = "/tmp/ka-stock-sales-XXXXXX";
	char accounts[] = "/tmp/ka-stock-accounts-XXXXXX";
	char stock[] = "/tmp/ka-stock-stock-XXXXXX";
	char error[600], text[8000];
	const char *files[1];
	enum ka_read_status status;
	enum ka_role missing;
	ka_period peak;
	ka_reader *reader;
	ka_record rec;
	ka_stock *s;
	size_t used = 0;
	int w, fd;

	if ((fd = mkstemp(sales)) >= 0)
		close(fd);
	if ((fd = mkstemp(accounts)) >= 0)
		close(fd);
	if ((fd = mkstemp(stock)) >= 0)
		close(fd);
	used += (size_t)snprintf(text + used, sizeof(text) - used,
	    "date,customer_id,sku,qty\n");
	for (w = 0; w < 20; w++) {
		char day[KA_DATE_BUFSIZE];

		/* Wednesdays from 2026-07-08 (W28) to W47. */
		ka_date_format((ka_date)(20642 + 7 * w), day);
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s,C1,K1,7\n%s,C2,K1,7\n%s,C3,K1,7\n%s,C1,K2,1\n",
		    day, day, day, day);
	}
	CHECK_INT(write_file(sales, text), 0);
	CHECK_INT(write_file(accounts, "customer_id,tier,rank\nC1,A,1\n"
	    "C2,A,2\nC3,B,3\n"), 0);
	CHECK_INT(write_file(stock, "sku,on_hand,safety_stock,incoming,"
	    "arrival\nK1,50,6,14,2026-12-10\nK2,100,,,\n"), 0);

	ka_stock_config_init(&config);
	ka_date_parse("2026-11-27", 10, &config.as_of);
	s = ka_stock_new(&config);
	memset(&read, 0, sizeof(read));
	files[0] = sales;
	reader = ka_reader_open(files, 1, &read);
	CHECK(reader != NULL);
	if (reader == NULL)
		return;
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    sizeof(error)), 0);
	CHECK_INT(ka_stock_bind(s, ka_reader_header(reader), &roles,
	    &missing), 0);
	while (ka_reader_next(reader, &rec, &status) > 0)
		CHECK_INT(ka_stock_add(s, &rec), KA_STOCK_USED);
	ka_reader_close(reader);
	CHECK_INT(ka_stock_counts(s)->used.rows, 80);
	CHECK_INT(ka_stock_load_accounts(s, accounts, &read, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_stock_load_stock(s, stock, &read, error, sizeof(error)),
	    0);
	CHECK_INT(ka_period_parse("2026-12", config.as_of, &peak, NULL, 0), 0);
	CHECK_INT(ka_stock_report(s, &peak, 21, &report, error,
	    sizeof(error)), 0);
	CHECK_INT(report.skus, 2);
	CHECK_INT(report.short_skus, 1);
	CHECK_INT(report.short_accounts, 1);
	CHECK_INT(report.shortfall, 10 * KA_DEC_SCALE);
	CHECK_INT(report.nstockouts, 1);
	CHECK_INT(report.norder_now, 1);
	if (report.nstockouts == 1) {
		char day[KA_DATE_BUFSIZE];

		CHECK_STR(report.stockouts[0].sku, "K1");
		CHECK_STR(report.stockouts[0].accounts, "C2:10");
		CHECK_INT(report.stockouts[0].action, KA_STOCK_ORDER_NOW);
		ka_date_format(report.stockouts[0].short_from, day);
		CHECK_STR(day, "2026-12-21");
		CHECK_INT(report.stockouts[0].key_demand, 68 * KA_DEC_SCALE);
		CHECK_INT(report.stockouts[0].available, 58 * KA_DEC_SCALE);
	}
	/* A peak that is over is refused. */
	CHECK_INT(ka_period_parse("2026-10", config.as_of, &peak, NULL, 0), 0);
	CHECK_INT(ka_stock_report(s, &peak, 21, &report, error,
	    sizeof(error)), -1);
	ka_stock_free(s);
	unlink(sales);
	unlink(accounts);
	unlink(stock);
}

int
main(void)
{
	ka_set_program("test_stock");
	RUN(test_priority);
	RUN(test_prorata);
	RUN(test_fair);
	RUN(test_reserve);
	RUN(test_exact_sums);
	RUN(test_periods);
	RUN(test_engine);
	RUN(test_report);
	return CHECK_EXIT();
}
