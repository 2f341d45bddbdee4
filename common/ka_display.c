#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_display.h"
#include "ka_msg.h"
#include "ka_utf8.h"

void
ka_buf_free(struct ka_buf *b)
{
	free(b->text);
	b->text = NULL;
	b->length = b->capacity = 0;
}

void
ka_buf_reset(struct ka_buf *b)
{
	b->length = 0;
	if (b->text != NULL)
		b->text[0] = '\0';
}

static void
reserve(struct ka_buf *b, size_t more)
{
	if (b->length + more + 1 <= b->capacity)
		return;
	b->capacity = (b->length + more + 1) * 2 + 64;
	b->text = realloc(b->text, b->capacity);
	if (b->text == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
}

void
ka_buf_add(struct ka_buf *b, const char *text, size_t length)
{
	reserve(b, length);
	memcpy(b->text + b->length, text, length);
	b->length += length;
	b->text[b->length] = '\0';
}

void
ka_buf_puts(struct ka_buf *b, const char *text)
{
	ka_buf_add(b, text, strlen(text));
}

void
ka_buf_printf(struct ka_buf *b, const char *format, ...)
{
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	if (n < 0)
		return;
	reserve(b, (size_t)n);
	va_start(args, format);
	vsnprintf(b->text + b->length, (size_t)n + 1, format, args);
	va_end(args);
	b->length += (size_t)n;
}

size_t
ka_display_money(ka_dec value, int places, char *out, size_t size)
{
	char plain[KA_DEC_BUFSIZE], grouped[KA_DEC_BUFSIZE * 2];
	const char *digits, *point;
	size_t n = 0, integer_digits, i;

	ka_dec_format(value, places, plain);
	digits = plain[0] == '-' ? plain + 1 : plain;
	if (plain[0] == '-')
		grouped[n++] = '-';
	point = strchr(digits, '.');
	integer_digits = point ? (size_t)(point - digits) : strlen(digits);
	for (i = 0; i < integer_digits; i++) {
		if (i > 0 && (integer_digits - i) % 3 == 0)
			grouped[n++] = ',';
		grouped[n++] = digits[i];
	}
	if (point != NULL) {
		strcpy(grouped + n, point);
		n += strlen(point);
	}
	grouped[n] = '\0';
	snprintf(out, size, "%s", grouped);
	return strlen(out);
}

/*
 * Percentages round half away from zero, as ka_dec and ka-rank do:
 * printf's "%.1f" rounds -6.25 to "-6.2" (to even), where the same
 * figure from ka-rank's 2-decimal output rounds to "-6.3".  The digits
 * are printed with six more places and rounded as decimal text, so a
 * 2-decimal value such as 12.35 (12.3499... in binary) gives 12.4.
 */
size_t
ka_display_percent(double value, int places, int signed_form, char *out,
    size_t size)
{
	char digits[400];
	size_t length, keep, i;
	int n, carry;

	if (isnan(value) || isinf(value) || places < 0 || places > 6) {
		n = snprintf(out, size, "n/a");
		return n < 0 ? 0 : (size_t)n;
	}
	snprintf(digits + 1, sizeof(digits) - 1, "%.*f", places + 6,
	    fabs(value));
	digits[0] = '0';	/* room for a carry: 99.96 -> 100.0 */
	length = strlen(digits);
	keep = length - 6 - (places == 0 ? 1 : 0);
	carry = digits[length - 6] >= '5';
	digits[keep] = '\0';
	for (i = keep; carry && i-- > 0;) {
		if (digits[i] == '.')
			continue;
		if (digits[i] == '9') {
			digits[i] = '0';
		} else {
			digits[i]++;
			carry = 0;
		}
	}
	n = snprintf(out, size, "%s%s%%", value < 0 ? "-" : signed_form ?
	    "+" : "", digits[0] == '0' && digits[1] != '.' &&
	    digits[1] != '\0' ? digits + 1 : digits);
	return n < 0 ? 0 : (size_t)n;
}

/* Bytes of text that fit in width columns, leaving room for a mark. */
static size_t
fitting_bytes(const char *text, size_t width, size_t *shown)
{
	size_t i = 0, used = 0, step, w;
	const unsigned char *s = (const unsigned char *)text;

	while (text[i] != '\0') {
		step = 1;
		if (s[i] >= 0xf0)
			step = 4;
		else if (s[i] >= 0xe0)
			step = 3;
		else if (s[i] >= 0xc0)
			step = 2;
		w = ka_utf8_width(text + i, strnlen(text + i, step));
		if (used + w > width)
			break;
		used += w;
		i += strnlen(text + i, step);
	}
	*shown = used;
	return i;
}

void
ka_display_cell(struct ka_buf *b, const char *text, size_t width, int right,
    int ascii)
{
	size_t length = strlen(text), shown = ka_utf8_width(text, length);
	size_t pad, bytes;

	if (shown > width) {
		bytes = fitting_bytes(text, width > 0 ? width - 1 : 0, &shown);
		ka_buf_add(b, text, bytes);
		ka_buf_puts(b, ascii ? "~" : "\xe2\x80\xa6");
		shown++;
		while (shown++ < width)
			ka_buf_add(b, " ", 1);
		return;
	}
	pad = width - shown;
	if (right)
		while (pad-- > 0)
			ka_buf_add(b, " ", 1);
	ka_buf_add(b, text, length);
	if (!right)
		while (pad-- > 0)
			ka_buf_add(b, " ", 1);
}

void
ka_display_sparkline(struct ka_buf *b, const double *values, size_t n,
    int ascii)
{
	static const char *const blocks[8] = { "\xe2\x96\x81", "\xe2\x96\x82",
		"\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
		"\xe2\x96\x87", "\xe2\x96\x88" };
	static const char levels[] = "_.-:=+*#";
	double low = 0, high = 0;
	size_t i;
	int level;

	for (i = 0; i < n; i++) {
		if (i == 0 || values[i] < low)
			low = values[i];
		if (i == 0 || values[i] > high)
			high = values[i];
	}
	/* Zero sits at the bottom unless there are negative weeks. */
	if (low > 0)
		low = 0;
	for (i = 0; i < n; i++) {
		level = high > low ? (int)floor((values[i] - low) /
		    (high - low) * 7.0 + 0.5) : 0;
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		if (ascii)
			ka_buf_add(b, &levels[level], 1);
		else
			ka_buf_puts(b, blocks[level]);
	}
}

void
ka_display_bar(struct ka_buf *b, double value, double max, size_t width,
    int ascii)
{
	static const char *const partial[8] = { "", "\xe2\x96\x8f",
		"\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
		"\xe2\x96\x8a", "\xe2\x96\x89" };
	double eighths;
	size_t full, i, used;
	int rest;

	if (max <= 0 || value <= 0) {
		for (i = 0; i < width; i++)
			ka_buf_add(b, " ", 1);
		return;
	}
	eighths = value / max * (double)width * 8.0;
	if (eighths > (double)width * 8.0)
		eighths = (double)width * 8.0;
	full = (size_t)(eighths / 8.0);
	rest = (int)(eighths - (double)full * 8.0);
	for (i = 0; i < full; i++)
		ka_buf_puts(b, ascii ? "#" : "\xe2\x96\x88");
	used = full;
	if (rest > 0 && used < width) {
		ka_buf_puts(b, ascii ? (rest >= 4 ? "#" : " ") : partial[rest]);
		used++;
	}
	while (used++ < width)
		ka_buf_add(b, " ", 1);
}

void
ka_html_escape(struct ka_buf *b, const char *text, size_t length)
{
	size_t i, start = 0;

	for (i = 0; i < length; i++) {
		const char *entity;

		switch (text[i]) {
		case '&':
			entity = "&amp;";
			break;
		case '<':
			entity = "&lt;";
			break;
		case '>':
			entity = "&gt;";
			break;
		case '"':
			entity = "&quot;";
			break;
		case '\'':
			entity = "&#39;";
			break;
		default:
			continue;
		}
		ka_buf_add(b, text + start, i - start);
		ka_buf_puts(b, entity);
		start = i + 1;
	}
	ka_buf_add(b, text + start, length - start);
}

void
ka_shell_word(struct ka_buf *b, const char *word)
{
	const char *p;

	if (*word != '\0' && strspn(word, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+,:=@%") ==
	    strlen(word)) {
		ka_buf_puts(b, word);
		return;
	}
	ka_buf_puts(b, "'");
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'')
			ka_buf_puts(b, "'\\''");
		else
			ka_buf_add(b, p, 1);
	}
	ka_buf_puts(b, "'");
}
