/* strptime(3) is POSIX, not C11. */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ka_date.h"
#include "ka_text.h"

/*
 * ka_date_from_ymd counts days from 1 March of year 0, so that February,
 * the one month of variable length, ends the counting year: the days
 * before each month then follow one formula and the leap day is always
 * the last day of a year.  1970-01-01 is this many days after that
 * origin.
 */
#define DAYS_FROM_MARCH_0000_TO_EPOCH	719468

/* The Gregorian calendar repeats every 400 years, which hold this many
   days. */
#define DAYS_PER_400_YEARS	146097

#define SECONDS_PER_DAY		86400

#define YEAR_MIN	1
#define YEAR_MAX	9999

/* strptime leaves tm_year alone when the format has no year.  The value
   stays far enough from INT_MIN that the C library's own weekday
   arithmetic on it cannot overflow. */
#define TM_YEAR_UNSET	(-100000)

/* Longest text ka_date_parse_format copies; nothing longer is a date. */
#define PARSE_FORMAT_MAX	256

/* How much of a bad period's text an error message quotes. */
#define QUOTED_TEXT_MAX		60

/* Counts in last-Nd, last-Nw and last-Nm beyond this cannot stay inside
   years 1..9999, and stopping here keeps the arithmetic from
   overflowing. */
#define RELATIVE_COUNT_MAX	10000000

static const char *const PERIOD_FORMS =
    "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www, a date, FIRST..LAST, "
    "last-week, last-month, last-quarter, last-year, this-week, "
    "this-month, this-quarter, ytd, last-12m, last-Nd or last-Nw";

static int64_t
floor_divide(int64_t a, int64_t b)
{
	int64_t quotient = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		quotient--;
	return quotient;
}

static int
is_leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int64_t year, int month)
{
	static const unsigned char length[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && is_leap_year(year))
		return 29;
	return length[month - 1];
}

/* month must be 1..12; day may be anything. */
static int64_t
days_since_epoch(int64_t year, int month, int64_t day)
{
	int64_t counting_year = month <= 2 ? year - 1 : year;
	int64_t month_from_march = month <= 2 ? month + 9 : month - 3;

	/* From March, every 5 months hold 153 days: 31 30 31 30 31. */
	return 365 * counting_year + floor_divide(counting_year, 4) -
	    floor_divide(counting_year, 100) +
	    floor_divide(counting_year, 400) +
	    (153 * month_from_march + 2) / 5 + day - 1 -
	    DAYS_FROM_MARCH_0000_TO_EPOCH;
}

static void
civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	static const short days_before_month[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	int64_t estimate, day_of_year;
	int leap, m;

	/* Dividing by the mean year length lands within a year or so of the
	   answer; the loops settle the rest. */
	estimate = 1970 + floor_divide(days * 400, DAYS_PER_400_YEARS);
	while (days_since_epoch(estimate + 1, 1, 1) <= days)
		estimate++;
	while (days_since_epoch(estimate, 1, 1) > days)
		estimate--;
	day_of_year = days - days_since_epoch(estimate, 1, 1);
	leap = is_leap_year(estimate);
	for (m = 11; m > 0; m--)
		if (day_of_year >= days_before_month[m] + (m >= 2 && leap))
			break;
	*year = estimate;
	*month = m + 1;
	*day = (int)(day_of_year - days_before_month[m] - (m >= 2 && leap)) + 1;
}

/*
 * Dates near either end of the ka_date range have no neighbours there;
 * going through int64_t keeps that from being undefined behaviour.
 */
static ka_date
date_plus(ka_date d, int64_t days)
{
	return (ka_date)((int64_t)d + days);
}

ka_date
ka_date_from_ymd(int year, int month, int day)
{
	int64_t months = (int64_t)year * 12 + month - 1;
	int64_t normal_year = floor_divide(months, 12);
	int normal_month = (int)(months - normal_year * 12) + 1;

	return (ka_date)days_since_epoch(normal_year, normal_month, day);
}

void
ka_date_to_ymd(ka_date d, int *year, int *month, int *day)
{
	int64_t wide_year;

	civil_from_days(d, &wide_year, month, day);
	*year = (int)wide_year;
}

int
ka_date_valid_ymd(int year, int month, int day)
{
	if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12)
		return 0;
	return day >= 1 && day <= days_in_month(year, month);
}

static int
finish_date(int year, int month, int day, ka_date *out)
{
	if (!ka_date_valid_ymd(year, month, day))
		return -1;
	/* Valid fields need none of ka_date_from_ymd's carrying. */
	*out = (ka_date)days_since_epoch(year, month, day);
	return 0;
}

/* Bytes not yet parsed, as unsigned so that UTF-8 compares simply. */
struct cursor {
	const unsigned char *at;
	const unsigned char *end;
};

static int
is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
at_end(const struct cursor *c)
{
	return c->at == c->end;
}

/* Reads min..max digits, at most 9 so that the value fits in an int. */
static int
take_digits(struct cursor *c, int min, int max, int *value)
{
	int count = 0, v = 0;

	while (count < max && c->at != c->end && is_digit(*c->at)) {
		v = v * 10 + (*c->at - '0');
		c->at++;
		count++;
	}
	*value = v;
	return count >= min ? 0 : -1;
}

static int
take_byte(struct cursor *c, unsigned char byte)
{
	if (c->at == c->end || *c->at != byte)
		return -1;
	c->at++;
	return 0;
}

static int
take_text(struct cursor *c, const char *text)
{
	size_t length = strlen(text);

	if ((size_t)(c->end - c->at) < length ||
	    memcmp(c->at, text, length) != 0)
		return -1;
	c->at += length;
	return 0;
}

/* An offset from UTC: Z, +hh, +hhmm or +hh:mm, or the same with '-'. */
static int
skip_utc_offset(struct cursor *c)
{
	int hours, minutes;

	if (take_byte(c, 'Z') == 0 || take_byte(c, 'z') == 0)
		return 0;
	if (take_byte(c, '+') != 0 && take_byte(c, '-') != 0)
		return -1;
	if (take_digits(c, 2, 2, &hours) != 0 || hours > 23)
		return -1;
	if (at_end(c))
		return 0;
	take_byte(c, ':');
	if (take_digits(c, 2, 2, &minutes) != 0 || minutes > 59)
		return -1;
	return 0;
}

/*
 * H:MM, H:MM:SS or H:MM:SS.fraction and an optional offset.  Checking
 * the time, although it is ignored, keeps a stray number or word after
 * the date from passing as part of it.
 */
static int
skip_time(struct cursor *c)
{
	int hour, minute, second, fraction;

	if (take_digits(c, 1, 2, &hour) != 0 || hour > 23 ||
	    take_byte(c, ':') != 0 ||
	    take_digits(c, 2, 2, &minute) != 0 || minute > 59)
		return -1;
	if (take_byte(c, ':') == 0) {
		/* 60 is a leap second. */
		if (take_digits(c, 2, 2, &second) != 0 || second > 60)
			return -1;
		if (take_byte(c, '.') == 0) {
			if (take_digits(c, 1, 9, &fraction) != 0)
				return -1;
			while (!at_end(c) && is_digit(*c->at))
				c->at++;
		}
	}
	if (!at_end(c) && skip_utc_offset(c) != 0)
		return -1;
	return at_end(c) ? 0 : -1;
}

/* After the date: nothing, or the separator and a time. */
static int
skip_time_after(struct cursor *c, int allow_t)
{
	if (at_end(c))
		return 0;
	if (take_byte(c, ' ') == 0 || (allow_t && take_byte(c, 'T') == 0))
		return skip_time(c);
	return -1;
}

/* 2026-11-27 or 2026/11/27, month and day of one or two digits; the
   two separators must agree. */
static int
take_separated_date(struct cursor *c, int *year, int *month, int *day)
{
	unsigned char separator;

	if (take_digits(c, 4, 4, year) != 0 || at_end(c))
		return -1;
	separator = *c->at;
	if (separator != '-' && separator != '/')
		return -1;
	c->at++;
	if (take_digits(c, 1, 2, month) != 0 ||
	    take_byte(c, separator) != 0 ||
	    take_digits(c, 1, 2, day) != 0)
		return -1;
	return 0;
}

/* 2026年11月27日 */
static int
take_chinese_date(struct cursor *c, int *year, int *month, int *day)
{
	if (take_digits(c, 4, 4, year) != 0 ||
	    take_text(c, "\xe5\xb9\xb4") != 0 ||
	    take_digits(c, 1, 2, month) != 0 ||
	    take_text(c, "\xe6\x9c\x88") != 0 ||
	    take_digits(c, 1, 2, day) != 0 ||
	    take_text(c, "\xe6\x97\xa5") != 0)
		return -1;
	return 0;
}

/* Everything but the fast path; s is trimmed. */
static int
parse_date_slowly(const char *s, size_t len, ka_date *out)
{
	struct cursor c;
	int year, month, day;

	c.at = (const unsigned char *)s;
	c.end = c.at + len;
	if (len < 5 || !is_digit(c.at[0]) || !is_digit(c.at[1]) ||
	    !is_digit(c.at[2]) || !is_digit(c.at[3]))
		return -1;
	if (c.at[4] == '-' || c.at[4] == '/') {
		if (take_separated_date(&c, &year, &month, &day) != 0 ||
		    skip_time_after(&c, 1) != 0)
			return -1;
	} else if (is_digit(c.at[4])) {
		/* SAP's 20261127: exactly eight digits, no time. */
		if (len != 8 || take_digits(&c, 4, 4, &year) != 0 ||
		    take_digits(&c, 2, 2, &month) != 0 ||
		    take_digits(&c, 2, 2, &day) != 0 || !at_end(&c))
			return -1;
	} else {
		if (take_chinese_date(&c, &year, &month, &day) != 0 ||
		    skip_time_after(&c, 0) != 0)
			return -1;
	}
	return finish_date(year, month, day, out);
}

int
ka_date_parse(const char *s, size_t len, ka_date *out)
{
	const unsigned char *u = (const unsigned char *)s;

	/* Nearly every date in real files is exactly this. */
	if (len == 10 && u[4] == '-' && u[7] == '-' &&
	    is_digit(u[0]) && is_digit(u[1]) && is_digit(u[2]) &&
	    is_digit(u[3]) && is_digit(u[5]) && is_digit(u[6]) &&
	    is_digit(u[8]) && is_digit(u[9]))
		return finish_date((u[0] - '0') * 1000 + (u[1] - '0') * 100 +
		    (u[2] - '0') * 10 + (u[3] - '0'),
		    (u[5] - '0') * 10 + (u[6] - '0'),
		    (u[8] - '0') * 10 + (u[9] - '0'), out);
	ka_text_trim(&s, &len);
	return parse_date_slowly(s, len, out);
}

int
ka_date_parse_format(const char *s, size_t len, const char *strptime_format,
    ka_date *out)
{
	char copy[PARSE_FORMAT_MAX];
	struct tm tm;
	const char *rest;
	long long year, month;

	ka_text_trim(&s, &len);
	/* A NUL inside would hide the bytes after it from strptime. */
	if (len >= sizeof(copy) || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = TM_YEAR_UNSET;
	tm.tm_mon = 0;
	tm.tm_mday = 1;
	rest = strptime(copy, strptime_format, &tm);
	if (rest == NULL)
		return -1;
	while (is_blank((unsigned char)*rest))
		rest++;
	if (*rest != '\0' || tm.tm_year == TM_YEAR_UNSET)
		return -1;

	year = (long long)tm.tm_year + 1900;
	month = (long long)tm.tm_mon + 1;
	if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12)
		return -1;
	return finish_date((int)year, (int)month, tm.tm_mday, out);
}

size_t
ka_date_format(ka_date d, char buf[KA_DATE_BUFSIZE])
{
	int year, month, day;

	ka_date_to_ymd(d, &year, &month, &day);
	if (year < 0 || year > YEAR_MAX) {
		buf[0] = '\0';
		return 0;
	}
	buf[0] = (char)('0' + year / 1000);
	buf[1] = (char)('0' + year / 100 % 10);
	buf[2] = (char)('0' + year / 10 % 10);
	buf[3] = (char)('0' + year % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + month / 10);
	buf[6] = (char)('0' + month % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = '\0';
	return 10;
}

int
ka_date_weekday(ka_date d)
{
	/* 1970-01-01 was a Thursday, ISO day 4. */
	int64_t shifted = (int64_t)d + 3;

	return (int)(shifted - floor_divide(shifted, 7) * 7) + 1;
}

void
ka_date_iso_week(ka_date d, int *iso_year, int *week)
{
	/* A week belongs to the ISO year that holds its Thursday. */
	int64_t thursday = (int64_t)d - ka_date_weekday(d) + 4;
	int64_t year;
	int month, day;

	civil_from_days(thursday, &year, &month, &day);
	*iso_year = (int)year;
	*week = (int)((thursday - days_since_epoch(year, 1, 1)) / 7) + 1;
}

ka_date
ka_date_from_iso_week(int iso_year, int week, int weekday)
{
	/* January 4th is always in week 1. */
	ka_date january_4 = ka_date_from_ymd(iso_year, 1, 4);
	int64_t monday_of_week_1 = (int64_t)january_4 -
	    ka_date_weekday(january_4) + 1;

	return (ka_date)(monday_of_week_1 + ((int64_t)week - 1) * 7 +
	    weekday - 1);
}

int
ka_date_weeks_in_year(int iso_year)
{
	int year, week;

	/* December 28th is always in the last week. */
	ka_date_iso_week(ka_date_from_ymd(iso_year, 12, 28), &year, &week);
	return week;
}

ka_date
ka_date_add_months(ka_date d, int months)
{
	int64_t year, total, new_year;
	int month, day, new_month, last_day;

	civil_from_days(d, &year, &month, &day);
	total = year * 12 + month - 1 + months;
	new_year = floor_divide(total, 12);
	new_month = (int)(total - new_year * 12) + 1;
	last_day = days_in_month(new_year, new_month);
	if (day > last_day)
		day = last_day;
	return (ka_date)days_since_epoch(new_year, new_month, day);
}

ka_date
ka_date_today(void)
{
	return (ka_date)floor_divide((int64_t)time(NULL), SECONDS_PER_DAY);
}

/* Periods. */

static ka_period
make_period(enum ka_period_kind kind, ka_date first, ka_date last)
{
	ka_period p;

	p.kind = kind;
	p.first = first;
	p.last = last;
	return p;
}

ka_period
ka_period_of(enum ka_period_kind kind, ka_date d)
{
	int year, month, day, quarter_month;
	ka_date first;

	ka_date_to_ymd(d, &year, &month, &day);
	switch (kind) {
	case KA_PERIOD_YEAR:
		return make_period(kind, ka_date_from_ymd(year, 1, 1),
		    ka_date_from_ymd(year, 12, 31));
	case KA_PERIOD_QUARTER:
		quarter_month = (month - 1) / 3 * 3 + 1;
		/* Day 0 of the next quarter's month is this quarter's end. */
		return make_period(kind,
		    ka_date_from_ymd(year, quarter_month, 1),
		    ka_date_from_ymd(year, quarter_month + 3, 0));
	case KA_PERIOD_MONTH:
		return make_period(kind, ka_date_from_ymd(year, month, 1),
		    ka_date_from_ymd(year, month + 1, 0));
	case KA_PERIOD_WEEK:
		first = date_plus(d, 1 - ka_date_weekday(d));
		return make_period(kind, first, date_plus(first, 6));
	case KA_PERIOD_DAY:
	case KA_PERIOD_RANGE:
		break;
	}
	return make_period(kind, d, d);
}

ka_period
ka_period_previous(const ka_period *p)
{
	int64_t length;

	if (p->kind != KA_PERIOD_RANGE)
		return ka_period_of(p->kind, date_plus(p->first, -1));
	length = (int64_t)p->last - p->first + 1;
	return make_period(KA_PERIOD_RANGE, date_plus(p->first, -length),
	    date_plus(p->first, -1));
}

ka_period
ka_period_year_ago(const ka_period *p)
{
	int iso_year, week, weeks;
	ka_date monday;

	switch (p->kind) {
	case KA_PERIOD_WEEK:
		ka_date_iso_week(p->first, &iso_year, &week);
		iso_year--;
		weeks = ka_date_weeks_in_year(iso_year);
		if (week > weeks)
			week = weeks;
		monday = ka_date_from_iso_week(iso_year, week, 1);
		return make_period(KA_PERIOD_WEEK, monday, date_plus(monday, 6));
	case KA_PERIOD_RANGE:
		return make_period(KA_PERIOD_RANGE,
		    ka_date_add_months(p->first, -12),
		    ka_date_add_months(p->last, -12));
	case KA_PERIOD_YEAR:
	case KA_PERIOD_QUARTER:
	case KA_PERIOD_MONTH:
	case KA_PERIOD_DAY:
		break;
	}
	return ka_period_of(p->kind, ka_date_add_months(p->first, -12));
}

size_t
ka_period_format(const ka_period *p, char *buf, size_t size)
{
	char first[KA_DATE_BUFSIZE], last[KA_DATE_BUFSIZE];
	int year, month, day, week, length;

	ka_date_to_ymd(p->first, &year, &month, &day);
	switch (p->kind) {
	case KA_PERIOD_YEAR:
		length = snprintf(buf, size, "%04d", year);
		break;
	case KA_PERIOD_QUARTER:
		length = snprintf(buf, size, "%04d-Q%d", year,
		    (month - 1) / 3 + 1);
		break;
	case KA_PERIOD_MONTH:
		length = snprintf(buf, size, "%04d-%02d", year, month);
		break;
	case KA_PERIOD_WEEK:
		ka_date_iso_week(p->first, &year, &week);
		length = snprintf(buf, size, "%04d-W%02d", year, week);
		break;
	case KA_PERIOD_DAY:
		ka_date_format(p->first, first);
		length = snprintf(buf, size, "%s", first);
		break;
	case KA_PERIOD_RANGE:
	default:
		ka_date_format(p->first, first);
		ka_date_format(p->last, last);
		length = snprintf(buf, size, "%s..%s", first, last);
		break;
	}
	return length < 0 ? 0 : (size_t)length;
}

int
ka_period_contains(const ka_period *p, ka_date d)
{
	return d >= p->first && d <= p->last;
}

int
ka_period_days(const ka_period *p)
{
	return (int)((int64_t)p->last - p->first + 1);
}

/* The period text being parsed, trimmed, and where to report on it. */
struct period_input {
	const char *text;	/* not NUL-terminated */
	size_t length;
	ka_date as_of;
	char *error;
	size_t error_size;
};

/*
 * Copies text for quoting in a message: control bytes become '?' so the
 * message stays on one line, and a long text is cut, never inside a
 * UTF-8 character, and marked with "...".
 */
static void
quote_for_message(const char *text, size_t length, char *buf)
{
	size_t taken, kept;

	for (taken = 0; taken < length && taken < QUOTED_TEXT_MAX; taken++) {
		unsigned char c = (unsigned char)text[taken];

		buf[taken] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	kept = taken;
	if (taken < length) {
		if (((unsigned char)text[taken] & 0xc0) == 0x80) {
			while (kept > 0 &&
			    ((unsigned char)buf[kept - 1] & 0xc0) == 0x80)
				kept--;
			if (kept > 0)
				kept--;
		}
		memcpy(buf + kept, "...", 3);
		kept += 3;
	}
	buf[kept] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
reject(const struct period_input *in, const char *reason_format, ...)
{
	char quoted[QUOTED_TEXT_MAX + 4];
	int used;
	va_list reason_arguments;

	if (in->error == NULL || in->error_size == 0)
		return -1;
	quote_for_message(in->text, in->length, quoted);
	used = snprintf(in->error, in->error_size, "bad period \"%s\": ",
	    quoted);
	if (used < 0 || (size_t)used >= in->error_size)
		return -1;
	va_start(reason_arguments, reason_format);
	vsnprintf(in->error + used, in->error_size - (size_t)used,
	    reason_format, reason_arguments);
	va_end(reason_arguments);
	return -1;
}

static int
equals_ignoring_case(const char *text, size_t length, const char *word)
{
	size_t i;

	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if (word[i] == '\0')
			return 0;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)word[i])
			return 0;
	}
	return word[length] == '\0';
}

static int
starts_ignoring_case(const char *text, size_t length, const char *prefix)
{
	size_t prefix_length = strlen(prefix);

	return length >= prefix_length &&
	    equals_ignoring_case(text, prefix_length, prefix);
}

static int
parse_range(const struct period_input *in, const char *dots, ka_period *out)
{
	const char *second = dots + 2;
	size_t first_length = (size_t)(dots - in->text);
	size_t second_length = in->length - first_length - 2;
	char quoted[QUOTED_TEXT_MAX + 4];
	ka_date first, last;

	if (ka_date_parse(in->text, first_length, &first) != 0) {
		quote_for_message(in->text, first_length, quoted);
		return reject(in, "\"%s\" is not a date", quoted);
	}
	if (ka_date_parse(second, second_length, &last) != 0) {
		quote_for_message(second, second_length, quoted);
		return reject(in, "\"%s\" is not a date", quoted);
	}
	if (first > last)
		return reject(in, "the first date is after the last");
	*out = make_period(KA_PERIOD_RANGE, first, last);
	return 0;
}

/* last-Nd, last-Nw, last-Nm; rest is the text after "last-". */
static int
parse_last_count(const struct period_input *in, const char *rest,
    size_t rest_length, ka_period *out)
{
	int64_t count = 0, first;
	size_t i;
	int unit;

	for (i = 0; i < rest_length && is_digit((unsigned char)rest[i]); i++)
		if (count <= RELATIVE_COUNT_MAX)
			count = count * 10 + (rest[i] - '0');
	if (i == 0 || i + 1 != rest_length)
		return reject(in, "%s", PERIOD_FORMS);
	unit = rest[i] | 0x20;		/* ASCII lower case */
	if (unit != 'd' && unit != 'w' && unit != 'm')
		return reject(in, "%s", PERIOD_FORMS);
	if (count == 0)
		return reject(in, "the count must be at least 1");
	if (count > RELATIVE_COUNT_MAX)
		return reject(in, "reaches back before year %d", YEAR_MIN);
	if (unit == 'm')
		first = (int64_t)ka_date_add_months(in->as_of,
		    -(int)count) + 1;
	else
		first = (int64_t)in->as_of - count * (unit == 'w' ? 7 : 1) + 1;
	if (first < ka_date_from_ymd(YEAR_MIN, 1, 1))
		return reject(in, "reaches back before year %d", YEAR_MIN);
	*out = make_period(KA_PERIOD_RANGE, (ka_date)first, in->as_of);
	return 0;
}

static int
parse_relative(const struct period_input *in, ka_period *out)
{
	static const struct {
		const char *name;
		enum ka_period_kind kind;
	} units[] = {
		{ "week", KA_PERIOD_WEEK },
		{ "month", KA_PERIOD_MONTH },
		{ "quarter", KA_PERIOD_QUARTER },
		{ "year", KA_PERIOD_YEAR },
	};
	const char *unit_name;
	size_t unit_length, i;
	ka_period current;
	int last;

	if (in->as_of == KA_DATE_NONE)
		return reject(in, "a relative period needs a reference date");
	if (equals_ignoring_case(in->text, in->length, "ytd")) {
		current = ka_period_of(KA_PERIOD_YEAR, in->as_of);
		*out = make_period(KA_PERIOD_RANGE, current.first, in->as_of);
		return 0;
	}
	/* The caller saw "last-" or "this-". */
	last = starts_ignoring_case(in->text, in->length, "last-");
	unit_name = in->text + 5;
	unit_length = in->length - 5;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!equals_ignoring_case(unit_name, unit_length,
		    units[i].name))
			continue;
		current = ka_period_of(units[i].kind, in->as_of);
		if (last)
			*out = ka_period_previous(&current);
		else
			*out = make_period(KA_PERIOD_RANGE, current.first,
			    in->as_of);
		return 0;
	}
	if (last)
		return parse_last_count(in, unit_name, unit_length, out);
	return reject(in, "%s", PERIOD_FORMS);
}

/* What is wrong with text shaped like a date that ka_date_parse
   refused. */
static int
explain_bad_date(const struct period_input *in)
{
	struct cursor c;
	int year, month, day;

	c.at = (const unsigned char *)in->text;
	c.end = c.at + in->length;
	if (take_separated_date(&c, &year, &month, &day) != 0) {
		c.at = (const unsigned char *)in->text;
		if (take_chinese_date(&c, &year, &month, &day) != 0)
			return reject(in, "%s", PERIOD_FORMS);
	}
	if (year < YEAR_MIN)
		return reject(in, "year must be %d..%d", YEAR_MIN, YEAR_MAX);
	if (month < 1 || month > 12)
		return reject(in, "month must be 1..12");
	if (!ka_date_valid_ymd(year, month, day))
		return reject(in, "%04d-%02d has no day %d", year, month, day);
	return reject(in, "%s", PERIOD_FORMS);
}

/* After "YYYY-Q" or "YYYY-W": one or more digits and nothing else. */
static int
take_number_to_end(struct cursor *c, int *value)
{
	if (take_digits(c, 1, 9, value) != 0 || !at_end(c))
		return -1;
	return 0;
}

static int
parse_calendar_unit(const struct period_input *in, ka_period *out)
{
	struct cursor c;
	int year, number;
	ka_date d;

	c.at = (const unsigned char *)in->text;
	c.end = c.at + in->length;
	if (take_digits(&c, 4, 4, &year) != 0)
		return reject(in, "%s", PERIOD_FORMS);
	if (at_end(&c)) {
		if (year < YEAR_MIN)
			return reject(in, "year must be %d..%d", YEAR_MIN,
			    YEAR_MAX);
		*out = ka_period_of(KA_PERIOD_YEAR,
		    ka_date_from_ymd(year, 1, 1));
		return 0;
	}
	if (take_byte(&c, '-') == 0 && !at_end(&c)) {
		if ((*c.at | 0x20) == 'q') {
			c.at++;
			if (take_number_to_end(&c, &number) != 0 ||
			    number < 1 || number > 4)
				return reject(in, "quarter must be 1..4");
			if (year < YEAR_MIN)
				return reject(in, "year must be %d..%d",
				    YEAR_MIN, YEAR_MAX);
			*out = ka_period_of(KA_PERIOD_QUARTER,
			    ka_date_from_ymd(year, (number - 1) * 3 + 1, 1));
			return 0;
		}
		if ((*c.at | 0x20) == 'w') {
			c.at++;
			if (take_number_to_end(&c, &number) != 0 ||
			    number < 1 || number > 53)
				return reject(in, "week must be 1..53");
			if (year < YEAR_MIN)
				return reject(in, "year must be %d..%d",
				    YEAR_MIN, YEAR_MAX);
			if (number > ka_date_weeks_in_year(year))
				return reject(in,
				    "ISO year %04d has only %d weeks", year,
				    ka_date_weeks_in_year(year));
			*out = ka_period_of(KA_PERIOD_WEEK,
			    ka_date_from_iso_week(year, number, 1));
			return 0;
		}
		if (take_digits(&c, 1, 2, &number) == 0 && at_end(&c)) {
			if (number < 1 || number > 12)
				return reject(in, "month must be 1..12");
			if (year < YEAR_MIN)
				return reject(in, "year must be %d..%d",
				    YEAR_MIN, YEAR_MAX);
			*out = ka_period_of(KA_PERIOD_MONTH,
			    ka_date_from_ymd(year, number, 1));
			return 0;
		}
	}
	if (ka_date_parse(in->text, in->length, &d) != 0)
		return explain_bad_date(in);
	*out = make_period(KA_PERIOD_DAY, d, d);
	return 0;
}

static const char *
find_dots(const char *text, size_t length)
{
	size_t i;

	for (i = 0; i + 1 < length; i++)
		if (text[i] == '.' && text[i + 1] == '.')
			return text + i;
	return NULL;
}

int
ka_period_parse(const char *text, ka_date as_of, ka_period *out,
    char *error, size_t error_size)
{
	struct period_input in;
	const char *dots;

	in.text = text;
	in.length = strlen(text);
	in.as_of = as_of;
	in.error = error;
	in.error_size = error_size;
	ka_text_trim(&in.text, &in.length);
	if (error != NULL && error_size > 0)
		error[0] = '\0';

	if (in.length == 0)
		return reject(&in, "empty");
	if ((dots = find_dots(in.text, in.length)) != NULL)
		return parse_range(&in, dots, out);
	if (starts_ignoring_case(in.text, in.length, "last-") ||
	    starts_ignoring_case(in.text, in.length, "this-") ||
	    equals_ignoring_case(in.text, in.length, "ytd"))
		return parse_relative(&in, out);
	return parse_calendar_unit(&in, out);
}
