// SPDX-License-Identifier: BSD-2-Clause
// From the first C instruction to kernel_main: find out what x0 was, give
// the kernel a boot_info either way, and reach physical memory through the
// boot page tables until the final ones exist.
#include <boot/boot_info.h>
#include <string.h>

#include <arch/layout.h>
#include <arch/pte.h>

#include "arch/console.h"
#include "arch/mmu.h"
#include "arm64_private.h"
#include "boot_info_dtb.h"
#include "cpu.h"
#include "main.h"
#include "modpack.h"
#include "panic.h"
#include "printk.h"

#define FDT_MAGIC_LE 0xedfe0dd0u /* 0xd00dfeed, big-endian, read little-endian */

extern uint64_t boot_l1_phys[PT_ENTRIES];
extern const char __image_start[], __image_end[];

uint64_t kernel_load_pa;
static struct boot_info boot_info;
static bool early_tables_live = true;

void arch_entry_primary(uint64_t boot_arg, uint64_t load_pa);

/* Maps the GiB holding pa into the boot tables' physical window (Normal
 * memory) if it is not mapped yet. Translation faults are never cached, so
 * a new entry needs no TLB maintenance. */
void *arch_early_phys_to_virt(uint64_t pa)
{
	if (!early_tables_live)
		return arch_phys_to_virt(pa);
	if (pa >= (uint64_t)PT_ENTRIES * BLOCK_1G_SIZE)
		panic("early boot: physical address 0x%lx beyond the first 512 GiB", (unsigned long)pa);
	unsigned idx = pa >> 30;
	if (!(boot_l1_phys[idx] & PTE_VALID)) {
		boot_l1_phys[idx] = ((uint64_t)idx << 30) | PTE_VALID | PTE_AF | PTE_SH_INNER |
				    PTE_ATTR(MAIR_IDX_NORMAL) | PTE_XN;
		dsb_ishst();
		isb();
	}
	return (void *)(PHYSMAP_VBASE + pa);
}

void arch_early_map_range(uint64_t pa, uint64_t size)
{
	if (!size)
		return;
	for (uint64_t gib = pa >> 30; gib <= (pa + size - 1) >> 30; gib++)
		arch_early_phys_to_virt(gib << 30);
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void arch_mmu_early_tables_done(void)
{
	early_tables_live = false;
}

uint64_t arch_kernel_virt_to_phys(const void *va)
{
	return kernel_load_pa + ((uintptr_t)va - (uintptr_t)__image_start);
}

void arch_entry_primary(uint64_t boot_arg, uint64_t load_pa)
{
	arch_cpu_set_self(&cpus[0]);
	kernel_load_pa = load_pa;
	uint64_t image_size = (uintptr_t)__image_end - (uintptr_t)__image_start;

	const void *arg = arch_early_phys_to_virt(boot_arg);
	const struct boot_info *from_loader = arg;
	const char *why = NULL;

	if (*(const uint32_t *)arg == FDT_MAGIC_LE) {
		arch_early_map_range(boot_arg, be32((const char *)arg + 4));
		arch_console_init_early(arg);
		why = boot_info_from_dtb(&boot_info, arg, boot_arg, load_pa, image_size);
		if (!why && boot_info.module_count == 1) {
			const struct boot_module *m = &boot_info.modules[0];
			arch_early_map_range(m->base, m->size);
			why = modpack_split(&boot_info, arch_early_phys_to_virt(m->base), m->base, m->size);
		}
	} else if (from_loader->magic == BOOT_INFO_MAGIC) {
		arch_early_map_range(boot_arg, sizeof(boot_info));
		if (from_loader->version != BOOT_INFO_VERSION || from_loader->size != sizeof(boot_info)) {
			why = "boot_info version or size does not match this kernel";
		} else {
			memcpy(&boot_info, from_loader, sizeof(boot_info));
			boot_info.cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
		}
		if (!why && boot_info.dtb_base) {
			arch_early_map_range(boot_info.dtb_base, boot_info.dtb_size);
			const void *dtb = arch_early_phys_to_virt(boot_info.dtb_base);
			arch_console_init_early(dtb);
		} else if (!why && boot_info.acpi_rsdp) {
			uint64_t uart_pa = acpi_find_pl011(boot_info.acpi_rsdp);
			if (uart_pa)
				pl011_init_early_at(uart_pa);
			why = "the firmware offered only ACPI; capvisor on arm64 needs a device tree "
			      "(for QEMU use -M virt,acpi=off)";
		} else if (!why) {
			why = "the loader passed no device tree";
		}
	} else {
		/* No console to say so: neither a device tree nor a boot_info. */
		arch_halt();
	}
	if (why) {
		/* A configuration problem, not a kernel bug: no backtrace. */
		printk("\ncapvisor cannot boot: %s\n", why);
		arch_halt();
	}
	kernel_main(&boot_info);
}
