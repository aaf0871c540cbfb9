/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path: CALL and REPLY_RECV in their common case. */
#ifndef KERNEL_IPC_FASTPATH_H
#define KERNEL_IPC_FASTPATH_H

#include <stdint.h>

struct arch_context;
struct cpu;
struct thread;

/*
 * Runs the system call t has just trapped with (t: this CPU's current
 * thread) if it is a CALL or REPLY_RECV the fast path covers, and returns
 * the context to resume: the woken partner's. Returns NULL, having changed
 * nothing, when the generic path must handle the entry. Kernel lock held.
 */
struct arch_context *ipc_fastpath(struct cpu *cpu, struct thread *t);

struct cap_slot;

/*
 * The exit fast path: vcpu, this CPU's current thread, exits with message
 * mr (MR0..MR5, no exit state) through cap, its exit capability. If a
 * monitor thread waits on the endpoint and can run here at once, it gets
 * the exit and runs, and its context is returned; otherwise NULL, with
 * nothing changed (the generic path delivers the exit). Kernel lock held.
 */
struct arch_context *ipc_fastpath_exit(struct cpu *cpu, struct thread *vcpu, const uint64_t *mr,
				       const struct cap_slot *cap);

#endif
