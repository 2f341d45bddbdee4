/* Placeholder until the visits section lands: refuses, never pretends. */
#include <stdio.h>

#include "ka_report_sections.h"

int
ka_report_visits(const struct ka_report_inputs *in, struct ka_report_section *out,
    char *error, size_t size)
{
	(void)in;
	(void)out;
	snprintf(error, size, "the visits section is not built yet");
	return -2;
}
