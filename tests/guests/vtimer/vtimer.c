// SPDX-License-Identifier: BSD-2-Clause
// The virtual timer as a guest OS uses it: a 1 kHz tick from CNTFRQ
// through the GIC (INTID 27, level), sleeping in WFI between ticks. The
// handler re-arms at the previous deadline plus one period, so lateness
// does not accumulate and the total time must match the tick count.
#include "gic.h"
#include "guest.h"
#include "timer.h"

#define TICKS 200
#define HZ 1000
#define TIMER_PRIORITY 0x80
#define MASKED_PERIODS 5

enum mode { TICKING, MASKED };

static volatile enum mode mode;
static volatile unsigned int ticks, early, other_irqs;
static volatile uint64_t deadline, last_tick, first_early_by;
static uint64_t period;

static void timer_irq(uint32_t intid)
{
	if (intid != GIC_INTID_VTIMER) {
		other_irqs++;
		return;
	}
	uint64_t now = timer_now();
	ticks++;
	last_tick = now;
	if (mode != TICKING) {
		// The masked-timer test: one interrupt is all it wants.
		timer_stop();
		return;
	}
	if (now < deadline && !early++)
		first_early_by = deadline - now;
	if (ticks >= TICKS) {
		timer_stop();
		return;
	}
	deadline += period;
	timer_arm(deadline);
}

/* Sleeps until `n` ticks have arrived; returns how often WFI returned.
 * The check and the WFI run with IRQs masked, so the last tick cannot
 * slip in between them and leave WFI waiting for a tick that never
 * comes: WFI wakes for a pending interrupt even when it is masked. */
static unsigned int sleep_until_ticks(unsigned int n)
{
	unsigned int wakeups = 0;

	irq_disable();
	while (ticks < n) {
		wfi();
		wakeups++;
		irq_enable();
		irq_disable();
	}
	return wakeups;
}

static void check_tval(void)
{
	uint64_t before = timer_now();
	write_sysreg(cntv_tval_el0, period);
	isb();
	uint64_t cval = read_sysreg(cntv_cval_el0), after = timer_now();
	check("tval_sets_cval", cval >= before + period && cval <= after + period,
	      "TVAL %lu between counter 0x%lx and 0x%lx gave CVAL 0x%lx", period, before, after,
	      cval);
}

static void check_periodic(void)
{
	ticks = 0;
	mode = TICKING;
	uint64_t start = timer_now();
	deadline = start + period;
	timer_arm(deadline);
	unsigned int wakeups = sleep_until_ticks(TICKS);
	timer_stop();

	uint64_t elapsed = last_tick - start, want = TICKS * period;
	printf("vtimer: %u ticks in %lu counter ticks (%lu expected), %u WFI wake-ups\n", ticks,
	       elapsed, want, wakeups);
	check("vtimer_ticks", ticks == TICKS, "%u interrupts, expected %u", ticks, TICKS);
	check("vtimer_elapsed", elapsed >= want - want / 5 && elapsed <= want + want / 5,
	      "%lu counter ticks for %u periods of %lu", elapsed, TICKS, period);
	check("vtimer_not_early", early == 0, "%u interrupts before their deadline (first by %lu)",
	      early, first_early_by);
	// About one wake-up per tick: fewer when a tick arrives while the
	// loop runs, more for spurious wake-ups. Far more means WFI returned
	// at once and the loop spun; none means WFI never returned.
	check("vtimer_wfi_sleeps", wakeups >= TICKS / 2 && wakeups <= 2 * TICKS,
	      "%u WFI wake-ups for %u ticks", wakeups, TICKS);
	check("vtimer_no_other_irqs", other_irqs == 0, "%u interrupts that were not the timer",
	      other_irqs);
}

static void check_masked(void)
{
	mode = MASKED;
	ticks = 0;
	// The condition is met at once, but IMASK keeps the output low.
	write_sysreg(cntv_cval_el0, timer_now());
	timer_set_ctl(CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	irq_enable();
	timer_delay_ticks(MASKED_PERIODS * period);
	irq_disable();
	uint32_t ctl = timer_ctl();
	check("vtimer_imask_blocks", ticks == 0 && (ctl & CNTV_CTL_ISTATUS),
	      "%u interrupts in %u periods with IMASK set, CNTV_CTL 0x%x", ticks, MASKED_PERIODS,
	      ctl);

	// Clearing IMASK must deliver the interrupt that is already due.
	uint64_t start = timer_now();
	timer_set_ctl(CNTV_CTL_ENABLE);
	irq_enable();
	while (ticks == 0 && timer_now() - start < MASKED_PERIODS * period)
		;
	irq_disable();
	check("vtimer_unmask_delivers", ticks == 1, "%u interrupts after clearing IMASK", ticks);
	timer_stop();
}

void guest_main(void)
{
	period = timer_freq() / HZ;
	if (!check("timer_frequency", period > 0, "CNTFRQ_EL0 is %lu", timer_freq()))
		return;
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor of cpu %u did not wake or match",
		   cpu_id()))
		return;
	gic_set_priority(GIC_INTID_VTIMER, TIMER_PRIORITY);
	gic_set_edge(GIC_INTID_VTIMER, false);
	gic_enable(GIC_INTID_VTIMER);
	irq_set_handler(timer_irq);

	check_tval();
	check_periodic();
	check_masked();
}
