/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel lock. Every kernel entry from user mode takes it (after
 * interrupts are already masked by the entry) and releases it on the way
 * out; the kernel never blocks inside, so it is held for one system call,
 * fault or interrupt at a time. One lock keeps the object code simple and
 * obviously correct on SMP (seL4 made the same choice); finer locking can
 * come where `make bench` shows contention.
 */
#ifndef KERNEL_KLOCK_H
#define KERNEL_KLOCK_H

#include <stdint.h>

#include "arch/cpu.h"

/* Test-and-test-and-set, not a ticket lock: when CPUs are themselves
 * emulated or virtualized threads that a host deschedules, a ticket lock
 * stalls every waiter behind a descheduled one (seen under QEMU: cross-CPU
 * IPC slowed a hundredfold); here whoever runs takes it. Fairness is given
 * up only among CPUs entering the kernel at once. */
struct kernel_lock {
	uint32_t locked;
};

extern struct kernel_lock kernel_lock;

static inline void klock(void)
{
	while (__atomic_exchange_n(&kernel_lock.locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&kernel_lock.locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void kunlock(void)
{
	__atomic_store_n(&kernel_lock.locked, 0, __ATOMIC_RELEASE);
}

#endif
