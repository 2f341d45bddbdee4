#define _XOPEN_SOURCE 700
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ka_alloc.h"
#include "ka_msg.h"
#include "ka_utf8.h"
#include "ka_writer.h"

#define BUFFER_SIZE (256 * 1024)

struct cell {
	char	*text;
	size_t	 length;
};

struct ka_writer {
	enum ka_format	 format;
	int		 fd;
	const char	*path;		/* what the user named */
	char		*resolved;	/* the file a symbolic link names */
	uint64_t	 written, row_start;	/* bytes put so far */
	char		*temporary;	/* the file written until close */
	char		*buffer;
	size_t		 used;
	size_t		 column;	/* fields written in this row */
	/* Column names, for JSON keys and the Markdown header. */
	char		**names;
	size_t		 nnames;
	/* Markdown keeps every cell to align the table at the end. */
	struct cell	*cells;
	size_t		 ncells, cells_capacity;
	unsigned char	*numeric;	/* per column: only numbers seen */
	size_t		 numeric_capacity;
};

/*
 * Temporary files that must go if the program dies: -o and --rejects
 * may both be in progress.
 */
#define MAX_PENDING 8
static char *pending[MAX_PENDING];

static void
remove_pending(void)
{
	size_t i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] != NULL) {
			unlink(pending[i]);
			pending[i] = NULL;
		}
}

static void
on_signal(int signal_number)
{
	size_t i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] != NULL)
			unlink(pending[i]);
	signal(signal_number, SIG_DFL);
	raise(signal_number);
}

static void
add_pending(char *path)
{
	size_t i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] == NULL) {
			pending[i] = path;
			return;
		}
	ka_die(KA_EXIT_DATA, "too many output files at once");
}

static void
drop_pending(const char *path)
{
	size_t i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] == path)
			pending[i] = NULL;
}

enum ka_format
ka_format_parse(const char *name)
{
	if (strcasecmp(name, "csv") == 0)
		return KA_FORMAT_CSV;
	if (strcasecmp(name, "tsv") == 0)
		return KA_FORMAT_TSV;
	if (strcasecmp(name, "md") == 0 || strcasecmp(name, "markdown") == 0)
		return KA_FORMAT_MD;
	if (strcasecmp(name, "jsonl") == 0 || strcasecmp(name, "json") == 0)
		return KA_FORMAT_JSONL;
	return KA_FORMAT_NONE;
}

enum ka_format
ka_format_from_name(const char *path)
{
	const char *dot;

	if (path == NULL || (dot = strrchr(path, '.')) == NULL ||
	    strchr(dot, '/') != NULL)
		return KA_FORMAT_NONE;
	if (strcasecmp(dot, ".tab") == 0)
		return KA_FORMAT_TSV;
	return ka_format_parse(dot + 1);
}

static const char *
shown_name(const ka_writer *w)
{
	return w->path != NULL ? w->path : "standard output";
}

static void
write_all(ka_writer *w, const char *data, size_t size)
{
	ssize_t n;

	while (size > 0) {
		n = write(w->fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE && w->temporary == NULL)
			exit(KA_EXIT_OK);	/* the reader went away: fine */
		if (n < 0)
			ka_die(KA_EXIT_DATA, "%s: write error: %s",
			    shown_name(w), strerror(errno));
		data += n;
		size -= (size_t)n;
	}
}

static void
flush(ka_writer *w)
{
	write_all(w, w->buffer, w->used);
	w->used = 0;
}

static void
put(ka_writer *w, const char *data, size_t size)
{
	w->written += size;
	if (size >= BUFFER_SIZE) {
		flush(w);
		write_all(w, data, size);
		return;
	}
	if (w->used + size > BUFFER_SIZE)
		flush(w);
	memcpy(w->buffer + w->used, data, size);
	w->used += size;
}

static void
put_char(ka_writer *w, char c)
{
	w->written++;
	if (w->used == BUFFER_SIZE)
		flush(w);
	w->buffer[w->used++] = c;
}

ka_writer *
ka_writer_open(const char *path, enum ka_format format)
{
	ka_writer *w = ka_malloc(sizeof(*w));
	char *copy, *dir;
	size_t size;
	mode_t mask;
	struct stat st;

	memset(w, 0, sizeof(*w));
	w->format = format == KA_FORMAT_NONE ? KA_FORMAT_CSV : format;
	w->buffer = ka_malloc(BUFFER_SIZE);
	signal(SIGPIPE, SIG_IGN);
	if (path == NULL || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		return w;
	}
	w->path = path;
	/*
	 * A device or FIFO (-o /dev/stdout, a named pipe) is written in
	 * place: renaming a temporary file over it would replace the node.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((w->fd = open(path, O_WRONLY)) < 0)
			ka_die(KA_EXIT_DATA, "%s: cannot open: %s", path,
			    strerror(errno));
		return w;
	}
	/* A symbolic link stays a link: the file it names is replaced. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if ((w->resolved = realpath(path, NULL)) == NULL)
			ka_die(KA_EXIT_DATA, "%s: %s", path, strerror(errno));
	}
	copy = strdup(w->resolved != NULL ? w->resolved : path);
	if (copy == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	dir = dirname(copy);
	size = strlen(dir) + 32;
	w->temporary = ka_malloc(size);
	snprintf(w->temporary, size, "%s/.ka-tmp.XXXXXX", dir);
	free(copy);
	if ((w->fd = mkstemp(w->temporary)) < 0)
		ka_die(KA_EXIT_DATA, "%s: cannot create a file beside it: %s",
		    path, strerror(errno));
	mask = umask(0);
	umask(mask);
	fchmod(w->fd, 0666 & ~mask);
	add_pending(w->temporary);
	ka_on_fatal(remove_pending);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	return w;
}

static void
keep_cell(ka_writer *w, const char *text, size_t length, int is_number)
{
	struct cell *c;
	size_t column = w->column;

	if (w->ncells == w->cells_capacity) {
		w->cells_capacity = w->cells_capacity * 2 + 64;
		w->cells = ka_realloc(w->cells, w->cells_capacity * sizeof(*c));
	}
	c = &w->cells[w->ncells++];
	c->text = ka_malloc(length + 1);
	memcpy(c->text, text, length);
	c->text[length] = '\0';
	c->length = length;
	if (column >= w->numeric_capacity) {
		size_t old = w->numeric_capacity;

		w->numeric_capacity = column * 2 + 16;
		w->numeric = ka_realloc(w->numeric, w->numeric_capacity);
		memset(w->numeric + old, 1, w->numeric_capacity - old);
	}
	if (!is_number && length > 0)
		w->numeric[column] = 0;
}

static void
csv_field(ka_writer *w, const char *text, size_t length)
{
	size_t i;
	int quote = 0;

	for (i = 0; i < length; i++)
		if (text[i] == ',' || text[i] == '"' || text[i] == '\n' ||
		    text[i] == '\r') {
			quote = 1;
			break;
		}
	if (!quote) {
		put(w, text, length);
		return;
	}
	put_char(w, '"');
	for (i = 0; i < length; i++) {
		if (text[i] == '"')
			put_char(w, '"');
		put_char(w, text[i]);
	}
	put_char(w, '"');
}

static void
tsv_field(ka_writer *w, const char *text, size_t length)
{
	size_t i, start = 0;

	for (i = 0; i < length; i++) {
		const char *escape;

		switch (text[i]) {
		case '\t':
			escape = "\\t";
			break;
		case '\n':
			escape = "\\n";
			break;
		case '\r':
			escape = "\\r";
			break;
		default:
			continue;
		}
		put(w, text + start, i - start);
		put(w, escape, 2);
		start = i + 1;
	}
	put(w, text + start, length - start);
}

static void
json_string(ka_writer *w, const char *text, size_t length)
{
	size_t i;
	char hex[8];

	put_char(w, '"');
	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '"' || c == '\\') {
			put_char(w, '\\');
			put_char(w, (char)c);
		} else if (c == '\n') {
			put(w, "\\n", 2);
		} else if (c == '\r') {
			put(w, "\\r", 2);
		} else if (c == '\t') {
			put(w, "\\t", 2);
		} else if (c < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", c);
			put(w, hex, 6);
		} else {
			put_char(w, (char)c);
		}
	}
	put_char(w, '"');
}

static void
field(ka_writer *w, const char *text, size_t length, int is_number)
{
	switch (w->format) {
	case KA_FORMAT_MD:
		keep_cell(w, text, length, is_number);
		break;
	case KA_FORMAT_JSONL:
		put_char(w, w->column == 0 ? '{' : ',');
		if (w->column < w->nnames)
			json_string(w, w->names[w->column],
			    strlen(w->names[w->column]));
		else {
			char key[32];

			snprintf(key, sizeof(key), "%zu", w->column + 1);
			json_string(w, key, strlen(key));
		}
		put_char(w, ':');
		if (is_number && length > 0)
			put(w, text, length);
		else if (is_number)
			put(w, "null", 4);
		else
			json_string(w, text, length);
		break;
	case KA_FORMAT_TSV:
		if (w->column > 0)
			put_char(w, '\t');
		tsv_field(w, text, length);
		break;
	default:
		if (w->column > 0)
			put_char(w, ',');
		csv_field(w, text, length);
		break;
	}
	w->column++;
}

void
ka_writer_header(ka_writer *w, const char *const *names, size_t count)
{
	size_t i;

	w->names = ka_realloc(w->names, count * sizeof(*w->names));
	for (i = 0; i < count; i++) {
		w->names[i] = strdup(names[i]);
		if (w->names[i] == NULL)
			ka_die(KA_EXIT_DATA, "out of memory");
	}
	w->nnames = count;
	/* No columns (an empty input): no header line either. */
	if (w->format == KA_FORMAT_JSONL || count == 0)
		return;
	for (i = 0; i < count; i++)
		field(w, names[i], strlen(names[i]), 0);
	if (w->format == KA_FORMAT_MD) {
		/* The header cells are not data: they never make it text. */
		for (i = 0; i < count && i < w->numeric_capacity; i++)
			w->numeric[i] = 1;
	}
	ka_writer_end_row(w);
}

void
ka_writer_text(ka_writer *w, const char *text, size_t length)
{
	field(w, text, length, 0);
}

void
ka_writer_string(ka_writer *w, const char *text)
{
	field(w, text, strlen(text), 0);
}

void
ka_writer_number(ka_writer *w, const char *text, size_t length)
{
	field(w, text, length, 1);
}

void
ka_writer_decimal(ka_writer *w, ka_dec value, int places)
{
	char text[KA_DEC_BUFSIZE];
	size_t n = ka_dec_format(value, places, text);

	field(w, text, n, 1);
}

void
ka_writer_integer(ka_writer *w, long long value)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%lld", value);

	field(w, text, (size_t)n, 1);
}

void
ka_writer_raw(ka_writer *w, const char *data, size_t length)
{
	put(w, data, length);
}

void
ka_writer_end_row(ka_writer *w)
{
	if (w->format == KA_FORMAT_JSONL) {
		if (w->column == 0)
			put_char(w, '{');
		put(w, "}\n", 2);
	} else if (w->format != KA_FORMAT_MD) {
		/* A lone empty field would be a blank line, which readers
		 * skip: write it as "" so the row survives. */
		if (w->column == 1 && w->written == w->row_start)
			put(w, "\"\"", 2);
		put_char(w, '\n');
	} else {
		/* Cells are laid out nnames to a row: a short row is filled
		 * up, or every later row would slip into the wrong column. */
		while (w->column > 0 && w->column < w->nnames)
			field(w, "", 0, 0);
	}
	w->column = 0;
	w->row_start = w->written;
}

/*
 * Columns a Markdown cell takes as written by md_cell(): "\\|" is one
 * wider than '|', "<br>" three wider than LF, and a CR is dropped.
 */
static size_t
md_width(const struct cell *c)
{
	size_t shown = ka_utf8_width(c->text, c->length), i;

	for (i = 0; i < c->length; i++)
		if (c->text[i] == '|')
			shown += 1;
		else if (c->text[i] == '\n')
			shown += 3;
		else if (c->text[i] == '\r')
			shown -= 1;
	return shown;
}

/* Markdown cells: '|' escaped, line breaks shown as <br>. */
static void
md_cell(ka_writer *w, const struct cell *c, size_t width, int right)
{
	size_t shown = md_width(c), i, pad;

	pad = width > shown ? width - shown : 0;
	put(w, "| ", 2);
	if (right)
		while (pad-- > 0)
			put_char(w, ' ');
	for (i = 0; i < c->length; i++) {
		if (c->text[i] == '|')
			put(w, "\\|", 2);
		else if (c->text[i] == '\n')
			put(w, "<br>", 4);
		else if (c->text[i] != '\r')
			put_char(w, c->text[i]);
	}
	if (!right)
		while (pad-- > 0)
			put_char(w, ' ');
	put_char(w, ' ');
}

static void
md_table(ka_writer *w)
{
	size_t columns = w->nnames, rows, r, col, i, *width;
	size_t shown;

	if (columns == 0)
		return;
	rows = w->ncells / columns;
	width = ka_malloc(columns * sizeof(*width));
	for (col = 0; col < columns; col++)
		width[col] = 3;
	for (i = 0; i < rows * columns; i++) {
		shown = md_width(&w->cells[i]);
		if (shown > width[i % columns])
			width[i % columns] = shown;
	}
	for (r = 0; r < rows; r++) {
		for (col = 0; col < columns; col++)
			md_cell(w, &w->cells[r * columns + col], width[col],
			    r > 0 && col < w->numeric_capacity &&
			    w->numeric[col]);
		put(w, "|\n", 2);
		if (r == 0) {
			for (col = 0; col < columns; col++) {
				int right = col < w->numeric_capacity &&
				    w->numeric[col] && rows > 1;

				put(w, "| ", 2);
				for (i = 0; i < width[col] - (right ? 1 : 0); i++)
					put_char(w, '-');
				if (right)
					put_char(w, ':');
				put_char(w, ' ');
			}
			put(w, "|\n", 2);
		}
	}
	free(width);
}

void
ka_writer_close(ka_writer *w)
{
	size_t i;

	if (w->format == KA_FORMAT_MD)
		md_table(w);
	flush(w);
	if (w->temporary != NULL) {
		if (fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS)
			ka_die(KA_EXIT_DATA, "%s: write error: %s", w->path,
			    strerror(errno));
		if (close(w->fd) < 0)
			ka_die(KA_EXIT_DATA, "%s: write error: %s", w->path,
			    strerror(errno));
		if (rename(w->temporary, w->resolved != NULL ? w->resolved :
		    w->path) < 0)
			ka_die(KA_EXIT_DATA, "%s: cannot rename %s into place: "
			    "%s", w->path, w->temporary, strerror(errno));
		drop_pending(w->temporary);
		free(w->temporary);
	} else if (w->fd != STDOUT_FILENO) {
		if (close(w->fd) < 0)
			ka_die(KA_EXIT_DATA, "%s: write error: %s", w->path,
			    strerror(errno));
	} else {
		/* A full disk shows up here with stdout sent to a file. */
		if (fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS &&
		    errno != ENOTSUP && errno != EBADF)
			ka_die(KA_EXIT_DATA, "standard output: write error: %s",
			    strerror(errno));
	}
	for (i = 0; i < w->ncells; i++)
		free(w->cells[i].text);
	free(w->cells);
	for (i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	free(w->numeric);
	free(w->buffer);
	free(w->resolved);
	free(w);
}
