// SPDX-License-Identifier: BSD-2-Clause
#include "sched.h"
#include "sched_direct.h"

#include "arch/guest.h"
#include "arch/smp.h"
#include "cpu.h"
#include "klock.h"
#include "panic.h"
#include "smp.h"
#include "task.h"
#include "thread.h"

/* Which levels have threads is cpu->ready_levels: the direct switch
 * (sched_direct.h) reads only that. */
struct runqueue {
	struct thread *head[THREAD_PRIORITY_LEVELS];
	struct thread *tail[THREAD_PRIORITY_LEVELS];
};

static struct runqueue runqueues[CPU_MAX_COUNT];

static void enqueue(struct thread *t)
{
	struct runqueue *rq = &runqueues[t->cpu];
	unsigned p = t->priority;

	t->rq_next = NULL;
	t->rq_prev = rq->tail[p];
	if (rq->tail[p])
		rq->tail[p]->rq_next = t;
	else
		rq->head[p] = t;
	rq->tail[p] = t;
	cpus[t->cpu].ready_levels |= 1ul << p;
}

static void dequeue(struct thread *t)
{
	struct runqueue *rq = &runqueues[t->cpu];
	unsigned p = t->priority;

	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		rq->head[p] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		rq->tail[p] = t->rq_prev;
	if (!rq->head[p])
		cpus[t->cpu].ready_levels &= ~(1ul << p);
	t->rq_next = t->rq_prev = NULL;
}

/* The running thread leaves the CPU but stays ready: to the tail of its
 * level, so equal priorities take turns. */
static void requeue(struct thread *t)
{
	t->state = THREAD_READY;
	t->timeslice = SCHED_TIMESLICE_TICKS;
	enqueue(t);
}

static int highest_ready(unsigned cpu)
{
	uint64_t m = cpus[cpu].ready_levels;
	return m ? 63 - __builtin_clzl(m) : -1;
}

void sched_make_ready(struct thread *t)
{
	ASSERT(t->state != THREAD_READY && t->state != THREAD_RUNNING);
	t->state = THREAD_READY;
	t->timeslice = SCHED_TIMESLICE_TICKS;
	struct cpu *self = cpu_self();
	/* Woken by the thread running here (IPC), and it would run next
	 * anyway: keep it off the run queue, and sched_next_context hands
	 * the CPU straight over (the direct switch of docs/performance.md). */
	if (t->cpu == self->index && self->current && !self->handoff &&
	    (int)t->priority >= highest_ready(self->index)) {
		self->handoff = t;
		return;
	}
	enqueue(t);
	struct cpu *target = &cpus[t->cpu];
	struct thread *running = target->current;
	if (!running || t->priority > running->priority) {
		target->need_resched = true;
		if (target != cpu_self())
			arch_ipi_send(t->cpu, IPI_RESCHED);
	}
}

void sched_remove(struct thread *t)
{
	if (t->state != THREAD_READY)
		return;
	if (cpus[t->cpu].handoff == t)
		cpus[t->cpu].handoff = NULL;
	else
		dequeue(t);
}

void sched_yield(void)
{
	struct cpu *cpu = cpu_self();

	if (cpu->current)
		cpu->current->timeslice = 0;
	cpu->need_resched = true;
}

void sched_tick(void)
{
	struct cpu *cpu = cpu_self();
	struct thread *t = cpu->current;

	if (t && t->timeslice && --t->timeslice == 0)
		cpu->need_resched = true;
}

bool sched_work_hint(void)
{
	struct cpu *cpu = cpu_self();

	return __atomic_load_n(&cpu->ready_levels, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&cpu->handoff, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&cpu->current, __ATOMIC_RELAXED);
}

bool sched_has_work(void)
{
	struct cpu *cpu = cpu_self();
	return highest_ready(cpu->index) >= 0 || cpu->handoff ||
	       (cpu->current && cpu->current->state == THREAD_RUNNING);
}

/* The way back to user mode or into a guest. */
static struct arch_context *resume(struct thread *t)
{
	if (t->vcpu)
		arch_vcpu_enter(t);
	return &t->ctx;
}

struct arch_context *sched_next_context(void)
{
	struct cpu *cpu = cpu_self();
	struct thread *cur = cpu->current;
	struct thread *next, *handoff = cpu->handoff;

	cpu->handoff = NULL;
	if (cur && cur->state == THREAD_RUNNING && cur->suspended)
		cur->state = THREAD_INACTIVE;
	if (cur && cur->state != THREAD_RUNNING) {
		/* It blocked, stopped, was suspended or died during this entry. */
		cpu->current = NULL;
		cpu->user_context = NULL;
		if (cur->free_pending)
			thread_free(cur);
		cur = NULL;
	}
	int best = highest_ready(cpu->index);

	if (handoff) {
		if (cur && handoff->priority > cur->priority) {
			requeue(cur);
			next = handoff;
			goto run;
		}
		if (!cur && (int)handoff->priority >= best) {
			next = handoff;
			goto run;
		}
		enqueue(handoff);
		best = highest_ready(cpu->index);
	}
	if (cur) {
		/* Keep running unless someone more important is ready, or the
		 * timeslice ran out and an equal one waits. */
		bool preempt = best > (int)cur->priority ||
			       (best == (int)cur->priority && cur->timeslice == 0);
		if (!preempt) {
			if (cur->timeslice == 0)
				cur->timeslice = SCHED_TIMESLICE_TICKS;
			cpu->need_resched = false;
			return resume(cur);
		}
		requeue(cur);
		best = highest_ready(cpu->index);
	}
	cpu->need_resched = false;
	if (best < 0) {
		cpu->current = NULL;
		cpu->user_context = NULL;
		cpu->holds_kernel_lock = false;
		kunlock();
		smp_idle_from_kernel();
	}
	next = runqueues[cpu->index].head[best];
	dequeue(next);
run:
	if (cur != next)
		arch_vspace_activate(&next->task->vspace);
	switch_to(cpu, next);
	arch_guest_switch(cur, next);
	return resume(next);
}
