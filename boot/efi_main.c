// SPDX-License-Identifier: BSD-2-Clause
// The loader's entry point: the steps in order. The protocol it implements
// is in docs/boot.md.
#include "loader.h"
#include "memmap.h"

/* Static: the manifest alone is ten kilobytes, too much for the stack. */
static struct loader loader_state;

void loader_add_range(struct loader *ld, uint64_t base, uint64_t size)
{
	/* LOADER_RANGES_MAX counts every range the steps can add. */
	if (ld->range_count < LOADER_RANGES_MAX)
		ld->ranges[ld->range_count++] = (struct boot_arch_range){base, size};
}

static EFI_STATUS alloc_boot_info(struct loader *ld)
{
	struct boot_info *info;
	UINT64 base;
	EFI_STATUS status;

	status = loader_alloc_pages(MEMMAP_EFI_OS_BOOT_DATA, sizeof(*info), LOADER_PAGE_SIZE, &base);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot allocate the boot information: %r\n", status);
		return status;
	}
	info = (struct boot_info *)(UINTN)base;
	ZeroMem(info, sizeof(*info));
	info->magic = BOOT_INFO_MAGIC;
	info->version = BOOT_INFO_VERSION;
	info->size = sizeof(*info);
	info->source = BOOT_SOURCE_UEFI;
	_Static_assert(sizeof(info->cmdline) == sizeof(ld->manifest.cmdline), "cmdline sizes");
	CopyMem(info->cmdline, ld->manifest.cmdline, sizeof(info->cmdline));
	ld->info = info;
	loader_add_range(ld, base, sizeof(*info));
	return EFI_SUCCESS;
}

static EFI_STATUS loader_run(struct loader *ld)
{
	EFI_STATUS status;

	status = loader_find_manifest(ld);
	if (!EFI_ERROR(status))
		status = loader_read_manifest(ld);
	if (!EFI_ERROR(status))
		status = alloc_boot_info(ld);
	if (!EFI_ERROR(status) && ld->info->cmdline[0] != '\0')
		loader_print(L"command line: %a\n", ld->info->cmdline);
	if (!EFI_ERROR(status))
		status = loader_load_kernel(ld);
	if (!EFI_ERROR(status))
		status = loader_load_modules(ld);
	if (!EFI_ERROR(status))
		status = loader_find_tables(ld);
	if (!EFI_ERROR(status))
		status = loader_exit_and_enter(ld);
	return status;
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	const char *unsupported;
	EFI_STATUS status;

	InitializeLib(image, systab);
	unsupported = boot_arch_check();
	if (unsupported != NULL) {
		Print(L"%a\n", unsupported);
		loader_print(L"returning to firmware (%r)\n", EFI_UNSUPPORTED);
		return EFI_UNSUPPORTED;
	}
	loader_state.image = image;
	status = loader_run(&loader_state);
	/* Only failures come back here: give everything back. */
	loader_free_all();
	loader_file_close(loader_state.root);
	loader_state.root = NULL;
	loader_print(L"returning to firmware (%r)\n", status);
	return status;
}
