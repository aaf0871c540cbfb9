/* SPDX-License-Identifier: BSD-2-Clause */
/* The architected counter, which tasks may read (for timing and timeouts):
 * the physical one, the kernel's own (IPC deadlines are in it). The
 * virtual counter would be offset by the CNTVOFF of whichever guest last
 * ran on the task's CPU, whose EL2 state the kernel switches lazily. */
#ifndef CV_COUNTER_H
#define CV_COUNTER_H

#include <stdint.h>

static inline uint64_t cv_counter(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static inline uint64_t cv_counter_frequency(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

#endif
