/*
 * Unit tests of common/ka_decimal.c.  Every expected value is worked out
 * by hand from the scale: a ka_dec is the number times 10000.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ka_decimal.h"

#define COMMA	1	/* --decimal-comma */
#define POINT	0

/*
 * A check that names the input on failure, which CHECK_INT cannot do
 * from inside a helper; the caller's line is passed in for the same
 * reason.
 */
static void
expect_parse(int line, const char *text, int decimal_comma,
    enum ka_dec_status want_status, ka_dec want_value)
{
	ka_dec value = 0;
	enum ka_dec_status status;

	status = ka_dec_parse(text, strlen(text), decimal_comma, &value);
	if (status != want_status ||
	    (status == KA_DEC_OK && value != want_value)) {
		printf("  %s:%d: parse \"%s\"%s gives %s %" PRId64
		    ", want %s %" PRId64 "\n", __FILE__, line, text,
		    decimal_comma ? " (decimal comma)" : "",
		    ka_dec_status_text(status), value,
		    ka_dec_status_text(want_status), want_value);
		check_failures++;
	}
}

static void
expect_format(int line, ka_dec value, int places, const char *want)
{
	char buf[KA_DEC_BUFSIZE];
	size_t length;

	memset(buf, 'x', sizeof(buf));
	length = ka_dec_format(value, places, buf);
	if (strcmp(buf, want) != 0 || length != strlen(want)) {
		printf("  %s:%d: format %" PRId64 " places %d gives \"%s\""
		    " length %zu, want \"%s\"\n", __FILE__, line, value,
		    places, buf, length, want);
		check_failures++;
	}
}

#define PARSE_OK(text, comma, want) \
	expect_parse(__LINE__, (text), (comma), KA_DEC_OK, (want))
#define PARSE_FAILS(text, comma, status) \
	expect_parse(__LINE__, (text), (comma), (status), 0)
#define FORMAT(value, places, want) \
	expect_format(__LINE__, (value), (places), (want))

static void
test_parse_plain(void)
{
	PARSE_OK("1234.56", POINT, 12345600);
	PARSE_OK("1234.5", POINT, 12345000);
	PARSE_OK("-3", POINT, -30000);
	PARSE_OK("+3", POINT, 30000);
	PARSE_OK(".5", POINT, 5000);
	PARSE_OK("-.5", POINT, -5000);
	PARSE_OK("5.", POINT, 50000);
	PARSE_OK("0", POINT, 0);
	PARSE_OK("0.0001", POINT, 1);
	PARSE_OK("007", POINT, 70000);
	PARSE_OK("-0", POINT, 0);
	PARSE_OK("-0.0000", POINT, 0);
	PARSE_OK("19.99", POINT, 199900);
}

/*
 * Plain numbers ("-123.45") take a short path; a leading blank sends
 * the same text down the general one.  Both must agree, status and
 * value, on numbers of every length around the limits of the short path
 * (14 whole digits, 4 places), with either decimal mark.
 */
static void
test_parse_short_path_agrees(void)
{
	static const char digits[] = "0123456789";
	unsigned long seed = 12345;
	char text[64], padded[66];
	ka_dec a = 0, b = 0;
	int i, wrong = 0;

	for (i = 0; i < 200000; i++) {
		size_t n = 0, k, whole, places;
		int comma, point;
		enum ka_dec_status sa, sb;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		comma = (int)(seed >> 60 & 1);
		point = (int)(seed >> 59 & 1);
		whole = (size_t)(seed >> 40 & 15) + (seed >> 58 & 1);
		places = (size_t)(seed >> 36 & 7);
		if (seed >> 57 & 1)
			text[n++] = '-';
		for (k = 0; k < whole; k++)
			text[n++] = digits[(seed >> (k % 30)) % 10];
		if (point) {
			text[n++] = comma ? ',' : '.';
			for (k = 0; k < places; k++)
				text[n++] = digits[(seed >> (k + 3)) % 10];
		}
		text[n] = '\0';
		padded[0] = ' ';
		memcpy(padded + 1, text, n + 1);
		a = b = 7;
		sa = ka_dec_parse(text, n, comma, &a);
		sb = ka_dec_parse(padded, n + 1, comma, &b);
		if ((sa != sb || a != b) && wrong++ < 5)
			printf("  \"%s\": %d %lld, general path %d %lld\n",
			    text, (int)sa, (long long)a, (int)sb,
			    (long long)b);
	}
	CHECK_INT(wrong, 0);
	/* The edges by hand. */
	expect_parse(__LINE__, "99999999999999.9999", POINT, KA_DEC_OK,
	    INT64_C(999999999999999999));
	expect_parse(__LINE__, "-0.0001", POINT, KA_DEC_OK, -1);
	expect_parse(__LINE__, "-0", POINT, KA_DEC_OK, 0);
	expect_parse(__LINE__, "12.", POINT, KA_DEC_OK, 120000);
}

static void
test_parse_surrounding_blanks(void)
{
	PARSE_OK(" 12 ", POINT, 120000);
	PARSE_OK("\t12\t", POINT, 120000);
	PARSE_OK(" \t -3.5 \t ", POINT, -35000);
	PARSE_OK("   1,234.56", POINT, 12345600);
	PARSE_OK("1,234.56   ", POINT, 12345600);
}

static void
test_parse_thousands_separators(void)
{
	PARSE_OK("1,234.56", POINT, 12345600);
	PARSE_OK("1,234", POINT, 12340000);
	PARSE_OK("12,345", POINT, 123450000);
	PARSE_OK("123,456.7", POINT, 1234567000);
	PARSE_OK("1,234,567", POINT, INT64_C(12345670000));
	PARSE_OK("-1,000", POINT, -10000000);
	PARSE_OK("1,234.", POINT, 12340000);
	PARSE_FAILS("1,23.4", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1234,567", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,2345", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,234,56", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,23,456", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("12,34,567", POINT, KA_DEC_SYNTAX);	/* Indian lakh grouping */
	PARSE_FAILS("1,2345,678", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS(",123", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,,234", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1,.5", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1.234,5", POINT, KA_DEC_SYNTAX);
}

static void
test_parse_decimal_comma(void)
{
	PARSE_OK("1.234,56", COMMA, 12345600);
	PARSE_OK("1234,56", COMMA, 12345600);
	PARSE_OK("1,5", COMMA, 15000);
	PARSE_OK(",5", COMMA, 5000);
	PARSE_OK("5,", COMMA, 50000);
	PARSE_OK("-1.000.000,5", COMMA, INT64_C(-10000005000));
	PARSE_OK("€ 3,50", COMMA, 35000);
	PARSE_OK("(1.234,00)", COMMA, -12340000);
	PARSE_OK("1.234,56-", COMMA, -12345600);
	PARSE_OK("1.234", COMMA, 12340000);
	PARSE_FAILS(" 1 234,56", COMMA, KA_DEC_SYNTAX);
	PARSE_FAILS("1.5", COMMA, KA_DEC_SYNTAX);
	PARSE_FAILS("1.234.5", COMMA, KA_DEC_SYNTAX);
	PARSE_FAILS("1,234.56", COMMA, KA_DEC_SYNTAX);
	PARSE_FAILS("1,2,3", COMMA, KA_DEC_SYNTAX);
	PARSE_FAILS("0,00005", COMMA, KA_DEC_PRECISION);
}

static void
test_parse_comma_needs_the_option(void)
{
	PARSE_FAILS("1234,56", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("3,50", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("€ 3,50", POINT, KA_DEC_SYNTAX);
}

static void
test_parse_accounting_negative(void)
{
	PARSE_OK("(12.00)", POINT, -120000);
	PARSE_OK("( 12.00 )", POINT, -120000);
	PARSE_OK(" (12) ", POINT, -120000);
	PARSE_OK("($12.00)", POINT, -120000);
	PARSE_OK("$(12.00)", POINT, -120000);
	PARSE_OK("$ (1,234.50)", POINT, -12345000);
	PARSE_OK("(€5)", POINT, -50000);
	PARSE_OK("(0)", POINT, 0);
}

static void
test_parse_trailing_minus(void)
{
	PARSE_OK("12.00-", POINT, -120000);
	PARSE_OK(" 12.00- ", POINT, -120000);
	PARSE_OK("1,234.56-", POINT, -12345600);
	PARSE_OK("$5-", POINT, -50000);
	PARSE_OK("0-", POINT, 0);
	PARSE_OK(".5-", POINT, -5000);
}

static void
test_parse_currency_signs(void)
{
	PARSE_OK("$5", POINT, 50000);
	PARSE_OK("$ 5", POINT, 50000);
	PARSE_OK("$\t5", POINT, 50000);
	PARSE_OK("€12.5", POINT, 125000);
	PARSE_OK("¥100", POINT, 1000000);
	PARSE_OK("￥100", POINT, 1000000);
	PARSE_OK("£0.99", POINT, 9900);
	PARSE_OK("-$5", POINT, -50000);
	PARSE_OK("$-5", POINT, -50000);
	PARSE_OK("+$5", POINT, 50000);
	PARSE_OK("- $ 5", POINT, -50000);
	PARSE_OK("$1,234.56", POINT, 12345600);
	/* The same signs as escapes, in case an editor re-encodes this file. */
	PARSE_OK("\xC2\xA5" "7", POINT, 70000);
	PARSE_OK("\xEF\xBF\xA5" "7", POINT, 70000);
	PARSE_OK("\xE2\x82\xAC" "7", POINT, 70000);
	PARSE_OK("\xC2\xA3" "7", POINT, 70000);
}

static void
test_parse_syntax_errors(void)
{
	static const char *const not_numbers[] = {
		"abc", "1e5", "1E5", "1.5e-3", "NaN", "nan", "inf", "-inf",
		"Infinity", "0x1F", "0b101", "--5", "+-5", "-+5", "-", "+",
		"$", "€", "-$", "$-", "()", "( )", "(5", "5)", "(-5)", "-(5)",
		"(5)-", "(5-)", "(+5)", "-5-", "+5-", "5--", "1.2.3", ".",
		"..5", "1..2", "1.5.", "1 234", "12 34", "$$5", "$€5", "5$",
		"5 €", "12a", "a12", "1_000", "1'000", "1.-5", "\xC2\xA0" "5",
		"\xC2" "5", "\xE2\x82" "5", "\xD9\xA1", "５", "½",
	};
	size_t i;

	for (i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
		PARSE_FAILS(not_numbers[i], POINT, KA_DEC_SYNTAX);
		PARSE_FAILS(not_numbers[i], COMMA, KA_DEC_SYNTAX);
	}
}

static void
test_parse_empty(void)
{
	ka_dec value = 0;

	PARSE_FAILS("", POINT, KA_DEC_EMPTY);
	PARSE_FAILS(" ", POINT, KA_DEC_EMPTY);
	PARSE_FAILS("\t \t", COMMA, KA_DEC_EMPTY);
	CHECK_INT(ka_dec_parse(NULL, 0, 0, &value), KA_DEC_EMPTY);
}

static void
test_parse_precision(void)
{
	PARSE_FAILS("0.00005", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("0.00001", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("-0.00001", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("1.23456", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("1,234.56789", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("1.00000000001", POINT, KA_DEC_PRECISION);
	PARSE_OK("1.23450", POINT, 12345);
	PARSE_OK("1.0000000000", POINT, 10000);
	PARSE_OK("0.00000", POINT, 0);
	PARSE_OK("0.1234", POINT, 1234);
}

static void
test_parse_range(void)
{
	PARSE_OK("922337203685477.5807", POINT, INT64_MAX);
	PARSE_OK("-922337203685477.5808", POINT, INT64_MIN);
	PARSE_OK("(922337203685477.5808)", POINT, INT64_MIN);
	PARSE_OK("922337203685477.5808-", POINT, INT64_MIN);
	PARSE_OK("922,337,203,685,477.5807", POINT, INT64_MAX);
	PARSE_OK("000000000000000000000000922337203685477.5807", POINT,
	    INT64_MAX);
	PARSE_OK("922337203685477", POINT, INT64_C(9223372036854770000));
	PARSE_FAILS("922337203685477.5808", POINT, KA_DEC_RANGE);
	PARSE_FAILS("-922337203685477.5809", POINT, KA_DEC_RANGE);
	PARSE_FAILS("922337203685478", POINT, KA_DEC_RANGE);
	PARSE_FAILS("-922337203685478", POINT, KA_DEC_RANGE);
	PARSE_FAILS("9223372036854775808", POINT, KA_DEC_RANGE);
	PARSE_FAILS("99999999999999999999999999999999", POINT, KA_DEC_RANGE);
	PARSE_FAILS("1.000.000.000.000.000", COMMA, KA_DEC_RANGE);
}

/* SYNTAX wins over RANGE over PRECISION: the worst problem is named. */
static void
test_parse_worst_problem_wins(void)
{
	PARSE_FAILS("99999999999999999999x", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("1.000001x", POINT, KA_DEC_SYNTAX);
	PARSE_FAILS("922337203685478.00001", POINT, KA_DEC_RANGE);
	PARSE_FAILS("922337203685477.58071", POINT, KA_DEC_PRECISION);
}

static void
test_parse_reads_only_len_bytes(void)
{
	ka_dec value = 0;

	CHECK_INT(ka_dec_parse("12345", 3, 0, &value), KA_DEC_OK);
	CHECK_INT(value, 1230000);
	CHECK_INT(ka_dec_parse("1\0002", 3, 0, &value), KA_DEC_SYNTAX);
	CHECK_INT(ka_dec_parse("7,x", 1, 0, &value), KA_DEC_OK);
	CHECK_INT(value, 70000);
	/* A field view cut off inside a multi-byte currency sign. */
	CHECK_INT(ka_dec_parse("\xE2\x82\xAC" "5", 2, 0, &value),
	    KA_DEC_SYNTAX);
}

static void
test_parse_leaves_output_on_error(void)
{
	ka_dec value = 42;

	CHECK_INT(ka_dec_parse("x", 1, 0, &value), KA_DEC_SYNTAX);
	CHECK_INT(ka_dec_parse("", 0, 0, &value), KA_DEC_EMPTY);
	CHECK_INT(ka_dec_parse("0.00001", 7, 0, &value), KA_DEC_PRECISION);
	CHECK_INT(ka_dec_parse("9999999999999999", 16, 0, &value),
	    KA_DEC_RANGE);
	CHECK_INT(value, 42);
}

static void
test_status_text(void)
{
	CHECK_STR(ka_dec_status_text(KA_DEC_SYNTAX), "not a number");
	CHECK_STR(ka_dec_status_text(KA_DEC_RANGE), "number out of range");
	CHECK_STR(ka_dec_status_text(KA_DEC_PRECISION),
	    "more than 4 decimal places");
	CHECK_STR(ka_dec_status_text(KA_DEC_EMPTY), "empty");
	CHECK_STR(ka_dec_status_text(KA_DEC_OK), "ok");
}

static void
test_add(void)
{
	ka_dec sum = 1000;

	CHECK_INT(ka_dec_add(&sum, 2000), 0);
	CHECK_INT(sum, 3000);
	CHECK_INT(ka_dec_add(&sum, -5000), 0);
	CHECK_INT(sum, -2000);
}

static void
test_add_overflow(void)
{
	ka_dec sum;

	sum = INT64_MAX - 1;
	CHECK_INT(ka_dec_add(&sum, 1), 0);
	CHECK_INT(sum, INT64_MAX);
	CHECK_INT(ka_dec_add(&sum, 1), -1);
	CHECK_INT(sum, INT64_MAX);
	CHECK_INT(ka_dec_add(&sum, INT64_MAX), -1);
	CHECK_INT(sum, INT64_MAX);

	sum = INT64_MIN + 1;
	CHECK_INT(ka_dec_add(&sum, -1), 0);
	CHECK_INT(sum, INT64_MIN);
	CHECK_INT(ka_dec_add(&sum, -1), -1);
	CHECK_INT(sum, INT64_MIN);
	CHECK_INT(ka_dec_add(&sum, INT64_MIN), -1);
	CHECK_INT(ka_dec_add(&sum, INT64_MAX), 0);
	CHECK_INT(sum, -1);

	sum = 0;
	CHECK_INT(ka_dec_add(&sum, INT64_MIN), 0);
	CHECK_INT(sum, INT64_MIN);
	sum = -1;
	CHECK_INT(ka_dec_add(&sum, INT64_MIN), -1);
	CHECK_INT(sum, -1);
}

static void
test_sub(void)
{
	ka_dec sum = 50000;

	CHECK_INT(ka_dec_sub(&sum, 30000), 0);
	CHECK_INT(sum, 20000);
	CHECK_INT(ka_dec_sub(&sum, -1), 0);
	CHECK_INT(sum, 20001);
}

static void
test_sub_overflow(void)
{
	ka_dec sum;

	sum = INT64_MIN + 1;
	CHECK_INT(ka_dec_sub(&sum, 1), 0);
	CHECK_INT(sum, INT64_MIN);
	CHECK_INT(ka_dec_sub(&sum, 1), -1);
	CHECK_INT(sum, INT64_MIN);

	sum = INT64_MAX;
	CHECK_INT(ka_dec_sub(&sum, -1), -1);
	CHECK_INT(sum, INT64_MAX);

	/* 0 - INT64_MIN is 2^63, one past the largest value. */
	sum = 0;
	CHECK_INT(ka_dec_sub(&sum, INT64_MIN), -1);
	CHECK_INT(sum, 0);
	sum = -1;
	CHECK_INT(ka_dec_sub(&sum, INT64_MIN), 0);
	CHECK_INT(sum, INT64_MAX);
	sum = INT64_MIN;
	CHECK_INT(ka_dec_sub(&sum, INT64_MIN), 0);
	CHECK_INT(sum, 0);
}

/* The reason for fixed point: 0.1 has no exact binary form. */
static void
test_sum_of_tenths_is_exact(void)
{
	ka_dec sum = 0, tenth = 0;
	long i;
	int failed = 0;

	CHECK_INT(ka_dec_parse("0.1", 3, 0, &tenth), KA_DEC_OK);
	for (i = 0; i < 10000000; i++)
		failed |= ka_dec_add(&sum, tenth);
	CHECK_INT(failed, 0);
	CHECK_INT(sum, INT64_C(1000000) * 10000);
}

static void
test_mul(void)
{
	ka_dec product = 0;

	CHECK_INT(ka_dec_mul(25500, 30000, &product), 0);	/* 2.55 * 3 */
	CHECK_INT(product, 76500);
	CHECK_INT(ka_dec_mul(199900, 30000, &product), 0);	/* 19.99 * 3 */
	CHECK_INT(product, 599700);
	CHECK_INT(ka_dec_mul(15000, 15000, &product), 0);	/* 1.5 * 1.5 */
	CHECK_INT(product, 22500);
	CHECK_INT(ka_dec_mul(-20000, 30000, &product), 0);
	CHECK_INT(product, -60000);
	CHECK_INT(ka_dec_mul(20000, -30000, &product), 0);
	CHECK_INT(product, -60000);
	CHECK_INT(ka_dec_mul(-20000, -30000, &product), 0);
	CHECK_INT(product, 60000);
	CHECK_INT(ka_dec_mul(0, INT64_MIN, &product), 0);
	CHECK_INT(product, 0);
	CHECK_INT(ka_dec_mul(INT64_MAX, 10000, &product), 0);
	CHECK_INT(product, INT64_MAX);
	CHECK_INT(ka_dec_mul(INT64_MIN, 10000, &product), 0);
	CHECK_INT(product, INT64_MIN);
}

static void
test_mul_rounds_half_away_from_zero(void)
{
	ka_dec product = 0;

	/* 0.0001 * 0.5 = 0.00005 */
	CHECK_INT(ka_dec_mul(1, 5000, &product), 0);
	CHECK_INT(product, 1);
	CHECK_INT(ka_dec_mul(-1, 5000, &product), 0);
	CHECK_INT(product, -1);
	CHECK_INT(ka_dec_mul(1, -5000, &product), 0);
	CHECK_INT(product, -1);
	/* 0.0001 * 0.4999 = 0.00004999 */
	CHECK_INT(ka_dec_mul(1, 4999, &product), 0);
	CHECK_INT(product, 0);
	CHECK_INT(ka_dec_mul(-1, 4999, &product), 0);
	CHECK_INT(product, 0);
	/* 0.0003 * 0.5 = 0.00015 */
	CHECK_INT(ka_dec_mul(3, 5000, &product), 0);
	CHECK_INT(product, 2);
	CHECK_INT(ka_dec_mul(-3, 5000, &product), 0);
	CHECK_INT(product, -2);
	/* 1.2345 * 0.5 = 0.61725 */
	CHECK_INT(ka_dec_mul(12345, 5000, &product), 0);
	CHECK_INT(product, 6173);
	/* (2^63 - 1) * 0.5 = 2^62 - 0.5 units: away from zero is 2^62. */
	CHECK_INT(ka_dec_mul(INT64_MAX, 5000, &product), 0);
	CHECK_INT(product, INT64_C(4611686018427387904));
	CHECK_INT(ka_dec_mul(INT64_MIN, 5000, &product), 0);
	CHECK_INT(product, INT64_C(-4611686018427387904));
}

static void
test_mul_overflow(void)
{
	ka_dec product = 77;

	CHECK_INT(ka_dec_mul(INT64_MAX, 20000, &product), -1);
	CHECK_INT(ka_dec_mul(INT64_MIN, -10000, &product), -1);
	CHECK_INT(ka_dec_mul(INT64_MIN, INT64_MIN, &product), -1);
	CHECK_INT(ka_dec_mul(INT64_MAX, INT64_MAX, &product), -1);
	CHECK_INT(ka_dec_mul(INT64_MIN, INT64_MAX, &product), -1);
	CHECK_INT(product, 77);
	/*
	 * 1275000 * 72340172838076673 = 5000 * (2^64 - 1), so the exact
	 * product is 2^63 - 0.5 units.  Rounding away from zero gives 2^63:
	 * too large when positive, exactly INT64_MIN when negative.
	 */
	CHECK_INT(ka_dec_mul(1275000, INT64_C(72340172838076673), &product),
	    -1);
	CHECK_INT(product, 77);
	CHECK_INT(ka_dec_mul(-1275000, INT64_C(72340172838076673), &product),
	    0);
	CHECK_INT(product, INT64_MIN);
}

static void
test_div(void)
{
	ka_dec quotient = 0;

	CHECK_INT(ka_dec_div(100000, 40000, &quotient), 0);	/* 10 / 4 */
	CHECK_INT(quotient, 25000);
	CHECK_INT(ka_dec_div(10000, 30000, &quotient), 0);	/* 1 / 3 */
	CHECK_INT(quotient, 3333);
	CHECK_INT(ka_dec_div(20000, 30000, &quotient), 0);	/* 2 / 3 */
	CHECK_INT(quotient, 6667);
	CHECK_INT(ka_dec_div(-20000, 30000, &quotient), 0);
	CHECK_INT(quotient, -6667);
	CHECK_INT(ka_dec_div(20000, -30000, &quotient), 0);
	CHECK_INT(quotient, -6667);
	CHECK_INT(ka_dec_div(-20000, -30000, &quotient), 0);
	CHECK_INT(quotient, 6667);
	CHECK_INT(ka_dec_div(0, 50000, &quotient), 0);
	CHECK_INT(quotient, 0);
	CHECK_INT(ka_dec_div(12345600, 10000, &quotient), 0);
	CHECK_INT(quotient, 12345600);
	CHECK_INT(ka_dec_div(INT64_MIN, 10000, &quotient), 0);
	CHECK_INT(quotient, INT64_MIN);
	CHECK_INT(ka_dec_div(1, INT64_MIN, &quotient), 0);
	CHECK_INT(quotient, 0);
}

static void
test_div_rounds_half_away_from_zero(void)
{
	ka_dec quotient = 0;

	/* 0.0001 / 2 = 0.00005 */
	CHECK_INT(ka_dec_div(1, 20000, &quotient), 0);
	CHECK_INT(quotient, 1);
	CHECK_INT(ka_dec_div(-1, 20000, &quotient), 0);
	CHECK_INT(quotient, -1);
	CHECK_INT(ka_dec_div(1, -20000, &quotient), 0);
	CHECK_INT(quotient, -1);
	/* 0.0001 / 2.0001 is just under 0.00005 */
	CHECK_INT(ka_dec_div(1, 20001, &quotient), 0);
	CHECK_INT(quotient, 0);
	/* 0.0005 / 2 = 0.00025 */
	CHECK_INT(ka_dec_div(5, 20000, &quotient), 0);
	CHECK_INT(quotient, 3);
}

static void
test_div_errors(void)
{
	ka_dec quotient = 99;

	CHECK_INT(ka_dec_div(10000, 0, &quotient), -1);
	CHECK_INT(ka_dec_div(0, 0, &quotient), -1);
	CHECK_INT(ka_dec_div(INT64_MIN, -10000, &quotient), -1);
	CHECK_INT(ka_dec_div(INT64_MAX, 5000, &quotient), -1);
	CHECK_INT(ka_dec_div(INT64_C(1000000000000000), 1, &quotient), -1);
	CHECK_INT(quotient, 99);
}

static void
test_round(void)
{
	CHECK_INT(ka_dec_round(99950, 2), 100000);	/* 9.995 */
	CHECK_INT(ka_dec_round(-99950, 2), -100000);
	CHECK_INT(ka_dec_round(99949, 2), 99900);
	CHECK_INT(ka_dec_round(12345, 3), 12350);	/* 1.2345 */
	CHECK_INT(ka_dec_round(-12345, 3), -12350);
	CHECK_INT(ka_dec_round(12344, 3), 12340);
	CHECK_INT(ka_dec_round(25000, 0), 30000);	/* 2.5 */
	CHECK_INT(ka_dec_round(-25000, 0), -30000);
	CHECK_INT(ka_dec_round(24999, 0), 20000);
	CHECK_INT(ka_dec_round(-24999, 0), -20000);
	CHECK_INT(ka_dec_round(15000, 1), 15000);
	CHECK_INT(ka_dec_round(12345, 4), 12345);
	CHECK_INT(ka_dec_round(-4, 2), 0);
	CHECK_INT(ka_dec_round(0, 0), 0);
}

static void
test_round_clamps_places(void)
{
	CHECK_INT(ka_dec_round(12345, 9), 12345);
	CHECK_INT(ka_dec_round(12345, -3), 10000);
	CHECK_INT(ka_dec_round(15000, -1), 20000);
}

/* Rounding up would leave the range, so the extremes round toward zero. */
static void
test_round_extremes(void)
{
	CHECK_INT(ka_dec_round(INT64_MAX, 0), INT64_C(9223372036854770000));
	CHECK_INT(ka_dec_round(INT64_MIN, 0), INT64_C(-9223372036854770000));
	CHECK_INT(ka_dec_round(INT64_MAX, 2), INT64_C(9223372036854775800));
	CHECK_INT(ka_dec_round(INT64_MIN, 3), INT64_C(-9223372036854775800));
	CHECK_INT(ka_dec_round(INT64_MIN, 1), INT64_C(-9223372036854775000));
}

static void
test_format_every_places(void)
{
	FORMAT(12345000, 0, "1235");			/* 1234.5 */
	FORMAT(12345000, 1, "1234.5");
	FORMAT(12345000, 2, "1234.50");
	FORMAT(12345000, 3, "1234.500");
	FORMAT(12345000, 4, "1234.5000");
	FORMAT(12345000, -1, "1234.5");
	FORMAT(12345, 0, "1");				/* 1.2345 */
	FORMAT(12345, 1, "1.2");
	FORMAT(12345, 2, "1.23");
	FORMAT(12345, 3, "1.235");
	FORMAT(12345, 4, "1.2345");
	FORMAT(12345, -1, "1.2345");
}

static void
test_format_negative(void)
{
	FORMAT(-30000, -1, "-3");
	FORMAT(-30000, 0, "-3");
	FORMAT(-30000, 2, "-3.00");
	FORMAT(-12345, 0, "-1");
	FORMAT(-12345, 1, "-1.2");
	FORMAT(-12345, 2, "-1.23");
	FORMAT(-12345, 3, "-1.235");
	FORMAT(-12345, 4, "-1.2345");
	FORMAT(-12345, -1, "-1.2345");
	FORMAT(-1, -1, "-0.0001");
	FORMAT(-1, 4, "-0.0001");
	FORMAT(-5, 3, "-0.001");
}

static void
test_format_rounding_carries(void)
{
	FORMAT(99950, 2, "10.00");		/* 9.995 */
	FORMAT(-99950, 2, "-10.00");
	FORMAT(99995, 3, "10.000");		/* 9.9995 */
	FORMAT(9999, 0, "1");			/* 0.9999 */
	FORMAT(9999, 1, "1.0");
	FORMAT(5000, 0, "1");			/* 0.5 */
	FORMAT(-5000, 0, "-1");
	FORMAT(4999, 0, "0");
	FORMAT(9999950, 1, "1000.0");		/* 999.995 */
	FORMAT(9999950, 2, "1000.00");
}

/*
 * 0.00004 itself has no ka_dec (parsing it is KA_DEC_PRECISION), so the
 * values that must not print as "-0" are the smallest that do exist.
 */
static void
test_format_never_negative_zero(void)
{
	ka_dec minus_zero = 0;

	FORMAT(-4, 2, "0.00");			/* -0.0004 */
	FORMAT(-4, 3, "0.000");
	FORMAT(-4, 0, "0");
	FORMAT(-49, 2, "0.00");			/* -0.0049 */
	FORMAT(-4999, 0, "0");
	FORMAT(0, -1, "0");
	FORMAT(0, 0, "0");
	FORMAT(0, 2, "0.00");
	FORMAT(0, 4, "0.0000");
	CHECK_INT(ka_dec_parse("-0.00000", 8, 0, &minus_zero), KA_DEC_OK);
	FORMAT(minus_zero, -1, "0");
	FORMAT(minus_zero, 2, "0.00");
	PARSE_FAILS("0.00004", POINT, KA_DEC_PRECISION);
	PARSE_FAILS("-0.00004", POINT, KA_DEC_PRECISION);
}

static void
test_format_shortest(void)
{
	FORMAT(1, -1, "0.0001");
	FORMAT(10, -1, "0.001");
	FORMAT(5, -1, "0.0005");
	FORMAT(1000, -1, "0.1");
	FORMAT(1010, -1, "0.101");
	FORMAT(10000, -1, "1");
	FORMAT(12340, -1, "1.234");
	FORMAT(100000000, -1, "10000");
	FORMAT(-100000000, -1, "-10000");
	FORMAT(INT64_C(10000000000), -1, "1000000");
}

static void
test_format_extremes(void)
{
	FORMAT(INT64_MAX, -1, "922337203685477.5807");
	FORMAT(INT64_MAX, 4, "922337203685477.5807");
	FORMAT(INT64_MAX, 3, "922337203685477.581");
	FORMAT(INT64_MAX, 0, "922337203685478");
	FORMAT(INT64_MIN, -1, "-922337203685477.5808");
	FORMAT(INT64_MIN, 4, "-922337203685477.5808");
	FORMAT(INT64_MIN, 2, "-922337203685477.58");
	FORMAT(INT64_MIN, 1, "-922337203685477.6");
	FORMAT(INT64_MIN, 0, "-922337203685478");
}

static void
test_format_clamps_places(void)
{
	FORMAT(12345, 5, "1.2345");
	FORMAT(12000, 9, "1.2000");
	FORMAT(12000, -2, "1.2");
}

static void
test_format_then_parse_round_trips(void)
{
	static const ka_dec values[] = {
		0, 1, -1, 9999, -9999, 10000, 12345600, -12345600,
		INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
	};
	char buf[KA_DEC_BUFSIZE];
	size_t i, length;
	ka_dec back;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		length = ka_dec_format(values[i], -1, buf);
		back = values[i] ^ 1;
		CHECK_INT(ka_dec_parse(buf, length, 0, &back), KA_DEC_OK);
		CHECK_INT(back, values[i]);
		length = ka_dec_format(values[i], 4, buf);
		back = values[i] ^ 1;
		CHECK_INT(ka_dec_parse(buf, length, 0, &back), KA_DEC_OK);
		CHECK_INT(back, values[i]);
	}
}

static void
test_to_double(void)
{
	CHECK(ka_dec_to_double(12345) == 1.2345);
	CHECK(ka_dec_to_double(-5000) == -0.5);
	CHECK(ka_dec_to_double(0) == 0.0);
	CHECK(ka_dec_to_double(12345600) == 1234.56);
}

static void
test_from_int(void)
{
	CHECK_INT(ka_dec_from_int(3), 30000);
	CHECK_INT(ka_dec_from_int(-7), -70000);
	CHECK_INT(ka_dec_from_int(0), 0);
	CHECK_INT(ka_dec_from_int(INT64_C(922337203685477)),
	    INT64_C(9223372036854770000));
}

int
main(void)
{
	RUN(test_parse_plain);
	RUN(test_parse_short_path_agrees);
	RUN(test_parse_surrounding_blanks);
	RUN(test_parse_thousands_separators);
	RUN(test_parse_decimal_comma);
	RUN(test_parse_comma_needs_the_option);
	RUN(test_parse_accounting_negative);
	RUN(test_parse_trailing_minus);
	RUN(test_parse_currency_signs);
	RUN(test_parse_syntax_errors);
	RUN(test_parse_empty);
	RUN(test_parse_precision);
	RUN(test_parse_range);
	RUN(test_parse_worst_problem_wins);
	RUN(test_parse_reads_only_len_bytes);
	RUN(test_parse_leaves_output_on_error);
	RUN(test_status_text);
	RUN(test_add);
	RUN(test_add_overflow);
	RUN(test_sub);
	RUN(test_sub_overflow);
	RUN(test_sum_of_tenths_is_exact);
	RUN(test_mul);
	RUN(test_mul_rounds_half_away_from_zero);
	RUN(test_mul_overflow);
	RUN(test_div);
	RUN(test_div_rounds_half_away_from_zero);
	RUN(test_div_errors);
	RUN(test_round);
	RUN(test_round_clamps_places);
	RUN(test_round_extremes);
	RUN(test_format_every_places);
	RUN(test_format_negative);
	RUN(test_format_rounding_carries);
	RUN(test_format_never_negative_zero);
	RUN(test_format_shortest);
	RUN(test_format_extremes);
	RUN(test_format_clamps_places);
	RUN(test_format_then_parse_round_trips);
	RUN(test_to_double);
	RUN(test_from_int);
	return CHECK_EXIT();
}
