#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
/* KA_NO_SIMD builds the portable fast path alone (other CPUs have it;
   tests/unit builds it here too, as test_reader_portable). */
#if defined(__SSE2__) && !defined(KA_NO_SIMD)
#define HAVE_SSE2_PATH 1
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(KA_NO_SIMD)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1	/* chosen at run time, where the CPU has it */
#endif

#include "ka_alloc.h"
#include "ka_map.h"
#include "ka_msg.h"
#include "ka_progress.h"
#include "ka_reader.h"
#include "ka_utf8.h"

#define READ_CHUNK	(1u << 20)
#define NOT_SEARCHED	SIZE_MAX
#ifndef READ_SIZE
#define READ_SIZE	(128u * 1024)
#endif
/* libcsv's field buffer: its first size. */
#define FIELD_BLOCK	(64u * 1024)
/* A mapped file's memory is given back every this many bytes read. */
#define RELEASE_STEP	(1u << 20)

/* libcsv's parser states (libcsv.c); only "inside a field" matters here. */
#define LIBCSV_FIELD_BEGUN 2

struct record_store {
	char		*text;
	size_t		 length, capacity;
	uint32_t	*offset;
	size_t		 nfields, offset_capacity;
};

struct ka_reader {
	struct ka_reader_options options;
	const char *const *files;
	size_t		 nfiles, file_index;
	const char	*file;
	int		 fd;
	int		 eof;		/* no more bytes from this file */

	/* Decoded UTF-8 text; [pos, filled) is not yet consumed.  When the
	 * file is mapped, buf is the mapping (read only: records are
	 * copied out) and eof is set from the start; owned is the buffer
	 * read() fills otherwise. */
	char		*buf;
	size_t		 capacity, pos, filled;
	char		*owned;
	size_t		 owned_capacity;
	struct ka_map	 map;
	int		 mapped;
	uint64_t	 map_from;	/* the file offset buf[0] is at */
	uint64_t	 file_size;	/* the file's size when mapped */
	/* Where the next LF, CR and NUL are, or NOT_SEARCHED. */
	size_t		 next_lf, next_cr, next_nul;

	/* Conversion from another encoding, when there is one. */
	iconv_t		 converter;
	const char	*encoding;
	char		*raw;
	size_t		 raw_length, raw_capacity;
	int		 raw_eof;

	unsigned long	 line;		/* physical line at pos */
	unsigned long	 records;	/* data records in this file */
	int		 delimiter;
	int		 at_file_start;

	int		(*split)(ka_reader *, ka_record *, enum ka_read_status *);
	/* The splits this CPU runs: in place (read()), in a copy (mapped). */
	int		(*split_in_place)(ka_reader *, ka_record *,
			    enum ka_read_status *);
	int		(*split_copy)(ka_reader *, ka_record *,
			    enum ka_read_status *);
	char		*copy;		/* a mapped file's record, split */
	size_t		 copy_capacity;
	struct csv_parser csv;
	struct record_store assembled;	/* records parsed by libcsv */
	int		 record_done;
	/* The split's scan of a line that holds a quote, for libcsv's
	 * first line of the record: where it ends, its terminator, and
	 * the first NUL or bad UTF-8 (end when none) with its status. */
	struct {
		size_t	 end, bad;
		int	 term;
		enum ka_read_status status;
	}		 scanned;
	int		 have_scanned;
	uint32_t	*split_offset;	/* fast-path field offsets */
	size_t		 split_capacity;

	struct record_store header_store;
	ka_record	 header;
	/* With no header line, the first record is read early, kept here. */
	struct record_store pending_store;
	ka_record	 pending;
	enum ka_read_status pending_status;
	int		 have_pending;
	char		 header_file[4096];
	int		 have_header;

	uint64_t	 bytes_read, bytes_total;
	uint64_t	 range_left;	/* with a byte range: bytes still to read */
	struct ka_progress progress;

	char		 error[1024];
	size_t		 error_column;
	size_t		 reason_at;	/* where error's text follows FILE:LINE: */
};

static void
set_error(ka_reader *r, unsigned long line, size_t column, const char *format,
    ...) __attribute__((format(printf, 4, 5)));

static void
set_error(ka_reader *r, unsigned long line, size_t column, const char *format,
    ...)
{
	va_list args;
	int n;

	if (line > 0)
		n = snprintf(r->error, sizeof(r->error), "%s:%lu: ", r->file,
		    line);
	else
		n = snprintf(r->error, sizeof(r->error), "%s: ", r->file);
	if (n < 0 || (size_t)n >= sizeof(r->error))
		n = 0;
	va_start(args, format);
	vsnprintf(r->error + n, sizeof(r->error) - (size_t)n, format, args);
	va_end(args);
	r->reason_at = (size_t)n;
	r->error_column = column;
}

int
ka_delimiter_from_name(const char *name)
{
	const char *dot;

	if (name == NULL || (dot = strrchr(name, '.')) == NULL)
		return 0;
	if (strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".tab") == 0)
		return '\t';
	return 0;
}

/* ---- input: raw bytes, decoded to UTF-8 in buf ---- */

static void
forget_searches(ka_reader *r)
{
	r->next_lf = r->next_cr = r->next_nul = NOT_SEARCHED;
}

static void
shift_search(size_t *where, size_t shift)
{
	/* A hit already consumed is simply forgotten. */
	if (*where == NOT_SEARCHED || *where < shift)
		*where = NOT_SEARCHED;
	else
		*where -= shift;
}

/* Moves unconsumed text to the front and makes room for more. */
static void
make_room(ka_reader *r)
{
	size_t shift = r->pos;

	if (shift > 0) {
		memmove(r->buf, r->buf + shift, r->filled - shift);
		r->filled -= shift;
		r->pos = 0;
		shift_search(&r->next_lf, shift);
		shift_search(&r->next_cr, shift);
		shift_search(&r->next_nul, shift);
	}
	/* One spare byte always: the fast path writes a NUL after the end. */
	if (r->capacity - r->filled < READ_CHUNK / 2 + 1) {
		r->capacity = r->capacity * 2 + READ_CHUNK;
		r->buf = ka_realloc(r->buf, r->capacity);
		r->owned = r->buf;
		r->owned_capacity = r->capacity;
	}
}

static ssize_t
read_some(ka_reader *r, char *into, size_t size)
{
	ssize_t n;

	if (r->options.range_end > 0) {
		if (size > r->range_left)
			size = (size_t)r->range_left;
		if (size == 0)
			return 0;
	}
	do
		n = read(r->fd, into, size);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_error(r, 0, 0, "read error: %s", strerror(errno));
		return -1;
	}
	if (r->options.range_end > 0)
		r->range_left -= (uint64_t)n;
	r->bytes_read += (uint64_t)n;
	ka_progress_update(&r->progress, r->bytes_read);
	return n;
}

/* Newlines in the text not yet consumed, to place a conversion error. */
static unsigned long
line_at_end(const ka_reader *r)
{
	unsigned long line = r->line;
	size_t i;

	for (i = r->pos; i < r->filled; i++)
		if (r->buf[i] == '\n' || (r->buf[i] == '\r' &&
		    (i + 1 == r->filled || r->buf[i + 1] != '\n')))
			line++;
	return line;
}

static int
convert_more(ka_reader *r)
{
	char *in, *out;
	size_t in_left, out_left, done;
	ssize_t n;

	if (!r->raw_eof && r->raw_length < READ_CHUNK) {
		if (r->raw_capacity < READ_CHUNK * 2) {
			r->raw_capacity = READ_CHUNK * 2;
			r->raw = ka_realloc(r->raw, r->raw_capacity);
		}
		n = read_some(r, r->raw + r->raw_length,
		    r->raw_capacity - r->raw_length);
		if (n < 0)
			return -1;
		if (n == 0)
			r->raw_eof = 1;
		r->raw_length += (size_t)n;
	}
	in = r->raw;
	in_left = r->raw_length;
	out = r->buf + r->filled;
	out_left = r->capacity - r->filled - 1;
	if (iconv(r->converter, &in, &in_left, &out, &out_left) == (size_t)-1 &&
	    out == r->buf + r->filled) {
		/* Text converted before a bad byte is kept, and its records
		 * are read first: the error comes once nothing else can be
		 * converted, so line_at_end() names the bad byte's line. */
		if (errno == EILSEQ) {
			set_error(r, line_at_end(r), 0,
			    "input is not valid %s (byte 0x%02x)", r->encoding,
			    (unsigned char)*in);
			return -1;
		}
		if (errno == EINVAL && r->raw_eof) {
			set_error(r, line_at_end(r), 0,
			    "input ends inside a %s character", r->encoding);
			return -1;
		}
		/* E2BIG, or EINVAL with more to come: both simply wait. */
	}
	done = r->raw_length - in_left;
	memmove(r->raw, in, in_left);
	r->raw_length = in_left;
	r->filled = (size_t)(out - r->buf);
	if (r->raw_eof && r->raw_length == 0)
		r->eof = 1;
	(void)done;
	return 0;
}

/* Reads more text into buf; 0 ok (eof set at the end), -1 error. */
static int
fill(ka_reader *r)
{
	size_t before;
	ssize_t n;

	if (r->eof)
		return 0;
	make_room(r);
	before = r->filled;
	if (r->converter != (iconv_t)-1) {
		do
			if (convert_more(r) < 0)
				return -1;
		while (r->filled == before && !r->eof);
	} else {
		/* Small reads keep the text in cache until it is parsed. */
		size_t room = r->capacity - r->filled - 1;

		n = read_some(r, r->buf + r->filled,
		    room < READ_SIZE ? room : READ_SIZE);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = 1;
		r->filled += (size_t)n;
	}
	/* Searches that found nothing ended at the old end: search again. */
	if (r->next_lf == before)
		r->next_lf = NOT_SEARCHED;
	if (r->next_cr == before)
		r->next_cr = NOT_SEARCHED;
	if (r->next_nul == before)
		r->next_nul = NOT_SEARCHED;
	return 0;
}

/* Position of the next byte c at or after from, or filled if none yet. */
static size_t
find(ka_reader *r, size_t *cache, int c, size_t from)
{
	const char *hit;

	if (*cache != NOT_SEARCHED && *cache >= from)
		return *cache;
	hit = memchr(r->buf + from, c, r->filled - from);
	*cache = hit ? (size_t)(hit - r->buf) : r->filled;
	return *cache;
}

static int
open_converter(ka_reader *r, const char *encoding)
{
	r->converter = iconv_open("UTF-8", encoding);
	if (r->converter == (iconv_t)-1) {
		set_error(r, 0, 0, "unknown encoding \"%s\" (iconv -l lists "
		    "them)", encoding);
		return -1;
	}
	r->encoding = encoding;
	r->raw_length = 0;
	r->raw_eof = 0;
	return 0;
}

/*
 * Reads a regular file through a mapping where it can: the mapping is
 * the text, whole, and read() is not needed.  Stays with read() for a
 * pipe, an empty file or range, and a conversion.
 */
static void
try_mapping(ka_reader *r, const struct stat *st)
{
	uint64_t to = (uint64_t)st->st_size;
	off_t from;

	if (!S_ISREG(st->st_mode) || r->options.encoding != NULL)
		return;
	/* Where the file is now: a range's start, or where standard input
	 * was left by whoever read it before. */
	if ((from = lseek(r->fd, 0, SEEK_CUR)) < 0)
		return;
	if (r->options.range_end > 0 && r->options.range_end < to)
		to = r->options.range_end;
	if ((uint64_t)from >= to || to - (uint64_t)from > SIZE_MAX ||
	    ka_map_open(&r->map, r->fd, (uint64_t)from,
	    (size_t)(to - (uint64_t)from)) < 0)
		return;
	r->mapped = 1;
	r->map_from = (uint64_t)from;
	r->file_size = (uint64_t)st->st_size;
	r->buf = (char *)r->map.data;
	r->capacity = r->filled = r->map.length;
	r->eof = 1;
	r->split = r->split_copy;
}

/* The buffer read() fills, made when first needed (a mapped file does
 * not need one), as the text, empty. */
static void
use_own_buffer(ka_reader *r)
{
	if (r->owned == NULL) {
		r->owned_capacity = READ_CHUNK;
		r->owned = ka_realloc(NULL, r->owned_capacity);
	}
	r->buf = r->owned;
	r->capacity = r->owned_capacity;
	r->pos = r->filled = 0;
}

/* The mapping given up: no text (buf is the read buffer, if any). */
static void
unmap(ka_reader *r)
{
	ka_map_close(&r->map);
	r->mapped = 0;
	r->buf = r->owned;
	r->capacity = r->owned_capacity;
	r->pos = r->filled = 0;
}

/* 0, or -1 with a message when the file cannot be read from offset. */
static int
seek_to(ka_reader *r, uint64_t offset)
{
	if (lseek(r->fd, (off_t)offset, SEEK_SET) < 0) {
		set_error(r, 0, 0, "cannot seek to byte %llu: %s",
		    (unsigned long long)offset, strerror(errno));
		return -1;
	}
	return 0;
}

/* Back to read(), from where the mapping started. */
static int
stop_mapping(ka_reader *r)
{
	if (!r->mapped)
		return 0;
	unmap(r);
	use_own_buffer(r);
	r->eof = 0;
	r->split = r->split_in_place;
	forget_searches(r);
	return seek_to(r, r->map_from);
}

/*
 * Looks at the first bytes of a file: a UTF-16 or UTF-32 byte-order mark
 * switches to conversion (and from a mapping to read()); a UTF-8 one is
 * dropped.
 */
static int
start_file(ka_reader *r)
{
	const unsigned char *b;
	const char *encoding = r->options.encoding;
	/* Inside a byte range, a byte-order mark's bytes are text. */
	int marked = r->options.range_end == 0 || r->options.range_start == 0;

	while (r->filled - r->pos < 4 && !r->eof)
		if (fill(r) < 0)
			return -1;
	b = (const unsigned char *)r->buf + r->pos;
	if (encoding == NULL && marked && r->filled - r->pos >= 2) {
		if (r->filled - r->pos >= 4 && b[0] == 0xff && b[1] == 0xfe &&
		    b[2] == 0 && b[3] == 0)
			encoding = "UTF-32LE";
		else if (r->filled - r->pos >= 4 && b[0] == 0 && b[1] == 0 &&
		    b[2] == 0xfe && b[3] == 0xff)
			encoding = "UTF-32BE";
		else if (b[0] == 0xff && b[1] == 0xfe)
			encoding = "UTF-16LE";
		else if (b[0] == 0xfe && b[1] == 0xff)
			encoding = "UTF-16BE";
	}
	if (encoding != NULL && r->mapped) {
		if (stop_mapping(r) < 0)
			return -1;
		while (r->filled - r->pos < 4 && !r->eof)
			if (fill(r) < 0)
				return -1;
	}
	if (encoding != NULL) {
		/* Hand the bytes read so far to the converter as raw input. */
		size_t have = r->filled - r->pos;

		if (open_converter(r, encoding) < 0)
			return -1;
		if (r->raw_capacity < READ_CHUNK * 2) {
			r->raw_capacity = READ_CHUNK * 2;
			r->raw = ka_realloc(r->raw, r->raw_capacity);
		}
		if (r->raw_capacity < have) {
			r->raw_capacity = have;
			r->raw = ka_realloc(r->raw, r->raw_capacity);
		}
		memcpy(r->raw, r->buf + r->pos, have);
		r->raw_length = have;
		r->raw_eof = r->eof;
		r->eof = 0;
		r->filled = r->pos;
		forget_searches(r);
		while (r->filled - r->pos < 3 && !r->eof)
			if (fill(r) < 0)
				return -1;
		b = (const unsigned char *)r->buf + r->pos;
	}
	if (marked && r->filled - r->pos >= 3 && b[0] == 0xef &&
	    b[1] == 0xbb && b[2] == 0xbf)
		r->pos += 3;
	return 0;
}

/* ---- records ---- */

static void
store_reset(struct record_store *s)
{
	s->length = 0;
	s->nfields = 0;
}

static void
store_field(struct record_store *s, const char *text, size_t length)
{
	char *to;

	if (s->length + length + 1 > s->capacity) {
		s->capacity = (s->length + length + 1) * 2 + 256;
		s->text = ka_realloc(s->text, s->capacity);
	}
	if (s->nfields + 2 > s->offset_capacity) {
		s->offset_capacity = s->offset_capacity * 2 + 16;
		s->offset = ka_realloc(s->offset,
		    s->offset_capacity * sizeof(*s->offset));
	}
	s->offset[s->nfields++] = (uint32_t)s->length;
	to = s->text + s->length;
	/* Fields are mostly short: two overlapping fixed-size copies
	 * instead of a call to memcpy. */
	if (length >= 8 && length <= 16) {
		memcpy(to, text, 8);
		memcpy(to + length - 8, text + length - 8, 8);
	} else if (length >= 4 && length < 8) {
		memcpy(to, text, 4);
		memcpy(to + length - 4, text + length - 4, 4);
	} else if (length > 0) {
		memcpy(to, text, length);
	}
	s->length += length;
	s->text[s->length++] = '\0';
	s->offset[s->nfields] = (uint32_t)s->length;
}

static void
on_csv_field(void *text, size_t length, void *data)
{
	ka_reader *r = data;
	struct record_store *s = &r->assembled;
	size_t at = s->length, n = s->nfields;

	/* libcsv hands every field from the start of its entry buffer,
	 * which parse_line() makes FIELD_BLOCK bytes or more: a short field
	 * is one 16-byte copy, without the length cases of store_field(). */
	if (length <= 16 && (unsigned char *)text == r->csv.entry_buf &&
	    r->csv.entry_size >= 16 && at + 16 + 1 <= s->capacity &&
	    n + 2 <= s->offset_capacity) {
		char *to = s->text;
		uint32_t *offset = s->offset;

		memcpy(to + at, text, 16);
		to[at + length] = '\0';
		offset[n] = (uint32_t)at;
		offset[n + 1] = (uint32_t)(at + length + 1);
		s->length = at + length + 1;
		s->nfields = n + 1;
		return;
	}
	store_field(s, text, length);
}

static void
on_csv_record(int terminator, void *data)
{
	ka_reader *r = data;

	(void)terminator;
	r->record_done = 1;
}

/* libcsv must not trim spaces: the fast path keeps them too. */
static int
no_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

static int
is_line_end(unsigned char c)
{
	return c == '\r' || c == '\n';
}

/*
 * Finds the end of the physical line starting at from: sets *end to the
 * terminator's position (filled when the input ends without one) and
 * returns the terminator's length (0, 1 or 2), or -1 on a read error.
 * May read more input, which can move text: positions stay valid
 * relative to r->pos only, so callers pass from as an offset from pos.
 */
static int
line_end(ka_reader *r, size_t from_pos, size_t *end)
{
	size_t lf, cr, e;

	for (;;) {
		lf = find(r, &r->next_lf, '\n', r->pos + from_pos);
		cr = find(r, &r->next_cr, '\r', r->pos + from_pos);
		e = lf < cr ? lf : cr;
		if (e < r->filled) {
			if (r->buf[e] == '\r' && e + 1 == r->filled && !r->eof) {
				/* A CR at the end of the text: is LF next? */
				if (fill(r) < 0)
					return -1;
				continue;
			}
			*end = e;
			if (r->buf[e] == '\r' && e + 1 < r->filled &&
			    r->buf[e + 1] == '\n')
				return 2;
			return 1;
		}
		if (r->eof) {
			*end = r->filled;
			return 0;
		}
		if (fill(r) < 0)
			return -1;
	}
}

/*
 * Finds the first NUL byte or invalid UTF-8 in one physical line
 * [start, end) of a record whose status is still OK: sets *status and
 * returns the offset, or returns end.
 */
static size_t
check_text(ka_reader *r, size_t start, size_t end,
    enum ka_read_status *status)
{
	size_t nul, bad;

	if (*status != KA_READ_OK)
		return end;
	nul = find(r, &r->next_nul, '\0', start);
	if (nul < end) {
		*status = KA_READ_NUL;
		return nul;
	}
	bad = ka_utf8_invalid_at(r->buf + start, end - start);
	if (bad < end - start) {
		*status = KA_READ_BAD_UTF8;
		return start + bad;
	}
	return end;
}

/* The message for what check_text() found at offset at, in column. */
static void
text_error(ka_reader *r, size_t at, size_t column,
    enum ka_read_status status)
{
	if (status == KA_READ_NUL)
		set_error(r, r->line, column, "NUL byte in column %zu (is this "
		    "UTF-16 or binary data? try --encoding)", column);
	else
		set_error(r, r->line, column, "invalid UTF-8 (byte 0x%02x) in "
		    "column %zu; if the file is in another encoding, give "
		    "--encoding (e.g. GB18030, WINDOWS-1252, UTF-16LE)",
		    (unsigned char)r->buf[at], column);
}

/* Where the special bytes of 64 bytes of text are, one bit per byte. */
struct chunk_masks {
	uint64_t	 delimiter;	/* the field delimiter */
	uint64_t	 stop;		/* LF, CR or a quote: the fast path stops */
	uint64_t	 nul;
	uint64_t	 high;		/* above 0x7f: UTF-8 to check */
};

#ifdef HAVE_SSE2_PATH
static inline uint64_t
bits16(__m128i compared, int at)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(compared) << at;
}

static inline void
classify(const char *p, unsigned char delimiter, struct chunk_masks *m)
{
	const __m128i d = _mm_set1_epi8((char)delimiter);
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
	int k;

	m->delimiter = m->stop = m->nul = m->high = 0;
	for (k = 0; k < 64; k += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + k));

		m->delimiter |= bits16(_mm_cmpeq_epi8(b, d), k);
		m->stop |= bits16(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(b, lf), _mm_cmpeq_epi8(b, cr)),
		    _mm_cmpeq_epi8(b, quote)), k);
		m->nul |= bits16(_mm_cmpeq_epi8(b, zero), k);
		m->high |= bits16(b, k);
	}
}
#else
static inline void
classify(const char *p, unsigned char delimiter, struct chunk_masks *m)
{
	int k;

	m->delimiter = m->stop = m->nul = m->high = 0;
	for (k = 0; k < 64; k++) {
		unsigned char c = (unsigned char)p[k];
		uint64_t bit = UINT64_C(1) << k;

		if (c == delimiter)
			m->delimiter |= bit;
		else if (c == '\n' || c == '\r' || c == '"')
			m->stop |= bit;
		else if (c == '\0')
			m->nul |= bit;
		else if (c >= 0x80)
			m->high |= bit;
	}
}
#endif

#ifdef HAVE_AVX2_PATH
static inline __attribute__((target("avx2"), always_inline)) uint64_t
bits32x2(__m256i low, __m256i high)
{
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(low) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(high) << 32;
}

/* classify() with 32-byte registers. */
static inline __attribute__((target("avx2"), always_inline)) void
classify_avx2(const char *p, unsigned char delimiter, struct chunk_masks *m)
{
	const __m256i d = _mm256_set1_epi8((char)delimiter);
	const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
	const __m256i quote = _mm256_set1_epi8('"');
	const __m256i zero = _mm256_setzero_si256();
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
	    (p + 32));

	m->delimiter = bits32x2(_mm256_cmpeq_epi8(a, d),
	    _mm256_cmpeq_epi8(b, d));
	m->stop = bits32x2(_mm256_or_si256(_mm256_or_si256(
	    _mm256_cmpeq_epi8(a, lf), _mm256_cmpeq_epi8(a, cr)),
	    _mm256_cmpeq_epi8(a, quote)), _mm256_or_si256(_mm256_or_si256(
	    _mm256_cmpeq_epi8(b, lf), _mm256_cmpeq_epi8(b, cr)),
	    _mm256_cmpeq_epi8(b, quote)));
	m->nul = bits32x2(_mm256_cmpeq_epi8(a, zero),
	    _mm256_cmpeq_epi8(b, zero));
	m->high = bits32x2(a, b);
}
#endif

/*
 * The fields that the delimiter bits of line[base..base + 63] start: each
 * delimiter becomes the NUL that ends the field before it, and the
 * offset after it is stored.  Returns how many there were.
 */
static inline size_t
offsets_of(uint32_t *offset, char *line, uint64_t bits, uint32_t base)
{
	size_t n = 0;

	while (bits != 0) {
		uint32_t at = base + (uint32_t)__builtin_ctzll(bits);

		line[at] = '\0';
		offset[n++] = at + 1;
		bits &= bits - 1;
	}
	return n;
}

/* Room for 64 more field offsets after the n kept. */
static uint32_t *
reserve_split(ka_reader *r, size_t n)
{
	if (n + 64 + 2 > r->split_capacity) {
		r->split_capacity = r->split_capacity * 2 + 128;
		r->split_offset = ka_realloc(r->split_offset,
		    r->split_capacity * sizeof(*r->split_offset));
	}
	return r->split_offset;
}

/* Room for a copied line of n bytes and its NUL. */
static char *
reserve_copy(ka_reader *r, size_t n)
{
	if (n + 1 > r->copy_capacity) {
		r->copy_capacity = (n + 1) * 2 + 256;
		r->copy = ka_realloc(r->copy, r->copy_capacity);
	}
	return r->copy;
}

/* The 1-based field that byte offset falls in, from the split. */
static size_t
field_at(const ka_reader *r, size_t nfields, size_t offset)
{
	size_t i = 1;

	while (i < nfields && r->split_offset[i] <= offset)
		i++;
	return i;
}

/*
 * The fast path, for a record without a quote: one pass over the line at
 * pos, 64 bytes at a time, finds its delimiters, its end, quotes, NUL
 * bytes and bytes above 0x7f (only they need a UTF-8 check, since every
 * byte of a multibyte sequence is one).  Blank lines are skipped.
 * Returns 1 with the record split in place (with copy, split in a copy
 * of the line: a mapped file is read only), 0 at the end of the input,
 * 2 when the line holds a quote (libcsv reads the record then, from pos,
 * starting with what this pass found: r->scanned), or -1 on a read error.
 */
static inline __attribute__((always_inline)) int
split_record_with(ka_reader *r, ka_record *rec, enum ka_read_status *status,
    void (*classify_64)(const char *, unsigned char, struct chunk_masks *),
    size_t (*utf8_invalid)(const char *, size_t, size_t, size_t),
    const int copy)
{
	const unsigned char delimiter = (unsigned char)r->delimiter;
	size_t i, n, end, avail, k, nul_at, high_from, high_to, bad;
	uint32_t *offset;
	char *line, *split;
	int term, quoted;

again:
	i = 0;
	n = 1;
	quoted = 0;
	nul_at = high_from = SIZE_MAX;
	high_to = 0;
	for (;;) {
		line = r->buf + r->pos;
		avail = r->filled - r->pos;
		split = line;
		for (; i + 64 <= avail; i += 64) {
			struct chunk_masks m;

			classify_64(line + i, delimiter, &m);
			offset = reserve_split(r, n);
			if (copy) {
				split = reserve_copy(r, i + 64);
				memcpy(split + i, line + i, 64);
			}
			/* A quote does not end the pass: the line goes to
			 * libcsv, but its end, NUL bytes and UTF-8 are
			 * found here all the same. */
			while (m.stop != 0 &&
			    line[i + (size_t)__builtin_ctzll(m.stop)] == '"') {
				quoted = 1;
				m.stop &= m.stop - 1;
			}
			if (m.stop != 0) {
				uint64_t before = (m.stop & -m.stop) - 1;

				m.delimiter &= before;
				m.nul &= before;
				m.high &= before;
			}
			if (!quoted)
				n += offsets_of(offset + n, split, m.delimiter,
				    (uint32_t)i);
			if (m.nul != 0 && nul_at == SIZE_MAX)
				nul_at = i + (size_t)__builtin_ctzll(m.nul);
			if (m.high != 0) {
				if (high_from == SIZE_MAX)
					high_from = i +
					    (size_t)__builtin_ctzll(m.high);
				high_to = i + 64 -
				    (size_t)__builtin_clzll(m.high);
			}
			if (m.stop != 0) {
				end = i + (size_t)__builtin_ctzll(m.stop);
				goto found;
			}
		}
		/* Under 64 bytes left: byte by byte, then read more if the
		 * line goes on (offsets stay valid: they count from the
		 * line's start). */
		offset = reserve_split(r, n);
		if (copy)
			split = reserve_copy(r, avail);
		for (; i < avail; i++) {
			unsigned char c = (unsigned char)line[i];

			if (c == '\n' || c == '\r') {
				end = i;
				goto found;
			}
			if (copy)
				split[i] = (char)c;
			if (c == delimiter) {
				if (!quoted) {
					split[i] = '\0';
					offset[n++] = (uint32_t)(i + 1);
				}
			} else if (c == '"')
				quoted = 1;
			else if (c == '\0' && nul_at == SIZE_MAX)
				nul_at = i;
			else if (c >= 0x80) {
				if (high_from == SIZE_MAX)
					high_from = i;
				high_to = i + 1;
			}
		}
		if (r->eof) {
			end = avail;
			goto found;
		}
		if (fill(r) < 0)
			return -1;
	}
found:
	if (end == avail)
		term = 0;
	else if (line[end] == '\n')
		term = 1;
	else {
		/* A CR: is LF next?  At the end of the text, read on. */
		if (end + 1 == avail && !r->eof) {
			if (fill(r) < 0)
				return -1;
			line = r->buf + r->pos;
			avail = r->filled - r->pos;
			if (!copy)
				split = line;
		}
		term = end + 1 < avail && line[end + 1] == '\n' ? 2 : 1;
	}
	bad = high_from == SIZE_MAX ? end :
	    utf8_invalid(line, high_from, high_to, avail);
	if (quoted) {
		/* libcsv reads the line as it was. */
		for (k = 1; !copy && k < n; k++)
			line[r->split_offset[k] - 1] = (char)delimiter;
		r->scanned.end = end;
		r->scanned.term = term;
		r->scanned.status = nul_at != SIZE_MAX ? KA_READ_NUL :
		    bad < high_to ? KA_READ_BAD_UTF8 : KA_READ_OK;
		r->scanned.bad = nul_at != SIZE_MAX ? nul_at :
		    bad < high_to ? bad : end;
		r->have_scanned = 1;
		return 2;
	}
	if (end == 0) {
		if (term == 0)
			return 0;
		/* A blank line is not a record (libcsv skips them too). */
		r->pos += (size_t)term;
		r->line++;
		goto again;
	}
	offset = r->split_offset;
	offset[0] = 0;
	split[end] = '\0';
	offset[n] = (uint32_t)(end + 1);
	rec->base = split;
	rec->offset = offset;
	rec->nfields = n;
	rec->line = rec->end_line = r->line;
	r->pos += end + (size_t)term;
	r->line++;

	if (nul_at != SIZE_MAX) {
		size_t column = field_at(r, n, nul_at);

		*status = KA_READ_NUL;
		set_error(r, rec->line, column, "NUL byte in column %zu (is "
		    "this UTF-16 or binary data? try --encoding)", column);
	} else if (high_from != SIZE_MAX && bad < high_to) {
		size_t column = field_at(r, n, bad);

		*status = KA_READ_BAD_UTF8;
		set_error(r, rec->line, column, "invalid UTF-8 (byte 0x%02x) "
		    "in column %zu; if the file is in another encoding, give "
		    "--encoding (e.g. GB18030, WINDOWS-1252, UTF-16LE)",
		    (unsigned char)line[bad], column);
	}
	return 1;
}

/* ka_utf8_invalid_in() in the shape of its AVX2 form. */
static inline size_t
utf8_invalid_plain(const char *text, size_t from, size_t to, size_t readable)
{
	(void)readable;
	return ka_utf8_invalid_in(text, from, to);
}

static int
split_record_sse2(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	return split_record_with(r, rec, status, classify, utf8_invalid_plain,
	    0);
}

static int
copy_record_sse2(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	return split_record_with(r, rec, status, classify, utf8_invalid_plain,
	    1);
}

#ifdef HAVE_AVX2_PATH
static __attribute__((target("avx2"))) int
split_record_avx2(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	return split_record_with(r, rec, status, classify_avx2,
	    ka_utf8_invalid_in_avx2, 0);
}

static __attribute__((target("avx2"))) int
copy_record_avx2(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	return split_record_with(r, rec, status, classify_avx2,
	    ka_utf8_invalid_in_avx2, 1);
}

#endif

/* The widest split this CPU can run (KA_NO_AVX2 in the environment
 * turns the AVX2 one off, for tests and comparisons), splitting in
 * place or, for a mapped file, in a copy. */
static int
(*choose_split(int copy))(ka_reader *, ka_record *, enum ka_read_status *)
{
#ifdef HAVE_AVX2_PATH
	const char *off = getenv("KA_NO_AVX2");

	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && (off == NULL || *off == '\0'))
		return copy ? copy_record_avx2 : split_record_avx2;
#endif
	return copy ? copy_record_sse2 : split_record_sse2;
}

/*
 * Hands one physical line to libcsv, which runs in strict mode: text
 * after a closing quote is an error, where lenient libcsv would reopen
 * the quoted field and take the lines after it into the same record.
 * A quote inside an unquoted field stays text, as on the fast path.
 * Returns 0, or -1 with libcsv's status set.
 */
static int
parse_line(ka_reader *r, const char *text, size_t length)
{
	size_t done = 0, have = csv_get_buffer_size(&r->csv);

	/* libcsv grows its field buffer by a fixed block, 128 bytes unless
	 * told: by what it has (so a long quoted field costs linear time),
	 * from FIELD_BLOCK. */
	csv_set_blk_size(&r->csv, have > FIELD_BLOCK ? have : FIELD_BLOCK);
	for (;;) {
		done += csv_parse(&r->csv, text + done, length - done,
		    on_csv_field, on_csv_record, r);
		if (done == length)
			return 0;
		if (csv_error(&r->csv) != CSV_EPARSE || r->csv.quoted)
			return -1;
		csv_set_opts(&r->csv, 0);
		done += csv_parse(&r->csv, text + done, 1, on_csv_field,
		    on_csv_record, r);
		csv_set_opts(&r->csv, CSV_STRICT);
	}
}

/* A record with a quote: libcsv, one physical line at a time. */
static int
parse_quoted(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	size_t end, length, fields, bad;
	int term, failed, scanned;
	unsigned long first_line = r->line, last_line = r->line;
	unsigned long quote_line = r->line;	/* where the open field began */

	store_reset(&r->assembled);
	r->record_done = 0;
	while (!r->record_done) {
		scanned = r->have_scanned;
		if (scanned) {
			/* The first line: the split has scanned it. */
			r->have_scanned = 0;
			end = r->pos + r->scanned.end;
			term = r->scanned.term;
		} else if ((term = line_end(r, 0, &end)) < 0)
			return -1;
		if (end == r->pos && term == 0) {
			/* Input ended inside the record. */
			if (r->csv.pstate == LIBCSV_FIELD_BEGUN &&
			    r->csv.quoted) {
				set_error(r, quote_line,
				    r->assembled.nfields + 1, "unterminated "
				    "quote: the quoted field that starts on "
				    "this line runs to the end of input");
				csv_fini(&r->csv, NULL, NULL, NULL);
				return -1;
			}
			csv_fini(&r->csv, on_csv_field, on_csv_record, r);
			break;
		}
		length = end - r->pos + (size_t)term;
		fields = r->assembled.nfields;
		if (scanned) {
			bad = r->pos + r->scanned.bad;
			*status = r->scanned.status;
		} else
			bad = check_text(r, r->pos, end, status);
		/* Up to a bad byte first: the fields libcsv has finished
		 * then give the column it is in, even inside quotes. */
		failed = parse_line(r, r->buf + r->pos,
		    (bad < end ? bad : r->pos + length) - r->pos) < 0;
		if (!failed && bad < end) {
			text_error(r, bad, r->assembled.nfields + 1, *status);
			failed = parse_line(r, r->buf + bad,
			    r->pos + length - bad) < 0;
		}
		/* The field still open began on this line if this is the
		 * record's first line or a field ended on it. */
		if (r->line == first_line || r->assembled.nfields != fields)
			quote_line = r->line;
		if (failed) {
			if (csv_error(&r->csv) != CSV_EPARSE)
				set_error(r, r->line, 0, "%s",
				    csv_strerror(csv_error(&r->csv)));
			else if (quote_line == r->line)
				set_error(r, r->line, r->assembled.nfields + 1,
				    "text after the closing quote of a field "
				    "(a quote inside quotes must be doubled)");
			else
				set_error(r, r->line, r->assembled.nfields + 1,
				    "text after the closing quote of the "
				    "field that starts on line %lu (a quote "
				    "inside quotes must be doubled)",
				    quote_line);
			csv_fini(&r->csv, NULL, NULL, NULL);
			return -1;
		}
		last_line = r->line;
		r->pos += length;
		if (term > 0)
			r->line++;
	}
	rec->base = r->assembled.text;
	rec->offset = r->assembled.offset;
	rec->nfields = r->assembled.nfields;
	rec->line = first_line;
	rec->end_line = last_line;
	return 1;
}

/*
 * got, or -1 when a mapped file turned out shorter than it was: what
 * was read of it is not the file any more.
 */
static int
mapping_intact(ka_reader *r, const ka_record *rec, int got)
{
	struct stat st;

	if (!r->mapped)
		return got;
	/* Past the end of the file, a page faults and reads as zeros
	 * (ka_map.h); within its last page, zeros come without a fault,
	 * so at the end the size is looked at again. */
	if (!ka_map_shrunk(&r->map) && (got > 0 || fstat(r->fd, &st) != 0 ||
	    (uint64_t)st.st_size >= r->map_from + r->map.length))
		return got;
	set_error(r, got > 0 ? rec->line : r->line, 0, "the file shrank "
	    "while it was read (it had %llu bytes when opened); is something "
	    "writing it?", (unsigned long long)r->file_size);
	return -1;
}

/*
 * One record of the current file: 1, 0 at its end, -1 on a fatal error.
 */
static int
read_record(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	size_t end;
	int term, got;

	*status = KA_READ_OK;
	rec->file = r->file;
	if (!r->options.force_libcsv) {
		got = r->split(r, rec, status);
		if (got == 2)
			got = parse_quoted(r, rec, status);
		return got < 0 ? got : mapping_intact(r, rec, got);
	}
	for (;;) {
		term = line_end(r, 0, &end);
		if (term < 0)
			return -1;
		if (end > r->pos || term == 0)
			break;
		/* A blank line is not a record (libcsv skips them too). */
		r->pos += (size_t)term;
		r->line++;
	}
	if (end == r->pos)
		return mapping_intact(r, rec, 0);
	got = parse_quoted(r, rec, status);
	return got < 0 ? got : mapping_intact(r, rec, got);
}

/* ---- files, header and delimiter ---- */

static int
sniff_delimiter(ka_reader *r)
{
	size_t count[3] = { 0, 0, 0 }, i, end;
	int inside = 0, field_start = 1, closed = 0;
	unsigned char c;

	/*
	 * The first line, whole, even when quotes hold newlines.  As when
	 * parsing, only a quote that starts a field opens quotes (or one
	 * right after a closing quote: ""); any other is text, and must
	 * not make the rest of the file look quoted.
	 */
	for (i = r->pos;; i++) {
		while (i >= r->filled) {
			if (r->eof)
				goto counted;
			end = i - r->pos;
			if (fill(r) < 0)
				return -1;
			i = r->pos + end;
		}
		c = (unsigned char)r->buf[i];
		if (inside) {
			if (c == '"') {
				inside = 0;
				closed = 1;
			}
			continue;
		}
		if (c == '"' && (field_start || closed)) {
			inside = 1;
			continue;
		}
		closed = 0;
		field_start = c == '\t' || c == ';' || c == ',';
		if (is_line_end(c))
			break;
		else if (c == '\t')
			count[0]++;
		else if (c == ';')
			count[1]++;
		else if (c == ',')
			count[2]++;
	}
counted:
	if (count[0] > 0 && count[0] >= count[1] && count[0] >= count[2])
		return '\t';
	if (count[1] > count[2])
		return ';';
	return ',';
}

static int
open_file(ka_reader *r)
{
	struct stat st;
	int have_stat;

	r->file = r->nfiles == 0 ? "-" : r->files[r->file_index];
	if (strcmp(r->file, "-") == 0) {
		r->file = "stdin";
		r->fd = STDIN_FILENO;
	} else if ((r->fd = open(r->file, O_RDONLY)) < 0) {
		set_error(r, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	r->bytes_total = 0;
	have_stat = fstat(r->fd, &st) == 0;
	if (have_stat && S_ISREG(st.st_mode))
		r->bytes_total = (uint64_t)st.st_size;
	if (r->options.range_end > 0) {
		if (seek_to(r, r->options.range_start) < 0)
			return -1;
		r->range_left = r->options.range_end - r->options.range_start;
		r->bytes_total = r->range_left;
	}
	if (r->file_index == 0 || r->nfiles > 1) {
		r->bytes_read = 0;
		ka_progress_start(&r->progress, r->options.progress,
		    r->bytes_total);
	}
	r->eof = 0;
	r->split = r->split_in_place;
	r->pos = r->filled = 0;
	if (have_stat)
		try_mapping(r, &st);
	if (!r->mapped)
		use_own_buffer(r);
	r->line = r->options.first_line > 0 ? r->options.first_line : 1;
	r->records = 0;
	r->at_file_start = 1;
	forget_searches(r);
	if (r->converter != (iconv_t)-1) {
		iconv_close(r->converter);
		r->converter = (iconv_t)-1;
	}
	if (start_file(r) < 0)
		return -1;
	r->delimiter = r->options.delimiter;
	if (r->delimiter == 0)
		r->delimiter = ka_delimiter_from_name(r->file);
	if (r->delimiter == 0 && (r->delimiter = sniff_delimiter(r)) < 0)
		return -1;
	csv_set_delim(&r->csv, (unsigned char)r->delimiter);
	return 0;
}

static void
close_file(ka_reader *r)
{
	if (r->mapped) {
		r->bytes_read = r->pos;
		/* Standard input is left where reading it ended, as read()
		 * would leave it. */
		if (r->fd == STDIN_FILENO)
			(void)lseek(r->fd, (off_t)(r->map_from + r->pos),
			    SEEK_SET);
		unmap(r);
	}
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	r->fd = -1;
}

static int
same_header(ka_reader *r, const ka_record *rec)
{
	size_t i;

	if (rec->nfields != r->header.nfields) {
		set_error(r, rec->line, 0, "header has %zu columns, but %s's "
		    "has %zu", rec->nfields, r->header_file,
		    r->header.nfields);
		return 0;
	}
	for (i = 0; i < rec->nfields; i++)
		if (strcmp(ka_field(rec, i), ka_field(&r->header, i)) != 0) {
			set_error(r, rec->line, i + 1, "header differs from "
			    "%s's: column %zu is \"%s\", expected \"%s\"",
			    r->header_file, i + 1, ka_field(rec, i),
			    ka_field(&r->header, i));
			return 0;
		}
	return 1;
}

static void
keep_header(ka_reader *r, const ka_record *rec)
{
	size_t i;
	char name[32];

	store_reset(&r->header_store);
	for (i = 0; i < rec->nfields; i++) {
		if (r->options.no_header) {
			snprintf(name, sizeof(name), "%zu", i + 1);
			store_field(&r->header_store, name, strlen(name));
		} else {
			store_field(&r->header_store, ka_field(rec, i),
			    ka_field_length(rec, i));
		}
	}
	r->header.base = r->header_store.text;
	r->header.offset = r->header_store.offset;
	r->header.nfields = r->header_store.nfields;
	r->header.file = r->file;
	r->header.line = rec->line;
	r->header.end_line = rec->end_line;
	snprintf(r->header_file, sizeof(r->header_file), "%s", r->file);
	r->have_header = 1;
}

/* With no_header and header_fields: "1" .. "N", no record read. */
static void
fixed_header(ka_reader *r)
{
	size_t i;
	char name[32];

	store_reset(&r->header_store);
	for (i = 0; i < r->options.header_fields; i++) {
		snprintf(name, sizeof(name), "%zu", i + 1);
		store_field(&r->header_store, name, strlen(name));
	}
	r->header.base = r->header_store.text;
	r->header.offset = r->header_store.offset;
	r->header.nfields = r->header_store.nfields;
	r->header.file = r->file;
	r->header.line = r->header.end_line = 0;
	snprintf(r->header_file, sizeof(r->header_file), "%s", r->file);
	r->have_header = 1;
}

/*
 * The header of a newly opened file: the first file's is kept; later
 * files must repeat it.  Returns 1, or -1 on error; with no_header the
 * first record stays unread.
 */
static int
read_header(ka_reader *r)
{
	ka_record rec;
	enum ka_read_status status;
	int got;

	if (r->options.no_header && r->options.header_fields > 0) {
		if (!r->have_header)
			fixed_header(r);
		return 1;
	}
	got = read_record(r, &rec, &status);
	if (got > 0 && r->options.no_header) {
		size_t i;

		if (!r->have_header)
			keep_header(r, &rec);
		store_reset(&r->pending_store);
		for (i = 0; i < rec.nfields; i++)
			store_field(&r->pending_store, ka_field(&rec, i),
			    ka_field_length(&rec, i));
		r->pending = rec;
		r->pending.base = r->pending_store.text;
		r->pending.offset = r->pending_store.offset;
		r->pending_status = status;
		r->have_pending = 1;
		return 1;
	}
	if (got < 0)
		return -1;
	if (got == 0) {
		if (!r->have_header) {
			/* An empty file: no columns, no records; the next
			 * file's header, if any, is the header. */
			store_reset(&r->header_store);
			r->header.base = r->header_store.text;
			r->header.offset = r->header_store.offset;
			r->header.nfields = 0;
		}
		return 1;
	}
	if (status != KA_READ_OK)
		return -1;
	if (!r->have_header) {
		keep_header(r, &rec);
		return 1;
	}
	return same_header(r, &rec) ? 1 : -1;
}

ka_reader *
ka_reader_open(const char *const *files, size_t nfiles,
    const struct ka_reader_options *options)
{
	ka_reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	r->options = *options;
	r->files = files;
	r->nfiles = nfiles;
	r->fd = -1;
	r->converter = (iconv_t)-1;
	r->map.slot = -1;
	r->split_in_place = choose_split(0);
	r->split_copy = choose_split(1);
	if (csv_init(&r->csv, CSV_STRICT) != 0)
		ka_die(KA_EXIT_DATA, "out of memory");
	csv_set_space_func(&r->csv, no_spaces);
	if (options->range_end > 0 && (nfiles != 1 ||
	    options->range_start > options->range_end)) {
		r->file = nfiles > 0 ? files[0] : "stdin";
		if (nfiles != 1)
			set_error(r, 0, 0, "a byte range is for one file");
		else
			set_error(r, 0, 0, "byte range %llu-%llu ends before "
			    "it starts",
			    (unsigned long long)options->range_start,
			    (unsigned long long)options->range_end);
		ka_warn("%s", r->error);
		ka_reader_close(r);
		return NULL;
	}
	/* libcsv's own line ends are CR and LF, the same as line_end(). */
	for (;;) {
		if (open_file(r) < 0 || read_header(r) < 0) {
			ka_warn("%s", r->error);
			ka_reader_close(r);
			return NULL;
		}
		/* An empty file has no header: a later file gives it. */
		if (r->have_header || r->file_index + 1 >= r->nfiles)
			break;
		close_file(r);
		r->file_index++;
	}
	return r;
}

int
ka_reader_next(ka_reader *r, ka_record *rec, enum ka_read_status *status)
{
	int got;

	for (;;) {
		if (r->have_pending) {
			*rec = r->pending;
			*status = r->pending_status;
			r->have_pending = 0;
			break;
		}
		if (r->fd < 0)
			return 0;
		got = read_record(r, rec, status);
		if (got < 0) {
			*status = KA_READ_FATAL;
			return -1;
		}
		if (got > 0)
			break;
		close_file(r);
		if (r->nfiles == 0 || ++r->file_index >= r->nfiles) {
			ka_progress_finish(&r->progress);
			return 0;
		}
		if (open_file(r) < 0 || read_header(r) < 0) {
			*status = KA_READ_FATAL;
			return -1;
		}
	}
	rec->number = ++r->records;
	if (r->mapped && r->pos - r->map.released >= RELEASE_STEP) {
		ka_map_release(&r->map, r->pos);
		ka_progress_update(&r->progress, r->pos);
	}
	if (*status == KA_READ_OK && !r->options.allow_ragged &&
	    rec->nfields != r->header.nfields) {
		*status = KA_READ_FIELD_COUNT;
		set_error(r, rec->line, 0, "%zu fields, expected %zu as in the "
		    "header", rec->nfields, r->header.nfields);
	}
	return 1;
}

const ka_record *
ka_reader_header(const ka_reader *r)
{
	return &r->header;
}

int
ka_reader_delimiter(const ka_reader *r)
{
	return r->delimiter;
}

const char *
ka_reader_error(const ka_reader *r)
{
	return r->error;
}

const char *
ka_reader_reason(const ka_reader *r)
{
	return r->error + r->reason_at;
}

size_t
ka_reader_error_column(const ka_reader *r)
{
	return r->error_column;
}

uint64_t
ka_reader_bytes(const ka_reader *r)
{
	return r->mapped ? r->pos : r->bytes_read;
}

void
ka_reader_close(ka_reader *r)
{
	if (r == NULL)
		return;
	ka_progress_finish(&r->progress);
	close_file(r);
	if (r->converter != (iconv_t)-1)
		iconv_close(r->converter);
	csv_free(&r->csv);
	free(r->owned);
	free(r->copy);
	free(r->raw);
	free(r->split_offset);
	free(r->assembled.text);
	free(r->assembled.offset);
	free(r->header_store.text);
	free(r->header_store.offset);
	free(r->pending_store.text);
	free(r->pending_store.offset);
	free(r);
}

long
ka_header_index(const ka_record *header, const char *name)
{
	size_t i;

	for (i = 0; i < header->nfields; i++)
		if (strcmp(ka_field(header, i), name) == 0)
			return (long)i;
	return -1;
}
