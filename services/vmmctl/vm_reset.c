// SPDX-License-Identifier: BSD-2-Clause
// VM_RESET (docs/vmmctl.md): the machine's reset button. The kernel stops
// every vCPU wherever it is and puts it, and the interrupt controller,
// back to the power-on state (CV_SYS_VM_RESET); what the service set up
// stays: guest RAM as the guest left it, the console page, the exits a
// VMM bound, a device passed through. The VM is "created" again: VM_LOAD
// may load a fresh image, VM_START runs it (at the loaded entry), and
// STOP and RESUME are EBUSY until then, as before the first start.
#include <cv/syscall.h>

#include "vmmctl.h"

int vm_op_reset(struct request *r)
{
	struct vm *vm = r->vm;
	enum cv_status st = cv_vm_reset(vm_slot(vm, VMSLOT_VM));

	/* CV_E_DEAD: the kernel stopped the VM (an exit with nowhere to
	 * go); it stays as it is, and says ENXIO like every operation that
	 * reaches the kernel then. */
	if (st != CV_OK)
		return vm_kernel_err(st);
	vm->started = false;
	vm->state = VMMCTL_VM_CREATED;
	return VMMCTL_OK;
}
