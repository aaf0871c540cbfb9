// SPDX-License-Identifier: BSD-2-Clause
// The kernel's final page tables (TTBR0_EL2): the image with one set of
// permissions per section (W^X), the identity map of the code that turns
// the MMU on, a direct map of RAM and device registers on demand.
#include <boot/boot_info.h>
#include <string.h>

#include <arch/layout.h>
#include <arch/pte.h>

#include "arch/mmu.h"
#include "arm64_private.h"
#include "kernel.h"
#include "memory.h"
#include "panic.h"
#include "printk.h"
#include "spinlock.h"

extern const char __image_start[], __text_start[], __text_end[];
extern const char __idmap_text_start[], __idmap_text_end[];
extern const char __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[];
extern const char __ksyms_start[], __image_end[];

static uint64_t root_pa;
static bool final_tables_live;
/* The first GiB of the device window is the boot console's (pl011.c). */
static uint64_t device_next = DEVICE_VBASE + BLOCK_1G_SIZE;
static struct spinlock mmu_lock = SPINLOCK_INIT;

void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(PHYSMAP_VBASE + pa);
}

static uint64_t *table_virt(uint64_t pa)
{
	return final_tables_live ? arch_phys_to_virt(pa) : arch_early_phys_to_virt(pa);
}

static int table_alloc(uint64_t *pa)
{
	if (memory_alloc_frames(1, PAGE_SIZE, pa) != 0)
		return -1;
	memset(table_virt(*pa), 0, PAGE_SIZE);
	return 0;
}

/* Maps [va, va+size) to pa with the given leaf attributes, using 2 MiB
 * blocks where both addresses and the size allow. Fails if a table page
 * cannot be allocated or the range is already mapped. */
static int map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, bool allow_blocks)
{
	while (size) {
		uint64_t *table = table_virt(root_pa);
		bool block = allow_blocks && IS_ALIGNED(va | pa, BLOCK_2M_SIZE) && size >= BLOCK_2M_SIZE;
		int leaf_level = block ? 2 : 3;

		for (int level = 0; level < leaf_level; level++) {
			uint64_t *e = &table[PT_INDEX(va, level)];
			if (!(*e & PTE_VALID)) {
				uint64_t next;
				if (table_alloc(&next))
					return -1;
				*e = next | PTE_TABLE | PTE_VALID;
			} else if (!(*e & PTE_TABLE)) {
				return -1; /* a block is in the way */
			}
			table = table_virt(*e & PTE_ADDR_MASK);
		}
		uint64_t *leaf = &table[PT_INDEX(va, leaf_level)];
		if (*leaf & PTE_VALID)
			return -1;
		*leaf = pa | attrs | (block ? 0 : PTE_PAGE);
		uint64_t step = block ? BLOCK_2M_SIZE : PAGE_SIZE;
		va += step;
		pa += step;
		size -= step;
	}
	return 0;
}

static int map_image_section(const char *start, const char *end, enum pte_perm perm)
{
	uint64_t va = (uintptr_t)start;
	uint64_t size = ALIGN_UP((uintptr_t)end, PAGE_SIZE) - va;

	if (!size)
		return 0;
	return map_range(va, arch_kernel_virt_to_phys(start), size, pte_leaf_attrs(perm), false);
}

/* RAM the kernel may touch through the direct map: everything but the
 * kernel image itself, whose only mapping is the W^X one. */
static bool mem_type_in_physmap(uint32_t type)
{
	return type == BOOT_MEM_USABLE || type == BOOT_MEM_MODULE || type == BOOT_MEM_BOOT_DATA ||
	       type == BOOT_MEM_ACPI;
}

int arch_mmu_init(const struct boot_info *bi)
{
	if (table_alloc(&root_pa))
		return -1;

	int err = map_image_section(__text_start, __text_end, PTE_PERM_RX) |
		  map_image_section(__rodata_start, __rodata_end, PTE_PERM_RO) |
		  map_image_section(__data_start, __data_end, PTE_PERM_RW) |
		  map_image_section(__ksyms_start, __image_end, PTE_PERM_RO);
	/* The code that runs while the MMU turns on, at its physical address. */
	uint64_t idmap_pa = arch_kernel_virt_to_phys(__idmap_text_start);
	err |= map_range(idmap_pa, idmap_pa, (uintptr_t)__idmap_text_end - (uintptr_t)__idmap_text_start,
			 pte_leaf_attrs(PTE_PERM_RX), false);

	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		if (!mem_type_in_physmap(r->type))
			continue;
		uint64_t base = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
		if (end <= base)
			continue;
		if (end > PHYSMAP_MAX_PA)
			panic("mmu: RAM at 0x%lx beyond the direct map", (unsigned long)base);
		err |= map_range(PHYSMAP_VBASE + base, base, end - base, pte_leaf_attrs(PTE_PERM_RW), true);
	}
	err |= pl011_map_final();
	if (err)
		return -1;

	/* Writable memory is never executable, whatever a descriptor says. */
	uint64_t sctlr = SCTLR_EL2_MMU_ON | SCTLR_WXN;
	void (*switch_tables)(uint64_t, uint64_t) =
		(void (*)(uint64_t, uint64_t))arch_kernel_virt_to_phys(mmu_switch_tables);
	dsb_ishst();
	switch_tables(root_pa, sctlr);
	final_tables_live = true;
	arch_mmu_early_tables_done();

	secondary_boot.ttbr0 = root_pa;
	secondary_boot.sctlr = sctlr;
	cache_clean_to_poc(&secondary_boot, sizeof(secondary_boot));
	return 0;
}

int mmu_map_device_fixed(uint64_t va, uint64_t pa, uint64_t size)
{
	return map_range(va, pa, size, pte_leaf_attrs(PTE_PERM_DEVICE), false);
}

void *arch_map_device(uint64_t pa, size_t size)
{
	uint64_t offset = pa & (PAGE_SIZE - 1);
	uint64_t len = ALIGN_UP(offset + size, PAGE_SIZE);
	uint64_t flags = spin_lock_irqsave(&mmu_lock);
	void *va = NULL;

	if (device_next + len <= DEVICE_VBASE + DEVICE_VSIZE &&
	    map_range(device_next, pa - offset, len, pte_leaf_attrs(PTE_PERM_DEVICE), false) == 0) {
		va = (void *)(device_next + offset);
		device_next += len;
	}
	spin_unlock_irqrestore(&mmu_lock, flags);
	return va;
}

static void check_table(uint64_t table_pa, int level, uint64_t va_base, struct mmu_wx_report *r)
{
	const uint64_t *table = table_virt(table_pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = table[i];
		uint64_t va = va_base + ((uint64_t)i << PT_LEVEL_SHIFT(level));
		if (!(e & PTE_VALID))
			continue;
		if (level < 3 && (e & PTE_TABLE)) {
			check_table(e & PTE_ADDR_MASK, level + 1, va, r);
			continue;
		}
		r->leaves++;
		if (pte_is_writable(e) && pte_is_executable(e)) {
			if (!r->writable_exec)
				r->first_bad_va = va;
			r->writable_exec++;
		}
	}
}

void arch_mmu_check_wx(struct mmu_wx_report *report)
{
	memset(report, 0, sizeof(*report));
	check_table(root_pa, 0, 0, report);
}
