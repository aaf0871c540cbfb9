// SPDX-License-Identifier: BSD-2-Clause
// The point of no return: take the final memory map, turn it into
// boot_info.mem[], leave boot services and enter the kernel. Nothing
// between the last GetMemoryMap and ExitBootServices may allocate or print,
// or the map key goes stale; so the map is converted once before, where an
// error can still be reported, and again, silently, into the boot_info
// that is already allocated.
#include "loader.h"
#include "memmap.h"

/* Allocating the buffer adds descriptors to the map it is to hold. */
#define MAP_SLACK_DESCS 16
/* The key goes stale when an event changes the map; that should settle. */
#define EXIT_ATTEMPTS 8

struct map_buffer {
	void *buf;
	UINTN alloc_size;
	UINTN size;
	UINTN key;
	UINTN desc_size;
	UINT32 version;
};

static EFI_STATUS map_get(struct map_buffer *m)
{
	m->size = m->alloc_size;
	return BS->GetMemoryMap(&m->size, m->buf, &m->key, &m->desc_size, &m->version);
}

static EFI_STATUS map_alloc(struct map_buffer *m)
{
	EFI_STATUS status = EFI_BUFFER_TOO_SMALL;

	for (int tries = 0; tries < 4 && status == EFI_BUFFER_TOO_SMALL; tries++) {
		m->alloc_size = 0;
		m->buf = NULL;
		status = map_get(m);
		if (status != EFI_BUFFER_TOO_SMALL)
			return EFI_ERROR(status) ? status : EFI_DEVICE_ERROR;
		m->alloc_size = m->size + MAP_SLACK_DESCS * m->desc_size;
		m->buf = AllocatePool(m->alloc_size);
		if (m->buf == NULL)
			return EFI_OUT_OF_RESOURCES;
		status = map_get(m);
		if (EFI_ERROR(status)) {
			FreePool(m->buf);
			m->buf = NULL;
		}
	}
	return status;
}

/* Pure computation on memory already ours: safe after ExitBootServices. */
static enum memmap_status map_convert(struct map_buffer *m, struct boot_info *info,
				      struct memmap_result *result)
{
	enum memmap_status st;
	size_t n;

	__builtin_memset(info->mem, 0, sizeof(info->mem));
	info->mem_count = 0;
	*result = (struct memmap_result){0};
	st = memmap_import(m->buf, m->size, m->desc_size, &n);
	if (st != MEMMAP_OK)
		return st;
	st = memmap_build(m->buf, n, info->mem, BOOT_MEM_MAX, result);
	if (st == MEMMAP_OK)
		info->mem_count = result->count;
	return st;
}

static void print_map_summary(const struct boot_info *info, const struct memmap_result *result)
{
	UINT64 usable = 0;

	for (UINT32 i = 0; i < info->mem_count; i++)
		if (info->mem[i].type == BOOT_MEM_USABLE)
			usable += info->mem[i].size;
	loader_print(L"memory map: %d ranges, %ld MiB usable\n", info->mem_count, usable >> 20);
	if (result->dropped_ranges > 0)
		loader_print(L"memory map: left out %d small usable ranges (%ld KiB) to fit %d entries\n",
			     result->dropped_ranges, result->dropped_bytes >> 10, BOOT_MEM_MAX);
}

EFI_STATUS loader_exit_and_enter(struct loader *ld)
{
	struct map_buffer m = {0};
	struct memmap_result result;
	enum memmap_status converted;
	EFI_STATUS status;

	status = map_alloc(&m);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot get the memory map: %r\n", status);
		return status;
	}
	converted = map_convert(&m, ld->info, &result);
	if (converted != MEMMAP_OK) {
		loader_print(L"memory map: %a\n", memmap_strerror(converted));
		FreePool(m.buf);
		return EFI_LOAD_ERROR;
	}
	print_map_summary(ld->info, &result);
	loader_print(L"entering kernel at 0x%lx, boot_info at 0x%lx\n", ld->kernel_entry,
		     (UINT64)(UINTN)ld->info);

	for (int attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
		status = map_get(&m);
		if (EFI_ERROR(status))
			break;
		if (map_convert(&m, ld->info, &result) != MEMMAP_OK) {
			status = EFI_LOAD_ERROR;
			break;
		}
		status = BS->ExitBootServices(ld->image, m.key);
		if (!EFI_ERROR(status))
			boot_arch_enter(ld->kernel_entry, (UINT64)(UINTN)ld->info, ld->ranges,
					ld->range_count);
		if (status != EFI_INVALID_PARAMETER)
			break;
	}
	/*
	 * A failed ExitBootServices may have shut boot services down in part,
	 * so this message may not appear; returning is still better than a hang.
	 */
	loader_print(L"cannot leave boot services: %r\n", status);
	return status;
}
