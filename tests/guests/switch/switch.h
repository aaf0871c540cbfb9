/* SPDX-License-Identifier: BSD-2-Clause */
/* The switch guest's register sets: EL1 system registers (sysregs.c)
 * and FP/SIMD (fpsimd.S). */
#ifndef SWITCH_SWITCH_H
#define SWITCH_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Every EL1 register a hypervisor must switch between VMs that can hold
 * arbitrary guest bits. X(name, exact, irq): `exact` if the register must
 * read back exactly what was written (the others are IMPLEMENTATION
 * DEFINED and may be RAZ/WI, so only their read-back value must last);
 * `irq` if an interrupt taken at EL1 leaves it alone (ELR and SPSR are
 * written by the exception; the timer handler writes CNTV_CVAL).
 */
#define SWITCH_SYSREGS(X) \
	X(ttbr0_el1, 1, 1) \
	X(ttbr1_el1, 1, 1) \
	X(mair_el1, 1, 1) \
	X(amair_el1, 0, 1) \
	X(tcr_el1, 1, 1) \
	X(tpidr_el1, 1, 1) \
	X(tpidr_el0, 1, 1) \
	X(tpidrro_el0, 1, 1) \
	X(contextidr_el1, 1, 1) \
	X(vbar_el1, 1, 1) \
	X(sp_el0, 1, 1) \
	X(elr_el1, 1, 0) \
	X(spsr_el1, 1, 0) \
	X(far_el1, 1, 1) \
	X(esr_el1, 1, 1) \
	X(afsr0_el1, 0, 1) \
	X(afsr1_el1, 0, 1) \
	X(par_el1, 1, 1) \
	X(csselr_el1, 1, 1) \
	X(cntkctl_el1, 1, 1) \
	X(mdscr_el1, 1, 1) \
	X(cntv_cval_el0, 1, 0)

enum {
#define SWITCH_ENUM(name, exact, irq) SR_##name,
	SWITCH_SYSREGS(SWITCH_ENUM)
#undef SWITCH_ENUM
	SR_COUNT
};

extern const char *const sysreg_names[SR_COUNT];
extern const bool sysreg_exact[SR_COUNT], sysreg_kept_by_irq[SR_COUNT];

/* Values for every register from `seed`, valid for this CPU. */
void sysregs_make(uint64_t seed, uint64_t out[SR_COUNT]);
void sysregs_write(const uint64_t in[SR_COUNT]);
void sysregs_read(uint64_t out[SR_COUNT]);

/* FP/SIMD: q0..q31 as 64 words (low half first), then FPCR and FPSR. */
#define FP_WORDS 66
void fp_fill(const uint64_t vals[FP_WORDS]);
void fp_read(uint64_t vals[FP_WORDS]);
/* Bit n set if qn differs from vals, bit 32 for FPCR, 33 for FPSR. */
uint64_t fp_compare(const uint64_t vals[FP_WORDS]);

uint64_t splitmix64(uint64_t *state);

#endif
