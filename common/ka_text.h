/* ka_text: small things every reader of fields does to their text. */
#ifndef KA_TEXT_H
#define KA_TEXT_H

#include <stddef.h>

/*
 * Drops the blanks (spaces and tabs) at both ends of the length bytes
 * at *text.  Inline: programs trim fields on their hot paths.
 */
static inline void
ka_text_trim(const char **text, size_t *length)
{
	while (*length > 0 && (**text == ' ' || **text == '\t')) {
		(*text)++;
		(*length)--;
	}
	while (*length > 0 && ((*text)[*length - 1] == ' ' ||
	    (*text)[*length - 1] == '\t'))
		(*length)--;
}

/*
 * How many bytes of a bad value a message quotes (as "%.*s"): all of
 * it up to 60 bytes, else the first 60 or fewer, cut between UTF-8
 * characters.
 */
static inline int
ka_text_shown(const char *text, size_t length)
{
	if (length <= 60)
		return (int)length;
	length = 60;
	while (length > 0 && ((unsigned char)text[length] & 0xc0) == 0x80)
		length--;
	return (int)length;
}

#endif
