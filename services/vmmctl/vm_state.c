// SPDX-License-Identifier: BSD-2-Clause
// VM_VCPU_STATE (docs/vmmctl.md): a stopped vCPU's general registers, for
// whoever may observe the VM. Only while the VM does not run: a running
// vCPU's registers are in flight, and a value from a moment ago would be
// a lie.
#include <string.h>

#include <cv/syscall.h>

#include "vmmctl.h"

static struct vmmctl_vcpu_state state_out;

int vm_op_vcpu_state(struct request *r)
{
	struct vm *vm = r->vm;
	uint64_t index = r->body.arg[0];
	struct cv_regs regs;

	if (index >= vm->vcpus)
		return VMMCTL_EINVAL;
	if (vm->state == VMMCTL_VM_RUNNING)
		return VMMCTL_EBUSY;
	enum cv_status st = cv_thread_read_regs(vm_slot(vm, VMSLOT_VCPU + (unsigned)index), &regs);
	if (st != CV_OK)
		return vm_kernel_err(st);
	memset(&state_out, 0, sizeof(state_out));
	state_out.vcpu = (uint32_t)index;
	memcpy(state_out.x, regs.x, sizeof(state_out.x));
	state_out.sp_el0 = regs.sp;
	state_out.pc = regs.pc;
	state_out.pstate = regs.pstate;
	r->out = &state_out;
	r->out_len = sizeof(state_out);
	return VMMCTL_OK;
}
