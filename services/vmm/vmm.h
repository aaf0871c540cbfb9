/* SPDX-License-Identifier: BSD-2-Clause */
/* The VMM's pieces (services/vmm, docs/vmm.md). */
#ifndef VMM_SERVICE_H
#define VMM_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/vmmctl.h>

#define PL011_BASE 0x09000000ull
#define PL011_SIZE 0x1000ull

/* pl011.c: the guest's console UART over the VM's console page. Offsets
 * it does not model read as zero and ignore writes, as the real one's
 * reserved registers do. */
void pl011_init(struct vmmctl_console *console);
void pl011_write(uint64_t offset, uint32_t value);
uint32_t pl011_read(uint64_t offset);

#endif
