// SPDX-License-Identifier: BSD-2-Clause
// The PL011 as the guest platform promises it: a data register to write
// and a flag register whose TXFF says when to wait. No set-up: the VMM's
// model (or QEMU) is ready at boot.
#include "guest.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

static inline volatile uint32_t *uart_reg(unsigned long off)
{
	return (volatile uint32_t *)(UART_BASE + off);
}

void uart_putc(char c)
{
	while (*uart_reg(UART_FR) & UART_FR_TXFF)
		;
	*uart_reg(UART_DR) = (uint32_t)(unsigned char)c;
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
