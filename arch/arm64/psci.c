// SPDX-License-Identifier: BSD-2-Clause
// PSCI, the firmware interface that starts and stops CPUs, through the
// conduit the device tree names (smc or hvc).
#include <libfdt.h>

#include "arm64_private.h"
#include "kernel.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_CPU_ON_64 0xc4000003u

static bool use_hvc;
static bool present;

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (use_hvc)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

int psci_init(const void *dtb)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci", NULL};
	int node = dtb_find_compatible(dtb, compat);

	if (node < 0)
		return -1;
	const char *method = fdt_getprop(dtb, node, "method", NULL);
	if (!method)
		return -1;
	if (!strcmp(method, "hvc"))
		/* At EL2 an hvc would come to ourselves: only smc can reach firmware. */
		return -1;
	if (strcmp(method, "smc"))
		return -1;
	use_hvc = false;
	present = true;
	return 0;
}

int psci_cpu_on(uint64_t hwid, uint64_t entry_pa, uint64_t context)
{
	if (!present)
		return -1;
	return (int)(int64_t)psci_call(PSCI_CPU_ON_64, hwid, entry_pa, context);
}

void psci_system_off(void)
{
	if (present)
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
