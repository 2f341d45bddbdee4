/*
 * ka_writer: buffered output of records as CSV (minimal RFC 4180
 * quoting), TSV (TAB, CR and LF inside a field written as \t, \r, \n),
 * an aligned Markdown table, or JSON lines.
 *
 * Output to a file is atomic: rows go to a temporary file in the same
 * folder, renamed into place by ka_writer_close() only when everything
 * was written.  A write error is fatal (exit 1, the temporary file
 * removed); a closed pipe downstream ends the program quietly with 0.
 * A device or FIFO named by -o (/dev/stdout, a named pipe) is written in
 * place, since renaming over it would replace it; a symbolic link keeps
 * pointing where it did, at a file replaced atomically.
 */
#ifndef KA_WRITER_H
#define KA_WRITER_H

#include <stddef.h>

#include "ka_decimal.h"

enum ka_format {
	KA_FORMAT_NONE = -1,
	KA_FORMAT_CSV,
	KA_FORMAT_TSV,
	KA_FORMAT_MD,
	KA_FORMAT_JSONL
};

/* "csv", "tsv", "md", "jsonl"; KA_FORMAT_NONE when unknown. */
enum ka_format	 ka_format_parse(const char *name);
/* By a file name's extension (.csv .tsv .tab .md .jsonl .json). */
enum ka_format	 ka_format_from_name(const char *path);

typedef struct ka_writer ka_writer;

/* path NULL or "-" is standard output.  Exits 1 when it cannot open. */
ka_writer	*ka_writer_open(const char *path, enum ka_format format);
void		 ka_writer_header(ka_writer *w, const char *const *names,
		    size_t count);
/* A text field, and a number (unquoted in JSON, right-aligned in md). */
void		 ka_writer_text(ka_writer *w, const char *text, size_t length);
void		 ka_writer_string(ka_writer *w, const char *text);
void		 ka_writer_number(ka_writer *w, const char *text, size_t length);
void		 ka_writer_decimal(ka_writer *w, ka_dec value, int places);
void		 ka_writer_integer(ka_writer *w, long long value);
void		 ka_writer_end_row(ka_writer *w);
/* Bytes as they are, for documents that are not tables (reports). */
void		 ka_writer_raw(ka_writer *w, const char *data, size_t length);
/* Flushes, checks the close, renames into place; exits 1 on failure. */
void		 ka_writer_close(ka_writer *w);

#endif
