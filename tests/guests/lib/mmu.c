// SPDX-License-Identifier: BSD-2-Clause
// The identity map of mmu.h. Built and turned on by the first CPU that
// asks; it leaves what secondaries need in guest_mmu_boot for start.S.
#include "guest.h"
#include "mmu.h"

#define DESC_BLOCK 0x1ull
#define DESC_ATTR(idx) ((uint64_t)(idx) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)

#define MAIR_IDX_DEVICE 0 /* 0x00: Device-nGnRnE */
#define MAIR_IDX_NORMAL 1 /* 0xff: Normal, inner/outer write-back */
#define MAIR_VALUE 0xff00ull

/* T0SZ = 32 (4 GiB, so the walk starts at level 1), inner/outer
 * write-back walks, inner shareable, 4 KiB granule; TTBR1 walks off;
 * IPS = 0 (32-bit physical addresses are all this map uses). */
#define TCR_VALUE (32ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 32ull << 16 | 1ull << 23)

#define SCTLR_M (1ull << 0)
#define SCTLR_A (1ull << 1)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)
#define SCTLR_WXN (1ull << 19)

#define GIB (1ull << 30)

/* Read by start.S with the MMU off: ttbr0 (0 = MMU stays off), mair, tcr,
 * sctlr. */
uint64_t guest_mmu_boot[4];

static uint64_t l1_table[512] __attribute__((aligned(4096)));

static uint64_t dcache_line(void)
{
	return 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void dcache_clean(const volatile void *start, uint64_t size)
{
	uint64_t line = dcache_line();

	for (uint64_t a = (uintptr_t)start & ~(line - 1); a < (uintptr_t)start + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void dcache_clean_inval(const volatile void *start, uint64_t size)
{
	uint64_t line = dcache_line();

	for (uint64_t a = (uintptr_t)start & ~(line - 1); a < (uintptr_t)start + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

bool mmu_is_on(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_M;
}

void mmu_enable(void)
{
	if (mmu_is_on())
		return;
	l1_table[0] = 0 | DESC_BLOCK | DESC_ATTR(MAIR_IDX_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN;
	l1_table[1] = GIB | DESC_BLOCK | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_AF |
		      DESC_UXN;
	// Written with the MMU off, walked through the cache: no stale line
	// may shadow it.
	dcache_clean_inval(l1_table, sizeof(l1_table));

	uint64_t sctlr = (read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I) &
			 ~(SCTLR_A | SCTLR_WXN);
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_VALUE);
	write_sysreg(ttbr0_el1, (uintptr_t)l1_table);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh" : : : "memory");
	isb();
	write_sysreg(sctlr_el1, sctlr);
	isb();

	guest_mmu_boot[1] = MAIR_VALUE;
	guest_mmu_boot[2] = TCR_VALUE;
	guest_mmu_boot[3] = sctlr;
	guest_mmu_boot[0] = (uintptr_t)l1_table;
	dcache_clean(guest_mmu_boot, sizeof(guest_mmu_boot));
}
