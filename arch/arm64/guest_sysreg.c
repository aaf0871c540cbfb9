// SPDX-License-Identifier: BSD-2-Clause
// Trapped system-register accesses of a guest. The kernel answers the ID
// registers (features capvisor does not switch are hidden), the SGI
// registers (vgic.c), and the debug, OS-lock and PMU registers (absent:
// reads as zero, writes ignored, MDSCR_EL1 kept per vCPU); everything
// else goes to the monitor as CV_EXIT_SYSREG.
#include <uapi/vm.h>

#include <arch/sysreg.h>

#include "arch/guest.h"
#include "guest_private.h"
#include "thread.h"
#include "vcpu.h"

/* ISS of EC 0x18: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5,
 * CRm 4:1, direction 0 (1 = read). The key packs them like the
 * instruction's encoding. */
#define SYS_KEY(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define KEY_SGI1R SYS_KEY(3, 0, 12, 11, 5)
#define KEY_ASGI1R SYS_KEY(3, 0, 12, 11, 6)
#define KEY_SGI0R SYS_KEY(3, 0, 12, 11, 7)
#define KEY_MDSCR SYS_KEY(2, 0, 0, 2, 2)
#define KEY_ACTLR SYS_KEY(3, 0, 1, 0, 1)

static uint64_t field_clear(uint64_t v, unsigned shift)
{
	return v & ~(0xfull << shift);
}

/* The ID registers as a guest sees them: only what the world switch
 * handles. Reads at EL2 give the real values. */
static uint64_t id_register(unsigned crm, unsigned op2)
{
	uint64_t v = 0;

#define ID(m, o, name) \
	case (m) * 8 + (o): v = sysreg_read(name); break;
	switch (crm * 8 + op2) {
	ID(1, 0, id_pfr0_el1) ID(1, 1, id_pfr1_el1) ID(1, 2, id_dfr0_el1) ID(1, 3, id_afr0_el1)
	ID(1, 4, id_mmfr0_el1) ID(1, 5, id_mmfr1_el1) ID(1, 6, id_mmfr2_el1) ID(1, 7, id_mmfr3_el1)
	ID(2, 0, id_isar0_el1) ID(2, 1, id_isar1_el1) ID(2, 2, id_isar2_el1) ID(2, 3, id_isar3_el1)
	ID(2, 4, id_isar4_el1) ID(2, 5, id_isar5_el1) ID(2, 6, id_mmfr4_el1)
	ID(3, 0, mvfr0_el1) ID(3, 1, mvfr1_el1) ID(3, 2, mvfr2_el1)
	ID(4, 0, id_aa64pfr0_el1) ID(4, 1, id_aa64pfr1_el1)
	ID(5, 0, id_aa64dfr0_el1) ID(5, 1, id_aa64dfr1_el1)
	ID(6, 0, id_aa64isar0_el1) ID(6, 1, id_aa64isar1_el1) ID(6, 2, s3_0_c0_c6_2)
	ID(7, 0, id_aa64mmfr0_el1) ID(7, 1, id_aa64mmfr1_el1) ID(7, 2, id_aa64mmfr2_el1)
	default:
		return 0; /* reserved or hidden (SVE, SME feature registers): RAZ */
	}
#undef ID
	switch (crm * 8 + op2) {
	case 4 * 8 + 0: /* ID_AA64PFR0: no EL2/EL3 for the guest, no SVE, RAS, MPAM, AMU, SEL2, RME */
		v = field_clear(v, 8);
		v = field_clear(v, 12);
		for (unsigned s = 28; s <= 52; s += 4)
			if (s != 48) /* DIT stays */
				v = field_clear(v, s);
		break;
	case 4 * 8 + 1: /* ID_AA64PFR1: BT and SSBS only */
		v &= 0xff;
		break;
	case 5 * 8 + 0: /* ID_AA64DFR0: no PMU, trace, SPE, trace buffer, BRBE */
		v = field_clear(v, 4);
		v = field_clear(v, 8);
		v &= 0xfffffffful;
		break;
	case 5 * 8 + 1:
		v = 0;
		break;
	case 6 * 8 + 1: /* ID_AA64ISAR1: no pointer authentication */
		v = field_clear(field_clear(field_clear(field_clear(v, 4), 8), 24), 28);
		break;
	case 6 * 8 + 2: /* ID_AA64ISAR2: no pointer authentication (QARMA3) */
		v = field_clear(field_clear(v, 8), 12);
		break;
	case 7 * 8 + 1: /* ID_AA64MMFR1: no LORegions, no VHE */
		v = field_clear(field_clear(v, 16), 8);
		break;
	case 7 * 8 + 2: /* ID_AA64MMFR2: no nested virtualization */
		v = field_clear(v, 24);
		break;
	default:
		break;
	}
	return v;
}

static bool is_pmu(unsigned op0, unsigned op1, unsigned crn, unsigned crm)
{
	return op0 == 3 && (op1 == 0 || op1 == 3) &&
	       ((crn == 9 && crm >= 12) || (crn == 14 && crm >= 8));
}

bool guest_sysreg(struct thread *th, uint64_t esr, struct vcpu_exit *e)
{
	unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	unsigned crn = (esr >> 10) & 0xf, rt = (esr >> 5) & 0x1f, crm = (esr >> 1) & 0xf;
	bool read = esr & 1;
	unsigned key = SYS_KEY(op0, op1, crn, crm, op2);
	uint64_t value = rt == 31 ? 0 : th->ctx.x[rt];
	uint64_t result = 0;
	struct arch_vcpu *v = &th->vcpu->arch;

	if (key == KEY_SGI1R || key == KEY_ASGI1R || key == KEY_SGI0R) {
		if (read)
			goto undef;
		if (key == KEY_SGI1R)
			vgic_sgi(th, value);
	} else if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
		if (!read)
			goto undef;
		result = id_register(crm, op2);
	} else if (key == KEY_MDSCR) {
		if (read)
			result = v->mdscr;
		else
			v->mdscr = value;
	} else if (op0 == 2 || key == KEY_ACTLR || is_pmu(op0, op1, crn, crm)) {
		/* absent: RAZ/WI */
	} else {
		v->exit_kind = CV_EXIT_SYSREG;
		e->mr[0] = CV_EXIT_SYSREG | (esr << CV_EXIT_SYNDROME_SHIFT);
		e->mr[2] = esr & 0x1ffffff;
		e->mr[3] = read ? 0 : value;
		return true;
	}
	if (read && rt != 31)
		th->ctx.x[rt] = result;
	th->ctx.pc += 4;
	vcpu_count(&th->vcpu->stats.sysreg);
	return false;
undef:
	guest_inject_undef(th);
	return false;
}
