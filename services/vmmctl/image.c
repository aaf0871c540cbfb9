// SPDX-License-Identifier: BSD-2-Clause
// VM_LOAD: a guest image, one of the boot modules the configuration gave
// the service (give vmmctl SLOT module NAME), copied into the VM's RAM
// by the kernel (which cleans it to memory: the guest starts with its
// MMU and caches off). The module is checked as an AArch64 ELF image that
// fits the VM's RAM; it is mapped here only while it is copied.
#include <string.h>

#include <elf/elf_check.h>

#include "vmmctl.h"

#define IMAGE_VA 0x0000002100000000ull
#define IMAGE_MAX_PAGES 4096 /* a module is one frame: at most 16 MiB */
#define IMAGE_TABLE_SPAN (2ull << 20) /* what one last-level page table maps */

void image_window_init(void)
{
	/* A page table under every 2 MiB of the window, made once, now, so
	 * that a load never leaves memory behind that was not there before
	 * it (the tests count every frame). With a table there, the kernel
	 * maps any module through it with pages: it makes a 2 MiB block only
	 * where no table is (docs/virtualization.md), and which a module
	 * would get would otherwise depend on its physical alignment. */
	cv_slot_t f = vm_slot(&vms[0], VMSLOT_GIVE);
	if (cv_frame_create(CV_SLOT_SELF_QUOTA, f, 1) == CV_OK)
		for (uint64_t off = 0; off < IMAGE_MAX_PAGES * 4096ull; off += IMAGE_TABLE_SPAN)
			if (cv_frame_map(f, CV_SLOT_SELF_TASK, IMAGE_VA + off, CV_MAP_READ) == CV_OK)
				(void)cv_unmap(CV_SLOT_SELF_TASK, IMAGE_VA + off);
	(void)cv_cap_delete(f);
}

/* Any module given to the service but its configuration. */
static const struct cv_start_cap *image_module(const char *name)
{
	return strcmp(name, "config") ? start_cap(name, CV_OBJ_FRAME) : NULL;
}

/* A segment's bss: zero in fresh RAM, but not after a VM_RESET, when the
 * guest's last run left its data there. */
static bool zero_guest(struct vm *vm, uint64_t at, uint64_t bytes)
{
	static const char zeroes[4096];

	while (bytes) {
		uint64_t n = bytes < sizeof(zeroes) ? bytes : sizeof(zeroes);
		if (cv_task_copy_in(vm_slot(vm, VMSLOT_VM), at, zeroes, n) != CV_OK)
			return false;
		at += n;
		bytes -= n;
	}
	return true;
}

static int copy_image(struct vm *vm, const void *image, uint64_t size, uint64_t *entry)
{
	struct elf_load_plan plan;

	if (elf_check(image, size, ELF_MACHINE_AARCH64, vm->memory, &plan) != ELF_CHECK_OK)
		return VMMCTL_EINVAL;
	if (plan.vaddr_base < GUEST_RAM_BASE || plan.vaddr_base - GUEST_RAM_BASE > vm->memory ||
	    plan.span > vm->memory - (plan.vaddr_base - GUEST_RAM_BASE))
		return VMMCTL_EINVAL; /* does not fit the VM's RAM */
	for (unsigned i = 0; i < plan.segment_count; i++) {
		const struct elf_load_segment *s = &plan.segments[i];
		uint64_t at = plan.vaddr_base + s->image_offset;
		if (cv_task_copy_in(vm_slot(vm, VMSLOT_VM), at, (const char *)image + s->file_offset, s->file_size) !=
			    CV_OK ||
		    !zero_guest(vm, at + s->file_size, s->zero_size))
			return VMMCTL_EIO;
	}
	*entry = plan.vaddr_base + plan.entry_offset;
	return VMMCTL_OK;
}

int image_load_named(struct vm *vm, const char *name, uint64_t *entry_out)
{
	const struct cv_start_cap *m = image_module(name);
	uint64_t entry = 0;

	if (!m)
		return VMMCTL_ENOENT;
	if (cv_frame_map(m->slot, CV_SLOT_SELF_TASK, IMAGE_VA, CV_MAP_READ) != CV_OK)
		return VMMCTL_EIO;
	int err = copy_image(vm, (const void *)(uintptr_t)IMAGE_VA, m->size, &entry);
	(void)cv_unmap(CV_SLOT_SELF_TASK, IMAGE_VA);
	if (!err) {
		vm->entry = entry;
		*entry_out = entry;
	}
	return err;
}

int image_load(struct request *r)
{
	struct vm *vm = r->vm;
	char name[VMMCTL_NAME_MAX + 1] = {0};
	int err = rules_check_name(r->body.name, r->body.name_len, true);

	if (err)
		return err;
	if (vm->started)
		return VMMCTL_EBUSY;
	memcpy(name, r->body.name, r->body.name_len);
	return image_load_named(vm, name, &r->results[0]);
}
