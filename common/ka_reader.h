/*
 * ka_reader: CSV and TSV records from one or more files.
 *
 * A record is one buffer plus field offsets: field i starts at
 * rec->base + rec->offset[i] and is rec->offset[i + 1] - rec->offset[i] - 1
 * bytes long; every field is NUL-terminated.  A record stays valid until
 * the next call to ka_reader_next().
 *
 * A regular file is mapped (ka_map.h), other input read with read().
 * Records without a quote character are split by a fast path that looks
 * at 64 bytes at a time (AVX2 where the CPU has it, SSE2 otherwise,
 * chosen at run time): in place in the read buffer, or in a copy of the
 * line from a mapping.  A record that holds a quote character is handed
 * to libcsv.  All paths give identical records; tests/unit/test_reader.c
 * proves it.  A mapped file that shrinks while it is read is an error.
 */
#ifndef KA_READER_H
#define KA_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct ka_record {
	char		*base;
	uint32_t	*offset;	/* nfields + 1 entries */
	size_t		 nfields;
	const char	*file;		/* name as given, "-" for stdin */
	unsigned long	 line;		/* physical line the record starts on */
	unsigned long	 end_line;	/* physical line it ends on */
	unsigned long	 number;	/* data record number in this file, 1 = first */
} ka_record;

static inline const char *
ka_field(const ka_record *rec, size_t i)
{
	return rec->base + rec->offset[i];
}

static inline size_t
ka_field_length(const ka_record *rec, size_t i)
{
	return rec->offset[i + 1] - rec->offset[i] - 1;
}

struct ka_reader_options {
	int		 delimiter;	/* 0: from extension or sniffed */
	int		 no_header;	/* -H: the first record is data */
	const char	*encoding;	/* NULL: UTF-8, or UTF-16 by BOM */
	int		 progress;	/* show progress on stderr */
	int		 force_libcsv;	/* tests: every record through libcsv */
	int		 allow_ragged;	/* do not check field counts */

	/*
	 * A byte range of one file, for reading a large file in pieces
	 * (ka_pieces.h).  With range_end above 0, only bytes
	 * [range_start, range_end) of files[0] are read: the reader seeks
	 * to range_start, which should be a record's start, and takes a
	 * record cut short by range_end as it takes one cut short by the
	 * end of a file.  Line numbers count from the range's first line.
	 * A byte-order mark is looked for only when range_start is 0 (in
	 * the middle of a file those bytes are text).  Seeking must work:
	 * a pipe or "-" fails with a message, and so do several files.
	 * 0, 0: the whole file.
	 */
	uint64_t	 range_start, range_end;
	/*
	 * With no_header: the number of fields of the header the records
	 * follow (the header is then "1" .. "N" and every record is
	 * checked against it, the first one too).  0: as many as the
	 * first record has.
	 */
	size_t		 header_fields;
	/*
	 * The number of the first line read, for a byte range that starts
	 * inside a file (ka_pieces_range()): messages then name the
	 * file's own lines.  0: 1.
	 */
	unsigned long	 first_line;
};

/* What went wrong with the record ka_reader_next() just returned. */
enum ka_read_status {
	KA_READ_OK = 0,
	KA_READ_FIELD_COUNT,	/* record returned; nfields != header's */
	KA_READ_BAD_UTF8,	/* record returned; bytes are not UTF-8 */
	KA_READ_NUL,		/* record returned; holds a NUL byte */
	KA_READ_FATAL		/* nothing returned; reading cannot go on */
};

typedef struct ka_reader ka_reader;

/*
 * Opens files[0..nfiles-1] (nfiles 0, or a name "-", is standard input)
 * and reads the header of the first one that is not empty (empty files
 * hold no records).  Returns NULL after printing a message when a file
 * cannot be opened or its header read.
 */
ka_reader	*ka_reader_open(const char *const *files, size_t nfiles,
		    const struct ka_reader_options *options);

/*
 * The next data record: 1 when one was read, 0 at the end of all input,
 * -1 on a fatal error (message in ka_reader_error()).  *status says what
 * is wrong with a record that was returned anyway, so a lenient caller
 * can reject it and go on.
 */
int		 ka_reader_next(ka_reader *reader, ka_record *rec,
		    enum ka_read_status *status);

/* The header record (column names, or "1", "2", ... with no_header). */
const ka_record	*ka_reader_header(const ka_reader *reader);
int		 ka_reader_delimiter(const ka_reader *reader);

/* The last problem, as "FILE:LINE: text" without the program name. */
const char	*ka_reader_error(const ka_reader *reader);
/* The same without "FILE:LINE: ", for a rejects file's reason column
   (which has file and line columns of its own). */
const char	*ka_reader_reason(const ka_reader *reader);
/* Column (1-based) the last problem was found in, 0 when unknown. */
size_t		 ka_reader_error_column(const ka_reader *reader);

/* Bytes of input consumed so far and the total size where known. */
uint64_t	 ka_reader_bytes(const ka_reader *reader);

void		 ka_reader_close(ka_reader *reader);

/* Index of the header field equal to name, or -1. */
long		 ka_header_index(const ka_record *header, const char *name);

/* Delimiter for a file name by its extension (.tsv, .tab), or 0. */
int		 ka_delimiter_from_name(const char *name);

#endif
