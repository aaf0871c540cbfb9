// SPDX-License-Identifier: BSD-2-Clause
// A small printf for guests: %d %i %u %x %s %c %p %%, the l, ll and z
// length modifiers, a field width and the 0 flag. Output goes straight to
// the UART, so there is no buffer to overflow and nothing to flush.
#include "guest.h"

static void put_unsigned(uint64_t v, unsigned int base, int width, char pad)
{
	char digits[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	for (; width > n; width--)
		uart_putc(pad);
	while (n)
		uart_putc(digits[--n]);
}

static void put_signed(int64_t v, int width, char pad)
{
	if (v < 0) {
		uart_putc('-');
		// Negating in unsigned arithmetic is defined for INT64_MIN too.
		put_unsigned(-(uint64_t)v, 10, width > 0 ? width - 1 : 0, pad);
	} else {
		put_unsigned((uint64_t)v, 10, width, pad);
	}
}

void vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		int width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int longs = 0;
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			put_signed(longs ? va_arg(ap, int64_t) : va_arg(ap, int), width, pad);
			break;
		case 'u':
			put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int), 10,
				     width, pad);
			break;
		case 'x':
			put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int), 16,
				     width, pad);
			break;
		case 'p':
			uart_puts("0x");
			put_unsigned((uint64_t)(uintptr_t)va_arg(ap, void *), 16, width, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			uart_puts(s ? s : "(null)");
			break;
		}
		case 'c':
			uart_putc((char)va_arg(ap, int));
			break;
		case '%':
			uart_putc('%');
			break;
		case '\0':
			return;
		default:
			uart_putc('%');
			uart_putc(*fmt);
			break;
		}
	}
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
