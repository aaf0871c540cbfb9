// SPDX-License-Identifier: BSD-2-Clause
// The virtual timer and counter. Only CNTV_* and CNTVCT_EL0: capvisor
// does not give guests the EL1 physical timer.
#include "guest.h"
#include "timer.h"

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0) & 0xffffffff;
}

uint64_t timer_now(void)
{
	// Without the ISB the counter may be read before earlier
	// instructions complete, making intervals look shorter.
	isb();
	return read_sysreg(cntvct_el0);
}

void timer_arm(uint64_t cval)
{
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_set_ctl(uint32_t ctl)
{
	write_sysreg(cntv_ctl_el0, ctl);
	isb();
}

uint32_t timer_ctl(void)
{
	return (uint32_t)read_sysreg(cntv_ctl_el0);
}

void timer_stop(void)
{
	timer_set_ctl(0);
}

void timer_delay_ticks(uint64_t ticks)
{
	uint64_t start = timer_now();

	while (timer_now() - start < ticks)
		;
}

void timer_delay_us(uint64_t us)
{
	timer_delay_ticks(us * timer_freq() / 1000000);
}
