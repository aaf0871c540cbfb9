/* SPDX-License-Identifier: BSD-2-Clause */
/* Building a boot memory map: typed ranges, sorted and never overlapping. */
#ifndef KERNEL_BOOT_MEM_H
#define KERNEL_BOOT_MEM_H

#include <boot/boot_info.h>

/*
 * Adds [base, base+size) with the given type. Where it overlaps ranges
 * already present, the new range wins over BOOT_MEM_USABLE and loses to
 * every other type (so reserved memory can only grow). Adjacent ranges of
 * one type merge. Returns 0, or -1 if the map would exceed BOOT_MEM_MAX
 * (the map is then unchanged) or the range wraps around.
 */
int boot_mem_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type);

#endif
