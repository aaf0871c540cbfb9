// SPDX-License-Identifier: BSD-2-Clause
// The PL011 UART as the kernel's debug console, found through the device
// tree (/chosen/stdout-path, else the first arm,pl011). Polled output: the
// console must work in panic, with interrupts off.
#include <libfdt.h>

#include <arch/layout.h>
#include <arch/pte.h>

#include "arch/console.h"
#include "arch/mmu.h"
#include "arm64_private.h"
#include "kernel.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)


static volatile uint32_t *uart;
static uint64_t uart_pa;

static int find_uart(const void *dtb)
{
	int chosen = fdt_path_offset(dtb, "/chosen");
	if (chosen >= 0) {
		int len;
		const char *path = fdt_getprop(dtb, chosen, "stdout-path", &len);
		if (path && len > 0) {
			int plen = 0;
			while (plen < len && path[plen] && path[plen] != ':')
				plen++;
			int node = fdt_path_offset_namelen(dtb, path, plen);
			if (node >= 0 && fdt_node_check_compatible(dtb, node, "arm,pl011") == 0)
				return node;
		}
	}
	static const char *const compat[] = {"arm,pl011", NULL};
	return dtb_find_compatible(dtb, compat);
}

/* Early on, the UART is reached through a 1 GiB device block in the boot
 * tables' kernel L1 table, at DEVICE_VBASE. */
extern uint64_t boot_l1_kernel[PT_ENTRIES];

bool arch_console_init_early(const void *dtb)
{
	uint64_t size, pa;

	if (uart || fdt_check_header(dtb) != 0)
		return uart != NULL;
	int node = find_uart(dtb);
	if (node < 0 || dtb_reg(dtb, node, 0, &pa, &size) != 0)
		return false;
	pl011_init_early_at(pa);
	return true;
}

void pl011_init_early_at(uint64_t pa)
{
	uart_pa = pa;
	unsigned idx = PT_INDEX(DEVICE_VBASE, 1);
	boot_l1_kernel[idx] = ALIGN_DOWN(uart_pa, (uint64_t)BLOCK_1G_SIZE) | PTE_VALID | PTE_AF |
			      PTE_ATTR(MAIR_IDX_DEVICE) | PTE_XN;
	dsb_ishst();
	isb();
	uart = (volatile uint32_t *)(DEVICE_VBASE + (uart_pa & (BLOCK_1G_SIZE - 1)));
}

/* The final tables map the UART page at the same address, so output goes
 * on across the switch without the pointer changing. */
int pl011_map_final(void)
{
	if (!uart)
		return 0;
	uint64_t va = ALIGN_DOWN((uint64_t)(uintptr_t)uart, (uint64_t)PAGE_SIZE);
	return mmu_map_device_fixed(va, ALIGN_DOWN(uart_pa, (uint64_t)PAGE_SIZE), PAGE_SIZE);
}

void arch_console_putc(char c)
{
	if (!uart)
		return;
	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

uint64_t pl011_console_base(void)
{
	return uart_pa;
}
