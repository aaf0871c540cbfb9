/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Switching a CPU to a thread, and the direct switch of the IPC fast path
 * (kernel/ipc_fastpath.c): a thread that the current one wakes just before
 * it blocks runs at once, without sched_make_ready, the run queue and
 * sched_next_context's general case. Inline, because they are most of a
 * fast IPC's scheduling. Kernel lock held.
 */
#ifndef KERNEL_SCHED_DIRECT_H
#define KERNEL_SCHED_DIRECT_H

#include "arch/context.h"
#include "arch/guest.h"
#include "arch/vspace.h"
#include "cpu.h"
#include "fpu.h"
#include "sched.h"
#include "task.h"
#include "thread.h"

/* next becomes this CPU's running thread, with the state that lives in
 * registers (the address space is the caller's business). Returns its
 * context, the one to resume. */
static inline struct arch_context *switch_to(struct cpu *cpu, struct thread *next)
{
	cpu->need_resched = false;
	next->state = THREAD_RUNNING;
	fpu_switch_to(cpu, next);
	cpu->current = next;
	cpu->user_context = &next->ctx;
	return &next->ctx;
}

/*
 * Whether next, a thread this CPU's current thread is about to wake just
 * before blocking, is what the CPU would run next: it is pinned here and no
 * ready thread outranks it (the condition of sched_make_ready's hand-off,
 * which sched_next_context then honours). No bit of ready_levels above
 * next's priority.
 */
static inline bool sched_direct_switch_ok(const struct cpu *cpu, const struct thread *next)
{
	return next->cpu == cpu->index && (cpu->ready_levels >> next->priority) <= 1;
}

/* prev, the current thread, has just blocked; next, just woken, runs in
 * its place: what sched_make_ready's hand-off and sched_next_context would
 * have done, for two threads that are not virtual CPUs. No
 * arch_guest_switch and no vCPU entry: while a task's thread runs, its CPU
 * is in task mode already (a vCPU's state may stay loaded there, lazily,
 * but nothing of it is a task's business), so switching to another task's
 * thread changes nothing of it. Returns next's context. */
static inline struct arch_context *sched_direct_switch(struct cpu *cpu, struct thread *prev, struct thread *next)
{
	next->timeslice = SCHED_TIMESLICE_TICKS;
	/* Both threads are live and prev's address space is the active one:
	 * a thread of the same task needs no new one. */
	if (next->task != prev->task)
		arch_vspace_activate(&next->task->vspace);
	return switch_to(cpu, next);
}

/* The same when one of the two is a virtual CPU (the exit fast path): a
 * VM and its monitor are different tasks, and the world switch and the
 * vCPU entry come as in sched_next_context (lazy EL1 state keeps the
 * switch between a vCPU and a task on its CPU cheap). */
static inline struct arch_context *sched_direct_switch_world(struct cpu *cpu, struct thread *prev,
							     struct thread *next)
{
	next->timeslice = SCHED_TIMESLICE_TICKS;
	arch_vspace_activate(&next->task->vspace);
	struct arch_context *ctx = switch_to(cpu, next);
	arch_guest_switch(prev, next);
	if (next->vcpu)
		arch_vcpu_enter(next);
	return ctx;
}

#endif
