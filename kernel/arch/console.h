/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug console the architecture provides (PL011 on arm64). */
#ifndef KERNEL_ARCH_CONSOLE_H
#define KERNEL_ARCH_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

/* Finds the console in the device tree and makes it usable through the
 * boot page tables. Returns false when there is none. */
bool arch_console_init_early(const void *dtb);
void arch_console_putc(char c);

#endif
