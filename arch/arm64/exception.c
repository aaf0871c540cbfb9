// SPDX-License-Identifier: BSD-2-Clause
// EL2 exception dispatch: interrupts to the GIC driver, expected faults of
// the self-tests to their fixup, everything else at EL2 is a kernel bug.
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <arch/trap_frame.h>

#include "arch/panic.h"
#include "arm64_private.h"
#include "cpu.h"
#include "ksyms.h"
#include "panic.h"
#include "printk.h"

void exception_dispatch(struct trap_frame *frame, unsigned kind);

static const char *const ec_names[64] = {
	[0x00] = "unknown reason",
	[0x01] = "WFI/WFE",
	[0x07] = "FP/SIMD access",
	[0x0e] = "illegal execution state",
	[0x16] = "HVC",
	[0x17] = "SMC",
	[0x18] = "system register access",
	[0x20] = "instruction abort from a lower EL",
	[0x21] = "instruction abort",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from a lower EL",
	[0x25] = "data abort",
	[0x26] = "SP alignment fault",
	[0x2f] = "SError",
	[0x3c] = "BRK instruction",
};

static const char *const kind_names[16] = {
	"sync (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)", "SError (SP_EL0)",
	"sync", "IRQ", "FIQ", "SError",
	"sync from lower EL", "IRQ from lower EL", "FIQ from lower EL", "SError from lower EL",
	"sync from AArch32", "IRQ from AArch32", "FIQ from AArch32", "SError from AArch32",
};

static const char *ec_name(uint64_t esr)
{
	const char *n = ec_names[(esr >> ESR_EC_SHIFT) & 0x3f];
	return n ? n : "unexpected exception class";
}

void arch_dump_frame(const struct trap_frame *f)
{
	unsigned ec = (f->esr >> ESR_EC_SHIFT) & 0x3f;
	uintptr_t off = 0;
	const char *sym = ksyms_lookup(f->elr, &off);

	printk_unlocked("exception class 0x%02x (%s)\n", ec, ec_name(f->esr));
	printk_unlocked("ESR_EL2 %016lx  FAR_EL2 %016lx\n", (unsigned long)f->esr, (unsigned long)f->far);
	printk_unlocked("ELR_EL2 %016lx  %s+0x%lx\n", (unsigned long)f->elr, sym ? sym : "?",
			(unsigned long)off);
	printk_unlocked("SPSR_EL2 %016lx  SP %016lx\n", (unsigned long)f->spsr, (unsigned long)f->sp);
	/* A leaf function keeps its caller only in x30, not in a frame record. */
	sym = ksyms_lookup(f->x[30], &off);
	printk_unlocked("LR      %016lx  %s+0x%lx\n", (unsigned long)f->x[30], sym ? sym : "?",
			(unsigned long)off);
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk_unlocked("x30 %016lx\n", (unsigned long)f->x[30]);
		else
			printk_unlocked("x%-2d %016lx  x%-2d %016lx\n", i, (unsigned long)f->x[i], i + 1,
					(unsigned long)f->x[i + 1]);
	}
}

void exception_dispatch(struct trap_frame *frame, unsigned kind)
{
	struct cpu *cpu = cpu_self();
	unsigned ec = (frame->esr >> ESR_EC_SHIFT) & 0x3f;

	switch (kind) {
	case TRAP_IRQ:
		gic_handle_irq();
		return;
	case TRAP_SYNC:
		if (cpu->fault_fixup && (ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR)) {
			cpu->fault_esr = frame->esr;
			cpu->fault_far = frame->far;
			frame->elr = cpu->fault_fixup;
			cpu->fault_fixup = 0;
			return;
		}
		panic_with_frame(frame, "%s at EL2", ec_name(frame->esr));
	default:
		panic_with_frame(frame, "unexpected %s exception", kind_names[kind & 15]);
	}
}

/* Frame records live on the CPU stacks; anything else ends the walk. */
extern char cpu_stacks[];

static bool on_a_stack(uintptr_t fp)
{
	uintptr_t lo = (uintptr_t)cpu_stacks;
	uintptr_t hi = lo + (uintptr_t)CPU_STACK_SIZE * CPU_MAX;
	return fp >= lo && fp + 16 <= hi && (fp & 7) == 0;
}

void arch_backtrace_start(const struct trap_frame *frame, uintptr_t *fp, uintptr_t *pc)
{
	if (frame) {
		*fp = frame->x[29];
		*pc = frame->elr;
	} else {
		*fp = (uintptr_t)__builtin_frame_address(0);
		*pc = (uintptr_t)__builtin_return_address(0);
	}
}

int arch_backtrace_next(uintptr_t *fp, uintptr_t *pc)
{
	if (!on_a_stack(*fp))
		return 0;
	const uintptr_t *record = (const uintptr_t *)*fp;
	uintptr_t next_fp = record[0], lr = record[1];
	if (!lr || next_fp <= *fp)
		return 0; /* stacks grow down: an older frame is always higher */
	*fp = next_fp;
	*pc = lr - 4; /* the call, not the return address */
	return 1;
}

void arch_halt(void)
{
	arch_irq_disable();
	for (;;)
		__asm__ volatile("wfi");
}

#include <arch/asm_offsets.h>
#include <stddef.h>
_Static_assert(offsetof(struct cpu, fault_fixup) == CPU_FAULT_FIXUP, "asm_offsets.h is stale");
_Static_assert(offsetof(struct cpu, user_context) == CPU_USER_CONTEXT, "asm_offsets.h is stale");
