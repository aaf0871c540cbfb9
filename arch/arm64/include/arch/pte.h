/* SPDX-License-Identifier: BSD-2-Clause */
/* VMSAv8-64 stage-1 descriptors (4 KiB granule) as the EL2 regime uses them. */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1)   /* levels 0-2: next-level table; level 3: page */
#define PTE_PAGE BIT(1)
#define PTE_ATTR(idx) ((uint64_t)(idx) << 2)
#define PTE_ATTR_MASK (7ul << 2)
#define PTE_AP_RO BIT(7)   /* EL2 regime: AP[2] = 1 is read-only */
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF BIT(10)
#define PTE_XN BIT(54)     /* EL2 regime: execute-never */
#define PTE_ADDR_MASK 0x0000fffffffff000ul

#define PT_ENTRIES 512
#define PT_LEVEL_SHIFT(l) (12 + 9 * (3 - (l)))
#define PT_INDEX(va, l) (((va) >> PT_LEVEL_SHIFT(l)) & (PT_ENTRIES - 1))
#define PT_INDEX_S2(va, l) PT_INDEX(va, l)

/* Kernel mapping permissions. */
enum pte_perm {
	PTE_PERM_RX,  /* code */
	PTE_PERM_RO,  /* read-only data */
	PTE_PERM_RW,  /* data */
	PTE_PERM_DEVICE, /* device registers: read/write, never executed */
};

static inline uint64_t pte_leaf_attrs(enum pte_perm perm)
{
	uint64_t a = PTE_AF | PTE_VALID;

	switch (perm) {
	case PTE_PERM_RX:
		return a | PTE_SH_INNER | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AP_RO;
	case PTE_PERM_RO:
		return a | PTE_SH_INNER | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AP_RO | PTE_XN;
	case PTE_PERM_RW:
		return a | PTE_SH_INNER | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_XN;
	case PTE_PERM_DEVICE:
	default:
		return a | PTE_ATTR(MAIR_IDX_DEVICE) | PTE_XN;
	}
}

static inline bool pte_is_writable(uint64_t pte) { return !(pte & PTE_AP_RO); }
static inline bool pte_is_executable(uint64_t pte) { return !(pte & PTE_XN); }

#endif
