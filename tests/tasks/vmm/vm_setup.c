// SPDX-License-Identifier: BSD-2-Clause
// Building a VM for a guest image: memory as frame objects mapped at
// GUEST_RAM_BASE, the ELF image copied in, vCPUs with their exit
// capability (badge: VM index << 8 | vCPU index, plus a marker bit), vCPU 0
// started at the image's entry.
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <elf/elf_check.h>
#include <uapi/root.h>

#include "vmm.h"

/* Guest RAM is frames of FRAME_BYTES from GUEST_RAM_BASE, both multiples
 * of 2 MiB; the kernel places frames of 2 MiB or more on a 2 MiB boundary,
 * so stage 2 maps the RAM with 2 MiB blocks (only a tail of a size that is
 * not a multiple of 2 MiB gets pages). */
#define GUEST_BLOCK_BYTES (2ull << 20)
_Static_assert(GUEST_RAM_BASE % GUEST_BLOCK_BYTES == 0 && FRAME_BYTES % GUEST_BLOCK_BYTES == 0,
	       "guest RAM frames start on 2 MiB boundaries");

#define SLOTS_PER_VM 64
#define SLOT_OFF_VCPUS 1
#define SLOT_OFF_FRAMES 16
#define SLOT_OFF_EXITS 40

const void *vmm_find_module(const char *name, uint64_t *size)
{
	const struct cv_root_info *info = (const void *)(uintptr_t)CV_ROOT_INFO_VA;

	for (uint32_t i = 0; i < info->module_count && i < CV_ROOT_MODULES_MAX; i++) {
		if (strcmp(info->modules[i].name, name) == 0) {
			*size = info->modules[i].size;
			return (const void *)(uintptr_t)info->modules[i].va;
		}
	}
	return NULL;
}

/* The kernel copies into guest memory (and cleans it to memory: the
 * guest starts with its MMU, hence its caches, off). */
static bool load_image(struct vm_state *vm, uint64_t *entry)
{
	uint64_t size;
	const void *image = vmm_find_module(vm->cfg.module, &size);
	struct elf_load_plan plan;

	if (!image) {
		printf("vmm: %s: no module '%s'\n", vm->cfg.name, vm->cfg.module);
		return false;
	}
	uint64_t ram = (uint64_t)vm->cfg.mem_mib << 20;
	enum elf_check_status st = elf_check(image, size, ELF_MACHINE_AARCH64, ram, &plan);
	if (st != ELF_CHECK_OK) {
		printf("vmm: %s: bad image: %s\n", vm->cfg.name, elf_check_strerror(st));
		return false;
	}
	if (plan.vaddr_base < GUEST_RAM_BASE || plan.vaddr_base - GUEST_RAM_BASE + plan.span > ram) {
		printf("vmm: %s: image at 0x%lx does not fit its RAM\n", vm->cfg.name,
		       (unsigned long)plan.vaddr_base);
		return false;
	}
	for (unsigned i = 0; i < plan.segment_count; i++) {
		const struct elf_load_segment *s = &plan.segments[i];
		enum cv_status err = cv_task_copy_in(vm->vm, plan.vaddr_base + s->image_offset,
						    (const char *)image + s->file_offset, s->file_size);
		if (err != CV_OK) {
			printf("vmm: %s: loading: %s\n", vm->cfg.name, cv_strerror(err));
			return false;
		}
	}
	*entry = plan.vaddr_base + plan.entry_offset;
	return true;
}

bool vmm_vm_start(struct vm_state *vm, unsigned index, cv_slot_t exit_ep, unsigned cpus)
{
	cv_slot_t base = CV_ROOT_SLOT_FIRST_FREE + index * SLOTS_PER_VM;
	uint64_t entry;
	enum cv_status st;

	vm->vm = base;
	vm->vcpus = base + SLOT_OFF_VCPUS;
	vm->frames = base + SLOT_OFF_FRAMES;
	vm->frame_count = 0;
	vm->line_len = 0;
	if ((st = cv_vm_create(CV_ROOT_SLOT_QUOTA, vm->vm, vm->cfg.priority)) != CV_OK) {
		printf("vmm: %s: vm_create: %s\n", vm->cfg.name, cv_strerror(st));
		return false;
	}
	vm->live = true;
	uint64_t ram = (uint64_t)vm->cfg.mem_mib << 20;
	for (uint64_t off = 0; off < ram; off += FRAME_BYTES) {
		uint64_t bytes = ram - off < FRAME_BYTES ? ram - off : FRAME_BYTES;
		cv_slot_t f = vm->frames + vm->frame_count;
		if ((st = cv_frame_create(CV_ROOT_SLOT_QUOTA, f, bytes / 4096)) != CV_OK ||
		    (st = cv_frame_map(f, vm->vm, GUEST_RAM_BASE + off, CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC)) !=
			    CV_OK) {
			printf("vmm: %s: memory: %s\n", vm->cfg.name, cv_strerror(st));
			vm->frame_count++;
			return false;
		}
		vm->frame_count++;
	}
	if (!load_image(vm, &entry))
		return false;
	for (unsigned i = 0; i < vm->cfg.vcpus; i++) {
		cv_slot_t exit_cap = base + SLOT_OFF_EXITS + i;
		cv_badge_t badge = (1ull << 16) | ((uint64_t)index << 8) | i;
		if ((st = cv_vcpu_create(vm->vm, CV_ROOT_SLOT_QUOTA, vm->vcpus + i, entry, 0, vm->cfg.priority,
					 (vm->cfg.cpu + i) % cpus, i)) != CV_OK ||
		    (st = cv_cap_mint(exit_ep, exit_cap, CV_RIGHT_WRITE, badge)) != CV_OK ||
		    (st = cv_vcpu_set_exit(vm->vcpus + i, exit_cap, vm->cfg.state ? CV_VCPU_STATE_ALL : 0)) != CV_OK ||
		    (st = cv_cap_delete(exit_cap)) != CV_OK) {
			printf("vmm: %s: vcpu %u: %s\n", vm->cfg.name, i, cv_strerror(st));
			return false;
		}
	}
	if (vm->cfg.pass && !vmm_passthrough(vm))
		return false;
	if ((st = cv_thread_start(vm->vcpus)) != CV_OK) {
		printf("vmm: %s: start: %s\n", vm->cfg.name, cv_strerror(st));
		return false;
	}
	return true;
}

void vmm_vm_destroy(struct vm_state *vm)
{
	/* The VM first: its vCPUs stop at once, wherever they run. */
	(void)cv_cap_delete(vm->vm);
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++)
		(void)cv_cap_delete(vm->vcpus + i);
	for (unsigned i = 0; i < vm->frame_count; i++)
		(void)cv_cap_delete(vm->frames + i);
	vm->frame_count = 0;
	vm->live = false;
}
