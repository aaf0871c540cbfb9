/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's console UART, a PL011 (ARM DDI 0183) over the VM's console
 * page (struct vmmctl_console), with its interrupts (docs/vmm.md, "The
 * UART"). A pure device model: it touches nothing but the page and its
 * own state, so the host unit test (tests/unit/test_pl011.c) runs it as
 * the VMM does.
 *
 * Its one interrupt output (UARTINTR) is level-triggered: high while
 * (RIS & IMSC) != 0. The model calls `line` whenever that level changes,
 * once per call below at most, after the call's work: the VMM turns it
 * into the VM's SPI.
 */
#ifndef VMM_PL011_H
#define VMM_PL011_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/vmmctl.h>

/* Interrupt bits of IMSC, RIS, MIS and ICR. */
#define PL011_INT_RX (1u << 4)  /* receive: the FIFO reached its trigger level */
#define PL011_INT_TX (1u << 5)  /* transmit: the FIFO fell to its trigger level */
#define PL011_INT_RT (1u << 6)  /* receive timeout: input waits, none came after it */
#define PL011_INT_ALL 0x7ffu     /* the eleven bits the registers have */

/* The receive FIFO depth the guest is told about (the ID registers say
 * revision 1, whose FIFOs are 16 deep); trigger levels are fractions of it. */
#define PL011_FIFO_DEPTH 16u

struct pl011 {
	struct vmmctl_console *page;
	void (*line)(void *ctx, bool high);
	void *ctx;
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	uint32_t ris;
	uint64_t seen_head; /* in_head when the model last looked at the ring */
	bool high;          /* the output's level as last reported */
};

void pl011_init(struct pl011 *u, struct vmmctl_console *page, void (*line)(void *ctx, bool high), void *ctx);
/* A guest access at `offset` in the UART's page. Offsets it does not model
 * read as zero and ignore writes, as the real one's reserved ones do. */
uint32_t pl011_read(struct pl011 *u, uint64_t offset);
void pl011_write(struct pl011 *u, uint64_t offset, uint32_t value);
/* Looks at the in ring for input observers wrote since the last look:
 * it raises RX (at the trigger level) and RT. Every access looks too. */
void pl011_look(struct pl011 *u);
/* The output's level: (RIS & IMSC) != 0. */
bool pl011_line(const struct pl011 *u);

#endif
