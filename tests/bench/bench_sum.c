/*
 * The reader's benchmark: every record read, amount summed exactly by
 * customer_id, the way every ka-tools program's group-by does it.
 * Prints "customers total" so the result can be checked against peers.
 * usage: bench_sum FILE [--libcsv]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_decimal.h"
#include "ka_keys.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_roles.h"

int
main(int argc, char *argv[])
{
	struct ka_reader_options options;
	struct ka_roles roles;
	ka_reader *reader;
	ka_record rec;
	enum ka_read_status status;
	ka_keys *keys = ka_keys_new();
	ka_dec *sums = NULL, total = 0, amount;
	size_t capacity = 0;
	long customer, amount_column;
	char error[512], text[KA_DEC_BUFSIZE];
	int got;

	ka_set_program("bench_sum");
	if (argc < 2)
		ka_die(2, "usage: bench_sum FILE [--libcsv]");
	memset(&options, 0, sizeof(options));
	options.force_libcsv = argc > 2 && strcmp(argv[2], "--libcsv") == 0;
	reader = ka_reader_open((const char *const *)argv + 1, 1, &options);
	if (reader == NULL)
		return 1;
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, ka_reader_header(reader), error,
	    sizeof(error)) < 0)
		ka_die(2, "%s", error);
	ka_roles_require(&roles, ka_reader_header(reader), KA_ROLE_CUSTOMER_ID);
	ka_roles_require(&roles, ka_reader_header(reader), KA_ROLE_AMOUNT);
	customer = roles.column[KA_ROLE_CUSTOMER_ID];
	amount_column = roles.column[KA_ROLE_AMOUNT];
	while ((got = ka_reader_next(reader, &rec, &status)) > 0) {
		uint32_t id;

		if (status != KA_READ_OK)
			ka_die(1, "%s", ka_reader_error(reader));
		id = ka_keys_intern(keys, ka_field(&rec, (size_t)customer),
		    ka_field_length(&rec, (size_t)customer), NULL);
		if (id >= capacity) {
			capacity = capacity * 2 + 1024;
			sums = realloc(sums, capacity * sizeof(*sums));
			memset(sums + id, 0, (capacity - id) * sizeof(*sums));
		}
		if (ka_dec_parse(ka_field(&rec, (size_t)amount_column),
		    ka_field_length(&rec, (size_t)amount_column), 0,
		    &amount) != KA_DEC_OK)
			ka_die(1, "%s:%lu: bad amount", rec.file, rec.line);
		if (ka_dec_add(&sums[id], amount) < 0 ||
		    ka_dec_add(&total, amount) < 0)
			ka_die(1, "overflow");
	}
	if (got < 0)
		ka_die(1, "%s", ka_reader_error(reader));
	ka_dec_format(total, 2, text);
	printf("%zu %s\n", ka_keys_count(keys), text);
	ka_reader_close(reader);
	ka_keys_free(keys);
	free(sums);
	return 0;
}
