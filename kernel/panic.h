/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * panic() is for broken kernel invariants only, never for anything a task or
 * a guest can cause. It prints the message, this CPU's registers when a trap
 * frame is at hand, and a backtrace with function names, stops the other
 * CPUs and halts.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel.h"

struct trap_frame;

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
__noreturn void panic_with_frame(const struct trap_frame *frame, const char *fmt, ...)
	__printf(2, 3);

/* Names the invariant that failed. */
#define ASSERT(cond)                                                            \
	do {                                                                    \
		if (!(cond))                                                    \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
