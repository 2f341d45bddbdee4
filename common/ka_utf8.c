#include <stdint.h>
#include <string.h>

#include "ka_utf8.h"

/* Length of the valid sequence at s, or 0 when it is not valid. */
static size_t
sequence_length(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (left >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && s[1] >= 0xa0)		/* surrogate */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)		/* past U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

size_t
ka_utf8_invalid_at(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint64_t word;

	while (i < len) {
		/* Sales data is mostly ASCII: check eight bytes at a time. */
		while (i + 8 <= len) {
			memcpy(&word, s + i, 8);
			if (word & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = sequence_length(s + i, len - i);
		if (n == 0)
			return i;
		i += n;
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
		n = sequence_length(s + i, len - i);
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
