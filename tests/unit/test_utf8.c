/*
 * Unit tests of common/ka_utf8.c.  Every byte sequence is written out
 * by hand with the code point it stands for, and every expected offset
 * and width is counted by hand.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ka_utf8.h"

/* Offset of the first invalid byte of a literal (sizeof, so NULs count). */
#define INVALID_AT(lit)	ka_utf8_invalid_at((lit), sizeof(lit) - 1)
#define WIDTH(lit)	ka_utf8_width((lit), sizeof(lit) - 1)

static void
test_valid_sequences(void)
{
	CHECK_INT(ka_utf8_invalid_at("", 0), 0);
	CHECK_INT(INVALID_AT("abc"), 3);
	CHECK_INT(INVALID_AT("\x7f"), 1);			/* U+007F */
	CHECK_INT(INVALID_AT("a\0b"), 3);			/* U+0000 */
	CHECK_INT(INVALID_AT("\xc2\x80"), 2);			/* U+0080 */
	CHECK_INT(INVALID_AT("\xc3\xa9"), 2);			/* é */
	CHECK_INT(INVALID_AT("\xdf\xbf"), 2);			/* U+07FF */
	CHECK_INT(INVALID_AT("\xe0\xa0\x80"), 3);		/* U+0800 */
	CHECK_INT(INVALID_AT("\xe4\xb8\xad"), 3);		/* 中 */
	CHECK_INT(INVALID_AT("\xed\x9f\xbf"), 3);		/* U+D7FF */
	CHECK_INT(INVALID_AT("\xee\x80\x80"), 3);		/* U+E000 */
	CHECK_INT(INVALID_AT("\xef\xbb\xbf"), 3);		/* BOM U+FEFF */
	CHECK_INT(INVALID_AT("\xef\xbf\xbf"), 3);		/* U+FFFF */
	CHECK_INT(INVALID_AT("\xf0\x90\x80\x80"), 4);		/* U+10000 */
	CHECK_INT(INVALID_AT("\xf0\x9f\x98\x80"), 4);		/* 😀 */
	CHECK_INT(INVALID_AT("\xf4\x8f\xbf\xbf"), 4);		/* U+10FFFF */
	/* 8 CJK x 3 + ", " + "Zürich" (7) + "; " + 😀 (4) + " ok" = 42. */
	CHECK_INT(INVALID_AT("上海贸易有限公司, Zürich; 😀 ok"), 42);
}

static void
test_overlong_forms(void)
{
	CHECK_INT(INVALID_AT("\xc0\x80"), 0);		/* U+0000 in 2 */
	CHECK_INT(INVALID_AT("\xc0\xaf"), 0);		/* '/' in 2 */
	CHECK_INT(INVALID_AT("\xc1\xbf"), 0);		/* U+007F in 2 */
	CHECK_INT(INVALID_AT("\xe0\x80\x80"), 0);	/* U+0000 in 3 */
	CHECK_INT(INVALID_AT("\xe0\x9f\xbf"), 0);	/* U+07FF in 3 */
	CHECK_INT(INVALID_AT("\xf0\x80\x80\x80"), 0);	/* U+0000 in 4 */
	CHECK_INT(INVALID_AT("\xf0\x8f\xbf\xbf"), 0);	/* U+FFFF in 4 */
	CHECK_INT(INVALID_AT("ab\xc0\xaf"), 2);
}

static void
test_surrogates(void)
{
	CHECK_INT(INVALID_AT("\xed\xa0\x80"), 0);	/* U+D800 */
	CHECK_INT(INVALID_AT("\xed\xad\xbf"), 0);	/* U+DB7F */
	CHECK_INT(INVALID_AT("\xed\xb0\x80"), 0);	/* U+DC00 */
	CHECK_INT(INVALID_AT("\xed\xbf\xbf"), 0);	/* U+DFFF */
	/* CESU-8's pair for U+1F600. */
	CHECK_INT(INVALID_AT("ok\xed\xa0\xbd\xed\xb8\x80"), 2);
}

static void
test_beyond_u10ffff(void)
{
	CHECK_INT(INVALID_AT("\xf4\x90\x80\x80"), 0);	/* U+110000 */
	CHECK_INT(INVALID_AT("\xf4\xbf\xbf\xbf"), 0);	/* U+13FFFF */
	CHECK_INT(INVALID_AT("\xf5\x80\x80\x80"), 0);
	CHECK_INT(INVALID_AT("\xf7\xbf\xbf\xbf"), 0);	/* U+1FFFFF */
	CHECK_INT(INVALID_AT("\xf8\x88\x80\x80\x80"), 0);	/* 5 bytes */
	CHECK_INT(INVALID_AT("\xfc\x84\x80\x80\x80\x80"), 0);	/* 6 bytes */
	CHECK_INT(INVALID_AT("x\xfe"), 1);
	CHECK_INT(INVALID_AT("xy\xff"), 2);
}

static void
test_truncated_at_the_end(void)
{
	CHECK_INT(INVALID_AT("\xc3"), 0);
	CHECK_INT(INVALID_AT("ab\xe4\xb8"), 2);
	CHECK_INT(INVALID_AT("ab\xe4"), 2);
	CHECK_INT(INVALID_AT("\xf0\x9f\x98"), 0);
	CHECK_INT(INVALID_AT("\xe4\xb8\xad\xf0\x9f"), 3);
	/* Only len bytes are looked at: 中 cut by the length. */
	CHECK_INT(ka_utf8_invalid_at("\xe4\xb8\xad", 2), 0);
	CHECK_INT(ka_utf8_invalid_at("a\xe4\xb8\xad", 3), 1);
	CHECK_INT(ka_utf8_invalid_at("\xff", 0), 0);
}

static void
test_truncated_in_the_middle(void)
{
	/* A lead byte followed by too few continuation bytes. */
	CHECK_INT(INVALID_AT("\xe4\xb8" "a"), 0);
	CHECK_INT(INVALID_AT("a\xc3" "b"), 1);
	CHECK_INT(INVALID_AT("\xf0\x9f\x98" "a"), 0);
	CHECK_INT(INVALID_AT("\xe4\xb8\xe4\xb8\xad"), 0);
	CHECK_INT(INVALID_AT("\xe4\xb8\xad\xe4\xb8" "\xe4\xb8\xad"), 3);
}

static void
test_lone_continuation_bytes(void)
{
	CHECK_INT(INVALID_AT("\x80"), 0);
	CHECK_INT(INVALID_AT("\xbf"), 0);
	CHECK_INT(INVALID_AT("abc\x80"), 3);
	/* One continuation byte too many after é. */
	CHECK_INT(INVALID_AT("\xc3\xa9\xa9"), 2);
	/* 中 then a stray continuation byte. */
	CHECK_INT(INVALID_AT("\xe4\xb8\xad\x8a"), 3);
}

/*
 * ASCII is checked eight bytes at a time: an invalid byte at every
 * offset around the 8- and 16-byte words must still be found exactly.
 */
static void
test_offsets_around_word_edges(void)
{
	char buf[40];
	size_t at, len;
	int wrong = 0;

	for (len = 1; len <= 33; len++)
		for (at = 0; at < len; at++) {
			memset(buf, 'a', sizeof(buf));
			buf[at] = (char)0xff;
			if (ka_utf8_invalid_at(buf, len) != at) {
				printf("  0xff at %zu of %zu: got %zu\n", at,
				    len, ka_utf8_invalid_at(buf, len));
				wrong++;
			}
			/* A valid 中 just before does not hide it. */
			if (at >= 3) {
				memcpy(buf + at - 3, "\xe4\xb8\xad", 3);
				if (ka_utf8_invalid_at(buf, len) != at)
					wrong++;
			}
		}
	/* All valid: the length. */
	memset(buf, 'a', sizeof(buf));
	for (len = 0; len <= 33; len++)
		if (ka_utf8_invalid_at(buf, len) != len)
			wrong++;
	CHECK_INT(wrong, 0);
	/* A sequence straddling an 8-byte word: 7 ASCII then 中. */
	CHECK_INT(INVALID_AT("1234567\xe4\xb8\xad" "89"), 12);
	CHECK_INT(INVALID_AT("1234567\xe4\xb8" "89"), 7);
}

/*
 * The reference: decode the code point, then reject what is below the
 * least one of its length (overlong), surrogates and anything past
 * U+10FFFF.
 */
static size_t
reference_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	unsigned long cp, least;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 2, cp = s[i] & 0x1f, least = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 3, cp = s[i] & 0x0f, least = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			n = 4, cp = s[i] & 0x07, least = 0x10000;
		else
			return i;
		if (len - i < n)
			return i;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < least || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

/*
 * The AVX2 check of [0, len), where the CPU has AVX2 (otherwise the
 * byte-by-byte one): read up to the end of the buffer, and again with
 * nothing past len readable, which takes its copying path.
 */
static size_t
avx2_invalid_in(const unsigned char *buf, size_t len)
{
#ifdef KA_UTF8_AVX2
	static int avx2 = -1;
	size_t wide, narrow;

	if (avx2 < 0) {
		__builtin_cpu_init();
		avx2 = __builtin_cpu_supports("avx2") != 0;
	}
	if (!avx2)
		return ka_utf8_invalid_in((const char *)buf, 0, len);
	wide = ka_utf8_invalid_in_avx2((const char *)buf, 0, len, 64);
	narrow = ka_utf8_invalid_in_avx2((const char *)buf, 0, len, len);
	return wide == narrow ? wide : (size_t)-1;
#else
	return ka_utf8_invalid_in((const char *)buf, 0, len);
#endif
}

/*
 * Every sequence of one to three bytes drawn from the bytes at the edges
 * of the UTF-8 ranges, and four-byte ones from fewer, behind ASCII runs
 * that put it at every place of a 16-byte block and after it: the
 * answer must be the reference's, from the whole-text check, the
 * inline one and the AVX2 one.
 */
static void
test_against_reference(void)
{
	static const unsigned char edge[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f,
	    0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed,
	    0xef, 0xf0, 0xf4, 0xf5, 0xff };
	static const unsigned char few[] = { 0x41, 0x80, 0x8f, 0x90, 0xbf,
	    0xc0, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xf5 };
	static const size_t before[] = { 0, 1, 7, 8, 9, 15, 16, 17, 31 };
	static const size_t after[] = { 0, 1, 8, 16 };
	const size_t ne = sizeof(edge), nf = sizeof(few);
	unsigned char seq[4], buf[64];
	size_t a, b, c, d, n, p, q, len, got, want, tried = 0;
	int wrong = 0;

	for (n = 1; n <= 4; n++) {
		size_t base = n == 4 ? nf : ne, total = 1, code, k;

		for (k = 0; k < n; k++)
			total *= base;
		for (code = 0; code < total; code++) {
			const unsigned char *set = n == 4 ? few : edge;

			a = code % base;
			b = code / base % base;
			c = code / base / base % base;
			d = code / base / base / base % base;
			seq[0] = set[a], seq[1] = set[b];
			seq[2] = set[c], seq[3] = set[d];
			for (p = 0; p < sizeof(before) / sizeof(*before); p++)
				for (q = 0; q < sizeof(after) / sizeof(*after);
				    q++) {
					memset(buf, 'a', sizeof(buf));
					memcpy(buf + before[p], seq, n);
					len = before[p] + n + after[q];
					want = reference_invalid_at(buf, len);
					got = ka_utf8_invalid_at((char *)buf,
					    len);
					if (got == want)
						got = ka_utf8_invalid_in(
						    (char *)buf, 0, len);
					if (got == want)
						got = avx2_invalid_in(buf, len);
					tried++;
					if (got != want && wrong++ < 5)
						printf("  %zu bytes %02x %02x "
						    "%02x %02x at %zu: got %zu,"
						    " want %zu\n", n, seq[0],
						    seq[1], seq[2], seq[3],
						    before[p], got, want);
				}
		}
	}
	CHECK_INT(wrong, 0);
	CHECK(tried > 300000);
}

static void
test_width_ascii_and_cjk(void)
{
	CHECK_INT(ka_utf8_width("", 0), 0);
	CHECK_INT(WIDTH("abc"), 3);
	CHECK_INT(WIDTH("a b\t"), 4);
	CHECK_INT(WIDTH("中"), 2);
	CHECK_INT(WIDTH("中文"), 4);
	CHECK_INT(WIDTH("上海贸易有限公司"), 16);
	CHECK_INT(WIDTH("東京"), 4);			/* kanji */
	CHECK_INT(WIDTH("カタカナ"), 8);		/* katakana U+30AB.. */
	CHECK_INT(WIDTH("ひらがな"), 8);		/* hiragana */
	CHECK_INT(WIDTH("한국"), 4);			/* Hangul syllables */
	CHECK_INT(WIDTH("\xef\xbc\xa1\xef\xbc\xa2"), 4);	/* ＡＢ U+FF21 */
	CHECK_INT(WIDTH("￥"), 2);			/* U+FFE5 */
	CHECK_INT(WIDTH("。、"), 4);			/* U+3002 U+3001 */
	CHECK_INT(WIDTH("\xe3\x80\x80"), 2);		/* ideographic space */
	CHECK_INT(WIDTH("\xf0\xa0\x80\x80"), 2);	/* U+20000, ext. B */
	CHECK_INT(WIDTH("😀"), 2);			/* U+1F600 */
	/* Narrow: Latin-1, Cyrillic, halfwidth katakana U+FF76. */
	CHECK_INT(WIDTH("Zürich"), 6);
	CHECK_INT(WIDTH("Москва"), 6);
	CHECK_INT(WIDTH("\xef\xbd\xb6"), 1);
	CHECK_INT(WIDTH("¥"), 1);			/* U+00A5 */
}

static void
test_width_combining_marks(void)
{
	CHECK_INT(WIDTH("e\xcc\x81"), 1);		/* e + U+0301 */
	CHECK_INT(WIDTH("Cafe\xcc\x81"), 4);
	CHECK_INT(WIDTH("a\xcc\x81\xcc\x88"), 1);	/* two marks */
	CHECK_INT(WIDTH("\xcd\xaf"), 0);		/* U+036F alone */
	CHECK_INT(WIDTH("a\xe2\x83\x9d"), 1);		/* U+20DD enclosing */
	CHECK_INT(WIDTH("a\xe2\x80\x8b" "b"), 2);	/* U+200B ZW space */
	CHECK_INT(WIDTH("a\xef\xb8\x8f"), 1);	/* U+FE0F selector */
	/* Marks from the other combining blocks: supplement U+1DC0,
	   extended U+1AB0, half marks U+FE20, and the kana voicing mark
	   U+3099 (NFD が is か + U+3099). */
	CHECK_INT(WIDTH("a\xe1\xb7\x80"), 1);
	CHECK_INT(WIDTH("a\xe1\xaa\xb0"), 1);
	CHECK_INT(WIDTH("a\xef\xb8\xa0"), 1);
	CHECK_INT(WIDTH("\xe3\x81\x8b\xe3\x82\x99"), 2);
}

static void
test_width_mixed_and_invalid(void)
{
	CHECK_INT(WIDTH("上海2026"), 8);
	CHECK_INT(WIDTH("a中\xcc\x81" "b"), 4);	/* 1 + 2 + 0 + 1 */
	CHECK_INT(WIDTH("ACME 上海 Ltd."), 14);
	/* Invalid bytes count one each. */
	CHECK_INT(WIDTH("\xff\xfe"), 2);
	CHECK_INT(WIDTH("a\x80" "b"), 3);
	CHECK_INT(WIDTH("\xc0\xaf"), 2);		/* overlong: 2 bytes */
	CHECK_INT(WIDTH("\xed\xa0\x80"), 3);		/* surrogate: 3 */
	/* 中 cut to two bytes by the length: two invalid bytes. */
	CHECK_INT(ka_utf8_width("\xe4\xb8\xad", 2), 2);
	CHECK_INT(WIDTH("\xe4\xb8" "a"), 3);
}

int
main(void)
{
	RUN(test_valid_sequences);
	RUN(test_overlong_forms);
	RUN(test_surrogates);
	RUN(test_beyond_u10ffff);
	RUN(test_truncated_at_the_end);
	RUN(test_truncated_in_the_middle);
	RUN(test_lone_continuation_bytes);
	RUN(test_offsets_around_word_edges);
	RUN(test_against_reference);
	RUN(test_width_ascii_and_cjk);
	RUN(test_width_combining_marks);
	RUN(test_width_mixed_and_invalid);
	return CHECK_EXIT();
}
