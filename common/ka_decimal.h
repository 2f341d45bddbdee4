/*
 * Exact decimals for money, quantities and unit prices (DESIGN.md
 * section 4).  A value is an int64_t holding the number times 10000, so
 * sums never drift the way binary floating point does, the range is
 * about +-922 trillion, and every overflow is reported instead of
 * wrapping.
 */
#ifndef KA_DECIMAL_H
#define KA_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t ka_dec;

#define KA_DEC_PLACES	4
#define KA_DEC_SCALE	INT64_C(10000)

/* Room for the longest formatted value, "-922337203685477.5808", and NUL. */
#define KA_DEC_BUFSIZE	32

enum ka_dec_status {
	KA_DEC_OK = 0,
	KA_DEC_EMPTY,		/* empty or only spaces: callers decide if that is allowed */
	KA_DEC_SYNTAX,		/* not a number */
	KA_DEC_RANGE,		/* too large for the fixed-point range */
	KA_DEC_PRECISION	/* non-zero digits beyond the 4th decimal place:
				   refusing is exact, rounding silently would not be */
};

/*
 * Parses the len bytes at s (no NUL needed).  Accepts surrounding spaces
 * and TABs, one sign before or after a leading currency sign ($ € ¥ ￥ £),
 * accounting parentheses "(12.00)" instead of a sign, a trailing minus
 * "12.00-", and thousands separators in groups of three.  With
 * decimal_comma set, ',' is the decimal point and '.' the thousands
 * separator; otherwise the reverse.  *out is written only on KA_DEC_OK.
 * When several things are wrong, SYNTAX wins over RANGE over PRECISION.
 */
enum ka_dec_status ka_dec_parse(const char *s, size_t len, int decimal_comma,
    ka_dec *out);

/* "not a number", "number out of range", "more than 4 decimal places",
   "empty"; "ok" for KA_DEC_OK. */
const char *ka_dec_status_text(enum ka_dec_status status);

/* 0 on success; -1 on overflow, leaving *sum unchanged. */
int	ka_dec_add(ka_dec *sum, ka_dec value);
int	ka_dec_sub(ka_dec *sum, ka_dec value);

/* The exact result rounded half away from zero to 4 places.  0 on
   success; -1 on overflow (or division by zero), *result untouched. */
int	ka_dec_mul(ka_dec a, ka_dec b, ka_dec *product);
int	ka_dec_div(ka_dec a, ka_dec b, ka_dec *quotient);

/*
 * v rounded half away from zero to places (0..4; outside that range it
 * is clamped).  The two results that would fall outside the int64 range
 * (within half a unit of the extremes) are rounded toward zero instead.
 */
ka_dec	ka_dec_round(ka_dec v, int places);

/*
 * Writes v into buf, which has room for KA_DEC_BUFSIZE bytes, with '.'
 * as the decimal point and no thousands separators, and returns the
 * length.  places 0..4 rounds half away from zero and always writes that
 * many decimals ("1234.50" for 2); -1 writes the shortest exact form
 * ("1234.5", "-3", "0").  Never writes "-0" in any form.  Other values
 * of places are clamped to -1..4.
 */
size_t	ka_dec_format(ka_dec v, int places, char *buf);

/* For statistics only, never for sums: a double cannot hold every value. */
double	ka_dec_to_double(ka_dec v);

/* The caller guarantees that units * 10000 fits. */
ka_dec	ka_dec_from_int(int64_t units);

#endif
