// SPDX-License-Identifier: BSD-2-Clause
// The firmware's description of the machine: the device tree, copied into
// memory of our own (the firmware's copy is boot-services data, which the
// kernel may reuse), and the ACPI RSDP, recorded where it is.
#include "loader.h"
#include "memmap.h"

static EFI_GUID device_tree_guid = {
	0xb1b621d5, 0xf19c, 0x41a5, {0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0}};
static EFI_GUID acpi_20_guid = {
	0x8868e871, 0xe4f1, 0x11d3, {0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81}};

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40u

static void *find_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid) == 0)
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

static UINT32 read_be32(const UINT8 *p)
{
	return (UINT32)p[0] << 24 | (UINT32)p[1] << 16 | (UINT32)p[2] << 8 | p[3];
}

static EFI_STATUS copy_device_tree(struct loader *ld)
{
	const UINT8 *fdt = find_table(&device_tree_guid);
	UINT32 size;
	UINT64 base;
	EFI_STATUS status;

	if (fdt == NULL) {
		loader_print(L"the firmware offers no device tree\n");
		return EFI_SUCCESS;
	}
	size = read_be32(fdt + 4);
	/* The kernel checks the tree itself; a bad header is its to report. */
	if (read_be32(fdt) != FDT_MAGIC || size < FDT_HEADER_SIZE || size > LOADER_DTB_MAX) {
		loader_print(L"device tree at 0x%lx has a bad header; not passing it on\n",
			     (UINT64)(UINTN)fdt);
		return EFI_SUCCESS;
	}
	status = loader_alloc_pages(MEMMAP_EFI_OS_BOOT_DATA, size, LOADER_PAGE_SIZE, &base);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot allocate %d KiB for the device tree: %r\n", size >> 10, status);
		return status;
	}
	CopyMem((void *)(UINTN)base, fdt, size);
	ld->info->dtb_base = base;
	ld->info->dtb_size = size;
	loader_add_range(ld, base, size);
	loader_print(L"device tree (%d bytes) copied to 0x%lx\n", size, base);
	return EFI_SUCCESS;
}

EFI_STATUS loader_find_tables(struct loader *ld)
{
	void *rsdp = find_table(&acpi_20_guid);

	if (rsdp != NULL) {
		ld->info->acpi_rsdp = (UINT64)(UINTN)rsdp;
		loader_print(L"ACPI RSDP at 0x%lx\n", ld->info->acpi_rsdp);
	}
	return copy_device_tree(ld);
}
