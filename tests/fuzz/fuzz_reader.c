/*
 * libFuzzer harness for the CSV/TSV reader.  The input bytes become a
 * file (created once per process, rewritten for every input), which is
 * read twice with the same options: once normally, where records
 * without a quote take the memchr fast path, and once with every record
 * through libcsv (force_libcsv).  DESIGN.md promises both paths give
 * identical records; here each run is written down as a transcript
 * (header, every record's fields, line numbers and status, the final
 * result and messages) and the two transcripts must be equal.  Each
 * record is also checked on its own: field offsets increase and stay
 * within the record, every field is NUL-terminated, line numbers move
 * forward and stay within the input.
 *
 * Five runs for every input: the defaults (delimiter sniffed), the
 * same with read() instead of a mapping (KA_NO_MMAP), the same file
 * given twice, no header with ragged rows and a forced TAB, and
 * --encoding UTF-16LE.  Set FUZZ_READER_IGNORE_MESSAGES=1 to leave
 * message texts out of the comparison.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_reader.h"

#define REQUIRE(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n", \
		    __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static char path[4096];
static int fd = -1;
static int compare_messages = 1;

static void
remove_file(void)
{
	unlink(path);
}

static void
make_file(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *ignore = getenv("FUZZ_READER_IGNORE_MESSAGES");
	char name[64];
	int probe;

	/* No extension: the delimiter is sniffed unless forced. */
	snprintf(path, sizeof(path), "%s/fuzz_reader.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	fd = mkstemp(path);
	REQUIRE(fd >= 0);
	compare_messages = ignore == NULL || strcmp(ignore, "1") != 0;
	/*
	 * libFuzzer may end the process without running atexit handlers:
	 * where /proc allows, the file is unlinked at once and reopened
	 * through its descriptor, so nothing is ever left behind.
	 */
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	if ((probe = open(name, O_RDONLY)) >= 0) {
		close(probe);
		unlink(path);
		snprintf(path, sizeof(path), "%s", name);
	} else {
		atexit(remove_file);
	}
}

static void
write_file(const uint8_t *data, size_t size)
{
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		make_file();
	REQUIRE(ftruncate(fd, 0) == 0);
	while (done < size) {
		n = pwrite(fd, data + done, size - done, (off_t)done);
		REQUIRE(n > 0);
		done += (size_t)n;
	}
}

/* ---- transcripts ---- */

struct transcript {
	char	*text;
	size_t	 length, capacity;
};

static void
put(struct transcript *t, const void *data, size_t size)
{
	if (t->length + size > t->capacity) {
		t->capacity = (t->length + size) * 2 + 4096;
		t->text = realloc(t->text, t->capacity);
		REQUIRE(t->text != NULL);
	}
	memcpy(t->text + t->length, data, size);
	t->length += size;
}

static void
put_text(struct transcript *t, const char *format, unsigned long a,
    unsigned long b, unsigned long c, unsigned long d, unsigned long e)
{
	char line[160];
	int n = snprintf(line, sizeof(line), format, a, b, c, d, e);

	REQUIRE(n > 0 && (size_t)n < sizeof(line));
	put(t, line, (size_t)n);
}

static void
put_message(struct transcript *t, const char *message)
{
	if (!compare_messages)
		return;
	put(t, "  message: ", 11);
	put(t, message, strlen(message));
	put(t, "\n", 1);
}

/*
 * The fields of a record, after checking its shape.  limit bounds the
 * bytes a record can hold: the fields and their NULs can never be more
 * than the (converted) input plus one NUL per field.
 */
static void
put_fields(struct transcript *t, const ka_record *rec, size_t limit)
{
	size_t i, length;

	REQUIRE(rec->offset != NULL || rec->nfields == 0);
	for (i = 0; i < rec->nfields; i++) {
		REQUIRE(rec->offset[i] < rec->offset[i + 1]);
		REQUIRE(rec->offset[i + 1] <= limit + rec->nfields);
		length = ka_field_length(rec, i);
		REQUIRE(length == rec->offset[i + 1] - rec->offset[i] - 1);
		REQUIRE(ka_field(rec, i)[length] == '\0');
		put_text(t, "  field %lu, %lu bytes: ", i, length, 0, 0, 0);
		put(t, ka_field(rec, i), length);
		put(t, "\n", 1);
	}
}

/* Physical lines in the input: LF, CRLF and lone CR each end one. */
static unsigned long
count_lines(const uint8_t *data, size_t size)
{
	unsigned long lines = 1;
	size_t i;

	for (i = 0; i < size; i++)
		if (data[i] == '\n' || (data[i] == '\r' &&
		    (i + 1 == size || data[i + 1] != '\n')))
			lines++;
	return lines;
}

/*
 * Reads the file with options, writing down all that was read.  limit
 * is as for put_fields; max_line the last physical line there is, 0
 * when unknown (a converted encoding).
 */
static void
read_all(const struct ka_reader_options *options, size_t nfiles,
    struct transcript *t, size_t limit, unsigned long max_line)
{
	const char *files[2] = { path, path };
	ka_reader *r = ka_reader_open(files, nfiles, options);
	const ka_record *header;
	ka_record rec;
	enum ka_read_status status;
	unsigned long records = 0, in_file = 0, last_line = 0;
	int got;

	t->length = 0;
	if (r == NULL) {
		put(t, "open failed\n", 12);
		return;
	}
	header = ka_reader_header(r);
	put_text(t, "header: %lu fields, line %lu, delimiter %lu\n",
	    header->nfields, header->nfields ? header->line : 0,
	    (unsigned long)ka_reader_delimiter(r), 0, 0);
	/* Without a header line the names are "1", "2", ...: made up. */
	put_fields(t, header, options->no_header ? header->nfields * 24 :
	    limit);
	while ((got = ka_reader_next(r, &rec, &status)) > 0) {
		records++;
		/* The same file read again starts counting afresh. */
		if (nfiles > 1 && rec.number == 1 && in_file > 0)
			in_file = last_line = 0;
		in_file++;
		REQUIRE(records <= (limit + 2) * nfiles);
		REQUIRE(status != KA_READ_FATAL);
		REQUIRE(rec.nfields >= 1);
		REQUIRE(rec.line >= 1 && rec.line <= rec.end_line);
		REQUIRE(rec.line > last_line);
		REQUIRE(max_line == 0 || rec.end_line <= max_line);
		REQUIRE(rec.number == in_file);
		REQUIRE(rec.file != NULL && strcmp(rec.file, path) == 0);
		last_line = rec.end_line;
		put_text(t, "record %lu: lines %lu-%lu, status %lu, %lu "
		    "fields\n", records, rec.line, rec.end_line,
		    (unsigned long)status, rec.nfields);
		put_fields(t, &rec, limit);
		if (status != KA_READ_OK) {
			put_message(t, ka_reader_error(r));
			put_text(t, "  column %lu\n",
			    ka_reader_error_column(r), 0, 0, 0, 0);
		}
	}
	put_text(t, "end: %lu\n", (unsigned long)(got + 1), 0, 0, 0, 0);
	if (got < 0) {
		REQUIRE(status == KA_READ_FATAL);
		put_message(t, ka_reader_error(r));
	}
	ka_reader_close(r);
}

static struct transcript fast, slow;

static void
compare(const struct ka_reader_options *options, size_t nfiles,
    size_t limit, unsigned long max_line, const char *what)
{
	struct ka_reader_options forced = *options;

	forced.force_libcsv = 1;
	read_all(options, nfiles, &fast, limit, max_line);
	read_all(&forced, nfiles, &slow, limit, max_line);
	if (fast.length != slow.length ||
	    memcmp(fast.text, slow.text, fast.length) != 0) {
		fprintf(stderr, "fast path and libcsv differ (%s)\n"
		    "--- fast path:\n%.*s--- libcsv:\n%.*s---\n", what,
		    (int)fast.length, fast.text, (int)slow.length, slow.text);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ka_reader_options options;
	/* A UTF-16 or UTF-32 byte-order mark switches to conversion:
	 * then the input's bytes say nothing about its lines, and two
	 * bytes can make three. */
	int converted = size >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
	    (data[0] == 0xfe && data[1] == 0xff) || (size >= 4 &&
	    data[0] == 0 && data[1] == 0 && data[2] == 0xfe &&
	    data[3] == 0xff));
	unsigned long lines = converted ? 0 : count_lines(data, size);
	size_t limit = converted ? size / 2 * 3 + 3 : size;

	write_file(data, size);

	memset(&options, 0, sizeof(options));
	compare(&options, 1, limit, lines, "defaults");

	/* The file read with read(), split in place, not mapped. */
	setenv("KA_NO_MMAP", "1", 1);
	compare(&options, 1, limit, lines, "defaults, read()");
	unsetenv("KA_NO_MMAP");

	/* The same file twice: the second header must match the first. */
	compare(&options, 2, limit, lines, "two files");

	memset(&options, 0, sizeof(options));
	options.no_header = 1;
	options.allow_ragged = 1;
	options.delimiter = '\t';
	compare(&options, 1, limit, lines, "no header, ragged, TAB");

	/* Two input bytes make at most three of UTF-8 (or four make four). */
	memset(&options, 0, sizeof(options));
	options.encoding = "UTF-16LE";
	compare(&options, 1, size / 2 * 3 + 3, 0, "UTF-16LE");
	return 0;
}
