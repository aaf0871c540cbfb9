/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-CPU fixed-priority round-robin scheduling. Threads are pinned to a
 * CPU; each CPU runs its highest-priority ready thread, threads of equal
 * priority share it in timeslices. All of it runs under the kernel lock.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>

#include "arch/context.h"
#include "kernel.h"

#define SCHED_TIMESLICE_TICKS 5

struct thread;

/* Puts a thread on its CPU's run queue (telling that CPU if needed). */
void sched_make_ready(struct thread *t);
/* Takes a ready thread off its run queue (it is blocking or dying). */
void sched_remove(struct thread *t);
/* The current thread gives up the rest of its timeslice. */
void sched_yield(void);
/* Timer tick on this CPU, current thread's accounting. */
void sched_tick(void);
/* True if this CPU has a thread to run. */
bool sched_has_work(void);
/* The same, read without the kernel lock: false means nothing to do that
 * would not also send this CPU an interrupt. */
bool sched_work_hint(void);
/*
 * Chooses what this CPU runs next and returns its context; switches the
 * thread state that lives in registers. With nothing to run, releases the
 * kernel lock and goes idle (does not return).
 */
struct arch_context *sched_next_context(void);

#endif
