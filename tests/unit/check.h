/*
 * Minimal unit-test support for libka.  Each test binary runs a list of
 * test functions; every function prints one line, "PASS name" or
 * "FAIL name", and the runner (tests/run) counts those lines.  A failed
 * check prints where and why before the FAIL line, so a failure is
 * readable without a debugger.
 */
#ifndef KA_CHECK_H
#define KA_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;	/* failures inside the current test */
static int check_total_failed;	/* tests failed in this binary */

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stdout, "  %s:%d: check failed: %s\n", \
		    __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_INT(got, want) do { \
	long long check_g = (long long)(got), check_w = (long long)(want); \
	if (check_g != check_w) { \
		fprintf(stdout, "  %s:%d: %s is %lld, want %lld\n", \
		    __FILE__, __LINE__, #got, check_g, check_w); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *check_g = (got), *check_w = (want); \
	if (check_g == NULL || strcmp(check_g, check_w) != 0) { \
		fprintf(stdout, "  %s:%d: %s is \"%s\", want \"%s\"\n", \
		    __FILE__, __LINE__, #got, \
		    check_g ? check_g : "(null)", check_w); \
		check_failures++; \
	} \
} while (0)

#define RUN(test) do { \
	check_failures = 0; \
	test(); \
	printf("%s %s\n", check_failures ? "FAIL" : "PASS", #test); \
	if (check_failures) \
		check_total_failed++; \
} while (0)

#define CHECK_EXIT() (check_total_failed ? 1 : 0)

#endif
