#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ka_keys.h"
#include "ka_mime.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
ka_base64(struct ka_buf *out, const char *data, size_t length,
    size_t line_width)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i, column = 0;
	char quad[4];

	for (i = 0; i < length; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;

		if (i + 1 < length)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < length)
			v |= s[i + 2];
		quad[0] = alphabet[v >> 18 & 63];
		quad[1] = alphabet[v >> 12 & 63];
		quad[2] = i + 1 < length ? alphabet[v >> 6 & 63] : '=';
		quad[3] = i + 2 < length ? alphabet[v & 63] : '=';
		ka_buf_add(out, quad, 4);
		column += 4;
		if (line_width > 0 && column >= line_width && i + 3 < length) {
			ka_buf_puts(out, "\r\n");
			column = 0;
		}
	}
}

static int
plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20)
			return 0;
	return 1;
}

/* Length of the UTF-8 character starting at s. */
static size_t
char_length(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	return strnlen(s, n);
}

void
ka_mime_header_words(struct ka_buf *out, const char *value)
{
	size_t length = strlen(value), start = 0, end, n;

	if (plain_ascii(value)) {
		/* Folded at spaces to keep lines within 78 characters
		   (RFC 5322 2.1.1), counting "Subject: " before the first. */
		size_t column = 9, word;

		for (start = 0; start < length; start = end) {
			end = start + 1;
			while (end < length && value[end] != ' ')
				end++;
			word = end - start;
			if (start > 0 && value[start] == ' ' &&
			    column + word > 78) {
				ka_buf_puts(out, "\r\n");
				column = 0;
			}
			ka_buf_add(out, value + start, word);
			column += word;
		}
		return;
	}
	/* Each word holds at most 42 bytes: 56 base64 characters, a word
	 * of 68, so "Subject: " and a word stay within 78 characters (and
	 * a word within RFC 2047's 75); words never split a character. */
	while (start < length) {
		end = start;
		while (end < length && end - start + (n = char_length(value +
		    end)) <= 42)
			end += n;
		if (start > 0)
			ka_buf_puts(out, "\r\n ");
		ka_buf_puts(out, "=?UTF-8?B?");
		ka_base64(out, value + start, end - start, 0);
		ka_buf_puts(out, "?=");
		start = end;
	}
}

/* One address: a display name is encoded, the <address> kept as is. */
static void
one_address(struct ka_buf *out, const char *text, size_t length)
{
	struct ka_buf name = { 0 };
	const char *angle;
	size_t name_length;

	while (length > 0 && (*text == ' ' || *text == '\t'))
		text++, length--;
	while (length > 0 && (text[length - 1] == ' ' ||
	    text[length - 1] == '\t'))
		length--;
	angle = memchr(text, '<', length);
	ka_buf_add(&name, text, angle != NULL ? (size_t)(angle - text) : 0);
	if (angle == NULL || name.length == 0 || plain_ascii(name.text)) {
		ka_buf_add(out, text, length);
		ka_buf_free(&name);
		return;
	}
	name_length = name.length;
	while (name_length > 0 && name.text[name_length - 1] == ' ')
		name_length--;
	if (name_length >= 2 && name.text[0] == '"' &&
	    name.text[name_length - 1] == '"') {
		memmove(name.text, name.text + 1, name_length - 2);
		name_length -= 2;
	}
	name.text[name_length] = '\0';
	ka_mime_header_words(out, name.text);
	ka_buf_puts(out, " ");
	ka_buf_add(out, angle, length - (size_t)(angle - text));
	ka_buf_free(&name);
}

/*
 * From: and To: hold addresses ("张经理 <boss@example.com>, ops@..."):
 * only the display names may be encoded words (RFC 2047 section 5), or
 * sendmail -t finds no recipient.  Commas inside quotes or <> do not
 * separate addresses.
 */
static void
address_words(struct ka_buf *out, const char *value)
{
	const char *p = value, *start;
	int quoted = 0, angle = 0;

	/* A line break would start a header of its own: encode it all. */
	for (start = value; *start != '\0'; start++)
		if ((unsigned char)*start < 0x20) {
			ka_mime_header_words(out, value);
			return;
		}
	while (*p != '\0') {
		for (start = p; *p != '\0'; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (!quoted && *p == '<')
				angle = 1;
			else if (!quoted && *p == '>')
				angle = 0;
			else if (!quoted && !angle && *p == ',')
				break;
		}
		one_address(out, start, (size_t)(p - start));
		/* One address a line: a list stays within 78 columns. */
		if (*p == ',') {
			ka_buf_puts(out, ",\r\n ");
			p++;
		}
	}
}

static void
part(struct ka_buf *out, const char *boundary, const char *type,
    const char *body, size_t length)
{
	ka_buf_printf(out, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", boundary, type);
	ka_base64(out, body, length, 76);
	ka_buf_puts(out, "\r\n");
}

void
ka_mime_write(struct ka_buf *out, const struct ka_mime_message *m)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
		"Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
		"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char boundary[64];
	int year, month, day;
	uint64_t h;

	h = ka_hash(m->text, m->text_length) ^
	    (ka_hash(m->html, m->html_length) * 31);
	snprintf(boundary, sizeof(boundary), "=_ka-report_%016" PRIx64, h);
	ka_date_to_ymd(m->date, &year, &month, &day);
	if (m->from != NULL) {
		ka_buf_puts(out, "From: ");
		address_words(out, m->from);
		ka_buf_puts(out, "\r\n");
	}
	if (m->to != NULL) {
		ka_buf_puts(out, "To: ");
		address_words(out, m->to);
		ka_buf_puts(out, "\r\n");
	}
	ka_buf_puts(out, "Subject: ");
	ka_mime_header_words(out, m->subject);
	ka_buf_printf(out, "\r\nDate: %s, %02d %s %04d 00:00:00 +0000\r\n",
	    days[ka_date_weekday(m->date) - 1], day, months[month - 1], year);
	ka_buf_printf(out, "MIME-Version: 1.0\r\nContent-Type: "
	    "multipart/alternative; boundary=\"%s\"\r\n\r\n"
	    "This is a MIME message: a text and an HTML version of the "
	    "same report.\r\n\r\n", boundary);
	part(out, boundary, "text/plain", m->text, m->text_length);
	part(out, boundary, "text/html", m->html, m->html_length);
	ka_buf_printf(out, "--%s--\r\n", boundary);
}
