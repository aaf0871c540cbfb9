// SPDX-License-Identifier: BSD-2-Clause
// The VMs the configuration starts at boot (`vm NAME image=... owner=...`,
// docs/config.md): made as their owner would make them (the owner's jail,
// uid and limits), loaded, and each given a VMM (services/vmm, the boot
// module the configuration gave the service as "vmm") that holds a handle
// with control and observe. A monitor-mode boot VM lives as long as its
// VMM; a persistent one until someone destroys it. Either way the VMM's
// task is the service's and goes when the VM does.
#include <stdio.h>
#include <string.h>

#include <cv/task.h>

#include "vmctl.h"
#include "vmmctl.h"

#define VMM_WINDOW_VA 0x0000002100000000ull /* image.c's window, free between requests */

static int start_vmm(struct vm *vm, const struct cv_start_cap *image)
{
	cv_slot_t handle;
	int err = machine_handle_copy(vm, VMMCTL_VM_CONTROL | VMMCTL_VM_OBSERVE, &handle);

	if (err)
		return err;
	if (cv_frame_map(image->slot, CV_SLOT_SELF_TASK, VMM_WINDOW_VA, CV_MAP_READ) != CV_OK) {
		(void)cv_cap_delete(handle);
		return VMMCTL_EIO;
	}
	struct vmctl_vmm v = {
		.image = (const void *)(uintptr_t)VMM_WINDOW_VA,
		.size = image->size,
		.handle = handle,
		.vm_name = vm->name,
		.quota = CV_SLOT_SELF_QUOTA,
		.quota_slot = vm_slot(vm, VMSLOT_VMM_QUOTA),
		.task_slot = vm_slot(vm, VMSLOT_VMM_TASK),
		.thread_slot = vm_slot(vm, VMSLOT_VMM_THREAD),
		.cpu = (unsigned)(vm - vms) % cpu_count,
		.cpu_count = cpu_count,
	};
	enum cv_status st = vmctl_vmm_spawn(&v);
	(void)cv_unmap(CV_SLOT_SELF_TASK, VMM_WINDOW_VA);
	(void)cv_cap_delete(handle);
	if (st != CV_OK)
		return st == CV_E_NO_MEMORY ? VMMCTL_ENOMEM : VMMCTL_EIO;
	vm->handed_out = true;
	return VMMCTL_OK;
}

void boot_vms_start(void)
{
	const struct cv_start_cap *image = start_cap("vmm", CV_OBJ_FRAME);

	for (unsigned i = 0; i < config.vm_count; i++) {
		const struct bootconf_vm *c = &config.vms[i];
		const struct bootconf_principal *owner = &config.principals[c->owner];
		uint32_t flags = c->monitor ? VMMCTL_CREATE_DESTROY_ON_CLOSE : 0;
		struct vm *vm = NULL;
		uint64_t entry;
		int err = image ? VMMCTL_OK : VMMCTL_ENOENT;

		if (!err && vm_find(owner->jail, c->name))
			err = VMMCTL_EEXIST;
		if (!err)
			err = vm_make(owner, c->name, flags, c->cpus, c->memory, &vm);
		if (!err)
			err = image_load_named(vm, c->image, &entry);
		if (!err)
			err = start_vmm(vm, image);
		if (err) {
			if (vm)
				vm_unmake(vm);
			printf("vmmctl: config:%u: boot VM %s: %s%s\n", c->line, c->name, vmmctl_errname(err),
			       image ? "" : " (no \"vmm\" module given to the service)");
			continue;
		}
		printf("vmmctl: boot VM %s (owner %s, %s): image %s, %u vCPU(s), %lu MiB\n", c->name, owner->name,
		       c->monitor ? "monitor mode" : "persistent", c->image, c->cpus,
		       (unsigned long)(c->memory >> 20));
	}
}
