/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GNU-EFI loader's shared state and the steps efi_main() runs in order.
 * Every step either succeeds or prints why it failed (prefix
 * "capvisor loader: ") and returns an error status; efi_main() then frees
 * what was allocated and returns to the firmware.
 */
#ifndef BOOT_LOADER_H
#define BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>

#include <boot/boot_info.h>

#include "arch.h"
#include "manifest.h"

/* Prints one line on the firmware console; fmt must be a L"" literal. */
#define loader_print(...) Print(L"capvisor loader: " __VA_ARGS__)

#define LOADER_MANIFEST_PATH "\\capvisor\\boot.cfg"
#define LOADER_MANIFEST_MAX (64u * 1024)        /* bytes */
#define LOADER_KERNEL_FILE_MAX (256ull << 20)  /* the ELF file, debug info included */
#define LOADER_KERNEL_SPAN_MAX (64ull << 20)   /* what it occupies in memory */
#define LOADER_KERNEL_ALIGN (2ull << 20)       /* block-mappable */
#define LOADER_DTB_MAX (2ull << 20)
#define LOADER_PAGE_SIZE 4096ull

/* Kernel, each module, boot_info, device tree. */
#define LOADER_RANGES_MAX (BOOT_MODULES_MAX + 3)

struct loader {
	EFI_HANDLE image;
	EFI_FILE_HANDLE root; /* the volume the manifest is on */
	struct manifest manifest;
	struct boot_info *info;
	uint64_t kernel_entry; /* physical */
	unsigned range_count;
	struct boot_arch_range ranges[LOADER_RANGES_MAX];
};

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* efi_alloc.c: page allocations, tracked so an error path can free them. */
EFI_STATUS loader_alloc_pages(UINT32 efi_type, UINT64 bytes, UINT64 align, UINT64 *base);
void loader_free_all(void);

/* efi_file.c */
EFI_STATUS loader_find_manifest(struct loader *ld);
EFI_STATUS loader_file_open(EFI_FILE_HANDLE root, const char *path, EFI_FILE_HANDLE *file,
			    UINT64 *size);
EFI_STATUS loader_file_read(EFI_FILE_HANDLE file, void *buf, UINT64 size);
void loader_file_close(EFI_FILE_HANDLE file);

/* efi_manifest.c */
EFI_STATUS loader_read_manifest(struct loader *ld);

/* efi_kernel.c */
EFI_STATUS loader_load_kernel(struct loader *ld);

/* efi_modules.c */
EFI_STATUS loader_load_modules(struct loader *ld);

/* efi_tables.c */
EFI_STATUS loader_find_tables(struct loader *ld);

/* efi_exit.c: returns only on failure. */
EFI_STATUS loader_exit_and_enter(struct loader *ld);

/* Records a range the kernel will read, to be cleaned before entry. */
void loader_add_range(struct loader *ld, uint64_t base, uint64_t size);

#endif
