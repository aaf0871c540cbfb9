// SPDX-License-Identifier: BSD-2-Clause
// The C side of the vectors (vectors.S): IRQs go to the guest's handler,
// synchronous exceptions a check provoked on purpose are recorded, and
// anything else ends the guest with "FAIL exception: ..." so that a
// scenario test sees it instead of a hang.
#include "guest.h"
#include "gic.h"
#include "psci.h"

enum { VEC_SYNC, VEC_IRQ, VEC_FIQ, VEC_SERROR };
/* Vector groups (index / 4): from EL1 with SP_EL0, EL1 with SP_EL1, lower
 * EL AArch64, lower EL AArch32. Guests run on SP_EL1 only. */
#define GROUP_EL1_SPX 1

static const char *const vector_names[16] = {
	"sync sp0", "irq sp0", "fiq sp0", "serror sp0",
	"sync", "irq", "fiq", "serror",
	"sync el0", "irq el0", "fiq el0", "serror el0",
	"sync el0 aarch32", "irq el0 aarch32", "fiq el0 aarch32", "serror el0 aarch32",
};

struct fault_slot {
	volatile bool armed;
	struct fault_record rec;
};

static struct fault_slot fault_slots[GUEST_MAX_CPUS];
static irq_handler_fn irq_handler;
static volatile unsigned int fatal_entered;

void irq_set_handler(irq_handler_fn fn)
{
	irq_handler = fn;
	dsb(sy);
}

void fault_catch_begin(void)
{
	struct fault_slot *slot = &fault_slots[cpu_id()];

	slot->rec = (struct fault_record){ 0 };
	slot->armed = true;
	__asm__ volatile("" : : : "memory");
}

struct fault_record fault_catch_end(void)
{
	struct fault_slot *slot = &fault_slots[cpu_id()];

	__asm__ volatile("" : : : "memory");
	slot->armed = false;
	return slot->rec;
}

/* `intid` is the interrupt nobody handles, or -1 for an exception. */
__attribute__((noreturn)) static void fatal(const struct exc_frame *f, unsigned int index,
					    int intid)
{
	// One report is enough; a second CPU (or a nested fault while
	// printing) just stops.
	if (fatal_entered++) {
		for (;;)
			wfi();
	}
	printf("FAIL exception: ESR=0x%lx ELR=0x%lx FAR=0x%lx (%s on cpu %u, LR=0x%lx",
	       read_sysreg(esr_el1), f->elr, read_sysreg(far_el1), vector_names[index], cpu_id(),
	       f->x[30]);
	if (intid >= 0)
		printf(", INTID %d without a handler", intid);
	printf(")\n");
	printf("done %u failed\n", failures() + 1);
	psci_system_off();
	for (;;)
		wfi();
}

static void handle_irqs(const struct exc_frame *f, unsigned int index)
{
	for (;;) {
		uint32_t intid = gic_ack();
		if (intid >= GIC_INTID_SPECIAL)
			return;
		if (!irq_handler)
			fatal(f, index, (int)intid);
		irq_handler(intid);
		gic_eoi(intid);
	}
}

static bool catch_fault(struct exc_frame *f)
{
	struct fault_slot *slot = &fault_slots[cpu_id()];

	if (!slot->armed)
		return false;
	uint64_t esr = read_sysreg(esr_el1);
	slot->rec.count++;
	slot->rec.esr = esr;
	slot->rec.far = read_sysreg(far_el1);
	slot->rec.elr = f->elr;
	// An instruction abort has no next instruction to go to: the check
	// branched with BLR, so going back to LR resumes its caller.
	if (ESR_EC(esr) == EC_IABT_CUR)
		f->elr = f->x[30];
	else
		f->elr += 4;
	return true;
}

void guest_exception(struct exc_frame *f, unsigned int index);
void guest_exception(struct exc_frame *f, unsigned int index)
{
	if (index / 4 == GROUP_EL1_SPX) {
		if (index % 4 == VEC_IRQ) {
			handle_irqs(f, index);
			return;
		}
		if (index % 4 == VEC_SYNC && catch_fault(f))
			return;
	}
	fatal(f, index, -1);
}
