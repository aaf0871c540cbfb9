/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GICv3 for guests: the distributor at 0x08000000, one redistributor per
 * vCPU at 0x080a0000 + n * 0x20000, the CPU interface through ICC_*
 * system registers; Group 1 only, as a non-secure OS sees it. Only 32-bit
 * accesses are made to GIC registers, except the 64-bit GICR_TYPER.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_INTID_SPECIAL 1020 /* 1020..1023: no interrupt to acknowledge */
#define GIC_INTID_VTIMER 27

/* Distributor: Group 1 and affinity routing on. Call once, on the boot CPU. */
void gic_init_dist(void);

/* This CPU's redistributor (woken) and CPU interface (system registers
 * on, PMR open, Group 1 on). Every CPU calls it for itself. Returns false
 * if the redistributor frame does not belong to this CPU (GICR_TYPER's
 * affinity) or does not wake. */
bool gic_init_cpu(void);

/* For SGIs and PPIs (INTID < 32) these act on this CPU's redistributor. */
void gic_set_priority(uint32_t intid, uint8_t prio);
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
/* An SPI (INTID 32..) goes to the CPU with MPIDR Aff0 = cpu (Aff3..1 = 0). */
void gic_route_spi(uint32_t intid, unsigned int cpu);
/* Edge (true) or level (false); SGIs are always edge. */
void gic_set_edge(uint32_t intid, bool edge);
/* Pending bits of SGIs and PPIs 0..31 of this CPU (GICR_ISPENDR0). */
uint32_t gic_pending_private(void);
void gic_clear_pending(uint32_t intid);

uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

/* SGI `intid` (0..15) to every CPU whose Aff0 bit is set in `cpus`
 * (Aff3..Aff1 = 0). */
void gic_send_sgi(uint32_t intid, uint16_t cpus);

/* Raw ICC_SGI1R_EL1 write, for guests that try odd values. */
void gic_write_sgi1r(uint64_t value);

#endif
