// SPDX-License-Identifier: BSD-2-Clause
// Loads each boot module into its own page-aligned allocation; the kernel
// hands them to the root task as they are, so nothing here looks inside.
#include "loader.h"
#include "memmap.h"

static EFI_STATUS load_module(struct loader *ld, const struct manifest_module *m)
{
	struct boot_module *out = &ld->info->modules[ld->info->module_count];
	EFI_FILE_HANDLE file;
	UINT64 size, base;
	EFI_STATUS status;

	status = loader_file_open(ld->root, m->path, &file, &size);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot open module %a (%a): %r\n", m->name, m->path, status);
		return status;
	}
	status = loader_alloc_pages(MEMMAP_EFI_OS_MODULE, size, LOADER_PAGE_SIZE, &base);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot allocate %ld KiB for module %a: %r\n", size >> 10, m->name,
			     status);
		loader_file_close(file);
		return status;
	}
	status = loader_file_read(file, (void *)(UINTN)base, size);
	loader_file_close(file);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot read module %a (%a): %r\n", m->name, m->path, status);
		return status;
	}
	out->base = base;
	out->size = size;
	/* Both arrays are BOOT_MODULE_NAME_MAX long and NUL-terminated. */
	CopyMem(out->name, m->name, sizeof(out->name));
	ld->info->module_count++;
	loader_add_range(ld, base, size);
	loader_print(L"module %a %a (%ld KiB) at 0x%lx\n", m->name, m->path, (size + 1023) >> 10,
		     base);
	return EFI_SUCCESS;
}

EFI_STATUS loader_load_modules(struct loader *ld)
{
	for (unsigned i = 0; i < ld->manifest.module_count; i++) {
		EFI_STATUS status = load_module(ld, &ld->manifest.modules[i]);
		if (EFI_ERROR(status))
			return status;
	}
	return EFI_SUCCESS;
}
