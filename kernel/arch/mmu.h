/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's own address space, as the architecture builds it. */
#ifndef KERNEL_ARCH_MMU_H
#define KERNEL_ARCH_MMU_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/* A pointer to physical memory before the final tables exist (RAM only). */
void *arch_early_phys_to_virt(uint64_t pa);
/* Makes all of [pa, pa+size) reachable that way. */
void arch_early_map_range(uint64_t pa, uint64_t size);
/* A pointer to RAM through the kernel's direct map. */
void *arch_phys_to_virt(uint64_t pa);
/* Physical address of a kernel-image symbol. */
uint64_t arch_kernel_virt_to_phys(const void *va);

/* Builds the final kernel page tables (W^X sections, direct map of RAM,
 * identity map of the MMU-enable code) and switches this CPU to them. */
int arch_mmu_init(const struct boot_info *bi) __attribute__((warn_unused_result));
/* Maps device registers (uncached, never executable); NULL when out of
 * address space or memory. */
void *arch_map_device(uint64_t pa, size_t size);

/* Makes instructions written through the kernel's mapping at va visible to
 * instruction fetch on every CPU. */
void arch_sync_icache(const void *va, size_t len);
/* Makes data written through the kernel's mapping visible to accesses that
 * bypass the caches (a guest with its MMU off). */
void arch_clean_dcache(const void *va, size_t len);
/* Zeroes whole pages of normal memory (va and len page-aligned) the
 * fastest way the CPU has. */
void arch_zero_pages(void *va, size_t len);

struct mmu_wx_report {
	unsigned long leaves;       /* valid leaf mappings walked */
	unsigned long writable_exec; /* of those, writable and executable */
	uint64_t first_bad_va;
};
/* Walks the live kernel page tables. */
void arch_mmu_check_wx(struct mmu_wx_report *report);

/* Probes for the W^X self-tests: 0 if the access went through, 1 if it
 * faulted (the fault's syndrome is in cpu_self()->fault_esr). */
int arch_probe_write(volatile void *addr);
int arch_probe_exec(const void *addr);

#endif
