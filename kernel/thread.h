/* SPDX-License-Identifier: BSD-2-Clause */
/* Threads: the schedulable contexts of tasks. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/context.h"
#include "kernel.h"

#define THREAD_PRIORITY_LEVELS 64 /* 0 lowest .. 63 highest */

enum thread_state {
	THREAD_INACTIVE, /* created, not started */
	THREAD_READY,    /* on its CPU's run queue */
	THREAD_RUNNING,  /* on its CPU */
	THREAD_BLOCKED,  /* waiting (IPC, notification) */
	THREAD_DEAD,
};

struct task;

struct thread {
	struct arch_context ctx; /* first: the entry path saves into it */
	struct task *task;
	unsigned id;             /* within its task, for logs */
	unsigned cpu;
	unsigned priority;
	enum thread_state state;
	bool suspended;
	unsigned timeslice;      /* ticks left */
	struct thread *rq_next, *rq_prev;
	struct thread *task_next, *task_prev; /* the task's threads */
	uint64_t pa;             /* the frame it lives in */
};

/* Creates an inactive thread in t. Returns an enum cv_status. */
int thread_create(struct task *t, uint64_t pc, uint64_t sp, uint64_t arg, unsigned priority,
		  unsigned cpu, struct thread **out) __must_check;
void thread_start(struct thread *th);
/* Ends the thread; if it runs on another CPU, that CPU drops it at its next
 * kernel entry. */
void thread_kill(struct thread *th);
/* Frees a dead thread no CPU runs any more. */
void thread_reap(struct thread *th);
/* The current thread faulted: without a fault handler its task dies. */
void thread_fault(struct thread *th, uint64_t syndrome, uint64_t address);

#endif
