// SPDX-License-Identifier: BSD-2-Clause
#include "notification.h"

#include <uapi/ipc.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "device.h"
#include "endpoint.h"
#include "kobject.h"
#include "sched.h"
#include "thread.h"

int notification_create(struct quota *q, struct notification **out)
{
	uint64_t pa;
	int err = kmem_alloc(q, 1, &pa);

	if (err)
		return err;
	struct notification *n = arch_phys_to_virt(pa);
	cap_obj_init(&n->obj, CV_OBJ_NOTIFICATION);
	n->quota = q;
	n->pa = pa;
	*out = n;
	return CV_OK;
}

static void make_ready(struct thread *t, int status)
{
	arch_syscall_set_status(&t->ctx, (uint64_t)status);
	t->wait_ntfn = NULL;
	thread_unblock(t);
}

static void unlink_waiter(struct notification *n, struct thread *t)
{
	if (t->wait_prev)
		t->wait_prev->wait_next = t->wait_next;
	else
		n->wait_head = t->wait_next;
	if (t->wait_next)
		t->wait_next->wait_prev = t->wait_prev;
	else
		n->wait_tail = t->wait_prev;
	t->wait_next = t->wait_prev = NULL;
}

/* What a woken waiter or receiver gets: the word in x1 (waiters) or, for
 * a bound thread in RECV, a message flagged as a notification. */
static void deliver_to_waiter(struct thread *t, uint64_t word)
{
	arch_syscall_set_result(&t->ctx, 1, word);
	make_ready(t, CV_OK);
}

void notification_signal(struct notification *n, uint64_t bits)
{
	n->word |= bits;
	if (!n->word)
		return;
	struct thread *t = n->wait_head;
	if (t) {
		unlink_waiter(n, t);
		uint64_t word = n->word;
		n->word = 0;
		deliver_to_waiter(t, word);
		return;
	}
	t = n->bound;
	if (t && t->state == THREAD_BLOCKED && t->wait == IPC_RECV) {
		endpoint_cancel_ipc(t);
		(void)notification_take_bound(t);
		thread_unblock(t);
	}
}

void notification_wait(struct thread *t, struct notification *n, bool nonblocking)
{
	if (n->word) {
		arch_syscall_set_result(&t->ctx, 1, n->word);
		n->word = 0;
		arch_syscall_set_status(&t->ctx, CV_OK);
		return;
	}
	if (nonblocking) {
		arch_syscall_set_result(&t->ctx, 1, 0);
		arch_syscall_set_status(&t->ctx, CV_E_WOULD_BLOCK);
		return;
	}
	t->wait_next = NULL;
	t->wait_prev = n->wait_tail;
	if (n->wait_tail)
		n->wait_tail->wait_next = t;
	else
		n->wait_head = t;
	n->wait_tail = t;
	t->wait = IPC_NOTIFICATION;
	t->wait_ntfn = n;
	t->state = THREAD_BLOCKED;
}

int notification_bind(struct notification *n, struct thread *t)
{
	if (n->bound || t->bound_ntfn)
		return CV_E_BUSY;
	n->bound = t;
	t->bound_ntfn = n;
	return CV_OK;
}

bool notification_take_bound(struct thread *t)
{
	struct notification *n = t->bound_ntfn;

	if (!n || !n->word)
		return false;
	struct arch_context *c = &t->ctx;
	for (unsigned i = 0; i < CV_IPC_MRS; i++)
		arch_syscall_set_result(c, 2 + i, 0);
	arch_syscall_set_result(c, 1, CV_IPC_NOTIFICATION);
	c->x[8] = n->word;
	n->word = 0;
	arch_syscall_set_status(c, CV_OK);
	return true;
}

void notification_cancel(struct thread *t)
{
	if (t->wait == IPC_NOTIFICATION && t->wait_ntfn) {
		unlink_waiter(t->wait_ntfn, t);
		t->wait = IPC_NONE;
		t->wait_ntfn = NULL;
	}
}

void notification_unbind_thread(struct thread *t)
{
	if (t->bound_ntfn) {
		t->bound_ntfn->bound = NULL;
		t->bound_ntfn = NULL;
	}
}

void notification_destroy(struct notification *n)
{
	struct thread *t;

	while ((t = n->wait_head)) {
		unlink_waiter(n, t);
		arch_syscall_set_result(&t->ctx, 1, 0);
		make_ready(t, CV_E_DEAD);
	}
	if (n->bound)
		n->bound->bound_ntfn = NULL;
	irq_notification_gone(n);
	kmem_free(n->quota, n->pa, 1);
}
