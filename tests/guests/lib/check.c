// SPDX-License-Identifier: BSD-2-Clause
// The output protocol (README.md): "ok NAME", "FAIL NAME: detail" or
// "skip NAME: reason" per check, then "done N failed" and power-off.
// Only one CPU at a time may print, so secondaries report through memory
// and the boot CPU checks.
#include "guest.h"
#include "psci.h"

static unsigned int failed;

bool check(const char *name, bool cond, const char *fmt, ...)
{
	if (cond) {
		printf("ok %s\n", name);
		return true;
	}
	va_list ap;
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	return false;
}

void skip(const char *name, const char *why)
{
	printf("skip %s: %s\n", name, why);
}

unsigned int failures(void)
{
	return failed;
}

void finish(void)
{
	printf("done %u failed\n", failed);
	psci_system_off();
	// SYSTEM_OFF does not return; if a VMM gets it wrong, stay quiet.
	irq_disable();
	for (;;)
		wfi();
}
