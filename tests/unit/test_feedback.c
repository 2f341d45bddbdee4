/*
 * Unit tests of the feedback engine (common/ka_feedback.c) and the
 * topics module (common/ka_topics.c).  Every expected figure is worked
 * out by hand in the comment above it; inputs are small CSV texts
 * written to a temporary file and read back through ka_reader, as the
 * program reads them.
 */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_feedback.h"
#include "ka_msg.h"
#include "ka_stats.h"
#include "ka_topics.h"

#define CHECK_NEAR(got, want, tolerance) do { \
	double check_g = (got), check_w = (want); \
	if (!(fabs(check_g - check_w) <= (tolerance))) { \
		fprintf(stdout, "  %s:%d: %s is %.10g, want %.10g\n", \
		    __FILE__, __LINE__, #got, check_g, check_w); \
		check_failures++; \
	} \
} while (0)

static char paths[64][64];
static int npaths;

static const char *
temp_file(const char *text)
{
	char *path = paths[npaths++ % 64];
	FILE *f;
	int fd;

	snprintf(path, 64, "/tmp/ka-test-feedback-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		printf("  cannot write a temporary file\n");
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static ka_date
day(const char *text)
{
	ka_date d = 0;

	ka_date_parse(text, strlen(text), &d);
	return d;
}

/*
 * Reads csv into a new engine with config; accounts (a CSV text) when
 * not NULL.  Returns the finished engine, or NULL after printing why.
 */
static ka_feedback *
run(struct ka_feedback_config *config, const char *csv, const char *accounts)
{
	const char *files[1];
	struct ka_reader_options options;
	struct ka_roles roles;
	enum ka_read_status status;
	ka_feedback *fb;
	ka_reader *reader;
	ka_record rec;
	char error[1024];
	int missing = -1;

	memset(&options, 0, sizeof(options));
	fb = ka_feedback_new(config);
	if (accounts != NULL && ka_feedback_load_accounts(fb,
	    temp_file(accounts), &options, error, sizeof(error)) < 0) {
		printf("  accounts: %s\n", error);
		ka_feedback_free(fb);
		return NULL;
	}
	files[0] = temp_file(csv);
	reader = ka_reader_open(files, 1, &options);
	ka_roles_init(&roles);
	if (reader == NULL || ka_roles_resolve(&roles,
	    ka_reader_header(reader), error, sizeof(error)) < 0 ||
	    ka_feedback_bind(fb, ka_reader_header(reader), &roles, &missing,
	    error, sizeof(error)) < 0) {
		printf("  bind: %s (missing %d)\n", error, missing);
		ka_reader_close(reader);
		ka_feedback_free(fb);
		return NULL;
	}
	while (ka_reader_next(reader, &rec, &status) > 0)
		if (ka_feedback_add(fb, &rec) == KA_FEEDBACK_BAD)
			printf("  line %lu: %s\n", rec.line,
			    ka_feedback_error(fb));
	ka_reader_close(reader);
	if (ka_feedback_finish(fb, error, sizeof(error)) < 0) {
		printf("  finish: %s\n", error);
		ka_feedback_free(fb);
		return NULL;
	}
	return fb;
}

static const struct ka_feedback_row *
find_row(const ka_feedback *fb, const char *key)
{
	const struct ka_feedback_row *rows;
	size_t n, i;

	rows = ka_feedback_rows(fb, &n);
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].key[0], key) == 0)
			return &rows[i];
	printf("  no row %s\n", key);
	return NULL;
}

static void
base_config(struct ka_feedback_config *c)
{
	ka_feedback_config_init(c);
	c->as_of = day("2026-11-27");
	c->scale = KA_FEEDBACK_SCALE_NPS;
}

/* Four 10s from C1 and one 2 from C2 about rep R in 2026-Q4. */
static const char rollup_csv[] =
	"date,customer_id,rep,score\n"
	"2026-10-01,C1,R,10\n"
	"2026-10-02,C1,R,10\n"
	"2026-10-03,C1,R,10\n"
	"2026-10-04,C1,R,10\n"
	"2026-10-05,C2,R,2\n";

static void
test_rollup_response(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *r;
	ka_feedback *fb;

	/* Every answer counts: mean 42/5 = 8.4; promoters 4/5, detractors
	   1/5, NPS 60.  The overall mean is R's own, so the Bayesian
	   average is 8.4 whatever m is.  n_eff = 5. */
	base_config(&c);
	if ((fb = run(&c, rollup_csv, NULL)) == NULL) {
		CHECK(0);
		return;
	}
	r = find_row(fb, "R");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->now->n, 5);
		CHECK_INT(r->now->accounts, 2);
		CHECK_NEAR(r->now->mean, 8.4, 1e-12);
		CHECK_NEAR(r->now->bayes_avg, 8.4, 1e-12);
		CHECK_NEAR(r->now->nps, 60.0, 1e-9);
		CHECK_NEAR(r->now->effective_n, 5.0, 1e-12);
		/* Adjusted Wald: n' = 8, p' = 4.75/8, d' = 1.75/8,
		   net' = 0.375, variance (0.8125 - 0.140625) / 8 =
		   0.083984375, sd 0.289800; half 1.959964 * 0.289800 =
		   0.567998; -0.192998 .. 0.942998 -> points. */
		CHECK_NEAR(r->now->nps_low, -19.2998, 1e-3);
		CHECK_NEAR(r->now->nps_high, 94.2998, 1e-3);
	}
	ka_feedback_free(fb);
}

static void
test_rollup_account(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *r;
	ka_feedback *fb;

	/* Every account counts once: C1's unit is mean 10, promoter
	   share 1; C2's is 2, detractor share 1.  Mean (10 + 2) / 2 = 6,
	   NPS (1 - 1) / 2 = 0, n_eff 2; n is still 5 answers. */
	base_config(&c);
	c.rollup = KA_FEEDBACK_BY_ACCOUNT;
	if ((fb = run(&c, rollup_csv, NULL)) == NULL) {
		CHECK(0);
		return;
	}
	r = find_row(fb, "R");
	if (r != NULL) {
		CHECK_INT(r->now->n, 5);
		CHECK_NEAR(r->now->mean, 6.0, 1e-12);
		CHECK_NEAR(r->now->nps, 0.0, 1e-9);
		CHECK_NEAR(r->now->effective_n, 2.0, 1e-12);
		CHECK_NEAR(r->now->promoters, 0.5, 1e-12);
	}
	ka_feedback_free(fb);
}

static void
test_tier_weights(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *r;
	ka_feedback *fb;

	/* C1 is tier A (weight 3), C2 tier C (1); account roll-up:
	   mean (3 * 10 + 1 * 2) / 4 = 8; promoters 3/4, detractors 1/4,
	   NPS 50; n_eff = 4^2 / (9 + 1) = 1.6. */
	base_config(&c);
	c.rollup = KA_FEEDBACK_BY_ACCOUNT;
	c.weight_tier = 1;
	if ((fb = run(&c, rollup_csv, "customer_id,tier,rank\nC1,A,1\n"
	    "C2,C,2\n")) == NULL) {
		CHECK(0);
		return;
	}
	r = find_row(fb, "R");
	if (r != NULL) {
		CHECK_NEAR(r->now->mean, 8.0, 1e-12);
		CHECK_NEAR(r->now->nps, 50.0, 1e-9);
		CHECK_NEAR(r->now->effective_n, 1.6, 1e-12);
	}
	ka_feedback_free(fb);

	/* Response roll-up with --tier-weights A:1,C:4: C1's four 10s
	   weigh 1 each, C2's 2 weighs 4: mean (40 + 8) / 8 = 6;
	   n_eff = 8^2 / (4 * 1 + 16) = 3.2. */
	base_config(&c);
	c.weight_tier = 1;
	c.ntier_weights = 2;
	c.tier_name[0] = "A", c.tier_weight[0] = 1;
	c.tier_name[1] = "C", c.tier_weight[1] = 4;
	if ((fb = run(&c, rollup_csv, "customer_id,tier\nC1,A\nC2,C\n")) ==
	    NULL) {
		CHECK(0);
		return;
	}
	r = find_row(fb, "R");
	if (r != NULL) {
		CHECK_NEAR(r->now->mean, 6.0, 1e-12);
		CHECK_NEAR(r->now->effective_n, 3.2, 1e-12);
	}
	ka_feedback_free(fb);

	/* --tiers A keeps C1's answers only; C2's are excluded, counted. */
	base_config(&c);
	c.ntiers = 1;
	c.tiers[0] = "A";
	if ((fb = run(&c, rollup_csv, "customer_id,tier\nC1,A\nC2,C\n")) ==
	    NULL) {
		CHECK(0);
		return;
	}
	r = find_row(fb, "R");
	if (r != NULL)
		CHECK_INT(r->now->n, 4);
	CHECK_INT(ka_feedback_counts(fb)->excluded, 1);
	ka_feedback_free(fb);
}

static void
test_one_perfect_answer(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *one, *forty;
	char *csv = malloc(8192), *p = csv;
	ka_feedback *fb;
	int i;

	/* P has one 10; Q has forty 9s; S has twenty 5s.  Overall mean
	   (10 + 360 + 100) / 61 = 470/61 = 7.704918.  With m = 5:
	   P (5 * 7.704918 + 10) / 6 = 48.52459 / 6 = 8.087432;
	   Q (38.52459 + 360) / 45 = 8.856102: Q ranks above P, although
	   P's mean (10) is higher than Q's (9). */
	p += sprintf(p, "date,customer_id,rep,score\n2026-10-01,C0,P,10\n");
	for (i = 0; i < 40; i++)
		p += sprintf(p, "2026-10-02,C%d,Q,9\n", i + 1);
	for (i = 0; i < 20; i++)
		p += sprintf(p, "2026-10-03,C%d,S,5\n", i + 50);
	base_config(&c);
	if ((fb = run(&c, csv, NULL)) == NULL) {
		CHECK(0);
		free(csv);
		return;
	}
	one = find_row(fb, "P");
	forty = find_row(fb, "Q");
	if (one != NULL && forty != NULL) {
		CHECK_NEAR(one->now->bayes_avg, 8.087432, 1e-6);
		CHECK_NEAR(forty->now->bayes_avg, 8.856102, 1e-6);
		CHECK_INT(forty->rank, 1);
		CHECK_INT(one->rank, 2);
		CHECK(one->now->mean > forty->now->mean);
	}
	CHECK_NEAR(ka_feedback_overall(fb, 0)->mean, 470.0 / 61.0, 1e-12);
	ka_feedback_free(fb);
	free(csv);
}

static void
test_flags(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *r;
	ka_feedback *fb;

	/*
	 * Threshold 7, min_n 2, K 3, m 0 (plain means), periods 2026-Q4,
	 * Q3, Q2.
	 *   W: 5 5 in Q2, 6 6 in Q3, 4 4 in Q4: below in all three ->
	 *      reassign; slope over (0, 5), (1, 6), (2, 4): means 1 and
	 *      5, sxy = -1*0 + 0 + 1*(-1) = -1, sxx = 2 -> -0.5.
	 *   X: 9 9 in Q3, 5 5 in Q4: below now only -> watch, because
	 *      Q3 was 9.00; change 5 - 9 = -4.
	 *   Y: 6 in Q3 only one answer, 6 6 in Q4 and Q2 -> watch:
	 *      Q3 had 1 answer, fewer than 2.
	 *   Z: one 3 in Q4 -> insufficient.
	 *   V: 8 8 in Q4 -> ok.
	 */
	static const char csv[] =
	    "date,customer_id,rep,score\n"
	    "2026-05-01,C1,W,5\n2026-05-02,C2,W,5\n"
	    "2026-08-01,C1,W,6\n2026-08-02,C2,W,6\n"
	    "2026-11-01,C1,W,4\n2026-11-02,C2,W,4\n"
	    "2026-08-01,C3,X,9\n2026-08-02,C4,X,9\n"
	    "2026-11-01,C3,X,5\n2026-11-02,C4,X,5\n"
	    "2026-05-01,C5,Y,6\n2026-05-02,C6,Y,6\n"
	    "2026-08-01,C5,Y,6\n"
	    "2026-11-01,C5,Y,6\n2026-11-02,C6,Y,6\n"
	    "2026-11-01,C7,Z,3\n"
	    "2026-11-01,C8,V,8\n2026-11-01,C9,V,8\n";

	base_config(&c);
	c.prior_weight = 0;
	c.min_n = 2;
	if ((fb = run(&c, csv, NULL)) == NULL) {
		CHECK(0);
		return;
	}
	if ((r = find_row(fb, "W")) != NULL) {
		CHECK_INT(r->flag, KA_FEEDBACK_REASSIGN);
		CHECK_STR(r->why, "Bayesian average below 7.00 in each of the "
		    "last 3 periods: 2026-Q2 5.00 (n=2), 2026-Q3 6.00 (n=2), "
		    "2026-Q4 4.00 (n=2)");
		CHECK_NEAR(r->slope, -0.5, 1e-12);
		CHECK_NEAR(r->change, -2.0, 1e-12);
	}
	if ((r = find_row(fb, "X")) != NULL) {
		CHECK_INT(r->flag, KA_FEEDBACK_WATCH);
		CHECK_STR(r->why, "Bayesian average 5.00 below 7.00 in 2026-Q4 "
		    "(n=2), but not in each of the last 3 periods: 2026-Q3 "
		    "was 9.00 (n=2)");
		CHECK_NEAR(r->change, -4.0, 1e-12);
	}
	if ((r = find_row(fb, "Y")) != NULL) {
		CHECK_INT(r->flag, KA_FEEDBACK_WATCH);
		CHECK(strstr(r->why, "2026-Q3 had 1 answer, fewer than 2") !=
		    NULL);
	}
	if ((r = find_row(fb, "Z")) != NULL) {
		CHECK_INT(r->flag, KA_FEEDBACK_INSUFFICIENT);
		CHECK_STR(r->why, "1 answer in 2026-Q4, fewer than --min-n 2");
	}
	if ((r = find_row(fb, "V")) != NULL)
		CHECK_INT(r->flag, KA_FEEDBACK_OK);
	ka_feedback_free(fb);
}

static void
test_scale_detection(void)
{
	struct ka_feedback_config c;
	ka_feedback *fb;

	/* Scores 1..5 and a plain "score" header: csat, said in a note. */
	ka_feedback_config_init(&c);
	c.as_of = day("2026-11-27");
	fb = run(&c, "date,rep,score\n2026-10-01,R,1\n2026-10-02,R,5\n",
	    NULL);
	if (fb != NULL) {
		CHECK_STR(ka_feedback_scale_name(fb), "csat");
		CHECK_STR(ka_feedback_note(fb), "no --scale: scores from 1 to 5 "
		    "read as csat (1-5)");
		CHECK_NEAR(ka_feedback_threshold(fb), 3.5, 0);
		ka_feedback_free(fb);
	}
	/* The same scores under a header that says NPS: nps, no note. */
	fb = run(&c, "date,rep,nps\n2026-10-01,R,1\n2026-10-02,R,5\n", NULL);
	if (fb != NULL) {
		CHECK_STR(ka_feedback_scale_name(fb), "nps");
		CHECK(ka_feedback_note(fb) == NULL);
		ka_feedback_free(fb);
	}
	/* A 0 rules csat out. */
	fb = run(&c, "date,rep,score\n2026-10-01,R,0\n2026-10-02,R,5\n",
	    NULL);
	if (fb != NULL) {
		CHECK_STR(ka_feedback_scale_name(fb), "nps");
		ka_feedback_free(fb);
	}
	/* 1-7: threshold 1 + 0.625 * 6 = 4.75; satisfied = 6 and 7. */
	CHECK_INT(ka_feedback_parse_scale(&c, "1-7", NULL, 0), 0);
	fb = run(&c, "date,rep,score\n2026-10-01,R,6\n2026-10-02,R,5\n"
	    "2026-10-03,R,7\n2026-10-04,R,1\n", NULL);
	if (fb != NULL) {
		const struct ka_feedback_row *r = find_row(fb, "R");

		CHECK_NEAR(ka_feedback_threshold(fb), 4.75, 1e-12);
		if (r != NULL)
			CHECK_NEAR(r->now->csat, 50.0, 1e-9);
		ka_feedback_free(fb);
	}
}

static void
test_parse(void)
{
	struct ka_feedback_config c;
	char error[256], by[64], weights[64];

	ka_feedback_config_init(&c);
	strcpy(by, "rep,period,region,Store Name");
	CHECK_INT(ka_feedback_parse_by(&c, by, error, sizeof(error)), 0);
	CHECK_INT(c.nby, 4);
	CHECK_INT(c.by[1].kind, KA_FEEDBACK_KEY_PERIOD);
	CHECK_INT(c.by[2].role, KA_ROLE_REGION);
	CHECK_STR(c.by[3].column, "Store Name");
	CHECK_INT(ka_feedback_by_period(&c), 1);
	strcpy(by, "rep,");
	CHECK_INT(ka_feedback_parse_by(&c, by, error, sizeof(error)), -1);
	CHECK_STR(error, "bad --by: an empty item");
	CHECK_INT(ka_feedback_parse_scale(&c, "0-100", error, sizeof(error)),
	    0);
	CHECK_INT(c.high, 100);
	CHECK_INT(ka_feedback_parse_scale(&c, "5-5", error, sizeof(error)),
	    -1);
	CHECK_INT(ka_feedback_parse_scale(&c, "1-", error, sizeof(error)),
	    -1);
	strcpy(weights, "Gold:5,Silver:2.5");
	CHECK_INT(ka_feedback_parse_tier_weights(&c, weights, error,
	    sizeof(error)), 0);
	CHECK_INT(c.ntier_weights, 2);
	CHECK_NEAR(c.tier_weight[1], 2.5, 0);
	CHECK_INT(c.weight_tier, 1);
	strcpy(weights, "A:0");
	CHECK_INT(ka_feedback_parse_tier_weights(&c, weights, error,
	    sizeof(error)), -1);
}

static void
test_topics(void)
{
	ka_topics *t = ka_topics_default();
	uint64_t mask;
	char error[256];
	size_t i, delivery = 0, price = 0, stock = 0, responsiveness = 0;

	for (i = 0; i < ka_topics_count(t); i++) {
		if (strcmp(ka_topics_name(t, i), "delivery") == 0)
			delivery = i;
		if (strcmp(ka_topics_name(t, i), "price") == 0)
			price = i;
		if (strcmp(ka_topics_name(t, i), "stock_outs") == 0)
			stock = i;
		if (strcmp(ka_topics_name(t, i), "responsiveness") == 0)
			responsiveness = i;
	}
	CHECK_INT(ka_topics_count(t), 6);
#define HAS(text, topic) (ka_topics_match(t, text, strlen(text), &mask, \
	error, sizeof(error)) == 0 && (mask & (UINT64_C(1) << (topic))))
	CHECK(HAS("LATE delivery again", delivery));
	CHECK(HAS("送货延迟", delivery));
	CHECK(HAS("Out of stock twice", stock));
	CHECK(HAS("经常缺货", stock));
	CHECK(HAS("Prices went up", price));
	CHECK(HAS("价格偏贵", price));
	CHECK(HAS("slow to respond", responsiveness));
	/* Whole words: chocolate is not late; 贵公司 is not a price. */
	CHECK(!HAS("chocolate cookies", delivery));
	CHECK(!HAS("感谢贵公司的支持", price));
	CHECK(!HAS("", delivery));
	/* Invalid UTF-8 does not match, and is no error. */
	CHECK_INT(ka_topics_match(t, "\xff\xfe late", 7, &mask, error,
	    sizeof(error)), 0);
	ka_topics_free(t);

	/* A name on two lines: either pattern. */
	t = ka_topics_new();
	CHECK_INT(ka_topics_add(t, "packaging", "\\bbox(es)?\\b", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_topics_add(t, "packaging", "包装", error, sizeof(error)),
	    0);
	CHECK_INT(ka_topics_count(t), 1);
	CHECK_INT(ka_topics_patterns(t, 0), 2);
	CHECK(HAS("Boxes were wet", 0));
	CHECK(HAS("包装破了", 0));
	/* (?-i) turns case-blindness off for its pattern only. */
	CHECK_INT(ka_topics_add(t, "brand", "(?-i)ACME", error,
	    sizeof(error)), 0);
	CHECK(!HAS("acme", 1));
	CHECK(HAS("ACME", 1));
	CHECK_INT(ka_topics_add(t, "bad", "(unclosed", error, sizeof(error)),
	    -1);
	CHECK(strncmp(error, "pattern error at offset", 23) == 0);
	CHECK_INT(ka_topics_add(t, "two words", "x", error, sizeof(error)),
	    -1);
	/* A catastrophic pattern hits the match limit: an error, never a
	   silent non-match. */
	CHECK_INT(ka_topics_add(t, "slow", "(a+)+$", error, sizeof(error)),
	    0);
	{
		char text[64];

		memset(text, 0, sizeof(text));
		memset(text, 'a', 40);
		strcpy(text + 40, "b");
		CHECK_INT(ka_topics_match(t, text, strlen(text), &mask, error,
		    sizeof(error)), -1);
		CHECK(strstr(error, "match limit") != NULL);
	}
#undef HAS
	ka_topics_free(t);

	/* A topics file: comments, blank lines, a line without pattern. */
	t = ka_topics_new();
	CHECK_INT(ka_topics_load(t, temp_file("# mine\n\ndelivery\tlate\n"
	    "  price   \\bprice\\b  \n"), error, sizeof(error)), 0);
	CHECK_INT(ka_topics_count(t), 2);
	CHECK_STR(ka_topics_pattern(t, 1, 0), "\\bprice\\b");
	ka_topics_free(t);
	t = ka_topics_new();
	CHECK_INT(ka_topics_load(t, temp_file("delivery late\nprice\n"), error,
	    sizeof(error)), -1);
	CHECK(strstr(error, ":2: topic \"price\" has no pattern") != NULL);
	ka_topics_free(t);
}

static void
test_comments_and_quotes(void)
{
	struct ka_feedback_config c;
	const struct ka_feedback_row *r;
	const struct ka_feedback_quote *q;
	ka_topics *t = ka_topics_default();
	ka_feedback *fb;
	size_t n, delivery = 0, i;

	/*
	 * Three comments about delivery: a 9 (a mention, no complaint),
	 * a 4 and a 6 (complaints: not 9-10).  --quotes 2 keeps the two
	 * newest: 11-03, then the 11-02 row read first of the two.
	 */
	for (i = 0; i < ka_topics_count(t); i++)
		if (strcmp(ka_topics_name(t, i), "delivery") == 0)
			delivery = i;
	base_config(&c);
	c.topics = t;
	c.quotes = 2;
	fb = run(&c, "date,customer_id,rep,score,comment\n"
	    "2026-11-02,C1,R,9,\"On time, \"\"always\"\"\"\n"
	    "2026-11-02,C2,R,4,\"Late delivery\nagain\"\n"
	    "2026-11-03,C3,R,6,送货延迟\n"
	    "2026-10-01,C1,R,8,\n"
	    "2026-10-01,C1,R,7,\"price\"\n", NULL);
	if (fb == NULL) {
		CHECK(0);
		ka_topics_free(t);
		return;
	}
	if ((r = find_row(fb, "R")) != NULL) {
		CHECK_INT(r->now->comments, 4);
		CHECK_INT(r->now->mentions[delivery], 3);
		CHECK_INT(r->now->complaints[delivery], 2);
		n = ka_feedback_quotes(fb, r, delivery, &q);
		CHECK_INT(n, 2);
		if (n == 2) {
			CHECK_STR(q[0].comment, "送货延迟");
			CHECK_STR(q[1].comment, "On time, \"always\"");
			CHECK_STR(q[1].account, "C1");
			CHECK_INT(q[1].score, 9);
		}
	}
	ka_feedback_free(fb);
	ka_topics_free(t);
}

static void
test_report(void)
{
	struct ka_feedback_config c;
	struct ka_feedback_report report;
	ka_topics *t = ka_topics_default();
	ka_feedback *fb = NULL;
	const char *files[1];
	char error[512];

	/*
	 * 2026-Q3: everyone 8 (mean 8, NPS 0: all passives).
	 * 2026-Q4: A 9 9 9, B 3 3 3 with delivery and price complaints,
	 * C 4 4 4 also about delivery.  m 0, threshold 7, min_n 3, K 2:
	 * B and C below in Q4 only (Q3: 8) -> watch, B (3.00) first.
	 * Q4 mean (27 + 9 + 12) / 9 = 5.333; change 5.333 - 8 = -2.667.
	 * NPS now (3 - 6) / 9 = -33.33; before 0.
	 * Topics now: delivery 6 complaints, price 3; before none.
	 */
	base_config(&c);
	c.topics = t;
	c.prior_weight = 0;
	c.periods = 2;
	files[0] = temp_file("date,customer_id,rep,score,comment\n"
	    "2026-08-01,C1,A,8,\n2026-08-01,C2,A,8,\n2026-08-01,C3,A,8,\n"
	    "2026-08-01,C4,B,8,\n2026-08-01,C5,B,8,\n2026-08-01,C6,B,8,\n"
	    "2026-08-01,C7,C,8,\n2026-08-01,C8,C,8,\n2026-08-01,C9,C,8,\n"
	    "2026-11-01,C1,A,9,\n2026-11-01,C2,A,9,\n2026-11-01,C3,A,9,\n"
	    "2026-11-01,C4,B,3,late delivery and high prices\n"
	    "2026-11-01,C5,B,3,late delivery and high prices\n"
	    "2026-11-01,C6,B,3,late delivery and high prices\n"
	    "2026-11-01,C7,C,4,deliveries late\n"
	    "2026-11-01,C8,C,4,deliveries late\n"
	    "2026-11-01,C9,C,4,deliveries late\n");
	CHECK_INT(ka_feedback_report_files(&c, files, 1, NULL, NULL, &fb,
	    &report, error, sizeof(error)), 0);
	if (fb == NULL) {
		printf("  %s\n", error);
		ka_topics_free(t);
		return;
	}
	CHECK_STR(report.scale, "nps");
	CHECK_NEAR(report.now.mean, 48.0 / 9.0, 1e-12);
	CHECK_NEAR(report.change_mean, 48.0 / 9.0 - 8.0, 1e-12);
	CHECK_NEAR(report.change_score, -100.0 / 3.0, 1e-9);
	CHECK_INT(report.nflagged, 2);
	if (report.nflagged == 2) {
		CHECK_STR(report.flagged[0].rep, "B");
		CHECK_INT(report.flagged[0].flag, KA_FEEDBACK_WATCH);
		CHECK_STR(report.flagged[1].rep, "C");
	}
	CHECK_INT(report.ntopics, 2);
	if (report.ntopics == 2) {
		CHECK_STR(report.topics[0].topic, "delivery");
		CHECK_INT(report.topics[0].complaints, 6);
		CHECK_INT(report.topics[0].prev_complaints, 0);
		CHECK_STR(report.topics[1].topic, "price");
		CHECK_INT(report.topics[1].complaints, 3);
	}
	ka_feedback_report_free(&report);
	ka_feedback_free(fb);

	/* A bad score is reported with file and line. */
	files[0] = temp_file("date,rep,score\n2026-11-01,A,12\n");
	CHECK_INT(ka_feedback_report_files(&c, files, 1, NULL, NULL, &fb,
	    &report, error, sizeof(error)), -1);
	CHECK(strstr(error, ":2: column 3 (score): 12 is outside the nps "
	    "scale 0-10") != NULL);
	CHECK(fb == NULL);
	ka_topics_free(t);
}

static void
test_overall_pools_accounts(void)
{
	struct ka_feedback_config c;
	ka_feedback *fb;

	/* C1 rates R1 10 and R2 0 (two units in the groups), C2 rates R1
	   4.  Account roll-up: overall pools C1 into one unit of mean 5,
	   so the overall mean is (5 + 4) / 2 = 4.5, with 2 accounts. */
	base_config(&c);
	c.rollup = KA_FEEDBACK_BY_ACCOUNT;
	fb = run(&c, "date,customer_id,rep,score\n2026-10-01,C1,R1,10\n"
	    "2026-10-01,C1,R2,0\n2026-10-01,C2,R1,4\n", NULL);
	if (fb != NULL) {
		CHECK_NEAR(ka_feedback_overall(fb, 0)->mean, 4.5, 1e-12);
		CHECK_INT(ka_feedback_overall(fb, 0)->accounts, 2);
		CHECK_INT(ka_feedback_overall(fb, 0)->n, 3);
		ka_feedback_free(fb);
	}
}

int
main(void)
{
	int i;

	ka_set_program("test_feedback");
	RUN(test_rollup_response);
	RUN(test_rollup_account);
	RUN(test_tier_weights);
	RUN(test_one_perfect_answer);
	RUN(test_flags);
	RUN(test_scale_detection);
	RUN(test_parse);
	RUN(test_topics);
	RUN(test_comments_and_quotes);
	RUN(test_report);
	RUN(test_overall_pools_accounts);
	for (i = 0; i < npaths && i < 64; i++)
		unlink(paths[i]);
	return CHECK_EXIT();
}
