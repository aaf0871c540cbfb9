/* SPDX-License-Identifier: BSD-2-Clause */
/* The VMM's pieces (services/vmm, docs/vmm.md). */
#ifndef VMM_SERVICE_H
#define VMM_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <cv/syscall.h>
#include <uapi/vmmctl.h>

#include "pl011.h"

/* Where QEMU's virt machine has its UART, and so the device tree a guest
 * may bring: one page, and SPI 1 (INTID 33), level-triggered. */
#define PL011_BASE 0x09000000ull
#define PL011_SIZE 0x1000ull
#define PL011_INTID 33u

/* How often the line is looked at for a cause the guest left standing
 * (the kernel's timeouts end at CPU 0's 10 ms tick anyway), and how long
 * after its rise a line still high is held as a level. */
#define UART_LOOKS_PER_SECOND 100u
#define UART_STUCK_MS 100u

/* uart_irq.c: the UART model's line as the VM's SPI. */
struct uart_irq_stats {
	unsigned long in_band;     /* edges sent with an exit's reply */
	unsigned long out_of_band; /* edges sent through the service */
	unsigned long held;        /* times the line was held high as a level */
};
extern struct uart_irq_stats uart_irq_stats;

struct pl011 *uart_irq_init(cv_slot_t handle, struct vmmctl_console *page);
/* Around the handling of each exit; exit_end says whether the reply
 * carries an edge (CV_REPLY_IRQ with PL011_INTID). */
void uart_irq_exit_begin(void);
bool uart_irq_exit_end(void);
/* The exit endpoint's receive timed out: a look at the ring. */
void uart_irq_idle(void);
/* The guest has a UART interrupt unmasked: worth looking often. */
bool uart_irq_enabled(void);

#endif
