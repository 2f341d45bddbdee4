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
