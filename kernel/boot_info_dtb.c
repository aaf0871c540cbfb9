// SPDX-License-Identifier: BSD-2-Clause
#include "boot_info_dtb.h"

#include <libfdt.h>
#include <string.h>

#include "boot_mem.h"
#include "dtb.h"
#include "kernel.h"

/* Adds every (base, size) of a node's reg with the given type. */
static int add_reg(struct boot_info *bi, const void *dtb, int node, int ac, int sc, uint32_t type)
{
	int len;
	const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);

	if (!reg)
		return 0;
	int stride = ac + sc;
	for (int i = 0; (i + 1) * stride * 4 <= len; i++) {
		uint64_t base = dtb_read_cells(reg + i * stride, ac);
		uint64_t size = dtb_read_cells(reg + i * stride + ac, sc);
		if (boot_mem_add(bi, base, size, type))
			return -1;
	}
	return 0;
}

static uint64_t prop_u64(const void *dtb, int node, const char *name, bool *found)
{
	int len;
	const fdt32_t *p = fdt_getprop(dtb, node, name, &len);

	*found = p && (len == 4 || len == 8);
	if (!*found)
		return 0;
	return dtb_read_cells(p, len / 4);
}

const char *boot_info_from_dtb(struct boot_info *bi, const void *dtb, uint64_t dtb_pa,
			       uint64_t kernel_pa, uint64_t kernel_size)
{
	if (fdt_check_header(dtb) != 0)
		return "the device tree's header is invalid";

	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->source = BOOT_SOURCE_DEVICE_TREE;
	bi->dtb_base = dtb_pa;
	bi->dtb_size = fdt_totalsize(dtb);
	bi->kernel_base = kernel_pa;
	bi->kernel_size = ALIGN_UP(kernel_size, 4096);

	int ac = fdt_address_cells(dtb, 0), sc = fdt_size_cells(dtb, 0);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return "the device tree's root #address-cells/#size-cells are unsupported";

	int node;
	fdt_for_each_subnode(node, dtb, 0) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);
		if (type && !strcmp(type, "memory") && add_reg(bi, dtb, node, ac, sc, BOOT_MEM_USABLE))
			return "too many memory ranges";
	}
	if (bi->mem_count == 0)
		return "the device tree describes no memory";

	for (int i = 0; i < fdt_num_mem_rsv(dtb); i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(dtb, i, &base, &size) == 0 &&
		    boot_mem_add(bi, base, size, BOOT_MEM_RESERVED))
			return "too many memory ranges";
	}
	int rsv = fdt_path_offset(dtb, "/reserved-memory");
	if (rsv >= 0) {
		int rac = fdt_address_cells(dtb, rsv), rsc = fdt_size_cells(dtb, rsv);
		/* Ignoring reserved memory we cannot read would hand it out. */
		if (rac < 1 || rac > 2 || rsc < 1 || rsc > 2)
			return "/reserved-memory has unsupported #address-cells/#size-cells";
		fdt_for_each_subnode(node, dtb, rsv) {
			if (add_reg(bi, dtb, node, rac, rsc, BOOT_MEM_RESERVED))
				return "too many memory ranges";
		}
	}

	if (boot_mem_add(bi, kernel_pa, bi->kernel_size, BOOT_MEM_KERNEL) ||
	    boot_mem_add(bi, ALIGN_DOWN(dtb_pa, 4096), ALIGN_UP(dtb_pa + bi->dtb_size, 4096) - ALIGN_DOWN(dtb_pa, 4096),
			 BOOT_MEM_BOOT_DATA))
		return "too many memory ranges";

	int chosen = fdt_path_offset(dtb, "/chosen");
	if (chosen >= 0) {
		int len;
		const char *args = fdt_getprop(dtb, chosen, "bootargs", &len);
		if (args && len > 0) {
			if ((size_t)len > sizeof(bi->cmdline) || args[len - 1] != '\0')
				return "the command line (/chosen/bootargs) is too long or not terminated";
			memcpy(bi->cmdline, args, len);
		}
		bool has_start, has_end;
		uint64_t start = prop_u64(dtb, chosen, "linux,initrd-start", &has_start);
		uint64_t end = prop_u64(dtb, chosen, "linux,initrd-end", &has_end);
		if (has_start && has_end && end > start) {
			if (start & 4095)
				return "the initrd (/chosen/linux,initrd-start) is not page-aligned";
			struct boot_module *m = &bi->modules[bi->module_count++];
			m->base = start;
			m->size = end - start;
			strcpy(m->name, "initrd");
			if (boot_mem_add(bi, ALIGN_DOWN(start, 4096), ALIGN_UP(end, 4096) - ALIGN_DOWN(start, 4096),
					 BOOT_MEM_MODULE))
				return "too many memory ranges";
		}
	}
	return NULL;
}
