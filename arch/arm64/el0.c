// SPDX-License-Identifier: BSD-2-Clause
// Exceptions from user mode (EL0 under HCR_EL2.TGE, see docs/arm64.md):
// system calls, faults and interrupts, then back to whatever the scheduler
// chooses.
#include <string.h>
#include <uapi/status.h>
#include <uapi/syscall.h>

#include <arch/sysreg.h>
#include <arch/trap_frame.h>

#include "arch/context.h"
#include "arm64_private.h"
#include "cpu.h"
#include "fpu.h"
#include "ipc_fastpath.h"
#include "klock.h"
#include "kobject.h"
#include "panic.h"
#include "sched.h"
#include "syscall.h"
#include "thread.h"
#include "vcpu.h"

#define ESR_EC_SVC64 0x15
#define SPSR_EL0T 0x0

struct arch_context *el0_exception_dispatch(struct arch_context *ctx, unsigned kind);

void arch_context_init(struct arch_context *c, uint64_t pc, uint64_t sp, uint64_t arg)
{
	memset(c, 0, sizeof(*c));
	c->pc = pc;
	c->sp = sp;
	c->x[0] = arg;
	c->pstate = SPSR_EL0T; /* EL0, interrupts unmasked */
}

/* When to switch is kernel/fpu.h's business. */
void arch_fp_switch(struct thread *prev, struct thread *next)
{
	if (prev)
		fpsimd_save(&prev->ctx);
	fpsimd_load(&next->ctx);
}

void arch_fp_trap(bool on)
{
	sysreg_write(cptr_el2, on ? CPTR_EL2_TASKS | CPTR_EL2_TFP : CPTR_EL2_TASKS);
	/* Trapping user mode needs no barrier: the return to it (ERET)
	 * synchronizes. The kernel's own accesses come next, though. */
	if (!on)
		isb();
}

const char *arch_fault_name(uint64_t esr)
{
	switch ((esr >> ESR_EC_SHIFT) & 0x3f) {
	case ESR_EC_UNKNOWN: return "undefined instruction";
	case ESR_EC_IABT_LOWER: return "instruction fetch fault";
	case ESR_EC_DABT_LOWER: return "data access fault";
	case ESR_EC_PC_ALIGN: return "misaligned pc";
	case ESR_EC_SP_ALIGN: return "misaligned stack pointer";
	case ESR_EC_BRK64: return "breakpoint";
	case ESR_EC_SYSREG: return "system register access";
	case 0x07: return "trapped FP/SIMD/SVE access";
	case 0x19: return "SVE access";
	default: return "exception";
	}
}

/* Every exception from user mode that the IPC fast path does not take:
 * system calls, faults and interrupts. Kernel lock held. Out of line: the
 * null call and the fast path need none of the registers it uses. */
static __attribute__((noinline)) struct arch_context *el0_generic(struct cpu *cpu, struct arch_context *ctx,
								   unsigned kind)
{
	struct thread *t = cpu->current;
	ASSERT(t && &t->ctx == ctx);
	/* Stopped or suspended from another CPU between its trap and our
	 * taking the lock: what it asked for is not done (a suspended
	 * thread's system call is issued again when it resumes). */
	bool gone = t->state != THREAD_RUNNING || t->suspended;
	if (t->vcpu)
		guest_exit(t);
	switch (kind) {
	case TRAP_SYNC_LOWER: {
		uint64_t esr = sysreg_read(esr_el2);
		bool svc = ((esr >> ESR_EC_SHIFT) & 0x3f) == ESR_EC_SVC64;
		if (t->vcpu) {
			/* An HVC returns past itself; anything else that trapped
			 * runs again. */
			if (gone && ((esr >> ESR_EC_SHIFT) & 0x3f) == ESR_EC_HVC64) {
				ctx->pc -= 4;
			} else if (!gone && ((esr >> ESR_EC_SHIFT) & 0x3f) == ESR_EC_FP_ACCESS && cpu->fp_trap) {
				fpu_trap(cpu, t); /* lazy FP/SIMD switching, as for tasks */
			} else if (!gone) {
				/* An exit the fast path took switched already:
				 * nothing to reap or schedule (as for ipc_fastpath). */
				struct arch_context *next = vcpu_trap(t, esr);
				if (next)
					return next;
			}
		} else if (gone) {
			if (svc)
				arch_syscall_restart(ctx);
		} else if (svc) {
			syscall_dispatch(t);
		} else if (((esr >> ESR_EC_SHIFT) & 0x3f) == ESR_EC_FP_ACCESS && cpu->fp_trap) {
			fpu_trap(cpu, t); /* lazy FP/SIMD switching, not a fault */
		} else {
			thread_fault(t, esr, sysreg_read(far_el2));
		}
		break;
	}
	case TRAP_IRQ_LOWER:
	case TRAP_IRQ_LOWER32:
		if (t->vcpu)
			vcpu_count(&t->vcpu->stats.host_irqs);
		gic_handle_irq();
		break;
	default:
		/* SError, FIQ or AArch32 state from a task: the task's problem
		 * (a guest's: its monitor's). */
		if (gone)
			break;
		if (t->vcpu)
			vcpu_trap(t, (uint64_t)ESR_EC_SERROR << ESR_EC_SHIFT);
		else
			thread_fault(t, sysreg_read(esr_el2), sysreg_read(far_el2));
		break;
	}
	reaper_run();
	return sched_next_context();
}

/* The exception class of a synchronous exception (kind TRAP_SYNC_LOWER). */
static unsigned sync_class(void)
{
	return (sysreg_read(esr_el2) >> ESR_EC_SHIFT) & 0x3f;
}

struct arch_context *el0_exception_dispatch(struct arch_context *ctx, unsigned kind)
{
	struct cpu *cpu = cpu_self();
	/* Read once: the checks below all want it; not a class otherwise. */
	unsigned ec = kind == TRAP_SYNC_LOWER ? sync_class() : ~0u;

	/* The null system call touches no shared state: no lock, no
	 * scheduling decision unless one is pending. */
	if (ec == ESR_EC_SVC64 && ctx->x[8] == CV_SYS_NULL && !cpu->need_resched) {
		ctx->x[0] = CV_OK;
		return ctx;
	}
	/* Nor does the null hypercall (a guest cannot make an SVC trap here,
	 * nor a task an HVC). */
	if (ec == ESR_EC_HVC64 && guest_null_hypercall(ctx, cpu))
		return ctx;
	klock();
	cpu->holds_kernel_lock = true;
	/* CALL and REPLY_RECV's common case switches straight to the
	 * partner: nothing to reap, no other scheduling decision to make. */
	struct arch_context *next = ec == ESR_EC_SVC64 ? ipc_fastpath(cpu, cpu->current) : NULL;
	if (!next)
		next = el0_generic(cpu, ctx, kind);
	cpu->holds_kernel_lock = false;
	kunlock();
	return next;
}
