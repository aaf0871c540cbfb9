/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's physical memory: one frame allocator over all usable RAM. */
#ifndef KERNEL_MEMORY_H
#define KERNEL_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct boot_info;

int memory_init(const struct boot_info *bi) __must_check;
int memory_alloc_frames(size_t count, uint64_t align, uint64_t *pa) __must_check;
int memory_free_frames(uint64_t pa, size_t count) __must_check;
uint64_t memory_free_frame_count(void);
uint64_t memory_total_frame_count(void);

#endif
