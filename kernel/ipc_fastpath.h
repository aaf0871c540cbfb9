/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path: CALL and REPLY_RECV in their common case. */
#ifndef KERNEL_IPC_FASTPATH_H
#define KERNEL_IPC_FASTPATH_H

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

#endif
