/* SPDX-License-Identifier: BSD-2-Clause */
/* Threads: the schedulable contexts of tasks. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/cap.h>

#include "arch/context.h"
#include "cap.h"
#include "kernel.h"

#define THREAD_PRIORITY_LEVELS 64 /* 0 lowest .. 63 highest */

enum thread_state {
	THREAD_INACTIVE, /* created, not started (or suspended) */
	THREAD_READY,    /* on its CPU's run queue */
	THREAD_RUNNING,  /* on its CPU */
	THREAD_BLOCKED,  /* waiting in IPC */
	THREAD_DEAD,     /* stopped for good */
};

/* What a blocked thread waits for. */
enum ipc_wait {
	IPC_NONE,
	IPC_SEND,  /* queued on an endpoint to send or call */
	IPC_RECV,  /* queued on an endpoint to receive */
	IPC_REPLY, /* called; waits for the reply */
	IPC_NOTIFICATION, /* waits on a notification */
	VCPU_WFI,  /* a vCPU waits for an interrupt */
	VCPU_OFF,  /* a vCPU is powered off (PSCI CPU_OFF) */
};

struct task;
struct quota;
struct endpoint;
struct notification;
struct vcpu;

struct thread {
	struct kobj obj;
	struct arch_context ctx;
	struct task *task;       /* NULL once the task's descriptor is gone */
	struct quota *quota;     /* paid for this thread */
	uint64_t pa;             /* the frame it lives in */
	unsigned id;             /* within its task, for logs */
	unsigned cpu;
	unsigned priority;
	enum thread_state state;
	bool suspended;
	bool free_pending;       /* free when its CPU lets go of it */
	unsigned timeslice;      /* ticks left */
	struct thread *rq_next, *rq_prev;
	struct thread *task_next, *task_prev;
	uint8_t fp_eager;        /* switches left that load its FP state unasked (fpu.h) */

	/* IPC */
	enum ipc_wait wait;
	struct endpoint *wait_ep;         /* the endpoint it is queued on */
	struct thread *wait_next, *wait_prev;
	bool is_call;                     /* queued sender wants a reply */
	cv_badge_t send_badge;            /* of the capability it sends with */
	uint32_t send_rights;             /* its user rights */
	bool send_grant;                  /* it may transfer capabilities */
	struct thread *reply_to;          /* the caller this thread must answer */
	struct thread *replier;           /* (caller) who will answer it */
	uint64_t deadline;                /* counter value; 0: waits for ever */
	uint64_t ipc_buffer;              /* va of its message buffer in its task, 0: none */
	struct thread *timeout_next, *timeout_prev;
	struct notification *wait_ntfn;   /* the notification it waits on */
	struct notification *bound_ntfn;  /* signals it also receives in RECV */

	/* Faults */
	uint32_t fault_handler_slot;      /* endpoint in its task's space; 0: none */
	bool in_fault;                    /* waits for its fault handler's reply */
	uint64_t fault_msg[6];            /* syndrome, address, pc, sp; a vCPU's exit: MR0..MR5 */
	bool started;

	/* Non-NULL: this thread is a virtual CPU; its context holds the
	 * guest's registers and its exits go to its VMM (kernel/vcpu.c). */
	struct vcpu *vcpu;
};

/* Creates an inactive thread in t, paid from q. Returns an enum cv_status. */
int thread_create(struct task *t, struct quota *q, uint64_t pc, uint64_t sp, uint64_t arg,
		  unsigned priority, unsigned cpu, struct thread **out) __must_check;
/* Makes an inactive thread runnable. */
int thread_start(struct thread *th) __must_check;
/* Stops a thread for good: out of the run queue and of any IPC. Its CPU
 * drops it at its next kernel entry if it runs elsewhere now. */
void thread_stop(struct thread *th);
/* The last capability to the thread went (a capability callback). */
void thread_obj_destroy(struct thread *th);
/* Frees a stopped thread no CPU runs any more. */
void thread_free(struct thread *th);
/* A blocked thread's wait is over: it runs again, unless suspended (then
 * resuming it does). Its results are already in its registers. */
void thread_unblock(struct thread *th);
/* Suspends (takes it off the CPU until resumed) and resumes. */
void thread_suspend(struct thread *th);
void thread_resume(struct thread *th);
/* The current thread faulted: without a fault handler its task dies. */
void thread_fault(struct thread *th, uint64_t syndrome, uint64_t address);

#endif
