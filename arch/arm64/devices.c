// SPDX-License-Identifier: BSD-2-Clause
// The devices of the device tree that user-level drivers may have: every
// node with registers, except what the kernel keeps (memory, CPUs, the
// interrupt controller, the timer, PSCI). The console UART is given out
// too: the console service owns it; the kernel only keeps writing its own
// messages to it, polled (docs/console.md).
#include <boot/boot_info.h>
#include <libfdt.h>
#include <string.h>

#include "arch/irq.h"
#include "arch/mmu.h"
#include "arm64_private.h"
#include "kernel.h"

#define GIC_SPI 0
#define GIC_SPI_BASE 32
#define IRQ_TYPE_LEVEL_MASK 0xc /* level high (4) or low (8) */

static bool kept_by_kernel(const void *dtb, int node, uint64_t base)
{
	static const char *const kernel_compat[] = {"arm,gic-v3", "arm,armv8-timer", "arm,psci-1.0",
						    "arm,psci-0.2", "arm,psci", NULL};
	const char *type = fdt_getprop(dtb, node, "device_type", NULL);

	if (type && (!strcmp(type, "memory") || !strcmp(type, "cpu")))
		return true;
	if (fdt_getprop(dtb, node, "interrupt-controller", NULL))
		return true;
	for (int i = 0; kernel_compat[i]; i++)
		if (fdt_node_check_compatible(dtb, node, kernel_compat[i]) == 0)
			return true;
	(void)base;
	return false;
}

unsigned arch_platform_devices(const struct boot_info *bi, struct platform_device *out, unsigned max)
{
	unsigned n = 0;
	const void *dtb = bi->dtb_base ? arch_phys_to_virt(bi->dtb_base) : NULL;
	int node;

	if (!dtb)
		return 0;
	fdt_for_each_subnode(node, dtb, 0) {
		uint64_t base, size;
		int len;
		const char *compat = fdt_getprop(dtb, node, "compatible", &len);
		if (!compat || len <= 0 || dtb_reg(dtb, node, 0, &base, &size) || !size)
			continue;
		if (kept_by_kernel(dtb, node, base) || n == max)
			continue;
		struct platform_device *d = &out[n++];
		memset(d, 0, sizeof(*d));
		size_t clen = strnlen(compat, (size_t)len);
		memcpy(d->compatible, compat, MIN(clen, sizeof(d->compatible) - 1));
		d->base = ALIGN_DOWN(base, 4096ull);
		d->size = ALIGN_UP(base + size, 4096ull) - d->base;
		const fdt32_t *irq = fdt_getprop(dtb, node, "interrupts", &len);
		if (irq && len >= 12 && fdt32_to_cpu(irq[0]) == GIC_SPI && fdt32_to_cpu(irq[1]) < 988) {
			d->irq = GIC_SPI_BASE + fdt32_to_cpu(irq[1]);
			d->level = (fdt32_to_cpu(irq[2]) & IRQ_TYPE_LEVEL_MASK) != 0;
		}
	}
	return n;
}
