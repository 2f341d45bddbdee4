#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_filter.h"
#include "ka_msg.h"

/* Enough for any sane pattern; a runaway one fails loudly instead. */
#define MATCH_LIMIT	1000000
#define DEPTH_LIMIT	100000

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH, OP_NOMATCH };

struct condition {
	char		*column_name;
	long		 column;
	enum op		 op;
	char		*value;
	size_t		 value_length;
	int		 value_is_number, value_is_date;
	ka_dec		 number;
	ka_date		 date;
	pcre2_code	*pattern;
	char		*expression;
};

struct ka_filter {
	struct condition *conditions;
	size_t		 count;
	int		 decimal_comma;
	const char	*date_format;
	pcre2_match_data *match_data;
	pcre2_match_context *match_context;
};

ka_filter *
ka_filter_new(void)
{
	ka_filter *f = calloc(1, sizeof(*f));

	if (f == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return f;
}

void
ka_filter_free(ka_filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->count; i++) {
		free(f->conditions[i].column_name);
		free(f->conditions[i].value);
		free(f->conditions[i].expression);
		pcre2_code_free(f->conditions[i].pattern);
	}
	free(f->conditions);
	pcre2_match_data_free(f->match_data);
	pcre2_match_context_free(f->match_context);
	free(f);
}

void
ka_filter_set_date_format(ka_filter *f, const char *strptime_format)
{
	f->date_format = strptime_format;
}

/* A date in a built-in form or in the filter's --date-format. */
static int
parse_date(const ka_filter *f, const char *text, size_t length, ka_date *d)
{
	if (ka_date_parse(text, length, d) == 0)
		return 0;
	if (f->date_format != NULL)
		return ka_date_parse_format(text, length, f->date_format, d);
	return -1;
}

size_t
ka_filter_count(const ka_filter *f)
{
	return f->count;
}

static char *
copy(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static size_t
trim_end(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

int
ka_filter_add(ka_filter *f, const char *expression, char *error,
    size_t error_size)
{
	const char *p = expression, *op_start = NULL, *value;
	struct condition c;
	size_t op_length = 0, name_length;

	memset(&c, 0, sizeof(c));
	/* The operator is the first run of = ! < > ~ in the expression. */
	for (; *p != '\0'; p++)
		if (strchr("=!<>~", *p) != NULL) {
			op_start = p;
			break;
		}
	if (op_start == NULL) {
		snprintf(error, error_size, "bad --where \"%s\": expected "
		    "COLUMN OP VALUE with OP one of = != < <= > >= ~ !~",
		    expression);
		return -1;
	}
	if (strncmp(op_start, "!=", 2) == 0)
		c.op = OP_NE, op_length = 2;
	else if (strncmp(op_start, "!~", 2) == 0)
		c.op = OP_NOMATCH, op_length = 2;
	else if (strncmp(op_start, "<=", 2) == 0)
		c.op = OP_LE, op_length = 2;
	else if (strncmp(op_start, ">=", 2) == 0)
		c.op = OP_GE, op_length = 2;
	else if (strncmp(op_start, "==", 2) == 0)
		c.op = OP_EQ, op_length = 2;
	else if (*op_start == '=')
		c.op = OP_EQ, op_length = 1;
	else if (*op_start == '<')
		c.op = OP_LT, op_length = 1;
	else if (*op_start == '>')
		c.op = OP_GT, op_length = 1;
	else if (*op_start == '~')
		c.op = OP_MATCH, op_length = 1;
	else {
		snprintf(error, error_size, "bad --where \"%s\": unknown "
		    "operator", expression);
		return -1;
	}
	/* Blanks are spaces and TABs at both ends, as trim_end() has it. */
	while (expression < op_start &&
	    (*expression == ' ' || *expression == '\t'))
		expression++;
	name_length = trim_end(expression, (size_t)(op_start - expression));
	if (name_length == 0) {
		snprintf(error, error_size, "bad --where \"%s\": no column "
		    "before the operator", expression);
		return -1;
	}
	value = op_start + op_length;
	while (*value == ' ' || *value == '\t')
		value++;
	c.column_name = copy(expression, name_length);
	c.value_length = trim_end(value, strlen(value));
	c.value = copy(value, c.value_length);
	c.expression = copy(expression, strlen(expression));
	c.column = -1;
	if (c.op == OP_MATCH || c.op == OP_NOMATCH) {
		int code;
		PCRE2_SIZE offset;

		c.pattern = pcre2_compile((PCRE2_SPTR)c.value, c.value_length,
		    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, NULL);
		if (c.pattern == NULL) {
			PCRE2_UCHAR message[256];

			pcre2_get_error_message(code, message, sizeof(message));
			snprintf(error, error_size, "bad --where \"%s\": pattern "
			    "error at offset %zu: %s", c.expression,
			    (size_t)offset, (char *)message);
			free(c.column_name);
			free(c.value);
			free(c.expression);
			return -1;
		}
		/* Without JIT the interpreter does the same work, slower. */
		(void)pcre2_jit_compile(c.pattern, PCRE2_JIT_COMPLETE);
	}
	f->conditions = realloc(f->conditions,
	    (f->count + 1) * sizeof(*f->conditions));
	if (f->conditions == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	f->conditions[f->count++] = c;
	return 0;
}

int
ka_filter_bind(ka_filter *f, const ka_record *header,
    const struct ka_roles *roles, int decimal_comma, char *error,
    size_t error_size)
{
	size_t i;

	f->decimal_comma = decimal_comma;
	for (i = 0; i < f->count; i++) {
		struct condition *c = &f->conditions[i];

		c->column = ka_column_of(roles, header, c->column_name);
		if (c->column < 0) {
			snprintf(error, error_size, "--where \"%s\": no column "
			    "\"%s\" in the header", c->expression,
			    c->column_name);
			return -1;
		}
		c->value_is_number = ka_dec_parse(c->value, c->value_length,
		    decimal_comma, &c->number) == KA_DEC_OK;
		c->value_is_date = parse_date(f, c->value, c->value_length,
		    &c->date) == 0;
		if (c->pattern != NULL && f->match_data == NULL) {
			f->match_data = pcre2_match_data_create(1, NULL);
			f->match_context = pcre2_match_context_create(NULL);
			if (f->match_data == NULL || f->match_context == NULL)
				ka_die(KA_EXIT_DATA, "out of memory");
			pcre2_set_match_limit(f->match_context, MATCH_LIMIT);
			pcre2_set_depth_limit(f->match_context, DEPTH_LIMIT);
		}
	}
	return 0;
}

static int
compare_text(const char *a, size_t a_length, const char *b, size_t b_length)
{
	size_t n = a_length < b_length ? a_length : b_length;
	int r = memcmp(a, b, n);

	if (r != 0)
		return r;
	return a_length < b_length ? -1 : a_length > b_length;
}

static int
holds(enum op op, int order)
{
	switch (op) {
	case OP_EQ:
		return order == 0;
	case OP_NE:
		return order != 0;
	case OP_LT:
		return order < 0;
	case OP_LE:
		return order <= 0;
	case OP_GT:
		return order > 0;
	default:
		return order >= 0;
	}
}

int
ka_filter_match(ka_filter *f, const ka_record *rec, char *error,
    size_t error_size)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		struct condition *c = &f->conditions[i];
		const char *text;
		size_t length;
		int order, rc;
		ka_dec number;
		ka_date date;

		if ((size_t)c->column >= rec->nfields) {
			text = "";
			length = 0;
		} else {
			text = ka_field(rec, (size_t)c->column);
			length = ka_field_length(rec, (size_t)c->column);
		}
		if (c->pattern != NULL) {
			rc = pcre2_match(c->pattern, (PCRE2_SPTR)text, length,
			    0, 0, f->match_data, f->match_context);
			if (rc == PCRE2_ERROR_MATCHLIMIT ||
			    rc == PCRE2_ERROR_DEPTHLIMIT ||
			    rc == PCRE2_ERROR_HEAPLIMIT) {
				snprintf(error, error_size, "%s:%lu: --where "
				    "\"%s\": the pattern hit its match limit "
				    "on column %s; simplify the pattern",
				    rec->file, rec->line, c->expression,
				    c->column_name);
				return -1;
			}
			if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
				PCRE2_UCHAR message[256];

				pcre2_get_error_message(rc, message,
				    sizeof(message));
				snprintf(error, error_size, "%s:%lu: --where "
				    "\"%s\": %s", rec->file, rec->line,
				    c->expression, (char *)message);
				return -1;
			}
			if ((rc >= 0) != (c->op == OP_MATCH))
				return 0;
			continue;
		}
		if (c->value_is_number && ka_dec_parse(text, length,
		    f->decimal_comma, &number) == KA_DEC_OK)
			order = number < c->number ? -1 : number > c->number;
		else if (c->value_is_date && parse_date(f, text, length,
		    &date) == 0)
			order = date < c->date ? -1 : date > c->date;
		else
			order = compare_text(text, length, c->value,
			    c->value_length);
		if (!holds(c->op, order))
			return 0;
	}
	return 1;
}
