/*
 * The baseline: a bare libcsv parse that only counts fields and
 * records, with a 1 MiB read buffer.  usage: bench_libcsv FILE
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long fields, records;

static void
on_field(void *text, size_t length, void *data)
{
	(void)text, (void)length, (void)data;
	fields++;
}

static void
on_record(int c, void *data)
{
	(void)c, (void)data;
	records++;
}

int
main(int argc, char *argv[])
{
	static char buffer[1 << 20];
	struct csv_parser parser;
	FILE *in;
	size_t n;

	if (argc != 2 || (in = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: bench_libcsv FILE\n");
		return 2;
	}
	csv_init(&parser, 0);
	while ((n = fread(buffer, 1, sizeof(buffer), in)) > 0)
		if (csv_parse(&parser, buffer, n, on_field, on_record, NULL) != n)
			return 1;
	csv_fini(&parser, on_field, on_record, NULL);
	csv_free(&parser);
	printf("%lu records %lu fields\n", records, fields);
	return 0;
}
