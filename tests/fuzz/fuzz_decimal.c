/*
 * libFuzzer harness for common/ka_decimal.c.
 *
 * The input is parsed as text both with and without --decimal-comma;
 * every value that parses must format and parse back to itself.  The
 * first 16 bytes are also taken as two raw values for the arithmetic,
 * whose results are checked against exact 128-bit arithmetic, so that
 * the sanitizers see every overflow path and a wrong rounding aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ka_decimal.h"

__extension__ typedef __int128 exact_int;

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int64_t units_for_places[KA_DEC_PLACES + 1] = {
	10000, 1000, 100, 10, 1
};

static void
require(int condition)
{
	if (!condition)
		abort();
}

static exact_int
absolute(exact_int n)
{
	return n < 0 ? -n : n;
}

static int
fits(exact_int n)
{
	return n >= INT64_MIN && n <= INT64_MAX;
}

/*
 * result must be the exact numerator / denominator rounded half away
 * from zero; -1 only when that rounded value does not fit.
 */
static void
require_rounded_quotient(int status, ka_dec result, exact_int numerator,
    exact_int denominator)
{
	exact_int error, twice_error;

	if (status == -1) {
		/* Even rounding toward zero lands at or past the limits. */
		require(!fits(numerator / denominator) ||
		    absolute(numerator / denominator) >= INT64_MAX);
		return;
	}
	require(status == 0);
	error = (exact_int)result * denominator - numerator;
	twice_error = 2 * absolute(error);
	require(twice_error <= absolute(denominator));
	/* A tie goes to the side away from zero. */
	if (twice_error == absolute(denominator))
		require(absolute((exact_int)result * denominator) >
		    absolute(numerator));
}

static void
check_arithmetic(ka_dec a, ka_dec b)
{
	ka_dec result;
	int status;
	exact_int exact;

	result = a;
	status = ka_dec_add(&result, b);
	exact = (exact_int)a + b;
	require(fits(exact) ? status == 0 && result == exact :
	    status == -1 && result == a);

	result = a;
	status = ka_dec_sub(&result, b);
	exact = (exact_int)a - b;
	require(fits(exact) ? status == 0 && result == exact :
	    status == -1 && result == a);

	status = ka_dec_mul(a, b, &result);
	require_rounded_quotient(status, result, (exact_int)a * b,
	    KA_DEC_SCALE);

	status = ka_dec_div(a, b, &result);
	if (b == 0)
		require(status == -1);
	else
		require_rounded_quotient(status, result,
		    (exact_int)a * KA_DEC_SCALE, b);
}

static void
check_round(ka_dec value)
{
	int places;
	ka_dec rounded;
	exact_int unit, error;

	for (places = 0; places <= KA_DEC_PLACES; places++) {
		unit = units_for_places[places];
		rounded = ka_dec_round(value, places);
		require(rounded % unit == 0);
		error = absolute((exact_int)rounded - value);
		/* Near the limits the nearest fitting multiple is allowed. */
		require(2 * error <= unit ||
		    (error < unit && (value > INT64_MAX - unit ||
		    value < INT64_MIN + unit)));
	}
}

/* Formats value every way and parses each text back. */
static void
check_format(ka_dec value)
{
	char text[KA_DEC_BUFSIZE], comma_text[KA_DEC_BUFSIZE], *point;
	size_t length;
	ka_dec back;
	int places;
	enum ka_dec_status status;

	for (places = -1; places <= KA_DEC_PLACES; places++) {
		memset(text, 'x', sizeof(text));
		length = ka_dec_format(value, places, text);
		require(length < KA_DEC_BUFSIZE && length == strlen(text));
		back = 0;
		status = ka_dec_parse(text, length, 0, &back);
		if (places == -1 || places == KA_DEC_PLACES)
			require(status == KA_DEC_OK && back == value);
		else if (status == KA_DEC_OK)
			require(back == ka_dec_round(value, places));
		else
			/* Rounding the extremes up leaves the range. */
			require(status == KA_DEC_RANGE &&
			    (value > INT64_MAX - 10000 ||
			    value < INT64_MIN + 10000));
		if (status == KA_DEC_OK && back == 0)
			require(text[0] != '-');

		/* The same text with a decimal comma reads the same. */
		memcpy(comma_text, text, length + 1);
		if ((point = strchr(comma_text, '.')) != NULL)
			*point = ',';
		back = 0;
		require(ka_dec_parse(comma_text, length, 1, &back) == status);
		if (status == KA_DEC_OK)
			require(back == ka_dec_round(value, places < 0 ?
			    KA_DEC_PLACES : places));
	}
}

static void
check_parsed_text(const uint8_t *data, size_t size, int decimal_comma)
{
	ka_dec value = 12345;
	enum ka_dec_status status;

	status = ka_dec_parse((const char *)data, size, decimal_comma, &value);
	require(status >= KA_DEC_OK && status <= KA_DEC_PRECISION);
	require(ka_dec_status_text(status) != NULL);
	if (status != KA_DEC_OK) {
		require(value == 12345);
		return;
	}
	check_format(value);
	check_round(value);
	check_arithmetic(value, value);
	check_arithmetic(value, KA_DEC_SCALE);
	check_arithmetic(value, -1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t raw[2];

	check_parsed_text(data, size, 0);
	check_parsed_text(data, size, 1);
	if (size >= sizeof(raw)) {
		memcpy(raw, data, sizeof(raw));
		check_arithmetic(raw[0], raw[1]);
		check_arithmetic(raw[1], raw[0]);
		check_format(raw[0]);
		check_round(raw[0]);
	}
	return 0;
}
