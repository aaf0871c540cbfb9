/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual machines (docs/virtualization.md). A VM's memory is a task
 * without threads of its own: its address space is the guest-physical
 * space (frames and devices are mapped into it like into a task), its
 * capability space holds each vCPU's exit endpoint capability (slot =
 * vCPU index), and killing it stops every vCPU. struct vm adds the
 * interrupt controller and the vCPU table.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/guest_types.h>
#include <uapi/vm.h>

#include "kernel.h"

struct quota;
struct task;
struct thread;

struct vm {
	struct task *task;
	uint64_t pa;
	struct thread *vcpus[CV_VM_VCPUS_MAX];
	struct arch_vm arch;
};

/* A VM with its own task-like memory, paid from q. */
int vm_create(struct quota *q, unsigned max_priority, struct task **out) __must_check;
/* The VM's memory is released (task_release_memory). */
void vm_release(struct task *t);
/* One round of CV_SYS_VM_RESET: every vCPU is suspended, and one running
 * on another CPU is made to leave its guest. Once none runs anywhere the
 * whole VM is reset (vcpu_reset, arch_vm_reset) and true returned; false:
 * not yet, run the round again (the system call restarts, giving the
 * kernel lock up in between, as THREAD_SUSPEND does). */
bool vm_reset(struct vm *vm) __must_check;

#endif
