/* SPDX-License-Identifier: BSD-2-Clause */
/* User thread register state, as the architecture keeps and switches it. */
#ifndef KERNEL_ARCH_CONTEXT_H
#define KERNEL_ARCH_CONTEXT_H

#include <stdint.h>

#include <arch/regs.h>

/* A new thread: starts at pc with sp and arg in the first argument
 * register, everything else zero, at user privilege. */
void arch_context_init(struct arch_context *c, uint64_t pc, uint64_t sp, uint64_t arg);
/* Switches the state the kernel does not save on every entry (FP/SIMD,
 * thread pointer): prev's into its context (prev may be NULL), next's into
 * the registers. */
void arch_context_switch(struct arch_context *prev, const struct arch_context *next);
/* Enters user mode with c, on an emptied kernel stack. */
__attribute__((noreturn)) void arch_user_resume(const struct arch_context *c, uint64_t stack_top);
/* A short description of the fault a user thread just took (for logs). */
const char *arch_fault_name(uint64_t syndrome);

#endif
