// SPDX-License-Identifier: BSD-2-Clause
// The IPC fast path (docs/performance.md): CALL and REPLY_RECV, the pair a
// client and its server exchange on every request, and a vCPU's exit with
// its monitor's REPLY_RECV that answers it, in their common case — a
// message in registers only, the partner already waiting and next in line
// on this CPU — as one round of checks, then the exchange and a direct
// switch to the partner. Any other case goes to the generic path
// (syscall.c, endpoint.c, vcpu.c) with nothing changed. Each check guards
// something the generic path would do differently: with all of them
// passed, the threads, the endpoint and the CPU end up exactly as the
// generic path would leave them, without its general machinery (run
// queue, timeout list, capability transfer, message buffers).
#include "ipc_fastpath.h"

#include <uapi/cap.h>
#include <uapi/ipc.h>
#include <uapi/status.h>
#include <uapi/syscall.h>

#include "cap.h"
#include "cpu.h"
#include "endpoint.h"
#include "ipc_queue.h"
#include "notification.h"
#include "sched_direct.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"

/* Info bits that send a CALL to the generic path: capabilities and the
 * message buffer (transfer's slow parts) and a timeout (a deadline on the
 * timeout list for the reply wait). NONBLOCK only matters to a send that
 * finds no receiver, which is not a fast case anyway. */
#define CALL_SLOW_INFO (CV_IPC_CAPS_MASK | CV_IPC_EXTRA | CV_IPC_TIMEOUT_MASK)
/* REPLY_RECV's NONBLOCK and timeout apply to its receive, which here
 * always waits. */
#define REPLY_RECV_SLOW_INFO (CALL_SLOW_INFO | CV_IPC_NONBLOCK)

/* A message of info's length fits the registers; the rest of info says
 * nothing the fast path would have to do (slow: one of the bits above). */
static bool fast_info(uint64_t info, uint64_t slow)
{
	return !(info & slow) && (info & CV_IPC_LEN_MASK) <= CV_IPC_MRS;
}

/* The endpoint named by t's x0, if t's capability to it has the rights. */
static struct endpoint *fast_endpoint(struct thread *t, uint32_t rights, const struct cap_slot **cap)
{
	const struct cap_slot *s =
		cap_lookup_fast(&t->task->cspace, (uint32_t)t->ctx.x[0], CV_OBJ_ENDPOINT, rights);

	if (!s)
		return NULL;
	*cap = s;
	return container_of(s->obj, struct endpoint, obj);
}

/*
 * Whether partner, a thread blocked in IPC that the current thread is about
 * to wake before blocking itself, can be woken and switched to here: the
 * thread this CPU runs next (sched_direct_switch_ok, checked first: a
 * partner on another CPU is the common reason to leave), an ordinary
 * thread (a virtual CPU's wake-ups belong to the generic path), not
 * suspended (it would stay off the CPU), no deadline to take off the
 * timeout list.
 */
static bool fast_partner(const struct cpu *cpu, const struct thread *partner)
{
	return sched_direct_switch_ok(cpu, partner) && !partner->vcpu && !partner->suspended &&
	       !partner->deadline;
}

/* Delivers the registers of from's message (len MRs) to to, with the info
 * word and badge a receive returns, and completes to's system call. */
static void fast_deliver(struct thread *to, const struct thread *from, uint64_t len, uint64_t info_out,
			 cv_badge_t badge)
{
	struct arch_context *r = &to->ctx;

	ipc_copy_mrs(r, &from->ctx, (unsigned)len);
	r->x[1] = info_out;
	r->x[8] = badge;
	r->x[0] = CV_OK;
	to->wait = IPC_NONE;
	to->wait_ep = NULL;
}

/* The receiver owes the sender a reply; the sender waits for it (what the
 * generic path's rendezvous does for a call). */
static inline void fast_await_reply(struct thread *receiver, struct thread *sender)
{
	receiver->reply_to = sender;
	sender->replier = receiver;
	sender->wait = IPC_REPLY;
	sender->wait_ep = NULL;
	sender->state = THREAD_BLOCKED;
}

/*
 * CALL to an endpoint where a receiver waits (endpoint_call's rendezvous):
 * the receiver takes the message, owes the caller a reply and runs; the
 * caller waits for the reply. The receiver must owe nobody else a reply
 * (the generic path would drop that one first).
 */
static struct arch_context *fast_call(struct cpu *cpu, struct thread *caller)
{
	uint64_t info = caller->ctx.x[1];
	const struct cap_slot *cap;
	struct endpoint *ep = fast_endpoint(caller, CV_RIGHT_WRITE, &cap);

	if (!ep)
		return NULL;
	struct thread *receiver = ep->recv_head;
	if (!receiver || !fast_partner(cpu, receiver) || receiver->reply_to || !fast_info(info, CALL_SLOW_INFO))
		return NULL;

	(void)ipc_queue_pop(&ep->recv_head, &ep->recv_tail); /* the receiver */
	uint64_t len = info & CV_IPC_LEN_MASK;
	uint64_t user = (uint64_t)((cap->rights >> CV_RIGHTS_USER_SHIFT) & 0xff) << CV_IPC_USER_RIGHTS_SHIFT;
	fast_deliver(receiver, caller, len, len | user, cap->badge);
	fast_await_reply(receiver, caller);
	return sched_direct_switch(cpu, caller, receiver);
}

/* The receive half of REPLY_RECV, checked: the endpoint server names (x0,
 * with the right to receive) if there is nothing to receive from it (no
 * close event, no queued sender, no signal of server's bound
 * notification), so that server would wait; NULL otherwise. Inline in
 * both REPLY_RECV paths: a call costs the task round trip 8 instructions. */
static inline __attribute__((always_inline)) struct endpoint *fast_recv_endpoint(struct thread *server)
{
	const struct cap_slot *cap;
	struct endpoint *ep = fast_endpoint(server, CV_RIGHT_READ, &cap);

	if (!ep || ep->send_head || ep->events_head || (server->bound_ntfn && server->bound_ntfn->word))
		return NULL;
	return ep;
}

/* server, having answered, waits on ep (endpoint_recv's blocking case). */
static void fast_wait(struct thread *server, struct endpoint *ep)
{
	ipc_queue_push(&ep->recv_head, &ep->recv_tail, server);
	server->wait = IPC_RECV;
	server->wait_ep = ep;
	server->state = THREAD_BLOCKED;
}

/*
 * REPLY_RECV of a monitor answering the exit vcpu waits in: vcpu_reply's
 * common case (the reply only completes the exit), then the receive. The
 * vCPU runs; the monitor waits on the endpoint. A vCPU waiting in an exit
 * has no deadline (block() gives none to a thread in a fault).
 */
static struct arch_context *fast_reply_recv_exit(struct cpu *cpu, struct thread *server, struct thread *vcpu)
{
	if (!sched_direct_switch_ok(cpu, vcpu) || vcpu->suspended ||
	    !fast_info(server->ctx.x[1], REPLY_RECV_SLOW_INFO))
		return NULL;
	struct endpoint *ep = fast_recv_endpoint(server);
	/* Last: it completes the exit when it says yes. */
	if (!ep || !vcpu_reply_complete(server, vcpu))
		return NULL;

	server->reply_to = NULL;
	vcpu->replier = NULL;
	vcpu->in_fault = false;
	vcpu->wait = IPC_NONE;
	fast_wait(server, ep);
	return sched_direct_switch_world(cpu, server, vcpu);
}

/*
 * REPLY_RECV of a server that owes an ordinary caller its reply and finds
 * nothing to receive: the caller gets the reply and runs; the server waits
 * on the endpoint. endpoint_reply, then endpoint_recv's blocking case.
 */
static struct arch_context *fast_reply_recv(struct cpu *cpu, struct thread *server)
{
	uint64_t info = server->ctx.x[1];
	struct thread *caller = server->reply_to;

	if (!caller)
		return NULL;
	/* A faulted thread's "reply" resumes it: no message, the generic
	 * path's business; a vCPU's completes its exit. */
	if (caller->in_fault)
		return caller->vcpu ? fast_reply_recv_exit(cpu, server, caller) : NULL;
	if (!fast_partner(cpu, caller) || !fast_info(info, REPLY_RECV_SLOW_INFO))
		return NULL;
	struct endpoint *ep = fast_recv_endpoint(server);
	if (!ep)
		return NULL;

	server->reply_to = NULL;
	caller->replier = NULL;
	uint64_t len = info & CV_IPC_LEN_MASK;
	fast_deliver(caller, server, len, len, 0); /* replies: no badge, no user rights */
	fast_wait(server, ep);
	return sched_direct_switch(cpu, server, caller);
}

struct arch_context *ipc_fastpath_exit(struct cpu *cpu, struct thread *vcpu, const uint64_t *mr,
				       const struct cap_slot *cap)
{
	struct endpoint *ep = container_of(cap->obj, struct endpoint, obj);
	struct thread *receiver = ep->recv_head;

	/* endpoint_fault's rendezvous: a receiver that owes nobody a reply
	 * (rendezvous would drop that one first). Nothing the trap woke may
	 * wait for this CPU (the hand-off would be sched_next_context's). */
	if (!receiver || !fast_partner(cpu, receiver) || receiver->reply_to || cpu->handoff)
		return NULL;

	(void)ipc_queue_pop(&ep->recv_head, &ep->recv_tail);
	/* transfer_fault's message, made here from the exit. */
	struct arch_context *r = &receiver->ctx;
	r->x[2] = mr[0];
	r->x[3] = mr[1];
	r->x[4] = mr[2];
	r->x[5] = mr[3];
	r->x[6] = mr[4];
	r->x[7] = mr[5];
	r->x[1] = CV_IPC_MRS | CV_IPC_VCPU_EXIT;
	r->x[8] = cap->badge;
	r->x[0] = CV_OK;
	receiver->wait = IPC_NONE;
	receiver->wait_ep = NULL;
	vcpu->in_fault = true;
	fast_await_reply(receiver, vcpu);
	return sched_direct_switch_world(cpu, vcpu, receiver);
}

struct arch_context *ipc_fastpath(struct cpu *cpu, struct thread *t)
{
	uint64_t nr = arch_syscall_number(&t->ctx);

	if (nr != CV_SYS_CALL && nr != CV_SYS_REPLY_RECV)
		return NULL;
	/* Stopped or suspended from another CPU since its trap (the generic
	 * path does not run the call then), or a virtual CPU. */
	if (t->state != THREAD_RUNNING || t->suspended || t->vcpu)
		return NULL;
	return nr == CV_SYS_CALL ? fast_call(cpu, t) : fast_reply_recv(cpu, t);
}
