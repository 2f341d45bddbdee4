#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ka_alloc.h"
#include "ka_keys.h"
#include "ka_msg.h"

#define ARENA_BLOCK (1u << 20)
#define EMPTY UINT32_MAX

/*
 * A slot holds enough to recognise its key without leaving the table:
 * a tag (24 bits of the hash and the length, up to 254) and, for keys of
 * at most 8 bytes (most ids and codes), the key itself as short_word().
 */
struct slot {
	uint32_t	tag;
	uint32_t	id;
	uint64_t	word;
};

struct arena_block {
	struct arena_block *next;
	size_t		 used, size;
	char		 text[];
};

struct ka_keys {
	struct slot	*slots;
	size_t		 mask;		/* slots - 1, a power of two */
	size_t		 count;
	const char	**texts;
	uint32_t	*lengths;
	size_t		 capacity;	/* of texts and lengths */
	struct arena_block *arena;
};

/*
 * A word-at-a-time multiplicative hash: keys are short (ids, names), so
 * a few multiplies beat byte-by-byte FNV by a wide margin.
 */
uint64_t
ka_hash(const char *text, size_t length)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t h = UINT64_C(0x2545f4914f6cdd1d) ^ (length * k), w;

	while (length >= 8) {
		memcpy(&w, text, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
		text += 8;
		length -= 8;
	}
	if (length > 0) {
		w = 0;
		memcpy(&w, text, length);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 32;
	return h;
}

/*
 * The up to 8 bytes at p as one word: two overlapping 4-byte loads, or
 * first, middle and last byte; with the length known, no two texts of
 * the same length give the same word.
 */
static inline uint64_t
short_word(const char *p, size_t n)
{
	uint32_t a, b;

	if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		return a | (uint64_t)b << 32;
	}
	if (n == 0)
		return 0;
	return (uint64_t)(unsigned char)p[0] |
	    (uint64_t)(unsigned char)p[n / 2] << 8 |
	    (uint64_t)(unsigned char)p[n - 1] << 16;
}

/*
 * The table's hash: ka_hash's word-at-a-time multiply, with the last 1
 * to 8 bytes read without a variable-length copy (most keys, customer
 * ids and codes, are that short).
 */
static inline uint64_t
key_hash(const char *text, size_t length)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t h = UINT64_C(0x2545f4914f6cdd1d) ^ (length * k), w;

	while (length > 8) {
		memcpy(&w, text, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
		text += 8;
		length -= 8;
	}
	h = (h ^ short_word(text, length)) * k;
	h ^= h >> 29;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 32;
	return h;
}

ka_keys *
ka_keys_new(void)
{
	ka_keys *keys = ka_calloc(1, sizeof(*keys));
	size_t i;

	keys->mask = 1023;
	keys->slots = ka_calloc(keys->mask + 1, sizeof(*keys->slots));
	for (i = 0; i <= keys->mask; i++)
		keys->slots[i].id = EMPTY;
	return keys;
}

void
ka_keys_free(ka_keys *keys)
{
	struct arena_block *b, *next;

	if (keys == NULL)
		return;
	for (b = keys->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(keys->slots);
	free(keys->texts);
	free(keys->lengths);
	free(keys);
}

static char *
arena_copy(ka_keys *keys, const char *text, size_t length)
{
	struct arena_block *b = keys->arena;
	char *copy;

	if (b == NULL || b->size - b->used < length + 1) {
		size_t size = length + 1 > ARENA_BLOCK ? length + 1 : ARENA_BLOCK;

		b = ka_calloc(1, sizeof(*b) + size);
		b->size = size;
		b->next = keys->arena;
		keys->arena = b;
	}
	copy = b->text + b->used;
	memcpy(copy, text, length);
	copy[length] = '\0';
	b->used += length + 1;
	return copy;
}

static void
grow(ka_keys *keys)
{
	size_t new_mask = keys->mask * 2 + 1, i, j;
	struct slot *slots = ka_calloc(new_mask + 1, sizeof(*slots));

	for (i = 0; i <= new_mask; i++)
		slots[i].id = EMPTY;
	for (i = 0; i <= keys->mask; i++) {
		uint32_t id = keys->slots[i].id;

		if (id == EMPTY)
			continue;
		j = key_hash(keys->texts[id], keys->lengths[id]) & new_mask;
		while (slots[j].id != EMPTY)
			j = (j + 1) & new_mask;
		slots[j] = keys->slots[i];
	}
	free(keys->slots);
	keys->slots = slots;
	keys->mask = new_mask;
}

static inline uint32_t
tag_of(uint64_t h, size_t length)
{
	return ((uint32_t)h & UINT32_C(0xffffff00)) |
	    (uint32_t)(length < 255 ? length : 255);
}

/* Whether slot s holds text; tag is tag_of(its hash, length). */
static inline int
same(const ka_keys *keys, const struct slot *s, uint32_t tag,
    const char *text, size_t length)
{
	if (s->tag != tag)
		return 0;
	if (length <= 8)
		return s->word == short_word(text, length);
	return keys->lengths[s->id] == length &&
	    memcmp(keys->texts[s->id], text, length) == 0;
}

int64_t
ka_keys_find(const ka_keys *keys, const char *text, size_t length)
{
	uint64_t h = key_hash(text, length);
	uint32_t tag = tag_of(h, length);
	size_t i = h & keys->mask;

	for (; keys->slots[i].id != EMPTY; i = (i + 1) & keys->mask)
		if (same(keys, &keys->slots[i], tag, text, length))
			return keys->slots[i].id;
	return -1;
}

uint32_t
ka_keys_intern(ka_keys *keys, const char *text, size_t length, int *added)
{
	uint64_t h = key_hash(text, length);
	uint32_t tag = tag_of(h, length), id;
	size_t i = h & keys->mask;

	for (; keys->slots[i].id != EMPTY; i = (i + 1) & keys->mask)
		if (same(keys, &keys->slots[i], tag, text, length)) {
			if (added != NULL)
				*added = 0;
			return keys->slots[i].id;
		}
	if (keys->count == keys->capacity) {
		keys->capacity = keys->capacity * 2 + 256;
		keys->texts = ka_realloc(keys->texts,
		    keys->capacity * sizeof(*keys->texts));
		keys->lengths = ka_realloc(keys->lengths,
		    keys->capacity * sizeof(*keys->lengths));
	}
	if (keys->count >= EMPTY - 1 || length > UINT32_MAX)
		ka_die(KA_EXIT_DATA, "too many distinct keys");
	id = (uint32_t)keys->count++;
	keys->texts[id] = arena_copy(keys, text, length);
	keys->lengths[id] = (uint32_t)length;
	keys->slots[i].tag = tag;
	keys->slots[i].id = id;
	keys->slots[i].word = length <= 8 ? short_word(text, length) : 0;
	/* Keep the table at most half full so probes stay short. */
	if (keys->count * 2 > keys->mask)
		grow(keys);
	if (added != NULL)
		*added = 1;
	return id;
}

size_t
ka_keys_count(const ka_keys *keys)
{
	return keys->count;
}

const char *
ka_keys_text(const ka_keys *keys, uint32_t id)
{
	return keys->texts[id];
}

size_t
ka_keys_length(const ka_keys *keys, uint32_t id)
{
	return keys->lengths[id];
}

/* Natural order: runs of digits compare as numbers (C2 < C10). */
int
ka_keys_natural_compare(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa, *sb;
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (sa = a; isdigit((unsigned char)*a); a++)
				;
			for (sb = b; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(sa, sb, la)) != 0)
				return c < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	return *a == '\0' ? -1 : 1;
}
