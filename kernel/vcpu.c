// SPDX-License-Identifier: BSD-2-Clause
#include "vcpu.h"

#include <uapi/cap.h>
#include <uapi/ipc.h>
#include <uapi/status.h>
#include <uapi/vm.h>

#include "arch/guest.h"
#include "arch/mmu.h"
#include "arch/smp.h"
#include "cpu.h"
#include "endpoint.h"
#include "ipc_fastpath.h"
#include "kobject.h"
#include "panic.h"
#include "printk.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vm.h"

_Static_assert(sizeof(struct vcpu) <= 4096, "a vCPU's state fits a frame");

/* PSCI return codes (the vCPU side of arch_psci). */
#define PSCI_SUCCESS 0
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1

/* The vCPUs pinned to each CPU, for their timers, and how many of them
 * sleep in WFI (the tick looks at their timers only then). */
static struct vcpu *cpu_vcpus[CPU_MAX_COUNT];
static unsigned wfi_sleepers[CPU_MAX_COUNT];

static struct vm *vm_of(struct thread *th)
{
	return th->task && !th->task->dying ? th->task->vm : NULL;
}

int vcpu_create(struct task *vm_task, struct quota *q, unsigned index, uint64_t pc, uint64_t x0,
		unsigned priority, unsigned cpu, struct thread **out)
{
	struct vm *vm = vm_task->vm;
	struct thread *th;
	uint64_t pa;

	if (index >= CV_VM_VCPUS_MAX || (pc & 3))
		return CV_E_BAD_ARG;
	if (vm->vcpus[index])
		return CV_E_BUSY;
	int err = kmem_alloc(q, 1, &pa);
	if (err)
		return err;
	err = thread_create(vm_task, q, pc, 0, x0, priority, cpu, &th);
	if (err) {
		kmem_free(q, pa, 1);
		return err;
	}
	struct vcpu *v = arch_phys_to_virt(pa);
	v->thread = th;
	v->quota = q;
	v->pa = pa;
	v->index = index;
	th->obj.type = CV_OBJ_VCPU;
	th->vcpu = v;
	arch_vcpu_init(th, index);
	arch_vcpu_reset(th, pc, x0);
	vm->vcpus[index] = th;
	v->cpu_next = cpu_vcpus[cpu];
	cpu_vcpus[cpu] = v;
	*out = th;
	return CV_OK;
}

int vcpu_set_exit(struct thread *th, struct task *caller, uint32_t ep_slot, uint32_t flags)
{
	const struct cap_slot *cap;
	struct vcpu *v = th->vcpu;

	if (flags & ~(CV_VCPU_EXIT_WFI | CV_VCPU_STATE_ALL))
		return CV_E_BAD_ARG;
	if (!vm_of(th))
		return CV_E_DEAD;
	int err = cap_lookup(&caller->cspace, ep_slot, CV_OBJ_ENDPOINT, CV_RIGHT_WRITE, &cap);
	if (err)
		return err;
	/* The VM's own capability space keeps the copy: revoking the
	 * monitor's capability also cuts the vCPU's exits. */
	const struct cap_slot *old = cap_slot_at(&th->task->cspace, v->index);
	if (old && old->obj) {
		err = cap_delete(&th->task->cspace, v->index);
		if (err)
			return err;
	}
	err = cap_copy(&caller->cspace, ep_slot, &th->task->cspace, v->index, CV_RIGHTS_ALL);
	if (!err)
		v->exit_flags = flags;
	return err;
}

void vcpu_free(struct thread *th)
{
	struct vcpu *v = th->vcpu;

	arch_vcpu_forget(th);
	for (struct vcpu **p = &cpu_vcpus[th->cpu]; *p; p = &(*p)->cpu_next) {
		if (*p == v) {
			*p = v->cpu_next;
			break;
		}
	}
	if (th->task && th->task->vm && th->task->vm->vcpus[v->index] == th)
		th->task->vm->vcpus[v->index] = NULL;
	th->vcpu = NULL;
	kmem_free(v->quota, v->pa, 1);
}

/* ---- exits ---- */

/* The exit goes to the monitor: straight into a monitor thread waiting on
 * this CPU (ipc_fastpath_exit; then its context is returned), otherwise
 * the generic way (NULL). */
static struct arch_context *send_exit(struct thread *th, const struct vcpu_exit *e)
{
	struct vcpu *v = th->vcpu;
	const struct cap_slot *cap =
		cap_lookup_fast(&th->task->cspace, v->index, CV_OBJ_ENDPOINT, CV_RIGHT_WRITE);

	vcpu_count(&v->stats.exits[e->mr[0] & (CV_VCPU_STATS_EXITS - 1)]);
	/* Exit state goes through the receiver's message buffer: not fast. */
	if (cap && !(v->exit_flags & CV_VCPU_STATE_ALL)) {
		struct arch_context *next = ipc_fastpath_exit(cpu_self(), th, e->mr, cap);
		if (next)
			return next;
	}
	_Static_assert(sizeof(th->fault_msg) == sizeof(e->mr), "an exit is a fault message");
	for (unsigned i = 0; i < CV_IPC_MRS; i++)
		th->fault_msg[i] = e->mr[i];
	if (v->exit_flags & CV_VCPU_STATE_ALL)
		arch_vcpu_state_read(th, v->exit_flags & CV_VCPU_STATE_ALL, &v->state);
	if (!cap) {
		printk("vm: vcpu %u: exit %lu with no exit endpoint; VM stopped\n", v->index,
		       (unsigned long)(e->mr[0] & CV_EXIT_REASON_MASK));
		task_kill(th->task, NULL);
		return NULL;
	}
	th->in_fault = true;
	endpoint_fault(th, container_of(cap->obj, struct endpoint, obj), cap);
	return NULL;
}

struct arch_context *vcpu_trap(struct thread *th, uint64_t esr)
{
	struct vcpu_exit e;

	if (!arch_vcpu_trap(th, esr, &e))
		return NULL;
	return send_exit(th, &e);
}

bool vcpu_deliver_state(const struct thread *th, struct thread *receiver)
{
	const struct cv_vcpu_state *s = &th->vcpu->state;

	if (!(th->vcpu->exit_flags & CV_VCPU_STATE_ALL) || !receiver->ipc_buffer || !receiver->task)
		return false;
	return task_copy_to(receiver->task, receiver->ipc_buffer, s, sizeof(*s)) == CV_OK;
}

/* CV_REPLY_SET_STATE: the registers the monitor's message buffer holds;
 * *old gets what they were, so a reply that fails later can undo it. */
static int set_state(struct thread *server, struct thread *th, struct cv_vcpu_state *old)
{
	struct cv_vcpu_state s;

	if (!server->ipc_buffer || task_copy_from(server->task, &s, server->ipc_buffer, sizeof(s)) != CV_OK)
		return CV_E_BAD_ADDRESS;
	if (s.words != CV_VCPU_STATE_WORDS || s.mask != CV_VCPU_STATE_GPR)
		return CV_E_BAD_ARG;
	arch_vcpu_state_read(th, CV_VCPU_STATE_GPR, old);
	return arch_vcpu_state_write(th, &s);
}

int vcpu_reply(struct thread *server, struct thread *th)
{
	uint64_t info = arch_syscall_arg(&server->ctx, 1);
	unsigned len = (unsigned)(info & CV_IPC_LEN_MASK);
	uint64_t mr[CV_IPC_MRS] = {0};
	struct cv_vcpu_state old;
	int err;

	for (unsigned i = 0; i < len && i < CV_IPC_MRS; i++)
		mr[i] = server->ctx.x[2 + i];
	uint64_t flags = mr[0], irq = mr[5] & 0xffffffffu, how = mr[5] >> CV_REPLY_IRQ_SHIFT;
	/* CV_SYS_VM_IRQ's levels: 0 low, 1 high, 2 edge. */
	static const unsigned level_of[] = {2, 1, 0};
	if ((flags & CV_REPLY_IRQ) && (irq < 32 || irq >= CV_VM_INTIDS || how > 2))
		return CV_E_BAD_ARG;
	if (flags & CV_REPLY_SET_STATE) {
		err = set_state(server, th, &old);
		if (err)
			return err;
	}
	err = arch_vcpu_complete(th, flags & ~(CV_REPLY_SET_STATE | CV_REPLY_IRQ), &mr[1]);
	if (err) {
		if (flags & CV_REPLY_SET_STATE)
			(void)arch_vcpu_state_write(th, &old);
		return err;
	}
	if ((flags & CV_REPLY_IRQ) && vm_of(th))
		(void)arch_vm_irq(vm_of(th), (unsigned)irq, level_of[how]);
	server->reply_to = NULL;
	th->replier = NULL;
	th->in_fault = false;
	if (mr[0] & CV_REPLY_STOP)
		thread_suspend(th);
	thread_unblock(th);
	return CV_OK;
}

bool vcpu_reply_complete(const struct thread *server, struct thread *th)
{
	const uint64_t *x = server->ctx.x;
	unsigned len = (unsigned)(x[1] & CV_IPC_LEN_MASK);
	uint64_t flags = len > 0 ? x[2] : 0;
	/* MR1..MR5 straight from the registers when all were sent (the
	 * usual reply); MRs from len on read as 0. */
	const uint64_t *values = &x[3];
	uint64_t padded[CV_IPC_MRS - 1];

	/* What the reply may do besides completing: the generic path's. */
	if (flags & (CV_REPLY_SET_STATE | CV_REPLY_IRQ | CV_REPLY_STOP))
		return false;
	if (len < CV_IPC_MRS) {
		for (unsigned i = 0; i < CV_IPC_MRS - 1; i++)
			padded[i] = i + 1 < len ? x[3 + i] : 0;
		values = padded;
	}
	return arch_vcpu_complete(th, flags, values) == CV_OK;
}

/* ---- waiting for interrupts, power ---- */

void vcpu_wait_for_irq(struct thread *th)
{
	th->wait = VCPU_WFI;
	th->state = THREAD_BLOCKED;
	__atomic_store_n(&wfi_sleepers[th->cpu], wfi_sleepers[th->cpu] + 1, __ATOMIC_RELAXED);
}

/* A vCPU leaves its WFI sleep (woken, or stopped). */
static void wfi_over(struct thread *th)
{
	__atomic_store_n(&wfi_sleepers[th->cpu], wfi_sleepers[th->cpu] - 1, __ATOMIC_RELAXED);
}

void vcpu_kick(struct thread *th)
{
	if (th->state == THREAD_BLOCKED && th->wait == VCPU_WFI) {
		wfi_over(th);
		thread_unblock(th);
		return;
	}
	if (th->state == THREAD_RUNNING && th->cpu != cpu_self()->index) {
		/* It must leave the guest to see its new interrupt. */
		cpus[th->cpu].need_resched = true;
		arch_ipi_send(th->cpu, IPI_RESCHED);
	}
}

struct thread *vcpu_of_vm(struct task *vm_task, unsigned index)
{
	if (!vm_task->vm || index >= CV_VM_VCPUS_MAX)
		return NULL;
	return vm_task->vm->vcpus[index];
}

long vcpu_power_on(struct thread *caller, unsigned index, uint64_t pc, uint64_t x0)
{
	struct thread *th = vcpu_of_vm(caller->task, index);

	if (!th || th->state == THREAD_DEAD)
		return PSCI_INVALID_PARAMETERS;
	if (th->vcpu->powered_on)
		return PSCI_ALREADY_ON;
	arch_vcpu_reset(th, pc, x0);
	th->vcpu->powered_on = true;
	if (!th->started) {
		if (thread_start(th) != CV_OK)
			return PSCI_INVALID_PARAMETERS;
	} else if (th->state == THREAD_BLOCKED && th->wait == VCPU_OFF) {
		thread_unblock(th);
	}
	return PSCI_SUCCESS;
}

void vcpu_power_off(struct thread *th)
{
	th->vcpu->powered_on = false;
	th->wait = VCPU_OFF;
	th->state = THREAD_BLOCKED;
}

long vcpu_affinity_info(struct thread *caller, unsigned index)
{
	struct thread *th = vcpu_of_vm(caller->task, index);

	if (!th)
		return PSCI_INVALID_PARAMETERS;
	return th->vcpu->powered_on ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
}

void vcpu_tick(void)
{
	for (struct vcpu *v = cpu_vcpus[cpu_self()->index]; v; v = v->cpu_next)
		if (v->thread->state != THREAD_DEAD && vm_of(v->thread))
			arch_guest_tick_vcpu(v->thread);
}

bool vcpu_tick_wanted(void)
{
	return __atomic_load_n(&wfi_sleepers[cpu_self()->index], __ATOMIC_RELAXED) != 0;
}

void vcpu_stopped(struct thread *th)
{
	if (th->state == THREAD_BLOCKED && th->wait == VCPU_WFI)
		wfi_over(th);
}

/* ---- reset and counters ---- */

void vcpu_reset(struct thread *th)
{
	struct vcpu *v = th->vcpu;

	/* vm_reset's rounds end only when no vCPU of the VM is on a CPU. */
	ASSERT(th->state != THREAD_RUNNING);
	if (th->state == THREAD_BLOCKED && th->wait == VCPU_WFI)
		wfi_over(th);
	/* Queued on its exit endpoint it leaves the queue; received, its
	 * monitor no longer owes it a reply (REPLY: CV_E_DEAD). A vCPU
	 * waits in nothing else but WFI and CPU_OFF, which need no undoing. */
	endpoint_cancel_ipc(th);
	th->in_fault = false;
	sched_remove(th);
	th->state = THREAD_INACTIVE;
	th->started = false;
	th->suspended = false;
	v->powered_on = false;
	v->state = (struct cv_vcpu_state){0};
	/* Its FP/SIMD registers may still be in a CPU (lazy switching):
	 * nobody's now, as when a thread is freed; the reset zeroes them. */
	th->fp_eager = 0;
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].fp_owner == th)
			cpus[i].fp_owner = NULL;
	arch_vcpu_reset_all(th);
}

void vcpu_stats_read(const struct thread *th, struct cv_vcpu_stats *out)
{
	const uint64_t *from = &th->vcpu->stats.entries;
	uint64_t *to = &out->entries;
	size_t words = (sizeof(*out) - offsetof(struct cv_vcpu_stats, entries)) / 8;

	/* Word by word: the vCPU's CPU may be counting now. */
	for (size_t i = 0; i < words; i++)
		to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
	out->size = sizeof(*out);
	out->version = CV_VCPU_STATS_VERSION;
}
