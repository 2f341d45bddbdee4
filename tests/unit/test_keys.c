/*
 * Unit tests of common/ka_keys.c: interned keys with dense ids.  Every
 * expected id follows from the contract alone (ids are 0, 1, 2, ... in
 * the order keys are first seen), so no expectation is read back from
 * the table under test.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "check.h"
#include "ka_keys.h"

/* "k0000042"-style text for key number n, and its length. */
static size_t
key_text(char *buf, size_t size, unsigned n)
{
	return (size_t)snprintf(buf, size, "k%07u", n);
}

static int
text_is(const ka_keys *keys, uint32_t id, const char *want, size_t length)
{
	const char *got = ka_keys_text(keys, id);

	return ka_keys_length(keys, id) == length &&
	    memcmp(got, want, length) == 0 && got[length] == '\0';
}

static void
test_new_table_is_empty(void)
{
	ka_keys *keys = ka_keys_new();

	CHECK(keys != NULL);
	CHECK_INT(ka_keys_count(keys), 0);
	CHECK_INT(ka_keys_find(keys, "C001", 4), -1);
	CHECK_INT(ka_keys_find(keys, "", 0), -1);
	ka_keys_free(keys);
	ka_keys_free(NULL);	/* like free(3) */
}

static void
test_intern_find_text_length(void)
{
	ka_keys *keys = ka_keys_new();
	int added = -1;

	CHECK_INT(ka_keys_intern(keys, "C001", 4, &added), 0);
	CHECK_INT(added, 1);
	CHECK_INT(ka_keys_intern(keys, "上海贸易", 12, &added), 1);
	CHECK_INT(added, 1);
	CHECK_INT(ka_keys_intern(keys, "C002", 4, &added), 2);
	CHECK_INT(added, 1);
	/* Seen before: the same id, added says so. */
	CHECK_INT(ka_keys_intern(keys, "C001", 4, &added), 0);
	CHECK_INT(added, 0);
	CHECK_INT(ka_keys_intern(keys, "上海贸易", 12, &added), 1);
	CHECK_INT(added, 0);
	/* added may be NULL. */
	CHECK_INT(ka_keys_intern(keys, "C002", 4, NULL), 2);
	CHECK_INT(ka_keys_intern(keys, "C003", 4, NULL), 3);
	CHECK_INT(ka_keys_count(keys), 4);

	CHECK_INT(ka_keys_find(keys, "C001", 4), 0);
	CHECK_INT(ka_keys_find(keys, "上海贸易", 12), 1);
	CHECK_INT(ka_keys_find(keys, "C003", 4), 3);
	CHECK_INT(ka_keys_find(keys, "C004", 4), -1);
	/* Only length bytes count: "C0019" read as 4 bytes is "C001". */
	CHECK_INT(ka_keys_find(keys, "C0019", 4), 0);
	CHECK_INT(ka_keys_find(keys, "C00", 3), -1);
	/* Case matters: keys are bytes. */
	CHECK_INT(ka_keys_find(keys, "c001", 4), -1);
	/* find never adds. */
	CHECK_INT(ka_keys_count(keys), 4);

	CHECK_STR(ka_keys_text(keys, 0), "C001");
	CHECK_INT(ka_keys_length(keys, 0), 4);
	CHECK_STR(ka_keys_text(keys, 1), "上海贸易");
	CHECK_INT(ka_keys_length(keys, 1), 12);
	CHECK_STR(ka_keys_text(keys, 3), "C003");
	ka_keys_free(keys);
}

/* The caller's buffer may change after interning: the table has a copy. */
static void
test_intern_copies_the_text(void)
{
	ka_keys *keys = ka_keys_new();
	char buf[16];

	strcpy(buf, "ACME");
	CHECK_INT(ka_keys_intern(keys, buf, 4, NULL), 0);
	strcpy(buf, "ZETA");
	CHECK_STR(ka_keys_text(keys, 0), "ACME");
	CHECK_INT(ka_keys_find(keys, "ACME", 4), 0);
	CHECK_INT(ka_keys_find(keys, "ZETA", 4), -1);
	ka_keys_free(keys);
}

static void
test_empty_key(void)
{
	ka_keys *keys = ka_keys_new();
	int added = -1;

	CHECK_INT(ka_keys_intern(keys, "x", 1, NULL), 0);
	CHECK_INT(ka_keys_intern(keys, "", 0, &added), 1);
	CHECK_INT(added, 1);
	CHECK_INT(ka_keys_intern(keys, "", 0, &added), 1);
	CHECK_INT(added, 0);
	/* Any pointer with length 0 is the empty key. */
	CHECK_INT(ka_keys_find(keys, "ignored", 0), 1);
	CHECK_INT(ka_keys_length(keys, 1), 0);
	CHECK_STR(ka_keys_text(keys, 1), "");
	CHECK_INT(ka_keys_count(keys), 2);
	ka_keys_free(keys);
}

static void
test_embedded_nul_bytes(void)
{
	ka_keys *keys = ka_keys_new();

	CHECK_INT(ka_keys_intern(keys, "a\0b", 3, NULL), 0);
	CHECK_INT(ka_keys_intern(keys, "a\0c", 3, NULL), 1);
	CHECK_INT(ka_keys_intern(keys, "a", 1, NULL), 2);
	CHECK_INT(ka_keys_intern(keys, "\0", 1, NULL), 3);
	CHECK_INT(ka_keys_intern(keys, "", 0, NULL), 4);
	CHECK_INT(ka_keys_intern(keys, "\0\0", 2, NULL), 5);
	CHECK_INT(ka_keys_intern(keys, "a\0b", 3, NULL), 0);
	CHECK_INT(ka_keys_count(keys), 6);

	CHECK_INT(ka_keys_find(keys, "a\0b", 3), 0);
	CHECK_INT(ka_keys_find(keys, "a\0c", 3), 1);
	CHECK_INT(ka_keys_find(keys, "a\0", 2), -1);
	CHECK_INT(ka_keys_find(keys, "\0", 1), 3);
	CHECK_INT(ka_keys_find(keys, "\0\0", 2), 5);
	CHECK_INT(ka_keys_find(keys, "\0\0\0", 3), -1);
	CHECK(text_is(keys, 0, "a\0b", 3));
	CHECK(text_is(keys, 1, "a\0c", 3));
	CHECK(text_is(keys, 3, "\0", 1));
	CHECK(text_is(keys, 5, "\0\0", 2));
	ka_keys_free(keys);
}

/*
 * Keys that differ only by trailing zero bytes fill the same 8-byte
 * words, so a hash that forgot the length would make them collide; and
 * keys 8 and 16 bytes long end exactly on a word.
 */
static void
test_zero_padding_and_word_edges(void)
{
	static const char zeros[24];
	ka_keys *keys = ka_keys_new();
	size_t n;

	for (n = 0; n <= 17; n++)
		CHECK_INT(ka_keys_intern(keys, zeros, n, NULL), n);
	CHECK_INT(ka_keys_count(keys), 18);
	for (n = 0; n <= 17; n++) {
		CHECK_INT(ka_keys_find(keys, zeros, n), n);
		CHECK_INT(ka_keys_length(keys, (uint32_t)n), n);
	}
	CHECK_INT(ka_keys_intern(keys, "abcdefgh", 8, NULL), 18);
	CHECK_INT(ka_keys_intern(keys, "abcdefg", 7, NULL), 19);
	CHECK_INT(ka_keys_intern(keys, "abcdefghi", 9, NULL), 20);
	CHECK_INT(ka_keys_intern(keys, "abcdefghijklmnop", 16, NULL), 21);
	CHECK_INT(ka_keys_intern(keys, "abcdefghijklmnopq", 17, NULL), 22);
	CHECK_INT(ka_keys_find(keys, "abcdefgh", 8), 18);
	CHECK_INT(ka_keys_find(keys, "abcdefghijklmnop", 16), 21);
	CHECK_INT(ka_keys_find(keys, "abcdefghijklmnoq", 16), -1);
	ka_keys_free(keys);
}

struct hashed {
	uint32_t	 low;
	unsigned	 n;
};

static int
by_low_hash(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Key n of the collision search: "x" and n in decimal, 2 to 7 bytes. */
static size_t
search_key(char *buf, unsigned n)
{
	return (size_t)sprintf(buf, "x%u", n);
}

/*
 * The table keeps the low 32 bits of each hash and places keys by the
 * low bits, so two keys whose hashes agree there share a probe chain
 * and a stored hash: only the length and the bytes tell them apart.
 * Such pairs are found by a birthday search (400,000 keys give about
 * 18 expected 32-bit collisions); ka_hash only finds the inputs, the
 * expectation (distinct keys, distinct ids) is the contract's.
 */
static void
test_equal_low_hashes(void)
{
	enum { SEARCH = 400000 };
	struct hashed *h = malloc(SEARCH * sizeof(*h));
	char a[16], b[16];
	size_t a_length, b_length;
	unsigned i;
	int pairs = 0, different_lengths = 0, same_lengths = 0;

	if (h == NULL) {
		CHECK(h != NULL);
		return;
	}
	for (i = 0; i < SEARCH; i++) {
		size_t length = search_key(a, i);

		h[i].low = (uint32_t)ka_hash(a, length);
		h[i].n = i;
	}
	qsort(h, SEARCH, sizeof(*h), by_low_hash);
	for (i = 1; i < SEARCH; i++) {
		ka_keys *keys;

		if (h[i].low != h[i - 1].low)
			continue;
		a_length = search_key(a, h[i - 1].n);
		b_length = search_key(b, h[i].n);
		pairs++;
		if (a_length != b_length)
			different_lengths++;
		else
			same_lengths++;
		keys = ka_keys_new();
		CHECK_INT(ka_keys_intern(keys, a, a_length, NULL), 0);
		CHECK_INT(ka_keys_find(keys, b, b_length), -1);
		CHECK_INT(ka_keys_intern(keys, b, b_length, NULL), 1);
		CHECK_INT(ka_keys_intern(keys, a, a_length, NULL), 0);
		CHECK_INT(ka_keys_find(keys, a, a_length), 0);
		CHECK_INT(ka_keys_find(keys, b, b_length), 1);
		CHECK(text_is(keys, 0, a, a_length));
		CHECK(text_is(keys, 1, b, b_length));
		CHECK_INT(ka_keys_count(keys), 2);
		ka_keys_free(keys);
	}
	/* A search that found nothing would prove nothing. */
	if (different_lengths == 0)
		printf("  no 32-bit collision of different lengths in %d "
		    "pairs\n", pairs);
	CHECK(different_lengths > 0);
	CHECK(pairs > 0);
	(void)same_lengths;
	free(h);
}

/*
 * A million distinct keys make the table grow many times; ids stay
 * dense and in insertion order, and every key is found again with its
 * id, text and length after all the growth.
 */
static void
test_million_keys_with_growth(void)
{
	enum { N = 1000000 };
	ka_keys *keys = ka_keys_new();
	char buf[32];
	size_t length;
	unsigned i;
	int added, wrong_id = 0, wrong_added = 0, wrong_find = 0;
	int wrong_text = 0, wrong_again = 0;

	for (i = 0; i < N; i++) {
		length = key_text(buf, sizeof(buf), i);
		added = -1;
		if (ka_keys_intern(keys, buf, length, &added) != i)
			wrong_id++;
		if (added != 1)
			wrong_added++;
		/* An early key must survive every growth so far. */
		if ((i & (i - 1)) == 0 && ka_keys_find(keys, "k0000000", 8) != 0)
			wrong_find++;
	}
	CHECK_INT(ka_keys_count(keys), N);
	for (i = 0; i < N; i++) {
		length = key_text(buf, sizeof(buf), i);
		if (ka_keys_find(keys, buf, length) != (int64_t)i)
			wrong_find++;
		if (!text_is(keys, i, buf, length))
			wrong_text++;
		added = -1;
		if (ka_keys_intern(keys, buf, length, &added) != i ||
		    added != 0)
			wrong_again++;
	}
	CHECK_INT(wrong_id, 0);
	CHECK_INT(wrong_added, 0);
	CHECK_INT(wrong_find, 0);
	CHECK_INT(wrong_text, 0);
	CHECK_INT(wrong_again, 0);
	CHECK_INT(ka_keys_count(keys), N);
	/* Keys never added are still absent. */
	length = key_text(buf, sizeof(buf), N);
	CHECK_INT(ka_keys_find(keys, buf, length), -1);
	CHECK_INT(ka_keys_find(keys, "k000000", 7), -1);
	CHECK_INT(ka_keys_find(keys, "k00000000", 9), -1);
	ka_keys_free(keys);
}

/*
 * Keys longer than the arena's block (1 MiB) get a block of their own;
 * small keys before and after keep their text.
 */
static void
test_keys_longer_than_a_block(void)
{
	enum { BIG = 3 * 1024 * 1024 + 5 };
	ka_keys *keys = ka_keys_new();
	char *big = malloc(BIG), *big2 = malloc(BIG);

	if (big == NULL || big2 == NULL) {
		CHECK(big != NULL && big2 != NULL);
		free(big);
		free(big2);
		ka_keys_free(keys);
		return;
	}
	memset(big, 'A', BIG);
	memcpy(big2, big, BIG);
	big2[BIG - 1] = 'B';
	CHECK_INT(ka_keys_intern(keys, "before", 6, NULL), 0);
	CHECK_INT(ka_keys_intern(keys, big, BIG, NULL), 1);
	CHECK_INT(ka_keys_intern(keys, "after", 5, NULL), 2);
	CHECK_INT(ka_keys_intern(keys, big2, BIG, NULL), 3);
	CHECK_INT(ka_keys_intern(keys, big, BIG, NULL), 1);
	CHECK_INT(ka_keys_intern(keys, big, BIG - 1, NULL), 4);
	CHECK_INT(ka_keys_find(keys, big2, BIG), 3);
	CHECK(text_is(keys, 0, "before", 6));
	CHECK(text_is(keys, 1, big, BIG));
	CHECK(text_is(keys, 2, "after", 5));
	CHECK(text_is(keys, 3, big2, BIG));
	CHECK_INT(ka_keys_length(keys, 4), BIG - 1);
	free(big);
	free(big2);
	ka_keys_free(keys);
}

/* Bytes the C library's heap has handed out, where it can say. */
static long long
heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	return (long long)mallinfo2().uordblks;
#else
	return 0;
#endif
}

/*
 * Memory grows with distinct keys, never with rows: 10 million interns
 * of the same 1,000 keys add nothing, neither keys nor heap.
 */
static void
test_repeats_do_not_grow(void)
{
	enum { DISTINCT = 1000, ROUNDS = 10000 };
	ka_keys *keys = ka_keys_new();
	char text[DISTINCT][16];
	size_t length[DISTINCT];
	long long before, after;
	unsigned i, round;
	int wrong = 0, added;

	for (i = 0; i < DISTINCT; i++) {
		length[i] = (size_t)snprintf(text[i], sizeof(text[i]),
		    "CUST-%u", i * 7919u);
		CHECK_INT(ka_keys_intern(keys, text[i], length[i], NULL), i);
	}
	before = heap_in_use();
	for (round = 0; round < ROUNDS; round++)
		for (i = 0; i < DISTINCT; i++) {
			added = 0;
			if (ka_keys_intern(keys, text[i], length[i], &added) !=
			    i || added != 0)
				wrong++;
		}
	after = heap_in_use();
	CHECK_INT(wrong, 0);
	CHECK_INT(ka_keys_count(keys), DISTINCT);
	CHECK_INT(after - before, 0);
	ka_keys_free(keys);
}

static void
test_hash_is_deterministic_and_uses_every_byte(void)
{
	/* Equal text, equal hash, wherever it lies in memory. */
	char a[32] = "customer-0042", b[40];

	memcpy(b + 3, a, 14);
	CHECK(ka_hash(a, 13) == ka_hash(b + 3, 13));
	/* A change in any byte position, including the tail word, shows. */
	CHECK(ka_hash("customer-0042", 13) != ka_hash("customer-0043", 13));
	CHECK(ka_hash("customer-0042", 13) != ka_hash("dustomer-0042", 13));
	CHECK(ka_hash("customer-0042", 13) != ka_hash("customer_0042", 13));
	CHECK(ka_hash("", 0) != ka_hash("\0", 1));
	CHECK(ka_hash("ab", 2) != ka_hash("ab\0", 3));
}

int
main(void)
{
	RUN(test_new_table_is_empty);
	RUN(test_intern_find_text_length);
	RUN(test_intern_copies_the_text);
	RUN(test_empty_key);
	RUN(test_embedded_nul_bytes);
	RUN(test_zero_padding_and_word_edges);
	RUN(test_equal_low_hashes);
	RUN(test_million_keys_with_growth);
	RUN(test_keys_longer_than_a_block);
	RUN(test_repeats_do_not_grow);
	RUN(test_hash_is_deterministic_and_uses_every_byte);
	return CHECK_EXIT();
}
