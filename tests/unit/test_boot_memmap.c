// SPDX-License-Identifier: BSD-2-Clause
// The loader's memory-map conversion (boot/memmap.c): typing, sorting,
// merging, the raw firmware layout, and what happens when the map does not
// fit boot_info.mem[].
#include "unit.h"

#include <string.h>

#include "memmap.h"

#define MiB (1ull << 20)
#define PAGES(bytes) ((bytes) / MEMMAP_PAGE_SIZE)

static struct boot_mem_range out[BOOT_MEM_MAX];
static struct memmap_result res;

static struct memmap_desc desc(uint32_t type, uint64_t base, uint64_t bytes)
{
	return (struct memmap_desc){.efi_type = type, .base = base, .pages = PAGES(bytes)};
}

static void check_range(unsigned i, uint64_t base, uint64_t size, uint32_t type)
{
	CHECK_EQ(out[i].base, base);
	CHECK_EQ(out[i].size, size);
	CHECK_EQ(out[i].type, type);
}

UNIT_TEST(memmap_types)
{
	static const struct {
		uint32_t efi;
		uint32_t boot;
	} cases[] = {
		{MEMMAP_EFI_RESERVED, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_LOADER_CODE, BOOT_MEM_USABLE},
		{MEMMAP_EFI_LOADER_DATA, BOOT_MEM_USABLE},
		{MEMMAP_EFI_BOOT_SERVICES_CODE, BOOT_MEM_USABLE},
		{MEMMAP_EFI_BOOT_SERVICES_DATA, BOOT_MEM_USABLE},
		{MEMMAP_EFI_RUNTIME_SERVICES_CODE, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_RUNTIME_SERVICES_DATA, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_CONVENTIONAL, BOOT_MEM_USABLE},
		{MEMMAP_EFI_UNUSABLE, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_ACPI_RECLAIM, BOOT_MEM_ACPI},
		{MEMMAP_EFI_ACPI_NVS, BOOT_MEM_ACPI},
		{MEMMAP_EFI_MMIO, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_MMIO_PORT_SPACE, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_PAL_CODE, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_PERSISTENT, BOOT_MEM_RESERVED},
		{MEMMAP_EFI_UNACCEPTED, BOOT_MEM_RESERVED},
		{16, BOOT_MEM_RESERVED},
		{0x70000000u, BOOT_MEM_RESERVED}, /* OEM */
		{0x80000001u, BOOT_MEM_RESERVED}, /* another OS loader's type */
		{MEMMAP_EFI_OS_KERNEL, BOOT_MEM_KERNEL},
		{MEMMAP_EFI_OS_MODULE, BOOT_MEM_MODULE},
		{MEMMAP_EFI_OS_BOOT_DATA, BOOT_MEM_BOOT_DATA},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ(memmap_boot_type(cases[i].efi, 0), cases[i].boot);
	CHECK_EQ(memmap_boot_type(MEMMAP_EFI_CONVENTIONAL, MEMMAP_EFI_ATTR_SPECIAL_PURPOSE),
		 BOOT_MEM_RESERVED);
	CHECK_EQ(memmap_boot_type(MEMMAP_EFI_BOOT_SERVICES_DATA, MEMMAP_EFI_ATTR_RUNTIME),
		 BOOT_MEM_RESERVED);
	CHECK_EQ(memmap_boot_type(MEMMAP_EFI_OS_KERNEL, MEMMAP_EFI_ATTR_RUNTIME), BOOT_MEM_RESERVED);
	CHECK_EQ(memmap_boot_type(MEMMAP_EFI_CONVENTIONAL, 0xf), BOOT_MEM_USABLE); /* cache attrs */
}

UNIT_TEST(memmap_sorts_merges_and_types_loader_allocations)
{
	/* Shuffled, as firmware may hand it over; the loader's pieces inside RAM. */
	struct memmap_desc d[] = {
		desc(MEMMAP_EFI_CONVENTIONAL, 0x40000000, 16 * MiB),
		desc(MEMMAP_EFI_OS_KERNEL, 0x42000000, 2 * MiB),
		desc(MEMMAP_EFI_BOOT_SERVICES_DATA, 0x41000000, 16 * MiB),
		desc(MEMMAP_EFI_MMIO, 0x04000000, 64 * MiB),
		desc(MEMMAP_EFI_OS_MODULE, 0x42200000, 0x3000),
		desc(MEMMAP_EFI_OS_MODULE, 0x42203000, 0x1000),
		desc(MEMMAP_EFI_OS_BOOT_DATA, 0x42204000, 0x3000),
		desc(MEMMAP_EFI_LOADER_CODE, 0x42207000, 0x9000),
		desc(MEMMAP_EFI_CONVENTIONAL, 0x42210000, 0x1000),
		desc(MEMMAP_EFI_RUNTIME_SERVICES_DATA, 0x42211000, 0x2000),
		desc(MEMMAP_EFI_CONVENTIONAL, 0x42213000, 0x1000),
		desc(MEMMAP_EFI_ACPI_RECLAIM, 0x42214000, 0x1000),
		desc(MEMMAP_EFI_ACPI_NVS, 0x42215000, 0x1000),
		desc(MEMMAP_EFI_CONVENTIONAL, 0x42300000, 0x1000), /* after a hole */
		desc(MEMMAP_EFI_CONVENTIONAL, 0x50000000, 0), /* empty: vanishes */
	};

	CHECK_EQ(memmap_build(d, sizeof(d) / sizeof(d[0]), out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, 10);
	CHECK_EQ(res.dropped_ranges, 0);
	check_range(0, 0x04000000, 64 * MiB, BOOT_MEM_RESERVED);
	check_range(1, 0x40000000, 32 * MiB, BOOT_MEM_USABLE);
	check_range(2, 0x42000000, 2 * MiB, BOOT_MEM_KERNEL);
	check_range(3, 0x42200000, 0x4000, BOOT_MEM_MODULE);
	check_range(4, 0x42204000, 0x3000, BOOT_MEM_BOOT_DATA);
	check_range(5, 0x42207000, 0xa000, BOOT_MEM_USABLE);
	check_range(6, 0x42211000, 0x2000, BOOT_MEM_RESERVED);
	check_range(7, 0x42213000, 0x1000, BOOT_MEM_USABLE);
	check_range(8, 0x42214000, 0x2000, BOOT_MEM_ACPI);
	check_range(9, 0x42300000, 0x1000, BOOT_MEM_USABLE);
}

UNIT_TEST(memmap_rejects_bad_ranges)
{
	struct memmap_desc overlap[] = {
		desc(MEMMAP_EFI_CONVENTIONAL, 0x40000000, 0x2000),
		desc(MEMMAP_EFI_OS_KERNEL, 0x40001000, 0x2000),
	};
	struct memmap_desc unaligned[] = {desc(MEMMAP_EFI_CONVENTIONAL, 0x40000800, 0x1000)};
	struct memmap_desc wraps[] = {
		{.efi_type = MEMMAP_EFI_CONVENTIONAL, .base = 0xfffffffffffff000ull, .pages = 2},
	};
	struct memmap_desc huge[] = {
		{.efi_type = MEMMAP_EFI_CONVENTIONAL, .base = 0x1000, .pages = UINT64_MAX / 2},
	};
	struct memmap_desc top[] = {
		{.efi_type = MEMMAP_EFI_CONVENTIONAL, .base = 0xfffffffffffff000ull, .pages = 1},
	};

	CHECK_EQ(memmap_build(overlap, 2, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_OVERLAP);
	CHECK_EQ(memmap_build(unaligned, 1, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_BAD_RANGE);
	CHECK_EQ(memmap_build(wraps, 1, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_BAD_RANGE);
	CHECK_EQ(memmap_build(huge, 1, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_BAD_RANGE);
	/*
	 * The last page of the address space too: its end, base + size, would
	 * be 0, and the kernel must be able to compute ends without wrapping.
	 */
	CHECK_EQ(memmap_build(top, 1, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_BAD_RANGE);
	top[0].base -= MEMMAP_PAGE_SIZE;
	CHECK_EQ(memmap_build(top, 1, out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, 1);
	CHECK(strlen(memmap_strerror(MEMMAP_ERR_OVERLAP)) > 0);
}

/*
 * More ranges than boot_info.mem[] holds: usable and reserved alternate
 * with holes between them, so nothing merges. The smallest usable ranges
 * must go, every other range must stay.
 */
UNIT_TEST(memmap_overflow_drops_smallest_usable)
{
	enum { N = BOOT_MEM_MAX + 44 };
	static struct memmap_desc d[N];
	uint64_t want_dropped = 0;
	unsigned usable = 0, reserved = 0;

	for (unsigned i = 0; i < N; i++) {
		uint64_t base = 0x40000000ull + i * 0x100000ull;
		/* Usable sizes 1..150 pages, in an order unrelated to size. */
		uint64_t pages = i % 2 ? 1 : 1 + (i * 37) % 150;
		d[i] = (struct memmap_desc){
			.efi_type = i % 2 ? MEMMAP_EFI_RESERVED : MEMMAP_EFI_CONVENTIONAL,
			.base = base,
			.pages = pages,
		};
	}
	/* The 44 smallest usable sizes, computed independently by counting. */
	{
		unsigned left = 44;
		for (uint64_t size = 1; left > 0 && size <= 150; size++)
			for (unsigned i = 0; i < N && left > 0; i += 2)
				if (d[i].pages == size) {
					want_dropped += size * MEMMAP_PAGE_SIZE;
					left--;
				}
	}
	CHECK_EQ(memmap_build(d, N, out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, BOOT_MEM_MAX);
	CHECK_EQ(res.dropped_ranges, 44);
	CHECK_EQ(res.dropped_bytes, want_dropped);
	for (unsigned i = 0; i < res.count; i++) {
		if (out[i].type == BOOT_MEM_RESERVED)
			reserved++;
		else if (out[i].type == BOOT_MEM_USABLE)
			usable++;
		if (i > 0)
			CHECK(out[i - 1].base + out[i - 1].size <= out[i].base);
	}
	CHECK_EQ(reserved, N / 2);
	CHECK_EQ(usable, N / 2 - 44);
}

UNIT_TEST(memmap_overflow_without_usable_ranges_is_an_error)
{
	enum { N = BOOT_MEM_MAX + 1 };
	static struct memmap_desc d[N];

	for (unsigned i = 0; i < N; i++)
		d[i] = desc(i % 2 ? MEMMAP_EFI_ACPI_NVS : MEMMAP_EFI_MMIO, 0x1000000ull * i, 0x1000);
	CHECK_EQ(memmap_build(d, N, out, BOOT_MEM_MAX, &res), MEMMAP_ERR_TOO_MANY);
	/* One range fewer fits exactly. */
	for (unsigned i = 0; i < N; i++)
		d[i] = desc(i % 2 ? MEMMAP_EFI_ACPI_NVS : MEMMAP_EFI_MMIO, 0x1000000ull * i, 0x1000);
	CHECK_EQ(memmap_build(d, N - 1, out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, BOOT_MEM_MAX);
}

/* Writes one descriptor in the firmware's layout (UEFI EFI_MEMORY_DESCRIPTOR). */
static void put_efi_desc(unsigned char *p, uint32_t type, uint64_t base, uint64_t pages,
			 uint64_t attr)
{
	uint64_t virt = 0xdeadbeef000ull;

	memcpy(p, &type, 4);
	memset(p + 4, 0xaa, 4); /* padding the firmware may leave dirty */
	memcpy(p + 8, &base, 8);
	memcpy(p + 16, &virt, 8);
	memcpy(p + 24, &pages, 8);
	memcpy(p + 32, &attr, 8);
}

UNIT_TEST(memmap_import_firmware_layout_in_place)
{
	/* EDK2 uses 48-byte descriptors: readers must step by desc_size. */
	enum { DESC = 48, N = 4 };
	uint64_t storage[DESC * N / 8];
	unsigned char *raw = (unsigned char *)storage;
	struct memmap_desc *d = (struct memmap_desc *)storage;
	size_t n = 99;

	memset(storage, 0x55, sizeof(storage));
	put_efi_desc(raw + 0 * DESC, MEMMAP_EFI_OS_KERNEL, 0x40200000, 512, 0xf);
	put_efi_desc(raw + 1 * DESC, MEMMAP_EFI_CONVENTIONAL, 0x40000000, 512, 0xf);
	put_efi_desc(raw + 2 * DESC, MEMMAP_EFI_RUNTIME_SERVICES_CODE, 0x40400000, 16,
		     MEMMAP_EFI_ATTR_RUNTIME | 0xf);
	put_efi_desc(raw + 3 * DESC, MEMMAP_EFI_BOOT_SERVICES_CODE, 0x40410000, 16, 0xf);

	CHECK_EQ(memmap_import(storage, sizeof(storage), DESC, &n), MEMMAP_OK);
	CHECK_EQ(n, N);
	CHECK_EQ(d[0].efi_type, MEMMAP_EFI_OS_KERNEL);
	CHECK_EQ(d[0].base, 0x40200000);
	CHECK_EQ(d[0].pages, 512);
	CHECK_EQ(d[1].base, 0x40000000);
	CHECK_EQ(d[2].attribute, MEMMAP_EFI_ATTR_RUNTIME | 0xf);
	CHECK_EQ(d[3].efi_type, MEMMAP_EFI_BOOT_SERVICES_CODE);
	CHECK_EQ(d[3].pages, 16);

	CHECK_EQ(memmap_build(d, n, out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, 4);
	check_range(0, 0x40000000, 2 * MiB, BOOT_MEM_USABLE);
	check_range(1, 0x40200000, 2 * MiB, BOOT_MEM_KERNEL);
	check_range(2, 0x40400000, 0x10000, BOOT_MEM_RESERVED);
	check_range(3, 0x40410000, 0x10000, BOOT_MEM_USABLE);
}

UNIT_TEST(memmap_import_minimum_descriptor_size_and_errors)
{
	uint64_t storage[40 * 2 / 8 + 1];
	unsigned char *raw = (unsigned char *)storage;
	struct memmap_desc *d = (struct memmap_desc *)storage;
	size_t n = 99;

	put_efi_desc(raw, MEMMAP_EFI_CONVENTIONAL, 0x1000, 1, 0);
	put_efi_desc(raw + 40, MEMMAP_EFI_LOADER_DATA, 0x2000, 3, 0);
	/* A trailing partial descriptor is not a descriptor. */
	CHECK_EQ(memmap_import(storage, 80 + 8, 40, &n), MEMMAP_OK);
	CHECK_EQ(n, 2);
	CHECK_EQ(d[1].efi_type, MEMMAP_EFI_LOADER_DATA);
	CHECK_EQ(d[1].base, 0x2000);
	CHECK_EQ(d[1].pages, 3);

	CHECK_EQ(memmap_import(storage, 80, 32, &n), MEMMAP_ERR_DESC_SIZE);
	CHECK_EQ(n, 0);
	CHECK_EQ(memmap_import(raw + 4, 40, 40, &n), MEMMAP_ERR_DESC_SIZE);
	CHECK_EQ(memmap_import(storage, 0, 48, &n), MEMMAP_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(memmap_build(d, 0, out, BOOT_MEM_MAX, &res), MEMMAP_OK);
	CHECK_EQ(res.count, 0);
}
