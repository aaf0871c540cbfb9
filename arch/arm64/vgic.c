// SPDX-License-Identifier: BSD-2-Clause
// The virtual GICv3 (docs/virtualization.md, "Interrupts"). The kernel
// keeps each VM's interrupt state — the distributor's SPIs and each vCPU's
// SGIs and PPIs — and emulates the distributor and redistributor
// registers; the hardware's virtual CPU interface does acknowledge, EOI
// and priority masking through the list registers, which are refilled
// from that state in priority order (a maintenance interrupt asks for a
// refill when more interrupts wait than there are list registers). The
// virtual timer's interrupt is level-triggered from the timer's state. A
// physical interrupt forwarded to an SPI (passthrough) stays masked at the
// distributor from when it fires until the guest has ended the virtual
// one, which an EOI maintenance interrupt reports.
#include <string.h>
#include <uapi/vm.h>

#include <arch/sysreg.h>

#include "arch/guest.h"
#include "arch/irq.h"
#include "arch/smp.h"
#include "arm64_private.h"
#include "cpu.h"
#include "guest_private.h"
#include "kernel.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"
#include "vm.h"

#define VIRQ_ENABLED (1u << 0)
#define VIRQ_PENDING (1u << 1) /* latched: an edge, or set by ISPENDR */
#define VIRQ_ACTIVE (1u << 2)
#define VIRQ_EDGE (1u << 3)    /* configured edge-triggered */
#define VIRQ_LINE (1u << 4)    /* a level-triggered line is high */
#define VIRQ_IN_LR (1u << 5)

#define INTID_VTIMER 27
#define INTID_MAINTENANCE 25

#define LR_STATE_PENDING (1ull << 62)
#define LR_STATE_ACTIVE (2ull << 62)
#define LR_GROUP1 (1ull << 60)
#define LR_EOI_MAINTENANCE (1ull << 41)
#define LR_PRIORITY_SHIFT 48

#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1)

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GIC_PIDR2 0xffe8
#define GIC_PIDR2_ARCH_V3 0x30
#define GICD_CTLR_ENABLES 0x3u /* EnableGrp1 and EnableGrp1A (non-secure view) */
#define GICD_CTLR_ARE_NS (1u << 4)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_FRAME 0x10000

static unsigned lr_count;
/* The virtual timer's PPI is masked on this CPU (vtimer_irq): the loaded
 * vCPU's timer_masked, or a forgotten vCPU's. */
static bool vtimer_ppi_off[CPU_MAX_COUNT];

/* On the vCPU's CPU, which the loaded vCPU v's timer_masked was about. */
static void vtimer_ppi_unmask(struct arch_vcpu *v)
{
	gic_set_ppi_enabled(INTID_VTIMER, true);
	v->timer_masked = false;
	vtimer_ppi_off[cpu_self()->index] = false;
}

/* ---- list registers by number ---- */

static uint64_t lr_read(unsigned i)
{
#define R(n) case n: return sysreg_read(ich_lr##n##_el2);
	switch (i) {
	R(0) R(1) R(2) R(3) R(4) R(5) R(6) R(7) R(8) R(9) R(10) R(11) R(12) R(13) R(14) R(15)
	}
#undef R
	return 0;
}

static void lr_write(unsigned i, uint64_t v)
{
#define W(n) case n: sysreg_write(ich_lr##n##_el2, v); break;
	switch (i) {
	W(0) W(1) W(2) W(3) W(4) W(5) W(6) W(7) W(8) W(9) W(10) W(11) W(12) W(13) W(14) W(15)
	}
#undef W
}

/* ---- state ---- */

static struct vm *vm_of(struct thread *th)
{
	return th->task ? th->task->vm : NULL;
}

static struct virq *virq_of(struct thread *th, unsigned intid)
{
	struct vm *vm = vm_of(th);

	if (intid < 32)
		return &th->vcpu->arch.priv[intid];
	if (vm && intid < CV_VM_INTIDS)
		return &vm->arch.spi[intid - 32];
	return NULL;
}

void vgic_vm_init(struct arch_vm *vm)
{
	memset(vm->spi, 0, sizeof(vm->spi));
	memset(vm->forwarded, 0, sizeof(vm->forwarded));
	vm->gicd_ctlr = 0;
}

void vgic_vm_reset(struct arch_vm *vm)
{
	memset(vm->spi, 0, sizeof(vm->spi));
	vm->gicd_ctlr = 0;
	/* A forwarded interrupt that fired stays masked until the guest ends
	 * the virtual one, which the reset just dropped: the device is looked
	 * at again. One that still asserts fires at once and raises the SPI's
	 * line, which the guest finds pending once it enables the SPI. */
	for (unsigned i = 0; i < CV_VM_SPIS; i++)
		if (vm->forwarded[i])
			arch_irq_unmask(vm->forwarded[i]);
}

/* The physical interrupt driving SPI intid, 0 if none (or not an SPI). */
static unsigned forwarded(const struct vm *vm, unsigned intid)
{
	return vm && intid >= 32 && intid < CV_VM_INTIDS ? vm->arch.forwarded[intid - 32] : 0;
}

/* The guest is done with a forwarded SPI (or cleared it): its line goes
 * low and the physical interrupt is looked at again. A device that still
 * asserts it fires at once and raises the line anew. */
static void forward_resample(struct vm *vm, unsigned intid)
{
	struct virq *q = &vm->arch.spi[intid - 32];

	q->flags &= (uint8_t)~(VIRQ_LINE | VIRQ_PENDING);
	arch_irq_unmask(forwarded(vm, intid));
}

void vgic_vcpu_init(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	if (!lr_count)
		lr_count = MIN((unsigned)(sysreg_read(ich_vtr_el2) & 0x1f) + 1, (unsigned)VGIC_LRS_MAX);
	for (unsigned i = 0; i < 32; i++)
		v->priv[i].flags = i < 16 ? VIRQ_EDGE : 0;
	v->gicr_waker = GICR_WAKER_SLEEP;
}

/* When the timer of a vCPU whose timer state is in memory fires, as a
 * physical counter value; false if it is off or masked. */
static bool timer_deadline(struct thread *th, uint64_t *when)
{
	const struct arch_vcpu *v = &th->vcpu->arch;
	const struct vm *vm = vm_of(th);
	uint64_t ctl = v->el1[EL1_CNTV_CTL], cval = v->el1[EL1_CNTV_CVAL];

	if (!vm || !(ctl & 1) || (ctl & 2) || cval > UINT64_MAX - vm->arch.cntvoff)
		return false;
	*when = cval + vm->arch.cntvoff;
	return true;
}

static bool timer_line(struct thread *th)
{
	uint64_t when;

	if (guest_is_loaded(th)) {
		uint64_t ctl = sysreg_read(cntv_ctl_el0);
		return (ctl & 5) == 5 && !(ctl & 2); /* ENABLE, ISTATUS, not IMASK */
	}
	return timer_deadline(th, &when) && arch_counter_read() >= when;
}

static bool pending(const struct virq *q)
{
	return (q->flags & VIRQ_PENDING) || (!(q->flags & VIRQ_EDGE) && (q->flags & VIRQ_LINE));
}

/* Something changed for th's interrupts: its list registers need a
 * refill, and it must notice. */
static void changed(struct thread *th)
{
	th->vcpu->arch.vgic_dirty = true;
	vcpu_kick(th);
}

static struct thread *spi_target(struct vm *vm, const struct virq *q)
{
	return q->target < CV_VM_VCPUS_MAX ? vm->vcpus[q->target] : NULL;
}

static bool deliverable(struct thread *th, const struct virq *q, bool spi)
{
	struct vm *vm = vm_of(th);
	if (spi && (!vm || !(vm->arch.gicd_ctlr & GICD_CTLR_ENABLES)))
		return false;
	return (q->flags & VIRQ_ENABLED) && pending(q);
}

bool arch_vcpu_irq_pending(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	struct vm *vm = vm_of(th);

	if (v->lrs_used)
		return true; /* the guest has not taken them yet (or is in a handler) */
	if (timer_line(th) && (v->priv[INTID_VTIMER].flags & VIRQ_ENABLED))
		return true;
	for (unsigned i = 0; i < 32; i++)
		if (deliverable(th, &v->priv[i], false))
			return true;
	for (unsigned i = 0; vm && i < CV_VM_SPIS; i++)
		if (vm->arch.spi[i].target == th->vcpu->index && deliverable(th, &vm->arch.spi[i], true))
			return true;
	return false;
}

/* ---- list registers <-> state ---- */

static void fold(struct thread *th, uint64_t lr)
{
	unsigned intid = (unsigned)(lr & 0xffffffff);
	struct virq *q = virq_of(th, intid);

	if (!q)
		return;
	q->flags &= (uint8_t)~(VIRQ_IN_LR | VIRQ_ACTIVE);
	if (lr & LR_STATE_ACTIVE)
		q->flags |= VIRQ_ACTIVE;
	if ((lr & LR_STATE_PENDING) && (q->flags & VIRQ_EDGE))
		q->flags |= VIRQ_PENDING;
	if (!forwarded(vm_of(th), intid) || (lr & LR_STATE_PENDING))
		return;
	/* A forwarded SPI the guest acknowledged: its line counted once (it
	 * stays masked, so the device cannot raise it again yet: a pending
	 * copy now would be a spurious second interrupt). Ended: resample. */
	if (lr & LR_STATE_ACTIVE)
		q->flags &= (uint8_t)~(VIRQ_LINE | VIRQ_PENDING);
	else
		forward_resample(vm_of(th), intid);
}

static void fold_all(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	for (unsigned i = 0; i < v->lrs_used; i++) {
		uint64_t lr = lr_read(i);
		/* Given pending, no longer pending: the guest acknowledged it. */
		if ((v->lr_shadow[i] & LR_STATE_PENDING) && !(lr & LR_STATE_PENDING))
			vcpu_count(&th->vcpu->stats.virq_taken);
		fold(th, lr);
	}
	v->lrs_used = 0;
}

void vgic_sync(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	for (unsigned i = 0; i < v->lrs_used; i++) {
		if (lr_read(i) != v->lr_shadow[i]) {
			fold_all(th);
			v->vgic_dirty = true;
			return;
		}
	}
}

struct candidate {
	struct virq *q;
	unsigned intid;
};

/* Active ones first (their EOI must find them), then by priority. */
static bool better(const struct candidate *a, const struct candidate *b)
{
	bool aa = a->q->flags & VIRQ_ACTIVE, ba = b->q->flags & VIRQ_ACTIVE;

	if (aa != ba)
		return aa;
	if (a->q->priority != b->q->priority)
		return a->q->priority < b->q->priority;
	return a->intid < b->intid;
}

static void consider(struct candidate *best, unsigned *n, struct virq *q, unsigned intid)
{
	struct candidate c = {q, intid};
	unsigned i = *n < lr_count ? (*n)++ : lr_count;

	/* Insertion into the best lr_count, kept sorted. */
	if (i == lr_count) {
		if (!better(&c, &best[lr_count - 1]))
			return;
		i = lr_count - 1;
	}
	while (i > 0 && better(&c, &best[i - 1])) {
		best[i] = best[i - 1];
		i--;
	}
	best[i] = c;
}

void vgic_flush(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	struct vm *vm = vm_of(th);
	struct virq *timer = &v->priv[INTID_VTIMER];
	bool line = timer_line(th);

	if (line != !!(timer->flags & VIRQ_LINE)) {
		timer->flags ^= VIRQ_LINE;
		v->vgic_dirty = true;
	}
	if (v->timer_masked && !line && !(timer->flags & (VIRQ_ACTIVE | VIRQ_IN_LR)))
		vtimer_ppi_unmask(v);
	if (!v->vgic_dirty || !vm)
		return;
	fold_all(th);
	struct candidate best[VGIC_LRS_MAX];
	unsigned n = 0, waiting = 0;
	for (unsigned i = 0; i < CV_VM_INTIDS; i++) {
		struct virq *q = i < 32 ? &v->priv[i] : &vm->arch.spi[i - 32];
		if (i >= 32 && q->target != th->vcpu->index)
			continue;
		if (!(q->flags & VIRQ_ACTIVE) && !deliverable(th, q, i >= 32))
			continue;
		waiting++;
		consider(best, &n, q, i);
	}
	for (unsigned i = 0; i < n; i++) {
		struct virq *q = best[i].q;
		uint64_t lr = best[i].intid | LR_GROUP1 | ((uint64_t)q->priority << LR_PRIORITY_SHIFT);
		/* A level line sampled high while the guest handles it: not
		 * pending as well, since the handler may lower the line (a
		 * timer re-armed) before it ends the interrupt, and the
		 * list register would not notice; the end is resampled
		 * instead (EOI maintenance, then this flush again). */
		bool level_active = (q->flags & (VIRQ_ACTIVE | VIRQ_EDGE | VIRQ_PENDING)) == VIRQ_ACTIVE;
		if (q->flags & VIRQ_ACTIVE)
			lr |= LR_STATE_ACTIVE;
		if (pending(q) && !level_active)
			lr |= LR_STATE_PENDING;
		if ((best[i].intid == INTID_VTIMER && v->timer_masked) || forwarded(vm, best[i].intid) ||
		    (level_active && (q->flags & VIRQ_LINE)))
			lr |= LR_EOI_MAINTENANCE; /* the physical line unmasked, or the level resampled */
		q->flags = (uint8_t)((q->flags | VIRQ_IN_LR) & ~VIRQ_PENDING);
		lr_write(i, lr);
		v->lr_shadow[i] = lr;

	}
	for (unsigned i = n; i < v->lrs_used_max; i++)
		lr_write(i, 0);
	v->lrs_used_max = (uint8_t)n;
	v->lrs_used = (uint8_t)n;
	sysreg_write(ich_hcr_el2, ICH_HCR_EN | (waiting > n ? ICH_HCR_UIE : 0));
	v->vgic_dirty = false;
}

void vgic_load(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	sysreg_write(ich_vmcr_el2, v->ich_vmcr);
	sysreg_write(ich_ap0r0_el2, v->ich_ap0r0);
	sysreg_write(ich_ap1r0_el2, v->ich_ap1r0);
	for (unsigned i = 0; i < v->lrs_used; i++)
		lr_write(i, v->lr_shadow[i]);
	for (unsigned i = v->lrs_used; i < lr_count; i++)
		lr_write(i, 0);
	v->lrs_used_max = v->lrs_used;
	sysreg_write(ich_hcr_el2, ICH_HCR_EN | v->ich_hcr_uie);
}

void vgic_put(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	vgic_sync(th);
	/* The list registers' contents are folded into the state whenever
	 * they changed; unchanged ones stay in lr_shadow for vgic_load. */
	v->ich_vmcr = sysreg_read(ich_vmcr_el2);
	v->ich_ap0r0 = sysreg_read(ich_ap0r0_el2);
	v->ich_ap1r0 = sysreg_read(ich_ap1r0_el2);
	v->ich_hcr_uie = sysreg_read(ich_hcr_el2) & ICH_HCR_UIE;
	sysreg_write(ich_hcr_el2, 0);
}

void vgic_maintenance(void)
{
	struct thread *th = guest_loaded_here();

	/* The condition is level-triggered (an EOI'd list register, too few
	 * valid ones): it must be gone before the interrupt is finished, so
	 * the list registers go back into the state now; the way back into
	 * the guest refills them. */
	if (!th) {
		sysreg_write(ich_hcr_el2, 0);
		return;
	}
	struct arch_vcpu *v = &th->vcpu->arch;
	fold_all(th);
	for (unsigned i = 0; i < v->lrs_used_max; i++)
		lr_write(i, 0);
	v->lrs_used_max = 0;
	v->vgic_dirty = true;
	sysreg_write(ich_hcr_el2, ICH_HCR_EN);
	isb();
}

/* ---- the virtual timer ---- */

void vtimer_load(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	sysreg_write(cntv_cval_el0, v->el1[EL1_CNTV_CVAL]);
	sysreg_write(cntv_ctl_el0, v->el1[EL1_CNTV_CTL]);
	/* A vCPU forgotten while loaded (its VM died) may have left the PPI
	 * masked; nobody else would unmask it. */
	if (vtimer_ppi_off[th->cpu])
		vtimer_ppi_unmask(v);
}

void vtimer_put(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	v->el1[EL1_CNTV_CVAL] = sysreg_read(cntv_cval_el0);
	v->el1[EL1_CNTV_CTL] = sysreg_read(cntv_ctl_el0) & 3;
	sysreg_write(cntv_ctl_el0, 0);
	if (v->timer_masked)
		vtimer_ppi_unmask(v);
	/* Out of the CPU's timer, the guest's deadline is the EL2 timer's:
	 * a vCPU asleep in WFI wakes on time, not at the next tick
	 * (arch_guest_tick_vcpu then finds the line up). */
	uint64_t when;
	if (timer_deadline(th, &when))
		arch_timer_wake_at(when);
}

void vtimer_irq(void)
{
	struct thread *th = guest_loaded_here();

	if (!th) {
		sysreg_write(cntv_ctl_el0, 0); /* a forgotten guest's timer */
		return;
	}
	/* Level-triggered: the physical line stays off until the guest has
	 * dealt with the virtual one (vgic_flush turns it back on). */
	gic_set_ppi_enabled(INTID_VTIMER, false);
	th->vcpu->arch.timer_masked = true;
	vtimer_ppi_off[th->cpu] = true;
	changed(th);
}

void arch_guest_tick_vcpu(struct thread *th)
{
	if (guest_is_loaded(th))
		return;
	if (th->state == THREAD_BLOCKED && th->wait == VCPU_WFI && timer_line(th) &&
	    (th->vcpu->arch.priv[INTID_VTIMER].flags & VIRQ_ENABLED))
		vcpu_kick(th);
}

/* ---- SGIs and SPIs ---- */

void vgic_sgi(struct thread *th, uint64_t sgi1r)
{
	struct vm *vm = vm_of(th);
	unsigned intid = (sgi1r >> 24) & 0xf;
	bool all_others = sgi1r & (1ull << 40);
	unsigned base = ((sgi1r >> 44) & 0xf) * 16;

	if (!vm)
		return;
	/* Our vCPUs have only Aff0: other affinities name nobody. */
	if (!all_others && (sgi1r & 0x00ff00ff00ff0000ull & ~(0xfull << 44) & ~(0xfull << 24)))
		return;
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++) {
		struct thread *t = vm->vcpus[i];
		if (!t || t->state == THREAD_DEAD)
			continue;
		bool hit = all_others ? t != th : (i >= base && i < base + 16 && (sgi1r & (1ull << (i - base))));
		if (!hit)
			continue;
		t->vcpu->arch.priv[intid].flags |= VIRQ_PENDING;
		changed(t);
	}
}

/* An SPI's input line as a device drives it: 1 high, 0 low, 2 an edge. */
static void spi_line(struct vm *vm, unsigned intid, unsigned level)
{
	struct virq *q = &vm->arch.spi[intid - 32];
	bool was = pending(q);
	if (level == 2 || (level == 1 && (q->flags & VIRQ_EDGE) && !(q->flags & VIRQ_LINE)))
		q->flags |= VIRQ_PENDING;
	if (level == 1)
		q->flags |= VIRQ_LINE;
	else
		q->flags &= (uint8_t)~VIRQ_LINE;
	struct thread *t = spi_target(vm, q);
	if (t && t->state != THREAD_DEAD && (pending(q) != was || level == 2))
		changed(t);
}

int arch_vm_irq(struct vm *vm, unsigned intid, unsigned level)
{
	if (intid < 32 || intid >= CV_VM_INTIDS || level > 2)
		return CV_E_BAD_ARG;
	if (forwarded(vm, intid))
		return CV_E_BUSY; /* the device's line, not the monitor's */
	spi_line(vm, intid, level);
	return CV_OK;
}

/* ---- physical interrupts forwarded to SPIs ---- */

int arch_vm_forward_bind(struct vm *vm, unsigned intid, unsigned hw_irq)
{
	if (intid < 32 || intid >= CV_VM_INTIDS || hw_irq < 32 || hw_irq >= 1020)
		return CV_E_BAD_ARG;
	if (forwarded(vm, intid))
		return CV_E_BUSY;
	vm->arch.forwarded[intid - 32] = (uint16_t)hw_irq;
	return CV_OK;
}

void arch_vm_forward_fire(struct vm *vm, unsigned intid)
{
	/* High until the guest acknowledges it (fold): whether the device
	 * still asserts it is only known once it is unmasked again. An
	 * edge-triggered device is treated the same way; its edges meanwhile
	 * wait in the distributor's pending state. */
	spi_line(vm, intid, 1);
}

void arch_vm_forward_unbind(struct vm *vm, unsigned intid)
{
	if (!forwarded(vm, intid))
		return;
	vm->arch.forwarded[intid - 32] = 0;
	spi_line(vm, intid, 0);
}

/* ---- distributor and redistributor registers ---- */

bool vgic_owns(uint64_t ipa)
{
	return (ipa >= CV_VM_GICD_BASE && ipa < CV_VM_GICD_BASE + CV_VM_GICD_SIZE) ||
	       (ipa >= CV_VM_GICR_BASE && ipa < CV_VM_GICR_BASE + CV_VM_VCPUS_MAX * CV_VM_GICR_STRIDE);
}

/* Registers with one bit per interrupt (set-enable and friends), for the
 * 32 interrupts starting at first. */
static uint32_t bits_read(struct thread *th, unsigned first, uint8_t flag)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct virq *q = virq_of(th, first + i);
		if (!q)
			continue;
		bool set = flag == VIRQ_PENDING ? pending(q) : (q->flags & flag);
		if (set)
			v |= 1u << i;
	}
	return v;
}

static void bits_write(struct thread *th, unsigned first, uint32_t bits, uint8_t flag, bool set)
{
	struct vm *vm = vm_of(th);

	for (unsigned i = 0; i < 32; i++) {
		if (!(bits & (1u << i)))
			continue;
		struct virq *q = virq_of(th, first + i);
		if (!q)
			continue;
		if (set)
			q->flags |= flag;
		else
			q->flags &= (uint8_t)~flag;
		/* Pending or active cleared by hand on a forwarded SPI: once it
		 * is not active, the device's line is looked at again. */
		if (!set && (flag & (VIRQ_PENDING | VIRQ_ACTIVE)) && !(q->flags & VIRQ_ACTIVE) &&
		    forwarded(vm, first + i))
			forward_resample(vm, first + i);
		struct thread *t = first + i < 32 ? th : spi_target(vm, q);
		if (t && t->state != THREAD_DEAD)
			changed(t);
	}
}

/* One of the register blocks both frames share (offsets from the start of
 * the block). Returns false if off is not one of them. */
static bool irq_regs(struct thread *th, unsigned first, unsigned off, unsigned size, bool write,
		     uint64_t *value)
{
	static const struct {
		unsigned offset;
		uint8_t flag;
		bool set;
	} bitregs[] = {
		{GICD_ISENABLER, VIRQ_ENABLED, true}, {GICD_ICENABLER, VIRQ_ENABLED, false},
		{GICD_ISPENDR, VIRQ_PENDING, true},   {GICD_ICPENDR, VIRQ_PENDING, false},
		{GICD_ISACTIVER, VIRQ_ACTIVE, true},  {GICD_ICACTIVER, VIRQ_ACTIVE, false},
	};
	for (unsigned r = 0; r < sizeof(bitregs) / sizeof(bitregs[0]); r++) {
		unsigned base = bitregs[r].offset;
		if (off < base || off >= base + 0x80)
			continue;
		if (size != 2)
			return false;
		unsigned irq = first + (off - base) * 8;
		if (write)
			bits_write(th, irq, (uint32_t)*value, bitregs[r].flag, bitregs[r].set);
		else
			*value = bits_read(th, irq, bitregs[r].flag);
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
		if (!write)
			*value = 0xffffffff; /* everything is Group 1 */
		return size == 2;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		unsigned irq = first + off - GICD_IPRIORITYR;
		unsigned bytes = 1u << size;
		if (size > 2)
			return false;
		for (unsigned b = 0; b < bytes; b++) {
			struct virq *q = virq_of(th, irq + b);
			if (!q)
				continue;
			if (write)
				q->priority = (uint8_t)(*value >> (8 * b)) & 0xf8; /* 5 bits, like QEMU's */
			else
				*value |= (uint64_t)q->priority << (8 * b);
		}
		if (write)
			th->vcpu->arch.vgic_dirty = true;
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		unsigned irq = first + (off - GICD_ICFGR) * 4;
		if (size != 2)
			return false;
		for (unsigned i = 0; i < 16; i++) {
			struct virq *q = virq_of(th, irq + i);
			if (!q)
				continue;
			if (!write) {
				*value |= (q->flags & VIRQ_EDGE) ? 2u << (2 * i) : 0;
			} else if (irq + i >= 16) { /* SGIs are always edge */
				if ((*value >> (2 * i)) & 2)
					q->flags |= VIRQ_EDGE;
				else
					q->flags &= (uint8_t)~VIRQ_EDGE;
			}
		}
		return true;
	}
	return false;
}

static bool gicd_access(struct thread *th, unsigned off, unsigned size, bool write, uint64_t *value)
{
	struct vm *vm = vm_of(th);

	switch (off) {
	case GICD_CTLR:
		if (write) {
			vm->arch.gicd_ctlr = (uint32_t)*value & GICD_CTLR_ENABLES;
			for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++)
				if (vm->vcpus[i] && vm->vcpus[i]->state != THREAD_DEAD)
					changed(vm->vcpus[i]);
		} else {
			*value = vm->arch.gicd_ctlr | GICD_CTLR_ARE_NS;
		}
		return size == 2;
	case GICD_TYPER:
		/* ITLinesNumber, 10 interrupt-ID bits, no LPIs, no security. */
		if (!write)
			*value = (CV_VM_INTIDS / 32 - 1) | (9u << 19);
		return size == 2;
	case GIC_PIDR2:
		if (!write)
			*value = GIC_PIDR2_ARCH_V3;
		return size == 2;
	default:
		break;
	}
	if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + CV_VM_INTIDS * 8) {
		struct virq *q = &vm->arch.spi[(off - GICD_IROUTER) / 8 - 32];
		if (size < 2 || (off & 4))
			return (off & 4) && size == 2; /* the upper half: Aff3, RAZ/WI */
		if (write) {
			struct thread *old = spi_target(vm, q);
			q->target = (uint8_t)(*value & 0xff);
			if ((*value >> 8) & 0xffff)
				q->target = 0xff; /* an affinity no vCPU has */
			if (old)
				changed(old);
			if (spi_target(vm, q))
				changed(spi_target(vm, q));
		} else {
			*value = q->target;
		}
		return true;
	}
	if (off < 0x80 * 0 + GICD_IGROUPR)
		return size == 2; /* other identification registers: RAZ/WI */
	/* The private interrupts' copies here are RAZ/WI with affinity
	 * routing; SPIs start at the second word. */
	unsigned word0_end = 4;
	bool in_bits = off >= GICD_IGROUPR && off < GICD_IPRIORITYR && (off & 0x7f) < word0_end;
	bool in_prio = off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32;
	bool in_cfg = off >= GICD_ICFGR && off < GICD_ICFGR + 8;
	if (in_bits || in_prio || in_cfg)
		return true;
	if (irq_regs(th, 0, off, size, write, value))
		return true;
	return size == 2 && off < 0x10000; /* unimplemented: RAZ/WI */
}

static bool gicr_access(struct thread *th, struct thread *rd, unsigned off, unsigned size, bool write,
			uint64_t *value)
{
	struct vm *vm = vm_of(th);
	struct arch_vcpu *v = &rd->vcpu->arch;

	if (off >= GICR_SGI_FRAME)
		return irq_regs(rd, 0, off - GICR_SGI_FRAME, size, write, value) ||
		       (size == 2 && !write ? (*value = 0, true) : size == 2);
	switch (off) {
	case GICR_TYPER:
	case GICR_TYPER + 4: {
		bool last = true;
		for (unsigned i = rd->vcpu->index + 1; i < CV_VM_VCPUS_MAX; i++)
			if (vm->vcpus[i])
				last = false;
		uint64_t typer = ((uint64_t)rd->vcpu->index << 32) | ((uint64_t)rd->vcpu->index << 8) |
				 (last ? 1u << 4 : 0);
		if (!write)
			*value = off == GICR_TYPER ? (size == 3 ? typer : (uint32_t)typer) : typer >> 32;
		return size == 3 ? off == GICR_TYPER : size == 2;
	}
	case GICR_WAKER:
		if (write)
			v->gicr_waker = (uint32_t)*value & GICR_WAKER_SLEEP;
		else
			*value = v->gicr_waker | ((v->gicr_waker & GICR_WAKER_SLEEP) ? GICR_WAKER_ASLEEP : 0);
		return size == 2;
	case GIC_PIDR2:
		if (!write)
			*value = GIC_PIDR2_ARCH_V3;
		return size == 2;
	default:
		return size == 2; /* RAZ/WI */
	}
}

bool vgic_mmio(struct thread *th, uint64_t ipa, unsigned size_log2, bool write, uint64_t *value)
{
	/* Reads must see what the list registers hold (pending, active);
	 * the way back into the guest refills them. */
	if (th->vcpu->arch.lrs_used && guest_is_loaded(th)) {
		fold_all(th);
		th->vcpu->arch.vgic_dirty = true;
	}
	if (!write)
		*value = 0;
	if (ipa & ((1u << size_log2) - 1))
		return false; /* unaligned */
	if (ipa < CV_VM_GICD_BASE + CV_VM_GICD_SIZE)
		return gicd_access(th, (unsigned)(ipa - CV_VM_GICD_BASE), size_log2, write, value);
	unsigned index = (unsigned)((ipa - CV_VM_GICR_BASE) / CV_VM_GICR_STRIDE);
	struct vm *vm = vm_of(th);
	struct thread *rd = vm ? vm->vcpus[index] : NULL;
	if (!rd || rd->state == THREAD_DEAD) {
		return size_log2 == 2; /* no such redistributor: RAZ/WI */
	}
	return gicr_access(th, rd, (unsigned)((ipa - CV_VM_GICR_BASE) % CV_VM_GICR_STRIDE), size_log2, write,
			   value);
}
