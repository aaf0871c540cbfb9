// SPDX-License-Identifier: BSD-2-Clause
// Data-cache maintenance for data read by a CPU whose MMU is still off.
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
