// SPDX-License-Identifier: BSD-2-Clause
// Small device-tree queries the arm64 drivers share, on top of libfdt.
#include <libfdt.h>

#include "arm64_private.h"
#include "dtb.h"

/* The index-th (base, size) pair of a node's "reg", using its parent's
 * #address-cells/#size-cells. Returns 0, or -1 if absent or malformed. */
int dtb_reg(const void *dtb, int node, int index, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(dtb, node);
	if (parent < 0)
		return -1;
	int ac = fdt_address_cells(dtb, parent);
	int sc = fdt_size_cells(dtb, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	int len;
	const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
	int stride = (ac + sc) * 4;
	if (!reg || index < 0 || len < (index + 1) * stride)
		return -1;
	reg += index * (ac + sc);
	*base = dtb_read_cells(reg, ac);
	*size = sc ? dtb_read_cells(reg + ac, sc) : 0;
	return 0;
}

/* First enabled node compatible with any of the NULL-terminated list. */
int dtb_find_compatible(const void *dtb, const char *const *compatibles)
{
	for (int i = 0; compatibles[i]; i++) {
		int node = -1;
		while ((node = fdt_node_offset_by_compatible(dtb, node, compatibles[i])) >= 0) {
			const char *status = fdt_getprop(dtb, node, "status", NULL);
			if (!status || !strcmp(status, "okay") || !strcmp(status, "ok"))
				return node;
		}
	}
	return -1;
}
