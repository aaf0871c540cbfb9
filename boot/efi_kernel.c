// SPDX-License-Identifier: BSD-2-Clause
// Loads the kernel ELF: the whole file is read and checked (elf_check.c)
// before any of it is placed, then its segments are copied into one
// 2 MiB-aligned physical region, so the kernel can map itself with blocks.
#include "loader.h"
#include "elf/elf_check.h"
#include "memmap.h"

/* Copies the checked segments into [base, base + plan->span). */
static void place_segments(UINT64 base, const UINT8 *file, const struct elf_load_plan *plan)
{
	UINT8 *image = (UINT8 *)(UINTN)base;

	/* Gaps between segments are zero too, not left-over firmware data. */
	ZeroMem(image, plan->span);
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_load_segment *s = &plan->segments[i];
		CopyMem(image + s->image_offset, file + s->file_offset, s->file_size);
	}
}

static EFI_STATUS read_whole_file(struct loader *ld, const char *path, void **buf, UINT64 *size)
{
	EFI_FILE_HANDLE file;
	EFI_STATUS status;

	*buf = NULL;
	status = loader_file_open(ld->root, path, &file, size);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot open kernel %a: %r\n", path, status);
		return status;
	}
	if (*size > LOADER_KERNEL_FILE_MAX) {
		loader_print(L"kernel %a is %ld MiB, more than %ld MiB\n", path, *size >> 20,
			     LOADER_KERNEL_FILE_MAX >> 20);
		loader_file_close(file);
		return EFI_LOAD_ERROR;
	}
	*buf = AllocatePool(*size + 1);
	if (*buf == NULL) {
		loader_print(L"out of memory reading kernel %a (%ld KiB)\n", path, *size >> 10);
		loader_file_close(file);
		return EFI_OUT_OF_RESOURCES;
	}
	status = loader_file_read(file, *buf, *size);
	loader_file_close(file);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot read kernel %a: %r\n", path, status);
		FreePool(*buf);
		*buf = NULL;
	}
	return status;
}

EFI_STATUS loader_load_kernel(struct loader *ld)
{
	const char *path = ld->manifest.kernel;
	struct elf_load_plan plan;
	enum elf_check_status checked;
	UINT64 size, base;
	void *file;
	EFI_STATUS status;

	status = read_whole_file(ld, path, &file, &size);
	if (EFI_ERROR(status))
		return status;
	checked = elf_check(file, size, boot_arch_elf_machine(), LOADER_KERNEL_SPAN_MAX, &plan);
	if (checked != ELF_CHECK_OK) {
		loader_print(L"kernel %a is not a valid kernel: %a\n", path,
			     elf_check_strerror(checked));
		FreePool(file);
		return EFI_LOAD_ERROR;
	}
	status = loader_alloc_pages(MEMMAP_EFI_OS_KERNEL, plan.span, LOADER_KERNEL_ALIGN, &base);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot allocate %ld KiB for kernel %a: %r\n", plan.span >> 10, path,
			     status);
		FreePool(file);
		return status;
	}
	place_segments(base, file, &plan);
	FreePool(file);
	ld->info->kernel_base = base;
	ld->info->kernel_size = plan.span;
	ld->kernel_entry = base + plan.entry_offset;
	loader_add_range(ld, base, plan.span);
	loader_print(L"kernel %a (%ld KiB) at 0x%lx, entry 0x%lx\n", path, plan.span >> 10, base,
		     ld->kernel_entry);
	return EFI_SUCCESS;
}
