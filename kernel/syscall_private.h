/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the system-call handlers (syscall.c, syscall_vm.c) only. */
#ifndef KERNEL_SYSCALL_PRIVATE_H
#define KERNEL_SYSCALL_PRIVATE_H

#include <stdint.h>
#include <uapi/cap.h>
#include <uapi/status.h>

#include "arch/context.h"
#include "cap.h"
#include "kobject.h"
#include "task.h"
#include "thread.h"

/* A handler reads its arguments from and writes its results to the
 * caller's context, and returns the status (SYSCALL_NO_STATUS when it
 * set the caller's status itself or the caller is blocked). */
typedef int (*syscall_handler)(struct thread *caller, struct arch_context *c);

#define SYSCALL_NO_STATUS (-1)
#define SYSCALL_RESTART (-2)   /* run the same call again (long operation) */
#define REVOKE_BUDGET 64       /* capabilities deleted per kernel entry */
#define DEBUG_WRITE_MAX 4096

static inline struct cap_space *cspace_of(struct thread *t)
{
	return &t->task->cspace;
}

static inline uint32_t slot_arg(const struct arch_context *c, unsigned n)
{
	uint64_t v = arch_syscall_arg(c, n);
	/* A slot index past 32 bits is out of range in every space. */
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The destination of a new object must be free before anything is made. */
static inline int check_empty_slot(struct cap_space *cs, uint32_t slot)
{
	const struct cap_slot *s = cap_slot_at(cs, slot);
	if (!s)
		return CV_E_BAD_SLOT;
	if (s->obj)
		return CV_E_SLOT_IN_USE;
	return CV_OK;
}

static inline int lookup_quota(struct thread *t, uint32_t slot, struct quota **q)
{
	const struct cap_slot *cap;
	int err = cap_lookup(cspace_of(t), slot, CV_OBJ_QUOTA, CV_RIGHT_WRITE, &cap);
	if (!err)
		*q = &container_of(cap->obj, struct quota_obj, obj)->quota;
	return err;
}

/* What every call that makes an object checks first, in this order: the
 * quota at argument n (WRITE) pays, and the object's first capability
 * goes to the empty slot at argument n + 1. */
static inline int lookup_payer_and_slot(struct thread *t, const struct arch_context *c, unsigned n,
					struct quota **q, uint32_t *dst)
{
	int err = lookup_quota(t, slot_arg(c, n), q);

	*dst = slot_arg(c, n + 1);
	return err ? err : check_empty_slot(cspace_of(t), *dst);
}

/* A capability of either type (with the write right); errors as cap_lookup
 * gives them for the first type, CV_E_BAD_TYPE if it is of neither. */
static inline int lookup_either(struct thread *t, uint32_t slot, enum cv_obj_type first,
				enum cv_obj_type second, const struct cap_slot **cap)
{
	int err = cap_lookup(cspace_of(t), slot, first, CV_RIGHT_WRITE, cap);
	if (err == CV_E_BAD_TYPE)
		err = cap_lookup(cspace_of(t), slot, second, CV_RIGHT_WRITE, cap);
	return err;
}

/* An address space to map into: a task's, or a VM's guest-physical one. */
static inline int lookup_space(struct thread *t, uint32_t slot, const struct cap_slot **cap)
{
	return lookup_either(t, slot, CV_OBJ_TASK, CV_OBJ_VM, cap);
}

/* syscall_vm.c */
int sys_vm_create(struct thread *caller, struct arch_context *c);
int sys_vcpu_create(struct thread *caller, struct arch_context *c);
int sys_vcpu_set_exit(struct thread *caller, struct arch_context *c);
int sys_vm_irq(struct thread *caller, struct arch_context *c);
int sys_vm_irq_bind(struct thread *caller, struct arch_context *c);
int sys_vm_reset(struct thread *caller, struct arch_context *c);
int sys_vcpu_stats(struct thread *caller, struct arch_context *c);

#endif
