/*
 * Unit tests of common/ka_filter.c: --where COLUMN OP VALUE.  Each
 * condition is run against hand-made records, and the expected answer
 * (pass or not) is worked out by hand from the operator's meaning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ka_filter.h"
#include "ka_reader.h"
#include "ka_roles.h"

struct fake_record {
	ka_record	 rec;
	char		 text[65536];
	uint32_t	 offset[64];
};

/* fields[i] is lengths[i] bytes long, or a C string when lengths is NULL. */
static const ka_record *
make_record(struct fake_record *f, unsigned long line, size_t n,
    const char *const *fields, const size_t *lengths)
{
	size_t i, used = 0, length;

	/* PCRE2's JIT may load a few bytes past a subject's end (aligned,
	 * never acted upon): they are zeros here, so valgrind is quiet. */
	memset(f->text, 0, sizeof(f->text));
	for (i = 0; i < n; i++) {
		length = lengths != NULL ? lengths[i] : strlen(fields[i]);
		f->offset[i] = (uint32_t)used;
		memcpy(f->text + used, fields[i], length);
		f->text[used + length] = '\0';
		used += length + 1;
	}
	f->offset[n] = (uint32_t)used;
	f->rec.base = f->text;
	f->rec.offset = f->offset;
	f->rec.nfields = n;
	f->rec.file = "sales.csv";
	f->rec.line = line;
	f->rec.end_line = line;
	f->rec.number = line - 1;
	return &f->rec;
}

#define FIELDS(...) \
	sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *), \
	(const char *[]){ __VA_ARGS__ }

/* The header every test uses. */
static struct fake_record header_store;
static struct ka_roles roles;

static const ka_record *
header(void)
{
	char error[256];

	make_record(&header_store, 1, FIELDS("date", "customer", "qty",
	    "price", "note", "金额"), NULL);
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, &header_store.rec, error,
	    sizeof(error)) < 0)
		printf("  roles: %s\n", error);
	return &header_store.rec;
}

/*
 * 1 or 0 for one expression on one record with the test header's
 * columns (date, customer, qty, price, note, 金额); -2 when the
 * expression does not parse or bind, -1 from a failed match.
 */
static int
where(const char *expression, const char *date, const char *customer,
    const char *qty, const char *price)
{
	struct fake_record row;
	ka_filter *f = ka_filter_new();
	char error[512] = "";
	int r;

	if (ka_filter_add(f, expression, error, sizeof(error)) < 0 ||
	    ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)) < 0) {
		printf("  \"%s\": %s\n", expression, error);
		ka_filter_free(f);
		return -2;
	}
	r = ka_filter_match(f, make_record(&row, 2, FIELDS(date, customer,
	    qty, price, "", "0"), NULL), error, sizeof(error));
	if (r < 0)
		printf("  \"%s\": %s\n", expression, error);
	ka_filter_free(f);
	return r;
}

/* The same on one text column, "customer". */
static int
where_customer(const char *expression, const char *customer)
{
	return where(expression, "2026-11-27", customer, "1", "1");
}

static int
where_qty(const char *expression, const char *qty)
{
	return where(expression, "2026-11-27", "ACME", qty, "1");
}

static int
where_date(const char *expression, const char *date)
{
	return where(expression, date, "ACME", "1", "1");
}

/* The error of an expression that must fail to parse. */
static const char *
add_error(const char *expression)
{
	static char error[512];
	ka_filter *f = ka_filter_new();

	strcpy(error, "(no error)");
	if (ka_filter_add(f, expression, error, sizeof(error)) == 0)
		strcpy(error, "(accepted)");
	CHECK_INT(ka_filter_count(f), 0);
	ka_filter_free(f);
	return error;
}

static void
test_every_operator_on_numbers(void)
{
	/* qty 4, 5, 6 against 5: the truth table of each operator. */
	CHECK_INT(where_qty("qty = 5", "4"), 0);
	CHECK_INT(where_qty("qty = 5", "5"), 1);
	CHECK_INT(where_qty("qty = 5", "6"), 0);
	CHECK_INT(where_qty("qty == 5", "5"), 1);
	CHECK_INT(where_qty("qty == 5", "4"), 0);
	CHECK_INT(where_qty("qty != 5", "4"), 1);
	CHECK_INT(where_qty("qty != 5", "5"), 0);
	CHECK_INT(where_qty("qty != 5", "6"), 1);
	CHECK_INT(where_qty("qty < 5", "4"), 1);
	CHECK_INT(where_qty("qty < 5", "5"), 0);
	CHECK_INT(where_qty("qty < 5", "6"), 0);
	CHECK_INT(where_qty("qty <= 5", "4"), 1);
	CHECK_INT(where_qty("qty <= 5", "5"), 1);
	CHECK_INT(where_qty("qty <= 5", "6"), 0);
	CHECK_INT(where_qty("qty > 5", "4"), 0);
	CHECK_INT(where_qty("qty > 5", "5"), 0);
	CHECK_INT(where_qty("qty > 5", "6"), 1);
	CHECK_INT(where_qty("qty >= 5", "4"), 0);
	CHECK_INT(where_qty("qty >= 5", "5"), 1);
	CHECK_INT(where_qty("qty >= 5", "6"), 1);
}

static void
test_match_operators(void)
{
	CHECK_INT(where_customer("customer ~ ^AC", "ACME Ltd"), 1);
	CHECK_INT(where_customer("customer ~ ^AC", "BACH"), 0);
	CHECK_INT(where_customer("customer ~ AC", "BACH"), 1);
	CHECK_INT(where_customer("customer !~ ^AC", "ACME Ltd"), 0);
	CHECK_INT(where_customer("customer !~ ^AC", "BACH"), 1);
	CHECK_INT(where_customer("customer ~ Ltd$", "ACME Ltd"), 1);
	CHECK_INT(where_customer("customer ~ Ltd$", "ACME Ltd."), 0);
	CHECK_INT(where_customer("customer ~ ^$", ""), 1);
	CHECK_INT(where_customer("customer !~ .", ""), 1);
}

static void
test_no_spaces_and_extra_spaces(void)
{
	CHECK_INT(where_qty("qty>=5", "5"), 1);
	CHECK_INT(where_qty("qty>=5", "4"), 0);
	CHECK_INT(where_qty("qty!=5", "5"), 0);
	CHECK_INT(where_qty("   qty   >=   5   ", "5"), 1);
	CHECK_INT(where_qty("   qty   >=   5   ", "4"), 0);
	CHECK_INT(where_customer("customer=ACME", "ACME"), 1);
	CHECK_INT(where_customer("customer   =   ACME   ", "ACME"), 1);
	CHECK_INT(where_customer("customer~^A", "ACME"), 1);
	CHECK_INT(where_customer("customer!~^A", "ACME"), 0);
	/* Spaces inside the value stay. */
	CHECK_INT(where_customer("customer = ACME Ltd", "ACME Ltd"), 1);
	CHECK_INT(where_customer("customer = ACME Ltd", "ACME  Ltd"), 0);
	/* A column name may hold spaces. */
	{
		struct fake_record h, row;
		ka_filter *f = ka_filter_new();
		char error[256] = "";

		CHECK_INT(ka_filter_add(f, " Net Sales > 100 ", error,
		    sizeof(error)), 0);
		CHECK_INT(ka_filter_bind(f, make_record(&h, 1,
		    FIELDS("Net Sales"), NULL), NULL, 0, error,
		    sizeof(error)), 0);
		CHECK_INT(ka_filter_match(f, make_record(&row, 2,
		    FIELDS("100.01"), NULL), error, sizeof(error)), 1);
		CHECK_INT(ka_filter_match(f, make_record(&row, 3,
		    FIELDS("99"), NULL), error, sizeof(error)), 0);
		ka_filter_free(f);
	}
}

/* A TAB is as blank as a space around every part. */
static void
test_tabs_around_parts(void)
{
	CHECK_INT(where_customer("\tcustomer\t=\tACME\t", "ACME"), 1);
	CHECK_INT(where_customer("customer =\tACME", "ACME"), 1);
	CHECK_INT(where_qty("\tqty > 5", "6"), 1);
	CHECK_INT(where_customer("customer ~\t^AC", "ACME"), 1);
}

static void
test_numbers_compare_as_numbers(void)
{
	/* As text "10" < "9"; as numbers 10 > 9. */
	CHECK_INT(where_qty("qty > 9", "10"), 1);
	CHECK_INT(where_qty("qty < 9", "10"), 0);
	CHECK_INT(where_qty("qty = 1", "1.0"), 1);
	CHECK_INT(where_qty("qty = 1.0", "1"), 1);
	CHECK_INT(where_qty("qty = 1.00", "1.0000"), 1);
	CHECK_INT(where_qty("qty != 1", "1.0"), 0);
	CHECK_INT(where_qty("qty > -1", "0"), 1);
	CHECK_INT(where_qty("qty < -1", "-1.5"), 1);
	CHECK_INT(where_qty("qty = 1234.5", "1,234.50"), 1);
	CHECK_INT(where_qty("qty = -12", "(12.00)"), 1);
	CHECK_INT(where_qty("qty < 0", "(12.00)"), 1);
	CHECK_INT(where_qty("qty = 0.0001", "0.0001"), 1);
	CHECK_INT(where_qty("qty > 0", "0.0001"), 1);
	CHECK_INT(where_qty("qty = 007", "7"), 1);
	/* Field and value may carry a currency sign and spaces. */
	CHECK_INT(where_qty("qty >= 100", " ¥100.00 "), 1);
	/* price reached by header name, 金额 by its role and by name. */
	CHECK_INT(where("price >= 10.5", "2026-11-27", "A", "1", "10.50"), 1);
	CHECK_INT(where("price >= 10.5", "2026-11-27", "A", "1", "9.99"), 0);
	CHECK_INT(where("amount = 0", "2026-11-27", "A", "1", "1"), 1);
	CHECK_INT(where("金额 != 0", "2026-11-27", "A", "1", "1"), 0);
	/* And by number: column 3 is qty. */
	CHECK_INT(where("3 > 9", "2026-11-27", "A", "10", "1"), 1);
}

/*
 * Only when both sides are numbers: a field that is not one compares
 * as text, byte by byte ("abc" > "5" since 'a' > '5').
 */
static void
test_not_a_number_compares_as_text(void)
{
	CHECK_INT(where_qty("qty > 5", "abc"), 1);
	CHECK_INT(where_qty("qty < 5", "abc"), 0);
	CHECK_INT(where_qty("qty = 5", "5 units"), 0);
	CHECK_INT(where_qty("qty = 5", ""), 0);
	CHECK_INT(where_qty("qty = abc", "abc"), 1);
	/* Value not a number, field is: text again. */
	CHECK_INT(where_qty("qty < abc", "10"), 1);
}

static void
test_decimal_comma(void)
{
	struct fake_record row;
	ka_filter *f = ka_filter_new();
	char error[256] = "";

	CHECK_INT(ka_filter_add(f, "price = 1,5", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 1, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("", "", "",
	    "1,50", "", ""), NULL), error, sizeof(error)), 1);
	CHECK_INT(ka_filter_match(f, make_record(&row, 3, FIELDS("", "", "",
	    "1.500,00", "", ""), NULL), error, sizeof(error)), 0);
	ka_filter_free(f);

	/* Without --decimal-comma "1,5" is not a number: text compare. */
	CHECK_INT(where("price = 1,5", "", "", "", "1,50"), 0);
	CHECK_INT(where("price = 1,5", "", "", "", "1,5"), 1);
}

static void
test_dates_compare_as_dates(void)
{
	CHECK_INT(where_date("date = 2026/11/27", "2026-11-27"), 1);
	CHECK_INT(where_date("date = 2026-11-27", "2026/11/27"), 1);
	CHECK_INT(where_date("date = 2026-11-27", "2026年11月27日"), 1);
	CHECK_INT(where_date("date = 2026-11-27", "2026-11-27T10:00:00"), 1);
	CHECK_INT(where_date("date = 2026-11-27", "2026/11/28"), 0);
	/* As text "2026/11/27" > "2026-12-01" ('/' > '-'); as dates, less. */
	CHECK_INT(where_date("date < 2026-12-01", "2026/11/27"), 1);
	CHECK_INT(where_date("date >= 2026-12-01", "2026/11/27"), 0);
	/* As text "2026-1-5" > "2026-01-31"; as dates, less. */
	CHECK_INT(where_date("date < 2026-01-31", "2026-1-5"), 1);
	CHECK_INT(where_date("date > 2025-12-31", "2026年1月1日"), 1);
	/* 20261127 is a number and a date: both read it as 27 Nov 2026. */
	CHECK_INT(where_date("date = 20261127", "2026-11-27"), 1);
	CHECK_INT(where_date("date = 2026-11-27", "20261127"), 1);
	/* Not a date: text. */
	CHECK_INT(where_date("date = 2026-11-27", "someday"), 0);
	CHECK_INT(where_date("date > 2026-11-27", "someday"), 1);
	/* An impossible day is no date either: text, '2' = '2', ...,
	   "2026-02-30" > "2026-02-28" byte by byte. */
	CHECK_INT(where_date("date > 2026-02-28", "2026-02-30"), 1);
	CHECK_INT(where_date("date < 2026-03-01", "2026-02-30"), 1);
}

static void
test_text_compares_bytewise(void)
{
	/* 'B' is 0x42, 'b' 0x62: upper case sorts first. */
	CHECK_INT(where_customer("customer < b", "B"), 1);
	CHECK_INT(where_customer("customer < B", "b"), 0);
	CHECK_INT(where_customer("customer = acme", "ACME"), 0);
	CHECK_INT(where_customer("customer < apple", "Zeta"), 1);
	/* A prefix sorts first. */
	CHECK_INT(where_customer("customer < abc", "ab"), 1);
	CHECK_INT(where_customer("customer > abc", "abcd"), 1);
	CHECK_INT(where_customer("customer = abc", "abc "), 0);
	/* UTF-8 bytes above 0x7f sort after ASCII. */
	CHECK_INT(where_customer("customer > z", "上海"), 1);
	/* 上 is E4 B8 8A, 北 is E5 8C 97. */
	CHECK_INT(where_customer("customer < 北京", "上海"), 1);
	CHECK_INT(where_customer("customer = 上海", "上海"), 1);
	/* The value may hold the operator's characters. */
	CHECK_INT(where_customer("customer = a=b", "a=b"), 1);
	CHECK_INT(where_customer("customer = x<y>z", "x<y>z"), 1);
	/* An empty value. */
	CHECK_INT(where_customer("customer =", ""), 1);
	CHECK_INT(where_customer("customer !=", "x"), 1);
}

static void
test_patterns_utf8_anchors_case(void)
{
	CHECK_INT(where_customer("customer ~ ^上海", "上海贸易有限公司"), 1);
	CHECK_INT(where_customer("customer ~ ^上海", "北京上海贸易"), 0);
	CHECK_INT(where_customer("customer ~ 上海", "北京上海贸易"), 1);
	CHECK_INT(where_customer("customer ~ 公司$", "上海贸易有限公司"), 1);
	CHECK_INT(where_customer("customer ~ 公司$", "公司上海"), 0);
	/* UTF mode: . is one character, so four of them are 12 bytes. */
	CHECK_INT(where_customer("customer ~ ^.{4}$", "上海贸易"), 1);
	CHECK_INT(where_customer("customer ~ ^.{4}$", "上海贸"), 0);
	CHECK_INT(where_customer("customer ~ ^.{4}$", "abcd"), 1);
	CHECK_INT(where_customer("customer ~ ^[上北]", "北京"), 1);
	CHECK_INT(where_customer("customer ~ ^[上北]", "南京"), 0);
	/* Case: sensitive unless (?i). */
	CHECK_INT(where_customer("customer ~ ^acme", "ACME Ltd"), 0);
	CHECK_INT(where_customer("customer ~ (?i)^acme", "ACME Ltd"), 1);
	CHECK_INT(where_customer("customer !~ (?i)^acme", "ACME Ltd"), 0);
	CHECK_INT(where_customer("customer ~ (?i)zürich", "ZÜRICH AG"), 1);
	/* Alternation and classes. */
	CHECK_INT(where_customer("customer ~ ^(ACME|Zeta) ", "Zeta Corp"), 1);
	CHECK_INT(where_customer("customer ~ \\d{3}", "Store 042"), 1);
	CHECK_INT(where_customer("customer ~ \\d{3}", "Store 42"), 0);
	/* Trailing blanks end the pattern; inner ones belong to it. */
	CHECK_INT(where_customer("customer ~ ^ACME Ltd  ", "ACME Ltd"), 1);
}

static void
test_bad_pattern_names_offset(void)
{
	CHECK_STR(add_error("customer ~ a(b"), "bad --where \"customer ~ "
	    "a(b\": pattern error at offset 3: missing closing parenthesis");
	CHECK_STR(add_error("customer ~ [z-a]"), "bad --where \"customer ~ "
	    "[z-a]\": pattern error at offset 3: range out of order in "
	    "character class");
	CHECK_STR(add_error("customer !~ x**"), "bad --where \"customer !~ "
	    "x**\": pattern error at offset 2: quantifier does not follow a "
	    "repeatable item");
	/* Offsets count bytes: 上海 is six. */
	CHECK_STR(add_error("customer ~ 上海("), "bad --where \"customer ~ "
	    "上海(\": pattern error at offset 7: missing closing parenthesis");
}

static void
test_bad_expressions(void)
{
	CHECK_STR(add_error("qty"), "bad --where \"qty\": expected COLUMN OP "
	    "VALUE with OP one of = != < <= > >= ~ !~");
	CHECK_STR(add_error(""), "bad --where \"\": expected COLUMN OP VALUE "
	    "with OP one of = != < <= > >= ~ !~");
	CHECK_STR(add_error("= 5"), "bad --where \"= 5\": no column before "
	    "the operator");
	CHECK_STR(add_error("   >= 5"), "bad --where \">= 5\": no column "
	    "before the operator");
	CHECK_STR(add_error("qty ! 5"), "bad --where \"qty ! 5\": unknown "
	    "operator");
}

static void
test_missing_column_at_bind(void)
{
	ka_filter *f = ka_filter_new();
	char error[256] = "";

	CHECK_INT(ka_filter_add(f, "qty > 1", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_add(f, "nosuch = 1", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_count(f), 2);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), -1);
	CHECK_STR(error, "--where \"nosuch = 1\": no column \"nosuch\" in the "
	    "header");
	ka_filter_free(f);

	/* A role with no column in this header, and a number too far. */
	f = ka_filter_new();
	CHECK_INT(ka_filter_add(f, "cost > 1", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), -1);
	CHECK_STR(error, "--where \"cost > 1\": no column \"cost\" in the "
	    "header");
	ka_filter_free(f);
	f = ka_filter_new();
	CHECK_INT(ka_filter_add(f, "7 > 1", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), -1);
	CHECK_STR(error, "--where \"7 > 1\": no column \"7\" in the header");
	ka_filter_free(f);
}

static void
test_all_conditions_must_hold(void)
{
	struct fake_record row;
	ka_filter *f = ka_filter_new();
	char error[256] = "";

	CHECK_INT(ka_filter_add(f, "customer ~ ^上海", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_add(f, "qty >= 10", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_add(f, "date < 2027-01-01", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_count(f), 3);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), 0);
	/* All three hold. */
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("2026-11-27",
	    "上海贸易", "12", "1", "", ""), NULL), error, sizeof(error)), 1);
	/* Each one failing alone. */
	CHECK_INT(ka_filter_match(f, make_record(&row, 3, FIELDS("2026-11-27",
	    "北京贸易", "12", "1", "", ""), NULL), error, sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 4, FIELDS("2026-11-27",
	    "上海贸易", "9", "1", "", ""), NULL), error, sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 5, FIELDS("2027/01/01",
	    "上海贸易", "12", "1", "", ""), NULL), error, sizeof(error)), 0);
	ka_filter_free(f);

	/* No conditions: every record passes. */
	f = ka_filter_new();
	CHECK_INT(ka_filter_count(f), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("x"), NULL),
	    error, sizeof(error)), 1);
	ka_filter_free(f);
}

/* A short (ragged) record: the missing column reads as empty. */
static void
test_short_record(void)
{
	struct fake_record row;
	ka_filter *f = ka_filter_new();
	char error[256] = "";

	CHECK_INT(ka_filter_add(f, "note = ", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("2026-11-27",
	    "x"), NULL), error, sizeof(error)), 1);
	ka_filter_free(f);
	f = ka_filter_new();
	CHECK_INT(ka_filter_add(f, "note ~ .", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("2026-11-27",
	    "x"), NULL), error, sizeof(error)), 0);
	ka_filter_free(f);
}

/* One pattern condition on customer, matched against raw bytes. */
static int
match_bytes(const char *expression, const char *bytes, size_t length)
{
	struct fake_record h, row;
	ka_filter *f = ka_filter_new();
	char error[512] = "";
	const char *fields[2] = { "x", bytes };
	size_t lengths[2] = { 1, length };
	int r = -2;

	if (ka_filter_add(f, expression, error, sizeof(error)) == 0 &&
	    ka_filter_bind(f, make_record(&h, 1, FIELDS("id", "customer"),
	    NULL), NULL, 0, error, sizeof(error)) == 0)
		r = ka_filter_match(f, make_record(&row, 2, 2, fields,
		    lengths), error, sizeof(error));
	if (r < 0)
		printf("  \"%s\": %d %s\n", expression, r, error);
	ka_filter_free(f);
	return r;
}

/*
 * Invalid UTF-8 in the data does not crash and gives a defined answer:
 * invalid bytes match nothing, valid text around them matches as usual.
 */
static void
test_invalid_utf8_in_data(void)
{
	CHECK_INT(match_bytes("customer ~ abc", "\xff" "abc", 4), 1);
	CHECK_INT(match_bytes("customer ~ ^abc", "\xff" "abc", 4), 0);
	CHECK_INT(match_bytes("customer ~ abc$", "abc\xe4\xb8", 5), 0);
	CHECK_INT(match_bytes("customer ~ abc", "abc\xe4\xb8", 5), 1);
	CHECK_INT(match_bytes("customer ~ .", "\xff\xfe", 2), 0);
	CHECK_INT(match_bytes("customer !~ .", "\xff\xfe", 2), 1);
	/* Overlong '/' and a surrogate are no characters either. */
	CHECK_INT(match_bytes("customer ~ /", "\xc0\xaf", 2), 0);
	CHECK_INT(match_bytes("customer ~ .", "\xed\xa0\x80", 3), 0);
	/* 上 cut after its second byte, then 海 whole. */
	CHECK_INT(match_bytes("customer ~ 上", "\xe4\xb8\xe6\xb5\xb7", 5), 0);
	CHECK_INT(match_bytes("customer ~ 海", "\xe4\xb8\xe6\xb5\xb7", 5), 1);
	/* A NUL byte inside a field is an ordinary character. */
	CHECK_INT(match_bytes("customer ~ a\\x00b", "a\0b", 3), 1);
	/* Comparisons never look at encodings. */
	CHECK_INT(match_bytes("customer > a", "\xff", 1), 1);
	CHECK_INT(match_bytes("customer = \xff", "\xff", 1), 1);
}

/*
 * (a+)+$ against "aaa...ab" backtracks exponentially: the match limit
 * stops it, and that is an error naming file and line, never taken for
 * a non-match.
 */
static void
test_match_limit_is_an_error(void)
{
	struct fake_record row;
	ka_filter *f = ka_filter_new();
	char error[512] = "", subject[64];

	memset(subject, 'a', 40);
	subject[40] = 'b';
	subject[41] = '\0';
	CHECK_INT(ka_filter_add(f, "customer ~ (a+)+$", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, header(), &roles, 0, error,
	    sizeof(error)), 0);
	make_record(&row, 7, FIELDS("2026-11-27", subject, "1", "1", "", ""),
	    NULL);
	CHECK_INT(ka_filter_match(f, &row.rec, error, sizeof(error)), -1);
	CHECK_STR(error, "sales.csv:7: --where \"customer ~ (a+)+$\": the "
	    "pattern hit its match limit on column customer; simplify the "
	    "pattern");
	/* The filter goes on working for the next record. */
	CHECK_INT(ka_filter_match(f, make_record(&row, 8, FIELDS("2026-11-27",
	    "aaaa", "1", "1", "", ""), NULL), error, sizeof(error)), 1);
	CHECK_INT(ka_filter_match(f, make_record(&row, 9, FIELDS("2026-11-27",
	    "aab", "1", "1", "", ""), NULL), error, sizeof(error)), 0);
	ka_filter_free(f);
}

/* A filter may be bound again (a second file with the same header). */
static void
test_bind_twice(void)
{
	struct fake_record h, row;
	ka_filter *f = ka_filter_new();
	char error[256] = "";

	CHECK_INT(ka_filter_add(f, "b ~ ^x", error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, make_record(&h, 1, FIELDS("a", "b"),
	    NULL), NULL, 0, error, sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("x", "y"),
	    NULL), error, sizeof(error)), 0);
	CHECK_INT(ka_filter_bind(f, make_record(&h, 1, FIELDS("b", "a"),
	    NULL), NULL, 0, error, sizeof(error)), 0);
	CHECK_INT(ka_filter_match(f, make_record(&row, 2, FIELDS("x", "y"),
	    NULL), error, sizeof(error)), 1);
	ka_filter_free(f);
	ka_filter_free(NULL);
}

int
main(void)
{
	RUN(test_every_operator_on_numbers);
	RUN(test_match_operators);
	RUN(test_no_spaces_and_extra_spaces);
	RUN(test_tabs_around_parts);
	RUN(test_numbers_compare_as_numbers);
	RUN(test_not_a_number_compares_as_text);
	RUN(test_decimal_comma);
	RUN(test_dates_compare_as_dates);
	RUN(test_text_compares_bytewise);
	RUN(test_patterns_utf8_anchors_case);
	RUN(test_bad_pattern_names_offset);
	RUN(test_bad_expressions);
	RUN(test_missing_column_at_bind);
	RUN(test_all_conditions_must_hold);
	RUN(test_short_record);
	RUN(test_invalid_utf8_in_data);
	RUN(test_match_limit_is_an_error);
	RUN(test_bind_twice);
	return CHECK_EXIT();
}
