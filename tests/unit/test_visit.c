/*
 * Unit tests of common/ka_visit.c: names and shares, the iCalendar
 * building blocks (TEXT escaping, folding, file names, the UID hash),
 * working days, and the engine end to end on small files: status, the
 * planner's capacity and pacing, upcoming events, and the report section
 * ka-report shows.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_visit.h"

static char dir[64];

static ka_date
day(const char *text)
{
	ka_date d = KA_DATE_NONE;

	ka_date_parse(text, strlen(text), &d);
	return d;
}

static const char *
path_of(const char *name)
{
	static char paths[8][128];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 128, "%s/%s", dir, name);
	return p;
}

static const char *
write_file(const char *name, const char *text)
{
	const char *path = path_of(name);
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_names(void)
{
	CHECK_INT(ka_visit_level_parse("Executive", 9), KA_VISIT_EXECUTIVE);
	CHECK_INT(ka_visit_level_parse("front-line", 10), KA_VISIT_FRONTLINE);
	CHECK_INT(ka_visit_level_parse("管理层", strlen("管理层")),
	    KA_VISIT_MANAGEMENT);
	CHECK_INT(ka_visit_level_parse("一线", strlen("一线")),
	    KA_VISIT_FRONTLINE);
	CHECK_INT(ka_visit_level_parse("ceo", 3), -1);
	CHECK_INT(ka_visit_level_parse("", 0), -1);
	CHECK_INT(ka_visit_role_parse("Sales Rep", 9), KA_VISIT_ROLE_REP);
	CHECK_INT(ka_visit_role_parse("高管", strlen("高管")),
	    KA_VISIT_ROLE_EXECUTIVE);
	CHECK_INT(ka_visit_role_parse("manager", 7), KA_VISIT_ROLE_MANAGER);
	CHECK_INT(ka_visit_kind_parse("Honor", 5), KA_VISIT_HONOUR);
	CHECK_INT(ka_visit_kind_parse("周年", strlen("周年")),
	    KA_VISIT_ANNIVERSARY);
	CHECK_INT(ka_visit_kind_parse("party", 5), -1);
	CHECK_STR(ka_visit_level_name(KA_VISIT_MANAGEMENT), "management");
	CHECK_STR(ka_visit_role_name(KA_VISIT_ROLE_REP), "rep");
	CHECK_STR(ka_visit_state_name(KA_VISIT_DUE_SOON), "due-soon");
	CHECK_STR(ka_visit_band_name(0), "urgent");
	CHECK_STR(ka_visit_band_name(3), "later");
}

static void
share_is(const char *text, long long num, long long den)
{
	struct ka_visit_share s = { 0, 0 };

	if (ka_visit_share_parse(text, strlen(text), &s) < 0) {
		printf("  share \"%s\" refused\n", text);
		check_failures++;
		return;
	}
	CHECK_INT(s.num, num);
	CHECK_INT(s.den, den);
}

static void
test_shares(void)
{
	struct ka_visit_share s;
	static const char *const bad[] = { "0", "1.5", "2/1", "a/b", "",
		"-1/3", "1/3x", "1/0", "120%", "0%", "1//3", NULL };
	size_t i;

	share_is("1/3", 1, 3);
	share_is(" 2 / 6 ", 1, 3);
	share_is("33%", 33, 100);
	share_is("33.5%", 67, 200);
	share_is("0.25", 1, 4);
	share_is("1", 1, 1);
	share_is("100%", 1, 1);
	for (i = 0; bad[i] != NULL; i++) {
		if (ka_visit_share_parse(bad[i], strlen(bad[i]), &s) == 0) {
			printf("  share \"%s\" accepted\n", bad[i]);
			check_failures++;
		}
	}
	/* Percent, rounded half up to 2 places: 33.333.. 66.666.. 12.5. */
	s.num = 1;
	s.den = 3;
	CHECK_INT(ka_visit_share_percent(s), 333300);
	s.num = 2;
	CHECK_INT(ka_visit_share_percent(s), 666700);
	s.num = 1;
	s.den = 8;
	CHECK_INT(ka_visit_share_percent(s), 125000);
	s = ka_visit_default_share(KA_VISIT_ROLE_EXECUTIVE);
	CHECK_INT(s.num * 3, s.den);
	s = ka_visit_default_share(KA_VISIT_ROLE_REP);
	CHECK_INT(s.num * 5, s.den * 4);
}

static void
test_ics_escape(void)
{
	struct ka_buf b = { NULL, 0, 0 };
	const char in[] = "a,b;c\\d\ne\r\nf\rg\x01h\tI";

	ka_ics_escape(&b, in, sizeof(in) - 1);
	ka_buf_add(&b, "", 0);
	CHECK_INT(b.length, strlen("a\\,b\\;c\\\\d\\ne\\nf\\ngh\tI"));
	CHECK(b.text != NULL && memcmp(b.text, "a\\,b\\;c\\\\d\\ne\\nf\\ngh\tI",
	    b.length) == 0);
	ka_buf_free(&b);
}

/* The physical lines of a folded content line, each checked, and their
   count when want_lines is not 0. */
static void
check_folded(const struct ka_buf *b, size_t want_lines)
{
	size_t i = 0, lines = 0;

	while (i < b->length) {
		const char *end = memchr(b->text + i, '\r', b->length - i);
		size_t n;

		CHECK(end != NULL);
		if (end == NULL)
			return;
		n = (size_t)(end - (b->text + i));
		CHECK(n <= 75);
		CHECK(end[1] == '\n');
		if (lines > 0)
			CHECK(b->text[i] == ' ');
		/* A line never starts with a UTF-8 continuation byte. */
		CHECK(((unsigned char)b->text[i + (lines > 0)] & 0xc0) != 0x80);
		i += n + 2;
		lines++;
	}
	if (want_lines > 0)
		CHECK_INT(lines, want_lines);
}

static void
test_ics_fold(void)
{
	struct ka_buf b = { NULL, 0, 0 };
	char line[400];
	size_t i;

	memset(line, 'x', sizeof(line));
	ka_ics_line(&b, line, 75);
	check_folded(&b, 1);
	CHECK_INT(b.length, 77);
	ka_buf_reset(&b);
	ka_ics_line(&b, line, 76);
	check_folded(&b, 2);
	/* 75 + CRLF + space + 1 + CRLF */
	CHECK_INT(b.length, 75 + 3 + 1 + 2);
	ka_buf_reset(&b);
	ka_ics_line(&b, line, 75 + 74 + 1);
	check_folded(&b, 3);
	ka_buf_reset(&b);

	/* "SUMMARY:" and 30 three-byte characters: 98 octets.  Byte 75 is
	   inside a character, so the first line ends at 74. */
	memcpy(line, "SUMMARY:", 8);
	for (i = 0; i < 30; i++)
		memcpy(line + 8 + 3 * i, "中", 3);
	ka_ics_line(&b, line, 98);
	check_folded(&b, 2);
	CHECK(b.length == 74 + 2 + 1 + 24 + 2);
	CHECK(memcmp(b.text + 74, "\r\n ", 3) == 0);
	ka_buf_reset(&b);

	/* Four-byte characters at every offset of the cut. */
	for (i = 0; i < 4; i++) {
		size_t k, n = i;

		memset(line, 'a', i);
		for (k = 0; k < 60; k++, n += 4)
			memcpy(line + n, "\xf0\x9f\x98\x80", 4);
		ka_buf_reset(&b);
		ka_ics_line(&b, line, n);
		check_folded(&b, 0);
	}
	ka_buf_free(&b);
}

static void
test_ics_file_name(void)
{
	char out[64];

	ka_ics_file_name(out, sizeof(out), "Anna Berg");
	CHECK_STR(out, "anna-berg");
	ka_ics_file_name(out, sizeof(out), "  Dr. K.  Weber ");
	CHECK_STR(out, "dr-k-weber");
	ka_ics_file_name(out, sizeof(out), "陈静");
	CHECK_STR(out, "陈静");
	ka_ics_file_name(out, sizeof(out), "Katarina Horváth");
	CHECK_STR(out, "katarina-horváth");
	ka_ics_file_name(out, sizeof(out), "../etc/passwd");
	CHECK_STR(out, "etc-passwd");
	ka_ics_file_name(out, sizeof(out), "");
	CHECK_STR(out, "visitor");
	ka_ics_file_name(out, sizeof(out), "./.");
	CHECK_STR(out, "visitor");
	/* Cut by the size: never half a character. */
	ka_ics_file_name(out, 12, "ab中文字");
	CHECK_STR(out, "ab中");
}

static void
test_fnv(void)
{
	/* The published FNV-1a 64-bit test vectors. */
	CHECK(ka_visit_fnv1a("", 0) == UINT64_C(0xcbf29ce484222325));
	CHECK(ka_visit_fnv1a("a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	CHECK(ka_visit_fnv1a("foobar", 6) == UINT64_C(0x85944171f73967e8));
}

static ka_visit *
engine(const char *as_of)
{
	struct ka_visit_config config;

	ka_visit_config_init(&config);
	config.as_of = day(as_of);
	return ka_visit_new(&config);
}

static int
load(int status, const char *error)
{
	if (status != 0)
		printf("  load: %d %s\n", status, error);
	return status;
}

static void
test_working_days(void)
{
	ka_visit *v = engine("2026-11-27");
	char error[1024];

	CHECK_INT(load(ka_visit_load_visitors(v, write_file("p.csv",
	    "visitor,role,days_off\nEva,executive,2026-11-02..2026-11-06;Fri\n"
	    "Max,manager,\n"), NULL, error, sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_holidays(v, write_file("h.csv",
	    "date,region\n2026-11-11,\n2026-11-12,South\n"), NULL, error,
	    sizeof(error)), error), 0);
	/* November 2026: 21 weekdays; 11-11 is a holiday for everyone,
	   11-12 only in the South, where nobody lives. */
	CHECK_INT(ka_visit_working_days(v, NULL, day("2026-11-01"),
	    day("2026-11-30")), 20);
	CHECK_INT(ka_visit_working_days(v, "Max", day("2026-11-01"),
	    day("2026-11-30")), 20);
	/* Eva: minus 11-02..06 and the Fridays 13, 20, 27 (06 counted). */
	CHECK_INT(ka_visit_working_days(v, "Eva", day("2026-11-01"),
	    day("2026-11-30")), 12);
	CHECK_INT(ka_visit_working_days(v, "Nobody", day("2026-11-28"),
	    day("2026-11-29")), 0);
	ka_visit_free(v);
}

static void
test_status(void)
{
	ka_visit *v = engine("2026-11-27");
	struct ka_visit_status_row *rows;
	const char *accounts[1];
	char error[1024];
	size_t n;

	accounts[0] = write_file("a.csv", "customer_id,tier\nK1,A\nK2,B\n");
	CHECK_INT(load(ka_visit_load_accounts(v, accounts, 1, NULL, error,
	    sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_visits(v, write_file("v.csv",
	    "date,customer_id,contact_level,visitor\n"
	    "2026-08-01,K1,executive,Eva\n2026-11-20,K1,frontline,Rita\n"
	    "2026-11-20,K1,frontline,Ann\n2026-06-01,K2,executive,Eva\n"),
	    NULL, error, sizeof(error)), error), 0);
	n = ka_visit_status(v, &rows);
	CHECK_INT(n, 6);
	if (n == 6) {
		/* K1 management never, then executive 28 overdue, frontline
		   11-20 + 14 = 12-04, -7, ok; the same-day tie goes to Ann. */
		CHECK_STR(rows[0].customer_id, "K1");
		CHECK_INT(rows[0].level, KA_VISIT_MANAGEMENT);
		CHECK_INT(rows[0].state, KA_VISIT_NEVER);
		CHECK_INT(rows[1].days_overdue, 28);
		CHECK_INT(rows[1].state, KA_VISIT_OVERDUE);
		CHECK_INT(rows[2].due, day("2026-12-04"));
		CHECK_STR(rows[2].last_visitor, "Ann");
		CHECK_INT(rows[2].state, KA_VISIT_OK);
		CHECK_STR(rows[3].tier, "B");
	}
	free(rows);
	CHECK_INT(ka_visit_select_tiers(v, "B", error, sizeof(error)), 0);
	n = ka_visit_status(v, &rows);
	CHECK_INT(n, 3);
	free(rows);
	CHECK_INT(ka_visit_select_tiers(v, "A,Z", error, sizeof(error)), -1);
	CHECK_STR(error, "unknown tier \"Z\" in --tier (the policy has A, B, C)");
	ka_visit_free(v);
}

static void
test_plan_pacing(void)
{
	ka_visit *v = engine("2026-11-27");
	struct ka_visit_plan_config config;
	struct ka_visit_plan plan;
	const char *accounts[1];
	char error[1024];
	size_t i;
	int per_week[3] = { 0, 0, 0 };

	CHECK_INT(load(ka_visit_load_policy(v, write_file("q.csv",
	    "tier,contact_level,max_days\nA,executive,90\n"), NULL, error,
	    sizeof(error)), error), 0);
	accounts[0] = write_file("a.csv", "customer_id,tier,city\n"
	    "K1,A,C1\nK2,A,C2\nK3,A,C3\nK4,A,C4\nK5,A,C5\nK6,A,C6\n"
	    "K7,A,C7\nK8,A,C8\n");
	CHECK_INT(load(ka_visit_load_accounts(v, accounts, 1, NULL, error,
	    sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_visitors(v, write_file("p.csv",
	    "visitor,role\nEva,executive\n"), NULL, error, sizeof(error)),
	    error), 0);
	CHECK_INT(load(ka_visit_load_visits(v, write_file("v.csv",
	    "date,customer_id,contact_level\n"), NULL, error, sizeof(error)),
	    error), 0);
	/* Three weeks from Monday 11-30: 15 working days x 1/3 = 5
	   visiting days; each week ceil(5/3) = 2.  Eight cities, never
	   visited: 2 + 2 + 1, three do not fit. */
	config.first = day("2026-11-30");
	config.days = 21;
	config.per_day = 3;
	CHECK_INT(ka_visit_plan(v, &config, &plan, error, sizeof(error)), 0);
	CHECK_INT(plan.nplanned, 5);
	CHECK_INT(plan.nunplanned, 3);
	CHECK_INT(plan.due_in_horizon, 8);
	CHECK_INT(plan.unplanned_by_cause[0], 3);
	for (i = 0; i < plan.nplanned; i++) {
		int w = (plan.planned[i].date - day("2026-11-30")) / 7;

		if (w >= 0 && w < 3)
			per_week[w]++;
	}
	CHECK_INT(per_week[0], 2);
	CHECK_INT(per_week[1], 2);
	CHECK_INT(per_week[2], 1);
	CHECK_INT(plan.nload, 1);
	if (plan.nload == 1) {
		CHECK_INT(plan.load[0].working_days, 15);
		CHECK_INT(plan.load[0].capacity_days, 5);
		CHECK_INT(plan.load[0].visiting_days, 5);
	}
	if (plan.nplanned > 0) {
		CHECK_STR(plan.planned[0].customer_id, "K1");
		CHECK_STR(plan.planned[0].reason, "A executive never visited");
	}
	ka_visit_plan_free(&plan);
	ka_visit_free(v);
}

static void
test_upcoming(void)
{
	ka_visit *v = engine("2027-02-20");
	struct ka_visit_upcoming *rows;
	static const int bands[3] = { 14, 45, 90 };
	char error[1024];
	size_t n;

	CHECK_INT(load(ka_visit_load_events(v, write_file("e.csv",
	    "customer_id,date,kind,description\n"
	    "K1,2016-02-29,anniversary,Leap\nK2,2027-02-19,meeting,Past\n"
	    "K3,2027-02-20,launch,Today\nK4,2000-02-20,anniversary,Today\n"),
	    NULL, error, sizeof(error)), error), 0);
	n = ka_visit_upcoming(v, 30, bands, &rows);
	CHECK_INT(n, 3);
	if (n == 3) {
		/* Same day: by tier (none), id, kind. */
		CHECK_STR(rows[0].customer_id, "K3");
		CHECK_STR(rows[1].customer_id, "K4");
		CHECK_INT(rows[1].years, 27);
		/* 2027 has no 29 February: the 28th, 8 days ahead. */
		CHECK_STR(rows[2].customer_id, "K1");
		CHECK_INT(rows[2].date, day("2027-02-28"));
		CHECK_INT(rows[2].days, 8);
		CHECK_INT(rows[2].years, 11);
		CHECK_INT(rows[2].band, 0);
	}
	free(rows);
	ka_visit_free(v);
}

static void
test_report(void)
{
	ka_visit *v = engine("2026-11-27");
	struct ka_visit_report r;
	const char *accounts[1];
	char error[1024];
	ka_period period;

	accounts[0] = write_file("a.csv",
	    "customer_id,customer,tier\nK1,One,A\nK2,Two,A\nK3,Three,B\n");
	CHECK_INT(load(ka_visit_load_accounts(v, accounts, 1, NULL, error,
	    sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_visitors(v, write_file("p.csv",
	    "visitor,role,days_off\nEva,executive,2026-11-02..2026-11-06\n"
	    "Max,manager,\n"), NULL, error, sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_holidays(v, write_file("h.csv",
	    "date\n2026-11-11\n"), NULL, error, sizeof(error)), error), 0);
	CHECK_INT(load(ka_visit_load_events(v, write_file("e.csv",
	    "customer_id,date,kind,description\nK1,2026-12-01,honour,Prize\n"
	    "K2,2027-06-01,launch,Too far\n"), NULL, error, sizeof(error)),
	    error), 0);
	CHECK_INT(load(ka_visit_load_visits(v, write_file("v.csv",
	    "date,customer_id,visitor,contact_level\n"
	    "2026-11-03,K3,Eva,executive\n2026-11-10,K1,Eva,executive\n"
	    "2026-11-10,K2,Eva,executive\n2026-11-12,K2,Eva,executive\n"
	    "2026-11-20,K9,Eva,executive\n2026-10-01,K1,Max,management\n"
	    "2026-11-20,K1,Max,frontline\n2026-12-01,K1,Eva,executive\n"),
	    NULL, error, sizeof(error)), error), 0);
	CHECK_INT(ka_period_parse("2026-11", day("2026-11-27"), &period,
	    error, sizeof(error)), 0);
	ka_visit_report(v, &period, 90, &r);
	CHECK_STR(r.tier, "A");
	CHECK_INT(r.tier_accounts, 2);
	/* K2 management and frontline never, K1 management 10-01 + 30 =
	   10-31, 27 days overdue; K1 frontline 11-20 is fine. */
	CHECK_INT(r.overdue_accounts, 2);
	CHECK_INT(r.noverdue, 3);
	if (r.noverdue == 3) {
		CHECK_STR(r.overdue[0].customer_id, "K2");
		CHECK_INT(r.overdue[0].state, KA_VISIT_NEVER);
		CHECK_STR(r.overdue[2].customer_id, "K1");
		CHECK_INT(r.overdue[2].days_overdue, 27);
	}
	/* Eva in November: 21 weekdays - 11-11 - her 5 days off = 15;
	   visits on 11-03 (a day off, logged all the same), 11-10 (two),
	   11-12 and 11-20 (a customer not followed): 4 days, 26.67%; the
	   12-01 visit is after as-of.  Max is no executive. */
	CHECK_INT(r.nexecutives, 1);
	if (r.nexecutives == 1) {
		CHECK_STR(r.executives[0].visitor, "Eva");
		CHECK_INT(r.executives[0].working_days, 15);
		CHECK_INT(r.executives[0].visiting_days, 4);
		CHECK_INT(r.executives[0].visiting_pct, 266700);
		CHECK_INT(r.executives[0].goal_pct, 333300);
	}
	CHECK_INT(r.working_days, 15);
	CHECK_INT(r.visiting_days, 4);
	CHECK_INT(r.visiting_pct, 266700);
	CHECK_INT(r.goal_pct, 333300);
	CHECK_INT(r.nevents, 1);
	if (r.nevents == 1) {
		CHECK_STR(r.events[0].customer, "One");
		CHECK_INT(r.events[0].days, 4);
	}
	ka_visit_report_free(&r);
	ka_visit_free(v);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_visit.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_names);
	RUN(test_shares);
	RUN(test_ics_escape);
	RUN(test_ics_fold);
	RUN(test_ics_file_name);
	RUN(test_fnv);
	RUN(test_working_days);
	RUN(test_status);
	RUN(test_plan_pacing);
	RUN(test_upcoming);
	RUN(test_report);
	unlink(path_of("a.csv"));
	unlink(path_of("v.csv"));
	unlink(path_of("p.csv"));
	unlink(path_of("q.csv"));
	unlink(path_of("h.csv"));
	unlink(path_of("e.csv"));
	rmdir(dir);
	return CHECK_EXIT();
}
