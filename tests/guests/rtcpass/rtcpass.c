// SPDX-License-Identifier: BSD-2-Clause
// A passed-through device: QEMU virt's PL031 real-time clock, whose
// registers the monitor maps at their usual place (0x09010000) and whose
// interrupt (SPI 2, INTID 34, level) capvisor forwards to the same INTID.
// On plain QEMU the same clock is the real one. The guest reads the time,
// then takes the alarm interrupt twice, sleeping in WFI; the virtual timer
// bounds each wait, so a lost interrupt fails a check instead of hanging.
#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "timer.h"

#define RTC_BASE 0x09010000ul
#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCCR 0x0c   /* control: start */
#define RTCIMSC 0x10 /* interrupt mask set/clear */
#define RTCRIS 0x14  /* raw interrupt status */
#define RTCMIS 0x18  /* masked interrupt status */
#define RTCICR 0x1c  /* interrupt clear */

#define RTC_INTID 34
#define RTC_PRIORITY 0x80
#define TIMER_PRIORITY 0x90
#define ALARM_AHEAD 2 /* seconds from the current second to the match */
#define WAIT_LIMIT 6  /* seconds (virtual counter) an alarm may take at most */
#define EPOCH_2020 1577836800u

static volatile unsigned int rtc_irqs, timer_irqs, other_irqs, not_asserted, still_asserted;
static volatile uint32_t time_at_irq;
static uint64_t freq;

static uint32_t rtc_read(unsigned int off)
{
	return mmio_read32(RTC_BASE + off);
}

static void rtc_write(unsigned int off, uint32_t v)
{
	mmio_write32(RTC_BASE + off, v);
}

/* The driver's half: the clock's interrupt is level, so it must be
 * cleared at the device before the end of the interrupt (the runtime's
 * EOI follows this handler). It also prints, as drivers log: under
 * capvisor that leaves the guest while the interrupt is active, which
 * must not make it pending again. */
static void irq(uint32_t intid)
{
	if (intid == RTC_INTID) {
		rtc_irqs++;
		if (!(rtc_read(RTCMIS) & 1))
			not_asserted++;
		time_at_irq = rtc_read(RTCDR);
		printf("rtcpass: interrupt %u at %u\n", rtc_irqs, time_at_irq);
		rtc_write(RTCICR, 1);
		if (rtc_read(RTCRIS) & 1)
			still_asserted++;
	} else if (intid == GIC_INTID_VTIMER) {
		timer_irqs++;
		timer_stop();
	} else {
		other_irqs++;
	}
}

/* Sleeps until an RTC interrupt beyond `seen` or `limit` counter ticks.
 * The check and the WFI run with IRQs masked: WFI wakes for a pending
 * interrupt even so, and none can slip in between them. */
static bool wait_for_rtc_irq(unsigned int seen, uint64_t limit)
{
	timer_irqs = 0;
	timer_arm(timer_now() + limit);
	irq_disable();
	while (rtc_irqs == seen && timer_irqs == 0) {
		wfi();
		irq_enable();
		irq_disable();
	}
	irq_enable();
	timer_stop();
	return rtc_irqs > seen;
}

static void check_time(void)
{
	uint32_t t0 = rtc_read(RTCDR);
	timer_delay_ticks(freq);
	uint32_t t1 = rtc_read(RTCDR);
	printf("rtcpass: time %u, one second later %u\n", t0, t1);
	check("rtc_plausible", t0 >= EPOCH_2020, "RTCDR %u is before 2020", t0);
	check("rtc_advances", t1 - t0 <= 2, "RTCDR went from %u to %u in one second", t0, t1);
}

/* Per alarm: arrived once, at the right time, not early, and the clock
 * asserted it and let go when cleared. */
static const char *const alarm_checks[][4] = {
	{"alarm_1", "alarm_1_time", "alarm_1_not_early", "alarm_1_device"},
	{"alarm_2", "alarm_2_time", "alarm_2_not_early", "alarm_2_device"},
};
#define ALARMS (sizeof(alarm_checks) / sizeof(alarm_checks[0]))

static void alarm(unsigned int n)
{
	const char *const *name = alarm_checks[n];
	unsigned int seen = rtc_irqs;

	not_asserted = still_asserted = 0;
	rtc_write(RTCICR, 1);
	uint32_t match = rtc_read(RTCDR) + ALARM_AHEAD;
	rtc_write(RTCMR, match);
	rtc_write(RTCIMSC, 1);
	uint64_t start = timer_now();
	bool got = wait_for_rtc_irq(seen, WAIT_LIMIT * freq);
	uint64_t waited = timer_now() - start;

	printf("rtcpass: alarm %u: match %u, interrupt at %u after %lu ms\n", n + 1, match, time_at_irq,
	       waited * 1000 / freq);
	check(name[0], got && rtc_irqs == seen + 1, "%u interrupts (INTID %u) within %u s, expected 1",
	      rtc_irqs - seen, RTC_INTID, WAIT_LIMIT);
	if (!got)
		return;
	/* Never before the match; late only by what a loaded host can delay
	 * an emulated CPU (the clock runs on host time): this checks the
	 * interrupt is the alarm's, not how fast it comes. */
	check(name[1], time_at_irq >= match && time_at_irq <= match + 5, "interrupt at RTC %u for match %u",
	      time_at_irq, match);
	/* At least the one full second before the match (less 10 %). */
	check(name[2], waited >= (ALARM_AHEAD - 1) * freq * 9 / 10, "after %lu ms", waited * 1000 / freq);
	check(name[3], !not_asserted && !still_asserted, "the clock %s",
	      not_asserted ? "did not assert it at the interrupt" : "still asserted it after ICR");
}

void guest_main(void)
{
	freq = timer_freq();
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor of cpu %u did not wake or match", cpu_id()))
		return;
	gic_set_priority(GIC_INTID_VTIMER, TIMER_PRIORITY);
	gic_set_edge(GIC_INTID_VTIMER, false);
	gic_enable(GIC_INTID_VTIMER);
	gic_set_priority(RTC_INTID, RTC_PRIORITY);
	gic_set_edge(RTC_INTID, false);
	gic_route_spi(RTC_INTID, cpu_id());
	gic_enable(RTC_INTID);
	irq_set_handler(irq);

	rtc_write(RTCIMSC, 0);
	rtc_write(RTCCR, 1);
	check_time();
	for (unsigned int n = 0; n < ALARMS; n++)
		alarm(n);

	/* Masked at the clock: nothing more may come, neither a flood of the
	 * level interrupt nor a second delivery of one already handled. */
	rtc_write(RTCIMSC, 0);
	unsigned int before = rtc_irqs;
	(void)wait_for_rtc_irq(before, freq);
	check("no_extra_irqs", rtc_irqs == ALARMS && other_irqs == 0,
	      "%u RTC interrupts for %u alarms, %u others", rtc_irqs, (unsigned int)ALARMS, other_irqs);
	gic_disable(RTC_INTID);
}
