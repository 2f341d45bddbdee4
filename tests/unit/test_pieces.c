/*
 * Unit tests of common/ka_pieces.c: a file read in 2..8 pieces on
 * threads gives, piece states absorbed in order, every record of one
 * pass in the same order; any row that needs a message (a short row,
 * bad UTF-8, a quoted line break across a cut, a record the caller
 * refuses) gives up with nothing absorbed; files that are not worth
 * cutting, or that one pass might read otherwise, are declined.
 *
 * A record is kept as a 64-bit hash of its fields, so a file of some
 * 18 MB (8 pieces of 2 MB at least) is compared record by record
 * without keeping it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_pieces.h"
#include "ka_reader.h"

static char dir[] = "/tmp/ka-test-pieces-XXXXXX";
static const char *const names[] = { "sales.csv", "bad.csv",
	"quoted.csv", "declined.csv", "other.csv", "fewer.csv" };

/* The path of a file of the test's folder, until the next call. */
static const char *
path(const char *name)
{
	static char paths[4][128];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	return p;
}

/* ---- records as hashes ---- */

struct hashes {
	uint64_t	*h;
	size_t		 n, cap;
};

static void
push(struct hashes *s, uint64_t h)
{
	if (s->n == s->cap) {
		s->cap = s->cap * 2 + 1024;
		s->h = realloc(s->h, s->cap * sizeof(*s->h));
		if (s->h == NULL)
			abort();
	}
	s->h[s->n++] = h;
}

static uint64_t
mix(uint64_t h, const void *bytes, size_t n)
{
	const unsigned char *b = bytes;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The fields, their lengths and their number. */
static uint64_t
record_hash(const ka_record *rec)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i, length;

	h = mix(h, &rec->nfields, sizeof(rec->nfields));
	for (i = 0; i < rec->nfields; i++) {
		length = ka_field_length(rec, i);
		h = mix(h, &length, sizeof(length));
		h = mix(h, ka_field(rec, i), length);
	}
	return h;
}

/* One pass: the records' hashes; -1 when one has a problem. */
static int
one_pass(const char *file, struct hashes *out)
{
	struct ka_reader_options options;
	const char *files[1] = { file };
	enum ka_read_status status;
	ka_reader *reader;
	ka_record rec;
	int got, clean = 1;

	memset(&options, 0, sizeof(options));
	memset(out, 0, sizeof(*out));
	if ((reader = ka_reader_open(files, 1, &options)) == NULL)
		return -1;
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		if (status != KA_READ_OK)
			clean = 0;
		push(out, record_hash(&rec));
	}
	ka_reader_close(reader);
	return got == 0 && clean ? 0 : -1;
}

/* ---- the caller's side ---- */

struct context {
	struct hashes	 got;		/* absorbed, in order */
	int		 made, freed, absorbed;
	int		 fail_new;	/* piece_new gives NULL this time */
	const char	*refuse;	/* record() refuses this first field */
};

static void *
piece_new(void *context)
{
	struct context *c = context;

	if (c->made + 1 == c->fail_new)
		return NULL;
	c->made++;
	return calloc(1, sizeof(struct hashes));
}

static int
record(const void *context, void *piece, const ka_record *rec)
{
	const struct context *c = context;

	if (c->refuse != NULL && rec->nfields > 0 &&
	    strcmp(ka_field(rec, 0), c->refuse) == 0)
		return -1;
	push(piece, record_hash(rec));
	return 0;
}

static int
absorb(void *context, void *piece)
{
	struct context *c = context;
	struct hashes *p = piece;
	size_t i;

	c->absorbed++;
	for (i = 0; i < p->n; i++)
		push(&c->got, p->h[i]);
	return 0;
}

static void
piece_free(void *context, void *piece)
{
	struct context *c = context;
	struct hashes *p = piece;

	c->freed++;
	free(p->h);
	free(p);
}

static const struct ka_pieces_callbacks callbacks = {
	piece_new, record, absorb, piece_free
};

static const struct ka_reader_options plain;

/* Rows of write_sales(): some 18 MB, so 8 pieces of 2 MB at least. */
#define ROWS	480000L

/* ka_pieces_read() on file with jobs; c is reset first. */
static int
read_pieces(const char *file, const ka_record *header,
    const struct ka_reader_options *options, int jobs, struct context *c)
{
	free(c->got.h);
	memset(c, 0, sizeof(*c));
	return ka_pieces_read(file, header, options, ',', jobs, &callbacks, c);
}

/* The same, with the header one pass reads in header_file; -1 when
   that cannot be read. */
static int
read_with_header(const char *file, const char *header_file, int jobs,
    struct context *c)
{
	const char *files[1] = { header_file };
	ka_reader *reader = ka_reader_open(files, 1, &plain);
	int done;

	CHECK(reader != NULL);
	if (reader == NULL)
		return -1;
	done = read_pieces(file, ka_reader_header(reader), &plain, jobs, c);
	ka_reader_close(reader);
	return done;
}

static int
same_hashes(const struct hashes *a, const struct hashes *b)
{
	return a->n == b->n && (a->n == 0 ||
	    memcmp(a->h, b->h, a->n * sizeof(*a->h)) == 0);
}

/* ---- inputs ---- */

/*
 * Rows of every kind one pass reads: quoted fields with the delimiter
 * and doubled quotes, CRLF, blank lines, Chinese text, and in the first
 * megabyte (inside the first piece whatever the jobs) quoted line
 * breaks.  rows rows; bad_row (1-based), when not 0, is short.
 */
static void
write_sales(const char *file, long rows, long bad_row, int bad_utf8)
{
	FILE *f = fopen(file, "w");
	long i;

	if (f == NULL)
		abort();
	fputs("id,customer,note,amount\n", f);
	for (i = 1; i <= rows; i++) {
		const char *end = i % 7 == 0 ? "\r\n" : "\n";

		if (i == bad_row && !bad_utf8)
			fprintf(f, "%ld,short%s", i, end);
		else if (i == bad_row)
			fprintf(f, "%ld,\xff,x,1%s", i, end);
		else if (i % 97 == 0 && i < 10000)
			fprintf(f, "%ld,\"Shop %ld\nsecond line\",n,%ld.%02ld%s",
			    i, i, i % 1000, i % 100, end);
		else if (i % 11 == 0)
			fprintf(f, "%ld,\"Shop %ld, \"\"Ltd\"\"\",,%ld.%02ld%s",
			    i, i, i % 1000, i % 100, end);
		else if (i % 13 == 0)
			fprintf(f, "%ld,客户 %ld,备注,%ld%s", i, i, i % 977, end);
		else
			fprintf(f, "%ld,Customer %ld,note %ld,%ld.%02ld%s", i,
			    i, i % 5, i % 1000, i % 100, end);
		if (i % 1009 == 0)
			fputs(i % 2 ? "\n" : "\r\n", f);
	}
	fclose(f);
}

/*
 * Fixed-width rows, half of them, then middle, then half more (with a
 * field more than the header when extra): a file whose middle byte is
 * known, for cuts there.
 */
static void
write_halves(const char *file, long half, const char *middle, int extra)
{
	FILE *f = fopen(file, "w");
	long i;

	if (f == NULL)
		abort();
	fputs("id,customer,note\n", f);
	for (i = 0; i < 2 * half; i++) {
		if (i == half)
			fputs(middle, f);
		fprintf(f, "%09ld,customer %-20ld,plain%snote\n", i, i,
		    extra && i >= half ? "," : " ");
	}
	fclose(f);
}

/* ---- tests ---- */

/*
 * 1 to 8 jobs: 1 is declined (one pass is the way); 2..8 cut the file
 * in as many pieces, and the records absorbed in order are one pass's.
 */
static void
test_same_records(void)
{
	const char *file = path("sales.csv");
	struct hashes want;
	struct context c;
	int jobs;

	memset(&c, 0, sizeof(c));
	write_sales(file, ROWS, 0, 0);
	CHECK_INT(one_pass(file, &want), 0);
	CHECK(want.n == ROWS);
	for (jobs = 1; jobs <= 8; jobs++) {
		int done = read_pieces(file, NULL, &plain, jobs, &c);

		CHECK_INT(done, jobs > 1);
		CHECK_INT(c.made, jobs > 1 ? jobs : 0);
		CHECK_INT(c.freed, c.made);
		CHECK_INT(c.absorbed, jobs > 1 ? jobs : 0);
		if (jobs > 1 && !same_hashes(&c.got, &want)) {
			printf("  %d jobs: %zu records, one pass %zu, or "
			    "others\n", jobs, c.got.n, want.n);
			check_failures++;
		}
	}
	/* The header one pass read: the same names, so the same result. */
	CHECK_INT(read_with_header(file, file, 3, &c), 1);
	CHECK(same_hashes(&c.got, &want));
	/* More jobs than pieces of 2 MB: as many pieces as fit. */
	CHECK_INT(read_pieces(file, NULL, &plain, 64, &c), 1);
	CHECK(c.made >= 8 && c.made <= KA_PIECES_MAX);
	CHECK(same_hashes(&c.got, &want));
	free(c.got.h);
	free(want.h);
}

/* A row that needs a message: nothing absorbed, every state freed. */
static void
test_fallback(void)
{
	const char *file = path("bad.csv");
	struct hashes want;
	struct context c;

	memset(&c, 0, sizeof(c));
	/* A short row near the end: the last piece gives up. */
	write_sales(file, ROWS, ROWS - 20000, 0);
	CHECK_INT(one_pass(file, &want), -1);
	free(want.h);
	CHECK_INT(read_pieces(file, NULL, &plain, 4, &c), 0);
	CHECK_INT(c.absorbed, 0);
	CHECK_INT(c.made, 4);
	CHECK_INT(c.freed, 4);
	/* Bad UTF-8 in the first piece. */
	write_sales(file, ROWS, 20000, 1);
	CHECK_INT(read_pieces(file, NULL, &plain, 4, &c), 0);
	CHECK_INT(c.absorbed, 0);
	CHECK_INT(c.freed, c.made);
	/* The caller refuses a row (record() gives -1). */
	write_sales(file, ROWS, 0, 0);
	free(c.got.h);
	memset(&c, 0, sizeof(c));
	c.refuse = "250000";
	CHECK_INT(ka_pieces_read(file, NULL, &plain, ',', 3, &callbacks, &c),
	    0);
	CHECK_INT(c.absorbed, 0);
	CHECK_INT(c.freed, c.made);
	/*
	 * The second half has a field more than the header, every row of
	 * it, and two pieces are cut right there (fixed-width rows): one
	 * pass complains of each such row, so the second piece must too,
	 * though its own rows agree with each other.
	 */
	write_halves(file, 200000, "", 1);
	CHECK_INT(one_pass(file, &want), -1);
	free(want.h);
	free(c.got.h);
	memset(&c, 0, sizeof(c));
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	CHECK_INT(c.absorbed, 0);
	CHECK_INT(c.freed, 2);
	/* piece_new gives NULL for the third piece: the two are freed. */
	free(c.got.h);
	memset(&c, 0, sizeof(c));
	c.fail_new = 3;
	CHECK_INT(ka_pieces_read(file, NULL, &plain, ',', 4, &callbacks, &c),
	    0);
	CHECK_INT(c.made, 2);
	CHECK_INT(c.freed, 2);
	CHECK_INT(c.absorbed, 0);
	free(c.got.h);
}

/*
 * Fixed-width rows around one record whose quoted field holds 400 line
 * breaks right in the middle of the data: two pieces would be cut
 * inside the quotes, so the first ends inside them and the read gives
 * up; three pieces are cut outside, and the record is read whole.
 */
static void
test_quoted_break_across_cut(void)
{
	const char *file = path("quoted.csv");
	char middle[2100] = "q,\"";
	struct hashes want;
	struct context c;
	long i, half = 90000;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < 400; i++)
		strcat(middle, "line\n");
	strcat(middle, "\",end\n");
	write_halves(file, half, middle, 0);
	CHECK_INT(one_pass(file, &want), 0);
	CHECK_INT(want.n, 2 * half + 1);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	CHECK_INT(c.absorbed, 0);
	CHECK_INT(c.freed, 2);
	CHECK_INT(read_pieces(file, NULL, &plain, 3, &c), 1);
	CHECK(same_hashes(&c.got, &want));
	free(c.got.h);
	free(want.h);
}

static void
write_text(const char *file, const char *head, long rows)
{
	FILE *f = fopen(file, "w");
	long i;

	if (f == NULL)
		abort();
	fputs(head, f);
	for (i = 0; i < rows; i++)
		fprintf(f, "%ld,customer %ld,%ld.%02ld\n", i, i % 300, i % 999,
		    i % 100);
	fclose(f);
}

/* Files one pass might read otherwise, or not worth cutting. */
static void
test_declined(void)
{
	struct ka_reader_options options = plain;
	const char *file = path("declined.csv");
	struct context c;

	memset(&c, 0, sizeof(c));
	/* Under 4 MB. */
	write_text(file, "id,customer,amount\n", 1000);
	CHECK_INT(read_pieces(file, NULL, &plain, 4, &c), 0);
	CHECK_INT(c.made, 0);
	/* The plain case, then each option one pass needs. */
	write_text(file, "id,customer,amount\n", 300000);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 1);
	options.encoding = "UTF-8";
	CHECK_INT(read_pieces(file, NULL, &options, 2, &c), 0);
	options = plain;
	options.no_header = 1;
	CHECK_INT(read_pieces(file, NULL, &options, 2, &c), 0);
	options = plain;
	options.force_libcsv = 1;
	CHECK_INT(read_pieces(file, NULL, &options, 2, &c), 0);
	CHECK_INT(ka_pieces_read(file, NULL, &plain, 0, 2, &callbacks, &c),
	    0);
	/* Another file's header: other names, or fewer. */
	write_text(path("other.csv"), "id,client,amount\n", 10);
	CHECK_INT(read_with_header(file, path("other.csv"), 2, &c), 0);
	write_text(path("fewer.csv"), "id,customer\n", 10);
	CHECK_INT(read_with_header(file, path("fewer.csv"), 2, &c), 0);
	/* A quote in the header line: it might go on past the line end. */
	write_text(file, "id,\"customer\",amount\n", 300000);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	/* A blank first line (one pass skips it), a CR inside the line. */
	write_text(file, "\nid,customer,amount\n", 300000);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	write_text(file, "id,customer\ramount\n", 300000);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	/* A UTF-16 mark; a UTF-8 one is fine, and not part of the name. */
	write_text(file, "\xff\xfeid,customer,amount\n", 300000);
	CHECK_INT(read_pieces(file, NULL, &plain, 2, &c), 0);
	write_text(file, "\xef\xbb\xbfid,customer,amount\n", 300000);
	CHECK_INT(read_with_header(file, file, 2, &c), 1);
	/* Not a regular file; no file. */
	CHECK_INT(read_pieces("/dev/null", NULL, &plain, 2, &c), 0);
	CHECK_INT(read_pieces(dir, NULL, &plain, 2, &c), 0);
	CHECK_INT(read_pieces(path("none.csv"), NULL, &plain, 2, &c), 0);
	CHECK_INT(c.made, 0);
	free(c.got.h);
}

int
main(void)
{
	int i;

	ka_set_program("test_pieces");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_same_records);
	RUN(test_fallback);
	RUN(test_quoted_break_across_cut);
	RUN(test_declined);
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		unlink(path(names[i]));
	rmdir(dir);
	return CHECK_EXIT();
}
