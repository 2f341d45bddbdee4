#include <stdint.h>
#include <string.h>

#include "ka_utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t
ka_utf8_invalid_at(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint64_t word;

	while (i < len) {
		/* Sales data is mostly ASCII: skip it 16 and 8 bytes at a
		 * time. */
#ifdef __SSE2__
		while (i + 16 <= len && _mm_movemask_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)(s + i))) == 0)
			i += 16;
#endif
		while (i + 8 <= len) {
			memcpy(&word, s + i, 8);
			if (word & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		/* Then a run of characters, ASCII or not, up to the next
		 * stretch of ASCII. */
		while (i < len) {
			if (s[i] < 0x80) {
				i++;
				if (i + 8 <= len && s[i] < 0x80)
					break;
				continue;
			}
			n = ka_utf8_sequence_length(s + i, len - i);
			if (n == 0)
				return i;
			i += n;
		}
	}
	return len;
}

#ifdef KA_UTF8_AVX2
#include <immintrin.h>

/*
 * The lookup validation of Keiser and Lemire ("Validating UTF-8 in less
 * than one instruction per byte", 2021): three 16-entry tables, indexed
 * by the high and low nibble of the byte before and the high nibble of
 * the byte itself, each give the errors the pair may be; a pair is
 * wrong when all three agree on one.  Then the third and fourth bytes of
 * 3- and 4-byte sequences must be continuations, and nothing else may.
 */
#define TOO_SHORT	(1 << 0)	/* a lead byte, then no continuation */
#define TOO_LONG	(1 << 1)	/* ASCII, then a continuation */
#define OVERLONG_3	(1 << 2)
#define TOO_LARGE	(1 << 3)	/* past U+10FFFF */
#define SURROGATE	(1 << 4)
#define OVERLONG_2	(1 << 5)
#define TOO_LARGE_1000	(1 << 6)
#define OVERLONG_4	(1 << 6)
#define TWO_CONTS	(1 << 7)	/* a continuation after a continuation */
#define CARRY		(TOO_SHORT | TOO_LONG | TWO_CONTS)

#define B(x)	((char)(unsigned char)(x))
#define LOOKUP16(index, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) \
	_mm256_shuffle_epi8(_mm256_setr_epi8(B(a), B(b), B(c), B(d), B(e), \
	    B(f), B(g), B(h), B(i), B(j), B(k), B(l), B(m), B(n), B(o), B(p), \
	    B(a), B(b), B(c), B(d), B(e), B(f), B(g), B(h), B(i), B(j), B(k), \
	    B(l), B(m), B(n), B(o), B(p)), index)

static inline __attribute__((target("avx2"), always_inline)) __m256i
high_nibbles(__m256i v)
{
	return _mm256_and_si256(_mm256_srli_epi16(v, 4),
	    _mm256_set1_epi8(0x0f));
}

/* The errors in the 32 bytes of input, given the 32 before them. */
static inline __attribute__((target("avx2"), always_inline)) __m256i
block_errors(__m256i input, __m256i before)
{
	__m256i joined = _mm256_permute2x128_si256(before, input, 0x21);
	__m256i prev1 = _mm256_alignr_epi8(input, joined, 15);
	__m256i prev2 = _mm256_alignr_epi8(input, joined, 14);
	__m256i prev3 = _mm256_alignr_epi8(input, joined, 13);
	__m256i byte_1_high = LOOKUP16(high_nibbles(prev1),
	    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
	    TOO_SHORT | OVERLONG_2,
	    TOO_SHORT,
	    TOO_SHORT | OVERLONG_3 | SURROGATE,
	    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
	__m256i byte_1_low = LOOKUP16(_mm256_and_si256(prev1,
	    _mm256_set1_epi8(0x0f)),
	    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
	    CARRY | OVERLONG_2,
	    CARRY,
	    CARRY,
	    CARRY | TOO_LARGE,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000);
	__m256i byte_2_high = LOOKUP16(high_nibbles(input),
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 |
	    OVERLONG_4,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
	__m256i special = _mm256_and_si256(_mm256_and_si256(byte_1_high,
	    byte_1_low), byte_2_high);
	/* Two and three bytes after a 3- or 4-byte lead: continuations. */
	__m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(
	    (char)(0xe0 - 0x80)));
	__m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(
	    (char)(0xf0 - 0x80)));
	__m256i must_continue = _mm256_and_si256(_mm256_or_si256(third,
	    fourth), _mm256_set1_epi8((char)0x80));

	return _mm256_xor_si256(must_continue, special);
}

__attribute__((target("avx2"))) size_t
ka_utf8_invalid_in_avx2(const char *text, size_t from, size_t to,
    size_t readable)
{
	/* 32 bytes kept, then 32 cleared: a load from keep + 32 - n keeps
	 * the first n bytes of a block. */
	static const unsigned char keep[64] = {
	    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	    255, 255, 255, 255, 255, 255 };
	__m256i before = _mm256_setzero_si256(), errors = before, block;
	unsigned char copy[32];
	size_t at;

	for (at = from; at < to; at += 32) {
		const char *p = text + at;

		if (to - at >= 32) {
			block = _mm256_loadu_si256((const __m256i *)(const void *)
			    p);
		} else {
			if (readable < at + 32) {
				memset(copy, 0, sizeof(copy));
				memcpy(copy, p, to - at);
				p = (const char *)copy;
			}
			block = _mm256_and_si256(_mm256_loadu_si256(
			    (const __m256i *)(const void *)p),
			    _mm256_loadu_si256((const __m256i *)(const void *)
			    (keep + 32 - (to - at))));
		}
		errors = _mm256_or_si256(errors, block_errors(block, before));
		before = block;
	}
	/* ASCII after the stretch: a sequence it cuts short is an error. */
	errors = _mm256_or_si256(errors,
	    block_errors(_mm256_setzero_si256(), before));
	if (_mm256_testz_si256(errors, errors))
		return to;
	return ka_utf8_invalid_in(text, from, to);
}
#endif

static uint32_t
decode(const unsigned char *s, size_t n)
{
	switch (n) {
	case 2:
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	case 3:
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	case 4:
		return (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	default:
		return s[0];
	}
}

static int
is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) ||
	    (c >= 0x2e80 && c <= 0x303e) ||
	    (c >= 0x3041 && c <= 0x33ff) ||
	    (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xa000 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) ||
	    (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) ||
	    (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) ||
	    (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) ||
	    (c >= 0x20000 && c <= 0x3fffd);
}

static int
is_combining(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0x3099 && c <= 0x309a) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xfe20 && c <= 0xfe2f);
}

size_t
ka_utf8_width(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, width = 0, n;
	uint32_t c;

	while (i < len) {
		n = ka_utf8_sequence_length(s + i, len - i);
		if (n <= 1) {
			width++;
			i++;
			continue;
		}
		c = decode(s + i, n);
		if (is_combining(c))
			;
		else if (is_wide(c))
			width += 2;
		else
			width++;
		i += n;
	}
	return width;
}
