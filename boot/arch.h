/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the loader needs from one instruction set; boot/$(ARCH)/ implements
 * it. No firmware types, so the loader's flow reads the same on each.
 */
#ifndef BOOT_ARCH_H
#define BOOT_ARCH_H

#include <stdint.h>

/* A physical range the loader wrote and the kernel reads. */
struct boot_arch_range {
	uint64_t base;
	uint64_t size;
};

/* NULL when this CPU can run capvisor, else the line to tell the user. */
const char *boot_arch_check(void);

/* The ELF e_machine the kernel must have. */
uint16_t boot_arch_elf_machine(void);

/*
 * Enters the kernel at physical address entry with the boot-information
 * structure's physical address, in the state docs/boot.md describes. The
 * ranges are made visible to a kernel running with caches off. Runs after
 * ExitBootServices, from identity-mapped memory; never returns.
 */
__attribute__((noreturn)) void boot_arch_enter(uint64_t entry, uint64_t boot_info,
					       const struct boot_arch_range *ranges,
					       uint64_t count);

#endif
