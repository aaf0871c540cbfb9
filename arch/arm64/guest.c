// SPDX-License-Identifier: BSD-2-Clause
// Guests at EL1 (docs/virtualization.md): the world switch between tasks
// (EL0 under HCR_EL2.TGE) and vCPUs (EL1 under stage 2 with TGE clear),
// and the exceptions a guest takes to EL2. Interrupt virtualization is in
// vgic.c, PSCI and hypercalls in guest_hvc.c, system registers in
// guest_sysreg.c.
#include <string.h>
#include <uapi/hypercall.h>
#include <uapi/vm.h>

#include <arch/sysreg.h>

#include "arch/guest.h"
#include "arch/smp.h"
#include "arm64_private.h"
#include "cpu.h"
#include "guest_private.h"
#include "panic.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"
#include "vm.h"

/* HCR_EL2 while a guest runs: stage 2 on; interrupts, SError and the
 * CPU's IMPLEMENTATION DEFINED, auxiliary-control, ID-group-3 and SMC
 * instructions trap; WFI/WFE trap so a waiting vCPU frees its CPU;
 * broadcast maintenance forced to the inner-shareable domain; pointer
 * authentication (API/APK clear) and LORegions trap (both hidden). */
#define HCR_GUEST (HCR_RW | BIT(0) /* VM */ | BIT(1) /* SWIO */ | HCR_FMO | HCR_IMO | HCR_AMO | \
		   BIT(9) /* FB */ | (1ul << 10) /* BSU = IS */ | BIT(13) /* TWI */ |             \
		   BIT(14) /* TWE */ | BIT(18) /* TID3 */ | BIT(19) /* TSC */ |                   \
		   BIT(20) /* TIDCP */ | BIT(21) /* TACR */ | BIT(35) /* TLOR */)
/* MDCR_EL2 while a guest runs: debug, OS-lock, debug-ROM and PMU registers
 * trap (emulated as absent, guest_sysreg.c). HPMN is kept. */
#define MDCR_GUEST_TRAPS (BIT(5) /* TPMCR */ | BIT(6) /* TPM */ | BIT(9) /* TDA */ | \
			  BIT(10) /* TDOSA */ | BIT(11) /* TDRA */)
/* CNTHCTL_EL2 (E2H = 0): the guest reads the physical counter; its
 * accesses to the EL1 physical timer trap (the monitor decides). */
#define CNTHCTL_GUEST BIT(0)
/* Tasks read the physical counter too (cv/counter.h): the virtual one
 * carries the CNTVOFF of the guest last loaded here. EL1PCTEN (bit 0) is
 * what the architecture asks for; QEMU up to at least 7.2 checks EL1PCEN
 * (bit 1) for EL0 counter reads when E2H is 0, so both. EL1PCEN opens the
 * physical timer's registers to nothing: CNTKCTL_EL1.EL0PTEN stays 0. */
#define CNTHCTL_TASKS (BIT(0) | BIT(1))

#define SPSR_EL1H_MASKED 0x3c5ul
#define SCTLR_EL1_RESET 0x30d00800ul

/*
 * Lazy EL1 state (docs/virtualization.md, "World switch"). loaded[c] is the
 * vCPU whose EL1, virtual-timer and virtual-CPU-interface state CPU c
 * holds. guest_mode[c] says how: true, all of it and the guest's HCR_EL2
 * and friends; false, the task values in the EL1_TASK_REGS (then the
 * loaded vCPU's values of those are in its memory) and the rest still the
 * guest's. So the monitor a vCPU exits to, running on its CPU, costs
 * four registers each way, and the guest's other state goes back to memory
 * only when another vCPU comes.
 */
static struct thread *loaded[CPU_MAX_COUNT];
static bool guest_mode[CPU_MAX_COUNT];
static uint64_t mdcr_host;

/* The EL1 registers a task uses too: SCTLR_EL1, CPACR_EL1 and CNTKCTL_EL1
 * still control EL0 under TGE, and EL0 can read TPIDRRO_EL0 (a task sees 0,
 * never a guest's value). */
#define EL1_TASK_REGS(X) \
	X(EL1_SCTLR, sctlr_el1) X(EL1_CPACR, cpacr_el1) X(EL1_CNTKCTL, cntkctl_el1) X(EL1_TPIDRRO, tpidrro_el0)
/* Only a guest's: they stay in the CPU while tasks run there. */
#define EL1_GUEST_REGS(X)                                                                          \
	X(EL1_TTBR0, ttbr0_el1) X(EL1_TTBR1, ttbr1_el1) X(EL1_TCR, tcr_el1) X(EL1_MAIR, mair_el1)   \
	X(EL1_AMAIR, amair_el1) X(EL1_VBAR, vbar_el1) X(EL1_CONTEXTIDR, contextidr_el1)             \
	X(EL1_TPIDR, tpidr_el1) X(EL1_SP, sp_el1) X(EL1_ELR, elr_el1) X(EL1_SPSR, spsr_el1)         \
	X(EL1_ESR, esr_el1) X(EL1_FAR, far_el1) X(EL1_AFSR0, afsr0_el1) X(EL1_AFSR1, afsr1_el1)     \
	X(EL1_PAR, par_el1) X(EL1_CSSELR, csselr_el1)

#define SAVE(idx, reg) v->el1[idx] = sysreg_read(reg);
#define LOAD(idx, reg) sysreg_write(reg, v->el1[idx]);

static void el1_task_regs_save(struct arch_vcpu *v)
{
	EL1_TASK_REGS(SAVE)
}

static void el1_task_regs_load(const struct arch_vcpu *v)
{
	EL1_TASK_REGS(LOAD)
}

static void el1_guest_regs_save(struct arch_vcpu *v)
{
	EL1_GUEST_REGS(SAVE)
}

static void el1_guest_regs_load(const struct arch_vcpu *v)
{
	EL1_GUEST_REGS(LOAD)
	sysreg_write(vmpidr_el2, v->vmpidr);
}

#undef SAVE
#undef LOAD

void arch_vm_init(struct arch_vm *vm)
{
	/* The guest's virtual counter starts near zero, the same for all its
	 * vCPUs. */
	vm->cntvoff = arch_counter_read();
	vgic_vm_init(vm);
}

void arch_vcpu_init(struct thread *th, unsigned index)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	memset(v, 0, sizeof(*v));
	v->vmpidr = BIT(31) | index; /* Aff0 = index, uniprocessor bit clear */
	vgic_vcpu_init(th);
}

void arch_vcpu_reset(struct thread *th, uint64_t pc, uint64_t x0)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	struct arch_context *c = &th->ctx;

	memset(c->x, 0, sizeof(c->x));
	c->x[0] = x0;
	c->pc = pc;
	c->sp = 0;
	c->tpidr = 0;
	c->pstate = SPSR_EL1H_MASKED;
	memset(v->el1, 0, sizeof(v->el1));
	v->el1[EL1_SCTLR] = SCTLR_EL1_RESET;
	v->mdscr = 0;
	v->inject = GUEST_INJECT_NONE;
	if (loaded[th->cpu] == th && th->cpu == cpu_self()->index && th != cpu_self()->current) {
		el1_guest_regs_load(v);
		if (guest_mode[th->cpu])
			el1_task_regs_load(v); /* otherwise they wait in memory */
	} else if (loaded[th->cpu] == th)
		loaded[th->cpu] = NULL; /* reloaded from memory at its next entry */
}

void arch_vcpu_reset_all(struct thread *th)
{
	struct arch_context *c = &th->ctx;

	/* Forgotten first, so arch_vcpu_reset loads nothing into a CPU: the
	 * next entry loads everything from memory. */
	arch_vcpu_forget(th);
	arch_vcpu_init(th, th->vcpu->index);
	memset(c->v, 0, sizeof(c->v));
	c->fpcr = 0;
	c->fpsr = 0;
	arch_vcpu_reset(th, 0, 0);
}

void arch_vm_reset(struct arch_vm *vm)
{
	vm->cntvoff = arch_counter_read();
	vgic_vm_reset(vm);
}

/* The EL2 controls of guest mode; the loaded vCPU's EL1_TASK_REGS are in
 * the CPU already. */
static void guest_mode_enter(void)
{
	sysreg_write(hcr_el2, HCR_GUEST);
	sysreg_write(mdcr_el2, mdcr_host | MDCR_GUEST_TRAPS);
	sysreg_write(cnthctl_el2, CNTHCTL_GUEST);
	isb();
}

static void task_mode_enter(void)
{
	sysreg_write(hcr_el2, HCR_TASKS);
	sysreg_write(mdcr_el2, mdcr_host);
	sysreg_write(cnthctl_el2, CNTHCTL_TASKS);
	sysreg_write(sctlr_el1, SCTLR_EL1_TASKS);
	sysreg_write(cpacr_el1, CPACR_EL1_FPEN);
	sysreg_write(cntkctl_el1, CNTKCTL_EL0_COUNTERS);
	sysreg_write(tpidrro_el0, 0);
	isb();
}

void guest_init_cpu(void)
{
	if (cpu_self()->index == 0) {
		mdcr_host = sysreg_read(mdcr_el2) & 0x1f; /* HPMN: the counters the host may use */
	}
	sysreg_write(cnthctl_el2, CNTHCTL_TASKS); /* not the firmware's */
	/* What a guest reads as MIDR_EL1: the same for every guest here. */
	sysreg_write(vpidr_el2, sysreg_read(midr_el1));
	sysreg_write(tpidrro_el0, 0);
}

/* The CPU's EL1, timer and interrupt-interface state goes back into the
 * vCPU (it stops being this CPU's guest); the EL1_TASK_REGS too unless a
 * task runs (then they are in memory already). */
static void vcpu_put(struct thread *th, bool task_regs)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	if (task_regs)
		el1_task_regs_save(v);
	el1_guest_regs_save(v);
	vgic_put(th);
	vtimer_put(th);
	loaded[th->cpu] = NULL;
}

static void vcpu_load(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	el1_task_regs_load(v);
	el1_guest_regs_load(v);
	sysreg_write(cntvoff_el2, th->task->vm->arch.cntvoff);
	vtimer_load(th);
	vgic_load(th);
	loaded[th->cpu] = th;
}

void arch_guest_switch(struct thread *prev, struct thread *next)
{
	unsigned c = cpu_self()->index;
	struct thread *held = loaded[c];
	(void)prev;

	if (next && next->vcpu) {
		if (held != next) {
			if (held)
				vcpu_put(held, guest_mode[c]);
			vcpu_load(next);
		} else if (!guest_mode[c]) {
			el1_task_regs_load(&next->vcpu->arch);
		}
		if (!guest_mode[c]) {
			guest_mode_enter();
			guest_mode[c] = true;
		}
		return;
	}
	if (!next)
		return; /* idle: a waiting guest's timer stays live here */
	/* A task runs: the loaded vCPU keeps the rest of its state here. */
	if (guest_mode[c]) {
		if (held)
			el1_task_regs_save(&held->vcpu->arch);
		task_mode_enter();
		guest_mode[c] = false;
	}
}

bool guest_task_regs_live(const struct thread *th)
{
	return guest_is_loaded(th) && guest_mode[th->cpu];
}

bool guest_is_loaded(const struct thread *th)
{
	return loaded[th->cpu] == th && th->cpu == cpu_self()->index;
}

void arch_vcpu_forget(struct thread *th)
{
	if (loaded[th->cpu] == th) {
		/* Its state stays in that CPU's registers until something else
		 * loads; a timer interrupt meanwhile finds nobody (vgic.c). */
		loaded[th->cpu] = NULL;
	}
}

/* ---- exceptions injected into the guest ---- */

static void inject_exception(struct thread *th, uint64_t esr, uint64_t far)
{
	struct arch_context *c = &th->ctx;
	uint64_t mode = c->pstate & 0xf;
	uint64_t offset = mode == 0x5 ? 0x200 : mode == 0x4 ? 0x000 : 0x400;

	sysreg_write(elr_el1, c->pc);
	sysreg_write(spsr_el1, c->pstate);
	sysreg_write(esr_el1, esr);
	sysreg_write(far_el1, far);
	c->pc = sysreg_read(vbar_el1) + offset;
	c->pstate = SPSR_EL1H_MASKED;
}

void guest_inject_undef(struct thread *th)
{
	/* EC 0 (unknown), IL: a 32-bit instruction. */
	inject_exception(th, BIT(25), 0);
}

void arch_vcpu_enter(struct thread *th)
{
	struct arch_vcpu *v = &th->vcpu->arch;

	vcpu_count(&th->vcpu->stats.entries);
	switch (v->inject) {
	case GUEST_INJECT_UNDEF:
		guest_inject_undef(th);
		break;
	case GUEST_INJECT_ABORT: {
		/* A synchronous external abort on the access, taken at EL1. */
		bool from_el0 = (th->ctx.pstate & 0xf) == 0;
		bool fetch = v->exit_kind == CV_EXIT_IABT;
		uint64_t ec = fetch ? (from_el0 ? ESR_EC_IABT_LOWER : ESR_EC_IABT_CUR)
				    : (from_el0 ? ESR_EC_DABT_LOWER : ESR_EC_DABT_CUR);
		uint64_t wnr = fetch ? 0 : (v->exit_esr & ESR_WNR);
		inject_exception(th, (ec << ESR_EC_SHIFT) | BIT(25) | wnr | 0x10, v->inject_far);
		break;
	}
	default:
		break;
	}
	v->inject = GUEST_INJECT_NONE;
	vgic_flush(th); /* a tail call */
}

/* ---- exceptions from the guest ---- */

/* A data abort outside RAM: the interrupt controller's registers here,
 * everything else to the monitor. */
static bool data_abort(struct thread *th, uint64_t esr, struct vcpu_exit *e)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	uint64_t far = sysreg_read(far_el2);
	uint64_t ipa = ((sysreg_read(hpfar_el2) >> 4) << 12) | (far & 0xfff);
	bool isv = esr & BIT(24);
	bool write = esr & ESR_WNR;
	unsigned size = (esr >> 22) & 3, reg = (esr >> 16) & 0x1f;

	v->inject_far = far;
	/* A stage-1 walk that hit unmapped memory has no instruction to
	 * emulate: like a load without syndrome. */
	if (esr & BIT(7))
		isv = false;
	if (isv && vgic_owns(ipa)) {
		uint64_t value = write && reg != 31 ? th->ctx.x[reg] : 0;
		if (!vgic_mmio(th, ipa, size, write, &value)) {
			guest_inject_undef(th);
			return false;
		}
		if (!write)
			guest_complete_load(th, esr, value);
		th->ctx.pc += 4;
		vcpu_count(&th->vcpu->stats.gic_mmio);
		return false;
	}
	e->mr[0] = CV_EXIT_MMIO | (esr << CV_EXIT_SYNDROME_SHIFT);
	e->mr[2] = ipa;
	if (!isv) {
		e->mr[3] = CV_MMIO_NO_SYNDROME | (write ? CV_MMIO_WRITE : 0);
		return true;
	}
	e->mr[3] = size | (write ? CV_MMIO_WRITE : 0) | ((esr & BIT(21)) ? CV_MMIO_SIGN_EXTEND : 0) |
		   ((esr & BIT(15)) ? CV_MMIO_64BIT_REG : 0) | ((uint64_t)reg << CV_MMIO_REG_SHIFT);
	if (write) {
		uint64_t value = reg == 31 ? 0 : th->ctx.x[reg];
		e->mr[4] = size == 3 ? value : value & ((1ull << (8u << size)) - 1);
	}
	return true;
}

void guest_complete_load(struct thread *th, uint64_t esr, uint64_t value)
{
	unsigned size = (esr >> 22) & 3, reg = (esr >> 16) & 0x1f;
	unsigned bits = 8u << size;

	if (bits < 64) {
		value &= (1ull << bits) - 1;
		if ((esr & BIT(21)) && (value & (1ull << (bits - 1))))
			value |= ~((1ull << bits) - 1);
	}
	if (!(esr & BIT(15)))
		value &= 0xffffffffull;
	if (reg != 31)
		th->ctx.x[reg] = value;
}

bool arch_vcpu_trap(struct thread *th, uint64_t esr, struct vcpu_exit *e)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	unsigned ec = (esr >> ESR_EC_SHIFT) & 0x3f;

	/* Six stores, not a call to the kernel's byte-wise memset: every
	 * exit passes here. */
	*e = (struct vcpu_exit){.mr = {0, th->ctx.pc}};
	v->exit_esr = esr;
	switch (ec) {
	case 0x01: /* WFI or WFE */
		/* The monitor asked to handle them: its reply completes them. */
		if (th->vcpu->exit_flags & CV_VCPU_EXIT_WFI) {
			e->mr[0] = CV_EXIT_WFI | (esr << CV_EXIT_SYNDROME_SHIFT);
			v->exit_kind = CV_EXIT_WFI;
			return true;
		}
		th->ctx.pc += 4;
		if (esr & 1) {
			vcpu_count(&th->vcpu->stats.wfe);
			sched_yield(); /* WFE: someone else may hold the lock it spins on */
		} else {
			vcpu_count(&th->vcpu->stats.wfi);
			if (!arch_vcpu_irq_pending(th))
				vcpu_wait_for_irq(th);
		}
		return false;
	case ESR_EC_HVC64:
		v->exit_past = true;
		return guest_hypercall(th, esr, false, e);
	case ESR_EC_SMC64: {
		/* A trapped SMC returns to itself, an HVC past itself: handled
		 * here it is done; as an exit it waits for the reply. */
		th->ctx.pc += 4;
		bool exit = guest_hypercall(th, esr, true, e);
		if (exit)
			th->ctx.pc -= 4;
		v->exit_past = !exit;
		return exit;
	}
	case ESR_EC_SYSREG:
		return guest_sysreg(th, esr, e);
	case ESR_EC_DABT_LOWER:
		v->exit_kind = CV_EXIT_MMIO;
		return data_abort(th, esr, e);
	case ESR_EC_IABT_LOWER:
		v->exit_kind = CV_EXIT_IABT;
		v->inject_far = sysreg_read(far_el2);
		e->mr[0] = CV_EXIT_IABT | (esr << CV_EXIT_SYNDROME_SHIFT);
		e->mr[2] = ((sysreg_read(hpfar_el2) >> 4) << 12) | (v->inject_far & 0xfff);
		return true;
	case 0x00: /* an instruction EL2 trapped without saying why */
	case 0x07: /* FP/SIMD with CPTR_EL2.TFP clear (lazy switching's trap is el0.c's): never */
	case 0x09: /* pointer authentication: hidden */
	case 0x19: /* SVE: hidden */
	case 0x1d: /* SME: hidden */
	case 0x0e: /* illegal execution state */
		guest_inject_undef(th);
		return false;
	default:
		v->exit_kind = CV_EXIT_FATAL;
		e->mr[0] = CV_EXIT_FATAL | (esr << CV_EXIT_SYNDROME_SHIFT);
		e->mr[2] = sysreg_read(far_el2);
		return true;
	}
}

int arch_vcpu_complete(struct thread *th, uint64_t flags, const uint64_t *values)
{
	struct arch_vcpu *v = &th->vcpu->arch;
	uint64_t known = CV_REPLY_DONE | CV_REPLY_LOAD | CV_REPLY_INJECT_UNDEF | CV_REPLY_INJECT_ABORT |
			 CV_REPLY_STOP;
	bool mmio = v->exit_kind == CV_EXIT_MMIO;
	bool mmio_syndrome = mmio && (v->exit_esr & BIT(24)) && !(v->exit_esr & BIT(7));
	bool call = v->exit_kind == CV_EXIT_HVC || v->exit_kind == CV_EXIT_SMC || v->exit_kind == CV_EXIT_PSCI;

	if (flags & ~known)
		return CV_E_BAD_ARG;
	if ((flags & CV_REPLY_INJECT_UNDEF) && (flags & CV_REPLY_INJECT_ABORT))
		return CV_E_BAD_ARG;
	if ((flags & CV_REPLY_INJECT_ABORT) && !mmio && v->exit_kind != CV_EXIT_IABT)
		return CV_E_BAD_ARG;
	if ((flags & CV_REPLY_LOAD) && !call && v->exit_kind != CV_EXIT_SYSREG &&
	    !(mmio_syndrome && !(v->exit_esr & ESR_WNR)))
		return CV_E_BAD_ARG;
	if ((flags & CV_REPLY_DONE) && mmio && !mmio_syndrome)
		return CV_E_BAD_ARG; /* nothing says how long the instruction was */
	if (flags & (CV_REPLY_INJECT_UNDEF | CV_REPLY_INJECT_ABORT)) {
		v->inject = (flags & CV_REPLY_INJECT_UNDEF) ? GUEST_INJECT_UNDEF : GUEST_INJECT_ABORT;
		return CV_OK;
	}
	if (flags & CV_REPLY_LOAD) {
		if (call) {
			for (unsigned i = 0; i < 4; i++)
				th->ctx.x[i] = values[i];
		} else if (mmio) {
			guest_complete_load(th, v->exit_esr, values[0]);
		} else {
			unsigned rt = (v->exit_esr >> 5) & 0x1f;
			if (rt != 31)
				th->ctx.x[rt] = values[0];
		}
	}
	/* An HVC's exit already points past the instruction. */
	if ((flags & CV_REPLY_DONE) && !(call && v->exit_past))
		th->ctx.pc += 4;
	return CV_OK;
}

/* ---- outside the kernel lock ---- */

bool guest_null_hypercall(struct arch_context *ctx, struct cpu *cpu)
{
	struct thread *t = cpu->current;

	if (!t || !t->vcpu || cpu->need_resched || (uint32_t)ctx->x[0] != CV_HVC_NULL ||
	    ((sysreg_read(esr_el2) >> ESR_EC_SHIFT) & 0x3f) != ESR_EC_HVC64)
		return false;
	/* Only this CPU changes its current thread; the rest is registers.
	 * Counted first: t is not needed after the call. */
	vcpu_count(&t->vcpu->stats.hvc_null);
	guest_null_results(ctx->x);
	return true;
}

void guest_exit(struct thread *th)
{
	if (guest_is_loaded(th))
		vgic_sync(th);
}

struct thread *guest_loaded_here(void)
{
	return loaded[cpu_self()->index];
}
