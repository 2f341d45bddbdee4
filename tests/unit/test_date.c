/*
 * Unit tests of common/ka_date.c.  Expected dates are written as text
 * and turned into day numbers by a deliberately naive counter below, so
 * no expectation comes from the code under test; the day numbers that
 * anchor the counter were worked out with Python's datetime.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ka_date.h"

/* 2026-11-27, a Friday in ISO week 48. */
#define AS_OF_TEXT	"2026-11-27"

static int
oracle_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
oracle_month_length(int year, int month)
{
	static const int length[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return month == 2 && oracle_leap(year) ? 29 : length[month - 1];
}

/* Days from 1970-01-01, one year and one month at a time. */
static long long
oracle_days(int year, int month, int day)
{
	long long days = 0;
	int i;

	for (i = 1970; i < year; i++)
		days += oracle_leap(i) ? 366 : 365;
	for (i = year; i < 1970; i++)
		days -= oracle_leap(i) ? 366 : 365;
	for (i = 1; i < month; i++)
		days += oracle_month_length(year, i);
	return days + day - 1;
}

/* "YYYY-MM-DD" as a day number, by the oracle. */
static ka_date
D(const char *text)
{
	int year, month, day;

	if (sscanf(text, "%d-%d-%d", &year, &month, &day) != 3) {
		printf("  bad expected date \"%s\" in the test\n", text);
		return KA_DATE_NONE;
	}
	return (ka_date)oracle_days(year, month, day);
}

/* ISO weekday by the oracle: 1970-01-01 was a Thursday. */
static int
oracle_weekday(long long days)
{
	long long r = (days + 3) % 7;

	return (int)(r < 0 ? r + 7 : r) + 1;
}

/* For failure messages only: room for "#-2147483648" too. */
#define TEXT_OF_BUFSIZE	16

static const char *
text_of(ka_date d, char buf[TEXT_OF_BUFSIZE])
{
	if (ka_date_format(d, buf) == 0)
		snprintf(buf, TEXT_OF_BUFSIZE, "#%ld", (long)d);
	return buf;
}

#define CHECK_DATE(got, want_text) do { \
	ka_date check_got = (got), check_want = D(want_text); \
	char check_buf[TEXT_OF_BUFSIZE]; \
	if (check_got != check_want) { \
		printf("  %s:%d: %s is %s, want %s\n", __FILE__, __LINE__, \
		    #got, text_of(check_got, check_buf), want_text); \
		check_failures++; \
	} \
} while (0)

#define CHECK_PERIOD(p, want_kind, want_first, want_last) do { \
	CHECK_INT((p).kind, (want_kind)); \
	CHECK_DATE((p).first, (want_first)); \
	CHECK_DATE((p).last, (want_last)); \
} while (0)

static int
parse_text(const char *text, ka_date *out)
{
	return ka_date_parse(text, strlen(text), out);
}

#define CHECK_PARSES(text, want_text) do { \
	ka_date check_d = KA_DATE_NONE; \
	if (parse_text((text), &check_d) != 0) { \
		printf("  %s:%d: \"%s\" did not parse\n", __FILE__, \
		    __LINE__, (text)); \
		check_failures++; \
	} else \
		CHECK_DATE(check_d, (want_text)); \
} while (0)

#define CHECK_REJECTS(text) do { \
	ka_date check_d = 12345; \
	if (parse_text((text), &check_d) == 0) { \
		printf("  %s:%d: \"%s\" parsed, want rejected\n", __FILE__, \
		    __LINE__, (text)); \
		check_failures++; \
	} \
	CHECK_INT(check_d, 12345); \
} while (0)

static ka_period
period(const char *text)
{
	ka_period p;
	char error[200];

	memset(&p, 0, sizeof(p));
	p.first = p.last = KA_DATE_NONE;
	if (ka_period_parse(text, D(AS_OF_TEXT), &p, error, sizeof(error))
	    != 0) {
		printf("  period \"%s\" did not parse: %s\n", text, error);
		check_failures++;
	}
	return p;
}

static ka_period
period_as_of(const char *text, const char *as_of)
{
	ka_period p;
	char error[200];

	memset(&p, 0, sizeof(p));
	p.first = p.last = KA_DATE_NONE;
	if (ka_period_parse(text, D(as_of), &p, error, sizeof(error)) != 0) {
		printf("  period \"%s\" as of %s did not parse: %s\n", text,
		    as_of, error);
		check_failures++;
	}
	return p;
}

static ka_period
make(enum ka_period_kind kind, const char *first, const char *last)
{
	ka_period p;

	p.kind = kind;
	p.first = D(first);
	p.last = D(last);
	return p;
}

/* The message for a bad period, or "(accepted)". */
static const char *
period_error(const char *text, char *error, size_t size)
{
	ka_period p;

	if (ka_period_parse(text, D(AS_OF_TEXT), &p, error, size) == 0)
		snprintf(error, size, "(accepted)");
	return error;
}

static void
test_oracle_anchors(void)
{
	/* From Python: (date(...) - date(1970, 1, 1)).days */
	CHECK_INT(D("1970-01-01"), 0);
	CHECK_INT(D("1969-12-31"), -1);
	CHECK_INT(D("1900-01-01"), -25567);
	CHECK_INT(D("2100-12-31"), 47846);
	CHECK_INT(D("2026-11-27"), 20784);
	CHECK_INT(D("0001-01-01"), -719162);
	CHECK_INT(D("9999-12-31"), 2932896);
}

static void
test_from_ymd_known_days(void)
{
	CHECK_INT(ka_date_from_ymd(1970, 1, 1), 0);
	CHECK_INT(ka_date_from_ymd(1969, 12, 31), -1);
	CHECK_INT(ka_date_from_ymd(1900, 1, 1), -25567);
	CHECK_INT(ka_date_from_ymd(2000, 2, 29), 11016);
	CHECK_INT(ka_date_from_ymd(2024, 2, 29), 19782);
	CHECK_INT(ka_date_from_ymd(2026, 11, 27), 20784);
	CHECK_INT(ka_date_from_ymd(2100, 12, 31), 47846);
	CHECK_INT(ka_date_from_ymd(1, 1, 1), -719162);
	CHECK_INT(ka_date_from_ymd(9999, 12, 31), 2932896);
}

static void
test_ymd_round_trip_1900_to_2100(void)
{
	long long expected = -25567;	/* 1900-01-01 */
	int year, month, day, y, m, d, bad = 0;

	for (year = 1900; year <= 2100 && !bad; year++)
		for (month = 1; month <= 12 && !bad; month++)
			for (day = 1; day <= oracle_month_length(year, month);
			    day++, expected++) {
				ka_date_to_ymd((ka_date)expected, &y, &m, &d);
				if (ka_date_from_ymd(year, month, day) !=
				    expected || y != year || m != month ||
				    d != day) {
					printf("  %04d-%02d-%02d: day %lld, "
					    "back %04d-%02d-%02d\n", year,
					    month, day, expected, y, m, d);
					bad = 1;
					break;
				}
			}
	CHECK(!bad);
	CHECK_INT(expected, 47846 + 1);
}

static void
test_from_ymd_carries_out_of_range_fields(void)
{
	CHECK_DATE(ka_date_from_ymd(2026, 13, 1), "2027-01-01");
	CHECK_DATE(ka_date_from_ymd(2026, 0, 1), "2025-12-01");
	CHECK_DATE(ka_date_from_ymd(2026, -11, 1), "2025-01-01");
	CHECK_DATE(ka_date_from_ymd(2026, 3, 0), "2026-02-28");
	CHECK_DATE(ka_date_from_ymd(2024, 3, 0), "2024-02-29");
	CHECK_DATE(ka_date_from_ymd(2026, 1, 32), "2026-02-01");
	CHECK_DATE(ka_date_from_ymd(2026, 12, 32), "2027-01-01");
}

static void
test_to_ymd_at_the_ends_of_the_range(void)
{
	static const ka_date ends[] = {
		INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1
	};
	size_t i;
	int year, month, day;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		ka_date_to_ymd(ends[i], &year, &month, &day);
		CHECK(month >= 1 && month <= 12);
		CHECK(day >= 1 && day <= 31);
		CHECK_INT(ka_date_from_ymd(year, month, day), ends[i]);
		CHECK(ka_date_weekday(ends[i]) >= 1 &&
		    ka_date_weekday(ends[i]) <= 7);
	}
	ka_date_to_ymd(KA_DATE_NONE, &year, &month, &day);
	CHECK(year < -5000000);
}

static void
test_leap_years(void)
{
	CHECK_INT(ka_date_valid_ymd(1900, 2, 29), 0);
	CHECK_INT(ka_date_valid_ymd(2000, 2, 29), 1);
	CHECK_INT(ka_date_valid_ymd(2024, 2, 29), 1);
	CHECK_INT(ka_date_valid_ymd(2026, 2, 29), 0);
	CHECK_INT(ka_date_valid_ymd(2100, 2, 29), 0);
	CHECK_INT(ka_date_valid_ymd(2400, 2, 29), 1);
	CHECK_INT(ka_date_from_ymd(1900, 3, 1) - ka_date_from_ymd(1900, 2, 28),
	    1);
	CHECK_INT(ka_date_from_ymd(2000, 3, 1) - ka_date_from_ymd(2000, 2, 28),
	    2);
}

static void
test_valid_ymd_bounds(void)
{
	CHECK_INT(ka_date_valid_ymd(1, 1, 1), 1);
	CHECK_INT(ka_date_valid_ymd(9999, 12, 31), 1);
	CHECK_INT(ka_date_valid_ymd(0, 12, 31), 0);
	CHECK_INT(ka_date_valid_ymd(10000, 1, 1), 0);
	CHECK_INT(ka_date_valid_ymd(2026, 0, 1), 0);
	CHECK_INT(ka_date_valid_ymd(2026, 13, 1), 0);
	CHECK_INT(ka_date_valid_ymd(2026, 11, 0), 0);
	CHECK_INT(ka_date_valid_ymd(2026, 11, 31), 0);
	CHECK_INT(ka_date_valid_ymd(2026, 12, 31), 1);
	CHECK_INT(ka_date_valid_ymd(2026, 4, 31), 0);
	CHECK_INT(ka_date_valid_ymd(INT_MIN, INT_MIN, INT_MIN), 0);
}

static void
test_parse_iso(void)
{
	CHECK_PARSES("2026-11-27", "2026-11-27");
	CHECK_PARSES("2024-02-29", "2024-02-29");
	CHECK_PARSES("2000-02-29", "2000-02-29");
	CHECK_PARSES("0001-01-01", "0001-01-01");
	CHECK_PARSES("9999-12-31", "9999-12-31");
	CHECK_PARSES("1969-12-31", "1969-12-31");
}

static void
test_parse_slash_and_single_digits(void)
{
	CHECK_PARSES("2026/11/27", "2026-11-27");
	CHECK_PARSES("2026-1-5", "2026-01-05");
	CHECK_PARSES("2026/1/5", "2026-01-05");
	CHECK_PARSES("2026-01-5", "2026-01-05");
	CHECK_PARSES("2026/1/27", "2026-01-27");
	CHECK_PARSES("2026-11-7", "2026-11-07");
}

static void
test_parse_with_time(void)
{
	CHECK_PARSES("2026-11-27T10:00:00", "2026-11-27");
	CHECK_PARSES("2026-11-27 10:00:00", "2026-11-27");
	CHECK_PARSES("2026-11-27T10:00", "2026-11-27");
	CHECK_PARSES("2026-11-27T10:00:00Z", "2026-11-27");
	CHECK_PARSES("2026-11-27T10:00:00+08:00", "2026-11-27");
	CHECK_PARSES("2026-11-27T23:30:00-05:00", "2026-11-27");
	CHECK_PARSES("2026-11-27T10:00:00-0500", "2026-11-27");
	CHECK_PARSES("2026-11-27 10:00:00+08", "2026-11-27");
	CHECK_PARSES("2026-11-27T23:59:59.999999+08", "2026-11-27");
	CHECK_PARSES("2026-11-27T23:59:60", "2026-11-27");
	CHECK_PARSES("2026/1/5 9:05", "2026-01-05");
	CHECK_PARSES("2026/11/27 00:00:00", "2026-11-27");
}

static void
test_parse_northwind(void)
{
	CHECK_PARSES("2026-11-27 00:00:00.000", "2026-11-27");
	CHECK_PARSES("1996-07-04 00:00:00.000", "1996-07-04");
}

static void
test_parse_sap_compact(void)
{
	CHECK_PARSES("20261127", "2026-11-27");
	CHECK_PARSES("20240229", "2024-02-29");
	CHECK_PARSES(" 20261127 ", "2026-11-27");
	CHECK_REJECTS("20260229");
	CHECK_REJECTS("20261327");
	CHECK_REJECTS("2026112");
	CHECK_REJECTS("202611270");
	CHECK_REJECTS("20261127 10:00");
}

static void
test_parse_chinese(void)
{
	CHECK_PARSES("2026年11月27日", "2026-11-27");
	CHECK_PARSES("2026年1月5日", "2026-01-05");
	CHECK_PARSES("2026年01月05日", "2026-01-05");
	CHECK_PARSES("2026年11月27日 10:00", "2026-11-27");
	CHECK_PARSES(" 2026年11月27日\t", "2026-11-27");
	CHECK_REJECTS("2026年11月27");
	CHECK_REJECTS("2026年2月30日");
	CHECK_REJECTS("2026年13月1日");
	CHECK_REJECTS("2026年11月27日x");
	CHECK_REJECTS("2026年11月27日T10:00");
}

static void
test_parse_surrounding_blanks(void)
{
	CHECK_PARSES(" 2026-11-27", "2026-11-27");
	CHECK_PARSES("2026-11-27  ", "2026-11-27");
	CHECK_PARSES("\t2026-11-27\t", "2026-11-27");
	CHECK_PARSES("  2026/11/27 10:00:00  ", "2026-11-27");
}

static void
test_parse_reads_only_len_bytes(void)
{
	ka_date d = KA_DATE_NONE;

	CHECK_INT(ka_date_parse("2026-11-27junk", 10, &d), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(ka_date_parse("2026-11-27", 9, &d), 0);
	CHECK_DATE(d, "2026-11-02");
	CHECK_INT(ka_date_parse("2026-11-27", 0, &d), -1);
	CHECK_INT(ka_date_parse("2026-11-27\0", 11, &d), -1);
}

static void
test_parse_rejects(void)
{
	CHECK_REJECTS("2026-02-29");
	CHECK_REJECTS("2026-02-30");
	CHECK_REJECTS("2026-13-01");
	CHECK_REJECTS("2026-00-10");
	CHECK_REJECTS("2026-11-00");
	CHECK_REJECTS("2026-11-31");
	CHECK_REJECTS("1900-02-29");
	CHECK_REJECTS("0000-01-01");
	CHECK_REJECTS("2026-11-27x");
	CHECK_REJECTS("");
	CHECK_REJECTS("  ");
	CHECK_REJECTS("27/11/2026");
	CHECK_REJECTS("11/27/2026");
	CHECK_REJECTS("2026-11/27");
	CHECK_REJECTS("2026-011-27");
	CHECK_REJECTS("2026-11-027");
	CHECK_REJECTS("26-11-27");
	CHECK_REJECTS("-2026-11-27");
	CHECK_REJECTS("2026-11");
	CHECK_REJECTS("2026");
	CHECK_REJECTS("2026-11-27T");
	CHECK_REJECTS("2026-11-27  10:00");
	CHECK_REJECTS("2026-11-27T 10:00");
	CHECK_REJECTS("2026-11-27 10");
	CHECK_REJECTS("2026-11-27 10:0");
	CHECK_REJECTS("2026-11-27 24:00");
	CHECK_REJECTS("2026-11-27 10:60");
	CHECK_REJECTS("2026-11-27 10:00:00.");
	CHECK_REJECTS("2026-11-27 10:00:00+");
	CHECK_REJECTS("2026-11-27 10:00:00+8");
	CHECK_REJECTS("2026-11-27 10:00:00 +08:00");
	CHECK_REJECTS("2026-11-27 10:00 AM");
	CHECK_REJECTS("2026-11-27 12345");
	CHECK_REJECTS("2026-11-27\n");
	CHECK_REJECTS("２０２６-11-27");
}

static void
test_parse_format(void)
{
	ka_date d = KA_DATE_NONE;

#define PARSE_FORMAT(text, format) \
	ka_date_parse_format((text), strlen(text), (format), &d)
	CHECK_INT(PARSE_FORMAT("27.11.2026", "%d.%m.%Y"), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(PARSE_FORMAT(" 11/27/2026 ", "%m/%d/%Y"), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(PARSE_FORMAT("27 Nov 2026", "%d %b %Y"), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(PARSE_FORMAT("2026-11-27 10:30", "%Y-%m-%d %H:%M"), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(PARSE_FORMAT("202611", "%Y%m"), 0);
	CHECK_DATE(d, "2026-11-01");
	CHECK_INT(PARSE_FORMAT("29.02.2024", "%d.%m.%Y"), 0);
	CHECK_DATE(d, "2024-02-29");

	d = 12345;
	CHECK_INT(PARSE_FORMAT("27.11.2026x", "%d.%m.%Y"), -1);
	CHECK_INT(PARSE_FORMAT("30.02.2026", "%d.%m.%Y"), -1);
	CHECK_INT(PARSE_FORMAT("29.02.2026", "%d.%m.%Y"), -1);
	CHECK_INT(PARSE_FORMAT("27.11", "%d.%m"), -1);
	CHECK_INT(PARSE_FORMAT("2026-11-27", "%d.%m.%Y"), -1);
	CHECK_INT(PARSE_FORMAT("", "%d.%m.%Y"), -1);
	CHECK_INT(d, 12345);
#undef PARSE_FORMAT

	CHECK_INT(ka_date_parse_format("27.11.2026garbage", 10, "%d.%m.%Y",
	    &d), 0);
	CHECK_DATE(d, "2026-11-27");
	CHECK_INT(ka_date_parse_format("27.11.2026\0x", 12, "%d.%m.%Y", &d),
	    -1);
}

static void
test_format(void)
{
	char buf[KA_DATE_BUFSIZE];

	CHECK_INT(ka_date_format(D("2026-11-27"), buf), 10);
	CHECK_STR(buf, "2026-11-27");
	CHECK_INT(ka_date_format(D("0001-01-01"), buf), 10);
	CHECK_STR(buf, "0001-01-01");
	CHECK_INT(ka_date_format(D("9999-12-31"), buf), 10);
	CHECK_STR(buf, "9999-12-31");
	CHECK_INT(ka_date_format(0, buf), 10);
	CHECK_STR(buf, "1970-01-01");
	CHECK_INT(ka_date_format(-1, buf), 10);
	CHECK_STR(buf, "1969-12-31");
	CHECK_INT(ka_date_format(D("9999-12-31") + 1, buf), 0);
	CHECK_STR(buf, "");
	CHECK_INT(ka_date_format(KA_DATE_NONE, buf), 0);
	CHECK_STR(buf, "");
}

static void
test_format_parse_round_trip(void)
{
	long long day;
	char buf[KA_DATE_BUFSIZE];
	ka_date back;
	int bad = 0;

	/* Every day 1600..2400, which crosses two 400-year cycles. */
	for (day = oracle_days(1600, 1, 1); day <= oracle_days(2400, 12, 31);
	    day++) {
		if (ka_date_format((ka_date)day, buf) != 10 ||
		    ka_date_parse(buf, 10, &back) != 0 || back != day) {
			printf("  day %lld: \"%s\"\n", day, buf);
			bad = 1;
			break;
		}
	}
	CHECK(!bad);
}

static void
test_weekday(void)
{
	CHECK_INT(ka_date_weekday(D("1970-01-01")), 4);
	CHECK_INT(ka_date_weekday(D("1969-12-31")), 3);
	CHECK_INT(ka_date_weekday(D("2026-11-23")), 1);
	CHECK_INT(ka_date_weekday(D("2026-11-27")), 5);
	CHECK_INT(ka_date_weekday(D("2026-11-29")), 7);
	CHECK_INT(ka_date_weekday(D("1900-01-01")), 1);
	CHECK_INT(ka_date_weekday(D("0001-01-01")), 1);
	CHECK_INT(ka_date_weekday(D("2000-02-29")), 2);
}

#define CHECK_ISO_WEEK(date_text, want_year, want_week) do { \
	int check_year = 0, check_week = 0; \
	ka_date_iso_week(D(date_text), &check_year, &check_week); \
	CHECK_INT(check_year, (want_year)); \
	CHECK_INT(check_week, (want_week)); \
} while (0)

static void
test_iso_week_at_year_edges(void)
{
	CHECK_ISO_WEEK("2020-12-31", 2020, 53);
	CHECK_ISO_WEEK("2021-01-03", 2020, 53);
	CHECK_ISO_WEEK("2021-01-04", 2021, 1);
	CHECK_ISO_WEEK("2024-12-30", 2025, 1);
	CHECK_ISO_WEEK("2025-12-29", 2026, 1);
	CHECK_ISO_WEEK("2026-01-01", 2026, 1);
	CHECK_ISO_WEEK("2026-11-27", 2026, 48);
	CHECK_ISO_WEEK("2026-12-31", 2026, 53);
	CHECK_ISO_WEEK("2027-01-03", 2026, 53);
	CHECK_ISO_WEEK("2027-01-04", 2027, 1);
	CHECK_ISO_WEEK("2008-12-29", 2009, 1);
	CHECK_ISO_WEEK("2010-01-03", 2009, 53);
	CHECK_ISO_WEEK("1969-12-31", 1970, 1);
}

static void
test_weeks_in_year(void)
{
	int year, jan1, weeks, want, bad = 0;

	CHECK_INT(ka_date_weeks_in_year(2004), 53);
	CHECK_INT(ka_date_weeks_in_year(2009), 53);
	CHECK_INT(ka_date_weeks_in_year(2015), 53);
	CHECK_INT(ka_date_weeks_in_year(2020), 53);
	CHECK_INT(ka_date_weeks_in_year(2021), 52);
	CHECK_INT(ka_date_weeks_in_year(2024), 52);
	CHECK_INT(ka_date_weeks_in_year(2025), 52);
	/* 2026 starts on a Thursday, so it has 53. */
	CHECK_INT(ka_date_weeks_in_year(2026), 53);
	CHECK_INT(ka_date_weeks_in_year(2027), 52);
	CHECK_INT(ka_date_weeks_in_year(2032), 53);
	CHECK_INT(ka_date_weeks_in_year(2037), 53);
	CHECK_INT(ka_date_weeks_in_year(1900), 52);
	CHECK_INT(ka_date_weeks_in_year(2000), 52);
	CHECK_INT(ka_date_weeks_in_year(2100), 52);

	/* The rule: 53 weeks when January 1st is a Thursday, or a Wednesday
	   in a leap year. */
	for (year = 1800; year <= 2400 && !bad; year++) {
		jan1 = oracle_weekday(oracle_days(year, 1, 1));
		want = jan1 == 4 || (jan1 == 3 && oracle_leap(year)) ? 53 : 52;
		weeks = ka_date_weeks_in_year(year);
		if (weeks != want) {
			printf("  %d: %d weeks, want %d\n", year, weeks, want);
			bad = 1;
		}
	}
	CHECK(!bad);
}

static void
test_from_iso_week(void)
{
	CHECK_DATE(ka_date_from_iso_week(2026, 1, 1), "2025-12-29");
	CHECK_DATE(ka_date_from_iso_week(2026, 47, 1), "2026-11-16");
	CHECK_DATE(ka_date_from_iso_week(2026, 48, 5), "2026-11-27");
	CHECK_DATE(ka_date_from_iso_week(2026, 53, 7), "2027-01-03");
	CHECK_DATE(ka_date_from_iso_week(2020, 53, 4), "2020-12-31");
	CHECK_DATE(ka_date_from_iso_week(2025, 1, 1), "2024-12-30");
	CHECK_DATE(ka_date_from_iso_week(2027, 0, 1), "2026-12-28");
}

static void
test_iso_week_round_trip(void)
{
	long long day;
	int year, week, weekday, bad = 0;

	for (day = oracle_days(1990, 1, 1); day <= oracle_days(2040, 12, 31);
	    day++) {
		ka_date_iso_week((ka_date)day, &year, &week);
		weekday = ka_date_weekday((ka_date)day);
		if (weekday != oracle_weekday(day) || week < 1 ||
		    week > ka_date_weeks_in_year(year) ||
		    ka_date_from_iso_week(year, week, weekday) != day) {
			printf("  day %lld: %d-W%02d-%d\n", day, year, week,
			    weekday);
			bad = 1;
			break;
		}
	}
	CHECK(!bad);
}

static void
test_add_months_clamps(void)
{
	CHECK_DATE(ka_date_add_months(D("2024-01-31"), 1), "2024-02-29");
	CHECK_DATE(ka_date_add_months(D("2025-01-31"), 1), "2025-02-28");
	CHECK_DATE(ka_date_add_months(D("2024-02-29"), -12), "2023-02-28");
	CHECK_DATE(ka_date_add_months(D("2024-02-29"), 12), "2025-02-28");
	CHECK_DATE(ka_date_add_months(D("2024-02-29"), 48), "2028-02-29");
	CHECK_DATE(ka_date_add_months(D("2026-03-31"), -1), "2026-02-28");
	CHECK_DATE(ka_date_add_months(D("2026-05-31"), 1), "2026-06-30");
	CHECK_DATE(ka_date_add_months(D("2026-12-31"), 2), "2027-02-28");
}

static void
test_add_months_crosses_years(void)
{
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), 0), "2026-11-27");
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), 2), "2027-01-27");
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), -11), "2025-12-27");
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), -12), "2025-11-27");
	CHECK_DATE(ka_date_add_months(D("2026-01-15"), -1), "2025-12-15");
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), 1200), "2126-11-27");
	CHECK_DATE(ka_date_add_months(D("2026-11-27"), -12 * 2025),
	    "0001-11-27");
}

static void
test_today(void)
{
	time_t before = time(NULL);
	ka_date today = ka_date_today();
	time_t after = time(NULL);

	/* Either side of midnight UTC is right. */
	CHECK(today == (ka_date)(before / 86400) ||
	    today == (ka_date)(after / 86400));
	CHECK(today > D("2024-01-01"));
}

static void
test_period_year_quarter_month(void)
{
	ka_period p;

	p = period("2026");
	CHECK_PERIOD(p, KA_PERIOD_YEAR, "2026-01-01", "2026-12-31");
	p = period("2024");
	CHECK_PERIOD(p, KA_PERIOD_YEAR, "2024-01-01", "2024-12-31");
	p = period("2026-Q1");
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2026-01-01", "2026-03-31");
	p = period("2026-Q3");
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2026-07-01", "2026-09-30");
	p = period("2026-q4");
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2026-10-01", "2026-12-31");
	p = period("2026-11");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2026-11-01", "2026-11-30");
	p = period("2024-02");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	p = period("2026-2");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2026-02-01", "2026-02-28");
	p = period(" 2026-12 ");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2026-12-01", "2026-12-31");
}

static void
test_period_week(void)
{
	ka_period p;

	p = period("2026-W47");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	p = period("2026-w47");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	p = period("2026-W01");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2025-12-29", "2026-01-04");
	p = period("2026-W1");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2025-12-29", "2026-01-04");
	p = period("2026-W53");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-12-28", "2027-01-03");
	p = period("2020-W53");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2020-12-28", "2021-01-03");
}

static void
test_period_day_and_range(void)
{
	ka_period p;

	p = period("2026-11-27");
	CHECK_PERIOD(p, KA_PERIOD_DAY, "2026-11-27", "2026-11-27");
	p = period("2026/1/5");
	CHECK_PERIOD(p, KA_PERIOD_DAY, "2026-01-05", "2026-01-05");
	p = period("20261127");
	CHECK_PERIOD(p, KA_PERIOD_DAY, "2026-11-27", "2026-11-27");
	p = period("2026年11月27日");
	CHECK_PERIOD(p, KA_PERIOD_DAY, "2026-11-27", "2026-11-27");
	p = period("2026-11-02..2026-11-29");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
	p = period("2026-11-27..2026-11-27");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-27", "2026-11-27");
	p = period("2026/11/2..20261129");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
	p = period("2026-11-02 .. 2026-11-29");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
	p = period("2026-11-02 00:00:00.000..2026-11-29T23:59:59Z");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
}

static void
test_period_relative_to_as_of(void)
{
	ka_period p;

	p = period("last-week");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	p = period("this-week");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-23", "2026-11-27");
	p = period("last-month");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2026-10-01", "2026-10-31");
	p = period("this-month");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-01", "2026-11-27");
	p = period("last-quarter");
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2026-07-01", "2026-09-30");
	p = period("this-quarter");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-10-01", "2026-11-27");
	p = period("last-year");
	CHECK_PERIOD(p, KA_PERIOD_YEAR, "2025-01-01", "2025-12-31");
	p = period("ytd");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-01-01", "2026-11-27");
	p = period("last-12m");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2025-11-28", "2026-11-27");
}

static void
test_period_last_n(void)
{
	ka_period p;

	p = period("last-28d");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-10-31", "2026-11-27");
	p = period("last-4w");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-10-31", "2026-11-27");
	p = period("last-1d");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-27", "2026-11-27");
	p = period("last-365d");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2025-11-28", "2026-11-27");
	p = period("last-1000w");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2007-09-29", "2026-11-27");
	p = period("last-3m");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-08-28", "2026-11-27");
	p = period_as_of("last-1m", "2024-03-31");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2024-03-01", "2024-03-31");
}

static void
test_period_relative_case_and_blanks(void)
{
	ka_period p;

	p = period("LAST-WEEK");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	p = period("Ytd");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-01-01", "2026-11-27");
	p = period(" Last-28D ");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-10-31", "2026-11-27");
	p = period("this-year");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-01-01", "2026-11-27");
}

static void
test_period_relative_at_year_start(void)
{
	ka_period p;

	/* 2026-01-01 is a Thursday in 2026-W01, which began 2025-12-29. */
	p = period_as_of("last-week", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2025-12-22", "2025-12-28");
	p = period_as_of("this-week", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2025-12-29", "2026-01-01");
	p = period_as_of("last-month", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2025-12-01", "2025-12-31");
	p = period_as_of("last-quarter", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2025-10-01", "2025-12-31");
	p = period_as_of("this-quarter", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-01-01", "2026-01-01");
	p = period_as_of("ytd", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-01-01", "2026-01-01");
	p = period_as_of("last-year", "2026-01-01");
	CHECK_PERIOD(p, KA_PERIOD_YEAR, "2025-01-01", "2025-12-31");
}

static void
test_period_relative_edges(void)
{
	ka_period p;

	/* On a Monday this-week is that one day. */
	p = period_as_of("this-week", "2026-11-23");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-23", "2026-11-23");
	/* On a Sunday last-week is still the week before. */
	p = period_as_of("last-week", "2026-11-29");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	/* A year back from a leap day clamps to 02-28. */
	p = period_as_of("last-12m", "2024-02-29");
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2023-03-01", "2024-02-29");
	p = period_as_of("last-month", "2024-03-31");
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	/* The week after 2026-W53. */
	p = period_as_of("last-week", "2027-01-06");
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-12-28", "2027-01-03");
}

static void
test_period_error_messages(void)
{
	char error[300];

	CHECK_STR(period_error("2026-Q5", error, sizeof(error)),
	    "bad period \"2026-Q5\": quarter must be 1..4");
	CHECK_STR(period_error("2025-W53", error, sizeof(error)),
	    "bad period \"2025-W53\": ISO year 2025 has only 52 weeks");
	CHECK_STR(period_error("2026-13", error, sizeof(error)),
	    "bad period \"2026-13\": month must be 1..12");
	CHECK_STR(period_error("2026-02-30", error, sizeof(error)),
	    "bad period \"2026-02-30\": 2026-02 has no day 30");
	CHECK_STR(period_error("2026-13-01", error, sizeof(error)),
	    "bad period \"2026-13-01\": month must be 1..12");
	CHECK_STR(period_error("0000", error, sizeof(error)),
	    "bad period \"0000\": year must be 1..9999");
	CHECK_STR(period_error("2026-W54", error, sizeof(error)),
	    "bad period \"2026-W54\": week must be 1..53");
	CHECK_STR(period_error("2026-11-30..2026-11-01", error, sizeof(error)),
	    "bad period \"2026-11-30..2026-11-01\": "
	    "the first date is after the last");
	CHECK_STR(period_error("2026-11-01..tomorrow", error, sizeof(error)),
	    "bad period \"2026-11-01..tomorrow\": \"tomorrow\" is not a date");
	CHECK_STR(period_error("last-0d", error, sizeof(error)),
	    "bad period \"last-0d\": the count must be at least 1");
	CHECK_STR(period_error("last-99999999d", error, sizeof(error)),
	    "bad period \"last-99999999d\": reaches back before year 1");
	CHECK_STR(period_error("  ", error, sizeof(error)),
	    "bad period \"\": empty");
	CHECK_STR(period_error("next-week", error, sizeof(error)),
	    "bad period \"next-week\": expected YYYY, YYYY-Qn, YYYY-MM, "
	    "YYYY-Www, a date, FIRST..LAST, last-week, last-month, "
	    "last-quarter, last-year, this-week, this-month, this-quarter, "
	    "ytd, last-12m, last-Nd or last-Nw");
}

static void
test_period_rejects(void)
{
	static const char *const bad[] = {
		"2026-Q0", "2026-Q", "2026-q12", "2026-Q1x", "2026-W00",
		"2026-W", "2026-W5x", "2021-W53", "2026-00", "2026-1x",
		"2026-111", "26", "202", "20265", "10000", "last-", "last-d",
		"last-3x", "last-3", "last-w", "this-12m", "this-", "ytd2",
		"last-weeks", "2026..", "..2026-01-01", "2026-11-01...2026-11-02",
		"2026-Q3..2026-Q4", "2026-11-27x", "2026\n", "-2026",
	};
	char error[300];
	size_t i;
	ka_period p;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error[0] = '\0';
		if (ka_period_parse(bad[i], D(AS_OF_TEXT), &p, error,
		    sizeof(error)) == 0) {
			printf("  \"%s\" accepted\n", bad[i]);
			check_failures++;
			continue;
		}
		CHECK(strncmp(error, "bad period \"", 12) == 0);
		CHECK(strchr(error, '\n') == NULL);
	}
}

static void
test_period_error_text_is_one_line_and_short(void)
{
	char error[300], long_text[201];
	int i;

	CHECK_STR(period_error("2026\n", error, sizeof(error)),
	    "bad period \"2026?\": expected YYYY, YYYY-Qn, YYYY-MM, "
	    "YYYY-Www, a date, FIRST..LAST, last-week, last-month, "
	    "last-quarter, last-year, this-week, this-month, this-quarter, "
	    "ytd, last-12m, last-Nd or last-Nw");
	memset(long_text, 'x', 200);
	long_text[200] = '\0';
	period_error(long_text, error, sizeof(error));
	CHECK(strncmp(error, "bad period \"xxxxxxxxxx", 22) == 0);
	CHECK(strspn(error + 12, "x") == 60);
	CHECK(strncmp(error + 12 + 60, "...\": expected ", 15) == 0);

	/* 30 three-byte characters: the cut at 60 bytes falls between two. */
	long_text[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(long_text, "\xe5\xb9\xb4");
	period_error(long_text, error, sizeof(error));
	CHECK(strncmp(error + 12 + 57, "\xe5\xb9\xb4...\": ", 9) == 0);

	/* One byte more in front and the cut would split a character, so
	   the quote stops before it. */
	strcpy(long_text, "x");
	for (i = 0; i < 30; i++)
		strcat(long_text, "\xe5\xb9\xb4");
	period_error(long_text, error, sizeof(error));
	CHECK(strncmp(error + 12 + 1 + 54, "\xe5\xb9\xb4...\": ", 9) == 0);
}

static void
test_period_error_buffer_limits(void)
{
	char error[10];
	ka_period p;

	memset(error, '#', sizeof(error));
	CHECK_INT(ka_period_parse("2026-Q5", D(AS_OF_TEXT), &p, error,
	    sizeof(error)), -1);
	CHECK_STR(error, "bad perio");
	CHECK_INT(ka_period_parse("2026-Q5", D(AS_OF_TEXT), &p, NULL, 0), -1);
	CHECK_INT(ka_period_parse("2026-Q5", D(AS_OF_TEXT), &p, error, 0), -1);
}

static void
test_period_relative_needs_as_of(void)
{
	char error[200];
	ka_period p;

	CHECK_INT(ka_period_parse("last-week", KA_DATE_NONE, &p, error,
	    sizeof(error)), -1);
	CHECK_STR(error,
	    "bad period \"last-week\": a relative period needs a reference date");
	CHECK_INT(ka_period_parse("2026-W47", KA_DATE_NONE, &p, error,
	    sizeof(error)), 0);
}

static void
test_period_previous(void)
{
	ka_period p, before;

	p = make(KA_PERIOD_YEAR, "2026-01-01", "2026-12-31");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_YEAR, "2025-01-01", "2025-12-31");
	p = make(KA_PERIOD_QUARTER, "2026-01-01", "2026-03-31");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_QUARTER, "2025-10-01", "2025-12-31");
	p = make(KA_PERIOD_QUARTER, "2026-07-01", "2026-09-30");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_QUARTER, "2026-04-01", "2026-06-30");
	p = make(KA_PERIOD_MONTH, "2024-03-01", "2024-03-31");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	p = make(KA_PERIOD_MONTH, "2026-01-01", "2026-01-31");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_MONTH, "2025-12-01", "2025-12-31");
	p = make(KA_PERIOD_WEEK, "2026-11-23", "2026-11-29");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	p = make(KA_PERIOD_DAY, "2026-03-01", "2026-03-01");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_DAY, "2026-02-28", "2026-02-28");
	p = make(KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_RANGE, "2026-10-05", "2026-11-01");
	p = make(KA_PERIOD_RANGE, "2024-03-01", "2024-03-31");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_RANGE, "2024-01-30", "2024-02-29");
}

static void
test_period_previous_of_week_1_is_week_53(void)
{
	ka_period p, before;

	p = period("2027-W01");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_WEEK, "2026-12-28", "2027-01-03");
	p = period("2026-W01");
	before = ka_period_previous(&p);
	CHECK_PERIOD(before, KA_PERIOD_WEEK, "2025-12-22", "2025-12-28");
}

static void
test_period_year_ago(void)
{
	ka_period p, ago;

	p = make(KA_PERIOD_YEAR, "2026-01-01", "2026-12-31");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_YEAR, "2025-01-01", "2025-12-31");
	p = make(KA_PERIOD_QUARTER, "2026-07-01", "2026-09-30");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_QUARTER, "2025-07-01", "2025-09-30");
	p = make(KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_MONTH, "2023-02-01", "2023-02-28");
	p = make(KA_PERIOD_MONTH, "2025-02-01", "2025-02-28");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	p = make(KA_PERIOD_WEEK, "2026-11-16", "2026-11-22");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_WEEK, "2025-11-17", "2025-11-23");
	/* 2021-W01 began in 2021, 2020-W01 in 2019. */
	p = make(KA_PERIOD_WEEK, "2021-01-04", "2021-01-10");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_WEEK, "2019-12-30", "2020-01-05");
	p = make(KA_PERIOD_DAY, "2026-11-27", "2026-11-27");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_DAY, "2025-11-27", "2025-11-27");
	p = period("ytd");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_RANGE, "2025-01-01", "2025-11-27");
	p = period("last-12m");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_RANGE, "2024-11-28", "2025-11-27");
}

static void
test_period_year_ago_of_week_53(void)
{
	ka_period p, ago;

	/* 2025 has no week 53, so 2026-W53 maps onto 2025-W52. */
	p = period("2026-W53");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_WEEK, "2025-12-22", "2025-12-28");
	p = period("2020-W53");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_WEEK, "2019-12-23", "2019-12-29");
	/* 2015 and 2020 both have 53 weeks, but not the years between;
	   2016-W52 stays W52. */
	p = period("2016-W52");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_WEEK, "2015-12-21", "2015-12-27");
}

static void
test_period_year_ago_of_leap_day(void)
{
	ka_period p, ago;

	p = make(KA_PERIOD_DAY, "2024-02-29", "2024-02-29");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_DAY, "2023-02-28", "2023-02-28");
	p = make(KA_PERIOD_RANGE, "2024-02-01", "2024-02-29");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_RANGE, "2023-02-01", "2023-02-28");
	p = make(KA_PERIOD_RANGE, "2023-03-01", "2024-02-29");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_RANGE, "2022-03-01", "2023-02-28");
	p = make(KA_PERIOD_RANGE, "2025-02-28", "2025-03-01");
	ago = ka_period_year_ago(&p);
	CHECK_PERIOD(ago, KA_PERIOD_RANGE, "2024-02-28", "2024-03-01");
}

#define CHECK_FORMAT(p, want) do { \
	char check_text[KA_PERIOD_BUFSIZE]; \
	CHECK_INT(ka_period_format(&(p), check_text, sizeof(check_text)), \
	    strlen(want)); \
	CHECK_STR(check_text, (want)); \
} while (0)

static void
test_period_format(void)
{
	ka_period p;

	p = period("2026");
	CHECK_FORMAT(p, "2026");
	p = period("2026-q3");
	CHECK_FORMAT(p, "2026-Q3");
	p = period("2026-1");
	CHECK_FORMAT(p, "2026-01");
	p = period("2026-w1");
	CHECK_FORMAT(p, "2026-W01");
	p = period("2026/11/27");
	CHECK_FORMAT(p, "2026-11-27");
	p = period("2026-11-2..2026-11-29");
	CHECK_FORMAT(p, "2026-11-02..2026-11-29");
	p = period("last-week");
	CHECK_FORMAT(p, "2026-W47");
	p = period("last-month");
	CHECK_FORMAT(p, "2026-10");
	p = period("last-quarter");
	CHECK_FORMAT(p, "2026-Q3");
	p = period("last-year");
	CHECK_FORMAT(p, "2025");
	p = period("ytd");
	CHECK_FORMAT(p, "2026-01-01..2026-11-27");
	/* 2024-12-30 opens ISO year 2025. */
	p = make(KA_PERIOD_WEEK, "2024-12-30", "2025-01-05");
	CHECK_FORMAT(p, "2025-W01");
	p = make(KA_PERIOD_YEAR, "0001-01-01", "0001-12-31");
	CHECK_FORMAT(p, "0001");
}

static void
test_period_format_truncates_like_snprintf(void)
{
	ka_period p = make(KA_PERIOD_RANGE, "2026-11-02", "2026-11-29");
	char small[8];

	memset(small, '#', sizeof(small));
	CHECK_INT(ka_period_format(&p, small, sizeof(small)), 22);
	CHECK_STR(small, "2026-11");
	CHECK_INT(ka_period_format(&p, NULL, 0), 22);
}

static void
test_period_format_round_trip(void)
{
	static const enum ka_period_kind kinds[] = {
		KA_PERIOD_YEAR, KA_PERIOD_QUARTER, KA_PERIOD_MONTH,
		KA_PERIOD_WEEK, KA_PERIOD_DAY, KA_PERIOD_RANGE
	};
	char text[KA_PERIOD_BUFSIZE], error[200];
	ka_period p, back;
	long long day;
	size_t i;
	int bad = 0;

	for (day = oracle_days(2019, 1, 1); day <= oracle_days(2028, 12, 31) &&
	    !bad; day++) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			p = ka_period_of(kinds[i], (ka_date)day);
			if (i == 5)
				p.last = (ka_date)(day + 30);
			ka_period_format(&p, text, sizeof(text));
			if (ka_period_parse(text, KA_DATE_NONE, &back, error,
			    sizeof(error)) != 0 || back.kind != p.kind ||
			    back.first != p.first || back.last != p.last) {
				printf("  day %lld kind %d: \"%s\" %s\n", day,
				    (int)kinds[i], text, error);
				bad = 1;
				break;
			}
		}
	}
	CHECK(!bad);
}

static void
test_period_of(void)
{
	ka_date d = D("2026-11-27");
	ka_period p;

	p = ka_period_of(KA_PERIOD_YEAR, d);
	CHECK_PERIOD(p, KA_PERIOD_YEAR, "2026-01-01", "2026-12-31");
	p = ka_period_of(KA_PERIOD_QUARTER, d);
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2026-10-01", "2026-12-31");
	p = ka_period_of(KA_PERIOD_MONTH, d);
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2026-11-01", "2026-11-30");
	p = ka_period_of(KA_PERIOD_WEEK, d);
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-23", "2026-11-29");
	p = ka_period_of(KA_PERIOD_DAY, d);
	CHECK_PERIOD(p, KA_PERIOD_DAY, "2026-11-27", "2026-11-27");
	p = ka_period_of(KA_PERIOD_RANGE, d);
	CHECK_PERIOD(p, KA_PERIOD_RANGE, "2026-11-27", "2026-11-27");

	p = ka_period_of(KA_PERIOD_QUARTER, D("2024-02-10"));
	CHECK_PERIOD(p, KA_PERIOD_QUARTER, "2024-01-01", "2024-03-31");
	p = ka_period_of(KA_PERIOD_MONTH, D("2024-02-10"));
	CHECK_PERIOD(p, KA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	p = ka_period_of(KA_PERIOD_WEEK, D("2027-01-02"));
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-12-28", "2027-01-03");
	p = ka_period_of(KA_PERIOD_WEEK, D("2026-11-23"));
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-23", "2026-11-29");
	p = ka_period_of(KA_PERIOD_WEEK, D("2026-11-29"));
	CHECK_PERIOD(p, KA_PERIOD_WEEK, "2026-11-23", "2026-11-29");
}

static void
test_period_contains_and_days(void)
{
	ka_period p;

	p = period("2026-W47");
	CHECK_INT(ka_period_days(&p), 7);
	CHECK_INT(ka_period_contains(&p, D("2026-11-16")), 1);
	CHECK_INT(ka_period_contains(&p, D("2026-11-22")), 1);
	CHECK_INT(ka_period_contains(&p, D("2026-11-15")), 0);
	CHECK_INT(ka_period_contains(&p, D("2026-11-23")), 0);
	CHECK_INT(ka_period_contains(&p, KA_DATE_NONE), 0);
	p = period("2024");
	CHECK_INT(ka_period_days(&p), 366);
	p = period("2026");
	CHECK_INT(ka_period_days(&p), 365);
	p = period("2026-Q1");
	CHECK_INT(ka_period_days(&p), 90);
	p = period("2026-11-02..2026-11-29");
	CHECK_INT(ka_period_days(&p), 28);
	p = period("2026-11-27");
	CHECK_INT(ka_period_days(&p), 1);
	p = period("last-12m");
	CHECK_INT(ka_period_days(&p), 365);
}

int
main(void)
{
	RUN(test_oracle_anchors);
	RUN(test_from_ymd_known_days);
	RUN(test_ymd_round_trip_1900_to_2100);
	RUN(test_from_ymd_carries_out_of_range_fields);
	RUN(test_to_ymd_at_the_ends_of_the_range);
	RUN(test_leap_years);
	RUN(test_valid_ymd_bounds);
	RUN(test_parse_iso);
	RUN(test_parse_slash_and_single_digits);
	RUN(test_parse_with_time);
	RUN(test_parse_northwind);
	RUN(test_parse_sap_compact);
	RUN(test_parse_chinese);
	RUN(test_parse_surrounding_blanks);
	RUN(test_parse_reads_only_len_bytes);
	RUN(test_parse_rejects);
	RUN(test_parse_format);
	RUN(test_format);
	RUN(test_format_parse_round_trip);
	RUN(test_weekday);
	RUN(test_iso_week_at_year_edges);
	RUN(test_weeks_in_year);
	RUN(test_from_iso_week);
	RUN(test_iso_week_round_trip);
	RUN(test_add_months_clamps);
	RUN(test_add_months_crosses_years);
	RUN(test_today);
	RUN(test_period_year_quarter_month);
	RUN(test_period_week);
	RUN(test_period_day_and_range);
	RUN(test_period_relative_to_as_of);
	RUN(test_period_last_n);
	RUN(test_period_relative_case_and_blanks);
	RUN(test_period_relative_at_year_start);
	RUN(test_period_relative_edges);
	RUN(test_period_error_messages);
	RUN(test_period_rejects);
	RUN(test_period_error_text_is_one_line_and_short);
	RUN(test_period_error_buffer_limits);
	RUN(test_period_relative_needs_as_of);
	RUN(test_period_previous);
	RUN(test_period_previous_of_week_1_is_week_53);
	RUN(test_period_year_ago);
	RUN(test_period_year_ago_of_week_53);
	RUN(test_period_year_ago_of_leap_day);
	RUN(test_period_format);
	RUN(test_period_format_truncates_like_snprintf);
	RUN(test_period_format_round_trip);
	RUN(test_period_of);
	RUN(test_period_contains_and_days);
	return CHECK_EXIT();
}
