// SPDX-License-Identifier: BSD-2-Clause
// The console UART's interrupts, driven the way Linux's amba-pl011 driver
// drives them (INTID 33, level, as QEMU's virt machine wires SPI 1).
//
// First the transmit interrupt, with the vCPU's timer bounding each wait:
// TX is set once output has left, so unmasking it interrupts at once;
// after ICR it stays quiet until the next byte is written.
//
// Then input, interactively (vmctl console): the FIFOs on at the default
// trigger level, RX and RT unmasked, and the guest sleeps in WFI with no
// timer running. Only its interrupt handler touches the receive side: it
// reads RIS & IMSC, takes every byte until FR says empty, and loops until
// no cause is left, as Linux does. Each interrupt prints a marker line;
// each typed line comes back in capitals. After the line "one", the next
// line is taken one byte per interrupt, leaving the cause standing at
// each end of interrupt: only a level brings the rest. "off" ends it with
// checks that no interrupt came without input, that the line was low
// after each whole drain, that the one-byte line took one interrupt per
// byte, and that every wake-up from WFI was one of these interrupts.
#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "timer.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_LCR_H 0x02c
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044
#define FR_RXFE (1u << 4)
#define LCR_H_8N1_FIFO 0x70 /* WLEN 8 bits, FEN */
#define IFLS_HALF 0x12
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu

#define UART_INTID 33
#define UART_PRIORITY 0x80
#define TIMER_PRIORITY 0x90
#define FIFO_DEPTH 16
#define PASS_LIMIT 256
#define LINE_MAX 80

static volatile unsigned int tx_irqs, rx_irqs, empty_irqs, still_high, timer_irqs, other_irqs;
static volatile unsigned int rt_causes, rx_causes, rx_bytes, lines;
static volatile unsigned int single_irqs, single_bytes;
static volatile bool off, one_per_irq;
static uint32_t im; /* what IMSC holds, as the driver keeps it */
static char line[LINE_MAX + 1];
static unsigned int len;

static uint32_t uart_read(unsigned int off_)
{
	return mmio_read32(UART_BASE + off_);
}

static void uart_write(unsigned int off_, uint32_t v)
{
	mmio_write32(UART_BASE + off_, v);
}

static void set_im(uint32_t v)
{
	im = v;
	uart_write(UART_IMSC, im);
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* A whole line typed: back in capitals, or the end. */
static void line_done(void)
{
	line[len] = '\0';
	lines++;
	one_per_irq = false;
	if (same(line, "off")) {
		off = true;
	} else if (same(line, "one")) {
		one_per_irq = true;
		printf("uartirq: the next line one byte per interrupt\n");
	} else {
		for (unsigned int i = 0; i < len; i++)
			if (line[i] >= 'a' && line[i] <= 'z')
				line[i] = (char)(line[i] - 'a' + 'A');
		printf("%s\n", line);
	}
	len = 0;
}

/* Every byte the FIFO holds, or `max`; how many. */
static unsigned int receive(unsigned int max)
{
	unsigned int n = 0;

	while (n < max && !(uart_read(UART_FR) & FR_RXFE)) {
		char c = (char)(uart_read(UART_DR) & 0xff);
		n++;
		if (c == '\r' || c == '\n') {
			if (len || c == '\r')
				line_done();
		} else if (c >= ' ' && c < 0x7f && len < LINE_MAX) {
			line[len++] = c;
		}
	}
	return n;
}

static void uart_irq(void)
{
	uint32_t status = uart_read(UART_RIS) & im;
	unsigned int passes = PASS_LIMIT, got = 0;

	if (!status) {
		empty_irqs++;
		return;
	}
	if (status & INT_TX) {
		/* Nothing queued to send: the driver masks TX (stop_tx). */
		tx_irqs++;
		set_im(im & ~INT_TX);
		return;
	}
	rx_irqs++;
	if (one_per_irq) {
		/* One byte, and the end of the interrupt with RT standing
		 * (the line's end switches this off as it is read). */
		got = receive(1);
		single_irqs++;
		single_bytes += got;
		rx_bytes += got;
		if (!got)
			empty_irqs++;
		printf("uartirq: interrupt %u: %u byte%s, cause left standing\n", rx_irqs, got, got == 1 ? "" : "s");
		return;
	}
	while (status) {
		uart_write(UART_ICR, status & ~(INT_TX | INT_RT | INT_RX));
		rt_causes += !!(status & INT_RT);
		rx_causes += !!(status & INT_RX);
		if (status & (INT_RT | INT_RX))
			got += receive(PASS_LIMIT);
		if (passes-- == 0)
			break;
		status = uart_read(UART_RIS) & im;
	}
	rx_bytes += got;
	if (!got)
		empty_irqs++;
	if (uart_read(UART_MIS))
		still_high++;
	printf("uartirq: interrupt %u: %u byte%s\n", rx_irqs, got, got == 1 ? "" : "s");
}

static void irq(uint32_t intid)
{
	if (intid == UART_INTID) {
		uart_irq();
	} else if (intid == GIC_INTID_VTIMER) {
		timer_irqs++;
		timer_stop();
	} else {
		other_irqs++;
	}
}

/* WFI until `count` leaves `seen` or the timer fires after `ticks`. The
 * check and the WFI run with IRQs masked, so nothing slips in between. */
static void wait_for(volatile unsigned int *count, unsigned int seen, uint64_t ticks)
{
	timer_irqs = 0;
	timer_arm(timer_now() + ticks);
	irq_disable();
	while (*count == seen && !timer_irqs) {
		wfi();
		irq_enable();
		irq_disable();
	}
	irq_enable();
	timer_stop();
}

static void transmit_interrupts(void)
{
	uint64_t wait = timer_freq() / 10; /* 100 ms */

	check("tx_set_after_output", uart_read(UART_RIS) & INT_TX, "RIS 0x%x", uart_read(UART_RIS));
	set_im(INT_TX);
	wait_for(&tx_irqs, 0, wait);
	check("tx_irq_on_unmask", tx_irqs == 1, "%u TX interrupts", tx_irqs);
	check("tx_masked_by_handler", !(uart_read(UART_IMSC) & INT_TX), "IMSC 0x%x", uart_read(UART_IMSC));
	uart_write(UART_ICR, INT_TX);
	unsigned int ris = uart_read(UART_RIS);
	set_im(INT_TX);
	wait_for(&tx_irqs, 1, wait);
	unsigned int quiet = tx_irqs;
	/* This line's first byte sets TX again: the handler runs while it
	 * prints, and masks TX. */
	check("tx_quiet_after_icr", quiet == 1 && !(ris & INT_TX), "%u TX interrupts, RIS 0x%x after ICR", quiet,
	      ris);
	check("tx_irq_after_write", tx_irqs == 2, "%u TX interrupts", tx_irqs);
	check("tx_no_other_irqs", !other_irqs && !empty_irqs, "%u other, %u without a cause", other_irqs,
	      empty_irqs);
}

/* pl011_startup and pl011_enable_interrupts: clear RX/RT, drain what
 * came before, FIFOs on at half (RX and RT are unmasked after the
 * banner). */
static void receive_setup(void)
{
	uart_write(UART_ICR, INT_ALL);
	for (unsigned int i = 0; i < 2 * FIFO_DEPTH && !(uart_read(UART_FR) & FR_RXFE); i++)
		(void)uart_read(UART_DR);
	uart_write(UART_IFLS, IFLS_HALF);
	uart_write(UART_LCR_H, LCR_H_8N1_FIFO);
}

void guest_main(void)
{
	unsigned int wakeups = 0;

	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "no GIC redistributor"))
		return;
	gic_set_priority(GIC_INTID_VTIMER, TIMER_PRIORITY);
	gic_set_edge(GIC_INTID_VTIMER, false);
	gic_enable(GIC_INTID_VTIMER);
	gic_set_priority(UART_INTID, UART_PRIORITY);
	gic_set_edge(UART_INTID, false);
	gic_route_spi(UART_INTID, 0);
	gic_enable(UART_INTID);
	irq_set_handler(irq);
	irq_enable();

	transmit_interrupts();

	receive_setup();
	printf("uartirq guest ready: lines come back in capitals; \"off\" powers off\n");
	/* Asleep until the UART interrupts; no timer, no looking. Input
	 * typed before this waits in the FIFO and interrupts at once. */
	timer_irqs = 0;
	set_im(INT_RX | INT_RT);
	irq_disable();
	while (!off) {
		wfi();
		wakeups++;
		irq_enable();
		irq_disable();
	}
	irq_enable();
	set_im(0);

	printf("uartirq: %u interrupts for %u bytes in %u lines (%u with RX, %u with RT), %u wake-ups\n", rx_irqs,
	       rx_bytes, lines, rx_causes, rt_causes, wakeups);
	check("rx_every_irq_had_input", !empty_irqs, "%u interrupts without input", empty_irqs);
	check("rx_line_low_after_irq", !still_high, "MIS still set after %u interrupts", still_high);
	/* Each line is typed after the answer to the one before: at least
	 * one interrupt each, and never more than the bytes they brought. */
	check("rx_irqs_per_line_and_byte", rx_irqs >= lines && rx_irqs <= rx_bytes, "%u interrupts, %u lines, %u bytes",
	      rx_irqs, lines, rx_bytes);
	check("rx_level_one_byte_each", single_irqs >= 2 && single_irqs == single_bytes,
	      "%u interrupts for %u bytes of the one-byte line", single_irqs, single_bytes);
	check("rx_woken_only_by_irqs", wakeups >= 1 && wakeups <= rx_irqs && !timer_irqs && !other_irqs,
	      "%u wake-ups, %u UART, %u timer, %u other interrupts", wakeups, rx_irqs, timer_irqs, other_irqs);
}
