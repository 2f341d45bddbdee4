/*
 * libFuzzer harness for the date and period parsers.  Beyond "does not
 * crash", it checks that whatever is accepted is a real date or a sane
 * period, and that the canonical text written for it reads back to the
 * same value; a parser that accepts garbage as some other day fails
 * here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_date.h"

/* Inputs longer than this gain nothing: every form is short. */
#define INPUT_MAX	512

#define REQUIRE(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n", \
		    __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* 0001-01-01 and 9999-12-31 as day numbers (Python's datetime). */
#define YEAR_1_START	(-719162)
#define YEAR_9999_END	2932896

static int
within_years_1_to_9999(const ka_period *p)
{
	return p->first >= YEAR_1_START && p->last <= YEAR_9999_END;
}

static void
check_period(const ka_period *p)
{
	char text[KA_PERIOD_BUFSIZE], error[256];
	ka_period back, previous, year_ago;
	size_t length;

	REQUIRE(p->kind >= KA_PERIOD_YEAR && p->kind <= KA_PERIOD_RANGE);
	REQUIRE(p->first <= p->last);
	REQUIRE(ka_period_days(p) >= 1);
	REQUIRE(ka_period_contains(p, p->first));
	REQUIRE(ka_period_contains(p, p->last));
	REQUIRE(!ka_period_contains(p, p->last + 1));

	length = ka_period_format(p, text, sizeof(text));
	REQUIRE(length < sizeof(text));
	REQUIRE(strlen(text) == length);
	if (within_years_1_to_9999(p)) {
		/* Canonical text is absolute, so no reference date. */
		REQUIRE(ka_period_parse(text, KA_DATE_NONE, &back, error,
		    sizeof(error)) == 0);
		REQUIRE(back.kind == p->kind);
		REQUIRE(back.first == p->first);
		REQUIRE(back.last == p->last);
	}

	previous = ka_period_previous(p);
	REQUIRE(previous.kind == p->kind);
	REQUIRE(previous.last == p->first - 1);
	REQUIRE(previous.first <= previous.last);
	if (p->kind == KA_PERIOD_RANGE || p->kind == KA_PERIOD_DAY ||
	    p->kind == KA_PERIOD_WEEK)
		REQUIRE(ka_period_days(&previous) == ka_period_days(p));

	year_ago = ka_period_year_ago(p);
	REQUIRE(year_ago.kind == p->kind);
	REQUIRE(year_ago.first <= year_ago.last);
	REQUIRE(year_ago.last < p->last);
	if (p->kind == KA_PERIOD_WEEK)
		REQUIRE(ka_period_days(&year_ago) == 7);
}

static void
check_date(ka_date d)
{
	char text[KA_DATE_BUFSIZE];
	ka_date back;
	int year, month, day, iso_year, week, weekday;
	enum ka_period_kind kind;
	ka_period unit;

	ka_date_to_ymd(d, &year, &month, &day);
	REQUIRE(ka_date_valid_ymd(year, month, day));
	REQUIRE(ka_date_from_ymd(year, month, day) == d);

	REQUIRE(ka_date_format(d, text) == 10);
	REQUIRE(ka_date_parse(text, 10, &back) == 0);
	REQUIRE(back == d);

	weekday = ka_date_weekday(d);
	REQUIRE(weekday >= 1 && weekday <= 7);
	ka_date_iso_week(d, &iso_year, &week);
	REQUIRE(week >= 1 && week <= ka_date_weeks_in_year(iso_year));
	REQUIRE(ka_date_from_iso_week(iso_year, week, weekday) == d);

	back = ka_date_add_months(d, -12);
	REQUIRE(back < d && d - back >= 365 && d - back <= 366);

	for (kind = KA_PERIOD_YEAR; kind <= KA_PERIOD_RANGE; kind++) {
		unit = ka_period_of(kind, d);
		REQUIRE(unit.kind == kind);
		REQUIRE(ka_period_contains(&unit, d));
		check_period(&unit);
	}
}

static void
check_period_text(const char *text, ka_date as_of)
{
	char error[128];
	ka_period p;

	memset(error, 'z', sizeof(error));
	if (ka_period_parse(text, as_of, &p, error, sizeof(error)) == 0) {
		check_period(&p);
		return;
	}
	REQUIRE(memchr(error, '\0', sizeof(error)) != NULL);
	REQUIRE(strncmp(error, "bad period \"", 12) == 0);
	REQUIRE(strchr(error, '\n') == NULL);
	REQUIRE(strchr(error, '\r') == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char copy[INPUT_MAX + 1];
	ka_date d, as_of;

	if (size > INPUT_MAX)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';

	/* The raw bytes, unterminated, catch any read past len. */
	if (ka_date_parse((const char *)data, size, &d) == 0)
		check_date(d);
	if (ka_date_parse(copy, size, &d) == 0)
		check_date(d);
	if (ka_date_parse_format(copy, size, "%d.%m.%Y", &d) == 0)
		check_date(d);

	as_of = ka_date_from_ymd(2026, 11, 27);
	check_period_text(copy, as_of);
	check_period_text(copy, KA_DATE_NONE);
	/* Reference dates at the ends of the calendar test the edges of
	   the relative forms. */
	check_period_text(copy, YEAR_1_START);
	check_period_text(copy, YEAR_9999_END);
	return 0;
}
