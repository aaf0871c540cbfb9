/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdint.h>

#include "cpu.h"
#include "kernel.h"

/* Starts every other CPU and waits (bounded) for each to come online. */
void smp_boot(void);
unsigned smp_online_count(void);

/*
 * Runs fn(arg) on every online CPU, this one included, outside interrupt
 * context, and returns when all have finished, or -1 if some CPU did not
 * finish within timeout_ms.
 */
int smp_call_all(void (*fn)(void *arg), void *arg, unsigned timeout_ms) __must_check;

/* Pings received by CPU `to` from CPU `from`, for the IPI self-test. */
uint64_t smp_pings(unsigned to, unsigned from);

/* The idle loop: waits for interrupts, runs posted work, and enters user
 * threads when there are some. */
__noreturn void smp_idle(void);
/* Goes idle from inside the kernel (the kernel lock already released),
 * dropping the kernel stack. */
__noreturn void smp_idle_from_kernel(void);

#endif
