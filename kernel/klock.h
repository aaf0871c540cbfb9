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

#include "spinlock.h"

extern struct spinlock kernel_lock;

static inline void klock(void) { spin_lock(&kernel_lock); }
static inline void kunlock(void) { spin_unlock(&kernel_lock); }

#endif
