// SPDX-License-Identifier: BSD-2-Clause
// A PL011 UART (ARM DDI 0183) as much as a guest's console needs: bytes
// written to DR go to the console page's out ring, bytes typed by an
// observer with control come from its in ring; FR says whether one is
// waiting. Set-up registers (baud rate, line control, interrupts) keep
// what the guest writes and change nothing; interrupts are not raised:
// guests poll.
#include "vmm.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_PERIPH_ID0 0xfe0

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_TXFE (1u << 7) /* transmit FIFO empty: we never hold a byte */

static struct vmmctl_console *page;
static uint32_t setup_regs[6]; /* IBRD, FBRD, LCR_H, CR, IFLS, IMSC as written */

/* The PrimeCell identification registers, as the PL011 r1p5 has them. */
static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void pl011_init(struct vmmctl_console *console)
{
	page = console;
	setup_regs[3] = 0x301; /* CR: enabled, transmit and receive on */
}

static uint32_t *setup_reg(uint64_t offset)
{
	if (offset >= UART_IBRD && offset <= UART_IMSC)
		return &setup_regs[(offset - UART_IBRD) / 4];
	return 0;
}

void pl011_write(uint64_t offset, uint32_t value)
{
	uint32_t *reg = setup_reg(offset);

	if (offset == UART_DR) {
		uint64_t head = page->out_head;
		page->out[head % VMMCTL_CONSOLE_OUT] = (char)value;
		/* Readers look at the head only after the byte is there. */
		__atomic_store_n(&page->out_head, head + 1, __ATOMIC_RELEASE);
	} else if (reg) {
		*reg = value;
	}
}

uint32_t pl011_read(uint64_t offset)
{
	uint32_t *reg = setup_reg(offset);
	uint64_t head = __atomic_load_n(&page->in_head, __ATOMIC_ACQUIRE), tail = page->in_tail;

	if (offset == UART_DR) {
		if (head == tail)
			return 0;
		/* A writer that ran a whole ring ahead lost its oldest bytes. */
		if (head - tail > VMMCTL_CONSOLE_IN)
			tail = head - VMMCTL_CONSOLE_IN;
		uint32_t c = (unsigned char)page->in[tail % VMMCTL_CONSOLE_IN];
		__atomic_store_n(&page->in_tail, tail + 1, __ATOMIC_RELEASE);
		return c;
	}
	if (offset == UART_FR)
		return FR_TXFE | (head == tail ? FR_RXFE : 0);
	if (reg)
		return *reg;
	if (offset >= UART_PERIPH_ID0 && offset < UART_PERIPH_ID0 + 32)
		return ids[(offset - UART_PERIPH_ID0) / 4];
	return 0;
}
