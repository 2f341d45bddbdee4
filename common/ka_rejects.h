/*
 * ka_rejects: the rows --lenient skips.  Each goes to --rejects FILE as
 * file,line,column,reason,record (the record re-joined as CSV), or is
 * only counted; no row is ever lost silently.
 */
#ifndef KA_REJECTS_H
#define KA_REJECTS_H

#include "ka_decimal.h"
#include "ka_reader.h"
#include "ka_writer.h"

struct ka_rejects {
	ka_writer	*writer;	/* NULL: count only */
	unsigned long	 count;
	/* The amount column's total over rejected rows, where readable. */
	ka_dec		 amount;
	unsigned long	 amount_unreadable;
	int		 amount_overflow;
};

void	ka_rejects_open(struct ka_rejects *rejects, const char *path);
/* column is 1-based, 0 when the problem is not in one column. */
void	ka_rejects_add(struct ka_rejects *rejects, const ka_record *rec,
	    size_t column, const char *reason);
/*
 * A bad row: without --lenient (lenient 0) the program ends here with
 * "FILE:LINE: reason" and status 1; with it, ka_rejects_add().
 */
void	ka_rejects_bad_row(struct ka_rejects *rejects, int lenient,
	    const ka_record *rec, size_t column, const char *reason);
void	ka_rejects_close(struct ka_rejects *rejects);

#endif
