// SPDX-License-Identifier: BSD-2-Clause
// The first user task: checks, from EL0, what every later task relies on —
// start-up and stdio, FP/SIMD, thread-local errno, the heap, system calls.
// Each check prints one line "hello: WHAT ok" or "hello: WHAT FAIL (...)",
// and the last line is "hello: done N failed", for a scenario test to grep.
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>

static int failures;

static void result(const char *what, int ok, const char *detail)
{
	if (ok) {
		printf("hello: %s ok\n", what);
	} else {
		printf("hello: %s FAIL (%s)\n", what, detail);
		failures++;
	}
}

/* Keeps the compiler from folding the FP arithmetic into a constant. */
static volatile double fp_a = 1.5, fp_b = 3.0;

static void check_fp(void)
{
	char buf[32];

	printf("fp %.3f\n", fp_a * fp_b);
	snprintf(buf, sizeof(buf), "%.3f", fp_a * fp_b);
	result("fp", strcmp(buf, "4.500") == 0, buf);
}

static void check_errno(void)
{
	errno = 0;
	errno = ERANGE;
	int e1 = errno;
	/* A library call that must set it. */
	errno = 0;
	long v = strtol("99999999999999999999999", NULL, 10);
	int e2 = errno;

	result("errno", e1 == ERANGE && v == LONG_MAX && e2 == ERANGE, "errno did not stick");
}

/* Initialised thread-local data: comes from the TLS template (.tdata). */
static _Thread_local int tls_value = 42;

static void check_tls(void)
{
	uintptr_t tp;
	int ok;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	/* errno and tls_value live in this thread's TLS area, behind TPIDR_EL0. */
	ok = tp != 0 && (uintptr_t)&errno > tp && (uintptr_t)&errno < tp + cv_tls_area_size() &&
	     (uintptr_t)&tls_value > tp && (uintptr_t)&tls_value < tp + cv_tls_area_size();
	ok = ok && tls_value == 42;
	tls_value = 7;
	/* A fresh area for another thread starts from the untouched template. */
	void *area = aligned_alloc(cv_tls_area_align(), cv_tls_area_size());
	if (area) {
		uintptr_t off = (uintptr_t)&tls_value - tp;

		ok = ok && cv_tls_init(area) == area && *(int *)((char *)area + off) == 42;
		free(area);
	}
	result("tls", ok && area && tls_value == 7, "TLS area or template wrong");
}

static void check_malloc(void)
{
	static const size_t sizes[] = {1, 16, 100, 4096, 65536, 300000};
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	int ok = 1;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = malloc(sizes[i]);
		if (!p[i] || ((uintptr_t)p[i] & 7)) {
			ok = 0;
			continue;
		}
		memset(p[i], (int)(0xa0 + i), sizes[i]);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const unsigned char *b = p[i];

		if (b && (b[0] != 0xa0 + i || b[sizes[i] - 1] != 0xa0 + i))
			ok = 0;
		free(p[i]);
	}
	/* Freed memory is reused: a second big block fits again. */
	void *again = malloc(300000);

	ok = ok && again;
	free(again);
	result("malloc", ok, "allocation failed or memory overlapped");
}

static void check_syscalls(void)
{
	enum cv_status st = cv_null();

	result("null_syscall", st == CV_OK, cv_strerror(st));
	st = cv_syscall(CV_SYS_COUNT + 1000, 0, 0, 0, 0, 0, 0, NULL);
	result("bad_syscall", st == CV_E_BAD_SYSCALL, cv_strerror(st));
}

int main(void *arg)
{
	printf("hello from EL0\n");
	printf("hello: arg %p\n", arg);
	check_fp();
	check_errno();
	check_tls();
	check_malloc();
	check_syscalls();
	printf("hello: done %d failed\n", failures);
	return failures ? 1 : 0;
}
