// SPDX-License-Identifier: BSD-2-Clause
#include "thread.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "arch/smp.h"
#include "cpu.h"
#include "endpoint.h"
#include "format.h"
#include "kobject.h"
#include "notification.h"
#include "panic.h"
#include "printk.h"
#include "sched.h"
#include "task.h"
#include "vcpu.h"

_Static_assert(sizeof(struct thread) <= 4096, "a thread fits its frame");

int thread_create(struct task *t, struct quota *q, uint64_t pc, uint64_t sp, uint64_t arg,
		  unsigned priority, unsigned cpu, struct thread **out)
{
	uint64_t pa;

	if (t->dying)
		return CV_E_DEAD;
	if (priority > t->max_priority)
		return CV_E_NO_RIGHTS;
	if (cpu >= cpu_count || !cpus[cpu].online)
		return CV_E_BAD_ARG;
	if ((sp & 15) || sp > arch_vspace_limit() || pc >= arch_vspace_limit() || (pc & 3))
		return CV_E_BAD_ADDRESS;
	int err = kmem_alloc(q, 1, &pa);
	if (err)
		return err;
	struct thread *th = arch_phys_to_virt(pa);
	cap_obj_init(&th->obj, CV_OBJ_THREAD);
	th->pa = pa;
	th->quota = q;
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
	t->live_threads++;
	*out = th;
	return CV_OK;
}

int thread_start(struct thread *th)
{
	if (th->state == THREAD_DEAD)
		return CV_E_DEAD;
	if (th->state != THREAD_INACTIVE || th->started)
		return CV_E_BUSY;
	th->started = true;
	if (th->vcpu)
		th->vcpu->powered_on = true;
	if (!th->suspended)
		sched_make_ready(th);
	return CV_OK;
}

void thread_stop(struct thread *th)
{
	if (th->state == THREAD_DEAD)
		return;
	if (th->vcpu)
		vcpu_stopped(th);
	endpoint_cancel_ipc(th);
	notification_unbind_thread(th);
	sched_remove(th);
	bool was_running = th->state == THREAD_RUNNING;
	th->state = THREAD_DEAD;
	if (th->task)
		task_thread_stopped(th->task);
	if (was_running) {
		struct cpu *c = &cpus[th->cpu];
		c->need_resched = true;
		if (c != cpu_self())
			arch_ipi_send(th->cpu, IPI_RESCHED);
	}
}

void thread_obj_destroy(struct thread *th)
{
	thread_stop(th);
	if (cpus[th->cpu].current == th)
		th->free_pending = true; /* its CPU frees it when it lets go */
	else
		thread_free(th);
}

void thread_free(struct thread *th)
{
	struct task *t = th->task;

	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].fp_owner == th)
			cpus[i].fp_owner = NULL;
	if (th->vcpu)
		vcpu_free(th);
	if (t) {
		if (th->task_prev)
			th->task_prev->task_next = th->task_next;
		else
			t->thread_list = th->task_next;
		if (th->task_next)
			th->task_next->task_prev = th->task_prev;
	}
	kmem_free(th->quota, th->pa, 1);
}

void thread_unblock(struct thread *th)
{
	th->wait = IPC_NONE;
	if (th->state != THREAD_BLOCKED)
		return;
	th->state = THREAD_INACTIVE;
	if (!th->suspended)
		sched_make_ready(th);
}

void thread_suspend(struct thread *th)
{
	if (th->suspended || th->state == THREAD_DEAD)
		return;
	th->suspended = true;
	if (th->state == THREAD_READY) {
		sched_remove(th);
		th->state = THREAD_INACTIVE;
	} else if (th->state == THREAD_RUNNING) {
		struct cpu *c = &cpus[th->cpu];
		c->need_resched = true;
		if (c != cpu_self())
			arch_ipi_send(th->cpu, IPI_RESCHED);
	}
}

void thread_resume(struct thread *th)
{
	if (!th->suspended)
		return;
	th->suspended = false;
	if (th->started && th->state == THREAD_INACTIVE)
		sched_make_ready(th);
}

void thread_fault(struct thread *th, uint64_t syndrome, uint64_t address)
{
	char why[160];

	if (th->fault_handler_slot && th->task) {
		const struct cap_slot *cap;
		if (cap_lookup(&th->task->cspace, th->fault_handler_slot, CV_OBJ_ENDPOINT, CV_RIGHT_WRITE, &cap) ==
		    CV_OK) {
			th->fault_msg[0] = syndrome;
			th->fault_msg[1] = address;
			th->fault_msg[2] = th->ctx.pc;
			th->fault_msg[3] = th->ctx.sp;
			th->in_fault = true;
			endpoint_fault(th, container_of(cap->obj, struct endpoint, obj), cap);
			return;
		}
	}
	format_snprintf(why, sizeof(why), "thread %u: %s at pc 0x%lx, address 0x%lx; no fault handler",
			th->id, arch_fault_name(syndrome), (unsigned long)th->ctx.pc,
			(unsigned long)address);
	task_kill(th->task, why);
}
