// SPDX-License-Identifier: BSD-2-Clause
#include "endpoint.h"

#include <uapi/ipc.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "arch/smp.h"
#include "arch/vspace.h"
#include "ipc_queue.h"
#include "kobject.h"
#include "notification.h"
#include "panic.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"

struct close_watch {
	struct cap_watch w;
	struct close_watch *next;
	struct quota *quota;
	uint64_t pa;
};

int endpoint_create(struct quota *q, struct endpoint **out)
{
	uint64_t pa;
	int err = kmem_alloc(q, 1, &pa);

	if (err)
		return err;
	struct endpoint *ep = arch_phys_to_virt(pa);
	cap_obj_init(&ep->obj, CV_OBJ_ENDPOINT);
	ep->quota = q;
	ep->pa = pa;
	*out = ep;
	return CV_OK;
}

/* Threads waiting with a timeout, in no particular order: timeouts are
 * few. earliest_deadline is the smallest deadline among them, or one that
 * was cancelled since (never later than the real one): the timer
 * interrupt compares it without the lock. */
static struct thread *timed_waiters;
static uint64_t earliest_deadline = UINT64_MAX;

/* The earliest deadline left, and this CPU's timer set for it. */
static void deadline_rearm(void)
{
	uint64_t earliest = UINT64_MAX;

	for (const struct thread *t = timed_waiters; t; t = t->timeout_next)
		earliest = t->deadline < earliest ? t->deadline : earliest;
	__atomic_store_n(&earliest_deadline, earliest, __ATOMIC_RELAXED);
	if (earliest != UINT64_MAX)
		arch_timer_wake_at(earliest);
}

static void timeout_cancel(struct thread *t)
{
	if (!t->deadline)
		return;
	if (t->timeout_prev)
		t->timeout_prev->timeout_next = t->timeout_next;
	else
		__atomic_store_n(&timed_waiters, t->timeout_next, __ATOMIC_RELAXED);
	if (t->timeout_next)
		t->timeout_next->timeout_prev = t->timeout_prev;
	t->timeout_next = t->timeout_prev = NULL;
	t->deadline = 0;
}

static void block(struct thread *t, enum ipc_wait wait, struct endpoint *ep)
{
	t->wait = wait;
	t->wait_ep = ep;
	t->state = THREAD_BLOCKED;
	/* A call's timeout bounds the whole call, its reply included: a
	 * client need not trust its server to answer. Set once per call. */
	uint64_t n = (arch_syscall_arg(&t->ctx, 1) & CV_IPC_TIMEOUT_MASK) >> CV_IPC_TIMEOUT_SHIFT;
	if (n && !t->deadline && !t->in_fault) {
		uint64_t ms = 1ull << (n - 1);
		t->deadline = arch_counter_read() + ms * (arch_counter_frequency() / 1000);
		t->timeout_prev = NULL;
		t->timeout_next = timed_waiters;
		if (timed_waiters)
			timed_waiters->timeout_prev = t;
		__atomic_store_n(&timed_waiters, t, __ATOMIC_RELAXED);
		/* The thread blocks on this CPU, whose timer wakes it on
		 * time rather than at a tick. */
		if (t->deadline < earliest_deadline)
			__atomic_store_n(&earliest_deadline, t->deadline, __ATOMIC_RELAXED);
		arch_timer_wake_at(t->deadline);
	}
}

/* Wakes a blocked thread with a status (its other results already set). */
static void wake(struct thread *t, int status)
{
	timeout_cancel(t);
	arch_syscall_set_status(&t->ctx, (uint64_t)status);
	t->wait_ep = NULL;
	thread_unblock(t);
}

/* A thread waiting on behalf of a fault has no system call to fail: with
 * its handler gone, it goes the way of a thread without one. */
static void wake_sender(struct thread *t, int status)
{
	if (t->in_fault) {
		t->in_fault = false;
		t->wait = IPC_NONE;
		t->wait_ep = NULL;
		if (t->task)
			task_kill(t->task, t->vcpu ? "the vCPU's monitor went away" : "its fault handler went away");
		return;
	}
	wake(t, status);
}

/* ---- the message ---- */

/* The part of a message beyond the registers: from the sender's buffer to
 * the receiver's, both looked up now (a buffer unmapped since it was set
 * simply carries nothing). Returns whether anything was copied. */
static bool copy_extra(struct thread *sender, struct thread *receiver)
{
	uint64_t buf[CV_IPC_BUFFER_WORDS];

	if (!sender->ipc_buffer || !receiver->ipc_buffer || !sender->task || !receiver->task)
		return false;
	if (task_copy_from(sender->task, buf, sender->ipc_buffer, sizeof(buf[0])) != CV_OK)
		return false;
	uint64_t n = MIN(buf[0], (uint64_t)CV_IPC_BUFFER_WORDS - 1);
	buf[0] = n;
	if (task_copy_from(sender->task, buf + 1, sender->ipc_buffer + 8, n * 8) != CV_OK ||
	    task_copy_to(receiver->task, receiver->ipc_buffer, buf, (n + 1) * 8) != CV_OK)
		return false;
	return true;
}

/* A fault or exit message: made by the kernel, never from the faulting
 * thread's registers, which stay as they were. */
static void transfer_fault(const struct thread *sender, struct thread *receiver, cv_badge_t badge)
{
	struct arch_context *r = &receiver->ctx;
	bool exit = sender->vcpu != NULL;
	uint64_t info = exit ? CV_IPC_MRS | CV_IPC_VCPU_EXIT : 4 | CV_IPC_FAULT;

	for (unsigned i = 0; i < CV_IPC_MRS; i++)
		arch_syscall_set_result(r, 2 + i, i < 4 || exit ? sender->fault_msg[i] : 0);
	if (exit && vcpu_deliver_state(sender, receiver))
		info |= CV_IPC_EXTRA;
	arch_syscall_set_result(r, 1, info);
	r->x[8] = badge;
}

/* The capabilities a message names (info), copied into the receiver's
 * receive slots (receive_arg) in order; returns how many arrived. */
static unsigned transfer_caps(struct thread *sender, struct thread *receiver, uint64_t info,
			      uint64_t receive_arg)
{
	unsigned want = (unsigned)((info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT);
	unsigned moved = 0;

	for (unsigned i = 0; i < want && i < CV_IPC_CAPS_MAX; i++) {
		uint32_t from = (uint32_t)(info >> CV_IPC_CAP_SLOT_SHIFT(i)) & 0xffff;
		uint32_t to = (uint32_t)(receive_arg >> (32 + 16 * moved)) & 0xffff;
		if (!to)
			break;
		if (cap_copy(&sender->task->cspace, from, &receiver->task->cspace, to, CV_RIGHTS_ALL) == CV_OK)
			moved++;
	}
	return moved;
}

/* Copies the message in sender's registers to receiver's, with the badge
 * and user rights the sender used, and as many capabilities as both sides
 * allow. receive_arg is the receiver's x0 from its receiving call. The
 * common message (registers only) costs only the register copy: the
 * buffer and the capabilities are looked at only when the info asks. */
static void transfer(struct thread *sender, struct thread *receiver, cv_badge_t badge,
		     uint32_t user_rights, bool grant, uint64_t receive_arg)
{
	const struct arch_context *s = &sender->ctx;
	struct arch_context *r = &receiver->ctx;

	if (sender->in_fault) {
		transfer_fault(sender, receiver, badge);
		return;
	}
	uint64_t info = arch_syscall_arg(s, 1);
	unsigned len = MIN((unsigned)(info & CV_IPC_LEN_MASK), (unsigned)CV_IPC_MRS);
	uint64_t out = len | ((uint64_t)(user_rights >> CV_RIGHTS_USER_SHIFT) & 0xff) << CV_IPC_USER_RIGHTS_SHIFT;

	ipc_copy_mrs(r, s, len);
	if ((info & CV_IPC_EXTRA) && copy_extra(sender, receiver))
		out |= CV_IPC_EXTRA;
	if ((info & CV_IPC_CAPS_MASK) && grant && sender->task && receiver->task)
		out |= (uint64_t)transfer_caps(sender, receiver, info, receive_arg) << CV_IPC_CAPS_SHIFT;
	arch_syscall_set_result(r, 1, out);
	r->x[8] = badge;
}

/* Ends a server's obligation to answer its caller, telling the caller. */
static void drop_reply(struct thread *server, int status)
{
	struct thread *caller = server->reply_to;

	if (!caller)
		return;
	server->reply_to = NULL;
	caller->replier = NULL;
	wake_sender(caller, status);
}

static void deliver_event(struct thread *receiver, struct close_watch *cw)
{
	struct arch_context *r = &receiver->ctx;

	for (unsigned i = 0; i < CV_IPC_MRS; i++)
		arch_syscall_set_result(r, 2 + i, 0);
	arch_syscall_set_result(r, 1, CV_IPC_CLOSE_EVENT);
	r->x[8] = cw->w.badge;
	kmem_free(cw->quota, cw->pa, 1);
}

/* The receiver takes the sender's message; a caller then waits for the
 * receiver's reply, a plain sender goes on. */
static void rendezvous(struct thread *sender, struct thread *receiver, bool is_call, cv_badge_t badge,
		       uint32_t rights, bool grant)
{
	/* The receiver has its message; a caller keeps its deadline for the
	 * reply. */
	timeout_cancel(receiver);
	if (!is_call)
		timeout_cancel(sender);
	drop_reply(receiver, CV_E_DEAD); /* an earlier caller it never answered */
	transfer(sender, receiver, badge, rights, grant, receiver->ctx.x[0]);
	if (is_call) {
		receiver->reply_to = sender;
		sender->replier = receiver;
		block(sender, IPC_REPLY, NULL);
	} else if (sender->state == THREAD_BLOCKED) {
		wake(sender, CV_OK);
	}
}

void endpoint_call(struct thread *caller, struct endpoint *ep, const struct cap_slot *cap, bool reply_wanted)
{
	bool grant = cap->rights & CV_RIGHT_GRANT;
	struct thread *receiver = ipc_queue_pop(&ep->recv_head, &ep->recv_tail);

	if (receiver) {
		rendezvous(caller, receiver, reply_wanted, cap->badge, cap->rights, grant);
		wake(receiver, CV_OK);
		if (!reply_wanted)
			arch_syscall_set_status(&caller->ctx, CV_OK);
		return;
	}
	if (arch_syscall_arg(&caller->ctx, 1) & CV_IPC_NONBLOCK) {
		arch_syscall_set_status(&caller->ctx, CV_E_WOULD_BLOCK);
		return;
	}
	caller->is_call = reply_wanted;
	caller->send_badge = cap->badge;
	caller->send_rights = cap->rights;
	caller->send_grant = grant;
	ipc_queue_push(&ep->send_head, &ep->send_tail, caller);
	block(caller, IPC_SEND, ep);
}

void endpoint_fault(struct thread *t, struct endpoint *ep, const struct cap_slot *cap)
{
	struct thread *receiver = ipc_queue_pop(&ep->recv_head, &ep->recv_tail);

	if (receiver) {
		rendezvous(t, receiver, true, cap->badge, cap->rights, false);
		wake(receiver, CV_OK);
		return;
	}
	t->is_call = true;
	t->send_badge = cap->badge;
	t->send_rights = cap->rights;
	t->send_grant = false;
	ipc_queue_push(&ep->send_head, &ep->send_tail, t);
	block(t, IPC_SEND, ep);
}

void endpoint_recv(struct thread *receiver, struct endpoint *ep)
{
	struct close_watch *cw = ep->events_head;

	if (cw) {
		ep->events_head = cw->next;
		if (!ep->events_head)
			ep->events_tail = NULL;
		drop_reply(receiver, CV_E_DEAD);
		deliver_event(receiver, cw);
		arch_syscall_set_status(&receiver->ctx, CV_OK);
		return;
	}
	struct thread *sender = ipc_queue_pop(&ep->send_head, &ep->send_tail);
	if (sender) {
		sender->wait = IPC_NONE;
		sender->wait_ep = NULL;
		rendezvous(sender, receiver, sender->is_call, sender->send_badge, sender->send_rights,
			   sender->send_grant);
		arch_syscall_set_status(&receiver->ctx, CV_OK);
		return;
	}
	/* Signals of its bound notification come before blocking. */
	if (notification_take_bound(receiver)) {
		drop_reply(receiver, CV_E_DEAD);
		return;
	}
	if (arch_syscall_arg(&receiver->ctx, 1) & CV_IPC_NONBLOCK) {
		arch_syscall_set_status(&receiver->ctx, CV_E_WOULD_BLOCK);
		return;
	}
	ipc_queue_push(&ep->recv_head, &ep->recv_tail, receiver);
	block(receiver, IPC_RECV, ep);
}

int endpoint_reply(struct thread *server, uint64_t *delivered)
{
	struct thread *caller = server->reply_to;

	*delivered = 0;
	if (!caller)
		return CV_E_DEAD; /* nobody to answer: never called, or the caller died */
	if (caller->in_fault && caller->vcpu)
		return vcpu_reply(server, caller);
	if (caller->in_fault && (arch_syscall_arg(&server->ctx, 1) & CV_IPC_LEN_MASK) >= 1) {
		uint64_t pc = server->ctx.x[2];
		/* Checked before anything changes: the faulted thread keeps
		 * waiting for a usable reply. */
		if ((pc & 3) || pc >= arch_vspace_limit())
			return CV_E_BAD_ADDRESS;
	}
	server->reply_to = NULL;
	caller->replier = NULL;
	if (caller->in_fault) {
		/* Resume the faulted thread, at a new pc if the reply says. */
		uint64_t info = arch_syscall_arg(&server->ctx, 1);
		if ((info & CV_IPC_LEN_MASK) >= 1)
			caller->ctx.pc = server->ctx.x[2];
		/* A pc it could never fetch from faults again at once. */
		caller->in_fault = false;
		thread_unblock(caller);
		return CV_OK;
	}
	/* Reply capabilities go where the caller said when it called. */
	transfer(server, caller, 0, 0, true, caller->ctx.x[0]);
	*delivered = arch_syscall_arg(&caller->ctx, 1);
	wake(caller, CV_OK);
	return CV_OK;
}

void endpoint_cancel_ipc(struct thread *th)
{
	struct endpoint *ep = th->wait_ep;

	timeout_cancel(th);
	if (th->wait == IPC_SEND && ep)
		ipc_queue_remove(&ep->send_head, &ep->send_tail, th);
	else if (th->wait == IPC_RECV && ep)
		ipc_queue_remove(&ep->recv_head, &ep->recv_tail, th);
	else if (th->wait == IPC_REPLY && th->replier) {
		th->replier->reply_to = NULL;
		th->replier = NULL;
	} else if (th->wait == IPC_NOTIFICATION) {
		notification_cancel(th);
	}
	th->wait = IPC_NONE;
	th->wait_ep = NULL;
	drop_reply(th, CV_E_DEAD); /* its own caller waits in vain otherwise */
}

void endpoint_destroy(struct endpoint *ep)
{
	struct thread *t;

	while ((t = ipc_queue_pop(&ep->send_head, &ep->send_tail)))
		wake_sender(t, CV_E_DEAD);
	while ((t = ipc_queue_pop(&ep->recv_head, &ep->recv_tail)))
		wake(t, CV_E_DEAD);
	for (struct close_watch *cw = ep->events_head, *next; cw; cw = next) {
		next = cw->next;
		kmem_free(cw->quota, cw->pa, 1);
	}
	kmem_free(ep->quota, ep->pa, 1);
}

/* ---- close watches ---- */

int endpoint_watch(struct cap_space *server, uint32_t slot, struct quota *q)
{
	uint64_t pa;
	int err = kmem_alloc(q, 1, &pa);

	if (err)
		return err;
	struct close_watch *cw = arch_phys_to_virt(pa);
	cw->quota = q;
	cw->pa = pa;
	err = cap_watch(server, slot, &cw->w);
	if (err)
		kmem_free(q, pa, 1);
	return err;
}

void endpoint_close_event(struct cap_watch *w, void *ctx)
{
	(void)ctx;
	struct close_watch *cw = container_of(w, struct close_watch, w);
	struct endpoint *ep = container_of(w->obj, struct endpoint, obj);
	struct thread *receiver = ipc_queue_pop(&ep->recv_head, &ep->recv_tail);

	if (receiver) {
		drop_reply(receiver, CV_E_DEAD);
		deliver_event(receiver, cw);
		wake(receiver, CV_OK);
		return;
	}
	cw->next = NULL;
	if (ep->events_tail)
		ep->events_tail->next = cw;
	else
		ep->events_head = cw;
	ep->events_tail = cw;
}

void endpoint_watch_cancelled(struct cap_watch *w, void *ctx)
{
	(void)ctx;
	struct close_watch *cw = container_of(w, struct close_watch, w);
	kmem_free(cw->quota, cw->pa, 1);
}

bool endpoint_timeouts_due(void)
{
	return __atomic_load_n(&earliest_deadline, __ATOMIC_RELAXED) <= arch_counter_read();
}

void endpoint_expire_timeouts(void)
{
	uint64_t now = arch_counter_read();

	for (struct thread *t = timed_waiters, *next; t; t = next) {
		next = t->timeout_next;
		if (now < t->deadline)
			continue;
		/* Off the endpoint's queue only: a reply the thread owes its own
		 * caller stays owed. */
		struct endpoint *ep = t->wait_ep;
		if (t->wait == IPC_SEND && ep) {
			ipc_queue_remove(&ep->send_head, &ep->send_tail, t);
		} else if (t->wait == IPC_RECV && ep) {
			ipc_queue_remove(&ep->recv_head, &ep->recv_tail, t);
		} else if (t->wait == IPC_REPLY && t->replier) {
			/* Its server's late reply will find nobody (CV_E_DEAD). */
			t->replier->reply_to = NULL;
			t->replier = NULL;
		}
		wake(t, CV_E_TIMEOUT); /* also takes it off this list */
	}
	deadline_rearm();
}
