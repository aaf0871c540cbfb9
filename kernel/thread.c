// SPDX-License-Identifier: BSD-2-Clause
#include "thread.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "arch/smp.h"
#include "cpu.h"
#include "memory.h"
#include "panic.h"
#include "printk.h"
#include "sched.h"
#include "task.h"

_Static_assert(sizeof(struct thread) <= 4096, "a thread fits its frame");

int thread_create(struct task *t, uint64_t pc, uint64_t sp, uint64_t arg, unsigned priority,
		  unsigned cpu, struct thread **out)
{
	uint64_t pa;

	if (t->dying)
		return CV_E_DEAD;
	if (priority > t->max_priority)
		return CV_E_NO_RIGHTS;
	if (cpu >= cpu_count || !cpus[cpu].online)
		return CV_E_BAD_ARG;
	if ((sp & 15) || sp >= arch_vspace_limit() || pc >= arch_vspace_limit() || (pc & 3))
		return CV_E_BAD_ADDRESS;
	if (memory_alloc_frames(1, 4096, &pa))
		return CV_E_NO_MEMORY;
	struct thread *th = arch_phys_to_virt(pa);
	memset(th, 0, sizeof(*th));
	th->pa = pa;
	th->task = t;
	th->id = t->next_thread_id++;
	th->cpu = cpu;
	th->priority = priority;
	th->state = THREAD_INACTIVE;
	arch_context_init(&th->ctx, pc, sp, arg);
	th->task_next = t->thread_list;
	if (t->thread_list)
		t->thread_list->task_prev = th;
	t->thread_list = th;
	t->thread_count++;
	*out = th;
	return CV_OK;
}

void thread_start(struct thread *th)
{
	if (th->state == THREAD_INACTIVE && !th->suspended)
		sched_make_ready(th);
}

void thread_reap(struct thread *th)
{
	struct task *t = th->task;

	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].fp_owner == th)
			cpus[i].fp_owner = NULL;
	if (th->task_prev)
		th->task_prev->task_next = th->task_next;
	else
		t->thread_list = th->task_next;
	if (th->task_next)
		th->task_next->task_prev = th->task_prev;
	if (memory_free_frames(th->pa, 1))
		panic("thread: freeing thread frame 0x%lx failed", (unsigned long)th->pa);
	task_thread_gone(t);
}

void thread_kill(struct thread *th)
{
	if (th->state == THREAD_DEAD)
		return;
	if (th->state == THREAD_RUNNING) {
		/* Its CPU reaps it at its next kernel entry (now, if it is us). */
		th->state = THREAD_DEAD;
		struct cpu *c = &cpus[th->cpu];
		c->need_resched = true;
		if (c != cpu_self())
			arch_ipi_send(th->cpu, IPI_RESCHED);
		return;
	}
	sched_remove(th);
	th->state = THREAD_DEAD;
	thread_reap(th);
}

void thread_fault(struct thread *th, uint64_t syndrome, uint64_t address)
{
	printk("task %s: thread %u: %s at pc 0x%lx, address 0x%lx; no fault handler, task destroyed\n",
	       th->task->name, th->id, arch_fault_name(syndrome), (unsigned long)th->ctx.pc,
	       (unsigned long)address);
	task_destroy(th->task);
}
