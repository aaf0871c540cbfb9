// SPDX-License-Identifier: BSD-2-Clause
// One entry, one table: the system call number indexes a table of
// handlers; an empty slot or a number past the end is CV_E_BAD_SYSCALL.
// Every handler decodes first (looks up and checks every capability and
// argument, changing nothing) and only then acts.
#include "syscall.h"

#include <string.h>
#include <uapi/cap.h>
#include <uapi/ipc.h>
#include <uapi/status.h>
#include <uapi/syscall.h>

#include "arch/context.h"
#include "arch/mmu.h"
#include "arch/vspace.h"
#include "cap.h"
#include "cpu.h"
#include "device.h"
#include "endpoint.h"
#include "frame.h"
#include "notification.h"
#include "kobject.h"
#include "memory.h"
#include "panic.h"
#include "printk.h"
#include "quota.h"
#include "sched.h"
#include "task.h"
#include "syscall_private.h"
#include "thread.h"
#include "vcpu.h"

static int lookup_thread_or_vcpu(struct thread *caller, uint32_t slot, struct thread **t);

static int sys_null(struct thread *caller, struct arch_context *c)
{
	(void)caller;
	(void)c;
	return CV_OK;
}

static int sys_debug_write(struct thread *caller, struct arch_context *c)
{
	uint64_t va = arch_syscall_arg(c, 0), len = arch_syscall_arg(c, 1);
	char buf[256];

	if (len > DEBUG_WRITE_MAX)
		return CV_E_BAD_ARG;
	while (len) {
		size_t chunk = len < sizeof(buf) ? len : sizeof(buf);
		int err = task_copy_from(caller->task, buf, va, chunk);
		if (err)
			return err;
		printk("%.*s", (int)chunk, buf);
		va += chunk;
		len -= chunk;
	}
	return CV_OK;
}

static int sys_thread_exit(struct thread *caller, struct arch_context *c)
{
	(void)c;
	thread_stop(caller);
	return SYSCALL_NO_STATUS;
}

static int sys_yield(struct thread *caller, struct arch_context *c)
{
	(void)caller;
	(void)c;
	sched_yield();
	return CV_OK;
}

static int sys_cap_copy(struct thread *caller, struct arch_context *c)
{
	return cap_copy(cspace_of(caller), slot_arg(c, 0), cspace_of(caller), slot_arg(c, 1),
			(uint32_t)arch_syscall_arg(c, 2));
}

static int sys_cap_mint(struct thread *caller, struct arch_context *c)
{
	return cap_mint(cspace_of(caller), slot_arg(c, 0), cspace_of(caller), slot_arg(c, 1),
			(uint32_t)arch_syscall_arg(c, 2), arch_syscall_arg(c, 3));
}

static int sys_cap_move(struct thread *caller, struct arch_context *c)
{
	return cap_move(cspace_of(caller), slot_arg(c, 0), cspace_of(caller), slot_arg(c, 1));
}

static int sys_cap_delete(struct thread *caller, struct arch_context *c)
{
	return cap_delete(cspace_of(caller), slot_arg(c, 0));
}

/* Bounded work per entry: when more remains, the call is restarted (the
 * thread re-enters it), so other work runs in between. */
static int sys_cap_revoke(struct thread *caller, struct arch_context *c)
{
	int err = cap_revoke(cspace_of(caller), slot_arg(c, 0), REVOKE_BUDGET);
	return err == CV_E_PREEMPTED ? SYSCALL_RESTART : err;
}

static int sys_cap_info(struct thread *caller, struct arch_context *c)
{
	struct cap_info info;
	int err = cap_info(cspace_of(caller), slot_arg(c, 0), &info);

	if (!err) {
		arch_syscall_set_result(c, 1, info.type);
		arch_syscall_set_result(c, 2, info.rights);
		arch_syscall_set_result(c, 3, info.badge);
	}
	return err;
}

static int sys_endpoint_create(struct thread *caller, struct arch_context *c)
{
	struct quota *q;
	struct endpoint *ep;
	uint32_t dst;
	int err = lookup_payer_and_slot(caller, c, 0, &q, &dst);

	if (!err)
		err = endpoint_create(q, &ep);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &ep->obj, CV_RIGHTS_ALL, 0);
	if (err)
		kmem_free(q, ep->pa, 1);
	return err;
}

static int lookup_endpoint(struct thread *t, const struct arch_context *c, uint32_t rights,
			   const struct cap_slot **cap)
{
	return cap_lookup(cspace_of(t), (uint32_t)arch_syscall_arg(c, 0), CV_OBJ_ENDPOINT, rights, cap);
}

/* Length and capability count in range; the caller's own flags only. */
static bool ipc_info_valid(uint64_t info)
{
	unsigned caps = (unsigned)((info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT);
	return (info & CV_IPC_LEN_MASK) <= CV_IPC_MRS && caps <= CV_IPC_CAPS_MAX;
}

static int ipc_send(struct thread *caller, struct arch_context *c, bool reply_wanted)
{
	const struct cap_slot *cap;
	int err = lookup_endpoint(caller, c, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	if (!ipc_info_valid(arch_syscall_arg(c, 1)))
		return CV_E_BAD_ARG;
	endpoint_call(caller, container_of(cap->obj, struct endpoint, obj), cap, reply_wanted);
	return SYSCALL_NO_STATUS;
}

static int sys_call(struct thread *caller, struct arch_context *c)
{
	return ipc_send(caller, c, true);
}

static int sys_send(struct thread *caller, struct arch_context *c)
{
	return ipc_send(caller, c, false);
}

static int sys_recv(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = lookup_endpoint(caller, c, CV_RIGHT_READ, &cap);

	if (err)
		return err;
	endpoint_recv(caller, container_of(cap->obj, struct endpoint, obj));
	return SYSCALL_NO_STATUS;
}

static int sys_reply(struct thread *caller, struct arch_context *c)
{
	uint64_t delivered;

	if (!ipc_info_valid(arch_syscall_arg(c, 1)))
		return CV_E_BAD_ARG;
	/* x1 says what arrived, so that a server learns whether the
	 * capabilities it sent found receive slots. */
	int err = endpoint_reply(caller, &delivered);
	if (!err)
		arch_syscall_set_result(c, 1, delivered);
	return err;
}

static int sys_reply_recv(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = lookup_endpoint(caller, c, CV_RIGHT_READ, &cap);

	if (err)
		return err;
	if (!ipc_info_valid(arch_syscall_arg(c, 1)))
		return CV_E_BAD_ARG;
	/* A caller that died in the meantime is no reason not to receive; a
	 * reply the kernel refuses (a faulted thread's bad pc, a vCPU exit's
	 * bad flags) is, as for REPLY: it stays owed, nothing is received,
	 * and the server learns why instead of its next receive dropping it. */
	uint64_t delivered;
	err = endpoint_reply(caller, &delivered);
	if (err && err != CV_E_DEAD)
		return err;
	endpoint_recv(caller, container_of(cap->obj, struct endpoint, obj));
	return SYSCALL_NO_STATUS;
}

static int sys_endpoint_watch(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	/* Check the capability before paying for the record (cap_watch checks
	 * the rest: badge, pending watch, dying space). */
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_ENDPOINT, CV_RIGHT_READ, &cap);

	return err ? err : endpoint_watch(cspace_of(caller), slot_arg(c, 0), caller->task->quota);
}

/* A server that handed out no copy after all (the reply carrying it found
 * no receive slot) takes its watch back, and the watch's frame. */
static int sys_endpoint_unwatch(struct thread *caller, struct arch_context *c)
{
	unsigned cancelled;
	int err = cap_unwatch_slot(cspace_of(caller), slot_arg(c, 0), &cancelled);

	if (!err)
		arch_syscall_set_result(c, 1, cancelled);
	return err;
}

static int sys_thread_create(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *task_cap;
	struct quota *q;
	struct thread *th;
	uint32_t dst;
	uint64_t prio_cpu = c->x[6];
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_TASK, CV_RIGHT_WRITE, &task_cap);

	if (!err)
		err = lookup_payer_and_slot(caller, c, 1, &q, &dst);
	if (!err && (prio_cpu >> 16))
		err = CV_E_BAD_ARG;
	if (err)
		return err;
	struct task *t = container_of(task_cap->obj, struct task, obj);
	err = thread_create(t, q, arch_syscall_arg(c, 3), arch_syscall_arg(c, 4), arch_syscall_arg(c, 5),
			    prio_cpu & 0xff, (prio_cpu >> 8) & 0xff, &th);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &th->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err) {
		thread_stop(th);
		thread_free(th);
	}
	return err;
}

static int sys_thread_start(struct thread *caller, struct arch_context *c)
{
	struct thread *t;
	int err = lookup_thread_or_vcpu(caller, slot_arg(c, 0), &t);

	return err ? err : thread_start(t);
}

static int sys_task_create(struct thread *caller, struct arch_context *c)
{
	struct quota *q;
	struct task *t;
	uint32_t dst;
	uint64_t max_prio = arch_syscall_arg(c, 2), slots = arch_syscall_arg(c, 3);
	int err = lookup_payer_and_slot(caller, c, 0, &q, &dst);

	if (!err && max_prio > caller->task->max_priority)
		err = CV_E_NO_RIGHTS; /* nobody hands out more priority than it has */
	if (!err && (slots == 0 || slots > TASK_CSPACE_SLOTS_MAX))
		err = CV_E_BAD_ARG;
	if (err)
		return err;
	err = task_create(q, "task", (unsigned)max_prio, (uint32_t)slots, &t);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &t->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err) {
		t->obj_dead = true;
		task_kill(t, NULL);
	}
	return err;
}

static int sys_task_map_new(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	uint64_t va = arch_syscall_arg(c, 1), pages = arch_syscall_arg(c, 2), perms = arch_syscall_arg(c, 3);
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_TASK, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	if (perms & ~(uint64_t)(CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC) || !(perms & CV_MAP_READ) ||
	    ((perms & CV_MAP_WRITE) && (perms & CV_MAP_EXEC)) || pages == 0 || pages > 4096)
		return CV_E_BAD_ARG;
	if ((va & 4095) || va >= arch_vspace_limit() || pages * 4096 > arch_vspace_limit() - va)
		return CV_E_BAD_ADDRESS;
	return task_map_new_pages(container_of(cap->obj, struct task, obj), va, pages, (unsigned)perms);
}

#define COPY_IN_MAX (1u << 20)

/* A loader's way to fill another task's memory (it needs the task's write
 * right, which it has for the tasks it made). Mapped, writable pages only. */
static int sys_task_copy_in(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	uint64_t dst = arch_syscall_arg(c, 1), src = arch_syscall_arg(c, 2), len = arch_syscall_arg(c, 3);
	uint8_t buf[256];
	int err = lookup_space(caller, slot_arg(c, 0), &cap);

	if (err)
		return err;
	if (len > COPY_IN_MAX)
		return CV_E_BAD_ARG;
	struct task *t = container_of(cap->obj, struct task, obj);
	if (t->dying)
		return CV_E_DEAD;
	while (len) {
		size_t chunk = MIN(len, sizeof(buf));
		err = task_copy_from(caller->task, buf, src, chunk);
		if (!err)
			err = task_copy_in(t, dst, buf, chunk);
		if (err)
			return err;
		src += chunk;
		dst += chunk;
		len -= chunk;
	}
	return CV_OK;
}

/* Gives a task a capability: a child of the caller's, rights masked. */
static int sys_task_cap_copy(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_TASK, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	struct task *t = container_of(cap->obj, struct task, obj);
	if (t->dying)
		return CV_E_DEAD;
	return cap_copy(cspace_of(caller), slot_arg(c, 1), &t->cspace, slot_arg(c, 2),
			(uint32_t)arch_syscall_arg(c, 3));
}

static int sys_notification_create(struct thread *caller, struct arch_context *c)
{
	struct quota *q;
	struct notification *n;
	uint32_t dst;
	int err = lookup_payer_and_slot(caller, c, 0, &q, &dst);

	if (!err)
		err = notification_create(q, &n);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &n->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err)
		kmem_free(q, n->pa, 1);
	return err;
}

static int lookup_notification(struct thread *t, uint32_t slot, uint32_t rights, const struct cap_slot **cap)
{
	return cap_lookup(cspace_of(t), slot, CV_OBJ_NOTIFICATION, rights, cap);
}

static int sys_signal(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = lookup_notification(caller, slot_arg(c, 0), CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	/* The badge identifies the signaller; bits add detail. */
	notification_signal(container_of(cap->obj, struct notification, obj), cap->badge | arch_syscall_arg(c, 1));
	return CV_OK;
}

static int sys_wait(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	uint64_t flags = arch_syscall_arg(c, 1);
	int err = lookup_notification(caller, slot_arg(c, 0), CV_RIGHT_READ, &cap);

	if (err)
		return err;
	if (flags & ~(uint64_t)CV_WAIT_NONBLOCK)
		return CV_E_BAD_ARG;
	notification_wait(caller, container_of(cap->obj, struct notification, obj), flags & CV_WAIT_NONBLOCK);
	return SYSCALL_NO_STATUS;
}

static int sys_notification_bind(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *ncap, *tcap;
	int err = lookup_notification(caller, slot_arg(c, 0), CV_RIGHT_READ, &ncap);

	if (!err)
		err = cap_lookup(cspace_of(caller), slot_arg(c, 1), CV_OBJ_THREAD, CV_RIGHT_WRITE, &tcap);
	if (err)
		return err;
	struct thread *t = container_of(tcap->obj, struct thread, obj);
	if (t->state == THREAD_DEAD)
		return CV_E_DEAD;
	return notification_bind(container_of(ncap->obj, struct notification, obj), t);
}

static int sys_irq_bind(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *icap, *ncap;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_IRQ, CV_RIGHT_WRITE, &icap);

	if (!err)
		err = lookup_notification(caller, slot_arg(c, 1), CV_RIGHT_WRITE, &ncap);
	if (err)
		return err;
	return irq_bind(container_of(icap->obj, struct irq_obj, obj),
			container_of(ncap->obj, struct notification, obj), arch_syscall_arg(c, 2));
}

static int sys_irq_ack(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_IRQ, CV_RIGHT_WRITE, &cap);

	return err ? err : irq_ack(container_of(cap->obj, struct irq_obj, obj));
}

static int sys_irq_unbind(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_IRQ, CV_RIGHT_WRITE, &cap);

	return err ? err : irq_unbind(container_of(cap->obj, struct irq_obj, obj));
}

static int sys_device_map(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *dcap, *tcap;
	uint64_t va = arch_syscall_arg(c, 2), first = arch_syscall_arg(c, 3), pages = arch_syscall_arg(c, 4);
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_DEVICE, CV_RIGHT_WRITE, &dcap);

	if (!err)
		err = lookup_space(caller, slot_arg(c, 1), &tcap);
	if (err)
		return err;
	struct device_obj *d = container_of(dcap->obj, struct device_obj, obj);
	uint64_t dev_pages = d->size / 4096;
	if (pages == 0 || first >= dev_pages || pages > dev_pages - first)
		return CV_E_BAD_ARG;
	if ((va & 4095) || va >= arch_vspace_limit() || pages * 4096 > arch_vspace_limit() - va)
		return CV_E_BAD_ADDRESS;
	return task_map_physical(container_of(tcap->obj, struct task, obj), va, d->base + first * 4096, pages,
				 VSPACE_READ | VSPACE_WRITE | VSPACE_DEVICE);
}

/* A live thread, or (vcpu_too) also a live vCPU: the calls that control any
 * schedulable context take either. */
static int lookup_context(struct thread *caller, uint32_t slot, bool vcpu_too, struct thread **t)
{
	const struct cap_slot *cap;
	int err = vcpu_too ? lookup_either(caller, slot, CV_OBJ_THREAD, CV_OBJ_VCPU, &cap)
			   : cap_lookup(cspace_of(caller), slot, CV_OBJ_THREAD, CV_RIGHT_WRITE, &cap);

	if (err)
		return err;
	*t = container_of(cap->obj, struct thread, obj);
	return (*t)->state == THREAD_DEAD ? CV_E_DEAD : CV_OK;
}

static int lookup_thread(struct thread *caller, uint32_t slot, struct thread **t)
{
	return lookup_context(caller, slot, false, t);
}

static int lookup_thread_or_vcpu(struct thread *caller, uint32_t slot, struct thread **t)
{
	return lookup_context(caller, slot, true, t);
}

/* The handler is named by a slot of the thread's own task, looked up at
 * each fault (a capability deleted since then means no handler). */
static int sys_thread_set_fault_handler(struct thread *caller, struct arch_context *c)
{
	struct thread *t;
	uint64_t slot = arch_syscall_arg(c, 1);
	int err = lookup_thread(caller, slot_arg(c, 0), &t);

	if (err)
		return err;
	if (slot > UINT32_MAX)
		return CV_E_BAD_SLOT;
	t->fault_handler_slot = (uint32_t)slot;
	return CV_OK;
}

/* Returns once the thread is off its CPU: a thread running elsewhere
 * leaves at that CPU's next kernel entry (an IPI makes it soon), and until
 * then the call restarts, giving the kernel lock up in between. */
static int sys_thread_suspend(struct thread *caller, struct arch_context *c)
{
	struct thread *t;
	int err = lookup_thread_or_vcpu(caller, slot_arg(c, 0), &t);

	if (err)
		return err;
	thread_suspend(t);
	if (t->state == THREAD_RUNNING && t != caller)
		return SYSCALL_RESTART;
	return CV_OK;
}

static int sys_thread_resume(struct thread *caller, struct arch_context *c)
{
	struct thread *t;
	int err = lookup_thread_or_vcpu(caller, slot_arg(c, 0), &t);

	if (!err)
		thread_resume(t);
	return err;
}

/* Registers of a thread that is not running right now (suspended, blocked
 * or not started): a running one's are in flight. */
static int regs_access(struct thread *caller, struct arch_context *c, bool write)
{
	struct thread *t;
	struct cv_regs r;
	int err = lookup_thread_or_vcpu(caller, slot_arg(c, 0), &t);

	if (err)
		return err;
	if (t->state == THREAD_RUNNING || t == caller)
		return CV_E_BUSY;
	if (!write) {
		memcpy(r.x, t->ctx.x, sizeof(r.x));
		r.sp = t->ctx.sp;
		r.pc = t->ctx.pc;
		r.pstate = t->ctx.pstate;
		r.tpidr = t->ctx.tpidr;
		return task_copy_to(caller->task, arch_syscall_arg(c, 1), &r, sizeof(r));
	}
	err = task_copy_from(caller->task, &r, arch_syscall_arg(c, 1), sizeof(r));
	if (err)
		return err;
	/* A guest's pc is its own virtual address: any aligned one. */
	if ((r.pc & 3) || (!t->vcpu && r.pc >= arch_vspace_limit()))
		return CV_E_BAD_ADDRESS;
	memcpy(t->ctx.x, r.x, sizeof(r.x));
	t->ctx.sp = r.sp;
	t->ctx.pc = r.pc;
	t->ctx.tpidr = r.tpidr;
	return CV_OK;
}

static int sys_thread_read_regs(struct thread *caller, struct arch_context *c)
{
	return regs_access(caller, c, false);
}

static int sys_thread_write_regs(struct thread *caller, struct arch_context *c)
{
	return regs_access(caller, c, true);
}

static int sys_frame_create(struct thread *caller, struct arch_context *c)
{
	struct quota *q;
	struct frame *f;
	uint32_t dst;
	int err = lookup_payer_and_slot(caller, c, 0, &q, &dst);

	if (!err)
		err = frame_create(q, arch_syscall_arg(c, 2), &f);
	if (err)
		return err;
	err = cap_insert_new(cspace_of(caller), dst, &f->obj, CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_EXEC, 0);
	if (err) {
		kmem_free(q, f->pa, f->pages);
		kmem_free(q, f->hdr_pa, 1);
	}
	return err;
}

/* The mapping's permissions come from the frame capability's rights: a
 * read-only copy of a frame capability maps read-only. */
static int sys_frame_map(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *fcap, *tcap;
	uint64_t perms = arch_syscall_arg(c, 3);
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_FRAME, CV_RIGHT_READ, &fcap);

	if (!err)
		err = lookup_space(caller, slot_arg(c, 1), &tcap);
	if (err)
		return err;
	/* Writable and executable together only in a VM (include/uapi/vm.h). */
	if (perms & ~(uint64_t)(CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC) || !(perms & CV_MAP_READ) ||
	    ((perms & CV_MAP_WRITE) && (perms & CV_MAP_EXEC) && tcap->obj->type != CV_OBJ_VM))
		return CV_E_BAD_ARG;
	if (((perms & CV_MAP_WRITE) && !(fcap->rights & CV_RIGHT_WRITE)) ||
	    ((perms & CV_MAP_EXEC) && !(fcap->rights & CV_RIGHT_EXEC)))
		return CV_E_NO_RIGHTS;
	return frame_map(container_of(fcap->obj, struct frame, obj), container_of(tcap->obj, struct task, obj),
			 arch_syscall_arg(c, 2), (unsigned)perms);
}

static int sys_unmap(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *tcap;
	int err = lookup_space(caller, slot_arg(c, 0), &tcap);

	return err ? err : frame_unmap(container_of(tcap->obj, struct task, obj), arch_syscall_arg(c, 1));
}

/* The buffer must be a writable page of the thread's task now; it is
 * looked up again at every message. */
static int sys_thread_set_ipc_buffer(struct thread *caller, struct arch_context *c)
{
	struct thread *t;
	uint64_t va = arch_syscall_arg(c, 1), pa;
	unsigned perms;
	int err = lookup_thread(caller, slot_arg(c, 0), &t);

	if (err)
		return err;
	if (va && ((va & 4095) || !t->task || !arch_vspace_lookup(&t->task->vspace, va, &pa, &perms) ||
		   !(perms & VSPACE_WRITE) || (perms & VSPACE_DEVICE)))
		return CV_E_BAD_ADDRESS;
	t->ipc_buffer = va;
	return CV_OK;
}

static int sys_quota_split(struct thread *caller, struct arch_context *c)
{
	struct quota *parent;
	uint32_t dst;
	uint64_t frames = arch_syscall_arg(c, 2), pa;
	int err = lookup_payer_and_slot(caller, c, 0, &parent, &dst);

	if (!err && frames == 0)
		err = CV_E_BAD_ARG;
	if (!err)
		err = kmem_alloc(parent, 1, &pa);
	if (err)
		return err;
	struct quota_obj *qo = arch_phys_to_virt(pa);
	cap_obj_init(&qo->obj, CV_OBJ_QUOTA);
	qo->pa = pa;
	qo->paid_from = parent;
	err = quota_split(parent, frames, &qo->quota);
	if (!err) {
		err = cap_insert_new(cspace_of(caller), dst, &qo->obj, CV_RIGHTS_KERNEL_MASK, 0);
		if (err && quota_destroy_child(&qo->quota))
			panic("quota: undoing a fresh split failed");
	}
	if (err)
		kmem_free(parent, pa, 1);
	return err;
}

static int sys_quota_info(struct thread *caller, struct arch_context *c)
{
	const struct cap_slot *cap;
	uint64_t limit, used;
	int err = cap_lookup(cspace_of(caller), slot_arg(c, 0), CV_OBJ_QUOTA, 0, &cap);

	if (err)
		return err;
	quota_info(&container_of(cap->obj, struct quota_obj, obj)->quota, &limit, &used);
	arch_syscall_set_result(c, 1, limit);
	arch_syscall_set_result(c, 2, used);
	return CV_OK;
}

static int sys_memory_info(struct thread *caller, struct arch_context *c)
{
	(void)caller;
	arch_syscall_set_result(c, 1, memory_free_frame_count());
	arch_syscall_set_result(c, 2, memory_total_frame_count());
	return CV_OK;
}

static const syscall_handler syscall_table[CV_SYS_COUNT] = {
	[CV_SYS_NULL] = sys_null,
	[CV_SYS_DEBUG_WRITE] = sys_debug_write,
	[CV_SYS_THREAD_EXIT] = sys_thread_exit,
	[CV_SYS_YIELD] = sys_yield,
	[CV_SYS_CAP_COPY] = sys_cap_copy,
	[CV_SYS_CAP_MINT] = sys_cap_mint,
	[CV_SYS_CAP_MOVE] = sys_cap_move,
	[CV_SYS_CAP_DELETE] = sys_cap_delete,
	[CV_SYS_CAP_REVOKE] = sys_cap_revoke,
	[CV_SYS_CAP_INFO] = sys_cap_info,
	[CV_SYS_ENDPOINT_CREATE] = sys_endpoint_create,
	[CV_SYS_CALL] = sys_call,
	[CV_SYS_SEND] = sys_send,
	[CV_SYS_RECV] = sys_recv,
	[CV_SYS_REPLY] = sys_reply,
	[CV_SYS_REPLY_RECV] = sys_reply_recv,
	[CV_SYS_ENDPOINT_WATCH] = sys_endpoint_watch,
	[CV_SYS_THREAD_CREATE] = sys_thread_create,
	[CV_SYS_THREAD_START] = sys_thread_start,
	[CV_SYS_TASK_CREATE] = sys_task_create,
	[CV_SYS_QUOTA_SPLIT] = sys_quota_split,
	[CV_SYS_QUOTA_INFO] = sys_quota_info,
	[CV_SYS_MEMORY_INFO] = sys_memory_info,
	[CV_SYS_TASK_MAP_NEW] = sys_task_map_new,
	[CV_SYS_TASK_COPY_IN] = sys_task_copy_in,
	[CV_SYS_TASK_CAP_COPY] = sys_task_cap_copy,
	[CV_SYS_NOTIFICATION_CREATE] = sys_notification_create,
	[CV_SYS_SIGNAL] = sys_signal,
	[CV_SYS_WAIT] = sys_wait,
	[CV_SYS_NOTIFICATION_BIND] = sys_notification_bind,
	[CV_SYS_IRQ_BIND] = sys_irq_bind,
	[CV_SYS_IRQ_ACK] = sys_irq_ack,
	[CV_SYS_DEVICE_MAP] = sys_device_map,
	[CV_SYS_THREAD_SET_FAULT_HANDLER] = sys_thread_set_fault_handler,
	[CV_SYS_THREAD_SUSPEND] = sys_thread_suspend,
	[CV_SYS_THREAD_RESUME] = sys_thread_resume,
	[CV_SYS_THREAD_READ_REGS] = sys_thread_read_regs,
	[CV_SYS_THREAD_WRITE_REGS] = sys_thread_write_regs,
	[CV_SYS_FRAME_CREATE] = sys_frame_create,
	[CV_SYS_FRAME_MAP] = sys_frame_map,
	[CV_SYS_UNMAP] = sys_unmap,
	[CV_SYS_THREAD_SET_IPC_BUFFER] = sys_thread_set_ipc_buffer,
	[CV_SYS_VM_CREATE] = sys_vm_create,
	[CV_SYS_VCPU_CREATE] = sys_vcpu_create,
	[CV_SYS_VCPU_SET_EXIT] = sys_vcpu_set_exit,
	[CV_SYS_VM_IRQ] = sys_vm_irq,
	[CV_SYS_VM_IRQ_BIND] = sys_vm_irq_bind,
	[CV_SYS_IRQ_UNBIND] = sys_irq_unbind,
	[CV_SYS_ENDPOINT_UNWATCH] = sys_endpoint_unwatch,
	[CV_SYS_VM_RESET] = sys_vm_reset,
	[CV_SYS_VCPU_STATS] = sys_vcpu_stats,
};

void syscall_dispatch(struct thread *caller)
{
	struct arch_context *c = &caller->ctx;
	uint64_t nr = arch_syscall_number(c);
	syscall_handler h = nr < CV_SYS_COUNT ? syscall_table[nr] : NULL;
	int status = h ? h(caller, c) : CV_E_BAD_SYSCALL;

	if (status == SYSCALL_RESTART)
		arch_syscall_restart(c);
	else if (status != SYSCALL_NO_STATUS)
		arch_syscall_set_status(c, (uint64_t)status);
}
