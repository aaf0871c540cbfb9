/* SPDX-License-Identifier: BSD-2-Clause */
/* The architected counter, which tasks may read (for timing and timeouts). */
#ifndef CV_COUNTER_H
#define CV_COUNTER_H

#include <stdint.h>

static inline uint64_t cv_counter(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t cv_counter_frequency(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

#endif
