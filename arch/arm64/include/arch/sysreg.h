/* SPDX-License-Identifier: BSD-2-Clause */
/* System register access and the bit fields capvisor uses at EL2. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#define BIT(n) (1ul << (n))

/* SCTLR_EL2 (HCR_EL2.E2H = 0 layout). */
#define SCTLR_EL2_RES1 0x30c50830ul
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)
#define SCTLR_EL2_MMU_ON (SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/* HCR_EL2: EL1 is AArch64; physical IRQ, FIQ and SError are taken to EL2. */
#define HCR_RW BIT(31)
#define HCR_AMO BIT(5)
#define HCR_IMO BIT(4)
#define HCR_FMO BIT(3)
#define HCR_EL2_HOST (HCR_RW | HCR_AMO | HCR_IMO | HCR_FMO)

/* CPTR_EL2 (E2H = 0 layout): FP/SIMD on, SVE and SME trapped (hidden from
 * tasks); with TFP, FP/SIMD trap too (kernel/fpu.h: lazy switching). */
#define CPTR_EL2_TASKS 0x33fful
#define CPTR_EL2_TFP BIT(10)

/* MAIR indices used by the kernel's page tables. */
#define MAIR_IDX_NORMAL 0  /* write-back, read/write-allocate */
#define MAIR_IDX_DEVICE 1  /* Device-nGnRE */
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_EL2_VALUE 0x00000000004404ff

/* TCR_EL2 (E2H = 0): T0SZ=16 (48-bit), 4 KiB granule, inner-shareable WBWA
 * walks; PS is filled in from ID_AA64MMFR0_EL1.PARange at boot. */
#define TCR_T0SZ_48 16
#define TCR_IRGN0_WBWA (1ul << 8)
#define TCR_ORGN0_WBWA (1ul << 10)
#define TCR_SH0_INNER (3ul << 12)
#define TCR_EL2_RES1 (BIT(23) | BIT(31))
#define TCR_PS_SHIFT 16
#define TCR_EL2_BASE (TCR_EL2_RES1 | TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA | TCR_T0SZ_48)

/* Exception syndrome classes the kernel distinguishes. */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_FP_ACCESS 0x07
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYSREG 0x18
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c
#define ESR_FSC_MASK 0x3f
#define ESR_FSC_PERM_L3 0x0f /* permission fault, level 3 */
#define ESR_WNR BIT(6)

#ifndef __ASSEMBLY__
#include <stdint.h>

#define sysreg_read(reg)                                                        \
	({                                                                      \
		uint64_t sysreg_v_;                                             \
		__asm__ volatile("mrs %0, " #reg : "=r"(sysreg_v_));            \
		sysreg_v_;                                                      \
	})
#define sysreg_write(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
#endif

#endif
