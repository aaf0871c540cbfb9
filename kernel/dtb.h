/* SPDX-License-Identifier: BSD-2-Clause */
/* Device-tree helpers shared by the kernel and the architecture code. */
#ifndef KERNEL_DTB_H
#define KERNEL_DTB_H

#include <libfdt.h>
#include <stdint.h>

/* A number of `cells` 32-bit big-endian cells (1 or 2 in practice). */
static inline uint64_t dtb_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

#endif
