// SPDX-License-Identifier: BSD-2-Clause
// VM_ASSIGN: a physical device passed through to a VM — its registers
// mapped into the VM's stage 2 and its interrupt forwarded to an SPI. The
// caller must hold the device's capability (it comes with the request:
// like write access to FreeBSD's /dev/pci), a control handle, and the VM's
// owner must be privileged for vmm_pptdev (with allow.vmm_ppt in a jail).
// There is no IOMMU: only devices alone in their pages and without DMA
// may be given this way (docs/vmmctl.md).
#include <stdio.h>

#include <uapi/vm.h>

#include "vmmctl.h"

static bool is(cv_slot_t slot, enum cv_obj_type type)
{
	struct cv_cap_info info;

	return slot && cv_cap_info(slot, &info) == CV_OK && info.type == type;
}

int passthrough_assign(struct request *r)
{
	struct vm *vm = r->vm;
	const struct bootconf_principal *owner = &config.principals[vm->owner];
	uint64_t gpa = r->body.arg[0], pages = r->body.arg[1] & 0xffffffffu, intid = r->body.arg[1] >> 32;
	enum cv_status st;

	if (!rules_passthrough_allowed(&config, owner) || !is(r->received, CV_OBJ_DEVICE))
		return VMMCTL_EPERM;
	if (pages == 0 || gpa % 4096 || (intid && (intid < 32 || intid >= CV_VM_INTIDS)) ||
	    (intid && !is(r->received2, CV_OBJ_IRQ)) ||
	    (gpa < GUEST_RAM_BASE + vm->memory && gpa + pages * 4096 > GUEST_RAM_BASE))
		return VMMCTL_EINVAL;
	if (vm->started || vm->assigned)
		return VMMCTL_EBUSY;
	cv_slot_t dev = vm_slot(vm, VMSLOT_DEVICE), irq = vm_slot(vm, VMSLOT_IRQ);
	if (cv_cap_move(r->received, dev) != CV_OK)
		return VMMCTL_EIO;
	st = cv_device_map(dev, vm_slot(vm, VMSLOT_VM), gpa, 0, pages);
	if (st == CV_OK && intid) {
		st = cv_cap_move(r->received2, irq);
		if (st == CV_OK)
			st = cv_vm_irq_bind(vm_slot(vm, VMSLOT_VM), (unsigned)intid, irq);
	}
	if (st != CV_OK) {
		/* The mapping goes with the VM; the capabilities go now. */
		(void)cv_cap_delete(dev);
		(void)cv_cap_delete(irq);
		return st == CV_E_BUSY ? VMMCTL_EBUSY
		       : (st == CV_E_BAD_ARG || st == CV_E_BAD_ADDRESS || st == CV_E_NO_RIGHTS) ? VMMCTL_EINVAL
											   : VMMCTL_EIO;
	}
	vm->assigned = true;
	printf("vmmctl: passthrough to %s (owner %s): %lu page(s) at 0x%lx%s\n", vm->name, owner->name,
	       (unsigned long)pages, (unsigned long)gpa, intid ? ", with its interrupt" : "");
	return VMMCTL_OK;
}
