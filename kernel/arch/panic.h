/* SPDX-License-Identifier: BSD-2-Clause */
/* What panic() needs from the architecture. */
#ifndef KERNEL_ARCH_PANIC_H
#define KERNEL_ARCH_PANIC_H

#include <stdint.h>

struct trap_frame;

/* Prints the trap frame's registers and syndrome, decoded. */
void arch_dump_frame(const struct trap_frame *frame);
/* Frame pointer and program counter to start a backtrace from: the trap
 * frame's when given, else the caller's. */
void arch_backtrace_start(const struct trap_frame *frame, uintptr_t *fp, uintptr_t *pc);
/* The next frame record; false at the end or on a bad pointer. */
int arch_backtrace_next(uintptr_t *fp, uintptr_t *pc);
/* Stops every other CPU (best effort: they may be wedged). */
void arch_stop_other_cpus(void);

#endif
