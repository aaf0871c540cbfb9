/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoints: synchronous IPC (call, send, receive, reply) with badges,
 * user rights and capability transfer, plus close events — the badge of a
 * watched capability whose last copy outside the server went away arrives
 * at the endpoint like a message (include/uapi/ipc.h).
 */
#ifndef KERNEL_ENDPOINT_H
#define KERNEL_ENDPOINT_H

#include <stdint.h>

#include "cap.h"
#include "kernel.h"

struct thread;
struct quota;
struct close_watch;

struct endpoint {
	struct kobj obj;
	struct quota *quota;
	uint64_t pa;
	struct thread *send_head, *send_tail; /* blocked senders and callers */
	struct thread *recv_head, *recv_tail; /* blocked receivers */
	struct close_watch *events_head, *events_tail; /* fired, not yet received */
};

int endpoint_create(struct quota *q, struct endpoint **out) __must_check;
/* The last capability went (a capability callback): waiters get CV_E_DEAD. */
void endpoint_destroy(struct endpoint *ep);

/* System calls; the caller is the current thread, the endpoint capability
 * already looked up and checked. Results go to the threads' contexts. */
void endpoint_call(struct thread *caller, struct endpoint *ep, const struct cap_slot *cap, bool reply_wanted);
void endpoint_recv(struct thread *receiver, struct endpoint *ep);
/* *delivered: the info word the caller received (0: the reply went to a
 * faulted thread or a vCPU's exit, which take no message). */
int endpoint_reply(struct thread *server, uint64_t *delivered) __must_check;
/* A faulting thread calls its fault handler's endpoint (fault_msg set). */
void endpoint_fault(struct thread *t, struct endpoint *ep, const struct cap_slot *cap);

/* Whether a thread's IPC timeout may have passed: read without the kernel
 * lock at every timer interrupt (the earliest deadline; it may be one
 * that was cancelled since, which costs one look). */
bool endpoint_timeouts_due(void);
/* Wakes the threads whose IPC timeout has passed (CV_E_TIMEOUT). */
void endpoint_expire_timeouts(void);

/* Takes a thread out of whatever IPC it is in (it is stopping). */
void endpoint_cancel_ipc(struct thread *th);

/* Registers a close watch for the badged endpoint capability in `slot` of
 * the caller's space; the record is paid from q. */
int endpoint_watch(struct cap_space *server, uint32_t slot, struct quota *q) __must_check;
/* Capability callbacks (struct cap_ops). */
void endpoint_close_event(struct cap_watch *w, void *ctx);
void endpoint_watch_cancelled(struct cap_watch *w, void *ctx);

#endif
