// SPDX-License-Identifier: BSD-2-Clause
#include "panic_test.h"

#include <stdint.h>

#include "cmdline.h"
#include "printk.h"

/* Kept out of line and named, so the backtrace has something to show. */
__attribute__((noinline)) void panic_test_fault_here(volatile uint64_t *where);
__attribute__((noinline)) void panic_test_fault_here(volatile uint64_t *where)
{
	*where = 0xdead; /* nothing is mapped at this address */
}

void panic_test_run(const char *cmdline)
{
	char what[32];

	if (!cmdline_get(cmdline, "panic_test", what, sizeof(what)))
		return;
	printk("panic_test: %s\n", what);
	panic_test_fault_here((volatile uint64_t *)(uintptr_t)0x10);
	printk("panic_test: the fault did not happen\n");
}
