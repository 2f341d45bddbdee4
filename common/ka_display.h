/*
 * ka_display: figures and text for people rather than for pipes:
 * grouped numbers ("1,234,567.89"), percentages, cells padded to a
 * terminal width (CJK counted as two columns), sparklines, and HTML
 * escaping.  Output goes to a growable string buffer.
 */
#ifndef KA_DISPLAY_H
#define KA_DISPLAY_H

#include <stddef.h>

#include "ka_decimal.h"

struct ka_buf {
	char	*text;
	size_t	 length, capacity;
};

void	ka_buf_free(struct ka_buf *b);
void	ka_buf_reset(struct ka_buf *b);
void	ka_buf_add(struct ka_buf *b, const char *text, size_t length);
void	ka_buf_puts(struct ka_buf *b, const char *text);
void	ka_buf_printf(struct ka_buf *b, const char *format, ...)
	    __attribute__((format(printf, 2, 3)));

/* "1,234,567.89": places 0..4, rounded half away from zero. */
size_t	ka_display_money(ka_dec value, int places, char *out, size_t size);
/* "+12.3%" / "-4.0%" (sign when signed), or "n/a" for NaN. */
size_t	ka_display_percent(double value, int places, int signed_form,
	    char *out, size_t size);
/* A cell of exactly width columns, cut with "…" (or "~" in ASCII). */
void	ka_display_cell(struct ka_buf *b, const char *text, size_t width,
	    int right, int ascii);
/* A sparkline of n values: ▁▂▃▄▅▆▇█, or " .:-=+*#" with ascii. */
void	ka_display_sparkline(struct ka_buf *b, const double *values, size_t n,
	    int ascii);
/* A bar of value/max over width columns: █ and partial blocks, or #. */
void	ka_display_bar(struct ka_buf *b, double value, double max,
	    size_t width, int ascii);
/* A word for a shell command line shown to a person, quoted where it
 * needs it ('...' with ' written as '\\'') so it can be pasted. */
void	ka_shell_word(struct ka_buf *b, const char *word);
/* Text with & < > " ' escaped for HTML and XML (SVG) alike. */
void	ka_html_escape(struct ka_buf *b, const char *text, size_t length);

#endif
