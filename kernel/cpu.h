/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU state. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"

#define CPU_MAX_COUNT 8

struct cpu {
	unsigned index;     /* 0 .. cpu_count-1, 0 is the boot CPU */
	uint64_t hwid;      /* the architecture's id (MPIDR affinity on arm64) */
	bool online;
	uint64_t ticks;     /* timer interrupts taken on this CPU */
	uint64_t ipis_received;
	/* A fault at EL2 while fault_fixup is non-zero resumes there instead
	 * of panicking; the syndrome is kept for the code that expected it. */
	uintptr_t fault_fixup;
	uint64_t fault_esr;
	uint64_t fault_far;
	bool in_panic;
};

extern struct cpu cpus[CPU_MAX_COUNT];
extern unsigned cpu_count; /* CPUs the platform describes (capped) */

static inline struct cpu *cpu_self(void)
{
	return arch_cpu_self();
}

#endif
