/*
 * ka_keys: interned strings for group-by.  Each distinct key gets a
 * dense id (0, 1, 2, ...) so callers keep their sums in plain arrays
 * indexed by id.  Memory grows with the number of distinct keys, never
 * with the number of rows.
 */
#ifndef KA_KEYS_H
#define KA_KEYS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ka_keys ka_keys;

ka_keys		*ka_keys_new(void);
void		 ka_keys_free(ka_keys *keys);
/* The id of text, adding it when new; *added (if not NULL) says which. */
uint32_t	 ka_keys_intern(ka_keys *keys, const char *text, size_t length,
		    int *added);
/* The id of text, or -1 when it was never interned. */
int64_t		 ka_keys_find(const ka_keys *keys, const char *text,
		    size_t length);
size_t		 ka_keys_count(const ka_keys *keys);
/* The interned text (NUL-terminated) and its length. */
const char	*ka_keys_text(const ka_keys *keys, uint32_t id);
size_t		 ka_keys_length(const ka_keys *keys, uint32_t id);
uint64_t	 ka_hash(const char *text, size_t length);

/* Every bit of x into every bit of the result (MurmurHash3's finalizer),
   for tables keyed by numbers. */
static inline uint64_t
ka_hash_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}
/* Natural order of two keys: digit runs compare as numbers, so C2 sorts
 * before C10; otherwise byte order.  Like strcmp: -1, 0 or 1. */
int		 ka_keys_natural_compare(const char *a, const char *b);

#endif
