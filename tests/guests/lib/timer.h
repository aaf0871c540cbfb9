/* SPDX-License-Identifier: BSD-2-Clause */
/* The EL1 virtual timer (CNTV_*) and counter (CNTVCT_EL0): INTID 27. */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdint.h>

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
#define CNTV_CTL_ISTATUS (1u << 2)

uint64_t timer_freq(void);
uint64_t timer_now(void);
/* Fires when the counter reaches `cval` (enabled, not masked). */
void timer_arm(uint64_t cval);
void timer_set_ctl(uint32_t ctl);
uint32_t timer_ctl(void);
void timer_stop(void);
/* Busy-waits (no interrupts needed). */
void timer_delay_ticks(uint64_t ticks);
void timer_delay_us(uint64_t us);

#endif
