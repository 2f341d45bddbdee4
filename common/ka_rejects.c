#include <stdlib.h>
#include <string.h>

#include "ka_msg.h"
#include "ka_rejects.h"

void
ka_rejects_open(struct ka_rejects *rejects, const char *path)
{
	static const char *const names[] = { "file", "line", "column",
		"reason", "record" };

	memset(rejects, 0, sizeof(*rejects));
	if (path == NULL)
		return;
	rejects->writer = ka_writer_open(path, ka_format_from_name(path) ==
	    KA_FORMAT_TSV ? KA_FORMAT_TSV : KA_FORMAT_CSV);
	ka_writer_header(rejects->writer, names, 5);
}

/* The record as one CSV line, quoted minimally, to keep it intact. */
static char *
rejoin(const ka_record *rec, size_t *length)
{
	size_t i, j, size = 1, n = 0;
	char *text;

	for (i = 0; i < rec->nfields; i++)
		size += ka_field_length(rec, i) * 2 + 3;
	if ((text = malloc(size)) == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	for (i = 0; i < rec->nfields; i++) {
		const char *f = ka_field(rec, i);
		size_t len = ka_field_length(rec, i);
		int quote = strpbrk(f, ",\"\r\n") != NULL;

		if (i > 0)
			text[n++] = ',';
		if (quote)
			text[n++] = '"';
		for (j = 0; j < len; j++) {
			if (f[j] == '"')
				text[n++] = '"';
			text[n++] = f[j];
		}
		if (quote)
			text[n++] = '"';
	}
	text[n] = '\0';
	*length = n;
	return text;
}

void
ka_rejects_add(struct ka_rejects *rejects, const ka_record *rec,
    size_t column, const char *reason)
{
	char *record;
	size_t length;

	rejects->count++;
	if (rejects->writer == NULL)
		return;
	ka_writer_string(rejects->writer, rec->file);
	ka_writer_integer(rejects->writer, (long long)rec->line);
	if (column > 0)
		ka_writer_integer(rejects->writer, (long long)column);
	else
		ka_writer_number(rejects->writer, "", 0);
	ka_writer_string(rejects->writer, reason);
	record = rejoin(rec, &length);
	ka_writer_text(rejects->writer, record, length);
	free(record);
	ka_writer_end_row(rejects->writer);
}

void
ka_rejects_bad_row(struct ka_rejects *rejects, int lenient,
    const ka_record *rec, size_t column, const char *reason)
{
	if (!lenient)
		ka_die(KA_EXIT_DATA, "%s:%lu: %s", rec->file, rec->line,
		    reason);
	ka_rejects_add(rejects, rec, column, reason);
}

void
ka_rejects_close(struct ka_rejects *rejects)
{
	if (rejects->writer != NULL)
		ka_writer_close(rejects->writer);
	rejects->writer = NULL;
}
