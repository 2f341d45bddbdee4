/*
 * ka_pieces: one large regular file read in pieces on threads.
 *
 * The data lines after the header are cut at line ends into up to jobs
 * pieces.  Each piece is read on a thread of its own by a reader of its
 * own (a byte range of the file, see ka_reader.h), and every record of
 * it is handed to a piece state the caller made for that piece.  When
 * every piece was read through without a word to say, the piece states
 * are handed back in input order, so the caller appends each to what
 * it has and ends up with what one pass over the file would give.
 *
 *	struct ka_pieces_callbacks cb = { piece_new, record, absorb,
 *	    piece_free };
 *	if (ka_pieces_read(path, NULL, &options, delimiter, jobs, &cb, me))
 *		done: every record went to some piece, the pieces to absorb
 *	else
 *		read the file the ordinary way (ka_reader_next ...)
 *
 * Returns 1 when done; 0 when it is not possible or not worth it, or
 * when some row needs a message, having absorbed nothing (but see
 * absorb below).  0 is silent: the ordinary pass that follows reads
 * every row again and words any problem with its real line number.
 * Not possible or not worth it: jobs below 2, an --encoding, no_header,
 * force_libcsv, delimiter 0, not a regular file, under 4 MB (pieces are
 * 2 MB at least, so fewer than jobs of them in a smaller file), a
 * UTF-16 or UTF-32 byte-order mark, a header line that one pass might
 * read otherwise (a quote in it, so it might go on after its line end;
 * blank; a CR or NUL inside it; longer than 64 kB) or that differs from
 * header, no line end within 64 kB of a cut.  Needs a message: the
 * reader's complaint about a record (field count against the header's,
 * bad UTF-8, a NUL, an unterminated quote: a cut inside a quoted field
 * ends the piece before it inside quotes, so a quoted line break across
 * a cut always shows), or record returning -1.
 *
 * Threads: piece_new, absorb and piece_free run on the calling thread,
 * absorb only once every piece thread has ended.  record runs on the
 * piece's thread, at the same time as other pieces' records: it may
 * write its own piece state and read anything the context reaches
 * (nothing writes to it during the pass), and must write nothing
 * shared: no ka_keys of the context, no static buffers, no ka_filter
 * (a --where counts its matches; callers refuse a filter), no stdio.
 * A record's file is path and its line counts from the piece's first
 * line: neither may go into figures.
 */
#ifndef KA_PIECES_H
#define KA_PIECES_H

#include "ka_reader.h"

#define KA_PIECES_MAX	16	/* more jobs than this read 16 pieces */

struct ka_pieces_callbacks {
	/* A new, empty piece state, or NULL (the read gives up: 0). */
	void	*(*piece_new)(void *context);
	/* One record of the piece, in input order within the piece: 0 to
	   go on, -1 when it needs the ordinary read (all pieces stop).
	   context is the same for every piece: read it, never write. */
	int	 (*record)(const void *context, void *piece,
		    const ka_record *rec);
	/* Every piece state, in input order, once all were read whole: 0,
	   or -1 to give up (0 is returned; the pieces absorbed before
	   stay absorbed, so a caller that must change nothing absorbs
	   into a fresh state of its own and adopts it after 1). */
	int	 (*absorb)(void *context, void *piece);
	/* Frees a state piece_new made, absorbed or not. */
	void	 (*piece_free)(void *context, void *piece);
};

/*
 * Reads path in up to jobs pieces (see above).  options are the ones
 * the file's header was read with, delimiter the one that reader found
 * (ka_reader_delimiter()).  header, when not NULL, is that header: the
 * file's first line must hold the same names (several files of one
 * input must share a header); NULL takes the first line's fields as
 * the header.  Progress is shown as one pass shows it (options'
 * progress).
 */
int	 ka_pieces_read(const char *path, const ka_record *header,
	    const struct ka_reader_options *options, int delimiter, int jobs,
	    const struct ka_pieces_callbacks *cb, void *context);

/*
 * For one process of several, each reading its own piece of one file
 * (ka-rank --piece K/N): sets options to read piece k of n (1 <= k <=
 * n) of path's data lines, cut as ka_pieces_read() cuts them, at the
 * first line feed after each n-th of the bytes after the header, so
 * that the n processes together read every line once.  options gets
 * the byte range, no_header with header_fields (the header's fields),
 * delimiter, and first_line, the file's line number where the piece
 * starts (counting the lines before it reads them once, quickly from
 * the page cache).  A piece may be empty.  Returns 0, or -1 with a
 * message in error: not a regular file, an --encoding, a quote in the
 * header line (where it ends is then a parser's question), no line feed
 * within 64 kB after a cut (line ends of CR alone, or a line that long).
 */
int	 ka_pieces_range(const char *path, int delimiter,
	    size_t header_fields, int k, int n,
	    struct ka_reader_options *options, char *error, size_t size);

#endif
