// SPDX-License-Identifier: BSD-2-Clause
// A PL011 UART (ARM DDI 0183) as a guest's console and its driver need
// it, over the VM's console page: bytes written to DR go to the out ring,
// bytes an observer typed into the in ring are the receive FIFO. The
// transmit side never fills (a byte leaves as it is written), so FR never
// says TXFF or BUSY. Interrupts follow the TRM's rules as far as a FIFO
// that fills in bursts and drains at once allows (docs/vmm.md, "The
// UART"). Baud rate, line control and CR keep what the guest writes and
// change nothing, but LCR_H.FEN and IFLS choose the receive trigger level.
#include "pl011.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044
#define UART_DMACR 0x048
#define UART_PERIPH_ID0 0xfe0

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_RXFF (1u << 6) /* receive FIFO full */
#define FR_TXFE (1u << 7) /* transmit FIFO empty: we never hold a byte */
#define LCR_H_FEN (1u << 4) /* FIFOs on; off, each side is a one-byte register */
#define IFLS_RX_SHIFT 3

/* The PrimeCell identification registers, as QEMU's PL011 has them. */
static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static void update(struct pl011 *u)
{
	bool high = pl011_line(u);

	if (high != u->high) {
		u->high = high;
		if (u->line)
			u->line(u->ctx, high);
	}
}

void pl011_init(struct pl011 *u, struct vmmctl_console *page, void (*line)(void *ctx, bool high), void *ctx)
{
	*u = (struct pl011){
		.page = page,
		.line = line,
		.ctx = ctx,
		.cr = 0x301,  /* enabled, transmit and receive on: firmware would have done it */
		.ifls = 0x12, /* reset value: both trigger levels at half */
		.seen_head = __atomic_load_n(&page->in_head, __ATOMIC_ACQUIRE),
	};
}

bool pl011_line(const struct pl011 *u)
{
	return (u->ris & u->imsc) != 0;
}

static bool fifo_on(const struct pl011 *u)
{
	return u->lcr_h & LCR_H_FEN;
}

/* Bytes at or above which RX is raised: IFLS's fraction of the FIFO
 * (1/8, 1/4, 1/2, 3/4, 7/8; the reserved codes as 7/8), or the one-byte
 * holding register when the FIFOs are off. */
static uint64_t rx_trigger(const struct pl011 *u)
{
	static const uint8_t eighths[8] = {1, 2, 4, 6, 7, 7, 7, 7};

	if (!fifo_on(u))
		return 1;
	return PL011_FIFO_DEPTH * eighths[(u->ifls >> IFLS_RX_SHIFT) & 7] / 8;
}

/* Bytes waiting in the in ring. A writer that ran a whole ring ahead lost
 * its oldest bytes: those are skipped (the writer is untrusted: any head
 * is taken as it is, and at most a ring is ever read). */
static uint64_t waiting(const struct pl011 *u, uint64_t *tail)
{
	uint64_t head = __atomic_load_n(&u->page->in_head, __ATOMIC_ACQUIRE);

	*tail = u->page->in_tail;
	if (head - *tail > VMMCTL_CONSOLE_IN)
		*tail = head - VMMCTL_CONSOLE_IN;
	return head - *tail;
}

static void look(struct pl011 *u)
{
	uint64_t head = __atomic_load_n(&u->page->in_head, __ATOMIC_ACQUIRE), tail;

	if (head == u->seen_head)
		return;
	uint64_t fresh = head - u->seen_head, level = waiting(u, &tail);
	uint64_t before = level > fresh ? level - fresh : 0;
	u->seen_head = head;
	/* RX is a crossing of the trigger level, not the level itself (Linux
	 * drains the FIFO before enabling it for that reason). */
	if (before < rx_trigger(u) && level >= rx_trigger(u))
		u->ris |= PL011_INT_RX;
	/* RT is due 32 bit periods after the last byte; a burst lands in the
	 * ring at once, and the model only sees it when it looks, which is
	 * later than that already. */
	if (level)
		u->ris |= PL011_INT_RT;
}

void pl011_look(struct pl011 *u)
{
	look(u);
	update(u);
}

static uint32_t read_dr(struct pl011 *u)
{
	uint64_t tail, level = waiting(u, &tail);

	if (!level)
		return 0;
	uint32_t c = (unsigned char)u->page->in[tail % VMMCTL_CONSOLE_IN];
	__atomic_store_n(&u->page->in_tail, tail + 1, __ATOMIC_RELEASE);
	level--;
	if (!fifo_on(u)) {
		/* The holding register is read; the next byte, if one waits,
		 * arrives in it at once. */
		u->ris &= ~PL011_INT_RX;
		if (level)
			u->ris |= PL011_INT_RX;
	} else if (level < rx_trigger(u)) {
		u->ris &= ~PL011_INT_RX;
	}
	if (!level)
		u->ris &= ~PL011_INT_RT;
	return c;
}

uint32_t pl011_read(struct pl011 *u, uint64_t offset)
{
	uint64_t tail, level;
	uint32_t v = 0;

	look(u);
	switch (offset) {
	case UART_DR: v = read_dr(u); break;
	case UART_FR:
		level = waiting(u, &tail);
		v = FR_TXFE | (level ? 0 : FR_RXFE) | (level >= (fifo_on(u) ? VMMCTL_CONSOLE_IN : 1) ? FR_RXFF : 0);
		break;
	case UART_IBRD: v = u->ibrd; break;
	case UART_FBRD: v = u->fbrd; break;
	case UART_LCR_H: v = u->lcr_h; break;
	case UART_CR: v = u->cr; break;
	case UART_IFLS: v = u->ifls; break;
	case UART_IMSC: v = u->imsc; break;
	case UART_RIS: v = u->ris; break;
	case UART_MIS: v = u->ris & u->imsc; break;
	case UART_DMACR: v = u->dmacr; break;
	default:
		if (offset >= UART_PERIPH_ID0 && offset < UART_PERIPH_ID0 + 32 && !(offset & 3))
			v = ids[(offset - UART_PERIPH_ID0) / 4];
		break;
	}
	update(u);
	return v;
}

static void write_dr(struct pl011 *u, uint32_t value)
{
	uint64_t head = u->page->out_head;

	u->page->out[head % VMMCTL_CONSOLE_OUT] = (char)value;
	/* Readers look at the head only after the byte is there. */
	__atomic_store_n(&u->page->out_head, head + 1, __ATOMIC_RELEASE);
	/* The byte left at once, so the FIFO fell through its trigger level:
	 * the TRM's condition for TX. Writing never fills it above the level,
	 * so only ICR clears TX. */
	u->ris |= PL011_INT_TX;
}

void pl011_write(struct pl011 *u, uint64_t offset, uint32_t value)
{
	look(u);
	switch (offset) {
	case UART_DR: write_dr(u, value); break;
	case UART_IBRD: u->ibrd = value & 0xffff; break;
	case UART_FBRD: u->fbrd = value & 0x3f; break;
	case UART_LCR_H: u->lcr_h = value & 0xff; break;
	case UART_CR: u->cr = value & 0xffff; break;
	case UART_IFLS: u->ifls = value & 0x3f; break;
	case UART_IMSC: u->imsc = value & PL011_INT_ALL; break;
	case UART_ICR: u->ris &= ~(value & PL011_INT_ALL); break;
	case UART_DMACR: u->dmacr = value & 7; break;
	default: break;
	}
	update(u);
}
