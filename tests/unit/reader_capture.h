/*
 * Reading a file into copies of every record, and comparing two such
 * readings, for the reader's tests (test_reader.c, test_conformance.c).
 * Included after check.h, by a file that defines die(const char *).
 */
#ifndef READER_CAPTURE_H
#define READER_CAPTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_reader.h"

static void die(const char *what);

/* ---- temporary files ---- */

/*
 * Files with chosen names (the reader cares about extensions, and
 * messages name the file) in a private mkdtemp directory under $TMPDIR
 * or /tmp, made on first use and removed at exit.
 */
static char temp_dir[4096];
static char *temp_names[256];
static size_t ntemp;

static void
remove_temps(void)
{
	size_t i;

	for (i = 0; i < ntemp; i++) {
		unlink(temp_names[i]);
		free(temp_names[i]);
	}
	ntemp = 0;
	if (temp_dir[0] != '\0')
		rmdir(temp_dir);
}

/* Writes data to temp_dir/name (replacing it) and returns the path. */
static const char *
temp_file(const char *name, const void *data, size_t length)
{
	char path[4200];
	size_t i;
	int fd;
	FILE *f;

	if (temp_dir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		if (base == NULL || *base == '\0')
			base = "/tmp";
		snprintf(temp_dir, sizeof(temp_dir),
		    "%s/ka-test-reader-XXXXXX", base);
		if (mkdtemp(temp_dir) == NULL)
			die("mkdtemp");
		atexit(remove_temps);
	}
	snprintf(path, sizeof(path), "%s/%s", temp_dir, name);
	for (i = 0; i < ntemp; i++)
		if (strcmp(temp_names[i], path) == 0)
			break;
	if (i == ntemp) {
		if (ntemp == sizeof(temp_names) / sizeof(temp_names[0])) {
			errno = EMFILE;
			die("too many temporary files");
		}
		temp_names[ntemp++] = strdup(path);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (f = fdopen(fd, "wb")) == NULL)
		die(path);
	if (length > 0 && fwrite(data, 1, length, f) != length)
		die(path);
	if (fclose(f) != 0)
		die(path);
	return temp_names[i];
}

/* ---- reading everything into copies ---- */

struct copy {
	size_t		 nfields;
	char		**field;
	size_t		*length;
	unsigned long	 line, end_line, number;
	const char	*file;
	int		 status;
	char		*error;		/* when status is not KA_READ_OK */
	size_t		 column;
};

struct result {
	int		 opened;
	char		*open_error;	/* what ka_reader_open printed */
	struct copy	 header;
	int		 delimiter;
	struct copy	*rec;
	size_t		 nrec, caprec;
	int		 end;		/* the last ka_reader_next(): 0 or -1 */
	char		*fatal;		/* ka_reader_error() after -1 */
	size_t		 fatal_column;
};

static char *
dup_bytes(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		die("malloc");
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
copy_record(struct copy *c, const ka_record *rec)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->nfields = rec->nfields;
	c->field = calloc(rec->nfields + 1, sizeof(*c->field));
	c->length = calloc(rec->nfields + 1, sizeof(*c->length));
	if (c->field == NULL || c->length == NULL)
		die("calloc");
	for (i = 0; i < rec->nfields; i++) {
		c->length[i] = ka_field_length(rec, i);
		c->field[i] = dup_bytes(ka_field(rec, i), c->length[i]);
	}
	c->line = rec->line;
	c->end_line = rec->end_line;
	c->number = rec->number;
	c->file = rec->file;
}

static void
free_copy(struct copy *c)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		free(c->field[i]);
	free(c->field);
	free(c->length);
	free(c->error);
}

static void
free_result(struct result *res)
{
	size_t i;

	for (i = 0; i < res->nrec; i++)
		free_copy(&res->rec[i]);
	free(res->rec);
	free_copy(&res->header);
	free(res->open_error);
	free(res->fatal);
	memset(res, 0, sizeof(*res));
}

/* Standard error while ka_reader_open() runs, so its message is kept. */
static ka_reader *
open_capturing(const char *const *files, size_t nfiles,
    const struct ka_reader_options *options, char **message)
{
	char text[4096];
	ka_reader *reader;
	FILE *capture;
	int saved;
	size_t n, prefix;

	fflush(stderr);
	capture = tmpfile();
	saved = dup(STDERR_FILENO);
	if (capture == NULL || saved < 0)
		die("stderr capture");
	dup2(fileno(capture), STDERR_FILENO);
	reader = ka_reader_open(files, nfiles, options);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(capture);
	n = fread(text, 1, sizeof(text) - 1, capture);
	fclose(capture);
	text[n] = '\0';
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	/* ka_warn() puts the program name first: "ka: FILE:LINE: ..." */
	prefix = strlen(ka_program());
	if (n > 0 && (strncmp(text, ka_program(), prefix) != 0 ||
	    strncmp(text + prefix, ": ", 2) != 0)) {
		printf("  %s: open message without \"%s: \": %s\n",
		    __FILE__, ka_program(), text);
		check_failures++;
	} else if (n > 0) {
		memmove(text, text + prefix + 2, strlen(text + prefix + 2) + 1);
	}
	*message = dup_bytes(text, strlen(text));
	return reader;
}

static void
read_files(struct result *res, const char *const *files, size_t nfiles,
    const struct ka_reader_options *options)
{
	ka_reader *reader;
	ka_record rec;
	enum ka_read_status status;
	int got;

	memset(res, 0, sizeof(*res));
	reader = open_capturing(files, nfiles, options, &res->open_error);
	if (reader == NULL)
		return;
	res->opened = 1;
	copy_record(&res->header, ka_reader_header(reader));
	res->delimiter = ka_reader_delimiter(reader);
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		struct copy *c;

		if (res->nrec == res->caprec) {
			res->caprec = res->caprec * 2 + 16;
			res->rec = realloc(res->rec,
			    res->caprec * sizeof(*res->rec));
			if (res->rec == NULL)
				die("realloc");
		}
		c = &res->rec[res->nrec++];
		copy_record(c, &rec);
		c->status = (int)status;
		if (status != KA_READ_OK) {
			const char *e = ka_reader_error(reader);

			c->error = dup_bytes(e, strlen(e));
			c->column = ka_reader_error_column(reader);
		}
	}
	res->end = got;
	if (got < 0) {
		const char *e = ka_reader_error(reader);

		CHECK_INT(status, KA_READ_FATAL);
		res->fatal = dup_bytes(e, strlen(e));
		res->fatal_column = ka_reader_error_column(reader);
	}
	ka_reader_close(reader);
}

/* ---- comparing ---- */

static void
show_bytes(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n && i < 120; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	if (n > 120)
		printf("...(%zu bytes)", n);
	putchar('"');
}

static void
show_copy(const char *what, const struct copy *c)
{
	size_t i;

	printf("    %s: line %lu-%lu status %d, %zu fields:", what, c->line,
	    c->end_line, c->status, c->nfields);
	for (i = 0; i < c->nfields && i < 12; i++) {
		putchar(' ');
		show_bytes(c->field[i], c->length[i]);
	}
	putchar('\n');
}

static int
same_fields(const struct copy *a, const struct copy *b)
{
	size_t i;

	if (a->nfields != b->nfields)
		return 0;
	for (i = 0; i < a->nfields; i++)
		if (a->length[i] != b->length[i] ||
		    memcmp(a->field[i], b->field[i], a->length[i]) != 0)
			return 0;
	return 1;
}

static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The two readings agree in everything: header, delimiter, every record
 * (fields, lines, number, file, status, message, column), the end and
 * the fatal message.  Prints the first difference.
 */
static int
same_reading(const struct result *a, const struct result *b, int same_files)
{
	size_t i;

	if (a->opened != b->opened || !same_text(a->open_error,
	    b->open_error)) {
		printf("    open: %d \"%s\" vs %d \"%s\"\n", a->opened,
		    a->open_error, b->opened, b->open_error);
		return 0;
	}
	if (!a->opened)
		return 1;
	if (!same_fields(&a->header, &b->header) ||
	    a->header.line != b->header.line ||
	    a->header.end_line != b->header.end_line ||
	    a->delimiter != b->delimiter) {
		show_copy("header", &a->header);
		show_copy("header", &b->header);
		return 0;
	}
	for (i = 0; i < a->nrec && i < b->nrec; i++) {
		const struct copy *x = &a->rec[i], *y = &b->rec[i];

		if (!same_fields(x, y) || x->line != y->line ||
		    x->end_line != y->end_line || x->number != y->number ||
		    (same_files && !same_text(x->file, y->file)) ||
		    x->status != y->status ||
		    !same_text(x->error, y->error) || x->column != y->column) {
			printf("    record %zu differs:\n", i + 1);
			show_copy("one", x);
			show_copy("two", y);
			if (x->error || y->error)
				printf("    \"%s\" vs \"%s\"\n", x->error,
				    y->error);
			return 0;
		}
	}
	if (a->nrec != b->nrec || a->end != b->end ||
	    !same_text(a->fatal, b->fatal) ||
	    a->fatal_column != b->fatal_column) {
		printf("    %zu records, end %d \"%s\" vs %zu records, end %d "
		    "\"%s\"\n", a->nrec, a->end, a->fatal, b->nrec, b->end,
		    b->fatal);
		return 0;
	}
	return 1;
}

/* Two readings of the same files, in everything. */
static int
same_result(const struct result *a, const struct result *b)
{
	return same_reading(a, b, 1);
}

/* ---- checks (messages name the test file including this one) ---- */

/* Whether the reading opened; a failure at line if not. */
static int
opened_at(int line, const struct result *res)
{
	if (res->opened)
		return 1;
	printf("  %s:%d: open failed: %s\n", __BASE_FILE__, line,
	    res->open_error);
	check_failures++;
	return 0;
}

/* The reading opened and every record and the end were clean. */
static void
expect_clean_at(int line, const struct result *res)
{
	size_t i;

	if (!opened_at(line, res))
		return;
	for (i = 0; i < res->nrec; i++)
		if (res->rec[i].status != KA_READ_OK) {
			printf("  %s:%d: record %zu has status %d: %s\n",
			    __BASE_FILE__, line, i + 1, res->rec[i].status,
			    res->rec[i].error);
			check_failures++;
			return;
		}
	if (res->end != 0) {
		printf("  %s:%d: reading ended with %d: %s\n", __BASE_FILE__,
		    line, res->end, res->fatal);
		check_failures++;
	}
}

#define EXPECT_CLEAN(res) expect_clean_at(__LINE__, (res))

static char *
path_message(const char *path, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* "PATH" followed by the formatted text, for exact message checks. */
static char *
path_message(const char *path, const char *format, ...)
{
	static char text[8][8192];
	static int which;
	char *out = text[which++ % 8];
	va_list args;
	int n;

	n = snprintf(out, sizeof(text[0]), "%s", path);
	va_start(args, format);
	vsnprintf(out + n, sizeof(text[0]) - (size_t)n, format, args);
	va_end(args);
	return out;
}

#endif
