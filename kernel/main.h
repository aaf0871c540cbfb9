/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

struct boot_info;

/* The boot CPU's path after the architecture's entry; never returns. */
__attribute__((noreturn)) void kernel_main(const struct boot_info *bi);
/* A secondary CPU's path once it runs on the kernel's page tables. */
__attribute__((noreturn)) void kernel_main_secondary(unsigned cpu_index);

extern const struct boot_info *kernel_boot_info;

#endif
