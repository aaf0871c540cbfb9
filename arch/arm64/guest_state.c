// SPDX-License-Identifier: BSD-2-Clause
// The register state an exit carries to the monitor and a reply may set
// (include/uapi/vm.h, CV_VCPU_STATE_*): general registers from the saved
// context, EL1 registers from the CPU while the vCPU is loaded on it.
#include <string.h>
#include <uapi/status.h>
#include <uapi/vm.h>

#include <arch/sysreg.h>

#include "arch/guest.h"
#include "guest_private.h"
#include "thread.h"
#include "vcpu.h"

/* PSTATE bits a monitor may change: NZCV, DAIF and the mode. Anything
 * else (PAN, SSBS, single-step...) stays as the guest had it, so a reply
 * can never give a guest a state its own code could not reach. */
#define PSTATE_NZCV (0xful << 28)
#define PSTATE_DAIF (0xful << 6)
#define PSTATE_MODE 0x1ful
#define PSTATE_EL0T 0x0ul
#define PSTATE_EL1T 0x4ul
#define PSTATE_EL1H 0x5ul

static void read_el1(struct thread *th, struct cv_vcpu_state *s)
{
	const uint64_t *el1 = th->vcpu->arch.el1;

	if (guest_is_loaded(th)) {
		/* A task using the CPU since has SCTLR_EL1; the guest's waits in
		 * memory (guest.c, lazy EL1 state). */
		s->sctlr_el1 = guest_task_regs_live(th) ? sysreg_read(sctlr_el1) : el1[EL1_SCTLR];
		s->tcr_el1 = sysreg_read(tcr_el1);
		s->ttbr0_el1 = sysreg_read(ttbr0_el1);
		s->ttbr1_el1 = sysreg_read(ttbr1_el1);
		s->mair_el1 = sysreg_read(mair_el1);
		s->vbar_el1 = sysreg_read(vbar_el1);
		s->sp_el1 = sysreg_read(sp_el1);
		s->elr_el1 = sysreg_read(elr_el1);
		s->spsr_el1 = sysreg_read(spsr_el1);
		s->esr_el1 = sysreg_read(esr_el1);
		s->far_el1 = sysreg_read(far_el1);
		return;
	}
	s->sctlr_el1 = el1[EL1_SCTLR];
	s->tcr_el1 = el1[EL1_TCR];
	s->ttbr0_el1 = el1[EL1_TTBR0];
	s->ttbr1_el1 = el1[EL1_TTBR1];
	s->mair_el1 = el1[EL1_MAIR];
	s->vbar_el1 = el1[EL1_VBAR];
	s->sp_el1 = el1[EL1_SP];
	s->elr_el1 = el1[EL1_ELR];
	s->spsr_el1 = el1[EL1_SPSR];
	s->esr_el1 = el1[EL1_ESR];
	s->far_el1 = el1[EL1_FAR];
}

void arch_vcpu_state_read(struct thread *th, unsigned mask, struct cv_vcpu_state *s)
{
	const struct arch_context *c = &th->ctx;

	s->words = CV_VCPU_STATE_WORDS;
	s->mask = mask & CV_VCPU_STATE_ALL;
	if (mask & CV_VCPU_STATE_GPR) {
		memcpy(s->x, c->x, sizeof(s->x));
		s->sp_el0 = c->sp;
		s->pc = c->pc;
		s->pstate = c->pstate;
	}
	if (mask & CV_VCPU_STATE_EL1)
		read_el1(th, s);
}

int arch_vcpu_state_write(struct thread *th, const struct cv_vcpu_state *s)
{
	struct arch_context *c = &th->ctx;
	uint64_t mode = s->pstate & PSTATE_MODE;
	uint64_t fixed = ~(PSTATE_NZCV | PSTATE_DAIF | PSTATE_MODE);

	if ((s->pstate & fixed) != (c->pstate & fixed))
		return CV_E_BAD_ARG;
	if (mode != PSTATE_EL0T && mode != PSTATE_EL1T && mode != PSTATE_EL1H)
		return CV_E_BAD_ARG;
	if (s->pc & 3)
		return CV_E_BAD_ARG; /* would only fault at once, with a misleading pc */
	memcpy(c->x, s->x, sizeof(c->x));
	c->sp = s->sp_el0;
	c->pc = s->pc;
	c->pstate = s->pstate;
	return CV_OK;
}
