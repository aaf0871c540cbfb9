/* SPDX-License-Identifier: BSD-2-Clause */
/* User thread register state, as the architecture keeps and switches it. */
#ifndef KERNEL_ARCH_CONTEXT_H
#define KERNEL_ARCH_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/regs.h>

struct thread;

/* A new thread: starts at pc with sp and arg in the first argument
 * register, everything else zero, at user privilege. */
void arch_context_init(struct arch_context *c, uint64_t pc, uint64_t sp, uint64_t arg);
/* Puts next's FP/SIMD state into the registers, saving prev's (prev may be
 * NULL: nobody's state is worth keeping). FP/SIMD must not trap. */
void arch_fp_switch(struct thread *prev, struct thread *next);
/* on: FP/SIMD instructions trap (user mode's are reported as an FP/SIMD
 * access to the FP code, kernel/fpu.h). off: they run, the kernel's own
 * (arch_fp_switch) from the next instruction on. */
void arch_fp_trap(bool on);
/* Enters user mode with c, on an emptied kernel stack. */
__attribute__((noreturn)) void arch_user_resume(const struct arch_context *c, uint64_t stack_top);
/* A short description of the fault a user thread just took (for logs). */
const char *arch_fault_name(uint64_t syndrome);

#endif
