/*
 * Exact decimals: int64_t fixed point with 4 decimal places.
 *
 * Parsing runs for every amount of every row, so it is one pass over the
 * bytes with no allocation, no locale and no strtod.  Magnitudes are
 * accumulated unsigned and the sign applied last, so that the most
 * negative value parses and no step can overflow a signed type.
 */
#include "ka_decimal.h"

/* Integer digits beyond this cannot fit once scaled by 10000. */
#define MAX_WHOLE_UNITS	((uint64_t)INT64_MAX / (uint64_t)KA_DEC_SCALE)

/* The magnitude of INT64_MIN, which has no positive int64_t. */
#define MAX_NEGATIVE_MAGNITUDE	((uint64_t)INT64_MAX + 1)

/*
 * Unsigned so that the sanitizers need no 128-bit overflow helpers
 * (clang's __muloti4 is missing from libgcc) and no signed step can be
 * undefined; __extension__ keeps -pedantic quiet about the type.
 */
__extension__ typedef unsigned __int128 wide_magnitude;

static const uint64_t powers_of_ten[KA_DEC_PLACES + 1] = {
	1, 10, 100, 1000, 10000
};

/* The parts of a number found around its digits. */
struct number_marks {
	int	has_sign;	/* a leading '+' or '-' */
	int	negative;
	int	parenthesized;
	int	has_currency;
};

/* The digits of a number, before its sign is applied. */
struct number_digits {
	uint64_t	whole;		/* saturates just above MAX_WHOLE_UNITS */
	uint64_t	fraction;	/* the first 4 decimals, in 1/10000 */
	int		too_precise;	/* a non-zero digit after the 4th */
};

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static const unsigned char *
skip_blanks(const unsigned char *p, const unsigned char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* The length of the UTF-8 currency sign at p, or 0 when there is none. */
static size_t
currency_length(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);

	if (*p == '$')
		return 1;
	/* ¥ U+00A5 and £ U+00A3 */
	if (left >= 2 && p[0] == 0xC2 && (p[1] == 0xA5 || p[1] == 0xA3))
		return 2;
	/* € U+20AC */
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x82 && p[2] == 0xAC)
		return 3;
	/* ￥ U+FFE5, the fullwidth yen of Chinese and Japanese exports */
	if (left >= 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xA5)
		return 3;
	return 0;
}

/*
 * Reads what may come before the digits: '(', one sign, one currency
 * sign, with blanks between them.  A sign inside parentheses or a '('
 * after a sign would be two signs, so each stops the prefix and the
 * digits that follow then fail to start.
 */
static const unsigned char *
parse_prefix(const unsigned char *p, const unsigned char *end,
    struct number_marks *marks)
{
	size_t length;

	for (;;) {
		p = skip_blanks(p, end);
		if (p == end)
			return p;
		if (*p == '(' && !marks->parenthesized && !marks->has_sign) {
			marks->parenthesized = 1;
			p++;
		} else if ((*p == '-' || *p == '+') && !marks->has_sign &&
		    !marks->parenthesized) {
			marks->has_sign = 1;
			marks->negative = *p == '-';
			p++;
		} else if (!marks->has_currency &&
		    (length = currency_length(p, end)) > 0) {
			marks->has_currency = 1;
			p += length;
		} else
			return p;
	}
}

/*
 * Reads the integer part, with optional thousands separators: a first
 * group of 1 to 3 digits, then groups of exactly 3.  Returns NULL on a
 * misplaced separator.
 */
static const unsigned char *
parse_whole(const unsigned char *p, const unsigned char *end,
    unsigned char separator, struct number_digits *digits, size_t *count)
{
	size_t group_length = 0;
	int grouped = 0;

	for (; p < end; p++) {
		unsigned digit = (unsigned)*p - '0';

		if (digit <= 9) {
			/* Stop growing once too large; the caller reports it. */
			if (digits->whole <= MAX_WHOLE_UNITS)
				digits->whole = digits->whole * 10 + digit;
			group_length++;
			(*count)++;
			continue;
		}
		if (*p != separator)
			break;
		if (grouped ? group_length != 3 :
		    (group_length < 1 || group_length > 3))
			return NULL;
		grouped = 1;
		group_length = 0;
	}
	if (grouped && group_length != 3)
		return NULL;
	return p;
}

/* Reads the digits after the decimal point. */
static const unsigned char *
parse_fraction(const unsigned char *p, const unsigned char *end,
    struct number_digits *digits, size_t *count)
{
	size_t places = 0;
	unsigned digit;

	for (; p < end && (digit = (unsigned)*p - '0') <= 9; p++) {
		if (places < KA_DEC_PLACES) {
			digits->fraction = digits->fraction * 10 + digit;
			places++;
		} else if (digit != 0)
			digits->too_precise = 1;
		(*count)++;
	}
	digits->fraction *= powers_of_ten[KA_DEC_PLACES - places];
	return p;
}

/*
 * Applies the sign to a magnitude; -1 when the result does not fit.
 * The negative case subtracts in two steps so that INT64_MIN is reached
 * without negating a value that has no positive counterpart.
 */
static int
signed_from_magnitude(int negative, uint64_t magnitude, ka_dec *out)
{
	if (negative && magnitude > 0) {
		if (magnitude > MAX_NEGATIVE_MAGNITUDE)
			return -1;
		*out = -(ka_dec)(magnitude - 1) - 1;
		return 0;
	}
	if (magnitude > (uint64_t)INT64_MAX)
		return -1;
	*out = (ka_dec)magnitude;
	return 0;
}

static uint64_t
magnitude_of(ka_dec v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * The common case, quickly: an optional '-', 1 to 14 digits, and
 * optionally the decimal point and 1 to 4 digits, nothing else.  Returns
 * 1 with *out set, or 0 for anything else, which the full parser then
 * reads (14 digits cannot overflow, so no check is needed here).
 */
static inline int
parse_plain(const unsigned char *p, const unsigned char *end,
    unsigned char decimal_point, ka_dec *out)
{
	const unsigned char *start;
	uint64_t whole = 0, fraction = 0;
	int negative = 0;
	size_t places;

	if (p < end && *p == '-') {
		negative = 1;
		p++;
	}
	start = p;
	while (p < end && (unsigned)(*p - '0') <= 9)
		whole = whole * 10 + (unsigned)(*p++ - '0');
	if (p == start || p - start > 14)
		return 0;
	if (p < end) {
		if (*p++ != decimal_point)
			return 0;
		start = p;
		while (p < end && (unsigned)(*p - '0') <= 9)
			fraction = fraction * 10 + (unsigned)(*p++ - '0');
		places = (size_t)(p - start);
		if (p != end || places == 0 || places > KA_DEC_PLACES)
			return 0;
		fraction *= powers_of_ten[KA_DEC_PLACES - places];
	}
	whole = whole * KA_DEC_SCALE + fraction;
	*out = negative ? -(ka_dec)whole : (ka_dec)whole;
	return 1;
}

enum ka_dec_status
ka_dec_parse(const char *s, size_t len, int decimal_comma, ka_dec *out)
{
	const unsigned char *p, *end;
	struct number_marks marks = { 0, 0, 0, 0 };
	struct number_digits digits = { 0, 0, 0 };
	unsigned char decimal_point = decimal_comma ? ',' : '.';
	unsigned char separator = decimal_comma ? '.' : ',';
	size_t digit_count = 0;
	ka_dec value;

	if (len == 0)
		return KA_DEC_EMPTY;
	p = (const unsigned char *)s;
	end = p + len;
	if (parse_plain(p, end, decimal_point, out))
		return KA_DEC_OK;
	p = skip_blanks(p, end);
	if (p == end)
		return KA_DEC_EMPTY;

	/* Most amounts start with a digit: skip the prefix machinery. */
	if ((unsigned)*p - '0' > 9)
		p = parse_prefix(p, end, &marks);
	p = parse_whole(p, end, separator, &digits, &digit_count);
	if (p == NULL)
		return KA_DEC_SYNTAX;
	if (p < end && *p == decimal_point)
		p = parse_fraction(p + 1, end, &digits, &digit_count);
	if (digit_count == 0)
		return KA_DEC_SYNTAX;

	/* SAP writes negatives as "12.00-"; with any other sign it is two. */
	if (p < end && *p == '-') {
		if (marks.has_sign || marks.parenthesized)
			return KA_DEC_SYNTAX;
		marks.negative = 1;
		p++;
	}
	if (marks.parenthesized) {
		p = skip_blanks(p, end);
		if (p == end || *p != ')')
			return KA_DEC_SYNTAX;
		marks.negative = 1;
		p++;
	}
	if (skip_blanks(p, end) != end)
		return KA_DEC_SYNTAX;

	if (digits.whole > MAX_WHOLE_UNITS)
		return KA_DEC_RANGE;
	/* Fits: MAX_WHOLE_UNITS * 10000 + 9999 is far below 2^64. */
	if (signed_from_magnitude(marks.negative,
	    digits.whole * KA_DEC_SCALE + digits.fraction, &value) == -1)
		return KA_DEC_RANGE;
	if (digits.too_precise)
		return KA_DEC_PRECISION;
	*out = value;
	return KA_DEC_OK;
}

const char *
ka_dec_status_text(enum ka_dec_status status)
{
	switch (status) {
	case KA_DEC_OK:
		return "ok";
	case KA_DEC_EMPTY:
		return "empty";
	case KA_DEC_SYNTAX:
		return "not a number";
	case KA_DEC_RANGE:
		return "number out of range";
	case KA_DEC_PRECISION:
		return "more than 4 decimal places";
	}
	return "unknown decimal status";
}

int
ka_dec_add(ka_dec *sum, ka_dec value)
{
	/* Each bound is computed on the side where it cannot overflow. */
	if (value > 0 ? *sum > INT64_MAX - value : *sum < INT64_MIN - value)
		return -1;
	*sum += value;
	return 0;
}

int
ka_dec_sub(ka_dec *sum, ka_dec value)
{
	if (value < 0 ? *sum > INT64_MAX + value : *sum < INT64_MIN + value)
		return -1;
	*sum -= value;
	return 0;
}

/*
 * Divides a non-negative wide magnitude, rounding half away from zero
 * (on a magnitude, that is half up), and applies the sign.
 */
static int
divide_rounded(int negative, wide_magnitude dividend, wide_magnitude divisor,
    ka_dec *result)
{
	wide_magnitude quotient = dividend / divisor;
	wide_magnitude remainder = dividend % divisor;

	if (remainder >= divisor - remainder)
		quotient++;
	if (quotient > MAX_NEGATIVE_MAGNITUDE)
		return -1;
	return signed_from_magnitude(negative, (uint64_t)quotient, result);
}

int
ka_dec_mul(ka_dec a, ka_dec b, ka_dec *product)
{
	wide_magnitude exact;

	/* Both factors carry the scale, so the exact product carries it twice. */
	exact = (wide_magnitude)magnitude_of(a) * magnitude_of(b);
	return divide_rounded((a < 0) != (b < 0), exact,
	    (wide_magnitude)KA_DEC_SCALE, product);
}

int
ka_dec_div(ka_dec a, ka_dec b, ka_dec *quotient)
{
	wide_magnitude dividend;

	if (b == 0)
		return -1;
	/* Scaling the dividend once more keeps the scale in the quotient. */
	dividend = (wide_magnitude)magnitude_of(a) * (uint64_t)KA_DEC_SCALE;
	return divide_rounded((a < 0) != (b < 0), dividend,
	    (wide_magnitude)magnitude_of(b), quotient);
}

ka_dec
ka_dec_round(ka_dec v, int places)
{
	int64_t unit, quotient, remainder;
	int half_or_more;

	if (places >= KA_DEC_PLACES)
		return v;
	if (places < 0)
		places = 0;
	unit = (int64_t)powers_of_ten[KA_DEC_PLACES - places];
	quotient = v / unit;
	remainder = v % unit;
	half_or_more = (remainder < 0 ? -remainder : remainder) * 2 >= unit;
	/* Only the extremes cannot round away from zero; they keep the
	   nearest multiple that fits. */
	if (half_or_more) {
		if (v < 0 && quotient > INT64_MIN / unit)
			quotient--;
		else if (v > 0 && quotient < INT64_MAX / unit)
			quotient++;
	}
	return quotient * unit;
}

/* Writes n in decimal, most significant digit first; returns the length. */
static size_t
write_unsigned(char *buf, uint64_t n)
{
	char reversed[20];
	size_t length = 0, i;

	do {
		reversed[length++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	for (i = 0; i < length; i++)
		buf[i] = reversed[length - 1 - i];
	return length;
}

/* Writes the low width digits of n, with leading zeros. */
static void
write_zero_padded(char *buf, uint64_t n, int width)
{
	while (width-- > 0) {
		buf[width] = (char)('0' + n % 10);
		n /= 10;
	}
}

static size_t
format_shortest(int negative, uint64_t magnitude, char *buf)
{
	uint64_t fraction = magnitude % KA_DEC_SCALE;
	int width = KA_DEC_PLACES;
	size_t length = 0;

	if (negative && magnitude > 0)
		buf[length++] = '-';
	length += write_unsigned(buf + length, magnitude / KA_DEC_SCALE);
	if (fraction > 0) {
		while (fraction % 10 == 0) {
			fraction /= 10;
			width--;
		}
		buf[length++] = '.';
		write_zero_padded(buf + length, fraction, width);
		length += (size_t)width;
	}
	buf[length] = '\0';
	return length;
}

size_t
ka_dec_format(ka_dec v, int places, char *buf)
{
	uint64_t magnitude = magnitude_of(v);
	uint64_t unit, rounded;
	size_t length = 0;

	if (places < 0)
		return format_shortest(v < 0, magnitude, buf);
	if (places > KA_DEC_PLACES)
		places = KA_DEC_PLACES;

	/*
	 * Round the magnitude rather than the value: it cannot overflow
	 * (2^63 + 5000 fits in 64 unsigned bits), and a value that rounds
	 * to zero then loses its sign, so "-0.00" cannot appear.
	 */
	unit = powers_of_ten[KA_DEC_PLACES - places];
	rounded = magnitude / unit;
	if (magnitude % unit * 2 >= unit)
		rounded++;

	if (v < 0 && rounded > 0)
		buf[length++] = '-';
	length += write_unsigned(buf + length, rounded / powers_of_ten[places]);
	if (places > 0) {
		buf[length++] = '.';
		write_zero_padded(buf + length, rounded % powers_of_ten[places],
		    places);
		length += (size_t)places;
	}
	buf[length] = '\0';
	return length;
}

double
ka_dec_to_double(ka_dec v)
{
	return (double)v / (double)KA_DEC_SCALE;
}

ka_dec
ka_dec_from_int(int64_t units)
{
	return units * KA_DEC_SCALE;
}
