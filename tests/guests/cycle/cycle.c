// SPDX-License-Identifier: BSD-2-Clause
// The shortest useful life of a VM, for create/run/destroy cycles: vCPU 0
// starts vCPU 1 (if the VM has one), which spins on another CPU, and then
// powers the VM off without a word, so the monitor destroys it while
// vCPU 1 still runs. Prints only if something fails.
#include "guest.h"
#include "psci.h"

static volatile bool spinning;

static void spin(unsigned int cpu, uint64_t context)
{
	(void)cpu;
	(void)context;
	spinning = true;
	for (;;)
		__asm__ volatile("" ::: "memory");
}

void guest_main(void)
{
	int64_t r = smp_start_secondary(1, spin);

	/* -2: the VM has no vCPU 1. */
	if (r == 0) {
		while (!spinning)
			;
	} else if (r != -2) {
		printf("FAIL cycle_cpu_on: CPU_ON returned %ld\n", r);
	}
	psci_system_off();
}
