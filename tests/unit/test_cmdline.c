// SPDX-License-Identifier: BSD-2-Clause
// kernel/cmdline.c: whole-word lookup of NAME and NAME=VALUE.
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

#define SENTINEL 0x5a

/* cmdline_get into a heap buffer of exactly `size` bytes (so ASan sees any
 * write past it); on success checks the value, on failure that the buffer
 * was left alone. */
static bool get_is(const char *cmdline, const char *name, size_t size, const char *want)
{
	char *buf = malloc(size ? size : 1);
	bool ok;

	if (!buf)
		abort();
	memset(buf, SENTINEL, size ? size : 1);
	if (cmdline_get(cmdline, name, buf, size))
		ok = want && strcmp(buf, want) == 0;
	else
		ok = !want;
	free(buf);
	return ok;
}

/* cmdline_get fails and writes nothing. */
static bool get_fails(const char *cmdline, const char *name, size_t size)
{
	char *buf = malloc(size ? size : 1);
	bool ok = true;

	if (!buf)
		abort();
	memset(buf, SENTINEL, size ? size : 1);
	if (cmdline_get(cmdline, name, buf, size))
		ok = false;
	for (size_t i = 0; i < size; i++)
		if ((unsigned char)buf[i] != SENTINEL)
			ok = false;
	free(buf);
	return ok;
}

UNIT_TEST(cmdline_has_whole_words)
{
	CHECK(cmdline_has("selftest", "selftest"));
	CHECK(cmdline_has("a selftest b", "selftest"));
	CHECK(cmdline_has("a b selftest", "selftest"));
	CHECK(cmdline_has("selftest=all", "selftest"));
	CHECK(cmdline_has("x selftest= y", "selftest"));
	CHECK(!cmdline_has("selftests", "selftest"));
	CHECK(!cmdline_has("xselftest", "selftest"));
	CHECK(!cmdline_has("self", "selftest"));
	CHECK(!cmdline_has("selftests xselftest selftes", "selftest"));
	CHECK(!cmdline_has("selftest_x=1", "selftest"));
	CHECK(!cmdline_has("a=selftest", "selftest"));
	CHECK(!cmdline_has("foo=selftest selftests=selftest", "selftest"));
	CHECK(cmdline_has("selftests selftest", "selftest"));
	CHECK(cmdline_has("xselftest selftest=1", "selftest"));
}

UNIT_TEST(cmdline_has_separators)
{
	CHECK(cmdline_has("  selftest  ", "selftest"));
	CHECK(cmdline_has("\tselftest\t", "selftest"));
	CHECK(cmdline_has("a \t \tselftest\t\t b", "selftest"));
	CHECK(cmdline_has("a\tb\tc", "b"));
	CHECK(!cmdline_has("a\tbc", "b"));
	CHECK(!cmdline_has("   ", "selftest"));
	CHECK(!cmdline_has("\t", "a"));
}

UNIT_TEST(cmdline_empty)
{
	CHECK(!cmdline_has("", "selftest"));
	CHECK(get_fails("", "a", 8));
	CHECK(get_fails("   ", "a", 8));
}

UNIT_TEST(cmdline_get_values)
{
	CHECK(get_is("console=ttyAMA0", "console", 16, "ttyAMA0"));
	CHECK(get_is("a=1 b=22 c=333", "a", 8, "1"));
	CHECK(get_is("a=1 b=22 c=333", "b", 8, "22"));
	CHECK(get_is("a=1 b=22 c=333", "c", 8, "333"));
	CHECK(get_is("x\ta=v1\tb=v2", "a", 8, "v1"));
	CHECK(get_is("  a=v1   ", "a", 8, "v1"));
	/* The value runs to the next blank and may hold '='. */
	CHECK(get_is("opt=k=v,w=z rest", "opt", 16, "k=v,w=z"));
	/* Only a whole NAME matches. */
	CHECK(get_is("ab=1 a=2", "a", 8, "2"));
	CHECK(get_is("xa=1 a=2", "a", 8, "2"));
	CHECK(get_fails("ab=1 xa=2", "a", 8));
	/* The first of several is taken. */
	CHECK(get_is("a=1 a=2", "a", 8, "1"));
}

UNIT_TEST(cmdline_get_empty_value)
{
	CHECK(get_is("a=", "a", 8, ""));
	CHECK(get_is("a= b=2", "a", 8, ""));
	CHECK(get_is("a=\tb=2", "a", 1, ""));
	CHECK(get_is("b=2 a=", "a", 1, ""));
}

UNIT_TEST(cmdline_get_without_value)
{
	/* NAME on its own has no value. */
	CHECK(get_fails("a", "a", 8));
	CHECK(get_fails("x a y", "a", 8));
	CHECK(cmdline_has("x a y", "a"));
	CHECK(get_fails("selftest", "selftest", 8));
}

UNIT_TEST(cmdline_get_buffer_size)
{
	/* "12345" needs 6 bytes with its NUL. */
	CHECK(get_is("n=12345", "n", 6, "12345"));
	CHECK(get_is("n=12345", "n", 7, "12345"));
	CHECK(get_fails("n=12345", "n", 5));
	CHECK(get_fails("n=12345", "n", 1));
	CHECK(get_fails("n=12345 m=1", "n", 3));
	/* Size 0: always false and nothing written (the buffer may be NULL). */
	CHECK(get_fails("n=1", "n", 0));
	CHECK(!cmdline_get("n=", "n", NULL, 0));
}

UNIT_TEST(cmdline_long_lines)
{
	/* A 500-character line with the word at the very end. */
	char line[512];
	memset(line, 'x', sizeof(line));
	memcpy(line + 494, " k=end", 7);
	CHECK_EQ(strlen(line), 500);
	CHECK(get_is(line, "k", 4, "end"));
	CHECK(!cmdline_has(line, "x"));
	line[10] = ' ';
	CHECK(!cmdline_has(line, "x"));
	CHECK(cmdline_has(line, "xxxxxxxxxx"));
}
