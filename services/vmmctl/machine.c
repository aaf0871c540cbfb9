// SPDX-License-Identifier: BSD-2-Clause
// The kernel objects behind a VM (include/uapi/vm.h): the VM, its guest
// RAM (frames mapped at GUEST_RAM_BASE), its vCPUs, its console page and
// the handle capability every client's handle derives from. All paid
// from the service's own quota; the per-uid limits decide who may spend
// it.
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

#include "vmmctl.h"

#define HANDLE_KERNEL_RIGHTS (CV_RIGHT_WRITE | CV_RIGHT_GRANT)

static int errno_of(enum cv_status st)
{
	return st == CV_E_NO_MEMORY ? VMMCTL_ENOMEM : VMMCTL_EIO;
}

int machine_build(struct vm *vm)
{
	enum cv_status st;
	cv_slot_t q = CV_SLOT_SELF_QUOTA;

	if ((st = cv_vm_create(q, vm_slot(vm, VMSLOT_VM), VM_PRIORITY)) != CV_OK)
		return errno_of(st);
	for (uint64_t off = 0; off < vm->memory; off += VM_FRAME_BYTES) {
		uint64_t bytes = vm->memory - off < VM_FRAME_BYTES ? vm->memory - off : VM_FRAME_BYTES;
		cv_slot_t f = vm_slot(vm, VMSLOT_FRAME + vm->frames);
		if ((st = cv_frame_create(q, f, bytes / 4096)) != CV_OK)
			return errno_of(st);
		vm->frames++;
		st = cv_frame_map(f, vm_slot(vm, VMSLOT_VM), GUEST_RAM_BASE + off,
				  CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC);
		if (st != CV_OK)
			return errno_of(st);
	}
	for (unsigned i = 0; i < vm->vcpus; i++) {
		st = cv_vcpu_create(vm_slot(vm, VMSLOT_VM), q, vm_slot(vm, VMSLOT_VCPU + i), GUEST_RAM_BASE, 0,
				    VM_PRIORITY, i % cpu_count, i);
		if (st != CV_OK)
			return errno_of(st);
	}
	if ((st = cv_frame_create(q, vm_slot(vm, VMSLOT_CONSOLE), 1)) != CV_OK)
		return errno_of(st);
	/* The service keeps READ on its own copy (a close watch needs it);
	 * clients' copies never get it: they must not receive here. */
	st = cv_cap_mint(endpoint_slot, vm_slot(vm, VMSLOT_HANDLE),
			 CV_RIGHT_READ | HANDLE_KERNEL_RIGHTS | VMMCTL_VM_ALL, vm->badge);
	if (st != CV_OK)
		return errno_of(st);
	return VMMCTL_OK;
}

void machine_teardown(struct vm *vm)
{
	/* The VM first: its vCPUs stop at once, wherever they run, also
	 * one waiting on a monitor that will never answer. */
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_VM));
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++)
		(void)cv_cap_delete(vm_slot(vm, VMSLOT_VCPU + i));
	/* What monitors and observers were given of its memory and console
	 * goes with it (their mappings too, once the last copy is gone). */
	for (unsigned i = 0; i < vm->frames; i++) {
		(void)cv_cap_revoke_all(vm_slot(vm, VMSLOT_FRAME + i));
		(void)cv_cap_delete(vm_slot(vm, VMSLOT_FRAME + i));
	}
	vm->frames = 0;
	/* The console page is not revoked: a monitor may be writing the
	 * guest's last bytes into it right now (taking it away would fault
	 * it), and an observer may still read them. It is freed when its
	 * last holder lets go. */
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_CONSOLE));
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_GIVE));
	/* A VMM the service started for the VM goes with it. */
	cv_task_discard(vm_slot(vm, VMSLOT_VMM_QUOTA), vm_slot(vm, VMSLOT_VMM_TASK), vm_slot(vm, VMSLOT_VMM_THREAD));
	/* A passed-through device's binding ended with the VM. */
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_DEVICE));
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_IRQ));
	vm->assigned = false;
}

int machine_give(struct vm *vm, unsigned which, uint32_t rights, cv_slot_t *out)
{
	cv_slot_t give = vm_slot(vm, VMSLOT_GIVE);

	(void)cv_cap_delete(give); /* what the last reply carried */
	if (cv_cap_copy(vm_slot(vm, which), give, rights) != CV_OK)
		return VMMCTL_EIO;
	*out = give;
	return VMMCTL_OK;
}

int machine_handle_copy(struct vm *vm, uint32_t user_rights, cv_slot_t *out)
{
	cv_slot_t give;
	int err = machine_give(vm, VMSLOT_HANDLE, HANDLE_KERNEL_RIGHTS | (user_rights & VMMCTL_VM_ALL), &give);

	if (err)
		return err;
	/* Told once when the last client copy is gone; a watch made while
	 * none is out waits for the first. */
	if (!vm->watched) {
		if (cv_endpoint_watch(vm_slot(vm, VMSLOT_HANDLE)) != CV_OK) {
			(void)cv_cap_delete(give);
			return VMMCTL_ENOMEM;
		}
		vm->watched = true;
	}
	*out = give;
	return VMMCTL_OK;
}
