// SPDX-License-Identifier: BSD-2-Clause
// The emulated UART's interrupt output as the VM's SPI 33 (docs/vmm.md,
// "The UART's interrupt"). The model (pl011.c) reports its line's
// changes; this file decides how each reaches the VM's interrupt
// controller with what the ABI offers a monitor that holds only a VM
// handle:
//
// - a rise during an exit: an edge in the reply (CV_REPLY_IRQ), in band;
// - a rise while no exit is being served (input noticed at an idle look):
//   an edge through the vmmctl service (vmctl_vm_irq, level 2);
// - a line still high UART_STUCK_MS after it rose (the guest ended the
//   interrupt without clearing its cause, or has not got round to it for
//   that long): the SPI's line held high through the service (level 1),
//   and lowered (level 0) in the exit that clears the cause, before that
//   exit's reply.
//
// So a guest that clears the cause in its handler costs no system call
// beyond its own exits, and one that does not still sees a level.
#include <cv/counter.h>

#include "vmctl.h"
#include "vmm.h"

static struct pl011 uart;
static cv_slot_t handle;
static bool in_exit, edge_in_reply, held;
static uint64_t last_look, rose_at;
struct uart_irq_stats uart_irq_stats;

static void spi(unsigned level)
{
	/* It fails only for a VM that is going, which ends the VMM
	 * elsewhere. */
	(void)vmctl_vm_irq(handle, PL011_INTID, level);
}

static void line(void *ctx, bool high)
{
	(void)ctx;
	if (high) {
		rose_at = cv_counter();
		if (in_exit) {
			edge_in_reply = true;
		} else {
			spi(2);
			uart_irq_stats.out_of_band++;
		}
		return;
	}
	/* Risen and fallen within one exit: the guest polled it away. */
	edge_in_reply = false;
	if (held) {
		spi(0);
		held = false;
	}
}

/* The level backstop: a look at every idle timeout, and every
 * 1/UART_LOOKS_PER_SECOND s when exits come instead. The counter may jump
 * (a task sees the CNTVOFF of the last VM on its CPU): a jump only makes
 * a hold come early, which is a level a little sooner, never wrong. */
static void look_for_a_stuck_line(void)
{
	last_look = cv_counter();
	if (pl011_line(&uart) && !held && last_look - rose_at >= cv_counter_frequency() * UART_STUCK_MS / 1000) {
		spi(1);
		held = true;
		uart_irq_stats.held++;
	}
}

struct pl011 *uart_irq_init(cv_slot_t vm_handle, struct vmmctl_console *page)
{
	handle = vm_handle;
	pl011_init(&uart, page, line, NULL);
	last_look = cv_counter();
	return &uart;
}

void uart_irq_exit_begin(void)
{
	in_exit = true;
	edge_in_reply = false;
	/* Input typed while the guest runs is noticed at its next exit. */
	pl011_look(&uart);
}

bool uart_irq_exit_end(void)
{
	in_exit = false;
	if (cv_counter() - last_look >= cv_counter_frequency() / UART_LOOKS_PER_SECOND)
		look_for_a_stuck_line();
	if (edge_in_reply)
		uart_irq_stats.in_band++;
	return edge_in_reply;
}

void uart_irq_idle(void)
{
	pl011_look(&uart);
	look_for_a_stuck_line();
}

bool uart_irq_enabled(void)
{
	return uart.imsc != 0;
}
