/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot-information structure: the one thing the loader (boot/) and the
 * kernel share. The loader fills it and enters the kernel with its physical
 * address in x0; a kernel started directly (QEMU -kernel, x0 = device tree)
 * builds the same structure itself from the device tree, so everything after
 * entry is one code path. See docs/boot.md.
 *
 * All addresses are physical. The structure is self-contained (no pointers
 * out of it except to the device tree and the modules), so the kernel can
 * copy it before it has a map of memory.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_INFO_MAGIC 0x4f464e4956504143ull /* "CAPVINFO", little-endian */
#define BOOT_INFO_VERSION 1

#define BOOT_MEM_MAX 256
#define BOOT_MODULES_MAX 32
#define BOOT_MODULE_NAME_MAX 48
#define BOOT_CMDLINE_MAX 512

/* What a physical range is. Only BOOT_MEM_USABLE is free for the kernel. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,   /* firmware, runtime services, anything unknown */
	BOOT_MEM_KERNEL = 3,     /* the kernel image, including its bss */
	BOOT_MEM_MODULE = 4,     /* a boot module */
	BOOT_MEM_BOOT_DATA = 5,  /* this structure and the device-tree copy */
	BOOT_MEM_ACPI = 6,       /* ACPI tables (kept for later) */
};

struct boot_mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t type; /* enum boot_mem_type */
	uint32_t reserved;
};

struct boot_module {
	uint64_t base; /* page-aligned */
	uint64_t size; /* bytes of content; the module owns whole pages */
	char name[BOOT_MODULE_NAME_MAX]; /* NUL-terminated */
};

/* How the kernel was started. */
enum boot_source {
	BOOT_SOURCE_UEFI = 1,       /* by the GNU-EFI loader */
	BOOT_SOURCE_DEVICE_TREE = 2 /* directly, with a device tree in x0 */
};

struct boot_info {
	uint64_t magic;   /* BOOT_INFO_MAGIC */
	uint32_t version; /* BOOT_INFO_VERSION */
	uint32_t size;    /* sizeof(struct boot_info) as the loader knew it */
	uint32_t source;  /* enum boot_source */
	uint32_t mem_count;
	uint32_t module_count;
	uint32_t reserved0;
	uint64_t kernel_base; /* physical address the kernel image was loaded at */
	uint64_t kernel_size; /* bytes, including bss, rounded up to a page */
	uint64_t dtb_base;    /* 0 when the firmware offered no device tree */
	uint64_t dtb_size;
	uint64_t acpi_rsdp;   /* 0 when the firmware offered no ACPI */
	char cmdline[BOOT_CMDLINE_MAX]; /* NUL-terminated */
	struct boot_mem_range mem[BOOT_MEM_MAX]; /* sorted by base, not overlapping */
	struct boot_module modules[BOOT_MODULES_MAX];
};

_Static_assert(sizeof(struct boot_mem_range) == 24, "boot_mem_range layout");
_Static_assert(sizeof(struct boot_module) == 64, "boot_module layout");
_Static_assert(offsetof(struct boot_info, kernel_base) == 32, "boot_info layout");
_Static_assert(offsetof(struct boot_info, cmdline) == 72, "boot_info layout");
_Static_assert(offsetof(struct boot_info, mem) == 72 + BOOT_CMDLINE_MAX, "boot_info layout");
_Static_assert(sizeof(struct boot_info) ==
		       72 + BOOT_CMDLINE_MAX + 24 * BOOT_MEM_MAX + 64 * BOOT_MODULES_MAX,
	       "boot_info layout");

#endif
