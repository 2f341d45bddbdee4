/*
 * ka-clean: a messy sales export in, a clean canonical CSV or TSV out.
 * UTF-8, header renamed to role names, numbers written plainly, dates
 * in ISO 8601.  --check only validates and summarises.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_cli.h"
#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_rejects.h"
#include "ka_roles.h"
#include "ka_text.h"
#include "ka_writer.h"

/* ---- options ---- */

enum {
	OPT_CHECK = KA_OPT_PROGRAM,
	OPT_KNOWN_ONLY,
	OPT_KEEP_SPACES
};

static const struct option long_options[] = {
	KA_COMMON_OPTIONS,
	{ "check",	 no_argument, NULL, OPT_CHECK },
	{ "known-only",	 no_argument, NULL, OPT_KNOWN_ONLY },
	{ "keep-spaces", no_argument, NULL, OPT_KEEP_SPACES },
	{ NULL, 0, NULL, 0 }
};

struct options {
	struct ka_cli	 cli;
	int		 check;
	int		 known_only;
	int		 keep_spaces;
};

static void
usage(int status)
{
	FILE *out = status == 0 ? stdout : stderr;

	fprintf(out,
"usage: ka-clean [--check] [--known-only] [--keep-spaces] [options] [FILE...]\n"
"\n"
"Turns sales exports into clean CSV: UTF-8, header renamed to role names\n"
"(date, customer_id, amount, ...), numbers written plainly, dates as ISO.\n"
"\n"
"  --check          validate only; print a summary; exit 1 on any bad row\n"
"  --known-only     drop columns that play no role\n"
"  --keep-spaces    keep spaces around field values (trimmed by default)\n"
"\n%s", ka_cli_common_help);
	exit(status);
}

/* ---- processing ---- */

enum kind { KIND_TEXT, KIND_NUMBER, KIND_MONEY, KIND_DATE };

struct column {
	int		 role;		/* -1 when it plays none */
	enum kind	 kind;
	int		 keep;
	const char	*name;		/* in the output */
};

struct summary {
	unsigned long	 read, written, filtered, rejected;
	ka_dec		 amount_in, amount_out, amount_filtered;
	int		 amount_overflow;
	char		*problems[20];	/* --check shows the first ones */
	unsigned long	 nproblems;
};

static enum kind
kind_of_role(int role)
{
	switch (role) {
	case KA_ROLE_QTY:
		return KIND_NUMBER;
	case KA_ROLE_UNIT_PRICE:
	case KA_ROLE_AMOUNT:
	case KA_ROLE_COST:
		return KIND_MONEY;
	case KA_ROLE_DATE:
		return KIND_DATE;
	default:
		return KIND_TEXT;
	}
}

static struct column *
plan_columns(const struct options *o, const ka_record *header)
{
	struct column *columns = calloc(header->nfields + 1, sizeof(*columns));
	size_t i;
	int role;

	if (columns == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < header->nfields; i++) {
		columns[i].role = -1;
		columns[i].name = ka_field(header, i);
		columns[i].keep = !o->known_only;
	}
	for (role = 0; role < KA_ROLE_COUNT; role++) {
		long c = o->cli.roles.column[role];

		if (c < 0 || columns[c].role >= 0)
			continue;
		columns[c].role = role;
		columns[c].kind = kind_of_role(role);
		columns[c].name = ka_role_name(role);
		columns[c].keep = 1;
	}
	return columns;
}

/* Money shows two places when that is exact, more only when needed. */
static int
money_places(ka_dec value)
{
	return value % (KA_DEC_SCALE / 100) == 0 ? 2 : -1;
}

/*
 * How much of a bad value a message quotes: 60 bytes at most, cut
 * before a UTF-8 character rather than inside one.
 */
static size_t
shown_length(const char *text, size_t length)
{
	if (length <= 60)
		return length;
	length = 60;
	while (length > 0 && ((unsigned char)text[length] & 0xc0) == 0x80)
		length--;
	return length;
}

struct cleaned {
	char		 text[64];
	const char	*start;		/* a text field, trimmed, in the record */
	size_t		 length;
};

/*
 * Cleans one field of a typed column into out.  Returns NULL when good,
 * else the reason it is bad.
 */
static const char *
clean_field(const struct options *o, const struct column *col,
    const char *text, size_t length, struct cleaned *out, ka_dec *value)
{
	ka_date date;
	enum ka_dec_status status;

	out->length = 0;
	if (length == 0)
		return NULL;
	if (col->kind == KIND_DATE) {
		if (ka_cli_date(&o->cli, text, length, &date) < 0)
			return "not a date";
		out->length = ka_date_format(date, out->text);
		return NULL;
	}
	status = ka_dec_parse(text, length, o->cli.decimal_comma, value);
	if (status == KA_DEC_EMPTY)
		return NULL;
	if (status != KA_DEC_OK)
		return ka_dec_status_text(status);
	out->length = ka_dec_format(*value, col->kind == KIND_MONEY ?
	    money_places(*value) : -1, out->text);
	return NULL;
}

static void
report_bad(struct options *o, struct summary *s, struct ka_rejects *rejects,
    const ka_record *rec, size_t column, const char *message)
{
	char reason[1200];

	snprintf(reason, sizeof(reason), "%s", message);
	if (o->check) {
		if (s->nproblems < sizeof(s->problems) / sizeof(s->problems[0])) {
			size_t size = strlen(reason) + strlen(rec->file) + 32;

			if ((s->problems[s->nproblems] = malloc(size)) == NULL)
				ka_die(KA_EXIT_DATA, "out of memory");
			snprintf(s->problems[s->nproblems], size, "%s:%lu: %s",
			    rec->file, rec->line, reason);
		}
		s->nproblems++;
		s->rejected++;
		/* --check --lenient --rejects FILE: the rows go there too. */
		if (o->cli.lenient)
			ka_rejects_add(rejects, rec, column, reason);
		return;
	}
	ka_rejects_bad_row(rejects, o->cli.lenient, rec, column, reason);
	s->rejected++;
}

/* The amount of a record for the reconciliation, when readable. */
static int
record_amount(const struct options *o, const ka_record *rec, ka_dec *amount)
{
	long c = o->cli.roles.column[KA_ROLE_AMOUNT];

	if (c < 0 || (size_t)c >= rec->nfields)
		return 0;
	return ka_dec_parse(ka_field(rec, (size_t)c),
	    ka_field_length(rec, (size_t)c), o->cli.decimal_comma,
	    amount) == KA_DEC_OK;
}

static void
add_amount(struct summary *s, ka_dec *sum, ka_dec amount)
{
	if (ka_dec_add(sum, amount) < 0)
		s->amount_overflow = 1;
}

static void
clean_all(struct options *o, ka_reader *reader, ka_writer *writer,
    struct ka_rejects *rejects, struct summary *s)
{
	const ka_record *header = ka_reader_header(reader);
	struct column *columns = plan_columns(o, header);
	struct cleaned *cleaned;
	const char **names;
	char message[1200], error[1200];
	enum ka_read_status status;
	ka_record rec;
	size_t i, n = 0;
	int got, passed;
	ka_dec amount;

	names = calloc(header->nfields + 1, sizeof(*names));
	cleaned = calloc(header->nfields + 1, sizeof(*cleaned));
	if (names == NULL || cleaned == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < header->nfields; i++)
		if (columns[i].keep)
			names[n++] = columns[i].name;
	if (writer != NULL)
		ka_writer_header(writer, names, n);

	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		const char *bad = NULL;
		size_t bad_column = 0;

		s->read++;
		if (record_amount(o, &rec, &amount))
			add_amount(s, &s->amount_in, amount);
		if (status != KA_READ_OK) {
			report_bad(o, s, rejects, &rec,
			    ka_reader_error_column(reader),
			    ka_reader_reason(reader));
			if (record_amount(o, &rec, &amount))
				add_amount(s, &rejects->amount, amount);
			else
				rejects->amount_unreadable++;
			continue;
		}
		passed = ka_filter_match(o->cli.filter, &rec, error,
		    sizeof(error));
		if (passed < 0)
			ka_die(KA_EXIT_DATA, "%s", error);
		if (!passed) {
			/* Filtered out on purpose: not output, not rejected. */
			if (record_amount(o, &rec, &amount))
				add_amount(s, &s->amount_filtered, amount);
			s->filtered++;
			continue;
		}
		for (i = 0; i < rec.nfields && bad == NULL; i++) {
			const char *text = ka_field(&rec, i);
			size_t length = ka_field_length(&rec, i);
			ka_dec value;

			if (!o->keep_spaces)
				ka_text_trim(&text, &length);
			if (ka_cli_is_null(&o->cli, text, length))
				length = 0;
			if (columns[i].kind == KIND_TEXT) {
				/*
				 * Text is used in place, and the record left
				 * as read: a rejected row goes to --rejects
				 * whole, spaces and all.
				 */
				cleaned[i].start = text;
				cleaned[i].length = length;
				continue;
			}
			bad = clean_field(o, &columns[i], text, length,
			    &cleaned[i], &value);
			if (bad != NULL) {
				snprintf(message, sizeof(message), "column %zu "
				    "(%s): %s: \"%.*s\"", i + 1,
				    ka_field(header, i), bad,
				    (int)shown_length(text, length), text);
				bad_column = i + 1;
			}
		}
		if (bad != NULL) {
			report_bad(o, s, rejects, &rec, bad_column, message);
			if (record_amount(o, &rec, &amount))
				add_amount(s, &rejects->amount, amount);
			else
				rejects->amount_unreadable++;
			continue;
		}
		s->written++;
		if (record_amount(o, &rec, &amount))
			add_amount(s, &s->amount_out, amount);
		if (writer == NULL)
			continue;
		for (i = 0; i < rec.nfields; i++) {
			if (!columns[i].keep)
				continue;
			if (columns[i].kind == KIND_TEXT)
				ka_writer_text(writer, cleaned[i].start,
				    cleaned[i].length);
			else if (columns[i].kind == KIND_DATE &&
			    cleaned[i].length > 0)
				/* A date is a string in JSON; none is null. */
				ka_writer_text(writer, cleaned[i].text,
				    cleaned[i].length);
			else
				ka_writer_number(writer, cleaned[i].text,
				    cleaned[i].length);
		}
		ka_writer_end_row(writer);
	}
	if (got < 0)
		ka_die(KA_EXIT_DATA, "%s", ka_reader_error(reader));
	free(names);
	free(cleaned);
	free(columns);
}

static void
print_reconciliation(const struct options *o, const struct summary *s,
    const struct ka_rejects *rejects)
{
	char in[KA_DEC_BUFSIZE], out[KA_DEC_BUFSIZE], rejected[KA_DEC_BUFSIZE];
	char filtered[KA_DEC_BUFSIZE];

	if (s->filtered > 0)
		fprintf(stderr, "%s: rows read %lu = written %lu + filtered "
		    "out %lu + rejected %lu\n", ka_program(), s->read,
		    s->written, s->filtered, s->rejected);
	else
		fprintf(stderr, "%s: rows read %lu = written %lu + rejected "
		    "%lu\n", ka_program(), s->read, s->written, s->rejected);
	if (o->cli.roles.column[KA_ROLE_AMOUNT] < 0)
		return;
	if (s->amount_overflow || rejects->amount_overflow) {
		fprintf(stderr, "%s: amount totals overflow; no "
		    "reconciliation\n", ka_program());
		return;
	}
	ka_dec_format(s->amount_in, 2, in);
	ka_dec_format(s->amount_out, 2, out);
	ka_dec_format(rejects->amount, 2, rejected);
	ka_dec_format(s->amount_filtered, 2, filtered);
	if (s->filtered > 0)
		fprintf(stderr, "%s: amount read %s = written %s + filtered "
		    "out %s + rejected %s", ka_program(), in, out, filtered,
		    rejected);
	else
		fprintf(stderr, "%s: amount read %s = written %s + rejected "
		    "%s", ka_program(), in, out, rejected);
	if (rejects->amount_unreadable > 0)
		fprintf(stderr, " (%lu rejected rows have no readable amount)",
		    rejects->amount_unreadable);
	fputc('\n', stderr);
}

static void
print_check(const struct options *o, ka_reader *reader,
    const struct summary *s)
{
	const ka_record *header = ka_reader_header(reader);
	char total[KA_DEC_BUFSIZE];
	int role, delimiter = ka_reader_delimiter(reader);
	size_t i, unknown = 0;

	/* Rows filtered out are neither good nor bad. */
	printf("rows: %lu read, %lu good, %lu bad", s->read, s->written,
	    s->rejected);
	if (s->filtered > 0)
		printf(", %lu filtered out", s->filtered);
	putchar('\n');
	printf("columns: %zu, delimiter: %s\n", header->nfields,
	    delimiter == '\t' ? "TAB" : delimiter == ';' ? "';'" :
	    delimiter == ',' ? "','" : "other");
	printf("roles:\n");
	for (role = 0; role < KA_ROLE_COUNT; role++) {
		long c = o->cli.roles.column[role];

		if (c < 0)
			continue;
		printf("  %-12s column %ld \"%s\"\n", ka_role_name(role), c + 1,
		    ka_field(header, (size_t)c));
	}
	for (i = 0; i < header->nfields; i++) {
		int plays = 0;

		for (role = 0; role < KA_ROLE_COUNT; role++)
			if (o->cli.roles.column[role] == (long)i)
				plays = 1;
		if (!plays) {
			printf("%s\"%s\"", unknown++ ? ", " : "other columns: ",
			    ka_field(header, i));
		}
	}
	if (unknown)
		putchar('\n');
	if (o->cli.roles.column[KA_ROLE_AMOUNT] >= 0 && !s->amount_overflow) {
		ka_dec_format(s->amount_in, 2, total);
		printf("amount total: %s\n", total);
	}
	printf("problems:%s\n", s->nproblems ? "" : " none");
	for (i = 0; i < s->nproblems &&
	    i < sizeof(s->problems) / sizeof(s->problems[0]); i++) {
		printf("  %s\n", s->problems[i]);
		free(s->problems[i]);
	}
	if (i < s->nproblems)
		printf("  ... and %lu more\n", s->nproblems - i);
}

/* ---- main ---- */

int
main(int argc, char *argv[])
{
	struct options o;
	struct summary s;
	struct ka_rejects rejects;
	ka_reader *reader;
	ka_writer *writer = NULL;
	int opt;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	/*
	 * A closed pipe downstream is no error: the writer handles it for
	 * data; --check and --help write through stdio and see EPIPE too.
	 */
	signal(SIGPIPE, SIG_IGN);
	ka_cli_init(&o.cli, "ka-clean", usage);
	while ((opt = ka_cli_next_option(&o.cli, argc, argv, KA_COMMON_SHORT,
	    long_options)) != -1) {
		switch (opt) {
		case OPT_CHECK:
			o.check = 1;
			break;
		case OPT_KNOWN_ONLY:
			o.known_only = 1;
			break;
		case OPT_KEEP_SPACES:
			o.keep_spaces = 1;
			break;
		default:
			usage(KA_EXIT_USAGE);
		}
	}
	if (o.check && o.cli.output != NULL)
		ka_cli_usage_error(&o.cli, "--check writes no output; drop -o");

	reader = ka_cli_open(&o.cli, argc - optind, argv + optind);
	ka_rejects_open(&rejects, o.cli.lenient ? o.cli.rejects : NULL);
	if (!o.check)
		writer = ka_writer_open(o.cli.output,
		    ka_cli_output_format(&o.cli, reader));
	clean_all(&o, reader, writer, &rejects, &s);
	if (o.check)
		print_check(&o, reader, &s);
	if (writer != NULL)
		ka_writer_close(writer);
	ka_rejects_close(&rejects);
	if (o.cli.lenient)
		print_reconciliation(&o, &s, &rejects);
	ka_reader_close(reader);
	ka_filter_free(o.cli.filter);
	if (o.check) {
		errno = 0;
		if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE)
			ka_die(KA_EXIT_DATA, "standard output: write error%s%s",
			    errno != 0 ? ": " : "",
			    errno != 0 ? strerror(errno) : "");
	}
	return o.check && s.rejected > 0 ? KA_EXIT_DATA : KA_EXIT_OK;
}
