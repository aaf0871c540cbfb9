// SPDX-License-Identifier: BSD-2-Clause
// Page allocations for what the loader hands to the kernel. Each one is
// remembered so that an error path can give everything back before
// returning to the firmware.
#include "loader.h"

#define LOADER_ALLOCS_MAX LOADER_RANGES_MAX

static struct {
	UINT64 base;
	UINTN pages;
} allocs[LOADER_ALLOCS_MAX];
static unsigned alloc_count;

/*
 * AllocatePages cannot ask for an alignment, so take align - 1 pages more
 * than needed and give back what lies outside the aligned part.
 */
EFI_STATUS loader_alloc_pages(UINT32 efi_type, UINT64 bytes, UINT64 align, UINT64 *base)
{
	UINT64 pages, extra, head, aligned;
	EFI_PHYSICAL_ADDRESS raw = 0;
	EFI_STATUS status;

	*base = 0;
	if (alloc_count == LOADER_ALLOCS_MAX || bytes > (1ull << 48) || align > (1ull << 30) ||
	    (align & (align - 1)) != 0)
		return EFI_INVALID_PARAMETER;
	pages = bytes == 0 ? 1 : (bytes + LOADER_PAGE_SIZE - 1) / LOADER_PAGE_SIZE;
	extra = align > LOADER_PAGE_SIZE ? align / LOADER_PAGE_SIZE - 1 : 0;
	status = BS->AllocatePages(AllocateAnyPages, (EFI_MEMORY_TYPE)efi_type, pages + extra, &raw);
	if (EFI_ERROR(status))
		return status;
	aligned = (raw + align - 1) & ~(align - 1);
	head = (aligned - raw) / LOADER_PAGE_SIZE;
	if (head > 0)
		BS->FreePages(raw, head);
	if (extra - head > 0)
		BS->FreePages(aligned + pages * LOADER_PAGE_SIZE, extra - head);
	allocs[alloc_count].base = aligned;
	allocs[alloc_count].pages = pages;
	alloc_count++;
	*base = aligned;
	return EFI_SUCCESS;
}

void loader_free_all(void)
{
	while (alloc_count > 0) {
		alloc_count--;
		BS->FreePages(allocs[alloc_count].base, allocs[alloc_count].pages);
	}
}
