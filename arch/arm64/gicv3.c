// SPDX-License-Identifier: BSD-2-Clause
// GICv3: the distributor, one redistributor per CPU and the system-register
// CPU interface. The kernel uses Group 1 interrupts only; SGIs carry IPIs,
// with the sender encoded in the SGI number (see sgi_for).
#include <libfdt.h>

#include <arch/layout.h>
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arch/irq.h"
#include "arch/smp.h"
#include "arm64_private.h"
#include "guest_private.h"
#include "cpu.h"
#include "kernel.h"
#include "klock.h"
#include "panic.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6100

#define GICR_FRAME_SIZE 0x20000 /* RD_base + SGI_base */
#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400

#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_ENABLE (1u << 3)

/* SGI numbers: 0..7 kernel IPIs without a sender; 8..15 "ping from CPU
 * n-8" so a receiver knows who pinged without any shared memory. */
#define SGI_PING_BASE 8

static volatile uint8_t *gicd;
static volatile uint8_t *gicr_region;
static uint64_t gicr_region_size;
static volatile uint8_t *gicr_of_cpu[CPU_MAX_COUNT];

static inline uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint64_t rd64(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint64_t *)(base + off);
}

static int wait_clear(volatile uint8_t *base, uint32_t off, uint32_t mask)
{
	for (int i = 0; i < 1000000; i++) {
		if (!(rd32(base, off) & mask))
			return 0;
		arch_cpu_relax();
	}
	return -1;
}

int gic_init(const void *dtb)
{
	static const char *const compat[] = {"arm,gic-v3", NULL};
	int node = dtb_find_compatible(dtb, compat);
	uint64_t dbase, dsize, rbase, rsize;

	if (node < 0 || dtb_reg(dtb, node, 0, &dbase, &dsize) || dtb_reg(dtb, node, 1, &rbase, &rsize))
		return -1;
	gicd = arch_map_device(dbase, dsize);
	gicr_region = arch_map_device(rbase, rsize);
	gicr_region_size = rsize;
	if (!gicd || !gicr_region)
		return -1;

	wr32(gicd, GICD_CTLR, 0);
	if (wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP))
		return -1;
	/* Every shared interrupt disabled and in Group 1 until someone owns it. */
	unsigned lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned i = 32; i < lines && i < 1020; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, 0xffffffff);
		wr32(gicd, GICD_IGROUPR + i / 8, 0xffffffff);
	}
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	return wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
}

/* GICD_IROUTER's layout: Aff3 at 39:32, Aff2..Aff0 at 23:0. */
static uint64_t affinity_route(uint64_t mpidr)
{
	return ((mpidr >> 32) & 0xff) << 32 | (mpidr & 0xffffff);
}

static uint32_t affinity_of(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
}

int gic_init_cpu(void)
{
	struct cpu *cpu = cpu_self();
	volatile uint8_t *rd = NULL;

	for (uint64_t off = 0; off + GICR_FRAME_SIZE <= gicr_region_size; off += GICR_FRAME_SIZE) {
		uint64_t typer = rd64(gicr_region, off + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == affinity_of(cpu->hwid)) {
			rd = gicr_region + off;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	if (!rd)
		return -1;
	gicr_of_cpu[cpu->index] = rd;

	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (wait_clear(rd, GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		return -1;
	volatile uint8_t *sgi = rd + GICR_SGI_BASE;
	wr32(sgi, GICR_ICENABLER0, 0xffffffff);
	wr32(sgi, GICR_IGROUPR0, 0xffffffff);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(sgi, GICR_IPRIORITYR + i, 0xa0a0a0a0);
	wr32(sgi, GICR_ISENABLER0, 0x0000ffff); /* all SGIs */
	/* Guests' interrupts that come to EL2 first: the maintenance
	 * interrupt of the virtual CPU interface, the virtual timer. */
	wr32(sgi, GICR_ISENABLER0, (1u << GIC_MAINTENANCE_INTID) | (1u << timer_virt_intid));

	sysreg_write(icc_sre_el2, sysreg_read(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, 0); /* EOI both drops priority and deactivates */
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
	return 0;
}

void gic_enable_ppi(unsigned intid)
{
	volatile uint8_t *rd = gicr_of_cpu[cpu_self()->index];

	wr32(rd + GICR_SGI_BASE, GICR_ISENABLER0, 1u << intid);
}

void gic_set_ppi_enabled(unsigned intid, bool enabled)
{
	volatile uint8_t *rd = gicr_of_cpu[cpu_self()->index];

	wr32(rd + GICR_SGI_BASE, enabled ? GICR_ISENABLER0 : GICR_ICENABLER0, 1u << intid);
	if (!enabled)
		(void)wait_clear(rd, GICR_CTLR, GICR_CTLR_RWP);
}

void gic_send_sgi(uint64_t target_hwid, unsigned sgi)
{
	uint64_t aff0 = target_hwid & 0xff;
	uint64_t v = ((target_hwid >> 32) & 0xff) << 48 | ((target_hwid >> 16) & 0xff) << 32 |
		     ((target_hwid >> 8) & 0xff) << 16 | (uint64_t)(sgi & 0xf) << 24 |
		     (aff0 >> 4) << 44 | (1ul << (aff0 & 0xf));
	dsb_ishst(); /* what the receiver will read is visible before the SGI */
	sysreg_write(icc_sgi1r_el1, v);
	isb();
}

void arch_ipi_send(unsigned cpu_index, enum ipi ipi)
{
	unsigned sgi = ipi == IPI_PING ? SGI_PING_BASE + cpu_self()->index : (unsigned)ipi;

	gic_send_sgi(cpus[cpu_index].hwid, sgi);
}

/* The guests' own interrupts change vCPU state: under the kernel lock,
 * which an interrupt in the idle loop does not hold yet. */
static void guest_irq(bool timer)
{
	struct cpu *cpu = cpu_self();
	bool lock = !cpu->holds_kernel_lock;

	if (lock)
		klock();
	if (timer)
		vtimer_irq();
	else
		vgic_maintenance();
	if (lock)
		kunlock();
}

void gic_handle_irq(void)
{
	for (;;) {
		uint64_t iar = sysreg_read(icc_iar1_el1);
		unsigned intid = iar & 0xffffff;

		if (intid >= 1020)
			return; /* spurious: nothing (more) pending */
		if (intid < 16) {
			/* EOI first: the handler may send this CPU another SGI. */
			sysreg_write(icc_eoir1_el1, iar);
			if (intid >= SGI_PING_BASE)
				smp_handle_ipi(IPI_PING, intid - SGI_PING_BASE);
			else
				smp_handle_ipi((enum ipi)intid, CPU_MAX_COUNT);
			continue;
		}
		if (intid == timer_hyp_intid)
			timer_handle_irq();
		else if (intid == timer_virt_intid || intid == GIC_MAINTENANCE_INTID)
			guest_irq(intid == timer_virt_intid);
		else if (intid >= 32)
			irq_handle_device(intid);
		sysreg_write(icc_eoir1_el1, iar);
	}
}

/* Device interrupts: SPIs routed to the boot CPU, Group 1, one priority. */
void arch_irq_configure(unsigned irq, bool level)
{
	if (irq < 32 || irq >= 1020)
		return;
	arch_irq_mask(irq);
	volatile uint32_t *cfg = (volatile uint32_t *)(gicd + GICD_ICFGR + (irq / 16) * 4);
	unsigned shift = (irq % 16) * 2;
	*cfg = (*cfg & ~(3u << shift)) | ((level ? 0u : 2u) << shift);
	*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + irq) = 0xa0;
	*(volatile uint64_t *)(gicd + GICD_IROUTER + (uint64_t)(irq - 32) * 8) = affinity_route(cpus[0].hwid);
	wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
}

void arch_irq_mask(unsigned irq)
{
	if (irq >= 32 && irq < 1020) {
		wr32(gicd, GICD_ICENABLER + (irq / 32) * 4, 1u << (irq % 32));
		(void)wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
	}
}

void arch_irq_unmask(unsigned irq)
{
	if (irq >= 32 && irq < 1020)
		wr32(gicd, GICD_ISENABLER + (irq / 32) * 4, 1u << (irq % 32));
}
