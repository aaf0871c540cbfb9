// SPDX-License-Identifier: BSD-2-Clause
// The fuzzer's generator: per system call, arguments drawn from the pool of
// valid capabilities and addresses mixed with adversarial values, the trap
// with every register controlled (trap.S), and the checks of what came
// back. Each worker thread runs gen_fuzz() with its own PRNG stream and its
// own part of the pool; it never prints (stdio and malloc are not
// thread-safe yet) and only fills its own statistics.
#include <stdio.h>
#include <string.h>

#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/ipc.h>
#include <uapi/vm.h>

#include "fuzz.h"

/* ---- the PRNG: splitmix64, one state per stream ---- */

uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t r64(struct worker *w)
{
	return rng_next(&w->rng);
}

static uint64_t rn(struct worker *w, uint64_t n)
{
	return n ? r64(w) % n : 0;
}

static bool chance(struct worker *w, unsigned percent)
{
	return rn(w, 100) < percent;
}

#define PICK(w, arr) ((arr)[rn((w), sizeof(arr) / sizeof((arr)[0]))])

/* ---- names ---- */

static const char *const sys_names[CV_SYS_COUNT] = {
	[CV_SYS_NULL] = "NULL",
	[CV_SYS_DEBUG_WRITE] = "DEBUG_WRITE",
	[CV_SYS_THREAD_EXIT] = "THREAD_EXIT",
	[CV_SYS_YIELD] = "YIELD",
	[CV_SYS_CAP_COPY] = "CAP_COPY",
	[CV_SYS_CAP_MINT] = "CAP_MINT",
	[CV_SYS_CAP_MOVE] = "CAP_MOVE",
	[CV_SYS_CAP_DELETE] = "CAP_DELETE",
	[CV_SYS_CAP_REVOKE] = "CAP_REVOKE",
	[CV_SYS_CAP_INFO] = "CAP_INFO",
	[CV_SYS_ENDPOINT_CREATE] = "ENDPOINT_CREATE",
	[CV_SYS_CALL] = "CALL",
	[CV_SYS_SEND] = "SEND",
	[CV_SYS_RECV] = "RECV",
	[CV_SYS_REPLY] = "REPLY",
	[CV_SYS_REPLY_RECV] = "REPLY_RECV",
	[CV_SYS_ENDPOINT_WATCH] = "ENDPOINT_WATCH",
	[CV_SYS_THREAD_CREATE] = "THREAD_CREATE",
	[CV_SYS_THREAD_START] = "THREAD_START",
	[CV_SYS_TASK_CREATE] = "TASK_CREATE",
	[CV_SYS_QUOTA_SPLIT] = "QUOTA_SPLIT",
	[CV_SYS_QUOTA_INFO] = "QUOTA_INFO",
	[CV_SYS_MEMORY_INFO] = "MEMORY_INFO",
	[CV_SYS_TASK_MAP_NEW] = "TASK_MAP_NEW",
	[CV_SYS_TASK_COPY_IN] = "TASK_COPY_IN",
	[CV_SYS_TASK_CAP_COPY] = "TASK_CAP_COPY",
	[CV_SYS_NOTIFICATION_CREATE] = "NOTIFICATION_CREATE",
	[CV_SYS_SIGNAL] = "SIGNAL",
	[CV_SYS_WAIT] = "WAIT",
	[CV_SYS_NOTIFICATION_BIND] = "NOTIFICATION_BIND",
	[CV_SYS_IRQ_BIND] = "IRQ_BIND",
	[CV_SYS_IRQ_ACK] = "IRQ_ACK",
	[CV_SYS_DEVICE_MAP] = "DEVICE_MAP",
	[CV_SYS_THREAD_SET_FAULT_HANDLER] = "THREAD_SET_FAULT_HANDLER",
	[CV_SYS_THREAD_SUSPEND] = "THREAD_SUSPEND",
	[CV_SYS_THREAD_RESUME] = "THREAD_RESUME",
	[CV_SYS_THREAD_READ_REGS] = "THREAD_READ_REGS",
	[CV_SYS_THREAD_WRITE_REGS] = "THREAD_WRITE_REGS",
	[CV_SYS_FRAME_CREATE] = "FRAME_CREATE",
	[CV_SYS_FRAME_MAP] = "FRAME_MAP",
	[CV_SYS_UNMAP] = "UNMAP",
	[CV_SYS_THREAD_SET_IPC_BUFFER] = "THREAD_SET_IPC_BUFFER",
	[CV_SYS_VM_CREATE] = "VM_CREATE",
	[CV_SYS_VCPU_CREATE] = "VCPU_CREATE",
	[CV_SYS_VCPU_SET_EXIT] = "VCPU_SET_EXIT",
	[CV_SYS_VM_IRQ] = "VM_IRQ",
	[CV_SYS_VM_IRQ_BIND] = "VM_IRQ_BIND",
	[CV_SYS_IRQ_UNBIND] = "IRQ_UNBIND",
	[CV_SYS_ENDPOINT_UNWATCH] = "ENDPOINT_UNWATCH",
	[CV_SYS_VM_RESET] = "VM_RESET",
	[CV_SYS_VCPU_STATS] = "VCPU_STATS",
};

/* NULL for a number the fuzzer has no generator for (it is then never
 * called, and the coverage check names it). */
const char *gen_syscall_name(uint64_t nr)
{
	return nr < CV_SYS_COUNT ? sys_names[nr] : NULL;
}


static bool is_ipc(uint64_t nr)
{
	return nr == CV_SYS_CALL || nr == CV_SYS_SEND || nr == CV_SYS_RECV || nr == CV_SYS_REPLY ||
	       nr == CV_SYS_REPLY_RECV;
}

/* ---- slots ---- */

enum use {
	USE_READ,    /* only looked at: any slot */
	USE_ARG,     /* an argument: not untouchable */
	USE_DESTROY, /* deleted, moved away: only free-class slots */
	USE_DEST     /* a destination: not untouchable (full sticky ones just fail) */
};

static bool slot_allowed(uint64_t s, enum use use)
{
	if (s >= FUZZ_SLOTS)
		return true;
	switch (env.slot_class[s]) {
	case SLOT_FREE:
		return true;
	case SLOT_STICKY:
		return use != USE_DESTROY;
	default:
		return use == USE_READ;
	}
}

/* Allowed both as the kernel's saturating decoder sees it (anything past
 * 32 bits is out of range) and as a truncating one would (the low 32 or,
 * in IPC words, 16 bits), so a handler that wrongly truncated could not be
 * steered at the fuzzer's own task or threads. Only-read calls get the
 * aliasing values (2^32 + 1 is slot 1 truncated): there a truncating
 * handler shows up as a result other than CV_E_BAD_SLOT (check()). */
static bool value_allowed(uint64_t v, enum use use)
{
	uint64_t sat = v > UINT32_MAX ? UINT32_MAX : v;

	return slot_allowed(sat, use) && slot_allowed((uint32_t)v, use) && slot_allowed(v & 0xffff, use);
}

static void kind_range(enum slot_kind k, unsigned *off, unsigned *n)
{
	switch (k) {
	case KIND_EP: *off = POOL_EP, *n = POOL_EP_N; break;
	case KIND_NTFN: *off = POOL_NTFN, *n = POOL_NTFN_N; break;
	case KIND_TASK: *off = POOL_TASK, *n = POOL_TASK_N; break;
	case KIND_THREAD: *off = POOL_THREAD, *n = POOL_THREAD_N; break;
	case KIND_QUOTA: *off = POOL_QUOTA, *n = POOL_QUOTA_N; break;
	case KIND_IRQ: *off = POOL_DEV, *n = POOL_DEV_N / 2; break;
	case KIND_DEVICE: *off = POOL_DEV + POOL_DEV_N / 2, *n = POOL_DEV_N / 2; break;
	case KIND_SCRATCH: *off = POOL_SCRATCH, *n = POOL_SIZE - POOL_SCRATCH; break;
	case KIND_FRAME: *off = POOL_FRAME, *n = POOL_FRAME_N; break;
	case KIND_VM: *off = POOL_VM, *n = POOL_VM_N; break;
	case KIND_VCPU: *off = POOL_VCPU, *n = POOL_VCPU_N; break;
	default: *off = 0, *n = POOL_SIZE; break;
	}
}

static uint32_t pool_slot(struct worker *w, unsigned part, enum slot_kind k)
{
	unsigned off, n;

	kind_range(k, &off, &n);
	return env.pool_base + part * POOL_SIZE + off + (uint32_t)rn(w, n);
}

static const uint64_t bad_slots[] = {
	FUZZ_SLOTS - 1, FUZZ_SLOTS, FUZZ_SLOTS + 1, 65535, 65536, 1ull << 31, (1ull << 32) + 1,
	1ull << 32, (1ull << 32) + FUZZ_SLOTS - 1, UINT32_MAX, ~0ull, 0x8000000000000000ull,
};

static uint64_t draw_slot_once(struct worker *w, enum slot_kind k, enum use use)
{
	unsigned r = (unsigned)rn(w, 100);

	if ((k == KIND_IRQ || k == KIND_DEVICE) && r < 30) {
		if (k == KIND_IRQ && env.irq_count)
			return env.irqs[rn(w, env.irq_count)];
		if (k == KIND_DEVICE && env.device_count)
			return env.devices[rn(w, env.device_count)];
	}
	if (r < 15)
		return w->live[rn(w, sizeof(w->live) / sizeof(w->live[0]))];
	if (r < 55)
		return pool_slot(w, w->id, k);
	if (r < 65)
		return pool_slot(w, w->id, KIND_ANY);
	if (r < 75)
		return pool_slot(w, (unsigned)rn(w, env.workers), k);
	if (r < 82 && env.sticky_count) {
		if (k == KIND_QUOTA && chance(w, 60))
			return env.quota;
		if (k == KIND_EP && chance(w, 60))
			return chance(w, 50) ? env.server_ep : env.client_ep;
		return env.sticky[rn(w, env.sticky_count)];
	}
	if (r < 89)
		return rn(w, FUZZ_SLOTS);
	if (r < 96)
		return PICK(w, bad_slots);
	if (r < 98 && use == USE_READ)
		return 1 + rn(w, 3);
	return r64(w);
}

static uint64_t draw_slot(struct worker *w, enum slot_kind k, enum use use)
{
	for (int i = 0; i < 32; i++) {
		uint64_t v = draw_slot_once(w, k, use);
		if (value_allowed(v, use))
			return v;
	}
	return pool_slot(w, w->id, KIND_SCRATCH);
}

/* A destination for a new object: its kind's part of the pool, or scratch. */
static uint64_t draw_dest(struct worker *w, enum slot_kind k)
{
	if (chance(w, 45))
		return pool_slot(w, w->id, k);
	return draw_slot(w, chance(w, 70) ? KIND_SCRATCH : KIND_ANY, USE_DEST);
}

/* A 16-bit slot field of an IPC word. */
static uint64_t draw_slot16(struct worker *w, enum use use)
{
	for (int i = 0; i < 32; i++) {
		uint64_t v = draw_slot(w, chance(w, 50) ? KIND_SCRATCH : KIND_ANY, use) & 0xffff;
		if (slot_allowed(v, use))
			return v;
	}
	return pool_slot(w, w->id, KIND_SCRATCH);
}

/* ---- values ---- */

static uint64_t draw_rights(struct worker *w)
{
	static const uint64_t rights[] = {
		CV_RIGHTS_ALL, 0, CV_RIGHT_READ, CV_RIGHT_WRITE, CV_RIGHT_READ | CV_RIGHT_WRITE,
		CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_GRANT, CV_RIGHTS_KERNEL_MASK, CV_RIGHTS_USER_MASK,
		CV_RIGHT_WRITE | CV_RIGHT_GRANT | CV_RIGHT_USER(3), 0xffffffffull, ~0ull,
	};
	return chance(w, 80) ? PICK(w, rights) : r64(w);
}

static uint64_t draw_badge(struct worker *w)
{
	static const uint64_t badges[] = {0, 1, 2, 0xff, 1ull << 63, ~0ull};
	return chance(w, 70) ? 1 + rn(w, 1000) : chance(w, 50) ? PICK(w, badges) : r64(w);
}

static uint64_t draw_size(struct worker *w)
{
	static const uint64_t sizes[] = {
		0, 1, 7, 8, 255, 256, 257, 4095, 4096, 4097, 8192, 65536, 1u << 20, (1u << 20) + 1,
		1ull << 32, ~0ull, 0x8000000000000000ull,
	};
	return chance(w, 70) ? PICK(w, sizes) : chance(w, 50) ? rn(w, 16384) : r64(w);
}

static const char dw_line[] = "(syscall fuzzer: a DEBUG_WRITE of one whole line)\n";

/* An address in the fuzzer's own space, for the kernel to read. */
static uint64_t draw_addr(struct worker *w, bool *valid)
{
	unsigned r = (unsigned)rn(w, 100);
	uint64_t a;

	*valid = r < 50;
	if (r < 50) {
		switch (rn(w, 7)) {
		case 0: a = (uint64_t)(uintptr_t)w->buf + rn(w, sizeof(w->buf)); break;
		case 1: a = (uint64_t)(uintptr_t)__builtin_frame_address(0) - rn(w, 512); break;
		case 2: a = (uint64_t)(uintptr_t)dw_line; break;
		case 3: a = (uint64_t)(uintptr_t)&gen_fuzz + rn(w, 256); break;
		case 4: a = CV_ROOT_INFO_VA + rn(w, 4096); break;
		case 5: a = env.module_va ? env.module_va + rn(w, 4096) : CV_ROOT_INFO_VA; break;
		default: a = (uint64_t)(uintptr_t)w->buf; break;
		}
		return a;
	}
	if (r < 65) {
		const uint64_t unmapped[] = {
			0, 8, 0x1000, w->stack_guard + rn(w, 4096), env.root_stack_guard + rn(w, 4096),
			CV_ROOT_STACK_TOP, CV_ROOT_STACK_TOP - 8, 0x3ff000, 0x10000000 + rn(w, 1u << 20),
		};
		return PICK(w, unmapped);
	}
	if (r < 80) {
		const uint64_t kernel[] = {
			0xffff000000000000ull + rn(w, 1ull << 32), 0xffff800000000000ull + 8 * rn(w, 1u << 20),
			~0ull - rn(w, 64), 0xffffffffffff0000ull, 0x0000ffffffffffffull,
		};
		return PICK(w, kernel);
	}
	if (r < 90) {
		const uint64_t limits[] = {
			1ull << 39, (1ull << 39) - 8, 1ull << 40, (1ull << 40) - 8, 1ull << 48, (1ull << 48) - 1,
		};
		return PICK(w, limits);
	}
	return r64(w);
}

/* An address in a child task's space (the pool tasks map 0x400000 and
 * 0x800000). */
static uint64_t draw_child_va(struct worker *w)
{
	static const uint64_t limits[] = {
		0, 1ull << 39, (1ull << 39) - 4096, 1ull << 40, (1ull << 40) - 4096, 1ull << 48,
		0xffff000000000000ull, ~0ull - 4095,
	};
	unsigned r = (unsigned)rn(w, 100);

	if (r < 25)
		return 0x400000 + 4096 * rn(w, 8);
	if (r < 50)
		return 0x800000 + 4096 * rn(w, 8) + (chance(w, 30) ? 16 * rn(w, 256) : 0);
	if (r < 65)
		return 4096 * rn(w, 1ull << 27);
	if (r < 75)
		return 0x800000 + 1 + rn(w, 4095);
	if (r < 90)
		return PICK(w, limits);
	return r64(w);
}

/* The pool's VMs map their RAM here (gen_pool_build). */
#define GUEST_RAM 0x40000000ull

/* A guest-physical address in a VM: its RAM, the interrupt controller's
 * registers (the kernel's, include/uapi/vm.h), a device's usual place,
 * the limits, or a child task's address. */
static uint64_t draw_guest_pa(struct worker *w)
{
	static const uint64_t special[] = {
		CV_VM_GICD_BASE, CV_VM_GICD_BASE + CV_VM_GICD_SIZE - 4096, CV_VM_GICR_BASE,
		CV_VM_GICR_BASE + CV_VM_GICR_STRIDE, CV_VM_GICR_BASE + CV_VM_VCPUS_MAX * CV_VM_GICR_STRIDE,
		0x09000000, 0, 4096, 1ull << 39, (1ull << 39) - 4096, 1ull << 40, 1ull << 48, ~0ull - 4095,
	};
	unsigned r = (unsigned)rn(w, 100);

	if (r < 45)
		return GUEST_RAM + 4096 * rn(w, 16);
	if (r < 55)
		return GUEST_RAM + rn(w, 1u << 16);
	if (r < 75)
		return PICK(w, special);
	if (r < 90)
		return draw_child_va(w);
	return r64(w);
}

/* An address space to map or copy into: a task's, or now and then a
 * VM's; *va an address in it. */
static uint64_t draw_space(struct worker *w, uint64_t *va)
{
	bool vm = chance(w, 25);

	*va = vm ? draw_guest_pa(w) : draw_child_va(w);
	return draw_slot(w, vm ? KIND_VM : KIND_TASK, USE_ARG);
}

/* What THREAD_START and the other thread-control calls act on: a thread,
 * or now and then a vCPU. */
static uint64_t draw_thread_or_vcpu(struct worker *w)
{
	return draw_slot(w, chance(w, 20) ? KIND_VCPU : KIND_THREAD, USE_ARG);
}

/* Where THREAD_READ_REGS may write: inside the worker's buffer or scratch
 * page, across the end of the scratch page into the unmapped page above
 * it, or memory that must be refused (read-only, unmapped, the kernel's).
 * Never other memory of the fuzzer's: the kernel would really write it. */
static uint64_t draw_regs_dst(struct worker *w)
{
	const uint64_t size = sizeof(struct cv_regs);
	unsigned r = (unsigned)rn(w, 100);
	bool valid;

	if (r < 35)
		return (uint64_t)(uintptr_t)w->buf + 8 * rn(w, (sizeof(w->buf) - size) / 8 + 1);
	if (r < 50)
		return w->scratch_va + 8 * rn(w, (4096 - size) / 8 + 1);
	if (r < 60)
		return w->scratch_va + 4096 - 8 * (1 + rn(w, size / 8 - 1)); /* straddles the end */
	if (r < 75) {
		const uint64_t ro[] = {
			(uint64_t)(uintptr_t)dw_line, (uint64_t)(uintptr_t)&gen_fuzz, CV_ROOT_INFO_VA,
			CV_ROOT_DEVICES_VA, env.module_va ? env.module_va : CV_ROOT_INFO_VA,
			(uint64_t)(uintptr_t)w->buf + 1, /* unaligned but writable */
		};
		return PICK(w, ro);
	}
	for (;;) {
		uint64_t a = draw_addr(w, &valid);
		if (!valid)
			return a;
	}
}

/* Where VCPU_STATS reads its size word and writes: half the time a
 * plausible size word (what fits, too little, odd, more than the kernel
 * has) in the worker's buffer, otherwise what THREAD_READ_REGS gets (a
 * cv_regs is larger than a cv_vcpu_stats, so the kernel never writes
 * beyond what may be written). */
static uint64_t draw_stats_dst(struct worker *w)
{
	static const uint32_t sizes[] = {sizeof(struct cv_vcpu_stats), 8, 16, 0, 4, 12, 4096, 0xffffffff};
	_Static_assert(sizeof(struct cv_vcpu_stats) <= sizeof(struct cv_regs), "draw_regs_dst's room");

	if (chance(w, 50)) {
		uint64_t off = 8 * rn(w, (sizeof(w->buf) - sizeof(struct cv_vcpu_stats)) / 8 + 1);
		uint32_t size = chance(w, 60) ? sizes[0] : PICK(w, sizes);
		memcpy(w->buf + off, &size, sizeof(size));
		return (uint64_t)(uintptr_t)w->buf + off;
	}
	return draw_regs_dst(w);
}

/* What THREAD_WRITE_REGS reads: mostly a plausible register set. */
static uint64_t draw_regs_src(struct worker *w)
{
	bool valid;

	if (chance(w, 60)) {
		struct cv_regs regs;
		for (int i = 0; i < 31; i++)
			regs.x[i] = chance(w, 50) ? 0 : r64(w);
		regs.sp = draw_child_va(w) & ~15ull;
		regs.pc = chance(w, 60) ? 0x400000 + 4 * rn(w, 2048) : draw_child_va(w);
		regs.pstate = r64(w);
		regs.tpidr = r64(w);
		uint64_t off = 8 * rn(w, (sizeof(w->buf) - sizeof(regs)) / 8 + 1);
		memcpy(w->buf + off, &regs, sizeof(regs));
		return (uint64_t)(uintptr_t)w->buf + off;
	}
	return draw_addr(w, &valid);
}

/* ---- the calls ---- */

static uint64_t pick_nr(struct worker *w)
{
	unsigned r = (unsigned)rn(w, 100);

	if (r < 3)
		return CV_SYS_COUNT + rn(w, 101);
	if (r < 5) {
		for (;;) {
			uint64_t v = chance(w, 50) ? r64(w) : (1ull << (32 + rn(w, 32))) + rn(w, CV_SYS_COUNT);
			/* A kernel that truncated the number must not end up in
			 * THREAD_EXIT: that would end this worker. */
			if (v >= CV_SYS_COUNT && (uint32_t)v != CV_SYS_THREAD_EXIT &&
			    (uint16_t)v != CV_SYS_THREAD_EXIT && (uint8_t)v != CV_SYS_THREAD_EXIT)
				return v;
		}
	}
	for (;;) {
		uint64_t nr = rn(w, CV_SYS_COUNT);
		if (nr != CV_SYS_THREAD_EXIT && sys_names[nr])
			return nr;
	}
}

/* Whether the slot now holds a task capability. No task capability may go
 * into a task (TASK_CAP_COPY, or a message to an echo child): a task that
 * holds one to itself, or two that hold each other's, outlive every
 * capability the fuzzer has (docs/syscalls.md), and the memory check could
 * never pass. Checked just before the call; another worker could put one
 * there in between, which is rare enough. */
static bool holds_task(uint64_t slot)
{
	struct cv_cap_info ci;

	return slot < FUZZ_SLOTS && cv_cap_info((cv_slot_t)slot, &ci) == CV_OK && ci.type == CV_OBJ_TASK;
}

/* A 16-bit slot of a capability to send: never a task's. */
static uint64_t draw_send_slot16(struct worker *w)
{
	for (int i = 0; i < 4; i++) {
		uint64_t v = draw_slot16(w, USE_ARG);
		if (!holds_task(v))
			return v;
	}
	return pool_slot(w, w->id, KIND_SCRATCH);
}

static void gen_ipc(struct worker *w, uint64_t nr, uint64_t in[8])
{
	uint32_t ep = (uint32_t)draw_slot(w, KIND_EP, USE_ARG);
	uint64_t r0 = chance(w, 30) ? 0 : draw_slot16(w, USE_DEST);
	uint64_t r1 = chance(w, 50) ? 0 : draw_slot16(w, USE_DEST);
	uint64_t len = chance(w, 85) ? rn(w, 7) : rn(w, 16);
	uint64_t caps = chance(w, 95) ? rn(w, 3) : 3; /* 3 is refused */
	uint64_t s0 = caps ? draw_send_slot16(w) : draw_slot16(w, USE_ARG);
	uint64_t s1 = caps > 1 ? draw_send_slot16(w) : draw_slot16(w, USE_ARG);
	uint64_t info = len | caps << CV_IPC_CAPS_SHIFT | s0 << CV_IPC_CAP_SLOT_SHIFT(0) | s1 << CV_IPC_CAP_SLOT_SHIFT(1);

	(void)nr; /* used when the ABI has IPC timeouts */
	if (chance(w, 10))
		info |= r64(w) & 0xffff00000000fe00ull; /* bits nobody defines for input */
	in[0] = ep | r0 << 32 | r1 << 48;
	/* Never wait for good: only threads that always answer (the server,
	 * the echo children) wait to receive. */
	in[1] = info | CV_IPC_NONBLOCK;
#ifdef CV_IPC_TIMEOUT_SHIFT
	/* Or wait 1 or 2 ms. A call that was taken waits for its reply: the
	 * taker is the server, an echo child or a worker, and a worker
	 * answers what it holds at the latest when its loop ends. */
	if ((nr == CV_SYS_CALL || nr == CV_SYS_SEND || nr == CV_SYS_RECV) && chance(w, 10))
		in[1] = (info & ~(CV_IPC_TIMEOUT_MASK | CV_IPC_NONBLOCK)) | CV_IPC_TIMEOUT_MS_LOG2(rn(w, 2));
#endif
	for (int i = 2; i < 8; i++)
		in[i] = r64(w);
	/* A reply to a vCPU exit (include/uapi/vm.h): MR0 holds its flags,
	 * mostly garbage otherwise. */
	if ((nr == CV_SYS_REPLY || nr == CV_SYS_REPLY_RECV) && chance(w, 30)) {
		static const uint64_t flags[] = {
			0, CV_REPLY_DONE, CV_REPLY_DONE | CV_REPLY_LOAD, CV_REPLY_LOAD, CV_REPLY_INJECT_UNDEF,
			CV_REPLY_INJECT_ABORT, CV_REPLY_STOP, CV_REPLY_DONE | CV_REPLY_STOP,
			CV_REPLY_INJECT_UNDEF | CV_REPLY_INJECT_ABORT, 1ull << 5, CV_REPLY_DONE | CV_REPLY_IRQ,
		};
		in[2] = PICK(w, flags);
		/* MR5: an SPI, mostly in range, with a level 0..3 (3 is refused). */
		if (in[2] & CV_REPLY_IRQ)
			in[7] = (chance(w, 80) ? 32 + rn(w, 64) : r64(w) & 0xffffffffu) | rn(w, 4) << CV_REPLY_IRQ_SHIFT;
	}
}

static uint64_t prio_cpu(struct worker *w)
{
	if (chance(w, 85))
		return rn(w, 12) | rn(w, env.cpus + 1) << 8;
	return chance(w, 50) ? rn(w, 1u << 16) : r64(w);
}

/* VCPU_CREATE's x6: prio | cpu << 8 | index << 16. */
static uint64_t prio_cpu_index(struct worker *w)
{
	if (chance(w, 85))
		return rn(w, 12) | rn(w, env.cpus + 1) << 8 | rn(w, CV_VM_VCPUS_MAX + 1) << 16;
	return chance(w, 50) ? rn(w, 1u << 24) : chance(w, 50) ? rn(w, 1ull << 32) : r64(w);
}

/* A maximum priority for TASK_CREATE and VM_CREATE: at most
 * FUZZ_LOW_PRIO_MAX, or one the kernel refuses (above the caller's 63). */
static uint64_t draw_max_prio(struct worker *w)
{
	static const uint64_t bad_prio[] = {64, 255, 1ull << 32, ~0ull};

	return chance(w, 85) ? rn(w, FUZZ_LOW_PRIO_MAX + 1) : PICK(w, bad_prio);
}

/* An INTID for VM_IRQ and VM_IRQ_BIND: mostly an SPI, else one outside
 * 32..CV_VM_INTIDS-1 or past 32 bits. */
static uint64_t draw_intid(struct worker *w)
{
	static const uint64_t intids[] = {
		0, 1, 16, 31, CV_VM_INTIDS - 1, CV_VM_INTIDS, 1020, 1023, 1024, (1ull << 32) + 33, ~0ull,
	};
	return chance(w, 75) ? 32 + rn(w, CV_VM_SPIS) : chance(w, 70) ? PICK(w, intids) : r64(w);
}

/* Fills in[] for call nr. */
static void gen_args(struct worker *w, uint64_t nr, uint64_t in[8])
{
	bool valid;

	for (int i = 0; i < 8; i++)
		in[i] = chance(w, 50) ? 0 : r64(w);
	switch (nr) {
	case CV_SYS_DEBUG_WRITE:
		in[0] = draw_addr(w, &valid);
		if (valid)
			/* Readable memory: nothing but whole lines of text on the
			 * console (the line, or nothing). */
			in[1] = in[0] == (uint64_t)(uintptr_t)dw_line && chance(w, 10) ? sizeof(dw_line) - 1
			      : chance(w, 50)					    ? 0
										    : 4097 + rn(w, 1u << 20);
		else
			in[1] = draw_size(w);
		break;
	case CV_SYS_CAP_COPY:
		in[0] = draw_slot(w, KIND_ANY, USE_ARG);
		in[1] = draw_dest(w, KIND_EP);
		in[2] = draw_rights(w);
		break;
	case CV_SYS_CAP_MINT:
		in[0] = draw_slot(w, chance(w, 70) ? KIND_EP : KIND_NTFN, USE_ARG);
		in[1] = draw_dest(w, KIND_EP);
		in[2] = draw_rights(w);
		in[3] = draw_badge(w);
		break;
	case CV_SYS_CAP_MOVE:
		in[0] = draw_slot(w, KIND_ANY, USE_DESTROY);
		in[1] = draw_dest(w, KIND_ANY);
		break;
	case CV_SYS_CAP_DELETE:
		in[0] = draw_slot(w, KIND_ANY, USE_DESTROY);
		break;
	case CV_SYS_CAP_REVOKE:
		in[0] = draw_slot(w, KIND_ANY, USE_ARG);
		break;
	case CV_SYS_CAP_INFO:
		in[0] = draw_slot(w, KIND_ANY, USE_READ);
		break;
	case CV_SYS_ENDPOINT_CREATE:
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_EP);
		break;
	case CV_SYS_CALL:
	case CV_SYS_SEND:
	case CV_SYS_RECV:
	case CV_SYS_REPLY:
	case CV_SYS_REPLY_RECV:
		gen_ipc(w, nr, in);
		break;
	case CV_SYS_ENDPOINT_WATCH:
	case CV_SYS_ENDPOINT_UNWATCH:
		in[0] = draw_slot(w, KIND_EP, USE_ARG);
		break;
	case CV_SYS_THREAD_CREATE:
		in[0] = draw_slot(w, KIND_TASK, USE_ARG);
		in[1] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[2] = draw_dest(w, KIND_THREAD);
		in[3] = draw_child_va(w);
		in[4] = chance(w, 80) ? draw_child_va(w) & ~15ull : draw_child_va(w);
		in[6] = prio_cpu(w);
		break;
	case CV_SYS_THREAD_START:
		/* A vCPU too: it runs whatever its VM maps (zeroes, copied
		 * bytes), below the workers' priority (draw_max_prio); what
		 * it cannot run exits to its exit endpoint, or without one
		 * stops its VM. */
		in[0] = draw_thread_or_vcpu(w);
		break;
	case CV_SYS_TASK_CREATE: {
		static const uint64_t odd_slots[] = {0, 4096, 65536, 65537, 1ull << 32, ~0ull};
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_TASK);
		/* Children stay below the fuzzer's priority: a child thread
		 * running copied bytes in a loop could not starve anyone. */
		in[2] = draw_max_prio(w);
		in[3] = chance(w, 75) ? 1 + rn(w, 128) : chance(w, 80) ? PICK(w, odd_slots) : rn(w, 70000);
		break;
	}
	case CV_SYS_QUOTA_SPLIT: {
		static const uint64_t frames[] = {0, 2000, 1999, 4096, 1ull << 40, ~0ull};
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_QUOTA);
		in[2] = chance(w, 70) ? 1 + rn(w, 64) : PICK(w, frames);
		break;
	}
	case CV_SYS_QUOTA_INFO:
		in[0] = draw_slot(w, KIND_QUOTA, USE_READ);
		break;
	case CV_SYS_TASK_MAP_NEW: {
		static const uint64_t pages[] = {0, 4096, 4097, 1ull << 32, ~0ull, 600};
		static const uint64_t perms[] = {
			CV_MAP_READ, CV_MAP_READ | CV_MAP_WRITE, CV_MAP_READ | CV_MAP_EXEC,
		};
		in[0] = draw_slot(w, KIND_TASK, USE_ARG);
		in[1] = draw_child_va(w);
		in[2] = chance(w, 80) ? 1 + rn(w, 4) : PICK(w, pages);
		in[3] = chance(w, 70) ? PICK(w, perms) : chance(w, 70) ? rn(w, 16) : r64(w);
		break;
	}
	case CV_SYS_TASK_COPY_IN:
		in[0] = draw_space(w, &in[1]);
		in[2] = draw_addr(w, &valid);
		in[3] = valid && chance(w, 60) ? rn(w, 600) : draw_size(w);
		break;
	case CV_SYS_TASK_CAP_COPY:
		in[0] = draw_slot(w, KIND_TASK, USE_ARG);
		in[1] = draw_slot(w, KIND_ANY, USE_ARG);
		/* No task capability into a task: a task holding one to itself
		 * (or two to each other) would outlive every capability the
		 * fuzzer holds, and nothing could reclaim it (see the report). */
		for (int i = 0; holds_task(in[1]); i++)
			in[1] = i < 4 ? pool_slot(w, w->id, KIND_EP) : FUZZ_SLOTS;
		in[2] = chance(w, 75) ? rn(w, 70) : PICK(w, bad_slots);
		in[3] = draw_rights(w);
		break;
	case CV_SYS_NOTIFICATION_CREATE:
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_NTFN);
		break;
	case CV_SYS_SIGNAL:
		in[0] = draw_slot(w, KIND_NTFN, USE_ARG);
		in[1] = chance(w, 50) ? 1ull << rn(w, 64) : r64(w);
		break;
	case CV_SYS_WAIT:
		in[0] = draw_slot(w, KIND_NTFN, USE_ARG);
		in[1] = CV_WAIT_NONBLOCK | (chance(w, 10) ? r64(w) : 0);
		break;
	case CV_SYS_NOTIFICATION_BIND:
		in[0] = draw_slot(w, KIND_NTFN, USE_ARG);
		in[1] = draw_slot(w, KIND_THREAD, USE_ARG);
		break;
	case CV_SYS_IRQ_BIND:
		in[0] = draw_slot(w, KIND_IRQ, USE_ARG);
		in[1] = draw_slot(w, KIND_NTFN, USE_ARG);
		in[2] = chance(w, 70) ? 1ull << rn(w, 64) : r64(w);
		break;
	case CV_SYS_IRQ_ACK:
		in[0] = draw_slot(w, KIND_IRQ, USE_ARG);
		break;
	case CV_SYS_DEVICE_MAP:
		in[0] = draw_slot(w, KIND_DEVICE, USE_ARG);
		in[1] = draw_space(w, &in[2]);
		in[3] = chance(w, 70) ? 0 : chance(w, 70) ? rn(w, 4) : r64(w);
		in[4] = chance(w, 80) ? 1 + rn(w, 2) : draw_size(w);
		break;
	case CV_SYS_THREAD_SET_FAULT_HANDLER:
		in[0] = draw_slot(w, KIND_THREAD, USE_ARG);
		/* A slot of the thread's task: the pool's children hold
		 * endpoint capabilities in 1..3. */
		in[1] = chance(w, 80) ? rn(w, 8) : PICK(w, bad_slots);
		break;
	case CV_SYS_THREAD_SUSPEND:
	case CV_SYS_THREAD_RESUME:
		in[0] = draw_thread_or_vcpu(w);
		break;
	case CV_SYS_THREAD_READ_REGS:
		in[0] = draw_thread_or_vcpu(w);
		in[1] = draw_regs_dst(w);
		break;
	case CV_SYS_THREAD_WRITE_REGS:
		in[0] = draw_thread_or_vcpu(w);
		in[1] = draw_regs_src(w);
		break;
	case CV_SYS_FRAME_CREATE: {
		static const uint64_t pages[] = {0, 4096, 4097, 1ull << 32, ~0ull};
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_FRAME);
		in[2] = chance(w, 80) ? 1 + rn(w, 4) : PICK(w, pages);
		break;
	}
	case CV_SYS_FRAME_MAP: {
		/* Writable and executable: refused in a task, allowed in a VM. */
		static const uint64_t perms[] = {
			CV_MAP_READ, CV_MAP_READ | CV_MAP_WRITE, CV_MAP_READ | CV_MAP_EXEC,
			CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC,
		};
		in[0] = draw_slot(w, KIND_FRAME, USE_ARG);
		in[1] = draw_space(w, &in[2]);
		in[3] = chance(w, 70) ? PICK(w, perms) : chance(w, 70) ? rn(w, 16) : r64(w);
		break;
	}
	case CV_SYS_UNMAP:
		in[0] = draw_space(w, &in[1]);
		break;
	case CV_SYS_THREAD_SET_IPC_BUFFER:
		in[0] = draw_slot(w, KIND_THREAD, USE_ARG);
		in[1] = chance(w, 20) ? 0 : draw_child_va(w);
		break;
	case CV_SYS_VM_CREATE:
		in[0] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[1] = draw_dest(w, KIND_VM);
		/* Its vCPUs stay below the workers (draw_max_prio). */
		in[2] = draw_max_prio(w);
		in[3] = chance(w, 90) ? 0 : chance(w, 50) ? 1ull << rn(w, 64) : r64(w);
		break;
	case CV_SYS_VCPU_CREATE:
		in[0] = draw_slot(w, KIND_VM, USE_ARG);
		in[1] = draw_slot(w, KIND_QUOTA, USE_ARG);
		in[2] = draw_dest(w, KIND_VCPU);
		in[3] = chance(w, 80) ? draw_guest_pa(w) & ~3ull : draw_guest_pa(w);
		in[4] = chance(w, 50) ? 0 : r64(w);
		in[6] = prio_cpu_index(w);
		break;
	case CV_SYS_VCPU_SET_EXIT:
		in[0] = draw_slot(w, KIND_VCPU, USE_ARG);
		in[1] = draw_slot(w, KIND_EP, USE_ARG);
		in[2] = chance(w, 80) ? rn(w, 2) * CV_VCPU_EXIT_WFI : chance(w, 50) ? 1ull << rn(w, 64) : r64(w);
		break;
	case CV_SYS_VM_IRQ: {
		static const uint64_t levels[] = {3, 255, (1ull << 32) + 1, ~0ull};
		in[0] = draw_slot(w, KIND_VM, USE_ARG);
		in[1] = draw_intid(w);
		in[2] = chance(w, 85) ? rn(w, 3) : PICK(w, levels);
		break;
	}
	case CV_SYS_VM_IRQ_BIND:
		/* A binding to one of the pool's VMs ends when the VM goes
		 * (at the next clear at the latest). */
		in[0] = draw_slot(w, KIND_VM, USE_ARG);
		in[1] = draw_intid(w);
		in[2] = draw_slot(w, KIND_IRQ, USE_ARG);
		break;
	case CV_SYS_IRQ_UNBIND:
		in[0] = draw_slot(w, KIND_IRQ, USE_ARG);
		break;
	case CV_SYS_VM_RESET:
		/* A reset vCPU waits, not started, until a fuzzed THREAD_START
		 * runs it at pc 0, where nothing is mapped: it exits. */
		in[0] = draw_slot(w, KIND_VM, USE_ARG);
		break;
	case CV_SYS_VCPU_STATS:
		in[0] = draw_slot(w, chance(w, 80) ? KIND_VCPU : KIND_ANY, USE_READ);
		in[1] = draw_stats_dst(w);
		break;
	default:
		/* NULL, YIELD, MEMORY_INFO and numbers past the table: junk. */
		break;
	}
}

/* ---- checks ---- */

static void violation(struct worker *w, const char *what, uint64_t nr, const uint64_t in[8],
		      const uint64_t out[9], uint64_t mask)
{
	if (w->violations < VIOLATIONS_KEPT) {
		struct violation *v = &w->kept[w->violations];
		v->iter = w->calls;
		v->nr = nr;
		memcpy(v->in, in, sizeof(v->in));
		memcpy(v->out, out, sizeof(v->out));
		v->mask = mask;
		v->what = what;
	}
	w->violations++;
}

/* Calls whose first decoding step is the slot in x0 (docs/syscalls.md):
 * an out-of-range one must give CV_E_BAD_SLOT whatever the other
 * arguments. ENDPOINT_WATCH pays for its record first (documented), and
 * REPLY has no slot. For IPC, the slot is the low 32 bits of x0. */
static bool first_arg_slot(uint64_t nr, const uint64_t in[8], uint64_t *slot)
{
	switch (nr) {
	case CV_SYS_DEBUG_WRITE:
	case CV_SYS_THREAD_EXIT:
	case CV_SYS_YIELD:
	case CV_SYS_REPLY:
	case CV_SYS_MEMORY_INFO:
	case CV_SYS_NULL:
		return false;
	case CV_SYS_CALL:
	case CV_SYS_SEND:
	case CV_SYS_RECV:
	case CV_SYS_REPLY_RECV:
		*slot = (uint32_t)in[0];
		return true;
	default:
		*slot = in[0] > UINT32_MAX ? UINT32_MAX : in[0];
		return nr < CV_SYS_COUNT;
	}
}

/* The registers (bit k: xk) a successful call returns results in. */
static unsigned result_regs(uint64_t nr)
{
	switch (nr) {
	case CV_SYS_CAP_INFO: return 1u << 1 | 1u << 2 | 1u << 3;
	case CV_SYS_QUOTA_INFO:
	case CV_SYS_MEMORY_INFO: return 1u << 1 | 1u << 2;
	case CV_SYS_WAIT:
	case CV_SYS_ENDPOINT_UNWATCH: return 1u << 1;
	default: return 0;
	}
}

/* What the ABI promises about every result, whatever the arguments. */
static void check(struct worker *w, uint64_t nr, const uint64_t in[8], const uint64_t out[9], uint64_t mask,
		  bool tp_changed)
{
	uint64_t st = out[0];

	if (st >= CV_STATUS_COUNT)
		violation(w, "status out of range", nr, in, out, mask);
	if (nr >= CV_SYS_COUNT && st != CV_E_BAD_SYSCALL)
		violation(w, "number past the table not BAD_SYSCALL", nr, in, out, mask);
	if (nr < CV_SYS_COUNT && st == CV_E_BAD_SYSCALL)
		violation(w, "a call of the table said BAD_SYSCALL", nr, in, out, mask);
	if (mask)
		violation(w, "registers x9..x30, sp or v0..v31 not preserved", nr, in, out, mask);
	if (!is_ipc(nr) && (out[6] != in[6] || out[7] != in[7] || out[8] != nr))
		violation(w, "x6..x8 not preserved by a non-IPC call", nr, in, out, mask);
	if (tp_changed)
		violation(w, "TPIDR_EL0 not preserved", nr, in, out, mask);
	if (!is_ipc(nr)) {
		/* docs/syscalls.md: results are written only on CV_OK, and a
		 * register the call does not use as a result keeps its value
		 * (WAIT sets x1 to 0 when it fails after decoding). */
		unsigned results = st != CV_OK ? 0 : result_regs(nr);
		for (unsigned k = 1; k <= 5; k++) {
			if (results & (1u << k) || out[k] == in[k])
				continue;
			if (nr == CV_SYS_WAIT && k == 1 && out[1] == 0 &&
			    (st == CV_E_WOULD_BLOCK || st == CV_E_DEAD))
				continue;
			violation(w, "x1..x5 changed where the call has no result", nr, in, out, mask);
			break;
		}
	}
	if ((nr == CV_SYS_NULL || nr == CV_SYS_YIELD || nr == CV_SYS_MEMORY_INFO) && st != CV_OK)
		violation(w, "a call that cannot fail failed", nr, in, out, mask);
	uint64_t slot;
	if (first_arg_slot(nr, in, &slot) && slot >= FUZZ_SLOTS && st != CV_E_BAD_SLOT &&
	    !(nr == CV_SYS_ENDPOINT_WATCH && st == CV_E_NO_MEMORY))
		violation(w, "slot out of range in x0 not BAD_SLOT", nr, in, out, mask);
	if (st != CV_OK)
		return;
	switch (nr) {
	case CV_SYS_CAP_INFO: {
		uint64_t type = out[1], rights = out[2], badge = out[3];
		bool badgeable = type == CV_OBJ_ENDPOINT || type == CV_OBJ_NOTIFICATION;
		if (type == CV_OBJ_NONE || type >= CV_OBJ_TYPE_COUNT || (rights & ~(uint64_t)CV_RIGHTS_ALL) ||
		    (type != CV_OBJ_ENDPOINT && (rights & CV_RIGHTS_USER_MASK)) || (!badgeable && badge))
			violation(w, "CAP_INFO result impossible", nr, in, out, mask);
		break;
	}
	case CV_SYS_QUOTA_INFO:
		if (out[2] > out[1])
			violation(w, "quota used above its limit", nr, in, out, mask);
		break;
	case CV_SYS_MEMORY_INFO:
		if (out[1] > out[2] || out[2] == 0)
			violation(w, "MEMORY_INFO free above total", nr, in, out, mask);
		break;
	case CV_SYS_CALL:
	case CV_SYS_RECV:
	case CV_SYS_REPLY:
	case CV_SYS_REPLY_RECV:
		if ((out[1] & CV_IPC_LEN_MASK) > CV_IPC_MRS ||
		    ((out[1] & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT) > CV_IPC_CAPS_MAX)
			violation(w, "received message info impossible", nr, in, out, mask);
		break;
	default:
		break;
	}
}

static uint64_t tpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

/* Remembers where a successful call put a capability, to draw it again. */
static void note_live(struct worker *w, uint64_t nr, const uint64_t in[8])
{
	uint64_t dst;

	switch (nr) {
	case CV_SYS_CAP_COPY:
	case CV_SYS_CAP_MINT:
	case CV_SYS_CAP_MOVE:
	case CV_SYS_ENDPOINT_CREATE:
	case CV_SYS_TASK_CREATE:
	case CV_SYS_QUOTA_SPLIT:
	case CV_SYS_NOTIFICATION_CREATE:
	case CV_SYS_VM_CREATE:
		dst = in[1];
		break;
	case CV_SYS_THREAD_CREATE:
	case CV_SYS_VCPU_CREATE:
		dst = in[2];
		break;
	default:
		return;
	}
	if (dst < FUZZ_SLOTS && env.slot_class[dst] == SLOT_FREE) {
		w->live[w->live_next] = (uint32_t)dst;
		w->live_next = (w->live_next + 1) % (sizeof(w->live) / sizeof(w->live[0]));
	}
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static void one_call(struct worker *w)
{
	uint64_t nr = pick_nr(w), in[8], io[9];

	gen_args(w, nr, in);
	memcpy(io, in, sizeof(in));
	io[8] = nr;
	uint64_t tp = tpidr(), pattern = r64(w), t0 = counter();
	uint64_t mask = fuzz_trap(io, pattern);
	uint64_t dt = counter() - t0;
	check(w, nr, in, io, mask, tpidr() != tp);
	uint64_t st = io[0] < CV_STATUS_COUNT ? io[0] : CV_STATUS_COUNT;
	unsigned b = nr < CV_SYS_COUNT ? (unsigned)nr : NR_BUCKET_BAD;
	w->counts[b][st]++;
	if (st == CV_OK) {
		note_live(w, nr, in);
		if ((nr == CV_SYS_REPLY || nr == CV_SYS_REPLY_RECV) && w->holds_exit)
			w->exits_answered++;
		if (is_ipc(nr) && nr != CV_SYS_SEND)
			w->holds_exit = false;
		if ((nr == CV_SYS_RECV || nr == CV_SYS_REPLY_RECV) && (io[1] & CV_IPC_VCPU_EXIT)) {
			w->exits_received++;
			w->holds_exit = true;
		}
	}
	w->ticks[b] += dt;
	if (dt > w->max_ticks[b])
		w->max_ticks[b] = dt;
	w->calls++;
}

/* ---- the pool ---- */

/* Counts a set-up call (the deterministic corpus), apart from the
 * random ones. */
static enum cv_status note(struct worker *w, enum cv_syscall nr, enum cv_status st)
{
	if (st == CV_OK)
		w->corpus_ok[nr]++;
	else
		w->corpus_fail[nr]++;
	w->setup_calls++;
	return st;
}

void gen_pool_clear(struct worker *w)
{
	uint32_t b = env.pool_base + w->id * POOL_SIZE;

	note(w, CV_SYS_CAP_DELETE, cv_cap_delete(env.echo_thread_base + w->id));
	/* The first child dies: the watch on the mint it held fires, and the
	 * close event waits on the first endpoint for a receiver. */
	note(w, CV_SYS_CAP_DELETE, cv_cap_delete(b + POOL_TASK));
	uint64_t io[8] = {b + POOL_EP, CV_IPC_NONBLOCK};
	note(w, CV_SYS_REPLY_RECV, cv_syscall8(CV_SYS_REPLY_RECV, io, NULL));
	/* The client's call, if it waits, and the reply. */
	uint64_t rx[8] = {b + POOL_EP + 5, CV_IPC_NONBLOCK}, none[8] = {0};
	if (note(w, CV_SYS_RECV, cv_syscall8(CV_SYS_RECV, rx, NULL)) == CV_OK)
		note(w, CV_SYS_REPLY, cv_syscall8(CV_SYS_REPLY, none, NULL));

	/* Revoke first: copies and mints in other parts and in children go. */
	for (uint32_t s = b; s < b + POOL_SIZE; s++) {
		if (s < b + POOL_EP + 3 || rn(w, 8) == 0) {
			enum cv_status st;
			do
				st = note(w, CV_SYS_CAP_REVOKE, cv_cap_revoke(s));
			while (st == CV_E_PREEMPTED);
		}
		note(w, CV_SYS_CAP_DELETE, cv_cap_delete(s));
	}
}

/* A child running this program as an echo server on a fresh endpoint:
 * calls into another address space, capabilities transferred into and out
 * of it, and a task killed while it waits in RECV (at the next clear). */
static void load_echo_child(struct worker *w, uint32_t b)
{
	/* Its thread's capability is untouchable: a suspended echo server
	 * would keep a worker that called it waiting for good. */
	uint32_t ep = b + POOL_EP + 9, task = b + POOL_TASK + 2, thread = env.echo_thread_base + w->id;
	struct cv_task_spec spec = {
		.image = (const void *)(uintptr_t)env.module_va,
		.size = env.module_size,
		.quota = env.quota,
		.task_slot = task,
		.thread_slot = thread,
		.max_priority = FUZZ_CHILD_PRIO,
		.cap_slots = 16,
		.priority = FUZZ_CHILD_PRIO,
		.cpu = (w->id + 1) % env.cpus,
		.arg = FUZZ_CHILD_ARG,
	};

	if (!env.module_va || note(w, CV_SYS_ENDPOINT_CREATE, cv_endpoint_create(env.quota, ep)) != CV_OK)
		return;
	note(w, CV_SYS_CAP_COPY, cv_cap_copy(ep, ep + 1, CV_RIGHTS_ALL));
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(ep, ep + 2, CV_RIGHT_WRITE | CV_RIGHT_GRANT, w->recycles));
	if (cv_task_load(&spec) != CV_OK)
		return;
	if (note(w, CV_SYS_TASK_CAP_COPY, cv_task_cap_copy(task, ep, 1, CV_RIGHTS_ALL)) == CV_OK &&
	    note(w, CV_SYS_THREAD_START, cv_thread_start(thread)) == CV_OK)
		w->echo_loaded++;
}

/* A VM paid from the second quota, at most FUZZ_LOW_PRIO_MAX, with RAM
 * (the pool's first frame, writable and executable) at GUEST_RAM and two
 * vCPUs. vCPU 0 reports its exits to ep + 6, a mint of this worker's
 * second endpoint, where only the fuzzed calls receive (the server and
 * the echo children never answer an exit), and runs. Every other build
 * its RAM starts with guest_wfi_loop: it waits in WFI (in the kernel,
 * blocked) and goes back there whenever VM_IRQ wakes it (with
 * CV_VCPU_EXIT_WFI, for a WFI that did not block). Otherwise RAM is
 * zeroes: an undefined instruction, whose vector (VBAR_EL1 = 0) is
 * unmapped, so it exits at once and waits. Whatever else it comes to run
 * (bytes the fuzzed calls copied, injected exceptions) exits soon. vCPU 1
 * has no exit endpoint and is not started; if the fuzzed calls start it,
 * its first exit stops the VM. A second VM, empty, is paid from the
 * fuzzer's quota. */
static const uint32_t guest_wfi_loop[] = {
	0xd503207f, /* wfi */
	0x17ffffff, /* b .-4 */
};

static void build_vm(struct worker *w, uint32_t b)
{
	uint32_t vm = b + POOL_VM, vc = b + POOL_VCPU, q1 = b + POOL_QUOTA + 1, fr = b + POOL_FRAME;
	struct cv_vcpu_stats stats;
	struct cv_regs regs;

	/* The second, for the fuzzed calls to make vCPUs in. */
	note(w, CV_SYS_VM_CREATE, cv_vm_create(env.quota, vm + 1, FUZZ_LOW_PRIO_MAX));
	if (note(w, CV_SYS_VM_CREATE, cv_vm_create(q1, vm, 1 + (unsigned)rn(w, 8))) != CV_OK)
		return;
	note(w, CV_SYS_VCPU_CREATE,
	     cv_vcpu_create(vm, q1, vc, GUEST_RAM, w->id, 0, (unsigned)rn(w, env.cpus), 0));
	note(w, CV_SYS_VCPU_CREATE,
	     cv_vcpu_create(vm, q1, vc + 1, GUEST_RAM + 0x1000, 0, 1, (unsigned)rn(w, env.cpus), 1));
	bool wfi = w->recycles & 1;
	note(w, CV_SYS_VCPU_SET_EXIT, cv_vcpu_set_exit(vc, b + POOL_EP + 6, wfi ? CV_VCPU_EXIT_WFI : 0));
	note(w, CV_SYS_VM_IRQ, cv_vm_irq(vm, 32 + (unsigned)rn(w, CV_VM_SPIS), (unsigned)rn(w, 3)));
	if (env.irq_count) {
		/* Whatever holds the pool's interrupt (the IRQ_BIND of the
		 * corpus, or another worker) lets go; it then drives an SPI of
		 * this VM until the VM goes at the next clear. */
		note(w, CV_SYS_IRQ_UNBIND, cv_irq_unbind(b + POOL_DEV));
		note(w, CV_SYS_VM_IRQ_BIND, cv_vm_irq_bind(vm, 32 + (unsigned)rn(w, CV_VM_SPIS), b + POOL_DEV));
	}
	note(w, CV_SYS_FRAME_MAP, cv_frame_map(fr, vm, GUEST_RAM, CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC));
	if (wfi)
		note(w, CV_SYS_TASK_COPY_IN, cv_task_copy_in(vm, GUEST_RAM, guest_wfi_loop, sizeof(guest_wfi_loop)));
	note(w, CV_SYS_TASK_COPY_IN, cv_task_copy_in(vm, GUEST_RAM + 0x800, w->buf, 64));
	if (note(w, CV_SYS_FRAME_MAP, cv_frame_map(fr, vm, GUEST_RAM + 0x10000, CV_MAP_READ)) == CV_OK)
		note(w, CV_SYS_UNMAP, cv_unmap(vm, GUEST_RAM + 0x10000));
	if (env.device_count)
		note(w, CV_SYS_DEVICE_MAP, cv_device_map(b + POOL_DEV + POOL_DEV_N / 2, vm, 0x09000000, 0, 1));
	note(w, CV_SYS_THREAD_START, cv_thread_start(vc));
	note(w, CV_SYS_VCPU_STATS, cv_vcpu_stats(vc, &stats));
	note(w, CV_SYS_VM_RESET, cv_vm_reset(vm + 1)); /* the empty one: vCPU 0 here keeps running */
	note(w, CV_SYS_THREAD_SUSPEND, cv_thread_suspend(vc + 1));
	note(w, CV_SYS_THREAD_RESUME, cv_thread_resume(vc + 1));
	if (note(w, CV_SYS_THREAD_READ_REGS, cv_thread_read_regs(vc + 1, &regs)) == CV_OK)
		note(w, CV_SYS_THREAD_WRITE_REGS, cv_thread_write_regs(vc + 1, &regs));
}

void gen_pool_build(struct worker *w)
{
	uint32_t b = env.pool_base + w->id * POOL_SIZE;
	uint32_t q0 = b + POOL_QUOTA, q1 = b + POOL_QUOTA + 1, ep = b + POOL_EP;
	uint32_t t0 = b + POOL_TASK, t1 = b + POOL_TASK + 1;
	cv_badge_t badge = (uint64_t)(w->id + 1) << 32 | (w->recycles & 0xffffffff);

	w->recycles++;
	note(w, CV_SYS_QUOTA_SPLIT, cv_quota_split(env.quota, q0, 64));
	note(w, CV_SYS_QUOTA_SPLIT, cv_quota_split(env.quota, q1, 24));
	note(w, CV_SYS_ENDPOINT_CREATE, cv_endpoint_create(env.quota, ep));
	note(w, CV_SYS_ENDPOINT_CREATE, cv_endpoint_create(q0, ep + 1));
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(ep, ep + 2, CV_RIGHTS_ALL, badge));
	note(w, CV_SYS_CAP_COPY, cv_cap_copy(env.server_ep, ep + 3, CV_RIGHTS_ALL));
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(env.server_ep, ep + 4, CV_RIGHT_WRITE | CV_RIGHT_GRANT, badge));
	note(w, CV_SYS_CAP_COPY, cv_cap_copy(env.client_ep, ep + 5, CV_RIGHTS_ALL));
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(ep + 1, ep + 6, CV_RIGHTS_ALL, badge + 1));
	note(w, CV_SYS_CAP_COPY, cv_cap_copy(ep + 1, ep + 7, CV_RIGHT_WRITE));
	note(w, CV_SYS_ENDPOINT_WATCH, cv_endpoint_watch(ep + 2));
	/* Taken back and made again: the frame goes and comes. */
	note(w, CV_SYS_ENDPOINT_UNWATCH, cv_endpoint_unwatch(ep + 2, NULL));
	note(w, CV_SYS_ENDPOINT_WATCH, cv_endpoint_watch(ep + 2));
	/* Watched by the server: its close event comes when the child holding
	 * the only other copy dies. */
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(env.server_ep, ep + 8, CV_RIGHTS_ALL, badge | 1ull << 63));
	note(w, CV_SYS_ENDPOINT_WATCH, cv_endpoint_watch(ep + 8));
	uint32_t n = b + POOL_NTFN;
	note(w, CV_SYS_NOTIFICATION_CREATE, cv_notification_create(env.quota, n));
	note(w, CV_SYS_NOTIFICATION_CREATE, cv_notification_create(q1, n + 1));
	note(w, CV_SYS_CAP_MINT, cv_cap_mint(n, n + 2, CV_RIGHTS_ALL, badge));
	if (env.irq_count)
		note(w, CV_SYS_CAP_COPY, cv_cap_copy(env.irqs[rn(w, env.irq_count)], b + POOL_DEV, CV_RIGHTS_ALL));
	if (env.device_count)
		note(w, CV_SYS_CAP_COPY,
		     cv_cap_copy(env.devices[rn(w, env.device_count)], b + POOL_DEV + POOL_DEV_N / 2, CV_RIGHTS_ALL));
	note(w, CV_SYS_TASK_CREATE, cv_task_create(q0, t0, 8, 64));
	note(w, CV_SYS_TASK_MAP_NEW, cv_task_map_new(t0, 0x400000, 2, CV_MAP_READ | CV_MAP_EXEC));
	note(w, CV_SYS_TASK_MAP_NEW, cv_task_map_new(t0, 0x800000, 4, CV_MAP_READ | CV_MAP_WRITE));
	note(w, CV_SYS_TASK_COPY_IN, cv_task_copy_in(t0, 0x800100, w->buf, 64));
	note(w, CV_SYS_TASK_CREATE, cv_task_create(env.quota, t1, 4, 16));
	note(w, CV_SYS_TASK_CAP_COPY, cv_task_cap_copy(t0, ep + 2, 1, CV_RIGHTS_ALL));
	note(w, CV_SYS_TASK_CAP_COPY, cv_task_cap_copy(t0, ep + 4, 2, CV_RIGHT_WRITE));
	note(w, CV_SYS_TASK_CAP_COPY, cv_task_cap_copy(t0, ep + 8, 3, CV_RIGHT_WRITE));
	for (unsigned i = 0; i < 5; i++)
		note(w, CV_SYS_THREAD_CREATE,
		     cv_thread_create(i < 4 ? t0 : t1, q0, b + POOL_THREAD + i, 0x400000, 0x804000, i,
				      (unsigned)rn(w, 5), (unsigned)rn(w, env.cpus)));
	load_echo_child(w, b);

	/* A small deterministic corpus: each of these calls can succeed
	 * here, so a short run still covers them (the table counts them
	 * apart from the random calls). */
	uint32_t th = b + POOL_THREAD;
	struct cv_cap_info info;
	struct cv_regs regs;
	uint64_t word;
	note(w, CV_SYS_CAP_INFO, cv_cap_info(ep, &info));
	if (env.device_count)
		note(w, CV_SYS_DEVICE_MAP, cv_device_map(b + POOL_DEV + POOL_DEV_N / 2, t0, 0x2000000, 0, 1));
	note(w, CV_SYS_NOTIFICATION_BIND, cv_notification_bind(n, th));
	note(w, CV_SYS_SIGNAL, cv_signal(n + 2, 1));
	note(w, CV_SYS_WAIT, cv_wait(n, CV_WAIT_NONBLOCK, &word));
	note(w, CV_SYS_THREAD_SET_FAULT_HANDLER, cv_thread_set_fault_handler(th + 1, 1));
	note(w, CV_SYS_THREAD_SUSPEND, cv_thread_suspend(th + 2));
	note(w, CV_SYS_THREAD_RESUME, cv_thread_resume(th + 2));
	if (note(w, CV_SYS_THREAD_READ_REGS, cv_thread_read_regs(th + 3, &regs)) == CV_OK)
		note(w, CV_SYS_THREAD_WRITE_REGS, cv_thread_write_regs(th + 3, &regs));
	if (env.irq_count) {
		/* Bound by this call or earlier by another: acknowledging works. */
		note(w, CV_SYS_IRQ_BIND, cv_irq_bind(b + POOL_DEV, n + 1, 1));
		note(w, CV_SYS_IRQ_ACK, cv_irq_ack(b + POOL_DEV));
	}
	if (note(w, CV_SYS_CAP_MOVE, cv_cap_move(ep + 7, b + POOL_SCRATCH)) == CV_OK)
		note(w, CV_SYS_CAP_MOVE, cv_cap_move(b + POOL_SCRATCH, ep + 7));
	note(w, CV_SYS_DEBUG_WRITE, cv_debug_write(dw_line, 0));
	uint32_t fr = b + POOL_FRAME;
	if (note(w, CV_SYS_FRAME_CREATE, cv_frame_create(q0, fr, 1)) == CV_OK &&
	    note(w, CV_SYS_FRAME_MAP, cv_frame_map(fr, t0, 0x1000000, CV_MAP_READ | CV_MAP_WRITE)) == CV_OK)
		note(w, CV_SYS_UNMAP, cv_unmap(t0, 0x1000000));
	note(w, CV_SYS_FRAME_MAP, cv_frame_map(fr, t0, 0x1001000, CV_MAP_READ));
	note(w, CV_SYS_THREAD_SET_IPC_BUFFER, cv_thread_set_ipc_buffer(th, 0x800000));
	build_vm(w, b);
	/* The server takes these if it is waiting (it answers the call). */
	uint64_t msg[8] = {ep + 3, 2 | CV_IPC_NONBLOCK, 1, 2};
	note(w, CV_SYS_SEND, cv_syscall8(CV_SYS_SEND, msg, NULL));
	note(w, CV_SYS_CALL, cv_syscall8(CV_SYS_CALL, msg, NULL));
}

void gen_fuzz(struct worker *w)
{
	uint64_t next_recycle = 0;

	for (uint64_t i = 0; i < w->iters; i++) {
		if (i == next_recycle) {
			if (i)
				gen_pool_clear(w);
			gen_pool_build(w);
			next_recycle = i + 200 + rn(w, 400);
		}
		one_call(w);
		if ((i + 1) % FUZZ_PROGRESS == 0) {
			/* Straight to the console: snprintf has no shared state,
			 * the stdio stream does. */
			char line[64];
			int n = snprintf(line, sizeof(line), "fuzz: worker %u: %llu calls\n", w->id,
					 (unsigned long long)(i + 1));
			(void)cv_debug_write(line, (size_t)n);
		}
	}
	gen_pool_clear(w);
	/* Answer whatever call this thread still holds (a RECV took it):
	 * its caller would wait for good once this thread stops calling. */
	uint64_t none[8] = {0};
	(void)cv_syscall8(CV_SYS_REPLY, none, NULL);
}
