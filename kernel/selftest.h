/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-kernel self-tests, run at boot when the command line says `selftest`
 * (all) or `selftest=ID,ID,...`. Each prints "selftest ID ok" or
 * "selftest ID FAIL: reason"; the run ends with
 * "selftest: N passed, N failed". Scenario tests read these lines.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "kernel.h"

struct selftest {
	const char *id;
	const char *description;
	int (*run)(void); /* 0 passed; otherwise selftest_fail() was called */
};

#define SELFTEST(id_, description_)                                             \
	static int selftest_run_##id_(void);                                    \
	static const struct selftest selftest_##id_                             \
		__attribute__((used, section(".selftests"), aligned(8))) = {    \
			#id_, description_, selftest_run_##id_};                \
	static int selftest_run_##id_(void)

/* Records why the running test failed; returns -1 for `return selftest_fail(...)`. */
int selftest_fail(const char *fmt, ...) __printf(1, 2);

/* Runs the tests the command line selects; returns the number that failed. */
int selftest_run_selected(const char *cmdline);

#endif
