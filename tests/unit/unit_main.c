// SPDX-License-Identifier: BSD-2-Clause
// Runs every registered unit test of one test program; see unit.h.
#include "unit.h"

#include <string.h>

#define UNIT_MAX_TESTS 512

static const struct unit_test *tests[UNIT_MAX_TESTS];
static int test_count;
int unit_failures_in_test;
static const char *current_test;

void unit_register(const struct unit_test *t)
{
	if (test_count == UNIT_MAX_TESTS) {
		fprintf(stderr, "unit: more than %d tests\n", UNIT_MAX_TESTS);
		exit(2);
	}
	tests[test_count++] = t;
}

void unit_fail(const char *file, int line, const char *expr)
{
	if (unit_failures_in_test++ == 0)
		printf("FAIL %s: %s:%d: %s\n", current_test, file, line, expr);
	else
		printf("     %s: %s:%d: %s\n", current_test, file, line, expr);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	for (int i = 0; i < test_count; i++) {
		if (only && strcmp(only, tests[i]->name) != 0)
			continue;
		current_test = tests[i]->name;
		unit_failures_in_test = 0;
		tests[i]->fn();
		if (unit_failures_in_test) {
			failed++;
		} else {
			printf("ok %s\n", tests[i]->name);
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return (failed || passed == 0) ? 1 : 0;
}
