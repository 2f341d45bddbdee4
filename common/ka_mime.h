/*
 * ka_mime: a report as an e-mail message ready for `sendmail -t`:
 * MIME multipart/alternative with a text and an HTML part, both UTF-8
 * in base64, the subject RFC 2047 encoded when it is not plain ASCII.
 * The boundary is derived from the content, so the same report gives
 * the same bytes.
 */
#ifndef KA_MIME_H
#define KA_MIME_H

#include <stddef.h>

#include "ka_date.h"
#include "ka_display.h"

struct ka_mime_message {
	const char	*from;
	const char	*to;
	const char	*subject;
	ka_date		 date;		/* the Date: header, at 00:00 UTC */
	const char	*text;
	size_t		 text_length;
	const char	*html;
	size_t		 html_length;
};

void	ka_mime_write(struct ka_buf *out, const struct ka_mime_message *m);
/* RFC 2047 "=?UTF-8?B?...?=" words for a header value, folded. */
void	ka_mime_header_words(struct ka_buf *out, const char *value);
void	ka_base64(struct ka_buf *out, const char *data, size_t length,
	    size_t line_width);

#endif
