/* ka_utf8: checking UTF-8 and measuring how wide text shows. */
#ifndef KA_UTF8_H
#define KA_UTF8_H

#include <stddef.h>

/* Offset of the first byte that is not valid UTF-8, or len if none. */
size_t	ka_utf8_invalid_at(const char *s, size_t len);

/*
 * Length of the valid UTF-8 sequence at s (1 to 4), or 0 when the bytes
 * there are not one (overlong, surrogate, past U+10FFFF, cut short by
 * left).  Inline: the reader checks each record's few non-ASCII bytes
 * with it.
 */
static inline size_t
ka_utf8_sequence_length(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
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

/*
 * Terminal columns the text takes: 2 for East Asian wide characters,
 * 0 for combining marks, 1 otherwise.  Invalid bytes count as 1.
 */
size_t	ka_utf8_width(const char *s, size_t len);

/*
 * The first byte in [from, to) of text that is not valid UTF-8, or to;
 * inline and byte by byte, for short stretches (the reader checks each
 * record's bytes above 0x7f with it, mostly a word or two).
 */
static inline size_t
ka_utf8_invalid_in(const char *text, size_t from, size_t to)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n;

	while (from < to) {
		if (s[from] < 0x80) {
			from++;
			continue;
		}
		n = ka_utf8_sequence_length(s + from, to - from);
		if (n == 0)
			return from;
		from += n;
	}
	return to;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(KA_NO_SIMD)
#define KA_UTF8_AVX2 1
/*
 * ka_utf8_invalid_in() for CPUs with AVX2 (the caller checks): 32 bytes
 * at a time without a branch per character; only when something is
 * wrong does the byte-by-byte check find where.  May read up to
 * readable bytes of text (at least to), whatever is past to.
 */
size_t	ka_utf8_invalid_in_avx2(const char *text, size_t from, size_t to,
	    size_t readable);
#endif

#endif
