// SPDX-License-Identifier: BSD-2-Clause
// The EL2 physical timer (CNTHP) gives each CPU its periodic tick, and
// interrupts between ticks for deadlines that fall there. The
// guest-visible timers stay free for guests.
#include <libfdt.h>

#include <arch/sysreg.h>

#include "arch/smp.h"
#include "arm64_private.h"
#include "cpu.h"
#include "kernel.h"

#define TICK_HZ 100
#define CNT_CTL_ENABLE 1u

unsigned timer_hyp_intid;
unsigned timer_virt_intid = 27;
static uint64_t ticks_per_period;

uint64_t arch_counter_read(void)
{
	isb();
	return sysreg_read(cntpct_el0);
}

uint64_t arch_counter_frequency(void)
{
	return sysreg_read(cntfrq_el0);
}

uint64_t arch_time_ns(void)
{
	uint64_t freq = arch_counter_frequency();
	uint64_t c = arch_counter_read();

	return (c / freq) * 1000000000ull + (c % freq) * 1000000000ull / freq;
}

int timer_init(const void *dtb)
{
	static const char *const compat[] = {"arm,armv8-timer", "arm,armv7-timer", NULL};
	int node = dtb_find_compatible(dtb, compat);
	int len;

	if (node < 0)
		return -1;
	/* interrupts: secure phys, non-secure phys, virtual, hypervisor; each
	 * <type number flags>, PPI numbers count from INTID 16. */
	const fdt32_t *irqs = fdt_getprop(dtb, node, "interrupts", &len);
	if (!irqs || len < 4 * 3 * 4)
		return -1;
	timer_virt_intid = 16 + fdt32_to_cpu(irqs[2 * 3 + 1]);
	timer_hyp_intid = 16 + fdt32_to_cpu(irqs[3 * 3 + 1]);
	if (arch_counter_frequency() == 0)
		return -1;
	ticks_per_period = arch_counter_frequency() / TICK_HZ;
	return 0;
}

/* Per CPU: when its next periodic tick is due, and the soonest deadline
 * asked for (arch_timer_wake_at) that has not passed yet; the timer is
 * set for whichever comes first, so a tick between does not lose the
 * deadline. */
static uint64_t next_tick[CPU_MAX_COUNT];
static uint64_t wake_at[CPU_MAX_COUNT];

static void timer_program(unsigned me)
{
	sysreg_write(cnthp_cval_el2, wake_at[me] < next_tick[me] ? wake_at[me] : next_tick[me]);
	isb();
}

void timer_init_cpu(void)
{
	unsigned me = cpu_self()->index;

	next_tick[me] = arch_counter_read() + ticks_per_period;
	wake_at[me] = UINT64_MAX;
	timer_program(me);
	sysreg_write(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	gic_enable_ppi(timer_hyp_intid);
}

void timer_handle_irq(void)
{
	unsigned me = cpu_self()->index;
	uint64_t now = arch_counter_read();
	bool tick = now >= next_tick[me];

	/* The next tick counts from now, not from the last one: a CPU that
	 * was stopped for a while does not take a burst of ticks. An early
	 * interrupt, for a deadline, is no tick: time slices stay whole. */
	if (tick)
		next_tick[me] = now + ticks_per_period;
	if (now >= wake_at[me])
		wake_at[me] = UINT64_MAX;
	timer_program(me);
	timer_interrupt(tick);
}

void arch_timer_wake_at(uint64_t when)
{
	unsigned me = cpu_self()->index;

	if (when >= wake_at[me])
		return;
	wake_at[me] = when;
	/* Due already: the interrupt comes as soon as they are unmasked. */
	timer_program(me);
}
