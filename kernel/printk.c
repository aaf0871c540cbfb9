// SPDX-License-Identifier: BSD-2-Clause
#include "printk.h"

#include "arch/console.h"
#include "format.h"
#include "spinlock.h"

static struct spinlock console_lock = SPINLOCK_INIT;

static void console_write(const char *s, int len)
{
	for (int i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int len = format_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	uint64_t flags = spin_lock_irqsave(&console_lock);
	console_write(buf, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void printk_unlocked(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int len = format_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	console_write(buf, len);
}
