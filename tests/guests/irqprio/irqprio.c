// SPDX-License-Identifier: BSD-2-Clause
// Interrupt priorities through the GIC's CPU interface. With IRQs masked
// at PSTATE the guest makes SGIs 0..7 pending on itself, lowest priority
// first, then unmasks and records the order of acknowledgement:
//   - distinct priorities, SGI k at (8 - k) * 0x10, so SGI 7 (0x10) is the
//     most urgent and SGI 0 (0x80) the least: order 7, 6, ..., 0;
//   - the same, with the priority mask (PMR) at 0x50 first: only SGIs
//     4..7 (0x40 and more urgent) may arrive until PMR opens again;
//   - all at one priority: each exactly once, in any order.
// Priorities are multiples of 0x10, so 4 priority bits are enough.
#include "gic.h"
#include "guest.h"
#include "timer.h"

#define NSGI 8
#define PMR_OPEN 0xff
#define PMR_HALF 0x50
#define EQUAL_PRIORITY 0x80
#define WAIT_US 100000

static volatile unsigned int received, order[NSGI * 2], counts[16], other_irqs;

static void sgi_irq(uint32_t intid)
{
	if (intid >= 16) {
		other_irqs++;
		return;
	}
	if (received < NSGI * 2)
		order[received] = intid;
	received++;
	counts[intid]++;
}

static uint8_t sgi_priority(unsigned int k)
{
	return (uint8_t)((NSGI - k) * 0x10);
}

static void reset(void)
{
	received = 0;
	for (unsigned int i = 0; i < 16; i++)
		counts[i] = 0;
}

/* Sends SGIs 0..7 to this CPU with IRQs masked and waits until the
 * redistributor shows all of them pending, so that acknowledgement order
 * can only come from priority, not from arrival. */
static bool send_all_pending(const char *name)
{
	irq_disable();
	for (unsigned int k = 0; k < NSGI; k++)
		gic_send_sgi(k, (uint16_t)(1u << cpu_id()));
	uint64_t start = timer_now(), limit = WAIT_US * timer_freq() / 1000000;
	uint32_t pending;
	while (((pending = gic_pending_private()) & 0xff) != 0xff && timer_now() - start < limit)
		;
	return check(name, (pending & 0xff) == 0xff, "GICR_ISPENDR0 0x%x after sending SGIs 0..7",
		     pending);
}

/* Unmasks and waits until `n` SGIs have been taken, or WAIT_US. */
static void take(unsigned int n)
{
	uint64_t start = timer_now(), limit = WAIT_US * timer_freq() / 1000000;

	irq_enable();
	while (received < n && timer_now() - start < limit)
		;
	irq_disable();
}

static bool each_once(void)
{
	for (unsigned int k = 0; k < 16; k++) {
		if (counts[k] != (k < NSGI))
			return false;
	}
	return received == NSGI;
}

static void print_order(const char *what)
{
	printf("irqprio: %s order:", what);
	for (unsigned int i = 0; i < received && i < NSGI * 2; i++)
		printf(" %u", order[i]);
	printf("\n");
}

static void check_distinct(void)
{
	for (unsigned int k = 0; k < NSGI; k++)
		gic_set_priority(k, sgi_priority(k));
	reset();
	send_all_pending("distinct_pending");
	take(NSGI);
	print_order("distinct");
	check("distinct_all_once", each_once(), "%u SGIs taken", received);
	bool in_order = received == NSGI;
	for (unsigned int i = 0; in_order && i < NSGI; i++)
		in_order = order[i] == NSGI - 1 - i;
	check("distinct_priority_order", in_order, "expected 7 6 5 4 3 2 1 0");
}

static void check_pmr(void)
{
	reset();
	write_sysreg(icc_pmr_el1, PMR_HALF);
	isb();
	send_all_pending("pmr_pending");
	take(NSGI / 2);
	// Give the masked ones time to arrive if PMR failed to hold them.
	irq_enable();
	timer_delay_us(1000);
	irq_disable();
	unsigned int first = received;
	bool ok = first == NSGI / 2;
	for (unsigned int i = 0; ok && i < first; i++)
		ok = order[i] == NSGI - 1 - i;
	check("pmr_masks_lower", ok, "%u SGIs taken with PMR 0x%x, expected 7 6 5 4", first,
	      PMR_HALF);
	write_sysreg(icc_pmr_el1, PMR_OPEN);
	isb();
	take(NSGI);
	print_order("pmr");
	ok = each_once();
	for (unsigned int i = first; ok && i < NSGI; i++)
		ok = order[i] == NSGI - 1 - i;
	check("pmr_open_delivers_rest", ok, "%u SGIs taken in all, expected 3 2 1 0 after 7 6 5 4",
	      received);
}

static void check_equal(void)
{
	for (unsigned int k = 0; k < NSGI; k++)
		gic_set_priority(k, EQUAL_PRIORITY);
	reset();
	send_all_pending("equal_pending");
	take(NSGI);
	print_order("equal");
	check("equal_all_once", each_once(), "%u SGIs taken", received);
}

void guest_main(void)
{
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor of cpu %u did not wake or match",
		   cpu_id()))
		return;
	irq_set_handler(sgi_irq);
	for (unsigned int k = 0; k < NSGI; k++)
		gic_enable(k);

	check_distinct();
	check_pmr();
	check_equal();
	check("no_other_irqs", other_irqs == 0, "%u interrupts that were not SGIs", other_irqs);
}
