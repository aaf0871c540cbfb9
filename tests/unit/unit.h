/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A minimal host unit-test harness. Each test is a function registered with
 * UNIT_TEST(name); CHECK() records a failure with file and line and lets the
 * test go on. Every test program prints one line per test ("ok NAME" or
 * "FAIL NAME: reason") and exits non-zero if any failed or none ran.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <stdio.h>
#include <stdlib.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failures_in_test;
void unit_register(const struct unit_test *t);
void unit_fail(const char *file, int line, const char *expr);

#define UNIT_TEST(name_)                                                        \
	static void unit_fn_##name_(void);                                      \
	static const struct unit_test unit_desc_##name_ = {#name_, unit_fn_##name_}; \
	__attribute__((constructor)) static void unit_reg_##name_(void)         \
	{                                                                       \
		unit_register(&unit_desc_##name_);                              \
	}                                                                       \
	static void unit_fn_##name_(void)

#define CHECK(expr)                                                             \
	do {                                                                    \
		if (!(expr))                                                    \
			unit_fail(__FILE__, __LINE__, #expr);                   \
	} while (0)

#define CHECK_EQ(a, b)                                                          \
	do {                                                                    \
		unsigned long long unit_a_ = (unsigned long long)(a);           \
		unsigned long long unit_b_ = (unsigned long long)(b);           \
		if (unit_a_ != unit_b_) {                                       \
			char unit_msg_[256];                                    \
			snprintf(unit_msg_, sizeof(unit_msg_), "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, unit_a_, unit_b_);                     \
			unit_fail(__FILE__, __LINE__, unit_msg_);               \
		}                                                               \
	} while (0)

#endif
