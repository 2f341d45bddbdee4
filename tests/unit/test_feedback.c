#include "check.h"
#include "ka_feedback.h"

static void
test_placeholder(void)
{
	CHECK(1);
}

int
main(void)
{
	RUN(test_placeholder);
	return CHECK_EXIT();
}
