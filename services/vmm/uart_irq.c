// SPDX-License-Identifier: BSD-2-Clause
// The emulated UART's interrupt output as the VM's SPI 33, a level, as the
// PL011's line is (docs/vmm.md, "The UART's interrupt"). The model
// (pl011.c) reports its line's changes; each reaches the VM's interrupt
// controller
//
// - during an exit (a DR write, IMSC, ICR, the FIFO read, input found at
//   the exit): in the exit's reply (CV_REPLY_IRQ with the level), in
//   band, applied before the guest runs on;
// - while no exit is being served (input noticed at an idle look): through
//   the vmmctl service (vmctl_vm_irq), out of band.
//
// The kernel's vGIC delivers a raised line once and, when the guest ends
// the interrupt, looks at the line again: a cause left standing is taken
// again, a cleared one (lowered in the reply to the access that cleared
// it) is not.
#include "vmctl.h"
#include "vmm.h"

static struct pl011 uart;
static cv_slot_t handle;
static bool in_exit, change_in_reply, level_in_reply;
struct uart_irq_stats uart_irq_stats;

static void line(void *ctx, bool high)
{
	(void)ctx;
	if (in_exit) {
		/* The last change of the exit wins: risen and fallen again
		 * (the guest polled it away) is a lowered line, which it
		 * already was. */
		change_in_reply = true;
		level_in_reply = high;
		return;
	}
	/* It fails only for a VM that is going, which ends the VMM
	 * elsewhere. */
	(void)vmctl_vm_irq(handle, PL011_INTID, high ? 1 : 0);
	uart_irq_stats.out_of_band++;
}

struct pl011 *uart_irq_init(cv_slot_t vm_handle, struct vmmctl_console *page)
{
	handle = vm_handle;
	pl011_init(&uart, page, line, NULL);
	return &uart;
}

void uart_irq_exit_begin(void)
{
	in_exit = true;
	change_in_reply = false;
	/* Input typed while the guest runs is noticed at its next exit. */
	pl011_look(&uart);
}

bool uart_irq_exit_end(uint64_t *mr5)
{
	in_exit = false;
	if (!change_in_reply)
		return false;
	uart_irq_stats.in_band++;
	*mr5 = PL011_INTID | (level_in_reply ? CV_REPLY_IRQ_HIGH : CV_REPLY_IRQ_LOW);
	return true;
}

void uart_irq_idle(void)
{
	pl011_look(&uart);
}

bool uart_irq_enabled(void)
{
	return uart.imsc != 0;
}
