/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An endpoint's wait queues (senders, receivers) and the register part of a
 * message: shared by the generic IPC code (endpoint.c) and its fast path
 * (ipc_fastpath.c), so both keep the queues and the registers the same way.
 * Kernel lock held throughout.
 */
#ifndef KERNEL_IPC_QUEUE_H
#define KERNEL_IPC_QUEUE_H

#include <uapi/ipc.h>

#include "thread.h"

static inline void ipc_queue_push(struct thread **head, struct thread **tail, struct thread *t)
{
	t->wait_next = NULL;
	t->wait_prev = *tail;
	if (*tail)
		(*tail)->wait_next = t;
	else
		*head = t;
	*tail = t;
}

static inline void ipc_queue_remove(struct thread **head, struct thread **tail, struct thread *t)
{
	if (t->wait_prev)
		t->wait_prev->wait_next = t->wait_next;
	else
		*head = t->wait_next;
	if (t->wait_next)
		t->wait_next->wait_prev = t->wait_prev;
	else
		*tail = t->wait_prev;
	t->wait_next = t->wait_prev = NULL;
}

/* Takes the first thread off (NULL if none); the head has no wait_prev. */
static inline struct thread *ipc_queue_pop(struct thread **head, struct thread **tail)
{
	struct thread *t = *head;

	if (!t)
		return NULL;
	*head = t->wait_next;
	if (t->wait_next)
		t->wait_next->wait_prev = NULL;
	else
		*tail = NULL;
	t->wait_next = NULL;
	return t;
}

/* MR0..MR5: the first len (at most CV_IPC_MRS) from the sender, the rest
 * 0 (the ABI's "MRs from len on read as 0"). Written out whole so the
 * compiler makes straight-line code of it: this is on every message. */
static inline void ipc_copy_mrs(struct arch_context *r, const struct arch_context *s, unsigned len)
{
	const uint64_t *from = &s->x[2];
	uint64_t *to = &r->x[2];

	to[0] = len > 0 ? from[0] : 0;
	to[1] = len > 1 ? from[1] : 0;
	to[2] = len > 2 ? from[2] : 0;
	to[3] = len > 3 ? from[3] : 0;
	to[4] = len > 4 ? from[4] : 0;
	to[5] = len > 5 ? from[5] : 0;
}

_Static_assert(CV_IPC_MRS == 6, "ipc_copy_mrs copies six message registers");

#endif
