/* SPDX-License-Identifier: BSD-2-Clause */
/* arm64 implementations of kernel/arch/cpu.h that must be inlined. */
#ifndef ARCH_CPU_INLINE_H
#define ARCH_CPU_INLINE_H

#include <arch/sysreg.h>

static inline struct cpu *arch_cpu_self(void)
{
	return (struct cpu *)sysreg_read(tpidr_el2);
}

static inline void arch_cpu_set_self(struct cpu *cpu)
{
	sysreg_write(tpidr_el2, (uint64_t)cpu);
}

static inline uint64_t arch_irq_save(void)
{
	uint64_t flags = sysreg_read(daif);
	__asm__ volatile("msr daifset, #3" ::: "memory");
	return flags;
}

static inline void arch_irq_restore(uint64_t flags)
{
	sysreg_write(daif, flags);
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #3" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #3" ::: "memory");
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}

#endif
