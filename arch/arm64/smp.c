// SPDX-License-Identifier: BSD-2-Clause
// arm64 platform discovery (CPUs, GIC, timer, PSCI from the device tree)
// and the per-CPU start-up path.
#include <boot/boot_info.h>
#include <libfdt.h>

#include <arch/layout.h>
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arch/panic.h"
#include "arch/smp.h"
#include "arm64_private.h"
#include "cpu.h"
#include "main.h"
#include "printk.h"

#define MPIDR_AFF_MASK 0xff00fffffful

static bool gic_ready;

static int discover_cpus(const void *dtb)
{
	int cpus_node = fdt_path_offset(dtb, "/cpus");
	uint64_t self = sysreg_read(mpidr_el1) & MPIDR_AFF_MASK;
	unsigned n = 1, listed = 0;
	bool self_found = false;
	int node;

	if (cpus_node < 0)
		return -1;
	cpus[0].hwid = self;
	fdt_for_each_subnode(node, dtb, cpus_node) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);
		uint64_t hwid, unused;
		if (!type || strcmp(type, "cpu") || dtb_reg(dtb, node, 0, &hwid, &unused))
			continue;
		listed++;
		hwid &= MPIDR_AFF_MASK;
		if (hwid == self) {
			self_found = true;
			continue;
		}
		if (n == CPU_MAX_COUNT)
			continue;
		cpus[n].hwid = hwid;
		n++;
	}
	if (!self_found)
		return -1;
	if (listed > n)
		printk("smp: %u CPUs listed, using %u (CPU_MAX_COUNT)\n", listed, n);
	cpu_count = n;
	for (unsigned i = 0; i < n; i++)
		cpus[i].index = i;
	return 0;
}

int arch_platform_init(const struct boot_info *bi)
{
	if (!bi->dtb_base) {
		printk("platform: no device tree; capvisor on arm64 needs one "
		       "(for QEMU use -M virt,acpi=off)\n");
		return -1;
	}
	const void *dtb = arch_phys_to_virt(bi->dtb_base);
	if (fdt_check_header(dtb)) {
		printk("platform: the device tree is corrupt\n");
		return -1;
	}
	if (discover_cpus(dtb)) {
		printk("platform: no usable /cpus node in the device tree\n");
		return -1;
	}
	if (psci_init(dtb))
		printk("platform: no PSCI through smc; secondary CPUs stay off\n");
	if (gic_init(dtb)) {
		printk("platform: no usable GICv3 in the device tree\n");
		return -1;
	}
	if (timer_init(dtb)) {
		printk("platform: no usable architected timer in the device tree\n");
		return -1;
	}
	return 0;
}

extern char cpu_stacks[];

int arch_cpu_init(void)
{
	struct cpu *cpu = cpu_self();

	cpu->stack_top = (uint64_t)(uintptr_t)cpu_stacks + (uint64_t)(cpu->index + 1) * CPU_STACK_SIZE;
	sysreg_write(cptr_el2, CPTR_EL2_TASKS); /* cpu->fp_trap false */
	sysreg_write(cpacr_el1, CPACR_EL1_FPEN);
	sysreg_write(sctlr_el1, SCTLR_EL1_TASKS);
	sysreg_write(cntkctl_el1, CNTKCTL_EL0_COUNTERS);
	stage2_init_cpu();
	guest_init_cpu();
	sysreg_write(hcr_el2, HCR_TASKS);
	isb();
	if (gic_init_cpu())
		return -1;
	gic_ready = true;
	timer_init_cpu();
	return 0;
}

int arch_cpu_start(unsigned index)
{
	return psci_cpu_on(cpus[index].hwid, arch_kernel_virt_to_phys(secondary_entry), index);
}

void arch_entry_secondary(unsigned index)
{
	arch_cpu_set_self(&cpus[index]);
	kernel_main_secondary(index);
}

void arch_stop_other_cpus(void)
{
	if (!gic_ready)
		return;
	struct cpu *self = cpu_self();
	for (unsigned i = 0; i < cpu_count; i++)
		if (&cpus[i] != self && cpus[i].online)
			arch_ipi_send(i, IPI_STOP);
}
