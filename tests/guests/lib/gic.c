// SPDX-License-Identifier: BSD-2-Clause
// GICv3 driver for guests (gic.h). Written against the non-secure view:
// under QEMU without EL3 the GIC has one security state (GICD_CTLR.DS = 1)
// and under capvisor the VMM's model decides, so the guest writes only
// the bits that mean the same in both (Group 1 enable in bit 1, affinity
// routing in bit 4) and makes every interrupt Group 1.
#include "gic.h"
#include "mmio.h"
#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080a0000ul
#define GICR_STRIDE 0x20000ul
#define GICR_SGI_OFFSET 0x10000ul

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)
#define GICD_TYPER 0x0004
#define GICD_IROUTER 0x6000 /* 64 bits per INTID, written as two halves */

/* Registers with one bit or byte per INTID, at the same offsets in the
 * distributor (SPIs) and the redistributor's SGI frame (INTID 0..31). */
#define GIC_IGROUPR 0x0080
#define GIC_ISENABLER 0x0100
#define GIC_ICENABLER 0x0180
#define GIC_ISPENDR 0x0200
#define GIC_ICPENDR 0x0280
#define GIC_IPRIORITYR 0x0400
#define GIC_ICFGR 0x0c00

#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

#define DEFAULT_PRIORITY 0xa0
#define POLL_LIMIT 10000000

static uintptr_t rd_base(void)
{
	return GICR_BASE + cpu_id() * GICR_STRIDE;
}

/* Where the per-INTID registers of `intid` live for this CPU. */
static uintptr_t intid_base(uint32_t intid)
{
	return intid < 32 ? rd_base() + GICR_SGI_OFFSET : GICD_BASE;
}

static bool wait_clear(uintptr_t addr, uint32_t bits)
{
	for (int i = 0; i < POLL_LIMIT; i++) {
		if (!(mmio_read32(addr) & bits))
			return true;
	}
	return false;
}

void gic_init_dist(void)
{
	mmio_write32(GICD_BASE + GICD_CTLR, 0);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	uint32_t lines = ((mmio_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;
	for (uint32_t i = 32; i < lines; i += 32) {
		mmio_write32(GICD_BASE + GIC_ICENABLER + i / 8, ~0u);
		mmio_write32(GICD_BASE + GIC_IGROUPR + i / 8, ~0u);
	}
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
}

static uint32_t mpidr_affinity(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	// GICR_TYPER packs Aff3.Aff2.Aff1.Aff0 into 32 bits.
	return (uint32_t)(mpidr & 0xffffff) | (uint32_t)((mpidr >> 32) & 0xff) << 24;
}

bool gic_init_cpu(void)
{
	uintptr_t rd = rd_base(), sgi = rd + GICR_SGI_OFFSET;
	uint64_t typer = mmio_read64(rd + GICR_TYPER);

	if ((uint32_t)(typer >> 32) != mpidr_affinity())
		return false;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		return false;

	mmio_write32(sgi + GIC_ICENABLER, ~0u);
	mmio_write32(sgi + GIC_ICPENDR, ~0u);
	mmio_write32(sgi + GIC_IGROUPR, ~0u);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(sgi + GIC_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101u);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);

	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0); // EOI both drops priority and deactivates
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return true;
}

void gic_set_priority(uint32_t intid, uint8_t prio)
{
	uintptr_t r = intid_base(intid) + GIC_IPRIORITYR + (intid & ~3u);
	unsigned int shift = (intid & 3) * 8;

	mmio_write32(r, (mmio_read32(r) & ~(0xffu << shift)) | (uint32_t)prio << shift);
}

void gic_enable(uint32_t intid)
{
	mmio_write32(intid_base(intid) + GIC_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
	dsb(sy);
}

void gic_disable(uint32_t intid)
{
	mmio_write32(intid_base(intid) + GIC_ICENABLER + intid / 32 * 4, 1u << (intid % 32));
	if (intid < 32)
		wait_clear(rd_base() + GICR_CTLR, GICR_CTLR_RWP);
	else
		wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
}

void gic_route_spi(uint32_t intid, unsigned int cpu)
{
	uintptr_t r = GICD_BASE + GICD_IROUTER + intid * 8ul;

	mmio_write32(r, cpu & 0xff);
	mmio_write32(r + 4, 0);
}

void gic_set_edge(uint32_t intid, bool edge)
{
	uintptr_t r = intid_base(intid) + GIC_ICFGR + intid / 16 * 4;
	unsigned int shift = (intid % 16) * 2 + 1;

	mmio_write32(r, (mmio_read32(r) & ~(1u << shift)) | (uint32_t)edge << shift);
}

uint32_t gic_pending_private(void)
{
	return mmio_read32(rd_base() + GICR_SGI_OFFSET + GIC_ISPENDR);
}

void gic_clear_pending(uint32_t intid)
{
	mmio_write32(intid_base(intid) + GIC_ICPENDR + intid / 32 * 4, 1u << (intid % 32));
}

uint32_t gic_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffff;

	dsb(sy); // the handler's memory accesses come after the acknowledge
	return intid;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_write_sgi1r(uint64_t value)
{
	// Memory written before the SGI must be visible to the CPU it wakes:
	// the system register write is not ordered by DMB.
	dsb(sy);
	write_sysreg(icc_sgi1r_el1, value);
	isb();
}

void gic_send_sgi(uint32_t intid, uint16_t cpus)
{
	gic_write_sgi1r((uint64_t)(intid & 0xf) << 24 | cpus);
}
