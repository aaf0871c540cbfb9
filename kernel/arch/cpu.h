/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the core kernel needs from the architecture about the running CPU.
 * The architecture's <arch/cpu_inline.h> defines, as static inline:
 *
 *   struct cpu *arch_cpu_self(void);        this CPU's struct cpu
 *   void arch_cpu_set_self(struct cpu *);
 *   uint64_t arch_irq_save(void);           mask interrupts, return old state
 *   void arch_irq_restore(uint64_t flags);
 *   void arch_irq_enable(void), arch_irq_disable(void);
 *   void arch_cpu_relax(void);              in spin-wait loops
 *   void arch_wait_for_interrupt(void);     sleep until an interrupt
 */
#ifndef KERNEL_ARCH_CPU_H
#define KERNEL_ARCH_CPU_H

#include <stdint.h>

struct cpu;

#include <arch/cpu_inline.h>

/* Calls fn on a fresh stack (the old one is abandoned). */
__attribute__((noreturn)) void arch_call_on_stack(uint64_t stack_top, void (*fn)(void));

/* Stops this CPU for good, interrupts masked. */
__attribute__((noreturn)) void arch_halt(void);

#endif
