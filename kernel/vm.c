// SPDX-License-Identifier: BSD-2-Clause
#include "vm.h"

#include <string.h>
#include <uapi/cap.h>
#include <uapi/status.h>

#include "arch/guest.h"
#include "arch/mmu.h"
#include "device.h"
#include "kobject.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"

_Static_assert(sizeof(struct vm) <= 4096, "a VM's state fits a frame");

int vm_create(struct quota *q, unsigned max_priority, struct task **out)
{
	struct task *t;
	uint64_t pa;
	int err = kmem_alloc(q, 1, &pa);

	if (err)
		return err;
	err = task_create(q, "vm", max_priority, CV_VM_VCPUS_MAX, &t);
	if (err) {
		kmem_free(q, pa, 1);
		return err;
	}
	struct vm *vm = arch_phys_to_virt(pa);
	vm->task = t;
	vm->pa = pa;
	arch_vm_init(&vm->arch);
	t->vm = vm;
	t->obj.type = CV_OBJ_VM;
	/* Guest code writes its own instructions: W+X is allowed here. */
	t->vspace.guest = true;
	*out = t;
	return CV_OK;
}

void vm_release(struct task *t)
{
	struct vm *vm = t->vm;

	/* Its vCPUs are dead by now; their objects may live on (capabilities
	 * held by the monitor) but no longer look at the VM. */
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++)
		if (vm->vcpus[i])
			vm->vcpus[i] = NULL;
	/* Interrupts forwarded to it are masked and free to bind again. */
	irq_vm_gone(vm);
	t->vm = NULL;
	kmem_free(t->quota, vm->pa, 1);
}

bool vm_reset(struct vm *vm)
{
	bool running = false;

	/* The caller is a task's thread (vCPUs make no system calls): a
	 * running vCPU runs on another CPU. */
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++) {
		struct thread *th = vm->vcpus[i];
		if (!th || th->state == THREAD_DEAD)
			continue;
		thread_suspend(th);
		running |= th->state == THREAD_RUNNING;
	}
	if (running)
		return false;
	/* All at once, under the lock: nothing of the old run survives into
	 * the next, and nothing sees half a reset. */
	for (unsigned i = 0; i < CV_VM_VCPUS_MAX; i++) {
		struct thread *th = vm->vcpus[i];
		if (th && th->state != THREAD_DEAD)
			vcpu_reset(th);
	}
	arch_vm_reset(&vm->arch);
	return true;
}
