// SPDX-License-Identifier: BSD-2-Clause
// kernel/format.c against the host's C library: every format both support
// must produce the same bytes and the same return value, for every buffer
// size from 0 up past the full length (so truncation is checked too).
#include "unit.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"

#define SENTINEL 0x5a
#define BUF_MAX 4096

/* Formats with both implementations into buffers of every size up to the
 * full length + 2 (and a few past) and reports any difference at the
 * caller's line. */
static void compare_v(const char *file, int line, const char *fmt, va_list ap)
{
	static char want[BUF_MAX], got[BUF_MAX];
	va_list aq;
	char msg[512];

	va_copy(aq, ap);
	int want_len = vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	if (want_len < 0 || want_len >= BUF_MAX - 8) {
		snprintf(msg, sizeof(msg), "host vsnprintf(\"%s\") gave %d", fmt, want_len);
		unit_fail(file, line, msg);
		return;
	}

	size_t limit = (size_t)want_len + 3;
	for (size_t size = 0; size <= limit; size++) {
		memset(got, SENTINEL, sizeof(got));
		va_copy(aq, ap);
		int got_len = format_vsnprintf(got, size, fmt, aq);
		va_end(aq);

		if (got_len != want_len) {
			snprintf(msg, sizeof(msg), "\"%s\" size %zu: returned %d, host %d", fmt, size,
				 got_len, want_len);
			unit_fail(file, line, msg);
			break;
		}
		if (size == 0) {
			if ((unsigned char)got[0] != SENTINEL) {
				snprintf(msg, sizeof(msg), "\"%s\" size 0: wrote into the buffer", fmt);
				unit_fail(file, line, msg);
				break;
			}
			continue;
		}
		size_t kept = (size_t)want_len < size - 1 ? (size_t)want_len : size - 1;
		bool bad = memcmp(got, want, kept) != 0 || got[kept] != '\0';
		for (size_t i = kept + 1; i < limit + 8; i++)
			if ((unsigned char)got[i] != SENTINEL)
				bad = true;
		if (bad) {
			snprintf(msg, sizeof(msg), "\"%s\" size %zu: got \"%.*s\", host \"%.*s\"", fmt,
				 size, (int)kept, got, (int)kept, want);
			unit_fail(file, line, msg);
			break;
		}
	}
}

static void __attribute__((format(printf, 3, 4)))
compare_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(file, line, fmt, ap);
	va_end(ap);
}

/* The same, unchecked by the compiler: for well-defined formats that it
 * warns about anyway (a '0' flag next to '-', which C says is ignored). */
static void compare_raw_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(file, line, fmt, ap);
	va_end(ap);
}

#define CMP(...) compare_at(__FILE__, __LINE__, __VA_ARGS__)
#define CMP_RAW(...) compare_raw_at(__FILE__, __LINE__, __VA_ARGS__)

/* For formats the host's compiler would reject or print differently: the
 * exact expected text. No format attribute, so any format can be passed. */
static void expect_at(const char *file, int line, const char *want, const char *fmt, ...)
{
	char got[256];
	char msg[512];
	va_list ap;

	memset(got, SENTINEL, sizeof(got));
	va_start(ap, fmt);
	int n = format_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	if (n != (int)strlen(want) || strcmp(got, want) != 0) {
		snprintf(msg, sizeof(msg), "\"%s\": got \"%s\" (%d), want \"%s\" (%zu)", fmt, got, n,
			 want, strlen(want));
		unit_fail(file, line, msg);
	}
}

#define EXPECT(want, ...) expect_at(__FILE__, __LINE__, want, __VA_ARGS__)

UNIT_TEST(format_plain_text)
{
	CMP("%s", "");
	CMP("hello, world");
	CMP("%%");
	CMP("100%% sure %%%%");
	CMP("a\tb\nc");
	char empty[4];
	memset(empty, SENTINEL, sizeof(empty));
	CHECK_EQ(format_snprintf(empty, sizeof(empty), "%s", ""), 0);
	CHECK_EQ(empty[0], '\0');
}

UNIT_TEST(format_signed_decimal)
{
	static const long long values[] = {0, 1, -1, 9, 10, -10, 123456789, -987654321,
					   INT_MAX, INT_MIN, (long long)INT_MAX + 1,
					   LLONG_MAX, LLONG_MIN};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		long long v = values[i];
		int iv = (int)v;
		CMP("%d", iv);
		CMP("%i", iv);
		CMP("[%5d]", iv);
		CMP("[%-5d]", iv);
		CMP("[%05d]", iv);
		CMP("[%012d]", iv);
		CMP_RAW("[%-012d]", iv);
		CMP("[%1d]", iv);
		CMP("%lld", v);
		CMP("%lli", v);
		CMP("[%25lld]", v);
		CMP("[%-25lld]", v);
		CMP("[%025lld]", v);
		CMP("%ld", (long)v);
		CMP("%hd", (short)v);
		CMP("%hhd", (signed char)v);
		CMP("%td", (ptrdiff_t)v);
		CMP("%zd", (ssize_t)v);
	}
	CMP("%" PRId64, INT64_MIN);
	CMP("%" PRId64, INT64_MAX);
	CMP("%" PRIi64, INT64_MIN);
}

UNIT_TEST(format_unsigned_bases)
{
	static const unsigned long long values[] = {0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0xdeadbeef,
						    UINT_MAX, (unsigned long long)UINT_MAX + 1,
						    0x0123456789abcdefull, UINT64_MAX};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		unsigned long long v = values[i];
		unsigned uv = (unsigned)v;
		CMP("%u %x %X %o", uv, uv, uv, uv);
		CMP("[%8x] [%-8X] [%08o]", uv, uv, uv);
		CMP_RAW("[%-08u] [%-08x]", uv, uv);
		CMP("%llu %llx %llX %llo", v, v, v, v);
		CMP("[%30llo] [%-24llx] [%020llu]", v, v, v);
		CMP("%lu %lx", (unsigned long)v, (unsigned long)v);
		CMP("%hu %hx %ho", (unsigned short)v, (unsigned short)v, (unsigned short)v);
		CMP("%hhu %hhx %hhX", (unsigned char)v, (unsigned char)v, (unsigned char)v);
		CMP("%zu %zx", (size_t)v, (size_t)v);
		CMP("%tx", (ptrdiff_t)v);
	}
	CMP("%" PRIu64 " %" PRIx64 " %" PRIX64 " %" PRIo64, UINT64_MAX, UINT64_MAX, UINT64_MAX,
	    UINT64_MAX);
}

UNIT_TEST(format_length_modifiers_truncate_arguments)
{
	/* An int argument printed with hh/h keeps only the low bits. */
	CMP("%hhd %hhu %hd %hu", 0x17f, 0x1ff, 0x18000, 0x1ffff);
	CMP("%hhd %hhd", 128, -129);
	CMP("%hd %hd", 32768, -32769);
	CMP("%hhx %hx", -1, -1);
}

UNIT_TEST(format_star_width_and_precision)
{
	CMP("[%*d]", 6, 42);
	CMP("[%*d]", -6, 42);
	CMP("[%-*d]", 6, -42);
	CMP("[%0*d]", 6, -42);
	CMP("[%0*d]", -6, -42);
	CMP("[%*s]", 8, "abc");
	CMP("[%*s]", -8, "abc");
	CMP("[%*s]", 0, "abc");
	CMP("[%.*s]", 2, "abcdef");
	CMP("[%.*s]", 0, "abcdef");
	CMP("[%.*s]", -1, "abcdef");
	CMP("[%*.*s]", 6, 2, "abcdef");
	CMP("[%-*.*s]", 6, 3, "abcdef");
	CMP("[%*c]", 3, 'x');
	CMP("[%-*c]", 3, 'x');
	CMP("[%*x|%*lld]", 10, 0xabcu, -22, LLONG_MIN);
}

UNIT_TEST(format_strings_and_chars)
{
	CMP("%s", "abc");
	CMP("[%10s]", "abc");
	CMP("[%-10s]", "abc");
	CMP("[%2s]", "abcdef");
	CMP("[%.3s]", "abcdef");
	CMP("[%.10s]", "abc");
	CMP("[%.0s]", "abc");
	CMP("[%8.3s]", "abcdef");
	CMP("[%-8.3s]", "abcdef");
	CMP("[%.s]", "abc");
	CMP("%s=%s;%s", "key", "value", "");
	CMP("%c%c%c", 'a', 'b', 'c');
	CMP("[%4c] [%-4c] [%1c]", 'x', 'y', 'z');
	CMP("%c", 0xff);
	/* A NUL character counts in the length and lands in the buffer. */
	CMP("a%cb", 0);
	/* A long string wider than any small buffer. */
	static char big[1500];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CMP("<%s>", big);
	CMP("<%.700s>", big);
	CMP("[%1500d]", -5);
}

UNIT_TEST(format_null_string)
{
	const char *volatile null = NULL;
	EXPECT("(null)", "%s", null);
	EXPECT("[  (null)]", "[%8s]", null);
	EXPECT("[(null)  ]", "[%-8s]", null);
	EXPECT("[(nu]", "[%.3s]", null);
}

UNIT_TEST(format_pointer)
{
	/* %p is "0x" and 16 zero-padded hex digits, whatever the pointer. */
	EXPECT("0x0000000000000000", "%p", (void *)0);
	EXPECT("0x00000000deadbeef", "%p", (void *)(uintptr_t)0xdeadbeef);
	EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	EXPECT("<0x0000000000001000>", "<%p>", (void *)(uintptr_t)0x1000);
	/* Arguments after a %p are still read correctly. */
	EXPECT("0x0000000000000010 7 x", "%p %d %s", (void *)(uintptr_t)16, 7, "x");
}

UNIT_TEST(format_unknown_conversions_echoed)
{
	EXPECT("%y", "%y");
	EXPECT("a%qb", "a%qb");
	EXPECT("[%-08y]", "[%-08y]");
	EXPECT("%ly", "%ly");
	EXPECT("%hhy", "%hhy");
	EXPECT("%5.3y", "%5.3y");
	/* The unsupported flag '+' ends the directive; the rest is text. */
	EXPECT("%+d", "%+d", 5);
	/* A trailing lone '%' is echoed. */
	EXPECT("50%", "50%");
	EXPECT("x%-", "x%-");
	/* An unknown conversion consumes no argument. */
	EXPECT("%y 42 ok", "%y %d %s", 42, "ok");
	/* ... but a '*' before it does. */
	EXPECT("%*y 42", "%*y %d", 9, 42);
}

UNIT_TEST(format_truncation)
{
	char buf[16];

	memset(buf, SENTINEL, sizeof(buf));
	CHECK_EQ(format_snprintf(buf, 4, "%s", "abcdef"), 6);
	CHECK(memcmp(buf, "abc", 4) == 0);
	CHECK_EQ((unsigned char)buf[4], SENTINEL);

	memset(buf, SENTINEL, sizeof(buf));
	CHECK_EQ(format_snprintf(buf, 1, "%d", 12345), 5);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ((unsigned char)buf[1], SENTINEL);

	memset(buf, SENTINEL, sizeof(buf));
	CHECK_EQ(format_snprintf(buf, 0, "%d", 12345), 5);
	CHECK_EQ((unsigned char)buf[0], SENTINEL);

	/* Size 0 with no buffer at all: only the length. */
	CHECK_EQ(format_snprintf(NULL, 0, "%s-%d-%x", "abc", -1, 255u), 9);

	/* Truncated in the middle of a padded number. */
	memset(buf, SENTINEL, sizeof(buf));
	CHECK_EQ(format_snprintf(buf, 6, "%010d", -42), 10);
	CHECK(strcmp(buf, "-0000") == 0);
	/* And exactly at the end. */
	memset(buf, SENTINEL, sizeof(buf));
	CHECK_EQ(format_snprintf(buf, 6, "%5s", "ab"), 5);
	CHECK(strcmp(buf, "   ab") == 0);
}

/* Formats the arguments through format_vsnprintf in a child process, so an
 * abort (sanitizer or otherwise) or a hang is a failed check here rather
 * than the end of the whole program. Returns true if the child ended well
 * and the result was NUL-terminated within the buffer. */
static bool survives_star_width(int width)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		char buf[32];
		alarm(60);
		memset(buf, SENTINEL, sizeof(buf));
		int n = format_snprintf(buf, sizeof(buf), "[%*d]", width, 7);
		_exit(n >= 0 && memchr(buf, '\0', sizeof(buf)) != NULL ? 0 : 1);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

UNIT_TEST(format_star_width_int_min_is_defined)
{
	/* '*' takes any int; negating INT_MIN for the '-' flag is undefined
	 * behaviour in C, which UBSan reports (the child aborts). */
	CHECK(survives_star_width(-1000));
	CHECK(survives_star_width(INT_MIN));
}
