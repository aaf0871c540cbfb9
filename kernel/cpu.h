/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU state. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"

struct arch_context;
struct thread;

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
	/* The user context the EL0 entry saves into: the running thread's. */
	struct arch_context *user_context;
	struct thread *current;   /* NULL while idle */
	struct thread *fp_owner;  /* whose FP/SIMD state the registers hold */
	bool fp_trap;             /* FP/SIMD instructions trap (kernel/fpu.h) */
	uint64_t stack_top;       /* this CPU's kernel stack, empty in user mode */
	bool need_resched;
	struct thread *handoff;   /* woken here, to run next without queueing */
	uint64_t ready_levels;    /* bit p: the run queue has threads of priority p */
	bool holds_kernel_lock;   /* inside a kernel entry from user mode */
};

extern struct cpu cpus[CPU_MAX_COUNT];
extern unsigned cpu_count; /* CPUs the platform describes (capped) */

static inline struct cpu *cpu_self(void)
{
	return arch_cpu_self();
}

#endif
