/*
 * ka_pieces: one large regular file read in pieces on threads.  See
 * ka_pieces.h.
 */
#define _POSIX_C_SOURCE 200809L	/* pread, clock_gettime */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ka_pieces.h"
#include "ka_progress.h"

#define PIECE_MIN	(4u << 20)	/* smaller files are read in one go */
#define PIECE_SEARCH	(64u << 10)	/* how far to look for a line end */
#define READ_BLOCK	(1u << 20)	/* lines before a piece, counted */

/* What the pieces share. */
struct shared {
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;	/* finished went up */
	int		 finished;	/* pieces done, under lock */
	atomic_int	 abort;		/* a piece failed: all stop */
	_Atomic uint64_t read;		/* bytes the readers have taken */
};

struct piece {
	const char	*path;
	struct ka_reader_options options;	/* its byte range */
	const struct ka_pieces_callbacks *cb;
	const void	*context;
	void		*state;
	struct shared	*shared;
	int		 failed;	/* written by its thread alone */
};

/* Every record of the piece to its state; any trouble stops them all. */
static void *
read_piece(void *arg)
{
	struct piece *p = arg;
	struct shared *s = p->shared;
	const char *names[1] = { p->path };
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	unsigned long n = 0;
	uint64_t told = 0, now;
	int got = -1;

	reader = ka_reader_open(names, 1, &p->options);
	if (reader != NULL) {
		while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
			if ((++n & 4095) == 0) {
				if (atomic_load(&s->abort))
					break;
				now = ka_reader_bytes(reader);
				atomic_fetch_add(&s->read, now - told);
				told = now;
			}
			if (status != KA_READ_OK ||
			    p->cb->record(p->context, p->state, &rec) < 0) {
				got = -1;
				break;
			}
		}
		atomic_fetch_add(&s->read, ka_reader_bytes(reader) - told);
		ka_reader_close(reader);
	}
	if (got < 0) {
		p->failed = 1;
		atomic_store(&s->abort, 1);
	}
	pthread_mutex_lock(&s->lock);
	s->finished++;
	pthread_cond_signal(&s->changed);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/*
 * The offset just past the first line feed at or after at; -1 when
 * there is none within PIECE_SEARCH bytes or, with stop_at_quote, a
 * quote comes first (the line might go on inside quotes).
 */
static off_t
line_end_after(int file, off_t at, off_t size, int stop_at_quote)
{
	char *buffer = malloc(PIECE_SEARCH);
	ssize_t n, i;
	off_t end = -1;

	if (buffer == NULL)
		return -1;
	n = pread(file, buffer, PIECE_SEARCH, at);
	for (i = 0; i < n; i++) {
		if (buffer[i] == '"' && stop_at_quote)
			break;
		if (buffer[i] == '\n') {
			end = at + i + 1 <= size ? at + i + 1 : -1;
			break;
		}
	}
	free(buffer);
	return end;
}

/*
 * The fields of the header line [0, end), which holds no quote: their
 * number, or 0 when one pass would not read the line as this header
 * (blank, so one pass skips it; a CR inside, which ends a line there; a
 * NUL; names other than header's, when given).
 */
static size_t
header_line_fields(int file, off_t end, int delimiter,
    const ka_record *header)
{
	char *line = malloc((size_t)end);
	size_t start = 0, length = (size_t)end - 1, i, field, fields = 0;

	if (line == NULL || pread(file, line, (size_t)end, 0) != end)
		goto out;
	if (length >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	if (length > start && line[length - 1] == '\r')
		length--;
	if (length == start || memchr(line + start, '\r', length - start) ||
	    memchr(line + start, '\0', length - start))
		goto out;
	for (i = start, field = start;; i++) {
		if (i < length && line[i] != delimiter)
			continue;
		if (header != NULL && (fields >= header->nfields ||
		    ka_field_length(header, fields) != i - field ||
		    memcmp(ka_field(header, fields), line + field,
		    i - field) != 0)) {
			fields = 0;
			goto out;
		}
		fields++;
		field = i + 1;
		if (i == length)
			break;
	}
	if (header != NULL && fields != header->nfields)
		fields = 0;
out:
	free(line);
	return fields;
}

/* Until every piece is done: progress on a terminal, as one pass shows. */
static void
wait_for_pieces(struct shared *s, int pieces, int wanted, uint64_t total)
{
	struct ka_progress progress;
	struct timespec until;

	memset(&progress, 0, sizeof(progress));
	ka_progress_start(&progress, wanted, total);
	pthread_mutex_lock(&s->lock);
	while (s->finished < pieces) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&s->changed, &s->lock, &until);
		pthread_mutex_unlock(&s->lock);
		ka_progress_update(&progress, atomic_load(&s->read));
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	ka_progress_finish(&progress);
}

/* The cuts of the data lines [header_end, size) into jobs pieces. */
static int
cut_at_line_ends(int file, off_t header_end, off_t size, int jobs,
    off_t *cut)
{
	int i;

	cut[0] = header_end;
	cut[jobs] = size;
	for (i = 1; i < jobs; i++) {
		off_t target = header_end + (size - header_end) / jobs * i;

		cut[i] = target > cut[i - 1] ? line_end_after(file, target - 1,
		    size, 0) : -1;
		if (cut[i] < 0 || cut[i] <= cut[i - 1] || cut[i] >= size)
			return -1;
	}
	return 0;
}

/* Runs the pieces; 1 when every one was read whole. */
static int
run_pieces(struct piece *pieces, int jobs, const struct ka_reader_options
    *options, uint64_t total)
{
	pthread_t threads[KA_PIECES_MAX];
	struct shared shared;
	int i, started, done;

	memset(&shared, 0, sizeof(shared));
	atomic_init(&shared.abort, 0);
	atomic_init(&shared.read, 0);
	pthread_mutex_init(&shared.lock, NULL);
	pthread_cond_init(&shared.changed, NULL);
	for (started = 0; started < jobs; started++) {
		pieces[started].shared = &shared;
		if (pthread_create(&threads[started], NULL, read_piece,
		    &pieces[started]) != 0) {
			atomic_store(&shared.abort, 1);
			break;
		}
	}
	wait_for_pieces(&shared, started, options->progress, total);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	done = started == jobs && !atomic_load(&shared.abort);
	for (i = 0; done && i < jobs; i++)
		done = !pieces[i].failed;
	pthread_cond_destroy(&shared.changed);
	pthread_mutex_destroy(&shared.lock);
	return done;
}

int
ka_pieces_read(const char *path, const ka_record *header,
    const struct ka_reader_options *options, int delimiter, int jobs,
    const struct ka_pieces_callbacks *cb, void *context)
{
	struct piece pieces[KA_PIECES_MAX];
	unsigned char start[2];
	struct stat st;
	off_t header_end, size, cut[KA_PIECES_MAX + 1];
	size_t fields;
	int file, i, made = 0, done = 0;

	if (jobs > KA_PIECES_MAX)
		jobs = KA_PIECES_MAX;
	if (jobs < 2 || options->encoding != NULL || options->no_header ||
	    options->force_libcsv || delimiter == 0 || delimiter == '"' ||
	    delimiter == '\n' || delimiter == '\r')
		return 0;
	if ((file = open(path, O_RDONLY)) < 0)
		return 0;
	if (fstat(file, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)PIECE_MIN || pread(file, start, 2, 0) != 2 ||
	    (start[0] == 0xff && start[1] == 0xfe) ||
	    (start[0] == 0xfe && start[1] == 0xff) ||
	    (start[0] == 0 && start[1] == 0)) {
		close(file);
		return 0;
	}
	size = st.st_size;
	/* A header with a quote might span lines: one pass reads it. */
	header_end = line_end_after(file, 0, size, 1);
	fields = header_end > 0 ? header_line_fields(file, header_end,
	    delimiter, header) : 0;
	/* Pieces of half PIECE_MIN at least: fewer of them if need be. */
	if (fields > 0 && (size - header_end) / jobs < (off_t)PIECE_MIN / 2)
		jobs = (int)((size - header_end) / ((off_t)PIECE_MIN / 2));
	if (fields == 0 || jobs < 2 ||
	    cut_at_line_ends(file, header_end, size, jobs, cut) < 0) {
		close(file);
		return 0;
	}
	close(file);
	memset(pieces, 0, sizeof(pieces));
	for (made = 0; made < jobs; made++) {
		struct piece *p = &pieces[made];

		p->path = path;
		p->options = *options;
		p->options.no_header = 1;
		p->options.header_fields = fields;
		p->options.delimiter = delimiter;
		p->options.progress = 0;
		p->options.range_start = (uint64_t)cut[made];
		p->options.range_end = (uint64_t)cut[made + 1];
		p->cb = cb;
		p->context = context;
		if ((p->state = cb->piece_new(context)) == NULL)
			break;
	}
	/* Pieces in input order, as one pass would have read them. */
	if (made == jobs && run_pieces(pieces, jobs, options,
	    (uint64_t)(size - header_end))) {
		for (i = 0, done = 1; done && i < jobs; i++)
			done = cb->absorb(context, pieces[i].state) == 0;
	}
	for (i = 0; i < made; i++)
		cb->piece_free(context, pieces[i].state);
	return done;
}

/* The physical lines that end in [0, end): LF, CRLF and a lone CR. */
static int
count_lines(int file, off_t end, unsigned long *lines)
{
	char *buffer = malloc(READ_BLOCK + 1);
	off_t at = 0;
	ssize_t n;
	const char *p, *stop;

	if (buffer == NULL)
		return -1;
	*lines = 0;
	while (at < end) {
		size_t want = end - at < (off_t)READ_BLOCK ?
		    (size_t)(end - at) : READ_BLOCK;

		/* One byte more, to see whether a CR at the edge is a CRLF. */
		n = pread(file, buffer, want + 1, at);
		if (n < (ssize_t)want) {
			free(buffer);
			return -1;
		}
		for (p = buffer, stop = buffer + want;
		    (p = memchr(p, '\n', (size_t)(stop - p))) != NULL; p++)
			(*lines)++;
		for (p = buffer; (p = memchr(p, '\r', (size_t)(stop - p))) !=
		    NULL; p++)
			if (p + 1 == buffer + n || p[1] != '\n')
				(*lines)++;
		at += (off_t)want;
	}
	free(buffer);
	return 0;
}

/* Whether the file is one short line, without a line end or a quote. */
static int
header_alone(int file, off_t size)
{
	char buffer[PIECE_SEARCH];

	return size < (off_t)sizeof(buffer) &&
	    pread(file, buffer, (size_t)size, 0) == (ssize_t)size &&
	    memchr(buffer, '"', (size_t)size) == NULL &&
	    memchr(buffer, '\n', (size_t)size) == NULL &&
	    memchr(buffer, '\r', (size_t)size) == NULL;
}

/*
 * Where piece i of n starts: the byte after the first line feed at or
 * after its share of the data, or size.  -1 when no line feed is near
 * enough; *target says where the search began.
 */
static off_t
piece_start(int file, off_t header_end, off_t size, int i, int n,
    off_t *target)
{
	off_t end;

	*target = header_end + (size - header_end) / n * i;
	if (i == 0 || *target <= header_end)
		return header_end;
	if (i == n)
		return size;
	end = line_end_after(file, *target - 1, size, 0);
	if (end < 0 && size - *target < (off_t)PIECE_SEARCH)
		return size;	/* the last line, with no line feed */
	return end;
}

int
ka_pieces_range(const char *path, int delimiter, size_t header_fields,
    int k, int n, struct ka_reader_options *options, char *error,
    size_t size)
{
	struct stat st;
	off_t header_end, from, to = 0, target;
	unsigned long lines;
	int file;

	if (k < 1 || k > n) {
		snprintf(error, size, "there is no piece %d of %d", k, n);
		return -1;
	}
	if (options->encoding != NULL) {
		snprintf(error, size, "%s: a piece of a file in %s could start "
		    "inside a character; convert it first (ka-clean)", path,
		    options->encoding);
		return -1;
	}
	if ((file = open(path, O_RDONLY)) < 0 || fstat(file, &st) < 0 ||
	    !S_ISREG(st.st_mode)) {
		snprintf(error, size, "%s: pieces are byte ranges of a regular "
		    "file%s%s", path, file < 0 ? ": " : "",
		    file < 0 ? strerror(errno) : "");
		if (file >= 0)
			close(file);
		return -1;
	}
	header_end = line_end_after(file, 0, st.st_size, 1);
	if (header_end < 0 && header_alone(file, st.st_size))
		header_end = st.st_size;	/* a header and no data */
	if (header_end < 0) {
		snprintf(error, size, "%s: no line feed ends the header line "
		    "before a quote or within 64 kB; pieces need a plain "
		    "header line ending in LF or CRLF", path);
		close(file);
		return -1;
	}
	from = piece_start(file, header_end, st.st_size, k - 1, n, &target);
	if (from >= 0)
		to = piece_start(file, header_end, st.st_size, k, n, &target);
	if (from < 0 || to < 0) {
		snprintf(error, size, "%s: no line feed within 64 kB after "
		    "byte %lld; pieces are cut at line feeds (lines must end "
		    "in LF or CRLF)", path, (long long)target);
		close(file);
		return -1;
	}
	if (count_lines(file, from, &lines) < 0) {
		snprintf(error, size, "%s: read error: %s", path,
		    strerror(errno));
		close(file);
		return -1;
	}
	close(file);
	options->no_header = 1;
	options->header_fields = header_fields;
	options->delimiter = delimiter;
	options->range_start = (uint64_t)from;
	options->range_end = (uint64_t)to;
	options->first_line = lines + 1;
	return 0;
}
