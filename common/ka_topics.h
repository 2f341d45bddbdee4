/*
 * ka_topics: comment categories as PCRE2 patterns, for counting what
 * customers write about (delivery, price, quality, ...).
 *
 * A set holds up to KA_TOPICS_MAX categories, each a name and a
 * pattern.  Patterns are compiled once, with JIT where the machine has
 * it, as UTF-8 (invalid bytes never match, they do not fail), caseless
 * unless the pattern says (?-i), and run with the same match and depth
 * limits as --where (common/ka_filter.c): a pattern that hits a limit is
 * an error, never taken for a non-match.
 *
 * The built-in set, ka_topics_default(), knows English and Chinese
 * words for delivery, price, quality, service, responsiveness and
 * stock_outs (its patterns are in common/ka_topics.c; `ka-feedback
 * --list-topics` prints any set in the file form below, so it can be
 * copied and edited).
 *
 * A topics file has one category a line: the name, then spaces or a
 * TAB, then the pattern, which runs to the end of the line (trailing
 * spaces dropped).  Blank lines and lines whose first non-blank
 * character is '#' are skipped.  A name given on several lines matches
 * when any of its patterns does, so a category can have an English and
 * a Chinese line.  Names are at most 64 bytes, without spaces.
 */
#ifndef KA_TOPICS_H
#define KA_TOPICS_H

#include <stddef.h>
#include <stdint.h>

#define KA_TOPICS_MAX	64

typedef struct ka_topics ka_topics;

/* An empty set; add categories with ka_topics_add() or _load(). */
ka_topics	*ka_topics_new(void);
/* The built-in English and Chinese set. */
ka_topics	*ka_topics_default(void);
void		 ka_topics_free(ka_topics *topics);

/*
 * Adds pattern to category name (a new category, or an alternative of
 * an existing one).  0, or -1 with a message in error: a bad pattern
 * ("pattern error at offset N: ..."), a bad name, too many categories.
 */
int		 ka_topics_add(ka_topics *topics, const char *name,
		    const char *pattern, char *error, size_t error_size);
/*
 * Adds the categories of a topics file.  0, or -1 with a message
 * "FILE:LINE: ..." (or "FILE: ..." when it cannot be read) in error.
 */
int		 ka_topics_load(ka_topics *topics, const char *path,
		    char *error, size_t error_size);

size_t		 ka_topics_count(const ka_topics *topics);
const char	*ka_topics_name(const ka_topics *topics, size_t i);
/* A category's patterns: it matches when any of them does. */
size_t		 ka_topics_patterns(const ka_topics *topics, size_t i);
const char	*ka_topics_pattern(const ka_topics *topics, size_t i,
		    size_t j);

/*
 * Which categories text mentions: bit i of *mask for category i.
 * 0, or -1 with a message in error when a pattern hit its match limit
 * (*mask then holds the categories found before it).
 */
int		 ka_topics_match(ka_topics *topics, const char *text,
		    size_t length, uint64_t *mask, char *error,
		    size_t error_size);

#endif
