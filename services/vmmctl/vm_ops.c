// SPDX-License-Identifier: BSD-2-Clause
// The operations on a VM handle, and the end of a VM. A handle whose VM
// was destroyed answers ENXIO to everything until its holder deletes it;
// its badge is never given to another VM.
#include <stdio.h>
#include <string.h>

#include <uapi/vm.h>

#include "vmmctl.h"

static struct vmmctl_vm_info info_out;

void vm_destroy(struct vm *vm, const char *why)
{
	vm->live = false;
	vm->state = VMMCTL_VM_DYING;
	machine_teardown(vm);
	uid_charge(vm->uid, vm->memory, false);
	printf("vmmctl: destroyed %s (owner %s, uid %u): %s\n", vm->name, config.principals[vm->owner].name, vm->uid,
	       why);
	if (!vm->handed_out || !vm->watched) {
		/* No client holds a handle (none ever did, or the close event
		 * came already): no close event will come. */
		(void)cv_cap_delete(vm_slot(vm, VMSLOT_HANDLE));
		vm->used = false;
	}
}

void vm_handle_sent(struct vm *vm, bool arrived)
{
	if (arrived) {
		vm->handed_out = true;
		return;
	}
	if (vm->handed_out)
		return; /* other copies are out: the watch counts them */
	/* No copy is out, and none will come: the watch would wait for
	 * ever (and keep its frame), and a monitor-mode VM has nobody
	 * left to end it. */
	if (vm->watched && cv_endpoint_unwatch(vm_slot(vm, VMSLOT_HANDLE), NULL) == CV_OK)
		vm->watched = false;
	if (vm->live && (vm->flags & VMMCTL_CREATE_DESTROY_ON_CLOSE))
		vm_destroy(vm, "its handle never reached its client");
}

void vm_handles_gone(struct vm *vm)
{
	vm->watched = false;
	vm->handed_out = false;
	if (vm->live && (vm->flags & VMMCTL_CREATE_DESTROY_ON_CLOSE)) {
		vm_destroy(vm, "its last handle was closed");
	} else if (vm->live) {
		return; /* persistent: lives on; the next OPEN watches again */
	}
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_HANDLE));
	vm->used = false;
}

/* A VM the kernel stopped (a vCPU exited with nowhere to go) is as good
 * as destroyed. */
int vm_kernel_err(enum cv_status st)
{
	switch (st) {
	case CV_OK: return VMMCTL_OK;
	case CV_E_DEAD: return VMMCTL_ENXIO;
	case CV_E_BAD_ARG: return VMMCTL_EINVAL;
	case CV_E_BUSY: return VMMCTL_EBUSY;
	case CV_E_NO_MEMORY: return VMMCTL_ENOMEM;
	default: return VMMCTL_EIO;
	}
}

static int need(const struct request *r, uint32_t right)
{
	return (r->rights & right) ? VMMCTL_OK : VMMCTL_EPERM;
}

static int op_memory(struct request *r)
{
	uint64_t seg = r->body.arg[0];
	struct vm *vm = r->vm;

	if (seg >= vm->frames)
		return VMMCTL_EINVAL;
	int err = machine_give(vm, VMSLOT_FRAME + (unsigned)seg, CV_RIGHT_READ | CV_RIGHT_WRITE, &r->give);
	if (err)
		return err;
	r->results[0] = GUEST_RAM_BASE + seg * VM_FRAME_BYTES;
	r->results[1] = vm->memory - seg * VM_FRAME_BYTES < VM_FRAME_BYTES ? vm->memory - seg * VM_FRAME_BYTES
									    : VM_FRAME_BYTES;
	r->results[2] = vm->frames;
	return VMMCTL_OK;
}

static int op_vcpu_exit(struct request *r)
{
	uint64_t index = r->body.arg[0], flags = r->body.arg[1];

	if (index >= r->vm->vcpus || flags > UINT32_MAX)
		return VMMCTL_EINVAL;
	if (!r->received)
		return VMMCTL_EINVAL; /* no endpoint came with it */
	enum cv_status st = cv_vcpu_set_exit(vm_slot(r->vm, VMSLOT_VCPU + (unsigned)index), r->received, (uint32_t)flags);
	if (st == CV_E_BAD_TYPE || st == CV_E_NO_RIGHTS || st == CV_E_EMPTY_SLOT)
		return VMMCTL_EINVAL; /* what came is no endpoint one may call */
	if (st == CV_OK && index == 0)
		r->vm->monitored = true;
	return vm_kernel_err(st);
}

static int op_start(struct request *r)
{
	struct vm *vm = r->vm;
	uint64_t pc = r->body.arg[0] ? r->body.arg[0] : vm->entry;
	struct cv_regs regs;
	cv_slot_t vcpu0 = vm_slot(vm, VMSLOT_VCPU);

	if (vm->started)
		return VMMCTL_EBUSY;
	if (!pc || pc & 3)
		return VMMCTL_EINVAL;
	enum cv_status st = cv_thread_read_regs(vcpu0, &regs);
	if (st != CV_OK)
		return vm_kernel_err(st);
	regs.pc = pc;
	if ((st = cv_thread_write_regs(vcpu0, &regs)) != CV_OK || (st = cv_thread_start(vcpu0)) != CV_OK)
		return vm_kernel_err(st);
	vm->started = true;
	vm->state = VMMCTL_VM_RUNNING;
	return VMMCTL_OK;
}

/* Every vCPU the guest has started (PSCI) stops or goes on. */
static int op_stop_resume(struct request *r, bool stop)
{
	struct vm *vm = r->vm;

	if (!vm->started || (vm->state == VMMCTL_VM_STOPPED) == stop)
		return VMMCTL_EBUSY;
	for (unsigned i = 0; i < vm->vcpus; i++) {
		cv_slot_t v = vm_slot(vm, VMSLOT_VCPU + i);
		(void)(stop ? cv_thread_suspend(v) : cv_thread_resume(v));
	}
	vm->state = stop ? VMMCTL_VM_STOPPED : VMMCTL_VM_RUNNING;
	return VMMCTL_OK;
}

static int op_irq(struct request *r)
{
	uint64_t intid = r->body.arg[0], level = r->body.arg[1];

	if (intid < 32 || intid >= CV_VM_INTIDS || level > 2)
		return VMMCTL_EINVAL;
	return vm_kernel_err(cv_vm_irq(vm_slot(r->vm, VMSLOT_VM), (unsigned)intid, (unsigned)level));
}

static int op_console(struct request *r)
{
	uint32_t rights = CV_RIGHT_READ | ((r->rights & VMMCTL_VM_CONTROL) ? CV_RIGHT_WRITE : 0);

	return machine_give(r->vm, VMSLOT_CONSOLE, rights, &r->give);
}

/* How many of arg[] a handle operation reads; the rest must be zero. */
static unsigned op_args(enum vmmctl_op op)
{
	switch (op) {
	case VMMCTL_OP_VM_MEMORY:
	case VMMCTL_OP_VM_START:
	case VMMCTL_OP_VM_VCPU_STATE:
		return 1;
	case VMMCTL_OP_VM_VCPU_EXIT:
	case VMMCTL_OP_VM_IRQ:
	case VMMCTL_OP_VM_ASSIGN:
		return 2;
	default:
		return 0;
	}
}

int vm_op(struct request *r)
{
	struct vm *vm = r->vm;
	int err;

	if (!vm->live)
		return VMMCTL_ENXIO;
	if (r->op < VMMCTL_OP_VM_INFO || r->op > VMMCTL_OP_VM_VCPU_STATE)
		return VMMCTL_ENOSYS;
	if (!r->has_body || !rules_body_clean(&r->body, op_args(r->op), r->op == VMMCTL_OP_VM_LOAD))
		return VMMCTL_EINVAL;
	switch (r->op) {
	case VMMCTL_OP_VM_INFO:
		if ((err = need(r, VMMCTL_VM_OBSERVE)))
			return err;
		/* Seen from its own jail: the handle names it, not a path. */
		vm_describe(vm, vm->jail, &info_out);
		r->out = &info_out;
		r->out_len = sizeof(info_out);
		return VMMCTL_OK;
	case VMMCTL_OP_VM_DESTROY:
		if ((err = need(r, VMMCTL_VM_DESTROY)))
			return err;
		vm_destroy(vm, "destroyed through a handle");
		return VMMCTL_OK;
	case VMMCTL_OP_VM_CONSOLE:
		return (err = need(r, VMMCTL_VM_OBSERVE)) ? err : op_console(r);
	case VMMCTL_OP_VM_STATS:
		return (err = need(r, VMMCTL_VM_OBSERVE)) ? err : vm_op_stats(r);
	case VMMCTL_OP_VM_VCPU_STATE:
		return (err = need(r, VMMCTL_VM_OBSERVE)) ? err : vm_op_vcpu_state(r);
	default:
		break;
	}
	if ((err = need(r, VMMCTL_VM_CONTROL)))
		return err;
	switch (r->op) {
	case VMMCTL_OP_VM_MEMORY: return op_memory(r);
	case VMMCTL_OP_VM_VCPU_EXIT: return op_vcpu_exit(r);
	case VMMCTL_OP_VM_START: return op_start(r);
	case VMMCTL_OP_VM_STOP: return op_stop_resume(r, true);
	case VMMCTL_OP_VM_RESUME: return op_stop_resume(r, false);
	case VMMCTL_OP_VM_IRQ: return op_irq(r);
	case VMMCTL_OP_VM_LOAD: return image_load(r);
	case VMMCTL_OP_VM_ASSIGN: return passthrough_assign(r);
	case VMMCTL_OP_VM_RESET: return vm_op_reset(r);
	default: return VMMCTL_ENOSYS;
	}
}
