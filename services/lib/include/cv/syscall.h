/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call stubs for user tasks.
 *
 * include/uapi/syscall.h is the one definition of the numbers and of the
 * calling convention: `svc #0`, number in x8, arguments in x0..x5; x0
 * comes back as an enum cv_status and x1..x5 as the call's results, every
 * other register is preserved. cv_syscall() is that convention as one
 * inline function; each typed wrapper below is a line or two on top of
 * it. The host unit test unit/libcv (services/lib/tests/test_libcv.c)
 * builds this header with CV_SYSCALL_MOCK and checks every wrapper's
 * number, argument order and results, and that every number of the uapi
 * header has a wrapper.
 *
 * To add a call: a wrapper here, one line in the test's table.
 */
#ifndef CV_SYSCALL_H
#define CV_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/ipc.h>
#include <uapi/status.h>
#include <uapi/syscall.h>
#include <uapi/vm.h>

/* What a call leaves in x1..x5. */
struct cv_sysret {
	uint64_t r[5];
};

#ifdef CV_SYSCALL_MOCK
/* Host builds: the test provides the "kernel". */
enum cv_status cv_syscall_mock(enum cv_syscall nr, const uint64_t args[6], struct cv_sysret *ret);
#endif

/*
 * The one trap into the kernel. ret may be NULL when the results are not
 * wanted; being inline, unused results and constant arguments cost nothing
 * beyond the register moves.
 */
static inline enum cv_status cv_syscall(enum cv_syscall nr, uint64_t a0, uint64_t a1, uint64_t a2,
					uint64_t a3, uint64_t a4, uint64_t a5, struct cv_sysret *ret)
{
#ifdef CV_SYSCALL_MOCK
	const uint64_t args[6] = {a0, a1, a2, a3, a4, a5};
	struct cv_sysret tmp;

	return cv_syscall_mock(nr, args, ret ? ret : &tmp);
#else
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	register uint64_t x8 __asm__("x8") = (uint64_t)nr;

	/* "memory": the kernel may read and write buffers we pass. */
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 : "r"(x8)
			 : "memory");
	if (ret) {
		ret->r[0] = x1;
		ret->r[1] = x2;
		ret->r[2] = x3;
		ret->r[3] = x4;
		ret->r[4] = x5;
	}
	return (enum cv_status)x0;
#endif
}

/* Shorthands for calls without results. */
#define CV_SYSCALL0(nr) cv_syscall((nr), 0, 0, 0, 0, 0, 0, NULL)
#define CV_SYSCALL1(nr, a) cv_syscall((nr), (uint64_t)(a), 0, 0, 0, 0, 0, NULL)
#define CV_SYSCALL2(nr, a, b) cv_syscall((nr), (uint64_t)(a), (uint64_t)(b), 0, 0, 0, 0, NULL)
#define CV_SYSCALL3(nr, a, b, c) \
	cv_syscall((nr), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0, 0, NULL)
#define CV_SYSCALL4(nr, a, b, c, d) \
	cv_syscall((nr), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), 0, 0, NULL)

/*
 * The wide trap: arguments in x0..x7, results in x0..x8 (IPC and the calls
 * with more than six arguments; include/uapi/ipc.h). out may be NULL.
 */
#ifdef CV_SYSCALL_MOCK
enum cv_status cv_syscall8_mock(enum cv_syscall nr, const uint64_t in[8], uint64_t out[9]);
#endif

static inline enum cv_status cv_syscall8(enum cv_syscall nr, const uint64_t in[8], uint64_t out[9])
{
#ifdef CV_SYSCALL_MOCK
	uint64_t tmp[9];

	return cv_syscall8_mock(nr, in, out ? out : tmp);
#else
	register uint64_t x0 __asm__("x0") = in[0];
	register uint64_t x1 __asm__("x1") = in[1];
	register uint64_t x2 __asm__("x2") = in[2];
	register uint64_t x3 __asm__("x3") = in[3];
	register uint64_t x4 __asm__("x4") = in[4];
	register uint64_t x5 __asm__("x5") = in[5];
	register uint64_t x6 __asm__("x6") = in[6];
	register uint64_t x7 __asm__("x7") = in[7];
	register uint64_t x8 __asm__("x8") = (uint64_t)nr;

	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x7), "+r"(x8)
			 :
			 : "memory");
	if (out) {
		out[0] = x0;
		out[1] = x1;
		out[2] = x2;
		out[3] = x3;
		out[4] = x4;
		out[5] = x5;
		out[6] = x6;
		out[7] = x7;
		out[8] = x8;
	}
	return (enum cv_status)x0;
#endif
}

/* ---- the typed wrappers, in uapi order ---- */

/* Does nothing; CV_OK. */
static inline enum cv_status cv_null(void)
{
	return CV_SYSCALL0(CV_SYS_NULL);
}

/* Writes len bytes to the kernel's console, as one unit. */
static inline enum cv_status cv_debug_write(const char *buf, size_t len)
{
	return CV_SYSCALL2(CV_SYS_DEBUG_WRITE, (uintptr_t)buf, len);
}

/* Ends the calling thread. Never returns. */
_Noreturn static inline void cv_thread_exit(void)
{
	(void)CV_SYSCALL0(CV_SYS_THREAD_EXIT);
	for (;;)
		;
}

/* Gives the CPU to another thread of equal priority. */
static inline enum cv_status cv_yield(void)
{
	return CV_SYSCALL0(CV_SYS_YIELD);
}

/* Copies the capability in src to the empty slot dst, keeping only rights. */
static inline enum cv_status cv_cap_copy(cv_slot_t src, cv_slot_t dst, uint32_t rights)
{
	return CV_SYSCALL3(CV_SYS_CAP_COPY, src, dst, rights);
}

/* Like cv_cap_copy, and sets the copy's badge (src must be unbadged). */
static inline enum cv_status cv_cap_mint(cv_slot_t src, cv_slot_t dst, uint32_t rights,
					 cv_badge_t badge)
{
	return CV_SYSCALL4(CV_SYS_CAP_MINT, src, dst, rights, badge);
}

/* Moves the capability in src to the empty slot dst. */
static inline enum cv_status cv_cap_move(cv_slot_t src, cv_slot_t dst)
{
	return CV_SYSCALL2(CV_SYS_CAP_MOVE, src, dst);
}

/* Empties slot. */
static inline enum cv_status cv_cap_delete(cv_slot_t slot)
{
	return CV_SYSCALL1(CV_SYS_CAP_DELETE, slot);
}

/*
 * Deletes every capability derived from the one in slot, in any task.
 * The kernel restarts a long revoke by itself (bounded work per entry), so
 * CV_E_PREEMPTED does not come back today; the loop below stays correct if
 * it ever does.
 * (cv_cap_revoke_all() does).
 */
static inline enum cv_status cv_cap_revoke(cv_slot_t slot)
{
	return CV_SYSCALL1(CV_SYS_CAP_REVOKE, slot);
}

static inline enum cv_status cv_cap_revoke_all(cv_slot_t slot)
{
	enum cv_status st;

	do
		st = cv_cap_revoke(slot);
	while (st == CV_E_PREEMPTED);
	return st;
}

/* What a slot holds; an empty slot is CV_E_EMPTY_SLOT. */
struct cv_cap_info {
	enum cv_obj_type type;
	uint32_t rights;
	cv_badge_t badge;
};

static inline enum cv_status cv_cap_info(cv_slot_t slot, struct cv_cap_info *info)
{
	struct cv_sysret r;
	enum cv_status st = cv_syscall(CV_SYS_CAP_INFO, slot, 0, 0, 0, 0, 0, &r);

	if (st == CV_OK) {
		info->type = (enum cv_obj_type)r.r[0];
		info->rights = (uint32_t)r.r[1];
		info->badge = r.r[2];
	}
	return st;
}

/* ---- endpoints and IPC (include/uapi/ipc.h) ---- */

/* A message: info word, message registers, and on receipt the badge. */
struct cv_msg {
	uint64_t info;
	uint64_t mr[CV_IPC_MRS];
	cv_badge_t badge;
};

static inline enum cv_status cv_endpoint_create(cv_slot_t quota, cv_slot_t dst)
{
	return CV_SYSCALL2(CV_SYS_ENDPOINT_CREATE, quota, dst);
}

/* One IPC trap: sends msg (info, registers), and where the call receives,
 * overwrites msg with what arrived. ep_arg: cv_ipc_endpoint_arg(). The
 * message goes between msg and the registers directly, with no array in
 * between: copying through one makes the compiler use SIMD registers,
 * which costs every IPC the FP/SIMD switch (kernel/fpu.h). */
static inline enum cv_status cv_ipc(enum cv_syscall nr, uint64_t ep_arg, struct cv_msg *msg)
{
#ifdef CV_SYSCALL_MOCK
	uint64_t in[8] = {ep_arg, msg->info, msg->mr[0], msg->mr[1], msg->mr[2], msg->mr[3], msg->mr[4],
			  msg->mr[5]};
	uint64_t out[9];
	enum cv_status st = cv_syscall8(nr, in, out);

	if (nr == CV_SYS_REPLY && st == CV_OK) {
		msg->info = out[1];
	} else if (nr != CV_SYS_SEND && st == CV_OK) {
		msg->info = out[1];
		for (int i = 0; i < CV_IPC_MRS; i++)
			msg->mr[i] = out[2 + i];
		msg->badge = out[8];
	}
	return st;
#else
	register uint64_t x0 __asm__("x0") = ep_arg;
	register uint64_t x1 __asm__("x1") = msg->info;
	register uint64_t x2 __asm__("x2") = msg->mr[0];
	register uint64_t x3 __asm__("x3") = msg->mr[1];
	register uint64_t x4 __asm__("x4") = msg->mr[2];
	register uint64_t x5 __asm__("x5") = msg->mr[3];
	register uint64_t x6 __asm__("x6") = msg->mr[4];
	register uint64_t x7 __asm__("x7") = msg->mr[5];
	register uint64_t x8 __asm__("x8") = (uint64_t)nr;

	/* "memory": the kernel may write the message buffer. */
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x7), "+r"(x8)
			 :
			 : "memory");
	if (nr == CV_SYS_REPLY && x0 == CV_OK) {
		msg->info = x1;
	} else if (nr != CV_SYS_SEND && x0 == CV_OK) {
		msg->info = x1;
		msg->mr[0] = x2;
		msg->mr[1] = x3;
		msg->mr[2] = x4;
		msg->mr[3] = x5;
		msg->mr[4] = x6;
		msg->mr[5] = x7;
		msg->badge = x8;
	}
	return (enum cv_status)x0;
#endif
}

static inline enum cv_status cv_call(uint64_t ep_arg, struct cv_msg *msg)
{
	return cv_ipc(CV_SYS_CALL, ep_arg, msg);
}

static inline enum cv_status cv_send(uint64_t ep_arg, struct cv_msg *msg)
{
	return cv_ipc(CV_SYS_SEND, ep_arg, msg);
}

static inline enum cv_status cv_recv(uint64_t ep_arg, struct cv_msg *msg)
{
	return cv_ipc(CV_SYS_RECV, ep_arg, msg);
}

/* Answers the caller this thread owes. On CV_OK, msg->info becomes the
 * info word the caller received: its capability count says how many of
 * the capabilities sent found a receive slot (0 for a faulted thread or a
 * vCPU's exit). */
static inline enum cv_status cv_reply(struct cv_msg *msg)
{
	return cv_ipc(CV_SYS_REPLY, 0, msg);
}

static inline enum cv_status cv_reply_recv(uint64_t ep_arg, struct cv_msg *msg)
{
	return cv_ipc(CV_SYS_REPLY_RECV, ep_arg, msg);
}

/* Asks for a close event when the last copy (outside this task) of the
 * badged endpoint capability in slot is gone. */
static inline enum cv_status cv_endpoint_watch(cv_slot_t slot)
{
	return CV_SYSCALL1(CV_SYS_ENDPOINT_WATCH, slot);
}

/* Withdraws this task's pending watches of the badged endpoint capability
 * in slot; *cancelled (may be NULL) gets how many there were. */
static inline enum cv_status cv_endpoint_unwatch(cv_slot_t slot, unsigned *cancelled)
{
	struct cv_sysret r;
	enum cv_status st = cv_syscall(CV_SYS_ENDPOINT_UNWATCH, slot, 0, 0, 0, 0, 0, &r);

	if (st == CV_OK && cancelled)
		*cancelled = (unsigned)r.r[0];
	return st;
}

/* ---- threads, tasks, memory ---- */

static inline enum cv_status cv_thread_create(cv_slot_t task, cv_slot_t quota, cv_slot_t dst, uint64_t pc,
					      uint64_t sp, uint64_t arg, unsigned priority, unsigned cpu)
{
	/* Out-of-range values must fail, not wrap into valid ones. */
	if (priority > 0xff || cpu > 0xff)
		return CV_E_BAD_ARG;
	uint64_t in[8] = {task, quota, dst, pc, sp, arg, (uint64_t)priority | ((uint64_t)cpu << 8), 0};

	return cv_syscall8(CV_SYS_THREAD_CREATE, in, NULL);
}

static inline enum cv_status cv_thread_start(cv_slot_t thread)
{
	return CV_SYSCALL1(CV_SYS_THREAD_START, thread);
}

static inline enum cv_status cv_task_create(cv_slot_t quota, cv_slot_t dst, unsigned max_priority,
					    uint32_t cap_slots)
{
	return CV_SYSCALL4(CV_SYS_TASK_CREATE, quota, dst, max_priority, cap_slots);
}

static inline enum cv_status cv_quota_split(cv_slot_t quota, cv_slot_t dst, uint64_t frames)
{
	return CV_SYSCALL3(CV_SYS_QUOTA_SPLIT, quota, dst, frames);
}

static inline enum cv_status cv_quota_info(cv_slot_t quota, uint64_t *limit, uint64_t *used)
{
	struct cv_sysret r;
	enum cv_status st = cv_syscall(CV_SYS_QUOTA_INFO, quota, 0, 0, 0, 0, 0, &r);

	if (st == CV_OK) {
		*limit = r.r[0];
		*used = r.r[1];
	}
	return st;
}

static inline enum cv_status cv_memory_info(uint64_t *free_frames, uint64_t *total_frames)
{
	struct cv_sysret r;
	enum cv_status st = cv_syscall(CV_SYS_MEMORY_INFO, 0, 0, 0, 0, 0, 0, &r);

	if (st == CV_OK) {
		*free_frames = r.r[0];
		*total_frames = r.r[1];
	}
	return st;
}

static inline enum cv_status cv_task_map_new(cv_slot_t task, uint64_t va, uint64_t pages, unsigned perms)
{
	return CV_SYSCALL4(CV_SYS_TASK_MAP_NEW, task, va, pages, perms);
}

static inline enum cv_status cv_task_copy_in(cv_slot_t task, uint64_t dst_va, const void *src, uint64_t len)
{
	return CV_SYSCALL4(CV_SYS_TASK_COPY_IN, task, dst_va, (uint64_t)(uintptr_t)src, len);
}

static inline enum cv_status cv_task_cap_copy(cv_slot_t task, cv_slot_t src, cv_slot_t dst, uint32_t rights)
{
	return CV_SYSCALL4(CV_SYS_TASK_CAP_COPY, task, src, dst, rights);
}

/* ---- notifications, interrupts, devices ---- */

static inline enum cv_status cv_notification_create(cv_slot_t quota, cv_slot_t dst)
{
	return CV_SYSCALL2(CV_SYS_NOTIFICATION_CREATE, quota, dst);
}

/* ORs bits (and the capability's badge) into the notification's word. */
static inline enum cv_status cv_signal(cv_slot_t ntfn, uint64_t bits)
{
	return CV_SYSCALL2(CV_SYS_SIGNAL, ntfn, bits);
}

/* Takes the word, waiting until it is non-zero (flags: CV_WAIT_NONBLOCK). */
static inline enum cv_status cv_wait(cv_slot_t ntfn, unsigned flags, uint64_t *word)
{
	struct cv_sysret r;
	enum cv_status st = cv_syscall(CV_SYS_WAIT, ntfn, flags, 0, 0, 0, 0, &r);

	if (word)
		*word = st == CV_OK ? r.r[0] : 0;
	return st;
}

static inline enum cv_status cv_notification_bind(cv_slot_t ntfn, cv_slot_t thread)
{
	return CV_SYSCALL2(CV_SYS_NOTIFICATION_BIND, ntfn, thread);
}

static inline enum cv_status cv_irq_bind(cv_slot_t irq, cv_slot_t ntfn, uint64_t bits)
{
	return CV_SYSCALL3(CV_SYS_IRQ_BIND, irq, ntfn, bits);
}

static inline enum cv_status cv_irq_ack(cv_slot_t irq)
{
	return CV_SYSCALL1(CV_SYS_IRQ_ACK, irq);
}

/* Ends the interrupt's binding, to a notification or to a VM, and masks it. */
static inline enum cv_status cv_irq_unbind(cv_slot_t irq)
{
	return CV_SYSCALL1(CV_SYS_IRQ_UNBIND, irq);
}

static inline enum cv_status cv_device_map(cv_slot_t device, cv_slot_t task, uint64_t va, uint64_t first_page,
					   uint64_t pages)
{
	return cv_syscall(CV_SYS_DEVICE_MAP, device, task, va, first_page, pages, 0, NULL);
}

/* ---- thread control ---- */

/* Faults of the thread become messages on the endpoint in slot `handler`
 * of the thread's own task (0: none; the task dies on a fault). */
static inline enum cv_status cv_thread_set_fault_handler(cv_slot_t thread, cv_slot_t handler)
{
	return CV_SYSCALL2(CV_SYS_THREAD_SET_FAULT_HANDLER, thread, handler);
}

static inline enum cv_status cv_thread_suspend(cv_slot_t thread)
{
	return CV_SYSCALL1(CV_SYS_THREAD_SUSPEND, thread);
}

static inline enum cv_status cv_thread_resume(cv_slot_t thread)
{
	return CV_SYSCALL1(CV_SYS_THREAD_RESUME, thread);
}

static inline enum cv_status cv_thread_read_regs(cv_slot_t thread, struct cv_regs *regs)
{
	return CV_SYSCALL2(CV_SYS_THREAD_READ_REGS, thread, (uint64_t)(uintptr_t)regs);
}

static inline enum cv_status cv_thread_write_regs(cv_slot_t thread, const struct cv_regs *regs)
{
	return CV_SYSCALL2(CV_SYS_THREAD_WRITE_REGS, thread, (uint64_t)(uintptr_t)regs);
}

/* ---- frames ---- */

/* Zeroed physical memory of `pages` pages, paid from quota. */
static inline enum cv_status cv_frame_create(cv_slot_t quota, cv_slot_t dst, uint64_t pages)
{
	return CV_SYSCALL3(CV_SYS_FRAME_CREATE, quota, dst, pages);
}

/* Maps the whole frame at va in task; perms within the capability's rights. */
static inline enum cv_status cv_frame_map(cv_slot_t frame, cv_slot_t task, uint64_t va, unsigned perms)
{
	return CV_SYSCALL4(CV_SYS_FRAME_MAP, frame, task, va, perms);
}

static inline enum cv_status cv_unmap(cv_slot_t task, uint64_t va)
{
	return CV_SYSCALL2(CV_SYS_UNMAP, task, va);
}

/* Where the thread's messages continue beyond the registers: a writable
 * page of its task (0: none). With CV_IPC_EXTRA in a message's info, the
 * buffer's word 0 (a count) and that many words after it travel too. */
static inline enum cv_status cv_thread_set_ipc_buffer(cv_slot_t thread, uint64_t va)
{
	return CV_SYSCALL2(CV_SYS_THREAD_SET_IPC_BUFFER, thread, va);
}

/* ---- virtual machines (include/uapi/vm.h) ---- */

/* A VM (guest-physical address space and interrupt controller); map
 * frames into it with cv_frame_map, naming the VM where a task goes. */
static inline enum cv_status cv_vm_create(cv_slot_t quota, cv_slot_t dst, unsigned max_priority)
{
	return CV_SYSCALL4(CV_SYS_VM_CREATE, quota, dst, max_priority, 0);
}

/* vCPU `index` of vm, starting (cv_thread_start) at pc with x0 at EL1. */
static inline enum cv_status cv_vcpu_create(cv_slot_t vm, cv_slot_t quota, cv_slot_t dst, uint64_t pc,
					    uint64_t x0, unsigned priority, unsigned cpu, unsigned index)
{
	if (priority > 0xff || cpu > 0xff || index > 0xff)
		return CV_E_BAD_ARG;
	uint64_t in[8] = {vm, quota, dst, pc, x0, 0,
			  (uint64_t)priority | ((uint64_t)cpu << 8) | ((uint64_t)index << 16), 0};

	return cv_syscall8(CV_SYS_VCPU_CREATE, in, NULL);
}

/* The endpoint the vCPU's exits go to (a copy of the capability at ep). */
static inline enum cv_status cv_vcpu_set_exit(cv_slot_t vcpu, cv_slot_t ep, uint32_t flags)
{
	return CV_SYSCALL3(CV_SYS_VCPU_SET_EXIT, vcpu, ep, flags);
}

/* An SPI's line: 1 raise, 0 lower, 2 an edge. */
static inline enum cv_status cv_vm_irq(cv_slot_t vm, unsigned intid, unsigned level)
{
	return CV_SYSCALL3(CV_SYS_VM_IRQ, vm, intid, level);
}

/* The physical interrupt of `irq` drives SPI `intid` of vm (passthrough). */
static inline enum cv_status cv_vm_irq_bind(cv_slot_t vm, unsigned intid, cv_slot_t irq)
{
	return CV_SYSCALL3(CV_SYS_VM_IRQ_BIND, vm, intid, irq);
}

/* The VM back to its power-on state (every vCPU stopped, reset and not
 * started; memory, exit endpoints and bindings kept). Returns once no vCPU
 * runs. */
static inline enum cv_status cv_vm_reset(cv_slot_t vm)
{
	return CV_SYSCALL1(CV_SYS_VM_RESET, vm);
}

/* The vCPU's counters since its creation into *out, whose size word says
 * how much it holds (set here to sizeof(*out)); afterwards out->size is
 * what the kernel wrote. */
static inline enum cv_status cv_vcpu_stats(cv_slot_t vcpu, struct cv_vcpu_stats *out)
{
	out->size = sizeof(*out);
	return CV_SYSCALL2(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)out);
}

#endif
