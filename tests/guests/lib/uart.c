// SPDX-License-Identifier: BSD-2-Clause
// The PL011 as the guest platform promises it: a data register to write
// and a flag register whose TXFF says when to wait. No set-up: the VMM's
// model (or QEMU) is ready at boot.
#include "guest.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x00
#define UART_FR 0x18
#include "mmio.h"

#define UART_FR_TXFF (1u << 5)


void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (uint32_t)(unsigned char)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
