// SPDX-License-Identifier: BSD-2-Clause
// The boot CPU's way from the architecture's entry to a running system.
#include "main.h"

#include <boot/boot_info.h>

#include "arch/mmu.h"
#include "arch/smp.h"
#include "bench.h"
#include "cmdline.h"
#include "cpu.h"
#include "kobject.h"
#include "memory.h"
#include "panic.h"
#include "panic_test.h"
#include "printk.h"
#include "root_task.h"
#include "selftest.h"
#include "smp.h"

#ifndef CAPVISOR_VERSION
#define CAPVISOR_VERSION "unknown"
#endif

const struct boot_info *kernel_boot_info;

static uint64_t usable_bytes(const struct boot_info *bi)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			sum += bi->mem[i].size;
	return sum;
}

static void print_boot_info(const struct boot_info *bi)
{
	printk("boot: %s, command line \"%s\"\n",
	       bi->source == BOOT_SOURCE_UEFI ? "UEFI loader" : "direct (device tree)", bi->cmdline);
	printk("boot: kernel at 0x%lx (%lu KiB), device tree at 0x%lx\n", (unsigned long)bi->kernel_base,
	       (unsigned long)(bi->kernel_size >> 10), (unsigned long)bi->dtb_base);
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		printk("boot: module %.*s at 0x%lx (%lu bytes)\n", BOOT_MODULE_NAME_MAX,
		       bi->modules[i].name, (unsigned long)bi->modules[i].base,
		       (unsigned long)bi->modules[i].size);
}

void kernel_main(const struct boot_info *bi)
{
	kernel_boot_info = bi;
	printk("\ncapvisor %s starting\n", CAPVISOR_VERSION);
	print_boot_info(bi);

	kobject_init();
	if (memory_init(bi))
		panic("memory: no usable memory in the boot memory map");
	if (arch_mmu_init(bi))
		panic("mmu: building the kernel page tables failed");

	struct mmu_wx_report wx;
	arch_mmu_check_wx(&wx);
	if (wx.writable_exec)
		panic("mmu: %lu mappings are writable and executable, the first at 0x%lx",
		      wx.writable_exec, (unsigned long)wx.first_bad_va);
	printk("mmu: W^X check: %lu mappings, none writable and executable\n", wx.leaves);

	if (arch_platform_init(bi))
		panic("platform: cannot run without the devices above");
	if (arch_cpu_init())
		panic("cpu 0: interrupt controller or timer set-up failed");
	cpus[0].online = true;
	printk("cpu 0 online (hwid 0x%lx)\n", (unsigned long)cpus[0].hwid);
	arch_irq_enable();
	smp_boot();

	printk("capvisor %s: %u of %u CPUs online, %lu MiB RAM (%lu MiB free)\n", CAPVISOR_VERSION,
	       smp_online_count(), cpu_count, (unsigned long)(usable_bytes(bi) >> 20),
	       (unsigned long)((memory_free_frame_count() * 4096) >> 20));

	panic_test_run(bi->cmdline);
	selftest_run_selected(bi->cmdline);
	bench_run(bi->cmdline);

	printk("capvisor ready, %lu frames free\n", (unsigned long)memory_free_frame_count());
	root_task_start(bi);
	smp_idle();
}
