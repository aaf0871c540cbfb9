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

/* uart_irq.c: the UART model's line as the VM's SPI (a level). */
struct uart_irq_stats {
	unsigned long in_band;     /* line changes sent with an exit's reply */
	unsigned long out_of_band; /* line changes sent through the service */
};
extern struct uart_irq_stats uart_irq_stats;

struct pl011 *uart_irq_init(cv_slot_t handle, struct vmmctl_console *page);
/* Around the handling of each exit; exit_end says whether the reply
 * carries the line's new level (CV_REPLY_IRQ, with *mr5 set). */
void uart_irq_exit_begin(void);
bool uart_irq_exit_end(uint64_t *mr5);
/* The exit endpoint's receive timed out: a look at the ring. */
void uart_irq_idle(void);
/* The guest has a UART interrupt unmasked: worth looking often. */
bool uart_irq_enabled(void);

#endif
