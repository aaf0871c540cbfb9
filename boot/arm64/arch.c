// SPDX-License-Identifier: BSD-2-Clause
// arm64 side of the loader: capvisor runs at EL2, so the firmware must
// have started us there.
#include "arch.h"
#include "elf/elf_check.h"

#include <stddef.h>

const char *boot_arch_check(void)
{
	uint64_t current_el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(current_el));
	if (((current_el >> 2) & 3) != 2)
		return "capvisor needs a CPU with EL2 enabled; for QEMU use -M virt,virtualization=on";
	return NULL;
}

uint16_t boot_arch_elf_machine(void)
{
	return ELF_MACHINE_AARCH64;
}
