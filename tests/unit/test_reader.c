/*
 * Unit tests of common/ka_reader.c on small inputs written to temporary
 * files, each with the exact records expected.  Every input is read twice,
 * normally and with force_libcsv (every record through libcsv), and the
 * two readings must agree in every byte, line number, status and message:
 * that is how the fast path and the libcsv path are proved to give the
 * same records.  test_random_equivalence does the same on a few thousand
 * generated documents and also checks the records the generator meant.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_reader.h"

static _Noreturn void
die(const char *what)
{
	printf("  test_reader: %s: %s\n", what, strerror(errno));
	exit(1);
}

#include "reader_capture.h"

static const char *
temp_text(const char *name, const char *text)
{
	return temp_file(name, text, strlen(text));
}


/*
 * Reads files normally and with force_libcsv, checks that both agree
 * and leaves the normal reading in res.
 */
static void
read_both_at(int line, struct result *res, const char *const *files,
    size_t nfiles, const struct ka_reader_options *options)
{
	struct ka_reader_options forced = *options;
	struct result other;

	read_files(res, files, nfiles, options);
	forced.force_libcsv = 1;
	read_files(&other, files, nfiles, &forced);
	if (!same_result(res, &other)) {
		printf("  %s:%d: normal and force_libcsv readings differ\n",
		    __FILE__, line);
		check_failures++;
	}
	free_result(&other);
}

#define READ_BOTH(res, files, nfiles, options) \
	read_both_at(__LINE__, (res), (files), (nfiles), (options))

static void
read_one_at(int line, struct result *res, const char *path,
    const struct ka_reader_options *options)
{
	const char *files[1];

	files[0] = path;
	read_both_at(line, res, files, 1, options);
}

#define READ_ONE(res, path, options) \
	read_one_at(__LINE__, (res), (path), (options))

/* Expected records: NULL-terminated lists of NULL-terminated fields. */
#define F(...)		((const char *const[]){ __VA_ARGS__, NULL })
#define RECORDS(...)	((const char *const *const[]){ __VA_ARGS__, NULL })
#define NO_RECORDS	((const char *const *const[]){ NULL })

static int
fields_equal(const struct copy *c, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++)
		if (i >= c->nfields || c->length[i] != strlen(want[i]) ||
		    memcmp(c->field[i], want[i], c->length[i]) != 0)
			return 0;
	return i == c->nfields;
}

static void
show_want(const char *const *want)
{
	size_t i;

	printf("    want:");
	for (i = 0; want[i] != NULL; i++) {
		putchar(' ');
		show_bytes(want[i], strlen(want[i]));
	}
	putchar('\n');
}

static void
expect_header_at(int line, const struct result *res, const char *const *want)
{
	if (!opened_at(line, res))
		return;
	if (!fields_equal(&res->header, want)) {
		printf("  %s:%d: header differs\n", __FILE__, line);
		show_copy("got", &res->header);
		show_want(want);
		check_failures++;
	}
}

#define EXPECT_HEADER(res, want) expect_header_at(__LINE__, (res), (want))

static void
expect_records_at(int line, const struct result *res,
    const char *const *const *want)
{
	size_t i;

	if (!opened_at(line, res))
		return;
	for (i = 0; want[i] != NULL; i++) {
		if (i >= res->nrec) {
			printf("  %s:%d: only %zu records, want more\n",
			    __FILE__, line, res->nrec);
			show_want(want[i]);
			check_failures++;
			return;
		}
		if (!fields_equal(&res->rec[i], want[i])) {
			printf("  %s:%d: record %zu differs\n", __FILE__, line,
			    i + 1);
			show_copy("got", &res->rec[i]);
			show_want(want[i]);
			check_failures++;
			return;
		}
	}
	if (res->nrec != i) {
		printf("  %s:%d: %zu records, want %zu\n", __FILE__, line,
		    res->nrec, i);
		show_copy("extra", &res->rec[i]);
		check_failures++;
	}
}

#define EXPECT_RECORDS(res, want) expect_records_at(__LINE__, (res), (want))

/* Start lines of the records, then end lines, each list ending in 0. */
static void
expect_lines_at(int line, const struct result *res, const unsigned long *start,
    const unsigned long *end)
{
	size_t i;

	for (i = 0; start[i] != 0; i++)
		if (i >= res->nrec || res->rec[i].line != start[i] ||
		    (end != NULL && res->rec[i].end_line != end[i])) {
			printf("  %s:%d: record %zu: line %lu-%lu, want %lu-%lu"
			    "\n", __FILE__, line, i + 1,
			    i < res->nrec ? res->rec[i].line : 0,
			    i < res->nrec ? res->rec[i].end_line : 0, start[i],
			    end != NULL ? end[i] : start[i]);
			check_failures++;
			return;
		}
	CHECK_INT(res->nrec, i);
}

#define LINES(...)	((const unsigned long[]){ __VA_ARGS__, 0 })
#define EXPECT_LINES(res, start, end) \
	expect_lines_at(__LINE__, (res), (start), (end))

/* Every record read without a problem and the input ended normally. */


static const struct ka_reader_options plain;	/* all defaults */

/* A growing byte string. */
struct buf {
	char	*s;
	size_t	 n, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (b->s == NULL)
			die("realloc");
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
puts_buf(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* ---- line ends, quoting, empty fields ---- */

/* The same table with LF, CRLF and CR-only line ends. */
static void
test_line_ends(void)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	struct result res[3];
	char text[512];
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *e = ends[i];
		char name[32];

		snprintf(text, sizeof(text), "id,name,amount%s1,Ann,10%s"
		    "2,\"Lee, Bo\",20%s3,,30%s", e, e, e, e);
		snprintf(name, sizeof(name), "ends%zu.csv", i);
		READ_ONE(&res[i], temp_text(name, text), &plain);
		EXPECT_HEADER(&res[i], F("id", "name", "amount"));
		EXPECT_RECORDS(&res[i], RECORDS(F("1", "Ann", "10"),
		    F("2", "Lee, Bo", "20"), F("3", "", "30")));
		EXPECT_LINES(&res[i], LINES(2, 3, 4), LINES(2, 3, 4));
		EXPECT_CLEAN(&res[i]);
		CHECK_INT(res[i].delimiter, ',');
	}
	/* Identical records, field by field, whatever the line ends. */
	for (i = 1; i < 3; i++) {
		size_t j;

		CHECK_INT(res[i].nrec, res[0].nrec);
		for (j = 0; j < res[0].nrec && j < res[i].nrec; j++)
			CHECK(same_fields(&res[0].rec[j], &res[i].rec[j]));
	}
	for (i = 0; i < 3; i++)
		free_result(&res[i]);
}

/* Line ends mixed in one file, and a CRLF split by nothing else. */
static void
test_mixed_line_ends(void)
{
	struct result res;

	READ_ONE(&res, temp_text("mixed.csv",
	    "a,b\r\n1,2\n3,4\r5,6\r\n\r\n7,8\r"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "2"), F("3", "4"), F("5", "6"),
	    F("7", "8")));
	EXPECT_LINES(&res, LINES(2, 3, 4, 6), NULL);
	EXPECT_CLEAN(&res);
	free_result(&res);
}

static void
test_quoted_fields(void)
{
	struct result res;

	/* Delimiters, doubled quotes and a quoted LF; the record after a
	 * quoted newline starts one physical line further. */
	READ_ONE(&res, temp_text("quoted.csv",
	    "k,v\n"
	    "1,\"a,b\"\n"
	    "2,\"say \"\"hi\"\"\"\n"
	    "3,\"two\nlines\"\n"
	    "4,\"\"\"\"\n"
	    "\"5\",\"x\"\n"
	    "6,\"three\n\nlines, \"\"q\"\"\"\n"
	    "7,end\n"), &plain);
	EXPECT_HEADER(&res, F("k", "v"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "a,b"), F("2", "say \"hi\""),
	    F("3", "two\nlines"), F("4", "\""), F("5", "x"),
	    F("6", "three\n\nlines, \"q\""), F("7", "end")));
	EXPECT_LINES(&res, LINES(2, 3, 4, 6, 7, 8, 11),
	    LINES(2, 3, 5, 6, 7, 10, 11));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* A quoted CRLF and a quoted CR are kept as written, and each
	 * counts as one physical line. */
	READ_ONE(&res, temp_text("quoted-cr.csv",
	    "k,v\r\n1,\"a\r\nb\"\r\n2,\"c\rd\"\r\n3,e\r\n"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "a\r\nb"), F("2", "c\rd"),
	    F("3", "e")));
	EXPECT_LINES(&res, LINES(2, 4, 6), LINES(3, 5, 6));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* A quoted header; the quote in it sends only that line to libcsv. */
	READ_ONE(&res, temp_text("quoted-header.csv",
	    "\"id\",\"the\nname\"\n1,x\n"), &plain);
	EXPECT_HEADER(&res, F("id", "the\nname"));
	CHECK_INT(res.header.line, 1);
	CHECK_INT(res.header.end_line, 2);
	EXPECT_RECORDS(&res, RECORDS(F("1", "x")));
	EXPECT_LINES(&res, LINES(3), LINES(3));
	free_result(&res);
}

/*
 * By design the reader keeps spaces (no trimming) and a quote inside an
 * unquoted field is text; only a field that starts with a quote is
 * quoted.
 */
static void
test_spaces_and_bare_quotes(void)
{
	struct result res;

	READ_ONE(&res, temp_text("bare.csv",
	    "a,b,c\n"
	    " x , y ,z \n"
	    "12\" monitor,say \"hi\" there, \"q\"\n"
	    "\"sp \",\" lead\",\t\n"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F(" x ", " y ", "z "),
	    F("12\" monitor", "say \"hi\" there", " \"q\""),
	    F("sp ", " lead", "\t")));
	EXPECT_CLEAN(&res);
	free_result(&res);
}

static void
test_empty_fields(void)
{
	struct result res;

	READ_ONE(&res, temp_text("empty.csv",
	    "a,b,c\n,,\n1,,\n,,3\n\"\",\"\",\"\"\n\"\",2,\n,\"\",\n"),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F("", "", ""), F("1", "", ""),
	    F("", "", "3"), F("", "", ""), F("", "2", ""), F("", "", "")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* One column: an empty value must be quoted, or it is a blank
	 * line, which is skipped. */
	READ_ONE(&res, temp_text("one-column.csv", "only\n\"\"\nx\n\n"),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F(""), F("x")));
	EXPECT_LINES(&res, LINES(2, 3), NULL);
	EXPECT_CLEAN(&res);
	free_result(&res);
}

static void
test_no_final_newline(void)
{
	struct result res;

	READ_ONE(&res, temp_text("nofinal1.csv", "a,b\n1,2\n3,4"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "2"), F("3", "4")));
	EXPECT_LINES(&res, LINES(2, 3), LINES(2, 3));
	EXPECT_CLEAN(&res);
	free_result(&res);

	READ_ONE(&res, temp_text("nofinal2.csv", "a,b\n1,\"x\"\"\""),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "x\"")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* Ending in a delimiter: the last field is empty. */
	READ_ONE(&res, temp_text("nofinal3.csv", "a,b\n1,"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* A last record over three lines and no final newline ends on
	 * line 4 (end_line was one short before the fix). */
	READ_ONE(&res, temp_text("nofinal4.csv", "a,b\n1,\"x\ny\nz\""),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "x\ny\nz")));
	EXPECT_LINES(&res, LINES(2), LINES(4));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* Header only, with and without its newline. */
	READ_ONE(&res, temp_text("header-only.csv", "a,b"), &plain);
	EXPECT_HEADER(&res, F("a", "b"));
	EXPECT_RECORDS(&res, NO_RECORDS);
	EXPECT_CLEAN(&res);
	free_result(&res);
}

static void
test_blank_lines(void)
{
	struct result res;

	/* Blank lines before the header, between and after records, with
	 * each kind of line end; they are skipped but still counted. */
	READ_ONE(&res, temp_text("blank.csv",
	    "\n\r\n\ra,b\n1,2\n\n\r\n3,4\r\r5,6\n\n\n"), &plain);
	EXPECT_HEADER(&res, F("a", "b"));
	CHECK_INT(res.header.line, 4);
	EXPECT_RECORDS(&res, RECORDS(F("1", "2"), F("3", "4"), F("5", "6")));
	EXPECT_LINES(&res, LINES(5, 8, 10), NULL);
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* A line of spaces is not blank: it is a one-field record. */
	READ_ONE(&res, temp_text("spaces.csv", "a\n  \nx\n"), &plain);
	EXPECT_RECORDS(&res, RECORDS(F("  "), F("x")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* Nothing at all, or only blank lines: no columns, no records. */
	READ_ONE(&res, temp_text("nothing.csv", ""), &plain);
	CHECK(res.opened);
	CHECK_INT(res.header.nfields, 0);
	EXPECT_RECORDS(&res, NO_RECORDS);
	CHECK_INT(res.end, 0);
	free_result(&res);
	READ_ONE(&res, temp_text("blank-only.csv", "\n\r\n\r"), &plain);
	CHECK(res.opened);
	CHECK_INT(res.header.nfields, 0);
	EXPECT_RECORDS(&res, NO_RECORDS);
	free_result(&res);
}

/* ---- encodings ---- */

static void
test_utf8_bom(void)
{
	struct result res;

	READ_ONE(&res, temp_text("bom.csv", "\xef\xbb\xbfid,name\n1,Zoë\n"),
	    &plain);
	EXPECT_HEADER(&res, F("id", "name"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "Zoë")));
	EXPECT_LINES(&res, LINES(2), NULL);
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* BOM then a quoted first field; BOM and no final newline. */
	READ_ONE(&res, temp_text("bom2.csv", "\xef\xbb\xbf\"id\",v\n1,2"),
	    &plain);
	EXPECT_HEADER(&res, F("id", "v"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2")));
	free_result(&res);

	/* Only the first BOM goes: one later in the text is data. */
	READ_ONE(&res, temp_text("bom3.csv", "\xef\xbb\xbfk\n\xef\xbb\xbfx\n"),
	    &plain);
	EXPECT_HEADER(&res, F("k"));
	EXPECT_RECORDS(&res, RECORDS(F("\xef\xbb\xbfx")));
	free_result(&res);
}

/* UTF-8 to UTF-16 (little or big endian) with a BOM, written here. */
static size_t
to_utf16(const char *utf8, unsigned char *out, int big)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = 0;
	uint32_t c;
	int i;

	c = 0xfeff;
	for (i = 0;; i++) {
		uint32_t units[2];
		int nunits = 1, u;

		if (i > 0) {
			if (*s == 0)
				break;
			if (*s < 0x80) {
				c = *s++;
			} else if (*s < 0xe0) {
				c = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
				s += 2;
			} else if (*s < 0xf0) {
				c = (uint32_t)(s[0] & 0x0f) << 12 |
				    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
				s += 3;
			} else {
				c = (uint32_t)(s[0] & 0x07) << 18 |
				    (uint32_t)(s[1] & 0x3f) << 12 |
				    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
				s += 4;
			}
		}
		units[0] = c;
		if (c >= 0x10000) {
			units[0] = 0xd800 | ((c - 0x10000) >> 10);
			units[1] = 0xdc00 | ((c - 0x10000) & 0x3ff);
			nunits = 2;
		}
		for (u = 0; u < nunits; u++) {
			out[n + (big ? 0 : 1)] = (unsigned char)(units[u] >> 8);
			out[n + (big ? 1 : 0)] = (unsigned char)units[u];
			n += 2;
		}
	}
	return n;
}

static void
test_utf16_bom(void)
{
	static const char text[] =
	    "客户,金额,note\r\n张三,12.50,\"a,b\r\nc\"\r\nJosé,3,😄\r\n";
	unsigned char bytes[sizeof(text) * 4];
	struct result res;
	size_t n;
	int big;

	for (big = 0; big <= 1; big++) {
		n = to_utf16(text, bytes, big);
		READ_ONE(&res, temp_file(big ? "utf16be.csv" : "utf16le.csv",
		    bytes, n), &plain);
		EXPECT_HEADER(&res, F("客户", "金额", "note"));
		EXPECT_RECORDS(&res, RECORDS(F("张三", "12.50", "a,b\r\nc"),
		    F("José", "3", "😄")));
		EXPECT_LINES(&res, LINES(2, 4), LINES(3, 4));
		EXPECT_CLEAN(&res);
		free_result(&res);
	}
	/* A BOM and nothing else: an empty file. */
	READ_ONE(&res, temp_file("utf16-empty.csv", "\xff\xfe", 2), &plain);
	CHECK(res.opened);
	CHECK_INT(res.header.nfields, 0);
	EXPECT_RECORDS(&res, NO_RECORDS);
	free_result(&res);
}

/*
 * A UTF-16 file of several megabytes: conversion goes on over many
 * buffers, and characters and records straddle their boundaries.
 */
static void
test_utf16_large(void)
{
	const size_t rows = 60000;
	unsigned char *bytes;
	char *text, *p;
	struct result res;
	size_t i, n, bad = 0;

	text = malloc(rows * 48 + 64);
	bytes = malloc(rows * 48 * 4 + 256);
	if (text == NULL || bytes == NULL)
		die("malloc");
	p = text + sprintf(text, "id,name,note\n");
	for (i = 0; i < rows; i++)
		p += sprintf(p, i % 7 == 3 ? "%zu,名前%zu,\"x,\n%zu\"\n" :
		    "%zu,名前%zu,é%zu😄\n", i, i, i);
	n = to_utf16(text, bytes, 0);
	CHECK(n > 2u * 1024 * 1024);
	READ_ONE(&res, temp_file("utf16-large.csv", bytes, n), &plain);
	free(bytes);
	EXPECT_HEADER(&res, F("id", "name", "note"));
	CHECK_INT(res.nrec, rows);
	EXPECT_CLEAN(&res);
	for (i = 0; i < res.nrec && i < rows; i++) {
		char want[3][64];

		snprintf(want[0], sizeof(want[0]), "%zu", i);
		snprintf(want[1], sizeof(want[1]), "名前%zu", i);
		snprintf(want[2], sizeof(want[2]), i % 7 == 3 ? "x,\n%zu" :
		    "é%zu😄", i);
		if (!fields_equal(&res.rec[i], F(want[0], want[1], want[2])))
			bad++;
	}
	CHECK_INT(bad, 0);
	if (res.nrec == rows)
		CHECK_INT(res.rec[rows - 1].line, rows + 1 + (rows + 2) / 7);
	free_result(&res);
	free(text);
}

static void
test_encoding_option(void)
{
	struct ka_reader_options options = plain;
	struct result res;
	const char *path;

	/* GB18030 from Chinese Excel: 张三, é, € and a four-byte 😄. */
	options.encoding = "GB18030";
	READ_ONE(&res, temp_text("gb.csv",
	    "\xbf\xcd\xbb\xa7,note\n"		/* 客户 */
	    "\xd5\xc5\xc8\xfd,\"Jos\xa8\xa6, \xa2\xe3\"\n"
	    "x,\x94\x39\xfd\x30\n"), &options);
	EXPECT_HEADER(&res, F("客户", "note"));
	EXPECT_RECORDS(&res, RECORDS(F("张三", "José, €"), F("x", "😄")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* The same bytes without --encoding: invalid UTF-8 in the
	 * header stops the open. */
	path = temp_text("gb.csv", "\xd5\xc5\xc8\xfd,x\n1,2\n");
	READ_ONE(&res, path, &plain);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path,
	    ":1: invalid UTF-8 (byte 0xd5) in column 1; if the file is in "
	    "another encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
	    "UTF-16LE)"));
	free_result(&res);

	options.encoding = "WINDOWS-1252";
	READ_ONE(&res, temp_text("cp1252.csv",
	    "name,price\r\nJos\xe9,\x80 5\r\n\"caf\xe9, \x93ok\x94\",1\r\n"),
	    &options);
	EXPECT_HEADER(&res, F("name", "price"));
	EXPECT_RECORDS(&res, RECORDS(F("José", "€ 5"),
	    F("café, \xe2\x80\x9cok\xe2\x80\x9d", "1")));
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* UTF-16 named with --encoding: no BOM needed, one is dropped. */
	options.encoding = "UTF-16LE";
	READ_ONE(&res, temp_file("u16-named.csv",
	    "a\0,\0b\0\n\0" "1\0,\0\x20\x22\n\0", 16), &options);
	EXPECT_HEADER(&res, F("a", "b"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "\xe2\x88\xa0")));	/* U+2220 */
	EXPECT_CLEAN(&res);
	free_result(&res);
	READ_ONE(&res, temp_file("u16-named-bom.csv",
	    "\xff\xfe" "a\0,\0b\0\n\0", 10), &options);
	EXPECT_HEADER(&res, F("a", "b"));
	free_result(&res);

	/* An encoding iconv does not know. */
	options.encoding = "NO-SUCH-ENCODING";
	path = temp_text("any.csv", "a\n1\n");
	READ_ONE(&res, path, &options);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path,
	    ": unknown encoding \"NO-SUCH-ENCODING\" (iconv -l lists "
	    "them)"));
	free_result(&res);
}

/*
 * A byte the encoding does not allow, far into the file: the records
 * before it are read, then the error names its line (before the fix it
 * said line 1 and nothing was read, since the whole small file is
 * converted at once).  LF and CR-only line ends both.
 */
static void
test_encoding_error_line(void)
{
	struct ka_reader_options options = plain;
	static const char *const ends[] = { "\n", "\r" };
	struct result res;
	char text[8192], *p;
	const char *path;
	size_t e, i;

	options.encoding = "GB18030";
	for (e = 0; e < 2; e++) {
		p = text + sprintf(text, "k,v%s", ends[e]);
		for (i = 1; i <= 300; i++)
			p += sprintf(p, "r%zu,\xd5\xc5%s", i, ends[e]);
		sprintf(p, "bad\x81\x20,1%sr,1%s", ends[e], ends[e]);
		path = temp_text("gb-bad.csv", text);
		READ_ONE(&res, path, &options);
		CHECK(res.opened);
		CHECK_INT(res.nrec, 300);
		CHECK_INT(res.end, -1);
		CHECK_STR(res.fatal, path_message(path,
		    ":302: input is not valid GB18030 (byte 0x81)"));
		if (res.nrec == 300)
			EXPECT_HEADER(&res, F("k", "v"));
		free_result(&res);
	}

	/* UTF-16 cut in the middle of a character. */
	path = temp_file("utf16-cut.csv",
	    "\xff\xfe" "a\0,\0b\0\n\0" "1\0,\0" "2", 15);
	READ_ONE(&res, path, &plain);
	CHECK(res.opened);
	CHECK_INT(res.nrec, 0);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path,
	    ":2: input ends inside a UTF-16LE character"));
	free_result(&res);
}

/* ---- delimiters ---- */

static void
test_sniffing(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	READ_ONE(&res, temp_text("tabs.txt", "a\tb,c\tc\n1\t2,5\t3\n"),
	    &plain);
	CHECK_INT(res.delimiter, '\t');
	EXPECT_HEADER(&res, F("a", "b,c", "c"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2,5", "3")));
	free_result(&res);

	READ_ONE(&res, temp_text("semi.csv", "a;b;c,d\n1;2,5;3\n"), &plain);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, F("a", "b", "c,d"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2,5", "3")));
	free_result(&res);

	READ_ONE(&res, temp_text("comma.csv", "a,b;x,c\n1,2,3\n"), &plain);
	CHECK_INT(res.delimiter, ',');
	EXPECT_HEADER(&res, F("a", "b;x", "c"));
	free_result(&res);

	/* Commas inside quotes are not counted: ';' wins 2 to 0. */
	READ_ONE(&res, temp_text("semi-quoted.csv",
	    "\"a,b,c\";\"d,e\";f\n1;2;3\n"), &plain);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, F("a,b,c", "d,e", "f"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2", "3")));
	free_result(&res);

	/* A header whose quoted name holds a newline and commas. */
	READ_ONE(&res, temp_text("semi-nl.csv",
	    "\"x,\ny,z\";w\n1;2\n"), &plain);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, F("x,\ny,z", "w"));
	free_result(&res);

	/* A quote inside an unquoted field is text to the sniffer too: it
	 * used to make the rest of the file look quoted, so ',' won here
	 * (and the sniffer read to the end of the file). */
	READ_ONE(&res, temp_text("semi-bare.csv",
	    "x\"y,a;b;c\n1,2;3;4\n"), &plain);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, F("x\"y,a", "b", "c"));
	EXPECT_RECORDS(&res, RECORDS(F("1,2", "3", "4")));
	free_result(&res);

	/* So sniffing a first line with a bare quote reads that line, not
	 * the whole file. */
	{
		const size_t rows = 150000;
		struct buf big = { NULL, 0, 0 };
		const char *files[1];
		ka_reader *reader;
		char *ignored;
		size_t i;

		puts_buf(&big, "name,12\" screen,price\n");
		for (i = 0; i < rows; i++)
			puts_buf(&big, "Some product name,yes,1234.50\n");
		files[0] = temp_file("bare-big.csv", big.s, big.n);
		free(big.s);
		reader = open_capturing(files, 1, &plain, &ignored);
		CHECK(reader != NULL);
		if (reader != NULL) {
			CHECK(ka_reader_bytes(reader) < 1024 * 1024);
			CHECK_INT(ka_reader_delimiter(reader), ',');
			CHECK_INT(ka_reader_header(reader)->nfields, 3);
			ka_reader_close(reader);
		}
		free(ignored);
	}

	/* Doubled quotes in a quoted name, then a bare one. */
	READ_ONE(&res, temp_text("semi-doubled.csv",
	    "\"a\"\";\"\"\";b\"c;d,e\n1;2;3\n"), &plain);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, F("a\";\"", "b\"c", "d,e"));
	free_result(&res);

	/* No delimiter at all: one column, ','. */
	READ_ONE(&res, temp_text("single.csv", "only\n1\n"), &plain);
	CHECK_INT(res.delimiter, ',');
	EXPECT_RECORDS(&res, RECORDS(F("1")));
	free_result(&res);

	/* .tsv means TAB, even when commas are more. */
	READ_ONE(&res, temp_text("data.tsv", "a,b,c\td\n1,2\t\"x\ty\"\n"),
	    &plain);
	CHECK_INT(res.delimiter, '\t');
	EXPECT_HEADER(&res, F("a,b,c", "d"));
	EXPECT_RECORDS(&res, RECORDS(F("1,2", "x\ty")));
	free_result(&res);
	CHECK_INT(ka_delimiter_from_name("x.TSV"), '\t');
	CHECK_INT(ka_delimiter_from_name("x.tab"), '\t');
	CHECK_INT(ka_delimiter_from_name("x.csv"), 0);
	CHECK_INT(ka_delimiter_from_name("tsv"), 0);

	/* An explicit delimiter wins over sniffing and the extension. */
	options.delimiter = '|';
	READ_ONE(&res, temp_text("pipe.tsv", "a|b\tc\n1|2\n"), &options);
	CHECK_INT(res.delimiter, '|');
	EXPECT_HEADER(&res, F("a", "b\tc"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2")));
	free_result(&res);
}

/* ---- header handling ---- */

static void
test_no_header(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	options.no_header = 1;
	READ_ONE(&res, temp_text("nohead.csv", "\n7,\"x\ny\",z\n8,9,10\n"),
	    &options);
	EXPECT_HEADER(&res, F("1", "2", "3"));
	EXPECT_RECORDS(&res, RECORDS(F("7", "x\ny", "z"), F("8", "9", "10")));
	EXPECT_LINES(&res, LINES(2, 4), LINES(3, 4));
	CHECK(res.nrec == 2 && res.rec[0].number == 1 &&
	    res.rec[1].number == 2);
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* The first record keeps its status: bad UTF-8 in it. */
	READ_ONE(&res, temp_text("nohead-bad.csv", "a,\xff\nb,c\n"),
	    &options);
	CHECK_INT(res.nrec, 2);
	if (res.nrec == 2) {
		CHECK_INT(res.rec[0].status, KA_READ_BAD_UTF8);
		CHECK_INT(res.rec[0].column, 2);
		CHECK_INT(res.rec[1].status, KA_READ_OK);
	}
	free_result(&res);

	/* With -H a short first record sets the count: 2, then 3 is bad. */
	READ_ONE(&res, temp_text("nohead-ragged.csv", "1,2\n3,4,5\n"),
	    &options);
	CHECK_INT(res.header.nfields, 2);
	CHECK(res.nrec == 2 && res.rec[1].status == KA_READ_FIELD_COUNT);
	free_result(&res);
}

static void
test_several_files(void)
{
	struct ka_reader_options options = plain;
	const char *files[3];
	struct result res;
	char *first, *second;

	files[0] = temp_text("part1.csv", "id,amount\n1,10\n2,\"20\"\n");
	files[1] = temp_text("part2.csv", "\xef\xbb\xbfid,amount\r\n\r\n"
	    "3,30\r\n4,\"4\r\n0\"\r\n");
	files[2] = temp_text("part3.csv", "id,amount\n");
	READ_BOTH(&res, files, 3, &plain);
	EXPECT_HEADER(&res, F("id", "amount"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "10"), F("2", "20"),
	    F("3", "30"), F("4", "4\r\n0")));
	/* Lines and numbers count within each file. */
	EXPECT_LINES(&res, LINES(2, 3, 3, 4), LINES(2, 3, 3, 5));
	EXPECT_CLEAN(&res);
	if (res.nrec == 4) {
		CHECK_STR(res.rec[0].file, files[0]);
		CHECK_STR(res.rec[2].file, files[1]);
		CHECK_INT(res.rec[1].number, 2);
		CHECK_INT(res.rec[2].number, 1);
		CHECK_INT(res.rec[3].number, 2);
	}
	free_result(&res);

	/* A second file with another header is rejected, naming it. */
	first = strdup(temp_text("h1.csv", "id,amount\n1,10\n"));
	second = strdup(temp_text("h2.csv", "id,total\n2,20\n"));
	files[0] = first;
	files[1] = second;
	READ_BOTH(&res, files, 2, &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "10")));
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(second, ":1: header differs from "
	    "%s's: column 2 is \"total\", expected \"amount\"", first));
	CHECK_INT(res.fatal_column, 2);
	free_result(&res);

	/* ... and one with another number of columns. */
	files[1] = temp_text("h3.csv", "\n\nid,amount,extra\n2,20,x\n");
	READ_BOTH(&res, files, 2, &plain);
	CHECK_INT(res.nrec, 1);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(files[1], ":3: header has 3 "
	    "columns, but %s's has 2", first));
	free_result(&res);

	/* An empty first file adds nothing: the next file's header is the
	 * header (it used to be rejected as "header has 2 columns, but
	 * 's has 0").  Only empty files: no columns. */
	files[0] = temp_text("empty0.csv", "");
	files[1] = first;
	files[2] = temp_text("empty2.csv", "\n");
	READ_BOTH(&res, files, 3, &plain);
	EXPECT_HEADER(&res, F("id", "amount"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "10")));
	EXPECT_CLEAN(&res);
	free_result(&res);
	files[1] = files[2];
	READ_BOTH(&res, files, 2, &plain);
	CHECK(res.opened);
	CHECK_INT(res.header.nfields, 0);
	EXPECT_RECORDS(&res, NO_RECORDS);
	CHECK_INT(res.end, 0);
	free_result(&res);
	files[0] = first;

	/* A second file that cannot be opened. */
	files[1] = "/nonexistent/ka-test.csv";
	READ_BOTH(&res, files, 2, &plain);
	CHECK_INT(res.nrec, 1);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, "/nonexistent/ka-test.csv: cannot open: "
	    "No such file or directory");
	free_result(&res);

	/* With -H no header is compared: every line is data. */
	options.no_header = 1;
	files[1] = second;
	READ_BOTH(&res, files, 2, &options);
	EXPECT_HEADER(&res, F("1", "2"));
	EXPECT_RECORDS(&res, RECORDS(F("id", "amount"), F("1", "10"),
	    F("id", "total"), F("2", "20")));
	EXPECT_CLEAN(&res);
	free_result(&res);
	free(first);
	free(second);
}

/* ---- a field of 1.5 MB ---- */

static void
test_big_field(void)
{
	const size_t big = 1536 * 1024;
	char *text, *want, *p;
	struct result res;
	size_t i, crlfs = 0;

	text = malloc(2 * big + 256);
	want = malloc(big + 1);
	if (text == NULL || want == NULL)
		die("malloc");
	/* Unquoted: letters and digits. */
	for (i = 0; i < big; i++)
		want[i] = (char)('a' + i % 26);
	want[big] = '\0';
	p = text + sprintf(text, "k,big,z\n1,");
	memcpy(p, want, big);
	p += big;
	p += sprintf(p, ",end\n2,x,y\n");
	READ_ONE(&res, temp_file("big1.csv", text, (size_t)(p - text)),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", want, "end"), F("2", "x", "y")));
	EXPECT_LINES(&res, LINES(2, 3), NULL);
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* Quoted, holding commas, doubled quotes, CRLFs and UTF-8. */
	for (i = 0; i + 4 <= big; i += 4) {
		memcpy(want + i, i % 4000 == 0 ? "\"\r\n," :
		    i % 1000 == 0 ? "\xc3\xa9x," : "abcd", 4);
		crlfs += i % 4000 == 0;
	}
	want[big] = '\0';
	p = text + sprintf(text, "k,big,z\r\n1,\"");
	for (i = 0; i < big; i++) {
		if (want[i] == '"')
			*p++ = '"';
		*p++ = want[i];
	}
	p += sprintf(p, "\",end\r\n2,x,y");
	READ_ONE(&res, temp_file("big2.csv", text, (size_t)(p - text)),
	    &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", want, "end"), F("2", "x", "y")));
	EXPECT_LINES(&res, LINES(2, 2 + crlfs + 1),
	    LINES(2 + crlfs, 2 + crlfs + 1));
	EXPECT_CLEAN(&res);
	free_result(&res);
	free(text);
	free(want);
}

/* ---- buffer boundaries ---- */

/*
 * Records built so that something delicate sits exactly across each
 * multiple of 64 KiB of the input (the reader reads 128 KiB at a time,
 * a pipe gives 64 KiB or less): a CRLF, a doubled quote, a quoted CRLF
 * or CR, a UTF-8 sequence, a closing quote before LF, a CR-only line
 * end, a delimiter.
 */
struct hazard {
	const char	*text;		/* the record */
	size_t		 at;		/* offset of the byte before the cut */
	const char	*field;		/* its second field */
	int		 lines;		/* physical lines it takes */
};

static const struct hazard hazards[] = {
	{ "k,abc\r\n", 5, "abc", 1 },
	{ "k,\"ab\"\"cd\"\n", 5, "ab\"cd", 1 },
	{ "k,\"ab\r\ncd\"\r\n", 6, "ab\r\ncd", 2 },
	{ "k,\xc3\xa9\xe5\xbc\xa0\n", 2, "\xc3\xa9\xe5\xbc\xa0", 1 },
	{ "k,\xe5\xbc\xa0\n", 3, "\xe5\xbc\xa0", 1 },
	{ "k,\"a\"\n", 4, "a", 1 },
	{ "k,ab\r", 4, "ab", 1 },
	{ "k,\"x\ry\"\n", 4, "x\ry", 2 },
	{ "k,a,\n", 3, "a", 1 },	/* three fields: "k", "a", "" */
	{ "k,\"\"\n", 2, "", 1 },
};

#define NHAZARDS	(sizeof(hazards) / sizeof(hazards[0]))

struct expected_record {
	char		 key[24];
	const char	*second;	/* NULL: a padding record */
	size_t		 pad;
	unsigned long	 line;
	int		 three;
};

static size_t
build_boundaries(struct buf *doc, struct expected_record **out)
{
	const size_t step = 65536, cuts = 48;
	struct expected_record *want;
	size_t n = 0, cap = 0, k;
	unsigned long line = 2;
	char text[256];

	doc->n = 0;
	puts_buf(doc, "id,value\n");
	want = NULL;
	for (k = 1; k <= cuts; k++) {
		const struct hazard *h = &hazards[(k / 2) % NHAZARDS];
		size_t cut = k * step, pad;

		/* Plain records up to a little before the cut, then one
		 * padding record of the right length ("p" LINE "," x...). */
		for (;;) {
			size_t head;

			if (n + 2 > cap) {
				cap = cap * 2 + 64;
				want = realloc(want, cap * sizeof(*want));
				if (want == NULL)
					die("realloc");
			}
			snprintf(want[n].key, sizeof(want[n].key), "p%lu",
			    line);
			head = strlen(want[n].key) + 2;	/* "pN," and LF */
			if (doc->n + head + h->at > cut - 1)
				die("boundary layout");
			pad = cut - 1 - h->at - doc->n - head;
			if (pad > 200)
				pad = 100;
			want[n].second = NULL;
			want[n].pad = pad;
			want[n].line = line++;
			want[n].three = 0;
			snprintf(text, sizeof(text), "%s,", want[n].key);
			puts_buf(doc, text);
			memset(text, 'x', pad);
			text[pad] = '\n';
			put(doc, text, pad + 1);
			n++;
			if (doc->n + h->at == cut - 1)
				break;
		}
		snprintf(want[n].key, sizeof(want[n].key), "k");
		want[n].second = h->field;
		want[n].line = line;
		want[n].three = h->text[3] == ',';
		line += (unsigned long)h->lines;
		puts_buf(doc, h->text);
		n++;
	}
	*out = want;
	return n;
}

static void
check_boundaries(const struct result *res, const struct expected_record *want,
    size_t n)
{
	char pad[256];
	size_t i, bad = 0;

	CHECK_INT(res->nrec, n);
	EXPECT_CLEAN(res);
	for (i = 0; i < n && i < res->nrec; i++) {
		const struct copy *got = &res->rec[i];
		int ok;

		if (want[i].second == NULL) {
			memset(pad, 'x', want[i].pad);
			pad[want[i].pad] = '\0';
			ok = fields_equal(got, F(want[i].key, pad));
		} else if (want[i].three) {
			ok = fields_equal(got, F("k", want[i].second, ""));
		} else {
			ok = fields_equal(got, F("k", want[i].second));
		}
		if (!ok || got->line != want[i].line) {
			if (bad++ < 3) {
				printf("  %s: record %zu (line %lu) differs\n",
				    __FILE__, i + 1, want[i].line);
				show_copy("got", got);
			}
		}
	}
	CHECK_INT(bad, 0);
}

static void
test_buffer_boundaries(void)
{
	struct ka_reader_options options = plain;
	struct expected_record *want;
	struct buf doc = { NULL, 0, 0 };
	struct result res;
	size_t n;

	n = build_boundaries(&doc, &want);
	options.allow_ragged = 1;	/* the delimiter hazard has 3 */
	READ_ONE(&res, temp_file("boundaries.csv", doc.s, doc.n), &options);
	check_boundaries(&res, want, n);
	free_result(&res);
	free(want);
	free(doc.s);
}

/*
 * The fast path reads 64 bytes at a time: records of every length up to
 * 200 bytes, each with a delimiter, a UTF-8 sequence, a quote, a bad
 * byte or a NUL at its last byte, so each kind falls on every place of
 * a 64-byte block, and on the line ends of every style.  Lines with a
 * quoted field go to libcsv, after the same pass has found their end,
 * NUL and bad bytes: those have a quoted field first and a bad byte, a
 * NUL or a UTF-8 sequence last, or end with a quoted field after fields
 * whose delimiters the pass has already seen.  Both paths (READ_ONE
 * compares them) must give the same records and messages.
 */
#define CHUNK_KINDS 10

static void
test_chunk_edges(void)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	struct ka_reader_options options = plain;
	struct buf doc = { NULL, 0, 0 };
	struct result res;
	size_t length, at, records = 0;
	int kind;
	char line[256];

	options.delimiter = ',';
	options.allow_ragged = 1;
	puts_buf(&doc, "h\n");
	for (length = 1; length <= 200; length++)
		for (kind = 0; kind < CHUNK_KINDS; kind++) {
			for (at = 0; at < length; at++)
				line[at] = at % 7 == 3 ? ',' :
				    (char)('a' + at % 26);
			line[length] = '\0';
			if (kind >= 6 && kind <= 8 && length >= 7)
				memcpy(line, "\"q,r\",", 6);
			switch (kind) {
			case 1:
				line[length - 1] = ',';
				break;
			case 2:		/* e-acute, two bytes */
			case 8:
				line[length - 1] = '\xc3';
				line[length] = '\xa9';
				line[length + 1] = '\0';
				break;
			case 3:		/* a quote inside an unquoted field */
				if (length > 1 && line[length - 2] != ',')
					line[length - 1] = '"';
				break;
			case 4:
			case 6:
				line[length - 1] = '\xff';
				break;
			case 9:		/* a quoted field last */
				if (length >= 4)
					memcpy(line + length - 4, ",\"x\"", 4);
				break;
			}
			if (kind == 5 || kind == 7) {	/* a NUL last */
				line[length - 1] = 'z';
				put(&doc, line, length - 1);
				put(&doc, "", 1);
			} else {
				puts_buf(&doc, line);
			}
			puts_buf(&doc, ends[(length + (size_t)kind) % 3]);
			records++;
		}
	READ_ONE(&res, temp_file("chunks.csv", doc.s, doc.n), &options);
	CHECK(res.opened);
	CHECK_INT(res.end, 0);
	CHECK_INT(res.nrec, records);
	/* Length 70, plain: "abc", then fields of 6 letters, "pqr" last. */
	if (res.nrec > 69 * CHUNK_KINDS + 9) {
		const struct copy *c = &res.rec[69 * CHUNK_KINDS];

		CHECK_INT(c->nfields, 11);
		CHECK_INT(c->status, KA_READ_OK);
		if (c->nfields == 11) {
			CHECK_STR(c->field[0], "abc");
			CHECK_STR(c->field[1], "efghij");
			CHECK_STR(c->field[10], "pqr");
		}
		c = &res.rec[69 * CHUNK_KINDS + 4];
		CHECK_INT(c->status, KA_READ_BAD_UTF8);
		CHECK_INT(c->column, 11);
		/* The same with "q,r" quoted first (its comma replaced the
		 * one at 3, and a delimiter follows it at 5). */
		c = &res.rec[69 * CHUNK_KINDS + 6];
		CHECK_INT(c->status, KA_READ_BAD_UTF8);
		CHECK_INT(c->column, 11);
		c = &res.rec[69 * CHUNK_KINDS + 7];
		CHECK_INT(c->status, KA_READ_NUL);
		CHECK_INT(c->column, 11);
		c = &res.rec[69 * CHUNK_KINDS + 8];
		CHECK_INT(c->status, KA_READ_OK);
		CHECK_INT(c->nfields, 11);
		if (c->nfields == 11) {
			CHECK_STR(c->field[0], "q,r");
			CHECK_STR(c->field[1], "ghij");
			CHECK_STR(c->field[10], "pq\xc3\xa9");
		}
		c = &res.rec[69 * CHUNK_KINDS + 9];
		CHECK_INT(c->status, KA_READ_OK);
		CHECK_INT(c->nfields, 11);
		if (c->nfields == 11) {
			CHECK_STR(c->field[0], "abc");
			CHECK_STR(c->field[9], "ijklmn");
			CHECK_STR(c->field[10], "x");
		}
	}
	free_result(&res);
	free(doc.s);
}

/*
 * Where the CPU has AVX2 the fast path uses it; the SSE2 one must give
 * the same records, so the tests that reach every block offset run
 * again with it (KA_NO_AVX2 turns AVX2 off for readers opened after).
 */
static void test_random_equivalence(void);

static void
test_sse2_path(void)
{
	setenv("KA_NO_AVX2", "1", 1);
	test_chunk_edges();
	test_buffer_boundaries();
	test_random_equivalence();
	unsetenv("KA_NO_AVX2");
}

/*
 * A regular file is read through a mapping, split in a copy of each
 * line; KA_NO_MMAP reads it with read(), split in place, as a pipe is.
 * Every test that reads files runs again that way.
 */
static void test_line_ends(void);
static void test_mixed_line_ends(void);
static void test_quoted_fields(void);
static void test_blank_lines(void);
static void test_no_final_newline(void);
static void test_utf8_bom(void);
static void test_utf16_bom(void);
static void test_several_files(void);
static void test_big_field(void);
static void test_error_bad_utf8(void);
static void test_error_nul(void);
static void test_error_unterminated_quote(void);
static void test_error_text_after_quote(void);
static void test_byte_range(void);
static void test_byte_range_marks(void);
static void test_byte_range_errors(void);

static void
test_read_path(void)
{
	setenv("KA_NO_MMAP", "1", 1);
	test_line_ends();
	test_mixed_line_ends();
	test_quoted_fields();
	test_blank_lines();
	test_no_final_newline();
	test_utf8_bom();
	test_utf16_bom();
	test_several_files();
	test_big_field();
	test_error_bad_utf8();
	test_error_nul();
	test_error_unterminated_quote();
	test_error_text_after_quote();
	test_byte_range();
	test_byte_range_marks();
	test_byte_range_errors();
	test_chunk_edges();
	test_buffer_boundaries();
	test_random_equivalence();
	test_sse2_path();
	setenv("KA_NO_MMAP", "1", 1);
	unsetenv("KA_NO_MMAP");
}

/*
 * A mapped file that something cuts short while it is read: the records
 * before the cut come, then an error that says so, never SIGBUS.  At a
 * page boundary the missing page faults; inside the last page, zeros
 * come without a fault and the size is looked at when the map ends.
 */
static void
test_mapped_shrink(void)
{
	static const size_t cuts[] = { 65536, 65536 + 30, 300000 };
	const size_t rows = 20000;	/* lines of 32 bytes: 640 KB */
	struct buf doc = { NULL, 0, 0 };
	const char *files[1];
	size_t i, k;

	puts_buf(&doc, "id,name,amount\n");
	for (i = 0; i < rows; i++) {
		char line[64];

		snprintf(line, sizeof(line), "%08zu,customer-%07zu,12.50\n", i,
		    i);
		puts_buf(&doc, line);
	}
	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		enum ka_read_status status;
		ka_reader *reader;
		ka_record rec;
		char *ignored, want[200];
		size_t ok = 0, whole = (cuts[k] - 15) / 32;
		unsigned long next_line = 3;
		int got;

		files[0] = temp_file("shrinks.csv", doc.s, doc.n);
		reader = open_capturing(files, 1, &plain, &ignored);
		free(ignored);
		CHECK(reader != NULL);
		if (reader == NULL)
			continue;
		CHECK_INT(ka_reader_next(reader, &rec, &status), 1);
		if (truncate(files[0], (off_t)cuts[k]) != 0)
			die("truncate");
		while ((got = ka_reader_next(reader, &rec, &status)) > 0 &&
		    status == KA_READ_OK) {
			char id[16];

			/* Each record returned is the file's, in order. */
			snprintf(id, sizeof(id), "%08zu", ok + 1);
			if (strcmp(ka_field(&rec, 0), id) != 0 ||
			    rec.line != next_line)
				break;
			next_line++;
			ok++;
		}
		/* Whole lines before the cut (the header and the first
		 * record came before it, 15 + 32 bytes), all but those a
		 * 64-byte pass that ran into the cut had started: the
		 * record the fault is noticed in is not returned.  Then
		 * the message, naming the line after the last record. */
		CHECK_INT(got, -1);
		CHECK(ok + 1 <= whole && ok + 1 + 2 >= whole);
		snprintf(want, sizeof(want), "%s:%lu: the file shrank while it "
		    "was read (it had %zu bytes when opened); is something "
		    "writing it?", files[0], next_line, doc.n);
		CHECK_STR(ka_reader_error(reader), want);
		ka_reader_close(reader);
	}
	/* Cut within the last page: zeros to the end, no fault; the size
	 * is looked at again at the end. */
	{
		enum ka_read_status status;
		ka_reader *reader;
		ka_record rec;
		char *ignored, want[200];
		size_t last_page = doc.n & ~(size_t)4095, cut;
		unsigned long nul_line = 0;
		int got;

		cut = last_page + 15 + 32 * 3 - (last_page - 15) % 32;
		files[0] = temp_file("shrinks.csv", doc.s, doc.n);
		reader = open_capturing(files, 1, &plain, &ignored);
		free(ignored);
		CHECK(reader != NULL);
		if (reader != NULL) {
			if (truncate(files[0], (off_t)cut) != 0)
				die("truncate");
			while ((got = ka_reader_next(reader, &rec, &status)) >
			    0 && status == KA_READ_OK)
				;
			/* The zeros are one record with a NUL: the one the
			 * cut fell in, with the rest of the page ... */
			CHECK_INT(got, 1);
			CHECK_INT(status, KA_READ_NUL);
			nul_line = rec.line;
			CHECK_INT(nul_line, 2 + (cut - 15) / 32);
			/* ... and then the end says what happened. */
			got = ka_reader_next(reader, &rec, &status);
			CHECK_INT(got, -1);
			snprintf(want, sizeof(want), "%s:%lu: the file shrank "
			    "while it was read (it had %zu bytes when "
			    "opened); is something writing it?", files[0],
			    nul_line + 1, doc.n);
			CHECK_STR(ka_reader_error(reader), want);
			ka_reader_close(reader);
		}
	}
	free(doc.s);
}

/*
 * Standard input that is a file is mapped from where it stands, which
 * need not be its start (a script may have read a line of it first),
 * and is left at its end, as read() would leave it.
 */
static void
test_stdin_file(void)
{
	const char *text = "skipped line\nname,amount\nA,1\nB,2\n";
	const char *files[1] = { "-" };
	const char *path = temp_text("stdin.csv", text);
	struct result res;
	int fd, saved;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			setenv("KA_NO_MMAP", "1", 1);
		fd = open(path, O_RDONLY);
		saved = dup(STDIN_FILENO);
		if (fd < 0 || saved < 0 || lseek(fd, 13, SEEK_SET) != 13 ||
		    dup2(fd, STDIN_FILENO) < 0)
			die("stdin");
		close(fd);
		read_files(&res, files, 1, &plain);
		EXPECT_HEADER(&res, F("name", "amount"));
		EXPECT_RECORDS(&res, RECORDS(F("A", "1"), F("B", "2")));
		CHECK_STR(res.rec[0].file, "stdin");
		CHECK_INT(lseek(STDIN_FILENO, 0, SEEK_CUR),
		    (long long)strlen(text));
		free_result(&res);
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
	unsetenv("KA_NO_MMAP");
}

/*
 * The same through standard input ("-"), from a pipe a child writes
 * in pieces of odd sizes.
 */
static void
test_stdin_pipe(void)
{
	struct ka_reader_options options = plain;
	struct expected_record *want;
	struct buf doc = { NULL, 0, 0 };
	const char *files[1] = { "-" };
	struct result res, forced;
	size_t n;
	int pass;

	n = build_boundaries(&doc, &want);
	options.allow_ragged = 1;
	for (pass = 0; pass < 2; pass++) {
		int fds[2], saved, status;
		pid_t child;

		options.force_libcsv = pass;
		fflush(stdout);
		if (pipe(fds) != 0 || (child = fork()) < 0)
			die("pipe/fork");
		if (child == 0) {
			size_t done = 0, piece = 1000;

			close(fds[0]);
			while (done < doc.n) {
				size_t m = doc.n - done < piece ?
				    doc.n - done : piece;
				ssize_t w = write(fds[1], doc.s + done, m);

				if (w <= 0)
					_exit(1);
				done += (size_t)w;
				piece = piece * 7 % 70001 + 1;
			}
			_exit(0);
		}
		close(fds[1]);
		saved = dup(STDIN_FILENO);
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		read_files(pass ? &forced : &res, files, 0, &options);
		dup2(saved, STDIN_FILENO);
		close(saved);
		waitpid(child, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	check_boundaries(&res, want, n);
	CHECK(same_result(&res, &forced));
	if (res.nrec > 0)
		CHECK_STR(res.rec[0].file, "stdin");
	free_result(&res);
	free_result(&forced);
	free(want);
	free(doc.s);
}

/* ---- every kind of error, with its exact message ---- */

static void
test_error_bad_utf8(void)
{
	struct result res;
	const char *path;

	path = temp_text("bad-utf8.csv",
	    "id,name,amount\n1,ok,2\n2,caf\xe9,3\n3,\"x,\xc3\",4\n"
	    "4,\"a\nb\xed\xa0\x80\",5\n5,fine,6\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 5);
	CHECK_INT(res.end, 0);
	if (res.nrec == 5) {
		CHECK_INT(res.rec[0].status, KA_READ_OK);
		/* Returned anyway, bytes as they are. */
		CHECK_INT(res.rec[1].status, KA_READ_BAD_UTF8);
		CHECK(fields_equal(&res.rec[1], F("2", "caf\xe9", "3")));
		CHECK_STR(res.rec[1].error, path_message(path, ":3: invalid "
		    "UTF-8 (byte 0xe9) in column 2; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
		CHECK_INT(res.rec[1].column, 2);
		/* A quoted field: the column is the field's, not a count of
		 * every comma on the line. */
		CHECK_INT(res.rec[2].status, KA_READ_BAD_UTF8);
		CHECK_STR(res.rec[2].error, path_message(path, ":4: invalid "
		    "UTF-8 (byte 0xc3) in column 2; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
		/* A surrogate on the second line of a record: that line,
		 * and the field it belongs to. */
		CHECK_INT(res.rec[3].status, KA_READ_BAD_UTF8);
		CHECK_STR(res.rec[3].error, path_message(path, ":6: invalid "
		    "UTF-8 (byte 0xed) in column 2; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
		CHECK_INT(res.rec[3].column, 2);
		CHECK_INT(res.rec[4].status, KA_READ_OK);
		CHECK_INT(res.rec[4].line, 7);
	}
	free_result(&res);

	/* Long lines: the bad byte far from the start, past the 16-byte
	 * blocks of the fast path, and the last byte of a line. */
	path = temp_text("bad-utf8-long.csv",
	    "a,b\n"
	    "0123456789abcdef0123456789abcdef,0123456789\xe4\xb8\n"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9,\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f"
	    "\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84\n"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,\xf4\x90\x80\x80\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 3);
	if (res.nrec == 3) {
		CHECK_INT(res.rec[0].status, KA_READ_BAD_UTF8);
		CHECK_INT(res.rec[0].column, 2);
		CHECK_INT(res.rec[1].status, KA_READ_OK);
		CHECK_INT(res.rec[2].status, KA_READ_BAD_UTF8);
		CHECK_STR(res.rec[2].error, path_message(path, ":4: invalid "
		    "UTF-8 (byte 0xf4) in column 2; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
	}
	free_result(&res);
}

static void
test_error_nul(void)
{
	static const char text[] = "a,b,c\n1,2,3\n4,x\0y,6\n7,\"8\0\",9\n"
	    "0123456789abcdef0123456789,x,\0\n"
	    "ab,\0cdefghijklmnopqrstuvwxyz,z\n";
	struct result res;
	const char *path;

	path = temp_file("nul.csv", text, sizeof(text) - 1);
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 5);
	CHECK_INT(res.end, 0);
	if (res.nrec == 5) {
		CHECK_INT(res.rec[0].status, KA_READ_OK);
		CHECK_INT(res.rec[1].status, KA_READ_NUL);
		CHECK_INT(res.rec[1].nfields, 3);
		CHECK_INT(res.rec[1].length[1], 3);
		CHECK(memcmp(res.rec[1].field[1], "x\0y", 3) == 0);
		CHECK_STR(res.rec[1].error, path_message(path, ":3: NUL byte "
		    "in column 2 (is this UTF-16 or binary data? try "
		    "--encoding)"));
		CHECK_INT(res.rec[1].column, 2);
		CHECK_INT(res.rec[2].status, KA_READ_NUL);
		CHECK_STR(res.rec[2].error, path_message(path, ":4: NUL byte "
		    "in column 2 (is this UTF-16 or binary data? try "
		    "--encoding)"));
		CHECK_INT(res.rec[3].status, KA_READ_NUL);
		CHECK_INT(res.rec[3].column, 3);
		CHECK_INT(res.rec[4].status, KA_READ_NUL);
		CHECK_STR(res.rec[4].error, path_message(path, ":6: NUL byte "
		    "in column 2 (is this UTF-16 or binary data? try "
		    "--encoding)"));
	}
	free_result(&res);

	/* UTF-16 without a BOM looks like NULs: the hint says so. */
	path = temp_file("utf16-nobom.csv", "a\0,\0b\0\n\0", 8);
	READ_ONE(&res, path, &plain);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path,
	    ":1: NUL byte in column 1 (is this UTF-16 or binary data? try "
	    "--encoding)"));
	free_result(&res);
}

static void
test_error_unterminated_quote(void)
{
	struct result res;
	const char *path;

	path = temp_text("unterminated.csv", "a,b\n1,2\n3,\"open\n4,5\n");
	READ_ONE(&res, path, &plain);
	EXPECT_RECORDS(&res, RECORDS(F("1", "2")));
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":3: unterminated quote: the "
	    "quoted field that starts on this line runs to the end of "
	    "input"));
	CHECK_INT(res.fatal_column, 2);
	free_result(&res);

	/* The record starts on line 2 but the open quote is on line 3;
	 * no final newline. */
	path = temp_text("unterminated2.csv", "a,b\n\"x\ny\",\"open\nrest");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 0);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":3: unterminated quote: the "
	    "quoted field that starts on this line runs to the end of "
	    "input"));
	free_result(&res);

	/* A doubled quote at the very end does not close the field. */
	path = temp_text("unterminated3.csv", "a\n\"x\"\"");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":2: unterminated quote: the "
	    "quoted field that starts on this line runs to the end of "
	    "input"));
	free_result(&res);

	/* In the header: the open fails with the message. */
	path = temp_text("unterminated4.csv", "a,\"b\n1,2\n");
	READ_ONE(&res, path, &plain);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path, ":1: unterminated "
	    "quote: the quoted field that starts on this line runs to the "
	    "end of input"));
	free_result(&res);
}

/*
 * Text after a closing quote.  Leniently, libcsv reopens the field and
 * takes the following lines into it, so rows vanished into one field
 * with a valid field count; the reader now stops there instead.
 */
static void
test_error_text_after_quote(void)
{
	struct result res;
	const char *path;

	path = temp_text("after-quote.csv",
	    "id,name\n1,\"Smith\" ,x\n2,abc\n3,\"Jones\"\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 0);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":2: text after the closing "
	    "quote of a field (a quote inside quotes must be doubled)"));
	CHECK_INT(res.fatal_column, 2);
	free_result(&res);

	/* A quote left open on line 2 is "closed" on line 4 by the
	 * quote that opens "x": the message points back to line 2. */
	path = temp_text("after-quote2.csv",
	    "id,name\n1,\"Smith\n2,abc\n3,\"x\"\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 0);
	CHECK_STR(res.fatal, path_message(path, ":4: text after the closing "
	    "quote of the field that starts on line 2 (a quote inside quotes "
	    "must be doubled)"));
	free_result(&res);

	/* "12"x in the last field, as in rvl's invalid_quote.csv. */
	path = temp_text("after-quote3.csv", "id,value\nA,\"12\"x\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":2: text after the closing "
	    "quote of a field (a quote inside quotes must be doubled)"));
	free_result(&res);
}

static void
test_error_field_count(void)
{
	struct ka_reader_options options = plain;
	struct result res;
	const char *path;

	path = temp_text("ragged.csv",
	    "a,b,c,d,e,f,g\n1,2,3,4,5\n1,2,3,4,5,6,7\n\"1\n2\",3,4,5,6,7,8,9\n");
	READ_ONE(&res, path, &plain);
	CHECK_INT(res.nrec, 3);
	CHECK_INT(res.end, 0);
	if (res.nrec == 3) {
		CHECK_INT(res.rec[0].status, KA_READ_FIELD_COUNT);
		CHECK(fields_equal(&res.rec[0], F("1", "2", "3", "4", "5")));
		CHECK_STR(res.rec[0].error, path_message(path, ":2: 5 fields, "
		    "expected 7 as in the header"));
		CHECK_INT(res.rec[1].status, KA_READ_OK);
		CHECK_INT(res.rec[2].status, KA_READ_FIELD_COUNT);
		CHECK_STR(res.rec[2].error, path_message(path, ":4: 8 fields, "
		    "expected 7 as in the header"));
	}
	free_result(&res);

	/* allow_ragged: no check. */
	options.allow_ragged = 1;
	READ_ONE(&res, path, &options);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.nrec, 3);
	free_result(&res);

	/* A bad-UTF-8 status is not overwritten by a field count. */
	path = temp_text("ragged2.csv", "a,b\n\xff\n");
	READ_ONE(&res, path, &plain);
	CHECK(res.nrec == 1 && res.rec[0].status == KA_READ_BAD_UTF8);
	free_result(&res);
}

/* ---- random documents: both paths, and what was meant ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t
rnd(void)
{
	/* xorshift64*: fixed seed, so every run reads the same inputs. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * UINT64_C(2685821657736338717)) >> 32);
}

static unsigned
below(unsigned n)
{
	return rnd() % n;
}

#define MAX_RECS	10
#define MAX_COLS	8

/* What the generator meant. */
struct intent {
	size_t		 nrec;		/* records after the first line */
	size_t		 nfields[MAX_RECS + 1];	/* [0] is the first line */
	struct buf	 field[MAX_RECS + 1][MAX_COLS + 1];
	unsigned long	 line[MAX_RECS + 1], end_line[MAX_RECS + 1];
	int		 status[MAX_RECS + 1];
	int		 fatal;		/* input malformed: must end in -1 */
	size_t		 good;		/* records before the fatal one */
};

/* Pieces of text a field is made of. */
static const char *const plain_pieces[] = {
	"a", "b", "Z", "0", "7", " ", "x y", "\xc3\xa9", "\xe5\xbc\xa0",
	"\xf0\x9f\x98\x84", "\t", "-", "12.50", "\"", ";", ",",
};
static const char *const quoted_pieces[] = {
	"a", "b", "0", " ", "\xc3\xa9", "\xe4\xb8\x89", "\xf0\x9f\x98\x84",
	",", ";", "\t", "\"", "\n", "\r\n", "\r", "x,y", "\"\"", "|",
};

#define NPIECES(a)	((unsigned)(sizeof(a) / sizeof((a)[0])))

/* Physical line ends in a value: LF, CRLF, or a CR on its own. */
static unsigned long
line_ends_in(const struct buf *value)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < value->n; i++)
		if (value->s[i] == '\n' || (value->s[i] == '\r' &&
		    (i + 1 == value->n || value->s[i + 1] != '\n')))
			n++;
	return n;
}

static void
gen_field(struct buf *doc, struct buf *value, int delimiter, int quote)
{
	size_t i, k, n = below(5);

	value->n = 0;
	put(value, "", 0);
	if (quote) {
		for (i = 0; i < n; i++)
			puts_buf(value, quoted_pieces[below(
			    NPIECES(quoted_pieces))]);
		puts_buf(doc, "\"");
		for (k = 0; k < value->n; k++) {
			if (value->s[k] == '"')
				puts_buf(doc, "\"");
			put(doc, value->s + k, 1);
		}
		puts_buf(doc, "\"");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *p = plain_pieces[below(NPIECES(plain_pieces))];

		/* An unquoted field must not start with a quote (it would
		 * be a quoted one) nor hold the delimiter. */
		if ((value->n == 0 && p[0] == '"') ||
		    strchr(p, delimiter) != NULL)
			continue;
		puts_buf(value, p);
	}
	puts_buf(doc, value->s);
}

/*
 * A line end in the document's style (LF, CRLF, CR, or any of them);
 * an LF right after a CR would join it into one CRLF, so that is not
 * written.
 */
static void
gen_line_end(struct buf *doc, int style, unsigned long *line)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	int which = style < 3 ? style : (int)below(3);

	if (which == 0 && doc->n > 0 && doc->s[doc->n - 1] == '\r')
		which = 1 + (int)below(2);
	puts_buf(doc, ends[which]);
	(*line)++;
}

enum flaw {
	FLAW_NONE, FLAW_COUNT, FLAW_UTF8, FLAW_NUL, FLAW_UNTERMINATED,
	FLAW_AFTER_QUOTE
};

/*
 * One document: a first line and up to MAX_RECS records of plain and
 * quoted fields, blank lines here and there, line ends LF, CRLF, CR or
 * mixed, with or without a final newline.  About half get a flaw in one
 * record: another field count, a bad UTF-8 byte or a NUL (statuses),
 * or an unterminated quote or text after a closing quote (the end, -1).
 */
static void
gen_document(struct buf *doc, struct intent *want, int delimiter)
{
	int style = (int)below(4), final_newline = below(4) != 0;
	unsigned flaw = below(10);
	size_t ncols = 1 + below(MAX_COLS - 2), r, c, flaw_rec;
	unsigned long line = 1;
	char delim[2] = { (char)delimiter, '\0' };

	if (flaw > FLAW_AFTER_QUOTE)
		flaw = FLAW_NONE;
	doc->n = 0;
	put(doc, "", 0);
	memset(want->nfields, 0, sizeof(want->nfields));
	want->nrec = 1 + below(MAX_RECS);
	want->fatal = 0;
	want->good = want->nrec;
	flaw_rec = 1 + below((unsigned)want->nrec);
	while (below(6) == 0)		/* blank lines before the first */
		gen_line_end(doc, style, &line);
	for (r = 0; r <= want->nrec; r++) {
		size_t n = ncols;
		int flawed = r == flaw_rec, quote = 0;

		if (flawed && flaw == FLAW_COUNT)
			n = ncols > 1 && below(2) ? ncols - 1 : ncols + 1;
		want->line[r] = line;
		want->status[r] = KA_READ_OK;
		for (c = 0; c < n; c++) {
			quote = below(3) == 0;
			if (c > 0)
				puts_buf(doc, delim);
			gen_field(doc, &want->field[r][c], delimiter, quote);
			line += line_ends_in(&want->field[r][c]);
			/* One empty unquoted field alone is a blank line. */
			if (n == 1 && !quote && want->field[r][c].n == 0) {
				puts_buf(doc, "\"\"");
				quote = 1;
			}
		}
		if (flawed && (flaw == FLAW_UTF8 || flaw == FLAW_NUL)) {
			/* A bad byte or a NUL at the end of the last field,
			 * inside its quotes if it has them. */
			const char *bad = flaw == FLAW_UTF8 ? "\xff" : "";

			if (quote)
				doc->n--;
			put(doc, bad, 1);
			if (quote)
				puts_buf(doc, "\"");
			put(&want->field[r][n - 1], bad, 1);
			want->status[r] = flaw == FLAW_UTF8 ?
			    KA_READ_BAD_UTF8 : KA_READ_NUL;
		}
		want->nfields[r] = n;
		if (flawed && flaw == FLAW_UNTERMINATED) {
			/* The input ends inside quotes. */
			puts_buf(doc, delim);
			puts_buf(doc, below(2) ? "\"never closed" :
			    "\"never\nclosed\"\"");
			want->fatal = 1;
			want->good = r - 1;
			return;
		}
		if (flawed && flaw == FLAW_AFTER_QUOTE) {
			puts_buf(doc, delim);
			puts_buf(doc, "\"closed\"x");
			want->fatal = 1;
			want->good = r - 1;
		}
		want->end_line[r] = line;
		if (r < want->nrec || final_newline) {
			gen_line_end(doc, style, &line);
			while (below(8) == 0)		/* blank lines */
				gen_line_end(doc, style, &line);
		}
	}
}

/*
 * The reading equals what was meant.  With no_header the first line is
 * data too and the header is "1", "2", ...
 */
static int
meets_intent(const struct result *res, const struct intent *want,
    int no_header)
{
	size_t r, c, first = no_header ? 0 : 1, want_header = want->nfields[0];
	char name[24];

	if (!res->opened || res->header.nfields != want_header)
		return 0;
	for (c = 0; c < want_header; c++) {
		const char *s = want->field[0][c].s;
		size_t n = want->field[0][c].n;

		if (no_header) {
			snprintf(name, sizeof(name), "%zu", c + 1);
			s = name;
			n = strlen(name);
		}
		if (res->header.length[c] != n ||
		    memcmp(res->header.field[c], s, n) != 0)
			return 0;
	}
	if (res->nrec != want->good + 1 - first ||
	    res->end != (want->fatal ? -1 : 0))
		return 0;
	for (r = first; r <= want->good; r++) {
		const struct copy *got = &res->rec[r - first];
		int status = want->status[r];

		if (status == KA_READ_OK && want->nfields[r] != want_header)
			status = KA_READ_FIELD_COUNT;
		if (got->nfields != want->nfields[r] ||
		    got->line != want->line[r] ||
		    got->end_line != want->end_line[r] ||
		    got->status != status || got->number != r + 1 - first)
			return 0;
		for (c = 0; c < want->nfields[r]; c++)
			if (got->length[c] != want->field[r][c].n ||
			    memcmp(got->field[c], want->field[r][c].s,
			    got->length[c]) != 0)
				return 0;
	}
	return 1;
}

static void
test_random_equivalence(void)
{
	const int documents = 4000;
	static const int delimiters[] = { ',', ',', ';', '\t', 0 };
	struct ka_reader_options options = plain, forced;
	struct buf doc = { NULL, 0, 0 };
	struct intent *want;
	struct result one, two;
	int i, differ = 0, unmet = 0, fatal = 0, flawed = 0, quoted = 0;
	const char *path;
	size_t r, c;

	want = calloc(1, sizeof(*want));
	if (want == NULL)
		die("calloc");
	for (i = 0; i < documents; i++) {
		int delimiter = delimiters[below(5)];

		/* 0: a ',' document left to sniffing, which must find ','
		 * (only quoted fields can hold ';' or TAB then). */
		gen_document(&doc, want, delimiter ? delimiter : ',');
		if (delimiter == 0) {
			options.delimiter = 0;
			if (doc.n == 0 || memchr(doc.s, ';', doc.n) != NULL ||
			    memchr(doc.s, '\t', doc.n) != NULL)
				options.delimiter = ',';
		} else {
			options.delimiter = delimiter;
		}
		options.no_header = below(4) == 0;
		path = temp_file("random.csv", doc.s, doc.n);
		forced = options;
		forced.force_libcsv = 1;
		read_files(&one, &path, 1, &options);
		read_files(&two, &path, 1, &forced);
		if (!same_result(&one, &two)) {
			if (differ++ < 3) {
				printf("  %s: paths differ on ", __FILE__);
				show_bytes(doc.s, doc.n);
				putchar('\n');
			}
		}
		if (!meets_intent(&one, want, options.no_header) &&
		    unmet++ < 3) {
			printf("  %s: document %d (delimiter %d, -H %d) is not "
			    "read as meant:\n    ", __FILE__, i,
			    options.delimiter, options.no_header);
			show_bytes(doc.s, doc.n);
			printf("\n    opened %d \"%s\", %zu records (want %zu), "
			    "end %d (want %d) %s\n", one.opened,
			    one.open_error ? one.open_error : "", one.nrec,
			    want->good + (options.no_header ? 1 : 0), one.end,
			    want->fatal ? -1 : 0, one.fatal ? one.fatal : "");
			if (one.opened)
				show_copy("header", &one.header);
			for (r = 0; r < one.nrec && r < 4; r++)
				show_copy("got", &one.rec[r]);
		}
		fatal += one.end < 0;
		quoted += strchr(doc.s, '"') != NULL;
		for (r = 0; r < one.nrec; r++)
			flawed += one.rec[r].status != KA_READ_OK;
		free_result(&one);
		free_result(&two);
	}
	CHECK_INT(differ, 0);
	CHECK_INT(unmet, 0);
	/* The generator made every kind of input it should. */
	CHECK(fatal > documents / 20);
	CHECK(flawed > documents / 10);
	CHECK(quoted > documents / 2);
	for (r = 0; r <= MAX_RECS; r++)
		for (c = 0; c <= MAX_COLS; c++)
			free(want->field[r][c].s);
	free(want);
	free(doc.s);
}

/* ---- byte ranges and a given header field count ---- */

/* options reading bytes [from, to) as data with fields columns. */
static struct ka_reader_options
range_options(uint64_t from, uint64_t to, size_t fields)
{
	struct ka_reader_options options = plain;

	options.no_header = 1;
	options.delimiter = ',';
	options.header_fields = fields;
	options.range_start = from;
	options.range_end = to;
	return options;
}

/* Whether a and b hold the same fields and status (lines aside). */
static int
same_record(const struct copy *a, const struct copy *b)
{
	return same_fields(a, b) && a->status == b->status;
}

/*
 * A document cut in two at every record start (as ka_pieces cuts a file,
 * at line ends outside quotes) gives, piece after piece, the records of
 * one pass: the same fields and statuses, the lines counted from each
 * piece's start; quoted line breaks, CRLF, blank lines, a bad byte and a
 * short row included.  Read both ways (fast path and libcsv).
 */
static void
test_byte_range(void)
{
	static const char text[] =
	    "id,name,note\n"
	    "1,plain,x\n"
	    "2,\"a, quoted\",\"line\nbreak\"\r\n"
	    "\n"
	    "3,\"doubled \"\" quote\",y\r\n"
	    "4,short\n"
	    "5,\xff bad,z\n"
	    "6,last,\"\"\n";
	/* Where each record starts, and the line it starts on. */
	static const size_t starts[] = { 13, 23, 51, 52, 76, 84, 94 };
	static const unsigned long lines[] = { 2, 3, 5, 6, 7, 8, 9 };
	const size_t nstarts = sizeof(starts) / sizeof(starts[0]);
	const char *path = temp_text("range.csv", text);
	const uint64_t end = sizeof(text) - 1;
	struct ka_reader_options whole_options = plain;
	struct result whole, first, second;
	size_t cut, i;

	whole_options.delimiter = ',';
	READ_ONE(&whole, path, &whole_options);
	CHECK_INT(whole.nrec, 6);
	CHECK_INT(whole.rec[3].status, KA_READ_FIELD_COUNT);
	CHECK_INT(whole.rec[4].status, KA_READ_BAD_UTF8);
	for (cut = 0; cut < nstarts; cut++) {
		/* With cut 0 the first piece is empty: [13, 13). */
		struct ka_reader_options a = range_options(starts[0],
		    starts[cut], 3), b = range_options(starts[cut], end, 3);
		size_t skipped = 0;

		READ_ONE(&second, path, &b);
		EXPECT_HEADER(&second, F("1", "2", "3"));
		CHECK_INT(second.end, 0);
		READ_ONE(&first, path, &a);
		CHECK_INT(first.end, 0);
		/* The blank line at byte 51 holds no record. */
		for (i = 0; i < cut; i++)
			if (starts[i] == 51)
				skipped++;
		CHECK_INT(first.nrec, cut - skipped);
		CHECK_INT(first.nrec + second.nrec, whole.nrec);
		for (i = 0; i < whole.nrec; i++) {
			const struct copy *got = i < first.nrec ?
			    &first.rec[i] : i - first.nrec < second.nrec ?
			    &second.rec[i - first.nrec] : NULL;

			if (got == NULL || !same_record(got, &whole.rec[i])) {
				printf("  cut at %zu: record %zu differs\n",
				    starts[cut], i + 1);
				check_failures++;
				break;
			}
		}
		/* Lines count from the range's first line. */
		for (i = 0; i < second.nrec && first.nrec + i < whole.nrec;
		    i++)
			CHECK_INT(second.rec[i].line, whole.rec[first.nrec +
			    i].line - lines[cut] + 1);
		free_result(&first);
		free_result(&second);
	}
	free_result(&whole);

	/* A range cut short inside a line ends its last record there. */
	{
		struct ka_reader_options o = range_options(13, 17, 3);

		READ_ONE(&first, path, &o);
		EXPECT_RECORDS(&first, RECORDS(F("1", "pl")));
		CHECK_INT(first.rec[0].status, KA_READ_FIELD_COUNT);
		CHECK_INT(first.end, 0);
		free_result(&first);
	}
	/* A cut inside quotes: the piece before ends inside them. */
	{
		struct ka_reader_options o = range_options(23, 43, 3);

		READ_ONE(&first, path, &o);
		CHECK_INT(first.nrec, 0);
		CHECK_INT(first.end, -1);
		CHECK_STR(first.fatal, path_message(path, ":1: unterminated "
		    "quote: the quoted field that starts on this line runs to "
		    "the end of input"));
		free_result(&first);
	}
	/* An empty range: no records. */
	{
		struct ka_reader_options o = range_options(23, 23, 3);

		READ_ONE(&first, path, &o);
		CHECK_INT(first.nrec, 0);
		CHECK_INT(first.end, 0);
		free_result(&first);
	}
}

/*
 * Byte-order marks are looked for only at the start of a file: inside a
 * range their bytes are text, as one pass reads them there; a range
 * from byte 0 drops a UTF-8 mark as a whole file does.
 */
static void
test_byte_range_marks(void)
{
	const char *path = temp_text("range-bom.csv",
	    "\xef\xbb\xbf" "a,b\n" "\xef\xbb\xbf" "x,1\n" "\xff\xfe,2\n");
	struct ka_reader_options o = range_options(7, 14, 2);
	struct result res;

	READ_ONE(&res, path, &o);
	EXPECT_RECORDS(&res, RECORDS(F("\xef\xbb\xbf" "x", "1")));
	EXPECT_CLEAN(&res);
	free_result(&res);
	/* Not read as UTF-16: the bytes are bad UTF-8, as in one pass. */
	o = range_options(14, 19, 2);
	READ_ONE(&res, path, &o);
	CHECK_INT(res.nrec, 1);
	if (res.nrec == 1)
		CHECK_INT(res.rec[0].status, KA_READ_BAD_UTF8);
	free_result(&res);
	o = range_options(0, 7, 0);
	o.no_header = 0;
	READ_ONE(&res, path, &o);
	EXPECT_HEADER(&res, F("a", "b"));
	EXPECT_RECORDS(&res, NO_RECORDS);
	free_result(&res);
}

/* What cannot be a range: several files, an end before the start, a
   pipe. */
static void
test_byte_range_errors(void)
{
	const char *path = temp_text("range-err.csv", "a,b\n1,2\n");
	const char *two[2];
	struct ka_reader_options o = range_options(4, 8, 2);
	struct result res;
	int fds[2], saved;

	two[0] = two[1] = path;
	read_files(&res, two, 2, &o);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path, ": a byte range is "
	    "for one file"));
	free_result(&res);
	o = range_options(8, 4, 2);
	read_files(&res, &path, 1, &o);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path, ": byte range 8-4 "
	    "ends before it starts"));
	free_result(&res);
	/* Standard input from a pipe cannot seek. */
	if (pipe(fds) == 0) {
		const char *dash = "-";

		saved = dup(STDIN_FILENO);
		dup2(fds[0], STDIN_FILENO);
		if (write(fds[1], "1,2\n", 4) != 4)
			check_failures++;
		close(fds[1]);
		o = range_options(1, 4, 2);
		read_files(&res, &dash, 1, &o);
		CHECK(!res.opened);
		CHECK(res.open_error != NULL && strncmp(res.open_error,
		    "stdin: cannot seek to byte 1: ", 30) == 0);
		free_result(&res);
		dup2(saved, STDIN_FILENO);
		close(saved);
		close(fds[0]);
	}
}

/* no_header with header_fields: "1" .. "N", the first record checked. */
static void
test_header_fields(void)
{
	struct ka_reader_options options = plain;
	struct result res;
	const char *path;

	options.no_header = 1;
	options.header_fields = 3;
	path = temp_text("fields.csv", "1,2\n3,4,5\n6,7,8,9\n");
	READ_ONE(&res, path, &options);
	EXPECT_HEADER(&res, F("1", "2", "3"));
	EXPECT_RECORDS(&res, RECORDS(F("1", "2"), F("3", "4", "5"),
	    F("6", "7", "8", "9")));
	CHECK(res.nrec == 3 && res.rec[0].status == KA_READ_FIELD_COUNT &&
	    res.rec[1].status == KA_READ_OK &&
	    res.rec[2].status == KA_READ_FIELD_COUNT);
	if (res.nrec == 3)
		CHECK_STR(res.rec[0].error, path_message(path, ":1: 2 fields, "
		    "expected 3 as in the header"));
	free_result(&res);

	/* An empty file: the header still has its fields, no records. */
	READ_ONE(&res, temp_text("fields-empty.csv", ""), &options);
	EXPECT_HEADER(&res, F("1", "2", "3"));
	CHECK_INT(res.nrec, 0);
	free_result(&res);

	/* allow_ragged takes any count, as without header_fields. */
	options.allow_ragged = 1;
	READ_ONE(&res, path, &options);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.nrec, 3);
	free_result(&res);

	/* Without no_header it is not used: the header line is read. */
	options = plain;
	options.header_fields = 5;
	READ_ONE(&res, path, &options);
	EXPECT_HEADER(&res, F("1", "2"));
	free_result(&res);
}

int
main(void)
{
	RUN(test_line_ends);
	RUN(test_mixed_line_ends);
	RUN(test_quoted_fields);
	RUN(test_spaces_and_bare_quotes);
	RUN(test_empty_fields);
	RUN(test_no_final_newline);
	RUN(test_blank_lines);
	RUN(test_utf8_bom);
	RUN(test_utf16_bom);
	RUN(test_utf16_large);
	RUN(test_encoding_option);
	RUN(test_encoding_error_line);
	RUN(test_sniffing);
	RUN(test_no_header);
	RUN(test_several_files);
	RUN(test_big_field);
	RUN(test_buffer_boundaries);
	RUN(test_chunk_edges);
	RUN(test_stdin_pipe);
	RUN(test_error_bad_utf8);
	RUN(test_error_nul);
	RUN(test_error_unterminated_quote);
	RUN(test_error_text_after_quote);
	RUN(test_error_field_count);
	RUN(test_random_equivalence);
	RUN(test_sse2_path);
	RUN(test_byte_range);
	RUN(test_byte_range_marks);
	RUN(test_byte_range_errors);
	RUN(test_header_fields);
	RUN(test_read_path);
	RUN(test_mapped_shrink);
	RUN(test_stdin_file);
	return CHECK_EXIT();
}
