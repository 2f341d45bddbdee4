/*
 * Calendar dates and reporting periods (DESIGN.md sections 3 and 4).  A
 * date is a day number, so comparing, subtracting and bucketing dates is
 * integer arithmetic; the calendar is the proleptic Gregorian one and
 * weeks are ISO 8601 weeks (Monday first, week 1 holds the first
 * Thursday).  Nothing here consults the time zone or the process-wide
 * state of the C library's time functions, so every function is safe to
 * call from several threads at once.
 */
#ifndef KA_DATE_H
#define KA_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t ka_date;	/* days since 1970-01-01 (negative before) */

#define KA_DATE_NONE	INT32_MIN	/* "no date" sentinel */

/* Room for "YYYY-MM-DD" and NUL. */
#define KA_DATE_BUFSIZE	11

/* Room for the longest period text, "YYYY-MM-DD..YYYY-MM-DD", and NUL. */
#define KA_PERIOD_BUFSIZE	23

/*
 * No validation: a month outside 1..12 carries into the year and a day
 * outside the month counts on from the 1st, so (2026, 13, 1) is
 * 2027-01-01 and (2026, 3, 0) is 2026-02-28.  The result is meaningful
 * only while it fits in a ka_date (about 5.8 million years either way).
 */
ka_date	ka_date_from_ymd(int year, int month, int day);

/* Any ka_date, KA_DATE_NONE included, has a year, month and day. */
void	ka_date_to_ymd(ka_date d, int *year, int *month, int *day);

/* 1 if a real calendar day in years 1..9999, else 0. */
int	ka_date_valid_ymd(int year, int month, int day);

/*
 * Parses the len bytes at s (no NUL needed); 0 on success, -1 if they
 * are not a date, and *out is written only on success.  Accepts, with
 * optional surrounding spaces and TABs:
 *	2026-11-27		(the fast path)
 *	2026/11/27, 2026-1-5, 2026/1/5
 *	2026-11-27T10:00:00	and the same with a space instead of the T;
 *				the time is H:MM, H:MM:SS or H:MM:SS.fraction
 *				with an optional Z, +hh, +hhmm or +hh:mm
 *				(or -) offset, checked and then ignored: the
 *				date is the one written, not converted to UTC
 *	2026-11-27 00:00:00.000	(Northwind)
 *	20261127		(SAP exports)
 *	2026年11月27日		optionally followed by a space and a time
 * Rejects impossible days (2026-02-30), years outside 1..9999 and
 * anything left over after the date and time.
 */
int	ka_date_parse(const char *s, size_t len, ka_date *out);

/*
 * --date-format: strptime(3) with strptime_format on a NUL-terminated
 * copy of the len bytes at s, which must be consumed entirely apart from
 * surrounding spaces and TABs.  A format without a year never matches; a
 * format without a month or day defaults them to January and the 1st,
 * so "%Y%m" reads monthly data.  0 on success, -1 otherwise.
 */
int	ka_date_parse_format(const char *s, size_t len,
	    const char *strptime_format, ka_date *out);

/*
 * Writes "YYYY-MM-DD" and a NUL into buf and returns 10.  Years outside
 * 0..9999 have no such form: buf becomes "" and the result is 0.
 */
size_t	ka_date_format(ka_date d, char buf[KA_DATE_BUFSIZE]);

/* ISO: 1 = Monday .. 7 = Sunday. */
int	ka_date_weekday(ka_date d);

/* The ISO year and week (1..53) holding d; near New Year the ISO year
   can differ from the calendar year. */
void	ka_date_iso_week(ka_date d, int *iso_year, int *week);

/* Day weekday (1 = Monday .. 7 = Sunday) of the ISO week; no validation,
   so week 0 is the last week of the previous ISO year. */
ka_date	ka_date_from_iso_week(int iso_year, int week, int weekday);

/* 52 or 53. */
int	ka_date_weeks_in_year(int iso_year);

/* Whole calendar months later (or earlier when negative), clamping the
   day to the month's length: 2024-01-31 + 1 is 2024-02-29. */
ka_date	ka_date_add_months(ka_date d, int months);

/* The UTC date now, from time(NULL). */
ka_date	ka_date_today(void);

enum ka_period_kind {
	KA_PERIOD_YEAR,
	KA_PERIOD_QUARTER,
	KA_PERIOD_MONTH,
	KA_PERIOD_WEEK,		/* ISO week, Monday..Sunday */
	KA_PERIOD_DAY,
	KA_PERIOD_RANGE		/* any run of days */
};

typedef struct {
	enum ka_period_kind kind;
	ka_date first, last;	/* inclusive bounds */
} ka_period;

/*
 * Parses a period; 0 on success, -1 with a one-line message such as
 * `bad period "2026-Q5": quarter must be 1..4` in error (truncated to
 * error_size; error may be NULL).  Surrounding spaces are ignored and
 * letters may be in either case.  Forms:
 *	2026		YEAR
 *	2026-Q3		QUARTER
 *	2026-11		MONTH
 *	2026-W47	WEEK (the week must exist in that ISO year)
 *	2026-11-27	DAY, in any form ka_date_parse accepts
 *	FIRST..LAST	RANGE of two dates in any ka_date_parse form
 * and relative to as_of:
 *	last-week	WEEK before the one holding as_of
 *	last-month	MONTH, last-quarter QUARTER, last-year YEAR, likewise
 *	this-week	RANGE from the Monday of as_of's week to as_of
 *	this-month	RANGE from the 1st of as_of's month to as_of
 *	this-quarter	RANGE from the 1st of as_of's quarter to as_of
 *	ytd		RANGE from January 1st to as_of (also this-year)
 *	last-Nd		RANGE of N days ending at as_of (last-28d)
 *	last-Nw		RANGE of N * 7 days ending at as_of
 *	last-Nm		RANGE from as_of minus N months plus one day to as_of
 *			(last-12m is the usual one)
 * A relative form with as_of KA_DATE_NONE is an error.
 */
int	ka_period_parse(const char *text, ka_date as_of, ka_period *out,
	    char *error, size_t error_size);

/*
 * The period just before p with the same kind and length: the previous
 * year, quarter, month, ISO week or day; for a RANGE, as many days
 * ending the day before p->first.
 */
ka_period ka_period_previous(const ka_period *p);

/*
 * The same period a year earlier: the same year, quarter or month unit;
 * the same ISO week number in the previous ISO year (week 53 becomes 52
 * when that year has no week 53); for a DAY or RANGE each bound moved
 * back 12 months with ka_date_add_months, so a ytd range maps onto the
 * same stretch of last year and 2024-02-29 onto 2023-02-28.
 */
ka_period ka_period_year_ago(const ka_period *p);

/*
 * Writes the canonical text ("2026", "2026-Q3", "2026-11", "2026-W47",
 * "2026-11-27", "2026-11-02..2026-11-29"), which ka_period_parse reads
 * back to the same period.  Like snprintf: returns the length of the
 * whole text and writes at most size bytes, NUL included;
 * KA_PERIOD_BUFSIZE is always enough.
 */
size_t	ka_period_format(const ka_period *p, char *buf, size_t size);

/* 1 if first <= d <= last, else 0. */
int	ka_period_contains(const ka_period *p, ka_date d);

/* Number of days, both bounds included. */
int	ka_period_days(const ka_period *p);

/* The YEAR, QUARTER, MONTH, WEEK or DAY holding d, for bucketing; a
   RANGE kind gives the one-day range of d. */
ka_period ka_period_of(enum ka_period_kind kind, ka_date d);

#endif
