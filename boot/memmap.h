/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Turns the firmware's memory map into boot_info.mem[]: typed for the
 * kernel, sorted, merged. Pure C (no firmware headers) so the host unit
 * tests can feed it synthetic maps; the EFI glue passes the raw map.
 */
#ifndef BOOT_MEMMAP_H
#define BOOT_MEMMAP_H

#include <boot/boot_info.h>
#include <stddef.h>
#include <stdint.h>

/* EFI memory types, as numbered by the UEFI specification. */
enum memmap_efi_type {
	MEMMAP_EFI_RESERVED = 0,
	MEMMAP_EFI_LOADER_CODE = 1,
	MEMMAP_EFI_LOADER_DATA = 2,
	MEMMAP_EFI_BOOT_SERVICES_CODE = 3,
	MEMMAP_EFI_BOOT_SERVICES_DATA = 4,
	MEMMAP_EFI_RUNTIME_SERVICES_CODE = 5,
	MEMMAP_EFI_RUNTIME_SERVICES_DATA = 6,
	MEMMAP_EFI_CONVENTIONAL = 7,
	MEMMAP_EFI_UNUSABLE = 8,
	MEMMAP_EFI_ACPI_RECLAIM = 9,
	MEMMAP_EFI_ACPI_NVS = 10,
	MEMMAP_EFI_MMIO = 11,
	MEMMAP_EFI_MMIO_PORT_SPACE = 12,
	MEMMAP_EFI_PAL_CODE = 13,
	MEMMAP_EFI_PERSISTENT = 14,
	MEMMAP_EFI_UNACCEPTED = 15,
};

/*
 * The loader allocates what it hands to the kernel with memory types from
 * the range UEFI leaves to the operating system (0x80000000 and up), so the
 * final map itself says which pages are the kernel, modules and boot data:
 * nothing has to be tracked across ExitBootServices.
 */
#define MEMMAP_EFI_OS_KERNEL (0x80000000u | BOOT_MEM_KERNEL)
#define MEMMAP_EFI_OS_MODULE (0x80000000u | BOOT_MEM_MODULE)
#define MEMMAP_EFI_OS_BOOT_DATA (0x80000000u | BOOT_MEM_BOOT_DATA)

#define MEMMAP_EFI_ATTR_SPECIAL_PURPOSE (1ull << 18)
#define MEMMAP_EFI_ATTR_RUNTIME (1ull << 63)

/* Size of the EFI_MEMORY_DESCRIPTOR fields the specification defines. */
#define MEMMAP_EFI_DESC_MIN_SIZE 40
#define MEMMAP_PAGE_SIZE 4096ull

/* One firmware descriptor, as memmap_import leaves it. */
struct memmap_desc {
	uint32_t efi_type;
	uint32_t boot_type; /* enum boot_mem_type, set by memmap_build */
	uint64_t base;
	uint64_t pages;
	uint64_t attribute;
};

enum memmap_status {
	MEMMAP_OK = 0,
	MEMMAP_ERR_DESC_SIZE,  /* descriptor size too small or map misaligned */
	MEMMAP_ERR_BAD_RANGE,  /* base not page-aligned, or range wraps */
	MEMMAP_ERR_OVERLAP,    /* two descriptors cover the same page */
	MEMMAP_ERR_TOO_MANY,   /* too many ranges even without usable ones */
};

struct memmap_result {
	uint32_t count;          /* entries written to out[] */
	uint32_t dropped_ranges; /* usable ranges left out to fit out[] */
	uint64_t dropped_bytes;  /* their size */
};

/*
 * Rewrites, in place, the firmware's map of map_size bytes made of
 * descriptors desc_size bytes apart as an array of struct memmap_desc, and
 * stores their number in *count. map must be 8-byte aligned. Does not
 * allocate: this runs between the last GetMemoryMap and ExitBootServices.
 */
__attribute__((warn_unused_result)) enum memmap_status
memmap_import(void *map, size_t map_size, size_t desc_size, size_t *count);

/* The boot_mem_type of one firmware descriptor. */
enum boot_mem_type memmap_boot_type(uint32_t efi_type, uint64_t attribute);

/*
 * Sorts descs (reordering them in place), types them, merges neighbours of
 * one type and writes at most out_max ranges to out. If there are more,
 * the smallest usable ranges are left out: that memory is lost to the
 * kernel but never misreported. Does not allocate.
 */
__attribute__((warn_unused_result)) enum memmap_status
memmap_build(struct memmap_desc *descs, size_t n, struct boot_mem_range *out, size_t out_max,
	     struct memmap_result *result);

const char *memmap_strerror(enum memmap_status status);

#endif
