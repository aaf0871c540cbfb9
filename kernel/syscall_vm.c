// SPDX-License-Identifier: BSD-2-Clause
// System calls for VMs and vCPUs (include/uapi/vm.h, docs/syscalls.md).
#include <uapi/vm.h>

#include "arch/guest.h"
#include "cpu.h"
#include "device.h"
#include "kernel.h"
#include "syscall_private.h"
#include "vcpu.h"
#include "vm.h"

int sys_vm_create(struct thread *caller, struct arch_context *c)
{
	struct quota *q;
	struct task *t;
	uint32_t dst;
	uint64_t max_prio = arch_syscall_arg(c, 2), flags = arch_syscall_arg(c, 3);
	int err = lookup_payer_and_slot(caller, c, 0, &q, &dst);

	if (!err && max_prio > caller->task->max_priority)
		err = CV_E_NO_RIGHTS;
	if (!err && flags)
		err = CV_E_BAD_ARG;
	if (err)
		return err;
	err = vm_create(q, (unsigned)max_prio, &t);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &t->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err) {
		t->obj_dead = true;
		task_kill(t, NULL);
	}
	return err;
}

static int lookup_vm(struct thread *caller, uint32_t slot, struct task **vm)
{
	const struct cap_slot *cap;
	int err = cap_lookup(cspace_of(caller), slot, CV_OBJ_VM, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	*vm = container_of(cap->obj, struct task, obj);
	return (*vm)->dying ? CV_E_DEAD : CV_OK;
}

int sys_vcpu_create(struct thread *caller, struct arch_context *c)
{
	struct task *vm;
	struct quota *q;
	struct thread *th;
	uint32_t dst;
	uint64_t packed = c->x[6];
	int err = lookup_vm(caller, slot_arg(c, 0), &vm);

	if (!err)
		err = lookup_payer_and_slot(caller, c, 1, &q, &dst);
	if (!err && (packed >> 24))
		err = CV_E_BAD_ARG;
	if (err)
		return err;
	err = vcpu_create(vm, q, (packed >> 16) & 0xff, arch_syscall_arg(c, 3), arch_syscall_arg(c, 4),
			  packed & 0xff, (packed >> 8) & 0xff, &th);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &th->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err) {
		thread_stop(th);
		thread_free(th);
	}
	return err;
}

int sys_vcpu_set_exit(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	uint64_t flags = arch_syscall_arg(c, 2);
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_VCPU, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	struct thread *th = container_of(cap->obj, struct thread, obj);
	if (th->state == THREAD_DEAD)
		return CV_E_DEAD;
	/* Flags past 32 bits are unknown flags too (vcpu_set_exit refuses them). */
	return vcpu_set_exit(th, caller->task, slot_arg(c, 1), flags > UINT32_MAX ? UINT32_MAX : (uint32_t)flags);
}

int sys_vm_irq(struct thread *caller, struct arch_context *c)
{
	struct task *vm;
	uint64_t intid = arch_syscall_arg(c, 1), level = arch_syscall_arg(c, 2);
	int err = lookup_vm(caller, slot_arg(c, 0), &vm);

	if (err)
		return err;
	if (intid > UINT32_MAX || level > 2)
		return CV_E_BAD_ARG;
	return arch_vm_irq(vm->vm, (unsigned)intid, (unsigned)level);
}

int sys_vm_irq_bind(struct thread *caller, struct arch_context *c)
{
	struct task *vm;
	const struct cap_slot *icap;
	uint64_t intid = arch_syscall_arg(c, 1);
	int err = lookup_vm(caller, slot_arg(c, 0), &vm);

	if (!err)
		err = cap_lookup(cspace_of(caller), slot_arg(c, 2), CV_OBJ_IRQ, CV_RIGHT_WRITE, &icap);
	if (err)
		return err;
	if (intid < 32 || intid >= CV_VM_INTIDS)
		return CV_E_BAD_ARG;
	return irq_bind_vm(container_of(icap->obj, struct irq_obj, obj), vm->vm, (unsigned)intid);
}

/* Every vCPU stops first: one running on another CPU is pulled out of its
 * guest (an IPI) and the call restarts until none runs, as THREAD_SUSPEND
 * does; then the whole VM is reset in one step. */
int sys_vm_reset(struct thread *caller, struct arch_context *c)
{
	struct task *vm;
	int err = lookup_vm(caller, slot_arg(c, 0), &vm);

	if (err)
		return err;
	return vm_reset(vm->vm) ? CV_OK : SYSCALL_RESTART;
}

/* The caller's structure says how much it can take (its size word): an
 * older, shorter one gets the counters it knows. A vCPU whose VM was
 * killed still answers: its counters stopped there. */
int sys_vcpu_stats(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	struct cv_vcpu_stats s;
	uint64_t va = arch_syscall_arg(c, 1);
	uint32_t size;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_VCPU, CV_RIGHT_READ, &cap);

	if (!err)
		err = task_copy_from(caller->task, &size, va, sizeof(size));
	if (err)
		return err;
	if (size < CV_VCPU_STATS_MIN_SIZE || (size & 7))
		return CV_E_BAD_ARG;
	vcpu_stats_read(container_of(cap->obj, struct thread, obj), &s);
	s.size = (uint32_t)MIN((size_t)size, sizeof(s));
	return task_copy_to(caller->task, va, &s, s.size);
}
