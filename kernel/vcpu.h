/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vCPUs: threads whose context is a guest's (docs/virtualization.md). A
 * vCPU is scheduled like any thread; when the guest does something the
 * kernel does not handle, the vCPU "calls" its exit endpoint with a
 * message the kernel makes (the way a faulting thread calls its fault
 * handler), and the monitor's reply resumes it.
 */
#ifndef KERNEL_VCPU_H
#define KERNEL_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/guest_types.h>

#include "kernel.h"

struct quota;
struct task;
struct thread;
struct vcpu_exit;

struct vcpu {
	struct thread *thread;
	struct quota *quota;
	uint64_t pa;
	unsigned index;         /* in its VM: MPIDR Aff0, exit capability slot */
	uint32_t exit_flags;    /* CV_VCPU_EXIT_* and CV_VCPU_STATE_* */
	bool powered_on;        /* PSCI's view: started and not CPU_OFF */
	struct vcpu *cpu_next;  /* the vCPUs pinned to the same CPU */
	struct cv_vcpu_state state; /* taken at the exit it waits in, if asked for */
	struct cv_vcpu_stats stats; /* since creation (CV_SYS_VCPU_STATS); size and version unused */
	struct arch_vcpu arch;
};

/* Creates vCPU index of the VM in vm_task, paid from q (the thread and
 * the vCPU state). Returns an enum cv_status. */
int vcpu_create(struct task *vm_task, struct quota *q, unsigned index, uint64_t pc, uint64_t x0,
		unsigned priority, unsigned cpu, struct thread **out) __must_check;
/* The exit endpoint: the capability at ep_slot of caller's space. */
int vcpu_set_exit(struct thread *th, struct task *caller, uint32_t ep_slot, uint32_t flags) __must_check;
/* Releases what a vCPU thread has beyond a thread (thread_free calls). */
void vcpu_free(struct thread *th);

struct arch_context;

/* From the trap path: the guest exception of the running vCPU. Returns
 * the context to resume if an exit went the fast way (the monitor thread
 * that took it runs now: nothing else to schedule); NULL: the generic
 * path goes on. */
struct arch_context *vcpu_trap(struct thread *th, uint64_t esr);
/* The monitor replied to th's exit. */
int vcpu_reply(struct thread *server, struct thread *th) __must_check;
/* The fast path's part of it (ipc_fastpath.c): completes th's exit as the
 * reply in server's registers asks, if the reply only completes (flags
 * without SET_STATE, IRQ or STOP) and is valid; false, having changed
 * nothing, otherwise. The caller has checked that the info word names at
 * most CV_IPC_MRS registers; the IPC state is its business. */
bool vcpu_reply_complete(const struct thread *server, struct thread *th);
/* The state the exiting vCPU th carries, into receiver's message buffer;
 * false if it asked for none or the buffer cannot take it. */
bool vcpu_deliver_state(const struct thread *th, struct thread *receiver);

/* Used by the architecture's guest code. */
void vcpu_wait_for_irq(struct thread *th);
/* Something for the vCPU to take: wake it from WFI, or make it look at
 * its list registers again if it runs on another CPU. */
void vcpu_kick(struct thread *th);
/* The VM's vCPU with this index, or NULL. */
struct thread *vcpu_of_vm(struct task *vm_task, unsigned index);
/* PSCI CPU_ON / CPU_OFF / AFFINITY_INFO, as PSCI return codes. */
long vcpu_power_on(struct thread *caller, unsigned index, uint64_t pc, uint64_t x0);
void vcpu_power_off(struct thread *th);
long vcpu_affinity_info(struct thread *caller, unsigned index);
/* Per tick: the virtual timers of this CPU's vCPUs that are not loaded. */
void vcpu_tick(void);
/* Does a vCPU of this CPU sleep in WFI (read without the lock: a hint)? */
bool vcpu_tick_wanted(void);
/* th is about to stop for good (thread_stop). */
void vcpu_stopped(struct thread *th);
/* CV_SYS_VM_RESET's part for one vCPU, which runs nowhere (it is
 * suspended and off its CPU): out of whatever it waits in (an exit is
 * cancelled: its monitor's reply finds nobody), not started, not
 * suspended, powered off, every register at its reset value. Exit
 * endpoint, exit flags and counters stay. */
void vcpu_reset(struct thread *th);
/* Its counters, as CV_SYS_VCPU_STATS reports them. */
void vcpu_stats_read(const struct thread *th, struct cv_vcpu_stats *out);

/* One more of a vCPU's counters. Only the vCPU's own CPU counts (under
 * the kernel lock or, for the null hypercall, without it), but any CPU may
 * read them: a plain increment with a whole-word (volatile) store, which
 * keeps the compiler's offset addressing that an atomic store loses. */
static inline void vcpu_count(uint64_t *counter)
{
	*(volatile uint64_t *)counter = *counter + 1;
}

#endif
