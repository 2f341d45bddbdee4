/*
 * Conformance: the CSV parsers' test suites in ../shared/data/conformance
 * (see its README.md), read in place by ka_reader and compared with their
 * expected values.  The data sits beside the project and is never
 * committed; where it is absent this program says SKIP and passes.
 *
 * Every file is read twice, normally and with force_libcsv, and the two
 * readings must agree; every reading runs under alarm() so a hang fails
 * instead of stopping the test run.
 *
 * Where the reader and a suite legitimately differ by design the test
 * says so and asserts what the reader documents instead:
 *   - blank lines are skipped, but a line of spaces or tabs is a record;
 *   - spaces are never trimmed, and a quote inside an unquoted field is
 *     text (only a field that starts with a quote is quoted);
 *   - quoting is RFC 4180 only: no backslash escapes, and text after a
 *     closing quote is an error naming the line;
 *   - no comment lines, no Excel "sep=" directive, no per-file dialect
 *     refusal: the delimiter is sniffed among TAB, ';' and ',' (ties go
 *     to TAB, then ','), or given by the user (here, where a suite says
 *     the file is '|', '^', '=', 0x01 or 0x1F delimited);
 *   - every record must have the header's field count (a status, so a
 *     lenient caller can reject the row); duplicate or empty column
 *     names are accepted;
 *   - UTF-16 and UTF-32 with a byte-order mark are converted, not
 *     refused;
 *   - in a .tsv, quotes quote as in CSV and backslash sequences are
 *     text (no PostgreSQL or univocity TSV escapes).
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_reader.h"

static char root[4096];		/* .../data/conformance */

static _Noreturn void
die(const char *what)
{
	printf("  test_conformance: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- time limit ---- */

static const char *current = "";	/* what is being read */

static void
on_alarm(int sig)
{
	static const char text[] = "FAIL time limit: a reading took over "
	    "the limit (hang?): ";

	(void)sig;
	/* Only async-signal-safe calls here. */
	if (write(STDOUT_FILENO, text, sizeof(text) - 1) < 0 ||
	    write(STDOUT_FILENO, current, strlen(current)) < 0 ||
	    write(STDOUT_FILENO, "\n", 1) < 0)
		_exit(1);
	_exit(1);
}

/* ---- paths and files ---- */

/* root/relative, in one of a few rotating buffers. */
static const char *
cpath(const char *relative)
{
	static char buf[8][8400];
	static int which;
	char *out = buf[which++ % 8];

	snprintf(out, sizeof(buf[0]), "%s/%s", root, relative);
	return out;
}

static char *
slurp(const char *path, size_t *length)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL) {
		printf("  cannot open %s: %s\n", path, strerror(errno));
		check_failures++;
		*length = 0;
		return calloc(1, 1);
	}
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			data = realloc(data, cap);
			if (data == NULL)
				die("realloc");
		}
		got = fread(data + n, 1, 65536, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	data[n] = '\0';
	*length = n;
	return data;
}

#include "reader_capture.h"

static void
read_file(struct result *res, const char *path,
    const struct ka_reader_options *options)
{
	read_files(res, &path, 1, options);
}

/*
 * Reads path normally and with force_libcsv under a time limit, checks
 * both agree and leaves the normal reading in res.
 */
static void
read_both(struct result *res, const char *path,
    const struct ka_reader_options *options, unsigned seconds)
{
	struct ka_reader_options forced = *options;
	struct result other;

	current = path;
	alarm(seconds);
	read_file(res, path, options);
	forced.force_libcsv = 1;
	read_file(&other, path, &forced);
	alarm(0);
	if (!same_result(res, &other)) {
		printf("  %s: normal and force_libcsv readings differ\n", path);
		check_failures++;
	}
	free_result(&other);
}

static const struct ka_reader_options plain;

/* ---- expected records ---- */

static int
fields_are(const struct copy *c, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++)
		if (i >= c->nfields || c->length[i] != strlen(want[i]) ||
		    memcmp(c->field[i], want[i], c->length[i]) != 0)
			return 0;
	return i == c->nfields;
}

#define F(...)	((const char *const[]){ __VA_ARGS__, NULL })

static void
expect_fields_at(int line, const char *what, const struct copy *c,
    const char *const *want)
{
	size_t i;

	if (fields_are(c, want))
		return;
	printf("  %s:%d: %s differs\n", __FILE__, line, what);
	show_copy("got", c);
	printf("    want:");
	for (i = 0; want[i] != NULL; i++) {
		putchar(' ');
		show_bytes(want[i], strlen(want[i]));
	}
	putchar('\n');
	check_failures++;
}

#define EXPECT_HEADER(res, ...) \
	expect_fields_at(__LINE__, "header", &(res)->header, F(__VA_ARGS__))
#define EXPECT_RECORD(res, i, ...) do { \
	if ((i) < (res)->nrec) \
		expect_fields_at(__LINE__, "record " #i, &(res)->rec[i], \
		    F(__VA_ARGS__)); \
	else { \
		printf("  %s:%d: no record %d\n", __FILE__, __LINE__, (i)); \
		check_failures++; \
	} \
} while (0)



/* ---- an independent RFC 4180 parser, the reader's rules ---- */

/*
 * Written here from RFC 4180 and ka_reader.h, sharing no code with the
 * reader: a UTF-8 BOM is dropped; LF, CRLF and CR end lines; blank
 * lines are skipped; a field starting with '"' is quoted, "" inside it
 * is a quote, and only the delimiter or a line end may follow its
 * closing quote; any other field runs to the delimiter or line end.
 * Used where a suite gives no expected values of its own.
 */
struct ref {
	size_t		 nrec, cap;
	struct copy	*rec;
	int		 bad;		/* malformed quoting */
	unsigned long	 bad_line;
};

static void
ref_add_field(struct copy *c, const char *s, size_t n)
{
	c->field = realloc(c->field, (c->nfields + 1) * sizeof(*c->field));
	c->length = realloc(c->length, (c->nfields + 1) *
	    sizeof(*c->length));
	if (c->field == NULL || c->length == NULL)
		die("realloc");
	c->field[c->nfields] = dup_bytes(s, n);
	c->length[c->nfields++] = n;
}

static size_t
ref_line_end(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '\n')
		return 1;
	if (i < n && s[i] == '\r')
		return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
	return 0;
}

static void
ref_parse(struct ref *ref, const char *s, size_t n, char delim)
{
	size_t i = 0, k;
	unsigned long line = 1;
	struct buf {
		char	*s;
		size_t	 n, cap;
	} field = { NULL, 0, 0 };

	memset(ref, 0, sizeof(*ref));
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n) {
		struct copy *c;

		if ((k = ref_line_end(s, n, i)) != 0) {	/* blank line */
			i += k;
			line++;
			continue;
		}
		if (ref->nrec == ref->cap) {
			ref->cap = ref->cap * 2 + 64;
			ref->rec = realloc(ref->rec, ref->cap *
			    sizeof(*ref->rec));
			if (ref->rec == NULL)
				die("realloc");
		}
		c = &ref->rec[ref->nrec++];
		memset(c, 0, sizeof(*c));
		c->line = line;
		for (;;) {
			field.n = 0;
			if (i < n && s[i] == '"') {
				for (i++;; i++) {
					if (i >= n) {
						ref->bad = 1;
						ref->bad_line = c->line;
						free(field.s);
						return;
					}
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"')
							i++;
						else
							break;
					} else if ((k = ref_line_end(s, n,
					    i)) != 0) {
						line++;
						if (k == 2) {
							if (field.n + 1 >=
							    field.cap) {
								field.cap = field.cap * 2 + 64;
								field.s = realloc(field.s, field.cap);
							}
							field.s[field.n++] =
							    s[i++];
						}
					}
					if (field.n + 1 >= field.cap) {
						field.cap = field.cap * 2 + 64;
						field.s = realloc(field.s,
						    field.cap);
						if (field.s == NULL)
							die("realloc");
					}
					field.s[field.n++] = s[i];
				}
				i++;	/* the closing quote */
				if (i < n && s[i] != delim &&
				    ref_line_end(s, n, i) == 0) {
					ref->bad = 1;
					ref->bad_line = line;
					free(field.s);
					return;
				}
			} else {
				while (i < n && s[i] != delim &&
				    ref_line_end(s, n, i) == 0) {
					if (field.n + 1 >= field.cap) {
						field.cap = field.cap * 2 + 64;
						field.s = realloc(field.s,
						    field.cap);
						if (field.s == NULL)
							die("realloc");
					}
					field.s[field.n++] = s[i++];
				}
			}
			ref_add_field(c, field.s ? field.s : "", field.n);
			if (i < n && s[i] == delim) {
				i++;
				continue;
			}
			c->end_line = line;
			if ((k = ref_line_end(s, n, i)) != 0) {
				i += k;
				line++;
			}
			break;
		}
	}
	free(field.s);
}

static void
free_ref(struct ref *ref)
{
	size_t i;

	for (i = 0; i < ref->nrec; i++)
		free_copy(&ref->rec[i]);
	free(ref->rec);
}

/* The reading equals the reference parse: header, records, lines. */
static void
expect_reference_at(int line, const struct result *res, const char *path,
    char delim, int ragged)
{
	struct ref ref;
	char *data;
	size_t n, i, bad = 0;

	data = slurp(path, &n);
	ref_parse(&ref, data, n, delim);
	free(data);
	if (ref.bad) {
		printf("  %s:%d: %s is malformed at line %lu (reference)\n",
		    __FILE__, line, path, ref.bad_line);
		check_failures++;
	} else if (!res->opened || ref.nrec == 0) {
		printf("  %s:%d: %s: opened %d, %zu reference records\n",
		    __FILE__, line, path, res->opened, ref.nrec);
		check_failures++;
	} else {
		if (!same_fields(&res->header, &ref.rec[0]) ||
		    res->header.line != ref.rec[0].line) {
			printf("  %s:%d: %s: header differs\n", __FILE__,
			    line, path);
			show_copy("got", &res->header);
			show_copy("reference", &ref.rec[0]);
			check_failures++;
		}
		if (res->nrec + 1 != ref.nrec || res->end != 0) {
			printf("  %s:%d: %s: %zu records, end %d %s; the "
			    "reference has %zu\n", __FILE__, line, path,
			    res->nrec, res->end, res->fatal ? res->fatal : "",
			    ref.nrec - 1);
			check_failures++;
		}
		for (i = 0; i < res->nrec && i + 1 < ref.nrec; i++) {
			const struct copy *got = &res->rec[i];
			const struct copy *want = &ref.rec[i + 1];

			if (!same_fields(got, want) || got->line != want->line
			    || got->end_line != want->end_line ||
			    (!ragged && got->status != KA_READ_OK)) {
				if (bad++ < 3) {
					printf("  %s:%d: %s: record %zu "
					    "differs\n", __FILE__, line, path,
					    i + 1);
					show_copy("got", got);
					show_copy("reference", want);
				}
				check_failures++;
			}
		}
	}
	free_ref(&ref);
}

#define EXPECT_REFERENCE(res, path, delim, ragged) \
	expect_reference_at(__LINE__, (res), (path), (delim), (ragged))

/* ---- csv-spectrum: each CSV against its JSON ---- */

struct jobject {
	size_t	 n;
	char	*key[32];
	char	*value[32];
	size_t	 length[32];
};

static void
json_space(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\n' || **p == '\r' ||
	    **p == '\t'))
		(*p)++;
}

static void
utf8_put(char *out, size_t *n, unsigned long c)
{
	if (c < 0x80) {
		out[(*n)++] = (char)c;
	} else if (c < 0x800) {
		out[(*n)++] = (char)(0xc0 | c >> 6);
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[(*n)++] = (char)(0xe0 | c >> 12);
		out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | c >> 18);
		out[(*n)++] = (char)(0x80 | (c >> 12 & 0x3f));
		out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

/* A JSON string at *p; NULL when it is not one. */
static char *
json_string(const char **p, const char *end, size_t *length)
{
	const char *s = *p;
	char *out;
	size_t n = 0;

	if (s >= end || *s != '"')
		return NULL;
	out = malloc((size_t)(end - s) * 2 + 1);
	if (out == NULL)
		die("malloc");
	for (s++; s < end && *s != '"'; s++) {
		if (*s != '\\') {
			out[n++] = *s;
			continue;
		}
		if (++s >= end)
			break;
		switch (*s) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'u': {
			unsigned long c = 0, low = 0;
			int i;

			for (i = 1; i <= 4 && s + i < end; i++)
				c = c * 16 + (unsigned long)(s[i] <= '9' ?
				    s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
			s += 4;
			if (c >= 0xd800 && c < 0xdc00 && s + 6 < end &&
			    s[1] == '\\' && s[2] == 'u') {
				for (i = 3; i <= 6; i++)
					low = low * 16 + (unsigned long)
					    (s[i] <= '9' ? s[i] - '0' :
					    (s[i] | 0x20) - 'a' + 10);
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (low - 0xdc00);
				s += 6;
			}
			utf8_put(out, &n, c);
			break;
		}
		default: out[n++] = *s; break;	/* \" \\ \/ */
		}
	}
	if (s >= end) {
		free(out);
		return NULL;
	}
	*p = s + 1;
	out[n] = '\0';
	*length = n;
	return out;
}

/*
 * The suite's JSON: an array of flat objects of strings, or one such
 * object alone.  Returns the number of objects, or -1 if it cannot be
 * read.
 */
static long
json_objects(const char *text, size_t size, struct jobject *objects,
    size_t max)
{
	const char *p = text, *end = text + size;
	long count = 0;
	int array;

	json_space(&p, end);
	array = p < end && *p == '[';
	if (array)
		p++;
	for (;;) {
		struct jobject *o;

		json_space(&p, end);
		if (array && p < end && *p == ']')
			return count;
		if (p >= end || *p != '{' || (size_t)count == max)
			return -1;
		o = &objects[count++];
		o->n = 0;
		p++;
		for (;;) {
			size_t klen;

			json_space(&p, end);
			if (p < end && *p == '}') {
				p++;
				break;
			}
			if (o->n == 32)
				return -1;
			o->key[o->n] = json_string(&p, end, &klen);
			json_space(&p, end);
			if (o->key[o->n] == NULL || p >= end || *p++ != ':')
				return -1;
			json_space(&p, end);
			o->value[o->n] = json_string(&p, end, &o->length[o->n]);
			if (o->value[o->n] == NULL)
				return -1;
			o->n++;
			json_space(&p, end);
			if (p < end && *p == ',')
				p++;
		}
		json_space(&p, end);
		if (!array)
			return count;
		if (p < end && *p == ',')
			p++;
	}
}

static void
free_objects(struct jobject *objects, long n)
{
	long i;
	size_t k;

	for (i = 0; i < n; i++)
		for (k = 0; k < objects[i].n; k++) {
			free(objects[i].key[k]);
			free(objects[i].value[k]);
		}
}

/*
 * One csv-spectrum case: the header gives the keys, each record must
 * equal its object (skip names a key left out of the comparison).
 */
static void
spectrum_case(const char *name, const char *skip)
{
	char relative[256];
	struct jobject objects[8];
	struct result res;
	const char *path;
	char *json, *csv;
	size_t jsize, csize, i, k;
	long n;

	memset(objects, 0, sizeof(objects));
	snprintf(relative, sizeof(relative), "csv-spectrum/json/%s.json",
	    name);
	json = slurp(cpath(relative), &jsize);
	n = json_objects(json, jsize, objects, 8);
	free(json);
	if (n < 0) {
		printf("  %s: cannot read %s\n", __FILE__, relative);
		check_failures++;
		return;
	}
	snprintf(relative, sizeof(relative), "csv-spectrum/csvs/%s.csv", name);
	path = cpath(relative);
	csv = slurp(path, &csize);
	/*
	 * The suite's .gitattributes says csvs/\*_crlf.csv eol=crlf, but
	 * the copy here holds the LF blobs (contrary to its README): make
	 * the CRLF file the suite means, and also check the LF one reads
	 * as its LF twin.
	 */
	if (strstr(name, "_crlf") != NULL && memchr(csv, '\r', csize) == NULL) {
		char *crlf = malloc(csize * 2 + 1);
		size_t m = 0;

		if (crlf == NULL)
			die("malloc");
		for (i = 0; i < csize; i++) {
			if (csv[i] == '\n')
				crlf[m++] = '\r';
			crlf[m++] = csv[i];
		}
		path = temp_file(name, crlf, m);
		free(crlf);
	}
	free(csv);
	read_both(&res, path, &plain, 10);
	EXPECT_CLEAN(&res);
	if (res.opened && (long)res.nrec != n) {
		printf("  %s: %zu records, the JSON has %ld\n", name, res.nrec,
		    n);
		check_failures++;
	}
	for (i = 0; res.opened && i < res.nrec && (long)i < n; i++) {
		const struct jobject *o = &objects[i];

		if (o->n != res.header.nfields || res.rec[i].nfields !=
		    res.header.nfields) {
			printf("  %s: record %zu has %zu fields, the header "
			    "%zu, the object %zu\n", name, i + 1,
			    res.rec[i].nfields, res.header.nfields, o->n);
			check_failures++;
			continue;
		}
		for (k = 0; k < o->n; k++) {
			long col = -1;
			size_t h;

			for (h = 0; h < res.header.nfields; h++)
				if (strcmp(res.header.field[h], o->key[k]) == 0)
					col = (long)h;
			if (col < 0) {
				printf("  %s: no column \"%s\"\n", name,
				    o->key[k]);
				check_failures++;
				continue;
			}
			if (skip != NULL && strcmp(o->key[k], skip) == 0)
				continue;
			if (res.rec[i].length[col] != o->length[k] ||
			    memcmp(res.rec[i].field[col], o->value[k],
			    o->length[k]) != 0) {
				printf("  %s: record %zu, %s: ", name, i + 1,
				    o->key[k]);
				show_bytes(res.rec[i].field[col],
				    res.rec[i].length[col]);
				printf(", want ");
				show_bytes(o->value[k], o->length[k]);
				putchar('\n');
				check_failures++;
			}
		}
	}
	free_result(&res);
	free_objects(objects, n);
}

#define SPECTRUM(name) \
static void test_spectrum_##name(void) { spectrum_case(#name, NULL); }

SPECTRUM(comma_in_quotes)
SPECTRUM(empty)
SPECTRUM(empty_crlf)
SPECTRUM(escaped_quotes)
SPECTRUM(json)
SPECTRUM(newlines)
SPECTRUM(newlines_crlf)
SPECTRUM(quotes_and_newlines)
SPECTRUM(simple)
SPECTRUM(simple_crlf)
SPECTRUM(utf8)

/*
 * The suite's known fault: the JSON gives the phone number 1234567890
 * where the CSV holds 2095257564, so that field is compared with the
 * CSV's own value here.  The bare quotes inside the unquoted
 * coordinates are text, as the suite expects.
 */
static void
test_spectrum_location_coordinates(void)
{
	struct result res;

	spectrum_case("location_coordinates", "Contact Phone Number");
	read_both(&res, cpath("csv-spectrum/csvs/location_coordinates.csv"),
	    &plain, 10);
	EXPECT_RECORD(&res, 0, "2095257564",
	    "37\xef\xbf\xbd" "36'37.8\"N 121\xef\xbf\xbd" "2'17.9\"W",
	    "Modesto", "Stanislaus");
	free_result(&res);
}

/* The LF copies of the *_crlf files read as their LF twins. */
static void
test_spectrum_crlf_blobs(void)
{
	static const char *const pairs[][2] = {
		{ "csv-spectrum/csvs/empty_crlf.csv",
		    "csv-spectrum/csvs/empty.csv" },
		{ "csv-spectrum/csvs/newlines_crlf.csv",
		    "csv-spectrum/csvs/newlines.csv" },
		{ "csv-spectrum/csvs/simple_crlf.csv",
		    "csv-spectrum/csvs/simple.csv" },
	};
	struct result a, b;
	size_t i, k;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		read_both(&a, cpath(pairs[i][0]), &plain, 10);
		read_both(&b, cpath(pairs[i][1]), &plain, 10);
		CHECK(a.opened && b.opened);
		CHECK(same_fields(&a.header, &b.header));
		CHECK_INT(a.nrec, b.nrec);
		for (k = 0; k < a.nrec && k < b.nrec; k++)
			CHECK(same_fields(&a.rec[k], &b.rec[k]));
		free_result(&a);
		free_result(&b);
	}
}

/* ---- commons-csv ---- */

/* Arrays.toString() of the record: "[a, b, c]". */
static char *
java_list(const struct copy *c, const char *empty)
{
	size_t i, n = 3;
	char *out, *p;

	for (i = 0; i < c->nfields; i++)
		n += c->length[i] + 2 + strlen(empty);
	out = p = malloc(n);
	if (out == NULL)
		die("malloc");
	*p++ = '[';
	for (i = 0; i < c->nfields; i++) {
		if (i > 0) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		if (c->length[i] == 0) {
			memcpy(p, empty, strlen(empty));
			p += strlen(empty);
		} else {
			memcpy(p, c->field[i], c->length[i]);
			p += c->length[i];
		}
	}
	*p++ = ']';
	*p = '\0';
	return out;
}

/*
 * A CSVFileParser control file (its README.txt): the first line names
 * the data file and options, the second is the format, then "n:[...]"
 * per record; lines starting with '#' are comments.  Compares records
 * of res in order, leaving out "1:[]" entries when skip_blank (an empty
 * line is a record to commons-csv without IgnoreEmpty; the reader skips
 * blank lines).  Returns the number of entries compared.
 */
static size_t
compare_control(const struct result *res, const char *control,
    int skip_blank, size_t limit)
{
	char *text, *line, *next;
	size_t size, index = 0, lineno = 0, compared = 0;

	text = slurp(cpath(control), &size);
	for (line = text; line != NULL && *line != '\0'; line = next) {
		char *colon, *got;
		unsigned long n;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (++lineno <= 2 || *line == '#')
			continue;
		if (skip_blank && strcmp(line, "1:[]") == 0)
			continue;
		if (compared == limit)
			break;
		n = strtoul(line, &colon, 10);
		if (*colon != ':' || index >= res->nrec) {
			printf("  %s line %zu: \"%s\": no record %zu\n",
			    control, lineno, line, index + 1);
			check_failures++;
			break;
		}
		got = java_list(&res->rec[index], "");
		if (n != res->rec[index].nfields ||
		    strcmp(got, colon + 1) != 0) {
			printf("  %s line %zu: want %s, got %zu:%s\n", control,
			    lineno, line, res->rec[index].nfields, got);
			check_failures++;
		}
		free(got);
		index++;
		compared++;
	}
	free(text);
	return compared;
}

/*
 * test.csv's line 7, " i ", " j " , " k "," l " , ends with a space after
 * the closing quote of " l ": commons-csv drops it, the reader rejects
 * text after a closing quote.  So test.csv itself stops at line 7, and a
 * copy without that one space is compared with the whole control file.
 * The reader has no header here (-H): commons-csv reads the first line
 * as a record too (SkipHeaderRecord:false).
 */
static const char *
test_csv_fixed(void)
{
	static const char *fixed;
	char *text, *at;
	size_t size;

	if (fixed != NULL)
		return fixed;
	text = slurp(cpath("commons-csv/resources/CSVFileParser/test.csv"),
	    &size);
	at = strstr(text, "\" l \" \n");
	CHECK(at != NULL);
	if (at != NULL) {
		memmove(at + 5, at + 6, size - (size_t)(at - text) - 5);
		size--;
	}
	fixed = temp_file("test-fixed.csv", text, size);
	free(text);
	return fixed;
}

static void
test_commons_test_csv(void)
{
	struct ka_reader_options options = plain;
	const char *path = cpath("commons-csv/resources/CSVFileParser/"
	    "test.csv");
	struct result res;

	options.no_header = 1;
	options.allow_ragged = 1;
	read_both(&res, path, &options, 10);
	CHECK_INT(res.nrec, 6);
	CHECK_INT(res.end, -1);
	CHECK_STR(res.fatal, path_message(path, ":7: text after the closing "
	    "quote of a field (a quote inside quotes must be doubled)"));
	CHECK_INT(res.fatal_column, 4);
	/* Up to there it is what the control files say. */
	CHECK_INT(compare_control(&res, "commons-csv/resources/CSVFileParser/"
	    "test_default.txt", 0, 6), 6);
	free_result(&res);
}

static void
test_commons_test_default(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	options.no_header = 1;
	options.allow_ragged = 1;
	read_both(&res, test_csv_fixed(), &options, 10);
	EXPECT_CLEAN(&res);
	/* IgnoreEmpty=true: exactly the reader's rules. */
	CHECK_INT(compare_control(&res, "commons-csv/resources/CSVFileParser/"
	    "test_default.txt", 0, SIZE_MAX), 13);
	CHECK_INT(res.nrec, 13);
	free_result(&res);
}

static void
test_commons_test_rfc4180(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	options.no_header = 1;
	options.allow_ragged = 1;
	read_both(&res, test_csv_fixed(), &options, 10);
	/* Plain RFC 4180 but for its three "1:[]": blank lines, skipped. */
	CHECK_INT(compare_control(&res, "commons-csv/resources/CSVFileParser/"
	    "test_rfc4180.txt", 1, SIZE_MAX), 13);
	CHECK_INT(res.nrec, 13);
	/* The quoted "D" in the header line and the empty quoted values. */
	if (res.nrec == 13) {
		CHECK(fields_are(&res.rec[0], F("A", "B", "C", "D")));
		CHECK(fields_are(&res.rec[10], F("", "", "", "")));
		CHECK_INT(res.rec[12].line, 16);
	}
	free_result(&res);
}

/*
 * bom.csv: the BOM goes, so the first column is "Date"; the spaces
 * after the commas stay in the names (no trimming).
 */
static void
test_commons_bom(void)
{
	struct result res;
	size_t i, six = 0;

	read_both(&res, cpath("commons-csv/resources/CSVFileParser/bom.csv"),
	    &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "Date", " Open", " High", " Low", " Close",
	    " Volume");
	CHECK_INT(res.nrec, 251);
	EXPECT_RECORD(&res, 0, "14-Mar-14", "223.80", "225.20", "220.85",
	    "221.51", "79448141");
	for (i = 0; i < res.nrec; i++)
		six += res.rec[i].nfields == 6;
	CHECK_INT(six, res.nrec);
	free_result(&res);
}

#define EMOJI10	"\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84" \
	"\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84" \
	"\xf0\x9f\x98\x84\xf0\x9f\x98\x84\xf0\x9f\x98\x84"

/* CSV-196: four-byte UTF-8 in every field. */
static void
test_commons_csv196_emoji(void)
{
	struct result res;
	size_t i, k, bad = 0;

	read_both(&res, cpath("commons-csv/resources/CSV-196/emoji.csv"),
	    &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "id", "val1", "val2", "val3", "val4", "val5",
	    "val6", "val7", "val8", "val9", "val10", "val11", "val12",
	    "val13", "val14", "val15");
	CHECK_INT(res.nrec, 4);
	for (i = 0; i < res.nrec; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%zu", i + 1);
		if (res.rec[i].nfields != 16 ||
		    strcmp(res.rec[i].field[0], id) != 0)
			bad++;
		for (k = 1; k < res.rec[i].nfields; k++)
			bad += strcmp(res.rec[i].field[k], EMOJI10) != 0;
	}
	CHECK_INT(bad, 0);
	free_result(&res);
}

/* CSV-196: Japanese text, and no final newline. */
static void
test_commons_csv196_japanese(void)
{
	static const char text[] = "きちんと節分近くには咲いてる。自然の力って"
	    "すごいな～";
	struct result res;
	size_t i;

	read_both(&res, cpath("commons-csv/resources/CSV-196/japanese.csv"),
	    &plain, 10);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.header.nfields, 17);
	CHECK_INT(res.nrec, 3);
	for (i = 0; i < res.nrec && i < 3; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%014zu", i + 1);
		expect_fields_at(__LINE__, id, &res.rec[i], F(id,
		    "2017-01-01", text, "v2", "v3", "v4", "v5", "v6", "v7",
		    "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15"));
	}
	free_result(&res);
}

/*
 * CSV-290: PostgreSQL's CSV output (no header: -H); quoted LF and CR
 * inside fields, each a physical line.
 */
static void
test_commons_csv290_psql_csv(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	options.no_header = 1;
	read_both(&res, cpath("commons-csv/resources/CSV-290/psql.csv"),
	    &options, 10);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.nrec, 3);
	EXPECT_RECORD(&res, 0, "1", "abc", "test line 1\ntest line 2", "", "");
	EXPECT_RECORD(&res, 1, "2", "xyz", "\\b:\b \\t:\t \\n:\n \\r:\r", "a",
	    "b");
	EXPECT_RECORD(&res, 2, "3", "a", "b,c,d", "\"quoted\"", "e");
	if (res.nrec == 3) {
		CHECK_INT(res.rec[1].line, 3);
		CHECK_INT(res.rec[1].end_line, 5);
		CHECK_INT(res.rec[2].line, 6);
	}
	free_result(&res);
}

/*
 * CSV-290: the same data in PostgreSQL's text format.  The reader has
 * no backslash escapes, so \n, \\ and \N stay as written; quotes quote
 * as in CSV, so "quoted" loses them where PostgreSQL keeps them.  The
 * fields without either equal the CSV's.
 */
static void
test_commons_csv290_psql_tsv(void)
{
	struct ka_reader_options options = plain;
	struct result res;

	options.no_header = 1;
	read_both(&res, cpath("commons-csv/resources/CSV-290/psql.tsv"),
	    &options, 10);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.delimiter, '\t');
	CHECK_INT(res.nrec, 3);
	EXPECT_RECORD(&res, 0, "1", "abc", "test line 1\\ntest line 2", "\\N",
	    "");
	EXPECT_RECORD(&res, 1, "2", "xyz",
	    "\\\\b:\\b \\\\t:\\t \\\\n:\\n \\\\r:\\r", "a", "b");
	EXPECT_RECORD(&res, 2, "3", "a", "b,c,d", "quoted", "e");
	free_result(&res);
}

/*
 * The other commons-csv resources have no expected values a plain
 * RFC 4180 reader shares (they test escapes, comments, trimming); what
 * the reader does with each is asserted here.
 */
static void
test_commons_others(void)
{
	struct ka_reader_options ragged = plain;
	struct result res;
	const char *path;

	ragged.allow_ragged = 1;
	/* CSV-141 uses '\' as an escape: by RFC 4180 the quote of
	 * "...:\" closes it, and the quote opened on line 3 is closed by
	 * the first one of line 4, followed by text. */
	path = cpath("commons-csv/resources/CSV-141/csv-141.csv");
	read_both(&res, path, &plain, 10);
	EXPECT_HEADER(&res, "1414770317901", "android.widget.EditText",
	    "pass sem1 _84*|*", "0", "pass sem1 _8");
	CHECK_INT(res.nrec, 1);
	EXPECT_RECORD(&res, 0, "1414770318470", "android.widget.EditText",
	    "pass sem1 _84:|", "0", "pass sem1 _84:\\");
	CHECK_STR(res.fatal, path_message(path, ":4: text after the closing "
	    "quote of the field that starts on line 3 (a quote inside quotes "
	    "must be doubled)"));
	free_result(&res);

	/* CSV-213: ';' sniffed, quoted values. */
	read_both(&res, cpath("commons-csv/resources/CSV-213/"
	    "999751170.patch.csv"), &plain, 10);
	CHECK_INT(res.delimiter, ';');
	EXPECT_HEADER(&res, "CHANELID", "ADDRESS");
	EXPECT_RECORD(&res, 0, "27", "");
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* CSV-254: empty last fields, quoted or not. */
	read_both(&res, cpath("commons-csv/resources/CSV-254/csv-254.csv"),
	    &plain, 10);
	EXPECT_HEADER(&res, "AA", "33", "");
	EXPECT_RECORD(&res, 0, "AA", "", "");
	EXPECT_RECORD(&res, 1, "", "33", "CC");
	EXPECT_CLEAN(&res);
	free_result(&res);

	/* csv-167: no comment lines, so "# ..." lines are records. */
	read_both(&res, cpath("commons-csv/resources/csv-167/sample1.csv"),
	    &ragged, 10);
	EXPECT_HEADER(&res, "# Comment before header");
	CHECK_INT(res.nrec, 7);
	EXPECT_RECORD(&res, 0, "author", "title", "publishDate");
	EXPECT_RECORD(&res, 1, "Dan Simmons", "Hyperion", "1989");
	EXPECT_RECORD(&res, 2, "# Comment Line 1");
	EXPECT_RECORD(&res, 5, "Douglas Adams",
	    "The Hitchhiker's \\\"Guide\\\" to the Galaxy", "1979");
	free_result(&res);

	/* CSV-259: header only, no final newline. */
	read_both(&res, cpath("commons-csv/resources/CSV-259/sample.txt"),
	    &plain, 10);
	EXPECT_HEADER(&res, "x", "y", "z");
	CHECK_INT(res.nrec, 0);
	free_result(&res);

	/* empty.txt: no columns, no records. */
	read_both(&res, cpath("commons-csv/resources/empty.txt"), &plain, 10);
	CHECK(res.opened);
	CHECK_INT(res.header.nfields, 0);
	CHECK_INT(res.nrec, 0);
	free_result(&res);

	/* CSV-248: a serialized Java object, not text: rejected. */
	path = cpath("commons-csv/resources/CSV-248/csvRecord.bin");
	read_both(&res, path, &plain, 10);
	CHECK(!res.opened);
	CHECK_STR(res.open_error, path_message(path, ":1: NUL byte in column "
	    "1 (is this UTF-16 or binary data? try --encoding)"));
	free_result(&res);

	/* testCSV85 / testCSV246: comments, which the reader does not
	 * have; the data records are as the control files say. */
	read_both(&res, cpath("commons-csv/resources/CSVFileParser/"
	    "testCSV85.csv"), &ragged, 10);
	EXPECT_HEADER(&res, "# Comment 1");
	CHECK_INT(res.nrec, 7);
	EXPECT_RECORD(&res, 0, "a", "b", "c", "e", "f");
	EXPECT_RECORD(&res, 3, "g", "h", "i", "j", "k");
	EXPECT_RECORD(&res, 6, "l", "m", "n", "o", "p");
	free_result(&res);
}

/* ---- univocity ---- */

/* Fields equal with LF, CRLF or CR inside read as LF. */
static int
same_but_line_ends(const struct copy *a, const struct copy *b)
{
	size_t i, x, y;

	if (a->nfields != b->nfields)
		return 0;
	for (i = 0; i < a->nfields; i++) {
		const char *p = a->field[i], *q = b->field[i];

		for (x = y = 0; x < a->length[i] && y < b->length[i];
		    x++, y++) {
			char c = p[x], d = q[y];

			if (c == '\r') {
				c = '\n';
				if (x + 1 < a->length[i] && p[x + 1] == '\n')
					x++;
			}
			if (d == '\r') {
				d = '\n';
				if (y + 1 < b->length[i] && q[y + 1] == '\n')
					y++;
			}
			if (c != d)
				return 0;
		}
		if (x != a->length[i] || y != b->length[i])
			return 0;
	}
	return 1;
}

/*
 * The same content with LF, CRLF and CR-only line ends gives the same
 * records, lines and end.  Line 17 has a tab after a closing quote, so
 * all three stop there alike (leniently, libcsv used to take lines 17
 * to 22 into one record of five fields).
 */
static void
line_end_triplet(const char *lf, const char *crlf, const char *cr,
    size_t records, unsigned long stop)
{
	const char *paths[3];
	struct result res[3];
	size_t i, k;

	paths[0] = cpath(lf);
	paths[1] = cpath(crlf);
	paths[2] = cpath(cr);
	for (i = 0; i < 3; i++) {
		read_both(&res[i], paths[i], &plain, 10);
		CHECK(res[i].opened);
		CHECK_INT(res[i].nrec, records);
		CHECK_INT(res[i].end, -1);
		CHECK_STR(res[i].fatal, path_message(paths[i], ":%lu: text "
		    "after the closing quote of a field (a quote inside quotes "
		    "must be doubled)", stop));
	}
	for (i = 1; i < 3; i++) {
		CHECK(same_fields(&res[0].header, &res[i].header));
		CHECK_INT(res[i].nrec, res[0].nrec);
		for (k = 0; k < res[0].nrec && k < res[i].nrec; k++) {
			const struct copy *a = &res[0].rec[k];
			const struct copy *b = &res[i].rec[k];

			if (!same_but_line_ends(a, b) || a->line != b->line ||
			    a->end_line != b->end_line ||
			    a->status != b->status) {
				printf("  %s vs %s: record %zu differs\n", lf,
				    i == 1 ? crlf : cr, k + 1);
				show_copy("LF", a);
				show_copy("other", b);
				check_failures++;
			}
		}
	}
	for (i = 0; i < 3; i++)
		free_result(&res[i]);
}

static void
test_univocity_line_ends_csv(void)
{
	struct result res;

	line_end_triplet("univocity/resources/csv/essential.csv",
	    "univocity/resources/csv/essential-dos.csv",
	    "univocity/resources/csv/essential-mac.csv", 12, 17);
	/* A few of the records: the preamble line is the header; the
	 * quoted newline is kept as written (LF here). */
	read_both(&res, cpath("univocity/resources/csv/essential.csv"),
	    &plain, 10);
	EXPECT_RECORD(&res, 0, "Year", "Make", "Model", "Description",
	    "Price");
	EXPECT_RECORD(&res, 2, "1999", "Chevy", "Venture \"Extended Edition\"",
	    "", "4900.00");
	EXPECT_RECORD(&res, 4, "1996", "Jeep", "Grand Cherokee",
	    "MUST SELL!\nair, moon roof, loaded", "4799.00");
	EXPECT_RECORD(&res, 9, " ", " ", " ", " ", " ");
	if (res.nrec > 4) {
		CHECK_INT(res.rec[4].line, 8);
		CHECK_INT(res.rec[4].end_line, 9);
	}
	free_result(&res);
}

static void
test_univocity_line_ends_tsv(void)
{
	struct result res;

	line_end_triplet("univocity/resources/tsv/essential.tsv",
	    "univocity/resources/tsv/essential-dos.tsv",
	    "univocity/resources/tsv/essential-mac.tsv", 18, 22);
	read_both(&res, cpath("univocity/resources/tsv/essential.tsv"),
	    &plain, 10);
	CHECK_INT(res.delimiter, '\t');
	/* univocity's \n escape is two characters to the reader. */
	EXPECT_RECORD(&res, 4, "1996", "Jeep", "Grand Cherokee",
	    "MUST SELL!\\nair, moon roof, loaded", "4799.00");
	EXPECT_RECORD(&res, 12, "1997 ", " Ford ", "E350", "ac, abs, moon\\t",
	    " \"3000.00\" \\t");
	free_result(&res);
}

/*
 * example.csv / example.tsv against univocity's expected output
 * ("N [a, b, ...]" blocks, null for empty).  univocity skips '#'
 * comments and lines of spaces; the reader returns those as records,
 * so they are dropped here before comparing.  In the .tsv, univocity
 * turns \n into a newline; the reader keeps the two characters.
 */
static void
univocity_example(const char *data, const char *expected, int tsv)
{
	struct ka_reader_options options = plain;
	struct result res;
	char *text, *block, *next, *got;
	size_t size, i, kept = 0, blocks = 0;

	options.no_header = 1;
	options.allow_ragged = 1;
	read_both(&res, cpath(data), &options, 10);
	EXPECT_CLEAN(&res);
	text = slurp(cpath(expected), &size);
	block = text;
	for (i = 0; i < res.nrec; i++) {
		const struct copy *c = &res.rec[i];
		char *want, *p;
		size_t k;

		if (c->length[0] > 0 && c->field[0][0] == '#')
			continue;
		if (c->nfields == 1 && strspn(c->field[0], " \t") ==
		    c->length[0])
			continue;
		kept++;
		next = strstr(block, "\n-----------------------\n");
		if (next == NULL) {
			printf("  %s: no block for record %zu\n", expected, i);
			check_failures++;
			break;
		}
		*next = '\0';
		want = strchr(block, ' ');
		blocks++;
		if (want == NULL || (size_t)strtoul(block, NULL, 10) != kept) {
			printf("  %s: block \"%s\"\n", expected, block);
			check_failures++;
			break;
		}
		want++;
		if (tsv)
			while ((p = strchr(want, '\n')) != NULL) {
				memmove(p + 2, p + 1, strlen(p + 1) + 1);
				p[0] = '\\';
				p[1] = 'n';
			}
		got = java_list(c, "null");
		if (strcmp(got, want) != 0) {
			printf("  %s: block %zu: got %s, want %s\n", expected,
			    kept, got, want);
			check_failures++;
		}
		free(got);
		for (k = 0; k < 25 && next[k] != '\0'; k++)
			;
		block = next + 25;
	}
	CHECK_INT(kept, 6);
	CHECK_INT(blocks, 6);
	free(text);
	free_result(&res);
}

static void
test_univocity_example_csv(void)
{
	univocity_example("univocity/resources/examples/example.csv",
	    "univocity/resources/examples/expectedOutputs/CsvParserExamples/"
	    "example001ParseAll", 0);
}

static void
test_univocity_example_tsv(void)
{
	univocity_example("univocity/resources/examples/example.tsv",
	    "univocity/resources/examples/expectedOutputs/TsvParserExamples/"
	    "example001ParseAll", 1);
}

/*
 * uk-500.csv: 500 people, every field quoted, CR-only line ends; the
 * same with LF gives the same records, and both equal the reference.
 */
static void
test_univocity_uk500_cr(void)
{
	const char *path = cpath("univocity/resources/issues/github_194/"
	    "uk-500.csv");
	struct result cr, lf;
	char *text;
	size_t size, i, eleven = 0;

	text = slurp(path, &size);
	CHECK(memchr(text, '\n', size) == NULL);
	for (i = 0; i < size; i++)
		if (text[i] == '\r')
			text[i] = '\n';
	read_both(&cr, path, &plain, 30);
	read_both(&lf, temp_file("uk-500-lf.csv", text, size), &plain, 30);
	free(text);
	EXPECT_CLEAN(&cr);
	CHECK_INT(cr.nrec, 500);
	CHECK(same_reading(&cr, &lf, 0) || (printf("  (CR vs LF)\n"), 0));
	EXPECT_REFERENCE(&cr, path, ',', 0);
	EXPECT_HEADER(&cr, "first_name", "last_name", "company_name",
	    "address", "city", "county", "postal", "phone1", "phone2", "email",
	    "web");
	EXPECT_RECORD(&cr, 0, "Aleshia", "Tomkiewicz",
	    "Alan D Rosenburg Cpa Pc", "14 Taylor St", "St. Stephens Ward",
	    "Kent", "CT2 7PP", "01835-703597", "01944-369967",
	    "atomkiewicz@hotmail.com",
	    "http://www.alandrosenburgcpapc.co.uk");
	for (i = 0; i < cr.nrec; i++)
		eleven += cr.rec[i].nfields == 11 && cr.rec[i].line == i + 2;
	CHECK_INT(eleven, 500);
	free_result(&cr);
	free_result(&lf);
}

/* ---- zsv-testdata ---- */

/*
 * bigger-than-buff.csv: line 2 is 300,003 bytes, "XXX," then one quoted
 * field with a doubled quote 262,143 bytes in; the expected field is
 * taken from the file's own bytes.
 */
static void
test_zsv_bigger_than_buff(void)
{
	const char *path = cpath("zsv-testdata/data/bigger-than-buff.csv");
	struct result res;
	char *text, *line2, *end, *want, *w;
	size_t size;
	const char *p;

	text = slurp(path, &size);
	line2 = strchr(text, '\n');
	CHECK(line2 != NULL);
	if (line2 == NULL) {
		free(text);
		return;
	}
	line2++;
	end = strchr(line2, '\n');
	CHECK(end != NULL && end - line2 == 300003);
	CHECK(strncmp(line2, "XXX,\"", 5) == 0 && end[-1] == '"');
	want = w = malloc(300003);
	if (want == NULL)
		die("malloc");
	for (p = line2 + 5; p < end - 1; p++) {
		*w++ = *p;
		if (*p == '"')
			p++;		/* "" is one quote */
	}
	*w = '\0';
	CHECK_INT(w - want, 299996);
	read_both(&res, path, &plain, 30);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "XX", "XXXXXXXXXXX");
	CHECK_INT(res.nrec, 2);
	EXPECT_RECORD(&res, 0, "XXX", want);
	EXPECT_RECORD(&res, 1, "XXX", "XXX");
	EXPECT_REFERENCE(&res, path, ',', 0);
	free(want);
	free(text);
	free_result(&res);
}

/* 712 KB with quotes across the reader's buffer boundaries. */
static void
test_zsv_buffsplit_quote(void)
{
	const char *path = cpath("zsv-testdata/data/test/buffsplit_quote.csv");
	struct result res;
	size_t i, wide = 0;

	read_both(&res, path, &plain, 60);
	EXPECT_CLEAN(&res);
	CHECK_INT(res.header.nfields, 86);
	CHECK_INT(res.nrec, 999);
	for (i = 0; i < res.nrec; i++)
		wide += res.rec[i].nfields == 86;
	CHECK_INT(wide, res.nrec);
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);
}

/* LF, CRLF and CR mixed in one file; rows of unequal length. */
static void
test_zsv_line_endings(void)
{
	struct ka_reader_options ragged = plain;
	struct result res;
	const char *path;

	path = cpath("zsv-testdata/data/test/mixed-line-endings.csv");
	read_both(&res, path, &plain, 30);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "HA1", " HB1", " HC1");
	EXPECT_RECORD(&res, 2, "A1", " B1", " C1");
	EXPECT_RECORD(&res, 6, "A5", " B5", " C5");
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);

	path = cpath("zsv-testdata/data/test/crlf-line-ending.csv");
	read_both(&res, path, &plain, 30);
	EXPECT_CLEAN(&res);
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);

	ragged.allow_ragged = 1;
	path = cpath("zsv-testdata/data/test/crlf-2.csv");
	read_both(&res, path, &ragged, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "a", "b", "c", "d");
	CHECK_INT(res.nrec, 4);
	EXPECT_RECORD(&res, 0, "1", "2");
	EXPECT_RECORD(&res, 1, "2", "3", "4");
	EXPECT_RECORD(&res, 2, "2", "2");
	EXPECT_RECORD(&res, 3, "2", "3", "4");
	EXPECT_REFERENCE(&res, path, ',', 1);
	free_result(&res);
}

/* no-eol-1..3 lack a final newline; no-eol-4 is the control. */
static void
test_zsv_no_eol(void)
{
	static const char *const last[] = { "4", "", "4", " ", "4", NULL };
	struct result res;
	char relative[64];
	int i;

	for (i = 1; i <= 4; i++) {
		snprintf(relative, sizeof(relative),
		    "zsv-testdata/data/test/no-eol-%d.csv", i);
		read_both(&res, cpath(relative), &plain, 10);
		EXPECT_HEADER(&res, "one", "two");
		EXPECT_RECORD(&res, 0, "1", "2");
		EXPECT_RECORD(&res, 1, "3", "");
		if (i == 1 || i == 2) {
			CHECK_INT(res.nrec, 3);
			EXPECT_RECORD(&res, 2, last[0],
			    last[2 * (i - 1) + 1]);
			EXPECT_CLEAN(&res);
		} else if (i == 3) {
			/* "4" alone: one field, the header has two. */
			CHECK_INT(res.nrec, 3);
			EXPECT_RECORD(&res, 2, "4");
			CHECK(res.nrec == 3 &&
			    res.rec[2].status == KA_READ_FIELD_COUNT);
		} else {
			CHECK_INT(res.nrec, 2);
			EXPECT_CLEAN(&res);
		}
		free_result(&res);
	}
}

/* Quoted newlines, LF and CRLF: kept as written, lines counted. */
static void
test_zsv_embedded(void)
{
	struct result res;
	const char *path;

	path = cpath("zsv-testdata/data/test/embedded.csv");
	read_both(&res, path, &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_RECORD(&res, 0, "d\ne\nf", "g", "h");
	EXPECT_RECORD(&res, 1, "i", "j\nk", "l");
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);

	path = cpath("zsv-testdata/data/test/embedded_dos.csv");
	read_both(&res, path, &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_RECORD(&res, 0, "d\r\ne\r\nf", "g", "h");
	EXPECT_RECORD(&res, 1, "i", "j\r\nk", "l");
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);

	/* Excel's "Unicode text" shape: quoted tab and newline, CRLF. */
	path = cpath("zsv-testdata/data/Excel.tsv");
	read_both(&res, path, &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "comma,c", "newline\nf");
	EXPECT_RECORD(&res, 0, "ghi", "tab\tk");
	EXPECT_RECORD(&res, 1, "backslash\\hi", "quote\"there");
	CHECK(res.nrec == 2 && res.rec[0].line == 3);
	free_result(&res);
}

/*
 * Quotes: doubled ones, quoted newlines, and bare quotes inside
 * unquoted fields (text, as zsv's README expects: 12" monitor, say
 * "hello" world).  quoted2.csv's "bc"d has text after a closing quote:
 * rejected.  quoted3.csv never closes its quote: rejected.
 */
static void
test_zsv_quoted(void)
{
	struct result res;
	const char *path;

	read_both(&res, cpath("zsv-testdata/data/quoted.csv"), &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "aaa", "bbb", "ccc");
	EXPECT_RECORD(&res, 0, "a\"aa", "bbb", "ccc");
	EXPECT_RECORD(&res, 1, "a\naa\"a\na", "b\"b", "cc\"c");
	free_result(&res);

	path = cpath("zsv-testdata/data/quoted2.csv");
	read_both(&res, path, &plain, 10);
	EXPECT_HEADER(&res, "a", "b\"c\"d", "e");
	CHECK_INT(res.nrec, 0);
	CHECK_STR(res.fatal, path_message(path, ":2: text after the closing "
	    "quote of a field (a quote inside quotes must be doubled)"));
	free_result(&res);

	read_both(&res, cpath("zsv-testdata/data/quoted4.csv"), &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "abc", "de\"f\"", "ghi");
	EXPECT_RECORD(&res, 0, "1", "2", "3");
	free_result(&res);

	path = cpath("zsv-testdata/data/test/quoted3.csv");
	read_both(&res, path, &plain, 10);
	CHECK_INT(res.nrec, 0);
	CHECK_STR(res.fatal, path_message(path, ":2: unterminated quote: the "
	    "quoted field that starts on this line runs to the end of "
	    "input"));
	free_result(&res);

	path = cpath("zsv-testdata/data/test/quoted_nonstandard.csv");
	read_both(&res, path, &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_RECORD(&res, 0, "v0_0", "v0_1", "hello, world", "v0_3",
	    "12\" monitor", "v0_5", "line1\nline2", "v0_7",
	    "say \"hello\" world", "v0_9");
	EXPECT_REFERENCE(&res, path, ',', 0);
	free_result(&res);
}

/* Latin-1 and a lone surrogate: records returned with the status. */
static void
test_zsv_invalid_utf8(void)
{
	struct result res;
	const char *path;
	size_t i, bad = 0;

	path = cpath("zsv-testdata/data/test/latin1.csv");
	read_both(&res, path, &plain, 10);
	CHECK_INT(res.nrec, 7);
	CHECK_INT(res.end, 0);
	for (i = 0; i < res.nrec; i++)
		bad += res.rec[i].status == KA_READ_BAD_UTF8;
	CHECK_INT(bad, 4);
	if (res.nrec > 0)
		CHECK_STR(res.rec[0].error, path_message(path, ":2: invalid "
		    "UTF-8 (byte 0xe9) in column 2; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
	free_result(&res);

	path = cpath("zsv-testdata/data/test/invalid_surrogate_pair.csv");
	read_both(&res, path, &plain, 10);
	CHECK(res.nrec >= 1 && res.rec[0].status == KA_READ_BAD_UTF8);
	if (res.nrec >= 1) {
		CHECK_INT(res.rec[0].column, 3);
		CHECK_STR(res.rec[0].error, path_message(path, ":2: invalid "
		    "UTF-8 (byte 0xed) in column 3; if the file is in another "
		    "encoding, give --encoding (e.g. GB18030, WINDOWS-1252, "
		    "UTF-16LE)"));
	}
	free_result(&res);
}

/* Spaces kept; rows of commas are records; a header alone. */
static void
test_zsv_misc(void)
{
	struct ka_reader_options ragged = plain;
	struct result res;

	read_both(&res, cpath("zsv-testdata/data/test/white.csv"), &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_RECORD(&res, 0, "   aa  a     aaa  a", "b bb\nbb  b ",
	    " c  c");
	free_result(&res);

	read_both(&res, cpath("zsv-testdata/data/test/header-only.csv"),
	    &plain, 10);
	EXPECT_CLEAN(&res);
	EXPECT_HEADER(&res, "Name", "Address", "Mobile");
	CHECK_INT(res.nrec, 0);
	free_result(&res);

	/* Leading rows of empty fields are not blank lines. */
	ragged.allow_ragged = 1;
	read_both(&res, cpath("zsv-testdata/data/test/blank-leading-rows.csv"),
	    &ragged, 10);
	CHECK_INT(res.header.nfields, 11);
	EXPECT_RECORD(&res, 0, "", "", "", "", "", "");
	EXPECT_RECORD(&res, 1, "A1", "B1", "C1", "D1", "E1", "F1", "G1");
	free_result(&res);
}

/* ---- rvl-torture-corpus: every file, its verdict, the reader's ---- */

/*
 * Each file's expected reading.  records: the header, then each data
 * record, joined by "¶"; fields joined by "¦"; "␀" stands for a NUL
 * byte; "" is no columns and no records; NULL when the open fails.
 * statuses: one letter per data record: '.' OK, 'C' field count, 'N'
 * NUL, 'U' bad UTF-8.  error: the open or fatal message after the
 * file's path, or NULL when the input ends normally.  delimiter: what a
 * user passes (--delimiter) where the README names one the reader does
 * not sniff.  why: where the reading differs from the README's verdict.
 */
struct rvl_case {
	const char	*file;
	const char	*verdict;	/* as corpus/README.md says */
	int		 delimiter;
	const char	*records;
	const char	*statuses;
	const char	*error;
	const char	*why;
};

#define NO_SEP	"the reader has no Excel \"sep=\" directive: that line is " \
	"the header"
#define COUNT	"every row must have the header's field count (a status a " \
	"lenient caller rejects the row on)"
#define SPACES	"a line of spaces or tabs is a record, not a blank line " \
	"(no trimming)"

static const struct rvl_case rvl_cases[] = {
	{ "accounting_parentheses.csv", "parse_ok", 0,
	    "id¦amount¶A¦(1,234.56)¶B¦($1,234.56)¶C¦($-1,234.56)¶"
	    "D¦(-1,234.56)¶E¦$1,234.56", ".....", NULL, NULL },
	{ "ambiguous_delimiter.csv", "E_DIALECT", 0,
	    "h1¦h2;h3¶1¦2;3", ".", NULL,
	    "a tie between ',' and ';' goes to ','; the reader does not "
	    "refuse a dialect" },
	{ "backslash_escape.csv", "parse_ok", 0,
	    "sep=¦¶col", "C", ":3: text after the closing quote of a field "
	    "(a quote inside quotes must be doubled)",
	    "no backslash escapes (RFC 4180 only), and " NO_SEP },
	{ "backslash_in_quoted_rfc.csv", "parse_ok", 0,
	    "id¦comment¶1¦path C:\\temp\\file¶2¦literal \\\\ backslash", "..",
	    NULL, NULL },
	{ "basic_new.csv", "parse_ok", 0, "id¦value¶A¦1¶B¦3", "..", NULL,
	    NULL },
	{ "basic_old.csv", "parse_ok", 0, "id¦value¶A¦1¶B¦2", "..", NULL,
	    NULL },
	{ "blank_lines_before_header.csv", "parse_ok", 0,
	    "   ¶\t\t¶id¦value¶A¦1¶B¦2", ".CCC", NULL, SPACES },
	{ "blank_only.csv", "E_HEADERS", 0, " ¶\t", ".", NULL, SPACES },
	{ "blank_records.csv", "parse_ok", 0, "id¦value¶A¦1¶   ¶B¦2", ".C.",
	    NULL, SPACES },
	{ "blank_records_between.csv", "parse_ok", 0,
	    "sep=¦¶id¦value¶1¦10¶¦¶ ¶2¦20", "...C.", NULL,
	    NO_SEP "; " SPACES },
	{ "bom_no_trailing_newline.csv", "parse_ok", 0,
	    "id¦value¶1¦10¶2¦20", "..", NULL, NULL },
	{ "caret_basic.csv", "parse_ok", '^', "id¦value¶A¦1¶B¦2", "..", NULL,
	    NULL },
	{ "caret_delimiter.csv", "parse_ok", '^',
	    "id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "..", NULL, NULL },
	{ "caret_quoted.csv", "parse_ok", '^',
	    "id¦name¦note¶1¦alpha^beta¦caret inside¶2¦gamma¦ok", "..", NULL,
	    NULL },
	{ "control_byte_header.csv", "parse_ok", 0x01,
	    "id¦value¶A¦1¶B¦2", "..", NULL, NULL },
	{ "crlf_line_endings.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20", "..",
	    NULL, NULL },
	{ "currency_values.csv", "parse_ok", 0,
	    "id¦amount¶1¦$1,234.56¶2¦($7,890.00)¶3¦-$12.34", "...", NULL,
	    NULL },
	{ "delim_0x1f.csv", "parse_ok", 0x1f, "id¦value¶A¦1¶B¦2", "..", NULL,
	    NULL },
	{ "duplicate_headers.csv", "E_HEADERS", 0, "name¦name¶A¦B", ".", NULL,
	    "column names are not checked for duplicates (a lookup by name "
	    "finds the first)" },
	{ "empty_fields.csv", "parse_ok", 0,
	    "id¦value¦comment¶1¦¦missing value¶2¦¦¶3¦30¦", "...", NULL,
	    NULL },
	{ "empty_file.csv", "E_HEADERS", 0, "", "", NULL,
	    "an empty file has no columns and no records; what to do with "
	    "that is the program's call" },
	{ "empty_header_names.csv", "parse_ok", 0, "¦value¦¶1¦2¦3", ".",
	    NULL, NULL },
	{ "empty_headers.csv", "parse_ok", 0, "¦value¦¦amount¶1¦10¦20¦30", ".",
	    NULL, NULL },
	{ "encoding_nul_first8k.csv", "E_ENCODING", 0, NULL, "",
	    ":1: NUL byte in column 1 (is this UTF-16 or binary data? try "
	    "--encoding)", NULL },
	{ "encoding_utf16le.csv", "E_ENCODING", 0, NULL, "",
	    ":1: input ends inside a UTF-16LE character", NULL },
	{ "encoding_utf32be.csv", "E_ENCODING", 0, NULL, "",
	    ":1: input is not valid UTF-32BE (byte 0x69)", NULL },
	{ "excel_quoted_commas.csv", "parse_ok", 0,
	    "id¦name¦notes¶1¦Smith, John¦He said \"hello\"¶"
	    "2¦Doe, Jane¦Multi, comma¶3¦O\"Brien, Tim¦Quote \"\" inside",
	    "...", NULL, NULL },
	{ "extra_fields_empty.csv", "parse_ok", 0, "id¦value¶A¦1¦¶B¦2¦¦",
	    "CC", NULL, COUNT },
	{ "extra_fields_non_empty.csv", "E_HEADERS", 0,
	    "sep=¦¶id¦value¶A¦1¦extra", ".C", NULL, NO_SEP },
	{ "extra_trailing_empty_fields.csv", "parse_ok", 0,
	    "id¦value¶1¦10¦¶2¦20¦¦ ", "CC", NULL, COUNT },
	{ "extra_trailing_nonempty.csv", "E_HEADERS", 0,
	    "sep=¦¶id¦value¶1¦10¦extra", ".C", NULL, NO_SEP },
	{ "header_only.csv", "parse_ok", 0, "id¦value¦comment", "", NULL,
	    NULL },
	{ "header_with_spaces.csv", "parse_ok", 0,
	    "sep=¦¶  id \t ¦ value ¶1¦10¶2¦20", "...", NULL,
	    NO_SEP "; names are not trimmed" },
	{ "hex_prefix_header.csv", "parse_ok", 0, "hex:dead¦value¶A¦1¶B¦2",
	    "..", NULL, NULL },
	{ "invalid_quote.csv", "E_CSV_PARSE", 0, "id¦value", "",
	    ":2: text after the closing quote of a field (a quote inside "
	    "quotes must be doubled)", NULL },
	{ "leading_blank_lines.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20",
	    "..", NULL, NULL },
	{ "leading_tabs_header.csv", "parse_ok", 0,
	    "sep=¦¶ \tid\t ¦ \tvalue\t¶1¦10¶2¦20", "...", NULL,
	    NO_SEP "; names are not trimmed" },
	{ "locale_decimal.csv", "parse_ok", 0,
	    "id¦amount¶A¦1.234,56¶B¦12.345,00", "..", NULL, NULL },
	{ "missing_tokens.csv", "parse_ok", 0,
	    "id¦value¦comment¶1¦NA¦missing¶2¦n/a¦missing¶3¦NULL¦missing¶"
	    "4¦-¦dash¶5¦NONE¦missing", ".....", NULL, NULL },
	{ "missingness_numeric_vs_missing.csv", "parse_ok", 0,
	    "id¦amount¶A¦¶B¦100¶C¦NA¶D¦200", "....", NULL, NULL },
	{ "mixed_line_endings.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20", "..",
	    NULL, NULL },
	{ "mixed_types_numeric_text.csv", "parse_ok", 0,
	    "id¦value¶A¦100¶B¦foo¶C¦200", "...", NULL, NULL },
	{ "multiline_quoted.csv", "parse_ok", 0,
	    "sep=¦¶id¦comment¶1¦first line\nsecond line¶2¦single line", "...",
	    NULL, NO_SEP },
	{ "no_trailing_newline.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20",
	    "..", NULL, NULL },
	{ "non_ascii_header.csv", "parse_ok", 0,
	    "café¦naïve¦value¶1¦alpha¦10¶2¦beta¦20", "..", NULL, NULL },
	{ "nul_in_8k.csv", "E_ENCODING", 0, "a¦b¶row␀x", "N", NULL,
	    "the row is returned with a NUL status and message, for the "
	    "caller to reject" },
	{ "numeric_thousands.csv", "parse_ok", 0,
	    "id¦value¶1¦1,234¶2¦12,345.67", "..", NULL, NULL },
	{ "only_blank_lines.csv", "E_HEADERS", 0, " ¶\t", ".", NULL, SPACES },
	{ "only_header.csv", "parse_ok", 0, "id¦value¦amount", "", NULL,
	    NULL },
	{ "percent_values.csv", "parse_ok", 0, "id¦rate¶A¦10%¶B¦3.5%", "..",
	    NULL, NULL },
	{ "pipe_delimiter.csv", "parse_ok", '|',
	    "id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "..", NULL, NULL },
	{ "pipe_quoted.csv", "parse_ok", '|',
	    "id¦name¦note¶1¦alpha|beta¦has | inside¶2¦gamma¦plain", "..",
	    NULL, NULL },
	{ "pipe_with_spaces.csv", "parse_ok", '|',
	    "id¦name¦value¶1¦ alpha ¦ 10¶2¦ beta ¦ 20", "..", NULL, NULL },
	{ "plus_sign_numbers.csv", "parse_ok", 0,
	    "id¦value¶1¦+10¶2¦+1,234¶3¦+1.23e2", "...", NULL, NULL },
	{ "quoted_empty_fields.csv", "parse_ok", 0,
	    "id¦value¦comment¶1¦¦¶2¦  ¦", "..", NULL, NULL },
	{ "ragged_rows_long_empty.csv", "parse_ok", 0,
	    "id¦value¶1¦10¦¦¶2¦20¦ ¦ ", "CC", NULL, COUNT },
	{ "ragged_rows_short.csv", "parse_ok", 0,
	    "id¦value¦comment¶1¦10¶2¦20¦ok¶3", "C.C", NULL, COUNT },
	{ "rfc4180_quotes.csv", "parse_ok", 0,
	    "id¦comment¶1¦comma, inside¶2¦quote \"inside\"", "..", NULL,
	    NULL },
	{ "rfc_quote_escape.csv", "parse_ok", 0, "sep=¦¶col¶a\"b", "CC", NULL,
	    NO_SEP },
	{ "scientific_notation.csv", "parse_ok", 0,
	    "id¦value¶1¦1e3¶2¦-2.5E-4", "..", NULL, NULL },
	{ "semicolon_delimiter.csv", "parse_ok", 0,
	    "id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "..", NULL, NULL },
	{ "semicolon_quoted.csv", "parse_ok", 0,
	    "id¦name¦note¶1¦Doe; Jane¦semi; inside¶2¦Smith¦ok", "..", NULL,
	    NULL },
	{ "semicolon_with_spaces.csv", "parse_ok", 0,
	    "id¦name¦value¶1¦ alpha ¦ 10¶2¦ beta ¦ 20", "..", NULL, NULL },
	{ "sep_caret.csv", "parse_ok", '^', "sep=¦¶id¦value¶1¦10¶2¦20", "...",
	    NULL, NO_SEP },
	{ "sep_equal.csv", "parse_ok", '=',
	    "sep¦¦¶id¦value¦note¶A¦10¦ok¶B¦20¦ok", "...", NULL, NO_SEP },
	{ "sep_equals.csv", "parse_ok", '=',
	    "sep¦¦¶id¦value¦note¶1¦10¦alpha¶2¦20¦beta", "...", NULL, NO_SEP },
	{ "sep_only.csv", "E_HEADERS", 0, "sep=¦", "", NULL, NO_SEP },
	{ "sep_pipe.csv", "parse_ok", '|',
	    "sep=¦¶id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "CCC", NULL, NO_SEP },
	{ "sep_semicolon.csv", "parse_ok", 0,
	    "sep=¦¶id¦value¦note¶A¦1¦ok¶B¦2¦ok", "CCC", NULL, NO_SEP },
	{ "sep_tab.csv", "parse_ok", 0,
	    "sep=¦¶id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "CCC", NULL, NO_SEP },
	{ "single_column.csv", "E_DIALECT", 0, "only¶1", ".", NULL,
	    "one column is a valid table to the reader" },
	{ "tab_basic.csv", "parse_ok", 0, "id¦value¶A¦1¶B¦2", "..", NULL,
	    NULL },
	{ "tab_delimiter.csv", "parse_ok", 0,
	    "id¦name¦value¶1¦alpha¦10¶2¦beta¦20", "..", NULL, NULL },
	{ "tab_quoted.csv", "parse_ok", 0,
	    "id¦name¦note¶1¦alpha\tbeta¦tab inside¶2¦gamma¦ok", "..", NULL,
	    NULL },
	{ "tab_with_spaces.csv", "parse_ok", 0,
	    "id¦name¦value¶1¦ alpha ¦ 10¶2¦ beta ¦ 20", "..", NULL, NULL },
	{ "trailing_blank_lines.csv", "parse_ok", 0, "id¦value¶A¦1¶B¦2¶   ",
	    "..C", NULL, SPACES },
	{ "trailing_spaces_fields.csv", "parse_ok", 0,
	    "id¦value¶1¦ 10 ¶2¦20  ", "..", NULL, NULL },
	{ "u8_prefix_header.csv", "parse_ok", 0, "u8:col¦value¶A¦1¶B¦2", "..",
	    NULL, NULL },
	{ "unterminated_quote.csv", "E_CSV_PARSE", 0, "id¦value", "",
	    ":2: unterminated quote: the quoted field that starts on this "
	    "line runs to the end of input", NULL },
	{ "utf16le_bom.csv", "E_ENCODING", 0, "", "", NULL,
	    "a UTF-16 BOM means UTF-16, converted: here an empty file" },
	{ "utf32be_bom.csv", "E_ENCODING", 0, "", "", NULL,
	    "a UTF-32 BOM means UTF-32, converted: here an empty file" },
	{ "utf8_accented.csv", "parse_ok", 0, "id¦name¶1¦café¶2¦naïve", "..",
	    NULL, NULL },
	{ "utf8_bom.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20", "..", NULL,
	    NULL },
	{ "utf8_bom_blank_lines.csv", "parse_ok", 0, "id¦value¶1¦10¶2¦20",
	    "..", NULL, NULL },
	{ "utf8_bom_sep_pipe.csv", "parse_ok", '|',
	    "sep=¦¶id¦name¦value¶1¦alpha¦10", "CC", NULL, NO_SEP },
	{ "wide_row_extra_empty.csv", "parse_ok", 0, "a¦b¶1¦2¦¦", "C", NULL,
	    COUNT },
	{ "wide_row_extra_non_empty.csv", "E_HEADERS", 0, "sep=¦¶a¦b¶1¦2¦3",
	    ".C", NULL, NO_SEP },
	{ "windows_crlf.csv", "parse_ok", 0, "id¦value¶A¦1¶B¦2", "..", NULL,
	    NULL },
	{ "windows_quotes_crlf.csv", "parse_ok", 0,
	    "id¦comment¶1¦line one¶2¦line two", "..", NULL, NULL },
};

#define NRVL	(sizeof(rvl_cases) / sizeof(rvl_cases[0]))

/* One record of the encoded form: fields split at "¦", "␀" is NUL. */
static int
matches_encoded(const struct copy *c, const char *text, size_t length)
{
	size_t i = 0, field = 0, at = 0;

	for (;;) {
		const char *bar = NULL;
		size_t k, n;
		char value[256];

		for (k = i; k + 1 < length; k++)
			if (memcmp(text + k, "¦", 2) == 0) {
				bar = text + k;
				break;
			}
		n = (bar != NULL ? (size_t)(bar - text) : length) - i;
		for (k = 0, at = 0; k < n && at < sizeof(value); k++) {
			if (k + 3 <= n && memcmp(text + i + k, "␀", 3) == 0) {
				value[at++] = '\0';
				k += 2;
			} else {
				value[at++] = text[i + k];
			}
		}
		if (field >= c->nfields || c->length[field] != at ||
		    memcmp(c->field[field], value, at) != 0)
			return 0;
		field++;
		if (bar == NULL)
			break;
		i = (size_t)(bar - text) + 2;
	}
	return field == c->nfields;
}

static void
rvl_case(const struct rvl_case *t, const char *readme)
{
	struct ka_reader_options options = plain;
	char relative[256], verdict[300];
	struct result res;
	const char *path, *r, *mark;
	size_t i, index, n;

	snprintf(relative, sizeof(relative), "rvl-torture-corpus/corpus/%s",
	    t->file);
	path = cpath(relative);
	/* The table says what the README says. */
	snprintf(verdict, sizeof(verdict), "| `%s` | synthetic | %s%s%s |",
	    t->file, t->verdict[0] == 'E' ? "`" : "", t->verdict,
	    t->verdict[0] == 'E' ? "`" : "");
	if (strstr(readme, verdict) == NULL) {
		printf("  README.md has no row \"%s\"\n", verdict);
		check_failures++;
	}
	options.delimiter = t->delimiter;
	read_both(&res, path, &options, 10);
	if (t->records == NULL) {
		CHECK(!res.opened);
		if (!res.opened)
			CHECK_STR(res.open_error, path_message(path, "%s",
			    t->error));
		free_result(&res);
		return;
	}
	if (!res.opened) {
		printf("  %s: open failed: %s\n", t->file, res.open_error);
		check_failures++;
		free_result(&res);
		return;
	}
	/* Header, then records, as encoded. */
	r = t->records;
	n = strlen(t->statuses);
	for (index = 0; ; index++) {
		const struct copy *c;
		size_t len;

		mark = strstr(r, "¶");
		len = mark != NULL ? (size_t)(mark - r) : strlen(r);
		if (index == 0 && *t->records == '\0') {
			CHECK_INT(res.header.nfields, 0);
			break;
		}
		if (index > 0 && index - 1 >= res.nrec) {
			printf("  %s: record %zu missing\n", t->file, index);
			check_failures++;
			break;
		}
		c = index == 0 ? &res.header : &res.rec[index - 1];
		if (!matches_encoded(c, r, len)) {
			printf("  %s: %s %zu is not \"%.*s\"\n", t->file,
			    index == 0 ? "header" : "record", index,
			    (int)len, r);
			show_copy("got", c);
			check_failures++;
		}
		if (mark == NULL)
			break;
		r = mark + 2;
	}
	CHECK_INT(res.nrec, n);
	for (i = 0; i < res.nrec && i < n; i++) {
		static const char letters[] = ".CUN";
		const struct copy *c = &res.rec[i];
		char prefix[64];

		if (letters[c->status] != t->statuses[i]) {
			printf("  %s: record %zu: status %c, want %c: %s\n",
			    t->file, i + 1, letters[c->status],
			    t->statuses[i], c->error ? c->error : "");
			check_failures++;
		}
		/* A problem row's message names the file and its line. */
		snprintf(prefix, sizeof(prefix), ":%lu: ", c->line);
		if (c->status != KA_READ_OK && (c->error == NULL ||
		    strncmp(c->error, path, strlen(path)) != 0 ||
		    strncmp(c->error + strlen(path), prefix,
		    strlen(prefix)) != 0)) {
			printf("  %s: record %zu: message \"%s\"\n", t->file,
			    i + 1, c->error ? c->error : "");
			check_failures++;
		}
	}
	if (t->error != NULL) {
		CHECK_INT(res.end, -1);
		CHECK_STR(res.fatal, path_message(path, "%s", t->error));
	} else {
		CHECK_INT(res.end, 0);
	}
	free_result(&res);
}

/*
 * One PASS or FAIL line per corpus file, and every file in the corpus
 * must have its row in the table.
 */
static void
run_rvl(void)
{
	char *readme;
	size_t size, i, files = 0;
	DIR *dir;
	struct dirent *e;

	readme = slurp(cpath("rvl-torture-corpus/corpus/README.md"), &size);
	for (i = 0; i < NRVL; i++) {
		check_failures = 0;
		rvl_case(&rvl_cases[i], readme);
		printf("%s rvl_%s\n", check_failures ? "FAIL" : "PASS",
		    rvl_cases[i].file);
		if (check_failures)
			check_total_failed++;
	}
	free(readme);

	check_failures = 0;
	dir = opendir(cpath("rvl-torture-corpus/corpus"));
	if (dir == NULL)
		die("opendir");
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name), k;

		if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		files++;
		for (k = 0; k < NRVL; k++)
			if (strcmp(rvl_cases[k].file, e->d_name) == 0)
				break;
		if (k == NRVL) {
			printf("  %s is not in the table\n", e->d_name);
			check_failures++;
		}
	}
	closedir(dir);
	CHECK_INT(files, NRVL);
	printf("%s rvl_every_file_in_table\n", check_failures ? "FAIL" :
	    "PASS");
	if (check_failures)
		check_total_failed++;
}

/* ---- every file of every suite: both paths agree ---- */

static int
is_documentation(const char *name)
{
	size_t len = strlen(name);

	return strncmp(name, "README", 6) == 0 ||
	    strncmp(name, "readme", 6) == 0 ||
	    strncmp(name, "LICENSE", 7) == 0 ||
	    strncmp(name, "NOTICE", 6) == 0 ||
	    (len > 3 && strcmp(name + len - 3, ".md") == 0) ||
	    (len > 5 && strcmp(name + len - 5, ".html") == 0);
}

/*
 * Reads every file under dir both ways; a reading that rejects the
 * input must say so with a message that names the file.
 */
static size_t
walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t count = 0;
	char path[4200];

	if (d == NULL) {
		printf("  cannot open %s\n", dir);
		check_failures++;
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		struct result res;
		size_t i;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			count += walk(path);
			continue;
		}
		if (!S_ISREG(st.st_mode) || is_documentation(e->d_name))
			continue;
		count++;
		read_both(&res, path, &plain, 60);
		if (!res.opened && (res.open_error[0] == '\0' ||
		    strncmp(res.open_error, path, strlen(path)) != 0)) {
			printf("  %s: rejected with \"%s\"\n", path,
			    res.open_error);
			check_failures++;
		}
		if (res.end < 0 && strncmp(res.fatal, path,
		    strlen(path)) != 0) {
			printf("  %s: stopped with \"%s\"\n", path, res.fatal);
			check_failures++;
		}
		for (i = 0; i < res.nrec; i++)
			if (res.rec[i].status != KA_READ_OK &&
			    strncmp(res.rec[i].error, path, strlen(path))) {
				printf("  %s: record %zu: \"%s\"\n", path,
				    i + 1, res.rec[i].error);
				check_failures++;
				break;
			}
		free_result(&res);
	}
	closedir(d);
	return count;
}

#define PATHS_AGREE(name, dir, least) \
static void test_paths_agree_##name(void) \
{ \
	size_t n = walk(cpath(dir)); \
	CHECK(n >= (least)); \
}

PATHS_AGREE(csv_spectrum, "csv-spectrum", 24)
PATHS_AGREE(commons_csv, "commons-csv", 20)
PATHS_AGREE(univocity, "univocity", 25)
PATHS_AGREE(rvl, "rvl-torture-corpus", 89)
PATHS_AGREE(zsv, "zsv-testdata", 60)

int
main(void)
{
	const char *shared = getenv("KA_SHARED");
	struct stat st;

	if (shared == NULL || *shared == '\0')
		shared = "../shared";
	snprintf(root, sizeof(root), "%s/data/conformance", shared);
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP conformance: ../shared not found (%s)\n", root);
		return 0;
	}
	signal(SIGALRM, on_alarm);

	RUN(test_spectrum_comma_in_quotes);
	RUN(test_spectrum_empty);
	RUN(test_spectrum_empty_crlf);
	RUN(test_spectrum_escaped_quotes);
	RUN(test_spectrum_json);
	RUN(test_spectrum_location_coordinates);
	RUN(test_spectrum_newlines);
	RUN(test_spectrum_newlines_crlf);
	RUN(test_spectrum_quotes_and_newlines);
	RUN(test_spectrum_simple);
	RUN(test_spectrum_simple_crlf);
	RUN(test_spectrum_utf8);
	RUN(test_spectrum_crlf_blobs);

	RUN(test_commons_test_csv);
	RUN(test_commons_test_default);
	RUN(test_commons_test_rfc4180);
	RUN(test_commons_bom);
	RUN(test_commons_csv196_emoji);
	RUN(test_commons_csv196_japanese);
	RUN(test_commons_csv290_psql_csv);
	RUN(test_commons_csv290_psql_tsv);
	RUN(test_commons_others);

	RUN(test_univocity_line_ends_csv);
	RUN(test_univocity_line_ends_tsv);
	RUN(test_univocity_example_csv);
	RUN(test_univocity_example_tsv);
	RUN(test_univocity_uk500_cr);

	RUN(test_zsv_bigger_than_buff);
	RUN(test_zsv_buffsplit_quote);
	RUN(test_zsv_line_endings);
	RUN(test_zsv_no_eol);
	RUN(test_zsv_embedded);
	RUN(test_zsv_quoted);
	RUN(test_zsv_invalid_utf8);
	RUN(test_zsv_misc);

	run_rvl();

	RUN(test_paths_agree_csv_spectrum);
	RUN(test_paths_agree_commons_csv);
	RUN(test_paths_agree_univocity);
	RUN(test_paths_agree_rvl);
	RUN(test_paths_agree_zsv);
	return CHECK_EXIT();
}
