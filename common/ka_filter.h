/*
 * ka_filter: --where COLUMN OP VALUE, all of which must hold.
 * OP is one of = != < <= > >= ~ !~; ~ and !~ take a PCRE2 pattern,
 * compiled once with JIT where available and run with a match limit.
 * Numbers compare as numbers and dates as dates when both sides are
 * one; anything else compares as text, byte by byte.
 */
#ifndef KA_FILTER_H
#define KA_FILTER_H

#include <stddef.h>

#include "ka_reader.h"
#include "ka_roles.h"

typedef struct ka_filter ka_filter;

ka_filter	*ka_filter_new(void);
void		 ka_filter_free(ka_filter *filter);
/* Parses one expression; 0 ok, -1 with a message in error. */
int		 ka_filter_add(ka_filter *filter, const char *expression,
		    char *error, size_t error_size);
/* Resolves column names against the header; 0 ok, -1 on error. */
int		 ka_filter_bind(ka_filter *filter, const ka_record *header,
		    const struct ka_roles *roles, int decimal_comma,
		    char *error, size_t error_size);
size_t		 ka_filter_count(const ka_filter *filter);
/* Dates in the data that no built-in form reads (--date-format). */
void		 ka_filter_set_date_format(ka_filter *filter,
		    const char *strptime_format);
/*
 * 1 when the record passes every condition, 0 when not, -1 when a
 * pattern hit its match limit (message in error: a limit is never
 * taken for a non-match).
 */
int		 ka_filter_match(ka_filter *filter, const ka_record *rec,
		    char *error, size_t error_size);

#endif
