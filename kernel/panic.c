// SPDX-License-Identifier: BSD-2-Clause
#include "panic.h"

#include <stdarg.h>

#include "arch/panic.h"
#include "cpu.h"
#include "format.h"
#include "ksyms.h"
#include "printk.h"

#define BACKTRACE_MAX_DEPTH 32

static void print_symbol(uintptr_t pc)
{
	uintptr_t off = 0;
	const char *name = ksyms_lookup(pc, &off);

	if (name)
		printk_unlocked("  [<%016lx>] %s+0x%lx\n", (unsigned long)pc, name, (unsigned long)off);
	else
		printk_unlocked("  [<%016lx>] ?\n", (unsigned long)pc);
}

static void backtrace(const struct trap_frame *frame)
{
	uintptr_t fp, pc;

	arch_backtrace_start(frame, &fp, &pc);
	printk_unlocked("backtrace:\n");
	print_symbol(pc);
	for (int depth = 0; depth < BACKTRACE_MAX_DEPTH && arch_backtrace_next(&fp, &pc); depth++)
		print_symbol(pc);
}

static __noreturn void panic_common(const struct trap_frame *frame, const char *fmt, va_list ap)
{
	char msg[256];
	struct cpu *cpu = cpu_self();

	arch_irq_disable();
	format_vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cpu && cpu->in_panic) {
		printk_unlocked("\npanic while panicking: %s\n", msg);
		arch_halt();
	}
	if (cpu)
		cpu->in_panic = true;
	arch_stop_other_cpus();
	printk_unlocked("\n*** capvisor panic on cpu %u: %s\n", cpu ? cpu->index : 0, msg);
	if (frame)
		arch_dump_frame(frame);
	backtrace(frame);
	printk_unlocked("*** system halted\n");
	arch_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(NULL, fmt, ap);
}

void panic_with_frame(const struct trap_frame *frame, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(frame, fmt, ap);
}
