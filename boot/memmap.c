// SPDX-License-Identifier: BSD-2-Clause
// Firmware memory map to boot_info.mem[]; see memmap.h for the contract.
#include "memmap.h"

#include <stdbool.h>

_Static_assert(sizeof(struct memmap_desc) <= MEMMAP_EFI_DESC_MIN_SIZE,
	       "memmap_import rewrites descriptors in place, so ours must not be larger");

enum memmap_status memmap_import(void *map, size_t map_size, size_t desc_size, size_t *count)
{
	unsigned char *raw = map;
	struct memmap_desc *out = map;
	size_t n;

	*count = 0;
	if (desc_size < MEMMAP_EFI_DESC_MIN_SIZE || (uintptr_t)map % 8 != 0)
		return MEMMAP_ERR_DESC_SIZE;
	n = map_size / desc_size;
	/*
	 * Entry i is written at or before where entry i was read and ends
	 * before entry i + 1 starts, so no unread descriptor is overwritten.
	 */
	for (size_t i = 0; i < n; i++) {
		const unsigned char *src = raw + i * desc_size;
		struct memmap_desc d = {0};

		__builtin_memcpy(&d.efi_type, src, 4);
		__builtin_memcpy(&d.base, src + 8, 8);
		__builtin_memcpy(&d.pages, src + 24, 8);
		__builtin_memcpy(&d.attribute, src + 32, 8);
		out[i] = d;
	}
	*count = n;
	return MEMMAP_OK;
}

enum boot_mem_type memmap_boot_type(uint32_t efi_type, uint64_t attribute)
{
	/* Whatever the firmware still needs at run time stays out of reach. */
	if (attribute & MEMMAP_EFI_ATTR_RUNTIME)
		return BOOT_MEM_RESERVED;
	switch (efi_type) {
	case MEMMAP_EFI_CONVENTIONAL:
		/* Special-purpose memory is for the platform owner to hand out. */
		if (attribute & MEMMAP_EFI_ATTR_SPECIAL_PURPOSE)
			return BOOT_MEM_RESERVED;
		return BOOT_MEM_USABLE;
	case MEMMAP_EFI_LOADER_CODE:
	case MEMMAP_EFI_LOADER_DATA:
	case MEMMAP_EFI_BOOT_SERVICES_CODE:
	case MEMMAP_EFI_BOOT_SERVICES_DATA:
		return BOOT_MEM_USABLE;
	case MEMMAP_EFI_ACPI_RECLAIM:
	case MEMMAP_EFI_ACPI_NVS:
		return BOOT_MEM_ACPI;
	case MEMMAP_EFI_OS_KERNEL:
		return BOOT_MEM_KERNEL;
	case MEMMAP_EFI_OS_MODULE:
		return BOOT_MEM_MODULE;
	case MEMMAP_EFI_OS_BOOT_DATA:
		return BOOT_MEM_BOOT_DATA;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/* Insertion sort: maps have a few hundred entries at most, mostly sorted. */
static void sort_by_base(struct memmap_desc *d, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct memmap_desc key = d[i];
		size_t j = i;

		for (; j > 0 && d[j - 1].base > key.base; j--)
			d[j] = d[j - 1];
		d[j] = key;
	}
}

/*
 * Types and merges sorted descriptors in place (d[0..*merged) become the
 * merged ranges, .pages their length). Empty descriptors vanish.
 */
static enum memmap_status merge(struct memmap_desc *d, size_t n, size_t *merged)
{
	size_t m = 0;
	uint64_t prev_end = 0;

	for (size_t i = 0; i < n; i++) {
		struct memmap_desc cur = d[i];
		uint64_t end;

		if (cur.pages == 0)
			continue;
		/* base + size must not wrap, not even to exactly 0: the kernel
		 * computes range ends. */
		if (cur.base % MEMMAP_PAGE_SIZE != 0 ||
		    cur.pages > (UINT64_MAX - cur.base) / MEMMAP_PAGE_SIZE)
			return MEMMAP_ERR_BAD_RANGE;
		end = cur.base + cur.pages * MEMMAP_PAGE_SIZE;
		if (m > 0 && cur.base < prev_end)
			return MEMMAP_ERR_OVERLAP;
		cur.boot_type = memmap_boot_type(cur.efi_type, cur.attribute);
		if (m > 0 && cur.base == prev_end && d[m - 1].boot_type == cur.boot_type)
			d[m - 1].pages += cur.pages;
		else
			d[m++] = cur;
		prev_end = end;
	}
	*merged = m;
	return MEMMAP_OK;
}

/* Marks the smallest usable range as dropped (boot_type 0); false if none. */
static bool drop_smallest_usable(struct memmap_desc *d, size_t m, struct memmap_result *result)
{
	size_t best = m;

	for (size_t i = 0; i < m; i++)
		if (d[i].boot_type == BOOT_MEM_USABLE && (best == m || d[i].pages < d[best].pages))
			best = i;
	if (best == m)
		return false;
	d[best].boot_type = 0;
	result->dropped_ranges++;
	result->dropped_bytes += d[best].pages * MEMMAP_PAGE_SIZE;
	return true;
}

enum memmap_status memmap_build(struct memmap_desc *descs, size_t n, struct boot_mem_range *out,
				size_t out_max, struct memmap_result *result)
{
	size_t m, kept;
	enum memmap_status st;

	*result = (struct memmap_result){0};
	sort_by_base(descs, n);
	st = merge(descs, n, &m);
	if (st != MEMMAP_OK)
		return st;
	for (kept = m; kept > out_max; kept--)
		if (!drop_smallest_usable(descs, m, result))
			return MEMMAP_ERR_TOO_MANY;
	for (size_t i = 0; i < m; i++) {
		if (descs[i].boot_type == 0)
			continue;
		out[result->count++] = (struct boot_mem_range){
			.base = descs[i].base,
			.size = descs[i].pages * MEMMAP_PAGE_SIZE,
			.type = descs[i].boot_type,
		};
	}
	return MEMMAP_OK;
}

const char *memmap_strerror(enum memmap_status status)
{
	switch (status) {
	case MEMMAP_OK: return "no error";
	case MEMMAP_ERR_DESC_SIZE: return "memory map descriptors too small or misaligned";
	case MEMMAP_ERR_BAD_RANGE: return "memory map range unaligned or wrapping";
	case MEMMAP_ERR_OVERLAP: return "memory map ranges overlap";
	case MEMMAP_ERR_TOO_MANY: return "memory map has too many reserved ranges";
	}
	return "unknown error";
}
