// SPDX-License-Identifier: BSD-2-Clause
// Data-cache maintenance for data read by a CPU whose MMU is still off,
// and zeroing pages without a store per byte.
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arm64_private.h"

void cache_clean_to_poc(const void *va, uint64_t size)
{
	uint64_t ctr = sysreg_read(ctr_el0);
	uint64_t line = 4ul << ((ctr >> 16) & 0xf); /* DminLine, in bytes */
	uint64_t p = (uint64_t)va & ~(line - 1);

	for (; p < (uint64_t)va + size; p += line)
		__asm__ volatile("dc cvac, %0" ::"r"(p) : "memory");
	dsb_sy();
}

void arch_sync_icache(const void *va, size_t len)
{
	uint64_t ctr = sysreg_read(ctr_el0);
	uint64_t line = 4ul << ((ctr >> 16) & 0xf);
	uint64_t p = (uint64_t)va & ~(line - 1);

	for (; p < (uint64_t)va + len; p += line)
		__asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
	dsb_ish();
	/* By address would need the user's view of it; all is simpler. */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb_ish();
	isb();
}

void arch_clean_dcache(const void *va, size_t len)
{
	cache_clean_to_poc(va, len);
}

/* DC ZVA zeroes a block of 4 << DCZID_EL0.BS bytes per instruction; where
 * it is prohibited (DZP), pairs of 8-byte stores. A page is a multiple of
 * every block size the architecture allows (at most 2 KiB). */
void arch_zero_pages(void *va, size_t len)
{
	uint64_t dczid = sysreg_read(dczid_el0);
	char *p = va, *end = p + len;

	if (!(dczid & (1u << 4))) {
		size_t block = 4ul << (dczid & 0xf);
		for (; p < end; p += block)
			__asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
		return;
	}
	for (uint64_t *w = va; (char *)w < end; w += 2)
		__asm__ volatile("stp xzr, xzr, [%0]" : : "r"(w) : "memory");
}
